/*
 * bench_codec.c - the siospec codec side of the benchmark: one decode pass
 * and one encode pass per class, and the preparation that the encoder needs.
 *
 * What a pass does, per class (every record is a complete wire message):
 *   eio4-polling, eio3-polling  eio_payload_iter_init + eio_payload_next until
 *                               the end (binary segments base64-decoded);
 *                               encode: eio_payload_encode_trusted_utf8 of
 *                               the packets (prep checks eio_payload_encode too)
 *   eio4-ws                     eio_packet_decode_text; encode: eio_packet_encode
 *   sio-small/medium/large-json eio_packet_decode_text, then
 *                               sio_packet_decode_trusted_utf8 of the message data
 *                               (its UTF-8 is checked once, by the first call);
 *                               encode: sio_packet_encode_trusted (the packets come
 *                               from the decoder; prep validates each once), then
 *                               eio_packet_encode of the result as a message
 *   sio-binary                  header and attachments through
 *                               eio_packet_decode_text/_binary and the
 *                               sio_decoder state machine; encode: the header as
 *                               above and each attachment with eio_packet_encode
 * A packet is an Engine.IO packet for the eio classes and a Socket.IO packet
 * (attachments included) for the sio classes.
 *
 * Preparation decodes each class once, keeps the decoded packets (copying
 * base64-decoded bytes out of the scratch buffer) and checks that encoding
 * them reproduces every record byte for byte, so both directions do the same
 * work as the reference side. All options are the defaults of
 * cdc_opts_init (strict mode), with eio_version 3 / sio_version 4 for
 * eio3-polling.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keeps results observable so no pass can be optimised away. */
volatile uint64_t bench_sink;

struct arena_blk {
    struct arena_blk *next;
    size_t len, cap;
    uint8_t data[];
};

struct prep {
    struct cdc_opts o;
    struct cdc_buf scratch, tmp, out;
    struct eio_packet *eio; /* eio classes: every packet, unit after unit */
    size_t *first;          /* eio classes: n_units + 1 offsets into |eio| */
    struct sio_packet *sio; /* sio classes: one per unit (the header for binary) */
    struct sio_decoder *dec;
    struct arena_blk *arena;
    size_t cursor; /* next free slot of |eio| while preparing */
};

static const uint8_t *arena_copy(struct prep *p, const uint8_t *src, size_t n)
{
    struct arena_blk *b = p->arena;
    if (!b || b->cap - b->len < n) {
        size_t cap = n > (1u << 20) ? n : (1u << 20);
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        *b = (struct arena_blk){p->arena, 0, cap};
        p->arena = b;
    }
    uint8_t *dst = b->data + b->len;
    if (n)
        memcpy(dst, src, n);
    b->len += n;
    return dst;
}

static void print_escaped(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && i < 120; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            fputc(p[i], stderr);
        else
            fprintf(stderr, "\\x%02x", p[i]);
    }
    fputs(n > 120 ? "...\n" : "\n", stderr);
}

static int fail(int cls, size_t unit, const char *what, int rc, const struct cdc_diag *dg,
                const struct bench_rec *rec)
{
    fprintf(stderr, "codec_bench: %s unit %zu: %s: %s (%s)", bench_class_name(cls), unit, what,
            cdc_err_name(rc), cdc_strerror(rc));
    if (dg && dg->why)
        fprintf(stderr, " at offset %zu: %s", dg->off, dg->why);
    fputs("\n  record: ", stderr);
    print_escaped(rec->p, rec->len);
    return -1;
}

static bool is_payload(int cls)
{
    return cls == BC_EIO4_POLL || cls == BC_EIO3_POLL;
}

static bool is_eio(int cls)
{
    return cls == BC_EIO4_POLL || cls == BC_EIO4_WS || cls == BC_EIO3_POLL;
}

/* Decodes the packets of eio unit |u| with |p|'s options; calls |keep| (may
 * be NULL) with each one. Returns the packet count or -1. */
