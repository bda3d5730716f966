/*
 * cve.c - one regression case per known vulnerability input (protocol-notes
 * §2.9): the server must reject or survive the input, and afterwards still
 * open a fresh session. On a target siospec started, the runner also
 * notices a crash and charges it to the case that caused it.
 */
#include "cases/ck.h"

#include <stdio.h>
#include <string.h>

/* A fresh handshake still works: the server is up and answering. */
static void alive(struct ck *c, const char *after)
{
    struct hx_session *s = ck_session(c, &(struct ck_sopt){.eio = 4, .sio = -1});
    int rc = hx_eio_open(s, HX_TP_POLLING, ck_in(c, 2000));
    ck_check(c, rc == HX_OK, ck_fmt(c, "the server still opens sessions after %s", after),
             "the next handshake failed: %s", hx_session_reason(s));
}

/* Sends |bytes| as one raw HTTP request (exact bytes) and returns the
 * answer item, or NULL when the server dropped the connection silently. */
static const struct hx_item *raw_request(struct ck *c, struct hx_session *s, const char *bytes,
                                         size_t n)
{
    struct hx_http_req req = {
        .target = "/", .raw = true, .raw_bytes = (const uint8_t *)bytes, .raw_len = n};
    unsigned chan = 0;
    ck_ok(c, s, hx_session_http(s, &req, &chan), "raw request");
    const struct hx_item *it = NULL;
    hx_session_http_wait(s, chan, ck_in(c, CK_REPLY_MS), &it);
    return it;
}

static struct hx_session *scratch_v4(struct ck *c)
{
    return ck_session(c, &(struct ck_sopt){.eio = 4, .sio = -1});
}

/* CVE-2020-36048: a POST above maxPayload is refused (413), not buffered. */
static void huge_post(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.eio = 4, .sio = -1});
    size_t n = (size_t)ck_max_payload(c) * 2;
    if (n > (8u << 20))
        ck_skip(c, "maxPayload %llu is too large to exceed here",
                (unsigned long long)ck_max_payload(c));
    static char body[2000002];
    if (n + 1 > sizeof(body))
        n = sizeof(body) - 1;
    body[0] = '4';
    memset(body + 1, 'x', n - 1);
    const struct hx_item *it =
        ck_http(c, s,
                &(struct ck_http){.method = "POST",
                                  .target = "{path}?EIO=4&transport=polling&sid={sid}",
                                  .ctype = "text/plain;charset=UTF-8",
                                  .body = body,
                                  .len = n});
    ck_check(c, it->kind == HX_ITEM_ERROR || (it->kind == HX_ITEM_HTTP && it->http_status >= 400),
             "the oversized POST refused (413) or the connection dropped", "%s",
             ck_item_desc(c, it));
    alive(c, "a POST of twice maxPayload");
}

/* CVE-2020-36048 over WebSocket: an oversized message ends the connection. */
static void huge_ws_message(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.eio = 4, .sio = -1});
    size_t n = (size_t)ck_max_payload(c) + 1024;
    static char msg[1001025];
    if (n > sizeof(msg))
        ck_skip(c, "maxPayload too large to exceed here");
    msg[0] = '4';
    memset(msg + 1, 'y', n - 1);
    ck_raw(c, s, msg, n, false);
    ck_expect_closed(c, s, 2000, "a message above maxPayload");
    alive(c, "a WebSocket message above maxPayload");
}

/* CVE-2022-21676: bytes that are an invalid WebSocket frame, written in the
 * same TCP segment as the upgrade request. */
static void garbage_after_upgrade(struct ck *c)
{
    struct hx_session *s = scratch_v4(c);
    const char *req = ck_fmt(c,
                             "GET %s?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\ntest",
                             ck_path(c));
    raw_request(c, s, req, strlen(req));
    alive(c, "an upgrade request followed by invalid frame bytes");
}

/* CVE-2022-21676, second form: the same garbage on an upgrade of a
 * polling session. */
static void garbage_after_sid_upgrade(struct ck *c)
{
    struct hx_session *s = ck_open_on(c, HX_TP_POLLING, &(struct ck_sopt){.eio = 4, .sio = -1});
    const char *req = ck_fmt(c,
                             "GET %s?EIO=4&transport=websocket&sid=%s HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\ntest",
                             ck_path(c), hx_session_handshake(s)->sid);
    raw_request(c, s, req, strlen(req));
    alive(c, "an upgrade of a polling session followed by invalid frame bytes");
}

