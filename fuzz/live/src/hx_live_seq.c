/*
 * hx_live_seq.c - sequences of actions for the live fuzzer: sessions that
 * do several things in a row (events of the testee contract with mutated
 * arguments, arbitrary packets of the grammar, acks of the server's own
 * requests, joins, leaves and broadcasts, namespace connects and
 * disconnects, an upgrade in the middle, a second concurrent session,
 * Engine.IO-level packets and batches, sleeps), groups of actions
 * repeated to expose growth, leak probes (a body repeated many times
 * under a resource measurement), and the grammar-aware mutation of corpus
 * entries.
 *
 * The generator keeps a small model of each session slot (open, transport,
 * joined namespaces) so that most actions are ones the server accepts and
 * the sequence gets deep; a share of actions deliberately breaks it.
 */
#include "hx_live_gram.h"

#include <stdio.h>
#include <stdlib.h>

struct slot {
    bool open, ws;
    bool joined[3]; /* "/", "/custom", other */
};

struct seq {
    struct slot s[HX_LIVE_NSESS];
    unsigned cur;
};

static unsigned nsp_idx(const char *nsp)
{
    return !strcmp(nsp, "/") ? 0 : !strcmp(nsp, "/custom") ? 1 : 2;
}

static void send_str_on(struct gen *g, const char *s, unsigned sess, bool tmpl)
{
    gen_send_str(g, s);
    struct hx_live_action *a = gen_last(g);
    if (a) {
        a->sess = (uint8_t)sess;
        if (tmpl)
            a->flags |= HX_LIVE_F_TMPL;
    }
}

/* "40<nsp,>[auth]" for one namespace. */
static void connect_nsp(struct gen *g, struct seq *q, unsigned k, const char *nsp)
{
    char head[64];
    snprintf(head, sizeof(head), "40%s%s", strcmp(nsp, "/") ? nsp : "",
             strcmp(nsp, "/") ? "," : "");
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    cdc_buf_append_str(&b, head);
    if (gen_chance(g, 25)) { /* an auth payload, usually an object */
        struct gram_pkt p;
        gram_pkt_init(&p);
        if (gen_chance(g, 70))
            cdc_buf_append_str(&b, "{\"token\":");
        gram_json(g, &p, &b);
        if (b.len >= strlen(head) + 9 && memcmp(b.p + strlen(head), "{\"token\":", 9) == 0)
            cdc_buf_append_byte(&b, '}');
        gram_pkt_free(&p);
    }
    gen_send(g, b.p, b.len, false);
    struct hx_live_action *a = gen_last(g);
    /* The server joins asynchronously: a packet for the namespace that
     * arrives before the CONNECT is answered may be dropped or close the
     * connection. The executor waits for the answer, so sequences get
     * deep and reproducers do not depend on timing; one CONNECT in ten
     * goes on at once ("nowait") and races the join. */
    if (a) {
        a->sess = (uint8_t)k;
        if (gen_chance(g, 10))
            a->flags |= HX_LIVE_F_NOWAIT;
    }
    cdc_buf_free(&b);
    q->s[k].joined[nsp_idx(nsp)] = true;
}

static void open_slot(struct gen *g, struct seq *q, unsigned k)
{
    bool ws = gen_chance(g, 40);
    gen_open(g, ws);
    struct hx_live_action *a = gen_last(g);
    if (a)
        a->sess = (uint8_t)k;
    q->s[k] = (struct slot){.open = true, .ws = ws};
    if (!g->o->sio)
        return;
    if (g->o->eio == 3) {
        q->s[k].joined[0] = true; /* v4 Socket.IO connects "/" by itself */
        return;
    }
    if (gen_chance(g, 92))
        connect_nsp(g, q, k, "/");
    if (gen_chance(g, 35))
        connect_nsp(g, q, k, gen_chance(g, 80) ? "/custom" : gram_nsp(g));
}

