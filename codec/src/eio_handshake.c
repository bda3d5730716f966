/*
 * eio_handshake.c - the JSON of the Engine.IO open packet and of the HTTP
 * error bodies.
 *
 * Spec: engine.io-protocol v4 "Handshake" (sid, upgrades, pingInterval,
 * pingTimeout, maxPayload; the official suites require exactly these five
 * keys) and v3 "Anatomy of a session" (the first four; maxPayload came
 * later and is optional there). Error bodies are {"code":N,"message":S}
 * with the six codes of the reference server.
 *
 * JSON is validated and read with cdc_json.h only: no allocation here. The
 * sid is unescaped straight into the fixed array of struct eio_handshake.
 * Duplicate keys resolve to the last one, as JSON.parse does; strict mode
 * rejects them, compat mode flags them like extra keys.
 */
#include "codec/cdc_json.h"
#include "codec/eio.h"

#include <string.h>

#define HS_KEYS 5
#define PING_MAX ((UINT64_C(1) << 31) - 1)
#define MAX_PAYLOAD_MAX ((UINT64_C(1) << 53) - 1)

static const char *const hs_keys[HS_KEYS] = {"sid", "upgrades", "pingInterval", "pingTimeout",
                                             "maxPayload"};

static const char *const err_messages[] = {
    "Transport unknown", "Session ID unknown", "Bad handshake method",
    "Bad request",       "Forbidden",          "Unsupported protocol version",
};

static int fail(struct cdc_diag *diag, const uint8_t *base, const uint8_t *at, int err,
                const char *why)
{
    if (diag) {
        diag->off = (size_t)(at - base);
        diag->why = why;
    }
    return err;
}

/* Validates |json| as one JSON value and returns it trimmed in |*root|.
 * Invalid UTF-8 is a JSON error in strict mode and a quirk in compat. */
static int parse_root(const struct cdc_opts *o, const uint8_t *json, size_t len,
                      struct cdc_span *root, uint32_t *quirks, struct cdc_diag *diag)
{
    bool strict = o->mode == CDC_STRICT;
    int rc = cdc_json_validate(json, len, o->lim.max_json_depth, strict, diag);
    if (rc == CDC_ERR_UTF8)
        rc = CDC_ERR_JSON; /* RFC 8259 section 8.1: JSON text is UTF-8 */
    if (rc != CDC_OK)
        return rc;
    if (!strict && cdc_utf8_check(json, len, NULL) != CDC_OK)
        *quirks |= CDC_QUIRK_INVALID_UTF8;
    *root = cdc_json_trim((struct cdc_span){json, len});
    return CDC_OK;
}

/* Members of the open packet object, the last of each known key. */
struct hs_members {
    struct cdc_span val[HS_KEYS];
    unsigned seen[HS_KEYS];
    unsigned extra;
};

static int collect(struct cdc_span obj, struct hs_members *m)
{
    struct cdc_json_iter it;
    struct cdc_span k, v;
    int rc;
    memset(m, 0, sizeof(*m));
    if (cdc_json_iter_init(&it, obj) != CDC_OK)
        return CDC_ERR_JSON;
    while ((rc = cdc_json_iter_next(&it, &k, &v)) == 1) {
        size_t i = 0;
        while (i < HS_KEYS && !cdc_json_string_eq(k, hs_keys[i], strlen(hs_keys[i])))
            i++;
        if (i == HS_KEYS) {
            m->extra++;
            continue;
        }
        m->val[i] = v;
        m->seen[i]++;
    }
    return rc;
}

/* Key set rules: strict wants the spec's keys once each; compat flags. */
static int check_keys(const struct cdc_opts *o, const struct hs_members *m,
                      struct eio_handshake *out)
{
    unsigned required = o->eio_version == 3 ? 4 : HS_KEYS;
    bool dup = false, missing = false;
    for (unsigned i = 0; i < HS_KEYS; i++) {
        dup |= m->seen[i] > 1;
        missing |= i < required && m->seen[i] == 0;
        if (m->seen[i])
            out->present |= 1u << i;
    }
    out->extra_keys = m->extra;
    if (o->mode == CDC_STRICT && (dup || missing || m->extra))
        return CDC_ERR_EIO_HANDSHAKE;
    if (dup || m->extra)
        out->quirks |= CDC_QUIRK_EIO_HANDSHAKE_EXTRA_KEY;
    if (missing)
        out->quirks |= CDC_QUIRK_EIO_HANDSHAKE_MISSING_KEY;
    return CDC_OK;
}

