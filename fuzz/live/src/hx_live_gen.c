/*
 * hx_live_gen.c - case generation for the live fuzzer: the builder
 * helpers, the catalogue of known-dangerous server inputs (one entry per
 * CVE trigger or required-reaction rule of protocol-notes §2.9 and
 * fuzzing-notes §2.4/§3, each with random variations), and the schedule
 * that picks a generator for case N.
 *
 * Schedule: the first round, cases 0 .. E-1 (E entries), is the whole
 * catalogue in a seed-dependent rotation, each entry in its canonical form
 * (the first option of every choice: the published trigger), so known-
 * dangerous inputs are tried first; after it every 8th case is the next
 * catalogue entry of the rotation (each entry again within 8 x E cases),
 * one case in 32 is a leak probe, and the others are mutations of visible
 * corpus entries (45 % when there are any), grammar sequences (40 %),
 * mutated seed sessions (10 %) and HTTP / WebSocket framing cases (5 %).
 * Each case's random stream is seeded from (seed, N) alone; the corpus
 * entries it may use are those visible at N.
 *
 * Expectations: an entry adds "expect-close" only where the reference
 * server (socket.io 4.8 / engine.io 6.6 / parser 4.2.7) closes the
 * session, so a missing close is a real deviation.
 */
#include "hx_live_gram.h"

#include <stdio.h>
#include <stdlib.h>

uint64_t live_mix(uint64_t seed, uint64_t index)
{
    uint64_t z = seed ^ (index * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void gen_init(struct gen *g, const struct hx_live_gen_opts *o, uint64_t seed,
              struct hx_live_case *c)
{
    hx_rng_seed(&g->r, seed);
    g->o = o;
    g->c = c;
    g->err = CDC_OK;
    g->canonical = false;
}

uint32_t gen_below(struct gen *g, uint32_t n)
{
    return n && !g->canonical ? (uint32_t)((hx_rng_next(&g->r) >> 11) % n) : 0;
}

bool gen_chance(struct gen *g, unsigned pct)
{
    return !g->canonical && gen_below(g, 100) < pct;
}

const char *gen_pick(struct gen *g, const char *const *v, size_t n)
{
    return v[gen_below(g, (uint32_t)n)];
}

void gen_push(struct gen *g, const struct hx_live_action *a)
{
    if (g->err == CDC_OK)
        g->err = hx_live_case_push(g->c, a);
}

struct hx_live_action *gen_last(struct gen *g)
{
    return g->err == CDC_OK && g->c->n ? &g->c->a[g->c->n - 1] : NULL;
}

void gen_open(struct gen *g, bool ws)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_OPEN, .flags = ws ? HX_LIVE_F_WS : 0});
}

void gen_send(struct gen *g, const void *p, size_t n, bool binary)
{
    struct hx_live_action a = {.op = HX_LIVE_SEND,
                               .flags = binary ? HX_LIVE_F_BINARY : 0,
                               .data = {(uint8_t *)(uintptr_t)p, n}};
    gen_push(g, &a);
}

void gen_send_str(struct gen *g, const char *s)
{
    gen_send(g, s, strlen(s), false);
}

void gen_http(struct gen *g, const char *method, const char *target, const char *ctype,
              const void *body, size_t n, unsigned flags)
{
    struct hx_live_action a = {.op = HX_LIVE_HTTP,
                               .flags = flags,
                               .target = {(uint8_t *)(uintptr_t)target, strlen(target)},
                               .ctype = {(uint8_t *)(uintptr_t)ctype, ctype ? strlen(ctype) : 0},
                               .data = {(uint8_t *)(uintptr_t)body, n}};
    snprintf(a.method, sizeof(a.method), "%s", method);
    gen_push(g, &a);
}

void gen_raw(struct gen *g, const void *p, size_t n, uint32_t rst_ms)
{
    gen_push(g, &(struct hx_live_action){
                    .op = HX_LIVE_RAW, .ms = rst_ms, .data = {(uint8_t *)(uintptr_t)p, n}});
}

void gen_wsopen(struct gen *g, const char *target, const void *after, size_t n)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_WSOPEN,
                                         .target = {(uint8_t *)(uintptr_t)target, strlen(target)},
                                         .data = {(uint8_t *)(uintptr_t)after, n}});
}