/* A namespace this slot joined (mostly), else any. */
static const char *pick_nsp(struct gen *g, const struct seq *q, unsigned k)
{
    const struct slot *s = &q->s[k];
    if (gen_chance(g, 90)) {
        if (s->joined[1] && (!s->joined[0] || gen_chance(g, 50)))
            return "/custom";
        if (s->joined[0])
            return "/";
    }
    return gram_nsp(g);
}

/* One event |ev| on |nsp| from slot |k| (a BINARY_EVENT when the grammar
 * put attachments in it). */
static void send_event(struct gen *g, struct seq *q, unsigned k, const char *nsp, bool plain,
                       const char *ev, bool ack)
{
    struct gram_pkt p;
    gram_pkt_init(&p);
    p.nsp = nsp;
    p.plain = plain;
    gram_event(g, &p, ev, ack);
    if (p.n_att)
        p.type = 5;
    gram_send(g, &p, q->s[k].ws, k);
    gram_pkt_free(&p);
}

static void contract_event(struct gen *g, struct seq *q, unsigned k)
{
    const char *ev = gen_pick(g, gram_contract_events, gram_n_contract_events - 1);
    bool ack = !strcmp(ev, "message-with-ack") ? gen_chance(g, 85) : gen_chance(g, 15);
    if (!strcmp(ev, "disconnect-me") && !gen_chance(g, 30))
        ev = "message";
    const char *nsp = pick_nsp(g, q, k);
    bool plain = gen_chance(g, 60);
    send_event(g, q, k, nsp, plain, ev, ack);
    if (!strcmp(ev, "disconnect-me"))
        q->s[k].joined[nsp_idx(nsp)] = false;
}

static void any_packet(struct gen *g, struct seq *q, unsigned k)
{
    struct gram_pkt p;
    gram_pkt_init(&p);
    gram_any_packet(g, &p);
    if (gen_chance(g, 70))
        p.nsp = pick_nsp(g, q, k);
    gram_send(g, &p, q->s[k].ws, k);
    gram_pkt_free(&p);
}

/* Asks the server for an ack request, then answers it with {ack}. */
static void ack_server(struct gen *g, struct seq *q, unsigned k)
{
    const char *nsp = pick_nsp(g, q, k);
    char pre[48];
    snprintf(pre, sizeof(pre), "%s%s", strcmp(nsp, "/") ? nsp : "", strcmp(nsp, "/") ? "," : "");
    struct gram_pkt p;
    gram_pkt_init(&p);
    p.nsp = nsp;
    p.plain = gen_chance(g, 70);
    gram_event(g, &p, "emit-with-ack", false);
    gram_send(g, &p, q->s[k].ws, k);
    gram_pkt_free(&p);
    gen_sleep(g, 10);
    struct hx_live_action *a = gen_last(g);
    if (a)
        a->sess = (uint8_t)k;
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    cdc_buf_append_str(&b, "43");
    cdc_buf_append_str(&b, pre);
    cdc_buf_append_str(&b, gen_chance(g, 85) ? "{ack}" : "{ack}0");
    cdc_buf_append_byte(&b, '[');
    gram_pkt_init(&p);
    for (unsigned i = 0, n = gen_below(g, 4); i < n; i++) {
        if (i)
            cdc_buf_append_byte(&b, ',');
        gram_json(g, &p, &b);
    }
    gram_pkt_free(&p);
    cdc_buf_append_byte(&b, ']');
    cdc_buf_append_byte(&b, 0);
    send_str_on(g, (const char *)b.p, k, true);
    cdc_buf_free(&b);
}

/* join / leave / broadcast on a room, the way the contract uses them:
 * a short run of them, or a room's whole lifecycle on one socket (join,
 * 1-3 other contract events, leave). */
