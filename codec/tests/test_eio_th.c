/*
 * test_eio_th.c - implementation of eio_th.h (built into test_eio).
 */
#include "eio_th.h"

#include <stdio.h>
#include <string.h>

struct cdc_opts eio_th_opts(int ver, enum cdc_mode mode)
{
    struct cdc_opts o;
    cdc_opts_init(&o);
    o.eio_version = ver;
    o.mode = mode;
    return o;
}

static void cat(char *out, size_t cap, const char *s)
{
    size_t n = strlen(out);
    if (n + 1 < cap)
        snprintf(out + n, cap - n, "%s", s);
}

static void cat_quirks(char *out, size_t cap, const char *label, uint32_t q)
{
    if (!q)
        return;
    cat(out, cap, label);
    for (uint32_t bit = 1, first = 1; bit; bit <<= 1) {
        if (!(q & bit))
            continue;
        if (!first)
            cat(out, cap, ",");
        cat(out, cap, cdc_quirk_name(bit));
        first = 0;
    }
}

void eio_th_packet(const struct eio_packet *p, char *out, size_t cap)
{
    char tmp[EIO_TH_LINE];
    const char *name = eio_type_name((int)p->type);
    cat(out, cap, "type=");
    cat(out, cap, name ? name : "?");
    if (p->binary) {
        cat(out, cap, " bin=");
        for (size_t i = 0; i < p->data.len; i++) {
            snprintf(tmp, sizeof(tmp), "%02x", p->data.p[i]);
            cat(out, cap, tmp);
        }
    } else {
        th_escape(p->data.p, p->data.len, tmp, sizeof(tmp));
        cat(out, cap, " text=\"");
        cat(out, cap, tmp);
        cat(out, cap, "\"");
    }
    cat_quirks(out, cap, " quirks=", p->quirks);
}

void eio_th_error(int rc, char *out, size_t cap)
{
    cat(out, cap, "error ");
    cat(out, cap, cdc_err_name(rc));
}

void eio_th_payload(const struct cdc_opts *o, const uint8_t *in, size_t len,
                    enum eio_payload_kind kind, char *out, size_t cap)
{
    struct eio_payload_iter it;
    struct cdc_buf scratch;
    struct eio_packet p;
    struct cdc_diag diag = {0, NULL};
    uint32_t seen = 0;
    int rc;
    out[0] = 0;
    cdc_buf_init(&scratch, o->lim.max_payload, NULL);
    eio_payload_iter_init(&it, o, in, len, kind);
    for (int i = 0; (rc = eio_payload_next(&it, &scratch, &p, &diag)) == 1 && i < 64; i++) {
        eio_th_packet(&p, out, cap);
        cat(out, cap, " | ");
        seen |= p.quirks;
    }
    if (rc < 0) {
        eio_th_error(rc, out, cap);
        /* sticky: the next call repeats the error */
        CU_ASSERT_EQUAL(eio_payload_next(&it, &scratch, &p, NULL), rc);
        CU_ASSERT_PTR_NOT_NULL(diag.why);
        CU_ASSERT(diag.off <= len);
    } else {
        cat(out, cap, "end");
        CU_ASSERT_EQUAL(eio_payload_next(&it, &scratch, &p, NULL), 0);
    }
    CU_ASSERT_EQUAL(it.quirks & seen, seen);
    cat_quirks(out, cap, " iter-quirks=", it.quirks & ~seen);
    cdc_buf_free(&scratch);
}

int eio_th_same(const char *what, const char *want, const char *got)
{
    if (strcmp(want, got) == 0)
        return 1;
    fprintf(stderr, "\n  %s:\n    want %s\n    got  %s\n", what, want, got);
    return 0;
}

int eio_th_collect(const struct cdc_opts *o, const uint8_t *in, size_t len,
                   enum eio_payload_kind kind, struct eio_packet *pk, size_t max, uint8_t *store,
                   size_t cap)
{
    struct eio_payload_iter it;
    struct cdc_buf scratch;
    size_t n = 0, used = 0;
    int rc;
    cdc_buf_init(&scratch, o->lim.max_payload, NULL);
    eio_payload_iter_init(&it, o, in, len, kind);
    while (n < max && (rc = eio_payload_next(&it, &scratch, &pk[n], NULL)) == 1) {
        if (pk[n].data.len > cap - used) {
            rc = CDC_ERR_TOO_LARGE;
            break;
        }
        if (pk[n].data.len)
            memcpy(store + used, pk[n].data.p, pk[n].data.len);
        pk[n].data.p = store + used;
        used += pk[n].data.len;
        n++;
    }
    cdc_buf_free(&scratch);
    return rc < 0 ? rc : (int)n;
}

int eio_th_encode_payload(void *ctx, struct cdc_buf *b)
{
    const struct eio_th_payload_call *c = ctx;
    return eio_payload_encode(c->o, c->pkts, c->n, c->kind, b);
}

void eio_th_reencode(const char *what, const struct cdc_opts *o, const uint8_t *in, size_t len,
                     enum eio_payload_kind kind)
{
    struct eio_packet pk[64], back[64];
    static uint8_t store[1 << 16], store2[1 << 16];
    struct cdc_buf w;
    int n = eio_th_collect(o, in, len, kind, pk, 64, store, sizeof(store));
    CU_ASSERT_FATAL(n >= 0);
    cdc_buf_init(&w, 1 << 20, NULL);
    if (n == 0) {
        /* nothing to encode: only the v3 "0:" body decodes to no packet */
        CU_ASSERT(len == 2 && memcmp(in, "0:", 2) == 0);
    } else {
        TH_ASSERT_RC(what, CDC_OK, eio_payload_encode(o, pk, (size_t)n, kind, &w));
        TH_ASSERT_BYTES(what, in, len, w.p, w.len);
        /* Packets whose text is well-formed UTF-8 (no invalid-UTF-8 quirk)
         * give the same bytes through the trusted encoder. */
        bool trusted = true;
        for (int i = 0; i < n; i++)
            trusted = trusted && !(pk[i].quirks & CDC_QUIRK_INVALID_UTF8);
        if (trusted) {
            struct cdc_buf t;
            cdc_buf_init(&t, 1 << 20, NULL);
            TH_ASSERT_RC(what, CDC_OK, eio_payload_encode_trusted_utf8(o, pk, (size_t)n, kind, &t));
            TH_ASSERT_BYTES(what, in, len, t.p, t.len);
            cdc_buf_free(&t);
        }
        int m = eio_th_collect(o, w.p, w.len, kind, back, 64, store2, sizeof(store2));
        CU_ASSERT_EQUAL(m, n);
        for (int i = 0; i < n && i < m; i++) {
            char a[EIO_TH_LINE] = "", b[EIO_TH_LINE] = "";
            eio_th_packet(&pk[i], a, sizeof(a));
            eio_th_packet(&back[i], b, sizeof(b));
            CU_ASSERT(eio_th_same(what, a, b));
        }
    }
    cdc_buf_free(&w);
}
