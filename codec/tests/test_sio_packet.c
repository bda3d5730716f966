/*
 * test_sio_packet.c - sio_packet_decode / validate / encode and the type
 * names. Every vector of test_sio_vectors.c runs in both modes, whole and
 * at the end of a guard page; accepted ones are re-encoded and decoded
 * again (round trip), and canonical ones must re-encode byte for byte.
 */
#include "test_sio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern CU_TestInfo test_sio_packet_tests[];

static size_t vec_len(const struct sio_vec *v)
{
    return v->len ? v->len : strlen(v->in);
}

/* decode(encode(p)) == p, and encode(p) == wire for canonical rows. */
static void check_round_trip(const struct sio_vec *v, const struct cdc_opts *o,
                             const struct sio_packet *p)
{
    char what[160];
    struct cdc_buf b;
    cdc_buf_init(&b, 1 << 20, NULL);
    snprintf(what, sizeof what, "%s: encode (mode %d)", v->name, (int)o->mode);
    int rc = sio_packet_encode(o, p, &b);
    CU_ASSERT(th_rc_eq(what, CDC_OK, rc));
    if (rc == CDC_OK) {
        struct sio_packet q;
        char exp[4096];
        rc = sio_packet_decode(o, b.p, b.len, &q, NULL);
        snprintf(what, sizeof what, "%s: decode(encode) (mode %d)", v->name, (int)o->mode);
        CU_ASSERT(th_rc_eq(what, CDC_OK, rc));
        ts_format(p, v->ver, exp, sizeof exp);
        if (rc == CDC_OK)
            CU_ASSERT(ts_line_eq(what, exp, &q, v->ver));
        if (v->canon)
            TH_ASSERT_BYTES(v->name, v->in, vec_len(v), b.p, b.len);
    }
    cdc_buf_free(&b);
}

static void check_result(const struct sio_vec *v, const struct cdc_opts *o, const char *where,
                         int rc, const struct sio_packet *p, const struct cdc_diag *d)
{
    char what[160];
    bool compat = o->mode == CDC_COMPAT;
    int exp = compat ? v->compat_rc : v->strict_rc;
    snprintf(what, sizeof what, "%s (%s, %s)", v->name, compat ? "compat" : "strict", where);
    CU_ASSERT(th_rc_eq(what, exp, rc));
    if (rc != CDC_OK) {
        CU_ASSERT(d->why != NULL && d->off <= vec_len(v));
        return;
    }
    if (v->line)
        CU_ASSERT(ts_line_eq(what, v->line, p, v->ver));
    CU_ASSERT(ts_quirks_eq(what, compat ? v->quirks : 0, p->quirks));
    CU_ASSERT(sio_packet_validate(o, p, NULL) == CDC_OK);
}

static void run_vector(const struct sio_vec *v, enum cdc_mode mode)
{
    struct cdc_opts o = ts_opts(v->ver, mode);
    size_t n = vec_len(v);
    struct sio_packet p;
    struct cdc_diag d = {0, NULL};
    int rc = sio_packet_decode(&o, (const uint8_t *)v->in, n, &p, &d);
    check_result(v, &o, "whole", rc, &p, &d);
    if (rc == CDC_OK)
        check_round_trip(v, &o, &p);
    uint8_t *g = th_guard_copy(v->in, n);
    CU_ASSERT_FATAL(g != NULL);
    d = (struct cdc_diag){0, NULL};
    rc = sio_packet_decode(&o, g, n, &p, &d);
    check_result(v, &o, "guard page", rc, &p, &d);
    th_guard_free(g, n);
}

