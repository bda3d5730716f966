/*
 * hx_target.h - the servers under test: their description files and the
 * processes that run them.
 *
 * A target description (harness/targets/<name>.json, format in
 * harness/targets/README.md) says what a server is, how to start it, which
 * protocol revisions and optional profiles it serves, and which known
 * deviations it has. hx_target_desc_load() parses and validates one.
 *
 * A struct hx_target runs one description:
 *  - process mode (hx_target_new): picks a free port on 127.0.0.1 (bind to
 *    port 0), spawns the command in its own session and process group with
 *    PORT and HOST in its environment, captures stdout+stderr, and waits
 *    until a polling handshake on the target's path answers 200 with an
 *    open packet. Between cases the runner calls hx_target_check() to learn
 *    whether the process died (exit code or signal), hx_target_restart()
 *    to get a fresh one, and hx_target_stop() at the end: SIGTERM to the
 *    group, SIGKILL after a grace period, every member reaped.
 *  - url mode (hx_target_new_url): a server the user started. Same API, no
 *    process: start/restart wait until it answers, stop does nothing.
 *
 * Output capture: the child's stdout and stderr go to one file (a private,
 * already unlinked temp file unless opts.log_path names one). A file never
 * blocks the server, whatever it prints while siospec is busy. Each API call
 * copies new bytes into a bounded ring (opts.log_cap, the newest bytes win);
 * a private file is truncated once it has been read past 1 MiB.
 *
 * Global state: the only mutable globals are the registry of running
 * process groups (at most HX_TARGET_MAX_LIVE) used by hx_target_stop_all()
 * and by the SIGINT/SIGTERM/SIGHUP handler that hx_target_install_cleanup()
 * installs; and, on Linux, the process becomes a child subreaper on the
 * first spawn so that grandchildren of a target are reaped, not left as
 * zombies. No threads are used or required; the API is not thread-safe.
 * On Linux a target gets SIGKILL when the thread that started it ends
 * (PR_SET_PDEATHSIG), so start targets from the main thread or from one
 * that outlives them.
 *
 * Errors: functions returning int return HX_TARGET_OK (0) or a negative
 * enum hx_target_err; the optional struct hx_target_diag gets one line of
 * text saying what went wrong (file, field, command, last output).
 */
#ifndef HARNESS_HX_TARGET_H
#define HARNESS_HX_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Error codes of this module; stable, never renumbered. They live in their
 * own range so that they never collide with enum hx_status. */
enum hx_target_err {
    HX_TARGET_OK = 0,
    HX_TARGET_ERR_NOMEM = -100,       /* an allocation failed */
    HX_TARGET_ERR_INVALID_ARG = -101, /* API misuse */
    HX_TARGET_ERR_IO = -102,          /* a file could not be read */
    HX_TARGET_ERR_DESC = -103,        /* the description is invalid */
    HX_TARGET_ERR_SPAWN = -104,       /* fork, exec or setup of the child failed */
    HX_TARGET_ERR_TIMEOUT = -105,     /* not ready before the deadline */
    HX_TARGET_ERR_DIED = -106,        /* the server process is not running */
    HX_TARGET_ERR_PORT = -107,        /* no free port could be found */
    HX_TARGET_ERR_URL = -108,         /* a --url that cannot be used */
    HX_TARGET_ERR_STATE = -109,       /* the call does not fit the target's state */
    HX_TARGET_ERR_PROBE = -110,       /* the server answered, but not a handshake */
};

/* One line of explanation filled in on failure. */
struct hx_target_diag {
    char msg[512];
};

/* Optional server profiles (docs/testee-contract.md), as bits. */
enum hx_target_profile {
    HX_TARGET_PROFILE_EIO3 = 1u << 0,     /* also accepts EIO=3 clients */
    HX_TARGET_PROFILE_RECOVERY = 1u << 1, /* connection state recovery */
    HX_TARGET_PROFILE_COOKIE = 1u << 2,   /* the io cookie */
};

/* How a target is installed: by harness/targets/install.sh (npm folder) or
 * by scripts/install-deps.sh --servers (Debian packages). */
enum hx_target_install {
    HX_TARGET_INSTALL_NONE = 0,
    HX_TARGET_INSTALL_NPM = 1,
    HX_TARGET_INSTALL_APT = 2,
};

/* A known deviation of a target from the specs or the reference server. */
struct hx_target_deviation {
    char *id;     /* short stable slug, unique within the target */
    char *reason; /* why the server behaves so */
    char **cases; /* NULL-terminated case-id globs (fnmatch); may be empty */
    size_t ncases;
};

