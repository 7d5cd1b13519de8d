// The free-text scanner with every fast path off (reference mode, docs/scanner.md): the same
// source as agent/policy/text_scanner.cpp compiled with VEIL_SCANNER_REFERENCE=1, which turns
// off plain_word(), the key prefilter, the skip of normalisation and the classifier's filters,
// and puts the result in veil::detail::reference::scrub (the classifier in deny_reference), so
// nothing is shared with the library's build but identical inline code. Linked only into the
// differential fuzz target fuzz_text_scanner_diff.
#define VEIL_SCANNER_REFERENCE 1
#include "agent/policy/text_scanner.cpp"  // NOLINT(bugprone-suspicious-include)
