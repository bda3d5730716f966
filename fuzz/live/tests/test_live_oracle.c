/*
 * test_live_oracle.c - the live fuzzer's oracle helpers and minimiser:
 * ddmin against synthetic predicates (result, 1-minimality, budget),
 * crash signatures from real Node / Python / V8 output, normalisation for
 * deduplication, /proc status parsing and sampling, growth detection, and
 * matching findings to known CVEs.
 */
#include "test_live.h"
#include "th_run.h"

#include "live/hx_live.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- ddmin ---- */

struct pred {
    const size_t *need; /* every index here must be present */
    size_t n_need;
    unsigned calls;
};

static bool has_all(void *ud, const size_t *idx, size_t k)
{
    struct pred *p = ud;
    p->calls++;
    for (size_t i = 0; i < p->n_need; i++) {
        bool in = false;
        for (size_t j = 0; j < k && !in; j++)
            in = idx[j] == p->need[i];
        if (!in)
            return false;
    }
    return true;
}

static void test_live_ddmin_finds_pair(void)
{
    static const size_t need[] = {3, 17};
    struct pred p = {need, 2, 0};
    size_t out[40];
    size_t k = hx_live_ddmin(40, has_all, &p, 500, out);
    CU_ASSERT_EQUAL_FATAL(k, 2);
    CU_ASSERT(out[0] == 3 && out[1] == 17);
    CU_ASSERT(p.calls > 0 && p.calls <= 500);
}

static void test_live_ddmin_single(void)
{
    static const size_t need[] = {9};
    struct pred p = {need, 1, 0};
    size_t out[10];
    CU_ASSERT_EQUAL(hx_live_ddmin(10, has_all, &p, 0, out), 1);
    CU_ASSERT_EQUAL(out[0], 9);
}

static void test_live_ddmin_budget(void)
{
    static const size_t need[] = {1, 5, 30, 61};
    struct pred p = {need, 4, 0};
    size_t out[64];
    size_t k = hx_live_ddmin(64, has_all, &p, 4, out);
    CU_ASSERT(p.calls <= 4);
    CU_ASSERT(k >= 4 && k <= 64);
    /* Whatever it returns still shows the failure. */
    struct pred check = {need, 4, 0};
    CU_ASSERT(has_all(&check, out, k));
    for (size_t i = 1; i < k; i++)
        CU_ASSERT(out[i - 1] < out[i]);
}

static bool only_full(void *ud, const size_t *idx, size_t k)
{
    (void)idx;
    return k == *(size_t *)ud;
}

static void test_live_ddmin_nothing_smaller(void)
{
    size_t n = 6, out[6];
    CU_ASSERT_EQUAL(hx_live_ddmin(n, only_full, &n, 0, out), 6);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(out[i], i);
}

/* ---- signatures ---- */

static void expect_sig(const char *out, const char *want)
{
    char sig[200];
    int r = hx_live_signature(out, strlen(out), sig, sizeof(sig));
    if (!want) {
        CU_ASSERT_EQUAL(r, 0);
        return;
    }
    CU_ASSERT_EQUAL(r, 1);
    TH_STR("signature", want, sig);
}

static void test_live_signature_node(void)
{
    expect_sig("siospec fixture ready: x on 127.0.0.1:4000\nnode:events:518\n"
               "  const handler = events[type];\n                        ^\n\n"
               "TypeError: Cannot convert object to primitive value\n"
               "    at Socket.emit (node:events:518:25)\n\nNode.js v20.20.2\n",
               "TypeError: Cannot convert object to primitive value");
    expect_sig("node:events:515\n    throw err; // Unhandled 'error' event\n    ^\n\n"
               "Error [ERR_UNHANDLED_ERROR]: Unhandled error. (undefined)\n"
               "    at Socket.emit (node:events:513:17)\n",
               "Error [ERR_UNHANDLED_ERROR]: Unhandled error. (undefined)");
    expect_sig("/x/engine.io/build/server.js:501\n"
               "TypeError: Cannot read properties of undefined (reading 'handlesUpgrades')\n",
               "TypeError: Cannot read properties of undefined (reading 'handlesUpgrades')");
    expect_sig("Uncaught RangeError: Invalid WebSocket frame: RSV2 and RSV3 must be clear\n",
               "Uncaught RangeError: Invalid WebSocket frame: RSVN and RSVN must be clear");
    expect_sig("<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - "
               "JavaScript heap out of memory\n 1: 0xb7a940 node::Abort() [node]\n",
               "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory");
}

