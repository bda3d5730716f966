/*
 * hx_live_oracle.c - pure helpers behind the live fuzzer's oracles and
 * minimiser: crash-signature extraction and normalisation (for
 * deduplication), /proc sampling and growth detection (leaks), the
 * catalogue of known CVEs a finding is matched against, and ddmin.
 *
 * Nothing here talks to the server; hx_live_trial.c combines these with
 * the process supervisor (hx_target). Signatures are computed only from
 * what the server printed, never from timing, so the same crash always
 * deduplicates to the same key.
 */
#include "live/hx_live.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- signatures ---- */

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$';
}

/* "TypeError: x", "Error [ERR_X]: x", "Uncaught RangeError: x",
 * "socket.io.exceptions.ConnectionError: x", "KeyError: 'x'". */
static bool exception_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (n - i >= 9 && memcmp(s + i, "Uncaught ", 9) == 0)
        i += 9;
    size_t start = i;
    while (i < n && ident_char(s[i]))
        i++;
    size_t id_len = i - start;
    bool named = (id_len >= 5 && memcmp(s + i - 5, "Error", 5) == 0) ||
                 (id_len >= 9 && memcmp(s + i - 9, "Exception", 9) == 0);
    if (!named)
        return false;
    if (i < n && s[i] == ' ' && i + 1 < n && s[i + 1] == '[') {
        while (i < n && s[i] != ']')
            i++;
        i++;
    }
    return i + 1 < n && s[i] == ':' && s[i + 1] == ' ';
}

static bool marker_line(const char *s, size_t n)
{
    static const char *const marks[] = {"FATAL ERROR", "panic:", "panicked at",
                                        "Unhandled 'error' event", "Segmentation fault"};
    for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
        size_t m = strlen(marks[k]);
        for (size_t i = 0; i + m <= n; i++)
            if (memcmp(s + i, marks[k], m) == 0)
                return true;
    }
    return false;
}

void hx_live_sig_normalise(char *s)
{
    char *w = s;
    bool space = true; /* drop leading whitespace */
    for (const char *r = s; *r;) {
        /* Read past what is replaced before writing: |w| may equal |r|. */
        if (r[0] == '0' && (r[1] == 'x' || r[1] == 'X') && isxdigit((unsigned char)r[2])) {
            for (r += 2; isxdigit((unsigned char)*r); r++)
                ;
            memcpy(w, "0x?", 3);
            w += 3;
            space = false;
        } else if (isdigit((unsigned char)*r)) {
            while (isdigit((unsigned char)*r))
                r++;
            *w++ = 'N';
            space = false;
        } else if (isspace((unsigned char)*r)) {
            if (!space)
                *w++ = ' ';
            space = true;
            r++;
        } else {
            *w++ = *r++;
            space = false;
        }
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = 0;
}

static void copy_line(const char *s, size_t n, char *out, size_t cap)
{
    while (n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    size_t k = n < cap - 1 ? n : cap - 1;
    memcpy(out, s, k);
    out[k] = 0;
    for (size_t i = 0; i < k; i++)
        if ((unsigned char)out[i] < 0x20)
            out[i] = ' ';
    hx_live_sig_normalise(out);
}

int hx_live_signature(const char *text, size_t len, char *out, size_t cap)
{
    const char *marker = NULL;
    size_t marker_len = 0;
    if (!cap)
        return 0;
    out[0] = 0;
    for (size_t pos = 0; pos < len;) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + 1;
        if (exception_line(s, n)) {
            copy_line(s, n, out, cap);
            return 1;
        }
        if (!marker && marker_line(s, n)) {
            marker = s;
            marker_len = n;
        }
    }
    if (!marker)
        return 0;
    copy_line(marker, marker_len, out, cap);
    return 1;
}

/* ---- /proc samples ---- */

static int field_u64(const char *text, size_t len, const char *key, uint64_t *v)
{
    size_t kl = strlen(key);
    for (size_t pos = 0; pos < len;) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + 1;
        if (n <= kl || memcmp(s, key, kl) != 0 || s[kl] != ':')
            continue;
        size_t i = kl + 1;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n || !isdigit((unsigned char)s[i]))
            return -1;
        uint64_t x = 0;
        while (i < n && isdigit((unsigned char)s[i]))
            x = x * 10 + (uint64_t)(s[i++] - '0');
        *v = x;
        return 0;
    }
    return -1;
}

int hx_live_proc_parse_status(const char *text, size_t len, struct hx_live_sample *s)
{
    if (field_u64(text, len, "VmRSS", &s->rss_kb) != 0 ||
        field_u64(text, len, "Threads", &s->threads) != 0)
        return -1;
    return 0;
}

int hx_live_proc_sample(long pid, struct hx_live_sample *s)
{
    char path[64], buf[8192];
    snprintf(path, sizeof(path), "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    if (hx_live_proc_parse_status(buf, n, s) != 0)
        return -1;
    snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    s->fds = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] != '.')
            s->fds++;
    closedir(d);
    return 0;
}

