/*
 * cmd_fuzz.c - `siospec fuzz`: a live fuzzing campaign against a bundled
 * server (started and supervised on a free 127.0.0.1 port; with -j N, N
 * processes of it) or a --url server on loopback. Cases come from the seed
 * and the live corpus (same seed and corpus, same cases); inputs that make
 * the server do something new go to the corpus (--corpus DIR); every new
 * finding is replayed, minimised, saved as a reproducer and reported in
 * findings.json / findings.md under --out.
 *
 * Exit status: 0 no finding (in the --fail-on classes), 1 findings (with
 * --expect: 0 when every expected CVE was found, 1 when one is missing),
 * 2 usage error, 3 the campaign could not run (server did not start).
 */
#include "cli.h"
#include "cli_live.h"

#include "harness/hx_net.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char fuzz_help[] =
    "usage: siospec fuzz (--target NAME | --url URL) [options]\n\n"
    "Fuzzes a live Engine.IO / Socket.IO server with sequences generated from the\n"
    "grammar of both protocols and the testee contract (events of every argument shape,\n"
    "binary attachments, acks, rooms, namespaces, upgrades, concurrent sessions,\n"
    "repeated actions, Engine.IO packets and batches), mutations of the inputs that\n"
    "made the server do something new (answer shapes; on Node and Python targets,\n"
    "server code reached), leak probes, HTTP and WebSocket framing cases, and the known-dangerous\n"
    "inputs of the CVE catalogue. After each case it checks that the server lives,\n"
    "answers, printed no crash, answered every request, closed the session where it\n"
    "must, sent only what the strict codec accepts, and (leak probes) did not grow.\n\n"
    "  --target NAME       bundled target (harness/targets/NAME.json) or a description file\n"
    "  --targets-dir DIR   where bundled descriptions live\n"
    "  --url URL           a server you started (loopback only), e.g. http://127.0.0.1:3000\n"
    "  --path P            endpoint path with --url (default /socket.io/)\n"
    "  --echo              the --url server speaks Engine.IO only\n"
    "  --eio 3|4           Engine.IO revision (default: 4 when served)\n"
    "  --duration D        campaign time: 90, 90s, 2m, 500ms (default 60s)\n"
    "  --max-cases N       stop after N cases (default: no limit)\n"
    "  --seed S            case generator seed (default 1)\n"
    "  -j, --jobs N        sessions at once, each on its own server process (default:\n"
    "                      twice the CPU count, at most 12; with --url 1, and\n"
    "                      several all share that server)\n"
    "  --corpus DIR        live corpus: loaded at the start, new entries saved there\n"
    "  --no-feedback       keep the corpus as loaded (same seed and corpus: same cases)\n"
    "  --no-agent          no coverage agent in Node and Python targets (black-box)\n"
    "  --out DIR           findings.json, findings.md, finding-NNN.repro (default fuzz-out)\n"
    "  --expect LIST       comma-separated CVE ids; stop once all are found; exit 0 iff found\n"
    "  --fail-on LIST      classes that make the exit status 1 (default: all). Classes:\n"
    "                      crash, hang-server, error-output, hang-request,\n"
    "                      required-reaction-missing, protocol-violation, leak-memory,\n"
    "                      leak-threads, leak-fds\n"
    "  --request-ms N      answer bound of one request (default 2000)\n"
    "  --replays N         replays of each new finding (default 3)\n"
    "  --min-time D        minimisation time budget per finding (default 10s)\n"
    "  --sample-every D    resource sampling period (default 10s)\n"
    "  --compat            judge server output with the lenient codec\n"
    "  --quiet             no progress lines on stderr\n"
    "  --case-log          also write DIR/cases.tsv: case, generator, ms, class, signature\n\n"
    "Replay a finding with: siospec replay DIR/finding-NNN.repro [--target NAME|--url URL]\n\n"
    "Exit status: 0 no finding, 1 findings (with --expect: 0 all expected CVEs found,\n"
    "1 otherwise), 2 usage error, 3 the campaign could not run.\n";

#define MAX_EXPECT 16

struct fuzz_cfg {
    struct live_where w;
    const char *out;
    uint32_t duration_ms, min_ms, sample_ms, request_ms;
    uint64_t seed, max_cases, replays, jobs;
    const char *corpus;
    bool compat, quiet, case_log, no_feedback, no_agent;
    char *expect_buf;
    const char *expect[MAX_EXPECT];
    size_t n_expect;
    unsigned fail_on; /* bit per enum hx_live_class */
};

