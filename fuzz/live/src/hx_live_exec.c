/*
 * hx_live_exec.c - runs one live-fuzzer case against a server: a fresh
 * hx_session (its transport, curl and libwebsockets) plus the raw
 * channels the case asks for, one action after the other, then aborts
 * everything.
 *
 * Client-side oracles (hx_live_run.h): a well-formed request without an
 * answer inside its bound is a hang; an "expect-close" that does not see
 * the session end is a missing reaction; a polling body, an HTTP error
 * body, a session packet or a raw WebSocket message that the strict codec
 * rejects is a protocol violation. When several fire, the strongest is
 * kept (hang > reaction > protocol), and within a class the first.
 *
 * Templates "{sid}", "{eio}", "{path}", "{host}" are filled in targets,
 * headers and raw bytes; packet data is sent verbatim unless the action
 * says "tmpl" ({ack}: the last ack id the server asked for, {sid}).
 *
 * Sessions: an action runs on its slot's session (HX_LIVE_NSESS slots),
 * created on first use; "open" on a slot that is already open retires
 * that session (its answers are judged, then it is aborted) and starts a
 * new one, so loops may open many sessions one after the other. Loops run
 * their body N times; the whole case is bounded by |case_ms|.
 */
#include "live/hx_live_run.h"
#include "harness/hx_net.h"
#include "harness/hx_session.h"
#include "hx_live_shape.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 2100

struct exec {
    const struct hx_live_run_opts *o;
    struct hx_env env;
    struct hx_session *ss[HX_LIVE_NSESS];
    unsigned chans[HX_LIVE_NSESS]; /* last raw WebSocket opened by wsopen, per slot */
    struct hx_session *s;          /* the current action's session */
    unsigned slot;
    unsigned ws_chan; /* the current slot's raw WebSocket */
    /* A request of the case's own took Engine.IO messages of the slot's
     * session: its Socket.IO stream has gaps (an attachment gone to the
     * other request), which are not the server's fault. */
    bool stolen[HX_LIVE_NSESS];
    struct hx_live_obs *obs;
    struct cdc_opts strict; /* server output is judged with these */
    size_t cur;             /* action being run */
    uint64_t deadline;      /* the whole case, on the session clock */
    int fatal;              /* HX_ERR_NOMEM stops the case */
    char host[300];
    struct hx_header hdr[MAX_HEADERS];
    char *hdr_store;
    size_t nhdr;
};

static uint32_t req_ms(const struct exec *x)
{
    return x->o->request_ms ? x->o->request_ms : 2000;
}

static void note(struct exec *x, int cls, const char *sig, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records an observation unless a stronger (or an earlier equal) one is in. */
static void note(struct exec *x, int cls, const char *sig, const char *fmt, ...)
{
    if (x->obs->cls != HX_LIVE_NONE && x->obs->cls <= cls)
        return;
    x->obs->cls = cls;
    x->obs->action = x->cur;
    snprintf(x->obs->sig, sizeof(x->obs->sig), "%s", sig);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->obs->detail, sizeof(x->obs->detail), fmt, ap);
    va_end(ap);
}

/* ---- templates, padding, headers ---- */

/* The ack id of the last server packet on the current session that asked
 * for one (emit-with-ack), 0 when none. */
static uint64_t last_ack(struct exec *x)
{
    for (size_t i = hx_session_queued(x->s); i-- > 0;) {
        const struct hx_item *it = hx_session_peek(x->s, i);
        if (it->kind == HX_ITEM_SIO && it->sio.has_id &&
            (it->sio.type == SIO_EVENT || it->sio.type == SIO_BINARY_EVENT))
            return it->sio.id;
    }
    return 0;
}

static int put_var(struct exec *x, const uint8_t *name, size_t n, struct cdc_buf *out)
{
    const struct eio_handshake *hs = hx_session_handshake(x->s);
    char num[8];
    if (n == 3 && memcmp(name, "sid", 3) == 0)
        return hs ? cdc_buf_append(out, hs->sid, hs->sid_len) : CDC_OK;
    if (n == 3 && memcmp(name, "eio", 3) == 0) {
        snprintf(num, sizeof(num), "%d", x->o->eio);
        return cdc_buf_append_str(out, num);
    }
    if (n == 4 && memcmp(name, "path", 4) == 0)
        return cdc_buf_append_str(out, x->o->path);
    if (n == 4 && memcmp(name, "host", 4) == 0)
        return cdc_buf_append_str(out, x->host);
    if (n == 3 && memcmp(name, "ack", 3) == 0)
        return cdc_buf_append_u64(out, last_ack(x));
    return 1; /* not a template: copy verbatim */
}

