/*
 * sio_packet.c - Socket.IO text packets: type names, decoding, validation
 * and encoding (socket.io-protocol v5 §Packet encoding, v4 §Encoding format).
 *
 * Wire form: type [attachments "-"] ["/" nsp ","] [ackid] [json].
 *
 * Strict mode follows the specs: a digit 0-6, a digit-run attachment count
 * for binary types, a namespace up to the first ',' (or the end), a digit-run
 * ack id, then one JSON value checked per type (sio.h has the table).
 *
 * Compat mode additionally accepts what the reference Node parser accepts,
 * reading the header the way its JS code does: a type char that Number()
 * turns into 0 (whitespace, or an empty packet) is CONNECT; the attachment
 * count is any JS numeric literal whose value is an integer; whitespace in
 * the ack-id position counts as a digit and Number() trims it. Each such
 * acceptance sets a cdc_quirk bit in the packet.
 *
 * Two entry points skip work their caller has already done (sio.h):
 * sio_packet_decode_trusted_utf8 (text known to be UTF-8: the namespace and
 * JSON string checks are skipped) and sio_packet_encode_trusted (a packet
 * known to validate). Both write exactly what the checking ones write.
 *
 * Not done here: placeholder reconstruction (sio_binary.c). Nothing here
 * allocates; every scan is linear in the input, so digit floods
 * (CVE-2020-36049) and huge counts (CVE-2026-33151) fail fast.
 */
#include "codec/sio.h"

#include "codec/cdc_json.h"
#include "cdc_text.h"
#include "sio_priv.h"

#include <string.h>

_Static_assert(SIO_CONNECT == 0 && SIO_BINARY_ACK == 6, "sio types mirror wire codes");

static const char *const type_names[] = {
    "CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK",
};

const char *sio_type_name(int type, int sio_version)
{
    if (type < 0 || type > SIO_BINARY_ACK)
        return NULL;
    if (type == SIO_CONNECT_ERROR && sio_version == 4)
        return "ERROR";
    return type_names[type];
}

int sio_type_from_name(const char *name, size_t n)
{
    if (!name)
        return -1;
    if (n == 5 && memcmp(name, "ERROR", 5) == 0)
        return SIO_CONNECT_ERROR;
    for (int i = 0; i <= SIO_BINARY_ACK; i++)
        if (strlen(type_names[i]) == n && memcmp(type_names[i], name, n) == 0)
            return i;
    return -1;
}

int sio_fail(struct cdc_diag *diag, size_t off, int err, const char *why)
{
    if (diag) {
        diag->off = off;
        diag->why = why;
    }
    return err;
}

unsigned sio_max_attachments(const struct cdc_opts *o)
{
    unsigned m = o->lim.max_attachments;
    return m > SIO_ATTACHMENTS_CAP ? SIO_ATTACHMENTS_CAP : m;
}

/* ---- JS whitespace (ECMA-262 WhiteSpace and LineTerminator) ---------- */

/* Byte length of the JS whitespace character at |p|, 0 if there is none.
 * Number(" ") is 0 in JS, so the reference treats these as the digit 0. */
static size_t js_ws_len(const uint8_t *p, const uint8_t *end)
{
    size_t n = (size_t)(end - p);
    if (n == 0 || (p[0] > ' ' && p[0] < 0xc2))
        return 0; /* the common case: no whitespace starts with these */
    if (p[0] == ' ' || (p[0] >= 0x09 && p[0] <= 0x0d))
        return 1;
    if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) /* U+00A0 */
        return 2;
    if (n < 3)
        return 0;
    if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) /* U+1680 */
        return 3;
    if (p[0] == 0xe2 && p[1] == 0x80 && /* U+2000-200A, U+2028, U+2029, U+202F */
        ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
        return 3;
    if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) /* U+205F */
        return 3;
    if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) /* U+3000 */
        return 3;
    if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) /* U+FEFF */
        return 3;
    return 0;
}

