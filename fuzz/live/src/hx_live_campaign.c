/*
 * hx_live_campaign.c - the live fuzzing campaign's main thread: it starts
 * |jobs| workers (hx_live_worker.c), generates case N from the seed and the
 * corpus visible at N, hands it to an idle worker, and commits the
 * workers' results strictly in case order: the case log, the answer-shape
 * features and the server coverage each case added, and the corpus
 * entries for the cases that added any.
 *
 * Reproducibility: corpus entries found during the campaign become
 * visible CAMP_EPOCH x 2 cases after the epoch of the case that found them,
 * and case N is generated only once every case of the epochs two before
 * it has been committed. So case N depends on the seed, N, the corpus the
 * campaign started with and what the server did for earlier cases, never
 * on how the workers happened to interleave.
 *
 * Bounds: |duration_ms| and |max_cases| (no new case after them; the cases
 * running finish), or as soon as every expected CVE has been found.
 */
#include "hx_live_camp.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t camp_now_ms(void)
{
    return hx_clock_now(hx_net_clock()) / 1000u;
}

uint64_t camp_elapsed(const struct camp *cp)
{
    return camp_now_ms() - cp->t0;
}

static unsigned restarts(const struct camp *cp)
{
    if (!cp->w) /* the workers are gone: their total was kept */
        return cp->res->restarts;
    unsigned n = 0;
    for (unsigned i = 0; i < cp->nw; i++)
        n += cp->w[i].x.restarts;
    return n;
}

static void progress(struct camp *cp, bool force)
{
    uint64_t t = camp_elapsed(cp);
    if (!cp->o->progress || (!force && t - cp->last_progress < 2000))
        return;
    cp->last_progress = t;
    pthread_mutex_lock(&cp->mu);
    double rate = t ? (double)cp->res->cases * 1000.0 / (double)t : 0.0;
    size_t nf = 0;
    for (size_t i = 0; i < cp->res->nf; i++)
        nf += cp->res->f[i].cls != HX_LIVE_NONE;
    fprintf(cp->o->progress,
            "fuzz: %llu cases, %.1f cases/s, %zu findings, %llu.%llu s elapsed, %u restarts, "
            "corpus %zu, shapes %zu, cov %llu\n",
            (unsigned long long)cp->res->cases, rate, nf, (unsigned long long)(t / 1000),
            (unsigned long long)(t % 1000 / 100), restarts(cp),
            cp->o->corpus ? cp->o->corpus->n : 0, cp->shapes_n, (unsigned long long)cp->cov.n);
    fflush(cp->o->progress);
    pthread_mutex_unlock(&cp->mu);
}

/* ---- answer shapes: an open-addressing set of features ---- */

static bool shape_add(struct camp *cp, uint32_t f)
{
    if (!f)
        f = 1;
    if (cp->shapes_n * 2 >= cp->shapes_cap) {
        size_t cap = cp->shapes_cap ? cp->shapes_cap * 2 : 4096;
        uint32_t *ns = calloc(cap, sizeof(*ns));
        if (!ns)
            return false;
        for (size_t i = 0; i < cp->shapes_cap; i++)
            for (size_t j = cp->shapes[i] % cap; cp->shapes[i]; j = (j + 1) % cap)
                if (!ns[j]) {
                    ns[j] = cp->shapes[i];
                    break;
                }
        free(cp->shapes);
        cp->shapes = ns;
        cp->shapes_cap = cap;
    }
    for (size_t j = f % cp->shapes_cap;; j = (j + 1) % cp->shapes_cap) {
        if (cp->shapes[j] == f)
            return false;
        if (!cp->shapes[j]) {
            cp->shapes[j] = f;
            cp->shapes_n++;
            return true;
        }
    }
}

/* ---- commit, in case order ---- */

