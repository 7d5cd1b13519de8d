#!/usr/bin/env python3
"""Layering check: reads the include graph of the tree and fails when a folder includes one it
may not depend on, or a third-party header outside the folders allowed to use it.

Usage: scripts/check_layering.py [ROOT] [--expect-violations N]
  ROOT defaults to the repository this script lives in. Prints one line per violation
  (file:line: what and why) and exits 1 if there are any; with --expect-violations N it exits 0
  only if exactly N violations were found (the self-test on tests/layering/bad uses this, so the
  checker itself is tested for failing).

The rules mirror the CMake link units (docs/architecture.md): veil_core = core, platform,
crypto, policy, aggregate; veil_wire = wire; veil_agent_obj = consent, spool, upload, rights, pipeline, crash, api; the
collector library links only veil_core and the wire reader, so it may not include the agent
runtime. Public headers (include/veil) include only each other.
"""
import os
import re
import sys

# Which folders each folder may include (besides itself and include/veil).
AGENT = ["agent/core", "agent/platform", "agent/crypto", "agent/policy", "agent/wire",
         "agent/consent", "agent/spool", "agent/upload", "agent/rights", "agent/pipeline",
         "agent/crash", "agent/api"]
ALLOWED = {
    "include/veil": [],
    "agent/core": [],
    "agent/platform": ["agent/core"],
    "agent/crypto": ["agent/core", "agent/platform"],
    "agent/policy": ["agent/core", "agent/platform", "agent/crypto", "agent/aggregate"],
    # Local differential privacy and on-device aggregates (pure math over crypto's randomness).
    "agent/aggregate": ["agent/core", "agent/platform", "agent/crypto"],
    "agent/wire": ["agent/core"],
    "agent/consent": ["agent/core", "agent/platform"],
    "agent/spool": ["agent/core", "agent/platform", "agent/crypto"],
    "agent/upload": ["agent/core", "agent/platform", "agent/crypto", "agent/wire"],
    "agent/rights": ["agent/core", "agent/platform", "agent/crypto"],
    "agent/pipeline": AGENT[:9] + ["agent/aggregate"],
    "agent/crash": ["agent/core", "agent/platform", "agent/policy"],
    "agent/api": AGENT[:11] + ["agent/aggregate"],
    # The collector links veil_core and the wire reader only: no agent runtime.
    "tools/collector": ["agent/core", "agent/platform", "agent/crypto", "agent/policy",
                        "agent/wire", "agent/aggregate"],
    "tools/veil": AGENT + ["agent/aggregate", "tools/collector"],
    "tools/bench": AGENT + ["agent/aggregate", "tools/collector", "tests/support"],
    "tools/example_softphone": [],
    # The build-time generator of the phone table: libphonenumber only, never the agent.
    "tools/phonetable": [],
}
# Third-party headers (by include prefix) and the folders that may include them.
THIRD_PARTY = {
    # tools/collector: Ed25519 verification of device proofs (device_proof.cpp), public keys only.
    "sodium": ["agent/crypto"],
    "zstd": ["agent/wire"],
    "zdict": ["agent/wire"],
    "boost/beast": ["agent/upload", "tools/collector"],
    "boost/stacktrace": ["agent/crash"],
    "boost/asio": ["agent/upload", "agent/pipeline", "tools/collector"],
    "sqlite3": ["tools/collector", "tools/bench"],
    "openssl": ["agent/upload", "tools/collector"],
    "phonenumbers": ["agent/policy", "tools/phonetable"],
}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXT = (".c", ".cpp", ".h", ".hpp")


def unit_of(rel):
    """The folder a repo-relative path belongs to, or None if the rules do not cover it."""
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] in ("agent", "tools", "tests"):
        return "/".join(parts[:2])
    if len(parts) >= 2 and parts[0] == "include":
        return "include/veil"
    return None


def check(root):
    violations = []
    for top in ("agent", "include", "tools"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(SOURCE_EXT):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                unit = unit_of(rel)
                if unit is None:
                    continue
                if unit not in ALLOWED:
                    violations.append(f"{rel}: folder {unit} has no layering rule; add one")
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE_RE.match(line)
                        if not m:
                            continue
                        kind, inc = m.groups()
                        where = f"{rel}:{lineno}"
                        if kind == '"':
                            if inc.startswith("veil/"):
                                continue  # the public API, which includes nothing private
                            target = unit_of(inc)
                            if target is None:
                                continue  # a path relative to the file's own folder
                            if target != unit and target not in ALLOWED[unit]:
                                violations.append(
                                    f"{where}: {unit} may not include {inc} ({target} is not "
                                    f"below it)")
                        else:
                            for prefix, users in THIRD_PARTY.items():
                                if (inc == prefix or inc.startswith(prefix + "/")
                                        or inc.startswith(prefix + ".")) and unit not in users:
                                    violations.append(
                                        f"{where}: <{inc}> is only for {', '.join(users)}")
    return violations


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    expect = None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--expect-violations":
            if not args or not args[0].isdigit():
                print("check_layering: --expect-violations needs a number", file=sys.stderr)
                return 2
            expect = int(args.pop(0))
        elif a.startswith("-"):
            print(f"check_layering: unknown option {a}", file=sys.stderr)
            return 2
        else:
            root = a
    if not os.path.isdir(os.path.join(root, "agent")):
        print(f"check_layering: {root} has no agent/ folder", file=sys.stderr)
        return 2
    violations = check(root)
    for v in violations:
        print(v)
    if expect is not None:
        ok = len(violations) == expect
        print(f"check_layering: {len(violations)} violations, expected {expect}: "
              f"{'ok' if ok else 'FAIL'}")
        return 0 if ok else 1
    print(f"check_layering: {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
