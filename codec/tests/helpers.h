/*
 * helpers.h - shared helpers for the codec's CUnit programs: readable diffs,
 * guard-page copies, a failing allocator and a tiny suite runner.
 */
#ifndef CODEC_TESTS_HELPERS_H
#define CODEC_TESTS_HELPERS_H

#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"

/* Prints |what|, the expected and the actual bytes (escaped) to stderr when
 * they differ, and returns 1 if they are equal. */
int th_bytes_eq(const char *what, const void *exp, size_t en, const void *act, size_t an);

#define TH_ASSERT_BYTES(what, exp, en, act, an) CU_ASSERT(th_bytes_eq(what, exp, en, act, an))
#define TH_ASSERT_RC(what, exp, act) CU_ASSERT(th_rc_eq(what, exp, act))

/* Prints both codes by name when they differ; returns 1 if equal. */
int th_rc_eq(const char *what, int exp, int act);

/* Copies |n| bytes so that they end exactly at a page followed by an
 * inaccessible page: any read past the end faults. Free with th_guard_free. */
uint8_t *th_guard_copy(const void *p, size_t n);
void th_guard_free(uint8_t *p, size_t n);

/* An allocator that fails the |fail_at|-th allocation (0-based; -1 never)
 * and counts live blocks. */
struct th_failmem {
    struct cdc_mem mem;
    long fail_at;
    long calls;
    long live;
};
void th_failmem_init(struct th_failmem *fm, long fail_at);

/* A call that appends to |b|; returns its cdc_err. */
typedef int (*th_append_fn)(void *ctx, struct cdc_buf *b);

/* Runs |fn| on a buffer (size limit |max|) that already holds "keep", with
 * the 0th, 1st, 2nd ... allocation failing in turn until the call succeeds.
 * Asserts that every failure is CDC_ERR_NOMEM, leaves "keep" as it was and
 * leaks nothing. Returns how many allocations failed before the success. */
long th_failing_appends(th_append_fn fn, void *ctx, size_t max);

/* Writes |n| bytes of |p| escaped (C style) into |out| (size |cap|). */
void th_escape(const void *p, size_t n, char *out, size_t cap);

/* Runs the given suites (NULL-terminated CU_SuiteInfo array); argv[1] may
 * name a suite and argv[2] a test. Returns 0 when every test passed, 1
 * otherwise (never the failure count). */
int th_run(CU_SuiteInfo *suites, int argc, char **argv);

#endif
