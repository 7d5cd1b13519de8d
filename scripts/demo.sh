#!/usr/bin/env bash
# The main job: Veil end to end on embedded defaults, on one machine.
#   raw softphone events with planted PII (tools/demo/make_events.py)
#   -> a simulated softphone fleet linking libveil through the C ABI (tools/example_softphone)
#   -> veil-collector on 127.0.0.1 (ephemeral port) with the embedded SQLite sink
#   -> veil report (text and HTML), before/after of one event, privacy check, statistics.
# Usage: scripts/demo.sh      (as root on a fresh Debian 12 it installs what is missing first)
# Environment:
#   VEIL_BUILD_DIR   use binaries already built there; skips install-deps and the build
#   VEIL_DEMO_QUICK  1: a smaller fleet and corpus (the ctest form of the demo)
#   VEIL_DEMO_OUT    output directory (default out/demo); VEIL_JOBS: build parallelism (nproc)
# Everything is written under the output directory; nothing listens beyond loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${VEIL_DEMO_OUT:-$ROOT/out/demo}
QUICK=${VEIL_DEMO_QUICK:-0}
GRANT=usage,call_quality,crash,diagnostics   # location is NOT granted
if [ "$QUICK" = 1 ]; then INSTALLS=8; EVENTS=400; AGG_INSTALLS=6; else INSTALLS=25; EVENTS=2500; AGG_INSTALLS=10; fi

section() { printf '\n== %s\n' "$*"; }
die() { echo "demo.sh: $*" >&2; exit 1; }

# ---- 1. dependencies and build ---------------------------------------------------------------
if [ -n "${VEIL_BUILD_DIR:-}" ]; then
  BUILD=$VEIL_BUILD_DIR
else
  section "Dependencies and build (build-demo/)"
  scripts/install-deps.sh
  BUILD=$ROOT/build-demo
  mkdir -p "$BUILD"
  # RelWithDebInfo (-O2): GCC 12 at -O3 prints false -Wrestrict warnings from <string>.
  echo "configure and build (log: $BUILD/build.log) ..."
  if ! { cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVEIL_BUILD_TESTS=OFF -DVEIL_INSTALL=OFF &&
         cmake --build "$BUILD" -j"${VEIL_JOBS:-$(nproc)}" --target veil_cli veil_collector softphone_sim; } \
       >"$BUILD/build.log" 2>&1; then
    tail -30 "$BUILD/build.log" >&2
    die "build failed (full log: $BUILD/build.log)"
  fi
  echo "built veil, veil-collector and softphone_sim"
fi
VEIL=$BUILD/veil
COLLECTOR=$BUILD/veil-collector
SIM=$BUILD/softphone_sim
for b in "$VEIL" "$COLLECTOR" "$SIM"; do [ -x "$b" ] || die "missing binary $b (build failed?)"; done
POLICY=$ROOT/config/policy.json
DICT=$ROOT/config/zstd.dict

rm -rf "$OUT"
mkdir -p "$OUT"
DB=$OUT/events.db

# ---- 2. raw events -----------------------------------------------------------------------------
section "Raw events: $EVENTS softphone events with planted personal data"
python3 tools/demo/make_events.py --seed 7 --count "$EVENTS" --out "$OUT/raw.jsonl" --truth "$OUT/truth.json"
python3 - "$OUT/raw.jsonl" "$OUT/truth.json" "$POLICY" <<'PY'
import collections, json, sys
evs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
pii = json.load(open(sys.argv[2], encoding="utf-8"))["pii"]
cats = {t: e["category"] for t, e in json.load(open(sys.argv[3]))["events"].items()}
n = collections.Counter(e["type"] for e in evs)
print(f"{len(evs)} events of {len(n)} types, {len(pii)} distinct planted personal values -> {sys.argv[1]}")
for t, c in sorted(n.items()):
    print(f"  {t:<20} {c:>5}   category {cats.get(t, '(unknown type)')}")
PY

# ---- 3. collector ------------------------------------------------------------------------------
section "Collector: veil-collector on 127.0.0.1 (ephemeral port), SQLite sink $DB"
"$COLLECTOR" --db "sqlite://$DB" --listen 127.0.0.1:0 --policy "$POLICY" --zstd-dict "$DICT" \
  >"$OUT/collector.out" 2>"$OUT/collector.err" &
CPID=$!
trap 'kill -TERM $CPID 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q '^listening on ' "$OUT/collector.out" 2>/dev/null && break; sleep 0.05; done
grep -q '^listening on ' "$OUT/collector.out" || die "collector did not start: $(cat "$OUT/collector.err")"
PORT=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$OUT/collector.out")
echo "listening on 127.0.0.1:$PORT (pid $CPID)"

