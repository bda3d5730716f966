/*
 * eio3.c - Engine.IO revision 3 (EIO=3): the handshake, the length-prefixed
 * polling payloads (UTF-16 lengths, b64 and XHR2 binary forms, JSONP), the
 * type byte of binary WebSocket frames, the client-driven heartbeat,
 * closing, and the upgrade (engine.io-protocol v3; protocol-notes §1.5,
 * §1.8, §3.2).
 *
 * No bundled echo server speaks revision 3, so the cases that need the
 * server to send data back (proto CK_SIO4) use the Socket.IO contract's
 * `message` event: the Socket.IO packets are only the cargo, the checks
 * are about the Engine.IO framing around them. Where the exact bytes
 * matter, the case polls and posts by hand (manual polling, no heartbeat:
 * such a case must finish well within pingInterval + pingTimeout).
 */
#include "cases/ck.h"

#include <stdio.h>
#include <string.h>

#define POLL_B64 "{path}?EIO=3&transport=polling&b64=1&sid={sid}"
#define POLL_XHR2 "{path}?EIO=3&transport=polling&sid={sid}"
#define WS_NEW "{path}?EIO=3&transport=websocket"
#define WS_SID "{path}?EIO=3&transport=websocket&sid={sid}"
#define TEXT_CT "text/plain;charset=UTF-8"

/* ---- v3 payloads ----------------------------------------------------------- */

#define V3_MAX 16

struct v3_seg {
    struct cdc_span p;
    bool bin; /* XHR2 binary entry (type byte first) */
};

/* Packets collected from one or more GET bodies, and the bodies as seen. */
struct v3_got {
    size_t n;
    struct v3_seg seg[V3_MAX];
    const char *seen;
};

static const char *hex(struct ck *c, struct cdc_span sp)
{
    const char *out = "";
    for (size_t i = 0; i < sp.len && i < 96; i++)
        out = ck_fmt(c, "%s%s%02x", out, i ? " " : "", sp.p[i]);
    return sp.len > 96 ? ck_fmt(c, "%s ...", out) : out;
}

static bool is_octet(const struct hx_item *it)
{
    struct cdc_span ct;
    return ck_header(it, "content-type", &ct) && ct.len >= 24 &&
           strncasecmp((const char *)ct.p, "application/octet-stream", 24) == 0;
}

/* One line for a GET answer: text escaped, a binary body in hex. */
static const char *body_desc(struct ck *c, const struct hx_item *it)
{
    if (it->kind == HX_ITEM_HTTP && is_octet(it))
        return ck_fmt(c, "HTTP %d octet-stream [%s]", it->http_status, hex(c, it->raw));
    return ck_item_desc(c, it);
}

static bool push(struct v3_got *g, const uint8_t *p, size_t n, bool bin)
{
    if (g->n == V3_MAX)
        return false;
    g->seg[g->n++] = (struct v3_seg){{p, n}, bin};
    return true;
}

/* Splits the text form "<len>:<packet>..." with |len| counted in UTF-16
 * code units, as the spec says. False when the body does not split. */
static bool split_text(struct cdc_span b, struct v3_got *g)
{
    size_t i = 0;
    while (i < b.len) {
        size_t len = 0, digits = 0;
        for (; i < b.len && b.p[i] >= '0' && b.p[i] <= '9' && digits < 9; i++, digits++)
            len = len * 10 + (size_t)(b.p[i] - '0');
        if (!digits || i >= b.len || b.p[i] != ':')
            return false;
        i++;
        size_t nb = cdc_utf16_prefix(b.p + i, b.len - i, len);
        if (nb == SIZE_MAX || !push(g, b.p + i, nb, false))
            return false;
        i += nb;
    }
    return true;
}

/* Splits the XHR2 binary form: per packet 0 (string) or 1 (binary), the
 * length as digit bytes 0-9, 0xFF, then that many bytes. */
static bool split_xhr2(struct cdc_span b, struct v3_got *g)
{
    size_t i = 0;
    while (i < b.len) {
        uint8_t kind = b.p[i++];
        size_t len = 0, digits = 0;
        for (; i < b.len && b.p[i] <= 9 && digits < 9; i++, digits++)
            len = len * 10 + b.p[i];
        if (kind > 1 || !digits || i >= b.len || b.p[i] != 0xff || b.len - i - 1 < len)
            return false;
        i++;
        if (!push(g, b.p + i, len, kind == 1))
            return false;
        i += len;
    }
    return true;
}

static bool seg_is(const struct v3_seg *sg, const char *s)
{
    return !sg->bin && ck_eq(sg->p, s);
}

/* True when text packet |sg| is |head| followed by JSON structurally equal
 * to |json| (the Socket.IO cargo: formatting is not what is checked). */
static bool seg_sio(const struct v3_seg *sg, const char *head, const char *json)
{
    size_t h = strlen(head);
    if (sg->bin || sg->p.len < h || memcmp(sg->p.p, head, h) != 0)
        return false;
    struct cdc_span rest = {sg->p.p + h, sg->p.len - h};
    return cdc_json_validate(rest.p, rest.len, 64, false, NULL) == CDC_OK &&
           hx_json_eq(rest, ck_span(json));
}

static bool has_prefix(const struct v3_got *g, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < g->n; i++)
        if (!g->seg[i].bin && g->seg[i].p.len >= n && memcmp(g->seg[i].p.p, prefix, n) == 0)
            return true;
    return false;
}

/* GETs |tgt| on |s| (manual polling) until |want| packets came (want > 0)
 * or a packet starting with |prefix| came (prefix non-NULL); ck_fail with
 * |what| on a refused GET, an unparsable body or silence. */
static void poll_until(struct ck *c, struct hx_session *s, const char *tgt, struct v3_got *g,
                       size_t want, const char *prefix, const char *what)
{
    uint64_t until = ck_in(c, CK_REPLY_MS);
    for (;;) {
        if ((want && g->n >= want) || (prefix && has_prefix(g, prefix)))
            return;
        unsigned chan = ck_http_start(c, s, &(struct ck_http){.target = tgt});
        const struct hx_item *it = NULL;
        hx_session_http_wait(s, chan, until, &it);
        if (!it)
            ck_fail(c, what, "no answer to a GET; bodies so far: %s", g->seen ? g->seen : "none");
        const char *d = body_desc(c, it);
        g->seen = g->seen ? ck_fmt(c, "%s, %s", g->seen, d) : d;
        if (it->kind != HX_ITEM_HTTP || it->http_status != 200)
            ck_fail(c, what, "GET answered %s (bodies: %s)", d, g->seen);
        bool ok = is_octet(it) ? split_xhr2(it->raw, g) : split_text(it->raw, g);
        if (!ok)
            ck_fail(c, what, "a body that is not a v3 payload (lengths in UTF-16 units): %s",
                    g->seen);
    }
}

/* A Socket.IO session on manual polling without heartbeats, with the
 * server's first packets (CONNECT for /, the contract's `auth` event)
 * taken from the wire. */
static struct hx_session *raw_sio(struct ck *c, bool b64, struct v3_got *first)
{
    struct hx_session *s =
        ck_open(c, &(struct ck_sopt){.manual_poll = true, .hb = HX_HB_WITHHOLD, .no_b64 = !b64});
    poll_until(c, s, b64 ? POLL_B64 : POLL_XHR2, first, 0, "42[\"auth\"",
               "precondition: the `auth` event after the handshake");
    return s;
}

