/*
 * hx_live_leak.c - the leak oracle of one case: measure the server
 * process, run the case (a body repeated N times by its first loop),
 * measure again, and divide the growth by N.
 *
 * Resources: the JS heap after a full GC (Node targets, through the
 * agent: precise to a few KiB), else VmRSS; open fds and threads always
 * (/proc). A resource leaks when it grew by at least its per-repeat floor
 * AND its total floor; both floors sit well above what one run of a
 * healthy server leaves behind (lazily compiled code, caches: a one-off
 * cost the campaign filters with a second run before it reports).
 *
 * The measurement is taken after the server has been idle for IDLE_MS;
 * when that one shows growth it is taken again REAP_MS later, once the
 * contract's ping timeout (500 ms) has reaped sessions whose connections
 * the server did not see close, and once more KEEP_MS after that: memory
 * held for a while (timers, lazy frees) is not a leak.
 */
#include "hx_live_camp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IDLE_MS 120
#define MIN_REPEATS 4
#define REAP_MS 700
#define KEEP_MS 1500

struct floor_ {
    const char *what; /* in the signature */
    double per;       /* growth per repeat */
    int64_t total;    /* growth over the run */
    int cls;
};

static const struct floor_ floors[HX_LIVE_NRES] = {
    [HX_LIVE_RES_HEAP] = {"heap", 2048.0, 1024 * 1024, HX_LIVE_LEAK_MEMORY},
    [HX_LIVE_RES_RSS] = {"VmRSS", 32768.0, 16 * 1024 * 1024, HX_LIVE_LEAK_MEMORY},
    [HX_LIVE_RES_FDS] = {"open fds", 0.5, 8, HX_LIVE_LEAK_FDS},
    [HX_LIVE_RES_THREADS] = {"threads", 0.25, 4, HX_LIVE_LEAK_THREADS},
};

/* Judged in this order: a thread also holds fds and heap, an fd heap. */
static const int order[] = {HX_LIVE_RES_THREADS, HX_LIVE_RES_FDS, HX_LIVE_RES_HEAP,
                            HX_LIVE_RES_RSS};

/* Growth while the sessions live is normal up to a point (their own
 * state); only a lot per repeat is unbounded buffering (CVE-2026-33151:
 * every binary message kept). Only the heap and VmRSS are judged so. */
static const struct floor_ live_floors[HX_LIVE_NRES] = {
    [HX_LIVE_RES_HEAP] = {"heap", 8192.0, 4 * 1024 * 1024, HX_LIVE_LEAK_MEMORY},
    [HX_LIVE_RES_RSS] = {"VmRSS", 65536.0, 32 * 1024 * 1024, HX_LIVE_LEAK_MEMORY},
};

struct mid {
    struct hx_live_trial_ctx *x;
    struct hx_live_measure m;
    bool have;
};

static void measure_mid(void *ud)
{
    struct mid *md = ud;
    md->have = hx_live_measure(md->x, &md->m) == 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

int hx_live_measure(struct hx_live_trial_ctx *x, struct hx_live_measure *m)
{
    memset(m, 0, sizeof(*m));
    if (hx_target_is_url(x->t))
        return -1;
    struct hx_live_sample s;
    if (hx_live_proc_sample(hx_target_pid(x->t), &s) != 0)
        return -1;
    m->v[HX_LIVE_RES_RSS] = s.rss_kb * 1024u;
    m->v[HX_LIVE_RES_FDS] = s.fds;
    m->v[HX_LIVE_RES_THREADS] = s.threads;
    m->have[HX_LIVE_RES_RSS] = m->have[HX_LIVE_RES_FDS] = m->have[HX_LIVE_RES_THREADS] = true;
    uint64_t heap;
    if (x->agent_dir &&
        hx_live_agent_mem(&x->agent, x->agent_dir, hx_target_port(x->t), &heap) == 0) {
        m->v[HX_LIVE_RES_HEAP] = heap;
        m->have[HX_LIVE_RES_HEAP] = true;
        m->have[HX_LIVE_RES_RSS] = false; /* the heap says it better */
    }
    return 0;
}

const char *hx_live_leak_what(int res)
{
    return res > 0 && res < HX_LIVE_NRES ? floors[res].what : "?";
}

int hx_live_leak_class(int res)
{
    return res > 0 && res < HX_LIVE_NRES ? floors[res].cls : HX_LIVE_NONE;
}

double hx_live_leak_floor(int res)
{
    return res > 0 && res < HX_LIVE_NRES ? floors[res].per : 0;
}

/* The first resource over its floors |fl| (or over |want|'s). */
static int judge(const struct hx_live_measure *a, const struct hx_live_measure *b,
                 const struct hx_live_meta *want, const struct floor_ *fl, struct hx_live_leak *out)
{
    int best = HX_LIVE_RES_NONE;
    if (out->repeats < MIN_REPEATS) /* growth per repeat needs repeats */
        return best;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        int r = order[i];
        if (!a->have[r] || !b->have[r] || !fl[r].what)
            continue;
        out->growth[r] = (int64_t)b->v[r] - (int64_t)a->v[r];
        out->per_repeat[r] = (double)out->growth[r] / (double)out->repeats;
        bool over;
        /* Memory moved through the server is a source of noise (large
         * inputs leave garbage and grown pools of their size behind): a
         * heap leak must also be a quarter of the bytes one repeat sends.
         * A server that keeps what it is sent (CVE-2026-33151) keeps at
         * least that much. */
        double per = fl[r].per;
        if ((r == HX_LIVE_RES_HEAP || r == HX_LIVE_RES_RSS) && out->bytes_per_repeat / 4.0 > per)
            per = out->bytes_per_repeat / 4.0;
        if (want && want->leak_res != HX_LIVE_RES_NONE)
            over = r == want->leak_res && out->growth[r] >= fl[r].total &&
                   out->per_repeat[r] >= want->leak_min;
        else
            over = out->growth[r] >= fl[r].total && out->per_repeat[r] >= per;
        if (over && best == HX_LIVE_RES_NONE)
            best = r;
    }
    return best;
}