static int expand(struct exec *x, const uint8_t *p, size_t n, struct cdc_buf *out)
{
    int rc = CDC_OK;
    for (size_t i = 0; rc == CDC_OK && i < n;) {
        const uint8_t *close = p[i] == '{' ? memchr(p + i, '}', n - i < 7 ? n - i : 7) : NULL;
        int v = close ? put_var(x, p + i + 1, (size_t)(close - p - i - 1), out) : 1;
        if (v == 1) {
            rc = cdc_buf_append_byte(out, p[i++]);
        } else {
            rc = v;
            i = (size_t)(close - p) + 1;
        }
    }
    return rc;
}

/* The action's data with its padding inserted. */
static int padded(const struct hx_live_action *a, struct cdc_buf *out)
{
    size_t at = a->pad_at < a->data.len ? a->pad_at : a->data.len;
    uint8_t *w;
    int rc = cdc_buf_append(out, a->data.p, at);
    if (rc == CDC_OK && a->pad_n && (rc = cdc_buf_reserve(out, a->pad_n, &w)) == CDC_OK) {
        memset(w, a->pad_byte, a->pad_n);
        out->len += a->pad_n;
    }
    return rc == CDC_OK && at < a->data.len ? cdc_buf_append(out, a->data.p + at, a->data.len - at)
                                            : rc;
}

/* Fills x->hdr from the action's header lines (templates expanded) and
 * its generated headers. */
static int build_headers(struct exec *x, const struct hx_live_action *a)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    int rc = expand(x, a->headers.p, a->headers.len, &b);
    for (uint32_t i = 0; rc == CDC_OK && i < a->gen_headers && i < MAX_HEADERS - 64; i++) {
        char line[48];
        snprintf(line, sizeof(line), "%sX-Fz-%u: %u", b.len ? "\n" : "", i, i);
        rc = cdc_buf_append_str(&b, line);
    }
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(&b, 0);
    free(x->hdr_store);
    x->hdr_store = (char *)b.p;
    x->nhdr = 0;
    for (char *line = x->hdr_store; rc == CDC_OK && line && *line && x->nhdr < MAX_HEADERS;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = 0;
            x->hdr[x->nhdr++] = (struct hx_header){line, colon + 1 + (colon[1] == ' ')};
        }
        line = nl ? nl + 1 : NULL;
    }
    return rc;
}

/* ---- strict checks of what came back ---- */

static int target_eio(const char *t)
{
    const char *e = strstr(t, "EIO=");
    return e && (e[4] == '3' || e[4] == '4') && (e[5] == '&' || e[5] == 0) ? e[4] - '0' : 0;
}

static void check_poll_body(struct exec *x, const char *target, const struct hx_item *it)
{
    struct cdc_opts co = x->strict;
    co.eio_version = target_eio(target);
    if (!co.eio_version || strstr(target, "j=") || strstr(target, "transport=polling") == NULL)
        return;
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, 64u << 20, NULL);
    struct eio_payload_iter itr;
    struct eio_packet p;
    struct eio_handshake hs;
    struct cdc_diag d = {0};
    bool first = strstr(target, "sid=") == NULL;
    eio_payload_iter_init(&itr, &co, it->raw.p, it->raw.len, EIO_PAYLOAD_TEXT);
    int r;
    while ((r = eio_payload_next(&itr, &scratch, &p, &d)) == 1 && first) {
        first = false;
        if (p.type != EIO_OPEN) {
            r = CDC_ERR_EIO_HANDSHAKE;
            break;
        }
        if ((r = eio_handshake_decode(&co, p.data.p, p.data.len, &hs, &d)) != CDC_OK)
            break;
    }
    if (r < 0)
        note(x, HX_LIVE_PROTOCOL, cdc_err_name(r), "polling body rejected: %s (%s)",
             cdc_strerror(r), d.why ? d.why : "?");
    cdc_buf_free(&scratch);
}

