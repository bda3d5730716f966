/*
 * test_eio_payload.c - Engine.IO v4 polling payloads (0x1E-joined).
 *
 * Rows carry the spec examples (engine.io-protocol v4 "HTTP long-polling"),
 * the engine.io-parser test vectors and the packet-level inputs of the
 * observed-behaviour table (E12-E18). y_ rows decode strictly with no quirk
 * and re-encode to the same bytes; n_ rows fail strictly; |compat| is what
 * compat mode returns when it differs (the reference's decodePayload gives
 * the same packets, checked with node). Rows run whole and at a guard page.
 */
#include "eio_th.h"

#include <string.h>

extern CU_TestInfo test_eio_payload_tests[];

struct prow {
    const char *name;
    const char *in;
    size_t len; /* 0 = strlen */
    const char *strict;
    const char *compat; /* NULL = same as strict */
};

#define MSG(t) "type=message text=\"" t "\" | "

/* clang-format off */
static const struct prow rows[] = {
    {"y_spec_text", "4hello\x1e" "2\x1e" "4world", 0,
     MSG("hello") "type=ping text=\"\" | " MSG("world") "end", NULL},
    {"y_spec_binary", "4hello\x1e" "bAQIDBA==", 0,
     MSG("hello") "type=message bin=01020304 | end", NULL},
    {"y_parser_all_types", "0\x1e" "1\x1e" "2probe\x1e" "3probe\x1e" "4test", 0,
     "type=open text=\"\" | type=close text=\"\" | type=ping text=\"probe\" | "
     "type=pong text=\"probe\" | " MSG("test") "end", NULL},
    {"y_parser_mixed", "4test\x1e" "bAQIDBA==", 0, MSG("test") "type=message bin=01020304 | end",
     NULL},
    {"y_single_type", "4", 0, MSG("") "end", NULL},                          /* E15 */
    {"y_E13_noop_message", "6\x1e" "4x", 0, "type=noop text=\"\" | " MSG("x") "end", NULL},
    {"y_E13_open", "0", 0, "type=open text=\"\" | end", NULL},
    {"y_E12_ping", "2probe", 0, "type=ping text=\"probe\" | end", NULL}, /* session rule */
    {"y_E14_euro", "4\xe2\x82\xac\x1e" "4b", 0, MSG("\\xe2\\x82\\xac") MSG("b") "end", NULL},
    {"y_E16_binary", "bAQID", 0, "type=message bin=010203 | end", NULL},
    {"y_E18_close_inside", "4a\x1e" "1\x1e" "4b", 0,
     MSG("a") "type=close text=\"\" | " MSG("b") "end", NULL},
    {"y_binary_empty", "b", 0, "type=message bin= | end", NULL},
    {"y_sio_batch", "40{\"sid\":\"x\"}\x1e" "42[\"auth\",{}]", 0,
     "type=message text=\"0{\"sid\":\"x\"}\" | type=message text=\"2[\"auth\",{}]\" | end", NULL},
    {"y_nul_byte", "4a\0b", 4, MSG("a\\x00b") "end", NULL},
    /* E12: empty body, lone separator, bad type, trailing separator */
    {"n_E12_empty", "", 0, "error ERR_EIO_EMPTY", NULL},
    {"n_E12_separator", "\x1e", 0, "error ERR_EIO_EMPTY", NULL},
    {"n_E12_type_7", "7", 0, "error ERR_EIO_TYPE", NULL},
    {"n_E12_trailing_separator", "4a\x1e", 0, MSG("a") "error ERR_EIO_EMPTY", NULL},
    {"n_doubled_separator", "4a\x1e\x1e" "4b", 0, MSG("a") "error ERR_EIO_EMPTY", NULL},
    {"n_leading_separator", "\x1e" "4a", 0, "error ERR_EIO_EMPTY", NULL},
    {"n_good_then_bad", "4hi\x1e" "2\x1e" "9", 0, MSG("hi") "type=ping text=\"\" | error ERR_EIO_TYPE",
     NULL},
    {"n_bad_after_message", "4a\x1e" "abc", 0, MSG("a") "error ERR_EIO_TYPE", NULL},
    {"n_parser_brace", "{", 0, "error ERR_EIO_TYPE", NULL},
    {"n_parser_braces", "{}", 0, "error ERR_EIO_TYPE", NULL},
    {"n_parser_array", "[\"a123\", \"a456\"]", 0, "error ERR_EIO_TYPE", NULL},
    /* E17: a v3-style packet decodes to garbage bytes in the reference */
    {"n_E17_v3_style", "b4AQID", 0, "error ERR_EIO_BASE64",
     "type=message bin=e00408 quirks=eio-lenient-base64 | end"},
    {"n_b_unpadded", "bAQ", 0, "error ERR_EIO_BASE64",
     "type=message bin=01 quirks=eio-lenient-base64 | end"},
    {"n_b_url_safe", "b-_-_", 0, "error ERR_EIO_BASE64",
     "type=message bin=fbffbf quirks=eio-lenient-base64 | end"},
    {"n_b_skip_invalid", "b!!AQID", 0, "error ERR_EIO_BASE64",
     "type=message bin=010203 quirks=eio-lenient-base64 | end"},
    {"n_b_pad_bits", "4x\x1e" "bAR==", 0, MSG("x") "error ERR_EIO_BASE64",
     MSG("x") "type=message bin=01 quirks=eio-lenient-base64 | end"},
    {"n_invalid_utf8", "4\xff\x1e" "4b", 0, "error ERR_UTF8",
     "type=message text=\"\\xff\" quirks=invalid-utf8 | " MSG("b") "end"},
    {"n_invalid_utf8_then_bad", "4\xc0\x1e" "x", 0, "error ERR_UTF8",
     "type=message text=\"\\xc0\" quirks=invalid-utf8 | error ERR_EIO_TYPE"},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void test_eio_payload_vectors(void)
{
    char got[EIO_TH_LINE];
    for (size_t i = 0; i < NROWS; i++) {
        const struct prow *r = &rows[i];
        size_t len = r->len ? r->len : strlen(r->in);
        uint8_t *g = th_guard_copy(r->in, len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT((r->name[0] == 'y') == (strstr(r->strict, "error") == NULL));
        CU_ASSERT(r->name[0] == 'n' || r->compat == NULL);
        for (int m = 0; m < 2; m++) {
            struct cdc_opts o = eio_th_opts(4, m ? CDC_COMPAT : CDC_STRICT);
            const char *want = m && r->compat ? r->compat : r->strict;
            eio_th_payload(&o, (const uint8_t *)r->in, len, EIO_PAYLOAD_TEXT, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
            eio_th_payload(&o, g, len, EIO_PAYLOAD_TEXT, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
        }
        if (r->name[0] == 'y') {
            struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
            eio_th_reencode(r->name, &o, (const uint8_t *)r->in, len, EIO_PAYLOAD_TEXT);
        }
        th_guard_free(g, len);
    }
}

/* The whole body is bounded by max_payload before any packet is read. */
static void test_eio_payload_max_payload(void)
{
    char got[EIO_TH_LINE];
    struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
    o.lim.max_payload = 10;
    eio_th_payload(&o,
                   (const uint8_t *)"4abc\x1e"
                                    "4defg",
                   10, EIO_PAYLOAD_TEXT, got, sizeof(got));
    CU_ASSERT(eio_th_same("at max", MSG("abc") MSG("defg") "end", got));
    eio_th_payload(&o,
                   (const uint8_t *)"4abc\x1e"
                                    "4defgh",
                   11, EIO_PAYLOAD_TEXT, got, sizeof(got));
    CU_ASSERT(eio_th_same("over max", "error ERR_TOO_LARGE", got));
}

static void test_eio_payload_bad_arguments(void)
{
    struct eio_payload_iter it;
    struct eio_packet p;
    struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
    eio_payload_iter_init(&it, &o, (const uint8_t *)"4a", 2, EIO_PAYLOAD_BINARY);
    TH_ASSERT_RC("v4 binary kind", CDC_ERR_INVALID_ARG, eio_payload_next(&it, NULL, &p, NULL));
    o.eio_version = 2;
    eio_payload_iter_init(&it, &o, (const uint8_t *)"4a", 2, EIO_PAYLOAD_TEXT);
    TH_ASSERT_RC("revision 2", CDC_ERR_INVALID_ARG, eio_payload_next(&it, NULL, &p, NULL));
    /* a base64 segment without a scratch buffer */
    o.eio_version = 4;
    eio_payload_iter_init(&it, &o, (const uint8_t *)"bAQID", 5, EIO_PAYLOAD_TEXT);
    TH_ASSERT_RC("no scratch", CDC_ERR_INVALID_ARG, eio_payload_next(&it, NULL, &p, NULL));
}

/* Diagnostics point into the whole payload. */
static void test_eio_payload_diag_offsets(void)
{
    static const struct {
        const char *in;
        size_t off;
    } rows_d[] = {{"4a\x1e"
                   "7",
                   3},
                  {"4a\x1e", 3},
                  {"4a\x1e"
                   "bA!==",
                   5},
                  {"4a\x1e"
                   "4\xff",
                   4}};
    for (size_t i = 0; i < sizeof(rows_d) / sizeof(rows_d[0]); i++) {
        struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
        struct eio_payload_iter it;
        struct eio_packet p;
        struct cdc_buf scratch;
        struct cdc_diag diag = {0, NULL};
        int rc;
        cdc_buf_init(&scratch, 1024, NULL);
        eio_payload_iter_init(&it, &o, (const uint8_t *)rows_d[i].in, strlen(rows_d[i].in),
                              EIO_PAYLOAD_TEXT);
        while ((rc = eio_payload_next(&it, &scratch, &p, &diag)) == 1)
            ;
        CU_ASSERT(rc < 0);
        CU_ASSERT_EQUAL(diag.off, rows_d[i].off);
        cdc_buf_free(&scratch);
    }
}

static void test_eio_payload_encode(void)
{
    static const uint8_t bin[] = {1, 2, 3, 4};
    struct eio_packet pk[3] = {{EIO_MESSAGE, false, {(const uint8_t *)"hello", 5}, 0},
                               {EIO_MESSAGE, true, {bin, 4}, 0},
                               {EIO_PING, false, {(const uint8_t *)"", 0}, 0}};
    struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
    struct cdc_buf w;
    cdc_buf_init(&w, 1024, NULL);
    TH_ASSERT_RC("encode", CDC_OK, eio_payload_encode(&o, pk, 3, EIO_PAYLOAD_TEXT, &w));
    TH_ASSERT_BYTES("wire",
                    "4hello\x1e"
                    "bAQIDBA==\x1e"
                    "2",
                    18, w.p, w.len);
    TH_ASSERT_RC("n == 0", CDC_ERR_INVALID_ARG,
                 eio_payload_encode(&o, pk, 0, EIO_PAYLOAD_TEXT, &w));
    TH_ASSERT_RC("v4 xhr2", CDC_ERR_INVALID_ARG,
                 eio_payload_encode(&o, pk, 1, EIO_PAYLOAD_BINARY, &w));
    /* a separator inside text data cannot be framed: refused, buffer kept */
    struct eio_packet rs = {EIO_MESSAGE, false, {(const uint8_t *)"a\x1e", 2}, 0};
    struct eio_packet two[2] = {pk[0], rs};
    TH_ASSERT_RC("separator in data", CDC_ERR_INVALID_ARG,
                 eio_payload_encode(&o, two, 2, EIO_PAYLOAD_TEXT, &w));
    TH_ASSERT_BYTES("kept",
                    "4hello\x1e"
                    "bAQIDBA==\x1e"
                    "2",
                    18, w.p, w.len);
    cdc_buf_free(&w);
    /* the buffer's max is a hard bound, and failure keeps the bytes */
    cdc_buf_init(&w, 19, NULL); /* "xx" + 18 bytes would need 20 */
    cdc_buf_append_str(&w, "xx");
    TH_ASSERT_RC("too large", CDC_ERR_TOO_LARGE,
                 eio_payload_encode(&o, pk, 3, EIO_PAYLOAD_TEXT, &w));
    TH_ASSERT_BYTES("kept", "xx", 2, w.p, w.len);
    cdc_buf_free(&w);
}

static void test_eio_payload_encode_failing_allocations(void)
{
    static uint8_t big[400];
    struct eio_packet pk[2] = {{EIO_MESSAGE, false, {big, 100}, 0},
                               {EIO_MESSAGE, true, {big, sizeof(big)}, 0}};
    struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
    struct eio_th_payload_call c = {&o, pk, 2, EIO_PAYLOAD_TEXT};
    CU_ASSERT(th_failing_appends(eio_th_encode_payload, &c, 1 << 16) >= 3);
}

/* clang-format off */
CU_TestInfo test_eio_payload_tests[] = {
    {"vectors", test_eio_payload_vectors},
    {"max_payload", test_eio_payload_max_payload},
    {"bad_arguments", test_eio_payload_bad_arguments},
    {"diag_offsets", test_eio_payload_diag_offsets},
    {"encode", test_eio_payload_encode},
    {"encode_failing_allocations", test_eio_payload_encode_failing_allocations},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
