/*
 * rpt_html.c - the HTML report: one self-contained file (inline CSS and
 * script; no external scripts, styles, fonts or images) that opens from
 * disk and works without a server.
 *
 * The summary (target, versions, seed, timing, counts by level and verdict)
 * is static HTML. The case list is drawn by the inline script from the
 * result document, embedded as JSON in a <script type="application/json">
 * block with every '<' written as \u003c (so neither "</script" nor "<!--"
 * can end or confuse the block); a second such block gives the script what
 * the writers share (spec document URLs, the rerun command). The script renders list rows in chunks
 * and a case's details (spec links, expected/seen, baseline, rerun command, wire transcript) only
 * when it is opened, so 1 000 cases with long transcripts stay responsive. Data reaches the page
 * through textContent only.
 *
 * Filters (verdict, level, tag, free text) live in the URL fragment, e.g.
 * #verdict=FAIL,ERROR&level=MUST&tag=upgrade&q=probe, and #id=CASE-ID
 * opens one case (what the matrix links to). Rendered rows carry data-id,
 * data-verdict and data-level; #status carries data-shown and data-total;
 * <html> gets data-ready="1" once the script has run (data-error if it
 * threw): the browser test reads these from the DOM.
 *
 * Deterministic: the same document gives the same bytes (no clock, no
 * locale-dependent formatting).
 *
 * The style and the script are below as arrays of lines, one string per
 * line; edit them in place.
 */
