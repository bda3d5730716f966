/*
 * hx_session_tx.c - everything the session sends: request targets, the
 * polling send queue (one POST in flight, batching what accumulates), the
 * background GET, WebSocket sends, and the v3 client heartbeat.
 *
 * Sequence numbers make sends synchronous on polling without blocking the
 * rest of the session: each queued packet gets the next number, a POST
 * covers a contiguous range, and a sender waits until |done_seq| reaches
 * its number, then checks whether its range failed.
 */
#include "hx_session_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ses_target(const struct hx_session *s, enum hx_tp tp, bool with_sid, struct cdc_buf *out)
{
    char q[96];
    snprintf(q, sizeof(q), "?EIO=%d&transport=%s", s->o.eio,
             tp == HX_TP_WS ? "websocket" : "polling");
    int rc = cdc_buf_append_str(out, s->path);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, q);
    if (rc == CDC_OK && s->o.eio == 3 && tp == HX_TP_POLLING && !s->o.no_b64)
        rc = cdc_buf_append_str(out, "&b64=1");
    if (rc == CDC_OK && with_sid && s->have_hs) {
        rc = cdc_buf_append_str(out, "&sid=");
        if (rc == CDC_OK)
            rc = cdc_buf_append(out, s->hs.sid, s->hs.sid_len);
    }
    if (rc == CDC_OK && s->query) {
        rc = cdc_buf_append_byte(out, '&');
        if (rc == CDC_OK)
            rc = cdc_buf_append_str(out, s->query);
    }
    return rc == CDC_OK ? cdc_buf_append_byte(out, 0) : rc;
}

static bool polling_active(const struct hx_session *s)
{
    return s->state == S_OPEN && s->tp == HX_TP_POLLING && !s->poll_paused;
}

void ses_poll_kick(struct hx_session *s)
{
    if (!polling_active(s) || s->o.manual_poll || s->poll_dead || s->get_chan)
        return;
    struct cdc_buf tgt;
    cdc_buf_init(&tgt, 4096, NULL);
    unsigned chan = 0;
    if (ses_target(s, HX_TP_POLLING, true, &tgt) == CDC_OK) {
        struct hx_http_req req = {.method = "GET",
                                  .target = (const char *)tgt.p,
                                  .headers = s->o.headers,
                                  .n_headers = s->o.n_headers};
        if (s->t->ops->http(s->t, &req, &chan) == HX_OK &&
            ses_chan_add(s, chan, ROLE_POLL, false) == HX_OK)
            s->get_chan = chan;
    }
    cdc_buf_free(&tgt);
    if (!s->get_chan) {
        s->poll_dead = true;
        ses_closed(s, HX_TP_POLLING, "could not start a poll request");
    }
}

/* ---- the polling send queue ---- */

static int out_push(struct hx_session *s, const struct eio_packet *p, bool raw)
{
    struct hx_outpkt *o = malloc(sizeof(*o) + p->data.len + 1);
    if (!o)
        return HX_ERR_NOMEM;
    memset(o, 0, sizeof(*o));
    o->p = *p;
    if (p->data.len)
        memcpy(o->buf, p->data.p, p->data.len);
    o->p.data.p = o->buf;
    o->raw = raw;
    o->seq = s->next_seq++;
    if (s->out_tail)
        s->out_tail->next = o;
    else
        s->out_head = o;
    s->out_tail = o;
    return HX_OK;
}

static struct hx_outpkt *out_pop(struct hx_session *s)
{
    struct hx_outpkt *o = s->out_head;
    if (o) {
        s->out_head = o->next;
        if (!s->out_head)
            s->out_tail = NULL;
    }
    return o;
}

/* Encodes the next batch (consecutive packets, or one raw body) into |body|,
 * logging each packet; frees them. Returns the batch's last sequence. */
