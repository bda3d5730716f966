/*
 * hx_net_lws.c - WebSocket channels through libwebsockets 4.1.
 *
 * One lws context per transport, created on first use, with no listener.
 * Its sockets are tracked through the poll-fd callbacks so the transport's
 * own poll loop can wait on them; lws is then serviced without blocking.
 * Sends are queued and written one per WRITEABLE callback (lws allows one
 * lws_write per callback). Messages are reassembled up to the transport's
 * body limit; a longer one fails the channel (and closes it with 1009).
 * lws answers server pings itself and sends no pings of its own.
 */
#include "hx_net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct lws_out {
    struct lws_out *next;
    int wp; /* enum lws_write_protocol */
    size_t len;
    uint8_t buf[]; /* LWS_PRE headroom, then the payload */
};

struct lws_chan {
    struct lws *wsi;
    char *target;
    char *origin;
    struct hx_header *hdrs;
    size_t n_hdrs;
    struct lws_out *out_head, *out_tail;
    struct cdc_buf msg;
    bool msg_binary;
    struct cdc_buf head;
    bool established, close_req, peer_closed;
    bool req_sent;   /* lws composed the upgrade request */
    bool close_sent; /* our close frame went out */
    uint16_t close_code, peer_code;
    char close_reason[124];
    char peer_reason[124];
};

/* ---- which sockets the transport's poll loop waits on ---- */

/* lws 4.1 built without LWS_WITH_EXTERNAL_POLL reports no poll-fd changes,
 * so the loop derives the events itself: always readable; writable while
 * the TCP connect is in progress, while frames or a close wait in our
 * queue, or while lws holds a partially written buffer. Whatever lws
 * wants beyond that, the capped sleep (LWS_SLICE_MS) still services. */
static short wanted(struct nchan *c, int fd)
{
    struct lws_chan *lc = c->impl;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    bool connecting = getpeername(fd, (struct sockaddr *)&ss, &sl) != 0;
    bool out = connecting || !lc->req_sent || lc->out_head || lc->close_req ||
               lws_partial_buffered(lc->wsi);
    return (short)(POLLIN | (out ? POLLOUT : 0));
}

size_t lws_pollfds(struct net *n, struct pollfd *pf, size_t cap)
{
    size_t k = 0;
    for (struct nchan *c = n->chans; c && k < cap; c = c->next) {
        struct lws_chan *lc = c->kind == NC_LWS && !c->lib_gone ? c->impl : NULL;
        int fd = lc && lc->wsi ? lws_get_socket_fd(lc->wsi) : -1;
        if (fd >= 0)
            pf[k++] = (struct pollfd){.fd = fd, .events = wanted(c, fd)};
    }
    return k;
}

/* Services lws without blocking, again while it holds buffered input. */
void lws_net_service(struct net *n)
{
    for (int i = 0; n->lws && i < 16; i++) {
        lws_service(n->lws, -1);
        if (i >= 2 && lws_service_adjust_timeout(n->lws, 1, 0) != 0)
            break;
    }
}

bool lws_net_busy(const struct net *n)
{
    for (const struct nchan *c = n->chans; c; c = c->next)
        if (c->kind == NC_LWS && !c->lib_gone)
            return true;
    return false;
}

/* ---- callback helpers ---- */

static int append_headers(struct lws *wsi, struct lws_chan *lc, void *in, size_t len)
{
    unsigned char **p = in, *end = *p + len;
    for (size_t i = 0; i < lc->n_hdrs; i++) {
        char name[128];
        snprintf(name, sizeof(name), "%s:", lc->hdrs[i].name);
        const char *v = lc->hdrs[i].value;
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)name, (const unsigned char *)v,
                                        (int)strlen(v), p, end))
            return -1;
    }
    return 0;
}

static void collect_head(struct lws *wsi, struct lws_chan *lc)
{
    static const struct {
        const char *name;
        enum lws_token_indexes tok;
    } known[] = {{"upgrade", WSI_TOKEN_UPGRADE},
                 {"connection", WSI_TOKEN_CONNECTION},
                 {"sec-websocket-accept", WSI_TOKEN_ACCEPT},
                 {"set-cookie", WSI_TOKEN_HTTP_SET_COOKIE}};
    char line[600], val[512];
    cdc_buf_reset(&lc->head);
    snprintf(line, sizeof(line), "HTTP/1.1 %u\r\n", lws_http_client_http_response(wsi));
    cdc_buf_append_str(&lc->head, line);
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (lws_hdr_copy(wsi, val, (int)sizeof(val), known[i].tok) > 0) {
            snprintf(line, sizeof(line), "%s: %s\r\n", known[i].name, val);
            cdc_buf_append_str(&lc->head, line);
        }
    }
    cdc_buf_append_str(&lc->head, "\r\n");
}

