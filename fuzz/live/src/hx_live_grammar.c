/*
 * hx_live_grammar.c - the grammar of what a client can put on the wire,
 * field by field, for the live fuzzer's generator (socket.io-protocol v5
 * §Packet encoding, protocol-notes §2.3-2.5; engine.io-protocol v4
 * §Packet encoding and §Payload):
 *
 *  - JSON values of every type: numbers at their edges, strings from empty
 *    to near maxPayload (long ones as a pad, so a reproducer stays small),
 *    prototype and placeholder keys, arrays and objects nested up to a
 *    depth budget, binary placeholders at any position;
 *  - Socket.IO packets: every type, attachment counts (true and false),
 *    namespaces of the contract and invented ones, ack ids at their edges,
 *    event names (the contract's, reserved, prototype names, numbers,
 *    non-strings) and 0..many arguments;
 *  - Engine.IO packets of every type, batched in one polling payload with
 *    binary segments as "b" + base64, or sent as WebSocket messages.
 *
 * Every choice draws from the case's RNG (hx_live_int.h), one draw per
 * statement, so a (seed, index) pair always gives the same bytes.
 */
#include "hx_live_gram.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- small helpers ---- */

static void put(struct gen *g, struct cdc_buf *b, const char *s)
{
    if (g->err == CDC_OK && cdc_buf_append_str(b, s) != CDC_OK)
        g->err = CDC_ERR_NOMEM;
}

static void putn(struct gen *g, struct cdc_buf *b, const void *p, size_t n)
{
    if (g->err == CDC_OK && cdc_buf_append(b, p, n) != CDC_OK)
        g->err = CDC_ERR_NOMEM;
}

static void putc_(struct gen *g, struct cdc_buf *b, char c)
{
    putn(g, b, &c, 1);
}

static void put_u64(struct gen *g, struct cdc_buf *b, uint64_t v)
{
    if (g->err == CDC_OK && cdc_buf_append_u64(b, v) != CDC_OK)
        g->err = CDC_ERR_NOMEM;
}

/* A size drawn from buckets that favour small values but reach |max|. */
uint32_t gram_size(struct gen *g, uint32_t max)
{
    static const uint32_t tops[] = {0, 1, 8, 64, 512, 4096, 65536, 1u << 20};
    unsigned k = gen_below(g, N_OF(tops));
    uint32_t top = tops[k] < max ? tops[k] : max;
    return top ? gen_below(g, top + 1) : 0;
}

/* ---- JSON ---- */

static const char *const magic_keys[] = {
    "__proto__", "constructor", "toString",  "valueOf", "hasOwnProperty", "_placeholder",
    "num",       "length",      "prototype", "then",    "toJSON",         "sid",
    "pid",       "offset",      "token",     "data",    "message",        "",
};

static const char *const numbers[] = {
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "3.14",
    "1e308",
    "-1e308",
    "5e-324",
    "1e21",
    "0.1",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "-2147483649",
    "9007199254740991",
    "9007199254740993",
    "-9007199254740993",
    "123456789012345678901234567890",
    "1E400",
    "1e-7",
};

static const char *const strings[] = {
    "",
    "a",
    "hello",
    "\\u0000",
    "\\ud800",
    "\\udfff\\ud800",
    "\\n\\r",
    "\\\"\\\\",
    "\xc3\xa9\xe2\x82\xac",
    "\xf0\x9f\x98\x80",
    "room1",
    "/custom",
    "42",
    "true",
    "null",
    " ",
    "\\/",
    "%00",
};

