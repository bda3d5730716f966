/*
 * diff_json.c - canonical text the way the reference side writes it
 * (oracle.js): JSON re-serialised like JSON.stringify with sorted keys,
 * strings decoded like Node decodes UTF-8 (each maximal invalid subsequence
 * becomes U+FFFD), numbers printed like JavaScript's Number#toString.
 *
 * Input JSON must have passed cdc_json_validate; the walk uses the codec's
 * own reader (cdc_json_iter), so a reader bug shows up as a difference.
 */
#include "diff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cdc_json.h"

#define CK(x)                                                                                      \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_ != CDC_OK)                                                                         \
            return rc_;                                                                            \
    } while (0)

static int put_utf8(uint32_t cp, struct cdc_buf *out)
{
    uint8_t u[4];
    size_t k = 1;
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | cp >> 6);
        u[1] = (uint8_t)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | cp >> 12);
        u[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (uint8_t)(0xF0 | cp >> 18);
        u[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (uint8_t)(0x80 | (cp & 0x3F));
        k = 4;
    }
    return cdc_buf_append(out, u, k);
}

int df_utf8_normalize(const uint8_t *s, size_t n, struct cdc_buf *out)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += cdc_utf8_step(s + i, n - i, &cp);
        CK(put_utf8(cp, out));
    }
    return CDC_OK;
}

int df_hex(const uint8_t *s, size_t n, struct cdc_buf *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        CK(cdc_buf_append_byte(out, (uint8_t)h[s[i] >> 4]));
        CK(cdc_buf_append_byte(out, (uint8_t)h[s[i] & 15]));
    }
    return CDC_OK;
}

/* UTF-16 code units of a JS string. */
struct units {
    uint16_t *u;
    size_t n, cap;
};

static int units_push(struct units *s, uint32_t v)
{
    if (s->n + 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        uint16_t *u = realloc(s->u, cap * sizeof(*u));
        if (!u)
            return CDC_ERR_NOMEM;
        s->u = u;
        s->cap = cap;
    }
    if (v >= 0x10000) {
        v -= 0x10000;
        s->u[s->n++] = (uint16_t)(0xD800 + (v >> 10));
        s->u[s->n++] = (uint16_t)(0xDC00 + (v & 0x3FF));
    } else {
        s->u[s->n++] = (uint16_t)v;
    }
    return CDC_OK;
}

/* Writes |s| as JSON.stringify does, quotes included. */
static int emit_units(const struct units *s, struct cdc_buf *out)
{
    CK(cdc_buf_append_byte(out, '"'));
    for (size_t i = 0; i < s->n; i++) {
        uint16_t u = s->u[i];
        char esc[8] = {0};
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < s->n && s->u[i + 1] >= 0xDC00 &&
            s->u[i + 1] <= 0xDFFF) {
            uint32_t cp =
                0x10000 + ((uint32_t)(u - 0xD800) << 10) + (uint32_t)(s->u[i + 1] - 0xDC00);
            CK(put_utf8(cp, out));
            i++;
            continue;
        }
        if (u == '"' || u == '\\')
            snprintf(esc, sizeof(esc), "\\%c", (char)u);
        else if (u == '\b' || u == '\f' || u == '\n' || u == '\r' || u == '\t')
            snprintf(esc, sizeof(esc), "\\%c", "btn_fr"[u - 8]);
        else if (u < 0x20 || (u >= 0xD800 && u <= 0xDFFF))
            snprintf(esc, sizeof(esc), "\\u%04x", u);
        if (esc[0])
            CK(cdc_buf_append_str(out, esc));
        else
            CK(put_utf8(u, out));
    }
    return cdc_buf_append_byte(out, '"');
}

static int raw_to_units(const uint8_t *s, size_t n, struct units *u)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += cdc_utf8_step(s + i, n - i, &cp);
        CK(units_push(u, cp));
    }
    return CDC_OK;
}

int df_text_json(const uint8_t *s, size_t n, struct cdc_buf *out)
{
    struct units u = {0};
    int rc = raw_to_units(s, n, &u);
    if (rc == CDC_OK)
        rc = emit_units(&u, out);
    free(u.u);
    return rc;
}

static int hex4(const uint8_t *p, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = p[i];
        uint32_t d = c >= '0' && c <= '9' ? (uint32_t)(c - '0') : (uint32_t)((c | 0x20) - 'a' + 10);
        if (d > 15)
            return CDC_ERR_JSON;
        *v = *v << 4 | d;
    }
    return CDC_OK;
}

/* A JSON string token (quotes included) as JSON.parse then stringify. */
static int string_canon(struct cdc_span tok, struct cdc_buf *out)
{
    struct units u = {0};
    const uint8_t *p = tok.p + 1, *end = tok.p + tok.len - 1;
    int rc = CDC_OK;
    while (rc == CDC_OK && p < end) {
        const uint8_t *q = p;
        while (q < end && *q != '\\')
            q++;
        rc = raw_to_units(p, (size_t)(q - p), &u);
        if (rc != CDC_OK || q + 1 >= end)
            break;
        uint32_t v = q[1];
        const char *m = strchr("b\bf\fn\nr\rt\t", q[1]);
        if (q[1] == 'u' && q + 6 <= end)
            rc = hex4(q + 2, &v);
        else if (m && q[1] != '\b')
            v = (uint8_t)m[1];
        if (rc == CDC_OK)
            rc = units_push(&u, v);
        p = q + (q[1] == 'u' ? 6 : 2);
    }
    if (rc == CDC_OK)
        rc = emit_units(&u, out);
    free(u.u);
    return rc;
}

