/*
 * hx_net.c - the net transport: URL, channel table, event FIFO, the poll
 * loop behind wait(), the monotonic clock and process-wide set-up.
 *
 * One loop multiplexes the three kinds of channel of a transport: it polls
 * libcurl's sockets (curl_multi_poll), libwebsockets' sockets (found with
 * lws_get_socket_fd and passed as extra descriptors) and the raw sockets;
 * then lets curl, lws (non-blocking service) and the raw handlers act. A
 * wait never sleeps past its deadline; while lws has connections the sleep
 * is also capped so lws's own timers run.
 */
#include "hx_net_int.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LWS_SLICE_MS 50

static uint64_t mono_now(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static const struct hx_clock mono_clock = {mono_now, NULL};

const struct hx_clock *hx_net_clock(void)
{
    return &mono_clock;
}

static bool global_done;

int hx_net_global_init(void)
{
    if (global_done)
        return HX_OK;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return HX_ERR_TRANSPORT;
    const char *lv = getenv("SIOSPEC_LWS_LOG");
    lws_set_log_level(lv ? atoi(lv) : 0, NULL);
    signal(SIGPIPE, SIG_IGN);
    global_done = true;
    return HX_OK;
}

void hx_net_global_cleanup(void)
{
    if (global_done)
        curl_global_cleanup();
    global_done = false;
}

uint64_t net_now(const struct net *n)
{
    return hx_clock_now(n->base.clock);
}

/* ---- logging into the session transcript ---- */

void net_log(struct net *n, enum hx_dir dir, const char *tp, unsigned chan, const void *p,
             size_t len)
{
    if (n->base.tr && len)
        hx_transcript_bytes(n->base.tr, net_now(n), dir, tp, chan, p, len);
}

void net_note(struct net *n, const char *tp, unsigned chan, const char *fmt, ...)
{
    if (!n->base.tr)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    hx_transcript_textf(n->base.tr, net_now(n), HX_DIR_NOTE, tp, chan, "%s", line);
}

/* ---- channels ---- */

struct nchan *net_chan_new(struct net *n, enum nchan_kind kind)
{
    if (n->n_live >= n->lim.max_chans)
        return NULL;
    struct nchan *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->id = ++n->next_id;
    c->kind = kind;
    c->n = n;
    c->next = n->chans;
    n->chans = c;
    n->n_live++;
    return c;
}

struct nchan *net_chan_find(struct net *n, unsigned id)
{
    for (struct nchan *c = n->chans; c; c = c->next)
        if (c->id == id)
            return c;
    return NULL;
}

void net_chan_free(struct net *n, struct nchan *c)
{
    for (struct nchan **pp = &n->chans; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    if (c->kind == NC_CURL)
        curl_chan_free(c);
    else if (c->kind == NC_LWS)
        lws_chan_free(c);
    else
        raw_chan_free(c);
    n->n_live--;
    free(c);
}

/* Frees channels that are finished and whose library side is released. */
static void reap(struct net *n)
{
    for (struct nchan *c = n->chans, *next; c; c = next) {
        next = c->next;
        if (c->done && c->lib_gone)
            net_chan_free(n, c);
    }
}

/* ---- events ---- */

static bool final_kind(enum hx_ev_kind k)
{
    return k == HX_EV_HTTP_RESPONSE || k == HX_EV_WS_CLOSED || k == HX_EV_ERROR;
}

void net_emit(struct net *n, struct nchan *c, const struct hx_event *ev)
{
    if (c->done)
        return;
    if (final_kind(ev->kind))
        c->done = true;
    struct nev *e = malloc(sizeof(*e) + ev->head.len + ev->data.len + 1);
    if (!e)
        return; /* out of memory: the session will time out with a reason */
    e->ev = *ev;
    e->ev.chan = c->id;
    if (ev->head.len)
        memcpy(e->store, ev->head.p, ev->head.len);
    if (ev->data.len)
        memcpy(e->store + ev->head.len, ev->data.p, ev->data.len);
    e->ev.head.p = e->store;
    e->ev.data.p = e->store + ev->head.len;
    e->next = NULL;
    if (n->ev_tail)
        n->ev_tail->next = e;
    else
        n->ev_head = e;
    n->ev_tail = e;
}

void net_emit_error(struct net *n, struct nchan *c, int err, int http_status, const char *fmt, ...)
{
    struct hx_event ev = {.kind = HX_EV_ERROR, .err = err, .http_status = http_status};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev.reason, sizeof(ev.reason), fmt, ap);
    va_end(ap);
    net_note(n,
             c->kind == NC_LWS   ? "ws"
             : c->kind == NC_RAW ? "raw"
                                 : "http",
             c->id, "error %s", ev.reason);
    net_emit(n, c, &ev);
}

/* ---- the poll loop ---- */

static int wait_ms(const struct net *n, uint64_t deadline)
{
    uint64_t now = net_now(n);
    uint64_t ms = deadline > now ? (deadline - now + 999) / 1000 : 0;
    if (lws_net_busy(n) && ms > LWS_SLICE_MS)
        ms = LWS_SLICE_MS;
    return ms > 1000000 ? 1000000 : (int)ms;
}

static void poll_once(struct net *n, uint64_t deadline)
{
    struct pollfd pf[NET_MAX_FDS];
    size_t np = lws_pollfds(n, pf, NET_MAX_FDS / 2);
    size_t raw_at = np;
    np += raw_pollfds(n, pf + np, NET_MAX_FDS - np);
    int ms = wait_ms(n, deadline);
    if (n->multi && n->curl_running) {
        struct curl_waitfd wf[NET_MAX_FDS];
        for (size_t i = 0; i < np; i++)
            wf[i] = (struct curl_waitfd){pf[i].fd, pf[i].events, 0};
        curl_multi_poll(n->multi, wf, (unsigned)np, ms, NULL);
        for (size_t i = 0; i < np; i++)
            pf[i].revents = wf[i].revents;
    } else if (np) {
        poll(pf, (nfds_t)np, ms);
    } else {
        struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (n->multi)
        curl_drive(n);
    lws_net_service(n);
    raw_service(n, pf + raw_at, np - raw_at);
    reap(n);
}

static int net_wait(struct hx_transport *t, uint64_t deadline, struct hx_event *ev)
{
    struct net *n = (struct net *)t;
    free(n->last);
    n->last = NULL;
    for (;;) {
        struct nev *e = n->ev_head;
        if (e) {
            n->ev_head = e->next;
            if (!n->ev_head)
                n->ev_tail = NULL;
            n->last = e;
            *ev = e->ev;
            return HX_OK;
        }
        if (net_now(n) >= deadline) {
            memset(ev, 0, sizeof(*ev));
            ev->kind = HX_EV_TIMEOUT;
            return HX_OK;
        }
        poll_once(n, deadline);
    }
}

/* ---- vtable ---- */

static int net_http(struct hx_transport *t, const struct hx_http_req *req, unsigned *chan)
{
    struct net *n = (struct net *)t;
    if (!req->target && !req->raw_bytes)
        return HX_ERR_INVALID_ARG;
    return req->raw || req->raw_bytes ? raw_http_start(n, req, chan)
                                      : curl_chan_start(n, req, chan);
}

static int net_ws_open(struct hx_transport *t, const struct hx_ws_req *req, unsigned *chan)
{
    struct net *n = (struct net *)t;
    if (!req->target)
        return HX_ERR_INVALID_ARG;
    return req->raw ? raw_ws_start(n, req, chan) : lws_chan_start(n, req, chan);
}

static int net_ws_send(struct hx_transport *t, unsigned chan, const struct hx_ws_out *f)
{
    struct net *n = (struct net *)t;
    struct nchan *c = net_chan_find(n, chan);
    if (!c || c->done)
        return HX_ERR_STATE;
    if (c->kind == NC_LWS)
        return lws_chan_send(n, c, f);
    if (c->kind == NC_RAW)
        return raw_chan_send(n, c, f);
    return HX_ERR_INVALID_ARG;
}

static int net_close(struct hx_transport *t, unsigned chan, bool abort, uint16_t code,
                     const char *reason)
{
    struct net *n = (struct net *)t;
    struct nchan *c = net_chan_find(n, chan);
    if (!c || (c->done && !abort))
        return HX_ERR_STATE;
    int rc = HX_OK;
    if (c->kind == NC_CURL) {
        curl_chan_abort(n, c);
        c->done = true;
    } else if (c->kind == NC_LWS) {
        rc = lws_chan_close(n, c, abort, code, reason);
    } else {
        rc = raw_chan_close(n, c, abort, code, reason);
    }
    if (abort) {
        c->done = true;
        net_note(n, "", chan, "aborted");
    }
    reap(n);
    return rc;
}

static void net_del(struct hx_transport *t)
{
    struct net *n = (struct net *)t;
    for (struct nchan *c = n->chans; c; c = c->next) {
        c->done = true;
        if (c->kind == NC_CURL)
            curl_chan_abort(n, c);
        else if (c->kind == NC_RAW)
            raw_chan_close(n, c, true, 0, NULL);
    }
    lws_net_destroy(n);
    while (n->chans)
        net_chan_free(n, n->chans);
    if (n->multi)
        curl_multi_cleanup(n->multi);
    for (struct nev *e = n->ev_head, *x; e; e = x) {
        x = e->next;
        free(e);
    }
    free(n->last);
    free(n);
}

static const struct hx_transport_ops net_ops = {
    .http = net_http,
    .ws_open = net_ws_open,
    .ws_send = net_ws_send,
    .close = net_close,
    .wait = net_wait,
    .del = net_del,
};

/* "http://HOST:PORT[/...]" or "ws://...": host and port only. */
static int parse_url(struct net *n, const char *url)
{
    const char *p = strstr(url, "://");
    if (!p || (strncmp(url, "http://", 7) != 0 && strncmp(url, "ws://", 5) != 0))
        return HX_ERR_INVALID_ARG;
    p += 3;
    size_t hl = strcspn(p, ":/");
    if (hl == 0 || hl >= sizeof(n->host))
        return HX_ERR_INVALID_ARG;
    memcpy(n->host, p, hl);
    n->host[hl] = 0;
    n->port = 80;
    if (p[hl] == ':') {
        char *end;
        long v = strtol(p + hl + 1, &end, 10);
        if (v <= 0 || v > 65535 || (*end && *end != '/'))
            return HX_ERR_INVALID_ARG;
        n->port = (unsigned)v;
    }
    snprintf(n->hostport, sizeof(n->hostport), "%s:%u", n->host, n->port);
    return HX_OK;
}

static void set_limits(struct net *n, const struct hx_net_limits *lim)
{
    if (lim)
        n->lim = *lim;
    if (!n->lim.max_head)
        n->lim.max_head = 64u * 1024u;
    if (!n->lim.max_body)
        n->lim.max_body = 16u * 1024u * 1024u;
    if (!n->lim.max_chans)
        n->lim.max_chans = 64;
}

int hx_net_transport_new(struct hx_transport **out, const char *base_url,
                         const struct hx_clock *clock, const struct hx_net_limits *lim)
{
    *out = NULL;
    struct net *n = calloc(1, sizeof(*n));
    if (!n)
        return HX_ERR_NOMEM;
    if (!base_url || parse_url(n, base_url) != HX_OK) {
        free(n);
        return HX_ERR_INVALID_ARG;
    }
    set_limits(n, lim);
    hx_rng_seed(&n->rng, n->port);
    n->base.ops = &net_ops;
    n->base.clock = clock ? clock : hx_net_clock();
    *out = &n->base;
    return HX_OK;
}

static int env_new(void *ud, const char *base_url, struct hx_transport **out)
{
    return hx_net_transport_new(out, base_url, hx_net_clock(), ud);
}

void hx_net_env_init(struct hx_env *env, const struct hx_net_limits *lim)
{
    env->transport_new = env_new;
    env->ud = (void *)lim;
    env->clock = hx_net_clock();
}