static void json_string_body(struct gen *g, struct gram_pkt *p, struct cdc_buf *b)
{
    unsigned k = gen_below(g, 8);
    if (k < 3) {
        put(g, b, gen_pick(g, strings, N_OF(strings)));
    } else if (k < 5) {
        put(g, b, gen_pick(g, magic_keys, N_OF(magic_keys)));
    } else if (k < 7) { /* a random printable string, sometimes long */
        uint32_t n = gram_size(g, 512);
        for (uint32_t i = 0; i < n && g->err == CDC_OK; i++) {
            char c = (char)(' ' + gen_below(g, 95));
            if (c == '"' || c == '\\')
                c = 'x';
            putc_(g, b, c);
        }
    } else if (p && !p->pad_n) { /* a long run: the pad, up to maxPayload */
        p->pad_at = (uint32_t)b->len;
        p->pad_n = gram_size(g, g->o->max_payload ? g->o->max_payload : 1000000);
        if (gen_chance(g, 25))
            p->pad_n = (g->o->max_payload ? g->o->max_payload : 1000000) - gen_below(g, 64);
        p->pad_byte = (uint8_t)('a' + gen_below(g, 26));
    }
}

static void json_value_d(struct gen *g, struct gram_pkt *p, struct cdc_buf *b, unsigned depth);

/* A placeholder for a new binary attachment (socket.io-protocol v5
 * §Binary). */
static void json_placeholder(struct gen *g, struct gram_pkt *p, struct cdc_buf *b)
{
    put(g, b, "{\"_placeholder\":true,\"num\":");
    put_u64(g, b, p->n_att);
    put(g, b, "}");
    /* At least one byte: the harness sends no empty WebSocket message. */
    if (p->n_att < GRAM_MAX_ATT)
        p->att_len[p->n_att] = gen_chance(g, 85) ? 1 + gen_below(g, 16) : 1 + gram_size(g, 65535);
    p->n_att++;
}

static void json_container(struct gen *g, struct gram_pkt *p, struct cdc_buf *b, unsigned depth)
{
    bool obj = gen_chance(g, 45);
    unsigned n = gen_chance(g, 10) ? gram_size(g, 300) : gen_below(g, 6);
    putc_(g, b, obj ? '{' : '[');
    for (unsigned i = 0; i < n && g->err == CDC_OK && b->len < (1u << 16); i++) {
        if (i)
            putc_(g, b, ',');
        if (obj) {
            putc_(g, b, '"');
            if (gen_chance(g, 50))
                put(g, b, gen_pick(g, magic_keys, N_OF(magic_keys)));
            else
                put_u64(g, b, i);
            put(g, b, "\":");
        }
        json_value_d(g, p, b, depth + 1);
    }
    putc_(g, b, obj ? '}' : ']');
}

/* Deep nesting up to |levels|: arrays or objects, one inside the other. */
static void json_deep(struct gen *g, struct gram_pkt *p, struct cdc_buf *b, unsigned levels)
{
    bool obj = gen_chance(g, 40);
    for (unsigned i = 0; i < levels; i++)
        put(g, b, obj ? "{\"a\":" : "[");
    json_value_d(g, p, b, 99);
    for (unsigned i = 0; i < levels; i++)
        putc_(g, b, obj ? '}' : ']');
}

/* What a real client sends: small numbers, short strings, flat objects
 * and arrays, so that sequences of contract events get deep. */