static void test_sio_packet_vectors(void)
{
    CU_ASSERT(ts_vectors_n > 100);
    for (size_t i = 0; i < ts_vectors_n; i++) {
        const struct sio_vec *v = &ts_vectors[i];
        /* a row's prefix must agree with its expectations */
        CU_ASSERT((v->name[0] == 'y') == (v->strict_rc == CDC_OK && v->compat_rc == CDC_OK));
        CU_ASSERT((v->name[0] == 'i') == (v->strict_rc != CDC_OK && v->compat_rc == CDC_OK));
        CU_ASSERT((v->name[0] == 'n') == (v->compat_rc != CDC_OK));
        run_vector(v, CDC_STRICT);
        run_vector(v, CDC_COMPAT);
    }
}

/* CVE-2020-36049: 900 000-char runs must fail fast (no quadratic scan). */
static void flood(const char *what, const char *head, char fill, const char *tail, int err,
                  int compat_err)
{
    size_t hn = strlen(head), tn = strlen(tail), n = hn + 900000 + tn;
    char *s = malloc(n);
    CU_ASSERT_FATAL(s != NULL);
    memcpy(s, head, hn);
    memset(s + hn, fill, 900000);
    memcpy(s + hn + 900000, tail, tn);
    for (int m = 0; m < 2; m++) {
        struct cdc_opts o = ts_opts(5, m ? CDC_COMPAT : CDC_STRICT);
        struct sio_packet p;
        clock_t t0 = clock();
        int rc = sio_packet_decode(&o, (const uint8_t *)s, n, &p, NULL);
        double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
        CU_ASSERT(th_rc_eq(what, m ? compat_err : err, rc));
        CU_ASSERT(ms < 1000.0);
        if (getenv("SIO_TEST_VERBOSE"))
            fprintf(stderr, "  %s (%s): %.3f ms\n", what, m ? "compat" : "strict", ms);
    }
    free(s);
}

static void test_sio_packet_cve_2020_36049(void)
{
    const int many = CDC_ERR_SIO_TOO_MANY_ATTACHMENTS;
    flood("ack id flood", "2", '2', "[\"x\"]", CDC_ERR_SIO_ACK_ID, CDC_ERR_SIO_ACK_ID);
    flood("attachment flood", "5", '9', "-", many, many);
    flood("attachment flood no dash", "5", '9', "[\"x\"]", CDC_ERR_SIO_ATTACHMENTS,
          CDC_ERR_SIO_ATTACHMENTS);
    /* JS reads Infinity here: not an integer */
    flood("attachment space flood", "5 ", '9', "-", CDC_ERR_SIO_ATTACHMENTS,
          CDC_ERR_SIO_ATTACHMENTS);
    flood("namespace flood", "2/", 'a', "", CDC_ERR_SIO_NAMESPACE, CDC_ERR_SIO_NAMESPACE);
    /* the reference reads these as id 0; compat agrees, in linear time */
    flood("space flood", "2", ' ', "[\"x\"]", CDC_ERR_SIO_ACK_ID, CDC_OK);
    flood("zero flood", "2", '0', "[\"x\"]", CDC_OK, CDC_OK);
}

/* Decodes |s| with |o| and checks the result code. */
static void expect_rc(const char *what, const struct cdc_opts *o, const char *s, size_t n, int err)
{
    struct sio_packet p;
    struct cdc_diag d = {0, NULL};
    int rc = sio_packet_decode(o, (const uint8_t *)s, n, &p, &d);
    CU_ASSERT(th_rc_eq(what, err, rc));
    if (rc != CDC_OK)
        CU_ASSERT(d.why != NULL);
}

