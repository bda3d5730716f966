/*
 * hx_match.h - matchers: which queued item a case is waiting for, and
 * structural JSON comparison.
 *
 * A struct hx_match is a conjunction of optional filters; a zero field
 * matches anything. Items are matched by kind, Engine.IO type, Socket.IO
 * type, namespace, event name, ack id and channel, so replies that a server
 * reorders (CONNECT answers, acks) are found by content, not position.
 *
 * JSON comparison is structural: object members in any order, numbers by
 * value, strings after unescaping. It works on spans the codec validated.
 */
#ifndef HARNESS_HX_MATCH_H
#define HARNESS_HX_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"

struct hx_item;

#define HX_KIND(k) (1u << (unsigned)(k))
#define HX_TYPE(t) (1u << (unsigned)(t))

struct hx_match {
    unsigned kinds;     /* HX_KIND(HX_ITEM_...) bits; 0 = any kind */
    unsigned eio_types; /* HX_TYPE(EIO_...) bits for EIO items; 0 = any */
    unsigned sio_types; /* HX_TYPE(SIO_...) bits for SIO items; 0 = any */
    const char *nsp;    /* SIO namespace; NULL = any */
    const char *event;  /* SIO event name (string element 0); NULL = any */
    bool has_id;        /* SIO: require ack id |id| */
    uint64_t id;
    unsigned chan; /* channel; 0 = any */
};

/* True when |it| satisfies every filter of |m| (NULL matches all). */
bool hx_match_item(const struct hx_match *m, const struct hx_item *it);

/* Filters for the common waits. */
struct hx_match hx_match_eio(int eio_type);
struct hx_match hx_match_sio(int sio_type, const char *nsp);
/* An EVENT or BINARY_EVENT named |event| on |nsp|. */
struct hx_match hx_match_event(const char *nsp, const char *event);
/* An ACK or BINARY_ACK with |id| on |nsp|. */
struct hx_match hx_match_ack(const char *nsp, uint64_t id);
struct hx_match hx_match_kind(int item_kind);
struct hx_match hx_match_chan(unsigned chan);

/* Structural equality of two JSON values (validated spans). Depth is
 * bounded by 64; deeper values compare unequal. */
bool hx_json_eq(struct cdc_span a, struct cdc_span b);
/* Sets |name| to the first element of array |data| when it is a string
 * (raw token with quotes) and returns 1; 0 otherwise. */
int hx_json_event_name(struct cdc_span data, struct cdc_span *name);
/* Appends to |out| a JSON array of the elements of array |data| after the
 * first ("[...]"). Returns CDC_OK or a cdc_err. */
int hx_json_args(struct cdc_span data, struct cdc_buf *out);

#endif
