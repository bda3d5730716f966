/*
 * sio5_namespace.c - Socket.IO v5: custom namespaces. Joining /custom with
 * and without auth, socket ids per namespace, several namespaces over one
 * session, the refusals (unknown namespace, middleware) and what the
 * connection does after them, exact namespace names (socket.io-protocol v5
 * §Connection to a namespace; protocol-notes §2.6, §2.8 S3, S4, S27, §5.1;
 * official Socket.IO suite #19-21; testee contract §3).
 */
#include "cases/ck.h"

#include <string.h>

/* Sends CONNECT |pkt| for /custom on a fresh session and checks the answer
 * (40/custom,{"sid":...}) and then the `auth` event on /custom. */
static void custom_then_auth(struct ck *c, const char *pkt, const char *auth)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_msg(c, s, pkt);
    const struct hx_item *r = ck_next_sio(c, s, CK_REPLY_MS, "the CONNECT answer on /custom");
    ck_sio_sid(c, r, "/custom", true);
    ck_check(c, r->raw.len >= 10 && memcmp(r->raw.p, "0/custom,{", 10) == 0,
             "the answer written 0/custom,{...}", "\"%s\"", ck_str(c, r->raw, true));
    const struct hx_item *ev = ck_next_sio(c, s, CK_REPLY_MS, "the `auth` event after the answer");
    const char *exp =
        ck_fmt(c, "next, the event [\"auth\",%s] on /custom (after the CONNECT answer)", auth);
    ck_check(c,
             ev->kind == HX_ITEM_SIO && ev->sio.type == SIO_EVENT && ck_eq(ev->sio.nsp, "/custom"),
             exp, "%s", ck_item_desc(c, ev));
    ck_check_json(c, ck_event_data(c, ev), ck_fmt(c, "[\"auth\",%s]", auth), "the event");
}

/* Official #19. */
static void custom(struct ck *c)
{
    custom_then_auth(c, "0/custom,", "{}");
}

/* Official #20. */
static void custom_auth(struct ck *c)
{
    custom_then_auth(c, "0/custom,{\"token\":\"abc\"}", "{\"token\":\"abc\"}");
}

/* S3: "40/custom" without the comma names the same namespace. */
static void custom_no_comma(struct ck *c)
{
    custom_then_auth(c, "0/custom", "{}");
}

/* The sample session: 40/admin, sent after the upgrade to WebSocket. */
static void custom_after_upgrade(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_ok(c, s, hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS)), "upgrade to WebSocket");
    ck_msg(c, s, "0/custom,");
    ck_sio_sid(c, ck_next_sio(c, s, CK_REPLY_MS, "the CONNECT answer on /custom"), "/custom",
               false);
}

/* §5.1: one socket id per namespace connection, none the Engine.IO sid. */
static void sid_per_namespace(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    const char *esid = hx_session_handshake(s)->sid;
    ck_msg(c, s, "0");
    const char *root = ck_sio_sid(c, ck_wait_sio(c, s, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    ck_msg(c, s, "0/custom,");
    const char *cust =
        ck_sio_sid(c, ck_wait_sio(c, s, SIO_CONNECT, "/custom", CK_REPLY_MS), "/custom", false);
    ck_check(c, strcmp(root, cust) != 0 && strcmp(cust, esid) != 0,
             "a socket id for /custom different from the one for / and from the Engine.IO sid",
             "/ %s, /custom %s, Engine.IO %s", root, cust, esid);
}

/* Both namespaces joined: each event is handled on, and answered on, the
 * namespace it names. */
static void multiplex(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ck_msg(c, s, "2/custom,[\"message\",\"to custom\"]");
    ck_msg(c, s, "2[\"message\",\"to main\"]");
    const struct hx_item *a = ck_wait_event(c, s, "/custom", "message-back", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, a), "[\"message-back\",\"to custom\"]", "on /custom");
    const struct hx_item *b = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, b), "[\"message-back\",\"to main\"]", "on /");
}

