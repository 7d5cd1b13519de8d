// Fuzz target: arbitrary bytes -> text_scanner::scrub. Invariants: no crash; output no longer
// than 8 * input + 64 bytes; replacements happen only where the input changed (zero counts
// means the output is the input, byte for byte); scrubbing the output again leaves it as it is
// (placeholders such as "<ip>" and the text the scanner keeps are not personal tokens).
#include <string>
#include <string_view>

#include "agent/policy/text_scanner.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace veil::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const text_scanner scanner;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string out = "prefix";  // scrub() appends
  redaction_counts c;
  scanner.scrub(in, out, c);
  VEIL_FUZZ_CHECK(out.compare(0, 6, "prefix") == 0, "appends only");
  std::string_view got = std::string_view(out).substr(6);
  VEIL_FUZZ_CHECK(got.size() <= size * 8 + 64, "output bounded");
  if (c.total() == 0) VEIL_FUZZ_CHECK(got == in, "unchanged when nothing was counted");
  else VEIL_FUZZ_CHECK(got != in, "changed when something was counted");

  // Scrubbing the output again changes nothing. The stronger "finds no token" does not hold and
  // is not checked: key-based detectors (tag=, branch=, username="…", response="…") replace
  // whatever value follows the key, so a second pass re-counts "tag=<id>" as one id although
  // the bytes stay the same. Counts are statistics; the bytes are what leaves the device.
  std::string again;
  redaction_counts c2;
  scanner.scrub(got, again, c2);
  VEIL_FUZZ_CHECK(again == got, "scrub is idempotent");
  return 0;
}
