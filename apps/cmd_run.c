/*
 * cmd_run.c - `siospec run`, `siospec list` and `siospec coverage`: the
 * command lines of the conformance catalogue. Parsing only: scheduling,
 * verdicts, baselines and the result live in cases/ (ck_run.h).
 *
 * Exit status of run: 0 every case as expected, 1 some FAIL / ERROR /
 * XPASS (or the run was interrupted), 2 usage error, 3 the target could not
 * be started or reached.
 */
#include "cli.h"

#include "cases/ck_run.h"
#include "harness/hx_net.h"
#include "harness/hx_target.h"
#include "reports/rpt.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SIOSPEC_TARGETS_DIR
#define SIOSPEC_TARGETS_DIR "harness/targets"
#endif
#ifndef SIOSPEC_SPEC_TABLE
#define SIOSPEC_SPEC_TABLE "cases/spec"
#endif

enum { RUN_UNREACHABLE = 3, MAX_GLOBS = 64, DEFAULT_JOBS = 16 };

static const char run_help[] =
    "usage: siospec run (--target NAME | --url URL) [options]\n"
    "       siospec run --list-targets\n\n"
    "Runs the conformance catalogue against one server and prints one verdict per case\n"
    "and transport: PASS, FAIL (a MUST broken), NON-STRICT (a SHOULD broken), INFO,\n"
    "SKIP (the target lacks a capability), ERROR (siospec could not judge), XFAIL /\n"
    "XPASS (a baseline entry still failing / now passing).\n\n"
    "  --target NAME          a bundled target (harness/targets/NAME.json) or a\n"
    "                         description file; started on a free 127.0.0.1 port.\n"
    "                         Its known deviations are its baseline.\n"
    "  --url URL              a server you started, e.g. http://127.0.0.1:3000\n"
    "  --path P               endpoint path with --url (default /socket.io/, or\n"
    "                         /engine.io/ with --echo)\n"
    "  --eio 3|4              only cases of this Engine.IO revision; with --url also\n"
    "                         the revision the server speaks (default 4)\n"
    "  --sio 4|5              with --url: the Socket.IO revision (default 5, or 4 with\n"
    "                         --eio 3)\n"
    "  --echo                 with --url: an Engine.IO-only echo server\n"
    "  --profile P            with --url: the server has profile P (eio3, recovery,\n"
    "                         cookie); repeatable\n"
    "  -j N, --jobs N         cases run at once (default 16)\n"
    "  --filter GLOB          only case ids matching GLOB; repeatable\n"
    "  --exclude GLOB         leave out case ids matching GLOB; repeatable\n"
    "  --baseline FILE        known deviations (\"<id glob> <reason>\" lines)\n"
    "  --write-baseline FILE  write today's FAIL/NON-STRICT/ERROR ids as a baseline\n"
    "  --seed N               seed for keys, masks and ids (default 1)\n"
    "  --timeout-scale X      multiply every time window by X (default 1)\n"
    "  --json FILE            write the canonical JSON result\n"
    "  --junit FILE           write a JUnit XML report (one testsuite per group)\n"
    "  --md FILE              write a Markdown summary for a CI job (under 1 MiB)\n"
    "  --html FILE            write a self-contained HTML report\n"
    "  --transcripts DIR      write DIR/<id>.txt and DIR/<id>.jsonl wire logs\n"
    "  --report DIR           write all of them: DIR/result.json, DIR/junit.xml,\n"
    "                         DIR/summary.md, DIR/report.html, DIR/transcripts/\n"
    "                         (every report is rendered from the JSON result, as\n"
    "                         'siospec report' renders it later)\n"
    "  --targets-dir DIR      where bundled target descriptions live\n"
    "  -q, --quiet            no progress lines\n\n"
    "Exit status: 0 every case as expected, 1 some FAIL, ERROR or XPASS (or\n"
    "interrupted, or a report could not be written), 2 usage error, 3 the target\n"
    "could not be started or reached.\n";

static const char list_help[] =
    "usage: siospec list [--filter GLOB]... [--json]\n\n"
    "Lists the catalogue: one entry per case and transport, with its stable id,\n"
    "level, protocol and title (--json: {\"cases\": [...]} with every field).\n";

