/*
 * diff_main.c - batch differential check: every file (or every file under
 * every directory) given is run through the codec and the Node oracle on
 * the chosen layer; each disagreement not on the allow-list is printed as a
 * finding with its input in hex. Ends with a per-class summary.
 *
 * usage: diff_driver -l LAYER [-a ALLOW] [-o ORACLE.js] [-q] FILE|DIR...
 * Exit status: 0 when there is no finding, 1 with findings, 2 on errors
 * (bad usage, the oracle died).
 */
#define _POSIX_C_SOURCE 200809L

#include "diff.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct tally {
    size_t inputs, same, allowed[4], found[4];
    int quiet;
};

static uint8_t *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                break;
            buf = nb;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0)
            break;
    }
    fclose(f);
    *n = len;
    return buf;
}

static int run_file(struct df_oracle *o, const struct df_allow *a, int layer, const char *path,
                    struct tally *t)
{
    size_t n;
    uint8_t *in = slurp(path, &n);
    if (!in) {
        fprintf(stderr, "diff: cannot read %s\n", path);
        return 0;
    }
    struct df_result r;
    int rc = df_check(o, a, layer, in, n, &r);
    if (rc == 0) {
        t->inputs++;
        if (!r.cls)
            t->same++;
        else if (r.allowed)
            t->allowed[r.cls - 'A']++;
        else
            t->found[r.cls - 'A']++;
        if (r.cls && (!r.allowed || !t->quiet)) {
            printf("%s%s\n", r.allowed ? "allowed: " : "", path);
            if (r.allowed)
                printf("  reason: %s\n", r.allowed);
            df_report(layer, in, n, &r);
        }
    }
    free(in);
    return rc;
}

static int walk(struct df_oracle *o, const struct df_allow *a, int layer, const char *path,
                struct tally *t)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return run_file(o, a, layer, path, t);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
        rc = walk(o, a, layer, full, t);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    int layer = 0, first = argc;
    const char *allow = NULL, *script = df_oracle_default();
    struct tally t = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
            layer = df_layer_from_name(argv[++i]);
        else if (strcmp(argv[i], "-a") == 0 && i + 1 < argc)
            allow = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            script = argv[++i];
        else if (strcmp(argv[i], "-q") == 0)
            t.quiet = 1;
        else {
            first = i;
            break;
        }
    }
    if (!layer || first >= argc) {
        fprintf(stderr,
                "usage: %s -l LAYER [-a ALLOW] [-o ORACLE.js] [-q] FILE|DIR...\n"
                "layers: eio_packet eio_payload_v4 eio_payload_v3 sio_packet sio_decoder\n",
                argv[0]);
        return 2;
    }
    struct df_allow *a = allow ? df_allow_load(allow) : NULL;
    struct df_oracle o;
    if ((allow && !a) || df_oracle_start(&o, script) != 0)
        return 2;
    int rc = 0;
    for (int i = first; i < argc && rc == 0; i++)
        rc = walk(&o, a, layer, argv[i], &t);
    df_oracle_stop(&o);
    df_allow_free(a);
    size_t found = t.found[0] + t.found[1] + t.found[2] + t.found[3];
    printf("diff %s: %zu inputs, %zu agree; allowed A/B/C/D %zu/%zu/%zu/%zu; "
           "findings A/B/C/D %zu/%zu/%zu/%zu\n",
           df_layer_name(layer), t.inputs, t.same, t.allowed[0], t.allowed[1], t.allowed[2],
           t.allowed[3], t.found[0], t.found[1], t.found[2], t.found[3]);
    if (rc != 0)
        fprintf(stderr, "diff: the oracle died or stopped answering\n");
    return rc != 0 ? 2 : found ? 1 : 0;
}