/* True when one of the Engine.IO records in |p| (the whole message, or a
 * record of a polling batch: after "\x1e" in v4, after "<len>:" in v3)
 * starts with |prefix|. */
static bool record_starts(const uint8_t *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    for (size_t i = 0; i + k <= n; i++) {
        bool start = i == 0 || p[i - 1] == 0x1e || p[i - 1] == ':';
        if (start && memcmp(p + i, prefix, k) == 0)
            return true;
    }
    return false;
}

/* True when an HTTP body holds an Engine.IO message, text or binary. */
static bool carries_messages(const struct cdc_span *body)
{
    return record_starts(body->p, body->len, "4") || record_starts(body->p, body->len, "b");
}

static bool steals(const char *method, const char *target, const struct hx_item *it)
{
    return it->http_status == 200 && strcmp(method, "GET") == 0 && strstr(target, "sid=") &&
           carries_messages(&it->raw);
}

static void check_http_answer(struct exec *x, const char *method, const char *target,
                              const struct hx_item *it)
{
    if (steals(method, target, it))
        x->stolen[x->slot] = true;
    struct cdc_span ct;
    bool json = hx_http_header_get(it->head, "content-type", 0, &ct) && ct.len >= 16 &&
                hx_span_ieq((struct cdc_span){ct.p, 16}, "application/json");
    if (strcmp(method, "HEAD") == 0)
        return; /* no body to judge */
    if (it->http_status == 200 && strcmp(method, "GET") == 0) {
        check_poll_body(x, target, it);
    } else if ((it->http_status == 400 || it->http_status == 403) && json) {
        struct eio_error e;
        struct cdc_diag d = {0};
        int r = eio_error_decode(&x->strict, it->raw.p, it->raw.len, &e, &d);
        if (r != CDC_OK)
            note(x, HX_LIVE_PROTOCOL, cdc_err_name(r), "HTTP %d error body rejected: %s",
                 it->http_status, cdc_strerror(r));
    }
}

/* Session packets the strict codec rejected, and raw WebSocket text the
 * Engine.IO codec could not read. */
static void check_queue(struct exec *x, unsigned k)
{
    /* Our decoder gave up on a packet, or a request of ours took some of
     * the session's: what follows may look wrong. */
    bool lost = x->stolen[k];
    /* (The answer of a GET the case did not wait for is queued; it comes
     * on its own connection, so it may be queued after the gap shows.) */
    for (size_t i = 0; i < hx_session_queued(x->s) && !lost; i++) {
        const struct hx_item *it = hx_session_peek(x->s, i);
        lost = it->kind == HX_ITEM_HTTP && it->aux && it->http_status == 200 &&
               carries_messages(&it->raw);
    }
    for (size_t i = 0; i < hx_session_queued(x->s); i++) {
        const struct hx_item *it = hx_session_peek(x->s, i);
        /* Our own limits (JSON depth 64, sizes) are not the server's
         * fault: it may echo back the deep or large values we sent, and
         * the attachments of such a packet then look unexpected. */
        bool limit = it->kind == HX_ITEM_ERROR &&
                     (it->err == CDC_ERR_JSON_DEPTH || it->err == CDC_ERR_TOO_LARGE);
        lost |= limit;
        bool decode = it->kind == HX_ITEM_ERROR && !lost &&
                      (strncmp(it->reason, "undecodable", 11) == 0 ||
                       strncmp(it->reason, "attachments", 11) == 0 ||
                       strncmp(it->reason, "open packet accepted", 20) == 0);
        if (decode)
            note(x, HX_LIVE_PROTOCOL, cdc_err_name(it->err), "%s", it->reason);
        else if (it->kind == HX_ITEM_WS && it->aux && it->opcode == HX_WS_TEXT && !it->eio_ok)
            note(x, HX_LIVE_PROTOCOL, "raw WebSocket text not an Engine.IO packet",
                 "raw WebSocket channel %u: undecodable text message", it->chan);
    }
}

/* ---- actions ---- */