static void json_plain(struct gen *g, struct gram_pkt *p, struct cdc_buf *b, unsigned depth)
{
    static const char *const strs[] = {"\"a\"", "\"hello\"", "\"r1\"", "\"\"", "\"x y\""};
    unsigned k = gen_below(g, depth > 1 ? 5 : 7); /* an argument (depth 1) may be a container */
    if (k == 0)
        put_u64(g, b, gen_below(g, 100));
    else if (k == 1)
        put(g, b, gen_pick(g, strs, N_OF(strs)));
    else if (k == 2)
        put(g, b, gen_chance(g, 50) ? "true" : "null");
    else if (k == 3)
        put(g, b, gen_pick(g, numbers, N_OF(numbers)));
    else if (k == 4) {
        putc_(g, b, '"');
        for (unsigned i = 0, n = 1 + gen_below(g, 8); i < n; i++)
            putc_(g, b, (char)('a' + gen_below(g, 26)));
        putc_(g, b, '"');
    } else if (k == 5) { /* a flat object: mostly a few keys, sometimes many */
        unsigned n = gen_chance(g, 70) ? 1 + gen_below(g, 4) : 1 + gram_size(g, 40);
        putc_(g, b, '{');
        for (unsigned i = 0; i < n && g->err == CDC_OK; i++) {
            put(g, b, i ? ",\"k" : "\"k");
            put_u64(g, b, i);
            put(g, b, "\":");
            json_plain(g, p, b, depth + 1);
        }
        putc_(g, b, '}');
    } else { /* a flat array, the same way */
        unsigned n = gen_chance(g, 70) ? 1 + gen_below(g, 4) : 1 + gram_size(g, 40);
        putc_(g, b, '[');
        for (unsigned i = 0; i < n && g->err == CDC_OK; i++) {
            if (i)
                putc_(g, b, ',');
            json_plain(g, p, b, depth + 1);
        }
        putc_(g, b, ']');
    }
}

static void json_value_d(struct gen *g, struct gram_pkt *p, struct cdc_buf *b, unsigned depth)
{
    if (p && p->plain && depth < 90) {
        json_plain(g, p, b, depth);
        return;
    }
    unsigned k = gen_below(g, depth >= 4 ? 7 : 11);
    switch (k) {
    case 0:
        put(g, b, gen_chance(g, 50) ? "null" : gen_chance(g, 50) ? "true" : "false");
        break;
    case 1:
    case 2:
        put(g, b, gen_pick(g, numbers, N_OF(numbers)));
        break;
    case 3:
        put_u64(g, b, gen_below(g, 1000000));
        break;
    case 4:
    case 5:
        putc_(g, b, '"');
        json_string_body(g, p, b);
        putc_(g, b, '"');
        break;
    case 6:
        if (p && depth < 90 && gen_chance(g, 60))
            json_placeholder(g, p, b);
        else
            put(g, b, "{}");
        break;
    case 7:
    case 8:
    case 9:
        json_container(g, p, b, depth);
        break;
    default:
        json_deep(g, p, b, 8 + gram_size(g, 2000));
        break;
    }
}

void gram_json(struct gen *g, struct gram_pkt *p, struct cdc_buf *b)
{
    json_value_d(g, p, b, 0);
}

/* ---- Socket.IO fields ---- */

const char *const gram_contract_events[] = {
    "message", "message-with-ack", "emit-with-ack", "join",
    "leave",   "broadcast",        "disconnect-me", "close-me",
};
const size_t gram_n_contract_events = N_OF(gram_contract_events);

static const char *const odd_events[] = {
    "error",          "connect",   "disconnect",    "disconnecting",  "newListener",
    "removeListener", "__proto__", "toString",      "constructor",    "",
    "message-back",   "auth",      "connect_error", "hasOwnProperty", "emit-with-ack-result",
};

/* An event name: mostly the contract's, else reserved / prototype names,
 * random strings, numbers or non-strings. */
void gram_event_name(struct gen *g, struct gram_pkt *p, struct cdc_buf *b)
{
    unsigned k = gen_below(g, 20);
    if (k < 13) {
        putc_(g, b, '"');
        put(g, b, gen_pick(g, gram_contract_events, gram_n_contract_events));
        putc_(g, b, '"');
    } else if (k < 16) {
        putc_(g, b, '"');
        put(g, b, gen_pick(g, odd_events, N_OF(odd_events)));
        putc_(g, b, '"');
    } else if (k < 18) {
        putc_(g, b, '"');
        json_string_body(g, p, b);
        putc_(g, b, '"');
    } else {
        json_value_d(g, p, b, 3);
    }
}

const char *const gram_contract_nsps[] = {"/", "/custom", "/forbidden"};
const size_t gram_n_contract_nsps = N_OF(gram_contract_nsps);

