/*
 * test_sio_binary.c - the {"$binary":"<base64>"} marker convention:
 * sio_binary_deconstruct and sio_binary_reconstruct_json, their round trip
 * (through the encoder and the decoder), buffers left untouched on failure,
 * and every allocation failed in turn.
 */
#include "test_sio.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_sio_binary_tests[];

#define PH(n) "{\"_placeholder\":true,\"num\":" #n "}"
#define B(s) "{\"$binary\":\"" s "\"}"

struct drow {
    const char *name;
    enum sio_type type;
    const char *json;
    int rc;
    const char *out;  /* expected JSON, NULL when the packet stays as it was */
    const char *atts; /* expected attachments, hex, separated by '|' */
};

/* clang-format off */
static const struct drow drows[] = {
    /* v5 spec: ["baz", <01 02 03 04>] */
    {"y_spec_one", SIO_EVENT, "[\"baz\"," B("AQIDBA==") "]", CDC_OK, "[\"baz\"," PH(0) "]", "01020304"},
    /* v5 spec: two attachments, numbered in order of appearance */
    {"y_spec_two", SIO_EVENT, "[\"baz\"," B("AQI=") "," B("AwQ=") "]", CDC_OK,
     "[\"baz\"," PH(0) "," PH(1) "]", "0102|0304"},
    /* depth first: the nested one comes before the later sibling */
    {"y_depth_first", SIO_EVENT, "[\"a\",{\"b\":[\"c\"," B("YWJj") "]}," B("") "]", CDC_OK,
     "[\"a\",{\"b\":[\"c\"," PH(0) "]}," PH(1) "]", "616263|"},
    {"y_ack", SIO_ACK, "[" B("AwIB") "]", CDC_OK, "[" PH(0) "]", "030201"},
    /* formatting outside the markers is kept */
    {"y_whitespace", SIO_EVENT, "[ \"a\" , { \"$binary\" : \"AA==\" } ]", CDC_OK,
     "[ \"a\" , " PH(0) " ]", "00"},
    /* JSON escapes in the key and in the base64 text */
    {"y_escaped_key", SIO_EVENT, "[\"a\",{\"\\u0024binary\":\"AA==\"}]", CDC_OK, "[\"a\"," PH(0) "]", "00"},
    {"y_escaped_slash", SIO_EVENT, "[\"a\",{\"$binary\":\"\\/w==\"}]", CDC_OK, "[\"a\"," PH(0) "]", "ff"},
    /* not markers: a second key, a non-string value */
    {"y_two_keys_is_data", SIO_EVENT, "[\"a\",{\"$binary\":\"AA==\",\"x\":1}]", CDC_OK, NULL, ""},
    {"y_number_is_data", SIO_EVENT, "[\"a\",{\"$binary\":1}]", CDC_OK, NULL, ""},
    {"y_no_marker", SIO_EVENT, "[\"a\",{\"b\":[1,2]}]", CDC_OK, NULL, ""},
    {"y_empty_payload", SIO_EVENT, "", CDC_OK, NULL, ""},
    /* base64 must be strict RFC 4648 */
    {"n_bad_base64", SIO_EVENT, "[\"a\"," B("A") "]", CDC_ERR_EIO_BASE64, NULL, ""},
    {"n_bad_base64_char", SIO_EVENT, "[\"a\"," B("A*==") "]", CDC_ERR_EIO_BASE64, NULL, ""},
    /* more markers than lim.max_attachments (10) */
    {"n_too_many", SIO_EVENT, "[\"a\"," B("") "," B("") "," B("") "," B("") "," B("") "," B("") ","
     B("") "," B("") "," B("") "," B("") "," B("") "]", CDC_ERR_SIO_TOO_MANY_ATTACHMENTS, NULL, ""},
    {"n_bad_json", SIO_EVENT, "[\"a\"", CDC_ERR_SIO_JSON, NULL, ""},
    /* only EVENT and ACK can become binary */
    {"n_connect", SIO_CONNECT, "{}", CDC_ERR_INVALID_ARG, NULL, ""},
    {"n_already_binary", SIO_BINARY_EVENT, "[\"a\"]", CDC_ERR_INVALID_ARG, NULL, ""},
};
/* clang-format on */

