#include "agent/wire/otlp_decoder.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "agent/core/json_writer.hpp"
#include "agent/core/simdjson_util.hpp"
#include "agent/wire/otlp_encoder.hpp"

namespace veil::detail {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// Depth check before handing the text to a parser: cheap, and it bounds every later
// recursion over the parsed tree by the same number.
bool depth_within(std::string_view s, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_str = false, esc = false;
  for (char c : s) {
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return true;
}

// nlohmann::json::parse reads an integer literal that does not fit 64 bits as a double; simdjson
// refuses the document. To accept what the previous decoder accepted, such literals (outside
// strings) get ".0" appended and the body is parsed again. Returns false when there was none.
bool widen_big_integers(std::string_view in, std::string& out) {
  out.clear();
  bool changed = false, in_str = false, esc = false;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') {
      in_str = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    std::size_t j = i + (c == '-' ? 1 : 0);
    const std::size_t digits_from = j;
    while (j < in.size() && in[j] >= '0' && in[j] <= '9') ++j;
    const bool plain_integer =
        j > digits_from && (j == in.size() || (in[j] != '.' && in[j] != 'e' && in[j] != 'E'));
    if (plain_integer) {
      std::errc ec;
      if (c == '-') {
        std::int64_t v;
        ec = std::from_chars(in.data() + i, in.data() + j, v).ec;
      } else {
        std::uint64_t v;
        ec = std::from_chars(in.data() + i, in.data() + j, v).ec;
      }
      if (ec == std::errc::result_out_of_range) {
        out.append(in.data() + copied, j - copied);
        out += ".0";
        copied = j;
        changed = true;
      }
    }
    i = j - 1;
    while (i + 1 < in.size() &&
           (in[i + 1] == '.' || in[i + 1] == 'e' || in[i + 1] == 'E' || in[i + 1] == '+' ||
            in[i + 1] == '-' || (in[i + 1] >= '0' && in[i + 1] <= '9')))
      ++i;
  }
  if (changed) out.append(in.data() + copied, in.size() - copied);
  return changed;
}

error bad(const std::string& path, const std::string& what) {
  return make_error(errc::parse_error, path + ": " + what);
}

// Where a value sits, for error messages: a chain of stack nodes, turned into a string only when
// an error is reported (building "a.b[3].value" eagerly for every attribute cost ~10% of decode).
struct path_node {
  const path_node* parent = nullptr;
  std::string_view name;
  long index = -1;
  std::string str() const {
    std::string s = parent ? parent->str() : std::string();
    s += name;
    if (index >= 0) s += "[" + std::to_string(index) + "]";
    return s;
  }
};

// The value of an object's field; the last one wins, as in nlohmann's parser.
bool field(simdjson::dom::object o, std::string_view key, element& out) {
  bool found = false;
  for (auto kv : o)
    if (kv.key == key) {
      out = kv.value;
      found = true;
    }
  return found;
}

bool is_number(element v) {
  const auto t = v.type();
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

std::optional<std::int64_t> as_int64(element v) {
  switch (v.type()) {
    case element_type::INT64: return sj::i64(v);
    case element_type::STRING: {
      const std::string_view s = sj::str(v);
      std::int64_t out = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
      return out;
    }
    default:
      return std::nullopt;  // UINT64 holds only values above INT64_MAX; a double is no integer
  }
}

// A double as nlohmann::json::dump() writes it (87.0, 4.1, 1e+20), so stored text is unchanged.
void double_to(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

// One key/value of a kvlist while its level is collected: the value is already canonical text
// in the level's buffer.
struct entry {
  std::string_view key;
  std::size_t index = 0;  // position in the kvlist: among equal keys the last one wins
  std::size_t begin = 0, end = 0;
  std::string_view str;  // the stringValue, when is_str
  bool is_str = false;
};

struct level {
  std::vector<entry> entries;
  std::string buf;
};

// Per-thread reusable state: after warm-up a request allocates only its output strings.
struct scratch {
  simdjson::dom::parser parser;
  std::deque<level> levels;  // one per kvlist nesting level; deque: references stay valid on growth
  std::string widened;
};

class walker {
 public:
  walker(const otlp_decode_limits& lim, std::deque<level>& levels) : lim_(lim), levels_(levels) {}

  void start_record() { attrs_ = 0; }

  // Validates a kvlist `values` array in document order and collects it into level d.
  result<void> kvlist(element values, const path_node& path, std::size_t d) {
    if (values.type() != element_type::ARRAY) return bad(path.str(), "values is not an array");
    level& lv = at(d);
    lv.entries.clear();
    lv.buf.clear();
    long i = 0;
    for (element e : sj::arr(values)) {
      const path_node p{&path, {}, i++};
      if (++attrs_ > lim_.max_attributes)
        return make_error(
            errc::limit_exceeded,
            p.str() + ": more than " + std::to_string(lim_.max_attributes) + " attributes");
      if (e.type() != element_type::OBJECT) return bad(p.str(), "not an object");
      element k, v;
      bool has_key = false, has_value = false;
      for (auto kv : sj::obj(e)) {
        if (kv.key == "key") k = kv.value, has_key = true;
        else if (kv.key == "value") v = kv.value, has_value = true;
      }
      if (!has_key || k.type() != element_type::STRING) return bad(p.str(), "missing string key");
      entry en;
      en.key = sj::str(k);
      en.index = static_cast<std::size_t>(i);
      en.begin = lv.buf.size();
      if (has_value) {
        if (auto r = any(v, path_node{&p, ".value"}, d, lv.buf, &en); !r) return r;
      } else {
        lv.buf += "null";  // an absent value is an empty AnyValue
      }
      en.end = lv.buf.size();
      lv.entries.push_back(en);
    }
    return {};
  }

  // Calls f(entry) for level d's keys in canonical order, one per key (the last one given).
  template <class F>
  void each_winner(std::size_t d, F&& f) {
    auto& es = at(d).entries;
    bool sorted = true;
    for (std::size_t i = 1; i < es.size() && sorted; ++i) sorted = es[i - 1].key < es[i].key;
    if (!sorted)
      std::sort(es.begin(), es.end(), [](const entry& a, const entry& b) {
        return a.key < b.key || (a.key == b.key && a.index < b.index);
      });
    for (std::size_t i = 0; i < es.size(); ++i)
      if (i + 1 == es.size() || es[i + 1].key != es[i].key) f(es[i]);
  }

  // Appends level d as a canonical object, without the keys for which skip(entry) is true.
  template <class Skip>
  void write_object(std::size_t d, std::string& out, Skip&& skip) {
    const std::string& buf = at(d).buf;
    out += '{';
    bool first = true;
    each_winner(d, [&](const entry& e) {
      if (skip(e)) return;
      if (!first) out += ',';
      first = false;
      json_escape_to(out, e.key);
      out += ':';
      out.append(buf, e.begin, e.end - e.begin);
    });
    out += '}';
  }

  std::string_view value_text(std::size_t d, const entry& e) {
    return std::string_view(at(d).buf).substr(e.begin, e.end - e.begin);
  }

 private:
  level& at(std::size_t d) {
    while (levels_.size() <= d) levels_.emplace_back();
    return levels_[d];
  }

  // Validates one AnyValue and appends its canonical JSON to `out` (level d's buffer or the
  // record).
  result<void> any(element v, const path_node& path, std::size_t d, std::string& out, entry* en) {
    if (v.type() == element_type::NULL_VALUE) {
      out += "null";
      return {};
    }
    if (v.type() != element_type::OBJECT) return bad(path.str(), "AnyValue is not an object");
    std::string_view key;
    element val;
    std::size_t n = 0;
    for (auto kv : sj::obj(v)) {
      if (n++ == 0) key = kv.key;
      else if (kv.key != key) return bad(path.str(), "AnyValue must have exactly one field");
      val = kv.value;  // a repeated field: the last one wins
    }
    if (n == 0) {
      out += "null";
      return {};
    }
    if (key == "stringValue" || key == "bytesValue") {
      if (val.type() != element_type::STRING)
        return bad(path.str(), std::string(key) + " is not a string");
      const std::string_view s = sj::str(val);
      json_escape_to(out, s);
      if (en) en->str = s, en->is_str = true;
      return {};
    }
    if (key == "boolValue") {
      if (val.type() != element_type::BOOL) return bad(path.str(), "boolValue is not a boolean");
      out += sj::boolean(val) ? "true" : "false";
      return {};
    }
    if (key == "intValue") {
      auto i = as_int64(val);
      if (!i) return bad(path.str(), "intValue is not a 64-bit integer");
      json_number_to(out, *i);
      return {};
    }
    if (key == "doubleValue") {
      if (!is_number(val)) return bad(path.str(), "doubleValue is not a number");
      double_to(out, sj::dbl(val));
      return {};
    }
    if (key == "arrayValue" || key == "kvlistValue") {
      if (val.type() != element_type::OBJECT)
        return bad(path.str(), std::string(key) + " is not an object");
      element values;
      const bool has_values = field(sj::obj(val), "values", values);
      if (key == "kvlistValue") {
        if (!has_values) {
          out += "{}";
          return {};
        }
        if (auto r = kvlist(values, path_node{&path, ".kvlistValue.values"}, d + 1); !r) return r;
        write_object(d + 1, out, [](const entry&) { return false; });
        return {};
      }
      if (!has_values) {
        out += "[]";
        return {};
      }
      if (values.type() != element_type::ARRAY)
        return bad(path.str(), "arrayValue.values is not an array");
      out += '[';
      long i = 0;
      for (element e : sj::arr(values)) {
        if (++attrs_ > lim_.max_attributes)
          return make_error(
              errc::limit_exceeded,
              path.str() + ": more than " + std::to_string(lim_.max_attributes) + " values");
        if (i > 0) out += ',';
        if (auto r = any(e, path_node{&path, ".arrayValue.values", i++}, d, out, nullptr); !r)
          return r;
      }
      out += ']';
      return {};
    }
    return bad(path.str(), "unknown AnyValue field");
  }

  const otlp_decode_limits& lim_;
  std::deque<level>& levels_;
  std::size_t attrs_ = 0;  // per record
};

}  // namespace

result<void> otlp_decode_limits::validate() const {
  if (max_bytes == 0 || max_depth < 8 || max_records == 0 || max_attributes == 0)
    return make_error(
        errc::invalid_argument,
        "otlp_decode_limits: max_bytes, max_records, max_attributes > 0 and max_depth >= 8");
  return {};
}

result<otlp_logs> otlp_decoder::decode_records(std::string_view body) const noexcept try {
  if (body.size() > limits_.max_bytes)
    return make_error(errc::limit_exceeded, "request: " + std::to_string(body.size()) +
                                                " bytes > limit " +
                                                std::to_string(limits_.max_bytes));
  // What nlohmann::json::parse accepted: a UTF-8 BOM first, and a NUL byte as the end of input
  // (inside a string a NUL is invalid either way, and the cut leaves the string unterminated).
  std::string_view text = body;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  bool nul_cut = false;
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    text = text.substr(0, nul);
    nul_cut = true;
  }

  thread_local scratch tls;
  // A huge request gets a parser of its own, so the thread does not keep its buffers.
  std::unique_ptr<scratch> big;
  scratch& s = text.size() > (4u << 20) ? *(big = std::make_unique<scratch>()) : tls;
  element root;
  // Fast path: the depth limit is left to simdjson. A parser allocated with max_depth P accepts
  // nesting up to P brackets when the innermost one is empty and up to P-1 otherwise (pinned in
  // tests/wire_otlp_decoder_test.cpp), so a document it accepts at P = max_depth passes
  // depth_within(max_depth) too, and its DOM is the one the deeper parser below would build.
  // Everything else (a parse error, a depth error, a NUL cut, a failed allocation) takes the
  // previous path, in its order: the bracket pre-scan of the whole body, then a parser one level
  // deeper. So the errors stay what they were, and a valid request is scanned only once.
  simdjson::error_code perr = simdjson::UNINITIALIZED;
  if (!nul_cut && (s.parser.max_depth() == limits_.max_depth ||
                   s.parser.allocate(std::max(text.size(), s.parser.capacity()),
                                     limits_.max_depth) == simdjson::SUCCESS))
    perr = s.parser.parse(text.data(), text.size()).get(root);
  simdjson::dom::parser deep;  // the slow path's parser; root may point into it
  if (perr != simdjson::SUCCESS) {
    if (!depth_within(body, limits_.max_depth))
      return make_error(errc::limit_exceeded,
                        "request: nesting deeper than " + std::to_string(limits_.max_depth));
    if (deep.allocate(text.size(), limits_.max_depth + 1) != simdjson::SUCCESS)
      return make_error(errc::internal, "request: cannot allocate the parser");
    perr = deep.parse(text.data(), text.size()).get(root);
    if (perr == simdjson::NUMBER_ERROR && widen_big_integers(text, s.widened))
      perr = deep.parse(s.widened.data(), s.widened.size()).get(root);
    if (perr != simdjson::SUCCESS) return make_error(errc::parse_error, "request: not valid JSON");
  }
  if (root.type() != element_type::OBJECT) return bad("request", "not a JSON object");

  otlp_logs out;
  element rls;
  if (!field(sj::obj(root), "resourceLogs", rls)) return out;  // an empty request is valid OTLP
  if (rls.type() != element_type::ARRAY) return bad("resourceLogs", "not an array");
  walker w(limits_, s.levels);
  std::map<std::string, std::string, std::less<>> resource;  // key -> canonical value
  long ri = 0;
  for (element rl : sj::arr(rls)) {
    const path_node rpath{nullptr, "resourceLogs", ri++};
    if (rl.type() != element_type::OBJECT) return bad(rpath.str(), "not an object");
    const auto rlo = sj::obj(rl);
    element res, a;
    if (field(rlo, "resource", res) && res.type() == element_type::OBJECT &&
        field(sj::obj(res), "attributes", a)) {
      w.start_record();
      const path_node at{&rpath, ".resource.attributes"};
      if (auto r = w.kvlist(a, at, 0); !r) return std::move(r).err();
      w.each_winner(0, [&](const entry& e) {  // merged: later resourceLogs win
        resource.insert_or_assign(std::string(e.key), std::string(w.value_text(0, e)));
        if (e.key == "veil.install")
          out.install = e.is_str ? std::optional<std::string>(std::string(e.str)) : std::nullopt;
      });
    }
    element sls;
    if (!field(rlo, "scopeLogs", sls)) continue;
    if (sls.type() != element_type::ARRAY)
      return bad(path_node{&rpath, ".scopeLogs"}.str(), "not an array");
    long si = 0;
    for (element sl : sj::arr(sls)) {
      const path_node spath{&rpath, ".scopeLogs", si++};
      if (sl.type() != element_type::OBJECT) return bad(spath.str(), "not an object");
      element lrs;
      if (!field(sj::obj(sl), "logRecords", lrs)) continue;
      if (lrs.type() != element_type::ARRAY)
        return bad(path_node{&spath, ".logRecords"}.str(), "not an array");
      const auto lra = sj::arr(lrs);
      out.records.reserve(out.records.size() + std::min(lra.size(), limits_.max_records));
      long li = 0;
      for (element lr : lra) {
        const path_node path{&spath, ".logRecords", li++};
        if (out.records.size() >= limits_.max_records)
          return make_error(
              errc::limit_exceeded,
              path.str() + ": more than " + std::to_string(limits_.max_records) + " records");
        if (lr.type() != element_type::OBJECT) return bad(path.str(), "not an object");
        element attrs, event_name, time, observed;
        bool has_attrs = false, has_name = false, has_time = false, has_observed = false;
        for (auto kv : sj::obj(lr)) {
          if (kv.key == "attributes") attrs = kv.value, has_attrs = true;
          else if (kv.key == "eventName") event_name = kv.value, has_name = true;
          else if (kv.key == "timeUnixNano") time = kv.value, has_time = true;
          else if (kv.key == "observedTimeUnixNano") observed = kv.value, has_observed = true;
        }
        otlp_log_record rec;
        w.start_record();
        bool name_attr = false, name_attr_str = false;
        std::string_view name_attr_value;
        if (has_attrs) {
          const path_node at{&path, ".attributes"};
          if (auto r = w.kvlist(attrs, at, 0); !r) return std::move(r).err();
          rec.attrs_json.clear();
          w.write_object(0, rec.attrs_json, [&](const entry& e) {
            if (e.key == "event.name") {
              name_attr = true;
              name_attr_str = e.is_str;
              name_attr_value = e.str;
              return true;
            }
            if (e.key == "veil.category") {
              if (e.is_str) rec.category.assign(e.str), rec.has_category = true;
              return true;
            }
            return false;
          });
        }
        if (has_name && event_name.type() == element_type::STRING && !sj::str(event_name).empty())
          rec.type.assign(sj::str(event_name));
        if (name_attr && rec.type.empty() && name_attr_str) rec.type.assign(name_attr_value);
        if (rec.type.empty())
          return bad(path.str(), "no event name (eventName or event.name attribute)");
        std::optional<std::int64_t> ns;
        if (has_time) ns = as_int64(time);
        if ((!ns || *ns == 0) && has_observed) ns = as_int64(observed);
        if (!ns || *ns <= 0) return bad(path.str(), "missing or invalid timeUnixNano");
        rec.time_ns = *ns;
        out.records.push_back(std::move(rec));
      }
    }
  }
  if (!resource.empty()) {
    out.resource_json = "{";
    for (const auto& [k, v] : resource) {
      if (out.resource_json.size() > 1) out.resource_json += ',';
      json_escape_to(out.resource_json, k);
      out.resource_json += ':';
      out.resource_json += v;
    }
    out.resource_json += '}';
  }
  return out;
} catch (const std::exception& e) {
  return make_error(errc::internal, std::string("otlp decode: ") + e.what());
}

result<decoded_logs> otlp_decoder::decode(std::string_view body) const noexcept try {
  auto r = decode_records(body);
  if (!r) return std::move(r).err();
  decoded_logs out;
  out.resource = nlohmann::json::parse(r->resource_json);
  out.events.reserve(r->records.size());
  for (auto& rec : r->records) {
    nlohmann::json ev = {{"type", std::move(rec.type)}, {"ts", format_rfc3339_ns(rec.time_ns)}};
    if (rec.has_category) ev["category"] = std::move(rec.category);
    ev["attrs"] = nlohmann::json::parse(rec.attrs_json);
    out.events.push_back(std::move(ev));
  }
  return out;
} catch (const std::exception& e) {
  return make_error(errc::internal, std::string("otlp decode: ") + e.what());
}

}  // namespace veil::detail
