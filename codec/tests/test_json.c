/*
 * test_json.c - vectors for cdc_json: y_ rows must validate, n_ rows must
 * be rejected with the given code. Each row runs whole and at a guard page.
 */
#include "helpers.h"

#include "codec/cdc_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern CU_TestInfo test_json_tests[];

struct jrow {
    const char *name;
    const char *in;
    size_t len; /* 0 = strlen */
    int rc;
};

/* clang-format off */
static const struct jrow rows[] = {
    {"y_int", "1", 0, CDC_OK},
    {"y_neg_zero", "-0", 0, CDC_OK},
    {"y_frac_exp", "-12.5e+3", 0, CDC_OK},
    {"y_exp_upper", "1E-2", 0, CDC_OK},
    {"y_string", "\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\"", 0, CDC_OK},
    {"y_lone_surrogate", "\"\\ud800\"", 0, CDC_OK},
    {"y_literals", "[true,false,null]", 0, CDC_OK},
    {"y_nested", "{\"a\":[1,{\"b\":[]},{}],\"c\":\"d\"}", 0, CDC_OK},
    {"y_ws_around", " \t\r\n[ 1 , 2 ] \n", 0, CDC_OK},
    {"y_empty_containers", "[[],{},[{}]]", 0, CDC_OK},
    {"y_dup_keys", "{\"a\":1,\"a\":2}", 0, CDC_OK},
    {"y_utf8", "\"\xe2\x82\xac\xf0\x9f\x98\x80\"", 0, CDC_OK},
    {"y_nul_escape", "\"\\u0000\"", 0, CDC_OK},
    {"n_empty", "", 0, CDC_ERR_JSON},
    {"n_ws_only", "  ", 0, CDC_ERR_JSON},
    {"n_trailing_comma_arr", "[1,]", 0, CDC_ERR_JSON},
    {"n_trailing_comma_obj", "{\"a\":1,}", 0, CDC_ERR_JSON},
    {"n_leading_zero", "01", 0, CDC_ERR_JSON},
    {"n_plus", "+1", 0, CDC_ERR_JSON},
    {"n_dot_start", ".5", 0, CDC_ERR_JSON},
    {"n_dot_end", "1.", 0, CDC_ERR_JSON},
    {"n_exp_empty", "1e", 0, CDC_ERR_JSON},
    {"n_hex", "0x10", 0, CDC_ERR_JSON},
    {"n_nan", "NaN", 0, CDC_ERR_JSON},
    {"n_single_quote", "'a'", 0, CDC_ERR_JSON},
    {"n_unterminated_string", "\"abc", 0, CDC_ERR_JSON},
    {"n_raw_control", "\"a\x01\"", 0, CDC_ERR_JSON},
    {"n_raw_newline", "\"a\nb\"", 0, CDC_ERR_JSON},
    {"n_bad_escape", "\"\\x41\"", 0, CDC_ERR_JSON},
    {"n_short_u", "\"\\u12\"", 0, CDC_ERR_JSON},
    {"n_two_values", "1 2", 0, CDC_ERR_JSON},
    {"n_trailing_garbage", "[1]x", 0, CDC_ERR_JSON},
    {"n_unclosed_arr", "[1,2", 0, CDC_ERR_JSON},
    {"n_unclosed_obj", "{\"a\":1", 0, CDC_ERR_JSON},
    {"n_mismatch", "[}", 0, CDC_ERR_JSON},
    {"n_key_not_string", "{1:2}", 0, CDC_ERR_JSON},
    {"n_missing_colon", "{\"a\" 1}", 0, CDC_ERR_JSON},
    {"n_missing_value", "{\"a\":}", 0, CDC_ERR_JSON},
    {"n_tru", "tru", 0, CDC_ERR_JSON},
    {"n_nul_byte", "[1\0]", 4, CDC_ERR_JSON},
    {"n_comment", "[1/*x*/]", 0, CDC_ERR_JSON},
    {"n_bad_utf8", "\"\xc3\x28\"", 0, CDC_ERR_UTF8},
    {"n_overlong", "\"\xc0\xaf\"", 0, CDC_ERR_UTF8},
    {"n_surrogate_utf8", "\"\xed\xa0\x80\"", 0, CDC_ERR_UTF8},
    {"n_truncated_utf8", "\"\xe2\x82\"", 0, CDC_ERR_UTF8},
};
/* clang-format on */

