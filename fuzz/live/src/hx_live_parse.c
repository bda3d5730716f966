/*
 * hx_live_parse.c - parser of the reproducer text format (hx_live.h).
 *
 * Each line is split into tokens: bare words, or double-quoted strings
 * with the C escapes the writer produces (\n \r \t \\ \" \xNN). The first
 * token names a header key or an action; positional arguments come first,
 * then keyword options in any order. Errors name the line (diag->off) and
 * the rule (diag->why); nothing is half-parsed into the case on failure of
 * a line.
 */
#include "live/hx_live.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TOK 128

struct line {
    struct cdc_buf b; /* decoded token bytes */
    size_t off[MAX_TOK], len[MAX_TOK];
    bool quoted[MAX_TOK];
    size_t n;
    size_t i; /* next token to consume */
};

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the quoted string starting after '"' at |p|; returns bytes used
 * including the closing quote, or 0 on error. */
static size_t unquote(const uint8_t *p, size_t n, struct cdc_buf *out, const char **why)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (i + 1 >= n)
                break;
            uint8_t e = p[++i];
            if (e == 'x') {
                int h = i + 2 < n ? hexval(p[i + 1]) : -1, l = i + 2 < n ? hexval(p[i + 2]) : -1;
                if (h < 0 || l < 0) {
                    *why = "bad \\x escape";
                    return 0;
                }
                c = (uint8_t)(h * 16 + l);
                i += 2;
            } else {
                c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
                if (e != 'n' && e != 'r' && e != 't' && e != '\\' && e != '"') {
                    *why = "unknown escape";
                    return 0;
                }
            }
        }
        if (cdc_buf_append_byte(out, c) != CDC_OK) {
            *why = "string too large";
            return 0;
        }
    }
    *why = "unterminated string";
    return 0;
}

static int tokenize(const uint8_t *p, size_t n, struct line *L, const char **why)
{
    size_t i = 0;
    L->n = L->i = 0;
    cdc_buf_reset(&L->b);
    while (i < n) {
        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r') {
            i++;
            continue;
        }
        if (L->n == MAX_TOK) {
            *why = "too many tokens";
            return -1;
        }
        L->off[L->n] = L->b.len;
        L->quoted[L->n] = p[i] == '"';
        if (p[i] == '"') {
            size_t used = unquote(p + i + 1, n - i - 1, &L->b, why);
            if (!used)
                return -1;
            i += used + 1;
        } else {
            size_t s = i;
            while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
                i++;
            if (cdc_buf_append(&L->b, p + s, i - s) != CDC_OK) {
                *why = "line too large";
                return -1;
            }
        }
        L->len[L->n] = L->b.len - L->off[L->n];
        L->n++;
    }
    return 0;
}

static bool tok_is(const struct line *L, size_t i, const char *w)
{
    return i < L->n && !L->quoted[i] && L->len[i] == strlen(w) &&
           memcmp(L->b.p + L->off[i], w, L->len[i]) == 0;
}

/* Consumes an unquoted decimal number. */
static bool take_num(struct line *L, uint64_t max, uint64_t *v)
{
    if (L->i >= L->n || L->quoted[L->i] || L->len[L->i] == 0 || L->len[L->i] > 20)
        return false;
    uint64_t x = 0;
    const uint8_t *s = L->b.p + L->off[L->i];
    for (size_t k = 0; k < L->len[L->i]; k++) {
        if (s[k] < '0' || s[k] > '9' || x > (UINT64_MAX - 9) / 10)
            return false;
        x = x * 10 + (uint64_t)(s[k] - '0');
    }
    if (x > max)
        return false;
    *v = x;
    L->i++;
    return true;
}

/* Consumes an unquoted non-negative decimal number ("12", "0.25", "1e3"). */
static bool take_double(struct line *L, double *v)
{
    char buf[40];
    if (L->i >= L->n || L->quoted[L->i] || L->len[L->i] == 0 || L->len[L->i] >= sizeof(buf))
        return false;
    memcpy(buf, L->b.p + L->off[L->i], L->len[L->i]);
    buf[L->len[L->i]] = 0;
    char *end;
    double x = strtod(buf, &end);
    if (*end || !(x >= 0) || buf[0] == '-' || buf[0] == '+')
        return false;
    *v = x;
    L->i++;
    return true;
}

