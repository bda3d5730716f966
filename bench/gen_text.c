/*
 * gen_text.c - building blocks of the corpus generator (see gen_text.h).
 *
 * Everything here is integer arithmetic on a splitmix64 stream, so a seed
 * yields the same bytes on every platform. JSON pieces follow the canonical
 * form described in gen_corpus.c, so that a decode/encode round trip in
 * either the codec or the reference parsers reproduces them byte for byte.
 */
#include "gen_text.h"

#include <string.h>

static const char *const ascii_words[] = {
    "hello",   "world",  "socket",  "message", "room",   "player", "score",  "update",
    "server",  "client", "event",   "packet",  "the",    "a",      "is",     "of",
    "and",     "to",     "in",      "ready",   "join",   "leave",  "typing", "ok",
    "lobby",   "match",  "request", "reply",   "data",   "status", "online", "offline",
    "latency", "ping",   "pong",    "upgrade", "stream", "chunk",  "file",   "image",
    "user",    "token",  "session", "retry",   "again",  "later",  "thanks", "sure!",
};

static const char *const uni_words[] = {
    "café", "naïve", "Größe",  "über",     "señor",   "日本語", "中文", "привет",
    "мир",  "€",     "£100",   "ελληνικά", "العربية", "😀",      "🚀",    "👍🏽",
    "𝄞",    "ß",     "façade", "Ωmega",    "हिन्दी",   "한국어", "🎉🎉",   "élève",
};