static long decode_eio_unit(struct bench_corpus *c, int cls, struct prep *p, size_t u,
                            int (*keep)(struct prep *, const struct eio_packet *))
{
    const struct bench_rec *rec = &c->recs[c->cls[cls].units[u].rec];
    struct cdc_diag dg = {0, NULL};
    struct eio_packet pk;
    if (!is_payload(cls)) {
        int rc = eio_packet_decode_text(&p->o, rec->p, rec->len, &p->scratch, &pk, &dg);
        if (rc != CDC_OK)
            return fail(cls, u, "eio_packet_decode_text", rc, &dg, rec);
        bench_sink += pk.data.len;
        return keep && keep(p, &pk) != 0 ? -1 : 1;
    }
    struct eio_payload_iter it;
    long n = 0;
    int rc;
    eio_payload_iter_init(&it, &p->o, rec->p, rec->len, EIO_PAYLOAD_TEXT);
    while ((rc = eio_payload_next(&it, &p->scratch, &pk, &dg)) == 1) {
        bench_sink += pk.data.len;
        if (keep && keep(p, &pk) != 0)
            return -1;
        n++;
    }
    return rc == 0 ? n : fail(cls, u, "eio_payload_next", rc, &dg, rec);
}

/* Decodes the Socket.IO packet carried by text record |rec|. */
static int decode_sio_rec(struct prep *p, int cls, size_t u, const struct bench_rec *rec,
                          struct sio_packet *out)
{
    struct cdc_diag dg = {0, NULL};
    struct eio_packet ep;
    int rc = eio_packet_decode_text(&p->o, rec->p, rec->len, &p->scratch, &ep, &dg);
    if (rc != CDC_OK)
        return fail(cls, u, "eio_packet_decode_text", rc, &dg, rec);
    if (ep.type != EIO_MESSAGE || ep.binary)
        return fail(cls, u, "not a text message", CDC_ERR_INVALID_ARG, NULL, rec);
    /* The Engine.IO decode checked the text's UTF-8; no need to read it again. */
    if (ep.quirks & CDC_QUIRK_INVALID_UTF8)
        rc = sio_packet_decode(&p->o, ep.data.p, ep.data.len, out, &dg);
    else
        rc = sio_packet_decode_trusted_utf8(&p->o, ep.data.p, ep.data.len, out, &dg);
    return rc == CDC_OK ? 0 : fail(cls, u, "sio_packet_decode", rc, &dg, rec);
}

/* One binary event: header then attachments through the sio_decoder. */
static int decode_binary_unit(struct bench_corpus *c, struct prep *p, size_t u)
{
    const struct bench_unit *un = &c->cls[BC_SIO_BINARY].units[u];
    struct cdc_diag dg = {0, NULL};
    struct eio_packet ep;
    struct sio_message m = {0};
    int rc = 0;
    for (size_t i = 0; i < un->nrec; i++) {
        const struct bench_rec *rec = &c->recs[un->rec + i];
        if (i == 0)
            rc = eio_packet_decode_text(&p->o, rec->p, rec->len, &p->scratch, &ep, &dg);
        else
            rc = eio_packet_decode_binary(&p->o, rec->p, rec->len, &ep, &dg);
        if (rc != CDC_OK)
            return fail(BC_SIO_BINARY, u, "eio_packet_decode", rc, &dg, rec);
        rc = sio_decoder_feed(p->dec, ep.binary, ep.data.p, ep.data.len, &m, &dg);
        if (rc < 0 || (rc == SIO_DEC_PACKET) != (i + 1 == un->nrec)) {
            sio_decoder_reset(p->dec);
            return fail(BC_SIO_BINARY, u, "sio_decoder_feed", rc < 0 ? rc : CDC_ERR_STATE, &dg,
                        rec);
        }
    }
    bench_sink += m.pkt.data.len + m.n_attachments;
    return 0;
}

int bench_decode_pass(struct bench_corpus *c, int cls, uint64_t *pkts, uint64_t *bytes)
{
    struct bench_class_data *d = &c->cls[cls];
    struct prep *p = d->prep;
    struct sio_packet sp;
    for (size_t u = 0; u < d->n_units; u++) {
        if (is_eio(cls)) {
            long n = decode_eio_unit(c, cls, p, u, NULL);
            if (n < 0)
                return -1;
            *pkts += (uint64_t)n;
            continue;
        }
        if (cls == BC_SIO_BINARY) {
            if (decode_binary_unit(c, p, u) != 0)
                return -1;
        } else {
            if (decode_sio_rec(p, cls, u, &c->recs[d->units[u].rec], &sp) != 0)
                return -1;
            bench_sink += sp.data.len;
        }
        *pkts += 1;
    }
    *bytes += d->bytes;
    return 0;
}

