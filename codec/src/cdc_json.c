/*
 * cdc_json.c - zero-allocation JSON validation and span reading.
 *
 * The validator is an explicit-stack state machine: container kinds are kept
 * in a bit stack (1 = object), so nesting costs one bit and no recursion.
 * Depth is capped by the caller's limit and by CDC_JSON_DEPTH_CAP. Strings
 * and digit runs are skipped a word at a time; in strict mode one fast
 * UTF-8 pass over the whole text first spares the string scanner its
 * per-character checks whenever the text is well-formed.
 *
 * The reader assumes validated input but checks every bound, so a malformed
 * span yields a wrong answer or an error, never an out-of-bounds read.
 */
#include "codec/cdc_json.h"

#include "cdc_swar.h"
#include "cdc_utf8_seq.h"

#include <stdlib.h>
#include <string.h>

#define CDC_JSON_DEPTH_CAP 4096u

static int fail(struct cdc_diag *diag, const uint8_t *base, const uint8_t *at, int err,
                const char *why)
{
    if (diag) {
        diag->off = (size_t)(at - base);
        diag->why = why;
    }
    return err;
}

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const uint8_t *skip_ws(const uint8_t *p, const uint8_t *end)
{
    while (p < end && is_ws(*p))
        p++;
    return p;
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

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

static bool is_simple_escape(uint8_t e)
{
    switch (e) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return true;
    default:
        return false;
    }
}

/* Where and why a scan failed. The scanners return the position after
 * what they read, or NULL after filling this in. */
struct verr {
    const uint8_t *at;
    int rc;
    const char *why;
};

static const uint8_t *verr_set(struct verr *e, const uint8_t *at, int rc, const char *why)
{
    e->at = at;
    e->rc = rc;
    e->why = why;
    return NULL;
}

/* The escape after the backslash at |p|; returns the byte after it. */
static const uint8_t *scan_escape(const uint8_t *p, const uint8_t *end, struct verr *e)
{
    if (p + 1 >= end)
        return verr_set(e, end, CDC_ERR_JSON, "unterminated string");
    uint8_t c = p[1];
    if (c == 'u') {
        if (end - p < 6)
            return verr_set(e, end, CDC_ERR_JSON, "unterminated string");
        for (int i = 2; i < 6; i++)
            if (hexval(p[i]) < 0)
                return verr_set(e, p + i, CDC_ERR_JSON, "bad \\u escape");
        return p + 6;
    }
    if (!is_simple_escape(c))
        return verr_set(e, p + 1, CDC_ERR_JSON, "bad escape");
    return p + 2;
}

/* Validates the string whose opening quote is at |p|. */
static const uint8_t *scan_string(const uint8_t *p, const uint8_t *end, bool utf8_strict,
                                  struct verr *e)
{
    p++;
    while ((p = cdc_skip_plain(p, end, utf8_strict)) < end) {
        uint8_t c = *p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return verr_set(e, p, CDC_ERR_JSON, "control character in string");
        if (c == '\\') {
            if ((p = scan_escape(p, end, e)) == NULL)
                return NULL;
            continue;
        }
        if (c >= 0x80 && utf8_strict) {
            size_t n = cdc_utf8_seq(p, end);
            if (n == 0)
                return verr_set(e, p, CDC_ERR_UTF8, "invalid UTF-8 in string");
            p += n;
            continue;
        }
        p++;
    }
    return verr_set(e, end, CDC_ERR_JSON, "unterminated string");
}

static const uint8_t *scan_number(const uint8_t *p, const uint8_t *end, struct verr *e)
{
    if (p < end && *p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return verr_set(e, p, CDC_ERR_JSON, "digit expected");
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return verr_set(e, p, CDC_ERR_JSON, "leading zero");
    } else {
        p = cdc_skip_digits(p, end);
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p))
            return verr_set(e, p, CDC_ERR_JSON, "digit expected after '.'");
        p = cdc_skip_digits(p, end);
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return verr_set(e, p, CDC_ERR_JSON, "digit expected in exponent");
        p = cdc_skip_digits(p, end);
    }
    return p;
}

static const uint8_t *scan_literal(const uint8_t *p, const uint8_t *end, struct verr *e)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(lits[i]);
        if ((size_t)(end - p) >= n && memcmp(p, lits[i], n) == 0)
            return p + n;
    }
    return verr_set(e, p, CDC_ERR_JSON, "unexpected character");
}

