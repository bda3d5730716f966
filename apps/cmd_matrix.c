/*
 * cmd_matrix.c - `siospec matrix`: runs the catalogue against several
 * bundled targets, one after another, and writes each target's result and
 * reports plus the cross-server matrix. Running is the runner's job
 * (cases/ck_run.h), rendering the reports' (reports/rpt.h, rpt_matrix.h);
 * this file only connects them.
 *
 *   OUT/<target>/result.json     the canonical result
 *   OUT/<target>/report.html     its HTML report (the matrix cells link here)
 *   OUT/<target>/junit.xml       JUnit
 *   OUT/<target>/summary.md      the Markdown job summary
 *   OUT/<target>/transcripts/    per-case wire logs
 *                                (the names of `siospec run --report DIR`)
 *   OUT/<target>.json            compact summary: verdicts only
 *   OUT/matrix.json, OUT/matrix.md, OUT/matrix.html
 *
 * Exit status: 0 every target was judged (whatever its verdicts), 1 some
 * target could not be judged (not installed, did not start, unreachable,
 * or the run was interrupted), 2 usage error.
 */
#include "cli.h"

#include "cases/ck_run.h"
#include "harness/hx_net.h"
#include "harness/hx_target.h"
#include "reports/rpt.h"
#include "reports/rpt_matrix.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SIOSPEC_TARGETS_DIR
#define SIOSPEC_TARGETS_DIR "harness/targets"
#endif
#ifndef SIOSPEC_VERSION
#define SIOSPEC_VERSION "0.1.0"
#endif

enum { MAX_TARGETS = 128, DEFAULT_JOBS = 16 };

/* Bundled targets left out by default: known-vulnerable controls for the
 * live fuzzer, not servers anyone would choose. */
static const char control_glob[] = "*-vuln";

static const char matrix_help[] =
    "usage: siospec matrix [--targets a,b,...] [--out DIR] [options]\n\n"
    "Runs the conformance catalogue against several bundled targets, one after\n"
    "another, and writes each target's result and reports to DIR/<target>/ and the\n"
    "cross-server matrix (targets x cases, one cell per verdict) to DIR/matrix.json,\n"
    "DIR/matrix.md and DIR/matrix.html.\n\n"
    "  --targets a,b,...      the targets (names in the targets dir, or description\n"
    "                         files); default: every bundled target except the\n"
    "                         known-vulnerable controls (names ending in -vuln)\n"
    "  --out DIR              where to write (default matrix-out)\n"
    "  -j N, --jobs N         cases run at once against each target (default 16)\n"
    "  --seed N               seed for keys, masks and ids (default 1)\n"
    "  --timeout-scale X      multiply every time window by X (default 1)\n"
    "  --targets-dir DIR      where bundled target descriptions live\n"
    "  --no-run               run nothing: render the reports and the matrix again\n"
    "                         from the results already in DIR/<target>/result.json\n\n"
    "Exit status: 0 every target was judged (failing cases are the targets'\n"
    "findings), 1 some target could not be judged (not installed, did not start,\n"
    "or interrupted), 2 usage error.\n";

struct matrix_cfg {
    const char *targets_dir, *out;
    char *names[MAX_TARGETS];
    size_t n;
    unsigned jobs;
    uint64_t seed;
    double scale;
    bool no_run;
};

static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = v ? strtoull(v, &end, 10) : 0;
    if (!v || errno || end == v || *end || v[0] == '-' || x > max)
        return -1;
    *out = x;
    return 0;
}

static bool valid_name(const char *s)
{
    return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_.") == strlen(s) && s[0] != '.';
}

/* The column name of a --targets entry: a description file's stem, or the
 * name itself. */
static char *target_name(const char *arg)
{
    const char *base = strrchr(arg, '/');
    base = base ? base + 1 : arg;
    size_t l = strlen(base);
    if (l > 5 && !strcmp(base + l - 5, ".json"))
        l -= 5;
    return strndup(base, l);
}

static int add_targets(struct matrix_cfg *c, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return -1;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!*t)
            continue;
        if (c->n == MAX_TARGETS) {
            free(copy);
            return -1;
        }
        c->names[c->n++] = strdup(t);
    }
    free(copy);
    return c->n ? 0 : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every description in the targets dir except the controls, by name. */
