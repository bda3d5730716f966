/*
 * sio4.c - Socket.IO protocol v4 over Engine.IO v3 (EIO=3): the server's
 * own CONNECT for "/", namespaces joined with their query string as auth,
 * ERROR refusals, events, acks and binary attachments in the v3 framing,
 * DISCONNECT both ways, and undecodable packets (socket.io-protocol v4;
 * protocol-notes §2.7, §4.4; testee contract §3-4).
 */
#include "cases/ck.h"

#include <string.h>

/* ERROR payload: v4 allows anything as the reason; the contract expects the
 * implementation's own string or object (testee contract §3). */
static void check_error_payload(struct ck *c, const struct hx_item *it, const char *nsp)
{
    struct cdc_span d = cdc_json_trim(it->sio.data);
    enum cdc_json_type t = d.len ? cdc_json_type_of(d) : CDC_JSON_NULL;
    ck_check(c, d.len && (t == CDC_JSON_STRING || t == CDC_JSON_OBJECT),
             ck_fmt(c, "44%s, with a string or object giving the reason", nsp), "%s",
             ck_item_desc(c, it));
}

/* The connection still works on "/": message echoed. */
static void root_alive(struct ck *c, struct hx_session *s, const char *why)
{
    int rc =
        hx_sio_emit(s, "/", "[\"message\",\"still here\"]", false, NULL, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, ck_fmt(c, "the connection still open (%s)", why), "%s",
             hx_session_reason(s));
    const struct hx_item *it =
        ck_wait(c, s, &(struct hx_match){.nsp = "/", .event = "message-back"}, CK_REPLY_MS,
                ck_fmt(c, "message-back on /: the connection works (%s)", why));
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",\"still here\"]", "message-back");
}

/* ---- connect ----------------------------------------------------------------- */

/* Without any client packet the server sends CONNECT for "/" (no payload),
 * then the contract's auth event. */
static void implicit_root(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    const struct hx_item *it =
        ck_wait(c, s, &(struct hx_match){.kinds = HX_KIND(HX_ITEM_SIO)}, CK_REPLY_MS,
                "a CONNECT for / from the server without any client packet");
    ck_check(c, it->sio.type == SIO_CONNECT && ck_eq(it->sio.nsp, "/"),
             "the CONNECT for / as the first Socket.IO packet", "first: %s", ck_item_desc(c, it));
    ck_check(c, it->sio.data.len == 0 && !it->sio.has_id,
             "the CONNECT for / as plain 40 (no payload, no ack id)", "%s", ck_item_desc(c, it));
    it = ck_wait_event(c, s, "/", "auth", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"auth\",{}]", "auth event");
}

/* Even when the client asks for /custom before reading anything, the
 * server's CONNECT for / comes first. */
static void root_first(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_msg(c, s, "0/custom,");
    struct hx_match m = {.sio_types = HX_TYPE(SIO_CONNECT) | HX_TYPE(SIO_CONNECT_ERROR)};
    const struct hx_item *it = ck_wait(c, s, &m, CK_REPLY_MS, "a CONNECT for / first");
    ck_check(c, it->sio.type == SIO_CONNECT && ck_eq(it->sio.nsp, "/"),
             "the CONNECT for / before the answer for /custom", "first: %s", ck_item_desc(c, it));
    it = ck_wait(c, s, &m, CK_REPLY_MS, "then the CONNECT for /custom");
    ck_check(c, it->sio.type == SIO_CONNECT && ck_eq(it->sio.nsp, "/custom"),
             "then the CONNECT for /custom", "second: %s", ck_item_desc(c, it));
}

/* A v4 client never sends 40 for "/"; the reference treats one as a
 * duplicate connection and closes. */
static void duplicate_root(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "0");
    ck_expect_closed(c, s, 800, "a CONNECT for / that the server joined already");
    ck_note(c, "the server closed the session");
}

/* 40/custom?token=abc, : joined, answered 40/custom without payload, auth
 * from the query. */
static void custom_query_auth(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    const struct hx_item *reply = NULL;
    int rc = hx_sio_connect(s, "/custom", "token=abc", ck_in(c, CK_REPLY_MS), &reply);
    ck_check(c, rc == HX_OK, "40/custom in answer to 40/custom?token=abc,", "%s (%s)",
             hx_status_name(rc), reply ? ck_item_desc(c, reply) : hx_session_reason(s));
    ck_check(c, reply->sio.data.len == 0, "the CONNECT answer without payload (v4)", "%s",
             ck_item_desc(c, reply));
    const struct hx_item *it = ck_wait_event(c, s, "/custom", "auth", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"auth\",{\"token\":\"abc\"}]",
                  "auth event on /custom (the query as auth)");
}

