/*
 * rpt_util.c - buffer, UTF-8, verdict and transcript-line helpers shared by
 * the report writers.
 */
#include "rpt_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const rpt_verdict_names[RPT_V_COUNT] = {
    "PASS", "FAIL", "NON-STRICT", "INFO", "SKIP", "ERROR", "XFAIL", "XPASS", "NOT-RUN"};
const char *const rpt_level_names[RPT_L_COUNT] = {"MUST", "SHOULD", "MAY", "INFO"};

const char rpt_tr_header[] = "   time_ms  ses dir  transport ch   event";

static int grow(struct rpt_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void rpt_buf_put(struct rpt_buf *b, const char *s, size_t n)
{
    if (n == 0 || grow(b, n) < 0)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void rpt_buf_puts(struct rpt_buf *b, const char *s)
{
    rpt_buf_put(b, s, strlen(s));
}

void rpt_buf_printf(struct rpt_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        rpt_buf_put(b, tmp, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rpt_buf_free(struct rpt_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

int rpt_buf_flush(struct rpt_buf *b, FILE *f)
{
    if (b->oom) {
        errno = ENOMEM;
        return -1;
    }
    if (b->len && fwrite(b->p, 1, b->len, f) != b->len)
        return -1;
    b->len = 0;
    return 0;
}

size_t rpt_utf8_next(const unsigned char *p, size_t n, uint32_t *cp, int *bad)
{
    unsigned char c = p[0];
    *bad = 0;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t k;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4, v = c & 0x07u, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        *bad = 1;
        return 1;
    }
    for (size_t i = 1; i < k; i++) {
        if (i >= n || (p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            *bad = 1;
            return i;
        }
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        *bad = 1;
        return k;
    }
    *cp = v;
    return k;
}

size_t rpt_utf8_cut(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static int index_of(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

int rpt_verdict_of(const cJSON *c)
{
    return index_of(rpt_str(c, "verdict"), rpt_verdict_names, RPT_V_COUNT);
}

int rpt_level_of(const cJSON *c)
{
    return index_of(rpt_str(c, "level"), rpt_level_names, RPT_L_COUNT);
}

unsigned long long rpt_count(const cJSON *o, const char *key)
{
    double d = rpt_num(o, key);
    if (!(d > 0))
        return 0;
    if (d > 9007199254740992.0)
        return 9007199254740992ull;
    return (unsigned long long)d;
}

void rpt_one_line(struct rpt_buf *b, const char *s, size_t max)
{
    size_t n = strlen(s), show = max && n > max ? rpt_utf8_cut(s, max) : n;
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < show; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != 0x7f)
            continue;
        rpt_buf_put(b, s + run, i - run);
        run = i + 1;
        if (c == '\n')
            rpt_buf_puts(b, "\\n");
        else if (c == '\r')
            rpt_buf_puts(b, "\\r");
        else if (c == '\t')
            rpt_buf_puts(b, "\\t");
        else
            rpt_buf_printf(b, "\\x%02x", c);
    }
    rpt_buf_put(b, s + run, show - run);
    if (show < n)
        rpt_buf_puts(b, "...");
}

void rpt_tr_line(struct rpt_buf *b, const cJSON *ev, size_t max)
{
    unsigned long long t = rpt_count(ev, "t_us");
    const char *tp = rpt_str(ev, "tp");
    rpt_buf_printf(b, "%6llu.%03llu  s%-2llu %-4s %-9s ", t / 1000, t % 1000,
                   rpt_count(ev, "session"), rpt_str(ev, "dir"), tp[0] ? tp : "-");
    unsigned long long ch = rpt_count(ev, "chan");
    if (ch)
        rpt_buf_printf(b, "#%-3llu ", ch);
    else
        rpt_buf_puts(b, "  -  ");
    if (strcmp(rpt_str(ev, "kind"), "bytes") == 0) {
        rpt_buf_printf(b, "bytes[%llu] \"", rpt_count(ev, "len"));
        rpt_one_line(b, rpt_str(ev, "data"), max);
        rpt_buf_puts(b, "\"");
    } else {
        rpt_one_line(b, rpt_str(ev, "data"), max);
    }
}

/* Appends |s| for a POSIX shell: as is when it is made of safe characters,
 * otherwise in single quotes. */
static void shell_word(struct rpt_buf *b, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "._-/:=@+,%") == strlen(s)) {
        rpt_buf_puts(b, s);
        return;
    }
    rpt_buf_puts(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            rpt_buf_puts(b, "'\\''");
        else if ((unsigned char)*p < 0x20 || *p == 0x7f)
            continue; /* keep the command on one line */
        else
            rpt_buf_put(b, p, 1);
    }
    rpt_buf_puts(b, "'");
}

/* The single number in array |key| of |o|, or 0 when it holds none or several. */
static int only_num(const cJSON *o, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    const cJSON *v = cJSON_GetArrayItem(a, 0);
    return cJSON_GetArraySize(a) == 1 && cJSON_IsNumber(v) ? v->valueint : 0;
}

void rpt_rerun_target(struct rpt_buf *b, const cJSON *doc)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "target");
    rpt_buf_puts(b, "siospec run ");
    if (strcmp(rpt_str(t, "mode"), "url") != 0) {
        rpt_buf_puts(b, "--target ");
        shell_word(b, rpt_str(t, "name"));
        return;
    }
    /* The options `siospec run --url` took, as the target records them: no
     * Socket.IO revision means an Engine.IO echo server (--echo). */
    rpt_buf_puts(b, "--url ");
    shell_word(b, rpt_str(t, "name"));
    int echo = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(t, "sio")) == 0;
    int eio = only_num(t, "eio"), sio = only_num(t, "sio");
    const char *path = rpt_str(t, "path");
    if (path[0] && strcmp(path, echo ? "/engine.io/" : "/socket.io/") != 0) {
        rpt_buf_puts(b, " --path ");
        shell_word(b, path);
    }
    if (echo)
        rpt_buf_puts(b, " --echo");
    if (eio == 3)
        rpt_buf_puts(b, " --eio 3");
    if (!echo && sio && sio != (eio == 3 ? 4 : 5))
        rpt_buf_printf(b, " --sio %d", sio);
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(t, "profiles"))
    {
        if (cJSON_IsString(p)) {
            rpt_buf_puts(b, " --profile ");
            shell_word(b, p->valuestring);
        }
    }
}

