/*
 * sio5_rooms.c - rooms and broadcast through the testee contract (§4):
 * `join` and `leave` put the sending socket in or out of a room of its
 * namespace, `broadcast` room args... emits `broadcast` args... to every
 * socket of the namespace in that room, the sender included when it joined.
 * Each case drives several sessions. Rooms are not part of the wire
 * protocol, so the statements are reference-behaviour rows.
 */
#include "cases/ck.h"

/* The sessions of a case. While a case waits on one of them the others
 * must keep running: each session's transport only moves (sends queued
 * WebSocket frames, polls, answers pings) while it is pumped, and a session
 * left alone past pingInterval + pingTimeout is closed by the server. */
struct crowd {
    struct hx_session *s[4];
    int n;
};

static struct hx_session *member_new(struct ck *c, struct crowd *g)
{
    struct hx_session *s = ck_connect(c, NULL);
    g->s[g->n++] = s;
    return s;
}

/* A room name no other case uses: cases run at once against one server and
 * rooms are shared by every socket of a namespace. Built from the Engine.IO
 * sid of the case's first session, unique on the server. */
static const char *room(struct ck *c, struct crowd *g, const char *tag)
{
    return ck_fmt(c, "\"%s-%s\"", tag, hx_session_handshake(g->s[0])->sid);
}

/* The same as a number (below 2^48, exact in every JSON implementation). */
static const char *numeric_room_name(struct ck *c, struct crowd *g)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = hx_session_handshake(g->s[0])->sid; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    return ck_fmt(c, "%llu", (unsigned long long)(h >> 16));
}

/* Gives every session but |busy| one short turn. */
static void tend(struct crowd *g, struct hx_session *busy)
{
    for (int i = 0; i < g->n; i++)
        if (g->s[i] != busy && !hx_session_closed(g->s[i]))
            hx_session_pump(g->s[i], hx_session_in(g->s[i], 1));
}

/* ck_wait on |s| that keeps the crowd going. */
static const struct hx_item *wait_for(struct ck *c, struct crowd *g, struct hx_session *s,
                                      const struct hx_match *m, const char *what)
{
    uint64_t until = ck_in(c, CK_REPLY_MS);
    for (;;) {
        uint64_t slice = hx_session_in(s, 5);
        const struct hx_item *it = NULL;
        int rc = hx_session_wait(s, m, slice < until ? slice : until, &it);
        if (rc == HX_OK)
            return it;
        if (rc == HX_ERR_CLOSED)
            ck_fail(c, what, "the session ended first (%s)", hx_session_reason(s));
        if (rc != HX_ERR_TIMEOUT)
            ck_error(c, "harness failure while waiting: %s", hx_status_name(rc));
        if (slice >= until)
            ck_fail(c, what, "nothing matching within %u ms; first unmatched item: %s",
                    ck_ms(c, CK_REPLY_MS), ck_item_desc(c, hx_session_peek(s, 0)));
        tend(g, s);
    }
}

/* Sends `message` "sync" on |nsp| and waits for its echo: everything |s|
 * sent on |nsp| before it has been handled (replies keep request order),
 * and |s| is still connected. */
static void sync_nsp(struct ck *c, struct crowd *g, struct hx_session *s, const char *nsp)
{
    ck_emit(c, s, nsp, "[\"message\",\"sync\"]", NULL);
    struct hx_match m = hx_match_event(nsp, "message-back");
    const struct hx_item *it = wait_for(c, g, s, &m, "message-back \"sync\"");
    ck_check_json(c, ck_event_data(c, it), "[\"message-back\",\"sync\"]", "message-back:");
}

/* |s| joins |room| (a JSON string or number) on |nsp|, handled before return. */
static void join(struct ck *c, struct crowd *g, struct hx_session *s, const char *nsp,
                 const char *room)
{
    ck_emit(c, s, nsp, ck_fmt(c, "[\"join\",%s]", room), NULL);
    sync_nsp(c, g, s, nsp);
}

