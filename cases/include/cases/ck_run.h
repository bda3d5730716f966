/*
 * ck_run.h - the catalogue as a list, and the runner: schedules cases on
 * worker threads against one target, judges them, applies baselines and
 * builds the canonical result (a JSON document, schema in
 * cases/schema/result.schema.json).
 *
 * The runner owns the target's process: it starts it, watches it while
 * cases run, and restarts it when it dies. Cases that ran while the server
 * died are run again one at a time, so that a crash is charged to the case
 * that causes it.
 */
#ifndef CASES_CK_RUN_H
#define CASES_CK_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cases/ck.h"
#include "harness/hx_target.h"

enum ck_verdict {
    CK_V_PASS = 0,
    CK_V_FAIL = 1,       /* a MUST broken */
    CK_V_NON_STRICT = 2, /* a SHOULD broken */
    CK_V_INFO = 3,       /* recorded, never fails a run */
    CK_V_SKIP = 4,       /* target lacks a capability or profile */
    CK_V_ERROR = 5,      /* siospec could not judge */
    CK_V_XFAIL = 6,      /* a baseline entry, still failing */
    CK_V_XPASS = 7,      /* a baseline entry that now passes: fails the run */
    CK_V_NOTRUN = 8,     /* interrupted before it ran */
    CK_V_COUNT = 9,
};

/* "PASS", "FAIL", "NON-STRICT", "INFO", "SKIP", "ERROR", "XFAIL", "XPASS",
 * "NOT-RUN". */
const char *ck_verdict_name(enum ck_verdict v);
/* "MUST", "SHOULD", "MAY", "INFO". */
const char *ck_level_name(enum ck_level l);
const char *ck_proto_name(enum ck_proto p);

/* The groups, in catalogue order (cases/catalogue.c). */
extern const struct ck_group *const ck_groups[];
extern const size_t ck_ngroups;

/* One case on one transport: what `siospec list` shows and the runner runs. */
struct ck_entry {
    const struct ck_case *cs;
    const struct ck_group *g;
    enum hx_tp tp;
    char id[160]; /* cs->id + ".polling" / ".ws" */
};

/* Expands the catalogue; the caller frees *out. Returns the count. */
size_t ck_catalogue(struct ck_entry **out);
/* True when |id| matches one of |globs| (fnmatch); n == 0 matches all. */
bool ck_glob_any(const char *id, const char *const *globs, size_t n);

/* A baseline: known deviations, each a case glob and a reason. */
struct ck_baseline_entry {
    char *glob;
    char *reason;
    char *source; /* "target sio4" or the file name */
};
struct ck_baseline {
    struct ck_baseline_entry *e;
    size_t n;
};
/* Reads a baseline file (lines "<glob> <reason>", '#' comments). Returns 0
 * or -1 with a message in |err|. */
int ck_baseline_load(struct ck_baseline *b, const char *file, char *err, size_t errcap);
/* Adds a target's known deviations. */
int ck_baseline_add_target(struct ck_baseline *b, const struct hx_target_desc *d);
const struct ck_baseline_entry *ck_baseline_match(const struct ck_baseline *b, const char *id);
void ck_baseline_free(struct ck_baseline *b);

/* What the runner runs against. */
struct ck_target {
    const char *name;                  /* "sio4", or the URL in url mode */
    const struct hx_target_desc *desc; /* NULL in url mode without --target */
    const char *url;                   /* url mode: "http://HOST:PORT[/path/]" */
    const char *path;                  /* endpoint path */
    unsigned eio;                      /* bits (1u << v) */
    unsigned sio;                      /* bits; 0 = Engine.IO-only echo server */
    unsigned profiles;                 /* enum hx_target_profile bits */
};

struct ck_run_opts {
    struct ck_target target;
    int only_eio; /* 0, 3 or 4 */
    unsigned jobs;
    const char *const *filters;
    size_t nfilters;
    const char *const *excludes;
    size_t nexcludes;
    const struct ck_baseline *baseline;
    uint64_t seed;
    double timeout_scale;
    FILE *progress; /* NULL: quiet */
    bool tty;       /* live counter */
    bool color;
    const char *tool_version;
};

/* The outcome of one entry. */
struct ck_outcome {
    enum ck_verdict verdict; /* after the baseline */
    enum ck_verdict raw;     /* before the baseline */
    uint32_t duration_ms;
    char *reason; /* one line; "" on PASS */
    char *expected;
    char *seen;
    char *baseline_reason; /* XFAIL/XPASS: the entry's reason */
    char *transcript_json; /* JSON array text */
};

struct ck_result {
    struct ck_entry *entries; /* selected entries, in catalogue order */
    struct ck_outcome *out;
    size_t n;
    size_t count[CK_V_COUNT];
    uint64_t wall_ms, sum_ms, longest_ms;
    const char *longest_id;
    bool partial;     /* interrupted */
    bool unreachable; /* the target could not be started or reached */
    char target_note[512];
    char start_time[40];
    uint32_t ping_interval, ping_timeout;
    uint64_t max_payload;
    unsigned restarts;
};

/* Set from a signal handler: stop starting cases. */
void ck_run_interrupt(void);

/* Runs the selected cases. Returns 0 when the run happened (see the result
 * for verdicts), -1 when the target could not be started or reached
 * (|res->unreachable|, note in |res->target_note|). */
int ck_run(const struct ck_run_opts *o, struct ck_result *res);
/* The process exit code for a result: 0 every case as expected, 1 some
 * FAIL / ERROR / XPASS (or interrupted), 3 unreachable. */
int ck_result_exit(const struct ck_result *res);
/* Writes the canonical JSON result. Returns 0 or -1 (errno set). */
int ck_result_write_json(const struct ck_run_opts *o, const struct ck_result *res, FILE *f);
/* Writes today's FAIL / NON-STRICT / ERROR ids as a baseline file. */
int ck_result_write_baseline(const struct ck_result *res, FILE *f, const char *why);
void ck_result_free(struct ck_result *res);

/* `siospec coverage`: reads the statement table |table| (TSV: id, doc,
 * section, kind, summary, no_case), counts the statements each case names,
 * and prints covered / total per document and section to |out| (JSON with
 * |json|). With |check|, every statement must have a case or a no_case
 * reason and every statement a case names must exist; problems go to
 * |err|; |max_open| >= 0 tolerates that many statements with neither (a
 * ratchet while the catalogue grows). Returns 0, 1 (check failed) or 2 (the
 * table cannot be read). */
int ck_coverage(const char *table, bool json, bool check, long max_open, FILE *out, FILE *err);

/* `siospec list --json` document. */
int ck_list_write_json(const struct ck_entry *e, size_t n, FILE *f);

#endif