static void test_json_vectors(void)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct jrow *r = &rows[i];
        size_t n = r->len ? r->len : strlen(r->in);
        struct cdc_diag d = {0, NULL};
        int rc = cdc_json_validate((const uint8_t *)r->in, n, 64, true, &d);
        TH_ASSERT_RC(r->name, r->rc, rc);
        if (rc != CDC_OK)
            CU_ASSERT(d.why != NULL && d.off <= n);
        uint8_t *g = th_guard_copy(r->in, n);
        CU_ASSERT_FATAL(g != NULL);
        TH_ASSERT_RC(r->name, r->rc, cdc_json_validate(g, n, 64, true, NULL));
        th_guard_free(g, n);
    }
}

/* found by fuzzing: empty inputs may come with a NULL pointer (an untouched
 * cdc_buf); no function may do arithmetic on it (UBSan, clang) */
static void test_json_null_empty(void)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 16, NULL);
    CU_ASSERT_EQUAL(cdc_json_validate(NULL, 0, 8, true, NULL), CDC_ERR_JSON);
    CU_ASSERT_EQUAL(cdc_utf8_check(NULL, 0, NULL), CDC_OK);
    CU_ASSERT_EQUAL(cdc_json_string_encode(NULL, 0, &b), CDC_OK);
    TH_ASSERT_BYTES("empty string", "\"\"", 2, b.p, b.len);
    struct cdc_span none = {NULL, 0};
    CU_ASSERT_EQUAL(cdc_json_type_of(none), CDC_JSON_INVALID);
    CU_ASSERT_EQUAL(cdc_json_count(none), SIZE_MAX);
    cdc_buf_free(&b);
}

static void test_json_utf8_lax(void)
{
    const char *s = "\"\xc3\x28\"";
    CU_ASSERT_EQUAL(cdc_json_validate((const uint8_t *)s, strlen(s), 8, false, NULL), CDC_OK);
}

static void test_json_depth(void)
{
    char buf[300];
    for (int depth = 1; depth <= 100; depth++) {
        for (int i = 0; i < depth; i++) {
            buf[i] = '[';
            buf[2 * depth - 1 - i] = ']';
        }
        size_t n = (size_t)(2 * depth);
        int exp = depth <= 64 ? CDC_OK : CDC_ERR_JSON_DEPTH;
        struct cdc_diag d;
        int rc = cdc_json_validate((const uint8_t *)buf, n, 64, true, &d);
        TH_ASSERT_RC("depth", exp, rc);
        if (rc == CDC_ERR_JSON_DEPTH)
            CU_ASSERT_EQUAL(d.off, 64);
    }
    /* objects count too */
    const char *o = "{\"a\":{\"b\":{}}}";
    CU_ASSERT_EQUAL(cdc_json_validate((const uint8_t *)o, strlen(o), 2, true, NULL),
                    CDC_ERR_JSON_DEPTH);
    CU_ASSERT_EQUAL(cdc_json_validate((const uint8_t *)o, strlen(o), 3, true, NULL), CDC_OK);
}

static struct cdc_span sp(const char *s)
{
    return (struct cdc_span){(const uint8_t *)s, strlen(s)};
}

