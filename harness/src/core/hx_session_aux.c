/*
 * hx_session_aux.c - raw access for negative cases: arbitrary HTTP
 * requests and extra WebSocket channels on the session's transport, with
 * "{sid}", "{eio}" and "{path}" substituted from the session.
 *
 * Answers on these channels go to the same queue as everything else
 * (HX_ITEM_HTTP / HX_ITEM_WS / HX_ITEM_CLOSE / HX_ITEM_ERROR with the
 * channel id), so nothing is lost while the case is busy elsewhere.
 */
#include "hx_session_int.h"

#include <stdio.h>
#include <string.h>

static int put_var(const struct hx_session *s, const char *name, size_t n, struct cdc_buf *out)
{
    char num[8];
    if (n == 3 && memcmp(name, "sid", 3) == 0)
        return s->have_hs ? cdc_buf_append(out, s->hs.sid, s->hs.sid_len) : CDC_OK;
    if (n == 3 && memcmp(name, "eio", 3) == 0) {
        snprintf(num, sizeof(num), "%d", s->o.eio);
        return cdc_buf_append_str(out, num);
    }
    if (n == 4 && memcmp(name, "path", 4) == 0)
        return cdc_buf_append_str(out, s->path);
    int rc = cdc_buf_append_byte(out, '{');
    if (rc == CDC_OK)
        rc = cdc_buf_append(out, name, n);
    return rc == CDC_OK ? cdc_buf_append_byte(out, '}') : rc;
}

int hx_session_expand(const struct hx_session *s, const char *tmpl, struct cdc_buf *out)
{
    int rc = CDC_OK;
    for (const char *p = tmpl; rc == CDC_OK && *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close) {
            rc = put_var(s, p + 1, (size_t)(close - p - 1), out);
            p = close + 1;
        } else {
            rc = cdc_buf_append_byte(out, (uint8_t)*p++);
        }
    }
    return rc;
}

int hx_session_http(struct hx_session *s, const struct hx_http_req *req, unsigned *chan)
{
    if (!req->target && !req->raw_bytes)
        return HX_ERR_INVALID_ARG;
    struct cdc_buf tgt;
    cdc_buf_init(&tgt, 1u << 20, NULL);
    struct hx_http_req r = *req;
    int rc = HX_OK;
    if (req->target) {
        rc = hx_session_expand(s, req->target, &tgt) == CDC_OK &&
                     cdc_buf_append_byte(&tgt, 0) == CDC_OK
                 ? HX_OK
                 : HX_ERR_NOMEM;
        r.target = (const char *)tgt.p;
    }
    if (rc == HX_OK)
        rc = s->t->ops->http(s->t, &r, chan);
    cdc_buf_free(&tgt);
    if (rc == HX_OK)
        rc = ses_chan_add(s, *chan, ROLE_AUX, req->raw);
    if (rc != HX_OK)
        ses_fail(s, "could not start the request: %s", hx_status_name(rc));
    return rc;
}

int hx_session_http_wait(struct hx_session *s, unsigned chan, uint64_t deadline,
                         const struct hx_item **out)
{
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_HTTP) | HX_KIND(HX_ITEM_ERROR), .chan = chan};
    int rc = hx_session_wait(s, &m, deadline, out);
    if (rc == HX_OK && (*out)->kind == HX_ITEM_ERROR) {
        ses_fail(s, "request failed: %s", (*out)->reason);
        return (*out)->err ? (*out)->err : HX_ERR_TRANSPORT;
    }
    return rc;
}

static int ws_wait_open(struct hx_session *s, unsigned chan, uint64_t deadline)
{
    for (;;) {
        struct hx_chan_rec *c = ses_chan(s, chan);
        if (c && c->open)
            return HX_OK;
        if (!c) {
            const struct hx_item *it = NULL;
            struct hx_match m = {.kinds = HX_KIND(HX_ITEM_ERROR) | HX_KIND(HX_ITEM_CLOSE),
                                 .chan = chan};
            if (hx_session_wait(s, &m, deadline, &it) != HX_OK || !it)
                return HX_ERR_CLOSED;
            ses_fail(s, "WebSocket not opened: %s", it->reason);
            return it->kind == HX_ITEM_ERROR && it->err ? it->err : HX_ERR_CLOSED;
        }
        if (ses_now(s) >= deadline) {
            ses_fail(s, "WebSocket not opened before the deadline");
            return HX_ERR_TIMEOUT;
        }
        int rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
}

int hx_session_ws(struct hx_session *s, const struct hx_ws_req *req, uint64_t deadline,
                  unsigned *chan)
{
    struct cdc_buf tgt;
    cdc_buf_init(&tgt, 1u << 20, NULL);
    struct hx_ws_req r = *req;
    int rc = req->target && hx_session_expand(s, req->target, &tgt) == CDC_OK &&
                     cdc_buf_append_byte(&tgt, 0) == CDC_OK
                 ? HX_OK
                 : HX_ERR_INVALID_ARG;
    r.target = (const char *)tgt.p;
    if (rc == HX_OK)
        rc = s->t->ops->ws_open(s->t, &r, chan);
    cdc_buf_free(&tgt);
    if (rc == HX_OK)
        rc = ses_chan_add(s, *chan, ROLE_AUX, req->raw);
    if (rc != HX_OK) {
        ses_fail(s, "could not start the WebSocket: %s", hx_status_name(rc));
        return rc;
    }
    return ws_wait_open(s, *chan, deadline);
}

int hx_session_ws_send(struct hx_session *s, unsigned chan, const struct hx_ws_out *f)
{
    struct hx_chan_rec *c = ses_chan(s, chan);
    if (!c || !c->open) {
        ses_fail(s, "channel %u is not an open WebSocket", chan);
        return HX_ERR_STATE;
    }
    int rc = s->t->ops->ws_send(s->t, chan, f);
    if (rc != HX_OK)
        ses_fail(s, "WebSocket send refused: %s", hx_status_name(rc));
    return rc;
}

unsigned hx_session_poll_chan(const struct hx_session *s)
{
    return s->get_chan;
}

unsigned hx_session_ws_chan(const struct hx_session *s)
{
    return s->ws_chan ? s->ws_chan : s->probe_chan;
}

/* The session no longer uses |chan| (aborted by the case). */
static void forget(struct hx_session *s, unsigned chan)
{
    if (s->get_chan == chan) {
        s->get_chan = 0;
        s->poll_dead = true;
    }
    if (s->post_chan == chan) {
        s->post_chan = 0;
        s->done_seq = s->post_hi;
    }
    if (s->ws_chan == chan)
        s->ws_chan = 0;
    if (s->probe_chan == chan)
        s->probe_chan = 0;
}

int hx_session_chan_close(struct hx_session *s, unsigned chan, bool abort, uint16_t code,
                          const char *reason)
{
    struct hx_chan_rec *c = ses_chan(s, chan);
    if (!c)
        return HX_ERR_STATE;
    int rc = s->t->ops->close(s->t, chan, abort, code, reason);
    if (abort) {
        forget(s, chan);
        ses_chan_del(s, chan);
        hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, "", chan, "aborted by the case");
    }
    return rc;
}
