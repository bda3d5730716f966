/*
 * ck_run.c - the runner: selects entries, decides which apply to the
 * target, runs them on worker threads (each case in its own sessions),
 * watches the server process from the main thread, restarts it when it
 * dies and re-runs, one at a time, the cases that were running then, so
 * that a crash is charged to the case that causes it. Baselines turn
 * known failures into XFAIL (and fixed ones into XPASS).
 */

#include "ck_int.h"

#include "harness/hx_net.h"

#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- names and the catalogue --------------------------------------------- */

const char *ck_verdict_name(enum ck_verdict v)
{
    static const char *const names[CK_V_COUNT] = {"PASS",  "FAIL",  "NON-STRICT", "INFO",   "SKIP",
                                                  "ERROR", "XFAIL", "XPASS",      "NOT-RUN"};
    return (unsigned)v < CK_V_COUNT ? names[v] : "UNKNOWN";
}

const char *ck_level_name(enum ck_level l)
{
    switch (l) {
    case CK_MUST:
        return "MUST";
    case CK_SHOULD:
        return "SHOULD";
    case CK_MAY:
        return "MAY";
    case CK_INFO:
        return "INFO";
    }
    return "?";
}

const char *ck_proto_name(enum ck_proto p)
{
    switch (p) {
    case CK_EIO4:
        return "eio4";
    case CK_EIO3:
        return "eio3";
    case CK_SIO5:
        return "sio5";
    case CK_SIO4:
        return "sio4";
    }
    return "?";
}

size_t ck_catalogue(struct ck_entry **out)
{
    size_t n = 0;
    for (size_t g = 0; g < ck_ngroups; g++)
        for (size_t i = 0; i < ck_groups[g]->n; i++)
            n += (size_t)__builtin_popcount(ck_groups[g]->cases[i].tps & CK_BOTH);
    struct ck_entry *e = calloc(n ? n : 1, sizeof(*e));
    if (!e) {
        *out = NULL;
        return 0;
    }
    size_t k = 0;
    for (size_t g = 0; g < ck_ngroups; g++) {
        for (size_t i = 0; i < ck_groups[g]->n; i++) {
            const struct ck_case *cs = &ck_groups[g]->cases[i];
            for (int t = 0; t < 2; t++) {
                unsigned bit = t == 0 ? CK_POLLING : CK_WS;
                if (!(cs->tps & bit))
                    continue;
                e[k].cs = cs;
                e[k].g = ck_groups[g];
                e[k].tp = t == 0 ? HX_TP_POLLING : HX_TP_WS;
                snprintf(e[k].id, sizeof(e[k].id), "%s.%s", cs->id, t == 0 ? "polling" : "ws");
                k++;
            }
        }
    }
    *out = e;
    return k;
}

bool ck_glob_any(const char *id, const char *const *globs, size_t n)
{
    if (n == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], id, 0) == 0)
            return true;
    return false;
}

/* ---- baselines ------------------------------------------------------------ */

static int bl_add(struct ck_baseline *b, const char *glob, const char *reason, const char *src)
{
    struct ck_baseline_entry *e = realloc(b->e, (b->n + 1) * sizeof(*e));
    if (!e)
        return -1;
    b->e = e;
    e[b->n].glob = strdup(glob);
    e[b->n].reason = strdup(reason);
    e[b->n].source = strdup(src);
    if (!e[b->n].glob || !e[b->n].reason || !e[b->n].source) {
        free(e[b->n].glob);
        free(e[b->n].reason);
        free(e[b->n].source);
        return -1;
    }
    b->n++;
    return 0;
}