/* CVE-2022-41940: an HTTP upgrade to another protocol on a foreign path,
 * then a reset; the server must not crash when it ends that socket. */
static void foreign_upgrade_reset(struct ck *c)
{
    struct hx_session *s = scratch_v4(c);
    static const char req[] =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, "
        "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
    struct hx_http_req r = {
        .target = "/", .raw = true, .raw_bytes = (const uint8_t *)req, .raw_len = sizeof(req) - 1};
    unsigned chan = 0;
    ck_ok(c, s, hx_session_http(s, &r, &chan), "raw request");
    hx_session_pump(s, ck_in(c, 100));
    hx_session_chan_close(s, chan, true, 0, NULL);
    /* The reference ended such sockets after one second. */
    hx_session_pump(s, ck_in(c, 1200));
    alive(c, "a foreign h2c upgrade that was reset");
}

/* CVE-2023-31125: WebSocket upgrades naming inherited property names as
 * the transport are refused with 400, never crash. */
static void ws_proto_transport(struct ck *c)
{
    static const char *const names[] = {"__proto__", "constructor", "toString", "hasOwnProperty",
                                        ""};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        unsigned chan = 0;
        int rc = ck_ws(c, NULL, ck_fmt(c, "{path}?EIO=4&transport=%s", names[i]), true, &chan);
        if (rc == HX_OK) {
            const struct hx_item *it = ck_ws_next(c, NULL, chan, 1000);
            ck_check(c, it && (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR),
                     "the upgrade refused or closed at once",
                     "transport=%s: the WebSocket stayed open (%s)", names[i], ck_item_desc(c, it));
        }
    }
    alive(c, "WebSocket upgrades with transport=__proto__ and friends");
}

/* CVE-2026-59725: a binary (octet-stream) POST in v4 gets a prompt answer
 * instead of a connection that is never released. */
static void octet_stream_post(struct ck *c)
{
    for (int i = 0; i < 5; i++) {
        struct hx_session *s =
            ck_open(c, &(struct ck_sopt){.eio = 4, .sio = -1, .manual_poll = true});
        static const uint8_t bin[] = {4, 1, 2, 3};
        const struct hx_item *it =
            ck_http(c, s,
                    &(struct ck_http){.method = "POST",
                                      .target = "{path}?EIO=4&transport=polling&sid={sid}",
                                      .ctype = "application/octet-stream",
                                      .body = bin,
                                      .len = sizeof(bin)});
        ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status >= 400,
                 "a prompt HTTP 4xx for an octet-stream POST in revision 4", "%s",
                 ck_item_desc(c, it));
    }
    alive(c, "octet-stream POSTs");
}

/* CVE-2026-102599: upgrading a v4 session with a different or missing EIO
 * must be refused; if accepted, ping on it and check the server survives. */
static void upgrade_eio_mismatch(struct ck *c, const char *eio_param)
{
    struct hx_session *s = ck_open_on(c, HX_TP_POLLING, &(struct ck_sopt){.eio = 4, .sio = -1});
    unsigned chan = 0;
    int rc =
        ck_ws(c, s, ck_fmt(c, "{path}?%stransport=websocket&sid={sid}", eio_param), true, &chan);
    if (rc == HX_OK) {
        ck_ws_send(c, s, chan, "2probe", 6, false);
        ck_ws_send(c, s, chan, "5", 1, false);
        ck_ws_send(c, s, chan, "2", 1, false);
        ck_ws_next(c, s, chan, 300);
    }
    alive(c, ck_fmt(c, "an upgrade with %s", eio_param[0] ? eio_param : "no EIO"));
    ck_check(c, rc != HX_OK, "the upgrade refused (HTTP 400, code 3)",
             "the WebSocket was accepted (101) for a v4 session with %s",
             eio_param[0] ? eio_param : "no EIO");
}

static void upgrade_eio_missing(struct ck *c)
{
    upgrade_eio_mismatch(c, "");
}

static void upgrade_eio_3(struct ck *c)
{
    upgrade_eio_mismatch(c, "EIO=3&");
}

