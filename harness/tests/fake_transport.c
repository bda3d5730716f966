/*
 * fake_transport.c - the scripted transport (see fake_transport.h).
 *
 * The schedule is a list kept sorted by time; entries with equal times keep
 * their insertion order, so a server's replies arrive in the order it
 * produced them.
 */
#include "fake_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_sched {
    uint64_t at;
    struct hx_event ev;
    void (*cb)(struct fake_tp *, void *);
    void *arg;
    uint8_t *head;
    uint8_t *data;
    struct fake_sched *next;
};

static uint64_t now(const struct fake_tp *f)
{
    return f->clk->now;
}

struct fake_chan *fake_chan(struct fake_tp *f, unsigned id)
{
    return id && id <= f->n_chans ? &f->chans[id - 1] : NULL;
}

static void insert(struct fake_tp *f, struct fake_sched *s)
{
    struct fake_sched **pp = &f->sched;
    while (*pp && (*pp)->at <= s->at)
        pp = &(*pp)->next;
    s->next = *pp;
    *pp = s;
}

static uint8_t *dup_bytes(const void *p, size_t n)
{
    uint8_t *d = malloc(n + 1);
    if (n)
        memcpy(d, p, n);
    d[n] = 0;
    return d;
}

static void sched_ev(struct fake_tp *f, const struct hx_event *ev, const char *head,
                     const void *data, size_t n, uint64_t delay)
{
    struct fake_sched *s = calloc(1, sizeof(*s));
    s->at = now(f) + delay;
    s->ev = *ev;
    s->data = dup_bytes(data, n);
    s->ev.data = (struct cdc_span){s->data, n};
    if (head) {
        s->head = dup_bytes(head, strlen(head));
        s->ev.head = (struct cdc_span){s->head, strlen(head)};
    }
    insert(f, s);
}

void fake_http(struct fake_tp *f, unsigned chan, int status, const char *head, const void *body,
               size_t len, uint64_t delay_us)
{
    char h[256];
    if (!head) {
        snprintf(h, sizeof(h), "HTTP/1.1 %d X\r\nContent-Type: text/plain\r\n\r\n", status);
        head = h;
    }
    struct hx_event ev = {.kind = HX_EV_HTTP_RESPONSE, .chan = chan, .http_status = status};
    sched_ev(f, &ev, head, body, len, delay_us);
}

void fake_ws_open(struct fake_tp *f, unsigned chan, uint64_t delay_us)
{
    struct hx_event ev = {.kind = HX_EV_WS_OPEN, .chan = chan, .http_status = 101};
    sched_ev(f, &ev, "HTTP/1.1 101 Switching Protocols\r\n\r\n", "", 0, delay_us);
}

void fake_ws_msg(struct fake_tp *f, unsigned chan, bool binary, const void *p, size_t n,
                 uint64_t delay_us)
{
    struct hx_event ev = {.kind = HX_EV_WS_MESSAGE, .chan = chan, .binary = binary};
    sched_ev(f, &ev, NULL, p, n, delay_us);
}

void fake_ws_closed(struct fake_tp *f, unsigned chan, uint16_t code, uint64_t delay_us)
{
    struct hx_event ev = {.kind = HX_EV_WS_CLOSED, .chan = chan, .close_code = code};
    snprintf(ev.reason, sizeof(ev.reason), "closed code=%u", code);
    sched_ev(f, &ev, NULL, "", 0, delay_us);
}

void fake_error(struct fake_tp *f, unsigned chan, int err, int status, const char *reason,
                uint64_t delay_us)
{
    struct hx_event ev = {.kind = HX_EV_ERROR, .chan = chan, .err = err, .http_status = status};
    snprintf(ev.reason, sizeof(ev.reason), "%s", reason);
    sched_ev(f, &ev, NULL, "", 0, delay_us);
}

void fake_timer(struct fake_tp *f, uint64_t delay_us, void (*cb)(struct fake_tp *, void *),
                void *arg)
{
    struct fake_sched *s = calloc(1, sizeof(*s));
    s->at = now(f) + delay_us;
    s->cb = cb;
    s->arg = arg;
    insert(f, s);
}

size_t fake_pending(const struct fake_tp *f)
{
    size_t n = 0;
    for (const struct fake_sched *s = f->sched; s; s = s->next)
        n++;
    return n;
}

static void free_sched(struct fake_sched *s)
{
    if (!s)
        return;
    free(s->head);
    free(s->data);
    free(s);
}

static struct fake_chan *new_chan(struct fake_tp *f, bool ws, bool raw, const char *target)
{
    if (f->n_chans == FAKE_MAX_CHANS)
        return NULL;
    struct fake_chan *c = &f->chans[f->n_chans++];
    memset(c, 0, sizeof(*c));
    c->id = f->n_chans;
    c->ws = ws;
    c->raw = raw;
    snprintf(c->target, sizeof(c->target), "%s", target ? target : "");
    return c;
}

