/*
 * ck.h - what a conformance case is, and the calls its function makes.
 *
 * A case is one row of a table: metadata (stable id, title, requirement,
 * spec statements, level, transports, protocol, needs, tags, the matching
 * official test title) plus a short straight-line function of send /
 * expect steps on harness sessions:
 *
 *   static void handshake_open(struct ck *c)
 *   {
 *       struct hx_session *s = ck_open(c, NULL);
 *       const struct eio_handshake *hs = hx_session_handshake(s);
 *       ck_check(c, hs->sid_len > 0, "a non-empty sid", "sid of %zu bytes", hs->sid_len);
 *   }
 *
 * Every ck_ call that can go wrong ends the case by itself: ck_fail() (the
 * server broke the requirement: FAIL for MUST, NON-STRICT for SHOULD, INFO
 * for MAY and INFO cases), ck_error() (siospec could not judge: ERROR) or
 * ck_skip(). They do not return (the runner longjmps out of the case), so a
 * case reads top to bottom without error plumbing. A case function that
 * returns normally PASSes (INFO for INFO cases).
 *
 * Memory: sessions, items and strings a case gets from ck_ calls belong to
 * the case's context and are freed by the runner when the case ends, on
 * every path. A case allocates nothing itself.
 *
 * Timing: every window is derived from the server's own handshake values
 * (ck_ping_interval, ck_ping_timeout) or the testee contract's timeouts,
 * plus a tolerance, and ck_ms() scales it with --timeout-scale.
 *
 * Thread rules: each case runs in one thread with its own sessions; cases of
 * one run execute concurrently and share nothing.
 */
#ifndef CASES_CK_H
#define CASES_CK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc_json.h"
#include "codec/eio.h"
#include "codec/sio.h"
#include "harness/hx_match.h"
#include "harness/hx_session.h"
#include "harness/hx_sio.h"

enum ck_level {
    CK_MUST = 0,   /* broken: FAIL */
    CK_SHOULD = 1, /* broken: NON-STRICT */
    CK_MAY = 2,    /* optional: absent is INFO */
    CK_INFO = 3,   /* recorded reference behaviour: always INFO */
};

/* Transports a case runs on; one list entry (and id) per transport. */
enum ck_tps {
    CK_POLLING = 1u << 0,
    CK_WS = 1u << 1,
    CK_BOTH = CK_POLLING | CK_WS,
};

/* The protocol revision a case checks. */
enum ck_proto {
    CK_EIO4 = 1, /* Engine.IO v4 rules, any application */
    CK_EIO3 = 2, /* Engine.IO v3 rules (EIO=3) */
    CK_SIO5 = 3, /* Socket.IO v5 over Engine.IO v4 */
    CK_SIO4 = 4, /* Socket.IO v4 over Engine.IO v3 */
};

/* What a case needs of the target beyond its protocol; missing => SKIP. */
enum ck_needs {
    CK_NEED_ECHO = 1u << 0,      /* an Engine.IO-only echo server (contract §5) */
    CK_NEED_SIO = 1u << 1,       /* a Socket.IO server (contract §3-4) */
    CK_NEED_RECOVERY = 1u << 2,  /* profile recovery */
    CK_NEED_COOKIE = 1u << 3,    /* profile cookie */
    CK_NEED_NO_COOKIE = 1u << 4, /* a target without the cookie profile */
    CK_NEED_PROCESS = 1u << 5,   /* a target siospec started (not --url) */
    CK_NEED_NO_EIO3 = 1u << 6,   /* a target that refuses EIO=3 (no eio3 profile) */
};

struct ck;

struct ck_case {
    const char *id;    /* stable, never renumbered or reused; ".polling"/".ws" appended */
    const char *title; /* short */
    const char *req;   /* the requirement in one sentence of our own */
    const char *spec;  /* statement ids (cases/spec/statements.tsv), comma-separated */
    enum ck_level level;
    unsigned tps; /* enum ck_tps */
    enum ck_proto proto;
    unsigned needs;     /* enum ck_needs */
    const char *tags;   /* comma-separated */
    const char *origin; /* title of the matching official test, or NULL */
    void (*run)(struct ck *c);
};