static int default_targets(struct matrix_cfg *c)
{
    DIR *dir = opendir(c->targets_dir);
    if (!dir) {
        fprintf(stderr, "siospec matrix: cannot open targets dir %s: %s\n", c->targets_dir,
                strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(dir)) && c->n < MAX_TARGETS) {
        size_t l = strlen(e->d_name);
        if (l <= 5 || strcmp(e->d_name + l - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        char *name = strndup(e->d_name, l - 5);
        if (name && fnmatch(control_glob, name, 0) == 0) {
            free(name);
            continue;
        }
        c->names[c->n++] = name;
    }
    closedir(dir);
    qsort(c->names, c->n, sizeof c->names[0], cmp_str);
    if (!c->n)
        fprintf(stderr, "siospec matrix: no target descriptions in %s\n", c->targets_dir);
    return c->n ? 0 : -1;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_args(int argc, char **argv, struct matrix_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->out = "matrix-out";
    c->jobs = DEFAULT_JOBS;
    c->seed = 1;
    c->scale = 1.0;
    c->targets_dir =
        getenv("SIOSPEC_TARGETS_DIR") ? getenv("SIOSPEC_TARGETS_DIR") : SIOSPEC_TARGETS_DIR;
    const char *targets = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t x;
        int bad = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(matrix_help, stdout);
            return 1;
        } else if (!strcmp(a, "--no-run")) {
            c->no_run = true;
            continue;
        } else if (!strcmp(a, "--targets")) {
            targets = v;
            bad = !v;
        } else if (!strcmp(a, "--out")) {
            c->out = v;
            bad = !v || !*v;
        } else if (!strcmp(a, "--targets-dir")) {
            c->targets_dir = v;
            bad = !v;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            bad = parse_u64(v, 256, &x) < 0 || x == 0;
            c->jobs = bad ? 0 : (unsigned)x;
        } else if (!strcmp(a, "--seed")) {
            bad = parse_u64(v, UINT64_MAX, &c->seed) < 0;
        } else if (!strcmp(a, "--timeout-scale")) {
            char *end;
            c->scale = v ? strtod(v, &end) : 0;
            bad = !v || *end || !(c->scale >= 0.1 && c->scale <= 100);
        } else {
            fprintf(stderr, "siospec matrix: unknown option '%s' (see --help)\n", a);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "siospec matrix: invalid or missing value for %s\n", a);
            return -1;
        }
        i++;
    }
    if (targets ? add_targets(c, targets) < 0 : default_targets(c) < 0) {
        if (targets)
            fprintf(stderr, "siospec matrix: --targets takes a comma-separated list of at "
                            "most 128 targets\n");
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        char *name = target_name(c->names[i]);
        bool ok = name && valid_name(name);
        free(name);
        if (!ok) {
            fprintf(stderr, "siospec matrix: '%s' is not a target name\n", c->names[i]);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(c->names[i], c->names[j])) {
                fprintf(stderr, "siospec matrix: target %s given twice\n", c->names[i]);
                return -1;
            }
    }
    return 0;
}

static void on_signal(int sig)
{
    static volatile sig_atomic_t count;
    ck_run_interrupt();
    if (++count > 1) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "siospec matrix: cannot create %s: %s\n", path, strerror(errno));
    return -1;
}

/* Writes one file with |fn|. Returns 0 or -1 (a message on stderr, the
 * file removed). */
static int write_with(const char *path, int (*fn)(const struct rpt_result *, FILE *),
                      const struct rpt_result *r)
{
    FILE *f = fopen(path, "w");
    errno = 0;
    int rc = f ? fn(r, f) : -1;
    int err = errno ? errno : EIO;
    if (f && fclose(f) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc == 0)
        return 0;
    if (f)
        remove(path);
    fprintf(stderr, "siospec matrix: cannot write %s: %s\n", path, strerror(err));
    return -1;
}

static int write_json_result(const char *path, const struct ck_run_opts *o,
                             const struct ck_result *res)
{
    FILE *f = fopen(path, "w");
    int rc = f ? ck_result_write_json(o, res, f) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "siospec matrix: cannot write %s: %s\n", path, strerror(errno));
    return rc;
}

struct column {
    char *name;
    char *summary;
    struct rpt_result *r;
    char note[600];
};

/* The per-target reports, under the names `siospec run --report DIR`
 * uses (cli_reports_defaults), rendered as `siospec report` renders them.
 * Where each went is not printed: the folder is. */
