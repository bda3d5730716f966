/*
 * hx_live_worker.c - one worker of the live campaign: it owns a server
 * process (process mode; url mode: it shares the user's server) and runs
 * the cases the main thread hands it, one at a time, with every per-case
 * oracle: a late crash of the previous case, the trial (or the leak trial
 * of a leak probe), the coverage the case reached. It returns the result
 * at once (so the main thread's feedback never waits for a finding), then
 * processes a finding itself, and now and then samples its server's
 * resources after an idle pause (campaign-level growth).
 */
#include "hx_live_camp.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LEAK_WARMUP 2 /* samples ignored after each (re)start */

static void sleep_ms(uint32_t ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static void fail(struct worker *w, int rc)
{
    struct camp *cp = w->cp;
    pthread_mutex_lock(&cp->mu);
    if (cp->res->status == HX_OK) {
        cp->res->status = rc;
        snprintf(cp->res->why, sizeof(cp->res->why),
                 "a case could not run (worker %u, %s; last start: %s): %.400s", w->id,
                 hx_status_name(rc), hx_target_err_name(w->x.start_err), w->x.diag.msg);
    }
    cp->stop = true;
    pthread_cond_broadcast(&cp->cv_main);
    pthread_mutex_unlock(&cp->mu);
}

/* Enters (waiting while another worker wants quiet) or leaves the busy set. */
static void set_busy(struct worker *w, bool on)
{
    struct camp *cp = w->cp;
    pthread_mutex_lock(&cp->mu);
    while (on && cp->quiet)
        pthread_cond_wait(&cp->cv_work, &cp->mu);
    if (on)
        cp->busy++;
    else
        cp->busy--;
    pthread_cond_broadcast(&cp->cv_work);
    pthread_mutex_unlock(&cp->mu);
}

void camp_quiet(struct worker *w, bool on)
{
    struct camp *cp = w->cp;
    pthread_mutex_lock(&cp->mu);
    if (on) {
        cp->busy--; /* not counted while waiting: two requesters must not wait on each other */
        while (cp->quiet)
            pthread_cond_wait(&cp->cv_work, &cp->mu);
        cp->quiet = true;
        while (cp->busy > 0)
            pthread_cond_wait(&cp->cv_work, &cp->mu);
        cp->busy++;
    } else {
        cp->quiet = false;
    }
    pthread_cond_broadcast(&cp->cv_work);
    pthread_mutex_unlock(&cp->mu);
}

/* Waits for a job; false when the campaign stops. */
static bool next_job(struct worker *w, struct hx_live_case *c)
{
    struct camp *cp = w->cp;
    pthread_mutex_lock(&cp->mu);
    w->idle = true;
    pthread_cond_broadcast(&cp->cv_main);
    while (!w->has_job && !cp->stop)
        pthread_cond_wait(&cp->cv_work, &cp->mu);
    bool got = w->has_job;
    if (got) {
        struct hx_live_case tmp = *c; /* swap: the job's storage becomes ours */
        *c = w->job;
        w->job = tmp;
        w->has_job = false;
        w->idle = false;
    }
    pthread_mutex_unlock(&cp->mu);
    return got;
}

static void remember(struct worker *w, const struct hx_live_case *c)
{
    hx_live_case_copy(&w->prev, c, NULL, 0);
    w->have_prev = true;
    if (hx_target_is_url(w->x.t) || hx_live_is_leak_probe(c))
        return;
    unsigned k = w->n_recent < CAMP_RECENT ? w->n_recent++ : (unsigned)(c->index % CAMP_RECENT);
    hx_live_case_copy(&w->recent[k], c, NULL, 0);
}

/* Hands the result of case |c| to the main thread (|c| is moved). */
static void hand_over(struct worker *w, struct hx_live_case *c, const struct hx_live_verdict *v,
                      uint32_t ms, struct cdc_buf *cov)
{
    struct camp *cp = w->cp;
    struct result *r = calloc(1, sizeof(*r));
    if (!r)
        return;
    r->index = c->index;
    r->c = *c;
    hx_live_case_init(c);
    r->cls = v->cls;
    r->ms = ms;
    r->nfeat = v->nfeat;
    memcpy(r->feat, v->feat, v->nfeat * sizeof(v->feat[0]));
    r->cov = *cov;
    cdc_buf_init(cov, 16u << 20, NULL);
    pthread_mutex_lock(&cp->mu);
    r->next = cp->rq;
    cp->rq = r;
    cp->res->cases++;
    pthread_cond_broadcast(&cp->cv_main);
    pthread_mutex_unlock(&cp->mu);
}

/* ---- campaign-level resource samples ---- */

static void leak_check(struct worker *w)
{
    static const struct {
        int cls;
        size_t off;
        uint64_t min;
        const char *what;
    } m[] = {
        {HX_LIVE_LEAK_MEMORY, offsetof(struct hx_live_sample, rss_kb), 32768, "VmRSS"},
        {HX_LIVE_LEAK_THREADS, offsetof(struct hx_live_sample, threads), 4, "Threads"},
        {HX_LIVE_LEAK_FDS, offsetof(struct hx_live_sample, fds), 16, "open fds"},
    };
    const struct hx_live_campaign_opts *o = w->cp->o;
    size_t first = w->window + LEAK_WARMUP;
    size_t n = w->ns > first ? w->ns - first : 0, k = o->leak_k ? o->leak_k : 5;
    uint64_t v[64];
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        for (size_t j = 0; j < n; j++)
            memcpy(&v[j], (const char *)&w->samples[w->ns - n + j] + m[i].off, sizeof(v[j]));
        if (!hx_live_grows(v, n, k, m[i].min))
            continue;
        char sig[80], detail[200];
        snprintf(sig, sizeof(sig), "%s grows after idle", m[i].what);
        snprintf(detail, sizeof(detail), "%s rose over %zu samples: %llu -> %llu", m[i].what, k,
                 (unsigned long long)v[n - k], (unsigned long long)v[n - 1]);
        camp_leak_triage(w, m[i].cls, sig, detail, true);
        w->window = w->ns; /* start a new window: one report per growth */
    }
}

