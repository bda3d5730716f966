/*
 * hx_session_dispatch.c - routes each transport event to the handler of
 * its channel's role (handshake, background poll, POST, WebSocket, upgrade
 * probe, case-owned aux channel) and retires channels on their final
 * event. Handlers only change session state and queue items; waiting is
 * done by the callers in the other session files.
 */
#include "hx_session_int.h"

#include <stdio.h>
#include <string.h>

static bool final_event(const struct hx_event *ev)
{
    return ev->kind == HX_EV_HTTP_RESPONSE || ev->kind == HX_EV_WS_CLOSED ||
           ev->kind == HX_EV_ERROR;
}

static int body_show(const struct hx_event *ev)
{
    return ev->data.len > 120 ? 120 : (int)ev->data.len;
}

static void open_failed(struct hx_session *s, int rc)
{
    s->open_rc = rc;
    s->state = S_NEW;
    s->tp = HX_TP_NONE;
}

static void on_handshake(struct hx_session *s, const struct hx_event *ev)
{
    s->hs_chan = 0;
    if (ev->kind == HX_EV_HTTP_RESPONSE && ev->http_status == 200) {
        int rc = ses_rx_payload(s, ev, true);
        if (rc == HX_OK && s->state == S_OPEN)
            s->open_rc = HX_OK;
        else
            open_failed(s, rc != HX_OK ? rc : HX_ERR_PROTOCOL);
        return;
    }
    if (ev->kind == HX_EV_HTTP_RESPONSE) {
        ses_queue_event(s, ev, HX_ITEM_HTTP, HX_TP_POLLING);
        ses_fail(s, "handshake answered HTTP %d: %.*s", ev->http_status, body_show(ev),
                 (const char *)ev->data.p);
        open_failed(s, HX_ERR_HTTP_STATUS);
    } else if (ev->kind == HX_EV_ERROR) {
        ses_queue_event(s, ev, HX_ITEM_ERROR, HX_TP_POLLING);
        ses_fail(s, "handshake request failed: %s", ev->reason);
        open_failed(s, ev->err ? ev->err : HX_ERR_TRANSPORT);
    }
}

static void on_poll(struct hx_session *s, const struct hx_event *ev)
{
    s->get_chan = 0;
    if (ev->kind == HX_EV_HTTP_RESPONSE && ev->http_status == 200) {
        ses_rx_payload(s, ev, false);
        return;
    }
    char why[160];
    if (ev->kind == HX_EV_HTTP_RESPONSE) {
        ses_queue_event(s, ev, HX_ITEM_HTTP, HX_TP_POLLING);
        snprintf(why, sizeof(why), "poll answered HTTP %d: %.*s", ev->http_status, body_show(ev),
                 (const char *)ev->data.p);
    } else {
        ses_queue_event(s, ev, HX_ITEM_ERROR, HX_TP_POLLING);
        snprintf(why, sizeof(why), "poll failed: %.140s", ev->reason);
    }
    s->poll_dead = true;
    if (s->tp == HX_TP_POLLING)
        ses_closed(s, HX_TP_POLLING, why);
}

static void on_ws_hs(struct hx_session *s, struct hx_chan_rec *c, const struct hx_event *ev)
{
    if (ev->kind == HX_EV_WS_OPEN) {
        c->open = true;
    } else if (ev->kind == HX_EV_WS_MESSAGE) {
        s->hs_chan = 0;
        int rc = ses_rx_ws(s, ev, true);
        if (rc == HX_OK) {
            c->role = ROLE_WS;
            s->ws_chan = c->id;
            s->open_rc = HX_OK;
            return;
        }
        s->t->ops->close(s->t, c->id, true, 0, NULL);
        ses_chan_del(s, c->id);
        open_failed(s, rc);
    } else if (ev->kind == HX_EV_WS_CLOSED) {
        s->hs_chan = 0;
        ses_queue_event(s, ev, HX_ITEM_CLOSE, HX_TP_WS);
        ses_fail(s, "WebSocket closed (code %u) before the open packet", ev->close_code);
        open_failed(s, HX_ERR_CLOSED);
    } else if (ev->kind == HX_EV_ERROR) {
        s->hs_chan = 0;
        ses_queue_event(s, ev, HX_ITEM_ERROR, HX_TP_WS);
        ses_fail(s, "WebSocket handshake failed: %s", ev->reason);
        open_failed(s, ev->err ? ev->err : HX_ERR_TRANSPORT);
    }
}

static void on_ws(struct hx_session *s, const struct hx_event *ev)
{
    char why[200];
    if (ev->kind == HX_EV_WS_MESSAGE) {
        ses_rx_ws(s, ev, false);
        return;
    }
    if (ev->kind == HX_EV_WS_CLOSED) {
        ses_queue_event(s, ev, HX_ITEM_CLOSE, HX_TP_WS);
        snprintf(why, sizeof(why), "WebSocket closed with code %u", ev->close_code);
    } else if (ev->kind == HX_EV_ERROR) {
        ses_queue_event(s, ev, HX_ITEM_ERROR, HX_TP_WS);
        snprintf(why, sizeof(why), "WebSocket failed: %.170s", ev->reason);
    } else {
        return;
    }
    s->ws_chan = 0;
    ses_closed(s, HX_TP_WS, why);
}