#include "rpt_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the page's style */
static const char *const html_css[] = {
    ":root{--fg:#1d232b;--muted:#5f6b7a;--bg:#fff;--panel:#f5f7fa;--line:#dde3ea;\n",
    "--link:#0b5cad;\n",
    "--PASS:#1a7f37;--FAIL:#cf222e;--NON-STRICT:#bc4c00;--INFO:#0969da;--SKIP:#6e7781;\n",
    "--ERROR:#8250df;\n",
    "--XFAIL:#9a6700;--XPASS:#bf3989;--NOT-RUN:#57606a;--mono:ui-monospace,\n",
    "SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace}\n",
    "*{box-sizing:border-box}\n",
    "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,\n",
    "'Helvetica Neue',Arial,sans-serif;color:var(--fg);background:var(--bg)}\n",
    "header{padding:16px 24px 12px;background:var(--panel);\n",
    "border-bottom:1px solid var(--line)}\n",
    "h1{font-size:20px;margin:0 0 4px}\n",
    "h1 .tgt{font-family:var(--mono)}\n",
    ".result{margin:0 0 10px;font-weight:600}\n",
    ".result.ok{color:var(--PASS)}.result.bad{color:var(--FAIL)}\n",
    ".top{display:flex;flex-wrap:wrap;gap:12px 28px;align-items:flex-start}\n",
    "dl.facts{font-size:13.5px;display:grid;grid-template-columns:max-content auto;\n",
    "gap:2px 12px;margin:0}\n",
    "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}\n",
    "dl.facts dd.note{white-space:pre-wrap;font-family:var(--mono);font-size:12px;\n",
    "max-width:100ch}\n",
    "code,.mono{font-family:var(--mono);font-size:12.5px}\n",
    "table.counts{border-collapse:collapse;font-variant-numeric:tabular-nums}\n",
    "table.counts th,table.counts td{border:1px solid var(--line);padding:2px 6px;\n",
    "text-align:right;background:var(--bg)}\n",
    "table.counts th{font-weight:600;font-size:12px;color:var(--c,var(--fg))}\n",
    "table.counts thead th:first-child{text-align:left}\n",
    "table.counts th[scope=row]{text-align:left}\n",
    "table.counts td.z{color:#c0c7cf}\n",
    "table.counts a{text-decoration:none;font-weight:600}\n",
    "table.counts tr.all td,table.counts tr.all th{border-top:2px solid var(--line)}\n",
    "nav#filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;\n",
    "gap:6px 14px;align-items:center;\n",
    "padding:8px 24px;background:var(--bg);border-bottom:1px solid var(--line)}\n",
    "fieldset.chips{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px;\n",
    "align-items:center}\n",
    "fieldset.chips legend{float:left;color:var(--muted);margin-right:4px}\n",
    "label.chip{display:inline-flex;gap:4px;align-items:center;\n",
    "border:1px solid var(--line);border-radius:12px;\n",
    "padding:1px 8px;cursor:pointer;font-size:12.5px;user-select:none}\n",
    "label.chip input{margin:0}\n",
    "label.chip .n{color:var(--muted)}\n",
    "label.chip:has(input:checked){background:var(--panel);border-color:var(--muted)}\n",
    "label.ctl{color:var(--muted)}\n",
    "label.ctl select,label.ctl input{font:inherit;color:var(--fg)}\n",
    "label.q input{width:22em}\n",
    "button{font:inherit;font-size:12.5px;cursor:pointer}\n",
    "#status{margin:8px 24px;color:var(--muted)}\n",
    "main{padding:0 24px 40px}\n",
    "details.case{border:1px solid var(--line);border-left:4px solid var(--c,\n",
    "var(--line));border-radius:4px;margin:4px 0;background:var(--bg)}\n",
    "details.case>summary{display:grid;grid-template-columns:92px 60px minmax(0,\n",
    "max-content) minmax(0,1fr) auto;gap:0 10px;\n",
    "align-items:baseline;padding:4px 8px;cursor:pointer;list-style:none}\n",
    "details.case>summary::-webkit-details-marker{display:none}\n",
    "details.case[open]>summary{background:var(--panel);\n",
    "border-bottom:1px solid var(--line)}\n",
    ".badge{font-weight:700;font-size:12px;color:var(--c)}\n",
    ".lvl{font-size:12px;color:var(--muted)}\n",
    ".cid{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\n",
    ".ttl{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}\n",
    ".dur{color:var(--muted);font-size:12px;text-align:right;\n",
    "font-variant-numeric:tabular-nums}\n",
    ".why{grid-column:3/-1;color:var(--muted);font-size:12.5px;white-space:nowrap;\n",
    "overflow:hidden;text-overflow:ellipsis}\n",
    ".v-PASS{--c:var(--PASS)}.v-FAIL{--c:var(--FAIL)}.v-NON-STRICT{--c:var(--NON-STRICT)}\n",
    ".v-INFO{--c:var(--INFO)}\n",
    ".v-SKIP{--c:var(--SKIP)}.v-ERROR{--c:var(--ERROR)}.v-XFAIL{--c:var(--XFAIL)}\n",
    ".v-XPASS{--c:var(--XPASS)}.v-NOT-RUN{--c:var(--NOT-RUN)}\n",
    "label.chip{color:var(--c,var(--fg))}\n",
    ".body{padding:8px 12px 12px}\n",
    ".req{margin:0 0 8px;font-size:14.5px}\n",
    "dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:3px 14px;\n",
    "margin:0 0 10px}\n",
    "dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}\n",
    "dd.exp,dd.seen,dd.base{font-family:var(--mono);font-size:12.5px}\n",
    "dd.seen{color:var(--FAIL)}\n",
    ".spec a,.spec .ref{font-family:var(--mono);font-size:12.5px;margin-right:6px}\n",
    ".spec .ref{color:var(--muted)}\n",
    "a{color:var(--link)}\n",
    ".rerun{display:flex;gap:8px;align-items:center}\n",
    ".rerun a.self{margin-left:auto;font-size:12.5px;white-space:nowrap}\n",
    ".rerun code{background:var(--panel);border:1px solid var(--line);border-radius:4px;\n",
    "padding:2px 6px;overflow-wrap:anywhere}\n",
    ".trh{display:flex;gap:10px;align-items:baseline;margin:4px 0}\n",
    ".muted{color:var(--muted)}\n",
    "label.raw{margin-left:auto;color:var(--muted);font-size:12.5px}\n",
    "table.tl{border-collapse:collapse;width:100%;font-family:var(--mono);font-size:12px}\n",
    "table.tl th{text-align:left;color:var(--muted);font-weight:600;white-space:nowrap;\n",
    "border-bottom:1px solid var(--line);padding:2px 6px}\n",
    "table.tl td{padding:1px 6px;vertical-align:top;border-bottom:1px solid #eef1f4}\n",
    "table.tl td.t,table.tl td.ch,table.tl td.len{text-align:right;white-space:nowrap;\n",
    "color:var(--muted)}\n",
    "table.tl td.dir,table.tl td.tp{white-space:nowrap}\n",
    "table.tl td.data{white-space:pre-wrap;overflow-wrap:anywhere;width:100%}\n",
    "tr.d-cs td.dir{color:#0969da}tr.d-sc td.dir{color:#1a7f37}\n",
    "tr.k-bytes td.data{color:#57606a}\n",
    "tr.k-text.d-cs td.data,tr.k-text.d-sc td.data{color:var(--fg)}\n",
    "tr.d-note td{background:#fff8e5}\n",
    "table.hide-bytes tr.k-bytes{display:none}\n",
    "button.more,#more{margin:6px 0}\n",
    "p.empty{color:var(--muted);padding:12px 0}\n",
    "noscript p{margin:12px 24px;color:var(--FAIL)}\n",
    "@media (prefers-color-scheme:dark){:root{--fg:#d7dde4;--muted:#8b96a3;--bg:#0f1419;\n",
    "--panel:#18202a;--line:#2b3540;--link:#6cb6ff;\n",
    "--PASS:#3fb950;--FAIL:#ff6a69;--NON-STRICT:#f0883e;--INFO:#58a6ff;--SKIP:#8b949e;\n",
    "--ERROR:#bc8cff;--XFAIL:#d29922;--XPASS:#f778ba}\n",
    "table.counts td.z{color:#3d4752}tr.d-note td{background:#2a2410}table.tl td{\n",
    "border-bottom-color:#1f2731}tr.k-bytes td.data{color:#8b96a3}}\n",
};

