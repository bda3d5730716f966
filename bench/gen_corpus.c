/*
 * gen_corpus.c - deterministic generator of the benchmark corpus.
 *
 * Produces realistic Engine.IO / Socket.IO traffic from a fixed seed
 * (splitmix64), so the same seed and scale always give the same bytes on
 * every machine. The record format is described in bench.h and
 * bench/README.md; every record is the exact wire form of one WebSocket
 * message or one polling body.
 *
 * Every record is canonical: re-encoding what the siospec codec or the
 * reference parsers decode gives the same bytes back. That is why JSON is
 * written exactly as JSON.stringify would write it: no whitespace, only
 * '"', '\\' and control characters escaped, raw UTF-8 otherwise, numbers in
 * their shortest round-trip form (integers, and decimals of at most ten
 * significant digits whose last digit is not 0), no integer-like keys.
 *
 * The generator is independent of the codec under test: it has its own
 * base64 writer and UTF-16 length counter. It uses struct cdc_buf only as a
 * growable byte buffer.
 */
#include "bench.h"
#include "gen_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Records of each kind in the scale-1 corpus (about 35 MB in all). */
static const size_t base_count[BC_COUNT] = {
    [BC_EIO4_POLL] = 5000, [BC_EIO4_WS] = 20000,   [BC_EIO3_POLL] = 5000, [BC_SIO_SMALL] = 20000,
    [BC_SIO_MEDIUM] = 300, [BC_SIO_BINARY] = 1000, [BC_SIO_LARGE] = 8,
};

static const char *const namespaces[] = {"/admin", "/chat", "/game", "/notifications",
                                         "/tenant-42/room"};

static const char *pick_nsp(struct gen *g)
{
    return namespaces[gen_below(g, sizeof namespaces / sizeof namespaces[0])];
}

/* Writes ["nsp" ","] [ackid] after the type (and attachment count). */
static void put_nsp_id(struct gen *g, unsigned nsp_pct, bool with_id)
{
    if (gen_below(g, 100) < nsp_pct) {
        gen_put(g, pick_nsp(g));
        gen_putc(g, ',');
    }
    if (with_id)
        gen_putu(g, 1 + gen_below(g, 5000));
}

/* 42["chat",{...}] and its namespaced / acknowledged variants. */
static void sio_event(struct gen *g)
{
    unsigned k = gen_below(g, 100);
    gen_put(g, "42");
    put_nsp_id(g, k < 30 ? 100 : 0, k >= 30 && k < 45);
    if (k < 60) {
        gen_put(g, "[\"chat\",");
        gen_chat_obj(g, 1 + gen_below(g, 16));
        gen_putc(g, ']');
    } else if (k < 75) {
        gen_put(g, "[\"move\",{\"x\":");
        gen_dec(g);
        gen_put(g, ",\"y\":");
        gen_dec(g);
        gen_put(g, ",\"seq\":");
        gen_putu(g, gen_below(g, 1000000));
        gen_put(g, "}]");
    } else if (k < 85) {
        gen_put(g, "[\"typing\",");
        gen_str(g, 1, 0);
        gen_put(g, gen_below(g, 2) ? ",true]" : ",false]");
    } else if (k < 92) {
        gen_putc(g, '[');
        gen_putu(g, gen_below(g, 100));
        gen_putc(g, ',');
        gen_value(g, 2);
        gen_putc(g, ']');
    } else {
        gen_put(g, "[\"message\",");
        gen_str(g, 2 + gen_below(g, 20), 60);
        gen_putc(g, ']');
    }
}

/* 43<id>[...], the answer to an acknowledged event. */
static void sio_ack(struct gen *g)
{
    gen_put(g, "43");
    put_nsp_id(g, 25, true);
    switch (gen_below(g, 4)) {
    case 0:
        gen_put(g, "[]");
        break;
    case 1:
        gen_put(g, "[true]");
        break;
    case 2:
        gen_put(g, "[{\"ok\":true,\"id\":");
        gen_putu(g, gen_below(g, 1u << 30));
        gen_put(g, "}]");
        break;
    default:
        gen_put(g, "[null,");
        gen_value(g, 2);
        gen_putc(g, ']');
        break;
    }
}

/* CONNECT (client request or server answer), DISCONNECT, CONNECT_ERROR. */
static void sio_control(struct gen *g)
{
    unsigned k = gen_below(g, 100);
    if (k < 60) {
        gen_put(g, "40");
        bool nsp = gen_below(g, 2);
        if (nsp) {
            gen_put(g, pick_nsp(g));
            gen_putc(g, ',');
        }
        unsigned what = gen_below(g, 3);
        if (what == 1)
            gen_put(g, "{\"token\":\"");
        else if (what == 2)
            gen_put(g, "{\"sid\":\"");
        if (what != 0) {
            gen_token(g, 20);
            gen_put(g, "\"}");
        }
    } else if (k < 85) {
        gen_put(g, "41");
        if (gen_below(g, 2)) {
            gen_put(g, pick_nsp(g));
            gen_putc(g, ',');
        }
    } else {
        gen_put(g, "44");
        put_nsp_id(g, 40, false);
        gen_put(g, gen_below(g, 2) ? "{\"message\":\"Not authorized\"}"
                                   : "{\"message\":\"Invalid namespace\",\"data\":{\"code\":403}}");
    }
}