static int write_reports(const char *dir, const struct rpt_result *r)
{
    struct cli_reports reps = {0};
    cli_reports_defaults(&reps, dir);
    FILE *quiet = fopen("/dev/null", "w");
    int rc = cli_reports_render("siospec matrix", r, &reps, quiet ? quiet : stderr);
    if (quiet)
        fclose(quiet);
    return rc;
}

enum { RUN_JUDGED, RUN_NOT_JUDGED, RUN_INTERRUPTED };

/* Runs the catalogue against |desc| and writes DIR/result.json. */
static int run_target(const struct matrix_cfg *c, size_t i, struct column *col,
                      const struct hx_target_desc *desc, const char *dir, const char *path)
{
    printf("running the catalogue (%s)\n", desc->summary ? desc->summary : desc->name);
    fflush(stdout);
    struct ck_baseline bl = {0};
    ck_baseline_add_target(&bl, desc);
    struct ck_run_opts o = {.target = {.name = col->name,
                                       .desc = desc,
                                       .path = desc->path,
                                       .eio = desc->eio,
                                       .sio = desc->sio,
                                       .profiles = desc->profiles},
                            .jobs = c->jobs,
                            .baseline = &bl,
                            .seed = c->seed,
                            .timeout_scale = c->scale,
                            .tool_version = SIOSPEC_VERSION};
    struct ck_result res;
    ck_run(&o, &res);
    int judged = res.partial ? RUN_INTERRUPTED : res.unreachable ? RUN_NOT_JUDGED : RUN_JUDGED;
    if (res.unreachable) {
        printf("== [%zu/%zu] %s: could not be judged: %s\n", i + 1, c->n, col->name,
               res.target_note);
        snprintf(col->note, sizeof col->note, "%s", res.target_note);
    } else {
        printf("== [%zu/%zu] %s: %zu cases in %llu ms:", i + 1, c->n, col->name, res.n,
               (unsigned long long)res.wall_ms);
        for (int v = 0; v < CK_V_COUNT; v++)
            if (res.count[v])
                printf(" %s %zu", ck_verdict_name((enum ck_verdict)v), res.count[v]);
        printf("%s\n", res.partial ? " (interrupted: partial)" : "");
        if (res.restarts)
            printf("== [%zu/%zu] %s: the server was restarted %u time(s) after dying\n", i + 1,
                   c->n, col->name, res.restarts);
    }
    fflush(stdout);
    if ((make_dir(dir) < 0 || write_json_result(path, &o, &res) < 0) && judged == RUN_JUDGED) {
        snprintf(col->note, sizeof col->note, "its result could not be written");
        judged = RUN_NOT_JUDGED;
    }
    ck_result_free(&res);
    ck_baseline_free(&bl);
    return judged;
}

/* Runs one target (unless --no-run), then renders its reports and its
 * compact summary from its result.json, as `siospec report` would. */
static int run_one(const struct matrix_cfg *c, size_t i, struct column *col)
{
    const char *arg = c->names[i];
    char path[4200], dir[4100];
    if (strchr(arg, '/') || strstr(arg, ".json"))
        snprintf(path, sizeof path, "%s", arg);
    else
        snprintf(path, sizeof path, "%s/%s.json", c->targets_dir, arg);
    struct hx_target_desc *desc = NULL;
    struct hx_target_diag diag = {{0}};
    printf("== [%zu/%zu] %s: ", i + 1, c->n, col->name);
    if (hx_target_desc_load(&desc, path, &diag) != HX_TARGET_OK) {
        snprintf(col->note, sizeof col->note, "invalid description: %s", diag.msg);
        printf("%s\n", col->note);
        fflush(stdout);
        return RUN_NOT_JUDGED;
    }
    col->summary = desc->summary ? strdup(desc->summary) : NULL;
    snprintf(dir, sizeof dir, "%s/%s", c->out, col->name);
    snprintf(path, sizeof path, "%s/result.json", dir);
    int judged = RUN_JUDGED;
    if (c->no_run) {
        printf("rendering %s\n", path);
        fflush(stdout);
    } else {
        judged = run_target(c, i, col, desc, dir, path);
    }
    hx_target_desc_del(desc);
    if (col->note[0])
        return judged;

    char err[512];
    if (rpt_load_file(&col->r, path, err, sizeof err) < 0) {
        fprintf(stderr, "siospec matrix: %s\n", err);
        snprintf(col->note, sizeof col->note, "no result: %s", err);
        return judged == RUN_INTERRUPTED ? judged : RUN_NOT_JUDGED;
    }
    if (c->no_run && judged == RUN_JUDGED && !rpt_matrix_judged(col->r))
        judged = RUN_NOT_JUDGED;
    if (write_reports(dir, col->r) < 0 && judged == RUN_JUDGED)
        judged = RUN_NOT_JUDGED;
    snprintf(path, sizeof path, "%s/%s.json", c->out, col->name);
    if (write_with(path, rpt_summary_write, col->r) < 0 && judged == RUN_JUDGED)
        judged = RUN_NOT_JUDGED;
    rpt_drop_transcripts(col->r);
    return judged;
}