static void test_live_signature_others(void)
{
    expect_sig("INFO: started\nTraceback (most recent call last):\n  File \"x.py\", line 3, in f\n"
               "    d['x']\nKeyError: 'x'\n",
               "KeyError: 'x'");
    expect_sig("thread 'main' panicked at src/main.rs:12:5:\nboom\n",
               "thread 'main' panicked at src/main.rs:N:N:");
    expect_sig("goroutine 1 [running]:\npanic: runtime error: index out of range [3]\n",
               "panic: runtime error: index out of range [N]");
    expect_sig("siospec fixture ready: ok\nGET /socket.io/ 200\nerror handling is fine\n", NULL);
    expect_sig("", NULL);
}

static void test_live_sig_normalise(void)
{
    char s[] = "  Error at 0x7ffd12ab  line 42:7\t pid=1234  ";
    hx_live_sig_normalise(s);
    TH_STR("normalised", "Error at 0x? line N:N pid=N", s);
}

/* Two runs of the same crash differ in pids, ports, line numbers and
 * addresses; their signatures must not. Different errors must differ. */
static void test_live_signature_dedupe(void)
{
    static const char run1[] = "siospec fixture ready on 127.0.0.1:40123\n/srv/a.js:501\n"
                               "RangeError [ERR_X]: bad frame at 0x55d1c0ffee (fd 17, pid 4242)\n";
    static const char run2[] = "siospec fixture ready on 127.0.0.1:33001\n/srv/a.js:777\n"
                               "RangeError [ERR_X]: bad frame at 0x7f00ab12 (fd 9, pid 31)\n";
    static const char other[] = "RangeError [ERR_X]: bad length at 0x55d1c0ffee (fd 17, pid 42)\n";
    char s1[200], s2[200], s3[200];
    CU_ASSERT_EQUAL(hx_live_signature(run1, sizeof(run1) - 1, s1, sizeof(s1)), 1);
    CU_ASSERT_EQUAL(hx_live_signature(run2, sizeof(run2) - 1, s2, sizeof(s2)), 1);
    CU_ASSERT_EQUAL(hx_live_signature(other, sizeof(other) - 1, s3, sizeof(s3)), 1);
    TH_STR("same crash", s1, s2);
    TH_STR("normalised", "RangeError [ERR_X]: bad frame at 0x? (fd N, pid N)", s1);
    CU_ASSERT(strcmp(s1, s3) != 0);
    /* A long line is cut to the buffer, NUL-terminated. */
    char longline[600], small[32];
    memset(longline, 'e', sizeof(longline));
    memcpy(longline, "Error: ", 7);
    CU_ASSERT_EQUAL(hx_live_signature(longline, sizeof(longline), small, sizeof(small)), 1);
    CU_ASSERT_EQUAL(strlen(small), sizeof(small) - 1);
}

/* ---- /proc ---- */

static void test_live_proc_parse(void)
{
    static const char status[] = "Name:\tnode\nState:\tS (sleeping)\nVmPeak:\t  999 kB\n"
                                 "VmRSS:\t   51234 kB\nRssAnon:\t 1 kB\nThreads:\t11\n";
    struct hx_live_sample s = {0};
    CU_ASSERT_EQUAL(hx_live_proc_parse_status(status, sizeof(status) - 1, &s), 0);
    CU_ASSERT_EQUAL(s.rss_kb, 51234);
    CU_ASSERT_EQUAL(s.threads, 11);
    static const char missing[] = "Name:\tx\nVmRSS:\t 12 kB\n";
    CU_ASSERT_EQUAL(hx_live_proc_parse_status(missing, sizeof(missing) - 1, &s), -1);
    static const char bad[] = "VmRSS:\t kB\nThreads:\t1\n";
    CU_ASSERT_EQUAL(hx_live_proc_parse_status(bad, sizeof(bad) - 1, &s), -1);
}

static void test_live_proc_sample_self(void)
{
    struct hx_live_sample s = {0};
    CU_ASSERT_EQUAL_FATAL(hx_live_proc_sample((long)getpid(), &s), 0);
    CU_ASSERT(s.rss_kb > 0);
    CU_ASSERT(s.threads >= 1);
    CU_ASSERT(s.fds >= 3);
    CU_ASSERT_EQUAL(hx_live_proc_sample(-1, &s), -1);
}

