/*
 * eio_payload.c - Engine.IO polling payloads (HTTP bodies): an iterator
 * over their packets and an encoder.
 *
 * Forms (engine.io-protocol v4 "HTTP long-polling", v3 "Payload"):
 *  - v4 text: packets joined by 0x1E; an empty segment (leading, trailing
 *    or doubled separator) is an error, as is an empty body;
 *  - v3 text: "<len>:<packet>" repeated, len counted in UTF-16 code units
 *    of the body decoded as UTF-8; "0:" alone is the empty payload;
 *  - v3 XHR2 binary: per packet <0|1><length as bytes 0-9><0xFF><bytes>,
 *    0 = string packet, 1 = binary packet whose first byte is the type.
 *
 * Text forms report the good packets before the first bad one, then the
 * error, as the reference delivers them. The reference splits an XHR2 body
 * completely before it delivers anything, so XHR2 framing errors come first
 * (a pre-scan on the first call). Errors are sticky.
 *
 * The v3 length walk (cdc_utf16_prefix_valid) finds where a packet ends and
 * whether its bytes are UTF-8 in the same pass, so the packet decoder does
 * not read them again.
 *
 * Compat mode reproduces the reference readings: v3 lengths through JS
 * Number() (cdc_jsnum.c), skipped zero-length v3 packets, and the XHR2
 * splitter's arithmetic, which counts the decimal characters of each length
 * byte, clips a short last entry and stops once 310 length characters are
 * read without reaching 0xFF (so 311 digit bytes still pass).
 */
#include "codec/eio.h"

#include "cdc_text.h"
#include "eio_internal.h"

#include <string.h>

#define EIO_RS 0x1E
#define XHR2_MAX_LEN_CHARS 310 /* the decimal length of the largest double */

/* One XHR2 entry: packet bytes [data, end), next entry at |next|. */
struct xhr2_entry {
    bool string;
    size_t data, end, next;
    uint32_t quirks;
};

/* Makes errors sticky and gathers the quirks of a returned packet. */
static int finish(struct eio_payload_iter *it, int rc, const struct eio_packet *out)
{
    if (rc < 0)
        it->err = rc;
    if (rc == 1)
        it->quirks |= out->quirks;
    return rc;
}

/* ---- v4 ---------------------------------------------------------------- */

static int next_v4(struct eio_payload_iter *it, struct eio_dec *d, struct eio_packet *out)
{
    size_t start = it->pos;
    const uint8_t *sep = memchr(it->in + start, EIO_RS, it->len - start);
    size_t end = sep ? (size_t)(sep - it->in) : it->len;
    it->pos = sep ? end + 1 : it->len;
    it->done = !sep;
    d->base = start;
    d->utf8_known = it->utf8;
    int rc = eio_text_decode(d, it->in + start, end - start, out);
    return rc == CDC_OK ? 1 : rc;
}

/* ---- v3 text ------------------------------------------------------------ */

/* One "<len>:<packet>" segment of a v3 text payload. */
struct v3_seg {
    size_t body;  /* where the packet starts */
    size_t bytes; /* its length in bytes */
    size_t units; /* its length in UTF-16 units, as the prefix says */
    bool utf8;    /* its bytes are well-formed UTF-8 */
};

