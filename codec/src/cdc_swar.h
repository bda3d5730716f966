/*
 * cdc_swar.h - private: eight bytes at a time in a 64-bit word (SWAR).
 *
 * Text scanners (UTF-8 checking, UTF-16 counting, JSON strings, digit runs
 * and value skipping) spend most of their time on runs of plain bytes. These helpers test a whole
 * word for the bytes a scanner must stop at, so a run costs one load and a few arithmetic
 * operations per 8 bytes. Words are loaded with memcpy (no alignment or aliasing assumptions).
 * Every test is exact for the word as a whole; only the position of the first flagged byte uses a
 * byte-order trick, with a portable fallback.
 */
#ifndef CODEC_CDC_SWAR_H
#define CODEC_CDC_SWAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGHS 0x8080808080808080ull

static inline uint64_t swar_load(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* High bit set in some byte iff a byte of |x| is below |n| (n <= 128).
 * Bytes above the first flagged one may be flagged wrongly (borrows), so
 * only "any" and the lowest flag on little-endian targets are exact. */
static inline uint64_t swar_below(uint64_t x, uint8_t n)
{
    return (x - SWAR_ONES * n) & ~x & SWAR_HIGHS;
}

static inline uint64_t swar_equal(uint64_t x, uint8_t b)
{
    return swar_below(x ^ (SWAR_ONES * b), 1);
}

/* Number of bytes flagged in |mask| (only high bits set, each exact). */
static inline unsigned swar_count(uint64_t mask)
{
    return (unsigned)(((mask >> 7) * SWAR_ONES) >> 56);
}

/* Index of the first flagged byte of a nonzero |mask|. Borrows only travel
 * towards later bytes on little-endian targets, so there the lowest flag
 * is exact; elsewhere it returns 0 and the caller's byte loop, which
 * rechecks every byte it stops at, finds the byte. */
static inline size_t swar_first(uint64_t mask)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(mask) / 8;
#else
    (void)mask;
    return 0;
#endif
}

/* Returns the first byte at or after |p| that is >= 0x80, or |end|. */
static inline const uint8_t *cdc_skip_ascii(const uint8_t *p, const uint8_t *end)
{
    while (end - p >= 8) {
        uint64_t high = swar_load(p) & SWAR_HIGHS;
        if (high) {
            p += swar_first(high);
            break;
        }
        p += 8;
    }
    while (p < end && *p < 0x80)
        p++;
    return p;
}

/*
 * String bodies are mostly plain bytes, so they are skipped eight at a time
 * (SWAR): a word is plain when none of its bytes is a control character,
 * '"', '\\', or (when UTF-8 is checked) >= 0x80. Each test is exact for the
 * word as a whole, so a word without special bytes is never stopped; the
 * byte loop of the JSON string scanner handles whatever the fast path
 * stops at, so a stop that is too early would cost time, never
 * correctness. cdc_skip_plain returns the first byte at or after |p| that
 * needs that closer look.
 */
static inline const uint8_t *cdc_skip_plain(const uint8_t *p, const uint8_t *end, bool utf8_strict)
{
    uint64_t high = utf8_strict ? SWAR_HIGHS : 0;
    while (end - p >= 8) {
        uint64_t v = swar_load(p);
        uint64_t m = swar_below(v, 0x20) | swar_equal(v, '"') | swar_equal(v, '\\') | (v & high);
        if (m)
            return p + swar_first(m);
        p += 8;
    }
    return p;
}

/* Returns the first byte at or after |p| that is '"', or that equals |b|
 * or |c| once the bits of |fold| are cleared from it (fold 0x20 makes '{'
 * and '}' match '[' and ']'); |end| if none. The byte loop of each caller
 * rechecks the byte it stops at. */
static inline const uint8_t *cdc_skip_to(const uint8_t *p, const uint8_t *end, uint8_t fold,
                                         uint8_t b, uint8_t c)
{
    while (end - p >= 8) {
        uint64_t v = swar_load(p);
        uint64_t u = v & ~(SWAR_ONES * fold);
        uint64_t m = swar_equal(v, '"') | swar_equal(u, b) | swar_equal(u, c);
        if (m)
            return p + swar_first(m);
        p += 8;
    }
    return p;
}

/* Returns the first byte at or after |p| that is not a digit (or |end|);
 * eight at a time while eight remain. A byte is a digit when its high
 * nibble is 3 and adding 6 keeps it so; |t| is nonzero in every other
 * byte (carries only move towards later bytes, past the first one). */
static inline const uint8_t *cdc_skip_digits(const uint8_t *p, const uint8_t *end)
{
    while (end - p >= 8) {
        uint64_t v = swar_load(p), nib = SWAR_ONES * 0xF0, three = SWAR_ONES * 0x30;
        uint64_t t = ((v & nib) ^ three) | (((v + SWAR_ONES * 6) & nib) ^ three);
        uint64_t m = (((t & ~SWAR_HIGHS) + ~SWAR_HIGHS) | t) & SWAR_HIGHS;
        if (m) {
            p += swar_first(m);
            break;
        }
        p += 8;
    }
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p;
}

#endif
