/*
 * hx_ws_frame.c - WebSocket frame encoder and the client-side frame parser.
 *
 * The encoder writes whatever the caller asks, legal or not (negative
 * cases). The parser is strict RFC 6455 for frames a server sends and
 * bounded by |max_msg|: a header is validated as soon as it is complete, so
 * a frame announcing more than the limit is refused before its payload is
 * buffered. Errors are sticky; |why| is a static reason.
 */
#include "harness/hx_status.h"
#include "harness/hx_ws.h"

#include <string.h>

int hx_ws_frame_encode(const struct hx_ws_out *f, const uint8_t mask[4], struct cdc_buf *out)
{
    if (f->raw_bytes)
        return cdc_buf_append(out, f->raw_bytes, f->raw_len);
    if (f->opcode > 15 || f->rsv > 7)
        return CDC_ERR_INVALID_ARG;
    size_t plen = f->len + (f->close_code ? 2u : 0u);
    uint64_t declared = f->length_override ? f->declared_len : plen;
    uint8_t h[14];
    size_t hl = 2;
    h[0] = (uint8_t)((f->no_fin ? 0 : 0x80) | f->rsv << 4 | f->opcode);
    h[1] = f->unmasked ? 0 : 0x80;
    if (declared < 126) {
        h[1] |= (uint8_t)declared;
    } else if (declared <= 0xffff) {
        h[1] |= 126;
        h[hl++] = (uint8_t)(declared >> 8);
        h[hl++] = (uint8_t)declared;
    } else {
        h[1] |= 127;
        for (int i = 7; i >= 0; i--)
            h[hl++] = (uint8_t)(declared >> (8 * i));
    }
    if (!f->unmasked)
        for (int i = 0; i < 4; i++)
            h[hl++] = mask[i];
    size_t before = out->len;
    uint8_t *dst;
    int rc = cdc_buf_append(out, h, hl);
    if (rc == CDC_OK)
        rc = cdc_buf_reserve(out, plen, &dst);
    if (rc != CDC_OK) {
        out->len = before;
        return rc;
    }
    uint8_t cc[2] = {(uint8_t)(f->close_code >> 8), (uint8_t)f->close_code};
    for (size_t i = 0; i < plen; i++) {
        size_t ci = f->close_code ? 2 : 0;
        uint8_t b = i < ci ? cc[i] : f->payload[i - ci];
        dst[i] = f->unmasked ? b : (uint8_t)(b ^ mask[i % 4]);
    }
    out->len += plen;
    return CDC_OK;
}

void hx_ws_parser_init(struct hx_ws_parser *p, size_t max_msg, bool check_utf8)
{
    memset(p, 0, sizeof(*p));
    p->max_msg = max_msg;
    p->check_utf8 = check_utf8;
    p->hdr_need = 2;
    cdc_buf_init(&p->msg, max_msg, NULL);
    cdc_buf_init(&p->ctrl, 125, NULL);
}

void hx_ws_parser_free(struct hx_ws_parser *p)
{
    cdc_buf_free(&p->msg);
    cdc_buf_free(&p->ctrl);
}

static int perr(struct hx_ws_parser *p, int err, const char *why)
{
    p->err = err;
    p->why = why;
    return err;
}

static bool op_reserved(uint8_t op)
{
    return (op > 2 && op < 8) || op > 10;
}

static uint64_t hdr_length(const struct hx_ws_parser *p, bool *minimal)
{
    uint8_t l7 = p->hdr[1] & 0x7f;
    uint64_t v = 0;
    *minimal = true;
    if (l7 < 126)
        return l7;
    if (l7 == 126) {
        v = (uint64_t)p->hdr[2] << 8 | p->hdr[3];
        *minimal = v >= 126;
        return v;
    }
    for (int i = 0; i < 8; i++)
        v = v << 8 | p->hdr[2 + i];
    *minimal = v > 0xffff;
    return v;
}

static int check_header(struct hx_ws_parser *p, uint64_t len, bool minimal)
{
    bool ctrl = p->op >= 8;
    if (p->hdr[0] & 0x70)
        return perr(p, HX_ERR_PROTOCOL, "RSV bits set without a negotiated extension");
    if (op_reserved(p->op))
        return perr(p, HX_ERR_PROTOCOL, "reserved opcode");
    if (p->hdr[1] & 0x80)
        return perr(p, HX_ERR_PROTOCOL, "masked frame from the server");
    if ((p->hdr[1] & 0x7f) == 127 && (p->hdr[2] & 0x80))
        return perr(p, HX_ERR_PROTOCOL, "64-bit length with the top bit set");
    if (!minimal)
        return perr(p, HX_ERR_PROTOCOL, "frame length not minimally encoded");
    if (ctrl && !p->fin)
        return perr(p, HX_ERR_PROTOCOL, "fragmented control frame");
    if (ctrl && len > 125)
        return perr(p, HX_ERR_PROTOCOL, "control frame longer than 125 bytes");
    if (p->op == HX_WS_CONT && !p->msg_op)
        return perr(p, HX_ERR_PROTOCOL, "continuation frame outside a fragmented message");
    if ((p->op == HX_WS_TEXT || p->op == HX_WS_BINARY) && p->msg_op)
        return perr(p, HX_ERR_PROTOCOL, "new data frame inside a fragmented message");
    if (!ctrl && len > p->max_msg - (p->op == HX_WS_CONT ? p->msg.len : 0))
        return perr(p, HX_ERR_TOO_LARGE, "message exceeds the limit");
    return HX_OK;
}