/* the page's script */
static const char *const html_js[] = {
    "(function () {\n",
    "  'use strict';\n",
    "  var root = document.documentElement;\n",
    "  window.addEventListener('error', function (e) {\n",
    "    root.setAttribute('data-error', String(e.message));\n",
    "  });\n",
    "  var doc = JSON.parse(document.getElementById('siospec-data').textContent);\n",
    "  var cases = doc.cases;\n",
    "  /* Tolerate a hand-edited document: missing lists empty, missing text ''. */\n",
    "  function norm(o, lists, strs) {\n",
    "    lists.forEach(function (k) { if (!Array.isArray(o[k])) o[k] = []; });\n",
    "    strs.forEach(function (k) { if (typeof o[k] !== 'string') o[k] = ''; });\n",
    "  }\n",
    "  cases.forEach(function (c) {\n",
    "    norm(c, ['spec', 'tags', 'needs', 'transports', 'transcript'],\n",
    "         ['id', 'title', 'requirement', 'reason', 'expected', 'seen', 'verdict',\n",
    "          'raw_verdict', 'level', 'protocol', 'transport', 'group']);\n",
    "  });\n",
    "  var VERDICTS = ['PASS', 'FAIL', 'NON-STRICT', 'INFO', 'SKIP', 'ERROR', 'XFAIL', 'XPASS',\n",
    "                  'NOT-RUN'];\n",
    "  var LEVELS = ['MUST', 'SHOULD', 'MAY', 'INFO'];\n",
    "  /* From the writers' shared helpers: spec documents, rerun command. */\n",
    "  var CFG = JSON.parse(document.getElementById('siospec-page').textContent);\n",
    "  var DOCS = CFG.docs;\n",
    "  var CHUNK = 200, TR_CHUNK = 400, DATA_MAX = 1500;\n",
    "\n",
    "  function $(id) { return document.getElementById(id); }\n",
    "  function el(tag, cls, text) {\n",
    "    var e = document.createElement(tag);\n",
    "    if (cls) e.className = cls;\n",
    "    if (text !== undefined && text !== null) e.textContent = String(text);\n",
    "    return e;\n",
    "  }\n",
    "  function ms(n) { return n + ' ms'; }\n",
    "  function sq(s) {\n",
    "    s = String(s);\n",
    "    if (/^[A-Za-z0-9_.\\/:@%+=,-]+$/.test(s)) return s;\n",
    "    return \"'\" + s.replace(/'/g, \"'\\\\''\") + \"'\";\n",
    "  }\n",
    "\n",
    "  var hay = cases.map(function (c) {\n",
    "    return [c.id, c.title, c.requirement, c.reason, c.spec.join(' '), c.tags.join(' '),\n",
    "            c.baseline || '', c.origin || ''].join('\\n').toLowerCase();\n",
    "  });\n",
    "  var index = {};\n",
    "  cases.forEach(function (c, i) { index[c.id] = i; });\n",
    "\n",
    "  function rerun(c) {\n",
    "    return CFG.rerun[0] + ' --filter ' + sq(c.id) + CFG.rerun[1];\n",
    "  }\n",
    "\n",
    "  /* ---- state <-> URL fragment ---- */\n",
    "  var state = { verdict: [], level: [], tag: '', q: '', id: '' };\n",
    "  function parseHash() {\n",
    "    var p = new URLSearchParams(location.hash.replace(/^#/, ''));\n",
    "    function list(k) {\n",
    "      return (p.get(k) || '').split(',').map(function (v) {\n",
    "        return v.trim().toUpperCase();\n",
    "      }).filter(Boolean);\n",
    "    }\n",
    "    return { verdict: list('verdict'), level: list('level'),\n",
    "             tag: (p.get('tag') || '').trim(), q: p.get('q') || '',\n",
    "             id: (p.get('id') || '').trim() };\n",
    "  }\n",
    "  function hashOf(s) {\n",
    "    var parts = [];\n",
    "    ['verdict', 'level'].forEach(function (k) {\n",
    "      if (s[k].length) parts.push(k + '=' + s[k].map(encodeURIComponent).join(','));\n",
    "    });\n",
    "    if (s.tag) parts.push('tag=' + encodeURIComponent(s.tag));\n",
    "    if (s.q) parts.push('q=' + encodeURIComponent(s.q));\n",
    "    if (s.id) parts.push('id=' + encodeURIComponent(s.id));\n",
    "    return parts.join('&');\n",
    "  }\n",
    "  function writeHash() {\n",
    "    var h = hashOf(state);\n",
    "    if (location.hash.replace(/^#/, '') === h) return;\n",
    "    var url = location.href.replace(/#.*$/, '') + (h ? '#' + h : '');\n",
    "    try {\n",
    "      history.replaceState(null, '', url);\n",
    "    } catch (e) {\n",
    "      location.hash = h;\n",
    "    }\n",
    "  }\n",
    "\n",
    "  function terms() {\n",
    "    return state.q.toLowerCase().split(/\\s+/).filter(Boolean);\n",
    "  }\n",
    "  function matches(i, qs) {\n",
    "    var c = cases[i];\n",
    "    if (state.verdict.length && state.verdict.indexOf(c.verdict) < 0) return false;\n",
    "    if (state.level.length && state.level.indexOf(c.level) < 0) return false;\n",
    "    if (state.tag && c.tags.indexOf(state.tag) < 0) return false;\n",
    "    for (var k = 0; k < qs.length; k++) {\n",
    "      if (hay[i].indexOf(qs[k]) < 0) return false;\n",
    "    }\n",
    "    return true;\n",
    "  }\n",
    "\n",
    "  /* ---- controls ---- */\n",
    "  var filters = $('filters'), list = $('list');\n",
    "  var status = $('status'), more = $('more');\n",
    "  function count(key, val) {\n",
    "    var n = 0;\n",
    "    cases.forEach(function (c) { if (c[key] === val) n++; });\n",
    "    return n;\n",
    "  }\n",
    "  function chips(name, values, key) {\n",
    "    var fs = el('fieldset', 'chips');\n",
    "    fs.id = 'f-' + name;\n",
    "    fs.appendChild(el('legend', null, name));\n",
    "    values.forEach(function (v) {\n",
    "      var n = count(key, v);\n",
    "      if (!n) return;\n",
    "      var lb = el('label', 'chip ' + (name === 'verdict' ? 'v-' : 'l-') + v);\n",
    "      var cb = el('input');\n",
    "      cb.type = 'checkbox';\n",
    "      cb.value = v;\n",
    "      cb.name = name;\n",
    "      lb.appendChild(cb);\n",
    "      lb.appendChild(el('span', null, v));\n",
    "      lb.appendChild(el('span', 'n', n));\n",
    "      fs.appendChild(lb);\n",
    "    });\n",
    "    fs.addEventListener('change', function () {\n",
    "      var boxes = Array.prototype.slice.call(fs.querySelectorAll('input'));\n",
    "      state[name] = boxes.filter(function (x) { return x.checked; })\n",
    "        .map(function (x) { return x.value; });\n",
    "      state.id = '';\n",
    "      apply(false);\n",
    "    });\n",
    "    return fs;\n",
    "  }\n",
    "  filters.appendChild(chips('verdict', VERDICTS, 'verdict'));\n",
    "  filters.appendChild(chips('level', LEVELS, 'level'));\n",
    "  var tagCount = {};\n",
    "  cases.forEach(function (c) {\n",
    "    c.tags.forEach(function (t) { tagCount[t] = (tagCount[t] || 0) + 1; });\n",
    "  });\n",
    "  var tagSel = el('select');\n",
    "  tagSel.id = 'f-tag';\n",
    "  tagSel.appendChild(el('option', null, 'any tag')).value = '';\n",
    "  Object.keys(tagCount).sort().forEach(function (t) {\n",
    "    var o = el('option', null, t + ' (' + tagCount[t] + ')');\n",
    "    o.value = t;\n",
    "    tagSel.appendChild(o);\n",
    "  });\n",
    "  var tagLb = el('label', 'ctl', 'tag ');\n",
    "  tagLb.appendChild(tagSel);\n",
    "  filters.appendChild(tagLb);\n",
    "  tagSel.addEventListener('change', function () {\n",
    "    state.tag = tagSel.value;\n",
    "    state.id = '';\n",
    "    apply(false);\n",
    "  });\n",
    "  var q = el('input');\n",
    "  q.type = 'search';\n",
    "  q.id = 'f-q';\n",
    "  q.placeholder = 'id, title, requirement, reason, spec, tag';\n",
    "  q.setAttribute('aria-label', 'free text filter');\n",
    "  var qLb = el('label', 'ctl q', 'text ');\n",
    "  qLb.appendChild(q);\n",
    "  filters.appendChild(qLb);\n",
    "  var qTimer = 0;\n",
    "  q.addEventListener('input', function () {\n",
    "    clearTimeout(qTimer);\n",
    "    qTimer = setTimeout(function () {\n",
    "      state.q = q.value;\n",
    "      state.id = '';\n",
    "      apply(false);\n",
    "    }, 150);\n",
    "  });\n",
    "  var clr = el('button', 'clear', 'clear filters');\n",
    "  clr.type = 'button';\n",
    "  clr.addEventListener('click', function () {\n",
    "    state = { verdict: [], level: [], tag: '', q: '', id: '' };\n",
    "    apply(false);\n",
    "  });\n",
    "  filters.appendChild(clr);\n",
    "  document.addEventListener('keydown', function (e) {\n",
    "    if (e.key === '/' && document.activeElement !== q) {\n",
    "      e.preventDefault();\n",
    "      q.focus();\n",
    "    }\n",
    "  });\n",
    "\n",
    "  function syncControls() {\n",
    "    ['verdict', 'level'].forEach(function (name) {\n",
    "      var boxes = $('f-' + name).querySelectorAll('input');\n",
    "      for (var k = 0; k < boxes.length; k++) {\n",
    "        boxes[k].checked = state[name].indexOf(boxes[k].value) >= 0;\n",
    "      }\n",
    "    });\n",
    "    if (state.tag && !tagCount[state.tag]) {\n",
    "      var o = el('option', null, state.tag + ' (0)');\n",
    "      o.value = state.tag;\n",
    "      tagSel.appendChild(o);\n",
    "      tagCount[state.tag] = 0;\n",
    "    }\n",
    "    tagSel.value = state.tag;\n",
    "    if (q.value !== state.q) q.value = state.q;\n",
    "  }\n",
    "\n",
    "  /* ---- the case list, rendered in chunks ---- */\n",
    "  var shown = [], rendered = 0;\n",
    "  function row(i) {\n",
    "    var c = cases[i];\n",
    "    var d = el('details', 'case v-' + c.verdict);\n",
    "    d.setAttribute('data-id', c.id);\n",
    "    d.setAttribute('data-verdict', c.verdict);\n",
    "    d.setAttribute('data-level', c.level);\n",
    "    d.setAttribute('data-i', String(i));\n",
    "    var s = el('summary');\n",
    "    s.appendChild(el('span', 'badge v-' + c.verdict, c.verdict));\n",
    "    s.appendChild(el('span', 'lvl l-' + c.level, c.level));\n",
    "    s.appendChild(el('code', 'cid', c.id));\n",
    "    s.appendChild(el('span', 'ttl', c.title));\n",
    "    s.appendChild(el('span', 'dur', ms(c.duration_ms)));\n",
    "    if (c.verdict !== 'PASS' && c.reason) s.appendChild(el('span', 'why', c.reason));\n",
    "    d.appendChild(s);\n",
    "    return d;\n",
    "  }\n",
    "  function renderMore(upto) {\n",
    "    var end = Math.min(shown.length, Math.max(rendered + CHUNK, upto || 0));\n",
    "    var frag = document.createDocumentFragment();\n",
    "    for (; rendered < end; rendered++) frag.appendChild(row(shown[rendered]));\n",
    "    list.appendChild(frag);\n",
    "    var left = shown.length - rendered;\n",
    "    more.hidden = left <= 0;\n",
    "    more.textContent = left > 0\n",
    "      ? 'show ' + Math.min(left, CHUNK) + ' more (' + left + ' left)' : '';\n",
    "    status.setAttribute('data-rendered', String(rendered));\n",
    "  }\n",
    "  more.addEventListener('click', function () { renderMore(); });\n",
    "  if ('IntersectionObserver' in window) {\n",
    "    var io = new IntersectionObserver(function (ents) {\n",
    "      var hit = ents.some(function (x) { return x.isIntersecting; });\n",
    "      if (!hit || rendered >= shown.length) return;\n",
    "      renderMore();\n",
    "      io.unobserve(more);\n",
    "      io.observe(more);\n",
    "    }, { rootMargin: '600px' });\n",
    "    io.observe(more);\n",
    "  }\n",
    "\n",
    "  function apply(fromHash) {\n",
    "    var qs = terms();\n",
    "    shown = [];\n",
    "    for (var i = 0; i < cases.length; i++) {\n",
    "      if (matches(i, qs)) shown.push(i);\n",
    "    }\n",
    "    list.textContent = '';\n",
    "    rendered = 0;\n",
    "    renderMore();\n",
    "    status.setAttribute('data-shown', String(shown.length));\n",
    "    status.setAttribute('data-total', String(cases.length));\n",
    "    status.textContent = shown.length === cases.length\n",
    "      ? 'Showing all ' + cases.length + ' cases.'\n",
    "      : 'Showing ' + shown.length + ' of ' + cases.length + ' cases.';\n",
    "    if (!shown.length) {\n",
    "      list.appendChild(el('p', 'empty', 'No case matches these filters.'));\n",
    "    }\n",
    "    syncControls();\n",
    "    if (!fromHash) writeHash();\n",
    "    if (state.id) openCase(state.id, fromHash);\n",
    "  }\n",
    "  function openCase(id, scroll) {\n",
    "    var i = index[id], pos = i === undefined ? -1 : shown.indexOf(i);\n",
    "    if (pos < 0) return;\n",
    "    if (pos >= rendered) renderMore(pos + 1);\n",
    "    var d = list.children[pos];\n",
    "    build(d);\n",
    "    d.open = true;\n",
    "    var top = d.getBoundingClientRect().top;\n",
    "    if (scroll && (top < filters.offsetHeight || top > window.innerHeight - 80)) {\n",
    "      window.scrollTo(0, top + window.scrollY - filters.offsetHeight - 8);\n",
    "    }\n",
    "  }\n",
    "  list.addEventListener('toggle', function (e) {\n",
    "    var d = e.target;\n",
    "    if (!d.classList || !d.classList.contains('case')) return;\n",
    "    var id = d.getAttribute('data-id');\n",
    "    if (d.open) {\n",
    "      build(d);\n",
    "      state.id = id;\n",
    "    } else if (state.id === id) {\n",
    "      state.id = '';\n",
    "    }\n",
    "    writeHash();\n",
    "  }, true);\n",
    "  window.addEventListener('hashchange', function () {\n",
    "    state = parseHash();\n",
    "    apply(true);\n",
    "  });\n",
    "\n",
    "  /* ---- one case's details, built when first opened ---- */\n",
    "  function build(d) {\n",
    "    if (d.getAttribute('data-built')) return;\n",
    "    d.setAttribute('data-built', '1');\n",
    "    d.appendChild(body(cases[+d.getAttribute('data-i')]));\n",
    "  }\n",
    "  function kv(dl, k, v) {\n",
    "    dl.appendChild(el('dt', null, k));\n",
    "    var dd = el('dd');\n",
    "    if (v instanceof Node) dd.appendChild(v);\n",
    "    else dd.textContent = v;\n",
    "    dl.appendChild(dd);\n",
    "    return dd;\n",
    "  }\n",
    "  function specLinks(c) {\n",
    "    var span = el('span', 'spec');\n",
    "    c.spec.forEach(function (s, k) {\n",
    "      if (k) span.appendChild(document.createTextNode(' '));\n",
    "      var p = s.split(':'), d = DOCS[p[0]];\n",
    "      if (d && d.length) {\n",
    "        var a = el('a', null, s);\n",
    "        a.href = d[0];\n",
    "        a.title = d[1] + ', section \\u201c' + p[1] + '\\u201d, statement ' + p[2];\n",
    "        a.target = '_blank';\n",
    "        a.rel = 'noopener noreferrer';\n",
    "        span.appendChild(a);\n",
    "      } else {\n",
    "        var x = el('span', 'ref', s);\n",
    "        x.title = 'siospec reference behaviour (cases/spec/ref-*.tsv in siospec)';\n",
    "        span.appendChild(x);\n",
    "      }\n",
    "    });\n",
    "    return span;\n",
    "  }\n",
    "  function body(c) {\n",
    "    var b = el('div', 'body');\n",
    "    b.appendChild(el('p', 'req', c.requirement));\n",
    "    var dl = el('dl', 'meta');\n",
    "    if (c.raw_verdict !== c.verdict) {\n",
    "      kv(dl, 'verdict', c.verdict + ' (before the baseline: ' + c.raw_verdict + ')');\n",
    "    }\n",
    "    if (c.expected || c.seen) {\n",
    "      kv(dl, 'expected', c.expected).className = 'exp';\n",
    "      kv(dl, 'seen', c.seen).className = 'seen';\n",
    "    } else if (c.reason) {\n",
    "      kv(dl, 'reason', c.reason);\n",
    "    }\n",
    "    if (typeof c.baseline === 'string') kv(dl, 'baseline', c.baseline).className = 'base';\n",
    "    kv(dl, 'spec', specLinks(c));\n",
    "    var facts = [c.level, c.protocol + ' over ' + c.transport, 'group ' + c.group];\n",
    "    if (c.transports.length > 1) {\n",
    "      facts[1] += ' (case runs on ' + c.transports.join(', ') + ')';\n",
    "    }\n",
    "    if (c.tags.length) facts.push('tags ' + c.tags.join(', '));\n",
    "    if (c.needs.length) facts.push('needs ' + c.needs.join(', '));\n",
    "    facts.push(ms(c.duration_ms));\n",
    "    kv(dl, 'case', facts.join(' \\u00b7 '));\n",
    "    if (c.origin) kv(dl, 'official test', c.origin);\n",
    "    var rr = el('div', 'rerun');\n",
    "    var code = el('code', 'cmd', rerun(c));\n",
    "    var cp = el('button', 'copy', 'copy');\n",
    "    cp.type = 'button';\n",
    "    cp.addEventListener('click', function () {\n",
    "      var done = function () { cp.textContent = 'copied'; };\n",
    "      var sel = function () {\n",
    "        var r = document.createRange();\n",
    "        r.selectNodeContents(code);\n",
    "        var s = window.getSelection();\n",
    "        s.removeAllRanges();\n",
    "        s.addRange(r);\n",
    "        cp.textContent = 'selected';\n",
    "      };\n",
    "      if (!navigator.clipboard) return sel();\n",
    "      navigator.clipboard.writeText(code.textContent).then(done, sel);\n",
    "    });\n",
    "    rr.appendChild(code);\n",
    "    rr.appendChild(cp);\n",
    "    var ln = el('a', 'self', 'link to this case');\n",
    "    ln.href = '#id=' + encodeURIComponent(c.id);\n",
    "    rr.appendChild(ln);\n",
    "    kv(dl, 'rerun', rr);\n",
    "    b.appendChild(dl);\n",
    "    b.appendChild(transcript(c));\n",
    "    return b;\n",
    "  }\n",
    "\n",
    "  function transcript(c) {\n",
    "    var tr = c.transcript, w = el('div', 'tr');\n",
    "    var sessions = {};\n",
    "    tr.forEach(function (e) { sessions[e.session] = 1; });\n",
    "    var multi = Object.keys(sessions).length > 1;\n",
    "    var h = el('div', 'trh');\n",
    "    h.appendChild(el('strong', null, 'Wire transcript'));\n",
    "    h.appendChild(el('span', 'muted', ' ' + tr.length + ' events' + (multi ? ', '\n",
    "      + Object.keys(sessions).length + ' sessions' : '')));\n",
    "    w.appendChild(h);\n",
    "    if (!tr.length) {\n",
    "      w.appendChild(el('p', 'muted', 'No transcript recorded.'));\n",
    "      return w;\n",
    "    }\n",
    "    var tbl = el('table', 'tl');\n",
    "    var lb = el('label', 'raw');\n",
    "    var cb = el('input');\n",
    "    cb.type = 'checkbox';\n",
    "    cb.checked = true;\n",
    "    cb.addEventListener('change', function () {\n",
    "      tbl.classList.toggle('hide-bytes', !cb.checked);\n",
    "    });\n",
    "    lb.appendChild(cb);\n",
    "    lb.appendChild(document.createTextNode(' raw bytes'));\n",
    "    h.appendChild(lb);\n",
    "    var hr = el('tr');\n",
    "    ['t (ms)', 'dir', 'transport', 'ch', 'len', 'data'].forEach(function (t) {\n",
    "      hr.appendChild(el('th', null, t));\n",
    "    });\n",
    "    tbl.appendChild(el('thead')).appendChild(hr);\n",
    "    var tb = tbl.appendChild(el('tbody'));\n",
    "    w.appendChild(tbl);\n",
    "    var n = 0, btn = el('button', 'more');\n",
    "    btn.type = 'button';\n",
    "    function step() {\n",
    "      var end = Math.min(tr.length, n + TR_CHUNK);\n",
    "      var frag = document.createDocumentFragment();\n",
    "      for (; n < end; n++) frag.appendChild(trow(tr[n], multi));\n",
    "      tb.appendChild(frag);\n",
    "      var left = tr.length - n;\n",
    "      btn.hidden = left <= 0;\n",
    "      btn.textContent = 'show ' + Math.min(left, TR_CHUNK) + ' more events (' + left\n",
    "        + ' left)';\n",
    "    }\n",
    "    btn.addEventListener('click', step);\n",
    "    w.appendChild(btn);\n",
    "    step();\n",
    "    return w;\n",
    "  }\n",
    "  function trow(e, multi) {\n",
    "    var dir = e.dir === 'C>S' ? 'cs' : e.dir === 'S>C' ? 'sc' : 'note';\n",
    "    var r = el('tr', 'k-' + e.kind + ' d-' + dir);\n",
    "    var t = ((+e.t_us || 0) / 1000).toFixed(3);\n",
    "    r.appendChild(el('td', 't', (multi ? 's' + e.session + ' ' : '') + t));\n",
    "    var arrow = dir === 'cs' ? 'C\\u2192S' : dir === 'sc' ? 'S\\u2192C' : '\\u00b7';\n",
    "    r.appendChild(el('td', 'dir', arrow));\n",
    "    r.appendChild(el('td', 'tp', e.tp));\n",
    "    r.appendChild(el('td', 'ch', e.chan));\n",
    "    r.appendChild(el('td', 'len', e.len));\n",
    "    var td = el('td', 'data');\n",
    "    var data = typeof e.data === 'string' ? e.data : '';\n",
    "    if (data.length > DATA_MAX) {\n",
    "      td.appendChild(el('span', null, data.slice(0, DATA_MAX)));\n",
    "      var all = el('button', 'all', '\\u2026 show all ' + data.length + ' characters');\n",
    "      all.type = 'button';\n",
    "      all.addEventListener('click', function () { td.textContent = data; });\n",
    "      td.appendChild(all);\n",
    "    } else {\n",
    "      td.textContent = data;\n",
    "    }\n",
    "    r.appendChild(td);\n",
    "    return r;\n",
    "  }\n",
    "\n",
    "  state = parseHash();\n",
    "  apply(true);\n",
    "  root.setAttribute('data-ready', '1');\n",
    "  root.setAttribute('data-init-ms', String(Math.round(performance.now())));\n",
    "})();\n",
};