static void test_sio_packet_limits(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    char s[600];
    /* namespace of exactly max_nsp_len bytes, then one more */
    memset(s, 'n', sizeof s);
    memcpy(s, "2/", 2);
    memcpy(s + 1 + 256, ",[\"a\"]", 6);
    expect_rc("nsp 256", &o, s, 1 + 256 + 6, CDC_OK);
    memset(s, 'n', sizeof s);
    memcpy(s, "2/", 2);
    memcpy(s + 1 + 257, ",[\"a\"]", 6);
    expect_rc("nsp 257", &o, s, 1 + 257 + 6, CDC_ERR_SIO_NAMESPACE);
    expect_rc("nsp 257 no comma", &o, s, 1 + 257, CDC_ERR_SIO_NAMESPACE);
    /* JSON nesting: 64 levels pass, 65 fail */
    size_t k = 0;
    s[k++] = '3';
    s[k++] = '1';
    for (int i = 0; i < 64; i++)
        s[k++] = '[';
    s[k++] = '1';
    for (int i = 0; i < 64; i++)
        s[k++] = ']';
    expect_rc("depth 64", &o, s, k, CDC_OK);
    memmove(s + 3, s + 2, k - 2);
    s[2] = '[';
    s[k + 1] = ']';
    expect_rc("depth 65", &o, s, k + 2, CDC_ERR_JSON_DEPTH);
}

static void test_sio_packet_limits_config(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    /* max_payload counts the whole packet */
    o.lim.max_payload = 9;
    expect_rc("payload 9", &o, "2[\"abcd\"]", 9, CDC_OK);
    expect_rc("payload 10", &o, "2[\"abcde\"]", 10, CDC_ERR_TOO_LARGE);
    /* parser.js: too many attachments with maxAttachments 2 */
    o = ts_opts(5, CDC_STRICT);
    o.lim.max_attachments = 2;
    expect_rc(
        "53- with max 2", &o,
        "53-[\"hello\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},"
        "{\"_placeholder\":true,\"num\":2}]",
        strlen("53-[\"hello\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\""
               ":1},{\"_placeholder\":true,\"num\":2}]"),
        CDC_ERR_SIO_TOO_MANY_ATTACHMENTS);
    /* limits above the codec's 64-slot cap are capped */
    o.lim.max_attachments = 1000;
    expect_rc("65 with max 1000", &o, "565-[\"a\"]", 9, CDC_ERR_SIO_TOO_MANY_ATTACHMENTS);
    /* bad options and arguments */
    o = ts_opts(5, CDC_STRICT);
    o.sio_version = 3;
    expect_rc("sio_version 3", &o, "0", 1, CDC_ERR_INVALID_ARG);
    struct sio_packet p;
    CU_ASSERT(sio_packet_decode(NULL, (const uint8_t *)"0", 1, &p, NULL) == CDC_ERR_INVALID_ARG);
    o = ts_opts(5, CDC_STRICT);
    CU_ASSERT(sio_packet_decode(&o, NULL, 1, &p, NULL) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_packet_decode(&o, NULL, 0, &p, NULL) == CDC_ERR_SIO_TYPE);
    o.mode = CDC_COMPAT;
    CU_ASSERT(sio_packet_decode(&o, NULL, 0, &p, NULL) == CDC_OK && p.type == SIO_CONNECT);
}

#define SPAN(s)                                                                                    \
    {                                                                                              \
        (const uint8_t *)(s), sizeof(s) - 1                                                        \
    }

struct vrow {
    const char *name;
    int ver;
    enum cdc_mode mode;
    struct sio_packet p;
    int rc;
    const char *wire; /* expected encoding when rc is CDC_OK */
};

