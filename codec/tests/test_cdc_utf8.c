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
    /* The trusted count agrees on well-formed input (and stays in bounds,
     * which the guard-page copy checks, on the rest). */
    size_t trusted = cdc_utf16_units_trusted(in, r->len);
    CU_ASSERT(r->bad >= 0 || trusted == r->units);
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

/*
 * The fast paths read eight bytes at a time and run an automaton over
 * words that hold non-ASCII bytes. The tests below place each kind of
 * character, well-formed or not, at every offset of a word (and across
 * word boundaries), with 0-9 ASCII bytes after it, and compare every
 * answer with a model built from the pieces: the byte lengths and UTF-16
 * units of the characters a JS string reads (one U+FFFD per invalid
 * subpart, measured rows of the table above).
 */
struct piece {
    const char *name;
    const char *bytes;
    uint8_t len;
    uint8_t nchars;
    uint8_t clen[4];   /* bytes of each character */
    uint8_t cunits[4]; /* its UTF-16 units */
    bool valid;
};

/* clang-format off */
static const struct piece pieces[] = {
    {"2-byte", "\xc3\xa9", 2, 1, {2}, {1}, true},
    {"3-byte", "\xe2\x82\xac", 3, 1, {3}, {1}, true},
    {"4-byte", "\xf0\x9f\x98\x80", 4, 1, {4}, {2}, true},
    {"E0 lowest", "\xe0\xa0\x80", 3, 1, {3}, {1}, true},
    {"ED below surrogates", "\xed\x9f\xbf", 3, 1, {3}, {1}, true},
    {"F0 lowest", "\xf0\x90\x80\x80", 4, 1, {4}, {2}, true},
    {"F4 highest", "\xf4\x8f\xbf\xbf", 4, 1, {4}, {2}, true},
    {"lone continuation", "\x80", 1, 1, {1}, {1}, false},
    {"overlong C0", "\xc0\xaf", 2, 2, {1, 1}, {1, 1}, false},
    {"overlong E0", "\xe0\x80\xaf", 3, 3, {1, 1, 1}, {1, 1, 1}, false},
    {"overlong E0 highest", "\xe0\x9f\xbf", 3, 3, {1, 1, 1}, {1, 1, 1}, false},
    {"overlong F0", "\xf0\x8f\xbf\xbf", 4, 4, {1, 1, 1, 1}, {1, 1, 1, 1}, false},
    {"surrogate", "\xed\xa0\x80", 3, 3, {1, 1, 1}, {1, 1, 1}, false},
    {"above U+10FFFF", "\xf4\x90\x80\x80", 4, 4, {1, 1, 1, 1}, {1, 1, 1, 1}, false},
    {"F5", "\xf5", 1, 1, {1}, {1}, false},
    {"FF", "\xff", 1, 1, {1}, {1}, false},
    {"F5 as a 4-byte lead", "\xf5\x80\x80\x80", 4, 4, {1, 1, 1, 1}, {1, 1, 1, 1}, false},
    {"FF with continuations", "\xff\xbf\xbf\xbf", 4, 4, {1, 1, 1, 1}, {1, 1, 1, 1}, false},
    {"C1 as a 2-byte lead", "\xc1\xbf", 2, 2, {1, 1}, {1, 1}, false},
    {"truncated 3-byte", "\xe2\x82", 2, 1, {2}, {1}, false},
    {"truncated 4-byte", "\xf0\x9f\x98", 3, 1, {3}, {1}, false},
};
/* clang-format on */

#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))
#define NVALID 7 /* pieces[0..6] are well-formed, the rest are not */

struct model {
    uint8_t buf[512];
    size_t n;
    size_t nchars;
    uint8_t clen[512];
    uint8_t cunits[512];
    size_t first_bad; /* start of the first ill-formed piece, SIZE_MAX if none */
};

static void m_ascii(struct model *m, char c, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        m->buf[m->n++] = (uint8_t)c;
        m->clen[m->nchars] = 1;
        m->cunits[m->nchars++] = 1;
    }
}

static void m_piece(struct model *m, const struct piece *p)
{
    if (!p->valid && m->first_bad == SIZE_MAX)
        m->first_bad = m->n;
    memcpy(m->buf + m->n, p->bytes, p->len);
    m->n += p->len;
    for (size_t i = 0; i < p->nchars; i++) {
        m->clen[m->nchars] = p->clen[i];
        m->cunits[m->nchars++] = p->cunits[i];
    }
}

