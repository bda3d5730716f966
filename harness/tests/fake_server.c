/*
 * fake_server.c - the scripted Engine.IO / Socket.IO server (see
 * fake_server.h). Timers (pings, ping timeouts, the upgrade noop) are
 * fake-transport timers, so they fire exactly at fake-clock times.
 */
#include "fake_server.h"

#include "codec/cdc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t lat(const struct fsrv *s)
{
    return s->o.latency_us;
}

static uint64_t ms(uint32_t v)
{
    return (uint64_t)v * 1000u;
}

static struct cdc_opts copts(const struct fsrv *s)
{
    struct cdc_opts o;
    cdc_opts_init(&o);
    o.eio_version = s->o.eio;
    o.sio_version = s->o.sio ? s->o.sio : 5;
    o.mode = CDC_COMPAT;
    return o;
}

/* ---- recording ---- */

static void record(struct fsrv *s, const struct eio_packet *p, char tp)
{
    if (s->n_rx == FSRV_MAX_REC)
        return;
    struct frec *r = &s->rx[s->n_rx++];
    r->at = s->f->clk->now;
    r->tp = tp;
    r->binary = p->binary;
    if (p->binary) {
        size_t k = 0;
        for (size_t i = 0; i < p->data.len && k + 3 < sizeof(r->text); i++)
            k += (size_t)snprintf(r->text + k, sizeof(r->text) - k, "%02x", p->data.p[i]);
        r->text[k] = 0;
    } else {
        snprintf(r->text, sizeof(r->text), "%d%.*s", (int)p->type, (int)p->data.len,
                 (const char *)p->data.p);
    }
}

int fsrv_find(const struct fsrv *s, const char *text, size_t from)
{
    for (size_t i = from; i < s->n_rx; i++)
        if (strcmp(s->rx[i].text, text) == 0)
            return (int)i;
    return -1;
}

size_t fsrv_count(const struct fsrv *s, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_rx; i++)
        n += strcmp(s->rx[i].text, text) == 0;
    return n;
}

/* ---- sending ---- */

static void flush_get(struct fsrv *s)
{
    if (!s->pending_get || !s->n_out)
        return;
    struct eio_packet pk[256];
    for (size_t i = 0; i < s->n_out; i++)
        pk[i] = (struct eio_packet){.type = (enum eio_type)s->out[i].type,
                                    .binary = s->out[i].binary,
                                    .data = {s->out[i].data, s->out[i].len}};
    struct cdc_opts o = copts(s);
    struct cdc_buf b;
    cdc_buf_init(&b, SIZE_MAX, NULL);
    eio_payload_encode(&o, pk, s->n_out, EIO_PAYLOAD_TEXT, &b);
    fake_http(s->f, s->pending_get, 200, NULL, b.p, b.len, lat(s));
    cdc_buf_free(&b);
    for (size_t i = 0; i < s->n_out; i++)
        free(s->out[i].data);
    s->n_out = 0;
    s->pending_get = 0;
}

static void emit(struct fsrv *s, int type, bool binary, const void *p, size_t n)
{
    if (s->closed)
        return;
    if (s->upgraded && s->ws_chan) {
        struct cdc_opts o = copts(s);
        struct cdc_buf b;
        cdc_buf_init(&b, SIZE_MAX, NULL);
        struct eio_packet pk = {.type = (enum eio_type)type, .binary = binary, .data = {p, n}};
        eio_packet_encode(&o, &pk, EIO_FRAMING_WS, &b);
        fake_ws_msg(s->f, s->ws_chan, binary, b.p, b.len, lat(s));
        cdc_buf_free(&b);
        return;
    }
    if (s->n_out == 256)
        return;
    struct fpkt *q = &s->out[s->n_out++];
    q->type = type;
    q->binary = binary;
    q->len = n;
    q->data = malloc(n + 1);
    if (n)
        memcpy(q->data, p, n);
    flush_get(s);
}

void fsrv_send(struct fsrv *s, int type, const char *data)
{
    emit(s, type, false, data, strlen(data));
}

