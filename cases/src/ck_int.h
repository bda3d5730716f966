/*
 * ck_int.h - the case context shared by ck_ctx.c (the calls cases make) and
 * ck_run.c (the runner that sets it up, runs the case and collects the
 * verdict). Private to cases/src.
 */
#ifndef CASES_CK_INT_H
#define CASES_CK_INT_H

#include <setjmp.h>

#include "cases/ck.h"
#include "cases/ck_run.h"

#define CK_MAX_SESSIONS 16

struct ck_alloc {
    struct ck_alloc *next;
    /* data follows */
};

struct ck {
    const struct ck_case *cs;
    enum hx_tp tp;
    int eio, sio;
    const char *url;  /* borrowed from the runner */
    const char *path; /* borrowed */
    uint64_t seed;
    uint32_t ping_interval, ping_timeout;
    uint64_t max_payload;
    double scale;
    bool recovery;
    const struct hx_env *env;
    uint64_t t0_us;

    jmp_buf jb;
    enum ck_verdict verdict;
    char expected[512];
    char seen[1024];
    char notes[1024];

    struct hx_session *ses[CK_MAX_SESSIONS];
    size_t nses;
    struct hx_session *scratch;
    struct ck_alloc *mem;
};

/* Records a verdict with expected/seen and leaves the case. */
_Noreturn void ck_end(struct ck *c, enum ck_verdict v);

/* Frees everything the case made (sessions, allocations). */
void ck_ctx_clear(struct ck *c);

#endif
