/*
 * test_hx_http.c - the pure HTTP/1.1 response parser and request builder:
 * every response is fed whole and split at every byte, and every failure
 * must carry a reason.
 */
#include "th_run.h"

#include "harness/hx_http.h"
#include "harness/hx_status.h"

#include <string.h>

CU_TestInfo test_hx_http_tests[];

struct hrow {
    const char *name;
    const char *in;
    int rc; /* HX_OK: complete; else the error (feed or eof) */
    int status;
    const char *body;
    size_t rest; /* bytes left unconsumed after completion (101) */
    bool eof;    /* call eof after feeding */
};

/* clang-format off */
static const struct hrow rows[] = {
    {"y_content_length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", HX_OK, 200, "hello", 0, false},
    {"y_chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\nT: 1\r\n\r\n", HX_OK, 200, "hello", 0, false},
    {"y_close_delimited", "HTTP/1.0 200 OK\r\n\r\nabc", HX_OK, 200, "abc", 0, true},
    {"y_lf_only", "HTTP/1.1 400 Bad\nContent-Length: 2\n\nok", HX_OK, 400, "ok", 0, false},
    {"y_interim_100", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", HX_OK, 200, "x", 0, false},
    {"y_101_leaves_frames", "HTTP/1.1 101 Switching\r\nUpgrade: websocket\r\n\r\n\x81\x02hi", HX_OK, 101, "", 4, false},
    {"y_204_no_body", "HTTP/1.1 204 No Content\r\n\r\n", HX_OK, 204, "", 0, false},
    {"n_garbage", "SSH-2.0-OpenSSH\r\n\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_bad_status", "HTTP/1.1 2x0 OK\r\n\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_header_no_colon", "HTTP/1.1 200 OK\r\nBroken header\r\n\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_folding", "HTTP/1.1 200 OK\r\nA: b\r\n  c\r\n\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_bad_length", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_conflicting_length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_length_over_limit", "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", HX_ERR_TOO_LARGE, 0, NULL, 0, false},
    {"n_bad_chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_chunk_no_crlf", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", HX_ERR_PROTOCOL, 0, NULL, 0, false},
    {"n_eof_mid_header", "HTTP/1.1 200 OK\r\nContent-Le", HX_ERR_CLOSED, 0, NULL, 0, true},
    {"n_eof_short_body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", HX_ERR_CLOSED, 0, NULL, 0, true},
    {"n_eof_mid_chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", HX_ERR_CLOSED, 0, NULL, 0, true},
    {"n_eof_nothing", "", HX_ERR_CLOSED, 0, NULL, 0, true},
};
/* clang-format on */

/* Feeds |in| in pieces of |step| bytes (0 = whole); returns the final rc. */
static int run(const struct hrow *r, size_t step, struct hx_http_parser *p, size_t *rest)
{
    size_t n = strlen(r->in), off = 0;
    hx_http_parser_init(p, 1024, 4096, false);
    *rest = 0;
    while (off < n) {
        size_t k = step && n - off > step ? step : n - off;
        ptrdiff_t used = hx_http_parser_feed(p, (const uint8_t *)r->in + off, k);
        if (used < 0)
            return (int)used;
        off += (size_t)used;
        if (hx_http_parser_done(p)) {
            *rest = n - off;
            return HX_OK;
        }
    }
    if (hx_http_parser_done(p))
        return HX_OK;
    return r->eof ? hx_http_parser_eof(p) : HX_ERR_TIMEOUT;
}

static void test_hx_http_vectors_whole_and_split(void)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct hrow *r = &rows[i];
        size_t n = strlen(r->in);
        for (size_t step = 0; step <= n; step++) {
            struct hx_http_parser p;
            size_t rest;
            int rc = run(r, step, &p, &rest);
            TH_RC(r->name, r->rc, rc);
            if (rc == HX_OK && r->rc == HX_OK) {
                CU_ASSERT_EQUAL(p.status, r->status);
                CU_ASSERT_EQUAL(p.body.len, strlen(r->body));
                CU_ASSERT(p.body.len == 0 || memcmp(p.body.p, r->body, p.body.len) == 0);
                CU_ASSERT_EQUAL(rest, r->rest);
            }
            if (rc != HX_OK)
                CU_ASSERT_PTR_NOT_NULL(p.why);
            hx_http_parser_free(&p);
            if (step == 0 && n > 400)
                break;
        }
    }
}

static void test_hx_http_head_limit_is_enforced(void)
{
    struct hx_http_parser p;
    hx_http_parser_init(&p, 64, 64, false);
    const char *h =
        "HTTP/1.1 200 OK\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    ptrdiff_t r = hx_http_parser_feed(&p, (const uint8_t *)h, strlen(h));
    TH_RC("head limit", HX_ERR_TOO_LARGE, (int)r);
    CU_ASSERT(p.head.len <= 64);
    /* sticky */
    TH_RC("sticky", HX_ERR_TOO_LARGE, (int)hx_http_parser_feed(&p, (const uint8_t *)"x", 1));
    hx_http_parser_free(&p);
}

static void test_hx_http_close_delimited_body_limit(void)
{
    struct hx_http_parser p;
    hx_http_parser_init(&p, 1024, 8, false);
    const char *h = "HTTP/1.1 200 OK\r\n\r\n0123456789";
    ptrdiff_t r = hx_http_parser_feed(&p, (const uint8_t *)h, strlen(h));
    TH_RC("body limit", HX_ERR_TOO_LARGE, (int)r);
    hx_http_parser_free(&p);
}

static void test_hx_http_header_lookup(void)
{
    const char *h = "HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nSet-Cookie: a=1\r\n"
                    "set-cookie: b=2\r\nConnection: keep-alive, Upgrade\r\n\r\n";
    struct cdc_span head = {(const uint8_t *)h, strlen(h)}, v;
    CU_ASSERT_EQUAL(hx_http_header_get(head, "content-type", 0, &v), 1);
    CU_ASSERT(hx_span_ieq(v, "TEXT/PLAIN"));
    CU_ASSERT_EQUAL(hx_http_header_get(head, "Set-Cookie", 1, &v), 1);
    CU_ASSERT(hx_span_ieq(v, "b=2"));
    CU_ASSERT_EQUAL(hx_http_header_get(head, "set-cookie", 2, &v), 0);
    CU_ASSERT_EQUAL(hx_http_header_get(head, "missing", 0, &v), 0);
    CU_ASSERT_EQUAL(hx_http_header_get(head, "connection", 0, &v), 1);
    CU_ASSERT(hx_http_list_has(v, "upgrade"));
    CU_ASSERT(!hx_http_list_has(v, "close"));
}

static void build(const struct hx_http_req *req, char *out, size_t cap)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 4096, NULL);
    CU_ASSERT_EQUAL(hx_http_request_build(req, "h:1", &b), CDC_OK);
    snprintf(out, cap, "%.*s", (int)b.len, (const char *)b.p);
    cdc_buf_free(&b);
}

