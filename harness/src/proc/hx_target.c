/*
 * hx_target.c - life cycle of a server under test: start, readiness,
 * death detection, restart, stop; process mode and url mode behind one API.
 *
 * Readiness is "a polling handshake answers 200 with an open packet", not
 * "the port accepts": a server can accept before its Engine.IO handler is
 * mounted. The wait polls the process too, so a server that dies during
 * start-up fails at once with its exit status and last output instead of
 * after the whole deadline. When siospec picked the port and the server
 * died saying the address is in use (another program took the port between
 * our probe bind and the server's bind), the start is retried once on a new
 * port.
 *
 * See hx_target.h for the global state (the Ctrl-C registry) and ownership.
 */
#define _POSIX_C_SOURCE 200809L

#include "hx_proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_READY_MS 5000
#define DEFAULT_GRACE_MS 2000
#define DEFAULT_LOG_CAP (64u * 1024u)
#define PROBE_ATTEMPT_MS 1000

struct hx_target {
    const struct hx_target_desc *desc; /* borrowed; NULL in url mode without one */
    struct hx_target_opts opts;
    char *host;
    char *path;
    char base_url[300];
    unsigned port;
    int url_mode;
    int url_started;
    struct hx_proc proc;
    struct hx_capture cap;
    long ready_ms;
    unsigned starts;
};

static void fill_opts(struct hx_target *t, const struct hx_target_opts *o)
{
    if (o)
        t->opts = *o;
    if (t->opts.ready_timeout_ms <= 0)
        t->opts.ready_timeout_ms = t->desc ? t->desc->ready_timeout_ms : DEFAULT_READY_MS;
    if (t->opts.ready_timeout_ms <= 0)
        t->opts.ready_timeout_ms = DEFAULT_READY_MS;
    if (t->opts.stop_grace_ms <= 0)
        t->opts.stop_grace_ms = DEFAULT_GRACE_MS;
    if (t->opts.log_cap == 0)
        t->opts.log_cap = DEFAULT_LOG_CAP;
    t->opts.log_path = NULL; /* only used at creation; not kept */
}

static void set_base_url(struct hx_target *t)
{
    int v6 = strchr(t->host, ':') != NULL;
    snprintf(t->base_url, sizeof t->base_url, "http://%s%s%s:%u", v6 ? "[" : "", t->host,
             v6 ? "]" : "", t->port);
}

static struct hx_target *alloc_target(const struct hx_target_desc *desc,
                                      const struct hx_target_opts *opts)
{
    struct hx_target *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->desc = desc;
    t->cap.fd = -1;
    fill_opts(t, opts);
    return t;
}

int hx_target_new(struct hx_target **out, const struct hx_target_desc *desc,
                  const struct hx_target_opts *opts, struct hx_target_diag *diag)
{
    if (!out || !desc || !desc->argv || desc->argc == 0 || !desc->path)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "target: no usable description");
    *out = NULL;
    struct hx_target *t = alloc_target(desc, opts);
    if (!t)
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    t->host = strdup(opts && opts->host ? opts->host : "127.0.0.1");
    t->path = strdup(desc->path);
    if (!t->host || !t->path) {
        hx_target_del(t);
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    }
    int rc = hx_capture_open(&t->cap, opts ? opts->log_path : NULL, t->opts.log_cap, diag);
    if (rc != HX_TARGET_OK) {
        hx_target_del(t);
        return rc;
    }
    *out = t;
    return HX_TARGET_OK;
}

int hx_target_new_url(struct hx_target **out, const char *url, const struct hx_target_desc *desc,
                      const struct hx_target_opts *opts, struct hx_target_diag *diag)
{
    if (!out)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "target: no output pointer");
    *out = NULL;
    struct hx_target *t = alloc_target(desc, opts);
    if (!t)
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    t->url_mode = 1;
    int rc = hx_proc_url_parse(url, &t->host, &t->port, &t->path, diag);
    if (rc == HX_TARGET_OK && !t->path) {
        t->path = strdup(desc && desc->path ? desc->path : "/socket.io/");
        if (!t->path)
            rc = hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    }
    if (rc != HX_TARGET_OK) {
        hx_target_del(t);
        return rc;
    }
    set_base_url(t);
    *out = t;
    return HX_TARGET_OK;
}