/* The model's cdc_utf16_prefix: whole characters until |units| is reached. */
static size_t m_prefix(const struct model *m, size_t units)
{
    size_t have = 0, off = 0;
    for (size_t i = 0; i < m->nchars && have < units; i++) {
        have += m->cunits[i];
        off += m->clen[i];
    }
    return have == units ? off : SIZE_MAX;
}

static void m_check_at(const struct model *m, const uint8_t *in, const char *what)
{
    struct cdc_diag d = {0, NULL};
    size_t total = 0;
    for (size_t i = 0; i < m->nchars; i++)
        total += m->cunits[i];
    int rc = cdc_utf8_check(in, m->n, &d);
    TH_ASSERT_RC(what, m->first_bad == SIZE_MAX ? CDC_OK : CDC_ERR_UTF8, rc);
    if (rc != CDC_OK && d.off != m->first_bad)
        fprintf(stderr, "\n  %s: error at %zu, want %zu\n", what, d.off, m->first_bad);
    CU_ASSERT(rc == CDC_OK || d.off == m->first_bad);
    size_t units = cdc_utf16_units(in, m->n);
    if (units != total)
        fprintf(stderr, "\n  %s: %zu units, want %zu\n", what, units, total);
    CU_ASSERT_EQUAL(units, total);
    size_t trusted = cdc_utf16_units_trusted(in, m->n);
    CU_ASSERT(m->first_bad != SIZE_MAX || trusted == total);
    /* Both whole-text scans (vector where the processor has one, words). */
    for (int portable = 0; portable < 2; portable++) {
        size_t su = SIZE_MAX;
        bool ok = cdc_utf8_scan(in, m->n, &su, portable);
        if (ok != (m->first_bad == SIZE_MAX) || (ok && su != total))
            fprintf(stderr, "\n  %s: scan(portable=%d) says %d, %zu units\n", what, portable, ok,
                    su);
        CU_ASSERT(ok == (m->first_bad == SIZE_MAX) && (!ok || su == total));
    }
    for (size_t u = 0; u <= total + 1; u++) {
        bool valid = false;
        size_t want = m_prefix(m, u);
        size_t got = cdc_utf16_prefix_valid(in, m->n, u, &valid);
        if (got != want)
            fprintf(stderr, "\n  %s: prefix of %zu units is %zu, want %zu\n", what, u, got, want);
        CU_ASSERT_EQUAL(got, want);
        CU_ASSERT_EQUAL(cdc_utf16_prefix(in, m->n, u), want);
        if (want != SIZE_MAX)
            CU_ASSERT_EQUAL(valid, m->first_bad == SIZE_MAX || want <= m->first_bad);
    }
}

