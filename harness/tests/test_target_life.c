/*
 * test_target_life.c - the hx_target life cycle against the fake server
 * (this program re-executed): readiness, start-up failures with clear
 * messages, death detection, restart, SIGKILL escalation, output, url mode,
 * stop_all and the Ctrl-C handler. Deadlines are small (<= 2 s each).
 */
#define _POSIX_C_SOURCE 200809L

#include "test_target.h"
#include "hx_proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fx {
    struct hx_target_desc *d;
    struct hx_target *t;
    struct hx_target_diag diag;
};

static void fx_new(struct fx *f, const char *env_json, int ready_ms,
                   const struct hx_target_opts *opts)
{
    memset(f, 0, sizeof *f);
    f->d = tt_fake_desc(env_json, ready_ms);
    int rc = hx_target_new(&f->t, f->d, opts, &f->diag);
    CU_ASSERT_FATAL(tt_rc_is("new", HX_TARGET_OK, rc, &f->diag));
}

static void fx_del(struct fx *f)
{
    hx_target_del(f->t);
    hx_target_desc_del(f->d);
}

static void test_target_life_start_probe_stop(void)
{
    struct fx f;
    fx_new(&f, "\"FAKE_DELAY_MS\":\"300\"", 0, NULL);
    CU_ASSERT_EQUAL(hx_target_check(f.t, NULL), HX_TARGET_ERR_DIED); /* not started yet */
    int rc = hx_target_start(f.t, &f.diag);
    CU_ASSERT_FATAL(tt_rc_is("start", HX_TARGET_OK, rc, &f.diag));
    pid_t pid = hx_target_pid(f.t);
    CU_ASSERT(pid > 0);
    CU_ASSERT(hx_target_ready_ms(f.t) >= 250 && hx_target_ready_ms(f.t) < 3000);
    CU_ASSERT(hx_target_port(f.t) > 0);
    CU_ASSERT_STRING_EQUAL(hx_target_host(f.t), "127.0.0.1");
    CU_ASSERT_STRING_EQUAL(hx_target_path(f.t), "/socket.io/");
    CU_ASSERT(strncmp(hx_target_base_url(f.t), "http://127.0.0.1:", 17) == 0);
    CU_ASSERT_EQUAL(hx_target_starts(f.t), 1);
    CU_ASSERT_EQUAL(hx_target_is_url(f.t), 0);
    CU_ASSERT_EQUAL(hx_target_check(f.t, NULL), HX_TARGET_OK);
    CU_ASSERT(tt_rc_is("probe", HX_TARGET_OK, hx_target_probe(f.t, 1000, &f.diag), &f.diag));
    CU_ASSERT(tt_rc_is("again", HX_TARGET_ERR_STATE, hx_target_start(f.t, &f.diag), &f.diag));
    struct hx_target_exit ex;
    CU_ASSERT_EQUAL(hx_target_stop(f.t, &ex), HX_TARGET_OK);
    CU_ASSERT_EQUAL(ex.by_stop, 1);
    CU_ASSERT_EQUAL(ex.state, HX_TARGET_SIGNALED);
    CU_ASSERT_EQUAL(ex.signo, SIGTERM);
    CU_ASSERT(tt_group_gone_within(pid, 1000));
    CU_ASSERT_EQUAL(hx_target_pid(f.t), 0);
    CU_ASSERT_EQUAL(hx_target_check(f.t, &ex), HX_TARGET_ERR_DIED);
    CU_ASSERT_EQUAL(hx_target_probe(f.t, 200, &f.diag), HX_TARGET_ERR_DIED);
    fx_del(&f);
}

static void test_target_life_not_a_handshake(void)
{
    struct fx f;
    fx_new(&f, "\"FAKE_STATUS\":\"404\",\"FAKE_BODY\":\"nope\"", 600, NULL);
    int64_t t0 = hx_proc_now_ms();
    int rc = hx_target_start(f.t, &f.diag);
    int64_t took = hx_proc_now_ms() - t0;
    CU_ASSERT(tt_rc_is("404", HX_TARGET_ERR_TIMEOUT, rc, &f.diag));
    CU_ASSERT(took >= 550 && took < 4000);
    CU_ASSERT(tt_contains("404", f.diag.msg, "not ready after 600 ms"));
    CU_ASSERT(tt_contains("404", f.diag.msg, "answered HTTP 404: nope"));
    CU_ASSERT_EQUAL(hx_target_pid(f.t), 0); /* stopped, nothing left behind */
    CU_ASSERT_EQUAL(hx_target_starts(f.t), 0);
    fx_del(&f);
}

