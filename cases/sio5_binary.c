/*
 * sio5_binary.c - Socket.IO v5 binary attachments: BINARY_EVENT and
 * BINARY_ACK with 1..10 attachments echoed through the contract (binaries
 * stay binary: attachments, never base64 strings or number arrays),
 * placeholder numbering, and attachments out of sequence, which a server
 * must close on (socket.io-protocol v5 §Packet encoding; protocol-notes
 * §2.3-2.4, §2.8 S21-S26 and S30). The attachment-count and placeholder
 * inputs of CVE-2022-2421, CVE-2026-33151 and CVE-2026-69185 (4511-, 450-,
 * num "splice" or out of range) are the cve group's cases.
 */
#include "cases/ck.h"

#include <string.h>

#define PH(n) "{\"_placeholder\":true,\"num\":" #n "}"

/* Base64 of |n| bytes, owned by the case. */
static const char *b64(struct ck *c, const void *p, size_t n)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    if (cdc_b64_encode(p, n, &b) != CDC_OK) {
        cdc_buf_free(&b);
        ck_error(c, "cannot encode %zu bytes as base64", n);
    }
    const char *out = ck_str(c, (struct cdc_span){b.p, b.len}, false);
    cdc_buf_free(&b);
    return out;
}

/* Sends a binary packet byte for byte: Socket.IO header text |hdr| (without
 * the Engine.IO "4") and |n| attachments. Polling: one POST body with each
 * attachment as b<base64>; WebSocket: the text message, then one binary
 * message per attachment. |hdr| NULL sends the attachments alone. Returns
 * the first failing harness status (HX_OK when all went out). */
static int send_raw_binary(struct ck *c, struct hx_session *s, const char *hdr,
                           const struct cdc_span *att, size_t n)
{
    if (ck_tp(c) == HX_TP_WS) {
        int rc = HX_OK;
        if (hdr) {
            const char *t = ck_fmt(c, "4%s", hdr);
            rc = ck_raw(c, s, t, strlen(t), false);
        }
        for (size_t i = 0; i < n && rc == HX_OK; i++)
            rc = ck_raw(c, s, att[i].p, att[i].len, true);
        return rc;
    }
    const char *body = hdr ? ck_fmt(c, "4%s", hdr) : "";
    for (size_t i = 0; i < n; i++)
        body = ck_fmt(c, "%s%sb%s", body, body[0] ? "\x1e" : "", b64(c, att[i].p, att[i].len));
    return ck_raw(c, s, body, strlen(body), false);
}

static void send_raw_ok(struct ck *c, struct hx_session *s, const char *hdr,
                        const struct cdc_span *att, size_t n)
{
    int rc = send_raw_binary(c, s, hdr, att, n);
    if (rc != HX_OK)
        ck_error(c, "could not send the binary packet %s: %s (%s)", hdr ? hdr : "(none)",
                 hx_status_name(rc), hx_session_reason(s));
}

/* Sends |hdr| plus attachments that the server must refuse on a session
 * joined to / and /custom, then the probe 42/custom,["message","probe"],
 * and expects the connection closed. A send that fails because the server
 * already closed counts as closed; an echo of the probe proves the bad input
 * was processed and the connection kept. For a header announcing more
 * attachments than sent, the probe is the text that arrives while they are
 * awaited. */
static void expect_refused(struct ck *c, const char *hdr, const struct cdc_span *att, size_t n,
                           const char *why)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    int rc = send_raw_binary(c, s, hdr, att, n);
    if (rc != HX_OK && !hx_session_closed(s) && rc != HX_ERR_HTTP_STATUS)
        ck_error(c, "could not send %s: %s (%s)", hdr ? hdr : "the attachment", hx_status_name(rc),
                 hx_session_reason(s));
    static const char probe[] = "42/custom,[\"message\",\"probe\"]";
    ck_raw(c, s, probe, sizeof(probe) - 1, false);
    const char *exp = ck_fmt(c, "the server closes the connection (%s)", why);
    struct hx_match m = hx_match_event("/custom", "message-back");
    const struct hx_item *echo = ck_try_wait(c, s, &m, CK_REPLY_MS);
    if (!echo && !ck_closes_within(c, s, 0))
        ck_fail(c, exp, "neither a close nor an answer to the next event within %u ms",
                ck_ms(c, CK_REPLY_MS));
    if (echo && !ck_closes_within(c, s, ck_ping_interval(c)))
        ck_fail(c, exp, "the server answered the next event and kept the connection open");
}

