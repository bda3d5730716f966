/*
 * test_reports.c - unit tests of the report writers, from hand-written
 * result documents: loading, XML escaping, JUnit counts and mapping (an
 * XFAIL is skipped with its baseline reason), the Markdown bound, the rerun
 * command in url mode, HTML escaping, the transcript files, and golden
 * outputs (reports/tests/golden; rewrite them
 * with RPT_UPDATE_GOLDEN=1 after a deliberate change, then review the diff).
 *
 * usage: test_reports [suite [test]] | --junit
 */
#include <CUnit/Automated.h>
#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/rpt.h"

#ifndef RPT_GOLDEN_DIR
#define RPT_GOLDEN_DIR "reports/tests/golden"
#endif

/* ---- helpers ---------------------------------------------------------- */

typedef int (*writer_fn)(const struct rpt_result *, FILE *);

static char *render(const struct rpt_result *r, writer_fn fn, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(fn(r, f) == 0);
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

static struct rpt_result *load(const char *json)
{
    struct rpt_result *r = NULL;
    char err[256] = "";
    int rc = rpt_load(&r, json, strlen(json), err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "\nrpt_load: %s\n", err);
    CU_ASSERT_FATAL(rc == 0 && r != NULL);
    return r;
}

static struct rpt_result *load_doc(cJSON *doc)
{
    char *s = cJSON_PrintUnformatted(doc);
    CU_ASSERT_FATAL(s != NULL);
    struct rpt_result *r = load(s);
    free(s);
    return r;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof(tmp), f)) > 0)
        fwrite(tmp, 1, got, m);
    fclose(f);
    fclose(m);
    if (len)
        *len = n;
    return buf;
}

static int contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    fprintf(stderr, "\nmissing: %s\n", needle);
    return 0;
}

/* noinline: GCC 12 mistakes the open_memstream buffer for a dangling local
 * once this is inlined (-Wdangling-pointer). */
__attribute__((noinline)) static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, at = 0;
    const char *p;
    while ((p = strstr(hay + at, needle)) != NULL) {
        n++;
        at = (size_t)(p - hay) + 1;
    }
    return n;
}

/* The testcase element of |id| (up to its end), or NULL. */
static char *testcase_of(const char *xml, const char *id)
{
    char key[256];
    snprintf(key, sizeof(key), "<testcase name=\"%s\"", id);
    const char *p = strstr(xml, key);
    if (!p)
        return NULL;
    const char *end = strstr(p, "/>\n");
    const char *close = strstr(p, "</testcase>");
    const char *q = strstr(p, ">");
    if (q && end && q == end + 1 && (!close || end < close))
        return strndup(p, (size_t)(end + 2 - p));
    return close ? strndup(p, (size_t)(close + 11 - p)) : NULL;
}

/* A result document with the given cases (a JSON array text). */
static cJSON *doc_with(const char *cases)
{
    char *s = NULL;
    int n = asprintf(
        &s,
        "{\"schema\":\"siospec-result/1\",\"tool\":\"siospec\",\"version\":\"0.1.0\","
        "\"target\":{\"name\":\"t\",\"mode\":\"process\",\"implementation\":\"x\","
        "\"implementation_version\":\"1\",\"path\":\"/socket.io/\",\"eio\":[4],\"sio\":[5],"
        "\"profiles\":[],\"ping_interval\":300,\"ping_timeout\":200,\"max_payload\":1000,"
        "\"restarts\":0,\"note\":\"\"},\"seed\":1,\"start_time\":\"2026-01-01T00:00:00Z\","
        "\"partial\":false,\"jobs\":1,\"timeout_scale\":1,\"timing\":{\"wall_ms\":1,"
        "\"sum_ms\":1,\"longest_ms\":1,\"longest_id\":\"\"},\"summary\":{},\"exit_code\":1,"
        "\"cases\":%s}",
        cases);
    CU_ASSERT_FATAL(n > 0);
    cJSON *d = cJSON_Parse(s);
    free(s);
    CU_ASSERT_FATAL(d != NULL);
    return d;
}

