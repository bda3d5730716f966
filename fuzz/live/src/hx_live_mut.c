/*
 * hx_live_mut.c - the mutation side of the live fuzzer's generator:
 * valid seed sessions (handshake, connect, events, acks, binary, rooms,
 * upgrade) and the operators that mutate them, at three levels:
 *
 *  - actions: drop, duplicate, swap, insert sleeps, closes, duplicate
 *    polls, upgrades, or one action of a catalogue entry;
 *  - packets: structure-aware Socket.IO edits (type, attachment count,
 *    namespace, ack id, event name and arguments replaced by magic JSON)
 *    and byte edits (flips, protocol tokens, deletions, duplications);
 *  - framing: HTTP requests with mutated method, query, content type,
 *    chunking and headers; raw requests; raw WebSocket frames with RSV
 *    bits, odd opcodes, missing masks, fragments, lying lengths.
 *
 * Every choice comes from the case's RNG (see hx_live_int.h).
 */
#include "hx_live_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- seed sessions ---- */

static const char *const sio_events[] = {
    "[\"message\",\"hello\"]",
    "[\"message\",1,2,{\"a\":[true,null,1.5]}]",
    "[\"message-with-ack\",\"x\",{\"k\":\"v\"}]",
    "[\"emit-with-ack\",1]",
    "[\"join\",\"room1\"]",
    "[\"broadcast\",\"room1\",\"hi\"]",
    "[\"leave\",\"room1\"]",
    "[\"message\",\"\xe2\x82\xac\xf0\x9f\x98\x80\"]",
    "[\"disconnect-me\"]",
};

static void seed_binary(struct gen *g, bool ws, const char *nsp)
{
    char pkt[160];
    int n =
        snprintf(pkt, sizeof(pkt), "451-%s[\"message\",{\"_placeholder\":true,\"num\":0}]", nsp);
    if (ws) {
        gen_send(g, pkt, (size_t)n, false);
        gen_send(g, "\x01\x02\x03\x04", 4, true);
    } else {
        snprintf(pkt + n, sizeof(pkt) - (size_t)n,
                 "\x1e"
                 "bAQIDBA==");
        gen_send_str(g, pkt);
    }
}

static void seed_sio(struct gen *g, bool ws, bool custom)
{
    const char *nsp = custom ? "/custom," : "";
    for (unsigned i = 0, k = 1 + gen_below(g, 4); i < k; i++) {
        unsigned which = gen_below(g, N_OF(sio_events) + 2);
        char pkt[200];
        if (which == N_OF(sio_events)) {
            seed_binary(g, ws, nsp);
            continue;
        }
        if (which == N_OF(sio_events) + 1) { /* answer the server's first ack request */
            snprintf(pkt, sizeof(pkt), "43%s0[\"ok\"]", nsp);
        } else {
            bool ack = gen_chance(g, 30);
            snprintf(pkt, sizeof(pkt), "42%s%s%s", nsp, ack ? "7" : "", sio_events[which]);
        }
        gen_send_str(g, pkt);
    }
    if (gen_chance(g, 20)) {
        char pkt[40];
        snprintf(pkt, sizeof(pkt), "41%s", nsp);
        gen_send_str(g, pkt);
    }
}

static void seed_eio(struct gen *g)
{
    for (unsigned i = 0, k = 1 + gen_below(g, 4); i < k; i++) {
        switch (gen_below(g, 4)) {
        case 0:
            gen_send_str(g, "4hello");
            break;
        case 1:
            gen_send(g, "\x01\x02\x03", 3, true);
            break;
        case 2:
            gen_send_str(g, "3");
            break;
        default:
            gen_send_str(g, "4\xe2\x82\xac");
            break;
        }
    }
}

void gen_seed_session(struct gen *g)
{
    bool custom = g->o->sio && gen_chance(g, 25);
    bool ws = gen_session(g, custom);
    if (g->o->sio)
        seed_sio(g, ws, custom);
    else
        seed_eio(g);
    if (gen_chance(g, 15))
        gen_sleep(g, 5 + gen_below(g, 60));
}

/* ---- byte-level and packet-level mutation ---- */

static const char *const tokens[] = {
    "40",
    "42",
    "43",
    "451-",
    "4",
    "\x1e",
    "{\"_placeholder\":true,\"num\":",
    "b",
    "/custom,",
    "[",
    "]",
    "{",
    "}",
    "\"",
    ",",
    "-",
    "0",
    "null",
    "1e309",
    "\\u0000",
    "\xff",
    "\x00",
    "\"error\"",
    "__proto__",
    "9999999999999999999999",
    " ",
};