static int read_sid(struct cdc_span v, struct eio_handshake *out)
{
    /* A buffer whose capacity equals its max never reallocates, so the
     * unescaper writes straight into the array. */
    struct cdc_buf b = {(uint8_t *)out->sid, 0, EIO_SID_MAX, EIO_SID_MAX, NULL};
    if (cdc_json_type_of(v) != CDC_JSON_STRING || cdc_json_string_unescape(v, &b) != CDC_OK ||
        b.len == 0)
        return CDC_ERR_EIO_HANDSHAKE_FIELD;
    out->sid_len = b.len;
    out->sid[b.len] = 0;
    return CDC_OK;
}

static int read_upgrades(struct cdc_span v, struct eio_handshake *out)
{
    struct cdc_json_iter it;
    struct cdc_span e;
    int rc;
    if (cdc_json_type_of(v) != CDC_JSON_ARRAY || cdc_json_iter_init(&it, v) != CDC_OK)
        return CDC_ERR_EIO_HANDSHAKE_FIELD;
    while ((rc = cdc_json_iter_next(&it, NULL, &e)) == 1) {
        if (cdc_json_type_of(e) != CDC_JSON_STRING)
            return CDC_ERR_EIO_HANDSHAKE_FIELD;
        if (cdc_json_string_eq(e, "websocket", 9))
            out->upgrades |= EIO_UPGRADE_WEBSOCKET;
        else if (cdc_json_string_eq(e, "webtransport", 12))
            out->upgrades |= EIO_UPGRADE_WEBTRANSPORT;
        out->n_upgrades++;
    }
    return rc == 0 ? CDC_OK : CDC_ERR_EIO_HANDSHAKE_FIELD;
}

static int read_uint(struct cdc_span v, uint64_t max, uint64_t *out)
{
    if (cdc_json_type_of(v) != CDC_JSON_NUMBER || cdc_json_number_u64(v, max, out) != CDC_OK ||
        *out == 0)
        return CDC_ERR_EIO_HANDSHAKE_FIELD;
    return CDC_OK;
}

/* Reads the value of known key |i|. */
static int read_field(unsigned i, struct cdc_span v, struct eio_handshake *out)
{
    switch (i) {
    case 0:
        return read_sid(v, out);
    case 1:
        return read_upgrades(v, out);
    case 2:
        return read_uint(v, PING_MAX, &out->ping_interval);
    case 3:
        return read_uint(v, PING_MAX, &out->ping_timeout);
    default:
        return read_uint(v, MAX_PAYLOAD_MAX, &out->max_payload);
    }
}

int eio_handshake_decode(const struct cdc_opts *o, const uint8_t *json, size_t len,
                         struct eio_handshake *out, struct cdc_diag *diag)
{
    struct cdc_span root;
    struct hs_members m;
    if (!o || !out || (!json && len))
        return fail(diag, json, json, CDC_ERR_INVALID_ARG, "bad arguments");
    memset(out, 0, sizeof(*out));
    int rc = parse_root(o, json, len, &root, &out->quirks, diag);
    if (rc != CDC_OK)
        return rc;
    if (cdc_json_type_of(root) != CDC_JSON_OBJECT)
        return fail(diag, json, root.p, CDC_ERR_EIO_HANDSHAKE, "handshake is not an object");
    if (collect(root, &m) < 0)
        return fail(diag, json, root.p, CDC_ERR_JSON, "malformed object");
    if (check_keys(o, &m, out) != CDC_OK)
        return fail(diag, json, root.p, CDC_ERR_EIO_HANDSHAKE,
                    "handshake keys are not exactly the spec's (missing, extra or duplicate)");
    for (unsigned i = 0; i < HS_KEYS; i++) {
        if (m.seen[i] && read_field(i, m.val[i], out) != CDC_OK)
            return fail(diag, json, m.val[i].p, CDC_ERR_EIO_HANDSHAKE_FIELD,
                        "handshake field has a wrong type or range");
    }
    return CDC_OK;
}

static int append_key_u64(struct cdc_buf *out, const char *key, uint64_t v)
{
    int rc = cdc_buf_append_str(out, key);
    return rc == CDC_OK ? cdc_buf_append_u64(out, v) : rc;
}