static void sample(struct worker *w)
{
    struct camp *cp = w->cp;
    const struct hx_live_campaign_opts *o = cp->o;
    if (hx_target_is_url(w->x.t) ||
        camp_elapsed(cp) - w->last_sample < (o->sample_ms ? o->sample_ms : 10000))
        return;
    sleep_ms(o->idle_ms ? o->idle_ms : 600);
    w->last_sample = camp_elapsed(cp);
    struct hx_live_sample s = {.t_ms = w->last_sample};
    if (hx_target_check(w->x.t, NULL) != HX_TARGET_OK ||
        hx_live_proc_sample(hx_target_pid(w->x.t), &s) != 0)
        return;
    struct hx_live_sample *ns = realloc(w->samples, (w->ns + 1) * sizeof(*ns));
    if (!ns)
        return;
    w->samples = ns;
    if (w->x.restarts != w->restarts_at_window) { /* a new process: a new baseline */
        w->window = w->ns;
        w->restarts_at_window = w->x.restarts;
    }
    ns[w->ns++] = s;
    if (w->id == 0) { /* the report's time series: worker 0's server */
        pthread_mutex_lock(&cp->mu);
        struct hx_live_sample *rs = realloc(cp->res->samples, (cp->res->ns + 1) * sizeof(*rs));
        if (rs) {
            cp->res->samples = rs;
            rs[cp->res->ns++] = s;
        }
        pthread_mutex_unlock(&cp->mu);
    }
    leak_check(w);
}

/* ---- per-case watch of fds and threads ---- */

