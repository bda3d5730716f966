/*
 * hx_session.h - one Engine.IO (and optionally Socket.IO) client session
 * driven in straight-line code, for conformance cases.
 *
 *   struct hx_session *s;
 *   hx_session_new(&s, env, &(struct hx_session_opts){.url = url, .sio = 5});
 *   hx_eio_open(s, HX_TP_POLLING, hx_session_in(s, 500));
 *   hx_eio_upgrade(s, 0, hx_session_in(s, 1000));
 *   hx_sio_connect(s, "/", NULL, hx_session_in(s, 500), &reply);   (hx_sio.h)
 *   hx_session_wait(s, &(struct hx_match){...}, hx_session_in(s, 500), &it);
 *   hx_session_del(s);
 *
 * Everything the server sends is decoded and appended to the session's
 * queue from the first byte, whatever the case is doing: a packet that
 * arrives before the case asks for it is never lost. hx_session_wait takes
 * the first queued item matching a filter and leaves the others queued in
 * order. Pings, pongs and noops the session handled itself are not queued
 * unless |queue_control| is set (they are always in the transcript).
 *
 * While the session is on polling it keeps one GET outstanding (unless
 * |manual_poll|) and sends packets in POSTs, one at a time, batching what
 * accumulates. Heartbeats follow |hb|: v4 answers each server ping at once;
 * v3 sends a ping every pingInterval; WITHHOLD does neither; MANUAL queues
 * pings for the case to answer.
 *
 * Every operation takes an absolute deadline (microseconds on the env's
 * clock; hx_session_in() makes one) and returns by then with HX_OK or a
 * negative enum hx_status; hx_session_reason() then explains. No call
 * blocks past its deadline.
 *
 * Memory: each session owns its transport, transcript and items; items
 * handed to the case stay valid until hx_session_release_items() or
 * hx_session_del(). Queued plus handed-out item bytes are bounded by
 * |max_mem|; past it the session fails with HX_ERR_TOO_LARGE.
 *
 * Thread rules: sessions share nothing. Any number may run at once, each
 * driven by one thread at a time; a session, its items and its transcript
 * must not be touched by two threads concurrently. hx_net_global_init()
 * (hx_net.h) must have run once before the first session of a process.
 */
#ifndef HARNESS_HX_SESSION_H
#define HARNESS_HX_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"
#include "codec/eio.h"
#include "codec/sio.h"
#include "harness/hx_match.h"
#include "harness/hx_status.h"
#include "harness/hx_transcript.h"
#include "harness/hx_transport.h"

enum hx_tp {
    HX_TP_NONE = 0,
    HX_TP_POLLING = 1,
    HX_TP_WS = 2,
};

enum hx_hb_mode {
    HX_HB_AUTO = 0,     /* v4: pong every ping at once; v3: ping every pingInterval */
    HX_HB_WITHHOLD = 1, /* never answer or send heartbeats */
    HX_HB_MANUAL = 2,   /* queue heartbeats; the case answers */
};

struct hx_session_opts {
    const char *url;                 /* "http://127.0.0.1:3000" (required) */
    const char *path;                /* endpoint path; NULL = "/socket.io/" */
    int eio;                         /* 3 or 4; 0 = 4 */
    int sio;                         /* 0 = Engine.IO only, else 4 or 5 */
    const char *query;               /* extra query ("a=1&b=2") on every request */
    const struct hx_header *headers; /* sent on every request (copied) */
    size_t n_headers;
    bool strict_decode; /* decode in CDC_STRICT mode (default compat) */
    bool manual_poll;   /* do not keep a GET outstanding */
    enum hx_hb_mode hb;
    bool queue_control;      /* also queue heartbeats/noops handled automatically */
    bool no_b64;             /* EIO3 polling: omit b64=1 */
    size_t max_mem;          /* item bytes; 0 = 64 MiB */
    size_t max_body;         /* one received body or message; 0 = 16 MiB */
    size_t transcript_max;   /* transcript bytes; 0 = 8 MiB */
    unsigned max_json_depth; /* nesting the decoder accepts; 0 = the codec's (64).
                              * The live fuzzer raises it: servers echo what it sends */
    uint64_t seed;           /* RNG seed (ack ids, raw WebSocket keys/masks) */
};

enum hx_item_kind {
    HX_ITEM_EIO = 1,   /* an Engine.IO packet on the session's transport */
    HX_ITEM_SIO = 2,   /* a complete Socket.IO packet (attachments included) */
    HX_ITEM_HTTP = 3,  /* an HTTP response: aux channel, or a failed poll/POST */
    HX_ITEM_WS = 4,    /* a message or control frame on an aux WebSocket channel */
    HX_ITEM_CLOSE = 5, /* a WebSocket closed, or the session's transport ended */
    HX_ITEM_ERROR = 6, /* undecodable input, or a channel failure */
};

