#!/usr/bin/env bash
# veil scrub / veil policy check as a user runs them: exit codes, help, bad input by line.
. "$(dirname "$0")/lib.sh"
V=${VEIL_BIN:?}; P="$VEIL_SOURCE_DIR/config/policy.json"

expect_rc 2 "no command" -- "$V"
expect_rc 0 "veil --help" -- "$V" --help
expect_rc 2 "unknown command" -- "$V" frobnicate
expect_rc 0 "scrub --help" -- "$V" scrub --help
expect_grep "$T/out" "usage: veil scrub" "scrub --help prints usage"
expect_rc 0 "policy --help" -- "$V" policy --help
expect_rc 2 "scrub without --policy" -- "$V" scrub
expect_rc 2 "scrub unknown option" -- "$V" scrub --policy "$P" --bogus
expect_grep "$T/err" "unknown option --bogus" "unknown option is named"
expect_rc 1 "scrub with a missing policy file" -- "$V" scrub --policy /nonexistent.json
expect_grep "$T/err" "/nonexistent.json" "missing policy file is named"
expect_rc 1 "scrub with a missing input file" -- "$V" scrub --policy "$P" --in /nonexistent.jsonl
expect_rc 2 "scrub --now garbage" -- "$V" scrub --policy "$P" --now yesterday

# Bad lines are reported by number and reason; the others go through in order.
printf '%s\n' \
  '{"type":"feature.used","ts":"2026-11-29T10:15:07Z","attrs":{"feature":"chat"}}' \
  '{"type":"feature.used","ts":"2026-11-29T10:15:07Z","attrs":{"feature":' \
  '' \
  '{"type":"debug.secret","ts":1,"attrs":{"password":"hunter2"}}' \
  '{"type":"feature.used","ts":"nope","attrs":{"feature":"x"}}' \
  '{"type":"screen.viewed","ts":1795947307123,"attrs":{"screen":"dialer","email":"alice@example.com"}}' \
  > "$T/in.jsonl"
printf '{"type":"feature.used","ts":1,"attrs":{"feature":"\xff"}}\n' >> "$T/in.jsonl"
expect_rc 0 "scrub mixed input" -- "$V" scrub --policy "$P" --in "$T/in.jsonl" --out "$T/clean.jsonl"
cp "$T/err" "$T/summary"
expect_grep "$T/summary" "line 2: rejected: malformed JSON" "line 2 named as malformed"
expect_grep "$T/summary" "line 5: rejected: ts:" "line 5 named for its ts"
expect_grep "$T/summary" "line 7: rejected: invalid UTF-8" "line 7 named as invalid UTF-8"
expect_grep "$T/summary" "unknown_type 1" "unknown type counted"
expect_grep "$T/summary" "field_denied 1" "denied field counted"
expect_no_grep "$T/summary" "hunter2|alice@example.com" "no values in the summary"
[ "$(wc -l < "$T/clean.jsonl")" -eq 2 ] && pass "two events out" || fail "expected 2 lines: $(cat "$T/clean.jsonl")"
expect_grep "$T/clean.jsonl" '^\{"type":"feature.used","ts":"2026-11-29T10:00:00Z","category":"usage","attrs":\{"feature":"chat"\}\}$' "first event cleaned, hour-coarsened"
expect_no_grep "$T/clean.jsonl" "alice@example.com|hunter2" "no PII in output"

