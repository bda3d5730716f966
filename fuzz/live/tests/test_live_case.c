/*
 * test_live_case.c - the live fuzzer's case model and reproducer format:
 * every action and option survives write -> parse -> write byte for byte,
 * generated cases round-trip, the header keys round-trip, subsets copy the
 * right actions, and malformed files are refused with the line number.
 */
#include "test_live.h"
#include "th_run.h"

#include "live/hx_live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool bytes_eq(const struct hx_live_bytes *a, const struct hx_live_bytes *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static bool action_eq(const struct hx_live_action *a, const struct hx_live_action *b)
{
    return a->op == b->op && a->flags == b->flags && a->ms == b->ms &&
           (a->repeat > 1 ? a->repeat : 1) == (b->repeat > 1 ? b->repeat : 1) &&
           a->gen_headers == b->gen_headers && a->opcode == b->opcode && a->rsv == b->rsv &&
           a->close_code == b->close_code && a->declen == b->declen && a->how == b->how &&
           strcmp(a->method, b->method) == 0 && bytes_eq(&a->target, &b->target) &&
           bytes_eq(&a->ctype, &b->ctype) && bytes_eq(&a->data, &b->data) &&
           bytes_eq(&a->headers, &b->headers) && a->pad_n == b->pad_n && a->sess == b->sess &&
           a->span == b->span &&
           (a->pad_n == 0 || (a->pad_at == b->pad_at && a->pad_byte == b->pad_byte));
}

static bool case_eq(const struct hx_live_case *a, const struct hx_live_case *b)
{
    if (a->n != b->n || strcmp(a->gen, b->gen) != 0) {
        fprintf(stderr, "\ncases differ: %zu/%zu actions, gen %s/%s\n", a->n, b->n, a->gen, b->gen);
        return false;
    }
    for (size_t i = 0; i < a->n; i++)
        if (!action_eq(&a->a[i], &b->a[i])) {
            fprintf(stderr, "\naction %zu (%s) differs\n", i, hx_live_op_name((int)a->a[i].op));
            return false;
        }
    return true;
}

/* write -> parse -> compare -> write again -> same text. */
static void round_trip(const struct hx_live_case *c, const struct hx_live_meta *m)
{
    struct cdc_buf t1, t2;
    cdc_buf_init(&t1, 64u << 20, NULL);
    cdc_buf_init(&t2, 64u << 20, NULL);
    struct hx_live_case back;
    struct hx_live_meta mb;
    struct cdc_diag d = {0};
    hx_live_case_init(&back);
    CU_ASSERT_EQUAL_FATAL(hx_live_case_write(c, m, &t1), CDC_OK);
    int rc = hx_live_case_parse(&back, &mb, t1.p, t1.len, &d);
    if (rc != CDC_OK)
        fprintf(stderr, "\nparse failed at line %zu: %s\n%.*s\n", d.off, d.why, (int)t1.len,
                (const char *)t1.p);
    CU_ASSERT_EQUAL(rc, CDC_OK);
    CU_ASSERT(case_eq(c, &back));
    CU_ASSERT_EQUAL(hx_live_case_write(&back, m ? &mb : NULL, &t2), CDC_OK);
    CU_ASSERT(t1.len == t2.len && memcmp(t1.p, t2.p, t1.len) == 0);
    hx_live_case_free(&back);
    cdc_buf_free(&t1);
    cdc_buf_free(&t2);
}

static void push(struct hx_live_case *c, struct hx_live_action a)
{
    CU_ASSERT_EQUAL_FATAL(hx_live_case_push(c, &a), CDC_OK);
}

#define B(lit) ((struct hx_live_bytes){(uint8_t *)(lit), sizeof(lit) - 1})

