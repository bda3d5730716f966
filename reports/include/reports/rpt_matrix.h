/*
 * rpt_matrix.h - the cross-server matrix: several targets' canonical
 * results side by side, targets x cases, one cell per verdict.
 *
 * `siospec matrix` runs the catalogue against each target (the runner's
 * job), writes each target's result and reports to OUT/<target>/, and then
 * renders the matrix from the loaded results with these functions:
 *
 *   matrix.json  every target (counts by verdict and by level) and every
 *                case with its verdict, reason and baseline per target
 *   matrix.md    the same as Markdown tables (totals, by level, one table
 *                per group; XFAIL cells refer to numbered baseline notes)
 *   matrix.html  one self-contained page (inline CSS and JS only)
 *
 * A cell links to the case in that target's HTML report:
 * <target>/report.html#q=<case id>&id=<case id> (the report's fragment:
 * the list filtered to that case, and the case open).
 *
 * The rows are the union of the results' case ids, in the order they first
 * appear (the catalogue order). A target whose result is missing, or whose
 * run could not judge it (exit_code 3: unreachable), is a column marked as
 * such, with the reason.
 *
 * Depends on the result document only, never on the harness. Writers
 * return 0 or -1 with errno set.
 */
#ifndef REPORTS_RPT_MATRIX_H
#define REPORTS_RPT_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "reports/rpt.h"

/* The file a cell links to, inside the target's folder. */
#define RPT_MATRIX_REPORT "report.html"

/* One column. */
struct rpt_matrix_col {
    const char *name;           /* target name: column header and report folder */
    const char *summary;        /* one line about the target, or NULL */
    const struct rpt_result *r; /* its result, or NULL when there is none */
    const char *note;           /* with r NULL: why there is none */
};

int rpt_matrix_write_json(const struct rpt_matrix_col *cols, size_t n, FILE *f);
int rpt_matrix_write_md(const struct rpt_matrix_col *cols, size_t n, FILE *f);
int rpt_matrix_write_html(const struct rpt_matrix_col *cols, size_t n, FILE *f);

/* A compact summary of one result (schema siospec-summary/1): the target,
 * version and seed, counts by verdict (the total is the number of cases)
 * and by level, the baseline reasons, and every case whose verdict is not
 * PASS with that verdict, one per line. No reasons, timings or transcripts:
 * it stays small (a dozen KB) and its diff shows verdict changes only.
 * What reports/matrix/<target>.json holds. */
int rpt_summary_write(const struct rpt_result *r, FILE *f);

/* True when |r| judged its target: it was reached (exit_code is not 3) and
 * the run was not interrupted. */
bool rpt_matrix_judged(const struct rpt_result *r);

/* Empties every case's transcript: the matrix needs the verdicts only, and
 * a dozen results with their transcripts take hundreds of megabytes. */
void rpt_drop_transcripts(struct rpt_result *r);

#endif
