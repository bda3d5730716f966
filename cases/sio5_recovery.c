/*
 * sio5_recovery.c - Socket.IO v5 connection state recovery (profile
 * recovery; protocol-notes §5.2; testee contract §6). The CONNECT answer
 * carries a secret pid, events carry an offset as their last argument, and
 * a client whose transport dropped gets its socket back (same sid and pid,
 * rooms, and the events it missed, sent before the CONNECT answer) when it
 * reconnects with pid and last offset in the CONNECT payload. Unknown pids
 * and sockets that left with DISCONNECT give a fresh socket instead.
 *
 * The missed events come from a second session broadcasting to a room the
 * dropped socket had joined; the room is named after that socket, since
 * cases run concurrently against one server.
 */
#include "cases/ck.h"

#include <stdio.h>
#include <string.h>

/* A socket on "/": its ids and the offset of the last event taken, as JSON
 * string tokens (quotes included) ready to be put into a CONNECT payload. */
struct sock {
    const char *sid; /* unescaped */
    const char *pid;
    const char *offset;
};

/* The offset token of event |it|: its last argument, a string. */
static const char *offset_of(struct ck *c, const struct hx_item *it)
{
    struct cdc_span d = it->json, v, last = {NULL, 0};
    struct cdc_json_iter iter;
    size_t n = 0;
    if (cdc_json_iter_init(&iter, d) == CDC_OK)
        while (cdc_json_iter_next(&iter, NULL, &v) == 1) {
            last = v;
            n++;
        }
    ck_check(c, n >= 2 && cdc_json_type_of(last) == CDC_JSON_STRING,
             "an event whose last argument is the offset, a string", "%s", ck_item_desc(c, it));
    return ck_str(c, last, false);
}

/* Opens a session, joins "/" and takes the `auth` event. */
static struct hx_session *join(struct ck *c, struct sock *k)
{
    struct hx_session *s = ck_open(c, NULL);
    ck_msg(c, s, "0");
    const struct hx_item *r = ck_wait_sio(c, s, SIO_CONNECT, "/", CK_REPLY_MS);
    k->sid = ck_sio_sid(c, r, "/", false);
    struct cdc_span v;
    cdc_json_object_get(r->sio.data, "pid", &v); /* present: ck_sio_sid checked it */
    k->pid = ck_str(c, v, false);
    k->offset = offset_of(c, ck_wait_event(c, s, "/", "auth", CK_REPLY_MS));
    return s;
}

/* Joins a room named after the socket (unique) and returns its name. Taking the
 * answer to a later event proves the join was handled; its offset becomes
 * the last one seen. */
static const char *join_room(struct ck *c, struct hx_session *s, struct sock *k)
{
    const char *room = ck_fmt(c, "recovery-%s", k->sid);
    ck_msg(c, s, ck_fmt(c, "2[\"join\",\"%s\"]", room));
    ck_msg(c, s, "2[\"message\",\"joined\"]");
    k->offset = offset_of(c, ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS));
    return room;
}

/* Ends the transport as a network failure would (no DISCONNECT). */
static void drop(struct ck *c, struct hx_session *s)
{
    ck_ok(c, s, hx_session_close(s, HX_CLOSE_GRACEFUL, ck_in(c, CK_REPLY_MS)),
          "closing the transport");
}

/* A second socket broadcasts |what| to |room| and waits until handled. */
static void broadcast(struct ck *c, const char *room, const char *what)
{
    struct hx_session *b = ck_connect(c, NULL);
    ck_msg(c, b, ck_fmt(c, "2[\"broadcast\",\"%s\",%s]", room, what));
    ck_msg(c, b, "2[\"message\",\"sync\"]");
    ck_wait_event(c, b, "/", "message-back", CK_REPLY_MS);
}

/* A new session sending CONNECT with |k|'s pid and offset. */
static struct hx_session *reconnect(struct ck *c, const struct sock *k)
{
    struct hx_session *n = ck_open(c, NULL);
    ck_msg(c, n, ck_fmt(c, "0{\"pid\":%s,\"offset\":%s}", k->pid, k->offset));
    return n;
}

