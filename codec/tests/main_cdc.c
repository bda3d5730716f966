/*
 * main_cdc.c - CUnit program for the codec's common layer: bounded
 * buffers, base64, UTF-8 and the JavaScript number reader.
 */
#include "helpers.h"

extern CU_TestInfo test_cdc_buf_tests[];
extern CU_TestInfo test_cdc_b64_tests[];
extern CU_TestInfo test_cdc_utf8_tests[];
extern CU_TestInfo test_cdc_jsnum_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "cdc_buf", .pInitFunc = NULL, .pCleanupFunc = NULL, .pTests = test_cdc_buf_tests},
    {.pName = "cdc_b64", .pInitFunc = NULL, .pCleanupFunc = NULL, .pTests = test_cdc_b64_tests},
    {.pName = "cdc_utf8", .pInitFunc = NULL, .pCleanupFunc = NULL, .pTests = test_cdc_utf8_tests},
    {.pName = "cdc_jsnum", .pInitFunc = NULL, .pCleanupFunc = NULL, .pTests = test_cdc_jsnum_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return th_run(suites, argc, argv);
}