static const char *const names[] = {"alice", "bob",  "carol", "dave", "eve",      "mallory",
                                    "зоя",   "ünal", "李雷",  "josé", "user1234", "🦊fox"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void gen_init(struct gen *g, FILE *f, uint64_t seed)
{
    g->state = seed;
    g->f = f;
    g->err = 0;
    cdc_buf_init(&g->b, SIZE_MAX, NULL);
}

void gen_free(struct gen *g)
{
    cdc_buf_free(&g->b);
}

int gen_emit(struct gen *g, uint8_t kind)
{
    if (g->err || g->b.len > UINT32_MAX)
        return -1;
    uint8_t hdr[5] = {kind, (uint8_t)g->b.len, (uint8_t)(g->b.len >> 8), (uint8_t)(g->b.len >> 16),
                      (uint8_t)(g->b.len >> 24)};
    if (fwrite(hdr, 1, sizeof hdr, g->f) != sizeof hdr)
        return -1;
    if (g->b.len && fwrite(g->b.p, 1, g->b.len, g->f) != g->b.len)
        return -1;
    cdc_buf_reset(&g->b);
    return 0;
}

static uint64_t next64(struct gen *g)
{
    uint64_t z = (g->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

unsigned gen_below(struct gen *g, unsigned n)
{
    return (unsigned)(((next64(g) >> 32) * (uint64_t)n) >> 32);
}

uint64_t gen_below64(struct gen *g, uint64_t n)
{
    return next64(g) % n;
}

size_t gen_logsize(struct gen *g, size_t lo, size_t hi)
{
    unsigned elo = 0, ehi = 0;
    while (((size_t)2 << elo) <= lo)
        elo++;
    while (((size_t)2 << ehi) <= hi)
        ehi++;
    unsigned e = elo + gen_below(g, ehi - elo + 1);
    size_t v = ((size_t)1 << e) + (size_t)gen_below64(g, (uint64_t)1 << e);
    return v < lo ? lo : v > hi ? hi : v;
}

static void putn(struct gen *g, const void *p, size_t n)
{
    if (!g->err && cdc_buf_append(&g->b, p, n) != CDC_OK)
        g->err = 1;
}

void gen_put(struct gen *g, const char *s)
{
    putn(g, s, strlen(s));
}

void gen_putc(struct gen *g, char c)
{
    putn(g, &c, 1);
}

void gen_putu(struct gen *g, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    putn(g, tmp + i, sizeof tmp - i);
}

void gen_sentence(struct gen *g, unsigned words, unsigned uni_pct, bool json)
{
    static const char *const escapes[] = {"\\\"", "\\\\", "\\n", "\\t"};
    for (unsigned i = 0; i < words; i++) {
        if (i)
            gen_putc(g, ' ');
        if (gen_below(g, 100) < uni_pct)
            gen_put(g, uni_words[gen_below(g, COUNT(uni_words))]);
        else
            gen_put(g, ascii_words[gen_below(g, COUNT(ascii_words))]);
        if (json && gen_below(g, 50) == 0)
            gen_put(g, escapes[gen_below(g, COUNT(escapes))]);
    }
}

void gen_str(struct gen *g, unsigned words, unsigned uni_pct)
{
    gen_putc(g, '"');
    gen_sentence(g, words, uni_pct, true);
    gen_putc(g, '"');
}

void gen_token(struct gen *g, unsigned n)
{
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (unsigned i = 0; i < n; i++)
        gen_putc(g, alpha[gen_below(g, 64)]);
}

void gen_dec(struct gen *g)
{
    static const unsigned pow10[] = {1, 10, 100, 1000, 10000};
    unsigned digits = 1 + gen_below(g, 4);
    unsigned frac = gen_below(g, pow10[digits]);
    if (frac % 10 == 0)
        frac += 1 + gen_below(g, 9); /* a trailing 0 is not the shortest form */
    if (gen_below(g, 4) == 0)
        gen_putc(g, '-');
    gen_putu(g, gen_below(g, 100000));
    gen_putc(g, '.');
    for (unsigned d = digits; d-- > 0;)
        gen_putc(g, (char)('0' + frac / pow10[d] % 10));
}

static void gen_name(struct gen *g)
{
    gen_putc(g, '"');
    gen_put(g, names[gen_below(g, COUNT(names))]);
    gen_putc(g, '"');
}

static void gen_container(struct gen *g, unsigned depth, bool object)
{
    static const char *const keys[] = {"id",   "name", "value", "count", "enabled",
                                       "tags", "meta", "x",     "y",     "label"};
    unsigned n = gen_below(g, 5);
    gen_putc(g, object ? '{' : '[');
    for (unsigned i = 0; i < n; i++) {
        if (i)
            gen_putc(g, ',');
        if (object) {
            /* Member i uses key 2i or 2i+1: no duplicate, which JSON.parse
             * would drop and so break the byte-exact round trip. */
            gen_putc(g, '"');
            gen_put(g, keys[i * 2 + gen_below(g, 2)]);
            gen_put(g, "\":");
        }
        gen_value(g, depth - 1);
    }
    gen_putc(g, object ? '}' : ']');
}

void gen_value(struct gen *g, unsigned depth)
{
    switch (gen_below(g, depth ? 9 : 7)) {
    case 0:
        gen_put(g, "null");
        break;
    case 1:
        gen_put(g, "true");
        break;
    case 2:
        gen_put(g, "false");
        break;
    case 3:
        gen_putu(g, gen_below64(g, 1ull << 40));
        break;
    case 4:
        gen_dec(g);
        break;
    case 5:
    case 6:
        gen_str(g, 1 + gen_below(g, 8), 20);
        break;
    default:
        gen_container(g, depth, gen_below(g, 2));
        break;
    }
}

void gen_chat_obj(struct gen *g, unsigned words)
{
    gen_put(g, "{\"user\":");
    gen_name(g);
    gen_put(g, ",\"text\":");
    gen_str(g, words, 15);
    gen_put(g, ",\"ts\":");
    gen_putu(g, 1700000000000ull + gen_below64(g, 1000000000ull));
    unsigned k = gen_below(g, 4);
    if (k == 1)
        gen_put(g, ",\"room\":\"general\"");
    else if (k == 2)
        gen_put(g, ",\"reply_to\":null,\"edited\":false");
    else if (k == 3) {
        gen_put(g, ",\"mentions\":[");
        gen_name(g);
        gen_putc(g, ']');
    }
    gen_putc(g, '}');
}

void gen_item(struct gen *g, size_t i)
{
    gen_put(g, "{\"id\":");
    gen_putu(g, i);
    gen_put(g, ",\"name\":");
    gen_str(g, 1 + gen_below(g, 4), 20);
    gen_put(g, ",\"tags\":[\"");
    gen_put(g, ascii_words[gen_below(g, COUNT(ascii_words))]);
    gen_put(g, "\",\"");
    gen_put(g, ascii_words[gen_below(g, COUNT(ascii_words))]);
    gen_put(g, "\"],\"score\":");
    gen_dec(g);
    gen_put(g, gen_below(g, 2) ? ",\"active\":true" : ",\"active\":false");
    gen_put(g, ",\"owner\":{\"id\":");
    gen_putu(g, gen_below(g, 1u << 24));
    gen_put(g, ",\"name\":");
    gen_name(g);
    gen_put(g, "},\"history\":[");
    unsigned n = gen_below(g, 6);
    for (unsigned k = 0; k < n; k++) {
        if (k)
            gen_putc(g, ',');
        gen_putu(g, gen_below(g, 100000));
    }
    gen_put(g, "]}");
}

void gen_point(struct gen *g, size_t i)
{
    gen_putc(g, '[');
    gen_putu(g, 1700000000ull + (uint64_t)i * 60);
    gen_putc(g, ',');
    gen_dec(g);
    gen_putc(g, ',');
    gen_dec(g);
    gen_putc(g, ',');
    gen_putu(g, gen_below(g, 1000));
    gen_putc(g, ']');
}

void gen_document(struct gen *g)
{
    gen_put(g, "{\"title\":");
    gen_str(g, 2 + gen_below(g, 6), 20);
    gen_put(g, ",\"lang\":\"");
    gen_put(g, gen_below(g, 2) ? "en" : "mixed");
    gen_put(g, "\",\"body\":");
    gen_str(g, 50 + gen_below(g, 350), 20);
    gen_putc(g, '}');
}

void gen_placeholder(struct gen *g, unsigned num)
{
    gen_put(g, "{\"_placeholder\":true,\"num\":");
    gen_putu(g, num);
    gen_putc(g, '}');
}

void gen_bytes(struct gen *g, size_t n)
{
    uint8_t tmp[8];
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = next64(g);
        for (size_t k = 0; k < 8; k++)
            tmp[k] = (uint8_t)(v >> (8 * k));
        putn(g, tmp, n - i < 8 ? n - i : 8);
    }
}

void gen_b64_random(struct gen *g, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t in[3];
    for (size_t i = 0; i < n; i += 3) {
        size_t k = n - i < 3 ? n - i : 3;
        uint64_t v = next64(g);
        in[0] = (uint8_t)v;
        in[1] = k > 1 ? (uint8_t)(v >> 8) : 0;
        in[2] = k > 2 ? (uint8_t)(v >> 16) : 0;
        char out[4] = {a[in[0] >> 2], a[((in[0] & 3) << 4) | (in[1] >> 4)],
                       k > 1 ? a[((in[1] & 15) << 2) | (in[2] >> 6)] : '=',
                       k > 2 ? a[in[2] & 63] : '='};
        putn(g, out, 4);
    }
}

void gen_prefix_utf16_len(struct gen *g, size_t start)
{
    if (g->err)
        return;
    uint64_t units = 0;
    for (size_t i = start; i < g->b.len; i++) {
        uint8_t c = g->b.p[i];
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1; /* 4-byte sequences are surrogate pairs */
    }
    char tmp[24];
    size_t n = sizeof tmp;
    tmp[--n] = ':';
    do {
        tmp[--n] = (char)('0' + units % 10);
        units /= 10;
    } while (units);
    size_t plen = sizeof tmp - n;
    uint8_t *room;
    if (cdc_buf_reserve(&g->b, plen, &room) != CDC_OK) {
        g->err = 1;
        return;
    }
    memmove(g->b.p + start + plen, g->b.p + start, g->b.len - start);
    memcpy(g->b.p + start, tmp + n, plen);
    g->b.len += plen;
}
