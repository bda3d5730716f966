#!/usr/bin/env python3
"""Checks a `siospec run --json` result: valid against
cases/schema/result.schema.json, complete (not partial, every selected case
judged), summary counts equal to the per-case verdicts, and every FAIL /
NON-STRICT / ERROR with a one-line reason.

usage: check_result.py RESULT.json [--clean] [--no-error] [--exit N]
  --clean     no FAIL, ERROR or XPASS (the run was green)
  --no-error  no ERROR (FAILs are findings; ERRORs are siospec not judging)
  --exit N    the exit code recorded in the result must be N
Exit 0 when every check holds, 1 otherwise (each problem printed).
"""
import collections
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "schema", "result.schema.json")


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    problems = []
    v = jsonschema.Draft202012Validator(schema)
    for err in sorted(v.iter_errors(doc), key=lambda e: list(e.path))[:20]:
        problems.append("schema: %s: %s" % ("/".join(map(str, err.path)), err.message[:200]))
    if problems:
        print("\n".join(problems))
        return 1
    cases = doc["cases"]
    counts = collections.Counter(c["verdict"] for c in cases)
    for k, n in doc["summary"].items():
        want = len(cases) if k == "total" else counts.get(k, 0)
        if n != want:
            problems.append("summary %s = %d but the cases say %d" % (k, n, want))
    if doc["partial"]:
        problems.append("the result is partial")
    if counts.get("NOT-RUN"):
        problems.append("%d cases were not run" % counts["NOT-RUN"])
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        problems.append("duplicate case ids")
    for c in cases:
        if c["raw_verdict"] in ("FAIL", "NON-STRICT", "ERROR") and not c["reason"].strip():
            problems.append("%s: %s without a reason" % (c["id"], c["raw_verdict"]))
        if c["raw_verdict"] in ("FAIL", "NON-STRICT") and not (c["expected"] and c["seen"]):
            problems.append("%s: %s without expected/seen" % (c["id"], c["raw_verdict"]))
    args = argv[2:]
    if "--clean" in args:
        for c in cases:
            if c["verdict"] in ("FAIL", "ERROR", "XPASS"):
                problems.append("%s: %s: %s" % (c["id"], c["verdict"], c["reason"][:300]))
    if "--no-error" in args:
        for c in cases:
            if c["verdict"] == "ERROR":
                problems.append("%s: ERROR: %s" % (c["id"], c["reason"][:300]))
    if "--exit" in args:
        want = int(args[args.index("--exit") + 1])
        if doc["exit_code"] != want:
            problems.append("exit_code %d, expected %d" % (doc["exit_code"], want))
    for p in problems:
        print(p)
    print("check_result: %s: %d cases, %s" % (
        argv[1], len(cases), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
