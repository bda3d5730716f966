/*
 * eio4_polling.c - Engine.IO v4 HTTP long-polling: message payloads in POST
 * and GET bodies, batching, binary as b+base64, invalid payloads, overlapping
 * requests, the maxPayload limit, other methods and content types
 * (engine.io-protocol v4 §Transports > HTTP long-polling, §Packet encoding;
 * protocol-notes §1.5, §1.11-1.13 E11-E22, §3.1 #8-12).
 *
 * The cases drive the session's requests themselves (manual polling, raw
 * POST and GET bodies on their own channels), so every check sees the exact
 * bytes. Message cases need the echo server; the others run on any server
 * and send only a pong ("3") where a harmless packet is needed.
 */
#include "cases/ck.h"

#include <string.h>

#define RS "\x1e"
#define POLL "{path}?EIO=4&transport=polling&sid={sid}"

/* A session whose GETs and POSTs the case makes itself. */
static struct hx_session *poll_session(struct ck *c)
{
    return ck_open(c, &(struct ck_sopt){.manual_poll = true});
}

static const struct hx_item *post(struct ck *c, struct hx_session *s, const char *body, size_t n)
{
    return ck_http(c, s,
                   &(struct ck_http){.method = "POST",
                                     .target = POLL,
                                     .ctype = "text/plain;charset=UTF-8",
                                     .body = body,
                                     .len = n});
}

/* A POST the server must take: HTTP 200 (its body "ok" is post-ok's). */
static void post_taken(struct ck *c, struct hx_session *s, const char *body, size_t n)
{
    const struct hx_item *it = post(c, s, body, n);
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200, "HTTP 200 for a valid POST",
             "%s", ck_item_desc(c, it));
}

/* The message segments of payload |b| joined by RS (pings and noops left
 * out); |*ping| tells whether a ping was among them. */
static const char *messages_of(struct ck *c, struct cdc_span b, bool *ping)
{
    const char *acc = "";
    size_t i = 0;
    while (i <= b.len && b.len) {
        size_t j = i;
        while (j < b.len && b.p[j] != 0x1e)
            j++;
        struct cdc_span seg = {b.p + i, j - i};
        if (ck_eq(seg, "2"))
            *ping = true;
        else if (!ck_eq(seg, "6"))
            acc = ck_fmt(c, "%s%s%.*s", acc, *acc ? RS : "", (int)seg.len, (const char *)seg.p);
        i = j + 1;
    }
    return acc;
}

/* What the echo server sends back, until |want| bytes came: at most four
 * GETs, pings answered with a POSTed pong. |*first| (if not NULL) gets the
 * first GET's answer. */
static const char *echoes(struct ck *c, struct hx_session *s, size_t want,
                          const struct hx_item **first)
{
    const char *acc = "";
    for (int i = 0; i < 4 && strlen(acc) < want; i++) {
        const struct hx_item *it = ck_get(c, s, POLL);
        ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200,
                 "HTTP 200 to the GET that fetches the echo", "%s", ck_item_desc(c, it));
        if (first && i == 0)
            *first = it;
        bool ping = false;
        const char *m = messages_of(c, it->raw, &ping);
        if (*m)
            acc = ck_fmt(c, "%s%s%s", acc, *acc ? RS : "", m);
        if (ping)
            post_taken(c, s, "3", 1);
    }
    return acc;
}

/* POSTs |body| and checks that the echo is |body| again. */
static void echo_round(struct ck *c, const char *body, const char *what)
{
    struct hx_session *s = poll_session(c);
    post_taken(c, s, body, strlen(body));
    const char *got = echoes(c, s, strlen(body), NULL);
    ck_check(c, strcmp(got, body) == 0,
             ck_fmt(c, "GET bodies bringing back %s: \"%s\"", what, ck_str(c, ck_span(body), true)),
             "\"%s\"", ck_str(c, ck_span(got), true));
}

/* ---- messages ------------------------------------------------------------- */

/* A successful POST is answered 200 with exactly the body ok. */
static void post_ok(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *it = post(c, s, "3", 1);
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200 && ck_eq(it->raw, "ok"),
             "HTTP 200 with exactly the body ok", "%s", ck_item_desc(c, it));
}

