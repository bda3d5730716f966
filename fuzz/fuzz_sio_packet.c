/*
 * fuzz_sio_packet.c - one Socket.IO text packet.
 *
 * Input: flag byte, then the packet. FZ_OLD selects protocol v4 (over
 * Engine.IO v3), FZ_COMPAT compat mode. With FZ_ALT the bytes are a whole
 * Engine.IO WebSocket text message ("42[...]"): it must decode as a
 * message, and its data is the Socket.IO packet (the harness's path).
 *
 * Oracles:
 *  - known error codes with diag; decoded packets pass fz_check_sio_packet
 *    (limits P5, validation, JSON depth) and their spans lie in the input
 *    (the namespace may be the static "/");
 *  - P1: encode then decode gives the same packet;
 *  - mode consistency (see fuzz_eio_packet.c).
 */
#include "fuzz_common.h"

#include <string.h>

static void roundtrip(const struct cdc_opts *o, const struct sio_packet *p)
{
    struct cdc_buf enc;
    cdc_buf_init(&enc, 2 * FZ_LIM_PAYLOAD + 128, NULL);
    int rc = sio_packet_encode(o, p, &enc);
    FZ_CHECK(rc == CDC_OK || rc == CDC_ERR_TOO_LARGE, "encoding a decoded packet failed");
    if (rc == CDC_OK) {
        struct sio_packet q;
        struct cdc_diag d = fz_diag();
        rc = sio_packet_decode(o, enc.p, enc.len, &q, &d);
        FZ_CHECK(rc == CDC_OK, "P1: the encoding of a decoded packet does not decode");
        FZ_CHECK(fz_sio_eq(p, &q), "P1: re-decode differs");
    }
    cdc_buf_free(&enc);
}

static void other_mode(const struct cdc_opts *o, const uint8_t *in, size_t n, int rc,
                       const struct sio_packet *p)
{
    if (rc != CDC_OK || (o->mode == CDC_COMPAT && p->quirks != 0))
        return;
    struct cdc_opts o2 = *o;
    o2.mode = o->mode == CDC_STRICT ? CDC_COMPAT : CDC_STRICT;
    struct sio_packet q;
    int rc2 = sio_packet_decode(&o2, in, n, &q, NULL);
    FZ_CHECK(rc2 == CDC_OK, "one mode accepts (no quirk named), the other rejects");
    FZ_CHECK(fz_sio_eq(p, &q), "strict and compat decode differently");
}

/* Unwraps an Engine.IO text message; false when it is not a text message. */
static bool unwrap(const struct cdc_opts *o, const uint8_t **in, size_t *n, struct cdc_buf *s)
{
    struct eio_packet e;
    if (eio_packet_decode_text(o, *in, *n, s, &e, NULL) != CDC_OK)
        return false;
    if (e.type != EIO_MESSAGE || e.binary)
        return false;
    FZ_CHECK(fz_within(e.data, *in, *n), "text message data outside the input");
    *in = e.data.p;
    *n = e.data.len;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cdc_opts o;
    fz_opts(data[0], &o);
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, 4 * FZ_LIM_PAYLOAD, NULL);
    if ((data[0] & FZ_ALT) && !unwrap(&o, &in, &n, &scratch)) {
        cdc_buf_free(&scratch);
        return 0;
    }
    struct sio_packet p;
    struct cdc_diag d = fz_diag();
    int rc = sio_packet_decode(&o, in, n, &p, &d);
    fz_check_rc(rc, &d, n);
    FZ_CHECK(rc <= 0, "positive return");
    if (rc == CDC_OK) {
        fz_check_sio_packet(&o, &p);
        FZ_CHECK(fz_within(p.data, in, n), "data span outside the input");
        FZ_CHECK(fz_within(p.nsp, in, n) || (p.nsp.len == 1 && p.nsp.p[0] == '/'),
                 "namespace span outside the input");
        roundtrip(&o, &p);
    }
    other_mode(&o, in, n, rc, &p);
    cdc_buf_free(&scratch);
    return 0;
}