static int hexval(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Compares attachments |a| with "hex|hex|..." |exp|. */
static void check_atts(const char *what, const struct cdc_span *a, size_t n, const char *exp)
{
    size_t i = 0;
    const char *p = exp;
    while (*exp && i < n) {
        uint8_t bytes[64];
        size_t k = 0;
        while (*p && *p != '|' && k < sizeof bytes) {
            bytes[k++] = (uint8_t)(hexval(p[0]) * 16 + hexval(p[1]));
            p += 2;
        }
        TH_ASSERT_BYTES(what, bytes, k, a[i].p, a[i].len);
        i++;
        if (*p == '|')
            p++;
        else
            break;
    }
    size_t want = 0;
    for (const char *q = exp; *exp && q; q = strchr(q + 1, '|'))
        want++;
    CU_ASSERT(n == want && i == want);
}

static struct sio_packet event(enum sio_type t, const char *json)
{
    struct sio_packet p;
    memset(&p, 0, sizeof p);
    p.type = t;
    p.nsp = CDC_SPAN_LIT("/");
    p.data = (struct cdc_span){(const uint8_t *)json, strlen(json)};
    return p;
}

static void run_deconstruct(const struct drow *r)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    struct sio_packet p = event(r->type, r->json);
    p.has_id = r->type == SIO_ACK;
    struct sio_packet before = p;
    struct cdc_buf json, bytes;
    struct sio_attachments atts = {.n = 99, .bytes = &bytes};
    cdc_buf_init(&json, 1 << 16, NULL);
    cdc_buf_init(&bytes, 1 << 16, NULL);
    int rc = sio_binary_deconstruct(&o, &p, &json, &atts);
    TH_ASSERT_RC(r->name, r->rc, rc);
    if (rc != CDC_OK || !r->out) { /* nothing changed */
        CU_ASSERT(memcmp(&p, &before, sizeof p) == 0);
        CU_ASSERT(json.len == 0 && bytes.len == 0);
        if (rc == CDC_OK)
            CU_ASSERT(atts.n == 0);
    } else {
        TH_ASSERT_BYTES(r->name, r->out, strlen(r->out), p.data.p, p.data.len);
        CU_ASSERT(p.type == (r->type == SIO_EVENT ? SIO_BINARY_EVENT : SIO_BINARY_ACK));
        CU_ASSERT(p.attachments == atts.n);
        check_atts(r->name, atts.at, atts.n, r->atts);
        TH_ASSERT_RC(r->name, CDC_OK, sio_packet_validate(&o, &p, NULL));
    }
    cdc_buf_free(&json);
    cdc_buf_free(&bytes);
}

static void test_sio_binary_deconstruct(void)
{
    for (size_t i = 0; i < sizeof(drows) / sizeof(drows[0]); i++)
        run_deconstruct(&drows[i]);
}

struct rrow {
    const char *name;
    enum cdc_mode mode;
    enum sio_type type;
    const char *json;
    const char *atts; /* hex, '|'-separated */
    int rc;
    const char *out;
};

/* clang-format off */
static const struct rrow rrows[] = {
    {"y_one", CDC_STRICT, SIO_BINARY_EVENT, "[\"baz\"," PH(0) "]", "01020304", CDC_OK,
     "[\"baz\"," B("AQIDBA==") "]"},
    /* S30: the numbers decide, not the order */
    {"y_reversed", CDC_STRICT, SIO_BINARY_ACK, "[" PH(1) "," PH(0) "]", "01|02", CDC_OK,
     "[" B("Ag==") "," B("AQ==") "]"},
    {"y_twice", CDC_STRICT, SIO_BINARY_ACK, "[" PH(0) ",{\"k\":" PH(0) "}]", "ff", CDC_OK,
     "[" B("/w==") ",{\"k\":" B("/w==") "}]"},
    /* an empty attachment; the unreferenced second one is not an error here */
    {"y_empty_attachment", CDC_STRICT, SIO_BINARY_EVENT, "[\"a\"," PH(0) "]", "|00", CDC_OK,
     "[\"a\"," B("") "]"},
    /* a plain EVENT has no placeholders: its JSON is copied as is */
    {"y_plain_event", CDC_STRICT, SIO_EVENT, "[\"a\"," PH(3) "]", "", CDC_OK, "[\"a\"," PH(3) "]"},
    {"y_false_is_data", CDC_STRICT, SIO_BINARY_EVENT, "[{\"_placeholder\":false,\"num\":0}," PH(0) "]",
     "00", CDC_OK, "[{\"_placeholder\":false,\"num\":0}," B("AA==") "]"},
    {"y_empty_data", CDC_STRICT, SIO_BINARY_EVENT, "", "00", CDC_OK, ""},
    /* CVE-2022-2421 */
    {"n_out_of_range", CDC_COMPAT, SIO_BINARY_EVENT, "[\"a\"," PH(1) "]", "00", CDC_ERR_SIO_PLACEHOLDER, NULL},
    {"n_splice", CDC_COMPAT, SIO_BINARY_EVENT, "[\"a\"," PH("splice") "]", "00", CDC_ERR_SIO_PLACEHOLDER, NULL},
    {"n_bad_json", CDC_COMPAT, SIO_BINARY_EVENT, "[\"a\",", "00", CDC_ERR_SIO_JSON, NULL},
    /* extra keys: strict refuses; compat replaces the whole object */
    {"n_extra_strict", CDC_STRICT, SIO_BINARY_EVENT, "[{\"_placeholder\":true,\"num\":0,\"x\":1}]", "00",
     CDC_ERR_SIO_PLACEHOLDER, NULL},
    {"i_extra_compat", CDC_COMPAT, SIO_BINARY_EVENT,
     "[{\"_placeholder\":true,\"num\":0,\"x\":{\"_placeholder\":true,\"num\":\"bad\"}}]", "00", CDC_OK,
     "[" B("AA==") "]"},
    /* a valid placeholder inside a placeholder: its marker is rewound */
    {"i_nested_valid_compat", CDC_COMPAT, SIO_BINARY_EVENT,
     "[\"a\",{\"_placeholder\":true,\"num\":1,\"x\":" PH(0) "}]", "00|01", CDC_OK,
     "[\"a\"," B("AQ==") "]"},
    {"i_num_float_compat", CDC_COMPAT, SIO_BINARY_EVENT, "[{\"_placeholder\":true,\"num\":0.0}]", "01",
     CDC_OK, "[" B("AQ==") "]"},
    {"n_num_float_strict", CDC_STRICT, SIO_BINARY_EVENT, "[{\"_placeholder\":true,\"num\":0.0}]", "01",
     CDC_ERR_SIO_PLACEHOLDER, NULL},
};
/* clang-format on */