bool hx_live_grows(const uint64_t *v, size_t n, size_t k, uint64_t min_delta)
{
    if (k < 2 || n < k)
        return false;
    for (size_t i = n - k + 1; i < n; i++)
        if (v[i] <= v[i - 1])
            return false;
    return v[n - 1] - v[n - k] >= min_delta;
}

/* ---- known CVEs ---- */

struct cve_rule {
    const char *id;
    int cls;
    const char *sig;   /* substring of the signature, or NULL */
    const char *input; /* substring of some action field, or NULL */
};

static const struct cve_rule cves[] = {
    {"CVE-2023-32695", HX_LIVE_CRASH, "Cannot convert object to primitive value", NULL},
    {"CVE-2024-38355", HX_LIVE_CRASH, "Unhandled error", "\"error\""},
    {"CVE-2024-38355", HX_LIVE_CRASH, "Unhandled 'error' event", "\"error\""},
    {"CVE-2023-31125", HX_LIVE_CRASH, "handlesUpgrades", NULL},
    {"CVE-2022-21676", HX_LIVE_CRASH, "RSV2 and RSV3 must be clear", NULL},
    {"CVE-2022-41940", HX_LIVE_CRASH, "ECONNRESET", "Upgrade"},
    {"CVE-2020-36049", HX_LIVE_CRASH, "heap out of memory", NULL},
    {"CVE-2026-59725", HX_LIVE_HANG_REQUEST, "POST (application/octet-stream", NULL},
    {"CVE-2026-102599", HX_LIVE_CRASH, NULL, "transport=websocket&sid={sid}"},
    {"CVE-2024-37890", HX_LIVE_CRASH, NULL, "Sec-WebSocket-Key"},
};

static bool bytes_have(const struct hx_live_bytes *b, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; b->p && i + n <= b->len; i++)
        if (memcmp(b->p + i, needle, n) == 0)
            return true;
    return false;
}

static bool case_has(const struct hx_live_case *c, const char *needle)
{
    for (size_t i = 0; c && i < c->n; i++) {
        const struct hx_live_action *a = &c->a[i];
        if (bytes_have(&a->data, needle) || bytes_have(&a->target, needle) ||
            bytes_have(&a->ctype, needle) || bytes_have(&a->headers, needle))
            return true;
    }
    return false;
}

const char *hx_live_cve_match(int cls, const char *sig, const struct hx_live_case *c)
{
    for (size_t i = 0; i < sizeof(cves) / sizeof(cves[0]); i++) {
        const struct cve_rule *r = &cves[i];
        if (r->cls != cls || (r->sig && (!sig || !strstr(sig, r->sig))))
            continue;
        if (r->input && !case_has(c, r->input))
            continue;
        return r->id;
    }
    return NULL;
}

/* ---- ddmin ---- */

struct dd {
    hx_live_test_cb test;
    void *ud;
    unsigned budget, used;
    size_t *tmp;
};

static bool dd_try(struct dd *d, const size_t *idx, size_t k)
{
    if (d->used >= d->budget)
        return false;
    d->used++;
    return d->test(d->ud, idx, k);
}

/* Tries chunk |i| of |parts| alone, then its complement; on success
 * copies the smaller set into |cur|. Returns the new size or 0. */
static size_t dd_round(struct dd *d, size_t *cur, size_t len, size_t parts, bool complement)
{
    for (size_t i = 0; i < parts; i++) {
        size_t lo = len * i / parts, hi = len * (i + 1) / parts, k = 0;
        for (size_t j = 0; j < len; j++)
            if ((j >= lo && j < hi) != complement)
                d->tmp[k++] = cur[j];
        if (k == 0 || k == len)
            continue;
        if (dd_try(d, d->tmp, k)) {
            memcpy(cur, d->tmp, k * sizeof(*cur));
            return k;
        }
    }
    return 0;
}

size_t hx_live_ddmin(size_t n, hx_live_test_cb test, void *ud, unsigned budget, size_t *out)
{
    struct dd d = {test, ud, budget ? budget : 200, 0, malloc((n ? n : 1) * sizeof(size_t))};
    for (size_t i = 0; i < n; i++)
        out[i] = i;
    if (!d.tmp)
        return n;
    size_t len = n, parts = 2;
    while (len >= 2 && d.used < d.budget) {
        if (parts > len)
            parts = len;
        size_t k = dd_round(&d, out, len, parts, false);
        if (k) {
            len = k;
            parts = 2;
            continue;
        }
        k = parts > 2 ? dd_round(&d, out, len, parts, true) : 0;
        if (k) {
            len = k;
            parts = parts - 1 > 2 ? parts - 1 : 2;
            continue;
        }
        if (parts >= len)
            break;
        parts = parts * 2 < len ? parts * 2 : len;
    }
    free(d.tmp);
    return len;
}