static void message_text(struct ck *c)
{
    echo_round(c, "4hello", "the message");
}

static void message_several(struct ck *c)
{
    echo_round(c, "4test1" RS "4test2" RS "4test3", "the three messages in order");
}

/* All three echoes, queued while no GET was pending, leave in one body. */
static void batch(struct ck *c)
{
    static const char body[] = "4test1" RS "4test2" RS "4test3";
    struct hx_session *s = poll_session(c);
    post_taken(c, s, body, sizeof(body) - 1);
    const struct hx_item *first = NULL;
    echoes(c, s, sizeof(body) - 1, &first);
    bool ping = false;
    const char *m = messages_of(c, first->raw, &ping);
    ck_check(c, strcmp(m, body) == 0,
             "one GET body carrying all three queued messages: \"4test1\\x1e4test2\\x1e4test3\"",
             "first GET body \"%s\"", ck_str(c, first->raw, true));
}

static void message_binary(struct ck *c)
{
    echo_round(
        c, "4hello" RS "bAQIDBA==", "the text message and the binary one as b + standard base64");
}

static void message_utf8(struct ck *c)
{
    echo_round(c, "4\xe2\x82\xac" RS "4\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac" RS "4\xf0\x9f\x98\x80",
               "the UTF-8 text unchanged");
}

static void message_empty(struct ck *c)
{
    echo_round(c, "4", "a message without data");
}

/* A POST without Content-Type is plain text (eio4:headers:3). */
static void no_content_type(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *it =
        ck_http(c, s, &(struct ck_http){.method = "POST", .target = POLL, .body = "4hello"});
    ck_check(c, it->kind == HX_ITEM_HTTP && it->http_status == 200,
             "HTTP 200 for a text POST without Content-Type", "%s", ck_item_desc(c, it));
    const char *got = echoes(c, s, 6, NULL);
    ck_check(c, strcmp(got, "4hello") == 0, "the echo 4hello", "\"%s\"",
             ck_str(c, ck_span(got), true));
}

/* ---- invalid payloads ------------------------------------------------------ */

static void bad_payload(struct ck *c, const char *body, size_t n, const char *what)
{
    struct hx_session *s = poll_session(c);
    unsigned chan = ck_http_start(c, s,
                                  &(struct ck_http){.method = "POST",
                                                    .target = POLL,
                                                    .ctype = "text/plain;charset=UTF-8",
                                                    .body = body,
                                                    .len = n});
    const struct hx_item *it = NULL;
    hx_session_http_wait(s, chan, ck_in(c, 300), &it);
    ck_note(c, "the POST got %s", it ? ck_item_desc(c, it) : "no answer within 300 ms");
    ck_expect_sid_gone_early(c, s, what);
}

static void bad_abc(struct ck *c)
{
    bad_payload(c, "abc", 3, "the POST body abc is no packet");
}

static void bad_empty(struct ck *c)
{
    bad_payload(c, "", 0, "an empty POST body holds no packet");
}

static void bad_trailing_sep(struct ck *c)
{
    bad_payload(c, "3" RS, 2, "a trailing separator makes an empty packet");
}

static void bad_double_sep(struct ck *c)
{
    bad_payload(c, "3" RS RS "3", 4, "a doubled separator makes an empty packet");
}

static void bad_type7(struct ck *c)
{
    bad_payload(c, "7", 1, "packet type 7 does not exist");
}

/* The packet before the bad one reaches the application: with a GET
 * pending, its echo is sent before the session closes (reference). */
static void bad_delivers_before(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    unsigned get = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    hx_session_pump(s, ck_in(c, 50));
    const struct hx_item *p = post(c, s, "4a" RS "abc", 6);
    const struct hx_item *it = ck_http_wait(c, s, get, CK_REPLY_MS);
    ck_note(c, "POST %s; pending GET %s", ck_item_desc(c, p), ck_item_desc(c, it));
    bool ping = false;
    const char *m =
        it->kind == HX_ITEM_HTTP && it->http_status == 200 ? messages_of(c, it->raw, &ping) : "";
    ck_check(c, strncmp(m, "4a", 2) == 0,
             "the pending GET brings the echo 4a of the packet before the bad one (reference)",
             "%s", ck_item_desc(c, it));
}