static cJSON *entry(const char *id, const char *group, const char *level, const char *verdict)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", id);
    cJSON_AddStringToObject(c, "group", group);
    cJSON_AddStringToObject(c, "title", "a title");
    cJSON_AddStringToObject(c, "requirement", "a requirement");
    cJSON_AddStringToObject(c, "level", level);
    cJSON_AddStringToObject(c, "verdict", verdict);
    cJSON_AddStringToObject(c, "raw_verdict", verdict);
    cJSON_AddStringToObject(c, "transport", "polling");
    cJSON_AddNumberToObject(c, "duration_ms", 1500);
    cJSON *spec = cJSON_AddArrayToObject(c, "spec");
    cJSON_AddItemToArray(spec, cJSON_CreateString("eio4:packet:1"));
    cJSON_AddArrayToObject(c, "transcript");
    return c;
}

/* ---- loading ---------------------------------------------------------- */

static void test_load_errors(void)
{
    struct rpt_result *r = (struct rpt_result *)1;
    char err[256] = "";
    CU_ASSERT(rpt_load(&r, "not json", 8, err, sizeof(err)) == -1);
    CU_ASSERT(r == NULL);
    CU_ASSERT(contains(err, "not a JSON document"));
    const char *other = "{\"schema\":\"other/1\",\"cases\":[]}";
    CU_ASSERT(rpt_load(&r, other, strlen(other), err, sizeof(err)) == -1);
    CU_ASSERT(contains(err, "siospec-result/1"));
    const char *nocases = "{\"schema\":\"siospec-result/1\"}";
    CU_ASSERT(rpt_load(&r, nocases, strlen(nocases), err, sizeof(err)) == -1);
    CU_ASSERT(rpt_load_file(&r, "/nonexistent/result.json", err, sizeof(err)) == -1);
    CU_ASSERT(contains(err, "cannot read /nonexistent/result.json"));
    rpt_free(NULL);
}

/* ---- JUnit ------------------------------------------------------------ */

static void test_junit_escaping(void)
{
    /* Markup, quotes, C0 controls, DEL, an invalid UTF-8 byte, a
     * non-character (U+FFFE) and a lone continuation byte. */
    cJSON *d = doc_with("[]");
    cJSON *c = entry("g.a.x.polling", "g<&>\"'", "MUST", "FAIL");
    cJSON_AddStringToObject(c, "reason", "expected <a & b>; seen \"c\" 'd'");
    cJSON_AddStringToObject(c, "expected", "<a & b>");
    cJSON_AddStringToObject(c, "seen",
                            "ctl\x01\x02\x1b[0m del\x7f bad\xff\x80 nonchar\xEF\xBF\xBE ok");
    cJSON_ReplaceItemInObject(c, "title", cJSON_CreateString("]]> in a title\r\n"));
    cJSON *tr = cJSON_GetObjectItem(c, "transcript"), *ev = cJSON_CreateObject();
    cJSON_AddNumberToObject(ev, "t_us", 1234);
    cJSON_AddStringToObject(ev, "dir", "S>C");
    cJSON_AddStringToObject(ev, "tp", "http");
    cJSON_AddNumberToObject(ev, "chan", 1);
    cJSON_AddStringToObject(ev, "kind", "text");
    cJSON_AddStringToObject(ev, "data", "raw\x03text </failure> & \xc3\x28");
    cJSON_AddItemToArray(tr, ev);
    cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"), c);
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    size_t n = 0;
    char *xml = render(r, rpt_junit_write, &n);
    CU_ASSERT_FATAL(xml != NULL);
    CU_ASSERT(strlen(xml) == n);
    /* No character XML 1.0 cannot hold, no raw CR. */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)xml[i];
        if (ch < 0x20 && ch != '\n' && ch != '\t') {
            fprintf(stderr, "\ncontrol byte 0x%02x at %zu\n", ch, i);
            CU_FAIL("control byte in the XML");
            break;
        }
    }
    CU_ASSERT(strstr(xml, "\xEF\xBF\xBE") == NULL);
    CU_ASSERT(strstr(xml, "\xff") == NULL);
    CU_ASSERT(contains(xml, "classname=\"g&lt;&amp;&gt;&quot;&apos;\""));
    CU_ASSERT(
        contains(xml, "message=\"expected &lt;a &amp; b&gt;; seen &quot;c&quot; &apos;d&apos;\""));
    CU_ASSERT(contains(xml, "type=\"MUST\""));
    /* Controls shown as C escapes, invalid UTF-8 as U+FFFD. */
    CU_ASSERT(contains(
        xml, "seen: ctl\\x01\\x02\\x1b[0m del\\x7f bad\xEF\xBF\xBD\xEF\xBF\xBD nonchar ok"));
    CU_ASSERT(contains(xml, "title: ]]&gt; in a title\\r\\n"));
    CU_ASSERT(contains(xml, "raw\\x03text &lt;/failure&gt; &amp; \xEF\xBF\xBD("));
    CU_ASSERT(contains(xml, "     1.234  s0  S&gt;C  http      #1   raw"));
    CU_ASSERT(count_of(xml, "<failure") == 1 && count_of(xml, "</failure>") == 1);
    free(xml);
    rpt_free(r);
}

