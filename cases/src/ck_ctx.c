/*
 * ck_ctx.c - the calls a case makes (ck.h): sessions, sends, waits, raw
 * HTTP and WebSocket, checks and verdicts. Everything a call allocates
 * hangs off the case context and is freed by ck_ctx_clear().
 */
#include "ck_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory -------------------------------------------------------------- */

static void *ck_alloc(struct ck *c, size_t n)
{
    struct ck_alloc *a = malloc(sizeof(*a) + n + 1);
    if (!a)
        ck_error(c, "out of memory");
    a->next = c->mem;
    c->mem = a;
    return a + 1;
}

const char *ck_fmt(struct ck *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = ck_alloc(c, n > 0 ? (size_t)n : 0);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    return p;
}

void ck_ctx_clear(struct ck *c)
{
    for (size_t i = 0; i < c->nses; i++)
        hx_session_del(c->ses[i]);
    c->nses = 0;
    c->scratch = NULL;
    while (c->mem) {
        struct ck_alloc *a = c->mem;
        c->mem = a->next;
        free(a);
    }
}

/* ---- situation ----------------------------------------------------------- */

enum hx_tp ck_tp(const struct ck *c)
{
    return c->tp;
}
int ck_eio(const struct ck *c)
{
    return c->eio;
}
int ck_sio(const struct ck *c)
{
    return c->sio;
}
const char *ck_path(const struct ck *c)
{
    return c->path;
}
const char *ck_url(const struct ck *c)
{
    return c->url;
}
uint64_t ck_seed(const struct ck *c)
{
    return c->seed;
}
bool ck_is_recovery(const struct ck *c)
{
    return c->recovery;
}
uint32_t ck_ping_interval(const struct ck *c)
{
    return c->ping_interval;
}
uint32_t ck_ping_timeout(const struct ck *c)
{
    return c->ping_timeout;
}
uint64_t ck_max_payload(const struct ck *c)
{
    return c->max_payload;
}

uint32_t ck_ms(const struct ck *c, uint32_t ms)
{
    double v = (double)ms * (c->scale > 0 ? c->scale : 1.0);
    return v > 4e9 ? 4000000000u : (uint32_t)v;
}

uint64_t ck_in(const struct ck *c, uint32_t ms)
{
    return hx_clock_in_ms(c->env->clock, ck_ms(c, ms));
}

uint32_t ck_now_ms(const struct ck *c)
{
    return (uint32_t)((hx_clock_now(c->env->clock) - c->t0_us) / 1000u);
}

/* ---- verdicts ------------------------------------------------------------ */

_Noreturn void ck_end(struct ck *c, enum ck_verdict v)
{
    c->verdict = v;
    longjmp(c->jb, 1);
}

