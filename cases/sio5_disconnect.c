/*
 * sio5_disconnect.c - Socket.IO v5: leaving namespaces. The client's
 * DISCONNECT (no answer, the Engine.IO session stays, the namespace can be
 * joined again, its events are no longer delivered) and the server's own
 * (disconnect-me: DISCONNECT on that namespace; close-me: the whole session
 * ends) (socket.io-protocol v5 §Disconnection from a namespace;
 * protocol-notes §2.6; official Socket.IO suite #24, #25; testee contract
 * §4).
 *
 * A DISCONNECT is answered by nothing, so a case that must know it was
 * processed waits for a later packet the server sends anyway: the next
 * heartbeat ping, or the answer to an event on another namespace (the
 * reference handles the packets of one connection in arrival order).
 */
#include "cases/ck.h"

#include <string.h>

/* Sends DISCONNECT |pkt| and waits for the server's next ping: nothing
 * Socket.IO may come first (the ping proves the session is alive and, being
 * sent later, that the DISCONNECT was handled). |s| queues control packets. */
static void leave_until_ping(struct ck *c, struct hx_session *s, const char *pkt)
{
    uint64_t t0 = hx_session_elapsed_us(s);
    ck_msg(c, s, pkt);
    const char *exp = "no answer to DISCONNECT and the session kept: the next packet is the "
                      "Engine.IO ping 2";
    struct hx_match m = {.kinds =
                             HX_KIND(HX_ITEM_SIO) | HX_KIND(HX_ITEM_EIO) | HX_KIND(HX_ITEM_ERROR)};
    for (;;) {
        const struct hx_item *it = ck_wait(c, s, &m, ck_ping_interval(c) + 500, exp);
        bool ping = it->kind == HX_ITEM_EIO && it->eio.type == EIO_PING;
        bool note = it->kind == HX_ITEM_ERROR && it->tp == HX_TP_NONE; /* on the handshake */
        if ((ping && it->at_us < t0) || note ||
            (it->kind == HX_ITEM_EIO && it->eio.type == EIO_NOOP))
            continue;
        ck_check(c, ping && it->eio.data.len == 0, exp, "%s", ck_item_desc(c, it));
        return;
    }
}

/* Official #24: "41", then the next packet is the ping. */
static void leave_main(struct ck *c)
{
    leave_until_ping(c, ck_connect(c, &(struct ck_sopt){.queue_control = true}), "1");
}

/* Official #25: leave /custom, / still answers. */
static void leave_custom(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ck_msg(c, s, "1/custom");
    ck_msg(c, s, "2[\"message\",\"message to main namespace\"]");
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",\"message to main namespace\"]",
                  "on /");
}

/* Leave /, then join it again on the same session. */
static void rejoin(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.queue_control = true});
    ck_msg(c, s, "0");
    const char *first = ck_sio_sid(c, ck_wait_sio(c, s, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    ck_wait_event(c, s, "/", "auth", CK_REPLY_MS);
    leave_until_ping(c, s, "1");
    const struct hx_item *r = NULL;
    int rc = hx_sio_connect(s, "/", NULL, ck_in(c, CK_REPLY_MS), &r);
    ck_check(c, rc == HX_OK, "a new CONNECT to / after leaving it is answered with {sid}",
             "%s (%s)", hx_status_name(rc), r ? ck_item_desc(c, r) : hx_session_reason(s));
    const char *again = ck_sio_sid(c, r, "/", false);
    ck_note(c, "socket id %s the first time, %s after rejoining", first, again);
}

/* Events for a namespace the client left are not handled: the server
 * ignores them or closes the connection. */
static void event_after_leave(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ck_msg(c, s, "1/custom,");
    ck_msg(c, s, "2[\"message\",\"sync\"]");
    ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_msg(c, s, "2/custom,[\"message\",\"after leaving\"]");
    struct hx_match m = hx_match_event("/custom", "message-back");
    const struct hx_item *it = ck_try_wait(c, s, &m, CK_REPLY_MS / 2);
    ck_check(c, it == NULL,
             "the event on /custom after leaving it ignored or the connection closed",
             "the server answered it: %s", it ? ck_item_desc(c, it) : "");
    ck_note(c, "%s",
            hx_session_closed(s) ? "the server closed the connection"
                                 : "the server ignored the event");
}

/* disconnect-me on /: the server sends "41", the session stays usable. */
static void server_leave(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "2[\"disconnect-me\"]");
    const struct hx_item *d = ck_wait_sio(c, s, SIO_DISCONNECT, "/", CK_REPLY_MS);
    ck_check(c, ck_eq(d->raw, "1"), "the DISCONNECT written 41", "4%s", ck_str(c, d->raw, true));
    const struct hx_item *r = NULL;
    int rc = hx_sio_connect(s, "/", NULL, ck_in(c, CK_REPLY_MS), &r);
    ck_check(c, rc == HX_OK,
             "the Engine.IO session kept after the server left /: a new CONNECT is answered",
             "%s (%s)", hx_status_name(rc), r ? ck_item_desc(c, r) : hx_session_reason(s));
    ck_sio_sid(c, r, "/", false);
}