static void test_junit_counts(void)
{
    /* Two groups, interleaved: each suite gathers its own cases. */
    cJSON *d = doc_with("[]");
    cJSON *cs = cJSON_GetObjectItem(d, "cases");
    static const char *const rows[][3] = {
        {"a.x.one.polling", "a.x", "PASS"},       {"b.y.one.polling", "b.y", "FAIL"},
        {"a.x.two.polling", "a.x", "NON-STRICT"}, {"a.x.three.polling", "a.x", "ERROR"},
        {"b.y.two.polling", "b.y", "SKIP"},       {"b.y.three.polling", "b.y", "XFAIL"},
        {"a.x.four.polling", "a.x", "XPASS"},     {"a.x.five.polling", "a.x", "INFO"},
        {"b.y.four.polling", "b.y", "NOT-RUN"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        cJSON_AddItemToArray(cs, entry(rows[i][0], rows[i][1],
                                       !strcmp(rows[i][2], "NON-STRICT") ? "SHOULD" : "MUST",
                                       rows[i][2]));
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    char *xml = render(r, rpt_junit_write, NULL);
    CU_ASSERT(contains(xml, "<testsuites name=\"siospec t\" tests=\"9\" failures=\"3\" "
                            "errors=\"2\" skipped=\"2\" time=\"0.001\""));
    CU_ASSERT(contains(xml, "<testsuite name=\"a.x\" tests=\"5\" failures=\"2\" errors=\"1\" "
                            "skipped=\"0\" time=\"7.500\""));
    CU_ASSERT(contains(xml, "<testsuite name=\"b.y\" tests=\"4\" failures=\"1\" errors=\"1\" "
                            "skipped=\"2\" time=\"6.000\""));
    CU_ASSERT(count_of(xml, "<testsuite ") == 2);
    CU_ASSERT(count_of(xml, "<testcase ") == 9);
    /* a.x's suite comes first and holds all five of its cases. */
    const char *bx = strstr(xml, "<testsuite name=\"b.y\"");
    const char *five = strstr(xml, "name=\"a.x.five.polling\"");
    CU_ASSERT(bx && five && five < bx);

    char *t = testcase_of(xml, "a.x.two.polling");
    CU_ASSERT(t && contains(t, "<failure") && contains(t, "type=\"SHOULD\""));
    free(t);
    t = testcase_of(xml, "a.x.four.polling");
    CU_ASSERT(t && contains(t, "<failure") && contains(t, "type=\"XPASS\""));
    free(t);
    t = testcase_of(xml, "a.x.three.polling");
    CU_ASSERT(t && contains(t, "<error") && contains(t, "type=\"ERROR\""));
    free(t);
    t = testcase_of(xml, "b.y.four.polling");
    CU_ASSERT(t && contains(t, "<error") && contains(t, "type=\"NOT-RUN\""));
    free(t);
    t = testcase_of(xml, "a.x.five.polling");
    CU_ASSERT(t && contains(t, "<system-out>") && !strstr(t, "<failure"));
    free(t);
    t = testcase_of(xml, "a.x.one.polling");
    CU_ASSERT(t && !strstr(t, "</testcase>") && contains(t, "time=\"1.500\"/>"));
    free(t);
    free(xml);
    rpt_free(r);
}

static void test_junit_xfail_skipped(void)
{
    cJSON *d = doc_with("[]");
    cJSON *c = entry("a.x.known.ws", "a.x", "MUST", "XFAIL");
    cJSON_ReplaceItemInObject(c, "raw_verdict", cJSON_CreateString("FAIL"));
    cJSON_AddStringToObject(c, "baseline", "ignores 1 over WebSocket (target t)");
    cJSON_AddStringToObject(c, "reason", "expected closed; seen open");
    cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"), c);
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    char *xml = render(r, rpt_junit_write, NULL);
    char *t = testcase_of(xml, "a.x.known.ws");
    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT(contains(t, "<skipped message=\"XFAIL (known deviation, raw verdict FAIL): "
                          "ignores 1 over WebSocket (target t)\">"));
    CU_ASSERT(contains(t, "reason: expected closed; seen open"));
    CU_ASSERT(strstr(t, "<failure") == NULL && strstr(t, "<error") == NULL);
    CU_ASSERT(contains(xml, "skipped=\"1\""));
    free(t);
    free(xml);
    rpt_free(r);
}

/* ---- Markdown --------------------------------------------------------- */

static void test_md_escaping(void)
{
    cJSON *d = doc_with("[]");
    cJSON *c = entry("a.x.pipe.polling", "a.x", "MUST", "FAIL");
    cJSON_AddStringToObject(c, "expected", "a | b *c* _d_ <b>e</b> [f](g) `h` & $x$");
    cJSON_AddStringToObject(c, "seen", "line1\nline2\x01");
    cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"), c);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(d, "target"), "name",
                              cJSON_CreateString("my|target"));
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    char *md = render(r, rpt_md_write, NULL);
    CU_ASSERT(contains(md, "**Expected:** a \\| b \\*c\\* \\_d\\_ \\<b\\>e\\</b\\> \\[f\\](g) "
                           "\\`h\\` \\& \\$x\\$\n"));
    CU_ASSERT(contains(md, "**Seen:** line1 line2 \n"));
    /* A target name with a pipe stays inside its table cell. */
    CU_ASSERT(contains(md, "| Target | my\\|target ("));
    /* A pipe splits a table cell even inside a code span, so text holding
     * one is written as escaped text instead of code. */
    CU_ASSERT(contains(md, "- **Rerun:** siospec run --target 'my\\|target' --filter "
                           "a.x.pipe.polling --seed 1\n"));
    free(md);
    rpt_free(r);
}

static void test_md_bound(void)
{
    /* 3000 failing entries with long fields and transcripts: far more than
     * 1 MiB of Markdown if nothing were left out. */
    cJSON *d = doc_with("[]");
    cJSON *cs = cJSON_GetObjectItem(d, "cases");
    char *big = malloc(5000);
    CU_ASSERT_FATAL(big != NULL);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    for (int i = 0; i < 3000; i++) {
        char id[64];
        snprintf(id, sizeof(id), "a.x.case-%d.polling", i);
        cJSON *c = entry(id, "a.x", "MUST", i % 3 ? "FAIL" : "PASS");
        cJSON_AddStringToObject(c, "expected", big);
        cJSON_AddStringToObject(c, "seen", big);
        cJSON *tr = cJSON_GetObjectItem(c, "transcript");
        for (int k = 0; k < 20; k++) {
            cJSON *ev = cJSON_CreateObject();
            cJSON_AddStringToObject(ev, "kind", "bytes");
            cJSON_AddStringToObject(ev, "data", big);
            cJSON_AddItemToArray(tr, ev);
        }
        cJSON_AddItemToArray(cs, c);
    }
    free(big);
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    size_t n = 0;
    char *md = render(r, rpt_md_write, &n);
    CU_ASSERT(n <= RPT_MD_MAX);
    CU_ASSERT(n < 1024 * 1024);
    CU_ASSERT(n > RPT_MD_MAX / 2);
    CU_ASSERT(contains(md, "### Failing entries: 2000\n"));
    CU_ASSERT(contains(md, "> **Truncated:** "));
    CU_ASSERT(contains(md, "entries are not shown, to keep this summary under 1 MiB"));
    /* Every <details> opened is closed, and code fences are balanced. */
    CU_ASSERT_EQUAL(count_of(md, "<details>"), count_of(md, "</details>"));
    CU_ASSERT(count_of(md, "```text\n") * 2 == count_of(md, "```"));
    free(md);
    rpt_free(r);
}

/* ---- transcripts ------------------------------------------------------ */

static void test_transcripts(void)
{
    cJSON *d = doc_with("[]");
    cJSON *c = entry("../evil/id", "a.x", "MUST", "FAIL");
    cJSON *tr = cJSON_GetObjectItem(c, "transcript");
    for (int k = 0; k < 3; k++) {
        cJSON *ev = cJSON_CreateObject();
        cJSON_AddNumberToObject(ev, "session", k / 2);
        cJSON_AddNumberToObject(ev, "t_us", 1000 * k + 7);
        cJSON_AddStringToObject(ev, "dir", k ? "S>C" : "C>S");
        cJSON_AddStringToObject(ev, "tp", "ws");
        cJSON_AddNumberToObject(ev, "chan", 2);
        cJSON_AddStringToObject(ev, "kind", k == 1 ? "text" : "bytes");
        cJSON_AddNumberToObject(ev, "len", 3);
        cJSON_AddStringToObject(ev, "data", k == 1 ? "sio type=EVENT\nnsp=/ \"q\"" : "4hi");
        cJSON_AddItemToArray(tr, ev);
    }
    cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"), c);
    cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"),
                         entry("a.x.empty.polling", "a.x", "MUST", "SKIP"));
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    char dir[] = "/tmp/rpt-test-XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char sub[64];
    snprintf(sub, sizeof(sub), "%s/deep/er", dir);
    CU_ASSERT(rpt_transcripts_write(r, sub) == 0);
    char path[128];
    snprintf(path, sizeof(path), "%s/_._evil_id.txt", sub);
    char *txt = read_all(path, NULL);
    CU_ASSERT_FATAL(txt != NULL);
    CU_ASSERT(contains(txt, "# siospec wire transcript: ../evil/id\n"));
    CU_ASSERT(contains(txt, "\n     0.007  s0  C>S  ws        #2   bytes[3] \"4hi\"\n"));
    CU_ASSERT(
        contains(txt, "\n     1.007  s0  S>C  ws        #2   sio type=EVENT\\nnsp=/ \"q\"\n"));
    CU_ASSERT(contains(txt, "\n     2.007  s1  S>C  ws        #2   bytes[3] \"4hi\"\n"));
    free(txt);
    snprintf(path, sizeof(path), "%s/_._evil_id.jsonl", sub);
    char *jl = read_all(path, NULL);
    CU_ASSERT_FATAL(jl != NULL);
    CU_ASSERT_EQUAL(count_of(jl, "\n"), 3);
    /* Every line is one JSON object with the same fields. */
    for (char *line = jl, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        cJSON *o = cJSON_Parse(line);
        CU_ASSERT(o != NULL);
        CU_ASSERT(cJSON_IsNumber(cJSON_GetObjectItem(o, "t_ms")));
        CU_ASSERT(cJSON_IsString(cJSON_GetObjectItem(o, "data")));
        CU_ASSERT(cJSON_IsString(cJSON_GetObjectItem(o, "dir")));
        cJSON_Delete(o);
    }
    free(jl);
    snprintf(path, sizeof(path), "%s/a.x.empty.polling.txt", sub);
    txt = read_all(path, NULL);
    CU_ASSERT(txt && contains(txt, "# (no wire events)\n"));
    free(txt);
    snprintf(path, sizeof(path), "%s/a.x.empty.polling.jsonl", sub);
    size_t n = 99;
    jl = read_all(path, &n);
    CU_ASSERT(jl && n == 0);
    free(jl);
    /* A path that cannot be a directory fails with errno. */
    snprintf(path, sizeof(path), "%s/a.x.empty.polling.txt/x", sub);
    CU_ASSERT(rpt_transcripts_write(r, path) == -1);
    rpt_free(r);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT(system(cmd) == 0);
}