void fsrv_send_bin(struct fsrv *s, const uint8_t *p, size_t n)
{
    emit(s, EIO_MESSAGE, true, p, n);
}

static void kill_session(struct fsrv *s, const char *last_get)
{
    if (s->pending_get)
        fake_http(s->f, s->pending_get, 200, NULL, last_get, strlen(last_get), lat(s));
    s->pending_get = 0;
    if (s->ws_chan)
        fake_ws_closed(s->f, s->ws_chan, 1005, lat(s));
    s->closed = true;
}

/* ---- heartbeat ---- */

struct ping_arg {
    struct fsrv *s;
    unsigned gen;
};

static struct ping_arg *parg(struct fsrv *s)
{
    static struct ping_arg pool[4096];
    static unsigned next;
    struct ping_arg *a = &pool[next++ % 4096];
    a->s = s;
    a->gen = s->ping_gen;
    return a;
}

static void ping_timeout(struct fake_tp *f, void *arg)
{
    (void)f;
    struct ping_arg *a = arg;
    if (a->gen == a->s->ping_gen && a->s->awaiting_pong && !a->s->closed)
        kill_session(a->s, "1");
}

static void ping_due(struct fake_tp *f, void *arg)
{
    struct ping_arg *a = arg;
    struct fsrv *s = a->s;
    if (a->gen != s->ping_gen || s->closed)
        return;
    s->awaiting_pong = true;
    fsrv_send(s, EIO_PING, "");
    fake_timer(f, ms(s->o.ping_timeout), ping_timeout, parg(s));
}

static void v3_check(struct fake_tp *f, void *arg)
{
    struct fsrv *s = ((struct ping_arg *)arg)->s;
    if (s->closed)
        return;
    uint64_t limit = ms(s->o.ping_interval) + ms(s->o.ping_timeout);
    if (f->clk->now - s->last_client_ping > limit) {
        kill_session(s, "1");
        return;
    }
    fake_timer(f, ms(s->o.ping_interval) / 2, v3_check, parg(s));
}

static void arm_heartbeat(struct fsrv *s)
{
    s->ping_gen++;
    s->awaiting_pong = false;
    if (s->o.eio == 3) {
        s->last_client_ping = s->f->clk->now;
        fake_timer(s->f, ms(s->o.ping_interval) / 2, v3_check, parg(s));
    } else if (!s->o.no_pings) {
        fake_timer(s->f, ms(s->o.ping_interval), ping_due, parg(s));
    }
}

/* ---- Socket.IO ---- */

static void sio_emit(struct fsrv *s, const char *text)
{
    fsrv_send(s, EIO_MESSAGE, text);
}

/* Splits "<t>[/nsp,][id]json" after the type digit. */
static const char *sio_split(const char *p, char *nsp, size_t cap, char *id, size_t idcap)
{
    nsp[0] = 0;
    id[0] = 0;
    if (*p == '/') {
        size_t n = strcspn(p, ",");
        snprintf(nsp, cap, "%.*s,", (int)n, p);
        p += n + (p[n] == ',');
    }
    size_t d = strspn(p, "0123456789");
    snprintf(id, idcap, "%.*s", (int)d, p);
    return p + d;
}

static void sio_connect(struct fsrv *s, const char *nsp_in)
{
    char out[256], nsp[128];
    /* v4: "/nsp?query," - the answer names the namespace without the query */
    size_t n = strcspn(nsp_in, "?,");
    snprintf(nsp, sizeof(nsp), "%.*s%s", (int)n, nsp_in, nsp_in[0] ? "," : "");
    if (strncmp(nsp, "/nope", 5) == 0)
        snprintf(out, sizeof(out), "4%s{\"message\":\"Invalid namespace\"}", nsp);
    else if (s->o.sio == 4)
        snprintf(out, sizeof(out), "0%s", nsp);
    else
        snprintf(out, sizeof(out), "0%s{\"sid\":\"SIO%u\"}", nsp, s->posts + s->gets);
    sio_emit(s, out);
}

