/*
 * hx_session.c - session lifecycle, the channel table, the event pump and
 * the item queue the case reads from.
 *
 * Every wait in the session is the same loop: look for what the caller
 * needs in the session's state or queue; if it is not there and the
 * deadline has not passed, pump one transport event (which dispatches it
 * into state and queue) and look again. The transport's wait() never goes
 * past the deadline, so no call here can either.
 */
#include "hx_session_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_MEM (64u * 1024u * 1024u)
#define DEFAULT_MAX_BODY (16u * 1024u * 1024u)

uint64_t ses_now(const struct hx_session *s)
{
    return hx_clock_now(s->clk);
}

void ses_fail(struct hx_session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
    va_end(ap);
    hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, "", 0, "error %s", s->reason);
}

const char *ses_tp_tag(enum hx_tp tp)
{
    return tp == HX_TP_WS ? "ws" : tp == HX_TP_POLLING ? "http" : "";
}

static char *dup_str(const char *p)
{
    if (!p)
        return NULL;
    size_t n = strlen(p) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, p, n);
    return d;
}

static int copy_headers(struct hx_session *s, const struct hx_session_opts *o)
{
    if (!o->n_headers)
        return HX_OK;
    s->headers = calloc(o->n_headers, sizeof(*s->headers));
    if (!s->headers)
        return HX_ERR_NOMEM;
    s->o.n_headers = o->n_headers;
    for (size_t i = 0; i < o->n_headers; i++) {
        s->headers[i].name = dup_str(o->headers[i].name);
        s->headers[i].value = dup_str(o->headers[i].value);
        if (!s->headers[i].name || !s->headers[i].value)
            return HX_ERR_NOMEM;
    }
    s->o.headers = s->headers;
    return HX_OK;
}

static int check_opts(const struct hx_session_opts *o)
{
    int eio = o->eio ? o->eio : 4;
    if (!o->url || (eio != 3 && eio != 4))
        return HX_ERR_INVALID_ARG;
    if (o->sio && o->sio != 4 && o->sio != 5)
        return HX_ERR_INVALID_ARG;
    return HX_OK;
}

static void init_codec(struct hx_session *s)
{
    cdc_opts_init(&s->co);
    s->co.eio_version = s->o.eio;
    s->co.sio_version = s->o.sio ? s->o.sio : (s->o.eio == 3 ? 4 : 5);
    s->co.mode = s->o.strict_decode ? CDC_STRICT : CDC_COMPAT;
    /* The server may send more than its own maxPayload; bound by ours. */
    s->co.lim.max_payload = s->o.max_body;
    if (s->o.max_json_depth)
        s->co.lim.max_json_depth = s->o.max_json_depth;
    cdc_buf_init(&s->scratch, s->o.max_body, NULL);
}

static int ses_init(struct hx_session *s, const struct hx_env *env, const struct hx_session_opts *o)
{
    s->o = *o;
    s->o.eio = o->eio ? o->eio : 4;
    s->o.max_mem = o->max_mem ? o->max_mem : DEFAULT_MAX_MEM;
    s->o.max_body = o->max_body ? o->max_body : DEFAULT_MAX_BODY;
    s->url = dup_str(o->url);
    s->path = dup_str(o->path ? o->path : "/socket.io/");
    s->query = o->query ? dup_str(o->query) : NULL;
    s->o.url = s->url;
    s->o.path = s->path;
    s->o.query = s->query;
    s->o.headers = NULL;
    s->o.n_headers = 0;
    if (!s->url || !s->path || (o->query && !s->query) || copy_headers(s, o) != HX_OK)
        return HX_ERR_NOMEM;
    s->clk = env->clock;
    s->t0 = ses_now(s);
    hx_rng_seed(&s->rng, o->seed);
    init_codec(s);
    s->next_seq = 1;
    if (hx_transcript_new(&s->tr, s->t0, o->transcript_max) != HX_OK)
        return HX_ERR_NOMEM;
    if (s->o.sio && sio_decoder_new(&s->sd, &s->co, NULL) != CDC_OK)
        return HX_ERR_NOMEM;
    int rc = env->transport_new(env->ud, s->url, &s->t);
    if (rc != HX_OK)
        return rc;
    s->t->tr = s->tr;
    return HX_OK;
}

int hx_session_new(struct hx_session **out, const struct hx_env *env,
                   const struct hx_session_opts *o)
{
    *out = NULL;
    int rc = check_opts(o);
    if (rc != HX_OK)
        return rc;
    struct hx_session *s = calloc(1, sizeof(*s));
    if (!s)
        return HX_ERR_NOMEM;
    rc = ses_init(s, env, o);
    if (rc != HX_OK) {
        hx_session_del(s);
        return rc;
    }
    *out = s;
    return HX_OK;
}

