/*
 * test_matrix.c - unit tests of the cross-server matrix writers
 * (reports/rpt_matrix.h) on hand-made results: rows are the union of the
 * targets' cases, counts and baseline notes agree in the three forms, a
 * target that could not be judged shows no verdicts, text from a server
 * cannot break out of the Markdown table or the HTML page, the HTML needs
 * nothing outside the file, and the compact summary lists every non-PASS
 * verdict.
 */
#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/rpt.h"
#include "reports/rpt_matrix.h"

/* |text| contains |sub|; says which substring is missing when not. */
static int has(const char *text, const char *sub)
{
    if (strstr(text, sub))
        return 1;
    fprintf(stderr, "\nmissing: %s\n", sub);
    return 0;
}
#define HAS(text, sub) CU_ASSERT(has(text, sub))
#define LACKS(text, sub) CU_ASSERT(strstr(text, sub) == NULL)

/* One case of a hand-made result. */
static void add_case(char *buf, size_t cap, const char *id, const char *level, const char *verdict,
                     const char *reason, const char *baseline)
{
    char c[2048];
    snprintf(c, sizeof c,
             "%s{\"id\":\"%s\",\"case\":\"x\",\"group\":\"%.*s\",\"title\":\"title of %s\","
             "\"level\":\"%s\",\"protocol\":\"eio4\",\"transport\":\"polling\","
             "\"needs\":[\"sio\"],\"verdict\":\"%s\",\"reason\":\"%s\",\"baseline\":%s%s%s,"
             "\"transcript\":[{\"session\":0,\"t_us\":1,\"dir\":\"C>S\",\"tp\":\"polling\","
             "\"chan\":0,\"kind\":\"text\",\"len\":1,\"data\":\"x\"}]}",
             strchr(buf, '{') && buf[strlen(buf) - 1] != '[' ? "," : "", id,
             (int)(strchr(id, '.') - id), id, id, level, verdict, reason, baseline ? "\"" : "",
             baseline ? baseline : "null", baseline ? "\"" : "");
    strncat(buf, c, cap - strlen(buf) - 1);
}

static struct rpt_result *load(const char *name, int exit_code, const char *cases)
{
    char doc[16384];
    snprintf(doc, sizeof doc,
             "{\"schema\":\"siospec-result/1\",\"tool\":\"siospec\",\"version\":\"9.9.9\","
             "\"target\":{\"name\":\"%s\",\"mode\":\"process\",\"implementation\":\"impl-%s\","
             "\"implementation_version\":\"1.0\",\"path\":\"/socket.io/\",\"eio\":[4],"
             "\"sio\":[5],\"profiles\":[],\"ping_interval\":300,\"ping_timeout\":200,"
             "\"max_payload\":1000,\"restarts\":0,\"note\":\"%s\"},\"seed\":7,"
             "\"start_time\":\"2026-01-01T00:00:00Z\",\"partial\":false,\"jobs\":1,"
             "\"timeout_scale\":1,\"timing\":{\"wall_ms\":5,\"sum_ms\":5,\"longest_ms\":1,"
             "\"longest_id\":\"\"},\"summary\":{},\"exit_code\":%d,\"cases\":[%s]}",
             name, name, exit_code == 3 ? "ERR_DIED: it died" : "", exit_code, cases);
    struct rpt_result *r = NULL;
    char err[256];
    CU_ASSERT_FATAL(rpt_load(&r, doc, strlen(doc), err, sizeof err) == 0);
    return r;
}

struct fixture {
    struct rpt_result *a, *b, *c;
    struct rpt_matrix_col cols[4];
};

static void fixture(struct fixture *x)
{
    char ca[8192] = "[", cb[8192] = "[", cc[8192] = "[";
    add_case(ca, sizeof ca, "g1.one.polling", "MUST", "PASS", "", NULL);
    add_case(ca, sizeof ca, "g1.two.polling", "MUST", "FAIL", "expected 1; seen </script><b>|pipe|",
             NULL);
    add_case(ca, sizeof ca, "g2.three.polling", "SHOULD", "XFAIL", "seen 2",
             "known bug (target a)");
    add_case(ca, sizeof ca, "g2.four.polling", "SHOULD", "XFAIL", "seen 3", "known bug (target a)");
    add_case(cb, sizeof cb, "g1.one.polling", "MUST", "PASS", "", NULL);
    add_case(cb, sizeof cb, "g1.two.polling", "MUST", "SKIP", "needs sio", NULL);
    add_case(cb, sizeof cb, "g2.five.polling", "INFO", "INFO", "seen 4", NULL);
    add_case(cb, sizeof cb, "g2.three.polling", "SHOULD", "XFAIL", "seen 5",
             "known bug (target b)");
    add_case(cc, sizeof cc, "g1.one.polling", "MUST", "ERROR", "unreachable", NULL);
    x->a = load("a", 1, ca + 1);
    x->b = load("b", 0, cb + 1);
    x->c = load("c", 3, cc + 1);
    x->cols[0] = (struct rpt_matrix_col){.name = "a", .summary = "A <server>", .r = x->a};
    x->cols[1] = (struct rpt_matrix_col){.name = "b", .summary = "B", .r = x->b};
    x->cols[2] = (struct rpt_matrix_col){.name = "c", .r = x->c};
    x->cols[3] = (struct rpt_matrix_col){.name = "d", .note = "invalid description"};
}