/* clang-format off */
static const struct vrow vrows[] = {
    /* v5 spec examples, from the packet side */
    {"y_connect_main", 5, CDC_STRICT, {SIO_CONNECT, SPAN("/"), false, 0, {NULL, 0}, 0, 0}, CDC_OK, "0"},
    {"y_connect_empty_nsp_is_root", 5, CDC_STRICT, {SIO_CONNECT, {NULL, 0}, false, 0, {NULL, 0}, 0, 0}, CDC_OK, "0"},
    {"y_connect_admin", 5, CDC_STRICT, {SIO_CONNECT, SPAN("/admin"), false, 0, SPAN("{\"sid\":\"x\"}"), 0, 0},
     CDC_OK, "0/admin,{\"sid\":\"x\"}"},
    {"y_disconnect_admin", 5, CDC_STRICT, {SIO_DISCONNECT, SPAN("/admin"), false, 0, {NULL, 0}, 0, 0}, CDC_OK, "1/admin,"},
    {"y_binary_ack", 5, CDC_STRICT, {SIO_BINARY_ACK, SPAN("/"), true, 15,
     SPAN("[\"bar\",{\"_placeholder\":true,\"num\":0}]"), 1, 0}, CDC_OK,
     "61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]"},
    {"y_ack_max_id", 5, CDC_STRICT, {SIO_ACK, SPAN("/"), true, SIO_ACK_ID_MAX, SPAN("[]"), 0, 0}, CDC_OK,
     "39007199254740991[]"},
    /* socket.io-parser isPacketValid() */
    {"n_connect_string", 5, CDC_STRICT, {SIO_CONNECT, SPAN("/admin"), false, 0, SPAN("\"invalid\""), 0, 0}, CDC_ERR_SIO_PAYLOAD, NULL},
    {"n_nsp_comma", 5, CDC_COMPAT, {SIO_CONNECT, SPAN("/a,b"), false, 0, {NULL, 0}, 0, 0}, CDC_ERR_SIO_NAMESPACE, NULL},
    {"n_connect_array", 5, CDC_STRICT, {SIO_CONNECT, SPAN("/"), false, 0, SPAN("[]"), 0, 0}, CDC_ERR_SIO_PAYLOAD, NULL},
    {"n_disconnect_object", 5, CDC_COMPAT, {SIO_DISCONNECT, SPAN("/admin"), false, 0, SPAN("{}"), 0, 0}, CDC_ERR_SIO_PAYLOAD, NULL},
    {"n_event_string", 5, CDC_STRICT, {SIO_EVENT, SPAN("/admin"), false, 0, SPAN("\"invalid\""), 0, 0}, CDC_ERR_SIO_PAYLOAD, NULL},
    {"n_event_object", 5, CDC_STRICT, {SIO_EVENT, SPAN("/admin"), false, 0, SPAN("{}"), 0, 0}, CDC_ERR_SIO_PAYLOAD, NULL},
    {"n_event_name_object", 5, CDC_STRICT, {SIO_EVENT, SPAN("/"), false, 0, SPAN("[{\"toString\":\"foo\"}]"), 0, 0}, CDC_ERR_SIO_EVENT_NAME, NULL},
    {"n_event_name_true", 5, CDC_STRICT, {SIO_EVENT, SPAN("/"), false, 0, SPAN("[true,\"foo\"]"), 0, 0}, CDC_ERR_SIO_EVENT_NAME, NULL},
    {"n_event_name_null", 5, CDC_STRICT, {SIO_EVENT, SPAN("/"), false, 0, SPAN("[null,\"bar\"]"), 0, 0}, CDC_ERR_SIO_EVENT_NAME, NULL},
    {"n_event_connect", 5, CDC_COMPAT, {SIO_EVENT, SPAN("/"), false, 0, SPAN("[\"connect\"]"), 0, 0}, CDC_ERR_SIO_EVENT_NAME, NULL},
    {"n_event_disconnect", 5, CDC_COMPAT, {SIO_EVENT, SPAN("/"), false, 0, SPAN("[\"disconnect\",\"123\"]"), 0, 0}, CDC_ERR_SIO_EVENT_NAME, NULL},
    /* fields the wire cannot carry */
    {"n_type_7", 5, CDC_COMPAT, {(enum sio_type)7, SPAN("/"), false, 0, {NULL, 0}, 0, 0}, CDC_ERR_SIO_TYPE, NULL},
    {"n_nsp_no_slash", 5, CDC_STRICT, {SIO_CONNECT, SPAN("admin"), false, 0, {NULL, 0}, 0, 0}, CDC_ERR_SIO_NAMESPACE, NULL},
    {"n_id_too_large", 5, CDC_COMPAT, {SIO_EVENT, SPAN("/"), true, SIO_ACK_ID_MAX + 1, SPAN("[\"a\"]"), 0, 0}, CDC_ERR_SIO_ACK_ID, NULL},
    {"n_binary_zero_attachments", 5, CDC_COMPAT, {SIO_BINARY_EVENT, SPAN("/"), false, 0, SPAN("[\"a\"]"), 0, 0}, CDC_ERR_SIO_ATTACHMENTS, NULL},
    {"n_binary_eleven", 5, CDC_COMPAT, {SIO_BINARY_EVENT, SPAN("/"), false, 0, SPAN("[\"a\"]"), 11, 0}, CDC_ERR_SIO_TOO_MANY_ATTACHMENTS, NULL},
    {"n_data_leading_space", 5, CDC_COMPAT, {SIO_EVENT, SPAN("/"), false, 0, SPAN(" [\"a\"]"), 0, 0}, CDC_ERR_SIO_JSON, NULL},
    {"n_data_not_json", 5, CDC_COMPAT, {SIO_EVENT, SPAN("/"), false, 0, SPAN("[\"a\""), 0, 0}, CDC_ERR_SIO_JSON, NULL},
    {"n_strict_nsp_utf8", 5, CDC_STRICT, {SIO_CONNECT, SPAN("/\xff"), false, 0, {NULL, 0}, 0, 0}, CDC_ERR_UTF8, NULL},
    {"n_strict_ack_without_id", 5, CDC_STRICT, {SIO_ACK, SPAN("/"), false, 0, SPAN("[]"), 0, 0}, CDC_ERR_SIO_ACK_ID, NULL},
    {"n_strict_unreferenced", 5, CDC_STRICT, {SIO_BINARY_EVENT, SPAN("/"), false, 0, SPAN("[\"a\"]"), 1, 0}, CDC_ERR_SIO_PLACEHOLDER, NULL},
    /* compat accepts what compat decoding accepts, and writes it back */
    {"i_compat_ack_without_id", 5, CDC_COMPAT, {SIO_ACK, SPAN("/"), false, 0, SPAN("[]"), 0, 0}, CDC_OK, "3[]"},
    {"i_compat_connect_id", 5, CDC_COMPAT, {SIO_CONNECT, SPAN("/"), true, 0, {NULL, 0}, 0, 0}, CDC_OK, "00"},
    {"i_compat_error_string", 5, CDC_COMPAT, {SIO_CONNECT_ERROR, SPAN("/x"), false, 0, SPAN("\"no\""), 0, 0}, CDC_OK, "4/x,\"no\""},
    {"y_v4_error_string", 4, CDC_STRICT, {SIO_CONNECT_ERROR, SPAN("/x"), false, 0, SPAN("\"no\""), 0, 0}, CDC_OK, "4/x,\"no\""},
    {"n_v4_connect_payload", 4, CDC_STRICT, {SIO_CONNECT, SPAN("/"), false, 0, SPAN("{}"), 0, 0}, CDC_ERR_SIO_PAYLOAD, NULL},
};
/* clang-format on */