static void sio_event(struct fsrv *s, const char *nsp, const char *id, const char *json)
{
    char out[600];
    static const char msg[] = "[\"message\"", ack[] = "[\"message-with-ack\"";
    if (strncmp(json, msg, sizeof(msg) - 1) == 0) {
        snprintf(out, sizeof(out), "2%s[\"message-back\"%s", nsp, json + sizeof(msg) - 1);
        sio_emit(s, out);
    } else if (id[0] && strncmp(json, ack, sizeof(ack) - 1) == 0) {
        const char *rest = json + sizeof(ack) - 1;
        snprintf(out, sizeof(out), "3%s%s[%s", nsp, id, *rest == ',' ? rest + 1 : rest);
        sio_emit(s, out);
    }
}

static void sio_binary_done(struct fsrv *s)
{
    char nsp[128], id[32], out[600];
    const char *p = strchr(s->bin_head, '-') + 1;
    const char *json = sio_split(p, nsp, sizeof(nsp), id, sizeof(id));
    static const char msg[] = "[\"message\"";
    if (strncmp(json, msg, sizeof(msg) - 1) == 0) {
        snprintf(out, sizeof(out), "5%u-%s[\"message-back\"%s", s->n_bin, nsp,
                 json + sizeof(msg) - 1);
        sio_emit(s, out);
        for (unsigned i = 0; i < s->n_bin; i++)
            fsrv_send_bin(s, s->bin[i].data, s->bin[i].len);
    }
    for (unsigned i = 0; i < s->n_bin; i++)
        free(s->bin[i].data);
    s->n_bin = 0;
    s->bin_need = 0;
}

static void sio_rx(struct fsrv *s, const struct eio_packet *p)
{
    if (p->binary) {
        if (s->bin_need && s->n_bin < 8) {
            struct fpkt *b = &s->bin[s->n_bin++];
            b->data = malloc(p->data.len + 1);
            memcpy(b->data, p->data.p, p->data.len);
            b->len = p->data.len;
            if (s->n_bin == s->bin_need)
                sio_binary_done(s);
        }
        return;
    }
    char text[512], nsp[128], id[32];
    snprintf(text, sizeof(text), "%.*s", (int)p->data.len, (const char *)p->data.p);
    if (text[0] == '5') {
        snprintf(s->bin_head, sizeof(s->bin_head), "%s", text);
        s->bin_need = (unsigned)atoi(text + 1);
        return;
    }
    const char *json = sio_split(text + 1, nsp, sizeof(nsp), id, sizeof(id));
    if (text[0] == '0')
        sio_connect(s, nsp);
    else if (text[0] == '2')
        sio_event(s, nsp, id, json);
}

/* ---- client packets ---- */

static void rx_packet(struct fsrv *s, const struct eio_packet *p, char tp)
{
    record(s, p, tp);
    switch (p->type) {
    case EIO_PING:
        if (s->o.eio == 3) {
            s->last_client_ping = s->f->clk->now;
            emit(s, EIO_PONG, false, p->data.p, p->data.len);
        }
        break;
    case EIO_PONG:
        if (s->o.eio == 4 && s->awaiting_pong) {
            s->ping_gen++;
            s->awaiting_pong = false;
            fake_timer(s->f, ms(s->o.ping_interval), ping_due, parg(s));
        }
        break;
    case EIO_MESSAGE:
        if (s->o.sio)
            sio_rx(s, p);
        else if (s->o.echo)
            emit(s, EIO_MESSAGE, p->binary, p->data.p, p->data.len);
        break;
    case EIO_CLOSE:
        kill_session(s, "6");
        break;
    default:
        break;
    }
}

/* ---- handshakes ---- */

static void open_json(struct fsrv *s, bool ws, char *out, size_t cap)
{
    snprintf(out, cap,
             "{\"sid\":\"%s\",\"upgrades\":[%s],\"pingInterval\":%u,\"pingTimeout\":%u%s}", s->sid,
             ws ? "" : "\"websocket\"", s->o.ping_interval, s->o.ping_timeout,
             s->o.eio == 4 ? ",\"maxPayload\":1000000" : "");
}

/* A new handshake starts a new session on the same fake server. */
static void fresh(struct fsrv *s)
{
    fsrv_free(s);
    s->closed = s->upgraded = s->awaiting_pong = false;
    s->pending_get = s->ws_chan = s->probe_chan = 0;
    s->bin_need = 0;
}