/* "<len>:<pkt>" with len in UTF-16 units. */
static const char *frame(struct ck *c, const char *pkt)
{
    return ck_fmt(c, "%zu:%s", cdc_utf16_units((const uint8_t *)pkt, strlen(pkt)), pkt);
}

static const struct hx_item *post(struct ck *c, struct hx_session *s, const char *tgt,
                                  const void *body, size_t len, const char *ctype)
{
    return ck_http(c, s,
                   &(struct ck_http){
                       .method = "POST", .target = tgt, .ctype = ctype, .body = body, .len = len});
}

static void post_ok(struct ck *c, struct hx_session *s, const char *tgt, const char *body)
{
    const struct hx_item *it = post(c, s, tgt, body, strlen(body), TEXT_CT);
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200,
             ck_fmt(c, "HTTP 200 for the POST of %s", body), "%s", ck_item_desc(c, it));
}

/* A ping answered by a pong: the session is alive. */
static void ping_pong(struct ck *c, struct hx_session *s, const char *why)
{
    int rc = hx_eio_send(s, EIO_PING, NULL, 0, false, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, ck_fmt(c, "the session still open (%s)", why), "%s",
             hx_session_reason(s));
    ck_wait(c, s, &(struct hx_match){.eio_types = HX_TYPE(EIO_PONG)}, CK_REPLY_MS,
            ck_fmt(c, "a pong: the session still open (%s)", why));
}

/* The next data message on extra WebSocket |chan| (control frames skipped);
 * ck_fail naming |what| on close or silence. */
static const struct hx_item *ws_msg(struct ck *c, unsigned chan, const char *what)
{
    for (;;) {
        const struct hx_item *it = ck_ws_next(c, NULL, chan, CK_REPLY_MS);
        if (!it)
            ck_fail(c, what, "nothing within %u ms", ck_ms(c, CK_REPLY_MS));
        if (it->kind != HX_ITEM_WS)
            ck_fail(c, what, "%s", ck_item_desc(c, it));
        if (it->opcode == HX_WS_TEXT || it->opcode == HX_WS_BINARY)
            return it;
    }
}

/* A fresh WebSocket-only session on an extra channel of the scratch
 * session, the open packet taken. */
static unsigned ws_fresh(struct ck *c)
{
    unsigned chan = 0;
    int rc = ck_ws(c, NULL, WS_NEW, true, &chan);
    if (rc != HX_OK)
        ck_error(c, "precondition: the WebSocket handshake failed: %s", hx_status_name(rc));
    const struct hx_item *it = ws_msg(c, chan, "precondition: an open packet");
    if (it->opcode != HX_WS_TEXT || it->raw.len < 2 || it->raw.p[0] != '0')
        ck_error(c, "precondition: the first message is %s, not an open packet",
                 ck_item_desc(c, it));
    return chan;
}

/* ---- handshake -------------------------------------------------------------- */

static void open_fields(struct ck *c)
{
    /* Revision 3 fixes no exact key set (the official suite checks none),
     * so extra keys are tolerated; the four of the spec must be there. */
    struct hx_session *s = ck_session(c, NULL);
    int rc = hx_eio_open(s, ck_tp(c), ck_in(c, CK_REPLY_MS));
    const char *exp = "an open packet 0{...} with sid, upgrades, pingInterval, pingTimeout "
                      "(maxPayload optional)";
    ck_check(c, rc == HX_OK, exp, "%s", hx_session_reason(s));
    const struct eio_handshake *hs = hx_session_handshake(s);
    unsigned need = EIO_HS_SID | EIO_HS_UPGRADES | EIO_HS_PING_INTERVAL | EIO_HS_PING_TIMEOUT;
    ck_check(c, (hs->present & need) == need, exp, "keys present: %s%s%s%s",
             hs->present & EIO_HS_SID ? "sid " : "",
             hs->present & EIO_HS_UPGRADES ? "upgrades " : "",
             hs->present & EIO_HS_PING_INTERVAL ? "pingInterval " : "",
             hs->present & EIO_HS_PING_TIMEOUT ? "pingTimeout" : "");
    ck_check(c, hs->sid_len > 0, "a non-empty sid", "an empty sid");
    ck_check(c, hs->ping_interval == 300, "pingInterval 300 (contract)", "pingInterval %llu",
             (unsigned long long)hs->ping_interval);
    ck_check(c, hs->ping_timeout == 200, "pingTimeout 200 (contract)", "pingTimeout %llu",
             (unsigned long long)hs->ping_timeout);
    ck_check(c, hs->max_payload == 0 || hs->max_payload == 1000000,
             "maxPayload absent or 1000000 (contract)", "maxPayload %llu",
             (unsigned long long)hs->max_payload);
    if (ck_tp(c) == HX_TP_POLLING)
        ck_check(c, hs->n_upgrades == 1 && (hs->upgrades & EIO_UPGRADE_WEBSOCKET),
                 "upgrades [\"websocket\"] on a polling handshake", "%u upgrade(s), websocket %s",
                 hs->n_upgrades, (hs->upgrades & EIO_UPGRADE_WEBSOCKET) ? "listed" : "missing");
    else
        ck_check(c, hs->n_upgrades == 0, "upgrades [] on a WebSocket handshake", "%u upgrade(s)",
                 hs->n_upgrades);
}

/* The handshake body is a v3 payload whose first packet is the open packet,
 * its length in characters; a cache-busting t parameter changes nothing. */
static void open_length_prefix(struct ck *c)
{
    const char *exp = "HTTP 200 with a body <len>:0{...} whose len counts the packet's characters";
    const struct hx_item *it = ck_get(c, NULL, "{path}?EIO=3&transport=polling&b64=1&t=Nq1x7Zb");
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200, exp, "%s", ck_item_desc(c, it));
    struct v3_got g = {0};
    ck_check(c, split_text(it->raw, &g) && g.n >= 1, exp, "%s", ck_item_desc(c, it));
    struct cdc_span p = g.seg[0].p;
    ck_check(c,
             p.len > 1 && p.p[0] == '0' &&
                 cdc_json_validate(p.p + 1, p.len - 1, 8, false, NULL) == CDC_OK &&
                 cdc_json_type_of((struct cdc_span){p.p + 1, p.len - 1}) == CDC_JSON_OBJECT,
             exp, "first packet \"%s\"", ck_str(c, p, true));
}

static void bad_transport(struct ck *c)
{
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=3"), 400, 0);
    ck_expect_eio_error(c, ck_get(c, NULL, "{path}?EIO=3&transport=abc"), 400, 0);
}

static void bad_method_post(struct ck *c)
{
    const struct hx_item *it = ck_http(
        c, NULL, &(struct ck_http){.method = "POST", .target = "{path}?EIO=3&transport=polling"});
    ck_expect_eio_error(c, it, 400, 2);
}

static void unknown_sid(struct ck *c)
{
    ck_expect_eio_error(
        c, ck_get(c, NULL, "{path}?EIO=3&transport=polling&b64=1&sid=abcdefghijklmnopqrst"), 400,
        1);
}

/* Refused: an HTTP 4xx instead of 101, or 101 then a close before any open
 * packet. */
