#include "agent/core/event_parser.hpp"

#include "agent/core/simdjson_util.hpp"
#include "agent/core/time_util.hpp"

namespace veil::detail {
namespace {
bool valid_type_name(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

event_parser::event_parser(event_limits lim) : lim_(lim), parser_(lim.max_event_bytes + 1024) {
  // +2: the envelope object and attrs itself do not count towards the attrs depth limit.
  if (parser_.allocate(lim_.max_event_bytes + 1024, lim_.max_depth + 2) != simdjson::SUCCESS) {
    // allocation failure shows up as CAPACITY/MEMALLOC errors on parse(); nothing else to do here
  }
}

bool event_parser::finish(simdjson::error_code err, parse_failure& fail) {
  using simdjson::error_code;
  switch (err) {
    case simdjson::SUCCESS: return true;
    case simdjson::DEPTH_ERROR:
      fail = {drop_reason::too_deep, "nesting deeper than " + std::to_string(lim_.max_depth)};
      return false;
    case simdjson::UTF8_ERROR: fail = {drop_reason::invalid_utf8, "invalid UTF-8"}; return false;
    case simdjson::CAPACITY:
      fail = {drop_reason::too_large,
              "event larger than " + std::to_string(lim_.max_event_bytes) + " bytes"};
      return false;
    case simdjson::EMPTY: fail = {drop_reason::parse_error, "empty line"}; return false;
    default:
      fail = {drop_reason::parse_error,
              std::string("malformed JSON (") + simdjson::error_message(err) + ")"};
      return false;
  }
}

bool event_parser::check_limits(simdjson::dom::element e, std::size_t depth,
                                parse_failure& fail) const {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view s = sj::str(e);
      if (s.size() > lim_.max_string_bytes) {
        fail = {drop_reason::limit_exceeded,
                "string longer than " + std::to_string(lim_.max_string_bytes) + " bytes"};
        return false;
      }
      return true;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array a = sj::arr(e);
      if (a.size() > lim_.max_array_items) {
        fail = {drop_reason::limit_exceeded,
                "array longer than " + std::to_string(lim_.max_array_items) + " items"};
        return false;
      }
      for (auto x : a)
        if (!check_limits(x, depth + 1, fail)) return false;
      return true;
    }
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object o = sj::obj(e);
      for (auto kv : o) {
        if (kv.key.size() > lim_.max_string_bytes) {
          fail = {drop_reason::limit_exceeded,
                  "key longer than " + std::to_string(lim_.max_string_bytes) + " bytes"};
          return false;
        }
        if (!check_limits(kv.value, depth + 1, fail)) return false;
      }
      return true;
    }
    default: return true;
  }
}

bool event_parser::parse(std::string_view json, raw_event& ev, parse_failure& fail) {
  while (!json.empty() && (json.back() == '\n' || json.back() == '\r')) json.remove_suffix(1);
  if (json.size() > lim_.max_event_bytes) {
    fail = {drop_reason::too_large,
            "event larger than " + std::to_string(lim_.max_event_bytes) + " bytes"};
    return false;
  }
  simdjson::dom::element doc;
  if (!finish(parser_.parse(json.data(), json.size()).get(doc), fail)) return false;
  simdjson::dom::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    fail = {drop_reason::bad_envelope, "event is not a JSON object"};
    return false;
  }
  ev = raw_event{};
  bool have_type = false, have_ts = false;
  for (auto kv : root) {
    if (kv.key == "type") {
      if (kv.value.get_string().get(ev.type) != simdjson::SUCCESS) {
        fail = {drop_reason::bad_envelope, "type: not a string"};
        return false;
      }
      have_type = true;
    } else if (kv.key == "ts") {
      auto t = kv.value.type();
      if (t == simdjson::dom::element_type::INT64 || t == simdjson::dom::element_type::UINT64) {
        std::int64_t v = 0;
        if (kv.value.get_int64().get(v) != simdjson::SUCCESS || v < 0) {
          fail = {drop_reason::bad_envelope, "ts: epoch milliseconds out of range"};
          return false;
        }
        ev.ts_ms = v;
      } else if (t == simdjson::dom::element_type::DOUBLE) {
        double d = sj::dbl(kv.value);
        if (!(d >= 0 && d < 9.2e15)) {
          fail = {drop_reason::bad_envelope, "ts: epoch milliseconds out of range"};
          return false;
        }
        ev.ts_ms = static_cast<std::int64_t>(d);
      } else if (t == simdjson::dom::element_type::STRING) {
        std::string_view s = sj::str(kv.value);
        auto ms = parse_rfc3339_ms(s);
        if (!ms) {
          // digits only: epoch ms sent as a string
          bool all_digits = !s.empty() && s.size() <= 16;
          std::int64_t v = 0;
          // Only up to 16 digits are summed: a longer run would overflow v (undefined behaviour).
          for (char c : all_digits ? s : std::string_view()) {
            if (c < '0' || c > '9') {
              all_digits = false;
              break;
            }
            v = v * 10 + (c - '0');
          }
          if (!all_digits) {
            fail = {drop_reason::bad_envelope, "ts: not RFC 3339 or epoch milliseconds"};
            return false;
          }
          ms = v;
        }
        ev.ts_ms = *ms;
      } else {
        fail = {drop_reason::bad_envelope, "ts: must be an RFC 3339 string or epoch milliseconds"};
        return false;
      }
      have_ts = true;
    } else if (kv.key == "attrs") {
      if (kv.value.type() == simdjson::dom::element_type::NULL_VALUE) continue;
      if (kv.value.type() != simdjson::dom::element_type::OBJECT) {
        fail = {drop_reason::bad_envelope, "attrs: not an object"};
        return false;
      }
      ev.attrs = kv.value;
      ev.has_attrs = true;
    }
    // other envelope keys are ignored (default deny: they never reach the output)
  }
  if (!have_type) {
    fail = {drop_reason::bad_envelope, "type: missing"};
    return false;
  }
  if (ev.type.size() > lim_.max_type_bytes || !valid_type_name(ev.type)) {
    fail = {drop_reason::bad_envelope, "type: not a dotted event name"};
    return false;
  }
  if (!have_ts) {
    fail = {drop_reason::bad_envelope, "ts: missing"};
    return false;
  }
  if (ev.has_attrs && !check_limits(ev.attrs, 0, fail)) return false;
  return true;
}

bool event_parser::parse_parts(std::string_view type, std::int64_t ts_ms,
                               std::string_view attrs_json, raw_event& ev, parse_failure& fail) {
  if (attrs_json.size() > lim_.max_event_bytes) {
    fail = {drop_reason::too_large,
            "event larger than " + std::to_string(lim_.max_event_bytes) + " bytes"};
    return false;
  }
  if (type.size() > lim_.max_type_bytes || !valid_type_name(type)) {
    fail = {drop_reason::bad_envelope, "type: not a dotted event name"};
    return false;
  }
  ev = raw_event{};
  type_copy_.assign(type);
  ev.type = type_copy_;
  ev.ts_ms = ts_ms;
  if (attrs_json.empty()) return true;
  simdjson::dom::element doc;
  if (!finish(parser_.parse(attrs_json.data(), attrs_json.size()).get(doc), fail)) return false;
  if (doc.type() == simdjson::dom::element_type::NULL_VALUE) return true;
  if (doc.type() != simdjson::dom::element_type::OBJECT) {
    fail = {drop_reason::bad_envelope, "attrs: not an object"};
    return false;
  }
  ev.attrs = doc;
  ev.has_attrs = true;
  return check_limits(ev.attrs, 0, fail);
}

}  // namespace veil::detail
