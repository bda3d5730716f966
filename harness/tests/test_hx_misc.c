/*
 * test_hx_misc.c - transcript format and bounds, matchers and structural
 * JSON equality, the fake clock and the seeded RNG, status names.
 */
#include "th_run.h"

#include "harness/hx_clock.h"
#include "harness/hx_match.h"
#include "harness/hx_session.h"
#include "harness/hx_transcript.h"

#include "codec/cdc_json.h"

#include <string.h>

CU_TestInfo test_hx_misc_tests[];

static void test_hx_transcript_lines(void)
{
    struct hx_transcript *tr;
    CU_ASSERT_EQUAL(hx_transcript_new(&tr, 1000, 0), HX_OK);
    hx_transcript_textf(tr, 13000, HX_DIR_IN, "ws", 2, "eio message text=\"%s\"", "hello");
    hx_transcript_bytes(tr, 14500, HX_DIR_OUT, "http", 5, "GET /\r\n", 7);
    hx_transcript_textf(tr, 900, HX_DIR_NOTE, "", 0, "note");
    CU_ASSERT_EQUAL(hx_transcript_count(tr), 3);
    struct cdc_buf b;
    cdc_buf_init(&b, 4096, NULL);
    CU_ASSERT_EQUAL(hx_transcript_format(tr, 0, &b), CDC_OK);
    cdc_buf_append_byte(&b, 0);
    TH_STR("format",
           "+12ms S>C ws#2 eio message text=\"hello\"\n"
           "+13ms C>S http#5 bytes[7] \"GET /\\r\\n\"\n"
           "+0ms -- - note\n",
           (const char *)b.p);
    cdc_buf_free(&b);
    hx_transcript_del(tr);
}

