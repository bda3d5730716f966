/*
 * fuzz_roundtrip.c - P2 (fuzzing-notes §2.2): build a valid structure from
 * the input bytes, encode it, decode it, and require the same structure.
 *
 * Input: flag byte, then a layer selector byte, then the bytes the
 * generator reads (running out of input reads zeros). Layers:
 *   0 Engine.IO packet   (FZ_ALT: polling framing, clear: WebSocket)
 *   1 Engine.IO payload  (v4 text; v3 text, or XHR2 binary with FZ_ALT)
 *   2 Socket.IO packet   (plain types: encode/decode and the decoder;
 *                         binary types: {"$binary"} markers ->
 *                         sio_binary_deconstruct -> encode -> sio_decoder
 *                         with the attachments -> reconstruct == original)
 *   3 WebTransport frames (encode, then decode in 7-byte chunks)
 *   4 Engine.IO handshake (encode, decode, same fields)
 * FZ_OLD selects EIO v3 / SIO v4, FZ_COMPAT compat mode.
 *
 * Generators only build what the protocol allows (valid UTF-8 text, no
 * 0x1E inside v4 polling text, non-reserved event names, payload shapes of
 * sio.h), so any encode or decode failure is a finding, not noise.
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#define BUF_MAX (64u * 1024u)

/* Appends valid UTF-8 text built from up to |max| input bytes. */
static void gen_text(struct fz_reader *r, size_t max, bool avoid_rs, struct cdc_buf *out)
{
    size_t n = fz_u8(r) % (max + 1);
    for (size_t i = 0; i < n && r->n; i++) {
        uint8_t c = fz_u8(r);
        uint32_t cp = c;
        if (c >= 0x70 && c < 0xC0)
            cp = 0x80u + (uint32_t)(c - 0x70) * 13u;
        else if (c >= 0xC0 && c < 0xF0)
            cp = 0x800u + (uint32_t)(c - 0xC0) * 1000u;
        else if (c >= 0xF0)
            cp = 0x10000u + (uint32_t)(c - 0xF0) * 0x10000u + c;
        if (avoid_rs && cp == 0x1E)
            cp = 'x';
        uint8_t u[4];
        size_t k;
        if (cp < 0x80) {
            u[0] = (uint8_t)cp;
            k = 1;
        } else if (cp < 0x800) {
            u[0] = (uint8_t)(0xC0 | (cp >> 6));
            u[1] = (uint8_t)(0x80 | (cp & 0x3F));
            k = 2;
        } else if (cp < 0x10000) {
            u[0] = (uint8_t)(0xE0 | (cp >> 12));
            u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (uint8_t)(0x80 | (cp & 0x3F));
            k = 3;
        } else {
            u[0] = (uint8_t)(0xF0 | (cp >> 18));
            u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (uint8_t)(0x80 | (cp & 0x3F));
            k = 4;
        }
        FZ_CHECK(cdc_buf_append(out, u, k) == CDC_OK, "generator buffer");
    }
}

/* ---- Engine.IO ---------------------------------------------------------- */

/* Builds one packet; its data is appended to |store| (re-based later). */
static struct eio_packet gen_eio(const struct cdc_opts *o, struct fz_reader *r, bool avoid_rs,
                                 struct cdc_buf *store, size_t *off)
{
    struct eio_packet p = {.type = (enum eio_type)(fz_u8(r) % 7)};
    *off = store->len;
    uint8_t k = fz_u8(r);
    if (p.type == EIO_MESSAGE && (k & 1)) {
        p.binary = true;
        struct cdc_span b = fz_bytes(r, fz_u8(r));
        FZ_CHECK(cdc_buf_append(store, b.p, b.len) == CDC_OK, "generator buffer");
    } else if (p.type == EIO_MESSAGE) {
        gen_text(r, 200, avoid_rs, store);
    } else if ((p.type == EIO_PING || p.type == EIO_PONG) && (k & 2)) {
        FZ_CHECK(cdc_buf_append_str(store, "probe") == CDC_OK, "generator buffer");
    }
    (void)o;
    p.data.len = store->len - *off;
    return p;
}

