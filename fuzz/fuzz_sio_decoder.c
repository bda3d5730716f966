/*
 * fuzz_sio_decoder.c - the Socket.IO reconstruction state machine, driven
 * by an opcode stream (stateful API fuzzing, fuzzing-notes §2.1.5).
 *
 * Input: flag byte, then parts separated by FZ_SEP. A part's first byte is
 * its opcode: 'b' feeds the rest as a binary message, 'r' resets the
 * decoder, 'n' deletes it and creates a new one; any other byte feeds the
 * rest as a text message. FZ_OLD selects protocol v4, FZ_COMPAT compat
 * mode. With FZ_ALT the messages are Engine.IO WebSocket messages (text
 * "451-[...]", "bAQID"; binary raw, v3 with its type byte) and only
 * Engine.IO messages reach the decoder, as in the harness.
 *
 * Oracle: a reference model built from sio_packet_decode predicts each
 * feed's result (packet, pending, the decode error, unexpected binary or
 * text, sticky CDC_ERR_STATE); completed binary packets must carry exactly
 * the attachments fed, in order; placeholders must resolve (P1 over
 * reconstruct -> deconstruct -> reconstruct); the decoder's live memory is
 * bounded (P5: CVE-2026-33151/69185 accumulation) and nothing leaks.
 */
#include "fuzz_common.h"

#include <string.h>

#define MEM_BOUND ((FZ_LIM_ATTACHMENTS + 3u) * (FZ_LIM_PAYLOAD + 256u) + 16384u)

struct model {
    struct cdc_opts o;
    struct fz_countmem mem;
    struct sio_decoder *d;
    bool err, pending;
    struct sio_packet hdr;   /* header of the pending binary packet */
    struct cdc_buf hdr_text; /* its text, so |hdr| spans stay valid */
    struct fz_pkts bins;     /* attachments fed so far */
};

static void check_binary_roundtrip(const struct cdc_opts *o, const struct sio_message *m)
{
    struct cdc_buf j1, j2, bytes, j3;
    cdc_buf_init(&j1, 64 * FZ_LIM_PAYLOAD, NULL);
    cdc_buf_init(&j2, 64 * FZ_LIM_PAYLOAD, NULL);
    cdc_buf_init(&bytes, 64 * FZ_LIM_PAYLOAD, NULL);
    cdc_buf_init(&j3, 64 * FZ_LIM_PAYLOAD, NULL);
    FZ_CHECK(sio_binary_reconstruct_json(o, m, &j1) == CDC_OK, "reconstruct of a packet");
    struct sio_packet q = m->pkt;
    q.type = q.type == SIO_BINARY_ACK || q.type == SIO_ACK ? SIO_ACK : SIO_EVENT;
    q.attachments = 0;
    q.data = (struct cdc_span){j1.p, j1.len};
    struct sio_attachments atts = {.bytes = &bytes};
    if (sio_binary_deconstruct(o, &q, &j2, &atts) == CDC_OK && atts.n > 0) {
        struct sio_message m2 = {.pkt = q, .n_attachments = atts.n, .attachments = atts.at};
        FZ_CHECK(sio_binary_reconstruct_json(o, &m2, &j3) == CDC_OK, "P1: reconstruct again");
        struct cdc_span a = {j1.p, j1.len}, b = {j3.p, j3.len};
        FZ_CHECK(fz_span_eq(a, b), "P1: reconstruct/deconstruct/reconstruct differs");
    }
    cdc_buf_free(&j1);
    cdc_buf_free(&j2);
    cdc_buf_free(&bytes);
    cdc_buf_free(&j3);
}

static void check_complete(struct model *md, const struct sio_message *m)
{
    fz_check_sio_packet(&md->o, &m->pkt);
    FZ_CHECK(m->n_attachments == md->bins.n, "attachment count differs from binaries fed");
    for (size_t i = 0; i < m->n_attachments; i++) {
        struct eio_packet b = fz_pkts_get(&md->bins, i);
        FZ_CHECK(fz_span_eq(m->attachments[i], b.data), "attachment bytes differ");
    }
    if (m->n_attachments)
        check_binary_roundtrip(&md->o, m);
}

static void clear_bins(struct model *md)
{
    fz_pkts_free(&md->bins);
    fz_pkts_init(&md->bins);
}

static void set_error(struct model *md)
{
    md->err = true;
    md->pending = false;
    clear_bins(md);
}

static void feed_text(struct model *md, const uint8_t *in, size_t n)
{
    struct sio_packet ref;
    int want = sio_packet_decode(&md->o, in, n, &ref, NULL);
    struct sio_message m;
    struct cdc_diag dg = fz_diag();
    int rc = sio_decoder_feed(md->d, false, in, n, &m, &dg);
    fz_check_rc(rc, &dg, n);
    if (md->err) {
        FZ_CHECK(rc == CDC_ERR_STATE, "error not sticky");
        return;
    }
    if (md->pending) {
        FZ_CHECK(rc == CDC_ERR_SIO_UNEXPECTED_TEXT, "text while pending not rejected");
        set_error(md);
        return;
    }
    if (want != CDC_OK) {
        FZ_CHECK(rc == want, "decoder and sio_packet_decode disagree on a bad packet");
        set_error(md);
        return;
    }
    if (ref.attachments == 0) {
        FZ_CHECK(rc == SIO_DEC_PACKET, "plain packet not delivered");
        FZ_CHECK(fz_sio_eq(&ref, &m.pkt), "delivered packet differs from sio_packet_decode");
        check_complete(md, &m);
        return;
    }
    FZ_CHECK(rc == SIO_DEC_PENDING || rc == CDC_ERR_SIO_PLACEHOLDER, "binary header not pending");
    if (rc != SIO_DEC_PENDING) {
        set_error(md);
        return;
    }
    md->pending = true;
    cdc_buf_reset(&md->hdr_text);
    FZ_CHECK(cdc_buf_append(&md->hdr_text, in, n) == CDC_OK, "harness buffer");
    FZ_CHECK(sio_packet_decode(&md->o, md->hdr_text.p, n, &md->hdr, NULL) == CDC_OK, "redecode");
    clear_bins(md);
}

