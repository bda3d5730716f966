/*
 * main_sio.c - CUnit program for the Socket.IO codec: packet grammar and
 * validation, binary deconstruction/reconstruction, and the decoder.
 */
#include "helpers.h"

extern CU_TestInfo test_sio_packet_tests[];
extern CU_TestInfo test_sio_binary_tests[];
extern CU_TestInfo test_sio_decoder_tests[];
extern CU_TestInfo test_sio_trusted_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "sio_packet",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_sio_packet_tests},
    {.pName = "sio_binary",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_sio_binary_tests},
    {.pName = "sio_decoder",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_sio_decoder_tests},
    {.pName = "sio_trusted",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_sio_trusted_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return th_run(suites, argc, argv);
}