/* P2 over polling framing: v4 one segment is a whole payload; v3 needs
 * "<UTF-16 length>:" in front. */
static void rt_eio_polling(const struct cdc_opts *o, const struct eio_packet *p,
                           const struct cdc_buf *enc, struct cdc_buf *scratch)
{
    struct cdc_buf body;
    cdc_buf_init(&body, BUF_MAX, NULL);
    if (o->eio_version == 3) {
        FZ_CHECK(cdc_buf_append_u64(&body, cdc_utf16_units(enc->p, enc->len)) == CDC_OK, "buf");
        FZ_CHECK(cdc_buf_append_byte(&body, ':') == CDC_OK, "buf");
    }
    FZ_CHECK(cdc_buf_append(&body, enc->p, enc->len) == CDC_OK, "buf");
    struct eio_payload_iter it;
    struct eio_packet q;
    eio_payload_iter_init(&it, o, body.p, body.len, EIO_PAYLOAD_TEXT);
    int rc = eio_payload_next(&it, scratch, &q, NULL);
    if (rc != 1)
        fz_dump("polling body", body.p, body.len);
    FZ_CHECK(rc == 1, "P2: encoded Engine.IO packet does not decode (polling)");
    FZ_CHECK(fz_eio_eq(p, &q), "P2: Engine.IO packet differs after polling encode/decode");
    cdc_buf_free(&body);
}

static void rt_eio_packet(const struct cdc_opts *o, struct fz_reader *r, bool polling)
{
    struct cdc_buf store, enc, scratch;
    cdc_buf_init(&store, BUF_MAX, NULL);
    cdc_buf_init(&enc, BUF_MAX, NULL);
    cdc_buf_init(&scratch, BUF_MAX, NULL);
    size_t off;
    struct eio_packet p = gen_eio(o, r, polling && o->eio_version == 4, &store, &off);
    p.data.p = store.p ? store.p + off : NULL;
    int rc = eio_packet_encode(o, &p, polling ? EIO_FRAMING_POLLING : EIO_FRAMING_WS, &enc);
    FZ_CHECK(rc == CDC_OK, "P2: eio_packet_encode rejected a valid packet");
    if (polling) {
        rt_eio_polling(o, &p, &enc, &scratch);
    } else {
        struct eio_packet q;
        rc = p.binary ? eio_packet_decode_binary(o, enc.p, enc.len, &q, NULL)
                      : eio_packet_decode_text(o, enc.p, enc.len, &scratch, &q, NULL);
        if (rc != CDC_OK)
            fz_dump("encoded", enc.p, enc.len);
        FZ_CHECK(rc == CDC_OK, "P2: encoded Engine.IO packet does not decode");
        FZ_CHECK(fz_eio_eq(&p, &q), "P2: Engine.IO packet differs after encode/decode");
    }
    cdc_buf_free(&store);
    cdc_buf_free(&enc);
    cdc_buf_free(&scratch);
}

static void rt_eio_payload(const struct cdc_opts *o, struct fz_reader *r, bool xhr2)
{
    enum eio_payload_kind kind =
        xhr2 && o->eio_version == 3 ? EIO_PAYLOAD_BINARY : EIO_PAYLOAD_TEXT;
    struct eio_packet v[8];
    size_t offs[8], n = 1 + fz_u8(r) % 8;
    struct cdc_buf store, enc, scratch;
    cdc_buf_init(&store, BUF_MAX, NULL);
    cdc_buf_init(&enc, BUF_MAX, NULL);
    cdc_buf_init(&scratch, BUF_MAX, NULL);
    for (size_t i = 0; i < n; i++)
        v[i] = gen_eio(o, r, o->eio_version == 4, &store, &offs[i]);
    for (size_t i = 0; i < n; i++)
        v[i].data.p = store.p ? store.p + offs[i] : NULL;
    FZ_CHECK(eio_payload_encode(o, v, n, kind, &enc) == CDC_OK, "P2: payload encode failed");
    struct eio_payload_iter it;
    eio_payload_iter_init(&it, o, enc.p, enc.len, kind);
    struct eio_packet q;
    for (size_t i = 0; i < n; i++) {
        FZ_CHECK(eio_payload_next(&it, &scratch, &q, NULL) == 1, "P2: payload lost a packet");
        FZ_CHECK(fz_eio_eq(&v[i], &q), "P2: payload packet differs");
    }
    FZ_CHECK(eio_payload_next(&it, &scratch, &q, NULL) == 0, "P2: payload has extra packets");
    cdc_buf_free(&store);
    cdc_buf_free(&enc);
    cdc_buf_free(&scratch);
}

