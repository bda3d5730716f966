/*
 * sio5_ack.c - Socket.IO v5 acknowledgements both ways. Client to server:
 * the contract's `message-with-ack` answers with the event's own arguments
 * under the event's id. Server to client: `emit-with-ack` makes the server
 * emit with an id of its choice, and the client's ACK comes back as
 * `emit-with-ack-result` (socket.io-protocol v5 §Acknowledgement;
 * protocol-notes §2.6, §2.8 S12-S15; testee contract §4).
 */
#include "cases/ck.h"

#include <inttypes.h>

/* Sends `message-with-ack` with |args| as Socket.IO text |pkt_prefix| (type,
 * namespace and id as they go on the wire, e.g. "2/custom,7") and checks the
 * plain ACK with |id| on |nsp| carrying exactly |args|. */
static void ack_roundtrip(struct ck *c, struct hx_session *s, const char *nsp,
                          const char *pkt_prefix, uint64_t id, const char *args)
{
    const char *sep = args[0] ? "," : "";
    ck_msg(c, s, ck_fmt(c, "%s[\"message-with-ack\"%s%s]", pkt_prefix, sep, args));
    const struct hx_item *it = ck_wait_ack(c, s, nsp, id, CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_ACK && it->sio.data.len > 0,
             ck_fmt(c, "a plain ACK (type 3) with id %" PRIu64 " and an array payload", id), "%s",
             ck_item_desc(c, it));
    ck_check_json(c, it->json, ck_fmt(c, "[%s]", args), "ACK payload exactly the arguments:");
}

/* The event the contract answers: `emit-with-ack` sent by the server with an
 * ack id; returns it. */
static const struct hx_item *server_ask(struct ck *c, struct hx_session *s, const char *nsp,
                                        const char *args)
{
    ck_emit(c, s, nsp, ck_fmt(c, "[\"emit-with-ack\",%s]", args), NULL);
    const struct hx_item *it = ck_wait_event(c, s, nsp, "emit-with-ack", CK_REPLY_MS);
    ck_check(c, it->sio.type == SIO_EVENT && it->sio.has_id,
             "emit-with-ack sent back as an EVENT with an ack id (any non-negative integer)", "%s",
             ck_item_desc(c, it));
    ck_check_json(c, ck_event_data(c, it), ck_fmt(c, "[\"emit-with-ack\",%s]", args),
                  "the server's event with the same arguments:");
    return it;
}

static void client_ack(struct ck *c, struct hx_session *s, const char *nsp, uint64_t id,
                       const char *args)
{
    ck_ok(c, s, hx_sio_ack(s, nsp, id, args, ck_in(c, CK_REPLY_MS)), "sending the ACK");
}

static void expect_result(struct ck *c, struct hx_session *s, const char *nsp, const char *args)
{
    const struct hx_item *it = ck_wait_event(c, s, nsp, "emit-with-ack-result", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), ck_fmt(c, "[\"emit-with-ack-result\",%s]", args),
                  "emit-with-ack-result with the client's ACK arguments:");
}

/* Official suite: 42456["message-with-ack",1,"2",{"3":[false]}]. */
static void plain(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ack_roundtrip(c, s, "/", "2456", 456, "1,\"2\",{\"3\":[false]}");
}

static void id_small(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ack_roundtrip(c, s, "/", "20", 0, "\"zero\"");
    ack_roundtrip(c, s, "/", "21", 1, "\"one\"");
}

/* Ids past 32 bits and up to the largest integer a double holds exactly. */
static void id_large(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ack_roundtrip(c, s, "/", "22147483648", 2147483648u, "\"2^31\"");
    ack_roundtrip(c, s, "/", "24294967296", 4294967296u, "\"2^32\"");
    ack_roundtrip(c, s, "/", "29007199254740991", 9007199254740991u, "\"2^53-1\"");
}

/* S12: an ack without arguments is the empty array, never no payload. */
static void empty(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ack_roundtrip(c, s, "/", "27", 7, "");
}

/* Every JSON type passes through the ack unchanged. */
static void args_exact(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ack_roundtrip(c, s, "/", "2900", 900,
                  "null,true,false,0,-1.5,1e21,\"\",[],{},\"\xe2\x82\xac\\u00e9\","
                  "{\"__proto__\":{\"x\":1},\"a\":[1,{\"b\":null}]}");
}

/* Acks on a custom namespace carry the namespace (3/custom,<id>[...]). */
static void custom_nsp(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ack_roundtrip(c, s, "/custom", "2/custom,12", 12, "\"x\",{\"y\":[1]}");
}