static int split_expect(struct fuzz_cfg *c, const char *v)
{
    free(c->expect_buf);
    c->expect_buf = strdup(v);
    c->n_expect = 0;
    for (char *save = NULL, *t = c->expect_buf ? strtok_r(c->expect_buf, ",", &save) : NULL; t;
         t = strtok_r(NULL, ",", &save)) {
        if (c->n_expect == MAX_EXPECT)
            return -1;
        c->expect[c->n_expect++] = t;
    }
    return c->n_expect ? 0 : -1;
}

static int parse_fail_on(struct fuzz_cfg *c, const char *v)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", v);
    c->fail_on = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int cls = hx_live_class_from_name(t);
        if (cls <= 0)
            return -1;
        c->fail_on |= 1u << cls;
    }
    return c->fail_on ? 0 : -1;
}

/* Returns 0 when |a| took a value, -2 when |a| is unknown, -1 bad value. */
static int fuzz_value(struct fuzz_cfg *c, const char *a, const char *v)
{
    uint64_t x;
    if (!strcmp(a, "--target") || !strcmp(a, "--targets-dir") || !strcmp(a, "--url") ||
        !strcmp(a, "--path") || !strcmp(a, "--out") || !strcmp(a, "--corpus")) {
        const char **dst = !strcmp(a, "--target")        ? &c->w.target
                           : !strcmp(a, "--targets-dir") ? &c->w.targets_dir
                           : !strcmp(a, "--url")         ? &c->w.url
                           : !strcmp(a, "--path")        ? &c->w.path
                           : !strcmp(a, "--corpus")      ? &c->corpus
                                                         : &c->out;
        *dst = v;
        return v ? 0 : -1;
    }
    if (!strcmp(a, "--eio"))
        return (c->w.eio = cli_parse_version(v, 3, 4)) < 0 ? -1 : 0;
    if (!strcmp(a, "--duration"))
        return live_parse_duration(v, &c->duration_ms) || !c->duration_ms ? -1 : 0;
    if (!strcmp(a, "--min-time"))
        return live_parse_duration(v, &c->min_ms);
    if (!strcmp(a, "--sample-every"))
        return live_parse_duration(v, &c->sample_ms) || !c->sample_ms ? -1 : 0;
    if (!strcmp(a, "--max-cases"))
        return live_parse_u64(v, UINT64_MAX, &c->max_cases);
    if (!strcmp(a, "--seed"))
        return live_parse_u64(v, UINT64_MAX, &c->seed);
    if (!strcmp(a, "--replays"))
        return live_parse_u64(v, 20, &c->replays);
    if (!strcmp(a, "-j") || !strcmp(a, "--jobs"))
        return live_parse_u64(v, 16, &c->jobs) || !c->jobs ? -1 : 0;
    if (!strcmp(a, "--request-ms")) {
        int r = live_parse_u64(v, 600000, &x);
        c->request_ms = (uint32_t)x;
        return r || !x ? -1 : 0;
    }
    if (!strcmp(a, "--expect"))
        return v ? split_expect(c, v) : -1;
    if (!strcmp(a, "--fail-on"))
        return v ? parse_fail_on(c, v) : -1;
    return -2;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_fuzz_args(int argc, char **argv, struct fuzz_cfg *c)
{
    c->w.targets_dir = live_default_targets_dir();
    c->out = "fuzz-out";
    c->duration_ms = 60000;
    c->seed = 1;
    c->replays = 3;
    c->jobs = 0; /* auto: see resolve_jobs() */
    c->fail_on = ~0u;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(fuzz_help, stdout);
            return 1;
        }
        bool *flag = !strcmp(a, "--echo")          ? &c->w.echo
                     : !strcmp(a, "--compat")      ? &c->compat
                     : !strcmp(a, "--quiet")       ? &c->quiet
                     : !strcmp(a, "--case-log")    ? &c->case_log
                     : !strcmp(a, "--no-feedback") ? &c->no_feedback
                     : !strcmp(a, "--no-agent")    ? &c->no_agent
                                                   : NULL;
        if (flag) {
            *flag = true;
            continue;
        }
        int rc = fuzz_value(c, a, v);
        if (rc != 0) {
            fprintf(stderr,
                    rc == -2 ? "siospec fuzz: unknown option '%s' (see --help)\n"
                             : "siospec fuzz: invalid or missing value for %s\n",
                    a);
            return -1;
        }
        i++;
    }
    if (!c->w.target == !c->w.url) {
        fprintf(stderr, "siospec fuzz: give exactly one of --target and --url (see --help)\n");
        return -1;
    }
    if (!c->jobs) { /* auto: the servers' CPU time is what limits the rate */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        c->jobs = c->w.url ? 1 : n < 1 ? 1 : 2 * n > 12 ? 12 : (uint64_t)(2 * n);
    }
    return 0;
}