static const char *const odd_nsps[] = {
    "/nope", "/custom/",  "/CUSTOM", "/custom?x=1", "/a/b",         "/\xc3\xa9",
    "//",    "/custom#x", "/ ",      "/__proto__",  "/constructor", "/0",
};

const char *gram_nsp(struct gen *g)
{
    unsigned k = gen_below(g, 10);
    if (k < 5)
        return "/";
    if (k < 8)
        return gen_chance(g, 85) ? "/custom" : "/forbidden";
    return gen_pick(g, odd_nsps, N_OF(odd_nsps));
}

static const char *const ack_ids[] = {
    "0",
    "1",
    "7",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "99999999999999999999",
    "123456789012345678901234567890",
    "007",
    " ",
};

void gram_ack_id(struct gen *g, char *out, size_t cap)
{
    if (gen_chance(g, 50))
        snprintf(out, cap, "%u", gen_below(g, 1000));
    else
        snprintf(out, cap, "%s", gen_pick(g, ack_ids, N_OF(ack_ids)));
}

/* Arguments after the event name: 0..many values, binary placeholders at
 * any position. */
static void gram_args(struct gen *g, struct gram_pkt *p, struct cdc_buf *b, const char *ev,
                      bool lead_comma)
{
    unsigned n = p->plain           ? gen_below(g, 4)
                 : gen_chance(g, 8) ? gram_size(g, 200)
                                    : gen_below(g, 5);
    bool room = ev && (!strcmp(ev, "join") || !strcmp(ev, "leave") || !strcmp(ev, "broadcast"));
    for (unsigned i = 0; i < n && g->err == CDC_OK && b->len < (1u << 17); i++) {
        if (i || lead_comma)
            putc_(g, b, ',');
        if (i == 0 && room && gen_chance(g, 70)) { /* a room name, usually a real one */
            static const char *const rooms[] = {"\"r1\"", "\"r2\"", "1", "\"\"", "0"};
            put(g, b, gen_pick(g, rooms, N_OF(rooms)));
        } else if (gen_chance(g, p->plain ? 8 : 15)) {
            json_placeholder(g, p, b);
        } else {
            json_value_d(g, p, b, 1);
        }
    }
}

void gram_pkt_init(struct gram_pkt *p)
{
    memset(p, 0, sizeof(*p));
    cdc_buf_init(&p->json, 64u << 20, NULL);
    p->nsp = "/";
    p->att_hdr = -1;
}

void gram_pkt_free(struct gram_pkt *p)
{
    cdc_buf_free(&p->json);
}

void gram_event(struct gen *g, struct gram_pkt *p, const char *ev, bool ack)
{
    p->type = 2;
    if (ack)
        gram_ack_id(g, p->id, sizeof(p->id));
    putc_(g, &p->json, '[');
    if (ev) {
        putc_(g, &p->json, '"');
        put(g, &p->json, ev);
        putc_(g, &p->json, '"');
    } else {
        gram_event_name(g, p, &p->json);
    }
    gram_args(g, p, &p->json, ev, true);
    putc_(g, &p->json, ']');
}

/* Any Socket.IO packet a client may send, valid or not. */
void gram_any_packet(struct gen *g, struct gram_pkt *p)
{
    unsigned k = gen_below(g, 16);
    p->nsp = gram_nsp(g);
    if (k < 9) {
        gram_event(g, p, NULL, gen_chance(g, 35));
    } else if (k < 11) { /* ACK: answers to server requests, or made-up ids */
        p->type = 3;
        gram_ack_id(g, p->id, sizeof(p->id));
        putc_(g, &p->json, '[');
        gram_args(g, p, &p->json, NULL, false);
        putc_(g, &p->json, ']');
    } else if (k < 13) { /* CONNECT with an auth payload of any type */
        p->type = 0;
        if (gen_chance(g, 60))
            gram_json(g, p, &p->json);
    } else if (k < 14) {
        p->type = 1;
        if (gen_chance(g, 20))
            gram_json(g, p, &p->json);
    } else if (k < 15) {
        p->type = 4;
        gram_json(g, p, &p->json);
    } else { /* a wrong type digit or character */
        static const char types[] = "789a -";
        p->type = 10 + (int)gen_below(g, sizeof(types) - 1);
        p->type_char = types[p->type - 10];
        gram_json(g, p, &p->json);
    }
    if (p->n_att && gen_chance(g, 90))
        p->type = p->type == 3 ? 6 : p->type == 2 ? 5 : p->type;
    if (gen_chance(g, 8)) /* an attachment count that lies */
        p->att_hdr = (int)gen_below(g, 4) - 1 + (int)p->n_att;
}

