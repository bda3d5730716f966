/*
 * sio.h - Socket.IO packets (protocol v5, and v4 as spoken over Engine.IO
 * v3), payload validation, binary deconstruction and reconstruction.
 *
 * Text form:  type [attachments "-"] ["/" nsp ","] [ackid] [json]
 * Binary attachments travel as separate Engine.IO binary messages after the
 * text packet; in the JSON each is replaced by {"_placeholder":true,"num":N}.
 *
 * Validation (both modes, per type, when a payload is present):
 *   CONNECT       v5: plain object.  v4: none in strict; compat as parser 3.x
 *   DISCONNECT    none
 *   EVENT / BINARY_EVENT   non-empty array; element 0 a number or a string
 *                 that is not reserved (connect, connect_error, disconnect,
 *                 disconnecting, newListener, removeListener)
 *   ACK / BINARY_ACK       array
 *   CONNECT_ERROR v5: object (compat: string too).  v4: string or object
 * Strict mode also requires the payload for EVENT, ACK and CONNECT_ERROR
 * (v4: EVENT only; its spec lets ACK and ERROR omit it) and an ack id for
 * ACK, and allows an ack id only on EVENT/ACK types.
 *
 * Binaries in C: there are no Buffer values in JSON text, so the codec marks
 * a binary inside JSON as the one-key object {"$binary":"<base64>"}.
 * sio_binary_deconstruct turns such markers into placeholders plus
 * attachments; sio_binary_reconstruct_json does the reverse.
 */
#ifndef CODEC_SIO_H
#define CODEC_SIO_H

#include "codec/cdc.h"

enum sio_type {
    SIO_CONNECT = 0,
    SIO_DISCONNECT = 1,
    SIO_EVENT = 2,
    SIO_ACK = 3,
    SIO_CONNECT_ERROR = 4,
    SIO_BINARY_EVENT = 5,
    SIO_BINARY_ACK = 6,
};

/* "CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT",
 * "BINARY_ACK" (v4 names type 4 "ERROR" when |sio_version| is 4); NULL for
 * anything else. */
const char *sio_type_name(int type, int sio_version);
/* Reverse of sio_type_name (accepts both "ERROR" and "CONNECT_ERROR"); -1 if
 * unknown. */
int sio_type_from_name(const char *name, size_t n);

/* Largest ack id the codec accepts: 2^53 - 1, the largest integer a JS peer
 * represents exactly. */
#define SIO_ACK_ID_MAX 9007199254740991ull

struct sio_packet {
    enum sio_type type;
    struct cdc_span nsp; /* "/" when absent on the wire */
    bool has_id;
    uint64_t id;
    struct cdc_span data; /* JSON text; len 0 means no payload */
    unsigned attachments; /* binary types only */
    uint32_t quirks;      /* enum cdc_quirk bits accepted in compat mode */
};

/* Decodes one Socket.IO text packet (the data of an Engine.IO message).
 * Spans point into |in| (|nsp| may point to a static "/"). Returns CDC_OK or
 * CDC_ERR_SIO_* / CDC_ERR_JSON_DEPTH / CDC_ERR_TOO_LARGE / CDC_ERR_UTF8. */
int sio_packet_decode(const struct cdc_opts *o, const uint8_t *in, size_t len,
                      struct sio_packet *out, struct cdc_diag *diag);

/* sio_packet_decode for text the caller already knows to be well-formed
 * UTF-8, such as the data of a text message eio_packet_decode_text accepted
 * in strict mode (or in compat mode without CDC_QUIRK_INVALID_UTF8): the
 * UTF-8 checks are skipped, so the text is read once. On well-formed input
 * the result is exactly sio_packet_decode's; on ill-formed input it is
 * unspecified (but memory-safe). Returns as sio_packet_decode. */
int sio_packet_decode_trusted_utf8(const struct cdc_opts *o, const uint8_t *in, size_t len,
                                   struct sio_packet *out, struct cdc_diag *diag);

/* Checks |p| against the same rules as the decoder in |o|'s mode. */
int sio_packet_validate(const struct cdc_opts *o, const struct sio_packet *p,
                        struct cdc_diag *diag);

