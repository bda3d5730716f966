/*
 * fx.c - the session test fixture (see fx.h).
 */
#include "fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx *fx_new(const struct fsrv_opts *so, const struct hx_session_opts *o)
{
    struct fx *x = calloc(1, sizeof(*x));
    hx_fake_clock_init(&x->clk, 5000000);
    x->t0 = x->clk.now;
    fsrv_init(&x->srv, &x->clk, so);
    struct hx_session_opts oo = {0};
    if (o)
        oo = *o;
    oo.url = "http://fake:1";
    oo.eio = x->srv.o.eio;
    if (so && so->sio && !oo.sio)
        oo.sio = so->sio;
    int rc = hx_session_new(&x->s, &x->srv.fe.env, &oo);
    TH_RC("hx_session_new", HX_OK, rc);
    return x;
}

struct fx *fx_open(const struct fsrv_opts *so, const struct hx_session_opts *o, enum hx_tp tp)
{
    struct fx *x = fx_new(so, o);
    int rc = hx_eio_open(x->s, tp, fx_in(x, 500));
    if (!hx_th_rc_eq("hx_eio_open", HX_OK, rc))
        fprintf(stderr, "  reason: %s\n", hx_session_reason(x->s));
    CU_ASSERT_EQUAL(rc, HX_OK);
    return x;
}

void fx_del(struct fx *x)
{
    if (getenv("HX_TEST_TRANSCRIPT"))
        hx_transcript_print(hx_session_transcript(x->s), 200, stderr);
    hx_session_del(x->s);
    fsrv_free(&x->srv);
    free(x);
}

uint64_t fx_in(struct fx *x, uint32_t ms)
{
    return hx_session_in(x->s, ms);
}

double fx_ms(const struct fx *x)
{
    return (double)(x->clk.now - x->t0) / 1000.0;
}

const char *fx_str(struct cdc_span s)
{
    static char buf[4096];
    snprintf(buf, sizeof(buf), "%.*s", (int)s.len, s.p ? (const char *)s.p : "");
    return buf;
}