static void test_json_reader(void)
{
    struct cdc_span doc =
        sp(" { \"a\" : [1, \"x,]\", {\"y\":[2]}] , \"b\\u0041\":true, \"a\":null } ");
    CU_ASSERT_EQUAL(cdc_json_type_of(doc), CDC_JSON_OBJECT);
    CU_ASSERT_EQUAL(cdc_json_count(doc), 3);
    struct cdc_span v;
    CU_ASSERT_EQUAL(cdc_json_object_get(doc, "a", &v), 1);
    CU_ASSERT_EQUAL(cdc_json_type_of(v), CDC_JSON_NULL); /* last duplicate wins */
    CU_ASSERT_EQUAL(cdc_json_object_get(doc, "bA", &v), 1);
    CU_ASSERT_EQUAL(cdc_json_type_of(v), CDC_JSON_TRUE);
    CU_ASSERT_EQUAL(cdc_json_object_get(doc, "zz", &v), 0);

    struct cdc_json_iter it;
    struct cdc_span k;
    CU_ASSERT_EQUAL(cdc_json_iter_init(&it, doc), CDC_OK);
    CU_ASSERT_EQUAL(cdc_json_iter_next(&it, &k, &v), 1);
    CU_ASSERT(cdc_json_string_eq(k, "a", 1));
    CU_ASSERT_EQUAL(cdc_json_type_of(v), CDC_JSON_ARRAY);
    CU_ASSERT_EQUAL(cdc_json_count(v), 3);
    struct cdc_json_iter ai;
    struct cdc_span e;
    CU_ASSERT_EQUAL(cdc_json_iter_init(&ai, v), CDC_OK);
    CU_ASSERT_EQUAL(cdc_json_iter_next(&ai, NULL, &e), 1);
    TH_ASSERT_BYTES("elem0", "1", 1, e.p, e.len);
    CU_ASSERT_EQUAL(cdc_json_iter_next(&ai, NULL, &e), 1);
    TH_ASSERT_BYTES("elem1", "\"x,]\"", 5, e.p, e.len);
    CU_ASSERT_EQUAL(cdc_json_iter_next(&ai, NULL, &e), 1);
    TH_ASSERT_BYTES("elem2", "{\"y\":[2]}", 9, e.p, e.len);
    CU_ASSERT_EQUAL(cdc_json_iter_next(&ai, NULL, &e), 0);
    CU_ASSERT_EQUAL(cdc_json_count(sp("[]")), 0);
    CU_ASSERT_EQUAL(cdc_json_count(sp("{ }")), 0);
    CU_ASSERT_EQUAL(cdc_json_count(sp("1")), SIZE_MAX);
    CU_ASSERT_EQUAL(cdc_json_iter_init(&it, sp("\"s\"")), CDC_ERR_INVALID_ARG);
}

