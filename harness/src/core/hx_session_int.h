/*
 * hx_session_int.h - private state of a session, shared by the session's
 * source files (hx_session.c, hx_session_rx.c, hx_session_tx.c,
 * hx_session_open.c, hx_session_aux.c, hx_sio.c). Not installed.
 *
 * Invariants:
 *  - every channel the session opened is in |chans| until its final event
 *    (HTTP response, WS close, error) or an abort; its role says which
 *    handler owns its events;
 *  - at most one background GET (|get_chan|) and one POST (|post_chan|)
 *    are in flight; outgoing polling packets wait in |out_head| in order;
 *  - every received item is either in the queue (|q_head|) or in |taken|,
 *    and |mem_used| counts both against |max_mem|.
 */
#ifndef HARNESS_SRC_CORE_HX_SESSION_INT_H
#define HARNESS_SRC_CORE_HX_SESSION_INT_H

#include "harness/hx_session.h"
#include "harness/hx_sio.h"

#define HX_SESSION_MAX_CHANS 64

enum hx_sstate {
    S_NEW = 0,
    S_OPENING = 1,
    S_OPEN = 2,
    S_CLOSED = 3,
};

enum hx_role {
    ROLE_NONE = 0,
    ROLE_HANDSHAKE, /* polling handshake GET */
    ROLE_POLL,      /* background GET */
    ROLE_POST,      /* POST of queued packets */
    ROLE_WS_HS,     /* WebSocket of a WS-first session, before the open packet */
    ROLE_WS,        /* the session's WebSocket */
    ROLE_PROBE,     /* upgrade candidate, before "5" */
    ROLE_AUX,       /* a channel the case opened */
};

struct hx_chan_rec {
    unsigned id;
    enum hx_role role;
    bool open; /* WebSocket established */
    bool raw;
    bool closing; /* a graceful close was requested */
};

struct hx_outpkt {
    struct eio_packet p; /* data points into |buf| */
    bool raw;            /* |buf| is a whole POST body / WS message */
    uint64_t seq;
    struct hx_outpkt *next;
    uint8_t buf[];
};

struct hx_session {
    struct hx_session_opts o;
    char *url, *path, *query;
    struct hx_header *headers;
    struct cdc_opts co;
    const struct hx_clock *clk;
    struct hx_transport *t;
    struct hx_transcript *tr;
    uint64_t t0;
    struct hx_rng rng;
    char reason[256];

    enum hx_sstate state;
    int open_rc;
    enum hx_tp tp;
    struct eio_handshake hs;
    bool have_hs;

    struct hx_chan_rec chans[HX_SESSION_MAX_CHANS];
    size_t n_chans;
    unsigned ws_chan, get_chan, post_chan, probe_chan, hs_chan;
    bool poll_paused, poll_dead, close_queued;

    struct hx_outpkt *out_head, *out_tail;
    uint64_t next_seq, post_hi, done_seq;
    uint64_t fail_lo, fail_hi;
    int fail_rc;
    char fail_reason[200];

    struct hx_item *q_head, *q_tail, *taken;
    size_t q_len, mem_used;
    int mem_err;

    uint64_t next_ping_at;
    bool probe_ok;
    int upg_rc;
    char upg_reason[200];

    struct sio_decoder *sd;
    uint64_t next_ack_id;
    struct cdc_buf scratch;
};

/* hx_session.c */
uint64_t ses_now(const struct hx_session *s);
void ses_fail(struct hx_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct hx_chan_rec *ses_chan(struct hx_session *s, unsigned id);
int ses_chan_add(struct hx_session *s, unsigned id, enum hx_role role, bool raw);
void ses_chan_del(struct hx_session *s, unsigned id);
int ses_pump(struct hx_session *s, uint64_t deadline);
void ses_closed(struct hx_session *s, enum hx_tp tp, const char *why);
const char *ses_tp_tag(enum hx_tp tp);

/* hx_session_rx.c: items and incoming data */
struct hx_item *item_new(struct hx_session *s, enum hx_item_kind kind, size_t extra);
void item_push(struct hx_session *s, struct hx_item *it);
void item_free_all(struct hx_item *it);
size_t item_size(const struct hx_item *it);
struct cdc_span item_copy(struct hx_item *it, const void *p, size_t n);
void ses_queue_event(struct hx_session *s, const struct hx_event *ev, enum hx_item_kind kind,
                     enum hx_tp tp);
void ses_dispatch(struct hx_session *s, const struct hx_event *ev);
int ses_rx_payload(struct hx_session *s, const struct hx_event *ev, bool handshake);
int ses_rx_ws(struct hx_session *s, const struct hx_event *ev, bool handshake);
void ses_rx_packet(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp, unsigned chan);
void ses_queue_error(struct hx_session *s, enum hx_tp tp, unsigned chan, int err,
                     struct cdc_span raw, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
int ses_decode_handshake(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp);
void ses_log_eio(struct hx_session *s, enum hx_dir dir, enum hx_tp tp, unsigned chan,
                 const struct eio_packet *p);

/* hx_session_tx.c: outgoing */
int ses_target(const struct hx_session *s, enum hx_tp tp, bool with_sid, struct cdc_buf *out);
int ses_send(struct hx_session *s, const struct eio_packet *p, size_t n, bool raw, bool wait,
             uint64_t deadline);
void ses_post_kick(struct hx_session *s);
void ses_poll_kick(struct hx_session *s);
void ses_on_post_done(struct hx_session *s, const struct hx_event *ev);
int ses_flush_ws(struct hx_session *s);
void ses_hb_tick(struct hx_session *s);
int ses_ws_send_text(struct hx_session *s, unsigned chan, const char *text);

/* hx_sio.c */
int ses_rx_sio(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp, unsigned chan);

#endif
