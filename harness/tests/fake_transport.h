/*
 * fake_transport.h - a scripted transport for the harness unit tests.
 *
 * It implements struct hx_transport with no I/O. Every request the session
 * makes is recorded (and handed to optional peer hooks, e.g. the fake
 * Engine.IO server in fake_server.h); the test or the peer schedules what
 * the "server" does as events at fake-clock times. wait() returns the next
 * scheduled event whose time is not past the deadline and moves the fake
 * clock to it, or moves the clock exactly to the deadline and reports a
 * timeout: nothing sleeps, and timer logic is exact to the microsecond.
 * Scheduled callbacks (server timers) run inside wait() when due.
 */
#ifndef HARNESS_TESTS_FAKE_TRANSPORT_H
#define HARNESS_TESTS_FAKE_TRANSPORT_H

#include "harness/hx_clock.h"
#include "harness/hx_transport.h"

#define FAKE_MAX_CHANS 256

struct fake_chan {
    unsigned id;
    bool ws;
    bool raw;
    bool done;
    bool aborted;
    char method[16];
    char target[512];
    uint8_t *body; /* request body (HTTP) */
    size_t body_len;
    uint16_t close_code; /* graceful close requested by the client */
    bool close_req;
};

struct fake_tp;

struct fake_hooks {
    void (*on_http)(struct fake_tp *f, struct fake_chan *c, void *ud);
    void (*on_ws_open)(struct fake_tp *f, struct fake_chan *c, void *ud);
    void (*on_ws_send)(struct fake_tp *f, struct fake_chan *c, const struct hx_ws_out *m, void *ud);
    void (*on_close)(struct fake_tp *f, struct fake_chan *c, bool abort, void *ud);
    void *ud;
};

struct fake_sched;

struct fake_tp {
    struct hx_transport base;
    struct hx_fake_clock *clk;
    struct fake_chan chans[FAKE_MAX_CHANS];
    unsigned n_chans;
    struct fake_sched *sched;
    struct fake_sched *last;
    struct fake_hooks hooks;
    unsigned waits;   /* wait() calls */
    unsigned deleted; /* set by del() through |deleted_flag| */
    unsigned *deleted_flag;
};

/* An env whose transport_new hands out |*slot| = a new fake transport on
 * |clk| with |hooks| (copied). */
struct fake_env {
    struct hx_env env;
    struct hx_fake_clock *clk;
    struct fake_hooks hooks;
    struct fake_tp *last; /* most recent transport created */
    unsigned created;
};

void fake_env_init(struct fake_env *fe, struct hx_fake_clock *clk, const struct fake_hooks *h);

/* The channel with |id|, or NULL. */
struct fake_chan *fake_chan(struct fake_tp *f, unsigned id);

/* Schedules a server event on |chan| |delay_us| after now. Data is copied. */
void fake_http(struct fake_tp *f, unsigned chan, int status, const char *head, const void *body,
               size_t len, uint64_t delay_us);
void fake_ws_open(struct fake_tp *f, unsigned chan, uint64_t delay_us);
void fake_ws_msg(struct fake_tp *f, unsigned chan, bool binary, const void *p, size_t n,
                 uint64_t delay_us);
void fake_ws_closed(struct fake_tp *f, unsigned chan, uint16_t code, uint64_t delay_us);
void fake_error(struct fake_tp *f, unsigned chan, int err, int status, const char *reason,
                uint64_t delay_us);
/* Runs |cb| inside wait() once the clock reaches now + |delay_us|. */
void fake_timer(struct fake_tp *f, uint64_t delay_us, void (*cb)(struct fake_tp *, void *),
                void *arg);
/* Number of scheduled events/timers not yet delivered. */
size_t fake_pending(const struct fake_tp *f);

#endif
