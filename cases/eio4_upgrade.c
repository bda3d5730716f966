/*
 * eio4_upgrade.c - Engine.IO v4 upgrade from polling to WebSocket: the
 * probe, the noop that releases the pending GET, the upgrade packet, what
 * happens to polling and to other WebSockets afterwards, buffered packets,
 * and the upgrade requests a server must refuse (engine.io-protocol v4
 * §Upgrade, §Transports > WebSocket; protocol-notes §1.9, E36-E40, §2.9
 * CVE-2026-102599; official v4 tests #23-25, Socket.IO suite #14-16).
 *
 * The cases work on any server: where traffic must be seen to flow on the
 * WebSocket they wait for the server's next ping there (the session answers
 * it); only the message echo of the full upgrade needs an echo server.
 * Candidate WebSockets the case drives itself are raw channels of the
 * session, so the exact frames are visible.
 */
#include "cases/ck.h"

#include <string.h>

#define POLL_TARGET "{path}?EIO=4&transport=polling&sid={sid}"
#define UPG_TARGET "{path}?EIO=4&transport=websocket&sid={sid}"

/* ---- helpers --------------------------------------------------------------- */

/* Sends the message "0": an echo server echoes it, a Socket.IO server takes
 * it as a CONNECT to "/" (wire 40), so connectTimeout cannot end the session
 * while a case waits for something else to. */
static void join(struct ck *c, struct hx_session *s)
{
    ck_msg(c, s, "0");
}

/* A joined polling session with pings and noops queued (answered
 * automatically); the answer to the join is taken. */
static struct hx_session *poll_open(struct ck *c)
{
    struct hx_session *s = ck_open_on(c, HX_TP_POLLING, &(struct ck_sopt){.queue_control = true});
    join(c, s);
    struct hx_match m = hx_match_eio(EIO_MESSAGE);
    const struct hx_item *it = ck_try_wait(c, s, &m, CK_REPLY_MS);
    if (!it || it->eio.data.len == 0 || it->eio.data.p[0] != '0')
        ck_error(c, "precondition: no answer 40... to the message 40: %s", ck_item_desc(c, it));
    return s;
}

static void ping_on(struct ck *c, struct hx_session *s, enum hx_tp tp, const char *what);

/* The full upgrade as a precondition (ERROR when it does not complete).
 * The 5 travels on the WebSocket while a later request may take another
 * connection, so the case then waits until the server shows it took the
 * 5: its next ping arrives on the WebSocket. */
static void upgrade_pre(struct ck *c, struct hx_session *s)
{
    int rc = hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "precondition: the upgrade to WebSocket failed: %s (%s)", hx_status_name(rc),
                 hx_session_reason(s));
    ping_on(c, s, HX_TP_WS, "the next ping on the WebSocket after the upgrade");
}

/* Waits for a server ping that arrives on transport |tp| (pings on the
 * other one are skipped); ck_fail naming |what| when none comes within
 * pingInterval plus slack. */
static void ping_on(struct ck *c, struct hx_session *s, enum hx_tp tp, const char *what)
{
    struct hx_match m = hx_match_eio(EIO_PING);
    uint32_t window = ck_ping_interval(c) + 400;
    uint64_t until = ck_in(c, window);
    for (;;) {
        const struct hx_item *it = NULL;
        int rc = hx_session_wait(s, &m, until, &it);
        if (rc == HX_OK && it->tp == tp)
            return;
        if (rc == HX_OK)
            continue;
        ck_fail(c, what, "%s",
                rc == HX_ERR_CLOSED ? ck_fmt(c, "the session ended: %s", hx_session_reason(s))
                                    : ck_fmt(c, "no ping within %u ms", ck_ms(c, window)));
    }
}

/* Opens a raw candidate WebSocket for |s|'s sid and exchanges the probe;
 * ck_fail (naming the step) unless the answer is exactly a text 3probe. */