/* ---- JSON values -------------------------------------------------------- */

static void put(struct cdc_buf *b, const char *s)
{
    FZ_CHECK(cdc_buf_append_str(b, s) == CDC_OK, "generator buffer");
}

static void gen_string(struct fz_reader *r, struct cdc_buf *out)
{
    struct cdc_buf t;
    cdc_buf_init(&t, BUF_MAX, NULL);
    /* Never hand the codec (NULL, 0): fuzz_json probes that case on its own. */
    FZ_CHECK(cdc_buf_reserve(&t, 1, NULL) == CDC_OK, "generator buffer");
    gen_text(r, 24, false, &t);
    FZ_CHECK(cdc_json_string_encode(t.p, t.len, out) == CDC_OK, "string encode");
    cdc_buf_free(&t);
}

static void gen_value(struct fz_reader *r, unsigned depth, struct cdc_buf *out);

static void gen_members(struct fz_reader *r, unsigned depth, bool object, struct cdc_buf *out)
{
    size_t n = fz_u8(r) % 4;
    put(out, object ? "{" : "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(out, ",");
        if (object) {
            gen_string(r, out);
            put(out, ":");
        }
        gen_value(r, depth + 1, out);
    }
    put(out, object ? "}" : "]");
}

static void gen_value(struct fz_reader *r, unsigned depth, struct cdc_buf *out)
{
    unsigned k = fz_u8(r) % (depth < 4 ? 8u : 6u);
    static const char *const lit[] = {"null", "true", "false", "-1.5e3"};
    if (k < 4) {
        put(out, lit[k]);
    } else if (k == 4) {
        FZ_CHECK(cdc_buf_append_u64(out, fz_u64(r) % 9007199254740992ull) == CDC_OK, "u64");
    } else if (k == 5) {
        gen_string(r, out);
    } else {
        gen_members(r, depth, k == 7, out);
    }
}

/* Appends {"$binary":"<base64 of up to 40 input bytes>"}. */
static void gen_binary(struct fz_reader *r, struct cdc_buf *out)
{
    struct cdc_span b = fz_bytes(r, fz_u8(r) % 41);
    put(out, "{\"$binary\":\"");
    FZ_CHECK(cdc_b64_encode(b.p, b.len, out) == CDC_OK, "base64 encode");
    put(out, "\"}");
}

/* ---- Socket.IO ---------------------------------------------------------- */

struct gen_sio {
    struct sio_packet p;
    struct cdc_buf nsp, data;
    unsigned markers;
};

static void gen_nsp(struct fz_reader *r, struct cdc_buf *out)
{
    static const char cs[] = "abcdefghijklmnopqrstuvwxyz0123456789-_/.?=&";
    put(out, "/");
    size_t n = fz_u8(r) % 3 == 0 ? 0 : 1 + fz_u8(r) % 16;
    for (size_t i = 0; i < n; i++)
        FZ_CHECK(cdc_buf_append_byte(out, (uint8_t)cs[fz_u8(r) % (sizeof(cs) - 1)]) == CDC_OK,
                 "generator buffer");
}

static void gen_event_name(struct fz_reader *r, struct cdc_buf *out)
{
    static const char *const reserved[] = {"connect",       "connect_error", "disconnect",
                                           "disconnecting", "newListener",   "removeListener"};
    if (fz_u8(r) & 1) {
        FZ_CHECK(cdc_buf_append_u64(out, fz_u64(r) % 1000000u) == CDC_OK, "u64");
        return;
    }
    struct cdc_buf t;
    cdc_buf_init(&t, BUF_MAX, NULL);
    FZ_CHECK(cdc_buf_reserve(&t, 1, NULL) == CDC_OK, "generator buffer");
    gen_text(r, 16, false, &t);
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (t.len == strlen(reserved[i]) && memcmp(t.p, reserved[i], t.len) == 0)
            put(&t, "_");
    FZ_CHECK(cdc_json_string_encode(t.p, t.len, out) == CDC_OK, "string encode");
    cdc_buf_free(&t);
}

