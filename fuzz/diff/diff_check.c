/*
 * diff_check.c - compares the codec's and the reference's canonical texts,
 * classifies the first difference (A/B/C/D, see diff.h), and matches it
 * against the allow-list.
 *
 * Allow-list file (fuzz/diff/allow.txt): one entry per line, '#' comments,
 * six TAB-separated fields:
 *   layer  class  c-line-ERE  js-line-ERE  input-ERE  reason
 * A field "*" matches anything. The EREs (POSIX extended) are searched in
 * the first differing event of each side and in the input written as
 * "<flag byte as 2 hex digits>|<bytes, printable ASCII kept, others \xNN,
 * backslash doubled>".
 */
#define _POSIX_C_SOURCE 200809L

#include "diff.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    int layer; /* 0 = any */
    char cls;  /* 0 = any */
    regex_t re[3];
    bool has[3];
    char *reason;
};

struct df_allow {
    struct entry *e;
    size_t n;
};

static void escape_input(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    if (n && cap > 3)
        k = (size_t)snprintf(out, cap, "%02x|", in[0]);
    for (size_t i = 1; i < n && k + 5 < cap; i++) {
        uint8_t c = in[i];
        if (c == '\\') {
            out[k++] = '\\';
            out[k++] = '\\';
        } else if (c >= 0x20 && c < 0x7f) {
            out[k++] = (char)c;
        } else {
            k += (size_t)snprintf(out + k, cap - k, "\\x%02x", c);
        }
    }
    out[k < cap ? k : cap - 1] = 0;
}

static int parse_entry(char *line, struct entry *e)
{
    char *f[6];
    int nf = 0;
    for (char *s = line; nf < 6; nf++) {
        f[nf] = s;
        char *tab = strchr(s, '\t');
        if (!tab) {
            nf++;
            break;
        }
        *tab = 0;
        s = tab + 1;
    }
    if (nf != 6)
        return -1;
    memset(e, 0, sizeof(*e));
    e->layer = strcmp(f[0], "*") == 0 ? 0 : df_layer_from_name(f[0]);
    e->cls = strcmp(f[1], "*") == 0 ? 0 : f[1][0];
    if ((strcmp(f[0], "*") != 0 && e->layer == 0) || (e->cls && !strchr("ABCD", e->cls)))
        return -1;
    for (int i = 0; i < 3; i++) {
        if (strcmp(f[2 + i], "*") == 0)
            continue;
        if (regcomp(&e->re[i], f[2 + i], REG_EXTENDED | REG_NOSUB) != 0)
            return -1;
        e->has[i] = true;
    }
    e->reason = strdup(f[5]);
    return e->reason ? 0 : -1;
}

struct df_allow *df_allow_load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "diff: cannot open allow-list %s\n", path);
        return NULL;
    }
    struct df_allow *a = calloc(1, sizeof(*a));
    char line[2048];
    int lineno = 0;
    while (a && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#' || line[0] == 0)
            continue;
        struct entry *e = realloc(a->e, (a->n + 1) * sizeof(*e));
        if (!e || parse_entry(line, &e[a->n]) != 0) {
            fprintf(stderr, "diff: %s:%d: bad allow-list entry\n", path, lineno);
            if (e)
                a->e = e;
            df_allow_free(a);
            a = NULL;
            break;
        }
        a->e = e;
        a->n++;
    }
    fclose(f);
    return a;
}

void df_allow_free(struct df_allow *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        for (int k = 0; k < 3; k++)
            if (a->e[i].has[k])
                regfree(&a->e[i].re[k]);
        free(a->e[i].reason);
    }
    free(a->e);
    free(a);
}

const char *df_allow_match(const struct df_allow *a, int layer, char cls, const char *c_line,
                           const char *js_line, const uint8_t *in, size_t n)
{
    static char esc[16384];
    if (!a)
        return NULL;
    escape_input(in, n, esc, sizeof(esc));
    const char *subj[3] = {c_line, js_line, esc};
    for (size_t i = 0; i < a->n; i++) {
        const struct entry *e = &a->e[i];
        if ((e->layer && e->layer != layer) || (e->cls && e->cls != cls))
            continue;
        bool ok = true;
        for (int k = 0; k < 3 && ok; k++)
            ok = !e->has[k] || regexec(&e->re[k], subj[k], 0, NULL, 0) == 0;
        if (ok)
            return e->reason;
    }
    return NULL;
}

/* Copies event |idx| of |b| (lines split on '\n') into |dst|; "" if none. */
static void event_at(const struct cdc_buf *b, size_t idx, char *dst, size_t cap)
{
    size_t start = 0, line = 0;
    dst[0] = 0;
    for (size_t i = 0; i <= b->len; i++) {
        if (i < b->len && b->p[i] != '\n')
            continue;
        if (line++ == idx) {
            size_t k = i - start < cap - 1 ? i - start : cap - 1;
            if (k)
                memcpy(dst, b->p + start, k);
            dst[k] = 0;
            return;
        }
        start = i + 1;
    }
}

static bool is_err(const char *s)
{
    return strncmp(s, "ERR", 3) == 0 || s[0] == 0;
}

static bool same_event(const char *a, const char *b)
{
    return (is_err(a) && is_err(b)) || strcmp(a, b) == 0;
}

void df_classify(const struct cdc_buf *c, const struct cdc_buf *js, struct df_result *r)
{
    memset(r, 0, sizeof(*r));
    for (size_t i = 0;; i++) {
        event_at(c, i, r->c_line, sizeof(r->c_line));
        event_at(js, i, r->js_line, sizeof(r->js_line));
        if (r->c_line[0] == 0 && r->js_line[0] == 0)
            return;
        if (same_event(r->c_line, r->js_line))
            continue;
        r->line = i;
        bool cp = strncmp(r->c_line, "PENDING", 7) == 0,
             jp = strncmp(r->js_line, "PENDING", 7) == 0;
        if (cp != jp && !is_err(r->c_line) && !is_err(r->js_line))
            r->cls = 'D';
        else if (is_err(r->c_line))
            r->cls = 'B';
        else if (is_err(r->js_line))
            r->cls = 'C';
        else
            r->cls = 'A';
        return;
    }
}

int df_check(struct df_oracle *o, const struct df_allow *a, int layer, const uint8_t *in, size_t n,
             struct df_result *r)
{
    struct cdc_buf c, js;
    cdc_buf_init(&c, SIZE_MAX / 4, NULL);
    cdc_buf_init(&js, SIZE_MAX / 4, NULL);
    int rc = 0;
    if (df_canon(layer, in, n, &c) != CDC_OK)
        cdc_buf_append_str(&c, "\nCANON-FAILED");
    if (df_oracle_query(o, layer, in, n, &js) != 0) {
        rc = -1;
    } else {
        df_classify(&c, &js, r);
        if (r->cls)
            r->allowed = df_allow_match(a, layer, r->cls, r->c_line, r->js_line, in, n);
    }
    cdc_buf_free(&c);
    cdc_buf_free(&js);
    return rc;
}

void df_report(int layer, const uint8_t *in, size_t n, const struct df_result *r)
{
    printf("finding: layer=%s class=%c event=%zu\n  codec:     %s\n  reference: %s\n  input(hex):",
           df_layer_name(layer), r->cls, r->line, r->c_line, r->js_line);
    for (size_t i = 0; i < n && i < 512; i++)
        printf(" %02x", in[i]);
    printf("%s\n", n > 512 ? " ..." : "");
    char esc[1024];
    escape_input(in, n, esc, sizeof(esc));
    printf("  input(esc): %s\n", esc);
}