static int f_http(struct hx_transport *t, const struct hx_http_req *req, unsigned *chan)
{
    struct fake_tp *f = (struct fake_tp *)t;
    struct fake_chan *c = new_chan(f, false, req->raw, req->target);
    if (!c)
        return HX_ERR_NOMEM;
    snprintf(c->method, sizeof(c->method), "%s", req->method ? req->method : "GET");
    c->body = dup_bytes(req->raw_bytes ? req->raw_bytes : req->body,
                        req->raw_bytes ? req->raw_len : req->body_len);
    c->body_len = req->raw_bytes ? req->raw_len : req->body_len;
    *chan = c->id;
    if (f->hooks.on_http)
        f->hooks.on_http(f, c, f->hooks.ud);
    return HX_OK;
}

static int f_ws_open(struct hx_transport *t, const struct hx_ws_req *req, unsigned *chan)
{
    struct fake_tp *f = (struct fake_tp *)t;
    struct fake_chan *c = new_chan(f, true, req->raw, req->target);
    if (!c)
        return HX_ERR_NOMEM;
    snprintf(c->method, sizeof(c->method), "WS");
    *chan = c->id;
    if (f->hooks.on_ws_open)
        f->hooks.on_ws_open(f, c, f->hooks.ud);
    return HX_OK;
}

static int f_ws_send(struct hx_transport *t, unsigned chan, const struct hx_ws_out *m)
{
    struct fake_tp *f = (struct fake_tp *)t;
    struct fake_chan *c = fake_chan(f, chan);
    if (!c || !c->ws || c->done)
        return HX_ERR_STATE;
    if (f->hooks.on_ws_send)
        f->hooks.on_ws_send(f, c, m, f->hooks.ud);
    return HX_OK;
}

/* Drops scheduled events of |chan| (an aborted channel reports nothing). */
static void drop_chan_events(struct fake_tp *f, unsigned chan)
{
    for (struct fake_sched **pp = &f->sched; *pp;) {
        if (!(*pp)->cb && (*pp)->ev.chan == chan) {
            struct fake_sched *x = *pp;
            *pp = x->next;
            free_sched(x);
        } else {
            pp = &(*pp)->next;
        }
    }
}

static int f_close(struct hx_transport *t, unsigned chan, bool abort, uint16_t code,
                   const char *reason)
{
    (void)reason;
    struct fake_tp *f = (struct fake_tp *)t;
    struct fake_chan *c = fake_chan(f, chan);
    if (!c || (c->done && !abort))
        return HX_ERR_STATE;
    if (abort) {
        c->aborted = true;
        c->done = true;
        drop_chan_events(f, chan);
    } else {
        c->close_req = true;
        c->close_code = code;
    }
    if (f->hooks.on_close)
        f->hooks.on_close(f, c, abort, f->hooks.ud);
    return HX_OK;
}

static int f_wait(struct hx_transport *t, uint64_t deadline, struct hx_event *ev)
{
    struct fake_tp *f = (struct fake_tp *)t;
    f->waits++;
    free_sched(f->last);
    f->last = NULL;
    for (;;) {
        struct fake_sched *s = f->sched;
        if (!s || s->at > deadline) {
            hx_fake_clock_set(f->clk, deadline);
            memset(ev, 0, sizeof(*ev));
            ev->kind = HX_EV_TIMEOUT;
            return HX_OK;
        }
        f->sched = s->next;
        hx_fake_clock_set(f->clk, s->at);
        if (s->cb) {
            s->cb(f, s->arg);
            free_sched(s);
            continue;
        }
        struct fake_chan *c = fake_chan(f, s->ev.chan);
        if (c && c->done) {
            free_sched(s);
            continue;
        }
        if (c && (s->ev.kind == HX_EV_HTTP_RESPONSE || s->ev.kind == HX_EV_WS_CLOSED ||
                  s->ev.kind == HX_EV_ERROR))
            c->done = true;
        f->last = s;
        *ev = s->ev;
        return HX_OK;
    }
}

static void f_del(struct hx_transport *t)
{
    struct fake_tp *f = (struct fake_tp *)t;
    while (f->sched) {
        struct fake_sched *s = f->sched;
        f->sched = s->next;
        free_sched(s);
    }
    free_sched(f->last);
    for (unsigned i = 0; i < f->n_chans; i++)
        free(f->chans[i].body);
    free(f);
}

static const struct hx_transport_ops fake_ops = {
    .http = f_http,
    .ws_open = f_ws_open,
    .ws_send = f_ws_send,
    .close = f_close,
    .wait = f_wait,
    .del = f_del,
};

static int env_new(void *ud, const char *base_url, struct hx_transport **out)
{
    (void)base_url;
    struct fake_env *fe = ud;
    struct fake_tp *f = calloc(1, sizeof(*f));
    if (!f)
        return HX_ERR_NOMEM;
    f->base.ops = &fake_ops;
    f->base.clock = &fe->clk->clock;
    f->clk = fe->clk;
    f->hooks = fe->hooks;
    fe->last = f;
    fe->created++;
    *out = &f->base;
    return HX_OK;
}

void fake_env_init(struct fake_env *fe, struct hx_fake_clock *clk, const struct fake_hooks *h)
{
    memset(fe, 0, sizeof(*fe));
    fe->clk = clk;
    if (h)
        fe->hooks = *h;
    fe->env.transport_new = env_new;
    fe->env.ud = fe;
    fe->env.clock = &clk->clock;
}
