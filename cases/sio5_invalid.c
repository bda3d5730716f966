/*
 * sio5_invalid.c - Socket.IO v5 packets the server must refuse by closing
 * the connection: unknown types, payloads of the wrong shape, bad ack ids,
 * reserved event names, a DISCONNECT with payload (socket.io-protocol v5
 * §Sending and receiving data; protocol-notes §2.3 steps 1-5, §2.5, §2.8
 * S7, S8, S18; official Socket.IO suite #30-32). Event names of the wrong
 * type (null, true, objects, arrays: CVE-2023-32695) are the cve group's.
 *
 * Every case joins / and /custom, sends one bad packet and expects the
 * session to end; when it does not, the failure says the server accepted
 * the packet and how it went on.
 */
#include "cases/ck.h"

#include <string.h>

/* Sends the Socket.IO text |pkt| on a session joined to / and /custom, then
 * the probe 42/custom,["message","probe"], both as raw bytes (a server that
 * already closed may refuse the second). Returns NULL when the server closed
 * the connection, else what it did instead. The probe goes to /custom so
 * that a packet misread as leaving / cannot close the connection for an
 * unrelated reason; an echo of the probe proves |pkt| was processed and the
 * connection kept, so a lenient server is judged at once. */
static const char *refusal(struct ck *c, const char *pkt)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    const char *bad = ck_fmt(c, "4%s", pkt);
    int rc = ck_raw(c, s, bad, strlen(bad), false);
    if (rc != HX_OK && !hx_session_closed(s) && rc != HX_ERR_HTTP_STATUS)
        ck_error(c, "could not send %s: %s (%s)", bad, hx_status_name(rc), hx_session_reason(s));
    static const char probe[] = "42/custom,[\"message\",\"probe\"]";
    ck_raw(c, s, probe, sizeof(probe) - 1, false);
    struct hx_match m = hx_match_event("/custom", "message-back");
    const struct hx_item *echo = ck_try_wait(c, s, &m, CK_REPLY_MS);
    if (!echo)
        return ck_closes_within(c, s, 0)
                   ? NULL
                   : ck_fmt(c, "neither a close nor an answer to the next event within %u ms",
                            ck_ms(c, CK_REPLY_MS));
    if (ck_closes_within(c, s, ck_ping_interval(c)))
        return NULL;
    return "answered the next event and kept the connection open";
}

/* Expects the connection closed after |pkt|. */
static void expect_refused(struct ck *c, const char *pkt, const char *why)
{
    const char *r = refusal(c, pkt);
    if (r)
        ck_fail(c, ck_fmt(c, "the server closes the connection (%s)", why),
                "the server accepted 4%s: %s", ck_str(c, ck_span(pkt), true), r);
}

static void unknown_type(struct ck *c)
{
    expect_refused(c, "abc", "unknown packet type");
}

static void type_seven(struct ck *c)
{
    expect_refused(c, "7[\"message\"]", "packet type 7 does not exist");
}

/* S18: an Engine.IO message without data: no packet type at all. */
static void empty_message(struct ck *c)
{
    expect_refused(c, "", "a message without a Socket.IO packet");
}

static void event_object(struct ck *c)
{
    expect_refused(c, "2{}", "an EVENT payload must be an array");
}

static void bad_ack_id(struct ck *c)
{
    expect_refused(c, "2abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]",
                   "the ack id must be digits and the rest JSON");
}

static void event_empty_array(struct ck *c)
{
    expect_refused(c, "2[]", "an EVENT payload must be a non-empty array");
}

/* The names the server's own machinery uses, each on a fresh session. */
static void reserved_names(struct ck *c)
{
    static const char *const names[] = {"connect",       "connect_error", "disconnect",
                                        "disconnecting", "newListener",   "removeListener"};
    const char *open = "";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *r = refusal(c, ck_fmt(c, "2[\"%s\",\"x\"]", names[i]));
        if (r)
            open = ck_fmt(c, "%s%s%s", open, open[0] ? ", " : "", names[i]);
    }
    ck_check(c, open[0] == 0,
             "the server closes the connection for each reserved event name (connect, "
             "connect_error, disconnect, disconnecting, newListener, removeListener)",
             "accepted (no close): %s", open);
}