static void test_hx_transcript_is_bounded(void)
{
    struct hx_transcript *tr;
    CU_ASSERT_EQUAL(hx_transcript_new(&tr, 0, 1024), HX_OK);
    uint8_t big[700];
    memset(big, 'x', sizeof(big));
    hx_transcript_bytes(tr, 1, HX_DIR_IN, "raw", 1, big, sizeof(big));
    hx_transcript_bytes(tr, 2, HX_DIR_IN, "raw", 1, big, sizeof(big));
    const struct hx_tr_entry *e = hx_transcript_get(tr, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(e->orig_len, 700);
    CU_ASSERT_EQUAL(e->len, 324);
    CU_ASSERT_EQUAL(hx_transcript_dropped(tr), 376);
    for (int i = 0; i < 200; i++)
        hx_transcript_textf(tr, 3, HX_DIR_NOTE, "", 0, "n%d", i);
    CU_ASSERT(hx_transcript_count(tr) <= 1024 / 16);
    CU_ASSERT_PTR_NULL(hx_transcript_get(tr, 1000));
    hx_transcript_del(tr);
}

static struct cdc_span S(const char *s) {
    return (struct cdc_span){(const uint8_t *)s, strlen(s)};
}

static void
test_hx_json_eq_structural(void)
{
    CU_ASSERT(hx_json_eq(S("{\"a\":1,\"b\":[1,2]}"), S(" {\"b\":[1, 2.0],\"a\":1e0} ")));
    CU_ASSERT(hx_json_eq(S("\"\\u0041\""), S("\"A\"")));
    CU_ASSERT(hx_json_eq(S("[null,true,false]"), S("[null,true,false]")));
    CU_ASSERT(!hx_json_eq(S("[1,2]"), S("[2,1]")));
    CU_ASSERT(!hx_json_eq(S("{\"a\":1}"), S("{\"a\":1,\"b\":2}")));
    CU_ASSERT(!hx_json_eq(S("{\"a\":1}"), S("{\"b\":1}")));
    CU_ASSERT(!hx_json_eq(S("[1]"), S("[1,1]")));
    CU_ASSERT(!hx_json_eq(S("true"), S("false")));
    CU_ASSERT(!hx_json_eq(S("\"a\""), S("\"b\"")));
    CU_ASSERT(!hx_json_eq(S("1"), S("\"1\"")));
}

static void test_hx_json_event_helpers(void)
{
    struct cdc_span name;
    CU_ASSERT_EQUAL(hx_json_event_name(S("[\"ev\",1]"), &name), 1);
    CU_ASSERT(cdc_json_string_eq(name, "ev", 2));
    CU_ASSERT_EQUAL(hx_json_event_name(S("[1,2]"), &name), 0);
    CU_ASSERT_EQUAL(hx_json_event_name(S("{}"), &name), 0);
    struct cdc_buf b;
    cdc_buf_init(&b, 256, NULL);
    CU_ASSERT_EQUAL(hx_json_args(S("[\"ev\",1,{\"a\":[2]}]"), &b), CDC_OK);
    CU_ASSERT_EQUAL(b.len, 13);
    CU_ASSERT(memcmp(b.p, "[1,{\"a\":[2]}]", 13) == 0);
    cdc_buf_free(&b);
}

static void test_hx_match_filters(void)
{
    struct hx_item it;
    memset(&it, 0, sizeof(it));
    it.kind = HX_ITEM_SIO;
    it.sio.type = SIO_EVENT;
    it.sio.nsp = S("/admin");
    it.sio.data = S("[\"foo\",1]");
    it.sio.has_id = true;
    it.sio.id = 7;
    struct hx_match m = hx_match_event("/admin", "foo");
    CU_ASSERT(hx_match_item(&m, &it));
    m = hx_match_event("/", "foo");
    CU_ASSERT(!hx_match_item(&m, &it));
    m = hx_match_event("/admin", "bar");
    CU_ASSERT(!hx_match_item(&m, &it));
    m = hx_match_ack("/admin", 7);
    CU_ASSERT(!hx_match_item(&m, &it)); /* an EVENT is not an ACK */
    it.sio.type = SIO_BINARY_ACK;
    CU_ASSERT(hx_match_item(&m, &it));
    m = hx_match_eio(EIO_MESSAGE);
    CU_ASSERT(!hx_match_item(&m, &it));
    CU_ASSERT(hx_match_item(NULL, &it));
    m = hx_match_chan(3);
    CU_ASSERT(!hx_match_item(&m, &it));
    it.chan = 3;
    CU_ASSERT(hx_match_item(&m, &it));
}

static void test_hx_clock_and_rng(void)
{
    struct hx_fake_clock c;
    hx_fake_clock_init(&c, 500);
    CU_ASSERT_EQUAL(hx_clock_now(&c.clock), 500);
    CU_ASSERT_EQUAL(hx_clock_in_ms(&c.clock, 2), 2500);
    hx_fake_clock_advance(&c, 10);
    hx_fake_clock_set(&c, 100); /* never backwards */
    CU_ASSERT_EQUAL(hx_clock_now(&c.clock), 510);
    struct hx_rng a, b;
    hx_rng_seed(&a, 42);
    hx_rng_seed(&b, 42);
    uint8_t x[13], y[13];
    hx_rng_bytes(&a, x, 13);
    hx_rng_bytes(&b, y, 13);
    CU_ASSERT(memcmp(x, y, 13) == 0);
    hx_rng_seed(&b, 43);
    CU_ASSERT(hx_rng_next(&a) != hx_rng_next(&b));
    TH_STR("status name", "ERR_TIMEOUT", hx_status_name(HX_ERR_TIMEOUT));
    TH_STR("verdict name", "NON_STRICT", hx_verdict_name(HX_NON_STRICT));
    CU_ASSERT_EQUAL(hx_verdict_from_status(HX_ERR_CLOSED), HX_ERROR);
}

CU_TestInfo test_hx_misc_tests[] = {
    {"test_hx_transcript_lines", test_hx_transcript_lines},
    {"test_hx_transcript_is_bounded", test_hx_transcript_is_bounded},
    {"test_hx_json_eq_structural", test_hx_json_eq_structural},
    {"test_hx_json_event_helpers", test_hx_json_event_helpers},
    {"test_hx_match_filters", test_hx_match_filters},
    {"test_hx_clock_and_rng", test_hx_clock_and_rng},
    CU_TEST_INFO_NULL,
};