/* CVE-2026-102600 and its kin: inherited property names as sid. */
static void proto_sid_everywhere(struct ck *c)
{
    static const char *const sids[] = {"__proto__", "constructor", "hasOwnProperty"};
    for (size_t i = 0; i < sizeof(sids) / sizeof(sids[0]); i++) {
        const struct hx_item *it =
            ck_get(c, NULL, ck_fmt(c, "{path}?EIO=4&transport=polling&sid=%s", sids[i]));
        ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 400,
                 "HTTP 400 (Session ID unknown)", "GET sid=%s: %s", sids[i], ck_item_desc(c, it));
        it = ck_http(
            c, NULL,
            &(struct ck_http){.method = "POST",
                              .target = ck_fmt(c, "{path}?EIO=4&transport=polling&sid=%s", sids[i]),
                              .ctype = "text/plain;charset=UTF-8",
                              .body = "4x"});
        ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 400,
                 "HTTP 400 (Session ID unknown)", "POST sid=%s: %s", sids[i], ck_item_desc(c, it));
        unsigned chan = 0;
        if (ck_ws(c, NULL, ck_fmt(c, "{path}?EIO=4&transport=websocket&sid=%s", sids[i]), true,
                  &chan) == HX_OK) {
            const struct hx_item *w = ck_ws_next(c, NULL, chan, 1000);
            ck_check(c, w && (w->kind == HX_ITEM_CLOSE || w->kind == HX_ITEM_ERROR),
                     "the WebSocket refused or closed", "sid=%s: %s", sids[i], ck_item_desc(c, w));
        }
    }
    alive(c, "sid=__proto__ on every entry point");
}

/* A Socket.IO input that must end the connection, then the server lives. */
static void sio_input_closes(struct ck *c, const char *text, const char *after)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, text);
    ck_expect_closed(c, s, 1500, ck_fmt(c, "the input %s is invalid", after));
    alive(c, after);
}

/* CVE-2020-36049: a huge digit run (attachment count / ack id) is handled
 * in linear time: the connection ends or the packet is refused promptly. */
static void huge_ack_digits(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    static char msg[400016];
    size_t n = 300000;
    msg[0] = '2';
    memset(msg + 1, '7', n);
    memcpy(msg + 1 + n, "[\"message\"]", 12);
    uint32_t t0 = ck_now_ms(c);
    ck_msg(c, s, msg);
    /* Whatever the server makes of it, it must answer the next request in
     * time; a quadratic decoder takes minutes. */
    ck_closes_within(c, s, 300);
    alive(c, "an ack id of 300 000 digits");
    ck_check(c, ck_now_ms(c) - t0 < ck_ms(c, 3000), "the server answers within 3 s",
             "it took %u ms", ck_now_ms(c) - t0);
}

static void huge_attachment_digits(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    static char msg[400016];
    size_t n = 300000;
    msg[0] = '5';
    memset(msg + 1, '9', n);
    memcpy(msg + 1 + n, "-[\"message\"]", 13);
    ck_msg(c, s, msg);
    ck_expect_closed(c, s, 3000, "an attachment count of 300 000 digits is invalid");
    alive(c, "an attachment count of 300 000 digits");
}

static void huge_namespace(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    static char msg[400016];
    size_t n = 300000;
    memcpy(msg, "2/", 2);
    memset(msg + 2, 'n', n);
    memcpy(msg + 2 + n, ",[\"message\"]", 13);
    ck_msg(c, s, msg);
    ck_expect_closed(c, s, 3000, "an event for a namespace the client never joined");
    alive(c, "a namespace of 300 000 characters");
}

/* CVE-2022-2421: placeholder num that is not an index. */
static void placeholder_splice(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "51-[\"message\",{\"_placeholder\":true,\"num\":\"splice\"}]");
    static const uint8_t bin[] = {1, 2, 3};
    hx_eio_send(s, EIO_MESSAGE, bin, sizeof(bin), true, ck_in(c, CK_REPLY_MS));
    ck_expect_closed(c, s, 1500, "placeholder num \"splice\" is invalid");
    alive(c, "a placeholder with num \"splice\"");
}

