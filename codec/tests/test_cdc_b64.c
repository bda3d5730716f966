/*
 * test_cdc_b64.c - base64 vectors. y_ rows are strict base64 (RFC 4648
 * section 10 vectors among them); n_ rows break the strict grammar and
 * carry what Node 20's Buffer.from(s, "base64") returns for them (measured
 * with node, including its truncation of UTF-16 code units to their low
 * byte). Every row runs strict and lenient, whole and at a guard page.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_cdc_b64_tests[];

struct b64row {
    const char *name;
    const char *in;
    size_t len;
    const char *node; /* Buffer.from(in, "base64") */
    size_t node_len;
};

/* clang-format off */
static const struct b64row rows[] = {
    {"y_empty", "", 0, "", 0},
    {"y_rfc_f", "Zg==", 4, "\x66", 1},
    {"y_rfc_fo", "Zm8=", 4, "\x66\x6f", 2},
    {"y_rfc_foo", "Zm9v", 4, "\x66\x6f\x6f", 3},
    {"y_rfc_foob", "Zm9vYg==", 8, "\x66\x6f\x6f\x62", 4},
    {"y_rfc_fooba", "Zm9vYmE=", 8, "\x66\x6f\x6f\x62\x61", 5},
    {"y_rfc_foobar", "Zm9vYmFy", 8, "\x66\x6f\x6f\x62\x61\x72", 6},
    {"y_spec_01020304", "AQIDBA==", 8, "\x01\x02\x03\x04", 4},
    {"y_all_ones", "////", 4, "\xff\xff\xff", 3},
    {"y_plus", "+++/", 4, "\xfb\xef\xbf", 3},
    {"n_unpadded_2", "AQ", 2, "\x01", 1},
    {"n_unpadded_3", "AQI", 3, "\x01\x02", 2},
    {"n_unpadded_6", "AQIDBA", 6, "\x01\x02\x03\x04", 4},
    {"n_one_char", "A", 1, "", 0},
    {"n_short_pad", "AQ=", 3, "\x01", 1},
    {"n_triple_pad", "AQ===", 5, "\x01", 1},
    {"n_pad_middle", "AQ==AQ==", 8, "\x01", 1},
    {"n_pad_inside_group", "AQ=AQ", 5, "\x01", 1},
    {"n_pad_second", "A=QID", 5, "", 0},
    {"n_pad_first", "=AQID", 5, "", 0},
    {"n_pad_only", "====", 4, "", 0},
    {"n_pad_after_one", "A===", 4, "", 0},
    {"n_space", "AQ ID", 5, "\x01\x02\x03", 3},
    {"n_space_around", " AQID ", 6, "\x01\x02\x03", 3},
    {"n_newline", "AQ\x0a""ID", 5, "\x01\x02\x03", 3},
    {"n_crlf_tab_ff", "A\x0d""B\x0a""C\x0c""D", 7, "\x00\x10\x83", 3},
    {"n_bang_prefix", "!!AQID", 6, "\x01\x02\x03", 3},
    {"n_bang_only", "!!!", 3, "", 0},
    {"n_dot", "AB.C", 4, "\x00\x10", 2},
    {"n_url_safe", "-_-_", 4, "\xfb\xff\xbf", 3},
    {"n_url_mixed", "AQ-_", 4, "\x01\x0f\xbf", 3},
    {"n_trailing_after_pad", "AQIDBA==x", 9, "\x01\x02\x03\x04", 4},
    {"n_pad_bits_2", "AR==", 4, "\x01", 1},
    {"n_pad_bits_1", "AQJ=", 4, "\x01\x02", 2},
    {"n_nul", "AQ\x00""ID", 5, "\x01\x02\x03", 3},
    {"n_v3_style", "4AQIDBA==", 9, "\xe0\x04\x08\x0c\x10", 5},
    {"n_latin1_e_acute", "A\xc3""\xa9""QID", 6, "\x01\x02\x03", 3},
    {"n_euro", "A\xe2""\x82""\xac""QID", 7, "\x01\x02\x03", 3},
    {"n_lowbyte_A", "\xc5""\x81""QID", 5, "\x01\x02\x03", 3},
    {"n_lowbyte_eq", "AQ\xc4""\xbd""ID", 6, "\x01", 1},
    {"n_lowbyte_nul", "AQ\xc4""\x80""\xc4""\x80", 6, "\x01", 1},
    {"n_lowbyte_a", "A\xc5""\xa1""ID", 5, "\x01\xa2\x03", 3},
    {"n_fullwidth_eq", "AQ\xef""\xbc""\x9d""ID", 7, "\x01\x02\x03", 3},
    {"n_astral", "AQ\xf0""\x9f""\x98""\x80""ID", 8, "\x01", 1},
    {"n_astral_low", "AQ\xf0""\x90""\x81""\x81""ID", 8, "\x01\x00\x08", 3},
    {"n_trailing_single", "AQIDB", 5, "\x01\x02\x03", 3},
    {"n_dash_end", "AQID-", 5, "\x01\x02\x03", 3},
    {"n_yq", "YQ", 2, "\x61", 1},
    {"n_yr", "YR", 2, "\x61", 1},
    {"n_zm9_eq", "Zm9=", 4, "\x66\x6f", 2},
    {"n_zm_eq_v", "Zm=v", 4, "\x66", 1},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Decodes |in| into a buffer that already holds "pre" and checks the
 * result; on failure the buffer must still hold exactly "pre". */
static void check_decode(const struct b64row *r, const uint8_t *in, bool lenient)
{
    struct cdc_buf b;
    struct cdc_diag diag = {0, NULL};
    bool lax = true;
    bool valid = r->name[0] == 'y';
    cdc_buf_init(&b, 1024, NULL);
    cdc_buf_append_str(&b, "pre");
    int rc = cdc_b64_decode(in, r->len, lenient, &b, &lax, &diag);
    if (!lenient && !valid) {
        TH_ASSERT_RC(r->name, CDC_ERR_EIO_BASE64, rc);
        CU_ASSERT_PTR_NOT_NULL(diag.why);
        CU_ASSERT(diag.off <= r->len);
        TH_ASSERT_BYTES(r->name, "pre", 3, b.p, b.len);
    } else {
        TH_ASSERT_RC(r->name, CDC_OK, rc);
        CU_ASSERT(b.len >= 3 && memcmp(b.p, "pre", 3) == 0);
        TH_ASSERT_BYTES(r->name, r->node, r->node_len, b.p + 3, b.len - 3);
        CU_ASSERT_EQUAL(lax, !valid);
    }
    cdc_buf_free(&b);
}

static void test_cdc_b64_vectors(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct b64row *r = &rows[i];
        CU_ASSERT(r->name[0] == 'y' || r->name[0] == 'n');
        uint8_t *g = th_guard_copy(r->in, r->len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        for (int lenient = 0; lenient < 2; lenient++) {
            check_decode(r, (const uint8_t *)r->in, lenient);
            check_decode(r, g, lenient);
        }
        th_guard_free(g, r->len);
    }
}

/* Canonical re-encoding: encode(decode(w)) == w for every y_ row. */
static void test_cdc_b64_canonical_reencode(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct b64row *r = &rows[i];
        if (r->name[0] != 'y')
            continue;
        struct cdc_buf b;
        cdc_buf_init(&b, 1024, NULL);
        TH_ASSERT_RC(r->name, CDC_OK, cdc_b64_encode((const uint8_t *)r->node, r->node_len, &b));
        TH_ASSERT_BYTES(r->name, r->in, r->len, b.p, b.len);
        cdc_buf_free(&b);
    }
}

