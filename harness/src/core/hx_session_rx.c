/*
 * hx_session_rx.c - everything the server sends: items, decoding of polling
 * payloads and WebSocket messages, automatic heartbeat answers, and the
 * per-role dispatch of transport events.
 *
 * Items are one allocation each: a size header, the public struct, then
 * the bytes its spans point to. Data decoded into the session's scratch
 * buffer is copied into the item before the next decode reuses it.
 */
#include "hx_session_int.h"

#include "codec/cdc_json.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item_box {
    size_t size;
    size_t used;
    size_t cap;
    struct hx_item it;
    uint8_t store[];
};

static struct item_box *box_of(const struct hx_item *it)
{
    return (struct item_box *)(void *)((const char *)it - offsetof(struct item_box, it));
}

size_t item_size(const struct hx_item *it)
{
    return box_of(it)->size;
}

struct hx_item *item_new(struct hx_session *s, enum hx_item_kind kind, size_t extra)
{
    size_t size = sizeof(struct item_box) + extra;
    if (s->mem_used + size > s->o.max_mem) {
        s->mem_err = HX_ERR_TOO_LARGE;
        ses_fail(s, "received items exceed the session memory limit (%zu bytes)", s->o.max_mem);
        return NULL;
    }
    struct item_box *b = calloc(1, size);
    if (!b) {
        s->mem_err = HX_ERR_NOMEM;
        return NULL;
    }
    b->size = size;
    b->cap = extra;
    s->mem_used += size;
    b->it.kind = kind;
    b->it.at_us = ses_now(s) - s->t0;
    return &b->it;
}

struct cdc_span item_copy(struct hx_item *it, const void *p, size_t n)
{
    struct item_box *b = box_of(it);
    if (!n || b->used + n > b->cap)
        return (struct cdc_span){b->store + b->used, 0};
    uint8_t *d = b->store + b->used;
    memcpy(d, p, n);
    b->used += n;
    return (struct cdc_span){d, n};
}

void item_push(struct hx_session *s, struct hx_item *it)
{
    it->next = NULL;
    if (s->q_tail)
        s->q_tail->next = it;
    else
        s->q_head = it;
    s->q_tail = it;
    s->q_len++;
}

void item_free_all(struct hx_item *it)
{
    while (it) {
        struct hx_item *n = it->next;
        free(box_of(it));
        it = n;
    }
}

static bool role_aux(struct hx_session *s, unsigned chan)
{
    struct hx_chan_rec *c = ses_chan(s, chan);
    return c && c->role == ROLE_AUX;
}

void ses_queue_event(struct hx_session *s, const struct hx_event *ev, enum hx_item_kind kind,
                     enum hx_tp tp)
{
    struct hx_item *it = item_new(s, kind, ev->data.len + ev->head.len);
    if (!it)
        return;
    it->tp = tp;
    it->chan = ev->chan;
    it->aux = role_aux(s, ev->chan);
    it->raw = item_copy(it, ev->data.p, ev->data.len);
    it->head = item_copy(it, ev->head.p, ev->head.len);
    it->binary = ev->binary;
    it->opcode = ev->opcode;
    it->http_status = ev->http_status;
    it->close_code = ev->close_code;
    it->err = ev->err;
    snprintf(it->reason, sizeof(it->reason), "%s", ev->reason);
    item_push(s, it);
}

void ses_queue_error(struct hx_session *s, enum hx_tp tp, unsigned chan, int err,
                     struct cdc_span raw, const char *fmt, ...)
{
    struct hx_item *it = item_new(s, HX_ITEM_ERROR, raw.len);
    if (!it)
        return;
    it->tp = tp;
    it->chan = chan;
    it->err = err;
    it->raw = item_copy(it, raw.p, raw.len);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->reason, sizeof(it->reason), fmt, ap);
    va_end(ap);
    hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, ses_tp_tag(tp), chan, "error %s",
                        it->reason);
    item_push(s, it);
}

/* ---- transcript lines ---- */