static bool take_u32(struct line *L, uint32_t *v)
{
    uint64_t x;
    if (!take_num(L, UINT32_MAX, &x))
        return false;
    *v = (uint32_t)x;
    return true;
}

static bool take_str(struct line *L, struct hx_live_bytes *b)
{
    if (L->i >= L->n || !L->quoted[L->i])
        return false;
    bool ok =
        hx_live_bytes_set(b, L->len[L->i] ? L->b.p + L->off[L->i] : NULL, L->len[L->i]) == CDC_OK;
    L->i++;
    return ok;
}

static bool add_header(struct line *L, struct hx_live_action *a)
{
    struct hx_live_bytes h = {0};
    if (!take_str(L, &h))
        return false;
    size_t n = a->headers.len + (a->headers.len ? 1 : 0) + h.len;
    uint8_t *p = malloc(n ? n : 1);
    bool ok = p != NULL;
    if (ok) {
        size_t k = 0;
        if (a->headers.len) {
            memcpy(p, a->headers.p, a->headers.len);
            p[a->headers.len] = '\n';
            k = a->headers.len + 1;
        }
        if (h.len)
            memcpy(p + k, h.p, h.len);
        free(a->headers.p);
        a->headers.p = p;
        a->headers.len = n;
    }
    free(h.p);
    return ok;
}

/* Options every action accepts. Returns 1 consumed, 0 not mine, -1 bad. */
static int common_opt(struct line *L, struct hx_live_action *a)
{
    if (tok_is(L, L->i, "hdr")) {
        L->i++;
        return add_header(L, a) ? 1 : -1;
    }
    if (tok_is(L, L->i, "hdrs")) {
        L->i++;
        return take_u32(L, &a->gen_headers) ? 1 : -1;
    }
    if (tok_is(L, L->i, "sess")) {
        uint64_t v = 0;
        L->i++;
        if (!take_num(L, HX_LIVE_NSESS - 1, &v))
            return -1;
        a->sess = (uint8_t)v;
        return 1;
    }
    if (tok_is(L, L->i, "pad")) {
        uint64_t b = 0;
        L->i++;
        if (!take_u32(L, &a->pad_n) || !take_num(L, 255, &b) || !take_u32(L, &a->pad_at))
            return -1;
        a->pad_byte = (uint8_t)b;
        return 1;
    }
    return 0;
}

static const struct {
    const char *word;
    unsigned flag;
} flag_words[] = {
    {"chunked", HX_LIVE_F_CHUNKED}, {"nowait", HX_LIVE_F_NOWAIT},
    {"nofin", HX_LIVE_F_NOFIN},     {"unmasked", HX_LIVE_F_UNMASKED},
    {"noprobe", HX_LIVE_F_NOPROBE}, {"noupgrade", HX_LIVE_F_NOUPGRADE},
    {"nopause", HX_LIVE_F_NOPAUSE}, {"tmpl", HX_LIVE_F_TMPL},
};

/* Keyword options of http, raw, wsopen, wsframe and upgrade. */
static int op_opt(struct line *L, struct hx_live_action *a)
{
    uint64_t v = 0;
    for (size_t k = 0; k < sizeof(flag_words) / sizeof(flag_words[0]); k++)
        if (tok_is(L, L->i, flag_words[k].word)) {
            a->flags |= flag_words[k].flag;
            L->i++;
            return 1;
        }
    const char *w = L->i < L->n && !L->quoted[L->i] ? (const char *)L->b.p + L->off[L->i] : "";
    size_t wl = L->i < L->n && !L->quoted[L->i] ? L->len[L->i] : 0;
#define IS(s) (wl == sizeof(s) - 1 && memcmp(w, s, wl) == 0)
    bool ok = true;
    if (IS("ctype") || IS("body") || IS("after")) {
        bool ct = IS("ctype");
        L->i++;
        ok = take_str(L, ct ? &a->ctype : &a->data);
    } else if (IS("rst") || IS("repeat")) {
        bool rst = IS("rst");
        L->i++;
        ok = take_u32(L, rst ? &a->ms : &a->repeat);
    } else if (IS("op") || IS("rsv")) {
        bool op = IS("op");
        L->i++;
        ok = take_num(L, op ? 15 : 7, &v);
        if (ok && op)
            a->opcode = (uint8_t)v;
        else if (ok)
            a->rsv = (uint8_t)v;
    } else if (IS("declen")) {
        L->i++;
        ok = take_num(L, UINT64_MAX, &a->declen);
        a->flags |= HX_LIVE_F_DECLEN;
    } else if (IS("close")) {
        L->i++;
        ok = take_num(L, 65535, &v);
        a->close_code = (uint16_t)v;
    } else if (a->op == HX_LIVE_WSFRAME && L->i < L->n && L->quoted[L->i]) {
        ok = take_str(L, &a->data);
    } else {
        return 0;
    }
#undef IS
    return ok ? 1 : -1;
}

