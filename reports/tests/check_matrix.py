#!/usr/bin/env python3
"""Fails when the committed matrix (reports/matrix/) has gone stale: it names
case ids that `siospec list --json` no longer has, misses ones it has, or
leaves out a bundled target (every one but the known-vulnerable controls,
*-vuln). Checks the per-target summaries (<target>.json), the case rows of
matrix.md and the data of matrix.html, and that the three agree.

usage: check_matrix.py SIOSPEC MATRIX_DIR TARGETS_DIR
Regenerate with scripts/matrix.sh.
"""
import fnmatch
import glob
import json
import os
import re
import subprocess
import sys

VERDICTS = ("PASS", "FAIL", "NON-STRICT", "INFO", "SKIP", "ERROR", "XFAIL", "XPASS", "NOT-RUN")
CONTROLS = "*-vuln"


def diff(what, have, want, problems):
    extra = [i for i in have if i not in want]
    missing = [i for i in want if i not in have]
    for i in extra[:10]:
        problems.append("%s names %s, which `siospec list` no longer has" % (what, i))
    for i in missing[:10]:
        problems.append("%s misses %s, which `siospec list` has" % (what, i))
    if len(extra) > 10 or len(missing) > 10:
        problems.append("%s: %d stale and %d missing ids in all" % (what, len(extra), len(missing)))
    if not extra and not missing and list(have) != list(want):
        problems.append("%s lists the ids in another order than `siospec list`" % what)


def md_rows(path):
    ids, targets, in_cases = [], None, False
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            in_cases = line.strip() == "## Cases"
        if not in_cases:
            continue
        if line.startswith("| case | level |"):
            targets = [c.strip() for c in line.strip().strip("|").split("|")][2:]
        m = re.match(r"^\| `([^`]+)` \|", line)
        if m:
            ids.append(m.group(1))
    return ids, targets or []


def html_rows(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="mx-data">(.*?)</script>', text, re.S)
    if not m:
        return None, None
    data = json.loads(m.group(1))
    return [r[0] for r in data["r"] if not isinstance(r, str)], [t["n"] for t in data["t"]]


def main(argv):
    siospec, mdir, tdir = argv[1], argv[2], argv[3]
    out = subprocess.run([siospec, "list", "--json"], check=True, capture_output=True).stdout
    ids = [c["id"] for c in json.loads(out)["cases"]]
    idset = set(ids)
    problems = []

    bundled = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(tdir, "*.json"))
                     if not fnmatch.fnmatch(os.path.basename(p)[:-5], CONTROLS))
    files = sorted((p for p in glob.glob(os.path.join(mdir, "*.json"))
                    if os.path.basename(p) != "matrix.json"), key=lambda p: os.path.basename(p)[:-5])
    names = [os.path.basename(p)[:-5] for p in files]
    for t in bundled:
        if t not in names:
            problems.append("no summary for the bundled target %s (%s/%s.json)" % (t, mdir, t))
    for t in names:
        if t not in bundled:
            problems.append("%s.json: %s is not a bundled target (any more)" % (t, t))

    for path, name in zip(files, names):
        what = os.path.relpath(path)
        try:
            s = json.load(open(path, encoding="utf-8"))
        except ValueError as e:
            problems.append("%s: not JSON: %s" % (what, e))
            continue
        if s.get("schema") != "siospec-summary/1":
            problems.append("%s: schema is not siospec-summary/1" % what)
            continue
        if s["target"]["name"] != name:
            problems.append("%s: target %s, not %s" % (what, s["target"]["name"], name))
        if not s.get("judged"):
            problems.append("%s: the target was not judged: %s" % (what, s["target"].get("note")))
        counts, cases = s["counts"], s["cases"]
        if counts["total"] != len(ids):
            problems.append("%s: %d cases, `siospec list` has %d" % (what, counts["total"], len(ids)))
        if sum(counts[v] for v in VERDICTS) != counts["total"]:
            problems.append("%s: the counts do not add up to the total" % what)
        for i in cases:
            if i not in idset:
                problems.append("%s names %s, which `siospec list` no longer has" % (what, i))
        for v in VERDICTS[1:]:
            listed = sum(1 for x in cases.values() if x == v)
            if listed != counts[v]:
                problems.append("%s: %d %s cases listed, counts say %d" % (what, listed, v, counts[v]))
        for i in s.get("baseline", {}):
            if i not in idset:
                problems.append("%s: baseline names %s, which `siospec list` no longer has" % (what, i))

    md = os.path.join(mdir, "matrix.md")
    html = os.path.join(mdir, "matrix.html")
    if not os.path.exists(md) or not os.path.exists(html):
        problems.append("%s or %s is missing" % (md, html))
    else:
        md_ids, md_targets = md_rows(md)
        diff(os.path.relpath(md), md_ids, ids, problems)
        h_ids, h_targets = html_rows(html)
        if h_ids is None:
            problems.append("%s: no matrix data" % os.path.relpath(html))
        else:
            diff(os.path.relpath(html), h_ids, ids, problems)
            if h_targets != names or md_targets != names:
                problems.append("the targets of matrix.md %s / matrix.html %s are not the summaries' %s"
                                % (md_targets, h_targets, names))

    for p in problems[:60]:
        print("check_matrix: " + p)
    if problems:
        print("check_matrix: the committed matrix is stale; regenerate it with scripts/matrix.sh")
        return 1
    print("check_matrix: %d targets x %d entries, every id current" % (len(names), len(ids)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
