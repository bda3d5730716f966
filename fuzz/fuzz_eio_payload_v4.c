/*
 * fuzz_eio_payload_v4.c - an Engine.IO revision 4 polling payload (HTTP
 * body): packets joined by 0x1E, binary as 'b' + base64.
 *
 * Input: flag byte, then the body. FZ_COMPAT selects compat mode; FZ_OLD
 * and FZ_ALT are ignored (the revision is fixed). The oracles are those of
 * fz_run_payload (fuzz_payload.c), plus P4: every packet of the payload,
 * sent as a WebSocket message instead, decodes to the same packet.
 */
#include "fuzz_common.h"

static void transport_equivalence(const struct cdc_opts *o, const uint8_t *in, size_t n)
{
    struct eio_payload_iter it;
    struct cdc_buf scratch, ws, scratch2;
    cdc_buf_init(&scratch, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    cdc_buf_init(&ws, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    cdc_buf_init(&scratch2, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    eio_payload_iter_init(&it, o, in, n, EIO_PAYLOAD_TEXT);
    struct eio_packet p, q;
    for (size_t k = 0; k <= n && eio_payload_next(&it, &scratch, &p, NULL) == 1; k++) {
        cdc_buf_reset(&ws);
        if (eio_packet_encode(o, &p, EIO_FRAMING_WS, &ws) != CDC_OK)
            continue;
        int rc = p.binary ? eio_packet_decode_binary(o, ws.p, ws.len, &q, NULL)
                          : eio_packet_decode_text(o, ws.p, ws.len, &scratch2, &q, NULL);
        FZ_CHECK(rc == CDC_OK, "P4: a polling packet sent over WebSocket does not decode");
        FZ_CHECK(fz_eio_eq(&p, &q), "P4: polling and WebSocket decode differently");
    }
    cdc_buf_free(&scratch);
    cdc_buf_free(&ws);
    cdc_buf_free(&scratch2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cdc_opts o;
    fz_opts(data[0] & FZ_COMPAT, &o);
    fz_run_payload(&o, EIO_PAYLOAD_TEXT, data + 1, size - 1);
    transport_equivalence(&o, data + 1, size - 1);
    return 0;
}