void gen_wsframe(struct gen *g, uint8_t opcode, const void *p, size_t n, unsigned flags)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_WSFRAME,
                                         .opcode = opcode,
                                         .flags = flags,
                                         .data = {(uint8_t *)(uintptr_t)p, n}});
}

void gen_sleep(struct gen *g, uint32_t ms)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_SLEEP, .ms = ms});
}

void gen_close(struct gen *g, int how)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_CLOSE, .how = how});
}

void gen_expect_close(struct gen *g, uint32_t ms, const char *rule)
{
    gen_push(g, &(struct hx_live_action){.op = HX_LIVE_EXPECT_CLOSE,
                                         .ms = ms,
                                         .target = {(uint8_t *)(uintptr_t)rule, strlen(rule)}});
}

bool gen_session(struct gen *g, bool custom)
{
    bool ws = gen_chance(g, 40);
    gen_open(g, ws);
    bool upgraded = !ws && gen_chance(g, 20);
    if (upgraded)
        gen_push(g, &(struct hx_live_action){.op = HX_LIVE_UPGRADE});
    if (g->o->sio && g->o->eio == 4)
        gen_send_str(g, "40");
    if (g->o->sio && custom)
        gen_send_str(g, "40/custom,");
    return ws || upgraded;
}

/* ---- catalogue entries ---- */

/* Sends an event with |body| ("[...]") on "/" or "/custom", with an
 * optional ack id; the session is opened first. */
static void sio_event(struct gen *g, const char *body, bool allow_ack)
{
    bool custom = gen_chance(g, 25);
    gen_session(g, custom);
    char pkt[256];
    snprintf(pkt, sizeof(pkt), "42%s%s%s", custom ? "/custom," : "",
             allow_ack && gen_chance(g, 30) ? "1" : "", body);
    gen_send_str(g, pkt);
}

static void cat_event_name(struct gen *g)
{
    static const char *const bodies[] = {
        "[{\"toString\":\"foo\"}]",
        "[{\"toString\":\"foo\"},1]",
        "[true,\"foo\"]",
        "[null,\"bar\"]",
        "[[1]]",
        "[\"connect\"]",
        "[\"newListener\"]",
        "[{\"valueOf\":1,\"toString\":2}]",
    };
    sio_event(g, gen_pick(g, bodies, N_OF(bodies)), true);
    gen_expect_close(g, 1000, "sio-invalid-event-name");
}

static void cat_error_event(struct gen *g)
{
    static const char *const bodies[] = {"[\"error\"]", "[\"error\",{}]", "[\"error\",\"boom\",1]"};
    sio_event(g, gen_pick(g, bodies, N_OF(bodies)), true);
    gen_send_str(g, "42[\"message\",\"still alive\"]");
    gen_sleep(g, 30);
}

static void cat_magic_transport(struct gen *g)
{
    static const char *const tps[] = {"__proto__", "constructor", "toString", "hasOwnProperty",
                                      "valueOf",   "abc",         "",         "__defineGetter__"};
    char t[160];
    const char *tp = gen_pick(g, tps, N_OF(tps)); /* one draw per statement: see gen_pick */
    bool sid = gen_chance(g, 20);
    snprintf(t, sizeof(t), "{path}?EIO={eio}&transport=%s%s", tp, sid ? "&sid=x" : "");
    if (gen_chance(g, 20))
        gen_open(g, false);
    gen_wsopen(g, t, NULL, 0);
}

static void cat_upgrade_garbage(struct gen *g)
{
    static const char *const junk[] = {"test", "\xf4\x80\x00\x00\x00\x00",
                                       "\xc1\x80\x00\x00\x00\x00", "\x81\x05hello", "\xff\xff"};
    bool sid = gen_chance(g, 50);
    if (sid)
        gen_open(g, false);
    const char *j = gen_pick(g, junk, N_OF(junk));
    size_t jl = j[0] == '\xf4' || j[0] == '\xc1' ? 6 : strlen(j);
    gen_wsopen(g,
               sid ? "{path}?EIO={eio}&transport=websocket&sid={sid}"
                   : "{path}?EIO={eio}&transport=websocket",
               j, jl);
    gen_sleep(g, 20);
}

