/*
 * hx_live.h - the live-server fuzzer's data model (fuzz_live): test
 * cases as lists of actions, the reproducer text format, the case
 * generator, delta debugging, and the pure oracle helpers (crash
 * signatures, /proc samples, growth detection, the known-CVE catalogue).
 * Running cases against a server is in hx_live_run.h.
 *
 * A test case is what one fresh client does to the server: open an
 * Engine.IO session, send packets on it, make raw HTTP requests, open raw
 * WebSockets and write arbitrary frames on them, sleep, close, and check
 * required reactions. Byte fields are never NUL-terminated by contract;
 * templates in targets, headers and raw bytes ("{sid}", "{eio}", "{path}",
 * "{host}") are filled in when the case runs.
 *
 * Reproducer format (one case per file, UTF-8 text, '#' starts a comment
 * line; strings are double-quoted with C escapes \n \r \t \\ \" \xNN):
 *
 *   siospec-repro 1                       first line, format version
 *   target NAME | eio 3|4 | seed S | case N | gen NAME          (optional)
 *   expect CLASS "SIGNATURE" | cve ID                           (optional)
 *   open polling|websocket
 *   upgrade [noprobe] [noupgrade] [nopause]
 *   send text|binary "DATA"                 (EIO 3 polling: sent as "<len>:DATA")
 *   http METHOD "TARGET" [ctype "CT"] [body "DATA"] [chunked] [nowait]
 *   raw "BYTES" [rst MS]                  bytes on a fresh TCP connection
 *   wsopen "TARGET" [after "BYTES"]       raw WebSocket (after: bytes in the
 *                                         same write as the upgrade request)
 *   wsframe [op N] [rsv N] [nofin] [unmasked] [declen N] [close N]
 *           [repeat N] "DATA"             a frame on the last raw WebSocket
 *   sleep MS | close graceful|packet|abort
 *   expect-close MS "RULE"                the session must end within MS
 * Every action line may add: hdr "Name: value" (repeatable), hdrs N (N
 * generated headers), pad N BYTE AT (N copies of byte BYTE inserted at
 * offset AT of the data: large inputs stay small on disk).
 *
 * Determinism: case |index| of a campaign depends only on (seed, index).
 * Thread rules: no globals besides constant tables; objects belong to one
 * thread.
 */
#ifndef LIVE_HX_LIVE_H
#define LIVE_HX_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"

/* What a finding is; stable names via hx_live_class_name(). */
enum hx_live_class {
    HX_LIVE_NONE = 0,
    HX_LIVE_CRASH = 1,        /* the process died */
    HX_LIVE_HANG_SERVER = 2,  /* alive, but the liveness probe failed */
    HX_LIVE_ERROR_OUTPUT = 3, /* alive, but printed an error signature */
    HX_LIVE_HANG_REQUEST = 4, /* one request got no answer in time */
    HX_LIVE_REACTION = 5,     /* a required reaction (closing) was missing */
    HX_LIVE_PROTOCOL = 6,     /* server output the strict codec rejects */
    HX_LIVE_LEAK_MEMORY = 7,  /* VmRSS kept growing after idle */
    HX_LIVE_LEAK_THREADS = 8,
    HX_LIVE_LEAK_FDS = 9,
};
#define HX_LIVE_NCLASSES 10

/* "crash", "hang-server", "error-output", "hang-request",
 * "required-reaction-missing", "protocol-violation", "leak-memory",
 * "leak-threads", "leak-fds", "none". Never NULL. */
const char *hx_live_class_name(int cls);
/* Reverse of hx_live_class_name(); -1 when unknown. */
int hx_live_class_from_name(const char *name);

enum hx_live_op {
    HX_LIVE_OPEN = 1,
    HX_LIVE_UPGRADE,
    HX_LIVE_SEND,
    HX_LIVE_HTTP,
    HX_LIVE_RAW,
    HX_LIVE_WSOPEN,
    HX_LIVE_WSFRAME,
    HX_LIVE_SLEEP,
    HX_LIVE_CLOSE,
    HX_LIVE_EXPECT_CLOSE,
};