static void vset(char *dst, size_t cap, const char *fmt, va_list ap)
{
    vsnprintf(dst, cap, fmt, ap);
    for (char *p = dst; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

_Noreturn void ck_fail(struct ck *c, const char *expected, const char *seen_fmt, ...)
{
    va_list ap;
    snprintf(c->expected, sizeof(c->expected), "%s", expected ? expected : "");
    va_start(ap, seen_fmt);
    vset(c->seen, sizeof(c->seen), seen_fmt, ap);
    va_end(ap);
    switch (c->cs->level) {
    case CK_MUST:
        ck_end(c, CK_V_FAIL);
    case CK_SHOULD:
        ck_end(c, CK_V_NON_STRICT);
    default:
        ck_end(c, CK_V_INFO);
    }
}

_Noreturn void ck_error(struct ck *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(c->seen, sizeof(c->seen), fmt, ap);
    va_end(ap);
    c->expected[0] = 0;
    ck_end(c, CK_V_ERROR);
}

_Noreturn void ck_skip(struct ck *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(c->seen, sizeof(c->seen), fmt, ap);
    va_end(ap);
    c->expected[0] = 0;
    ck_end(c, CK_V_SKIP);
}

void ck_check(struct ck *c, bool ok, const char *expected, const char *seen_fmt, ...)
{
    if (ok)
        return;
    char seen[sizeof(c->seen)];
    va_list ap;
    va_start(ap, seen_fmt);
    vset(seen, sizeof(seen), seen_fmt, ap);
    va_end(ap);
    ck_fail(c, expected, "%s", seen);
}

void ck_note(struct ck *c, const char *fmt, ...)
{
    size_t n = strlen(c->notes);
    if (n + 3 >= sizeof(c->notes))
        return;
    if (n) {
        memcpy(c->notes + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vset(c->notes + n, sizeof(c->notes) - n, fmt, ap);
    va_end(ap);
}

void ck_ok(struct ck *c, struct hx_session *s, int rc, const char *what)
{
    if (rc != HX_OK)
        ck_error(c, "%s: %s (%s)", what, hx_status_name(rc), s ? hx_session_reason(s) : "");
}

/* ---- sessions ------------------------------------------------------------ */

static int proto_eio(const struct ck *c)
{
    return c->eio;
}

struct hx_session *ck_session(struct ck *c, const struct ck_sopt *o)
{
    static const struct ck_sopt none;
    if (!o)
        o = &none;
    if (c->nses == CK_MAX_SESSIONS)
        ck_error(c, "case opened more than %d sessions", CK_MAX_SESSIONS);
    struct hx_session_opts so = {
        .url = c->url,
        .path = c->path,
        .eio = o->eio ? o->eio : proto_eio(c),
        .sio = o->sio < 0 ? 0
               : o->sio   ? o->sio
                          : c->sio,
        .query = o->query,
        .headers = o->headers,
        .n_headers = o->n_headers,
        .strict_decode = o->strict,
        .manual_poll = o->manual_poll,
        .hb = o->hb,
        .queue_control = o->queue_control,
        .no_b64 = o->no_b64,
        .seed = c->seed + c->nses * 7919u,
    };
    struct hx_session *s = NULL;
    int rc = hx_session_new(&s, c->env, &so);
    if (rc != HX_OK)
        ck_error(c, "cannot create a session: %s", hx_status_name(rc));
    c->ses[c->nses++] = s;
    return s;
}

struct hx_session *ck_open_on(struct ck *c, enum hx_tp tp, const struct ck_sopt *o)
{
    struct hx_session *s = ck_session(c, o);
    int rc = hx_eio_open(s, tp, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "precondition: the %s handshake failed: %s",
                 tp == HX_TP_WS ? "WebSocket" : "polling", hx_session_reason(s));
    return s;
}

struct hx_session *ck_open(struct ck *c, const struct ck_sopt *o)
{
    return ck_open_on(c, c->tp, o);
}

void ck_join(struct ck *c, struct hx_session *s, const char *nsp, const char *auth)
{
    const struct hx_item *reply = NULL;
    int rc = hx_sio_connect(s, nsp, auth, ck_in(c, CK_REPLY_MS), &reply);
    if (rc != HX_OK)
        ck_error(c, "precondition: joining %s failed: %s (%s)", nsp ? nsp : "/", hx_status_name(rc),
                 hx_session_reason(s));
    const struct hx_item *ev = NULL;
    rc = hx_sio_expect_event(s, nsp, "auth", ck_in(c, CK_REPLY_MS), &ev);
    if (rc != HX_OK)
        ck_error(c, "precondition: no `auth` event after joining %s: %s", nsp ? nsp : "/",
                 hx_status_name(rc));
}

struct hx_session *ck_connect(struct ck *c, const struct ck_sopt *o)
{
    struct hx_session *s = ck_open(c, o);
    ck_join(c, s, "/", NULL);
    return s;
}

/* ---- sending ------------------------------------------------------------- */

void ck_eio_send(struct ck *c, struct hx_session *s, enum eio_type type, const char *data)
{
    int rc = hx_eio_send(s, type, data, data ? strlen(data) : 0, false, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "could not send %s packet: %s (%s)", eio_type_name((int)type),
                 hx_status_name(rc), hx_session_reason(s));
}

void ck_msg(struct ck *c, struct hx_session *s, const char *text)
{
    ck_eio_send(c, s, EIO_MESSAGE, text);
}

int ck_raw(struct ck *c, struct hx_session *s, const void *p, size_t n, bool binary)
{
    return hx_eio_send_raw(s, p, n, binary, ck_in(c, CK_REPLY_MS));
}

void ck_emit(struct ck *c, struct hx_session *s, const char *nsp, const char *args,
             uint64_t *ack_id)
{
    int rc = hx_sio_emit(s, nsp, args, ack_id != NULL, ack_id, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "could not emit %s: %s (%s)", args, hx_status_name(rc), hx_session_reason(s));
}

/* ---- describing ---------------------------------------------------------- */

struct cdc_span ck_span(const char *s)
{
    return (struct cdc_span){(const uint8_t *)s, s ? strlen(s) : 0};
}

bool ck_eq(struct cdc_span sp, const char *s)
{
    size_t n = strlen(s);
    return sp.len == n && (n == 0 || memcmp(sp.p, s, n) == 0);
}

const char *ck_str(struct ck *c, struct cdc_span sp, bool show)
{
    size_t max = show && sp.len > 200 ? 200 : sp.len;
    char *p = ck_alloc(c, show ? max * 4 + 8 : sp.len);
    size_t k = 0;
    for (size_t i = 0; i < max; i++) {
        unsigned char ch = sp.p[i];
        if (!show) {
            p[k++] = (char)ch;
        } else if (ch == '\\' || ch == '"') {
            p[k++] = '\\';
            p[k++] = (char)ch;
        } else if (ch < 0x20 || ch == 0x7f) {
            k += (size_t)sprintf(p + k, "\\x%02x", ch);
        } else {
            p[k++] = (char)ch;
        }
    }
    if (show && max < sp.len)
        k += (size_t)sprintf(p + k, "...");
    p[k] = 0;
    return p;
}

const char *ck_item_desc(struct ck *c, const struct hx_item *it)
{
    if (!it)
        return "nothing";
    switch (it->kind) {
    case HX_ITEM_EIO:
        if (it->binary)
            return ck_fmt(c, "Engine.IO binary message of %zu bytes", it->eio.data.len);
        return ck_fmt(c, "Engine.IO %s \"%s\"", eio_type_name((int)it->eio.type),
                      ck_str(c, it->eio.data, true));
    case HX_ITEM_SIO:
        return ck_fmt(c, "Socket.IO %s nsp=%s%s%s %s", sio_type_name((int)it->sio.type, 5),
                      ck_str(c, it->sio.nsp, true), it->sio.has_id ? " id=" : "",
                      it->sio.has_id ? ck_fmt(c, "%llu", (unsigned long long)it->sio.id) : "",
                      ck_str(c, it->json, true));
    case HX_ITEM_HTTP:
        return ck_fmt(c, "HTTP %d \"%s\"", it->http_status, ck_str(c, it->raw, true));
    case HX_ITEM_WS:
        return ck_fmt(c, "WebSocket %s \"%s\"",
                      it->opcode == 2   ? "binary"
                      : it->opcode == 1 ? "text"
                                        : "control",
                      ck_str(c, it->raw, true));
    case HX_ITEM_CLOSE:
        return ck_fmt(c, "close (code %u%s%s)", it->close_code, it->reason[0] ? ", " : "",
                      it->reason);
    case HX_ITEM_ERROR:
        return ck_fmt(c, "connection error (%s)", it->reason);
    }
    return "?";
}

/* ---- waiting ------------------------------------------------------------- */

const struct hx_item *ck_try_wait(struct ck *c, struct hx_session *s, const struct hx_match *m,
                                  uint32_t ms)
{
    const struct hx_item *it = NULL;
    int rc = hx_session_wait(s, m, ck_in(c, ms), &it);
    if (rc == HX_ERR_NOMEM || rc == HX_ERR_TOO_LARGE)
        ck_error(c, "harness limit while waiting: %s", hx_status_name(rc));
    return rc == HX_OK ? it : NULL;
}

const struct hx_item *ck_wait(struct ck *c, struct hx_session *s, const struct hx_match *m,
                              uint32_t ms, const char *what)
{
    const struct hx_item *it = NULL;
    int rc = hx_session_wait(s, m, ck_in(c, ms), &it);
    if (rc == HX_OK)
        return it;
    if (rc == HX_ERR_NOMEM || rc == HX_ERR_TOO_LARGE)
        ck_error(c, "harness limit while waiting: %s", hx_status_name(rc));
    const struct hx_item *first = hx_session_peek(s, 0);
    if (rc == HX_ERR_CLOSED)
        ck_fail(c, what, "the session ended first (%s); first unmatched item: %s",
                hx_session_reason(s), ck_item_desc(c, first));
    ck_fail(c, what, "nothing matching within %u ms; first unmatched item: %s", ck_ms(c, ms),
            ck_item_desc(c, first));
}

const struct hx_item *ck_wait_eio(struct ck *c, struct hx_session *s, int eio_type, uint32_t ms)
{
    struct hx_match m = hx_match_eio(eio_type);
    return ck_wait(c, s, &m, ms, ck_fmt(c, "an Engine.IO %s packet", eio_type_name(eio_type)));
}

const struct hx_item *ck_wait_sio(struct ck *c, struct hx_session *s, int sio_type, const char *nsp,
                                  uint32_t ms)
{
    struct hx_match m = hx_match_sio(sio_type, nsp ? nsp : "/");
    return ck_wait(c, s, &m, ms,
                   ck_fmt(c, "a Socket.IO %s on %s", sio_type_name(sio_type, 5), nsp ? nsp : "/"));
}

const struct hx_item *ck_wait_event(struct ck *c, struct hx_session *s, const char *nsp,
                                    const char *event, uint32_t ms)
{
    struct hx_match m = hx_match_event(nsp ? nsp : "/", event);
    return ck_wait(c, s, &m, ms, ck_fmt(c, "event \"%s\" on %s", event, nsp ? nsp : "/"));
}

const struct hx_item *ck_wait_ack(struct ck *c, struct hx_session *s, const char *nsp, uint64_t id,
                                  uint32_t ms)
{
    struct hx_match m = hx_match_ack(nsp ? nsp : "/", id);
    return ck_wait(c, s, &m, ms,
                   ck_fmt(c, "ACK id %llu on %s", (unsigned long long)id, nsp ? nsp : "/"));
}

bool ck_closes_by(struct ck *c, struct hx_session *s, uint64_t until)
{
    /* Only CLOSE items (WebSocket ends) match; a polling session's end
     * makes the wait return HX_ERR_CLOSED. Extra channels' closes do not
     * count. */
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_CLOSE)};
    for (;;) {
        if (hx_session_closed(s))
            return true;
        const struct hx_item *it = NULL;
        int rc = hx_session_wait(s, &m, until, &it);
        if (rc == HX_ERR_CLOSED || hx_session_closed(s) || (rc == HX_OK && !it->aux))
            return true;
        if (rc == HX_ERR_TIMEOUT)
            return false;
        if (rc != HX_OK)
            ck_error(c, "harness failure while waiting for the close: %s", hx_status_name(rc));
    }
}

bool ck_closes_within(struct ck *c, struct hx_session *s, uint32_t ms)
{
    return ck_closes_by(c, s, ck_in(c, ms));
}

void ck_expect_closed(struct ck *c, struct hx_session *s, uint32_t ms, const char *why)
{
    if (!ck_closes_within(c, s, ms))
        ck_fail(c, ck_fmt(c, "the server closes the session (%s)", why),
                "the session was still open after %u ms", ck_ms(c, ms));
}

void ck_expect_open(struct ck *c, struct hx_session *s, uint32_t ms, const char *why)
{
    if (ck_closes_within(c, s, ms))
        ck_fail(c, ck_fmt(c, "the session stays open (%s)", why), "the session ended: %s",
                hx_session_reason(s));
}

void ck_expect_none(struct ck *c, struct hx_session *s, const struct hx_match *m, uint32_t ms,
                    const char *what)
{
    const struct hx_item *got = NULL;
    int rc = hx_session_expect_none(s, m, ck_in(c, ms), &got);
    if (rc == HX_ERR_PROTOCOL)
        ck_fail(c, ck_fmt(c, "no %s", what), "%s", ck_item_desc(c, got));
}

/* ---- raw HTTP / WebSocket -------------------------------------------------- */

static struct hx_session *scratch(struct ck *c, struct hx_session *s)
{
    if (s)
        return s;
    if (!c->scratch)
        c->scratch = ck_session(c, &(struct ck_sopt){.sio = -1});
    return c->scratch;
}

static const char *expand(struct ck *c, struct hx_session *s, const char *tmpl)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    int rc = hx_session_expand(s, tmpl, &b);
    if (rc != HX_OK) {
        cdc_buf_free(&b);
        ck_error(c, "cannot expand request target %s", tmpl);
    }
    const char *out = ck_str(c, (struct cdc_span){b.p, b.len}, false);
    cdc_buf_free(&b);
    return out;
}

unsigned ck_http_start(struct ck *c, struct hx_session *s, const struct ck_http *r)
{
    s = scratch(c, s);
    size_t len = r->body ? (r->len ? r->len : strlen((const char *)r->body)) : 0;
    struct hx_http_req req = {
        .method = r->method,
        .target = expand(c, s, r->target),
        .headers = r->headers,
        .n_headers = r->n_headers,
        .content_type = r->ctype,
        .body = r->body,
        .body_len = len,
        .has_body = r->body != NULL,
        .raw = r->raw,
    };
    unsigned chan = 0;
    int rc = hx_session_http(s, &req, &chan);
    if (rc != HX_OK)
        ck_error(c, "cannot start %s %s: %s", r->method ? r->method : "GET", req.target,
                 hx_status_name(rc));
    return chan;
}

const struct hx_item *ck_http_wait(struct ck *c, struct hx_session *s, unsigned chan, uint32_t ms)
{
    s = scratch(c, s);
    const struct hx_item *it = NULL;
    int rc = hx_session_http_wait(s, chan, ck_in(c, ms), &it);
    if (it)
        return it;
    ck_fail(c, "an HTTP answer", "no answer within %u ms (%s)", ck_ms(c, ms), hx_status_name(rc));
}

const struct hx_item *ck_http(struct ck *c, struct hx_session *s, const struct ck_http *r)
{
    s = scratch(c, s);
    return ck_http_wait(c, s, ck_http_start(c, s, r), CK_REPLY_MS);
}

const struct hx_item *ck_get(struct ck *c, struct hx_session *s, const char *target)
{
    return ck_http(c, s, &(struct ck_http){.target = target});
}

void ck_expect_status(struct ck *c, const struct hx_item *it, int status, const char *what)
{
    if (it->kind != HX_ITEM_HTTP || it->http_status != status)
        ck_fail(c, ck_fmt(c, "HTTP %d (%s)", status, what), "%s", ck_item_desc(c, it));
}

void ck_expect_eio_error(struct ck *c, const struct hx_item *it, int status, int code)
{
    const char *exp =
        ck_fmt(c, "HTTP %d with JSON body {\"code\":%d,\"message\":...}", status, code);
    if (it->kind != HX_ITEM_HTTP || it->http_status != status)
        ck_fail(c, exp, "%s", ck_item_desc(c, it));
    struct cdc_span body = it->raw, v;
    uint64_t got = 0;
    ck_check(c,
             cdc_json_validate(body.p, body.len, 8, false, NULL) == CDC_OK &&
                 cdc_json_type_of(body) == CDC_JSON_OBJECT,
             exp, "a body that is not a JSON object: \"%s\"", ck_str(c, body, true));
    ck_check(c,
             cdc_json_object_get(body, "code", &v) == 1 &&
                 cdc_json_number_u64(v, 100, &got) == CDC_OK && got == (uint64_t)code,
             exp, "body \"%s\"", ck_str(c, body, true));
    ck_check(
        c, cdc_json_object_get(body, "message", &v) == 1 && cdc_json_type_of(v) == CDC_JSON_STRING,
        exp, "body without a message string: \"%s\"", ck_str(c, body, true));
}

bool ck_header(const struct hx_item *it, const char *name, struct cdc_span *val)
{
    return it->kind == HX_ITEM_HTTP && hx_http_header_get(it->head, name, 0, val) == 1;
}

int ck_ws(struct ck *c, struct hx_session *s, const char *target, bool raw, unsigned *chan)
{
    s = scratch(c, s);
    struct hx_ws_req req = {.target = expand(c, s, target), .raw = raw};
    *chan = 0;
    return hx_session_ws(s, &req, ck_in(c, CK_REPLY_MS), chan);
}

void ck_ws_send(struct ck *c, struct hx_session *s, unsigned chan, const void *p, size_t n,
                bool binary)
{
    s = scratch(c, s);
    struct hx_ws_out f = {.opcode = binary ? HX_WS_BINARY : HX_WS_TEXT, .payload = p, .len = n};
    int rc = hx_session_ws_send(s, chan, &f);
    if (rc != HX_OK)
        ck_error(c, "cannot send on WebSocket channel %u: %s", chan, hx_status_name(rc));
}

const struct hx_item *ck_ws_next(struct ck *c, struct hx_session *s, unsigned chan, uint32_t ms)
{
    s = scratch(c, s);
    struct hx_match m = {.kinds =
                             HX_KIND(HX_ITEM_WS) | HX_KIND(HX_ITEM_CLOSE) | HX_KIND(HX_ITEM_ERROR),
                         .chan = chan};
    return ck_try_wait(c, s, &m, ms);
}

/* ---- data ---------------------------------------------------------------- */

void ck_check_json(struct ck *c, struct cdc_span got, const char *exp, const char *what)
{
    if (!hx_json_eq(got, ck_span(exp)))
        ck_fail(c, ck_fmt(c, "%s %s", what, exp), "%s", ck_str(c, got, true));
}

struct cdc_span ck_event_data(struct ck *c, const struct hx_item *it)
{
    struct cdc_span d = it->json;
    if (!c->recovery || it->sio.has_id)
        return d;
    /* Recovery: the last element is the offset string; cut it off. */
    size_t n = cdc_json_count(d);
    if (n == SIZE_MAX || n < 2)
        return d;
    struct cdc_json_iter iter;
    struct cdc_span v, last = {NULL, 0};
    cdc_json_iter_init(&iter, d);
    for (size_t i = 0; i < n && cdc_json_iter_next(&iter, NULL, &v) == 1; i++)
        last = v;
    if (cdc_json_type_of(last) != CDC_JSON_STRING)
        return d;
    const uint8_t *cut = last.p;
    while (cut > d.p && *cut != ',')
        cut--;
    size_t k = (size_t)(cut - d.p);
    char *buf = ck_alloc(c, k + 1);
    memcpy(buf, d.p, k);
    buf[k] = ']';
    return (struct cdc_span){(const uint8_t *)buf, k + 1};
}

/* ---- the end of a session -------------------------------------------------- */

/* True when |b| is a v4 payload of close and noop packets only. */
static bool only_close_noop(struct cdc_span b)
{
    if (b.len == 0)
        return false;
    for (size_t i = 0; i < b.len; i++) {
        bool sep = i % 2 == 1;
        if (sep ? b.p[i] != 0x1e : b.p[i] != '1' && b.p[i] != '6')
            return false;
    }
    return b.len % 2 == 1;
}

void ck_expect_sid_gone(struct ck *c, struct hx_session *s, const char *why)
{
    const char *exp = ck_fmt(c,
                             "the session is gone (%s): a GET with its sid answers HTTP 400 "
                             "with {\"code\":1,...} (after close or noop packets at most)",
                             why);
    for (int round = 0; round < 3; round++) {
        unsigned chan = ck_http_start(
            c, s, &(struct ck_http){.target = "{path}?EIO={eio}&transport=polling&sid={sid}"});
        const struct hx_item *it = NULL;
        hx_session_http_wait(s, chan, ck_in(c, CK_REPLY_MS), &it);
        if (!it)
            ck_fail(c, exp, "the GET got no answer within %u ms", ck_ms(c, CK_REPLY_MS));
        if (it->kind == HX_ITEM_HTTP && it->http_status == 200 && only_close_noop(it->raw))
            continue;
        if (it->kind != HX_ITEM_HTTP || it->http_status != 400)
            ck_fail(c, exp, "%s", ck_item_desc(c, it));
        struct cdc_span v;
        uint64_t code = 99;
        ck_check(c,
                 cdc_json_validate(it->raw.p, it->raw.len, 8, false, NULL) == CDC_OK &&
                     cdc_json_object_get(it->raw, "code", &v) == 1 &&
                     cdc_json_number_u64(v, 100, &code) == CDC_OK && code == 1,
                 exp, "HTTP 400 \"%s\"", ck_str(c, it->raw, true));
        return;
    }
    ck_fail(c, exp, "three GETs in a row answered with close or noop packets");
}

/* ---- Socket.IO connection helpers ---------------------------------------- */

const struct hx_item *ck_next_sio(struct ck *c, struct hx_session *s, uint32_t ms, const char *what)
{
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_SIO) | HX_KIND(HX_ITEM_ERROR)};
    for (;;) {
        const struct hx_item *it = ck_wait(c, s, &m, ms, what);
        /* ERROR items without a transport are notes on the handshake (a
         * leniently accepted open packet), not something the server sent
         * after it; they come at once, so the window barely grows. */
        if (it->kind != HX_ITEM_ERROR || it->tp != HX_TP_NONE)
            return it;
    }
}