static void cat_h2c_rst(struct gen *g)
{
    static const char *const reqs[] = {
        "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
        "GET /other HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        "GET /socket.io.x/ HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
    };
    static const uint32_t delays[] = {1, 30, 200, 600};
    const char *r = gen_pick(g, reqs, N_OF(reqs));
    gen_raw(g, r, strlen(r), delays[gen_below(g, N_OF(delays))]);
}

static void cat_placeholder(struct gen *g)
{
    static const char *const nums[] = {
        "\"splice\"", "\"toString\"", "\"__proto__\"", "-1", "1.5", "1e3", "1", "null", "{}"};
    bool ws = gen_session(g, false);
    char pkt[200];
    int n = snprintf(pkt, sizeof(pkt), "451-[\"message\",{\"_placeholder\":true,\"num\":%s}]",
                     gen_pick(g, nums, N_OF(nums)));
    if (ws) {
        gen_send(g, pkt, (size_t)n, false);
        gen_send(g, "\x01\x02\x03", 3, true);
    } else {
        snprintf(pkt + n, sizeof(pkt) - (size_t)n,
                 "\x1e"
                 "bAQID");
        gen_send_str(g, pkt);
    }
    gen_expect_close(g, 1000, "sio-invalid-placeholder");
}

static void cat_attachments(struct gen *g)
{
    static const char *const hdr[] = {"4511-[\"message\"]", "4599999999-[\"message\"]",
                                      "451e9-[\"message\"]", "4612-0[]"};
    bool ws = gen_session(g, false);
    gen_send_str(g, gen_pick(g, hdr, N_OF(hdr)));
    for (unsigned i = 0, k = gen_below(g, 4); ws && i < k; i++)
        gen_send(g, "\x01\x02", 2, true);
    gen_expect_close(g, 1000, "sio-too-many-attachments");
}

static void cat_zero_attachments(struct gen *g)
{
    bool ws = gen_session(g, false);
    gen_send_str(g, gen_chance(g, 50) ? "450-[\"message\",\"x\"]" : "460-0[]");
    for (unsigned i = 0, k = 1 + gen_below(g, 3); ws && i < k; i++)
        gen_send(g, "\x07\x07", 2, true);
    gen_expect_close(g, 1000, "sio-zero-attachments");
}

static void cat_octet_post(struct gen *g)
{
    static const char *const cts[] = {"application/octet-stream",
                                      "application/octet-stream; charset=binary"};
    gen_open(g, false);
    if (g->o->sio && g->o->eio == 4)
        gen_send_str(g, "40");
    gen_http(g, "POST", "{path}?EIO={eio}&transport=polling&sid={sid}", gen_pick(g, cts, 2),
             "\x04\x01\x02\x03", 4, 0);
    gen_expect_close(g, 1000, "eio-binary-post");
}

static void cat_upgrade_eio(struct gen *g)
{
    static const char *const tg[] = {"{path}?EIO=3&transport=websocket&sid={sid}",
                                     "{path}?transport=websocket&sid={sid}",
                                     "{path}?EIO=5&transport=websocket&sid={sid}"};
    gen_open(g, false);
    gen_wsopen(g, gen_pick(g, tg, N_OF(tg)), NULL, 0);
    gen_wsframe(g, 1, "2probe", 6, 0);
    gen_wsframe(g, 1, "5", 1, 0);
    gen_wsframe(g, 1, "2", 1, 0);
    gen_sleep(g, 60);
}

static void cat_oversize(struct gen *g)
{
    static const uint32_t sizes[] = {999990, 999999, 1000000, 1000001, 1500000};
    gen_session(g, false);
    const char *pre = g->o->sio ? "42[\"message\",\"" : "4";
    const char *post = g->o->sio ? "\"]" : "";
    char pkt[64];
    int n = snprintf(pkt, sizeof(pkt), "%s%s", pre, post);
    gen_send(g, pkt, (size_t)n, false);
    struct hx_live_action *a = gen_last(g);
    if (a) {
        uint32_t total = sizes[gen_below(g, N_OF(sizes))];
        a->pad_n = total > (uint32_t)n ? total - (uint32_t)n : 1;
        a->pad_byte = 'a';
        a->pad_at = (uint32_t)strlen(pre);
    }
    gen_send_str(g, g->o->sio ? "42[\"message\",\"after\"]" : "4after");
    gen_sleep(g, 30);
}