/* decode(encode(x)) == x for every length 0..300 of a byte pattern. */
static void test_cdc_b64_round_trip(void)
{
    uint8_t src[300];
    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 167 + 13);
    for (size_t n = 0; n <= sizeof(src); n++) {
        struct cdc_buf e, d;
        cdc_buf_init(&e, 1024, NULL);
        cdc_buf_init(&d, 1024, NULL);
        CU_ASSERT_EQUAL(cdc_b64_encode(src, n, &e), CDC_OK);
        CU_ASSERT_EQUAL(e.len, (n + 2) / 3 * 4);
        bool lax = true;
        CU_ASSERT_EQUAL(cdc_b64_decode(e.p, e.len, false, &d, &lax, NULL), CDC_OK);
        CU_ASSERT(!lax);
        CU_ASSERT(th_bytes_eq("round trip", src, n, d.p, d.len));
        cdc_buf_free(&e);
        cdc_buf_free(&d);
    }
}

/* Where strict decoding reports the failure. */
static void test_cdc_b64_strict_diag_offsets(void)
{
    static const struct {
        const char *in;
        size_t off;
    } rows_off[] = {{"AQ", 2},   {"AQ ID", 5}, {"AQ I", 2}, {"A=QI", 1},
                    {"AR==", 1}, {"AQJ=", 2},  {"====", 0}, {"AQID!A==", 4}};
    for (size_t i = 0; i < sizeof(rows_off) / sizeof(rows_off[0]); i++) {
        struct cdc_buf b;
        struct cdc_diag diag = {99, NULL};
        cdc_buf_init(&b, 64, NULL);
        const uint8_t *in = (const uint8_t *)rows_off[i].in;
        TH_ASSERT_RC(rows_off[i].in, CDC_ERR_EIO_BASE64,
                     cdc_b64_decode(in, strlen(rows_off[i].in), false, &b, NULL, &diag));
        CU_ASSERT_EQUAL(diag.off, rows_off[i].off);
        CU_ASSERT_PTR_NOT_NULL(diag.why);
        cdc_buf_free(&b);
    }
}

