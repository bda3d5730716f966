/*
 * cdc_utf8.c - UTF-8 validation and UTF-16 code unit counting.
 *
 * Two views of the same bytes:
 *  - strict: RFC 3629 well-formedness (cdc_utf8_check), shared with the
 *    JSON validator through cdc_utf8_seq.h;
 *  - JavaScript: the WHATWG decoder that Node applies to HTTP bodies and
 *    WebSocket text, where each maximal invalid subpart becomes one U+FFFD,
 *    followed by counting UTF-16 code units as String.length does. Engine.IO
 *    v3 length prefixes count in those units.
 *
 * Nothing here allocates or fails on bad input except cdc_utf8_check, whose
 * job is to say where the input stops being UTF-8.
 */
#include "codec/cdc.h"

#include "cdc_text.h"
#include "cdc_utf8_seq.h"

/* WHATWG "UTF-8 decoder": the lead byte fixes the count of continuation
 * bytes and the allowed range of the first one (this excludes overlongs,
 * surrogates and values above U+10FFFF). A byte outside the range ends the
 * subpart without being consumed. */
size_t cdc_utf8_step(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t c = p[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0Fu;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07u;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi) {
            *cp = 0xFFFD;
            return i;
        }
        v = v << 6 | (p[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return i;
}

int cdc_utf8_check(const uint8_t *in, size_t n, struct cdc_diag *diag)
{
    if (n == 0)
        return CDC_OK; /* |in| may be NULL: no pointer arithmetic on it */
    const uint8_t *p = in, *end = in + n;
    while (p < end) {
        /* ASCII runs are the common case in Engine.IO text. */
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t k = cdc_utf8_seq(p, end);
        if (k == 0) {
            if (diag) {
                diag->off = (size_t)(p - in);
                diag->why = "invalid UTF-8 sequence";
            }
            return CDC_ERR_UTF8;
        }
        p += k;
    }
    return CDC_OK;
}

size_t cdc_utf16_units(const uint8_t *in, size_t n)
{
    size_t units = 0, i = 0;
    while (i < n) {
        if (in[i] < 0x80) {
            units++;
            i++;
            continue;
        }
        uint32_t cp;
        i += cdc_utf8_step(in + i, n - i, &cp);
        units += cp > 0xFFFF ? 2 : 1;
    }
    return units;
}

size_t cdc_utf16_prefix(const uint8_t *in, size_t n, size_t units)
{
    size_t have = 0, i = 0;
    while (have < units) {
        if (i >= n)
            return SIZE_MAX;
        uint32_t cp;
        i += cdc_utf8_step(in + i, n - i, &cp);
        have += cp > 0xFFFF ? 2 : 1;
    }
    /* Overshooting by one unit means the boundary falls inside a pair. */
    return have == units ? i : SIZE_MAX;
}
