/*
 * ck_coverage.c - spec coverage: which statements of the protocol
 * documents (cases/spec/statements.tsv) the catalogue checks.
 */
#include "ck_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stmt {
    char *id, *doc, *section, *kind, *no_case;
    unsigned cases;
};

static char *field(char **p)
{
    char *s = *p, *t = strchr(s, '\t');
    if (t) {
        *t = 0;
        *p = t + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

/* Appends the rows of one TSV file to |*out| (|*n| rows, |*cap| room). */
static int load_file(const char *table, struct stmt **out, size_t *n, size_t *capp, FILE *err)
{
    FILE *f = fopen(table, "r");
    if (!f) {
        fprintf(err, "siospec coverage: cannot read %s\n", table);
        return -1;
    }
    struct stmt *v = *out;
    size_t k = *n, cap = *capp;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    unsigned ln = 0;
    int rc = 0;
    while ((len = getline(&line, &lcap, f)) >= 0) {
        ln++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (ln == 1 || !line[0] || line[0] == '#')
            continue;
        if (k == cap) {
            cap = cap ? cap * 2 : 256;
            struct stmt *nv = realloc(v, cap * sizeof(*v));
            if (!nv) {
                rc = -1;
                break;
            }
            v = nv;
        }
        char *p = line;
        char *id = field(&p), *doc = field(&p), *sec = field(&p), *kind = field(&p);
        field(&p); /* summary */
        char *no = field(&p);
        if (!*id || !*doc) {
            fprintf(err, "siospec coverage: %s:%u: malformed row\n", table, ln);
            rc = -1;
            break;
        }
        v[k++] = (struct stmt){strdup(id), strdup(doc), strdup(sec), strdup(kind), strdup(no), 0};
    }
    free(line);
    fclose(f);
    *out = v;
    *n = k;
    *capp = cap;
    return rc;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* |table| is one TSV file, or a folder whose *.tsv files are read in name
 * order (statements.tsv holds the four protocol documents; ref-*.tsv the
 * rules of the reference implementation that the documents leave out). */
static int load(const char *table, struct stmt **out, size_t *n, FILE *err)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    DIR *d = opendir(table);
    if (!d)
        return load_file(table, out, n, &cap, err);
    char *names[128];
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 128) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".tsv"))
            names[nn++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof(names[0]), cmp_name);
    int rc = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", table, names[i]);
        if (rc == 0 && load_file(path, out, n, &cap, err) < 0)
            rc = -1;
        free(names[i]);
    }
    return rc;
}

static struct stmt *find(struct stmt *v, size_t n, const char *id, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i].id) == len && memcmp(v[i].id, id, len) == 0)
            return &v[i];
    return NULL;
}

/* Prints one JSON/text row per (doc, section) in table order. */
static void report(struct stmt *v, size_t n, bool json, FILE *out)
{
    size_t tot = 0, cov = 0, nocase = 0;
    if (json)
        fprintf(out, "{\"sections\":[");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(v[j].doc, v[i].doc) && !strcmp(v[j].section, v[i].section);
        if (seen)
            continue;
        size_t t = 0, c = 0, x = 0;
        for (size_t j = i; j < n; j++) {
            if (strcmp(v[j].doc, v[i].doc) || strcmp(v[j].section, v[i].section))
                continue;
            t++;
            c += v[j].cases > 0;
            x += v[j].cases == 0 && v[j].no_case[0];
        }
        tot += t;
        cov += c;
        nocase += x;
        if (json)
            fprintf(out,
                    "%s{\"doc\":\"%s\",\"section\":\"%s\",\"total\":%zu,\"covered\":%zu,"
                    "\"no_case\":%zu}",
                    first ? "" : ",", v[i].doc, v[i].section, t, c, x);
        else
            fprintf(out, "%-36s %-60.60s %3zu/%-3zu%s\n", v[i].doc, v[i].section, c, t,
                    x ? " (+ reasons)" : "");
        first = false;
    }
    if (json)
        fprintf(out, "],\"total\":%zu,\"covered\":%zu,\"no_case\":%zu}\n", tot, cov, nocase);
    else
        fprintf(out,
                "\nstatements: %zu, checked by a case: %zu, no case possible (reason "
                "given): %zu, open: %zu\n",
                tot, cov, nocase, tot - cov - nocase);
}

int ck_coverage(const char *table, bool json, bool check, long max_open, FILE *out, FILE *err)
{
    struct stmt *v = NULL;
    size_t n = 0;
    if (load(table, &v, &n, err) < 0) {
        for (size_t i = 0; i < n; i++)
            free(v[i].id), free(v[i].doc), free(v[i].section), free(v[i].kind), free(v[i].no_case);
        free(v);
        return 2;
    }
    int bad = 0;
    for (size_t g = 0; g < ck_ngroups; g++) {
        for (size_t i = 0; i < ck_groups[g]->n; i++) {
            const struct ck_case *cs = &ck_groups[g]->cases[i];
            if (!cs->spec || !cs->spec[0]) {
                fprintf(err, "coverage: case %s names no spec statement\n", cs->id);
                bad = 1;
                continue;
            }
            for (const char *p = cs->spec; *p;) {
                while (*p == ',' || *p == ' ')
                    p++;
                size_t len = strcspn(p, ", ");
                if (!len)
                    break;
                struct stmt *s = find(v, n, p, len);
                if (s)
                    s->cases++;
                else {
                    fprintf(err, "coverage: case %s names unknown statement %.*s\n", cs->id,
                            (int)len, p);
                    bad = 1;
                }
                p += len;
            }
        }
    }
    report(v, n, json, out);
    long open = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].cases == 0 && !v[i].no_case[0]) {
            if (check && max_open < 0)
                fprintf(err, "coverage: statement %s (%s) has no case and no reason\n", v[i].id,
                        v[i].section);
            open++;
        }
        free(v[i].id), free(v[i].doc), free(v[i].section), free(v[i].kind), free(v[i].no_case);
    }
    free(v);
    if (check && max_open >= 0 && open > max_open) {
        fprintf(err, "coverage: %ld open statements, more than the allowed %ld\n", open, max_open);
        bad = 1;
    } else if (check && max_open < 0 && open) {
        bad = 1;
    }
    return check && bad ? 1 : 0;
}
