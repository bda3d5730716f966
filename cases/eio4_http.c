/*
 * eio4_http.c - Engine.IO v4 over HTTP: CORS as the testee contract sets it
 * (any origin), the sticky-session cookie of the cookie profile, content
 * types, caching and compression of polling responses (testee contract §2,
 * §6; protocol-notes §1.4, §1.5, §5.4, §5.5, §5.8).
 */
#include "cases/ck.h"

#include <string.h>
#include <strings.h>

#define RS "\x1e"
#define POLL "{path}?EIO=4&transport=polling&sid={sid}"
#define ORIGIN "http://siospec.example"

static const struct hx_header origin_hdr[] = {{"Origin", ORIGIN}};

static const char *header_or(struct ck *c, const struct hx_item *it, const char *name)
{
    struct cdc_span v;
    return ck_header(it, name, &v) ? ck_fmt(c, "\"%s\"", ck_str(c, v, true)) : "absent";
}

/* True when the comma-separated list |v| holds |tok| (case-insensitive). */
static bool list_has(struct cdc_span v, const char *tok)
{
    return hx_http_list_has(v, tok);
}

/* ---- CORS ---------------------------------------------------------------- */

/* Access-Control-Allow-Origin is * or the request's Origin. */
static void expect_acao(struct ck *c, const struct hx_item *it, const char *what)
{
    struct cdc_span v;
    bool ok =
        ck_header(it, "access-control-allow-origin", &v) && (ck_eq(v, "*") || ck_eq(v, ORIGIN));
    ck_check(c, ok,
             ck_fmt(c, "Access-Control-Allow-Origin: * or " ORIGIN " on %s (contract: any origin)",
                    what),
             "%s; Access-Control-Allow-Origin %s", ck_item_desc(c, it),
             header_or(c, it, "access-control-allow-origin"));
}

static void cors_handshake(struct ck *c)
{
    const struct hx_item *it = ck_http(c, NULL,
                                       &(struct ck_http){.target = "{path}?EIO=4&transport=polling",
                                                         .headers = origin_hdr,
                                                         .n_headers = 1});
    ck_expect_status(c, it, 200, "handshake with an Origin header");
    expect_acao(c, it, "the handshake response");
}

static void cors_get(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    unsigned chan = ck_http_start(
        c, s, &(struct ck_http){.target = POLL, .headers = origin_hdr, .n_headers = 1});
    const struct hx_item *it = ck_http_wait(c, s, chan, ck_ping_interval(c) + CK_REPLY_MS);
    ck_expect_status(c, it, 200, "polling GET");
    expect_acao(c, it, "a polling GET response");
}

static void cors_post(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = ck_http(c, s,
                                       &(struct ck_http){.method = "POST",
                                                         .target = POLL,
                                                         .ctype = "text/plain;charset=UTF-8",
                                                         .body = "3",
                                                         .headers = origin_hdr,
                                                         .n_headers = 1});
    ck_expect_status(c, it, 200, "POST of a pong");
    expect_acao(c, it, "a POST response");
}

static void cors_error(struct ck *c)
{
    const struct hx_item *it =
        ck_http(c, NULL,
                &(struct ck_http){.target = "{path}?EIO=4&transport=polling&sid=abcdefghij",
                                  .headers = origin_hdr,
                                  .n_headers = 1});
    ck_expect_status(c, it, 400, "unknown sid");
    expect_acao(c, it, "an error response");
}

static const struct hx_header preflight_hdr[] = {
    {"Origin", ORIGIN},
    {"Access-Control-Request-Method", "POST"},
    {"Access-Control-Request-Headers", "x-siospec"},
};

