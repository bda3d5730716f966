/*
 * cdc_b64.c - base64 (RFC 4648 section 4) for Engine.IO binary packets.
 *
 * Two decoders:
 *  - strict: standard alphabet, length a multiple of 4, '=' only as the
 *    final one or two characters, pad bits zero (RFC 4648 section 3.5 lets a
 *    decoder insist on that; every conforming encoder writes zeros);
 *  - lenient: what Node's Buffer.from(s, "base64") returns. It reads the
 *    source as a JS string, truncates each UTF-16 code unit to its low byte,
 *    skips bytes outside both alphabets (standard and URL-safe), stops at
 *    the first '=' and drops a single trailing sextet. It never fails on
 *    content.
 *
 * Strict decoding is table-driven: it checks and decodes 4 characters at a
 * time in a single pass when the result fits the buffer's spare capacity,
 * and checks the whole input before growing the buffer otherwise. The
 * lenient decoder runs a sizing pass first. Either way the output buffer
 * grows at most once and is left as it was when the call fails.
 */
#include "codec/cdc.h"

#include <string.h>

#include "cdc_text.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Twelve bits to their two characters, so the encoder makes two lookups per
 * three bytes instead of four. The 4096 entries are written by the
 * preprocessor: B64_CHAR is the alphabet as arithmetic. */
#define B64_CHAR(x)                                                                                \
    ((x) < 26    ? 'A' + (x)                                                                       \
     : (x) < 52  ? 'a' + (x)-26                                                                    \
     : (x) < 62  ? '0' + (x)-52                                                                    \
     : (x) == 62 ? '+'                                                                             \
                 : '/')
#define B64_P1(i) {(uint8_t)B64_CHAR((i) >> 6), (uint8_t)B64_CHAR((i)&63)},
#define B64_P4(i) B64_P1(i) B64_P1((i) + 1) B64_P1((i) + 2) B64_P1((i) + 3)
#define B64_P16(i) B64_P4(i) B64_P4((i) + 4) B64_P4((i) + 8) B64_P4((i) + 12)
#define B64_P64(i) B64_P16(i) B64_P16((i) + 16) B64_P16((i) + 32) B64_P16((i) + 48)
#define B64_P256(i) B64_P64(i) B64_P64((i) + 64) B64_P64((i) + 128) B64_P64((i) + 192)
#define B64_P1024(i) B64_P256(i) B64_P256((i) + 256) B64_P256((i) + 512) B64_P256((i) + 768)
static const uint8_t b64_pairs[4096][2] = {B64_P1024(0) B64_P1024(1024) B64_P1024(2048)
                                               B64_P1024(3072)};
#undef B64_P1024
#undef B64_P256
#undef B64_P64
#undef B64_P16
#undef B64_P4
#undef B64_P1
#undef B64_CHAR

/* Byte to sextet: 0-63 for the standard alphabet, B64_URL | value for the
 * URL-safe '-' and '_', B64_BAD for everything else (the pad '=' too). A
 * strict decoder accepts entries below 64, a lenient one entries below
 * B64_BAD. */
#define B64_URL 0x40
#define B64_BAD 0x80
#define XX B64_BAD
static const uint8_t b64_dec[256] = {
    /* clang-format off */
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, 62, XX, 62 | B64_URL, XX, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, XX, XX, XX, XX, XX, XX,
    XX, 0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, XX, XX, XX, XX, 63 | B64_URL,
    XX, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    /* clang-format on */
};
#undef XX

static int fail(struct cdc_diag *diag, size_t off, int err, const char *why)
{
    if (diag) {
        diag->off = off;
        diag->why = why;
    }
    return err;
}

/* Reports the first character of the group at |in|[|i|..] that the strict
 * alphabet refuses (the caller knows there is one). */