static void commit(struct camp *cp, struct result *r)
{
    const struct hx_live_campaign_opts *o = cp->o;
    unsigned nf = 0, nc = 0;
    for (unsigned i = 0; i < r->nfeat; i++)
        nf += shape_add(cp, r->feat[i]);
    if (r->cov.len) {
        nc = hx_live_covmap_add(&cp->cov, r->cov.p, r->cov.len);
        cp->res->have_cov = true;
    }
    if (cp->log)
        fprintf(cp->log, "%llu\t%s\t%u\t%s\t%u\t%u\n", (unsigned long long)r->index, r->c.gen,
                r->ms, hx_live_class_name(r->cls), nf, nc);
    bool useful = r->cls != HX_LIVE_CRASH && r->cls != HX_LIVE_HANG_SERVER &&
                  !hx_live_is_leak_probe(&r->c) && (nf || nc);
    if (useful && o->corpus && !o->no_feedback) {
        uint64_t vis = (r->index / CAMP_EPOCH + 2) * CAMP_EPOCH;
        if (hx_live_corpus_add(o->corpus, &r->c, vis, r->index, nf, nc) == CDC_OK)
            cp->res->corpus_new++;
    }
}

static void free_result(struct result *r)
{
    hx_live_case_free(&r->c);
    cdc_buf_free(&r->cov);
    free(r);
}

/* Moves finished results into the reorder ring and commits what is next. */
static void collect(struct camp *cp)
{
    pthread_mutex_lock(&cp->mu);
    struct result *r = cp->rq;
    cp->rq = NULL;
    pthread_mutex_unlock(&cp->mu);
    while (r) {
        struct result *next = r->next;
        size_t k = r->index % cp->pend_cap;
        if (cp->pending[k]) /* cannot happen: at most pend_cap cases are in flight */
            free_result(cp->pending[k]);
        cp->pending[k] = r;
        r = next;
    }
    for (;;) {
        size_t k = cp->next_commit % cp->pend_cap;
        struct result *p = cp->pending[k];
        if (!p || p->index != cp->next_commit)
            break;
        cp->pending[k] = NULL;
        commit(cp, p);
        free_result(p);
        cp->next_commit++;
    }
}

/* ---- dispatch ---- */

static bool expect_met(struct camp *cp)
{
    if (!cp->o->n_expect)
        return false;
    pthread_mutex_lock(&cp->mu);
    bool met = hx_live_expect_met(cp->o, cp->res);
    pthread_mutex_unlock(&cp->mu);
    return met;
}

static bool bounds_hit(const struct camp *cp)
{
    const struct hx_live_campaign_opts *o = cp->o;
    return (o->max_cases && cp->next_index >= o->max_cases) ||
           camp_elapsed(cp) >= (o->duration_ms ? o->duration_ms : 60000);
}

/* Case |i| may be generated once the epochs two before its own are in. */
static bool may_generate(const struct camp *cp, uint64_t i)
{
    uint64_t e = i / CAMP_EPOCH;
    return e < 2 || cp->next_commit >= (e - 1) * CAMP_EPOCH;
}

/* Gives one case to each idle worker. Returns false once the campaign
 * must not start new cases. */
static bool dispatch(struct camp *cp)
{
    if (bounds_hit(cp) || expect_met(cp))
        return false;
    for (unsigned i = 0; i < cp->nw; i++) {
        pthread_mutex_lock(&cp->mu);
        bool free_ = cp->w[i].idle && !cp->w[i].has_job && !cp->w[i].done;
        bool stop = cp->stop;
        pthread_mutex_unlock(&cp->mu);
        if (stop)
            return false;
        if (!free_ || !may_generate(cp, cp->next_index) ||
            cp->next_index - cp->next_commit >= cp->pend_cap)
            continue;
        if (hx_live_gen_next(&cp->g, cp->o->corpus, cp->next_index, &cp->gen) != CDC_OK) {
            pthread_mutex_lock(&cp->mu);
            cp->res->status = HX_ERR_NOMEM;
            pthread_mutex_unlock(&cp->mu);
            return false;
        }
        pthread_mutex_lock(&cp->mu);
        struct hx_live_case tmp = cp->w[i].job; /* swap the storage in */
        cp->w[i].job = cp->gen;
        cp->gen = tmp;
        cp->w[i].has_job = true;
        cp->w[i].idle = false;
        pthread_cond_broadcast(&cp->cv_work);
        pthread_mutex_unlock(&cp->mu);
        cp->next_index++;
        if (bounds_hit(cp))
            return false;
    }
    return true;
}