/* A scalar value starting at |p| (not whitespace, not a container). */
static const uint8_t *scan_scalar(const uint8_t *p, const uint8_t *end, bool utf8_strict,
                                  struct verr *e)
{
    switch (*p) {
    case '"':
        return scan_string(p, end, utf8_strict, e);
    case 't':
    case 'f':
    case 'n':
        return scan_literal(p, end, e);
    default:
        return scan_number(p, end, e);
    }
}

/* Open containers, innermost last; kinds in a bit stack (1 = object). */
struct vstate {
    const uint8_t *end;
    unsigned depth;
    unsigned max_depth;
    bool utf8_strict;
    uint8_t kinds[CDC_JSON_DEPTH_CAP / 8];
};

static bool push(struct vstate *s, bool object)
{
    if (s->depth >= s->max_depth)
        return false;
    uint8_t bit = (uint8_t)(1u << (s->depth % 8));
    if (object)
        s->kinds[s->depth / 8] |= bit;
    else
        s->kinds[s->depth / 8] &= (uint8_t)~bit;
    s->depth++;
    return true;
}

/* Closes the innermost container; returns whether the one around it (if
 * any) is an object. */
static bool pop(struct vstate *s)
{
    unsigned d = --s->depth;
    return d > 0 && ((s->kinds[(d - 1) / 8] >> ((d - 1) % 8)) & 1u);
}

/* An object key and the colon after it; returns the position after ':'. */
static const uint8_t *scan_key(const uint8_t *p, const struct vstate *s, struct verr *e)
{
    p = skip_ws(p, s->end);
    if (p >= s->end || *p != '"')
        return verr_set(e, p, CDC_ERR_JSON, "object key expected");
    if ((p = scan_string(p, s->end, s->utf8_strict, e)) == NULL)
        return NULL;
    p = skip_ws(p, s->end);
    if (p >= s->end || *p != ':')
        return verr_set(e, p, CDC_ERR_JSON, "':' expected");
    return p + 1;
}

/* After a complete value at |p|: closes containers until a ',' asks for
 * another member (returns the position of that member's value, key
 * consumed) or the outermost value ends (returns |p|, depth 0). */
static const uint8_t *after_value(const uint8_t *p, struct vstate *s, bool *obj, struct verr *e)
{
    while (s->depth > 0) {
        p = skip_ws(p, s->end);
        if (p >= s->end)
            return verr_set(e, p, CDC_ERR_JSON, "unterminated container");
        if (*p == (*obj ? '}' : ']')) {
            *obj = pop(s);
            p++;
            continue;
        }
        if (*p != ',')
            return verr_set(e, p, CDC_ERR_JSON,
                            *obj ? "',' or '}' expected" : "',' or ']' expected");
        return *obj ? scan_key(p + 1, s, e) : p + 1;
    }
    return p;
}

/* Opens the container at |p|; returns the position of its first value
 * (key consumed), or of what follows it when it is empty. */
static const uint8_t *open_container(const uint8_t *p, struct vstate *s, bool *obj, bool *empty,
                                     struct verr *e)
{
    bool object = *p == '{';
    if (!push(s, object))
        return verr_set(e, p, CDC_ERR_JSON_DEPTH, "nesting too deep");
    *obj = object;
    p = skip_ws(p + 1, s->end);
    if (p >= s->end)
        return verr_set(e, p, CDC_ERR_JSON, "unterminated container");
    *empty = *p == (object ? '}' : ']');
    if (*empty) {
        *obj = pop(s);
        return p + 1;
    }
    return object ? scan_key(p, s, e) : p;
}

/* The grammar, one value at a time: |p| is where a value must start. */
static const uint8_t *scan_document(const uint8_t *p, struct vstate *s, struct verr *e)
{
    bool obj = false;
    do {
        p = skip_ws(p, s->end);
        if (p >= s->end)
            return verr_set(e, p, CDC_ERR_JSON, "value expected");
        if (*p == '{' || *p == '[') {
            bool empty;
            p = open_container(p, s, &obj, &empty, e);
            if (p == NULL || !empty)
                continue;
        } else {
            p = scan_scalar(p, s->end, s->utf8_strict, e);
            if (p == NULL)
                return NULL;
        }
        p = after_value(p, s, &obj, e);
    } while (p != NULL && s->depth > 0);
    return p;
}