/* Checks the model's text in place and at the end of a guard page. */
static void m_check(const struct model *m, const char *what)
{
    m_check_at(m, m->buf, what);
    uint8_t *g = th_guard_copy(m->buf, m->n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    m_check_at(m, g, what);
    th_guard_free(g, m->n);
}

/* Every piece after 0-69 ASCII bytes (every offset in a word and in a
 * 32-byte block, twice) and before 0, 1, 7, 8, 9, 31, 32 or 33 more:
 * lengths on both sides of each word and block edge. */
static void test_cdc_utf8_piece_positions(void)
{
    static const size_t posts[] = {0, 1, 7, 8, 9, 31, 32, 33};
    for (size_t k = 0; k < NPIECES; k++)
        CU_ASSERT_EQUAL(pieces[k].valid, k < NVALID);
    for (size_t k = 0; k < NPIECES; k++)
        for (size_t pre = 0; pre < 70; pre++)
            for (size_t j = 0; j < sizeof(posts) / sizeof(posts[0]); j++) {
                struct model m = {.first_bad = SIZE_MAX};
                char what[96];
                m_ascii(&m, 'a', pre);
                m_piece(&m, &pieces[k]);
                m_ascii(&m, 'b', posts[j]);
                snprintf(what, sizeof what, "%s at %zu, %zu after", pieces[k].name, pre, posts[j]);
                m_check(&m, what);
            }
}

/* ASCII-only text of every length around the word size. */
static void test_cdc_utf8_ascii_lengths(void)
{
    for (size_t n = 0; n <= 33; n++) {
        struct model m = {.first_bad = SIZE_MAX};
        char what[48];
        m_ascii(&m, 'z', n);
        snprintf(what, sizeof what, "%zu ASCII bytes", n);
        m_check(&m, what);
    }
}

/* Runs of mixed characters (2, 3 and 4 bytes back to back, with and
 * without ASCII between them), then the same with one ill-formed piece. */
static void test_cdc_utf8_mixed_runs(void)
{
    uint32_t seed = 12345;
    for (int round = 0; round < 300; round++) {
        struct model m = {.first_bad = SIZE_MAX};
        size_t count = 1 + (size_t)round % 40,
               bad_at = (size_t)round % 7 == 0 ? count / 2 : SIZE_MAX;
        for (size_t i = 0; i < count && m.n < 400; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t r = (seed >> 16) % (NPIECES + 3);
            if (i == bad_at)
                m_piece(&m, &pieces[NVALID + (seed >> 8) % (NPIECES - NVALID)]);
            else if (r >= NVALID)
                m_ascii(&m, 'q', r - NVALID + 1);
            else
                m_piece(&m, &pieces[r]);
        }
        char what[40];
        snprintf(what, sizeof what, "mixed run %d", round);
        m_check(&m, what);
    }
}

/* Texts longer than the vector scan's 255-block count (8 KB), well-formed
 * and with one ill-formed piece placed at block edges, around the count's
 * flush and at the end: the error offset, the validity and the units must
 * agree with the pieces, through both scans. */
static void test_cdc_utf8_long_texts(void)
{
    enum { N = 20000 };
    static uint8_t text[N + 8];
    static const size_t bad_at[] = {SIZE_MAX, 0, 3, 31, 34, 35, 8163, 8164, 8200, 16000};
    for (size_t t = 0; t < sizeof bad_at / sizeof bad_at[0] + 4; t++) {
        size_t n = 0, units = 0, first_bad = SIZE_MAX, want_bad = SIZE_MAX;
        uint32_t seed = 777u + (uint32_t)t;
        if (t < sizeof bad_at / sizeof bad_at[0])
            want_bad = bad_at[t];
        else /* near the end: the last piece, or in the final block */
            want_bad = N - 4 - (t - sizeof bad_at / sizeof bad_at[0]) * 9;
        while (n < N - 4) {
            seed = seed * 1103515245u + 12345u;
            const struct piece *p = &pieces[(seed >> 16) % NVALID];
            size_t ascii = (seed >> 8) % 3;
            if (first_bad == SIZE_MAX && n >= want_bad) {
                p = &pieces[NVALID + (seed >> 4) % (NPIECES - NVALID)];
                first_bad = n;
                ascii = 0;
            }
            if (n + p->len + ascii > N)
                break;
            memcpy(text + n, p->bytes, p->len);
            n += p->len;
            for (size_t c = 0; c < p->nchars; c++)
                units += p->cunits[c];
            for (size_t a = 0; a < ascii; a++, units++)
                text[n++] = 'x';
        }
        struct cdc_diag d = {0, NULL};
        int rc = cdc_utf8_check(text, n, &d);
        CU_ASSERT_EQUAL(rc, first_bad == SIZE_MAX ? CDC_OK : CDC_ERR_UTF8);
        CU_ASSERT(rc == CDC_OK || d.off == first_bad);
        CU_ASSERT_EQUAL(cdc_utf16_units(text, n), units);
        for (int portable = 0; portable < 2; portable++) {
            size_t su = SIZE_MAX;
            bool ok = cdc_utf8_scan(text, n, &su, portable);
            CU_ASSERT_EQUAL(ok, first_bad == SIZE_MAX);
            CU_ASSERT(!ok || su == units);
        }
    }
}

/* clang-format off */
CU_TestInfo test_cdc_utf8_tests[] = {
    {"vectors", test_cdc_utf8_vectors},
    {"prefix_boundaries", test_cdc_utf8_prefix_boundaries},
    {"step", test_cdc_utf8_step},
    {"piece_positions", test_cdc_utf8_piece_positions},
    {"ascii_lengths", test_cdc_utf8_ascii_lengths},
    {"mixed_runs", test_cdc_utf8_mixed_runs},
    {"long_texts", test_cdc_utf8_long_texts},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
