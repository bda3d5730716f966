/*
 * hx_ws.h - a pure WebSocket (RFC 6455) client toolkit: opening handshake
 * request and check, SHA-1 for Sec-WebSocket-Accept, a frame encoder that
 * can produce any frame (including invalid ones for negative cases), and an
 * incremental, bounded frame parser for what a server sends.
 *
 * The ordinary session WebSocket goes through libwebsockets in harness_net;
 * this module serves the raw transport, which must send frames a library
 * refuses to write (bad opcodes, RSV bits, unmasked, lying lengths, invalid
 * UTF-8, odd close codes) and must survive hostile servers.
 *
 * Parser rules (client side, no extension negotiated): RSV bits clear,
 * opcodes 0-2 and 8-10 only, server frames unmasked, control frames
 * unfragmented and <= 125 bytes, 64-bit lengths with the top bit clear,
 * lengths minimally encoded, continuation only inside a fragmented message,
 * text messages valid UTF-8 (optional), close payload empty or code +
 * UTF-8 reason with a code allowed on the wire. Messages are reassembled up
 * to |max_msg| bytes; a header announcing more is refused before its
 * payload arrives.
 */
#ifndef HARNESS_HX_WS_H
#define HARNESS_HX_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"
#include "harness/hx_http.h"

enum hx_ws_opcode {
    HX_WS_CONT = 0,
    HX_WS_TEXT = 1,
    HX_WS_BINARY = 2,
    HX_WS_CLOSE = 8,
    HX_WS_PING = 9,
    HX_WS_PONG = 10,
};

/* One frame to send. Zero-initialised fields give a final, masked frame
 * with a correct length. */
struct hx_ws_out {
    uint8_t opcode;       /* any 0-15 (raw); lws transport: text/binary/ping/close */
    bool no_fin;          /* clear FIN (fragment) */
    uint8_t rsv;          /* RSV1..3 bits as 0-7 (raw only) */
    bool unmasked;        /* raw only: send without a mask (illegal from a client) */
    bool length_override; /* raw only: header announces |declared_len| instead */
    uint64_t declared_len;
    const uint8_t *payload; /* borrowed */
    size_t len;
    uint16_t close_code;      /* CLOSE: code to put first (0 = no code) */
    const uint8_t *raw_bytes; /* raw only: write exactly these bytes instead */
    size_t raw_len;
};

/* Appends the frame |f| to |out|, masking the payload with |mask| unless
 * |f->unmasked|. A CLOSE with |close_code| gets the 2-byte code before the
 * payload. With |f->raw_bytes| set, appends those verbatim. Returns CDC_OK,
 * CDC_ERR_INVALID_ARG (opcode > 15, rsv > 7), CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM. */
int hx_ws_frame_encode(const struct hx_ws_out *f, const uint8_t mask[4], struct cdc_buf *out);

/* What the parser hands back. */
struct hx_ws_msg {
    uint8_t opcode;         /* HX_WS_TEXT, HX_WS_BINARY, HX_WS_PING, HX_WS_PONG, HX_WS_CLOSE */
    struct cdc_span data;   /* message or control payload; valid until the next feed */
    uint16_t close_code;    /* CLOSE: the code, 1005 when the frame had none */
    struct cdc_span reason; /* CLOSE: the reason text */
    size_t frames;          /* frames this message was assembled from */
};

struct hx_ws_parser {
    size_t max_msg;
    bool check_utf8;
    uint8_t hdr[14];
    size_t hdr_len;
    size_t hdr_need;
    uint8_t op; /* opcode of the frame in progress */
    bool fin;
    uint64_t left;  /* payload bytes of the current frame still to read */
    uint8_t msg_op; /* opcode of the fragmented message in progress, 0 none */
    size_t msg_frames;
    struct cdc_buf msg;  /* data message being assembled */
    struct cdc_buf ctrl; /* control frame payload */
    int err;             /* sticky hx_status */
    const char *why;     /* static reason after an error */
};

/* Initialises |p|: messages up to |max_msg| bytes, text checked as UTF-8
 * when |check_utf8|. */
void hx_ws_parser_init(struct hx_ws_parser *p, size_t max_msg, bool check_utf8);
void hx_ws_parser_free(struct hx_ws_parser *p);

/* Consumes bytes. Returns 1 when a message or control frame is complete (in
 * |out|; |*consumed| bytes of |in| were used, call again with the rest), 0
 * when all of |in| was used without completing one, or a negative
 * hx_status (HX_ERR_PROTOCOL, HX_ERR_TOO_LARGE, HX_ERR_NOMEM), sticky, with
 * |p->why| set. */
int hx_ws_parser_feed(struct hx_ws_parser *p, const uint8_t *in, size_t n, size_t *consumed,
                      struct hx_ws_msg *out);

/* SHA-1 of |n| bytes into |out|. */
void hx_sha1(const void *p, size_t n, uint8_t out[20]);

/* Writes the Sec-WebSocket-Accept value for |key| (NUL-terminated, 28 chars
 * plus NUL) into |out|. */
void hx_ws_accept_for(const char *key, char out[29]);

/* Appends an opening-handshake request for |target| to |out|: GET, Host:
 * |host|, Upgrade, Connection, Sec-WebSocket-Key: |key|, version 13, then
 * |headers|. Returns CDC_OK, CDC_ERR_TOO_LARGE or CDC_ERR_NOMEM. */
int hx_ws_request_build(const char *target, const char *host, const char *key,
                        const struct hx_header *headers, size_t n_headers, struct cdc_buf *out);

/* Checks a parsed response head against the handshake rules: status 101,
 * Upgrade: websocket, Connection containing Upgrade, the right
 * Sec-WebSocket-Accept for |key|. Returns HX_OK, HX_ERR_HTTP_STATUS (not
 * 101), or HX_ERR_PROTOCOL, with |*why| set to a static reason. */
int hx_ws_handshake_check(int status, struct cdc_span head, const char *key, const char **why);

#endif
