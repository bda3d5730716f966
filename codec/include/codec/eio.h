/*
 * eio.h - Engine.IO packets, polling payloads, handshakes and HTTP error
 * bodies, protocol revisions 3 and 4.
 *
 * Framings:
 *  - WebSocket: one packet per message. Text: type digit + data. Binary v4:
 *    raw bytes (message implied). Binary v3: first byte is the packet type.
 *  - Polling v4: packets joined by 0x1E; binary as 'b' + base64.
 *  - Polling v3 text: "<len>:<packet>" repeated, len in UTF-16 code units;
 *    binary as "b<type><base64>".
 *  - Polling v3 binary (XHR2): per packet <0|1><length digits as bytes
 *    0-9><0xFF><bytes>; 0 = string packet, 1 = binary packet whose first byte
 *    is the packet type.
 *
 * Decoders are whole-message: they return int (CDC_OK or a negative
 * cdc_err). Output spans point into the input, or into the caller's
 * |scratch| buffer for base64-decoded data, as each function says.
 */
#ifndef CODEC_EIO_H
#define CODEC_EIO_H

#include "codec/cdc.h"

enum eio_type {
    EIO_OPEN = 0,
    EIO_CLOSE = 1,
    EIO_PING = 2,
    EIO_PONG = 3,
    EIO_MESSAGE = 4,
    EIO_UPGRADE = 5,
    EIO_NOOP = 6,
};

/* Returns "open", "close", "ping", "pong", "message", "upgrade", "noop", or
 * NULL for anything else. */
const char *eio_type_name(int type);
/* Reverse of eio_type_name; -1 if |name| (|n| bytes) names no type. */
int eio_type_from_name(const char *name, size_t n);

struct eio_packet {
    enum eio_type type;
    bool binary;          /* data is binary (always a message in v4) */
    struct cdc_span data; /* text after the type digit, or the binary bytes */
    uint32_t quirks;      /* enum cdc_quirk bits accepted in compat mode */
};

/* Decodes one WebSocket text message (also used for one v4 polling segment
 * by eio_payload_next). Spans point into |in|, except base64-decoded binary
 * data, which is written to |scratch| (reset first) and points there.
 * Returns CDC_OK, CDC_ERR_EIO_EMPTY, CDC_ERR_EIO_TYPE, CDC_ERR_EIO_BASE64,
 * CDC_ERR_EIO_DATA, CDC_ERR_UTF8, CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM. */
int eio_packet_decode_text(const struct cdc_opts *o, const uint8_t *in, size_t len,
                           struct cdc_buf *scratch, struct eio_packet *out, struct cdc_diag *diag);

/* Decodes one WebSocket binary message: v4 = message with |in| as data; v3
 * = first byte is the type. |out->data| points into |in|. Returns CDC_OK,
 * CDC_ERR_EIO_EMPTY (v3, no type byte), CDC_ERR_EIO_TYPE, CDC_ERR_TOO_LARGE. */
int eio_packet_decode_binary(const struct cdc_opts *o, const uint8_t *in, size_t len,
                             struct eio_packet *out, struct cdc_diag *diag);

enum eio_framing {
    EIO_FRAMING_WS = 0,      /* WebSocket message (or WebTransport payload) */
    EIO_FRAMING_POLLING = 1, /* one segment of a polling payload */
};

/* Appends the wire form of |p| to |out|. With EIO_FRAMING_WS a binary packet
 * is raw bytes (v3: type byte first) and the caller sends it as a binary
 * message; with EIO_FRAMING_POLLING it becomes 'b' + base64 (v3: "b4"+b64).
 * Returns CDC_OK, CDC_ERR_INVALID_ARG (bad type, binary non-message in v4),
 * CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM; |out| unchanged on failure. */
int eio_packet_encode(const struct cdc_opts *o, const struct eio_packet *p, enum eio_framing f,
                      struct cdc_buf *out);

enum eio_payload_kind {
    EIO_PAYLOAD_TEXT = 0,   /* v4 0x1E-joined, or v3 "<len>:" text form */
    EIO_PAYLOAD_BINARY = 1, /* v3 XHR2 binary form (octet-stream) */
};

/* Iterator over the packets of one polling payload (HTTP body). */
struct eio_payload_iter {
    const struct cdc_opts *o; /* borrowed */
    const uint8_t *in;        /* borrowed */
    size_t len;
    size_t pos;
    enum eio_payload_kind kind;
    int err; /* sticky error, 0 while fine */
    bool done;
    bool utf8;       /* v4 text: the whole body is well-formed UTF-8 (checked once) */
    uint32_t quirks; /* every quirk accepted so far, skipped segments included */
};

/* Starts iterating |in|. Borrows |o| and |in| until the iteration ends. An
 * empty body is an error reported by the first eio_payload_next call
 * (except an XHR2 body in compat mode: no packet, as the reference). */
void eio_payload_iter_init(struct eio_payload_iter *it, const struct cdc_opts *o, const uint8_t *in,
                           size_t len, enum eio_payload_kind kind);

