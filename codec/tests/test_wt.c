/*
 * test_wt.c - WebTransport framing (Engine.IO v4.1): the incremental
 * decoder and the encoder.
 *
 * Vectors come from the spec's header table and from engine.io-parser's
 * WebTransport tests (encoder headers for "1€", 01 02 03, a Uint16Array,
 * 12345 and 123456789 bytes; the byte-by-byte decoder stream; the length
 * 0, above-max and above-2^53-1 errors). Each decoder vector is fed whole,
 * at a guard page, split at every byte boundary and in chunks of every
 * size, and must give the same transcript each time; every chunk sits in
 * its own exact-size allocation so ASan sees any over-read.
 */
#include "helpers.h"

#include "codec/wt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern CU_TestInfo test_wt_tests[];

#define LINE 4096

struct wrow {
    const char *name;
    const char *in;
    size_t len;
    size_t max; /* max_payload; 0 = default */
    const char *want;
};

/* clang-format off */
static const struct wrow rows[] = {
    {"y_text_euro", "\x05" "41\xe2\x82\xac", 6, 0, "text=\"41\\xe2\\x82\\xac\" | end"},
    {"y_binary", "\x83\x01\x02\x03", 4, 0, "bin=010203 | end"},
    {"y_uint16_array", "\x86\x01\x00\x02\x00\x01\x01", 7, 0, "bin=010002000101 | end"},
    {"y_open", "\x01" "0", 2, 0, "text=\"0\" | end"},
    {"y_spec_hello", "\x06" "4hello", 7, 0, "text=\"4hello\" | end"},
    {"y_parser_stream", "\x05" "41\xe2\x82\xac\x01" "2\x01" "3", 10, 0,
     "text=\"41\\xe2\\x82\\xac\" | text=\"2\" | text=\"3\" | end"},
    {"y_binary_then_text", "\x82\xff\x00\x02" "4a", 6, 0, "bin=ff00 | text=\"4a\" | end"},
    /* the reference does not insist on the shortest header */
    {"y_long_header_short_len", "\x7e\x00\x02" "4a", 5, 0, "text=\"4a\" | end"},
    {"y_huge_header_short_len", "\xff\x00\x00\x00\x00\x00\x00\x00\x01\x09", 10, 0, "bin=09 | end"},
    {"y_at_max", "\x0a" "4123456789", 11, 10, "text=\"4123456789\" | end"},
    {"y_partial_payload", "\x05" "41", 3, 0, "partial"},
    {"y_partial_header", "\x7e\x00", 2, 0, "partial"},
    {"y_largest_length", "\x7f\x00\x1f\xff\xff\xff\xff\xff\xff", 9, SIZE_MAX, "partial"},
    {"y_empty_stream", "", 0, 0, "end"},
    {"n_zero_length", "\x00", 1, 0, "error ERR_WT_LENGTH"},
    {"n_zero_length_binary", "\x80", 1, 0, "error ERR_WT_LENGTH"},
    {"n_zero_length_16", "\x7e\x00\x00", 3, 0, "error ERR_WT_LENGTH"},
    {"n_zero_length_64", "\x7f\x00\x00\x00\x00\x00\x00\x00\x00", 9, 0, "error ERR_WT_LENGTH"},
    {"n_above_max", "\x0b", 1, 10, "error ERR_TOO_LARGE"},
    {"n_above_max_16", "\x7e\x03\xe8", 3, 999, "error ERR_TOO_LARGE"},
    {"n_2_53", "\x7f\x00\x20\x00\x00\x00\x00\x00\x00", 9, SIZE_MAX, "error ERR_WT_LENGTH"},
    {"n_2_64_minus_1", "\xff\xff\xff\xff\xff\xff\xff\xff\xff", 9, SIZE_MAX, "error ERR_WT_LENGTH"},
    {"n_good_then_zero", "\x01" "2\x00\x01" "3", 5, 0, "text=\"2\" | error ERR_WT_LENGTH"},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void cat(char *out, const char *s)
{
    size_t n = strlen(out);
    snprintf(out + n, LINE - n, "%s", s);
}

static void frame_line(const struct wt_frame *f, char *out)
{
    char tmp[LINE];
    if (f->binary) {
        cat(out, "bin=");
        for (size_t i = 0; i < f->payload.len && i < 64; i++) {
            snprintf(tmp, sizeof(tmp), "%02x", f->payload.p[i]);
            cat(out, tmp);
        }
        if (f->payload.len > 64) {
            snprintf(tmp, sizeof(tmp), "...(%zu)", f->payload.len);
            cat(out, tmp);
        }
    } else {
        th_escape(f->payload.p, f->payload.len, tmp, 600);
        cat(out, "text=\"");
        cat(out, tmp);
        cat(out, "\"");
    }
    cat(out, " | ");
}

/* Feeds one chunk; returns false after an error (recorded in |out|). */
static bool feed_chunk(struct wt_decoder *d, const uint8_t *p, size_t n, char *out)
{
    while (true) {
        struct wt_frame f;
        struct cdc_diag diag = {0, NULL};
        size_t used = 99;
        int rc = wt_decoder_feed(d, p, n, &used, &f, &diag);
        CU_ASSERT(used <= n);
        if (rc < 0) {
            cat(out, "error ");
            cat(out, cdc_err_name(rc));
            CU_ASSERT_PTR_NOT_NULL(diag.why);
            /* sticky */
            CU_ASSERT_EQUAL(wt_decoder_feed(d, p, n, &used, &f, NULL), rc);
            CU_ASSERT_EQUAL(used, 0);
            return false;
        }
        if (rc == 0) {
            CU_ASSERT_EQUAL(used, n);
            return true;
        }
        CU_ASSERT_EQUAL(rc, 1);
        frame_line(&f, out);
        p += used;
        n -= used;
        if (n == 0)
            return true;
    }
}

/* Feeds |in| cut at the offsets in |cuts| (ascending, ending with |n|),
 * each chunk copied to its own exact-size block. */
static void feed_cuts(const struct wrow *r, const uint8_t *in, const size_t *cuts, size_t ncuts,
                      char *out)
{
    struct cdc_opts o;
    struct wt_decoder d;
    cdc_opts_init(&o);
    if (r->max)
        o.lim.max_payload = r->max;
    wt_decoder_init(&d, &o, NULL);
    out[0] = 0;
    bool ok = true;
    for (size_t i = 0, prev = 0; i < ncuts && ok; prev = cuts[i], i++) {
        size_t n = cuts[i] - prev;
        uint8_t *chunk = malloc(n ? n : 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(chunk);
        if (n)
            memcpy(chunk, in + prev, n);
        ok = feed_chunk(&d, chunk, n, out);
        free(chunk);
    }
    if (ok)
        cat(out, d.hdr_need == 0 ? "end" : "partial");
    wt_decoder_free(&d);
}

static void check_all_splits(const struct wrow *r, const uint8_t *in, size_t len)
{
    char got[LINE];
    size_t *cuts = malloc((len + 2) * sizeof(*cuts));
    CU_ASSERT_PTR_NOT_NULL_FATAL(cuts);
    cuts[0] = len;
    feed_cuts(r, in, cuts, 1, got);
    CU_ASSERT(th_bytes_eq(r->name, r->want, strlen(r->want), got, strlen(got)));
    for (size_t k = 0; k <= len; k++) {
        size_t two[2] = {k, len};
        feed_cuts(r, in, two, 2, got);
        CU_ASSERT(th_bytes_eq(r->name, r->want, strlen(r->want), got, strlen(got)));
    }
    for (size_t c = 1; c <= len; c++) {
        size_t n = 0;
        for (size_t at = c; at < len; at += c)
            cuts[n++] = at;
        cuts[n++] = len;
        feed_cuts(r, in, cuts, n, got);
        CU_ASSERT(th_bytes_eq(r->name, r->want, strlen(r->want), got, strlen(got)));
    }
    free(cuts);
}

static void test_wt_decoder_vectors(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct wrow *r = &rows[i];
        CU_ASSERT((r->name[0] == 'y') == (strstr(r->want, "error") == NULL));
        check_all_splits(r, (const uint8_t *)r->in, r->len);
        uint8_t *g = th_guard_copy(r->in, r->len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        char got[LINE];
        size_t cut = r->len;
        feed_cuts(r, g, &cut, 1, got);
        CU_ASSERT(th_bytes_eq(r->name, r->want, strlen(r->want), got, strlen(got)));
        th_guard_free(g, r->len);
    }
}

/* A zero-copy frame points into the input; a split one into the buffer. */
static void test_wt_decoder_zero_copy(void)
{
    static const uint8_t s[] = {0x83, 1, 2, 3, 0x01, '2'};
    struct wt_decoder d;
    struct wt_frame f;
    size_t used;
    wt_decoder_init(&d, NULL, NULL);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, s, sizeof(s), &used, &f, NULL), 1);
    CU_ASSERT_EQUAL(used, 4);
    CU_ASSERT(f.payload.p == s + 1 && f.payload.len == 3 && f.binary);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, s + 4, 1, &used, &f, NULL), 0);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, s + 5, 1, &used, &f, NULL), 1);
    CU_ASSERT(f.payload.p == s + 5 && !f.binary); /* header apart, payload whole */
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, s, 2, &used, &f, NULL), 0);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, s + 2, 2, &used, &f, NULL), 1);
    CU_ASSERT(f.payload.p == d.body.p && f.payload.len == 3);
    CU_ASSERT_EQUAL(d.max_payload, CDC_DEFAULT_MAX_PAYLOAD);
    wt_decoder_free(&d);
}

