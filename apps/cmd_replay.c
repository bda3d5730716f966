/*
 * cmd_replay.c - `siospec replay FILE`: runs a live-fuzzer reproducer
 * (format in fuzz/live/include/live/hx_live.h, written by `siospec fuzz`)
 * against a server with every oracle of the campaign, and says whether
 * the recorded finding (its "expect" line: class and signature) happens
 * again. A file without an "expect" line reproduces on any finding.
 *
 * The server is the file's bundled target unless --target or --url says
 * otherwise; it is started fresh on a free 127.0.0.1 port. A leak
 * reproducer (a "leak" line) is run between two measurements of the
 * server process (the JS heap after a full GC on Node targets, through
 * the agent siospec preloads; else VmRSS, fds, threads), and reproduces
 * when the resource grows by at least the recorded amount per repeat.
 *
 * Exit status: 1 the finding reproduces, 0 it does not, 2 usage error
 * (unreadable or invalid file), 3 the server could not be started.
 */
#include "cli.h"
#include "cli_live.h"

#include "harness/hx_net.h"

#include <stdlib.h>
#include <string.h>

#define LATE_WAIT_MS 1500 /* as the campaign's replays (hx_live_finding.c) */

static const char replay_help[] =
    "usage: siospec replay FILE [--target NAME | --url URL] [options]\n\n"
    "Runs a reproducer written by `siospec fuzz` and checks whether its finding\n"
    "(class and signature on the file's 'expect' line) happens again.\n\n"
    "  --target NAME       bundled target (default: the file's 'target' line)\n"
    "  --targets-dir DIR   where bundled descriptions live\n"
    "  --url URL           a server you started (loopback only)\n"
    "  --path P            endpoint path with --url (default /socket.io/)\n"
    "  --echo              the --url server speaks Engine.IO only\n"
    "  --eio 3|4           Engine.IO revision (default: the file's, else 4)\n"
    "  --times N           run it N times (default 1); it reproduces if any run does\n"
    "  --request-ms N      answer bound of one request (default 2000)\n"
    "  --compat            judge server output with the lenient codec\n"
    "  --transcript        print the wire transcript of each run\n\n"
    "Exit status: 1 the finding reproduces, 0 it does not, 2 usage error,\n"
    "3 the server could not be started.\n";

struct replay_cfg {
    struct live_where w;
    const char *file;
    uint64_t times, request_ms;
    bool compat, transcript;
};

static int replay_value(struct replay_cfg *c, const char *a, const char *v)
{
    if (!strcmp(a, "--target"))
        c->w.target = v;
    else if (!strcmp(a, "--targets-dir"))
        c->w.targets_dir = v;
    else if (!strcmp(a, "--url"))
        c->w.url = v;
    else if (!strcmp(a, "--path"))
        c->w.path = v;
    else if (!strcmp(a, "--eio"))
        return (c->w.eio = cli_parse_version(v, 3, 4)) < 0 ? -1 : 0;
    else if (!strcmp(a, "--times"))
        return live_parse_u64(v, 1000, &c->times) || !c->times ? -1 : 0;
    else if (!strcmp(a, "--request-ms"))
        return live_parse_u64(v, 600000, &c->request_ms) || !c->request_ms ? -1 : 0;
    else
        return -2;
    return v ? 0 : -1;
}

/* Returns 0 to go on, 1 after --help, -1 on a usage error. */
static int parse_replay_args(int argc, char **argv, struct replay_cfg *c)
{
    c->w.targets_dir = live_default_targets_dir();
    c->times = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(replay_help, stdout);
            return 1;
        }
        bool *flag = !strcmp(a, "--echo")         ? &c->w.echo
                     : !strcmp(a, "--compat")     ? &c->compat
                     : !strcmp(a, "--transcript") ? &c->transcript
                                                  : NULL;
        if (flag) {
            *flag = true;
        } else if (a[0] != '-' && !c->file) {
            c->file = a;
        } else {
            int rc = a[0] == '-' ? replay_value(c, a, v) : -2;
            if (rc != 0) {
                fprintf(stderr,
                        rc == -2 ? "siospec replay: unexpected argument '%s'\n"
                                 : "siospec replay: invalid or missing value for %s\n",
                        a);
                return -1;
            }
            i++;
        }
    }
    if (!c->file || (c->w.target && c->w.url)) {
        fprintf(stderr, "siospec replay: give a FILE and at most one of --target and --url\n");
        return -1;
    }
    return 0;
}

static int load(const char *file, struct hx_live_case *c, struct hx_live_meta *m)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    struct cdc_diag d = {0};
    if (cli_read_input(file, 64u << 20, &buf, &len) != 0)
        return -1;
    int rc = hx_live_case_parse(c, m, buf, len, &d);
    free(buf);
    if (rc != CDC_OK) {
        fprintf(stderr, "siospec replay: %s:%zu: %s\n", file, d.off, d.why);
        return -1;
    }
    return 0;
}

