#!/usr/bin/env python3
"""Opens matrix.html from disk in headless Chromium, applies filters through
its URL fragment, and checks from the resulting DOM that exactly the rows
the filter selects are shown (computed here from the page's own data), and
that every cell links to that case in its target's report.

With --follow (a matrix written with its reports, as `siospec matrix`
leaves it), it also follows one cell link per target into that target's
report.html and checks that the report shows exactly that case, open.

usage: check_matrix_browser.py CHROMIUM MATRIX_HTML [--follow]
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

FINDINGS = set("FNEY")


def page_data(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'<script type="application/json" id="mx-data">(.*?)</script>', text, re.S)
    data = json.loads(m.group(1))
    rows, title = [], ""
    for r in data["r"]:
        if isinstance(r, str):
            continue
        title = r[2] or title
        rows.append({"id": r[0], "level": r[1], "title": title, "v": r[5]})
    return data, rows


def expected(rows, q="", level="", show="all"):
    out = []
    for r in rows:
        v = r["v"]
        if level and r["level"] != level:
            continue
        if show == "bad" and not FINDINGS & set(v):
            continue
        if show == "differ" and len({c for c in v if c not in "S-"}) < 2:
            continue
        words = q.lower().split()
        hay = (r["id"] + " " + r["title"]).lower()
        if any(w not in hay for w in words):
            continue
        out.append(r["id"])
    return out


def dom(chromium, url, profile):
    res = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, timeout=120)
    return res.stdout.decode("utf-8", "replace")


def shown(doc):
    body = re.search(r'<tbody id="mx-body">(.*?)</tbody>', doc, re.S)
    if not body:
        return None, []
    rows = re.findall(r'<tr><th class="id"[^>]*>([^<]+)</th><td>[A-Z]+</td>(.*?)</tr>',
                      body.group(1), re.S)
    return [html.unescape(i) for i, _ in rows], rows


def follow(chromium, path, targets, rows, profile, problems):
    base = os.path.dirname(path)
    for j, t in enumerate(targets):
        row = next((r for r in rows if r["v"][j] not in "-"), None)
        if row is None:
            continue
        report = os.path.join(base, t, "report.html")
        if not os.path.exists(report):
            problems.append("%s: no report to follow a link to" % t)
            continue
        url = "file://%s#q=%s&id=%s" % (report, row["id"], row["id"])
        doc = dom(chromium, url, profile)
        shown_ids = re.findall(r'<details class="case[^"]*" data-id="([^"]+)"', doc)
        opened = re.findall(r'<details class="case[^"]*" data-id="([^"]+)"[^>]* open=', doc)
        status = re.search(r'id="status"[^>]*data-shown="(\d+)"', doc)
        if shown_ids != [row["id"]] or opened != [row["id"]] or not status or status.group(1) != "1":
            problems.append("%s: the link to %s shows %s, opens %s (status %s)" % (
                t, row["id"], shown_ids[:3], opened[:3], status and status.group(0)))
        else:
            print("check_matrix_browser: %s/report.html#q=%s&id=...: that case alone, open"
                  % (t, row["id"]))


def main(argv):
    chromium, path = argv[1], os.path.abspath(argv[2])
    data, rows = page_data(path)
    targets = [t["n"] for t in data["t"]]
    checks = [
        ({}, ""),
        ({"show": "bad"}, "show=bad"),
        ({"show": "differ", "level": "SHOULD"}, "level=SHOULD&show=differ"),
        ({"q": "handshake ws"}, "q=handshake%20ws"),
        ({"q": "no-such-case-anywhere"}, "q=no-such-case-anywhere"),
    ]
    problems = []
    with tempfile.TemporaryDirectory() as profile:
        for args, frag in checks:
            want = expected(rows, **args)
            url = "file://" + path + ("#" + frag if frag else "")
            doc = dom(chromium, url, profile)
            got, cells = shown(doc)
            if got is None:
                problems.append("%s: no matrix body in the DOM" % frag)
                continue
            if got != want:
                problems.append("#%s: %d rows shown, %d expected (first difference: %s)" % (
                    frag, len(got), len(want),
                    next((a for a, b in zip(got + [None] * len(want), want) if a != b), "-")))
            count = re.search(r'<span id="count">(\d+) of (\d+) entries</span>', doc)
            if not count or int(count.group(1)) != len(want) or int(count.group(2)) != len(rows):
                problems.append("#%s: the count line says %s" % (frag, count and count.group(0)))
            for cid, tds in cells[:50]:
                links = re.findall(r'href="([^"]+)"', tds)
                cid = html.unescape(cid)
                want_links = ["%s/report.html#q=%s&amp;id=%s" % (t, cid, cid) for t, c in
                              zip(targets, next(r["v"] for r in rows if r["id"] == cid)) if c != "-"]
                if links != want_links:
                    problems.append("#%s: %s links to %s" % (frag, cid, links[:3]))
                    break
            print("check_matrix_browser: #%s: %d rows shown" % (frag, len(got)))
        if "--follow" in argv[3:]:
            follow(chromium, path, targets, rows, profile, problems)
    for p in problems:
        print("check_matrix_browser: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
