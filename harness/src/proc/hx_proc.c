/*
 * hx_proc.c - child processes of hx_target: spawn, watch, stop, and the
 * Ctrl-C cleanup registry.
 *
 * A target runs as the leader of its own session and process group (setsid)
 * so that one kill(-pgid) reaches every process it forks (node workers, a
 * shell's children), and so that the terminal's Ctrl-C reaches siospec only:
 * siospec then stops its targets itself. Exec failures travel back through a
 * close-on-exec pipe, so "command not found" is an immediate, clear error
 * rather than a child that exits with 127.
 *
 * On Linux the child asks for SIGKILL when siospec dies (PR_SET_PDEATHSIG)
 * and siospec becomes a child subreaper, so a target's grandchildren are
 * re-parented to us and reaped by waitpid(-pgid) instead of lingering as
 * zombies (on machines whose init does not reap, kill(-pgid, 0) would
 * otherwise never report the group empty).
 *
 * Global state: the registry below (process group ids and their owners) is
 * the only mutable global. The signal handler reads it; everything else
 * runs in normal context. It holds at most HX_TARGET_MAX_LIVE groups.
 */
#define _POSIX_C_SOURCE 200809L

#include "hx_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

extern char **environ;

int64_t hx_proc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hx_proc_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

int hx_diag_set(struct hx_target_diag *d, int err, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
        va_end(ap);
    }
    return err;
}

/* ---- spawning --------------------------------------------------------- */

/* Length of the "KEY=" prefix of |kv|, or 0 when it has no '='. */
static size_t env_key_len(const char *kv)
{
    const char *eq = strchr(kv, '=');
    return eq ? (size_t)(eq - kv) + 1 : 0;
}

static int env_overridden(const char *kv, const char *const *over)
{
    size_t k = env_key_len(kv);
    for (size_t i = 0; over && over[i]; i++) {
        if (k && env_key_len(over[i]) == k && memcmp(kv, over[i], k) == 0)
            return 1;
    }
    return 0;
}

/* environ with |over| replacing or adding entries; pointers are borrowed. */
static char **env_merge(const char *const *over)
{
    size_t n = 0, m = 0, j = 0;
    while (environ && environ[n])
        n++;
    while (over && over[m])
        m++;
    char **out = calloc(n + m + 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!env_overridden(environ[i], over))
            out[j++] = environ[i];
    }
    for (size_t i = 0; i < m; i++)
        out[j++] = (char *)over[i];
    return out;
}

static const char *env_lookup(char *const *env, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; env[i]; i++) {
        if (strncmp(env[i], key, k) == 0 && env[i][k] == '=')
            return env[i] + k + 1;
    }
    return NULL;
}

/* Resolves |name| like execvp would, with PATH from |env|. Returns a new
 * string or NULL (errno ENOENT when not found, ENOMEM). */
