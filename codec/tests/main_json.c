/*
 * main_json.c - CUnit program for the JSON validator and span reader.
 */
#include "helpers.h"

extern CU_TestInfo test_json_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "json", .pInitFunc = NULL, .pCleanupFunc = NULL, .pTests = test_json_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return th_run(suites, argc, argv);
}
