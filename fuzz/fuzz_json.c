/*
 * fuzz_json.c - cdc_json: the validator against the reader, the string and
 * number helpers against each other, and the validator against cJSON.
 *
 * Input: flag byte, then one JSON text. FZ_COMPAT validates without UTF-8
 * checks inside strings (clear: utf8_strict); FZ_ALT uses a depth limit of
 * 4 instead of FZ_LIM_DEPTH; FZ_OLD is ignored.
 *
 * Oracles, when the validator accepts:
 *  - every value the reader reaches validates on its own, has a known type,
 *    and sits within the depth limit; counts match the iteration;
 *  - object_get finds each key's last duplicate (objects up to 32 members);
 *  - strings: unescape/string_eq agree; encode(unescape(s)) validates and
 *    unescapes back to the same bytes (P1);
 *  - numbers: number_double succeeds; number_u64 succeeds exactly on plain
 *    digit runs within the bound;
 *  - cJSON (laxer than RFC 8259) accepts it too, except where the grammars
 *    differ: lone surrogate escapes, numbers over 63 characters.
 * And whatever cJSON accepts, cJSON's own printed form must validate.
 * An empty input (flag byte only) probes the empty-span contract: helpers
 * taking (pointer, length) accept (NULL, 0), which is what an untouched
 * cdc_buf hands them.
 * This target links cJSON directly, as a reference only.
 */
#include "fuzz_common.h"

#ifndef SIOSPEC_NO_CJSON
#include <cjson/cJSON.h>
#endif
#include <stdlib.h>
#include <string.h>

struct ctx {
    unsigned max_depth;
    bool utf8;
    struct cdc_buf a, b;
};

static void walk(struct ctx *c, struct cdc_span v, unsigned level);

static void check_string(struct ctx *c, struct cdc_span s)
{
    cdc_buf_reset(&c->a);
    cdc_buf_reset(&c->b);
    FZ_CHECK(cdc_json_string_unescape(s, &c->a) == CDC_OK, "unescape of a valid string");
    FZ_CHECK(cdc_json_string_eq(s, (const char *)c->a.p, c->a.len), "string_eq vs unescape");
    bool valid = cdc_utf8_check(c->a.p, c->a.len, NULL) == CDC_OK;
    if (c->utf8)
        FZ_CHECK(valid, "unescaped string of UTF-8-checked JSON is not UTF-8");
    FZ_CHECK(cdc_json_string_encode(c->a.p, c->a.len, &c->b) == CDC_OK, "string_encode");
    struct cdc_span tok = {c->b.p, c->b.len};
    FZ_CHECK(cdc_json_validate(tok.p, tok.len, 1, valid, NULL) == CDC_OK,
             "string_encode output is not a valid JSON string");
    FZ_CHECK(cdc_json_string_eq(tok, (const char *)c->a.p, c->a.len), "P1: string re-encode");
}

static void check_number(struct cdc_span num)
{
    double d;
    FZ_CHECK(cdc_json_number_double(num, &d) == CDC_OK, "number_double on a valid number");
    bool digits = num.len > 0;
    uint64_t v = 0;
    bool over = false;
    for (size_t i = 0; i < num.len && digits; i++) {
        digits = num.p[i] >= '0' && num.p[i] <= '9';
        unsigned dig = (unsigned)(num.p[i] - '0');
        over |= digits && v > (SIO_ACK_ID_MAX - dig) / 10;
        if (digits && !over)
            v = v * 10 + dig;
    }
    uint64_t got = 0;
    int rc = cdc_json_number_u64(num, SIO_ACK_ID_MAX, &got);
    if (!digits)
        FZ_CHECK(rc == CDC_ERR_JSON,
                 "number_u64 did not return CDC_ERR_JSON for a non-integer token");
    else if (over)
        FZ_CHECK(rc == CDC_ERR_TOO_LARGE, "number_u64 missed the bound");
    else
        FZ_CHECK(rc == CDC_OK && got == v, "number_u64 wrong value");
}

/* Key |k| of member |i| resolves to the last member with an equal key. */
static void check_lookup(struct ctx *c, struct cdc_span obj, struct cdc_span k, struct cdc_span v)
{
    cdc_buf_reset(&c->a);
    if (cdc_json_string_unescape(k, &c->a) != CDC_OK || memchr(c->a.p, 0, c->a.len))
        return;
    FZ_CHECK(cdc_buf_append_byte(&c->a, 0) == CDC_OK, "harness buffer");
    struct cdc_json_iter it;
    struct cdc_span k2, v2, last = v;
    FZ_CHECK(cdc_json_iter_init(&it, obj) == CDC_OK, "iter_init");
    while (cdc_json_iter_next(&it, &k2, &v2) == 1)
        if (cdc_json_string_eq(k2, (const char *)c->a.p, c->a.len - 1))
            last = v2;
    struct cdc_span got;
    int rc = cdc_json_object_get(obj, (const char *)c->a.p, &got);
    FZ_CHECK(rc == 1 && got.p == last.p && got.len == last.len, "object_get vs last duplicate");
}

static void walk_container(struct ctx *c, struct cdc_span v, unsigned level, bool object)
{
    struct cdc_json_iter it;
    FZ_CHECK(cdc_json_iter_init(&it, v) == CDC_OK, "iter_init on a container");
    size_t n = 0, count = cdc_json_count(v);
    struct cdc_span k, val;
    int rc;
    while ((rc = cdc_json_iter_next(&it, &k, &val)) == 1) {
        n++;
        FZ_CHECK(fz_within(val, v.p, v.len) && fz_within(k, v.p, v.len), "member outside");
        if (object) {
            FZ_CHECK(cdc_json_type_of(k) == CDC_JSON_STRING, "object key is not a string");
            if (count <= 32)
                check_lookup(c, v, k, val);
        } else {
            FZ_CHECK(k.len == 0, "array member with a key");
        }
        walk(c, val, level + 1);
    }
    FZ_CHECK(rc == 0, "iterating a validated container failed");
    FZ_CHECK(n == count, "cdc_json_count differs from the iteration");
}

