// Fuzz target: one JSONL line -> event_parser::parse (and parse_parts on its attrs).
// Invariants: never crashes or throws (UBSan in the fuzz build); an accepted event has a dotted
// type within the limit, ts not before the year 0 (RFC 3339 before 1970 is negative; epoch ms
// numbers up to INT64_MAX are accepted), and an object attrs; simdjson accepting a line
// implies nlohmann accepts it too (both are strict RFC 8259 parsers with UTF-8 validation).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "agent/core/event_parser.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace veil::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static event_parser parser;
  // simdjson reads up to SIMDJSON_PADDING past the end only with its own padded strings;
  // parse(const char*, len) copies when the input is not padded, so pass the bytes as they are.
  std::string_view line(reinterpret_cast<const char*>(data), size);
  raw_event ev;
  parse_failure fail;
  if (parser.parse(line, ev, fail)) {
    VEIL_FUZZ_CHECK(!ev.type.empty() && ev.type.size() <= parser.limits().max_type_bytes,
                    "type length");
    for (char c : ev.type)
      VEIL_FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                          c == '.' || c == '_' || c == '-',
                      "type charset");
    VEIL_FUZZ_CHECK(ev.ts_ms >= -62167219200000 - 86400000, "ts in range");
    if (ev.has_attrs)
      VEIL_FUZZ_CHECK(ev.attrs.type() == simdjson::dom::element_type::OBJECT, "attrs object");
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r'))
      trimmed.remove_suffix(1);
    auto j = nlohmann::json::parse(trimmed, nullptr, false);
    VEIL_FUZZ_CHECK(!j.is_discarded() && j.is_object(), "simdjson accepted what nlohmann rejects");
    // Re-parse the attrs alone through the record() path.
    std::string attrs = ev.has_attrs ? simdjson::minify(ev.attrs) : std::string();
    std::string type(ev.type);
    std::int64_t ts = ev.ts_ms;
    raw_event ev2;
    bool ok2 = parser.parse_parts(type, ts, attrs, ev2, fail);
    VEIL_FUZZ_CHECK(ok2, "parse_parts rejects the attrs parse accepted");
    VEIL_FUZZ_CHECK(ev2.type == type && ev2.ts_ms == ts, "parse_parts envelope");
  } else {
    VEIL_FUZZ_CHECK(!fail.message.empty(), "rejection has a message");
  }
  return 0;
}