int eio_handshake_encode(const struct cdc_opts *o, const struct eio_handshake *hs,
                         struct cdc_buf *out)
{
    (void)o; /* one format for both revisions: maxPayload follows |present| */
    if (!hs || !out || hs->sid_len > EIO_SID_MAX)
        return CDC_ERR_INVALID_ARG;
    size_t mark = out->len;
    int rc = cdc_buf_append_str(out, "{\"sid\":");
    if (rc == CDC_OK)
        rc = cdc_json_string_encode((const uint8_t *)hs->sid, hs->sid_len, out);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, ",\"upgrades\":[");
    if (rc == CDC_OK && (hs->upgrades & EIO_UPGRADE_WEBSOCKET))
        rc = cdc_buf_append_str(out, "\"websocket\"");
    if (rc == CDC_OK && hs->upgrades == (EIO_UPGRADE_WEBSOCKET | EIO_UPGRADE_WEBTRANSPORT))
        rc = cdc_buf_append_byte(out, ',');
    if (rc == CDC_OK && (hs->upgrades & EIO_UPGRADE_WEBTRANSPORT))
        rc = cdc_buf_append_str(out, "\"webtransport\"");
    if (rc == CDC_OK)
        rc = append_key_u64(out, "],\"pingInterval\":", hs->ping_interval);
    if (rc == CDC_OK)
        rc = append_key_u64(out, ",\"pingTimeout\":", hs->ping_timeout);
    if (rc == CDC_OK && (hs->present & EIO_HS_MAX_PAYLOAD))
        rc = append_key_u64(out, ",\"maxPayload\":", hs->max_payload);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(out, '}');
    if (rc != CDC_OK)
        out->len = mark;
    return rc;
}

const char *eio_error_message(int code)
{
    return code >= 0 && code <= EIO_ERR_UNSUPPORTED_PROTOCOL_VERSION ? err_messages[code] : NULL;
}

/* Reads the error object's members; |*extra| counts unknown or repeated
 * keys. */
static int error_members(struct cdc_span obj, struct cdc_span *code, struct cdc_span *msg,
                         unsigned *extra)
{
    struct cdc_json_iter it;
    struct cdc_span k, v;
    unsigned n_code = 0, n_msg = 0;
    int rc;
    *extra = 0;
    if (cdc_json_iter_init(&it, obj) != CDC_OK)
        return CDC_ERR_JSON;
    while ((rc = cdc_json_iter_next(&it, &k, &v)) == 1) {
        if (cdc_json_string_eq(k, "code", 4)) {
            *code = v;
            *extra += n_code++ > 0;
        } else if (cdc_json_string_eq(k, "message", 7)) {
            *msg = v;
            *extra += n_msg++ > 0;
        } else {
            (*extra)++;
        }
    }
    if (rc < 0)
        return rc;
    return n_code && n_msg ? CDC_OK : CDC_ERR_EIO_ERROR_BODY;
}

int eio_error_decode(const struct cdc_opts *o, const uint8_t *json, size_t len,
                     struct eio_error *out, struct cdc_diag *diag)
{
    struct cdc_span root, code = {NULL, 0}, msg = {NULL, 0};
    uint32_t quirks = 0;
    unsigned extra;
    uint64_t c;
    if (!o || !out || (!json && len))
        return fail(diag, json, json, CDC_ERR_INVALID_ARG, "bad arguments");
    memset(out, 0, sizeof(*out));
    int rc = parse_root(o, json, len, &root, &quirks, diag);
    if (rc != CDC_OK)
        return rc;
    if (cdc_json_type_of(root) != CDC_JSON_OBJECT)
        return fail(diag, json, root.p, CDC_ERR_EIO_ERROR_BODY, "error body is not an object");
    rc = error_members(root, &code, &msg, &extra);
    if (rc == CDC_OK && extra && o->mode == CDC_STRICT)
        rc = CDC_ERR_EIO_ERROR_BODY;
    if (rc == CDC_OK &&
        (cdc_json_type_of(code) != CDC_JSON_NUMBER || cdc_json_type_of(msg) != CDC_JSON_STRING))
        rc = CDC_ERR_EIO_ERROR_BODY;
    if (rc != CDC_OK)
        return fail(diag, json, root.p, rc, "error body is not {\"code\":N,\"message\":S}");
    if (cdc_json_number_u64(code, EIO_ERR_UNSUPPORTED_PROTOCOL_VERSION, &c) != CDC_OK)
        return fail(diag, json, code.p, CDC_ERR_EIO_ERROR_CODE, "error code is not 0-5");
    out->code = (int)c;
    out->message = msg;
    return CDC_OK;
}

int eio_error_encode(int code, struct cdc_buf *out)
{
    const char *m = eio_error_message(code);
    if (!m || !out)
        return CDC_ERR_INVALID_ARG;
    size_t mark = out->len;
    int rc = append_key_u64(out, "{\"code\":", (uint64_t)code);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, ",\"message\":");
    if (rc == CDC_OK)
        rc = cdc_json_string_encode((const uint8_t *)m, strlen(m), out);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(out, '}');
    if (rc != CDC_OK)
        out->len = mark;
    return rc;
}