static void print_summary(const struct hx_live_campaign_opts *o, const struct hx_live_campaign *r)
{
    size_t nf = 0;
    for (size_t i = 0; i < r->nf; i++)
        nf += r->f[i].cls != HX_LIVE_NONE;
    printf("== %s: %llu cases in %.1f s (%.1f cases/s, -j %u), %u restarts, %zu findings%s\n",
           o->target, (unsigned long long)r->cases, (double)r->elapsed_ms / 1000.0,
           r->elapsed_ms ? (double)r->cases * 1000.0 / (double)r->elapsed_ms : 0.0, r->jobs,
           r->restarts, nf, r->stopped_early ? " (stopped early: every expected CVE found)" : "");
    if (r->active_ms + 500 < r->elapsed_ms)
        printf("   fuzzing: %.1f cases/s over %.1f s (then %.1f s finishing findings)\n",
               r->active_ms ? (double)r->cases * 1000.0 / (double)r->active_ms : 0.0,
               (double)r->active_ms / 1000.0, (double)(r->elapsed_ms - r->active_ms) / 1000.0);
    printf(
        "   feedback: %llu answer shapes, %s%llu server coverage features, corpus %zu (%zu new), "
        "%llu leak probes\n",
        (unsigned long long)r->shapes, r->have_cov ? "" : "no server coverage, ",
        (unsigned long long)r->cov_features, r->corpus_n, r->corpus_new,
        (unsigned long long)r->leak_probes);
    for (size_t i = 0; i < r->nf; i++) {
        const struct hx_live_finding *f = &r->f[i];
        if (f->cls == HX_LIVE_NONE)
            continue;
        printf("  #%u %-26s %s%s%s\n", f->id, hx_live_class_name(f->cls), f->sig,
               f->cve[0] ? "  => " : "", f->cve);
        if (!f->replays) {
            printf("      at %.1f s after case %llu: %s (campaign-level, not replayable; see the "
                   "samples in findings.json)\n",
                   (double)f->t_ms / 1000.0, (unsigned long long)f->first_case, f->detail);
            continue;
        }
        if (f->leak_res)
            printf("      grows by %.1f per repeat (%s), %u repeats in the reproducer\n",
                   f->leak_per_repeat, hx_live_res_name(f->leak_res), f->leak_repeats);
        printf("      case %llu at %.1f s, reproduced %u/%u, minimised to %zu actions / %zu "
               "bytes, %u hits\n      replay: siospec replay %s %s\n",
               (unsigned long long)f->first_case, (double)f->t_ms / 1000.0, f->reproduced,
               f->replays, f->min_actions, f->min_bytes, f->hits, f->repro[0] ? f->repro : "-",
               o->target_arg);
    }
    printf("report: %s/findings.json, %s/findings.md\n", o->out_dir, o->out_dir);
}

static int exit_status(const struct fuzz_cfg *c, const struct hx_live_campaign_opts *o,
                       const struct hx_live_campaign *r)
{
    if (c->n_expect) {
        for (size_t i = 0; i < c->n_expect; i++) {
            const struct hx_live_finding *f = NULL;
            for (size_t j = 0; j < r->nf && !f; j++)
                f = !strcmp(r->f[j].cve, c->expect[i]) ? &r->f[j] : NULL;
            if (f)
                printf("expected %s: found after %.1f s (case %llu, finding #%u)\n", c->expect[i],
                       (double)f->t_ms / 1000.0, (unsigned long long)f->first_case, f->id);
            else
                printf("!! expected %s: not found\n", c->expect[i]);
        }
        return hx_live_expect_met(o, r) ? CLI_OK : CLI_INVALID;
    }
    for (size_t i = 0; i < r->nf; i++)
        if (r->f[i].cls != HX_LIVE_NONE && (c->fail_on & (1u << r->f[i].cls)))
            return CLI_INVALID;
    return CLI_OK;
}

