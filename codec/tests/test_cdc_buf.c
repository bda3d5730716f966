/*
 * test_cdc_buf.c - bounded buffers: growth, the |max| bound, decimal
 * appends, and the invariant that a failed call leaves the buffer exactly
 * as it was (length and bytes), for TOO_LARGE and for every failing
 * allocation.
 */
#include "helpers.h"

#include <string.h>

extern CU_TestInfo test_cdc_buf_tests[];

static void test_cdc_buf_init_is_empty(void)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 10, NULL);
    CU_ASSERT_PTR_NULL(b.p);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_EQUAL(b.cap, 0);
    CU_ASSERT_EQUAL(b.max, 10);
    cdc_buf_free(&b);
}

static void test_cdc_buf_append_grows(void)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 100000, NULL);
    for (unsigned i = 0; i < 1000; i++)
        TH_ASSERT_RC("append", CDC_OK, cdc_buf_append_byte(&b, (uint8_t)i));
    CU_ASSERT_EQUAL(b.len, 1000);
    CU_ASSERT(b.cap >= 1000);
    int ok = 1;
    for (unsigned i = 0; i < 1000; i++)
        ok &= b.p[i] == (uint8_t)i;
    CU_ASSERT(ok);
    cdc_buf_reset(&b);
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_PTR_NOT_NULL(b.p);
    cdc_buf_free(&b);
    CU_ASSERT_PTR_NULL(b.p);
    CU_ASSERT_EQUAL(b.len, 0);
}

static void test_cdc_buf_max_is_exact(void)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 5, NULL);
    TH_ASSERT_RC("fill to max", CDC_OK, cdc_buf_append(&b, "abcde", 5));
    CU_ASSERT(b.cap <= 5);
    TH_ASSERT_RC("one past max", CDC_ERR_TOO_LARGE, cdc_buf_append_byte(&b, 'f'));
    TH_ASSERT_BYTES("unchanged after TOO_LARGE", "abcde", 5, b.p, b.len);
    TH_ASSERT_RC("empty append at max", CDC_OK, cdc_buf_append(&b, "", 0));
    TH_ASSERT_RC("huge n", CDC_ERR_TOO_LARGE, cdc_buf_reserve(&b, SIZE_MAX, NULL));
    cdc_buf_free(&b);

    cdc_buf_init(&b, 0, NULL);
    uint8_t *dst = NULL;
    TH_ASSERT_RC("max 0 reserve 0", CDC_OK, cdc_buf_reserve(&b, 0, &dst));
    CU_ASSERT_PTR_NOT_NULL(dst);
    TH_ASSERT_RC("max 0 append", CDC_ERR_TOO_LARGE, cdc_buf_append_byte(&b, 'x'));
    CU_ASSERT_EQUAL(b.len, 0);
    cdc_buf_free(&b);
}

static void test_cdc_buf_append_u64(void)
{
    static const struct {
        uint64_t v;
        const char *s;
    } rows[] = {
        {0, "0"}, {7, "7"}, {10, "10"}, {1000000, "1000000"}, {UINT64_MAX, "18446744073709551615"}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct cdc_buf b;
        cdc_buf_init(&b, 64, NULL);
        TH_ASSERT_RC("u64", CDC_OK, cdc_buf_append_u64(&b, rows[i].v));
        TH_ASSERT_BYTES("u64 text", rows[i].s, strlen(rows[i].s), b.p, b.len);
        cdc_buf_free(&b);
    }
    struct cdc_buf b;
    cdc_buf_init(&b, 3, NULL);
    TH_ASSERT_RC("u64 over max", CDC_ERR_TOO_LARGE, cdc_buf_append_u64(&b, 1234));
    CU_ASSERT_EQUAL(b.len, 0);
    TH_ASSERT_RC("str", CDC_OK, cdc_buf_append_str(&b, "ab"));
    TH_ASSERT_RC("str over max", CDC_ERR_TOO_LARGE, cdc_buf_append_str(&b, "cd"));
    TH_ASSERT_BYTES("str kept", "ab", 2, b.p, b.len);
    cdc_buf_free(&b);
}

/* Appends a 300-byte pattern in 7-byte steps with allocation |n| failing;
 * each failed append must leave the bytes so far untouched. */
static void run_failing(long n, int *saw_nomem)
{
    struct th_failmem fm;
    struct cdc_buf b;
    uint8_t want[300];
    for (size_t i = 0; i < sizeof(want); i++)
        want[i] = (uint8_t)(i * 31 + 7);
    th_failmem_init(&fm, n);
    cdc_buf_init(&b, 1000, &fm.mem);
    size_t done = 0;
    while (done < sizeof(want)) {
        size_t k = sizeof(want) - done < 7 ? sizeof(want) - done : 7;
        size_t before = b.len;
        int rc = cdc_buf_append(&b, want + done, k);
        if (rc == CDC_ERR_NOMEM) {
            *saw_nomem = 1;
            CU_ASSERT_EQUAL(b.len, before);
            CU_ASSERT(before == 0 || memcmp(b.p, want, before) == 0);
            continue; /* the next allocation succeeds */
        }
        TH_ASSERT_RC("append under failmem", CDC_OK, rc);
        done += k;
    }
    TH_ASSERT_BYTES("content", want, sizeof(want), b.p, b.len);
    cdc_buf_free(&b);
    CU_ASSERT_EQUAL(fm.live, 0);
}

static void test_cdc_buf_nomem_leaves_buffer_unchanged(void)
{
    int saw = 0;
    struct th_failmem probe;
    /* Count the allocations of a clean run, then fail each in turn. */
    th_failmem_init(&probe, -1);
    struct cdc_buf b;
    cdc_buf_init(&b, 1000, &probe.mem);
    for (int i = 0; i < 300; i++)
        cdc_buf_append_byte(&b, 1);
    cdc_buf_free(&b);
    CU_ASSERT(probe.calls > 1);
    for (long n = 0; n < probe.calls; n++) {
        saw = 0;
        run_failing(n, &saw);
        CU_ASSERT(saw);
    }
}

/* clang-format off */
CU_TestInfo test_cdc_buf_tests[] = {
    {"init_is_empty", test_cdc_buf_init_is_empty},
    {"append_grows", test_cdc_buf_append_grows},
    {"max_is_exact", test_cdc_buf_max_is_exact},
    {"append_u64", test_cdc_buf_append_u64},
    {"nomem_leaves_buffer_unchanged", test_cdc_buf_nomem_leaves_buffer_unchanged},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