static void lines(FILE *f, const char *const *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputs(l[i], f);
}

/* |s| as HTML text or attribute value. */
static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* A whole number from the document (counts, ms, seed). */
static void num(FILE *f, unsigned long long v)
{
    fprintf(f, "%llu", v);
}

/* "4" / "3, 4" from an array of numbers, "-" when empty. */
static void num_list(FILE *f, const cJSON *a)
{
    const cJSON *v;
    int k = 0;
    cJSON_ArrayForEach(v, a)
    {
        if (k++)
            fputs(", ", f);
        if (cJSON_IsNumber(v))
            fprintf(f, "%d", v->valueint);
        else if (cJSON_IsString(v))
            esc(f, v->valuestring);
    }
    if (!k)
        fputs("&#8212;", f);
}

static void fact(FILE *f, const char *k)
{
    fprintf(f, "<dt>%s</dt><dd>", k);
}

static void facts(FILE *f, const cJSON *doc)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "target");
    const cJSON *tm = cJSON_GetObjectItemCaseSensitive(doc, "timing");
    fputs("<dl class=\"facts\">\n", f);
    fact(f, "target");
    fputs("<code>", f);
    esc(f, rpt_str(t, "name"));
    fputs("</code> (", f);
    esc(f, !strcmp(rpt_str(t, "mode"), "url") ? "a server at this URL"
                                              : "bundled, started by siospec");
    fputs(")</dd>\n", f);
    fact(f, "implementation");
    esc(f, *rpt_str(t, "implementation") ? rpt_str(t, "implementation") : "unknown");
    if (*rpt_str(t, "implementation_version")) {
        fputc(' ', f);
        esc(f, rpt_str(t, "implementation_version"));
    }
    fputs("</dd>\n", f);
    fact(f, "endpoint");
    fputs("<code>", f);
    esc(f, rpt_str(t, "path"));
    fputs("</code>, Engine.IO ", f);
    num_list(f, cJSON_GetObjectItemCaseSensitive(t, "eio"));
    fputs(", Socket.IO ", f);
    num_list(f, cJSON_GetObjectItemCaseSensitive(t, "sio"));
    fputs(", profiles ", f);
    num_list(f, cJSON_GetObjectItemCaseSensitive(t, "profiles"));
    fputs("</dd>\n", f);
    fact(f, "handshake");
    fputs("pingInterval ", f);
    num(f, rpt_count(t, "ping_interval"));
    fputs(" ms, pingTimeout ", f);
    num(f, rpt_count(t, "ping_timeout"));
    fputs(" ms, maxPayload ", f);
    num(f, rpt_count(t, "max_payload"));
    fputs("</dd>\n", f);
    if (rpt_count(t, "restarts") > 0) {
        fact(f, "restarts");
        num(f, rpt_count(t, "restarts"));
        fputs("</dd>\n", f);
    }
    if (*rpt_str(t, "note")) {
        fputs("<dt>note</dt><dd class=\"note\">", f);
        esc(f, rpt_str(t, "note"));
        fputs("</dd>\n", f);
    }
    fact(f, "siospec");
    esc(f, rpt_str(doc, "version"));
    fputs("</dd>\n", f);
    fact(f, "seed");
    num(f, rpt_count(doc, "seed"));
    fputs("</dd>\n", f);
    fact(f, "started");
    esc(f, rpt_str(doc, "start_time"));
    fputs("</dd>\n", f);
    fact(f, "timing");
    fputs("wall ", f);
    num(f, rpt_count(tm, "wall_ms"));
    fputs(" ms, sum of case times ", f);
    num(f, rpt_count(tm, "sum_ms"));
    fputs(" ms</dd>\n", f);
    fact(f, "longest");
    num(f, rpt_count(tm, "longest_ms"));
    fputs(" ms", f);
    if (*rpt_str(tm, "longest_id")) {
        fputs(" (<a href=\"#id=", f);
        esc(f, rpt_str(tm, "longest_id"));
        fputs("\"><code>", f);
        esc(f, rpt_str(tm, "longest_id"));
        fputs("</code></a>)", f);
    }
    fputs("</dd>\n", f);
    fact(f, "jobs");
    num(f, rpt_count(doc, "jobs"));
    fprintf(f, ", time windows &#215; %g</dd>\n", rpt_num(doc, "timeout_scale"));
    fputs("</dl>\n", f);
}