static void cors_preflight(struct ck *c)
{
    const struct hx_item *it =
        ck_http(c, NULL,
                &(struct ck_http){.method = "OPTIONS",
                                  .target = "{path}?EIO=4&transport=polling",
                                  .headers = preflight_hdr,
                                  .n_headers = sizeof(preflight_hdr) / sizeof(preflight_hdr[0])});
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status >= 200 && it->http_status < 300,
             "a 2xx answer (reference 204) to a CORS preflight", "%s", ck_item_desc(c, it));
    expect_acao(c, it, "the preflight response");
}

/* A preflight for a session POST with a custom header: the header and the
 * method are allowed. */
static void cors_preflight_headers(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it =
        ck_http(c, s,
                &(struct ck_http){.method = "OPTIONS",
                                  .target = POLL,
                                  .headers = preflight_hdr,
                                  .n_headers = sizeof(preflight_hdr) / sizeof(preflight_hdr[0])});
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status >= 200 && it->http_status < 300,
             "a 2xx answer to a CORS preflight on a session URL", "%s", ck_item_desc(c, it));
    expect_acao(c, it, "the preflight response");
    struct cdc_span h, m;
    bool hdr_ok = ck_header(it, "access-control-allow-headers", &h) &&
                  (list_has(h, "x-siospec") || list_has(h, "*"));
    bool meth_ok = !ck_header(it, "access-control-allow-methods", &m) || list_has(m, "POST") ||
                   list_has(m, "*");
    ck_check(c, hdr_ok && meth_ok,
             "Access-Control-Allow-Headers listing x-siospec (or *), and POST among the allowed "
             "methods if they are listed",
             "Access-Control-Allow-Headers %s; Access-Control-Allow-Methods %s",
             header_or(c, it, "access-control-allow-headers"),
             header_or(c, it, "access-control-allow-methods"));
}

/* No response grants credentials to a specific origin the client did not
 * prove: neither without Origin nor for the opaque origin "null". */
static void cors_no_credentials(struct ck *c)
{
    static const struct hx_header null_origin[] = {{"Origin", "null"}};
    for (int i = 0; i < 2; i++) {
        const struct hx_item *it =
            ck_http(c, NULL,
                    &(struct ck_http){.target = "{path}?EIO=4&transport=polling",
                                      .headers = i ? null_origin : NULL,
                                      .n_headers = i ? 1 : 0});
        ck_expect_status(c, it, 200, "handshake");
        struct cdc_span acao, acac;
        bool specific = ck_header(it, "access-control-allow-origin", &acao) && !ck_eq(acao, "*");
        bool creds =
            ck_header(it, "access-control-allow-credentials", &acac) && hx_span_ieq(acac, "true");
        ck_check(c, !(specific && creds),
                 ck_fmt(c,
                        "no Access-Control-Allow-Origin naming an origin together with "
                        "Access-Control-Allow-Credentials: true for a request %s",
                        i ? "with Origin: null" : "without Origin"),
                 "Access-Control-Allow-Origin %s with Access-Control-Allow-Credentials %s",
                 header_or(c, it, "access-control-allow-origin"),
                 header_or(c, it, "access-control-allow-credentials"));
    }
}

/* ---- cookie ---------------------------------------------------------------- */

static bool attr_has(struct cdc_span v, const char *attr)
{
    size_t n = strlen(attr);
    for (size_t i = 0; i < v.len;) {
        size_t j = i;
        while (j < v.len && v.p[j] != ';')
            j++;
        size_t a = i, b = j;
        while (a < b && v.p[a] == ' ')
            a++;
        while (b > a && v.p[b - 1] == ' ')
            b--;
        if (b - a == n && strncasecmp((const char *)v.p + a, attr, n) == 0)
            return true;
        i = j + 1;
    }
    return false;
}

