/*
 * eio4_close.c - Engine.IO v4: how a session ends. The client's close
 * packet (over polling, with a pending GET, inside a payload, over
 * WebSocket), the client dropping its transport, how a pending GET is
 * released when the server ends the session, and what later requests with
 * the sid get (engine.io-protocol v4 §Protocol; protocol-notes §1.10,
 * §1.13 E18, E23, E24, E27; §3.1 #13, #21, #22). The heartbeat and its
 * timeout are eio4.heartbeat's.
 *
 * "Gone" is judged the way a client sees it: a polling GET with the sid
 * answers HTTP 400 with error code 1 (ck_expect_sid_gone).
 */
#include "cases/ck.h"

#include <string.h>

#define RS "\x1e"
#define POLL "{path}?EIO=4&transport=polling&sid={sid}"

static const struct hx_item *post(struct ck *c, struct hx_session *s, const char *body, size_t n)
{
    return ck_http(c, s,
                   &(struct ck_http){.method = "POST",
                                     .target = POLL,
                                     .ctype = "text/plain;charset=UTF-8",
                                     .body = body,
                                     .len = n});
}

static bool is_status(const struct hx_item *it, int status)
{
    return it->kind == HX_ITEM_HTTP && it->http_status == status;
}

/* True when payload |b| is nothing but noop and close packets. */
static bool noop_close_only(struct cdc_span b)
{
    if (b.len == 0 || b.len % 2 == 0)
        return false;
    for (size_t i = 0; i < b.len; i++)
        if (i % 2 ? b.p[i] != 0x1e : b.p[i] != '1' && b.p[i] != '6')
            return false;
    return true;
}

/* A GET on its own channel that the server has had time to receive. */
static unsigned pending_get(struct ck *c, struct hx_session *s)
{
    unsigned chan = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    hx_session_pump(s, ck_in(c, 50));
    return chan;
}

/* After a WebSocket session ended: polling requests with its sid may still
 * see the WebSocket session for a moment (code 3, transport mismatch), then
 * must find it gone (code 1). */
static void expect_ws_sid_gone(struct ck *c, struct hx_session *s, const char *why)
{
    for (int i = 0; i < 10; i++) {
        const struct hx_item *it = ck_get(c, s, POLL);
        struct cdc_span v;
        uint64_t code = 99;
        if (!is_status(it, 400) || cdc_json_validate(it->raw.p, it->raw.len, 8, false, NULL) ||
            cdc_json_object_get(it->raw, "code", &v) != 1 ||
            cdc_json_number_u64(v, 100, &code) != CDC_OK || code != 3)
            break;
        hx_session_pump(s, ck_in(c, 30));
    }
    ck_expect_sid_gone_early(c, s, why);
}

/* ---- the client's close packet ------------------------------------------- */

/* A Socket.IO server ends an Engine.IO session that joins no namespace
 * after connectTimeout anyway: closes seen later than this (milliseconds
 * after the handshake, unscaled) prove nothing about the rule under test. */
#define BEFORE_CONNECT_TIMEOUT (CK_CONNECT_TIMEOUT_MS - 150u)

static void client_packet(struct ck *c)
{
    if (ck_tp(c) == HX_TP_POLLING) {
        struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
        const struct hx_item *it = post(c, s, "1", 1);
        ck_check(c, is_status(it, 200), "HTTP 200 for the POST carrying the close packet", "%s",
                 ck_item_desc(c, it));
        ck_expect_sid_gone_early(c, s, "the client sent the close packet");
        return;
    }
    struct hx_session *s = ck_open(c, NULL);
    uint32_t t0 = ck_now_ms(c), wait = ck_ms(c, 600);
    if (wait > BEFORE_CONNECT_TIMEOUT)
        wait = BEFORE_CONNECT_TIMEOUT;
    ck_eio_send(c, s, EIO_CLOSE, NULL);
    bool closed = ck_closes_by(c, s, hx_session_in(s, wait));
    ck_check(c, closed && ck_now_ms(c) - t0 < BEFORE_CONNECT_TIMEOUT,
             "the server closes the WebSocket after the client's close packet",
             closed ? "closed only after %u ms" : "still open %u ms after the close packet",
             ck_now_ms(c) - t0);
}