static int act_open(struct exec *x, const struct hx_live_action *a)
{
    bool ws = a->flags & HX_LIVE_F_WS;
    int rc = hx_eio_open(x->s, ws ? HX_TP_WS : HX_TP_POLLING, hx_session_in(x->s, req_ms(x)));
    if (rc == HX_ERR_TIMEOUT)
        note(x, HX_LIVE_HANG_REQUEST,
             ws ? "no answer to a WebSocket handshake" : "no answer to a polling handshake",
             "handshake not answered within %u ms", req_ms(x));
    return rc;
}

/* After a CONNECT, a client waits for the server's answer before it uses
 * the namespace; so does a case, else whether its next packet lands before
 * or after the namespace is joined is a race, and a reproducer minimised
 * without its pause would reproduce by chance. Waits (at most half the
 * request bound) for a CONNECT or CONNECT_ERROR sent after |since_us|, or
 * the session's end. Nothing is taken from the queue. */
static void await_connect(struct exec *x, uint64_t since_us)
{
    uint64_t end = hx_session_in(x->s, req_ms(x) / 2);
    size_t seen = 0;
    while (!hx_session_closed(x->s) && hx_session_in(x->s, 0) < end) {
        size_t q = hx_session_queued(x->s);
        for (; seen < q; seen++) {
            const struct hx_item *it = hx_session_peek(x->s, seen);
            if (it && it->at_us >= since_us &&
                (it->kind == HX_ITEM_ERROR || it->kind == HX_ITEM_CLOSE ||
                 (it->kind == HX_ITEM_SIO &&
                  (it->sio.type == SIO_CONNECT || it->sio.type == SIO_CONNECT_ERROR))))
                return;
        }
        uint64_t t = hx_session_in(x->s, 5);
        if (hx_session_pump(x->s, t < end ? t : end) != HX_OK)
            return;
    }
}

static int act_send(struct exec *x, const struct hx_live_action *a)
{
    if (hx_session_tp(x->s) == HX_TP_NONE || hx_session_closed(x->s))
        return HX_ERR_STATE;
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    int rc = CDC_OK;
    bool polling = hx_session_tp(x->s) == HX_TP_POLLING;
    if (a->flags & HX_LIVE_F_TMPL) {
        struct cdc_buf p;
        cdc_buf_init(&p, 64u << 20, NULL);
        rc = padded(a, &p);
        if (rc == CDC_OK && polling && x->o->eio == 3) {
            struct cdc_buf e;
            cdc_buf_init(&e, 64u << 20, NULL);
            rc = expand(x, p.p, p.len, &e);
            if (rc == CDC_OK)
                rc = cdc_buf_append_u64(&b, cdc_utf16_units(e.p, e.len));
            if (rc == CDC_OK)
                rc = cdc_buf_append_byte(&b, ':');
            if (rc == CDC_OK)
                rc = cdc_buf_append(&b, e.p, e.len);
            cdc_buf_free(&e);
        } else if (rc == CDC_OK) {
            rc = expand(x, p.p, p.len, &b);
        }
        cdc_buf_free(&p);
    } else if (polling && x->o->eio == 3) { /* v3 polling: "<len>:<packet>" */
        struct cdc_buf p;
        cdc_buf_init(&p, 64u << 20, NULL);
        rc = padded(a, &p);
        if (rc == CDC_OK)
            rc = cdc_buf_append_u64(&b, cdc_utf16_units(p.p, p.len));
        if (rc == CDC_OK)
            rc = cdc_buf_append_byte(&b, ':');
        if (rc == CDC_OK)
            rc = cdc_buf_append(&b, p.p, p.len);
        cdc_buf_free(&p);
    } else {
        rc = padded(a, &b);
    }
    bool connect = rc == CDC_OK && !(a->flags & (HX_LIVE_F_BINARY | HX_LIVE_F_NOWAIT)) &&
                   x->o->sio && record_starts(b.p, b.len, "40"); /* a Socket.IO CONNECT */
    uint64_t since_us = hx_session_elapsed_us(x->s);
    if (rc == CDC_OK) {
        rc = hx_eio_send_raw(x->s, b.p, b.len, a->flags & HX_LIVE_F_BINARY,
                             hx_session_in(x->s, req_ms(x)));
        if (rc == HX_ERR_TIMEOUT && polling)
            note(x, HX_LIVE_HANG_REQUEST, "no answer to a polling POST",
                 "POST of %zu bytes not answered within %u ms", b.len, req_ms(x));
        if (rc == HX_OK && connect)
            await_connect(x, since_us);
        else if (!polling) /* take in what is there, without waiting */
            hx_session_pump(x->s, hx_session_in(x->s, 0));
    }
    cdc_buf_free(&b);
    return rc;
}