/* The data of |it| (placeholders) without a recovery offset. */
static struct cdc_span placeholders(struct ck *c, const struct hx_item *it)
{
    struct hx_item tmp = *it;
    tmp.json = it->sio.data;
    return ck_event_data(c, &tmp);
}

/* |it| is a binary packet of |type| with |n| attachments whose contents are
 * |att| and whose data with binaries as {"$binary":...} is |json|. */
static void check_binary(struct ck *c, const struct hx_item *it, enum sio_type type, size_t n,
                         const struct cdc_span *att, const char *json)
{
    const char *tname = sio_type_name((int)type, 5);
    ck_check(c, it->sio.type == type && it->n_att == n,
             ck_fmt(c, "a %s with %zu binary attachment(s)", tname, n), "%s with %zu attachment(s)",
             ck_item_desc(c, it), it->n_att);
    for (size_t i = 0; att && i < n; i++)
        ck_check(c,
                 it->att[i].len == att[i].len &&
                     (att[i].len == 0 || memcmp(it->att[i].p, att[i].p, att[i].len) == 0),
                 ck_fmt(c, "attachment %zu as sent: %zu bytes \"%s\"", i, att[i].len,
                        ck_str(c, att[i], true)),
                 "attachment %zu: %zu bytes \"%s\"", i, it->att[i].len,
                 ck_str(c, it->att[i], true));
    struct cdc_span got = type == SIO_BINARY_EVENT ? ck_event_data(c, it) : it->json;
    ck_check_json(c, got, json, ck_fmt(c, "%s data", tname));
}

static const uint8_t B1[] = {1, 2, 3}, B2[] = {4, 5, 6};
static const struct cdc_span TWO[] = {{B1, 3}, {B2, 3}};

/* One binary argument through the harness's encoder. */
static void one(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", "[\"message\",{\"$binary\":\"AQID\"}]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, 1, TWO, "[\"message-back\",{\"$binary\":\"AQID\"}]");
}

/* Official suite: 452-["message",<ph 0>,<ph 1>] + 01 02 03 + 04 05 06. */
static void official_two(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    send_raw_ok(c, s, "52-[\"message\"," PH(0) "," PH(1) "]", TWO, 2);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, 2, TWO,
                 "[\"message-back\",{\"$binary\":\"AQID\"},{\"$binary\":\"BAUG\"}]");
    ck_check_json(c, placeholders(c, it), "[\"message-back\"," PH(0) "," PH(1) "]", "placeholders");
}

/* Ten attachments, the reference's default limit. */
static void ten(struct ck *c)
{
    enum { N = 10 };
    uint8_t bytes[N][4];
    struct cdc_span att[N];
    const char *args = "";
    for (int i = 0; i < N; i++) {
        bytes[i][0] = (uint8_t)i;
        bytes[i][1] = (uint8_t)(0xf0 + i);
        bytes[i][2] = 0;
        bytes[i][3] = (uint8_t)(0xff - i);
        att[i] = (struct cdc_span){bytes[i], (size_t)(1 + i % 4)};
        args = ck_fmt(c, "%s,{\"$binary\":\"%s\"}", args, b64(c, att[i].p, att[i].len));
    }
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", ck_fmt(c, "[\"message\"%s]", args), NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, N, att, ck_fmt(c, "[\"message-back\"%s]", args));
}

/* Binaries deep inside objects and arrays, between plain values. */
static void mixed_nested(struct ck *c)
{
    static const uint8_t z[] = {0, 0xff, 0x1e, 'b', 0x80};
    const char *args =
        ck_fmt(c,
               "1,{\"$binary\":\"AQID\"},\"test\",{\"a\":{\"b\":[null,{\"$binary\":\"BAUG\"}]}},"
               "[[{\"k\":{\"$binary\":\"%s\"}}]],{\"_placeholder\":\"not a placeholder\"}",
               b64(c, z, sizeof(z)));
    struct cdc_span att[] = {{B1, 3}, {B2, 3}, {z, sizeof(z)}};
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", ck_fmt(c, "[\"message\",%s]", args), NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, 3, att, ck_fmt(c, "[\"message-back\",%s]", args));
}

/* S30: placeholders that arrive as num 1, num 0 leave renumbered in order of
 * appearance, with the attachments reordered to match. */