static void test_sio_packet_validate_encode(void)
{
    for (size_t i = 0; i < sizeof(vrows) / sizeof(vrows[0]); i++) {
        const struct vrow *r = &vrows[i];
        struct cdc_opts o = ts_opts(r->ver, r->mode);
        struct cdc_buf b;
        cdc_buf_init(&b, 1024, NULL);
        TH_ASSERT_RC(r->name, r->rc, sio_packet_validate(&o, &r->p, NULL));
        CU_ASSERT_FATAL(cdc_buf_append_str(&b, "keep") == CDC_OK);
        int rc = sio_packet_encode(&o, &r->p, &b);
        TH_ASSERT_RC(r->name, r->rc, rc);
        if (rc == CDC_OK) {
            TH_ASSERT_BYTES(r->name, r->wire, strlen(r->wire), b.p + 4, b.len - 4);
        } else {
            TH_ASSERT_BYTES(r->name, "keep", 4, b.p, b.len);
        }
        cdc_buf_free(&b);
    }
}

/* A failed encode (validation, too large, no memory) leaves |out| as it was. */
static void test_sio_packet_encode_unchanged_on_failure(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    struct sio_packet p = {SIO_EVENT, SPAN("/admin"), true, 12, SPAN("[\"foo\",1,2,3]"), 0, 0};
    struct cdc_buf b;
    cdc_buf_init(&b, 10, NULL);
    CU_ASSERT(cdc_buf_append_str(&b, "xy") == CDC_OK);
    CU_ASSERT(sio_packet_encode(&o, &p, &b) == CDC_ERR_TOO_LARGE);
    TH_ASSERT_BYTES("too large", "xy", 2, b.p, b.len);
    cdc_buf_free(&b);
    for (long fail = 0; fail < 8; fail++) {
        struct th_failmem fm;
        th_failmem_init(&fm, fail);
        cdc_buf_init(&b, 1024, &fm.mem);
        int rc = sio_packet_encode(&o, &p, &b);
        CU_ASSERT(rc == (fail == 0 ? CDC_ERR_NOMEM : CDC_OK));
        CU_ASSERT(b.len == (rc == CDC_OK ? 23u : 0u));
        cdc_buf_free(&b);
        CU_ASSERT(fm.live == 0);
    }
    CU_ASSERT(sio_packet_encode(&o, &p, NULL) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_packet_validate(&o, NULL, NULL) == CDC_ERR_INVALID_ARG);
}