/* Header complete: validate and prepare the payload phase. */
static int start_frame(struct hx_ws_parser *p)
{
    bool minimal;
    p->fin = (p->hdr[0] & 0x80) != 0;
    p->op = p->hdr[0] & 0x0f;
    uint64_t len = hdr_length(p, &minimal);
    int rc = check_header(p, len, minimal);
    if (rc != HX_OK)
        return rc;
    p->left = len;
    if (p->op >= 8) {
        cdc_buf_reset(&p->ctrl);
    } else if (p->op != HX_WS_CONT) {
        cdc_buf_reset(&p->msg);
        p->msg_op = p->op;
        p->msg_frames = 0;
    }
    if (p->op < 8)
        p->msg_frames++;
    return HX_OK;
}

static bool close_code_ok(uint16_t c)
{
    return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
}

static int finish_control(struct hx_ws_parser *p, struct hx_ws_msg *out)
{
    memset(out, 0, sizeof(*out));
    out->opcode = p->op;
    out->data = (struct cdc_span){p->ctrl.p, p->ctrl.len};
    out->frames = 1;
    if (p->op != HX_WS_CLOSE)
        return 1;
    out->close_code = 1005;
    if (p->ctrl.len == 1)
        return perr(p, HX_ERR_PROTOCOL, "close frame with a 1-byte payload");
    if (p->ctrl.len >= 2) {
        out->close_code = (uint16_t)(p->ctrl.p[0] << 8 | p->ctrl.p[1]);
        out->reason = (struct cdc_span){p->ctrl.p + 2, p->ctrl.len - 2};
        if (!close_code_ok(out->close_code))
            return perr(p, HX_ERR_PROTOCOL, "close code not allowed on the wire");
        if (cdc_utf8_check(out->reason.p, out->reason.len, NULL) != CDC_OK)
            return perr(p, HX_ERR_PROTOCOL, "close reason is not valid UTF-8");
    }
    return 1;
}

/* The current frame's payload is complete. Returns 1 when |out| holds a
 * message or control frame, 0 to continue, or an error. */
static int finish_frame(struct hx_ws_parser *p, struct hx_ws_msg *out)
{
    p->hdr_len = 0;
    p->hdr_need = 2;
    if (p->op >= 8)
        return finish_control(p, out);
    if (!p->fin)
        return 0;
    uint8_t op = p->msg_op;
    p->msg_op = 0;
    if (op == HX_WS_TEXT && p->check_utf8 && cdc_utf8_check(p->msg.p, p->msg.len, NULL) != CDC_OK)
        return perr(p, HX_ERR_PROTOCOL, "text message is not valid UTF-8");
    memset(out, 0, sizeof(*out));
    out->opcode = op;
    out->data = (struct cdc_span){p->msg.p, p->msg.len};
    out->frames = p->msg_frames;
    return 1;
}

static size_t take_header(struct hx_ws_parser *p, const uint8_t *in, size_t n)
{
    size_t used = 0;
    while (used < n && p->hdr_len < p->hdr_need) {
        p->hdr[p->hdr_len++] = in[used++];
        if (p->hdr_len == 2) {
            uint8_t l7 = p->hdr[1] & 0x7f;
            p->hdr_need = 2 + (l7 == 126 ? 2u : l7 == 127 ? 8u : 0u) + (p->hdr[1] & 0x80 ? 4u : 0u);
        }
    }
    return used;
}

int hx_ws_parser_feed(struct hx_ws_parser *p, const uint8_t *in, size_t n, size_t *consumed,
                      struct hx_ws_msg *out)
{
    size_t used = 0;
    *consumed = 0;
    if (p->err)
        return p->err;
    for (;;) {
        if (p->hdr_len < p->hdr_need) {
            used += take_header(p, in + used, n - used);
            if (p->hdr_len < p->hdr_need)
                break;
            int rc = start_frame(p);
            if (rc != HX_OK)
                return rc;
        }
        size_t take = (uint64_t)(n - used) < p->left ? n - used : (size_t)p->left;
        struct cdc_buf *dst = p->op >= 8 ? &p->ctrl : &p->msg;
        if (cdc_buf_append(dst, in + used, take) != CDC_OK)
            return perr(p, HX_ERR_NOMEM, "out of memory");
        used += take;
        p->left -= take;
        if (p->left)
            break;
        int r = finish_frame(p, out);
        if (r != 0) {
            *consumed = used;
            return r;
        }
        if (used == n)
            break;
    }
    *consumed = used;
    return 0;
}