/* An array of values; with |markers| binaries placed among (and inside) them. */
static void gen_args(struct fz_reader *r, bool event, unsigned markers, struct cdc_buf *out)
{
    put(out, "[");
    size_t n = fz_u8(r) % 4 + markers, at = 0;
    if (event) {
        gen_event_name(r, out);
        at++;
    }
    for (size_t i = 0; i < n; i++, at++) {
        if (at)
            put(out, ",");
        if (i < markers && (fz_u8(r) & 1)) {
            put(out, "{\"k\":[");
            gen_binary(r, out);
            put(out, "]}");
        } else if (i < markers) {
            gen_binary(r, out);
        } else {
            gen_value(r, 1, out);
        }
    }
    put(out, "]");
}

static void gen_sio_data(const struct cdc_opts *o, struct fz_reader *r, struct gen_sio *g)
{
    bool v5 = o->sio_version == 5;
    switch (g->p.type) {
    case SIO_CONNECT:
        if (v5 && (fz_u8(r) & 1))
            gen_members(r, 1, true, &g->data);
        break;
    case SIO_EVENT:
    case SIO_BINARY_EVENT:
        gen_args(r, true, g->markers, &g->data);
        break;
    case SIO_ACK:
    case SIO_BINARY_ACK:
        gen_args(r, false, g->markers, &g->data);
        break;
    case SIO_CONNECT_ERROR:
        if (v5) {
            put(&g->data, "{\"message\":");
            gen_string(r, &g->data);
            put(&g->data, "}");
        } else {
            gen_string(r, &g->data);
        }
        break;
    default:
        break;
    }
}

static void gen_sio(const struct cdc_opts *o, struct fz_reader *r, struct gen_sio *g)
{
    cdc_buf_init(&g->nsp, BUF_MAX, NULL);
    cdc_buf_init(&g->data, BUF_MAX, NULL);
    memset(&g->p, 0, sizeof(g->p));
    g->p.type = (enum sio_type)(fz_u8(r) % 7);
    bool bin = g->p.type == SIO_BINARY_EVENT || g->p.type == SIO_BINARY_ACK;
    g->markers = bin ? 1 + fz_u8(r) % o->lim.max_attachments : 0;
    gen_nsp(r, &g->nsp);
    uint64_t id = fz_u64(r) % (SIO_ACK_ID_MAX + 1);
    bool acky = g->p.type == SIO_ACK || g->p.type == SIO_BINARY_ACK;
    bool evty = g->p.type == SIO_EVENT || g->p.type == SIO_BINARY_EVENT;
    g->p.has_id = acky || (evty && (id & 1));
    g->p.id = g->p.has_id ? id : 0;
    gen_sio_data(o, r, g);
    g->p.nsp = (struct cdc_span){g->nsp.p, g->nsp.len};
    g->p.data = (struct cdc_span){g->data.p, g->data.len};
    if (bin) /* generated as EVENT/ACK with markers; deconstruct makes it binary */
        g->p.type = evty ? SIO_EVENT : SIO_ACK;
}

/* Feeds |text| then the attachments to a fresh decoder; returns the result. */
static int decoder_run(const struct cdc_opts *o, struct sio_decoder *d, struct cdc_span text,
                       const struct sio_attachments *atts, struct sio_message *m)
{
    int rc = sio_decoder_feed(d, false, text.p, text.len, m, NULL);
    for (size_t i = 0; atts && i < atts->n; i++) {
        FZ_CHECK(rc == SIO_DEC_PENDING, "P2: decoder not pending before an attachment");
        rc = sio_decoder_feed(d, true, atts->at[i].p, atts->at[i].len, m, NULL);
    }
    (void)o;
    return rc;
}