static void refused(struct ck *c, const char *nsp)
{
    struct hx_session *s = ck_connect(c, NULL);
    const struct hx_item *reply = NULL;
    int rc = hx_sio_connect(s, nsp, NULL, ck_in(c, CK_REPLY_MS), &reply);
    ck_check(c, rc == HX_ERR_REJECTED && reply && reply->sio.type == SIO_CONNECT_ERROR,
             ck_fmt(c, "an ERROR packet 44%s,... refusing the namespace", nsp), "%s",
             reply ? ck_item_desc(c, reply) : hx_session_reason(s));
    check_error_payload(c, reply, nsp);
    root_alive(c, s, "refusing one namespace leaves the connection");
}

static void forbidden(struct ck *c)
{
    refused(c, "/forbidden");
}

static void unknown_namespace(struct ck *c)
{
    refused(c, "/random");
}

/* ---- events and acks ----------------------------------------------------------- */

static void event_message(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", "[\"message\",1,\"2\",{\"3\":[true]}]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_EVENT && !it->sio.has_id, "an EVENT without ack id", "%s",
             ck_item_desc(c, it));
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",1,\"2\",{\"3\":[true]}]",
                  "message-back");
}

static void ack_message(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    uint64_t id = 0;
    ck_emit(c, s, "/", "[\"message-with-ack\",1,\"2\",{\"3\":[false]}]", &id);
    const struct hx_item *it = ck_wait_ack(c, s, "/", id, CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_ACK, "an ACK (type 3)", "%s", ck_item_desc(c, it));
    ck_check_json(c, it->json, "[1,\"2\",{\"3\":[false]}]", "ack data");
}

/* The spec's examples verbatim in shape: 2/custom,456[...] is answered
 * 3/custom,456[] (an ack without data). */
static void ack_namespace(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ck_msg(c, s, "2/custom,456[\"message-with-ack\"]");
    const struct hx_item *it = ck_wait_ack(c, s, "/custom", 456, CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_ACK, "3/custom,456[] (an ACK)", "%s", ck_item_desc(c, it));
    ck_check_json(c, it->json, "[]", "ack data");
}

/* The server asks for an ack and takes the client's ACK. */
static void server_ack(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", "[\"emit-with-ack\",\"x\"]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "emit-with-ack", CK_REPLY_MS);
    ck_check(c, it->sio.has_id, "the server's EVENT carries an ack id", "%s", ck_item_desc(c, it));
    int rc = hx_sio_ack(s, "/", it->sio.id, "[\"pong\"]", ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "could not send the ACK: %s", hx_session_reason(s));
    it = ck_wait_event(c, s, "/", "emit-with-ack-result", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"emit-with-ack-result\",\"pong\"]",
                  "the ack's data handed to the server's callback");
}

/* ---- binary ---------------------------------------------------------------------- */

static void binary_event(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", "[\"message\",{\"$binary\":\"AQID\"}]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_BINARY_EVENT && it->n_att == 1,
             "a BINARY_EVENT 51-[...] with one attachment", "%s (%zu attachment(s))",
             ck_item_desc(c, it), it->n_att);
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",{\"$binary\":\"AQID\"}]",
                  "message-back with the bytes 01 02 03");
}

static void binary_ack(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    uint64_t id = 0;
    ck_emit(c, s, "/", "[\"message-with-ack\",{\"$binary\":\"AQID\"},{\"$binary\":\"BAUG\"}]", &id);
    const struct hx_item *it = ck_wait_ack(c, s, "/", id, CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_BINARY_ACK && it->n_att == 2,
             "a BINARY_ACK 62-<id>[...] with two attachments", "%s (%zu attachment(s))",
             ck_item_desc(c, it), it->n_att);
    ck_check_json(c, it->json, "[{\"$binary\":\"AQID\"},{\"$binary\":\"BAUG\"}]", "ack data");
}

/* Namespace and ack id together with binary: 51-/custom,<id>[...] gets
 * 61-/custom,<id>[...]. */
static void binary_ack_custom(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    uint64_t id = 0;
    ck_emit(c, s, "/custom", "[\"message-with-ack\",{\"$binary\":\"AwIB\"}]", &id);
    const struct hx_item *it = ck_wait_ack(c, s, "/custom", id, CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_BINARY_ACK && it->n_att == 1,
             "a BINARY_ACK 61-/custom,<id>[...] with one attachment", "%s (%zu attachment(s))",
             ck_item_desc(c, it), it->n_att);
    ck_check_json(c, it->json, "[{\"$binary\":\"AwIB\"}]", "ack data on /custom");
}

/* ---- disconnect -------------------------------------------------------------------- */