/* A case with every action and option, and bytes that need escaping. */
static void build_all(struct hx_live_case *c)
{
    push(c, (struct hx_live_action){.op = HX_LIVE_OPEN, .flags = HX_LIVE_F_WS});
    push(c, (struct hx_live_action){.op = HX_LIVE_OPEN});
    push(c, (struct hx_live_action){.op = HX_LIVE_UPGRADE,
                                    .flags = HX_LIVE_F_NOPROBE | HX_LIVE_F_NOPAUSE});
    push(c, (struct hx_live_action){.op = HX_LIVE_SEND, .data = B("42[\"a\\\"b\",\"\n\t\r\"]")});
    push(c, (struct hx_live_action){
                .op = HX_LIVE_SEND, .flags = HX_LIVE_F_BINARY, .data = B("\x00\x01\xff\x1e")});
    push(c, (struct hx_live_action){.op = HX_LIVE_HTTP,
                                    .method = "POST",
                                    .flags = HX_LIVE_F_CHUNKED | HX_LIVE_F_NOWAIT,
                                    .target = B("{path}?EIO={eio}&transport=polling&sid={sid}"),
                                    .ctype = B("application/octet-stream"),
                                    .data = B("4\x1e"
                                              "b"),
                                    .headers = B("Origin: x\nX-A: \x7f"),
                                    .gen_headers = 12,
                                    .pad_n = 1000001,
                                    .pad_byte = 'a',
                                    .pad_at = 1});
    push(c, (struct hx_live_action){
                .op = HX_LIVE_RAW, .ms = 200, .data = B("GET / HTTP/1.1\r\n\r\n")});
    push(c, (struct hx_live_action){.op = HX_LIVE_WSOPEN,
                                    .target = B("{path}?transport=__proto__"),
                                    .data = B("test")});
    push(c,
         (struct hx_live_action){.op = HX_LIVE_WSFRAME,
                                 .opcode = 8,
                                 .rsv = 5,
                                 .flags = HX_LIVE_F_NOFIN | HX_LIVE_F_UNMASKED | HX_LIVE_F_DECLEN,
                                 .declen = 1ull << 62,
                                 .close_code = 4999,
                                 .repeat = 3,
                                 .data = B("")});
    push(c, (struct hx_live_action){.op = HX_LIVE_WSFRAME, .opcode = 1, .data = B("40")});
    push(c, (struct hx_live_action){.op = HX_LIVE_SLEEP, .ms = 150});
    push(c, (struct hx_live_action){.op = HX_LIVE_CLOSE, .how = 0});
    push(c, (struct hx_live_action){.op = HX_LIVE_CLOSE, .how = 1});
    push(c, (struct hx_live_action){.op = HX_LIVE_CLOSE, .how = 2});
    push(c, (struct hx_live_action){.op = HX_LIVE_EXPECT_CLOSE, .ms = 1500, .target = B("rule-x")});
    push(c, (struct hx_live_action){.op = HX_LIVE_LOOP, .repeat = 40, .span = 2});
    push(c, (struct hx_live_action){.op = HX_LIVE_OPEN, .sess = 3});
    push(c, (struct hx_live_action){
                .op = HX_LIVE_SEND, .flags = HX_LIVE_F_TMPL, .sess = 3, .data = B("43{ack}[1]")});
    push(c,
         (struct hx_live_action){.op = HX_LIVE_SEND, .flags = HX_LIVE_F_NOWAIT, .data = B("40")});
    snprintf(c->gen, sizeof(c->gen), "handmade");
}

static void test_live_case_round_trip_all_actions(void)
{
    struct hx_live_case c;
    hx_live_case_init(&c);
    build_all(&c);
    CU_ASSERT_EQUAL(c.n, 19);
    round_trip(&c, NULL);
    hx_live_case_free(&c);
}

static void test_live_case_round_trip_meta(void)
{
    struct hx_live_case c, back;
    hx_live_case_init(&c);
    hx_live_case_init(&back);
    push(&c, (struct hx_live_action){.op = HX_LIVE_OPEN});
    struct hx_live_meta m = {.target = "sio4-vuln",
                             .eio = 4,
                             .seed = 42,
                             .index = 17,
                             .has_seed = true,
                             .has_index = true,
                             .cls = HX_LIVE_CRASH,
                             .sig = "TypeError: a \"quoted\" thing",
                             .cve = "CVE-2023-32695"};
    round_trip(&c, &m);
    struct cdc_buf t;
    cdc_buf_init(&t, 1u << 20, NULL);
    struct hx_live_meta mb;
    CU_ASSERT_EQUAL(hx_live_case_write(&c, &m, &t), CDC_OK);
    CU_ASSERT_EQUAL(hx_live_case_parse(&back, &mb, t.p, t.len, NULL), CDC_OK);
    TH_STR("target", "sio4-vuln", mb.target);
    TH_STR("sig", m.sig, mb.sig);
    TH_STR("cve", "CVE-2023-32695", mb.cve);
    CU_ASSERT(mb.eio == 4 && mb.seed == 42 && mb.index == 17 && mb.cls == HX_LIVE_CRASH);
    CU_ASSERT(mb.has_seed && mb.has_index);
    cdc_buf_free(&t);
    hx_live_case_free(&c);
    hx_live_case_free(&back);
}

static void test_live_case_round_trip_generated(void)
{
    struct hx_live_case c;
    hx_live_case_init(&c);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct hx_live_gen_opts o = {.seed = seed, .eio = 4, .sio = seed != 3};
        for (uint64_t i = 0; i < 400; i++) {
            CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, i, &c), CDC_OK);
            round_trip(&c, NULL);
        }
    }
    hx_live_case_free(&c);
}