/* The official test: a pending GET is released (noop) when the client's
 * POST closes the session. */
static void client_packet_pending_get(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    unsigned get = pending_get(c, s);
    const struct hx_item *p = post(c, s, "1", 1);
    const struct hx_item *it = ck_http_wait(c, s, get, CK_REPLY_MS);
    ck_note(c, "POST %s; pending GET %s", ck_item_desc(c, p), ck_item_desc(c, it));
    ck_check(c, is_status(it, 200) && noop_close_only(it->raw),
             "the pending GET released with HTTP 200 and noop/close packets only (reference: 6)",
             "%s", ck_item_desc(c, it));
    ck_expect_sid_gone_early(c, s, "the client sent the close packet");
}

/* A close packet in the middle of a payload ends the session. */
static void packet_in_payload(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = post(c, s, "3" RS "1" RS "3", 5);
    ck_note(c, "the POST got %s", ck_item_desc(c, it));
    ck_expect_sid_gone_early(c, s, "the POST body held a close packet");
}

/* What follows the close packet in the payload never reaches the app. */
static void rest_dropped(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    unsigned get = pending_get(c, s);
    const struct hx_item *p = post(c, s, "4a" RS "1" RS "4b", 8);
    const struct hx_item *it = ck_http_wait(c, s, get, CK_REPLY_MS);
    ck_note(c, "POST %s; pending GET %s", ck_item_desc(c, p), ck_item_desc(c, it));
    bool b = false;
    for (size_t i = 0; it->kind == HX_ITEM_HTTP && i + 1 < it->raw.len; i++)
        if ((i == 0 || it->raw.p[i - 1] == 0x1e) && it->raw.p[i] == '4' && it->raw.p[i + 1] == 'b')
            b = true;
    ck_check(c, !b, "no echo of 4b, the packet after the close packet (reference)", "%s",
             ck_item_desc(c, it));
    ck_expect_sid_gone_early(c, s, "the POST body held a close packet");
}

static void post_after_close(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = post(c, s, "1", 1);
    ck_check(c, is_status(it, 200), "HTTP 200 for the POST carrying the close packet", "%s",
             ck_item_desc(c, it));
    ck_expect_eio_error(c, post(c, s, "3", 1), 400, 1);
}

/* ---- the client drops its transport ----------------------------------------- */

static void transport_closed(struct ck *c)
{
    if (ck_tp(c) == HX_TP_POLLING) {
        struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
        unsigned get = pending_get(c, s);
        ck_ok(c, s, hx_session_chan_close(s, get, true, 0, NULL), "aborting the pending GET");
        hx_session_pump(s, ck_in(c, 20));
        ck_expect_sid_gone_early(c, s, "the client aborted its pending GET");
        return;
    }
    struct hx_session *s = ck_open(c, NULL);
    ck_ok(c, s, hx_session_close(s, HX_CLOSE_GRACEFUL, ck_in(c, CK_REPLY_MS)),
          "closing the WebSocket");
    expect_ws_sid_gone(c, s, "the client closed its WebSocket");
}

static void ws_dropped(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_ok(c, s, hx_session_chan_close(s, hx_session_ws_chan(s), true, 0, NULL),
          "dropping the WebSocket");
    hx_session_pump(s, ck_in(c, 20));
    expect_ws_sid_gone(c, s, "the client dropped its WebSocket connection");
}

/* ---- the server releases a pending GET when it ends the session ------------ */

/* The ping is fetched and never answered; the GET that waits next is
 * answered when the ping timeout ends the session (the reference: 1). */
static void timeout_releases_get(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    unsigned get = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    const struct hx_item *it = ck_http_wait(c, s, get, ck_ping_interval(c) + CK_REPLY_MS);
    ck_check(c, is_status(it, 200) && ck_eq(it->raw, "2"),
             "the first GET brings the ping 2 (precondition)", "%s", ck_item_desc(c, it));
    get = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    it = ck_http_wait(c, s, get, ck_ping_timeout(c) + CK_REPLY_MS);
    ck_note(c, "the GET pending at the ping timeout got %s", ck_item_desc(c, it));
    ck_check(c, is_status(it, 200) && ck_eq(it->raw, "1"),
             "the GET pending at the ping timeout answered 200 with the close packet 1 "
             "(reference)",
             "%s", ck_item_desc(c, it));
}