/* A live-growth reproducer says so in its signature. */
static bool wants_live(const struct hx_live_meta *want)
{
    return want && want->leak_res != HX_LIVE_RES_NONE && strstr(want->sig, "within a session");
}

static long keep_ms(void)
{
    const char *e = getenv("SIOSPEC_LEAK_KEEP_MS"); /* for experiments */
    return e ? atol(e) : KEEP_MS;
}

/* Bytes one run of the first loop's body sends (data and pads). */
static double loop_bytes(const struct hx_live_case *c)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->a[i].op != HX_LIVE_LOOP)
            continue;
        double n = 0;
        for (size_t k = i + 1; k < c->n && k <= i + c->a[i].span; k++)
            n += (double)(c->a[k].data.len + c->a[k].pad_n + c->a[k].target.len);
        return n;
    }
    return 0;
}

/* Runs |c| with its first loop cut to 2 runs: the code paths it takes get
 * compiled and the caches filled before anything is measured. */
static int warm_up(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                   struct hx_live_verdict *v)
{
    struct hx_live_case w;
    hx_live_case_init(&w);
    int rc = hx_live_case_copy(&w, c, NULL, 0);
    for (size_t i = 0; rc == CDC_OK && i < w.n; i++)
        if (w.a[i].op == HX_LIVE_LOOP) {
            w.a[i].repeat = w.a[i].repeat > 2 ? 2 : w.a[i].repeat;
            break;
        }
    rc = rc == CDC_OK ? hx_live_trial(x, &w, v) : HX_ERR_NOMEM;
    hx_live_case_free(&w);
    return rc;
}

/* One measured run of |c| from the measurement |m0|: the resource over
 * its floors (or NONE), |out| filled, |m1| the last measurement taken.
 * Returns as hx_live_trial; a finding of another class is left in |v|. */
static int measured_run(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                        const struct hx_live_meta *want, const struct hx_live_measure *m0,
                        struct hx_live_measure *m1, struct hx_live_verdict *v,
                        struct hx_live_leak *out, int *res)
{
    *res = HX_LIVE_RES_NONE;
    struct mid md = {.x = x};
    x->run.before_close = measure_mid;
    x->run.before_close_ud = &md;
    x->healthy = true; /* just measured: the trial need not probe first */
    int rc = hx_live_trial(x, c, v);
    x->run.before_close = NULL;
    x->run.before_close_ud = NULL;
    if (rc != HX_OK || v->cls != HX_LIVE_NONE)
        return rc;
    int r = HX_LIVE_RES_NONE;
    if (!wants_live(want)) {
        /* After IDLE_MS; then, while it looks like growth, after the ping
         * timeout reaped what the server did not see close (REAP_MS) and a
         * while later (memory held by timers or lazy frees is not kept). */
        static const long waits[] = {IDLE_MS, REAP_MS, -1};
        for (size_t i = 0; i < 3; i++) {
            sleep_ms(waits[i] < 0 ? keep_ms() : waits[i]);
            if (hx_live_measure(x, m1) != 0)
                return HX_OK;
            memset(out->growth, 0, sizeof(out->growth));
            if ((r = judge(m0, m1, want, floors, out)) == HX_LIVE_RES_NONE)
                break;
        }
    }
    if (r == HX_LIVE_RES_NONE && md.have && (!want || !want->leak_res || wants_live(want))) {
        memset(out->growth, 0, sizeof(out->growth));
        r = judge(m0, &md.m, want, live_floors, out);
        out->live = r != HX_LIVE_RES_NONE;
        if (out->live && hx_live_measure(x, m1) != 0)
            *m1 = md.m;
    }
    *res = r;
    return HX_OK;
}

