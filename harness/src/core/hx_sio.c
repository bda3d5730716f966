/*
 * hx_sio.c - the Socket.IO layer of a session (see hx_sio.h).
 *
 * socket.io-protocol v5 §Packet encoding and §Binary, v4 for EIO 3:
 * incoming Engine.IO messages are fed in order to the session's
 * sio_decoder; a complete packet becomes one HX_ITEM_SIO item holding the
 * packet, its attachments and the JSON with {"$binary":...} markers.
 * Outgoing packets go through sio_binary_deconstruct, so a case writes
 * binaries as markers and the header packet plus attachments leave
 * together in one hx_eio_send_packets call.
 */
#include "hx_session_int.h"

#include "codec/cdc_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void log_sio(struct hx_session *s, enum hx_dir dir, enum hx_tp tp, unsigned chan,
                    const struct sio_packet *p, struct cdc_span json, size_t n_att)
{
    char id[32] = "";
    if (p->has_id)
        snprintf(id, sizeof(id), " id=%llu", (unsigned long long)p->id);
    int show = json.len > 400 ? 400 : (int)json.len;
    hx_transcript_textf(
        s->tr, ses_now(s), dir, ses_tp_tag(tp), chan, "sio %s nsp=%.*s%s data=%.*s%s%s",
        sio_type_name((int)p->type, s->co.sio_version), (int)p->nsp.len, (const char *)p->nsp.p, id,
        show, json.len ? (const char *)json.p : "", show < (int)json.len ? "..." : "",
        n_att ? " (binary attachments follow)" : "");
}

static size_t att_bytes(const struct sio_message *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_attachments; i++)
        n += m->attachments[i].len;
    return n;
}

static void queue_sio(struct hx_session *s, const struct sio_message *m, struct cdc_span json,
                      struct cdc_span raw, enum hx_tp tp, unsigned chan)
{
    size_t spans = m->n_attachments * sizeof(struct cdc_span);
    size_t extra = spans + att_bytes(m) + m->pkt.nsp.len + m->pkt.data.len + json.len + raw.len;
    struct hx_item *it = item_new(s, HX_ITEM_SIO, extra);
    if (!it)
        return;
    it->tp = tp;
    it->chan = chan;
    struct cdc_span *att = (struct cdc_span *)(void *)item_copy(it, m->attachments, spans).p;
    for (size_t i = 0; i < m->n_attachments; i++)
        att[i] = item_copy(it, m->attachments[i].p, m->attachments[i].len);
    it->att = spans ? att : NULL;
    it->n_att = m->n_attachments;
    it->sio = m->pkt;
    it->sio.nsp = item_copy(it, m->pkt.nsp.p, m->pkt.nsp.len);
    it->sio.data = item_copy(it, m->pkt.data.p, m->pkt.data.len);
    it->json = item_copy(it, json.p, json.len);
    it->raw = item_copy(it, raw.p, raw.len);
    item_push(s, it);
}

int ses_rx_sio(struct hx_session *s, const struct eio_packet *p, enum hx_tp tp, unsigned chan)
{
    struct sio_message m;
    struct cdc_diag d = {0};
    int r = sio_decoder_feed(s->sd, p->binary, p->data.p, p->data.len, &m, &d);
    if (r == SIO_DEC_PENDING)
        return HX_OK;
    if (r < 0) {
        ses_queue_error(s, tp, chan, r, p->data, "undecodable Socket.IO packet: %s (%s at %zu)",
                        cdc_strerror(r), d.why ? d.why : "?", d.off);
        sio_decoder_reset(s->sd);
        return HX_ERR_PROTOCOL;
    }
    struct cdc_buf json;
    cdc_buf_init(&json, s->o.max_body, NULL);
    struct cdc_span js = m.pkt.data;
    if (m.n_attachments) {
        int rc = sio_binary_reconstruct_json(&s->co, &m, &json);
        if (rc != CDC_OK) {
            ses_queue_error(s, tp, chan, rc, m.pkt.data, "attachments not reconstructed: %s",
                            cdc_strerror(rc));
            cdc_buf_free(&json);
            return HX_ERR_PROTOCOL;
        }
        js = (struct cdc_span){json.p, json.len};
    }
    log_sio(s, HX_DIR_IN, tp, chan, &m.pkt, js, 0);
    queue_sio(s, &m, js, p->binary ? m.pkt.data : p->data, tp, chan);
    cdc_buf_free(&json);
    return HX_OK;
}

/* ---- sending ---- */

static bool can_carry_binary(enum sio_type t)
{
    return t == SIO_EVENT || t == SIO_ACK;
}

static int send_encoded(struct hx_session *s, const struct sio_packet *q,
                        const struct sio_attachments *atts, uint64_t deadline)
{
    struct cdc_buf txt;
    cdc_buf_init(&txt, SIZE_MAX, NULL);
    int rc = sio_packet_encode(&s->co, q, &txt);
    if (rc != CDC_OK) {
        cdc_buf_free(&txt);
        ses_fail(s, "Socket.IO packet not encodable: %s", cdc_strerror(rc));
        return HX_ERR_INVALID_ARG;
    }
    struct eio_packet pk[1 + 64];
    size_t n = 0;
    pk[n++] = (struct eio_packet){.type = EIO_MESSAGE, .data = {txt.p, txt.len}};
    for (size_t i = 0; i < atts->n && n < 65; i++)
        pk[n++] = (struct eio_packet){.type = EIO_MESSAGE, .binary = true, .data = atts->at[i]};
    log_sio(s, HX_DIR_OUT, s->tp, s->tp == HX_TP_WS ? s->ws_chan : 0, q, q->data, atts->n);
    rc = ses_send(s, pk, n, false, true, deadline);
    cdc_buf_free(&txt);
    return rc;
}

