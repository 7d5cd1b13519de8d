# Shared helpers for the e2e scripts. Each check prints what failed and keeps a count.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
expect_rc() {  # expect_rc WANT DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -eq "$want" ]; then pass "$what (exit $rc)"; else fail "$what: exit $rc, wanted $want; stderr: $(head -c 400 "$T/err")"; fi
}
wait_line() {  # wait_line FILE PATTERN TRIES: polls every 50 ms for a server's start line
  for _ in $(seq "$3"); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
expect_grep() {  # expect_grep FILE PATTERN DESCRIPTION
  if grep -qE -- "$2" "$1"; then pass "$3"; else fail "$3: /$2/ not in $1: $(head -c 400 "$1")"; fi
}
expect_no_grep() {
  if grep -qE -- "$2" "$1"; then fail "$3: /$2/ found in $1"; else pass "$3"; fi
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export VEIL_STATE_DIR="$T/state"