static const char *const magic_json[] = {
    "{\"toString\":\"foo\"}",
    "\"error\"",
    "\"connect\"",
    "\"newListener\"",
    "\"__proto__\"",
    "\"constructor\"",
    "true",
    "null",
    "[1]",
    "{}",
    "1",
    "-1",
    "1e309",
    "\"\"",
    "\"\\ud800\"",
    "{\"__proto__\":{\"x\":1}}",
    "{\"_placeholder\":true,\"num\":0}",
    "{\"_placeholder\":true,\"num\":\"splice\"}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "\"hasOwnProperty\"",
    "0.1",
    "9007199254740993",
};

/* Replaces bytes [at, at+del) of |b| with |n| bytes at |p|. */
static void splice(struct gen *g, struct hx_live_bytes *b, size_t at, size_t del, const void *p,
                   size_t n)
{
    if (at > b->len)
        at = b->len;
    if (del > b->len - at)
        del = b->len - at;
    size_t len = b->len - del + n;
    uint8_t *d = malloc(len ? len : 1);
    if (!d) {
        g->err = CDC_ERR_NOMEM;
        return;
    }
    if (at)
        memcpy(d, b->p, at);
    if (n)
        memcpy(d + at, p, n);
    if (b->len - at - del)
        memcpy(d + at + n, b->p + at + del, b->len - at - del);
    free(b->p);
    b->p = d;
    b->len = len;
}

static void byte_mutation(struct gen *g, struct hx_live_bytes *b)
{
    size_t at = gen_below(g, (uint32_t)b->len + 1);
    uint8_t c;
    switch (gen_below(g, 6)) {
    case 0: /* flip one bit */
        if (b->len)
            b->p[at % b->len] ^= (uint8_t)(1u << gen_below(g, 8));
        break;
    case 1: /* insert a random byte */
        c = (uint8_t)gen_below(g, 256);
        splice(g, b, at, 0, &c, 1);
        break;
    case 2: { /* insert a protocol token */
        const char *t = gen_pick(g, tokens, N_OF(tokens));
        splice(g, b, at, 0, t, t[0] ? strlen(t) : 1);
        break;
    }
    case 3: /* delete a range */
        splice(g, b, at, 1 + gen_below(g, 8), NULL, 0);
        break;
    case 4: { /* duplicate a range */
        size_t n = at < b->len ? 1 + gen_below(g, (uint32_t)(b->len - at)) : 0;
        if (n) {
            uint8_t tmp[64];
            n = n > sizeof(tmp) ? sizeof(tmp) : n;
            memcpy(tmp, b->p + at, n);
            splice(g, b, at, 0, tmp, n);
        }
        break;
    }
    default: /* truncate */
        splice(g, b, at, b->len, NULL, 0);
        break;
    }
}

/* Offsets of the parts of a Socket.IO-over-Engine.IO text packet
 * "4<type>[<n>-][/nsp,][id]<json>". */
struct sio_parts {
    size_t type, after_att, after_nsp, json;
};

static bool sio_split(const struct hx_live_bytes *b, struct sio_parts *sp)
{
    const uint8_t *p = b->p;
    size_t n = b->len, i = 2;
    if (n < 2 || p[0] != '4' || p[1] < '0' || p[1] > '6')
        return false;
    sp->type = 1;
    if (p[1] == '5' || p[1] == '6') {
        while (i < n && p[i] != '-')
            i++;
        i = i < n ? i + 1 : 2;
    }
    sp->after_att = i;
    if (i < n && p[i] == '/') {
        while (i < n && p[i] != ',')
            i++;
        i = i < n ? i + 1 : n;
    }
    sp->after_nsp = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    sp->json = i;
    return true;
}

/* Replaces the event name (first array element) or a later argument. */
static void json_mutation(struct gen *g, struct hx_live_bytes *b, const struct sio_parts *sp)
{
    const char *m = gen_pick(g, magic_json, N_OF(magic_json));
    size_t j = sp->json;
    if (j >= b->len || b->p[j] != '[') {
        splice(g, b, j, b->len, m, strlen(m));
        return;
    }
    size_t end = j + 1; /* end of the first element: next top-level ',' or ']' */
    int depth = 0;
    bool str = false;
    for (; end < b->len; end++) {
        uint8_t c = b->p[end];
        if (str && c == '\\') {
            end++;
        } else if (c == '"') {
            str = !str;
        } else if (!str && (c == '[' || c == '{')) {
            depth++;
        } else if (!str && (c == ']' || c == '}')) {
            if (depth-- == 0)
                break;
        } else if (!str && c == ',' && depth == 0) {
            break;
        }
    }
    if (gen_chance(g, 60)) {
        splice(g, b, j + 1, end - j - 1, m, strlen(m));
    } else {
        char arg[200];
        int n = snprintf(arg, sizeof(arg), ",%s", m);
        size_t close = b->len && b->p[b->len - 1] == ']' ? b->len - 1 : b->len;
        splice(g, b, close, 0, arg, (size_t)n);
    }
}