int ck_baseline_load(struct ck_baseline *b, const char *file, char *err, size_t errcap)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, errcap, "cannot read baseline %s: %s", file, strerror(errno));
        return -1;
    }
    char line[2048];
    unsigned ln = 0;
    while (fgets(line, sizeof(line), f)) {
        ln++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = 0;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *sp = p + strcspn(p, " \t");
        char *reason = sp;
        if (*sp) {
            *sp = 0;
            reason = sp + 1;
            while (*reason == ' ' || *reason == '\t')
                reason++;
        }
        if (!*reason) {
            snprintf(err, errcap, "%s:%u: baseline entry '%s' has no reason", file, ln, p);
            fclose(f);
            return -1;
        }
        if (bl_add(b, p, reason, file) < 0) {
            snprintf(err, errcap, "out of memory");
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

int ck_baseline_add_target(struct ck_baseline *b, const struct hx_target_desc *d)
{
    char src[128];
    snprintf(src, sizeof(src), "target %s", d->name);
    for (size_t i = 0; i < d->ndevs; i++)
        for (size_t k = 0; k < d->devs[i].ncases; k++)
            if (bl_add(b, d->devs[i].cases[k], d->devs[i].reason, src) < 0)
                return -1;
    return 0;
}

const struct ck_baseline_entry *ck_baseline_match(const struct ck_baseline *b, const char *id)
{
    for (size_t i = 0; b && i < b->n; i++)
        if (fnmatch(b->e[i].glob, id, 0) == 0)
            return &b->e[i];
    return NULL;
}

void ck_baseline_free(struct ck_baseline *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->e[i].glob);
        free(b->e[i].reason);
        free(b->e[i].source);
    }
    free(b->e);
    b->e = NULL;
    b->n = 0;
}

/* ---- applicability ------------------------------------------------------ */

/* NULL when |cs| applies to the target, else why not (the SKIP reason). */
static const char *not_applicable(const struct ck_case *cs, const struct ck_target *t,
                                  bool url_mode)
{
    bool e3 = t->eio & (1u << 3), e4 = t->eio & (1u << 4);
    switch (cs->proto) {
    case CK_EIO4:
        if (!e4)
            return "the target does not serve Engine.IO v4";
        break;
    case CK_EIO3:
        if (!e3)
            return "the target does not serve Engine.IO v3 (profile eio3)";
        break;
    case CK_SIO5:
        if (!e4 || !(t->sio & (1u << 5)))
            return "the target does not serve Socket.IO v5";
        break;
    case CK_SIO4:
        if (!e3 || !(t->sio & (1u << 4)))
            return "the target does not serve Socket.IO v4 over Engine.IO v3";
        break;
    }
    if ((cs->needs & CK_NEED_ECHO) && t->sio)
        return "needs an Engine.IO-only echo server (contract §5)";
    if ((cs->needs & CK_NEED_SIO) && !t->sio)
        return "needs a Socket.IO server";
    if ((cs->needs & CK_NEED_RECOVERY) && !(t->profiles & HX_TARGET_PROFILE_RECOVERY))
        return "needs the recovery profile";
    if ((cs->needs & CK_NEED_COOKIE) && !(t->profiles & HX_TARGET_PROFILE_COOKIE))
        return "needs the cookie profile";
    if ((cs->needs & CK_NEED_NO_COOKIE) && (t->profiles & HX_TARGET_PROFILE_COOKIE))
        return "needs a target without the cookie profile";
    if ((cs->needs & CK_NEED_NO_EIO3) && e3)
        return "needs a target that refuses Engine.IO v3";
    if ((cs->needs & CK_NEED_PROCESS) && url_mode)
        return "needs a server siospec started itself (not --url)";
    return NULL;
}

/* ---- shared run state ------------------------------------------------------ */

static volatile sig_atomic_t interrupted;

void ck_run_interrupt(void)
{
    interrupted = 1;
}

struct run {
    const struct ck_run_opts *o;
    struct ck_result *res;
    struct hx_env env;
    struct hx_target *target;
    bool url_mode;
    const char *url_path;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    char url[256]; /* current base URL, changes on restart */
    unsigned gen;  /* bumps on every server death */
    size_t next;   /* next entry to start */
    size_t done;
    size_t running;
    bool *rerun; /* entries that overlapped a crash */
    unsigned *started_gen;
    const char **current; /* per worker: id running */
    unsigned nworkers;
    uint64_t t0;
    bool server_down;  /* url mode: died for good */
    bool restarting;   /* no case starts while the server is restarted */
    uint64_t out_pos;  /* server output read so far */
    uint64_t alive_us; /* last time the server was seen alive */
    uint64_t *end_us;  /* per entry: when it finished */
    size_t *order;     /* dispatch order: entries likely to take long first */
};