static void leave(struct ck *c, struct crowd *g, struct hx_session *s, const char *nsp,
                  const char *room)
{
    ck_emit(c, s, nsp, ck_fmt(c, "[\"leave\",%s]", room), NULL);
    sync_nsp(c, g, s, nsp);
}

/* |s| broadcasts |args| to |room| on |nsp|; handled before return. */
static void broadcast(struct ck *c, struct crowd *g, struct hx_session *s, const char *nsp,
                      const char *room, const char *args)
{
    ck_emit(c, s, nsp, ck_fmt(c, "[\"broadcast\",%s,%s]", room, args), NULL);
    sync_nsp(c, g, s, nsp);
}

static const struct hx_item *expect_broadcast(struct ck *c, struct crowd *g, struct hx_session *s,
                                              const char *nsp, const char *args, const char *who)
{
    struct hx_match m = hx_match_event(nsp, "broadcast");
    const struct hx_item *it =
        wait_for(c, g, s, &m, ck_fmt(c, "%s receives the broadcast on %s", who, nsp));
    ck_check_json(c, ck_event_data(c, it), ck_fmt(c, "[\"broadcast\",%s]", args),
                  ck_fmt(c, "%s receives", who));
    return it;
}

/* No `broadcast` on any namespace reaches |s| (the broadcast was handled and
 * has reached a member, so it has been sent); then |s| proves it is still
 * connected, so the silence is not that of a dead session. */
static void expect_no_broadcast(struct ck *c, struct crowd *g, struct hx_session *s,
                                const char *who)
{
    struct hx_match m = {.kinds = HX_KIND(HX_ITEM_SIO), .event = "broadcast"};
    uint64_t until = ck_in(c, ck_ping_interval(c) / 3);
    for (;;) {
        uint64_t slice = hx_session_in(s, 5);
        const struct hx_item *got = NULL;
        if (hx_session_expect_none(s, &m, slice < until ? slice : until, &got) == HX_ERR_PROTOCOL)
            ck_fail(c, ck_fmt(c, "no broadcast for %s", who), "%s", ck_item_desc(c, got));
        if (slice >= until)
            break;
        tend(g, s);
    }
    sync_nsp(c, g, s, "/");
}

/* A member other than the sender gets the broadcast with its arguments. */
static void member(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g);
    join(c, &g, b, "/", room(c, &g, "r1"));
    broadcast(c, &g, a, "/", room(c, &g, "r1"), "\"hi\",2,{\"x\":[null]}");
    expect_broadcast(c, &g, b, "/", "\"hi\",2,{\"x\":[null]}", "the member");
}

/* The sender gets its own broadcast when it joined the room. */
static void sender(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g);
    join(c, &g, a, "/", room(c, &g, "r-self"));
    join(c, &g, b, "/", room(c, &g, "r-self"));
    broadcast(c, &g, a, "/", room(c, &g, "r-self"), "\"to all\"");
    expect_broadcast(c, &g, a, "/", "\"to all\"", "the sender, a member");
    expect_broadcast(c, &g, b, "/", "\"to all\"", "the other member");
}

/* Sockets outside the room, the sender included, get nothing. */
static void non_member(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g), *o = member_new(c, &g);
    join(c, &g, b, "/", room(c, &g, "r-in"));
    join(c, &g, o, "/", room(c, &g, "r-other"));
    broadcast(c, &g, a, "/", room(c, &g, "r-in"), "\"members only\"");
    expect_broadcast(c, &g, b, "/", "\"members only\"", "the member");
    expect_no_broadcast(c, &g, o, "a socket in another room");
    expect_no_broadcast(c, &g, a, "the sender, not a member");
}

/* After `leave` the socket no longer gets the room's broadcasts. */
static void after_leave(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g), *l = member_new(c, &g);
    join(c, &g, b, "/", room(c, &g, "r-leave"));
    join(c, &g, l, "/", room(c, &g, "r-leave"));
    leave(c, &g, l, "/", room(c, &g, "r-leave"));
    broadcast(c, &g, a, "/", room(c, &g, "r-leave"), "\"after leave\"");
    expect_broadcast(c, &g, b, "/", "\"after leave\"", "the remaining member");
    expect_no_broadcast(c, &g, l, "the socket that left");
}

