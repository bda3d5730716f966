/*
 * hx_http.h - a pure HTTP/1.1 client-side toolkit: request description and
 * serialisation, an incremental response parser, header lookup.
 *
 * The parser has no I/O: the raw TCP transport feeds it whatever arrives, in
 * any split, and a fuzzer can feed it anything. It is bounded: the header
 * section and the (de-chunked) body each have a byte limit, and every
 * failure has a static English reason. It understands Content-Length,
 * chunked transfer coding (trailers skipped) and close-delimited bodies,
 * skips 1xx interim responses except 101, and stops after the header
 * section of a 101 so the rest of the stream (WebSocket frames) stays with
 * the caller.
 *
 * Not handled on purpose: HTTP/0.9 (an error), pipelining, compression.
 */
#ifndef HARNESS_HX_HTTP_H
#define HARNESS_HX_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"

/* A request or response header. Both strings are borrowed, NUL-terminated. */
struct hx_header {
    const char *name;
    const char *value;
};

/* An HTTP request as a case describes it. Every pointer is borrowed for the
 * duration of the call that takes the request (transports copy it). */
struct hx_http_req {
    const char *method; /* any token; NULL means "GET" */
    const char *target; /* request-target: path and query */
    const struct hx_header *headers;
    size_t n_headers;
    const char *content_type; /* Content-Type value; NULL sends none */
    const uint8_t *body;      /* NULL with body_len 0: no body */
    size_t body_len;
    bool has_body;            /* send a body (and Content-Length) even if empty */
    bool chunked;             /* send the body with Transfer-Encoding: chunked */
    size_t chunk_size;        /* bytes per chunk when chunked (0 = 1024) */
    bool raw;                 /* use the raw TCP transport, not the HTTP library */
    const uint8_t *raw_bytes; /* raw only: write exactly these bytes instead */
    size_t raw_len;
    size_t send_limit; /* raw only: stop writing after this many bytes (0 = all) */
};

/* Appends the wire form of |req| (request line, Host: |host|, the headers,
 * Content-Type, Content-Length or chunked framing, body) to |out|. With
 * |req->raw_bytes| set, appends those bytes verbatim. Returns CDC_OK,
 * CDC_ERR_INVALID_ARG (no target), CDC_ERR_TOO_LARGE or CDC_ERR_NOMEM. */
int hx_http_request_build(const struct hx_http_req *req, const char *host, struct cdc_buf *out);

enum hx_http_pstate {
    HX_HTTP_HEAD = 0,
    HX_HTTP_BODY_LENGTH,
    HX_HTTP_CHUNK_SIZE,
    HX_HTTP_CHUNK_DATA,
    HX_HTTP_CHUNK_CRLF,
    HX_HTTP_TRAILER,
    HX_HTTP_BODY_EOF,
    HX_HTTP_DONE,
    HX_HTTP_ERROR,
};

struct hx_http_parser {
    enum hx_http_pstate state;
    int status;          /* status code once the head is parsed */
    bool head_request;   /* the request was HEAD: no body follows */
    struct cdc_buf head; /* raw header section (status line .. blank line) */
    struct cdc_buf body; /* body, de-chunked */
    uint64_t remaining;  /* body or chunk bytes still expected */
    char line[48];       /* chunk-size / trailer line in progress */
    size_t line_len;
    size_t total_in; /* bytes consumed so far */
    int err;         /* sticky enum hx_status, 0 while fine */
    const char *why; /* static reason after an error */
};

/* Initialises |p| for one response with at most |max_head| header bytes and
 * |max_body| body bytes. |head_request| means no body follows. */
void hx_http_parser_init(struct hx_http_parser *p, size_t max_head, size_t max_body,
                         bool head_request);
/* Frees the parser's buffers. */
void hx_http_parser_free(struct hx_http_parser *p);

/* Consumes bytes of the response. Returns the number of bytes used (fewer
 * than |n| only when the response is complete: the rest belongs to whatever
 * follows, e.g. WebSocket frames after a 101), or a negative hx_status:
 * HX_ERR_PROTOCOL (malformed), HX_ERR_TOO_LARGE (a limit), HX_ERR_NOMEM.
 * Errors are sticky; |p->why| says what went wrong. */
ptrdiff_t hx_http_parser_feed(struct hx_http_parser *p, const uint8_t *in, size_t n);
/* Tells the parser the peer closed the connection. Returns HX_OK when that
 * completes the response (close-delimited body), or HX_ERR_CLOSED with
 * |p->why| naming where the response was cut. */
int hx_http_parser_eof(struct hx_http_parser *p);
/* True once a complete response was parsed. */
bool hx_http_parser_done(const struct hx_http_parser *p);

/* Finds header |name| (case-insensitive) in the raw header section |head|
 * (as kept by the parser or collected from a library). Returns 1 and sets
 * |val| (surrounding whitespace trimmed, pointing into |head|) for the
 * |nth| (0-based) occurrence, or 0 when absent. */
int hx_http_header_get(struct cdc_span head, const char *name, size_t nth, struct cdc_span *val);
/* Case-insensitive comparison of span |s| with the string |lit|. */
bool hx_span_ieq(struct cdc_span s, const char *lit);
/* True when the comma-separated list |s| contains the token |tok|
 * (case-insensitive), as in "Connection: keep-alive, Upgrade". */
bool hx_http_list_has(struct cdc_span s, const char *tok);

#endif
