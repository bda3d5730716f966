/*
 * hx_ws.c - WebSocket frame encoder and parser, SHA-1, and the opening
 * handshake helpers (see hx_ws.h for the rules enforced).
 *
 * The parser reads a frame header into |hdr| (2 to 14 bytes), validates it
 * as soon as it is complete - so a lying 64-bit length is refused before a
 * byte of payload is buffered - then copies the payload into the message or
 * control buffer. Server frames are never masked, so no unmasking is done.
 */
#include "harness/hx_ws.h"
#include "harness/hx_status.h"

#include <stdio.h>
#include <string.h>

/* ---- SHA-1 (FIPS 180-4) ---- */

static uint32_t rol(uint32_t v, unsigned n)
{
    return (v << n) | (v >> (32 - n));
}

static void sha1_block(uint32_t h[5], const uint8_t *b)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
               (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (bb & c) | (~bb & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = bb ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (bb & c) | (bb & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = bb ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(bb, 30);
        bb = a;
        a = t;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void hx_sha1(const void *p, size_t n, uint8_t out[20])
{
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const uint8_t *s = p;
    size_t i = 0;
    for (; n - i >= 64; i += 64)
        sha1_block(h, s + i);
    uint8_t tail[128] = {0};
    size_t r = n - i;
    memcpy(tail, s + i, r);
    tail[r] = 0x80;
    size_t tl = r + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++)
        tail[tl - 1 - (size_t)k] = (uint8_t)(bits >> (8 * k));
    for (size_t k = 0; k < tl; k += 64)
        sha1_block(h, tail + k);
    for (int k = 0; k < 20; k++)
        out[k] = (uint8_t)(h[k / 4] >> (24 - 8 * (k % 4)));
}

void hx_ws_accept_for(const char *key, char out[29])
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char cat[128];
    int n = snprintf(cat, sizeof(cat), "%s%s", key, guid);
    uint8_t d[21] = {0};
    hx_sha1(cat, n > 0 && (size_t)n < sizeof(cat) ? (size_t)n : 0, d);
    size_t o = 0;
    for (int i = 0; i < 21; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
        out[o++] = tbl[(v >> 18) & 63];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = tbl[(v >> 6) & 63];
        out[o++] = tbl[v & 63];
    }
    out[27] = '='; /* 20 bytes encode to 27 chars + one pad */
    out[28] = 0;
}

/* ---- handshake ---- */

static int put_line(struct cdc_buf *out, const char *a, const char *b)
{
    int rc = cdc_buf_append_str(out, a);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, b);
    return rc == CDC_OK ? cdc_buf_append_str(out, "\r\n") : rc;
}

int hx_ws_request_build(const char *target, const char *host, const char *key,
                        const struct hx_header *headers, size_t n_headers, struct cdc_buf *out)
{
    size_t before = out->len;
    int rc = cdc_buf_append_str(out, "GET ");
    if (rc == CDC_OK)
        rc = put_line(out, target, " HTTP/1.1");
    if (rc == CDC_OK)
        rc = put_line(out, "Host: ", host);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, "Upgrade: websocket\r\nConnection: Upgrade\r\n");
    if (rc == CDC_OK)
        rc = put_line(out, "Sec-WebSocket-Key: ", key);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, "Sec-WebSocket-Version: 13\r\n");
    for (size_t i = 0; rc == CDC_OK && i < n_headers; i++) {
        rc = cdc_buf_append_str(out, headers[i].name);
        if (rc == CDC_OK)
            rc = put_line(out, ": ", headers[i].value);
    }
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(out, "\r\n");
    if (rc != CDC_OK)
        out->len = before;
    return rc;
}

int hx_ws_handshake_check(int status, struct cdc_span head, const char *key, const char **why)
{
    struct cdc_span v;
    if (status != 101) {
        *why = "WebSocket upgrade answered without 101";
        return HX_ERR_HTTP_STATUS;
    }
    if (!hx_http_header_get(head, "upgrade", 0, &v) || !hx_span_ieq(v, "websocket")) {
        *why = "101 without Upgrade: websocket";
        return HX_ERR_PROTOCOL;
    }
    if (!hx_http_header_get(head, "connection", 0, &v) || !hx_http_list_has(v, "upgrade")) {
        *why = "101 without Connection: Upgrade";
        return HX_ERR_PROTOCOL;
    }
    char want[29];
    hx_ws_accept_for(key, want);
    if (!hx_http_header_get(head, "sec-websocket-accept", 0, &v) || v.len != 28 ||
        memcmp(v.p, want, 28) != 0) {
        *why = "101 with a wrong or missing Sec-WebSocket-Accept";
        return HX_ERR_PROTOCOL;
    }
    *why = NULL;
    return HX_OK;
}