static void test_hx_http_request_build(void)
{
    char out[512];
    struct hx_header hd[] = {{"X-A", "1"}};
    struct hx_http_req r = {.method = "POST",
                            .target = "/p?x=1",
                            .headers = hd,
                            .n_headers = 1,
                            .content_type = "text/plain",
                            .body = (const uint8_t *)"abc",
                            .body_len = 3};
    build(&r, out, sizeof(out));
    TH_STR("post",
           "POST /p?x=1 HTTP/1.1\r\nHost: h:1\r\nX-A: 1\r\nContent-Type: text/plain\r\n"
           "Content-Length: 3\r\n\r\nabc",
           out);
    r.chunked = true;
    r.chunk_size = 2;
    build(&r, out, sizeof(out));
    TH_STR("chunked",
           "POST /p?x=1 HTTP/1.1\r\nHost: h:1\r\nX-A: 1\r\nContent-Type: text/plain\r\n"
           "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n",
           out);
    struct hx_header lie[] = {{"Content-Length", "99"}};
    struct hx_http_req r2 = {
        .target = "/", .headers = lie, .n_headers = 1, .body = (const uint8_t *)"x", .body_len = 1};
    build(&r2, out, sizeof(out));
    TH_STR("lying length kept", "GET / HTTP/1.1\r\nHost: h:1\r\nContent-Length: 99\r\n\r\nx", out);
    struct hx_http_req r3 = {.raw_bytes = (const uint8_t *)"GARBAGE", .raw_len = 7};
    build(&r3, out, sizeof(out));
    TH_STR("raw", "GARBAGE", out);
}

CU_TestInfo test_hx_http_tests[] = {
    {"test_hx_http_vectors_whole_and_split", test_hx_http_vectors_whole_and_split},
    {"test_hx_http_head_limit_is_enforced", test_hx_http_head_limit_is_enforced},
    {"test_hx_http_close_delimited_body_limit", test_hx_http_close_delimited_body_limit},
    {"test_hx_http_header_lookup", test_hx_http_header_lookup},
    {"test_hx_http_request_build", test_hx_http_request_build},
    CU_TEST_INFO_NULL,
};
