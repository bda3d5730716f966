/*
 * hx_net_int.h - private state of the net transport, shared by hx_net.c
 * (transport, channel table, event queue, poll loop), hx_net_curl.c (HTTP
 * via libcurl), hx_net_lws.c (WebSocket via libwebsockets) and
 * hx_net_raw.c (raw TCP HTTP and WebSocket). Not installed.
 *
 * Invariants:
 *  - a channel emits exactly one final event (HTTP response, WS closed or
 *    error) unless the session aborted it, and nothing after it;
 *  - events are copied into the transport's FIFO when they happen (inside
 *    library callbacks) and handed out by wait() in order;
 *  - every receive buffer is a cdc_buf bounded by the transport's limits.
 */
#ifndef HARNESS_SRC_NET_HX_NET_INT_H
#define HARNESS_SRC_NET_HX_NET_INT_H

#include <curl/curl.h>
#include <libwebsockets.h>
#include <poll.h>

#include "harness/hx_net.h"

#define NET_MAX_FDS 128

enum nchan_kind {
    NC_CURL = 1,
    NC_LWS = 2,
    NC_RAW = 3,
};

struct net;
struct nchan;

struct nev {
    struct hx_event ev;
    struct nev *next;
    uint8_t store[]; /* head then data */
};

struct nchan {
    unsigned id;
    enum nchan_kind kind;
    bool done;     /* final event emitted or aborted */
    bool lib_gone; /* the library / socket side is released */
    struct net *n;
    void *impl; /* struct curl_chan / lws_chan / raw_chan */
    struct nchan *next;
};

struct net {
    struct hx_transport base;
    char host[256];
    unsigned port;
    char hostport[300];
    struct hx_net_limits lim;
    CURLM *multi;
    int curl_running;
    struct lws_context *lws;
    struct nchan *chans;
    unsigned next_id;
    unsigned n_live;
    struct nev *ev_head, *ev_tail, *last;
    struct hx_rng rng; /* raw WebSocket keys and masks */
};

/* hx_net.c */
uint64_t net_now(const struct net *n);
struct nchan *net_chan_new(struct net *n, enum nchan_kind kind);
struct nchan *net_chan_find(struct net *n, unsigned id);
void net_chan_free(struct net *n, struct nchan *c);
/* Queues a copy of |ev| (spans copied) for wait(); marks |c| done when the
 * event is final. */
void net_emit(struct net *n, struct nchan *c, const struct hx_event *ev);
void net_emit_error(struct net *n, struct nchan *c, int err, int http_status, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void net_log(struct net *n, enum hx_dir dir, const char *tp, unsigned chan, const void *p,
             size_t len);
void net_note(struct net *n, const char *tp, unsigned chan, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* hx_net_curl.c */
int curl_chan_start(struct net *n, const struct hx_http_req *req, unsigned *chan);
void curl_chan_abort(struct net *n, struct nchan *c);
void curl_chan_free(struct nchan *c);
void curl_drive(struct net *n);

/* hx_net_lws.c */
int lws_chan_start(struct net *n, const struct hx_ws_req *req, unsigned *chan);
int lws_chan_send(struct net *n, struct nchan *c, const struct hx_ws_out *f);
int lws_chan_close(struct net *n, struct nchan *c, bool abort, uint16_t code, const char *reason);
void lws_chan_free(struct nchan *c);
void lws_net_destroy(struct net *n);
bool lws_net_busy(const struct net *n);
/* Adds the lws channels' sockets with the events to wait for. */
size_t lws_pollfds(struct net *n, struct pollfd *pf, size_t cap);
void lws_net_service(struct net *n);

/* hx_net_raw.c */
int raw_http_start(struct net *n, const struct hx_http_req *req, unsigned *chan);
int raw_ws_start(struct net *n, const struct hx_ws_req *req, unsigned *chan);
int raw_chan_send(struct net *n, struct nchan *c, const struct hx_ws_out *f);
int raw_chan_close(struct net *n, struct nchan *c, bool abort, uint16_t code, const char *reason);
void raw_chan_free(struct nchan *c);
/* Adds the raw channels' sockets to |pf| (at most |cap|); returns count. */
size_t raw_pollfds(struct net *n, struct pollfd *pf, size_t cap);
/* Handles readiness reported in |pf| for the raw channels. */
void raw_service(struct net *n, const struct pollfd *pf, size_t count);

#endif