/* Compares an encoder's output with the record it must reproduce. */
static int check_same(int cls, size_t u, const struct cdc_buf *b, const struct bench_rec *rec)
{
    if (b->len == rec->len && memcmp(b->p, rec->p, b->len) == 0)
        return 0;
    fprintf(stderr, "codec_bench: %s unit %zu: re-encoding differs from the record\n  encoded: ",
            bench_class_name(cls), u);
    print_escaped(b->p, b->len);
    fputs("  record:  ", stderr);
    print_escaped(rec->p, rec->len);
    return -1;
}

/* Encodes the Socket.IO packet |sp| as an Engine.IO message into p->out.
 * The packets come from sio_packet_decode with the same options, so the
 * timed passes skip the validation (sio_packet_encode_trusted), as the
 * reference encoder does; the checking pass (|validate|) validates each. */
static int encode_sio(struct prep *p, const struct sio_packet *sp, bool validate)
{
    cdc_buf_reset(&p->tmp);
    cdc_buf_reset(&p->out);
    int rc = validate ? sio_packet_encode(&p->o, sp, &p->tmp)
                      : sio_packet_encode_trusted(&p->o, sp, &p->tmp);
    if (rc != CDC_OK)
        return rc;
    struct eio_packet ep = {EIO_MESSAGE, false, {p->tmp.p, p->tmp.len}, 0};
    return eio_packet_encode(&p->o, &ep, EIO_FRAMING_WS, &p->out);
}

/* Encodes unit |u| of a sio class; with |verify| compares each message. */
static int encode_sio_unit(struct bench_corpus *c, int cls, struct prep *p, size_t u, bool verify,
                           uint64_t *bytes)
{
    const struct bench_unit *un = &c->cls[cls].units[u];
    const struct bench_rec *rec = &c->recs[un->rec];
    int rc = encode_sio(p, &p->sio[u], verify);
    if (rc != CDC_OK)
        return fail(cls, u, "sio_packet_encode/eio_packet_encode", rc, NULL, rec);
    if (verify && check_same(cls, u, &p->out, rec) != 0)
        return -1;
    *bytes += p->out.len;
    for (size_t i = 1; i < un->nrec; i++) {
        struct eio_packet ep = {EIO_MESSAGE, true, {rec[i].p, rec[i].len}, 0};
        cdc_buf_reset(&p->out);
        rc = eio_packet_encode(&p->o, &ep, EIO_FRAMING_WS, &p->out);
        if (rc != CDC_OK)
            return fail(cls, u, "eio_packet_encode (attachment)", rc, NULL, &rec[i]);
        if (verify && check_same(cls, u, &p->out, &rec[i]) != 0)
            return -1;
        *bytes += p->out.len;
    }
    return 0;
}

/* Encodes unit |u| of an eio class. The packets come from a strict decode,
 * so their text is well-formed UTF-8 and the timed passes use
 * eio_payload_encode_trusted_utf8 (a JS string is known to be text, too);
 * with |verify| both that and the checking eio_payload_encode must
 * reproduce the record. */
static int encode_eio_unit(struct bench_corpus *c, int cls, struct prep *p, size_t u, bool verify,
                           uint64_t *bytes)
{
    const struct bench_rec *rec = &c->recs[c->cls[cls].units[u].rec];
    const struct eio_packet *pk = &p->eio[p->first[u]];
    size_t n = p->first[u + 1] - p->first[u];
    int rc;
    if (verify && is_payload(cls)) {
        cdc_buf_reset(&p->out);
        rc = eio_payload_encode(&p->o, pk, n, EIO_PAYLOAD_TEXT, &p->out);
        if (rc != CDC_OK)
            return fail(cls, u, "eio_payload_encode", rc, NULL, rec);
        if (check_same(cls, u, &p->out, rec) != 0)
            return -1;
    }
    cdc_buf_reset(&p->out);
    if (is_payload(cls))
        rc = eio_payload_encode_trusted_utf8(&p->o, pk, n, EIO_PAYLOAD_TEXT, &p->out);
    else
        rc = eio_packet_encode(&p->o, pk, EIO_FRAMING_WS, &p->out);
    if (rc != CDC_OK)
        return fail(cls, u, "eio encode", rc, NULL, rec);
    if (verify && check_same(cls, u, &p->out, rec) != 0)
        return -1;
    *bytes += p->out.len;
    return 0;
}