static void rt_sio_plain(const struct cdc_opts *o, struct sio_decoder *d, struct gen_sio *g,
                         struct cdc_buf *enc)
{
    FZ_CHECK(sio_packet_encode(o, &g->p, enc) == CDC_OK, "P2: sio_packet_encode rejected");
    struct sio_packet q;
    FZ_CHECK(sio_packet_decode(o, enc->p, enc->len, &q, NULL) == CDC_OK, "P2: sio decode");
    FZ_CHECK(fz_sio_eq(&g->p, &q), "P2: Socket.IO packet differs after encode/decode");
    struct sio_message m;
    struct cdc_span text = {enc->p, enc->len};
    FZ_CHECK(decoder_run(o, d, text, NULL, &m) == SIO_DEC_PACKET, "P2: decoder did not deliver");
    FZ_CHECK(fz_sio_eq(&g->p, &m.pkt), "P2: decoder delivered another packet");
}

static void rt_sio_binary(const struct cdc_opts *o, struct sio_decoder *d, struct gen_sio *g,
                          struct cdc_buf *enc)
{
    struct cdc_buf json, bytes, back;
    cdc_buf_init(&json, BUF_MAX, NULL);
    cdc_buf_init(&bytes, BUF_MAX, NULL);
    cdc_buf_init(&back, 4 * BUF_MAX, NULL);
    struct sio_attachments atts = {.bytes = &bytes};
    struct sio_packet p = g->p;
    FZ_CHECK(sio_binary_deconstruct(o, &p, &json, &atts) == CDC_OK, "P2: deconstruct failed");
    FZ_CHECK(atts.n == g->markers && p.attachments == g->markers, "P2: attachment count");
    FZ_CHECK(p.type == SIO_BINARY_EVENT || p.type == SIO_BINARY_ACK, "P2: not a binary type");
    FZ_CHECK(sio_packet_encode(o, &p, enc) == CDC_OK, "P2: binary packet encode");
    struct sio_message m;
    struct cdc_span text = {enc->p, enc->len};
    FZ_CHECK(decoder_run(o, d, text, &atts, &m) == SIO_DEC_PACKET, "P2: binary not delivered");
    FZ_CHECK(m.n_attachments == atts.n, "P2: delivered attachment count");
    FZ_CHECK(sio_binary_reconstruct_json(o, &m, &back) == CDC_OK, "P2: reconstruct failed");
    struct cdc_span a = {back.p, back.len};
    FZ_CHECK(fz_span_eq(a, g->p.data), "P2: reconstructed JSON differs from the original");
    cdc_buf_free(&json);
    cdc_buf_free(&bytes);
    cdc_buf_free(&back);
}

static void rt_sio(const struct cdc_opts *o, struct fz_reader *r)
{
    struct gen_sio g;
    gen_sio(o, r, &g);
    struct sio_decoder *d;
    FZ_CHECK(sio_decoder_new(&d, o, NULL) == CDC_OK, "sio_decoder_new");
    struct cdc_buf enc;
    cdc_buf_init(&enc, BUF_MAX, NULL);
    if (g.markers)
        rt_sio_binary(o, d, &g, &enc);
    else
        rt_sio_plain(o, d, &g, &enc);
    sio_decoder_del(d);
    cdc_buf_free(&enc);
    cdc_buf_free(&g.nsp);
    cdc_buf_free(&g.data);
}

/* ---- WebTransport and handshake ------------------------------------------ */

