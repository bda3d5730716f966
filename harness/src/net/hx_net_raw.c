/*
 * hx_net_raw.c - raw TCP channels: the harness writes exactly the bytes a
 * negative case asks for (any request line, header, framing, partial
 * body; any WebSocket frame) and parses what comes back with the pure
 * parsers of harness_core (hx_http, hx_ws), bounded by the transport's
 * limits. Used only where a library would refuse to send the bytes.
 *
 * A raw HTTP channel ends with the parsed response, or an error naming
 * where the peer's bytes went wrong or stopped. A raw WebSocket channel
 * checks the 101 (status, Upgrade, Connection, Sec-WebSocket-Accept) and
 * then reports every message and control frame; it never answers pings or
 * close frames by itself.
 */
#include "hx_net_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RAW_READ_CAP (1u << 20) /* bytes read per channel per loop pass */

struct raw_chan {
    int fd;
    bool connected;
    bool ws;
    bool upgraded;
    struct cdc_buf out;
    size_t out_off;
    size_t send_limit;
    size_t sent;
    struct hx_http_parser hp;
    struct hx_ws_parser wp;
    char key[32];
};

static const char *err_text(int e, char *buf, size_t n)
{
    if (strerror_r(e, buf, n) != 0)
        snprintf(buf, n, "errno %d", e);
    return buf;
}

static void close_fd(struct nchan *c)
{
    struct raw_chan *rc = c->impl;
    if (rc && rc->fd >= 0)
        close(rc->fd);
    if (rc)
        rc->fd = -1;
    c->lib_gone = true;
}

static void raw_fail(struct net *n, struct nchan *c, int err, const char *why)
{
    struct raw_chan *rc = c->impl;
    net_emit_error(n, c, err, rc->hp.status, "%s (after %zu response bytes)", why ? why : "failure",
                   rc->hp.total_in);
    close_fd(c);
}