static void rooms(struct gen *g, struct seq *q, unsigned k)
{
    static const char *const names[] = {"join", "broadcast", "leave", "broadcast", "join"};
    if (gen_chance(g, 40)) {
        const char *nsp = pick_nsp(g, q, k);
        unsigned mid = 1 + gen_below(g, 3);
        for (unsigned i = 0; i < mid + 2; i++) {
            bool plain = gen_chance(g, 80);
            const char *ev = i == 0         ? "join"
                             : i == mid + 1 ? "leave"
                             : gen_chance(g, 30)
                                 ? "broadcast"
                                 : gen_pick(g, gram_contract_events, gram_n_contract_events - 1);
            if (!strcmp(ev, "disconnect-me"))
                ev = "message";
            bool ack = !strcmp(ev, "message-with-ack") || gen_chance(g, 10);
            send_event(g, q, k, nsp, plain, ev, ack);
        }
        return;
    }
    unsigned start = gen_below(g, 3), n = 1 + gen_below(g, 3);
    for (unsigned i = start; i < start + n; i++) {
        const char *nsp = pick_nsp(g, q, k);
        bool plain = gen_chance(g, 75);
        bool ack = gen_chance(g, 10);
        send_event(g, q, k, nsp, plain, names[i % N_OF(names)], ack);
    }
}

/* Leaves or (re)joins a namespace. */
static void nsp_toggle(struct gen *g, struct seq *q, unsigned k)
{
    const char *nsp = gen_chance(g, 70) ? "/custom" : gen_chance(g, 50) ? "/" : gram_nsp(g);
    unsigned i = nsp_idx(nsp);
    if (q->s[k].joined[i] && !gen_chance(g, 15)) {
        char pkt[64];
        snprintf(pkt, sizeof(pkt), "41%s%s", strcmp(nsp, "/") ? nsp : "",
                 strcmp(nsp, "/") ? "," : "");
        send_str_on(g, pkt, k, false);
        q->s[k].joined[i] = false;
    } else {
        connect_nsp(g, q, k, nsp);
    }
}

/* A second session that joins the same room, so broadcasts cross. */
static void second_session(struct gen *g, struct seq *q)
{
    unsigned k = 1 + gen_below(g, HX_LIVE_NSESS - 1);
    open_slot(g, q, k);
    send_str_on(g, "42[\"join\",\"r1\"]", k, false);
    struct gram_pkt p;
    gram_pkt_init(&p);
    p.nsp = pick_nsp(g, q, q->cur);
    gram_event(g, &p, "broadcast", false);
    gram_send(g, &p, q->s[q->cur].ws, q->cur);
    gram_pkt_free(&p);
    if (gen_chance(g, 50))
        q->cur = k;
}

static void one_step(struct gen *g, struct seq *q, bool in_loop);

/* An upgrade, usually complete; sometimes left at the probe (polling goes
 * on with the candidate open), without the probe, or without the pause. */
static void upgrade(struct gen *g, struct seq *q, unsigned k)
{
    static const unsigned flags[] = {0,
                                     0,
                                     0,
                                     0,
                                     0,
                                     0,
                                     HX_LIVE_F_NOUPGRADE,
                                     HX_LIVE_F_NOUPGRADE,
                                     HX_LIVE_F_NOPROBE,
                                     HX_LIVE_F_NOPAUSE};
    unsigned f = flags[gen_below(g, N_OF(flags))];
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_UPGRADE, .flags = f, .sess = (uint8_t)k});
    q->s[k].ws = f != HX_LIVE_F_NOUPGRADE;
}

/* Wraps 1-3 steps in a loop of 2..64 runs (growth, repeated state). */
static void loop_steps(struct gen *g, struct seq *q, uint32_t reps)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_LOOP, .repeat = reps});
    size_t at = g->c->n;
    for (unsigned i = 0, n = 1 + gen_below(g, 3); i < n; i++)
        one_step(g, q, true);
    if (g->err == CDC_OK && at > 0)
        g->c->a[at - 1].span = (uint32_t)(g->c->n - at);
}