/* One Socket.IO packet under 1 KB, as the data of a WS message ("4" first). */
static void gen_sio_small(struct gen *g)
{
    unsigned k = gen_below(g, 100);
    if (k < 62)
        sio_event(g);
    else if (k < 85)
        sio_ack(g);
    else
        sio_control(g);
}

/* A 1 KB .. 64 KB event: chat history or a room state. */
static void gen_sio_medium(struct gen *g)
{
    size_t target = gen_logsize(g, 1024, 65536);
    gen_put(g, "42");
    put_nsp_id(g, 30, gen_below(g, 4) == 0);
    if (gen_below(g, 2)) {
        gen_put(g, "[\"history\",[");
        for (size_t i = 0; g->b.len < target; i++) {
            if (i)
                gen_putc(g, ',');
            gen_chat_obj(g, 4 + gen_below(g, 24));
        }
        gen_put(g, "]]");
    } else {
        gen_put(g, "[\"state\",{\"room\":");
        gen_str(g, 2, 20);
        gen_put(g, ",\"members\":[");
        for (size_t i = 0; g->b.len < target; i++) {
            if (i)
                gen_putc(g, ',');
            gen_item(g, i);
        }
        gen_put(g, "]}]");
    }
}

/* A 100 KB .. 1 MB JSON event in one of three shapes. */
static void gen_sio_large(struct gen *g, size_t idx)
{
    size_t target = 100000 + gen_below(g, 890000);
    gen_put(g, "42");
    put_nsp_id(g, 30, gen_below(g, 4) == 0);
    switch (idx % 3) {
    case 0: /* object-heavy snapshot */
        gen_put(g, "[\"snapshot\",{\"version\":");
        gen_putu(g, 1 + gen_below(g, 100000));
        gen_put(g, ",\"items\":[");
        for (size_t i = 0; g->b.len < target; i++) {
            if (i)
                gen_putc(g, ',');
            gen_item(g, i);
        }
        gen_put(g, "]}]");
        break;
    case 1: /* number-heavy time series */
        gen_put(g, "[\"series\",{\"metric\":\"cpu.load\",\"points\":[");
        for (size_t i = 0; g->b.len < target; i++) {
            if (i)
                gen_putc(g, ',');
            gen_point(g, i);
        }
        gen_put(g, "]}]");
        break;
    default: /* string-heavy documents */
        gen_put(g, "[\"documents\",[");
        for (size_t i = 0; g->b.len < target; i++) {
            if (i)
                gen_putc(g, ',');
            gen_document(g);
        }
        gen_put(g, "]]");
        break;
    }
}

/* The JSON of a binary event with |n| placeholders numbered in order. */
static void binary_json(struct gen *g, unsigned n)
{
    unsigned shape = gen_below(g, 3);
    if (shape == 0) {
        gen_put(g, "[\"chunks\"");
        for (unsigned i = 0; i < n; i++) {
            gen_putc(g, ',');
            gen_placeholder(g, i);
        }
        gen_putc(g, ']');
        return;
    }
    gen_put(g, shape == 1 ? "[\"upload\",[" : "[\"files\",[");
    for (unsigned i = 0; i < n; i++) {
        gen_put(g, i ? ",{\"name\":" : "{\"name\":");
        gen_str(g, 1 + gen_below(g, 3), 20);
        gen_put(g, ",\"size\":");
        gen_putu(g, gen_below(g, 1u << 20));
        gen_put(g, ",\"data\":");
        gen_placeholder(g, i);
        gen_putc(g, '}');
    }
    gen_put(g, "]]");
}

/* A binary event header and its attachment records. */
static int gen_sio_binary(struct gen *g)
{
    unsigned n = 1 + gen_below(g, 10);
    bool ack = gen_below(g, 10) == 0;
    gen_put(g, ack ? "46" : "45");
    gen_putu(g, n);
    gen_putc(g, '-');
    put_nsp_id(g, 30, ack || gen_below(g, 5) == 0);
    binary_json(g, n);
    if (gen_emit(g, BK_SIO_BINARY) != 0)
        return -1;
    for (unsigned i = 0; i < n; i++) {
        gen_bytes(g, gen_logsize(g, 16, 8192));
        if (gen_emit(g, BK_SIO_ATTACHMENT) != 0)
            return -1;
    }
    return 0;
}