/* One cell of the counts table: a link to that filter, or a faint 0. */
static void count_cell(FILE *f, unsigned n, const char *verdict, const char *level)
{
    if (!n) {
        fputs("<td class=\"z\">0</td>", f);
        return;
    }
    fputs("<td><a href=\"#", f);
    if (verdict)
        fprintf(f, "verdict=%s", verdict);
    if (verdict && level)
        fputs("&amp;", f);
    if (level)
        fprintf(f, "level=%s", level);
    fprintf(f, "\">%u</a></td>", n);
}

static void counts(FILE *f, const cJSON *cases)
{
    unsigned c[RPT_L_COUNT + 1][RPT_V_COUNT + 1];
    memset(c, 0, sizeof(c));
    const cJSON *k;
    cJSON_ArrayForEach(k, cases)
    {
        int v = rpt_verdict_of(k), l = rpt_level_of(k);
        if (v < 0 || l < 0)
            continue;
        c[l][v]++;
        c[l][RPT_V_COUNT]++;
        c[RPT_L_COUNT][v]++;
        c[RPT_L_COUNT][RPT_V_COUNT]++;
    }
    fputs("<table class=\"counts\">\n<thead><tr><th scope=\"col\">level</th>", f);
    for (size_t v = 0; v < RPT_V_COUNT; v++)
        fprintf(f, "<th scope=\"col\" class=\"v-%s\">%s</th>", rpt_verdict_names[v],
                rpt_verdict_names[v]);
    fputs("<th scope=\"col\">total</th></tr></thead>\n<tbody>\n", f);
    for (size_t l = 0; l <= RPT_L_COUNT; l++) {
        const char *lv = l < RPT_L_COUNT ? rpt_level_names[l] : NULL;
        fprintf(f, "<tr%s><th scope=\"row\">%s</th>", lv ? "" : " class=\"all\"", lv ? lv : "all");
        for (size_t v = 0; v <= RPT_V_COUNT; v++)
            count_cell(f, c[l][v], v < RPT_V_COUNT ? rpt_verdict_names[v] : NULL, lv);
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

static const char *result_line(const cJSON *doc, int *ok)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(doc, "partial");
    unsigned long long code = rpt_count(doc, "exit_code");
    *ok = code == 0 && !cJSON_IsTrue(p);
    if (cJSON_IsTrue(p))
        return "interrupted: the run did not finish (exit code 1)";
    if (code == 0)
        return "every case as expected (exit code 0)";
    if (code == 3)
        return "the target could not be started or reached (exit code 3)";
    return "some case failed, errored or passed against its baseline (exit code 1)";
}

/* |json| for a <script> block: every '<' as \u003c. */
static void embed_text(FILE *f, const char *json)
{
    const char *p = json;
    for (const char *lt; (lt = strchr(p, '<')) != NULL; p = lt + 1) {
        fwrite(p, 1, (size_t)(lt - p), f);
        fputs("\\u003c", f);
    }
    fputs(p, f);
}

static int embed(FILE *f, const cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    if (!s) {
        errno = ENOMEM;
        return -1;
    }
    embed_text(f, s);
    free(s);
    return 0;
}

/* What the script takes from the writers' shared helpers rather than
 * knowing itself: the protocol documents the spec statements link to, and
 * the rerun command around " --filter ID". */
static int page_config(FILE *f, const cJSON *doc)
{
    static const char *const prefixes[] = {"eio4:", "eio3:", "sio5:", "sio4:"};
    cJSON *cfg = cJSON_CreateObject(), *docs = cJSON_AddObjectToObject(cfg, "docs");
    for (size_t i = 0; docs && i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        const char *title = NULL, *url = rpt_spec_doc_url(prefixes[i], &title);
        char key[5];
        memcpy(key, prefixes[i], 4);
        key[4] = '\0';
        cJSON *pair = cJSON_AddArrayToObject(docs, key);
        if (pair && url) {
            cJSON_AddItemToArray(pair, cJSON_CreateString(url));
            cJSON_AddItemToArray(pair, cJSON_CreateString(title ? title : ""));
        }
    }
    struct rpt_buf b = {0};
    rpt_rerun_target(&b, doc);
    cJSON *rerun = cJSON_AddArrayToObject(cfg, "rerun");
    if (rerun && !b.oom) {
        cJSON_AddItemToArray(rerun, cJSON_CreateString(b.p ? b.p : ""));
        char seed[48];
        snprintf(seed, sizeof(seed), " --seed %llu", rpt_count(doc, "seed"));
        cJSON_AddItemToArray(rerun, cJSON_CreateString(seed));
    }
    int rc = b.oom || !docs || !rerun ? -1 : embed(f, cfg);
    if (rc < 0)
        errno = ENOMEM;
    rpt_buf_free(&b);
    cJSON_Delete(cfg);
    return rc;
}

int rpt_html_write(const struct rpt_result *r, FILE *f)
{
    const cJSON *doc = r->doc;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "target");
    int ok;
    const char *line = result_line(doc, &ok);

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"siospec ",
          f);
    esc(f, rpt_str(doc, "version"));
    fputs("\">\n<title>siospec report: ", f);
    esc(f, rpt_str(t, "name"));
    fputs("</title>\n<style>\n", f);
    lines(f, html_css, sizeof(html_css) / sizeof(html_css[0]));
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>siospec report: <span class=\"tgt\">", f);
    esc(f, rpt_str(t, "name"));
    fprintf(f, "</span></h1>\n<p class=\"result %s\">", ok ? "ok" : "bad");
    num(f, (unsigned long long)cJSON_GetArraySize(r->cases));
    fprintf(f, " cases: %s</p>\n<div class=\"top\">\n", line);
    facts(f, doc);
    counts(f, r->cases);
    fputs("</div>\n</header>\n<nav id=\"filters\" aria-label=\"filters\"></nav>\n"
          "<noscript><p>The case list needs JavaScript; the summary above does not.</p>"
          "</noscript>\n<p id=\"status\"></p>\n<main>\n<div id=\"list\"></div>\n"
          "<button id=\"more\" type=\"button\" hidden></button>\n</main>\n"
          "<script type=\"application/json\" id=\"siospec-page\">",
          f);
    if (page_config(f, doc) < 0)
        return -1;
    fputs("</script>\n<script type=\"application/json\" id=\"siospec-data\">", f);
    if (embed(f, doc) < 0)
        return -1;
    fputs("</script>\n<script>\n", f);
    lines(f, html_js, sizeof(html_js) / sizeof(html_js[0]));
    fputs("</script>\n</body>\n</html>\n", f);
    if (fflush(f) != 0 || ferror(f)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