static bool all_idle(struct camp *cp)
{
    bool idle = true;
    pthread_mutex_lock(&cp->mu);
    for (unsigned i = 0; i < cp->nw; i++)
        idle &= cp->w[i].done || (cp->w[i].idle && !cp->w[i].has_job);
    pthread_mutex_unlock(&cp->mu);
    return idle;
}

static void wait_a_little(struct camp *cp)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 50 * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&cp->mu);
    if (!cp->rq && !cp->stop)
        pthread_cond_timedwait(&cp->cv_main, &cp->mu, &ts);
    pthread_mutex_unlock(&cp->mu);
}

/* ---- workers ---- */

static int make_workers(struct camp *cp, struct hx_live_trial_ctx *x)
{
    const struct hx_live_campaign_opts *o = cp->o;
    cp->nw = o->jobs ? o->jobs : 1;
    cp->w = calloc(cp->nw, sizeof(*cp->w));
    if (!cp->w)
        return HX_ERR_NOMEM;
    for (unsigned i = 0; i < cp->nw; i++) {
        struct worker *w = &cp->w[i];
        w->cp = cp;
        w->id = i;
        hx_live_case_init(&w->job);
        hx_live_case_init(&w->prev);
        for (unsigned k = 0; k < CAMP_RECENT; k++)
            hx_live_case_init(&w->recent[k]);
        w->x = *x;
        w->x.agent = (struct hx_live_agent){.fd = -1};
        w->x.run.seed = x->run.seed + i * 1000003ull;
        if (i == 0)
            continue; /* worker 0 runs on the server the caller started */
        struct hx_target_diag d = {{0}};
        /* Process mode: a server process of its own, started by the worker
         * thread; url mode: its own handle on the user's server. */
        int rc = o->desc ? hx_target_new(&w->own, o->desc, NULL, &d)
                         : hx_target_new_url(&w->own, o->url, NULL, NULL, &d);
        if (rc != HX_TARGET_OK)
            return HX_ERR_NOMEM;
        w->x.t = w->own;
        w->x.restarts = 0;
        w->x.healthy = false;
        w->x.out_pos = 0;
    }
    for (unsigned i = 0; i < cp->nw; i++) {
        cp->w[i].idle = false;
        if (pthread_create(&cp->w[i].th, NULL, camp_worker_main, &cp->w[i]) != 0)
            return HX_ERR_NOMEM;
        cp->w[i].started = true;
    }
    return HX_OK;
}

static unsigned end_workers(struct camp *cp, struct hx_live_trial_ctx *x)
{
    unsigned total = 0;
    pthread_mutex_lock(&cp->mu);
    cp->stop = true;
    pthread_cond_broadcast(&cp->cv_work);
    pthread_mutex_unlock(&cp->mu);
    for (unsigned i = 0; i < cp->nw; i++) {
        struct worker *w = &cp->w[i];
        if (w->started)
            pthread_join(w->th, NULL);
        hx_live_agent_close(&w->x.agent);
        total += w->x.restarts;
        if (i == 0) {
            x->restarts = w->x.restarts;
            x->run.url = w->x.run.url;
            x->healthy = w->x.healthy;
            x->out_pos = w->x.out_pos;
        } else {
            hx_live_target_lock(true);
            hx_target_del(w->own);
            hx_live_target_lock(false);
        }
        hx_live_case_free(&w->job);
        hx_live_case_free(&w->prev);
        for (unsigned k = 0; k < CAMP_RECENT; k++)
            hx_live_case_free(&w->recent[k]);
        free(w->samples);
    }
    free(cp->w);
    cp->w = NULL;
    cp->nw = 0;
    return total;
}

