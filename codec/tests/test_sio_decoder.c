/*
 * test_sio_decoder.c - the sio_decoder state machine fed whole Engine.IO
 * messages: binary packets joined with their attachments, the two state
 * errors, sticky errors and reset, limits, and every allocation failed in
 * turn. The decoder has no incremental path (it takes whole messages), so
 * there is no byte-split variant; each sequence runs from static storage
 * and again from guard-page copies that are unmapped right after each feed
 * (the output must not point into the caller's input).
 */
#include "test_sio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern CU_TestInfo test_sio_decoder_tests[];

#define PH(n) "{\"_placeholder\":true,\"num\":" #n "}"

enum kind { END = 0, TXT, BIN, RESET };

struct step {
    enum kind k;
    const char *data; /* TXT: the text; BIN: hex bytes */
    int rc;
    const char *line; /* expected packet for SIO_DEC_PACKET */
    size_t n_att;
    const char *atts; /* hex attachments joined by '|' */
};

struct seq {
    const char *name;
    int ver;
    enum cdc_mode mode;
    struct step steps[13];
};

#define T(s, rc)                                                                                   \
    {                                                                                              \
        TXT, s, rc, NULL, 0, NULL                                                                  \
    }
#define TP(s, line)                                                                                \
    {                                                                                              \
        TXT, s, SIO_DEC_PACKET, line, 0, ""                                                        \
    }
#define BN(h, rc)                                                                                  \
    {                                                                                              \
        BIN, h, rc, NULL, 0, NULL                                                                  \
    }
#define BP(h, line, n, atts)                                                                       \
    {                                                                                              \
        BIN, h, SIO_DEC_PACKET, line, n, atts                                                      \
    }
#define RST                                                                                        \
    {                                                                                              \
        RESET, NULL, 0, NULL, 0, NULL                                                              \
    }

