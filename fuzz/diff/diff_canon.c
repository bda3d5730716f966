/*
 * diff_canon.c - the codec's side of the differential check: decodes a fuzz
 * input in compat mode with the default limits and prints the result in
 * oracle.js's canonical event format (see oracle.js for the grammar).
 *
 * It mirrors what a server built on the codec would do with the same
 * bytes: text is decoded from UTF-8 the way Node does (replacement
 * characters), a Socket.IO decoder stops at its first error until a reset,
 * and Engine.IO messages without data never reach Socket.IO.
 */
#include "diff.h"

#include <string.h>

#include "codec/eio.h"
#include "codec/sio.h"

#define CK(x)                                                                                      \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_ != CDC_OK)                                                                         \
            return rc_;                                                                            \
    } while (0)

static const char *const names[] = {"",           "eio_packet", "eio_payload_v4", "eio_payload_v3",
                                    "sio_packet", "sio_decoder"};

int df_layer_from_name(const char *name)
{
    for (int i = 1; i <= DF_SIO_DECODER; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return 0;
}

const char *df_layer_name(int layer)
{
    return layer >= 1 && layer <= DF_SIO_DECODER ? names[layer] : "?";
}

static void opts_for(unsigned flags, struct cdc_opts *o)
{
    cdc_opts_init(o);
    o->mode = CDC_COMPAT;
    o->eio_version = (flags & 1u) ? 3 : 4;
    o->sio_version = (flags & 1u) ? 4 : 5;
}

static int err_line(int rc, struct cdc_buf *out)
{
    CK(cdc_buf_append_str(out, "ERR "));
    return cdc_buf_append_str(out, cdc_err_name(rc));
}

static int eio_event(const struct eio_packet *p, struct cdc_buf *out)
{
    CK(cdc_buf_append_str(out, "E "));
    CK(cdc_buf_append_u64(out, (uint64_t)p->type));
    CK(cdc_buf_append_str(out, p->binary ? " b " : " t "));
    if (p->binary)
        return df_hex(p->data.p, p->data.len, out);
    struct cdc_buf norm;
    cdc_buf_init(&norm, SIZE_MAX / 4, NULL);
    int rc = df_utf8_normalize(p->data.p, p->data.len, &norm);
    if (rc == CDC_OK)
        rc = df_hex(norm.p, norm.len, out);
    cdc_buf_free(&norm);
    return rc;
}

static int layer_eio_packet(unsigned flags, const uint8_t *in, size_t n, struct cdc_buf *out)
{
    struct cdc_opts o;
    opts_for(flags, &o);
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SIZE_MAX / 4, NULL);
    struct eio_packet p;
    int rc = (flags & 4u) ? eio_packet_decode_binary(&o, in, n, &p, NULL)
                          : eio_packet_decode_text(&o, in, n, &scratch, &p, NULL);
    rc = rc == CDC_OK ? eio_event(&p, out) : err_line(rc, out);
    cdc_buf_free(&scratch);
    return rc;
}

static int layer_payload(unsigned flags, bool v3, const uint8_t *in, size_t n, struct cdc_buf *out)
{
    struct cdc_opts o;
    opts_for(v3 ? flags | 1u : flags & ~1u, &o);
    enum eio_payload_kind kind = v3 && (flags & 4u) ? EIO_PAYLOAD_BINARY : EIO_PAYLOAD_TEXT;
    struct eio_payload_iter it;
    eio_payload_iter_init(&it, &o, in, n, kind);
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SIZE_MAX / 4, NULL);
    struct eio_packet p;
    int rc, out_rc = CDC_OK;
    for (size_t k = 0; out_rc == CDC_OK && k <= n + 1; k++) {
        rc = eio_payload_next(&it, &scratch, &p, NULL);
        if (k)
            out_rc = cdc_buf_append_byte(out, '\n');
        if (out_rc != CDC_OK)
            break;
        if (rc != 1) {
            out_rc = rc == 0 ? cdc_buf_append_str(out, "END") : err_line(rc, out);
            break;
        }
        out_rc = eio_event(&p, out);
    }
    cdc_buf_free(&scratch);
    return out_rc;
}

static int sio_event(const struct cdc_opts *o, const struct sio_message *m, struct cdc_buf *out)
{
    const struct sio_packet *p = &m->pkt;
    int type = p->type == SIO_BINARY_EVENT ? 2 : p->type == SIO_BINARY_ACK ? 3 : (int)p->type;
    CK(cdc_buf_append_str(out, "S "));
    CK(cdc_buf_append_u64(out, (uint64_t)type));
    CK(cdc_buf_append_byte(out, ' '));
    CK(df_text_json(p->nsp.p, p->nsp.len, out));
    CK(cdc_buf_append_byte(out, ' '));
    CK(p->has_id ? cdc_buf_append_u64(out, p->id) : cdc_buf_append_byte(out, '-'));
    CK(cdc_buf_append_byte(out, ' '));
    if (p->data.len == 0)
        return cdc_buf_append_byte(out, '-');
    if (m->n_attachments == 0)
        return df_json_canon(p->data.p, p->data.len, out);
    struct cdc_buf json;
    cdc_buf_init(&json, SIZE_MAX / 4, NULL);
    int rc = sio_binary_reconstruct_json(o, m, &json);
    if (rc == CDC_OK)
        rc = df_json_canon(json.p, json.len, out);
    else
        rc = cdc_buf_append_str(out, "RECONSTRUCT-FAILED");
    cdc_buf_free(&json);
    return rc;
}