/* Parses "hex|hex" into |store| and spans. Returns the count. */
static size_t parse_atts(const char *hex, uint8_t *store, struct cdc_span *at)
{
    size_t n = 0, k = 0;
    if (!*hex)
        return 0;
    at[0] = (struct cdc_span){store, 0};
    for (const char *p = hex; *p;) {
        if (*p == '|') {
            at[++n] = (struct cdc_span){store + k, 0};
            p++;
            continue;
        }
        store[k++] = (uint8_t)(hexval(p[0]) * 16 + hexval(p[1]));
        at[n].len++;
        p += 2;
    }
    return n + 1;
}

static void test_sio_binary_reconstruct(void)
{
    for (size_t i = 0; i < sizeof(rrows) / sizeof(rrows[0]); i++) {
        const struct rrow *r = &rrows[i];
        struct cdc_opts o = ts_opts(5, r->mode);
        uint8_t store[64];
        struct cdc_span at[8];
        struct sio_message m = {event(r->type, r->json), 0, at};
        m.n_attachments = parse_atts(r->atts, store, at);
        m.pkt.attachments = (unsigned)m.n_attachments;
        struct cdc_buf out;
        cdc_buf_init(&out, 4096, NULL);
        CU_ASSERT_FATAL(cdc_buf_append_str(&out, ">") == CDC_OK);
        int rc = sio_binary_reconstruct_json(&o, &m, &out);
        TH_ASSERT_RC(r->name, r->rc, rc);
        if (rc == CDC_OK) {
            TH_ASSERT_BYTES(r->name, r->out, strlen(r->out), out.p + 1, out.len - 1);
        } else {
            TH_ASSERT_BYTES(r->name, ">", 1, out.p, out.len);
        }
        cdc_buf_free(&out);
    }
}

/* Deconstruct, encode, decode through sio_decoder, reconstruct: the JSON
 * must come back byte for byte (markers written canonically). */
static void round_trip(const char *json, enum sio_type t)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    struct sio_packet p = event(t, json);
    p.has_id = t == SIO_ACK;
    p.id = 7;
    struct cdc_buf js, bytes, wire, back;
    struct sio_attachments atts = {.bytes = &bytes};
    cdc_buf_init(&js, 1 << 16, NULL);
    cdc_buf_init(&bytes, 1 << 16, NULL);
    cdc_buf_init(&wire, 1 << 16, NULL);
    cdc_buf_init(&back, 1 << 16, NULL);
    struct sio_decoder *d = NULL;
    CU_ASSERT_FATAL(sio_decoder_new(&d, &o, NULL) == CDC_OK);
    CU_ASSERT(sio_binary_deconstruct(&o, &p, &js, &atts) == CDC_OK);
    CU_ASSERT(sio_packet_encode(&o, &p, &wire) == CDC_OK);
    struct sio_message m;
    int rc = sio_decoder_feed(d, false, wire.p, wire.len, &m, NULL);
    for (size_t i = 0; i < atts.n; i++) {
        CU_ASSERT(rc == SIO_DEC_PENDING);
        rc = sio_decoder_feed(d, true, atts.at[i].p, atts.at[i].len, &m, NULL);
    }
    CU_ASSERT_FATAL(rc == SIO_DEC_PACKET);
    CU_ASSERT(m.pkt.type == p.type && m.n_attachments == atts.n);
    CU_ASSERT(sio_binary_reconstruct_json(&o, &m, &back) == CDC_OK);
    TH_ASSERT_BYTES("round trip", json, strlen(json), back.p, back.len);
    sio_decoder_del(d);
    cdc_buf_free(&js);
    cdc_buf_free(&bytes);
    cdc_buf_free(&wire);
    cdc_buf_free(&back);
}