/* Something the server did. All spans point into storage owned by the item. */
struct hx_item {
    enum hx_item_kind kind;
    enum hx_tp tp;         /* transport it arrived on */
    unsigned chan;         /* transport channel */
    bool aux;              /* on a channel the case opened itself */
    uint64_t at_us;        /* microseconds since the session started */
    struct cdc_span raw;   /* message bytes / HTTP body / close reason */
    bool binary;           /* binary WebSocket message or EIO binary packet */
    bool eio_ok;           /* |eio| holds the decoded packet */
    struct eio_packet eio; /* EIO items; aux WS/HTTP when decodable */
    struct sio_packet sio; /* SIO: the packet, placeholders in |sio.data| */
    struct cdc_span json;  /* SIO: data with attachments as {"$binary":"<b64>"} */
    size_t n_att;          /* SIO: attachments */
    const struct cdc_span *att;
    int http_status;      /* HTTP (and ERROR when known) */
    struct cdc_span head; /* HTTP: raw header section */
    uint8_t opcode;       /* WS: HX_WS_TEXT/BINARY/PING/PONG */
    uint16_t close_code;  /* CLOSE: WebSocket close code (1005/1006 see RFC) */
    int err;              /* ERROR: enum hx_status or enum cdc_err */
    char reason[200];     /* ERROR / CLOSE: explanation */
    struct hx_item *next; /* private */
};

struct hx_session;

/* Creates a session for |o->url| with a transport from |env| (borrowed; its
 * clock must outlive the session). Copies |o|'s strings. Nothing is sent
 * yet. Returns HX_OK, HX_ERR_INVALID_ARG (no url, bad versions, url not
 * http://host:port), HX_ERR_NOMEM, or the transport's error. */
int hx_session_new(struct hx_session **out, const struct hx_env *env,
                   const struct hx_session_opts *o);
/* Aborts every channel and frees the session, its items and transcript. */
void hx_session_del(struct hx_session *s);

/* Returns now + |ms| on the session's clock: a deadline. */
uint64_t hx_session_in(const struct hx_session *s, uint32_t ms);
/* Microseconds since the session started. */
uint64_t hx_session_elapsed_us(const struct hx_session *s);
/* Explanation of the last failure ("" when none). Valid until the next call. */
const char *hx_session_reason(const struct hx_session *s);
/* The session's transcript (owned by the session). */
struct hx_transcript *hx_session_transcript(struct hx_session *s);
/* The handshake once open, else NULL. */
const struct eio_handshake *hx_session_handshake(const struct hx_session *s);
/* Current transport, HX_TP_NONE before open. */
enum hx_tp hx_session_tp(const struct hx_session *s);
/* True once the session's transport ended (closed by either side). */
bool hx_session_closed(const struct hx_session *s);
/* Hands the transcript over to the caller (free it with
 * hx_transcript_del); the session records nothing more afterwards. */
struct hx_transcript *hx_session_take_transcript(struct hx_session *s);
/* Changes the heartbeat behaviour from now on. */
void hx_session_set_hb(struct hx_session *s, enum hx_hb_mode hb);
/* Codec options the session decodes with (version, mode, limits). */
const struct cdc_opts *hx_session_codec(const struct hx_session *s);

/* Opens the Engine.IO session over |tp|: polling GET handshake, or a
 * WebSocket whose first message is the open packet. Packets that follow the
 * open packet are queued. Returns HX_OK, HX_ERR_HTTP_STATUS (the refusal
 * is queued as an HX_ITEM_HTTP item), HX_ERR_PROTOCOL (no valid open
 * packet), HX_ERR_CLOSED, HX_ERR_REJECTED (WebSocket refused), HX_ERR_TIMEOUT,
 * HX_ERR_CONNECT, HX_ERR_TRANSPORT, HX_ERR_STATE (already opened). */
int hx_eio_open(struct hx_session *s, enum hx_tp tp, uint64_t deadline);

/* Upgrade flags, for negative cases. */
#define HX_UPG_NO_PROBE 1u   /* send "5" without the 2probe/3probe exchange */
#define HX_UPG_NO_UPGRADE 2u /* stop after 3probe: do not send "5" */
#define HX_UPG_NO_PAUSE 4u   /* do not wait for the pending GET to be released */

/* Upgrades polling to WebSocket: opens the WebSocket with the sid, sends
 * "2probe", expects "3probe", stops polling and waits until the server has
 * released the pending GET (with a noop) and any POST finished, then sends
 * "5"; packets queued meanwhile go out on the WebSocket. Returns HX_OK,
 * HX_ERR_STATE (not on polling), HX_ERR_PROTOCOL (no 3probe / other
 * answer), HX_ERR_TIMEOUT, HX_ERR_REJECTED, HX_ERR_CLOSED. */
int hx_eio_upgrade(struct hx_session *s, unsigned flags, uint64_t deadline);

/* Sends |n| packets on the current transport: one POST on polling (waits
 * for its answer), consecutive messages on WebSocket. Returns HX_OK,
 * HX_ERR_STATE (not open), HX_ERR_HTTP_STATUS (POST refused), HX_ERR_CLOSED,
 * HX_ERR_TIMEOUT, HX_ERR_INVALID_ARG (unencodable), HX_ERR_NOMEM. */
