/*
 * hx_live_case.c - the live fuzzer's test cases: actions with owned byte
 * fields, deep copies and subsets (for delta debugging), and the
 * reproducer text format of hx_live.h (writer and parser).
 *
 * The writer emits only what differs from an action's defaults, so a
 * reproducer reads like the session it replays. The parser accepts what
 * the writer emits plus comments and blank lines; every unknown word is an
 * error naming the line, so a hand-edited file never half-runs.
 * Invariant: parse(write(c)) == c for every case the generator makes.
 */
#include "live/hx_live.h"
#include "harness/hx_transcript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[] = {
    [HX_LIVE_OPEN] = "open",       [HX_LIVE_UPGRADE] = "upgrade",
    [HX_LIVE_SEND] = "send",       [HX_LIVE_HTTP] = "http",
    [HX_LIVE_RAW] = "raw",         [HX_LIVE_WSOPEN] = "wsopen",
    [HX_LIVE_WSFRAME] = "wsframe", [HX_LIVE_SLEEP] = "sleep",
    [HX_LIVE_CLOSE] = "close",     [HX_LIVE_EXPECT_CLOSE] = "expect-close",
    [HX_LIVE_LOOP] = "loop",
};

static const char *const res_names[HX_LIVE_NRES] = {"none", "heap", "rss", "fds", "threads"};

const char *hx_live_res_name(int res)
{
    return res >= 0 && res < HX_LIVE_NRES ? res_names[res] : "none";
}

static const char *const class_names[HX_LIVE_NCLASSES] = {
    "none",
    "crash",
    "hang-server",
    "error-output",
    "hang-request",
    "required-reaction-missing",
    "protocol-violation",
    "leak-memory",
    "leak-threads",
    "leak-fds",
};

const char *hx_live_class_name(int cls)
{
    return cls >= 0 && cls < HX_LIVE_NCLASSES ? class_names[cls] : "none";
}

int hx_live_class_from_name(const char *name)
{
    for (int i = 0; i < HX_LIVE_NCLASSES; i++)
        if (strcmp(name, class_names[i]) == 0)
            return i;
    return -1;
}

const char *hx_live_op_name(int op)
{
    return op >= HX_LIVE_OPEN && op <= HX_LIVE_LOOP ? op_names[op] : "?";
}

/* ---- model ---- */

void hx_live_case_init(struct hx_live_case *c)
{
    memset(c, 0, sizeof(*c));
}

void hx_live_action_free(struct hx_live_action *a)
{
    free(a->target.p);
    free(a->ctype.p);
    free(a->data.p);
    free(a->headers.p);
    memset(a, 0, sizeof(*a));
}

void hx_live_case_reset(struct hx_live_case *c)
{
    for (size_t i = 0; i < c->n; i++)
        hx_live_action_free(&c->a[i]);
    c->n = 0;
    c->index = 0;
    c->gen[0] = 0;
}

void hx_live_case_free(struct hx_live_case *c)
{
    hx_live_case_reset(c);
    free(c->a);
    hx_live_case_init(c);
}

int hx_live_bytes_set(struct hx_live_bytes *b, const void *p, size_t n)
{
    uint8_t *d = NULL;
    if (n) {
        d = malloc(n);
        if (!d)
            return CDC_ERR_NOMEM;
        memcpy(d, p, n);
    }
    free(b->p);
    b->p = d;
    b->len = n;
    return CDC_OK;
}

static int bytes_dup(struct hx_live_bytes *dst, const struct hx_live_bytes *src)
{
    dst->p = NULL;
    dst->len = 0;
    return hx_live_bytes_set(dst, src->p, src->len);
}

static int action_dup(struct hx_live_action *dst, const struct hx_live_action *src)
{
    *dst = *src;
    dst->target.p = dst->ctype.p = dst->data.p = dst->headers.p = NULL;
    if (bytes_dup(&dst->target, &src->target) != CDC_OK ||
        bytes_dup(&dst->ctype, &src->ctype) != CDC_OK ||
        bytes_dup(&dst->data, &src->data) != CDC_OK ||
        bytes_dup(&dst->headers, &src->headers) != CDC_OK) {
        hx_live_action_free(dst);
        return CDC_ERR_NOMEM;
    }
    return CDC_OK;
}

