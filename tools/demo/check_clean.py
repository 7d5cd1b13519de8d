#!/usr/bin/env python3
"""check_clean.py - checks cleaned output against make_events.py's truth (no ../shared needed).

    check_clean.py --truth truth.json --clean clean.jsonl [--min-benign 95] [--max-leaks 0]

Leak: a planted personal string found in the output as is, lower-cased, or (for values with
>= 7 digits) as its digit run inside the output's digit runs; also md5/sha1/sha256 hex of it.
Benign: share of planted benign strings present in the output. Expectations: derived values
(e.g. remote_country) at their line. Prints one summary line; exit 1 on more than --max-leaks
leaks (default 0: any leak) or a shortfall.
"""
import argparse
import hashlib
import json
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--clean", required=True)
    ap.add_argument("--min-benign", type=float, default=95.0)
    ap.add_argument("--min-expect", type=float, default=95.0)
    ap.add_argument("--max-leaks", type=int, default=0)
    a = ap.parse_args()
    truth = json.load(open(a.truth, encoding="utf-8"))
    lines = open(a.clean, encoding="utf-8").read().splitlines()
    text = "\n".join(lines)
    low = text.lower()
    digit_runs = set()
    for ln in lines:
        for m in re.finditer(r"(?<![0-9a-fA-F])[\d][\d\s().\-]{5,}[\d](?![0-9a-fA-F])", ln):
            digit_runs.add(re.sub(r"\D", "", m.group(0)))
    leaks = []
    for p in truth["pii"]:
        hit = p in text or p.lower() in low
        d = re.sub(r"\D", "", p)
        is_ip = re.fullmatch(r"\d+\.\d+\.\d+\.\d+", p) is not None  # IPs are matched as text only
        if not hit and len(d) >= 7 and not re.search(r"[a-zA-Z]", p) and not is_ip:
            hit = any(d in r for r in digit_runs)
        if not hit:
            for h in (hashlib.md5, hashlib.sha1, hashlib.sha256):
                if h(p.encode()).hexdigest()[:16] in low:
                    hit = True
        if hit:
            leaks.append(p)
    benign = truth["benign"]
    kept = [b for b in benign if b in text]
    events = [json.loads(x) for x in lines]
    ok_exp = 0
    for idx, path, want in truth["expect"]:
        cur = events[idx] if idx < len(events) else {}
        for part in path.split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
        ok_exp += cur == want
    bpct = 100.0 * len(kept) / max(1, len(benign))
    epct = 100.0 * ok_exp / len(truth["expect"]) if truth["expect"] else 100.0
    for p in leaks[:20]:
        print(f"LEAK: {p!r}")
    for b in [b for b in benign if b not in text][:20]:
        print(f"LOST: {b!r}")
    print(f"leaks={len(leaks)} benign_kept={bpct:.1f} expectations={epct:.1f}")
    sys.exit(0 if len(leaks) <= a.max_leaks and bpct >= a.min_benign and epct >= a.min_expect else 1)


if __name__ == "__main__":
    main()
