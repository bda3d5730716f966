/*
 * helpers.c - implementation of the codec test helpers (see helpers.h).
 * Tests may use POSIX (mmap for guard pages); the codec itself may not.
 */
#define _GNU_SOURCE
#include "helpers.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void th_escape(const void *p, size_t n, char *out, size_t cap)
{
    const uint8_t *s = p;
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++) {
        uint8_t c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
    }
    if (o + 4 < cap && n && o + 5 >= cap)
        o += (size_t)snprintf(out + o, cap - o, "...");
    out[o < cap ? o : cap - 1] = 0;
}

int th_bytes_eq(const char *what, const void *exp, size_t en, const void *act, size_t an)
{
    if (en == an && (en == 0 || memcmp(exp, act, en) == 0))
        return 1;
    char e[512], a[512];
    th_escape(exp, en, e, sizeof e);
    th_escape(act, an, a, sizeof a);
    fprintf(stderr, "\n  %s:\n    expected (%zu) \"%s\"\n    actual   (%zu) \"%s\"\n", what, en, e,
            an, a);
    return 0;
}

int th_rc_eq(const char *what, int exp, int act)
{
    if (exp == act)
        return 1;
    fprintf(stderr, "\n  %s: expected %s (%d), got %s (%d)\n", what, cdc_err_name(exp), exp,
            cdc_err_name(act), act);
    return 0;
}

uint8_t *th_guard_copy(const void *p, size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (n + pg - 1) / pg;
    size_t total = (data_pages + 1) * pg;
    uint8_t *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    mprotect(base + data_pages * pg, pg, PROT_NONE);
    uint8_t *dst = base + data_pages * pg - n;
    if (n)
        memcpy(dst, p, n);
    return dst;
}

void th_guard_free(uint8_t *p, size_t n)
{
    if (!p)
        return;
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = (n + pg - 1) / pg;
    uint8_t *base = p + n - data_pages * pg;
    munmap(base, (data_pages + 1) * pg);
}

static void *fm_alloc(size_t n, void *ud)
{
    struct th_failmem *fm = ud;
    if (fm->calls++ == fm->fail_at)
        return NULL;
    void *p = malloc(n ? n : 1);
    if (p)
        fm->live++;
    return p;
}

static void *fm_realloc(void *p, size_t n, void *ud)
{
    struct th_failmem *fm = ud;
    if (fm->calls++ == fm->fail_at)
        return NULL;
    void *q = realloc(p, n ? n : 1);
    if (q && !p)
        fm->live++;
    return q;
}

static void fm_free(void *p, void *ud)
{
    struct th_failmem *fm = ud;
    if (p)
        fm->live--;
    free(p);
}

void th_failmem_init(struct th_failmem *fm, long fail_at)
{
    fm->mem.alloc = fm_alloc;
    fm->mem.realloc = fm_realloc;
    fm->mem.free = fm_free;
    fm->mem.ud = fm;
    fm->fail_at = fail_at;
    fm->calls = 0;
    fm->live = 0;
}

long th_failing_appends(th_append_fn fn, void *ctx, size_t max)
{
    long n = 0;
    for (;; n++) {
        struct th_failmem fm;
        struct cdc_buf b;
        th_failmem_init(&fm, n);
        cdc_buf_init(&b, max, &fm.mem);
        int rc = cdc_buf_append_str(&b, "keep");
        if (rc == CDC_OK)
            rc = fn(ctx, &b);
        if (rc != CDC_OK) {
            TH_ASSERT_RC("failing allocation", CDC_ERR_NOMEM, rc);
            CU_ASSERT(n == 0 || th_bytes_eq("kept", "keep", 4, b.p, b.len));
        }
        cdc_buf_free(&b);
        CU_ASSERT_EQUAL(fm.live, 0);
        if (rc == CDC_OK)
            return n;
    }
}

int th_run(CU_SuiteInfo *suites, int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "suite registration failed: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    if (argc > 1) {
        CU_pSuite s = CU_get_suite(argv[1]);
        if (!s) {
            fprintf(stderr, "no suite named %s\n", argv[1]);
            CU_cleanup_registry();
            return 2;
        }
        if (argc > 2) {
            CU_pTest t = CU_get_test(s, argv[2]);
            if (!t) {
                fprintf(stderr, "no test named %s in %s\n", argv[2], argv[1]);
                CU_cleanup_registry();
                return 2;
            }
            CU_basic_run_test(s, t);
        } else {
            CU_basic_run_suite(s);
        }
    } else {
        CU_basic_run_tests();
    }
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (ran == 0) {
        fprintf(stderr, "no test ran\n");
        return 1;
    }
    return failed ? 1 : 0;
}