static void renumber(struct ck *c)
{
    static const uint8_t a1[] = {1}, a2[] = {2};
    struct cdc_span in[] = {{a1, 1}, {a2, 1}}, out[] = {{a2, 1}, {a1, 1}};
    struct hx_session *s = ck_connect(c, NULL);
    send_raw_ok(c, s, "52-3[\"message-with-ack\"," PH(1) "," PH(0) "]", in, 2);
    const struct hx_item *it = ck_wait_ack(c, s, "/", 3, CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_ACK, 2, out, "[{\"$binary\":\"Ag==\"},{\"$binary\":\"AQ==\"}]");
    ck_check_json(c, it->sio.data, "[" PH(0) "," PH(1) "]",
                  "placeholders numbered in order of appearance:");
}

/* Official suite: 452-789["message-with-ack",<ph 0>,<ph 1>] + 2 binaries. */
static void ack_official(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    send_raw_ok(c, s, "52-789[\"message-with-ack\"," PH(0) "," PH(1) "]", TWO, 2);
    const struct hx_item *it = ck_wait_ack(c, s, "/", 789, CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_ACK, 2, TWO, "[{\"$binary\":\"AQID\"},{\"$binary\":\"BAUG\"}]");
    ck_check_json(c, it->sio.data, "[" PH(0) "," PH(1) "]", "BINARY_ACK placeholders");
}

/* 52-/custom,[...] and a binary ack on /custom (461-/custom,<id>[...]). */
static void custom_nsp(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_join(c, s, "/custom", NULL);
    send_raw_ok(c, s, "52-/custom,[\"message\"," PH(0) "," PH(1) "]", TWO, 2);
    const struct hx_item *it = ck_wait_event(c, s, "/custom", "message-back", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, 2, TWO,
                 "[\"message-back\",{\"$binary\":\"AQID\"},{\"$binary\":\"BAUG\"}]");
    uint64_t id = 0;
    ck_emit(c, s, "/custom", "[\"message-with-ack\",{\"$binary\":\"BAUG\"}]", &id);
    it = ck_wait_ack(c, s, "/custom", id, CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_ACK, 1, TWO + 1, "[{\"$binary\":\"BAUG\"}]");
}

/* The server's own request with a binary argument, answered by a plain ACK. */
static void server_event_plain_ack(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", "[\"emit-with-ack\",{\"$binary\":\"AQID\"},\"x\"]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "emit-with-ack", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, 1, TWO,
                 "[\"emit-with-ack\",{\"$binary\":\"AQID\"},\"x\"]");
    ck_check(c, it->sio.has_id, "a BINARY_EVENT with an ack id", "%s", ck_item_desc(c, it));
    ck_ok(c, s, hx_sio_ack(s, "/", it->sio.id, "[\"plain\"]", ck_in(c, CK_REPLY_MS)),
          "sending the ACK");
    it = ck_wait_event(c, s, "/", "emit-with-ack-result", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"emit-with-ack-result\",\"plain\"]",
                  "the plain ACK's arguments:");
}

/* The client answers the server's request with a BINARY_ACK. */
static void client_binary_ack(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, "/", "[\"emit-with-ack\",\"x\"]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "emit-with-ack", CK_REPLY_MS);
    ck_check(c, it->sio.has_id, "an EVENT with an ack id", "%s", ck_item_desc(c, it));
    ck_ok(c, s,
          hx_sio_ack(s, "/", it->sio.id, "[{\"$binary\":\"BAUG\"},\"y\"]", ck_in(c, CK_REPLY_MS)),
          "sending the BINARY_ACK");
    it = ck_wait_event(c, s, "/", "emit-with-ack-result", CK_REPLY_MS);
    check_binary(c, it, SIO_BINARY_EVENT, 1, TWO + 1,
                 "[\"emit-with-ack-result\",{\"$binary\":\"BAUG\"},\"y\"]");
}

/* ---- malformed binary packets ---------------------------------------------- */

/* S25: a binary message without a binary packet announcing it. */
static void no_header(struct ck *c)
{
    expect_refused(c, NULL, TWO, 1, "binary data when no attachment is awaited");
}

/* S24: a text packet while the second of two attachments is awaited. */
static void text_while_awaiting(struct ck *c)
{
    expect_refused(c, "52-[\"message\"," PH(0) "," PH(1) "]", TWO, 1,
                   "text while the second attachment is awaited");
}