/* The polling request of the readiness and liveness probes: the
 * handshake, or with |extra| ("&sid=...") a request in a session. */
static void probe_path(const struct hx_target *t, const char *extra, char *buf, size_t cap)
{
    int eio4 = !t->desc || (t->desc->eio & (1u << 4));
    snprintf(buf, cap, "%s?EIO=%s&transport=polling%s%s", t->path, eio4 ? "4" : "3",
             eio4 ? "" : "&b64=1", extra);
}

/* Appends the exit status and the output tail of the process to |diag|. */
static int died_diag(struct hx_target *t, const char *when, struct hx_target_diag *diag)
{
    char st[96], tail[240];
    hx_capture_pump(&t->cap);
    hx_target_exit_describe(&t->proc.exit, st, sizeof st);
    hx_capture_tail(&t->cap, tail, sizeof tail);
    return hx_diag_set(diag, HX_TARGET_ERR_DIED, "%s: %s %s; last output: %s",
                       t->desc ? t->desc->name : t->base_url, st, when, tail[0] ? tail : "(none)");
}

/* One probe attempt; on failure writes why into |why|. */
static int probe_once(struct hx_target *t, int ms, char *why, size_t cap)
{
    char path[600];
    struct hx_probe_resp r;
    struct hx_target_diag pd = {{0}};
    probe_path(t, "", path, sizeof path);
    int rc = hx_probe_get(t->host, t->port, path, ms, &r, &pd);
    if (rc != HX_TARGET_OK) {
        snprintf(why, cap, "%s", pd.msg);
        return rc;
    }
    if (r.status == 200 && hx_probe_is_open_packet(r.body, r.body_len))
        return HX_TARGET_OK;
    snprintf(why, cap, "GET %s answered HTTP %d: %.80s", path, r.status, r.body);
    return HX_TARGET_ERR_PROBE;
}

/* Polls until the server answers a handshake, it dies, or the deadline. */
static int wait_ready(struct hx_target *t, struct hx_target_diag *diag)
{
    int64_t t0 = hx_proc_now_ms();
    int64_t deadline = t0 + t->opts.ready_timeout_ms;
    char why[768] = "no answer yet";
    for (;;) {
        if (!t->url_mode && !hx_proc_poll(&t->proc))
            return died_diag(t, "during start-up", diag);
        hx_capture_pump(&t->cap);
        int64_t left = deadline - hx_proc_now_ms();
        if (left <= 0)
            break;
        int rc =
            probe_once(t, left < PROBE_ATTEMPT_MS ? (int)left : PROBE_ATTEMPT_MS, why, sizeof why);
        if (rc == HX_TARGET_OK) {
            t->ready_ms = (long)(hx_proc_now_ms() - t0);
            return HX_TARGET_OK;
        }
        left = deadline - hx_proc_now_ms();
        long nap = rc == HX_TARGET_ERR_DIED ? 10 : 50;
        if (left > 0)
            hx_proc_sleep_ms(left < nap ? (long)left : nap);
    }
    char tail[200];
    if (!t->url_mode)
        hx_proc_stop(&t->proc, t->opts.stop_grace_ms);
    hx_capture_pump(&t->cap);
    hx_capture_tail(&t->cap, tail, sizeof tail);
    return hx_diag_set(diag, HX_TARGET_ERR_TIMEOUT,
                       "%s: not ready after %d ms at %s (%s); "
                       "last output: %s",
                       t->desc ? t->desc->name : t->base_url, t->opts.ready_timeout_ms, t->base_url,
                       why, tail[0] ? tail : "(none)");
}

