/*
 * sio_binary.c - Socket.IO binary attachments: the placeholder walk, the
 * {"$binary":"<base64>"} marker convention, and the decoder that joins a
 * binary packet's text header with the binary messages that follow it
 * (socket.io-protocol v5 §Packet encoding "with binary data").
 *
 * Placeholders: any object whose last "_placeholder" member is JSON true is
 * one (as in the reference); its "num" must name an attachment, 0 <= num <
 * count (CVE-2022-2421). The members of a placeholder are never looked at,
 * so the walk keeps the results of an object's children aside and drops
 * them when the object itself turns out to be a placeholder. The same trick
 * lets reconstruction rewind its output to the object's start.
 *
 * The walk uses the public span reader (cdc_json.h) on JSON that was
 * validated first; it recurses once per nesting level, so its depth is
 * bounded by lim.max_json_depth.
 *
 * The decoder copies each text header into storage it owns, checks it
 * fully (placeholders included) before any attachment arrives, refuses
 * attachments larger than lim.max_payload, and stays failed (sticky error)
 * until sio_decoder_reset. Every allocation goes through the cdc_mem given
 * at creation.
 */
#include "codec/sio.h"

#include "codec/cdc_json.h"
#include "cdc_text.h"
#include "sio_priv.h"

#include <string.h>

/* ---- the walk ---------------------------------------------------------- */

struct walk {
    const struct cdc_opts *o;
    bool compat;
    bool markers;               /* find {"$binary":...} instead of placeholders */
    unsigned n_att;             /* placeholders: attachments that exist */
    const struct cdc_span *att; /* reconstruction: their bytes */
    struct cdc_buf *out;        /* NULL: check only */
    const uint8_t *base;        /* start of the JSON text */
    const uint8_t *copied;      /* source bytes before this are already in |out| */
    unsigned depth;
    /* markers */
    struct cdc_buf *bytes;
    unsigned found;
    unsigned cap;
    size_t offs[SIO_ATTACHMENTS_CAP + 1];
};

/* Outcome of a subtree: its first error (document order) and what it used. */
struct wres {
    int err;
    size_t off;
    const char *why;
    uint64_t seen;
    uint32_t quirks;
};

/* What an object's members said about it. */
struct objinfo {
    struct cdc_span obj;
    size_t count;
    bool ph_true; /* last "_placeholder" member is true */
    bool extra;   /* a key other than "_placeholder" and "num" */
    bool has_num;
    struct cdc_span num;
    struct cdc_span marker; /* the string of a lone "$binary" member */
    bool is_marker;
};

static void res_error(const struct walk *w, struct wres *r, const uint8_t *at, int err,
                      const char *why)
{
    if (r->err)
        return;
    r->err = err;
    r->off = (size_t)(at - w->base);
    r->why = why;
}

static void res_merge(struct wres *r, const struct wres *c)
{
    if (!r->err && c->err) {
        r->err = c->err;
        r->off = c->off;
        r->why = c->why;
    }
    r->seen |= c->seen;
    r->quirks |= c->quirks;
}

/* Copies the source up to |upto| into the output. */
static int emit_source(struct walk *w, const uint8_t *upto)
{
    int rc = cdc_buf_append(w->out, w->copied, (size_t)(upto - w->copied));
    w->copied = upto;
    return rc;
}

static int walk_value(struct walk *w, struct cdc_span v, struct wres *r);

static int walk_array(struct walk *w, struct cdc_span v, struct wres *r)
{
    struct cdc_json_iter it;
    struct cdc_span el;
    int n, rc;
    cdc_json_iter_init(&it, v);
    while ((n = cdc_json_iter_next(&it, NULL, &el)) == 1)
        if ((rc = walk_value(w, el, r)) != CDC_OK)
            return rc;
    return n < 0 ? CDC_ERR_SIO_JSON : CDC_OK;
}