/* After an error, reset makes the decoder usable again. */
static void test_wt_decoder_reset(void)
{
    static const uint8_t bad[] = {0x00}, good[] = {0x01, '3'};
    struct wt_decoder d;
    struct wt_frame f;
    size_t used;
    wt_decoder_init(&d, NULL, NULL);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, bad, 1, &used, &f, NULL), CDC_ERR_WT_LENGTH);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, good, 2, &used, &f, NULL), CDC_ERR_WT_LENGTH);
    wt_decoder_reset(&d);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, good, 2, &used, &f, NULL), 1);
    CU_ASSERT(f.payload.len == 1 && f.payload.p[0] == '3');
    /* reset also drops a half-read frame */
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, good, 1, &used, &f, NULL), 0);
    wt_decoder_reset(&d);
    CU_ASSERT_EQUAL(wt_decoder_feed(&d, good, 2, &used, &f, NULL), 1);
    wt_decoder_free(&d);
}

struct hdrrow {
    bool binary;
    uint64_t len;
    const char *hdr;
    size_t n;
};

/* clang-format off */
static const struct hdrrow hdr_rows[] = {
    {false, 5, "\x05", 1},
    {true, 3, "\x83", 1},
    {true, 6, "\x86", 1},
    {false, 125, "\x7d", 1},
    {false, 126, "\x7e\x00\x7e", 3},
    {true, 12345, "\xfe\x30\x39", 3},
    {true, 65535, "\xfe\xff\xff", 3},
    {false, 65536, "\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 9},
    {false, 123456789, "\x7f\x00\x00\x00\x00\x07\x5b\xcd\x15", 9},
    {true, 123456789, "\xff\x00\x00\x00\x00\x07\x5b\xcd\x15", 9},
    {false, (UINT64_C(1) << 53) - 1, "\x7f\x00\x1f\xff\xff\xff\xff\xff\xff", 9},
    {false, 0, "", 0},
    {true, 0, "", 0},
    {false, UINT64_C(1) << 53, "", 0},
    {true, UINT64_MAX, "", 0},
};
/* clang-format on */

static void test_wt_header_encode(void)
{
    for (size_t i = 0; i < sizeof(hdr_rows) / sizeof(hdr_rows[0]); i++) {
        uint8_t hdr[WT_HEADER_MAX];
        size_t n = wt_header_encode(hdr_rows[i].binary, hdr_rows[i].len, hdr);
        char what[64];
        snprintf(what, sizeof(what), "header for %llu", (unsigned long long)hdr_rows[i].len);
        TH_ASSERT_BYTES(what, hdr_rows[i].hdr, hdr_rows[i].n, hdr, n);
    }
}

/* Frames of the sizes around each header boundary: encode, then decode
 * whole and in uneven chunks; payload and kind come back unchanged. */
static void test_wt_round_trip(void)
{
    static const size_t sizes[] = {1, 2, 125, 126, 127, 65535, 65536, 70000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t n = sizes[i];
        uint8_t *pl = malloc(n);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
        for (size_t k = 0; k < n; k++)
            pl[k] = (uint8_t)(k * 7 + i);
        for (int bin = 0; bin < 2; bin++) {
            struct cdc_buf w;
            cdc_buf_init(&w, 1 << 20, NULL);
            TH_ASSERT_RC("encode", CDC_OK, wt_frame_encode(bin, pl, n, &w));
            CU_ASSERT_EQUAL(w.len, n + (n < 126 ? 1 : n < 65536 ? 3 : 9));
            static const size_t chunks[] = {1 << 30, 1, 2, 3, 1000, 4099};
            for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
                struct wt_decoder d;
                struct wt_frame f;
                int rc = 0;
                size_t at = 0, used;
                wt_decoder_init(&d, NULL, NULL);
                while (at < w.len && rc == 0) {
                    size_t k = w.len - at < chunks[c] ? w.len - at : chunks[c];
                    rc = wt_decoder_feed(&d, w.p + at, k, &used, &f, NULL);
                    at += used;
                }
                CU_ASSERT_EQUAL(rc, 1);
                CU_ASSERT_EQUAL(at, w.len);
                CU_ASSERT(rc == 1 && f.binary == (bin != 0) && f.payload.len == n &&
                          memcmp(f.payload.p, pl, n) == 0);
                wt_decoder_free(&d);
            }
            cdc_buf_free(&w);
        }
        free(pl);
    }
}