static const char coverage_help[] =
    "usage: siospec coverage [--table FILE|DIR] [--json] [--check [--max-open N]]\n\n"
    "Counts the spec statements (cases/spec/*.tsv) that cases check, per\n"
    "document and section. --check exits 1 when a statement has neither a case nor\n"
    "a written reason why none can exist, or when a case names an unknown statement;\n"
    "--max-open N tolerates N such open statements (a ratchet).\n";

struct run_cfg {
    const char *target, *targets_dir, *url, *path, *json, *report, *baseline, *write_baseline;
    const char *junit, *md, *html, *transcripts;
    int eio, sio;
    bool echo, quiet, list_targets;
    unsigned profiles, jobs;
    uint64_t seed;
    double scale;
    const char *filters[MAX_GLOBS], *excludes[MAX_GLOBS];
    size_t nfilters, nexcludes;
};

static int opt_u64(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = v ? strtoull(v, &end, 10) : 0;
    if (!v || errno || end == v || *end || v[0] == '-' || x > max)
        return -1;
    *out = x;
    return 0;
}

static int add_glob(const char **arr, size_t *n, const char *v)
{
    if (!v || *n == MAX_GLOBS)
        return -1;
    arr[(*n)++] = v;
    return 0;
}

static int parse_value(struct run_cfg *c, const char *a, const char *v)
{
    uint64_t x;
    if (!strcmp(a, "--target"))
        c->target = v;
    else if (!strcmp(a, "--targets-dir"))
        c->targets_dir = v;
    else if (!strcmp(a, "--url"))
        c->url = v;
    else if (!strcmp(a, "--path"))
        c->path = v;
    else if (!strcmp(a, "--json"))
        c->json = v;
    else if (!strcmp(a, "--report"))
        c->report = v;
    else if (!strcmp(a, "--junit"))
        c->junit = v;
    else if (!strcmp(a, "--md"))
        c->md = v;
    else if (!strcmp(a, "--html"))
        c->html = v;
    else if (!strcmp(a, "--transcripts"))
        c->transcripts = v;
    else if (!strcmp(a, "--baseline"))
        c->baseline = v;
    else if (!strcmp(a, "--write-baseline"))
        c->write_baseline = v;
    else if (!strcmp(a, "--filter"))
        return add_glob(c->filters, &c->nfilters, v);
    else if (!strcmp(a, "--exclude"))
        return add_glob(c->excludes, &c->nexcludes, v);
    else if (!strcmp(a, "--eio"))
        return (c->eio = cli_parse_version(v, 3, 4)) < 0 ? -1 : 0;
    else if (!strcmp(a, "--sio"))
        return (c->sio = cli_parse_version(v, 4, 5)) < 0 ? -1 : 0;
    else if (!strcmp(a, "--profile")) {
        unsigned bit = 0;
        for (unsigned b = 1; b <= HX_TARGET_PROFILE_COOKIE; b <<= 1)
            if (v && !strcmp(v, hx_target_profile_name(b)))
                bit = b;
        if (!bit)
            return -1;
        c->profiles |= bit;
    } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
        if (opt_u64(v, 256, &x) < 0 || x == 0)
            return -1;
        c->jobs = (unsigned)x;
    } else if (!strcmp(a, "--seed"))
        return opt_u64(v, UINT64_MAX, &c->seed);
    else if (!strcmp(a, "--timeout-scale")) {
        char *end;
        c->scale = v ? strtod(v, &end) : 0;
        if (!v || *end || !(c->scale >= 0.1 && c->scale <= 100))
            return -1;
    } else
        return -2;
    return v ? 0 : -1;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_run_args(int argc, char **argv, struct run_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->scale = 1.0;
    c->jobs = DEFAULT_JOBS;
    c->targets_dir =
        getenv("SIOSPEC_TARGETS_DIR") ? getenv("SIOSPEC_TARGETS_DIR") : SIOSPEC_TARGETS_DIR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(run_help, stdout);
            return 1;
        }
        bool *flag = !strcmp(a, "--echo")                                   ? &c->echo
                     : !strcmp(a, "--quiet") || !strcmp(a, "-q")            ? &c->quiet
                     : !strcmp(a, "--list-targets") || !strcmp(a, "--list") ? &c->list_targets
                                                                            : NULL;
        if (flag) {
            *flag = true;
            continue;
        }
        int rc = parse_value(c, a, v);
        if (rc == -2) {
            fprintf(stderr, "siospec run: unknown option '%s' (see --help)\n", a);
            return -1;
        }
        if (rc < 0) {
            fprintf(stderr, "siospec run: invalid or missing value for %s\n", a);
            return -1;
        }
        i++;
    }
    if (c->list_targets)
        return 0;
    if (!!c->target + !!c->url != 1) {
        fprintf(stderr,
                "siospec run: give exactly one of --target NAME or --url URL (see --help)\n");
        return -1;
    }
    if (c->target && (c->echo || c->profiles || c->sio || c->path)) {
        fprintf(stderr, "siospec run: --echo, --profile, --sio and --path go with --url only\n");
        return -1;
    }
    if (c->url && strncmp(c->url, "http://", 7) != 0) {
        fprintf(stderr, "siospec run: --url must start with http://\n");
        return -1;
    }
    return 0;
}