/* Positional arguments of each action. */
static bool positional(struct line *L, struct hx_live_action *a)
{
    switch (a->op) {
    case HX_LIVE_OPEN:
        if (tok_is(L, L->i, "websocket"))
            a->flags |= HX_LIVE_F_WS;
        return (tok_is(L, L->i, "polling") || tok_is(L, L->i, "websocket")) && ++L->i;
    case HX_LIVE_SEND:
        if (tok_is(L, L->i, "binary"))
            a->flags |= HX_LIVE_F_BINARY;
        if (!tok_is(L, L->i, "text") && !tok_is(L, L->i, "binary"))
            return false;
        L->i++;
        return take_str(L, &a->data);
    case HX_LIVE_HTTP:
        if (L->i >= L->n || L->quoted[L->i] || L->len[L->i] >= sizeof(a->method))
            return false;
        memcpy(a->method, L->b.p + L->off[L->i], L->len[L->i]);
        a->method[L->len[L->i]] = 0;
        L->i++;
        return take_str(L, &a->target);
    case HX_LIVE_RAW:
        return take_str(L, &a->data);
    case HX_LIVE_WSOPEN:
        return take_str(L, &a->target);
    case HX_LIVE_SLEEP:
        return take_u32(L, &a->ms);
    case HX_LIVE_CLOSE:
        a->how = tok_is(L, L->i, "graceful") ? 0 : tok_is(L, L->i, "packet") ? 1 : 2;
        return (tok_is(L, L->i, "graceful") || tok_is(L, L->i, "packet") ||
                tok_is(L, L->i, "abort")) &&
               ++L->i;
    case HX_LIVE_EXPECT_CLOSE:
        return take_u32(L, &a->ms) && take_str(L, &a->target);
    case HX_LIVE_LOOP:
        return take_u32(L, &a->repeat) && take_u32(L, &a->span);
    default:
        return true;
    }
}

static int parse_action(struct line *L, int op, struct hx_live_case *c, const char **why)
{
    struct hx_live_action a = {.op = (enum hx_live_op)op};
    L->i = 1;
    int rc = CDC_ERR_INVALID_ARG;
    if (!positional(L, &a)) {
        *why = "bad or missing argument";
        goto out;
    }
    while (L->i < L->n) {
        int r = common_opt(L, &a);
        if (r == 0)
            r = op_opt(L, &a);
        if (r <= 0) {
            *why = r < 0 ? "bad option value" : "unknown option";
            goto out;
        }
    }
    rc = hx_live_case_push(c, &a);
out:
    hx_live_action_free(&a);
    return rc;
}

static void copy_word(const struct line *L, size_t i, char *dst, size_t cap)
{
    size_t n = L->len[i] < cap - 1 ? L->len[i] : cap - 1;
    memcpy(dst, L->b.p + L->off[i], n);
    dst[n] = 0;
}