/* ---- overlapping requests ------------------------------------------------- */

/* Two GETs of one session, the second started while the first waits.
 * Which one the server saw second cannot be known for sure, so the answers
 * come back as |*older| (400 expected on the other) by what they say. */
static void two_gets(struct ck *c, struct hx_session *s, const struct hx_item **a,
                     const struct hx_item **b)
{
    unsigned ca = ck_http_start(c, s, &(struct ck_http){.target = POLL});
    hx_session_pump(s, ck_in(c, 30));
    unsigned cb = ck_http_start(c, s, &(struct ck_http){.target = POLL "&t=burst"});
    *b = ck_http_wait(c, s, cb, CK_REPLY_MS);
    *a = ck_http_wait(c, s, ca, CK_REPLY_MS);
}

static bool is_status(const struct hx_item *it, int status)
{
    return it->kind == HX_ITEM_HTTP && it->http_status == status;
}

static void overlap_get(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *a, *b;
    two_gets(c, s, &a, &b);
    ck_note(c, "first GET %s; second GET %s", ck_item_desc(c, a), ck_item_desc(c, b));
    ck_check(c, is_status(b, 400) || is_status(a, 400),
             "HTTP 400 for the GET that arrived while another was pending",
             "first GET %s; second GET %s", ck_item_desc(c, a), ck_item_desc(c, b));
}

static void overlap_get_closes(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *a, *b;
    two_gets(c, s, &a, &b);
    ck_note(c, "first GET %s; second GET %s", ck_item_desc(c, a), ck_item_desc(c, b));
    ck_expect_sid_gone_early(c, s, "two GETs were pending at once");
}

static void overlap_get_first(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *a, *b;
    two_gets(c, s, &a, &b);
    const struct hx_item *older = is_status(b, 400) ? a : b;
    ck_check(c, is_status(older, 200) && ck_eq(older->raw, "1"),
             "the GET that was pending first answered 200 with the close packet 1 (reference)",
             "%s", ck_item_desc(c, older));
    ck_note(c, "the pending GET got %s", ck_item_desc(c, older));
}

/* A POST whose headers and first body byte are sent, the rest withheld,
 * then a complete POST: returns the answer to the second. */
static const struct hx_item *two_posts(struct ck *c, struct hx_session *s)
{
    const char *url = ck_url(c);
    if (strncmp(url, "http://", 7) != 0)
        ck_error(c, "base URL %s is not http://host:port", url);
    const char *req = ck_fmt(c,
                             "POST %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: %s\r\n"
                             "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 3\r\n\r\n"
                             "3",
                             ck_path(c), hx_session_handshake(s)->sid, url + 7);
    struct hx_http_req r = {.raw = true, .raw_bytes = (const uint8_t *)req, .raw_len = strlen(req)};
    unsigned chan = 0;
    ck_ok(c, s, hx_session_http(s, &r, &chan), "the slow POST");
    hx_session_pump(s, ck_in(c, 100));
    return post(c, s, "3", 1);
}

static void overlap_post(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *it = two_posts(c, s);
    ck_check(c, is_status(it, 400),
             "HTTP 400 for a POST that arrives while another POST of the session is active", "%s",
             ck_item_desc(c, it));
}

static void overlap_post_closes(struct ck *c)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *it = two_posts(c, s);
    ck_note(c, "the second POST got %s", ck_item_desc(c, it));
    ck_expect_sid_gone_early(c, s, "two POSTs were active at once");
}

/* ---- maxPayload ------------------------------------------------------------ */

static uint64_t max_payload(struct ck *c)
{
    uint64_t n = ck_max_payload(c);
    if (n < 16 || n > (8u << 20))
        ck_skip(c, "maxPayload %llu is outside what this case sends (16 B .. 8 MiB)",
                (unsigned long long)n);
    return n;
}

/* A body of exactly maxPayload bytes is taken and its message echoed. */
static void max_payload_exact(struct ck *c)
{
    uint64_t n = max_payload(c);
    struct hx_session *s = poll_session(c);
    const char *body = ck_fmt(c, "4%*s", (int)(n - 1), "");
    post_taken(c, s, body, (size_t)n);
    const char *got = echoes(c, s, (size_t)n, NULL);
    ck_check(c, strcmp(got, body) == 0,
             ck_fmt(c, "the echo of the %llu-byte message", (unsigned long long)n),
             "%zu bytes came back", strlen(got));
}

