/*
 * rpt_junit.c - JUnit XML in the Jenkins/Ant dialect that Jenkins, GitLab
 * and GitHub test reporters read (schema: reports/schema/junit.xsd).
 *
 * One <testsuite> per group (in the order groups first appear), one
 * <testcase> per entry (name = id, classname = group, time in seconds):
 *   PASS        passed
 *   INFO        passed, what was seen in <system-out>
 *   FAIL        <failure type="MUST">, NON-STRICT <failure type="SHOULD">
 *               (the case's level), the expected/seen line as the message
 *               and the requirement, spec statements, rerun command and the
 *               end of the wire transcript as the body
 *   XPASS       <failure type="XPASS"> (a baseline entry now passes)
 *   ERROR       <error type="ERROR">
 *   NOT-RUN     <error type="NOT-RUN"> (the run was interrupted; it fails
 *               the run as siospec's exit status does)
 *   SKIP        <skipped> with the reason
 *   XFAIL       <skipped> with the baseline's reason
 * Counts (tests, failures, errors, skipped) are on every <testsuite> and on
 * <testsuites>. Text is escaped for XML 1.0: characters XML cannot hold
 * (C0 controls other than tab, newline and carriage return, U+FFFE/U+FFFF)
 * are dropped and invalid UTF-8 becomes U+FFFD.
 */
#include "rpt_util.h"

#include <stdlib.h>
#include <string.h>

enum {
    MSG_MAX = 2000,  /* bytes of a message attribute */
    TR_LINES = 40,   /* transcript events in a failure body */
    TR_SHOW = 400,   /* bytes of one event's data in a failure body */
    TEXT_MAX = 4000, /* bytes of requirement / expected / seen in a body */
};

/* Appends |s| escaped for XML character data (|attr| = 0) or a
 * double-quoted attribute value (|attr| = 1). */
static void xml_esc(struct rpt_buf *b, const char *s, int attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, run = 0;
    while (i < n) {
        unsigned char c = p[i];
        const char *rep = NULL;
        size_t step = 1;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (attr && c == '"')
            rep = "&quot;";
        else if (attr && c == '\'')
            rep = "&apos;";
        else if (c == '\r')
            rep = "&#13;"; /* kept: a parser would normalise a raw CR away */
        else if (attr && c == '\n')
            rep = "&#10;";
        else if (attr && c == '\t')
            rep = "&#9;";
        else if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x80)) {
            i++;
            continue;
        } else if (c < 0x20) {
            rep = ""; /* not an XML 1.0 character: dropped */
        } else {
            uint32_t cp;
            int bad;
            step = rpt_utf8_next(p + i, n - i, &cp, &bad);
            if (bad)
                rep = "\xEF\xBF\xBD";
            else if (cp == 0xFFFE || cp == 0xFFFF)
                rep = "";
            else {
                i += step;
                continue;
            }
        }
        rpt_buf_put(b, s + run, i - run);
        rpt_buf_puts(b, rep);
        i += step;
        run = i;
    }
    rpt_buf_put(b, s + run, n - run);
}

/* |s| as an attribute value, on one line and at most |max| bytes. */
static void xml_attr(struct rpt_buf *b, const char *name, const char *s, size_t max)
{
    struct rpt_buf t = {0};
    rpt_one_line(&t, s, max);
    rpt_buf_printf(b, " %s=\"", name);
    xml_esc(b, t.p ? t.p : "", 1);
    rpt_buf_puts(b, "\"");
    rpt_buf_free(&t);
}

static void seconds(struct rpt_buf *b, const char *name, unsigned long long ms)
{
    rpt_buf_printf(b, " %s=\"%llu.%03llu\"", name, ms / 1000, ms % 1000);
}

struct counts {
    unsigned long long tests, failures, errors, skipped, ms;
};