static void test_target_life_never_listens(void)
{
    struct fx f;
    fx_new(&f, "\"FAKE_DELAY_MS\":\"100000\",\"FAKE_SAY\":\"still booting\"", 400, NULL);
    int rc = hx_target_start(f.t, &f.diag);
    CU_ASSERT(tt_rc_is("silent", HX_TARGET_ERR_TIMEOUT, rc, &f.diag));
    CU_ASSERT(tt_contains("silent", f.diag.msg, "Connection refused"));
    CU_ASSERT(tt_contains("silent", f.diag.msg, "still booting"));
    fx_del(&f);
}

static void test_target_life_dies_during_startup(void)
{
    struct fx f;
    fx_new(&f, "\"FAKE_EXIT_AFTER_MS\":\"0\",\"FAKE_SAY\":\"boom: bad config\"", 0, NULL);
    int64_t t0 = hx_proc_now_ms();
    int rc = hx_target_start(f.t, &f.diag);
    CU_ASSERT(tt_rc_is("dies", HX_TARGET_ERR_DIED, rc, &f.diag));
    CU_ASSERT(hx_proc_now_ms() - t0 < 2000); /* not the 5 s deadline */
    CU_ASSERT(tt_contains("dies", f.diag.msg, "fake: exited with code 7 during start-up"));
    CU_ASSERT(tt_contains("dies", f.diag.msg, "boom: bad config"));
    fx_del(&f);
}

static void test_target_life_spawn_error(void)
{
    static const char json[] =
        "{\"name\":\"ghost\",\"implementation\":\"x\",\"version\":\"1\","
        "\"install\":{\"kind\":\"none\"},\"start\":{\"argv\":[\"siospec-ghost-cmd\"]},"
        "\"protocols\":{\"eio\":[4]},\"path\":\"/engine.io/\"}";
    struct hx_target_desc *d = NULL;
    struct hx_target *t = NULL;
    struct hx_target_diag diag = {{0}};
    CU_ASSERT_FATAL(hx_target_desc_parse(&d, json, strlen(json), "/tmp", &diag) == HX_TARGET_OK);
    CU_ASSERT_FATAL(hx_target_new(&t, d, NULL, &diag) == HX_TARGET_OK);
    CU_ASSERT(tt_rc_is("ghost", HX_TARGET_ERR_SPAWN, hx_target_start(t, &diag), &diag));
    CU_ASSERT(tt_contains("ghost", diag.msg, "'siospec-ghost-cmd' not found in PATH"));
    hx_target_del(t);
    hx_target_desc_del(d);
    CU_ASSERT_EQUAL(hx_target_new(&t, NULL, NULL, &diag), HX_TARGET_ERR_INVALID_ARG);
}

/* Polls hx_target_check until it reports death, bounded. */
static int died_within(struct hx_target *t, struct hx_target_exit *ex, int ms)
{
    int64_t deadline = hx_proc_now_ms() + ms;
    while (hx_target_check(t, ex) == HX_TARGET_OK) {
        if (hx_proc_now_ms() >= deadline)
            return 0;
        hx_proc_sleep_ms(5);
    }
    return 1;
}

static void test_target_life_death_and_restart(void)
{
    struct fx f;
    struct hx_target_exit ex;
    fx_new(&f, "", 0, NULL);
    CU_ASSERT_FATAL(tt_rc_is("start", HX_TARGET_OK, hx_target_start(f.t, &f.diag), &f.diag));
    pid_t old = hx_target_pid(f.t);
    unsigned old_port = hx_target_port(f.t);
    CU_ASSERT_FATAL(kill(old, SIGKILL) == 0); /* a crash between two cases */
    CU_ASSERT_FATAL(died_within(f.t, &ex, 2000));
    CU_ASSERT_EQUAL(ex.state, HX_TARGET_SIGNALED);
    CU_ASSERT_EQUAL(ex.signo, SIGKILL);
    CU_ASSERT_EQUAL(ex.by_stop, 0);
    CU_ASSERT(tt_rc_is("restart", HX_TARGET_OK, hx_target_restart(f.t, &f.diag), &f.diag));
    CU_ASSERT(hx_target_pid(f.t) > 0 && hx_target_pid(f.t) != old);
    CU_ASSERT_EQUAL(hx_target_starts(f.t), 2);
    CU_ASSERT(tt_rc_is("probe", HX_TARGET_OK, hx_target_probe(f.t, 1000, &f.diag), &f.diag));
    /* Restarting a live target stops it first. */
    pid_t second = hx_target_pid(f.t);
    CU_ASSERT(tt_rc_is("restart 2", HX_TARGET_OK, hx_target_restart(f.t, &f.diag), &f.diag));
    CU_ASSERT(tt_group_gone_within(second, 1000));
    CU_ASSERT_EQUAL(hx_target_starts(f.t), 3);
    (void)old_port;
    fx_del(&f);
}