void rpt_rerun_cmd(struct rpt_buf *b, const cJSON *doc, const char *id)
{
    rpt_rerun_target(b, doc);
    rpt_buf_puts(b, " --filter ");
    shell_word(b, id);
    rpt_buf_printf(b, " --seed %llu", rpt_count(doc, "seed"));
}

char *rpt_safe_name(const char *id)
{
    size_t n = strlen(id);
    char *s = malloc(n + 2);
    if (!s)
        return NULL;
    if (n == 0) {
        strcpy(s, "_");
        return s;
    }
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        s[i] = ok ? c : '_';
    }
    s[n] = '\0';
    if (s[0] == '.')
        s[0] = '_';
    return s;
}

const char *rpt_spec_doc_url(const char *spec_id, const char **title)
{
    /* The documents the statements were read from (cases/spec/README.md). */
#define RPT_DOCS "https://github.com/socketio/socket.io/blob/d2d753f/docs/"
    static const struct {
        const char *prefix, *title, *url;
    } docs[] = {
        {"eio4:", "Engine.IO protocol v4", RPT_DOCS "engine.io-protocol/v4-current.md"},
        {"eio3:", "Engine.IO protocol v3", RPT_DOCS "engine.io-protocol/v3.md"},
        {"sio5:", "Socket.IO protocol v5", RPT_DOCS "socket.io-protocol/v5-current.md"},
        {"sio4:", "Socket.IO protocol v4", RPT_DOCS "socket.io-protocol/v4.md"},
    };
#undef RPT_DOCS
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        if (strncmp(spec_id, docs[i].prefix, 5) == 0) {
            if (title)
                *title = docs[i].title;
            return docs[i].url;
        }
    return NULL;
}