int hx_live_case_push(struct hx_live_case *c, const struct hx_live_action *a)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        struct hx_live_action *na = realloc(c->a, cap * sizeof(*na));
        if (!na)
            return CDC_ERR_NOMEM;
        c->a = na;
        c->cap = cap;
    }
    int rc = action_dup(&c->a[c->n], a);
    if (rc == CDC_OK)
        c->n++;
    return rc;
}

/* The body of a loop at |j| of |src| ends before this index. */
static size_t body_end(const struct hx_live_case *src, size_t j)
{
    size_t end = j + 1 + src->a[j].span;
    return end < src->n ? end : src->n;
}

int hx_live_case_copy(struct hx_live_case *dst, const struct hx_live_case *src, const size_t *idx,
                      size_t k)
{
    hx_live_case_reset(dst);
    dst->index = src->index;
    memcpy(dst->gen, src->gen, sizeof(dst->gen));
    size_t n = idx ? k : src->n;
    for (size_t i = 0; i < n; i++) {
        size_t j = idx ? idx[i] : i;
        if (j >= src->n)
            continue;
        int rc = hx_live_case_push(dst, &src->a[j]);
        if (rc != CDC_OK)
            return rc;
        if (src->a[j].op == HX_LIVE_LOOP && idx) { /* count the kept body actions */
            uint32_t kept = 0;
            for (size_t q = i + 1; q < n && idx[q] < body_end(src, j); q++)
                kept++;
            dst->a[dst->n - 1].span = kept;
        }
    }
    return CDC_OK;
}

uint32_t hx_live_case_repeats(const struct hx_live_case *c)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->a[i].op == HX_LIVE_LOOP)
            return c->a[i].repeat ? c->a[i].repeat : 1;
    return 1;
}

static uint64_t steps_of(const struct hx_live_case *c, size_t from, size_t to)
{
    uint64_t n = 0;
    for (size_t i = from; i < to && n < UINT64_MAX / 2;) {
        if (c->a[i].op != HX_LIVE_LOOP) {
            n++;
            i++;
            continue;
        }
        size_t end = body_end(c, i);
        uint64_t body = steps_of(c, i + 1, end), reps = c->a[i].repeat ? c->a[i].repeat : 1;
        n += body && reps > (UINT64_MAX / 4) / body ? UINT64_MAX / 4 : body * reps;
        i = end;
    }
    return n;
}

uint64_t hx_live_case_steps(const struct hx_live_case *c)
{
    return steps_of(c, 0, c->n);
}

size_t hx_live_case_bytes(const struct hx_live_case *c)
{
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct hx_live_action *a = &c->a[i];
        total += a->target.len + a->ctype.len + a->data.len + a->headers.len + a->pad_n;
    }
    return total;
}

/* ---- writer ---- */

static int put_str(struct cdc_buf *out, const char *s)
{
    return cdc_buf_append_str(out, s);
}

static int put_quoted(struct cdc_buf *out, const char *lead, const struct hx_live_bytes *b)
{
    int rc = put_str(out, lead);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(out, '"');
    if (rc == CDC_OK)
        rc = hx_escape(b->p, b->len, out);
    return rc == CDC_OK ? cdc_buf_append_byte(out, '"') : rc;
}

static int put_num(struct cdc_buf *out, const char *lead, uint64_t v)
{
    int rc = put_str(out, lead);
    return rc == CDC_OK ? cdc_buf_append_u64(out, v) : rc;
}

static int put_flag(struct cdc_buf *out, const struct hx_live_action *a, unsigned f,
                    const char *word)
{
    return (a->flags & f) ? put_str(out, word) : CDC_OK;
}