static int strict_bad_char(const uint8_t *in, size_t i, struct cdc_diag *diag)
{
    while (b64_dec[in[i]] < 64)
        i++;
    return fail(diag, i, CDC_ERR_EIO_BASE64,
                in[i] == '=' ? "base64 padding before the end" : "invalid base64 character");
}

/* Strict grammar: length a multiple of 4, '=' only as the last one or two
 * characters. Sets |*outlen| and |*pad|. */
static int strict_shape(const uint8_t *in, size_t n, size_t *outlen, size_t *pad,
                        struct cdc_diag *diag)
{
    if (n % 4 != 0)
        return fail(diag, n, CDC_ERR_EIO_BASE64, "base64 length is not a multiple of 4");
    *pad = 0;
    if (n >= 4 && in[n - 1] == '=')
        *pad = in[n - 2] == '=' ? 2 : 1;
    *outlen = n / 4 * 3 - *pad;
    return CDC_OK;
}

/* One pass over strict base64 |in| (shape already checked, |pad| found by
 * strict_shape): every character is checked in order and, when |dst| is
 * not NULL, each group of 4 becomes 3 bytes there. Fails at the first
 * character outside the alphabet, then on nonzero pad bits, like a check
 * of the whole input before any decoding would. */
static int strict_pass(const uint8_t *in, size_t n, size_t pad, uint8_t *dst, struct cdc_diag *diag)
{
    if (n == 0)
        return CDC_OK;
    size_t i = 0, k = 0;
    for (; i < n - 4; i += 4, k += 3) {
        uint32_t a = b64_dec[in[i]], b = b64_dec[in[i + 1]];
        uint32_t c = b64_dec[in[i + 2]], d = b64_dec[in[i + 3]];
        if ((a | b | c | d) >= 64)
            return strict_bad_char(in, i, diag);
        uint32_t v = a << 18 | b << 12 | c << 6 | d;
        if (dst) {
            dst[k] = (uint8_t)(v >> 16);
            dst[k + 1] = (uint8_t)(v >> 8);
            dst[k + 2] = (uint8_t)v;
        }
    }
    /* The last group: 4 - |pad| data characters. */
    uint32_t v = 0;
    for (size_t j = 0; j < 4; j++) {
        uint32_t s = j < 4 - pad ? b64_dec[in[i + j]] : 0;
        if (s >= 64)
            return strict_bad_char(in, i, diag);
        v = v << 6 | s;
    }
    /* The last data sextet carries 4 (pad 2) or 2 (pad 1) unused bits. */
    if (pad && (b64_dec[in[n - pad - 1]] & (pad == 2 ? 0x0F : 0x03)) != 0)
        return fail(diag, n - pad - 1, CDC_ERR_EIO_BASE64, "base64 pad bits are not zero");
    for (size_t j = 0; dst && j < 3 - pad; j++)
        dst[k + j] = (uint8_t)(v >> (16 - 8 * j));
    return CDC_OK;
}

/* Strict decoding appended to |out|. When the result fits the spare
 * capacity, checking and decoding are one pass (a failure leaves |out|'s
 * length, storage and bytes as they were); otherwise the input is checked
 * before |out| grows, so a bad input never reallocates it. */
static int strict_decode(const uint8_t *in, size_t n, struct cdc_buf *out, struct cdc_diag *diag)
{
    size_t outlen, pad;
    int rc = strict_shape(in, n, &outlen, &pad, diag);
    if (rc != CDC_OK)
        return rc;
    bool fits = out->p && outlen <= out->max && out->len <= out->max - outlen &&
                outlen <= out->cap - out->len;
    if (!fits) {
        rc = strict_pass(in, n, pad, NULL, diag);
        if (rc != CDC_OK)
            return rc;
        rc = cdc_buf_reserve(out, outlen, NULL);
        if (rc != CDC_OK)
            return fail(diag, 0, rc, "decoded base64 does not fit the output buffer");
    }
    rc = strict_pass(in, n, pad, out->p + out->len, diag);
    if (rc == CDC_OK)
        out->len += outlen;
    return rc;
}

