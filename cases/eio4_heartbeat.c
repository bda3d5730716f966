/*
 * eio4_heartbeat.c - Engine.IO v4 heartbeat on both transports: the server
 * pings every pingInterval, the client answers with a pong within
 * pingTimeout, a silent client is dropped after pingInterval + pingTimeout
 * and not before (engine.io-protocol v4 §Heartbeat; protocol-notes §1.8,
 * E25-E28; official v4 tests #17-20, Socket.IO suite #8-11).
 *
 * Every window comes from the server's own pingInterval / pingTimeout
 * (ck_ping_interval, ck_ping_timeout). Upper bounds are generous and scaled
 * by --timeout-scale; the few lower bounds ("not before") are not scaled,
 * since the server's timers are not. Times are taken on the session's
 * clock: item->at_us and hx_session_elapsed_us() share one origin.
 */
#include "cases/ck.h"

#include <string.h>

/* Slack for "not before" bounds: the server started its timers before the
 * open packet reached us. */
#define HB_EARLY_MS 100u
/* Slack for "by then" bounds (scaled). */
#define HB_LATE_MS 400u
/* Slack for the measured ping interval (scaled): tighter than HB_LATE_MS,
 * as a server timer runs late by milliseconds, not by a second interval
 * (protocol-notes §3.4 suggests pingInterval + 150 ms). */
#define HB_PING_SLACK_MS 150u

/* Sends the message "0": an echo server echoes it, a Socket.IO server takes
 * it as a CONNECT to "/" (wire 40). Either way the session is joined, so
 * connectTimeout cannot close it while a case waits for the heartbeat to. */
static void join(struct ck *c, struct hx_session *s)
{
    ck_msg(c, s, "0");
}

/* A joined session on the case's transport whose heartbeats the case
 * handles (|hb|), with pings and pongs queued. */
static struct hx_session *hb_open(struct ck *c, enum hx_hb_mode hb)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = hb, .queue_control = true});
    join(c, s);
    return s;
}

static uint32_t elapsed_ms(struct hx_session *s)
{
    return (uint32_t)(hx_session_elapsed_us(s) / 1000u);
}

static uint32_t item_ms(const struct hx_item *it)
{
    return (uint32_t)(it->at_us / 1000u);
}

/* The next server ping within |ms| (scaled); ck_fail when it does not come
 * or is not an empty text ping. */
static const struct hx_item *next_ping(struct ck *c, struct hx_session *s, uint32_t ms,
                                       const char *what)
{
    struct hx_match m = hx_match_eio(EIO_PING);
    const struct hx_item *it = ck_wait(c, s, &m, ms, what);
    ck_check(c, !it->binary && it->eio.data.len == 0, "a ping without data: exactly 2",
             "a ping with data \"%s\"", ck_str(c, it->eio.data, true));
    return it;
}

/* ---- pings and pongs ------------------------------------------------------- */

/* Three ping/pong rounds: every ping is exactly 2 and a pong keeps the
 * session alive until the next one. */
static void ping_cycles(struct ck *c)
{
    uint32_t pi = ck_ping_interval(c);
    struct hx_session *s = hb_open(c, HX_HB_MANUAL);
    for (int i = 1; i <= 3; i++) {
        next_ping(c, s, pi + HB_LATE_MS,
                  ck_fmt(c, "ping %d of 3, about pingInterval (%u ms) after the %s", i, pi,
                         i == 1 ? "handshake" : "last pong"));
        ck_eio_send(c, s, EIO_PONG, NULL);
    }
}

/* The next ping comes pingInterval after the pong, measured. */
static void ping_interval(struct ck *c)
{
    uint32_t pi = ck_ping_interval(c);
    struct hx_session *s = hb_open(c, HX_HB_MANUAL);
    next_ping(c, s, pi + HB_LATE_MS, "the first ping");
    uint32_t pong_at = elapsed_ms(s);
    ck_eio_send(c, s, EIO_PONG, NULL);
    const struct hx_item *it = next_ping(c, s, pi + HB_LATE_MS, "a second ping");
    uint32_t gap = item_ms(it) - pong_at;
    ck_check(c, gap + HB_EARLY_MS >= pi && gap <= pi + ck_ms(c, HB_PING_SLACK_MS),
             ck_fmt(c, "the next ping pingInterval (%u ms) after the pong, within -%u/+%u ms", pi,
                    HB_EARLY_MS, ck_ms(c, HB_PING_SLACK_MS)),
             "the next ping %u ms after the pong", gap);
    ck_note(c, "the next ping %u ms after the pong", gap);
}