static void one_step(struct gen *g, struct seq *q, bool in_loop)
{
    unsigned k = q->cur;
    struct hx_live_action *a;
    if (!g->o->sio) {
        gram_eio_send(g, q->s[k].ws, k);
        return;
    }
    unsigned w = gen_below(g, 100);
    if (w < 34) {
        contract_event(g, q, k);
    } else if (w < 52) {
        any_packet(g, q, k);
    } else if (w < 59) {
        ack_server(g, q, k);
    } else if (w < 68) {
        rooms(g, q, k);
    } else if (w < 75) {
        nsp_toggle(g, q, k);
    } else if (w < 78) {
        gram_eio_send(g, q->s[k].ws, k);
    } else if (w < 81) {
        gram_batch(g, pick_nsp(g, q, k), q->s[k].ws, k);
    } else if (w < 85 && !in_loop && !q->s[k].ws) {
        upgrade(g, q, k);
    } else if (w < 87 && !in_loop) {
        gram_invalid_expect(g, pick_nsp(g, q, k), k);
        q->s[k] = (struct slot){0}; /* closed, as far as the model knows */
        q->s[k].open = true;
    } else if (w < 90) {
        gen_sleep(g, gen_chance(g, 90) || in_loop ? gen_below(g, 60) : 350);
        if ((a = gen_last(g)) != NULL)
            a->sess = (uint8_t)k;
    } else if (w < 93 && !in_loop) {
        second_session(g, q);
    } else if (w < 97 && !in_loop) {
        loop_steps(g, q, 2 + gram_size(g, 14));
    } else if (!in_loop && gen_chance(g, 50)) {
        send_str_on(g, gen_chance(g, 70) ? "42[\"disconnect-me\"]" : "42[\"close-me\"]", k, false);
    } else {
        contract_event(g, q, k);
    }
}

void gen_sequence(struct gen *g)
{
    struct seq q;
    memset(&q, 0, sizeof(q));
    open_slot(g, &q, 0);
    for (unsigned i = 0, n = 1 + gram_size(g, 14); i < n && g->c->n < 200; i++)
        one_step(g, &q, false);
    if (gen_chance(g, 10))
        gen_close(g, (int)gen_below(g, 3));
    else if (gen_chance(g, 30))
        gen_sleep(g, 20);
}

/* ---- leak probes ---- */

/* A binary packet that announces many attachments, then attachments sent
 * one by one in a loop: a server that buffers them without a cap grows
 * for as long as the session lives (CVE-2026-33151). */
static void attachment_flood(struct gen *g, struct seq *q)
{
    static const char *const counts[] = {"99999999", "1000", "100", "11", "10"};
    char head[96];
    snprintf(head, sizeof(head), "45%s-[\"message\",{\"_placeholder\":true,\"num\":0}]",
             gen_pick(g, counts, N_OF(counts)));
    gen_open(g, true);
    q->s[0] = (struct slot){.open = true, .ws = true, .joined = {true}};
    if (g->o->eio == 4) {
        gen_send_str(g, "40"); /* the executor waits for its answer */
    }
    gen_send_str(g, head);
    /* Enough bytes to clear the in-session floors (8 KiB per repeat, 4 MiB
     * in all) when the server keeps them: 64-300 attachments of 16-64 KiB. */
    gen_push(g, &(struct hx_live_action){
                    .op = HX_LIVE_LOOP, .repeat = 64 + gen_below(g, 237), .span = 1});
    gen_send(g, "\x01\x02\x03\x04", 4, true);
    struct hx_live_action *a = gen_last(g);
    if (a) {
        a->pad_n = 16384u << gen_below(g, 3); /* 16 KiB .. 64 KiB */
        a->pad_byte = 0x5a;
        a->pad_at = 4;
    }
    snprintf(g->c->gen, sizeof(g->c->gen), "leak:attachments");
}

