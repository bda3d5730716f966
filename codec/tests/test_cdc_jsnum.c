/*
 * test_cdc_jsnum.c - JavaScript Number() as an index reader. Each row's
 * expectation is what Node 20 gives for Number(s) (an integer in
 * 0..1000000 or not), measured. y_ rows are what a v3 encoder writes;
 * n_ rows are everything else, whether Number() takes them or not.
 */
#include "helpers.h"

#include "cdc_text.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_cdc_jsnum_tests[];

struct numrow {
    const char *name;
    const char *in;
    int ok;        /* Number(in) is an integer in 0..1000000 */
    size_t value;  /* that integer */
    int canonical; /* plain decimal without leading zeros */
};

/* clang-format off */
static const struct numrow rows[] = {
    {"y_zero", "0", 1, 0, 1},
    {"y_digits", "12", 1, 12, 1},
    {"y_max", "1000000", 1, 1000000, 1},
    {"n_over_max", "1000001", 0, 0, 1},
    {"n_empty_is_zero", "", 1, 0, 0},
    {"n_leading_zero", "012", 1, 12, 0},
    {"n_double_zero", "00", 1, 0, 0},
    {"n_plus", "+5", 1, 5, 0},
    {"n_minus_zero", "-0", 1, 0, 0},
    {"n_minus_zero_frac", "-0.0", 1, 0, 0},
    {"n_minus_one", "-1", 0, 0, 0},
    {"n_space_lead", " 5", 1, 5, 0},
    {"n_space_trail", "5 ", 1, 5, 0},
    {"n_space_only", "   ", 1, 0, 0},
    {"n_tab_nl", "\x09""5\x0a""", 1, 5, 0},
    {"n_nbsp", "\xc2""\xa0""5", 1, 5, 0},
    {"n_bom", "\xef""\xbb""\xbf""5", 1, 5, 0},
    {"n_ls", "5\xe2""\x80""\xa8""", 1, 5, 0},
    {"n_ideographic_space", "\xe3""\x80""\x80""5", 1, 5, 0},
    {"n_mongolian_vs", "\xe1""\xa0""\x8e""5", 0, 0, 0},
    {"n_zwsp", "\xe2""\x80""\x8b""5", 0, 0, 0},
    {"n_frac_zero", "5.0", 1, 5, 0},
    {"n_trailing_dot", "5.", 1, 5, 0},
    {"n_dot_five", ".5", 0, 0, 0},
    {"n_frac", "2.5", 0, 0, 0},
    {"n_exp", "1e1", 1, 10, 0},
    {"n_exp_plus", "1E+1", 1, 10, 0},
    {"n_exp_neg", "10e-1", 1, 1, 0},
    {"n_exp_neg_frac", "1e-1", 0, 0, 0},
    {"n_hex", "0x1F", 1, 31, 0},
    {"n_hex_upper", "0X1f", 1, 31, 0},
    {"n_octal", "0o17", 1, 15, 0},
    {"n_binary", "0b11", 1, 3, 0},
    {"n_hex_empty", "0x", 0, 0, 0},
    {"n_hex_signed", "+0x1", 0, 0, 0},
    {"n_hex_frac", "0x1.5", 0, 0, 0},
    {"n_double_hex", "00x1", 0, 0, 0},
    {"n_bad_octal", "0o8", 0, 0, 0},
    {"n_bad_binary", "0b2", 0, 0, 0},
    {"n_infinity", "Infinity", 0, 0, 0},
    {"n_plus_infinity", "+Infinity", 0, 0, 0},
    {"n_lower_infinity", "infinity", 0, 0, 0},
    {"n_round_up", "0.99999999999999999999", 1, 1, 0},
    {"n_round_down", "1.00000000000000000001", 1, 1, 0},
    {"n_underflow", "1e-400", 1, 0, 0},
    {"n_tiny", "1e-300", 0, 0, 0},
    {"n_exp_only", "1e", 0, 0, 0},
    {"n_exp_sign_only", "1e+", 0, 0, 0},
    {"n_e_first", "e1", 0, 0, 0},
    {"n_dot_only", ".", 0, 0, 0},
    {"n_sign_only", "+", 0, 0, 0},
    {"n_separator", "1_0", 0, 0, 0},
    {"n_bigint", "1n", 0, 0, 0},
    {"n_inner_space", "1 1", 0, 0, 0},
    {"n_two_dots", "1.2.3", 0, 0, 0},
    {"n_nul", "5\x00""", 0, 0, 0},
    {"n_letters", "abc", 0, 0, 0},
    {"n_huge_exp", "1e999999999999", 0, 0, 0},
    {"n_huge_neg_exp", "5e-99999999999", 1, 0, 0},
    {"n_zero_huge_exp", "0e999999", 1, 0, 0},
    {"n_halfway_even", "2.5000000000000000000000000000000000001", 0, 0, 0},
    {"n_hex_big", "0xffffffffffffffffffff", 0, 0, 0},
    {"n_replacement", "5\xef""\xbf""\xbd""", 0, 0, 0},
    /* exactly halfway between 1 and the next double: ties to even (1) */
    {"n_halfway_tie", "1.00000000000000011102230246251565404236316680908203125", 1, 1, 0},
    {"n_halfway_above", "1.000000000000000111022302462515654042363166809082031251", 0, 0, 0},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void check(const char *name, const uint8_t *in, size_t n, int ok, size_t value, int canon)
{
    size_t v = 12345;
    bool c = !canon;
    bool got = cdc_js_number_index(in, n, 1000000, &v, &c);
    if (got != (ok != 0) || (ok && v != value))
        fprintf(stderr, "\n  %s: got %d/%zu want %d/%zu\n", name, got, v, ok, value);
    CU_ASSERT_EQUAL(got, ok != 0);
    if (ok)
        CU_ASSERT_EQUAL(v, value);
    if (canon >= 0)
        CU_ASSERT_EQUAL(c, canon != 0);
}

static void test_cdc_jsnum_vectors(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct numrow *r = &rows[i];
        size_t n = strlen(r->in) + (strcmp(r->name, "n_nul") == 0);
        uint8_t *g = th_guard_copy(r->in, n);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        check(r->name, (const uint8_t *)r->in, n, r->ok, r->value, r->canonical);
        check(r->name, g, n, r->ok, r->value, r->canonical);
        th_guard_free(g, n);
    }
}

