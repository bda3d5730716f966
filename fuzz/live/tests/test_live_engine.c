/*
 * test_live_engine.c - the live fuzzer's engine without a server: what the
 * grammar reaches over a few thousand cases (every field of both layers),
 * loops (copies of subsets keep their bodies, repeats and steps), the
 * "leak" header line, the corpus (visibility by case index, the same
 * sequence from the same seed and corpus, files saved and loaded back),
 * and the campaign's coverage set.
 */
#include "test_live.h"
#include "th_run.h"

#include "live/hx_live.h"
#include "live/hx_live_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void text_of(const struct hx_live_case *c, struct cdc_buf *out)
{
    cdc_buf_reset(out);
    CU_ASSERT_EQUAL(hx_live_case_write(c, NULL, out), CDC_OK);
    CU_ASSERT_EQUAL(cdc_buf_append_byte(out, 0), CDC_OK);
}

/* Fields the grammar must reach within the first 3000 cases of a seed. */
static const char *const reach[] = {
    "send text \"40/custom,", /* a contract namespace */
    "\"40/forbidden,",        /* the refusing one */
    "send text \"40{",        /* CONNECT with an auth object */
    "\"41/custom,\"",         /* a namespace disconnect */
    /* events of the contract */
    "[\\\"join\\\"", "[\\\"leave\\\"", "[\\\"broadcast\\\"", "[\\\"emit-with-ack\\\"",
    "[\\\"message-with-ack\\\"", "43{ack}", /* an ack of the server's own request */
    "tmpl", "\\\"_placeholder\\\":true",    /* binary placeholders ... */
    "send binary",                          /* ... and their attachments */
    "\\x1eb",                               /* attachments in a polling payload */
    "4294967296",                           /* an ack id / number past 2^32 */
    "9007199254740993",                     /* past 2^53 */
    "__proto__",                            /* prototype names */
    "[[[[[[[[[[",                           /* deep nesting */
    "upgrade",                              /* an upgrade in the middle */
    "upgrade noupgrade",                    /* left at the probe */
    "sess 1",                               /* a second session at once */
    "loop ",                                /* repeated actions */
    "expect-close 1000 \"sio-",             /* a packet that must close the connection */
    "gen leak:action", "gen leak:session", "gen leak:attachments", /* leak probes */
    "gen grammar",                                                 /* sequences */
    "gen framing",                                                 /* HTTP / WebSocket framing */
    "gen catalogue:",                                              /* known-dangerous inputs */
};

static void test_live_engine_grammar_reach(void)
{
    struct hx_live_gen_opts o = {.seed = 11, .eio = 4, .sio = true};
    struct hx_live_case c;
    struct cdc_buf t;
    hx_live_case_init(&c);
    cdc_buf_init(&t, 64u << 20, NULL);
    bool seen[sizeof(reach) / sizeof(reach[0])] = {false};
    bool batch7 = false, big_pad = false, maxp = false, many_args = false;
    unsigned types[10] = {0}, connects = 0, racing = 0;
    for (uint64_t i = 0; i < 3000; i++) {
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, i, &c), CDC_OK);
        text_of(&c, &t);
        for (size_t k = 0; k < sizeof(reach) / sizeof(reach[0]); k++)
            seen[k] |= strstr((const char *)t.p, reach[k]) != NULL;
        for (size_t a = 0; a < c.n; a++) {
            const struct hx_live_action *x = &c.a[a];
            if (x->op != HX_LIVE_SEND)
                continue;
            size_t rs = 0;
            for (size_t b = 0; b < x->data.len; b++)
                rs += x->data.p[b] == 0x1e;
            batch7 |= rs >= 6; /* 7 records or more in one POST */
            big_pad |= x->pad_n >= 100000 && x->pad_n < 999000;
            maxp |= x->pad_n >= 999900;
            if (x->data.len >= 2 && x->data.p[0] == '4' && x->data.p[1] >= '0' &&
                x->data.p[1] <= '6')
                types[x->data.p[1] - '0']++;
            if (x->data.len >= 2 && !memcmp(x->data.p, "40", 2)) {
                connects++;
                racing += (x->flags & HX_LIVE_F_NOWAIT) != 0;
            }
            size_t commas = 0;
            for (size_t b = 0; b < x->data.len; b++)
                commas += x->data.p[b] == ',';
            many_args |= commas >= 20;
        }
    }
    for (size_t k = 0; k < sizeof(reach) / sizeof(reach[0]); k++) {
        if (!seen[k])
            fprintf(stderr, "\nthe grammar never produced %s\n", reach[k]);
        CU_ASSERT(seen[k]);
    }
    CU_ASSERT(batch7);
    CU_ASSERT(big_pad);
    CU_ASSERT(maxp);
    CU_ASSERT(many_args);
    /* Most CONNECTs wait for their answer; some race the join. */
    CU_ASSERT(racing > 0);
    CU_ASSERT(racing * 4 < connects);
    for (int ty = 0; ty <= 6; ty++) {
        if (!types[ty])
            fprintf(stderr, "\nno Socket.IO packet of type %d\n", ty);
        CU_ASSERT(types[ty] > 0);
    }
    hx_live_case_free(&c);
    cdc_buf_free(&t);
}