static unsigned probe(struct ck *c, struct hx_session *s)
{
    unsigned ch = 0;
    int rc = ck_ws(c, s, UPG_TARGET, true, &ch);
    ck_check(c, rc == HX_OK, "HTTP 101 for the upgrade WebSocket", "%s (%s)", hx_status_name(rc),
             hx_session_reason(s));
    ck_ws_send(c, s, ch, "2probe", 6, false);
    const struct hx_item *it = ck_ws_next(c, s, ch, CK_REPLY_MS);
    ck_check(c,
             it && it->kind == HX_ITEM_WS && it->opcode == HX_WS_TEXT && ck_eq(it->raw, "3probe"),
             "a text frame exactly 3probe answering 2probe", "%s", ck_item_desc(c, it));
    return ch;
}

/* ck_fail unless a WebSocket to |target| is refused (an HTTP answer other
 * than 101) or, after a 101, closed before it answers 2probe. */
static void expect_ws_closed(struct ck *c, struct hx_session *s, const char *target,
                             const char *exp)
{
    unsigned ch = 0;
    int rc = ck_ws(c, s, target, true, &ch);
    if (rc == HX_ERR_CONNECT)
        ck_error(c, "could not connect to the server: %s", hx_session_reason(s));
    if (rc != HX_OK) {
        ck_note(c, "refused before the 101: %s", hx_status_name(rc));
        return;
    }
    struct hx_ws_out f = {.opcode = HX_WS_TEXT, .payload = (const uint8_t *)"2probe", .len = 6};
    hx_session_ws_send(s, ch, &f); /* the server may have closed already */
    for (;;) {
        const struct hx_item *it = ck_ws_next(c, s, ch, CK_REPLY_MS);
        if (!it)
            ck_fail(c, exp, "the WebSocket was accepted and stayed open for %u ms",
                    ck_ms(c, CK_REPLY_MS));
        if (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR) {
            ck_note(c, "101, then %s", ck_item_desc(c, it));
            return;
        }
        ck_check(c, !(it->opcode == HX_WS_TEXT && ck_eq(it->raw, "3probe")), exp,
                 "the WebSocket was accepted and answered the probe with 3probe");
    }
}

/* ck_fail unless a WebSocket to |target| is refused: an HTTP answer other
 * than 101 (the reference: 400), a dropped connection, or a close before it
 * answers 2probe (protocol-notes §1.6: "HTTP 4xx or 101-then-close"). */
static void expect_ws_refused(struct ck *c, struct hx_session *s, const char *target,
                              const char *exp)
{
    /* One attempt only: a second one could be closed merely because the
     * first is still an upgrade under way. */
    expect_ws_closed(c, s, target, exp);
}

static const struct hx_item *post(struct ck *c, struct hx_session *s, const char *body)
{
    return ck_http(c, s,
                   &(struct ck_http){.method = "POST",
                                     .target = POLL_TARGET,
                                     .ctype = "text/plain;charset=UTF-8",
                                     .body = body});
}

/* True when the polling payload |body| holds the packet |pkt|. */
static bool payload_has(struct cdc_span body, const char *pkt)
{
    size_t n = strlen(pkt), start = 0;
    for (size_t i = 0; i <= body.len; i++) {
        if (i < body.len && body.p[i] != 0x1e)
            continue;
        if (i - start == n && memcmp(body.p + start, pkt, n) == 0)
            return true;
        start = i + 1;
    }
    return false;
}

/* ---- the upgrade ------------------------------------------------------------- */

/* Official v4 #23: probe, noop, upgrade, then a message echoed on WS. */
static void full_echo(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    int rc = hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "2probe answered by 3probe, the pending GET released, 5 accepted",
             "%s (%s)", hx_status_name(rc), hx_session_reason(s));
    ck_msg(c, s, "hello");
    const struct hx_item *it = ck_wait_eio(c, s, EIO_MESSAGE, CK_REPLY_MS);
    ck_check(c, it->tp == HX_TP_WS && !it->binary && ck_eq(it->eio.data, "hello"),
             "the echo 4hello on the WebSocket", "%s on %s", ck_item_desc(c, it),
             it->tp == HX_TP_WS ? "the WebSocket" : "polling");
}