static uint64_t now_us(const struct run *r)
{
    return hx_clock_now(r->env.clock);
}

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = NULL;
    if (vasprintf(&p, fmt, ap) < 0)
        p = NULL;
    va_end(ap);
    return p;
}

/* Appends |s| as a JSON string to |b|. */
void ck_json_str(struct cdc_buf *b, const char *s, size_t n);

static void transcript_json(struct ck *c, struct cdc_buf *b)
{
    static const size_t cap = 256u << 10;
    cdc_buf_append_byte(b, '[');
    bool first = true, cut = false;
    struct cdc_buf esc;
    cdc_buf_init(&esc, 1u << 20, NULL);
    for (size_t si = 0; si < c->nses && !cut; si++) {
        struct hx_transcript *tr = hx_session_transcript(c->ses[si]);
        if (!tr)
            continue;
        size_t n = hx_transcript_count(tr);
        for (size_t i = 0; i < n; i++) {
            if (b->len > cap) {
                cut = true;
                break;
            }
            const struct hx_tr_entry *e = hx_transcript_get(tr, i);
            cdc_buf_append_str(b, first ? "" : ",");
            first = false;
            char head[160];
            snprintf(head, sizeof(head),
                     "{\"session\":%zu,\"t_us\":%llu,\"dir\":\"%s\",\"tp\":\"%s\",\"chan\":%u,"
                     "\"kind\":\"%s\",\"len\":%zu,\"data\":",
                     si, (unsigned long long)e->t_us,
                     e->dir == HX_DIR_OUT  ? "C>S"
                     : e->dir == HX_DIR_IN ? "S>C"
                                           : "--",
                     e->tp, e->chan, e->kind == HX_TR_BYTES ? "bytes" : "text", e->orig_len);
            cdc_buf_append_str(b, head);
            cdc_buf_reset(&esc);
            if (e->kind == HX_TR_BYTES)
                hx_escape(e->data, e->len, &esc);
            else
                cdc_buf_append(&esc, e->data, e->len);
            ck_json_str(b, (const char *)esc.p, esc.len);
            cdc_buf_append_byte(b, '}');
        }
    }
    if (cut)
        cdc_buf_append_str(
            b, first ? "{\"session\":0,\"t_us\":0,\"dir\":\"--\",\"tp\":\"\",\"chan\":0,"
                       "\"kind\":\"text\",\"len\":0,\"data\":\"transcript truncated\"}"
                     : ",{\"session\":0,\"t_us\":0,\"dir\":\"--\",\"tp\":\"\",\"chan\":0,"
                       "\"kind\":\"text\",\"len\":0,\"data\":\"transcript truncated\"}");
    cdc_buf_append_byte(b, ']');
    cdc_buf_free(&esc);
}

static void outcome_free(struct ck_outcome *oc)
{
    free(oc->reason);
    free(oc->expected);
    free(oc->seen);
    free(oc->baseline_reason);
    free(oc->transcript_json);
    memset(oc, 0, sizeof(*oc));
}

static void set_simple(struct ck_outcome *oc, enum ck_verdict v, const char *why)
{
    outcome_free(oc);
    oc->raw = oc->verdict = v;
    oc->reason = strdup(why);
    oc->expected = strdup("");
    oc->seen = strdup(why);
    oc->transcript_json = strdup("[]");
}

