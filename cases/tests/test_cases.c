/*
 * test_cases.c - unit tests of the catalogue machinery that need no server:
 * the catalogue's own integrity, id globs, baseline files, the JSON string
 * writer and the coverage check.
 */
#include "th_run.h"

#include "cases/ck_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ck_json_str(struct cdc_buf *b, const char *s, size_t n);

static void test_catalogue_integrity(void)
{
    struct ck_entry *e = NULL;
    size_t n = ck_catalogue(&e);
    CU_ASSERT_FATAL(e != NULL);
    CU_ASSERT(n >= 250);
    for (size_t i = 0; i < n; i++) {
        const struct ck_case *cs = e[i].cs;
        CU_ASSERT(cs->run != NULL);
        CU_ASSERT(cs->title && cs->title[0]);
        CU_ASSERT(cs->req && cs->req[0]);
        CU_ASSERT(cs->spec && cs->spec[0]);
        CU_ASSERT(cs->tags && cs->tags[0]);
        CU_ASSERT(cs->level <= CK_INFO);
        CU_ASSERT(cs->proto >= CK_EIO4 && cs->proto <= CK_SIO4);
        /* The case id starts with its group's protocol prefix. */
        CU_ASSERT(strncmp(cs->id, e[i].g->name, strcspn(e[i].g->name, ".")) == 0);
        for (size_t k = i + 1; k < n; k++)
            if (strcmp(e[i].id, e[k].id) == 0) {
                fprintf(stderr, "duplicate id %s\n", e[i].id);
                CU_FAIL("duplicate id");
            }
    }
    free(e);
}

static void test_globs(void)
{
    const char *g[] = {"eio4.handshake.*", "*.ws"};
    CU_ASSERT(ck_glob_any("eio4.handshake.open.polling", g, 1));
    CU_ASSERT(!ck_glob_any("eio4.polling.echo.polling", g, 1));
    CU_ASSERT(ck_glob_any("sio5.event.echo.ws", g, 2));
    CU_ASSERT(ck_glob_any("anything", NULL, 0));
}

static char *tmpfile_with(const char *text)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/ck-test-XXXXXX");
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_baseline_file(void)
{
    struct ck_baseline b = {0};
    char err[256];
    const char *p = tmpfile_with("# comment\n\n  eio4.close.client-packet.ws  ignores 1 over ws\n"
                                 "sio5.invalid.*\taccepts 42\n");
    CU_ASSERT(ck_baseline_load(&b, p, err, sizeof(err)) == 0);
    unlink(p);
    CU_ASSERT_EQUAL(b.n, 2);
    const struct ck_baseline_entry *e = ck_baseline_match(&b, "eio4.close.client-packet.ws");
    CU_ASSERT_FATAL(e != NULL);
    TH_STR("reason", "ignores 1 over ws", e->reason);
    CU_ASSERT(ck_baseline_match(&b, "sio5.invalid.event-no-payload.polling") != NULL);
    CU_ASSERT(ck_baseline_match(&b, "eio4.close.client-packet.polling") == NULL);
    ck_baseline_free(&b);

    /* An entry without a reason is refused with the line number. */
    p = tmpfile_with("eio4.handshake.open.ws\n");
    CU_ASSERT(ck_baseline_load(&b, p, err, sizeof(err)) == -1);
    CU_ASSERT(strstr(err, ":1:") != NULL);
    unlink(p);
    ck_baseline_free(&b);
    CU_ASSERT(ck_baseline_load(&b, "/nonexistent/baseline", err, sizeof(err)) == -1);
}

static const char *ck_span_cstr_for_test(struct cdc_buf *b)
{
    cdc_buf_append_byte(b, 0);
    return (const char *)b->p;
}

static void test_json_str(void)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 1024, NULL);
    static const char in[] = "a\"b\\c\n\x01\xff\xe2\x82\xac";
    ck_json_str(&b, in, sizeof(in) - 1);
    TH_STR("escaped", "\"a\\\"b\\\\c\\u000a\\u0001\xEF\xBF\xBD\xe2\x82\xac\"",
           ck_span_cstr_for_test(&b));
    cdc_buf_free(&b);
}

static void test_coverage(void)
{
    const char *p = tmpfile_with("id\tdoc\tsection\tkind\tsummary\tno_case\n"
                                 "eio4:handshake:6\td\ts\tMUST\tx\t\n"
                                 "eio4:nowhere:1\td\ts\tMUST\ty\t\n");
    FILE *out = fopen("/dev/null", "w"), *err = tmpfile();
    /* eio4:nowhere:1 has no case and no reason; every other statement the
     * catalogue names is unknown to this tiny table: both fail --check. */
    CU_ASSERT_EQUAL(ck_coverage(p, false, true, -1, out, err), 1);
    rewind(err);
    char line[512];
    bool saw_open = false, saw_unknown = false;
    while (fgets(line, sizeof(line), err)) {
        saw_open |= strstr(line, "eio4:nowhere:1") != NULL;
        saw_unknown |= strstr(line, "unknown statement") != NULL;
    }
    CU_ASSERT(saw_open);
    CU_ASSERT(saw_unknown);
    CU_ASSERT_EQUAL(ck_coverage("/nonexistent.tsv", false, true, -1, out, err), 2);
    fclose(out);
    fclose(err);
    unlink(p);
}

static CU_TestInfo tests[] = {
    {"catalogue integrity", test_catalogue_integrity},
    {"id globs", test_globs},
    {"baseline files", test_baseline_file},
    {"JSON strings", test_json_str},
    {"coverage check", test_coverage},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {.pName = "cases", .pTests = tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return hx_th_run(suites, argc, argv);
}
