/*
 * hx_smoke.h - the smoke scenario: can siospec talk to this server at all?
 *
 * Two runs, one per starting transport:
 *   polling: handshake, [connect /], event with ack, binary event,
 *            heartbeat, upgrade to WebSocket, event with ack, binary
 *            event, heartbeat, close;
 *   websocket: handshake, [connect /], event with ack, binary event,
 *            heartbeat, close.
 * On a Socket.IO server (testee contract) "event with ack" emits
 * message-with-ack and expects the ack to carry the same arguments, and
 * "binary event" emits message with a binary argument and expects
 * message-back with the same bytes. On an Engine.IO echo server they are a
 * text message and a binary message, each echoed unchanged.
 *
 * Each step is reported with ok/fail, a reason and its duration; each run
 * keeps its session transcript. Steps after a failed one in the same run
 * are reported as skipped. The heartbeat step waits one ping (v4) or sends
 * one (v3); it is skipped when pingInterval + pingTimeout exceeds
 * |max_heartbeat_ms|.
 *
 * Thread rules: those of the session; |env| is borrowed for the call.
 */
#ifndef HARNESS_HX_SMOKE_H
#define HARNESS_HX_SMOKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"
#include "harness/hx_session.h"
#include "harness/hx_transport.h"

struct hx_smoke_opts {
    const char *url;           /* "http://127.0.0.1:PORT" (required) */
    const char *path;          /* NULL: "/engine.io/" for eio_echo, else "/socket.io/" */
    int eio;                   /* 3 or 4; 0 = 4 */
    int sio;                   /* 4 or 5; ignored with eio_echo; 0 = 5 */
    bool eio_echo;             /* an Engine.IO-only echo server */
    uint32_t step_ms;          /* budget of one step; 0 = 2000 */
    uint32_t max_heartbeat_ms; /* 0 = 30000 */
    uint64_t seed;
};

#define HX_SMOKE_MAX_STEPS 32

struct hx_smoke_step {
    char name[24];  /* "handshake", "connect", "ack", "binary", "heartbeat", ... */
    enum hx_tp run; /* the run: transport the session started on */
    enum hx_tp on;  /* transport in use during the step */
    int status;     /* HX_OK or the failure's enum hx_status */
    bool skipped;
    char reason[200]; /* "" when ok */
    uint32_t elapsed_ms;
};

struct hx_smoke_result {
    struct hx_smoke_step steps[HX_SMOKE_MAX_STEPS];
    size_t n;
    unsigned passed, failed, skipped;
    uint32_t total_ms;
    struct hx_transcript *tr[2]; /* [0] polling run, [1] websocket run; owned */
};

/* Runs both runs against |o->url|, filling |r| (initialised here). Returns
 * HX_OK when every step passed, HX_ERR_PROTOCOL when one failed, or
 * HX_ERR_INVALID_ARG / HX_ERR_NOMEM when it could not run. Free |r| with
 * hx_smoke_result_free() in every case. */
int hx_smoke_run(const struct hx_env *env, const struct hx_smoke_opts *o,
                 struct hx_smoke_result *r);
/* Frees the transcripts in |r|. */
void hx_smoke_result_free(struct hx_smoke_result *r);
/* Appends a human-readable report (one line per step, then totals) to |out|. */
int hx_smoke_format(const struct hx_smoke_result *r, struct cdc_buf *out);

#endif