int hx_live_leak_trial(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                       const struct hx_live_meta *want, bool warm, unsigned runs,
                       struct hx_live_verdict *v, struct hx_live_leak *out)
{
    memset(out, 0, sizeof(*out));
    memset(v, 0, sizeof(*v));
    out->repeats = hx_live_case_repeats(c);
    out->bytes_per_repeat = loop_bytes(c);
    if (warm) {
        int rc = warm_up(x, c, v);
        if (rc != HX_OK || v->cls != HX_LIVE_NONE)
            return rc; /* a crash or other finding wins */
        hx_live_verdict_free(v);
        memset(v, 0, sizeof(*v));
        sleep_ms(REAP_MS);
    }
    if (hx_live_ensure_up(x) != HX_OK)
        return HX_ERR_CONNECT;
    struct hx_live_measure m[2];
    if (hx_live_measure(x, &m[0]) != 0) /* url mode or no /proc: no leak oracle */
        return hx_live_trial(x, c, v);
    int r = HX_LIVE_RES_NONE;
    struct hx_live_leak first;
    /* With |runs| 2 the growth must show twice in a row on the same
     * server: once-off costs (compiling, caches) and the noise of the
     * measurement do not repeat in the same direction. */
    for (unsigned i = 0; i < (runs ? runs : 1); i++) {
        int rr, rc = measured_run(x, c, want, &m[i % 2], &m[(i + 1) % 2], v, out, &rr);
        if (getenv("SIOSPEC_FUZZ_DEBUG"))
            fprintf(stderr,
                    "leak trial case %llu run %u (warm %d): heap %llu -> %llu, fds %llu -> "
                    "%llu, threads %llu -> %llu: %s\n",
                    (unsigned long long)c->index, i, warm,
                    (unsigned long long)m[i % 2].v[HX_LIVE_RES_HEAP],
                    (unsigned long long)m[(i + 1) % 2].v[HX_LIVE_RES_HEAP],
                    (unsigned long long)m[i % 2].v[HX_LIVE_RES_FDS],
                    (unsigned long long)m[(i + 1) % 2].v[HX_LIVE_RES_FDS],
                    (unsigned long long)m[i % 2].v[HX_LIVE_RES_THREADS],
                    (unsigned long long)m[(i + 1) % 2].v[HX_LIVE_RES_THREADS],
                    hx_live_res_name(rr));
        if (rc != HX_OK || v->cls != HX_LIVE_NONE)
            return rc;
        if (rr == HX_LIVE_RES_NONE || (i && (rr != r || out->live != first.live))) {
            r = HX_LIVE_RES_NONE;
            break;
        }
        if (i && out->growth[rr] > first.growth[rr])
            *out = first; /* report the smaller of the two */
        r = rr;
        first = *out;
    }
    out->res = r;
    if (r == HX_LIVE_RES_NONE)
        return HX_OK;
    v->cls = floors[r].cls;
    if (want && want->leak_res != HX_LIVE_RES_NONE && want->sig[0])
        snprintf(v->sig, sizeof(v->sig), "%s", want->sig);
    else
        snprintf(v->sig, sizeof(v->sig), "%s grows %sper repeat", floors[r].what,
                 out->live ? "within a session " : "");
    snprintf(v->detail, sizeof(v->detail), "%s grew by %lld over %u repeats (%.1f per repeat%s%s)",
             floors[r].what, (long long)out->growth[r], out->repeats, out->per_repeat[r],
             out->live ? ", while the sessions were open" : "", runs > 1 ? ", twice in a row" : "");
    return HX_OK;
}

bool hx_live_leak_over(int res, bool live, int64_t growth, uint32_t repeats, double bytes)
{
    const struct floor_ *fl = live ? live_floors : floors;
    if (res <= 0 || res >= HX_LIVE_NRES || !fl[res].what || repeats < MIN_REPEATS)
        return false;
    double per = fl[res].per;
    if ((res == HX_LIVE_RES_HEAP || res == HX_LIVE_RES_RSS) && bytes / 50.0 > per)
        per = bytes / 50.0;
    return growth >= fl[res].total && (double)growth / (double)repeats >= per;
}
