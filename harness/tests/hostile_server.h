/*
 * hostile_server.h - a deliberately misbehaving HTTP / WebSocket server on
 * 127.0.0.1 for the harness's robustness tests (and, as hostile_server,
 * for manual runs). One instance serves one mode on an ephemeral port from
 * its own thread. It is bounded: at most 32 connections, 10 s and 64 MiB
 * per connection, and it stops at once when asked.
 */
#ifndef HARNESS_TESTS_HOSTILE_SERVER_H
#define HARNESS_TESTS_HOSTILE_SERVER_H

#include <stddef.h>

enum hostile_mode {
    HM_SILENT = 0,       /* accept and read, never answer */
    HM_ENDLESS_BODY,     /* 200, chunked body that never ends */
    HM_WRONG_LENGTH,     /* Content-Length 1000, 10 bytes, close */
    HM_LENGTH_STALL,     /* Content-Length 1000, 10 bytes, stay open */
    HM_SLOW_DRIP,        /* a valid response, one byte every 50 ms */
    HM_CLOSE_MID_HEADER, /* half a header line, then close */
    HM_HUGE_HEADERS,     /* megabytes of header lines */
    HM_GARBAGE,          /* random bytes instead of HTTP, stay open */
    HM_RESET,            /* accept, then reset the connection */
    HM_BAD_OPEN,         /* 200 with a body that is not an open packet */
    HM_BAD_ACCEPT,       /* 101 with a wrong Sec-WebSocket-Accept */
    HM_WS_BAD_FRAME,     /* valid 101, then a frame with RSV bits and a reserved opcode */
    HM_WS_MID_FRAME,     /* valid 101, then half a frame header, then close */
    HM_WS_HUGE_FRAME,    /* valid 101, then a frame announcing 2^40 bytes, streamed */
    HM_WS_SILENT,        /* valid 101, then nothing */
    HM_WS_BAD_UTF8,      /* valid 101, then a text frame with invalid UTF-8 */
    HM_COUNT
};

struct hostile;

/* Starts a server for |mode| on 127.0.0.1; sets |*port|. NULL on failure. */
struct hostile *hostile_start(enum hostile_mode mode, unsigned *port);
/* Stops the thread, closes every socket, frees |h|. */
void hostile_stop(struct hostile *h);
/* "silent", "endless-body", ... */
const char *hostile_mode_name(enum hostile_mode mode);
/* Bytes the server wrote so far. */
size_t hostile_bytes_sent(const struct hostile *h);

#endif
