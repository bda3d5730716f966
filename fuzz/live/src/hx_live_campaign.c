/*
 * hx_live_campaign.c - the live fuzzing campaign: generate case N from
 * the seed, run it as a trial, and for each new (class, signature) pair
 * replay it, minimise it (ddmin over actions, then over the bytes of the
 * last action that carries data), match it against the known CVEs, save
 * a reproducer, and go on with a restarted server. Resource samples are
 * taken periodically after an idle pause; a rise over the last K samples
 * since the last restart is a leak finding.
 *
 * Bounds: the campaign stops at |duration_ms| or |max_cases|, or as soon
 * as every expected CVE has been found; minimising one finding is bounded
 * by a test budget per stage and by |min_ms|.
 */
#include "live/hx_live_run.h"
#include "harness/hx_net.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define LEAK_WARMUP 2     /* samples ignored after each (re)start */
#define LATE_WAIT_MS 1500 /* how long a replay waits for a late crash */

struct camp {
    struct hx_live_trial_ctx *x;
    const struct hx_live_campaign_opts *o;
    struct hx_live_campaign *res;
    struct hx_live_gen_opts g;
    uint64_t t0, last_progress, last_sample;
    size_t window; /* first sample since the last restart */
    unsigned restarts_at_window;
};

static uint64_t now_ms(void)
{
    return hx_clock_now(hx_net_clock()) / 1000u;
}

static uint64_t elapsed(const struct camp *cp)
{
    return now_ms() - cp->t0;
}

static void progress(struct camp *cp, bool force)
{
    uint64_t t = elapsed(cp);
    if (!cp->o->progress || (!force && t - cp->last_progress < 2000))
        return;
    cp->last_progress = t;
    double rate = t ? (double)cp->res->cases * 1000.0 / (double)t : 0.0;
    fprintf(cp->o->progress,
            "fuzz: %llu cases, %.1f cases/s, %zu findings, %llu.%llu s elapsed, %u restarts\n",
            (unsigned long long)cp->res->cases, rate, cp->res->nf, (unsigned long long)(t / 1000),
            (unsigned long long)(t % 1000 / 100), cp->x->restarts);
    fflush(cp->o->progress);
}

/* ---- minimisation ---- */

struct mctx {
    struct camp *cp;
    const struct hx_live_case *base;
    int cls;
    const char *sig;
    uint64_t deadline;
    size_t action;       /* byte stage: the action being shrunk */
    bool target;         /* byte stage: shrink |target| instead of |data| */
    bool late;           /* the crash came after the checks: wait for it */
    const size_t *free_; /* action stage: the indices ddmin may drop */
    size_t keep[2];      /* action stage: indices always kept (SIZE_MAX: none) */
};

static bool same_finding(const struct mctx *m, const struct hx_live_case *c)
{
    struct hx_live_verdict v;
    if (now_ms() >= m->deadline)
        return false;
    int rc = hx_live_trial(m->cp->x, c, &v);
    if (rc == HX_OK && m->late && v.cls == HX_LIVE_NONE) {
        hx_live_verdict_free(&v);
        hx_live_late_crash(m->cp->x, LATE_WAIT_MS, &v);
    }
    bool same = rc == HX_OK && v.cls == m->cls && strcmp(v.sig, m->sig) == 0;
    hx_live_verdict_free(&v);
    return same;
}

/* Merges the kept indices into the subset |idx| (positions in |free_|),
 * in case order, into |out|; returns the count. */
static size_t with_kept(const struct mctx *m, const size_t *idx, size_t k, size_t *out)
{
    size_t n = 0, i = 0;
    for (size_t a = 0; a < m->base->n; a++) {
        bool kept = a == m->keep[0] || a == m->keep[1];
        if (i < k && m->free_[idx[i]] == a) {
            i++;
            kept = true;
        }
        if (kept)
            out[n++] = a;
    }
    return n;
}

static bool test_actions(void *ud, const size_t *idx, size_t k)
{
    struct mctx *m = ud;
    struct hx_live_case sub;
    size_t *all = malloc((m->base->n ? m->base->n : 1) * sizeof(size_t));
    hx_live_case_init(&sub);
    bool same = all && hx_live_case_copy(&sub, m->base, all, with_kept(m, idx, k, all)) == CDC_OK &&
                same_finding(m, &sub);
    hx_live_case_free(&sub);
    free(all);
    return same;
}

