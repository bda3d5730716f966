/*
 * cdc_utf8_seq.h - private: length of one well-formed UTF-8 sequence.
 *
 * Shared by the UTF-8 checker, the UTF-16 counters and the JSON validator
 * so all agree on what well-formed means (RFC 3629: no overlongs, no
 * surrogates, <= U+10FFFF).
 *
 * The lead byte indexes a table that gives the sequence length, the range
 * allowed for the second byte (E0, ED, F0 and F4 narrow it to exclude
 * overlongs, surrogates and values above U+10FFFF) and a mask that checks
 * the third and fourth bytes for the 10xxxxxx form at once. Mixed-script
 * text changes the sequence length often, so the check has no branch on
 * the length, only on the outcome.
 */
#ifndef CODEC_CDC_UTF8_SEQ_H
#define CODEC_CDC_UTF8_SEQ_H

#include <stddef.h>
#include <stdint.h>

/* What a lead byte 0xC0-0xFF allows: |len| 0 = never a lead; the second
 * byte must lie in [lo, lo + span]; bytes 3 and 4, read as p[2] | p[3] <<
 * 8, must give |want| under |mask|. */
struct cdc_utf8_lead {
    uint8_t len, lo, span;
    uint16_t mask, want;
};

/* clang-format off */
#define CDC_U8_NONE {0, 0, 0, 0, 0}
#define CDC_U8_L2 {2, 0x80, 0x3F, 0x0000, 0x0000}
#define CDC_U8_L3(lo, hi) {3, lo, (hi) - (lo), 0x00C0, 0x0080}
#define CDC_U8_L4(lo, hi) {4, lo, (hi) - (lo), 0xC0C0, 0x8080}
/* clang-format on */

/* Indexed by lead byte - 0xC0. */
static const struct cdc_utf8_lead cdc_utf8_leads[64] = {
    /* clang-format off */
    CDC_U8_NONE, CDC_U8_NONE, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2,
    CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2,
    CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2,
    CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2, CDC_U8_L2,
    /* E0: no overlongs */
    CDC_U8_L3(0xA0, 0xBF), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF),
    CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF),
    CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF),
    /* ED: no surrogates */
    CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0x9F), CDC_U8_L3(0x80, 0xBF), CDC_U8_L3(0x80, 0xBF),
    /* F0: no overlongs; F4: nothing above U+10FFFF; F5-FF: never */
    CDC_U8_L4(0x90, 0xBF), CDC_U8_L4(0x80, 0xBF), CDC_U8_L4(0x80, 0xBF), CDC_U8_L4(0x80, 0xBF),
    CDC_U8_L4(0x80, 0x8F), CDC_U8_NONE, CDC_U8_NONE, CDC_U8_NONE,
    CDC_U8_NONE, CDC_U8_NONE, CDC_U8_NONE, CDC_U8_NONE,
    CDC_U8_NONE, CDC_U8_NONE, CDC_U8_NONE, CDC_U8_NONE,
    /* clang-format on */
};

/* Returns the length (1-4) of the well-formed sequence at |p| (|p| < |end|),
 * or 0 when the bytes there are not one. */
static inline size_t cdc_utf8_seq(const uint8_t *p, const uint8_t *end)
{
    uint8_t c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC0)
        return 0; /* a continuation byte cannot start a sequence */
    const struct cdc_utf8_lead *l = &cdc_utf8_leads[c - 0xC0];
    size_t avail = (size_t)(end - p);
    if (avail < l->len || l->len == 0 || (uint8_t)(p[1] - l->lo) > l->span)
        return 0;
    if (avail >= 4) {
        unsigned tail = (unsigned)p[2] | (unsigned)p[3] << 8;
        return (tail & l->mask) == l->want ? l->len : 0;
    }
    /* Fewer than 4 bytes left: |len| is 2 or 3 and all of it is there. */
    return l->len == 2 || (p[2] & 0xC0) == 0x80 ? l->len : 0;
}

#endif
