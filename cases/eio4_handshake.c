/*
 * eio4_handshake.c - Engine.IO v4: opening a session, the open packet's
 * fields, and the query validation with its error codes
 * (engine.io-protocol v4 §Handshake, §Transports; protocol-notes §1.2,
 * §1.4, §1.11).
 */
#include "cases/ck.h"

#include <string.h>

/* Every handshake field with the contract's values (testee contract §2). */
static void open_fields(struct ck *c)
{
    struct hx_session *s = ck_session(c, &(struct ck_sopt){.strict = true});
    int rc = hx_eio_open(s, ck_tp(c), ck_in(c, CK_REPLY_MS));
    ck_check(
        c, rc == HX_OK,
        "an open packet 0{...} with exactly sid, upgrades, pingInterval, pingTimeout, maxPayload",
        "%s", hx_session_reason(s));
    const struct eio_handshake *hs = hx_session_handshake(s);
    ck_check(c, hs->sid_len > 0, "a non-empty sid", "an empty sid");
    ck_check(c, hs->ping_interval == 300, "pingInterval 300 (contract)", "pingInterval %llu",
             (unsigned long long)hs->ping_interval);
    ck_check(c, hs->ping_timeout == 200, "pingTimeout 200 (contract)", "pingTimeout %llu",
             (unsigned long long)hs->ping_timeout);
    ck_check(c, hs->max_payload == 1000000, "maxPayload 1000000 (contract)", "maxPayload %llu",
             (unsigned long long)hs->max_payload);
}

/* The exact key set: the official suites use have.all.keys. */
static void open_exact_keys(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    const struct eio_handshake *hs = hx_session_handshake(s);
    ck_check(c, hs->extra_keys == 0,
             "exactly the keys sid, upgrades, pingInterval, pingTimeout, maxPayload",
             "%u extra key(s)", hs->extra_keys);
    ck_check(c, hs->max_payload != 0, "a maxPayload key", "no maxPayload");
}

static void open_upgrades(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    const struct eio_handshake *hs = hx_session_handshake(s);
    if (ck_tp(c) == HX_TP_POLLING)
        ck_check(c, hs->n_upgrades == 1 && (hs->upgrades & EIO_UPGRADE_WEBSOCKET),
                 "upgrades [\"websocket\"] on a polling handshake", "%u upgrade(s), websocket %s",
                 hs->n_upgrades, (hs->upgrades & EIO_UPGRADE_WEBSOCKET) ? "listed" : "missing");
    else
        ck_check(c, hs->n_upgrades == 0, "upgrades [] on a WebSocket handshake", "%u upgrade(s)",
                 hs->n_upgrades);
}

/* Two handshakes give two different sids. */
static void sid_unique(struct ck *c)
{
    struct hx_session *a = ck_open(c, NULL), *b = ck_open(c, NULL);
    const struct eio_handshake *ha = hx_session_handshake(a), *hb = hx_session_handshake(b);
    ck_check(c, strcmp(ha->sid, hb->sid) != 0, "a fresh sid for every session",
             "the same sid %s twice", ha->sid);
}

/* The sid needs no escaping in a query string. */
static void sid_url_safe(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    const char *sid = hx_session_handshake(s)->sid;
    for (const char *p = sid; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~';
        ck_check(c, ok, "a sid of URL-safe characters", "sid \"%s\"", sid);
    }
}

/* Polling handshake answers with the text content type. */
static void open_content_type(struct ck *c)
{
    const struct hx_item *it = ck_get(c, NULL, "{path}?EIO=4&transport=polling");
    ck_expect_status(c, it, 200, "handshake");
    struct cdc_span ct;
    ck_check(c,
             ck_header(it, "content-type", &ct) && ct.len >= 10 &&
                 strncasecmp((const char *)ct.p, "text/plain", 10) == 0,
             "Content-Type text/plain", "Content-Type %s",
             ck_header(it, "content-type", &ct) ? ck_str(c, ct, true) : "absent");
}

/* ---- query validation over HTTP ------------------------------------------ */

static void bad_eio_missing(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?transport=polling"), 400, 5);
}

static void bad_eio_abc(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=abc&transport=polling"), 400, 5);
}

static void bad_eio_five(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=5&transport=polling"), 400, 5);
}

static void bad_eio_three(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=3&transport=polling"), 400, 5);
}

static void bad_transport_missing(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=4"), 400, 0);
}