#define B(lit) ((struct hx_live_bytes){(uint8_t *)(lit), sizeof(lit) - 1})

static void test_live_engine_loops(void)
{
    struct hx_live_case c, sub;
    hx_live_case_init(&c);
    hx_live_case_init(&sub);
    struct hx_live_action acts[] = {
        {.op = HX_LIVE_OPEN},
        {.op = HX_LIVE_LOOP, .repeat = 10, .span = 3},
        {.op = HX_LIVE_SEND, .data = B("42[\"join\",\"r\"]")},
        {.op = HX_LIVE_SEND, .data = B("42[\"leave\",\"r\"]")},
        {.op = HX_LIVE_SLEEP, .ms = 1},
        {.op = HX_LIVE_SLEEP, .ms = 2},
    };
    for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
        CU_ASSERT_EQUAL_FATAL(hx_live_case_push(&c, &acts[i]), CDC_OK);
    CU_ASSERT_EQUAL(hx_live_case_repeats(&c), 10);
    CU_ASSERT_EQUAL(hx_live_case_steps(&c), 1 + 30 + 1);
    /* Dropping a body action shortens the loop's body, not what follows. */
    size_t keep[] = {0, 1, 2, 4, 5};
    CU_ASSERT_EQUAL_FATAL(hx_live_case_copy(&sub, &c, keep, 5), CDC_OK);
    CU_ASSERT_EQUAL(sub.a[1].op, HX_LIVE_LOOP);
    CU_ASSERT_EQUAL(sub.a[1].span, 2);
    CU_ASSERT_EQUAL(hx_live_case_steps(&sub), 1 + 20 + 1);
    /* Without the loop line the body runs once. */
    size_t noloop[] = {0, 2, 3, 4};
    CU_ASSERT_EQUAL_FATAL(hx_live_case_copy(&sub, &c, noloop, 4), CDC_OK);
    CU_ASSERT_EQUAL(hx_live_case_repeats(&sub), 1);
    CU_ASSERT_EQUAL(hx_live_case_steps(&sub), 4);
    hx_live_case_free(&c);
    hx_live_case_free(&sub);
}

