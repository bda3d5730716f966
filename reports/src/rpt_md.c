/*
 * rpt_md.c - Markdown for a CI job summary (GitHub's $GITHUB_STEP_SUMMARY,
 * a GitLab merge-request note).
 *
 * A header (target, versions, seed, timing, the result), a table of counts
 * by level and verdict, then every FAIL, ERROR, XPASS and NON-STRICT entry
 * with its expected/seen line, spec statements, rerun command and the end
 * of its wire transcript; XFAIL, INFO, SKIP, PASS and NOT-RUN entries are
 * folded into <details>. The whole output stays under RPT_MD_MAX bytes for
 * any run: fields are clipped, and entries that no longer fit are left out
 * with a note that says how many.
 */
#include "rpt_util.h"

#include <string.h>

enum {
    FIELD_MAX = 600,     /* bytes of one expected / seen / requirement field */
    SHORT_MAX = 200,     /* bytes of a target name, id or title */
    TR_LINES = 12,       /* transcript events shown per failing entry */
    TR_SHOW = 200,       /* bytes of one event's data */
    RESERVE = 4096,      /* kept free for the notes and closing tags */
    PASS_PER_LINE = 400, /* ids on one PASS line before it wraps */
};

struct md {
    struct rpt_buf b;
    const cJSON *doc;
    size_t dropped; /* entries left out for the bound */
};

/* Appends |s| as Markdown inline text: the ASCII punctuation that GitHub's
 * Markdown would act on mid-line (emphasis, code, links, inline HTML,
 * entities, table cells, strike-through, math) is backslash-escaped, controls become spaces,
 * invalid UTF-8 becomes U+FFFD; at most |max| bytes of |s| (then "…"). */
static void md_text(struct rpt_buf *b, const char *s, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), show = max && n > max ? rpt_utf8_cut(s, max) : n;
    for (size_t i = 0; i < show;) {
        unsigned char c = p[i];
        if (c < 0x20 || c == 0x7f) {
            rpt_buf_puts(b, " ");
            i++;
        } else if (c < 0x80) {
            if (strchr("\\`*_[]<>|~&$", c))
                rpt_buf_puts(b, "\\");
            rpt_buf_put(b, (const char *)p + i, 1);
            i++;
        } else {
            uint32_t cp;
            int bad;
            size_t k = rpt_utf8_next(p + i, show - i, &cp, &bad);
            if (bad)
                rpt_buf_puts(b, "\xEF\xBF\xBD");
            else
                rpt_buf_put(b, (const char *)p + i, k);
            i += k;
        }
    }
    if (show < n)
        rpt_buf_puts(b, "\xE2\x80\xA6");
}

/* |s| as inline code. Code spans show their content literally, so only
 * backticks (fence length), controls and invalid UTF-8 need care; a cell
 * separator would still split a table row, so '|' does not go in code. */
static void md_code(struct rpt_buf *b, const char *s, size_t max)
{
    struct rpt_buf t = {0};
    rpt_one_line(&t, s, max);
    const char *v = t.p ? t.p : "";
    size_t run = 0, longest = 0;
    for (const char *q = v; *q; q++) {
        run = *q == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    if (strchr(v, '|') || !v[0]) {
        md_text(b, v, 0);
        rpt_buf_free(&t);
        return;
    }
    for (size_t i = 0; i <= longest; i++)
        rpt_buf_puts(b, "`");
    int pad = v[0] == '`' || v[strlen(v) - 1] == '`';
    if (pad)
        rpt_buf_puts(b, " ");
    /* Invalid UTF-8 in a code span: replace it too. */
    const unsigned char *p = (const unsigned char *)v;
    size_t n = strlen(v);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int bad;
        size_t k = p[i] < 0x80 ? 1 : rpt_utf8_next(p + i, n - i, &cp, &bad);
        if (p[i] >= 0x80 && bad)
            rpt_buf_puts(b, "\xEF\xBF\xBD");
        else
            rpt_buf_put(b, v + i, k);
        i += k;
    }
    if (pad)
        rpt_buf_puts(b, " ");
    for (size_t i = 0; i <= longest; i++)
        rpt_buf_puts(b, "`");
    rpt_buf_free(&t);
}

/* Adds |piece| when it fits under the bound with RESERVE to spare;
 * otherwise counts |entries| as dropped. Returns 1 when added. */