int hx_eio_send_packets(struct hx_session *s, const struct eio_packet *p, size_t n,
                        uint64_t deadline);
/* Sends one packet of |type| with |n| bytes of data (text or binary). */
int hx_eio_send(struct hx_session *s, enum eio_type type, const void *data, size_t n, bool binary,
                uint64_t deadline);
/* Sends |n| bytes verbatim: as one POST body on polling, as one WebSocket
 * message (text unless |binary|) on WebSocket. Same returns. */
int hx_eio_send_raw(struct hx_session *s, const void *bytes, size_t n, bool binary,
                    uint64_t deadline);

/* Waits until an item matching |m| (NULL = any) is queued, removes it from
 * the queue and hands it out in |*out|. Items before it stay queued.
 * Returns HX_OK, HX_ERR_TIMEOUT, HX_ERR_CLOSED (the session ended and no
 * such item can come), HX_ERR_TOO_LARGE, HX_ERR_NOMEM. */
int hx_session_wait(struct hx_session *s, const struct hx_match *m, uint64_t deadline,
                    const struct hx_item **out);
/* Returns HX_OK when no item matching |m| arrives until |until|; else
 * HX_ERR_PROTOCOL with the offending item (removed) in |*got| (may be NULL). */
int hx_session_expect_none(struct hx_session *s, const struct hx_match *m, uint64_t until,
                           const struct hx_item **got);
/* Keeps the session running (heartbeats, polling) until |until|. Returns
 * HX_OK, or the transport's failure. */
int hx_session_pump(struct hx_session *s, uint64_t until);
/* Number of items queued and not yet taken. */
size_t hx_session_queued(const struct hx_session *s);
/* The |i|-th queued item without removing it, or NULL. */
const struct hx_item *hx_session_peek(const struct hx_session *s, size_t i);
/* Frees every item already handed out. */
void hx_session_release_items(struct hx_session *s);

enum hx_close_how {
    HX_CLOSE_GRACEFUL = 0, /* polling: POST "1" and let the GET end; WS: close frame 1000 */
    HX_CLOSE_PACKET = 1,   /* send the Engine.IO close packet "1" on any transport */
    HX_CLOSE_ABORT = 2,    /* drop every connection at once */
};

/* Closes the session |how| and waits, until |deadline|, for the transport
 * to finish. Returns HX_OK, HX_ERR_TIMEOUT, HX_ERR_STATE (never opened). */
int hx_session_close(struct hx_session *s, enum hx_close_how how, uint64_t deadline);

/* Raw access for negative cases. In |req->target| and template strings,
 * "{sid}", "{eio}" and "{path}" are replaced by the session's values. */

/* Appends |tmpl| with placeholders replaced to |out|. */
int hx_session_expand(const struct hx_session *s, const char *tmpl, struct cdc_buf *out);
/* Starts an arbitrary HTTP request on its own channel. Its answer is queued
 * as an HX_ITEM_HTTP (or HX_ITEM_ERROR) item with |chan|. */
int hx_session_http(struct hx_session *s, const struct hx_http_req *req, unsigned *chan);
/* Waits for the answer to the request on |chan|. Returns HX_OK with the
 * response item (any status), or the channel's failure (its ERROR item in
 * |*out|), HX_ERR_TIMEOUT. */
int hx_session_http_wait(struct hx_session *s, unsigned chan, uint64_t deadline,
                         const struct hx_item **out);
/* Opens an extra WebSocket (lws, or raw when |req->raw|) and waits for the
 * 101. Its messages are queued as HX_ITEM_WS items (text also decoded as
 * EIO into |eio|), its end as HX_ITEM_CLOSE / HX_ITEM_ERROR. Returns HX_OK,
 * HX_ERR_REJECTED / HX_ERR_HTTP_STATUS (refused), HX_ERR_TIMEOUT, ... */
int hx_session_ws(struct hx_session *s, const struct hx_ws_req *req, uint64_t deadline,
                  unsigned *chan);
/* Sends a frame on an extra WebSocket channel (see struct hx_ws_out). */
int hx_session_ws_send(struct hx_session *s, unsigned chan, const struct hx_ws_out *f);
/* Channel of the session's pending background GET, or 0. */
unsigned hx_session_poll_chan(const struct hx_session *s);
/* Channel of the session's WebSocket (after open or upgrade), or of the
 * upgrade candidate left open by HX_UPG_NO_UPGRADE, or 0. */
unsigned hx_session_ws_chan(const struct hx_session *s);
/* Closes or aborts a channel (see hx_transport_ops.close). Aborting the
 * session's own GET or WebSocket stops the session's use of it: no new GET
 * is started afterwards, so the server's reaction can be observed. */
int hx_session_chan_close(struct hx_session *s, unsigned chan, bool abort, uint16_t code,
                          const char *reason);

#endif
