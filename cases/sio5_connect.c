/*
 * sio5_connect.c - Socket.IO v5: joining the main namespace. The CONNECT
 * answer and its socket id, the auth payload, CONNECT packets the server
 * must refuse by closing, packets before any CONNECT, duplicates, and the
 * connectTimeout (socket.io-protocol v5 §Connection to a namespace,
 * §History; protocol-notes §2.6, §2.8 S1-S6, S16-S19, S29, §5.1; official
 * Socket.IO suite #17, #18, #22, #23).
 *
 * Namespaces other than "/" are in sio5_namespace.c, leaving them in
 * sio5_disconnect.c. Every case uses its own sessions; a case that expects
 * a close sends the bad packet on a fresh session.
 */
#include "cases/ck.h"

#include <string.h>

/* Sends CONNECT |pkt| (Socket.IO text) on a fresh session and checks the
 * answer and the contract's `auth` event, in this order, as the next two
 * Socket.IO packets. */
static void connect_then_auth(struct ck *c, const char *pkt, const char *auth)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_msg(c, s, pkt);
    const struct hx_item *r = ck_next_sio(c, s, CK_REPLY_MS, "the CONNECT answer on /");
    ck_sio_sid(c, r, "/", true);
    ck_check(c, r->raw.len >= 2 && memcmp(r->raw.p, "0{", 2) == 0,
             "the answer for / written without a namespace: 0{...}", "\"%s\"",
             ck_str(c, r->raw, true));
    const struct hx_item *ev = ck_next_sio(c, s, CK_REPLY_MS, "the `auth` event after the answer");
    const char *exp =
        ck_fmt(c, "next, the event [\"auth\",%s] on / (after the CONNECT answer)", auth);
    ck_check(c, ev->kind == HX_ITEM_SIO && ev->sio.type == SIO_EVENT && ck_eq(ev->sio.nsp, "/"),
             exp, "%s", ck_item_desc(c, ev));
    ck_check_json(c, ck_event_data(c, ev), ck_fmt(c, "[\"auth\",%s]", auth), "the event");
}

/* Official #17: "40" gives 40{"sid":...} then 42["auth",{}]. */
static void main_nsp(struct ck *c)
{
    connect_then_auth(c, "0", "{}");
}

/* Official #18: the CONNECT payload reaches the application as auth. */
static void main_auth(struct ck *c)
{
    connect_then_auth(c, "0{\"token\":\"123\"}", "{\"token\":\"123\"}");
}

/* The public socket id is never the secret Engine.IO sid. */
static void sid_not_eio_sid(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    const char *esid = hx_session_handshake(s)->sid;
    ck_msg(c, s, "0");
    const char *sid = ck_sio_sid(c, ck_wait_sio(c, s, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    ck_check(c, strcmp(sid, esid) != 0, "a socket id different from the Engine.IO sid",
             "socket id %s equals the Engine.IO sid", sid);
}

/* Two sessions joining "/" get two socket ids. */
static void sid_unique(struct ck *c)
{
    struct hx_session *a = ck_open(c, NULL), *b = ck_open(c, NULL);
    ck_msg(c, a, "0");
    ck_msg(c, b, "0");
    const char *sa = ck_sio_sid(c, ck_wait_sio(c, a, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    const char *sb = ck_sio_sid(c, ck_wait_sio(c, b, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    ck_check(c, strcmp(sa, sb) != 0, "a different socket id for every connection",
             "both sessions got socket id %s", sa);
}

/* ---- refused by closing ---------------------------------------------------- */

/* The first queued item the server sent after the handshake, or NULL. */
static const struct hx_item *first_unread(struct hx_session *s)
{
    const struct hx_item *it;
    for (size_t i = 0; (it = hx_session_peek(s, i)) != NULL; i++)
        if (it->kind != HX_ITEM_ERROR || it->tp != HX_TP_NONE)
            return it;
    return NULL;
}

/* Sends |pkt| on |s| and expects the connection to end; |why| names the
 * rule. When the session had joined nothing, the close must come well
 * before connectTimeout could explain it (observed from the session's
 * start, which precedes the server's timer). */
static void expect_close(struct ck *c, struct hx_session *s, const char *pkt, const char *why,
                         bool before_timeout)
{
    ck_msg(c, s, pkt);
    const char *exp = ck_fmt(c, "the server closes the connection at once (%s)", why);
    if (!ck_closes_within(c, s, CK_REPLY_MS))
        ck_fail(c, exp,
                "the server accepted 4%s: the session was still open after %u ms (first "
                "unread packet: %s)",
                ck_str(c, ck_span(pkt), true), ck_ms(c, CK_REPLY_MS),
                ck_item_desc(c, first_unread(s)));
    uint32_t at = (uint32_t)(hx_session_elapsed_us(s) / 1000u);
    if (before_timeout)
        ck_check(c, at + 50 < CK_CONNECT_TIMEOUT_MS,
                 ck_fmt(c, "%s, not by connectTimeout (%u ms)", exp, CK_CONNECT_TIMEOUT_MS),
                 "the session ended only %u ms after it began", at);
}

/* Official #22: "4abc" as the first packet. */
static void invalid_handshake(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "abc", "an undecodable first packet", true);
}

static void payload_array(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "0[]", "a CONNECT payload must be an object", true);
}

static void payload_string(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "0\"x\"", "a CONNECT payload must be an object", true);
}

static void payload_null(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "0/custom,null", "a CONNECT payload must be an object", true);
}

/* "40custom": no "/", so the namespace is "/" and "custom" is not JSON. */
static void nsp_without_slash(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "0custom",
                 "a namespace starts with / and the rest must be JSON", true);
}

static void event_first(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "2[\"message\",1]", "the first packet must be a CONNECT",
                 true);
}

