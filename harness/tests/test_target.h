/*
 * test_target.h - shared pieces of test_harness_proc: the suites' test
 * tables, the fake server and small helpers.
 *
 * The fake server is this test program itself, re-executed with
 * "--fake-server": it listens on HOST:PORT and answers every request with a
 * canned HTTP response, steered by FAKE_* environment variables (see
 * test_target_main.c). So the unit tests need no node, python or network
 * beyond 127.0.0.1, and every wait in them is bounded.
 */
#ifndef HARNESS_TESTS_TEST_TARGET_H
#define HARNESS_TESTS_TEST_TARGET_H

#include <CUnit/CUnit.h>
#include <sys/types.h>

#include "harness/hx_target.h"

extern CU_TestInfo test_target_desc_tests[];
extern CU_TestInfo test_target_proc_tests[];
extern CU_TestInfo test_target_net_tests[];
extern CU_TestInfo test_target_life_tests[];

/* Absolute path of this test program (for the fake server). */
const char *tt_self(void);

/* Runs the fake server; never returns. */
void tt_fake_server_main(void);

/* Builds a description whose command is the fake server, with |env_json|
 * the body of start.env (e.g. "\"FAKE_STATUS\":\"404\"", or ""), and
 * |ready_ms| its ready_timeout_ms (0: default). Asserts on failure. */
struct hx_target_desc *tt_fake_desc(const char *env_json, int ready_ms);

/* 1 once process group |pgid| is gone (reaping our children), polling for
 * at most |ms|. */
int tt_group_gone_within(pid_t pgid, int ms);

/* Prints |what| and |diag| to stderr when |rc| != |want|; returns rc == want. */
int tt_rc_is(const char *what, int want, int rc, const struct hx_target_diag *diag);

/* 1 if |hay| contains |needle|; prints both to stderr otherwise. */
int tt_contains(const char *what, const char *hay, const char *needle);

#endif
