/*
 * hx_live_run.h - running live-fuzzer cases (fuzz_live): the executor
 * (one case against a server over real sockets), the trial (a case plus
 * the process oracles of a supervised target), and the campaign (generate,
 * run, replay, minimise, deduplicate, save reproducers, report).
 *
 * Oracles, strongest first:
 *   crash           the process died (hx_target_check), or the probe was
 *                   refused and it died right after
 *   hang-server     alive, but a fresh handshake (hx_target_probe) failed
 *   error-output    alive, but printed an exception / fatal line
 *   hang-request    a well-formed request got no answer in time (client)
 *   required-reaction-missing  an "expect-close" did not see the close
 *   protocol-violation  the strict codec rejected something the server sent
 *   leak-*          VmRSS / Threads / fd count rose strictly over the last K
 *                   samples taken after idle periods, by at least 32 MiB /
 *                   4 threads / 16 fds (campaign level only; the first 2
 *                   samples of each server process are warm-up)
 * A finding's signature deduplicates it: the normalised first error line
 * of the output for crashes, the rule or codec error for the others.
 *
 * Everything is bounded: each request by |request_ms|, each case by its
 * actions, each campaign by duration and case count, each minimisation by
 * a test budget and a time budget. Only loopback addresses are used.
 *
 * Thread rules: a trial context belongs to one thread; hx_net_global_init()
 * must have run. The campaign runs |jobs| worker threads, each with its own
 * trial context and (process mode) its own server process, which it starts
 * itself (hx_target.h: a target dies with the thread that started it).
 */
#ifndef LIVE_HX_LIVE_RUN_H
#define LIVE_HX_LIVE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "live/hx_live.h"
#include "harness/hx_status.h"
#include "harness/hx_target.h"
#include "harness/hx_transcript.h"

/* How cases are run. The strings are borrowed (the trial refreshes |url|
 * from the target after a restart). */
struct hx_live_run_opts {
    const char *url;     /* "http://127.0.0.1:PORT" */
    const char *path;    /* "/socket.io/" or "/engine.io/" */
    int eio;             /* 3 or 4 */
    int sio;             /* 0: Engine.IO only; else 4 or 5 */
    bool compat;         /* decode server output leniently (default strict) */
    uint32_t request_ms; /* answer bound of one request; 0 = 2000 */
    uint32_t settle_ms;  /* pumping after the last action; 0 = 10 */
    uint64_t seed;       /* session RNG (WebSocket keys and masks) */
    bool transcript;     /* keep the wire transcript in the observation */
    uint32_t case_ms;    /* bound of one case, loops included; 0 = 10000 */
    /* Called once after the last action, before the sessions are closed
     * (the leak oracle measures the server there). */
    void (*before_close)(void *ud);
    void *before_close_ud;
};

/* Answer-shape features one case may record (hx_live_shape.c). */
#define HX_LIVE_MAX_FEAT 384

/* What the client side of one case saw. */
struct hx_live_obs {
    int cls;                  /* HX_LIVE_NONE, _HANG_REQUEST, _REACTION or _PROTOCOL */
    char sig[200];            /* deduplication signature */
    char detail[300];         /* one line for humans */
    size_t action;            /* index of the action concerned */
    size_t ran;               /* actions executed (loops unrolled) */
    struct hx_transcript *tr; /* with |transcript|; owned, see hx_live_obs_free */
    /* What the server answered, abstracted (hx_live_shape.c): hashes of
     * (packet kind, Engine.IO / Socket.IO type, namespace class, event
     * class, HTTP status, close code, error) of every item and of every
     * pair of consecutive items, and of (action, result) pairs; unique. */
    uint32_t feat[HX_LIVE_MAX_FEAT];
    unsigned nfeat;
};

/* Adds feature |f| to |obs| unless it is there or the set is full. */
void hx_live_obs_feature(struct hx_live_obs *obs, uint32_t f);

/* Runs |c| against |o->url| with a fresh session and connections, then
 * aborts them all. Fills |obs| (initialised here). Returns HX_OK, or
 * HX_ERR_NOMEM / HX_ERR_INVALID_ARG when it could not run. */
int hx_live_exec(const struct hx_live_run_opts *o, const struct hx_live_case *c,
                 struct hx_live_obs *obs);
/* Frees the transcript an observation holds (if any). */
void hx_live_obs_free(struct hx_live_obs *obs);

/* ---- the Node agent (hx_live_cov.c) ---- */

/* A connection to the coverage / memory agent of one target process. */
struct hx_live_agent {
    int fd;
    unsigned port;   /* the target port it belongs to */
    unsigned failed; /* a port whose agent did not answer: not tried again */
    bool up;
};

/* Prepares description |d| (a Node runtime) so that its processes load
 * the agent: makes a private folder (written to |dir|), writes the agent
 * there and adds NODE_OPTIONS / SIOSPEC_AGENT_DIR to |d->env|. Returns 0,
 * 1 when |d| is not a Node target (nothing done), -1 on failure. */