static uint64_t min_of(const uint64_t *v, unsigned n)
{
    uint64_t m = UINT64_MAX;
    for (unsigned i = 0; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

/* After each case: when the server's fds or threads stay above what the
 * recent cases left behind, one of them may leak: try them as probes. */
static void watch(struct worker *w)
{
    struct hx_live_sample s;
    if (hx_target_is_url(w->x.t) || hx_target_check(w->x.t, NULL) != HX_TARGET_OK ||
        hx_live_proc_sample(hx_target_pid(w->x.t), &s) != 0)
        return;
    if (w->watch_restarts != w->x.restarts) { /* a new process: a new baseline */
        w->n_watch = 0;
        w->watch_cases = 0;
        w->watch_restarts = w->x.restarts;
    }
    if (++w->watch_cases < 32) /* after a (re)start, servers open fds lazily */
        return;
    unsigned n = w->n_watch < CAMP_RECENT ? w->n_watch : CAMP_RECENT;
    unsigned k = w->n_watch % CAMP_RECENT;
    bool full = n >= 8;
    uint64_t base_fd = min_of(w->watch_fds, n), base_thr = min_of(w->watch_thr, n);
    w->watch_fds[k] = s.fds;
    w->watch_thr[k] = s.threads;
    w->n_watch++;
    /* Persistent: the last three readings all stay above the base. */
    uint64_t last_fd = UINT64_MAX, last_thr = UINT64_MAX;
    for (unsigned i = 0; i < 3 && i < w->n_watch; i++) {
        unsigned j = (w->n_watch - 1 - i) % CAMP_RECENT;
        last_fd = w->watch_fds[j] < last_fd ? w->watch_fds[j] : last_fd;
        last_thr = w->watch_thr[j] < last_thr ? w->watch_thr[j] : last_thr;
    }
    bool fds = full && last_fd != UINT64_MAX && last_fd >= base_fd + 4;
    bool thr = full && last_thr != UINT64_MAX && last_thr >= base_thr + 2;
    uint64_t now = camp_elapsed(w->cp);
    if ((!fds && !thr) || (w->last_triage && now - w->last_triage < 15000))
        return;
    w->last_triage = now;
    char detail[160];
    snprintf(detail, sizeof(detail), "after recent cases: %s %llu -> %llu", fds ? "fds" : "threads",
             (unsigned long long)(fds ? base_fd : base_thr),
             (unsigned long long)(fds ? last_fd : last_thr));
    camp_leak_triage(w, fds ? HX_LIVE_LEAK_FDS : HX_LIVE_LEAK_THREADS,
                     fds ? "open fds grow after recent cases" : "Threads grow after recent cases",
                     detail, false);
    w->n_watch = 0;
}

/* ---- one case ---- */

static void run_one(struct worker *w, struct hx_live_case *c, struct cdc_buf *cov)
{
    struct camp *cp = w->cp;
    struct hx_live_verdict v;
    struct hx_live_leak lk;
    if (w->have_prev) { /* a crash after the previous case's checks is that case's */
        if (hx_live_late_crash(&w->x, 0, &v))
            camp_record(w, &w->prev, &v, true, NULL);
        hx_live_verdict_free(&v);
    }
    bool probe = hx_live_is_leak_probe(c) && !hx_target_is_url(w->x.t);
    uint64_t t = camp_now_ms();
    int rc =
        probe ? hx_live_leak_trial(&w->x, c, NULL, false, 1, &v, &lk) : hx_live_trial(&w->x, c, &v);
    if (rc == HX_ERR_CONNECT) { /* the server cannot be brought back */
        fail(w, rc);
        return;
    }
    if (rc != HX_OK) { /* this case could not run (harness limits): it found nothing */
        hx_live_verdict_free(&v);
        memset(&v, 0, sizeof(v));
        pthread_mutex_lock(&cp->mu);
        cp->res->case_errors++;
        pthread_mutex_unlock(&cp->mu);
    }
    uint32_t ms = (uint32_t)(camp_now_ms() - t);
    if (probe) {
        pthread_mutex_lock(&cp->mu);
        cp->res->leak_probes++;
        pthread_mutex_unlock(&cp->mu);
    }
    cdc_buf_reset(cov);
    if (w->x.agent_dir && v.cls != HX_LIVE_CRASH &&
        hx_live_agent_cov(&w->x.agent, w->x.agent_dir, hx_target_port(w->x.t), cov) != 0)
        cdc_buf_reset(cov);
    remember(w, c);
    struct hx_live_case keep;
    hx_live_case_init(&keep);
    if (v.cls != HX_LIVE_NONE)
        hx_live_case_copy(&keep, c, NULL, 0);
    hand_over(w, c, &v, ms, cov);
    if (v.cls != HX_LIVE_NONE)
        camp_record(w, &keep, &v, false, probe && lk.res ? &lk : NULL);
    hx_live_case_free(&keep);
    hx_live_verdict_free(&v);
}

static int start_own(struct worker *w)
{
    if (!w->own)
        return HX_OK; /* worker 0: the caller started its server */
    struct hx_target_diag d = {{0}};
    hx_live_target_lock(true);
    int rc = hx_target_start(w->own, &d);
    hx_live_target_lock(false);
    memcpy(&w->x.diag, &d, sizeof(d));
    w->x.start_err = rc;
    w->x.run.url = hx_target_base_url(w->own);
    return rc == HX_TARGET_OK ? HX_OK : HX_ERR_CONNECT;
}

/* ---- campaign-level growth: find the case that causes it ---- */

void camp_leak_triage(struct worker *w, int cls, const char *sig, const char *detail,
                      bool report_unreproduced)
{
    struct camp *cp = w->cp;
    uint64_t until = camp_now_ms() + 15000;
    if (cp->o->progress) {
        pthread_mutex_lock(&cp->mu);
        fprintf(cp->o->progress, "fuzz: worker %u: %s (%s): trying its last %u cases as probes\n",
                w->id, sig, detail, w->n_recent);
        pthread_mutex_unlock(&cp->mu);
    }
    /* Each recent case, whole sessions repeated: the first that grows the
     * resource becomes a leak finding with a reproducer. */
    for (unsigned i = 0; i < w->n_recent && camp_now_ms() < until; i++) {
        const struct hx_live_case *r = &w->recent[(w->n_recent - 1 - i) % CAMP_RECENT];
        struct hx_live_case probe;
        hx_live_case_init(&probe);
        hx_live_case_push(&probe, &(struct hx_live_action){
                                      .op = HX_LIVE_LOOP, .repeat = 24, .span = (uint32_t)r->n});
        for (size_t k = 0; k < r->n; k++)
            if (r->a[k].op != HX_LIVE_LOOP && r->a[k].op != HX_LIVE_EXPECT_CLOSE)
                hx_live_case_push(&probe, &r->a[k]);
        probe.a[0].span = (uint32_t)(probe.n - 1);
        probe.index = r->index;
        snprintf(probe.gen, sizeof(probe.gen), "leak:triage");
        struct hx_live_verdict v;
        struct hx_live_leak lk;
        int rc = hx_live_leak_trial(&w->x, &probe, NULL, false, 1, &v, &lk);
        bool found =
            rc == HX_OK && lk.res != HX_LIVE_RES_NONE && v.cls == hx_live_leak_class(lk.res);
        if (found)
            camp_record(w, &probe, &v, false, &lk);
        hx_live_verdict_free(&v);
        hx_live_case_free(&probe);
        if (found)
            return;
    }
    if (!report_unreproduced || !cp->o->progress)
        return;
    /* Nothing recent reproduces it. A finding without a reproducer is
     * not one a user can act on (a server's heap also grows on its own
     * under load): say so, and keep the samples in the report. */
    pthread_mutex_lock(&cp->mu);
    fprintf(cp->o->progress,
            "fuzz: worker %u: %s (%s): no recent case reproduces it; not reported (the "
            "resource samples are in findings.json)\n",
            w->id, sig, hx_live_class_name(cls));
    pthread_mutex_unlock(&cp->mu);
}

void *camp_worker_main(void *arg)
{
    struct worker *w = arg;
    struct hx_live_case c;
    struct cdc_buf cov;
    hx_live_case_init(&c);
    cdc_buf_init(&cov, 16u << 20, NULL);
    if (start_own(w) != HX_OK) {
        fail(w, HX_ERR_CONNECT);
    } else {
        while (next_job(w, &c)) {
            set_busy(w, true);
            run_one(w, &c, &cov);
            watch(w);
            sample(w);
            set_busy(w, false);
        }
    }
    pthread_mutex_lock(&w->cp->mu);
    w->done = true;
    w->idle = true;
    pthread_cond_broadcast(&w->cp->cv_main);
    pthread_mutex_unlock(&w->cp->mu);
    hx_live_case_free(&c);
    cdc_buf_free(&cov);
    return NULL;
}