static int spawn_once(struct hx_target *t, struct hx_target_diag *diag)
{
    if (t->opts.port)
        t->port = t->opts.port;
    else if (hx_proc_port_pick(t->host, &t->port, diag) != HX_TARGET_OK)
        return HX_TARGET_ERR_PORT;
    set_base_url(t);
    char port_kv[32], host_kv[300];
    snprintf(port_kv, sizeof port_kv, "PORT=%u", t->port);
    snprintf(host_kv, sizeof host_kv, "HOST=%s", t->host);
    const char **env = calloc(t->desc->nenv + 3, sizeof *env);
    if (!env)
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->desc->nenv; i++)
        env[i] = t->desc->env[i];
    env[t->desc->nenv] = port_kv;
    env[t->desc->nenv + 1] = host_kv;
    struct hx_proc_spec spec = {(const char *const *)t->desc->argv, t->desc->cwd, env, t->cap.fd};
    int rc = hx_proc_spawn(&t->proc, &spec, diag);
    free(env);
    if (rc != HX_TARGET_OK)
        return rc;
    if (hx_proc_registry_add(t->proc.pid, t) != HX_TARGET_OK) {
        hx_proc_stop(&t->proc, t->opts.stop_grace_ms);
        return hx_diag_set(diag, HX_TARGET_ERR_STATE, "more than %d targets running",
                           HX_TARGET_MAX_LIVE);
    }
    return HX_TARGET_OK;
}

static int said_addr_in_use(const struct hx_target *t)
{
    char tail[4096];
    hx_capture_tail(&t->cap, tail, sizeof tail);
    return strstr(tail, "EADDRINUSE") || strstr(tail, "ddress already in use");
}

int hx_target_start(struct hx_target *t, struct hx_target_diag *diag)
{
    if (!t)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "no target");
    if (t->url_mode) {
        int rc = wait_ready(t, diag);
        t->url_started = rc == HX_TARGET_OK;
        t->starts += rc == HX_TARGET_OK;
        return rc;
    }
    if (t->proc.running && hx_proc_poll(&t->proc))
        return hx_diag_set(diag, HX_TARGET_ERR_STATE, "%s is already running (pid %ld)",
                           t->desc->name, (long)t->proc.pid);
    for (int attempt = 0;; attempt++) {
        int rc = spawn_once(t, diag);
        if (rc == HX_TARGET_OK)
            rc = wait_ready(t, diag);
        if (rc == HX_TARGET_ERR_DIED && attempt == 0 && !t->opts.port && said_addr_in_use(t))
            continue;
        t->starts += rc == HX_TARGET_OK;
        return rc;
    }
}

static void copy_exit(const struct hx_target *t, struct hx_target_exit *ex)
{
    if (!ex)
        return;
    if (t->url_mode) {
        memset(ex, 0, sizeof *ex);
        ex->state = t->url_started ? HX_TARGET_RUNNING : HX_TARGET_IDLE;
        return;
    }
    *ex = t->proc.exit;
}

int hx_target_check(struct hx_target *t, struct hx_target_exit *ex)
{
    if (!t)
        return HX_TARGET_ERR_INVALID_ARG;
    int alive;
    if (t->url_mode) {
        alive = t->url_started;
    } else {
        alive = hx_proc_poll(&t->proc);
        hx_capture_pump(&t->cap);
    }
    copy_exit(t, ex);
    return alive ? HX_TARGET_OK : HX_TARGET_ERR_DIED;
}

int hx_target_probe(struct hx_target *t, int timeout_ms, struct hx_target_diag *diag)
{
    if (!t)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "no target");
    if (!t->url_mode && !hx_proc_poll(&t->proc))
        return died_diag(t, "before the probe", diag);
    char why[768];
    int rc = probe_once(t, timeout_ms > 0 ? timeout_ms : PROBE_ATTEMPT_MS, why, sizeof why);
    if (rc != HX_TARGET_OK)
        hx_diag_set(diag, rc, "%s: %s", t->desc ? t->desc->name : t->base_url, why);
    return rc;
}

int hx_target_ping(struct hx_target *t, int timeout_ms, struct hx_target_diag *diag)
{
    if (!t)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "no target");
    if (!t->url_mode && !hx_proc_poll(&t->proc))
        return died_diag(t, "before the ping", diag);
    /* A session id no server issues: answered with an error at once, no
     * session is created (a handshake per case leaves thousands of
     * sessions for the server to time out). */
    char path[600];
    probe_path(t, "&sid=siospec-ping", path, sizeof path);
    struct hx_probe_resp r;
    int rc = hx_probe_get(t->host, t->port, path, timeout_ms > 0 ? timeout_ms : PROBE_ATTEMPT_MS,
                          &r, diag);
    if (rc == HX_TARGET_OK && r.status < 100)
        return hx_diag_set(diag, HX_TARGET_ERR_PROBE, "ping: no HTTP status");
    return rc;
}