void ses_log_eio(struct hx_session *s, enum hx_dir dir, enum hx_tp tp, unsigned chan,
                 const struct eio_packet *p)
{
    if (!s->tr)
        return;
    struct cdc_buf b;
    cdc_buf_init(&b, 4096, NULL);
    const char *name = eio_type_name((int)p->type);
    size_t show = p->data.len > 200 ? 200 : p->data.len;
    if (p->binary) {
        char hex[3];
        for (size_t i = 0; i < show && i < 32; i++) {
            snprintf(hex, sizeof(hex), "%02x", p->data.p[i]);
            cdc_buf_append_str(&b, hex);
        }
    } else {
        hx_escape(p->data.p, show, &b);
    }
    if (p->binary)
        hx_transcript_textf(s->tr, ses_now(s), dir, ses_tp_tag(tp), chan,
                            "eio %s binary[%zu]=%.*s%s", name ? name : "?", p->data.len, (int)b.len,
                            b.p ? (const char *)b.p : "", p->data.len > 32 ? "..." : "");
    else
        hx_transcript_textf(s->tr, ses_now(s), dir, ses_tp_tag(tp), chan, "eio %s text=\"%.*s\"%s",
                            name ? name : "?", (int)b.len, b.p ? (const char *)b.p : "",
                            show < p->data.len ? "..." : "");
    cdc_buf_free(&b);
}

/* ---- packets ---- */

static void queue_eio(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp,
                      unsigned chan)
{
    struct hx_item *it = item_new(s, HX_ITEM_EIO, p->data.len);
    if (!it)
        return;
    it->tp = tp;
    it->chan = chan;
    it->eio_ok = true;
    it->eio = *p;
    it->eio.data = item_copy(it, p->data.p, p->data.len);
    it->raw = it->eio.data;
    it->binary = p->binary;
    item_push(s, it);
}

static void answer_ping(struct hx_session *s, const struct eio_packet *p)
{
    struct eio_packet pong = {.type = EIO_PONG, .data = p->data};
    ses_send(s, &pong, 1, false, false, 0);
}

void ses_rx_packet(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp, unsigned chan)
{
    ses_log_eio(s, HX_DIR_IN, tp, chan, p);
    bool handled = false;
    switch (p->type) {
    case EIO_PING:
        if (s->o.eio == 4 && s->o.hb == HX_HB_AUTO) {
            answer_ping(s, p);
            handled = true;
        }
        break;
    case EIO_PONG:
        handled = s->o.eio == 3 && s->o.hb == HX_HB_AUTO;
        break;
    case EIO_NOOP:
        handled = true;
        break;
    case EIO_MESSAGE:
        if (s->sd) {
            ses_rx_sio(s, p, tp, chan);
            return;
        }
        break;
    default:
        break;
    }
    if (!handled || s->o.queue_control)
        queue_eio(s, p, tp, chan);
    if (p->type == EIO_CLOSE)
        ses_closed(s, tp, "the server sent the close packet");
}

static uint64_t num_or_zero(struct cdc_span obj, const char *key)
{
    struct cdc_span v;
    uint64_t n = 0;
    if (cdc_json_object_get(obj, key, &v) == 1)
        cdc_json_number_u64(v, UINT64_MAX, &n);
    return n;
}

/* Compat mode only: an open packet whose fields are out of range (e.g.
 * python-engineio's eventlet server advertising "pingInterval":0) still
 * opens the session when it has a usable sid, so cases can go on; the
 * deviation is queued as an HX_ITEM_ERROR item and noted in the transcript. */
static int hs_lenient(struct hx_session *s, const struct eio_packet *p, int err)
{
    struct cdc_span obj = cdc_json_trim(p->data), sid, ups, v;
    struct cdc_buf b = {(uint8_t *)s->hs.sid, 0, EIO_SID_MAX, EIO_SID_MAX, NULL};
    memset(&s->hs, 0, sizeof(s->hs));
    if (s->o.strict_decode || cdc_json_validate(obj.p, obj.len, 8, false, NULL) != CDC_OK ||
        cdc_json_type_of(obj) != CDC_JSON_OBJECT || cdc_json_object_get(obj, "sid", &sid) != 1 ||
        cdc_json_type_of(sid) != CDC_JSON_STRING || cdc_json_string_unescape(sid, &b) != CDC_OK ||
        b.len == 0)
        return HX_ERR_PROTOCOL;
    s->hs.sid_len = b.len;
    s->hs.sid[b.len] = 0;
    s->hs.ping_interval = num_or_zero(obj, "pingInterval");
    s->hs.ping_timeout = num_or_zero(obj, "pingTimeout");
    s->hs.max_payload = num_or_zero(obj, "maxPayload");
    struct cdc_json_iter it;
    if (cdc_json_object_get(obj, "upgrades", &ups) == 1 && cdc_json_iter_init(&it, ups) == CDC_OK)
        while (cdc_json_iter_next(&it, NULL, &v) == 1) {
            s->hs.n_upgrades++;
            if (cdc_json_string_eq(v, "websocket", 9))
                s->hs.upgrades |= EIO_UPGRADE_WEBSOCKET;
        }
    ses_queue_error(s, HX_TP_NONE, 0, err, p->data, "open packet accepted leniently: %s",
                    cdc_strerror(err));
    return HX_OK;
}

