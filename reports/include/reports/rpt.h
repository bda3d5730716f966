/*
 * rpt.h - compliance reports rendered from the canonical result of a run
 * (the JSON document `siospec run --json` writes; schema in
 * cases/schema/result.schema.json). The one source of truth is that
 * document: `siospec run` renders its reports from it exactly as `siospec
 * report RESULT.json` does later, so both give the same bytes.
 *
 * Depends on the result document and cJSON only, never on the harness.
 * Writers return 0 or -1 (errno set, or |err| filled by rpt_load).
 */
#ifndef REPORTS_RPT_H
#define REPORTS_RPT_H

#include <stddef.h>
#include <stdio.h>

struct rpt_result;

/* Parses a result document (|len| bytes). Returns 0 with *|out| set, or -1
 * with a one-line reason in |err| (not JSON, wrong schema tag, missing
 * fields). */
int rpt_load(struct rpt_result **out, const char *json, size_t len, char *err, size_t errcap);
/* Reads and parses |path|. */
int rpt_load_file(struct rpt_result **out, const char *path, char *err, size_t errcap);
void rpt_free(struct rpt_result *r);

/* JUnit XML: one testsuite per group, one testcase per case and transport. */
int rpt_junit_write(const struct rpt_result *r, FILE *f);
/* Markdown for a CI job summary: never more than RPT_MD_MAX bytes (under
 * GitHub's 1 MiB step-summary limit); entries that do not fit are left out
 * with a note. */
#define RPT_MD_MAX (1000u * 1024u)
int rpt_md_write(const struct rpt_result *r, FILE *f);
/* One self-contained HTML file (no external assets; opens from disk). Its
 * URL fragment selects what is shown: #verdict=FAIL,ERROR&level=MUST&tag=T
 * &q=TEXT filters the cases, #id=CASE-ID opens one (link a case there). */
int rpt_html_write(const struct rpt_result *r, FILE *f);
/* Per case: DIR/<id>.txt (readable wire log) and DIR/<id>.jsonl (one JSON
 * object per event). Creates DIR (and its parents) when missing. */
int rpt_transcripts_write(const struct rpt_result *r, const char *dir);

#endif
