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

// What parsing a text will cost, read in one pass before any parser memory is allocated: the
// nesting depth, the counts the parser's tape and string buffer grow with, and the longest
// string, key and number. Tokens are recognised as simdjson will see them for valid JSON; on
// invalid JSON the counts are still upper bounds of what a parse attempt touches.
struct json_shape {
  std::size_t depth = 0;         // deepest bracket nesting
  std::size_t values = 0;        // strings, numbers, literals, containers
  std::size_t containers = 0;    // objects and arrays
  std::size_t structurals = 0;   // {}[],: and the first byte of every scalar
  std::size_t string_bytes = 0;  // all strings, as written (escapes included)
  std::size_t longest_string = 0, longest_key = 0, longest_number = 0;
  bool big_integer = false;  // an integer literal beyond 64 bits (see widen_big_integers)
  bool too_deep = false;
};

bool integer_beyond_64_bits(std::string_view lit) {
  std::errc ec;
  if (!lit.empty() && lit.front() == '-') {
    std::int64_t v;
    ec = std::from_chars(lit.data(), lit.data() + lit.size(), v).ec;
  } else {
    std::uint64_t v;
    ec = std::from_chars(lit.data(), lit.data() + lit.size(), v).ec;
  }
  return ec == std::errc::result_out_of_range;
}

json_shape prescan(std::string_view s, std::size_t max_depth) {
  json_shape sh;
  std::size_t depth = 0;
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[i];
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r': continue;
      case '{':
      case '[':
        ++sh.values, ++sh.containers, ++sh.structurals;
        if (++depth > sh.depth) sh.depth = depth;
        if (depth > max_depth) {
          sh.too_deep = true;
          return sh;
        }
        continue;
      case '}':
      case ']':
        ++sh.structurals;
        if (depth > 0) --depth;
        continue;
      case ',':
      case ':': ++sh.structurals; continue;
      case '"': {
        std::size_t j = i + 1;
        for (; j < n; ++j) {
          if (s[j] == '\\') ++j;
          else if (s[j] == '"') break;
        }
        const std::size_t len = (j < n ? j : n) - i - 1;
        sh.string_bytes += len;
        ++sh.values, ++sh.structurals;
        std::size_t k = j + 1;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r')) ++k;
        if (k < n && s[k] == ':') sh.longest_key = std::max(sh.longest_key, len);
        else sh.longest_string = std::max(sh.longest_string, len);
        i = j;
        continue;
      }
      default: {
        // A number or a literal: up to the next structural or space.
        std::size_t j = i;
        bool plain = true;  // an integer literal: -?[0-9]+
        while (j < n) {
          const char d = s[j];
          if (d == ',' || d == ']' || d == '}' || d == ':' || d == ' ' || d == '\n' || d == '\r' ||
              d == '\t' || d == '"' || d == '{' || d == '[')
            break;
          if (!((d >= '0' && d <= '9') || (d == '-' && j == i))) plain = false;
          ++j;
        }
        const std::size_t len = j - i;
        ++sh.values, ++sh.structurals;
        if (c == '-' || (c >= '0' && c <= '9')) {
          sh.longest_number = std::max(sh.longest_number, len);
          if (plain && len >= 19 && integer_beyond_64_bits(s.substr(i, len))) sh.big_integer = true;
        }
        i = j - 1;
        continue;
      }
    }
  }
  return sh;
}

// The bytes a parse of `size` bytes with shape `sh` touches: simdjson's padded copy of the
// input, its structural index (4 bytes per structural), its tape (8 bytes per scalar, 16 per
// number and per container) and string buffer (each string plus a length and a NUL), a widened
// copy for big integers; then the walker's output (each record's canonical attrs text, at most
// the input again) and its level buffers (the same bound). Generous on purpose: it is what
// the budget admits, and RSS must stay under it.
std::size_t parse_cost(std::size_t size, const json_shape& sh) {
  const std::size_t padded = size + 64;
  return padded + 4 * (sh.structurals + 1) + 16 * (sh.values + 2) + sh.string_bytes +
         5 * sh.values + (sh.big_integer ? padded + 2 * sh.values : 0) + 2 * padded + 64 * 1024;
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
  if (max_bytes == 0 || max_depth < 8 || max_records == 0 || max_attributes == 0 ||
      max_values == 0 || max_string == 0 || max_key == 0 || max_number < 24)
    return make_error(errc::invalid_argument,
                      "otlp_decode_limits: max_bytes, max_records, max_attributes, max_values, "
                      "max_string, max_key > 0, max_number >= 24 and max_depth >= 8");
  return {};
}