static void test_wt_frame_encode_vectors(void)
{
    struct cdc_buf w;
    cdc_buf_init(&w, 64, NULL);
    TH_ASSERT_RC("text", CDC_OK, wt_frame_encode(false, (const uint8_t *)"41\xe2\x82\xac", 5, &w));
    TH_ASSERT_BYTES("text",
                    "\x05"
                    "41\xe2\x82\xac",
                    6, w.p, w.len);
    cdc_buf_reset(&w);
    TH_ASSERT_RC("binary", CDC_OK, wt_frame_encode(true, (const uint8_t *)"\x01\x02\x03", 3, &w));
    TH_ASSERT_BYTES("binary", "\x83\x01\x02\x03", 4, w.p, w.len);
    TH_ASSERT_RC("empty", CDC_ERR_WT_LENGTH, wt_frame_encode(true, (const uint8_t *)"", 0, &w));
    static uint8_t big[100];
    TH_ASSERT_RC("too large", CDC_ERR_TOO_LARGE, wt_frame_encode(true, big, sizeof(big), &w));
    TH_ASSERT_BYTES("unchanged", "\x83\x01\x02\x03", 4, w.p, w.len);
    cdc_buf_free(&w);
}

/* Encodes 200 bytes of |ctx| as a text frame, for th_failing_appends. */
static int encode_200(void *ctx, struct cdc_buf *b)
{
    return wt_frame_encode(false, ctx, 200, b);
}

