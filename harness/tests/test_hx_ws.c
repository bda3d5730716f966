/*
 * test_hx_ws.c - SHA-1 and Sec-WebSocket-Accept, the frame encoder, and
 * the client-side frame parser (accept and reject rows, split at every
 * byte, limits refused before the payload arrives).
 */
#include "th_run.h"

#include "harness/hx_status.h"
#include "harness/hx_ws.h"

#include <stdio.h>
#include <string.h>

CU_TestInfo test_hx_ws_tests[];

static void hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_hx_ws_sha1_vectors(void)
{
    uint8_t d[20];
    char h[41];
    hx_sha1("abc", 3, d);
    hex(d, 20, h);
    TH_STR("sha1(abc)", "a9993e364706816aba3e25717850c26c9cd0d89d", h);
    hx_sha1("", 0, d);
    hex(d, 20, h);
    TH_STR("sha1()", "da39a3ee5e6b4b0d3255bfef95601890afd80709", h);
    const char *l = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hx_sha1(l, strlen(l), d);
    hex(d, 20, h);
    TH_STR("sha1(448 bits)", "84983e441c3bd26ebaae4aa1f95129e5e54670f1", h);
}

static void test_hx_ws_accept_key_rfc6455(void)
{
    char a[29];
    hx_ws_accept_for("dGhlIHNhbXBsZSBub25jZQ==", a);
    TH_STR("RFC 6455 §1.3 example", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", a);
}

static void test_hx_ws_handshake_check(void)
{
    const char *ok = "HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    const char *bad = "HTTP/1.1 101 S\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n";
    const char *why;
    struct cdc_span h1 = {(const uint8_t *)ok, strlen(ok)},
                    h2 = {(const uint8_t *)bad, strlen(bad)};
    TH_RC("good", HX_OK, hx_ws_handshake_check(101, h1, "dGhlIHNhbXBsZSBub25jZQ==", &why));
    TH_RC("wrong accept", HX_ERR_PROTOCOL,
          hx_ws_handshake_check(101, h2, "dGhlIHNhbXBsZSBub25jZQ==", &why));
    CU_ASSERT_PTR_NOT_NULL(why);
    TH_RC("not 101", HX_ERR_HTTP_STATUS,
          hx_ws_handshake_check(400, h1, "dGhlIHNhbXBsZSBub25jZQ==", &why));
}

static void test_hx_ws_encode_masked(void)
{
    uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};
    struct cdc_buf b;
    cdc_buf_init(&b, 1024, NULL);
    struct hx_ws_out f = {.opcode = HX_WS_TEXT, .payload = (const uint8_t *)"Hello", .len = 5};
    CU_ASSERT_EQUAL(hx_ws_frame_encode(&f, mask, &b), CDC_OK);
    /* RFC 6455 §5.7: a masked "Hello" */
    static const uint8_t exp[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    CU_ASSERT_EQUAL(b.len, sizeof(exp));
    CU_ASSERT(memcmp(b.p, exp, sizeof(exp)) == 0);
    cdc_buf_reset(&b);
    struct hx_ws_out g = {.opcode = 0xb,
                          .rsv = 5,
                          .no_fin = true,
                          .unmasked = true,
                          .length_override = true,
                          .declared_len = 1ull << 40};
    CU_ASSERT_EQUAL(hx_ws_frame_encode(&g, mask, &b), CDC_OK);
    static const uint8_t exp2[] = {0x5b, 0x7f, 0, 0, 1, 0, 0, 0, 0, 0};
    CU_ASSERT_EQUAL(b.len, sizeof(exp2));
    CU_ASSERT(memcmp(b.p, exp2, sizeof(exp2)) == 0);
    struct hx_ws_out bad = {.opcode = 16};
    CU_ASSERT_EQUAL(hx_ws_frame_encode(&bad, mask, &b), CDC_ERR_INVALID_ARG);
    cdc_buf_free(&b);
}

struct wrow {
    const char *name;
    const char *in;
    size_t len;
    int rc; /* 1: one message; else the error */
    uint8_t opcode;
    const char *data;
    uint16_t code;
};

/* clang-format off */
static const struct wrow wrows[] = {
    {"y_text", "\x81\x02hi", 4, 1, HX_WS_TEXT, "hi", 0},
    {"y_binary_empty", "\x82\x00", 2, 1, HX_WS_BINARY, "", 0},
    {"y_fragments", "\x01\x02he\x00\x01l\x80\x02lo", 11, 1, HX_WS_TEXT, "hello", 0},
    {"y_ping_between_fragments", "\x01\x01h\x89\x01p", 6, 1, HX_WS_PING, "p", 0},
    {"y_close_code", "\x88\x04\x03\xe8ok", 6, 1, HX_WS_CLOSE, "\x03\xe8ok", 1000},
    {"y_close_empty", "\x88\x00", 2, 1, HX_WS_CLOSE, "", 1005},
    {"y_len16", "\x82\x7e\x00\x7e", 4, 0, 0, NULL, 0},
    {"n_rsv", "\xc1\x00", 2, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_reserved_opcode", "\x83\x00", 2, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_masked", "\x81\x81\x00\x00\x00\x00x", 7, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_control_too_long", "\x89\x7e\x00\x80", 4, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_fragmented_control", "\x09\x00", 2, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_len64_msb", "\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_len_not_minimal", "\x82\x7e\x00\x05", 4, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_cont_first", "\x80\x00", 2, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_data_in_fragmented", "\x01\x01h\x81\x01i", 6, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_too_large_before_payload", "\x82\x7f\x00\x00\x00\x01\x00\x00\x00\x00", 10, HX_ERR_TOO_LARGE, 0, NULL, 0},
    {"n_text_bad_utf8", "\x81\x02\xc3\x28", 4, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_close_1_byte", "\x88\x01\x03", 3, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_close_code_1005", "\x88\x02\x03\xed", 4, HX_ERR_PROTOCOL, 0, NULL, 0},
    {"n_close_reason_bad_utf8", "\x88\x03\x03\xe8\xff", 5, HX_ERR_PROTOCOL, 0, NULL, 0},
};
/* clang-format on */

static int feed_split(const struct wrow *r, size_t step, struct hx_ws_parser *p,
                      struct hx_ws_msg *m)
{
    size_t off = 0;
    while (off < r->len) {
        size_t k = step && r->len - off > step ? step : r->len - off;
        size_t used;
        int rc = hx_ws_parser_feed(p, (const uint8_t *)r->in + off, k, &used, m);
        off += used;
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void test_hx_ws_parser_vectors_split(void)
{
    for (size_t i = 0; i < sizeof(wrows) / sizeof(wrows[0]); i++) {
        const struct wrow *r = &wrows[i];
        for (size_t step = 0; step <= r->len; step++) {
            struct hx_ws_parser p;
            struct hx_ws_msg m;
            hx_ws_parser_init(&p, 4096, true);
            int rc = feed_split(r, step, &p, &m);
            TH_RC(r->name, r->rc, rc);
            if (rc == 1 && r->rc == 1) {
                CU_ASSERT_EQUAL(m.opcode, r->opcode);
                CU_ASSERT_EQUAL(m.data.len, strlen(r->data));
                if (r->opcode == HX_WS_CLOSE)
                    CU_ASSERT_EQUAL(m.close_code, r->code);
            }
            if (rc < 0)
                CU_ASSERT_PTR_NOT_NULL(p.why);
            hx_ws_parser_free(&p);
        }
    }
}

static void test_hx_ws_parser_message_limit_and_sequence(void)
{
    struct hx_ws_parser p;
    struct hx_ws_msg m;
    size_t used;
    hx_ws_parser_init(&p, 4, true);
    /* two messages in one buffer: the first returns, the rest is kept for the next call */
    const uint8_t two[] = {0x81, 0x01, 'a', 0x82, 0x02, 1, 2};
    CU_ASSERT_EQUAL(hx_ws_parser_feed(&p, two, sizeof(two), &used, &m), 1);
    CU_ASSERT_EQUAL(used, 3);
    CU_ASSERT_EQUAL(m.opcode, HX_WS_TEXT);
    CU_ASSERT_EQUAL(hx_ws_parser_feed(&p, two + used, sizeof(two) - used, &used, &m), 1);
    CU_ASSERT_EQUAL(m.opcode, HX_WS_BINARY);
    CU_ASSERT_EQUAL(m.data.len, 2);
    /* fragments adding up past the limit */
    const uint8_t frag[] = {0x02, 0x03, 1, 2, 3, 0x80, 0x02, 4, 5};
    TH_RC("fragments over limit", HX_ERR_TOO_LARGE,
          hx_ws_parser_feed(&p, frag, sizeof(frag), &used, &m));
    hx_ws_parser_free(&p);
}

CU_TestInfo test_hx_ws_tests[] = {
    {"test_hx_ws_sha1_vectors", test_hx_ws_sha1_vectors},
    {"test_hx_ws_accept_key_rfc6455", test_hx_ws_accept_key_rfc6455},
    {"test_hx_ws_handshake_check", test_hx_ws_handshake_check},
    {"test_hx_ws_encode_masked", test_hx_ws_encode_masked},
    {"test_hx_ws_parser_vectors_split", test_hx_ws_parser_vectors_split},
    {"test_hx_ws_parser_message_limit_and_sequence", test_hx_ws_parser_message_limit_and_sequence},
    CU_TEST_INFO_NULL,
};