/* Reads "<len>:" at it->pos and finds the packet after it. */
static int v3_segment(struct eio_payload_iter *it, const struct eio_dec *d, struct v3_seg *g,
                      uint32_t *quirks)
{
    size_t start = it->pos;
    const uint8_t *colon = memchr(it->in + start, ':', it->len - start);
    if (!colon)
        return eio_fail(d, start, CDC_ERR_EIO_LENGTH, "v3 length without ':'");
    size_t c = (size_t)(colon - it->in);
    bool canonical;
    g->body = c + 1;
    if (c == start)
        return eio_fail(d, start, CDC_ERR_EIO_LENGTH, "empty v3 length");
    if (!cdc_js_number_index(it->in + start, c - start, it->len - g->body, &g->units, &canonical))
        return eio_fail(d, start, CDC_ERR_EIO_LENGTH, "v3 length is not a packet length");
    if (!canonical) {
        if (it->o->mode == CDC_STRICT)
            return eio_fail(d, start, CDC_ERR_EIO_LENGTH, "v3 length is not plain decimal");
        *quirks |= CDC_QUIRK_EIO_V3_LOOSE_LENGTH;
    }
    g->bytes = cdc_utf16_prefix_valid(it->in + g->body, it->len - g->body, g->units, &g->utf8);
    if (g->bytes == SIZE_MAX)
        return eio_fail(d, g->body, CDC_ERR_EIO_LENGTH,
                        "v3 length passes the end or splits a surrogate pair");
    return CDC_OK;
}

static int next_v3_text(struct eio_payload_iter *it, struct eio_dec *d, struct eio_packet *out)
{
    uint32_t quirks = 0;
    for (;;) {
        struct v3_seg g = {0, 0, 0, false};
        size_t start = it->pos;
        if (start == it->len) {
            it->done = true;
            return 0;
        }
        int rc = v3_segment(it, d, &g, &quirks);
        it->quirks |= quirks;
        if (rc != CDC_OK)
            return rc;
        it->pos = g.body + g.bytes;
        if (g.units == 0) {
            /* "0:" is how the reference writes an empty payload; elsewhere
             * its decoder skips the segment. */
            if (start == 0 && it->pos == it->len)
                continue;
            if (it->o->mode == CDC_STRICT)
                return eio_fail(d, start, CDC_ERR_EIO_EMPTY, "empty v3 packet in a payload");
            quirks |= CDC_QUIRK_EIO_V3_EMPTY_PACKET;
            it->quirks |= quirks;
            continue;
        }
        d->base = g.body;
        d->utf8_known = g.utf8; /* the length walk read these bytes already */
        rc = eio_text_decode(d, it->in + g.body, g.bytes, out);
        if (rc != CDC_OK)
            return rc;
        out->quirks |= quirks;
        return 1;
    }
}

/* ---- v3 XHR2 binary ----------------------------------------------------- */

static size_t sat_add_mul(size_t v, size_t mul, size_t add)
{
    return v > (SIZE_MAX - add) / mul ? SIZE_MAX : v * mul + add;
}

/* Spec reading: type 0|1, canonical decimal digits, 0xFF, a non-empty
 * packet that fits. */
