/*
 * hx_live_camp.h - private structures of the live campaign
 * (hx_live_campaign.c: the main thread's dispatch and feedback;
 * hx_live_worker.c: the workers; hx_live_finding.c: replay, minimisation
 * and reproducers). Not installed.
 *
 * Threads: the main thread generates every case (so the generator and the
 * corpus have one owner), hands it to an idle worker, and commits the
 * workers' results in case order (answer shapes, coverage, corpus). Each
 * worker runs its cases against its own server process (url mode: the
 * shared server) with every per-case oracle, and processes the findings
 * it makes itself while the others go on. |mu| guards the job slots, the
 * result queue, the findings table and the counters in |res|.
 */
#ifndef FUZZ_LIVE_SRC_HX_LIVE_CAMP_H
#define FUZZ_LIVE_SRC_HX_LIVE_CAMP_H

#include "live/hx_live_run.h"
#include "harness/hx_net.h"

#include <pthread.h>

#define CAMP_EPOCH 128 /* cases; corpus entries appear two epochs after their case */
#define CAMP_RECENT 16 /* cases a worker remembers for leak triage */

struct result {
    uint64_t index;
    struct hx_live_case c; /* the case (moved from the job) */
    int cls;
    uint32_t ms;
    uint32_t feat[HX_LIVE_MAX_FEAT];
    unsigned nfeat;
    struct cdc_buf cov; /* the agent's "cov" answer, empty when none */
    struct result *next;
};

struct worker {
    struct camp *cp;
    unsigned id;
    pthread_t th;
    bool started;
    struct hx_live_trial_ctx x;
    struct hx_target *own; /* process mode: this worker's server */
    /* job slot (mu) */
    bool has_job, idle, done;
    struct hx_live_case job;
    /* worker-private */
    struct hx_live_case prev; /* the last case run, for late crashes */
    bool have_prev;
    struct hx_live_case recent[CAMP_RECENT];
    unsigned n_recent;
    struct hx_live_sample *samples;
    size_t ns, window;
    unsigned restarts_at_window;
    uint64_t last_sample;
    /* fds and threads after each recent case (a cheap /proc read): growth
     * that persists sends the recent cases to leak triage */
    uint64_t watch_fds[CAMP_RECENT], watch_thr[CAMP_RECENT];
    unsigned n_watch, watch_restarts, watch_cases;
    uint64_t last_triage;
};

struct camp {
    const struct hx_live_campaign_opts *o;
    struct hx_live_campaign *res;
    struct hx_live_gen_opts g;
    uint64_t t0, last_progress;
    pthread_mutex_t mu;
    pthread_cond_t cv_main, cv_work;
    bool stop;
    unsigned busy;     /* workers running cases or tests (mu) */
    bool quiet;        /* a worker asked the others to pause (mu) */
    struct result *rq; /* finished results, any order (mu) */
    struct worker *w;
    unsigned nw;
    FILE *log;
    char agent_dir[256];
    /* main thread only */
    struct hx_live_covmap cov;
    uint32_t *shapes; /* open-addressing set of features */
    size_t shapes_cap, shapes_n;
    struct result **pending; /* by index % pend_cap, waiting for their turn */
    size_t pend_cap;
    uint64_t next_commit, next_index;
    struct hx_live_case gen; /* scratch */
};

uint64_t camp_now_ms(void);
uint64_t camp_elapsed(const struct camp *cp);

/* hx_live_worker.c */
void *camp_worker_main(void *arg);
/* Pauses (|on|) or resumes every other worker: they finish what they run
 * and wait. For measurements that the others' load would disturb (heap
 * leaks). Called by a worker that is busy (inside a case). */
void camp_quiet(struct worker *w, bool on);

/* hx_live_finding.c: a verdict |v| of case |c| seen by worker |w|: a hit
 * of a known finding, or a new one (replayed, minimised, saved). Leak
 * verdicts carry |lk| (the probe's growth). |late|: the crash came after
 * the checks. Called without |mu| held. */
void camp_record(struct worker *w, const struct hx_live_case *c, const struct hx_live_verdict *v,
                 bool late, const struct hx_live_leak *lk);
/* Campaign-level growth found on |w|'s server by the periodic samples:
 * tries the worker's recent cases as leak probes; records the growth as a
 * finding without reproducer only when none of them reproduces it. */
void camp_leak_triage(struct worker *w, int cls, const char *sig, const char *detail,
                      bool report_unreproduced);
/* Creates the directory |dir| and its parents. Returns 0 or -1. */
int camp_mkdir_p(const char *dir);

/* hx_live_trial.c: serialises starting and stopping target processes
 * (hx_target keeps a process-wide registry). */
void hx_live_target_lock(bool on);

/* hx_live_leak.c */
const char *hx_live_leak_what(int res);
int hx_live_leak_class(int res);
double hx_live_leak_floor(int res);
/* True when |growth| over |repeats| is over the floors of |res|. */
bool hx_live_leak_over(int res, bool live, int64_t growth, uint32_t repeats, double bytes);

#endif
