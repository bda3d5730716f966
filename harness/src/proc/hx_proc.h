/*
 * hx_proc.h - private building blocks of hx_target: child processes,
 * output capture, free ports, the HTTP readiness probe and url parsing.
 *
 * Nothing here knows about description files. Everything is POSIX
 * (plus prctl on Linux); no threads, no libwebsockets, no codec.
 */
#ifndef HARNESS_SRC_PROC_HX_PROC_H
#define HARNESS_SRC_PROC_HX_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/hx_target.h"

/* Monotonic clock in milliseconds. */
int64_t hx_proc_now_ms(void);

/* Sleeps |ms| milliseconds (restarting after signals). */
void hx_proc_sleep_ms(long ms);

/* Formats into |d| (NULL allowed) like snprintf; always returns |err|. */
int hx_diag_set(struct hx_target_diag *d, int err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- output capture --------------------------------------------------- */

/* stdout+stderr of a child go to |fd| (O_APPEND); pump() copies what is new
 * into a ring that keeps the newest |cap| bytes. */
struct hx_capture {
    int fd;          /* child's output file, readable with pread */
    int private_tmp; /* 1: unlinked temp file we may truncate */
    off_t read_off;  /* bytes of the file already copied */
    char *ring;
    size_t cap;
    uint64_t total; /* bytes ever captured; ring holds [total-len, total) */
    size_t len;
};

/* Opens |path| for appending (NULL: a private unlinked temp file) and
 * allocates a ring of |cap| bytes. Returns HX_TARGET_OK, _ERR_IO or _NOMEM. */
int hx_capture_open(struct hx_capture *c, const char *path, size_t cap,
                    struct hx_target_diag *diag);

/* Copies new file content into the ring; truncates a private file once more
 * than 1 MiB has been read. */
void hx_capture_pump(struct hx_capture *c);

/* See hx_target_output(). */
size_t hx_capture_read(const struct hx_capture *c, uint64_t *pos, char *buf, size_t cap);

/* Copies the newest bytes (at most |cap|-1) into |buf|, NUL-terminated,
 * with control characters other than newline shown as '.'. */
void hx_capture_tail(const struct hx_capture *c, char *buf, size_t cap);

void hx_capture_close(struct hx_capture *c);

/* ---- child processes -------------------------------------------------- */

struct hx_proc_spec {
    const char *const *argv; /* argv[0] resolved with |path_env| if no '/' */
    const char *cwd;         /* NULL: inherit */
    const char *const *env;  /* NULL-terminated "K=V" overriding the inherited environ */
    int out_fd;              /* becomes stdout and stderr */
};

struct hx_proc {
    pid_t pid; /* also the process group id; 0 when none */
    int running;
    struct hx_target_exit exit;
};

/* Spawns |spec| as leader of a new session and process group, stdin from
 * /dev/null, signals reset, dying with the parent (Linux). Exec failures are
 * reported synchronously. Returns HX_TARGET_OK or HX_TARGET_ERR_SPAWN. */
int hx_proc_spawn(struct hx_proc *p, const struct hx_proc_spec *spec, struct hx_target_diag *diag);

/* waitpid(WNOHANG): returns 1 while running, 0 once reaped (|p|->exit
 * filled, stray group members killed and reaped). */
int hx_proc_poll(struct hx_proc *p);

/* SIGTERM to the group, up to |grace_ms| for the leader, then SIGKILL;
 * reaps the leader and any group member that is our child. */
void hx_proc_stop(struct hx_proc *p, int grace_ms);

/* Reaps group members that are our children, then returns 1 if any process
 * is left in group |pgid|. Call it only once the leader has been reaped, or
 * the leader's status would be lost. */
int hx_proc_group_alive(pid_t pgid);

/* Registry for Ctrl-C cleanup (the module's only mutable global state). */
int hx_proc_registry_add(pid_t pgid, void *owner);
void hx_proc_registry_remove(pid_t pgid);
/* Calls |fn(owner)| for each registered owner (owners may unregister). */
void hx_proc_registry_each(void (*fn)(void *owner));
int hx_proc_install_signal_cleanup(void);

/* ---- network helpers -------------------------------------------------- */

/* Binds |host|:0, reads the port the kernel chose and closes the socket.
 * Returns HX_TARGET_OK or HX_TARGET_ERR_PORT. */
int hx_proc_port_pick(const char *host, unsigned *port, struct hx_target_diag *diag);

/* Result of one HTTP GET. */
struct hx_probe_resp {
    int status;     /* 0 when no status line was read */
    char body[512]; /* first bytes of the body (chunked framing removed), NUL-terminated */
    size_t body_len;
};

/* One "GET |path| HTTP/1.1" with "Connection: close" to |host|:|port|
 * within |timeout_ms|. Returns HX_TARGET_OK (a status line was read),
 * HX_TARGET_ERR_DIED (connection refused), HX_TARGET_ERR_TIMEOUT, or
 * HX_TARGET_ERR_PROBE (other socket or parse failure). */
int hx_probe_get(const char *host, unsigned port, const char *path, int timeout_ms,
                 struct hx_probe_resp *resp, struct hx_target_diag *diag);

/* 1 if |body| is an Engine.IO open packet: "0{" (EIO4) or "<digits>:0{"
 * (EIO3 length-prefixed payload). */
int hx_probe_is_open_packet(const char *body, size_t len);

/* Splits "http://HOST:PORT[/PATH]" into parts owned by the caller (free()).
 * HOST may be "[v6]". *|path| is NULL when the url has none or just "/".
 * Returns HX_TARGET_OK, HX_TARGET_ERR_URL or HX_TARGET_ERR_NOMEM. */
int hx_proc_url_parse(const char *url, char **host, unsigned *port, char **path,
                      struct hx_target_diag *diag);

#endif