/* Byte length of a JS whitespace character that ends exactly at |end|. */
static size_t js_ws_len_back(const uint8_t *start, const uint8_t *end)
{
    for (size_t k = 1; k <= 3 && k <= (size_t)(end - start); k++)
        if (js_ws_len(end - k, end) == k)
            return k;
    return 0;
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Value of an all-digit span, saturating at UINT64_MAX. */
static uint64_t digits_value(const uint8_t *p, const uint8_t *end)
{
    uint64_t v = 0;
    for (; p < end; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return UINT64_MAX;
        v = v * 10 + d;
    }
    return v;
}

static bool all_digits(const uint8_t *p, const uint8_t *end)
{
    for (; p < end; p++)
        if (!is_digit(*p))
            return false;
    return true;
}

/* ---- header parsing ---------------------------------------------------- */

struct hdr {
    const struct cdc_opts *o;
    const uint8_t *in;
    const uint8_t *p;
    const uint8_t *end;
    struct sio_packet *out;
    struct cdc_diag *diag;
    bool compat;
    bool utf8_known; /* the caller vouches that |in| is well-formed UTF-8 */
};

static int hfail(struct hdr *h, const uint8_t *at, int err, const char *why)
{
    return sio_fail(h->diag, (size_t)(at - h->in), err, why);
}

static bool is_binary_type(int t)
{
    return t == SIO_BINARY_EVENT || t == SIO_BINARY_ACK;
}

static int parse_type(struct hdr *h)
{
    if (h->p < h->end && *h->p >= '0' && *h->p <= '6') {
        h->out->type = (enum sio_type)(*h->p++ - '0');
        return CDC_OK;
    }
    /* JS Number("") and Number(" ") are 0: the reference reads CONNECT. */
    size_t ws = js_ws_len(h->p, h->end);
    if (h->compat && (h->p == h->end || ws)) {
        h->out->type = SIO_CONNECT;
        h->out->quirks |= CDC_QUIRK_SIO_TYPE_WHITESPACE;
        h->p += ws;
        return CDC_OK;
    }
    if (h->p == h->end)
        return hfail(h, h->p, CDC_ERR_SIO_TYPE, "empty packet");
    return hfail(h, h->p, CDC_ERR_SIO_TYPE, "packet type is not a digit 0-6");
}

static int parse_attachments(struct hdr *h)
{
    const uint8_t *s = h->p;
    const uint8_t *dash = memchr(s, '-', (size_t)(h->end - s));
    if (!dash)
        return hfail(h, h->end, CDC_ERR_SIO_ATTACHMENTS, "no '-' after the attachment count");
    uint64_t max = sio_max_attachments(h->o), k = 0;
    if (dash > s && all_digits(s, dash)) {
        k = digits_value(s, dash);
    } else if (!h->compat) {
        return hfail(h, s, CDC_ERR_SIO_ATTACHMENTS, "attachment count is not a digit run");
    } else {
        /* The reference requires buf == Number(buf) and an integer value. */
        size_t v;
        bool canonical;
        if (!cdc_js_number_index(s, (size_t)(dash - s), SIZE_MAX, &v, &canonical))
            return hfail(h, s, CDC_ERR_SIO_ATTACHMENTS, "attachment count is not an integer");
        k = v;
        h->out->quirks |= CDC_QUIRK_SIO_LOOSE_ATTACHMENTS;
    }
    if (k == 0)
        return hfail(h, s, CDC_ERR_SIO_ATTACHMENTS, "attachment count is 0 (CVE-2026-69185)");
    if (k > max)
        return hfail(h, s, CDC_ERR_SIO_TOO_MANY_ATTACHMENTS, "attachment count above the limit");
    h->out->attachments = (unsigned)k;
    h->p = dash + 1;
    return CDC_OK;
}

static int parse_nsp(struct hdr *h)
{
    static const uint8_t root[] = "/";
    h->out->nsp = (struct cdc_span){root, 1};
    if (h->p == h->end || *h->p != '/')
        return CDC_OK;
    size_t lim = h->o->lim.max_nsp_len, avail = (size_t)(h->end - h->p);
    size_t scan = avail <= lim ? avail : lim + 1; /* enough to see a too-long one */
    const uint8_t *comma = memchr(h->p, ',', scan);
    const uint8_t *stop = comma ? comma : h->end;
    if ((size_t)(stop - h->p) > lim)
        return hfail(h, h->p, CDC_ERR_SIO_NAMESPACE, "namespace longer than the limit");
    h->out->nsp = (struct cdc_span){h->p, (size_t)(stop - h->p)};
    if (!h->compat && !h->utf8_known) {
        struct cdc_diag d = {0, NULL};
        if (cdc_utf8_check(h->p, (size_t)(stop - h->p), &d) != CDC_OK)
            return hfail(h, h->p + d.off, CDC_ERR_UTF8, "namespace is not valid UTF-8");
    }
    h->p = comma ? comma + 1 : h->end;
    return CDC_OK;
}

/* Ack id: the reference consumes every char c with Number(c) == c (digits
 * and JS whitespace), then takes Number() of the run. */
static int parse_ack(struct hdr *h)
{
    const uint8_t *s = h->p, *e;
    bool ws = false;
    size_t w;
    while (h->p < h->end) {
        if (is_digit(*h->p))
            h->p++;
        else if ((w = js_ws_len(h->p, h->end)) != 0)
            h->p += w, ws = true;
        else
            break;
    }
    if (h->p == s)
        return CDC_OK;
    e = h->p;
    if (ws && !h->compat)
        return hfail(h, s, CDC_ERR_SIO_ACK_ID, "whitespace in the ack id position");
    while ((w = js_ws_len(s, e)) != 0)
        s += w;
    while (e > s && (w = js_ws_len_back(s, e)) != 0)
        e -= w;
    if (!all_digits(s, e))
        return hfail(h, s, CDC_ERR_SIO_ACK_ID, "whitespace inside the ack id (NaN in JS)");
    uint64_t id = digits_value(s, e);
    if (id > SIO_ACK_ID_MAX)
        return hfail(h, s, CDC_ERR_SIO_ACK_ID, "ack id above 2^53-1");
    h->out->has_id = true;
    h->out->id = id;
    if (ws)
        h->out->quirks |= CDC_QUIRK_SIO_ACK_ID_SPACE;
    return CDC_OK;
}

/* ---- per-type rules (shared by decode and validate) ------------------- */

struct rules {
    const struct cdc_opts *o;
    const struct sio_packet *p;
    uint32_t *quirks;
    size_t data_off; /* offset of p->data in the decoder's input, for diag */
    struct cdc_diag *diag;
    bool compat;
};

/* In compat mode records |quirk| and accepts; in strict mode fails. */
static int lenient(struct rules *r, uint32_t quirk, size_t off, int err, const char *why)
{
    if (!r->compat)
        return sio_fail(r->diag, off, err, why);
    *r->quirks |= quirk;
    return CDC_OK;
}

static bool is_event_type(int t)
{
    return t == SIO_EVENT || t == SIO_BINARY_EVENT;
}

static bool is_ack_type(int t)
{
    return t == SIO_ACK || t == SIO_BINARY_ACK;
}

/* v5 requires a payload on EVENT, ACK, CONNECT_ERROR and the binary types;
 * the v4 spec says ACK and ERROR "may contain" one. */
static bool payload_required(int ver, int t)
{
    if (ver == 4)
        return is_event_type(t) || t == SIO_BINARY_ACK;
    return is_event_type(t) || is_ack_type(t) || t == SIO_CONNECT_ERROR;
}

/* clang-format off */
#define RESERVED(s) {s, sizeof(s) - 1}
/* clang-format on */
static const struct {
    const char *name;
    size_t len;
} reserved_events[] = {
    RESERVED("connect"),       RESERVED("connect_error"), RESERVED("disconnect"),
    RESERVED("disconnecting"), RESERVED("newListener"),   RESERVED("removeListener"),
};
#undef RESERVED

/* |name| is a string token as the JSON reader returns it (quotes, no
 * surrounding spaces). Without escapes the name is its bytes, which saves
 * the general comparison six times over. */
static bool is_reserved_event(struct cdc_span name)
{
    const size_t n = sizeof(reserved_events) / sizeof(reserved_events[0]);
    bool plain = name.len >= 2 && !memchr(name.p + 1, '\\', name.len - 2);
    for (size_t i = 0; i < n; i++) {
        const char *r = reserved_events[i].name;
        size_t len = reserved_events[i].len;
        if (plain ? name.len - 2 == len && memcmp(name.p + 1, r, len) == 0
                  : cdc_json_string_eq(name, r, len))
            return true;
    }
    return false;
}

static int check_event(struct rules *r)
{
    size_t off = r->data_off;
    if (cdc_json_type_of(r->p->data) != CDC_JSON_ARRAY)
        return sio_fail(r->diag, off, CDC_ERR_SIO_PAYLOAD, "EVENT payload is not an array");
    struct cdc_json_iter it;
    struct cdc_span name;
    cdc_json_iter_init(&it, r->p->data);
    if (cdc_json_iter_next(&it, NULL, &name) != 1)
        return sio_fail(r->diag, off, CDC_ERR_SIO_EVENT_NAME, "EVENT payload has no event name");
    off += (size_t)(name.p - r->p->data.p);
    enum cdc_json_type t = cdc_json_type_of(name);
    if (t == CDC_JSON_NUMBER)
        return CDC_OK;
    if (t != CDC_JSON_STRING)
        return sio_fail(r->diag, off, CDC_ERR_SIO_EVENT_NAME, "event name not a string/number");
    if (!is_reserved_event(name))
        return CDC_OK;
    if (r->o->sio_version == 4) /* parser 3.x has no reserved names */
        return lenient(r, CDC_QUIRK_SIO_V4_LEGACY_PAYLOAD, off, CDC_ERR_SIO_EVENT_NAME,
                       "reserved event name");
    return sio_fail(r->diag, off, CDC_ERR_SIO_EVENT_NAME, "reserved event name");
}

static int check_connect(struct rules *r, enum cdc_json_type t)
{
    if (r->o->sio_version == 5) {
        if (t == CDC_JSON_OBJECT)
            return CDC_OK;
        return sio_fail(r->diag, r->data_off, CDC_ERR_SIO_PAYLOAD, "CONNECT payload not an object");
    }
    /* v4: no payload at all; parser 3.x accepts any typeof "object". */
    if (t != CDC_JSON_OBJECT && t != CDC_JSON_ARRAY && t != CDC_JSON_NULL)
        return sio_fail(r->diag, r->data_off, CDC_ERR_SIO_PAYLOAD, "v4 CONNECT has a payload");
    return lenient(r, CDC_QUIRK_SIO_V4_LEGACY_PAYLOAD, r->data_off, CDC_ERR_SIO_PAYLOAD,
                   "v4 CONNECT has a payload");
}

static int check_connect_error(struct rules *r, enum cdc_json_type t)
{
    if (t == CDC_JSON_OBJECT || (t == CDC_JSON_STRING && r->o->sio_version == 4))
        return CDC_OK;
    if (t == CDC_JSON_STRING)
        return lenient(r, CDC_QUIRK_SIO_CONNECT_ERROR_STRING, r->data_off, CDC_ERR_SIO_PAYLOAD,
                       "v5 CONNECT_ERROR payload is a string");
    if (r->o->sio_version == 4 && (t == CDC_JSON_ARRAY || t == CDC_JSON_NULL))
        return lenient(r, CDC_QUIRK_SIO_V4_LEGACY_PAYLOAD, r->data_off, CDC_ERR_SIO_PAYLOAD,
                       "ERROR payload is an array or null");
    return sio_fail(r->diag, r->data_off, CDC_ERR_SIO_PAYLOAD,
                    "CONNECT_ERROR payload not an object/string");
}

static int check_shape(struct rules *r)
{
    enum cdc_json_type t = cdc_json_type_of(r->p->data);
    switch (r->p->type) {
    case SIO_CONNECT:
        return check_connect(r, t);
    case SIO_DISCONNECT:
        return sio_fail(r->diag, r->data_off, CDC_ERR_SIO_PAYLOAD, "DISCONNECT has a payload");
    case SIO_EVENT:
    case SIO_BINARY_EVENT:
        return check_event(r);
    case SIO_ACK:
    case SIO_BINARY_ACK:
        if (t == CDC_JSON_ARRAY)
            return CDC_OK;
        return sio_fail(r->diag, r->data_off, CDC_ERR_SIO_PAYLOAD, "ACK payload not an array");
    default:
        return check_connect_error(r, t);
    }
}

static int check_ack_id(struct rules *r)
{
    int t = r->p->type;
    if (r->p->has_id && !is_event_type(t) && !is_ack_type(t))
        return lenient(r, CDC_QUIRK_SIO_MISPLACED_ACK_ID, 0, CDC_ERR_SIO_ACK_ID,
                       "ack id not allowed on this packet type");
    if (!r->p->has_id && is_ack_type(t))
        return lenient(r, CDC_QUIRK_SIO_ACK_WITHOUT_ID, 0, CDC_ERR_SIO_ACK_ID,
                       "ACK without an ack id");
    return CDC_OK;
}

/* Everything after the header grammar: ack id placement, payload presence
 * and shape, placeholders. |r->p->data| is validated JSON or empty. */
static int check_rules(struct rules *r)
{
    const struct sio_packet *p = r->p;
    int rc = check_ack_id(r);
    if (rc != CDC_OK)
        return rc;
    if (p->data.len == 0) {
        if (payload_required(r->o->sio_version, p->type)) {
            rc = lenient(r, CDC_QUIRK_SIO_NO_PAYLOAD, r->data_off, CDC_ERR_SIO_MISSING_PAYLOAD,
                         "packet type requires a payload");
            if (rc != CDC_OK)
                return rc;
        }
    } else {
        rc = check_shape(r);
        if (rc != CDC_OK)
            return rc;
    }
    if (!is_binary_type(p->type))
        return CDC_OK;
    return sio_placeholders_check(r->o, p->data, p->attachments, true, r->quirks, r->data_off,
                                  r->diag);
}

static bool opts_ok(const struct cdc_opts *o)
{
    return o && (o->sio_version == 4 || o->sio_version == 5) &&
           (o->mode == CDC_STRICT || o->mode == CDC_COMPAT);
}

/* Validates the payload; strict mode checks UTF-8 in its strings unless
 * |utf8_known| says the bytes are well-formed already. */
static int check_json(const struct cdc_opts *o, struct cdc_span data, size_t off, bool utf8_known,
                      struct cdc_diag *diag)
{
    struct cdc_diag d = {0, NULL};
    bool utf8 = o->mode == CDC_STRICT && !utf8_known;
    int rc = cdc_json_validate(data.p, data.len, o->lim.max_json_depth, utf8, &d);
    if (rc == CDC_OK)
        return CDC_OK;
    if (rc == CDC_ERR_JSON)
        rc = CDC_ERR_SIO_JSON;
    return sio_fail(diag, off + d.off, rc, d.why ? d.why : "invalid JSON payload");
}

/* ---- public API -------------------------------------------------------- */

static int decode_header(struct hdr *h)
{
    int rc = parse_type(h);
    if (rc == CDC_OK && is_binary_type(h->out->type))
        rc = parse_attachments(h);
    if (rc == CDC_OK)
        rc = parse_nsp(h);
    if (rc == CDC_OK)
        rc = parse_ack(h);
    return rc;
}

/* Both decoders; |utf8_known| skips every UTF-8 check (see sio.h). */
static int decode_packet(const struct cdc_opts *o, const uint8_t *in, size_t len,
                         struct sio_packet *out, struct cdc_diag *diag, bool utf8_known)
{
    if (!opts_ok(o) || !out || (!in && len))
        return sio_fail(diag, 0, CDC_ERR_INVALID_ARG, "bad arguments");
    if (len > o->lim.max_payload)
        return sio_fail(diag, o->lim.max_payload, CDC_ERR_TOO_LARGE, "packet above max_payload");
    if (!in)
        in = (const uint8_t *)""; /* len is 0: keep pointer arithmetic defined */
    struct sio_packet pk;
    memset(&pk, 0, sizeof pk);
    struct hdr h = {o, in, in, in + len, &pk, diag, o->mode == CDC_COMPAT, utf8_known};
    int rc = decode_header(&h);
    if (rc != CDC_OK)
        return rc;
    size_t off = (size_t)(h.p - in);
    pk.data = (struct cdc_span){h.p, len - off};
    if (pk.data.len && (rc = check_json(o, pk.data, off, utf8_known, diag)) != CDC_OK)
        return rc;
    struct rules r = {o, &pk, &pk.quirks, off, diag, h.compat};
    rc = check_rules(&r);
    if (rc != CDC_OK)
        return rc;
    /* Node decodes invalid UTF-8 to U+FFFD; we keep the raw bytes. */
    if (h.compat && !utf8_known && len && cdc_utf8_check(in, len, NULL) != CDC_OK)
        pk.quirks |= CDC_QUIRK_INVALID_UTF8;
    *out = pk;
    return CDC_OK;
}

int sio_packet_decode(const struct cdc_opts *o, const uint8_t *in, size_t len,
                      struct sio_packet *out, struct cdc_diag *diag)
{
    return decode_packet(o, in, len, out, diag, false);
}

int sio_packet_decode_trusted_utf8(const struct cdc_opts *o, const uint8_t *in, size_t len,
                                   struct sio_packet *out, struct cdc_diag *diag)
{
    return decode_packet(o, in, len, out, diag, true);
}

static int validate_nsp(const struct cdc_opts *o, struct cdc_span nsp, struct cdc_diag *diag)
{
    if (nsp.len == 0)
        return CDC_OK; /* read as "/" */
    if (!nsp.p || nsp.p[0] != '/')
        return sio_fail(diag, 0, CDC_ERR_SIO_NAMESPACE, "namespace does not start with '/'");
    if (nsp.len > o->lim.max_nsp_len)
        return sio_fail(diag, 0, CDC_ERR_SIO_NAMESPACE, "namespace longer than the limit");
    if (memchr(nsp.p, ',', nsp.len))
        return sio_fail(diag, 0, CDC_ERR_SIO_NAMESPACE, "namespace contains a comma");
    if (o->mode == CDC_STRICT && cdc_utf8_check(nsp.p, nsp.len, NULL) != CDC_OK)
        return sio_fail(diag, 0, CDC_ERR_UTF8, "namespace is not valid UTF-8");
    return CDC_OK;
}

static int validate_fields(const struct cdc_opts *o, const struct sio_packet *p,
                           struct cdc_diag *diag)
{
    if ((unsigned)p->type > SIO_BINARY_ACK)
        return sio_fail(diag, 0, CDC_ERR_SIO_TYPE, "packet type outside 0-6");
    int rc = validate_nsp(o, p->nsp, diag);
    if (rc != CDC_OK)
        return rc;
    if (is_binary_type(p->type) && p->attachments == 0)
        return sio_fail(diag, 0, CDC_ERR_SIO_ATTACHMENTS, "binary packet without attachments");
    if (is_binary_type(p->type) && p->attachments > sio_max_attachments(o))
        return sio_fail(diag, 0, CDC_ERR_SIO_TOO_MANY_ATTACHMENTS, "attachments above the limit");
    if (p->has_id && p->id > SIO_ACK_ID_MAX)
        return sio_fail(diag, 0, CDC_ERR_SIO_ACK_ID, "ack id above 2^53-1");
    if (p->data.len && !p->data.p)
        return sio_fail(diag, 0, CDC_ERR_INVALID_ARG, "payload span without bytes");
    /* Leading whitespace would be read back as ack id digits. */
    if (p->data.len && js_ws_len(p->data.p, p->data.p + p->data.len))
        return sio_fail(diag, 0, CDC_ERR_SIO_JSON, "payload starts with whitespace");
    if (p->data.len)
        return check_json(o, p->data, 0, false, diag);
    return CDC_OK;
}

int sio_packet_validate(const struct cdc_opts *o, const struct sio_packet *p, struct cdc_diag *diag)
{
    if (!opts_ok(o) || !p)
        return sio_fail(diag, 0, CDC_ERR_INVALID_ARG, "bad arguments");
    int rc = validate_fields(o, p, diag);
    if (rc != CDC_OK)
        return rc;
    uint32_t quirks = 0;
    struct rules r = {o, p, &quirks, 0, diag, o->mode == CDC_COMPAT};
    return check_rules(&r);
}

static size_t digits_u64(uint64_t v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* Writes the decimal form of |v| (|n| digits) at |dst|. */
static uint8_t *put_u64(uint8_t *dst, uint64_t v, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        dst[i - 1] = (uint8_t)('0' + v % 10);
        v /= 10;
    }
    return dst + n;
}

/* Appends the wire form of |p| (fields already checked) with one reserve. */
static int encode_into(const struct sio_packet *p, struct cdc_buf *out)
{
    bool bin = is_binary_type(p->type);
    bool nsp = p->nsp.len && !(p->nsp.len == 1 && p->nsp.p[0] == '/');
    size_t na = bin ? digits_u64(p->attachments) : 0, ni = p->has_id ? digits_u64(p->id) : 0;
    size_t nn = nsp ? p->nsp.len : 0;
    if (nn > SIZE_MAX / 2 || p->data.len > SIZE_MAX / 2 - nn - 64)
        return CDC_ERR_TOO_LARGE;
    uint8_t *dst;
    int rc = cdc_buf_reserve(out, 1 + na + bin + nn + nsp + ni + p->data.len, &dst);
    if (rc != CDC_OK)
        return rc;
    uint8_t *w = dst;
    *w++ = (uint8_t)('0' + (int)p->type);
    if (bin) {
        w = put_u64(w, p->attachments, na);
        *w++ = '-';
    }
    if (nsp) {
        memcpy(w, p->nsp.p, nn);
        w += nn;
        *w++ = ',';
    }
    if (p->has_id)
        w = put_u64(w, p->id, ni);
    if (p->data.len)
        memcpy(w, p->data.p, p->data.len);
    out->len += (size_t)(w - dst) + p->data.len;
    return CDC_OK;
}

int sio_packet_encode(const struct cdc_opts *o, const struct sio_packet *p, struct cdc_buf *out)
{
    if (!out)
        return CDC_ERR_INVALID_ARG;
    int rc = sio_packet_validate(o, p, NULL);
    if (rc != CDC_OK)
        return rc;
    return encode_into(p, out);
}

int sio_packet_encode_trusted(const struct cdc_opts *o, const struct sio_packet *p,
                              struct cdc_buf *out)
{
    if (!opts_ok(o) || !p || !out || (unsigned)p->type > SIO_BINARY_ACK ||
        (p->nsp.len && !p->nsp.p) || (p->data.len && !p->data.p))
        return CDC_ERR_INVALID_ARG;
    return encode_into(p, out);
}