static void cookie_handshake(struct ck *c)
{
    const struct hx_item *it = ck_get(c, NULL, "{path}?EIO=4&transport=polling");
    ck_expect_status(c, it, 200, "handshake");
    /* The sid: the open packet's "sid" value. */
    struct cdc_span body = {it->raw.p + 1, it->raw.len ? it->raw.len - 1 : 0}, sid;
    ck_check(c,
             it->raw.len > 1 && it->raw.p[0] == '0' &&
                 cdc_json_validate(body.p, body.len, 8, false, NULL) == CDC_OK &&
                 cdc_json_object_get(body, "sid", &sid) == 1 &&
                 cdc_json_type_of(sid) == CDC_JSON_STRING && sid.len >= 2,
             "an open packet with a sid", "%s", ck_item_desc(c, it));
    const char *want = ck_fmt(c, "io=%.*s", (int)(sid.len - 2), (const char *)sid.p + 1);
    const char *exp = ck_fmt(c, "Set-Cookie: %s; Path=/; HttpOnly; SameSite=Lax", want);
    struct cdc_span v;
    ck_check(c, ck_header(it, "set-cookie", &v), exp, "no Set-Cookie header");
    size_t wl = strlen(want);
    bool name_ok = v.len >= wl && memcmp(v.p, want, wl) == 0 && (v.len == wl || v.p[wl] == ';');
    ck_check(c,
             name_ok && attr_has(v, "Path=/") && attr_has(v, "HttpOnly") &&
                 attr_has(v, "SameSite=Lax"),
             exp, "Set-Cookie \"%s\"", ck_str(c, v, true));
    ck_note(c, "Set-Cookie \"%s\"", ck_str(c, v, true));
}

static void cookie_handshake_only(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = ck_http(
        c, s,
        &(struct ck_http){
            .method = "POST", .target = POLL, .ctype = "text/plain;charset=UTF-8", .body = "3"});
    ck_expect_status(c, it, 200, "POST of a pong");
    struct cdc_span v;
    ck_check(c, !ck_header(it, "set-cookie", &v),
             "no Set-Cookie on responses after the handshake (reference)", "POST answer with %s",
             header_or(c, it, "set-cookie"));
    unsigned chan = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    it = ck_http_wait(c, s, chan, ck_ping_interval(c) + CK_REPLY_MS);
    ck_expect_status(c, it, 200, "polling GET");
    ck_check(c, !ck_header(it, "set-cookie", &v),
             "no Set-Cookie on responses after the handshake (reference)", "GET answer with %s",
             header_or(c, it, "set-cookie"));
    ck_note(c, "no Set-Cookie on the POST and GET answers");
}

static void no_cookie(struct ck *c)
{
    const struct hx_item *it = ck_get(c, NULL, "{path}?EIO=4&transport=polling");
    ck_expect_status(c, it, 200, "handshake");
    struct cdc_span v;
    ck_check(c, !ck_header(it, "set-cookie", &v),
             "no Set-Cookie on the handshake without the cookie profile (contract: cookie off)",
             "Set-Cookie %s", header_or(c, it, "set-cookie"));
}

/* ---- content types, caching, compression ------------------------------------ */

static bool text_plain(struct ck *c, const struct hx_item *it)
{
    struct cdc_span ct;
    (void)c;
    return ck_header(it, "content-type", &ct) && ct.len >= 10 &&
           strncasecmp((const char *)ct.p, "text/plain", 10) == 0;
}

/* A data GET (the ping) is text/plain like the handshake. */
static void get_content_type(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    unsigned chan = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    const struct hx_item *it = ck_http_wait(c, s, chan, ck_ping_interval(c) + CK_REPLY_MS);
    ck_expect_status(c, it, 200, "polling GET");
    ck_check(c, text_plain(c, it), "Content-Type text/plain on a polling GET response",
             "Content-Type %s", header_or(c, it, "content-type"));
    ck_note(c, "Content-Type %s", header_or(c, it, "content-type"));
}