static void test_target_life_stop_escalates(void)
{
    struct fx f;
    struct hx_target_opts o = {.stop_grace_ms = 300};
    struct hx_target_exit ex;
    fx_new(&f, "\"FAKE_IGNORE_TERM\":\"1\"", 0, &o);
    CU_ASSERT_FATAL(tt_rc_is("start", HX_TARGET_OK, hx_target_start(f.t, &f.diag), &f.diag));
    pid_t pid = hx_target_pid(f.t);
    int64_t t0 = hx_proc_now_ms();
    hx_target_stop(f.t, &ex);
    CU_ASSERT(hx_proc_now_ms() - t0 < 3000);
    CU_ASSERT_EQUAL(ex.forced, 1);
    CU_ASSERT_EQUAL(ex.signo, SIGKILL);
    CU_ASSERT(tt_group_gone_within(pid, 1000));
    fx_del(&f);
}

static void test_target_life_output(void)
{
    char log_path[] = "/tmp/siospec-life-log-XXXXXX";
    int fd = mkstemp(log_path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    struct hx_target_opts o = {.log_path = log_path};
    struct fx f;
    char buf[512];
    uint64_t pos = 0;
    fx_new(&f, "\"FAKE_SAY\":\"hello from fake\"", 0, &o);
    CU_ASSERT_FATAL(tt_rc_is("start", HX_TARGET_OK, hx_target_start(f.t, &f.diag), &f.diag));
    hx_target_output(f.t, &pos, buf, sizeof buf);
    CU_ASSERT(tt_contains("output", buf, "hello from fake"));
    CU_ASSERT(tt_contains("output", buf, "fake ready on port"));
    CU_ASSERT_EQUAL(hx_target_output(f.t, &pos, buf, sizeof buf), 0); /* cursor moved on */
    hx_target_stop(f.t, NULL);
    FILE *lf = fopen(log_path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(lf);
    size_t n = fread(buf, 1, sizeof buf - 1, lf);
    buf[n] = '\0';
    fclose(lf);
    CU_ASSERT(tt_contains("log file", buf, "hello from fake"));
    unlink(log_path);
    fx_del(&f);
}

static void test_target_life_url_mode(void)
{
    struct fx f;
    struct hx_target *u = NULL;
    struct hx_target_exit ex;
    char url[400];
    fx_new(&f, "", 0, NULL);
    CU_ASSERT_FATAL(tt_rc_is("start", HX_TARGET_OK, hx_target_start(f.t, &f.diag), &f.diag));
    snprintf(url, sizeof url, "%s/socket.io/", hx_target_base_url(f.t));
    int rc = hx_target_new_url(&u, url, NULL, NULL, &f.diag);
    CU_ASSERT_FATAL(tt_rc_is("url", HX_TARGET_OK, rc, &f.diag));
    CU_ASSERT_EQUAL(hx_target_is_url(u), 1);
    CU_ASSERT_EQUAL(hx_target_check(u, NULL), HX_TARGET_ERR_DIED); /* not started */
    CU_ASSERT(tt_rc_is("url start", HX_TARGET_OK, hx_target_start(u, &f.diag), &f.diag));
    CU_ASSERT_EQUAL(hx_target_check(u, &ex), HX_TARGET_OK);
    CU_ASSERT_EQUAL(ex.state, HX_TARGET_RUNNING);
    CU_ASSERT_EQUAL(hx_target_pid(u), 0);
    CU_ASSERT_EQUAL(hx_target_port(u), hx_target_port(f.t));
    CU_ASSERT(tt_rc_is("url probe", HX_TARGET_OK, hx_target_probe(u, 1000, &f.diag), &f.diag));
    CU_ASSERT(tt_rc_is("url restart", HX_TARGET_OK, hx_target_restart(u, &f.diag), &f.diag));
    hx_target_del(u); /* stops nothing: the server is not ours */
    CU_ASSERT_EQUAL(hx_target_check(f.t, NULL), HX_TARGET_OK);
    fx_del(&f);
    CU_ASSERT_EQUAL(hx_target_new_url(&u, "ftp://x:1/", NULL, NULL, &f.diag), HX_TARGET_ERR_URL);
    CU_ASSERT_PTR_NULL(u);
}

static void test_target_life_url_unreachable(void)
{
    unsigned port = 0;
    char url[64];
    struct hx_target *u = NULL;
    struct hx_target_diag diag = {{0}};
    struct hx_target_opts o = {.ready_timeout_ms = 300};
    CU_ASSERT_FATAL(hx_proc_port_pick("127.0.0.1", &port, &diag) == HX_TARGET_OK);
    snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
    CU_ASSERT_FATAL(hx_target_new_url(&u, url, NULL, &o, &diag) == HX_TARGET_OK);
    CU_ASSERT_STRING_EQUAL(hx_target_path(u), "/socket.io/");
    CU_ASSERT(tt_rc_is("unreachable", HX_TARGET_ERR_TIMEOUT, hx_target_start(u, &diag), &diag));
    CU_ASSERT(tt_contains("unreachable", diag.msg, "not ready after 300 ms"));
    CU_ASSERT_EQUAL(hx_target_check(u, NULL), HX_TARGET_ERR_DIED);
    hx_target_del(u);
}

static void test_target_life_stop_all(void)
{
    struct fx a, b;
    struct hx_target_exit ex;
    fx_new(&a, "", 0, NULL);
    fx_new(&b, "", 0, NULL);
    CU_ASSERT_FATAL(hx_target_start(a.t, &a.diag) == HX_TARGET_OK);
    CU_ASSERT_FATAL(hx_target_start(b.t, &b.diag) == HX_TARGET_OK);
    pid_t pa = hx_target_pid(a.t), pb = hx_target_pid(b.t);
    CU_ASSERT(hx_target_port(a.t) != hx_target_port(b.t));
    hx_target_stop_all();
    CU_ASSERT(tt_group_gone_within(pa, 1000));
    CU_ASSERT(tt_group_gone_within(pb, 1000));
    CU_ASSERT_EQUAL(hx_target_check(a.t, &ex), HX_TARGET_ERR_DIED);
    CU_ASSERT_EQUAL(ex.by_stop, 1);
    CU_ASSERT_EQUAL(hx_target_check(b.t, NULL), HX_TARGET_ERR_DIED);
    fx_del(&a);
    fx_del(&b);
}

/* In a forked copy of this program: start a target, report its pid, wait
 * for SIGTERM (the cleanup handler must end the target and re-raise). */
static void cleanup_child(int wfd)
{
    struct hx_target_desc *d = tt_fake_desc("", 0);
    struct hx_target *t = NULL;
    struct hx_target_diag diag;
    if (hx_target_install_cleanup() != HX_TARGET_OK || hx_target_new(&t, d, NULL, &diag) != 0 ||
        hx_target_start(t, &diag) != HX_TARGET_OK)
        _exit(50);
    pid_t pid = hx_target_pid(t);
    if (write(wfd, &pid, sizeof pid) != (ssize_t)sizeof pid)
        _exit(51);
    for (int i = 0; i < 500; i++) /* bounded: 5 s */
        hx_proc_sleep_ms(10);
    _exit(52);
}

static void test_target_life_ctrl_c_cleanup(void)
{
    int pfd[2];
    CU_ASSERT_FATAL(pipe(pfd) == 0);
    pid_t child = fork();
    CU_ASSERT_FATAL(child >= 0);
    if (child == 0) {
        close(pfd[0]);
        cleanup_child(pfd[1]);
    }
    close(pfd[1]);
    pid_t target = 0;
    ssize_t r = read(pfd[0], &target, sizeof target);
    close(pfd[0]);
    CU_ASSERT(r == (ssize_t)sizeof target && target > 0);
    CU_ASSERT(target <= 0 || kill(target, 0) == 0);
    kill(child, SIGINT);
    int st = 0;
    CU_ASSERT_EQUAL(waitpid(child, &st, 0), child);
    CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT); /* default action re-raised */
    if (target > 0)
        CU_ASSERT(tt_group_gone_within(target, 2000));
}

CU_TestInfo test_target_life_tests[] = {
    {"test_target_life_start_probe_stop", test_target_life_start_probe_stop},
    {"test_target_life_not_a_handshake", test_target_life_not_a_handshake},
    {"test_target_life_never_listens", test_target_life_never_listens},
    {"test_target_life_dies_during_startup", test_target_life_dies_during_startup},
    {"test_target_life_spawn_error", test_target_life_spawn_error},
    {"test_target_life_death_and_restart", test_target_life_death_and_restart},
    {"test_target_life_stop_escalates", test_target_life_stop_escalates},
    {"test_target_life_output", test_target_life_output},
    {"test_target_life_url_mode", test_target_life_url_mode},
    {"test_target_life_url_unreachable", test_target_life_url_unreachable},
    {"test_target_life_stop_all", test_target_life_stop_all},
    {"test_target_life_ctrl_c_cleanup", test_target_life_ctrl_c_cleanup},
    CU_TEST_INFO_NULL,
};