/* Returns 1 with the next packet in |out|, 0 after the last packet, or a
 * negative cdc_err (sticky: later calls return it again). Packets before a
 * bad one are returned normally first, as the reference delivers them.
 * |out| spans point into the input or into |scratch|; they stay valid until
 * the next call with the same |scratch|. |diag->off| is an offset into the
 * whole payload. */
int eio_payload_next(struct eio_payload_iter *it, struct cdc_buf *scratch, struct eio_packet *out,
                     struct cdc_diag *diag);

/* Appends |n| packets as one polling payload of |kind| to |out|. v4 allows
 * only EIO_PAYLOAD_TEXT. Returns as eio_packet_encode; CDC_ERR_INVALID_ARG
 * for n == 0. */
int eio_payload_encode(const struct cdc_opts *o, const struct eio_packet *pkts, size_t n,
                       enum eio_payload_kind kind, struct cdc_buf *out);

/* eio_payload_encode for packets whose text data the caller knows to be
 * well-formed UTF-8, such as those eio_payload_next returned in strict mode
 * (or in compat mode without CDC_QUIRK_INVALID_UTF8): the v3 text form then
 * counts UTF-16 units without checking the UTF-8 on the way. On well-formed
 * text the output is exactly eio_payload_encode's; on ill-formed text a v3
 * length prefix is unspecified (but the call is memory-safe). v4 and XHR2
 * payloads carry no such count and are encoded as by eio_payload_encode. */
int eio_payload_encode_trusted_utf8(const struct cdc_opts *o, const struct eio_packet *pkts,
                                    size_t n, enum eio_payload_kind kind, struct cdc_buf *out);

/* Handshake (the data of the open packet). */
enum eio_upgrade_bits {
    EIO_UPGRADE_WEBSOCKET = 1u << 0,
    EIO_UPGRADE_WEBTRANSPORT = 1u << 1,
};

enum eio_handshake_keys {
    EIO_HS_SID = 1u << 0,
    EIO_HS_UPGRADES = 1u << 1,
    EIO_HS_PING_INTERVAL = 1u << 2,
    EIO_HS_PING_TIMEOUT = 1u << 3,
    EIO_HS_MAX_PAYLOAD = 1u << 4,
};

#define EIO_SID_MAX 128

struct eio_handshake {
    char sid[EIO_SID_MAX + 1]; /* unescaped, NUL-terminated */
    size_t sid_len;
    unsigned upgrades;      /* enum eio_upgrade_bits */
    unsigned n_upgrades;    /* entries in the upgrades array, known or not */
    uint64_t ping_interval; /* ms */
    uint64_t ping_timeout;  /* ms */
    uint64_t max_payload;   /* bytes; 0 when absent */
    unsigned present;       /* enum eio_handshake_keys */
    unsigned extra_keys;    /* keys beyond the five */
    uint32_t quirks;
};

/* Decodes the JSON of an open packet (the bytes after '0'). Strict v4
 * requires exactly the five keys; strict v3 the first four, maxPayload
 * optional. sid: non-empty string up to EIO_SID_MAX bytes; upgrades: array
 * of strings; pingInterval, pingTimeout: integers 1..2^31-1; maxPayload:
 * integer 1..2^53-1. Compat mode tolerates extra and missing keys (quirk
 * bits) but never a present key of the wrong type. Returns CDC_OK,
 * CDC_ERR_JSON, CDC_ERR_JSON_DEPTH, CDC_ERR_EIO_HANDSHAKE,
 * CDC_ERR_EIO_HANDSHAKE_FIELD. */
int eio_handshake_decode(const struct cdc_opts *o, const uint8_t *json, size_t len,
                         struct eio_handshake *out, struct cdc_diag *diag);

/* Appends the JSON object for |hs| (keys in the reference order; maxPayload
 * only when present) to |out|. */
int eio_handshake_encode(const struct cdc_opts *o, const struct eio_handshake *hs,
                         struct cdc_buf *out);

/* HTTP error bodies: {"code":N,"message":"..."}. */
enum eio_error_code {
    EIO_ERR_TRANSPORT_UNKNOWN = 0,
    EIO_ERR_UNKNOWN_SID = 1,
    EIO_ERR_BAD_HANDSHAKE_METHOD = 2,
    EIO_ERR_BAD_REQUEST = 3,
    EIO_ERR_FORBIDDEN = 4,
    EIO_ERR_UNSUPPORTED_PROTOCOL_VERSION = 5,
};

/* Standard message for |code| ("Transport unknown" ...), NULL if unknown. */
const char *eio_error_message(int code);

struct eio_error {
    int code;
    struct cdc_span message; /* raw string token with quotes; points into input */
};

/* Decodes an error body. Strict: exactly the keys code (integer 0-5) and
 * message (string). Compat: extra keys tolerated. Returns CDC_OK,
 * CDC_ERR_JSON, CDC_ERR_EIO_ERROR_BODY, CDC_ERR_EIO_ERROR_CODE. */
int eio_error_decode(const struct cdc_opts *o, const uint8_t *json, size_t len,
                     struct eio_error *out, struct cdc_diag *diag);

/* Appends {"code":N,"message":"<standard message>"} to |out|. */
int eio_error_encode(int code, struct cdc_buf *out);

#endif