int hx_live_agent_setup(struct hx_target_desc *d, char *dir, size_t cap);
/* Removes what hx_live_agent_setup made in |dir|. */
void hx_live_agent_teardown(const char *dir);
void hx_live_agent_close(struct hx_live_agent *a);
/* Takes the coverage of the process on |port| since the last take: the
 * agent's answer ("cov N" and N "START END URL" lines) into |out|.
 * Returns 0 or -1 (no agent, or it did not answer in 1 s). */
int hx_live_agent_cov(struct hx_live_agent *a, const char *dir, unsigned port, struct cdc_buf *out);
/* Bytes the JS heap uses after a full GC, plus the external memory JS
 * objects hold (Buffers). Returns 0 or -1. */
int hx_live_agent_mem(struct hx_live_agent *a, const char *dir, unsigned port, uint64_t *heap);

/* The coverage features (functions, blocks, sets of blocks not run) the
 * server processes of a campaign reached. */
struct hx_live_covmap {
    uint64_t *h; /* feature hashes, open addressing */
    size_t n, cap;
};
/* Adds an agent "cov" answer; returns the features new to the campaign. */
unsigned hx_live_covmap_add(struct hx_live_covmap *m, const uint8_t *text, size_t len);
void hx_live_covmap_free(struct hx_live_covmap *m);

/* A supervised target and the state the process oracles need. */
struct hx_live_trial_ctx {
    struct hx_target *t;   /* borrowed, started */
    const char *agent_dir; /* the Node agent's folder, or NULL */
    struct hx_live_agent agent;
    struct hx_live_run_opts run;
    uint32_t probe_ms; /* liveness probe bound; 0 = 2000 */
    uint64_t out_pos;  /* output consumed so far */
    unsigned restarts;
    bool healthy;  /* the last trial's probe passed: skip the next pre-probe */
    int start_err; /* last failed (re)start, 0 if none */
    struct hx_target_diag diag;
    /* The error signature in what the server printed after the last
     * case's checks and before this case ("" when none): a crash whose
     * exception came out before its exit keeps its signature. */
    char carry_sig[200];
};

struct hx_live_verdict {
    int cls;
    char sig[200];
    char detail[512];
    size_t action;
    struct hx_transcript *tr;        /* when run.transcript; owned */
    uint32_t feat[HX_LIVE_MAX_FEAT]; /* the case's answer shapes (hx_live_obs) */
    unsigned nfeat;
};

/* Runs |c| once with every per-case oracle: restarts the server first if
 * it is down, executes, checks exit status, probes, scans the new output.
 * Leaves a dead server dead (the next trial restarts it). Returns HX_OK,
 * or HX_ERR_CONNECT when the server could not be (re)started (|x->diag|
 * says why), HX_ERR_NOMEM. */
int hx_live_trial(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                  struct hx_live_verdict *v);
/* Frees the transcript a verdict holds (if any). */
void hx_live_verdict_free(struct hx_live_verdict *v);
/* A crash that came after the last trial's checks (a server timer firing
 * late): waits up to |wait_ms| for the process to die. Returns 1 with a
 * crash verdict in |v| (attributed by the caller to the last case), or 0
 * when it still runs (always in url mode). */
int hx_live_late_crash(struct hx_live_trial_ctx *x, uint32_t wait_ms, struct hx_live_verdict *v);
/* Makes sure the server runs and answers; restarts it when not. Returns
 * HX_OK or HX_ERR_CONNECT. */
int hx_live_ensure_up(struct hx_live_trial_ctx *x);

/* ---- leaks (hx_live_leak.c) ---- */

/* One measurement of the server process's resources. */
struct hx_live_measure {
    uint64_t v[HX_LIVE_NRES];
    bool have[HX_LIVE_NRES];
};

/* What a leak trial saw: growth over one run of the case, per repeat of
 * its first loop; |live| when it was growth while the sessions were still
 * open (unbounded per-connection state) rather than kept after they
 * closed. */
struct hx_live_leak {
    int res;          /* the resource that grew most clearly, or NONE */
    bool live;        /* measured before the sessions closed */
    uint32_t repeats; /* hx_live_case_repeats() of the case */
    int64_t growth[HX_LIVE_NRES];
    double per_repeat[HX_LIVE_NRES];
    double bytes_per_repeat; /* what one repeat sends (the memory floor grows with it) */
};

/* Measures the target's process (heap through the agent when there is
 * one, VmRSS, fds, threads); the server should be idle. Returns 0 or -1. */
int hx_live_measure(struct hx_live_trial_ctx *x, struct hx_live_measure *m);
/* Runs |c| between measurements and judges the growth against the leak
 * thresholds, or against |want| (a reproducer's "leak" line) when
 * |want->leak_res| is set. With |warm|, a first unmeasured run with the
 * first loop cut to 2 runs warms a fresh server up; with |runs| 2 the case
 * runs twice and must grow the same resource both times (the smaller
 * growth is reported). A crash or other finding wins over a leak. The
 * verdict is a leak class with the signature "<what> grows per repeat" (or
 * |want|'s). Returns as hx_live_trial. */