/* An event without id gets no ACK: the echo of a later message comes first
 * and nothing follows. */
static void not_requested(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "2[\"message-with-ack\",\"no id\"]");
    ck_msg(c, s, "2[\"message\",\"marker\"]");
    struct hx_match any = hx_match_kind(HX_ITEM_SIO);
    const struct hx_item *it = ck_wait(c, s, &any, CK_REPLY_MS, "message-back \"marker\"");
    ck_check(c, it->sio.type == SIO_EVENT, "no ACK for an event without id; then message-back",
             "%s", ck_item_desc(c, it));
    ck_expect_none(c, s, &any, ck_ping_interval(c) / 2, "ACK for an event without id");
}

/* Contract §4: an id on another event MAY get an empty ACK or none. */
static void other_event_id(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "23[\"message\",\"x\"]");
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",\"x\"]", "message-back:");
    struct hx_match m = hx_match_ack("/", 3);
    const struct hx_item *ack = ck_try_wait(c, s, &m, ck_ping_interval(c) / 2);
    if (!ack) {
        ck_note(c, "no ACK for id 3");
        return;
    }
    ck_check(c, ack->sio.type == SIO_ACK && hx_json_eq(ack->json, ck_span("[]")),
             "no ACK, or the ACK 3[] without arguments", "%s", ck_item_desc(c, ack));
    ck_note(c, "ACK 3[]");
}

/* The server asks for an ack and forwards the client's answer. */
static void server_ack(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    const struct hx_item *ask = server_ask(c, s, "/", "\"x\",2");
    uint64_t id = ask->sio.id;
    client_ack(c, s, "/", id, "[\"pong\",1,{\"a\":[true]}]");
    expect_result(c, s, "/", "\"pong\",1,{\"a\":[true]}");
    ck_note(c, "server ack id %" PRIu64, id);
}

/* On /custom the server's request and the client's ACK use /custom. */
static void server_ack_custom(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    const struct hx_item *ask = server_ask(c, s, "/custom", "\"y\"");
    client_ack(c, s, "/custom", ask->sio.id, "[\"custom pong\"]");
    expect_result(c, s, "/custom", "\"custom pong\"");
}

/* Two outstanding requests get distinct ids and answers are routed by id,
 * whatever order they come in. */
static void server_ack_ids(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    const struct hx_item *a = server_ask(c, s, "/", "\"first\"");
    const struct hx_item *b = server_ask(c, s, "/", "\"second\"");
    uint64_t ia = a->sio.id, ib = b->sio.id;
    ck_check(c, ia != ib, "distinct ack ids for two pending requests",
             "both requests used id %" PRIu64, ia);
    client_ack(c, s, "/", ib, "[\"answer to second\"]");
    expect_result(c, s, "/", "\"answer to second\"");
    client_ack(c, s, "/", ia, "[\"answer to first\"]");
    expect_result(c, s, "/", "\"answer to first\"");
}

/* S15: ACKs the server never asked for are dropped silently. */
static void unknown_id(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    ck_msg(c, s, "399[\"nobody asked\"]");
    ck_msg(c, s, "3[]");
    ck_msg(c, s, "3/custom,5[]");
    ck_expect_open(c, s, 100, "an unsolicited ACK is ignored");
    ck_msg(c, s, "2[\"message\",\"marker\"]");
    struct hx_match any = hx_match_kind(HX_ITEM_SIO);
    const struct hx_item *it = ck_wait(c, s, &any, CK_REPLY_MS, "message-back \"marker\"");
    ck_check(c,
             it->sio.type == SIO_EVENT &&
                 hx_json_eq(ck_event_data(c, it), ck_span("[\"message-back\",\"marker\"]")),
             "nothing in answer to unsolicited ACKs; then message-back", "%s", ck_item_desc(c, it));
}

/* An ack is consumed once: a second ACK with the same id is ignored. */
static void duplicate(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    const struct hx_item *ask = server_ask(c, s, "/", "\"once\"");
    uint64_t id = ask->sio.id;
    client_ack(c, s, "/", id, "[\"a\"]");
    client_ack(c, s, "/", id, "[\"b\"]");
    expect_result(c, s, "/", "\"a\"");
    ck_emit(c, s, "/", "[\"message\",\"marker\"]", NULL);
    struct hx_match any = hx_match_kind(HX_ITEM_SIO);
    const struct hx_item *it = ck_wait(c, s, &any, CK_REPLY_MS, "message-back \"marker\"");
    ck_check(c,
             it->sio.type == SIO_EVENT &&
                 hx_json_eq(ck_event_data(c, it), ck_span("[\"message-back\",\"marker\"]")),
             "one emit-with-ack-result only; the repeated ACK ignored", "%s", ck_item_desc(c, it));
}

