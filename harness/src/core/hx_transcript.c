/*
 * hx_transcript.c - the per-session wire transcript.
 *
 * Entries live in one growing array; each entry's data is a separate
 * allocation. The sum of stored data is capped at |max|: an entry that does
 * not fit keeps only what fits (at least nothing) and the rest is counted as
 * dropped, so a hostile peer sending megabytes cannot grow the transcript
 * without bound. Entry count is capped too (|max| / 16).
 */
#include "harness/hx_transcript.h"
#include "harness/hx_status.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TR_DEFAULT_MAX (8u * 1024u * 1024u)

struct hx_transcript {
    uint64_t t0;
    size_t max;
    size_t used;
    size_t dropped;
    struct hx_tr_entry *e;
    size_t n;
    size_t cap;
};

int hx_transcript_new(struct hx_transcript **out, uint64_t t0_us, size_t max_bytes)
{
    struct hx_transcript *tr = calloc(1, sizeof(*tr));
    if (!tr)
        return HX_ERR_NOMEM;
    tr->t0 = t0_us;
    tr->max = max_bytes ? max_bytes : TR_DEFAULT_MAX;
    *out = tr;
    return HX_OK;
}

void hx_transcript_del(struct hx_transcript *tr)
{
    if (!tr)
        return;
    for (size_t i = 0; i < tr->n; i++)
        free((void *)tr->e[i].data);
    free(tr->e);
    free(tr);
}

static struct hx_tr_entry *tr_push(struct hx_transcript *tr, size_t want)
{
    if (tr->n >= tr->max / 16) {
        tr->dropped += want;
        return NULL;
    }
    if (tr->n == tr->cap) {
        size_t cap = tr->cap ? tr->cap * 2 : 64;
        struct hx_tr_entry *e = realloc(tr->e, cap * sizeof(*e));
        if (!e)
            return NULL;
        tr->e = e;
        tr->cap = cap;
    }
    struct hx_tr_entry *e = &tr->e[tr->n];
    memset(e, 0, sizeof(*e));
    return e;
}

static int tr_add(struct hx_transcript *tr, uint64_t now, enum hx_dir dir, enum hx_tr_kind kind,
                  const char *tp, unsigned chan, const void *p, size_t n)
{
    if (!tr)
        return HX_OK;
    struct hx_tr_entry *e = tr_push(tr, n);
    if (!e)
        return HX_ERR_NOMEM;
    size_t keep = n;
    if (keep > tr->max - tr->used)
        keep = tr->max - tr->used;
    uint8_t *d = malloc(keep ? keep : 1);
    if (!d)
        return HX_ERR_NOMEM;
    if (keep)
        memcpy(d, p, keep);
    e->t_us = now > tr->t0 ? now - tr->t0 : 0;
    e->dir = dir;
    e->kind = kind;
    snprintf(e->tp, sizeof(e->tp), "%s", tp ? tp : "");
    e->chan = chan;
    e->len = keep;
    e->orig_len = n;
    e->data = d;
    tr->used += keep;
    tr->dropped += n - keep;
    tr->n++;
    return HX_OK;
}

int hx_transcript_bytes(struct hx_transcript *tr, uint64_t now_us, enum hx_dir dir, const char *tp,
                        unsigned chan, const void *p, size_t n)
{
    return tr_add(tr, now_us, dir, HX_TR_BYTES, tp, chan, p, n);
}

int hx_transcript_textf(struct hx_transcript *tr, uint64_t now_us, enum hx_dir dir, const char *tp,
                        unsigned chan, const char *fmt, ...)
{
    if (!tr)
        return HX_OK;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (k < 0)
        return HX_ERR_INVALID_ARG;
    size_t n = (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1;
    return tr_add(tr, now_us, dir, HX_TR_TEXT, tp, chan, line, n);
}

size_t hx_transcript_count(const struct hx_transcript *tr)
{
    return tr ? tr->n : 0;
}

const struct hx_tr_entry *hx_transcript_get(const struct hx_transcript *tr, size_t i)
{
    return tr && i < tr->n ? &tr->e[i] : NULL;
}

size_t hx_transcript_dropped(const struct hx_transcript *tr)
{
    return tr ? tr->dropped : 0;
}

int hx_escape(const void *p, size_t n, struct cdc_buf *out)
{
    const uint8_t *s = p;
    for (size_t i = 0; i < n; i++) {
        char tmp[8];
        uint8_t c = s[i];
        if (c == '\n')
            memcpy(tmp, "\\n", 3);
        else if (c == '\r')
            memcpy(tmp, "\\r", 3);
        else if (c == '\t')
            memcpy(tmp, "\\t", 3);
        else if (c == '\\' || c == '"')
            snprintf(tmp, sizeof(tmp), "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            snprintf(tmp, sizeof(tmp), "\\x%02x", c);
        else
            snprintf(tmp, sizeof(tmp), "%c", c);
        int rc = cdc_buf_append_str(out, tmp);
        if (rc != CDC_OK)
            return rc;
    }
    return CDC_OK;
}

static const char *dir_tag(enum hx_dir d)
{
    return d == HX_DIR_OUT ? "C>S" : d == HX_DIR_IN ? "S>C" : "--";
}

int hx_tr_entry_format(const struct hx_tr_entry *e, size_t max_show, struct cdc_buf *out)
{
    char pre[96];
    char chan[16] = "";
    if (e->chan)
        snprintf(chan, sizeof(chan), "#%u", e->chan);
    snprintf(pre, sizeof(pre), "+%llums %s %s%s ", (unsigned long long)(e->t_us / 1000),
             dir_tag(e->dir), e->tp[0] ? e->tp : "-", chan);
    int rc = cdc_buf_append_str(out, pre);
    if (rc == CDC_OK && e->kind == HX_TR_TEXT) {
        rc = cdc_buf_append(out, e->data, e->len);
    } else if (rc == CDC_OK) {
        size_t show = max_show && e->len > max_show ? max_show : e->len;
        snprintf(pre, sizeof(pre), "bytes[%zu] \"", e->orig_len);
        rc = cdc_buf_append_str(out, pre);
        if (rc == CDC_OK)
            rc = hx_escape(e->data, show, out);
        if (rc == CDC_OK)
            rc = cdc_buf_append_str(out, show < e->orig_len ? "\"..." : "\"");
    }
    return rc == CDC_OK ? cdc_buf_append_byte(out, '\n') : rc;
}

int hx_transcript_format(const struct hx_transcript *tr, size_t max_show, struct cdc_buf *out)
{
    for (size_t i = 0; i < hx_transcript_count(tr); i++) {
        int rc = hx_tr_entry_format(&tr->e[i], max_show, out);
        if (rc != CDC_OK)
            return rc;
    }
    return CDC_OK;
}

int hx_transcript_print(const struct hx_transcript *tr, size_t max_show, FILE *f)
{
    struct cdc_buf b;
    cdc_buf_init(&b, SIZE_MAX, NULL);
    for (size_t i = 0; i < hx_transcript_count(tr); i++) {
        cdc_buf_reset(&b);
        if (hx_tr_entry_format(&tr->e[i], max_show, &b) != CDC_OK) {
            cdc_buf_free(&b);
            return HX_ERR_NOMEM;
        }
        fwrite(b.p, 1, b.len, f);
    }
    cdc_buf_free(&b);
    return HX_OK;
}