static void unfixture(struct fixture *x)
{
    rpt_free(x->a);
    rpt_free(x->b);
    rpt_free(x->c);
}

static char *render(int (*fn)(const struct rpt_matrix_col *, size_t, FILE *),
                    const struct fixture *x)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(fn(x->cols, 4, f) == 0);
    fclose(f);
    return text;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void test_json(void)
{
    struct fixture x;
    fixture(&x);
    char *text = render(rpt_matrix_write_json, &x);
    cJSON *doc = cJSON_Parse(text);
    CU_ASSERT_FATAL(doc != NULL);
    CU_ASSERT_STRING_EQUAL(get(doc, "schema")->valuestring, "siospec-matrix/1");
    CU_ASSERT_STRING_EQUAL(get(doc, "version")->valuestring, "9.9.9");
    const cJSON *ts = get(doc, "targets"), *cs = get(doc, "cases");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ts), 4);
    /* Rows: the union, in first-seen order. */
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(cs), 5);
    const char *order[] = {"g1.one.polling", "g1.two.polling", "g2.three.polling",
                           "g2.four.polling", "g2.five.polling"};
    for (int i = 0; i < 5; i++)
        CU_ASSERT_STRING_EQUAL(get(cJSON_GetArrayItem(cs, i), "id")->valuestring, order[i]);
    const cJSON *ta = cJSON_GetArrayItem(ts, 0), *tc = cJSON_GetArrayItem(ts, 2),
                *td = cJSON_GetArrayItem(ts, 3);
    CU_ASSERT(cJSON_IsTrue(get(ta, "judged")));
    CU_ASSERT_EQUAL(get(get(ta, "counts"), "total")->valueint, 4);
    CU_ASSERT_EQUAL(get(get(ta, "counts"), "XFAIL")->valueint, 2);
    CU_ASSERT_EQUAL(get(get(get(ta, "levels"), "SHOULD"), "XFAIL")->valueint, 2);
    CU_ASSERT_STRING_EQUAL(get(ta, "report")->valuestring, "a/report.html");
    /* The unreachable target and the one without a result: no verdicts. */
    CU_ASSERT(cJSON_IsFalse(get(tc, "judged")));
    CU_ASSERT_STRING_EQUAL(get(tc, "note")->valuestring, "ERR_DIED: it died");
    CU_ASSERT_EQUAL(get(get(tc, "counts"), "total")->valueint, 0);
    CU_ASSERT(cJSON_IsFalse(get(td, "judged")));
    CU_ASSERT_STRING_EQUAL(get(td, "note")->valuestring, "invalid description");
    const cJSON *cells = get(cJSON_GetArrayItem(cs, 0), "cells");
    CU_ASSERT(get(cells, "a") && get(cells, "b") && !get(cells, "c") && !get(cells, "d"));
    /* Baseline notes: one per distinct reason of a target. */
    const cJSON *x3 = get(get(cJSON_GetArrayItem(cs, 2), "cells"), "a");
    const cJSON *x4 = get(get(cJSON_GetArrayItem(cs, 3), "cells"), "a");
    CU_ASSERT_EQUAL(get(x3, "note")->valueint, 1);
    CU_ASSERT_EQUAL(get(x4, "note")->valueint, 1);
    /* The same reason of two targets is one note. */
    const cJSON *notes = get(doc, "baseline_notes");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(notes), 1);
    CU_ASSERT_STRING_EQUAL(get(cJSON_GetArrayItem(notes, 0), "reason")->valuestring, "known bug");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(get(cJSON_GetArrayItem(notes, 0), "targets")), 2);
    CU_ASSERT_EQUAL(get(get(get(cJSON_GetArrayItem(cs, 2), "cells"), "b"), "note")->valueint, 1);
    cJSON_Delete(doc);
    free(text);
    unfixture(&x);
}