/* clang-format off */
static const struct seq seqs[] = {
    {"y_plain", 5, CDC_STRICT, {
        TP("2[\"a\"]", "EVENT nsp=/ data=[\"a\"]"),
        TP("0", "CONNECT nsp=/")}},
    /* v5 spec: BINARY_EVENT with one attachment */
    {"y_spec_binary_event", 5, CDC_STRICT, {
        T("51-[\"baz\"," PH(0) "]", SIO_DEC_PENDING),
        BP("01020304", "BINARY_EVENT att=1 nsp=/ data=[\"baz\"," PH(0) "]", 1, "01020304")}},
    /* v5 spec: two attachments on /admin */
    {"y_spec_two_admin", 5, CDC_STRICT, {
        T("52-/admin,[\"baz\"," PH(0) "," PH(1) "]", SIO_DEC_PENDING),
        BN("0102", SIO_DEC_PENDING),
        BP("0304", "BINARY_EVENT att=2 nsp=/admin data=[\"baz\"," PH(0) "," PH(1) "]", 2, "0102|0304")}},
    /* v5 sample session, then an ordinary packet */
    {"y_session_binary_ack", 5, CDC_STRICT, {
        T("61-/admin,1[" PH(0) "]", SIO_DEC_PENDING),
        BP("ff", "BINARY_ACK att=1 nsp=/admin id=1 data=[" PH(0) "]", 1, "ff"),
        TP("2[\"next\"]", "EVENT nsp=/ data=[\"next\"]")}},
    /* S30: attachments keep their arrival order */
    {"y_s30_reversed", 5, CDC_STRICT, {
        T("62-3[" PH(1) "," PH(0) "]", SIO_DEC_PENDING),
        BN("01", SIO_DEC_PENDING),
        BP("02", "BINARY_ACK att=2 nsp=/ id=3 data=[" PH(1) "," PH(0) "]", 2, "01|02")}},
    {"y_empty_attachment", 5, CDC_STRICT, {
        T("51-[\"a\"," PH(0) "]", SIO_DEC_PENDING),
        BP("", "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", 1, "")}},
    {"y_v4_binary_ack", 4, CDC_STRICT, {
        T("61-/admin,456[" PH(0) "]", SIO_DEC_PENDING),
        BP("030201", "BINARY_ACK att=1 nsp=/admin id=456 data=[" PH(0) "]", 1, "030201")}},
    /* S21: ten attachments nobody references (compat keeps them) */
    {"i_s21_unreferenced", 5, CDC_COMPAT, {
        T("510-[\"message\"]", SIO_DEC_PENDING),
        BN("00", SIO_DEC_PENDING), BN("01", SIO_DEC_PENDING), BN("02", SIO_DEC_PENDING),
        BN("03", SIO_DEC_PENDING), BN("04", SIO_DEC_PENDING), BN("05", SIO_DEC_PENDING),
        BN("06", SIO_DEC_PENDING), BN("07", SIO_DEC_PENDING), BN("08", SIO_DEC_PENDING),
        BP("09", "BINARY_EVENT att=10 nsp=/ data=[\"message\"]", 10, "00|01|02|03|04|05|06|07|08|09")}},
    {"n_s21_unreferenced_strict", 5, CDC_STRICT, {
        T("510-[\"message\"]", CDC_ERR_SIO_PLACEHOLDER),
        BN("00", CDC_ERR_STATE)}},
    /* buffer.js: binary without a header */
    {"n_binary_without_header", 5, CDC_STRICT, {
        BN("776f726c64", CDC_ERR_SIO_UNEXPECTED_BINARY),
        T("2[\"a\"]", CDC_ERR_STATE)}},
    /* buffer.js: text while an attachment is awaited (S24) */
    {"n_text_while_pending", 5, CDC_STRICT, {
        T("51-[\"hello\"," PH(0) "]", SIO_DEC_PENDING),
        T("2[\"hello\"]", CDC_ERR_SIO_UNEXPECTED_TEXT),
        BN("00", CDC_ERR_STATE)}},
    /* CVE-2022-2421 is refused at the header, before any attachment */
    {"n_cve_2022_2421_splice", 5, CDC_COMPAT, {
        T("51-[\"hello\",{\"_placeholder\":true,\"num\":\"splice\"}]", CDC_ERR_SIO_PLACEHOLDER),
        BN("776f726c64", CDC_ERR_STATE)}},
    {"n_ref_out_of_range", 5, CDC_COMPAT, {
        T("51-[\"hello\"," PH(1) "]", CDC_ERR_SIO_PLACEHOLDER)}},
    /* CVE-2026-69185: nothing stays armed after a zero count */
    {"n_cve_2026_69185", 5, CDC_COMPAT, {
        T("50-[\"message\",\"x\"]", CDC_ERR_SIO_ATTACHMENTS),
        BN("00", CDC_ERR_STATE),
        T("2[\"a\"]", CDC_ERR_STATE)}},
    /* CVE-2026-33151 */
    {"n_cve_2026_33151", 5, CDC_COMPAT, {
        T("511-[\"message\"]", CDC_ERR_SIO_TOO_MANY_ATTACHMENTS)}},
    {"n_header_error_sticky", 5, CDC_STRICT, {
        T("2[]", CDC_ERR_SIO_EVENT_NAME),
        T("2[\"a\"]", CDC_ERR_STATE),
        RST,
        TP("2[\"a\"]", "EVENT nsp=/ data=[\"a\"]")}},
    /* parser.js "should resume decoding after calling destroy()" */
    {"y_reset_resumes", 5, CDC_COMPAT, {
        T("51-[\"hello\"]", SIO_DEC_PENDING),
        RST,
        TP("2[\"hello\"]", "EVENT nsp=/ data=[\"hello\"]")}},
    {"y_reset_after_state_error", 5, CDC_STRICT, {
        BN("00", CDC_ERR_SIO_UNEXPECTED_BINARY),
        RST,
        T("51-[\"a\"," PH(0) "]", SIO_DEC_PENDING),
        BP("00", "BINARY_EVENT att=1 nsp=/ data=[\"a\"," PH(0) "]", 1, "00")}},
    /* compat quirks survive into the message */
    {"i_space_ack_id", 5, CDC_COMPAT, {
        TP("2 [\"x\"]", "EVENT nsp=/ id=0 data=[\"x\"]")}},
};
/* clang-format on */

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2)
        out[n++] = (uint8_t)(((h[0] <= '9' ? h[0] - '0' : h[0] - 'a' + 10) << 4) |
                             (h[1] <= '9' ? h[1] - '0' : h[1] - 'a' + 10));
    return n;
}

