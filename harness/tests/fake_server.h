/*
 * fake_server.h - a small scripted Engine.IO / Socket.IO server living on
 * the fake transport, for the harness unit tests.
 *
 * It speaks enough of engine.io-protocol v3/v4 to exercise the session:
 * polling handshake and WebSocket-first handshake, long-poll GETs held
 * until there is something to send, POSTs, server pings (v4) or answers to
 * client pings (v3) with timeouts that close the session, the upgrade
 * (2probe/3probe, the pending GET released by a noop after |noop_delay_ms|,
 * 5) and closing. With |sio| set it joins namespaces ("/nope" is refused),
 * answers "message" with "message-back" (binary attachments included) and
 * acks "message-with-ack" with the same arguments. Everything the client
 * sends is recorded with its time and transport.
 */
#ifndef HARNESS_TESTS_FAKE_SERVER_H
#define HARNESS_TESTS_FAKE_SERVER_H

#include "fake_transport.h"

#include "codec/eio.h"

struct fsrv_opts {
    int eio;                    /* 3 or 4 (0 = 4) */
    int sio;                    /* 0, 4 or 5 */
    uint32_t ping_interval;     /* ms (0 = 300) */
    uint32_t ping_timeout;      /* ms (0 = 200) */
    uint32_t latency_us;        /* delay of every answer (0 = 1000) */
    uint32_t noop_delay_ms;     /* pending GET released this long after 2probe (0 = 100) */
    bool echo;                  /* Engine.IO echo of every message */
    bool no_pings;              /* v4: never ping */
    int handshake_status;       /* answer the polling handshake with this status (0 = 200) */
    const char *handshake_body; /* and this body */
    bool ws_no_open;            /* WebSocket handshake: never send the open packet */
    bool ignore_probe;          /* never answer 2probe */
    bool refuse_ws;             /* refuse WebSocket upgrades with HTTP 400 */
    const char *early;          /* a message packet queued right after the open packet */
};

struct frec {
    uint64_t at; /* fake time the server got it */
    char tp;     /* 'p' polling, 'w' WebSocket */
    bool binary;
    char text[512]; /* packet as text (type digit + data), or hex for binary */
};

struct fpkt {
    int type;
    bool binary;
    size_t len;
    uint8_t *data;
};

#define FSRV_MAX_REC 512

struct fsrv {
    struct fsrv_opts o;
    struct fake_tp *f;
    struct fake_env fe;
    char sid[24];
    bool open, closed, upgraded;
    unsigned pending_get, ws_chan, probe_chan;
    struct fpkt out[256];
    size_t n_out;
    struct frec rx[FSRV_MAX_REC];
    size_t n_rx;
    unsigned gets, posts, ws_opens;
    unsigned ping_gen;
    bool awaiting_pong;
    uint64_t last_client_ping;
    char bin_head[512]; /* BINARY_EVENT waiting for attachments */
    unsigned bin_need;
    struct fpkt bin[8];
    unsigned n_bin;
};

/* Initialises |s| and its env (s->fe.env) on |clk|. */
void fsrv_init(struct fsrv *s, struct hx_fake_clock *clk, const struct fsrv_opts *o);
/* Frees what the server holds (not the transport: the session owns it). */
void fsrv_free(struct fsrv *s);
/* Queues a packet from the server: type + text data, sent on the current
 * transport (pending GET answered at once). */
void fsrv_send(struct fsrv *s, int type, const char *data);
void fsrv_send_bin(struct fsrv *s, const uint8_t *p, size_t n);
/* Index of the first recorded client packet equal to |text| at or after
 * |from|, or -1. */
int fsrv_find(const struct fsrv *s, const char *text, size_t from);
/* Number of recorded client packets equal to |text|. */
size_t fsrv_count(const struct fsrv *s, const char *text);

#endif