# ---- 4. the softphone fleet --------------------------------------------------------------------
section "Softphones: $INSTALLS installs record their day through libveil (consent: $GRANT; NOT location)"
"$SIM" --endpoint "http://127.0.0.1:$PORT" --state-dir "$OUT/phones" --installs "$INSTALLS" \
  --events "$OUT/raw.jsonl" --grant "$GRANT" --policy "$POLICY" --dict "$DICT" --flush-timeout-ms 60000 \
  >"$OUT/softphones.out" 2>"$OUT/softphones.err" || { cat "$OUT/softphones.out" "$OUT/softphones.err"; die "softphone_sim failed"; }
grep -v '^summary: ' "$OUT/softphones.out" | head -5
[ "$INSTALLS" -gt 5 ] && echo "  ... ($INSTALLS installs in all)"
sed -n 's/^summary: //p' "$OUT/softphones.out" > "$OUT/agent-summary.json"
grep -q '"drained":true' "$OUT/agent-summary.json" || die "a spool did not drain: $(cat "$OUT/softphones.err")"
echo "every install's spool drained: all stored records were acknowledged by the collector"

section "Aggregate-mode phones: $AGG_INSTALLS installs send call quality only as anonymous daily statistics"
# The same kind of calls through `veil run` with config/policy-aggregate.json: each install
# folds its calls into daily windows (codec x network x country) and uploads OTLP metrics
# without any install token. The calls are re-dated into the last six days (a window is sent
# once its day is over; events older than the spool's age limit would be refused).
python3 - "$OUT/raw.jsonl" "$OUT/agg-calls.jsonl" <<'PY'
import datetime as dt, json, sys
evs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"call.ended"' in l]
def when(ts):
    if isinstance(ts, int): return dt.datetime.fromtimestamp(ts / 1000, dt.timezone.utc)
    return dt.datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
first = min(when(e["ts"]).date() for e in evs)
today = dt.datetime.now(dt.timezone.utc).date()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for e in evs:
        t = when(e["ts"])
        day = today - dt.timedelta(days=min(6, 7 - (t.date() - first).days))
        e["ts"] = dt.datetime.combine(day, t.time()).strftime("%Y-%m-%dT%H:%M:%SZ")
        f.write(json.dumps(e) + "\n")
print(f"{len(evs)} call.ended events re-dated into the six days before today -> {sys.argv[2]}")
PY
AGG_SENT=0
for n in $(seq 1 "$AGG_INSTALLS"); do
  D=$OUT/agg-phones/install-$n; mkdir -p "$D"
  cat >"$D/agent.json" <<JSON
{"schema":"veil-agent/1","policy_file":"$ROOT/config/policy-aggregate.json","state_dir":"$D/state",
 "service":{"name":"softphone","version":"5.6.12","os":"android"},
 "upload":{"endpoint":"http://127.0.0.1:$PORT","dictionary_file":"$DICT","backoff_floor_ms":100,
           "backoff_cap_ms":500,"max_attempts_per_minute":600},
 "consent":{"granted_by_default":["call_quality"]},"spool":{"sync_each_append":false},
 "shutdown_timeout_ms":5000,"daemon":{"socket":"$D/veil.sock"}}
JSON
  "$VEIL" run --config "$D/agent.json" 2>"$D/daemon.err" &
  DPID=$!
  for _ in $(seq 200); do [ -S "$D/veil.sock" ] && break; sleep 0.05; done
  [ -S "$D/veil.sock" ] || die "aggregate install $n did not start: $(cat "$D/daemon.err")"
  python3 - "$D/veil.sock" "$OUT/agg-calls.jsonl" "$n" "$AGG_INSTALLS" <<'PY'
