/*
 * fuzz_common.c - flag byte, limits, invariant checks and small containers
 * shared by the fuzz targets (see fuzz_common.h). Aborting is this file's
 * job: an invariant that breaks is a finding, printed before abort().
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

_Noreturn void fz_fail(const char *file, int line, const char *expr, const char *what)
{
    fprintf(stderr, "\n==fuzz== invariant broken at %s:%d: %s\n==fuzz== %s\n", file, line, expr,
            what ? what : "");
    fflush(stderr);
    abort();
}

void fz_dump(const char *label, const void *p, size_t n)
{
    const uint8_t *b = p;
    fprintf(stderr, "==fuzz== %s (%zu bytes): ", label, n);
    for (size_t i = 0; i < n && i < 400; i++) {
        if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
            fputc(b[i], stderr);
        else
            fprintf(stderr, "\\x%02x", b[i]);
    }
    fprintf(stderr, "%s\n", n > 400 ? "..." : "");
}

void fz_opts(unsigned flags, struct cdc_opts *o)
{
    cdc_opts_init(o);
    o->eio_version = (flags & FZ_OLD) ? 3 : 4;
    o->sio_version = (flags & FZ_OLD) ? 4 : 5;
    o->mode = (flags & FZ_COMPAT) ? CDC_COMPAT : CDC_STRICT;
    o->lim.max_payload = FZ_LIM_PAYLOAD;
    o->lim.max_json_depth = FZ_LIM_DEPTH;
    o->lim.max_attachments = FZ_LIM_ATTACHMENTS;
    o->lim.max_nsp_len = FZ_LIM_NSP;
}

struct cdc_diag fz_diag(void)
{
    return (struct cdc_diag){SIZE_MAX, NULL};
}

void fz_check_rc(int rc, const struct cdc_diag *d, size_t len)
{
    if (rc >= 0)
        return;
    FZ_CHECK(strcmp(cdc_err_name(rc), "UNKNOWN") != 0, "decoder returned an unknown error code");
    if (!d)
        return;
    FZ_CHECK(d->why != NULL, cdc_err_name(rc));
    FZ_CHECK(d->off <= len, cdc_err_name(rc));
}

bool fz_within(struct cdc_span s, const uint8_t *base, size_t n)
{
    if (s.len == 0)
        return true;
    if (!s.p || !base)
        return false;
    uintptr_t a = (uintptr_t)s.p, b = (uintptr_t)base;
    return a >= b && a - b <= n && s.len <= n - (a - b);
}

bool fz_within2(struct cdc_span s, const uint8_t *in, size_t n, const struct cdc_buf *b)
{
    if (fz_within(s, in, n))
        return true;
    return b && fz_within(s, b->p, b->len);
}

bool fz_span_eq(struct cdc_span a, struct cdc_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

void fz_check_eio_packet(const struct cdc_opts *o, const struct eio_packet *p)
{
    FZ_CHECK((int)p->type >= EIO_OPEN && (int)p->type <= EIO_NOOP, "eio type out of range");
    if (o->eio_version == 4 && p->binary)
        FZ_CHECK(p->type == EIO_MESSAGE, "v4 binary packet that is not a message");
    if (o->mode == CDC_STRICT)
        FZ_CHECK(p->quirks == 0, "strict mode reported a quirk");
    FZ_CHECK(p->data.len <= o->lim.max_payload, "packet data above max_payload");
    FZ_CHECK(p->data.len == 0 || p->data.p != NULL, "data span without pointer");
}

static void check_nsp(const struct cdc_opts *o, struct cdc_span nsp)
{
    FZ_CHECK(nsp.len >= 1 && nsp.p && nsp.p[0] == '/', "namespace does not start with '/'");
    FZ_CHECK(nsp.len <= o->lim.max_nsp_len, "namespace above max_nsp_len");
    FZ_CHECK(memchr(nsp.p, ',', nsp.len) == NULL, "namespace contains ','");
    if (o->mode == CDC_STRICT)
        FZ_CHECK(cdc_utf8_check(nsp.p, nsp.len, NULL) == CDC_OK, "strict: nsp not UTF-8");
}

void fz_check_sio_packet(const struct cdc_opts *o, const struct sio_packet *p)
{
    FZ_CHECK((int)p->type >= SIO_CONNECT && (int)p->type <= SIO_BINARY_ACK, "sio type range");
    bool bin = p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK;
    if (bin)
        FZ_CHECK(p->attachments >= 1, "binary packet with zero attachments (CVE-2026-69185)");
    else
        FZ_CHECK(p->attachments == 0, "attachments on a non-binary packet");
    FZ_CHECK(p->attachments <= o->lim.max_attachments, "attachments above the limit");
    if (p->has_id)
        FZ_CHECK(p->id <= SIO_ACK_ID_MAX, "ack id above 2^53-1");
    check_nsp(o, p->nsp);
    if (p->data.len) {
        struct cdc_diag d = fz_diag();
        int rc = cdc_json_validate(p->data.p, p->data.len, o->lim.max_json_depth,
                                   o->mode == CDC_STRICT, &d);
        FZ_CHECK(rc == CDC_OK, "decoded payload is not valid JSON within the depth limit");
    }
    if (o->mode == CDC_STRICT)
        FZ_CHECK(p->quirks == 0, "strict mode reported a quirk");
    FZ_CHECK(sio_packet_validate(o, p, NULL) == CDC_OK, "decoded packet fails sio_packet_validate");
}

bool fz_eio_eq(const struct eio_packet *a, const struct eio_packet *b)
{
    return a->type == b->type && a->binary == b->binary && fz_span_eq(a->data, b->data);
}

bool fz_sio_eq(const struct sio_packet *a, const struct sio_packet *b)
{
    return a->type == b->type && fz_span_eq(a->nsp, b->nsp) && a->has_id == b->has_id &&
           (!a->has_id || a->id == b->id) && fz_span_eq(a->data, b->data) &&
           a->attachments == b->attachments;
}

void fz_pkts_init(struct fz_pkts *l)
{
    memset(l, 0, sizeof(*l));
    cdc_buf_init(&l->bytes, SIZE_MAX / 2, NULL);
}

void fz_pkts_free(struct fz_pkts *l)
{
    free(l->v);
    free(l->off);
    cdc_buf_free(&l->bytes);
    memset(l, 0, sizeof(*l));
}

void fz_pkts_push(struct fz_pkts *l, const struct eio_packet *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct eio_packet *v = realloc(l->v, cap * sizeof(*v));
        FZ_CHECK(v != NULL, "out of memory in the fuzz harness");
        l->v = v;
        size_t *off = realloc(l->off, cap * sizeof(*off));
        FZ_CHECK(off != NULL, "out of memory in the fuzz harness");
        l->off = off;
        l->cap = cap;
    }
    l->off[l->n] = l->bytes.len;
    FZ_CHECK(cdc_buf_append(&l->bytes, p->data.p, p->data.len) == CDC_OK, "harness append");
    l->v[l->n++] = *p;
}

struct eio_packet fz_pkts_get(const struct fz_pkts *l, size_t i)
{
    struct eio_packet p = l->v[i];
    p.data.p = p.data.len ? l->bytes.p + l->off[i] : NULL;
    return p;
}

bool fz_next_part(const uint8_t *in, size_t n, size_t *pos, struct cdc_span *part)
{
    if (*pos > n)
        return false;
    size_t start = *pos, i = start;
    while (i + FZ_SEP_LEN <= n && memcmp(in + i, FZ_SEP, FZ_SEP_LEN) != 0)
        i++;
    if (i + FZ_SEP_LEN > n)
        i = n;
    part->p = in + start;
    part->len = i - start;
    *pos = i + FZ_SEP_LEN; /* past the end (> n) after the last part */
    if (i == n)
        *pos = n + 1;
    return true;
}

