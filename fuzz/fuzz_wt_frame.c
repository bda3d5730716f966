/*
 * fuzz_wt_frame.c - the incremental WebTransport stream decoder (wt.h).
 *
 * Input: flag byte, then stream bytes. Flags are ignored except FZ_COMPAT,
 * which only selects the mode of the Engine.IO decode of each frame.
 *
 * Oracles:
 *  - P3 chunking invariance: the stream fed whole, byte by byte, and in
 *    pseudo-random chunks (seeded from the input) gives the same frames and
 *    the same final result; |consumed| never exceeds what was given; a
 *    call that consumed nothing must have produced a frame or an error;
 *  - frames hold 1..max_payload bytes; errors are sticky until reset;
 *  - P1: the frames re-encoded with wt_frame_encode decode to the same list;
 *  - wt_header_encode sizes (1/3/9 bytes, 0 for 0 and > 2^53-1);
 *  - the decoder's memory stays within max_payload plus a constant (P5).
 * Each text frame then goes through eio_packet_decode_text and each binary
 * frame through eio_packet_decode_binary, as the harness does.
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#define WT_MAX 1500u

struct result {
    struct fz_pkts frames; /* .binary and .data used */
    int err;
};

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Feeds |in| in chunks: step 0 = whole, 1 = bytes, else random sizes. */
static void feed(struct wt_decoder *d, const uint8_t *in, size_t n, unsigned step, struct result *r,
                 const struct fz_countmem *mem)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull ^ n;
    for (size_t i = 0; i < n && i < 16; i++)
        seed = seed * 31 + in[i];
    size_t pos = 0;
    r->err = 0;
    while (pos < n && r->err == 0) {
        size_t chunk = n - pos;
        if (step == 1)
            chunk = 1;
        else if (step > 1)
            chunk = 1 + (size_t)(next_rand(&seed) % (chunk < 300 ? chunk : 300));
        size_t end = pos + chunk;
        while (pos < end && r->err == 0) {
            struct wt_frame f;
            size_t used = SIZE_MAX;
            struct cdc_diag dg = fz_diag();
            int rc = wt_decoder_feed(d, in + pos, end - pos, &used, &f, &dg);
            fz_check_rc(rc, &dg, end - pos);
            FZ_CHECK(rc <= 1, "wt_decoder_feed returned > 1");
            if (rc < 0) {
                r->err = rc;
                break;
            }
            FZ_CHECK(used <= end - pos, "consumed more than given");
            FZ_CHECK(used > 0 || rc == 1, "no progress and no frame");
            FZ_CHECK(rc == 1 || used == end - pos, "returned 0 without consuming everything");
            if (rc == 1) {
                FZ_CHECK(f.payload.len >= 1 && f.payload.len <= WT_MAX, "frame length range");
                struct eio_packet p = {.type = EIO_MESSAGE, .binary = f.binary, .data = f.payload};
                fz_pkts_push(&r->frames, &p);
            }
            pos += used;
            FZ_CHECK(mem->live_bytes <= WT_MAX + 4096, "decoder memory above max_payload");
        }
    }
    if (r->err) {
        struct wt_frame f;
        size_t used = 0;
        int again = wt_decoder_feed(d, (const uint8_t *)"x", 1, &used, &f, NULL);
        FZ_CHECK(again < 0, "wt decoder error is not sticky");
    }
}

static bool same(const struct result *a, const struct result *b)
{
    if (a->err != b->err || a->frames.n != b->frames.n)
        return false;
    for (size_t i = 0; i < a->frames.n; i++) {
        struct eio_packet x = fz_pkts_get(&a->frames, i), y = fz_pkts_get(&b->frames, i);
        if (!fz_eio_eq(&x, &y))
            return false;
    }
    return true;
}

static void run(const struct cdc_opts *o, const uint8_t *in, size_t n, unsigned step,
                struct result *r)
{
    struct fz_countmem mem;
    fz_countmem_init(&mem);
    struct wt_decoder d;
    wt_decoder_init(&d, o, &mem.mem);
    fz_pkts_init(&r->frames);
    feed(&d, in, n, step, r, &mem);
    if (step == 0) {
        /* After a reset the decoder must behave as new. */
        wt_decoder_reset(&d);
        struct result again;
        fz_pkts_init(&again.frames);
        feed(&d, in, n, 0, &again, &mem);
        FZ_CHECK(same(r, &again), "decoder differs after wt_decoder_reset");
        fz_pkts_free(&again.frames);
    }
    wt_decoder_free(&d);
    FZ_CHECK(mem.live_blocks == 0, "wt_decoder_free leaked memory");
}

static void reencode(const struct cdc_opts *o, const struct result *r)
{
    struct cdc_buf enc;
    cdc_buf_init(&enc, SIZE_MAX / 2, NULL);
    for (size_t i = 0; i < r->frames.n; i++) {
        struct eio_packet p = fz_pkts_get(&r->frames, i);
        FZ_CHECK(wt_frame_encode(p.binary, p.data.p, p.data.len, &enc) == CDC_OK, "encode");
    }
    struct result r2;
    run(o, enc.p, enc.len, 0, &r2);
    FZ_CHECK(r2.err == 0 && r2.frames.n == r->frames.n, "P1: re-encoded stream");
    struct result r1 = {r->frames, 0};
    FZ_CHECK(same(&r1, &r2), "P1: re-encoded frames differ");
    fz_pkts_free(&r2.frames);
    cdc_buf_free(&enc);
}

static void check_header(const uint8_t *in, size_t n)
{
    struct fz_reader rd = {in, n};
    uint64_t len = fz_u64(&rd) >> (fz_u8(&rd) % 64);
    uint8_t h[WT_HEADER_MAX];
    size_t k = wt_header_encode(true, len, h);
    size_t want = len == 0 || len > 9007199254740991ull ? 0 : len <= 125 ? 1 : len <= 65535 ? 3 : 9;
    FZ_CHECK(k == want, "wt_header_encode size class");
    if (k)
        FZ_CHECK((h[0] & 0x80) != 0, "binary bit not set");
}

static void eio_decode_frames(const struct cdc_opts *o, const struct result *r)
{
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, 4 * WT_MAX, NULL);
    for (size_t i = 0; i < r->frames.n; i++) {
        struct eio_packet f = fz_pkts_get(&r->frames, i), p;
        int rc = f.binary ? eio_packet_decode_binary(o, f.data.p, f.data.len, &p, NULL)
                          : eio_packet_decode_text(o, f.data.p, f.data.len, &scratch, &p, NULL);
        fz_check_rc(rc, NULL, f.data.len);
        if (rc == CDC_OK)
            fz_check_eio_packet(o, &p);
    }
    cdc_buf_free(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cdc_opts o;
    fz_opts(data[0] & FZ_COMPAT, &o);
    o.lim.max_payload = WT_MAX;
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    struct result whole, bytes, rnd;
    run(&o, in, n, 0, &whole);
    run(&o, in, n, 1, &bytes);
    run(&o, in, n, 2, &rnd);
    FZ_CHECK(same(&whole, &bytes), "P3: whole vs byte-by-byte differ");
    FZ_CHECK(same(&whole, &rnd), "P3: whole vs random chunks differ");
    reencode(&o, &whole);
    check_header(in, n);
    eio_decode_frames(&o, &whole);
    fz_pkts_free(&whole.frames);
    fz_pkts_free(&bytes.frames);
    fz_pkts_free(&rnd.frames);
    return 0;
}
