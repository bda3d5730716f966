#!/usr/bin/env python3
"""Validate cases/spec/statements.tsv, the table of normative spec statements.

Checks: UTF-8, the exact header, 6 tab-separated columns on every row, ids
that match <doc>:<section-slug>:<n> and are unique, a doc prefix that agrees
with the doc column, a known kind, and a non-empty summary.

usage: check_statements.py [PATH]   (default: statements.tsv next to this file)
Exit status 0 when the table is valid, 1 otherwise (every problem is printed).
"""
import os
import re
import sys

HEADER = ["id", "doc", "section", "kind", "summary", "no_case"]
ID_RE = re.compile(r"^(eio4|eio3|sio5|sio4|ref):[a-z0-9-]+:[0-9]+$")
KINDS = {"MUST", "SHOULD", "MAY", "RULE"}
DOCS = {
    "eio4": "engine.io-protocol/v4-current.md",
    "eio3": "engine.io-protocol/v3.md",
    "sio5": "socket.io-protocol/v5-current.md",
    "sio4": "socket.io-protocol/v4.md",
    # Rules the documents leave out but every client relies on, taken from
    # the reference implementation (protocol-notes); files ref-*.tsv.
    "ref": "reference-behaviour",
}


def check(path):
    errors = []
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        return ["cannot read %s: %s" % (path, e)], 0
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["%s: not valid UTF-8 (byte offset %d)" % (path, e.start)], 0
    if "\r" in text:
        errors.append("%s: contains carriage returns; use LF line endings" % path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return ["%s: empty file" % path], 0
    if lines[0].split("\t") != HEADER:
        errors.append("line 1: header must be %r, got %r" % ("\t".join(HEADER), lines[0]))
    seen = {}
    rows = 0
    for no, line in enumerate(lines[1:], start=2):
        if line.strip() == "":
            errors.append("line %d: empty line" % no)
            continue
        rows += 1
        cols = line.split("\t")
        if len(cols) != len(HEADER):
            errors.append("line %d: %d columns, expected %d" % (no, len(cols), len(HEADER)))
            continue
        sid, doc, section, kind, summary, _no_case = cols
        if not ID_RE.match(sid):
            errors.append("line %d: id %r does not match %s" % (no, sid, ID_RE.pattern))
        elif DOCS[sid.split(":")[0]] != doc:
            errors.append("line %d: id %s belongs to %s but doc is %r"
                          % (no, sid, DOCS[sid.split(":")[0]], doc))
        if sid in seen:
            errors.append("line %d: duplicate id %s (first on line %d)" % (no, sid, seen[sid]))
        else:
            seen[sid] = no
        if not section.strip():
            errors.append("line %d: empty section" % no)
        if kind not in KINDS:
            errors.append("line %d: kind %r not one of %s" % (no, kind, ", ".join(sorted(KINDS))))
        if not summary.strip():
            errors.append("line %d: empty summary" % no)
    return errors, rows


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "statements.tsv")
    errors, rows = check(path)
    if errors:
        for e in errors:
            sys.stderr.write("check_statements: %s\n" % e)
        sys.stderr.write("check_statements: %s: %d problem(s)\n" % (path, len(errors)))
        return 1
    print("check_statements: %s: %d statements OK" % (path, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