static void bad_transport_abc(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=4&transport=abc"), 400, 0);
}

static void bad_transport_proto(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=4&transport=__proto__"), 400, 0);
}

static void bad_method_post(struct ck *c)
{
    const struct hx_item *it = ck_http(c, NULL,
                                       &(struct ck_http){.method = "POST",
                                                         .target = "{path}?EIO=4&transport=polling",
                                                         .ctype = "text/plain;charset=UTF-8",
                                                         .body = "40"});
    ck_expect_eio_error(c, it, 400, 2);
}

static void bad_method_put(struct ck *c)
{
    const struct hx_item *it = ck_http(c, NULL,
                                       &(struct ck_http){.method = "PUT",
                                                         .target = "{path}?EIO=4&transport=polling",
                                                         .ctype = "text/plain;charset=UTF-8",
                                                         .body = "40"});
    ck_expect_eio_error(c, it, 400, 2);
}

static void unknown_sid(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=4&transport=polling&sid=abcdefghij"), 400,
                        1);
}

static void proto_sid(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=4&transport=polling&sid=__proto__"), 400, 1);
}

/* A polling request for a session without EIO: since the reference 6.6.10
 * a request must carry the session's EIO (400 code 3). */
static void sid_without_eio(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = ck_get(c, s, "{path}?transport=polling&sid={sid}");
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 400,
             "HTTP 400 (code 3 or 5) for a request without EIO", "%s", ck_item_desc(c, it));
}

/* WebSocket transport asked for over plain HTTP: code 3. */
static void ws_without_upgrade(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=4&transport=websocket"), 400, 3);
}

/* ---- WebSocket handshake refusals ---------------------------------------- */

/* A refused WebSocket: either an HTTP 4xx instead of 101, or 101 then a
 * close before any open packet (protocol-notes §1.6). */
static void ws_refused(struct ck *c, const char *target)
{
    unsigned chan = 0;
    int rc = ck_ws(c, NULL, target, true, &chan);
    if (rc == HX_ERR_CONNECT) /* no server to refuse anything: not a verdict */
        ck_error(c, "could not connect to the server");
    if (rc != HX_OK)
        return; /* refused before the 101 */
    const struct hx_item *it = ck_ws_next(c, NULL, chan, 1000);
    ck_check(c, it && (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR),
             "the WebSocket refused (HTTP 4xx) or closed at once, without an open packet", "%s",
             it ? ck_item_desc(c, it) : "the WebSocket stayed open");
}

static void ws_bad_eio_missing(struct ck *c)
{
    ws_refused(c, "{path}?transport=websocket");
}

static void ws_bad_eio_abc(struct ck *c)
{
    ws_refused(c, "{path}?EIO=abc&transport=websocket");
}

static void ws_bad_transport_missing(struct ck *c)
{
    ws_refused(c, "{path}?EIO=4");
}

static void ws_bad_transport_abc(struct ck *c)
{
    ws_refused(c, "{path}?EIO=4&transport=abc");
}

static void ws_unknown_sid(struct ck *c)
{
    ws_refused(c, "{path}?EIO=4&transport=websocket&sid=abcdefghij");
}

/* Other query parameters belong to the application and are ignored. */
static void extra_query(struct ck *c)
{
    struct hx_session *s = ck_session(c, &(struct ck_sopt){.query = "t=burst&foo=bar"});
    int rc = hx_eio_open(s, ck_tp(c), ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "a session despite extra query parameters", "%s",
             hx_session_reason(s));
}

/* The first ping comes pingInterval after the handshake, not earlier. */
static void first_ping_timing(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_MANUAL, .queue_control = true});
    uint32_t pi = ck_ping_interval(c);
    const struct hx_item *it = ck_wait_eio(c, s, EIO_PING, pi + 1000);
    uint32_t at = (uint32_t)(it->at_us / 1000u);
    ck_check(c, at + 50 >= pi && at <= pi + ck_ms(c, 400),
             ck_fmt(c, "the first ping about pingInterval (%u ms) after the handshake", pi),
             "first ping after %u ms", at);
}

