// Fuzz target: bytes -> crash::import_platform_report (tombstone or .ips parsing).
// Invariants: never crashes or throws; an imported report is one JSON object with a signal or
// exception, 1-24 frames each with module and offset, and every kept string within the
// collector's limits (256 bytes for kept fields, 4 KiB for the message); a refusal has a
// message.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "agent/crash/crash_import.hpp"
#include "agent/crash/crash_scrub.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace veil::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto r = crash::import_platform_report(in, crash::scrub_text_noexcept, "5.6.12");
  if (!r) {
    VEIL_FUZZ_CHECK(!r.err().message.empty(), "a refusal says why");
    return 0;
  }
  auto j = nlohmann::json::parse(r->attrs_json, nullptr, false);
  VEIL_FUZZ_CHECK(j.is_object(), "attrs are one JSON object");
  VEIL_FUZZ_CHECK(j.contains("signal") || j.contains("exception_type"), "signal or exception");
  VEIL_FUZZ_CHECK(j["frames"].is_array() && !j["frames"].empty() && j["frames"].size() <= 24,
                  "1-24 frames");
  for (const auto& f : j["frames"]) {
    VEIL_FUZZ_CHECK(f.contains("module") && f.contains("offset"), "frame has module and offset");
    for (const auto& [k, v] : f.items())
      if (v.is_string())
        VEIL_FUZZ_CHECK(v.get_ref<const std::string&>().size() <= 256, "frame field length");
  }
  for (const auto& [k, v] : j.items())
    if (v.is_string())
      VEIL_FUZZ_CHECK(v.get_ref<const std::string&>().size() <= (k == "message" ? 4096u : 256u),
                      "field length");
  return 0;
}