static bool test_bytes(void *ud, const size_t *idx, size_t k)
{
    struct mctx *m = ud;
    struct hx_live_case sub;
    hx_live_case_init(&sub);
    bool same = false;
    if (hx_live_case_copy(&sub, m->base, NULL, 0) == CDC_OK) {
        struct hx_live_bytes *b = m->target ? &sub.a[m->action].target : &sub.a[m->action].data;
        const struct hx_live_bytes *src =
            m->target ? &m->base->a[m->action].target : &m->base->a[m->action].data;
        uint8_t *p = malloc(k ? k : 1);
        if (p) {
            for (size_t i = 0; i < k; i++)
                p[i] = src->p[idx[i]];
            same = hx_live_bytes_set(b, p, k) == CDC_OK && same_finding(m, &sub);
            free(p);
        }
    }
    hx_live_case_free(&sub);
    return same;
}

/* The action whose bytes the second stage shrinks: the last one that
 * carries data (or a target, for wsopen and http without a body). */
static bool pick_bytes(const struct hx_live_case *c, size_t *action, bool *target)
{
    for (size_t i = c->n; i-- > 0;) {
        const struct hx_live_action *a = &c->a[i];
        if (a->op == HX_LIVE_EXPECT_CLOSE || a->op == HX_LIVE_SLEEP)
            continue;
        if (a->data.len && a->data.len <= 4096) {
            *action = i;
            *target = false;
            return true;
        }
        if ((a->op == HX_LIVE_WSOPEN || a->op == HX_LIVE_HTTP) && a->target.len) {
            *action = i;
            *target = true;
            return true;
        }
    }
    return false;
}

/* Stage one: ddmin over the actions, except the kept ones. */
static int shrink_actions(struct mctx *m, unsigned budget, struct hx_live_case *out)
{
    const struct hx_live_case *c = m->base;
    size_t n = c->n ? c->n : 1, nf = 0;
    size_t *fr = malloc(n * sizeof(size_t)), *idx = malloc(n * sizeof(size_t)),
           *all = malloc(n * sizeof(size_t));
    int rc = CDC_ERR_NOMEM;
    if (fr && idx && all) {
        for (size_t a = 0; a < c->n; a++)
            if (a != m->keep[0] && a != m->keep[1])
                fr[nf++] = a;
        m->free_ = fr;
        size_t k = hx_live_ddmin(nf, test_actions, m, budget, idx);
        rc = hx_live_case_copy(out, c, all, with_kept(m, idx, k, all));
    }
    free(fr);
    free(idx);
    free(all);
    return rc;
}

/* Minimises |c|: actions first, then the bytes of one action. A missing
 * reaction keeps its trigger (the action before the expect-close at
 * |action|) and is not shrunk bytewise: removing bytes could turn an
 * invalid input into a valid one that rightly leaves the session open. */
static int minimise(struct camp *cp, const struct hx_live_case *c, int cls, const char *sig,
                    size_t action, bool late, struct hx_live_case *out)
{
    const struct hx_live_campaign_opts *o = cp->o;
    struct mctx m = {.cp = cp,
                     .base = c,
                     .cls = cls,
                     .sig = sig,
                     .deadline = now_ms() + (o->min_ms ? o->min_ms : 10000),
                     .late = late,
                     .keep = {SIZE_MAX, SIZE_MAX}};
    bool reaction = cls == HX_LIVE_REACTION && action > 0 && action < c->n;
    if (reaction) {
        m.keep[0] = action - 1;
        m.keep[1] = action;
    }
    unsigned budget = o->min_tests ? o->min_tests : 60;
    int rc = shrink_actions(&m, budget, out);
    size_t j;
    bool tgt;
    if (rc != CDC_OK || reaction || !pick_bytes(out, &j, &tgt))
        return rc;
    struct hx_live_case base;
    hx_live_case_init(&base);
    rc = hx_live_case_copy(&base, out, NULL, 0);
    const struct hx_live_bytes *src = tgt ? &base.a[j].target : &base.a[j].data;
    size_t *bi = rc == CDC_OK ? malloc(src->len * sizeof(size_t)) : NULL;
    if (bi) {
        m.base = &base;
        m.action = j;
        m.target = tgt;
        size_t kb = hx_live_ddmin(src->len, test_bytes, &m, budget, bi);
        uint8_t *p = malloc(kb ? kb : 1);
        for (size_t i = 0; p && i < kb; i++)
            p[i] = src->p[bi[i]];
        if (p)
            rc = hx_live_bytes_set(tgt ? &out->a[j].target : &out->a[j].data, p, kb);
        free(p);
        free(bi);
    }
    hx_live_case_free(&base);
    return rc;
}