/* Index named by a placeholder's num, or -1 (error recorded in |r|). */
static int64_t placeholder_index(struct walk *w, const struct objinfo *oi, struct wres *r)
{
    if (!oi->has_num || cdc_json_type_of(oi->num) != CDC_JSON_NUMBER) {
        res_error(w, r, oi->obj.p, CDC_ERR_SIO_PLACEHOLDER, "placeholder num is not a number");
        return -1;
    }
    /* Strict: a plain JSON integer. Compat: whatever JS reads as an index
     * (0.0, -0, 1e0, 0.99999999999999999, 1e-400). */
    size_t k = 0;
    bool canonical = false;
    bool ok = cdc_js_number_index(oi->num.p, oi->num.len, SIZE_MAX, &k, &canonical);
    if (ok && !canonical) {
        ok = w->compat;
        r->quirks |= CDC_QUIRK_SIO_PLACEHOLDER_NUM;
    }
    if (!ok || k >= w->n_att) {
        res_error(w, r, oi->num.p, CDC_ERR_SIO_PLACEHOLDER,
                  "placeholder num is not the index of an attachment");
        return -1;
    }
    return (int64_t)k;
}

static int emit_marker(struct walk *w, struct cdc_span obj, struct cdc_span bytes)
{
    int rc = emit_source(w, obj.p);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(w->out, "{\"$binary\":\"");
    if (rc == CDC_OK)
        rc = cdc_b64_encode(bytes.p, bytes.len, w->out);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(w->out, "\"}");
    w->copied = obj.p + obj.len;
    return rc;
}

/* A placeholder object: its own result replaces its children's. */
static int on_placeholder(struct walk *w, const struct objinfo *oi, struct wres *r)
{
    if (oi->count != 2 || oi->extra) {
        if (!w->compat)
            res_error(w, r, oi->obj.p, CDC_ERR_SIO_PLACEHOLDER, "placeholder with extra keys");
        r->quirks |= CDC_QUIRK_SIO_PLACEHOLDER_EXTRA;
    }
    int64_t k = placeholder_index(w, oi, r);
    if (k < 0 || r->err)
        return CDC_OK;
    if (k < 64)
        r->seen |= 1ull << k;
    if (!w->out || !w->att)
        return CDC_OK;
    return emit_marker(w, oi->obj, w->att[k]);
}

static int decode_marker(struct walk *w, struct cdc_span str)
{
    const uint8_t *p = str.p + 1;
    size_t n = str.len - 2;
    if (!memchr(p, '\\', n))
        return cdc_b64_decode(p, n, false, w->bytes, NULL, NULL);
    struct cdc_buf tmp; /* escaped base64 such as "\/" : unescape first */
    cdc_buf_init(&tmp, str.len, w->bytes->mem);
    int rc = cdc_json_string_unescape(str, &tmp);
    if (rc == CDC_OK)
        rc = cdc_b64_decode(tmp.p, tmp.len, false, w->bytes, NULL, NULL);
    cdc_buf_free(&tmp);
    return rc == CDC_ERR_JSON ? CDC_ERR_SIO_JSON : rc;
}

/* A {"$binary":"..."} object: decode it, write a placeholder instead. */
static int on_marker(struct walk *w, const struct objinfo *oi)
{
    if (w->found == w->cap)
        return CDC_ERR_SIO_TOO_MANY_ATTACHMENTS;
    int rc = decode_marker(w, oi->marker);
    if (rc != CDC_OK)
        return rc;
    w->offs[++w->found] = w->bytes->len;
    rc = emit_source(w, oi->obj.p);
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(w->out, "{\"_placeholder\":true,\"num\":");
    if (rc == CDC_OK)
        rc = cdc_buf_append_u64(w->out, w->found - 1);
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(w->out, '}');
    w->copied = oi->obj.p + oi->obj.len;
    return rc;
}

static void note_member(struct objinfo *oi, struct cdc_span key, struct cdc_span val)
{
    oi->count++;
    if (cdc_json_string_eq(key, "_placeholder", 12)) {
        oi->ph_true = cdc_json_type_of(val) == CDC_JSON_TRUE;
    } else if (cdc_json_string_eq(key, "num", 3)) {
        oi->has_num = true;
        oi->num = val;
    } else {
        oi->extra = true;
    }
    oi->is_marker = oi->count == 1 && cdc_json_string_eq(key, "$binary", 7) &&
                    cdc_json_type_of(val) == CDC_JSON_STRING;
    if (oi->is_marker)
        oi->marker = val;
}

