/*
 * hx_smoke.c - the smoke scenario (see hx_smoke.h): one session per
 * starting transport, each step timed and reported, later steps of a run
 * skipped after a failure. It uses only the public session API, so it is
 * also an example of straight-line case code.
 */
#include "harness/hx_smoke.h"
#include "codec/cdc_json.h"
#include "harness/hx_match.h"
#include "harness/hx_sio.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ACK_ARGS "[1,\"two\",{\"3\":[true]}]"
#define ACK_EMIT "[\"message-with-ack\",1,\"two\",{\"3\":[true]}]"
#define BIN_B64 "AAEC/w=="

struct run {
    const struct hx_env *env;
    const struct hx_smoke_opts *o;
    struct hx_smoke_result *r;
    struct hx_session *s;
    enum hx_tp tp;
    bool failed;
    bool skip;     /* the step decided not to run */
    bool recovery; /* CONNECT answer carried a pid: events end with an offset */
    char why[200];
};

static void why(struct run *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct run *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->why, sizeof(u->why), fmt, ap);
    va_end(ap);
}

static uint64_t in(const struct run *u, uint32_t ms)
{
    return hx_clock_in_ms(u->env->clock, ms);
}

/* Records one step; |fn| runs it unless an earlier step of the run failed. */
static void step(struct run *u, const char *name, int (*fn)(struct run *))
{
    struct hx_smoke_result *r = u->r;
    if (r->n == HX_SMOKE_MAX_STEPS)
        return;
    struct hx_smoke_step *st = &r->steps[r->n++];
    memset(st, 0, sizeof(*st));
    snprintf(st->name, sizeof(st->name), "%s", name);
    st->run = u->tp;
    st->on = u->s ? hx_session_tp(u->s) : HX_TP_NONE;
    if (u->failed) {
        st->skipped = true;
        snprintf(st->reason, sizeof(st->reason), "skipped after an earlier failure");
        r->skipped++;
        return;
    }
    u->why[0] = 0;
    uint64_t t0 = hx_clock_now(u->env->clock);
    st->status = fn(u);
    st->elapsed_ms = (uint32_t)((hx_clock_now(u->env->clock) - t0) / 1000u);
    if (u->skip) {
        u->skip = false;
        st->skipped = true;
        snprintf(st->reason, sizeof(st->reason), "%s", u->why);
        r->skipped++;
        return;
    }
    if (st->status == HX_OK && u->why[0] == 0) {
        r->passed++;
        return;
    }
    if (st->status == HX_OK)
        st->status = HX_ERR_PROTOCOL;
    snprintf(st->reason, sizeof(st->reason), "%s", u->why[0] ? u->why : hx_session_reason(u->s));
    u->failed = true;
    r->failed++;
}

static int do_handshake(struct run *u)
{
    return hx_eio_open(u->s, u->tp, in(u, u->o->step_ms));
}

static int do_connect(struct run *u)
{
    const struct hx_item *reply = NULL;
    struct cdc_span pid;
    int rc = hx_sio_connect(u->s, "/", NULL, in(u, u->o->step_ms), &reply);
    /* Connection state recovery: the server appends an offset string to
     * every event it emits (socket.io-protocol v5, connection state
     * recovery), announced by a pid in the CONNECT answer. */
    u->recovery = rc == HX_OK && reply && cdc_json_type_of(reply->json) == CDC_JSON_OBJECT &&
                  cdc_json_object_get(reply->json, "pid", &pid) == 1;
    return rc;
}

/* True when event array |got| equals |exp|, or, on a recovery session,
 * equals |exp| followed by one offset string. */
static bool event_eq(const struct run *u, struct cdc_span got, const char *exp)
{
    struct cdc_span e = {(const uint8_t *)exp, strlen(exp)};
    if (hx_json_eq(got, e))
        return true;
    size_t n = cdc_json_count(got);
    if (!u->recovery || n == SIZE_MAX || n < 2)
        return false;
    struct cdc_json_iter it;
    struct cdc_span v, last = {NULL, 0};
    cdc_json_iter_init(&it, got);
    for (size_t i = 0; i < n && cdc_json_iter_next(&it, NULL, &v) == 1; i++)
        last = v;
    if (cdc_json_type_of(last) != CDC_JSON_STRING)
        return false;
    /* |got| without its last element: up to the comma before |last|. */
    const uint8_t *cut = last.p;
    while (cut > got.p && *cut != ',')
        cut--;
    uint8_t buf[512];
    size_t k = (size_t)(cut - got.p);
    if (k + 1 > sizeof(buf))
        return false;
    memcpy(buf, got.p, k);
    buf[k] = ']';
    return hx_json_eq((struct cdc_span){buf, k + 1}, e);
}