static void placeholder_out_of_range(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "51-[\"message\",{\"_placeholder\":true,\"num\":1}]");
    static const uint8_t bin[] = {1, 2, 3};
    hx_eio_send(s, EIO_MESSAGE, bin, sizeof(bin), true, ck_in(c, CK_REPLY_MS));
    ck_expect_closed(c, s, 1500, "placeholder num 1 with one attachment is invalid");
    alive(c, "a placeholder index out of range");
}

/* CVE-2023-32695: event names that are not strings or numbers. */
static void event_name_object(struct ck *c)
{
    sio_input_closes(c, "2[{\"toString\":\"foo\"}]", "an event named by an object");
}

static void event_name_bool(struct ck *c)
{
    sio_input_closes(c, "2[true,\"foo\"]", "an event named true");
}

static void event_name_null(struct ck *c)
{
    sio_input_closes(c, "2[null,\"bar\"]", "an event named null");
}

static void event_name_array(struct ck *c)
{
    sio_input_closes(c, "2[[1]]", "an event named by an array");
}

/* CVE-2026-33151: unbounded attachment counts. */
static void attachments_eleven(struct ck *c)
{
    sio_input_closes(c, "511-[\"message\"]", "11 announced attachments");
}

static void attachments_huge(struct ck *c)
{
    sio_input_closes(c, "599999999-[\"message\"]", "99999999 announced attachments");
}

/* CVE-2026-69185: zero attachments on a binary packet. */
static void attachments_zero(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_msg(c, s, "50-[\"message\",\"x\"]");
    static const uint8_t bin[] = {9, 9, 9};
    hx_eio_send(s, EIO_MESSAGE, bin, sizeof(bin), true, ck_in(c, CK_REPLY_MS));
    ck_expect_closed(c, s, 1500, "a binary packet with zero attachments is invalid");
    alive(c, "a binary packet with zero attachments");
}

/* CVE-2024-38355: an event named "error" must not crash the server. */
static void event_error(struct ck *c)
{
    struct hx_session *s = ck_connect(c, NULL);
    ck_emit(c, s, NULL, "[\"error\"]", NULL);
    ck_emit(c, s, NULL, "[\"error\",{}]", NULL);
    ck_emit(c, s, NULL, "[\"message\",\"still alive\"]", NULL);
    const struct hx_item *it = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",\"still alive\"]",
                  "the echo after `error` events");
    alive(c, "events named error");
}

/* CVE-2020-28481: a foreign Origin is never reflected together with
 * credentials unless the server was configured so. */
static void cors_no_reflect_credentials(struct ck *c)
{
    static const struct hx_header h[] = {{"Origin", "http://evil.example"}};
    const struct hx_item *it =
        ck_http(c, NULL,
                &(struct ck_http){
                    .target = "{path}?EIO=4&transport=polling", .headers = h, .n_headers = 1});
    ck_expect_status(c, it, 200, "handshake");
    struct cdc_span acao, acac;
    bool reflected =
        ck_header(it, "access-control-allow-origin", &acao) && ck_eq(acao, "http://evil.example");
    bool creds = ck_header(it, "access-control-allow-credentials", &acac) && ck_eq(acac, "true");
    ck_check(c, !(reflected && creds),
             "no reflected foreign Origin together with Access-Control-Allow-Credentials: true",
             "Origin reflected with credentials allowed");
}

/* CVE-2017-16031: session ids are not predictable: 50 handshakes give 50
 * distinct sids with no long shared prefix between consecutive ones. */
static void sid_unpredictable(struct ck *c)
{
    char prev[EIO_SID_MAX + 1] = "";
    char seen[50][EIO_SID_MAX + 1];
    for (int i = 0; i < 50; i++) {
        const struct hx_item *it = ck_get(c, NULL, ck_fmt(c, "{path}?EIO=4&transport=polling"));
        ck_expect_status(c, it, 200, "handshake");
        struct eio_handshake hs;
        const uint8_t *p = it->raw.p;
        ck_check(c, it->raw.len > 1 && p[0] == '0', "an open packet", "%s", ck_item_desc(c, it));
        struct cdc_opts o = {0};
        cdc_opts_init(&o);
        o.mode = CDC_COMPAT; /* the sid is what counts here, not the key set */
        ck_check(c, eio_handshake_decode(&o, p + 1, it->raw.len - 1, &hs, NULL) == CDC_OK,
                 "a decodable open packet", "%s", ck_item_desc(c, it));
        for (int k = 0; k < i; k++)
            ck_check(c, strcmp(seen[k], hs.sid) != 0, "a new sid every time", "sid %s given twice",
                     hs.sid);
        snprintf(seen[i], sizeof(seen[i]), "%s", hs.sid);
        size_t common = 0;
        while (prev[common] && prev[common] == hs.sid[common])
            common++;
        ck_check(c, i == 0 || common + 8 <= hs.sid_len,
                 "consecutive sids that differ in at least their last 8 characters", "%s after %s",
                 hs.sid, prev);
        snprintf(prev, sizeof(prev), "%s", hs.sid);
    }
}