/* 41/custom, : nothing comes back, "/" keeps working. */
static void disconnect_client(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    int rc = hx_sio_disconnect(s, "/custom", ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "could not send 41/custom,: %s", hx_session_reason(s));
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_SIO), .nsp = "/custom"};
    ck_expect_none(c, s, &m, 300, "answer to a DISCONNECT on /custom");
    root_alive(c, s, "leaving /custom leaves the connection");
}

/* disconnect-me: the server sends DISCONNECT for "/" and the Engine.IO
 * session stays open. */
static void disconnect_server(struct ck *c)
{
    struct hx_session *s =
        ck_connect(c, &(struct ck_sopt){.hb = HX_HB_MANUAL, .queue_control = true});
    ck_emit(c, s, "/", "[\"disconnect-me\"]", NULL);
    const struct hx_item *it = ck_wait_sio(c, s, SIO_DISCONNECT, "/", CK_REPLY_MS);
    ck_check(c, it->sio.data.len == 0 && !it->sio.has_id, "41 without payload or ack id", "%s",
             ck_item_desc(c, it));
    int rc = hx_eio_send(s, EIO_PING, NULL, 0, false, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "the Engine.IO session still open after the DISCONNECT", "%s",
             hx_session_reason(s));
    ck_wait(c, s, &(struct hx_match){.eio_types = HX_TYPE(EIO_PONG)}, CK_REPLY_MS,
            "a pong: the Engine.IO session still open after the DISCONNECT");
}

/* ---- undecodable packets --------------------------------------------------------------- */

static void invalid_type(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "abc");
    ck_expect_closed(c, s, 800, "Socket.IO packet type a does not exist");
}

static void invalid_event_payload(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "2{}");
    ck_expect_closed(c, s, 800, "an EVENT payload must be an array");
}

static void invalid_orphan_attachment(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    static const uint8_t bin[] = {4, 1, 2, 3};
    ck_raw(c, s, bin, sizeof(bin), true);
    ck_expect_closed(c, s, 800, "a binary attachment without a BINARY_EVENT header");
}

/* ---- the table ------------------------------------------------------------------------- */