static char *resolve_command(const char *name, char *const *env)
{
    if (strchr(name, '/'))
        return strdup(name);
    const char *path = env_lookup(env, "PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    size_t nl = strlen(name);
    while (*path) {
        size_t dl = strcspn(path, ":");
        char *cand = malloc(dl + nl + 3);
        if (!cand)
            return NULL;
        snprintf(cand, dl + nl + 3, "%.*s/%s", (int)(dl ? dl : 1), dl ? path : ".", name);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
            return cand;
        free(cand);
        path += dl + (path[dl] == ':');
    }
    errno = ENOENT;
    return NULL;
}

static void child_reset_signals(void)
{
    static const int sigs[] = {SIGPIPE, SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,
                               SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Reports |stage| and errno to the parent through |fd|, then exits. */
static void child_fail(int fd, int stage)
{
    int msg[2] = {stage, errno};
    ssize_t w = write(fd, msg, sizeof msg);
    (void)w;
    _exit(127);
}

enum { STAGE_SETSID = 1, STAGE_DUP = 2, STAGE_CHDIR = 3, STAGE_EXEC = 4 };

static void child_close_fds(int keep)
{
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < (int)max; fd++) {
        if (fd != keep)
            close(fd);
    }
}

struct child_plan {
    const char *exe;
    char *const *argv;
    char *const *envp;
    const char *cwd;
    int devnull, out_fd, err_pipe;
    pid_t parent;
};

/* Runs in the forked child: only async-signal-safe calls. */
static void child_exec(const struct child_plan *cp)
{
    if (setsid() < 0)
        child_fail(cp->err_pipe, STAGE_SETSID);
#if defined(__linux__)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != cp->parent)
        _exit(127);
#endif
    if (dup2(cp->devnull, 0) < 0 || dup2(cp->out_fd, 1) < 0 || dup2(cp->out_fd, 2) < 0)
        child_fail(cp->err_pipe, STAGE_DUP);
    child_close_fds(cp->err_pipe);
    child_reset_signals();
    if (cp->cwd && chdir(cp->cwd) < 0)
        child_fail(cp->err_pipe, STAGE_CHDIR);
    execve(cp->exe, cp->argv, cp->envp);
    child_fail(cp->err_pipe, STAGE_EXEC);
}

static const char *stage_name(int stage)
{
    switch (stage) {
    case STAGE_SETSID:
        return "setsid";
    case STAGE_DUP:
        return "dup2";
    case STAGE_CHDIR:
        return "chdir";
    default:
        return "exec";
    }
}

static void become_subreaper(void)
{
#if defined(__linux__)
    static int done;
    if (!done && prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
        done = 1;
#endif
}

/* Waits for the child's verdict on the error pipe: 0 when exec succeeded. */
static int await_exec(struct hx_proc *p, int rfd, const struct child_plan *cp,
                      struct hx_target_diag *diag)
{
    int msg[2];
    ssize_t r;
    do {
        r = read(rfd, msg, sizeof msg);
    } while (r < 0 && errno == EINTR);
    if (r <= 0)
        return HX_TARGET_OK;
    int st;
    while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
    }
    p->pid = 0;
    return hx_diag_set(diag, HX_TARGET_ERR_SPAWN, "%s %s: %s", stage_name(msg[0]),
                       msg[0] == STAGE_CHDIR ? cp->cwd : cp->exe, strerror(msg[1]));
}

static int spawn_fork(struct hx_proc *p, struct child_plan *cp, struct hx_target_diag *diag)
{
    int pfd[2];
    if (pipe(pfd) < 0)
        return hx_diag_set(diag, HX_TARGET_ERR_SPAWN, "pipe: %s", strerror(errno));
    fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
    cp->err_pipe = pfd[1];
    cp->parent = getpid();
    become_subreaper();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(cp);
    int saved = errno;
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        return hx_diag_set(diag, HX_TARGET_ERR_SPAWN, "fork: %s", strerror(saved));
    }
    memset(p, 0, sizeof *p);
    p->pid = pid;
    int rc = await_exec(p, pfd[0], cp, diag);
    close(pfd[0]);
    if (rc == HX_TARGET_OK) {
        p->running = 1;
        p->exit.state = HX_TARGET_RUNNING;
    }
    return rc;
}

/* NULL when |path| is a directory, else why not. */
static const char *dir_problem(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return strerror(errno);
    return S_ISDIR(st.st_mode) ? NULL : "not a directory";
}

int hx_proc_spawn(struct hx_proc *p, const struct hx_proc_spec *spec, struct hx_target_diag *diag)
{
    if (!p || !spec || !spec->argv || !spec->argv[0])
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "spawn: no command");
    char **envp = env_merge(spec->env);
    if (!envp)
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "spawn: out of memory");
    int rc = HX_TARGET_OK;
    char *exe = resolve_command(spec->argv[0], envp);
    int devnull = open("/dev/null", O_RDONLY);
    const char *bad_dir = spec->cwd ? dir_problem(spec->cwd) : NULL;
    if (!exe)
        rc =
            hx_diag_set(diag, HX_TARGET_ERR_SPAWN, "command '%s' not found in PATH", spec->argv[0]);
    else if (bad_dir)
        rc = hx_diag_set(diag, HX_TARGET_ERR_SPAWN, "working directory %s: %s", spec->cwd, bad_dir);
    else if (devnull < 0)
        rc = hx_diag_set(diag, HX_TARGET_ERR_SPAWN, "/dev/null: %s", strerror(errno));
    if (rc == HX_TARGET_OK) {
        struct child_plan cp = {
            exe, (char *const *)spec->argv, envp, spec->cwd, devnull, spec->out_fd, -1, 0};
        rc = spawn_fork(p, &cp, diag);
    }
    if (devnull >= 0)
        close(devnull);
    free(exe);
    free(envp);
    return rc;
}

/* ---- watching and stopping ------------------------------------------- */