static void invalid_json(struct ck *c)
{
    expect_refused(c, "2[\"message\",1", "the payload is not valid JSON");
}

static void disconnect_payload(struct ck *c)
{
    expect_refused(c, "1{}", "a DISCONNECT carries no payload");
}

static void ack_object(struct ck *c)
{
    expect_refused(c, "35{}", "an ACK payload must be an array");
}

/* S7: the reference accepts 42 silently; the spec says close. */
static void event_no_payload(struct ck *c)
{
    expect_refused(c, "2", "an EVENT payload is mandatory");
}

static const struct ck_case cases[] = {
    {.id = "sio5.invalid.unknown-type",
     .title = "an unknown packet type closes",
     .req = "A message whose first character is not a packet type (4abc) closes the "
            "connection.",
     .spec = "ref:sio5-events-parse:1,sio5:encoding:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .origin = "Socket.IO protocol > message > should close the connection upon invalid format "
               "(unknown packet type)",
     .run = unknown_type},
    {.id = "sio5.invalid.type-7",
     .title = "packet type 7 closes",
     .req = "A packet type digit above 6 (47) closes the connection.",
     .spec = "ref:sio5-events-parse:1,sio5:packet:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .run = type_seven},
    {.id = "sio5.invalid.empty-message",
     .title = "an empty message closes",
     .req = "An Engine.IO message with no Socket.IO packet in it (4) closes the connection.",
     .spec = "ref:sio5-events-parse:1,sio5:encoding:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .run = empty_message},
    {.id = "sio5.invalid.event-object",
     .title = "an EVENT with an object payload closes",
     .req = "An EVENT whose payload is an object (42{}) closes the connection.",
     .spec = "sio5:event:3,sio5:event:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .origin = "Socket.IO protocol > message > should close the connection upon invalid format "
               "(invalid payload format)",
     .run = event_object},
    {.id = "sio5.invalid.bad-ack-id",
     .title = "a non-numeric ack id closes",
     .req = "Letters where the ack id goes (42abc[...]) close the connection.",
     .spec = "ref:sio5-events-parse:2,sio5:encoding:7",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .origin = "Socket.IO protocol > message > should close the connection upon invalid format "
               "(invalid ack id)",
     .run = bad_ack_id},
    {.id = "sio5.invalid.event-empty-array",
     .title = "an EVENT with [] closes",
     .req = "An EVENT whose payload is the empty array (42[]) closes the connection.",
     .spec = "sio5:event:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .run = event_empty_array},
    {.id = "sio5.invalid.reserved-names",
     .title = "reserved event names close",
     .req = "An EVENT named connect, connect_error, disconnect, disconnecting, newListener "
            "or removeListener closes the connection.",
     .spec = "ref:sio5-events-parse:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors,security",
     .run = reserved_names},
    {.id = "sio5.invalid.invalid-json",
     .title = "a truncated JSON payload closes",
     .req = "An EVENT whose payload is not valid JSON (42[\"message\",1) closes the "
            "connection.",
     .spec = "ref:sio5-events-parse:2,sio5:encoding:8",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .run = invalid_json},
    {.id = "sio5.invalid.disconnect-payload",
     .title = "a DISCONNECT with payload closes",
     .req = "A DISCONNECT carrying a payload (41{}) is invalid and closes the connection.",
     .spec = "ref:sio5-events-parse:4,sio5:packet:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .run = disconnect_payload},
    {.id = "sio5.invalid.ack-object",
     .title = "an ACK with an object payload closes",
     .req = "An ACK whose payload is not an array (435{}) closes the connection.",
     .spec = "ref:sio5-events-parse:5,sio5:ack:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors,ack",
     .run = ack_object},
    {.id = "sio5.invalid.event-no-payload",
     .title = "an EVENT without payload closes",
     .req = "An EVENT with no payload at all (42) closes the connection: the payload is "
            "mandatory.",
     .spec = "sio5:event:3,sio5:event:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "errors",
     .run = event_no_payload},
};

CK_GROUP(ck_group_sio5_invalid, "sio5.invalid", "Socket.IO v5 invalid packets close the connection",
         cases);
