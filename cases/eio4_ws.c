/*
 * eio4_ws.c - Engine.IO v4 over WebSocket: one packet per message, text and
 * binary encodings, and the RFC 6455 layer underneath (fragments, control
 * frames, masking, RSV bits, UTF-8, size limit, close handshake)
 * (engine.io-protocol v4 §Transports > WebSocket, §Packet encoding >
 * WebSocket; protocol-notes §1.6, §5.9, observed E27-E32; official v4
 * tests #14-16).
 *
 * Every case drives a WebSocket-only session on a raw channel, so that the
 * exact frames the server sends (opcode, bytes, close code) are visible and
 * any frame can be sent. While a case waits for the end of a connection it
 * answers the server's Engine.IO pings: a close then comes from the input
 * under test, never from the heartbeat timeout (the official suite cannot
 * tell the two apart).
 */
#include "cases/ck.h"

#include <string.h>

#define WS_TARGET "{path}?EIO=4&transport=websocket"

/* ---- helpers --------------------------------------------------------------- */

/* Opens a WebSocket-only session on a raw channel of a fresh session and
 * takes its open packet; ERROR when either fails. */
static unsigned raw_open(struct ck *c, struct hx_session **out)
{
    struct hx_session *s = ck_session(c, &(struct ck_sopt){.sio = -1});
    unsigned ch = 0;
    int rc = ck_ws(c, s, WS_TARGET, true, &ch);
    if (rc != HX_OK)
        ck_error(c, "precondition: the WebSocket handshake failed: %s (%s)", hx_status_name(rc),
                 hx_session_reason(s));
    const struct hx_item *it = ck_ws_next(c, s, ch, CK_REPLY_MS);
    if (!it || it->kind != HX_ITEM_WS || !it->eio_ok || it->eio.type != EIO_OPEN)
        ck_error(c, "precondition: no open packet on the WebSocket: %s", ck_item_desc(c, it));
    *out = s;
    return ch;
}

static void raw_frame(struct ck *c, struct hx_session *s, unsigned ch, const struct hx_ws_out *f)
{
    int rc = hx_session_ws_send(s, ch, f);
    if (rc != HX_OK)
        ck_error(c, "cannot send a frame on the WebSocket: %s", hx_status_name(rc));
}

static void raw_text(struct ck *c, struct hx_session *s, unsigned ch, const char *text)
{
    ck_ws_send(c, s, ch, text, strlen(text), false);
}

/* The next message, control frame or end of |ch| before |until| (absolute),
 * answering Engine.IO pings on the way; NULL when nothing came. */
static const struct hx_item *raw_next(struct ck *c, struct hx_session *s, unsigned ch,
                                      uint64_t until)
{
    struct hx_match m = {
        .kinds = HX_KIND(HX_ITEM_WS) | HX_KIND(HX_ITEM_CLOSE) | HX_KIND(HX_ITEM_ERROR), .chan = ch};
    for (;;) {
        const struct hx_item *it = NULL;
        int rc = hx_session_wait(s, &m, until, &it);
        if (rc == HX_ERR_NOMEM || rc == HX_ERR_TOO_LARGE)
            ck_error(c, "harness limit while waiting: %s", hx_status_name(rc));
        if (rc != HX_OK)
            return NULL;
        if (it->kind == HX_ITEM_WS && it->opcode == HX_WS_TEXT && ck_eq(it->raw, "2")) {
            struct hx_ws_out pong = {
                .opcode = HX_WS_TEXT, .payload = (const uint8_t *)"3", .len = 1};
            hx_session_ws_send(s, ch, &pong); /* a failure shows as the channel's end */
            continue;
        }
        return it;
    }
}

static bool is_end(const struct hx_item *it)
{
    return it && (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR);
}

/* The next data message on |ch| within |ms| (WebSocket pongs skipped);
 * ck_fail naming |what| when the connection ends or nothing comes. */
static const struct hx_item *expect_msg(struct ck *c, struct hx_session *s, unsigned ch,
                                        uint32_t ms, const char *what)
{
    uint64_t until = ck_in(c, ms);
    for (;;) {
        const struct hx_item *it = raw_next(c, s, ch, until);
        if (it && it->kind == HX_ITEM_WS && it->opcode == HX_WS_PONG)
            continue;
        if (!it || is_end(it))
            ck_fail(c, what, "%s", it ? ck_item_desc(c, it) : "nothing within the window");
        return it;
    }
}

