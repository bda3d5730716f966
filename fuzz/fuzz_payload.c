/*
 * fuzz_payload.c - the polling-payload oracle shared by the eio_payload_v4
 * and eio_payload_v3 targets (fuzz_common.h, fz_run_payload).
 *
 * A payload is iterated to its end or first error. Checked:
 *  - termination: at most n + 1 packets, and the iterator position moves
 *    forward on every packet (a truncated v3 binary payload must not loop,
 *    the engineioxide bug of fuzzing-notes §3);
 *  - sticky results: after 0 or an error, the next call returns it again;
 *  - a body above max_payload never ends cleanly;
 *  - P1: the packets delivered (all of them, or those before the error)
 *    re-encode as a payload of the same kind that iterates to the same list;
 *  - mode consistency as in fuzz_eio_packet.c, over the whole list.
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#define SCRATCH_MAX (4 * FZ_LIM_PAYLOAD + 64)

/* Iterates |in| into |out|; returns the final result (0 or an error). */
static int iterate(const struct cdc_opts *o, enum eio_payload_kind kind, const uint8_t *in,
                   size_t n, struct fz_pkts *out, bool check)
{
    struct eio_payload_iter it;
    struct cdc_buf scratch;
    cdc_buf_init(&scratch, SCRATCH_MAX, NULL);
    eio_payload_iter_init(&it, o, in, n, kind);
    int rc;
    for (;;) {
        struct eio_packet p;
        struct cdc_diag d = fz_diag();
        size_t before = it.pos;
        rc = eio_payload_next(&it, &scratch, &p, &d);
        if (check)
            fz_check_rc(rc, &d, n);
        if (rc != 1)
            break;
        FZ_CHECK(it.pos > before || n == 0, "payload iterator made no progress");
        FZ_CHECK(it.pos <= n, "payload iterator moved past the end");
        FZ_CHECK(out->n <= n, "more packets than payload bytes");
        if (check) {
            fz_check_eio_packet(o, &p);
            FZ_CHECK(fz_within2(p.data, in, n, &scratch), "data outside input and scratch");
        }
        fz_pkts_push(out, &p);
    }
    struct eio_packet p;
    int again = eio_payload_next(&it, &scratch, &p, NULL);
    FZ_CHECK(again == rc, "payload iterator result is not sticky");
    cdc_buf_free(&scratch);
    return rc;
}

static bool lists_eq(const struct fz_pkts *a, const struct fz_pkts *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        struct eio_packet x = fz_pkts_get(a, i), y = fz_pkts_get(b, i);
        if (!fz_eio_eq(&x, &y))
            return false;
    }
    return true;
}

static void reencode(const struct cdc_opts *o, enum eio_payload_kind kind, const struct fz_pkts *l)
{
    if (l->n == 0)
        return;
    struct eio_packet *v = malloc(l->n * sizeof(*v));
    FZ_CHECK(v != NULL, "harness out of memory");
    for (size_t i = 0; i < l->n; i++)
        v[i] = fz_pkts_get(l, i);
    struct cdc_buf enc;
    cdc_buf_init(&enc, 16 * FZ_LIM_PAYLOAD + 1024, NULL);
    int rc = eio_payload_encode(o, v, l->n, kind, &enc);
    FZ_CHECK(rc == CDC_OK || rc == CDC_ERR_TOO_LARGE || rc == CDC_ERR_INVALID_ARG,
             "re-encoding decoded packets failed");
    bool well_formed = true; /* no packet's text needed the invalid-UTF-8 quirk */
    for (size_t i = 0; i < l->n; i++)
        well_formed = well_formed && !(v[i].quirks & CDC_QUIRK_INVALID_UTF8);
    if (rc == CDC_OK && well_formed) {
        struct cdc_buf t;
        cdc_buf_init(&t, 16 * FZ_LIM_PAYLOAD + 1024, NULL);
        FZ_CHECK(eio_payload_encode_trusted_utf8(o, v, l->n, kind, &t) == CDC_OK &&
                     t.len == enc.len && memcmp(t.p, enc.p, enc.len) == 0,
                 "trusted encoder differs on well-formed text");
        cdc_buf_free(&t);
    }
    if (rc == CDC_OK && enc.len <= o->lim.max_payload) {
        struct fz_pkts again;
        fz_pkts_init(&again);
        rc = iterate(o, kind, enc.p, enc.len, &again, false);
        FZ_CHECK(rc == 0, "P1: re-encoded payload does not decode");
        FZ_CHECK(lists_eq(l, &again), "P1: re-encoded payload decodes to other packets");
        fz_pkts_free(&again);
    }
    cdc_buf_free(&enc);
    free(v);
}

static void other_mode(const struct cdc_opts *o, enum eio_payload_kind kind, const uint8_t *in,
                       size_t n, int rc, const struct fz_pkts *l)
{
    bool quirky = false;
    for (size_t i = 0; i < l->n; i++)
        quirky |= l->v[i].quirks != 0;
    /* Quirks live on packets: leniency in the v3 framing itself (an empty
     * "00:" segment, a payload without packets) has nowhere to be reported,
     * so for v3 only "strict accepts => compat accepts alike" is checked. */
    bool framing_quirks_hidden = o->eio_version == 3 || l->n == 0;
    if (rc != 0 || (o->mode == CDC_COMPAT && (quirky || framing_quirks_hidden)))
        return;
    struct cdc_opts o2 = *o;
    o2.mode = o->mode == CDC_STRICT ? CDC_COMPAT : CDC_STRICT;
    struct fz_pkts l2;
    fz_pkts_init(&l2);
    int rc2 = iterate(&o2, kind, in, n, &l2, false);
    FZ_CHECK(rc2 == 0, "one mode accepts the payload (no quirk named), the other rejects it");
    FZ_CHECK(lists_eq(l, &l2), "strict and compat decode the payload differently");
    fz_pkts_free(&l2);
}

void fz_run_payload(const struct cdc_opts *o, enum eio_payload_kind kind, const uint8_t *in,
                    size_t n)
{
    struct fz_pkts l;
    fz_pkts_init(&l);
    int rc = iterate(o, kind, in, n, &l, true);
    FZ_CHECK(rc <= 0, "iterator ended with a positive value");
    if (n > o->lim.max_payload)
        FZ_CHECK(rc < 0, "payload above max_payload ended cleanly");
    if (rc == 0 && o->eio_version == 4)
        FZ_CHECK(l.n >= 1, "v4 payload ended cleanly without any packet");
    reencode(o, kind, &l);
    other_mode(o, kind, in, n, rc, &l);
    fz_pkts_free(&l);
}
