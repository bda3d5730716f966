/*
 * test_sio_trusted.c - the entry points that skip work the caller has
 * already done: sio_packet_decode_trusted_utf8 (text known to be UTF-8) and
 * sio_packet_encode_trusted (packet known to validate). On the inputs their
 * contracts allow they must agree exactly with sio_packet_decode and
 * sio_packet_encode; every decoder vector of test_sio_vectors.c is run
 * through both, in both modes, whole and at the end of a guard page.
 */
#include "test_sio.h"

#include <stdio.h>
#include <string.h>

extern CU_TestInfo test_sio_trusted_tests[];

#define SPAN(s) ((struct cdc_span){(const uint8_t *)(s), sizeof(s) - 1})

static bool same_packet(const struct sio_packet *a, const struct sio_packet *b)
{
    return a->type == b->type && a->nsp.p == b->nsp.p && a->nsp.len == b->nsp.len &&
           a->has_id == b->has_id && a->id == b->id && a->data.p == b->data.p &&
           a->data.len == b->data.len && a->attachments == b->attachments && a->quirks == b->quirks;
}

/* Both decoders on |in|: same code, same diag, same packet. */
static void compare_decoders(const char *what, const struct cdc_opts *o, const uint8_t *in,
                             size_t n)
{
    struct sio_packet a, b;
    struct cdc_diag da = {0, NULL}, db = {0, NULL};
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    int ra = sio_packet_decode(o, in, n, &a, &da);
    int rb = sio_packet_decode_trusted_utf8(o, in, n, &b, &db);
    CU_ASSERT(th_rc_eq(what, ra, rb));
    if (ra != CDC_OK) {
        CU_ASSERT(da.off == db.off && da.why == db.why);
        return;
    }
    if (!same_packet(&a, &b))
        fprintf(stderr, "\n  %s: the trusted decoder's packet differs\n", what);
    CU_ASSERT(same_packet(&a, &b));
}

static void test_sio_trusted_decode_vectors(void)
{
    size_t compared = 0;
    for (size_t i = 0; i < ts_vectors_n; i++) {
        const struct sio_vec *v = &ts_vectors[i];
        size_t n = v->len ? v->len : strlen(v->in);
        uint8_t *g = th_guard_copy(v->in, n);
        CU_ASSERT_FATAL(g != NULL);
        for (int mode = 0; mode < 2; mode++) {
            struct cdc_opts o = ts_opts(v->ver, (enum cdc_mode)mode);
            char what[160];
            snprintf(what, sizeof what, "%s (mode %d)", v->name, mode);
            if (cdc_utf8_check(g, n, NULL) == CDC_OK) {
                compare_decoders(what, &o, (const uint8_t *)v->in, n);
                compare_decoders(what, &o, g, n);
                compared++;
            } else { /* outside the contract: any answer, but no bad read */
                struct sio_packet p;
                CU_ASSERT(sio_packet_decode_trusted_utf8(&o, g, n, &p, NULL) <= CDC_OK);
            }
        }
        th_guard_free(g, n);
    }
    CU_ASSERT(compared > 200);
}

/* Every accepted vector re-encodes to the same bytes either way. */
static void test_sio_trusted_encode_vectors(void)
{
    size_t compared = 0;
    for (size_t i = 0; i < ts_vectors_n; i++) {
        const struct sio_vec *v = &ts_vectors[i];
        size_t n = v->len ? v->len : strlen(v->in);
        for (int mode = 0; mode < 2; mode++) {
            struct cdc_opts o = ts_opts(v->ver, (enum cdc_mode)mode);
            struct sio_packet p;
            if (sio_packet_decode(&o, (const uint8_t *)v->in, n, &p, NULL) != CDC_OK)
                continue;
            struct cdc_buf a, b;
            cdc_buf_init(&a, 1 << 16, NULL);
            cdc_buf_init(&b, 1 << 16, NULL);
            cdc_buf_append_str(&a, "pre");
            cdc_buf_append_str(&b, "pre");
            CU_ASSERT(th_rc_eq(v->name, CDC_OK, sio_packet_encode(&o, &p, &a)));
            CU_ASSERT(th_rc_eq(v->name, CDC_OK, sio_packet_encode_trusted(&o, &p, &b)));
            TH_ASSERT_BYTES(v->name, a.p, a.len, b.p, b.len);
            cdc_buf_free(&a);
            cdc_buf_free(&b);
            compared++;
        }
    }
    CU_ASSERT(compared > 200);
}

/* What the trusted encoder still checks, and its buffer invariant. */
static void test_sio_trusted_encode_args(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT), bad = o;
    struct sio_packet p = {SIO_EVENT, SPAN("/admin"), true, 12, SPAN("[\"foo\",1,2,3]"), 0, 0};
    struct cdc_buf b;
    cdc_buf_init(&b, 10, NULL);
    CU_ASSERT(cdc_buf_append_str(&b, "xy") == CDC_OK);
    bad.sio_version = 3;
    CU_ASSERT(sio_packet_encode_trusted(NULL, &p, &b) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_packet_encode_trusted(&bad, &p, &b) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_packet_encode_trusted(&o, NULL, &b) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_packet_encode_trusted(&o, &p, NULL) == CDC_ERR_INVALID_ARG);
    struct sio_packet q = p;
    q.type = (enum sio_type)7;
    CU_ASSERT(sio_packet_encode_trusted(&o, &q, &b) == CDC_ERR_INVALID_ARG);
    q = p;
    q.nsp.p = NULL;
    CU_ASSERT(sio_packet_encode_trusted(&o, &q, &b) == CDC_ERR_INVALID_ARG);
    q = p;
    q.data.p = NULL;
    CU_ASSERT(sio_packet_encode_trusted(&o, &q, &b) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_packet_encode_trusted(&o, &p, &b) == CDC_ERR_TOO_LARGE);
    TH_ASSERT_BYTES("too large", "xy", 2, b.p, b.len);
    cdc_buf_free(&b);
    for (long fail = 0; fail < 4; fail++) {
        struct th_failmem fm;
        th_failmem_init(&fm, fail);
        cdc_buf_init(&b, 1024, &fm.mem);
        int rc = sio_packet_encode_trusted(&o, &p, &b);
        CU_ASSERT(rc == (fail == 0 ? CDC_ERR_NOMEM : CDC_OK));
        static const char want[] = "2/admin,12[\"foo\",1,2,3]";
        if (rc == CDC_OK) {
            TH_ASSERT_BYTES("encoded", want, sizeof(want) - 1, b.p, b.len);
        } else {
            CU_ASSERT(b.len == 0);
        }
        cdc_buf_free(&b);
        CU_ASSERT(fm.live == 0);
    }
}

/* clang-format off */
CU_TestInfo test_sio_trusted_tests[] = {
    {"test_sio_trusted_decode_vectors", test_sio_trusted_decode_vectors},
    {"test_sio_trusted_encode_vectors", test_sio_trusted_encode_vectors},
    {"test_sio_trusted_encode_args", test_sio_trusted_encode_args},
    CU_TEST_INFO_NULL,
};
/* clang-format on */