/* ---- golden outputs --------------------------------------------------- */

static void golden_cmp(const char *name, const char *got, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", RPT_GOLDEN_DIR, name);
    if (getenv("RPT_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        CU_ASSERT_FATAL(f != NULL);
        fwrite(got, 1, n, f);
        fclose(f);
        return;
    }
    size_t m = 0;
    char *want = read_all(path, &m);
    CU_ASSERT_FATAL(want != NULL);
    if (m != n || memcmp(want, got, n) != 0) {
        size_t i = 0;
        while (i < n && i < m && want[i] == got[i])
            i++;
        fprintf(stderr,
                "\n%s differs at byte %zu (golden %zu bytes, got %zu)\n  golden: %.80s\n"
                "  got:    %.80s\n",
                name, i, m, n, want + (i < m ? i : m), got + (i < n ? i : n));
        CU_FAIL("golden output differs (RPT_UPDATE_GOLDEN=1 rewrites it)");
    }
    free(want);
}

static void test_golden(void)
{
    struct rpt_result *r = NULL;
    char err[256];
    CU_ASSERT_FATAL(rpt_load_file(&r, RPT_GOLDEN_DIR "/small.json", err, sizeof(err)) == 0);
    size_t n;
    char *out = render(r, rpt_junit_write, &n);
    golden_cmp("small.junit.xml", out, n);
    free(out);
    out = render(r, rpt_md_write, &n);
    golden_cmp("small.md", out, n);
    free(out);
    out = render(r, rpt_html_write, &n);
    golden_cmp("small.html", out, n);
    free(out);
    char dir[] = "/tmp/rpt-golden-XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    CU_ASSERT(rpt_transcripts_write(r, dir) == 0);
    static const char *const files[] = {"eio4.handshake.exact-keys.ws.txt",
                                        "eio4.handshake.exact-keys.ws.jsonl"};
    for (size_t i = 0; i < 2; i++) {
        char path[256], name[256];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        snprintf(name, sizeof(name), "small.%s", files[i]);
        out = read_all(path, &n);
        CU_ASSERT_FATAL(out != NULL);
        golden_cmp(name, out, n);
        free(out);
    }
    /* One .txt and one .jsonl per entry, nothing else. */
    size_t files_n = 0;
    DIR *dd = opendir(dir);
    CU_ASSERT_FATAL(dd != NULL);
    for (struct dirent *e; (e = readdir(dd));)
        files_n += e->d_name[0] != '.';
    closedir(dd);
    CU_ASSERT_EQUAL(files_n, 2 * 10);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CU_ASSERT(system(cmd) == 0);
    rpt_free(r);
}

/* ---- the rerun command (shared by every writer) ------------------------ */

static void test_rerun_url(void)
{
    /* In url mode the command brings back the options of `siospec run
     * --url`: an echo server (no Socket.IO revision), a revision 3 server,
     * a non-default path, Socket.IO 4 over Engine.IO 4, the profiles. */
    static const struct {
        const char *target, *want;
    } rows[] = {
        {"\"path\":\"/socket.io/\",\"eio\":[4],\"sio\":[5],\"profiles\":[]", ""},
        {"\"path\":\"/engine.io/\",\"eio\":[4],\"sio\":[],\"profiles\":[]", " --echo"},
        {"\"path\":\"/socket.io/\",\"eio\":[4],\"sio\":[4],\"profiles\":[]", " --sio 4"},
        {"\"path\":\"/x/\",\"eio\":[3],\"sio\":[4],\"profiles\":[\"recovery\",\"cookie\"]",
         " --path /x/ --eio 3 --profile recovery --profile cookie"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *json = NULL;
        int n = asprintf(&json,
                         "{\"schema\":\"siospec-result/1\",\"target\":{\"name\":\"http://h:1\","
                         "\"mode\":\"url\",%s},\"seed\":7,\"summary\":{},\"cases\":[]}",
                         rows[i].target);
        CU_ASSERT_FATAL(n > 0);
        cJSON *d = cJSON_Parse(json);
        free(json);
        CU_ASSERT_FATAL(d != NULL);
        cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"),
                             entry("a.x.one.polling", "a.x", "MUST", "FAIL"));
        struct rpt_result *r = load_doc(d);
        cJSON_Delete(d);
        char *md = render(r, rpt_md_write, NULL);
        char want[256];
        snprintf(want, sizeof(want),
                 "siospec run --url http://h:1%s --filter a.x.one.polling --seed 7", rows[i].want);
        CU_ASSERT(contains(md, want));
        free(md);
        rpt_free(r);
    }
}

/* ---- HTML ------------------------------------------------------------- */

static void test_html_escaping(void)
{
    /* The static summary escapes; the embedded JSON holds no '<' at all, so
     * no "</script>" or "<!--" in the data can end its block. */
    cJSON *d = doc_with("[]");
    cJSON *c = entry("a.x.one.polling", "a.x", "MUST", "FAIL");
    cJSON_AddStringToObject(c, "seen", "</script><script>alert(1)</script><!--");
    cJSON_AddItemToArray(cJSON_GetObjectItem(d, "cases"), c);
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(d, "target"), "name",
                              cJSON_CreateString("a<b>&\"c'"));
    cJSON_ReplaceItemInObject(d, "version", cJSON_CreateString("</title>"));
    struct rpt_result *r = load_doc(d);
    cJSON_Delete(d);
    size_t n = 0;
    char *html = render(r, rpt_html_write, &n);
    CU_ASSERT_FATAL(html != NULL);
    CU_ASSERT(strlen(html) == n);
    CU_ASSERT(contains(html, "<title>siospec report: a&lt;b&gt;&amp;&quot;c&#39;</title>"));
    CU_ASSERT(contains(html, "content=\"siospec &lt;/title&gt;\""));
    CU_ASSERT(contains(html, "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\\u003c!--"));
    CU_ASSERT(strstr(html, "alert(1)</script>") == NULL);
    /* Three scripts (page settings, data, code), each closed once. */
    size_t open = 0, close = 0;
    for (const char *p = html; (p = strstr(p, "<script")) != NULL; p++)
        open++;
    for (const char *p = html; (p = strstr(p, "</script>")) != NULL; p++)
        close++;
    CU_ASSERT_EQUAL(open, 3);
    CU_ASSERT_EQUAL(close, 3);
    /* Same document, same bytes. */
    size_t n2 = 0;
    char *again = render(r, rpt_html_write, &n2);
    CU_ASSERT(n2 == n && again && memcmp(html, again, n) == 0);
    free(again);
    free(html);
    rpt_free(r);
}