static void test_sio_binary_round_trip(void)
{
    round_trip("[\"baz\"," B("AQIDBA==") "]", SIO_EVENT);
    round_trip("[\"a\",{\"b\":[\"c\"," B("YWJj") "]}," B("") "]", SIO_EVENT);
    round_trip("[\"a\",{\"a\":\"hi\",\"b\":{\"why\":" B(
                   "AAAA") "},\"c\":{\"a\":\"bye\",\"b\":{\"a\":" B("AAAAAAAA") "}}}]",
               SIO_EVENT);
    round_trip("[" B("AwIB") ",null,{\"e\":{\"g\":null}}]", SIO_ACK);
    round_trip("[\"no binary\",1]", SIO_EVENT);
}

/* Every allocation of deconstruct (json and bytes buffers, the unescape
 * scratch) and of reconstruct fails in turn: clean NOMEM, nothing leaked,
 * buffers and packet unchanged. */
static void test_sio_binary_failmem(void)
{
    const char *json = "[\"a\",{\"$binary\":\"\\/w==\"}," B("AQID") "]";
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    long fail;
    int rc = CDC_ERR_NOMEM;
    for (fail = 0; rc == CDC_ERR_NOMEM && fail < 100; fail++) {
        struct th_failmem fm;
        th_failmem_init(&fm, fail);
        struct sio_packet p = event(SIO_EVENT, json), before = p;
        struct cdc_buf js, bytes, back;
        struct sio_attachments atts = {.bytes = &bytes};
        cdc_buf_init(&js, 1 << 16, &fm.mem);
        cdc_buf_init(&bytes, 1 << 16, &fm.mem);
        cdc_buf_init(&back, 1 << 16, &fm.mem);
        rc = sio_binary_deconstruct(&o, &p, &js, &atts);
        if (rc == CDC_OK) {
            struct sio_message m = {p, atts.n, atts.at};
            rc = sio_binary_reconstruct_json(&o, &m, &back);
            static const char exp[] = "[\"a\"," B("/w==") "," B("AQID") "]";
            if (rc == CDC_OK) {
                TH_ASSERT_BYTES("failmem", exp, sizeof exp - 1, back.p, back.len);
            } else {
                CU_ASSERT(back.len == 0);
            }
        } else {
            CU_ASSERT(memcmp(&p, &before, sizeof p) == 0 && js.len == 0 && bytes.len == 0);
        }
        CU_ASSERT(rc == CDC_OK || rc == CDC_ERR_NOMEM);
        cdc_buf_free(&js);
        cdc_buf_free(&bytes);
        cdc_buf_free(&back);
        CU_ASSERT(fm.live == 0);
    }
    CU_ASSERT(rc == CDC_OK);
    CU_ASSERT(fail > 3); /* json, bytes, scratch and output each allocated */
}

static void test_sio_binary_bad_args(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    struct sio_packet p = event(SIO_EVENT, "[\"a\"]");
    struct cdc_buf js;
    struct sio_attachments atts = {.bytes = NULL};
    cdc_buf_init(&js, 100, NULL);
    CU_ASSERT(sio_binary_deconstruct(&o, &p, &js, &atts) == CDC_ERR_INVALID_ARG);
    atts.bytes = &js; /* |p->data| may not live in an output buffer */
    CU_ASSERT(cdc_buf_append_str(&js, "[\"a\"]") == CDC_OK);
    p.data = (struct cdc_span){js.p, js.len};
    CU_ASSERT(sio_binary_deconstruct(&o, &p, &js, &atts) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_binary_deconstruct(NULL, &p, &js, &atts) == CDC_ERR_INVALID_ARG);
    struct sio_message m = {event(SIO_BINARY_EVENT, "[\"a\"]"), 1, NULL};
    CU_ASSERT(sio_binary_reconstruct_json(&o, &m, &js) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_binary_reconstruct_json(&o, NULL, &js) == CDC_ERR_INVALID_ARG);
    cdc_buf_free(&js);
}

CU_TestInfo test_sio_binary_tests[] = {
    {"test_sio_binary_deconstruct", test_sio_binary_deconstruct},
    {"test_sio_binary_reconstruct", test_sio_binary_reconstruct},
    {"test_sio_binary_round_trip", test_sio_binary_round_trip},
    {"test_sio_binary_failmem", test_sio_binary_failmem},
    {"test_sio_binary_bad_args", test_sio_binary_bad_args},
    CU_TEST_INFO_NULL,
};
