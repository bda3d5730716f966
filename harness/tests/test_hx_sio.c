/*
 * test_hx_sio.c - the Socket.IO layer of the session against the fake
 * server: namespaces (v5 explicit, v4 implicit), events, acks matched by
 * id, binary attachments in both directions on both transports, and
 * recovery after an undecodable packet.
 */
#include "fx.h"

#include "harness/hx_match.h"

#include "codec/cdc_json.h"

#include <string.h>

CU_TestInfo test_hx_sio_tests[];

static struct cdc_span S(const char *s) {
    return (struct cdc_span){(const uint8_t *)s, strlen(s)};
}

static void
test_hx_sio_connect_v5(void)
{
    struct fsrv_opts so = {.sio = 5};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    const struct hx_item *r = NULL;
    TH_RC("connect /", HX_OK, hx_sio_connect(x->s, "/", "{\"token\":\"1\"}", fx_in(x, 100), &r));
    CU_ASSERT(fsrv_find(&x->srv, "40{\"token\":\"1\"}", 0) >= 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->sio.type, SIO_CONNECT);
    struct cdc_span sid;
    CU_ASSERT_EQUAL(cdc_json_object_get(r->json, "sid", &sid), 1);
    TH_RC("connect /custom", HX_OK, hx_sio_connect(x->s, "/custom", NULL, fx_in(x, 100), &r));
    CU_ASSERT(fsrv_find(&x->srv, "40/custom,", 0) >= 0);
    TH_RC("connect /nope", HX_ERR_REJECTED, hx_sio_connect(x->s, "/nope", NULL, fx_in(x, 100), &r));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->sio.type, SIO_CONNECT_ERROR);
    CU_ASSERT(strstr(hx_session_reason(x->s), "Invalid namespace") != NULL);
    fx_del(x);
}

static void test_hx_sio_connect_v4_implicit(void)
{
    struct fsrv_opts so = {.eio = 3, .sio = 4};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    size_t sent = x->srv.n_rx;
    TH_RC("implicit /", HX_OK, hx_sio_connect(x->s, "/", NULL, fx_in(x, 100), NULL));
    CU_ASSERT_EQUAL(x->srv.n_rx, sent); /* nothing sent for "/" */
    TH_RC("custom", HX_OK, hx_sio_connect(x->s, "/custom", "token=abc", fx_in(x, 100), NULL));
    CU_ASSERT(fsrv_find(&x->srv, "40/custom?token=abc,", 0) >= 0);
    fx_del(x);
}

static void test_hx_sio_ack_matched_by_id(void)
{
    struct fsrv_opts so = {.sio = 5};
    struct fx *x = fx_open(&so, NULL, HX_TP_POLLING);
    TH_RC("connect", HX_OK, hx_sio_connect(x->s, NULL, NULL, fx_in(x, 100), NULL));
    fsrv_send(&x->srv, EIO_MESSAGE, "2[\"other\",0]"); /* unrelated event first */
    uint64_t id = 99;
    TH_RC("emit", HX_OK,
          hx_sio_emit(x->s, NULL, "[\"message-with-ack\",1,\"2\"]", true, &id, fx_in(x, 100)));
    CU_ASSERT_EQUAL(id, 0);
    CU_ASSERT(fsrv_find(&x->srv, "420[\"message-with-ack\",1,\"2\"]", 0) >= 0);
    const struct hx_item *ack = NULL;
    TH_RC("ack", HX_OK, hx_sio_expect_ack(x->s, NULL, id, fx_in(x, 100), &ack));
    CU_ASSERT_PTR_NOT_NULL_FATAL(ack);
    CU_ASSERT(hx_json_eq(ack->json, S("[1,\"2\"]")));
    const struct hx_item *other = NULL;
    TH_RC("other still queued", HX_OK,
          hx_sio_expect_event(x->s, NULL, "other", fx_in(x, 1), &other));
    uint64_t id2;
    hx_sio_emit(x->s, NULL, "[\"message-with-ack\"]", true, &id2, fx_in(x, 100));
    CU_ASSERT_EQUAL(id2, 1);
    fx_del(x);
}