static size_t bins_bytes(const struct model *md)
{
    return md->bins.bytes.len;
}

static void feed_binary(struct model *md, const uint8_t *in, size_t n)
{
    struct sio_message m;
    struct cdc_diag dg = fz_diag();
    int rc = sio_decoder_feed(md->d, true, in, n, &m, &dg);
    fz_check_rc(rc, &dg, n);
    if (md->err) {
        FZ_CHECK(rc == CDC_ERR_STATE, "error not sticky");
        return;
    }
    if (!md->pending) {
        FZ_CHECK(rc == CDC_ERR_SIO_UNEXPECTED_BINARY, "binary without header not rejected");
        set_error(md);
        return;
    }
    if (rc == CDC_ERR_TOO_LARGE) {
        FZ_CHECK(n > md->o.lim.max_payload || bins_bytes(md) + n > md->o.lim.max_payload,
                 "attachment rejected as too large below the limit");
        set_error(md);
        return;
    }
    struct eio_packet b = {.type = EIO_MESSAGE, .binary = true, .data = {in, n}};
    fz_pkts_push(&md->bins, &b);
    if (md->bins.n < md->hdr.attachments) {
        FZ_CHECK(rc == SIO_DEC_PENDING, "attachment missing but not pending");
        return;
    }
    FZ_CHECK(rc == SIO_DEC_PACKET || rc == CDC_ERR_SIO_PLACEHOLDER, "last attachment: no packet");
    md->pending = false;
    if (rc != SIO_DEC_PACKET) {
        set_error(md);
        return;
    }
    FZ_CHECK(fz_span_eq(m.pkt.nsp, md->hdr.nsp) && fz_span_eq(m.pkt.data, md->hdr.data) &&
                 m.pkt.has_id == md->hdr.has_id && m.pkt.id == md->hdr.id,
             "completed packet differs from its header");
    check_complete(md, &m);
    clear_bins(md);
}

static void op_reset(struct model *md, bool recreate)
{
    if (recreate) {
        sio_decoder_del(md->d);
        FZ_CHECK(md->mem.live_blocks == 0, "sio_decoder_del leaked memory");
        FZ_CHECK(sio_decoder_new(&md->d, &md->o, &md->mem.mem) == CDC_OK, "decoder_new");
    } else {
        sio_decoder_reset(md->d);
    }
    md->err = false;
    md->pending = false;
    clear_bins(md);
}

/* With FZ_ALT: unwraps an Engine.IO message; false when none reaches SIO. */
static bool unwrap(struct model *md, bool *bin, struct cdc_span *s, struct cdc_buf *scratch)
{
    struct eio_packet e;
    int rc = *bin ? eio_packet_decode_binary(&md->o, s->p, s->len, &e, NULL)
                  : eio_packet_decode_text(&md->o, s->p, s->len, scratch, &e, NULL);
    if (rc != CDC_OK || e.type != EIO_MESSAGE)
        return false;
    *bin = e.binary;
    *s = e.data;
    return true;
}

static void run_part(struct model *md, struct cdc_span part, bool eio, struct cdc_buf *scratch)
{
    uint8_t op = part.len ? part.p[0] : 't';
    struct cdc_span s = {part.len ? part.p + 1 : part.p, part.len ? part.len - 1 : 0};
    if (op == 'r' || op == 'n') {
        op_reset(md, op == 'n');
        return;
    }
    bool bin = op == 'b';
    if (eio && !unwrap(md, &bin, &s, scratch))
        return;
    if (bin)
        feed_binary(md, s.p, s.len);
    else
        feed_text(md, s.p, s.len);
    if (!md->err)
        FZ_CHECK(sio_decoder_pending(md->d) == md->pending, "sio_decoder_pending wrong");
    FZ_CHECK(md->mem.live_bytes <= MEM_BOUND, "decoder memory above the bound (P5)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct model md = {0};
    fz_opts(data[0], &md.o);
    fz_countmem_init(&md.mem);
    cdc_buf_init(&md.hdr_text, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    fz_pkts_init(&md.bins);
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, 4 * FZ_LIM_PAYLOAD + 64, NULL);
    FZ_CHECK(sio_decoder_new(&md.d, &md.o, &md.mem.mem) == CDC_OK, "sio_decoder_new");
    size_t pos = 0;
    struct cdc_span part;
    while (fz_next_part(data + 1, size - 1, &pos, &part))
        run_part(&md, part, (data[0] & FZ_ALT) != 0, &scratch);
    sio_decoder_del(md.d);
    FZ_CHECK(md.mem.live_blocks == 0, "sio_decoder_del leaked memory");
    cdc_buf_free(&md.hdr_text);
    cdc_buf_free(&scratch);
    fz_pkts_free(&md.bins);
    return 0;
}
