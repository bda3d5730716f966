/*
 * th_run.h - shared helpers of the harness test programs: the CUnit main
 * loop and readable failure output.
 */
#ifndef HARNESS_TESTS_TH_RUN_H
#define HARNESS_TESTS_TH_RUN_H

#include <CUnit/CUnit.h>
#include <stddef.h>

/* Runs the NULL-terminated |suites|; argv[1] may name a suite and argv[2] a
 * test; "--junit" writes CUnit's XML report. Returns 0 when every test
 * passed, 1 otherwise (never the failure count). */
int hx_th_run(CU_SuiteInfo *suites, int argc, char **argv);

/* Prints |what|, |exp| and |act| to stderr when the strings differ, and
 * returns 1 if they are equal. */
int hx_th_str_eq(const char *what, const char *exp, const char *act);
/* Prints both status names when they differ; returns 1 if equal. */
int hx_th_rc_eq(const char *what, int exp, int act);

#define TH_STR(what, exp, act) CU_ASSERT(hx_th_str_eq(what, exp, act))
#define TH_RC(what, exp, act) CU_ASSERT(hx_th_rc_eq(what, exp, act))

#endif
