/*
 * replay_main.c - siospec's standalone driver for the fuzz targets.
 *
 * Linked with one fuzz_<t>.c (any compiler, no libFuzzer) it becomes
 * replay_<t>: every file named on the command line, and every regular file
 * under every directory named (recursively, in sorted order, dot-files
 * skipped), is read and handed once to LLVMFuzzerTestOneInput. Arguments
 * starting with '-' are libFuzzer-style flags and are ignored, except
 * -v (print each file) and -h.
 *
 * Exit status: 0 when every input ran; 1 when a file could not be read, an
 * input returned a value other than 0 or -1, or no input ran at all (an
 * empty corpus means a broken checkout, not a pass; a path that does not
 * exist is only noted). A crash or a broken
 * invariant kills the process (abort, sanitizer report); the file that was
 * running is named on stderr first.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sanitizer runtimes call this on a report; weak so plain builds link. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static const char *current;
static int verbose;

struct paths {
    char **v;
    size_t n, cap;
};

static void name_current(void)
{
    if (current)
        fprintf(stderr, "replay: crashed on input %s\n", current);
}

static void on_signal(int sig)
{
    name_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int paths_add(struct paths *ps, const char *p)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        char **v = realloc(ps->v, cap * sizeof(*v));
        if (!v)
            return -1;
        ps->v = v;
        ps->cap = cap;
    }
    size_t len = strlen(p);
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, p, len + 1);
    ps->v[ps->n++] = copy;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds |path| (a file) or every file below it (a directory). */
static int collect(struct paths *ps, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        /* A corpus directory that does not exist yet (e.g. no regression
         * input for this target) is not an error; an empty run is. */
        fprintf(stderr, "replay: note: %s does not exist, skipped\n", path);
        return 0;
    }
    if (!S_ISDIR(st.st_mode))
        return paths_add(ps, path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot open directory %s\n", path);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(n);
        if (!full) {
            rc = -1;
            break;
        }
        snprintf(full, n, "%s/%s", path, e->d_name);
        rc = collect(ps, full);
        free(full);
    }
    closedir(d);
    return rc;
}

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        return -1;
    }
    /* Exact-size copy so ASan catches any read past the input's end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (exact)
        memcpy(exact, buf, n);
    free(buf);
    *out = exact;
    *len = n;
    return exact ? 0 : -1;
}

struct stats {
    size_t files, bytes, failed;
    double slowest;
    const char *slowest_name;
};

static void run_one(const char *path, struct stats *s)
{
    uint8_t *buf;
    size_t len;
    if (read_file(path, &buf, &len) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        s->failed++;
        return;
    }
    if (verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    current = path;
    clock_t t0 = clock();
    int rc = LLVMFuzzerTestOneInput(buf, len);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    current = NULL;
    free(buf);
    if (rc != 0 && rc != -1) {
        fprintf(stderr, "replay: %s returned %d\n", path, rc);
        s->failed++;
    }
    s->files++;
    s->bytes += len;
    if (secs > s->slowest) {
        s->slowest = secs;
        s->slowest_name = path;
    }
}

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [-v] FILE|DIR...\n"
            "Runs every input once through the fuzz target; libFuzzer flags are ignored.\n",
            argv0);
}

int main(int argc, char **argv)
{
    struct paths ps = {0};
    int bad_paths = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(argv[0]);
            return 0;
        }
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (argv[i][0] != '-' && collect(&ps, argv[i]) != 0)
            bad_paths++;
    }
    qsort(ps.v, ps.n, sizeof(*ps.v), cmp_str);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(name_current);
    signal(SIGABRT, on_signal);
    signal(SIGSEGV, on_signal);
    struct stats s = {0};
    for (size_t i = 0; i < ps.n; i++)
        run_one(ps.v[i], &s);
    printf("replay: %zu inputs, %zu bytes, %zu failed, %d unreadable paths", s.files, s.bytes,
           s.failed, bad_paths);
    if (s.slowest_name)
        printf(", slowest %.3f s (%s)", s.slowest, s.slowest_name);
    printf("\n");
    for (size_t i = 0; i < ps.n; i++)
        free(ps.v[i]);
    free(ps.v);
    if (s.files == 0)
        fprintf(stderr, "replay: no input ran\n");
    return (s.failed || bad_paths || s.files == 0) ? 1 : 0;
}
