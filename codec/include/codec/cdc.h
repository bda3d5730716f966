/*
 * cdc.h - the codec's common layer: spans, bounded buffers, allocators,
 * error codes, decoder options and limits, compat-mode quirk flags.
 *
 * The codec is pure: no I/O, no globals, no printing. It depends on libc
 * (and links cJSON privately where a module chooses to); no cJSON type
 * appears in any public header. JSON leaves the codec as validated raw
 * spans, and cdc_json.h works on those spans.
 *
 * Invariants shared by every module:
 *  - Inputs are borrowed: a decoder never keeps a pointer into |in| after it
 *    returns, except through output spans whose comment says so.
 *  - Transformed output (base64-decoded bytes, encoded packets) goes into a
 *    caller-owned struct cdc_buf, bounded by its |max|. A function that fails
 *    leaves the buffer exactly as it was before the call.
 *  - Errors are negative enum cdc_err values. Their numbers are fixed forever:
 *    new codes are appended, none is renumbered or reused.
 */
#ifndef CODEC_CDC_H
#define CODEC_CDC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A borrowed view of bytes. Never NUL-terminated by contract. */
struct cdc_span {
    const uint8_t *p;
    size_t len;
};

#define CDC_SPAN_LIT(s) ((struct cdc_span){(const uint8_t *)(s), sizeof(s) - 1})

/* Error codes. Values mirror nothing on the wire but are stable forever. */
enum cdc_err {
    CDC_OK = 0,
    /* generic: -1 .. -19 */
    CDC_ERR_NOMEM = -1,       /* an allocation failed */
    CDC_ERR_INVALID_ARG = -2, /* the caller passed something unusable */
    CDC_ERR_TOO_LARGE = -3,   /* input or output exceeds a configured limit */
    CDC_ERR_TRUNCATED = -4,   /* input ended inside a construct */
    CDC_ERR_UTF8 = -5,        /* invalid UTF-8 where text is required */
    CDC_ERR_JSON = -6,        /* not valid JSON (RFC 8259) */
    CDC_ERR_JSON_DEPTH = -7,  /* JSON nested deeper than the limit */
    CDC_ERR_STATE = -8,       /* stateful decoder already failed: reset it */
    /* Engine.IO: -20 .. -49 */
    CDC_ERR_EIO_EMPTY = -20,           /* empty packet or empty payload segment */
    CDC_ERR_EIO_TYPE = -21,            /* packet type outside 0-6 (or 'b') */
    CDC_ERR_EIO_BASE64 = -22,          /* invalid base64 in a binary segment */
    CDC_ERR_EIO_DATA = -23,            /* data not allowed for this packet type */
    CDC_ERR_EIO_LENGTH = -24,          /* v3 length prefix malformed or mismatched */
    CDC_ERR_EIO_BINARY_PAYLOAD = -25,  /* v3 XHR2 binary payload framing error */
    CDC_ERR_EIO_HANDSHAKE = -26,       /* open packet is not the required object */
    CDC_ERR_EIO_HANDSHAKE_FIELD = -27, /* an open packet field has a bad type/range */
    CDC_ERR_EIO_ERROR_BODY = -28,      /* HTTP error body is not {"code","message"} */
    CDC_ERR_EIO_ERROR_CODE = -29,      /* HTTP error code outside 0-5 */
    CDC_ERR_WT_LENGTH = -30,           /* WebTransport frame length 0 or > 2^53-1 */
    CDC_ERR_EIO_BINARY = -31,          /* binary data where the framing forbids it */
    /* Socket.IO: -50 .. -79 */
    CDC_ERR_SIO_TYPE = -50,                 /* packet type outside 0-6 */
    CDC_ERR_SIO_ATTACHMENTS = -51,          /* attachment count malformed, missing '-' */
    CDC_ERR_SIO_TOO_MANY_ATTACHMENTS = -52, /* attachment count above the limit */
    CDC_ERR_SIO_NAMESPACE = -53,            /* namespace malformed or too long */
    CDC_ERR_SIO_ACK_ID = -54,               /* ack id malformed, too large, or misplaced */
    CDC_ERR_SIO_JSON = -55,                 /* payload is not valid JSON */
    CDC_ERR_SIO_PAYLOAD = -56,              /* payload has the wrong shape for the type */
    CDC_ERR_SIO_EVENT_NAME = -57,           /* event name missing, not string/number, reserved */
    CDC_ERR_SIO_PLACEHOLDER = -58,          /* placeholder num not an index of an attachment */
    CDC_ERR_SIO_UNEXPECTED_BINARY = -59,    /* binary message when no attachment is expected */
    CDC_ERR_SIO_UNEXPECTED_TEXT = -60,      /* text message while attachments are pending */
    CDC_ERR_SIO_MISSING_PAYLOAD = -61,      /* the type requires a payload and has none */
};