/* Header keys. Returns 1 handled, 0 not a header key, -1 bad. */
static int parse_meta(struct line *L, struct hx_live_case *c, struct hx_live_meta *m)
{
    uint64_t v;
    L->i = 1;
    if (L->n < 2)
        return tok_is(L, 0, "target") || tok_is(L, 0, "eio") ? -1 : 0;
    if (tok_is(L, 0, "target") || tok_is(L, 0, "gen") || tok_is(L, 0, "cve")) {
        char *dst = tok_is(L, 0, "target") ? m->target : tok_is(L, 0, "gen") ? c->gen : m->cve;
        size_t cap = tok_is(L, 0, "target") ? sizeof(m->target)
                     : tok_is(L, 0, "gen")  ? sizeof(c->gen)
                                            : sizeof(m->cve);
        copy_word(L, 1, dst, cap);
        return 1;
    }
    if (tok_is(L, 0, "eio")) {
        if (!take_num(L, 4, &v) || v < 3)
            return -1;
        m->eio = (int)v;
        return 1;
    }
    if (tok_is(L, 0, "seed") || tok_is(L, 0, "case")) {
        bool seed = tok_is(L, 0, "seed");
        if (!take_num(L, UINT64_MAX, seed ? &m->seed : &m->index))
            return -1;
        *(seed ? &m->has_seed : &m->has_index) = true;
        if (!seed)
            c->index = m->index;
        return 1;
    }
    if (tok_is(L, 0, "leak")) {
        char name[16];
        copy_word(L, 1, name, sizeof(name));
        m->leak_res = HX_LIVE_RES_NONE;
        for (int r = 1; r < HX_LIVE_NRES; r++)
            if (strcmp(name, hx_live_res_name(r)) == 0)
                m->leak_res = r;
        L->i = 2;
        return m->leak_res != HX_LIVE_RES_NONE && take_double(L, &m->leak_min) ? 1 : -1;
    }
    if (tok_is(L, 0, "expect")) {
        char name[40];
        copy_word(L, 1, name, sizeof(name));
        m->cls = hx_live_class_from_name(name);
        if (m->cls < 0 || L->n < 3 || !L->quoted[2])
            return -1;
        copy_word(L, 2, m->sig, sizeof(m->sig));
        return 1;
    }
    return 0;
}

static int parse_line(struct line *L, struct hx_live_case *c, struct hx_live_meta *m,
                      const char **why)
{
    int r = parse_meta(L, c, m);
    if (r != 0) {
        *why = r < 0 ? "bad header line" : NULL;
        return r < 0 ? CDC_ERR_INVALID_ARG : CDC_OK;
    }
    for (int op = HX_LIVE_OPEN; op <= HX_LIVE_LOOP; op++)
        if (tok_is(L, 0, hx_live_op_name(op)))
            return parse_action(L, op, c, why);
    *why = "unknown action";
    return CDC_ERR_INVALID_ARG;
}

int hx_live_case_parse(struct hx_live_case *c, struct hx_live_meta *m, const uint8_t *in,
                       size_t len, struct cdc_diag *diag)
{
    struct hx_live_meta local;
    if (!m)
        m = &local;
    memset(m, 0, sizeof(*m));
    struct line L = {0};
    cdc_buf_init(&L.b, 64u << 20, NULL);
    int rc = CDC_OK;
    const char *why = NULL;
    size_t pos = 0, lineno = 0;
    bool seen_magic = false;
    while (rc == CDC_OK && pos < len) {
        const uint8_t *nl = memchr(in + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - in) : len;
        lineno++;
        if (tokenize(in + pos, end - pos, &L, &why) != 0)
            rc = CDC_ERR_INVALID_ARG;
        else if (L.n == 0 || (!L.quoted[0] && L.b.p[L.off[0]] == '#'))
            ; /* blank or comment */
        else if (!seen_magic)
            rc = tok_is(&L, 0, "siospec-repro") && tok_is(&L, 1, "1")
                     ? (seen_magic = true, CDC_OK)
                     : (why = "first line must be 'siospec-repro 1'", CDC_ERR_INVALID_ARG);
        else
            rc = parse_line(&L, c, m, &why);
        pos = end + 1;
    }
    if (rc == CDC_OK && !seen_magic) {
        rc = CDC_ERR_INVALID_ARG;
        why = "not a siospec reproducer";
    }
    if (rc != CDC_OK && diag) {
        diag->off = lineno;
        diag->why = why ? why : "invalid";
    }
    cdc_buf_free(&L.b);
    return rc;
}