static void sio_mutation(struct gen *g, struct hx_live_bytes *b, const struct sio_parts *sp)
{
    static const char *const atts[] = {"0-",   "1-",  "11-",  "99999999-",
                                       "1e9-", "-1-", "1.0-", " 1-"};
    static const char *const nsps[] = {"/custom,", "/nope,",         "/forbidden,", "/,",
                                       "/custom",  "/\xe2\x82\xac,", "/a/b/c,",     "/custom?x=1,"};
    static const char *const ids[] = {
        "0", "7", "  ", "007", "9007199254740993", "123456789012345678901234567890", "-1"};
    uint8_t t;
    switch (gen_below(g, 5)) {
    case 0: /* packet type */
        t = (uint8_t)("0123456789a "[gen_below(g, 12)]);
        splice(g, b, sp->type, 1, &t, 1);
        break;
    case 1: { /* attachment count */
        const char *a = gen_pick(g, atts, N_OF(atts));
        splice(g, b, sp->type + 1, sp->after_att - sp->type - 1, a, strlen(a));
        break;
    }
    case 2: { /* namespace */
        const char *n = gen_pick(g, nsps, N_OF(nsps));
        splice(g, b, sp->after_att, sp->after_nsp - sp->after_att, n, strlen(n));
        break;
    }
    case 3: { /* ack id */
        const char *id = gen_pick(g, ids, N_OF(ids));
        splice(g, b, sp->after_nsp, sp->json - sp->after_nsp, id, strlen(id));
        break;
    }
    default:
        json_mutation(g, b, sp);
        break;
    }
}

void gen_mutate_bytes(struct gen *g, struct hx_live_bytes *b, bool sio_aware)
{
    struct sio_parts sp;
    if (sio_aware && gen_chance(g, 70) && sio_split(b, &sp))
        sio_mutation(g, b, &sp);
    else
        byte_mutation(g, b);
}

/* ---- action-level mutation ---- */

static void insert_at(struct gen *g, size_t pos, const struct hx_live_action *a)
{
    struct hx_live_case *c = g->c;
    gen_push(g, a);
    if (g->err != CDC_OK || pos >= c->n - 1)
        return;
    struct hx_live_action tmp = c->a[c->n - 1];
    memmove(&c->a[pos + 1], &c->a[pos], (c->n - 1 - pos) * sizeof(tmp));
    c->a[pos] = tmp;
}

/* One action from a random catalogue entry (its last non-expect one). */
static void insert_catalogue(struct gen *g, size_t pos)
{
    struct hx_live_case tmp;
    hx_live_case_init(&tmp);
    size_t e = gen_below(g, (uint32_t)hx_live_catalogue_count());
    if (hx_live_gen_catalogue(g->o, e, hx_rng_next(&g->r), &tmp) == CDC_OK) {
        for (size_t i = tmp.n; i-- > 0;)
            if (tmp.a[i].op != HX_LIVE_EXPECT_CLOSE && tmp.a[i].op != HX_LIVE_SLEEP) {
                insert_at(g, pos, &tmp.a[i]);
                break;
            }
    }
    hx_live_case_free(&tmp);
}

static void mutate_action_data(struct gen *g, struct hx_live_action *a)
{
    if (a->op == HX_LIVE_SEND && gen_chance(g, 10)) {
        a->flags ^= HX_LIVE_F_BINARY;
    } else if (a->op == HX_LIVE_SEND && gen_chance(g, 5)) {
        a->pad_n = 999990 + gen_below(g, 20);
        a->pad_byte = 'a';
        a->pad_at = (uint32_t)(a->data.len / 2);
    } else if (a->op == HX_LIVE_HTTP && gen_chance(g, 40)) {
        gen_mutate_bytes(g, &a->target, false);
    } else {
        gen_mutate_bytes(g, &a->data, g->o->sio && a->op == HX_LIVE_SEND);
    }
}

