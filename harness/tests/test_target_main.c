/*
 * test_target_main.c - entry point of test_harness_proc.
 *
 *   test_harness_proc [suite [test]]          unit tests (CUnit)
 *   test_harness_proc --integration FILE...   start each described target,
 *                                             check a polling handshake, stop
 *   test_harness_proc --fake-server           the fake server (internal)
 *
 * Fake server environment: PORT, HOST (where to listen), FAKE_DELAY_MS
 * (sleep before listening), FAKE_STATUS (HTTP status, default 200),
 * FAKE_BODY (default an EIO4 open packet), FAKE_SAY (a line printed to
 * stderr at start), FAKE_EXIT_AFTER_MS (exit with FAKE_EXIT_CODE, default 7,
 * after that long), FAKE_IGNORE_TERM=1 (ignore SIGTERM).
 *
 * Exit status: 0 when every test passed, 1 otherwise (never a count).
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "test_target.h"
#include "hx_proc.h"

#include <CUnit/Basic.h>
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char self_path[PATH_MAX];

const char *tt_self(void)
{
    return self_path;
}

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : dflt;
}

static int fake_listen(void)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)env_long("PORT", 0));
    const char *host = getenv("HOST");
    if (inet_pton(AF_INET, host ? host : "127.0.0.1", &sa.sin_addr) != 1)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0)
        return -1;
    return fd;
}

static void fake_answer(int c, long status, const char *body)
{
    char req[4096];
    size_t n = 0;
    struct pollfd pf = {c, POLLIN, 0};
    while (n < sizeof req - 1 && poll(&pf, 1, 1000) > 0) {
        ssize_t r = recv(c, req + n, sizeof req - 1 - n, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        req[n] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    char head[256];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 %ld Fake\r\nContent-Type: text/plain\r\n"
                      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                      status, strlen(body));
    if (send(c, head, (size_t)hl, MSG_NOSIGNAL) < 0 ||
        send(c, body, strlen(body), MSG_NOSIGNAL) < 0)
        perror("fake: send");
}

void tt_fake_server_main(void)
{
    const char *say = getenv("FAKE_SAY");
    const char *body = getenv("FAKE_BODY");
    long status = env_long("FAKE_STATUS", 200), exit_after = env_long("FAKE_EXIT_AFTER_MS", -1);
    if (env_long("FAKE_IGNORE_TERM", 0) == 1)
        signal(SIGTERM, SIG_IGN);
    if (say)
        fprintf(stderr, "%s\n", say);
    int64_t t0 = hx_proc_now_ms();
    hx_proc_sleep_ms(env_long("FAKE_DELAY_MS", 0));
    int lfd = exit_after < 0 ? fake_listen() : -1;
    if (exit_after < 0 && lfd < 0) {
        perror("fake: listen");
        _exit(3);
    }
    printf("fake ready on port %ld\n", env_long("PORT", 0));
    fflush(stdout);
    for (;;) {
        if (exit_after >= 0 && hx_proc_now_ms() - t0 >= exit_after)
            _exit((int)env_long("FAKE_EXIT_CODE", 7));
        struct pollfd pf = {lfd, POLLIN, 0};
        if (lfd < 0 || poll(&pf, 1, 50) <= 0) {
            if (lfd < 0)
                hx_proc_sleep_ms(10);
            continue;
        }
        int c = accept(lfd, NULL, NULL);
        if (c < 0)
            continue;
        fake_answer(c, status,
                    body ? body
                         : "0{\"sid\":\"fake\",\"upgrades\":[],"
                           "\"pingInterval\":300,\"pingTimeout\":200,"
                           "\"maxPayload\":1000000}");
        close(c);
    }
}

struct hx_target_desc *tt_fake_desc(const char *env_json, int ready_ms)
{
    char json[2 * PATH_MAX];
    char ready[64] = "";
    if (ready_ms > 0)
        snprintf(ready, sizeof ready, ",\"ready_timeout_ms\":%d", ready_ms);
    snprintf(json, sizeof json,
             "{\"name\":\"fake\",\"implementation\":\"fake\",\"version\":\"1\","
             "\"install\":{\"kind\":\"none\"},"
             "\"start\":{\"argv\":[\"%s\",\"--fake-server\"],\"env\":{%s}},"
             "\"protocols\":{\"eio\":[4],\"sio\":[5]},\"path\":\"/socket.io/\"%s}",
             self_path, env_json ? env_json : "", ready);
    struct hx_target_desc *d = NULL;
    struct hx_target_diag diag = {{0}};
    int rc = hx_target_desc_parse(&d, json, strlen(json), "/tmp", &diag);
    if (rc != HX_TARGET_OK)
        fprintf(stderr, "fake desc: %s\n", diag.msg);
    CU_ASSERT_FATAL(rc == HX_TARGET_OK);
    return d;
}

int tt_group_gone_within(pid_t pgid, int ms)
{
    int64_t deadline = hx_proc_now_ms() + ms;
    for (;;) {
        if (!hx_proc_group_alive(pgid))
            return 1;
        if (hx_proc_now_ms() >= deadline)
            return 0;
        hx_proc_sleep_ms(10);
    }
}

int tt_rc_is(const char *what, int want, int rc, const struct hx_target_diag *diag)
{
    if (rc != want)
        fprintf(stderr, "\n%s: want %s, got %s (%s)\n", what, hx_target_err_name(want),
                hx_target_err_name(rc), diag ? diag->msg : "");
    return rc == want;
}

int tt_contains(const char *what, const char *hay, const char *needle)
{
    if (hay && strstr(hay, needle))
        return 1;
    fprintf(stderr, "\n%s: '%s' not found in '%s'\n", what, needle, hay ? hay : "(null)");
    return 0;
}

/* ---- integration -------------------------------------------------- */

