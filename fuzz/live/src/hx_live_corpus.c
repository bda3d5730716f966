/*
 * hx_live_corpus.c - the live corpus: cases that made the server do
 * something new, with the case index from which the generator may use
 * them, their selection weight, and their files (one reproducer per
 * entry, named by found-at index and a hash of the text, so a folder
 * sorts in discovery order and never holds one input twice).
 */
#include "live/hx_live.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void hx_live_corpus_init(struct hx_live_corpus *cp)
{
    memset(cp, 0, sizeof(*cp));
}

void hx_live_corpus_free(struct hx_live_corpus *cp)
{
    for (size_t i = 0; i < cp->n; i++)
        hx_live_case_free(&cp->e[i].c);
    free(cp->e);
    hx_live_corpus_init(cp);
}

static int push(struct hx_live_corpus *cp, const struct hx_live_case *c, uint64_t vis,
                uint64_t found, uint32_t nf, uint32_t nc)
{
    if (cp->n == cp->cap) {
        size_t cap = cp->cap ? cp->cap * 2 : 64;
        struct hx_live_corpus_entry *ne = realloc(cp->e, cap * sizeof(*ne));
        if (!ne)
            return CDC_ERR_NOMEM;
        cp->e = ne;
        cp->cap = cap;
    }
    struct hx_live_corpus_entry *e = &cp->e[cp->n];
    memset(e, 0, sizeof(*e));
    hx_live_case_init(&e->c);
    int rc = hx_live_case_copy(&e->c, c, NULL, 0);
    if (rc != CDC_OK) {
        hx_live_case_free(&e->c);
        return rc;
    }
    e->visible_from = vis;
    e->found_at = found;
    e->new_feat = nf;
    e->new_cov = nc;
    uint32_t w = 1 + (nf < 8 ? nf : 8) + 2 * (nc < 16 ? nc : 16);
    e->weight = w;
    cp->n++;
    return CDC_OK;
}

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void save(const struct hx_live_corpus *cp, const struct hx_live_case *c, uint64_t found,
                 uint32_t nf, uint32_t nc)
{
    if (!cp->dir[0])
        return;
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    char head[160];
    snprintf(head, sizeof(head), "# live corpus: case %llu, %u new answer shapes, %u new code\n",
             (unsigned long long)found, nf, nc);
    if (hx_live_case_write(c, NULL, &b) == CDC_OK) {
        char path[1200];
        snprintf(path, sizeof(path), "%s/c%08llu-%08x.repro", cp->dir, (unsigned long long)found,
                 fnv(b.p, b.len));
        FILE *f = fopen(path, "wb");
        if (f) {
            /* The comment goes after the first line, which must be the magic. */
            const uint8_t *nl = memchr(b.p, '\n', b.len);
            size_t first = nl ? (size_t)(nl - b.p) + 1 : b.len;
            fwrite(b.p, 1, first, f);
            fputs(head, f);
            fwrite(b.p + first, 1, b.len - first, f);
            fclose(f);
        }
    }
    cdc_buf_free(&b);
}

int hx_live_corpus_add(struct hx_live_corpus *cp, const struct hx_live_case *c,
                       uint64_t visible_from, uint64_t found_at, uint32_t new_feat,
                       uint32_t new_cov)
{
    if (cp->n && visible_from < cp->e[cp->n - 1].visible_from)
        visible_from = cp->e[cp->n - 1].visible_from;
    int rc = push(cp, c, visible_from, found_at, new_feat, new_cov);
    if (rc == CDC_OK)
        save(cp, c, found_at, new_feat, new_cov);
    return rc;
}

size_t hx_live_corpus_visible(const struct hx_live_corpus *cp, uint64_t index)
{
    size_t lo = 0, hi = cp ? cp->n : 0;
    while (lo < hi) { /* first entry not yet visible */
        size_t mid = lo + (hi - lo) / 2;
        if (cp->e[mid].visible_from <= index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_file(struct hx_live_corpus *cp, const char *path, size_t *skipped)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return CDC_OK;
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    uint8_t chunk[4096];
    size_t n;
    int rc = CDC_OK;
    while (rc == CDC_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = cdc_buf_append(&b, chunk, n);
    fclose(f);
    struct hx_live_case c;
    hx_live_case_init(&c);
    struct cdc_diag d = {0};
    if (rc == CDC_OK && hx_live_case_parse(&c, NULL, b.p, b.len, &d) == CDC_OK && c.n)
        rc = push(cp, &c, 0, UINT64_MAX, 1, 1);
    else if (skipped)
        (*skipped)++;
    hx_live_case_free(&c);
    cdc_buf_free(&b);
    return rc == CDC_ERR_NOMEM ? rc : CDC_OK;
}

int hx_live_corpus_load(struct hx_live_corpus *cp, const char *dir, size_t *skipped)
{
    if (skipped)
        *skipped = 0;
    if (strlen(dir) >= sizeof(cp->dir) - 64)
        return CDC_ERR_INVALID_ARG;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return CDC_ERR_INVALID_ARG;
    DIR *d = opendir(dir);
    if (!d)
        return CDC_ERR_INVALID_ARG;
    snprintf(cp->dir, sizeof(cp->dir), "%s", dir);
    char **names = NULL;
    size_t nn = 0, cap = 0;
    int rc = CDC_OK;
    for (struct dirent *e; rc == CDC_OK && (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name);
        if (l < 7 || strcmp(e->d_name + l - 6, ".repro") != 0)
            continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 64;
            char **nv = realloc(names, cap * sizeof(*nv));
            if (!nv) {
                rc = CDC_ERR_NOMEM;
                break;
            }
            names = nv;
        }
        if (!(names[nn] = strdup(e->d_name)))
            rc = CDC_ERR_NOMEM;
        else
            nn++;
    }
    closedir(d);
    if (nn)
        qsort(names, nn, sizeof(*names), cmp_names);
    for (size_t i = 0; i < nn; i++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (rc == CDC_OK)
            rc = load_file(cp, path, skipped);
        free(names[i]);
    }
    free(names);
    return rc;
}
