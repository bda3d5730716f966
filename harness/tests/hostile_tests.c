/*
 * hostile_tests.c - every misbehaviour of the hostile server must end the
 * harness operation with an error status and a reason, inside the
 * operation's deadline (plus a small scheduling allowance), with bounded
 * memory (1 MiB body, 64 KiB header limits here). Each row runs one
 * operation - a polling handshake (libcurl), a WebSocket handshake (lws),
 * a raw HTTP request or a raw WebSocket (harness parsers) - against one
 * mode, and prints the outcome as a figure for the report.
 *
 * Also here: sessions on different threads do not delay each other.
 */
#include "hostile_server.h"
#include "th_run.h"

#include "harness/hx_net.h"
#include "harness/hx_session.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

CU_TestInfo hostile_tests[];

#define DEADLINE_MS 700
#define SLACK_MS 300

enum op {
    OP_POLL_OPEN,
    OP_WS_OPEN,
    OP_RAW_HTTP,
    OP_RAW_WS,
};

static const char *op_name(enum op o)
{
    static const char *n[] = {"polling-open(curl)", "ws-open(lws)", "raw-http", "raw-ws"};
    return n[o];
}

static struct hx_net_limits lim = {.max_head = 64 * 1024, .max_body = 1024 * 1024};

/* Runs |op| against |port|; returns the status and fills |reason|, |ms|. */
static int run_op(enum op op, unsigned port, char *reason, size_t cap, long *ms)
{
    struct hx_env env;
    hx_net_env_init(&env, &lim);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", port);
    struct hx_session *s;
    struct hx_session_opts o = {.url = url};
    if (hx_session_new(&s, &env, &o) != HX_OK)
        return HX_ERR_NOMEM;
    uint64_t t0 = hx_clock_now(env.clock), dl = hx_session_in(s, DEADLINE_MS);
    int rc;
    const struct hx_item *it = NULL;
    unsigned chan = 0;
    if (op == OP_POLL_OPEN || op == OP_WS_OPEN) {
        rc = hx_eio_open(s, op == OP_WS_OPEN ? HX_TP_WS : HX_TP_POLLING, dl);
    } else if (op == OP_RAW_HTTP) {
        struct hx_http_req req = {.target = "/socket.io/?EIO=4&transport=polling", .raw = true};
        rc = hx_session_http(s, &req, &chan);
        if (rc == HX_OK)
            rc = hx_session_http_wait(s, chan, dl, &it);
        if (rc == HX_OK && it->http_status != 200)
            rc = HX_ERR_HTTP_STATUS;
        else if (rc == HX_OK)
            rc = HX_ERR_PROTOCOL; /* a 200 here is not what these modes send */
    } else {
        struct hx_ws_req req = {.target = "/socket.io/?EIO=4&transport=websocket", .raw = true};
        rc = hx_session_ws(s, &req, dl, &chan);
        if (rc == HX_OK) {
            struct hx_match m = {.chan = chan};
            rc = hx_session_wait(s, &m, dl, &it);
            if (rc == HX_OK)
                rc = it->kind == HX_ITEM_ERROR ? it->err : HX_ERR_CLOSED;
            if (it && it->reason[0])
                snprintf(reason, cap, "%s", it->reason);
        }
    }
    *ms = (long)((hx_clock_now(env.clock) - t0) / 1000u);
    if (rc != HX_OK && !(op == OP_RAW_WS && it && it->reason[0]))
        snprintf(reason, cap, "%s", hx_session_reason(s));
    hx_session_del(s);
    return rc;
}

struct row {
    enum hostile_mode mode;
    enum op op;
};

static void check_rows(const struct row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned port;
        struct hostile *h = hostile_start(rows[i].mode, &port);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h);
        char reason[256] = "";
        long ms = 0;
        int rc = run_op(rows[i].op, port, reason, sizeof(reason), &ms);
        size_t sent = hostile_bytes_sent(h);
        hostile_stop(h);
        fprintf(stderr, "  %-16s %-19s -> %-16s %4ld ms  (server sent %zu B) %s\n",
                hostile_mode_name(rows[i].mode), op_name(rows[i].op), hx_status_name(rc), ms, sent,
                reason);
        CU_ASSERT(rc != HX_OK);
        CU_ASSERT(reason[0] != 0);
        CU_ASSERT(ms <= DEADLINE_MS + SLACK_MS);
    }
}