void gen_leak_probe(struct gen *g)
{
    struct seq q;
    memset(&q, 0, sizeof(q));
    if (g->o->sio && gen_chance(g, 12)) {
        attachment_flood(g, &q);
    } else if (gen_chance(g, 70)) { /* one session, a body repeated inside it */
        open_slot(g, &q, 0);
        loop_steps(g, &q, 24 + gen_below(g, 137));
        snprintf(g->c->gen, sizeof(g->c->gen), "leak:action");
    } else { /* whole sessions, one after the other */
        gen_push(g, &(struct hx_live_action){.op = HX_LIVE_LOOP, .repeat = 8 + gen_below(g, 25)});
        size_t at = g->c->n;
        open_slot(g, &q, 0);
        for (unsigned i = 0, n = gen_below(g, 3); i < n; i++)
            one_step(g, &q, true);
        gen_close(g, gen_chance(g, 60) ? 2 : 0); /* abort or graceful (enum hx_close_how) */
        if (g->err == CDC_OK && at > 0)
            g->c->a[at - 1].span = (uint32_t)(g->c->n - at);
        snprintf(g->c->gen, sizeof(g->c->gen), "leak:session");
    }
    gen_sleep(g, 30);
}

/* ---- grammar-aware mutation of a corpus entry ---- */

/* Rebuilds the session model by reading the case: which slots are open,
 * on which transport, and which namespaces they joined. */
static void model_of(const struct hx_live_case *c, struct seq *q)
{
    memset(q, 0, sizeof(*q));
    for (size_t i = 0; i < c->n; i++) {
        const struct hx_live_action *a = &c->a[i];
        struct slot *s = &q->s[a->sess < HX_LIVE_NSESS ? a->sess : 0];
        if (a->op == HX_LIVE_OPEN)
            *s = (struct slot){.open = true, .ws = (a->flags & HX_LIVE_F_WS) != 0};
        else if (a->op == HX_LIVE_UPGRADE)
            s->ws = true;
        else if (a->op == HX_LIVE_SEND && a->data.len >= 2 && !memcmp(a->data.p, "40", 2))
            s->joined[a->data.len > 2 && a->data.p[2] == '/'
                          ? (a->data.len >= 10 && !memcmp(a->data.p + 2, "/custom,", 8) ? 1 : 2)
                          : 0] = true;
    }
}

/* The session slot of the case's last action that has one open. */
static unsigned last_slot(const struct hx_live_case *c)
{
    for (size_t i = c->n; i-- > 0;)
        if (c->a[i].op == HX_LIVE_SEND || c->a[i].op == HX_LIVE_OPEN)
            return c->a[i].sess < HX_LIVE_NSESS ? c->a[i].sess : 0;
    return 0;
}

/* Moves the actions appended since |from| to position |pos|. */
static void move_tail(struct gen *g, size_t from, size_t pos)
{
    struct hx_live_case *c = g->c;
    if (g->err != CDC_OK || pos >= from || from >= c->n)
        return;
    size_t k = c->n - from;
    struct hx_live_action *tmp = malloc(k * sizeof(*tmp));
    if (!tmp) {
        g->err = CDC_ERR_NOMEM;
        return;
    }
    memcpy(tmp, &c->a[from], k * sizeof(*tmp));
    memmove(&c->a[pos + k], &c->a[pos], (from - pos) * sizeof(*tmp));
    memcpy(&c->a[pos], tmp, k * sizeof(*tmp));
    free(tmp);
}

/* The first position after the case's opening (open + connects). */
static size_t after_prefix(const struct hx_live_case *c)
{
    size_t i = 0;
    while (i < c->n &&
           (c->a[i].op == HX_LIVE_OPEN || (c->a[i].op == HX_LIVE_SEND && c->a[i].data.len >= 2 &&
                                           !memcmp(c->a[i].data.p, "40", 2))))
        i++;
    return i;
}