/* disconnect-me on /custom: "41/custom,", / keeps working. */
static void server_leave_custom(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ck_msg(c, s, "2/custom,[\"disconnect-me\"]");
    const struct hx_item *d = ck_wait_sio(c, s, SIO_DISCONNECT, "/custom", CK_REPLY_MS);
    ck_check(c, ck_eq(d->raw, "1/custom,"), "the DISCONNECT written 41/custom,", "4%s",
             ck_str(c, d->raw, true));
    ck_msg(c, s, "2[\"message\",\"still here\"]");
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",\"still here\"]", "on /");
}

/* close-me on /custom while / is joined too: the whole session ends. */
static void server_close(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    static const char pkt[] = "2/custom,[\"close-me\"]";
    int rc = hx_eio_send(s, EIO_MESSAGE, pkt, sizeof(pkt) - 1, false, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK && !hx_session_closed(s))
        ck_error(c, "could not send close-me: %s (%s)", hx_status_name(rc), hx_session_reason(s));
    ck_check(c, ck_closes_within(c, s, CK_REPLY_MS),
             "the Engine.IO session ends (the server closed the whole connection)",
             "the session was still open after %u ms", ck_ms(c, CK_REPLY_MS));
}

static const struct ck_case cases[] = {
    {.id = "sio5.disconnect.leave-main",
     .title = "DISCONNECT from / gets no answer and keeps the session",
     .req = "After the client's DISCONNECT from / the server sends nothing back and keeps the "
            "Engine.IO session: the next packet is a ping.",
     .spec = "sio5:disconnect:2,sio5:disconnect:1,ref:sio5-connect-disconnect:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect,heartbeat",
     .origin = "Socket.IO protocol > disconnect > should disconnect from the main namespace",
     .run = leave_main},
    {.id = "sio5.disconnect.leave-custom",
     .title = "leaving /custom keeps / working",
     .req = "After the client leaves /custom, an event on / is still handled and answered.",
     .spec = "sio5:disconnect:3,sio5:disconnect:1,sio5:connect:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect,namespace",
     .origin = "Socket.IO protocol > disconnect > should connect then disconnect from a custom "
               "namespace",
     .run = leave_custom},
    {.id = "sio5.disconnect.rejoin",
     .title = "a namespace can be joined again after leaving it",
     .req = "After DISCONNECT from /, a new CONNECT to / on the same session is answered with "
            "{sid}.",
     .spec = "ref:sio5-connect-disconnect:2,sio5:connect:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect,connect",
     .run = rejoin},
    {.id = "sio5.disconnect.event-after-leave",
     .title = "events for a left namespace are not handled",
     .req = "An event on /custom after the client left /custom is ignored or closes the "
            "connection; it is never handled.",
     .spec = "ref:sio5-connect-disconnect:3,ref:sio5-connect-state:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect,errors",
     .run = event_after_leave},
    {.id = "sio5.disconnect.server-leave",
     .title = "server-side disconnect from / sends 41",
     .req = "When the application disconnects the socket of /, the server sends the DISCONNECT "
            "41 and keeps the Engine.IO session, where / can be joined again.",
     .spec = "sio5:disconnect:1,sio5:encoding-disconnect:1,sio5:packet:3,"
             "ref:sio5-connect-disconnect:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect",
     .run = server_leave},
    {.id = "sio5.disconnect.server-leave-custom",
     .title = "server-side disconnect from /custom sends 41/custom,",
     .req = "When the application disconnects the socket of /custom, the server sends "
            "41/custom, and the socket of / keeps working.",
     .spec = "sio5:encoding-disconnect:2,sio5:disconnect:1,sio5:disconnect:3,"
             "ref:sio5-connect-disconnect:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect,namespace",
     .run = server_leave_custom},
    {.id = "sio5.disconnect.server-close",
     .title = "closing the connection ends every namespace",
     .req = "When the application closes the whole connection from /custom, the Engine.IO "
            "session ends although / is joined too.",
     .spec = "ref:sio5-connect-disconnect:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "disconnect,close",
     .run = server_close},
};

CK_GROUP(ck_group_sio5_disconnect, "sio5.disconnect", "Socket.IO v5 leaving namespaces", cases);
