/*
 * cmd_run.c - `siospec run`: start a bundled server under test (or use one
 * the user started with --url), drive it through the smoke scenario on both
 * transports for every protocol revision it serves, watch it for crashes,
 * and print what happened (optionally writing a report directory).
 *
 * Each revision run is framed by liveness probes: a server that does not
 * answer before a run makes the run ERROR (could not judge); a server that
 * died or stopped answering after it makes the run FAIL with the exit
 * status and the tail of its output, and the server is restarted.
 *
 * Exit status: 0 every step passed, 1 a step failed or the server crashed,
 * 2 usage error, 3 a run could not be judged (server did not start).
 */
#include "cli.h"

#include "harness/hx_net.h"
#include "harness/hx_smoke.h"
#include "harness/hx_target.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SIOSPEC_TARGETS_DIR
#define SIOSPEC_TARGETS_DIR "harness/targets"
#endif

enum { RUN_ERROR = 3 };

static const char run_help[] =
    "usage: siospec run --target NAME [options]\n"
    "       siospec run --url URL [--path P] [--eio 3|4] [--sio 4|5] [--echo] [options]\n"
    "       siospec run --all [options]      every bundled target in turn\n"
    "       siospec run --list               the bundled targets\n\n"
    "Drives a server through a handshake, an upgrade, a heartbeat exchange, an event\n"
    "with ack and a binary event, over HTTP long-polling and WebSocket, once per\n"
    "protocol revision the server serves, and prints each step.\n\n"
    "  --target NAME      a bundled target (harness/targets/NAME.json) or a description\n"
    "                     file path; siospec starts it on a free 127.0.0.1 port\n"
    "  --targets-dir DIR  where bundled target descriptions live\n"
    "                     (default $SIOSPEC_TARGETS_DIR or the source tree's)\n"
    "  --url URL          a server you started yourself, e.g. http://127.0.0.1:3000\n"
    "  --path P           endpoint path with --url (default /socket.io/, /engine.io/\n"
    "                     with --echo)\n"
    "  --eio 3|4, --sio 4|5  revisions with --url (default 4 and 5)\n"
    "  --echo             the --url server is an Engine.IO-only echo server\n"
    "  --step-ms N        time budget of one step (default 2000)\n"
    "  --seed S           seed for generated ids and keys (default 1)\n"
    "  --transcript       print every session's wire transcript\n"
    "  --report DIR       write run.json, summary.md and the transcripts into DIR\n\n"
    "Exit status: 0 all steps passed, 1 a step failed or the server crashed,\n"
    "2 usage error, 3 a run could not be judged (e.g. the server did not start).\n";

struct run_cfg {
    const char *target, *targets_dir, *url, *path, *report;
    int eio, sio;
    bool echo, all, list, transcript;
    uint32_t step_ms;
    uint64_t seed;
};

/* The report being built: run.json and summary.md. */
struct report {
    struct cdc_buf json, md;
    const char *sep_target, *sep_run;
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
    else if (!strcmp(a, "--report"))
        c->report = v;
    else if (!strcmp(a, "--eio"))
        return (c->eio = cli_parse_version(v, 3, 4)) < 0 ? -1 : 0;
    else if (!strcmp(a, "--sio"))
        return (c->sio = cli_parse_version(v, 4, 5)) < 0 ? -1 : 0;
    else if (!strcmp(a, "--step-ms")) {
        if (opt_u64(v, 600000, &x) < 0 || x == 0)
            return -1;
        c->step_ms = (uint32_t)x;
    } else if (!strcmp(a, "--seed"))
        return opt_u64(v, UINT64_MAX, &c->seed);
    else
        return -2;
    return v ? 0 : -1;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_run_args(int argc, char **argv, struct run_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->eio = 4;
    c->sio = 5;
    c->seed = 1;
    c->targets_dir =
        getenv("SIOSPEC_TARGETS_DIR") ? getenv("SIOSPEC_TARGETS_DIR") : SIOSPEC_TARGETS_DIR;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool *flag = !strcmp(a, "--echo")         ? &c->echo
                     : !strcmp(a, "--all")        ? &c->all
                     : !strcmp(a, "--list")       ? &c->list
                     : !strcmp(a, "--transcript") ? &c->transcript
                                                  : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(run_help, stdout);
            return 1;
        }
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
    int modes = !!c->target + !!c->url + c->all + c->list;
    if (modes != 1) {
        fprintf(stderr, "siospec run: give exactly one of --target, --url, --all, --list\n");
        return -1;
    }
    return 0;
}

static const char *tp_name(enum hx_tp tp)
{
    return tp == HX_TP_WS ? "websocket" : tp == HX_TP_POLLING ? "polling" : "none";
}

