/*
 * test_eio_payload_v3.c - Engine.IO v3 polling payloads: the text form
 * "<len>:<packet>" (len in UTF-16 code units) and the XHR2 binary form.
 *
 * Rows carry the examples of engine.io-protocol v3 "Payload" (with the
 * XHR2 example corrected: the binary entry includes its type byte) and of
 * the Socket.IO v4 spec, plus edge cases. y_ rows decode strictly without
 * quirks and re-encode to the same bytes; n_ rows fail strictly. Compat
 * transcripts match what engine.io's lib/parser-v3 returns for the same
 * body (checked with node), except where the file says otherwise.
 */
#include "eio_th.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_eio_payload_v3_tests[];

struct vrow {
    const char *name;
    enum eio_payload_kind kind;
    const char *in;
    size_t len; /* 0 = strlen */
    const char *strict;
    const char *compat; /* NULL = same as strict */
};

#define T EIO_PAYLOAD_TEXT
#define X EIO_PAYLOAD_BINARY
#define MSG(t) "type=message text=\"" t "\" | "
#define HEY MSG("hey")
#define HS3                                                                                        \
    "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],"                              \
    "\"pingInterval\":25000,\"pingTimeout\":5000}"
#define LOOSE(t) "type=message text=\"" t "\" quirks=eio-v3-loose-length | "
#define XLOOSE(t) "type=message text=\"" t "\" quirks=eio-v3-loose-binary-payload | "