/* A room of /custom is not the room of the same name on /. */
static void per_namespace(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g);
    ck_join(c, a, "/custom", NULL);
    ck_join(c, b, "/custom", NULL);
    join(c, &g, b, "/custom", room(c, &g, "r-ns"));
    broadcast(c, &g, a, "/", room(c, &g, "r-ns"), "\"on main\"");
    broadcast(c, &g, a, "/custom", room(c, &g, "r-ns"), "\"on custom\"");
    expect_broadcast(c, &g, b, "/custom", "\"on custom\"", "the member");
    expect_no_broadcast(c, &g, b, "the member of the /custom room, on /");
}

/* Numbers are valid room names (contract: a string or number). */
static void numeric_room(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g);
    const char *r = numeric_room_name(c, &g);
    join(c, &g, b, "/", r);
    broadcast(c, &g, a, "/", r, "\"numeric\"");
    expect_broadcast(c, &g, b, "/", "\"numeric\"", "the member of the numeric room");
}

/* A broadcast keeps binary arguments binary. */
static void binary(struct ck *c)
{
    struct crowd g = {.n = 0};
    struct hx_session *a = member_new(c, &g), *b = member_new(c, &g);
    join(c, &g, b, "/", room(c, &g, "r-bin"));
    broadcast(c, &g, a, "/", room(c, &g, "r-bin"), "{\"$binary\":\"AQID\"},\"x\"");
    const struct hx_item *it =
        expect_broadcast(c, &g, b, "/", "{\"$binary\":\"AQID\"},\"x\"", "the member");
    ck_check(c, it->sio.type == SIO_BINARY_EVENT && it->n_att == 1,
             "the broadcast as a BINARY_EVENT with one attachment", "%s", ck_item_desc(c, it));
}

static const struct ck_case cases[] = {
    {.id = "sio5.rooms.member",
     .title = "a broadcast reaches a room member",
     .req = "A broadcast to a room reaches another socket that joined it, with the same "
            "arguments.",
     .spec = "ref:sio5-events-rooms:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast,smoke",
     .run = member},
    {.id = "sio5.rooms.sender",
     .title = "the sender gets its broadcast when a member",
     .req = "A broadcast reaches the sending socket too when it joined the room, and every other "
            "member.",
     .spec = "ref:sio5-events-rooms:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast",
     .run = sender},
    {.id = "sio5.rooms.non-member",
     .title = "non-members get nothing",
     .req = "Sockets that did not join the room, the sender included, do not receive its "
            "broadcast.",
     .spec = "ref:sio5-events-rooms:2",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast",
     .run = non_member},
    {.id = "sio5.rooms.leave",
     .title = "no broadcast after leave",
     .req = "A socket that left a room no longer receives its broadcasts.",
     .spec = "ref:sio5-events-rooms:3",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast",
     .run = after_leave},
    {.id = "sio5.rooms.per-namespace",
     .title = "rooms belong to one namespace",
     .req = "A room joined on /custom gets broadcasts sent on /custom only, not those sent to the "
            "same room name on /.",
     .spec = "ref:sio5-events-rooms:4",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast,namespace",
     .run = per_namespace},
    {.id = "sio5.rooms.numeric",
     .title = "numeric room names",
     .req = "A number works as a room name for join and broadcast.",
     .spec = "ref:sio5-events-rooms:5",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast",
     .run = numeric_room},
    {.id = "sio5.rooms.binary",
     .title = "a broadcast keeps binaries binary",
     .req = "A broadcast with a binary argument reaches members as a BINARY_EVENT with the same "
            "bytes.",
     .spec = "ref:sio5-events-rooms:1,ref:sio5-events-binary:1",
     .level = CK_MUST,
     .tps = CK_BOTH,
     .proto = CK_SIO5,
     .needs = CK_NEED_SIO,
     .tags = "rooms,broadcast,binary",
     .run = binary},
};

CK_GROUP(ck_group_sio5_rooms, "sio5.rooms", "Socket.IO v5 rooms and broadcast (contract)", cases);
