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
 *   loop N K                              run the next K actions N times
 *   leak heap|rss|fds|threads MIN                               (optional)
 *                                         a leak: the resource must grow by
 *                                         MIN per repeat of the first loop
 * Every action line may add: hdr "Name: value" (repeatable), hdrs N (N
 * generated headers), pad N BYTE AT (N copies of byte BYTE inserted at
 * offset AT of the data: large inputs stay small on disk), sess N (the
 * session slot 0-3 the action uses: several sessions at once; "open" on a
 * slot that is open starts a new session there). "send ... tmpl" fills
 * {ack} (the last ack id the server asked for) and {sid} in the data.
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
    HX_LIVE_LOOP,
};
#define HX_LIVE_NSESS 4 /* session slots of one case */

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
#define HX_LIVE_F_TMPL 0x400u /* send: fill {ack} and {sid} in the data */

/* Resources a leak is measured on; names via hx_live_res_name(). */
enum hx_live_res {
    HX_LIVE_RES_NONE = 0,
    HX_LIVE_RES_HEAP = 1, /* JS heap + external bytes after a full GC (Node agent) */
    HX_LIVE_RES_RSS = 2,  /* VmRSS, bytes */
    HX_LIVE_RES_FDS = 3,  /* open file descriptors */
    HX_LIVE_RES_THREADS = 4,
};
#define HX_LIVE_NRES 5

/* Owned bytes (|p| from malloc, or NULL when |len| is 0). */
struct hx_live_bytes {
    uint8_t *p;
    size_t len;
};

struct hx_live_action {
    enum hx_live_op op;
    unsigned flags;               /* HX_LIVE_F_* */
    uint32_t ms;                  /* sleep, expect-close deadline, raw RST delay (0: no RST) */
    uint32_t repeat;              /* wsframe: frames to send; loop: runs (0 = 1) */
    uint32_t span;                /* loop: actions after it that form the body */
    uint8_t sess;                 /* session slot, < HX_LIVE_NSESS */
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
    int leak_res;    /* enum hx_live_res of a "leak" line, NONE when absent */
    double leak_min; /* growth per repeat that counts as reproduced */
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
 * in |idx| (NULL: all of them, in order); a kept loop's body length counts
 * only the kept actions of its body. Returns CDC_OK or CDC_ERR_NOMEM. */
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
/* "heap", "rss", "fds", "threads", or "none". */
const char *hx_live_res_name(int res);
/* Runs of the first top-level loop of |c| (1 when it has none): what a
 * leak's growth is divided by. */
uint32_t hx_live_case_repeats(const struct hx_live_case *c);
/* Number of actions one run of |c| executes (loops unrolled, saturating). */
uint64_t hx_live_case_steps(const struct hx_live_case *c);

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
    int eio;              /* 3 or 4 */
    bool sio;             /* the server speaks Socket.IO (else Engine.IO echo) */
    uint32_t max_payload; /* the server's maxPayload; 0 = 1000000 */
    bool no_leak_probes;  /* never generate leak probes (no resource oracle) */
};

/* hx_live_gen_next without a corpus. */
int hx_live_gen_case(const struct hx_live_gen_opts *o, uint64_t index, struct hx_live_case *out);
/* ---- the live corpus ---- */

/* Inputs that made the server do something new (a new answer shape or
 * new server code), kept to be mutated further. An entry becomes visible
 * to the generator at case |visible_from|: entries loaded from a folder at
 * 0, entries found during a campaign a fixed lag after the case that
 * found them (hx_live_campaign.c), so case N is a pure function of the
 * seed, N and the corpus it started with. Single-threaded. */
struct hx_live_corpus_entry {
    struct hx_live_case c;
    uint64_t visible_from;
    uint64_t found_at; /* case index that found it (UINT64_MAX: loaded) */
    uint32_t weight;   /* selection weight, >= 1 */
    uint32_t new_feat, new_cov;
};

struct hx_live_corpus {
    struct hx_live_corpus_entry *e;
    size_t n, cap;
    char dir[1024]; /* where new entries are saved ("" = nowhere) */
};

void hx_live_corpus_init(struct hx_live_corpus *cp);
void hx_live_corpus_free(struct hx_live_corpus *cp);
/* Loads every *.repro file of |dir| (sorted by name), visible from case 0,
 * and remembers |dir| for hx_live_corpus_add (created if missing). Files
 * that do not parse are skipped and counted in |*skipped| (may be NULL).
 * Returns CDC_OK, CDC_ERR_INVALID_ARG (|dir| cannot be created or read),
 * CDC_ERR_NOMEM. */
int hx_live_corpus_load(struct hx_live_corpus *cp, const char *dir, size_t *skipped);
/* Appends a copy of |c| (|visible_from| must not be below the last
 * entry's) and saves it in the corpus folder when there is one. */
int hx_live_corpus_add(struct hx_live_corpus *cp, const struct hx_live_case *c,
                       uint64_t visible_from, uint64_t found_at, uint32_t new_feat,
                       uint32_t new_cov);
/* Entries visible at case |index| (a prefix of |cp->e|). */
size_t hx_live_corpus_visible(const struct hx_live_corpus *cp, uint64_t index);

/* Case |index| of a campaign that has corpus |cp| (NULL: none): the
 * catalogue round first, then catalogue variations, grammar sequences,
 * mutations of visible corpus entries, leak probes (gen "leak:..."),
 * mutated seed sessions and framing cases. The same (seed, index, visible
 * corpus) always gives the same case. Returns CDC_OK or CDC_ERR_NOMEM. */
int hx_live_gen_next(const struct hx_live_gen_opts *o, const struct hx_live_corpus *cp,
                     uint64_t index, struct hx_live_case *out);
/* True when |c| is a leak probe (its generator name starts "leak:"). */
bool hx_live_is_leak_probe(const struct hx_live_case *c);

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
