#include "tools/collector/clickhouse_sink.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <charconv>
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
              "ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMMDD(day) ORDER BY key"}) {
      auto r = query(sql);
      if (!r) return std::move(r).err();
    }
    return {};
  }

  veil::result<write_outcome> write_batch(std::string_view key,
                                          const std::vector<cleaned_record>& records,
                                          const std::vector<quarantined_record>& quarantined,
                                          sys_time received_at) override {
    std::lock_guard lk(write_mu_);
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
    return write_outcome::stored;
  }

  veil::result<std::uint64_t> erase(const std::vector<std::string>& tokens) override {
    std::string list;
    for (const auto& t : tokens)
      if (!t.empty()) list += (list.empty() ? "" : ",") + quote(t);
    if (list.empty()) return std::uint64_t{0};
    std::string pred = "install IN (" + list + ")";
    for (const auto& f : pseudonym_fields())
      pred += " OR visitParamExtractString(attrs, " + quote(f) + ") IN (" + list + ")";
    auto n = scalar("SELECT count() FROM " + db_ + ".events WHERE " + pred);
    if (!n) return n;
    if (*n == 0) return std::uint64_t{0};
    if (auto r = query("ALTER TABLE " + db_ + ".events DELETE WHERE " + pred); !r)
      return std::move(r).err();
    if (auto r = wait_mutations(); !r) return std::move(r).err();
    return *n;
  }

  veil::result<std::uint64_t> expire(sys_time older_than) override {
    std::string cutoff = day_string(older_than);
    std::string cut_part = cutoff.substr(0, 4) + cutoff.substr(5, 2) + cutoff.substr(8, 2);
    auto n =
        scalar("SELECT count() FROM " + db_ + ".events WHERE day < toDate(" + quote(cutoff) + ")");
    if (!n) return n;
    for (const char* table : {"events", "quarantine", "batches"}) {
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

  veil::result<std::uint64_t> count_events() override {
    return scalar("SELECT count() FROM " + db_ + ".events");
  }
  veil::result<std::uint64_t> count_quarantined() override {
    return scalar("SELECT count() FROM " + db_ + ".quarantine");
  }

 private:
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