static void rt_wt(const struct cdc_opts *o, struct fz_reader *r)
{
    struct cdc_buf enc;
    cdc_buf_init(&enc, BUF_MAX, NULL);
    struct fz_pkts want, got;
    fz_pkts_init(&want);
    fz_pkts_init(&got);
    size_t n = 1 + fz_u8(r) % 8;
    for (size_t i = 0; i < n; i++) {
        bool bin = fz_u8(r) & 1;
        struct cdc_span s = fz_bytes(r, 1 + (size_t)fz_u8(r) * 2);
        if (s.len == 0)
            s = (struct cdc_span){(const uint8_t *)"4", 1};
        FZ_CHECK(wt_frame_encode(bin, s.p, s.len, &enc) == CDC_OK, "P2: wt_frame_encode");
        struct eio_packet p = {.type = EIO_MESSAGE, .binary = bin, .data = s};
        fz_pkts_push(&want, &p);
    }
    struct wt_decoder d;
    wt_decoder_init(&d, o, NULL);
    for (size_t pos = 0; pos < enc.len;) {
        size_t chunk = enc.len - pos < 7 ? enc.len - pos : 7, used = 0;
        struct wt_frame f;
        int rc = wt_decoder_feed(&d, enc.p + pos, chunk, &used, &f, NULL);
        FZ_CHECK(rc >= 0, "P2: encoded WebTransport stream does not decode");
        if (rc == 1) {
            struct eio_packet p = {.type = EIO_MESSAGE, .binary = f.binary, .data = f.payload};
            fz_pkts_push(&got, &p);
        }
        pos += used;
    }
    FZ_CHECK(got.n == want.n, "P2: WebTransport frame count");
    for (size_t i = 0; i < n; i++) {
        struct eio_packet a = fz_pkts_get(&want, i), b = fz_pkts_get(&got, i);
        FZ_CHECK(fz_eio_eq(&a, &b), "P2: WebTransport frame differs");
    }
    wt_decoder_free(&d);
    fz_pkts_free(&want);
    fz_pkts_free(&got);
    cdc_buf_free(&enc);
}

static void rt_handshake(const struct cdc_opts *o, struct fz_reader *r)
{
    struct eio_handshake h, g;
    memset(&h, 0, sizeof(h));
    struct cdc_buf t, enc;
    cdc_buf_init(&t, EIO_SID_MAX, NULL);
    cdc_buf_init(&enc, BUF_MAX, NULL);
    gen_text(r, 30, false, &t);
    if (t.len == 0)
        put(&t, "x");
    memcpy(h.sid, t.p, t.len);
    h.sid_len = t.len;
    h.upgrades = fz_u8(r) & 3u;
    h.n_upgrades = (h.upgrades & 1u) + (h.upgrades >> 1);
    h.ping_interval = 1 + fz_u64(r) % 2147483647u;
    h.ping_timeout = 1 + fz_u64(r) % 2147483647u;
    h.present = EIO_HS_SID | EIO_HS_UPGRADES | EIO_HS_PING_INTERVAL | EIO_HS_PING_TIMEOUT;
    if (o->eio_version == 4 || (fz_u8(r) & 1)) {
        h.max_payload = 1 + fz_u64(r) % 9007199254740991ull;
        h.present |= EIO_HS_MAX_PAYLOAD;
    }
    FZ_CHECK(eio_handshake_encode(o, &h, &enc) == CDC_OK, "P2: handshake encode");
    FZ_CHECK(eio_handshake_decode(o, enc.p, enc.len, &g, NULL) == CDC_OK, "P2: handshake decode");
    FZ_CHECK(g.sid_len == h.sid_len && memcmp(g.sid, h.sid, h.sid_len) == 0, "P2: sid");
    FZ_CHECK(g.upgrades == h.upgrades && g.n_upgrades == h.n_upgrades, "P2: upgrades");
    FZ_CHECK(g.ping_interval == h.ping_interval && g.ping_timeout == h.ping_timeout, "P2: ping");
    FZ_CHECK(g.max_payload == h.max_payload && g.present == h.present, "P2: maxPayload/keys");
    cdc_buf_free(&t);
    cdc_buf_free(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct cdc_opts o;
    fz_opts(data[0], &o);
    o.lim.max_payload = BUF_MAX; /* generated structures stay well below */
    struct fz_reader r = {data + 2, size - 2};
    bool alt = (data[0] & FZ_ALT) != 0;
    switch (data[1] % 5) {
    case 0:
        rt_eio_packet(&o, &r, alt);
        break;
    case 1:
        rt_eio_payload(&o, &r, alt);
        break;
    case 2:
        rt_sio(&o, &r);
        break;
    case 3:
        rt_wt(&o, &r);
        break;
    default:
        rt_handshake(&o, &r);
        break;
    }
    return 0;
}