static void test_hostile_polling_handshake_curl(void)
{
    static const struct row rows[] = {
        {HM_SILENT, OP_POLL_OPEN},       {HM_ENDLESS_BODY, OP_POLL_OPEN},
        {HM_WRONG_LENGTH, OP_POLL_OPEN}, {HM_LENGTH_STALL, OP_POLL_OPEN},
        {HM_SLOW_DRIP, OP_POLL_OPEN},    {HM_CLOSE_MID_HEADER, OP_POLL_OPEN},
        {HM_HUGE_HEADERS, OP_POLL_OPEN}, {HM_GARBAGE, OP_POLL_OPEN},
        {HM_RESET, OP_POLL_OPEN},        {HM_BAD_OPEN, OP_POLL_OPEN},
    };
    check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_hostile_websocket_handshake_lws(void)
{
    static const struct row rows[] = {
        {HM_SILENT, OP_WS_OPEN},
        {HM_GARBAGE, OP_WS_OPEN},
        {HM_CLOSE_MID_HEADER, OP_WS_OPEN},
        {HM_HUGE_HEADERS, OP_WS_OPEN},
        {HM_RESET, OP_WS_OPEN},
        {HM_BAD_OPEN, OP_WS_OPEN},
        {HM_BAD_ACCEPT, OP_WS_OPEN},
        {HM_WS_BAD_FRAME, OP_WS_OPEN},
        {HM_WS_MID_FRAME, OP_WS_OPEN},
        {HM_WS_HUGE_FRAME, OP_WS_OPEN},
        {HM_WS_SILENT, OP_WS_OPEN},
        {HM_WS_BAD_UTF8, OP_WS_OPEN},
        {HM_SLOW_DRIP, OP_WS_OPEN},
    };
    check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_hostile_raw_http(void)
{
    static const struct row rows[] = {
        {HM_SILENT, OP_RAW_HTTP},       {HM_ENDLESS_BODY, OP_RAW_HTTP},
        {HM_WRONG_LENGTH, OP_RAW_HTTP}, {HM_LENGTH_STALL, OP_RAW_HTTP},
        {HM_SLOW_DRIP, OP_RAW_HTTP},    {HM_CLOSE_MID_HEADER, OP_RAW_HTTP},
        {HM_HUGE_HEADERS, OP_RAW_HTTP}, {HM_GARBAGE, OP_RAW_HTTP},
        {HM_RESET, OP_RAW_HTTP},
    };
    check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_hostile_raw_websocket(void)
{
    static const struct row rows[] = {
        {HM_SILENT, OP_RAW_WS},       {HM_BAD_ACCEPT, OP_RAW_WS},    {HM_WS_BAD_FRAME, OP_RAW_WS},
        {HM_WS_MID_FRAME, OP_RAW_WS}, {HM_WS_HUGE_FRAME, OP_RAW_WS}, {HM_WS_SILENT, OP_RAW_WS},
        {HM_WS_BAD_UTF8, OP_RAW_WS},  {HM_GARBAGE, OP_RAW_WS},       {HM_HUGE_HEADERS, OP_RAW_WS},
        {HM_BAD_OPEN, OP_RAW_WS},
    };
    check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

static void test_hostile_connection_refused(void)
{
    /* a port that was just released: nothing listens there */
    unsigned port;
    struct hostile *h = hostile_start(HM_SILENT, &port);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    hostile_stop(h);
    for (int op = OP_POLL_OPEN; op <= OP_RAW_WS; op++) {
        char reason[256] = "";
        long ms;
        int rc = run_op((enum op)op, port, reason, sizeof(reason), &ms);
        fprintf(stderr, "  %-16s %-19s -> %-16s %4ld ms  %s\n", "refused", op_name((enum op)op),
                hx_status_name(rc), ms, reason);
        CU_ASSERT(rc == HX_ERR_CONNECT || rc == HX_ERR_TRANSPORT || rc == HX_ERR_CLOSED);
        CU_ASSERT(ms < 200);
    }
}

/* ---- independence of sessions on threads ---- */

struct job {
    unsigned port;
    enum op op;
    int rc;
    long ms;
};

static void *job_run(void *arg)
{
    struct job *j = arg;
    char reason[256];
    j->rc = run_op(j->op, j->port, reason, sizeof(reason), &j->ms);
    return NULL;
}

static void test_hostile_sessions_are_independent(void)
{
    unsigned slow_port, fast_port;
    struct hostile *slow = hostile_start(HM_SILENT, &slow_port);
    struct hostile *fast = hostile_start(HM_BAD_OPEN, &fast_port);
    CU_ASSERT_PTR_NOT_NULL_FATAL(slow);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fast);
    struct job jobs[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (struct job){.port = i < 4 ? slow_port : fast_port,
                               .op = i % 2 ? OP_WS_OPEN : OP_POLL_OPEN};
        CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, job_run, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    hostile_stop(slow);
    hostile_stop(fast);
    for (int i = 0; i < 8; i++) {
        fprintf(stderr, "  thread %d %-10s %-19s -> %-16s %4ld ms\n", i,
                i < 4 ? "silent" : "bad-open", op_name(jobs[i].op), hx_status_name(jobs[i].rc),
                jobs[i].ms);
        if (i < 4) {
            TH_RC("silent server", HX_ERR_TIMEOUT, jobs[i].rc);
        } else {
            CU_ASSERT(jobs[i].rc != HX_OK && jobs[i].rc != HX_ERR_TIMEOUT);
            CU_ASSERT(jobs[i].ms < 300); /* not held up by the silent sessions */
        }
    }
}

CU_TestInfo hostile_tests[] = {
    {"test_hostile_polling_handshake_curl", test_hostile_polling_handshake_curl},
    {"test_hostile_websocket_handshake_lws", test_hostile_websocket_handshake_lws},
    {"test_hostile_raw_http", test_hostile_raw_http},
    {"test_hostile_raw_websocket", test_hostile_raw_websocket},
    {"test_hostile_connection_refused", test_hostile_connection_refused},
    {"test_hostile_sessions_are_independent", test_hostile_sessions_are_independent},
    CU_TEST_INFO_NULL,
};