static void count(struct counts *k, const cJSON *c)
{
    k->tests++;
    k->ms += rpt_count(c, "duration_ms");
    switch (rpt_verdict_of(c)) {
    case RPT_PASS:
    case RPT_INFO:
        break;
    case RPT_FAIL:
    case RPT_NON_STRICT:
    case RPT_XPASS:
        k->failures++;
        break;
    case RPT_SKIP:
    case RPT_XFAIL:
        k->skipped++;
        break;
    default: /* ERROR, NOT-RUN and unknown verdicts */
        k->errors++;
        break;
    }
}

static void counts_attrs(struct rpt_buf *b, const struct counts *k)
{
    rpt_buf_printf(b, " tests=\"%llu\" failures=\"%llu\" errors=\"%llu\" skipped=\"%llu\"",
                   k->tests, k->failures, k->errors, k->skipped);
}

/* "expected X; seen Y" when the case says both, else its reason. */
static const char *message_of(const cJSON *c, struct rpt_buf *tmp)
{
    const char *exp = rpt_str(c, "expected"), *seen = rpt_str(c, "seen");
    const char *reason = rpt_str(c, "reason");
    if (reason[0])
        return reason;
    if (exp[0] || seen[0]) {
        rpt_buf_printf(tmp, "expected %s; seen %s", exp[0] ? exp : "-", seen[0] ? seen : "-");
        return tmp->p;
    }
    return rpt_str(c, "verdict");
}

static void text_line(struct rpt_buf *b, const char *label, const char *v)
{
    if (!v[0])
        return;
    struct rpt_buf t = {0};
    rpt_buf_printf(&t, "%s: ", label);
    rpt_one_line(&t, v, TEXT_MAX);
    rpt_buf_puts(&t, "\n");
    xml_esc(b, t.p ? t.p : "", 0);
    rpt_buf_free(&t);
}

/* The body of a failure or error: what a maintainer needs first. */
static void body(struct rpt_buf *b, const cJSON *doc, const cJSON *c)
{
    struct rpt_buf t = {0};
    rpt_buf_printf(&t, "%s %s (%s, raw verdict %s)\n", rpt_str(c, "verdict"), rpt_str(c, "id"),
                   rpt_str(c, "level"), rpt_str(c, "raw_verdict"));
    xml_esc(b, t.p ? t.p : "", 0);
    rpt_buf_free(&t);
    text_line(b, "title", rpt_str(c, "title"));
    text_line(b, "requirement", rpt_str(c, "requirement"));
    text_line(b, "expected", rpt_str(c, "expected"));
    text_line(b, "seen", rpt_str(c, "seen"));
    if (!rpt_str(c, "expected")[0] && !rpt_str(c, "seen")[0])
        text_line(b, "reason", rpt_str(c, "reason"));
    text_line(b, "baseline", rpt_str(c, "baseline"));
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(c, "spec"), *s;
    if (cJSON_GetArraySize(spec) > 0) {
        rpt_buf_puts(&t, "spec:");
        cJSON_ArrayForEach(s, spec) if (cJSON_IsString(s))
        {
            rpt_buf_puts(&t, " ");
            rpt_one_line(&t, s->valuestring, 200);
        }
        rpt_buf_puts(&t, "\n");
    }
    rpt_buf_puts(&t, "rerun: ");
    rpt_rerun_cmd(&t, doc, rpt_str(c, "id"));
    rpt_buf_puts(&t, "\n");
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(c, "transcript");
    int n = cJSON_GetArraySize(tr), from = n > TR_LINES ? n - TR_LINES : 0;
    if (n > 0) {
        if (from)
            rpt_buf_printf(&t, "\nwire transcript (last %d of %d events):\n", n - from, n);
        else
            rpt_buf_printf(&t, "\nwire transcript (%d events):\n", n);
        rpt_buf_printf(&t, "%s\n", rpt_tr_header);
        int i = 0;
        const cJSON *ev;
        cJSON_ArrayForEach(ev, tr)
        {
            if (i++ < from)
                continue;
            rpt_tr_line(&t, ev, TR_SHOW);
            rpt_buf_puts(&t, "\n");
        }
    }
    xml_esc(b, t.p ? t.p : "", 0);
    rpt_buf_free(&t);
}