static void fill_exit(struct hx_proc *p, int st)
{
    p->running = 0;
    if (WIFSIGNALED(st)) {
        p->exit.state = HX_TARGET_SIGNALED;
        p->exit.signo = WTERMSIG(st);
    } else {
        p->exit.state = HX_TARGET_EXITED;
        p->exit.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
}

int hx_proc_group_alive(pid_t pgid)
{
    if (pgid <= 0)
        return 0;
    while (waitpid(-pgid, NULL, WNOHANG) > 0) {
    }
    return kill(-pgid, 0) == 0 || errno == EPERM;
}

/* Kills what is left of group |pgid| after its leader ended, bounded. */
static void reap_group(pid_t pgid)
{
    if (!hx_proc_group_alive(pgid))
        return;
    kill(-pgid, SIGKILL);
    int64_t deadline = hx_proc_now_ms() + 1000;
    while (hx_proc_group_alive(pgid) && hx_proc_now_ms() < deadline)
        hx_proc_sleep_ms(5);
}

int hx_proc_poll(struct hx_proc *p)
{
    if (!p->running)
        return 0;
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR))
        return 1;
    if (r < 0) /* ECHILD: someone else reaped it; report what we can */
        st = 0;
    fill_exit(p, st);
    reap_group(p->pid);
    hx_proc_registry_remove(p->pid);
    return 0;
}

/* Waits up to |ms| for the leader to end; returns 1 once it has been reaped. */
static int wait_leader(struct hx_proc *p, long ms, int *st)
{
    int64_t deadline = hx_proc_now_ms() + ms;
    for (;;) {
        pid_t r = waitpid(p->pid, st, WNOHANG);
        if (r == p->pid || (r < 0 && errno == ECHILD))
            return 1;
        if (hx_proc_now_ms() >= deadline)
            return 0;
        hx_proc_sleep_ms(5);
    }
}

void hx_proc_stop(struct hx_proc *p, int grace_ms)
{
    if (!p->running)
        return;
    int st = 0;
    kill(-p->pid, SIGTERM);
    int done = wait_leader(p, grace_ms, &st);
    if (!done) {
        kill(-p->pid, SIGKILL);
        p->exit.forced = 1;
        done = wait_leader(p, 5000, &st);
    }
    fill_exit(p, st);
    p->exit.by_stop = 1;
    /* Members still shutting down after SIGTERM get the rest of the grace. */
    int64_t deadline = hx_proc_now_ms() + grace_ms;
    while (hx_proc_group_alive(p->pid) && hx_proc_now_ms() < deadline)
        hx_proc_sleep_ms(5);
    reap_group(p->pid);
    hx_proc_registry_remove(p->pid);
}

/* ---- Ctrl-C registry ------------------------------------------------- */

static volatile sig_atomic_t reg_pgid[HX_TARGET_MAX_LIVE];
static void *reg_owner[HX_TARGET_MAX_LIVE];

int hx_proc_registry_add(pid_t pgid, void *owner)
{
    for (size_t i = 0; i < HX_TARGET_MAX_LIVE; i++) {
        if (reg_pgid[i] == 0) {
            reg_owner[i] = owner;
            reg_pgid[i] = (sig_atomic_t)pgid;
            return HX_TARGET_OK;
        }
    }
    return HX_TARGET_ERR_STATE;
}

void hx_proc_registry_remove(pid_t pgid)
{
    for (size_t i = 0; i < HX_TARGET_MAX_LIVE; i++) {
        if (reg_pgid[i] == (sig_atomic_t)pgid) {
            reg_pgid[i] = 0;
            reg_owner[i] = NULL;
        }
    }
}

void hx_proc_registry_each(void (*fn)(void *owner))
{
    for (size_t i = 0; i < HX_TARGET_MAX_LIVE; i++) {
        if (reg_pgid[i] != 0 && reg_owner[i])
            fn(reg_owner[i]);
    }
}

static int registry_any_alive(void)
{
    int any = 0;
    for (size_t i = 0; i < HX_TARGET_MAX_LIVE; i++) {
        pid_t pg = (pid_t)reg_pgid[i];
        if (pg <= 0)
            continue;
        while (waitpid(-pg, NULL, WNOHANG) > 0) {
        }
        if (kill(-pg, 0) == 0)
            any = 1;
    }
    return any;
}

static void registry_signal_all(int sig)
{
    for (size_t i = 0; i < HX_TARGET_MAX_LIVE; i++) {
        if (reg_pgid[i] > 0)
            kill(-(pid_t)reg_pgid[i], sig);
    }
}

/* Async-signal-safe: kill, waitpid, nanosleep, sigaction, raise. */
static void on_fatal_signal(int sig)
{
    int saved = errno;
    registry_signal_all(SIGTERM);
    for (int i = 0; i < 100 && registry_any_alive(); i++) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    registry_signal_all(SIGKILL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    raise(sig);
    errno = saved;
}

int hx_proc_install_signal_cleanup(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (sigaction(sigs[i], &sa, NULL) != 0)
            return HX_TARGET_ERR_STATE;
    }
    return HX_TARGET_OK;
}