static void test_live_engine_leak_meta(void)
{
    static const char text[] = "siospec-repro 1\n"
                               "target planted\n"
                               "expect leak-memory \"heap grows per repeat of: send 42 / join\"\n"
                               "leak heap 33333\n"
                               "open polling\n"
                               "loop 64 1\n"
                               "send text \"42[\\\"join\\\",\\\"r1\\\"]\"\n";
    struct hx_live_case c;
    struct hx_live_meta m, m2;
    struct cdc_diag d = {0};
    struct cdc_buf out;
    hx_live_case_init(&c);
    cdc_buf_init(&out, 1u << 20, NULL);
    CU_ASSERT_EQUAL_FATAL(hx_live_case_parse(&c, &m, (const uint8_t *)text, sizeof(text) - 1, &d),
                          CDC_OK);
    CU_ASSERT_EQUAL(m.leak_res, HX_LIVE_RES_HEAP);
    CU_ASSERT_EQUAL(m.leak_min, 33333);
    CU_ASSERT_EQUAL(m.cls, HX_LIVE_LEAK_MEMORY);
    CU_ASSERT_EQUAL(hx_live_case_repeats(&c), 64);
    CU_ASSERT_EQUAL(hx_live_case_write(&c, &m, &out), CDC_OK);
    struct hx_live_case c2;
    hx_live_case_init(&c2);
    CU_ASSERT_EQUAL(hx_live_case_parse(&c2, &m2, out.p, out.len, &d), CDC_OK);
    CU_ASSERT_EQUAL(m2.leak_res, HX_LIVE_RES_HEAP);
    CU_ASSERT_EQUAL(m2.leak_min, 33333);
    CU_ASSERT_EQUAL(c2.n, 3);
    static const char bad[] = "siospec-repro 1\nleak lungs 3\n";
    hx_live_case_reset(&c2);
    CU_ASSERT_EQUAL(hx_live_case_parse(&c2, &m2, (const uint8_t *)bad, sizeof(bad) - 1, &d),
                    CDC_ERR_INVALID_ARG);
    CU_ASSERT_STRING_EQUAL(hx_live_res_name(HX_LIVE_RES_FDS), "fds");
    hx_live_case_free(&c);
    hx_live_case_free(&c2);
    cdc_buf_free(&out);
}

/* A corpus of generated cases, visible from |vis|. */
static void fill(struct hx_live_corpus *cp, uint64_t vis, unsigned n)
{
    struct hx_live_gen_opts o = {.seed = 99, .eio = 4, .sio = true};
    struct hx_live_case c;
    hx_live_case_init(&c);
    for (unsigned i = 0; i < n; i++) {
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, 100 + i, &c), CDC_OK);
        CU_ASSERT_EQUAL_FATAL(hx_live_corpus_add(cp, &c, vis, 100 + i, 1 + i % 3, i % 2), CDC_OK);
    }
    hx_live_case_free(&c);
}

static void test_live_engine_corpus_visibility(void)
{
    struct hx_live_corpus cp;
    hx_live_corpus_init(&cp);
    fill(&cp, 0, 5);
    fill(&cp, 512, 5);
    CU_ASSERT_EQUAL(hx_live_corpus_visible(&cp, 0), 5);
    CU_ASSERT_EQUAL(hx_live_corpus_visible(&cp, 511), 5);
    CU_ASSERT_EQUAL(hx_live_corpus_visible(&cp, 512), 10);
    CU_ASSERT_EQUAL(hx_live_corpus_visible(NULL, 512), 0);
    /* Case N is the same whatever entries become visible after N, and the
     * same each time: the sequence is a function of seed and corpus. */
    struct hx_live_corpus small;
    hx_live_corpus_init(&small);
    fill(&small, 0, 5);
    struct hx_live_gen_opts o = {.seed = 5, .eio = 4, .sio = true};
    struct hx_live_case a, b;
    struct cdc_buf ta, tb;
    hx_live_case_init(&a);
    hx_live_case_init(&b);
    cdc_buf_init(&ta, 64u << 20, NULL);
    cdc_buf_init(&tb, 64u << 20, NULL);
    unsigned from_corpus = 0;
    for (uint64_t i = 24; i < 500; i++) {
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_next(&o, &cp, i, &a), CDC_OK);
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_next(&o, &small, i, &b), CDC_OK);
        text_of(&a, &ta);
        text_of(&b, &tb);
        CU_ASSERT(ta.len == tb.len && memcmp(ta.p, tb.p, ta.len) == 0);
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_next(&o, &cp, i, &b), CDC_OK);
        text_of(&b, &tb);
        CU_ASSERT(ta.len == tb.len && memcmp(ta.p, tb.p, ta.len) == 0);
        from_corpus += strcmp(a.gen, "corpus") == 0;
    }
    CU_ASSERT(from_corpus > 100); /* the corpus is used when there is one */
    hx_live_case_free(&a);
    hx_live_case_free(&b);
    cdc_buf_free(&ta);
    cdc_buf_free(&tb);
    hx_live_corpus_free(&cp);
    hx_live_corpus_free(&small);
}