static void disconnect_first(struct ck *c)
{
    expect_close(c, ck_open(c, NULL), "1", "the first packet must be a CONNECT", true);
}

/* S16: a second CONNECT for the namespace already joined. */
static void duplicate(struct ck *c)
{
    expect_close(c, ck_connect(c, NULL), "0", "a second CONNECT for a joined namespace", false);
}

/* S17: CONNECT_ERROR is a server-to-client packet. */
static void client_connect_error(struct ck *c)
{
    expect_close(c, ck_connect(c, NULL), "4{\"message\":\"x\"}",
                 "a client never sends CONNECT_ERROR", false);
}

/* ---- connectTimeout ----------------------------------------------------------- */

/* True once |s| ended, given until |at_ms| after the session began. */
static bool closed_by(struct ck *c, struct hx_session *s, uint32_t at_ms)
{
    uint32_t now = (uint32_t)(hx_session_elapsed_us(s) / 1000u);
    uint64_t until = hx_session_in(s, at_ms > now ? at_ms - now : 0);
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_CLOSE)};
    while (!hx_session_closed(s)) {
        const struct hx_item *it = NULL;
        int rc = hx_session_wait(s, &m, until, &it);
        if (rc == HX_ERR_CLOSED || (rc == HX_OK && !it->aux))
            return true;
        if (rc == HX_ERR_TIMEOUT)
            return false;
        if (rc != HX_OK)
            ck_error(c, "harness failure while waiting for the close: %s", hx_status_name(rc));
    }
    return true;
}

/* S29: the session answers every ping but never joins a namespace. */
static void timeout_closes(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    uint32_t hi = CK_CONNECT_TIMEOUT_MS + ck_ms(c, 500);
    bool closed = closed_by(c, s, hi);
    uint32_t at = (uint32_t)(hx_session_elapsed_us(s) / 1000u);
    const char *exp = ck_fmt(c, "the session closed about connectTimeout (%u ms) after it began",
                             CK_CONNECT_TIMEOUT_MS);
    ck_check(c, closed, exp, "still open after %u ms", at);
    ck_check(c, at + 50 >= CK_CONNECT_TIMEOUT_MS, exp, "closed after %u ms", at);
    ck_note(c, "closed after %u ms", at);
}

/* The lower bound alone: a live session is not cut before connectTimeout. */
static void timeout_not_early(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    if (closed_by(c, s, CK_CONNECT_TIMEOUT_MS - 50))
        ck_fail(c,
                ck_fmt(c, "the session, which answers pings, open until connectTimeout (%u ms)",
                       CK_CONNECT_TIMEOUT_MS),
                "closed after %u ms: %s", (uint32_t)(hx_session_elapsed_us(s) / 1000u),
                hx_session_reason(s));
}