int cdc_json_validate(const uint8_t *in, size_t n, unsigned max_depth, bool utf8_strict,
                      struct cdc_diag *diag)
{
    struct vstate s;
    struct verr e = {in, CDC_OK, NULL};
    if (n == 0) /* |in| may be NULL: no pointer arithmetic on it */
        return fail(diag, in, in, CDC_ERR_JSON, "value expected");
    /* One fast pass over the whole text (cdc_utf8.c) is cheaper than
     * stopping at every non-ASCII byte of every string. When it passes,
     * the string scanner has nothing left to check, and both modes read
     * every byte alike; otherwise the scan below finds the first error,
     * UTF-8 or grammar, as it always did. */
    s.utf8_strict = utf8_strict && cdc_utf8_check(in, n, NULL) != CDC_OK;
    s.end = in + n;
    s.depth = 0;
    s.max_depth = max_depth < CDC_JSON_DEPTH_CAP ? max_depth : CDC_JSON_DEPTH_CAP;
    const uint8_t *p = scan_document(in, &s, &e);
    if (p == NULL)
        return fail(diag, in, e.at, e.rc, e.why);
    p = skip_ws(p, s.end);
    if (p != s.end)
        return fail(diag, in, p, CDC_ERR_JSON, "trailing characters after JSON value");
    return CDC_OK;
}

struct cdc_span cdc_json_trim(struct cdc_span v)
{
    if (v.len == 0)
        return v;
    const uint8_t *p = v.p, *end = v.p + v.len;
    p = skip_ws(p, end);
    while (end > p && is_ws(end[-1]))
        end--;
    return (struct cdc_span){p, (size_t)(end - p)};
}

enum cdc_json_type cdc_json_type_of(struct cdc_span v)
{
    v = cdc_json_trim(v);
    if (v.len == 0)
        return CDC_JSON_INVALID;
    switch (v.p[0]) {
    case '{':
        return CDC_JSON_OBJECT;
    case '[':
        return CDC_JSON_ARRAY;
    case '"':
        return CDC_JSON_STRING;
    case 't':
        return CDC_JSON_TRUE;
    case 'f':
        return CDC_JSON_FALSE;
    case 'n':
        return CDC_JSON_NULL;
    default:
        return (v.p[0] == '-' || is_digit(v.p[0])) ? CDC_JSON_NUMBER : CDC_JSON_INVALID;
    }
}

/* Returns the end of the string token at |p| (after the closing quote). */
static const uint8_t *skip_string(const uint8_t *p, const uint8_t *end)
{
    p++;
    while ((p = cdc_skip_to(p, end, 0, '\\', '\\')) < end) {
        if (*p == '\\')
            p += (end - p >= 2) ? 2 : 1;
        else if (*p++ == '"')
            return p;
    }
    return end;
}