# stdin/stdout and the text mode
expect_rc 0 "scrub via stdin" -- bash -c "'$V' scrub --policy '$P' --quiet < '$T/in.jsonl'"
[ "$(wc -l < "$T/out")" -eq 2 ] && pass "stdin path gives 2 lines" || fail "stdin path: $(cat "$T/out")"
printf 'INVITE sip:bob@example.com SIP/2.0\nSIP/2.0 486 Busy Here\n' > "$T/trace.txt"
expect_rc 0 "scrub --text" -- "$V" scrub --text --in "$T/trace.txt"
expect_no_grep "$T/out" "bob@example.com" "text mode removes the SIP user"
[ "$(wc -l < "$T/out")" -eq 2 ] && pass "text mode keeps line count" || fail "text mode lines"
# a value replaced for where it stood on one line is replaced on the next; --paragraphs forgets
# it at a blank line
printf -- '-- Executing [3284@from-internal:1] Dial\npriority=from-internal,3284,1\n\nseen 3284 now\n' > "$T/ast.txt"
expect_rc 0 "scrub --text, memory across lines" -- "$V" scrub --text --quiet --in "$T/ast.txt"
expect_no_grep "$T/out" "3284" "the extension is gone from every line"
expect_rc 0 "scrub --text --paragraphs" -- "$V" scrub --text --paragraphs --quiet --in "$T/ast.txt"
[ "$(grep -c 3284 "$T/out")" -eq 1 ] && expect_grep "$T/out" "^seen 3284 now$" "--paragraphs: the next text is judged alone" \
  || fail "--paragraphs: $(cat "$T/out")"

# policy check
expect_rc 0 "policy check default" -- "$V" policy check "$P"
expect_grep "$T/out" "ok: policy 'veil-default'" "policy check ok line"
echo '{"categories":["usage"],"events":{"a.b":{"category":"nope","fields":{"x":"explode"}}}}' > "$T/bad.json"
expect_rc 1 "policy check invalid" -- "$V" policy check "$T/bad.json"
expect_grep "$T/out" "error: \\$\\.events\\['a\\.b'\\]\\.fields\\['x'\\]: unknown action" "error has its JSON path"
echo '{"categories":["usage"],"events":{"app.started":{"category":"usage","fields":{"email":"keep"}}}}' > "$T/loose.json"
expect_rc 0 "policy check loose" -- "$V" policy check "$T/loose.json"
expect_grep "$T/out" "warning: .*email.*personal" "loose policy warns"
expect_rc 1 "policy check loose --strict" -- "$V" policy check "$T/loose.json" --strict
expect_rc 2 "policy without check" -- "$V" policy "$P"

# explain: the redaction diff of one event, human-readable and JSON; bad input is named
EV='{"type":"account.registered","ts":"2026-12-07T09:00:00Z","attrs":{"username":"bmiller77","error_text":"REGISTER for bmiller77 from 10.1.2.3 failed","made_up":"x"}}'
expect_rc 0 "explain an event" -- "$V" explain --policy "$P" --event "$EV"
expect_grep "$T/out" "attrs.made_up .*dropped" "explain names a field outside the policy"
expect_grep "$T/out" 'ip +"10.1.2.3" -> <ip>' "explain shows a replaced token and its class"
expect_rc 0 "explain --json" -- "$V" explain --policy "$P" --json --event "$EV"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); f=[x for x in r["fields"] if x["field"]=="attrs.error_text"][0]; assert [t["original"] for t in f["tokens"]]==["bmiller77","10.1.2.3"], f' "$T/out" \
  && pass "explain --json tokens" || fail "explain --json tokens: $(cat "$T/out")"
printf '%s\n{"type":\n' "$EV" > "$T/explain.jsonl"
expect_rc 1 "explain --in with a malformed line" -- "$V" explain --policy "$P" --in "$T/explain.jsonl"
expect_grep "$T/out" "error: line 2: malformed JSON" "explain names the bad line"
expect_rc 0 "explain --text" -- "$V" explain --text "from 192.168.1.20 to bob@example.org"
expect_grep "$T/out" 'email +"bob@example.org" -> <email>' "explain --text"
expect_rc 2 "explain without input" -- "$V" explain --policy "$P"

# the pseudonym key file is private
[ "$(stat -c %a "$VEIL_STATE_DIR/pseudonym.key")" = 600 ] && pass "key file 0600" || fail "key file mode"
finish