static CU_TestInfo load_tests[] = {
    {"errors", test_load_errors},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo junit_tests[] = {
    {"escaping", test_junit_escaping},
    {"counts", test_junit_counts},
    {"xfail_skipped", test_junit_xfail_skipped},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo md_tests[] = {
    {"escaping", test_md_escaping},
    {"bound", test_md_bound},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo rerun_tests[] = {
    {"url", test_rerun_url},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo html_tests[] = {
    {"escaping", test_html_escaping},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo transcript_tests[] = {
    {"files", test_transcripts},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo golden_tests[] = {
    {"small", test_golden},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {.pName = "load", .pTests = load_tests},
    {.pName = "junit", .pTests = junit_tests},
    {.pName = "md", .pTests = md_tests},
    {.pName = "rerun", .pTests = rerun_tests},
    {.pName = "html", .pTests = html_tests},
    {.pName = "transcripts", .pTests = transcript_tests},
    {.pName = "golden", .pTests = golden_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "suite registration failed: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    int bad = 0;
    if (argc > 1 && strcmp(argv[1], "--junit") == 0) {
        CU_set_output_filename(argv[0]);
        CU_automated_enable_junit_xml(CU_TRUE);
        CU_automated_run_tests();
    } else {
        CU_basic_set_mode(CU_BRM_VERBOSE);
        if (argc > 1) {
            CU_pSuite s = CU_get_suite(argv[1]);
            CU_pTest t = s && argc > 2 ? CU_get_test(s, argv[2]) : NULL;
            if (!s || (argc > 2 && !t)) {
                fprintf(stderr, "no such suite or test\n");
                bad = 1;
            } else if (t) {
                CU_basic_run_test(s, t);
            } else {
                CU_basic_run_suite(s);
            }
        } else {
            CU_basic_run_tests();
        }
    }
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (!bad && ran == 0) {
        fprintf(stderr, "no test ran\n");
        bad = 1;
    }
    /* 1 on any failure; never the count, which wraps at 256. */
    return bad || failed ? 1 : 0;
}
