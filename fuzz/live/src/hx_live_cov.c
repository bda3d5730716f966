/*
 * hx_live_cov.c - server-side feedback for bundled Node.js targets: the
 * agent (hx_live_agent.js, embedded at build time) that siospec preloads
 * into the testee with NODE_OPTIONS=--require, the client side of its
 * unix-socket protocol ("cov", "mem", "ping"), and the campaign's union of
 * the server code every case executed.
 *
 * V8 precise coverage (Profiler.startPreciseCoverage with block counts)
 * resets its counters on every take, so one take after each case gives
 * exactly what that case ran; the agent already drops what its own
 * process ran before, and the campaign drops what any server process ran
 * before, so "new code" means new for the whole campaign.
 *
 * Python targets get hx_live_agent.py instead, written as sitecustomize.py
 * and found through PYTHONPATH: coverage.py's line coverage, the same
 * protocol (new lines since the last take instead of blocks).
 *
 * --url servers and other runtimes stay black-box: no agent, and the
 * answer shapes (hx_live_shape.c) are the only feedback.
 */
#include "live/hx_live_run.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

extern const unsigned char hx_live_agent_js[];
extern const unsigned long hx_live_agent_js_len;
extern const unsigned char hx_live_agent_py[];
extern const unsigned long hx_live_agent_py_len;

/* ---- setup ---- */

static int add_env(struct hx_target_desc *d, const char *kv)
{
    char **ne = realloc(d->env, (d->nenv + 2) * sizeof(*ne));
    if (!ne)
        return -1;
    d->env = ne;
    if (!(d->env[d->nenv] = strdup(kv)))
        return -1;
    d->env[++d->nenv] = NULL;
    return 0;
}

/* The value of |name| ("NAME=") in the description (|idx| set) or in our
 * environment (|idx| SIZE_MAX). */
static const char *env_of(const struct hx_target_desc *d, const char *name, size_t *idx)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < d->nenv; i++)
        if (strncmp(d->env[i], name, n) == 0) {
            *idx = i;
            return d->env[i] + n;
        }
    *idx = SIZE_MAX;
    char var[64];
    snprintf(var, sizeof(var), "%.*s", (int)(n - 1), name);
    const char *e = getenv(var);
    return e ? e : "";
}

/* Sets "NAME=VALUE" in the description, replacing its own. */
static int set_env(struct hx_target_desc *d, const char *kv, size_t idx)
{
    if (idx == SIZE_MAX)
        return add_env(d, kv);
    char *nv = strdup(kv);
    if (!nv)
        return -1;
    free(d->env[idx]);
    d->env[idx] = nv;
    return 0;
}

static int write_file(const char *path, const unsigned char *p, unsigned long n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

int hx_live_agent_setup(struct hx_target_desc *d, char *dir, size_t cap)
{
    bool node = d->runtime && strcmp(d->runtime, "node") == 0;
    bool py = d->runtime && strncmp(d->runtime, "python", 6) == 0;
    if (!node && !py)
        return 1;
    char tmpl[] = "/tmp/siospec-agent-XXXXXX";
    if (!mkdtemp(tmpl) || strlen(tmpl) + 1 > cap)
        return -1;
    snprintf(dir, cap, "%s", tmpl);
    char file[256], kv[1200];
    size_t idx;
    if (node) {
        snprintf(file, sizeof(file), "%s/hx_live_agent.js", dir);
        if (write_file(file, hx_live_agent_js, hx_live_agent_js_len) != 0)
            return -1;
        const char *old = env_of(d, "NODE_OPTIONS=", &idx);
        snprintf(kv, sizeof(kv), "NODE_OPTIONS=%s%s--require %s", old, old[0] ? " " : "", file);
    } else {
        snprintf(file, sizeof(file), "%s/sitecustomize.py", dir);
        if (write_file(file, hx_live_agent_py, hx_live_agent_py_len) != 0)
            return -1;
        const char *old = env_of(d, "PYTHONPATH=", &idx);
        snprintf(kv, sizeof(kv), "PYTHONPATH=%s%s%s", dir, old[0] ? ":" : "", old);
    }
    if (set_env(d, kv, idx) != 0)
        return -1;
    snprintf(kv, sizeof(kv), "SIOSPEC_AGENT_DIR=%s", dir);
    return add_env(d, kv);
}

/* Removes the entries of |dir| that the agents made: their scripts, the
 * agent-<port>.sock files and Python's compiled sitecustomize. */
static void remove_own(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        bool own = strcmp(e->d_name, "hx_live_agent.js") == 0 ||
                   strcmp(e->d_name, "sitecustomize.py") == 0 ||
                   strncmp(e->d_name, "sitecustomize.", 14) == 0 ||
                   strncmp(e->d_name, "agent-", 6) == 0;
        char full[1200];
        snprintf(full, sizeof(full), "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, "__pycache__") == 0) {
            remove_own(full);
            rmdir(full);
        } else if (own) {
            unlink(full);
        }
    }
    closedir(d);
}

void hx_live_agent_teardown(const char *dir)
{
    if (!dir || !dir[0])
        return;
    remove_own(dir);
    rmdir(dir);
}

/* ---- client ---- */

void hx_live_agent_close(struct hx_live_agent *a)
{
    if (a->up)
        close(a->fd);
    a->fd = -1;
    a->port = 0;
    a->up = false;
}