static void test_md(void)
{
    struct fixture x;
    fixture(&x);
    char *md = render(rpt_matrix_write_md, &x);
    HAS(md, "| [a](a/report.html) | impl-a 1.0 | 4 | 1 | 1 | 0 | 0 | 0 | 0 | 2 |");
    HAS(md, "| `g1.one.polling` | MUST | PASS | PASS | - | - |");
    HAS(md,
        "| `g1.two.polling` | MUST | [FAIL](a/report.html#q=g1.two.polling&id=g1.two.polling) | "
        "SKIP | - | - |");
    HAS(md, "[XFAIL](a/report.html#q=g2.three.polling&id=g2.three.polling) b1 |");
    HAS(md, "- **b1** `a`, `b`: known bug\n");
    HAS(md, "| `g2.three.polling` | SHOULD | "
            "[XFAIL](a/report.html#q=g2.three.polling&id=g2.three.polling) b1 | "
            "[XFAIL](b/report.html#q=g2.three.polling&id=g2.three.polling) b1 | - | - |");
    HAS(md, "- **c could not be judged**: ERR_DIED: it died");
    HAS(md, "- **d could not be judged**: invalid description");
    HAS(md, "### g1\n");
    HAS(md, "### g2\n");
    free(md);
    unfixture(&x);
}

static void test_html(void)
{
    struct fixture x;
    fixture(&x);
    char *h = render(rpt_matrix_write_html, &x);
    /* The reason's "</script>" stays inside the data block. */
    LACKS(h, "</script><b>");
    HAS(h, "\\u003c/script\\u003e\\u003cb\\u003e|pipe|");
    HAS(h, "A &lt;server&gt;");
    /* Self-contained: no external script, style, font or image. */
    LACKS(h, " src=");
    LACKS(h, "<link");
    LACKS(h, "url(");
    LACKS(h, "@import");
    /* Cells link to the case in the target's report. */
    HAS(h, "'/report.html#q='+encodeURIComponent(r[0])+'&amp;id='+encodeURIComponent(r[0])");
    /* Verdict letters per row: a b c d. */
    HAS(h, "\"PP--\"");
    HAS(h, "\"FS--\"");
    HAS(h, "\"X---\"");
    HAS(h, "\"-I--\"");
    HAS(h, "<li id=\"b1\"><b>b1</b> <code>a</code>, <code>b</code>: known bug</li>");
    free(h);
    unfixture(&x);
}

static void test_summary(void)
{
    struct fixture x;
    fixture(&x);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CU_ASSERT(rpt_summary_write(x.a, f) == 0);
    fclose(f);
    cJSON *doc = cJSON_Parse(text);
    CU_ASSERT_FATAL(doc != NULL);
    CU_ASSERT_STRING_EQUAL(get(doc, "schema")->valuestring, "siospec-summary/1");
    CU_ASSERT_STRING_EQUAL(get(get(doc, "target"), "name")->valuestring, "a");
    CU_ASSERT_EQUAL(get(get(doc, "counts"), "total")->valueint, 4);
    const cJSON *cs = get(doc, "cases");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cs), 3); /* every verdict but PASS */
    CU_ASSERT(!get(cs, "g1.one.polling"));
    CU_ASSERT_STRING_EQUAL(get(cs, "g1.two.polling")->valuestring, "FAIL");
    CU_ASSERT_STRING_EQUAL(get(get(doc, "baseline"), "g2.four.polling")->valuestring,
                           "known bug (target a)");
    LACKS(text, "transcript");
    LACKS(text, "seen");
    cJSON_Delete(doc);
    free(text);
    /* An unreachable target's summary keeps its ERROR verdicts. */
    f = open_memstream(&text, &len);
    CU_ASSERT(rpt_summary_write(x.c, f) == 0);
    fclose(f);
    doc = cJSON_Parse(text);
    CU_ASSERT_FATAL(doc != NULL);
    CU_ASSERT(cJSON_IsFalse(get(doc, "judged")));
    CU_ASSERT_STRING_EQUAL(get(get(doc, "cases"), "g1.one.polling")->valuestring, "ERROR");
    cJSON_Delete(doc);
    free(text);
    unfixture(&x);
}

static void test_drop_transcripts(void)
{
    struct fixture x;
    fixture(&x);
    rpt_drop_transcripts(x.a);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CU_ASSERT(rpt_matrix_write_json(x.cols, 1, f) == 0);
    fclose(f);
    HAS(text, "\"FAIL\"");
    free(text);
    unfixture(&x);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("matrix", NULL, NULL);
    CU_add_test(s, "matrix.json", test_json);
    CU_add_test(s, "matrix.md", test_md);
    CU_add_test(s, "matrix.html", test_html);
    CU_add_test(s, "compact summary", test_summary);
    CU_add_test(s, "dropping transcripts", test_drop_transcripts);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
