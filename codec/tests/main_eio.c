/*
 * main_eio.c - CUnit program for the Engine.IO codec: packets, polling
 * payloads (v4, v3 text, v3 XHR2 binary), handshakes and error bodies.
 */
#include "helpers.h"

extern CU_TestInfo test_eio_packet_tests[];
extern CU_TestInfo test_eio_payload_tests[];
extern CU_TestInfo test_eio_payload_v3_tests[];
extern CU_TestInfo test_eio_handshake_tests[];

static CU_SuiteInfo suites[] = {
    {.pName = "eio_packet",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_eio_packet_tests},
    {.pName = "eio_payload",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_eio_payload_tests},
    {.pName = "eio_payload_v3",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_eio_payload_v3_tests},
    {.pName = "eio_handshake",
     .pInitFunc = NULL,
     .pCleanupFunc = NULL,
     .pTests = test_eio_handshake_tests},
    CU_SUITE_INFO_NULL,
};

int main(int argc, char **argv)
{
    return th_run(suites, argc, argv);
}
