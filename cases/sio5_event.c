/*
 * sio5_event.c - Socket.IO v5: events from client to server and back. The
 * testee contract (§4) echoes `message` as `message-back` with the same
 * arguments, so every case checks that what the server decoded and
 * re-encoded is exactly what was sent (socket.io-protocol v5 §Sending and
 * receiving data; protocol-notes §2.2-2.6, §2.8 S9-S11, S28).
 */
#include "cases/ck.h"

#include <string.h>

/* Emits `message` with the JSON elements |args| ("" for none) on |nsp| and
 * checks that `message-back` comes back on |nsp| as a plain EVENT without
 * ack id, carrying exactly those elements. */
static const struct hx_item *echo(struct ck *c, struct hx_session *s, const char *nsp,
                                  const char *args)
{
    const char *sep = args[0] ? "," : "";
    ck_emit(c, s, nsp, ck_fmt(c, "[\"message\"%s%s]", sep, args), NULL);
    const struct hx_item *it = ck_wait_event(c, s, nsp, "message-back", CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_EVENT && !it->sio.has_id,
             "message-back as a plain EVENT (type 2) without ack id", "%s", ck_item_desc(c, it));
    ck_check_json(c, ck_event_data(c, it), ck_fmt(c, "[\"message-back\"%s%s]", sep, args),
                  "message-back with the same arguments:");
    return it;
}

/* Official suite: 42["message",1,"2",{"3":[true]}]. */
static void plain_text(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    const struct hx_item *it = echo(c, s, "/", "1,\"2\",{\"3\":[true]}");
    ck_check(c, it->raw.len > 2 && it->raw.p[0] == '2' && it->raw.p[1] == '[',
             "2[\"message-back\",...]: type 2, no namespace for /, no id, then the array", "\"%s\"",
             ck_str(c, it->raw, true));
}

/* Every JSON type, numbers at the edges of what a double holds exactly. */
static void json_types(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    echo(c, s, "/",
         "null,true,false,0,-1,3.5,-0.25,1e21,9007199254740991,-9007199254740991,\"\",[],{},"
         "\"quote \\\" backslash \\\\ slash / tab \\t newline \\n\",[1,[2,[3]]],"
         "{\"a\":null,\"b\":[true,false],\"c\":{\"d\":\"e\"}}");
}

/* Non-ASCII text survives both framings (polling body and WebSocket text). */
static void unicode(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    echo(c, s, "/",
         "\"\xc3\xa9\xe2\x82\xac\xe4\xb8\xad\xe6\x96\x87\",\"\xf0\x9f\x98\x80\","
         "\"\\u00e9\\u20ac\\ud83d\\ude00\",\"\\u2028\\u2029\",\"\\u0000\\u001f\\u007f\","
         "{\"\xc3\xa9\xf0\x9f\x98\x80\":\"\xe2\x82\xac\"}");
}

/* Objects and arrays nested 32 deep. */
static void nested(struct ck *c)
{
    enum { DEPTH = 16 };
    char open[DEPTH * 7 + 1], close[DEPTH * 2 + 1];
    size_t o = 0, k = 0;
    for (int i = 0; i < DEPTH; i++) {
        memcpy(open + o, "{\"a\":[", 6);
        o += 6;
        memcpy(close + k, "]}", 2);
        k += 2;
    }
    open[o] = 0;
    close[k] = 0;
    struct hx_session *s = ck_connect(c, NULL);
    echo(c, s, "/", ck_fmt(c, "%s\"deep\",1%s,\"after\"", open, close));
}

/* A string argument whose message is just under the advertised maxPayload. */
static void large_string(struct ck *c)
{
    uint64_t max = ck_max_payload(c);
    if (max < 4096)
        ck_skip(c, "maxPayload %llu is too small for the case", (unsigned long long)max);
    int n = (int)(max > 4000000 ? 4000000 : max) - 200;
    struct hx_session *s = ck_connect(c, NULL);
    /* "%0*d" writes n digits: n-1 zeros and the 7 of the value */
    echo(c, s, "/", ck_fmt(c, "\"%0*d\"", n, 7));
}