/* The content of JSON string token |tok|, or NULL when it is no string. */
static const char *json_string(struct ck *c, struct cdc_span tok)
{
    if (cdc_json_type_of(tok) != CDC_JSON_STRING)
        return NULL;
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 16, NULL);
    const char *out = NULL;
    if (cdc_json_string_unescape(tok, &b) == CDC_OK)
        out = ck_str(c, (struct cdc_span){b.p, b.len}, false);
    cdc_buf_free(&b);
    return out;
}

const char *ck_sio_sid(struct ck *c, const struct hx_item *it, const char *nsp, bool exact)
{
    nsp = nsp ? nsp : "/";
    const char *exp = ck_fmt(c, "a CONNECT on %s whose payload is an object with %sa string sid%s",
                             nsp, exact ? "exactly " : "", c->recovery ? " and a string pid" : "");
    if (it->kind != HX_ITEM_SIO || it->sio.type != SIO_CONNECT || !ck_eq(it->sio.nsp, nsp))
        ck_fail(c, exp, "%s", ck_item_desc(c, it));
    struct cdc_span d = it->sio.data, v, key;
    if (cdc_json_type_of(d) != CDC_JSON_OBJECT)
        ck_fail(c, exp, "payload \"%s\"", ck_str(c, d, true));
    const char *sid = cdc_json_object_get(d, "sid", &v) == 1 ? json_string(c, v) : NULL;
    ck_check(c, sid && sid[0], exp, "payload \"%s\"", ck_str(c, d, true));
    if (c->recovery)
        ck_check(c, cdc_json_object_get(d, "pid", &v) == 1 && json_string(c, v), exp,
                 "payload \"%s\"", ck_str(c, d, true));
    if (!exact)
        return sid;
    struct cdc_json_iter iter;
    cdc_json_iter_init(&iter, d);
    while (cdc_json_iter_next(&iter, &key, &v) == 1) {
        bool known =
            cdc_json_string_eq(key, "sid", 3) || (c->recovery && cdc_json_string_eq(key, "pid", 3));
        ck_check(c, known, exp, "payload \"%s\" has member %s", ck_str(c, d, true),
                 ck_str(c, key, true));
    }
    return sid;
}

void ck_expect_sid_gone_early(struct ck *c, struct hx_session *s, const char *why)
{
    ck_expect_sid_gone(c, s, why);
    uint32_t at = (uint32_t)(hx_session_elapsed_us(s) / 1000u);
    uint32_t lim = ck_ping_interval(c) + ck_ping_timeout(c);
    ck_check(c, at < lim,
             ck_fmt(c,
                    "the session gone (%s) before pingInterval + pingTimeout (%u ms) could end "
                    "it anyway",
                    why, lim),
             "the sid was refused only %u ms after the session began", at);
}