static int md_add(struct md *m, const struct rpt_buf *piece, size_t entries)
{
    if (piece->oom) {
        m->b.oom = 1;
        return 0;
    }
    if (m->dropped || m->b.len + piece->len + RESERVE > RPT_MD_MAX) {
        m->dropped += entries;
        return 0;
    }
    rpt_buf_put(&m->b, piece->p, piece->len);
    return 1;
}

static const char *icon(int v)
{
    switch (v) {
    case RPT_PASS:
        return "\xE2\x9C\x85 "; /* check mark */
    case RPT_FAIL:
        return "\xE2\x9D\x8C "; /* cross */
    case RPT_NON_STRICT:
        return "\xE2\x9A\xA0\xEF\xB8\x8F "; /* warning sign */
    case RPT_ERROR:
    case RPT_NOT_RUN:
        return "\xF0\x9F\x92\xA5 "; /* collision */
    case RPT_XPASS:
        return "\xE2\x9D\x97 "; /* exclamation */
    default:
        return "";
    }
}

static void header(struct md *m)
{
    struct rpt_buf *b = &m->b;
    const cJSON *doc = m->doc, *t = cJSON_GetObjectItemCaseSensitive(doc, "target");
    const cJSON *tm = cJSON_GetObjectItemCaseSensitive(doc, "timing");
    /* Counted from the entries, like the totals table (the summary object
     * is the writer's own count of the same). */
    unsigned long long k[RPT_V_COUNT] = {0}, n = 0;
    const cJSON *c, *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
    cJSON_ArrayForEach(c, cases)
    {
        int v = rpt_verdict_of(c);
        n++;
        if (v >= 0)
            k[v]++;
    }
    unsigned long long exit_code = rpt_count(doc, "exit_code");
    int partial = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "partial"));

    rpt_buf_puts(b, "## siospec conformance: ");
    md_text(b, rpt_str(t, "name"), SHORT_MAX);
    if (rpt_str(t, "implementation")[0]) {
        rpt_buf_puts(b, " (");
        md_text(b, rpt_str(t, "implementation"), SHORT_MAX);
        if (rpt_str(t, "implementation_version")[0]) {
            rpt_buf_puts(b, " ");
            md_text(b, rpt_str(t, "implementation_version"), SHORT_MAX);
        }
        rpt_buf_puts(b, ")");
    }
    rpt_buf_puts(b, "\n\n");

    rpt_buf_printf(b, "**%s** (exit %llu): %llu entries",
                   exit_code == 0   ? "\xE2\x9C\x85 every case as expected"
                   : exit_code == 3 ? "\xF0\x9F\x92\xA5 the target could not be started or reached"
                   : partial        ? "\xE2\x9A\xA0\xEF\xB8\x8F interrupted: the result is partial"
                                    : "\xE2\x9D\x8C some case failed, errored or xpassed",
                   exit_code, n);
    for (int v = 0; v < RPT_V_COUNT; v++)
        if (k[v])
            rpt_buf_printf(b, ", %s %llu", rpt_verdict_names[v], k[v]);
    rpt_buf_puts(b, "\n\n");

    rpt_buf_puts(b, "| | |\n|---|---|\n| Target | ");
    md_code(b, rpt_str(t, "name"), SHORT_MAX);
    rpt_buf_printf(b, " (%s",
                   strcmp(rpt_str(t, "mode"), "url") == 0 ? "started by the user"
                                                          : "started by siospec");
    if (rpt_str(t, "path")[0]) {
        rpt_buf_puts(b, ", path ");
        md_code(b, rpt_str(t, "path"), SHORT_MAX);
    }
    rpt_buf_puts(b, ") |\n| Implementation | ");
    if (rpt_str(t, "implementation")[0]) {
        md_text(b, rpt_str(t, "implementation"), SHORT_MAX);
        rpt_buf_puts(b, " ");
        md_text(b, rpt_str(t, "implementation_version"), SHORT_MAX);
    } else {
        rpt_buf_puts(b, "unknown");
    }
    rpt_buf_puts(b, " |\n| Server handshake | ");
    rpt_buf_printf(b, "pingInterval %llu ms, pingTimeout %llu ms, maxPayload %llu bytes |\n",
                   rpt_count(t, "ping_interval"), rpt_count(t, "ping_timeout"),
                   rpt_count(t, "max_payload"));
    rpt_buf_puts(b, "| siospec | ");
    md_text(b, rpt_str(doc, "version"), SHORT_MAX);
    rpt_buf_printf(b, ", seed %llu, %llu jobs, timeout scale %g |\n", rpt_count(doc, "seed"),
                   rpt_count(doc, "jobs"), rpt_num(doc, "timeout_scale"));
    rpt_buf_puts(b, "| Started | ");
    md_text(b, rpt_str(doc, "start_time"), SHORT_MAX);
    rpt_buf_printf(b, " |\n| Timing | %llu ms wall, %llu ms summed over entries, longest %llu ms",
                   rpt_count(tm, "wall_ms"), rpt_count(tm, "sum_ms"), rpt_count(tm, "longest_ms"));
    if (rpt_str(tm, "longest_id")[0]) {
        rpt_buf_puts(b, " (");
        md_code(b, rpt_str(tm, "longest_id"), SHORT_MAX);
        rpt_buf_puts(b, ")");
    }
    rpt_buf_puts(b, " |\n");
    if (rpt_str(t, "note")[0]) {
        rpt_buf_puts(b, "| Target note | ");
        md_text(b, rpt_str(t, "note"), FIELD_MAX);
        rpt_buf_puts(b, " |\n");
    }
    if (rpt_count(t, "restarts"))
        rpt_buf_printf(b, "| Restarts | the server died and was restarted %llu time(s) |\n",
                       rpt_count(t, "restarts"));
    if (partial)
        rpt_buf_puts(b, "| Partial | the run was interrupted; entries not run are NOT-RUN |\n");
    rpt_buf_puts(b, "\n");
}