/* Any server: after the upgrade the heartbeat runs on the WebSocket. */
static void full_ping(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    int rc = hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "2probe answered by 3probe, the pending GET released, 5 accepted",
             "%s (%s)", hx_status_name(rc), hx_session_reason(s));
    ping_on(c, s, HX_TP_WS, "the next server ping on the WebSocket");
}

static void probe_answer(struct ck *c)
{
    probe(c, poll_open(c));
}

/* The GET pending during the probe is answered with a noop, at the latest
 * within the contract's upgradeTimeout. Pings that come first are
 * answered and the GET is reissued. */
static void noop_release(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true, .hb = HX_HB_WITHHOLD});
    join(c, s);
    unsigned get = ck_http_start(c, s, &(struct ck_http){.target = POLL_TARGET});
    probe(c, s);
    uint32_t t0 = ck_now_ms(c);
    uint64_t until = ck_in(c, CK_UPGRADE_TIMEOUT_MS);
    const char *exp = ck_fmt(c, "the pending GET answered with a noop 6 within %u ms of 3probe",
                             ck_ms(c, CK_UPGRADE_TIMEOUT_MS));
    for (;;) {
        const struct hx_item *it = NULL;
        int rc = hx_session_http_wait(s, get, until, &it);
        if (rc == HX_ERR_TIMEOUT)
            ck_fail(c, exp, "the GET still pending after %u ms", ck_now_ms(c) - t0);
        ck_check(c, rc == HX_OK && it->kind == HX_ITEM_HTTP && it->http_status == 200, exp, "%s",
                 it ? ck_item_desc(c, it) : hx_status_name(rc));
        if (payload_has(it->raw, "6")) {
            ck_note(c, "GET body \"%s\" %u ms after 3probe", ck_str(c, it->raw, true),
                    ck_now_ms(c) - t0);
            return;
        }
        if (payload_has(it->raw, "2"))
            post(c, s, "3");
        get = ck_http_start(c, s, &(struct ck_http){.target = POLL_TARGET});
    }
}

/* Server packets buffered while nothing polled go out on the WebSocket. */
static void buffered_flush(struct ck *c)
{
    struct hx_session *s = ck_open(c, &(struct ck_sopt){.manual_poll = true});
    ck_msg(c, s, "0"); /* echo server: echoes "0"; Socket.IO: CONNECT, answered 40{...} */
    int rc = hx_eio_upgrade(s, 0, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "precondition: the upgrade to WebSocket failed: %s (%s)", hx_status_name(rc),
                 hx_session_reason(s));
    const struct hx_item *it = ck_wait_eio(c, s, EIO_MESSAGE, CK_REPLY_MS);
    ck_check(c, it->tp == HX_TP_WS && it->eio.data.len > 0 && it->eio.data.p[0] == '0',
             "the answer buffered before the upgrade (4 then 0...) delivered on the WebSocket",
             "%s on %s", ck_item_desc(c, it), it->tp == HX_TP_WS ? "the WebSocket" : "polling");
}

/* HX_UPG_NO_PROBE: 5 straight after the 101. */
static void no_probe(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    int rc = hx_eio_upgrade(s, HX_UPG_NO_PROBE, ck_in(c, CK_REPLY_MS));
    ck_check(c, rc == HX_OK, "the upgrade completed without a probe (reference)", "%s (%s)",
             hx_status_name(rc), hx_session_reason(s));
    ping_on(c, s, HX_TP_WS, "the next ping on the WebSocket (reference)");
    ck_note(c, "upgrade without probe completed; pings on the WebSocket");
}

/* ---- after the upgrade ------------------------------------------------------- */

/* Official v4 #24: polling with the sid is refused; the WebSocket goes on. */
static void get_after_upgrade(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    upgrade_pre(c, s);
    ck_expect_status(c, ck_get(c, s, POLL_TARGET), 400, "polling GET after the upgrade");
    ping_on(c, s, HX_TP_WS, "the session going on over the WebSocket");
}