/* A parsed, validated description. All strings are NUL-terminated and owned
 * by the description; argv and env are NULL-terminated arrays. */
struct hx_target_desc {
    char *name;           /* [a-z0-9-]+, equal to the file stem by convention */
    char *summary;        /* one line for humans */
    char *implementation; /* e.g. "socket.io", "python-socketio" */
    char *version;        /* exact version of the implementation */
    char *runtime;        /* e.g. "node", "bun", "deno", "python3" */
    enum hx_target_install install;
    char *install_dir; /* NPM: folder relative to harness/targets */
    char **apt;        /* APT: NULL-terminated package names */
    size_t napt;
    char **argv; /* command; argv[0] searched in PATH if it has no '/' */
    size_t argc;
    char *cwd;  /* absolute once loaded from a file or given a base dir */
    char **env; /* "KEY=VALUE" added to the inherited environment */
    size_t nenv;
    unsigned eio;         /* bit (1u << v) for each Engine.IO revision v served */
    unsigned sio;         /* bit (1u << v) for each Socket.IO revision; 0: EIO only */
    char *path;           /* "/socket.io/" or "/engine.io/" */
    unsigned profiles;    /* enum hx_target_profile bits */
    int ready_timeout_ms; /* start-up budget; 5000 when the file has none */
    struct hx_target_deviation *devs;
    size_t ndevs;
};

/* Parses the description in |json| (|len| bytes, not NUL-terminated) and
 * resolves a relative start.cwd against |base_dir| (NULL: keep it as is).
 * Borrows |json| and |base_dir|. On success *|out| is a new description to
 * free with hx_target_desc_del().
 * Returns HX_TARGET_OK, HX_TARGET_ERR_DESC (|diag| names the field),
 * HX_TARGET_ERR_NOMEM or HX_TARGET_ERR_INVALID_ARG. */
int hx_target_desc_parse(struct hx_target_desc **out, const char *json, size_t len,
                         const char *base_dir, struct hx_target_diag *diag);

/* Reads and parses the description file |file|; a relative cwd is resolved
 * against the file's folder. Borrows |file|.
 * Returns as hx_target_desc_parse(), or HX_TARGET_ERR_IO. */
int hx_target_desc_load(struct hx_target_desc **out, const char *file, struct hx_target_diag *diag);

/* Frees |d| and everything it owns; NULL is a no-op. */
void hx_target_desc_del(struct hx_target_desc *d);

/* The first deviation of |d| whose case globs match |case_id|, or NULL. */
const struct hx_target_deviation *hx_target_desc_deviation(const struct hx_target_desc *d,
                                                           const char *case_id);

/* Name of one profile bit ("eio3", "recovery", "cookie"), or NULL. */
const char *hx_target_profile_name(unsigned bit);

/* Symbolic name of an enum hx_target_err ("ERR_DIED"); never NULL. */
const char *hx_target_err_name(int err);

/* Options for a running target; zero values mean the defaults. */
struct hx_target_opts {
    int ready_timeout_ms; /* 0: the description's (default 5000) */
    int stop_grace_ms;    /* SIGTERM to SIGKILL; 0: 2000 */
    size_t log_cap;       /* bytes of output kept in memory; 0: 64 KiB */
    const char *log_path; /* NULL: private temp file; else kept (appended) */
    const char *host;     /* bind and connect address; NULL: "127.0.0.1" */
    unsigned port;        /* 0: a free port picked at every start */
};

/* What became of a target's process. */
enum hx_target_state {
    HX_TARGET_IDLE = 0,     /* never started, or stopped and reaped */
    HX_TARGET_RUNNING = 1,  /* the process is alive (or url mode) */
    HX_TARGET_EXITED = 2,   /* exited by itself or after SIGTERM: see code */
    HX_TARGET_SIGNALED = 3, /* killed by a signal: see signo */
};

struct hx_target_exit {
    enum hx_target_state state;
    int code;    /* exit status when EXITED */
    int signo;   /* signal number when SIGNALED */
    int by_stop; /* 1 when hx_target_stop() ended it */
    int forced;  /* 1 when stop had to send SIGKILL */
};

struct hx_target;

/* Creates a process-mode target for |desc| (borrowed: it must outlive the
 * target) with |opts| (copied; NULL for defaults). Does not start it.
 * Returns HX_TARGET_OK, HX_TARGET_ERR_NOMEM, HX_TARGET_ERR_IO (log_path) or
 * HX_TARGET_ERR_INVALID_ARG. */
int hx_target_new(struct hx_target **out, const struct hx_target_desc *desc,
                  const struct hx_target_opts *opts, struct hx_target_diag *diag);

