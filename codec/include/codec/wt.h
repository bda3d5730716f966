/*
 * wt.h - WebTransport stream framing of Engine.IO v4.1.
 *
 * Each Engine.IO packet on the bidirectional stream is a header then a
 * payload. Header: 1 byte (x + 7-bit length, L <= 125), 3 bytes (x1111110 +
 * 16-bit big-endian L, 126 <= L <= 65535) or 9 bytes (x1111111 + 64-bit
 * big-endian L). x, the top bit, is 1 for binary payloads (raw bytes,
 * message implied) and 0 for text (type digit + data). A declared length of
 * 0, above max_payload, or above 2^53-1 is an error.
 *
 * The decoder is incremental: feed any split of the stream and get the same
 * frames. It copies a partial payload into its own buffer, bounded by
 * max_payload.
 */
#ifndef CODEC_WT_H
#define CODEC_WT_H

#include "codec/cdc.h"

#define WT_HEADER_MAX 9

struct wt_frame {
    bool binary;
    struct cdc_span payload; /* points into the fed input or the decoder's buffer */
};

struct wt_decoder {
    const struct cdc_mem *mem; /* borrowed */
    size_t max_payload;
    uint8_t hdr[WT_HEADER_MAX];
    size_t hdr_len;
    size_t hdr_need;
    uint64_t want; /* payload length of the current frame */
    bool binary;
    struct cdc_buf body;
    int err; /* sticky */
};

/* Initialises |d| with |o|'s max_payload; borrows |mem| (NULL = libc). */
void wt_decoder_init(struct wt_decoder *d, const struct cdc_opts *o, const struct cdc_mem *mem);
/* Frees the decoder's buffer. */
void wt_decoder_free(struct wt_decoder *d);
/* Back to the just-initialised state (clears a sticky error). */
void wt_decoder_reset(struct wt_decoder *d);

/* Consumes bytes from |in|. Returns 1 when a frame is complete (in |out|,
 * valid until the next call), 0 when all input was consumed without
 * completing one, or a negative cdc_err (CDC_ERR_WT_LENGTH, CDC_ERR_TOO_LARGE,
 * CDC_ERR_NOMEM; sticky until reset). |*consumed| says how many bytes of |in|
 * were used; call again with the rest. */
int wt_decoder_feed(struct wt_decoder *d, const uint8_t *in, size_t len, size_t *consumed,
                    struct wt_frame *out, struct cdc_diag *diag);

/* Writes the header for a payload of |len| bytes into |hdr|; returns its
 * size (1, 3 or 9), or 0 when |len| is 0 or above 2^53-1. */
size_t wt_header_encode(bool binary, uint64_t len, uint8_t hdr[WT_HEADER_MAX]);

/* Appends header + payload to |out|. Returns CDC_OK, CDC_ERR_WT_LENGTH,
 * CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM. */
int wt_frame_encode(bool binary, const uint8_t *payload, size_t len, struct cdc_buf *out);

#endif