/* Runs entry |i| in the calling thread against |url|. */
static void run_entry(struct run *r, size_t i, const char *url)
{
    const struct ck_entry *e = &r->res->entries[i];
    struct ck_outcome *oc = &r->res->out[i];
    struct ck *c = calloc(1, sizeof(*c));
    if (!c) {
        set_simple(oc, CK_V_ERROR, "out of memory");
        return;
    }
    c->cs = e->cs;
    c->tp = e->tp;
    switch (e->cs->proto) {
    case CK_EIO4:
        c->eio = 4;
        break;
    case CK_EIO3:
        c->eio = 3;
        break;
    case CK_SIO5:
        c->eio = 4;
        c->sio = 5;
        break;
    case CK_SIO4:
        c->eio = 3;
        c->sio = 4;
        break;
    }
    c->url = url;
    c->path = r->o->target.path;
    /* Per-case seed: the run seed mixed with the entry's position. */
    c->seed = r->o->seed * 0x9E3779B97F4A7C15ull + i + 1;
    c->ping_interval = r->res->ping_interval;
    c->ping_timeout = r->res->ping_timeout;
    c->max_payload = r->res->max_payload;
    c->scale = r->o->timeout_scale;
    c->recovery = r->o->target.profiles & HX_TARGET_PROFILE_RECOVERY;
    c->env = &r->env;
    c->t0_us = now_us(r);
    c->verdict = CK_V_PASS;

    if (setjmp(c->jb) == 0) {
        e->cs->run(c);
        c->verdict = e->cs->level == CK_INFO || e->cs->level == CK_MAY
                         ? (c->cs->level == CK_INFO ? CK_V_INFO : CK_V_PASS)
                         : CK_V_PASS;
    }
    uint64_t dur = (now_us(r) - c->t0_us) / 1000u;

    outcome_free(oc);
    oc->raw = oc->verdict = c->verdict;
    oc->duration_ms = (uint32_t)dur;
    const char *seen = c->seen[0] ? c->seen : c->notes;
    oc->expected = strdup(c->expected);
    oc->seen = strdup(seen);
    if (c->verdict == CK_V_PASS)
        oc->reason = strdup("");
    else if (c->expected[0])
        oc->reason = dupf("expected %s; seen %s", c->expected, seen);
    else
        oc->reason = strdup(seen);
    struct cdc_buf tb;
    cdc_buf_init(&tb, 8u << 20, NULL);
    transcript_json(c, &tb);
    oc->transcript_json = strndup((const char *)tb.p, tb.len);
    cdc_buf_free(&tb);
    ck_ctx_clear(c);
    free(c);
}

static void apply_baseline(const struct run *r, size_t i)
{
    struct ck_outcome *oc = &r->res->out[i];
    const struct ck_baseline_entry *b = ck_baseline_match(r->o->baseline, r->res->entries[i].id);
    if (!b || oc->raw == CK_V_SKIP || oc->raw == CK_V_NOTRUN || oc->raw == CK_V_INFO)
        return;
    free(oc->baseline_reason);
    oc->baseline_reason = dupf("%s (%s)", b->reason, b->source);
    if (oc->raw == CK_V_FAIL || oc->raw == CK_V_NON_STRICT || oc->raw == CK_V_ERROR)
        oc->verdict = CK_V_XFAIL;
    else if (oc->raw == CK_V_PASS)
        oc->verdict = CK_V_XPASS;
}

/* ---- progress ------------------------------------------------------------- */

static const char *vcolor(enum ck_verdict v)
{
    switch (v) {
    case CK_V_PASS:
        return "\033[32m";
    case CK_V_FAIL:
    case CK_V_ERROR:
    case CK_V_XPASS:
        return "\033[31m";
    case CK_V_NON_STRICT:
        return "\033[33m";
    default:
        return "\033[36m";
    }
}