int hx_live_leak_trial(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                       const struct hx_live_meta *want, bool warm, unsigned runs,
                       struct hx_live_verdict *v, struct hx_live_leak *out);

struct hx_live_finding {
    unsigned id;
    int cls;
    char sig[200];
    char detail[512];
    char cve[32]; /* "" when no known CVE matches */
    char gen[48]; /* generator of the first case */
    uint64_t first_case;
    uint64_t t_ms; /* campaign time when first seen */
    unsigned reproduced, replays;
    unsigned hits;   /* cases that hit it */
    char repro[512]; /* reproducer path ("" when none) */
    size_t orig_actions, orig_bytes, min_actions, min_bytes;
    uint32_t min_ms; /* time spent minimising */
    /* Leaks: the resource, repeats of the minimised reproducer, growth per
     * repeat measured on it, and the repeats of the probe that found it. */
    int leak_res;
    uint32_t leak_repeats, orig_repeats;
    double leak_per_repeat;
    bool processing; /* being replayed / minimised by a worker */
    /* Later cases screened for a more reliable reproducer, when the
     * reproducer reproduced only some of its replays (at most 8). */
    unsigned retries;
};

/* Campaign settings. Every pointer is borrowed for the campaign's run. */
struct hx_live_campaign_opts {
    const char *target;  /* name for reports and reproducers */
    const char *version; /* implementation version, may be NULL */
    const char *out_dir; /* created if missing */
    uint64_t seed;
    uint64_t max_cases;        /* 0 = no limit */
    uint32_t duration_ms;      /* 0 = 60000 */
    const char *const *expect; /* CVE ids: stop once all are found */
    size_t n_expect;
    unsigned replays;       /* 0 = 3 */
    unsigned min_tests;     /* ddmin budget per stage; 0 = 60 */
    uint32_t min_ms;        /* minimisation time budget per finding; 0 = 10000 */
    uint32_t sample_ms;     /* resource sampling period; 0 = 10000 */
    uint32_t idle_ms;       /* idle before a sample; 0 = 1000 */
    unsigned leak_k;        /* samples that must rise; 0 = 5 */
    FILE *progress;         /* progress lines (NULL: none) */
    bool case_log;          /* write out_dir/cases.tsv: index, generator, ms, class, sig */
    const char *replay_cmd; /* "siospec replay" prefix for reports; NULL = that */
    const char *target_arg; /* "--target sio4-vuln" / "--url ..." for the command */
    unsigned jobs;          /* sessions at once, each worker on its own server process
                             * (process mode) or all on the --url server; 0 = 1 */
    const struct hx_target_desc *desc; /* for the workers' own servers; NULL in url mode */
    const char *url;                   /* url mode: the server (workers share it) */
    struct hx_live_corpus *corpus;     /* live corpus (borrowed; may be NULL) */
    bool no_feedback;                  /* keep the corpus as given: no new entries */
    uint32_t max_payload;              /* the server's maxPayload (0: 1000000) */
};

struct hx_live_campaign {
    uint64_t cases;
    uint64_t elapsed_ms;
    uint64_t active_ms; /* until the last case finished (findings still being
                         * minimised after it are not counted) */
    unsigned restarts;
    bool stopped_early; /* every expected CVE was found */
    int status;         /* HX_OK, or why the campaign ended early */
    char why[512];
    struct hx_live_finding *f;
    size_t nf;
    struct hx_live_sample *samples;
    size_t ns;
    uint64_t per_class[HX_LIVE_NCLASSES]; /* case hits per class */
    size_t f_cap;                         /* room in |f| (fixed while workers run) */
    unsigned jobs;
    uint64_t cov_features;       /* server coverage features reached (Node agent) */
    uint64_t shapes;             /* distinct answer-shape features */
    size_t corpus_n, corpus_new; /* corpus entries at the end, added by this run */
    uint64_t leak_probes;
    uint64_t case_errors; /* cases the harness could not run (its own limits) */
    bool have_cov;
};

/* Runs a campaign against the started target of |x|. Returns HX_OK (the
 * campaign ran to its bounds or stopped early), or HX_ERR_CONNECT when
 * the server could not be started again (the results so far are kept).
 * Free |res| with hx_live_campaign_free in every case. */
int hx_live_campaign_run(struct hx_live_trial_ctx *x, const struct hx_live_campaign_opts *o,
                         struct hx_live_campaign *res);
/* Frees the findings and samples of |res| and zeroes it. */
void hx_live_campaign_free(struct hx_live_campaign *res);

/* Writes findings.json and findings.md into |o->out_dir|. Returns HX_OK
 * or HX_ERR_TRANSPORT (a file could not be written; |why| gets a line). */
int hx_live_report_write(const struct hx_live_campaign_opts *o, const struct hx_live_run_opts *r,
                         const struct hx_live_campaign *res, char *why, size_t cap);

/* True when every CVE in |o->expect| has a finding in |res|. */
bool hx_live_expect_met(const struct hx_live_campaign_opts *o, const struct hx_live_campaign *res);

#endif
