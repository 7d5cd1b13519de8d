#!/usr/bin/env bash
# tools/wordlist/gen_wordlist.py, the build step behind VEIL_WORD_LANGS (docs/mobile.md, "Size"):
# fewer languages give a smaller table, the table records what it holds, and an unknown
# language is refused with its name before anything is written.
. "$(dirname "$0")/lib.sh"
S=${VEIL_SOURCE_DIR:?}
G=(python3 "$S/tools/wordlist/gen_wordlist.py" --keywords "$S/agent/policy/scanner/keywords.txt")
if "${G[@]}" --langs en --out "$T/en.cpp" 2> "$T/err" &&
   grep -q "words (en + [0-9]* keywords)" "$T/en.cpp"; then
  pass "an English-only table is generated and says so"
else
  fail "English-only table: $(cat "$T/err")"
fi
words=$(sed -n 's/^extern const std::size_t entries = \([0-9]*\);/\1/p' "$T/en.cpp")
if [ -n "$words" ] && [ "$words" -gt 50000 ] && [ "$words" -lt 200000 ]; then
  pass "English-only table holds $words fingerprints (all eight languages: 2.5 M)"
else
  fail "English-only table holds '${words}' fingerprints"
fi
expect_rc 1 "an unknown language is refused" -- "${G[@]}" --langs en,xx --out "$T/xx.cpp"
expect_grep "$T/err" "unknown language 'xx'" "the refusal names the language"
if [ ! -e "$T/xx.cpp" ]; then pass "nothing is written for a refused list"; else fail "xx.cpp written"; fi
finish
