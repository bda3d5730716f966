/*
 * codec_bench.c - the codec benchmark's main program.
 *
 * Generates (or reuses) the corpus, measures the siospec codec class by
 * class, decode then encode, each after an untimed warm-up as the fastest
 * of several timed rounds (or one round of a fixed number of passes with
 * --iterations), then, with
 * --compare, runs node on bench/ref_bench.js with the same options and
 * prints both sides side by side with the ratio and the targets (small
 * packets at least 5x the reference, large JSON at least 1x).
 *
 * A pass is one decode (or encode) of every unit of a class. Throughput is
 * wire bytes per second (MB = 10^6 bytes) and packets per second; both
 * sides handle the same bytes and count packets the same way, so the ratio
 * is the same for both figures. Exit status: 0 when every record decoded
 * and re-encoded to itself (and the reference ran, when asked), 1 on any
 * failure, 2 on a usage error. See bench/README.md.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "bench"
#endif
#ifndef BENCH_BUILD_INFO
#define BENCH_BUILD_INFO "unknown build"
#endif
#ifndef BENCH_CODEC_VERSION
#define BENCH_CODEC_VERSION "?"
#endif

#define MAX_REF_ARGS 8

struct cli {
    const char *corpus;
    bool generate, gen_only, raw, cpu_clock;
    unsigned repeat;
    int compare; /* -1 auto, 0 no, 1 yes */
    struct bench_gen_opts gen;
    struct bench_run_opts run;
    bool want[BC_COUNT];
    bool want_dir[2];
    const char *dir_arg;
    const char *node, *ref_dir;
    const char *ref_args[MAX_REF_ARGS];
    int n_ref_args;
};

static void usage(FILE *f)
{
    fputs("usage: codec_bench [options]\n"
          "  --corpus FILE      corpus file (default siospec-bench.corpus)\n"
          "  --generate         (re)write the corpus first; implied when FILE is missing\n"
          "  --gen-only         write the corpus and exit\n"
          "  --seed N           generator seed (default 0x51057bec0de5eed)\n"
          "  --scale F          generator scale, 1 = about 35 MB (default 1)\n"
          "  --min-time S       timed seconds per class and direction (default 2)\n"
          "  --rounds R         split them into R rounds, report the fastest (default 5)\n"
          "  --clock wall|cpu   wall time (default) or process CPU time (busy machines)\n"
          "  --repeat N         run the whole comparison N times, keep each side's best\n"
          "  --warmup S         untimed seconds before each measurement (default 0.5)\n"
          "  --iterations N     exactly N timed passes instead of --min-time\n"
          "  --class A,B        only these classes (default all)\n"
          "  --dir decode|encode  only this direction (default both)\n"
          "  --compare          run the reference too (default when node and\n"
          "                     <ref-dir>/node_modules exist)\n"
          "  --no-compare       codec only\n"
          "  --node PATH        node executable (default node)\n"
          "  --ref-dir DIR      where ref_bench.js lives (default " BENCH_SOURCE_DIR ")\n"
          "  --ref-arg ARG      extra argument for ref_bench.js (repeatable)\n"
          "  --raw              also print the raw figures of both sides\n",
          f);
}