static void test_json_strings(void)
{
    CU_ASSERT(cdc_json_string_eq(sp("\"connect\""), "connect", 7));
    CU_ASSERT(cdc_json_string_eq(sp("\"\\u0063onnect\""), "connect", 7));
    CU_ASSERT(!cdc_json_string_eq(sp("\"connect\""), "connec", 6));
    CU_ASSERT(!cdc_json_string_eq(sp("\"connectx\""), "connect", 7));
    CU_ASSERT(cdc_json_string_eq(sp("\"\\ud83d\\ude00\""), "\xf0\x9f\x98\x80", 4));
    CU_ASSERT(cdc_json_string_eq(sp("\"\\ud800x\""), "\xef\xbf\xbdx", 4));
    CU_ASSERT(!cdc_json_string_eq(sp("nope"), "nope", 4));

    struct cdc_buf b;
    cdc_buf_init(&b, 64, NULL);
    CU_ASSERT_EQUAL(cdc_json_string_unescape(sp("\"a\\n\\u20ac\""), &b), CDC_OK);
    TH_ASSERT_BYTES("unescape", "a\n\xe2\x82\xac", 5, b.p, b.len);
    cdc_buf_reset(&b);
    const uint8_t raw[] = {'q', '"', '\\', 0x01, '\n', 0xe2, 0x82, 0xac};
    CU_ASSERT_EQUAL(cdc_json_string_encode(raw, sizeof raw, &b), CDC_OK);
    const char *exp = "\"q\\\"\\\\\\u0001\\n\xe2\x82\xac\"";
    TH_ASSERT_BYTES("encode", exp, strlen(exp), b.p, b.len);
    /* round trip through the validator and unescape */
    CU_ASSERT_EQUAL(cdc_json_validate(b.p, b.len, 4, true, NULL), CDC_OK);
    struct cdc_buf u;
    cdc_buf_init(&u, 64, NULL);
    CU_ASSERT_EQUAL(cdc_json_string_unescape((struct cdc_span){b.p, b.len}, &u), CDC_OK);
    TH_ASSERT_BYTES("roundtrip", raw, sizeof raw, u.p, u.len);
    /* bounded output: failure leaves the buffer unchanged */
    struct cdc_buf small;
    cdc_buf_init(&small, 4, NULL);
    CU_ASSERT_EQUAL(cdc_buf_append(&small, "ab", 2), CDC_OK);
    CU_ASSERT_EQUAL(cdc_json_string_encode(raw, sizeof raw, &small), CDC_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(small.len, 2);
    CU_ASSERT_EQUAL(cdc_json_string_unescape(sp("\"abcdef\""), &small), CDC_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(small.len, 2);
    cdc_buf_free(&small);
    cdc_buf_free(&u);
    cdc_buf_free(&b);
}

static void test_json_numbers(void)
{
    uint64_t u;
    double d;
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("0"), 10, &u), CDC_OK);
    CU_ASSERT_EQUAL(u, 0);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("9007199254740991"), 9007199254740991ull, &u), CDC_OK);
    CU_ASSERT_EQUAL(u, 9007199254740991ull);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("9007199254740992"), 9007199254740991ull, &u),
                    CDC_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("99999999999999999999999"), UINT64_MAX, &u),
                    CDC_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("7"), 5, &u), CDC_ERR_TOO_LARGE);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("1.0"), 10, &u), CDC_ERR_JSON);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("1e0"), 10, &u), CDC_ERR_JSON);
    /* found by fuzzing: an overflowing digit run before an exponent is still
     * "not an integer", not "too large" */
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("99999999999999999999e5"), UINT64_MAX, &u),
                    CDC_ERR_JSON);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("-1"), 10, &u), CDC_ERR_JSON);
    CU_ASSERT_EQUAL(cdc_json_number_u64(sp("01"), 10, &u), CDC_ERR_JSON);
    CU_ASSERT_EQUAL(cdc_json_number_double(sp("-12.5e1"), &d), CDC_OK);
    CU_ASSERT_DOUBLE_EQUAL(d, -125.0, 1e-9);
    CU_ASSERT_EQUAL(cdc_json_number_double(sp("1e0"), &d), CDC_OK);
    CU_ASSERT_DOUBLE_EQUAL(d, 1.0, 0);
    CU_ASSERT_EQUAL(cdc_json_number_double(sp("abc"), &d), CDC_ERR_JSON);
    /* found by fuzzing: tokens of 256+ characters are valid numbers too */
    char big[700];
    memset(big, '0', sizeof big);
    memcpy(big, "-0.", 3);
    memcpy(big + 600, "25e+602", 8);
    CU_ASSERT_EQUAL(cdc_json_number_double(sp(big), &d), CDC_OK);
    CU_ASSERT_DOUBLE_EQUAL(d, -25000.0, 1e-9); /* -0.(597 zeros)25 * 10^602 */
    memset(big, '9', 400);
    big[400] = 0;
    CU_ASSERT_EQUAL(cdc_json_number_double(sp(big), &d), CDC_OK);
    CU_ASSERT(d == HUGE_VAL); /* 400 nines overflow a double */
    memcpy(big, "1234567890123456789012345678901234567890123456789", 49);
    memset(big + 49, '0', 251);
    memcpy(big + 300, "e-300", 6);
    CU_ASSERT_EQUAL(cdc_json_number_double(sp(big), &d), CDC_OK);
    CU_ASSERT_DOUBLE_EQUAL(d, 0.12345678901234568, 1e-15); /* 300 digits, e-300 */
    memset(big, '0', 300);
    memcpy(big, "0.", 2);
    big[300] = 0;
    CU_ASSERT_EQUAL(cdc_json_number_double(sp(big), &d), CDC_OK);
    CU_ASSERT_DOUBLE_EQUAL(d, 0.0, 0);
    CU_ASSERT_EQUAL(cdc_json_number_double(sp("1 2"), &d), CDC_ERR_JSON);
}

/* The reader never reads outside its span, even on garbage. */
static void test_json_reader_garbage(void)
{
    static const char *const bad[] = {
        "[", "{", "[\"", "{\"a", "{\"a\":", "[1,", "{\"a\" 1}", "[\"\\", "{\"a\":[}", "[[[["};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t n = strlen(bad[i]);
        uint8_t *g = th_guard_copy(bad[i], n);
        struct cdc_span s = {g, n};
        struct cdc_json_iter it;
        struct cdc_span k, v;
        if (cdc_json_iter_init(&it, s) == CDC_OK) {
            int guard = 0;
            while (cdc_json_iter_next(&it, &k, &v) == 1 && guard++ < 16)
                (void)cdc_json_type_of(v);
        }
        (void)cdc_json_count(s);
        (void)cdc_json_object_get(s, "a", &v);
        CU_ASSERT_NOT_EQUAL(cdc_json_validate(g, n, 8, true, NULL), CDC_OK);
        th_guard_free(g, n);
    }
}

/* Which error comes first when a text has several: the scan reports the
 * first one in document order, whether UTF-8 or grammar (the UTF-8 of the
 * whole text is checked up front only to skip work when it is fine).
 * |at| marks the byte the error names; lax mode skips UTF-8 checks. */
