/*
 * hx_transport.h - the transport vtable between the session logic
 * (harness_core) and real I/O (harness_net), in the style of redis rio.
 *
 * A transport is one session's connection manager. It opens numbered
 * channels - one HTTP request/response, or one WebSocket connection - and
 * reports what happens on them as events through wait(). Channel ids start
 * at 1 and are never reused within a transport. Every operation is
 * non-blocking except wait(), which returns the next event or
 * HX_EV_TIMEOUT once |deadline_us| (on the transport's clock) has passed.
 * Events are delivered in the order they happened; nothing is dropped.
 *
 * A channel may be "raw": the harness writes the exact bytes over its own
 * TCP socket and parses the answer with hx_http / hx_ws, for negative cases
 * a library would refuse to produce. Otherwise HTTP goes through libcurl
 * and WebSocket through libwebsockets.
 *
 * Transports record wire bytes in the transcript they were given (they know
 * what crossed the wire); the session records decoded packets.
 *
 * Implementations: harness_net (hx_net.h) and the scripted fake in
 * harness/tests. Thread rules: a transport, its channels and its events
 * belong to the one thread that drives its session.
 */
#ifndef HARNESS_HX_TRANSPORT_H
#define HARNESS_HX_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"
#include "harness/hx_clock.h"
#include "harness/hx_http.h"
#include "harness/hx_status.h"
#include "harness/hx_transcript.h"
#include "harness/hx_ws.h"

/* A WebSocket connection request. Pointers are borrowed for the call. */
struct hx_ws_req {
    const char *target; /* path and query */
    const struct hx_header *headers;
    size_t n_headers;
    const char *origin;              /* Origin header, NULL for none */
    const char *const *want_headers; /* response header names to report (lowercase) */
    size_t n_want;
    bool raw;           /* harness's own client over a raw socket */
    bool no_utf8_check; /* raw only: accept invalid UTF-8 text */
};

enum hx_ev_kind {
    HX_EV_TIMEOUT = 0,       /* the deadline passed with nothing to report */
    HX_EV_HTTP_RESPONSE = 1, /* a complete HTTP response; the channel is finished */
    HX_EV_WS_OPEN = 2,       /* the WebSocket handshake succeeded (101) */
    HX_EV_WS_MESSAGE = 3,    /* one complete data message */
    HX_EV_WS_CONTROL = 4,    /* a ping or pong frame (raw, and pongs from lws) */
    HX_EV_WS_CLOSED = 5,     /* the WebSocket closed; the channel is finished */
    HX_EV_ERROR = 6,         /* the channel failed; the channel is finished */
};

/* An event. Spans point into storage owned by the transport and stay valid
 * until the next wait() call on it. */
struct hx_event {
    enum hx_ev_kind kind;
    unsigned chan;
    int http_status;      /* HTTP_RESPONSE, WS_OPEN; ERROR when known; else 0 */
    struct cdc_span head; /* raw response header section when known */
    struct cdc_span data; /* body, message, control payload or close reason */
    bool binary;          /* WS_MESSAGE: binary message */
    uint8_t opcode;       /* WS_CONTROL: HX_WS_PING or HX_WS_PONG */
    uint16_t close_code;  /* WS_CLOSED: 1005 none given, 1006 no close frame */
    bool by_peer;         /* WS_CLOSED: the server started the close */
    int err;              /* ERROR: enum hx_status */
    char reason[200];     /* ERROR: what failed; WS_CLOSED: a summary */
};

struct hx_transport;

struct hx_transport_ops {
    /* Starts |req|. Sets |*chan|. Returns HX_OK, HX_ERR_INVALID_ARG,
     * HX_ERR_NOMEM or HX_ERR_TRANSPORT (failures after the start arrive as
     * HX_EV_ERROR events). */
    int (*http)(struct hx_transport *t, const struct hx_http_req *req, unsigned *chan);
    /* Starts a WebSocket connection. Same returns. */
    int (*ws_open)(struct hx_transport *t, const struct hx_ws_req *req, unsigned *chan);
    /* Queues one frame on an open WebSocket channel. Returns HX_OK,
     * HX_ERR_STATE (not open), HX_ERR_INVALID_ARG (not possible on this kind
     * of channel), HX_ERR_NOMEM. */
    int (*ws_send)(struct hx_transport *t, unsigned chan, const struct hx_ws_out *f);
    /* Closes a channel: |abort| drops it at once (TCP close, request
     * aborted), otherwise a WebSocket close frame with |code| (0 = none) and
     * |reason| is sent first. No event follows an abort. Returns HX_OK or
     * HX_ERR_STATE (unknown or finished channel). */
    int (*close)(struct hx_transport *t, unsigned chan, bool abort, uint16_t code,
                 const char *reason);
    /* Returns the next event in |ev|; HX_EV_TIMEOUT once |deadline_us| has
     * passed. Returns HX_OK or HX_ERR_NOMEM / HX_ERR_TRANSPORT when the
     * transport itself broke. */
    int (*wait)(struct hx_transport *t, uint64_t deadline_us, struct hx_event *ev);
    /* Closes every channel and frees the transport. */
    void (*del)(struct hx_transport *t);
};

struct hx_transport {
    const struct hx_transport_ops *ops;
    const struct hx_clock *clock; /* borrowed */
    struct hx_transcript *tr;     /* borrowed; may be NULL; set by the session */
};

/* Creates transports: how a session (or the smoke scenario) gets a fresh
 * one without knowing the implementation. */
struct hx_env {
    /* Creates a transport for |base_url| ("http://127.0.0.1:3000"). */
    int (*transport_new)(void *ud, const char *base_url, struct hx_transport **out);
    void *ud;
    const struct hx_clock *clock; /* borrowed; the clock every deadline uses */
};

#endif