/* Each block carries its size in a max_align_t-sized prefix. */
#define HDR sizeof(max_align_t)

static void *cm_alloc(size_t n, void *ud)
{
    struct fz_countmem *m = ud;
    if (n > SIZE_MAX - HDR)
        return NULL;
    unsigned char *p = malloc(n + HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof(n));
    m->live_blocks++;
    m->live_bytes += n;
    if (m->live_bytes > m->peak_bytes)
        m->peak_bytes = m->live_bytes;
    return p + HDR;
}

static void cm_free(void *p, void *ud)
{
    struct fz_countmem *m = ud;
    if (!p)
        return;
    unsigned char *base = (unsigned char *)p - HDR;
    size_t n;
    memcpy(&n, base, sizeof(n));
    FZ_CHECK(m->live_blocks > 0 && m->live_bytes >= n, "free of a block never allocated");
    m->live_blocks--;
    m->live_bytes -= n;
    free(base);
}

static void *cm_realloc(void *p, size_t n, void *ud)
{
    if (!p)
        return cm_alloc(n, ud);
    unsigned char *q = cm_alloc(n, ud);
    if (!q)
        return NULL;
    size_t old;
    memcpy(&old, (unsigned char *)p - HDR, sizeof(old));
    memcpy(q, p, old < n ? old : n);
    cm_free(p, ud);
    return q;
}

void fz_countmem_init(struct fz_countmem *m)
{
    memset(m, 0, sizeof(*m));
    m->mem.alloc = cm_alloc;
    m->mem.realloc = cm_realloc;
    m->mem.free = cm_free;
    m->mem.ud = m;
}

uint8_t fz_u8(struct fz_reader *r)
{
    if (r->n == 0)
        return 0;
    uint8_t c = r->p[0];
    r->p++;
    r->n--;
    return c;
}

uint64_t fz_u64(struct fz_reader *r)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | fz_u8(r);
    return v;
}

struct cdc_span fz_bytes(struct fz_reader *r, size_t max)
{
    size_t k = max < r->n ? max : r->n;
    struct cdc_span s = {r->p, k};
    r->p += k;
    r->n -= k;
    return s;
}