static int connect_sock(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path))
        return -1;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* (Re)connects to the agent of the process listening on |port|. */
static int ensure(struct hx_live_agent *a, const char *dir, unsigned port)
{
    if (!dir || !dir[0] || !port)
        return -1;
    if (a->up && a->port == port)
        return 0;
    if (a->failed == port)
        return -1;
    hx_live_agent_close(a);
    char path[512];
    snprintf(path, sizeof(path), "%s/agent-%u.sock", dir, port);
    /* The agent listens once the testee's preload ran: right after start. */
    for (int i = 0; i < 20 && (a->fd = connect_sock(path)) < 0; i++) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (a->fd < 0) {
        a->failed = port;
        return -1;
    }
    a->port = port;
    a->up = true;
    return 0;
}

/* Sends |cmd| and reads the answer until |done| says it is complete. */
static int request(struct hx_live_agent *a, const char *cmd, struct cdc_buf *out, uint32_t ms,
                   bool (*done)(const struct cdc_buf *))
{
    size_t n = strlen(cmd);
    if (send(a->fd, cmd, n, MSG_NOSIGNAL) != (ssize_t)n)
        return -1;
    cdc_buf_reset(out);
    while (!done(out)) {
        struct pollfd p = {.fd = a->fd, .events = POLLIN};
        if (poll(&p, 1, (int)ms) <= 0)
            return -1;
        char buf[8192];
        ssize_t r = recv(a->fd, buf, sizeof(buf), 0);
        if (r <= 0 || cdc_buf_append(out, buf, (size_t)r) != CDC_OK)
            return -1;
    }
    return 0;
}

static bool one_line(const struct cdc_buf *b)
{
    return b->len && b->p[b->len - 1] == '\n';
}

/* "cov N\n" followed by N lines. */
static bool cov_done(const struct cdc_buf *b)
{
    if (!one_line(b))
        return false;
    const uint8_t *nl = memchr(b->p, '\n', b->len);
    unsigned long want = strtoul((const char *)b->p + 4, NULL, 10), lines = 0;
    for (const uint8_t *p = nl + 1; p < b->p + b->len; p++)
        lines += *p == '\n';
    return memcmp(b->p, "cov ", 4) != 0 || lines >= want;
}

int hx_live_agent_cov(struct hx_live_agent *a, const char *dir, unsigned port, struct cdc_buf *out)
{
    if (ensure(a, dir, port) != 0)
        return -1;
    if (request(a, "cov\n", out, 1000, cov_done) != 0 || out->len < 4 ||
        memcmp(out->p, "cov ", 4) != 0) {
        hx_live_agent_close(a);
        return -1;
    }
    return 0;
}

int hx_live_agent_mem(struct hx_live_agent *a, const char *dir, unsigned port, uint64_t *heap)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 16, NULL);
    int rc = -1;
    if (ensure(a, dir, port) == 0 && request(a, "mem\n", &b, 3000, one_line) == 0 &&
        cdc_buf_append_byte(&b, 0) == CDC_OK && b.len > 4 && memcmp(b.p, "mem ", 4) == 0) {
        /* "mem HEAP RSS EXTERNAL ARRAYBUFFERS": the JS heap plus the memory
         * outside it that JS objects hold (Buffers are kept there). */
        char *end = NULL;
        uint64_t used = strtoull((const char *)b.p + 4, &end, 10);
        uint64_t rss = end ? strtoull(end, &end, 10) : 0;
        uint64_t ext = end ? strtoull(end, &end, 10) : 0;
        (void)rss;
        *heap = used + ext;
        rc = 0;
    } else {
        hx_live_agent_close(a);
    }
    cdc_buf_free(&b);
    return rc;
}

/* ---- the campaign's coverage union ---- */

/* Features are the agent's lines, hashed (FNV-1a, 64 bits) into an
 * open-addressing set; 0 marks an empty slot. */
static uint64_t line_hash(const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h ? h : 1;
}

static bool set_add(struct hx_live_covmap *m, uint64_t h)
{
    if (m->n * 2 >= m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8192;
        uint64_t *ns = calloc(cap, sizeof(*ns));
        if (!ns)
            return false;
        for (size_t i = 0; i < m->cap; i++)
            for (size_t j = m->h[i] % cap; m->h[i]; j = (j + 1) % cap)
                if (!ns[j]) {
                    ns[j] = m->h[i];
                    break;
                }
        free(m->h);
        m->h = ns;
        m->cap = cap;
    }
    for (size_t j = h % m->cap;; j = (j + 1) % m->cap) {
        if (m->h[j] == h)
            return false;
        if (!m->h[j]) {
            m->h[j] = h;
            m->n++;
            return true;
        }
    }
}

void hx_live_covmap_free(struct hx_live_covmap *m)
{
    free(m->h);
    memset(m, 0, sizeof(*m));
}

unsigned hx_live_covmap_add(struct hx_live_covmap *m, const uint8_t *text, size_t len)
{
    unsigned fresh = 0;
    const uint8_t *p = memchr(text, '\n', len), *end = text + len;
    for (p = p ? p + 1 : end; p < end;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        const uint8_t *le = nl ? nl : end;
        if (le > p)
            fresh += set_add(m, line_hash(p, (size_t)(le - p)));
        p = le + 1;
    }
    return fresh;
}