static int walk_object(struct walk *w, struct cdc_span v, struct wres *r)
{
    struct objinfo oi = {.obj = v};
    struct wres kids = {0};
    struct cdc_json_iter it;
    struct cdc_span key, val;
    size_t mark = w->out ? w->out->len : 0;
    const uint8_t *copied = w->copied;
    int n, rc;
    cdc_json_iter_init(&it, v);
    while ((n = cdc_json_iter_next(&it, &key, &val)) == 1) {
        note_member(&oi, key, val);
        if ((rc = walk_value(w, val, &kids)) != CDC_OK)
            return rc;
    }
    if (n < 0)
        return CDC_ERR_SIO_JSON;
    if (w->markers) {
        res_merge(r, &kids);
        return oi.is_marker && oi.count == 1 ? on_marker(w, &oi) : CDC_OK;
    }
    if (!oi.ph_true) {
        res_merge(r, &kids);
        return CDC_OK;
    }
    if (w->out) { /* rewind whatever the children wrote */
        w->out->len = mark;
        w->copied = copied;
    }
    struct wres own = {0};
    rc = on_placeholder(w, &oi, &own);
    res_merge(r, &own);
    return rc;
}

static int walk_value(struct walk *w, struct cdc_span v, struct wres *r)
{
    enum cdc_json_type t = cdc_json_type_of(v);
    if (t != CDC_JSON_ARRAY && t != CDC_JSON_OBJECT)
        return CDC_OK;
    if (w->depth > w->o->lim.max_json_depth)
        return CDC_ERR_JSON_DEPTH; /* unreachable on validated JSON */
    w->depth++;
    int rc = t == CDC_JSON_ARRAY ? walk_array(w, v, r) : walk_object(w, v, r);
    w->depth--;
    return rc;
}

/* Runs |w| over the whole of |data| and flushes the source tail. */
static int walk_all(struct walk *w, struct cdc_span data, struct wres *r)
{
    w->base = data.p;
    w->copied = data.p;
    int rc = walk_value(w, cdc_json_trim(data), r);
    if (rc == CDC_OK && w->out)
        rc = emit_source(w, data.p + data.len);
    return rc;
}

static void walk_init(struct walk *w, const struct cdc_opts *o)
{
    memset(w, 0, sizeof *w);
    w->o = o;
    w->compat = o->mode == CDC_COMPAT;
}

int sio_placeholders_check(const struct cdc_opts *o, struct cdc_span data, unsigned n_att,
                           bool require_all, uint32_t *quirks, size_t base_off,
                           struct cdc_diag *diag)
{
    struct walk w;
    struct wres r = {0};
    walk_init(&w, o);
    w.n_att = n_att;
    if (data.len) {
        int rc = walk_all(&w, data, &r);
        if (rc == CDC_OK)
            rc = r.err;
        if (rc != CDC_OK)
            return sio_fail(diag, base_off + r.off, rc, r.why ? r.why : "bad JSON");
    }
    uint64_t all = n_att >= 64 ? UINT64_MAX : (1ull << n_att) - 1;
    if (require_all && (r.seen & all) != all) {
        if (!w.compat)
            return sio_fail(diag, base_off, CDC_ERR_SIO_PLACEHOLDER,
                            "an attachment is never referenced");
        r.quirks |= CDC_QUIRK_SIO_UNREFERENCED_ATTACHMENT;
    }
    *quirks |= r.quirks;
    return CDC_OK;
}

/* ---- reconstruction and deconstruction -------------------------------- */

static bool opts_ok(const struct cdc_opts *o)
{
    return o && (o->sio_version == 4 || o->sio_version == 5) &&
           (o->mode == CDC_STRICT || o->mode == CDC_COMPAT);
}

static bool is_binary_type(int t)
{
    return t == SIO_BINARY_EVENT || t == SIO_BINARY_ACK;
}

/* True when |s| lies inside the storage of |b| (so appending to |b| could
 * move it). */
static bool span_in_buf(struct cdc_span s, const struct cdc_buf *b)
{
    uintptr_t a = (uintptr_t)s.p, lo = (uintptr_t)b->p;
    return b->p && s.p && a >= lo && a < lo + b->cap;
}

static int json_ok(const struct cdc_opts *o, struct cdc_span data)
{
    int rc =
        cdc_json_validate(data.p, data.len, o->lim.max_json_depth, o->mode == CDC_STRICT, NULL);
    return rc == CDC_OK ? CDC_OK : CDC_ERR_SIO_JSON;
}

