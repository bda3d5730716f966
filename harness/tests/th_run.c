/*
 * th_run.c - CUnit runner and diagnostics for the harness test programs.
 */
#include "th_run.h"

#include <CUnit/Automated.h>
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "harness/hx_status.h"

int hx_th_str_eq(const char *what, const char *exp, const char *act)
{
    if (exp && act && strcmp(exp, act) == 0)
        return 1;
    fprintf(stderr, "\n%s:\n  expected: %s\n  actual:   %s\n", what, exp ? exp : "(null)",
            act ? act : "(null)");
    return 0;
}

int hx_th_rc_eq(const char *what, int exp, int act)
{
    if (exp == act)
        return 1;
    fprintf(stderr, "\n%s: expected %s, got %s\n", what, hx_status_name(exp), hx_status_name(act));
    return 0;
}

static int run_selected(int argc, char **argv)
{
    CU_pSuite s = CU_get_suite(argv[1]);
    if (!s) {
        fprintf(stderr, "no suite named %s\n", argv[1]);
        return 2;
    }
    if (argc > 2) {
        CU_pTest t = CU_get_test(s, argv[2]);
        if (!t) {
            fprintf(stderr, "no test named %s in %s\n", argv[2], argv[1]);
            return 2;
        }
        CU_basic_run_test(s, t);
    } else {
        CU_basic_run_suite(s);
    }
    return 0;
}

int hx_th_run(CU_SuiteInfo *suites, int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "suite registration failed: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    int rc = 0;
    if (argc > 1 && strcmp(argv[1], "--junit") == 0) {
        CU_set_output_filename(argv[0]);
        CU_automated_enable_junit_xml(CU_TRUE);
        CU_automated_run_tests();
    } else {
        CU_basic_set_mode(CU_BRM_VERBOSE);
        if (argc > 1)
            rc = run_selected(argc, argv);
        else
            CU_basic_run_tests();
    }
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (rc != 0)
        return 1;
    if (ran == 0) {
        fprintf(stderr, "no test ran\n");
        return 1;
    }
    return failed ? 1 : 0;
}