/* ws CVE-2024-37890: a request with 2000 headers does not crash. */
static void many_headers(struct ck *c)
{
    struct hx_session *s = scratch_v4(c);
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    cdc_buf_append_str(&b, "GET ");
    cdc_buf_append_str(&b, ck_path(c));
    cdc_buf_append_str(&b, "?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n");
    for (int i = 0; i < 2000; i++) {
        char h[32];
        snprintf(h, sizeof(h), "X-H%d: v\r\n", i);
        cdc_buf_append_str(&b, h);
    }
    cdc_buf_append_str(&b, "\r\n");
    const char *req = ck_str(c, (struct cdc_span){b.p, b.len}, false);
    size_t n = b.len;
    cdc_buf_free(&b);
    raw_request(c, s, req, n);
    alive(c, "an upgrade request with 2000 headers");
}

/* ws CVE-2021-32640: a long Sec-WebSocket-Protocol of spaces and commas. */
static void long_subprotocol(struct ck *c)
{
    struct hx_session *s = scratch_v4(c);
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    cdc_buf_append_str(&b, "GET ");
    cdc_buf_append_str(&b, ck_path(c));
    cdc_buf_append_str(&b, "?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: b");
    for (int i = 0; i < 30000; i++)
        cdc_buf_append_str(&b, " ,");
    cdc_buf_append_str(&b, "x\r\n\r\n");
    const char *req = ck_str(c, (struct cdc_span){b.p, b.len}, false);
    size_t n = b.len;
    cdc_buf_free(&b);
    uint32_t t0 = ck_now_ms(c);
    raw_request(c, s, req, n);
    alive(c, "a Sec-WebSocket-Protocol of 60 000 spaces and commas");
    ck_check(c, ck_now_ms(c) - t0 < ck_ms(c, 3000), "an answer within 3 s", "it took %u ms",
             ck_now_ms(c) - t0);
}

/* ws CVE-2026-48779: thousands of one-byte continuation frames. */
static void tiny_fragments(struct ck *c)
{
    struct hx_session *s = scratch_v4(c);
    unsigned chan = 0;
    int rc = ck_ws(c, s, "{path}?EIO=4&transport=websocket", true, &chan);
    ck_ok(c, s, rc, "WebSocket handshake");
    static const uint8_t one[] = {'4'}, x[] = {'x'};
    struct hx_ws_out f = {.opcode = HX_WS_TEXT, .no_fin = true, .payload = one, .len = 1};
    ck_ok(c, s, hx_session_ws_send(s, chan, &f), "first fragment");
    for (int i = 0; i < 3000; i++) {
        struct hx_ws_out cont = {.opcode = HX_WS_CONT, .no_fin = true, .payload = x, .len = 1};
        if (hx_session_ws_send(s, chan, &cont) != HX_OK)
            break;
        if (i % 500 == 0)
            hx_session_pump(s, ck_in(c, 5));
    }
    hx_session_pump(s, ck_in(c, 200));
    hx_session_chan_close(s, chan, true, 0, NULL);
    alive(c, "3000 one-byte continuation frames");
}

#define CVE(i, t, r, sp, lvl, tp, pr, fn)                                                          \
    {                                                                                              \
        .id = i, .title = t, .req = r, .spec = sp, .level = lvl, .tps = tp, .proto = pr,           \
        .tags = "cve,security", .run = fn                                                          \
    }