static int echo_text(struct run *u)
{
    static const char msg[] = "hello siospec";
    int rc = hx_eio_send(u->s, EIO_MESSAGE, msg, sizeof(msg) - 1, false, in(u, u->o->step_ms));
    const struct hx_item *it = NULL;
    struct hx_match m = hx_match_eio(EIO_MESSAGE);
    if (rc == HX_OK)
        rc = hx_session_wait(u->s, &m, in(u, u->o->step_ms), &it);
    if (rc == HX_OK && (it->binary || it->eio.data.len != sizeof(msg) - 1 ||
                        memcmp(it->eio.data.p, msg, sizeof(msg) - 1) != 0))
        why(u, "echo differs: got %s[%zu]", it->binary ? "binary" : "text", it->eio.data.len);
    return rc;
}

static int do_ack(struct run *u)
{
    if (u->o->eio_echo)
        return echo_text(u);
    uint64_t id;
    const struct hx_item *it = NULL;
    int rc = hx_sio_emit(u->s, "/", ACK_EMIT, true, &id, in(u, u->o->step_ms));
    if (rc == HX_OK)
        rc = hx_sio_expect_ack(u->s, "/", id, in(u, u->o->step_ms), &it);
    struct cdc_span exp = {(const uint8_t *)ACK_ARGS, sizeof(ACK_ARGS) - 1};
    if (rc == HX_OK && !hx_json_eq(it->json, exp))
        why(u, "ack carries %.*s, expected %s", (int)it->json.len, (const char *)it->json.p,
            ACK_ARGS);
    return rc;
}

static const uint8_t bin_bytes[] = {0x00, 0x01, 0x02, 0xff};

static int echo_binary(struct run *u)
{
    int rc =
        hx_eio_send(u->s, EIO_MESSAGE, bin_bytes, sizeof(bin_bytes), true, in(u, u->o->step_ms));
    const struct hx_item *it = NULL;
    struct hx_match m = hx_match_eio(EIO_MESSAGE);
    if (rc == HX_OK)
        rc = hx_session_wait(u->s, &m, in(u, u->o->step_ms), &it);
    if (rc == HX_OK && (!it->binary || it->eio.data.len != sizeof(bin_bytes) ||
                        memcmp(it->eio.data.p, bin_bytes, sizeof(bin_bytes)) != 0))
        why(u, "binary echo differs (%s, %zu bytes)", it->binary ? "binary" : "text",
            it->eio.data.len);
    return rc;
}

static int do_binary(struct run *u)
{
    if (u->o->eio_echo)
        return echo_binary(u);
    const struct hx_item *it = NULL;
    int rc = hx_sio_emit(u->s, "/", "[\"message\",{\"$binary\":\"" BIN_B64 "\"},\"x\"]", false,
                         NULL, in(u, u->o->step_ms));
    if (rc == HX_OK)
        rc = hx_sio_expect_event(u->s, "/", "message-back", in(u, u->o->step_ms), &it);
    static const char exp[] = "[\"message-back\",{\"$binary\":\"" BIN_B64 "\"},\"x\"]";
    if (rc == HX_OK &&
        (it->n_att != 1 || it->att[0].len != sizeof(bin_bytes) ||
         memcmp(it->att[0].p, bin_bytes, sizeof(bin_bytes)) != 0 || !event_eq(u, it->json, exp)))
        why(u, "message-back differs: %zu attachments, %.*s", it->n_att, (int)it->json.len,
            (const char *)it->json.p);
    return rc;
}

static int do_heartbeat(struct run *u)
{
    const struct eio_handshake *hs = hx_session_handshake(u->s);
    uint64_t span = hs->ping_interval + hs->ping_timeout;
    if (span > u->o->max_heartbeat_ms) {
        why(u, "pingInterval + pingTimeout = %llu ms exceeds the budget", (unsigned long long)span);
        u->skip = true;
        return HX_OK;
    }
    const struct hx_item *it = NULL;
    hx_session_set_hb(u->s, HX_HB_MANUAL);
    uint64_t dl = in(u, (uint32_t)span + u->o->step_ms);
    int v3 = hx_session_codec(u->s)->eio_version == 3;
    int rc = v3 ? hx_eio_send(u->s, EIO_PING, "", 0, false, dl) : HX_OK;
    struct hx_match m = hx_match_eio(v3 ? EIO_PONG : EIO_PING);
    if (rc == HX_OK)
        rc = hx_session_wait(u->s, &m, dl, &it);
    if (rc == HX_OK && !v3)
        rc = hx_eio_send(u->s, EIO_PONG, "", 0, false, dl);
    hx_session_set_hb(u->s, HX_HB_AUTO);
    return rc;
}