/* One byte more: 413, the data dropped, the session kept. */
static void max_payload_over(struct ck *c)
{
    uint64_t n = max_payload(c) + 1;
    struct hx_session *s = poll_session(c);
    const char *body = ck_fmt(c, "4%*s", (int)(n - 1), "");
    unsigned chan = ck_http_start(c, s,
                                  &(struct ck_http){.method = "POST",
                                                    .target = POLL,
                                                    .ctype = "text/plain;charset=UTF-8",
                                                    .body = body,
                                                    .len = (size_t)n});
    const struct hx_item *it = NULL;
    hx_session_http_wait(s, chan, ck_in(c, CK_REPLY_MS), &it);
    ck_check(c, it && is_status(it, 413),
             ck_fmt(c, "HTTP 413 for a POST of maxPayload + 1 = %llu bytes", (unsigned long long)n),
             "%s",
             it ? ck_item_desc(c, it) : ck_fmt(c, "no answer within %u ms", ck_ms(c, CK_REPLY_MS)));
    it = ck_get(c, s, POLL);
    ck_check(c, is_status(it, 200) && !ck_eq(it->raw, "1"),
             "the session kept: the next GET answers 200 (a ping)", "%s", ck_item_desc(c, it));
}

/* ---- methods and content types --------------------------------------------- */

/* Revision 4 sends binary as b+base64 text; the reference refuses an
 * octet-stream POST and closes the session. */
static void octet_stream(struct ck *c)
{
    static const uint8_t bin[] = {1, 2, 3, 4};
    struct hx_session *s = poll_session(c);
    const struct hx_item *it = ck_http(c, s,
                                       &(struct ck_http){.method = "POST",
                                                         .target = POLL,
                                                         .ctype = "application/octet-stream",
                                                         .body = bin,
                                                         .len = sizeof(bin)});
    ck_note(c, "the POST got %s", ck_item_desc(c, it));
    ck_check(c, is_status(it, 400), "HTTP 400 for an octet-stream POST (reference)", "%s",
             ck_item_desc(c, it));
    ck_expect_sid_gone_early(c, s, "the reference closes the session after an octet-stream POST");
}

static void other_method(struct ck *c, const char *method)
{
    struct hx_session *s = poll_session(c);
    const struct hx_item *it = ck_http(
        c, s,
        &(struct ck_http){
            .method = method, .target = POLL, .ctype = "text/plain;charset=UTF-8", .body = "3"});
    ck_note(c, "%s got %s", method, ck_item_desc(c, it));
    ck_check(c, is_status(it, 500) && it->raw.len == 0,
             ck_fmt(c, "HTTP 500 with an empty body for %s with a sid (reference)", method), "%s",
             ck_item_desc(c, it));
    it = ck_get(c, s, POLL);
    ck_check(c, is_status(it, 200) && !ck_eq(it->raw, "1"),
             "the session kept: the next GET answers 200 (a ping)", "%s", ck_item_desc(c, it));
}

static void method_put(struct ck *c)
{
    other_method(c, "PUT");
}

static void method_delete(struct ck *c)
{
    other_method(c, "DELETE");
}

static void post_unknown_sid(struct ck *c)
{
    const struct hx_item *it =
        ck_http(c, NULL,
                &(struct ck_http){.method = "POST",
                                  .target = "{path}?EIO=4&transport=polling&sid=abcdefghij",
                                  .ctype = "text/plain;charset=UTF-8",
                                  .body = "3"});
    ck_expect_eio_error(c, it, 400, 1);
}

