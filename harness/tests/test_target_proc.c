/*
 * test_target_proc.c - child processes and output capture (hx_proc.c,
 * hx_capture.c): process groups, exit code and signal detection, SIGKILL
 * escalation, no stray grandchildren, exec errors, environment, and the
 * bounded output ring. Each child is a /bin/sh one-liner; every wait is
 * bounded (a few seconds at most).
 */
#define _POSIX_C_SOURCE 200809L

#include "test_target.h"
#include "hx_proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct child {
    struct hx_proc p;
    struct hx_capture cap;
};

/* Spawns "/bin/sh -c |script|" with |env| (NULL-terminated, may be NULL). */
static int spawn_sh(struct child *c, const char *script, const char *const *env, size_t cap,
                    struct hx_target_diag *diag)
{
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    CU_ASSERT_FATAL(hx_capture_open(&c->cap, NULL, cap ? cap : 4096, diag) == HX_TARGET_OK);
    struct hx_proc_spec spec = {argv, NULL, env, c->cap.fd};
    return hx_proc_spawn(&c->p, &spec, diag);
}

/* Polls until the child ends; returns 1 if it did within |ms|. */
static int ended_within(struct child *c, int ms)
{
    int64_t deadline = hx_proc_now_ms() + ms;
    while (hx_proc_poll(&c->p)) {
        if (hx_proc_now_ms() >= deadline)
            return 0;
        hx_proc_sleep_ms(5);
    }
    return 1;
}

static void finish(struct child *c)
{
    hx_proc_stop(&c->p, 500);
    hx_capture_close(&c->cap);
}

static void output_of(struct child *c, char *buf, size_t cap)
{
    uint64_t pos = 0;
    hx_capture_pump(&c->cap);
    hx_capture_read(&c->cap, &pos, buf, cap);
}

static void test_target_proc_stop_sigterm(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    CU_ASSERT_FATAL(
        tt_rc_is("spawn", HX_TARGET_OK, spawn_sh(&c, "exec sleep 30", NULL, 0, &diag), &diag));
    pid_t pid = c.p.pid;
    CU_ASSERT_EQUAL(hx_proc_poll(&c.p), 1);
    CU_ASSERT_EQUAL(getpgid(pid), pid); /* leader of its own group */
    CU_ASSERT_EQUAL(getsid(pid), pid);  /* and session: no terminal signals */
    int64_t t0 = hx_proc_now_ms();
    hx_proc_stop(&c.p, 2000);
    CU_ASSERT(hx_proc_now_ms() - t0 < 1500);
    CU_ASSERT_EQUAL(c.p.exit.state, HX_TARGET_SIGNALED);
    CU_ASSERT_EQUAL(c.p.exit.signo, SIGTERM);
    CU_ASSERT_EQUAL(c.p.exit.by_stop, 1);
    CU_ASSERT_EQUAL(c.p.exit.forced, 0);
    CU_ASSERT_EQUAL(kill(-pid, 0), -1);
    CU_ASSERT_EQUAL(hx_proc_poll(&c.p), 0);
    finish(&c);
}

static void test_target_proc_exit_code_and_output(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    char out[256];
    int rc = spawn_sh(&c, "echo out-line; echo err-line >&2; exit 3", NULL, 0, &diag);
    CU_ASSERT_FATAL(tt_rc_is("spawn", HX_TARGET_OK, rc, &diag));
    CU_ASSERT_FATAL(ended_within(&c, 3000));
    CU_ASSERT_EQUAL(c.p.exit.state, HX_TARGET_EXITED);
    CU_ASSERT_EQUAL(c.p.exit.code, 3);
    CU_ASSERT_EQUAL(c.p.exit.by_stop, 0);
    output_of(&c, out, sizeof out);
    CU_ASSERT(tt_contains("stdout", out, "out-line"));
    CU_ASSERT(tt_contains("stderr", out, "err-line"));
    hx_target_exit_describe(&c.p.exit, out, sizeof out);
    CU_ASSERT_STRING_EQUAL(out, "exited with code 3");
    finish(&c);
}

static void test_target_proc_death_by_signal(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    char text[128];
    CU_ASSERT_FATAL(spawn_sh(&c, "kill -USR1 $$; sleep 5", NULL, 0, &diag) == HX_TARGET_OK);
    CU_ASSERT_FATAL(ended_within(&c, 3000));
    CU_ASSERT_EQUAL(c.p.exit.state, HX_TARGET_SIGNALED);
    CU_ASSERT_EQUAL(c.p.exit.signo, SIGUSR1);
    hx_target_exit_describe(&c.p.exit, text, sizeof text);
    CU_ASSERT(tt_contains("describe", text, "killed by signal 10"));
    finish(&c);
}