/* ---- rendering ---- */

/* The text packet "4<type>[<n>-][<nsp>,][<id>]<json>" with its pad. */
void gram_render_text(const struct gram_pkt *p, struct cdc_buf *out, uint32_t *pad_at)
{
    char head[96];
    int n;
    char type = p->type >= 10 ? p->type_char : (char)('0' + p->type);
    n = snprintf(head, sizeof(head), "4%c", type);
    if ((p->type == 5 || p->type == 6 || p->att_hdr >= 0) && p->type < 10) {
        int cnt = p->att_hdr >= 0 ? p->att_hdr : (int)p->n_att;
        n += snprintf(head + n, sizeof(head) - (size_t)n, "%d-", cnt);
    }
    cdc_buf_append(out, head, (size_t)n);
    if (strcmp(p->nsp, "/") != 0) {
        cdc_buf_append_str(out, p->nsp);
        cdc_buf_append_byte(out, ',');
    }
    cdc_buf_append_str(out, p->id);
    *pad_at = (uint32_t)(out->len + p->pad_at);
    cdc_buf_append(out, p->json.p, p->json.len);
}

/* Attachment |i|'s bytes: a recognisable pattern of its length. */
static void att_bytes(const struct gram_pkt *p, unsigned i, struct cdc_buf *out)
{
    uint32_t n = i < GRAM_MAX_ATT ? p->att_len[i] : 1;
    for (uint32_t k = 0; k < n; k++)
        cdc_buf_append_byte(out, (uint8_t)(k * 31u + i));
}

static void set_pad(struct hx_live_action *a, const struct gram_pkt *p, uint32_t at)
{
    if (!a || !p->pad_n)
        return;
    a->pad_n = p->pad_n;
    a->pad_byte = p->pad_byte;
    a->pad_at = at;
}

/* Sends |p|: on WebSocket the header then each attachment as a binary
 * message; on polling one payload with "b" + base64 segments (sometimes
 * the attachments in a second POST). */
void gram_send(struct gen *g, const struct gram_pkt *p, bool ws, unsigned sess)
{
    struct cdc_buf t;
    uint32_t at = 0;
    cdc_buf_init(&t, 64u << 20, NULL);
    gram_render_text(p, &t, &at);
    unsigned n_att = p->n_att < GRAM_MAX_ATT ? p->n_att : GRAM_MAX_ATT;
    bool split = !ws && gen_chance(g, 15);
    for (unsigned i = 0; !ws && !split && i < n_att; i++) {
        struct cdc_buf bin;
        cdc_buf_init(&bin, 64u << 20, NULL);
        att_bytes(p, i, &bin);
        cdc_buf_append_str(&t, "\x1e"
                               "b");
        cdc_b64_encode(bin.p, bin.len, &t);
        cdc_buf_free(&bin);
    }
    gen_send(g, t.p, t.len, false);
    struct hx_live_action *a = gen_last(g);
    set_pad(a, p, at);
    if (a)
        a->sess = (uint8_t)sess;
    for (unsigned i = 0; (ws || split) && i < n_att && g->err == CDC_OK; i++) {
        cdc_buf_reset(&t);
        if (!ws)
            cdc_buf_append_byte(&t, 'b');
        struct cdc_buf bin;
        cdc_buf_init(&bin, 64u << 20, NULL);
        att_bytes(p, i, &bin);
        if (ws)
            cdc_buf_append(&t, bin.p, bin.len);
        else
            cdc_b64_encode(bin.p, bin.len, &t);
        cdc_buf_free(&bin);
        gen_send(g, t.p, t.len, ws);
        if ((a = gen_last(g)) != NULL)
            a->sess = (uint8_t)sess;
    }
    cdc_buf_free(&t);
}

