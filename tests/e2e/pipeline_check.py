#!/usr/bin/env python3
"""pipeline_check.py - helpers of the agent -> collector -> sink e2e tests (pipeline_test.sh).

    pipeline_check.py expected RAW.jsonl POLICY GRANT
        {"by_category": {cat: n}, "allowed": n, "not_consented": n, "unknown": n, "malformed": n}: what the
        policy and consent let through (events of a known type whose category is granted).
    pipeline_check.py dump sqlite DB_PATH OUT.jsonl
    pipeline_check.py dump clickhouse HTTP_PORT DB OUT.jsonl
        Writes every stored row as one JSON object per line (attrs parsed) and prints
        {"rows", "by_category", "by_install", "quarantine"}.
    pipeline_check.py grep-values TRUTH.json FILE...
        The shared corpus' truth (events[].pii[].value) or make_events.py's (pii[]): counts values of >= 6 characters found
        raw or lower-cased in the files' bytes. Exit 1 on any.
Standard library only.
"""
import collections
import re
import json
import os
import sqlite3
import sys
import urllib.parse
import urllib.request


def expected(raw, policy, grant):
    cats = {t: e["category"] for t, e in json.load(open(policy))["events"].items()}
    granted = set(grant.split(","))
    by_cat, nc, unknown, malformed = collections.Counter(), 0, 0, 0
    for line in open(raw, encoding="utf-8", errors="replace"):
        try:
            t = json.loads(line).get("type")
        except (ValueError, AttributeError):
            malformed += 1
            continue
        if t not in cats:
            unknown += 1
        elif cats[t] in granted:
            by_cat[cats[t]] += 1
        else:
            nc += 1
    print(json.dumps({"by_category": dict(by_cat), "allowed": sum(by_cat.values()), "not_consented": nc,
                      "unknown": unknown, "malformed": malformed}, sort_keys=True))


def ch_query(port, sql):
    url = f"http://127.0.0.1:{port}/?" + urllib.parse.urlencode({"query": sql})
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def dump(kind, where, out):
    rows, quarantine = [], 0
    if kind == "sqlite":
        db = sqlite3.connect(where[0])
        for t, ts, c, inst, a in db.execute("SELECT type, ts, category, install, attrs FROM events ORDER BY id"):
            rows.append({"type": t, "ts": ts, "category": c, "install": inst, "attrs": json.loads(a)})
        quarantine = db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    else:
        port, name = where
        for line in ch_query(port, f"SELECT type, ts, category, install, attrs FROM {name}.events "
                                   "FORMAT JSONEachRow").splitlines():
            r = json.loads(line)
            r["attrs"] = json.loads(r["attrs"])
            rows.append(r)
        quarantine = int(ch_query(port, f"SELECT count() FROM {name}.quarantine").strip() or 0)
    with open(out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    print(json.dumps({"rows": len(rows), "by_category": dict(collections.Counter(r["category"] for r in rows)),
                      "by_install": dict(collections.Counter(r["install"] for r in rows)),
                      "quarantine": quarantine}, sort_keys=True))


TOKEN_RE = re.compile(rb"(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{32})(?![0-9a-f])")


def grep_values(truth, files):
    t = json.load(open(truth, encoding="utf-8"))
    if "events" in t:  # the shared corpus
        vals = {p["value"] for e in t["events"] for p in (e.get("pii") or []) if isinstance(p.get("value"), str)}
    else:  # tools/demo/make_events.py
        vals = set(t["pii"])
    vals = sorted(v for v in vals if len(v) >= 6)
    needles = {v.encode() for v in vals} | {v.lower().encode() for v in vals}
    found = 0
    for path in files:
        data = open(path, "rb").read()
        # Keyed tokens (32 or 64 lowercase hex: pseudonyms, erasure keys, batch ids) are random:
        # about one run in four, one of the ~1600 stored tokens contains one of the corpus'
        # 6-digit values by chance (27 places x 97 all-hex values / 16^6). They are masked;
        # a value that itself has a token's shape is still searched in the unmasked bytes.
        masked = TOKEN_RE.sub(b"#", data)
        for n in needles:
            if n in (data if TOKEN_RE.fullmatch(n) else masked):
                found += 1
                print(f"LEAK in {os.path.basename(path)}: a planted value of {len(n)} bytes", file=sys.stderr)
    print(f"{len(vals)} planted values searched in {len(files)} files: {found} found")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "expected":
        expected(*sys.argv[2:5])
    elif cmd == "dump":
        dump(sys.argv[2], sys.argv[3:-1], sys.argv[-1])
    elif cmd == "grep-values":
        grep_values(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(f"pipeline_check.py: unknown command {cmd}")
