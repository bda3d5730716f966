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
 * Both run a sizing pass first, so the output buffer grows once and stays
 * untouched when the call fails.
 */
#include "codec/cdc.h"

#include "cdc_text.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Sextet value of |c| in the standard alphabet, plus the URL-safe '-' and
 * '_' when |url| is set; -1 otherwise. */
static int b64_value(uint8_t c, bool url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || (url && c == '-'))
        return 62;
    if (c == '/' || (url && c == '_'))
        return 63;
    return -1;
}

static int fail(struct cdc_diag *diag, size_t off, int err, const char *why)
{
    if (diag) {
        diag->off = off;
        diag->why = why;
    }
    return err;
}

/* Checks |in| against the strict grammar; sets |*outlen| on success. */
static int strict_size(const uint8_t *in, size_t n, size_t *outlen, struct cdc_diag *diag)
{
    if (n % 4 != 0)
        return fail(diag, n, CDC_ERR_EIO_BASE64, "base64 length is not a multiple of 4");
    size_t pad = 0;
    if (n >= 4 && in[n - 1] == '=')
        pad = in[n - 2] == '=' ? 2 : 1;
    for (size_t i = 0; i < n - pad; i++)
        if (b64_value(in[i], false) < 0)
            return fail(diag, i, CDC_ERR_EIO_BASE64,
                        in[i] == '=' ? "base64 padding before the end"
                                     : "invalid base64 character");
    /* The last data sextet carries 4 (pad 2) or 2 (pad 1) unused bits. */
    if (pad && (b64_value(in[n - pad - 1], false) & (pad == 2 ? 0x0F : 0x03)) != 0)
        return fail(diag, n - pad - 1, CDC_ERR_EIO_BASE64, "base64 pad bits are not zero");
    *outlen = n / 4 * 3 - pad;
    return CDC_OK;
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

/* The lenient decoding (also exact for strictly valid input): returns the
 * number of output bytes, written to |dst| unless it is NULL. */
static size_t lenient_pass(const uint8_t *in, size_t n, enum cdc_b64_src src, uint8_t *dst)
{
    size_t i = 0, k = 0;
    uint32_t pending = 0, acc = 0;
    unsigned bits = 0;
    while (i < n || pending) {
        uint8_t c = (uint8_t)(next_unit(in, n, &i, src, &pending) & 0xFF);
        if (c == '=')
            break;
        int v = b64_value(c, true);
        if (v < 0)
            continue;
        acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
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
    size_t outlen;
    bool lax = false;
    if (was_lenient)
        *was_lenient = false;
    int rc = strict_size(in, n, &outlen, lenient ? NULL : diag);
    if (rc != CDC_OK) {
        if (!lenient)
            return rc;
        lax = true;
        outlen = lenient_pass(in, n, src, NULL);
    }
    uint8_t *dst;
    rc = cdc_buf_reserve(out, outlen, &dst);
    if (rc != CDC_OK)
        return fail(diag, 0, rc, "decoded base64 does not fit the output buffer");
    size_t got = lenient_pass(in, n, lax ? src : CDC_B64_SRC_BYTES, dst);
    out->len += got;
    if (was_lenient)
        *was_lenient = lax;
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
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        dst[k++] = (uint8_t)b64_alphabet[v >> 18];
        dst[k++] = (uint8_t)b64_alphabet[(v >> 12) & 63];
        dst[k++] = (uint8_t)b64_alphabet[(v >> 6) & 63];
        dst[k++] = (uint8_t)b64_alphabet[v & 63];
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