static void ws_refused(struct ck *c, const char *target)
{
    unsigned chan = 0;
    int rc = ck_ws(c, NULL, target, true, &chan);
    if (rc == HX_ERR_CONNECT || rc == HX_ERR_NOMEM || rc == HX_ERR_INVALID_ARG)
        ck_error(c, "cannot open a WebSocket to %s: %s", target, hx_status_name(rc));
    ck_check(c, rc != HX_ERR_TIMEOUT, ck_fmt(c, "%s refused (HTTP 4xx) or closed at once", target),
             "no answer to the upgrade request");
    if (rc != HX_OK)
        return; /* refused before the 101 */
    const struct hx_item *it = ck_ws_next(c, NULL, chan, 1000);
    ck_check(c, it && (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR),
             ck_fmt(c, "%s refused (HTTP 4xx) or closed at once, without an open packet", target),
             "%s", it ? ck_item_desc(c, it) : "the WebSocket stayed open");
}

static void ws_bad_transport(struct ck *c)
{
    ws_refused(c, "{path}?EIO=3");
    ws_refused(c, "{path}?EIO=3&transport=abc");
}

/* Polling responses carry CORS headers for a cross-origin page. */
static void polling_cors(struct ck *c)
{
    static const struct hx_header origin[] = {{"Origin", "http://siospec.example"}};
    const struct hx_item *it = ck_http(
        c, NULL,
        &(struct ck_http){
            .target = "{path}?EIO=3&transport=polling&b64=1", .headers = origin, .n_headers = 1});
    ck_expect_status(c, it, 200, "handshake");
    struct cdc_span v;
    bool has = ck_header(it, "access-control-allow-origin", &v);
    ck_check(c, has && (ck_eq(v, "*") || ck_eq(v, "http://siospec.example")),
             "Access-Control-Allow-Origin * or http://siospec.example",
             "Access-Control-Allow-Origin %s", has ? ck_str(c, v, true) : "absent");
}

/* ---- JSONP -------------------------------------------------------------------- */

/* Unwraps ___eio[<j>]("<payload>"); into |out| (a payload). */
static bool jsonp_unwrap(struct ck *c, const struct hx_item *it, unsigned j, struct cdc_buf *out)
{
    const char *head = ck_fmt(c, "___eio[%u](", j);
    size_t h = strlen(head);
    struct cdc_span b = it->raw;
    while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == ' '))
        b.len--;
    if (it->kind != HX_ITEM_HTTP || it->http_status != 200 || b.len < h + 4 ||
        memcmp(b.p, head, h) != 0 || memcmp(b.p + b.len - 2, ");", 2) != 0)
        return false;
    struct cdc_span str = {b.p + h, b.len - h - 2};
    return cdc_json_validate(str.p, str.len, 2, false, NULL) == CDC_OK &&
           cdc_json_type_of(str) == CDC_JSON_STRING && cdc_json_string_unescape(str, out) == CDC_OK;
}

/* GETs |tgt| (JSONP index |j|) until a packet starting with |prefix|. */
static void jsonp_poll(struct ck *c, const char *tgt, unsigned j, struct v3_got *g,
                       const char *prefix, const char *what)
{
    for (int round = 0; round < 4 && !has_prefix(g, prefix); round++) {
        const struct hx_item *it = ck_get(c, NULL, tgt);
        const char *d = ck_item_desc(c, it);
        g->seen = g->seen ? ck_fmt(c, "%s, %s", g->seen, d) : d;
        struct cdc_buf b;
        cdc_buf_init(&b, 1u << 20, NULL);
        bool ok = jsonp_unwrap(c, it, j, &b);
        const char *payload = ok ? ck_str(c, (struct cdc_span){b.p, b.len}, false) : NULL;
        cdc_buf_free(&b);
        if (!ok || !split_text(ck_span(payload), g))
            ck_fail(c, what, "%s", g->seen);
    }
    ck_check(c, has_prefix(g, prefix), what, "%s", g->seen);
}

static void jsonp_handshake(struct ck *c)
{
    struct v3_got g = {0};
    jsonp_poll(c, "{path}?EIO=3&transport=polling&j=3", 3, &g, "0{",
               "___eio[3](\"<v3 payload with the open packet, JSON-escaped>\");");
}

/* Percent-encodes everything but the unreserved characters. */
static const char *form_escape(struct ck *c, const char *s)
{
    const char *out = "";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~';
        out = keep ? ck_fmt(c, "%s%c", out, *p) : ck_fmt(c, "%s%%%02X", out, *p);
    }
    return out;
}

/* JSONP POST: form field d, a newline sent as \n and an escaped newline
 * (JSON's backslash-n) as \\n; the server undoes both. */
static void jsonp_post(struct ck *c)
{
    struct v3_got g = {0};
    jsonp_poll(c, "{path}?EIO=3&transport=polling&j=0", 0, &g, "0{",
               "precondition: a JSONP handshake");
    struct cdc_span open = {g.seg[0].p.p + 1, g.seg[0].p.len - 1}, sid;
    char sidbuf[EIO_SID_MAX + 1];
    struct cdc_buf sb = {(uint8_t *)sidbuf, 0, EIO_SID_MAX, EIO_SID_MAX, NULL};
    if (cdc_json_validate(open.p, open.len, 8, false, NULL) != CDC_OK ||
        cdc_json_object_get(open, "sid", &sid) != 1 || cdc_json_string_unescape(sid, &sb) != CDC_OK)
        ck_error(c, "precondition: no sid in the JSONP open packet %s", g.seen);
    sidbuf[sb.len] = 0;
    const char *tgt = ck_fmt(c, "{path}?EIO=3&transport=polling&j=0&sid=%s", sidbuf);
    jsonp_poll(c, tgt, 0, &g, "42[\"auth\"", "precondition: the `auth` event");

    /* The packet 42["message","a\nb",<newline>1] (backslash-n inside the
     * string, a real newline between the elements). */
    const char *pkt = "42[\"message\",\"a\\nb\",\n1]";
    const char *wire = "42[\"message\",\"a\\\\nb\",\\n1]";
    const char *body = ck_fmt(c, "d=%s", form_escape(c, ck_fmt(c, "%zu:%s", strlen(pkt), wire)));
    const struct hx_item *it =
        post(c, NULL, tgt, body, strlen(body), "application/x-www-form-urlencoded");
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200,
             "HTTP 200 for a JSONP POST (form field d)", "%s", ck_item_desc(c, it));
    size_t from = g.n;
    jsonp_poll(c, tgt, 0, &g, "42[\"message-back\"",
               "the echo 42[\"message-back\",\"a\\nb\",1] in a JSONP response");
    for (size_t i = from; i < g.n; i++)
        if (seg_sio(&g.seg[i], "42", "[\"message-back\",\"a\\nb\",1]"))
            return;
    ck_fail(c, "42[\"message-back\",\"a\\nb\",1]: both newline escapes undone", "%s", g.seen);
}

/* ---- messages over polling ------------------------------------------------------- */

static void message_one(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, true, &g);
    const char *body = frame(c, "42[\"message\",\"hello\"]");
    const struct hx_item *it = post(c, s, POLL_B64, body, strlen(body), TEXT_CT);
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200 && ck_eq(it->raw, "ok"),
             "HTTP 200 with body ok for the POST", "%s", ck_item_desc(c, it));
    const char *exp = "27:42[\"message-back\",\"hello\"]";
    struct v3_got r = {0};
    poll_until(c, s, POLL_B64, &r, 1, NULL, exp);
    ck_check(c, r.n == 1 && seg_sio(&r.seg[0], "42", "[\"message-back\",\"hello\"]"), exp, "%s",
             r.seen);
}