static void post_content_type(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = ck_http(
        c, s,
        &(struct ck_http){
            .method = "POST", .target = POLL, .ctype = "text/plain;charset=UTF-8", .body = "3"});
    ck_expect_status(c, it, 200, "POST of a pong");
    struct cdc_span ct;
    ck_note(c, "Content-Type %s", header_or(c, it, "content-type"));
    ck_check(c,
             ck_header(it, "content-type", &ct) && ct.len >= 9 &&
                 strncasecmp((const char *)ct.p, "text/html", 9) == 0,
             "Content-Type text/html on the POST's ok (reference)", "Content-Type %s",
             header_or(c, it, "content-type"));
}

/* A GET body that carries a binary message is still text (b+base64). */
static void binary_get_content_type(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const struct hx_item *it = ck_http(c, s,
                                       &(struct ck_http){.method = "POST",
                                                         .target = POLL,
                                                         .ctype = "text/plain;charset=UTF-8",
                                                         .body = "bAQID"});
    ck_expect_status(c, it, 200, "POST of a binary message");
    it = ck_get(c, s, POLL);
    ck_expect_status(c, it, 200, "GET of the echo");
    ck_note(c, "body %s, Content-Type %s", ck_item_desc(c, it), header_or(c, it, "content-type"));
    ck_check(c, ck_eq(it->raw, "bAQID") && text_plain(c, it),
             "the body bAQID labelled text/plain (reference: base64 text, not octet-stream)",
             "%s with Content-Type %s", ck_item_desc(c, it), header_or(c, it, "content-type"));
}

static void cache_control(struct ck *c)
{
    const struct hx_item *it = ck_get(c, NULL, "{path}?EIO=4&transport=polling");
    ck_expect_status(c, it, 200, "handshake");
    struct cdc_span v;
    ck_note(c, "Cache-Control %s", header_or(c, it, "cache-control"));
    ck_check(c, ck_header(it, "cache-control", &v) && list_has(v, "no-store"),
             "Cache-Control: no-store on polling responses (reference)", "Cache-Control %s",
             header_or(c, it, "cache-control"));
}

/* A GET body above 1024 bytes is gzip-compressed when the client allows. */
static void gzip_large(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    const char *body = ck_fmt(c, "4%5000s", "");
    const struct hx_item *it = ck_http(
        c, s,
        &(struct ck_http){
            .method = "POST", .target = POLL, .ctype = "text/plain;charset=UTF-8", .body = body});
    ck_expect_status(c, it, 200, "POST of a 5000-byte message");
    static const struct hx_header ae[] = {{"Accept-Encoding", "gzip"}};
    it = ck_http(c, s,
                 &(struct ck_http){.target = POLL, .headers = ae, .n_headers = 1, .raw = true});
    ck_expect_status(c, it, 200, "GET of the echo");
    struct cdc_span v;
    ck_note(c, "Content-Encoding %s, %zu body bytes", header_or(c, it, "content-encoding"),
            it->raw.len);
    ck_check(c, ck_header(it, "content-encoding", &v) && hx_span_ieq(v, "gzip"),
             "Content-Encoding: gzip on a 5001-byte GET body with Accept-Encoding: gzip "
             "(reference)",
             "Content-Encoding %s", header_or(c, it, "content-encoding"));
}