/* Appends |d| formatted as JavaScript's Number#toString. */
static int js_number(double d, struct cdc_buf *out)
{
    char buf[64], digits[32];
    if (!isfinite(d))
        return cdc_buf_append_str(out, "null");
    if (d == 0)
        return cdc_buf_append_str(out, "0");
    if (d < 0)
        CK(cdc_buf_append_byte(out, '-'));
    d = fabs(d);
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
    size_t k = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            digits[k++] = *p;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = 0;
    int e = atoi(p + 1), n = e + 1;
    if ((int)k <= n && n <= 21) {
        CK(cdc_buf_append(out, digits, k));
        for (int i = (int)k; i < n; i++)
            CK(cdc_buf_append_byte(out, '0'));
    } else if (0 < n && n <= 21) {
        CK(cdc_buf_append(out, digits, (size_t)n));
        CK(cdc_buf_append_byte(out, '.'));
        CK(cdc_buf_append(out, digits + n, k - (size_t)n));
    } else if (-6 < n && n <= 0) {
        CK(cdc_buf_append_str(out, "0."));
        for (int i = 0; i < -n; i++)
            CK(cdc_buf_append_byte(out, '0'));
        CK(cdc_buf_append(out, digits, k));
    } else {
        CK(cdc_buf_append_byte(out, (uint8_t)digits[0]));
        if (k > 1) {
            CK(cdc_buf_append_byte(out, '.'));
            CK(cdc_buf_append(out, digits + 1, k - 1));
        }
        snprintf(buf, sizeof(buf), "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
        CK(cdc_buf_append_str(out, buf));
    }
    return CDC_OK;
}

static int value_canon(struct cdc_span v, struct cdc_buf *out);

struct member {
    struct cdc_buf key; /* canonical key token */
    struct cdc_span val;
    size_t idx;
};

static int cmp_member(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = n ? memcmp(x->key.p, y->key.p, n) : 0;
    if (c == 0 && x->key.len != y->key.len)
        c = x->key.len < y->key.len ? -1 : 1;
    if (c == 0)
        c = x->idx < y->idx ? -1 : x->idx > y->idx;
    return c;
}

static int object_emit(struct member *m, size_t n, struct cdc_buf *out)
{
    qsort(m, n, sizeof(*m), cmp_member);
    CK(cdc_buf_append_byte(out, '{'));
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        /* JSON.parse keeps the last duplicate. */
        if (i + 1 < n && m[i].key.len == m[i + 1].key.len &&
            memcmp(m[i].key.p, m[i + 1].key.p, m[i].key.len) == 0)
            continue;
        if (!first)
            CK(cdc_buf_append_byte(out, ','));
        first = false;
        CK(cdc_buf_append(out, m[i].key.p, m[i].key.len));
        CK(cdc_buf_append_byte(out, ':'));
        CK(value_canon(m[i].val, out));
    }
    return cdc_buf_append_byte(out, '}');
}

static int object_canon(struct cdc_span v, struct cdc_buf *out)
{
    size_t n = cdc_json_count(v), k = 0;
    struct member *m = calloc(n ? n : 1, sizeof(*m));
    if (!m)
        return CDC_ERR_NOMEM;
    struct cdc_json_iter it;
    struct cdc_span key, val;
    int rc = cdc_json_iter_init(&it, v);
    while (rc == CDC_OK && k < n && cdc_json_iter_next(&it, &key, &val) == 1) {
        cdc_buf_init(&m[k].key, SIZE_MAX / 4, NULL);
        m[k].val = val;
        m[k].idx = k;
        rc = string_canon(key, &m[k++].key);
    }
    if (rc == CDC_OK)
        rc = object_emit(m, k, out);
    for (size_t i = 0; i < k; i++)
        cdc_buf_free(&m[i].key);
    free(m);
    return rc;
}

static int array_canon(struct cdc_span v, struct cdc_buf *out)
{
    struct cdc_json_iter it;
    struct cdc_span val;
    CK(cdc_json_iter_init(&it, v));
    CK(cdc_buf_append_byte(out, '['));
    for (int i = 0; cdc_json_iter_next(&it, NULL, &val) == 1; i++) {
        if (i)
            CK(cdc_buf_append_byte(out, ','));
        CK(value_canon(val, out));
    }
    return cdc_buf_append_byte(out, ']');
}

static int value_canon(struct cdc_span v, struct cdc_buf *out)
{
    double d;
    switch (cdc_json_type_of(v)) {
    case CDC_JSON_NULL:
        return cdc_buf_append_str(out, "null");
    case CDC_JSON_TRUE:
        return cdc_buf_append_str(out, "true");
    case CDC_JSON_FALSE:
        return cdc_buf_append_str(out, "false");
    case CDC_JSON_NUMBER:
        CK(cdc_json_number_double(v, &d));
        return js_number(d, out);
    case CDC_JSON_STRING:
        return string_canon(v, out);
    case CDC_JSON_ARRAY:
        return array_canon(v, out);
    case CDC_JSON_OBJECT:
        return object_canon(v, out);
    default:
        return CDC_ERR_JSON;
    }
}

int df_json_canon(const uint8_t *json, size_t n, struct cdc_buf *out)
{
    struct cdc_span all = {json, n};
    return value_canon(cdc_json_trim(all), out);
}