static int do_upgrade(struct run *u)
{
    const struct eio_handshake *hs = hx_session_handshake(u->s);
    if (!(hs->upgrades & EIO_UPGRADE_WEBSOCKET)) {
        why(u, "the handshake offers no websocket upgrade");
        return HX_ERR_PROTOCOL;
    }
    return hx_eio_upgrade(u->s, 0, in(u, u->o->step_ms * 2));
}

static int do_close(struct run *u)
{
    return hx_session_close(u->s, HX_CLOSE_GRACEFUL, in(u, u->o->step_ms));
}

static void steps(struct run *u)
{
    step(u, "handshake", do_handshake);
    if (!u->o->eio_echo)
        step(u, "connect", do_connect);
    step(u, u->o->eio_echo ? "echo" : "ack", do_ack);
    step(u, "binary", do_binary);
    step(u, "heartbeat", do_heartbeat);
    if (u->tp == HX_TP_POLLING) {
        step(u, "upgrade", do_upgrade);
        step(u, u->o->eio_echo ? "echo" : "ack", do_ack);
        step(u, "binary", do_binary);
        step(u, "heartbeat", do_heartbeat);
    }
    step(u, "close", do_close);
}

static int one_run(const struct hx_env *env, const struct hx_smoke_opts *o,
                   struct hx_smoke_result *r, enum hx_tp tp)
{
    struct hx_session_opts so = {.url = o->url,
                                 .path = o->path ? o->path
                                                 : (o->eio_echo ? "/engine.io/" : "/socket.io/"),
                                 .eio = o->eio,
                                 .sio = o->eio_echo ? 0 : o->sio,
                                 .seed = o->seed};
    struct run u = {.env = env, .o = o, .r = r, .tp = tp};
    int rc = hx_session_new(&u.s, env, &so);
    if (rc != HX_OK)
        return rc;
    steps(&u);
    r->tr[tp == HX_TP_WS] = hx_session_take_transcript(u.s);
    hx_session_del(u.s);
    return HX_OK;
}

int hx_smoke_run(const struct hx_env *env, const struct hx_smoke_opts *o, struct hx_smoke_result *r)
{
    memset(r, 0, sizeof(*r));
    if (!o->url)
        return HX_ERR_INVALID_ARG;
    struct hx_smoke_opts oo = *o;
    oo.eio = o->eio ? o->eio : 4;
    oo.sio = o->sio ? o->sio : (oo.eio == 3 ? 4 : 5);
    oo.step_ms = o->step_ms ? o->step_ms : 2000;
    oo.max_heartbeat_ms = o->max_heartbeat_ms ? o->max_heartbeat_ms : 30000;
    uint64_t t0 = hx_clock_now(env->clock);
    int rc = one_run(env, &oo, r, HX_TP_POLLING);
    if (rc == HX_OK)
        rc = one_run(env, &oo, r, HX_TP_WS);
    r->total_ms = (uint32_t)((hx_clock_now(env->clock) - t0) / 1000u);
    if (rc != HX_OK)
        return rc;
    return r->failed ? HX_ERR_PROTOCOL : HX_OK;
}

void hx_smoke_result_free(struct hx_smoke_result *r)
{
    hx_transcript_del(r->tr[0]);
    hx_transcript_del(r->tr[1]);
    r->tr[0] = r->tr[1] = NULL;
}

int hx_smoke_format(const struct hx_smoke_result *r, struct cdc_buf *out)
{
    char line[400];
    int rc = CDC_OK;
    for (size_t i = 0; rc == CDC_OK && i < r->n; i++) {
        const struct hx_smoke_step *s = &r->steps[i];
        const char *res = s->skipped ? "skip" : s->status == HX_OK ? "ok" : "FAIL";
        bool st = s->status != HX_OK;
        snprintf(line, sizeof(line), "%-9s %-10s %-4s %5u ms  %s%s%s\n",
                 s->run == HX_TP_WS ? "websocket" : "polling", s->name, res, s->elapsed_ms,
                 st ? hx_status_name(s->status) : "", st && s->reason[0] ? ": " : "", s->reason);
        rc = cdc_buf_append_str(out, line);
    }
    snprintf(line, sizeof(line), "smoke: %u ok, %u failed, %u skipped, %u ms\n", r->passed,
             r->failed, r->skipped, r->total_ms);
    return rc == CDC_OK ? cdc_buf_append_str(out, line) : rc;
}