static void testcase(struct rpt_buf *b, const cJSON *doc, const cJSON *c)
{
    rpt_buf_puts(b, "    <testcase");
    xml_attr(b, "name", rpt_str(c, "id"), 0);
    xml_attr(b, "classname", rpt_str(c, "group"), 0);
    seconds(b, "time", rpt_count(c, "duration_ms"));
    int v = rpt_verdict_of(c);
    if (v == RPT_PASS) {
        rpt_buf_puts(b, "/>\n");
        return;
    }
    rpt_buf_puts(b, ">\n");
    struct rpt_buf tmp = {0};
    const char *msg = message_of(c, &tmp);
    switch (v) {
    case RPT_INFO:
        rpt_buf_puts(b, "      <system-out>");
        text_line(b, "INFO", rpt_str(c, "seen")[0] ? rpt_str(c, "seen") : msg);
        text_line(b, "requirement", rpt_str(c, "requirement"));
        rpt_buf_puts(b, "</system-out>\n");
        break;
    case RPT_SKIP:
        rpt_buf_puts(b, "      <skipped");
        xml_attr(b, "message", msg, MSG_MAX);
        rpt_buf_puts(b, "/>\n");
        break;
    case RPT_XFAIL: {
        struct rpt_buf m = {0};
        rpt_buf_printf(&m, "XFAIL (known deviation, raw verdict %s): %s", rpt_str(c, "raw_verdict"),
                       rpt_str(c, "baseline"));
        rpt_buf_puts(b, "      <skipped");
        xml_attr(b, "message", m.p ? m.p : "", MSG_MAX);
        rpt_buf_puts(b, ">");
        text_line(b, "reason", msg);
        rpt_buf_puts(b, "</skipped>\n");
        rpt_buf_free(&m);
        break;
    }
    case RPT_FAIL:
    case RPT_NON_STRICT:
    case RPT_XPASS: {
        struct rpt_buf m = {0};
        if (v == RPT_XPASS) {
            rpt_buf_printf(&m, "XPASS: passes, but the baseline expects a failure: %s",
                           rpt_str(c, "baseline"));
            msg = m.p ? m.p : "";
        }
        rpt_buf_puts(b, "      <failure");
        xml_attr(b, "message", msg, MSG_MAX);
        xml_attr(b, "type", v == RPT_XPASS ? "XPASS" : rpt_str(c, "level"), 0);
        rpt_buf_puts(b, ">");
        body(b, doc, c);
        rpt_buf_puts(b, "</failure>\n");
        rpt_buf_free(&m);
        break;
    }
    default: {
        struct rpt_buf m = {0};
        const char *type = v == RPT_NOT_RUN ? "NOT-RUN" : "ERROR";
        if (v == RPT_NOT_RUN)
            msg = "not run: the run was interrupted or the target could not be reached";
        else if (v < 0) {
            rpt_buf_puts(&m, "unknown verdict: ");
            rpt_buf_puts(&m, rpt_str(c, "verdict"));
            msg = m.p ? m.p : "";
        }
        rpt_buf_puts(b, "      <error");
        xml_attr(b, "message", msg, MSG_MAX);
        xml_attr(b, "type", type, 0);
        rpt_buf_puts(b, ">");
        body(b, doc, c);
        rpt_buf_puts(b, "</error>\n");
        rpt_buf_free(&m);
        break;
    }
    }
    rpt_buf_free(&tmp);
    rpt_buf_puts(b, "    </testcase>\n");
}

static void property(struct rpt_buf *b, const char *name, const char *value)
{
    rpt_buf_puts(b, "      <property");
    xml_attr(b, "name", name, 0);
    xml_attr(b, "value", value, MSG_MAX);
    rpt_buf_puts(b, "/>\n");
}