import json, socket, sys, time
path, src, n, total = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lines = [l for i, l in enumerate(open(src, encoding="utf-8")) if i % total == n - 1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(path)
s.sendall("".join(lines).encode()); s.close()
def stats():
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.settimeout(10); c.connect(path)
    c.sendall(b'{"op":"stats"}\n'); buf = b""
    while not buf.endswith(b"\n"):
        d = c.recv(65536)
        if not d: break
        buf += d
    j = json.loads(buf); return j.get("stats", j)
for _ in range(400):
    a = stats()["aggregate"]
    if a["events_folded"] + stats()["drops"]["too_old"] >= len(lines) and a["windows_waiting"] == 0 and a["open_events"] == 0:
        break
    time.sleep(0.05)
print(f"  install {n}: {a['events_folded']} calls folded, {a['windows_sent']} daily windows sent")
PY
  kill -TERM "$DPID"; wait "$DPID" || die "aggregate install $n exited with an error: $(cat "$D/daemon.err")"
done
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, names = db.execute("SELECT count(*), count(DISTINCT name) FROM metrics").fetchone()
res = db.execute("SELECT count(*) FROM metrics WHERE resource LIKE '%veil.install%'").fetchone()[0]
print(f"  the collector holds {n} metric points of {names} metrics; {res} carry an install token")
PY

curl -fsS "http://127.0.0.1:$PORT/metrics" >"$OUT/collector-metrics.txt" 2>/dev/null || true
kill -TERM "$CPID"
wait "$CPID" || die "collector exited with an error: $(cat "$OUT/collector.err")"
trap - EXIT
echo "collector stopped (SIGTERM)"

# ---- 5. what was stored ------------------------------------------------------------------------
section "Stored: rows per consent category (expected = input events of consented categories)"
python3 - "$OUT/raw.jsonl" "$POLICY" "$DB" "$GRANT" <<'PY'
import collections, json, sqlite3, sys
cats = {t: e["category"] for t, e in json.load(open(sys.argv[2]))["events"].items()}
granted = set(sys.argv[4].split(","))
want = collections.Counter(cats[json.loads(l)["type"]] for l in open(sys.argv[1], encoding="utf-8")
                           if json.loads(l)["type"] in cats)
db = sqlite3.connect(sys.argv[3])
got = dict(db.execute("SELECT category, count(*) FROM events GROUP BY category"))
q = db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
inst = db.execute("SELECT count(DISTINCT install) FROM events").fetchone()[0]
print(f"  {'category':<14} {'consent':<8} {'in input':>8} {'stored':>7}")
for c in sorted(set(want) | set(got)):
    print(f"  {c:<14} {'yes' if c in granted else 'NO':<8} {want[c]:>8} {got.get(c, 0):>7}")
print(f"  {inst} distinct install pseudonyms, {q} records quarantined by the collector's guard")
PY

section "Before / after: one raw call.ended event and the row the collector stored"
python3 - "$OUT/raw.jsonl" "$DB" <<'PY'
import json, sqlite3, sys, textwrap
raw = next(json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if '"call.ended"' in l)
db = sqlite3.connect(sys.argv[2])
row = db.execute("SELECT type, ts, category, install, attrs FROM events WHERE type='call.ended' ORDER BY id LIMIT 1").fetchone()
stored = {"type": row[0], "ts": row[1], "category": row[2], "install": row[3], "attrs": json.loads(row[4])}
W = 62
def lines(obj):
    out = []
    for ln in json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True).splitlines():
        ind = len(ln) - len(ln.lstrip())
        out += textwrap.wrap(ln, W, subsequent_indent=" " * (ind + 4), drop_whitespace=False) or [""]
    return out
a, b = lines(raw), lines(stored)
print(f"{'RAW (what the app passed to veil_agent_record_json)':<{W}} | STORED (SQLite, after agent + collector)")
print("-" * W + "-+-" + "-" * W)
for i in range(max(len(a), len(b))):
    print(f"{(a[i] if i < len(a) else ''):<{W}} | {b[i] if i < len(b) else ''}")
PY
echo "(the first raw call.ended is install 000's first call, stored first; ts is coarsened to the hour,"
echo " 'install' is a keyed pseudonym of the install id, the agent stamps ts at record time)"

# ---- 6. privacy check --------------------------------------------------------------------------
section "Privacy check: planted personal values in the database and the phones' state directories"
python3 - "$OUT/truth.json" "$OUT/phones" "$OUT/agg-phones" "$OUT"/events.db* <<'PY'
import json, os, sys
pii = [p for p in json.load(open(sys.argv[1], encoding="utf-8"))["pii"] if len(p) >= 6]
needles = [p.encode() for p in pii] + [p.lower().encode() for p in pii]
files = []
for root in sys.argv[2:]:
    if os.path.isdir(root):
        files += [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]
    elif os.path.exists(root):
        files.append(root)
leaks = 0
for f in files:
    data = open(f, "rb").read()
    for n in needles:
        if n in data:
            leaks += 1
            print(f"  LEAK in {f}: a planted value of {len(n)} bytes")
print(f"  {len(pii)} planted values (raw and lower-case) searched in {len(files)} files: {leaks} found")
sys.exit(1 if leaks else 0)
PY

# ---- 7. report ---------------------------------------------------------------------------------
section "Report: veil report --db sqlite://$DB (cells under k=5 distinct installs suppressed)"
"$VEIL" report --db "sqlite://$DB"
"$VEIL" report --db "sqlite://$DB" --html "$OUT/report.html" >/dev/null
echo
echo "HTML report: $OUT/report.html"

# ---- 8. statistics -----------------------------------------------------------------------------
section "Agent statistics (summed over the installs' veil_agent_stats_json)"
python3 - "$OUT/agent-summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"  recorded {s['recorded']}, processed {s['processed']}, stored {s['stored']}, "
      f"sent {s['sent']} in {s['batches']} batches, spool left {s['spool_left']}, redactions {s['redactions']}")
d = {k: v for k, v in s["drops"].items() if v}
print("  drops by reason: " + (", ".join(f"{k} {v}" for k, v in sorted(d.items())) or "none"))
PY
section "Scrub statistics (veil scrub over the same raw events with the same policy; no consent gate)"
"$VEIL" scrub --policy "$POLICY" --state-dir "$OUT/scrub-state" --in "$OUT/raw.jsonl" --out "$OUT/scrubbed.jsonl" 2>&1 \
  | sed 's/^veil scrub: /  /'

section "Done"
echo "outputs in $OUT: raw.jsonl, truth.json, events.db, report.html, scrubbed.jsonl, phones/ and agg-phones/ (agent state)"