int sio_binary_reconstruct_json(const struct cdc_opts *o, const struct sio_message *m,
                                struct cdc_buf *out)
{
    if (!opts_ok(o) || !m || !out || (m->n_attachments && !m->attachments) ||
        span_in_buf(m->pkt.data, out))
        return CDC_ERR_INVALID_ARG;
    struct cdc_span data = m->pkt.data;
    if (data.len == 0)
        return CDC_OK;
    if (!data.p || json_ok(o, data) != CDC_OK)
        return CDC_ERR_SIO_JSON;
    if (!is_binary_type(m->pkt.type))
        return cdc_buf_append(out, data.p, data.len);
    struct walk w;
    struct wres r = {0};
    walk_init(&w, o);
    w.n_att = m->n_attachments > UINT32_MAX ? UINT32_MAX : (unsigned)m->n_attachments;
    w.att = m->attachments;
    w.out = out;
    size_t mark = out->len;
    int rc = walk_all(&w, data, &r);
    if (rc == CDC_OK)
        rc = r.err;
    if (rc != CDC_OK)
        out->len = mark;
    return rc;
}

static int deconstruct_args(const struct cdc_opts *o, const struct sio_packet *p,
                            const struct cdc_buf *json_out, const struct sio_attachments *atts)
{
    if (!opts_ok(o) || !p || !json_out || !atts || !atts->bytes)
        return CDC_ERR_INVALID_ARG;
    if (p->type != SIO_EVENT && p->type != SIO_ACK)
        return CDC_ERR_INVALID_ARG;
    if (p->data.len &&
        (!p->data.p || span_in_buf(p->data, json_out) || span_in_buf(p->data, atts->bytes)))
        return CDC_ERR_INVALID_ARG;
    return CDC_OK;
}

int sio_binary_deconstruct(const struct cdc_opts *o, struct sio_packet *p, struct cdc_buf *json_out,
                           struct sio_attachments *atts)
{
    int rc = deconstruct_args(o, p, json_out, atts);
    if (rc != CDC_OK)
        return rc;
    atts->n = 0;
    if (p->data.len == 0)
        return CDC_OK;
    if (json_ok(o, p->data) != CDC_OK)
        return CDC_ERR_SIO_JSON;
    struct walk w;
    struct wres r = {0};
    walk_init(&w, o);
    w.markers = true;
    w.out = json_out;
    w.bytes = atts->bytes;
    w.cap = sio_max_attachments(o);
    w.offs[0] = atts->bytes->len;
    size_t jmark = json_out->len, bmark = atts->bytes->len;
    rc = walk_all(&w, p->data, &r);
    if (rc != CDC_OK || w.found == 0) {
        json_out->len = jmark;
        atts->bytes->len = bmark;
        return rc;
    }
    for (unsigned i = 0; i < w.found; i++)
        atts->at[i] = (struct cdc_span){atts->bytes->p + w.offs[i], w.offs[i + 1] - w.offs[i]};
    atts->n = w.found;
    p->type = p->type == SIO_EVENT ? SIO_BINARY_EVENT : SIO_BINARY_ACK;
    p->attachments = w.found;
    p->data = (struct cdc_span){json_out->p + jmark, json_out->len - jmark};
    return CDC_OK;
}

/* ---- the decoder ------------------------------------------------------- */

struct sio_decoder {
    struct cdc_opts o;
    const struct cdc_mem *mem; /* borrowed */
    int err;                   /* sticky error, 0 when healthy */
    bool pending;              /* a binary header awaits attachments */
    unsigned got;              /* attachments received so far */
    struct sio_packet pkt;     /* the pending header; spans into |text| */
    struct cdc_buf text;       /* copy of the last text message */
    struct cdc_buf bins;       /* attachments, concatenated */
    size_t offs[SIO_ATTACHMENTS_CAP + 1];
    struct cdc_span spans[SIO_ATTACHMENTS_CAP];
};

