/*
 * eio_packet.c - one Engine.IO packet: type names, decoding of WebSocket
 * text and binary messages (and of single payload segments), encoding.
 *
 * Spec: engine.io-protocol v4 "Packet encoding", v3 "Encoding / Packet".
 * Text: a type digit 0-6 then the data. Binary: v4 raw bytes (always a
 * message), v3 a type byte then the bytes. In polling text payloads binary
 * travels as 'b' + base64 (v3: 'b' + type digit + base64).
 *
 * Strict mode checks the spec's rules: UTF-8 text, 'b' only where the
 * framing has no binary form of its own, canonical base64. Compat mode
 * takes what the reference parsers take and flags it in |quirks|: invalid
 * UTF-8 (the reference sees U+FFFD; |data| keeps the raw bytes), a 'b'
 * packet in a WebSocket text message or XHR2 string entry, base64 decoded
 * the way Node decodes it.
 *
 * The data of a packet is never interpreted here: open packet JSON is
 * eio_handshake_decode's job.
 */
#include "codec/eio.h"

#include "cdc_text.h"
#include "cdc_utf8_seq.h"
#include "eio_internal.h"

#include <string.h>

_Static_assert(EIO_OPEN == 0 && EIO_NOOP == 6, "eio_type mirrors the wire digits");

static const char *const type_names[] = {"open",    "close",   "ping", "pong",
                                         "message", "upgrade", "noop"};

const char *eio_type_name(int type)
{
    return type >= EIO_OPEN && type <= EIO_NOOP ? type_names[type] : NULL;
}

int eio_type_from_name(const char *name, size_t n)
{
    for (int t = EIO_OPEN; t <= EIO_NOOP; t++)
        if (strlen(type_names[t]) == n && memcmp(type_names[t], name, n) == 0)
            return t;
    return -1;
}

int eio_fail(const struct eio_dec *d, size_t off, int err, const char *why)
{
    if (d->diag) {
        d->diag->off = d->base + off;
        d->diag->why = why;
    }
    return err;
}

bool eio_version_ok(const struct cdc_opts *o)
{
    return o && (o->eio_version == 3 || o->eio_version == 4);
}

/* The v3 reference decodes XHR2 string entries with a UTF-8 decoder that
 * throws on everything ill-formed except encoded surrogates, which become
 * U+FFFD. Returns CDC_OK and sets |*surrogate|, or the offset of the first
 * byte it rejects in |*bad|. */
static int xhr2_utf8(const uint8_t *in, size_t n, bool *surrogate, size_t *bad)
{
    const uint8_t *p = in, *end = in + n;
    while (p < end) {
        size_t k = cdc_utf8_seq(p, end);
        if (k == 0 && end - p >= 3 && p[0] == 0xED && p[1] >= 0xA0 && p[1] <= 0xBF &&
            (p[2] & 0xC0) == 0x80) {
            *surrogate = true;
            k = 3;
        }
        if (k == 0) {
            *bad = (size_t)(p - in);
            return CDC_ERR_UTF8;
        }
        p += k;
    }
    return CDC_OK;
}

/* Applies the UTF-8 rule of |d->src| to text |in|: strict rejects, compat
 * records CDC_QUIRK_INVALID_UTF8 where the reference decodes anyway. */
static int check_text(const struct eio_dec *d, const uint8_t *in, size_t n, uint32_t *quirks)
{
    struct cdc_diag ud = {0, NULL};
    bool surrogate = false;
    size_t bad = 0;
    if (d->utf8_known && d->src != EIO_SRC_XHR2)
        return CDC_OK; /* checked by the framing code (v3 lengths, a v4 body) */
    if (d->src == EIO_SRC_XHR2) {
        if (xhr2_utf8(in, n, &surrogate, &bad) != CDC_OK)
            return eio_fail(d, bad, CDC_ERR_UTF8, "invalid UTF-8 in an XHR2 string packet");
        if (!surrogate)
            return CDC_OK;
    }
    if (cdc_utf8_check(in, n, &ud) == CDC_OK)
        return CDC_OK;
    if (d->o->mode == CDC_STRICT)
        return eio_fail(d, ud.off, CDC_ERR_UTF8, "invalid UTF-8 in a text packet");
    *quirks |= CDC_QUIRK_INVALID_UTF8;
    return CDC_OK;
}

/* 'b' packet: binary data as base64 inside text. */
static int decode_b64_packet(const struct eio_dec *d, const uint8_t *in, size_t len,
                             struct eio_packet *out)
{
    bool compat = d->o->mode == CDC_COMPAT;
    size_t skip = 1;
    out->type = EIO_MESSAGE;
    if (d->src != EIO_SRC_POLLING) {
        /* These framings carry binary natively; 'b' is the reference's
         * shared text parser showing through. */
        if (!compat)
            return eio_fail(d, 0, CDC_ERR_EIO_BINARY, "base64 packet outside a polling payload");
        out->quirks |= CDC_QUIRK_EIO_WS_TEXT_BINARY;
    }
    if (d->o->eio_version == 3) {
        if (len < 2 || in[1] < '0' || in[1] > '6')
            return eio_fail(d, 1, CDC_ERR_EIO_TYPE, "v3 base64 packet without a type digit");
        out->type = (enum eio_type)(in[1] - '0');
        skip = 2;
    }
    /* The XHR2 reference decodes base64 before any UTF-8 step. */
    int rc = d->src == EIO_SRC_XHR2 ? CDC_OK : check_text(d, in, len, &out->quirks);
    if (rc != CDC_OK)
        return rc;
    if (!d->scratch)
        return eio_fail(d, 0, CDC_ERR_INVALID_ARG, "base64 packet needs a scratch buffer");
    cdc_buf_reset(d->scratch);
    struct cdc_diag bd = {0, NULL};
    bool lax = false;
    enum cdc_b64_src src = d->src == EIO_SRC_XHR2 ? CDC_B64_SRC_BYTES : CDC_B64_SRC_UTF8;
    rc = cdc_b64_decode_src(in + skip, len - skip, compat, src, d->scratch, &lax, &bd);
    if (rc != CDC_OK)
        return eio_fail(d, skip + bd.off, rc, bd.why);
    if (lax)
        out->quirks |= CDC_QUIRK_EIO_LENIENT_BASE64;
    out->binary = true;
    out->data.p = d->scratch->p ? d->scratch->p : in + len;
    out->data.len = d->scratch->len;
    return CDC_OK;
}