/* Drops, duplicates or swaps the action at |pos|. */
static void reorder(struct gen *g, unsigned op, size_t pos)
{
    struct hx_live_case *c = g->c;
    struct hx_live_action tmp;
    if (op == 0 && c->n > 1 && pos < c->n) {
        hx_live_action_free(&c->a[pos]);
        memmove(&c->a[pos], &c->a[pos + 1], (c->n - pos - 1) * sizeof(tmp));
        c->n--;
    } else if (op == 1 && pos < c->n) {
        tmp = c->a[pos];
        insert_at(g, pos, &tmp);
    } else if (op == 2 && pos + 1 < c->n) {
        tmp = c->a[pos];
        c->a[pos] = c->a[pos + 1];
        c->a[pos + 1] = tmp;
    }
}

/* Inserts a new action at |pos|: a sleep, a close, a concurrent request
 * on the session, an upgrade variant, or a catalogue action. */
static void insert_new(struct gen *g, unsigned op, size_t pos)
{
    static const uint32_t ms[] = {0, 5, 10, 20, 50, 120, 350}; /* long: heartbeat timers */
    static const char poll[] = "{path}?EIO={eio}&transport=polling&sid={sid}";
    struct hx_live_action a = {.op = HX_LIVE_SLEEP};
    switch (op) {
    case 3:
        a.ms = ms[gen_below(g, N_OF(ms))];
        break;
    case 4:
        a = (struct hx_live_action){.op = HX_LIVE_CLOSE, .how = (int)gen_below(g, 3)};
        break;
    case 5:
        a = (struct hx_live_action){.op = HX_LIVE_HTTP,
                                    .flags = HX_LIVE_F_NOWAIT,
                                    .target = {(uint8_t *)(uintptr_t)poll, sizeof(poll) - 1}};
        snprintf(a.method, sizeof(a.method), "%s", gen_chance(g, 70) ? "GET" : "POST");
        break;
    case 6:
        a = (struct hx_live_action){.op = HX_LIVE_UPGRADE,
                                    .flags = gen_chance(g, 30)   ? HX_LIVE_F_NOPROBE
                                             : gen_chance(g, 30) ? HX_LIVE_F_NOUPGRADE
                                                                 : HX_LIVE_F_NOPAUSE};
        break;
    default:
        insert_catalogue(g, pos);
        return;
    }
    insert_at(g, pos, &a);
}

static void mutate_once(struct gen *g)
{
    struct hx_live_case *c = g->c;
    size_t pos = gen_below(g, (uint32_t)c->n + 1);
    unsigned op = gen_below(g, 10);
    if (op <= 2) {
        reorder(g, op, pos);
        return;
    }
    if (op <= 7) {
        insert_new(g, op, pos);
        return;
    }
    for (unsigned tries = 0; tries < 8 && c->n; tries++) { /* data of a sending action */
        struct hx_live_action *a = &c->a[gen_below(g, (uint32_t)c->n)];
        if (a->op == HX_LIVE_SEND || a->op == HX_LIVE_HTTP || a->op == HX_LIVE_WSFRAME ||
            a->op == HX_LIVE_RAW) {
            mutate_action_data(g, a);
            return;
        }
    }
}

void gen_mutate(struct gen *g)
{
    for (unsigned i = 0, k = 1 + gen_below(g, 4); i < k && g->err == CDC_OK; i++)
        mutate_once(g);
}

/* ---- framing cases ---- */