static char **integ_files;
static int integ_count;

/* Starts, probes and stops the target described by |file|. */
static void integration_one(const char *file)
{
    struct hx_target_diag diag = {{0}};
    struct hx_target_desc *d = NULL;
    struct hx_target *t = NULL;
    int rc = hx_target_desc_load(&d, file, &diag);
    CU_ASSERT_FATAL(tt_rc_is("load", HX_TARGET_OK, rc, &diag));
    rc = hx_target_new(&t, d, NULL, &diag);
    CU_ASSERT_FATAL(tt_rc_is("new", HX_TARGET_OK, rc, &diag));
    rc = hx_target_start(t, &diag);
    CU_ASSERT(tt_rc_is(d->name, HX_TARGET_OK, rc, &diag));
    if (rc == HX_TARGET_OK) {
        pid_t pid = hx_target_pid(t);
        char path[600];
        int eio4 = (d->eio & (1u << 4)) != 0;
        snprintf(path, sizeof path, "%s?EIO=%d&transport=polling", d->path, eio4 ? 4 : 3);
        struct hx_probe_resp r;
        rc = hx_probe_get(hx_target_host(t), hx_target_port(t), path, 2000, &r, &diag);
        CU_ASSERT(tt_rc_is("handshake", HX_TARGET_OK, rc, &diag));
        CU_ASSERT_EQUAL(r.status, 200);
        CU_ASSERT(tt_contains("handshake body", r.body, eio4 ? "0{\"sid\":\"" : ":0{\"sid\":\""));
        if (eio4)
            CU_ASSERT(strncmp(r.body, "0{", 2) == 0);
        struct hx_target_exit ex;
        char how[128];
        int64_t t0 = hx_proc_now_ms();
        hx_target_stop(t, &ex);
        hx_target_exit_describe(&ex, how, sizeof how);
        printf("\n  %s: ready in %ld ms on %s (pid %ld); stopped in %ld ms (%s)\n", d->name,
               hx_target_ready_ms(t), hx_target_base_url(t), (long)pid,
               (long)(hx_proc_now_ms() - t0), how);
        CU_ASSERT_EQUAL(ex.by_stop, 1);
        CU_ASSERT(tt_group_gone_within(pid, 2000));
        CU_ASSERT_EQUAL(hx_target_check(t, NULL), HX_TARGET_ERR_DIED);
    }
    hx_target_del(t);
    hx_target_desc_del(d);
}

static void test_integration_targets(void)
{
    CU_ASSERT_FATAL(integ_count > 0);
    for (int i = 0; i < integ_count; i++)
        integration_one(integ_files[i]);
}

static CU_TestInfo integration_tests[] = {
    {"test_integration_targets", test_integration_targets},
    CU_TEST_INFO_NULL,
};

static int run_suites(CU_SuiteInfo *suites, int argc, char **argv)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "suite registration failed: %s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_pSuite s = argc > 1 ? CU_get_suite(argv[1]) : NULL;
    CU_pTest t = s && argc > 2 ? CU_get_test(s, argv[2]) : NULL;
    if ((argc > 1 && !s) || (argc > 2 && !t)) {
        fprintf(stderr, "no such suite or test: %s %s\n", argv[1], argc > 2 ? argv[2] : "");
        CU_cleanup_registry();
        return 2;
    }
    if (t)
        CU_basic_run_test(s, t);
    else if (s)
        CU_basic_run_suite(s);
    else
        CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (ran == 0)
        fprintf(stderr, "no test ran\n");
    return failed || ran == 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n > 0)
        self_path[n] = '\0';
    else if (!realpath(argv[0], self_path))
        self_path[0] = '\0';
    if (argc > 1 && strcmp(argv[1], "--fake-server") == 0)
        tt_fake_server_main();
    hx_target_install_cleanup();
    if (argc > 2 && strcmp(argv[1], "--integration") == 0) {
        integ_files = argv + 2;
        integ_count = argc - 2;
        CU_SuiteInfo suites[] = {
            {.pName = "integration", .pTests = integration_tests},
            CU_SUITE_INFO_NULL,
        };
        return run_suites(suites, 1, argv);
    }
    CU_SuiteInfo suites[] = {
        {.pName = "target_desc", .pTests = test_target_desc_tests},
        {.pName = "target_proc", .pTests = test_target_proc_tests},
        {.pName = "target_net", .pTests = test_target_net_tests},
        {.pName = "target_life", .pTests = test_target_life_tests},
        CU_SUITE_INFO_NULL,
    };
    return run_suites(suites, argc, argv);
}