int eio_text_decode(const struct eio_dec *d, const uint8_t *in, size_t len, struct eio_packet *out)
{
    memset(out, 0, sizeof(*out));
    if (len == 0)
        return eio_fail(d, 0, CDC_ERR_EIO_EMPTY, "empty packet");
    if (len > d->o->lim.max_payload)
        return eio_fail(d, 0, CDC_ERR_TOO_LARGE, "packet exceeds max_payload");
    if (in[0] == 'b')
        return decode_b64_packet(d, in, len, out);
    if (in[0] < '0' || in[0] > '6')
        return eio_fail(d, 0, CDC_ERR_EIO_TYPE, "packet type is not a digit 0-6");
    int rc = check_text(d, in, len, &out->quirks);
    if (rc != CDC_OK)
        return rc;
    out->type = (enum eio_type)(in[0] - '0');
    out->data.p = in + 1;
    out->data.len = len - 1;
    return CDC_OK;
}

int eio_packet_decode_text(const struct cdc_opts *o, const uint8_t *in, size_t len,
                           struct cdc_buf *scratch, struct eio_packet *out, struct cdc_diag *diag)
{
    struct eio_dec d = {o, EIO_SRC_WS, scratch, diag, 0, false};
    if (!eio_version_ok(o) || (!in && len) || !out)
        return eio_fail(&d, 0, CDC_ERR_INVALID_ARG, "bad arguments");
    return eio_text_decode(&d, in, len, out);
}

int eio_packet_decode_binary(const struct cdc_opts *o, const uint8_t *in, size_t len,
                             struct eio_packet *out, struct cdc_diag *diag)
{
    struct eio_dec d = {o, EIO_SRC_WS, NULL, diag, 0, false};
    if (!eio_version_ok(o) || (!in && len) || !out)
        return eio_fail(&d, 0, CDC_ERR_INVALID_ARG, "bad arguments");
    memset(out, 0, sizeof(*out));
    if (len > o->lim.max_payload)
        return eio_fail(&d, 0, CDC_ERR_TOO_LARGE, "message exceeds max_payload");
    out->type = EIO_MESSAGE;
    out->binary = true;
    out->data.p = in;
    out->data.len = len;
    if (o->eio_version == 4)
        return CDC_OK;
    /* v3: the first byte is the packet type. */
    if (len == 0)
        return eio_fail(&d, 0, CDC_ERR_EIO_EMPTY, "v3 binary message without a type byte");
    if (in[0] > EIO_NOOP)
        return eio_fail(&d, 0, CDC_ERR_EIO_TYPE, "v3 binary packet type above 6");
    out->type = (enum eio_type)in[0];
    out->data.p = in + 1;
    out->data.len = len - 1;
    return CDC_OK;
}

/* Binary packet body: raw (WS) or 'b' + base64 (polling). */
static int encode_binary(const struct cdc_opts *o, const struct eio_packet *p, enum eio_framing f,
                         struct cdc_buf *out)
{
    bool v3 = o->eio_version == 3;
    int rc;
    if (f == EIO_FRAMING_WS) {
        rc = v3 ? cdc_buf_append_byte(out, (uint8_t)p->type) : CDC_OK;
        return rc == CDC_OK ? cdc_buf_append(out, p->data.p, p->data.len) : rc;
    }
    rc = cdc_buf_append_byte(out, 'b');
    if (rc == CDC_OK && v3)
        rc = cdc_buf_append_byte(out, (uint8_t)('0' + p->type));
    return rc == CDC_OK ? cdc_b64_encode(p->data.p, p->data.len, out) : rc;
}

int eio_packet_encode(const struct cdc_opts *o, const struct eio_packet *p, enum eio_framing f,
                      struct cdc_buf *out)
{
    if (!eio_version_ok(o) || !p || !out || (!p->data.p && p->data.len) ||
        (int)p->type < EIO_OPEN || p->type > EIO_NOOP ||
        (f != EIO_FRAMING_WS && f != EIO_FRAMING_POLLING))
        return CDC_ERR_INVALID_ARG;
    bool v4 = o->eio_version == 4;
    if (p->binary && v4 && p->type != EIO_MESSAGE)
        return CDC_ERR_INVALID_ARG;
    /* v4 polling: the record separator would split the packet in two. */
    if (!p->binary && v4 && f == EIO_FRAMING_POLLING && p->data.len &&
        memchr(p->data.p, 0x1E, p->data.len))
        return CDC_ERR_INVALID_ARG;
    size_t mark = out->len;
    int rc;
    if (p->binary) {
        rc = encode_binary(o, p, f, out);
    } else {
        rc = cdc_buf_append_byte(out, (uint8_t)('0' + p->type));
        if (rc == CDC_OK)
            rc = cdc_buf_append(out, p->data.p, p->data.len);
    }
    if (rc != CDC_OK)
        out->len = mark;
    return rc;
}