static const struct ck_case cases[] = {
    {.id = "sio4.connect.implicit-root",
     .title = "the server connects / on its own",
     .req = "Right after the Engine.IO open the server sends CONNECT for / (40, no payload) "
            "without waiting for the client, before anything else on /.",
     .spec = "sio4:connect-default:1,sio4:packet-connect:1,sio4:packet-connect:2,sio4:examples:1,"
             "sio4:sample-session:1,sio4:version:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "connect,smoke",
     .run = implicit_root},
    {.id = "sio4.connect.root-first",
     .title = "the CONNECT for / comes before any other namespace",
     .req = "A client that asks for /custom straight after the handshake still gets the CONNECT "
            "for / first, then the one for /custom.",
     .spec = "sio4:connect-default:2,sio4:connect-default:1,sio4:connect:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "connect,namespace",
     .run = root_first},
    {.id = "sio4.connect.duplicate-root",
     .title = "a client CONNECT for / (reference: closes)",
     .req = "A v4 client does not answer the server's CONNECT for /; the reference closes a "
            "connection whose client sends 40 anyway.",
     .spec = "ref:v3-sio:1,sio4:connect-default:3",
     .level = CK_INFO,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "connect,errors",
     .run = duplicate_root},
    {.id = "sio4.connect.query-auth",
     .title = "40/custom?token=abc, joins with the query as auth",
     .req = "A CONNECT for /custom carrying a query string is accepted with a CONNECT for "
            "/custom without payload, and the query reaches the application as auth.",
     .spec = "sio4:packet-connect:3,sio4:connect:1,sio4:sample-session:5,sio4:examples:2,"
             "sio4:packet-connect:2,sio4:encoding:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "connect,namespace",
     .run = custom_query_auth},
    {.id = "sio4.connect.forbidden",
     .title = "a refused namespace gets an ERROR packet",
     .req = "A namespace whose middleware refuses the client is answered with an ERROR packet for "
            "it carrying the reason, and the connection stays usable.",
     .spec = "sio4:packet-error:1,sio4:packet-error:2,sio4:connect:2,sio4:examples:7,ref:v3-sio:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "connect,namespace,errors",
     .run = forbidden},
    {.id = "sio4.connect.unknown-namespace",
     .title = "an unknown namespace gets an ERROR packet",
     .req = "A CONNECT for a namespace that does not exist is answered with an ERROR packet for "
            "it, and the connection stays usable.",
     .spec = "sio4:packet-error:1,sio4:connect:2,ref:v3-sio:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "connect,namespace,errors",
     .run = unknown_namespace},
    {.id = "sio4.event.message",
     .title = "events both ways",
     .req = "An EVENT reaches the application and the application's EVENT reaches the client "
            "(42[...] in the revision 3 framing of the transport).",
     .spec = "sio4:packet-event:1,sio4:packet-event:2,sio4:examples:4,sio4:encoding:2,"
             "sio4:encoding:3,sio4:encoding:6,sio4:encoding:8,sio4:packet:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "event,smoke",
     .run = event_message},
    {.id = "sio4.ack.message-with-ack",
     .title = "an EVENT with an id is acknowledged",
     .req = "An EVENT with an ack id is answered with an ACK carrying the same id and the "
            "application's data.",
     .spec = "sio4:ack:1,sio4:packet-ack:1,sio4:packet-ack:2,sio4:encoding:7,sio4:packet-event:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "ack",
     .run = ack_message},
    {.id = "sio4.ack.namespace",
     .title = "2/custom,456[...] is answered 3/custom,456[]",
     .req = "An EVENT on a namespace with an ack id is acknowledged on that namespace with the "
            "same id, here with empty data.",
     .spec = "sio4:examples:5,sio4:examples:6,sio4:ack:1,sio4:encoding:5,sio4:encoding:7",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "ack,namespace",
     .run = ack_namespace},
    {.id = "sio4.ack.server-request",
     .title = "the server's ack request is answered by the client",
     .req = "The server may send an EVENT with an ack id and hands the client's ACK data to the "
            "application.",
     .spec = "sio4:ack:2,sio4:packet-ack:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "ack",
     .run = server_ack},
    {.id = "sio4.binary.event",
     .title = "binary event with one attachment",
     .req = "A BINARY_EVENT's attachment reaches the application as binary and comes back as a "
            "BINARY_EVENT with a placeholder and the same bytes.",
     .spec = "sio4:packet-binary-event:1,sio4:packet-binary-event:2,sio4:examples:8,"
             "sio4:encoding:4,sio4:encoding:9",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "binary,event",
     .run = binary_event},
    {.id = "sio4.binary.ack",
     .title = "binary ack with two attachments",
     .req = "An ack whose data holds binary goes out as BINARY_ACK with the ack id, placeholders "
            "in order and both attachments.",
     .spec = "sio4:packet-binary-ack:1,sio4:packet-binary-ack:2,sio4:ack:1,sio4:encoding:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "binary,ack",
     .run = binary_ack},
    {.id = "sio4.binary.ack-namespace",
     .title = "binary event and ack on /custom",
     .req = "Namespace, ack id and attachment combine: 51-/custom,<id>[...] is answered "
            "61-/custom,<id>[...] with the attachment.",
     .spec = "sio4:examples:9,sio4:examples:10,sio4:sample-session:6,sio4:encoding:5,"
             "sio4:encoding:7",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "binary,ack,namespace",
     .run = binary_ack_custom},
    {.id = "sio4.disconnect.client",
     .title = "client DISCONNECT leaves one namespace silently",
     .req = "The server sends nothing in answer to a DISCONNECT for /custom and keeps the "
            "connection and / working.",
     .spec = "sio4:disconnect:1,sio4:disconnect:2,sio4:examples:3,sio4:packet-disconnect:1,"
             "sio4:packet-disconnect:2,ref:v3-sio:4",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "disconnect,namespace",
     .run = disconnect_client},
    {.id = "sio4.disconnect.server",
     .title = "server DISCONNECT (disconnect-me)",
     .req = "When the application disconnects the socket the server sends DISCONNECT (41, no "
            "payload) and the Engine.IO session stays open.",
     .spec = "sio4:disconnect:1,sio4:packet-disconnect:1,sio4:packet-disconnect:2,ref:v3-sio:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO4,
     .tags = "disconnect",
     .run = disconnect_server},
    {.id = "sio4.invalid.unknown-type",
     .title = "unknown packet type closes the connection",
     .req = "A Socket.IO packet whose type is not a digit 0-6 closes the Engine.IO connection.",
     .spec = "ref:v3-sio:2,sio4:encoding:3",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "errors",
     .run = invalid_type},
    {.id = "sio4.invalid.event-payload",
     .title = "an EVENT whose payload is not an array closes",
     .req = "An EVENT whose payload is not a JSON array closes the Engine.IO connection.",
     .spec = "ref:v3-sio:2,sio4:packet-event:2",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "errors",
     .run = invalid_event_payload},
    {.id = "sio4.invalid.orphan-attachment",
     .title = "a binary attachment without header closes",
     .req = "A binary message that no BINARY_EVENT or BINARY_ACK announced closes the Engine.IO "
            "connection.",
     .spec = "ref:v3-sio:2,sio4:encoding:9",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "errors,binary",
     .run = invalid_orphan_attachment},
};

CK_GROUP(ck_group_sio4, "sio4",
         "Socket.IO v4 over Engine.IO v3: implicit / connection, query "
         "auth, ERROR refusals, events, acks, binary, disconnect",
         cases);