/* S10: a number as event name (parser 4.0.4+); the reference ignores it
 * because no handler is registered for it. The echo of the next message
 * shows the connection survived it. */
static void numeric_name(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "2[1,2]");
    echo(c, s, "/", "\"after numeric event\"");
}

/* S28: keys that are special in JavaScript objects are plain data. */
static void proto_keys(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    echo(c, s, "/",
         "{\"__proto__\":{\"x\":1}},{\"constructor\":{\"prototype\":{\"y\":2}}},"
         "{\"toString\":\"s\",\"hasOwnProperty\":3,\"_placeholder\":\"true\",\"num\":0}");
}

/* Events on a custom namespace are answered on that namespace. */
static void custom_nsp(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    echo(c, s, "/custom", "1,\"2\",{\"3\":[true]}");
    echo(c, s, "/", "\"main\"");
}

/* True for the empty ACK the contract allows for an id on an event that is
 * not message-with-ack (python-socketio sends it). */
static bool allowed_ack(const struct hx_item *it, uint64_t id)
{
    return it->sio.type == SIO_ACK && it->sio.has_id && it->sio.id == id &&
           hx_json_eq(it->json, ck_span("[]"));
}

/* An event nobody handles gets no answer: the echo of the next message is
 * the first thing that comes back, and nothing follows it. The only
 * exception is the empty ACK the contract permits for the event with id. */
static void unknown_event(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    uint64_t id = 0;
    ck_emit(c, s, "/", "[\"no-such-event\",1,{\"a\":2}]", NULL);
    ck_emit(c, s, "/", "[\"message-back\",\"not for the server\"]", NULL);
    ck_emit(c, s, "/", "[\"no-such-event-with-ack\"]", &id);
    ck_emit(c, s, "/", "[\"message\",\"marker\"]", NULL);
    struct hx_match any = hx_match_kind(HX_ITEM_SIO);
    const char *exp = "no answer to unknown events (at most an empty ACK for the one with id), "
                      "then message-back \"marker\" and nothing more";
    bool acked = false;
    const struct hx_item *it = ck_wait(c, s, &any, CK_REPLY_MS, exp);
    if (allowed_ack(it, id)) {
        acked = true;
        it = ck_wait(c, s, &any, CK_REPLY_MS, exp);
    }
    ck_check(c,
             it->sio.type == SIO_EVENT &&
                 hx_json_eq(ck_event_data(c, it), ck_span("[\"message-back\",\"marker\"]")),
             exp, "%s", ck_item_desc(c, it));
    it = ck_try_wait(c, s, &any, ck_ping_interval(c) / 2);
    if (it && !acked && allowed_ack(it, id))
        it = ck_try_wait(c, s, &any, ck_ping_interval(c) / 2);
    ck_check(c, it == NULL, exp, "after the marker: %s", ck_item_desc(c, it));
}

/* Replies on one namespace keep the order of the requests (contract §4). */
static void order(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    enum { N = 8 };
    for (int i = 0; i < N; i++)
        ck_emit(c, s, "/", ck_fmt(c, "[\"message\",%d]", i), NULL);
    for (int i = 0; i < N; i++) {
        const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
        ck_check(c,
                 hx_json_eq(ck_event_data(c, it), ck_span(ck_fmt(c, "[\"message-back\",%d]", i))),
                 ck_fmt(c, "message-back %d (replies in the order of the requests)", i), "%s",
                 ck_item_desc(c, it));
    }
}

/* Sample session: two events batched in one POST, separated by 0x1E. */
static void polling_batch(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    static const char body[] = "42[\"message\",\"one\"]\x1e"
                               "42[\"message\",\"two\"]";
    int rc = ck_raw(c, s, body, sizeof(body) - 1, false);
    ck_check(c, rc == HX_OK, "the POST with two packets accepted (200 ok)", "%s: %s",
             hx_status_name(rc), hx_session_reason(s));
    const char *want[] = {"[\"message-back\",\"one\"]", "[\"message-back\",\"two\"]"};
    for (int i = 0; i < 2; i++) {
        const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
        ck_check_json(c, ck_event_data(c, it), want[i], "in order:");
    }
}