/* Writes the options every action may carry: headers and padding. */
static int put_common(struct cdc_buf *out, const struct hx_live_action *a)
{
    int rc = CDC_OK;
    const uint8_t *p = a->headers.p, *end = p + a->headers.len;
    while (rc == CDC_OK && p && p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        struct hx_live_bytes line = {(uint8_t *)p, (size_t)((nl ? nl : end) - p)};
        rc = put_quoted(out, " hdr ", &line);
        p = nl ? nl + 1 : end;
    }
    if (rc == CDC_OK && a->gen_headers)
        rc = put_num(out, " hdrs ", a->gen_headers);
    if (rc == CDC_OK && a->sess)
        rc = put_num(out, " sess ", a->sess);
    if (rc == CDC_OK && a->pad_n) {
        rc = put_num(out, " pad ", a->pad_n);
        if (rc == CDC_OK)
            rc = put_num(out, " ", a->pad_byte);
        if (rc == CDC_OK)
            rc = put_num(out, " ", a->pad_at);
    }
    return rc;
}

static int put_http(struct cdc_buf *out, const struct hx_live_action *a)
{
    int rc = put_str(out, " ");
    if (rc == CDC_OK)
        rc = put_str(out, a->method[0] ? a->method : "GET");
    if (rc == CDC_OK)
        rc = put_quoted(out, " ", &a->target);
    if (rc == CDC_OK && a->ctype.len)
        rc = put_quoted(out, " ctype ", &a->ctype);
    if (rc == CDC_OK && a->data.len)
        rc = put_quoted(out, " body ", &a->data);
    if (rc == CDC_OK)
        rc = put_flag(out, a, HX_LIVE_F_CHUNKED, " chunked");
    return rc == CDC_OK ? put_flag(out, a, HX_LIVE_F_NOWAIT, " nowait") : rc;
}

static int put_wsframe(struct cdc_buf *out, const struct hx_live_action *a)
{
    int rc = put_num(out, " op ", a->opcode);
    if (rc == CDC_OK && a->rsv)
        rc = put_num(out, " rsv ", a->rsv);
    if (rc == CDC_OK)
        rc = put_flag(out, a, HX_LIVE_F_NOFIN, " nofin");
    if (rc == CDC_OK)
        rc = put_flag(out, a, HX_LIVE_F_UNMASKED, " unmasked");
    if (rc == CDC_OK && (a->flags & HX_LIVE_F_DECLEN))
        rc = put_num(out, " declen ", a->declen);
    if (rc == CDC_OK && a->close_code)
        rc = put_num(out, " close ", a->close_code);
    if (rc == CDC_OK && a->repeat > 1)
        rc = put_num(out, " repeat ", a->repeat);
    return rc == CDC_OK ? put_quoted(out, " ", &a->data) : rc;
}