static void framing_http(struct gen *g)
{
    static const char *const methods[] = {"GET",   "POST",   "PUT",    "OPTIONS", "HEAD",
                                          "PATCH", "DELETE", "G\x01T", "POST"};
    static const char *const targets[] = {
        "{path}?EIO={eio}&transport=polling",
        "{path}?EIO={eio}&transport=polling&sid={sid}",
        "{path}?EIO={eio}&transport=websocket&sid={sid}",
        "{path}?EIO={eio}&transport=polling&t=burst",
        "{path}?EIO={eio}&transport=polling&sid={sid}&j=1",
    };
    static const char *const cts[] = {NULL,
                                      "text/plain;charset=UTF-8",
                                      "application/octet-stream",
                                      "application/json",
                                      "multipart/form-data; boundary=x",
                                      "text/plain; charset=latin1",
                                      "application/x-www-form-urlencoded"};
    static const char *const bodies[] = {"40",     "42[\"message\",\"x\"]\03642[\"message\",\"y\"]",
                                         "1",      "d=4hello",
                                         "bAQID",  "4a\x1e\x1e",
                                         "2probe", "5"};
    if (gen_chance(g, 70))
        gen_open(g, false);
    if (g->o->sio && gen_chance(g, 50))
        gen_send_str(g, "40");
    for (unsigned i = 0, k = 1 + gen_below(g, 3); i < k; i++) {
        const char *m = gen_pick(g, methods, N_OF(methods));
        const char *b =
            strcmp(m, "POST") == 0 || gen_chance(g, 20) ? gen_pick(g, bodies, N_OF(bodies)) : NULL;
        unsigned f = gen_chance(g, 20) ? HX_LIVE_F_CHUNKED : 0;
        f |= gen_chance(g, 20) ? HX_LIVE_F_NOWAIT : 0;
        const char *t = gen_pick(g, targets, N_OF(targets));
        gen_http(g, m, t, gen_pick(g, cts, N_OF(cts)), b, b ? strlen(b) : 0, f);
        struct hx_live_action *a = gen_last(g);
        if (a && gen_chance(g, 40))
            mutate_action_data(g, a);
        if (a && gen_chance(g, 10))
            a->gen_headers = gen_below(g, 300);
    }
}

static void framing_raw(struct gen *g)
{
    static const char *const reqs[] = {
        "GET {path}?EIO={eio}&transport=polling HTTP/1.1\r\nHost: {host}\r\n\r\n",
        "POST {path}?EIO={eio}&transport=polling&sid={sid} HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Length: 2\r\n\r\n40",
        "POST {path}?EIO={eio}&transport=polling&sid={sid} HTTP/1.1\r\nHost: {host}\r\n"
        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n2\r\n40\r\n0\r\n\r\n",
        "GET {path}?EIO={eio}&transport=polling HTTP/1.0\r\n\r\n",
        "GET {path}?EIO={eio}&transport=polling HTTP/1.1\nHost: {host}\n\n",
        "POST {path}?EIO={eio}&transport=polling&sid={sid} HTTP/1.1\r\nHost: {host}\r\n"
        "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n40",
        "GET {path}?EIO={eio}&transport=websocket HTTP/1.1\r\nHost: {host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n\r\n",
    };
    static const uint32_t rst[] = {0, 0, 0, 1, 20, 100};
    if (gen_chance(g, 60))
        gen_open(g, false);
    const char *r = gen_pick(g, reqs, N_OF(reqs));
    gen_raw(g, r, strlen(r), rst[gen_below(g, N_OF(rst))]);
    struct hx_live_action *a = gen_last(g);
    for (unsigned i = 0, k = gen_below(g, 3); a && i < k; i++)
        byte_mutation(g, &a->data);
}

static void framing_ws(struct gen *g)
{
    static const char *const texts[] = {"40", "42[\"message\",\"x\"]",       "2probe", "5", "3",
                                        "1",  "421[\"message-with-ack\",1]", "4",      ""};
    if (gen_chance(g, 30)) {
        gen_open(g, false);
        gen_wsopen(g, "{path}?EIO={eio}&transport=websocket&sid={sid}", NULL, 0);
    } else {
        gen_wsopen(g, "{path}?EIO={eio}&transport=websocket", NULL, 0);
    }
    for (unsigned i = 0, k = 1 + gen_below(g, 6); i < k; i++) {
        const char *t = gen_pick(g, texts, N_OF(texts));
        gen_wsframe(g, 1, t, strlen(t), 0);
        struct hx_live_action *a = gen_last(g);
        if (!a || gen_chance(g, 40))
            continue;
        switch (gen_below(g, 7)) {
        case 0:
            a->rsv = (uint8_t)(1 + gen_below(g, 7));
            break;
        case 1:
            a->opcode = (uint8_t)gen_below(g, 16);
            break;
        case 2:
            a->flags |= HX_LIVE_F_UNMASKED;
            break;
        case 3:
            a->flags |= HX_LIVE_F_NOFIN;
            break;
        case 4:
            a->flags |= HX_LIVE_F_DECLEN;
            a->declen = gen_below(g, 200);
            break;
        case 5:
            a->opcode = 8;
            a->close_code = (uint16_t)gen_below(g, 5000);
            break;
        default:
            gen_mutate_bytes(g, &a->data, g->o->sio);
            break;
        }
    }
    gen_sleep(g, 20);
}

void gen_framing(struct gen *g)
{
    unsigned k = gen_below(g, 3);
    if (k == 0)
        framing_http(g);
    else if (k == 1)
        framing_raw(g);
    else
        framing_ws(g);
}