static void get_after_upgrade_code(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    upgrade_pre(c, s);
    ck_expect_eio_error(c, ck_get(c, s, POLL_TARGET), 400, 3);
}

static void post_after_upgrade(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    upgrade_pre(c, s);
    ck_expect_eio_error(c, post(c, s, "6"), 400, 3);
}

/* Official v4 #25: a second WebSocket for the sid is closed; the first
 * goes on. */
static void second_ws(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    upgrade_pre(c, s);
    expect_ws_refused(c, s, UPG_TARGET,
                      "the second WebSocket for the session refused or closed without 3probe");
    ping_on(c, s, HX_TP_WS, "the first WebSocket going on");
}

/* A second candidate while the first is probed and not yet upgraded. */
static void second_ws_upgrading(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    int rc = hx_eio_upgrade(s, HX_UPG_NO_UPGRADE, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "precondition: the probe failed: %s (%s)", hx_status_name(rc),
                 hx_session_reason(s));
    expect_ws_refused(c, s, UPG_TARGET,
                      "a second upgrade WebSocket during the upgrade refused or closed without "
                      "3probe");
}

/* ---- candidates that go wrong --------------------------------------------------- */

/* A message on the candidate before 5 ends the candidate, not the session. */
static void candidate_message(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    unsigned ch = 0;
    int rc = ck_ws(c, s, UPG_TARGET, true, &ch);
    if (rc != HX_OK)
        ck_error(c, "precondition: the upgrade WebSocket was refused: %s", hx_session_reason(s));
    ck_ws_send(c, s, ch, "4hi", 3, false);
    const struct hx_item *it = ck_ws_next(c, s, ch, CK_REPLY_MS);
    ck_check(c, it && (it->kind == HX_ITEM_CLOSE || it->kind == HX_ITEM_ERROR),
             "the candidate WebSocket closed", "%s",
             it ? ck_item_desc(c, it) : "the candidate stayed open");
    ping_on(c, s, HX_TP_POLLING, "the session going on over polling");
}

/* No 5 within upgradeTimeout: the candidate is closed, polling goes on. */
static void upgrade_timeout(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    int rc = hx_eio_upgrade(s, HX_UPG_NO_UPGRADE, ck_in(c, CK_REPLY_MS));
    if (rc != HX_OK)
        ck_error(c, "precondition: the probe failed: %s (%s)", hx_status_name(rc),
                 hx_session_reason(s));
    unsigned ch = hx_session_ws_chan(s);
    uint32_t t0 = ck_now_ms(c);
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_CLOSE) | HX_KIND(HX_ITEM_ERROR), .chan = ch};
    const struct hx_item *it = ck_try_wait(c, s, &m, CK_UPGRADE_TIMEOUT_MS + 400);
    ck_check(c, it != NULL,
             ck_fmt(c, "the candidate closed within upgradeTimeout (%u ms) without 5",
                    CK_UPGRADE_TIMEOUT_MS),
             "the candidate still open after %u ms", ck_now_ms(c) - t0);
    ck_note(c, "candidate closed %u ms after the probe", ck_now_ms(c) - t0);
    ping_on(c, s, HX_TP_POLLING, "the session going on over polling");
}

/* ---- upgrade requests to refuse ------------------------------------------------- */

static void unknown_transport(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    expect_ws_refused(c, s, "{path}?EIO=4&transport=abc&sid={sid}",
                      "the upgrade to transport abc refused (HTTP 400 or closed at once)");
}

/* CVE-2026-102599: a v4 session must not get a transport of another
 * revision; the server refuses it and keeps serving. */
static void eio_mismatch(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    expect_ws_refused(c, s, "{path}?EIO=3&transport=websocket&sid={sid}",
                      "the upgrade with EIO=3 refused (reference: HTTP 400, Bad request)");
    ping_on(c, s, HX_TP_POLLING, "the session and the server going on");
}

static void eio_missing(struct ck *c)
{
    struct hx_session *s = poll_open(c);
    expect_ws_refused(c, s, "{path}?transport=websocket&sid={sid}",
                      "the upgrade without EIO refused (reference: HTTP 400, Bad request)");
    ping_on(c, s, HX_TP_POLLING, "the session and the server going on");
}