static int put_body(struct cdc_buf *out, const struct hx_live_action *a)
{
    switch (a->op) {
    case HX_LIVE_OPEN:
        return put_str(out, (a->flags & HX_LIVE_F_WS) ? " websocket" : " polling");
    case HX_LIVE_UPGRADE: {
        int rc = put_flag(out, a, HX_LIVE_F_NOPROBE, " noprobe");
        if (rc == CDC_OK)
            rc = put_flag(out, a, HX_LIVE_F_NOUPGRADE, " noupgrade");
        return rc == CDC_OK ? put_flag(out, a, HX_LIVE_F_NOPAUSE, " nopause") : rc;
    }
    case HX_LIVE_SEND: {
        int rc = put_str(out, (a->flags & HX_LIVE_F_BINARY) ? " binary" : " text");
        if (rc == CDC_OK)
            rc = put_quoted(out, " ", &a->data);
        if (rc == CDC_OK)
            rc = put_flag(out, a, HX_LIVE_F_TMPL, " tmpl");
        return rc == CDC_OK ? put_flag(out, a, HX_LIVE_F_NOWAIT, " nowait") : rc;
    }
    case HX_LIVE_LOOP: {
        int rc = put_num(out, " ", a->repeat ? a->repeat : 1);
        return rc == CDC_OK ? put_num(out, " ", a->span) : rc;
    }
    case HX_LIVE_HTTP:
        return put_http(out, a);
    case HX_LIVE_RAW: {
        int rc = put_quoted(out, " ", &a->data);
        return rc == CDC_OK && a->ms ? put_num(out, " rst ", a->ms) : rc;
    }
    case HX_LIVE_WSOPEN: {
        int rc = put_quoted(out, " ", &a->target);
        return rc == CDC_OK && a->data.len ? put_quoted(out, " after ", &a->data) : rc;
    }
    case HX_LIVE_WSFRAME:
        return put_wsframe(out, a);
    case HX_LIVE_SLEEP:
        return put_num(out, " ", a->ms);
    case HX_LIVE_CLOSE:
        return put_str(out, a->how == 0 ? " graceful" : a->how == 1 ? " packet" : " abort");
    case HX_LIVE_EXPECT_CLOSE: {
        int rc = put_num(out, " ", a->ms);
        return rc == CDC_OK ? put_quoted(out, " ", &a->target) : rc;
    }
    }
    return CDC_ERR_INVALID_ARG;
}

static int put_meta(struct cdc_buf *out, const struct hx_live_meta *m)
{
    char line[400];
    int rc = CDC_OK;
    if (m->target[0]) {
        snprintf(line, sizeof(line), "target %s\n", m->target);
        rc = put_str(out, line);
    }
    if (rc == CDC_OK && m->eio)
        rc = put_num(out, "eio ", (uint64_t)m->eio) == CDC_OK ? put_str(out, "\n") : CDC_ERR_NOMEM;
    if (rc == CDC_OK && m->has_seed)
        rc = put_num(out, "seed ", m->seed) == CDC_OK ? put_str(out, "\n") : CDC_ERR_NOMEM;
    if (rc == CDC_OK && m->has_index)
        rc = put_num(out, "case ", m->index) == CDC_OK ? put_str(out, "\n") : CDC_ERR_NOMEM;
    if (rc == CDC_OK && m->cls != HX_LIVE_NONE) {
        struct hx_live_bytes sig = {(uint8_t *)m->sig, strlen(m->sig)};
        rc = put_str(out, "expect ");
        if (rc == CDC_OK)
            rc = put_str(out, hx_live_class_name(m->cls));
        if (rc == CDC_OK)
            rc = put_quoted(out, " ", &sig);
        if (rc == CDC_OK)
            rc = put_str(out, "\n");
    }
    if (rc == CDC_OK && m->cve[0]) {
        snprintf(line, sizeof(line), "cve %s\n", m->cve);
        rc = put_str(out, line);
    }
    if (rc == CDC_OK && m->leak_res != HX_LIVE_RES_NONE) {
        snprintf(line, sizeof(line), "leak %s %.6g\n", hx_live_res_name(m->leak_res), m->leak_min);
        rc = put_str(out, line);
    }
    return rc;
}

int hx_live_case_write(const struct hx_live_case *c, const struct hx_live_meta *m,
                       struct cdc_buf *out)
{
    int rc = put_str(out, "siospec-repro 1\n");
    if (rc == CDC_OK && m)
        rc = put_meta(out, m);
    if (rc == CDC_OK && c->gen[0]) {
        rc = put_str(out, "gen ");
        if (rc == CDC_OK)
            rc = put_str(out, c->gen);
        if (rc == CDC_OK)
            rc = put_str(out, "\n");
    }
    for (size_t i = 0; rc == CDC_OK && i < c->n; i++) {
        const struct hx_live_action *a = &c->a[i];
        rc = put_str(out, hx_live_op_name((int)a->op));
        if (rc == CDC_OK)
            rc = put_body(out, a);
        if (rc == CDC_OK)
            rc = put_common(out, a);
        if (rc == CDC_OK)
            rc = put_str(out, "\n");
    }
    return rc;
}