/* ---- findings ---- */

static struct hx_live_finding *find(struct hx_live_campaign *res, int cls, const char *sig)
{
    for (size_t i = 0; i < res->nf; i++)
        if (res->f[i].cls == cls && strcmp(res->f[i].sig, sig) == 0)
            return &res->f[i];
    return NULL;
}

static struct hx_live_finding *add_finding(struct hx_live_campaign *res)
{
    struct hx_live_finding *nf = realloc(res->f, (res->nf + 1) * sizeof(*nf));
    if (!nf)
        return NULL;
    res->f = nf;
    memset(&nf[res->nf], 0, sizeof(*nf));
    nf[res->nf].id = (unsigned)res->nf + 1;
    return &nf[res->nf++];
}

static void save_repro(struct camp *cp, struct hx_live_finding *f, const struct hx_live_case *c)
{
    struct hx_live_meta m = {.eio = cp->x->run.eio,
                             .seed = cp->o->seed,
                             .index = f->first_case,
                             .has_seed = true,
                             .has_index = true,
                             .cls = f->cls};
    /* A --url server is not a bundled target: replay then needs --url. */
    if (cp->o->target && !strstr(cp->o->target, "://"))
        snprintf(m.target, sizeof(m.target), "%s", cp->o->target);
    snprintf(m.sig, sizeof(m.sig), "%s", f->sig);
    snprintf(m.cve, sizeof(m.cve), "%s", f->cve);
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    snprintf(f->repro, sizeof(f->repro), "%s/finding-%03u.repro", cp->o->out_dir, f->id);
    FILE *fp = hx_live_case_write(c, &m, &b) == CDC_OK ? fopen(f->repro, "wb") : NULL;
    if (!fp || fwrite(b.p, 1, b.len, fp) != b.len)
        f->repro[0] = 0;
    if (fp)
        fclose(fp);
    cdc_buf_free(&b);
}

static void new_finding(struct camp *cp, const struct hx_live_case *c,
                        const struct hx_live_verdict *v, bool late)
{
    struct hx_live_finding *f = add_finding(cp->res);
    if (!f)
        return;
    f->cls = v->cls;
    f->hits = 1;
    f->first_case = c->index;
    f->t_ms = elapsed(cp);
    snprintf(f->sig, sizeof(f->sig), "%s", v->sig);
    snprintf(f->detail, sizeof(f->detail), "%s", v->detail);
    snprintf(f->gen, sizeof(f->gen), "%s", c->gen);
    f->orig_actions = c->n;
    f->orig_bytes = hx_live_case_bytes(c);
    if (cp->o->progress)
        fprintf(cp->o->progress, "fuzz: finding %u: %s: %s (case %llu, %.1f s)\n", f->id,
                hx_live_class_name(f->cls), f->sig, (unsigned long long)c->index,
                (double)f->t_ms / 1000.0);
    struct mctx m = {.cp = cp,
                     .base = c,
                     .cls = v->cls,
                     .sig = f->sig,
                     .deadline = UINT64_MAX,
                     .late = late,
                     .keep = {SIZE_MAX, SIZE_MAX}};
    f->replays = cp->o->replays ? cp->o->replays : 3;
    for (unsigned i = 0; i < f->replays; i++)
        f->reproduced += same_finding(&m, c);
    struct hx_live_case min;
    hx_live_case_init(&min);
    uint64_t t = now_ms();
    if (f->reproduced == 0 || minimise(cp, c, v->cls, f->sig, v->action, late, &min) != CDC_OK)
        hx_live_case_copy(&min, c, NULL, 0);
    f->min_ms = (uint32_t)(now_ms() - t);
    f->min_actions = min.n;
    f->min_bytes = hx_live_case_bytes(&min);
    const char *cve = hx_live_cve_match(f->cls, f->sig, &min);
    if (!cve)
        cve = hx_live_cve_match(f->cls, f->sig, c);
    snprintf(f->cve, sizeof(f->cve), "%s", cve ? cve : "");
    save_repro(cp, f, &min);
    if (cp->o->progress)
        fprintf(cp->o->progress,
                "fuzz: finding %u: reproduced %u/%u, minimised %zu -> %zu actions, %zu -> %zu "
                "bytes in %.1f s%s%s\n",
                f->id, f->reproduced, f->replays, f->orig_actions, f->min_actions, f->orig_bytes,
                f->min_bytes, (double)f->min_ms / 1000.0, cve ? ", matches " : "", cve ? cve : "");
    hx_live_case_free(&min);
}