/* ck_fail unless |it| is a text frame with exactly |text|. */
static void expect_text(struct ck *c, const struct hx_item *it, const char *text, const char *exp)
{
    ck_check(c, it->opcode == HX_WS_TEXT && ck_eq(it->raw, text), exp, "%s", ck_item_desc(c, it));
}

/* ck_fail unless |it| is a binary frame with exactly the |n| bytes |p|. */
static void expect_binary(struct ck *c, const struct hx_item *it, const uint8_t *p, size_t n,
                          const char *exp)
{
    bool ok = it->opcode == HX_WS_BINARY && it->raw.len == n && memcmp(it->raw.p, p, n) == 0;
    if (!ok)
        ck_fail(c, exp, "%s frame of %zu bytes, first bytes %02x %02x",
                it->opcode == HX_WS_BINARY ? "binary" : "text", it->raw.len,
                it->raw.len > 0 ? it->raw.p[0] : 0, it->raw.len > 1 ? it->raw.p[1] : 0);
}

/* The end of |ch| within |ms| (pings answered, other messages skipped and
 * the first of them stored in |*other|), or NULL while it stays open. */
static const struct hx_item *wait_end(struct ck *c, struct hx_session *s, unsigned ch, uint32_t ms,
                                      const struct hx_item **other)
{
    uint64_t until = ck_in(c, ms);
    *other = NULL;
    for (;;) {
        const struct hx_item *it = raw_next(c, s, ch, until);
        if (!it || is_end(it))
            return it;
        if (!*other)
            *other = it;
    }
}

/* ck_fail unless |ch| ends within CK_REPLY_MS; returns the end item. */
static const struct hx_item *expect_end(struct ck *c, struct hx_session *s, unsigned ch,
                                        const char *exp)
{
    const struct hx_item *other = NULL;
    const struct hx_item *it = wait_end(c, s, ch, CK_REPLY_MS, &other);
    if (!it)
        ck_fail(c, exp, "the connection stayed open for %u ms (pings answered)%s%s",
                ck_ms(c, CK_REPLY_MS), other ? "; the server sent " : "",
                other ? ck_item_desc(c, other) : "");
    if (other)
        ck_note(c, "before the end the server sent %s", ck_item_desc(c, other));
    return it;
}

/* The close code of an end item, 0 when the connection failed without one. */
static unsigned end_code(const struct hx_item *it)
{
    return it->kind == HX_ITEM_CLOSE ? it->close_code : 0;
}

/* ---- Engine.IO packets in WebSocket frames ---------------------------------- */

static void text_echo(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, "4hello");
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "the echo 4hello");
    expect_text(c, it, "4hello", "a text frame 4hello");
}

static void binary_echo(struct ck *c)
{
    static const uint8_t data[] = {1, 2, 3, 4};
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    ck_ws_send(c, s, ch, data, sizeof(data), true);
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "the binary echo");
    expect_binary(c, it, data, sizeof(data),
                  "a binary frame 01 02 03 04 (raw bytes, no type byte)");
}

/* In v4 the first byte of a binary frame is data, not a packet type. */
static void binary_leading_four(struct ck *c)
{
    static const uint8_t data[] = {4, 1, 2, 3};
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    ck_ws_send(c, s, ch, data, sizeof(data), true);
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "the binary echo");
    expect_binary(c, it, data, sizeof(data),
                  "a binary frame 04 01 02 03 (the leading 04 is data in v4)");
}

/* A text frame b<base64>: the reference decodes it as a binary message. */
static void b64_text_binary(struct ck *c)
{
    static const uint8_t data[] = {1, 2, 3};
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, "bAQID");
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "an echo of bAQID");
    expect_binary(c, it, data, sizeof(data), "a binary frame 01 02 03 (reference)");
    ck_note(c, "%s", ck_item_desc(c, it));
}

static void utf8_text(struct ck *c)
{
    static const char text[] = "4caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e";
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, text);
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "the echo");
    expect_text(c, it, text, "the same UTF-8 text frame back");
}

static void message_no_data(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, "4");
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "an echo of 4");
    expect_text(c, it, "4", "a text frame 4 (reference)");
    ck_note(c, "%s", ck_item_desc(c, it));
}