static void error_releases_get(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    unsigned get = pending_get(c, s);
    const struct hx_item *p = post(c, s, "abc", 3);
    const struct hx_item *it = ck_http_wait(c, s, get, CK_REPLY_MS);
    ck_note(c, "POST %s; pending GET %s", ck_item_desc(c, p), ck_item_desc(c, it));
    ck_check(c, is_status(it, 200) && ck_eq(it->raw, "1"),
             "the pending GET answered 200 with the close packet 1 (reference)", "%s",
             ck_item_desc(c, it));
}

static const struct ck_case cases[] = {
    {.id = "eio4.close.client-packet",
     .title = "the client's close packet ends the session",
     .req = "A close packet from the client ends the session: over polling its sid is unknown "
            "afterwards, over WebSocket the server closes the connection.",
     .spec = "sio5:sample-session:9,eio4:packet:3,ref:eio4-polling-close:1,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "close,smoke",
     .origin = "close > WebSocket > forcefully closes the session",
     .run = client_packet},
    {.id = "eio4.close.pending-get-released",
     .title = "close packet releases the pending GET",
     .req = "When a POSTed close packet ends the session, the pending GET is answered (noop or "
            "close packets) and later requests find the sid unknown.",
     .spec = "ref:eio4-polling-close:2,ref:eio4-polling-close:1,eio4:packet:3,eio4:packet:8",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "close,polling",
     .origin = "close > HTTP long-polling > forcefully closes the session",
     .run = client_packet_pending_get},
    {.id = "eio4.close.packet-in-payload",
     .title = "close packet inside a payload ends the session",
     .req = "A close packet between other packets of one POST body ends the session.",
     .spec = "ref:eio4-polling-close:1,eio4:packet:3,eio4:payload:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "close,polling,payload",
     .run = packet_in_payload},
    {.id = "eio4.close.rest-dropped",
     .title = "packets after the close packet are dropped",
     .req = "Records whether the packets that follow a close packet in the same POST body are "
            "dropped (the reference drops them).",
     .spec = "ref:eio4-polling-close:4",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "close,polling,payload",
     .run = rest_dropped},
    {.id = "eio4.close.post-after-close",
     .title = "POST after the close gets 400 code 1",
     .req = "Once the client closed the session, a POST with its sid is refused with HTTP 400 "
            "and error code 1.",
     .spec = "eio4:sending-data:2,ref:eio4-errors:2,ref:eio4-polling-close:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "close,polling,errors",
     .run = post_after_close},
    {.id = "eio4.close.transport-closed",
     .title = "the client closing its transport ends the session",
     .req = "A session whose client aborts the pending GET or closes the WebSocket ends; its sid "
            "is unknown afterwards.",
     .spec = "ref:eio4-polling-close:3,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "close",
     .origin = "message > HTTP long-polling > closes the session upon cancelled polling request",
     .run = transport_closed},
    {.id = "eio4.close.ws-dropped",
     .title = "a dropped WebSocket ends the session",
     .req = "A WebSocket session whose TCP connection is reset without a close frame ends; its "
            "sid is unknown afterwards.",
     .spec = "ref:eio4-polling-close:3,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "close,websocket",
     .run = ws_dropped},
    {.id = "eio4.close.error-releases-get",
     .title = "pending GET gets 1 when an error closes the session",
     .req = "Records how a pending GET ends when an invalid POST makes the server close the "
            "session (the reference: 200 with the close packet).",
     .spec = "ref:eio4-polling-close:5",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "close,polling,errors",
     .run = error_releases_get},
    {.id = "eio4.close.timeout-releases-get",
     .title = "pending GET gets 1 at the ping timeout",
     .req = "Records how the GET pending when the ping timeout ends the session is answered (the "
            "reference: 200 with the close packet).",
     .spec = "ref:eio4-polling-close:5,eio4:heartbeat:4",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "close,polling,heartbeat",
     .run = timeout_releases_get},
};

CK_GROUP(ck_group_eio4_close, "eio4.close",
         "Engine.IO v4 closing: close packets, dropped transports, released GETs", cases);
