/*
 * test_live_main.c - CUnit main of test_fuzz_live: the live fuzzer's
 * case model and reproducer format, generator determinism, ddmin, crash
 * signatures and /proc parsing. No server and no network are needed.
 *
 *   test_fuzz_live [suite [test]] | --junit
 */
#include "test_live.h"
#include "th_run.h"

static CU_SuiteInfo suites[] = {
    {.pName = "live_case", .pTests = test_live_case_tests},
    {.pName = "live_gen", .pTests = test_live_gen_tests},
    {.pName = "live_oracle", .pTests = test_live_oracle_tests},
    {.pName = "live_engine", .pTests = test_live_engine_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return hx_th_run(suites, argc, argv);
}
