/*
 * rpt_util.h - what the JUnit, Markdown, transcript and HTML writers share: a
 * growable output buffer, strict UTF-8 stepping, verdict and level
 * indices, the one-line transcript format and the rerun command. Private to
 * reports/src.
 */
#ifndef REPORTS_RPT_UTIL_H
#define REPORTS_RPT_UTIL_H

#include <stdint.h>
#include <stdio.h>

#include "rpt_int.h"

/* Output buffer; on allocation failure it stops growing and sets |oom|. */
struct rpt_buf {
    char *p;
    size_t len, cap;
    int oom;
};

void rpt_buf_put(struct rpt_buf *b, const char *s, size_t n);
void rpt_buf_puts(struct rpt_buf *b, const char *s);
void rpt_buf_printf(struct rpt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rpt_buf_free(struct rpt_buf *b);
/* Writes the buffer to |f| and empties it. Returns 0, or -1 with errno set
 * (ENOMEM when the buffer ran out of memory earlier). */
int rpt_buf_flush(struct rpt_buf *b, FILE *f);

/* Decodes one UTF-8 sequence at |p| (|n| > 0 bytes left). Returns the bytes
 * it spans (at least 1) and sets *|cp|; an invalid, overlong, surrogate or
 * out-of-range sequence gives *|cp| = 0xFFFD and *|bad| = 1. */
size_t rpt_utf8_next(const unsigned char *p, size_t n, uint32_t *cp, int *bad);
/* The length of the longest prefix of |s| of at most |max| bytes that ends
 * on a UTF-8 boundary. */
size_t rpt_utf8_cut(const char *s, size_t max);

/* Verdicts in the order of the result's summary. */
enum rpt_verdict {
    RPT_PASS,
    RPT_FAIL,
    RPT_NON_STRICT,
    RPT_INFO,
    RPT_SKIP,
    RPT_ERROR,
    RPT_XFAIL,
    RPT_XPASS,
    RPT_NOT_RUN,
    RPT_V_COUNT
};
extern const char *const rpt_verdict_names[RPT_V_COUNT];
/* The case's "verdict", or -1 when it is none of the known ones. */
int rpt_verdict_of(const cJSON *c);

enum rpt_level { RPT_MUST, RPT_SHOULD, RPT_MAY, RPT_LINFO, RPT_L_COUNT };
extern const char *const rpt_level_names[RPT_L_COUNT];
/* The case's "level", or -1. */
int rpt_level_of(const cJSON *c);

/* Number member |key| of |o| as a count: 0 when absent, negative or not a
 * number; clamped to 2^53. */
unsigned long long rpt_count(const cJSON *o, const char *key);

/* Appends |s| on one line: control characters become C escapes (\n, \r,
 * \t, \xNN), at most |max| bytes of |s| (0 = all) with "..." when cut. */
void rpt_one_line(struct rpt_buf *b, const char *s, size_t max);

/* One transcript event as a readable line (no newline):
 *   "   12.345  s0  C>S  http     #1  bytes[88] \"GET / HTTP/1.1\r\n...\""
 * time since its session started in ms, session, direction, transport,
 * channel, then the escaped bytes or the decoded packet. |max| bounds the
 * data shown (0 = all). */
void rpt_tr_line(struct rpt_buf *b, const cJSON *ev, size_t max);
/* The column header matching rpt_tr_line. */
extern const char rpt_tr_header[];

/* The command that reruns just |id| against the same target and seed:
 * rpt_rerun_target, then " --filter ID --seed N". */
void rpt_rerun_cmd(struct rpt_buf *b, const cJSON *doc, const char *id);
/* Its first part: "siospec run --target NAME", or "siospec run --url URL"
 * with the --path, --echo, --eio, --sio and --profile options of the run. */
void rpt_rerun_target(struct rpt_buf *b, const cJSON *doc);

/* |id| made safe as a file name: [A-Za-z0-9._-] kept, anything else '_',
 * no leading '.', never empty. The caller frees the result. */
char *rpt_safe_name(const char *id);

/* The protocol document a spec statement id ("eio4:packet:3") belongs to,
 * as a URL, or NULL (the "ref" statements have no public document); its
 * title in *|title| when |title| is not NULL. */
const char *rpt_spec_doc_url(const char *spec_id, const char **title);

#endif