/* Returns a one-line English description of |err|; never NULL. */
const char *cdc_strerror(int err);
/* Returns the symbolic name of |err| without the CDC_ prefix, e.g. "ERR_SIO_ACK_ID";
 * "UNKNOWN" for a value that is not an enum cdc_err. Never NULL. */
const char *cdc_err_name(int err);

/* Where a decoder failed. |off| is the byte offset into the input handed to
 * the failing call; |why| is a static string naming the rule (never NULL
 * after a failure). Every decoder accepts NULL for its diag parameter. */
struct cdc_diag {
    size_t off;
    const char *why;
};

/* Allocator used by stateful objects. NULL everywhere means libc. */
struct cdc_mem {
    void *(*alloc)(size_t n, void *ud);
    void *(*realloc)(void *p, size_t n, void *ud);
    void (*free)(void *p, void *ud);
    void *ud;
};

void *cdc_mem_alloc(const struct cdc_mem *m, size_t n);
void *cdc_mem_realloc(const struct cdc_mem *m, void *p, size_t n);
void cdc_mem_free(const struct cdc_mem *m, void *p);

/* A growable byte buffer bounded by |max|. */
struct cdc_buf {
    uint8_t *p;
    size_t len;
    size_t cap;
    size_t max;
    const struct cdc_mem *mem; /* borrowed; NULL = libc */
};

/* Initialises an empty buffer that will never hold more than |max| bytes.
 * Borrows |mem| (may be NULL) for the buffer's lifetime. Allocates nothing. */
void cdc_buf_init(struct cdc_buf *b, size_t max, const struct cdc_mem *mem);
/* Releases the storage; the buffer is then empty and may be reused. */
void cdc_buf_free(struct cdc_buf *b);
/* Sets the length to 0 and keeps the storage. */
void cdc_buf_reset(struct cdc_buf *b);
/* Appends |n| bytes. Returns CDC_OK, CDC_ERR_TOO_LARGE (would pass |max|) or
 * CDC_ERR_NOMEM. On failure the buffer is unchanged. */
int cdc_buf_append(struct cdc_buf *b, const void *p, size_t n);
int cdc_buf_append_byte(struct cdc_buf *b, uint8_t c);
/* Appends a NUL-terminated string without its NUL. */
int cdc_buf_append_str(struct cdc_buf *b, const char *s);
/* Appends the decimal form of |v|. */
int cdc_buf_append_u64(struct cdc_buf *b, uint64_t v);
/* Makes room for |n| more bytes; |*out| points at them (len is unchanged:
 * the caller writes, then adds to b->len). Same returns as cdc_buf_append. */
int cdc_buf_reserve(struct cdc_buf *b, size_t n, uint8_t **out);

/* Decode mode. STRICT follows the protocol specs; COMPAT additionally accepts
 * what the reference Node parsers accept and names each quirk it accepted. */
enum cdc_mode {
    CDC_STRICT = 0,
    CDC_COMPAT = 1,
};

/* Resource limits. Every decoder honours them. */
struct cdc_limits {
    size_t max_payload;       /* bytes of one packet, frame or polling body (1000000) */
    unsigned max_json_depth;  /* nesting of arrays/objects (64) */
    unsigned max_attachments; /* Socket.IO binary attachments per packet (10) */
    size_t max_nsp_len;       /* Socket.IO namespace bytes (256) */
};

#define CDC_DEFAULT_MAX_PAYLOAD 1000000u
#define CDC_DEFAULT_MAX_JSON_DEPTH 64u
#define CDC_DEFAULT_MAX_ATTACHMENTS 10u
#define CDC_DEFAULT_MAX_NSP_LEN 256u

/* Options every decoder and encoder takes. */
struct cdc_opts {
    int eio_version;    /* 3 or 4 */
    int sio_version;    /* 4 or 5 */
    enum cdc_mode mode; /* CDC_STRICT (default) or CDC_COMPAT */
    struct cdc_limits lim;
};

/* Fills |o| with the defaults: EIO 4, SIO 5, strict, the default limits. */
void cdc_opts_init(struct cdc_opts *o);

/* Compat-mode quirks: one bit each, recorded in a decoded packet's |quirks|
 * when compat mode accepted something the spec does not allow. Append only;
 * a bit is never reassigned. */