/* Called with r->mu held. */
static void progress(struct run *r, size_t i)
{
    FILE *f = r->o->progress;
    if (!f)
        return;
    const struct ck_outcome *oc = &r->res->out[i];
    const char *id = r->res->entries[i].id;
    size_t total = r->res->n;
    bool show = r->o->tty || (oc->verdict != CK_V_PASS && oc->verdict != CK_V_SKIP);
    if (r->o->tty)
        fputs("\r\033[K", f);
    if (show) {
        const char *col = r->o->color ? vcolor(oc->verdict) : "";
        const char *rst = r->o->color ? "\033[0m" : "";
        fprintf(f, "%s%-10s%s %-58s %5u ms", col, ck_verdict_name(oc->verdict), rst, id,
                oc->duration_ms);
        if (oc->verdict != CK_V_PASS && oc->reason && oc->reason[0])
            fprintf(f, "  %.300s", oc->reason);
        fputc('\n', f);
    }
    if (r->o->tty) {
        const char *cur = "";
        for (unsigned w = 0; w < r->nworkers; w++)
            if (r->current[w]) {
                cur = r->current[w];
                break;
            }
        fprintf(f, "[%zu/%zu] %s", r->done, total, cur);
    } else if (!r->rerun[i] && (r->done % 50 == 0 || r->done == total)) {
        fprintf(f, "progress: %zu/%zu cases\n", r->done, total);
    }
    fflush(f);
}

/* A rough cost class from a case's tags: cases that wait for timers
 * (heartbeat, timeouts, upgrades) start first, so that the run ends soon
 * after its longest case instead of starting it last. */
static int cost_class(const struct ck_case *cs)
{
    static const char *const slow[] = {"timing",  "heartbeat", "timeout",
                                       "upgrade", "cve",       "recovery"};
    const char *t = cs->tags ? cs->tags : "";
    for (size_t k = 0; k < sizeof(slow) / sizeof(slow[0]); k++)
        if (strstr(t, slow[k]))
            return (int)(sizeof(slow) / sizeof(slow[0]) - k);
    return 0;
}

static int cmp_cost(const void *a, const void *b, void *arg)
{
    const struct ck_result *res = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int cx = cost_class(res->entries[x].cs), cy = cost_class(res->entries[y].cs);
    if (cx != cy)
        return cy - cx;
    return x < y ? -1 : x > y;
}

/* ---- workers -------------------------------------------------------------- */

struct worker {
    struct run *r;
    unsigned idx;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct run *r = w->r;
    char url[256];
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->restarting && !interrupted)
            pthread_cond_wait(&r->cv, &r->mu);
        if (interrupted || r->next >= r->res->n) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        size_t i = r->order ? r->order[r->next++] : r->next++;
        struct ck_outcome *oc = &r->res->out[i];
        if (oc->verdict == CK_V_SKIP) { /* decided up front */
            r->done++;
            progress(r, i);
            pthread_mutex_unlock(&r->mu);
            continue;
        }
        snprintf(url, sizeof(url), "%s", r->url);
        r->started_gen[i] = r->gen;
        r->current[w->idx] = r->res->entries[i].id;
        r->running++;
        pthread_mutex_unlock(&r->mu);

        run_entry(r, i, url);

        pthread_mutex_lock(&r->mu);
        r->running--;
        r->current[w->idx] = NULL;
        r->end_us[i] = now_us(r);
        apply_baseline(r, i);
        if (r->started_gen[i] != r->gen && !r->url_mode)
            r->rerun[i] = true; /* the server died while it ran */
        r->done++;
        if (!r->rerun[i])
            progress(r, i);
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
    }
    pthread_mutex_lock(&r->mu);
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Main thread: has the server died? Restart it (process mode). Returns a
 * description of the death ("" when alive). Called without r->mu. */