/* Three frames sent back to back come back as three frames, in order. */
static void one_packet_per_frame(struct ck *c)
{
    static const char *const msgs[] = {"4one", "4two", "4three"};
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    for (size_t i = 0; i < 3; i++)
        raw_text(c, s, ch, msgs[i]);
    for (size_t i = 0; i < 3; i++) {
        const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "three echoed frames");
        expect_text(c, it, msgs[i],
                    ck_fmt(c, "frame %zu of the echo: exactly %s (one packet per frame, in order)",
                           i + 1, msgs[i]));
    }
}

/* A record separator inside a frame is data: frames are not payloads. */
static void separator_in_frame(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch,
             "4a\x1e"
             "4b");
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "the echo");
    expect_text(c, it,
                "4a\x1e"
                "4b",
                "one text frame 4a\\x1e4b (one message whose data holds 0x1E)");
}

/* ---- the WebSocket layer (RFC 6455) ----------------------------------------- */

static void fragmented_text(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(
        c, s, ch,
        &(struct hx_ws_out){
            .opcode = HX_WS_TEXT, .no_fin = true, .payload = (const uint8_t *)"4he", .len = 3});
    raw_frame(c, s, ch,
              &(struct hx_ws_out){
                  .opcode = HX_WS_CONT, .no_fin = true, .payload = (const uint8_t *)"l", .len = 1});
    raw_frame(
        c, s, ch,
        &(struct hx_ws_out){.opcode = HX_WS_CONT, .payload = (const uint8_t *)"lo", .len = 2});
    const struct hx_item *it =
        expect_msg(c, s, ch, CK_REPLY_MS, "the echo of the reassembled message");
    expect_text(c, it, "4hello", "one text frame 4hello (three fragments reassembled)");
}

static void fragmented_binary(struct ck *c)
{
    static const uint8_t a[] = {1, 2}, b[] = {3, 4}, all[] = {1, 2, 3, 4};
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(c, s, ch,
              &(struct hx_ws_out){.opcode = HX_WS_BINARY, .no_fin = true, .payload = a, .len = 2});
    raw_frame(c, s, ch, &(struct hx_ws_out){.opcode = HX_WS_CONT, .payload = b, .len = 2});
    const struct hx_item *it =
        expect_msg(c, s, ch, CK_REPLY_MS, "the echo of the reassembled message");
    expect_binary(c, it, all, sizeof(all),
                  "one binary frame 01 02 03 04 (two fragments reassembled)");
}

/* A ping between the fragments of a message is answered, and the message
 * is still reassembled. */
static void control_interleaved(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(
        c, s, ch,
        &(struct hx_ws_out){
            .opcode = HX_WS_TEXT, .no_fin = true, .payload = (const uint8_t *)"4he", .len = 3});
    raw_frame(
        c, s, ch,
        &(struct hx_ws_out){.opcode = HX_WS_PING, .payload = (const uint8_t *)"mid", .len = 3});
    raw_frame(
        c, s, ch,
        &(struct hx_ws_out){.opcode = HX_WS_CONT, .payload = (const uint8_t *)"llo", .len = 3});
    bool pong = false, echo = false;
    uint64_t until = ck_in(c, CK_REPLY_MS);
    while (!(pong && echo)) {
        const struct hx_item *it = raw_next(c, s, ch, until);
        const char *exp = "a pong \"mid\" and one text frame 4hello";
        if (!it || is_end(it))
            ck_fail(c, exp, "%s after %s, %s", it ? ck_item_desc(c, it) : "nothing more",
                    pong ? "the pong" : "no pong", echo ? "the echo" : "no echo");
        if (it->opcode == HX_WS_PONG) {
            ck_check(c, ck_eq(it->raw, "mid"), exp, "a pong with \"%s\"", ck_str(c, it->raw, true));
            pong = true;
        } else {
            expect_text(c, it, "4hello", exp);
            echo = true;
        }
    }
}

static void ws_ping(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(
        c, s, ch,
        &(struct hx_ws_out){.opcode = HX_WS_PING, .payload = (const uint8_t *)"siospec", .len = 7});
    const struct hx_item *it = raw_next(c, s, ch, ck_in(c, CK_REPLY_MS));
    ck_check(c,
             it && it->kind == HX_ITEM_WS && it->opcode == HX_WS_PONG && ck_eq(it->raw, "siospec"),
             "a WebSocket pong frame carrying \"siospec\"", "%s", ck_item_desc(c, it));
}