static int has_json_suffix(const char *n)
{
    size_t l = strlen(n);
    return l > 5 && !strcmp(n + l - 5, ".json");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_targets(const struct run_cfg *c)
{
    DIR *dir = opendir(c->targets_dir);
    if (!dir) {
        fprintf(stderr, "siospec run: cannot open targets dir %s: %s\n", c->targets_dir,
                strerror(errno));
        return CLI_USAGE;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n < 256)
        if (has_json_suffix(e->d_name))
            names[n++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, n, sizeof names[0], cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", c->targets_dir, names[i]);
        struct hx_target_desc *d = NULL;
        struct hx_target_diag diag = {{0}};
        if (hx_target_desc_load(&d, path, &diag) == HX_TARGET_OK)
            printf("%-16s %s\n", d->name, d->summary ? d->summary : "");
        else
            printf("%-16s (invalid: %s)\n", names[i], diag.msg);
        hx_target_desc_del(d);
        free(names[i]);
    }
    return CLI_OK;
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

/* The canonical result as one buffer: the bytes every output is made of. */
static int result_json(const struct ck_run_opts *o, const struct ck_result *res, char **buf,
                       size_t *len)
{
    *buf = NULL;
    *len = 0;
    FILE *f = open_memstream(buf, len);
    if (!f)
        return -1;
    int rc = ck_result_write_json(o, res, f);
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

/* Writes |json| (or, when it could not be built in memory, the result
 * straight from |res|) to |path|. */
static int write_json_file(const char *path, const char *json, size_t len,
                           const struct ck_run_opts *o, const struct ck_result *res)
{
    FILE *f = fopen(path, "w");
    if (!f || (json ? fwrite(json, 1, len, f) != len : ck_result_write_json(o, res, f) != 0)) {
        fprintf(stderr, "siospec run: cannot write %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "siospec run: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void print_summary(const struct ck_result *res, const struct ck_run_opts *o)
{
    printf("== %s: %zu cases run in %llu ms (sum of case times %llu ms, longest %llu ms: %s)\n",
           o->target.name, res->n, (unsigned long long)res->wall_ms,
           (unsigned long long)res->sum_ms, (unsigned long long)res->longest_ms,
           res->longest_id ? res->longest_id : "-");
    printf("==");
    for (int v = 0; v < CK_V_COUNT; v++)
        if (res->count[v])
            printf(" %s %zu", ck_verdict_name((enum ck_verdict)v), res->count[v]);
    printf("\n");
    if (res->target_note[0])
        printf("== target: %s\n", res->target_note);
    if (res->restarts)
        printf("== the server was restarted %u time(s) after dying\n", res->restarts);
    if (res->partial)
        printf("== interrupted: the result is partial\n");
}

int cmd_run(int argc, char **argv)
{
    struct run_cfg c;
    int a = parse_run_args(argc, argv, &c);
    if (a != 0)
        return a > 0 ? CLI_OK : CLI_USAGE;
    if (c.list_targets)
        return list_targets(&c);

    struct hx_target_desc *desc = NULL;
    struct hx_target_diag diag = {{0}};
    struct ck_run_opts o = {.only_eio = c.eio,
                            .jobs = c.jobs,
                            .filters = c.filters,
                            .nfilters = c.nfilters,
                            .excludes = c.excludes,
                            .nexcludes = c.nexcludes,
                            .seed = c.seed,
                            .timeout_scale = c.scale,
                            .tool_version = SIOSPEC_VERSION};
    if (c.target) {
        char path[4096];
        if (strchr(c.target, '/') || has_json_suffix(c.target))
            snprintf(path, sizeof path, "%s", c.target);
        else
            snprintf(path, sizeof path, "%s/%s.json", c.targets_dir, c.target);
        if (hx_target_desc_load(&desc, path, &diag) != HX_TARGET_OK) {
            fprintf(stderr, "siospec run: cannot load target %s: %s\n", c.target, diag.msg);
            return CLI_USAGE;
        }
        o.target = (struct ck_target){.name = desc->name,
                                      .desc = desc,
                                      .path = desc->path,
                                      .eio = desc->eio,
                                      .sio = desc->sio,
                                      .profiles = desc->profiles};
    } else {
        int eio = c.eio ? c.eio : 4;
        int sio = c.echo ? 0 : c.sio ? c.sio : (eio == 3 ? 4 : 5);
        unsigned eio_bits = 1u << eio;
        if (c.profiles & HX_TARGET_PROFILE_EIO3)
            eio_bits |= 1u << 3;
        o.target = (struct ck_target){.name = c.url,
                                      .url = c.url,
                                      .path = c.path   ? c.path
                                              : c.echo ? "/engine.io/"
                                                       : "/socket.io/",
                                      .eio = eio_bits,
                                      .sio = sio ? (1u << sio) : 0,
                                      .profiles = c.profiles};
        if (sio == 4 && eio == 4)
            o.target.sio |= 1u << 5;
    }

    struct ck_baseline bl = {0};
    char err[512];
    if (c.baseline && ck_baseline_load(&bl, c.baseline, err, sizeof err) < 0) {
        fprintf(stderr, "siospec run: %s\n", err);
        hx_target_desc_del(desc);
        return CLI_USAGE;
    }
    if (desc && ck_baseline_add_target(&bl, desc) < 0) {
        fprintf(stderr, "siospec run: out of memory\n");
        ck_baseline_free(&bl);
        hx_target_desc_del(desc);
        return CLI_USAGE;
    }
    o.baseline = &bl;
    struct cli_reports reps = {
        .junit = c.junit, .md = c.md, .html = c.html, .transcripts = c.transcripts};
    cli_reports_defaults(&reps, c.report);
    if (c.report && cli_mkdir_p(c.report) != 0) {
        fprintf(stderr, "siospec run: cannot create %s: %s\n", c.report, strerror(errno));
        ck_baseline_free(&bl);
        hx_target_desc_del(desc);
        return CLI_USAGE;
    }
    if (!c.quiet) {
        o.progress = stdout;
        o.tty = isatty(STDOUT_FILENO);
        o.color = o.tty && !getenv("NO_COLOR");
    }
    if (hx_net_global_init() != HX_OK) {
        fprintf(stderr, "siospec run: cannot initialise the network layer\n");
        ck_baseline_free(&bl);
        hx_target_desc_del(desc);
        return RUN_UNREACHABLE;
    }
    /* Ctrl-C: stop starting cases, finish the running ones, stop the
     * server and still write the (partial) result. */
    atexit(hx_target_stop_all);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    if (o.progress)
        printf("== %s: running the catalogue (%s)\n", o.target.name,
               desc ? (desc->summary ? desc->summary : desc->name) : "server started by the user");
    struct ck_result res;
    ck_run(&o, &res);
    int status = ck_result_exit(&res);
    if (res.unreachable)
        fprintf(stderr, "siospec run: the target could not be started or reached: %s\n",
                res.target_note);
    else
        print_summary(&res, &o);

    /* The JSON result first, so a report that fails never costs it; then
     * every report rendered from that same document. */
    char *json = NULL;
    size_t json_len = 0;
    bool reports = cli_reports_any(&reps);
    if ((c.json || c.report || reports) && result_json(&o, &res, &json, &json_len) != 0) {
        fprintf(stderr, "siospec run: cannot build the JSON result in memory (%s): no reports\n",
                strerror(errno));
        status = status ? status : CLI_INVALID;
        reports = false;
    }
    char report_json[4096] = "";
    if (c.report) {
        size_t dl = strlen(c.report);
        while (dl > 1 && c.report[dl - 1] == '/')
            dl--;
        snprintf(report_json, sizeof report_json, "%.*s/result.json", (int)dl, c.report);
    }
    const char *json_paths[] = {c.json, c.report ? report_json : NULL};
    for (size_t i = 0; i < 2; i++) {
        if (!json_paths[i])
            continue;
        if (write_json_file(json_paths[i], json, json_len, &o, &res) < 0)
            status = status ? status : CLI_INVALID;
        else if (i == 1)
            printf("== result written to %s\n", report_json);
    }
    struct rpt_result *doc = NULL;
    if (reports) {
        char why[512];
        fflush(stdout);
        if (rpt_load(&doc, json, json_len, why, sizeof why) != 0) {
            fprintf(stderr, "siospec run: cannot read back the JSON result: %s\n", why);
            status = status ? status : CLI_INVALID;
        }
    }
    /* Reports are written before the closing lines; where they are is
     * printed after them, the HTML report on the very last line. */
    FILE *where = NULL;
    char *where_buf = NULL;
    size_t where_len = 0;
    if (doc) {
        where = open_memstream(&where_buf, &where_len);
        if (cli_reports_render("siospec run", doc, &reps, where ? where : stdout) != 0)
            status = status ? status : CLI_INVALID;
        if (where)
            fclose(where);
    }
    rpt_free(doc);
    free(json);
    if (c.write_baseline) {
        FILE *f = fopen(c.write_baseline, "w");
        if (!f || ck_result_write_baseline(&res, f, o.target.name) != 0) {
            fprintf(stderr, "siospec run: cannot write %s: %s\n", c.write_baseline,
                    strerror(errno));
            status = status ? status : CLI_INVALID;
        }
        if (f)
            fclose(f);
    }
    int verdicts = ck_result_exit(&res);
    if (!res.unreachable)
        printf("== result: %s%s\n",
               verdicts == 0 ? "every case as expected"
               : res.partial ? "interrupted (partial result)"
                             : "FAIL (some case failed, errored or xpassed)",
               status != verdicts ? "; some output could not be written (errors above)" : "");
    if (where_buf)
        fputs(where_buf, stdout);
    free(where_buf);
    ck_result_free(&res);
    ck_baseline_free(&bl);
    hx_target_desc_del(desc);
    hx_net_global_cleanup();
    return status;
}

/* ---- siospec list --------------------------------------------------------- */

int cmd_list(int argc, char **argv)
{
    const char *filters[MAX_GLOBS];
    size_t nf = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(list_help, stdout);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--filter") && i + 1 < argc && nf < MAX_GLOBS) {
            filters[nf++] = argv[++i];
        } else {
            fprintf(stderr, "siospec list: unknown or incomplete option '%s' (see --help)\n",
                    argv[i]);
            return CLI_USAGE;
        }
    }
    struct ck_entry *all = NULL;
    size_t n = ck_catalogue(&all), k = 0;
    for (size_t i = 0; i < n; i++)
        if (ck_glob_any(all[i].id, filters, nf))
            all[k++] = all[i];
    int rc = CLI_OK;
    if (json) {
        rc = ck_list_write_json(all, k, stdout) == 0 ? CLI_OK : CLI_INVALID;
    } else {
        for (size_t i = 0; i < k; i++)
            printf("%-60s %-6s %-4s %s\n", all[i].id, ck_level_name(all[i].cs->level),
                   ck_proto_name(all[i].cs->proto), all[i].cs->title);
        fprintf(stderr, "%zu entries\n", k);
    }
    free(all);
    return rc;
}

/* ---- siospec coverage ------------------------------------------------------ */

int cmd_coverage(int argc, char **argv)
{
    const char *table =
        getenv("SIOSPEC_SPEC_TABLE") ? getenv("SIOSPEC_SPEC_TABLE") : SIOSPEC_SPEC_TABLE;
    bool json = false, check = false;
    long max_open = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(coverage_help, stdout);
            return CLI_OK;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--check")) {
            check = true;
        } else if (!strcmp(argv[i], "--table") && i + 1 < argc) {
            table = argv[++i];
        } else if (!strcmp(argv[i], "--max-open") && i + 1 < argc) {
            char *end;
            max_open = strtol(argv[++i], &end, 10);
            if (*end || max_open < 0) {
                fprintf(stderr, "siospec coverage: --max-open takes a count\n");
                return CLI_USAGE;
            }
        } else {
            fprintf(stderr, "siospec coverage: unknown or incomplete option '%s' (see --help)\n",
                    argv[i]);
            return CLI_USAGE;
        }
    }
    return ck_coverage(table, json, check, max_open, stdout, stderr);
}