/* clang-format off */
static const struct vrow rows[] = {
    /* engine.io-protocol v3 examples */
    {"y_spec_hey", T, "4:4hey", 0, HEY "end", NULL},
    {"y_spec_post", T, "6:4hello6:4world", 0, MSG("hello") MSG("world") "end", NULL},
    {"y_spec_euro", T, "2:4\xe2\x82\xac", 0, MSG("\\xe2\\x82\\xac") "end", NULL},
    {"y_spec_no_binary", T, "6:4hello2:4\xe2\x82\xac", 0,
     MSG("hello") MSG("\\xe2\\x82\\xac") "end", NULL},
    {"y_spec_base64", T, "2:4\xe2\x82\xac" "10:b4AQIDBA==", 0,
     MSG("\\xe2\\x82\\xac") "type=message bin=01020304 | end", NULL},
    {"y_spec_handshake", T, "96:0" HS3, 0, "type=open text=\"" HS3 "\" | end", NULL},
    {"y_empty_payload", T, "0:", 0, "end", NULL},
    /* Socket.IO v4 spec (EIO=3) */
    {"y_sio_connect", T, "2:40", 0, MSG("0") "end", NULL},
    {"y_sio_event", T, "16:42[\"hey\",\"Jude\"]", 0, MSG("2[\"hey\",\"Jude\"]") "end", NULL},
    {"y_sio_two", T, "11:42[\"hello\"]11:42[\"world\"]", 0,
     MSG("2[\"hello\"]") MSG("2[\"world\"]") "end", NULL},
    {"y_astral_two_units", T, "3:4\xf0\x9f\x98\x80", 0, MSG("\\xf0\\x9f\\x98\\x80") "end", NULL},
    {"y_binary_ping", T, "10:b2cHJvYmU=", 0, "type=ping bin=70726f6265 | end", NULL},
    {"y_separator_is_data", T, "3:4\x1e:", 0, MSG("\\x1e:") "end", NULL},
    {"n_empty", T, "", 0, "error ERR_EIO_EMPTY", NULL},
    {"n_no_colon", T, "4hey", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_empty_length", T, ":4hey", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_length_past_end", T, "5:4hey", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_trailing_garbage", T, "4:4heyx", 0, HEY "error ERR_EIO_LENGTH", NULL},
    {"n_bytes_not_units", T, "4:4\xe2\x82\xac", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_negative", T, "-4:4hey", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_letters", T, "a:4hey", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_huge", T, "99999999999999999999:4", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_infinity", T, "Infinity:4hey", 0, "error ERR_EIO_LENGTH", NULL},
    {"n_bad_type", T, "2:7x", 0, "error ERR_EIO_TYPE", NULL},
    {"n_good_then_bad_type", T, "4:4hey2:9x", 0, HEY "error ERR_EIO_TYPE", NULL},
    /* the reference makes a packet of undefined type from "bA..." */
    {"n_b_without_type", T, "5:bAQID", 0, "error ERR_EIO_TYPE", NULL},
    /* the reference delivers "4\ud83d" here, then fails; see the docs */
    {"n_split_surrogate_pair", T, "2:4\xf0\x9f\x98\x80", 0, "error ERR_EIO_LENGTH", NULL},
    /* Number() readings of the length */
    {"n_leading_zero", T, "04:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_plus", T, "+4:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_spaces", T, " 4 :4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_nbsp", T, "\xc2\xa0" "4:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_fraction", T, "4.0:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_exponent", T, "4e0:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_hex", T, "0x4:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_binary_literal", T, "0b100:4hey", 0, "error ERR_EIO_LENGTH", LOOSE("hey") "end"},
    {"n_rounds_to_int", T, "3.99999999999999999999:4hey", 0, "error ERR_EIO_LENGTH",
     LOOSE("hey") "end"},
    {"n_double_zero_body", T, "00:", 0, "error ERR_EIO_LENGTH",
     "end iter-quirks=eio-v3-loose-length"},
    {"n_blank_length_body", T, " :", 0, "error ERR_EIO_LENGTH",
     "end iter-quirks=eio-v3-loose-length"},
    {"n_blank_length", T, " :4hey", 0, "error ERR_EIO_LENGTH",
     "error ERR_EIO_LENGTH iter-quirks=eio-v3-loose-length,eio-v3-empty-packet"},
    /* zero-length packets are skipped by the reference */
    {"n_zero_first", T, "0:4:4hey", 0, "error ERR_EIO_EMPTY",
     "type=message text=\"hey\" quirks=eio-v3-empty-packet | end"},
    {"n_zero_trailing", T, "4:4hey0:", 0, HEY "error ERR_EIO_EMPTY",
     HEY "end iter-quirks=eio-v3-empty-packet"},
    {"n_underflow_zero", T, "1e-400:4:4hey", 0, "error ERR_EIO_LENGTH",
     "type=message text=\"hey\" quirks=eio-v3-loose-length,eio-v3-empty-packet | end"},
    /* segment contents */
    {"n_b_lenient", T, "6:b4AQ!D", 0, "error ERR_EIO_BASE64",
     "type=message bin=0100 quirks=eio-lenient-base64 | end"},
    {"n_invalid_utf8", T, "2:4\xff", 0, "error ERR_UTF8",
     "type=message text=\"\\xff\" quirks=invalid-utf8 | end"},
    /* the length walk checks UTF-8 as it counts, word by word */
    {"y_mixed_lengths", T, "12:4a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "bcdefg", 0,
     MSG("a\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80bcdefg") "end", NULL},
    {"n_second_invalid", T, "2:4a4:4\xed\xa0\x80", 0, MSG("a") "error ERR_UTF8",
     MSG("a") "type=message text=\"\\xed\\xa0\\x80\" quirks=invalid-utf8 | end"},
    {"n_invalid_after_word", T, "11:4abcdefgh\xff\xfe", 0, "error ERR_UTF8",
     "type=message text=\"abcdefgh\\xff\\xfe\" quirks=invalid-utf8 | end"},
    {"n_truncated_at_end", T, "3:4a\xe2\x82", 0, "error ERR_UTF8",
     "type=message text=\"a\\xe2\\x82\" quirks=invalid-utf8 | end"},
    {"n_length_splits_pair", T, "2:4\xf0\x9f\x98\x80", 0, "error ERR_EIO_LENGTH", NULL},

    /* XHR2 binary: engine.io-protocol v3 example, corrected (erratum) */
    {"y_xhr2_spec", X, "\x00\x04\xff" "4\xe2\x82\xac" "\x01\x05\xff\x04\x01\x02\x03\x04", 15,
     MSG("\\xe2\\x82\\xac") "type=message bin=01020304 | end", NULL},
    /* the spec's printed bytes frame fine but read as a close packet */
    {"y_xhr2_spec_erratum_bytes", X, "\x00\x04\xff" "4\xe2\x82\xac" "\x01\x04\xff\x01\x02\x03\x04",
     14, MSG("\\xe2\\x82\\xac") "type=close bin=020304 | end", NULL},
    {"y_xhr2_string", X, "\x00\x06\xff" "4hello", 9, MSG("hello") "end", NULL},
    {"y_xhr2_two_digits", X, "\x00\x01\x02\xff" "4hello world", 16, MSG("hello world") "end",
     NULL},
    {"y_xhr2_binary_ping", X, "\x01\x06\xff\x02probe", 9, "type=ping bin=70726f6265 | end",
     NULL},
    {"n_xhr2_empty", X, "", 0, "error ERR_EIO_EMPTY",
     "end iter-quirks=eio-v3-loose-binary-payload"},
    {"n_xhr2_no_ff", X, "\x00\x04" "4e", 4, "error ERR_EIO_BINARY_PAYLOAD", NULL},
    /* the reference reads the next entry from the 0xFF and runs off the end */
    {"n_xhr2_no_length", X, "\x00\xff" "4", 3, "error ERR_EIO_BINARY_PAYLOAD", NULL},
    {"n_xhr2_nan_entry", X, "\x00\xff\x00\x02\xff" "4a", 7, "error ERR_EIO_BINARY_PAYLOAD",
     "error ERR_EIO_EMPTY"},
    {"n_xhr2_empty_string", X, "\x00\x00\xff", 3, "error ERR_EIO_EMPTY", NULL},
    {"n_xhr2_bad_type", X, "\x01\x02\xff\x07\x01", 5, "error ERR_EIO_TYPE", NULL},
    {"n_xhr2_bad_utf8", X, "\x00\x02\xff" "4\xff", 5, "error ERR_UTF8", NULL},
    /* the XHR2 reference decoder turns an encoded surrogate into U+FFFD */
    {"n_xhr2_surrogate", X, "\x00\x04\xff" "4\xed\xa0\x80", 7, "error ERR_UTF8",
     "type=message text=\"\\xed\\xa0\\x80\" quirks=invalid-utf8 | end"},
    {"n_xhr2_string_base64", X, "\x00\x06\xff" "b4AQID", 9, "error ERR_EIO_BINARY",
     "type=message bin=010203 quirks=eio-ws-text-binary | end"},
    /* engineioxide's hang: the reference clips the short last entry */
    {"n_xhr2_truncated", X, "\x01\x05\xff\x04\x01\x02", 6, "error ERR_EIO_BINARY_PAYLOAD",
     "type=message bin=0102 quirks=eio-v3-loose-binary-payload | end"},
    {"n_xhr2_entry_type_2", X, "\x02\x02\xff\x04\x01", 5, "error ERR_EIO_BINARY_PAYLOAD",
     "type=message bin=01 quirks=eio-v3-loose-binary-payload | end"},
    {"n_xhr2_leading_zero", X, "\x00\x00\x02\xff" "4a", 6, "error ERR_EIO_BINARY_PAYLOAD",
     XLOOSE("a") "end"},
    /* byte 12 reads as "12", and the entry is sliced one byte later */
    {"n_xhr2_length_byte_12", X, "\x00\x0c\xff" "x4hello world", 16,
     "error ERR_EIO_BINARY_PAYLOAD", XLOOSE("hello world") "end"},
    {"n_xhr2_length_byte_100", X, "\x00\x64\xff" "4", 4, "error ERR_EIO_BINARY_PAYLOAD",
     "error ERR_EIO_EMPTY"},
    {"n_xhr2_bad_second_framing", X, "\x00\x02\xff" "4a" "\x00\x05", 7,
     "error ERR_EIO_BINARY_PAYLOAD", NULL},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void test_eio_payload_v3_vectors(void)
{
    char got[EIO_TH_LINE];
    for (size_t i = 0; i < NROWS; i++) {
        const struct vrow *r = &rows[i];
        size_t len = r->len ? r->len : strlen(r->in);
        uint8_t *g = th_guard_copy(r->in, len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT((r->name[0] == 'y') == (strstr(r->strict, "error") == NULL));
        CU_ASSERT(r->name[0] == 'n' || r->compat == NULL);
        for (int m = 0; m < 2; m++) {
            struct cdc_opts o = eio_th_opts(3, m ? CDC_COMPAT : CDC_STRICT);
            const char *want = m && r->compat ? r->compat : r->strict;
            eio_th_payload(&o, (const uint8_t *)r->in, len, r->kind, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
            eio_th_payload(&o, g, len, r->kind, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
        }
        if (r->name[0] == 'y') {
            struct cdc_opts o = eio_th_opts(3, CDC_STRICT);
            eio_th_reencode(r->name, &o, (const uint8_t *)r->in, len, r->kind);
        }
        th_guard_free(g, len);
    }
}

/* The reference reads at most 310 characters of length before 0xFF, and
 * checks before appending, so 311 digit bytes pass and 312 fail. */
static void test_eio_payload_v3_xhr2_length_digits(void)
{
    static uint8_t body[400];
    char got[EIO_TH_LINE];
    struct cdc_opts o = eio_th_opts(3, CDC_COMPAT);
    for (size_t digits = 309; digits <= 313; digits++) {
        memset(body, 0, sizeof(body));
        body[digits] = 2; /* "000...02" */
        body[digits + 1] = 0xFF;
        memcpy(body + digits + 2, "4a", 2);
        eio_th_payload(&o, body, digits + 4, EIO_PAYLOAD_BINARY, got, sizeof(got));
        CU_ASSERT(eio_th_same(
            "digits", digits <= 311 ? XLOOSE("a") "end" : "error ERR_EIO_BINARY_PAYLOAD", got));
    }
}

/* XHR2 framing errors come before any packet, as in the reference. */
static void test_eio_payload_v3_xhr2_framing_first(void)
{
    static const uint8_t body[] = {0, 2, 0xFF, '4', 'a', 1, 9, 9};
    for (int m = 0; m < 2; m++) {
        struct cdc_opts o = eio_th_opts(3, m ? CDC_COMPAT : CDC_STRICT);
        struct eio_payload_iter it;
        struct eio_packet p;
        struct cdc_buf scratch;
        struct cdc_diag diag = {0, NULL};
        cdc_buf_init(&scratch, 64, NULL);
        eio_payload_iter_init(&it, &o, body, sizeof(body), EIO_PAYLOAD_BINARY);
        TH_ASSERT_RC("first call", CDC_ERR_EIO_BINARY_PAYLOAD,
                     eio_payload_next(&it, &scratch, &p, &diag));
        CU_ASSERT_EQUAL(diag.off, 5);
        cdc_buf_free(&scratch);
    }
}

static void test_eio_payload_v3_max_payload(void)
{
    char got[EIO_TH_LINE];
    struct cdc_opts o = eio_th_opts(3, CDC_STRICT);
    o.lim.max_payload = 6;
    eio_th_payload(&o, (const uint8_t *)"4:4hey", 6, EIO_PAYLOAD_TEXT, got, sizeof(got));
    CU_ASSERT(eio_th_same("at max", HEY "end", got));
    eio_th_payload(&o, (const uint8_t *)"5:4heyy", 7, EIO_PAYLOAD_TEXT, got, sizeof(got));
    CU_ASSERT(eio_th_same("over max", "error ERR_TOO_LARGE", got));
    eio_th_payload(&o,
                   (const uint8_t *)"\x00\x05\xff"
                                    "4heyy",
                   8, EIO_PAYLOAD_BINARY, got, sizeof(got));
    CU_ASSERT(eio_th_same("xhr2 over max", "error ERR_TOO_LARGE", got));
}

/* Encoder: the spec examples, the UTF-16 length rule, binary in both forms. */
static void test_eio_payload_v3_encode(void)
{
    static const uint8_t bin[] = {1, 2, 3, 4};
    struct eio_packet pk[2] = {{EIO_MESSAGE, false, {(const uint8_t *)"\xe2\x82\xac", 3}, 0},
                               {EIO_MESSAGE, true, {bin, 4}, 0}};
    struct eio_packet astral = {EIO_MESSAGE, false, {(const uint8_t *)"\xf0\x9f\x98\x80", 4}, 0};
    struct cdc_opts o = eio_th_opts(3, CDC_STRICT);
    struct cdc_buf w;
    cdc_buf_init(&w, 1024, NULL);
    TH_ASSERT_RC("text", CDC_OK, eio_payload_encode(&o, pk, 2, EIO_PAYLOAD_TEXT, &w));
    TH_ASSERT_BYTES("text",
                    "2:4\xe2\x82\xac"
                    "10:b4AQIDBA==",
                    19, w.p, w.len);
    cdc_buf_reset(&w);
    TH_ASSERT_RC("xhr2", CDC_OK, eio_payload_encode(&o, pk, 2, EIO_PAYLOAD_BINARY, &w));
    TH_ASSERT_BYTES("xhr2",
                    "\x00\x04\xff"
                    "4\xe2\x82\xac"
                    "\x01\x05\xff\x04\x01\x02\x03\x04",
                    15, w.p, w.len);
    cdc_buf_reset(&w);
    TH_ASSERT_RC("astral", CDC_OK, eio_payload_encode(&o, &astral, 1, EIO_PAYLOAD_TEXT, &w));
    TH_ASSERT_BYTES("astral", "3:4\xf0\x9f\x98\x80", 7, w.p, w.len);
    TH_ASSERT_RC("n == 0", CDC_ERR_INVALID_ARG,
                 eio_payload_encode(&o, pk, 0, EIO_PAYLOAD_TEXT, &w));
    struct eio_packet bad = {(enum eio_type)9, false, {NULL, 0}, 0};
    struct eio_packet two[2] = {pk[0], bad};
    size_t before = w.len;
    TH_ASSERT_RC("bad type", CDC_ERR_INVALID_ARG,
                 eio_payload_encode(&o, two, 2, EIO_PAYLOAD_BINARY, &w));
    TH_ASSERT_RC("bad type", CDC_ERR_INVALID_ARG,
                 eio_payload_encode(&o, two, 2, EIO_PAYLOAD_TEXT, &w));
    CU_ASSERT_EQUAL(w.len, before);
    cdc_buf_free(&w);
}

/* The trusted encoder: the same bytes for well-formed text of every length
 * and alignment; on ill-formed text some length prefix, within bounds. */
static void test_eio_payload_v3_encode_trusted(void)
{
    static const char *const pieces[] = {"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "~"};
    static uint8_t text[256];
    struct cdc_opts o = eio_th_opts(3, CDC_STRICT);
    struct cdc_buf a, b;
    cdc_buf_init(&a, 1 << 12, NULL);
    cdc_buf_init(&b, 1 << 12, NULL);
    uint32_t x = 12345;
    for (size_t round = 0; round < 400; round++) {
        size_t n = 0, want = round % 60;  /* characters */
        uint8_t *base = text + round % 8; /* every alignment */
        for (size_t c = 0; c < want; c++) {
            x = x * 1103515245u + 12345u;
            const char *pc = pieces[(x >> 16) % 5];
            memcpy(base + n, pc, strlen(pc));
            n += strlen(pc);
        }
        struct eio_packet pk = {EIO_MESSAGE, false, {base, n}, 0};
        cdc_buf_reset(&a);
        cdc_buf_reset(&b);
        TH_ASSERT_RC("plain", CDC_OK, eio_payload_encode(&o, &pk, 1, EIO_PAYLOAD_TEXT, &a));
        TH_ASSERT_RC("trusted", CDC_OK,
                     eio_payload_encode_trusted_utf8(&o, &pk, 1, EIO_PAYLOAD_TEXT, &b));
        TH_ASSERT_BYTES("trusted", a.p, a.len, b.p, b.len);
    }
    /* Ill-formed text: no promise on the prefix, but a packet and the data. */
    struct eio_packet bad = {EIO_MESSAGE,
                             false,
                             {(const uint8_t *)"\xff\xfe\x80"
                                               "abc\xe2",
                              7},
                             0};
    cdc_buf_reset(&b);
    TH_ASSERT_RC("ill-formed", CDC_OK,
                 eio_payload_encode_trusted_utf8(&o, &bad, 1, EIO_PAYLOAD_TEXT, &b));
    CU_ASSERT(b.len > 8 && memcmp(b.p + b.len - 7, bad.data.p, 7) == 0);
    TH_ASSERT_RC("n == 0", CDC_ERR_INVALID_ARG,
                 eio_payload_encode_trusted_utf8(&o, &bad, 0, EIO_PAYLOAD_TEXT, &b));
    cdc_buf_free(&a);
    cdc_buf_free(&b);
}

static void test_eio_payload_v3_encode_failing_allocations(void)
{
    static uint8_t big[400];
    struct eio_packet pk[2] = {{EIO_MESSAGE, false, {big, 100}, 0},
                               {EIO_MESSAGE, true, {big, sizeof(big)}, 0}};
    struct cdc_opts o = eio_th_opts(3, CDC_STRICT);
    for (int kind = 0; kind < 2; kind++) {
        struct eio_th_payload_call c = {&o, pk, 2, (enum eio_payload_kind)kind};
        CU_ASSERT(th_failing_appends(eio_th_encode_payload, &c, 1 << 16) >= 2);
    }
}

/* clang-format off */
CU_TestInfo test_eio_payload_v3_tests[] = {
    {"vectors", test_eio_payload_v3_vectors},
    {"xhr2_length_digits", test_eio_payload_v3_xhr2_length_digits},
    {"xhr2_framing_first", test_eio_payload_v3_xhr2_framing_first},
    {"max_payload", test_eio_payload_v3_max_payload},
    {"encode", test_eio_payload_v3_encode},
    {"encode_trusted", test_eio_payload_v3_encode_trusted},
    {"encode_failing_allocations", test_eio_payload_v3_encode_failing_allocations},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