/* Inputs longer than the 768 significant digits kept for rounding. */
static void test_cdc_jsnum_long_inputs(void)
{
    static char s[2100];
    /* "7." and 1000 zeros: 7 */
    memset(s, '0', sizeof(s));
    memcpy(s, "7.", 2);
    check("long_zero_frac", (const uint8_t *)s, 1002, 1, 7, 0);
    /* 800 zeros then 9: 9 */
    memset(s, '0', 800);
    s[800] = '9';
    check("long_leading_zeros", (const uint8_t *)s, 801, 1, 9, 0);
    /* "1" + 900 zeros + "e-900": 1 */
    memset(s, '0', sizeof(s));
    s[0] = '1';
    memcpy(s + 901, "e-900", 5);
    check("long_mantissa_exp", (const uint8_t *)s, 906, 1, 1, 0);
    /* "1." + 800 zeros + "1": the sticky digit is far below half an ulp */
    memset(s, '0', sizeof(s));
    memcpy(s, "1.", 2);
    s[802] = '1';
    check("sticky_small", (const uint8_t *)s, 803, 1, 1, 0);
    /* halfway value + 800 zeros + "1": the sticky digit breaks the tie */
    static const char half[] = "1.00000000000000011102230246251565404236316680908203125";
    memset(s, '0', sizeof(s));
    memcpy(s, half, sizeof(half) - 1);
    s[sizeof(half) - 1 + 800] = '1';
    check("sticky_breaks_tie", (const uint8_t *)s, sizeof(half) + 800, 0, 0, 0);
    /* "0." + 900 nines: rounds to 1 */
    memset(s, '9', sizeof(s));
    memcpy(s, "0.", 2);
    check("long_nines", (const uint8_t *)s, 902, 1, 1, 0);
    /* 2000 digits: far above the maximum */
    memset(s, '9', sizeof(s));
    check("huge", (const uint8_t *)s, 2000, 0, 0, 1);
}