/* The answer bound of an HTTP request: a long poll may legitimately wait
 * for the next ping. */
static uint32_t http_bound(struct exec *x, const char *method, const char *target)
{
    const struct eio_handshake *hs = hx_session_handshake(x->s);
    uint32_t ms = req_ms(x);
    if (strcmp(method, "GET") == 0 && strstr(target, "sid=") && hs &&
        hs->ping_interval + hs->ping_timeout < 60000)
        ms += (uint32_t)(hs->ping_interval + hs->ping_timeout);
    return ms;
}

/* Waits for the answer on |chan| and judges it: no answer in time is a
 * hang; an answer is checked against the strict codec. */
static int http_await(struct exec *x, unsigned chan, const char *method, const char *target,
                      const char *ctype)
{
    const struct hx_item *it = NULL;
    uint32_t bound = http_bound(x, method, target);
    int rc = hx_session_http_wait(x->s, chan, hx_session_in(x->s, bound), &it);
    if (rc == HX_ERR_TIMEOUT) {
        char sig[160];
        snprintf(sig, sizeof(sig), "no answer to %s (%.60s)", method,
                 ctype ? ctype : "no content type");
        hx_live_sig_normalise(sig);
        note(x, HX_LIVE_HANG_REQUEST, sig, "%s %.120s not answered within %u ms", method, target,
             bound);
    } else if (rc == HX_OK && it) {
        check_http_answer(x, method, target, it);
    }
    return rc;
}

static int act_http(struct exec *x, const struct hx_live_action *a)
{
    struct cdc_buf tgt, body, ct;
    cdc_buf_init(&tgt, 1u << 20, NULL);
    cdc_buf_init(&body, 64u << 20, NULL);
    cdc_buf_init(&ct, 4096, NULL);
    const char *method = a->method[0] ? a->method : "GET";
    int rc = expand(x, a->target.p, a->target.len, &tgt);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(&tgt, 0);
    if (rc == CDC_OK)
        rc = padded(a, &body);
    if (rc == CDC_OK)
        rc = cdc_buf_append(&ct, a->ctype.p, a->ctype.len) == CDC_OK ? cdc_buf_append_byte(&ct, 0)
                                                                     : CDC_ERR_NOMEM;
    if (rc == CDC_OK)
        rc = build_headers(x, a);
    unsigned chan = 0;
    if (rc == CDC_OK) {
        struct hx_http_req req = {.method = method,
                                  .target = (const char *)tgt.p,
                                  .headers = x->hdr,
                                  .n_headers = x->nhdr,
                                  .content_type = a->ctype.len ? (const char *)ct.p : NULL,
                                  .body = body.p,
                                  .body_len = body.len,
                                  .has_body = body.len > 0 || strcmp(method, "POST") == 0,
                                  .chunked = a->flags & HX_LIVE_F_CHUNKED,
                                  .raw = true};
        rc = hx_session_http(x->s, &req, &chan);
    }
    if (rc == HX_OK && !(a->flags & HX_LIVE_F_NOWAIT))
        rc = http_await(x, chan, method, (const char *)tgt.p,
                        a->ctype.len ? (const char *)ct.p : NULL);
    cdc_buf_free(&tgt);
    cdc_buf_free(&body);
    cdc_buf_free(&ct);
    return rc;
}

/* Sends |bytes| on a fresh raw TCP connection; optionally resets it
 * (SO_LINGER 0) after |rst_ms|, else waits for an answer or the close. */
static int raw_bytes(struct exec *x, const struct cdc_buf *bytes, uint32_t rst_ms)
{
    unsigned chan = 0;
    struct hx_http_req req = {.raw = true, .raw_bytes = bytes->p, .raw_len = bytes->len};
    int rc = hx_session_http(x->s, &req, &chan);
    if (rc != HX_OK)
        return rc;
    const struct hx_item *it;
    if (rst_ms) {
        hx_session_pump(x->s, hx_session_in(x->s, rst_ms));
        return hx_session_chan_close(x->s, chan, true, 0, NULL);
    }
    return hx_session_http_wait(x->s, chan, hx_session_in(x->s, req_ms(x)), &it);
}