/* Replaces the data of a send with a fresh grammar packet. */
static void regen_send(struct gen *g, struct seq *q)
{
    struct hx_live_case *c = g->c;
    for (unsigned tries = 0; tries < 8 && c->n; tries++) {
        size_t i = gen_below(g, (uint32_t)c->n);
        struct hx_live_action *a = &c->a[i];
        if (a->op != HX_LIVE_SEND || (a->flags & HX_LIVE_F_BINARY))
            continue;
        size_t from = c->n;
        q->cur = a->sess < HX_LIVE_NSESS ? a->sess : 0;
        if (gen_chance(g, 60))
            contract_event(g, q, q->cur);
        else
            any_packet(g, q, q->cur);
        if (g->err != CDC_OK || c->n == from)
            return;
        hx_live_action_free(&c->a[i]);
        c->a[i] = c->a[from]; /* the first new action replaces it ... */
        memmove(&c->a[from], &c->a[from + 1], (c->n - from - 1) * sizeof(c->a[0]));
        c->n--;
        move_tail(g, from, i + 1); /* ... its attachments follow it */
        return;
    }
}

static void wrap_loop(struct gen *g)
{
    struct hx_live_case *c = g->c;
    size_t lo = after_prefix(c);
    if (lo >= c->n)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (c->a[i].op == HX_LIVE_LOOP) { /* change the runs of an existing loop */
            c->a[i].repeat = gen_chance(g, 50) ? 2 + gram_size(g, 30) : 1 + c->a[i].repeat / 2;
            return;
        }
    size_t start = lo + gen_below(g, (uint32_t)(c->n - lo));
    uint32_t span = 1 + gen_below(g, (uint32_t)(c->n - start < 4 ? c->n - start : 4));
    size_t from = c->n;
    gen_push(g, &(struct hx_live_action){
                    .op = HX_LIVE_LOOP, .repeat = 2 + gram_size(g, 30), .span = span});
    move_tail(g, from, start);
}

static void splice_other(struct gen *g, const struct hx_live_case *o)
{
    if (!o || !o->n)
        return;
    for (size_t i = after_prefix(o); i < o->n && g->c->n < 200; i++)
        if (o->a[i].op != HX_LIVE_LOOP) /* loops would lose their bodies' bounds */
            gen_push(g, &o->a[i]);
}

/* A mutation may have changed the input an expect-close waits on (a
 * valid packet rightly leaves the session open): keep only those whose
 * trigger, the action before, is still a packet the server must close on. */
static void drop_stale_expects(struct gen *g)
{
    struct hx_live_case *c = g->c;
    size_t w = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct hx_live_action *p = w ? &c->a[w - 1] : NULL;
        bool stale = c->a[i].op == HX_LIVE_EXPECT_CLOSE &&
                     (!p || p->op != HX_LIVE_SEND || (p->flags & HX_LIVE_F_BINARY) || p->pad_n ||
                      !gram_is_invalid(p->data.p, p->data.len));
        if (stale) {
            hx_live_action_free(&c->a[i]);
            continue;
        }
        c->a[w++] = c->a[i];
    }
    c->n = w;
}

void gen_mutate_grammar(struct gen *g, const struct hx_live_case *other)
{
    struct seq q;
    for (unsigned i = 0, n = 1 + gen_below(g, 4); i < n && g->err == CDC_OK; i++) {
        model_of(g->c, &q);
        q.cur = 0;
        unsigned k = gen_below(g, 12);
        if (k >= 10) { /* continue the sequence: contract events at the end */
            q.cur = last_slot(g->c);
            for (unsigned e = 0, ne = 1 + gen_below(g, 3); e < ne; e++)
                contract_event(g, &q, q.cur);
        } else if (k < 3) { /* insert fresh steps at a random place after the prefix */
            size_t lo = after_prefix(g->c), from = g->c->n;
            size_t pos = lo + gen_below(g, (uint32_t)(g->c->n - lo + 1));
            one_step(g, &q, false);
            move_tail(g, from, pos);
        } else if (k < 5) {
            regen_send(g, &q);
        } else if (k < 6) {
            wrap_loop(g);
        } else if (k < 7) {
            splice_other(g, other);
        } else {
            gen_mutate(g); /* action, packet and byte operators of hx_live_mut.c */
        }
    }
    drop_stale_expects(g);
}