static void cat_long_digits(struct gen *g)
{
    static const char *const forms[] = {"42[\"x\"]", "45-[\"x\"]", "42/,[\"x\"]"};
    static const uint32_t at[] = {2, 1, 3};
    static const uint8_t fill[] = {'1', '1', 'a'};
    gen_session(g, false);
    unsigned k = gen_below(g, N_OF(forms));
    gen_send_str(g, forms[k]);
    struct hx_live_action *a = gen_last(g);
    if (a) {
        a->pad_n = 100000 + gen_below(g, 800000);
        a->pad_byte = fill[k];
        a->pad_at = at[k];
    }
    gen_sleep(g, 30);
}

static void cat_eio_invalid(struct gen *g)
{
    /* The first four are invalid everywhere; an empty message is invalid
     * in v4 only (v3 polling frames it as "0:"), and the separator rules of
     * the last two apply to v4 polling payloads only (over WebSocket, and in
     * v3, "4a\x1e" is one valid message). */
    static const char *const bad[] = {"abc", "7",      "\x1e",        " 4",
                                      "",    "4a\x1e", "4a\036\0364b" /* octal: 4b follows */};
    bool ws = gen_chance(g, 40);
    gen_open(g, ws);
    size_t n = g->o->eio == 3 ? 4 : ws ? 5 : N_OF(bad);
    const char *b = gen_pick(g, bad, n);
    gen_send(g, b, strlen(b), false);
    gen_expect_close(g, 1000, "eio-invalid-packet");
}

static void cat_sio_invalid(struct gen *g)
{
    static const char *const bad[] = {"4abc", "47",   "4",    "4a",  "42{}", "42abc[\"message\"]",
                                      "42[]", "43{}", "41{}", "40[]"};
    gen_session(g, false);
    gen_send_str(g, gen_pick(g, bad, N_OF(bad)));
    gen_expect_close(g, 1000, "sio-invalid-packet");
}

static void cat_duplicate_poll(struct gen *g)
{
    gen_open(g, false);
    gen_sleep(g, 20);
    gen_http(g, "GET", "{path}?EIO={eio}&transport=polling&sid={sid}", NULL, NULL, 0,
             HX_LIVE_F_NOWAIT);
    gen_expect_close(g, 1000, "eio-duplicate-poll");
}

static void cat_ping_direction(struct gen *g)
{
    /* Heartbeats the wrong way (v4: a client ping; v3: a client pong). The
     * reference closes the session, but no spec or official test requires
     * it, so only the process oracles judge this one. */
    gen_open(g, gen_chance(g, 50));
    if (g->o->eio == 3)
        gen_send_str(g, "3");
    else
        gen_send_str(g, gen_chance(g, 50) ? "2" : "2probe");
    gen_send_str(g, g->o->sio ? "42[\"message\",\"after\"]" : "4after");
    gen_sleep(g, 30);
}

static void cat_sio_state(struct gen *g)
{
    static const char *const rules[] = {"sio-duplicate-connect", "sio-client-connect-error",
                                        "sio-unjoined-namespace", "sio-event-before-connect"};
    unsigned k = gen_below(g, N_OF(rules));
    if (k == 3) {
        gen_open(g, gen_chance(g, 40));
        gen_send_str(g, gen_chance(g, 50) ? "42[\"message\"]" : "41");
    } else {
        gen_session(g, false);
        if (k == 0) /* "already joined": let the first CONNECT be answered */
            gen_sleep(g, 30);
        gen_send_str(g, k == 0   ? "40"
                        : k == 1 ? "44{\"message\":\"x\"}"
                                 : "42/custom,[\"message\"]");
    }
    gen_expect_close(g, 1000, rules[k]);
}

static void cat_magic_sid(struct gen *g)
{
    static const char *const sids[] = {"__proto__", "constructor", "toString", "hasOwnProperty",
                                       "",          "{sid}x",      "%00",      "{sid}&sid=x"};
    char t[160];
    bool ws = gen_chance(g, 30);
    if (gen_chance(g, 50))
        gen_open(g, false);
    snprintf(t, sizeof(t), "{path}?EIO={eio}&transport=%s&sid=%s", ws ? "websocket" : "polling",
             gen_pick(g, sids, N_OF(sids)));
    if (ws)
        gen_wsopen(g, t, NULL, 0);
    else
        gen_http(g, gen_chance(g, 50) ? "GET" : "POST", t, "text/plain", "40", 2, 0);
}