static int act_raw(struct exec *x, const struct hx_live_action *a)
{
    struct cdc_buf pad, out;
    cdc_buf_init(&pad, 64u << 20, NULL);
    cdc_buf_init(&out, 64u << 20, NULL);
    int rc = padded(a, &pad);
    const uint8_t *eol = pad.len ? memchr(pad.p, '\n', pad.len) : NULL;
    size_t first = eol ? (size_t)(eol - pad.p) + 1 : pad.len;
    if (rc == CDC_OK)
        rc = expand(x, pad.p, first, &out);
    for (uint32_t i = 0; rc == CDC_OK && i < a->gen_headers; i++) {
        char line[48];
        snprintf(line, sizeof(line), "X-Fz-%u: %u\r\n", i, i);
        rc = cdc_buf_append_str(&out, line);
    }
    if (rc == CDC_OK)
        rc = expand(x, pad.p + first, pad.len - first, &out);
    if (rc == CDC_OK)
        rc = raw_bytes(x, &out, a->ms);
    cdc_buf_free(&pad);
    cdc_buf_free(&out);
    return rc;
}

static int act_wsopen(struct exec *x, const struct hx_live_action *a)
{
    struct cdc_buf tgt, req;
    cdc_buf_init(&tgt, 1u << 20, NULL);
    cdc_buf_init(&req, 64u << 20, NULL);
    int rc = expand(x, a->target.p, a->target.len, &tgt);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(&tgt, 0);
    if (rc == CDC_OK)
        rc = build_headers(x, a);
    if (rc == CDC_OK && a->data.len) { /* garbage in the same write as the request */
        rc = hx_ws_request_build((const char *)tgt.p, x->host, "dGhlIHNhbXBsZSBub25jZQ==", x->hdr,
                                 x->nhdr, &req);
        if (rc == CDC_OK)
            rc = cdc_buf_append(&req, a->data.p, a->data.len);
        if (rc == CDC_OK)
            rc = raw_bytes(x, &req, 0);
    } else if (rc == CDC_OK) {
        struct hx_ws_req wr = {.target = (const char *)tgt.p,
                               .headers = x->hdr,
                               .n_headers = x->nhdr,
                               .raw = true,
                               .no_utf8_check = true};
        unsigned chan = 0;
        rc = hx_session_ws(x->s, &wr, hx_session_in(x->s, req_ms(x)), &chan);
        if (rc == HX_OK)
            x->ws_chan = chan;
    }
    cdc_buf_free(&tgt);
    cdc_buf_free(&req);
    return rc;
}

static int act_wsframe(struct exec *x, const struct hx_live_action *a)
{
    if (!x->ws_chan)
        return HX_ERR_STATE;
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    int rc = padded(a, &b);
    struct hx_ws_out f = {.opcode = a->opcode,
                          .no_fin = a->flags & HX_LIVE_F_NOFIN,
                          .rsv = a->rsv,
                          .unmasked = a->flags & HX_LIVE_F_UNMASKED,
                          .length_override = a->flags & HX_LIVE_F_DECLEN,
                          .declared_len = a->declen,
                          .payload = b.p,
                          .len = b.len,
                          .close_code = a->close_code};
    for (uint32_t i = 0; rc == CDC_OK && i < (a->repeat ? a->repeat : 1); i++)
        rc = hx_session_ws_send(x->s, x->ws_chan, &f);
    if (rc == HX_OK)
        hx_session_pump(x->s, hx_session_in(x->s, 0));
    cdc_buf_free(&b);
    return rc;
}

static int act_expect_close(struct exec *x, const struct hx_live_action *a)
{
    if (hx_session_tp(x->s) == HX_TP_NONE)
        return HX_ERR_STATE; /* never opened: nothing to expect */
    uint64_t until = hx_session_in(x->s, a->ms);
    while (!hx_session_closed(x->s) && hx_session_in(x->s, 0) < until) {
        uint64_t step = hx_session_in(x->s, 20);
        if (hx_session_pump(x->s, step < until ? step : until) != HX_OK)
            break;
    }
    if (!hx_session_closed(x->s)) {
        char sig[120];
        snprintf(sig, sizeof(sig), "session kept open: %.*s", (int)a->target.len,
                 (const char *)a->target.p);
        note(x, HX_LIVE_REACTION, sig, "the session was still open %u ms after the input (%.*s)",
             a->ms, (int)a->target.len, (const char *)a->target.p);
    }
    return HX_OK;
}