struct ck_group {
    const char *name;  /* "eio4.handshake" */
    const char *title; /* one line */
    const struct ck_case *cases;
    size_t n;
};

#define CK_GROUP(var, nm, ttl, arr)                                                                \
    const struct ck_group var = {nm, ttl, arr, sizeof(arr) / sizeof((arr)[0])}

/* ---- the case's situation ---------------------------------------------- */

enum hx_tp ck_tp(const struct ck *c);    /* transport of this run */
int ck_eio(const struct ck *c);          /* 3 or 4 */
int ck_sio(const struct ck *c);          /* 0 (Engine.IO only), 4 or 5 */
const char *ck_path(const struct ck *c); /* "/socket.io/" */
const char *ck_url(const struct ck *c);  /* "http://127.0.0.1:PORT" */
uint64_t ck_seed(const struct ck *c);    /* per-case seed derived from --seed */
bool ck_is_recovery(const struct ck *c); /* target has the recovery profile */

/* Server timing, from the server's own handshake (taken at run start). */
uint32_t ck_ping_interval(const struct ck *c);
uint32_t ck_ping_timeout(const struct ck *c);
uint64_t ck_max_payload(const struct ck *c); /* 1000000 when not advertised */
/* Contract timeouts (docs/testee-contract.md §2). */
#define CK_CONNECT_TIMEOUT_MS 1000u
#define CK_UPGRADE_TIMEOUT_MS 1000u

/* |ms| scaled by --timeout-scale. */
uint32_t ck_ms(const struct ck *c, uint32_t ms);
/* Deadline |ms| (scaled) from now. */
uint64_t ck_in(const struct ck *c, uint32_t ms);
/* Milliseconds since the case began. */
uint32_t ck_now_ms(const struct ck *c);
/* The usual wait for an answer that should come at once (scaled). */
#define CK_REPLY_MS 1500u

/* ---- verdicts (ck_fail, ck_error, ck_skip do not return) ---------------- */

/* The server broke the requirement. |expected| lists what the spec allows;
 * the format describes what was seen. */