static uint64_t take_batch(struct hx_session *s, struct cdc_buf *body, int *rc)
{
    struct eio_packet pk[64];
    struct hx_outpkt *taken[64];
    size_t n = 0;
    *rc = CDC_OK;
    if (s->out_head->raw) {
        struct hx_outpkt *o = out_pop(s);
        *rc = cdc_buf_append(body, o->p.data.p, o->p.data.len);
        uint64_t seq = o->seq;
        free(o);
        return seq;
    }
    while (s->out_head && !s->out_head->raw && n < 64) {
        taken[n] = out_pop(s);
        pk[n] = taken[n]->p;
        ses_log_eio(s, HX_DIR_OUT, HX_TP_POLLING, 0, &pk[n]);
        n++;
    }
    *rc = eio_payload_encode(&s->co, pk, n, EIO_PAYLOAD_TEXT, body);
    uint64_t seq = taken[n - 1]->seq;
    for (size_t i = 0; i < n; i++)
        free(taken[i]);
    return seq;
}

static void post_failed(struct hx_session *s, uint64_t lo, uint64_t hi, int rc, const char *why)
{
    s->fail_lo = lo;
    s->fail_hi = hi;
    s->fail_rc = rc;
    snprintf(s->fail_reason, sizeof(s->fail_reason), "%s", why);
    s->done_seq = hi;
}

/* Starts one POST with |body|; returns true when it is in flight. */
static bool start_post(struct hx_session *s, const struct cdc_buf *body)
{
    char tgt_buf[4096];
    struct cdc_buf tgt = {(uint8_t *)tgt_buf, 0, sizeof(tgt_buf), sizeof(tgt_buf), NULL};
    unsigned chan = 0;
    if (ses_target(s, HX_TP_POLLING, true, &tgt) != CDC_OK)
        return false;
    struct hx_http_req req = {.method = "POST",
                              .target = tgt_buf,
                              .headers = s->o.headers,
                              .n_headers = s->o.n_headers,
                              .content_type = "text/plain;charset=UTF-8",
                              .body = body->p,
                              .body_len = body->len,
                              .has_body = true};
    if (s->t->ops->http(s->t, &req, &chan) != HX_OK)
        return false;
    if (ses_chan_add(s, chan, ROLE_POST, false) != HX_OK)
        return false;
    s->post_chan = chan;
    return true;
}

void ses_post_kick(struct hx_session *s)
{
    if (!polling_active(s) || s->post_chan || !s->out_head)
        return;
    struct cdc_buf body;
    cdc_buf_init(&body, SIZE_MAX, NULL);
    uint64_t lo = s->out_head->seq;
    int rc;
    uint64_t hi = take_batch(s, &body, &rc);
    bool started = rc == CDC_OK && start_post(s, &body);
    cdc_buf_free(&body);
    if (started) {
        s->post_hi = hi;
        return;
    }
    post_failed(s, lo, hi, rc == CDC_OK ? HX_ERR_TRANSPORT : HX_ERR_INVALID_ARG,
                rc == CDC_OK ? "could not start the POST" : "packets could not be encoded");
}

void ses_on_post_done(struct hx_session *s, const struct hx_event *ev)
{
    uint64_t lo = s->done_seq + 1, hi = s->post_hi;
    char why[200];
    s->post_chan = 0;
    if (ev->kind == HX_EV_HTTP_RESPONSE && ev->http_status == 200) {
        s->done_seq = hi;
        return;
    }
    if (ev->kind == HX_EV_HTTP_RESPONSE) {
        ses_queue_event(s, ev, HX_ITEM_HTTP, HX_TP_POLLING);
        snprintf(why, sizeof(why), "POST answered HTTP %d: %.*s", ev->http_status,
                 ev->data.len > 100 ? 100 : (int)ev->data.len, (const char *)ev->data.p);
        post_failed(s, lo, hi, HX_ERR_HTTP_STATUS, why);
    } else {
        ses_queue_event(s, ev, HX_ITEM_ERROR, HX_TP_POLLING);
        snprintf(why, sizeof(why), "POST failed: %.180s", ev->reason);
        post_failed(s, lo, hi, ev->err ? ev->err : HX_ERR_TRANSPORT, why);
    }
}

/* ---- WebSocket sends ---- */