static void test_target_proc_sigkill_after_grace(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    /* SIG_IGN survives exec, so sleep itself ignores SIGTERM. */
    CU_ASSERT_FATAL(spawn_sh(&c, "trap '' TERM; exec sleep 30", NULL, 0, &diag) == HX_TARGET_OK);
    pid_t pid = c.p.pid;
    hx_proc_sleep_ms(50); /* let the shell install the trap before we signal */
    int64_t t0 = hx_proc_now_ms();
    hx_proc_stop(&c.p, 300);
    int64_t took = hx_proc_now_ms() - t0;
    CU_ASSERT(took >= 280 && took < 3000);
    CU_ASSERT_EQUAL(c.p.exit.state, HX_TARGET_SIGNALED);
    CU_ASSERT_EQUAL(c.p.exit.signo, SIGKILL);
    CU_ASSERT_EQUAL(c.p.exit.forced, 1);
    CU_ASSERT(tt_group_gone_within(pid, 1000));
    finish(&c);
}

/* Reads the first number the child printed (a grandchild's pid). */
static pid_t printed_pid(struct child *c)
{
    char out[64];
    int64_t deadline = hx_proc_now_ms() + 3000;
    do {
        output_of(c, out, sizeof out);
        if (strchr(out, '\n'))
            return (pid_t)strtol(out, NULL, 10);
        hx_proc_sleep_ms(5);
    } while (hx_proc_now_ms() < deadline);
    return 0;
}

static void test_target_proc_no_stray_on_stop(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    int rc = spawn_sh(&c, "sleep 30 & echo $!; exec sleep 31", NULL, 0, &diag);
    CU_ASSERT_FATAL(rc == HX_TARGET_OK);
    pid_t leader = c.p.pid, grandchild = printed_pid(&c);
    CU_ASSERT_FATAL(grandchild > 0);
    CU_ASSERT_EQUAL(getpgid(grandchild), leader);
    hx_proc_stop(&c.p, 2000);
    CU_ASSERT(tt_group_gone_within(leader, 1000));
    CU_ASSERT(kill(grandchild, 0) == -1 && errno == ESRCH);
    finish(&c);
}

static void test_target_proc_no_stray_after_crash(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    CU_ASSERT_FATAL(spawn_sh(&c, "sleep 30 & echo $!; sleep 0.1; exit 9", NULL, 0, &diag) ==
                    HX_TARGET_OK);
    pid_t leader = c.p.pid, grandchild = printed_pid(&c);
    CU_ASSERT_FATAL(grandchild > 0);
    CU_ASSERT_FATAL(ended_within(&c, 3000)); /* the poll that sees the exit cleans up */
    CU_ASSERT_EQUAL(c.p.exit.code, 9);
    CU_ASSERT(tt_group_gone_within(leader, 1000));
    CU_ASSERT(kill(grandchild, 0) == -1 && errno == ESRCH);
    finish(&c);
}

static void test_target_proc_spawn_errors(void)
{
    struct hx_proc p;
    struct hx_target_diag diag = {{0}};
    const char *missing[] = {"siospec-no-such-command-4711", NULL};
    struct hx_proc_spec spec = {missing, NULL, NULL, 1};
    CU_ASSERT(tt_rc_is("missing", HX_TARGET_ERR_SPAWN, hx_proc_spawn(&p, &spec, &diag), &diag));
    CU_ASSERT(tt_contains("missing", diag.msg, "'siospec-no-such-command-4711' not found"));

    const char *not_exec[] = {"/etc/passwd", NULL};
    spec.argv = not_exec;
    CU_ASSERT(tt_rc_is("noexec", HX_TARGET_ERR_SPAWN, hx_proc_spawn(&p, &spec, &diag), &diag));
    CU_ASSERT(tt_contains("noexec", diag.msg, "exec /etc/passwd: Permission denied"));

    const char *sh[] = {"sh", "-c", "true", NULL};
    spec.argv = sh;
    spec.cwd = "/nonexistent/siospec";
    CU_ASSERT(tt_rc_is("cwd", HX_TARGET_ERR_SPAWN, hx_proc_spawn(&p, &spec, &diag), &diag));
    CU_ASSERT(tt_contains("cwd", diag.msg, "working directory /nonexistent/siospec"));

    spec.argv = NULL;
    CU_ASSERT_EQUAL(hx_proc_spawn(&p, &spec, &diag), HX_TARGET_ERR_INVALID_ARG);
}