/* ---- resource samples ---- */

static void leak_check(struct camp *cp)
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
    struct hx_live_campaign *res = cp->res;
    /* The first samples of a process are warm-up (JIT, heap sizing). */
    size_t first = cp->window + LEAK_WARMUP;
    size_t n = res->ns > first ? res->ns - first : 0, k = cp->o->leak_k ? cp->o->leak_k : 5;
    uint64_t v[64];
    if (n > 64)
        n = 64;
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        for (size_t j = 0; j < n; j++)
            memcpy(&v[j], (const char *)&res->samples[res->ns - n + j] + m[i].off, sizeof(v[j]));
        char sig[80];
        snprintf(sig, sizeof(sig), "%s grows after idle", m[i].what);
        if (!hx_live_grows(v, n, k, m[i].min) || find(res, m[i].cls, sig))
            continue;
        struct hx_live_finding *f = add_finding(res);
        if (!f)
            return;
        f->cls = m[i].cls;
        f->hits = 1;
        f->first_case = res->cases;
        f->t_ms = elapsed(cp);
        snprintf(f->sig, sizeof(f->sig), "%s", sig);
        snprintf(f->detail, sizeof(f->detail), "%s rose over %zu samples: %llu -> %llu", m[i].what,
                 k, (unsigned long long)v[n - k], (unsigned long long)v[n - 1]);
        snprintf(f->gen, sizeof(f->gen), "campaign");
    }
}

static void sample(struct camp *cp)
{
    const struct hx_live_campaign_opts *o = cp->o;
    struct hx_target *t = cp->x->t;
    if (hx_target_is_url(t) ||
        elapsed(cp) - cp->last_sample < (o->sample_ms ? o->sample_ms : 10000))
        return;
    uint32_t idle = o->idle_ms ? o->idle_ms : 1000;
    struct timespec ts = {idle / 1000, (long)(idle % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
    cp->last_sample = elapsed(cp);
    struct hx_live_sample s = {.t_ms = cp->last_sample};
    if (hx_target_check(t, NULL) != HX_TARGET_OK || hx_live_proc_sample(hx_target_pid(t), &s) != 0)
        return;
    struct hx_live_sample *ns = realloc(cp->res->samples, (cp->res->ns + 1) * sizeof(*ns));
    if (!ns)
        return;
    cp->res->samples = ns;
    if (cp->x->restarts != cp->restarts_at_window) { /* a new process: a new baseline */
        cp->window = cp->res->ns;
        cp->restarts_at_window = cp->x->restarts;
    }
    ns[cp->res->ns++] = s;
    leak_check(cp);
}

/* ---- the loop ---- */

/* Creates |dir| and its missing parents. Returns 0 or -1. */
static int mkdir_p(const char *dir)
{
    char p[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof(p))
        return -1;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != 0)
            continue;
        char c = p[i];
        p[i] = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return -1;
        p[i] = c;
    }
    return 0;
}