/* Yields the next UTF-16 code unit of the JS string |src| makes of |in|.
 * |*pending| holds the low surrogate of a pair between calls. */
static uint32_t next_unit(const uint8_t *in, size_t n, size_t *i, enum cdc_b64_src src,
                          uint32_t *pending)
{
    if (*pending) {
        uint32_t u = *pending;
        *pending = 0;
        return u;
    }
    if (src == CDC_B64_SRC_BYTES || in[*i] < 0x80)
        return in[(*i)++];
    uint32_t cp;
    *i += cdc_utf8_step(in + *i, n - *i, &cp);
    if (cp <= 0xFFFF)
        return cp;
    *pending = 0xDC00 | ((cp - 0x10000) & 0x3FF);
    return 0xD800 | ((cp - 0x10000) >> 10);
}

/* The lenient decoding: returns the number of output bytes, written to
 * |dst| unless it is NULL. */
static size_t lenient_pass(const uint8_t *in, size_t n, enum cdc_b64_src src, uint8_t *dst)
{
    size_t i = 0, k = 0;
    uint32_t pending = 0, acc = 0;
    unsigned bits = 0;
    while (i < n || pending) {
        uint8_t c = (uint8_t)(next_unit(in, n, &i, src, &pending) & 0xFF);
        if (c == '=')
            break;
        uint32_t v = b64_dec[c];
        if (v >= B64_BAD)
            continue;
        acc = (acc << 6 | (v & 63)) & 0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (dst)
                dst[k] = (uint8_t)(acc >> bits);
            k++;
        }
    }
    return k;
}

int cdc_b64_decode_src(const uint8_t *in, size_t n, bool lenient, enum cdc_b64_src src,
                       struct cdc_buf *out, bool *was_lenient, struct cdc_diag *diag)
{
    struct cdc_diag sd = {0, NULL};
    if (was_lenient)
        *was_lenient = false;
    int rc = strict_decode(in, n, out, &sd);
    if (rc == CDC_OK)
        return CDC_OK;
    if (rc != CDC_ERR_EIO_BASE64 || !lenient)
        return fail(diag, sd.off, rc, sd.why);
    size_t outlen = lenient_pass(in, n, src, NULL);
    uint8_t *dst;
    rc = cdc_buf_reserve(out, outlen, &dst);
    if (rc != CDC_OK)
        return fail(diag, 0, rc, "decoded base64 does not fit the output buffer");
    out->len += lenient_pass(in, n, src, dst);
    if (was_lenient)
        *was_lenient = true;
    return CDC_OK;
}

int cdc_b64_decode(const uint8_t *in, size_t n, bool lenient, struct cdc_buf *out,
                   bool *was_lenient, struct cdc_diag *diag)
{
    return cdc_b64_decode_src(in, n, lenient, CDC_B64_SRC_UTF8, out, was_lenient, diag);
}

int cdc_b64_encode(const uint8_t *in, size_t n, struct cdc_buf *out)
{
    if (n / 3 >= SIZE_MAX / 4 - 1)
        return CDC_ERR_TOO_LARGE;
    size_t outlen = (n + 2) / 3 * 4;
    uint8_t *dst;
    int rc = cdc_buf_reserve(out, outlen, &dst);
    if (rc != CDC_OK)
        return rc;
    size_t i = 0, k = 0;
    for (; i + 3 <= n; i += 3, k += 4) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        memcpy(dst + k, b64_pairs[v >> 12], 2);
        memcpy(dst + k + 2, b64_pairs[v & 4095], 2);
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0);
        dst[k++] = (uint8_t)b64_alphabet[v >> 18];
        dst[k++] = (uint8_t)b64_alphabet[(v >> 12) & 63];
        dst[k++] = i + 1 < n ? (uint8_t)b64_alphabet[(v >> 6) & 63] : '=';
        dst[k++] = '=';
    }
    out->len += k;
    return CDC_OK;
}