static void test_target_proc_env_and_cwd(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    char out[256];
    const char *env[] = {"SIOSPEC_T=42", "HOME=/siospec-home", NULL};
    const char *argv[] = {"sh", "-c", "echo v=$SIOSPEC_T h=$HOME p=$(pwd)", NULL};
    CU_ASSERT_FATAL(hx_capture_open(&c.cap, NULL, 4096, &diag) == HX_TARGET_OK);
    struct hx_proc_spec spec = {argv, "/tmp", env, c.cap.fd};
    CU_ASSERT_FATAL(tt_rc_is("spawn", HX_TARGET_OK, hx_proc_spawn(&c.p, &spec, &diag), &diag));
    CU_ASSERT_FATAL(ended_within(&c, 3000));
    output_of(&c, out, sizeof out);
    CU_ASSERT(tt_contains("env", out, "v=42 h=/siospec-home p=/tmp"));
    finish(&c);
}

static void test_target_proc_ring_keeps_tail(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    char out[256];
    /* 1000 bytes then END into a 64-byte ring. */
    int rc = spawn_sh(&c,
                      "i=0; while [ $i -lt 100 ]; do printf 0123456789; i=$((i+1)); done; "
                      "printf END",
                      NULL, 64, &diag);
    CU_ASSERT_FATAL(rc == HX_TARGET_OK);
    CU_ASSERT_FATAL(ended_within(&c, 3000));
    uint64_t pos = 0;
    hx_capture_pump(&c.cap);
    CU_ASSERT_EQUAL(c.cap.total, 1003);
    size_t n = hx_capture_read(&c.cap, &pos, out, sizeof out);
    CU_ASSERT_EQUAL(n, 64);
    CU_ASSERT_EQUAL(pos, 1003);
    CU_ASSERT(n >= 3 && memcmp(out + n - 3, "END", 3) == 0);
    CU_ASSERT_EQUAL(hx_capture_read(&c.cap, &pos, out, sizeof out), 0); /* nothing new */
    pos = 1000;
    CU_ASSERT_EQUAL(hx_capture_read(&c.cap, &pos, out, 3), 2); /* cap-1 bytes + NUL */
    CU_ASSERT_STRING_EQUAL(out, "EN");
    CU_ASSERT_EQUAL(pos, 1002);
    finish(&c);
}

static void test_target_proc_output_never_blocks(void)
{
    struct child c;
    struct hx_target_diag diag = {{0}};
    char out[64];
    /* 2 MiB written while nobody reads: a pipe would block the child. */
    int rc = spawn_sh(&c, "head -c 2097152 /dev/zero | tr '\\0' x; echo; echo tail-ok; exit 5",
                      NULL, 32, &diag);
    CU_ASSERT_FATAL(rc == HX_TARGET_OK);
    CU_ASSERT_FATAL(ended_within(&c, 5000));
    CU_ASSERT_EQUAL(c.p.exit.code, 5);
    for (int i = 0; i < 8; i++) /* each pump reads at most 512 KiB */
        hx_capture_pump(&c.cap);
    CU_ASSERT_EQUAL(c.cap.total, 2097152 + 9);
    hx_capture_tail(&c.cap, out, sizeof out);
    CU_ASSERT(tt_contains("tail", out, "tail-ok"));
    finish(&c);
}

CU_TestInfo test_target_proc_tests[] = {
    {"test_target_proc_stop_sigterm", test_target_proc_stop_sigterm},
    {"test_target_proc_exit_code_and_output", test_target_proc_exit_code_and_output},
    {"test_target_proc_death_by_signal", test_target_proc_death_by_signal},
    {"test_target_proc_sigkill_after_grace", test_target_proc_sigkill_after_grace},
    {"test_target_proc_no_stray_on_stop", test_target_proc_no_stray_on_stop},
    {"test_target_proc_no_stray_after_crash", test_target_proc_no_stray_after_crash},
    {"test_target_proc_spawn_errors", test_target_proc_spawn_errors},
    {"test_target_proc_env_and_cwd", test_target_proc_env_and_cwd},
    {"test_target_proc_ring_keeps_tail", test_target_proc_ring_keeps_tail},
    {"test_target_proc_output_never_blocks", test_target_proc_output_never_blocks},
    CU_TEST_INFO_NULL,
};