static const struct ck_case cases[] = {
    {.id = "eio4.polling.post-ok",
     .title = "a taken POST answers 200 ok",
     .req = "A POST whose payload the server takes is answered HTTP 200 with exactly the body ok.",
     .spec = "eio4:sending-data:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,smoke",
     .origin = "message > HTTP long-polling > sends and receives a payload containing one plain "
               "text packet",
     .run = post_ok},
    {.id = "eio4.polling.message-text",
     .title = "one text message round trip",
     .req = "A POSTed text message is taken (HTTP 200) and delivered; the echo comes back in a "
            "GET body as the same packet.",
     .spec = "eio4:sending-data:1,eio4:sending-data:3,eio4:receiving-data:1,eio4:payload:2,"
             "eio4:polling:1,eio4:packet:6,eio4:message:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,message,smoke",
     .origin = "message > HTTP long-polling > sends and receives a payload containing one plain "
               "text packet",
     .run = message_text},
    {.id = "eio4.polling.message-several",
     .title = "several packets in one POST",
     .req = "A POST body holding several packets joined by the record separator delivers each of "
            "them, in order.",
     .spec = "eio4:payload:1,eio4:payload:3,eio4:sending-data:1,eio4:sending-data:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,message,payload",
     .origin = "message > HTTP long-polling > sends and receives a payload containing several "
               "plain text packets",
     .run = message_several},
    {.id = "eio4.polling.batch",
     .title = "queued packets leave in one GET body",
     .req = "Packets queued while no GET is pending are sent together as one payload in the next "
            "GET's body.",
     .spec = "eio4:receiving-data:4,eio4:payload:1,eio4:payload:3",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,message,payload",
     .origin = "message > HTTP long-polling > sends and receives a payload containing several "
               "plain text packets",
     .run = batch},
    {.id = "eio4.polling.message-binary",
     .title = "text and binary packets, binary as b+base64",
     .req = "A binary packet in a polling body is the letter b followed by standard base64, in "
            "both directions, next to text packets.",
     .spec = "eio4:payload:4,eio4:payload:3,eio4:encoding:1,eio4:encoding:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,message,binary",
     .origin = "message > HTTP long-polling > sends and receives a payload containing plain text "
               "and binary packets",
     .run = message_binary},
    {.id = "eio4.polling.message-utf8",
     .title = "multi-byte UTF-8 text survives",
     .req = "Text packets with 2-, 3- and 4-byte UTF-8 characters are carried unchanged in "
            "polling bodies.",
     .spec = "eio4:encoding:2,eio4:payload:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,message,utf8",
     .run = message_utf8},
    {.id = "eio4.polling.message-empty",
     .title = "message without data",
     .req = "The packet 4 alone is a message with empty data and is delivered as such.",
     .spec = "eio4:payload:2,eio4:packet:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,message",
     .run = message_empty},
    {.id = "eio4.polling.no-content-type",
     .title = "POST without Content-Type is text",
     .req = "A POST body without a Content-Type header is taken as a plain-text payload.",
     .spec = "eio4:headers:3,eio4:sending-data:3",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,http",
     .run = no_content_type},
    {.id = "eio4.polling.bad-abc",
     .title = "POST abc closes the session",
     .req = "A POST body that is not a valid payload ends the session; its sid is unknown "
            "afterwards.",
     .spec = "ref:eio4-polling-payload:1,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors",
     .origin = "message > HTTP long-polling > closes the session upon invalid packet format",
     .run = bad_abc},
    {.id = "eio4.polling.bad-empty",
     .title = "empty POST body closes the session",
     .req = "An empty POST body is an invalid payload and ends the session.",
     .spec = "ref:eio4-polling-payload:1,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors",
     .run = bad_empty},
    {.id = "eio4.polling.bad-trailing-separator",
     .title = "trailing separator closes the session",
     .req = "A payload ending in a record separator holds an empty packet and ends the session.",
     .spec = "ref:eio4-polling-payload:1,eio4:payload:3,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors,payload",
     .run = bad_trailing_sep},
    {.id = "eio4.polling.bad-double-separator",
     .title = "doubled separator closes the session",
     .req = "Two record separators in a row hold an empty packet and end the session.",
     .spec = "ref:eio4-polling-payload:1,eio4:payload:3,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors,payload",
     .run = bad_double_sep},
    {.id = "eio4.polling.bad-type-7",
     .title = "packet type 7 closes the session",
     .req = "A packet whose type is not 0-6 is invalid and ends the session.",
     .spec = "ref:eio4-polling-payload:1,eio4:packet:1,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors",
     .run = bad_type7},
    {.id = "eio4.polling.bad-delivers-before",
     .title = "packets before a bad one are delivered",
     .req = "Records whether the packets that precede an undecodable one in a POST still reach "
            "the application (the reference delivers them).",
     .spec = "ref:eio4-polling-payload:2",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,errors",
     .run = bad_delivers_before},
    {.id = "eio4.polling.overlap-get",
     .title = "second concurrent GET gets 400",
     .req = "A GET that arrives while another GET of the session is pending is answered HTTP 400.",
     .spec = "eio4:receiving-data:6",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors,overlap",
     .origin = "message > HTTP long-polling > closes the session upon duplicate poll requests",
     .run = overlap_get},
    {.id = "eio4.polling.overlap-get-closes",
     .title = "concurrent GETs close the session",
     .req = "Two GETs of one session pending at once end the session.",
     .spec = "eio4:receiving-data:7,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors,overlap",
     .origin = "message > HTTP long-polling > closes the session upon duplicate poll requests",
     .run = overlap_get_closes},
    {.id = "eio4.polling.overlap-get-first",
     .title = "pending GET gets 1 when a second GET closes the session",
     .req = "Records how the GET that was pending first ends when a second GET closes the "
            "session (the reference and the official suite: 200 with the close packet).",
     .spec = "ref:eio4-polling-overlap:1",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,overlap",
     .origin = "message > HTTP long-polling > closes the session upon duplicate poll requests",
     .run = overlap_get_first},
    {.id = "eio4.polling.overlap-post",
     .title = "second concurrent POST gets 400",
     .req = "A POST that arrives while another POST of the session is still being received is "
            "answered HTTP 400.",
     .spec = "eio4:sending-data:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors,overlap",
     .run = overlap_post},
    {.id = "eio4.polling.overlap-post-closes",
     .title = "concurrent POSTs close the session",
     .req = "Two POSTs of one session active at once end the session.",
     .spec = "eio4:sending-data:6,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors,overlap",
     .run = overlap_post_closes},
    {.id = "eio4.polling.max-payload-exact",
     .title = "POST of exactly maxPayload bytes is taken",
     .req = "A POST body of exactly the advertised maxPayload bytes is accepted and delivered.",
     .spec = "ref:eio4-polling-limits:1,eio4:handshake:11",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "polling,limits",
     .run = max_payload_exact},
    {.id = "eio4.polling.max-payload-over",
     .title = "POST of maxPayload + 1 bytes gets 413",
     .req = "A POST body one byte over maxPayload is refused with HTTP 413 and the session stays "
            "open.",
     .spec = "ref:eio4-polling-limits:2,ref:cve:1,eio4:handshake:11",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,limits,errors",
     .run = max_payload_over},
    {.id = "eio4.polling.octet-stream",
     .title = "octet-stream POST in revision 4",
     .req = "Records the answer to a revision-4 POST labelled application/octet-stream (the "
            "reference: HTTP 400 and the session closed).",
     .spec = "ref:eio4-polling-methods:2,eio4:headers:2,ref:cve:5",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,http,binary",
     .run = octet_stream},
    {.id = "eio4.polling.method-put",
     .title = "PUT with a sid",
     .req = "Records the answer to a PUT on a session (the reference: HTTP 500, empty body, "
            "session kept).",
     .spec = "ref:eio4-polling-methods:1",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,http",
     .run = method_put},
    {.id = "eio4.polling.method-delete",
     .title = "DELETE with a sid",
     .req = "Records the answer to a DELETE on a session (the reference: HTTP 500, empty body, "
            "session kept).",
     .spec = "ref:eio4-polling-methods:1",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,http",
     .run = method_delete},
    {.id = "eio4.polling.post-unknown-sid",
     .title = "POST to an unknown sid gets 400 code 1",
     .req = "A POST naming a session the server does not know is refused with HTTP 400 and "
            "error code 1.",
     .spec = "eio4:sending-data:2,eio4:query:3,ref:eio4-errors:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "polling,errors",
     .run = post_unknown_sid},
};

CK_GROUP(ck_group_eio4_polling, "eio4.polling",
         "Engine.IO v4 long-polling: payloads, invalid bodies, overlaps, limits", cases);