static void test_live_grows(void)
{
    static const uint64_t up[] = {10, 1, 2, 3, 4, 5};
    static const uint64_t flat[] = {1, 2, 2, 3, 4, 5};
    CU_ASSERT(hx_live_grows(up, 6, 5, 4));
    CU_ASSERT(!hx_live_grows(up, 6, 5, 5));
    CU_ASSERT(!hx_live_grows(up, 6, 6, 1));
    CU_ASSERT(!hx_live_grows(flat, 6, 5, 1));
    CU_ASSERT(hx_live_grows(flat, 6, 4, 3));
    CU_ASSERT(!hx_live_grows(up, 3, 5, 1));
}

/* ---- CVE matching ---- */

static void test_live_cve_match(void)
{
    struct hx_live_case c;
    hx_live_case_init(&c);
    struct hx_live_action send = {
        .op = HX_LIVE_SEND, .data = {(uint8_t *)"42[\"error\"]", sizeof("42[\"error\"]") - 1}};
    CU_ASSERT_EQUAL_FATAL(hx_live_case_push(&c, &send), CDC_OK);
    TH_STR("32695", "CVE-2023-32695",
           hx_live_cve_match(HX_LIVE_CRASH, "TypeError: Cannot convert object to primitive value",
                             &c));
    TH_STR("38355", "CVE-2024-38355",
           hx_live_cve_match(HX_LIVE_CRASH,
                             "Error [ERR_UNHANDLED_ERROR]: Unhandled error. (undefined)", &c));
    TH_STR("31125", "CVE-2023-31125",
           hx_live_cve_match(HX_LIVE_CRASH,
                             "TypeError: Cannot read properties of undefined (reading "
                             "'handlesUpgrades')",
                             NULL));
    /* Wrong class, or the input the CVE needs is missing: no match. */
    CU_ASSERT_PTR_NULL(hx_live_cve_match(
        HX_LIVE_ERROR_OUTPUT, "TypeError: Cannot convert object to primitive value", &c));
    CU_ASSERT_PTR_NULL(hx_live_cve_match(HX_LIVE_CRASH,
                                         "Error [ERR_UNHANDLED_ERROR]: Unhandled "
                                         "error. (undefined)",
                                         NULL));
    struct hx_live_action post = {
        .op = HX_LIVE_HTTP,
        .ctype = {(uint8_t *)"application/octet-stream", sizeof("application/octet-stream") - 1}};
    CU_ASSERT_EQUAL_FATAL(hx_live_case_push(&c, &post), CDC_OK);
    TH_STR("59725", "CVE-2026-59725",
           hx_live_cve_match(HX_LIVE_HANG_REQUEST, "no answer to POST (application/octet-stream)",
                             &c));
    /* The unanswered request must be the octet-stream POST itself, not
     * another one of a case that also sent octet-stream. */
    CU_ASSERT_PTR_NULL(
        hx_live_cve_match(HX_LIVE_HANG_REQUEST, "no answer to POST (text/plain)", &c));
    CU_ASSERT_PTR_NULL(hx_live_cve_match(HX_LIVE_CRASH, "SomethingElse: x", &c));
    hx_live_case_free(&c);
}

CU_TestInfo test_live_oracle_tests[] = {
    {"test_live_ddmin_finds_pair", test_live_ddmin_finds_pair},
    {"test_live_ddmin_single", test_live_ddmin_single},
    {"test_live_ddmin_budget", test_live_ddmin_budget},
    {"test_live_ddmin_nothing_smaller", test_live_ddmin_nothing_smaller},
    {"test_live_signature_node", test_live_signature_node},
    {"test_live_signature_others", test_live_signature_others},
    {"test_live_sig_normalise", test_live_sig_normalise},
    {"test_live_signature_dedupe", test_live_signature_dedupe},
    {"test_live_proc_parse", test_live_proc_parse},
    {"test_live_proc_sample_self", test_live_proc_sample_self},
    {"test_live_grows", test_live_grows},
    {"test_live_cve_match", test_live_cve_match},
    CU_TEST_INFO_NULL,
};
