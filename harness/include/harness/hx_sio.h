/*
 * hx_sio.h - the Socket.IO layer of a session: namespaces, events, acks and
 * binary attachments, protocol v5 (over EIO 4) and v4 (over EIO 3).
 *
 * A session created with |sio| = 4 or 5 feeds every Engine.IO message it
 * receives, in order, to a sio_decoder; each complete packet (attachments
 * reassembled) is queued as an HX_ITEM_SIO item whose |json| shows binaries
 * as {"$binary":"<base64>"}. Undecodable input is queued as an
 * HX_ITEM_ERROR item and the decoder starts afresh.
 *
 * Sending uses the same marker: any {"$binary":"<base64>"} in the JSON a
 * case passes becomes a placeholder plus an attachment, and the packet and
 * its attachments go out together (one POST on polling).
 *
 * v5: every namespace, "/" included, is joined with an explicit CONNECT
 * whose payload is the auth object. v4: the server joins "/" by itself
 * after the open packet; other namespaces are joined with "40/nsp?query,"
 * where |auth| is the query string.
 *
 * Thread rules: those of the session (hx_session.h).
 */
#ifndef HARNESS_HX_SIO_H
#define HARNESS_HX_SIO_H

#include <stdbool.h>
#include <stdint.h>

#include "codec/sio.h"
#include "harness/hx_session.h"

/* Joins namespace |nsp| (NULL = "/") with |auth| (v5: a JSON object or NULL;
 * v4: a query string or NULL) and waits for the server's CONNECT or
 * CONNECT_ERROR for that namespace, handed out in |*reply| (may be NULL).
 * Returns HX_OK (CONNECT), HX_ERR_REJECTED (CONNECT_ERROR), HX_ERR_TIMEOUT,
 * HX_ERR_CLOSED, HX_ERR_STATE (session not open or Engine.IO only), or a
 * send error. */
int hx_sio_connect(struct hx_session *s, const char *nsp, const char *auth, uint64_t deadline,
                   const struct hx_item **reply);

/* Emits an EVENT on |nsp| (NULL = "/") whose data is the JSON array |args|
 * (element 0 the event name; binaries as {"$binary":...}). With |ack| set,
 * a fresh ack id is attached and stored in |*ack_id| (may be NULL). Returns
 * HX_OK, HX_ERR_INVALID_ARG (|args| not a valid event array), or a send
 * error. */
int hx_sio_emit(struct hx_session *s, const char *nsp, const char *args, bool ack, uint64_t *ack_id,
                uint64_t deadline);

/* Answers the server's ack request |id| on |nsp| with the JSON array
 * |args| (binaries allowed). Same returns. */
int hx_sio_ack(struct hx_session *s, const char *nsp, uint64_t id, const char *args,
               uint64_t deadline);

/* Sends packet |p| as given (after turning binary markers in an EVENT/ACK
 * into attachments). Spans in |p| are borrowed for the call. */
int hx_sio_send(struct hx_session *s, const struct sio_packet *p, uint64_t deadline);

/* Sends DISCONNECT for |nsp| (NULL = "/"). */
int hx_sio_disconnect(struct hx_session *s, const char *nsp, uint64_t deadline);

/* Waits for an EVENT/BINARY_EVENT named |event| on |nsp| (NULL = "/"). */
int hx_sio_expect_event(struct hx_session *s, const char *nsp, const char *event, uint64_t deadline,
                        const struct hx_item **out);
/* Waits for the ACK/BINARY_ACK with |id| on |nsp| (NULL = "/"). */
int hx_sio_expect_ack(struct hx_session *s, const char *nsp, uint64_t id, uint64_t deadline,
                      const struct hx_item **out);

#endif