static const struct ck_case cases[] = {
    {.id = "sio5.binary.one",
     .title = "a binary argument comes back binary",
     .req = "An event with one binary argument is echoed as a BINARY_EVENT whose attachment holds "
            "the same bytes.",
     .spec = "sio5:event:5,ref:sio5-events-binary:1,sio5:encoding-event:3,sio5:packet:7",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,event,smoke",
     .run = one},
    {.id = "sio5.binary.official-two",
     .title = "two attachments, byte for byte",
     .req = "452-[\"message\",<ph 0>,<ph 1>] with two attachments is echoed as 452-[\"message-back"
            "\",<ph 0>,<ph 1>] followed by the same two binaries.",
     .spec = "sio5:encoding-event:4,sio5:encoding:4,sio5:encoding:9,sio5:event:5,"
             "ref:sio5-events-binary:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,event",
     .origin = "Socket.IO protocol > message > should send a packet with binary attachments",
     .run = official_two},
    {.id = "sio5.binary.ten",
     .title = "ten attachments in one event",
     .req = "An event with ten binary arguments of different sizes is echoed with ten attachments "
            "in the same order.",
     .spec = "sio5:encoding:9,ref:sio5-events-binary:5,ref:sio5-events-binary:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,event,limits",
     .run = ten},
    {.id = "sio5.binary.mixed-nested",
     .title = "binaries nested among plain values",
     .req = "Binaries inside objects and arrays, next to plain values and a string-valued "
            "_placeholder key, come back in place and still binary.",
     .spec = "sio5:encoding:8,sio5:encoding:9,ref:sio5-events-binary:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,event",
     .run = mixed_nested},
    {.id = "sio5.binary.renumber",
     .title = "placeholders renumbered in order of appearance",
     .req = "Attachments referenced out of order are re-sent numbered 0, 1, ... in order of "
            "appearance with the binaries reordered to match.",
     .spec = "ref:sio5-events-binary:2,sio5:encoding-event:4,sio5:ack:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,ack",
     .run = renumber},
    {.id = "sio5.binary.ack-official",
     .title = "a binary ack, byte for byte",
     .req = "452-789[\"message-with-ack\",<ph 0>,<ph 1>] with two attachments is acknowledged by "
            "462-789[<ph 0>,<ph 1>] and the same two binaries.",
     .spec = "sio5:encoding-ack:3,sio5:ack:5,sio5:ack:2,sio5:packet:8",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,ack",
     .origin = "Socket.IO protocol > message > should send a packet with binary attachments and "
               "an ack",
     .run = ack_official},
    {.id = "sio5.binary.custom-nsp",
     .title = "binary events and acks on a custom namespace",
     .req = "Binary packets on /custom are answered on /custom (52-/custom,[...] and "
            "61-/custom,<id>[...]).",
     .spec = "sio5:encoding-event:4,sio5:sample-session:7,sio5:event:4,sio5:ack:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,namespace",
     .run = custom_nsp},
    {.id = "sio5.binary.server-event-plain-ack",
     .title = "the server's binary request takes a plain ACK",
     .req = "The server emits a BINARY_EVENT with an ack id and accepts a plain ACK as its "
            "answer.",
     .spec = "sio5:ack:5,sio5:ack:1,sio5:event:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,ack",
     .run = server_event_plain_ack},
    {.id = "sio5.binary.client-binary-ack",
     .title = "the server accepts a BINARY_ACK",
     .req = "A BINARY_ACK answering the server's request delivers its binary to the callback, "
            "which re-emits it as binary.",
     .spec = "sio5:ack:5,sio5:encoding-ack:3,ref:sio5-events-binary:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,ack",
     .run = client_binary_ack},
    {.id = "sio5.binary.no-header",
     .title = "a binary message without header closes",
     .req = "A binary message that no binary packet announced closes the connection.",
     .spec = "ref:sio5-events-binary:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,errors",
     .run = no_header},
    {.id = "sio5.binary.text-while-awaiting",
     .title = "text while attachments are awaited closes",
     .req = "A text packet arriving before all announced attachments closes the connection.",
     .spec = "ref:sio5-events-binary:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "binary,errors",
     .run = text_while_awaiting},
};

CK_GROUP(ck_group_sio5_binary, "sio5.binary", "Socket.IO v5 binary attachments", cases);