/* RFC 6455 §5.5.1: a close frame is answered with a close frame. */
static void close_handshake(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(c, s, ch, &(struct hx_ws_out){.opcode = HX_WS_CLOSE, .close_code = 1000});
    const struct hx_item *it = expect_end(c, s, ch, "a close frame in answer");
    ck_check(c, it->kind == HX_ITEM_CLOSE && it->close_code != 1006,
             "a close frame in answer to the client's close frame", "%s", ck_item_desc(c, it));
}

/* Unmasked and RSV frames are pings, so that acceptance shows as a pong on
 * any server, Engine.IO-only or Socket.IO. */
static void unmasked(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(c, s, ch,
              &(struct hx_ws_out){.opcode = HX_WS_PING,
                                  .unmasked = true,
                                  .payload = (const uint8_t *)"nomask",
                                  .len = 6});
    const struct hx_item *it = expect_end(c, s, ch, "the connection failed for an unmasked frame");
    ck_note(c, "%s", ck_item_desc(c, it));
}

static void rsv_bits(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(c, s, ch,
              &(struct hx_ws_out){
                  .opcode = HX_WS_PING, .rsv = 4, .payload = (const uint8_t *)"rsv1", .len = 4});
    const struct hx_item *it =
        expect_end(c, s, ch, "the connection failed for a frame with RSV1 set");
    ck_note(c, "%s", ck_item_desc(c, it));
}

static const struct hx_ws_out bad_utf8 = {
    .opcode = HX_WS_TEXT, .payload = (const uint8_t *)"4caf\xc3\x28", .len = 6};

static void invalid_utf8(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(c, s, ch, &bad_utf8);
    const struct hx_item *it =
        expect_end(c, s, ch, "the connection failed for a text frame that is not UTF-8");
    ck_note(c, "%s", ck_item_desc(c, it));
}

static void invalid_utf8_code(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_frame(c, s, ch, &bad_utf8);
    const struct hx_item *it = expect_end(c, s, ch, "a close frame with status 1007");
    ck_check(c, end_code(it) == 1007, "a close frame with status 1007 (reference)", "%s",
             ck_item_desc(c, it));
    ck_note(c, "%s", ck_item_desc(c, it));
}

/* ---- size limit ----------------------------------------------------------- */

/* A text message of exactly |n| bytes: "4" and digits. */
static const char *big_message(struct ck *c, uint64_t n)
{
    if (n < 2 || n > 64u * 1024 * 1024)
        ck_skip(c, "maxPayload %llu is outside what this case sends", (unsigned long long)n);
    return ck_fmt(c, "4%0*d", (int)(n - 1), 0);
}

static void max_payload_ok(struct ck *c)
{
    uint64_t n = ck_max_payload(c);
    const char *msg = big_message(c, n);
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, msg);
    const struct hx_item *it =
        expect_msg(c, s, ch, CK_REPLY_MS * 2, "the echo of a message of exactly maxPayload bytes");
    ck_check(c, it->opcode == HX_WS_TEXT && it->raw.len == n && ck_eq(it->raw, msg),
             ck_fmt(c, "the same %llu-byte text frame back", (unsigned long long)n),
             "%s of %zu bytes", it->opcode == HX_WS_TEXT ? "text frame" : "other frame",
             it->raw.len);
}

static const struct hx_item *send_oversize(struct ck *c)
{
    uint64_t n = ck_max_payload(c) + 1;
    const char *msg = big_message(c, n);
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, msg);
    return expect_end(c, s, ch, "the connection closed for a message above maxPayload");
}

static void oversize_closes(struct ck *c)
{
    ck_note(c, "%s", ck_item_desc(c, send_oversize(c)));
}

static void oversize_code(struct ck *c)
{
    const struct hx_item *it = send_oversize(c);
    ck_check(c, end_code(it) == 1009, "a close frame with status 1009 (reference)", "%s",
             ck_item_desc(c, it));
    ck_note(c, "%s", ck_item_desc(c, it));
}

/* ---- invalid packets ------------------------------------------------------ */