int hx_target_restart(struct hx_target *t, struct hx_target_diag *diag)
{
    if (!t)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "no target");
    hx_target_stop(t, NULL);
    return hx_target_start(t, diag);
}

int hx_target_stop(struct hx_target *t, struct hx_target_exit *ex)
{
    if (!t)
        return HX_TARGET_ERR_INVALID_ARG;
    if (t->url_mode) {
        t->url_started = 0;
    } else if (t->proc.running) {
        hx_proc_stop(&t->proc, t->opts.stop_grace_ms);
        hx_capture_pump(&t->cap);
    }
    copy_exit(t, ex);
    return HX_TARGET_OK;
}

void hx_target_del(struct hx_target *t)
{
    if (!t)
        return;
    hx_target_stop(t, NULL);
    hx_capture_close(&t->cap);
    free(t->host);
    free(t->path);
    free(t);
}

size_t hx_target_output(struct hx_target *t, uint64_t *pos, char *buf, size_t cap)
{
    if (!t)
        return 0;
    hx_capture_pump(&t->cap);
    return hx_capture_read(&t->cap, pos, buf, cap);
}

const char *hx_target_host(const struct hx_target *t)
{
    return t->host;
}

unsigned hx_target_port(const struct hx_target *t)
{
    return t->port;
}

const char *hx_target_path(const struct hx_target *t)
{
    return t->path;
}

const char *hx_target_base_url(const struct hx_target *t)
{
    return t->base_url;
}

pid_t hx_target_pid(const struct hx_target *t)
{
    return t->proc.running ? t->proc.pid : 0;
}

long hx_target_ready_ms(const struct hx_target *t)
{
    return t->ready_ms;
}

unsigned hx_target_starts(const struct hx_target *t)
{
    return t->starts;
}

int hx_target_is_url(const struct hx_target *t)
{
    return t->url_mode;
}

void hx_target_exit_describe(const struct hx_target_exit *ex, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    if (!ex) {
        snprintf(buf, cap, "unknown");
        return;
    }
    switch (ex->state) {
    case HX_TARGET_RUNNING:
        snprintf(buf, cap, "running");
        break;
    case HX_TARGET_EXITED:
        snprintf(buf, cap, "exited with code %d", ex->code);
        break;
    case HX_TARGET_SIGNALED:
        snprintf(buf, cap, "killed by signal %d (%s)%s", ex->signo, strsignal(ex->signo),
                 ex->forced ? " after the grace period" : "");
        break;
    default:
        snprintf(buf, cap, "not started");
        break;
    }
}

const char *hx_target_err_name(int err)
{
    switch (err) {
    case HX_TARGET_OK:
        return "OK";
    case HX_TARGET_ERR_NOMEM:
        return "ERR_NOMEM";
    case HX_TARGET_ERR_INVALID_ARG:
        return "ERR_INVALID_ARG";
    case HX_TARGET_ERR_IO:
        return "ERR_IO";
    case HX_TARGET_ERR_DESC:
        return "ERR_DESC";
    case HX_TARGET_ERR_SPAWN:
        return "ERR_SPAWN";
    case HX_TARGET_ERR_TIMEOUT:
        return "ERR_TIMEOUT";
    case HX_TARGET_ERR_DIED:
        return "ERR_DIED";
    case HX_TARGET_ERR_PORT:
        return "ERR_PORT";
    case HX_TARGET_ERR_URL:
        return "ERR_URL";
    case HX_TARGET_ERR_STATE:
        return "ERR_STATE";
    case HX_TARGET_ERR_PROBE:
        return "ERR_PROBE";
    default:
        return "UNKNOWN";
    }
}

static void stop_owner(void *owner)
{
    hx_target_stop(owner, NULL);
}

void hx_target_stop_all(void)
{
    hx_proc_registry_each(stop_owner);
}

int hx_target_install_cleanup(void)
{
    static int installed;
    if (installed)
        return HX_TARGET_OK;
    if (atexit(hx_target_stop_all) != 0 || hx_proc_install_signal_cleanup() != HX_TARGET_OK)
        return HX_TARGET_ERR_STATE;
    installed = 1;
    return HX_TARGET_OK;
}
