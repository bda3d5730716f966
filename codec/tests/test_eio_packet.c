/*
 * test_eio_packet.c - single Engine.IO packets: type names, WebSocket text
 * and binary messages, the encoder, round trips and failing allocations.
 *
 * Rows: y_ = the spec accepts (strict decodes, compat decodes the same with
 * no quirk); n_ = strict rejects. |compat| is the compat transcript when it
 * differs from |strict|; compat expectations match what engine.io-parser
 * 5.2.3 (v4) and engine.io's parser-v3 (v3) return for the same string,
 * checked with node. Every row runs whole and at a guard page.
 */
#include "eio_th.h"

#include <string.h>

extern CU_TestInfo test_eio_packet_tests[];

struct trow {
    const char *name;
    int ver;
    const char *in;
    size_t len; /* 0 = strlen */
    const char *strict;
    const char *compat; /* NULL = same as strict */
};

/* clang-format off */
static const struct trow text_rows[] = {
    /* engine.io-protocol v4 "Packet encoding / WebSocket" and the parser tests */
    {"y_message", 4, "4hello", 0, "type=message text=\"hello\"", NULL},
    {"y_message_test", 4, "4test", 0, "type=message text=\"test\"", NULL},
    {"y_message_no_data", 4, "4", 0, "type=message text=\"\"", NULL},
    {"y_open", 4, "0{\"sid\":\"a\"}", 0, "type=open text=\"{\"sid\":\"a\"}\"", NULL},
    {"y_close", 4, "1", 0, "type=close text=\"\"", NULL},
    {"y_ping", 4, "2", 0, "type=ping text=\"\"", NULL},
    {"y_pong", 4, "3", 0, "type=pong text=\"\"", NULL},
    {"y_ping_probe", 4, "2probe", 0, "type=ping text=\"probe\"", NULL},
    {"y_pong_probe", 4, "3probe", 0, "type=pong text=\"probe\"", NULL},
    {"y_upgrade", 4, "5", 0, "type=upgrade text=\"\"", NULL},
    {"y_noop", 4, "6", 0, "type=noop text=\"\"", NULL},
    {"y_euro", 4, "4\xe2\x82\xac", 0, "type=message text=\"\\xe2\\x82\\xac\"", NULL},
    {"y_nul_in_data", 4, "4a\0b", 4, "type=message text=\"a\\x00b\"", NULL},
    {"y_rs_in_ws_data", 4, "4a\x1e" "b", 0, "type=message text=\"a\\x1eb\"", NULL},
    {"y_v3_message", 3, "4hello", 0, "type=message text=\"hello\"", NULL},
    {"y_v3_ping_probe", 3, "2probe", 0, "type=ping text=\"probe\"", NULL},
    /* engine.io-protocol v3 sample session frames */
    {"y_v3_pong_probe", 3, "3probe", 0, "type=pong text=\"probe\"", NULL},
    {"y_v3_upgrade", 3, "5", 0, "type=upgrade text=\"\"", NULL},
    {"y_v3_world", 3, "4world", 0, "type=message text=\"world\"", NULL},
    {"y_v3_ping", 3, "2", 0, "type=ping text=\"\"", NULL},
    {"y_v3_pong", 3, "3", 0, "type=pong text=\"\"", NULL},
    {"y_v3_close", 3, "1", 0, "type=close text=\"\"", NULL},
    {"y_v3_hello_world", 3, "4HelloWorld", 0, "type=message text=\"HelloWorld\"", NULL},
    {"y_v3_ws_handshake", 3, "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"pingInterval\":25000}", 0,
     "type=open text=\"{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"pingInterval\":25000}\"", NULL},
    /* engine.io-parser test: "" and "a123" are errors; E29: empty WS frame */
    {"n_empty", 4, "", 0, "error ERR_EIO_EMPTY", NULL},
    {"n_a123", 4, "a123", 0, "error ERR_EIO_TYPE", NULL},
    {"n_type_7", 4, "7", 0, "error ERR_EIO_TYPE", NULL},
    {"n_space_type", 4, " 4", 0, "error ERR_EIO_TYPE", NULL},
    {"n_high_byte_type", 4, "\xff" "4", 0, "error ERR_EIO_TYPE", NULL},
    {"n_v3_empty", 3, "", 0, "error ERR_EIO_EMPTY", NULL},
    {"n_v3_type_9", 3, "9", 0, "error ERR_EIO_TYPE", NULL},
    /* E31: a text frame "bAQID" is read as a binary message by the reference */
    {"n_b_in_ws_text", 4, "bAQID", 0, "error ERR_EIO_BINARY",
     "type=message bin=010203 quirks=eio-ws-text-binary"},
    {"n_b_in_ws_text_padded", 4, "bAQIDBA==", 0, "error ERR_EIO_BINARY",
     "type=message bin=01020304 quirks=eio-ws-text-binary"},
    {"n_b_empty", 4, "b", 0, "error ERR_EIO_BINARY",
     "type=message bin= quirks=eio-ws-text-binary"},
    {"n_b_skips_invalid", 4, "b!!AQID", 0, "error ERR_EIO_BINARY",
     "type=message bin=010203 quirks=eio-lenient-base64,eio-ws-text-binary"},
    {"n_b_only_invalid", 4, "b!!!", 0, "error ERR_EIO_BINARY",
     "type=message bin= quirks=eio-lenient-base64,eio-ws-text-binary"},
    {"n_b_v3_style", 4, "b4AQIDBA==", 0, "error ERR_EIO_BINARY",
     "type=message bin=e004080c10 quirks=eio-lenient-base64,eio-ws-text-binary"},
    {"n_b_url_safe", 4, "b-_-_", 0, "error ERR_EIO_BINARY",
     "type=message bin=fbffbf quirks=eio-lenient-base64,eio-ws-text-binary"},
    {"n_v3_b_in_ws_text", 3, "b4AQID", 0, "error ERR_EIO_BINARY",
     "type=message bin=010203 quirks=eio-ws-text-binary"},
    {"n_v3_b_ping", 3, "b2cHJvYmU=", 0, "error ERR_EIO_BINARY",
     "type=ping bin=70726f6265 quirks=eio-ws-text-binary"},
    /* the v3 reference makes a packet of undefined type here; see docs */
    {"n_v3_b_no_type", 3, "bAQID", 0, "error ERR_EIO_BINARY", "error ERR_EIO_TYPE"},
    {"n_v3_b_type_9", 3, "b9AQID", 0, "error ERR_EIO_BINARY", "error ERR_EIO_TYPE"},
    {"n_v3_b_alone", 3, "b", 0, "error ERR_EIO_BINARY", "error ERR_EIO_TYPE"},
    /* text must be UTF-8; the reference decodes with U+FFFD instead */
    {"n_invalid_utf8", 4, "4\xff", 0, "error ERR_UTF8",
     "type=message text=\"\\xff\" quirks=invalid-utf8"},
    {"n_surrogate_utf8", 4, "4\xed\xa0\x80", 0, "error ERR_UTF8",
     "type=message text=\"\\xed\\xa0\\x80\" quirks=invalid-utf8"},
    {"n_truncated_utf8", 4, "2\xe2\x82", 0, "error ERR_UTF8",
     "type=ping text=\"\\xe2\\x82\" quirks=invalid-utf8"},
    {"n_b_invalid_utf8", 4, "bAQ\xffID", 0, "error ERR_EIO_BINARY",
     "type=message bin=010203 quirks=eio-lenient-base64,eio-ws-text-binary,invalid-utf8"},
};