/* Judges and retires the session of slot |k| (if any). */
static void retire(struct exec *x, unsigned k)
{
    struct hx_session *s = x->ss[k];
    if (!s)
        return;
    struct hx_session *cur = x->s;
    x->s = s;
    hx_session_pump(s, hx_session_in(s, 1)); /* slots not in use were not pumped */
    check_queue(x, k);
    x->stolen[k] = false;
    hx_live_shape_session(x->obs, s, k);
    if (hx_session_tp(s) != HX_TP_NONE)
        hx_session_close(s, HX_CLOSE_ABORT, hx_session_in(s, 100));
    if (x->o->transcript && !x->obs->tr)
        x->obs->tr = hx_session_take_transcript(s);
    hx_session_del(s);
    x->ss[k] = NULL;
    x->chans[k] = 0;
    x->s = cur == s ? NULL : cur;
}

/* Makes slot |k| current, creating its session when it has none. */
static int use_slot(struct exec *x, unsigned k)
{
    x->slot = k < HX_LIVE_NSESS ? k : 0;
    if (!x->ss[x->slot]) {
        struct hx_session_opts so = {.url = x->o->url,
                                     .path = x->o->path,
                                     .eio = x->o->eio,
                                     .sio = x->o->sio,
                                     .strict_decode = !x->o->compat,
                                     .seed = x->o->seed + x->slot,
                                     /* the grammar nests up to ~2000 levels,
                                      * and servers echo it back */
                                     .max_json_depth = 4096};
        int rc = hx_session_new(&x->ss[x->slot], &x->env, &so);
        if (rc != HX_OK)
            return rc;
    }
    x->s = x->ss[x->slot];
    x->ws_chan = x->chans[x->slot];
    return HX_OK;
}

static int dispatch(struct exec *x, const struct hx_live_action *a)
{
    unsigned f = a->flags;
    /* Once the server closed the session, what would use it fails at once
     * (an upgrade would otherwise wait for its whole bound), and waiting
     * on it tells nothing more. */
    bool gone = hx_session_tp(x->s) != HX_TP_NONE && hx_session_closed(x->s);
    if (gone && (a->op == HX_LIVE_UPGRADE || a->op == HX_LIVE_SEND || a->op == HX_LIVE_CLOSE))
        return HX_ERR_CLOSED;
    if (gone && a->op == HX_LIVE_SLEEP && !x->ws_chan)
        return HX_OK;
    switch (a->op) {
    case HX_LIVE_OPEN:
        return act_open(x, a);
    case HX_LIVE_UPGRADE:
        return hx_eio_upgrade(x->s,
                              ((f & HX_LIVE_F_NOPROBE) ? HX_UPG_NO_PROBE : 0) |
                                  ((f & HX_LIVE_F_NOUPGRADE) ? HX_UPG_NO_UPGRADE : 0) |
                                  ((f & HX_LIVE_F_NOPAUSE) ? HX_UPG_NO_PAUSE : 0),
                              hx_session_in(x->s, req_ms(x)));
    case HX_LIVE_SEND:
        return act_send(x, a);
    case HX_LIVE_HTTP:
        return act_http(x, a);
    case HX_LIVE_RAW:
        return act_raw(x, a);
    case HX_LIVE_WSOPEN:
        return act_wsopen(x, a);
    case HX_LIVE_WSFRAME:
        return act_wsframe(x, a);
    case HX_LIVE_SLEEP:
        return hx_session_pump(x->s, hx_session_in(x->s, a->ms));
    case HX_LIVE_CLOSE:
        return hx_session_close(x->s, (enum hx_close_how)a->how, hx_session_in(x->s, req_ms(x)));
    case HX_LIVE_EXPECT_CLOSE:
        return act_expect_close(x, a);
    case HX_LIVE_LOOP:
        return HX_OK; /* run_range unrolls loops */
    }
    return HX_ERR_INVALID_ARG;
}