/* One Engine.IO v4 packet (no separator), polling or WebSocket flavour. */
static void eio4_packet(struct gen *g, bool polling)
{
    unsigned k = gen_below(g, 100);
    if (k < 40) {
        gen_putc(g, '4');
        gen_sentence(g, 1 + gen_below(g, 30), 15, false);
    } else if (k < 60) {
        sio_event(g); /* "42[...]": a Socket.IO event inside the message */
    } else if (k < 70) {
        gen_put(g, gen_below(g, 2) ? "2" : "3");
    } else if (k < 75) {
        static const char *const ctl[] = {"2probe", "3probe", "5", "6", "1"};
        gen_put(g, ctl[gen_below(g, 5)]);
    } else if (k < 85 && polling) {
        gen_putc(g, 'b');
        gen_b64_random(g, gen_logsize(g, 8, 1024));
    } else if (k < 95) {
        gen_putc(g, '4');
        gen_chat_obj(g, 4 + gen_below(g, 40));
    } else {
        gen_putc(g, '4');
        gen_sentence(g, 80 + gen_below(g, 500), 10, false);
    }
}

static void gen_eio4_poll(struct gen *g)
{
    unsigned n = 1 + gen_below(g, 8);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            gen_putc(g, 0x1e);
        eio4_packet(g, true);
    }
}

/* One Engine.IO v3 packet into |g->t| (text heavy in non-ASCII). */
static void eio3_packet(struct gen *g)
{
    unsigned k = gen_below(g, 100);
    if (k < 45) {
        gen_putc(g, '4');
        gen_sentence(g, 1 + gen_below(g, 30), 40, false);
    } else if (k < 70) {
        sio_event(g);
    } else if (k < 80) {
        gen_put(g, gen_below(g, 2) ? "2" : "3");
    } else if (k < 90) {
        gen_put(g, "b4");
        gen_b64_random(g, gen_logsize(g, 8, 1024));
    } else {
        gen_put(g, "40");
    }
}

/* "<UTF-16 length>:<packet>" repeated. Each packet is written after the
 * body so far, then moved behind its length prefix. */
static void gen_eio3_poll(struct gen *g)
{
    unsigned n = 1 + gen_below(g, 8);
    for (unsigned i = 0; i < n; i++) {
        size_t start = g->b.len;
        eio3_packet(g);
        gen_prefix_utf16_len(g, start);
    }
}

static int gen_one(struct gen *g, int cls, size_t idx)
{
    switch (cls) {
    case BC_EIO4_POLL:
        gen_eio4_poll(g);
        return gen_emit(g, BK_EIO4_POLL);
    case BC_EIO4_WS:
        eio4_packet(g, false);
        return gen_emit(g, BK_EIO4_WS);
    case BC_EIO3_POLL:
        gen_eio3_poll(g);
        return gen_emit(g, BK_EIO3_POLL);
    case BC_SIO_SMALL:
        gen_sio_small(g);
        return gen_emit(g, BK_SIO_SMALL);
    case BC_SIO_MEDIUM:
        gen_sio_medium(g);
        return gen_emit(g, BK_SIO_MEDIUM);
    case BC_SIO_BINARY:
        return gen_sio_binary(g);
    default:
        gen_sio_large(g, idx);
        return gen_emit(g, BK_SIO_LARGE);
    }
}

/* Interleaves the classes like mixed traffic: each step picks a class with
 * probability proportional to the records it still owes. */
static int gen_all(struct gen *g, const struct bench_gen_opts *o)
{
    size_t left[BC_COUNT], done[BC_COUNT] = {0}, total = 0;
    for (int c = 0; c < BC_COUNT; c++) {
        double n = floor((double)base_count[c] * o->scale + 0.5);
        left[c] = n < 1 ? 1 : (size_t)n;
        total += left[c];
    }
    for (; total > 0; total--) {
        size_t pick = (size_t)gen_below64(g, total);
        int c = 0;
        while (pick >= left[c])
            pick -= left[c++];
        if (gen_one(g, c, done[c]++) != 0)
            return -1;
        left[c]--;
    }
    return 0;
}

int bench_gen_corpus(const char *path, const struct bench_gen_opts *o)
{
    struct gen g;
    if (o->scale <= 0 || o->scale > 100) {
        fprintf(stderr, "codec_bench: --scale must be in (0, 100]\n");
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    gen_init(&g, f, o->seed);
    int rc = fwrite(BENCH_MAGIC, 1, BENCH_MAGIC_LEN, f) == BENCH_MAGIC_LEN ? 0 : -1;
    if (rc == 0)
        rc = gen_all(&g, o);
    gen_free(&g);
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "codec_bench: writing %s failed\n", path);
    return rc;
}