/* Creates a url-mode target for a server the user started, at |url| =
 * "http://HOST:PORT[/PATH/]". The path defaults to |desc|'s, or to
 * "/socket.io/" without a description (|desc| may be NULL; borrowed).
 * Returns HX_TARGET_OK, HX_TARGET_ERR_URL or HX_TARGET_ERR_NOMEM. */
int hx_target_new_url(struct hx_target **out, const char *url, const struct hx_target_desc *desc,
                      const struct hx_target_opts *opts, struct hx_target_diag *diag);

/* Starts the server and waits until it answers a polling handshake.
 * Returns HX_TARGET_OK; HX_TARGET_ERR_STATE if already running;
 * HX_TARGET_ERR_PORT; HX_TARGET_ERR_SPAWN (command not found, exec failed);
 * HX_TARGET_ERR_DIED (it exited during start-up; |diag| has the status and
 * the last output); HX_TARGET_ERR_TIMEOUT (not ready in time: the process
 * has been stopped). */
int hx_target_start(struct hx_target *t, struct hx_target_diag *diag);

/* Non-blocking: reaps the process if it ended and collects new output.
 * Fills |ex| (may be NULL). Returns HX_TARGET_OK while it runs (always in
 * url mode once started), HX_TARGET_ERR_DIED when it has ended (or never
 * started). */
int hx_target_check(struct hx_target *t, struct hx_target_exit *ex);

/* Liveness probe: one polling handshake within |timeout_ms|. Returns
 * HX_TARGET_OK, HX_TARGET_ERR_TIMEOUT, HX_TARGET_ERR_PROBE (wrong answer:
 * |diag| says what came back) or HX_TARGET_ERR_DIED (connection refused). */
int hx_target_probe(struct hx_target *t, int timeout_ms, struct hx_target_diag *diag);

/* Cheaper liveness check for a check after every request batch: one GET
 * with a session id no server issues; any HTTP answer (an error, as a
 * rule) within |timeout_ms| means the server answers. Returns as
 * hx_target_probe(). */
int hx_target_ping(struct hx_target *t, int timeout_ms, struct hx_target_diag *diag);

/* Stops the process if it runs, then starts again (a new port unless
 * opts.port is set). Returns as hx_target_start(). */
int hx_target_restart(struct hx_target *t, struct hx_target_diag *diag);

/* Stops the process group (SIGTERM, SIGKILL after the grace period) and
 * reaps it; a no-op when not running and in url mode. Fills |ex| (may be
 * NULL) with the final status. Returns HX_TARGET_OK. */
int hx_target_stop(struct hx_target *t, struct hx_target_exit *ex);

/* Stops (if needed) and frees |t|; NULL is a no-op. */
void hx_target_del(struct hx_target *t);

/* Copies output produced from byte |*pos| on (counted from the target's
 * creation, across restarts) into |buf| (at most |cap|-1 bytes, then a NUL),
 * advances *|pos| past what was copied (skipping bytes the ring no longer
 * holds) and returns the number of bytes copied. */
size_t hx_target_output(struct hx_target *t, uint64_t *pos, char *buf, size_t cap);

/* Accessors. host/path/base_url are owned by |t|; base_url is
 * "http://HOST:PORT". pid is 0 when no process runs. ready_ms is the last
 * start-to-ready time; starts counts successful starts. */
const char *hx_target_host(const struct hx_target *t);
unsigned hx_target_port(const struct hx_target *t);
const char *hx_target_path(const struct hx_target *t);
const char *hx_target_base_url(const struct hx_target *t);
pid_t hx_target_pid(const struct hx_target *t);
long hx_target_ready_ms(const struct hx_target *t);
unsigned hx_target_starts(const struct hx_target *t);
int hx_target_is_url(const struct hx_target *t);

/* Writes "exited with code 3", "killed by signal 11 (Segmentation fault)",
 * "running" or "not started" for |ex| into |buf| (NUL-terminated). */
void hx_target_exit_describe(const struct hx_target_exit *ex, char *buf, size_t cap);

/* Most process groups hx_target tracks at once; a start beyond it fails
 * with HX_TARGET_ERR_STATE. */
#define HX_TARGET_MAX_LIVE 32

/* Stops every running target (for atexit and error paths). */
void hx_target_stop_all(void);

/* Installs atexit(hx_target_stop_all) and handlers for SIGINT, SIGTERM and
 * SIGHUP that end every running target's process group (SIGTERM, up to 1 s,
 * then SIGKILL) and then re-raise the signal with its default action.
 * Idempotent. Returns HX_TARGET_OK or HX_TARGET_ERR_STATE if a handler
 * could not be installed. */
int hx_target_install_cleanup(void);

#endif