static const struct ck_case cases[] = {
    CVE("cve.2020-36048.huge-post", "POST above maxPayload is refused (CVE-2020-36048)",
        "A POST body larger than maxPayload is refused without being processed, and the server "
        "stays up.",
        "ref:cve:1", CK_MUST, CK_POLLING, CK_EIO4, huge_post),
    CVE("cve.2020-36048.huge-message",
        "WebSocket message above maxPayload ends the connection (CVE-2020-36048)",
        "A WebSocket message larger than maxPayload ends the connection, and the server stays up.",
        "ref:cve:1", CK_MUST, CK_WS, CK_EIO4, huge_ws_message),
    CVE("cve.2022-21676.garbage-after-upgrade",
        "invalid frame bytes right after the upgrade request (CVE-2022-21676)",
        "Invalid WebSocket frame bytes sent with the upgrade request never crash the server.",
        "ref:cve:2", CK_MUST, CK_WS, CK_EIO4, garbage_after_upgrade),
    CVE("cve.2022-21676.garbage-after-sid-upgrade",
        "invalid frame bytes after an upgrade of a session (CVE-2022-21676)",
        "Invalid frame bytes sent with the upgrade of a polling session never crash the server.",
        "ref:cve:2", CK_MUST, CK_WS, CK_EIO4, garbage_after_sid_upgrade),
    CVE("cve.2022-41940.foreign-upgrade-reset", "foreign h2c upgrade then reset (CVE-2022-41940)",
        "An upgrade request for another protocol, reset by the client, never crashes the server.",
        "ref:cve:3", CK_MUST, CK_POLLING, CK_EIO4, foreign_upgrade_reset),
    CVE("cve.2023-31125.ws-proto-transport",
        "WebSocket transport=__proto__ is refused (CVE-2023-31125)",
        "WebSocket upgrades naming inherited property names as the transport are refused without a "
        "crash.",
        "ref:cve:4,ref:eio4-ws:1", CK_MUST, CK_WS, CK_EIO4, ws_proto_transport),
    CVE("cve.2026-59725.octet-stream-post", "binary POST answered promptly (CVE-2026-59725)",
        "A revision 4 POST with an octet-stream body gets a prompt 4xx answer.", "ref:cve:5",
        CK_MUST, CK_POLLING, CK_EIO4, octet_stream_post),
    CVE("cve.2026-102599.upgrade-without-eio", "upgrade without EIO is refused (CVE-2026-102599)",
        "An upgrade of a revision 4 session without EIO is refused and never crashes the server.",
        "ref:cve:6,ref:eio4-errors:4", CK_MUST, CK_WS, CK_EIO4, upgrade_eio_missing),
    CVE("cve.2026-102599.upgrade-eio-3",
        "upgrade with EIO=3 of a v4 session is refused (CVE-2026-102599)",
        "An upgrade of a revision 4 session asking for revision 3 is refused and never crashes the "
        "server.",
        "ref:cve:6,ref:eio4-errors:4", CK_MUST, CK_WS, CK_EIO4, upgrade_eio_3),
    CVE("cve.2026-102600.proto-sid", "sid=__proto__ on every entry point (CVE-2026-102600)",
        "Inherited property names are unknown sessions on GET, POST and WebSocket.",
        "ref:cve:7,ref:eio4-errors:2", CK_MUST, CK_POLLING, CK_EIO4, proto_sid_everywhere),
    CVE("cve.2020-36049.huge-ack-id",
        "300 000-digit ack id handled in linear time (CVE-2020-36049)",
        "A huge digit run in a packet is handled promptly and the server stays up.", "ref:cve:8",
        CK_MUST, CK_BOTH, CK_SIO5, huge_ack_digits),
    CVE("cve.2020-36049.huge-attachment-count", "300 000-digit attachment count (CVE-2020-36049)",
        "A huge attachment count is rejected promptly by closing the connection.",
        "ref:cve:8,ref:cve:11", CK_MUST, CK_BOTH, CK_SIO5, huge_attachment_digits),
    CVE("cve.2020-36049.huge-namespace", "300 000-character namespace (CVE-2020-36049)",
        "A huge namespace name is handled promptly and the connection closed.", "ref:cve:8",
        CK_MUST, CK_BOTH, CK_SIO5, huge_namespace),
    CVE("cve.2022-2421.placeholder-splice", "placeholder num \"splice\" (CVE-2022-2421)",
        "A placeholder whose num is not an index closes the connection.", "ref:cve:9", CK_MUST,
        CK_BOTH, CK_SIO5, placeholder_splice),
    CVE("cve.2022-2421.placeholder-out-of-range", "placeholder num out of range (CVE-2022-2421)",
        "A placeholder pointing past the attachments closes the connection.", "ref:cve:9", CK_MUST,
        CK_BOTH, CK_SIO5, placeholder_out_of_range),
    CVE("cve.2023-32695.event-name-object", "event named by an object (CVE-2023-32695)",
        "An event whose name is an object closes the connection and never crashes the server.",
        "ref:cve:10,sio5:event:2", CK_MUST, CK_BOTH, CK_SIO5, event_name_object),
    CVE("cve.2023-32695.event-name-true", "event named true (CVE-2023-32695)",
        "An event whose name is a boolean closes the connection.", "ref:cve:10,sio5:event:2",
        CK_MUST, CK_BOTH, CK_SIO5, event_name_bool),
    CVE("cve.2023-32695.event-name-null", "event named null (CVE-2023-32695)",
        "An event whose name is null closes the connection.", "ref:cve:10,sio5:event:2", CK_MUST,
        CK_BOTH, CK_SIO5, event_name_null),
    CVE("cve.2023-32695.event-name-array", "event named by an array (CVE-2023-32695)",
        "An event whose name is an array closes the connection.", "ref:cve:10,sio5:event:2",
        CK_MUST, CK_BOTH, CK_SIO5, event_name_array),
    CVE("cve.2026-33151.eleven-attachments", "11 attachments announced (CVE-2026-33151)",
        "A binary packet announcing more attachments than the limit closes the connection.",
        "ref:cve:11", CK_MUST, CK_BOTH, CK_SIO5, attachments_eleven),
    CVE("cve.2026-33151.huge-attachment-count", "99999999 attachments announced (CVE-2026-33151)",
        "A binary packet announcing a huge attachment count closes the connection.", "ref:cve:11",
        CK_MUST, CK_BOTH, CK_SIO5, attachments_huge),
    CVE("cve.2026-69185.zero-attachments", "binary packet with zero attachments (CVE-2026-69185)",
        "A binary packet announcing zero attachments is rejected.", "ref:cve:12", CK_MUST, CK_BOTH,
        CK_SIO5, attachments_zero),
    CVE("cve.2024-38355.event-error", "event named error (CVE-2024-38355)",
        "A client event named error is harmless: the server keeps serving the connection.",
        "ref:cve:13", CK_MUST, CK_BOTH, CK_SIO5, event_error),
    CVE("cve.2020-28481.cors-credentials", "no Origin reflection with credentials (CVE-2020-28481)",
        "A foreign Origin is not echoed together with Access-Control-Allow-Credentials by default.",
        "ref:cve:14", CK_SHOULD, CK_POLLING, CK_EIO4, cors_no_reflect_credentials),
    CVE("cve.2017-16031.sid-unpredictable", "session ids are not sequential (CVE-2017-16031)",
        "Session ids are unique and consecutive ones do not share all but a short suffix.",
        "ref:cve:15,eio4:handshake:7", CK_SHOULD, CK_POLLING, CK_EIO4, sid_unpredictable),
    CVE("cve.2024-37890.many-headers", "upgrade request with 2000 headers (CVE-2024-37890)",
        "An upgrade request with thousands of headers never crashes the server.", "ref:cve:16",
        CK_MUST, CK_WS, CK_EIO4, many_headers),
    CVE("cve.2021-32640.long-subprotocol", "long Sec-WebSocket-Protocol (CVE-2021-32640)",
        "A pathological Sec-WebSocket-Protocol header is handled promptly.", "ref:cve:16", CK_MUST,
        CK_WS, CK_EIO4, long_subprotocol),
    CVE("cve.2026-48779.tiny-fragments", "3000 one-byte continuation frames (CVE-2026-48779)",
        "A flood of one-byte continuation frames never crashes the server.", "ref:cve:16", CK_MUST,
        CK_WS, CK_EIO4, tiny_fragments),
};

CK_GROUP(ck_group_cve, "cve", "Regressions for known vulnerabilities: the server stays up", cases);
