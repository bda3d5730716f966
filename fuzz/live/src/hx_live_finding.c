/*
 * hx_live_finding.c - what happens to a finding, inside the worker that
 * made it (the other workers go on fuzzing meanwhile): deduplication on
 * (class, signature), replays, minimisation, the CVE match, and the
 * reproducer file.
 *
 * Minimisation is ddmin over the actions, then over the bytes of the last
 * action that carries data; a missing reaction keeps its trigger and is
 * not shrunk bytewise. A leak is minimised by length (ddmin over the
 * actions with the leak oracle as the test) and then by repeat count (the
 * first loop's runs halved while the growth still shows); its signature
 * then names the repeated actions, and its reproducer carries a "leak"
 * line with the growth per repeat that counts as reproduced.
 *
 * Bounds: a test budget per stage and a time budget per finding.
 */
#include "hx_live_camp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LATE_WAIT_MS 1500 /* how long a replay waits for a late crash */

struct mctx {
    struct worker *w;
    const struct hx_live_case *base;
    int cls;
    const char *sig;
    int leak_res;   /* leaks: the resource that must grow */
    bool leak_live; /* ... while the sessions live (not after) */
    uint64_t deadline;
    size_t action;            /* byte stage: the action being shrunk */
    bool target;              /* byte stage: shrink |target| instead of |data| */
    bool late;                /* the crash came after the checks: wait for it */
    const size_t *free_;      /* action stage: the indices ddmin may drop */
    size_t keep[2];           /* action stage: indices always kept (SIZE_MAX: none) */
    struct hx_live_leak last; /* leak stage: the last successful measurement */
    uint64_t floor;           /* earlier_culprit: only cases before this index */
    uint64_t hard;            /* the whole processing of the finding ends here */
};

static bool past_hard(const struct mctx *m)
{
    return camp_now_ms() >= m->hard;
}

/* Stops the worker's server: its next trial starts a fresh process. */
static void fresh_server(struct worker *w)
{
    if (hx_target_is_url(w->x.t))
        return;
    hx_live_agent_close(&w->x.agent);
    hx_live_target_lock(true);
    hx_target_stop(w->x.t, NULL);
    hx_live_target_lock(false);
    w->x.healthy = false;
}