static void message_several(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, true, &g);
    const char *body = ck_fmt(c, "%s%s%s", frame(c, "42[\"message\",1]"),
                              frame(c, "42[\"message\",2]"), frame(c, "42[\"message\",3]"));
    post_ok(c, s, POLL_B64, body);
    const char *exp = "the three echoes, in order, each <len>:42[\"message-back\",N]";
    struct v3_got r = {0};
    poll_until(c, s, POLL_B64, &r, 3, NULL, exp);
    ck_check(c,
             r.n == 3 && seg_sio(&r.seg[0], "42", "[\"message-back\",1]") &&
                 seg_sio(&r.seg[1], "42", "[\"message-back\",2]") &&
                 seg_sio(&r.seg[2], "42", "[\"message-back\",3]"),
             exp, "%s", r.seen);
}

#define BIN_EVENT "451-[\"message\",{\"_placeholder\":true,\"num\":0}]"
#define BIN_BACK "[\"message-back\",{\"_placeholder\":true,\"num\":0}]"

/* With b64=1 a binary packet travels as b<type><base64>. */
static void message_b64(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, true, &g);
    post_ok(c, s, POLL_B64, ck_fmt(c, "%s10:b4AQIDBA==", frame(c, BIN_EVENT)));
    const char *exp = "<len>:451-[\"message-back\",{placeholder 0}] then 10:b4AQIDBA==";
    struct v3_got r = {0};
    poll_until(c, s, POLL_B64, &r, 2, NULL, exp);
    ck_check(c, r.n == 2 && seg_sio(&r.seg[0], "451-", BIN_BACK) && seg_is(&r.seg[1], "b4AQIDBA=="),
             exp, "%s", r.seen);
}

/* Without b64 a payload holding binary is the XHR2 form; string lengths
 * there count UTF-8 bytes. */
static void message_xhr2(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, false, &g);
    post_ok(
        c, s, POLL_XHR2,
        ck_fmt(c, "%s10:b4AQIDBA==",
               frame(c, "451-[\"message\",\"\xe2\x82\xac\",{\"_placeholder\":true,\"num\":0}]")));
    const char *exp = "an application/octet-stream body 00 <byte length> ff 451-[\"message-back\","
                      "\"\xe2\x82\xac\",{placeholder 0}] 01 05 ff 04 01 02 03 04";
    struct v3_got r = {0};
    poll_until(c, s, POLL_XHR2, &r, 2, NULL, exp);
    static const uint8_t bin[] = {4, 1, 2, 3, 4};
    ck_check(c,
             r.n == 2 &&
                 seg_sio(&r.seg[0], "451-",
                         "[\"message-back\",\"\xe2\x82\xac\",{\"_placeholder\":true,\"num\":0}]") &&
                 r.seg[1].bin && r.seg[1].p.len == sizeof(bin) &&
                 memcmp(r.seg[1].p.p, bin, sizeof(bin)) == 0,
             exp, "%s", r.seen);
}

/* A client may POST the XHR2 binary form itself (octet-stream). */
static void message_xhr2_post(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, true, &g);
    static const char pkt[] = BIN_EVENT;
    uint8_t body[128];
    size_t n = 0, len = sizeof(pkt) - 1;
    body[n++] = 0;
    char digits[8];
    int nd = snprintf(digits, sizeof(digits), "%zu", len);
    for (int i = 0; i < nd; i++)
        body[n++] = (uint8_t)(digits[i] - '0');
    body[n++] = 0xff;
    memcpy(body + n, pkt, len);
    n += len;
    static const uint8_t att[] = {1, 5, 0xff, 4, 1, 2, 3, 4};
    memcpy(body + n, att, sizeof(att));
    n += sizeof(att);
    const struct hx_item *it = post(c, s, POLL_B64, body, n, "application/octet-stream");
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200,
             "HTTP 200 for a POST in the XHR2 binary form", "%s", ck_item_desc(c, it));
    const char *exp = "the echo <len>:451-[\"message-back\",{placeholder 0}] 10:b4AQIDBA==";
    struct v3_got r = {0};
    poll_until(c, s, POLL_B64, &r, 2, NULL, exp);
    ck_check(c, r.n == 2 && seg_sio(&r.seg[0], "451-", BIN_BACK) && seg_is(&r.seg[1], "b4AQIDBA=="),
             exp, "%s", r.seen);
}

/* € is one UTF-16 unit (3 UTF-8 bytes), U+1F600 two (4 bytes): both ways. */
static void message_utf16(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, true, &g);
    /* 19 units (22 bytes) in, 24 units (27 bytes) out. */
    post_ok(c, s, POLL_B64, "19:42[\"message\",\"\xe2\x82\xac\xf0\x9f\x98\x80\"]");
    const char *exp = "24:42[\"message-back\",\"\xe2\x82\xac\xf0\x9f\x98\x80\"] (length in "
                      "UTF-16 units, not the 27 UTF-8 bytes)";
    struct v3_got r = {0};
    poll_until(c, s, POLL_B64, &r, 1, NULL, exp);
    ck_check(c,
             r.n == 1 &&
                 seg_sio(&r.seg[0], "42", "[\"message-back\",\"\xe2\x82\xac\xf0\x9f\x98\x80\"]"),
             exp, "%s", r.seen);
}

/* ---- malformed payloads (the session must end) ---------------------------------- */

/* Sends |body| verbatim (one POST / one text message) on a heartbeating
 * session and expects the server to end the session. */
static void expect_close_after(struct ck *c, const char *body, const char *why)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_raw(c, s, body, strlen(body), false);
    ck_expect_closed(c, s, 800, why);
}

static void bad_utf8_length(struct ck *c)
{
    expect_close_after(c, "19:42[\"message\",\"\xe2\x82\xac\"]",
                       "a length of 19 (UTF-8 bytes) for a 17-character packet");
}

static void bad_length_nonnumeric(struct ck *c)
{
    expect_close_after(c, "x:42[\"message\"]", "a length prefix that is not a number");
}

static void bad_trailing(struct ck *c)
{
    expect_close_after(c, "13:42[\"message\"]xyz", "bytes after the last packet");
}

static void bad_packet(struct ck *c)
{
    expect_close_after(c, "abc", "abc is not a packet");
}

static void bad_type(struct ck *c)
{
    expect_close_after(c, "1:7", "packet type 7 does not exist");
}

/* The empty payload 0: (what the reference encoder writes for no packets). */
static void empty_payload(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_MANUAL, .queue_control = true});
    int rc = ck_raw(c, s, "0:", 2, false);
    ck_check(c, rc == HX_OK, "HTTP 200 for the empty payload 0:", "%s", hx_session_reason(s));
    ping_pong(c, s, "0: is a payload without packets");
}

/* ---- WebSocket framing -------------------------------------------------------- */

