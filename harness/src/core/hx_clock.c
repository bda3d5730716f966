/*
 * hx_clock.c - clock helpers, the fake clock and the seeded RNG.
 *
 * The RNG is xorshift64* (Vigna): small, fast and reproducible from a seed;
 * the seed is mixed with splitmix64 first so that 0 and small seeds give
 * good streams.
 */
#include "harness/hx_clock.h"

uint64_t hx_clock_now(const struct hx_clock *c)
{
    return c->now_us(c->ud);
}

uint64_t hx_clock_in_ms(const struct hx_clock *c, uint32_t ms)
{
    return hx_clock_now(c) + (uint64_t)ms * 1000u;
}

static uint64_t fake_now(void *ud)
{
    return ((const struct hx_fake_clock *)ud)->now;
}

void hx_fake_clock_init(struct hx_fake_clock *f, uint64_t start_us)
{
    f->now = start_us;
    f->clock.now_us = fake_now;
    f->clock.ud = f;
}

void hx_fake_clock_advance(struct hx_fake_clock *f, uint64_t us)
{
    f->now += us;
}

void hx_fake_clock_set(struct hx_fake_clock *f, uint64_t t)
{
    if (t > f->now)
        f->now = t;
}

void hx_rng_seed(struct hx_rng *r, uint64_t seed)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    r->s = z ? z : 0x2545f4914f6cdd1dull;
}

uint64_t hx_rng_next(struct hx_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

void hx_rng_bytes(struct hx_rng *r, uint8_t *out, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i % 8 == 0)
            v = hx_rng_next(r);
        out[i] = (uint8_t)(v >> (8 * (i % 8)));
    }
}