/* S27: an EVENT for /custom while only / is joined. */
static void not_joined(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "2/custom,[\"message\",1]");
    ck_check(c, ck_closes_within(c, s, CK_REPLY_MS),
             "the server closes the connection (an EVENT for a namespace not joined)",
             "the session was still open after %u ms", ck_ms(c, CK_REPLY_MS));
}

/* Several CONNECTs in one polling payload: one answer each, any order. */
static void batch(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    static const char body[] = "40\x1e"
                               "40/custom,\x1e"
                               "40/random,";
    int rc = ck_raw(c, s, body, sizeof(body) - 1, false);
    if (rc == HX_ERR_HTTP_STATUS)
        ck_fail(c, "the POST of three CONNECTs accepted", "%s", hx_session_reason(s));
    ck_ok(c, s, rc, "POST of three CONNECTs");
    ck_sio_sid(c, ck_wait_sio(c, s, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    ck_sio_sid(c, ck_wait_sio(c, s, SIO_CONNECT, "/custom", CK_REPLY_MS), "/custom", false);
    ck_wait_sio(c, s, SIO_CONNECT_ERROR, "/random", CK_REPLY_MS);
}

/* ---- refusals -------------------------------------------------------------- */

/* Sends CONNECT |pkt| and returns the answer, which must be a CONNECT_ERROR
 * on |nsp| (any payload); |why| says why the contract refuses it. */
static const struct hx_item *refused(struct ck *c, struct hx_session *s, const char *pkt,
                                     const char *nsp, const char *why)
{
    ck_msg(c, s, pkt);
    const char *exp = ck_fmt(c, "a CONNECT_ERROR on %s (%s)", nsp, why);
    const struct hx_item *r = ck_next_sio(c, s, CK_REPLY_MS, exp);
    ck_check(c,
             r->kind == HX_ITEM_SIO && r->sio.type == SIO_CONNECT_ERROR && ck_eq(r->sio.nsp, nsp),
             exp, "%s", ck_item_desc(c, r));
    return r;
}

/* The v5 refusal: a CONNECT_ERROR whose payload is an object with a
 * string message. */
static void unknown(struct ck *c)
{
    const struct hx_item *r =
        refused(c, ck_open(c, NULL), "0/random,", "/random", "no such namespace");
    struct cdc_span v;
    ck_check(c,
             cdc_json_type_of(r->sio.data) == CDC_JSON_OBJECT &&
                 cdc_json_object_get(r->sio.data, "message", &v) == 1 &&
                 cdc_json_type_of(v) == CDC_JSON_STRING,
             "a CONNECT_ERROR payload that is an object with a string message", "payload \"%s\"",
             ck_str(c, r->sio.data, true));
}

/* Official #21 sends "40/random" without the comma and compares bytes. */
static void unknown_exact(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_msg(c, s, "0/random");
    const char *exp = "exactly 44/random,{\"message\":\"Invalid namespace\"}";
    const struct hx_item *r = ck_next_sio(c, s, CK_REPLY_MS, exp);
    ck_check(
        c, r->kind == HX_ITEM_SIO && ck_eq(r->raw, "4/random,{\"message\":\"Invalid namespace\"}"),
        exp, "%s",
        r->kind == HX_ITEM_SIO ? ck_fmt(c, "4%s", ck_str(c, r->raw, true)) : ck_item_desc(c, r));
}

/* After a refusal the client may join another namespace. */
static void stays_open(struct ck *c, const char *pkt, const char *nsp, const char *why)
{
    struct hx_session *s = ck_open(c, NULL);
    refused(c, s, pkt, nsp, why);
    const struct hx_item *r = NULL;
    int rc = hx_sio_connect(s, "/", NULL, ck_in(c, CK_REPLY_MS), &r);
    ck_check(c, rc == HX_OK,
             ck_fmt(c,
                    "the connection still open after the refusal of %s: a CONNECT to / is "
                    "answered with {sid}",
                    nsp),
             "%s (%s)", hx_status_name(rc), r ? ck_item_desc(c, r) : hx_session_reason(s));
    ck_sio_sid(c, r, "/", false);
}

static void unknown_stays_open(struct ck *c)
{
    stays_open(c, "0/random,", "/random", "no such namespace");
}

static void forbidden_stays_open(struct ck *c)
{
    stays_open(c, "0/forbidden,", "/forbidden", "the middleware refuses it");
}

static void trailing_slash(struct ck *c)
{
    refused(c, ck_open(c, NULL), "0/custom/,", "/custom/", "names are exact: not /custom");
}

static void upper_case(struct ck *c)
{
    refused(c, ck_open(c, NULL), "0/CUSTOM,", "/CUSTOM", "names are case-sensitive: not /custom");
}

/* v4 put auth in a namespace query; in v5 "?x=1" is part of the name. */
static void query_in_name(struct ck *c)
{
    refused(c, ck_open(c, NULL), "0/custom?x=1,", "/custom?x=1",
            "in v5 the query is part of the name");
}

/* Contract §3: the middleware's error message and data. */
static void forbidden(struct ck *c)
{
    const struct hx_item *r =
        refused(c, ck_open(c, NULL), "0/forbidden,", "/forbidden", "the middleware refuses it");
    ck_check_json(c, r->sio.data, "{\"message\":\"forbidden\",\"data\":{\"reason\":\"forbidden\"}}",
                  "the CONNECT_ERROR payload");
}

static const struct ck_case cases[] = {
    {.id = "sio5.namespace.custom",
     .title = "CONNECT to /custom is answered with {sid}, then auth",
     .req = "A CONNECT to /custom is answered by 40/custom,{\"sid\":...} with exactly a string "
            "sid, and the auth event ({}) on /custom comes after it.",
     .spec = "sio5:connect:7,sio5:encoding-connect:2,sio5:encoding:5,ref:sio5-connect-reply:1,"
             "ref:sio5-connect-reply:3,ref:sio5-connect-reply:4,sio5:event:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,connect",
     .origin = "Socket.IO protocol > connect > should allow connection to a custom namespace",
     .run = custom},
    {.id = "sio5.namespace.custom-auth",
     .title = "CONNECT to /custom with an auth payload",
     .req = "A CONNECT to /custom carrying an object is answered with {sid} on /custom and the "
            "object reaches the application as the auth data.",
     .spec = "sio5:connect:8,sio5:connect:7,ref:sio5-connect-reply:4,ref:sio5-connect-reply:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,connect",
     .origin = "Socket.IO protocol > connect > should allow connection to a custom namespace "
               "with a payload",
     .run = custom_auth},
    {.id = "sio5.namespace.custom-no-comma",
     .title = "40/custom without the comma joins /custom",
     .req = "A CONNECT written 40/custom (no comma, nothing after the name) joins /custom like "
            "40/custom, does.",
     .spec = "ref:sio5-connect-reply:5,sio5:connect:7",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,connect",
     .run = custom_no_comma},
    {.id = "sio5.namespace.custom-after-upgrade",
     .title = "CONNECT to /custom after the upgrade",
     .req = "A session upgraded from polling to WebSocket joins /custom with 40/custom, and gets "
            "40/custom,{\"sid\":...} on the WebSocket.",
     .spec = "sio5:sample-session:6,sio5:connect:7",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,connect,upgrade",
     .run = custom_after_upgrade},
    {.id = "sio5.namespace.sid-per-namespace",
     .title = "each namespace gets its own socket id",
     .req = "Joining / and /custom on one session gives two different socket ids, neither the "
            "Engine.IO sid.",
     .spec = "ref:sio5-connect-reply:2,sio5:connect:7,sio5:changes-v5:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,connect,security",
     .run = sid_per_namespace},
    {.id = "sio5.namespace.multiplex",
     .title = "events are routed per namespace",
     .req = "With / and /custom joined on one session, each event is handled by and answered "
            "on the namespace it names.",
     .spec = "sio5:connect:5,ref:sio5-connect-namespace:6,sio5:event:4,sio5:encoding-event:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,multiplexing",
     .run = multiplex},
    {.id = "sio5.namespace.not-joined",
     .title = "an EVENT for a namespace not joined closes",
     .req = "An EVENT for /custom while only / is joined closes the connection.",
     .spec = "ref:sio5-connect-state:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .run = not_joined},
    {.id = "sio5.namespace.batch",
     .title = "several CONNECTs in one POST",
     .req = "CONNECTs for /, /custom and an unknown namespace in one polling payload get one "
            "answer each, in any order.",
     .spec = "ref:sio5-connect-namespace:7,sio5:connect:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,multiplexing,polling",
     .run = batch},
    {.id = "sio5.namespace.unknown",
     .title = "an unknown namespace is refused with CONNECT_ERROR",
     .req = "A CONNECT to a namespace the server does not have is answered with a CONNECT_ERROR "
            "on that namespace whose payload is an object with a message.",
     .spec = "sio5:connect:3,sio5:connect:9,sio5:changes-v5:3,sio5:changes-v5:6,"
             "ref:sio5-connect-namespace:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .run = unknown},
    {.id = "sio5.namespace.unknown-exact",
     .title = "unknown namespace: the reference's exact refusal",
     .req = "40/random is answered with exactly 44/random,{\"message\":\"Invalid namespace\"}.",
     .spec = "ref:sio5-connect-namespace:2,ref:sio5-connect-reply:5,sio5:connect:9",
     .level = CK_SHOULD,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .origin = "Socket.IO protocol > connect > should disallow connection to an unknown namespace",
     .run = unknown_exact},
    {.id = "sio5.namespace.unknown-stays-open",
     .title = "the connection survives an unknown namespace",
     .req = "After refusing an unknown namespace the server keeps the connection, and a CONNECT "
            "to / then succeeds.",
     .spec = "ref:sio5-connect-namespace:3,sio5:connect:5",
     .level = CK_SHOULD,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .run = unknown_stays_open},
    {.id = "sio5.namespace.forbidden",
     .title = "a middleware refusal carries message and data",
     .req = "A CONNECT to /forbidden is answered with "
            "44/forbidden,{\"message\":\"forbidden\",\"data\":{\"reason\":\"forbidden\"}}.",
     .spec = "ref:sio5-connect-namespace:5,sio5:connect:3,sio5:connect:9,sio5:changes-v5:6",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors,middleware",
     .run = forbidden},
    {.id = "sio5.namespace.forbidden-stays-open",
     .title = "the connection survives a middleware refusal",
     .req = "After a middleware refused /forbidden the server keeps the connection, and a "
            "CONNECT to / then succeeds.",
     .spec = "ref:sio5-connect-namespace:3",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors,middleware",
     .run = forbidden_stays_open},
    {.id = "sio5.namespace.trailing-slash",
     .title = "/custom/ is not /custom",
     .req = "Namespace names are exact: a CONNECT to /custom/ is refused as an unknown "
            "namespace.",
     .spec = "ref:sio5-connect-namespace:4,ref:sio5-connect-namespace:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .run = trailing_slash},
    {.id = "sio5.namespace.upper-case",
     .title = "/CUSTOM is not /custom",
     .req = "Namespace names are case-sensitive: a CONNECT to /CUSTOM is refused as an unknown "
            "namespace.",
     .spec = "ref:sio5-connect-namespace:4,ref:sio5-connect-namespace:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .run = upper_case},
    {.id = "sio5.namespace.query-in-name",
     .title = "/custom?x=1 is not /custom",
     .req = "In v5 a query after the namespace name is part of the name: a CONNECT to "
            "/custom?x=1 is refused as an unknown namespace.",
     .spec = "ref:sio5-connect-namespace:4,sio5:changes-v5:4",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "namespace,errors",
     .run = query_in_name},
};

CK_GROUP(ck_group_sio5_namespace, "sio5.namespace", "Socket.IO v5 custom namespaces", cases);