/* One packet per frame: open packet, CONNECT, auth event, never joined. */
static void ws_frames(struct ck *c)
{
    unsigned chan = 0;
    int rc = ck_ws(c, NULL, WS_NEW, true, &chan);
    if (rc != HX_OK)
        ck_error(c, "precondition: the WebSocket handshake failed: %s", hx_status_name(rc));
    const char *exp = "three text frames 0{...}, 40 and 42[\"auth\",{}], one packet each";
    const struct hx_item *a = ws_msg(c, chan, exp);
    struct cdc_span j = {a->raw.p + 1, a->raw.len ? a->raw.len - 1 : 0};
    ck_check(c,
             a->opcode == HX_WS_TEXT && a->raw.len > 1 && a->raw.p[0] == '0' &&
                 cdc_json_validate(j.p, j.len, 8, false, NULL) == CDC_OK,
             exp, "first %s", ck_item_desc(c, a));
    const struct hx_item *b = ws_msg(c, chan, exp);
    ck_check(c, b->opcode == HX_WS_TEXT && ck_eq(b->raw, "40"), exp, "second %s",
             ck_item_desc(c, b));
    const struct hx_item *d = ws_msg(c, chan, exp);
    struct v3_seg sg = {d->raw, false};
    ck_check(c, d->opcode == HX_WS_TEXT && seg_sio(&sg, "42", "[\"auth\",{}]"), exp, "third %s",
             ck_item_desc(c, d));
}

/* A fresh Socket.IO session on an extra WebSocket, up to the `auth` event. */
static unsigned ws_sio(struct ck *c)
{
    unsigned chan = ws_fresh(c);
    for (;;) {
        const struct hx_item *it = ws_msg(c, chan, "precondition: the `auth` event");
        if (it->opcode == HX_WS_TEXT && it->raw.len > 9 && memcmp(it->raw.p, "42[\"auth\"", 9) == 0)
            return chan;
    }
}

static void ws_text(struct ck *c)
{
    unsigned chan = ws_sio(c);
    static const char pkt[] = "42[\"message\",\"hello\"]";
    ck_ws_send(c, NULL, chan, pkt, sizeof(pkt) - 1, false);
    const char *exp = "a text frame 42[\"message-back\",\"hello\"]";
    const struct hx_item *t = ws_msg(c, chan, exp);
    struct v3_seg sg = {t->raw, false};
    ck_check(c, t->opcode == HX_WS_TEXT && seg_sio(&sg, "42", "[\"message-back\",\"hello\"]"), exp,
             "%s", ck_item_desc(c, t));
}

/* A binary frame starts with the packet type byte (04 = message). */
static void ws_binary(struct ck *c)
{
    unsigned chan = ws_sio(c);
    static const uint8_t att[] = {4, 1, 2, 3, 4};
    ck_ws_send(c, NULL, chan, BIN_EVENT, sizeof(BIN_EVENT) - 1, false);
    ck_ws_send(c, NULL, chan, att, sizeof(att), true);
    const char *exp = "a text frame 451-[\"message-back\",{placeholder 0}] then a binary frame 04 "
                      "01 02 03 04";
    /* Unrelated text frames before the echo's header are not the point. */
    const struct hx_item *t = ws_msg(c, chan, exp);
    while (t->opcode == HX_WS_TEXT && !(t->raw.len > 2 && memcmp(t->raw.p, "45", 2) == 0))
        t = ws_msg(c, chan, exp);
    struct v3_seg sg = {t->raw, false};
    ck_check(c, t->opcode == HX_WS_TEXT && seg_sio(&sg, "451-", BIN_BACK), exp, "%s",
             ck_item_desc(c, t));
    const struct hx_item *b = ws_msg(c, chan, exp);
    ck_check(c,
             b->opcode == HX_WS_BINARY && b->raw.len == sizeof(att) &&
                 memcmp(b->raw.p, att, sizeof(att)) == 0,
             exp, "%s frame [%s]", b->opcode == HX_WS_BINARY ? "binary" : "text", hex(c, b->raw));
}

/* ---- heartbeat -------------------------------------------------------------------- */

/* Three pings about pingInterval apart, each answered by an empty pong; the
 * session outlives pingInterval + pingTimeout because of them. */
static void hb_pong(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_MANUAL, .queue_control = true});
    uint32_t pi = ck_ping_interval(c);
    for (int i = 0; i < 3; i++) {
        ping_pong(c, s, "the client pings every pingInterval");
        hx_session_release_items(s);
        /* The gap is the server's timing, so it is not scaled. */
        hx_session_pump(s, hx_session_in(s, pi - 50));
    }
    ck_eio_send(c, s, EIO_PING, NULL);
    const struct hx_item *it = ck_wait_eio(c, s, EIO_PONG, CK_REPLY_MS);
    ck_check(c, it->eio.data.len == 0, "a pong without data for a ping without data", "pong \"%s\"",
             ck_str(c, it->eio.data, true));
}

/* The spec: the pong carries the ping's data (2probe gets 3probe). */
static void hb_pong_data(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_MANUAL, .queue_control = true});
    ck_eio_send(c, s, EIO_PING, "probe");
    const struct hx_item *it = ck_wait_eio(c, s, EIO_PONG, CK_REPLY_MS);
    ck_check(c, ck_eq(it->eio.data, "probe"), "3probe: the pong repeats the ping's data",
             "pong \"%s\"", ck_str(c, it->eio.data, true));
}

/* A client that stops pinging is dropped after pingInterval + pingTimeout,
 * not before. */
static void hb_timeout(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_WITHHOLD});
    uint32_t limit = ck_ping_interval(c) + ck_ping_timeout(c);
    bool closed = ck_closes_within(c, s, limit + 400);
    uint32_t at = ck_now_ms(c);
    ck_check(c, closed,
             ck_fmt(c,
                    "the session closed about pingInterval + pingTimeout (%u ms) after the "
                    "last ping",
                    limit),
             "still open %u ms after the handshake without a ping", at);
    ck_check(c, at + 50 >= limit,
             ck_fmt(c, "the session kept for pingInterval + pingTimeout (%u ms)", limit),
             "closed %u ms after the handshake request (%s)", at, hx_session_reason(s));
}

/* In revision 3 the client pings: the server never does. */
static void hb_no_server_ping(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.hb = HX_HB_MANUAL, .queue_control = true});
    ck_eio_send(c, s, EIO_PING, NULL);
    struct hx_match m = hx_match_eio(EIO_PING);
    ck_expect_none(c, s, &m, ck_ping_interval(c) + 150, "ping from the server (revision 3)");
}

/* A pong from the client has the wrong direction; the reference closes. */
static void hb_client_pong(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_eio_send(c, s, EIO_PONG, NULL);
    ck_expect_closed(c, s, 800, "a pong sent by the client");
    ck_note(c, "the server closed the session");
}

/* ---- close ------------------------------------------------------------------------ */

/* Close packet in a POST while a GET waits: the GET is released, the sid
 * is gone. */
static void close_polling(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.queue_control = true});
    ck_expect_open(c, s, 100, "settling before the close");
    char sid[EIO_SID_MAX + 1];
    snprintf(sid, sizeof(sid), "%s", hx_session_handshake(s)->sid);
    hx_session_release_items(s);
    int rc = hx_session_close(s, HX_CLOSE_GRACEFUL, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "the pending GET answered at once after the POST of 1:1", "%s",
             hx_session_reason(s));
    struct hx_match m = {.eio_types = HX_TYPE(EIO_NOOP) | HX_TYPE(EIO_CLOSE)};
    const struct hx_item *it = ck_try_wait(c, s, &m, 0);
    ck_check(c, it != NULL, "the pending GET answered 1:6 (noop, as the reference) or 1:1",
             "no noop or close packet in the GET's answer");
    ck_note(c, "pending GET released with %s", eio_type_name((int)it->eio.type));
    const struct hx_item *after =
        ck_get(c, NULL, ck_fmt(c, "{path}?EIO=3&transport=polling&b64=1&sid=%s", sid));
    ck_expect_status(c, after, 400, "the sid is gone after the close packet");
}

