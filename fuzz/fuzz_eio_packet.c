/*
 * fuzz_eio_packet.c - one Engine.IO packet received as a WebSocket message.
 *
 * Input: flag byte, then the message bytes. FZ_OLD selects revision 3,
 * FZ_COMPAT compat mode, FZ_ALT a binary message (clear: a text message).
 *
 * Oracles (fuzzing-notes §2.2):
 *  - every return is CDC_OK or a known cdc_err with its diag filled;
 *  - decoded packets satisfy fz_check_eio_packet and their data lies in the
 *    input or the scratch buffer;
 *  - P1: encode(WS framing) then decode gives the same packet, and so does
 *    a one-packet polling payload (encode, iterate);
 *  - mode consistency: what strict accepts, compat accepts identically; what
 *    compat accepts without naming a quirk, strict accepts identically.
 */
#include "fuzz_common.h"

static int decode(const struct cdc_opts *o, bool bin, const uint8_t *in, size_t n,
                  struct cdc_buf *scratch, struct eio_packet *out, struct cdc_diag *d)
{
    if (bin)
        return eio_packet_decode_binary(o, in, n, out, d);
    return eio_packet_decode_text(o, in, n, scratch, out, d);
}

static void roundtrip_ws(const struct cdc_opts *o, const struct eio_packet *p)
{
    struct cdc_buf enc, scratch;
    cdc_buf_init(&enc, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    cdc_buf_init(&scratch, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    int rc = eio_packet_encode(o, p, EIO_FRAMING_WS, &enc);
    FZ_CHECK(rc == CDC_OK || rc == CDC_ERR_TOO_LARGE, "encoding a decoded packet failed");
    if (rc == CDC_OK) {
        struct eio_packet q;
        struct cdc_diag d = fz_diag();
        rc = decode(o, p->binary, enc.p, enc.len, &scratch, &q, &d);
        FZ_CHECK(rc == CDC_OK, "P1: the WS encoding of a decoded packet does not decode");
        FZ_CHECK(fz_eio_eq(p, &q), "P1: WS re-decode differs");
    }
    cdc_buf_free(&enc);
    cdc_buf_free(&scratch);
}

static void roundtrip_polling(const struct cdc_opts *o, const struct eio_packet *p)
{
    struct cdc_buf enc, scratch;
    cdc_buf_init(&enc, 8 * FZ_LIM_PAYLOAD + 64, NULL);
    cdc_buf_init(&scratch, 8 * FZ_LIM_PAYLOAD + 64, NULL);
    int rc = eio_payload_encode(o, p, 1, EIO_PAYLOAD_TEXT, &enc);
    FZ_CHECK(rc == CDC_OK || rc == CDC_ERR_TOO_LARGE || rc == CDC_ERR_INVALID_ARG,
             "payload encoding of a decoded packet failed");
    if (rc == CDC_OK && enc.len <= o->lim.max_payload) {
        struct eio_payload_iter it;
        struct eio_packet q;
        eio_payload_iter_init(&it, o, enc.p, enc.len, EIO_PAYLOAD_TEXT);
        rc = eio_payload_next(&it, &scratch, &q, NULL);
        FZ_CHECK(rc == 1, "P1: one-packet polling payload does not decode");
        FZ_CHECK(fz_eio_eq(p, &q), "P1: polling re-decode differs");
        FZ_CHECK(eio_payload_next(&it, &scratch, &q, NULL) == 0, "P1: extra polling packet");
    }
    cdc_buf_free(&enc);
    cdc_buf_free(&scratch);
}

static void check_other_mode(const struct cdc_opts *o, bool bin, const uint8_t *in, size_t n,
                             int rc, const struct eio_packet *p)
{
    struct cdc_opts o2 = *o;
    o2.mode = o->mode == CDC_STRICT ? CDC_COMPAT : CDC_STRICT;
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    struct eio_packet q;
    int rc2 = decode(&o2, bin, in, n, &scratch, &q, NULL);
    if (o->mode == CDC_STRICT && rc == CDC_OK) {
        FZ_CHECK(rc2 == CDC_OK, "strict accepts but compat rejects");
        FZ_CHECK(fz_eio_eq(p, &q), "strict and compat decode differently");
    }
    if (o->mode == CDC_COMPAT && rc == CDC_OK && p->quirks == 0) {
        FZ_CHECK(rc2 == CDC_OK, "compat accepts with no quirk named but strict rejects");
        FZ_CHECK(fz_eio_eq(p, &q), "compat (no quirk) and strict decode differently");
    }
    cdc_buf_free(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    bool bin = (flags & FZ_ALT) != 0;
    struct cdc_opts o;
    fz_opts(flags, &o);
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    struct eio_packet p;
    struct cdc_diag d = fz_diag();
    int rc = decode(&o, bin, in, n, &scratch, &p, &d);
    fz_check_rc(rc, &d, n);
    FZ_CHECK(rc <= 0, "whole-message decoder returned a positive value");
    if (rc == CDC_OK) {
        fz_check_eio_packet(&o, &p);
        FZ_CHECK(fz_within2(p.data, in, n, &scratch), "data span outside input and scratch");
        if (n > o.lim.max_payload)
            FZ_CHECK(0, "accepted a message above max_payload");
        roundtrip_ws(&o, &p);
        roundtrip_polling(&o, &p);
    }
    check_other_mode(&o, bin, in, n, rc, &p);
    cdc_buf_free(&scratch);
    return 0;
}