struct brow {
    const char *name;
    int ver;
    const char *in;
    size_t len;
    const char *want; /* both modes */
};

static const struct brow bin_rows[] = {
    {"y_v4_bytes", 4, "\x01\x02\x03", 3, "type=message bin=010203"},
    {"y_v4_empty", 4, "", 0, "type=message bin="},
    {"y_v4_leading_type_byte_is_data", 4, "\x04\x01", 2, "type=message bin=0401"},
    /* engine.io-protocol v3: "4|0|1|2|3|4|5" */
    {"y_v3_spec", 3, "\x04\x00\x01\x02\x03\x04\x05", 7, "type=message bin=0001020304" "05"},
    {"y_v3_type_only", 3, "\x04", 1, "type=message bin="},
    {"y_v3_ping", 3, "\x02probe", 6, "type=ping bin=70726f6265"},
    {"n_v3_empty", 3, "", 0, "error ERR_EIO_EMPTY"},
    {"n_v3_type_7", 3, "\x07\x01", 2, "error ERR_EIO_TYPE"},
    {"n_v3_ascii_type", 3, "4abc", 4, "error ERR_EIO_TYPE"},
};
/* clang-format on */

#define NTEXT (sizeof(text_rows) / sizeof(text_rows[0]))
#define NBIN (sizeof(bin_rows) / sizeof(bin_rows[0]))