static bool check_server(struct run *r, char *why, size_t cap)
{
    why[0] = 0;
    if (r->url_mode) {
        struct hx_target_diag d;
        if (r->server_down || hx_target_probe(r->target, 2000, &d) == HX_TARGET_OK)
            return false;
        snprintf(why, cap, "the server stopped answering: %s", d.msg);
        return true;
    }
    struct hx_target_exit ex;
    if (hx_target_check(r->target, &ex) == HX_TARGET_OK)
        return false;
    char desc[128], tail[600] = "", chunk[600];
    hx_target_exit_describe(&ex, desc, sizeof(desc));
    /* The newest output: read on until nothing is left, keep the end. */
    size_t got;
    while ((got = hx_target_output(r->target, &r->out_pos, chunk, sizeof(chunk))) > 0) {
        size_t have = strlen(tail);
        if (have + got >= sizeof(tail)) {
            size_t drop = have + got - (sizeof(tail) - 1);
            drop = drop > have ? have : drop;
            memmove(tail, tail + drop, have - drop + 1);
            have -= drop;
        }
        memcpy(tail + have, chunk, got < sizeof(tail) - 1 - have ? got : sizeof(tail) - 1 - have);
        tail[have + (got < sizeof(tail) - 1 - have ? got : sizeof(tail) - 1 - have)] = 0;
    }
    const char *t = strlen(tail) > 300 ? tail + strlen(tail) - 300 : tail;
    snprintf(why, cap, "the server process %s; last output: %s", desc, t);
    for (char *p = why; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return true;
}

static int restart_server(struct run *r)
{
    struct hx_target_diag d;
    int rc = hx_target_restart(r->target, &d);
    if (rc == HX_TARGET_OK) {
        pthread_mutex_lock(&r->mu);
        snprintf(r->url, sizeof(r->url), "%s", hx_target_base_url(r->target));
        pthread_mutex_unlock(&r->mu);
        r->res->restarts++;
    }
    return rc;
}

/* ---- timing values from a handshake ------------------------------------ */

static int probe_timing(struct run *r)
{
    struct ck_result *res = r->res;
    const struct ck_target *t = &r->o->target;
    struct hx_session *s = NULL;
    struct hx_session_opts so = {.url = r->url,
                                 .path = t->path,
                                 .eio = (t->eio & (1u << 4)) ? 4 : 3,
                                 .manual_poll = true,
                                 .hb = HX_HB_WITHHOLD};
    if (hx_session_new(&s, &r->env, &so) != HX_OK)
        return -1;
    int rc = hx_eio_open(s, HX_TP_POLLING, hx_clock_in_ms(r->env.clock, 5000));
    if (rc == HX_OK) {
        const struct eio_handshake *hs = hx_session_handshake(s);
        res->ping_interval = (uint32_t)hs->ping_interval;
        res->ping_timeout = (uint32_t)hs->ping_timeout;
        res->max_payload = hs->max_payload ? hs->max_payload : 1000000u;
    } else {
        snprintf(res->target_note, sizeof(res->target_note), "the handshake failed: %s",
                 hx_session_reason(s));
    }
    hx_session_close(s, HX_CLOSE_ABORT, hx_clock_in_ms(r->env.clock, 500));
    hx_session_del(s);
    return rc == HX_OK ? 0 : -1;
}

static int start_target(struct run *r)
{
    const struct ck_target *t = &r->o->target;
    struct hx_target_diag d = {{0}};
    int rc;
    if (t->url) {
        r->url_mode = true;
        rc = hx_target_new_url(&r->target, t->url, t->desc, NULL, &d);
    } else {
        rc = hx_target_new(&r->target, t->desc, NULL, &d);
    }
    if (rc == HX_TARGET_OK)
        rc = hx_target_start(r->target, &d);
    if (rc != HX_TARGET_OK) {
        snprintf(r->res->target_note, sizeof(r->res->target_note), "%s: %.400s",
                 hx_target_err_name(rc), d.msg);
        return -1;
    }
    snprintf(r->url, sizeof(r->url), "%s", hx_target_base_url(r->target));
    return 0;
}

/* ---- the run ---------------------------------------------------------------- */

static void select_entries(const struct ck_run_opts *o, struct ck_result *res)
{
    struct ck_entry *all = NULL;
    size_t n = ck_catalogue(&all);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct ck_case *cs = all[i].cs;
        bool eio3 = cs->proto == CK_EIO3 || cs->proto == CK_SIO4;
        if (o->only_eio && (o->only_eio == 3) != eio3)
            continue;
        if (!ck_glob_any(all[i].id, o->filters, o->nfilters))
            continue;
        if (o->nexcludes && ck_glob_any(all[i].id, o->excludes, o->nexcludes))
            continue;
        all[k++] = all[i];
    }
    res->entries = all;
    res->n = k;
    res->out = calloc(k ? k : 1, sizeof(*res->out));
}