static void polling_handshake(struct fsrv *s, struct fake_chan *c)
{
    if (s->o.handshake_status) {
        const char *b = s->o.handshake_body ? s->o.handshake_body : "";
        fake_http(s->f, c->id, s->o.handshake_status, NULL, b, strlen(b), lat(s));
        return;
    }
    char json[256];
    fresh(s);
    s->open = true;
    snprintf(s->sid, sizeof(s->sid), "FAKESID%u", s->gets + s->ws_opens + 1);
    open_json(s, false, json, sizeof(json));
    emit(s, EIO_OPEN, false, json, strlen(json));
    if (s->o.sio == 4)
        sio_emit(s, "0"); /* v4: the server joins "/" by itself */
    if (s->o.early)
        fsrv_send(s, EIO_MESSAGE, s->o.early);
    s->pending_get = c->id; /* everything queued so far answers the handshake */
    flush_get(s);
    arm_heartbeat(s);
}

static bool sid_ok(const struct fsrv *s, const char *target)
{
    const char *p = strstr(target, "sid=");
    size_t n = strlen(s->sid);
    return p && !s->closed && strncmp(p + 4, s->sid, n) == 0 && (p[4 + n] == 0 || p[4 + n] == '&');
}

static void rx_post(struct fsrv *s, struct fake_chan *c)
{
    s->posts++;
    fake_http(s->f, c->id, 200, NULL, "ok", 2, lat(s));
    struct cdc_opts o = copts(s);
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SIZE_MAX, NULL);
    struct eio_payload_iter it;
    struct eio_packet p;
    eio_payload_iter_init(&it, &o, c->body, c->body_len, EIO_PAYLOAD_TEXT);
    while (eio_payload_next(&it, &scratch, &p, NULL) == 1)
        rx_packet(s, &p, 'p');
    cdc_buf_free(&scratch);
}

static void on_http(struct fake_tp *f, struct fake_chan *c, void *ud)
{
    struct fsrv *s = ud;
    s->f = f;
    static const char unknown[] = "{\"code\":1,\"message\":\"Session ID unknown\"}";
    char aux[600];
    if (c->raw || !strstr(c->target, "transport=polling")) {
        int n = snprintf(aux, sizeof(aux), "aux %s %s", c->method, c->target);
        fake_http(f, c->id, 200, NULL, aux, (size_t)n, lat(s));
    } else if (!strstr(c->target, "sid=")) {
        polling_handshake(s, c);
    } else if (!sid_ok(s, c->target)) {
        fake_http(f, c->id, 400, NULL, unknown, sizeof(unknown) - 1, lat(s));
    } else if (s->upgraded) {
        fake_http(f, c->id, 400, NULL, "{\"code\":3,\"message\":\"Bad request\"}", 35, lat(s));
    } else if (strcmp(c->method, "POST") == 0) {
        rx_post(s, c);
    } else if (s->pending_get) {
        fake_http(f, c->id, 400, NULL, "", 0, lat(s));
    } else {
        s->gets++;
        s->pending_get = c->id;
        flush_get(s);
    }
}

static void release_get(struct fake_tp *f, void *arg)
{
    struct fsrv *s = ((struct ping_arg *)arg)->s;
    if (s->pending_get && !s->upgraded) {
        fake_http(f, s->pending_get, 200, NULL, "6", 1, 0);
        s->pending_get = 0;
    }
}

static void ws_first(struct fsrv *s, struct fake_chan *c)
{
    fake_ws_open(s->f, c->id, lat(s));
    if (s->o.ws_no_open)
        return;
    char json[256];
    fresh(s);
    s->open = true;
    snprintf(s->sid, sizeof(s->sid), "FAKESID%u", s->gets + s->ws_opens);
    s->ws_chan = c->id;
    s->upgraded = true;
    open_json(s, true, json, sizeof(json));
    emit(s, EIO_OPEN, false, json, strlen(json));
    if (s->o.sio == 4)
        sio_emit(s, "0");
    if (s->o.early)
        fsrv_send(s, EIO_MESSAGE, s->o.early);
    arm_heartbeat(s);
}

