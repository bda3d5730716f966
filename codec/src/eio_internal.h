/*
 * eio_internal.h - private: the Engine.IO text packet decoder shared by the
 * packet and payload modules.
 *
 * One decoder serves three sources that differ in what the reference
 * accepts: a WebSocket text message, one segment of a polling text payload,
 * and a string entry of a v3 XHR2 binary payload (which the reference turns
 * into text with its own UTF-8 decoder).
 */
#ifndef CODEC_EIO_INTERNAL_H
#define CODEC_EIO_INTERNAL_H

#include "codec/eio.h"

enum eio_src {
    EIO_SRC_WS = 0,      /* WebSocket (or WebTransport) text message */
    EIO_SRC_POLLING = 1, /* segment of a v4 or v3 text payload */
    EIO_SRC_XHR2 = 2,    /* string entry of a v3 XHR2 binary payload */
};

/* Where a packet comes from and where its errors are reported. */
struct eio_dec {
    const struct cdc_opts *o; /* borrowed */
    enum eio_src src;
    struct cdc_buf *scratch; /* borrowed; base64 output, may be NULL */
    struct cdc_diag *diag;   /* may be NULL */
    size_t base;             /* offset of the packet in the whole input */
    bool utf8_known;         /* the caller found the packet well-formed UTF-8 */
};

/* Decodes one text packet of |len| bytes at |in| (see eio_packet_decode_text
 * for the contract). */
int eio_text_decode(const struct eio_dec *d, const uint8_t *in, size_t len, struct eio_packet *out);

/* Records a failure at |off| (relative to d->base) and returns |err|. */
int eio_fail(const struct eio_dec *d, size_t off, int err, const char *why);

/* True when |o| names a supported revision (3 or 4). */
bool eio_version_ok(const struct cdc_opts *o);

#endif
