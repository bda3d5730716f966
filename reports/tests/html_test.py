#!/usr/bin/env python3
"""The HTML report in a real browser: renders a result document with
test_rpt_html, opens the page in headless Chromium (Debian's `chromium`)
with filters in the URL fragment, and checks from the DOM that only the
matching cases are shown; then works the page's own controls over the
DevTools protocol and checks the rows and the fragment they write. Also checks that the page references nothing
outside itself (no src=, no stylesheet or font links, no URLs but the
protocol documents the spec statements link to), that hostile strings from
the data stay text, the rerun command, and lazy rendering of a 1000-case
result with long transcripts.

usage: html_test.py TEST_RPT_HTML RESULT.json WORKDIR
Exit 0 when every check holds, 1 otherwise, 77 (skipped) when no Chromium
is installed (scripts/install-deps.sh --browser installs it).
"""
import copy
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser

SKIP = 77
# The protocol documents, at the commit the statements were read from.
DOCS = "https://github.com/socketio/socket.io/blob/"
# Flags for a closed network and a root user (see the machine notes): no
# sandbox, no background connections, a fresh profile per run.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--virtual-time-budget=5000"]
CHUNK = 200      # rows the page renders at once (report.js CHUNK)
TR_CHUNK = 400   # transcript events rendered at once (report.js TR_CHUNK)