static void on_probe(struct hx_session *s, struct hx_chan_rec *c, const struct hx_event *ev)
{
    static const char probe[] = "3probe";
    if (ev->kind == HX_EV_WS_OPEN) {
        c->open = true;
    } else if (ev->kind == HX_EV_WS_MESSAGE && !ev->binary && !s->probe_ok &&
               ev->data.len == sizeof(probe) - 1 && memcmp(ev->data.p, probe, 6) == 0) {
        s->probe_ok = true;
        hx_transcript_textf(s->tr, ses_now(s), HX_DIR_IN, "ws", c->id, "eio pong text=\"probe\"");
    } else if (ev->kind == HX_EV_WS_MESSAGE) {
        ses_rx_ws(s, ev, false);
    } else if (ev->kind == HX_EV_WS_CLOSED || ev->kind == HX_EV_ERROR) {
        s->probe_chan = 0;
        ses_queue_event(s, ev, ev->kind == HX_EV_ERROR ? HX_ITEM_ERROR : HX_ITEM_CLOSE, HX_TP_WS);
        s->upg_rc =
            ev->kind == HX_EV_ERROR ? (ev->err ? ev->err : HX_ERR_TRANSPORT) : HX_ERR_CLOSED;
        snprintf(s->upg_reason, sizeof(s->upg_reason), "upgrade WebSocket %s: %.170s",
                 ev->kind == HX_EV_ERROR ? "failed" : "closed", ev->reason);
    }
}

static void aux_ws_item(struct hx_session *s, const struct hx_event *ev)
{
    struct eio_packet p;
    int rc = CDC_ERR_INVALID_ARG;
    if (ev->kind == HX_EV_WS_MESSAGE)
        rc = ev->binary
                 ? eio_packet_decode_binary(&s->co, ev->data.p, ev->data.len, &p, NULL)
                 : eio_packet_decode_text(&s->co, ev->data.p, ev->data.len, &s->scratch, &p, NULL);
    struct hx_item *it = item_new(s, HX_ITEM_WS, ev->data.len + (rc == CDC_OK ? p.data.len : 0));
    if (!it)
        return;
    it->tp = HX_TP_WS;
    it->chan = ev->chan;
    it->aux = true;
    it->raw = item_copy(it, ev->data.p, ev->data.len);
    it->binary = ev->binary;
    it->opcode =
        ev->kind == HX_EV_WS_CONTROL ? ev->opcode : (ev->binary ? HX_WS_BINARY : HX_WS_TEXT);
    if (rc == CDC_OK) {
        it->eio_ok = true;
        it->eio = p;
        it->eio.data = item_copy(it, p.data.p, p.data.len);
        ses_log_eio(s, HX_DIR_IN, HX_TP_WS, ev->chan, &it->eio);
    }
    item_push(s, it);
}

static void on_aux(struct hx_session *s, struct hx_chan_rec *c, const struct hx_event *ev)
{
    switch (ev->kind) {
    case HX_EV_HTTP_RESPONSE:
        ses_queue_event(s, ev, HX_ITEM_HTTP, HX_TP_POLLING);
        break;
    case HX_EV_WS_OPEN:
        c->open = true;
        break;
    case HX_EV_WS_MESSAGE:
    case HX_EV_WS_CONTROL:
        aux_ws_item(s, ev);
        break;
    case HX_EV_WS_CLOSED:
        ses_queue_event(s, ev, HX_ITEM_CLOSE, HX_TP_WS);
        break;
    case HX_EV_ERROR:
        ses_queue_event(s, ev, HX_ITEM_ERROR, c->raw ? HX_TP_NONE : HX_TP_POLLING);
        break;
    default:
        break;
    }
}

void ses_dispatch(struct hx_session *s, const struct hx_event *ev)
{
    struct hx_chan_rec *c = ses_chan(s, ev->chan);
    if (!c) {
        hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, "", ev->chan,
                            "event %d on a retired channel ignored", (int)ev->kind);
        return;
    }
    unsigned id = c->id;
    switch (c->role) {
    case ROLE_HANDSHAKE:
        on_handshake(s, ev);
        break;
    case ROLE_POLL:
        on_poll(s, ev);
        break;
    case ROLE_POST:
        ses_on_post_done(s, ev);
        break;
    case ROLE_WS_HS:
        on_ws_hs(s, c, ev);
        break;
    case ROLE_WS:
        on_ws(s, ev);
        break;
    case ROLE_PROBE:
        on_probe(s, c, ev);
        break;
    case ROLE_AUX:
        on_aux(s, c, ev);
        break;
    default:
        break;
    }
    if (final_event(ev))
        ses_chan_del(s, id);
    ses_poll_kick(s);
    ses_post_kick(s);
}
