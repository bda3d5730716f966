/*
 * hx_net.h - real transports (harness_net): HTTP through libcurl's multi
 * interface, WebSocket through libwebsockets 4.1, and raw TCP channels that
 * speak through hx_http / hx_ws for negative cases.
 *
 * Each transport owns its own curl multi handle, its own lws context (made
 * on first WebSocket use) and its own raw sockets, and multiplexes them in
 * one poll loop inside wait(): a slow or hostile peer of one session never
 * delays another session. Every receive is bounded (header bytes, body
 * bytes, message bytes) and every failure becomes an HX_EV_ERROR event with
 * a reason; nothing waits past the deadline given to wait().
 *
 * Thread rules: call hx_net_global_init() once, before any thread creates a
 * transport (it initialises libcurl, quiets lws logging and ignores
 * SIGPIPE). After that any number of threads may each create and drive
 * their own sessions; a transport is used by one thread at a time.
 */
#ifndef HARNESS_HX_NET_H
#define HARNESS_HX_NET_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/hx_clock.h"
#include "harness/hx_transport.h"

/* Process-wide initialisation; idempotent but not thread-safe. Returns
 * HX_OK or HX_ERR_TRANSPORT (libcurl could not initialise). */
int hx_net_global_init(void);
/* Releases libcurl's global state; call after every transport is gone. */
void hx_net_global_cleanup(void);

/* The monotonic system clock (CLOCK_MONOTONIC); stateless, any thread. */
const struct hx_clock *hx_net_clock(void);

/* Limits of a net transport; zero fields take the defaults. */
struct hx_net_limits {
    size_t max_head;    /* response header section bytes (64 KiB) */
    size_t max_body;    /* response body / WebSocket message bytes (16 MiB) */
    unsigned max_chans; /* channels alive at once (64) */
    bool fresh_conns;   /* HTTP: a new TCP connection per request */
    bool rst_close;     /* every connection ends with a reset (SO_LINGER 0): no
                         * TIME_WAIT on our side, for clients that open
                         * thousands of connections a minute (the live fuzzer) */
};

/* Creates a transport for |base_url| = "http://HOST:PORT" (or ws://)
 * using |clock| (borrowed) for deadlines and |lim| (copied; NULL for
 * defaults). Returns HX_OK, HX_ERR_INVALID_ARG (unsupported URL),
 * HX_ERR_NOMEM, HX_ERR_TRANSPORT. */
int hx_net_transport_new(struct hx_transport **out, const char *base_url,
                         const struct hx_clock *clock, const struct hx_net_limits *lim);

/* Fills |env| with the net transport factory and the monotonic clock;
 * |lim| (may be NULL) is borrowed and used for every transport. */
void hx_net_env_init(struct hx_env *env, const struct hx_net_limits *lim);

#endif