_Noreturn void ck_fail(struct ck *c, const char *expected, const char *seen_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* siospec could not judge (setup failed, the server is unreachable). */
_Noreturn void ck_error(struct ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The case does not apply to this target. */
_Noreturn void ck_skip(struct ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ck_fail unless |ok|. */
void ck_check(struct ck *c, bool ok, const char *expected, const char *seen_fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records what was observed (the "seen" of an INFO or passing case). */
void ck_note(struct ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ck_error with hx_session_reason(s) unless |rc| is HX_OK. */
void ck_ok(struct ck *c, struct hx_session *s, int rc, const char *what);

/* ---- sessions ------------------------------------------------------------ */

/* Overrides for a session; zero fields take the case's defaults. */
struct ck_sopt {
    int eio;           /* 0: the case's protocol */
    int sio;           /* 0: the case's protocol; -1: Engine.IO only */
    const char *query; /* extra query */
    const struct hx_header *headers;
    size_t n_headers;
    enum hx_hb_mode hb; /* default AUTO */
    bool manual_poll;
    bool queue_control; /* queue pings/pongs/noops */
    bool no_b64;
    bool strict; /* strict decoding */
};

/* A new session, not opened (ERROR if it cannot be made). */
struct hx_session *ck_session(struct ck *c, const struct ck_sopt *o);
/* A session opened on the case's transport (ERROR if the handshake fails:
 * use hx_eio_open yourself where the handshake is what is checked). */
struct hx_session *ck_open(struct ck *c, const struct ck_sopt *o);
/* The same on transport |tp|. */
struct hx_session *ck_open_on(struct ck *c, enum hx_tp tp, const struct ck_sopt *o);
/* A Socket.IO session joined to "/" (v5: CONNECT and its answer; v4: the
 * server's implicit CONNECT), with the contract's `auth` event taken (ERROR
 * when any of it fails). */
struct hx_session *ck_connect(struct ck *c, const struct ck_sopt *o);
/* Joins |nsp| on an open session (v5: |auth| JSON object or NULL; v4: query)
 * and takes the `auth` event; ERROR when refused or silent. */
void ck_join(struct ck *c, struct hx_session *s, const char *nsp, const char *auth);

/* ---- sending (ERROR when the bytes cannot be sent) ----------------------- */

/* One Engine.IO message whose data is |text| (e.g. a Socket.IO packet
 * "2[\"message\",1]"), framed for the session's transport and revision. */
void ck_msg(struct ck *c, struct hx_session *s, const char *text);
/* One Engine.IO packet of |type| with text |data| (NULL: none). */
void ck_eio_send(struct ck *c, struct hx_session *s, enum eio_type type, const char *data);
/* Bytes verbatim: one POST body on polling, one WebSocket message on ws.
 * Returns the harness status instead of ending the case (a server may
 * legitimately refuse a POST). */
int ck_raw(struct ck *c, struct hx_session *s, const void *p, size_t n, bool binary);
/* Emits |args| (a JSON array, binaries as {"$binary":"<b64>"}) on |nsp|;
 * with |ack_id| non-NULL an ack is requested and its id stored there. */
void ck_emit(struct ck *c, struct hx_session *s, const char *nsp, const char *args,
             uint64_t *ack_id);

/* ---- waiting (ck_fail when nothing comes) -------------------------------- */

/* The first item matching |m| within |ms| (scaled); ck_fail naming |what|
 * when the window passes or the session ends first. */
const struct hx_item *ck_wait(struct ck *c, struct hx_session *s, const struct hx_match *m,
                              uint32_t ms, const char *what);
const struct hx_item *ck_wait_eio(struct ck *c, struct hx_session *s, int eio_type, uint32_t ms);
const struct hx_item *ck_wait_sio(struct ck *c, struct hx_session *s, int sio_type, const char *nsp,
                                  uint32_t ms);
const struct hx_item *ck_wait_event(struct ck *c, struct hx_session *s, const char *nsp,
                                    const char *event, uint32_t ms);
const struct hx_item *ck_wait_ack(struct ck *c, struct hx_session *s, const char *nsp, uint64_t id,
                                  uint32_t ms);
/* Like ck_wait but returns NULL instead of failing. */
const struct hx_item *ck_try_wait(struct ck *c, struct hx_session *s, const struct hx_match *m,
                                  uint32_t ms);
/* ck_fail unless the session's transport ends within |ms| (scaled). */
void ck_expect_closed(struct ck *c, struct hx_session *s, uint32_t ms, const char *why);
/* ck_fail if the session ends within |ms| (scaled); keeps it running. */
void ck_expect_open(struct ck *c, struct hx_session *s, uint32_t ms, const char *why);
/* ck_fail if an item matching |m| arrives within |ms| (scaled). */
void ck_expect_none(struct ck *c, struct hx_session *s, const struct hx_match *m, uint32_t ms,
                    const char *what);
/* True once the session ended, after giving it |ms| (scaled) to do so. */
bool ck_closes_within(struct ck *c, struct hx_session *s, uint32_t ms);
/* The same with an absolute, unscaled deadline (for "not before" bounds). */
bool ck_closes_by(struct ck *c, struct hx_session *s, uint64_t until);

/* ---- raw HTTP and WebSocket ---------------------------------------------- */

struct ck_http {
    const char *method; /* NULL: GET */
    const char *target; /* template: {sid} {eio} {path} are replaced */
    const char *ctype;  /* Content-Type, NULL none */
    const void *body;   /* NULL: no body */
    size_t len;         /* body bytes; 0 with body: strlen(body) */
    const struct hx_header *headers;
    size_t n_headers;
    bool raw; /* harness's own HTTP client */
};

/* Sends one HTTP request on its own channel of |s| (NULL: a scratch
 * session) and waits for the answer: an HX_ITEM_HTTP item, or an
 * HX_ITEM_ERROR item when the connection failed (never NULL). */
const struct hx_item *ck_http(struct ck *c, struct hx_session *s, const struct ck_http *r);
/* Starts the request without waiting; returns its channel. */
unsigned ck_http_start(struct ck *c, struct hx_session *s, const struct ck_http *r);
/* Waits for the answer on |chan| (HTTP or ERROR item; ck_fail on silence). */
const struct hx_item *ck_http_wait(struct ck *c, struct hx_session *s, unsigned chan, uint32_t ms);
/* GET |target| (template) through ck_http. */
const struct hx_item *ck_get(struct ck *c, struct hx_session *s, const char *target);
/* ck_fail unless |it| is an HTTP answer with |status|. */
void ck_expect_status(struct ck *c, const struct hx_item *it, int status, const char *what);
/* ck_fail unless |it| is HTTP |status| with a JSON body {"code":|code|,
 * "message":<string>}. */
void ck_expect_eio_error(struct ck *c, const struct hx_item *it, int status, int code);
/* Header |name| of an HTTP item (first occurrence); false when absent. */
bool ck_header(const struct hx_item *it, const char *name, struct cdc_span *val);
/* Opens an extra WebSocket on |s| to |target| (template). Returns HX_OK
 * with |*chan| set, or the harness status (refusal is a possible outcome,
 * so this does not end the case). */
int ck_ws(struct ck *c, struct hx_session *s, const char *target, bool raw, unsigned *chan);
/* Sends text or binary |p| on extra WebSocket |chan| (ERROR on failure). */
void ck_ws_send(struct ck *c, struct hx_session *s, unsigned chan, const void *p, size_t n,
                bool binary);
/* Waits for the next message (HX_ITEM_WS) or end (CLOSE/ERROR) on extra
 * channel |chan|; NULL when nothing came within |ms| (scaled). */
const struct hx_item *ck_ws_next(struct ck *c, struct hx_session *s, unsigned chan, uint32_t ms);

/* ---- data helpers -------------------------------------------------------- */

/* A span over a C string. */
struct cdc_span ck_span(const char *s);
/* True when |sp| equals the C string |s| byte for byte. */
bool ck_eq(struct cdc_span sp, const char *s);
/* Copies |sp| into a NUL-terminated string owned by the case (escaped for
 * display when |show|). */
const char *ck_str(struct ck *c, struct cdc_span sp, bool show);
/* ck_fail unless |got| is structurally the JSON |exp|. */
void ck_check_json(struct ck *c, struct cdc_span got, const char *exp, const char *what);
/* The data of an EVENT item with a recovery offset removed when the target
 * has the recovery profile (otherwise the data itself). */
struct cdc_span ck_event_data(struct ck *c, const struct hx_item *it);
/* A printf into storage owned by the case. */
const char *ck_fmt(struct ck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Describes an item in one line (for "seen"). */
const char *ck_item_desc(struct ck *c, const struct hx_item *it);

/* ---- the end of a session -------------------------------------------------- */

/* ck_fail unless the server forgot session |s|: a polling GET with its sid
 * (on its own channel) answers HTTP 400 with error code 1 (ref:eio4-errors:2).
 * GETs answered 200 with nothing but close or noop packets (a close still
 * being delivered) are allowed first; a GET that brings anything else (a
 * ping: the session lives) or no answer within CK_REPLY_MS fails. |why|
 * names what should have ended the session. */
void ck_expect_sid_gone(struct ck *c, struct hx_session *s, const char *why);

/* ---- Socket.IO connection helpers ---------------------------------------- */

/* The next Socket.IO item in arrival order, whatever its type and namespace
 * (or the ERROR item of undecodable input received on the transport);
 * ck_fail naming |what| when none comes within |ms| (scaled). */
const struct hx_item *ck_next_sio(struct ck *c, struct hx_session *s, uint32_t ms,
                                  const char *what);
/* The socket id of CONNECT answer |it| for namespace |nsp| (NULL: "/").
 * ck_fail unless |it| is a CONNECT on |nsp| whose payload is an object with a
 * non-empty string sid (and a string pid on a recovery target); with |exact|
 * also unless the object has no other member. */
const char *ck_sio_sid(struct ck *c, const struct hx_item *it, const char *nsp, bool exact);

/* ck_expect_sid_gone, and the refusal came before pingInterval +
 * pingTimeout after the session began, so that the ping timeout cannot be
 * what ended the session. */
void ck_expect_sid_gone_early(struct ck *c, struct hx_session *s, const char *why);

#endif