static void test_cdc_b64_output_limit(void)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 5, NULL);
    cdc_buf_append_str(&b, "xy");
    struct cdc_diag diag = {0, NULL};
    const uint8_t *in = (const uint8_t *)"AQIDBA==";
    /* 4 bytes do not fit after "xy" in a 5-byte buffer, in either mode. */
    TH_ASSERT_RC("strict", CDC_ERR_TOO_LARGE, cdc_b64_decode(in, 8, false, &b, NULL, &diag));
    TH_ASSERT_RC("lenient", CDC_ERR_TOO_LARGE, cdc_b64_decode(in, 6, true, &b, NULL, &diag));
    TH_ASSERT_BYTES("unchanged", "xy", 2, b.p, b.len);
    TH_ASSERT_RC("encode", CDC_ERR_TOO_LARGE, cdc_b64_encode(in, 3, &b));
    TH_ASSERT_BYTES("unchanged", "xy", 2, b.p, b.len);
    TH_ASSERT_RC("3 bytes fit", CDC_OK, cdc_b64_decode(in, 4, false, &b, NULL, NULL));
    TH_ASSERT_BYTES("filled", "xy\x01\x02\x03", 5, b.p, b.len);
    cdc_buf_free(&b);
}

/* One buffer-writing call under test (|ctx| points to its number);
 * returns its code. */
static int b64_op(void *ctx, struct cdc_buf *b)
{
    int op = *(const int *)ctx;
    static const uint8_t raw[200] = {1, 2, 3};
    char text[121];
    for (int i = 0; i < 120; i += 4)
        memcpy(text + i, "AQID", 4);
    text[120] = 0;
    if (op == 0)
        return cdc_b64_encode(raw, sizeof(raw), b);
    if (op == 1)
        text[7] = ' '; /* lenient path */
    return cdc_b64_decode((const uint8_t *)text, 120, op == 1, b, NULL, NULL);
}

/* Every allocation fails in turn: NOMEM, buffer unchanged, no leak. The
 * output outgrows the buffer's first block, so the call itself allocates. */
static void test_cdc_b64_failing_allocations(void)
{
    for (int op = 0; op < 3; op++)
        CU_ASSERT(th_failing_appends(b64_op, &op, 4096) >= 2); /* the call did allocate */
}

/* A buffer holding "pre", either roomy (the one-pass strict decoder writes
 * straight into its spare capacity) or fresh and exactly full (the input is
 * checked before the buffer grows). */
static void prep_buf(struct cdc_buf *b, bool roomy)
{
    cdc_buf_init(b, 4096, NULL);
    if (roomy)
        cdc_buf_reserve(b, 1024, NULL);
    cdc_buf_append_str(b, "pre");
}

/* Strict decoding of |in| must fail at |off| and leave the buffer alone:
 * same storage, capacity, length and bytes. */
static void expect_strict_fail(const uint8_t *in, size_t n, size_t off, const char *why)
{
    for (int roomy = 0; roomy < 2; roomy++) {
        struct cdc_buf b;
        prep_buf(&b, roomy);
        const uint8_t *p0 = b.p;
        size_t cap0 = b.cap;
        struct cdc_diag d = {0, NULL};
        char what[64];
        snprintf(what, sizeof what, "%.*s (roomy %d)", (int)n, (const char *)in, roomy);
        TH_ASSERT_RC(what, CDC_ERR_EIO_BASE64, cdc_b64_decode(in, n, false, &b, NULL, &d));
        if (d.off != off)
            fprintf(stderr, "\n  %s: failed at %zu, want %zu\n", what, d.off, off);
        CU_ASSERT_EQUAL(d.off, off);
        CU_ASSERT(d.why != NULL && strcmp(d.why, why) == 0);
        CU_ASSERT(b.p == p0 && b.cap == cap0);
        TH_ASSERT_BYTES(what, "pre", 3, b.p, b.len);
        cdc_buf_free(&b);
    }
}

/* Every bad character at every position of inputs of 4-32 characters
 * with 0-2 pads: the error names the first bad character, in any group,
 * through both buffer paths. */