int hx_sio_send(struct hx_session *s, const struct sio_packet *p, uint64_t deadline)
{
    if (!s->sd || s->state != S_OPEN) {
        ses_fail(s, "Socket.IO send: session %s", s->sd ? "not open" : "is Engine.IO only");
        return s->state == S_CLOSED ? HX_ERR_CLOSED : HX_ERR_STATE;
    }
    struct sio_packet q = *p;
    struct cdc_buf json, bytes;
    cdc_buf_init(&json, SIZE_MAX, NULL);
    cdc_buf_init(&bytes, SIZE_MAX, NULL);
    struct sio_attachments atts = {.n = 0, .bytes = &bytes};
    int rc = CDC_OK;
    if (can_carry_binary(q.type) && q.data.len)
        rc = sio_binary_deconstruct(&s->co, &q, &json, &atts);
    int st = rc == CDC_OK ? send_encoded(s, &q, &atts, deadline) : HX_ERR_INVALID_ARG;
    if (rc != CDC_OK)
        ses_fail(s, "binary markers not convertible: %s", cdc_strerror(rc));
    cdc_buf_free(&json);
    cdc_buf_free(&bytes);
    return st;
}

static struct cdc_span span_of(const char *p)
{
    return (struct cdc_span){(const uint8_t *)p, p ? strlen(p) : 0};
}

int hx_sio_connect(struct hx_session *s, const char *nsp, const char *auth, uint64_t deadline,
                   const struct hx_item **reply)
{
    const struct hx_item *it = NULL;
    nsp = nsp ? nsp : "/";
    int rc = HX_OK;
    char target[512];
    if (s->co.sio_version == 5) {
        struct sio_packet p = {.type = SIO_CONNECT, .nsp = span_of(nsp), .data = span_of(auth)};
        rc = hx_sio_send(s, &p, deadline);
    } else if (strcmp(nsp, "/") != 0) {
        snprintf(target, sizeof(target), "%s%s%s", nsp, auth ? "?" : "", auth ? auth : "");
        struct sio_packet p = {.type = SIO_CONNECT, .nsp = span_of(target)};
        rc = hx_sio_send(s, &p, deadline);
    } else if (!s->sd) {
        rc = HX_ERR_STATE;
    }
    if (rc != HX_OK)
        return rc;
    struct hx_match m = {.sio_types = HX_TYPE(SIO_CONNECT) | HX_TYPE(SIO_CONNECT_ERROR),
                         .nsp = nsp};
    rc = hx_session_wait(s, &m, deadline, &it);
    if (reply)
        *reply = it;
    if (rc == HX_OK && it->sio.type == SIO_CONNECT_ERROR) {
        ses_fail(s, "CONNECT_ERROR for %s: %.*s", nsp, (int)it->sio.data.len,
                 (const char *)it->sio.data.p);
        return HX_ERR_REJECTED;
    }
    return rc;
}

int hx_sio_emit(struct hx_session *s, const char *nsp, const char *args, bool ack, uint64_t *ack_id,
                uint64_t deadline)
{
    struct cdc_span a = span_of(args);
    if (!args || cdc_json_validate(a.p, a.len, 64, false, NULL) != CDC_OK ||
        cdc_json_type_of(cdc_json_trim(a)) != CDC_JSON_ARRAY) {
        ses_fail(s, "hx_sio_emit: args must be a JSON array");
        return HX_ERR_INVALID_ARG;
    }
    struct sio_packet p = {.type = SIO_EVENT, .nsp = span_of(nsp ? nsp : "/"), .data = a};
    if (ack) {
        p.has_id = true;
        p.id = s->next_ack_id++;
        if (ack_id)
            *ack_id = p.id;
    }
    return hx_sio_send(s, &p, deadline);
}

int hx_sio_ack(struct hx_session *s, const char *nsp, uint64_t id, const char *args,
               uint64_t deadline)
{
    struct sio_packet p = {.type = SIO_ACK,
                           .nsp = span_of(nsp ? nsp : "/"),
                           .has_id = true,
                           .id = id,
                           .data = span_of(args ? args : "[]")};
    return hx_sio_send(s, &p, deadline);
}

int hx_sio_disconnect(struct hx_session *s, const char *nsp, uint64_t deadline)
{
    struct sio_packet p = {.type = SIO_DISCONNECT, .nsp = span_of(nsp ? nsp : "/")};
    return hx_sio_send(s, &p, deadline);
}

int hx_sio_expect_event(struct hx_session *s, const char *nsp, const char *event, uint64_t deadline,
                        const struct hx_item **out)
{
    struct hx_match m = hx_match_event(nsp, event);
    return hx_session_wait(s, &m, deadline, out);
}

int hx_sio_expect_ack(struct hx_session *s, const char *nsp, uint64_t id, uint64_t deadline,
                      const struct hx_item **out)
{
    struct hx_match m = hx_match_ack(nsp, id);
    return hx_session_wait(s, &m, deadline, out);
}