/* The limit is inclusive and exact. */
static void test_cdc_jsnum_max(void)
{
    size_t v;
    bool c;
    CU_ASSERT(cdc_js_number_index((const uint8_t *)"7", 1, 7, &v, &c) && v == 7 && c);
    CU_ASSERT(!cdc_js_number_index((const uint8_t *)"8", 1, 7, &v, &c));
    CU_ASSERT(cdc_js_number_index((const uint8_t *)"0", 1, 0, &v, &c) && v == 0);
    CU_ASSERT(!cdc_js_number_index((const uint8_t *)"18446744073709551616", 20, SIZE_MAX, &v, &c));
    CU_ASSERT(cdc_js_number_index((const uint8_t *)"65536", 5, SIZE_MAX, &v, &c) && v == 65536);
}

/* Plain digit strings take a fast path up to 15 digits (below 2^53, so
 * Number() is exact); longer ones still round as binary64 does. */
static void test_cdc_jsnum_plain_digits(void)
{
    static const struct {
        const char *in;
        size_t max;
        int ok;
        size_t value;
    } r[] = {
        {"999999999999999", SIZE_MAX, 1, 999999999999999u},
        {"999999999999999", 999999999999999u, 1, 999999999999999u},
        {"999999999999999", 999999999999998u, 0, 0},
        {"123456789012345", 123456789012345u, 1, 123456789012345u},
        {"1000000000000000", SIZE_MAX, 1, 1000000000000000u},
        {"9007199254740993", SIZE_MAX, 1, 9007199254740992u}, /* 2^53 + 1 rounds to even */
        {"9007199254740995", SIZE_MAX, 1, 9007199254740996u},
        {"18446744073709551615", SIZE_MAX, 0, 0}, /* rounds to 2^64 */
        {"1", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
        size_t v = 0;
        bool c = false;
        bool ok = cdc_js_number_index((const uint8_t *)r[i].in, strlen(r[i].in), r[i].max, &v, &c);
        if (ok != (r[i].ok != 0) || (ok && v != r[i].value))
            fprintf(stderr, "\n  %s (max %zu): got %d/%zu\n", r[i].in, r[i].max, ok, v);
        CU_ASSERT_EQUAL(ok, r[i].ok != 0);
        CU_ASSERT(!ok || v == r[i].value);
        CU_ASSERT(c);
    }
    /* every length from 1 to 15 digits, with and without a leading zero */
    char d[24] = "739146285091837";
    for (size_t n = 1; n <= 15; n++) {
        size_t v = 0, want = 0;
        bool c = false;
        for (size_t i = 0; i < n; i++)
            want = want * 10 + (size_t)(d[i] - '0');
        CU_ASSERT(cdc_js_number_index((const uint8_t *)d, n, SIZE_MAX, &v, &c) && v == want && c);
        char z[24] = "0";
        memcpy(z + 1, d, n);
        CU_ASSERT(cdc_js_number_index((const uint8_t *)z, n + 1, SIZE_MAX, &v, &c) && v == want);
        CU_ASSERT(!c);
    }
}

/* clang-format off */
CU_TestInfo test_cdc_jsnum_tests[] = {
    {"vectors", test_cdc_jsnum_vectors},
    {"long_inputs", test_cdc_jsnum_long_inputs},
    {"max", test_cdc_jsnum_max},
    {"plain_digits", test_cdc_jsnum_plain_digits},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
