/*
 * hx_live_int.h - private helpers shared by the live fuzzer's generator
 * files (hx_live_gen.c: the catalogue of known-dangerous inputs;
 * hx_live_mut.c: valid seed sessions, mutations and framing cases).
 * Not installed.
 *
 * A struct gen appends actions to one case; the first failure (NOMEM) is
 * sticky in |err| so builders can append without checking every call.
 * Every random choice comes from |r|, seeded from (campaign seed, case
 * index): the same inputs always build the same case.
 */
#ifndef FUZZ_LIVE_SRC_HX_LIVE_INT_H
#define FUZZ_LIVE_SRC_HX_LIVE_INT_H

#include "harness/hx_clock.h"
#include "live/hx_live.h"

#include <string.h>

struct gen {
    struct hx_rng r;
    const struct hx_live_gen_opts *o;
    struct hx_live_case *c;
    int err;
    bool canonical; /* every choice takes its first option (catalogue round 1) */
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Mixes a seed and an index into a well-spread 64-bit seed (splitmix64). */
uint64_t live_mix(uint64_t seed, uint64_t index);

void gen_init(struct gen *g, const struct hx_live_gen_opts *o, uint64_t seed,
              struct hx_live_case *c);
/* Uniform in [0, n) (n > 0). */
uint32_t gen_below(struct gen *g, uint32_t n);
/* True with probability |pct| percent. */
bool gen_chance(struct gen *g, unsigned pct);
/* A random element of a NULL-free string array.
 * Determinism across compilers: every function here draws from the RNG, so
 * never make two draws in one expression or argument list (their order is
 * unspecified in C); take each draw in its own statement. */
const char *gen_pick(struct gen *g, const char *const *v, size_t n);

/* Appends |a| (deep copy); sticky error. */
void gen_push(struct gen *g, const struct hx_live_action *a);
void gen_open(struct gen *g, bool ws);
void gen_send(struct gen *g, const void *p, size_t n, bool binary);
void gen_send_str(struct gen *g, const char *s);
void gen_http(struct gen *g, const char *method, const char *target, const char *ctype,
              const void *body, size_t n, unsigned flags);
void gen_raw(struct gen *g, const void *p, size_t n, uint32_t rst_ms);
void gen_wsopen(struct gen *g, const char *target, const void *after, size_t n);
void gen_wsframe(struct gen *g, uint8_t opcode, const void *p, size_t n, unsigned flags);
void gen_sleep(struct gen *g, uint32_t ms);
void gen_close(struct gen *g, int how);
void gen_expect_close(struct gen *g, uint32_t ms, const char *rule);
/* The last action appended (to add options), or NULL. */
struct hx_live_action *gen_last(struct gen *g);

/* Opens a session on a random transport (sometimes upgrading from polling)
 * and, on a Socket.IO server, joins "/" (and "/custom" when |custom|).
 * Returns true when it chose WebSocket-only or upgraded. */
bool gen_session(struct gen *g, bool custom);

/* hx_live_mut.c */
/* Builds a valid session with a few events (a seed), unmutated. */
void gen_seed_session(struct gen *g);
/* Applies 1..4 random mutations to the case being built. */
void gen_mutate(struct gen *g);
/* Builds an HTTP or WebSocket framing case. */
void gen_framing(struct gen *g);
/* Mutates the bytes of |b| in place (one structure-aware or byte-level
 * operation); sticky NOMEM in |g->err|. */
void gen_mutate_bytes(struct gen *g, struct hx_live_bytes *b, bool sio_aware);

#endif
