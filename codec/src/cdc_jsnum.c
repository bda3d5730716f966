/*
 * cdc_jsnum.c - JavaScript Number() applied to a length prefix.
 *
 * The Engine.IO v3 reference reads a polling length with Number(s) and
 * compares it loosely to a string length, so any text Number() maps to the
 * right integer is accepted: surrounding JS whitespace, a sign, leading
 * zeros, a fraction of zeros, an exponent, 0x/0o/0b forms, even values that
 * only round to an integer in binary64. This file reproduces that reading
 * exactly, including correct rounding (through strtod on a normalised,
 * locale-neutral digit string), so compat mode agrees with the reference on
 * every prefix.
 *
 * It does not produce non-integers, negative numbers or Infinity: callers
 * only need an index.
 */
#include "codec/cdc.h"

#include "cdc_text.h"

#include <stdlib.h>
#include <string.h>

/* Digits beyond this many significant ones cannot change the rounding of a
 * binary64 value once a sticky nonzero digit stands for them. */
#define JS_SIG_DIGITS 768
#define JS_EXP_CAP 100000
/* Decimal digit strings this short are below 2^53, exact in binary64. */
#define JS_EXACT_DIGITS 15

/* StrWhiteSpaceChar of ECMA-262 (WhiteSpace and LineTerminator) outside
 * U+2000..U+200A. */
static const uint16_t js_spaces[] = {0x09,   0x0A,   0x0B,   0x0C,   0x0D,   0x20,   0xA0,
                                     0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF};

static bool js_space(uint32_t cp)
{
    if (cp >= 0x2000 && cp <= 0x200A)
        return true;
    for (size_t i = 0; i < sizeof(js_spaces) / sizeof(js_spaces[0]); i++)
        if (cp == js_spaces[i])
            return true;
    return false;
}

/* Narrows [*b, *e) to the text without JS whitespace at either end. */
static void js_trim(const uint8_t *in, size_t *b, size_t *e)
{
    size_t i = *b, last = *b;
    bool lead = true;
    while (i < *e) {
        uint32_t cp;
        size_t k = cdc_utf8_step(in + i, *e - i, &cp);
        if (!js_space(cp)) {
            if (lead)
                *b = i;
            lead = false;
            last = i + k;
        }
        i += k;
    }
    if (lead)
        *b = *e;
    else
        *e = last;
}

static int digit_in(uint8_t c, unsigned radix)
{
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : 99;
    return d < (int)radix ? d : -1;
}

/* 0x / 0o / 0b literal without its prefix; no sign, at least one digit. */
static bool js_radix(const uint8_t *s, size_t n, unsigned radix, double *out)
{
    uint64_t v = 0;
    bool huge = false;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        int d = digit_in(s[i], radix);
        if (d < 0)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / radix)
            huge = true;
        else
            v = v * radix + (uint64_t)d;
    }
    *out = huge ? 1e300 : (double)v;
    return true;
}

/* Appends "e<exp>" to |buf| at |*k| (no stdio in the codec). */
static void put_exp(char *buf, size_t *k, int64_t exp)
{
    char tmp[24];
    size_t t = 0;
    uint64_t u = exp < 0 ? (uint64_t)(-exp) : (uint64_t)exp;
    buf[(*k)++] = 'e';
    if (exp < 0)
        buf[(*k)++] = '-';
    do {
        tmp[t++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (t)
        buf[(*k)++] = tmp[--t];
}

/* Exponent part after 'e': optional sign, at least one digit. */
static bool js_exponent(const uint8_t *s, size_t n, int64_t *exp)
{
    size_t i = 0;
    bool neg = false;
    int64_t e = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return false;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (e < 1000000000)
            e = e * 10 + (s[i] - '0');
    }
    *exp = neg ? -e : e;
    return true;
}

/* Unsigned StrDecimalLiteral without Infinity, correctly rounded. */
static bool js_decimal(const uint8_t *s, size_t n, double *out)
{
    char buf[JS_SIG_DIGITS + 32];
    size_t i = 0, nd = 0;
    int64_t exp10 = 0, e = 0;
    bool any = false, frac = false, sticky = false;
    for (; i < n; i++) {
        uint8_t c = s[i];
        if (c == '.' && !frac) {
            frac = true;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        any = true;
        exp10 -= frac;
        if (nd == 0 && c == '0')
            continue;
        if (nd < JS_SIG_DIGITS) {
            buf[nd++] = (char)c;
        } else {
            exp10++;
            sticky |= c != '0';
        }
    }
    if (!any || (i < n && ((s[i] != 'e' && s[i] != 'E') || !js_exponent(s + i + 1, n - i - 1, &e))))
        return false;
    if (nd == 0) {
        *out = 0;
        return true;
    }
    if (sticky) {
        buf[nd++] = '1';
        exp10--;
    }
    exp10 += e;
    exp10 = exp10 > JS_EXP_CAP ? JS_EXP_CAP : exp10 < -JS_EXP_CAP ? -JS_EXP_CAP : exp10;
    put_exp(buf, &nd, exp10);
    buf[nd] = 0;
    *out = strtod(buf, NULL); /* digits and 'e' only: no locale dependence */
    return true;
}

/* StrNumericLiteral of ECMA-262 on trimmed ASCII text; false for NaN. */
static bool js_value(const uint8_t *s, size_t n, double *out, bool *neg)
{
    *neg = false;
    if (n == 0) {
        *out = 0;
        return true;
    }
    if (n >= 2 && s[0] == '0') {
        uint8_t r = s[1] | 0x20;
        if (r == 'x' || r == 'o' || r == 'b')
            return js_radix(s + 2, n - 2, r == 'x' ? 16 : r == 'o' ? 8 : 2, out);
    }
    if (s[0] == '+' || s[0] == '-') {
        *neg = s[0] == '-';
        s++;
        n--;
    }
    if (n == 8 && !memcmp(s, "Infinity", 8)) {
        *out = 1e300; /* no index is that large, and none is infinite */
        return true;
    }
    return js_decimal(s, n, out);
}

static bool is_canonical(const uint8_t *in, size_t n)
{
    if (n == 0 || (in[0] == '0' && n > 1))
        return false;
    for (size_t i = 0; i < n; i++)
        if (in[i] < '0' || in[i] > '9')
            return false;
    return true;
}

bool cdc_js_number_index(const uint8_t *in, size_t n, size_t max, size_t *out, bool *canonical)
{
    size_t b = 0, e = n;
    double v;
    bool neg;
    *canonical = is_canonical(in, n);
    if (*canonical && n <= JS_EXACT_DIGITS) {
        /* Plain digits below 2^53: Number() is exact, no rounding to do. */
        uint64_t u = 0;
        for (size_t i = 0; i < n; i++)
            u = u * 10 + (uint64_t)(in[i] - '0');
        if (u > max)
            return false;
        *out = (size_t)u;
        return true;
    }
    js_trim(in, &b, &e);
    for (size_t i = b; i < e; i++)
        if (in[i] >= 0x80)
            return false; /* no numeric literal has a non-ASCII character */
    if (!js_value(in + b, e - b, &v, &neg))
        return false;
    if (v != v || (neg && v != 0) || v >= 18446744073709551616.0 || v > (double)max)
        return false;
    uint64_t u = (uint64_t)v;
    if ((double)u != v || u > max)
        return false;
    *out = (size_t)u;
    return true;
}