static int ws_send_packet(struct hx_session *s, const struct eio_packet *p, bool raw)
{
    struct cdc_buf b;
    cdc_buf_init(&b, SIZE_MAX, NULL);
    int rc = raw ? cdc_buf_append(&b, p->data.p, p->data.len)
                 : eio_packet_encode(&s->co, p, EIO_FRAMING_WS, &b);
    if (rc != CDC_OK) {
        cdc_buf_free(&b);
        ses_fail(s, "packet could not be encoded: %s", cdc_strerror(rc));
        return HX_ERR_INVALID_ARG;
    }
    if (!raw)
        ses_log_eio(s, HX_DIR_OUT, HX_TP_WS, s->ws_chan, p);
    struct hx_ws_out f = {
        .opcode = p->binary ? HX_WS_BINARY : HX_WS_TEXT, .payload = b.p, .len = b.len};
    rc = s->t->ops->ws_send(s->t, s->ws_chan, &f);
    cdc_buf_free(&b);
    if (rc != HX_OK)
        ses_fail(s, "WebSocket send failed: %s", hx_status_name(rc));
    return rc;
}

int ses_ws_send_text(struct hx_session *s, unsigned chan, const char *text)
{
    struct hx_ws_out f = {
        .opcode = HX_WS_TEXT, .payload = (const uint8_t *)text, .len = strlen(text)};
    struct eio_packet p = {.type = (enum eio_type)(text[0] - '0'),
                           .data = {(const uint8_t *)text + 1, strlen(text) - 1}};
    ses_log_eio(s, HX_DIR_OUT, HX_TP_WS, chan, &p);
    return s->t->ops->ws_send(s->t, chan, &f);
}

/* After an upgrade: what waited for a POST goes out on the WebSocket. */
int ses_flush_ws(struct hx_session *s)
{
    int rc = HX_OK;
    for (struct hx_outpkt *o; rc == HX_OK && (o = out_pop(s)) != NULL;) {
        rc = ws_send_packet(s, &o->p, o->raw);
        s->done_seq = o->seq;
        free(o);
    }
    return rc;
}

static int wait_done(struct hx_session *s, uint64_t seq, uint64_t deadline)
{
    while (s->done_seq < seq) {
        if (s->state == S_CLOSED && !s->post_chan) {
            ses_fail(s, "session closed before the POST was sent (%s)", s->reason);
            return HX_ERR_CLOSED;
        }
        if (ses_now(s) >= deadline) {
            ses_fail(s, "POST not answered before the deadline");
            return HX_ERR_TIMEOUT;
        }
        int rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
    if (seq >= s->fail_lo && seq <= s->fail_hi) {
        snprintf(s->reason, sizeof(s->reason), "%s", s->fail_reason);
        return s->fail_rc;
    }
    return HX_OK;
}

int ses_send(struct hx_session *s, const struct eio_packet *p, size_t n, bool raw, bool wait,
             uint64_t deadline)
{
    if (s->state != S_OPEN) {
        ses_fail(s, "cannot send: session %s", s->state == S_CLOSED ? "closed" : "not open");
        return s->state == S_CLOSED ? HX_ERR_CLOSED : HX_ERR_STATE;
    }
    if (s->tp == HX_TP_WS) {
        int frc = ses_flush_ws(s);
        if (frc != HX_OK)
            return frc;
        for (size_t i = 0; i < n; i++) {
            int rc = ws_send_packet(s, &p[i], raw);
            if (rc != HX_OK)
                return rc;
        }
        return HX_OK;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = out_push(s, &p[i], raw);
        if (rc != HX_OK)
            return rc;
    }
    uint64_t seq = s->next_seq - 1;
    ses_post_kick(s);
    return wait ? wait_done(s, seq, deadline) : HX_OK;
}

void ses_hb_tick(struct hx_session *s)
{
    if (s->o.eio != 3 || s->o.hb != HX_HB_AUTO || s->state != S_OPEN || !s->next_ping_at ||
        !s->hs.ping_interval)
        return;
    uint64_t now = ses_now(s);
    if (now < s->next_ping_at)
        return;
    s->next_ping_at = now + s->hs.ping_interval * 1000u;
    struct eio_packet ping = {.type = EIO_PING};
    ses_send(s, &ping, 1, false, false, 0);
}