/* A pong that answers no ping. */
static void unsolicited_pong(struct ck *c)
{
    uint32_t pi = ck_ping_interval(c);
    struct hx_session *s = hb_open(c, HX_HB_MANUAL);
    ck_eio_send(c, s, EIO_PONG, NULL);
    next_ping(c, s, pi + HB_LATE_MS, "the session going on: a ping after the unsolicited pong");
    ck_note(c, "session kept; the next ping came %u ms after the handshake", elapsed_ms(s));
}

/* A ping from a v4 client goes the wrong way. */
static void client_ping(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.queue_control = true});
    join(c, s);
    int rc = ck_raw(c, s, "2", 1, false);
    if (rc != HX_OK)
        ck_note(c, "the ping was refused: %s", hx_session_reason(s));
    struct hx_match pong = hx_match_eio(EIO_PONG);
    const struct hx_item *answer = ck_try_wait(c, s, &pong, 200);
    bool closed = ck_closes_within(c, s, CK_REPLY_MS);
    ck_check(c, closed,
             "the session closed (a ping from a v4 client is the wrong heartbeat direction)",
             "the session stayed open for %u ms%s", ck_ms(c, CK_REPLY_MS),
             answer ? "; the server answered with a pong" : "");
    ck_note(c, "the session closed %u ms after the handshake%s", elapsed_ms(s),
            answer ? ", after answering with a pong" : "");
}

/* ---- timeouts ---------------------------------------------------------------- */

/* A client that never answers is dropped by pingInterval + pingTimeout. */
static void no_pong_closes(struct ck *c)
{
    uint32_t limit = ck_ping_interval(c) + ck_ping_timeout(c);
    struct hx_session *s = hb_open(c, HX_HB_WITHHOLD);
    ck_expect_closed(c, s, limit + HB_LATE_MS,
                     ck_fmt(c, "no pong: by pingInterval + pingTimeout = %u ms", limit));
    ck_note(c, "the session closed %u ms after the handshake", elapsed_ms(s));
}

/* ... and not before: the client has pingTimeout to answer each ping. */
static void no_pong_not_early(struct ck *c)
{
    uint32_t limit = ck_ping_interval(c) + ck_ping_timeout(c);
    struct hx_session *s = hb_open(c, HX_HB_WITHHOLD);
    uint32_t open_at = elapsed_ms(s);
    /* The server's timers start when it answers the handshake, after this
     * session's clock started: a deadline counted from the session's start
     * is never later than the server's own. Joining "/" took some of it. */
    uint32_t window = limit - HB_EARLY_MS;
    bool early = ck_closes_by(c, s, hx_session_in(s, window > open_at ? window - open_at : 0));
    ck_check(c, !early,
             ck_fmt(c, "the session open until pingInterval + pingTimeout (%u ms, %u ms slack)",
                    limit, HB_EARLY_MS),
             "the session ended %u ms after this client's handshake request", elapsed_ms(s));
}

/* Polling: nothing fetched and nothing answered; after the timeout the sid
 * is unknown. */
static void timeout_unknown_sid(struct ck *c)
{
    uint32_t limit = ck_ping_interval(c) + ck_ping_timeout(c);
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_WITHHOLD, .manual_poll = true});
    join(c, s);
    hx_session_pump(s, ck_in(c, limit + HB_LATE_MS));
    ck_expect_eio_error(c, ck_get(c, s, "{path}?EIO=4&transport=polling&sid={sid}"), 400, 1);
}

/* A pong after pingTimeout comes too late: it does not save the session,
 * which ends as if no pong had come (the server may be slow to notice, so
 * the same slack as no-pong-closes applies; a rescued session would live
 * until a full pingInterval after the late pong). */