#define HX_LIVE_F_BINARY 0x01u   /* send: binary message */
#define HX_LIVE_F_WS 0x02u       /* open: WebSocket first */
#define HX_LIVE_F_CHUNKED 0x04u  /* http: chunked body */
#define HX_LIVE_F_NOWAIT 0x08u   /* http: do not wait for the answer */
#define HX_LIVE_F_NOFIN 0x10u    /* wsframe: FIN clear */
#define HX_LIVE_F_UNMASKED 0x20u /* wsframe: no mask */
#define HX_LIVE_F_DECLEN 0x40u   /* wsframe: header announces |declen| */
#define HX_LIVE_F_NOPROBE 0x80u  /* upgrade flags, as HX_UPG_* */
#define HX_LIVE_F_NOUPGRADE 0x100u
#define HX_LIVE_F_NOPAUSE 0x200u

/* Owned bytes (|p| from malloc, or NULL when |len| is 0). */
struct hx_live_bytes {
    uint8_t *p;
    size_t len;
};

struct hx_live_action {
    enum hx_live_op op;
    unsigned flags;               /* HX_LIVE_F_* */
    uint32_t ms;                  /* sleep, expect-close deadline, raw RST delay (0: no RST) */
    uint32_t repeat;              /* wsframe: frames to send (0 = 1) */
    uint32_t gen_headers;         /* extra generated headers "X-Fz-<i>: <i>" */
    uint8_t opcode, rsv;          /* wsframe */
    uint16_t close_code;          /* wsframe: code put first in a close frame (0: none) */
    uint64_t declen;              /* wsframe with HX_LIVE_F_DECLEN */
    int how;                      /* close: enum hx_close_how */
    char method[16];              /* http */
    struct hx_live_bytes target;  /* http/wsopen target; expect-close rule */
    struct hx_live_bytes ctype;   /* http Content-Type (empty: none) */
    struct hx_live_bytes data;    /* send/wsframe data, http body, raw bytes, wsopen after */
    struct hx_live_bytes headers; /* "Name: value" lines joined by '\n' */
    uint32_t pad_n, pad_at;       /* pad: |pad_n| bytes |pad_byte| at |pad_at| */
    uint8_t pad_byte;
};

struct hx_live_case {
    struct hx_live_action *a;
    size_t n, cap;
    uint64_t index;
    char gen[48]; /* generator that made it, e.g. "catalogue:cve-2023-32695" */
};

/* Header facts of a reproducer file. */
struct hx_live_meta {
    char target[64];
    int eio; /* 0 = not given */
    uint64_t seed, index;
    bool has_seed, has_index;
    int cls; /* expected enum hx_live_class, HX_LIVE_NONE = any finding */
    char sig[200];
    char cve[32];
};

/* Makes |c| an empty case that owns nothing yet. */
void hx_live_case_init(struct hx_live_case *c);
/* Frees every action and the array; |c| is then empty (as after init). */
void hx_live_case_free(struct hx_live_case *c);
/* Empties |c| (keeps its storage). */
void hx_live_case_reset(struct hx_live_case *c);
/* Appends a deep copy of |a|. Returns CDC_OK or CDC_ERR_NOMEM. */
int hx_live_case_push(struct hx_live_case *c, const struct hx_live_action *a);
/* Makes |dst| (initialised) a deep copy of the |k| actions of |src| listed
 * in |idx| (NULL: all of them, in order). Returns CDC_OK or CDC_ERR_NOMEM. */
int hx_live_case_copy(struct hx_live_case *dst, const struct hx_live_case *src, const size_t *idx,
                      size_t k);
/* Frees the bytes an action owns and zeroes it. */
void hx_live_action_free(struct hx_live_action *a);
/* Replaces |b| with a copy of |n| bytes at |p|. Returns CDC_OK or NOMEM. */
int hx_live_bytes_set(struct hx_live_bytes *b, const void *p, size_t n);
/* Bytes of the case's fields, padding included: its "size". */
size_t hx_live_case_bytes(const struct hx_live_case *c);
/* Lowercase verb of an op ("open", "send", ...), or "?". */
const char *hx_live_op_name(int op);

/* Appends the reproducer text of |c| with header |m| (may be NULL) to
 * |out|. Returns CDC_OK, CDC_ERR_TOO_LARGE or CDC_ERR_NOMEM. */