static void test_live_case_copy_subset(void)
{
    struct hx_live_case c, sub;
    hx_live_case_init(&c);
    hx_live_case_init(&sub);
    build_all(&c);
    size_t idx[] = {1, 3, 14};
    CU_ASSERT_EQUAL(hx_live_case_copy(&sub, &c, idx, 3), CDC_OK);
    CU_ASSERT_EQUAL(sub.n, 3);
    CU_ASSERT(action_eq(&sub.a[0], &c.a[1]) && action_eq(&sub.a[1], &c.a[3]) &&
              action_eq(&sub.a[2], &c.a[14]));
    CU_ASSERT_EQUAL(hx_live_case_bytes(&sub), c.a[3].data.len + c.a[14].target.len);
    CU_ASSERT_EQUAL(hx_live_case_copy(&sub, &c, NULL, 0), CDC_OK);
    CU_ASSERT(case_eq(&sub, &c));
    hx_live_case_free(&c);
    hx_live_case_free(&sub);
}

static void expect_parse_error(const char *text, size_t line)
{
    struct hx_live_case c;
    struct cdc_diag d = {0};
    hx_live_case_init(&c);
    int rc = hx_live_case_parse(&c, NULL, (const uint8_t *)text, strlen(text), &d);
    if (rc != CDC_ERR_INVALID_ARG || d.off != line)
        fprintf(stderr, "\n%s: rc %d line %zu (%s), wanted line %zu\n", text, rc, d.off,
                d.why ? d.why : "-", line);
    CU_ASSERT_EQUAL(rc, CDC_ERR_INVALID_ARG);
    CU_ASSERT_EQUAL(d.off, line);
    CU_ASSERT_PTR_NOT_NULL(d.why);
    hx_live_case_free(&c);
}

static void test_live_case_parse_rejects(void)
{
    expect_parse_error("open polling\n", 1);
    expect_parse_error("siospec-repro 2\n", 1);
    expect_parse_error("siospec-repro 1\nopen sideways\n", 2);
    expect_parse_error("siospec-repro 1\n# c\nfly away\n", 3);
    expect_parse_error("siospec-repro 1\nsend text \"abc\n", 2);
    expect_parse_error("siospec-repro 1\nsend text \"\\q\"\n", 2);
    expect_parse_error("siospec-repro 1\nsend text \"\\x4\"\n", 2);
    expect_parse_error("siospec-repro 1\nsleep -5\n", 2);
    expect_parse_error("siospec-repro 1\nsleep 99999999999\n", 2);
    expect_parse_error("siospec-repro 1\nsend text \"a\" bogus\n", 2);
    expect_parse_error("siospec-repro 1\nwsframe op 16 \"x\"\n", 2);
    expect_parse_error("siospec-repro 1\nexpect explode \"x\"\n", 2);
    expect_parse_error("siospec-repro 1\neio 5\n", 2);
    expect_parse_error("", 0);
}

static void test_live_case_parse_accepts_comments(void)
{
    static const char text[] = "# a reproducer\n\nsiospec-repro 1\n  # indented comment\n"
                               "open websocket\nsend text \"42[\\\"x\\\"]\" pad 3 97 2\n";
    struct hx_live_case c;
    hx_live_case_init(&c);
    CU_ASSERT_EQUAL(hx_live_case_parse(&c, NULL, (const uint8_t *)text, sizeof(text) - 1, NULL),
                    CDC_OK);
    CU_ASSERT_EQUAL_FATAL(c.n, 2);
    CU_ASSERT(c.a[0].op == HX_LIVE_OPEN && (c.a[0].flags & HX_LIVE_F_WS));
    CU_ASSERT(c.a[1].data.len == 7 && memcmp(c.a[1].data.p, "42[\"x\"]", 7) == 0);
    CU_ASSERT(c.a[1].pad_n == 3 && c.a[1].pad_byte == 'a' && c.a[1].pad_at == 2);
    CU_ASSERT_EQUAL(hx_live_case_bytes(&c), 10);
    hx_live_case_free(&c);
}

static void test_live_case_class_names(void)
{
    for (int i = 0; i < HX_LIVE_NCLASSES; i++)
        CU_ASSERT_EQUAL(hx_live_class_from_name(hx_live_class_name(i)), i);
    CU_ASSERT_EQUAL(hx_live_class_from_name("boom"), -1);
    TH_STR("crash", "crash", hx_live_class_name(HX_LIVE_CRASH));
    TH_STR("reaction", "required-reaction-missing", hx_live_class_name(HX_LIVE_REACTION));
}

CU_TestInfo test_live_case_tests[] = {
    {"test_live_case_round_trip_all_actions", test_live_case_round_trip_all_actions},
    {"test_live_case_round_trip_meta", test_live_case_round_trip_meta},
    {"test_live_case_round_trip_generated", test_live_case_round_trip_generated},
    {"test_live_case_copy_subset", test_live_case_copy_subset},
    {"test_live_case_parse_rejects", test_live_case_parse_rejects},
    {"test_live_case_parse_accepts_comments", test_live_case_parse_accepts_comments},
    {"test_live_case_class_names", test_live_case_class_names},
    CU_TEST_INFO_NULL,
};