int ses_decode_handshake(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp)
{
    struct cdc_diag d = {0};
    if (p->type != EIO_OPEN || p->binary) {
        ses_fail(s, "the first packet is %s, not open", eio_type_name((int)p->type));
        return HX_ERR_PROTOCOL;
    }
    int rc = eio_handshake_decode(&s->co, p->data.p, p->data.len, &s->hs, &d);
    if (rc == CDC_ERR_EIO_HANDSHAKE_FIELD && hs_lenient(s, p, rc) == HX_OK)
        rc = CDC_OK;
    if (rc != CDC_OK) {
        ses_fail(s, "bad open packet: %s (%s at %zu)", cdc_strerror(rc), d.why ? d.why : "?",
                 d.off);
        return HX_ERR_PROTOCOL;
    }
    s->have_hs = true;
    s->state = S_OPEN;
    s->tp = tp;
    if (s->o.eio == 3 && s->hs.ping_interval)
        s->next_ping_at = ses_now(s) + s->hs.ping_interval * 1000u;
    hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, ses_tp_tag(tp), 0,
                        "open sid=%s pingInterval=%llu pingTimeout=%llu maxPayload=%llu", s->hs.sid,
                        (unsigned long long)s->hs.ping_interval,
                        (unsigned long long)s->hs.ping_timeout,
                        (unsigned long long)s->hs.max_payload);
    return HX_OK;
}

static enum eio_payload_kind payload_kind(const struct hx_session *s, struct cdc_span head)
{
    struct cdc_span ct;
    if (s->o.eio == 3 && hx_http_header_get(head, "content-type", 0, &ct) && ct.len >= 24 &&
        hx_span_ieq((struct cdc_span){ct.p, 24}, "application/octet-stream"))
        return EIO_PAYLOAD_BINARY;
    return EIO_PAYLOAD_TEXT;
}

int ses_rx_payload(struct hx_session *s, const struct hx_event *ev, bool handshake)
{
    struct eio_payload_iter it;
    struct eio_packet p;
    struct cdc_diag d = {0};
    eio_payload_iter_init(&it, &s->co, ev->data.p, ev->data.len, payload_kind(s, ev->head));
    for (bool first = true;; first = false) {
        int r = eio_payload_next(&it, &s->scratch, &p, &d);
        if (r == 0)
            return HX_OK;
        if (r < 0) {
            ses_queue_error(s, HX_TP_POLLING, ev->chan, r, ev->data,
                            "undecodable polling payload: %s (%s at %zu)", cdc_strerror(r),
                            d.why ? d.why : "?", d.off);
            if (handshake)
                ses_fail(s, "undecodable handshake payload: %s", cdc_strerror(r));
            return HX_ERR_PROTOCOL;
        }
        if (handshake && first) {
            ses_log_eio(s, HX_DIR_IN, HX_TP_POLLING, ev->chan, &p);
            int rc = ses_decode_handshake(s, &p, HX_TP_POLLING);
            if (rc != HX_OK)
                return rc;
            continue;
        }
        ses_rx_packet(s, &p, HX_TP_POLLING, ev->chan);
    }
}

int ses_rx_ws(struct hx_session *s, const struct hx_event *ev, bool handshake)
{
    struct eio_packet p;
    struct cdc_diag d = {0};
    int rc = ev->binary
                 ? eio_packet_decode_binary(&s->co, ev->data.p, ev->data.len, &p, &d)
                 : eio_packet_decode_text(&s->co, ev->data.p, ev->data.len, &s->scratch, &p, &d);
    if (rc != CDC_OK) {
        ses_queue_error(s, HX_TP_WS, ev->chan, rc, ev->data,
                        "undecodable WebSocket message: %s (%s at %zu)", cdc_strerror(rc),
                        d.why ? d.why : "?", d.off);
        if (handshake)
            ses_fail(s, "undecodable first WebSocket message: %s", cdc_strerror(rc));
        return HX_ERR_PROTOCOL;
    }
    if (handshake) {
        ses_log_eio(s, HX_DIR_IN, HX_TP_WS, ev->chan, &p);
        return ses_decode_handshake(s, &p, HX_TP_WS);
    }
    ses_rx_packet(s, &p, HX_TP_WS, ev->chan);
    return HX_OK;
}
