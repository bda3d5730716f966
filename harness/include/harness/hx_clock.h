/*
 * hx_clock.h - the harness's clock and random-number interfaces.
 *
 * Every deadline in the harness is an absolute time in microseconds on a
 * struct hx_clock. harness_core never reads the system time itself: the real
 * monotonic clock lives in harness_net (hx_net_clock), and unit tests use
 * the fake clock below, which only moves when a test (or the fake
 * transport) advances it, so timer logic runs in microseconds and
 * deterministically.
 *
 * The RNG (xorshift64*) is seeded from the case's --seed so WebSocket keys,
 * masks and generated ids are reproducible. It is not for security.
 *
 * Thread rules: a clock's now() may be called from any thread when its
 * implementation says so (the real clock is stateless); a fake clock and an
 * RNG belong to one thread.
 */
#ifndef HARNESS_HX_CLOCK_H
#define HARNESS_HX_CLOCK_H

#include <stdint.h>

struct hx_clock {
    uint64_t (*now_us)(void *ud); /* monotonic microseconds; never decreases */
    void *ud;
};

/* Returns the current time of |c| in microseconds. */
uint64_t hx_clock_now(const struct hx_clock *c);

/* Returns now + |ms| milliseconds on |c|: the usual way to make a deadline. */
uint64_t hx_clock_in_ms(const struct hx_clock *c, uint32_t ms);

/* A clock that stands still until advanced. */
struct hx_fake_clock {
    struct hx_clock clock;
    uint64_t now;
};

/* Initialises |f| at time |start_us|; |f->clock| is then a usable clock that
 * borrows |f|. */
void hx_fake_clock_init(struct hx_fake_clock *f, uint64_t start_us);
/* Moves |f| forward by |us| microseconds. */
void hx_fake_clock_advance(struct hx_fake_clock *f, uint64_t us);
/* Moves |f| to |t| when |t| is later than now; never moves it back. */
void hx_fake_clock_set(struct hx_fake_clock *f, uint64_t t);

struct hx_rng {
    uint64_t s;
};

/* Seeds |r|; any seed (0 included) gives a valid, reproducible stream. */
void hx_rng_seed(struct hx_rng *r, uint64_t seed);
/* Returns the next 64 pseudo-random bits. */
uint64_t hx_rng_next(struct hx_rng *r);
/* Fills |n| bytes at |out|. */
void hx_rng_bytes(struct hx_rng *r, uint8_t *out, unsigned n);

#endif