static bool same_finding(struct mctx *m, const struct hx_live_case *c)
{
    struct hx_live_verdict v;
    struct hx_live_leak lk;
    if (camp_now_ms() >= m->deadline)
        return false;
    struct hx_live_trial_ctx *x = &m->w->x;
    if (m->leak_res)
        fresh_server(m->w); /* as `siospec replay`; and a capped leak has room again */
    /* Memory is measured twice in a row (it is noisy); fds and threads
     * are exact, and a capped leak may have room for one run only. */
    unsigned runs = m->leak_res == HX_LIVE_RES_HEAP || m->leak_res == HX_LIVE_RES_RSS ? 2 : 1;
    int rc =
        m->leak_res ? hx_live_leak_trial(x, c, NULL, true, runs, &v, &lk) : hx_live_trial(x, c, &v);
    if (rc == HX_OK && m->late && v.cls == HX_LIVE_NONE) {
        hx_live_verdict_free(&v);
        hx_live_late_crash(x, LATE_WAIT_MS, &v);
    }
    bool same = rc == HX_OK && v.cls == m->cls &&
                (m->leak_res ? lk.res == m->leak_res && lk.live == m->leak_live
                             : strcmp(v.sig, m->sig) == 0);
    if (same && m->leak_res)
        m->last = lk;
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
        if (a->op == HX_LIVE_EXPECT_CLOSE || a->op == HX_LIVE_SLEEP || a->op == HX_LIVE_LOOP)
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

/* Leaks, stage two: the first loop's runs halved while it still leaks. */
static void shrink_repeats(struct mctx *m, struct hx_live_case *c)
{
    size_t at = SIZE_MAX;
    for (size_t i = 0; i < c->n && at == SIZE_MAX; i++)
        if (c->a[i].op == HX_LIVE_LOOP)
            at = i;
    while (at != SIZE_MAX && c->a[at].repeat > 4) {
        uint32_t was = c->a[at].repeat;
        c->a[at].repeat = was / 2;
        if (!same_finding(m, c)) {
            c->a[at].repeat = was;
            break;
        }
    }
}

static int shrink_bytes(struct mctx *m, unsigned budget, struct hx_live_case *out)
{
    size_t j;
    bool tgt;
    if (!pick_bytes(out, &j, &tgt))
        return CDC_OK;
    struct hx_live_case base;
    hx_live_case_init(&base);
    int rc = hx_live_case_copy(&base, out, NULL, 0);
    const struct hx_live_bytes *src = tgt ? &base.a[j].target : &base.a[j].data;
    size_t *bi = rc == CDC_OK ? malloc((src->len ? src->len : 1) * sizeof(size_t)) : NULL;
    if (bi) {
        m->base = &base;
        m->action = j;
        m->target = tgt;
        size_t kb = hx_live_ddmin(src->len, test_bytes, m, budget, bi);
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

/* Minimises |c| into |out| (see the file comment). */
static int minimise(struct mctx *m, const struct hx_live_case *c, size_t action,
                    struct hx_live_case *out)
{
    const struct hx_live_campaign_opts *o = m->w->cp->o;
    uint32_t budget_ms = o->min_ms ? o->min_ms : 10000;
    m->deadline = camp_now_ms() + (m->leak_res ? 3ull * budget_ms : budget_ms);
    if (m->deadline > m->hard)
        m->deadline = m->hard;
    m->base = c;
    /* A missing reaction depends on the state its trigger met (what was
     * joined, sent, pending before it): it is kept whole. */
    if (m->cls == HX_LIVE_REACTION)
        return hx_live_case_copy(out, c, NULL, 0);
    (void)action;
    unsigned budget = o->min_tests ? o->min_tests : 60;
    int rc = shrink_actions(m, budget, out);
    if (rc != CDC_OK)
        return rc;
    if (m->leak_res) {
        shrink_repeats(m, out);
        return CDC_OK;
    }
    return shrink_bytes(m, budget, out);
}

/* ---- leak signatures: what the repeated actions are ---- */

/* "send 2 /custom \"join\"", "send binary", "open", ... for one action. */
static void action_key(const struct hx_live_action *a, char *out, size_t cap)
{
    if (a->op != HX_LIVE_SEND || (a->flags & HX_LIVE_F_BINARY) || a->data.len < 2 ||
        a->data.p[0] != '4') {
        snprintf(out, cap, "%s%s", hx_live_op_name((int)a->op),
                 a->op == HX_LIVE_SEND ? (a->flags & HX_LIVE_F_BINARY ? " binary" : " text") : "");
        return;
    }
    const uint8_t *p = a->data.p, *end = p + a->data.len;
    char type = (char)p[1];
    p += 2;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == '-'))
        p++;
    const uint8_t *nsp = p;
    if (p < end && *p == '/')
        while (p < end && *p != ',')
            p++;
    int nl = (int)(p - nsp);
    while (p < end && (*p == ',' || (*p >= '0' && *p <= '9')))
        p++;
    int el = 0;
    if (end - p > 2 && p[0] == '[' && p[1] == '"') {
        const uint8_t *q = memchr(p + 2, '"', (size_t)(end - p - 2));
        el = q ? (int)(q - p - 2) : 0;
        el = el > 40 ? 40 : el;
    }
    snprintf(out, cap, "send 4%c %.*s%s%.*s", type, nl ? nl : 1, nl ? (const char *)nsp : "/",
             el ? " " : "", el, el ? (const char *)p + 2 : "");
}

/* The keys of the first loop's body, joined by |sep|. */
static void body_key(const struct hx_live_case *c, char *out, size_t cap, const char *sep)
{
    size_t at = SIZE_MAX, n = 0;
    out[0] = 0;
    for (size_t i = 0; i < c->n && at == SIZE_MAX; i++)
        if (c->a[i].op == HX_LIVE_LOOP)
            at = i;
    size_t from = at == SIZE_MAX ? 0 : at + 1;
    size_t to = at == SIZE_MAX ? c->n : (from + c->a[at].span < c->n ? from + c->a[at].span : c->n);
    for (size_t i = from; i < to; i++) {
        char k[120];
        int op = (int)c->a[i].op;
        if (op == HX_LIVE_SLEEP || op == HX_LIVE_EXPECT_CLOSE || op == HX_LIVE_LOOP)
            continue; /* what the server is sent is what names a leak */
        action_key(&c->a[i], k, sizeof(k));
        if (strstr(out, k))
            continue;
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? sep : "", k);
        if (n >= cap)
            break;
    }
}