static void test_live_engine_corpus_files(void)
{
    char dir[] = "/tmp/test-live-corpus-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    struct hx_live_corpus cp, back;
    hx_live_corpus_init(&cp);
    hx_live_corpus_init(&back);
    size_t skipped = 9;
    CU_ASSERT_EQUAL_FATAL(hx_live_corpus_load(&cp, dir, &skipped), CDC_OK);
    CU_ASSERT_EQUAL(cp.n, 0);
    CU_ASSERT_EQUAL(skipped, 0);
    fill(&cp, 256, 4);
    char junk[512];
    snprintf(junk, sizeof(junk), "%s/zz-junk.repro", dir);
    FILE *f = fopen(junk, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("not a reproducer\n", f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(hx_live_corpus_load(&back, dir, &skipped), CDC_OK);
    CU_ASSERT_EQUAL(back.n, 4);
    CU_ASSERT_EQUAL(skipped, 1);
    for (size_t i = 0; i < back.n && i < cp.n; i++) {
        CU_ASSERT_EQUAL(back.e[i].visible_from, 0); /* loaded: visible at once */
        CU_ASSERT_EQUAL(back.e[i].c.n, cp.e[i].c.n);
    }
    hx_live_corpus_free(&cp);
    hx_live_corpus_free(&back);
    char rm[600];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
    CU_ASSERT_EQUAL(system(rm), 0);
}

static void test_live_engine_covmap(void)
{
    struct hx_live_covmap m = {0};
    static const char a[] = "cov 3\nF 0 10 file:///x.js\nB 2 4 file:///x.js\nZ 0 77 file:///x.js\n";
    static const char b[] = "cov 2\nF 0 10 file:///x.js\nF 0 10 file:///y.js\n";
    CU_ASSERT_EQUAL(hx_live_covmap_add(&m, (const uint8_t *)a, sizeof(a) - 1), 3);
    CU_ASSERT_EQUAL(hx_live_covmap_add(&m, (const uint8_t *)a, sizeof(a) - 1), 0);
    CU_ASSERT_EQUAL(hx_live_covmap_add(&m, (const uint8_t *)b, sizeof(b) - 1), 1);
    CU_ASSERT_EQUAL(m.n, 4);
    for (unsigned i = 0; i < 20000; i++) { /* growth keeps every feature */
        char line[64];
        int n = snprintf(line, sizeof(line), "cov 1\nB %u %u file:///z.js\n", i, i + 1);
        CU_ASSERT_EQUAL(hx_live_covmap_add(&m, (const uint8_t *)line, (size_t)n), 1);
    }
    CU_ASSERT_EQUAL(m.n, 20004);
    hx_live_covmap_free(&m);
}

CU_TestInfo test_live_engine_tests[] = {
    {"test_live_engine_grammar_reach", test_live_engine_grammar_reach},
    {"test_live_engine_loops", test_live_engine_loops},
    {"test_live_engine_leak_meta", test_live_engine_leak_meta},
    {"test_live_engine_corpus_visibility", test_live_engine_corpus_visibility},
    {"test_live_engine_corpus_files", test_live_engine_corpus_files},
    {"test_live_engine_covmap", test_live_engine_covmap},
    CU_TEST_INFO_NULL,
};