/* ---- cases ------------------------------------------------------------------ */

static void pid(struct ck *c)
{
    struct sock k;
    struct hx_session *s = join(c, &k);
    char quoted[300];
    snprintf(quoted, sizeof(quoted), "\"%s\"", k.sid);
    ck_check(c,
             strlen(k.pid) > 2 && strcmp(k.pid, quoted) != 0 &&
                 strstr(k.pid, hx_session_handshake(s)->sid) == NULL,
             "a non-empty string pid, different from the sid and the Engine.IO sid",
             "sid %s, pid %s", k.sid, k.pid);
}

static void offsets(struct ck *c)
{
    struct sock k;
    struct hx_session *s = join(c, &k);
    ck_msg(c, s, "2[\"message\",\"x\"]");
    const struct hx_item *ev = ck_wait_event(c, s, "/", "message-back", CK_REPLY_MS);
    const char *second = offset_of(c, ev);
    ck_check_json(c, ck_event_data(c, ev), "[\"message-back\",\"x\"]",
                  "the event without its offset");
    ck_check(c, strcmp(second, k.offset) != 0, "a different offset for every event",
             "the offset %s twice", second);
}

/* A dropped socket comes back with its sid and pid. */
static void restore(struct ck *c)
{
    struct sock k;
    drop(c, join(c, &k));
    struct hx_session *n = reconnect(c, &k);
    const struct hx_item *r = ck_wait_sio(c, n, SIO_CONNECT, "/", CK_REPLY_MS);
    const char *sid = ck_sio_sid(c, r, "/", false);
    struct cdc_span v;
    cdc_json_object_get(r->sio.data, "pid", &v);
    ck_check(c, strcmp(sid, k.sid) == 0 && ck_eq(v, k.pid),
             ck_fmt(c, "the recovered socket: sid %s, pid %s", k.sid, k.pid), "sid %s, pid %s", sid,
             ck_str(c, v, true));
}

/* The events the socket missed come first, in order, then the answer. */
static void missed(struct ck *c)
{
    struct sock k;
    struct hx_session *s = join(c, &k);
    const char *room = join_room(c, s, &k);
    drop(c, s);
    broadcast(c, room, "\"missed\",1");
    broadcast(c, room, "\"missed\",2");
    struct hx_session *n = reconnect(c, &k);
    static const char *const want[] = {"[\"broadcast\",\"missed\",1]",
                                       "[\"broadcast\",\"missed\",2]"};
    const char *exp = "the two missed broadcasts in order, then the CONNECT answer on /";
    for (int i = 0; i < 2; i++) {
        const struct hx_item *it = ck_next_sio(c, n, CK_REPLY_MS, exp);
        ck_check(c, it->kind == HX_ITEM_SIO && it->sio.type == SIO_EVENT && ck_eq(it->sio.nsp, "/"),
                 exp, "item %d: %s", i + 1, ck_item_desc(c, it));
        ck_check_json(c, ck_event_data(c, it), want[i], ck_fmt(c, "%s; item %d", exp, i + 1));
    }
    const char *sid = ck_sio_sid(c, ck_next_sio(c, n, CK_REPLY_MS, exp), "/", false);
    ck_check(c, strcmp(sid, k.sid) == 0, ck_fmt(c, "the recovered socket id %s", k.sid),
             "socket id %s", sid);
}

/* The recovered socket is back in its rooms. */
static void rooms(struct ck *c)
{
    struct sock k;
    struct hx_session *s = join(c, &k);
    const char *room = join_room(c, s, &k);
    drop(c, s);
    struct hx_session *n = reconnect(c, &k);
    const char *sid = ck_sio_sid(c, ck_wait_sio(c, n, SIO_CONNECT, "/", CK_REPLY_MS), "/", false);
    if (strcmp(sid, k.sid) != 0)
        ck_error(c, "precondition: the socket was not recovered (sid %s, was %s)", sid, k.sid);
    broadcast(c, room, "\"after\"");
    const struct hx_item *it = ck_wait_event(c, n, "/", "broadcast", CK_REPLY_MS);
    ck_check_json(c, ck_event_data(c, it), "[\"broadcast\",\"after\"]",
                  "the broadcast to the recovered socket's room");
}