static void test_sio_packet_type_names(void)
{
    static const char *const v5[] = {"CONNECT",       "DISCONNECT",   "EVENT",     "ACK",
                                     "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"};
    for (int t = 0; t < 7; t++) {
        const char *exp4 = t == 4 ? "ERROR" : v5[t];
        CU_ASSERT_STRING_EQUAL(sio_type_name(t, 5), v5[t]);
        CU_ASSERT_STRING_EQUAL(sio_type_name(t, 4), exp4);
        CU_ASSERT(sio_type_from_name(v5[t], strlen(v5[t])) == t);
        CU_ASSERT(sio_type_from_name(exp4, strlen(exp4)) == t);
    }
    CU_ASSERT(sio_type_name(-1, 5) == NULL);
    CU_ASSERT(sio_type_name(7, 5) == NULL);
    CU_ASSERT(sio_type_from_name("event", 5) == -1);
    CU_ASSERT(sio_type_from_name("EVENTS", 6) == -1);
    CU_ASSERT(sio_type_from_name("EVENT", 4) == -1);
    CU_ASSERT(sio_type_from_name(NULL, 0) == -1);
    CU_ASSERT_STRING_EQUAL(cdc_quirk_name(CDC_QUIRK_SIO_TYPE_WHITESPACE), "sio-type-whitespace");
    CU_ASSERT_STRING_EQUAL(cdc_quirk_name(CDC_QUIRK_SIO_V4_LEGACY_PAYLOAD),
                           "sio-v4-legacy-payload");
    CU_ASSERT_STRING_EQUAL(cdc_quirk_name(CDC_QUIRK_SIO_PLACEHOLDER_NUM), "sio-placeholder-num");
}

CU_TestInfo test_sio_packet_tests[] = {
    {"test_sio_packet_vectors", test_sio_packet_vectors},
    {"test_sio_packet_cve_2020_36049", test_sio_packet_cve_2020_36049},
    {"test_sio_packet_limits", test_sio_packet_limits},
    {"test_sio_packet_limits_config", test_sio_packet_limits_config},
    {"test_sio_packet_validate_encode", test_sio_packet_validate_encode},
    {"test_sio_packet_encode_unchanged_on_failure", test_sio_packet_encode_unchanged_on_failure},
    {"test_sio_packet_type_names", test_sio_packet_type_names},
    CU_TEST_INFO_NULL,
};
