/*
 * hx_session_open.c - the Engine.IO session's life: handshake over polling
 * or WebSocket, the polling -> WebSocket upgrade, sends, and closing.
 *
 * engine.io-protocol v4 §Handshake, §Upgrade, §Closing (and v3): the
 * handshake is a GET without sid (or a WebSocket whose first message is
 * the open packet); the upgrade opens a WebSocket with the sid, exchanges
 * 2probe/3probe, pauses polling until the pending GET was released (the
 * server answers it with a noop) and sends 5.
 */
#include "hx_session_int.h"

#include <stdio.h>
#include <string.h>

static int start_handshake(struct hx_session *s, enum hx_tp tp)
{
    struct cdc_buf tgt;
    cdc_buf_init(&tgt, 4096, NULL);
    unsigned chan = 0;
    int rc = ses_target(s, tp, false, &tgt) == CDC_OK ? HX_OK : HX_ERR_NOMEM;
    if (rc == HX_OK && tp == HX_TP_POLLING) {
        struct hx_http_req req = {.method = "GET",
                                  .target = (const char *)tgt.p,
                                  .headers = s->o.headers,
                                  .n_headers = s->o.n_headers};
        rc = s->t->ops->http(s->t, &req, &chan);
    } else if (rc == HX_OK) {
        struct hx_ws_req req = {
            .target = (const char *)tgt.p, .headers = s->o.headers, .n_headers = s->o.n_headers};
        rc = s->t->ops->ws_open(s->t, &req, &chan);
    }
    cdc_buf_free(&tgt);
    if (rc == HX_OK)
        rc = ses_chan_add(s, chan, tp == HX_TP_WS ? ROLE_WS_HS : ROLE_HANDSHAKE, false);
    if (rc != HX_OK) {
        ses_fail(s, "could not start the handshake: %s", hx_status_name(rc));
        return rc;
    }
    s->hs_chan = chan;
    return HX_OK;
}