int hx_live_case_write(const struct hx_live_case *c, const struct hx_live_meta *m,
                       struct cdc_buf *out);
/* Parses reproducer text |in| into |c| (initialised; actions appended)
 * and |m| (zeroed first; may be NULL). On failure |diag->off| is the line
 * number and |diag->why| the rule. Returns CDC_OK, CDC_ERR_INVALID_ARG
 * (syntax), CDC_ERR_NOMEM. */
int hx_live_case_parse(struct hx_live_case *c, struct hx_live_meta *m, const uint8_t *in,
                       size_t len, struct cdc_diag *diag);

/* ---- generation ---- */

struct hx_live_gen_opts {
    uint64_t seed;
    int eio;  /* 3 or 4 */
    bool sio; /* the server speaks Socket.IO (else Engine.IO echo) */
};

/* Fills |out| (initialised; emptied first) with case |index| of the
 * campaign |o|: a known-dangerous input of the catalogue (the whole
 * catalogue first, in a seed-dependent order, then every 4th case, each
 * with random variations), a mutated valid session, or an HTTP /
 * WebSocket framing case. The same (seed, index) always gives the same
 * case. Returns CDC_OK or CDC_ERR_NOMEM. */
int hx_live_gen_case(const struct hx_live_gen_opts *o, uint64_t index, struct hx_live_case *out);
/* Number of catalogue entries. */
size_t hx_live_catalogue_count(void);
/* Name of catalogue entry |i| ("cve-2023-32695", ...), or NULL past the end. */
const char *hx_live_catalogue_name(size_t i);
/* Builds catalogue entry |i| with variations drawn from |seed|. */
int hx_live_gen_catalogue(const struct hx_live_gen_opts *o, size_t i, uint64_t seed,
                          struct hx_live_case *out);

/* ---- delta debugging ---- */

/* Returns true when the subset |idx| (|k| indices) still shows the failure. */
typedef bool (*hx_live_test_cb)(void *ud, const size_t *idx, size_t k);

/* ddmin (Zeller): shrinks the index set 0..|n|-1 to a 1-minimal subset for
 * which |test| holds, calling it at most |budget| times (0 = 200). Writes
 * the subset, ascending, to |out| (room for |n|) and returns its size;
 * returns |n| with 0..n-1 when nothing smaller fails or on NOMEM. */
size_t hx_live_ddmin(size_t n, hx_live_test_cb test, void *ud, unsigned budget, size_t *out);

/* ---- oracle helpers ---- */

/* Finds the first crash or error signature in server output |text| (|len|
 * bytes): a JS/Python exception line ("TypeError: ...", "Error [CODE]:
 * ..."), "FATAL ERROR", "panic:", "panicked at", "Unhandled 'error'
 * event", the last line of a Python traceback. Writes the normalised line
 * to |out| (NUL-terminated) and returns 1, or returns 0 when none. */
int hx_live_signature(const char *text, size_t len, char *out, size_t cap);
/* Normalises |in| for deduplication in place: digit runs become "N", hex
 * addresses "0x?", whitespace runs one space, trimmed. */
void hx_live_sig_normalise(char *s);

/* One resource sample of a process. */
struct hx_live_sample {
    uint64_t t_ms;
    uint64_t rss_kb;
    uint64_t threads;
    uint64_t fds;
};

/* Parses the text of /proc/<pid>/status for VmRSS and Threads into |s|.
 * Returns 0, or -1 when a field is missing. */
int hx_live_proc_parse_status(const char *text, size_t len, struct hx_live_sample *s);
/* Samples process |pid| (status and the fd directory). Returns 0 or -1. */
int hx_live_proc_sample(long pid, struct hx_live_sample *s);
/* True when the last |k| values of |v| (|n| of them) rise strictly and
 * the rise over them is at least |min_delta|. */
bool hx_live_grows(const uint64_t *v, size_t n, size_t k, uint64_t min_delta);

/* The known CVE a finding matches ("CVE-2023-32695"), or NULL: matched on
 * class, signature and the case's input bytes. */
const char *hx_live_cve_match(int cls, const char *sig, const struct hx_live_case *c);

#endif
