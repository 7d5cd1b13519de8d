// Differential fuzz target: the free-text scanner against its reference build, in which every
// fast path is off (tests/fuzz/reference_scanner.cpp). Invariant: the same output and the same
// counts by class -- for the whole input with the default-deny classifier and without it, and
// for the input scrubbed line by line with a text_memory, as `veil scrub --text` does. A fast
// path that decides a case differently from the detectors it short-cuts fails here.
#include <cstring>
#include <string>
#include <string_view>

#include "agent/policy/text_scanner.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace veil::detail::reference {
void scrub(std::string_view in, std::string& out, redaction_counts& counts, bool deny,
           text_memory* memory);
}  // namespace veil::detail::reference

using namespace veil::detail;

namespace {
bool same(const redaction_counts& a, const redaction_counts& b) { return a.by_class == b.by_class; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const text_scanner scanner;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  for (const bool deny : {true, false}) {
    std::string fast, ref;
    redaction_counts cf, cr;
    scanner.scrub(in, fast, cf, deny);
    reference::scrub(in, ref, cr, deny, nullptr);
    VEIL_FUZZ_CHECK(fast == ref, "fast paths change the output");
    VEIL_FUZZ_CHECK(same(cf, cr), "fast paths change the counts");
  }
  // Line by line with the stream's memory.
  text_memory mf, mr;
  std::string fast, ref;
  redaction_counts cf, cr;
  std::size_t b = 0;
  while (b < size) {
    const void* nl = std::memchr(in.data() + b, '\n', size - b);
    const std::size_t e =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - in.data()) + 1 : size;
    scanner.scrub(in.substr(b, e - b), fast, cf, mf);
    reference::scrub(in.substr(b, e - b), ref, cr, true, &mr);
    b = e;
  }
  VEIL_FUZZ_CHECK(fast == ref, "fast paths change the output of a stream");
  VEIL_FUZZ_CHECK(same(cf, cr), "fast paths change the counts of a stream");
  return 0;
}