int bench_encode_pass(struct bench_corpus *c, int cls, uint64_t *pkts, uint64_t *bytes)
{
    struct bench_class_data *d = &c->cls[cls];
    struct prep *p = d->prep;
    for (size_t u = 0; u < d->n_units; u++) {
        int rc = is_eio(cls) ? encode_eio_unit(c, cls, p, u, false, bytes)
                             : encode_sio_unit(c, cls, p, u, false, bytes);
        if (rc != 0)
            return -1;
    }
    bench_sink += p->out.len;
    *pkts += d->pkts;
    return 0;
}

static int keep_packet(struct prep *p, const struct eio_packet *pk)
{
    struct eio_packet *q = &p->eio[p->cursor++];
    *q = *pk;
    if (pk->binary) {
        q->data.p = arena_copy(p, pk->data.p, pk->data.len);
        if (!q->data.p && pk->data.len)
            return -1;
    }
    return 0;
}

/* Decodes every eio unit once and stores its packets. */
static int prep_eio(struct bench_corpus *c, int cls, struct prep *p)
{
    struct bench_class_data *d = &c->cls[cls];
    size_t total = 0, *first = malloc((d->n_units + 1) * sizeof *first);
    if (!first)
        return -1;
    p->first = first;
    first[0] = 0;
    for (size_t u = 0; u < d->n_units; u++) {
        long n = decode_eio_unit(c, cls, p, u, NULL);
        if (n < 0)
            return -1;
        total += (size_t)n;
        first[u + 1] = total;
    }
    p->eio = malloc((total ? total : 1) * sizeof *p->eio);
    if (!p->eio)
        return -1;
    for (size_t u = 0; u < d->n_units; u++)
        if (decode_eio_unit(c, cls, p, u, keep_packet) < 0)
            return -1;
    d->pkts = total;
    return 0;
}

/* Decodes every sio unit's text packet once and stores it. */
static int prep_sio(struct bench_corpus *c, int cls, struct prep *p)
{
    struct bench_class_data *d = &c->cls[cls];
    p->sio = malloc((d->n_units ? d->n_units : 1) * sizeof *p->sio);
    if (!p->sio)
        return -1;
    for (size_t u = 0; u < d->n_units; u++)
        if (decode_sio_rec(p, cls, u, &c->recs[d->units[u].rec], &p->sio[u]) != 0)
            return -1;
    d->pkts = d->n_units;
    if (cls != BC_SIO_BINARY)
        return 0;
    if (sio_decoder_new(&p->dec, &p->o, NULL) != CDC_OK)
        return -1;
    for (size_t u = 0; u < d->n_units; u++)
        if (decode_binary_unit(c, p, u) != 0)
            return -1;
    return 0;
}

int bench_prep(struct bench_corpus *c, int cls)
{
    struct prep *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    c->cls[cls].prep = p;
    cdc_opts_init(&p->o);
    if (cls == BC_EIO3_POLL) {
        p->o.eio_version = 3;
        p->o.sio_version = 4;
    }
    cdc_buf_init(&p->scratch, SIZE_MAX, NULL);
    cdc_buf_init(&p->tmp, SIZE_MAX, NULL);
    cdc_buf_init(&p->out, SIZE_MAX, NULL);
    int rc = is_eio(cls) ? prep_eio(c, cls, p) : prep_sio(c, cls, p);
    uint64_t bytes = 0;
    for (size_t u = 0; rc == 0 && u < c->cls[cls].n_units; u++)
        rc = is_eio(cls) ? encode_eio_unit(c, cls, p, u, true, &bytes)
                         : encode_sio_unit(c, cls, p, u, true, &bytes);
    if (rc == 0 && bytes != c->cls[cls].bytes) {
        fprintf(stderr, "codec_bench: %s: encoded %llu bytes, corpus has %zu\n",
                bench_class_name(cls), (unsigned long long)bytes, c->cls[cls].bytes);
        rc = -1;
    }
    return rc;
}

void bench_unprep(struct bench_corpus *c, int cls)
{
    struct prep *p = c->cls[cls].prep;
    if (!p)
        return;
    while (p->arena) {
        struct arena_blk *next = p->arena->next;
        free(p->arena);
        p->arena = next;
    }
    if (p->dec)
        sio_decoder_del(p->dec);
    cdc_buf_free(&p->scratch);
    cdc_buf_free(&p->tmp);
    cdc_buf_free(&p->out);
    free(p->eio);
    free(p->first);
    free(p->sio);
    free(p);
    c->cls[cls].prep = NULL;
}