static void on_receive(struct net *n, struct nchan *c, struct lws *wsi, const void *in, size_t len)
{
    struct lws_chan *lc = c->impl;
    if (lws_is_first_fragment(wsi)) {
        cdc_buf_reset(&lc->msg);
        lc->msg_binary = lws_frame_is_binary(wsi) != 0;
    }
    if (cdc_buf_append(&lc->msg, in, len) != CDC_OK) {
        net_emit_error(n, c, HX_ERR_TOO_LARGE, 0, "WebSocket message exceeds the limit (%zu bytes)",
                       lc->msg.max);
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
        lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
        return;
    }
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return;
    net_log(n, HX_DIR_IN, "ws", c->id, lc->msg.p, lc->msg.len);
    struct hx_event ev = {
        .kind = HX_EV_WS_MESSAGE, .binary = lc->msg_binary, .data = {lc->msg.p, lc->msg.len}};
    net_emit(n, c, &ev);
}

static int on_writeable(struct net *n, struct nchan *c, struct lws *wsi)
{
    struct lws_chan *lc = c->impl;
    struct lws_out *o = lc->out_head;
    if (o) {
        lc->out_head = o->next;
        if (!lc->out_head)
            lc->out_tail = NULL;
        net_log(n, HX_DIR_OUT, "ws", c->id, o->buf + LWS_PRE, o->len);
        int w = lws_write(wsi, o->buf + LWS_PRE, o->len, (enum lws_write_protocol)o->wp);
        free(o);
        if (w < 0)
            return -1;
        if (lc->out_head || lc->close_req)
            lws_callback_on_writable(wsi);
        return 0;
    }
    if (!lc->close_req)
        return 0;
    if (!lc->close_sent)
        net_note(n, "ws", c->id, "close frame code=%u", lc->close_code);
    lc->close_sent = true;
    lws_close_reason(wsi, (enum lws_close_status)lc->close_code, (unsigned char *)lc->close_reason,
                     strlen(lc->close_reason));
    return -1;
}

static void on_peer_close(struct lws_chan *lc, const uint8_t *in, size_t len)
{
    lc->peer_closed = true;
    lc->peer_code = (uint16_t)(len >= 2 ? (in[0] << 8 | in[1]) : 1005);
    size_t rl = len > 2 ? len - 2 : 0;
    if (rl >= sizeof(lc->peer_reason))
        rl = sizeof(lc->peer_reason) - 1;
    memcpy(lc->peer_reason, in + (len > 2 ? 2 : 0), rl);
    lc->peer_reason[rl] = 0;
}

static void on_closed(struct net *n, struct nchan *c)
{
    struct lws_chan *lc = c->impl;
    uint16_t code = lc->peer_closed ? lc->peer_code : lc->close_sent ? lc->close_code : 1006;
    struct hx_event ev = {.kind = HX_EV_WS_CLOSED,
                          .close_code = code,
                          .by_peer = !lc->close_sent,
                          .data = {(const uint8_t *)lc->peer_reason, strlen(lc->peer_reason)}};
    snprintf(ev.reason, sizeof(ev.reason), "closed code=%u%s", code,
             lc->peer_closed  ? " (close frame from the server)"
             : lc->close_sent ? " (after our close frame)"
                              : " (no close frame)");
    net_note(n, "ws", c->id, "%s", ev.reason);
    net_emit(n, c, &ev);
}

static int conn_error_code(int status, const char *why)
{
    if (status && status != 101)
        return HX_ERR_REJECTED;
    if (why && (strstr(why, "connect") || strstr(why, "Connect")) && !status)
        return HX_ERR_CONNECT;
    if (why && strstr(why, "read failed"))
        return HX_ERR_CLOSED;
    if (why && (strstr(why, "HS:") || strstr(why, "hash") || strstr(why, "header")))
        return HX_ERR_PROTOCOL;
    return HX_ERR_TRANSPORT;
}

static void on_conn_error(struct net *n, struct nchan *c, struct lws *wsi, const char *in)
{
    int status = (int)lws_http_client_http_response(wsi);
    const char *why = in ? in : "connection error";
    if (status && status != 101)
        net_emit_error(n, c, HX_ERR_REJECTED, status, "WebSocket upgrade answered HTTP %d (%s)",
                       status, why);
    else
        net_emit_error(n, c, conn_error_code(status, why), status, "WebSocket: %s", why);
}