static void invalid_packet(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, "abc");
    ck_note(c, "%s", ck_item_desc(c, expect_end(c, s, ch, "the session closed")));
}

static void empty_text(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, "");
    ck_note(c, "%s", ck_item_desc(c, expect_end(c, s, ch, "the session closed")));
}

/* noop, open and upgrade from the client on an open WebSocket session. */
static void ignored_packets(struct ck *c)
{
    struct hx_session *s;
    unsigned ch = raw_open(c, &s);
    raw_text(c, s, ch, "6");
    raw_text(c, s, ch, "0");
    raw_text(c, s, ch, "5");
    raw_text(c, s, ch, "4ok");
    const struct hx_item *it = expect_msg(c, s, ch, CK_REPLY_MS, "the echo 4ok");
    expect_text(c, it, "4ok", "only the echo 4ok: 6, 0 and 5 ignored (reference)");
    ck_note(c, "%s", ck_item_desc(c, it));
}

static const struct ck_case cases[] = {
    {.id = "eio4.websocket.text-echo",
     .title = "text message in a text frame",
     .req = "A text message packet travels as one text frame, type digit then UTF-8 data.",
     .spec = "eio4:ws-encoding:2,eio4:websocket:6,eio4:websocket:1,eio4:message:1,eio4:packet:6",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message,smoke",
     .origin = "message > WebSocket > sends and receives a plain text packet",
     .run = text_echo},
    {.id = "eio4.websocket.binary-echo",
     .title = "binary message in a binary frame",
     .req = "A binary message travels as one binary frame holding the raw bytes, without a type "
            "byte or base64.",
     .spec = "eio4:ws-encoding:3,eio4:websocket:6,eio4:encoding:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message,binary",
     .origin = "message > WebSocket > sends and receives a binary packet",
     .run = binary_echo},
    {.id = "eio4.websocket.binary-leading-4",
     .title = "first byte of a binary frame is data",
     .req = "A v4 binary frame carries no packet type, so a leading 0x04 is part of the data.",
     .spec = "eio4:ws-encoding:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message,binary",
     .run = binary_leading_four},
    {.id = "eio4.websocket.b64-text-binary",
     .title = "text frame bAQID is a binary message",
     .req = "Records how a text frame holding b + base64 is read; the reference takes it as a "
            "binary message and echoes a binary frame.",
     .spec = "ref:eio4-ws-packets:3",
     .level = CK_INFO,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message,binary",
     .run = b64_text_binary},
    {.id = "eio4.websocket.utf8-text",
     .title = "multi-byte UTF-8 text round-trips",
     .req = "Text packets are UTF-8: 2-, 3- and 4-byte sequences come back byte for byte.",
     .spec = "eio4:ws-encoding:2,eio4:encoding:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message,utf8",
     .run = utf8_text},
    {.id = "eio4.websocket.message-no-data",
     .title = "message packet without data",
     .req = "Records the answer to a message packet with no data (4); the reference echoes 4.",
     .spec = "ref:eio4-ws-packets:5,eio4:packet:1",
     .level = CK_INFO,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message",
     .run = message_no_data},
    {.id = "eio4.websocket.one-packet-per-frame",
     .title = "one packet per frame, in order",
     .req = "Packets sent in separate frames come back in separate frames, in the order sent, "
            "never batched.",
     .spec = "eio4:websocket:6,eio4:ws-encoding:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message",
     .run = one_packet_per_frame},
    {.id = "eio4.websocket.separator-in-frame",
     .title = "0x1E inside a frame is data",
     .req = "A WebSocket frame holds exactly one packet, so a record separator in it is part of "
            "the data, not a packet boundary.",
     .spec = "eio4:ws-encoding:1,eio4:websocket:6",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,message",
     .run = separator_in_frame},
    {.id = "eio4.websocket.fragmented-text",
     .title = "fragmented text message is one packet",
     .req = "A text message split into continuation frames is reassembled into one packet.",
     .spec = "ref:eio4-ws-frames:1,eio4:websocket:6",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,rfc6455",
     .run = fragmented_text},
    {.id = "eio4.websocket.fragmented-binary",
     .title = "fragmented binary message is one packet",
     .req = "A binary message split into continuation frames is reassembled into one packet.",
     .spec = "ref:eio4-ws-frames:1,eio4:ws-encoding:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,rfc6455,binary",
     .run = fragmented_binary},
    {.id = "eio4.websocket.control-interleaved",
     .title = "ping between fragments",
     .req = "A ping frame between the fragments of a message is answered and the message is still "
            "reassembled.",
     .spec = "ref:eio4-ws-frames:2,ref:eio4-ws-frames:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,rfc6455",
     .run = control_interleaved},
    {.id = "eio4.websocket.ws-ping",
     .title = "WebSocket ping is answered",
     .req = "A WebSocket ping control frame is answered with a pong carrying the same data.",
     .spec = "ref:eio4-ws-frames:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,rfc6455",
     .run = ws_ping},
    {.id = "eio4.websocket.close-handshake",
     .title = "close frame is answered",
     .req = "A client close frame is answered with a close frame before the connection ends.",
     .spec = "ref:eio4-ws-frames:6",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,rfc6455,close",
     .run = close_handshake},
    {.id = "eio4.websocket.unmasked",
     .title = "unmasked client frame fails the connection",
     .req = "A client frame without a mask makes the server close the connection.",
     .spec = "ref:eio4-ws-frames:3",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,rfc6455,errors",
     .run = unmasked},
    {.id = "eio4.websocket.rsv-bits",
     .title = "RSV bit without extension fails the connection",
     .req = "A frame with RSV1 set when no extension was negotiated makes the server close the "
            "connection.",
     .spec = "ref:eio4-ws-frames:4",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,rfc6455,errors",
     .run = rsv_bits},
    {.id = "eio4.websocket.invalid-utf8",
     .title = "invalid UTF-8 text fails the connection",
     .req = "A text frame that is not valid UTF-8 makes the server close the connection.",
     .spec = "ref:eio4-ws-frames:5,eio4:encoding:2",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,rfc6455,errors,utf8",
     .run = invalid_utf8},
    {.id = "eio4.websocket.invalid-utf8-code",
     .title = "invalid UTF-8 closes with 1007",
     .req = "Records the close status for invalid UTF-8; the reference sends 1007.",
     .spec = "ref:eio4-ws-frames:7",
     .level = CK_INFO,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,rfc6455,errors,utf8",
     .run = invalid_utf8_code},
    {.id = "eio4.websocket.max-payload",
     .title = "message of exactly maxPayload bytes",
     .req = "A WebSocket message of exactly the advertised maxPayload bytes is accepted.",
     .spec = "ref:eio4-ws-limits:1,eio4:handshake:11",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,limits",
     .run = max_payload_ok},
    {.id = "eio4.websocket.oversize",
     .title = "message above maxPayload closes",
     .req = "A WebSocket message larger than the advertised maxPayload closes the connection.",
     .spec = "ref:eio4-ws-limits:2,eio4:handshake:11",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,limits,errors",
     .run = oversize_closes},
    {.id = "eio4.websocket.oversize-code",
     .title = "oversized message closes with 1009",
     .req = "Records the close status for a message above maxPayload; the reference sends 1009.",
     .spec = "ref:eio4-ws-limits:3",
     .level = CK_INFO,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,limits,errors",
     .run = oversize_code},
    {.id = "eio4.websocket.invalid-packet",
     .title = "invalid packet closes the session",
     .req = "A text frame that is not an Engine.IO packet (abc) closes the session.",
     .spec = "ref:eio4-ws-packets:1,eio4:packet:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,errors",
     .origin = "message > WebSocket > closes the session upon invalid packet format",
     .run = invalid_packet},
    {.id = "eio4.websocket.empty-text",
     .title = "empty text frame closes the session",
     .req = "An empty text frame carries no packet type and closes the session.",
     .spec = "ref:eio4-ws-packets:2,eio4:packet:1",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "websocket,errors",
     .run = empty_text},
    {.id = "eio4.websocket.ignored-packets",
     .title = "client noop, open and upgrade are ignored",
     .req = "Records the reaction to noop, open and upgrade packets on an open WebSocket session; "
            "the reference ignores them.",
     .spec = "ref:eio4-ws-packets:4,eio4:packet:8",
     .level = CK_INFO,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "websocket,errors",
     .run = ignored_packets},
};

CK_GROUP(ck_group_eio4_ws, "eio4.websocket",
         "Engine.IO v4 WebSocket transport: packet framing and the RFC 6455 layer", cases);