/* Returns the end of the value at |p|, or NULL when it is malformed. */
static const uint8_t *skip_value(const uint8_t *p, const uint8_t *end)
{
    if (p >= end)
        return NULL;
    if (*p == '"')
        return skip_string(p, end);
    if (*p == '{' || *p == '[') {
        size_t depth = 0;
        while ((p = cdc_skip_to(p, end, 0x20, '[', ']')) < end) {
            uint8_t c = *p;
            if (c == '"') {
                p = skip_string(p, end);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return NULL;
    }
    const uint8_t *q = p;
    while (q < end && !is_ws(*q) && *q != ',' && *q != ']' && *q != '}' && *q != ':')
        q++;
    return q > p ? q : NULL;
}

int cdc_json_iter_init(struct cdc_json_iter *it, struct cdc_span container)
{
    container = cdc_json_trim(container);
    if (container.len < 2 || (container.p[0] != '[' && container.p[0] != '{'))
        return CDC_ERR_INVALID_ARG;
    it->object = container.p[0] == '{';
    it->p = container.p + 1;
    it->end = container.p + container.len - 1; /* the closing bracket */
    it->started = false;
    return CDC_OK;
}

int cdc_json_iter_next(struct cdc_json_iter *it, struct cdc_span *key, struct cdc_span *val)
{
    const uint8_t *p = skip_ws(it->p, it->end);
    if (it->started) {
        if (p >= it->end)
            return 0;
        if (*p != ',')
            return CDC_ERR_JSON;
        p = skip_ws(p + 1, it->end);
    } else if (p >= it->end) {
        return 0;
    }
    it->started = true;
    if (key)
        *key = (struct cdc_span){p, 0};
    if (it->object) {
        if (p >= it->end || *p != '"')
            return CDC_ERR_JSON;
        const uint8_t *k = skip_string(p, it->end);
        if (key)
            *key = (struct cdc_span){p, (size_t)(k - p)};
        p = skip_ws(k, it->end);
        if (p >= it->end || *p != ':')
            return CDC_ERR_JSON;
        p = skip_ws(p + 1, it->end);
    }
    const uint8_t *v = skip_value(p, it->end);
    if (!v)
        return CDC_ERR_JSON;
    *val = (struct cdc_span){p, (size_t)(v - p)};
    it->p = v;
    return 1;
}

size_t cdc_json_count(struct cdc_span container)
{
    struct cdc_json_iter it;
    struct cdc_span v;
    size_t n = 0;
    if (cdc_json_iter_init(&it, container) != CDC_OK)
        return SIZE_MAX;
    while (cdc_json_iter_next(&it, NULL, &v) == 1)
        n++;
    return n;
}

/* Decodes one logical character of a string body at *pp into UTF-8 bytes.
 * Returns the byte count (1-4), or 0 on a malformed escape. */
static size_t str_next(const uint8_t **pp, const uint8_t *end, uint8_t out[4])
{
    const uint8_t *p = *pp;
    if (*p != '\\') {
        out[0] = *p;
        *pp = p + 1;
        return 1;
    }
    if (end - p < 2)
        return 0;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *e = p[1] ? strchr(from, p[1]) : NULL;
    if (e) {
        out[0] = (uint8_t)to[e - from];
        *pp = p + 2;
        return 1;
    }
    if (p[1] != 'u' || end - p < 6)
        return 0;
    uint32_t cp = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return 0;
        cp = cp << 4 | (uint32_t)h;
    }
    p += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
        uint32_t lo = 0;
        int ok = 1;
        for (int i = 2; i < 6 && ok; i++) {
            int h = hexval(p[i]);
            ok = h >= 0;
            lo = lo << 4 | (uint32_t)(h < 0 ? 0 : h);
        }
        if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
        }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD; /* lone surrogate */
    *pp = p;
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Body of a string token: between the quotes. */
static bool str_body(struct cdc_span str, const uint8_t **p, const uint8_t **end)
{
    str = cdc_json_trim(str);
    if (str.len < 2 || str.p[0] != '"' || str.p[str.len - 1] != '"')
        return false;
    *p = str.p + 1;
    *end = str.p + str.len - 1;
    return true;
}

bool cdc_json_string_eq(struct cdc_span str, const char *s, size_t n)
{
    const uint8_t *p, *end;
    if (!str_body(str, &p, &end))
        return false;
    /* Fast path: no escapes. */
    if (!memchr(p, '\\', (size_t)(end - p)))
        return (size_t)(end - p) == n && (n == 0 || memcmp(p, s, n) == 0);
    size_t off = 0;
    while (p < end) {
        uint8_t ch[4];
        size_t k = str_next(&p, end, ch);
        if (k == 0 || off + k > n || memcmp(s + off, ch, k) != 0)
            return false;
        off += k;
    }
    return off == n;
}

int cdc_json_string_unescape(struct cdc_span str, struct cdc_buf *out)
{
    const uint8_t *p, *end;
    if (!str_body(str, &p, &end))
        return CDC_ERR_JSON;
    size_t mark = out->len;
    while (p < end) {
        uint8_t ch[4];
        size_t k = str_next(&p, end, ch);
        int rc = k ? cdc_buf_append(out, ch, k) : CDC_ERR_JSON;
        if (rc != CDC_OK) {
            out->len = mark;
            return rc;
        }
    }
    return CDC_OK;
}

int cdc_json_string_encode(const uint8_t *s, size_t n, struct cdc_buf *out)
{
    static const char hex[] = "0123456789abcdef";
    if (n == 0) /* |s| may be NULL */
        return cdc_buf_append(out, "\"\"", 2);
    size_t mark = out->len;
    int rc = cdc_buf_append_byte(out, '"');
    size_t run = 0; /* start of the current run of bytes copied verbatim */
    for (size_t i = 0; i < n && rc == CDC_OK; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        rc = cdc_buf_append(out, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t k = 2;
        const char *short_esc = c == '"'    ? "\""
                                : c == '\\' ? "\\"
                                : c == '\n' ? "n"
                                : c == '\r' ? "r"
                                : c == '\t' ? "t"
                                : c == '\b' ? "b"
                                : c == '\f' ? "f"
                                            : NULL;
        if (short_esc) {
            esc[1] = short_esc[0];
        } else {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        if (rc == CDC_OK)
            rc = cdc_buf_append(out, esc, k);
    }
    if (rc == CDC_OK)
        rc = cdc_buf_append(out, s + run, n - run);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(out, '"');
    if (rc != CDC_OK)
        out->len = mark;
    return rc;
}

int cdc_json_object_get(struct cdc_span obj, const char *key, struct cdc_span *val)
{
    struct cdc_json_iter it;
    struct cdc_span k, v;
    int found = 0, rc;
    if (cdc_json_iter_init(&it, obj) != CDC_OK || !it.object)
        return CDC_ERR_INVALID_ARG;
    size_t n = strlen(key);
    while ((rc = cdc_json_iter_next(&it, &k, &v)) == 1) {
        if (cdc_json_string_eq(k, key, n)) {
            *val = v;
            found = 1;
        }
    }
    return rc < 0 ? rc : found;
}

/* Writes "e<v>" and a NUL at |dst| (|v| within +-3000000). */
static void put_exp(char *dst, long v)
{
    char digits[12];
    size_t n = 0;
    unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
    *dst++ = 'e';
    if (v < 0)
        *dst++ = '-';
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *dst++ = digits[--n];
    *dst = 0;
}

/* Rewrites a long number token as "-0.<up to 40 significant digits>e<exp>"
 * in |tmp| (which holds at least 64 bytes): beyond 40 digits a double
 * cannot change, and the exponent saturates far outside double range. */
static void number_shorten(struct cdc_span num, char *tmp)
{
    const uint8_t *p = num.p, *end = num.p + num.len;
    size_t o = 0, kept = 0;
    long point = 0, exp = 0; /* digits before the point; explicit exponent */
    bool frac = false, seen = false;
    if (p < end && *p == '-')
        tmp[o++] = *p++;
    tmp[o++] = '0';
    tmp[o++] = '.';
    for (; p < end && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            frac = true;
            continue;
        }
        if (!seen && *p == '0') {
            point -= frac; /* a leading zero after the point shifts it */
            continue;
        }
        seen = true;
        point += !frac && point < 1000000;
        if (kept < 40)
            tmp[o++] = (char)*p, kept++;
    }
    if (p < end) {
        bool neg = ++p < end && *p == '-';
        p += p < end && (*p == '-' || *p == '+');
        for (; p < end; p++)
            exp = exp < 1000000 ? exp * 10 + (*p - '0') : exp;
        exp = neg ? -exp : exp;
    }
    if (!seen)
        tmp[o++] = '0', point = 0;
    put_exp(tmp + o, point + exp);
}

int cdc_json_number_double(struct cdc_span num, double *out)
{
    char tmp[256];
    num = cdc_json_trim(num);
    const uint8_t *p = num.p;
    struct verr e;
    if (num.len == 0 || (p = scan_number(p, num.p + num.len, &e)) != num.p + num.len)
        return CDC_ERR_JSON;
    if (num.len < sizeof(tmp)) {
        memcpy(tmp, num.p, num.len);
        tmp[num.len] = 0;
    } else {
        number_shorten(num, tmp);
    }
    *out = strtod(tmp, NULL); /* the JSON number grammar is locale-neutral in "C" */
    return CDC_OK;
}

int cdc_json_number_u64(struct cdc_span num, uint64_t max, uint64_t *out)
{
    num = cdc_json_trim(num);
    if (num.len == 0)
        return CDC_ERR_JSON;
    if (num.len > 1 && num.p[0] == '0')
        return CDC_ERR_JSON;
    for (size_t i = 0; i < num.len; i++)
        if (!is_digit(num.p[i]))
            return CDC_ERR_JSON; /* fraction or exponent: not a plain integer */
    uint64_t v = 0;
    for (size_t i = 0; i < num.len; i++) {
        uint64_t d = (uint64_t)(num.p[i] - '0');
        if (d > max || v > (max - d) / 10)
            return CDC_ERR_TOO_LARGE;
        v = v * 10 + d;
    }
    *out = v;
    return CDC_OK;
}