static int run_action(struct exec *x, const struct hx_live_action *a)
{
    if (a->op == HX_LIVE_OPEN && x->ss[a->sess < HX_LIVE_NSESS ? a->sess : 0] &&
        hx_session_tp(x->ss[a->sess < HX_LIVE_NSESS ? a->sess : 0]) != HX_TP_NONE)
        retire(x, a->sess < HX_LIVE_NSESS ? a->sess : 0);
    int rc = use_slot(x, a->sess);
    if (rc != HX_OK)
        return rc;
    rc = dispatch(x, a);
    x->chans[x->slot] = x->ws_chan;
    if (x->obs->ran < 64)
        hx_live_shape_action(x->obs, (int)a->op, a->flags, rc);
    return rc;
}

static bool out_of_time(struct exec *x)
{
    return hx_clock_now(x->env.clock) >= x->deadline;
}

/* Runs actions [from, to) of |c|, unrolling loops. */
static void run_range(struct exec *x, const struct hx_live_case *c, size_t from, size_t to)
{
    for (size_t i = from; i < to && !x->fatal && !out_of_time(x);) {
        const struct hx_live_action *a = &c->a[i];
        if (a->op != HX_LIVE_LOOP) {
            x->cur = i;
            int rc = run_action(x, a);
            if (rc == HX_ERR_NOMEM) {
                x->fatal = HX_ERR_NOMEM;
                if (getenv("SIOSPEC_FUZZ_DEBUG"))
                    fprintf(stderr, "fuzz: case %llu action %zu (%s): out of memory\n",
                            (unsigned long long)c->index, i, hx_live_op_name((int)a->op));
            }
            x->obs->ran++;
            i++;
            continue;
        }
        size_t end = i + 1 + a->span < to ? i + 1 + a->span : to;
        for (uint32_t r = 0; r < (a->repeat ? a->repeat : 1) && !x->fatal && !out_of_time(x); r++)
            run_range(x, c, i + 1, end);
        i = end;
    }
}

/* Lets late answers arrive: pumps in 2 ms steps until a step brings
 * nothing new (at least two steps), at most |ms|. */
static void settle(struct exec *x, uint32_t ms)
{
    if (!x->s)
        return;
    uint64_t end = hx_session_in(x->s, ms);
    size_t seen = (size_t)-1;
    for (unsigned step = 0; hx_session_in(x->s, 0) < end; step++) {
        size_t q = hx_session_queued(x->s);
        if (q == seen && step >= 2)
            break;
        seen = q;
        uint64_t t = hx_session_in(x->s, 2);
        hx_session_pump(x->s, t < end ? t : end);
    }
}

int hx_live_exec(const struct hx_live_run_opts *o, const struct hx_live_case *c,
                 struct hx_live_obs *obs)
{
    memset(obs, 0, sizeof(*obs));
    struct exec *x = calloc(1, sizeof(*x));
    if (!x)
        return HX_ERR_NOMEM;
    x->o = o;
    x->obs = obs;
    cdc_opts_init(&x->strict);
    x->strict.mode = o->compat ? CDC_COMPAT : CDC_STRICT;
    const char *h = strstr(o->url, "://");
    snprintf(x->host, sizeof(x->host), "%s", h ? h + 3 : o->url);
    /* Thousands of connections a minute: reset them at close, so they
     * leave no TIME_WAIT behind to exhaust the ephemeral ports. */
    static const struct hx_net_limits lim = {.rst_close = true};
    hx_net_env_init(&x->env, &lim);
    x->deadline = hx_clock_in_ms(x->env.clock, o->case_ms ? o->case_ms : 10000);
    int rc = use_slot(x, 0);
    if (rc == HX_OK) {
        run_range(x, c, 0, c->n);
        settle(x, o->settle_ms ? o->settle_ms : 10);
        if (o->before_close)
            o->before_close(o->before_close_ud);
        for (unsigned k = 0; k < HX_LIVE_NSESS; k++)
            retire(x, k);
        rc = x->fatal;
    }
    for (unsigned k = 0; k < HX_LIVE_NSESS; k++)
        if (x->ss[k])
            hx_session_del(x->ss[k]);
    free(x->hdr_store);
    free(x);
    return rc;
}

void hx_live_obs_free(struct hx_live_obs *obs)
{
    hx_transcript_del(obs->tr);
    obs->tr = NULL;
}