static void cat_magic_query(struct gen *g)
{
    static const char *const qs[] = {
        "{path}?EIO=3&transport=polling",
        "{path}?EIO=5&transport=polling",
        "{path}?EIO=abc&transport=polling",
        "{path}?EIO=4&EIO=3&transport=polling",
        "{path}?EIO=4&transport=polling&j=0",
        "{path}?EIO=4&transport=polling&b64=1",
        "{path}?EIO=4&transport=webtransport",
        "{path}?EIO=4",
        "{path}",
        "{path}?EIO=4&transport=polling&transport=x",
        "{path}default/?EIO=4&transport=polling",
        "{path}?EIO=%34&transport=polling",
    };
    static const char *const methods[] = {"GET", "POST", "PUT", "OPTIONS", "DELETE", "HEAD"};
    const char *m = gen_pick(g, methods, N_OF(methods));
    gen_http(g, m, gen_pick(g, qs, N_OF(qs)), NULL, NULL, 0, 0);
}

static void cat_ws_frames(struct gen *g)
{
    gen_wsopen(g, "{path}?EIO={eio}&transport=websocket", NULL, 0);
    if (g->o->sio)
        gen_wsframe(g, 1, "40", 2, 0);
    struct hx_live_action *a;
    uint8_t op;
    switch (gen_below(g, 6)) {
    case 0: /* RSV bits without an extension */
        gen_wsframe(g, 1, "4x", 2, 0);
        if ((a = gen_last(g)) != NULL)
            a->rsv = (uint8_t)(1 + gen_below(g, 7));
        break;
    case 1: /* reserved opcodes */
        op = (uint8_t)(3 + gen_below(g, 5));
        gen_wsframe(g, (uint8_t)(op + 8 * gen_below(g, 2)), "4x", 2, 0);
        break;
    case 2:
        gen_wsframe(g, 1, "4x", 2, HX_LIVE_F_UNMASKED);
        break;
    case 3: /* invalid UTF-8 in a text frame */
        gen_wsframe(g, 1, "4\xc3\x28\xed\xa0\x80", 6, 0);
        break;
    case 4: /* a close frame with an odd code */
        gen_wsframe(g, 8, "", 0, 0);
        if ((a = gen_last(g)) != NULL)
            a->close_code = (uint16_t)(gen_chance(g, 50) ? 999 : 1005 + gen_below(g, 4000));
        break;
    default: /* a length header that lies */
        gen_wsframe(g, 2, "\x01\x02", 2, HX_LIVE_F_DECLEN);
        if ((a = gen_last(g)) != NULL)
            a->declen = gen_chance(g, 50) ? (1ull << 62) : 1000001;
        break;
    }
    gen_sleep(g, 30);
}

static void cat_ws_fragments(struct gen *g)
{
    gen_wsopen(g, "{path}?EIO={eio}&transport=websocket", NULL, 0);
    gen_wsframe(g, 1, "4", 1, HX_LIVE_F_NOFIN);
    gen_wsframe(g, 0, "a", 1, HX_LIVE_F_NOFIN);
    struct hx_live_action *a = gen_last(g);
    if (a)
        a->repeat = 100 + gen_below(g, 3000);
    if (gen_chance(g, 50))
        gen_wsframe(g, 9, "p", 1, 0);
    gen_wsframe(g, 0, "b", 1, 0);
    gen_sleep(g, 30);
}

static void cat_many_headers(struct gen *g)
{
    static const char req[] =
        "GET {path}?EIO={eio}&transport=websocket HTTP/1.1\r\nHost: {host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n";
    static const char poll[] = "GET {path}?EIO={eio}&transport=polling HTTP/1.1\r\n"
                               "Host: {host}\r\n\r\n";
    bool ws = !gen_chance(g, 30);
    gen_raw(g, ws ? req : poll, ws ? sizeof(req) - 1 : sizeof(poll) - 1, 0);
    struct hx_live_action *a = gen_last(g);
    if (a)
        a->gen_headers = 1990 + gen_below(g, 30);
}

static void cat_close_variants(struct gen *g)
{
    gen_session(g, false);
    gen_close(g, (int)gen_below(g, 3));
    gen_send_str(g, g->o->sio ? "42[\"message\",\"late\"]" : "4late");
    gen_sleep(g, 20);
}

