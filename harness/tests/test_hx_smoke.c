/*
 * test_hx_smoke.c - the smoke scenario against the fake server: a healthy
 * Socket.IO server and an Engine.IO echo server pass every step on both
 * transports; a server that never answers 2probe fails the upgrade step
 * with a reason and the rest of that run is skipped.
 */
#include "fx.h"

#include "harness/hx_smoke.h"

#include <stdlib.h>
#include <string.h>

CU_TestInfo test_hx_smoke_tests[];

static int smoke(const struct fsrv_opts *so, bool echo, struct hx_smoke_result *r)
{
    struct hx_fake_clock clk;
    hx_fake_clock_init(&clk, 1000);
    struct fsrv *srv = calloc(1, sizeof(*srv));
    fsrv_init(srv, &clk, so);
    struct hx_smoke_opts o = {
        .url = "http://fake:1", .eio = so->eio, .sio = so->sio, .eio_echo = echo, .step_ms = 500};
    int rc = hx_smoke_run(&srv->fe.env, &o, r);
    fsrv_free(srv);
    free(srv);
    if (getenv("HX_TEST_TRANSCRIPT")) {
        struct cdc_buf b;
        cdc_buf_init(&b, 1u << 20, NULL);
        hx_smoke_format(r, &b);
        fprintf(stderr, "\n%.*s", (int)b.len, (const char *)b.p);
        cdc_buf_free(&b);
    }
    return rc;
}

static const struct hx_smoke_step *find(const struct hx_smoke_result *r, enum hx_tp run,
                                        const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->steps[i].run == run && strcmp(r->steps[i].name, name) == 0)
            return &r->steps[i];
    return NULL;
}

static void test_hx_smoke_socketio_passes(void)
{
    struct fsrv_opts so = {.sio = 5};
    struct hx_smoke_result r;
    TH_RC("smoke", HX_OK, smoke(&so, false, &r));
    CU_ASSERT_EQUAL(r.failed, 0);
    CU_ASSERT_EQUAL(r.n, 16); /* 11 polling-run steps, 5 websocket-run steps */
    CU_ASSERT_EQUAL(r.passed, 16);
    const struct hx_smoke_step *st = find(&r, HX_TP_POLLING, "upgrade");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT(st->elapsed_ms >= 100); /* the fake server releases the GET after 100 ms */
    CU_ASSERT_PTR_NOT_NULL(r.tr[0]);
    CU_ASSERT_PTR_NOT_NULL(r.tr[1]);
    CU_ASSERT(hx_transcript_count(r.tr[1]) > 5);
    hx_smoke_result_free(&r);
}

static void test_hx_smoke_echo_server_and_v3(void)
{
    struct fsrv_opts so = {.echo = true};
    struct hx_smoke_result r;
    TH_RC("eio echo", HX_OK, smoke(&so, true, &r));
    CU_ASSERT_EQUAL(r.n, 14);
    CU_ASSERT_PTR_NOT_NULL(find(&r, HX_TP_WS, "echo"));
    hx_smoke_result_free(&r);
    struct fsrv_opts v3 = {.eio = 3, .sio = 4};
    TH_RC("sio v4 over eio 3", HX_OK, smoke(&v3, false, &r));
    hx_smoke_result_free(&r);
}

static void test_hx_smoke_reports_failed_step(void)
{
    struct fsrv_opts so = {.sio = 5, .ignore_probe = true};
    struct hx_smoke_result r;
    TH_RC("smoke", HX_ERR_PROTOCOL, smoke(&so, false, &r));
    const struct hx_smoke_step *st = find(&r, HX_TP_POLLING, "upgrade");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    TH_RC("upgrade step", HX_ERR_TIMEOUT, st->status);
    CU_ASSERT(strstr(st->reason, "3probe") != NULL);
    CU_ASSERT_EQUAL(r.failed, 1);
    CU_ASSERT_EQUAL(r.skipped, 4); /* ack, binary, heartbeat, close of the polling run */
    st = find(&r, HX_TP_WS, "close");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(st->status, HX_OK);
    struct cdc_buf b;
    cdc_buf_init(&b, 1u << 20, NULL);
    CU_ASSERT_EQUAL(hx_smoke_format(&r, &b), CDC_OK);
    cdc_buf_append_byte(&b, 0);
    CU_ASSERT(strstr((const char *)b.p, "polling   upgrade    FAIL") != NULL);
    cdc_buf_free(&b);
    hx_smoke_result_free(&r);
}

CU_TestInfo test_hx_smoke_tests[] = {
    {"test_hx_smoke_socketio_passes", test_hx_smoke_socketio_passes},
    {"test_hx_smoke_echo_server_and_v3", test_hx_smoke_echo_server_and_v3},
    {"test_hx_smoke_reports_failed_step", test_hx_smoke_reports_failed_step},
    CU_TEST_INFO_NULL,
};
