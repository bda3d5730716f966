#!/usr/bin/env python3
"""Checks a JUnit file written by siospec against the result it was rendered
from: one testsuite per group with the group's cases, one testcase per entry
(name = id, classname = group, time = duration), the element each verdict maps
to, and the counts on every testsuite and on testsuites.

usage: check_junit.py RESULT.json JUNIT.xml
Exit 0 when every check holds, 1 otherwise (each problem printed).
"""
import collections
import json
import sys
import xml.etree.ElementTree as ET

FAILURES = ("FAIL", "NON-STRICT", "XPASS")
ERRORS = ("ERROR", "NOT-RUN")
SKIPPED = ("SKIP", "XFAIL")


def expected_counts(cases):
    v = collections.Counter(c["verdict"] for c in cases)
    return {
        "tests": len(cases),
        "failures": sum(v[k] for k in FAILURES),
        "errors": sum(v[k] for k in ERRORS),
        "skipped": sum(v[k] for k in SKIPPED),
    }


def check_counts(where, elem, want, problems):
    for k, n in want.items():
        got = elem.get(k)
        if got is None or int(got) != n:
            problems.append("%s: %s=%s, expected %d" % (where, k, got, n))


def one_line(s):
    """The writer's one-line form: controls as C escapes, the characters XML
    cannot hold (U+FFFE, U+FFFF) left out."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        elif o not in (0xFFFE, 0xFFFF):
            out.append(ch)
    return "".join(out)


def check_case(c, tc, problems):
    cid, v = c["id"], c["verdict"]
    kids = [k for k in tc if k.tag in ("failure", "error", "skipped")]
    want_time = "%d.%03d" % divmod(c["duration_ms"], 1000)
    if tc.get("time") != want_time:
        problems.append("%s: time %s, expected %s" % (cid, tc.get("time"), want_time))
    if tc.get("classname") != c["group"]:
        problems.append("%s: classname %s, expected %s" % (cid, tc.get("classname"), c["group"]))
    tags = [k.tag for k in kids]
    if v in ("PASS", "INFO"):
        if tags:
            problems.append("%s: %s but has %s" % (cid, v, tags))
        if v == "INFO" and tc.find("system-out") is None:
            problems.append("%s: INFO without system-out" % cid)
        return
    want_tag = "failure" if v in FAILURES else "error" if v in ERRORS else "skipped"
    if tags != [want_tag]:
        problems.append("%s: %s maps to %s, expected [%s]" % (cid, v, tags, want_tag))
        return
    k = kids[0]
    msg = k.get("message") or ""
    if v in ("FAIL", "NON-STRICT"):
        if k.get("type") != c["level"]:
            problems.append("%s: failure type %s, expected the level %s" % (cid, k.get("type"), c["level"]))
        line = one_line(c["reason"])
        if len(line) < 1900 and msg != line:
            problems.append("%s: message %r, expected the reason %r" % (cid, msg[:200], line[:200]))
    elif v == "XPASS" and k.get("type") != "XPASS":
        problems.append("%s: XPASS with type %s" % (cid, k.get("type")))
    elif v == "XFAIL":
        base = one_line(c["baseline"] or "")
        if not base or (len(base) < 1800 and base not in msg):
            problems.append("%s: XFAIL message %r lacks the baseline reason %r" % (cid, msg[:200], base[:200]))
    elif v == "SKIP":
        line = one_line(c["reason"])
        if len(line) < 1900 and msg != line:
            problems.append("%s: SKIP message %r, expected %r" % (cid, msg[:200], line[:200]))
    elif v == "ERROR" and k.get("type") != "ERROR":
        problems.append("%s: ERROR with type %s" % (cid, k.get("type")))
    if v in FAILURES + ERRORS and not (k.text or "").strip():
        problems.append("%s: %s without details" % (cid, want_tag))


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    root = ET.parse(argv[2]).getroot()
    problems = []
    cases = doc["cases"]
    if root.tag != "testsuites":
        problems.append("root is <%s>, expected <testsuites>" % root.tag)
    check_counts("testsuites", root, expected_counts(cases), problems)
    summary = doc["summary"]
    if summary.get("total") != len(cases):
        problems.append("the result's summary total %s != %d cases" % (summary.get("total"), len(cases)))
    by_group = collections.OrderedDict()
    for c in cases:
        by_group.setdefault(c["group"], []).append(c)
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    if names != list(by_group):
        problems.append("testsuites %s, expected the groups %s" % (names, list(by_group)))
    seen = set()
    for s in suites:
        group = by_group.get(s.get("name"), [])
        check_counts("testsuite %s" % s.get("name"), s, expected_counts(group), problems)
        tcs = s.findall("testcase")
        if [t.get("name") for t in tcs] != [c["id"] for c in group]:
            problems.append("testsuite %s: testcases differ from the group's cases" % s.get("name"))
            continue
        for c, tc in zip(group, tcs):
            seen.add(c["id"])
            check_case(c, tc, problems)
    missing = [c["id"] for c in cases if c["id"] not in seen]
    if missing:
        problems.append("%d entries have no testcase, e.g. %s" % (len(missing), missing[:3]))
    for p in problems[:50]:
        print(p)
    v = collections.Counter(c["verdict"] for c in cases)
    print("check_junit: %s: %d testsuites, %d testcases (%s): %s" % (
        argv[2], len(suites), len(cases), ", ".join("%s %d" % kv for kv in sorted(v.items())),
        "%d problems" % len(problems) if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