struct cat_entry {
    const char *name;
    bool needs_sio;
    void (*build)(struct gen *g);
};

static const struct cat_entry catalogue[] = {
    {"cve-2023-32695", true, cat_event_name},
    {"cve-2024-38355", true, cat_error_event},
    {"cve-2023-31125", false, cat_magic_transport},
    {"cve-2022-21676", false, cat_upgrade_garbage},
    {"cve-2022-41940", false, cat_h2c_rst},
    {"cve-2022-2421", true, cat_placeholder},
    {"cve-2026-33151", true, cat_attachments},
    {"cve-2026-69185", true, cat_zero_attachments},
    {"cve-2026-59725", false, cat_octet_post},
    {"cve-2026-102599", false, cat_upgrade_eio},
    {"cve-2020-36048", false, cat_oversize},
    {"cve-2020-36049", true, cat_long_digits},
    {"eio-invalid-packet", false, cat_eio_invalid},
    {"sio-invalid-packet", true, cat_sio_invalid},
    {"eio-duplicate-poll", false, cat_duplicate_poll},
    {"eio-heartbeat-direction", false, cat_ping_direction},
    {"sio-session-state", true, cat_sio_state},
    {"magic-sid", false, cat_magic_sid},
    {"magic-query", false, cat_magic_query},
    {"ws-frames", false, cat_ws_frames},
    {"ws-fragments", false, cat_ws_fragments},
    {"many-headers", false, cat_many_headers},
    {"close-variants", false, cat_close_variants},
};

size_t hx_live_catalogue_count(void)
{
    return N_OF(catalogue);
}

const char *hx_live_catalogue_name(size_t i)
{
    return i < N_OF(catalogue) ? catalogue[i].name : NULL;
}

static int gen_catalogue(const struct hx_live_gen_opts *o, size_t i, uint64_t seed, bool canonical,
                         struct hx_live_case *out)
{
    if (i >= N_OF(catalogue))
        return CDC_ERR_INVALID_ARG;
    struct gen g;
    gen_init(&g, o, seed, out);
    g.canonical = canonical;
    hx_live_case_reset(out);
    const struct cat_entry *e = &catalogue[i];
    if (e->needs_sio && (!o->sio || o->eio != 4))
        e = &catalogue[12]; /* Engine.IO-level stand-in: eio-invalid-packet */
    e->build(&g);
    snprintf(out->gen, sizeof(out->gen), "catalogue:%s", e->name);
    return g.err;
}

int hx_live_gen_catalogue(const struct hx_live_gen_opts *o, size_t i, uint64_t seed,
                          struct hx_live_case *out)
{
    return gen_catalogue(o, i, seed, false, out);
}

/* The catalogue slot of the |k|-th catalogue case: a rotation of the list
 * by a seed-dependent offset and stride (the stride is coprime with the
 * count, so every entry comes up once per round). */
static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static size_t cat_slot(uint64_t seed, uint64_t k)
{
    size_t n = N_OF(catalogue);
    uint64_t mix = live_mix(seed, 0xca7a);
    size_t stride = 1 + (size_t)(mix % (n - 1));
    while (gcd(stride, n) != 1)
        stride = stride % (n - 1) + 1;
    return (size_t)(((mix >> 20) + k * stride) % n);
}

/* One of the |V| visible corpus entries: 30 % one of the newest 16 that
 * reached new server code, 21 % one of the newest 16, else by weight over
 * all (what just showed new behaviour is where to dig). */
static const struct hx_live_case *pick_entry(struct gen *g, const struct hx_live_corpus *cp,
                                             size_t v)
{
    if (gen_chance(g, 30)) { /* the newest entries that reached new server code */
        size_t idx[16], n = 0;
        for (size_t i = v; i-- > 0 && n < 16;)
            if (cp->e[i].new_cov && cp->e[i].found_at != UINT64_MAX)
                idx[n++] = i;
        if (n)
            return &cp->e[idx[gen_below(g, (uint32_t)n)]].c;
    }
    if (gen_chance(g, 30)) {
        size_t recent = v < 16 ? v : 16;
        return &cp->e[v - 1 - gen_below(g, (uint32_t)recent)].c;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < v; i++)
        total += cp->e[i].weight;
    uint64_t r = hx_rng_next(&g->r) % (total ? total : 1);
    for (size_t i = 0; i < v; i++) {
        if (r < cp->e[i].weight)
            return &cp->e[i].c;
        r -= cp->e[i].weight;
    }
    return &cp->e[v - 1].c;
}