static void binary_roundtrip(enum hx_tp tp, int eio, int sio)
{
    struct fsrv_opts so = {.eio = eio, .sio = sio};
    struct fx *x = fx_open(&so, NULL, tp);
    TH_RC("connect", HX_OK, hx_sio_connect(x->s, NULL, NULL, fx_in(x, 100), NULL));
    TH_RC("emit binary", HX_OK,
          hx_sio_emit(x->s, NULL, "[\"message\",{\"$binary\":\"AQID\"},\"t\"]", false, NULL,
                      fx_in(x, 100)));
    CU_ASSERT(fsrv_find(&x->srv, "451-[\"message\",{\"_placeholder\":true,\"num\":0},\"t\"]", 0) >=
              0);
    CU_ASSERT(fsrv_find(&x->srv, "010203", 0) >= 0);
    const struct hx_item *it = NULL;
    TH_RC("message-back", HX_OK,
          hx_sio_expect_event(x->s, NULL, "message-back", fx_in(x, 100), &it));
    CU_ASSERT_PTR_NOT_NULL_FATAL(it);
    CU_ASSERT_EQUAL_FATAL(it->n_att, 1);
    CU_ASSERT(it->att[0].len == 3 && memcmp(it->att[0].p, "\x01\x02\x03", 3) == 0);
    CU_ASSERT(hx_json_eq(it->json, S("[\"message-back\",{\"$binary\":\"AQID\"},\"t\"]")));
    fx_del(x);
}

static void test_hx_sio_binary_polling_v5(void)
{
    binary_roundtrip(HX_TP_POLLING, 4, 5);
}

static void test_hx_sio_binary_websocket_v5(void)
{
    binary_roundtrip(HX_TP_WS, 4, 5);
}

static void test_hx_sio_binary_v4_over_eio3(void)
{
    binary_roundtrip(HX_TP_POLLING, 3, 4);
    binary_roundtrip(HX_TP_WS, 3, 4);
}

static void test_hx_sio_bad_packet_then_recovery(void)
{
    struct fsrv_opts so = {.sio = 5};
    struct fx *x = fx_open(&so, NULL, HX_TP_WS);
    fsrv_send(&x->srv, EIO_MESSAGE, "2[\"x\""); /* broken JSON */
    fsrv_send(&x->srv, EIO_MESSAGE, "2[\"fine\"]");
    struct hx_match err = hx_match_kind(HX_ITEM_ERROR);
    const struct hx_item *it = NULL;
    TH_RC("error item", HX_OK, hx_session_wait(x->s, &err, fx_in(x, 50), &it));
    CU_ASSERT_PTR_NOT_NULL_FATAL(it);
    CU_ASSERT(strstr(it->reason, "Socket.IO") != NULL);
    TH_STR("raw kept", "2[\"x\"", fx_str(it->raw));
    TH_RC("next packet decodes", HX_OK, hx_sio_expect_event(x->s, NULL, "fine", fx_in(x, 50), &it));
    fx_del(x);
}

static void test_hx_sio_needs_sio_session(void)
{
    struct fx *x = fx_open(NULL, NULL, HX_TP_POLLING);
    TH_RC("engine.io only", HX_ERR_STATE,
          hx_sio_emit(x->s, NULL, "[\"a\"]", false, NULL, fx_in(x, 10)));
    fx_del(x);
    struct fsrv_opts so = {.sio = 5};
    x = fx_open(&so, NULL, HX_TP_POLLING);
    TH_RC("not an array", HX_ERR_INVALID_ARG,
          hx_sio_emit(x->s, NULL, "{\"a\":1}", false, NULL, fx_in(x, 10)));
    TH_RC("bad json", HX_ERR_INVALID_ARG, hx_sio_emit(x->s, NULL, "[", false, NULL, fx_in(x, 10)));
    fx_del(x);
}

CU_TestInfo test_hx_sio_tests[] = {
    {"test_hx_sio_connect_v5", test_hx_sio_connect_v5},
    {"test_hx_sio_connect_v4_implicit", test_hx_sio_connect_v4_implicit},
    {"test_hx_sio_ack_matched_by_id", test_hx_sio_ack_matched_by_id},
    {"test_hx_sio_binary_polling_v5", test_hx_sio_binary_polling_v5},
    {"test_hx_sio_binary_websocket_v5", test_hx_sio_binary_websocket_v5},
    {"test_hx_sio_binary_v4_over_eio3", test_hx_sio_binary_v4_over_eio3},
    {"test_hx_sio_bad_packet_then_recovery", test_hx_sio_bad_packet_then_recovery},
    {"test_hx_sio_needs_sio_session", test_hx_sio_needs_sio_session},
    CU_TEST_INFO_NULL,
};