/* A WebSocket-only session was offered no upgrade. */
static void ws_session_upgrade(struct ck *c)
{
    struct hx_session *s = ck_open_on(c, HX_TP_WS, &(struct ck_sopt){.queue_control = true});
    join(c, s);
    expect_ws_refused(c, s, UPG_TARGET,
                      "a WebSocket for a WebSocket session refused or closed without 3probe");
    ping_on(c, s, HX_TP_WS, "the first WebSocket going on");
}

static void ws_session_polling(struct ck *c)
{
    struct hx_session *s = ck_open_on(c, HX_TP_WS, NULL);
    ck_expect_eio_error(c, ck_get(c, s, POLL_TARGET), 400, 3);
}

static const struct ck_case cases[] = {
    {.id = "eio4.upgrade.full",
     .title = "upgrade to WebSocket, then echo",
     .req = "A polling session upgrades through 2probe/3probe, the noop and 5, after which "
            "messages flow on the WebSocket.",
     .spec = "eio4:upgrade:9,eio4:upgrade:6,eio4:upgrade:5,eio4:upgrade:8,eio4:packet:7",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .needs = CK_NEED_ECHO,
     .tags = "upgrade,websocket,smoke",
     .origin = "upgrade > successfully upgrades from HTTP long-polling to WebSocket",
     .run = full_echo},
    {.id = "eio4.upgrade.full-ping",
     .title = "upgrade to WebSocket, then pings there",
     .req = "After a complete upgrade the session, and its heartbeat, run on the WebSocket.",
     .spec = "eio4:upgrade:8,eio4:upgrade:9,eio4:upgrade:6,eio4:upgrade:5,eio4:transports:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket,heartbeat",
     .origin = "Engine.IO protocol > upgrade > should successfully upgrade from HTTP long-polling "
               "to WebSocket",
     .run = full_ping},
    {.id = "eio4.upgrade.probe-answer",
     .title = "2probe is answered with exactly 3probe",
     .req = "On the candidate WebSocket the probe ping 2probe is answered with a text frame "
            "exactly 3probe.",
     .spec = "eio4:upgrade:6,eio4:upgrade:9",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket",
     .run = probe_answer},
    {.id = "eio4.upgrade.noop-release",
     .title = "pending GET released with a noop",
     .req = "A GET pending while the client probes is answered with a noop packet, within the "
            "upgradeTimeout.",
     .spec = "eio4:upgrade:5,eio4:packet:8",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,polling,timing",
     .run = noop_release},
    {.id = "eio4.upgrade.buffered-flush",
     .title = "buffered packets arrive on the WebSocket",
     .req = "Packets the server buffered for polling before the upgrade are delivered on the "
            "WebSocket after 5.",
     .spec = "ref:eio4-ws-upgrade:2,eio4:upgrade:8",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket",
     .run = buffered_flush},
    {.id = "eio4.upgrade.no-probe",
     .title = "5 without a probe",
     .req = "Records whether an upgrade packet without a preceding probe completes the upgrade; "
            "the reference accepts it.",
     .spec = "ref:eio4-ws-upgrade:4,eio4:upgrade:4",
     .level = CK_INFO,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket",
     .run = no_probe},
    {.id = "eio4.upgrade.get-after-upgrade",
     .title = "polling GET after the upgrade is refused",
     .req = "Once upgraded, a polling GET with the session's sid gets HTTP 400 and the WebSocket "
            "goes on.",
     .spec = "ref:eio4-ws-upgrade:1,eio4:upgrade:8",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,errors",
     .origin = "upgrade > ignores HTTP requests with same sid after upgrade",
     .run = get_after_upgrade},
    {.id = "eio4.upgrade.get-after-upgrade-code",
     .title = "polling GET after the upgrade is code 3",
     .req = "A polling GET for a session that upgraded is a transport mismatch: HTTP 400 with "
            "code 3.",
     .spec = "ref:eio4-errors:4,ref:eio4-ws-upgrade:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,errors",
     .run = get_after_upgrade_code},
    {.id = "eio4.upgrade.post-after-upgrade",
     .title = "polling POST after the upgrade is code 3",
     .req = "A polling POST for a session that upgraded gets HTTP 400 with code 3.",
     .spec = "ref:eio4-errors:4,ref:eio4-ws-upgrade:1",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,errors",
     .run = post_after_upgrade},
    {.id = "eio4.upgrade.second-ws",
     .title = "second WebSocket after the upgrade is closed",
     .req = "A WebSocket opened for a session that already upgraded is refused or closed without "
            "a probe answer, and the first one goes on.",
     .spec = "eio4:websocket:8",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket,errors",
     .origin = "upgrade > ignores WebSocket connection with same sid after upgrade",
     .run = second_ws},
    {.id = "eio4.upgrade.second-ws-upgrading",
     .title = "second WebSocket during the upgrade is closed",
     .req = "A second candidate WebSocket opened while another is being probed is refused or "
            "closed without a probe answer.",
     .spec = "eio4:websocket:8",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket,errors",
     .run = second_ws_upgrading},
    {.id = "eio4.upgrade.candidate-message",
     .title = "message on the candidate closes it, not the session",
     .req = "A packet other than the probe or 5 on the candidate WebSocket closes the candidate "
            "while the polling session goes on.",
     .spec = "ref:eio4-ws-upgrade:3",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket,errors",
     .run = candidate_message},
    {.id = "eio4.upgrade.timeout",
     .title = "candidate without 5 is closed after upgradeTimeout",
     .req = "A probed candidate that never sends 5 is closed within the upgradeTimeout while "
            "polling goes on.",
     .spec = "ref:eio4-ws-upgrade:5",
     .level = CK_SHOULD,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket,timing",
     .run = upgrade_timeout},
    {.id = "eio4.upgrade.unknown-transport",
     .title = "upgrade to an unknown transport is refused",
     .req = "An upgrade request naming an unknown transport with a valid sid is refused.",
     .spec = "ref:eio4-ws:1,eio4:websocket:3",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,errors",
     .run = unknown_transport},
    {.id = "eio4.upgrade.eio-mismatch",
     .title = "upgrade with EIO=3 is refused",
     .req = "An upgrade request whose EIO differs from the session's is refused and the server "
            "keeps serving the session.",
     .spec = "ref:cve:6,ref:eio4-errors:4,eio4:websocket:2",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,errors,security",
     .run = eio_mismatch},
    {.id = "eio4.upgrade.eio-missing",
     .title = "upgrade without EIO is refused",
     .req = "An upgrade request without EIO is refused and the server keeps serving the session.",
     .spec = "ref:cve:6,eio4:websocket:2,eio4:websocket:5",
     .level = CK_MUST,
     .tps = CK_POLLING,
     .proto = CK_EIO4,
     .tags = "upgrade,errors,security",
     .run = eio_missing},
    {.id = "eio4.upgrade.ws-session",
     .title = "a WebSocket session cannot be upgraded",
     .req = "A WebSocket for the sid of a WebSocket-only session (upgrades []) is refused or "
            "closed, and the session goes on.",
     .spec = "eio4:websocket:8,eio4:handshake:8",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "upgrade,websocket,errors",
     .run = ws_session_upgrade},
    {.id = "eio4.upgrade.ws-session-polling",
     .title = "polling for a WebSocket session is code 3",
     .req = "A polling request with the sid of a WebSocket-only session is a transport mismatch: "
            "HTTP 400 with code 3.",
     .spec = "ref:eio4-errors:4",
     .level = CK_MUST,
     .tps = CK_WS,
     .proto = CK_EIO4,
     .tags = "upgrade,errors",
     .run = ws_session_polling},
};

CK_GROUP(ck_group_eio4_upgrade, "eio4.upgrade", "Engine.IO v4 upgrade from polling to WebSocket",
         cases);