static void check_packet(const char *what, const struct step *s, const struct sio_message *m,
                         int ver)
{
    CU_ASSERT(ts_line_eq(what, s->line, &m->pkt, ver));
    CU_ASSERT(m->n_attachments == s->n_att);
    const char *p = s->atts;
    for (size_t i = 0; i < m->n_attachments && i < s->n_att; i++) {
        uint8_t b[64];
        const char *bar = strchr(p, '|');
        char hex[130];
        size_t hl = bar ? (size_t)(bar - p) : strlen(p);
        memcpy(hex, p, hl);
        hex[hl] = 0;
        size_t n = unhex(hex, b);
        TH_ASSERT_BYTES(what, b, n, m->attachments[i].p, m->attachments[i].len);
        p = bar ? bar + 1 : p + hl;
    }
}

/* Feeds one step; with |guard| the message sits at a guard page that is
 * unmapped before the result is inspected. */
static int feed(struct sio_decoder *d, const struct step *s, bool guard, struct sio_message *m)
{
    uint8_t bin[128];
    const uint8_t *in = (const uint8_t *)s->data;
    size_t n = s->k == BIN ? unhex(s->data, bin) : strlen(s->data);
    if (s->k == BIN)
        in = bin;
    uint8_t *g = guard ? th_guard_copy(in, n) : NULL;
    struct cdc_diag diag = {0, NULL};
    int rc = sio_decoder_feed(d, s->k == BIN, g ? g : in, n, m, &diag);
    th_guard_free(g, n);
    if (rc < 0)
        CU_ASSERT(diag.why != NULL);
    return rc;
}

static void run_seq(const struct seq *q, bool guard)
{
    struct cdc_opts o = ts_opts(q->ver, q->mode);
    struct sio_decoder *d = NULL;
    CU_ASSERT_FATAL(sio_decoder_new(&d, &o, NULL) == CDC_OK);
    for (size_t i = 0; i < 13 && q->steps[i].k != END; i++) {
        const struct step *s = &q->steps[i];
        char what[160];
        snprintf(what, sizeof what, "%s step %zu%s", q->name, i, guard ? " (guard)" : "");
        if (s->k == RESET) {
            sio_decoder_reset(d);
            CU_ASSERT(!sio_decoder_pending(d));
            continue;
        }
        struct sio_message m;
        int rc = feed(d, s, guard, &m);
        CU_ASSERT(th_rc_eq(what, s->rc, rc));
        CU_ASSERT(sio_decoder_pending(d) == (rc == SIO_DEC_PENDING));
        if (rc == SIO_DEC_PACKET && s->rc == SIO_DEC_PACKET)
            check_packet(what, s, &m, q->ver);
    }
    sio_decoder_del(d);
}

static void test_sio_decoder_sequences(void)
{
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
        run_seq(&seqs[i], false);
        run_seq(&seqs[i], true);
    }
}

/* Attachments and text are each bounded by lim.max_payload. */
static void test_sio_decoder_limits(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    static const char hdr[] = "51-[\"a\"," PH(0) "]";
    o.lim.max_payload = sizeof hdr - 1;
    struct sio_decoder *d = NULL;
    struct sio_message m;
    uint8_t big[64] = {0};
    CU_ASSERT_FATAL(sio_decoder_new(&d, &o, NULL) == CDC_OK);
    CU_ASSERT(sio_decoder_feed(d, false, (const uint8_t *)hdr, sizeof hdr - 1, &m, NULL) ==
              SIO_DEC_PENDING);
    CU_ASSERT(sio_decoder_feed(d, true, big, sizeof hdr, &m, NULL) == CDC_ERR_TOO_LARGE);
    CU_ASSERT(sio_decoder_feed(d, true, big, 1, &m, NULL) == CDC_ERR_STATE);
    sio_decoder_reset(d);
    CU_ASSERT(sio_decoder_feed(d, false, (const uint8_t *)hdr, sizeof hdr - 1, &m, NULL) ==
              SIO_DEC_PENDING);
    CU_ASSERT(sio_decoder_feed(d, true, big, sizeof hdr - 1, &m, NULL) == SIO_DEC_PACKET);
    CU_ASSERT(m.n_attachments == 1 && m.attachments[0].len == sizeof hdr - 1);
    CU_ASSERT(sio_decoder_feed(d, false, big, sizeof hdr, &m, NULL) == CDC_ERR_TOO_LARGE);
    sio_decoder_del(d);
}

