/*
 * hx_live_shape.c - answer shapes: what a server did in one case, reduced
 * to small hashed features for the campaign's "new behaviour" feedback
 * (the AFLNet idea of keying server state on response codes, applied to
 * Engine.IO / Socket.IO items).
 *
 * A feature abstracts away what the client chose itself: session ids,
 * echoed arguments, ack ids and payload sizes never enter it, so an echo
 * of a new argument shape is not new behaviour, while a new packet type,
 * namespace answer, close code, HTTP status, error or a new transition
 * between two of them is.
 */
#include "hx_live_shape.h"

#include <string.h>

void hx_live_obs_feature(struct hx_live_obs *obs, uint32_t f)
{
    for (unsigned i = 0; i < obs->nfeat; i++)
        if (obs->feat[i] == f)
            return;
    if (obs->nfeat < HX_LIVE_MAX_FEAT)
        obs->feat[obs->nfeat++] = f;
}

uint32_t shape_mix(uint32_t h, uint32_t v)
{
    h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
    h *= 0x85ebca6bu;
    return h ^ (h >> 13);
}

static uint32_t hash_bytes(uint32_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static unsigned nsp_class(struct cdc_span nsp)
{
    static const char *const known[] = {"/", "/custom", "/forbidden"};
    for (unsigned i = 0; i < 3; i++)
        if (nsp.len == strlen(known[i]) && memcmp(nsp.p, known[i], nsp.len) == 0)
            return i;
    return 3;
}

/* The class of the event name of a Socket.IO EVENT: one of the contract's
 * server events, "another string", a number, or none. */
static unsigned event_class(struct cdc_span data)
{
    static const char *const known[] = {
        "auth", "message-back", "emit-with-ack", "emit-with-ack-result", "broadcast", "message"};
    if (data.len < 2 || data.p[0] != '[')
        return 20;
    if (data.p[1] != '"')
        return data.p[1] >= '0' && data.p[1] <= '9' ? 21 : data.p[1] == ']' ? 22 : 23;
    const uint8_t *q = memchr(data.p + 2, '"', data.len - 2);
    size_t n = q ? (size_t)(q - data.p - 2) : 0;
    for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (n == strlen(known[i]) && memcmp(data.p + 2, known[i], n) == 0)
            return i;
    return 24;
}

/* Top-level elements of a JSON array, bucketed 0, 1, 2, 3+ (-1: not one). */
static unsigned arg_bucket(struct cdc_span d)
{
    if (d.len < 2 || d.p[0] != '[')
        return 9;
    unsigned n = 0, depth = 0;
    bool str = false, any = false;
    for (size_t i = 1; i + 1 < d.len; i++) {
        uint8_t c = d.p[i];
        if (str) {
            i += c == '\\';
            str = c != '"';
            continue;
        }
        any |= c != ' ';
        if (c == '"')
            str = true;
        else if (c == '[' || c == '{')
            depth++;
        else if ((c == ']' || c == '}') && depth)
            depth--;
        else if (c == ',' && depth == 0)
            n++;
    }
    n += any;
    return n > 3 ? 3 : n;
}

static uint32_t sio_feature(uint32_t h, const struct sio_packet *p)
{
    h = shape_mix(h, 100u + p->type);
    h = shape_mix(h, nsp_class(p->nsp));
    h = shape_mix(h, p->has_id);
    if (p->type == SIO_EVENT || p->type == SIO_BINARY_EVENT) {
        h = shape_mix(h, event_class(p->data));
        h = shape_mix(h, p->attachments > 0);
    } else if (p->type == SIO_ACK || p->type == SIO_BINARY_ACK) {
        h = shape_mix(h, arg_bucket(p->data));
    } else if (p->type == SIO_CONNECT_ERROR) {
        h = hash_bytes(h, p->data.p, p->data.len < 96 ? p->data.len : 96);
    } else {
        h = shape_mix(h, p->data.len > 0);
    }
    return h;
}

uint32_t hx_live_item_feature(const struct hx_item *it)
{
    uint32_t h = shape_mix(0x51d3u, it->kind);
    h = shape_mix(h, (uint32_t)it->tp * 2u + it->aux);
    switch (it->kind) {
    case HX_ITEM_EIO:
        h = shape_mix(h, it->eio_ok ? it->eio.type : 99u);
        return shape_mix(h, it->binary);
    case HX_ITEM_SIO:
        return sio_feature(h, &it->sio);
    case HX_ITEM_HTTP:
        h = shape_mix(h, (uint32_t)it->http_status);
        return shape_mix(h, it->eio_ok ? it->eio.type : 99u);
    case HX_ITEM_WS:
        h = shape_mix(h, it->opcode);
        return shape_mix(h, it->eio_ok ? it->eio.type : 99u);
    case HX_ITEM_CLOSE:
        return shape_mix(h, it->close_code);
    case HX_ITEM_ERROR: {
        /* The reason's first word says what kind of failure it was. */
        size_t n = strcspn(it->reason, " :");
        h = shape_mix(h, (uint32_t)(it->err < 0 ? -it->err : it->err));
        return hash_bytes(h, (const uint8_t *)it->reason, n);
    }
    }
    return h;
}

void hx_live_shape_session(struct hx_live_obs *obs, struct hx_session *s, unsigned slot)
{
    uint32_t prev = 0x7777u + slot;
    for (size_t i = 0; i < hx_session_queued(s); i++) {
        uint32_t f = hx_live_item_feature(hx_session_peek(s, i));
        hx_live_obs_feature(obs, f);
        hx_live_obs_feature(obs, shape_mix(prev, f)); /* the transition */
        prev = f;
    }
}

void hx_live_shape_action(struct hx_live_obs *obs, int op, unsigned flags, int rc)
{
    uint32_t h = shape_mix(0xac7u, (uint32_t)op);
    h = shape_mix(h, flags & (HX_LIVE_F_WS | HX_LIVE_F_BINARY));
    hx_live_obs_feature(obs, shape_mix(h, (uint32_t)(rc < 0 ? 1000 - rc : rc)));
}
