/*
 * bench_corpus.c - loading and indexing a corpus file, and the static facts
 * of each benchmark class (name, size label, target ratio).
 *
 * The whole file is read into memory once; records and units point into it.
 * A unit is one record, except that a binary event header owns the
 * attachment records that follow it. The loader checks the framing (magic,
 * record lengths, attachments only after a header) and nothing else: the
 * bytes themselves are the codec's business.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct class_fact {
    const char *name;
    const char *size;
    double target;
    uint8_t kind;
};

static const struct class_fact facts[BC_COUNT] = {
    [BC_EIO4_POLL] = {"eio4-polling", "small", 5.0, BK_EIO4_POLL},
    [BC_EIO4_WS] = {"eio4-ws", "small", 5.0, BK_EIO4_WS},
    [BC_EIO3_POLL] = {"eio3-polling", "small", 5.0, BK_EIO3_POLL},
    [BC_SIO_SMALL] = {"sio-small", "small", 5.0, BK_SIO_SMALL},
    [BC_SIO_MEDIUM] = {"sio-medium", "medium", 0.0, BK_SIO_MEDIUM},
    [BC_SIO_BINARY] = {"sio-binary", "binary", 0.0, BK_SIO_BINARY},
    [BC_SIO_LARGE] = {"sio-large-json", "large", 1.0, BK_SIO_LARGE},
};

const char *bench_class_name(int cls)
{
    return facts[cls].name;
}

const char *bench_class_size(int cls)
{
    return facts[cls].size;
}

double bench_class_target(int cls)
{
    return facts[cls].target;
}

int bench_class_find(const char *name, size_t n)
{
    for (int c = 0; c < BC_COUNT; c++)
        if (strlen(facts[c].name) == n && memcmp(facts[c].name, name, n) == 0)
            return c;
    return -1;
}

static int class_of_kind(uint8_t kind)
{
    for (int c = 0; c < BC_COUNT; c++)
        if (facts[c].kind == kind)
            return c;
    return -1;
}

static int read_file(struct bench_corpus *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 20, len = 0;
    uint8_t *p = malloc(cap);
    while (p) {
        len += fread(p + len, 1, cap - len, f);
        if (len < cap)
            break;
        uint8_t *q = realloc(p, cap * 2);
        if (!q) {
            free(p);
            p = NULL;
            break;
        }
        p = q;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!p || bad) {
        fprintf(stderr, "codec_bench: cannot read %s\n", path);
        free(p);
        return -1;
    }
    c->file = p;
    c->file_len = len;
    return 0;
}

/* Splits the file into records; checks the framing. */
static int index_records(struct bench_corpus *c, const char *path)
{
    if (c->file_len < BENCH_MAGIC_LEN || memcmp(c->file, BENCH_MAGIC, BENCH_MAGIC_LEN) != 0) {
        fprintf(stderr, "codec_bench: %s is not a corpus file (bad magic)\n", path);
        return -1;
    }
    size_t cap = 1024, pos = BENCH_MAGIC_LEN;
    c->recs = malloc(cap * sizeof *c->recs);
    while (c->recs && c->file_len - pos >= 5) {
        const uint8_t *h = c->file + pos;
        size_t len = (size_t)h[1] | (size_t)h[2] << 8 | (size_t)h[3] << 16 | (size_t)h[4] << 24;
        if (len > c->file_len - pos - 5)
            break;
        if (c->n_recs == cap) {
            struct bench_rec *q = realloc(c->recs, 2 * cap * sizeof *q);
            if (!q)
                break;
            c->recs = q;
            cap *= 2;
        }
        c->recs[c->n_recs++] = (struct bench_rec){h[0], h + 5, len};
        pos += 5 + len;
    }
    if (c->recs && pos == c->file_len)
        return 0;
    fprintf(stderr, "codec_bench: %s: truncated record at offset %zu, or out of memory\n", path,
            pos);
    return -1;
}

/* Appends the unit starting at record |i| to its class; returns its size in
 * records, or 0 on a framing error. */
static size_t add_unit(struct bench_corpus *c, size_t i, size_t *caps)
{
    int cls = class_of_kind(c->recs[i].kind);
    if (cls < 0)
        return 0;
    struct bench_class_data *d = &c->cls[cls];
    size_t n = 1, bytes = c->recs[i].len;
    while (cls == BC_SIO_BINARY && i + n < c->n_recs && c->recs[i + n].kind == BK_SIO_ATTACHMENT)
        bytes += c->recs[i + n++].len;
    if (d->n_units == caps[cls]) {
        size_t ncap = caps[cls] ? 2 * caps[cls] : 256;
        struct bench_unit *q = realloc(d->units, ncap * sizeof *q);
        if (!q)
            return 0;
        d->units = q;
        caps[cls] = ncap;
    }
    d->units[d->n_units++] = (struct bench_unit){i, n, bytes};
    d->bytes += bytes;
    return n;
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

int bench_corpus_load(struct bench_corpus *c, const char *path)
{
    memset(c, 0, sizeof *c);
    if (read_file(c, path) != 0 || index_records(c, path) != 0)
        return -1;
    size_t caps[BC_COUNT] = {0};
    for (size_t i = 0; i < c->n_recs;) {
        size_t n = add_unit(c, i, caps);
        if (n == 0) {
            fprintf(stderr, "codec_bench: %s: record %zu: unexpected kind %u (or no memory)\n",
                    path, i, c->recs[i].kind);
            return -1;
        }
        i += n;
    }
    c->fnv = fnv1a64(c->file, c->file_len);
    return 0;
}

void bench_corpus_free(struct bench_corpus *c)
{
    for (int k = 0; k < BC_COUNT; k++) {
        bench_unprep(c, k);
        free(c->cls[k].units);
    }
    free(c->recs);
    free(c->file);
    memset(c, 0, sizeof *c);
}