enum cdc_quirk {
    CDC_QUIRK_EIO_LENIENT_BASE64 = 1u << 0,       /* base64 with invalid chars/padding, as Node */
    CDC_QUIRK_EIO_WS_TEXT_BINARY = 1u << 1,       /* 'b'+base64 inside a WebSocket text frame */
    CDC_QUIRK_SIO_NO_PAYLOAD = 1u << 2,           /* EVENT/ACK/... without the required payload */
    CDC_QUIRK_SIO_ACK_ID_SPACE = 1u << 3,         /* spaces read as digit 0 in an ack id */
    CDC_QUIRK_SIO_LOOSE_ATTACHMENTS = 1u << 4,    /* count like "1.0" or " 1" (JS Number()) */
    CDC_QUIRK_SIO_MISPLACED_ACK_ID = 1u << 5,     /* ack id on CONNECT/DISCONNECT/CONNECT_ERROR */
    CDC_QUIRK_SIO_ACK_WITHOUT_ID = 1u << 6,       /* ACK/BINARY_ACK without an ack id */
    CDC_QUIRK_SIO_CONNECT_ERROR_STRING = 1u << 7, /* v5 CONNECT_ERROR with a string payload */
    CDC_QUIRK_INVALID_UTF8 = 1u << 8,             /* invalid UTF-8 text (Node decodes to U+FFFD) */
    CDC_QUIRK_EIO_HANDSHAKE_EXTRA_KEY = 1u << 9,  /* open packet with keys beyond the five */
    CDC_QUIRK_EIO_HANDSHAKE_MISSING_KEY = 1u
                                          << 10, /* open packet lacking a key (e.g. maxPayload) */
    CDC_QUIRK_EIO_V3_LOOSE_LENGTH = 1u << 11,    /* v3 length prefix JS Number() accepts */
    CDC_QUIRK_SIO_UNREFERENCED_ATTACHMENT = 1u << 12, /* attachment no placeholder refers to */
    CDC_QUIRK_SIO_PLACEHOLDER_EXTRA = 1u << 13,       /* placeholder object with extra keys */
    CDC_QUIRK_SIO_TYPE_WHITESPACE = 1u << 14, /* empty packet or whitespace type read as CONNECT */
    CDC_QUIRK_SIO_V4_LEGACY_PAYLOAD = 1u << 15, /* v4 payload only parser 3.x accepts */
    CDC_QUIRK_SIO_PLACEHOLDER_NUM = 1u << 16,   /* placeholder num like 0.0, -0 or 1e0 */
    CDC_QUIRK_EIO_V3_EMPTY_PACKET = 1u << 17,   /* zero-length "0:" packet inside a v3 payload */
    CDC_QUIRK_EIO_V3_LOOSE_BINARY_PAYLOAD = 1u << 18, /* XHR2 entry the reference splitter reads */
};

/* Returns the kebab-case name of a single quirk bit, e.g. "sio-ack-id-space";
 * "unknown" for anything else. */
const char *cdc_quirk_name(uint32_t bit);

/* Base64 (RFC 4648 standard alphabet, with padding). */
int cdc_b64_encode(const uint8_t *in, size_t n, struct cdc_buf *out);
/* Strict decoding: standard alphabet, padded to a multiple of 4, no
 * whitespace. With |lenient| true it decodes like Node's Buffer.from(s,
 * "base64"): characters outside both alphabets are skipped, the URL-safe
 * alphabet is accepted, padding is optional and decoding stops at the first
 * '='. |*was_lenient| (may be NULL) is set when the input needed leniency.
 * Returns CDC_OK, CDC_ERR_EIO_BASE64 (strict only), CDC_ERR_TOO_LARGE,
 * CDC_ERR_NOMEM. Fills |diag| on error. */
int cdc_b64_decode(const uint8_t *in, size_t n, bool lenient, struct cdc_buf *out,
                   bool *was_lenient, struct cdc_diag *diag);

/* Returns CDC_OK if |in| is valid UTF-8 (no overlongs, no surrogates, <=
 * U+10FFFF), else CDC_ERR_UTF8 with the offset of the first bad byte in |diag|. */
int cdc_utf8_check(const uint8_t *in, size_t n, struct cdc_diag *diag);
/* Counts UTF-16 code units of |in| as a JS string would have after decoding
 * the bytes as UTF-8 (each maximal invalid subsequence counts as one U+FFFD;
 * code points above U+FFFF count 2). Never fails. */
size_t cdc_utf16_units(const uint8_t *in, size_t n);
/* Decodes one character of |p| (|n| > 0 bytes) as the WHATWG UTF-8 decoder
 * does. Sets |*cp| to the code point, or 0xFFFD for an invalid subpart, and
 * returns the bytes it consumed (1-4). */
size_t cdc_utf8_step(const uint8_t *p, size_t n, uint32_t *cp);
/* Returns the byte length of the longest prefix of |in| that holds exactly
 * |units| UTF-16 code units, or SIZE_MAX when |in| holds fewer, or when the
 * boundary would split a surrogate pair. */
size_t cdc_utf16_prefix(const uint8_t *in, size_t n, size_t units);

#endif
