/*
 * fx.h - a fixture for the session unit tests: fake clock, fake server and
 * a session on them, plus small helpers.
 */
#ifndef HARNESS_TESTS_FX_H
#define HARNESS_TESTS_FX_H

#include "fake_server.h"
#include "th_run.h"

#include "harness/hx_session.h"
#include "harness/hx_sio.h"

struct fx {
    struct hx_fake_clock clk;
    struct fsrv srv;
    struct hx_session *s;
    uint64_t t0;
};

/* Allocates a fixture; |so| and |o| may be NULL. The session is created but
 * not opened. */
struct fx *fx_new(const struct fsrv_opts *so, const struct hx_session_opts *o);
/* Creates and opens over |tp|; asserts success. */
struct fx *fx_open(const struct fsrv_opts *so, const struct hx_session_opts *o, enum hx_tp tp);
void fx_del(struct fx *x);
/* Deadline |ms| after now. */
uint64_t fx_in(struct fx *x, uint32_t ms);
/* Fake milliseconds since the fixture was made. */
double fx_ms(const struct fx *x);
/* The item's raw bytes as a NUL-terminated string (static buffer). */
const char *fx_str(struct cdc_span s);

#endif