static void late_pong(struct ck *c)
{
    uint32_t pt = ck_ping_timeout(c);
    struct hx_session *s = hb_open(c, HX_HB_MANUAL);
    const struct hx_item *ping = next_ping(c, s, ck_ping_interval(c) + HB_LATE_MS, "a ping");
    uint32_t ping_ms = item_ms(ping), late_ms = ping_ms + pt + HB_EARLY_MS;
    if (elapsed_ms(s) < late_ms)
        hx_session_pump(s, hx_session_in(s, late_ms - elapsed_ms(s)));
    if (ck_tp(c) == HX_TP_POLLING) {
        const struct hx_item *it =
            ck_http(c, s,
                    &(struct ck_http){.method = "POST",
                                      .target = "{path}?EIO=4&transport=polling&sid={sid}",
                                      .ctype = "text/plain;charset=UTF-8",
                                      .body = "3"});
        ck_note(c, "the late pong (%u ms after the ping) got %s", elapsed_ms(s) - ping_ms,
                ck_item_desc(c, it));
        if (it->kind == HX_ITEM_HTTP && it->http_status == 400)
            return; /* the session is gone */
    } else if (!hx_session_closed(s)) {
        ck_raw(c, s, "3", 1, false);
    }
    uint32_t due = ping_ms + pt + HB_LATE_MS, now = elapsed_ms(s);
    ck_expect_closed(
        c, s, due > now ? due - now : 0,
        ck_fmt(c, "no pong within pingTimeout (%u ms): a late pong does not help", pt));
}

static const struct ck_case cases[] = {
    {.id = "eio4.heartbeat.ping-cycles",
     .title = "three ping/pong rounds",
     .req = "The server pings with a bare 2 every pingInterval and a pong keeps the session alive "
            "round after round.",
     .spec = "eio4:heartbeat:2,eio4:heartbeat:3,ref:eio4-ws-heartbeat:2,eio4:heartbeat:1,"
             "eio4:packet:4,eio4:packet:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat,timing,smoke",
     .origin = "heartbeat > HTTP long-polling > sends ping/pong packets",
     .run = ping_cycles},
    {.id = "eio4.heartbeat.ping-interval",
     .title = "next ping pingInterval after the pong",
     .req = "After a pong the next ping comes about pingInterval later, neither early nor late.",
     .spec = "eio4:heartbeat:2,ref:eio4-ws-heartbeat:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat,timing",
     .run = ping_interval},
    {.id = "eio4.heartbeat.no-pong-closes",
     .title = "no pong closes the session",
     .req = "A client that answers no ping is dropped no later than pingInterval + pingTimeout "
            "after the handshake.",
     .spec = "ref:eio4-ws-heartbeat:1,eio4:heartbeat:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat,timing,close",
     .origin = "heartbeat > WebSocket > closes the session upon ping timeout",
     .run = no_pong_closes},
    {.id = "eio4.heartbeat.no-pong-not-early",
     .title = "silent client is not dropped early",
     .req = "A client that answers no ping keeps its session until pingInterval + pingTimeout "
            "have passed.",
     .spec = "eio4:heartbeat:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat,timing",
     .run = no_pong_not_early},
    {.id = "eio4.heartbeat.timeout-unknown-sid",
     .title = "after the ping timeout the sid is unknown",
     .req = "A polling request after the ping timeout gets HTTP 400 with code 1: the session is "
            "gone.",
     .spec = "ref:eio4-ws-heartbeat:1,ref:eio4-errors:2,eio4:heartbeat:4,eio4:receiving-data:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "heartbeat,timing,errors",
     .origin = "heartbeat > HTTP long-polling > closes the session upon ping timeout",
     .run = timeout_unknown_sid},
    {.id = "eio4.heartbeat.late-pong",
     .title = "a pong after pingTimeout is too late",
     .req = "A pong sent after pingTimeout does not save the session: it ends as if no pong had "
            "come.",
     .spec = "ref:eio4-ws-heartbeat:6,eio4:heartbeat:3,eio4:heartbeat:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat,timing,errors",
     .run = late_pong},
    {.id = "eio4.heartbeat.client-ping",
     .title = "client ping closes a v4 session",
     .req = "A ping from a v4 client goes the wrong way and closes the session.",
     .spec = "ref:eio4-ws-heartbeat:4,eio4:heartbeat:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat,errors",
     .run = client_ping},
    {.id = "eio4.heartbeat.unsolicited-pong",
     .title = "unsolicited pong is accepted",
     .req = "Records the reaction to a pong that answers no ping; the reference accepts it and "
            "pings on.",
     .spec = "ref:eio4-ws-heartbeat:5",
     .level = CK_INFO,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "heartbeat",
     .run = unsolicited_pong},
};

CK_GROUP(ck_group_eio4_heartbeat, "eio4.heartbeat",
         "Engine.IO v4 heartbeat: ping interval, pong, ping timeout", cases);