static void totals(struct md *m)
{
    unsigned long long k[RPT_L_COUNT + 1][RPT_V_COUNT + 1] = {{0}};
    const cJSON *c, *cases = cJSON_GetObjectItemCaseSensitive(m->doc, "cases");
    cJSON_ArrayForEach(c, cases)
    {
        int l = rpt_level_of(c), v = rpt_verdict_of(c);
        if (l < 0 || v < 0)
            continue;
        k[l][v]++;
        k[l][RPT_V_COUNT]++;
        k[RPT_L_COUNT][v]++;
        k[RPT_L_COUNT][RPT_V_COUNT]++;
    }
    /* Columns: every verdict that occurs, and FAIL and ERROR always. */
    int show[RPT_V_COUNT];
    for (int v = 0; v < RPT_V_COUNT; v++)
        show[v] = k[RPT_L_COUNT][v] || v == RPT_PASS || v == RPT_FAIL || v == RPT_ERROR;
    struct rpt_buf *b = &m->b;
    rpt_buf_puts(b, "### Totals by level and verdict\n\n| Level |");
    for (int v = 0; v < RPT_V_COUNT; v++)
        if (show[v])
            rpt_buf_printf(b, " %s |", rpt_verdict_names[v]);
    rpt_buf_puts(b, " Total |\n|---|");
    for (int v = 0; v <= RPT_V_COUNT; v++)
        if (v == RPT_V_COUNT || show[v])
            rpt_buf_puts(b, "--:|");
    rpt_buf_puts(b, "\n");
    for (int l = 0; l <= RPT_L_COUNT; l++) {
        if (l < RPT_L_COUNT && !k[l][RPT_V_COUNT])
            continue;
        rpt_buf_printf(b, l < RPT_L_COUNT ? "| %s |" : "| **%s** |",
                       l < RPT_L_COUNT ? rpt_level_names[l] : "All");
        for (int v = 0; v <= RPT_V_COUNT; v++)
            if (v == RPT_V_COUNT || show[v])
                rpt_buf_printf(b, l < RPT_L_COUNT ? " %llu |" : " **%llu** |", k[l][v]);
        rpt_buf_puts(b, "\n");
    }
    rpt_buf_puts(b, "\n");
}