static const struct ck_case cases[] = {
    {.id = "sio5.connect.main",
     .title = "CONNECT to / is answered with {sid}, then auth",
     .req = "A CONNECT to / is answered by 40{\"sid\":...} with exactly a string sid, and the "
            "connection handler's auth event ({}) comes after that answer.",
     .spec = "sio5:connect:2,sio5:connect:6,ref:sio5-connect-reply:1,ref:sio5-connect-reply:3,"
             "ref:sio5-connect-reply:4,sio5:encoding-connect:1,sio5:encoding:6,sio5:packet:2,"
             "sio5:encoding:3,sio5:encoding:2,sio5:changes-v5:2,sio5:changes-v5:1,"
             "sio5:sample-session:1,sio5:sample-session:2,sio5:sample-session:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,smoke",
     .origin = "Socket.IO protocol > connect > should allow connection to the main namespace",
     .run = main_nsp},
    {.id = "sio5.connect.main-auth",
     .title = "CONNECT to / with an auth payload",
     .req = "A CONNECT to / carrying an object is answered with {sid}, and the object reaches "
            "the application unchanged as the auth data.",
     .spec = "sio5:connect:8,sio5:changes-v5:4,ref:sio5-connect-reply:1,"
             "ref:sio5-connect-reply:3,ref:sio5-connect-reply:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect",
     .origin = "Socket.IO protocol > connect > should allow connection to the main namespace "
               "with a payload",
     .run = main_auth},
    {.id = "sio5.connect.sid-not-eio-sid",
     .title = "socket id is not the Engine.IO sid",
     .req = "The socket id in the CONNECT answer differs from the Engine.IO session id, which "
            "must stay secret.",
     .spec = "sio5:changes-v5:5,ref:sio5-connect-reply:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,security",
     .run = sid_not_eio_sid},
    {.id = "sio5.connect.sid-unique",
     .title = "every connection gets its own socket id",
     .req = "Two sessions joining / are given different socket ids.",
     .spec = "ref:sio5-connect-reply:2,sio5:connect:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect",
     .run = sid_unique},
    {.id = "sio5.connect.invalid-handshake",
     .title = "an undecodable first packet closes",
     .req = "A first Socket.IO packet that cannot be decoded (4abc) closes the connection at "
            "once.",
     .spec = "sio5:connect:4,ref:sio5-connect-invalid:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .origin = "Socket.IO protocol > connect > should disallow connection with an invalid "
               "handshake",
     .run = invalid_handshake},
    {.id = "sio5.connect.payload-array",
     .title = "CONNECT with an array payload closes",
     .req = "A CONNECT whose payload is an array (40[]) closes the connection.",
     .spec = "ref:sio5-connect-invalid:1,sio5:connect:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = payload_array},
    {.id = "sio5.connect.payload-string",
     .title = "CONNECT with a string payload closes",
     .req = "A CONNECT whose payload is a string (40\"x\") closes the connection.",
     .spec = "ref:sio5-connect-invalid:1,sio5:connect:4",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = payload_string},
    {.id = "sio5.connect.payload-null",
     .title = "CONNECT with a null payload closes",
     .req = "A CONNECT to /custom whose payload is null (40/custom,null) closes the connection.",
     .spec = "ref:sio5-connect-invalid:1,sio5:connect:4",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = payload_null},
    {.id = "sio5.connect.nsp-without-slash",
     .title = "40custom closes",
     .req = "A CONNECT whose namespace lacks the leading slash (40custom) is not valid and "
            "closes the connection.",
     .spec = "ref:sio5-connect-invalid:2,sio5:encoding:5,sio5:connect:4",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = nsp_without_slash},
    {.id = "sio5.connect.event-first",
     .title = "an EVENT before any CONNECT closes",
     .req = "An EVENT sent before the client joined any namespace closes the connection at "
            "once.",
     .spec = "sio5:connect:4,sio5:changes-v5:2,ref:sio5-connect-state:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = event_first},
    {.id = "sio5.connect.disconnect-first",
     .title = "a DISCONNECT before any CONNECT closes",
     .req = "A DISCONNECT sent before the client joined any namespace closes the connection at "
            "once.",
     .spec = "sio5:connect:4,ref:sio5-connect-state:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = disconnect_first},
    {.id = "sio5.connect.duplicate",
     .title = "a second CONNECT to / closes",
     .req = "A CONNECT for a namespace the client already joined closes the connection.",
     .spec = "ref:sio5-connect-state:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = duplicate},
    {.id = "sio5.connect.client-connect-error",
     .title = "a CONNECT_ERROR from the client closes",
     .req = "A CONNECT_ERROR packet sent by the client closes the connection.",
     .spec = "ref:sio5-connect-state:2,sio5:packet:6",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,errors",
     .run = client_connect_error},
    {.id = "sio5.connect.timeout",
     .title = "no CONNECT within connectTimeout closes",
     .req = "A session that answers pings but joins no namespace is closed once connectTimeout "
            "(1000 ms in the contract) has passed.",
     .spec = "ref:sio5-connect-timeout:1",
     .level = CK_SHOULD,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,timing",
     .origin = "Socket.IO protocol > connect > should close the connection if no handshake is "
               "received",
     .run = timeout_closes},
    {.id = "sio5.connect.timeout-not-early",
     .title = "no close before connectTimeout",
     .req = "A session that answers pings is not closed for lack of a CONNECT before "
            "connectTimeout has passed.",
     .spec = "ref:sio5-connect-timeout:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "connect,timing",
     .run = timeout_not_early},
};

CK_GROUP(ck_group_sio5_connect, "sio5.connect", "Socket.IO v5 joining the main namespace", cases);