static void rpt_str(struct cdc_buf *b, const char *key, const char *val)
{
    cdc_buf_append_str(b, ",\"");
    cdc_buf_append_str(b, key);
    cdc_buf_append_str(b, "\":");
    cli_json_str(b, (const uint8_t *)val, strlen(val));
}

static void rpt_num(struct cdc_buf *b, const char *key, uint64_t v)
{
    cdc_buf_append_str(b, ",\"");
    cdc_buf_append_str(b, key);
    cdc_buf_append_str(b, "\":");
    cdc_buf_append_u64(b, v);
}

static void write_file(const char *dir, const char *name, const struct cdc_buf *b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->p, 1, b->len, f) != b->len)
        fprintf(stderr, "siospec run: cannot write %s: %s\n", path, strerror(errno));
    if (f)
        fclose(f);
}

/* Adds one revision run (its steps) to the report and writes transcripts. */
static void report_run(struct report *rp, const struct run_cfg *c, const char *target,
                       const struct hx_smoke_opts *o, const struct hx_smoke_result *r,
                       const char *verdict, const char *note)
{
    struct cdc_buf *b = &rp->json;
    cdc_buf_append_str(b, rp->sep_run);
    rp->sep_run = ",";
    cdc_buf_append_str(b, "{\"verdict\":");
    cli_json_str(b, (const uint8_t *)verdict, strlen(verdict));
    rpt_num(b, "eio", (uint64_t)o->eio);
    if (!o->eio_echo)
        rpt_num(b, "sio", (uint64_t)o->sio);
    rpt_str(b, "note", note);
    rpt_num(b, "total_ms", r ? r->total_ms : 0);
    cdc_buf_append_str(b, ",\"steps\":[");
    for (size_t i = 0; r && i < r->n; i++) {
        const struct hx_smoke_step *s = &r->steps[i];
        cdc_buf_append_str(b, i ? ",{\"run\":\"" : "{\"run\":\"");
        cdc_buf_append_str(b, tp_name(s->run));
        cdc_buf_append_byte(b, '"');
        rpt_str(b, "on", tp_name(s->on));
        rpt_str(b, "name", s->name);
        rpt_str(b, "status", s->skipped ? "skipped" : s->status == HX_OK ? "ok" : "fail");
        rpt_str(b, "reason", s->reason);
        rpt_num(b, "ms", s->elapsed_ms);
        cdc_buf_append_byte(b, '}');
    }
    cdc_buf_append_str(b, "]}");
    char line[512];
    snprintf(line, sizeof line, "| %s | EIO %d%s | %s | %u/%u/%u | %s |\n", target, o->eio,
             o->eio_echo ? " (echo)" : "", verdict, r ? r->passed : 0, r ? r->failed : 0,
             r ? r->skipped : 0, note[0] ? note : "");
    cdc_buf_append_str(&rp->md, line);
    for (int i = 0; r && c->report && i < 2; i++) {
        if (!r->tr[i])
            continue;
        struct cdc_buf t;
        cdc_buf_init(&t, 256u << 20, NULL);
        hx_transcript_format(r->tr[i], 4096, &t);
        char name[256];
        snprintf(name, sizeof name, "%s-eio%d-%s.transcript.txt", target, o->eio,
                 i ? "websocket" : "polling");
        write_file(c->report, name, &t);
        cdc_buf_free(&t);
    }
}

/* Runs the smoke scenario once and prints it. Returns the hx status. */
static int smoke_once(const struct run_cfg *c, const struct hx_smoke_opts *o,
                      struct hx_smoke_result *r)
{
    struct hx_env env;
    hx_net_env_init(&env, NULL);
    int rc = hx_smoke_run(&env, o, r);
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    hx_smoke_format(r, &b);
    fwrite(b.p, 1, b.len, stdout);
    cdc_buf_free(&b);
    for (int i = 0; i < 2; i++) {
        if (r->tr[i] && (c->transcript || rc != HX_OK)) {
            printf("--- transcript of the %s run ---\n", i ? "websocket" : "polling");
            hx_transcript_print(r->tr[i], 160, stdout);
        }
    }
    fflush(stdout);
    return rc;
}

/* After a run: did the server die or stop answering? Fills |note| and
 * restarts it. Returns 1 when it crashed. */
static int check_crash(struct hx_target *t, char *note, size_t cap)
{
    struct hx_target_exit ex;
    struct hx_target_diag diag = {{0}};
    int died = hx_target_check(t, &ex) != HX_TARGET_OK;
    if (!died && hx_target_probe(t, 3000, &diag) == HX_TARGET_OK)
        return 0;
    char what[256] = "stopped answering";
    if (died)
        hx_target_exit_describe(&ex, what, sizeof what);
    snprintf(note, cap, "server crashed or hung during the run: %.400s", what);
    printf("!! %s\n", note);
    char tail[2048];
    uint64_t pos = 0;
    size_t n = hx_target_output(t, &pos, tail, sizeof tail - 1);
    tail[n] = 0;
    if (n)
        printf("--- server output (last %zu bytes) ---\n%s\n", n, tail);
    if (!hx_target_is_url(t) && hx_target_restart(t, &diag) != HX_TARGET_OK)
        printf("!! restart failed: %s\n", diag.msg);
    return 1;
}