void hx_session_del(struct hx_session *s)
{
    if (!s)
        return;
    if (s->t)
        s->t->ops->del(s->t);
    item_free_all(s->q_head);
    item_free_all(s->taken);
    for (struct hx_outpkt *p = s->out_head, *n; p; p = n) {
        n = p->next;
        free(p);
    }
    for (size_t i = 0; i < s->o.n_headers; i++) {
        free((void *)s->headers[i].name);
        free((void *)s->headers[i].value);
    }
    free(s->headers);
    if (s->sd)
        sio_decoder_del(s->sd);
    cdc_buf_free(&s->scratch);
    hx_transcript_del(s->tr);
    free(s->url);
    free(s->path);
    free(s->query);
    free(s);
}

/* ---- accessors ---- */

uint64_t hx_session_in(const struct hx_session *s, uint32_t ms)
{
    return hx_clock_in_ms(s->clk, ms);
}

uint64_t hx_session_elapsed_us(const struct hx_session *s)
{
    return ses_now(s) - s->t0;
}

const char *hx_session_reason(const struct hx_session *s)
{
    return s->reason;
}

struct hx_transcript *hx_session_transcript(struct hx_session *s)
{
    return s->tr;
}

struct hx_transcript *hx_session_take_transcript(struct hx_session *s)
{
    struct hx_transcript *tr = s->tr;
    s->tr = NULL;
    if (s->t)
        s->t->tr = NULL;
    return tr;
}

const struct eio_handshake *hx_session_handshake(const struct hx_session *s)
{
    return s->have_hs ? &s->hs : NULL;
}

enum hx_tp hx_session_tp(const struct hx_session *s)
{
    return s->tp;
}

bool hx_session_closed(const struct hx_session *s)
{
    return s->state == S_CLOSED;
}

void hx_session_set_hb(struct hx_session *s, enum hx_hb_mode hb)
{
    s->o.hb = hb;
    if (s->have_hs && s->o.eio == 3)
        s->next_ping_at = ses_now(s) + s->hs.ping_interval * 1000u;
}

const struct cdc_opts *hx_session_codec(const struct hx_session *s)
{
    return &s->co;
}

/* ---- channels ---- */

struct hx_chan_rec *ses_chan(struct hx_session *s, unsigned id)
{
    for (size_t i = 0; id && i < s->n_chans; i++)
        if (s->chans[i].id == id)
            return &s->chans[i];
    return NULL;
}

int ses_chan_add(struct hx_session *s, unsigned id, enum hx_role role, bool raw)
{
    if (s->n_chans == HX_SESSION_MAX_CHANS) {
        s->t->ops->close(s->t, id, true, 0, NULL);
        ses_fail(s, "more than %d channels at once", HX_SESSION_MAX_CHANS);
        return HX_ERR_STATE;
    }
    s->chans[s->n_chans++] = (struct hx_chan_rec){.id = id, .role = role, .raw = raw};
    return HX_OK;
}

void ses_chan_del(struct hx_session *s, unsigned id)
{
    for (size_t i = 0; i < s->n_chans; i++) {
        if (s->chans[i].id == id) {
            s->chans[i] = s->chans[--s->n_chans];
            return;
        }
    }
}

/* The session's own transport ended (not an aux channel). */
void ses_closed(struct hx_session *s, enum hx_tp tp, const char *why)
{
    if (s->state == S_CLOSED)
        return;
    s->state = S_CLOSED;
    s->poll_dead = true;
    snprintf(s->reason, sizeof(s->reason), "session closed: %s", why);
    hx_transcript_textf(s->tr, ses_now(s), HX_DIR_NOTE, ses_tp_tag(tp), 0, "closed %s", why);
}

/* ---- pump ---- */

int ses_pump(struct hx_session *s, uint64_t deadline)
{
    uint64_t wake = deadline;
    if (s->o.eio == 3 && s->o.hb == HX_HB_AUTO && s->state == S_OPEN && s->next_ping_at &&
        s->next_ping_at < wake)
        wake = s->next_ping_at;
    struct hx_event ev;
    int rc = s->t->ops->wait(s->t, wake, &ev);
    if (rc != HX_OK) {
        ses_fail(s, "transport failure: %s", hx_status_name(rc));
        return rc;
    }
    if (ev.kind != HX_EV_TIMEOUT)
        ses_dispatch(s, &ev);
    ses_hb_tick(s);
    return HX_OK;
}

int hx_session_pump(struct hx_session *s, uint64_t until)
{
    while (ses_now(s) < until) {
        int rc = ses_pump(s, until);
        if (rc != HX_OK)
            return rc;
    }
    return HX_OK;
}

/* ---- the queue ---- */

static struct hx_item *q_take(struct hx_session *s, const struct hx_match *m)
{
    struct hx_item **pp = &s->q_head, *prev = NULL;
    for (; *pp; prev = *pp, pp = &(*pp)->next) {
        struct hx_item *it = *pp;
        if (!hx_match_item(m, it))
            continue;
        *pp = it->next;
        if (s->q_tail == it)
            s->q_tail = prev;
        s->q_len--;
        it->next = s->taken;
        s->taken = it;
        return it;
    }
    return NULL;
}