static const struct ck_case cases[] = {
    {.id = "sio5.ack.plain",
     .title = "an event with id is acknowledged with the same id",
     .req = "An EVENT carrying id 456 is answered by an ACK with id 456 whose array holds the "
            "handler's answer.",
     .spec = "sio5:ack:2,sio5:ack:3,sio5:encoding-ack:1,sio5:encoding:7,sio5:packet:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack,smoke",
     .origin = "Socket.IO protocol > message > should send a plain-text packet with an ack",
     .run = plain},
    {.id = "sio5.ack.id-small",
     .title = "ack ids 0 and 1",
     .req = "Ack id 0 is a valid id like any other, answered as 30[...] and 31[...].",
     .spec = "sio5:ack:2,sio5:ack:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = id_small},
    {.id = "sio5.ack.id-large",
     .title = "ack ids above 32 bits up to 2^53-1",
     .req = "Ack ids 2^31, 2^32 and 2^53-1 are echoed exactly in the ACK.",
     .spec = "ref:sio5-events-ack:1,sio5:ack:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack,limits",
     .run = id_large},
    {.id = "sio5.ack.empty",
     .title = "an ack without arguments is []",
     .req = "An acknowledgement without arguments still carries a payload: the empty array.",
     .spec = "sio5:ack:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = empty},
    {.id = "sio5.ack.args-exact",
     .title = "ack arguments are exactly the handler's",
     .req = "Every JSON type given to the ack callback reaches the client unchanged.",
     .spec = "sio5:ack:2,sio5:ack:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = args_exact},
    {.id = "sio5.ack.custom-nsp",
     .title = "acks on a custom namespace name it",
     .req = "An EVENT with id on /custom is acknowledged on /custom (3/custom,<id>[...]).",
     .spec = "sio5:encoding-ack:2,sio5:ack:2,sio5:encoding:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack,namespace",
     .run = custom_nsp},
    {.id = "sio5.ack.not-requested",
     .title = "no ACK for an event without id",
     .req = "The server sends an ACK only in answer to an event that carried an id.",
     .spec = "ref:sio5-events-ack:4,sio5:ack:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = not_requested},
    {.id = "sio5.ack.other-event-id",
     .title = "an id on an event without ack handler",
     .req = "An id on an event whose handler does not acknowledge gets either no ACK or an ACK "
            "with the empty array (contract §4).",
     .spec = "ref:sio5-events-ack:5,sio5:ack:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = other_event_id},
    {.id = "sio5.ack.server-request",
     .title = "the server requests an ack and gets the answer",
     .req = "The server emits with an ack id of its choice and hands the client's ACK arguments "
            "to the callback.",
     .spec = "sio5:ack:1,sio5:ack:2,sio5:encoding-ack:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack,smoke",
     .run = server_ack},
    {.id = "sio5.ack.server-request-custom",
     .title = "server ack requests on a custom namespace",
     .req = "On /custom the server's request carries /custom and the client's ACK on /custom "
            "reaches the callback.",
     .spec = "sio5:ack:4,sio5:encoding-ack:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack,namespace",
     .run = server_ack_custom},
    {.id = "sio5.ack.server-ids-distinct",
     .title = "pending server requests have distinct ids",
     .req = "Two requests pending at once use different ids, and ACKs answered in reverse order "
            "reach the right callbacks.",
     .spec = "ref:sio5-events-ack:6,sio5:ack:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = server_ack_ids},
    {.id = "sio5.ack.unknown-id",
     .title = "unsolicited ACKs are ignored",
     .req = "ACKs with an id the server never issued, or without id, are dropped without answer "
            "and without closing (reference behaviour).",
     .spec = "ref:sio5-events-ack:2",
     .level = CK_INFO,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack,errors",
     .run = unknown_id},
    {.id = "sio5.ack.duplicate",
     .title = "a second ACK for the same id is ignored",
     .req = "Once an ack id has been answered, another ACK with that id does not run the "
            "callback again.",
     .spec = "ref:sio5-events-ack:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "ack",
     .run = duplicate},
};

CK_GROUP(ck_group_sio5_ack, "sio5.ack", "Socket.IO v5 acknowledgements in both directions", cases);
