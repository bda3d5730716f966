/*
 * eio_th.h - helpers shared by the Engine.IO test files: one-line packet
 * transcripts, payload transcripts and row checks in both decode modes.
 */
#ifndef CODEC_TESTS_EIO_TH_H
#define CODEC_TESTS_EIO_TH_H

#include "helpers.h"

#include "codec/eio.h"

#define EIO_TH_LINE 2048

/* Options for revision |ver| in |mode|, default limits. */
struct cdc_opts eio_th_opts(int ver, enum cdc_mode mode);

/* Appends "type=<name> text=\"...\"" or "... bin=<hex>", plus
 * " quirks=<names>" when any, to |out| (NUL-terminated, size |cap|). */
void eio_th_packet(const struct eio_packet *p, char *out, size_t cap);

/* Appends "error <ERR_NAME>" for |rc|. */
void eio_th_error(int rc, char *out, size_t cap);

/* Decodes a whole payload: packet lines joined by " | ", then "end" or
 * "error <NAME>"; " iter-quirks=<names>" follows when the iterator recorded
 * quirks no returned packet carries. */
void eio_th_payload(const struct cdc_opts *o, const uint8_t *in, size_t len,
                    enum eio_payload_kind kind, char *out, size_t cap);

/* Decodes a whole payload strictly into |pk| (at most |max| packets),
 * copying each packet's data into |store| so that all stay valid. Returns
 * the packet count, or a negative cdc_err. */
int eio_th_collect(const struct cdc_opts *o, const uint8_t *in, size_t len,
                   enum eio_payload_kind kind, struct eio_packet *pk, size_t max, uint8_t *store,
                   size_t cap);

/* Checks encode(decode(w)) == w for a payload the decoder accepts, and
 * that decoding the encoding gives the same packets. */
/* eio_payload_encode with its arguments in one place, for
 * th_failing_appends. */
struct eio_th_payload_call {
    const struct cdc_opts *o;
    const struct eio_packet *pkts;
    size_t n;
    enum eio_payload_kind kind;
};
int eio_th_encode_payload(void *ctx, struct cdc_buf *b);

void eio_th_reencode(const char *what, const struct cdc_opts *o, const uint8_t *in, size_t len,
                     enum eio_payload_kind kind);

/* Compares a transcript with the expectation, printing both on mismatch. */
int eio_th_same(const char *what, const char *want, const char *got);

#endif