int sio_decoder_new(struct sio_decoder **out, const struct cdc_opts *o, const struct cdc_mem *mem)
{
    if (!out)
        return CDC_ERR_INVALID_ARG;
    *out = NULL;
    struct cdc_opts def;
    if (!o) {
        cdc_opts_init(&def);
        o = &def;
    }
    if (!opts_ok(o))
        return CDC_ERR_INVALID_ARG;
    struct sio_decoder *d = cdc_mem_alloc(mem, sizeof *d);
    if (!d)
        return CDC_ERR_NOMEM;
    memset(d, 0, sizeof *d);
    d->o = *o;
    d->mem = mem;
    cdc_buf_init(&d->text, o->lim.max_payload, mem);
    cdc_buf_init(&d->bins, SIZE_MAX, mem);
    *out = d;
    return CDC_OK;
}

void sio_decoder_del(struct sio_decoder *d)
{
    if (!d)
        return;
    cdc_buf_free(&d->text);
    cdc_buf_free(&d->bins);
    cdc_mem_free(d->mem, d);
}

void sio_decoder_reset(struct sio_decoder *d)
{
    if (!d)
        return;
    d->err = CDC_OK;
    d->pending = false;
    d->got = 0;
    cdc_buf_reset(&d->text);
    cdc_buf_reset(&d->bins);
}

bool sio_decoder_pending(const struct sio_decoder *d)
{
    return d && d->pending;
}

static void emit(struct sio_decoder *d, struct sio_message *out, size_t n)
{
    out->pkt = d->pkt;
    out->n_attachments = n;
    out->attachments = n ? d->spans : NULL;
}

static int feed_text(struct sio_decoder *d, const uint8_t *in, size_t len, struct sio_message *out,
                     struct cdc_diag *diag)
{
    if (d->pending)
        return sio_fail(diag, 0, CDC_ERR_SIO_UNEXPECTED_TEXT, "text while attachments pending");
    if (len > d->o.lim.max_payload)
        return sio_fail(diag, d->o.lim.max_payload, CDC_ERR_TOO_LARGE, "packet above max_payload");
    cdc_buf_reset(&d->text);
    int rc = cdc_buf_append(&d->text, in, len);
    if (rc != CDC_OK)
        return sio_fail(diag, 0, rc, "cannot copy the packet");
    rc = sio_packet_decode(&d->o, d->text.p, len, &d->pkt, diag);
    if (rc != CDC_OK)
        return rc;
    if (!is_binary_type(d->pkt.type)) {
        emit(d, out, 0);
        return SIO_DEC_PACKET;
    }
    d->pending = true;
    d->got = 0;
    cdc_buf_reset(&d->bins);
    d->offs[0] = 0;
    return SIO_DEC_PENDING;
}

static int feed_binary(struct sio_decoder *d, const uint8_t *in, size_t len,
                       struct sio_message *out, struct cdc_diag *diag)
{
    if (!d->pending)
        return sio_fail(diag, 0, CDC_ERR_SIO_UNEXPECTED_BINARY, "binary with nothing pending");
    if (len > d->o.lim.max_payload)
        return sio_fail(diag, d->o.lim.max_payload, CDC_ERR_TOO_LARGE,
                        "attachment above max_payload");
    int rc = cdc_buf_append(&d->bins, in, len);
    if (rc != CDC_OK)
        return sio_fail(diag, 0, rc, "cannot store the attachment");
    d->offs[++d->got] = d->bins.len;
    if (d->got < d->pkt.attachments)
        return SIO_DEC_PENDING;
    for (unsigned i = 0; i < d->got; i++)
        d->spans[i] = (struct cdc_span){d->bins.p + d->offs[i], d->offs[i + 1] - d->offs[i]};
    d->pending = false;
    emit(d, out, d->got);
    return SIO_DEC_PACKET;
}

int sio_decoder_feed(struct sio_decoder *d, bool binary, const uint8_t *in, size_t len,
                     struct sio_message *out, struct cdc_diag *diag)
{
    if (!d || !out || (!in && len))
        return sio_fail(diag, 0, CDC_ERR_INVALID_ARG, "bad arguments");
    if (d->err)
        return sio_fail(diag, 0, CDC_ERR_STATE, "decoder failed earlier; reset it");
    static const uint8_t none[1] = {0};
    if (!in)
        in = none;
    int rc = binary ? feed_binary(d, in, len, out, diag) : feed_text(d, in, len, out, diag);
    if (rc < 0) { /* nothing is awaited any more: the decoder is failed */
        d->err = rc;
        d->pending = false;
    }
    return rc;
}
