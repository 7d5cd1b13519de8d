#include "tools/collector/clickhouse_sink.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <charconv>
#include <map>
#include <cmath>
#include <sstream>
#include <thread>

#include "tools/collector/record_guard.hpp"

namespace veil::collector {
namespace {

std::int64_t unix_s(sys_time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// A ClickHouse string literal.
std::string quote(std::string_view s) {
  std::string o = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') o += '\\';
    if (c == '\0') {
      o += "\\0";
      continue;
    }
    o += c;
  }
  return o + "'";
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      o += static_cast<char>(c);
    } else {
      o += '%';
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

veil::result<std::string> gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return veil::make_error(veil::errc::internal, "deflateInit2");
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return veil::make_error(veil::errc::internal, "gzip failed");
  return out;
}

// Undo TabSeparated escaping.
std::string tsv_unescape(std::string_view s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      o += s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 't': o += '\t'; break;
      case 'n': o += '\n'; break;
      case 'r': o += '\r'; break;
      case '0': o += '\0'; break;
      case 'b': o += '\b'; break;
      case 'f': o += '\f'; break;
      default: o += c;
    }
  }
  return o;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto p = s.find(sep, start);
    out.push_back(
        s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

std::uint64_t to_u64(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string attr_key_expr(const std::string& name) {
  auto n = quote(name);
  return "if(visitParamHas(attrs," + n + "), if(visitParamExtractRaw(attrs," + n +
         ") LIKE '\"%', visitParamExtractString(attrs," + n + "), visitParamExtractRaw(attrs," + n +
         ")), '')";
}

class clickhouse_sink final : public sink {
 public:
  clickhouse_sink(std::string host, std::uint16_t port, std::string db)
      : host_(std::move(host)), port_(port), db_(std::move(db)) {}

  veil::result<void> init() {
    const std::string d = db_;
    for (const std::string& sql :
         {"CREATE DATABASE IF NOT EXISTS " + d,
          "CREATE TABLE IF NOT EXISTS " + d +
              ".events (day Date, received_at DateTime, batch_key String, install String, ts "
              "String, type String, "
              "category String, attrs String) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(day) "
              "ORDER BY (type, day)",
          "CREATE TABLE IF NOT EXISTS " + d +
              ".quarantine (day Date, received_at DateTime, batch_key String, type String, reason "
              "String) "
              "ENGINE = MergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (day, type)",
          "CREATE TABLE IF NOT EXISTS " + d +
              ".batches (day Date, received_at DateTime, key String, n UInt64) "
              "ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY key",
          "CREATE TABLE IF NOT EXISTS " + d +
              ".install_keys (day Date, install String, public_key String, first_seen DateTime, "
              "last_seen DateTime, erased_at DateTime, version UInt64) ENGINE = "
              "ReplacingMergeTree(version) PARTITION BY toYYYYMMDD(day) ORDER BY install",
          "CREATE TABLE IF NOT EXISTS " + d +
              ".metrics (day Date, received_at DateTime, batch_key String, window_start DateTime, "
              "window_end DateTime, name String, kind String, unit String, temporality UInt8, "
              "monotonic UInt8, attrs String, resource String, count UInt64, sum "
              "Nullable(Float64), "
              "min Nullable(Float64), max Nullable(Float64), bounds Array(Float64), bucket_counts "
              "Array(UInt64)) ENGINE = MergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY (name, "
              "day)",
          "CREATE TABLE IF NOT EXISTS " + d +
              ".metric_batches (day Date, received_at DateTime, key String, n UInt64) "
              "ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY key"}) {
      auto r = query(sql);
      if (!r) return std::move(r).err();
    }
    return {};
  }

  using sink::write_batch;
  veil::result<write_outcome> write_batch(std::string_view key,
                                          const std::vector<cleaned_record>& records,
                                          const std::vector<quarantined_record>& quarantined,
                                          sys_time received_at,
                                          const batch_origin& origin) override {
    std::lock_guard lk(write_mu_);
    std::optional<install_binding> bound;
    if (!origin.install.empty()) {
      auto b = read_bindings({std::string(origin.install)});
      if (!b) return std::move(b).err();
      if (auto it = b->begin(); it != b->end()) {
        if (it->second.erased_at) return write_outcome::install_erased;
        if (!origin.erasure_key.empty() && it->second.public_key != origin.erasure_key)
          return write_outcome::key_mismatch;
        bound = std::move(it->second);
      }
    }
    if (!key.empty()) {
      auto n = scalar("SELECT count() FROM " + db_ + ".batches WHERE key = " + quote(key));
      if (!n) return std::move(n).err();
      if (*n > 0) return write_outcome::duplicate;
    }
    const auto now = unix_s(received_at);
    const auto today = day_string(received_at);
    if (!records.empty()) {
      std::string rows;
      for (const auto& r : records) {
        nlohmann::json j{{"day", day_of(r.ts, received_at)},
                         {"received_at", now},
                         {"batch_key", key},
                         {"install", r.install},
                         {"ts", r.ts},
                         {"type", r.type},
                         {"category", r.category},
                         {"attrs", r.attrs.is_object() ? r.attrs.text() : std::string("{}")}};
        rows += j.dump() + "\n";
      }
      if (auto w = insert("events", rows); !w) return std::move(w).err();
    }
    if (!quarantined.empty()) {
      std::string rows;
      for (const auto& q : quarantined)
        rows += nlohmann::json{{"day", today},
                               {"received_at", now},
                               {"batch_key", key},
                               {"type", q.type},
                               {"reason", q.reason}}
                    .dump() +
                "\n";
      if (auto w = insert("quarantine", rows); !w) return std::move(w).err();
    }
    if (!key.empty()) {
      auto row =
          nlohmann::json{{"day", today}, {"received_at", now}, {"key", key}, {"n", records.size()}}
              .dump() +
          "\n";
      if (auto w = insert("batches", row); !w) return std::move(w).err();
    }
    // The binding after the rows (a failure in between leaves rows without a binding, which a
    // retry of the batch binds). last_seen is kept to the day: one new version per day at most.
    if (!origin.install.empty()) {
      if (!bound && !origin.erasure_key.empty()) {
        install_binding b{std::string(origin.erasure_key), received_at, received_at, std::nullopt};
        if (auto w = insert("install_keys", binding_row(origin.install, b)); !w)
          return std::move(w).err();
      } else if (bound && day_string(bound->last_seen) < day_string(received_at)) {
        bound->last_seen = received_at;
        if (auto w = insert("install_keys", binding_row(origin.install, *bound)); !w)
          return std::move(w).err();
      }
    }
    return write_outcome::stored;
  }

  veil::result<std::map<std::string, install_binding>> bindings(
      const std::vector<std::string>& installs) override {
    return read_bindings(installs);
  }

  veil::result<std::map<std::string, std::uint64_t>> install_row_counts(
      const std::vector<std::string>& installs) override {
    std::map<std::string, std::uint64_t> out;
    const std::string list = in_list(installs);
    if (list.empty()) return out;
    auto body = query("SELECT install, count() FROM " + db_ + ".events WHERE install IN (" + list +
                      ") GROUP BY install FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    for (auto line : split(*body, '\n')) {
      auto cols = split(line, '\t');
      if (cols.size() != 2) continue;
      out[tsv_unescape(cols[0])] = to_u64(cols[1]);
    }
    return out;
  }

  veil::result<erasure_counts> erase_installs(const std::vector<std::string>& installs,
                                              sys_time at) override {
    erasure_counts c;
    const std::string list = in_list(installs);
    if (list.empty()) return c;
    {
      // Tombstones first, under the write lock: once they are in, write_batch refuses these
      // installs, so no row of theirs can arrive between the count and the mutation.
      std::lock_guard lk(write_mu_);
      auto b = read_bindings(installs);
      if (!b) return std::move(b).err();
      std::string rows;
      for (auto& [install, binding] : *b) {
        if (binding.erased_at) continue;
        binding.erased_at = at;
        binding.last_seen = std::max(binding.last_seen, at);
        rows += binding_row(install, binding);
      }
      if (!rows.empty())
        if (auto w = insert("install_keys", rows); !w) return std::move(w).err();
    }
    const std::string pred = "install IN (" + list + ")";
    auto body = query("SELECT category, count() FROM " + db_ + ".events WHERE " + pred +
                      " GROUP BY category FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    for (auto line : split(*body, '\n')) {
      auto cols = split(line, '\t');
      if (cols.size() != 2) continue;
      const auto n = to_u64(cols[1]);
      c.by_category[tsv_unescape(cols[0])] += n;
      c.total += n;
    }
    if (c.total == 0) return c;
    if (auto r = query("ALTER TABLE " + db_ + ".events DELETE WHERE " + pred); !r)
      return std::move(r).err();
    if (auto r = wait_mutations(); !r) return std::move(r).err();
    return c;
  }

  veil::result<std::vector<subject_row>> install_rows(std::string_view install,
                                                      std::uint64_t offset,
                                                      std::size_t limit) override {
    std::vector<subject_row> out;
    if (install.empty() || limit == 0) return out;
    // No row id in ClickHouse: a total order over the columns keeps pages stable (rows equal in
    // every column are indistinguishable anyway).
    auto body =
        query("SELECT batch_key, ts, toString(day), type, category, attrs FROM " + db_ +
              ".events WHERE install = " + quote(install) +
              " ORDER BY received_at, batch_key, ts, type, category, attrs LIMIT " +
              std::to_string(offset) + ", " + std::to_string(limit) + " FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    for (auto line : split(*body, '\n')) {
      if (line.empty()) continue;
      auto cols = split(line, '\t');
      if (cols.size() != 6)
        return veil::make_error(veil::errc::corrupt, "clickhouse: unexpected event row");
      out.push_back({tsv_unescape(cols[0]), tsv_unescape(cols[1]), tsv_unescape(cols[2]),
                     tsv_unescape(cols[3]), tsv_unescape(cols[4]), tsv_unescape(cols[5])});
    }
    return out;
  }

  veil::result<std::uint64_t> expire(sys_time older_than) override {
    std::string cutoff = day_string(older_than);
    std::string cut_part = cutoff.substr(0, 4) + cutoff.substr(5, 2) + cutoff.substr(8, 2);
    auto n =
        scalar("SELECT count() FROM " + db_ + ".events WHERE day < toDate(" + quote(cutoff) + ")");
    if (!n) return n;
    // install_keys rows are partitioned by their version's last_seen day: a binding's newest
    // version is in its newest partition, so dropping old partitions drops old versions and the
    // bindings (and tombstones) last seen before the cutoff.
    for (const char* table :
         {"events", "quarantine", "batches", "install_keys", "metrics", "metric_batches"}) {
      auto parts =
          query("SELECT DISTINCT partition FROM system.parts WHERE database = " + quote(db_) +
                " AND table = " + quote(table) + " AND active FORMAT TabSeparated");
      if (!parts) return std::move(parts).err();
      for (auto line : split(*parts, '\n')) {
        std::string p = tsv_unescape(line);
        if (p.size() != 8 || p >= cut_part) continue;
        if (auto r = query("ALTER TABLE " + db_ + "." + table + " DROP PARTITION " + p); !r)
          return std::move(r).err();
      }
    }
    return n;
  }

  veil::result<std::vector<aggregate_row>> aggregate(const aggregate_query& q) override {
    std::string sel, group;
    for (std::size_t i = 0; i < q.group_by.size(); ++i) {
      const auto& f = q.group_by[i];
      if (!valid_field(f))
        return veil::make_error(veil::errc::invalid_argument, "aggregate: bad field " + f);
      std::string expr = f == "day"                ? "toString(day)"
                         : f == "hour"             ? "substring(ts, 1, 13)"
                         : f.starts_with("attrs.") ? attr_key_expr(f.substr(6))
                                                   : f;
      std::string alias = "k" + std::to_string(i);
      sel += expr + " AS " + alias + ", ";
      group += (group.empty() ? "" : ", ") + alias;
    }
    sel += "count(), uniqExactIf(install, install != '')";
    for (const auto& a : q.averages) {
      if (!valid_field("attrs." + a))
        return veil::make_error(veil::errc::invalid_argument, "aggregate: bad field " + a);
      auto n = quote(a);
      sel += ", avgIf(visitParamExtractFloat(attrs, " + n +
             "), match(visitParamExtractRaw(attrs, " + n + "), '^-?[0-9]'))";
    }
    std::string sql = "SELECT " + sel + " FROM " + db_ + ".events";
    if (!q.type.empty()) sql += " WHERE type = " + quote(q.type);
    if (!group.empty()) sql += " GROUP BY " + group;
    sql += " FORMAT TabSeparated";
    auto body = query(sql);
    if (!body) return std::move(body).err();
    std::vector<aggregate_row> out;
    const std::size_t ng = q.group_by.size();
    for (auto line : split(*body, '\n')) {
      if (line.empty()) continue;
      auto cols = split(line, '\t');
      if (cols.size() != ng + 2 + q.averages.size())
        return veil::make_error(veil::errc::corrupt, "clickhouse: unexpected aggregate row");
      aggregate_row r;
      for (std::size_t i = 0; i < ng; ++i) r.keys.push_back(tsv_unescape(cols[i]));
      r.events = to_u64(cols[ng]);
      r.installs = to_u64(cols[ng + 1]);
      for (std::size_t i = 0; i < q.averages.size(); ++i) {
        std::string v(cols[ng + 2 + i]);
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        r.averages.push_back(end != v.c_str() && std::isfinite(d) ? std::optional<double>(d)
                                                                  : std::nullopt);
      }
      if (r.events > 0) out.push_back(std::move(r));
    }
    return out;
  }

  veil::result<write_outcome> write_metrics(std::string_view key,
                                            const std::vector<metric_point>& points,
                                            const std::vector<quarantined_record>& quarantined,
                                            sys_time received_at) override {
    std::lock_guard lk(write_mu_);
    if (!key.empty()) {
      auto n = scalar("SELECT count() FROM " + db_ + ".metric_batches WHERE key = " + quote(key));
      if (!n) return std::move(n).err();
      if (*n > 0) return write_outcome::duplicate;
    }
    const auto now = unix_s(received_at);
    const auto today = day_string(received_at);
    auto opt = [](const std::optional<double>& v) {
      return v ? nlohmann::json(*v) : nlohmann::json();
    };
    if (!points.empty()) {
      std::string rows;
      for (const auto& p : points)
        rows += nlohmann::json{{"day", today},
                               {"received_at", now},
                               {"batch_key", key},
                               {"window_start", p.window_start_s},
                               {"window_end", p.window_end_s},
                               {"name", p.name},
                               {"kind", metric_kind_name(p.kind)},
                               {"unit", p.unit},
                               {"temporality", p.temporality},
                               {"monotonic", p.monotonic ? 1 : 0},
                               {"attrs", p.attrs},
                               {"resource", p.resource_json()},
                               {"count", p.count},
                               {"sum", opt(p.sum)},
                               {"min", opt(p.min)},
                               {"max", opt(p.max)},
                               {"bounds", p.bounds},
                               {"bucket_counts", p.bucket_counts}}
                    .dump() +
                "\n";
      if (auto w = insert("metrics", rows); !w) return std::move(w).err();
    }
    if (!quarantined.empty()) {
      std::string rows;
      for (const auto& q : quarantined)
        rows += nlohmann::json{{"day", today},
                               {"received_at", now},
                               {"batch_key", key},
                               {"type", q.type},
                               {"reason", q.reason}}
                    .dump() +
                "\n";
      if (auto w = insert("quarantine", rows); !w) return std::move(w).err();
    }
    if (!key.empty()) {
      auto row =
          nlohmann::json{{"day", today}, {"received_at", now}, {"key", key}, {"n", points.size()}}
              .dump() +
          "\n";
      if (auto w = insert("metric_batches", row); !w) return std::move(w).err();
    }
    return write_outcome::stored;
  }

  // Grouped in SQL (sumForEach adds the bucket arrays), one row per bounds; the groups are
  // merged into cells by merge_metric_groups like every sink's.
  veil::result<std::vector<metric_cell>> aggregate_metrics(const metric_query& q) override {
    std::string sel, group;
    for (std::size_t i = 0; i < q.group_by.size(); ++i) {
      if (!valid_metric_attribute(q.group_by[i]))
        return veil::make_error(veil::errc::invalid_argument,
                                "aggregate_metrics: bad name " + q.group_by[i]);
      const std::string alias = "k" + std::to_string(i);
      sel += attr_key_expr(q.group_by[i]) + " AS " + alias + ", ";
      group += alias + ", ";
    }
    // Window starts floored by integer arithmetic: independent of the server's time zone.
    const std::string w = q.window == metric_query::granularity::hour
                              ? "intDiv(toUInt32(window_start), 3600) * 3600"
                          : q.window == metric_query::granularity::day
                              ? "intDiv(toUInt32(window_start), 86400) * 86400"
                              : "0";
    sel += w +
           " AS w, kind, unit, bounds, count(), sum(count), sum(sum), min(min), max(max), "
           "sumForEach(bucket_counts), max(toUInt32(window_end) - toUInt32(window_start))";
    group += "w, kind, unit, bounds";
    auto body = query("SELECT " + sel + " FROM " + db_ + ".metrics WHERE name = " + quote(q.name) +
                      " GROUP BY " + group + " FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    const std::size_t ng = q.group_by.size();
    std::vector<metric_group> groups;
    auto real = [](std::string_view c) -> std::optional<double> {
      if (c == "\\N" || c.empty()) return std::nullopt;
      std::string v(c);
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || !std::isfinite(d)) return std::nullopt;
      return d;
    };
    for (auto line : split(*body, '\n')) {
      if (line.empty()) continue;
      auto cols = split(line, '\t');
      if (cols.size() != ng + 11)
        return veil::make_error(veil::errc::corrupt, "clickhouse: unexpected metrics row");
      metric_group g;
      for (std::size_t i = 0; i < ng; ++i) g.keys.push_back(tsv_unescape(cols[i]));
      g.window = metric_window_label(static_cast<std::int64_t>(to_u64(cols[ng])), q.window);
      g.kind = tsv_unescape(cols[ng + 1]);
      g.unit = tsv_unescape(cols[ng + 2]);
      const auto bounds = nlohmann::json::parse(cols[ng + 3], nullptr, false);
      const auto buckets = nlohmann::json::parse(cols[ng + 9], nullptr, false);
      if (!bounds.is_array() || !buckets.is_array())
        return veil::make_error(veil::errc::corrupt, "clickhouse: unexpected metrics arrays");
      for (const auto& b : bounds)
        if (b.is_number()) g.bounds.push_back(b.get<double>());
      for (const auto& b : buckets)
        if (b.is_number_unsigned()) g.bucket_counts.push_back(b.get<std::uint64_t>());
      g.reports = to_u64(cols[ng + 4]);
      g.count = to_u64(cols[ng + 5]);
      g.sum = real(cols[ng + 6]);
      g.min = real(cols[ng + 7]);
      g.max = real(cols[ng + 8]);
      g.window_s = static_cast<std::int64_t>(to_u64(cols[ng + 10]));
      groups.push_back(std::move(g));
    }
    return merge_metric_groups(std::move(groups));
  }

  veil::result<std::vector<std::string>> metric_names() override {
    auto body =
        query("SELECT DISTINCT name FROM " + db_ + ".metrics ORDER BY name FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    std::vector<std::string> out;
    for (auto line : split(*body, '\n'))
      if (!line.empty()) out.push_back(tsv_unescape(line));
    return out;
  }

  veil::result<std::vector<std::string>> metric_attribute_keys(std::string_view name) override {
    auto body = query("SELECT DISTINCT attrs FROM " + db_ + ".metrics WHERE name = " + quote(name) +
                      " LIMIT 10000 FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    std::vector<std::string> keys;
    for (auto line : split(*body, '\n'))
      if (!line.empty()) add_metric_attribute_keys(tsv_unescape(line), keys);
    return keys;
  }

  veil::result<std::uint64_t> count_metric_points() override {
    return scalar("SELECT count() FROM " + db_ + ".metrics");
  }

  veil::result<std::uint64_t> count_events() override {
    return scalar("SELECT count() FROM " + db_ + ".events");
  }
  veil::result<std::uint64_t> count_quarantined() override {
    return scalar("SELECT count() FROM " + db_ + ".quarantine");
  }

 private:
  static std::string in_list(const std::vector<std::string>& v) {
    std::string list;
    for (const auto& t : v)
      if (!t.empty()) list += (list.empty() ? "" : ",") + quote(t);
    return list;
  }

  // One version row of install_keys (NDJSON line); erased_at 0 = live.
  std::string binding_row(std::string_view install, const install_binding& b) {
    return nlohmann::json{{"day", day_string(b.last_seen)},
                          {"install", install},
                          {"public_key", b.public_key},
                          {"first_seen", unix_s(b.first_seen)},
                          {"last_seen", unix_s(b.last_seen)},
                          {"erased_at", b.erased_at ? unix_s(*b.erased_at) : 0},
                          {"version", next_version()}}
               .dump() +
           "\n";
  }
  // Strictly increasing versions (ReplacingMergeTree keeps the largest): milliseconds, bumped
  // past the last one handed out.
  std::uint64_t next_version() {
    const auto ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    std::uint64_t last = version_.load();
    std::uint64_t v;
    do {
      v = std::max(ms, last + 1);
    } while (!version_.compare_exchange_weak(last, v));
    return v;
  }

  // The newest version of each install's binding (argMax over versions: merges are lazy).
  veil::result<std::map<std::string, install_binding>> read_bindings(
      const std::vector<std::string>& installs) {
    std::map<std::string, install_binding> out;
    const std::string list = in_list(installs);
    if (list.empty()) return out;
    auto body = query(
        "SELECT install, argMax(public_key, version), toUInt32(argMax(first_seen, version)), "
        "toUInt32(argMax(last_seen, version)), toUInt32(argMax(erased_at, version)) FROM " +
        db_ + ".install_keys WHERE install IN (" + list + ") GROUP BY install FORMAT TabSeparated");
    if (!body) return std::move(body).err();
    for (auto line : split(*body, '\n')) {
      if (line.empty()) continue;
      auto cols = split(line, '\t');
      if (cols.size() != 5)
        return veil::make_error(veil::errc::corrupt, "clickhouse: unexpected binding row");
      auto t = [](std::string_view c) {
        return sys_time(std::chrono::seconds(static_cast<std::int64_t>(to_u64(c))));
      };
      install_binding b{tsv_unescape(cols[1]), t(cols[2]), t(cols[3]), std::nullopt};
      if (to_u64(cols[4]) != 0) b.erased_at = t(cols[4]);
      out.emplace(tsv_unescape(cols[0]), std::move(b));
    }
    return out;
  }

  veil::result<void> wait_mutations() {
    for (int i = 0; i < 3000; ++i) {
      auto n = scalar("SELECT count() FROM system.mutations WHERE database = " + quote(db_) +
                      " AND is_done = 0");
      if (!n) return std::move(n).err();
      if (*n == 0) return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return veil::make_error(veil::errc::unavailable,
                            "clickhouse: erasure mutation still running after 30 s");
  }

  veil::result<std::uint64_t> scalar(const std::string& sql) {
    auto r = query(sql + " FORMAT TabSeparated");
    if (!r) return std::move(r).err();
    return to_u64(*r);
  }

  veil::result<void> insert(const char* table, const std::string& ndjson) {
    auto z = gzip(ndjson);
    if (!z) return std::move(z).err();
    auto r =
        request("/?query=" + url_encode("INSERT INTO " + db_ + "." + table + " FORMAT JSONEachRow"),
                *z, true);
    if (!r) return std::move(r).err();
    return {};
  }

  veil::result<std::string> query(const std::string& sql) { return request("/", sql, false); }

  // One HTTP/1.1 POST with Connection: close; returns the body of a 200 answer.
  veil::result<std::string> request(const std::string& target, std::string_view body,
                                    bool gzipped) {
    addrinfo hints{}, *res = nullptr;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    auto port = std::to_string(port_);
    if (getaddrinfo(host_.c_str(), port.c_str(), &hints, &res) != 0 || !res)
      return veil::make_error(veil::errc::unavailable, "clickhouse: cannot resolve " + host_);
    int fd = -1;
    for (auto* ai = res; ai; ai = ai->ai_next) {
      fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd < 0) continue;
      timeval tv{30, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
      ::close(fd);
      fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
      return veil::make_error(veil::errc::unavailable,
                              "clickhouse: cannot connect to " + host_ + ":" + port);
    std::string req =
        "POST " + target + " HTTP/1.1\r\nHost: " + host_ + ":" + port +
        "\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n" + (gzipped ? "Content-Encoding: gzip\r\n" : "") +
        "\r\n";
    req.append(body);
    std::string_view out = req;
    while (!out.empty()) {
      auto n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        ::close(fd);
        return veil::make_error(veil::errc::unavailable, "clickhouse: send failed");
      }
      out.remove_prefix(static_cast<std::size_t>(n));
    }
    std::string resp;
    char buf[16384];
    for (;;) {
      auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0) {
        ::close(fd);
        return veil::make_error(veil::errc::unavailable, "clickhouse: receive failed or timed out");
      }
      if (n == 0) break;
      resp.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    auto hdr_end = resp.find("\r\n\r\n");
    if (resp.size() < 12 || hdr_end == std::string::npos)
      return veil::make_error(veil::errc::unavailable, "clickhouse: malformed HTTP response");
    int status = std::atoi(resp.c_str() + 9);
    std::string headers = resp.substr(0, hdr_end);
    for (auto& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string payload = resp.substr(hdr_end + 4);
    if (headers.find("transfer-encoding: chunked") != std::string::npos) {
      std::string dechunked;
      std::size_t p = 0;
      while (p < payload.size()) {
        auto eol = payload.find("\r\n", p);
        if (eol == std::string::npos) break;
        auto len = std::strtoul(payload.substr(p, eol - p).c_str(), nullptr, 16);
        if (len == 0) break;
        dechunked += payload.substr(eol + 2, len);
        p = eol + 2 + len + 2;
      }
      payload = std::move(dechunked);
    }
    if (status != 200) {
      // ClickHouse errors may quote the data; keep only the start (the code and the reason).
      return veil::make_error(veil::errc::io_error, "clickhouse HTTP " + std::to_string(status) +
                                                        ": " + payload.substr(0, 160));
    }
    return payload;
  }

  std::string host_;
  std::uint16_t port_;
  std::string db_;
  std::mutex write_mu_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace

veil::result<std::unique_ptr<sink>> open_clickhouse_sink(const std::string& host,
                                                         std::uint16_t port,
                                                         const std::string& database) {
  auto s = std::make_unique<clickhouse_sink>(host, port, database);
  if (auto r = s->init(); !r) return std::move(r).err();
  return std::unique_ptr<sink>(std::move(s));
}

}  // namespace veil::collector