/* Runs one revision against a started target; returns an exit code. */
static int run_revision(const struct run_cfg *c, struct hx_target *t, const char *name,
                        struct hx_smoke_opts *o, struct report *rp)
{
    struct hx_target_diag diag = {{0}};
    char note[512] = "";
    printf("== %s: Engine.IO %d%s%s\n", name, o->eio, o->eio_echo ? " (echo server)" : "",
           o->eio_echo   ? ""
           : o->sio == 5 ? ", Socket.IO 5"
                         : ", Socket.IO 4");
    fflush(stdout);
    if (hx_target_probe(t, 3000, &diag) != HX_TARGET_OK) {
        snprintf(note, sizeof note, "server not answering before the run: %.400s", diag.msg);
        printf("ERROR %s\n", note);
        report_run(rp, c, name, o, NULL, "error", note);
        return RUN_ERROR;
    }
    struct hx_smoke_result r;
    int rc = smoke_once(c, o, &r);
    int crashed = check_crash(t, note, sizeof note);
    const char *verdict = crashed || rc == HX_ERR_PROTOCOL ? "fail"
                          : rc == HX_OK                    ? "pass"
                                                           : "error";
    if (rc != HX_OK && rc != HX_ERR_PROTOCOL && !note[0])
        snprintf(note, sizeof note, "could not run: %.400s", hx_status_name(rc));
    report_run(rp, c, name, o, &r, verdict, note);
    hx_smoke_result_free(&r);
    return !strcmp(verdict, "pass") ? CLI_OK : !strcmp(verdict, "fail") ? CLI_INVALID : RUN_ERROR;
}

static int worse(int a, int b)
{
    /* ERROR (3) outranks FAIL (1) outranks OK (0). */
    return a == RUN_ERROR || b == RUN_ERROR ? RUN_ERROR : a > b ? a : b;
}

static void report_target_open(struct report *rp, const struct hx_target_desc *d, const char *name)
{
    cdc_buf_append_str(&rp->json, rp->sep_target);
    rp->sep_target = ",";
    cdc_buf_append_str(&rp->json, "{\"name\":");
    cli_json_str(&rp->json, (const uint8_t *)name, strlen(name));
    if (d) {
        rpt_str(&rp->json, "implementation", d->implementation ? d->implementation : "");
        rpt_str(&rp->json, "version", d->version ? d->version : "");
    }
    cdc_buf_append_str(&rp->json, ",\"runs\":[");
    rp->sep_run = "";
}

/* Starts a described target, runs each revision it serves, stops it. */
static int run_target_file(const struct run_cfg *c, const char *file, struct report *rp)
{
    struct hx_target_desc *d = NULL;
    struct hx_target *t = NULL;
    struct hx_target_diag diag = {{0}};
    int rc = hx_target_desc_load(&d, file, &diag);
    if (rc != HX_TARGET_OK) {
        fprintf(stderr, "siospec run: %s\n", diag.msg);
        return CLI_USAGE;
    }
    report_target_open(rp, d, d->name);
    printf("== starting %s (%s %s)\n", d->name, d->implementation, d->version);
    fflush(stdout);
    rc = hx_target_new(&t, d, NULL, &diag);
    if (rc == HX_TARGET_OK)
        rc = hx_target_start(t, &diag);
    int worst = CLI_OK;
    if (rc != HX_TARGET_OK) {
        struct hx_smoke_opts o = {.eio = 4, .sio = 5, .eio_echo = d->sio == 0};
        char note[600];
        snprintf(note, sizeof note, "target did not start: %s: %.500s", hx_target_err_name(rc),
                 diag.msg);
        printf("ERROR %s\n", note);
        report_run(rp, c, d->name, &o, NULL, "error", note);
        worst = RUN_ERROR;
    }
    for (int eio = 4; rc == HX_TARGET_OK && eio >= 3; eio--) {
        if (!(d->eio & (1u << eio)))
            continue;
        struct hx_smoke_opts o = {.url = hx_target_base_url(t),
                                  .path = hx_target_path(t),
                                  .eio = eio,
                                  .sio = eio == 4 ? 5 : 4,
                                  .eio_echo = d->sio == 0,
                                  .step_ms = c->step_ms,
                                  .seed = c->seed};
        worst = worse(worst, run_revision(c, t, d->name, &o, rp));
    }
    cdc_buf_append_str(&rp->json, "]}");
    hx_target_del(t);
    hx_target_desc_del(d);
    return worst;
}