static void close_ws(struct ck *c)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_eio_send(c, s, EIO_CLOSE, NULL);
    ck_expect_closed(c, s, 500, "the client sent the close packet 1 over WebSocket");
}

/* ---- upgrade ------------------------------------------------------------------------ */

/* Opens the upgrade candidate for |s| and exchanges the probe. */
static unsigned probe(struct ck *c, struct hx_session *s)
{
    unsigned chan = 0;
    int rc = ck_ws(c, s, WS_SID, true, &chan);
    if (rc == HX_ERR_CONNECT)
        ck_error(c, "cannot open a WebSocket: %s", hx_status_name(rc));
    ck_check(c, rc == HX_OK, "HTTP 101 for a WebSocket with the session's sid", "%s (%s)",
             hx_status_name(rc), hx_session_reason(s));
    ck_ws_send(c, s, chan, "2probe", 6, false);
    const struct hx_item *it = ck_ws_next(c, s, chan, CK_REPLY_MS);
    while (it && it->kind == HX_ITEM_WS && it->opcode != HX_WS_TEXT && it->opcode != HX_WS_BINARY)
        it = ck_ws_next(c, s, chan, CK_REPLY_MS);
    ck_check(c,
             it && it->kind == HX_ITEM_WS && it->opcode == HX_WS_TEXT && ck_eq(it->raw, "3probe"),
             "3probe on the WebSocket in answer to 2probe", "%s", ck_item_desc(c, it));
    return chan;
}

static void upgrade_probe(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true, .hb = HX_HB_WITHHOLD});
    probe(c, s);
}

/* After the probe, a GET is answered with a noop (after whatever the
 * server had queued) so that the client can pause polling. */
static void upgrade_noop(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true, .hb = HX_HB_WITHHOLD});
    probe(c, s);
    struct v3_got g = {0};
    poll_until(c, s, POLL_B64, &g, 0, "6", "a GET answered with the noop 1:6 after the probe");
}

/* After 5 the WebSocket carries the session: a ping on it is answered on it. */
static void upgrade_switch(struct ck *c)
{
    struct hx_session *s = ck_open_on(c, HX_TP_POLLING, NULL);
    int rc = hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "the upgrade (2probe, 3probe, noop, 5) completes", "%s",
             hx_session_reason(s));
    hx_session_set_hb(s, HX_HB_MANUAL);
    ck_eio_send(c, s, EIO_PING, NULL);
    struct hx_match m = {.eio_types = HX_TYPE(EIO_PONG), .chan = hx_session_ws_chan(s)};
    ck_wait(c, s, &m, CK_REPLY_MS, "a pong on the WebSocket after the upgrade");
}

/* An upgraded session, the server known to have taken the WebSocket (a
 * pong came on it, so the 5 before the ping was processed). */
static struct hx_session *upgraded(struct ck *c)
{
    struct hx_session *s = ck_open_on(c, HX_TP_POLLING, &(struct ck_sopt){.queue_control = true});
    int rc = hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "precondition: the upgrade failed: %s", hx_session_reason(s));
    hx_session_release_items(s);
    rc = hx_eio_send(s, EIO_PING, NULL, 0, false, ck_in(c, CK_REPLY_MS));
    struct hx_match m = {.eio_types = HX_TYPE(EIO_PONG), .chan = hx_session_ws_chan(s)};
    if (rc != HX_OK || !ck_try_wait(c, s, &m, CK_REPLY_MS))
        ck_error(c, "precondition: no pong on the WebSocket after the upgrade: %s",
                 hx_session_reason(s));
    return s;
}

static void upgrade_poll_after(struct ck *c)
{
    struct hx_session *s = upgraded(c);
    ck_expect_status(c, ck_get(c, s, POLL_B64), 400, "polling after the upgrade");
    ping_pong(c, s, "the WebSocket keeps working");
}

static void upgrade_second_ws(struct ck *c)
{
    struct hx_session *s = upgraded(c);
    unsigned chan = 0;
    int rc = ck_ws(c, s, WS_SID, true, &chan);
    if (rc == HX_ERR_CONNECT)
        ck_error(c, "cannot open a WebSocket: %s", hx_status_name(rc));
    if (rc == HX_OK) {
        /* A probe, unless the server closed the WebSocket already. */
        struct hx_ws_out f = {.opcode = HX_WS_TEXT, .payload = (const uint8_t *)"2probe", .len = 6};
        hx_session_ws_send(s, chan, &f);
        const struct hx_item *it = ck_ws_next(c, s, chan, 1000);
        while (it && it->kind == HX_ITEM_WS && it->opcode != HX_WS_TEXT &&
               it->opcode != HX_WS_BINARY)
            it = ck_ws_next(c, s, chan, 1000);
        ck_check(c, it && (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR),
                 "a second WebSocket for an upgraded sid refused or closed", "%s",
                 it ? ck_item_desc(c, it) : "it stayed open");
    }
    ping_pong(c, s, "the first WebSocket keeps working");
}

/* What the server queued between probe and upgrade goes out on the
 * WebSocket once 5 arrives. */
static void upgrade_flush(struct ck *c)
{
    struct v3_got g = {0};
    struct hx_session *s = raw_sio(c, true, &g);
    unsigned chan = probe(c, s);
    post_ok(c, s, POLL_B64, frame(c, "42[\"message\",\"queued\"]"));
    ck_ws_send(c, s, chan, "5", 1, false);
    const char *exp = "42[\"message-back\",\"queued\"] on the WebSocket after 5";
    for (;;) {
        const struct hx_item *it = ck_ws_next(c, s, chan, CK_REPLY_MS);
        ck_check(c, it && it->kind == HX_ITEM_WS, exp, "%s", ck_item_desc(c, it));
        struct v3_seg sg = {it->raw, false};
        if (it->opcode == HX_WS_TEXT && seg_sio(&sg, "42", "[\"message-back\",\"queued\"]"))
            return;
        ck_check(c, it->opcode != HX_WS_TEXT || (it->raw.len && it->raw.p[0] == '6'), exp, "%s",
                 ck_item_desc(c, it));
    }
}

/* ---- the table ------------------------------------------------------------------------ */