result<otlp_logs> otlp_decoder::decode_records(std::string_view body,
                                               const memory_admit* admit_fn) const noexcept try {
  if (body.size() > limits_.max_bytes)
    return make_error(errc::limit_exceeded, "request: " + std::to_string(body.size()) +
                                                " bytes > limit " +
                                                std::to_string(limits_.max_bytes));
  // What nlohmann::json::parse accepted: a UTF-8 BOM first, and a NUL byte as the end of input
  // (inside a string a NUL is invalid either way, and the cut leaves the string unterminated).
  std::string_view text = body;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (auto nul = text.find('\0'); nul != std::string_view::npos) text = text.substr(0, nul);

  // Everything the parse will cost is known before it allocates: depth, element counts, the
  // longest string, key and number. Limits are checked on these, then the memory is admitted.
  const json_shape sh = prescan(body, limits_.max_depth);
  if (sh.too_deep)
    return make_error(errc::limit_exceeded,
                      "request: nesting deeper than " + std::to_string(limits_.max_depth));
  auto over = [](const char* what, std::size_t got, std::size_t lim) {
    return make_error(errc::limit_exceeded, std::string("request: ") + what + " " +
                                                std::to_string(got) + " > limit " +
                                                std::to_string(lim));
  };
  if (sh.values > limits_.max_values) return over("JSON values", sh.values, limits_.max_values);
  if (sh.longest_string > limits_.max_string)
    return over("string bytes", sh.longest_string, limits_.max_string);
  if (sh.longest_key > limits_.max_key) return over("key bytes", sh.longest_key, limits_.max_key);
  if (sh.longest_number > limits_.max_number)
    return over("number characters", sh.longest_number, limits_.max_number);
  if (auto e = admit(admit_fn, parse_cost(text.size(), sh)); e != errc::ok)
    return make_error(e, e == errc::unavailable
                             ? "request: memory budget busy, retry later"
                             : "request: parsing it would not fit the memory budget");

  thread_local scratch tls;
  // A large request gets a parser of its own, freed when it is done, so a worker thread keeps
  // at most the buffers of a 1 MiB request (a fixed overhead, docs: README "Collector memory").
  std::unique_ptr<scratch> big;
  scratch& s = text.size() > (1u << 20) ? *(big = std::make_unique<scratch>()) : tls;
  // An integer literal beyond 64 bits is widened before the one parse (nlohmann read it as a
  // double; simdjson refuses it). The copy is within the admitted cost.
  if (sh.big_integer && widen_big_integers(text, s.widened)) text = s.widened;
  // The pre-scan decided the depth, so the parser gets one level more than the limit: a
  // document within the limit is never refused for its depth by simdjson's own accounting.
  element root;
  if (s.parser.max_depth() != limits_.max_depth + 1 || s.parser.capacity() < text.size()) {
    if (s.parser.allocate(std::max(text.size(), s.parser.capacity()), limits_.max_depth + 1) !=
        simdjson::SUCCESS)
      return make_error(errc::internal, "request: cannot allocate the parser");
  }
  auto perr = s.parser.parse(text.data(), text.size()).get(root);
  if (perr != simdjson::SUCCESS) return make_error(errc::parse_error, "request: not valid JSON");
  if (root.type() != element_type::OBJECT) return bad("request", "not a JSON object");

  otlp_logs out;
  element rls;
  if (!field(sj::obj(root), "resourceLogs", rls)) return out;  // an empty request is valid OTLP
  if (rls.type() != element_type::ARRAY) return bad("resourceLogs", "not an array");
  walker w(limits_, s.levels);
  std::map<std::string, std::string, std::less<>> resource;  // key -> canonical value
  bool seen_install = false, seen_erasure_key = false;
  std::optional<std::string> erasure_key;
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
        if (e.key == "veil.install") {
          auto v = e.is_str ? std::optional<std::string>(std::string(e.str)) : std::nullopt;
          if (seen_install && v != out.install) out.mixed_install = true;
          seen_install = true;
          out.install = std::move(v);
        }
        if (e.key == "veil.erasure_key") {
          auto v = e.is_str ? std::optional<std::string>(std::string(e.str)) : std::nullopt;
          if (seen_erasure_key && v != erasure_key) out.mixed_erasure_key = true;
          seen_erasure_key = true;
          erasure_key = std::move(v);
        }
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
