/*
 * main_harness.c - CUnit program for harness_core: pure parsers, transcript
 * and matchers, and the session logic against the fake transport.
 */
#include "th_run.h"

extern CU_TestInfo test_hx_http_tests[];
extern CU_TestInfo test_hx_ws_tests[];
extern CU_TestInfo test_hx_misc_tests[];
extern CU_TestInfo test_hx_session_tests[];
extern CU_TestInfo test_hx_sio_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "hx_http", .pTests = test_hx_http_tests},
    {.pName = "hx_ws", .pTests = test_hx_ws_tests},
    {.pName = "hx_misc", .pTests = test_hx_misc_tests},
    {.pName = "hx_session", .pTests = test_hx_session_tests},
    {.pName = "hx_sio", .pTests = test_hx_sio_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return hx_th_run(suites, argc, argv);
}
