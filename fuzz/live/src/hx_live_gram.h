/*
 * hx_live_gram.h - private interface of the live fuzzer's grammar
 * (hx_live_grammar.c: values and packets) and sequence generator
 * (hx_live_seq.c: sessions, repeated actions, leak probes, corpus
 * mutation). Not installed.
 */
#ifndef FUZZ_LIVE_SRC_HX_LIVE_GRAM_H
#define FUZZ_LIVE_SRC_HX_LIVE_GRAM_H

#include "hx_live_int.h"

#define GRAM_MAX_ATT 16

/* A Socket.IO packet being built: the fields of socket.io-protocol v5
 * §Packet encoding, plus the pad that carries one long string. */
struct gram_pkt {
    int type;       /* 0..6, or >= 10 for a wrong type character */
    char type_char; /* with type >= 10 */
    const char *nsp;
    char id[40];         /* ack id text, "" for none */
    struct cdc_buf json; /* payload, "" for none */
    unsigned n_att;      /* placeholders written */
    int att_hdr;         /* attachment count on the wire (-1: n_att) */
    uint32_t att_len[GRAM_MAX_ATT];
    uint32_t pad_n, pad_at; /* pad_at: offset in |json| */
    uint8_t pad_byte;
    bool plain; /* arguments a real client would send: short, shallow, valid */
};

extern const char *const gram_contract_events[];
extern const size_t gram_n_contract_events;
extern const char *const gram_contract_nsps[];
extern const size_t gram_n_contract_nsps;

void gram_pkt_init(struct gram_pkt *p);
void gram_pkt_free(struct gram_pkt *p);
/* A size in [0, max] from buckets that favour small values. */
uint32_t gram_size(struct gen *g, uint32_t max);
/* Appends a JSON value (placeholders and the pad recorded in |p|). */
void gram_json(struct gen *g, struct gram_pkt *p, struct cdc_buf *b);
/* Appends an event name (a JSON value, usually a contract string). */
void gram_event_name(struct gen *g, struct gram_pkt *p, struct cdc_buf *b);
/* A namespace: "/" and the contract's mostly, invented ones sometimes. */
const char *gram_nsp(struct gen *g);
/* An ack id's text at the edges (or small). */
void gram_ack_id(struct gen *g, char *out, size_t cap);
/* Makes |p| an EVENT named |ev| (NULL: any name) with generated args;
 * with an ack id when |ack|. */
void gram_event(struct gen *g, struct gram_pkt *p, const char *ev, bool ack);
/* Makes |p| any client packet, valid or not. */
void gram_any_packet(struct gen *g, struct gram_pkt *p);
/* Renders the text packet ("4" + Socket.IO text) to |out|; |*pad_at| is
 * where the pad goes in it. */
void gram_render_text(const struct gram_pkt *p, struct cdc_buf *out, uint32_t *pad_at);
/* Appends the send actions of |p| on session slot |sess|. */
void gram_send(struct gen *g, const struct gram_pkt *p, bool ws, unsigned sess);
/* Appends an Engine.IO-level send: any packet type, batches on polling. */
void gram_eio_send(struct gen *g, bool ws, unsigned sess);
/* Appends 2..16 Socket.IO packets (mostly events on |nsp|) in one polling
 * payload, or as consecutive WebSocket messages. */
void gram_batch(struct gen *g, const char *nsp, bool ws, unsigned sess);
/* Appends a packet the reference server must answer by closing the
 * connection, then the matching expect-close (protocol-notes §2.8). */
void gram_invalid_expect(struct gen *g, const char *nsp, unsigned sess);
/* True when |p| (|n| bytes) is one of gram_invalid_expect's packets. */
bool gram_is_invalid(const uint8_t *p, size_t n);

/* hx_live_seq.c */
/* A session sequence of several actions (the "grammar" generator). */
void gen_sequence(struct gen *g);
/* A leak probe: a prefix then a body repeated many times. */
void gen_leak_probe(struct gen *g);
/* Mutates the case being built (a corpus entry's copy) with grammar-aware
 * and structural operators; |other| (may be NULL) is a second entry for
 * splicing. */
void gen_mutate_grammar(struct gen *g, const struct hx_live_case *other);

#endif
