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
 * the server did not see close.
 */
#include "hx_live_camp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define IDLE_MS 120
#define REAP_MS 700

struct floor_ {
    const char *what; /* in the signature */
    double per;       /* growth per repeat */
    int64_t total;    /* growth over the run */
    int cls;
};

static const struct floor_ floors[HX_LIVE_NRES] = {
    [HX_LIVE_RES_HEAP] = {"heap", 400.0, 96 * 1024, HX_LIVE_LEAK_MEMORY},
    [HX_LIVE_RES_RSS] = {"VmRSS", 16384.0, 8 * 1024 * 1024, HX_LIVE_LEAK_MEMORY},
    [HX_LIVE_RES_FDS] = {"open fds", 0.5, 8, HX_LIVE_LEAK_FDS},
    [HX_LIVE_RES_THREADS] = {"threads", 0.25, 4, HX_LIVE_LEAK_THREADS},
};

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

/* The first resource over its floors (or over |want|'s). */
static int judge(const struct hx_live_measure *a, const struct hx_live_measure *b,
                 const struct hx_live_meta *want, struct hx_live_leak *out)
{
    int best = HX_LIVE_RES_NONE;
    for (int r = 1; r < HX_LIVE_NRES; r++) {
        if (!a->have[r] || !b->have[r])
            continue;
        out->growth[r] = (int64_t)b->v[r] - (int64_t)a->v[r];
        out->per_repeat[r] = (double)out->growth[r] / (double)out->repeats;
        bool over;
        if (want && want->leak_res != HX_LIVE_RES_NONE)
            over = r == want->leak_res && out->growth[r] >= floors[r].total &&
                   out->per_repeat[r] >= (double)want->leak_min;
        else
            over = out->growth[r] >= floors[r].total && out->per_repeat[r] >= floors[r].per;
        if (over && best == HX_LIVE_RES_NONE)
            best = r;
    }
    return best;
}

int hx_live_leak_trial(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                       const struct hx_live_meta *want, struct hx_live_verdict *v,
                       struct hx_live_leak *out)
{
    memset(out, 0, sizeof(*out));
    out->repeats = hx_live_case_repeats(c);
    struct hx_live_measure m0, m1;
    memset(v, 0, sizeof(*v));
    if (hx_live_ensure_up(x) != HX_OK)
        return HX_ERR_CONNECT;
    x->healthy = true; /* just checked: the trial need not probe again */
    bool have0 = hx_live_measure(x, &m0) == 0;
    int rc = hx_live_trial(x, c, v);
    if (rc != HX_OK || v->cls != HX_LIVE_NONE || !have0)
        return rc;
    sleep_ms(IDLE_MS);
    if (hx_live_measure(x, &m1) != 0)
        return HX_OK;
    int r = judge(&m0, &m1, want, out);
    if (r != HX_LIVE_RES_NONE) {
        /* Sessions the server has not reaped yet look like a leak: look
         * again after the contract's ping interval + timeout (500 ms). */
        sleep_ms(REAP_MS);
        if (hx_live_measure(x, &m1) != 0)
            return HX_OK;
        memset(out->growth, 0, sizeof(out->growth));
        r = judge(&m0, &m1, want, out);
    }
    out->res = r;
    if (r == HX_LIVE_RES_NONE)
        return HX_OK;
    v->cls = floors[r].cls;
    if (want && want->leak_res != HX_LIVE_RES_NONE && want->sig[0])
        snprintf(v->sig, sizeof(v->sig), "%s", want->sig);
    else
        snprintf(v->sig, sizeof(v->sig), "%s grows per repeat", floors[r].what);
    snprintf(v->detail, sizeof(v->detail),
             "%s grew by %lld over %u repeats (%.1f per repeat): %llu -> %llu", floors[r].what,
             (long long)out->growth[r], out->repeats, out->per_repeat[r],
             (unsigned long long)m0.v[r], (unsigned long long)m1.v[r]);
    return HX_OK;
}
