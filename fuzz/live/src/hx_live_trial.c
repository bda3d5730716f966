/*
 * hx_live_trial.c - one case with every per-case oracle: the client-side
 * observation of hx_live_exec, then the process oracles of the supervised
 * target (exit status, liveness probe, crash signatures in its output).
 *
 * Output attribution: everything the server printed between the start of
 * the case and the end of its checks belongs to the case; output of
 * earlier cases and of restarts is skipped first. A crash that shows up
 * only after the probe is caught by a short second look at the process.
 */
#include "live/hx_live_run.h"

#include "hx_live_camp.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUT_KEEP 65536
/* How long a server that printed an error is watched for its exit. */
#define ERROR_EXIT_MS 500

static pthread_mutex_t target_mu = PTHREAD_MUTEX_INITIALIZER;

void hx_live_target_lock(bool on)
{
    if (on)
        pthread_mutex_lock(&target_mu);
    else
        pthread_mutex_unlock(&target_mu);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Skips output nobody will look at. */
static void drain_output(struct hx_live_trial_ctx *x)
{
    char buf[4096];
    while (hx_target_output(x->t, &x->out_pos, buf, sizeof(buf)) > 0)
        ;
}

/* Reads new output (its first |cap| - 1 bytes are kept) into |buf|. */
static size_t read_output(struct hx_live_trial_ctx *x, char *buf, size_t cap)
{
    size_t n = 0, got;
    while (n < cap - 1 && (got = hx_target_output(x->t, &x->out_pos, buf + n, cap - 1 - n)))
        n += got;
    buf[n] = 0;
    drain_output(x);
    return n;
}

int hx_live_ensure_up(struct hx_live_trial_ctx *x)
{
    struct hx_target_exit ex;
    struct hx_target_diag d = {{0}};
    uint32_t pm = x->probe_ms ? x->probe_ms : 2000;
    if (hx_target_check(x->t, &ex) == HX_TARGET_OK &&
        (x->healthy || hx_target_probe(x->t, (int)pm, &d) == HX_TARGET_OK)) {
        x->healthy = false;
        x->run.url = hx_target_base_url(x->t);
        return HX_OK;
    }
    int rc;
    if (hx_target_is_url(x->t)) {
        /* Not ours to restart: give it a few seconds to come back. */
        for (int i = 0; i < 10; i++) {
            sleep_ms(500);
            if (hx_target_probe(x->t, (int)pm, &x->diag) == HX_TARGET_OK) {
                x->run.url = hx_target_base_url(x->t);
                return HX_OK;
            }
        }
        x->start_err = HX_TARGET_ERR_TIMEOUT;
        return HX_ERR_CONNECT;
    }
    hx_live_agent_close(&x->agent);
    hx_live_target_lock(true);
    hx_target_stop(x->t, NULL);
    rc = hx_target_start(x->t, &x->diag);
    hx_live_target_lock(false);
    x->restarts++;
    x->run.url = hx_target_base_url(x->t);
    drain_output(x);
    x->start_err = rc;
    return rc == HX_TARGET_OK ? HX_OK : HX_ERR_CONNECT;
}

/* A crash verdict: the signature |sig| (NULL: the exit itself, as
 * "exited with code N") and what the process printed, |out|. */
static void crash_verdict(const struct hx_target_exit *ex, const char *sig, const char *out,
                          struct hx_live_verdict *v)
{
    char what[200];
    hx_target_exit_describe(ex, what, sizeof(what));
    v->cls = HX_LIVE_CRASH;
    snprintf(v->sig, sizeof(v->sig), "%s", sig ? sig : what);
    if (!sig)
        hx_live_sig_normalise(v->sig);
    snprintf(v->detail, sizeof(v->detail), "server %.150s; output: %.300s", what, out);
    for (char *p = v->detail; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
}

/* Reads the case's output and decides: a crash when |ex| is given (the
 * process died), else an error signature in the output, else what the
 * client side saw (|obs|). */
static int judge_output(struct hx_live_trial_ctx *x, const struct hx_target_exit *ex,
                        const struct hx_live_obs *obs, struct hx_live_verdict *v)
{
    char *out = malloc(OUT_KEEP), sig[200];
    if (!out)
        return HX_ERR_NOMEM;
    size_t n = read_output(x, out, OUT_KEEP);
    /* (The first signature: output read later cannot change it.) */
    bool printed = hx_live_signature(out, n, sig, sizeof(sig));
    struct hx_target_exit late;
    if (!ex && printed && !hx_target_is_url(x->t)) {
        /* An uncaught exception is printed before the process exits, and
         * the liveness check may fall in between: give the exit a moment
         * before calling it error output. */
        for (int waited = 0; waited < ERROR_EXIT_MS && !ex; waited += 20) {
            if (hx_target_check(x->t, &late) != HX_TARGET_OK)
                ex = &late;
            else
                sleep_ms(20);
        }
        if (ex) {
            x->healthy = false;
            n += read_output(x, out + n, OUT_KEEP - n); /* what it printed while exiting */
        }
    }
    if (ex) {
        bool carried = !printed && x->carry_sig[0];
        crash_verdict(ex, printed ? sig : carried ? x->carry_sig : NULL, out, v);
        if (carried) {
            size_t k = strlen(v->detail);
            snprintf(v->detail + k, sizeof(v->detail) - k, " (printed before the case: %.150s)",
                     x->carry_sig);
        }
    } else if (printed) {
        v->cls = HX_LIVE_ERROR_OUTPUT;
        snprintf(v->sig, sizeof(v->sig), "%s", sig);
        snprintf(v->detail, sizeof(v->detail), "alive, printed: %.400s", sig);
    } else {
        v->cls = obs->cls;
        memcpy(v->sig, obs->sig, sizeof(v->sig));
        snprintf(v->detail, sizeof(v->detail), "%s", obs->detail);
    }
    free(out);
    return HX_OK;
}

int hx_live_trial(struct hx_live_trial_ctx *x, const struct hx_live_case *c,
                  struct hx_live_verdict *v)
{
    memset(v, 0, sizeof(*v));
    if (hx_live_ensure_up(x) != HX_OK)
        return HX_ERR_CONNECT;
    /* Output of earlier cases is not this case's; an error signature in
     * it is kept for a crash that exits only now. */
    char pre[8192];
    size_t np = read_output(x, pre, sizeof(pre));
    if (!hx_live_signature(pre, np, x->carry_sig, sizeof(x->carry_sig)))
        x->carry_sig[0] = 0;
    struct hx_live_obs obs;
    int rc = hx_live_exec(&x->run, c, &obs);
    if (rc != HX_OK)
        return rc;
    v->tr = obs.tr;
    v->nfeat = obs.nfeat;
    memcpy(v->feat, obs.feat, obs.nfeat * sizeof(obs.feat[0]));
    struct hx_target_exit ex;
    struct hx_target_diag d = {{0}};
    bool died = hx_target_check(x->t, &ex) != HX_TARGET_OK;
    /* Any HTTP answer shows the event loop answers; the full handshake
     * probe is left for when that fails (it says what is wrong). */
    int pm = (int)(x->probe_ms ? x->probe_ms : 2000);
    int pr = died ? HX_TARGET_ERR_DIED : hx_target_ping(x->t, pm, &d);
    if (!died && pr != HX_TARGET_OK && pr != HX_TARGET_ERR_TIMEOUT)
        pr = hx_target_probe(x->t, pm, &d);
    bool answers = !died && pr == HX_TARGET_OK;
    if (!died && !answers) { /* refused: maybe it is dying right now */
        sleep_ms(200);
        died = hx_target_check(x->t, &ex) != HX_TARGET_OK;
    }
    v->action = obs.action;
    x->healthy = answers;
    if (died)
        return judge_output(x, &ex, &obs, v);
    if (!answers && hx_target_is_url(x->t) && pr == HX_TARGET_ERR_DIED) {
        /* Not our process: a refused connection is all a crash looks like. */
        v->cls = HX_LIVE_CRASH;
        snprintf(v->sig, sizeof(v->sig), "server stopped accepting connections");
        snprintf(v->detail, sizeof(v->detail), "connection refused after the case: %.400s", d.msg);
        return HX_OK;
    }
    if (!answers) {
        v->cls = HX_LIVE_HANG_SERVER;
        snprintf(v->sig, sizeof(v->sig), "liveness probe failed: %s", hx_target_err_name(pr));
        snprintf(v->detail, sizeof(v->detail), "alive but not answering a handshake: %.400s",
                 d.msg);
        drain_output(x);
        return HX_OK;
    }
    return judge_output(x, NULL, &obs, v);
}

int hx_live_late_crash(struct hx_live_trial_ctx *x, uint32_t wait_ms, struct hx_live_verdict *v)
{
    struct hx_target_exit ex;
    struct hx_live_obs none = {0};
    memset(v, 0, sizeof(*v));
    /* Only a server the last trial saw alive and answering can die late. */
    if (hx_target_is_url(x->t) || !x->healthy)
        return 0;
    for (uint32_t waited = 0; hx_target_check(x->t, &ex) == HX_TARGET_OK; waited += 50) {
        if (waited >= wait_ms)
            return 0;
        sleep_ms(50);
    }
    x->healthy = false;
    if (judge_output(x, &ex, &none, v) != HX_OK)
        return 0;
    size_t n = strlen(v->detail);
    snprintf(v->detail + n, sizeof(v->detail) - n, " (died after the case's checks)");
    return 1;
}

void hx_live_verdict_free(struct hx_live_verdict *v)
{
    hx_transcript_del(v->tr);
    v->tr = NULL;
}
