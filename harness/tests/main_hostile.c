/*
 * main_hostile.c - CUnit program for harness_net against the hostile test
 * server (loopback only; no npm needed).
 */
#include "th_run.h"

#include "harness/hx_net.h"

extern CU_TestInfo hostile_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "hostile", .pTests = hostile_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    if (hx_net_global_init() != HX_OK)
        return 1;
    int rc = hx_th_run(suites, argc, argv);
    hx_net_global_cleanup();
    return rc;
}