static void test_cdc_b64_strict_positions(void)
{
    static const uint8_t bad[] = {'!', ' ', '-', '_', '.', 0x80, 0xc3, 0x00, '='};
    uint8_t raw[24], enc[40];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i * 77 + 5);
    for (size_t len = 3; len <= 24; len++) {
        struct cdc_buf e;
        cdc_buf_init(&e, sizeof enc, NULL);
        CU_ASSERT_FATAL(cdc_b64_encode(raw, len, &e) == CDC_OK);
        size_t n = e.len, pad = len % 3 ? 3 - len % 3 : 0;
        memcpy(enc, e.p, n);
        cdc_buf_free(&e);
        for (size_t k = 0; k < sizeof bad; k++)
            for (size_t i = 0; i < n - pad; i++) {
                uint8_t t[40];
                memcpy(t, enc, n);
                t[i] = bad[k];
                if (bad[k] == '=' && i + 2 >= n)
                    continue; /* that would be padding, checked below */
                expect_strict_fail(t, n, i,
                                   bad[k] == '=' ? "base64 padding before the end"
                                                 : "invalid base64 character");
            }
        if (pad) { /* 'B' is sextet 1: its lowest bit is a pad bit */
            enc[n - pad - 1] = 'B';
            expect_strict_fail(enc, n, n - pad - 1, "base64 pad bits are not zero");
        }
    }
}

/* Valid input of every length decodes to the same bytes through both
 * buffer paths, appended after "pre". */
static void test_cdc_b64_strict_paths(void)
{
    uint8_t raw[40];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(255 - i * 31);
    for (size_t len = 0; len <= sizeof raw; len++) {
        struct cdc_buf e;
        cdc_buf_init(&e, 128, NULL);
        CU_ASSERT_FATAL(cdc_b64_encode(raw, len, &e) == CDC_OK);
        for (int roomy = 0; roomy < 2; roomy++) {
            struct cdc_buf b;
            bool lax = true;
            prep_buf(&b, roomy);
            CU_ASSERT_EQUAL(cdc_b64_decode(e.p, e.len, false, &b, &lax, NULL), CDC_OK);
            CU_ASSERT(!lax);
            CU_ASSERT(b.len == 3 + len && memcmp(b.p, "pre", 3) == 0);
            TH_ASSERT_BYTES("strict paths", raw, len, b.p + 3, b.len - 3);
            cdc_buf_free(&b);
        }
        cdc_buf_free(&e);
    }
}

/* The encoder against the alphabet read one sextet at a time, on groups
 * that use every twelve-bit half (both table positions) and on every
 * length and alignment of a pseudo-random buffer. */
static void slow_encode(const uint8_t *in, size_t n, char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[k++] = abc[v >> 18];
        out[k++] = abc[(v >> 12) & 63];
        out[k++] = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        out[k++] = i + 2 < n ? abc[v & 63] : '=';
    }
    out[k] = 0;
}

static void test_cdc_b64_encode_every_group(void)
{
    static uint8_t raw[3 * 4096 + 8];
    static char want[sizeof raw / 3 * 4 + 16];
    struct cdc_buf e;
    cdc_buf_init(&e, sizeof want, NULL);
    for (uint32_t i = 0; i < 4096; i++) {
        uint32_t v = i << 12 | (i * 2654435761u >> 20);
        raw[3 * i] = (uint8_t)(v >> 16);
        raw[3 * i + 1] = (uint8_t)(v >> 8);
        raw[3 * i + 2] = (uint8_t)v;
    }
    slow_encode(raw, 3 * 4096, want);
    CU_ASSERT_FATAL(cdc_b64_encode(raw, 3 * 4096, &e) == CDC_OK);
    TH_ASSERT_BYTES("every group", want, strlen(want), e.p, e.len);
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n < 100; n++) {
            cdc_buf_reset(&e);
            slow_encode(raw + 1000 + off, n, want);
            CU_ASSERT_FATAL(cdc_b64_encode(raw + 1000 + off, n, &e) == CDC_OK);
            TH_ASSERT_BYTES("length", want, strlen(want), e.p, e.len);
        }
    }
    cdc_buf_free(&e);
}

/* clang-format off */
CU_TestInfo test_cdc_b64_tests[] = {
    {"vectors", test_cdc_b64_vectors},
    {"canonical_reencode", test_cdc_b64_canonical_reencode},
    {"round_trip", test_cdc_b64_round_trip},
    {"encode_every_group", test_cdc_b64_encode_every_group},
    {"strict_diag_offsets", test_cdc_b64_strict_diag_offsets},
    {"output_limit", test_cdc_b64_output_limit},
    {"failing_allocations", test_cdc_b64_failing_allocations},
    {"strict_positions", test_cdc_b64_strict_positions},
    {"strict_paths", test_cdc_b64_strict_paths},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