static int on_chan_event(struct net *n, struct nchan *c, struct lws *wsi, int reason, void *in,
                         size_t len)
{
    struct lws_chan *lc = c->impl;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        lc->req_sent = true;
        return append_headers(wsi, lc, in, len);
    case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
        collect_head(wsi, lc);
        if (n->lim.rst_close) { /* hx_net.h: reset when closed */
            struct linger lg = {1, 0};
            setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        }
        return 0;
    case LWS_CALLBACK_CLIENT_ESTABLISHED: {
        lc->established = true;
        net_log(n, HX_DIR_IN, "ws", c->id, lc->head.p, lc->head.len);
        struct hx_event ev = {
            .kind = HX_EV_WS_OPEN, .http_status = 101, .head = {lc->head.p, lc->head.len}};
        net_emit(n, c, &ev);
        if (lc->out_head || lc->close_req)
            lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_RECEIVE:
        on_receive(n, c, wsi, in, len);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG: {
        struct hx_event ev = {.kind = HX_EV_WS_CONTROL, .opcode = HX_WS_PONG, .data = {in, len}};
        net_emit(n, c, &ev);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return on_writeable(n, c, wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        on_peer_close(lc, in, len);
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        on_conn_error(n, c, wsi, in);
        return 0;
    case LWS_CALLBACK_CLIENT_CLOSED:
        on_closed(n, c);
        return 0;
    case LWS_CALLBACK_WSI_DESTROY:
        if (!c->done)
            net_emit_error(n, c, HX_ERR_CLOSED, 0, "WebSocket connection ended");
        lc->wsi = NULL;
        c->lib_gone = true;
        return 0;
    default:
        return 0;
    }
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    (void)user;
    struct lws_context *ctx = wsi ? lws_get_context(wsi) : NULL;
    struct net *n = ctx ? lws_context_user(ctx) : NULL;
    if (!n)
        return 0;
    struct nchan *c = lws_get_opaque_user_data(wsi);
    if (!c || !c->impl)
        return 0;
    return on_chan_event(n, c, wsi, (int)reason, in, len);
}

static const struct lws_protocols protocols[] = {
    {"siospec-eio", callback, 0, 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static int make_context(struct net *n)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.gid = (gid_t)-1;
    info.uid = (uid_t)-1;
    info.user = n;
    info.max_http_header_data = 8192;
    info.pt_serv_buf_size = 65536;
    info.timeout_secs = 30;
    n->lws = lws_create_context(&info);
    return n->lws ? HX_OK : HX_ERR_TRANSPORT;
}

/* ---- channel lifecycle ---- */

static char *dup_s(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int copy_req(struct lws_chan *lc, const struct hx_ws_req *req)
{
    lc->target = dup_s(req->target);
    lc->origin = req->origin ? dup_s(req->origin) : NULL;
    if (!lc->target || (req->origin && !lc->origin))
        return HX_ERR_NOMEM;
    if (!req->n_headers)
        return HX_OK;
    lc->hdrs = calloc(req->n_headers, sizeof(*lc->hdrs));
    if (!lc->hdrs)
        return HX_ERR_NOMEM;
    for (size_t i = 0; i < req->n_headers; i++, lc->n_hdrs++) {
        lc->hdrs[i].name = dup_s(req->headers[i].name);
        lc->hdrs[i].value = dup_s(req->headers[i].value);
        if (!lc->hdrs[i].name || !lc->hdrs[i].value) {
            lc->n_hdrs++;
            return HX_ERR_NOMEM;
        }
    }
    return HX_OK;
}

static int connect_chan(struct net *n, struct nchan *c, struct lws_chan *lc)
{
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof(ci));
    ci.context = n->lws;
    ci.address = n->host;
    ci.port = (int)n->port;
    ci.path = lc->target;
    ci.host = n->hostport;
    ci.origin = lc->origin;
    ci.local_protocol_name = protocols[0].name;
    ci.opaque_user_data = c;
    ci.pwsi = &lc->wsi;
    net_note(n, "ws", c->id, "GET %s (WebSocket upgrade)", lc->target);
    if (!lws_client_connect_via_info(&ci)) {
        if (!c->done)
            net_emit_error(n, c, HX_ERR_CONNECT, 0, "WebSocket connect to %s failed at once",
                           n->hostport);
        c->lib_gone = true;
        lc->wsi = NULL;
    }
    return HX_OK;
}

int lws_chan_start(struct net *n, const struct hx_ws_req *req, unsigned *chan)
{
    if (!n->lws && make_context(n) != HX_OK)
        return HX_ERR_TRANSPORT;
    struct nchan *c = net_chan_new(n, NC_LWS);
    if (!c)
        return HX_ERR_NOMEM;
    struct lws_chan *lc = calloc(1, sizeof(*lc));
    c->impl = lc;
    c->lib_gone = true; /* until a wsi exists */
    if (!lc || copy_req(lc, req) != HX_OK) {
        net_chan_free(n, c);
        return HX_ERR_NOMEM;
    }
    cdc_buf_init(&lc->msg, n->lim.max_body, NULL);
    cdc_buf_init(&lc->head, n->lim.max_head, NULL);
    c->lib_gone = false;
    *chan = c->id;
    return connect_chan(n, c, lc);
}

static int map_opcode(const struct hx_ws_out *f, int *wp)
{
    if (f->rsv || f->unmasked || f->length_override || f->raw_bytes)
        return HX_ERR_INVALID_ARG; /* only the raw transport writes such frames */
    switch (f->opcode) {
    case HX_WS_TEXT:
        *wp = LWS_WRITE_TEXT;
        break;
    case HX_WS_BINARY:
        *wp = LWS_WRITE_BINARY;
        break;
    case HX_WS_CONT:
        *wp = LWS_WRITE_CONTINUATION;
        break;
    case HX_WS_PING:
        *wp = LWS_WRITE_PING;
        break;
    case HX_WS_PONG:
        *wp = LWS_WRITE_PONG;
        break;
    default:
        return HX_ERR_INVALID_ARG;
    }
    if (f->no_fin)
        *wp |= LWS_WRITE_NO_FIN;
    return HX_OK;
}

int lws_chan_send(struct net *n, struct nchan *c, const struct hx_ws_out *f)
{
    (void)n;
    struct lws_chan *lc = c->impl;
    if (f->opcode == HX_WS_CLOSE)
        return lws_chan_close(n, c, false, f->close_code, NULL);
    int wp;
    if (map_opcode(f, &wp) != HX_OK)
        return HX_ERR_INVALID_ARG;
    if (!lc || !lc->wsi || lc->close_req)
        return HX_ERR_STATE;
    struct lws_out *o = malloc(sizeof(*o) + LWS_PRE + f->len + 1);
    if (!o)
        return HX_ERR_NOMEM;
    o->next = NULL;
    o->wp = wp;
    o->len = f->len;
    if (f->len)
        memcpy(o->buf + LWS_PRE, f->payload, f->len);
    if (lc->out_tail)
        lc->out_tail->next = o;
    else
        lc->out_head = o;
    lc->out_tail = o;
    if (lc->established)
        lws_callback_on_writable(lc->wsi);
    return HX_OK;
}

int lws_chan_close(struct net *n, struct nchan *c, bool abort, uint16_t code, const char *reason)
{
    (void)n;
    struct lws_chan *lc = c->impl;
    if (!lc || !lc->wsi)
        return abort ? HX_OK : HX_ERR_STATE;
    if (abort) {
        c->done = true;
        lws_set_timeout(lc->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_SYNC);
        return HX_OK;
    }
    lc->close_req = true;
    lc->close_code = code ? code : LWS_CLOSE_STATUS_NORMAL;
    snprintf(lc->close_reason, sizeof(lc->close_reason), "%s", reason ? reason : "");
    if (lc->established)
        lws_callback_on_writable(lc->wsi);
    return HX_OK;
}

void lws_chan_free(struct nchan *c)
{
    struct lws_chan *lc = c->impl;
    if (!lc)
        return;
    for (struct lws_out *o = lc->out_head, *x; o; o = x) {
        x = o->next;
        free(o);
    }
    for (size_t i = 0; i < lc->n_hdrs; i++) {
        free((void *)lc->hdrs[i].name);
        free((void *)lc->hdrs[i].value);
    }
    free(lc->hdrs);
    free(lc->target);
    free(lc->origin);
    cdc_buf_free(&lc->msg);
    cdc_buf_free(&lc->head);
    free(lc);
    c->impl = NULL;
}

void lws_net_destroy(struct net *n)
{
    if (n->lws)
        lws_context_destroy(n->lws);
    n->lws = NULL;
}