static bool aux_alive(const struct hx_session *s, unsigned chan)
{
    for (size_t i = 0; i < s->n_chans; i++)
        if (s->chans[i].role == ROLE_AUX && (!chan || s->chans[i].id == chan))
            return true;
    return false;
}

/* True when nothing matching |m| can arrive any more. */
static bool hopeless(const struct hx_session *s, const struct hx_match *m)
{
    if (m && m->chan)
        return !aux_alive(s, m->chan) && !ses_chan((struct hx_session *)s, m->chan);
    return s->state == S_CLOSED && !aux_alive(s, 0) && s->n_chans == 0;
}

/* Appends "name|name" for the bits of |mask| named by |name_of|. */
static void bits(char *buf, size_t cap, unsigned mask, const char *(*name_of)(int, int), int v,
                 const char *pre)
{
    size_t l = strlen(buf);
    snprintf(buf + l, cap - l, "%s", pre);
    for (int i = 0, first = 1; i < 16; i++) {
        if (!(mask & (1u << i)))
            continue;
        l = strlen(buf);
        const char *n = name_of(i, v);
        snprintf(buf + l, cap - l, "%s%s", first ? "" : "|", n ? n : "?");
        first = 0;
    }
}

static const char *kind_name(int k, int v)
{
    (void)v;
    static const char *n[] = {"?", "eio", "sio", "http", "ws", "close", "error"};
    return k >= 1 && k <= 6 ? n[k] : NULL;
}

static const char *eio_name(int t, int v)
{
    (void)v;
    return eio_type_name(t);
}

static void describe(const struct hx_session *s, const struct hx_match *m, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", m ? "[" : "item");
    if (!m)
        return;
    if (m->kinds)
        bits(buf, cap, m->kinds, kind_name, 0, "kind=");
    if (m->eio_types)
        bits(buf, cap, m->eio_types, eio_name, 0, " eio=");
    if (m->sio_types)
        bits(buf, cap, m->sio_types, sio_type_name, s->co.sio_version, " sio=");
    size_t l = strlen(buf);
    snprintf(buf + l, cap - l, "%s%s%s%s%s", m->event ? " event=" : "", m->event ? m->event : "",
             m->nsp ? " nsp=" : "", m->nsp ? m->nsp : "", m->has_id ? " id=" : "");
    l = strlen(buf);
    if (m->has_id)
        snprintf(buf + l, cap - l, "%llu", (unsigned long long)m->id);
    l = strlen(buf);
    if (m->chan)
        snprintf(buf + l, cap - l, " chan=%u", m->chan);
    l = strlen(buf);
    snprintf(buf + l, cap - l, "]");
}

int hx_session_wait(struct hx_session *s, const struct hx_match *m, uint64_t deadline,
                    const struct hx_item **out)
{
    uint64_t start = ses_now(s);
    for (;;) {
        struct hx_item *it = q_take(s, m);
        if (it) {
            *out = it;
            return HX_OK;
        }
        if (s->mem_err)
            return s->mem_err;
        char d[160];
        if (hopeless(s, m)) {
            describe(s, m, d, sizeof(d));
            ses_fail(s, "closed while waiting for %s (%s)", d, s->reason);
            return HX_ERR_CLOSED;
        }
        if (ses_now(s) >= deadline) {
            describe(s, m, d, sizeof(d));
            ses_fail(s, "no %s within %llu ms", d,
                     (unsigned long long)((deadline - start) / 1000u));
            return HX_ERR_TIMEOUT;
        }
        int rc = ses_pump(s, deadline);
        if (rc != HX_OK)
            return rc;
    }
}

int hx_session_expect_none(struct hx_session *s, const struct hx_match *m, uint64_t until,
                           const struct hx_item **got)
{
    for (;;) {
        struct hx_item *it = q_take(s, m);
        if (it) {
            if (got)
                *got = it;
            ses_fail(s, "unexpected item of kind %d", (int)it->kind);
            return HX_ERR_PROTOCOL;
        }
        if (ses_now(s) >= until || hopeless(s, m))
            return HX_OK;
        int rc = ses_pump(s, until);
        if (rc != HX_OK)
            return rc;
    }
}

size_t hx_session_queued(const struct hx_session *s)
{
    return s->q_len;
}

const struct hx_item *hx_session_peek(const struct hx_session *s, size_t i)
{
    const struct hx_item *it = s->q_head;
    while (it && i--)
        it = it->next;
    return it;
}

void hx_session_release_items(struct hx_session *s)
{
    for (struct hx_item *it = s->taken; it; it = it->next)
        s->mem_used -= item_size(it);
    item_free_all(s->taken);
    s->taken = NULL;
}