static void utc_now(char *buf, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int ck_run(const struct ck_run_opts *o, struct ck_result *res)
{
    memset(res, 0, sizeof(*res));
    utc_now(res->start_time, sizeof(res->start_time));
    select_entries(o, res);
    if (!res->out)
        return -1;
    struct run r = {.o = o, .res = res};
    hx_net_env_init(&r.env, NULL);
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    r.t0 = now_us(&r);

    bool unreachable = start_target(&r) < 0 || probe_timing(&r) < 0;
    if (unreachable) {
        res->unreachable = true;
        for (size_t i = 0; i < res->n; i++)
            set_simple(&res->out[i], CK_V_ERROR, "the target could not be started or reached");
        res->count[CK_V_ERROR] = res->n;
        hx_target_del(r.target);
        pthread_mutex_destroy(&r.mu);
        pthread_cond_destroy(&r.cv);
        return -1;
    }

    for (size_t i = 0; i < res->n; i++) {
        const char *why = not_applicable(res->entries[i].cs, &o->target, r.url_mode);
        if (why)
            set_simple(&res->out[i], CK_V_SKIP, why);
        else
            set_simple(&res->out[i], CK_V_NOTRUN, "not run (interrupted)");
    }

    unsigned nw = o->jobs ? o->jobs : 1;
    if (nw > res->n)
        nw = res->n ? (unsigned)res->n : 1;
    r.nworkers = nw;
    r.rerun = calloc(res->n + 1, sizeof(bool));
    r.order = calloc(res->n + 1, sizeof(size_t));
    if (r.order) {
        for (size_t i = 0; i < res->n; i++)
            r.order[i] = i;
        qsort_r(r.order, res->n, sizeof(size_t), cmp_cost, res);
    }
    r.started_gen = calloc(res->n + 1, sizeof(unsigned));
    r.end_us = calloc(res->n + 1, sizeof(uint64_t));
    r.alive_us = now_us(&r);
    r.current = calloc(nw, sizeof(char *));
    pthread_t *th = calloc(nw, sizeof(pthread_t));
    struct worker *ws = calloc(nw, sizeof(*ws));
    unsigned started = 0;
    if (r.rerun && r.started_gen && r.end_us && r.current && th && ws) {
        for (unsigned w = 0; w < nw; w++) {
            ws[w] = (struct worker){&r, w};
            if (pthread_create(&th[w], NULL, worker_main, &ws[w]) == 0)
                started++;
        }
    }
    if (started == 0 && res->n) {
        for (size_t i = 0; i < res->n; i++)
            if (res->out[i].verdict == CK_V_NOTRUN)
                set_simple(&res->out[i], CK_V_ERROR, "could not start worker threads");
    }

    /* Watch the server while the workers run. */
    char why[1024];
    pthread_mutex_lock(&r.mu);
    while (started && (r.done < res->n) && !(interrupted && r.running == 0)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r.cv, &r.mu, &ts);
        pthread_mutex_unlock(&r.mu);
        uint64_t checked = now_us(&r);
        bool died = !r.server_down && check_server(&r, why, sizeof(why));
        pthread_mutex_lock(&r.mu);
        if (!died) {
            /* A dying process may still look alive for a moment: cases
             * that failed shortly before this check are not cleared. */
            r.alive_us = checked > 500000 ? checked - 500000 : 0;
            continue;
        }
        r.gen++;
        /* Cases that ended since the server was last seen alive may have
         * met the dead server, and not only by failing: "the server closed
         * the connection" also holds for a dead one. Judge them again,
         * alone. */
        for (size_t i = 0; i < res->n; i++)
            if (r.end_us[i] >= r.alive_us && res->out[i].verdict != CK_V_SKIP &&
                res->out[i].verdict != CK_V_NOTRUN)
                r.rerun[i] = true;
        r.restarting = true;
        /* Cases running now are re-run alone below. */
        pthread_mutex_unlock(&r.mu);
        if (r.url_mode) {
            r.server_down = true;
            snprintf(res->target_note, sizeof(res->target_note), "%.500s", why);
        } else if (restart_server(&r) != HX_TARGET_OK) {
            snprintf(res->target_note, sizeof(res->target_note), "%.480s; restart failed", why);
            r.server_down = true;
        }
        pthread_mutex_lock(&r.mu);
        r.restarting = false;
        pthread_cond_broadcast(&r.cv);
    }
    pthread_mutex_unlock(&r.mu);
    for (unsigned w = 0; w < started; w++)
        pthread_join(th[w], NULL);

    /* Cases that overlapped a server death: one at a time, each checked. */
    size_t nrerun = 0;
    for (size_t i = 0; i < res->n; i++)
        nrerun += r.rerun[i];
    if (nrerun && o->progress) {
        fprintf(o->progress,
                "%s== the server died %u time(s) during the run: %zu case(s) that may have met "
                "it dead run again, one at a time (their verdicts above are replaced)\n",
                o->tty ? "\r\033[K" : "", r.gen, nrerun);
        fflush(o->progress);
    }
    for (size_t i = 0; i < res->n && !r.server_down; i++) {
        if (!r.rerun[i] || interrupted)
            continue;
        if (check_server(&r, why, sizeof(why)) && restart_server(&r) != HX_TARGET_OK)
            break;
        run_entry(&r, i, r.url);
        /* A probe makes sure a dying server has finished dying (or is
         * still answering) before the verdict is settled. */
        struct hx_target_diag pd;
        bool answered = hx_target_probe(r.target, 1000, &pd) == HX_TARGET_OK;
        bool died = check_server(&r, why, sizeof(why));
        if (!died && !answered && !r.url_mode) {
            snprintf(why, sizeof(why), "the server stopped answering: %.400s", pd.msg);
            died = true;
        }
        if (died) {
            struct ck_outcome *oc = &res->out[i];
            char *seen = dupf("the server died: %s", why);
            free(oc->seen);
            free(oc->reason);
            free(oc->expected);
            oc->expected = strdup("the server stays up and keeps answering");
            oc->seen = seen;
            oc->reason =
                dupf("expected the server stays up and keeps answering; seen %s", seen ? seen : "");
            oc->raw = oc->verdict = CK_V_FAIL;
            if (restart_server(&r) != HX_TARGET_OK)
                r.server_down = true;
        }
        apply_baseline(&r, i);
        pthread_mutex_lock(&r.mu);
        progress(&r, i);
        pthread_mutex_unlock(&r.mu);
        r.rerun[i] = false;
    }
    for (size_t i = 0; i < res->n; i++)
        if (r.rerun[i] && res->out[i].verdict != CK_V_FAIL)
            set_simple(&res->out[i], CK_V_ERROR,
                       "the server died while this case ran and could not be restarted");

    if (o->progress && o->tty) {
        fputs("\r\033[K", o->progress);
        fflush(o->progress);
    }
    res->partial = interrupted;
    res->wall_ms = (now_us(&r) - r.t0) / 1000u;
    for (size_t i = 0; i < res->n; i++) {
        apply_baseline(&r, i);
        struct ck_outcome *oc = &res->out[i];
        res->count[oc->verdict]++;
        res->sum_ms += oc->duration_ms;
        if (oc->duration_ms >= res->longest_ms) {
            res->longest_ms = oc->duration_ms;
            res->longest_id = res->entries[i].id;
        }
    }
    hx_target_del(r.target);
    free(r.rerun);
    free(r.started_gen);
    free(r.end_us);
    free(r.order);
    free(r.current);
    free(th);
    free(ws);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    return 0;
}

int ck_result_exit(const struct ck_result *res)
{
    if (res->unreachable)
        return 3;
    if (res->partial || res->count[CK_V_FAIL] || res->count[CK_V_ERROR] || res->count[CK_V_XPASS] ||
        res->count[CK_V_NOTRUN])
        return 1;
    return 0;
}

void ck_result_free(struct ck_result *res)
{
    for (size_t i = 0; res->out && i < res->n; i++)
        outcome_free(&res->out[i]);
    free(res->out);
    free(res->entries);
    memset(res, 0, sizeof(*res));
}