static void decode_text_line(const struct cdc_opts *o, const uint8_t *in, size_t len, char *out)
{
    struct cdc_buf scratch;
    struct eio_packet p;
    struct cdc_diag diag = {0, NULL};
    out[0] = 0;
    cdc_buf_init(&scratch, o->lim.max_payload, NULL);
    int rc = eio_packet_decode_text(o, in, len, &scratch, &p, &diag);
    if (rc == CDC_OK) {
        eio_th_packet(&p, out, EIO_TH_LINE);
    } else {
        eio_th_error(rc, out, EIO_TH_LINE);
        CU_ASSERT_PTR_NOT_NULL(diag.why);
        CU_ASSERT(diag.off <= len);
    }
    cdc_buf_free(&scratch);
}

static void test_eio_packet_text_vectors(void)
{
    char got[EIO_TH_LINE];
    for (size_t i = 0; i < NTEXT; i++) {
        const struct trow *r = &text_rows[i];
        size_t len = r->len ? r->len : strlen(r->in);
        uint8_t *g = th_guard_copy(r->in, len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        /* naming discipline: y_ rows decode strictly and need no quirk */
        CU_ASSERT((r->name[0] == 'y') == (strncmp(r->strict, "error", 5) != 0));
        CU_ASSERT(r->name[0] == 'n' || r->compat == NULL);
        for (int m = 0; m < 2; m++) {
            struct cdc_opts o = eio_th_opts(r->ver, m ? CDC_COMPAT : CDC_STRICT);
            const char *want = m && r->compat ? r->compat : r->strict;
            decode_text_line(&o, (const uint8_t *)r->in, len, got);
            CU_ASSERT(eio_th_same(r->name, want, got));
            decode_text_line(&o, g, len, got);
            CU_ASSERT(eio_th_same(r->name, want, got));
        }
        th_guard_free(g, len);
    }
}

static void test_eio_packet_binary_vectors(void)
{
    for (size_t i = 0; i < NBIN; i++) {
        const struct brow *r = &bin_rows[i];
        uint8_t *g = th_guard_copy(r->in, r->len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT((r->name[0] == 'y') == (strncmp(r->want, "error", 5) != 0));
        for (int m = 0; m < 4; m++) {
            struct cdc_opts o = eio_th_opts(r->ver, m & 1 ? CDC_COMPAT : CDC_STRICT);
            struct eio_packet p;
            char got[EIO_TH_LINE] = "";
            const uint8_t *in = m & 2 ? g : (const uint8_t *)r->in;
            int rc = eio_packet_decode_binary(&o, in, r->len, &p, NULL);
            if (rc == CDC_OK)
                eio_th_packet(&p, got, sizeof(got));
            else
                eio_th_error(rc, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, r->want, got));
        }
        th_guard_free(g, r->len);
    }
}

static void test_eio_packet_type_names(void)
{
    static const char *const names[] = {"open",    "close",   "ping", "pong",
                                        "message", "upgrade", "noop"};
    for (int t = 0; t < 7; t++) {
        CU_ASSERT_STRING_EQUAL(eio_type_name(t), names[t]);
        CU_ASSERT_EQUAL(eio_type_from_name(names[t], strlen(names[t])), t);
    }
    CU_ASSERT_PTR_NULL(eio_type_name(-1));
    CU_ASSERT_PTR_NULL(eio_type_name(7));
    CU_ASSERT_EQUAL(eio_type_from_name("mess", 4), -1);
    CU_ASSERT_EQUAL(eio_type_from_name("messages", 8), -1);
    CU_ASSERT_EQUAL(eio_type_from_name("error", 5), -1);
}

/* max_payload bounds one WebSocket message, text or binary. */
static void test_eio_packet_max_payload(void)
{
    static const uint8_t msg[] = "4abcdefghi"; /* 10 bytes */
    struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
    struct eio_packet p;
    o.lim.max_payload = 10;
    TH_ASSERT_RC("text at max", CDC_OK, eio_packet_decode_text(&o, msg, 10, NULL, &p, NULL));
    TH_ASSERT_RC("binary at max", CDC_OK, eio_packet_decode_binary(&o, msg, 10, &p, NULL));
    o.lim.max_payload = 9;
    TH_ASSERT_RC("text over", CDC_ERR_TOO_LARGE,
                 eio_packet_decode_text(&o, msg, 10, NULL, &p, NULL));
    TH_ASSERT_RC("binary over", CDC_ERR_TOO_LARGE, eio_packet_decode_binary(&o, msg, 10, &p, NULL));
    /* the scratch buffer's own max bounds decoded base64 */
    struct cdc_buf small;
    o.mode = CDC_COMPAT;
    o.lim.max_payload = 100;
    cdc_buf_init(&small, 2, NULL);
    TH_ASSERT_RC("scratch max", CDC_ERR_TOO_LARGE,
                 eio_packet_decode_text(&o, (const uint8_t *)"bAQID", 5, &small, &p, NULL));
    TH_ASSERT_RC("no scratch", CDC_ERR_INVALID_ARG,
                 eio_packet_decode_text(&o, (const uint8_t *)"bAQID", 5, NULL, &p, NULL));
    cdc_buf_free(&small);
    o.eio_version = 5;
    TH_ASSERT_RC("bad version", CDC_ERR_INVALID_ARG,
                 eio_packet_decode_text(&o, msg, 10, NULL, &p, NULL));
}

struct erow {
    const char *name;
    int ver;
    enum eio_framing f;
    int type;
    bool binary;
    const char *data;
    size_t dlen;
    int rc;
    const char *wire;
    size_t wlen;
};

/* clang-format off */
static const struct erow enc_rows[] = {
    {"y_v4_ws_text", 4, EIO_FRAMING_WS, EIO_MESSAGE, false, "hello", 5, CDC_OK, "4hello", 6},
    {"y_v4_ws_ping", 4, EIO_FRAMING_WS, EIO_PING, false, "", 0, CDC_OK, "2", 1},
    {"y_v4_ws_rs_ok", 4, EIO_FRAMING_WS, EIO_MESSAGE, false, "a\x1e", 2, CDC_OK, "4a\x1e", 3},
    {"y_v4_ws_binary", 4, EIO_FRAMING_WS, EIO_MESSAGE, true, "\x01\x02\x03\x04", 4, CDC_OK,
     "\x01\x02\x03\x04", 4},
    {"y_v4_poll_binary", 4, EIO_FRAMING_POLLING, EIO_MESSAGE, true, "\x01\x02\x03\x04", 4, CDC_OK,
     "bAQIDBA==", 9},
    {"y_v4_poll_binary_empty", 4, EIO_FRAMING_POLLING, EIO_MESSAGE, true, "", 0, CDC_OK, "b", 1},
    {"y_v4_poll_text", 4, EIO_FRAMING_POLLING, EIO_NOOP, false, "", 0, CDC_OK, "6", 1},
    {"y_v3_ws_binary", 3, EIO_FRAMING_WS, EIO_MESSAGE, true, "\x01\x02\x03\x04", 4, CDC_OK,
     "\x04\x01\x02\x03\x04", 5},
    {"y_v3_poll_binary", 3, EIO_FRAMING_POLLING, EIO_MESSAGE, true, "\x01\x02\x03\x04", 4, CDC_OK,
     "b4AQIDBA==", 10},
    {"y_v3_poll_binary_ping", 3, EIO_FRAMING_POLLING, EIO_PING, true, "probe", 5, CDC_OK,
     "b2cHJvYmU=", 10},
    {"y_v3_poll_rs_ok", 3, EIO_FRAMING_POLLING, EIO_MESSAGE, false, "\x1e", 1, CDC_OK, "4\x1e", 2},
    {"n_v4_binary_ping", 4, EIO_FRAMING_WS, EIO_PING, true, "x", 1, CDC_ERR_INVALID_ARG, "", 0},
    {"n_type_7", 4, EIO_FRAMING_WS, 7, false, "", 0, CDC_ERR_INVALID_ARG, "", 0},
    {"n_type_negative", 3, EIO_FRAMING_WS, -1, false, "", 0, CDC_ERR_INVALID_ARG, "", 0},
    {"n_v4_poll_rs", 4, EIO_FRAMING_POLLING, EIO_MESSAGE, false, "a\x1e" "b", 3,
     CDC_ERR_INVALID_ARG, "", 0},
    {"n_bad_framing", 4, (enum eio_framing)7, EIO_MESSAGE, false, "", 0, CDC_ERR_INVALID_ARG,
     "", 0},
};
/* clang-format on */

#define NENC (sizeof(enc_rows) / sizeof(enc_rows[0]))

static struct eio_packet enc_packet(const struct erow *r)
{
    struct eio_packet p = {
        (enum eio_type)r->type, r->binary, {(const uint8_t *)r->data, r->dlen}, 0};
    return p;
}

/* Decodes |wire| back with the decoder that matches the framing. */
static int decode_back(const struct cdc_opts *o, const struct erow *r, const struct cdc_buf *w,
                       struct cdc_buf *scratch, struct eio_packet *p)
{
    if (r->f == EIO_FRAMING_WS)
        return r->binary ? eio_packet_decode_binary(o, w->p, w->len, p, NULL)
                         : eio_packet_decode_text(o, w->p, w->len, scratch, p, NULL);
    struct eio_payload_iter it;
    enum eio_payload_kind k = EIO_PAYLOAD_TEXT;
    struct cdc_buf body;
    int rc;
    if (o->eio_version == 4) {
        eio_payload_iter_init(&it, o, w->p, w->len, k);
        return eio_payload_next(&it, scratch, p, NULL) == 1 ? CDC_OK : CDC_ERR_STATE;
    }
    /* v3: wrap the segment in a "<len>:" payload first */
    cdc_buf_init(&body, 1024, NULL);
    cdc_buf_append_u64(&body, cdc_utf16_units(w->p, w->len));
    cdc_buf_append_byte(&body, ':');
    cdc_buf_append(&body, w->p, w->len);
    eio_payload_iter_init(&it, o, body.p, body.len, k);
    rc = eio_payload_next(&it, scratch, p, NULL) == 1 ? CDC_OK : CDC_ERR_STATE;
    /* the packet data may point into |body| */
    char line[EIO_TH_LINE] = "";
    eio_th_packet(p, line, sizeof(line));
    char want[EIO_TH_LINE] = "";
    struct eio_packet orig = enc_packet(r);
    eio_th_packet(&orig, want, sizeof(want));
    CU_ASSERT(eio_th_same(r->name, want, line));
    cdc_buf_free(&body);
    return rc;
}

static void test_eio_packet_encode_vectors(void)
{
    for (size_t i = 0; i < NENC; i++) {
        const struct erow *r = &enc_rows[i];
        struct cdc_opts o = eio_th_opts(r->ver, CDC_STRICT);
        struct eio_packet p = enc_packet(r), back;
        struct cdc_buf w, scratch;
        cdc_buf_init(&w, 1024, NULL);
        cdc_buf_init(&scratch, 1024, NULL);
        cdc_buf_append_str(&w, "pre");
        TH_ASSERT_RC(r->name, r->rc, eio_packet_encode(&o, &p, r->f, &w));
        CU_ASSERT(memcmp(w.p, "pre", 3) == 0);
        TH_ASSERT_BYTES(r->name, r->wire, r->wlen, w.p + 3, w.len - 3);
        if (r->rc == CDC_OK) {
            struct cdc_buf wire = {w.p + 3, w.len - 3, w.len - 3, w.len - 3, NULL};
            TH_ASSERT_RC(r->name, CDC_OK, decode_back(&o, r, &wire, &scratch, &back));
            if (o.eio_version == 4 || r->f == EIO_FRAMING_WS) {
                char a[EIO_TH_LINE] = "", b[EIO_TH_LINE] = "";
                eio_th_packet(&p, a, sizeof(a));
                eio_th_packet(&back, b, sizeof(b));
                CU_ASSERT(eio_th_same(r->name, a, b));
            }
        }
        cdc_buf_free(&w);
        cdc_buf_free(&scratch);
    }
}

/* Each allocation fails in turn: NOMEM, the buffer keeps its bytes. */
struct packet_call {
    const struct cdc_opts *o;
    const struct eio_packet *p;
    enum eio_framing f;
};

static int encode_packet(void *ctx, struct cdc_buf *b)
{
    const struct packet_call *c = ctx;
    return eio_packet_encode(c->o, c->p, c->f, b);
}

static void test_eio_packet_encode_failing_allocations(void)
{
    static uint8_t big[300];
    struct eio_packet pk[3] = {{EIO_MESSAGE, true, {big, sizeof(big)}, 0},
                               {EIO_MESSAGE, false, {big, sizeof(big)}, 0},
                               {EIO_PING, true, {big, sizeof(big)}, 0}};
    for (int v = 3; v <= 4; v++) {
        struct cdc_opts o = eio_th_opts(v, CDC_STRICT);
        for (size_t k = 0; k < 6; k++) {
            const struct eio_packet *p = &pk[k % 3];
            enum eio_framing f = k < 3 ? EIO_FRAMING_WS : EIO_FRAMING_POLLING;
            if (v == 4 && p->type != EIO_MESSAGE && p->binary)
                continue;
            struct packet_call c = {&o, p, f};
            CU_ASSERT(th_failing_appends(encode_packet, &c, 4096) >= 2);
        }
    }
}

/* Base64 data lands in the scratch buffer: each of its allocations fails
 * in turn and the decoder reports a clean NOMEM. */
static void test_eio_packet_scratch_failing_allocations(void)
{
    static char text[1 + 400];
    text[0] = 'b';
    for (size_t i = 1; i < sizeof(text); i += 4)
        memcpy(text + i, "AQID", 4);
    struct cdc_opts o = eio_th_opts(4, CDC_COMPAT);
    long n = 0;
    for (;; n++) {
        struct th_failmem fm;
        struct cdc_buf scratch;
        struct eio_packet p;
        th_failmem_init(&fm, n);
        cdc_buf_init(&scratch, 4096, &fm.mem);
        int rc =
            eio_packet_decode_text(&o, (const uint8_t *)text, sizeof(text), &scratch, &p, NULL);
        CU_ASSERT(rc == CDC_OK || rc == CDC_ERR_NOMEM);
        if (rc == CDC_OK)
            CU_ASSERT_EQUAL(p.data.len, 300);
        cdc_buf_free(&scratch);
        CU_ASSERT_EQUAL(fm.live, 0);
        if (rc == CDC_OK)
            break;
    }
    CU_ASSERT(n >= 1);
}

/* clang-format off */
CU_TestInfo test_eio_packet_tests[] = {
    {"text_vectors", test_eio_packet_text_vectors},
    {"binary_vectors", test_eio_packet_binary_vectors},
    {"type_names", test_eio_packet_type_names},
    {"max_payload", test_eio_packet_max_payload},
    {"encode_vectors", test_eio_packet_encode_vectors},
    {"encode_failing_allocations", test_eio_packet_encode_failing_allocations},
    {"scratch_failing_allocations", test_eio_packet_scratch_failing_allocations},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