/* ---- Engine.IO ---- */

/* One Engine.IO packet of any type into |b| ("b" + base64 for binary on
 * polling). */
static void eio_packet(struct gen *g, struct cdc_buf *b, bool sio)
{
    static const char *const datas[] = {"", "probe", "hello", "\x1e", "{}", "0", "\xff\xfe"};
    unsigned t = gen_below(g, 9);
    if (t <= 6) {
        putc_(g, b, (char)('0' + t));
        if (t == 4 && sio) {
            struct gram_pkt p;
            gram_pkt_init(&p);
            gram_any_packet(g, &p);
            struct cdc_buf s;
            uint32_t at;
            cdc_buf_init(&s, 1u << 20, NULL);
            gram_render_text(&p, &s, &at);
            putn(g, b, s.p + 1, s.len - 1); /* without the "4" already there */
            cdc_buf_free(&s);
            gram_pkt_free(&p);
        } else if (gen_chance(g, 60)) {
            put(g, b, gen_pick(g, datas, N_OF(datas)));
        }
    } else if (t == 7) {
        put(g, b, gen_chance(g, 70) ? "bAQID" : gen_chance(g, 50) ? "b" : "b!!==");
    } else {
        static const char *const junk[] = {"7", "a", " 4", "44", "-1", "\xc3"};
        put(g, b, gen_pick(g, junk, N_OF(junk)));
    }
}

/* An Engine.IO-level send: one packet, or (on polling) a batch of up to
 * 32 separated by the record separator (engine.io-protocol v4 §Payload). */
void gram_eio_send(struct gen *g, bool ws, unsigned sess)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    unsigned n = ws ? 1 : gen_chance(g, 70) ? 1 + gen_below(g, 4) : 2 + gram_size(g, 30);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            putc_(g, &b, '\x1e');
        eio_packet(g, &b, g->o->sio);
    }
    bool binary = ws && gen_chance(g, 15);
    gen_send(g, b.p, b.len, binary);
    struct hx_live_action *a = gen_last(g);
    if (a) {
        a->sess = (uint8_t)sess;
        if (gen_chance(g, 6)) { /* around maxPayload */
            uint32_t mp = g->o->max_payload ? g->o->max_payload : 1000000;
            a->pad_n = mp - 8 + gen_below(g, 16);
            a->pad_byte = 'x';
            a->pad_at = (uint32_t)b.len;
        }
    }
    cdc_buf_free(&b);
}

/* Several Socket.IO packets in one polling payload (engine.io-protocol v4
 * §Payload): events of the contract and any packets, each with its
 * attachments as "b" + base64 records; on WebSocket one message each. */
void gram_batch(struct gen *g, const char *nsp, bool ws, unsigned sess)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    unsigned n = 2 + gram_size(g, 14);
    for (unsigned i = 0; i < n && g->err == CDC_OK; i++) {
        struct gram_pkt p;
        gram_pkt_init(&p);
        if (gen_chance(g, 70)) {
            p.nsp = nsp;
            gram_event(g, &p, gen_pick(g, gram_contract_events, gram_n_contract_events - 2),
                       gen_chance(g, 30));
            if (p.n_att)
                p.type = 5;
        } else {
            gram_any_packet(g, &p);
        }
        p.pad_n = 0; /* one pad per action: none in a batch */
        if (ws) {
            gram_send(g, &p, true, sess);
        } else {
            uint32_t at;
            if (i)
                cdc_buf_append_byte(&b, 0x1e);
            gram_render_text(&p, &b, &at);
            for (unsigned k = 0; k < p.n_att && k < GRAM_MAX_ATT; k++) {
                struct cdc_buf bin;
                cdc_buf_init(&bin, 64u << 20, NULL);
                att_bytes(&p, k, &bin);
                cdc_buf_append_str(&b, "\x1e"
                                       "b");
                cdc_b64_encode(bin.p, bin.len, &b);
                cdc_buf_free(&bin);
            }
        }
        gram_pkt_free(&p);
    }
    if (!ws) {
        gen_send(g, b.p, b.len, false);
        struct hx_live_action *a = gen_last(g);
        if (a)
            a->sess = (uint8_t)sess;
    }
    cdc_buf_free(&b);
}

