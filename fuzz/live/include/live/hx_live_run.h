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
 * Thread rules: single-threaded; hx_net_global_init() must have run, and
 * targets must be started from the calling thread (hx_target.h).
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
};

/* What the client side of one case saw. */
struct hx_live_obs {
    int cls;                  /* HX_LIVE_NONE, _HANG_REQUEST, _REACTION or _PROTOCOL */
    char sig[200];            /* deduplication signature */
    char detail[300];         /* one line for humans */
    size_t action;            /* index of the action concerned */
    size_t ran;               /* actions executed */
    struct hx_transcript *tr; /* with |transcript|; owned, see hx_live_obs_free */
};

/* Runs |c| against |o->url| with a fresh session and connections, then
 * aborts them all. Fills |obs| (initialised here). Returns HX_OK, or
 * HX_ERR_NOMEM / HX_ERR_INVALID_ARG when it could not run. */
int hx_live_exec(const struct hx_live_run_opts *o, const struct hx_live_case *c,
                 struct hx_live_obs *obs);
/* Frees the transcript an observation holds (if any). */
void hx_live_obs_free(struct hx_live_obs *obs);

/* A supervised target and the state the process oracles need. */
struct hx_live_trial_ctx {
    struct hx_target *t; /* borrowed, started */
    struct hx_live_run_opts run;
    uint32_t probe_ms; /* liveness probe bound; 0 = 2000 */
    uint64_t out_pos;  /* output consumed so far */
    unsigned restarts;
    bool healthy;  /* the last trial's probe passed: skip the next pre-probe */
    int start_err; /* last failed (re)start, 0 if none */
    struct hx_target_diag diag;
};

struct hx_live_verdict {
    int cls;
    char sig[200];
    char detail[512];
    size_t action;
    struct hx_transcript *tr; /* when run.transcript; owned */
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
};

struct hx_live_campaign {
    uint64_t cases;
    uint64_t elapsed_ms;
    unsigned restarts;
    bool stopped_early; /* every expected CVE was found */
    int status;         /* HX_OK, or why the campaign ended early */
    char why[512];
    struct hx_live_finding *f;
    size_t nf;
    struct hx_live_sample *samples;
    size_t ns;
    uint64_t per_class[HX_LIVE_NCLASSES]; /* case hits per class */
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