static int parse_classes(struct cli *o, const char *arg)
{
    memset(o->want, 0, sizeof o->want);
    for (const char *p = arg; *p;) {
        size_t n = strcspn(p, ",");
        int c = bench_class_find(p, n);
        if (c < 0) {
            fprintf(stderr, "codec_bench: unknown class '%.*s'\n", (int)n, p);
            return -1;
        }
        o->want[c] = true;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* Handles options that take a value; returns 1 if |a| was one, 0 if not,
 * -1 on a bad value. */
static int parse_valued(struct cli *o, const char *a, const char *v)
{
    char *end = NULL;
    if (strcmp(a, "--corpus") == 0)
        o->corpus = v;
    else if (strcmp(a, "--seed") == 0)
        o->gen.seed = strtoull(v, &end, 0);
    else if (strcmp(a, "--scale") == 0)
        o->gen.scale = strtod(v, &end);
    else if (strcmp(a, "--min-time") == 0)
        o->run.min_time = strtod(v, &end);
    else if (strcmp(a, "--warmup") == 0)
        o->run.warmup = strtod(v, &end);
    else if (strcmp(a, "--iterations") == 0)
        o->run.iterations = strtoull(v, &end, 10);
    else if (strcmp(a, "--clock") == 0) {
        o->cpu_clock = strcmp(v, "cpu") == 0;
        return o->cpu_clock || strcmp(v, "wall") == 0 ? 1 : -1;
    } else if (strcmp(a, "--repeat") == 0)
        o->repeat = (unsigned)strtoul(v, &end, 10);
    else if (strcmp(a, "--rounds") == 0)
        o->run.rounds = (unsigned)strtoul(v, &end, 10);
    else if (strcmp(a, "--class") == 0)
        return parse_classes(o, v) == 0 ? 1 : -1;
    else if (strcmp(a, "--dir") == 0) {
        bool dec = strcmp(v, "decode") == 0, enc = strcmp(v, "encode") == 0;
        o->want_dir[0] = dec;
        o->want_dir[1] = enc;
        o->dir_arg = v;
        return dec || enc ? 1 : -1;
    } else if (strcmp(a, "--node") == 0)
        o->node = v;
    else if (strcmp(a, "--ref-dir") == 0)
        o->ref_dir = v;
    else if (strcmp(a, "--ref-arg") == 0 && o->n_ref_args < MAX_REF_ARGS)
        o->ref_args[o->n_ref_args++] = v;
    else
        return 0;
    return end && (*end || end == v) ? -1 : 1;
}

static int parse_cli(struct cli *o, int argc, char **argv)
{
    *o = (struct cli){.corpus = "siospec-bench.corpus",
                      .compare = -1,
                      .node = "node",
                      .ref_dir = BENCH_SOURCE_DIR};
    o->gen = (struct bench_gen_opts){BENCH_DEFAULT_SEED, 1.0};
    o->run = (struct bench_run_opts){2.0, 0.5, 0, 5};
    for (int c = 0; c < BC_COUNT; c++)
        o->want[c] = true;
    o->want_dir[0] = o->want_dir[1] = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--generate") == 0)
            o->generate = true;
        else if (strcmp(a, "--gen-only") == 0)
            o->generate = o->gen_only = true;
        else if (strcmp(a, "--raw") == 0)
            o->raw = true;
        else if (strcmp(a, "--compare") == 0 || strcmp(a, "--no-compare") == 0)
            o->compare = a[2] == 'c';
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else {
            int r = i + 1 < argc ? parse_valued(o, a, argv[i + 1]) : 0;
            if (r <= 0) {
                fprintf(stderr, "codec_bench: bad or unknown option %s\n", a);
                usage(stderr);
                return -1;
            }
            i++;
        }
    }
    return 0;
}

/* CLOCK_MONOTONIC (wall time) by default; --clock cpu switches to the
 * process CPU time, which other load on the machine barely disturbs. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs timed passes for at least |secs| seconds, or exactly |iters| passes. */
static int timed_round(struct bench_corpus *c, int cls, int dir, double secs, uint64_t iters,
                       struct bench_fig *f)
{
    int (*pass)(struct bench_corpus *, int, uint64_t *, uint64_t *) =
        dir ? bench_encode_pass : bench_decode_pass;
    *f = (struct bench_fig){0};
    double t0 = bench_now();
    for (;;) {
        if (pass(c, cls, &f->pkts, &f->bytes) != 0)
            return -1;
        f->passes++;
        f->seconds = bench_now() - t0;
        if (iters ? f->passes >= iters : f->seconds >= secs)
            break;
    }
    f->valid = 1;
    return 0;
}

/* Measures one class in one direction into |f|: the warm-up, then
 * |rounds| rounds of min_time / rounds seconds each, keeping the fastest
 * (the least disturbed by other work on the machine). With |iterations|
 * it is a single round of exactly that many passes. */
static int measure(struct bench_corpus *c, int cls, int dir, const struct bench_run_opts *ro,
                   struct bench_fig *f)
{
    struct bench_fig w;
    if (timed_round(c, cls, dir, ro->warmup, 0, &w) != 0)
        return -1;
    unsigned rounds = ro->iterations || ro->rounds == 0 ? 1 : ro->rounds;
    *f = (struct bench_fig){0};
    for (unsigned i = 0; i < rounds; i++) {
        struct bench_fig r;
        if (timed_round(c, cls, dir, ro->min_time / rounds, ro->iterations, &r) != 0)
            return -1;
        if (!f->valid || (double)r.bytes / r.seconds > (double)f->bytes / f->seconds)
            *f = r;
    }
    return 0;
}

/* Prepares, checks and measures class |cls| on the codec side. */
static int run_codec(struct bench_corpus *c, const struct cli *o, int cls, struct bench_results *r)
{
    fprintf(stderr, "codec: %s: prepare and check\n", bench_class_name(cls));
    int rc = bench_prep(c, cls);
    for (int dir = 0; rc == 0 && dir < 2; dir++) {
        if (!o->want_dir[dir])
            continue;
        fprintf(stderr, "codec: %s: %s\n", bench_class_name(cls), dir ? "encode" : "decode");
        rc = measure(c, cls, dir, &o->run, &r->c[cls][dir]);
    }
    bench_unprep(c, cls);
    return rc;
}

static bool have_node(const char *node)
{
    if (strchr(node, '/'))
        return access(node, X_OK) == 0;
    const char *path = getenv("PATH");
    char buf[4096];
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, node);
        if (n && access(buf, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

/* Runs the reference side on class |cls| with the same options. */
static int run_reference(const struct cli *o, int cls, struct bench_results *r)
{
    char script[4096], mt[32], wu[32], it[32], ro[32];
    snprintf(script, sizeof script, "%s/ref_bench.js", o->ref_dir);
    snprintf(mt, sizeof mt, "%g", o->run.min_time);
    snprintf(wu, sizeof wu, "%g", o->run.warmup);
    snprintf(it, sizeof it, "%llu", (unsigned long long)o->run.iterations);
    snprintf(ro, sizeof ro, "%u", o->run.rounds);
    const char *argv[16 + MAX_REF_ARGS];
    int n = 0;
    argv[n++] = o->node;
    argv[n++] = script;
    argv[n++] = "--corpus";
    argv[n++] = o->corpus;
    argv[n++] = "--min-time";
    argv[n++] = mt;
    argv[n++] = "--warmup";
    argv[n++] = wu;
    argv[n++] = "--iterations";
    argv[n++] = it;
    argv[n++] = "--rounds";
    argv[n++] = ro;
    argv[n++] = "--clock";
    argv[n++] = o->cpu_clock ? "cpu" : "wall";
    argv[n++] = "--class";
    argv[n++] = bench_class_name(cls);
    if (o->dir_arg) {
        argv[n++] = "--dir";
        argv[n++] = o->dir_arg;
    }
    for (int i = 0; i < o->n_ref_args; i++)
        argv[n++] = o->ref_args[i];
    argv[n] = NULL;
    fprintf(stderr, "reference: %s: %s %s\n", bench_class_name(cls), o->node, script);
    return bench_ref_run((char *const *)argv, r);
}

static void cpu_model(char *out, size_t n)
{
    snprintf(out, n, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(out, n, "%s", colon + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
}

static void print_header(const struct cli *o, const struct bench_corpus *c)
{
    char cpu[256];
    struct utsname u;
    cpu_model(cpu, sizeof cpu);
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    printf("siospec codec benchmark\n");
    printf("machine   %ld CPUs online, %s, %s %s %s\n", sysconf(_SC_NPROCESSORS_ONLN), cpu,
           u.sysname, u.release, u.machine);
#ifdef __clang__
    printf("codec     siospec %s, clang %s, %s\n", BENCH_CODEC_VERSION, __clang_version__,
           BENCH_BUILD_INFO);
#else
    printf("codec     siospec %s, gcc %s, %s\n", BENCH_CODEC_VERSION, __VERSION__,
           BENCH_BUILD_INFO);
#endif
    printf("corpus    %s: %zu records, %.1f MB, fnv1a64 %016llx\n", o->corpus, c->n_recs,
           (double)c->file_len / 1e6, (unsigned long long)c->fnv);
    if (o->run.iterations)
        printf("timing    %llu timed passes per class and direction after >= %g s warm-up\n",
               (unsigned long long)o->run.iterations, o->run.warmup);
    else
        printf("timing    >= %g s warm-up, then %u rounds of >= %g s per class and direction, "
               "fastest shown; %s time; best of %u run(s); MB = 10^6 B\n",
               o->run.warmup, o->run.rounds ? o->run.rounds : 1,
               o->run.min_time / (o->run.rounds ? o->run.rounds : 1),
               o->cpu_clock ? "process CPU" : "wall", o->repeat ? o->repeat : 1);
}

static double mbps(const struct bench_fig *f)
{
    return (double)f->bytes / f->seconds / 1e6;
}

static double pps(const struct bench_fig *f)
{
    return (double)f->pkts / f->seconds;
}

/* Warns when the two sides did not handle the same work per pass. */
static void check_same_work(int cls, int dir, const struct bench_fig *a, const struct bench_fig *b)
{
    if (a->bytes / a->passes == b->bytes / b->passes && a->pkts / a->passes == b->pkts / b->passes)
        return;
    printf("note: %s %s: reference handled %llu B / %llu packets per pass, codec %llu B / %llu\n",
           bench_class_name(cls), dir ? "encode" : "decode",
           (unsigned long long)(b->bytes / b->passes), (unsigned long long)(b->pkts / b->passes),
           (unsigned long long)(a->bytes / a->passes), (unsigned long long)(a->pkts / a->passes));
}

static void print_row(int cls, int dir, const struct bench_results *r, double *worst)
{
    const struct bench_fig *a = &r->c[cls][dir], *b = &r->ref[cls][dir];
    printf("%-6s  %-14s  %-6s  %9.1f  %11.0f", dir ? "encode" : "decode", bench_class_name(cls),
           bench_class_size(cls), mbps(a), pps(a));
    if (!b->valid) {
        printf("  %9s  %11s  %7s\n", "-", "-", "-");
        return;
    }
    double ratio = mbps(a) / mbps(b), target = bench_class_target(cls);
    printf("  %9.1f  %11.0f  %6.1fx", mbps(b), pps(b), ratio);
    if (target > 0) {
        printf("  >=%gx %s", target, ratio >= target ? "met" : "MISSED");
        double rel = ratio / target;
        if (rel < *worst)
            *worst = rel;
    }
    putchar('\n');
}

static void print_raw(const char *side, const struct bench_fig fig[BC_COUNT][2])
{
    for (int cls = 0; cls < BC_COUNT; cls++)
        for (int dir = 0; dir < 2; dir++) {
            const struct bench_fig *f = &fig[cls][dir];
            if (f->valid)
                printf("%s result class=%s dir=%s passes=%llu seconds=%.6f bytes=%llu "
                       "packets=%llu\n",
                       side, bench_class_name(cls), dir ? "encode" : "decode",
                       (unsigned long long)f->passes, f->seconds, (unsigned long long)f->bytes,
                       (unsigned long long)f->pkts);
        }
}

static void print_table(const struct cli *o, const struct bench_results *r)
{
    printf("reference %s\n\n", r->ref_ran ? r->ref_versions : "not run");
    printf("%-6s  %-14s  %-6s  %9s  %11s  %9s  %11s  %7s  %s\n", "dir", "class", "size", "C MB/s",
           "C pkts/s", "ref MB/s", "ref pkts/s", "ratio", "target");
    double worst = 1e9;
    for (int dir = 0; dir < 2; dir++)
        for (int cls = 0; cls < BC_COUNT; cls++)
            if (r->c[cls][dir].valid)
                print_row(cls, dir, r, &worst);
    for (int dir = 0; dir < 2; dir++)
        for (int cls = 0; cls < BC_COUNT; cls++)
            if (r->c[cls][dir].valid && r->ref[cls][dir].valid)
                check_same_work(cls, dir, &r->c[cls][dir], &r->ref[cls][dir]);
    if (r->ref_ran && worst < 1e9)
        printf("\ntargets   %s\n", worst >= 1.0 ? "all met" : "MISSED (see the target column)");
    if (o->raw) {
        putchar('\n');
        print_raw("C", r->c);
        print_raw("REF", r->ref);
    }
}

/* Keeps in |best| whichever of |best| and |f| is faster. */
static void keep_best(struct bench_fig *best, const struct bench_fig *f)
{
    if (f->valid &&
        (!best->valid || (double)f->bytes / f->seconds > (double)best->bytes / best->seconds))
        *best = *f;
}

/* One comparison over every wanted class: class by class, each side right
 * after the other, so that a change in the machine's load between classes
 * hits both sides alike. Figures are merged into |r| (best so far). */
static int run_all(struct bench_corpus *c, const struct cli *o, struct bench_results *r,
                   bool *ref_ok)
{
    for (int cls = 0; cls < BC_COUNT; cls++) {
        if (!o->want[cls])
            continue;
        struct bench_results t;
        memset(&t, 0, sizeof t);
        if (run_codec(c, o, cls, &t) != 0)
            return -1;
        if (o->compare && run_reference(o, cls, &t) != 0)
            *ref_ok = false;
        memcpy(r->ref_versions, t.ref_versions, sizeof r->ref_versions);
        for (int dir = 0; dir < 2; dir++) {
            keep_best(&r->c[cls][dir], &t.c[cls][dir]);
            keep_best(&r->ref[cls][dir], &t.ref[cls][dir]);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct cli o;
    if (parse_cli(&o, argc, argv) != 0)
        return 2;
    if (o.cpu_clock)
        bench_clock = CLOCK_PROCESS_CPUTIME_ID;
    if (o.generate || access(o.corpus, R_OK) != 0) {
        fprintf(stderr, "codec_bench: writing corpus %s (seed %#llx, scale %g)\n", o.corpus,
                (unsigned long long)o.gen.seed, o.gen.scale);
        if (bench_gen_corpus(o.corpus, &o.gen) != 0)
            return 1;
        if (o.gen_only)
            return 0;
    }
    static struct bench_corpus c;
    static struct bench_results r;
    if (bench_corpus_load(&c, o.corpus) != 0)
        return 1;
    print_header(&o, &c);
    fflush(stdout);
    if (o.compare < 0) {
        char nm[4096];
        snprintf(nm, sizeof nm, "%s/node_modules", o.ref_dir);
        o.compare = have_node(o.node) && access(nm, R_OK) == 0;
    }
    int rc = 0;
    bool ref_ok = o.compare;
    for (unsigned rep = 0; rc == 0 && rep < (o.repeat ? o.repeat : 1); rep++)
        rc = run_all(&c, &o, &r, &ref_ok);
    bench_corpus_free(&c);
    r.ref_ran = ref_ok;
    if (o.compare && !ref_ok)
        rc = -1;
    print_table(&o, &r);
    return rc == 0 ? 0 : 1;
}