/* A probe whose case holds every repeated action of leak |f| is a hit. */
static bool leak_known(const struct hx_live_finding *f, int res, bool live, const char *probe_keys)
{
    const char *body = strstr(f->sig, " of: ");
    if (f->leak_res != res || !body || f->processing)
        return false;
    /* Growth while the sessions live and growth that stays after them are
     * different leaks, even of the same actions. */
    if ((strstr(f->sig, "within a session") != NULL) != live)
        return false;
    char keys[200], needle[220];
    snprintf(keys, sizeof(keys), "%s", body + 5);
    for (char *save = NULL, *t = strtok_r(keys, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        while (*t == ' ')
            t++;
        snprintf(needle, sizeof(needle), "|%s|", t);
        if (!strstr(probe_keys, needle))
            return false;
    }
    return true;
}

/* ---- the findings table ---- */

static struct hx_live_finding *find(struct hx_live_campaign *res, int cls, const char *sig,
                                    const struct hx_live_leak *lk, const char *keys)
{
    for (size_t i = 0; i < res->nf; i++) {
        struct hx_live_finding *f = &res->f[i];
        if (f->cls == cls && strcmp(f->sig, sig) == 0)
            return f;
        if (lk && lk->res && leak_known(f, lk->res, lk->live, keys))
            return f;
    }
    return NULL;
}

/* The reproducer file of finding |id|: out_dir/finding-NNN.repro, or
 * finding-NNN.try.repro for a candidate that may replace it. */
static void repro_path(const struct camp *cp, unsigned id, bool trial, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/finding-%03u%s.repro", cp->o->out_dir, id, trial ? ".try" : "");
}

/* Writes |c| as finding |f|'s reproducer (repro_path). */
static void save_repro(struct worker *w, struct hx_live_finding *f, const struct hx_live_case *c,
                       bool trial)
{
    const struct hx_live_campaign_opts *o = w->cp->o;
    struct hx_live_meta m = {.eio = w->x.run.eio,
                             .seed = o->seed,
                             .index = f->first_case,
                             .has_seed = true,
                             .has_index = true,
                             .cls = f->cls,
                             .leak_res = f->leak_res};
    /* A --url server is not a bundled target: replay then needs --url. */
    if (o->target && !strstr(o->target, "://"))
        snprintf(m.target, sizeof(m.target), "%s", o->target);
    snprintf(m.sig, sizeof(m.sig), "%s", f->sig);
    snprintf(m.cve, sizeof(m.cve), "%s", f->cve);
    if (f->leak_res) {
        double floor = hx_live_leak_floor(f->leak_res), min = f->leak_per_repeat / 3.0;
        m.leak_min = min > floor ? min : floor;
    }
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    repro_path(w->cp, f->id, trial, f->repro, sizeof(f->repro));
    FILE *fp = hx_live_case_write(c, &m, &b) == CDC_OK ? fopen(f->repro, "wb") : NULL;
    if (!fp || fwrite(b.p, 1, b.len, fp) != b.len)
        f->repro[0] = 0;
    if (fp)
        fclose(fp);
    cdc_buf_free(&b);
}

static void say(struct camp *cp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct camp *cp, const char *fmt, ...)
{
    if (!cp->o->progress)
        return;
    va_list ap;
    va_start(ap, fmt);
    pthread_mutex_lock(&cp->mu);
    vfprintf(cp->o->progress, fmt, ap);
    fflush(cp->o->progress);
    pthread_mutex_unlock(&cp->mu);
    va_end(ap);
}

/* True when |c| shows the finding on a fresh server, in one of two runs. */
static bool replays_fresh(struct mctx *m, const struct hx_live_case *c)
{
    uint64_t deadline = m->deadline;
    bool late = m->late;
    m->deadline = UINT64_MAX;
    m->late = late || m->cls == HX_LIVE_CRASH; /* as `siospec replay` */
    bool ok = false;
    for (int i = 0; i < 2 && !ok; i++) {
        fresh_server(m->w);
        ok = same_finding(m, c);
    }
    m->deadline = deadline;
    m->late = late;
    return ok;
}

/* A leak is confirmed as `siospec replay` checks it: on a fresh server,
 * after a warm-up, growing in two runs in a row (same_finding). */
static bool leak_scales(struct mctx *m, const struct hx_live_case *c)
{
    return same_finding(m, c);
}

/* The most recent of the worker's earlier cases (up to 8 before |c|)
 * that shows the finding when replayed with a wait for a late crash. */
static const struct hx_live_case *earlier_culprit(struct worker *w, struct mctx *m,
                                                  const struct hx_live_case *c)
{
    bool late = m->late;
    m->late = true;
    const struct hx_live_case *hit = NULL;
    for (unsigned back = 0, tried = 0; back < w->n_recent && tried < 8 && !hit; back++) {
        /* recent[] is a ring indexed by case index: newest first */
        const struct hx_live_case *r = NULL;
        uint64_t best = 0;
        for (unsigned k = 0; k < w->n_recent; k++) {
            const struct hx_live_case *q = &w->recent[k];
            if (q->index < c->index && q->index > best && (back == 0 || q->index < m->floor)) {
                best = q->index;
                r = q;
            }
        }
        if (!r)
            break;
        m->floor = r->index;
        tried++;
        if (same_finding(m, r))
            hit = r;
    }
    m->late = late;
    m->floor = UINT64_MAX;
    return hit;
}

/* How often |c| shows the finding in |n| replays (fewer once the
 * processing is past its bound: *ran tells how many ran). */
static unsigned reproductions(struct mctx *m, const struct hx_live_case *c, unsigned n,
                              unsigned *ran)
{
    unsigned got = 0, i = 0;
    for (; i < n && (i == 0 || !past_hard(m)); i++)
        got += same_finding(m, c);
    *ran = i;
    return got;
}

/* True when |a| of |an| replays is a better rate than |b| of |bn|. */
static bool more_reliable(unsigned a, unsigned an, unsigned b, unsigned bn)
{
    return an && (!bn || (uint64_t)a * bn > (uint64_t)b * an);
}

/*
 * Replays, minimises and saves finding |fx| (a copy filled without the
 * lock and published by the caller). With |rival| (a finding that
 * reproduced only some of its replays), |c| is a candidate for a better
 * reproducer: it is screened by its replays first and, unless it
 * reproduces more reliably, left there (fx->repro stays ""); else it is
 * saved as finding-NNN.try.repro.
 */
static void process(struct worker *w, struct hx_live_finding *fx, const struct hx_live_case *c,
                    const struct hx_live_verdict *v, bool late, const struct hx_live_leak *lk,
                    const struct hx_live_finding *rival)
{
    struct camp *cp = w->cp;
    struct mctx m = {.w = w,
                     .base = c,
                     .cls = v->cls,
                     .sig = fx->sig,
                     .leak_res = lk ? lk->res : 0,
                     .leak_live = lk && lk->live,
                     .deadline = UINT64_MAX,
                     .late = late,
                     .keep = {SIZE_MAX, SIZE_MAX}};
    /* The whole processing is bounded (a finding of a slow case on a
     * server that starts slowly must not hold the campaign): 4 minimising
     * budgets, 8 for a leak (every leak test starts a fresh server). */
    uint64_t min_ms = cp->o->min_ms ? cp->o->min_ms : 10000;
    m.hard = camp_now_ms() + (m.leak_res ? (min_ms * 8 > 20000 ? min_ms * 8 : 20000)
                                         : (min_ms * 4 > 10000 ? min_ms * 4 : 10000));
    fx->replays = cp->o->replays ? cp->o->replays : 3;
    /* Memory is measured without the other workers' load, as `siospec
     * replay` measures it. */
    bool quiet = m.leak_res == HX_LIVE_RES_HEAP || m.leak_res == HX_LIVE_RES_RSS;
    if (quiet)
        camp_quiet(w, true);
    bool confirmed = !m.leak_res || leak_scales(&m, c) || (!past_hard(&m) && leak_scales(&m, c));
    if (!confirmed && quiet)
        camp_quiet(w, false);
    if (!confirmed) {
        /* A server that has run many cases may grow for reasons of its
         * own; what `siospec replay` cannot see on a fresh one is noise. */
        fx->cls = HX_LIVE_NONE;
        return;
    }
    unsigned ran = 0;
    fx->reproduced = reproductions(&m, c, fx->replays, &ran);
    fx->replays = ran; /* "reproduced N/M" counts the replays that ran */
    if (rival && !more_reliable(fx->reproduced, fx->replays, rival->reproduced, rival->replays)) {
        fx->repro[0] = 0;
        return;
    }
    if (fx->reproduced == 0 && (v->cls == HX_LIVE_CRASH || v->cls == HX_LIVE_HANG_SERVER) &&
        !m.leak_res) {
        /* A crash from a server timer may show during a later case: try
         * the worker's earlier cases, each waiting for a late crash. */
        const struct hx_live_case *cand = earlier_culprit(w, &m, c);
        if (cand) {
            c = cand;
            m.late = late = true;
            fx->first_case = c->index;
            fx->orig_actions = c->n;
            fx->orig_bytes = hx_live_case_bytes(c);
            snprintf(fx->gen, sizeof(fx->gen), "%s", c->gen);
            fx->reproduced = 1;
            for (unsigned i = 1; i < fx->replays; i++)
                fx->reproduced += same_finding(&m, c);
        }
    }
    struct hx_live_case min;
    hx_live_case_init(&min);
    uint64_t t = camp_now_ms();
    if (fx->reproduced == 0 || minimise(&m, c, v->action, &min) != CDC_OK)
        hx_live_case_copy(&min, c, NULL, 0);
    if (m.leak_res && min.n != c->n && !leak_scales(&m, &min)) /* noise got minimised */
        hx_live_case_copy(&min, c, NULL, 0);
    if (!m.leak_res && fx->reproduced && !past_hard(&m) &&
        (min.n != c->n || hx_live_case_bytes(&min) != hx_live_case_bytes(c))) {
        /* Minimising keeps what shows the finding once: with a flaky
         * trigger it may drop what made the case show it every time. A
         * minimised case that reproduces less than half as often as the
         * case gives way to the case as found. (A smaller gap is left to
         * chance: under load a short case may miss a late answer once.) */
        unsigned n2 = 0, r2 = reproductions(&m, &min, fx->replays, &n2);
        if (more_reliable(fx->reproduced, fx->replays, 2 * r2, n2)) {
            size_t n = strlen(fx->detail);
            snprintf(fx->detail + n, sizeof(fx->detail) - n,
                     " (the minimised case reproduced %u/%u only: the case as found is saved)", r2,
                     n2);
            hx_live_case_copy(&min, c, NULL, 0);
        }
    }
    if (!m.leak_res && fx->reproduced && !replays_fresh(&m, &min)) {
        /* `siospec replay` starts a fresh server: the reproducer must show
         * the finding there; else the case as found, if that does. */
        bool orig = min.n != c->n || hx_live_case_bytes(&min) != hx_live_case_bytes(c);
        if (orig && replays_fresh(&m, c)) {
            hx_live_case_copy(&min, c, NULL, 0);
        } else {
            size_t n = strlen(fx->detail);
            snprintf(fx->detail + n, sizeof(fx->detail) - n,
                     " (did not show on a fresh server: depends on the state earlier cases left)");
        }
    }
    fx->min_ms = (uint32_t)(camp_now_ms() - t);
    fx->min_actions = min.n;
    fx->min_bytes = hx_live_case_bytes(&min);
    if (lk && lk->res) {
        /* The growth on the minimised case, measured once more. */
        m.deadline = UINT64_MAX;
        /* (m.last holds the confirmation's or a replay's measurement.) */
        if (min.n != c->n && !past_hard(&m) && !same_finding(&m, &min))
            m.last = *lk;
        fx->leak_res = lk->res;
        fx->leak_repeats = hx_live_case_repeats(&min);
        fx->leak_per_repeat = m.last.per_repeat[lk->res];
        char keys[160];
        body_key(&min, keys, sizeof(keys), "; ");
        /* "within a session" tells `siospec replay` to measure before the
         * sessions close, as the campaign did. */
        snprintf(fx->sig, sizeof(fx->sig), "%s grows %sper repeat of: %s",
                 hx_live_leak_what(lk->res), m.leak_live ? "within a session " : "", keys);
        snprintf(fx->detail, sizeof(fx->detail),
                 "%s grows by %.1f per repeat (%u repeats of the minimised reproducer; the probe "
                 "ran %u)",
                 hx_live_leak_what(lk->res), fx->leak_per_repeat, fx->leak_repeats,
                 fx->orig_repeats);
    }
    if (lk && lk->res)
        say(cp, "fuzz: finding %u: %s: %s (case %llu, %.1f s)\n", fx->id,
            hx_live_class_name(fx->cls), fx->sig, (unsigned long long)fx->first_case,
            (double)fx->t_ms / 1000.0);
    /* The trigger must be in what reproduces: the minimised case. */
    const char *cve = hx_live_cve_match(fx->cls, fx->sig, &min);
    snprintf(fx->cve, sizeof(fx->cve), "%s", cve ? cve : "");
    save_repro(w, fx, &min, rival != NULL);
    if (quiet)
        camp_quiet(w, false);
    say(cp,
        "fuzz: finding %u: reproduced %u/%u, minimised %zu -> %zu actions, %zu -> %zu bytes in "
        "%.1f s%s%s\n",
        fx->id, fx->reproduced, fx->replays, fx->orig_actions, fx->min_actions, fx->orig_bytes,
        fx->min_bytes, (double)fx->min_ms / 1000.0, cve ? ", matches " : "", cve ? cve : "");
    hx_live_case_free(&min);
}

/* What a finding takes from the case that shows it. */
static void from_case(struct hx_live_finding *f, const struct hx_live_case *c,
                      const struct hx_live_verdict *v)
{
    f->cls = v->cls;
    f->first_case = c->index;
    f->processing = true;
    f->reproduced = 0;
    f->orig_actions = c->n;
    f->orig_bytes = hx_live_case_bytes(c);
    f->orig_repeats = hx_live_case_repeats(c);
    snprintf(f->sig, sizeof(f->sig), "%s", v->sig);
    snprintf(f->detail, sizeof(f->detail), "%s", v->detail);
    snprintf(f->gen, sizeof(f->gen), "%s", c->gen);
}

/* Finding |f| (cp->mu held, released here) reproduced only some of its
 * replays; case |c| shows it again. Screens |c| by its replays and, when
 * it reproduces more reliably, processes it and keeps its reproducer, so
 * that a reproducer found by chance first does not stand for a finding a
 * later case shows every time. At most 8 candidates per finding. */
static void retry(struct worker *w, struct hx_live_finding *f, const struct hx_live_case *c,
                  const struct hx_live_verdict *v, bool late)
{
    struct camp *cp = w->cp;
    f->hits++;
    f->retries++;
    f->processing = true;
    struct hx_live_finding fx = *f;
    from_case(&fx, c, v);
    fx.repro[0] = 0; /* f's own file is not the candidate's */
    unsigned had = f->reproduced, of = f->replays;
    pthread_mutex_unlock(&cp->mu);

    struct hx_live_finding rival = {.reproduced = had, .replays = of};
    process(w, &fx, c, v, late, NULL, &rival);

    pthread_mutex_lock(&cp->mu);
    /* process() saved a candidate only if it reproduced more reliably. */
    bool better = fx.repro[0] != 0;
    char path[sizeof(f->repro)];
    repro_path(cp, f->id, false, path, sizeof(path));
    if (better && rename(fx.repro, path) == 0) {
        fx.hits = f->hits;
        fx.t_ms = f->t_ms; /* still first seen then */
        fx.processing = false;
        snprintf(fx.repro, sizeof(fx.repro), "%s", path);
        *f = fx;
    } else {
        if (fx.repro[0])
            remove(fx.repro);
        better = false;
        f->processing = false;
    }
    pthread_mutex_unlock(&cp->mu);
    say(cp, "fuzz: finding %u: case %llu shows it too, reproduced %u/%u (was %u/%u): %s\n", fx.id,
        (unsigned long long)c->index, fx.reproduced, fx.replays, had, of,
        better ? "its reproducer replaces the first one" : "the first reproducer stays");
}

void camp_record(struct worker *w, const struct hx_live_case *c, const struct hx_live_verdict *v,
                 bool late, const struct hx_live_leak *lk)
{
    struct camp *cp = w->cp;
    struct hx_live_campaign *res = cp->res;
    char keys[400] = "|";
    if (lk && lk->res) { /* "|k1|k2|" for leak_known */
        body_key(c, keys + 1, sizeof(keys) - 2, "|");
        strcat(keys, "|");
    }
    pthread_mutex_lock(&cp->mu);
    res->per_class[v->cls]++;
    struct hx_live_finding *f = find(res, v->cls, v->sig, lk, keys);
    if (f && !f->processing && !f->leak_res && !(lk && lk->res) && f->replays &&
        f->reproduced < f->replays && f->retries < 8) {
        retry(w, f, c, v, late);
        return; /* unlocked */
    }
    if (f || res->nf == res->f_cap) {
        if (f)
            f->hits++;
        pthread_mutex_unlock(&cp->mu);
        return;
    }
    f = &res->f[res->nf++];
    memset(f, 0, sizeof(*f));
    f->id = (unsigned)res->nf;
    f->hits = 1;
    f->t_ms = camp_elapsed(cp);
    from_case(f, c, v);
    f->leak_res = lk ? lk->res : 0;
    const char *cve = hx_live_cve_match(f->cls, f->sig, c); /* final after minimising */
    snprintf(f->cve, sizeof(f->cve), "%s", cve ? cve : "");
    struct hx_live_finding fx = *f;
    if (cp->o->progress && !(lk && lk->res)) /* a leak is announced once confirmed */
        fprintf(cp->o->progress, "fuzz: finding %u: %s: %s (case %llu, %.1f s)\n", f->id,
                hx_live_class_name(f->cls), f->sig, (unsigned long long)c->index,
                (double)f->t_ms / 1000.0);
    pthread_mutex_unlock(&cp->mu);

    process(w, &fx, c, v, late, lk, NULL);

    pthread_mutex_lock(&cp->mu);
    if (fx.cls == HX_LIVE_NONE) { /* not confirmed: no finding after all */
        f->cls = HX_LIVE_NONE;
        f->processing = false;
        pthread_mutex_unlock(&cp->mu);
        return;
    }
    struct hx_live_finding *dup = NULL;
    for (size_t i = 0; i < res->nf && lk && lk->res; i++)
        if (&res->f[i] != f && !res->f[i].processing && res->f[i].cls == fx.cls &&
            strcmp(res->f[i].sig, fx.sig) == 0)
            dup = &res->f[i];
    fx.hits = f->hits;
    fx.processing = false;
    *f = fx;
    if (dup) { /* the same leak, found again through another probe */
        dup->hits += f->hits;
        if (f->repro[0])
            remove(f->repro);
        f->cls = HX_LIVE_NONE; /* dropped from the report */
    }
    pthread_mutex_unlock(&cp->mu);
}

int camp_mkdir_p(const char *dir)
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