/* Runs the case |times| times; returns 1 when the finding reproduced, 0
 * when not, -1 when the server could not be (re)started. */
static int replay_runs(const struct replay_cfg *c, struct hx_live_trial_ctx *x,
                       const struct hx_live_case *cs, const struct hx_live_meta *m)
{
    int hits = 0;
    for (uint64_t i = 0; i < c->times; i++) {
        struct hx_live_verdict v;
        struct hx_live_leak lk;
        if (m->leak_res && hx_target_is_url(x->t)) {
            fprintf(stderr, "siospec replay: a leak reproducer needs a bundled target (the "
                            "process is measured)\n");
            return -1;
        }
        int rc =
            m->leak_res
                ? hx_live_leak_trial(
                      x, cs, m, true,
                      m->leak_res == HX_LIVE_RES_HEAP || m->leak_res == HX_LIVE_RES_RSS ? 2 : 1, &v,
                      &lk)
                : hx_live_trial(x, cs, &v);
        if (rc == HX_OK && v.cls == HX_LIVE_NONE && !m->leak_res &&
            (m->cls == HX_LIVE_CRASH || m->cls == HX_LIVE_NONE)) {
            /* A server timer may crash it after the case's checks, as the
             * campaign saw it: wait a little for that. */
            struct hx_transcript *tr = v.tr; /* keep the case's transcript */
            if (!hx_live_late_crash(x, LATE_WAIT_MS, &v))
                memset(&v, 0, sizeof(v));
            v.tr = tr;
        }
        if (rc != HX_OK) {
            fprintf(stderr, "siospec replay: the server could not be started: %s\n", x->diag.msg);
            return -1;
        }
        bool same = m->cls == HX_LIVE_NONE ? v.cls != HX_LIVE_NONE
                                           : v.cls == m->cls && !strcmp(v.sig, m->sig);
        hits += same;
        printf("run %llu: %s%s%s%s\n", (unsigned long long)i + 1,
               v.cls == HX_LIVE_NONE ? "no finding" : hx_live_class_name(v.cls), v.cls ? ": " : "",
               v.sig, same ? "  (reproduced)" : "");
        if (v.cls && v.detail[0])
            printf("       %s\n", v.detail);
        if (m->leak_res && v.cls == HX_LIVE_NONE)
            printf(
                "       %s grew by %lld over %u repeats (%.1f per repeat; reproduces from %.6g)\n",
                hx_live_res_name(m->leak_res), (long long)lk.growth[m->leak_res], lk.repeats,
                lk.per_repeat[m->leak_res], m->leak_min);
        if (c->transcript && v.tr)
            hx_transcript_print(v.tr, 200, stdout);
        hx_live_verdict_free(&v);
    }
    printf("== %s: %d/%llu runs reproduced %s%s%s\n", c->file, hits, (unsigned long long)c->times,
           m->cls ? hx_live_class_name(m->cls) : "a finding", m->cls ? ": " : "", m->sig);
    return hits > 0;
}

int cmd_replay(int argc, char **argv)
{
    struct replay_cfg c;
    memset(&c, 0, sizeof(c));
    int a = parse_replay_args(argc, argv, &c);
    if (a != 0)
        return a > 0 ? CLI_OK : CLI_USAGE;
    struct hx_live_case cs;
    struct hx_live_meta m;
    hx_live_case_init(&cs);
    if (load(c.file, &cs, &m) != 0) {
        hx_live_case_free(&cs);
        return CLI_USAGE;
    }
    if (!c.w.target && !c.w.url)
        c.w.target = m.target[0] ? m.target : NULL;
    if (!c.w.eio)
        c.w.eio = m.eio;
    int status = CLI_USAGE;
    struct live_server srv;
    memset(&srv, 0, sizeof(srv));
    struct hx_live_trial_ctx x = {.probe_ms = 2000, .agent = {.fd = -1}};
    x.run = (struct hx_live_run_opts){.compat = c.compat,
                                      .request_ms = (uint32_t)c.request_ms,
                                      .seed = m.has_seed ? m.seed : 1,
                                      .transcript = c.transcript};
    c.w.agent = m.leak_res == HX_LIVE_RES_HEAP; /* the heap is measured through the agent */
    if (!c.w.target && !c.w.url)
        fprintf(stderr, "siospec replay: %s names no target: give --target or --url\n", c.file);
    else
        status = live_server_open(&srv, &c.w, "replay", &x.run);
    if (status == 0) {
        x.t = srv.t;
        x.agent_dir = srv.agent_dir[0] ? srv.agent_dir : NULL;
        int r = replay_runs(&c, &x, &cs, &m);
        status = r < 0 ? CLI_COULD_NOT_RUN : r ? CLI_INVALID : CLI_OK;
    }
    live_server_close(&srv);
    hx_net_global_cleanup();
    hx_live_case_free(&cs);
    return status;
}