static void unknown_pid(struct ck *c)
{
    struct sock k = {.sid = "", .pid = "\"siospec-unknown-pid\"", .offset = "\"0\""};
    struct hx_session *n = reconnect(c, &k);
    const struct hx_item *r = ck_next_sio(c, n, CK_REPLY_MS, "a CONNECT answer on /");
    ck_sio_sid(c, r, "/", false);
    struct cdc_span v;
    cdc_json_object_get(r->sio.data, "pid", &v);
    ck_check(c, !ck_eq(v, k.pid), "a fresh session with a new pid", "pid %s", ck_str(c, v, true));
}

/* A socket that left with DISCONNECT is gone for good. */
static void after_disconnect(struct ck *c)
{
    struct sock k;
    struct hx_session *s = join(c, &k);
    ck_msg(c, s, "1");
    drop(c, s);
    struct hx_session *n = reconnect(c, &k);
    const struct hx_item *r = ck_next_sio(c, n, CK_REPLY_MS, "a CONNECT answer on /");
    const char *sid = ck_sio_sid(c, r, "/", false);
    ck_check(c, strcmp(sid, k.sid) != 0,
             "a fresh socket (new sid): no recovery after an explicit DISCONNECT",
             "the old socket id %s came back", sid);
}

#define CASE_RECOVERY(idn, ttl, rq, sp, fn)                                                        \
    {                                                                                              \
        .id = "sio5.recovery." idn, .title = ttl, .req = rq, .spec = sp, .level = CK_MUST,         \
        .tps = CK_BOTH, .proto = CK_SIO5, .needs = CK_NEED_SIO | CK_NEED_RECOVERY,                 \
        .tags = "recovery", .run = fn                                                              \
    }

static const struct ck_case cases[] = {
    CASE_RECOVERY("pid", "CONNECT answer carries a pid",
                  "With recovery on, the CONNECT answer holds a string pid besides the sid, "
                  "different from it and from the Engine.IO sid.",
                  "ref:sio5-connect-recovery:1,ref:sio5-connect-reply:1", pid),
    CASE_RECOVERY("offset", "events carry an offset",
                  "With recovery on, every event the server emits without ack id has a string "
                  "offset as its last argument, a different one for every event.",
                  "ref:sio5-connect-recovery:2", offsets),
    CASE_RECOVERY("restore", "a dropped socket gets its sid back",
                  "A CONNECT with the pid and last offset of a socket whose transport closed is "
                  "answered with that socket's sid and pid.",
                  "ref:sio5-connect-recovery:3", restore),
    CASE_RECOVERY("missed", "missed events are replayed before the answer",
                  "On recovery the server first sends the events the socket missed, in order, "
                  "and then the CONNECT answer.",
                  "ref:sio5-connect-recovery:4,ref:sio5-connect-recovery:3", missed),
    CASE_RECOVERY("rooms", "a recovered socket is back in its rooms",
                  "After recovery, broadcasts to a room the socket had joined reach it again.",
                  "ref:sio5-connect-recovery:5", rooms),
    CASE_RECOVERY("unknown-pid", "an unknown pid gives a fresh socket",
                  "A CONNECT with a pid the server does not know is answered like a new one: a "
                  "new sid and pid, no error.",
                  "ref:sio5-connect-recovery:6", unknown_pid),
    CASE_RECOVERY("after-disconnect", "no recovery after DISCONNECT",
                  "A socket that left its namespace with DISCONNECT is not recovered: the next "
                  "CONNECT with its pid and offset gets a new sid.",
                  "ref:sio5-connect-recovery:7", after_disconnect),
};

CK_GROUP(ck_group_sio5_recovery, "sio5.recovery", "Socket.IO v5 connection state recovery", cases);