static void walk(struct ctx *c, struct cdc_span v, unsigned level)
{
    FZ_CHECK(v.len > 0, "empty value");
    FZ_CHECK(cdc_json_validate(v.p, v.len, c->max_depth, c->utf8, NULL) == CDC_OK,
             "a member of valid JSON does not validate alone");
    enum cdc_json_type t = cdc_json_type_of(v);
    FZ_CHECK(t != CDC_JSON_INVALID, "valid value of invalid type");
    if (t == CDC_JSON_ARRAY || t == CDC_JSON_OBJECT) {
        FZ_CHECK(level < c->max_depth, "container nested past the depth limit");
        walk_container(c, v, level, t == CDC_JSON_OBJECT);
    } else {
        FZ_CHECK(cdc_json_count(v) == SIZE_MAX, "count of a scalar");
        if (t == CDC_JSON_STRING)
            check_string(c, v);
        if (t == CDC_JSON_NUMBER)
            check_number(v);
    }
}

#ifndef SIOSPEC_NO_CJSON
static bool cjson_comparable(const uint8_t *in, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        bool numch = (in[i] >= '0' && in[i] <= '9') || memchr("+-.eE", in[i], 5);
        run = numch ? run + 1 : 0;
        if (run >= 60)
            return false;
        if (in[i] == '\\' && i + 3 < n && in[i + 1] == 'u' && (in[i + 2] | 0x20) == 'd' &&
            memchr("89abcdefABCDEF", in[i + 3], 14))
            return false;
    }
    return true;
}

/* Parses with cJSON; returns the item when all of |in| was consumed. */
static cJSON *cjson_parse(const uint8_t *in, size_t n)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts((const char *)in, n, &end, 0);
    if (!j)
        return NULL;
    for (const char *p = end; p && p < (const char *)in + n; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            cJSON_Delete(j);
            return NULL;
        }
    }
    return j;
}

static void compare_cjson(int rc, const uint8_t *in, size_t n)
{
    cJSON *j = cjson_parse(in, n);
    if (rc == CDC_OK && cjson_comparable(in, n))
        FZ_CHECK(j != NULL, "cdc_json accepts RFC 8259 JSON that cJSON rejects");
    if (j) {
        char *printed = cJSON_PrintUnformatted(j);
        if (printed) {
            int prc =
                cdc_json_validate((const uint8_t *)printed, strlen(printed), 1024, false, NULL);
            FZ_CHECK(prc == CDC_OK, "cdc_json rejects cJSON's printed form");
            cJSON_free(printed);
        }
        cJSON_Delete(j);
    }
}
#else
/* Built without cJSON (fuzz/build.sh, no cJSON available): no comparison. */
static void compare_cjson(int rc, const uint8_t *in, size_t n)
{
    (void)rc;
    (void)in;
    (void)n;
}
#endif

static void probe_empty_spans(void)
{
    struct cdc_buf out;
    cdc_buf_init(&out, 64, NULL);
    FZ_CHECK(cdc_utf8_check(NULL, 0, NULL) == CDC_OK, "utf8_check(NULL, 0)");
    FZ_CHECK(cdc_utf16_units(NULL, 0) == 0, "utf16_units(NULL, 0)");
    FZ_CHECK(cdc_json_validate(NULL, 0, 4, true, NULL) == CDC_ERR_JSON, "validate(NULL, 0)");
    FZ_CHECK(cdc_b64_decode(NULL, 0, false, &out, NULL, NULL) == CDC_OK, "b64_decode(NULL, 0)");
    FZ_CHECK(cdc_b64_encode(NULL, 0, &out) == CDC_OK, "b64_encode(NULL, 0)");
    FZ_CHECK(cdc_json_string_encode(NULL, 0, &out) == CDC_OK, "string_encode(NULL, 0)");
    cdc_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (size == 1)
        probe_empty_spans();
    struct ctx c = {.max_depth = (data[0] & FZ_ALT) ? 4u : FZ_LIM_DEPTH,
                    .utf8 = (data[0] & FZ_COMPAT) == 0};
    const uint8_t *in = data + 1;
    size_t n = size - 1;
    struct cdc_diag d = fz_diag();
    int rc = cdc_json_validate(in, n, c.max_depth, c.utf8, &d);
    fz_check_rc(rc, &d, n);
    FZ_CHECK(rc == CDC_OK || rc == CDC_ERR_JSON || rc == CDC_ERR_JSON_DEPTH || rc == CDC_ERR_UTF8,
             "validate returned an undocumented code");
    cdc_buf_init(&c.a, 4 * n + 16, NULL);
    cdc_buf_init(&c.b, 8 * n + 16, NULL);
    /* Own buffers never hand NULL to the codec; probe_empty_spans does. */
    FZ_CHECK(cdc_buf_reserve(&c.a, 1, NULL) == CDC_OK && cdc_buf_reserve(&c.b, 1, NULL) == CDC_OK,
             "harness buffer");
    if (rc == CDC_OK) {
        struct cdc_span all = {in, n}, v = cdc_json_trim(all);
        FZ_CHECK(fz_within(v, in, n), "trim left the input");
        walk(&c, v, 0);
    }
    if (rc != CDC_ERR_JSON_DEPTH)
        compare_cjson(rc, in, n);
    cdc_buf_free(&c.a);
    cdc_buf_free(&c.b);
    return 0;
}
