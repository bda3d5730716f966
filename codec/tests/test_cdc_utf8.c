/*
 * test_cdc_utf8.c - UTF-8 validation and the JavaScript view of bytes.
 * y_ rows are well-formed UTF-8; n_ rows are not, with the offset of the
 * first bad byte. |units| is String.length of Buffer.toString() in Node 20
 * (WHATWG decoding, one U+FFFD per maximal invalid subpart), measured.
 */
#include "helpers.h"

#include "cdc_text.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_cdc_utf8_tests[];

struct u8row {
    const char *name;
    const char *in;
    size_t len;
    size_t units; /* JS string length after decoding */
    long bad;     /* first invalid byte, -1 for y_ rows */
};

/* clang-format off */
static const struct u8row rows[] = {
    {"y_empty", "", 0, 0, -1},
    {"y_ascii", "\x61\x62", 2, 2, -1},
    {"y_euro", "\xe2\x82\xac", 3, 1, -1},
    {"y_astral", "\xf0\x9f\x98\x80", 4, 2, -1},
    {"y_2byte", "\xc3\xa9", 2, 1, -1},
    {"y_max", "\xf4\x8f\xbf\xbf", 4, 2, -1},
    {"y_bom", "\xef\xbb\xbf", 3, 1, -1},
    {"y_nul", "\x00", 1, 1, -1},
    {"n_lone_cont", "\x80", 1, 1, 0},
    {"n_two_conts", "\x80\xbf", 2, 2, 0},
    {"n_c0_overlong", "\xc0\xaf", 2, 2, 0},
    {"n_c1", "\xc1\x81", 2, 2, 0},
    {"n_e0_overlong", "\xe0\x80\xaf", 3, 3, 0},
    {"n_surrogate", "\xed\xa0\x80", 3, 3, 0},
    {"n_surrogate_pair", "\xed\xa0\xbd\xed\xb8\x80", 6, 6, 0},
    {"n_f0_overlong", "\xf0\x80\x80\x80", 4, 4, 0},
    {"n_above_max", "\xf4\x90\x80\x80", 4, 4, 0},
    {"n_f5", "\xf5\x80", 2, 2, 0},
    {"n_ff", "\xff", 1, 1, 0},
    {"n_fe_ff", "\xfe\xff", 2, 2, 0},
    {"n_trunc_3", "\xe2\x82", 2, 1, 0},
    {"n_trunc_4", "\xf0\x9f\x98", 3, 1, 0},
    {"n_trunc_then_ascii", "\xe2\x82\x41", 3, 2, 0},
    {"n_trunc_4_then_ascii", "\xf0\x9f\x41", 3, 2, 0},
    {"n_lead_lead", "\xe2\xe2\x82\xac", 4, 2, 0},
    {"n_2byte_cut", "\xc3", 1, 1, 0},
    {"n_cont_after_valid", "\xe2\x82\xac\xac", 4, 2, 3},
    {"n_mixed", "\x34\xf0\x9f\x98\x80\xff\xe2\x82\xac\xed\xbf\xbf", 12, 8, 5},
};
/* clang-format on */

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void check_row(const struct u8row *r, const uint8_t *in)
{
    struct cdc_diag diag = {0, NULL};
    int rc = cdc_utf8_check(in, r->len, &diag);
    TH_ASSERT_RC(r->name, r->bad < 0 ? CDC_OK : CDC_ERR_UTF8, rc);
    if (r->bad >= 0) {
        CU_ASSERT_EQUAL(diag.off, (size_t)r->bad);
        CU_ASSERT_PTR_NOT_NULL(diag.why);
    }
    size_t units = cdc_utf16_units(in, r->len);
    if (units != r->units)
        fprintf(stderr, "\n  %s: units %zu, want %zu\n", r->name, units, r->units);
    CU_ASSERT_EQUAL(units, r->units);
    /* The whole input is the longest prefix with all its units. */
    CU_ASSERT_EQUAL(cdc_utf16_prefix(in, r->len, r->units), r->len);
    CU_ASSERT_EQUAL(cdc_utf16_prefix(in, r->len, r->units + 1), SIZE_MAX);
}

static void test_cdc_utf8_vectors(void)
{
    for (size_t i = 0; i < NROWS; i++) {
        const struct u8row *r = &rows[i];
        CU_ASSERT((r->name[0] == 'y') == (r->bad < 0));
        uint8_t *g = th_guard_copy(r->in, r->len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        check_row(r, (const uint8_t *)r->in);
        check_row(r, g);
        th_guard_free(g, r->len);
    }
}

static void test_cdc_utf8_prefix_boundaries(void)
{
    static const struct {
        const char *in;
        size_t units, want;
    } rows_p[] = {
        /* "4", euro (1 unit), "4", U+1F600 (2 units), "x" */
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         0, 0},
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         1, 1},
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         2, 4},
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         3, 5},
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         4, SIZE_MAX}, /* inside the pair */
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         5, 9},
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         6, 10},
        {"4\xe2\x82\xac"
         "4\xf0\x9f\x98\x80x",
         7, SIZE_MAX},
        /* a truncated sequence is one U+FFFD ending before the 'A' */
        {"\xe2\x82"
         "A",
         1, 2},
        {"\xe2\x82"
         "A",
         2, 3},
        {"\xff\xfe", 1, 1},
        {"", 0, 0},
        {"", 1, SIZE_MAX},
    };
    for (size_t i = 0; i < sizeof(rows_p) / sizeof(rows_p[0]); i++) {
        const uint8_t *in = (const uint8_t *)rows_p[i].in;
        size_t got = cdc_utf16_prefix(in, strlen(rows_p[i].in), rows_p[i].units);
        if (got != rows_p[i].want)
            fprintf(stderr, "\n  prefix row %zu: got %zu want %zu\n", i, got, rows_p[i].want);
        CU_ASSERT_EQUAL(got, rows_p[i].want);
    }
}

/* The WHATWG step reports each maximal subpart and the code point. */
static void test_cdc_utf8_step(void)
{
    static const struct {
        const char *in;
        size_t len, used;
        uint32_t cp;
    } rows_s[] = {
        {"A", 1, 1, 0x41},
        {"\xc3\xa9", 2, 2, 0xE9},
        {"\xe2\x82\xac", 3, 3, 0x20AC},
        {"\xf0\x9f\x98\x80", 4, 4, 0x1F600},
        {"\xe0\x80", 2, 1, 0xFFFD},     /* E0 wants A0..BF next */
        {"\xed\xa0\x80", 3, 1, 0xFFFD}, /* surrogates are not decoded */
        {"\xf4\x90", 2, 1, 0xFFFD},     /* above U+10FFFF */
        {"\xf0\x9f\x98", 3, 3, 0xFFFD}, /* truncated at the end: one FFFD */
        {"\xe2\x82"
         "A",
         3, 2, 0xFFFD},
        {"\x80", 1, 1, 0xFFFD},
        {"\xc1\x81", 2, 1, 0xFFFD},
    };
    for (size_t i = 0; i < sizeof(rows_s) / sizeof(rows_s[0]); i++) {
        uint32_t cp = 0;
        size_t used = cdc_utf8_step((const uint8_t *)rows_s[i].in, rows_s[i].len, &cp);
        CU_ASSERT_EQUAL(used, rows_s[i].used);
        CU_ASSERT_EQUAL(cp, rows_s[i].cp);
    }
}

/* clang-format off */
CU_TestInfo test_cdc_utf8_tests[] = {
    {"vectors", test_cdc_utf8_vectors},
    {"prefix_boundaries", test_cdc_utf8_prefix_boundaries},
    {"step", test_cdc_utf8_step},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