static const struct ck_case cases[] = {
    {.id = "sio5.event.plain-text",
     .title = "an event is echoed with its arguments",
     .req = "The server decodes an EVENT with mixed JSON arguments and the contract's echo sends "
            "the same arguments back in a plain EVENT.",
     .spec = "sio5:event:1,sio5:event:2,sio5:encoding-event:1,sio5:encoding-event:5,"
             "sio5:encoding:6,sio5:sample-session:4,sio5:packet:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,smoke",
     .origin = "Socket.IO protocol > message > should send a plain-text packet",
     .run = plain_text},
    {.id = "sio5.event.json-types",
     .title = "every JSON type round-trips",
     .req = "null, booleans, integers up to 2^53-1, fractions, exponents, escaped strings, empty "
            "and nested containers come back as the same values.",
     .spec = "sio5:event:1,sio5:encoding:8",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event",
     .run = json_types},
    {.id = "sio5.event.unicode",
     .title = "non-ASCII strings round-trip",
     .req = "Strings with multi-byte UTF-8, astral characters, escaped surrogate pairs, line "
            "separators and control escapes come back as the same text.",
     .spec = "sio5:event:1,sio5:encoding:8",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,unicode",
     .run = unicode},
    {.id = "sio5.event.nested",
     .title = "deeply nested arguments round-trip",
     .req = "An argument of objects and arrays nested 32 levels deep comes back unchanged.",
     .spec = "sio5:event:1,sio5:encoding:8",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event",
     .run = nested},
    {.id = "sio5.event.large-string",
     .title = "an event just under maxPayload round-trips",
     .req = "A message slightly smaller than the advertised maxPayload is accepted and its string "
            "argument echoed in full.",
     .spec = "ref:sio5-events-event:3,eio4:handshake:11",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,limits",
     .run = large_string},
    {.id = "sio5.event.numeric-name",
     .title = "a number is accepted as event name",
     .req = "An EVENT whose first element is a number is a valid event, not a protocol error.",
     .spec = "ref:sio5-events-event:1",
     .level = CK_MAY,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event",
     .run = numeric_name},
    {.id = "sio5.event.proto-keys",
     .title = "__proto__ and other special keys are plain data",
     .req = "Object keys such as __proto__, constructor, toString or _placeholder (as a string) "
            "are echoed unchanged.",
     .spec = "ref:sio5-events-event:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,security",
     .run = proto_keys},
    {.id = "sio5.event.custom-nsp",
     .title = "events on a custom namespace stay on it",
     .req = "An EVENT sent on /custom is answered on /custom (2/custom,[...]) while / keeps "
            "working alongside.",
     .spec = "sio5:event:4,sio5:encoding-event:2,sio5:encoding:5,sio5:connect:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,namespace",
     .run = custom_nsp},
    {.id = "sio5.event.unknown-ignored",
     .title = "unknown events get no answer",
     .req = "An event the application does not handle is dropped: nothing is sent back, not even "
            "an ACK when an id was given, and the connection stays usable.",
     .spec = "ref:sio5-events-event:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event",
     .run = unknown_event},
    {.id = "sio5.event.order",
     .title = "replies keep the order of events",
     .req = "Several events on one namespace are answered in the order they were sent.",
     .spec = "ref:sio5-events-event:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,ordering",
     .run = order},
    {.id = "sio5.event.polling-batch",
     .title = "two events in one POST are both handled",
     .req = "A POST carrying two EVENT packets separated by 0x1E is accepted and both are "
            "answered, in order.",
     .spec = "sio5:sample-session:5,eio4:payload:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "event,polling",
     .run = polling_batch},
};

CK_GROUP(ck_group_sio5_event, "sio5.event", "Socket.IO v5 events echoed through the contract",
         cases);
