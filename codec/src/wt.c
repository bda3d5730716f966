/*
 * wt.c - WebTransport stream framing of Engine.IO v4.1: an incremental
 * frame decoder and the encoder.
 *
 * Frame = header + payload. The header is 1, 3 or 9 bytes, modelled on the
 * WebSocket length encoding; its top bit says binary. The decoder accepts
 * any split of the stream and produces the same frames: a frame that sits
 * whole in one fed chunk is returned in place (no copy); otherwise its
 * payload is gathered in the decoder's buffer, bounded by max_payload.
 *
 * Declared lengths of 0, above 2^53-1 or above max_payload are errors, as in
 * the reference decoder; like it, the decoder does not insist on the
 * shortest header (a 3-byte header for 5 bytes is read fine). The encoder
 * always writes the shortest one. Errors are sticky until
 * wt_decoder_reset.
 */
#include "codec/wt.h"

#include <string.h>

#define WT_MAX_LEN ((UINT64_C(1) << 53) - 1) /* largest exact JS integer */

static int fail(struct cdc_diag *diag, size_t off, int err, const char *why)
{
    if (diag) {
        diag->off = off;
        diag->why = why;
    }
    return err;
}

void wt_decoder_init(struct wt_decoder *d, const struct cdc_opts *o, const struct cdc_mem *mem)
{
    memset(d, 0, sizeof(*d));
    d->mem = mem;
    d->max_payload = o ? o->lim.max_payload : CDC_DEFAULT_MAX_PAYLOAD;
    cdc_buf_init(&d->body, d->max_payload, mem);
}

void wt_decoder_free(struct wt_decoder *d)
{
    cdc_buf_free(&d->body);
}

void wt_decoder_reset(struct wt_decoder *d)
{
    d->hdr_len = 0;
    d->hdr_need = 0;
    d->want = 0;
    d->binary = false;
    d->err = 0;
    cdc_buf_reset(&d->body);
}

static bool in_payload(const struct wt_decoder *d)
{
    return d->hdr_need != 0 && d->hdr_len == d->hdr_need;
}

/* Validates the complete header in d->hdr and sets d->want. */
static int header_done(struct wt_decoder *d, size_t off, struct cdc_diag *diag)
{
    uint64_t n = d->hdr[0] & 0x7F;
    if (d->hdr_need > 1) {
        n = 0;
        for (size_t i = 1; i < d->hdr_need; i++)
            n = n << 8 | d->hdr[i];
    }
    if (n == 0 || n > WT_MAX_LEN)
        return fail(diag, off, CDC_ERR_WT_LENGTH,
                    n ? "frame length above 2^53-1" : "frame length is zero");
    if (n > d->max_payload)
        return fail(diag, off, CDC_ERR_TOO_LARGE, "frame length above max_payload");
    d->want = n;
    cdc_buf_reset(&d->body);
    return CDC_OK;
}

/* Consumes header bytes from |in| at |*used|. */
static int take_header(struct wt_decoder *d, const uint8_t *in, size_t len, size_t *used,
                       struct cdc_diag *diag)
{
    if (d->hdr_need == 0) {
        uint8_t b = in[(*used)++];
        uint8_t l7 = b & 0x7F;
        d->hdr[0] = b;
        d->hdr_len = 1;
        d->hdr_need = l7 < 126 ? 1 : l7 == 126 ? 3 : 9;
        d->binary = (b & 0x80) != 0;
    }
    while (d->hdr_len < d->hdr_need && *used < len)
        d->hdr[d->hdr_len++] = in[(*used)++];
    return in_payload(d) ? header_done(d, *used - 1, diag) : CDC_OK;
}

/* Consumes payload bytes; returns 1 when the frame is complete. */
static int take_payload(struct wt_decoder *d, const uint8_t *in, size_t len, size_t *used,
                        struct wt_frame *out)
{
    size_t avail = len - *used;
    if (d->body.len == 0 && avail >= d->want) {
        out->payload.p = in + *used;
        out->payload.len = (size_t)d->want;
        *used += (size_t)d->want;
    } else {
        size_t need = (size_t)d->want - d->body.len;
        size_t take = avail < need ? avail : need;
        int rc = cdc_buf_append(&d->body, in + *used, take);
        if (rc != CDC_OK)
            return rc;
        *used += take;
        if (d->body.len < d->want)
            return 0;
        out->payload.p = d->body.p;
        out->payload.len = d->body.len;
    }
    out->binary = d->binary;
    d->hdr_len = 0;
    d->hdr_need = 0;
    return 1;
}

int wt_decoder_feed(struct wt_decoder *d, const uint8_t *in, size_t len, size_t *consumed,
                    struct wt_frame *out, struct cdc_diag *diag)
{
    size_t used = 0;
    int rc = d->err;
    *consumed = 0;
    if (rc)
        return fail(diag, 0, rc, "decoder already failed; reset it");
    if (!in && len)
        return fail(diag, 0, CDC_ERR_INVALID_ARG, "no input");
    while (used < len && rc == 0) {
        if (!in_payload(d))
            rc = take_header(d, in, len, &used, diag);
        if (rc == 0 && in_payload(d) && used < len) {
            rc = take_payload(d, in, len, &used, out);
            if (rc < 0)
                fail(diag, used, rc, "cannot buffer the frame payload");
        }
    }
    *consumed = used;
    if (rc < 0)
        d->err = rc;
    return rc;
}

size_t wt_header_encode(bool binary, uint64_t len, uint8_t hdr[WT_HEADER_MAX])
{
    uint8_t x = binary ? 0x80 : 0;
    if (len == 0 || len > WT_MAX_LEN)
        return 0;
    if (len < 126) {
        hdr[0] = (uint8_t)(x | len);
        return 1;
    }
    size_t n = len < 65536 ? 2 : 8;
    hdr[0] = (uint8_t)(x | (n == 2 ? 126 : 127));
    for (size_t i = 0; i < n; i++)
        hdr[n - i] = (uint8_t)(len >> (8 * i));
    return n + 1;
}

int wt_frame_encode(bool binary, const uint8_t *payload, size_t len, struct cdc_buf *out)
{
    uint8_t hdr[WT_HEADER_MAX];
    size_t h = wt_header_encode(binary, len, hdr);
    if (h == 0)
        return CDC_ERR_WT_LENGTH;
    if (!payload || len > SIZE_MAX - h)
        return !payload ? CDC_ERR_INVALID_ARG : CDC_ERR_TOO_LARGE;
    uint8_t *dst;
    int rc = cdc_buf_reserve(out, h + len, &dst);
    if (rc != CDC_OK)
        return rc;
    memcpy(dst, hdr, h);
    memcpy(dst + h, payload, len);
    out->len += h + len;
    return CDC_OK;
}