static void gen_from_corpus(struct gen *g, const struct hx_live_corpus *cp, size_t v)
{
    const struct hx_live_case *base = pick_entry(g, cp, v);
    const struct hx_live_case *other = pick_entry(g, cp, v);
    struct hx_live_case *out = g->c;
    if ((g->err = hx_live_case_copy(out, base, NULL, 0)) != CDC_OK)
        return;
    gen_mutate_grammar(g, other);
    snprintf(out->gen, sizeof(out->gen), "corpus");
}

/* Keeps a case short enough to run in about a second: loops are cut
 * until the whole case runs at most MAX_STEPS actions (a slow case holds
 * up the campaign's in-order feedback). */
#define MAX_STEPS 400
#define MAX_WAIT_MS 3000

/* The sleeps and expect-close waits of [from, to), loops unrolled. */
static uint64_t waits_of(const struct hx_live_case *c, size_t from, size_t to)
{
    uint64_t ms = 0;
    for (size_t i = from; i < to;) {
        const struct hx_live_action *a = &c->a[i];
        if (a->op != HX_LIVE_LOOP) {
            ms += a->op == HX_LIVE_SLEEP || a->op == HX_LIVE_EXPECT_CLOSE ? a->ms : 0;
            i++;
            continue;
        }
        size_t end = i + 1 + a->span < to ? i + 1 + a->span : to;
        ms += waits_of(c, i + 1, end) * (a->repeat ? a->repeat : 1);
        i = end;
    }
    return ms;
}

static bool too_long(const struct hx_live_case *c)
{
    return hx_live_case_steps(c) > MAX_STEPS || waits_of(c, 0, c->n) > MAX_WAIT_MS;
}

static void cap_steps(struct hx_live_case *c)
{
    for (unsigned round = 0; round < 16 && too_long(c); round++)
        for (size_t i = 0; i < c->n; i++)
            if (c->a[i].op == HX_LIVE_LOOP && c->a[i].repeat > 4)
                c->a[i].repeat = c->a[i].repeat / 2 > 4 ? c->a[i].repeat / 2 : 4;
}

bool hx_live_is_leak_probe(const struct hx_live_case *c)
{
    return strncmp(c->gen, "leak:", 5) == 0;
}

int hx_live_gen_next(const struct hx_live_gen_opts *o, const struct hx_live_corpus *cp,
                     uint64_t index, struct hx_live_case *out)
{
    uint64_t seed = live_mix(o->seed, index);
    uint64_t n = N_OF(catalogue);
    hx_live_case_reset(out);
    if (index < n || (index - n) % 8 == 0) {
        uint64_t k = index < n ? index : n + (index - n) / 8;
        /* Round one: each entry's canonical form (the first variant of
         * every choice: the published trigger); later rounds: variations. */
        int rc = gen_catalogue(o, cat_slot(o->seed, k), seed, index < n, out);
        out->index = index;
        return rc;
    }
    struct gen g;
    gen_init(&g, o, seed, out);
    size_t v = hx_live_corpus_visible(cp, index);
    unsigned k = gen_below(&g, 100);
    if ((index - n) % 32 == 5 && !o->no_leak_probes) {
        gen_leak_probe(&g);
    } else if (k < 45 && v) {
        gen_from_corpus(&g, cp, v);
    } else if (k < 85) {
        gen_sequence(&g);
        snprintf(out->gen, sizeof(out->gen), "grammar");
    } else if (k < 95) {
        gen_seed_session(&g);
        gen_mutate(&g);
        snprintf(out->gen, sizeof(out->gen), "mutation");
    } else {
        gen_framing(&g);
        snprintf(out->gen, sizeof(out->gen), "framing");
    }
    cap_steps(out);
    out->index = index;
    return g.err;
}

int hx_live_gen_case(const struct hx_live_gen_opts *o, uint64_t index, struct hx_live_case *out)
{
    return hx_live_gen_next(o, NULL, index, out);
}