static const struct ck_case cases[] = {
    {.id = "eio4.http.cors-handshake",
     .title = "CORS header on the handshake",
     .req = "With the contract's any-origin CORS setting, the handshake response allows the "
            "request's Origin.",
     .spec = "ref:eio4-polling-http:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors",
     .run = cors_handshake},
    {.id = "eio4.http.cors-get",
     .title = "CORS header on a polling GET",
     .req = "With any-origin CORS, a GET that delivers packets allows the request's Origin.",
     .spec = "ref:eio4-polling-http:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors",
     .run = cors_get},
    {.id = "eio4.http.cors-post",
     .title = "CORS header on a POST",
     .req = "With any-origin CORS, a POST's ok answer allows the request's Origin.",
     .spec = "ref:eio4-polling-http:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors",
     .run = cors_post},
    {.id = "eio4.http.cors-error",
     .title = "CORS header on an error",
     .req = "With any-origin CORS, an HTTP 400 error answer also allows the request's Origin, so "
            "a browser client can read the error.",
     .spec = "ref:eio4-polling-http:1,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors,errors",
     .run = cors_error},
    {.id = "eio4.http.cors-preflight",
     .title = "CORS preflight is answered",
     .req = "An OPTIONS preflight with an Origin is answered with a 2xx status that allows the "
            "Origin.",
     .spec = "ref:eio4-polling-http:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors",
     .run = cors_preflight},
    {.id = "eio4.http.cors-preflight-headers",
     .title = "CORS preflight allows the requested header",
     .req = "A preflight for a session POST that asks for a custom request header is answered "
            "allowing that header.",
     .spec = "ref:eio4-polling-http:3",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors",
     .run = cors_preflight_headers},
    {.id = "eio4.http.cors-no-credentials",
     .title = "no credentialed grant without a real Origin",
     .req =
         "A request without Origin, or with the opaque Origin null, never gets an origin-specific "
         "Access-Control-Allow-Origin together with Access-Control-Allow-Credentials: true.",
     .spec = "ref:cve:14,ref:eio4-polling-http:10",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http,cors,security",
     .run = cors_no_credentials},
    {.id = "eio4.http.cookie",
     .title = "sticky-session cookie on the handshake",
     .req = "With the cookie profile the handshake response sets io=<sid> with Path=/, HttpOnly "
            "and SameSite=Lax.",
     .spec = "ref:eio4-polling-http:4",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_COOKIE,
     .tags = "http,cookie",
     .run = cookie_handshake},
    {.id = "eio4.http.cookie-handshake-only",
     .title = "cookie only on the handshake",
     .req = "Records whether responses after the handshake repeat the cookie (the reference sets "
            "it on the handshake only).",
     .spec = "ref:eio4-polling-http:5",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_COOKIE,
     .tags = "http,cookie",
     .run = cookie_handshake_only},
    {.id = "eio4.http.no-cookie",
     .title = "no cookie without the profile",
     .req = "A server without the cookie profile sets no cookie on the handshake.",
     .spec = "ref:eio4-polling-http:6",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_NO_COOKIE,
     .tags = "http,cookie",
     .run = no_cookie},
    {.id = "eio4.http.get-content-type",
     .title = "polling GET is text/plain",
     .req = "A polling GET response that delivers packets carries a text/plain content type.",
     .spec = "ref:eio4-http:1",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http",
     .run = get_content_type},
    {.id = "eio4.http.post-content-type",
     .title = "content type of the POST's ok",
     .req = "Records the content type of a POST's ok answer (the reference: text/html).",
     .spec = "ref:eio4-polling-http:9",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http",
     .run = post_content_type},
    {.id = "eio4.http.binary-content-type",
     .title = "GET with a binary message stays text",
     .req = "Records the content type of a GET body carrying a binary message (the reference: "
            "text/plain, the binary being b+base64 text).",
     .spec = "eio4:headers:1,eio4:payload:4",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "http,binary",
     .run = binary_get_content_type},
    {.id = "eio4.http.cache-control",
     .title = "polling responses are not cached",
     .req = "Records the Cache-Control of polling responses (the reference: no-store).",
     .spec = "ref:eio4-polling-http:7",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "http",
     .run = cache_control},
    {.id = "eio4.http.gzip",
     .title = "large GET bodies are gzip-compressed",
     .req = "Records whether a GET body above 1 KiB is gzip-compressed when the request allows it "
            "(the reference compresses from 1024 bytes).",
     .spec = "ref:eio4-polling-http:8",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "http,compression",
     .run = gzip_large},
};

CK_GROUP(ck_group_eio4_http, "eio4.http",
         "Engine.IO v4 HTTP details: CORS, cookie, content types, caching, compression", cases);