bool hx_live_expect_met(const struct hx_live_campaign_opts *o, const struct hx_live_campaign *res)
{
    for (size_t i = 0; i < o->n_expect; i++) {
        bool found = false;
        for (size_t j = 0; j < res->nf && !found; j++)
            found = strcmp(res->f[j].cve, o->expect[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

static bool bounds_hit(const struct camp *cp, uint64_t i)
{
    const struct hx_live_campaign_opts *o = cp->o;
    return (o->max_cases && i >= o->max_cases) ||
           elapsed(cp) >= (o->duration_ms ? o->duration_ms : 60000);
}

/* Generates and runs case |i|, records what it found. Returns false when
 * the campaign must stop (|res->status| says why, or it stopped early). */
/* Records verdict |v| of case |c|: a new finding, or one more hit. */
static void record(struct camp *cp, const struct hx_live_case *c, const struct hx_live_verdict *v,
                   bool late)
{
    struct hx_live_finding *f = find(cp->res, v->cls, v->sig);
    cp->res->per_class[v->cls]++;
    if (f)
        f->hits++;
    else
        new_finding(cp, c, v, late);
}

/* A crash after case |i|'s checks belongs to case |i| (regenerated). */
static void late_check(struct camp *cp, uint64_t i, struct hx_live_case *c)
{
    struct hx_live_verdict v;
    if (hx_live_late_crash(cp->x, 0, &v) && hx_live_gen_case(&cp->g, i, c) == CDC_OK)
        record(cp, c, &v, true);
    hx_live_verdict_free(&v);
}

static bool run_case(struct camp *cp, uint64_t i, struct hx_live_case *c, FILE *log)
{
    struct hx_live_campaign *res = cp->res;
    struct hx_live_verdict v;
    if (i > 0)
        late_check(cp, i - 1, c);
    if (hx_live_gen_case(&cp->g, i, c) != CDC_OK) {
        res->status = HX_ERR_NOMEM;
        return false;
    }
    uint64_t t_case = now_ms();
    int rc = hx_live_trial(cp->x, c, &v);
    if (rc != HX_OK) {
        res->status = rc;
        snprintf(res->why, sizeof(res->why), "server could not be (re)started: %.400s",
                 cp->x->diag.msg);
        return false;
    }
    res->cases++;
    if (log)
        fprintf(log, "%llu\t%s\t%llu\t%s\t%s\n", (unsigned long long)i, c->gen,
                (unsigned long long)(now_ms() - t_case), hx_live_class_name(v.cls), v.sig);
    if (v.cls != HX_LIVE_NONE)
        record(cp, c, &v, false);
    hx_live_verdict_free(&v);
    if (cp->o->n_expect && hx_live_expect_met(cp->o, res)) {
        res->stopped_early = true;
        return false;
    }
    return true;
}

int hx_live_campaign_run(struct hx_live_trial_ctx *x, const struct hx_live_campaign_opts *o,
                         struct hx_live_campaign *res)
{
    memset(res, 0, sizeof(*res));
    struct camp cp = {.x = x, .o = o, .res = res, .t0 = now_ms()};
    cp.g = (struct hx_live_gen_opts){.seed = o->seed, .eio = x->run.eio, .sio = x->run.sio != 0};
    unsigned restarts0 = x->restarts;
    if (mkdir_p(o->out_dir) != 0) {
        res->status = HX_ERR_INVALID_ARG;
        snprintf(res->why, sizeof(res->why), "cannot create %.400s", o->out_dir);
        return res->status;
    }
    FILE *log = NULL;
    if (o->case_log) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/cases.tsv", o->out_dir);
        log = fopen(path, "w");
    }
    struct hx_live_case c;
    hx_live_case_init(&c);
    for (uint64_t i = 0; !bounds_hit(&cp, i) && run_case(&cp, i, &c, log); i++) {
        sample(&cp);
        progress(&cp, false);
    }
    hx_live_case_free(&c);
    if (log)
        fclose(log);
    res->elapsed_ms = elapsed(&cp);
    res->restarts = x->restarts - restarts0;
    progress(&cp, true);
    return res->status;
}

void hx_live_campaign_free(struct hx_live_campaign *res)
{
    free(res->f);
    free(res->samples);
    memset(res, 0, sizeof(*res));
}