static int open_socket(struct net *n, int *out)
{
    struct addrinfo hints, *ai = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char port[8];
    snprintf(port, sizeof(port), "%u", n->port);
    if (getaddrinfo(n->host, port, &hints, &ai) != 0 || !ai)
        return HX_ERR_CONNECT;
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (fd < 0) {
        freeaddrinfo(ai);
        return HX_ERR_TRANSPORT;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (n->lim.rst_close) {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (r != 0 && errno != EINPROGRESS) {
        close(fd);
        return HX_ERR_CONNECT;
    }
    *out = fd;
    return HX_OK;
}

static int raw_new(struct net *n, struct nchan **out)
{
    struct nchan *c = net_chan_new(n, NC_RAW);
    if (!c)
        return HX_ERR_NOMEM;
    struct raw_chan *rc = calloc(1, sizeof(*rc));
    c->impl = rc;
    c->lib_gone = true;
    if (!rc) {
        net_chan_free(n, c);
        return HX_ERR_NOMEM;
    }
    rc->fd = -1;
    cdc_buf_init(&rc->out, SIZE_MAX, NULL);
    hx_http_parser_init(&rc->hp, n->lim.max_head, n->lim.max_body, false);
    hx_ws_parser_init(&rc->wp, n->lim.max_body, true);
    int r = open_socket(n, &rc->fd);
    if (r != HX_OK) {
        net_emit_error(n, c, r, 0, "raw connect to %s failed", n->hostport);
        *out = c;
        return HX_OK; /* the failure is reported as the channel's event */
    }
    c->lib_gone = false;
    *out = c;
    return HX_OK;
}

int raw_http_start(struct net *n, const struct hx_http_req *req, unsigned *chan)
{
    struct nchan *c;
    int r = raw_new(n, &c);
    if (r != HX_OK)
        return r;
    struct raw_chan *rc = c->impl;
    rc->send_limit = req->send_limit;
    if (req->method && strcmp(req->method, "HEAD") == 0)
        rc->hp.head_request = true;
    if (hx_http_request_build(req, n->hostport, &rc->out) != CDC_OK) {
        close_fd(c);
        c->done = true;
        return HX_ERR_INVALID_ARG;
    }
    *chan = c->id;
    return HX_OK;
}

static void make_key(struct net *n, char out[32])
{
    uint8_t raw[16];
    hx_rng_bytes(&n->rng, raw, sizeof(raw));
    struct cdc_buf b = {(uint8_t *)out, 0, 31, 31, NULL};
    cdc_b64_encode(raw, sizeof(raw), &b);
    out[b.len] = 0;
}

int raw_ws_start(struct net *n, const struct hx_ws_req *req, unsigned *chan)
{
    struct nchan *c;
    int r = raw_new(n, &c);
    if (r != HX_OK)
        return r;
    struct raw_chan *rc = c->impl;
    rc->ws = true;
    rc->wp.check_utf8 = !req->no_utf8_check;
    make_key(n, rc->key);
    struct hx_header extra[65];
    size_t ne = 0;
    if (req->origin)
        extra[ne++] = (struct hx_header){"Origin", req->origin};
    for (size_t i = 0; i < req->n_headers && ne < 65; i++)
        extra[ne++] = req->headers[i];
    if (hx_ws_request_build(req->target, n->hostport, rc->key, extra, ne, &rc->out) != CDC_OK) {
        close_fd(c);
        c->done = true;
        return HX_ERR_INVALID_ARG;
    }
    *chan = c->id;
    return HX_OK;
}

int raw_chan_send(struct net *n, struct nchan *c, const struct hx_ws_out *f)
{
    struct raw_chan *rc = c->impl;
    if (!rc || rc->fd < 0 || (!rc->upgraded && !f->raw_bytes))
        return HX_ERR_STATE;
    uint8_t mask[4];
    hx_rng_bytes(&n->rng, mask, 4);
    int r = hx_ws_frame_encode(f, mask, &rc->out);
    return r == CDC_OK ? HX_OK : r == CDC_ERR_INVALID_ARG ? HX_ERR_INVALID_ARG : HX_ERR_NOMEM;
}

int raw_chan_close(struct net *n, struct nchan *c, bool abort, uint16_t code, const char *reason)
{
    struct raw_chan *rc = c->impl;
    if (!rc || rc->fd < 0)
        return abort ? HX_OK : HX_ERR_STATE;
    if (abort) {
        struct linger lg = {1, 0}; /* RST: the peer sees an abrupt reset */
        setsockopt(rc->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        close_fd(c);
        return HX_OK;
    }
    if (!rc->ws || !rc->upgraded) {
        shutdown(rc->fd, SHUT_WR);
        return HX_OK;
    }
    struct hx_ws_out f = {.opcode = HX_WS_CLOSE,
                          .close_code = code,
                          .payload = (const uint8_t *)(reason ? reason : ""),
                          .len = reason ? strlen(reason) : 0};
    return raw_chan_send(n, c, &f);
}

void raw_chan_free(struct nchan *c)
{
    struct raw_chan *rc = c->impl;
    if (!rc)
        return;
    close_fd(c);
    cdc_buf_free(&rc->out);
    hx_http_parser_free(&rc->hp);
    hx_ws_parser_free(&rc->wp);
    free(rc);
    c->impl = NULL;
}

size_t raw_pollfds(struct net *n, struct pollfd *pf, size_t cap)
{
    size_t k = 0;
    for (struct nchan *c = n->chans; c && k < cap; c = c->next) {
        struct raw_chan *rc = c->kind == NC_RAW ? c->impl : NULL;
        if (!rc || rc->fd < 0)
            continue;
        bool want_out = !rc->connected || (rc->out_off < rc->out.len &&
                                           (!rc->send_limit || rc->sent < rc->send_limit));
        pf[k++] =
            (struct pollfd){.fd = rc->fd, .events = (short)(POLLIN | (want_out ? POLLOUT : 0))};
    }
    return k;
}

/* ---- readiness ---- */

static void on_connected(struct net *n, struct nchan *c)
{
    struct raw_chan *rc = c->impl;
    int e = 0;
    socklen_t l = sizeof(e);
    getsockopt(rc->fd, SOL_SOCKET, SO_ERROR, &e, &l);
    if (e) {
        char b[96];
        net_emit_error(n, c, HX_ERR_CONNECT, 0, "raw connect to %s failed: %s", n->hostport,
                       err_text(e, b, sizeof(b)));
        close_fd(c);
        return;
    }
    rc->connected = true;
}

static void do_write(struct net *n, struct nchan *c)
{
    struct raw_chan *rc = c->impl;
    size_t left = rc->out.len - rc->out_off;
    if (rc->send_limit && left > rc->send_limit - rc->sent)
        left = rc->send_limit - rc->sent;
    if (!left)
        return;
    ssize_t w = send(rc->fd, rc->out.p + rc->out_off, left, MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (w < 0) {
        char b[96];
        net_emit_error(n, c, HX_ERR_CLOSED, 0, "raw write failed: %s",
                       err_text(errno, b, sizeof(b)));
        close_fd(c);
        return;
    }
    net_log(n, HX_DIR_OUT, rc->ws ? "ws-raw" : "raw", c->id, rc->out.p + rc->out_off, (size_t)w);
    rc->out_off += (size_t)w;
    rc->sent += (size_t)w;
    if (rc->out_off == rc->out.len) {
        cdc_buf_reset(&rc->out);
        rc->out_off = 0;
    }
}

static void emit_ws_msg(struct net *n, struct nchan *c, const struct hx_ws_msg *m)
{
    struct hx_event ev = {.data = m->data};
    if (m->opcode == HX_WS_TEXT || m->opcode == HX_WS_BINARY) {
        ev.kind = HX_EV_WS_MESSAGE;
        ev.binary = m->opcode == HX_WS_BINARY;
    } else if (m->opcode == HX_WS_CLOSE) {
        ev.kind = HX_EV_WS_CLOSED;
        ev.close_code = m->close_code;
        ev.by_peer = true;
        ev.data = m->reason;
        snprintf(ev.reason, sizeof(ev.reason), "close frame code=%u", m->close_code);
    } else {
        ev.kind = HX_EV_WS_CONTROL;
        ev.opcode = m->opcode;
    }
    net_emit(n, c, &ev);
}

static void ws_frames(struct net *n, struct nchan *c, const uint8_t *p, size_t len)
{
    struct raw_chan *rc = c->impl;
    while (len && !c->done) {
        size_t used;
        struct hx_ws_msg m;
        int r = hx_ws_parser_feed(&rc->wp, p, len, &used, &m);
        if (r < 0) {
            raw_fail(n, c, r, rc->wp.why);
            return;
        }
        p += used;
        len -= used;
        if (r == 0)
            return;
        emit_ws_msg(n, c, &m);
        if (m.opcode == HX_WS_CLOSE)
            close_fd(c);
    }
}

static void http_bytes(struct net *n, struct nchan *c, const uint8_t *p, size_t len)
{
    struct raw_chan *rc = c->impl;
    ptrdiff_t r = hx_http_parser_feed(&rc->hp, p, len);
    if (r < 0) {
        raw_fail(n, c, (int)r, rc->hp.why);
        return;
    }
    if (!hx_http_parser_done(&rc->hp))
        return;
    struct cdc_span head = {rc->hp.head.p, rc->hp.head.len};
    if (!rc->ws) {
        struct hx_event ev = {.kind = HX_EV_HTTP_RESPONSE,
                              .http_status = rc->hp.status,
                              .head = head,
                              .data = {rc->hp.body.p, rc->hp.body.len}};
        net_emit(n, c, &ev);
        close_fd(c);
        return;
    }
    const char *why;
    int st = hx_ws_handshake_check(rc->hp.status, head, rc->key, &why);
    if (st != HX_OK) {
        raw_fail(n, c, st == HX_ERR_HTTP_STATUS ? HX_ERR_REJECTED : st, why);
        return;
    }
    rc->upgraded = true;
    struct hx_event ev = {.kind = HX_EV_WS_OPEN, .http_status = 101, .head = head};
    net_emit(n, c, &ev);
    ws_frames(n, c, p + r, len - (size_t)r);
}

static void on_eof(struct net *n, struct nchan *c)
{
    struct raw_chan *rc = c->impl;
    if (rc->upgraded) {
        bool mid = rc->wp.hdr_len > 0 || rc->wp.msg_op;
        struct hx_event ev = {.kind = HX_EV_WS_CLOSED, .close_code = 1006, .by_peer = true};
        snprintf(ev.reason, sizeof(ev.reason), "peer closed the TCP connection %s",
                 mid ? "inside a frame" : "without a close frame");
        net_emit(n, c, &ev);
        close_fd(c);
        return;
    }
    int r = hx_http_parser_eof(&rc->hp);
    if (r == HX_OK && !rc->ws)
        http_bytes(n, c, NULL, 0);
    else
        raw_fail(n, c, r == HX_OK ? HX_ERR_CLOSED : r, rc->hp.why);
}

static void do_read(struct net *n, struct nchan *c)
{
    struct raw_chan *rc = c->impl;
    uint8_t buf[65536];
    size_t total = 0;
    while (total < RAW_READ_CAP && !c->done && rc->fd >= 0) {
        ssize_t r = recv(rc->fd, buf, sizeof(buf), 0);
        if (r == 0) {
            on_eof(n, c);
            return;
        }
        if (r < 0) {
            char b[96];
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                raw_fail(n, c, HX_ERR_CLOSED, err_text(errno, b, sizeof(b)));
            return;
        }
        net_log(n, HX_DIR_IN, rc->ws ? "ws-raw" : "raw", c->id, buf, (size_t)r);
        total += (size_t)r;
        if (rc->upgraded)
            ws_frames(n, c, buf, (size_t)r);
        else
            http_bytes(n, c, buf, (size_t)r);
    }
}

static struct nchan *by_fd(struct net *n, int fd)
{
    for (struct nchan *c = n->chans; c; c = c->next)
        if (c->kind == NC_RAW && c->impl && ((struct raw_chan *)c->impl)->fd == fd)
            return c;
    return NULL;
}

void raw_service(struct net *n, const struct pollfd *pf, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct nchan *c = by_fd(n, pf[i].fd);
        if (!c || c->done || !pf[i].revents)
            continue;
        struct raw_chan *rc = c->impl;
        if (!rc->connected && (pf[i].revents & (POLLOUT | POLLERR | POLLHUP)))
            on_connected(n, c);
        if (rc->fd >= 0 && rc->connected && (pf[i].revents & POLLOUT))
            do_write(n, c);
        if (rc->fd >= 0 && rc->connected && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
            do_read(n, c);
    }
}