static const struct ck_case cases[] = {
    {.id = "eio4.handshake.open",
     .title = "opens a session",
     .req = "A handshake request answers an open packet whose JSON carries the sid and the "
            "contract's timing and size values.",
     .spec = "eio4:request-path:1,eio4:request-path:2,eio4:packet:2,eio4:handshake:2,eio4:"
             "handshake:3,eio4:handshake:6,eio4:handshake:7,eio4:handshake:9,"
             "eio4:handshake:10,eio4:handshake:11",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake,smoke",
     .origin = "handshake > HTTP long-polling > successfully opens a session",
     .run = open_fields},
    {.id = "eio4.handshake.exact-keys",
     .title = "open packet has exactly the five keys",
     .req = "The open packet's object holds sid, upgrades, pingInterval, pingTimeout and "
            "maxPayload and nothing else.",
     .spec = "eio4:handshake:6,eio4:handshake:11",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake",
     .run = open_exact_keys},
    {.id = "eio4.handshake.upgrades",
     .title = "upgrades list fits the transport",
     .req = "A polling handshake offers the websocket upgrade; a WebSocket handshake offers none.",
     .spec = "eio4:handshake:8",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake,upgrade",
     .origin = "handshake > WebSocket > successfully opens a session",
     .run = open_upgrades},
    {.id = "eio4.handshake.sid-unique",
     .title = "every session gets its own sid",
     .req = "Two handshakes never share a session id.",
     .spec = "eio4:handshake:7",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake,security",
     .run = sid_unique},
    {.id = "eio4.handshake.sid-url-safe",
     .title = "sid is URL-safe",
     .req = "The session id can be put in a query string without escaping.",
     .spec = "eio4:handshake:7",
     .level = CK_SHOULD,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake",
     .run = sid_url_safe},
    {.id = "eio4.handshake.content-type",
     .title = "polling handshake is text/plain",
     .req = "The polling handshake response carries a text/plain content type.",
     .spec = "ref:eio4-http:1",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,http",
     .run = open_content_type},
    {.id = "eio4.handshake.bad-eio-missing",
     .title = "missing EIO is refused with code 5",
     .req = "A handshake without the EIO parameter is refused with HTTP 400 and error code 5.",
     .spec = "eio4:query:1,eio4:query:4,ref:eio4-errors:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_EIO3,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid 'EIO' query parameter",
     .run = bad_eio_missing},
    {.id = "eio4.handshake.bad-eio-abc",
     .title = "non-numeric EIO is refused with code 5",
     .req = "A handshake with EIO=abc is refused with HTTP 400 and error code 5.",
     .spec = "eio4:query:1,eio4:query:4,ref:eio4-errors:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_EIO3,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid 'EIO' query parameter",
     .run = bad_eio_abc},
    {.id = "eio4.handshake.bad-eio-5",
     .title = "EIO=5 is refused with code 5",
     .req =
         "A handshake asking for an unknown future revision is refused with HTTP 400 and code 5.",
     .spec = "eio4:query:1,ref:eio4-errors:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_EIO3,
     .tags = "handshake,errors",
     .run = bad_eio_five},
    {.id = "eio4.handshake.bad-eio-3",
     .title = "EIO=3 is refused without the eio3 profile",
     .req = "A server that does not speak revision 3 refuses EIO=3 with HTTP 400 and code 5.",
     .spec = "eio4:query:1,ref:eio4-errors:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_EIO3,
     .tags = "handshake,errors",
     .run = bad_eio_three},
    {.id = "eio4.handshake.bad-transport-missing",
     .title = "missing transport is refused with code 0",
     .req =
         "A handshake without the transport parameter is refused with HTTP 400 and error code 0.",
     .spec = "eio4:query:2,eio4:query:4,ref:eio4-errors:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid 'transport' query parameter",
     .run = bad_transport_missing},
    {.id = "eio4.handshake.bad-transport-abc",
     .title = "unknown transport is refused with code 0",
     .req = "A handshake naming an unknown transport is refused with HTTP 400 and error code 0.",
     .spec = "eio4:query:2,ref:eio4-errors:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid 'transport' query parameter",
     .run = bad_transport_abc},
    {.id = "eio4.handshake.bad-transport-proto",
     .title = "transport=__proto__ is an unknown transport",
     .req = "Inherited object property names are not transports: 400 with code 0.",
     .spec = "eio4:query:2,ref:eio4-errors:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors,security",
     .run = bad_transport_proto},
    {.id = "eio4.handshake.bad-method-post",
     .title = "POST cannot open a session",
     .req = "Only GET opens a session; a POST without sid is refused with HTTP 400 and code 2.",
     .spec = "ref:eio4-errors:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid request method",
     .run = bad_method_post},
    {.id = "eio4.handshake.bad-method-put",
     .title = "PUT cannot open a session",
     .req = "A PUT without sid is refused with HTTP 400 and code 2.",
     .spec = "ref:eio4-errors:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid request method",
     .run = bad_method_put},
    {.id = "eio4.handshake.unknown-sid",
     .title = "unknown sid is refused with code 1",
     .req = "A request with a session id the server does not know gets HTTP 400 and error code 1.",
     .spec = "eio4:receiving-data:2,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors",
     .run = unknown_sid},
    {.id = "eio4.handshake.proto-sid",
     .title = "sid=__proto__ is an unknown session",
     .req = "Inherited property names are never session ids: HTTP 400 with code 1.",
     .spec = "eio4:receiving-data:2,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors,security",
     .run = proto_sid},
    {.id = "eio4.handshake.sid-without-eio",
     .title = "a request for a session without EIO is refused",
     .req = "Every request of a session carries the session's EIO; one without it is refused with "
            "HTTP 400.",
     .spec = "eio4:query:1,eio4:query:4,ref:eio4-errors:4",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors,security",
     .run = sid_without_eio},
    {.id = "eio4.handshake.ws-over-http",
     .title = "transport=websocket without upgrade headers is code 3",
     .req = "A plain HTTP request for the websocket transport is refused with HTTP 400 and code 3.",
     .spec = "ref:eio4-errors:4",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "handshake,errors,websocket",
     .run = ws_without_upgrade},
    {.id = "eio4.handshake.ws-bad-eio-missing",
     .title = "WebSocket without EIO is refused",
     .req = "A WebSocket handshake without EIO is refused or closed before any open packet.",
     .spec = "eio4:websocket:2,eio4:websocket:5",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_EIO3,
     .tags = "handshake,errors,websocket",
     .origin = "handshake > WebSocket > fails with an invalid 'EIO' query parameter",
     .run = ws_bad_eio_missing},
    {.id = "eio4.handshake.ws-bad-eio-abc",
     .title = "WebSocket with EIO=abc is refused",
     .req = "A WebSocket handshake with EIO=abc is refused or closed before any open packet.",
     .spec = "eio4:websocket:2,eio4:websocket:5",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_EIO3,
     .tags = "handshake,errors,websocket",
     .origin = "handshake > WebSocket > fails with an invalid 'EIO' query parameter",
     .run = ws_bad_eio_abc},
    {.id = "eio4.handshake.ws-bad-transport-missing",
     .title = "WebSocket without transport is refused",
     .req = "A WebSocket handshake without the transport parameter is refused or closed at once.",
     .spec = "eio4:websocket:3,eio4:websocket:5",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "handshake,errors,websocket",
     .origin = "handshake > WebSocket > fails with an invalid 'transport' query parameter",
     .run = ws_bad_transport_missing},
    {.id = "eio4.handshake.ws-bad-transport-abc",
     .title = "WebSocket with transport=abc is refused",
     .req = "A WebSocket handshake naming an unknown transport is refused or closed at once.",
     .spec = "eio4:websocket:3,ref:eio4-ws:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "handshake,errors,websocket",
     .origin = "handshake > WebSocket > fails with an invalid 'transport' query parameter",
     .run = ws_bad_transport_abc},
    {.id = "eio4.handshake.ws-unknown-sid",
     .title = "WebSocket with an unknown sid is refused",
     .req = "A WebSocket upgrade for a session the server does not know is refused.",
     .spec = "eio4:websocket:4,ref:eio4-ws:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "handshake,errors,websocket",
     .run = ws_unknown_sid},
    {.id = "eio4.handshake.extra-query",
     .title = "extra query parameters are accepted",
     .req = "Query parameters other than EIO, transport and sid do not prevent a handshake.",
     .spec = "ref:eio4-http:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake",
     .run = extra_query},
    {.id = "eio4.handshake.first-ping",
     .title = "first ping after pingInterval",
     .req = "The server sends its first ping about pingInterval after the handshake.",
     .spec = "eio4:heartbeat:1,eio4:heartbeat:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO4,
     .tags = "handshake,heartbeat,timing",
     .run = first_ping_timing},
};

CK_GROUP(ck_group_eio4_handshake, "eio4.handshake", "Engine.IO v4 handshake and query validation",
         cases);