problems = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        problems.append(what)
    return cond


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Dom(HTMLParser):
    """What the checks need from a dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = {}
        self.status = {}
        self.rows = []          # attrs of every rendered case row, in order
        self.tags = []          # (tag, attrs) of every element
        self.text = {}          # class -> [text] for a few classes
        self.tr_rows = 0
        self._cls = []          # stack of (tag, class) for text capture
        self._script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        cls = (a.get("class") or "").split()
        if tag == "html":
            self.root = a
        if tag == "p" and a.get("id") == "status":
            self.status = a
        if tag == "details" and "case" in cls:
            self.rows.append(a)
        if tag == "tr" and any(c.startswith("k-") for c in cls):
            self.tr_rows += 1
        if tag == "script":
            self._script = True
        want = [c for c in cls if c in ("cmd", "seen", "ttl", "data")]
        self._cls.append((tag, want[0] if want else None))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False
        while self._cls:
            t, _ = self._cls.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self._script:
            return
        for _, c in self._cls:
            if c:
                self.text.setdefault(c, []).append(data)


def dump(chromium, html, frag, work):
    url = "file://" + os.path.abspath(html) + ("#" + frag if frag else "")
    with tempfile.TemporaryDirectory(dir=work) as prof:
        r = subprocess.run([chromium] + FLAGS + ["--user-data-dir=" + prof, "--dump-dom", url],
                           capture_output=True, timeout=180)
    out = r.stdout.decode("utf-8", "replace")
    d = Dom()
    d.feed(out)
    check(r.returncode == 0 and d.root.get("data-ready") == "1" and "data-error" not in d.root,
          "#%s: the page's script ran (rc %d, error %r)"
          % (frag, r.returncode, d.root.get("data-error")))
    return d


class Page:
    """Chromium driven over --remote-debugging-pipe (the DevTools protocol on
    fds 3 and 4, NUL-separated JSON; no package needed), to work the page's
    own controls."""

    def __init__(self, chromium, url, work):
        self.prof = tempfile.TemporaryDirectory(dir=work)
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # Above 4 so that the dup2 onto 3 and 4 in the child clobbers nothing.
        hi = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_r, from_w)]
        for fd in (to_r, from_w):
            os.close(fd)

        def child():
            os.dup2(hi[0], 3)
            os.dup2(hi[1], 4)

        flags = [f for f in FLAGS if not f.startswith("--virtual-time")]
        self.proc = subprocess.Popen([chromium] + flags + ["--user-data-dir=" + self.prof.name,
                                                           "--remote-debugging-pipe", url],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child, close_fds=False)
        for fd in hi:
            os.close(fd)
        self.w, self.r, self.buf, self.n = to_w, from_r, b"", 0
        self.session = None
        page = None
        for _ in range(100):
            page = next((t for t in self.call("Target.getTargets")["targetInfos"]
                         if t["type"] == "page"), None)
            if page:
                break
            time.sleep(0.1)
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"],
                                 flatten=True)["sessionId"]

    def call(self, method, **params):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + 60
        while time.time() < deadline:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                m = json.loads(raw)
                if m.get("id") == self.n:
                    if "error" in m:
                        raise RuntimeError("%s: %s" % (method, m["error"]))
                    return m["result"]
            ready, _, _ = select.select([self.r], [], [], 1)
            if ready:
                chunk = os.read(self.r, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the pipe")
                self.buf += chunk
        raise RuntimeError("%s: no answer" % method)

    def js(self, expr):
        """Value of |expr| (awaited when a promise)."""
        r = self.call("Runtime.evaluate", expression=expr, awaitPromise=True,
                      returnByValue=True)
        if "exceptionDetails" in r:
            ex = r["exceptionDetails"]
            raise RuntimeError("%s: %s" % (expr, ex.get("exception", {}).get("description")
                                           or ex.get("text")))
        return r["result"].get("value")

    def settle(self):
        self.js("new Promise(r => setTimeout(r, 300))")

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.w)
        os.close(self.r)
        self.prof.cleanup()


def check_controls(chromium, html, doc, work):
    """Filters set through the page's own controls: the rows follow and the
    URL fragment follows; a fragment typed in later moves the controls."""
    page = Page(chromium, "file://" + os.path.abspath(html), work)
    try:
        for _ in range(200):
            try:  # the first evaluations may meet the page still loading
                if page.js("document.documentElement.getAttribute('data-ready')") == "1":
                    break
            except RuntimeError:
                pass
            time.sleep(0.1)
        rows = "Array.from(document.querySelectorAll('details.case'), d => d.dataset.id)"
        page.js("document.querySelector('#f-verdict input[value=FAIL]').click()")
        page.js("document.querySelector('#f-level input[value=MUST]').click()")
        page.js("var s = document.getElementById('f-tag'); s.value = 'upgrade';"
                "s.dispatchEvent(new Event('change'))")
        page.settle()
        check(page.js("location.hash") == "#verdict=FAIL&level=MUST&tag=upgrade"
              and page.js(rows) == expect(doc, verdict=("FAIL",), level=("MUST",), tag="upgrade"),
              "controls: verdict, level and tag filter the rows and write the fragment (%s)"
              % page.js("location.hash"))
        page.js("document.querySelector('#f-verdict input[value=FAIL]').click()")
        page.js("var q = document.getElementById('f-q'); q.value = 'probe';"
                "q.dispatchEvent(new Event('input'))")
        page.settle()
        check(page.js("location.hash") == "#level=MUST&tag=upgrade&q=probe"
              and page.js(rows) == expect(doc, level=("MUST",), tag="upgrade", q="probe"),
              "controls: free text filters and is written to the fragment (%s)"
              % page.js("location.hash"))
        page.js("document.querySelector('details.case > summary').click()")
        page.settle()
        first = expect(doc, level=("MUST",), tag="upgrade", q="probe")[0]
        check(page.js("location.hash").endswith("&id=" + first)
              and page.js("document.querySelectorAll('details.case[open] tr.k-bytes').length") > 0,
              "controls: opening a case shows its transcript and names it in the fragment")
        page.js("location.hash = '#verdict=PASS'")
        page.settle()
        check(page.js("document.querySelector('#f-verdict input[value=PASS]').checked")
              and not page.js("document.querySelector('#f-level input[value=MUST]').checked")
              and page.js("document.getElementById('f-q').value") == ""
              and page.js(rows) == expect(doc, verdict=("PASS",)),
              "controls: a fragment typed in later sets the controls and the rows")
        page.js("document.querySelector('button.clear').click()")
        page.settle()
        check(page.js("location.hash") == "" and len(page.js(rows)) == len(doc["cases"]),
              "controls: clear shows every case and empties the fragment")
        check(page.js("document.documentElement.getAttribute('data-error')") is None,
              "controls: no script error")
    except RuntimeError as e:
        check(False, "controls: %s" % e)
    finally:
        page.close()


def hay(c):
    return "\n".join([c["id"], c["title"], c["requirement"], c["reason"], " ".join(c["spec"]),
                      " ".join(c["tags"]), c["baseline"] or "", c["origin"] or ""]).lower()


def expect(doc, verdict=(), level=(), tag="", q=""):
    terms = q.lower().split()
    return [c["id"] for c in doc["cases"]
            if (not verdict or c["verdict"] in verdict) and (not level or c["level"] in level)
            and (not tag or tag in c["tags"]) and all(t in hay(c) for t in terms)]


def check_filter(chromium, html, doc, frag, work, **f):
    want = expect(doc, **f)
    d = dump(chromium, html, frag, work)
    got = [r.get("data-id") for r in d.rows]
    check(got == want, "#%s: the %d matching cases are shown, in order, and no other (got %d)"
          % (frag, len(want), len(got)))
    check(d.status.get("data-shown") == str(len(want))
          and d.status.get("data-total") == str(len(doc["cases"])),
          "#%s: status says %s of %s" % (frag, d.status.get("data-shown"),
                                         d.status.get("data-total")))
    if f.get("verdict"):
        check(all(r.get("data-verdict") in f["verdict"] for r in d.rows),
              "#%s: every row has a matching data-verdict" % frag)
    return want, d


def check_no_external(path, html):
    """The file itself: no reference to anything outside the page."""
    m = re.search(r'<script type="application/json" id="siospec-data">(.*?)</script>', html, re.S)
    if not check(m is not None, "%s: one embedded JSON block" % path):
        return
    check("<" not in m.group(1), "%s: no raw '<' in the JSON block" % path)
    rest = html[:m.start()] + html[m.end():]
    code = "".join(re.findall(r"<(?:script|style)>(.*?)</(?:script|style)>", rest, re.S))
    markup = re.sub(r"<(script|style)>.*?</\1>", "", rest, flags=re.S)
    refs = re.findall(r'\b(?:src|href|action|srcset|poster)\s*=\s*["\']?([^"\'\s>]*)', markup,
                      re.I)
    check(all(r.startswith("#") for r in refs),
          "%s: every src/href in the markup is an in-page #fragment (%d)" % (path, len(refs)))
    loads = re.findall(r"\.src\b|srcset|new Image|fetch\(|XMLHttpRequest|import\(|WebSocket|"
                       r"EventSource|sendBeacon|createElement\('(?:link|img|script|iframe)", code)
    check(not loads, "%s: the script and style load nothing (%s)" % (path, loads[:3]))
    for bad in ("<link", "<img", "<iframe", "<object", "<embed", "url(", "@import", "@font-face"):
        check(bad not in rest.lower(), "%s: no %s" % (path, bad))
    scripts = re.findall(r"<script\b[^>]*>", html)
    check(sorted(scripts) == ['<script type="application/json" id="siospec-data">',
                              '<script type="application/json" id="siospec-page">', "<script>"],
          "%s: one inline script and two JSON blocks, no script src (%s)" % (path, scripts))
    urls = re.findall(r"https?://[^\s\"'<>)]*", rest)
    check(all(u.startswith(DOCS) for u in urls),
          "%s: the only URLs are the protocol documents (%s)"
          % (path, sorted(set(u for u in urls if not u.startswith(DOCS)))[:3]))


def check_dom_refs(d, frag):
    srcs = [a for t, a in d.tags if "src" in a or "srcset" in a]
    hrefs = [a.get("href") for t, a in d.tags if "href" in a]
    check(not srcs and all(h.startswith("#") or h.startswith(DOCS) for h in hrefs),
          "#%s: the rendered DOM loads nothing and links only in-page or to the docs (%d links)"
          % (frag, len(hrefs)))


def render(tool, src, out):
    r = subprocess.run([tool, src, out], capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, "test_rpt_html %s: rendered, same bytes twice (%s)"
          % (os.path.basename(src), r.stderr.strip()))
    with open(out, encoding="utf-8") as f:
        return f.read()


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    tool, fixture, work = argv[1:]
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no chromium on PATH (scripts/install-deps.sh --browser installs it)")
        return SKIP
    os.makedirs(work, exist_ok=True)
    with open(fixture, encoding="utf-8") as f:
        doc = json.load(f)
    verdicts = {c["verdict"] for c in doc["cases"]}
    check(len(verdicts) == 9, "fixture covers every verdict (%s)" % ",".join(sorted(verdicts)))

    html = os.path.join(work, "report.html")
    check_no_external(html, render(tool, fixture, html))

    # Filters through the URL fragment.
    fails, _ = check_filter(chromium, html, doc, "verdict=FAIL", work, verdict=("FAIL",))
    check(0 < len(fails) < len(doc["cases"]), "verdict=FAIL selects some but not all cases")
    hits, _ = check_filter(chromium, html, doc, "q=probe", work, q="probe")
    check(0 < len(hits) < len(doc["cases"]), "q=probe selects some but not all cases")
    check_filter(chromium, html, doc, "q=Handshake%20SID", work, q="handshake sid")
    check_filter(chromium, html, doc, "verdict=non-strict,error", work,
                 verdict=("NON-STRICT", "ERROR"))
    both, _ = check_filter(chromium, html, doc, "verdict=PASS,FAIL&level=MUST&tag=upgrade", work,
                           verdict=("PASS", "FAIL"), level=("MUST",), tag="upgrade")
    check(len(both) > 0, "verdict+level+tag selects something")
    check_filter(chromium, html, doc, "verdict=XPASS&q=no-such-text", work,
                 verdict=("XPASS",), q="no-such-text")

    # The same filters through the page's own controls.
    check_controls(chromium, html, doc, work)

    # One case opened by #id=: the hostile strings stay text, spec links,
    # the rerun command.
    hostile = next(c for c in doc["cases"] if "<img" in c["seen"])
    frag = "id=" + hostile["id"]
    d = dump(chromium, html, frag, work)
    opened = [r for r in d.rows if "open" in r]
    check([r.get("data-id") for r in opened] == [hostile["id"]],
          "#%s: that case is open, and only it" % frag)
    check(any("<img" in t for t in d.text.get("seen", [])) and not any(t == "img" for t, _ in d.tags)
          and not any(t == "script" and "src" in a for t, a in d.tags),
          "#%s: markup in the data is shown as text, never parsed" % frag)
    check(any("<script>alert(1)</script>" in t for t in d.text.get("data", [])),
          "#%s: the transcript shows its data verbatim" % frag)
    links = [a.get("href") for t, a in d.tags if t == "a" and a.get("href", "").startswith(DOCS)]
    check(len(links) == sum(1 for s in hostile["spec"] if not s.startswith("ref:")),
          "#%s: one protocol-document link per spec statement" % frag)
    want = "siospec run --target %s --filter %s --seed %d" % (doc["target"]["name"], hostile["id"],
                                                              doc["seed"])
    check(d.text.get("cmd") == [want], "#%s: rerun command %r" % (frag, d.text.get("cmd")))
    check_dom_refs(d, frag)

    # A url-mode result: the rerun command names the URL and its options.
    u = copy.deepcopy(doc)
    u["target"].update(mode="url", name="http://127.0.0.1:3000", path="/custom/",
                       profiles=["recovery"])
    upath = os.path.join(work, "result-url.json")
    with open(upath, "w", encoding="utf-8") as f:
        json.dump(u, f)
    uhtml = os.path.join(work, "report-url.html")
    render(tool, upath, uhtml)
    case = doc["cases"][0]["id"]
    d = dump(chromium, uhtml, "id=" + case, work)
    want = ("siospec run --url http://127.0.0.1:3000 --path /custom/ --profile recovery "
            "--filter %s --seed %d" % (case, doc["seed"]))
    check(d.text.get("cmd") == [want], "url mode: rerun command %r" % d.text.get("cmd"))

    # 1000 cases with long transcripts: rows and events render in chunks.
    big = copy.deepcopy(doc)
    big["cases"] = []
    longest = max(doc["cases"], key=lambda c: len(c["transcript"]))["transcript"]
    for i in range(1000):
        c = copy.deepcopy(doc["cases"][i % len(doc["cases"])])
        c["id"] = "big%04d.%s" % (i, c["id"])
        if i % 100 == 99:
            c["transcript"] = (longest * (5000 // max(1, len(longest)) + 1))[:5000]
        big["cases"].append(c)
    bpath = os.path.join(work, "result-big.json")
    with open(bpath, "w", encoding="utf-8") as f:
        json.dump(big, f)
    bhtml = os.path.join(work, "report-big.html")
    render(tool, bpath, bhtml)
    d = dump(chromium, bhtml, "", work)
    check(len(d.rows) == CHUNK and d.status.get("data-shown") == "1000",
          "1000 cases: %d rows rendered at first, 1000 listed (ready after %s ms)"
          % (len(d.rows), d.root.get("data-init-ms")))
    last = big["cases"][999]["id"]
    d = dump(chromium, bhtml, "id=" + last, work)
    check(len(d.rows) == 1000 and "open" in d.rows[-1],
          "1000 cases: #id= of the last case renders up to it and opens it")
    check(d.tr_rows == TR_CHUNK, "5000-event transcript: %d events rendered at first" % d.tr_rows)

    if problems:
        print("html_test: %d problem(s)" % len(problems))
        return 1
    print("html_test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