static int xhr2_strict(const struct eio_payload_iter *it, const struct eio_dec *d, size_t s,
                       struct xhr2_entry *e)
{
    const uint8_t *in = it->in;
    size_t i = s + 1, v = 0;
    if (in[s] > 1)
        return eio_fail(d, s, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 entry type is not 0 or 1");
    for (; i < it->len && in[i] != 0xFF; i++) {
        if (in[i] > 9)
            return eio_fail(d, i, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 length byte is not 0-9");
        if (i == s + 1 && in[i] == 0 && i + 1 < it->len && in[i + 1] != 0xFF)
            return eio_fail(d, i, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 length has a leading zero");
        v = sat_add_mul(v, 10, in[i]);
    }
    if (i == it->len)
        return eio_fail(d, s, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 entry without 0xFF");
    if (i == s + 1)
        return eio_fail(d, i, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 entry without a length");
    if (v == 0)
        return eio_fail(d, i + 1, CDC_ERR_EIO_EMPTY, "empty XHR2 entry");
    if (v > it->len - (i + 1))
        return eio_fail(d, i + 1, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 entry passes the end");
    e->string = in[s] == 0;
    e->data = i + 1;
    e->end = e->next = i + 1 + v;
    e->quirks = 0;
    return CDC_OK;
}

/* The reference splitter: each length byte is appended to a string as its
 * decimal text, the entry is sliced by that string's length, and a short
 * last entry is clipped. */
static int xhr2_compat(const struct eio_payload_iter *it, const struct eio_dec *d, size_t s,
                       struct xhr2_entry *e)
{
    const uint8_t *in = it->in;
    size_t chars = 0, v = 0, i = s + 1;
    bool loose = in[s] > 1;
    for (;; i++) {
        if (i >= it->len)
            return eio_fail(d, s, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 entry without 0xFF");
        if (in[i] == 0xFF)
            break;
        if (chars > XHR2_MAX_LEN_CHARS)
            return eio_fail(d, i, CDC_ERR_EIO_BINARY_PAYLOAD, "XHR2 length over 310 digits");
        size_t k = in[i] >= 100 ? 3 : in[i] >= 10 ? 2 : 1;
        loose |= k > 1 || (i == s + 1 && in[i] == 0 && i + 1 < it->len && in[i + 1] != 0xFF);
        chars += k;
        v = sat_add_mul(v, k == 1 ? 10 : k == 2 ? 100 : 1000, in[i]);
    }
    size_t t = s + chars + 1; /* where the reference thinks 0xFF is */
    e->string = in[s] == 0;
    e->data = t + 1 < it->len ? t + 1 : it->len;
    if (chars == 0) {
        /* parseInt("") is NaN: an empty packet, and the next entry starts
         * at the 0xFF. */
        e->end = e->data;
        e->next = t;
    } else {
        e->end = v > it->len - e->data ? it->len : e->data + v;
        e->next = sat_add_mul(v, 1, t + 1);
        loose |= e->next > it->len;
    }
    e->quirks = loose ? CDC_QUIRK_EIO_V3_LOOSE_BINARY_PAYLOAD : 0;
    return CDC_OK;
}

static int xhr2_entry(const struct eio_payload_iter *it, const struct eio_dec *d, size_t s,
                      struct xhr2_entry *e)
{
    return it->o->mode == CDC_STRICT ? xhr2_strict(it, d, s, e) : xhr2_compat(it, d, s, e);
}

static int xhr2_prescan(const struct eio_payload_iter *it, const struct eio_dec *d)
{
    struct xhr2_entry e;
    for (size_t s = 0; s < it->len; s = e.next) {
        int rc = xhr2_entry(it, d, s, &e);
        if (rc != CDC_OK)
            return rc;
    }
    return CDC_OK;
}

static int next_xhr2(struct eio_payload_iter *it, struct eio_dec *d, struct eio_packet *out)
{
    struct xhr2_entry e;
    int rc = xhr2_entry(it, d, it->pos, &e);
    if (rc != CDC_OK)
        return rc;
    it->pos = e.next < it->len ? e.next : it->len;
    it->done = it->pos == it->len;
    if (e.string) {
        d->src = EIO_SRC_XHR2;
        d->base = e.data;
        rc = eio_text_decode(d, it->in + e.data, e.end - e.data, out);
    } else {
        rc = eio_packet_decode_binary(it->o, it->in + e.data, e.end - e.data, out, d->diag);
        if (rc != CDC_OK && d->diag)
            d->diag->off += e.data;
    }
    if (rc != CDC_OK)
        return rc;
    out->quirks |= e.quirks;
    return 1;
}

/* ---- iterator ----------------------------------------------------------- */

void eio_payload_iter_init(struct eio_payload_iter *it, const struct cdc_opts *o, const uint8_t *in,
                           size_t len, enum eio_payload_kind kind)
{
    it->o = o;
    it->in = in;
    it->len = len;
    it->pos = 0;
    it->kind = kind;
    it->err = 0;
    it->done = false;
    it->utf8 = false;
    it->quirks = 0;
}

/* Checks made once, before the first packet. Returns 1 to go on, 0 when
 * the payload holds no packet, or an error. */
static int payload_start(struct eio_payload_iter *it, const struct eio_dec *d)
{
    const struct cdc_opts *o = it->o;
    if (!eio_version_ok(o) || (!it->in && it->len) ||
        (it->kind != EIO_PAYLOAD_TEXT && it->kind != EIO_PAYLOAD_BINARY) ||
        (o->eio_version == 4 && it->kind == EIO_PAYLOAD_BINARY))
        return eio_fail(d, 0, CDC_ERR_INVALID_ARG, "bad arguments");
    if (it->len > o->lim.max_payload)
        return eio_fail(d, 0, CDC_ERR_TOO_LARGE, "payload exceeds max_payload");
    if (it->len == 0) {
        /* The v3 XHR2 splitter returns no packet, and no error, for an
         * empty body. */
        if (it->kind == EIO_PAYLOAD_BINARY && o->mode == CDC_COMPAT) {
            it->quirks |= CDC_QUIRK_EIO_V3_LOOSE_BINARY_PAYLOAD;
            it->done = true;
            return 0;
        }
        return eio_fail(d, 0, CDC_ERR_EIO_EMPTY, "empty payload");
    }
    /* A v4 body is checked for UTF-8 once as a whole, so its packets need
     * not be: 0x1E is ASCII, so each part of well-formed text is too. When
     * the check fails, each packet's own check finds the culprit. */
    size_t units;
    if (o->eio_version == 4)
        it->utf8 = cdc_utf8_scan(it->in, it->len, &units, false);
    int rc = it->kind == EIO_PAYLOAD_BINARY ? xhr2_prescan(it, d) : CDC_OK;
    return rc == CDC_OK ? 1 : rc;
}

int eio_payload_next(struct eio_payload_iter *it, struct cdc_buf *scratch, struct eio_packet *out,
                     struct cdc_diag *diag)
{
    struct eio_dec d = {it->o, EIO_SRC_POLLING, scratch, diag, 0, false};
    if (it->err)
        return eio_fail(&d, it->pos, it->err, "payload decoding already failed");
    if (it->done)
        return 0;
    if (it->pos == 0) {
        int rc = payload_start(it, &d);
        if (rc <= 0)
            return finish(it, rc, out);
    }
    if (it->o->eio_version == 4)
        return finish(it, next_v4(it, &d, out), out);
    if (it->kind == EIO_PAYLOAD_TEXT)
        return finish(it, next_v3_text(it, &d, out), out);
    return finish(it, next_xhr2(it, &d, out), out);
}

/* ---- encoder ------------------------------------------------------------ */

static bool packet_ok(const struct eio_packet *p)
{
    return (int)p->type >= EIO_OPEN && p->type <= EIO_NOOP && (p->data.p || !p->data.len);
}

/* Writes the decimal digits of |v| at the end of |tmp| (20 bytes); returns
 * where they start. */
static uint8_t *decimal(uint64_t v, uint8_t tmp[20])
{
    uint8_t *d = tmp + 20;
    do {
        *--d = (uint8_t)('0' + v % 10);
        v /= 10;
    } while (v);
    return d;
}

/* v3 text: "<UTF-16 units>:" then the polling form of the packet, with
 * one reservation for the whole segment. |trusted|: the text data is known
 * to be well-formed UTF-8, so its units are counted without checking. */
static int encode_v3_text(const struct eio_packet *p, bool trusted, struct cdc_buf *out)
{
    if (!packet_ok(p))
        return CDC_ERR_INVALID_ARG;
    size_t body; /* bytes after the ':' */
    if (p->binary) {
        if (p->data.len / 3 >= SIZE_MAX / 4 - 1)
            return CDC_ERR_TOO_LARGE;
        body = 2 + (p->data.len + 2) / 3 * 4; /* 'b', type digit, base64 */
    } else {
        if (p->data.len > SIZE_MAX - 64)
            return CDC_ERR_TOO_LARGE;
        body = 1 + p->data.len;
    }
    /* A JS string length: one unit per character of the body, as ASCII. */
    size_t units = p->binary ? body
                   : trusted ? 1 + cdc_utf16_units_trusted(p->data.p, p->data.len)
                             : 1 + cdc_utf16_units(p->data.p, p->data.len);
    uint8_t tmp[20], *digits = decimal(units, tmp), *dst;
    size_t nd = (size_t)(tmp + 20 - digits);
    int rc = cdc_buf_reserve(out, nd + 1 + body, &dst);
    if (rc != CDC_OK)
        return rc;
    memcpy(dst, digits, nd);
    dst[nd] = ':';
    if (!p->binary) {
        dst[nd + 1] = (uint8_t)('0' + p->type);
        if (p->data.len)
            memcpy(dst + nd + 2, p->data.p, p->data.len);
        out->len += nd + 1 + body;
        return CDC_OK;
    }
    dst[nd + 1] = 'b';
    dst[nd + 2] = (uint8_t)('0' + p->type);
    out->len += nd + 3;
    return cdc_b64_encode(p->data.p, p->data.len, out); /* fits: reserved above */
}

/* v3 XHR2: <0|1>, the decimal digits of the entry size as bytes 0-9, 0xFF,
 * then the type (digit for strings, byte for binary) and the data. */
static int encode_xhr2(const struct eio_packet *p, struct cdc_buf *out)
{
    uint8_t hdr[24];
    size_t n = 0, size = p->data.len + 1;
    if (!packet_ok(p) || p->data.len == SIZE_MAX)
        return CDC_ERR_INVALID_ARG;
    hdr[n++] = p->binary ? 1 : 0;
    uint8_t digits[20];
    size_t k = 0;
    do {
        digits[k++] = (uint8_t)(size % 10);
        size /= 10;
    } while (size);
    while (k)
        hdr[n++] = digits[--k];
    hdr[n++] = 0xFF;
    hdr[n++] = p->binary ? (uint8_t)p->type : (uint8_t)('0' + p->type);
    int rc = cdc_buf_append(out, hdr, n);
    return rc == CDC_OK ? cdc_buf_append(out, p->data.p, p->data.len) : rc;
}

static int encode_one(const struct cdc_opts *o, const struct eio_packet *p, size_t i,
                      enum eio_payload_kind kind, bool trusted, struct cdc_buf *out)
{
    if (o->eio_version == 4) {
        int rc = i ? cdc_buf_append_byte(out, EIO_RS) : CDC_OK;
        return rc == CDC_OK ? eio_packet_encode(o, p, EIO_FRAMING_POLLING, out) : rc;
    }
    return kind == EIO_PAYLOAD_TEXT ? encode_v3_text(p, trusted, out) : encode_xhr2(p, out);
}

static int encode_payload(const struct cdc_opts *o, const struct eio_packet *pkts, size_t n,
                          enum eio_payload_kind kind, bool trusted, struct cdc_buf *out)
{
    if (!eio_version_ok(o) || !pkts || !out || n == 0 ||
        (kind != EIO_PAYLOAD_TEXT && kind != EIO_PAYLOAD_BINARY) ||
        (o->eio_version == 4 && kind != EIO_PAYLOAD_TEXT))
        return CDC_ERR_INVALID_ARG;
    size_t mark = out->len;
    int rc = CDC_OK;
    for (size_t i = 0; i < n && rc == CDC_OK; i++)
        rc = encode_one(o, &pkts[i], i, kind, trusted, out);
    if (rc != CDC_OK)
        out->len = mark;
    return rc;
}

int eio_payload_encode(const struct cdc_opts *o, const struct eio_packet *pkts, size_t n,
                       enum eio_payload_kind kind, struct cdc_buf *out)
{
    return encode_payload(o, pkts, n, kind, false, out);
}

int eio_payload_encode_trusted_utf8(const struct cdc_opts *o, const struct eio_packet *pkts,
                                    size_t n, enum eio_payload_kind kind, struct cdc_buf *out)
{
    return encode_payload(o, pkts, n, kind, true, out);
}