static void properties(struct rpt_buf *b, const cJSON *doc)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "target");
    char num[32];
    rpt_buf_puts(b, "    <properties>\n");
    property(b, "siospec.version", rpt_str(doc, "version"));
    property(b, "siospec.target", rpt_str(t, "name"));
    property(b, "siospec.target.mode", rpt_str(t, "mode"));
    property(b, "siospec.implementation", rpt_str(t, "implementation"));
    property(b, "siospec.implementation_version", rpt_str(t, "implementation_version"));
    snprintf(num, sizeof(num), "%llu", rpt_count(doc, "seed"));
    property(b, "siospec.seed", num);
    property(b, "siospec.start_time", rpt_str(doc, "start_time"));
    property(b, "siospec.partial",
             cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "partial")) ? "true" : "false");
    snprintf(num, sizeof(num), "%llu", rpt_count(doc, "exit_code"));
    property(b, "siospec.exit_code", num);
    rpt_buf_puts(b, "    </properties>\n");
}

/* The timestamp attribute takes an xs:dateTime; anything else is left out. */
static int is_timestamp(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != sizeof(pat) - 1)
        return 0;
    for (size_t i = 0; pat[i]; i++)
        if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != pat[i])
            return 0;
    return 1;
}

int rpt_junit_write(const struct rpt_result *r, FILE *f)
{
    const cJSON *doc = r->doc, *c, *timing = cJSON_GetObjectItemCaseSensitive(r->doc, "timing");
    const char *ts = rpt_str(doc, "start_time");
    struct counts all = {0};
    cJSON_ArrayForEach(c, r->cases) count(&all, c);

    struct rpt_buf b = {0};
    rpt_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    struct rpt_buf name = {0};
    rpt_buf_printf(&name, "siospec %s",
                   rpt_str(cJSON_GetObjectItemCaseSensitive(doc, "target"), "name"));
    xml_attr(&b, "name", name.p, MSG_MAX);
    rpt_buf_free(&name);
    counts_attrs(&b, &all);
    seconds(&b, "time", rpt_count(timing, "wall_ms"));
    if (is_timestamp(ts))
        xml_attr(&b, "timestamp", ts, 0);
    rpt_buf_puts(&b, ">\n");

    /* Groups in the order they first appear; each suite gathers its cases
     * wherever they sit in the document. */
    int n = cJSON_GetArraySize(r->cases), suite = 0;
    int rc = 0;
    const cJSON **arr = n > 0 ? calloc((size_t)n, sizeof(*arr)) : NULL;
    if (n > 0 && !arr)
        b.oom = 1;
    int k = 0;
    cJSON_ArrayForEach(c, r->cases) if (arr) arr[k++] = c;
    for (int i = 0; arr && i < n && rc == 0; i++) {
        const char *g = rpt_str(arr[i], "group");
        int first = 1;
        for (int j = 0; j < i && first; j++)
            if (strcmp(rpt_str(arr[j], "group"), g) == 0)
                first = 0;
        if (!first)
            continue;
        struct counts gk = {0};
        for (int j = i; j < n; j++)
            if (strcmp(rpt_str(arr[j], "group"), g) == 0)
                count(&gk, arr[j]);
        rpt_buf_puts(&b, "  <testsuite");
        xml_attr(&b, "name", g, 0);
        counts_attrs(&b, &gk);
        seconds(&b, "time", gk.ms);
        if (is_timestamp(ts))
            xml_attr(&b, "timestamp", ts, 0);
        rpt_buf_printf(&b, " id=\"%d\">\n", suite++);
        properties(&b, doc);
        for (int j = i; j < n; j++)
            if (strcmp(rpt_str(arr[j], "group"), g) == 0)
                testcase(&b, doc, arr[j]);
        rpt_buf_puts(&b, "  </testsuite>\n");
        if (b.len > (1u << 20))
            rc = rpt_buf_flush(&b, f);
    }
    free(arr);
    rpt_buf_puts(&b, "</testsuites>\n");
    if (rc == 0)
        rc = rpt_buf_flush(&b, f);
    rpt_buf_free(&b);
    return rc;
}
