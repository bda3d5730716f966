/*
 * test_live.h - the suites of test_fuzz_live (the live fuzzer's pure
 * parts: case model and reproducer format, generator, oracles, ddmin).
 */
#ifndef FUZZ_LIVE_TESTS_TEST_LIVE_H
#define FUZZ_LIVE_TESTS_TEST_LIVE_H

#include <CUnit/CUnit.h>

extern CU_TestInfo test_live_case_tests[];
extern CU_TestInfo test_live_gen_tests[];
extern CU_TestInfo test_live_oracle_tests[];
extern CU_TestInfo test_live_engine_tests[];

#endif
