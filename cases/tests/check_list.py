#!/usr/bin/env python3
"""Checks `siospec list --json`: at least MIN entries, unique stable ids of
the form <case>.<polling|ws>, and every entry with a title, requirement,
spec statements, a level, transports and tags.

usage: check_list.py SIOSPEC MIN
"""
import json
import re
import subprocess
import sys

ID = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+\.(polling|ws)$")


def main(argv):
    out = subprocess.run([argv[1], "list", "--json"], check=True, capture_output=True).stdout
    cases = json.loads(out)["cases"]
    problems = []
    if len(cases) < int(argv[2]):
        problems.append("%d entries, expected at least %s" % (len(cases), argv[2]))
    ids = [c["id"] for c in cases]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append("duplicate id " + dup)
    for c in cases:
        if not ID.match(c["id"]):
            problems.append("malformed id " + c["id"])
        for k in ("title", "requirement", "level", "protocol"):
            if not c.get(k):
                problems.append("%s: no %s" % (c["id"], k))
        for k in ("spec", "transports", "tags"):
            if not c.get(k):
                problems.append("%s: empty %s" % (c["id"], k))
        if c["level"] not in ("MUST", "SHOULD", "MAY", "INFO"):
            problems.append("%s: level %s" % (c["id"], c["level"]))
    for p in problems[:50]:
        print(p)
    levels = {}
    for c in cases:
        levels[c["level"]] = levels.get(c["level"], 0) + 1
    print("check_list: %d entries (%s)" % (len(cases), ", ".join(
        "%s %d" % kv for kv in sorted(levels.items()))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