static int run_url(const struct run_cfg *c, struct report *rp)
{
    struct hx_target *t = NULL;
    struct hx_target_diag diag = {{0}};
    const char *path = c->path ? c->path : c->echo ? "/engine.io/" : "/socket.io/";
    char full[2048];
    snprintf(full, sizeof full, "%s%s", c->url, path);
    report_target_open(rp, NULL, c->url);
    int worst = CLI_OK;
    int rc = hx_target_new_url(&t, full, NULL, NULL, &diag);
    if (rc == HX_TARGET_OK)
        rc = hx_target_start(t, &diag);
    struct hx_smoke_opts o = {.url = c->url,
                              .path = path,
                              .eio = c->eio,
                              .sio = c->sio,
                              .eio_echo = c->echo,
                              .step_ms = c->step_ms,
                              .seed = c->seed};
    if (rc != HX_TARGET_OK) {
        char note[600];
        snprintf(note, sizeof note, "server at %.200s not usable: %.250s", full, diag.msg);
        printf("ERROR %s\n", note);
        report_run(rp, c, c->url, &o, NULL, "error", note);
        worst = RUN_ERROR;
    } else {
        worst = run_revision(c, t, c->url, &o, rp);
    }
    cdc_buf_append_str(&rp->json, "]}");
    hx_target_del(t);
    return worst;
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

/* Lists (or runs, when |rp| is non-NULL) every description in the dir. */
static int for_each_target(const struct run_cfg *c, struct report *rp)
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
    int worst = CLI_OK;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", c->targets_dir, names[i]);
        if (rp) {
            worst = worse(worst, run_target_file(c, path, rp));
        } else {
            struct hx_target_desc *d = NULL;
            struct hx_target_diag diag = {{0}};
            if (hx_target_desc_load(&d, path, &diag) == HX_TARGET_OK)
                printf("%-16s %s\n", d->name, d->summary ? d->summary : "");
            else
                printf("%-16s (invalid: %s)\n", names[i], diag.msg);
            hx_target_desc_del(d);
        }
        free(names[i]);
    }
    return worst;
}

static int run_selected(const struct run_cfg *c, struct report *rp)
{
    if (c->url)
        return run_url(c, rp);
    if (c->all)
        return for_each_target(c, rp);
    char path[4096];
    if (strchr(c->target, '/') || has_json_suffix(c->target))
        snprintf(path, sizeof path, "%s", c->target);
    else
        snprintf(path, sizeof path, "%s/%s.json", c->targets_dir, c->target);
    return run_target_file(c, path, rp);
}

static void write_report(const struct run_cfg *c, struct report *rp, int status)
{
    cdc_buf_append_str(&rp->json, "],\"exit\":");
    cdc_buf_append_u64(&rp->json, (uint64_t)status);
    cdc_buf_append_str(&rp->json, "}\n");
    write_file(c->report, "run.json", &rp->json);
    write_file(c->report, "summary.md", &rp->md);
    printf("report written to %s/run.json and %s/summary.md\n", c->report, c->report);
}

int cmd_run(int argc, char **argv)
{
    struct run_cfg c;
    int a = parse_run_args(argc, argv, &c);
    if (a != 0)
        return a > 0 ? CLI_OK : CLI_USAGE;
    if (c.list)
        return for_each_target(&c, NULL);
    if (c.report && mkdir(c.report, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "siospec run: cannot create %s: %s\n", c.report, strerror(errno));
        return CLI_USAGE;
    }
    if (hx_net_global_init() != HX_OK || hx_target_install_cleanup() != HX_TARGET_OK) {
        fprintf(stderr, "siospec run: cannot initialise the network layer\n");
        return RUN_ERROR;
    }
    struct report rp = {.sep_target = "", .sep_run = ""};
    cdc_buf_init(&rp.json, 64u << 20, NULL);
    cdc_buf_init(&rp.md, 1u << 20, NULL);
    cdc_buf_append_str(&rp.json, "{\"tool\":\"siospec run\",\"targets\":[");
    cdc_buf_append_str(&rp.md, "# siospec run\n\n| target | revision | verdict | steps "
                               "passed/failed/skipped | note |\n| --- | --- | --- | --- | --- |\n");
    int status = run_selected(&c, &rp);
    printf("== result: %s\n", status == CLI_OK        ? "all steps passed"
                              : status == CLI_INVALID ? "FAIL (a step failed or a server crashed)"
                              : status == RUN_ERROR   ? "ERROR (a run could not be judged)"
                                                      : "usage error");
    if (c.report && status != CLI_USAGE)
        write_report(&c, &rp, status);
    cdc_buf_free(&rp.json);
    cdc_buf_free(&rp.md);
    hx_net_global_cleanup();
    return status;
}
