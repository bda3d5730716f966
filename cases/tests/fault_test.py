#!/usr/bin/env python3
"""The catalogue must be able to fail: runs it against our fault-injection
testee (cases/tests/faulty: the reference server with one injected fault
chosen by SIOSPEC_FAULT) once per fault and once faithful.

- faithful: siospec must exit 0 (every case as expected);
- each fault: siospec must exit 1 (0 when only SHOULD cases catch it:
  NON-STRICT does not fail a run), and every case-id glob listed for the
  fault in expect.tsv must match at least one case that FAILs (or is
  NON-STRICT) beyond the baseline; a fault without an expect.tsv row must
  make at least one case fail;
- a fault listed in uncaught.tsv (fault, reason) is a known gap: the test
  fails once the catalogue catches it, so that the entry gets removed.

usage: fault_test.py SIOSPEC [--faults a,b] [--jobs N] [--timeout-scale X] [--report FILE]
Prints one line per fault and "N passed, N failed" at the end; exit 1 when
any fault went uncaught or the faithful run was not clean.
"""
import fnmatch
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "faulty")


def table(name):
    rows = []
    path = os.path.join(FIX, name)
    if not os.path.exists(path):
        return rows
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("fault\t"):
            continue
        rows.append(line.split("\t"))
    return rows


def run(siospec, fault, args, tmp):
    out = os.path.join(tmp, (fault or "faithful") + ".json")
    env = dict(os.environ, SIOSPEC_FAULT=fault)
    p = subprocess.run([siospec, "run", "--target", os.path.join(FIX, "faulty.json"), "-q",
                        "--json", out] + args, env=env, capture_output=True, text=True,
                       timeout=600)
    try:
        doc = json.load(open(out, encoding="utf-8"))
    except (OSError, ValueError):
        doc = {"cases": []}
    return p.returncode, doc, p.stdout + p.stderr


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    siospec, args = argv[1], ["-j", "16", "--timeout-scale", "1"]
    only, report = None, None
    i = 2
    while i < len(argv):
        if argv[i] == "--faults":
            only = set(argv[i + 1].split(","))
        elif argv[i] == "--jobs":
            args[1] = argv[i + 1]
        elif argv[i] == "--timeout-scale":
            args[3] = argv[i + 1]
        elif argv[i] == "--report":
            report = argv[i + 1]
        else:
            print("fault_test: unknown option " + argv[i])
            return 2
        i += 2
    faults = [r[0] for r in table("faults.tsv")]
    expect = {r[0]: [g for g in r[1].split(",") if g] for r in table("expect.tsv") if len(r) > 1}
    uncaught = {r[0]: r[1] if len(r) > 1 else "" for r in table("uncaught.tsv")}
    if only:
        faults = [f for f in faults if f in only]
    passed = failed = 0
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        rc, doc, log = run(siospec, "", args, tmp)
        bad = [c["id"] + ": " + c["verdict"] + ": " + c["reason"][:200]
               for c in doc["cases"] if c["verdict"] in ("FAIL", "ERROR", "XPASS")]
        ok = rc == 0 and doc["cases"]
        print("%-34s %s (exit %d)" % ("faithful", "ok" if ok else "NOT CLEAN", rc))
        for b in bad[:20]:
            print("    " + b)
        if not doc["cases"]:
            print(log[-2000:])
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
        for f in faults:
            rc, doc, log = run(siospec, f, args, tmp)
            # Failures beyond the target's baseline (XFAIL is the faithful
            # server's own known deviation, not the fault).
            caught = sorted(c["id"] for c in doc["cases"]
                            if c["verdict"] in ("FAIL", "NON-STRICT"))
            missing = [g for g in expect.get(f, []) if not fnmatch.filter(caught, g)]
            # A broken MUST fails the run (exit 1); a broken SHOULD alone is
            # NON-STRICT and the run still exits 0.
            fails = any(c["verdict"] == "FAIL" for c in doc["cases"])
            ok = bool(caught) and not missing and rc == (1 if fails else 0)
            if f in uncaught:
                # A known gap, with its reason: passes while still uncaught,
                # fails once caught so the entry gets removed (a ratchet).
                print("%-34s known gap (%s)%s" % (f, uncaught[f], ": NOW CAUGHT, remove it from "
                                                  "uncaught.tsv" if ok else ""))
                passed, failed = (passed, failed + 1) if ok else (passed + 1, failed)
                lines.append({"fault": f, "caught": bool(ok), "ok": not ok, "failing": caught,
                              "exit": rc, "known_gap": uncaught[f]})
                continue
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
            line = "%-34s %s: %d case(s) fail, exit %d%s; e.g. %s" % (
                f, "caught" if ok else "MISSED", len(caught), rc,
                ("; expected but not failing: " + ",".join(missing)) if missing else "",
                ", ".join(caught[:3]))
            print(line)
            lines.append({"fault": f, "caught": bool(caught), "ok": bool(ok),
                          "failing": caught, "exit": rc})
    if report:
        json.dump(lines, open(report, "w"), indent=1)
    n = len(lines)
    print("fault_test: %d of %d faults caught by the catalogue (%d known gaps)" % (
        sum(1 for l in lines if l["caught"]), n, sum(1 for l in lines if "known_gap" in l)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