/* Fenced code block whose fence is longer than any backtick run inside. */
static void md_fence(struct rpt_buf *b, const struct rpt_buf *body)
{
    size_t run = 0, longest = 2;
    for (size_t i = 0; i < body->len; i++) {
        run = body->p[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (size_t i = 0; i <= longest; i++)
        rpt_buf_puts(b, "`");
    rpt_buf_puts(b, "text\n");
    rpt_buf_put(b, body->p, body->len);
    for (size_t i = 0; i <= longest; i++)
        rpt_buf_puts(b, "`");
    rpt_buf_puts(b, "\n");
}

static void field(struct rpt_buf *b, const char *label, const char *v)
{
    if (!v[0])
        return;
    rpt_buf_printf(b, "- **%s:** ", label);
    md_text(b, v, FIELD_MAX);
    rpt_buf_puts(b, "\n");
}

static void failing_entry(struct md *m, const cJSON *c, int v)
{
    struct rpt_buf p = {0};
    rpt_buf_printf(&p, "#### %s%s ", icon(v), rpt_verdict_names[v]);
    md_code(&p, rpt_str(c, "id"), SHORT_MAX);
    rpt_buf_puts(&p, ": ");
    md_text(&p, rpt_str(c, "title"), SHORT_MAX);
    rpt_buf_puts(&p, "\n\n- ");
    md_text(&p, rpt_str(c, "level"), SHORT_MAX);
    rpt_buf_puts(&p, ", group ");
    md_code(&p, rpt_str(c, "group"), SHORT_MAX);
    rpt_buf_puts(&p, ", ");
    md_text(&p, rpt_str(c, "transport"), SHORT_MAX);
    rpt_buf_printf(&p, ", %llu ms", rpt_count(c, "duration_ms"));
    if (strcmp(rpt_str(c, "raw_verdict"), rpt_str(c, "verdict")) != 0) {
        rpt_buf_puts(&p, ", raw verdict ");
        md_text(&p, rpt_str(c, "raw_verdict"), SHORT_MAX);
    }
    rpt_buf_puts(&p, "\n");
    const char *exp = rpt_str(c, "expected"), *seen = rpt_str(c, "seen");
    field(&p, "Expected", exp);
    field(&p, "Seen", seen);
    if (!exp[0] && !seen[0])
        field(&p, "Reason", rpt_str(c, "reason"));
    if (v == RPT_XPASS)
        field(&p, "Baseline expects a failure", rpt_str(c, "baseline"));
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(c, "spec"), *s;
    if (cJSON_GetArraySize(spec) > 0) {
        rpt_buf_puts(&p, "- **Spec:**");
        int i = 0;
        cJSON_ArrayForEach(s, spec) if (cJSON_IsString(s))
        {
            rpt_buf_puts(&p, i++ ? ", " : " ");
            md_code(&p, s->valuestring, SHORT_MAX);
        }
        /* Each protocol document named, once, as a link. */
        const char *seen_urls[8];
        size_t nurls = 0;
        cJSON_ArrayForEach(s, spec)
        {
            const char *title = NULL;
            const char *url = cJSON_IsString(s) ? rpt_spec_doc_url(s->valuestring, &title) : NULL;
            size_t k = 0;
            while (url && k < nurls && seen_urls[k] != url)
                k++;
            if (!url || k < nurls || nurls == sizeof(seen_urls) / sizeof(seen_urls[0]))
                continue;
            seen_urls[nurls] = url;
            rpt_buf_printf(&p, "%s[%s](%s)", nurls++ ? ", " : " (", title, url);
        }
        rpt_buf_puts(&p, nurls ? ")\n" : "\n");
    }
    field(&p, "Requirement", rpt_str(c, "requirement"));
    rpt_buf_puts(&p, "- **Rerun:** ");
    struct rpt_buf cmd = {0};
    rpt_rerun_cmd(&cmd, m->doc, rpt_str(c, "id"));
    md_code(&p, cmd.p ? cmd.p : "", 0);
    rpt_buf_free(&cmd);
    rpt_buf_puts(&p, "\n\n");

    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(c, "transcript"), *ev;
    int n = cJSON_GetArraySize(tr), from = n > TR_LINES ? n - TR_LINES : 0, i = 0;
    if (n > 0) {
        rpt_buf_printf(&p, "<details><summary>wire transcript (%s%d of %d events)</summary>\n\n",
                       from ? "last " : "", n - from, n);
        struct rpt_buf body = {0};
        rpt_buf_printf(&body, "%s\n", rpt_tr_header);
        cJSON_ArrayForEach(ev, tr)
        {
            if (i++ < from)
                continue;
            rpt_tr_line(&body, ev, TR_SHOW);
            rpt_buf_puts(&body, "\n");
        }
        md_fence(&p, &body);
        rpt_buf_free(&body);
        rpt_buf_puts(&p, "\n</details>\n\n");
    }
    md_add(m, &p, 1);
    rpt_buf_free(&p);
}

/* The entries of verdict |v|, one list line each, folded. */
static void folded(struct md *m, int v, const char *what)
{
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(m->doc, "cases"), *c;
    size_t n = 0;
    cJSON_ArrayForEach(c, cases) if (rpt_verdict_of(c) == v) n++;
    if (!n)
        return;
    struct rpt_buf p = {0};
    rpt_buf_printf(&p, "<details><summary>%s %zu: %s</summary>\n\n", rpt_verdict_names[v], n, what);
    if (!md_add(m, &p, n)) {
        rpt_buf_free(&p);
        return;
    }
    if (v == RPT_PASS) {
        /* Ids only, a line per group. */
        const char *g = NULL;
        size_t on_line = 0;
        cJSON_ArrayForEach(c, cases)
        {
            if (rpt_verdict_of(c) != v)
                continue;
            p.len = 0;
            const char *cg = rpt_str(c, "group");
            if (!g || strcmp(g, cg) != 0 || on_line == PASS_PER_LINE) {
                if (g)
                    rpt_buf_puts(&p, "\n");
                rpt_buf_puts(&p, "- ");
                md_code(&p, cg, SHORT_MAX);
                rpt_buf_puts(&p, ":");
                g = cg;
                on_line = 0;
            }
            rpt_buf_puts(&p, on_line++ ? ", " : " ");
            md_code(&p, rpt_str(c, "id"), SHORT_MAX);
            md_add(m, &p, 1);
        }
        p.len = 0;
        rpt_buf_puts(&p, "\n");
        md_add(m, &p, 0);
    } else {
        cJSON_ArrayForEach(c, cases)
        {
            if (rpt_verdict_of(c) != v)
                continue;
            p.len = 0;
            rpt_buf_puts(&p, "- ");
            md_code(&p, rpt_str(c, "id"), SHORT_MAX);
            rpt_buf_puts(&p, " (");
            md_text(&p, rpt_str(c, "level"), SHORT_MAX);
            rpt_buf_puts(&p, "): ");
            if (v == RPT_XFAIL) {
                md_text(&p, rpt_str(c, "baseline"), FIELD_MAX);
                rpt_buf_puts(&p, "; ");
            }
            const char *why =
                v == RPT_INFO && rpt_str(c, "seen")[0] ? rpt_str(c, "seen") : rpt_str(c, "reason");
            md_text(&p, why[0] ? why : "-", FIELD_MAX);
            rpt_buf_puts(&p, "\n");
            md_add(m, &p, 1);
        }
    }
    /* The closing tag was reserved for when the opening one went in. */
    rpt_buf_puts(&m->b, "\n</details>\n\n");
    rpt_buf_free(&p);
}

int rpt_md_write(const struct rpt_result *r, FILE *f)
{
    struct md m = {.doc = r->doc};
    header(&m);
    totals(&m);
    static const int failing[] = {RPT_FAIL, RPT_ERROR, RPT_XPASS, RPT_NON_STRICT};
    size_t nfail = 0;
    const cJSON *c;
    for (size_t i = 0; i < sizeof(failing) / sizeof(failing[0]); i++)
        cJSON_ArrayForEach(c, r->cases) if (rpt_verdict_of(c) == failing[i]) nfail++;
    /* Entries with a verdict siospec does not know are failures too. */
    cJSON_ArrayForEach(c, r->cases) if (rpt_verdict_of(c) < 0) nfail++;
    rpt_buf_printf(&m.b, "### Failing entries: %zu\n\n", nfail);
    if (!nfail)
        rpt_buf_puts(&m.b, "None.\n\n");
    for (size_t i = 0; i < sizeof(failing) / sizeof(failing[0]); i++)
        cJSON_ArrayForEach(c, r->cases) if (rpt_verdict_of(c) == failing[i])
            failing_entry(&m, c, failing[i]);
    cJSON_ArrayForEach(c, r->cases) if (rpt_verdict_of(c) < 0)
    {
        struct rpt_buf p = {0};
        rpt_buf_puts(&p, "- ");
        md_code(&p, rpt_str(c, "id"), SHORT_MAX);
        rpt_buf_puts(&p, ": unknown verdict ");
        md_text(&p, rpt_str(c, "verdict"), SHORT_MAX);
        rpt_buf_puts(&p, "\n\n");
        md_add(&m, &p, 1);
        rpt_buf_free(&p);
    }
    rpt_buf_puts(&m.b, "### Other entries\n\n");
    folded(&m, RPT_XFAIL, "known deviations (baseline)");
    folded(&m, RPT_NOT_RUN, "not run");
    folded(&m, RPT_INFO, "behaviour recorded");
    folded(&m, RPT_SKIP, "not applicable to this target");
    folded(&m, RPT_PASS, "passed");
    if (m.dropped)
        rpt_buf_printf(&m.b,
                       "> **Truncated:** %zu entries are not shown, to keep this summary under "
                       "1 MiB. Every entry is in the JSON result, the JUnit file and the HTML "
                       "report.\n",
                       m.dropped);
    int rc = rpt_buf_flush(&m.b, f);
    rpt_buf_free(&m.b);
    return rc;
}
