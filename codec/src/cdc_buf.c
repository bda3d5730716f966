/*
 * cdc_buf.c - bounded growable buffers and the allocator shim.
 *
 * A cdc_buf never grows past its |max|; every append either succeeds whole
 * or leaves the buffer untouched. Growth doubles the capacity (capped at
 * |max|) so appends are amortised O(1).
 */
#include "codec/cdc.h"

#include <stdlib.h>
#include <string.h>

void *cdc_mem_alloc(const struct cdc_mem *m, size_t n)
{
    return m ? m->alloc(n, m->ud) : malloc(n);
}

void *cdc_mem_realloc(const struct cdc_mem *m, void *p, size_t n)
{
    return m ? m->realloc(p, n, m->ud) : realloc(p, n);
}

void cdc_mem_free(const struct cdc_mem *m, void *p)
{
    if (!p)
        return;
    if (m)
        m->free(p, m->ud);
    else
        free(p);
}

void cdc_buf_init(struct cdc_buf *b, size_t max, const struct cdc_mem *mem)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->mem = mem;
}

void cdc_buf_free(struct cdc_buf *b)
{
    cdc_mem_free(b->mem, b->p);
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
}

void cdc_buf_reset(struct cdc_buf *b)
{
    b->len = 0;
}

int cdc_buf_reserve(struct cdc_buf *b, size_t n, uint8_t **out)
{
    if (n > b->max || b->len > b->max - n)
        return CDC_ERR_TOO_LARGE;
    size_t need = b->len + n;
    if (need > b->cap || !b->p) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        if (cap > b->max)
            cap = b->max;
        if (cap == 0)
            cap = 1; /* max == 0: still hand out a valid pointer */
        uint8_t *p = cdc_mem_realloc(b->mem, b->p, cap);
        if (!p)
            return CDC_ERR_NOMEM;
        b->p = p;
        b->cap = cap;
    }
    if (out)
        *out = b->p + b->len;
    return CDC_OK;
}

int cdc_buf_append(struct cdc_buf *b, const void *p, size_t n)
{
    uint8_t *dst;
    int rc = cdc_buf_reserve(b, n, &dst);
    if (rc != CDC_OK)
        return rc;
    if (n)
        memcpy(dst, p, n);
    b->len += n;
    return CDC_OK;
}

int cdc_buf_append_byte(struct cdc_buf *b, uint8_t c)
{
    return cdc_buf_append(b, &c, 1);
}

int cdc_buf_append_str(struct cdc_buf *b, const char *s)
{
    return cdc_buf_append(b, s, strlen(s));
}

int cdc_buf_append_u64(struct cdc_buf *b, uint64_t v)
{
    char tmp[20];
    size_t i = sizeof(tmp);
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return cdc_buf_append(b, tmp + i, sizeof(tmp) - i);
}

void cdc_opts_init(struct cdc_opts *o)
{
    o->eio_version = 4;
    o->sio_version = 5;
    o->mode = CDC_STRICT;
    o->lim.max_payload = CDC_DEFAULT_MAX_PAYLOAD;
    o->lim.max_json_depth = CDC_DEFAULT_MAX_JSON_DEPTH;
    o->lim.max_attachments = CDC_DEFAULT_MAX_ATTACHMENTS;
    o->lim.max_nsp_len = CDC_DEFAULT_MAX_NSP_LEN;
}
