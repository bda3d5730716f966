/*
 * test_eio_handshake.c - open packet JSON and HTTP error bodies.
 *
 * y_ rows follow the spec (strict decodes them without quirks); n_ rows do
 * not. Rows marked canonical are byte-for-byte what the reference server
 * writes (JSON.stringify of its object), so encode(decode(w)) == w there.
 */
#include "eio_th.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_eio_handshake_tests[];

struct hrow {
    const char *name;
    int ver;
    int canonical;
    const char *json;
    const char *strict;
    const char *compat; /* NULL = same as strict */
};

#define SPEC_SID "lv_VI97HAXpY6yYWAAAC"
#define HS(up, pi, pt, tail)                                                                       \
    "{\"sid\":\"" SPEC_SID "\",\"upgrades\":" up ",\"pingInterval\":" pi                           \
    ",\"pingTimeout\":" pt tail "}"
#define OUT(up, pi, pt, mp, present)                                                               \
    "sid=" SPEC_SID " up=" up " pi=" pi " pt=" pt " mp=" mp " present=" present " extra=0"
#define OUT5(up, pi, pt, mp) OUT(up, pi, pt, mp, "1f")
#define S16 "xxxxxxxxxxxxxxxx"
#define S128 S16 S16 S16 S16 S16 S16 S16 S16
#define S129 S128 "x"
#define OPEN8 "[[[[[[[["
#define CLOSE8 "]]]]]]]]"
#define DEEP65                                                                                     \
    "{\"x\":" OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 OPEN8 CLOSE8 CLOSE8 CLOSE8 CLOSE8 CLOSE8   \
        CLOSE8 CLOSE8 CLOSE8 "}"