/* Appends the text form of |p| after validating it. The namespace is written
 * with a trailing comma when it is not "/". Returns CDC_OK, the validation
 * error, CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM; |out| unchanged on failure. */
int sio_packet_encode(const struct cdc_opts *o, const struct sio_packet *p, struct cdc_buf *out);

/* sio_packet_encode without the validation, for a packet the caller knows
 * to pass sio_packet_validate with |o|: typically one sio_packet_decode (or
 * sio_binary_deconstruct) produced with the same options and nobody changed
 * since. Only the type range and the span pointers are checked. The
 * guarantee that decoding the output gives |p| back holds only when the
 * caller's does. Returns CDC_OK, CDC_ERR_INVALID_ARG, CDC_ERR_TOO_LARGE,
 * CDC_ERR_NOMEM; |out| unchanged on failure. */
int sio_packet_encode_trusted(const struct cdc_opts *o, const struct sio_packet *p,
                              struct cdc_buf *out);

/* Result of deconstruction: up to |max_attachments| binaries. */
struct sio_attachments {
    size_t n;
    struct cdc_span at[64]; /* spans into |bytes| (valid while |bytes| is unchanged) */
    struct cdc_buf *bytes;  /* borrowed: decoded attachment bytes, concatenated */
};

/* Replaces every {"$binary":"<base64>"} in |p->data| (depth first, in order
 * of appearance) by {"_placeholder":true,"num":N}; writes the new JSON to
 * |json_out| and the decoded bytes to |atts->bytes|. When at least one was
 * found, |p| becomes BINARY_EVENT/BINARY_ACK with |attachments| set and
 * |p->data| pointing into |json_out|; otherwise |p| is unchanged. Returns
 * CDC_OK, CDC_ERR_SIO_JSON, CDC_ERR_EIO_BASE64, CDC_ERR_SIO_TOO_MANY_ATTACHMENTS,
 * CDC_ERR_INVALID_ARG (not an EVENT/ACK), CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM. */
int sio_binary_deconstruct(const struct cdc_opts *o, struct sio_packet *p, struct cdc_buf *json_out,
                           struct sio_attachments *atts);

/* A complete packet from the decoder, attachments included. */
struct sio_message {
    struct sio_packet pkt;
    size_t n_attachments;
    const struct cdc_span *attachments; /* |n_attachments| spans */
};

/* Writes |m->pkt.data| with each placeholder replaced by
 * {"$binary":"<base64 of the attachment>"}. Returns CDC_OK,
 * CDC_ERR_SIO_PLACEHOLDER, CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM. */
int sio_binary_reconstruct_json(const struct cdc_opts *o, const struct sio_message *m,
                                struct cdc_buf *out);

/* The reconstruction state machine: feed it every Engine.IO message of a
 * connection in order. */
struct sio_decoder;

/* Allocates a decoder that copies |o| and borrows |mem| (NULL = libc).
 * Returns CDC_OK or CDC_ERR_NOMEM. */
int sio_decoder_new(struct sio_decoder **out, const struct cdc_opts *o, const struct cdc_mem *mem);
void sio_decoder_del(struct sio_decoder *d);
/* Drops any pending packet and clears a sticky error. */
void sio_decoder_reset(struct sio_decoder *d);
/* True while attachments of a binary packet are awaited. */
bool sio_decoder_pending(const struct sio_decoder *d);

#define SIO_DEC_PENDING 0
#define SIO_DEC_PACKET 1

/* Feeds one Engine.IO message (|binary| says which kind). Returns
 * SIO_DEC_PACKET with |out| filled (spans valid until the next feed, reset or
 * del), SIO_DEC_PENDING when more attachments are awaited, or a negative
 * cdc_err: the packet's decode error, CDC_ERR_SIO_UNEXPECTED_BINARY,
 * CDC_ERR_SIO_UNEXPECTED_TEXT, CDC_ERR_SIO_PLACEHOLDER, CDC_ERR_TOO_LARGE,
 * CDC_ERR_NOMEM. Errors are sticky (CDC_ERR_STATE afterwards) until reset. */
int sio_decoder_feed(struct sio_decoder *d, bool binary, const uint8_t *in, size_t len,
                     struct sio_message *out, struct cdc_diag *diag);

#endif
