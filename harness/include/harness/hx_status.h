/*
 * hx_status.h - infrastructure status codes and verdicts of the harness.
 *
 * enum hx_status says whether the harness could do what a case asked (open
 * a session, send, receive within a deadline). It never judges the server:
 * judgments are enum hx_verdict. A FAIL (the server broke a MUST) and an
 * ERROR (the harness could not judge) are never merged.
 *
 * Every function that returns int in the harness returns HX_OK or a
 * negative enum hx_status; the values are stable and never renumbered.
 */
#ifndef HARNESS_HX_STATUS_H
#define HARNESS_HX_STATUS_H

enum hx_status {
    HX_OK = 0,
    HX_ERR_NOMEM = -1,       /* an allocation failed */
    HX_ERR_INVALID_ARG = -2, /* bad case definition or API misuse */
    HX_ERR_STATE = -3,       /* operation not possible in the session's state */
    HX_ERR_TIMEOUT = -4,     /* the deadline passed first */
    HX_ERR_CONNECT = -5,     /* TCP connect refused or failed */
    HX_ERR_TRANSPORT = -6,   /* I/O failure, peer reset, library (lws/curl) failure */
    HX_ERR_PROTOCOL = -7,    /* the peer sent something undecodable or out of place */
    HX_ERR_HTTP_STATUS = -8, /* an HTTP answer with an unexpected status */
    HX_ERR_CLOSED = -9,      /* the transport or session was closed by the peer */
    HX_ERR_TOO_LARGE = -10,  /* the peer's data exceeded a harness limit */
    HX_ERR_REJECTED = -11,   /* the peer refused (CONNECT_ERROR, WS upgrade refused) */
};

/* Symbolic name of |st| without the HX_ prefix ("ERR_TIMEOUT"); "UNKNOWN"
 * for other values. Never NULL. */
const char *hx_status_name(int st);

/* Judgments of a conformance case. */
enum hx_verdict {
    HX_PASS = 0,       /* every requirement held */
    HX_FAIL = 1,       /* a MUST was violated */
    HX_NON_STRICT = 2, /* a SHOULD was violated */
    HX_INFO = 3,       /* behaviour recorded, no requirement */
    HX_SKIP = 4,       /* a needed feature or precondition is missing */
    HX_ERROR = 5,      /* the harness could not judge */
};

/* "PASS", "FAIL", "NON_STRICT", "INFO", "SKIP", "ERROR"; "UNKNOWN" otherwise. */
const char *hx_verdict_name(int v);

/* Maps an infrastructure status to the verdict a case reports when it could
 * not continue: HX_OK -> HX_PASS, anything else -> HX_ERROR. */
enum hx_verdict hx_verdict_from_status(int st);

#endif