/* clang-format off */
static const struct hrow rows[] = {
    /* engine.io-protocol v4 "Handshake" example */
    {"y_spec_v4", 4, 1, HS("[\"websocket\"]", "25000", "20000", ",\"maxPayload\":1000000"),
     OUT5("1/1", "25000", "20000", "1000000"), NULL},
    /* socket.io-protocol v5 sample session */
    {"y_sio_sample", 4, 1, HS("[\"websocket\"]", "25000", "5000", ",\"maxPayload\":1000000"),
     OUT5("1/1", "25000", "5000", "1000000"), NULL},
    /* official suite configuration, WebSocket session */
    {"y_suite_ws", 4, 1, HS("[]", "300", "200", ",\"maxPayload\":1000000"),
     OUT5("0/0", "300", "200", "1000000"), NULL},
    {"y_webtransport", 4, 1, HS("[\"websocket\",\"webtransport\"]", "25000", "20000",
                                ",\"maxPayload\":1000000"),
     OUT5("3/2", "25000", "20000", "1000000"), NULL},
    {"y_unknown_upgrade", 4, 0, HS("[\"carrier-pigeon\"]", "1", "1", ",\"maxPayload\":1"),
     OUT5("0/1", "1", "1", "1"), NULL},
    {"y_limits", 4, 1, HS("[]", "2147483647", "2147483647", ",\"maxPayload\":9007199254740991"),
     OUT5("0/0", "2147483647", "2147483647", "9007199254740991"), NULL},
    {"y_key_order_and_space", 4, 0,
     " {\"maxPayload\": 5, \"pingTimeout\":2,\"pingInterval\":1,\"upgrades\":[ ],"
     "\"sid\":\"" SPEC_SID "\"}\n",
     OUT5("0/0", "1", "2", "5"), NULL},
    {"y_sid_escape", 4, 0, "{\"sid\":\"a\\u0062c\\/\",\"upgrades\":[],\"pingInterval\":1,"
                           "\"pingTimeout\":1,\"maxPayload\":1}",
     "sid=abc/ up=0/0 pi=1 pt=1 mp=1 present=1f extra=0", NULL},
    /* engine.io-protocol v3 example and the modern v3 server's form */
    {"y_v3_spec", 3, 1, HS("[\"websocket\"]", "25000", "5000", ""),
     OUT("1/1", "25000", "5000", "0", "f"), NULL},
    {"y_v3_with_max", 3, 1, HS("[\"websocket\"]", "25000", "20000", ",\"maxPayload\":1000000"),
     OUT5("1/1", "25000", "20000", "1000000"), NULL},
    /* v3 WebSocket-only example of the spec: no upgrades key */
    {"n_v3_spec_ws_only", 3, 0,
     "{\"sid\":\"" SPEC_SID "\",\"pingInterval\":25000,\"pingTimeout\":5000}",
     "error ERR_EIO_HANDSHAKE",
     "sid=" SPEC_SID " up=0/0 pi=25000 pt=5000 mp=0 present=d extra=0 "
     "quirks=eio-handshake-missing-key"},
    {"n_v4_no_max_payload", 4, 0, HS("[\"websocket\"]", "25000", "5000", ""),
     "error ERR_EIO_HANDSHAKE",
     OUT("1/1", "25000", "5000", "0", "f") " quirks=eio-handshake-missing-key"},
    {"n_missing_sid", 4, 0, "{\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1,"
                            "\"maxPayload\":1}",
     "error ERR_EIO_HANDSHAKE",
     "sid= up=0/0 pi=1 pt=1 mp=1 present=1e extra=0 quirks=eio-handshake-missing-key"},
    {"n_extra_key", 4, 0, HS("[]", "1", "2", ",\"maxPayload\":3,\"x\":{\"y\":[1]}"),
     "error ERR_EIO_HANDSHAKE",
     "sid=" SPEC_SID " up=0/0 pi=1 pt=2 mp=3 present=1f extra=1 "
     "quirks=eio-handshake-extra-key"},
    {"n_duplicate_key", 4, 0, HS("[]", "1", "2", ",\"maxPayload\":3,\"pingTimeout\":7"),
     "error ERR_EIO_HANDSHAKE",
     OUT5("0/0", "1", "7", "3") " quirks=eio-handshake-extra-key"},
    {"n_not_object", 4, 0, "[]", "error ERR_EIO_HANDSHAKE", NULL},
    {"n_string", 4, 0, "\"sid\"", "error ERR_EIO_HANDSHAKE", NULL},
    {"n_bad_json", 4, 0, "{\"sid\":", "error ERR_JSON", NULL},
    {"n_empty", 4, 0, "", "error ERR_JSON", NULL},
    {"n_trailing_comma", 4, 0, HS("[]", "1", "1", ",\"maxPayload\":1,"), "error ERR_JSON", NULL},
    {"n_too_deep", 4, 0, DEEP65, "error ERR_JSON_DEPTH", NULL},
    /* a present key of the wrong type or range fails in both modes */
    {"n_sid_number", 4, 0, "{\"sid\":1,\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1,"
                           "\"maxPayload\":1}", "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_sid_empty", 4, 0, "{\"sid\":\"\",\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":1,"
                          "\"maxPayload\":1}", "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_sid_too_long", 4, 0, "{\"sid\":\"" S129 "\",\"upgrades\":[],\"pingInterval\":1,"
                             "\"pingTimeout\":1,\"maxPayload\":1}",
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_upgrades_string", 4, 0, HS("\"websocket\"", "1", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_upgrades_number", 4, 0, HS("[1]", "1", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_ping_zero", 4, 0, HS("[]", "0", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_ping_negative", 4, 0, HS("[]", "-1", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_ping_fraction", 4, 0, HS("[]", "25000.5", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_ping_exponent", 4, 0, HS("[]", "2.5e4", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_ping_2_31", 4, 0, HS("[]", "1", "2147483648", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_ping_string", 4, 0, HS("[]", "\"25000\"", "1", ",\"maxPayload\":1"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_max_payload_2_53", 4, 0, HS("[]", "1", "1", ",\"maxPayload\":9007199254740992"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_max_payload_null", 4, 0, HS("[]", "1", "1", ",\"maxPayload\":null"),
     "error ERR_EIO_HANDSHAKE_FIELD", NULL},
    {"n_invalid_utf8", 4, 0, "{\"sid\":\"a\xff\",\"upgrades\":[],\"pingInterval\":1,"
                             "\"pingTimeout\":1,\"maxPayload\":1}",
     "error ERR_JSON",
     "sid=a\\xff up=0/0 pi=1 pt=1 mp=1 present=1f extra=0 quirks=invalid-utf8"},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void hs_line(const struct eio_handshake *h, char *out, size_t cap)
{
    char sid[600];
    th_escape(h->sid, h->sid_len, sid, sizeof(sid));
    snprintf(out, cap, "sid=%s up=%u/%u pi=%llu pt=%llu mp=%llu present=%x extra=%u", sid,
             h->upgrades, h->n_upgrades, (unsigned long long)h->ping_interval,
             (unsigned long long)h->ping_timeout, (unsigned long long)h->max_payload, h->present,
             h->extra_keys);
    for (uint32_t bit = 1, first = 1; bit; bit <<= 1) {
        if (!(h->quirks & bit))
            continue;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", first ? " quirks=" : ",", cdc_quirk_name(bit));
        first = 0;
    }
}

static void decode_line(const struct cdc_opts *o, const uint8_t *in, size_t len, char *out,
                        size_t cap)
{
    struct eio_handshake h;
    struct cdc_diag diag = {0, NULL};
    out[0] = 0;
    int rc = eio_handshake_decode(o, in, len, &h, &diag);
    if (rc == CDC_OK) {
        hs_line(&h, out, cap);
        CU_ASSERT_EQUAL(h.sid[h.sid_len], 0);
    } else {
        eio_th_error(rc, out, cap);
        CU_ASSERT_PTR_NOT_NULL(diag.why);
        CU_ASSERT(diag.off <= len);
    }
}

static void test_eio_handshake_vectors(void)
{
    char got[EIO_TH_LINE];
    for (size_t i = 0; i < NROWS; i++) {
        const struct hrow *r = &rows[i];
        size_t len = strlen(r->json);
        uint8_t *g = th_guard_copy(r->json, len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT((r->name[0] == 'y') == (strncmp(r->strict, "error", 5) != 0));
        CU_ASSERT(r->name[0] == 'n' || r->compat == NULL);
        for (int m = 0; m < 2; m++) {
            struct cdc_opts o = eio_th_opts(r->ver, m ? CDC_COMPAT : CDC_STRICT);
            const char *want = m && r->compat ? r->compat : r->strict;
            decode_line(&o, (const uint8_t *)r->json, len, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
            decode_line(&o, g, len, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
        }
        th_guard_free(g, len);
    }
}

/* decode(encode(h)) == h for every y_ row, and the bytes are the input
 * where the input is the reference server's own serialisation. */
static void test_eio_handshake_round_trip(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct hrow *r = &rows[i];
        if (r->name[0] != 'y')
            continue;
        struct cdc_opts o = eio_th_opts(r->ver, CDC_STRICT);
        struct eio_handshake h, back;
        struct cdc_buf w;
        char a[EIO_TH_LINE], b[EIO_TH_LINE];
        cdc_buf_init(&w, 4096, NULL);
        TH_ASSERT_RC(r->name, CDC_OK,
                     eio_handshake_decode(&o, (const uint8_t *)r->json, strlen(r->json), &h, NULL));
        TH_ASSERT_RC(r->name, CDC_OK, eio_handshake_encode(&o, &h, &w));
        if (r->canonical)
            TH_ASSERT_BYTES(r->name, r->json, strlen(r->json), w.p, w.len);
        TH_ASSERT_RC(r->name, CDC_OK, eio_handshake_decode(&o, w.p, w.len, &back, NULL));
        h.n_upgrades = back.n_upgrades; /* unknown upgrade names are not kept */
        hs_line(&h, a, sizeof(a));
        hs_line(&back, b, sizeof(b));
        CU_ASSERT(eio_th_same(r->name, a, b));
        cdc_buf_free(&w);
    }
}

static void test_eio_handshake_encode_limits(void)
{
    struct cdc_opts o = eio_th_opts(4, CDC_STRICT);
    struct eio_handshake h;
    struct cdc_buf w;
    memset(&h, 0, sizeof(h));
    h.sid_len = EIO_SID_MAX + 1;
    cdc_buf_init(&w, 4096, NULL);
    TH_ASSERT_RC("sid too long", CDC_ERR_INVALID_ARG, eio_handshake_encode(&o, &h, &w));
    CU_ASSERT_EQUAL(w.len, 0);
    cdc_buf_free(&w);
    /* a small buffer: TOO_LARGE and nothing written */
    memcpy(h.sid, "abc", 4);
    h.sid_len = 3;
    cdc_buf_init(&w, 20, NULL);
    TH_ASSERT_RC("too large", CDC_ERR_TOO_LARGE, eio_handshake_encode(&o, &h, &w));
    CU_ASSERT_EQUAL(w.len, 0);
    cdc_buf_free(&w);
    /* each allocation fails in turn */
    long n = 0;
    for (;; n++) {
        struct th_failmem fm;
        th_failmem_init(&fm, n);
        cdc_buf_init(&w, 4096, &fm.mem);
        int rc = cdc_buf_append(&w, S128 S128, 256); /* outgrows the first block */
        if (rc == CDC_OK)
            rc = eio_handshake_encode(&o, &h, &w);
        if (rc != CDC_OK) {
            TH_ASSERT_RC("nomem", CDC_ERR_NOMEM, rc);
            CU_ASSERT(w.len == 0 || w.len == 256);
        }
        cdc_buf_free(&w);
        CU_ASSERT_EQUAL(fm.live, 0);
        if (rc == CDC_OK)
            break;
    }
    CU_ASSERT(n >= 2);
}

struct errrow {
    const char *name;
    const char *json;
    const char *strict;
    const char *compat;
};

/* clang-format off */
static const struct errrow err_rows[] = {
    {"y_code_0", "{\"code\":0,\"message\":\"Transport unknown\"}",
     "code=0 message=\"Transport unknown\"", NULL},
    {"y_code_1", "{\"code\":1,\"message\":\"Session ID unknown\"}",
     "code=1 message=\"Session ID unknown\"", NULL},
    {"y_code_2", "{\"code\":2,\"message\":\"Bad handshake method\"}",
     "code=2 message=\"Bad handshake method\"", NULL},
    {"y_code_3", "{\"code\":3,\"message\":\"Bad request\"}", "code=3 message=\"Bad request\"",
     NULL},
    {"y_code_4", "{\"code\":4,\"message\":\"Forbidden\"}", "code=4 message=\"Forbidden\"", NULL},
    {"y_code_5", "{\"code\":5,\"message\":\"Unsupported protocol version\"}",
     "code=5 message=\"Unsupported protocol version\"", NULL},
    /* allowRequest may supply its own message for code 4 */
    {"y_custom_message", " {\"message\":\"no \\\"way\\\"\",\"code\":4} ",
     "code=4 message=\"no \\x5c\"way\\x5c\"\"", NULL},
    {"n_code_6", "{\"code\":6,\"message\":\"x\"}", "error ERR_EIO_ERROR_CODE", NULL},
    {"n_code_negative", "{\"code\":-1,\"message\":\"x\"}", "error ERR_EIO_ERROR_CODE", NULL},
    {"n_code_fraction", "{\"code\":1.0,\"message\":\"x\"}", "error ERR_EIO_ERROR_CODE", NULL},
    {"n_code_string", "{\"code\":\"1\",\"message\":\"x\"}", "error ERR_EIO_ERROR_BODY", NULL},
    {"n_no_message", "{\"code\":1}", "error ERR_EIO_ERROR_BODY", NULL},
    {"n_message_number", "{\"code\":1,\"message\":1}", "error ERR_EIO_ERROR_BODY", NULL},
    {"n_extra_key", "{\"code\":3,\"message\":\"Bad request\",\"context\":{}}",
     "error ERR_EIO_ERROR_BODY", "code=3 message=\"Bad request\""},
    {"n_duplicate_code", "{\"code\":9,\"message\":\"m\",\"code\":2}", "error ERR_EIO_ERROR_BODY",
     "code=2 message=\"m\""},
    {"n_array", "[0,\"Transport unknown\"]", "error ERR_EIO_ERROR_BODY", NULL},
    {"n_bad_json", "{\"code\":0,", "error ERR_JSON", NULL},
    {"n_empty", "", "error ERR_JSON", NULL},
};
/* clang-format on */

static void err_line(const struct cdc_opts *o, const uint8_t *in, size_t len, char *out, size_t cap)
{
    struct eio_error e;
    char msg[600];
    int rc = eio_error_decode(o, in, len, &e, NULL);
    out[0] = 0;
    if (rc != CDC_OK) {
        eio_th_error(rc, out, cap);
        return;
    }
    th_escape(e.message.p, e.message.len, msg, sizeof(msg));
    snprintf(out, cap, "code=%d message=%s", e.code, msg);
    CU_ASSERT(e.message.p >= in && e.message.p + e.message.len <= in + len);
}

static void test_eio_handshake_error_vectors(void)
{
    char got[EIO_TH_LINE];
    for (size_t i = 0; i < sizeof(err_rows) / sizeof(err_rows[0]); i++) {
        const struct errrow *r = &err_rows[i];
        size_t len = strlen(r->json);
        uint8_t *g = th_guard_copy(r->json, len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        CU_ASSERT((r->name[0] == 'y') == (strncmp(r->strict, "error", 5) != 0));
        for (int m = 0; m < 2; m++) {
            struct cdc_opts o = eio_th_opts(4, m ? CDC_COMPAT : CDC_STRICT);
            const char *want = m && r->compat ? r->compat : r->strict;
            err_line(&o, (const uint8_t *)r->json, len, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
            err_line(&o, g, len, got, sizeof(got));
            CU_ASSERT(eio_th_same(r->name, want, got));
        }
        th_guard_free(g, len);
    }
}

/* The encoder writes exactly the y_code_N rows (canonical re-encoding). */
static void test_eio_handshake_error_encode(void)
{
    for (int code = 0; code <= 5; code++) {
        struct cdc_buf w;
        cdc_buf_init(&w, 256, NULL);
        TH_ASSERT_RC("encode", CDC_OK, eio_error_encode(code, &w));
        const char *want = err_rows[code].json;
        TH_ASSERT_BYTES(err_rows[code].name, want, strlen(want), w.p, w.len);
        CU_ASSERT_PTR_NOT_NULL(eio_error_message(code));
        cdc_buf_free(&w);
    }
    struct cdc_buf w;
    cdc_buf_init(&w, 10, NULL);
    TH_ASSERT_RC("code 6", CDC_ERR_INVALID_ARG, eio_error_encode(6, &w));
    TH_ASSERT_RC("code -1", CDC_ERR_INVALID_ARG, eio_error_encode(-1, &w));
    TH_ASSERT_RC("too large", CDC_ERR_TOO_LARGE, eio_error_encode(0, &w));
    CU_ASSERT_EQUAL(w.len, 0);
    cdc_buf_free(&w);
    /* each allocation fails in turn */
    long n = 0;
    for (;; n++) {
        struct th_failmem fm;
        th_failmem_init(&fm, n);
        cdc_buf_init(&w, 4096, &fm.mem);
        int rc = cdc_buf_append(&w, S16 S16 S16 S16, 60);
        if (rc == CDC_OK)
            rc = eio_error_encode(EIO_ERR_UNSUPPORTED_PROTOCOL_VERSION, &w);
        if (rc != CDC_OK) {
            TH_ASSERT_RC("nomem", CDC_ERR_NOMEM, rc);
            CU_ASSERT(w.len == 0 || w.len == 60);
        }
        cdc_buf_free(&w);
        CU_ASSERT_EQUAL(fm.live, 0);
        if (rc == CDC_OK)
            break;
    }
    CU_ASSERT(n >= 2);
    CU_ASSERT_PTR_NULL(eio_error_message(6));
    CU_ASSERT_PTR_NULL(eio_error_message(-1));
    CU_ASSERT_STRING_EQUAL(eio_error_message(EIO_ERR_FORBIDDEN), "Forbidden");
}

/* clang-format off */
CU_TestInfo test_eio_handshake_tests[] = {
    {"vectors", test_eio_handshake_vectors},
    {"round_trip", test_eio_handshake_round_trip},
    {"encode_limits", test_eio_handshake_encode_limits},
    {"error_vectors", test_eio_handshake_error_vectors},
    {"error_encode", test_eio_handshake_error_encode},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