static void on_ws_open(struct fake_tp *f, struct fake_chan *c, void *ud)
{
    struct fsrv *s = ud;
    s->f = f;
    s->ws_opens++;
    if (s->o.refuse_ws || (strstr(c->target, "sid=") && !sid_ok(s, c->target))) {
        fake_error(f, c->id, HX_ERR_REJECTED, 400, "WebSocket upgrade answered HTTP 400", lat(s));
    } else if (strstr(c->target, "sid=")) {
        s->probe_chan = c->id;
        fake_ws_open(f, c->id, lat(s));
    } else {
        ws_first(s, c);
    }
}

static void finish_upgrade(struct fsrv *s)
{
    s->upgraded = true;
    s->ws_chan = s->probe_chan;
    s->probe_chan = 0;
    struct fpkt keep[256];
    size_t n = s->n_out;
    memcpy(keep, s->out, n * sizeof(keep[0]));
    s->n_out = 0;
    for (size_t i = 0; i < n; i++) {
        emit(s, keep[i].type, keep[i].binary, keep[i].data, keep[i].len);
        free(keep[i].data);
    }
}

static void on_probe_msg(struct fsrv *s, const struct eio_packet *p)
{
    record(s, p, 'w');
    if (p->type == EIO_PING && !s->o.ignore_probe) {
        fake_ws_msg(s->f, s->probe_chan, false, "3probe", 6, lat(s));
        fake_timer(s->f, ms(s->o.noop_delay_ms), release_get, parg(s));
    } else if (p->type == EIO_UPGRADE) {
        finish_upgrade(s);
    }
}

static void on_ws_send(struct fake_tp *f, struct fake_chan *c, const struct hx_ws_out *m, void *ud)
{
    struct fsrv *s = ud;
    s->f = f;
    struct cdc_opts o = copts(s);
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SIZE_MAX, NULL);
    struct eio_packet p;
    int rc = m->opcode == HX_WS_BINARY
                 ? eio_packet_decode_binary(&o, m->payload, m->len, &p, NULL)
                 : eio_packet_decode_text(&o, m->payload, m->len, &scratch, &p, NULL);
    if (rc == CDC_OK && c->id == s->probe_chan && !s->upgraded)
        on_probe_msg(s, &p);
    else if (rc == CDC_OK && c->id == s->ws_chan)
        rx_packet(s, &p, 'w');
    cdc_buf_free(&scratch);
}

static void on_close(struct fake_tp *f, struct fake_chan *c, bool abort, void *ud)
{
    struct fsrv *s = ud;
    s->f = f;
    if (c->id == s->ws_chan && !abort)
        fake_ws_closed(f, c->id, c->close_code ? c->close_code : 1005, lat(s));
    if (c->id == s->ws_chan || c->id == s->pending_get) {
        s->closed = true;
        s->pending_get = c->id == s->pending_get ? 0 : s->pending_get;
    }
}

void fsrv_init(struct fsrv *s, struct hx_fake_clock *clk, const struct fsrv_opts *o)
{
    memset(s, 0, sizeof(*s));
    if (o)
        s->o = *o;
    s->o.eio = s->o.eio ? s->o.eio : 4;
    s->o.ping_interval = s->o.ping_interval ? s->o.ping_interval : 300;
    s->o.ping_timeout = s->o.ping_timeout ? s->o.ping_timeout : 200;
    s->o.latency_us = s->o.latency_us ? s->o.latency_us : 1000;
    s->o.noop_delay_ms = s->o.noop_delay_ms ? s->o.noop_delay_ms : 100;
    struct fake_hooks h = {on_http, on_ws_open, on_ws_send, on_close, s};
    fake_env_init(&s->fe, clk, &h);
}

void fsrv_free(struct fsrv *s)
{
    for (size_t i = 0; i < s->n_out; i++)
        free(s->out[i].data);
    for (unsigned i = 0; i < s->n_bin; i++)
        free(s->bin[i].data);
    s->n_out = 0;
    s->n_bin = 0;
}