static int write_matrix(const char *out, const char *file,
                        int (*fn)(const struct rpt_matrix_col *, size_t, FILE *),
                        const struct rpt_matrix_col *cols, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", out, file);
    FILE *f = fopen(path, "w");
    int rc = f ? fn(cols, n, f) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "siospec matrix: cannot write %s: %s\n", path, strerror(errno));
    return rc;
}

int cmd_matrix(int argc, char **argv)
{
    struct matrix_cfg c;
    int a = parse_args(argc, argv, &c);
    if (a != 0) {
        for (size_t i = 0; i < c.n; i++)
            free(c.names[i]);
        return a > 0 ? CLI_OK : CLI_USAGE;
    }
    /* A named target that cannot be found is a usage error, caught before
     * anything runs. */
    for (size_t i = 0; i < c.n; i++) {
        char path[4200];
        const char *arg = c.names[i];
        if (strchr(arg, '/') || strstr(arg, ".json"))
            snprintf(path, sizeof path, "%s", arg);
        else
            snprintf(path, sizeof path, "%s/%s.json", c.targets_dir, arg);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, "siospec matrix: no target %s (%s: %s)\n", arg, path, strerror(errno));
            for (size_t j = 0; j < c.n; j++)
                free(c.names[j]);
            return CLI_USAGE;
        }
    }
    int status = CLI_OK;
    struct column *cols = calloc(c.n, sizeof *cols);
    struct rpt_matrix_col *mc = calloc(c.n, sizeof *mc);
    if (!cols || !mc || make_dir(c.out) < 0 || hx_net_global_init() != HX_OK) {
        if (cols && mc)
            fprintf(stderr, "siospec matrix: cannot set up (output dir or network layer)\n");
        free(cols);
        free(mc);
        for (size_t i = 0; i < c.n; i++)
            free(c.names[i]);
        return CLI_USAGE;
    }
    atexit(hx_target_stop_all);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    bool interrupted = false;
    for (size_t i = 0; i < c.n; i++) {
        cols[i].name = target_name(c.names[i]);
        if (interrupted) {
            snprintf(cols[i].note, sizeof cols[i].note, "not run: interrupted");
            status = CLI_INVALID;
            continue;
        }
        int rc = run_one(&c, i, &cols[i]);
        if (rc != RUN_JUDGED)
            status = CLI_INVALID;
        interrupted = rc == RUN_INTERRUPTED;
    }
    for (size_t i = 0; i < c.n; i++)
        mc[i] = (struct rpt_matrix_col){
            .name = cols[i].name, .summary = cols[i].summary, .r = cols[i].r, .note = cols[i].note};
    if (write_matrix(c.out, "matrix.json", rpt_matrix_write_json, mc, c.n) < 0 ||
        write_matrix(c.out, "matrix.md", rpt_matrix_write_md, mc, c.n) < 0 ||
        write_matrix(c.out, "matrix.html", rpt_matrix_write_html, mc, c.n) < 0)
        status = CLI_INVALID;
    else
        printf("== matrix written to %s/matrix.html (and matrix.md, matrix.json)\n", c.out);
    printf("== %s\n", status == CLI_OK ? "every target judged"
                                       : "some target could not be judged (see above)");
    for (size_t i = 0; i < c.n; i++) {
        rpt_free(cols[i].r);
        free(cols[i].name);
        free(cols[i].summary);
        free(c.names[i]);
    }
    free(cols);
    free(mc);
    hx_net_global_cleanup();
    return status;
}