static void test_json_error_order(void)
{
    static const struct {
        const char *in, *at, *why;
        int strict, lax;
    } r[] = {
        {"[\"\xff\", tru]", "\xff", "invalid UTF-8 in string", CDC_ERR_UTF8, CDC_ERR_JSON},
        {"[tru, \"\xff\"]", "tru", "unexpected character", CDC_ERR_JSON, CDC_ERR_JSON},
        {"[\"a\"]\xff", "\xff", "trailing characters after JSON value", CDC_ERR_JSON, CDC_ERR_JSON},
        {"[1,\xc3\xa9]", "\xc3", "digit expected", CDC_ERR_JSON, CDC_ERR_JSON},
        {"{\"a\":\"\xed\xa0\x80\"}", "\xed", "invalid UTF-8 in string", CDC_ERR_UTF8, CDC_OK},
        {"{\"\xe2\x82\":1}", "\xe2", "invalid UTF-8 in string", CDC_ERR_UTF8, CDC_OK},
        {"[\"\xc3\xa9\",\"\xf0\x9f\x98\"]", "\xf0", "invalid UTF-8 in string", CDC_ERR_UTF8,
         CDC_OK},
        {"[\"\xc3\xa9\x80\"]", "\x80", "invalid UTF-8 in string", CDC_ERR_UTF8, CDC_OK},
        {"[\"\x01\xff\"]", "\x01", "control character in string", CDC_ERR_JSON, CDC_ERR_JSON},
        {"[\"\xff\x01\"]", "\xff", "invalid UTF-8 in string", CDC_ERR_UTF8, CDC_ERR_JSON},
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        const uint8_t *in = (const uint8_t *)r[i].in;
        size_t n = strlen(r[i].in), at = (size_t)(strstr(r[i].in, r[i].at) - r[i].in);
        struct cdc_diag d = {0, NULL};
        TH_ASSERT_RC(r[i].in, r[i].strict, cdc_json_validate(in, n, 8, true, &d));
        CU_ASSERT_EQUAL(d.off, at);
        CU_ASSERT(d.why != NULL && strcmp(d.why, r[i].why) == 0);
        TH_ASSERT_RC(r[i].in, r[i].lax, cdc_json_validate(in, n, 8, false, NULL));
    }
}

/* Digit runs are skipped eight at a time: runs of 1-20 digits in the
 * integer, fraction and exponent parts, each ended by every kind of byte
 * at every offset of a word. */
static void test_json_digit_runs(void)
{
    static const char *const ends[] = {"]", ",0]", "x]", ":]", "/]", "\xff]", " ]"};
    static const char *const parts[] = {"", "0.", "1e", "-7.5E+"};
    for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++)
        for (size_t len = 1; len <= 20; len++)
            for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
                char buf[64];
                size_t k = (size_t)snprintf(buf, sizeof buf, "[%s", parts[p]);
                for (size_t i = 0; i < len; i++)
                    buf[k++] = (char)('1' + (i * 7) % 9);
                size_t stop = k;
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s", ends[e]);
                struct cdc_diag d = {0, NULL};
                int rc = cdc_json_validate((const uint8_t *)buf, k, 8, true, &d);
                bool good = e < 2 || e == 6;
                TH_ASSERT_RC(buf, good ? CDC_OK : CDC_ERR_JSON, rc);
                CU_ASSERT(good || d.off == stop);
                uint8_t *g = th_guard_copy(buf + 1, stop - 1);
                struct cdc_span num = {g, stop - 1};
                double v = 0;
                CU_ASSERT_EQUAL(cdc_json_number_double(num, &v), CDC_OK);
                CU_ASSERT(v == strtod(buf + 1, NULL));
                th_guard_free(g, stop - 1);
            }
}

CU_TestInfo test_json_tests[] = {
    {"test_json_vectors", test_json_vectors},
    {"test_json_utf8_lax", test_json_utf8_lax},
    {"test_json_null_empty", test_json_null_empty},
    {"test_json_depth", test_json_depth},
    {"test_json_reader", test_json_reader},
    {"test_json_strings", test_json_strings},
    {"test_json_numbers", test_json_numbers},
    {"test_json_reader_garbage", test_json_reader_garbage},
    {"test_json_error_order", test_json_error_order},
    {"test_json_digit_runs", test_json_digit_runs},
    CU_TEST_INFO_NULL,
};