struct session {
    struct cdc_opts o;
    struct sio_decoder *d;
    bool failed;
    size_t events;
};

static int next_line(struct session *s, struct cdc_buf *out)
{
    return s->events++ ? cdc_buf_append_byte(out, '\n') : CDC_OK;
}

static int feed(struct session *s, bool bin, const uint8_t *p, size_t n, struct cdc_buf *out)
{
    if (s->failed)
        return CDC_OK; /* the connection is closed after an error */
    struct sio_message m;
    int rc = sio_decoder_feed(s->d, bin, p, n, &m, NULL);
    CK(next_line(s, out));
    if (rc == SIO_DEC_PACKET)
        return sio_event(&s->o, &m, out);
    if (rc == SIO_DEC_PENDING)
        return cdc_buf_append_str(out, "PENDING");
    s->failed = true;
    return err_line(rc, out);
}

/* Engine.IO framing: false when the message does not reach Socket.IO. */
static bool unwrap(const struct session *s, bool *bin, struct cdc_span *part,
                   struct cdc_buf *scratch)
{
    struct eio_packet e;
    int rc = *bin ? eio_packet_decode_binary(&s->o, part->p, part->len, &e, NULL)
                  : eio_packet_decode_text(&s->o, part->p, part->len, scratch, &e, NULL);
    if (rc != CDC_OK || e.type != EIO_MESSAGE || (!e.binary && e.data.len == 0))
        return false;
    *bin = e.binary;
    *part = e.data;
    return true;
}

static int layer_sio_packet(struct session *s, unsigned flags, struct cdc_span msg,
                            struct cdc_buf *out)
{
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SIZE_MAX / 4, NULL);
    bool bin = false;
    int rc;
    if ((flags & 4u) && (!unwrap(s, &bin, &msg, &scratch) || bin))
        rc = cdc_buf_append_str(out, "SKIP");
    else
        rc = feed(s, false, msg.p, msg.len, out);
    cdc_buf_free(&scratch);
    return rc;
}

static int run_part(struct session *s, unsigned flags, struct cdc_span part, struct cdc_buf *out,
                    struct cdc_buf *scratch)
{
    uint8_t op = part.len ? part.p[0] : 't';
    struct cdc_span msg = {part.len ? part.p + 1 : part.p, part.len ? part.len - 1 : 0};
    if (op == 'r' || op == 'n') {
        sio_decoder_reset(s->d);
        s->failed = false;
        CK(next_line(s, out));
        return cdc_buf_append_byte(out, 'R');
    }
    bool bin = op == 'b';
    if ((flags & 4u) && !unwrap(s, &bin, &msg, scratch))
        return CDC_OK;
    return feed(s, bin, msg.p, msg.len, out);
}

static int layer_sio_decoder(struct session *s, unsigned flags, const uint8_t *in, size_t n,
                             struct cdc_buf *out)
{
    static const uint8_t sep[4] = {0xfe, 0xfd, 0xfc, 0xfb};
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SIZE_MAX / 4, NULL);
    int rc = CDC_OK;
    size_t start = 0;
    for (size_t i = 0; rc == CDC_OK && i <= n; i++) {
        if (i < n && !(i + 4 <= n && memcmp(in + i, sep, 4) == 0))
            continue;
        struct cdc_span part = {in + start, i - start};
        cdc_buf_reset(&scratch);
        rc = run_part(s, flags, part, out, &scratch);
        start = i + 4;
        i += 3;
    }
    cdc_buf_free(&scratch);
    return rc;
}

int df_canon(int layer, const uint8_t *in, size_t n, struct cdc_buf *out)
{
    if (n < 1)
        return cdc_buf_append_str(out, "BADREQ");
    unsigned flags = in[0];
    const uint8_t *p = in + 1;
    size_t len = n - 1;
    if (layer == DF_EIO_PACKET)
        return layer_eio_packet(flags, p, len, out);
    if (layer == DF_EIO_PAYLOAD_V4 || layer == DF_EIO_PAYLOAD_V3)
        return layer_payload(flags, layer == DF_EIO_PAYLOAD_V3, p, len, out);
    struct session s = {.failed = false};
    opts_for(flags, &s.o);
    CK(sio_decoder_new(&s.d, &s.o, NULL));
    int rc = layer == DF_SIO_PACKET ? layer_sio_packet(&s, flags, (struct cdc_span){p, len}, out)
                                    : layer_sio_decoder(&s, flags, p, len, out);
    sio_decoder_del(s.d);
    return rc;
}