static const struct ck_case cases[] = {
    {.id = "eio3.handshake.open",
     .title = "opens a session",
     .req = "A revision 3 handshake answers an open packet with a sid, the upgrades the "
            "transport allows and the contract's ping values; maxPayload is absent or 1000000.",
     .spec =
         "eio3:urls:1,eio3:session:1,eio3:session:2,eio3:session:3,eio3:session:4,eio3:session:5,"
         "eio3:packet-open:1,eio3:urls:7,eio3:transports:1,eio3:sample-ws:1,ref:v3-handshake:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO3,
     .tags = "handshake,smoke",
     .origin = "handshake > HTTP long-polling > successfully opens a session",
     .run = open_fields},
    {.id = "eio3.handshake.length-prefix",
     .title = "handshake body is <len>:0{...}",
     .req = "The polling handshake body is a v3 payload whose first packet is the open packet, "
            "its length prefix counting characters; a t cache buster changes nothing.",
     .spec = "eio3:sample-session:1,eio3:payload:1,eio3:payload:8,eio3:urls:8",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "handshake,payload",
     .origin = "handshake > HTTP long-polling > successfully opens a session",
     .run = open_length_prefix},
    {.id = "eio3.handshake.bad-transport",
     .title = "missing or unknown transport is refused with code 0",
     .req = "A revision 3 handshake without a transport or with an unknown one gets HTTP 400 "
            "and error code 0.",
     .spec = "eio3:urls:3,ref:eio4-errors:1,ref:eio4-errors:6",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid 'transport' query parameter",
     .run = bad_transport},
    {.id = "eio3.handshake.bad-method-post",
     .title = "POST cannot open a session",
     .req = "A POST without sid does not open a session: HTTP 400 with error code 2.",
     .spec = "ref:eio4-errors:3,ref:eio4-errors:6",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "handshake,errors",
     .origin = "handshake > HTTP long-polling > fails with an invalid request method",
     .run = bad_method_post},
    {.id = "eio3.handshake.unknown-sid",
     .title = "unknown sid is refused with code 1",
     .req = "A polling request naming a sid the server does not know gets HTTP 400 and error "
            "code 1.",
     .spec = "ref:eio4-errors:2,ref:eio4-errors:6",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "handshake,errors",
     .run = unknown_sid},
    {.id = "eio3.handshake.ws-bad-transport",
     .title = "WebSocket with a missing or unknown transport is refused",
     .req = "A WebSocket request without a transport or with an unknown one is refused or "
            "closed before any open packet.",
     .spec = "eio3:urls:3,ref:eio4-ws:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO3,
     .tags = "handshake,errors,websocket",
     .origin = "handshake > WebSocket > fails with an invalid 'transport' query parameter",
     .run = ws_bad_transport},
    {.id = "eio3.polling.cors",
     .title = "polling answers carry CORS headers",
     .req = "XHR polling responses allow a cross-origin page (contract: any origin).",
     .spec = "eio3:xhr:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "polling,http,cors",
     .run = polling_cors},
    {.id = "eio3.jsonp.handshake",
     .title = "JSONP polling wraps the payload in ___eio[j]",
     .req = "With the j query parameter the server answers valid JavaScript ___eio[j](\"...\"); "
            "holding the JSON-escaped payload, with j taken from the URL.",
     .spec = "eio3:jsonp:1,eio3:jsonp:2,eio3:jsonp:3,eio3:jsonp:4,eio3:transports:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "polling,jsonp",
     .run = jsonp_handshake},
    {.id = "eio3.jsonp.post",
     .title = "JSONP POST: form field d, newline escapes undone",
     .req = "The server reads JSONP data from the form field d and turns \\n back into a newline "
            "and \\\\n back into \\n before decoding the payload.",
     .spec = "eio3:jsonp-post:1,eio3:jsonp-post:2,eio3:jsonp:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "polling,jsonp",
     .run = jsonp_post},
    {.id = "eio3.message.one",
     .title = "one packet in, one packet out",
     .req = "A POST of one length-prefixed packet is answered 200 ok, and the server's reply "
            "comes in a GET as a length-prefixed packet.",
     .spec = "eio3:payload:1,eio3:payload:8,eio3:sample-session:2,eio3:sample-session:3,"
             "eio3:session:7,eio3:packet-message:1,eio3:packet-message:2,eio3:packet:2,"
             "eio3:polling:1,sio4:sample-session:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "message,payload,smoke",
     .origin = "message > HTTP long-polling > sends and receives a payload containing one plain "
               "text packet",
     .run = message_one},
    {.id = "eio3.message.several",
     .title = "several packets in one payload",
     .req = "Several length-prefixed packets in one POST are all decoded in order, and "
            "replies come back length-prefixed.",
     .spec = "eio3:payload:1,eio3:payload:5,eio3:sample-session:3,sio4:sample-session:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "message,payload",
     .origin = "message > HTTP long-polling > sends and receives a payload containing several "
               "plain text packets",
     .run = message_several},
    {.id = "eio3.message.b64-binary",
     .title = "binary as b4<base64> with b64=1",
     .req = "With b64=1 binary packets travel in the text payload as b followed by the type digit "
            "and base64, the length counting every character after the colon.",
     .spec = "eio3:payload:3,eio3:payload:4,eio3:payload:5,eio3:urls:6",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "message,payload,binary",
     .origin = "message > HTTP long-polling > sends and receives a payload containing plain text "
               "and binary packets (base64 encoded)",
     .run = message_b64},
    {.id = "eio3.message.xhr2-binary",
     .title = "binary payload in the XHR2 form without b64",
     .req = "Without b64 a payload holding binary is sent in the XHR2 form (0/1, length digits, "
            "0xFF, bytes) as application/octet-stream, string lengths counting UTF-8 bytes and "
            "binary entries starting with the type byte.",
     .spec = "eio3:payload:6,eio3:payload:7,ref:v3-payload:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "message,payload,binary",
     .origin = "message > HTTP long-polling > sends and receives a payload containing plain text "
               "and binary packets (binary)",
     .run = message_xhr2},
    {.id = "eio3.message.xhr2-post",
     .title = "client POST in the XHR2 binary form",
     .req = "The server decodes a POST whose body is an XHR2 binary payload "
            "(application/octet-stream).",
     .spec = "eio3:payload:6,ref:v3-payload:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "message,payload,binary",
     .run = message_xhr2_post},
    {.id = "eio3.message.utf16-length",
     .title = "lengths count UTF-16 units (€ = 1, U+1F600 = 2)",
     .req = "Length prefixes count UTF-16 code units both ways: one for €, two for a character "
            "outside the BMP.",
     .spec = "eio3:payload:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "message,payload,utf8",
     .run = message_utf16},
    {.id = "eio3.message.byte-length",
     .title = "a length in UTF-8 bytes does not frame the packet",
     .req = "A length prefix that counts the UTF-8 bytes of non-ASCII text does not match the "
            "packet, and the server closes the session.",
     .spec = "eio3:payload:2,ref:v3-payload:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "message,payload,utf8,errors",
     .run = bad_utf8_length},
    {.id = "eio3.message.length-not-number",
     .title = "non-numeric length closes the session",
     .req = "A payload whose length prefix is not a decimal number closes the session.",
     .spec = "eio3:payload:1,ref:v3-payload:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "message,payload,errors",
     .run = bad_length_nonnumeric},
    {.id = "eio3.message.trailing-bytes",
     .title = "bytes after the last packet close the session",
     .req = "Bytes after the last length-prefixed packet make the payload invalid and close the "
            "session.",
     .spec = "eio3:payload:1,ref:v3-payload:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "message,payload,errors",
     .run = bad_trailing},
    {.id = "eio3.message.invalid-packet",
     .title = "invalid packet closes the session",
     .req = "A body or WebSocket message that is not a valid packet (abc) closes the session.",
     .spec = "eio3:packet:2,ref:v3-payload:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO3,
     .tags = "message,errors",
     .origin = "message > HTTP long-polling > closes the session upon invalid packet format",
     .run = bad_packet},
    {.id = "eio3.message.unknown-type",
     .title = "packet type 7 closes the session",
     .req = "A packet whose type is not 0-6 closes the session.",
     .spec = "eio3:packet:4,ref:v3-payload:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "message,errors",
     .run = bad_type},
    {.id = "eio3.message.empty-payload",
     .title = "0: is accepted as no packets",
     .req = "The empty payload 0:, which the reference encoder writes for no packets, is "
            "accepted and keeps the session.",
     .spec = "ref:v3-payload:2",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "message,payload",
     .run = empty_payload},
    {.id = "eio3.websocket.frames",
     .title = "one packet per WebSocket frame, no payload framing",
     .req = "On WebSocket every packet is its own frame without a length prefix, even when "
            "several are sent at once.",
     .spec = "eio3:websocket:1,eio3:websocket:2,eio3:sample-session:5,sio4:connect-default:1",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "websocket,payload",
     .run = ws_frames},
    {.id = "eio3.message.ws-text",
     .title = "text packets travel as text frames",
     .req = "A text packet is one WebSocket text frame <type><data> both ways.",
     .spec = "eio3:packet:2,eio3:websocket:1,eio3:packet-message:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "message,websocket",
     .origin = "message > WebSocket > sends and receives a plain text packet",
     .run = ws_text},
    {.id = "eio3.message.ws-binary",
     .title = "binary WebSocket frames start with the type byte",
     .req = "A binary WebSocket frame holds the packet type byte (04) before the data, from the "
            "client and from the server.",
     .spec = "eio3:packet:1,eio3:packet:3,sio4:encoding:9",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_SIO4,
     .tags = "message,websocket,binary",
     .origin = "message > WebSocket > sends and receives a binary packet",
     .run = ws_binary},
    {.id = "eio3.heartbeat.pong",
     .title = "client pings are answered with pongs",
     .req = "Every ping from the client is answered by a pong without data, and pings every "
            "pingInterval keep the session open.",
     .spec = "eio3:session:6,eio3:packet-pong:1,eio3:sample-session:6,eio3:timeouts:4,"
             "sio4:sample-session:7",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO3,
     .tags = "heartbeat,timing",
     .origin = "heartbeat > HTTP long-polling > sends ping/pong packets",
     .run = hb_pong},
    {.id = "eio3.heartbeat.pong-data",
     .title = "pong repeats the ping's data",
     .req = "The server's pong carries the data of the ping it answers (2probe gets 3probe).",
     .spec = "eio3:packet-ping:2",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_EIO3,
     .tags = "heartbeat",
     .run = hb_pong_data},
    {.id = "eio3.heartbeat.timeout",
     .title = "silent client is dropped after pingInterval + pingTimeout",
     .req = "A client that sends no ping for pingInterval + pingTimeout is dropped then, and "
            "not earlier.",
     .spec = "eio3:timeouts:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_EIO3,
     .tags = "heartbeat,timing",
     .origin = "heartbeat > HTTP long-polling > closes the session upon ping timeout",
     .run = hb_timeout},
    {.id = "eio3.heartbeat.no-server-ping",
     .title = "the server never pings",
     .req = "In revision 3 only the client sends pings; the server does not.",
     .spec = "eio3:packet-ping:1,eio3:packet-pong:1",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO3,
     .tags = "heartbeat,timing",
     .run = hb_no_server_ping},
    {.id = "eio3.heartbeat.client-pong",
     .title = "a pong from the client (reference: closes)",
     .req = "Pongs go from server to client in revision 3; the reference closes a session whose "
            "client sends one.",
     .spec = "ref:v3-heartbeat:1,eio3:packet-pong:1",
     .level = CK_INFO,
     .tps = CK_BOTH,
     .proto = CK_EIO3,
     .tags = "heartbeat,errors",
     .run = hb_client_pong},
    {.id = "eio3.close.polling",
     .title = "close packet over polling",
     .req = "A close packet posted while a GET waits releases that GET at once (the reference "
            "with a noop) and ends the session: its sid then gets HTTP 400.",
     .spec = "eio3:session:8,eio3:packet-close:1,ref:v3-close:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "close",
     .origin = "close > HTTP long-polling > forcefully closes the session",
     .run = close_polling},
    {.id = "eio3.close.ws",
     .title = "close packet over WebSocket",
     .req = "A close packet sent over WebSocket ends the session, heartbeats notwithstanding.",
     .spec = "eio3:packet-close:1,eio3:sample-session:7,sio4:sample-session:8",
     .level = CK_SHOULD,
     .tps = CK_WS,
     .proto = CK_EIO3,
     .tags = "close,websocket",
     .origin = "close > WebSocket > forcefully closes the session",
     .run = close_ws},
    {.id = "eio3.upgrade.probe",
     .title = "2probe is answered 3probe",
     .req = "On a WebSocket opened with the session's sid, the probe 2probe is answered with "
            "3probe.",
     .spec = "eio3:upgrade:2,eio3:upgrade:5,eio3:upgrade:6,eio3:packet-upgrade:1,"
             "eio3:sample-session:4",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "upgrade,websocket",
     .origin = "upgrade > successfully upgrades from HTTP long-polling to WebSocket",
     .run = upgrade_probe},
    {.id = "eio3.upgrade.noop",
     .title = "polling is released with a noop after the probe",
     .req = "Once the probe succeeded, a polling GET is answered with the noop packet so the "
            "client can pause polling.",
     .spec = "eio3:packet-noop:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "upgrade",
     .origin = "upgrade > successfully upgrades from HTTP long-polling to WebSocket",
     .run = upgrade_noop},
    {.id = "eio3.upgrade.switch",
     .title = "after 5 the WebSocket carries the session",
     .req = "After the upgrade packet the server takes the WebSocket as the session's transport.",
     .spec = "eio3:upgrade:4,eio3:packet-upgrade:2,eio3:packet-noop:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "upgrade,websocket",
     .origin = "upgrade > successfully upgrades from HTTP long-polling to WebSocket",
     .run = upgrade_switch},
    {.id = "eio3.upgrade.flush",
     .title = "packets queued during the upgrade go out on the WebSocket",
     .req = "What the server queued between the probe and the upgrade packet is sent on the "
            "WebSocket after the upgrade.",
     .spec = "eio3:upgrade:4,eio3:packet-upgrade:2,sio4:sample-session:4",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_SIO4,
     .tags = "upgrade,websocket",
     .run = upgrade_flush},
    {.id = "eio3.upgrade.poll-after",
     .title = "polling after the upgrade is refused",
     .req = "Once a session upgraded, polling requests with its sid get HTTP 400 and the "
            "WebSocket keeps working.",
     .spec = "ref:v3-upgrade:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "upgrade,errors",
     .origin = "upgrade > ignores HTTP requests with same sid after upgrade",
     .run = upgrade_poll_after},
    {.id = "eio3.upgrade.second-ws",
     .title = "a second WebSocket for an upgraded sid is closed",
     .req = "A second WebSocket for an already upgraded sid is refused or closed, and the first "
            "keeps working.",
     .spec = "ref:v3-upgrade:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO3,
     .tags = "upgrade,errors,websocket",
     .origin = "upgrade > ignores WebSocket connection with same sid after upgrade",
     .run = upgrade_second_ws},
};

CK_GROUP(ck_group_eio3, "eio3",
         "Engine.IO v3: handshake, length-prefixed payloads, binary forms, "
         "JSONP, client heartbeat, close and upgrade",
         cases);