bool hx_live_expect_met(const struct hx_live_campaign_opts *o, const struct hx_live_campaign *res)
{
    for (size_t i = 0; i < o->n_expect; i++) {
        bool found = false;
        for (size_t j = 0; j < res->nf && !found; j++)
            found = res->f[j].cls != HX_LIVE_NONE && strcmp(res->f[j].cve, o->expect[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

static int setup(struct camp *cp, const struct hx_live_campaign_opts *o,
                 struct hx_live_campaign *res)
{
    cp->res = res;
    cp->o = o;
    res->f_cap = 512;
    res->f = calloc(res->f_cap, sizeof(*res->f));
    cp->pend_cap = 4 * CAMP_EPOCH;
    cp->pending = calloc(cp->pend_cap, sizeof(*cp->pending));
    if (!res->f || !cp->pending)
        return HX_ERR_NOMEM;
    if (camp_mkdir_p(o->out_dir) != 0) {
        snprintf(res->why, sizeof(res->why), "cannot create %.400s", o->out_dir);
        return HX_ERR_INVALID_ARG;
    }
    if (o->case_log) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/cases.tsv", o->out_dir);
        cp->log = fopen(path, "w");
    }
    hx_live_case_init(&cp->gen);
    pthread_mutex_init(&cp->mu, NULL);
    pthread_cond_init(&cp->cv_main, NULL);
    pthread_cond_init(&cp->cv_work, NULL);
    return HX_OK;
}

int hx_live_campaign_run(struct hx_live_trial_ctx *x, const struct hx_live_campaign_opts *o,
                         struct hx_live_campaign *res)
{
    memset(res, 0, sizeof(*res));
    struct camp cp = {.t0 = camp_now_ms()};
    cp.g = (struct hx_live_gen_opts){.seed = o->seed,
                                     .eio = x->run.eio,
                                     .sio = x->run.sio != 0,
                                     .max_payload = o->max_payload,
                                     .no_leak_probes = hx_target_is_url(x->t) != 0};
    res->status = setup(&cp, o, res);
    if (res->status != HX_OK) {
        free(cp.pending);
        return res->status;
    }
    res->jobs = o->jobs ? o->jobs : 1;
    if (make_workers(&cp, x) == HX_OK) {
        while (dispatch(&cp)) {
            wait_a_little(&cp);
            collect(&cp);
            progress(&cp, false);
        }
        while (!all_idle(&cp)) { /* let the running cases and findings finish */
            wait_a_little(&cp);
            collect(&cp);
            if (!res->active_ms && cp.next_commit == cp.next_index)
                res->active_ms = camp_elapsed(&cp); /* every case is in */
            progress(&cp, false);
        }
    } else if (res->status == HX_OK) {
        res->status = HX_ERR_NOMEM;
    }
    unsigned total_restarts = cp.w ? end_workers(&cp, x) : 0;
    collect(&cp);
    for (size_t i = 0; i < cp.pend_cap; i++)
        if (cp.pending[i])
            free_result(cp.pending[i]);
    free(cp.pending);
    hx_live_case_free(&cp.gen);
    if (cp.log)
        fclose(cp.log);
    res->elapsed_ms = camp_elapsed(&cp);
    if (!res->active_ms)
        res->active_ms = res->elapsed_ms;
    res->restarts = total_restarts;
    res->cov_features = cp.cov.n;
    res->shapes = cp.shapes_n;
    res->corpus_n = o->corpus ? o->corpus->n : 0;
    res->stopped_early = o->n_expect && hx_live_expect_met(o, res);
    progress(&cp, true);
    hx_live_covmap_free(&cp.cov);
    free(cp.shapes);
    pthread_mutex_destroy(&cp.mu);
    pthread_cond_destroy(&cp.cv_main);
    pthread_cond_destroy(&cp.cv_work);
    return res->status;
}

void hx_live_campaign_free(struct hx_live_campaign *res)
{
    free(res->f);
    free(res->samples);
    memset(res, 0, sizeof(*res));
}
