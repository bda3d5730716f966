/*
 * test_hx_session.c - the Engine.IO session against the fake server on
 * the fake clock: handshakes, buffering, heartbeats, deadlines, sends,
 * closing, limits and raw access. No network, no sleeps.
 */
#include "fx.h"

#include <string.h>

CU_TestInfo test_hx_session_tests[];

static const struct hx_item *must_wait(struct fx *x, const struct hx_match *m, uint32_t ms)
{
    const struct hx_item *it = NULL;
    int rc = hx_session_wait(x->s, m, fx_in(x, ms), &it);
    if (!hx_th_rc_eq("hx_session_wait", HX_OK, rc))
        fprintf(stderr, "  reason: %s\n", hx_session_reason(x->s));
    return rc == HX_OK ? it : NULL;
}

static void test_hx_session_polling_handshake(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    const struct eio_handshake *hs = hx_session_handshake(x->s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(hs);
    TH_STR("sid", "FAKESID1", hs->sid);
    CU_ASSERT_EQUAL(hs->ping_interval, 300);
    CU_ASSERT_EQUAL(hs->ping_timeout, 200);
    CU_ASSERT(hs->upgrades & EIO_UPGRADE_WEBSOCKET);
    CU_ASSERT_EQUAL(hx_session_tp(x->s), HX_TP_POLLING);
    CU_ASSERT(hx_session_poll_chan(x->s) != 0); /* a GET is outstanding */
    struct fake_chan *hsc = fake_chan(x->srv.fe.last, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(hsc);
    TH_STR("handshake target", "/socket.io/?EIO=4&transport=polling", hsc->target);
    CU_ASSERT(fx_ms(x) < 2.0); /* one fake round trip */
    fx_del(x);
}

static void test_hx_session_early_packets_are_kept_in_order(void)
{
    struct fsrv_opts so = {.early = "hello"};
    struct hx_session_opts o = {.hb = HX_HB_MANUAL};
    struct fx *x = fx_open(&so, &o, HX_TP_POLLING);
    fsrv_send(&x->srv, EIO_MESSAGE, "a");
    fsrv_send(&x->srv, EIO_MESSAGE, "b");
    hx_session_pump(x->s, fx_in(x, 350)); /* the server pings at 300 ms meanwhile */
    CU_ASSERT_EQUAL(hx_session_queued(x->s), 4);
    /* a filtered wait takes the ping and leaves the messages in order */
    struct hx_match ping = hx_match_eio(EIO_PING);
    CU_ASSERT_PTR_NOT_NULL(must_wait(x, &ping, 10));
    const char *exp[] = {"hello", "a", "b"};
    for (int i = 0; i < 3; i++) {
        struct hx_match m = hx_match_eio(EIO_MESSAGE);
        const struct hx_item *it = must_wait(x, &m, 10);
        CU_ASSERT_PTR_NOT_NULL_FATAL(it);
        TH_STR("message order", exp[i], fx_str(it->eio.data));
    }
    CU_ASSERT_EQUAL(hx_session_queued(x->s), 0);
    fx_del(x);
}

static void test_hx_session_handshake_refused(void)
{
    struct fsrv_opts so = {.handshake_status = 400,
                           .handshake_body =
                               "{\"code\":5,\"message\":\"Unsupported protocol version\"}"};
    struct fx *x = fx_new(&so, NULL);
    TH_RC("open", HX_ERR_HTTP_STATUS, hx_eio_open(x->s, HX_TP_POLLING, fx_in(x, 500)));
    CU_ASSERT(strstr(hx_session_reason(x->s), "400") != NULL);
    struct hx_match m = hx_match_kind(HX_ITEM_HTTP);
    const struct hx_item *it = must_wait(x, &m, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(it);
    CU_ASSERT_EQUAL(it->http_status, 400);
    CU_ASSERT(strstr(fx_str(it->raw), "Unsupported") != NULL);
    CU_ASSERT_PTR_NULL(hx_session_handshake(x->s));
    fx_del(x);
}

static void test_hx_session_handshake_bad_open_packet(void)
{
    const char *bodies[] = {"0{bad", "4hello", "0{\"sid\":1}", ""};
    for (int i = 0; i < 4; i++) {
        struct fsrv_opts so = {.handshake_status = 200, .handshake_body = bodies[i]};
        struct fx *x = fx_new(&so, NULL);
        TH_RC(bodies[i], HX_ERR_PROTOCOL, hx_eio_open(x->s, HX_TP_POLLING, fx_in(x, 500)));
        CU_ASSERT(hx_session_reason(x->s)[0] != 0);
        fx_del(x);
    }
}

static void test_hx_session_handshake_out_of_range_field(void)
{
    struct fsrv_opts so = {.handshake_status = 200,
                           .handshake_body = "0{\"sid\":\"S1\",\"upgrades\":[\"websocket\"],"
                                             "\"pingInterval\":0,\"pingTimeout\":200}"};
    struct fx *x = fx_new(&so, NULL);
    TH_RC("compat opens", HX_OK, hx_eio_open(x->s, HX_TP_POLLING, fx_in(x, 500)));
    TH_STR("sid", "S1", hx_session_handshake(x->s)->sid);
    CU_ASSERT(hx_session_handshake(x->s)->upgrades & EIO_UPGRADE_WEBSOCKET);
    struct hx_match err = hx_match_kind(HX_ITEM_ERROR);
    const struct hx_item *it = must_wait(x, &err, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(it);
    CU_ASSERT(strstr(it->reason, "leniently") != NULL);
    fx_del(x);
    struct hx_session_opts strict = {.strict_decode = true};
    x = fx_new(&so, &strict);
    TH_RC("strict refuses", HX_ERR_PROTOCOL, hx_eio_open(x->s, HX_TP_POLLING, fx_in(x, 500)));
    fx_del(x);
}

static void test_hx_session_handshake_timeout_is_exact(void)
{
    struct hx_fake_clock clk;
    hx_fake_clock_init(&clk, 1000);
    struct fake_env fe;
    fake_env_init(&fe, &clk, NULL); /* no server: nothing ever answers */
    struct hx_session *s;
    struct hx_session_opts o = {.url = "http://x:1"};
    CU_ASSERT_EQUAL_FATAL(hx_session_new(&s, &fe.env, &o), HX_OK);
    uint64_t dl = hx_session_in(s, 500);
    TH_RC("open", HX_ERR_TIMEOUT, hx_eio_open(s, HX_TP_POLLING, dl));
    CU_ASSERT_EQUAL(clk.now, dl); /* returned exactly at the deadline */
    CU_ASSERT(strstr(hx_session_reason(s), "500 ms") != NULL);
    CU_ASSERT(fake_chan(fe.last, 1)->aborted); /* the request was dropped */
    const struct hx_item *it;
    dl = hx_session_in(s, 250);
    TH_RC("wait", HX_ERR_TIMEOUT, hx_session_wait(s, NULL, dl, &it));
    CU_ASSERT_EQUAL(clk.now, dl);
    hx_session_del(s);
}

static void test_hx_session_websocket_handshake(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_WS);
    CU_ASSERT_EQUAL(hx_session_tp(x->s), HX_TP_WS);
    CU_ASSERT_EQUAL(hx_session_handshake(x->s)->upgrades, 0);
    TH_STR("ws target", "/socket.io/?EIO=4&transport=websocket",
           fake_chan(x->srv.fe.last, 1)->target);
    CU_ASSERT_EQUAL(hx_eio_send(x->s, EIO_MESSAGE, "hi", 2, false, fx_in(x, 10)), HX_OK);
    hx_session_pump(x->s, fx_in(x, 5));
    CU_ASSERT(fsrv_find(&x->srv, "4hi", 0) >= 0);
    CU_ASSERT_EQUAL(x->srv.rx[fsrv_find(&x->srv, "4hi", 0)].tp, 'w');
    fx_del(x);

    struct fsrv_opts no_open = {.ws_no_open = true};
    x = fx_new(&no_open, NULL);
    TH_RC("no open packet", HX_ERR_TIMEOUT, hx_eio_open(x->s, HX_TP_WS, fx_in(x, 300)));
    fx_del(x);
    struct fsrv_opts refuse = {.refuse_ws = true};
    x = fx_new(&refuse, NULL);
    TH_RC("refused", HX_ERR_REJECTED, hx_eio_open(x->s, HX_TP_WS, fx_in(x, 300)));
    CU_ASSERT(strstr(hx_session_reason(x->s), "400") != NULL);
    fx_del(x);
}

static void test_hx_session_v4_heartbeat_answered(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    hx_session_pump(x->s, fx_in(x, 1000));
    CU_ASSERT(!x->srv.closed);
    CU_ASSERT(!hx_session_closed(x->s));
    CU_ASSERT_EQUAL(fsrv_count(&x->srv, "3"), 3); /* pings at ~301, ~603, ~905 ms */
    int i = fsrv_find(&x->srv, "3", 0);
    CU_ASSERT_FATAL(i >= 0);
    double at = (double)(x->srv.rx[i].at - x->t0) / 1000.0;
    CU_ASSERT(at > 300.0 && at < 306.0);         /* answered within a few fake ms of the ping */
    CU_ASSERT_EQUAL(hx_session_queued(x->s), 0); /* answered pings are not queued */
    fx_del(x);
}

static void test_hx_session_v4_heartbeat_withheld(void)
{
    struct hx_session_opts o = {.hb = HX_HB_WITHHOLD};
    struct fx *x = fx_open(NULL, &o, HX_TP_POLLING);
    struct hx_match ping = hx_match_eio(EIO_PING);
    const struct hx_item *it = must_wait(x, &ping, 400);
    CU_ASSERT_PTR_NOT_NULL(it);
    const struct hx_item *none;
    struct hx_match msg = hx_match_eio(EIO_MESSAGE);
    TH_RC("session ends", HX_ERR_CLOSED, hx_session_wait(x->s, &msg, fx_in(x, 2000), &none));
    CU_ASSERT(fx_ms(x) > 500.0 && fx_ms(x) < 510.0); /* closed at ping + pingTimeout */
    CU_ASSERT(hx_session_closed(x->s));
    CU_ASSERT_EQUAL(fsrv_count(&x->srv, "3"), 0);
    struct hx_match close = hx_match_eio(EIO_CLOSE);
    CU_ASSERT_PTR_NOT_NULL(must_wait(x, &close, 1));
    fx_del(x);
}

static void test_hx_session_v4_heartbeat_manual(void)
{
    struct hx_session_opts o = {.hb = HX_HB_MANUAL};
    struct fx *x = fx_open(NULL, &o, HX_TP_POLLING);
    struct hx_match ping = hx_match_eio(EIO_PING);
    CU_ASSERT_PTR_NOT_NULL(must_wait(x, &ping, 400));
    hx_session_pump(x->s, fx_in(x, 150)); /* late but inside pingTimeout */
    CU_ASSERT_EQUAL(hx_eio_send(x->s, EIO_PONG, "", 0, false, fx_in(x, 50)), HX_OK);
    hx_session_pump(x->s, fx_in(x, 200));
    CU_ASSERT(!x->srv.closed);
    CU_ASSERT_EQUAL(fsrv_count(&x->srv, "3"), 1);
    fx_del(x);
}

static void test_hx_session_v3_client_pings(void)
{
    struct fsrv_opts so = {.eio = 3};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    TH_STR("v3 target has b64", "/socket.io/?EIO=3&transport=polling&b64=1",
           fake_chan(x->srv.fe.last, 1)->target);
    hx_session_pump(x->s, fx_in(x, 1000));
    CU_ASSERT_EQUAL(fsrv_count(&x->srv, "2"), 3);
    int i = fsrv_find(&x->srv, "2", 0);
    CU_ASSERT_FATAL(i >= 0);
    double at = (double)(x->srv.rx[i].at - x->t0) / 1000.0;
    CU_ASSERT(at > 300.0 && at < 304.0);
    CU_ASSERT(!x->srv.closed);
    CU_ASSERT_EQUAL(hx_session_queued(x->s), 0); /* pongs are housekeeping */
    fx_del(x);

    struct hx_session_opts o = {.hb = HX_HB_WITHHOLD};
    x = fx_open(&so, &o, HX_TP_POLLING);
    hx_session_pump(x->s, fx_in(x, 1000));
    CU_ASSERT_EQUAL(fsrv_count(&x->srv, "2"), 0);
    CU_ASSERT(x->srv.closed);
    CU_ASSERT(hx_session_closed(x->s));
    fx_del(x);
}

static void test_hx_session_upgrade_sequence(void)
{
    struct fsrv_opts so = {.echo = true};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    int rc = hx_eio_upgrade(x->s, 0, fx_in(x, 1000));
    TH_RC("upgrade", HX_OK, rc);
    CU_ASSERT_EQUAL(hx_session_tp(x->s), HX_TP_WS);
    int probe = fsrv_find(&x->srv, "2probe", 0), five = fsrv_find(&x->srv, "5", 0);
    CU_ASSERT_FATAL(probe >= 0 && five > probe);
    /* "5" only after the server released the pending GET (100 ms after the probe) */
    CU_ASSERT(x->srv.rx[five].at - x->srv.rx[probe].at >= 100000);
    CU_ASSERT(x->srv.upgraded);
    CU_ASSERT(strstr(fake_chan(x->srv.fe.last, x->srv.ws_chan)->target, "sid=FAKESID1") != NULL);
    CU_ASSERT_EQUAL(hx_session_poll_chan(x->s), 0);
    CU_ASSERT_EQUAL(hx_eio_send(x->s, EIO_MESSAGE, "x", 1, false, fx_in(x, 10)), HX_OK);
    struct hx_match m = hx_match_eio(EIO_MESSAGE);
    const struct hx_item *it = must_wait(x, &m, 50);
    CU_ASSERT_PTR_NOT_NULL_FATAL(it);
    CU_ASSERT_EQUAL(it->tp, HX_TP_WS);
    hx_session_pump(x->s, fx_in(x, 1000)); /* heartbeats continue over WS */
    CU_ASSERT(!x->srv.closed);
    CU_ASSERT(x->srv.rx[fsrv_find(&x->srv, "3", 0)].tp == 'w' || fsrv_count(&x->srv, "3") > 1);
    fx_del(x);
}

static void test_hx_session_upgrade_flushes_what_waited(void)
{
    /* pings every 50 ms: one falls inside the paused window and its pong
     * must go out on the WebSocket after "5" */
    struct fsrv_opts so = {.ping_interval = 50, .ping_timeout = 400, .noop_delay_ms = 120};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    TH_RC("upgrade", HX_OK, hx_eio_upgrade(x->s, 0, fx_in(x, 1000)));
    hx_session_pump(x->s, fx_in(x, 300));
    CU_ASSERT(!x->srv.closed);
    size_t ws_pongs = 0;
    for (size_t i = 0; i < x->srv.n_rx; i++)
        ws_pongs += x->srv.rx[i].tp == 'w' && strcmp(x->srv.rx[i].text, "3") == 0;
    CU_ASSERT(ws_pongs >= 1);
    fx_del(x);
}

static void test_hx_session_upgrade_without_3probe(void)
{
    struct fsrv_opts so = {.ignore_probe = true};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    TH_RC("upgrade", HX_ERR_TIMEOUT, hx_eio_upgrade(x->s, 0, fx_in(x, 300)));
    CU_ASSERT(strstr(hx_session_reason(x->s), "3probe") != NULL);
    CU_ASSERT_EQUAL(hx_session_tp(x->s), HX_TP_POLLING);
    hx_session_pump(x->s, fx_in(x, 700)); /* still alive on polling */
    CU_ASSERT(!x->srv.closed);
    CU_ASSERT(hx_session_poll_chan(x->s) != 0);
    fx_del(x);
}

static void test_hx_session_upgrade_stopped_before_5(void)
{
    struct fsrv_opts so = {.echo = true};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    TH_RC("probe only", HX_OK, hx_eio_upgrade(x->s, HX_UPG_NO_UPGRADE, fx_in(x, 1000)));
    CU_ASSERT_EQUAL(fsrv_find(&x->srv, "5", 0), -1);
    CU_ASSERT_EQUAL(hx_session_tp(x->s), HX_TP_POLLING);
    unsigned cand = hx_session_ws_chan(x->s);
    CU_ASSERT(cand != 0);
    /* polling goes on: a message sent now travels in a POST and echoes on a GET */
    CU_ASSERT_EQUAL(hx_eio_send(x->s, EIO_MESSAGE, "p", 1, false, fx_in(x, 50)), HX_OK);
    struct hx_match m = hx_match_eio(EIO_MESSAGE);
    const struct hx_item *it = must_wait(x, &m, 50);
    CU_ASSERT_PTR_NOT_NULL_FATAL(it);
    CU_ASSERT_EQUAL(it->tp, HX_TP_POLLING);
    /* the case can finish the upgrade by hand on the candidate */
    struct hx_ws_out five = {.opcode = HX_WS_TEXT, .payload = (const uint8_t *)"5", .len = 1};
    CU_ASSERT_EQUAL(hx_session_ws_send(x->s, cand, &five), HX_OK);
    CU_ASSERT(fsrv_find(&x->srv, "5", 0) >= 0);
    fx_del(x);
}

static void test_hx_session_sends_are_batched_and_checked(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    struct eio_packet p[2] = {
        {.type = EIO_MESSAGE, .data = {(const uint8_t *)"a", 1}},
        {.type = EIO_MESSAGE, .binary = true, .data = {(const uint8_t *)"\x01\x02\x03", 3}}};
    CU_ASSERT_EQUAL(hx_eio_send_packets(x->s, p, 2, fx_in(x, 50)), HX_OK);
    struct fake_tp *f = x->srv.fe.last;
    struct fake_chan *post = NULL;
    for (unsigned i = 1; i <= f->n_chans; i++)
        if (strcmp(fake_chan(f, i)->method, "POST") == 0)
            post = fake_chan(f, i);
    CU_ASSERT_PTR_NOT_NULL_FATAL(post);
    TH_STR("one POST body",
           "4a\x1e"
           "bAQID",
           fx_str((struct cdc_span){post->body, post->body_len}));
    x->srv.closed = true; /* the server forgets the session */
    TH_RC("refused POST", HX_ERR_HTTP_STATUS,
          hx_eio_send(x->s, EIO_MESSAGE, "z", 1, false, fx_in(x, 50)));
    CU_ASSERT(strstr(hx_session_reason(x->s), "400") != NULL);
    fx_del(x);
}

static void test_hx_session_expect_none(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    struct hx_match m = hx_match_eio(EIO_MESSAGE);
    const struct hx_item *got = NULL;
    TH_RC("quiet", HX_OK, hx_session_expect_none(x->s, &m, fx_in(x, 100), &got));
    fsrv_send(&x->srv, EIO_MESSAGE, "late");
    TH_RC("noisy", HX_ERR_PROTOCOL, hx_session_expect_none(x->s, &m, fx_in(x, 100), &got));
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    TH_STR("offender", "late", fx_str(got->eio.data));
    fx_del(x);
}

static void test_hx_session_close_graceful_polling(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    TH_RC("close", HX_OK, hx_session_close(x->s, HX_CLOSE_GRACEFUL, fx_in(x, 100)));
    CU_ASSERT(fsrv_find(&x->srv, "1", 0) >= 0);
    CU_ASSERT(x->srv.closed);
    CU_ASSERT(hx_session_closed(x->s));
    CU_ASSERT_EQUAL(hx_session_poll_chan(x->s), 0);
    TH_RC("send after close", HX_ERR_CLOSED,
          hx_eio_send(x->s, EIO_MESSAGE, "x", 1, false, fx_in(x, 10)));
    fx_del(x);
}

static void test_hx_session_close_websocket(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_WS);
    TH_RC("close", HX_OK, hx_session_close(x->s, HX_CLOSE_GRACEFUL, fx_in(x, 100)));
    CU_ASSERT(fake_chan(x->srv.fe.last, 1)->close_req);
    CU_ASSERT_EQUAL(fake_chan(x->srv.fe.last, 1)->close_code, 1000);
    fx_del(x);
    x = fx_open(NULL, NULL, HX_TP_WS);
    TH_RC("abort", HX_OK, hx_session_close(x->s, HX_CLOSE_ABORT, fx_in(x, 100)));
    CU_ASSERT(fake_chan(x->srv.fe.last, 1)->aborted);
    fx_del(x);
}

static void test_hx_session_memory_is_bounded(void)
{
    struct hx_session_opts o = {.max_mem = 8192};
    struct fx *x = fx_open(NULL, &o, HX_TP_POLLING);
    char big[400];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    for (int i = 0; i < 60; i++)
        fsrv_send(&x->srv, EIO_MESSAGE, big);
    struct hx_match none = hx_match_eio(EIO_UPGRADE);
    const struct hx_item *it;
    TH_RC("flood", HX_ERR_TOO_LARGE, hx_session_wait(x->s, &none, fx_in(x, 100), &it));
    CU_ASSERT(strstr(hx_session_reason(x->s), "memory limit") != NULL);
    fx_del(x);
}

static void test_hx_session_raw_http_and_abort(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    unsigned chan;
    struct hx_http_req req = {.method = "PUT", .target = "{path}?sid={sid}&EIO={eio}", .raw = true};
    CU_ASSERT_EQUAL_FATAL(hx_session_http(x->s, &req, &chan), HX_OK);
    const struct hx_item *it;
    TH_RC("aux", HX_OK, hx_session_http_wait(x->s, chan, fx_in(x, 50), &it));
    TH_STR("expanded", "aux PUT /socket.io/?sid=FAKESID1&EIO=4", fx_str(it->raw));
    CU_ASSERT(it->aux);
    unsigned get = hx_session_poll_chan(x->s);
    CU_ASSERT_FATAL(get != 0);
    CU_ASSERT_EQUAL(hx_session_chan_close(x->s, get, true, 0, NULL), HX_OK);
    CU_ASSERT(fake_chan(x->srv.fe.last, get)->aborted);
    CU_ASSERT(x->srv.closed); /* the fake server, like the reference, drops the session */
    unsigned before = x->srv.fe.last->n_chans;
    hx_session_pump(x->s, fx_in(x, 100));
    CU_ASSERT_EQUAL(x->srv.fe.last->n_chans, before); /* no new GET after the abort */
    fx_del(x);
}

CU_TestInfo test_hx_session_tests[] = {
    {"test_hx_session_polling_handshake", test_hx_session_polling_handshake},
    {"test_hx_session_early_packets_are_kept_in_order",
     test_hx_session_early_packets_are_kept_in_order},
    {"test_hx_session_handshake_refused", test_hx_session_handshake_refused},
    {"test_hx_session_handshake_bad_open_packet", test_hx_session_handshake_bad_open_packet},
    {"test_hx_session_handshake_out_of_range_field", test_hx_session_handshake_out_of_range_field},
    {"test_hx_session_handshake_timeout_is_exact", test_hx_session_handshake_timeout_is_exact},
    {"test_hx_session_websocket_handshake", test_hx_session_websocket_handshake},
    {"test_hx_session_v4_heartbeat_answered", test_hx_session_v4_heartbeat_answered},
    {"test_hx_session_v4_heartbeat_withheld", test_hx_session_v4_heartbeat_withheld},
    {"test_hx_session_v4_heartbeat_manual", test_hx_session_v4_heartbeat_manual},
    {"test_hx_session_v3_client_pings", test_hx_session_v3_client_pings},
    {"test_hx_session_upgrade_sequence", test_hx_session_upgrade_sequence},
    {"test_hx_session_upgrade_flushes_what_waited", test_hx_session_upgrade_flushes_what_waited},
    {"test_hx_session_upgrade_without_3probe", test_hx_session_upgrade_without_3probe},
    {"test_hx_session_upgrade_stopped_before_5", test_hx_session_upgrade_stopped_before_5},
    {"test_hx_session_sends_are_batched_and_checked",
     test_hx_session_sends_are_batched_and_checked},
    {"test_hx_session_expect_none", test_hx_session_expect_none},
    {"test_hx_session_close_graceful_polling", test_hx_session_close_graceful_polling},
    {"test_hx_session_close_websocket", test_hx_session_close_websocket},
    {"test_hx_session_memory_is_bounded", test_hx_session_memory_is_bounded},
    {"test_hx_session_raw_http_and_abort", test_hx_session_raw_http_and_abort},
    CU_TEST_INFO_NULL,
};