static int run_campaign(struct fuzz_cfg *c, struct live_server *srv, struct hx_live_trial_ctx *x,
                        struct hx_live_corpus *corpus)
{
    struct hx_live_campaign_opts o = {.target = srv->name,
                                      .version = srv->desc ? srv->desc->version : NULL,
                                      .out_dir = c->out,
                                      .seed = c->seed,
                                      .max_cases = c->max_cases,
                                      .duration_ms = c->duration_ms,
                                      .expect = c->expect,
                                      .n_expect = c->n_expect,
                                      .replays = (unsigned)c->replays,
                                      .min_ms = c->min_ms,
                                      .sample_ms = c->sample_ms,
                                      .progress = c->quiet ? NULL : stderr,
                                      .target_arg = srv->arg,
                                      .jobs = (unsigned)c->jobs,
                                      .desc = srv->desc,
                                      .url = srv->desc ? NULL : srv->url,
                                      .corpus = corpus,
                                      .no_feedback = c->no_feedback};
    struct hx_live_campaign res;
    o.case_log = c->case_log;
    int rc = hx_live_campaign_run(x, &o, &res);
    char why[512] = "";
    if (rc == HX_ERR_INVALID_ARG) {
        fprintf(stderr, "siospec fuzz: %s\n", res.why);
        hx_live_campaign_free(&res);
        return CLI_USAGE;
    }
    if (hx_live_report_write(&o, &x->run, &res, why, sizeof(why)) != HX_OK)
        fprintf(stderr, "siospec fuzz: %s\n", why);
    print_summary(&o, &res);
    int status = exit_status(c, &o, &res);
    if (rc != HX_OK) {
        printf("!! the campaign stopped: %s\n", res.why);
        status = CLI_COULD_NOT_RUN;
    }
    hx_live_campaign_free(&res);
    return status;
}

int cmd_fuzz(int argc, char **argv)
{
    struct fuzz_cfg c;
    memset(&c, 0, sizeof(c));
    int a = parse_fuzz_args(argc, argv, &c);
    if (a != 0) {
        free(c.expect_buf);
        return a > 0 ? CLI_OK : CLI_USAGE;
    }
    struct live_server srv;
    struct hx_live_trial_ctx x = {.probe_ms = 2000, .agent = {.fd = -1}};
    struct hx_live_corpus corpus;
    hx_live_corpus_init(&corpus);
    size_t skipped = 0;
    if (c.corpus && hx_live_corpus_load(&corpus, c.corpus, &skipped) != CDC_OK) {
        fprintf(stderr, "siospec fuzz: cannot use the corpus folder %s\n", c.corpus);
        free(c.expect_buf);
        return CLI_USAGE;
    }
    x.run =
        (struct hx_live_run_opts){.compat = c.compat, .request_ms = c.request_ms, .seed = c.seed};
    c.w.agent = !c.no_agent;
    int status = live_server_open(&srv, &c.w, "fuzz", &x.run);
    if (status == 0) {
        x.t = srv.t;
        x.agent_dir = srv.agent_dir[0] ? srv.agent_dir : NULL;
        if (!c.quiet)
            fprintf(stderr,
                    "fuzz: %s at %s%s, Engine.IO %d%s, seed %llu, %.1f s, -j %llu, corpus %zu "
                    "entries%s%s\n",
                    srv.name, x.run.url, x.run.path, x.run.eio,
                    x.run.sio ? ", Socket.IO" : " (echo)", (unsigned long long)c.seed,
                    (double)c.duration_ms / 1000.0, (unsigned long long)c.jobs, corpus.n,
                    skipped ? " (some files skipped)" : "",
                    x.agent_dir ? ", server coverage on" : "");
        status = run_campaign(&c, &srv, &x, &corpus);
    }
    live_server_close(&srv);
    hx_live_corpus_free(&corpus);
    hx_net_global_cleanup();
    free(c.expect_buf);
    return status;
}
