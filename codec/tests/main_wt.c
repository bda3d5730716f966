/*
 * main_wt.c - CUnit program for the WebTransport stream framing.
 */
#include "helpers.h"

extern CU_TestInfo test_wt_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "wt", .pInitFunc = NULL, .pCleanupFunc = NULL, .pTests = test_wt_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return th_run(suites, argc, argv);
}