/* Every allocation fails in turn, for the decoder's buffer and for the
 * encoder: a clean NOMEM, no leak, the encoder's output unchanged. */
static void test_wt_failing_allocations(void)
{
    static uint8_t stream[3 + 300];
    uint8_t hdr[WT_HEADER_MAX];
    memcpy(stream, hdr, wt_header_encode(true, 300, hdr));
    long n = 0;
    for (;; n++) {
        struct th_failmem fm;
        struct wt_decoder d;
        struct wt_frame f;
        size_t at = 0, used;
        int rc = 0;
        th_failmem_init(&fm, n);
        wt_decoder_init(&d, NULL, &fm.mem);
        while (at < sizeof(stream) && rc == 0) {
            size_t k = sizeof(stream) - at < 7 ? sizeof(stream) - at : 7;
            rc = wt_decoder_feed(&d, stream + at, k, &used, &f, NULL);
            at += used;
        }
        CU_ASSERT(rc == 1 || rc == CDC_ERR_NOMEM);
        if (rc == CDC_ERR_NOMEM)
            CU_ASSERT_EQUAL(wt_decoder_feed(&d, stream, 1, &used, &f, NULL), CDC_ERR_NOMEM);
        wt_decoder_free(&d);
        CU_ASSERT_EQUAL(fm.live, 0);
        if (rc == 1)
            break;
    }
    CU_ASSERT(n >= 2);
    CU_ASSERT(th_failing_appends(encode_200, stream, 4096) >= 2);
}

/* clang-format off */
CU_TestInfo test_wt_tests[] = {
    {"decoder_vectors", test_wt_decoder_vectors},
    {"decoder_zero_copy", test_wt_decoder_zero_copy},
    {"decoder_reset", test_wt_decoder_reset},
    {"header_encode", test_wt_header_encode},
    {"round_trip", test_wt_round_trip},
    {"frame_encode_vectors", test_wt_frame_encode_vectors},
    {"failing_allocations", test_wt_failing_allocations},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