int hx_eio_open(struct hx_session *s, enum hx_tp tp, uint64_t deadline)
{
    if (s->state != S_NEW || (tp != HX_TP_POLLING && tp != HX_TP_WS)) {
        ses_fail(s, "hx_eio_open: session already opened or bad transport");
        return HX_ERR_STATE;
    }
    uint64_t start = ses_now(s);
    int rc = start_handshake(s, tp);
    if (rc != HX_OK)
        return rc;
    s->state = S_OPENING;
    while (s->state == S_OPENING) {
        if (ses_now(s) >= deadline) {
            s->t->ops->close(s->t, s->hs_chan, true, 0, NULL);
            ses_chan_del(s, s->hs_chan);
            s->hs_chan = 0;
            s->state = S_NEW;
            ses_fail(s, "no open packet within %llu ms (%s handshake)",
                     (unsigned long long)((deadline - start) / 1000u),
                     tp == HX_TP_WS ? "WebSocket" : "polling");
            return HX_ERR_TIMEOUT;
        }
        rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
    if (s->state == S_OPEN)
        ses_poll_kick(s);
    return s->state == S_OPEN ? HX_OK : (s->open_rc ? s->open_rc : HX_ERR_PROTOCOL);
}

/* ---- upgrade ---- */

/* Pumps until |*flag| is true, the probe failed or the deadline passed. */
static int upg_wait(struct hx_session *s, const bool *flag, uint64_t deadline, const char *what)
{
    while (!*flag) {
        if (s->upg_rc) {
            ses_fail(s, "%s", s->upg_reason);
            return s->upg_rc;
        }
        if (s->state == S_CLOSED) {
            ses_fail(s, "session closed during the upgrade, waiting for %s", what);
            return HX_ERR_CLOSED;
        }
        if (ses_now(s) >= deadline) {
            ses_fail(s, "upgrade: no %s before the deadline", what);
            return HX_ERR_TIMEOUT;
        }
        int rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
    return HX_OK;
}

static int open_probe(struct hx_session *s, uint64_t deadline)
{
    struct cdc_buf tgt;
    cdc_buf_init(&tgt, 4096, NULL);
    unsigned chan = 0;
    int rc = ses_target(s, HX_TP_WS, true, &tgt) == CDC_OK ? HX_OK : HX_ERR_NOMEM;
    struct hx_ws_req req = {
        .target = (const char *)tgt.p, .headers = s->o.headers, .n_headers = s->o.n_headers};
    if (rc == HX_OK)
        rc = s->t->ops->ws_open(s->t, &req, &chan);
    cdc_buf_free(&tgt);
    if (rc == HX_OK)
        rc = ses_chan_add(s, chan, ROLE_PROBE, false);
    if (rc != HX_OK)
        return rc;
    s->probe_chan = chan;
    s->probe_ok = false;
    s->upg_rc = HX_OK;
    s->upg_reason[0] = 0;
    for (;;) {
        struct hx_chan_rec *c = ses_chan(s, chan);
        if (c && c->open)
            return HX_OK;
        if (!c || s->upg_rc) {
            ses_fail(s, "%s", s->upg_reason[0] ? s->upg_reason : "upgrade WebSocket failed");
            return s->upg_rc ? s->upg_rc : HX_ERR_CLOSED;
        }
        if (ses_now(s) >= deadline) {
            ses_fail(s, "upgrade: no WebSocket 101 before the deadline");
            return HX_ERR_TIMEOUT;
        }
        rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
}

static bool get_released(const struct hx_session *s)
{
    return !s->get_chan && !s->post_chan;
}

static int upg_pause(struct hx_session *s, uint64_t deadline)
{
    s->poll_paused = true;
    while (!get_released(s)) {
        bool no = false;
        if (ses_now(s) >= deadline || s->upg_rc || s->state == S_CLOSED)
            return upg_wait(s, &no, deadline, "release of the pending GET");
        int rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
    return HX_OK;
}

static int upg_finish(struct hx_session *s, unsigned chan)
{
    int rc = ses_ws_send_text(s, chan, "5");
    if (rc != HX_OK)
        return rc;
    struct hx_chan_rec *c = ses_chan(s, chan);
    if (c)
        c->role = ROLE_WS;
    s->ws_chan = chan;
    s->probe_chan = 0;
    s->tp = HX_TP_WS;
    s->poll_paused = false;
    hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, "ws", chan, "upgraded to websocket");
    return ses_flush_ws(s);
}

int hx_eio_upgrade(struct hx_session *s, unsigned flags, uint64_t deadline)
{
    if (s->state != S_OPEN || s->tp != HX_TP_POLLING || s->probe_chan) {
        ses_fail(s, "hx_eio_upgrade: the session is not open on polling");
        return HX_ERR_STATE;
    }
    int rc = open_probe(s, deadline);
    if (rc == HX_OK && !(flags & HX_UPG_NO_PROBE)) {
        rc = ses_ws_send_text(s, s->probe_chan, "2probe");
        if (rc == HX_OK)
            rc = upg_wait(s, &s->probe_ok, deadline, "3probe answer");
    }
    if (rc == HX_OK && !(flags & HX_UPG_NO_PAUSE))
        rc = upg_pause(s, deadline);
    if (rc == HX_OK && !(flags & HX_UPG_NO_UPGRADE)) {
        rc = upg_finish(s, s->probe_chan);
    } else if (rc == HX_OK) {
        s->poll_paused = false; /* the candidate stays open; polling goes on */
        ses_poll_kick(s);
        ses_post_kick(s);
    }
    if (rc != HX_OK && s->probe_chan) {
        s->t->ops->close(s->t, s->probe_chan, true, 0, NULL);
        ses_chan_del(s, s->probe_chan);
        s->probe_chan = 0;
        s->poll_paused = false;
        ses_poll_kick(s);
        ses_post_kick(s);
    }
    return rc;
}

/* ---- sending ---- */

int hx_eio_send_packets(struct hx_session *s, const struct eio_packet *p, size_t n,
                        uint64_t deadline)
{
    return ses_send(s, p, n, false, true, deadline);
}

int hx_eio_send(struct hx_session *s, enum eio_type type, const void *data, size_t n, bool binary,
                uint64_t deadline)
{
    struct eio_packet p = {.type = type, .binary = binary, .data = {data, n}};
    return ses_send(s, &p, 1, false, true, deadline);
}

int hx_eio_send_raw(struct hx_session *s, const void *bytes, size_t n, bool binary,
                    uint64_t deadline)
{
    struct eio_packet p = {.type = EIO_MESSAGE, .binary = binary, .data = {bytes, n}};
    return ses_send(s, &p, 1, true, true, deadline);
}

/* ---- closing ---- */

static void abort_all(struct hx_session *s)
{
    while (s->n_chans) {
        unsigned id = s->chans[s->n_chans - 1].id;
        s->t->ops->close(s->t, id, true, 0, NULL);
        ses_chan_del(s, id);
    }
    s->get_chan = s->post_chan = s->ws_chan = s->probe_chan = s->hs_chan = 0;
}

static int close_graceful(struct hx_session *s, uint64_t deadline)
{
    if (s->tp == HX_TP_WS && s->ws_chan) {
        unsigned ws = s->ws_chan;
        s->t->ops->close(s->t, ws, false, 1000, "");
        while (ses_chan(s, ws) && ses_now(s) < deadline) {
            int rc = ses_pump(s, deadline);
            if (rc != HX_OK)
                return rc;
        }
        return ses_chan(s, ws) ? HX_ERR_TIMEOUT : HX_OK;
    }
    struct eio_packet p = {.type = EIO_CLOSE};
    int rc = ses_send(s, &p, 1, false, true, deadline);
    s->poll_dead = true;
    while (rc == HX_OK && s->get_chan && ses_now(s) < deadline)
        rc = ses_pump(s, deadline);
    return rc == HX_OK && s->get_chan ? HX_ERR_TIMEOUT : rc;
}

int hx_session_close(struct hx_session *s, enum hx_close_how how, uint64_t deadline)
{
    if (s->state == S_NEW || s->state == S_OPENING) {
        ses_fail(s, "hx_session_close: the session was never opened");
        return HX_ERR_STATE;
    }
    int rc = HX_OK;
    if (s->state == S_OPEN && how == HX_CLOSE_PACKET) {
        struct eio_packet p = {.type = EIO_CLOSE};
        rc = ses_send(s, &p, 1, false, true, deadline);
        s->poll_dead = true;
    } else if (s->state == S_OPEN && how == HX_CLOSE_GRACEFUL) {
        rc = close_graceful(s, deadline);
    }
    if (how == HX_CLOSE_ABORT)
        abort_all(s);
    ses_closed(s, s->tp, how == HX_CLOSE_ABORT ? "aborted by the client" : "closed by the client");
    return rc;
}
