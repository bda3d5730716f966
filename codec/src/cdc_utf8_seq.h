/*
 * cdc_utf8_seq.h - private: length of one well-formed UTF-8 sequence.
 *
 * Shared by the UTF-8 checker and the JSON validator so both agree on what
 * well-formed means (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
 */
#ifndef CODEC_CDC_UTF8_SEQ_H
#define CODEC_CDC_UTF8_SEQ_H

#include <stddef.h>
#include <stdint.h>

/* Returns the length (1-4) of the well-formed sequence at |p| (|p| < |end|),
 * or 0 when the bytes there are not one. */
static inline size_t cdc_utf8_seq(const uint8_t *p, const uint8_t *end)
{
    uint8_t c = p[0];
    size_t avail = (size_t)(end - p);
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        return (avail >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && p[1] > 0x9F)
            return 0; /* surrogate */
        return 3;
    }
    if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
    if (c == 0xF0 && p[1] < 0x90)
        return 0; /* overlong */
    if (c == 0xF4 && p[1] > 0x8F)
        return 0; /* above U+10FFFF */
    return 4;
}

#endif