/* Packets the Socket.IO decoder of the reference rejects, which closes the
 * connection (protocol-notes §2.5, §2.8 S5, S8, S18, S20, S22-S25):
 * type character, payload, and the expect-close rule. */
static const struct {
    char type;
    const char *payload;
    const char *rule;
} invalid[] = {
    {'a', "bc", "sio-invalid-packet"},
    {'7', "", "sio-invalid-packet"},
    {'2', "{}", "sio-invalid-packet"},
    {'2', "[]", "sio-invalid-packet"},
    {'2', "abc[\"message\"]", "sio-invalid-packet"},
    {'2', "[\"connect\"]", "sio-invalid-event-name"},
    {'2', "[true,\"x\"]", "sio-invalid-event-name"},
    {'2', "[null]", "sio-invalid-event-name"},
    {'2', "[{\"a\":1}]", "sio-invalid-event-name"},
    {'2', "\"x\"", "sio-invalid-packet"},
    {'3', "{}", "sio-invalid-packet"},
    {'1', "{}", "sio-invalid-packet"},
    {'0', "[]", "sio-invalid-packet"},
    {'5', "11-[\"message\"]", "sio-too-many-attachments"},
};

void gram_invalid_expect(struct gen *g, const char *nsp, unsigned sess)
{
    unsigned k = gen_below(g, N_OF(invalid));
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 16, NULL);
    cdc_buf_append_byte(&b, '4');
    cdc_buf_append_byte(&b, (uint8_t)invalid[k].type);
    bool hdr = invalid[k].type == '5'; /* "11-" comes before the namespace */
    if (hdr)
        cdc_buf_append_str(&b, "11-");
    if (strcmp(nsp, "/") != 0 && invalid[k].type != 'a' && invalid[k].type != '7') {
        cdc_buf_append_str(&b, nsp);
        cdc_buf_append_byte(&b, ',');
    }
    cdc_buf_append_str(&b, hdr ? invalid[k].payload + 3 : invalid[k].payload);
    gen_send(g, b.p, b.len, false);
    struct hx_live_action *a = gen_last(g);
    if (a)
        a->sess = (uint8_t)sess;
    gen_expect_close(g, 1000, invalid[k].rule);
    if ((a = gen_last(g)) != NULL)
        a->sess = (uint8_t)sess;
    cdc_buf_free(&b);
}

bool gram_is_invalid(const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < N_OF(invalid); k++) {
        bool hdr = invalid[k].type == '5';
        const char *pl = hdr ? invalid[k].payload + 3 : invalid[k].payload;
        size_t pn = strlen(pl), i = 2;
        if (n < 2 || p[0] != '4' || p[1] != (uint8_t)invalid[k].type)
            continue;
        if (hdr) {
            if (n < 5 || memcmp(p + 2, "11-", 3) != 0)
                continue;
            i = 5;
        }
        if (i < n && p[i] == '/') { /* any namespace, then a comma */
            const uint8_t *comma = memchr(p + i, ',', n - i);
            if (!comma)
                continue;
            i = (size_t)(comma - p) + 1;
        }
        if (n - i == pn && memcmp(p + i, pl, pn) == 0)
            return true;
    }
    return false;
}