static void test_sio_decoder_bad_args(void)
{
    struct sio_decoder *d = NULL;
    struct sio_message m;
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    CU_ASSERT(sio_decoder_new(NULL, &o, NULL) == CDC_ERR_INVALID_ARG);
    o.sio_version = 6;
    CU_ASSERT(sio_decoder_new(&d, &o, NULL) == CDC_ERR_INVALID_ARG && d == NULL);
    CU_ASSERT_FATAL(sio_decoder_new(&d, NULL, NULL) == CDC_OK); /* NULL: defaults */
    CU_ASSERT(sio_decoder_feed(d, false, NULL, 1, &m, NULL) == CDC_ERR_INVALID_ARG);
    CU_ASSERT(sio_decoder_feed(d, false, (const uint8_t *)"0", 1, NULL, NULL) ==
              CDC_ERR_INVALID_ARG);
    /* bad arguments are not sticky */
    CU_ASSERT(sio_decoder_feed(d, false, (const uint8_t *)"0", 1, &m, NULL) == SIO_DEC_PACKET);
    CU_ASSERT(sio_decoder_feed(NULL, false, (const uint8_t *)"0", 1, &m, NULL) ==
              CDC_ERR_INVALID_ARG);
    CU_ASSERT(!sio_decoder_pending(NULL));
    sio_decoder_reset(NULL);
    sio_decoder_del(NULL);
    sio_decoder_del(d);
}

/* One run of the failmem sequence; returns the first error or CDC_OK. */
static int failmem_run(struct sio_decoder *d)
{
    static const struct step steps[] = {
        T("52-/admin,[\"baz\"," PH(0) "," PH(1) "]", SIO_DEC_PENDING),
        BN("0102", SIO_DEC_PENDING),
        BP("030405", "BINARY_EVENT att=2 nsp=/admin data=[\"baz\"," PH(0) "," PH(1) "]", 2,
           "0102|030405"),
        TP("2[\"x\"]", "EVENT nsp=/ data=[\"x\"]"),
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct sio_message m;
        int rc = feed(d, &steps[i], false, &m);
        if (rc < 0)
            return rc;
        CU_ASSERT(rc == steps[i].rc);
        if (rc == SIO_DEC_PACKET)
            check_packet("failmem", &steps[i], &m, 5);
    }
    return CDC_OK;
}

/* Fails allocation N for every N: clean NOMEM, sticky until reset, usable
 * afterwards, nothing leaked. */
static void test_sio_decoder_failmem(void)
{
    struct cdc_opts o = ts_opts(5, CDC_STRICT);
    int rc = CDC_ERR_NOMEM;
    long fail;
    for (fail = 0; rc != CDC_OK && fail < 100; fail++) {
        struct th_failmem fm;
        th_failmem_init(&fm, fail);
        struct sio_decoder *d = NULL;
        rc = sio_decoder_new(&d, &o, &fm.mem);
        if (rc == CDC_OK) {
            rc = failmem_run(d);
            if (rc != CDC_OK) {
                struct sio_message m;
                CU_ASSERT(sio_decoder_feed(d, false, (const uint8_t *)"0", 1, &m, NULL) ==
                          CDC_ERR_STATE);
                sio_decoder_reset(d);
                fm.fail_at = -1;
                CU_ASSERT(failmem_run(d) == CDC_OK);
            }
            sio_decoder_del(d);
        }
        CU_ASSERT(rc == CDC_OK || rc == CDC_ERR_NOMEM);
        CU_ASSERT(fm.live == 0);
    }
    CU_ASSERT(rc == CDC_OK);
    CU_ASSERT(fail >= 3); /* the decoder, its text copy and its attachment store */
}

CU_TestInfo test_sio_decoder_tests[] = {
    {"test_sio_decoder_sequences", test_sio_decoder_sequences},
    {"test_sio_decoder_limits", test_sio_decoder_limits},
    {"test_sio_decoder_bad_args", test_sio_decoder_bad_args},
    {"test_sio_decoder_failmem", test_sio_decoder_failmem},
    CU_TEST_INFO_NULL,
};
