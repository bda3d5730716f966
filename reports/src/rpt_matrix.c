/*
 * rpt_matrix.c - the cross-server matrix (matrix.json, matrix.md,
 * matrix.html) and the compact per-target summary. See rpt_matrix.h.
 *
 * The model is built once per call: rows are the union of the results'
 * case ids (a small open-addressing table keeps that linear), cells point
 * at the case objects of each result, and the counts and the numbered
 * baseline notes are derived from the cells, so the three forms always
 * agree.
 */
#include "rpt_int.h"

#include "reports/rpt_matrix.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- verdicts and levels ------------------------------------------------- */

enum { V_COUNT = 9, V_NONE = V_COUNT, L_COUNT = 4 };

static const char *const v_names[V_COUNT] = {"PASS",  "FAIL",  "NON-STRICT", "INFO",   "SKIP",
                                             "ERROR", "XFAIL", "XPASS",      "NOT-RUN"};
/* One letter per verdict in the HTML page's data ('-': no result). */
static const char v_code[V_COUNT + 1] = "PFNISEXYR-";
static const char *const l_names[L_COUNT] = {"MUST", "SHOULD", "MAY", "INFO"};

static int verdict_of(const cJSON *c)
{
    const char *s = rpt_str(c, "verdict");
    for (int i = 0; i < V_COUNT; i++)
        if (!strcmp(s, v_names[i]))
            return i;
    return V_NONE;
}

static int level_of(const cJSON *c)
{
    const char *s = rpt_str(c, "level");
    for (int i = 0; i < L_COUNT; i++)
        if (!strcmp(s, l_names[i]))
            return i;
    return -1;
}

/* The verdicts whose cell links to the report in matrix.md: the findings
 * (FAIL, NON-STRICT, ERROR, XFAIL, XPASS). The other cells are plain: a
 * link per cell would multiply the file's size. */
static bool md_links(int v)
{
    return v == 1 || v == 2 || v == 5 || v == 6 || v == 7;
}

/* ---- the model ----------------------------------------------------------- */

/* A baseline reason, shared by every target whose entry says the same
 * (the runner ends each reason with " (target NAME)"; that part is left
 * out, so that one deviation of several configurations is one note). */
struct mx_note {
    char *reason;
};

struct mx {
    const struct rpt_matrix_col *cols;
    size_t ncols, nrows;
    const cJSON **row_case; /* the first case object seen for each row */
    const cJSON **cell;     /* nrows * ncols; NULL: no such case */
    size_t *note;           /* nrows * ncols; baseline note number, 0 none */
    size_t (*count)[V_COUNT + 1];
    size_t (*lcount)[L_COUNT][V_COUNT + 1];
    struct mx_note *notes;
    size_t nnotes;
};

static const cJSON *col_doc(const struct mx *m, size_t c)
{
    return m->cols[c].r ? m->cols[c].r->doc : NULL;
}

/* A column is judged when it has a result whose target was reached. */
static bool col_judged(const struct mx *m, size_t c)
{
    const cJSON *d = col_doc(m, c);
    return d && rpt_num(d, "exit_code") != 3;
}

static bool col_partial(const struct mx *m, size_t c)
{
    const cJSON *d = col_doc(m, c);
    return d && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "partial"));
}

static const cJSON *col_target(const struct mx *m, size_t c)
{
    const cJSON *d = col_doc(m, c);
    return d ? cJSON_GetObjectItemCaseSensitive(d, "target") : NULL;
}

/* Why a column was not (fully) judged, or NULL. */
static const char *col_note(const struct mx *m, size_t c)
{
    if (!m->cols[c].r)
        return m->cols[c].note && *m->cols[c].note ? m->cols[c].note : "no result";
    if (!col_judged(m, c)) {
        const char *n = rpt_str(col_target(m, c), "note");
        return *n ? n : "the target could not be started or reached";
    }
    if (col_partial(m, c))
        return "interrupted: the result is partial";
    return NULL;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void mx_free(struct mx *m)
{
    for (size_t k = 0; k < m->nnotes; k++)
        free(m->notes[k].reason);
    free(m->row_case);
    free(m->cell);
    free(m->note);
    free(m->count);
    free(m->lcount);
    free(m->notes);
    memset(m, 0, sizeof *m);
}

/* |b| without a trailing " (target NAME)"; a copy to free. */
static char *note_reason(const char *b, const char *name)
{
    size_t l = strlen(b), nl = strlen(name);
    if (l > nl + 10 && b[l - 1] == ')' && !strncmp(b + l - nl - 1, name, nl) &&
        !strncmp(b + l - nl - 10, " (target ", 9))
        l -= nl + 10;
    return strndup(b, l);
}

/* Whether column |c| has a cell with note |k| (numbered from 1). */
static bool note_in_col(const struct mx *m, size_t k, size_t c)
{
    for (size_t row = 0; row < m->nrows; row++)
        if (m->note[row * m->ncols + c] == k)
            return true;
    return false;
}

static const char *case_id(const cJSON *c)
{
    return rpt_str(c, "id");
}

/* With |all|, the cells of columns that were not judged are kept too. */
static int mx_build(struct mx *m, const struct rpt_matrix_col *cols, size_t n, bool all)
{
    memset(m, 0, sizeof *m);
    m->cols = cols;
    m->ncols = n;
    size_t total = 0;
    for (size_t c = 0; c < n; c++)
        if (cols[c].r)
            total += (size_t)cJSON_GetArraySize(cols[c].r->cases);
    size_t cap = 16;
    while (cap < 2 * total + 2)
        cap *= 2;
    size_t *slot = calloc(cap, sizeof *slot); /* row index + 1 */
    /* Rows first: the union of ids in first-seen order. */
    const cJSON **rows = calloc(total + 1, sizeof *rows);
    if (!slot || !rows)
        goto oom;
    for (size_t c = 0; c < n; c++) {
        if (!cols[c].r)
            continue;
        const cJSON *cs;
        cJSON_ArrayForEach(cs, cols[c].r->cases)
        {
            const char *id = case_id(cs);
            size_t h = (size_t)hash_str(id) & (cap - 1);
            while (slot[h] && strcmp(case_id(rows[slot[h] - 1]), id) != 0)
                h = (h + 1) & (cap - 1);
            if (!slot[h]) {
                rows[m->nrows] = cs;
                slot[h] = ++m->nrows;
            }
        }
    }
    m->row_case = rows;
    rows = NULL;
    size_t cells = m->nrows * n + 1;
    m->cell = calloc(cells, sizeof *m->cell);
    m->note = calloc(cells, sizeof *m->note);
    m->count = calloc(n + 1, sizeof *m->count);
    m->lcount = calloc(n + 1, sizeof *m->lcount);
    m->notes = calloc(cells, sizeof *m->notes);
    if (!m->cell || !m->note || !m->count || !m->lcount || !m->notes)
        goto oom;
    for (size_t c = 0; c < n; c++) {
        /* A target that could not be judged has no verdicts to show (its
         * result marks every case ERROR). */
        if (!cols[c].r || (!all && !col_judged(m, c)))
            continue;
        const cJSON *cs;
        cJSON_ArrayForEach(cs, cols[c].r->cases)
        {
            const char *id = case_id(cs);
            size_t h = (size_t)hash_str(id) & (cap - 1);
            while (strcmp(case_id(m->row_case[slot[h] - 1]), id) != 0)
                h = (h + 1) & (cap - 1);
            size_t row = slot[h] - 1;
            if (!m->cell[row * n + c])
                m->cell[row * n + c] = cs;
        }
    }
    /* Counts, and the baseline notes numbered in table order. */
    for (size_t row = 0; row < m->nrows; row++)
        for (size_t c = 0; c < n; c++) {
            const cJSON *cs = m->cell[row * n + c];
            if (!cs)
                continue;
            int v = verdict_of(cs), l = level_of(cs);
            m->count[c][v]++;
            if (l >= 0)
                m->lcount[c][l][v]++;
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(cs, "baseline");
            if ((v == 6 || v == 7) && cJSON_IsString(b) && b->valuestring[0]) {
                char *reason = note_reason(b->valuestring, cols[c].name);
                if (!reason)
                    goto oom;
                size_t k = 0;
                while (k < m->nnotes && strcmp(m->notes[k].reason, reason) != 0)
                    k++;
                if (k == m->nnotes)
                    m->notes[m->nnotes++].reason = reason;
                else
                    free(reason);
                m->note[row * n + c] = k + 1;
            }
        }
    free(slot);
    return 0;
oom:
    free(slot);
    free(rows);
    mx_free(m);
    errno = ENOMEM;
    return -1;
}

static size_t col_total(const struct mx *m, size_t c)
{
    size_t t = 0;
    for (int v = 0; v <= V_COUNT; v++)
        t += m->count[c][v];
    return t;
}

/* The first result's version and seed (every column ran the same build). */
static const cJSON *first_doc(const struct mx *m)
{
    for (size_t c = 0; c < m->ncols; c++)
        if (col_doc(m, c))
            return col_doc(m, c);
    return NULL;
}

static int finish(FILE *f)
{
    if (fflush(f) != 0 || ferror(f)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}

/* ---- JSON ---------------------------------------------------------------- */

/* |s| as a JSON string; with |html|, '<', '>' and '&' escaped too so that
 * the text can sit inside a <script> element. */
static void json_str(FILE *f, const char *s, bool html)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (*p < 0x20 || (html && (*p == '<' || *p == '>' || *p == '&')))
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static cJSON *counts_json(const size_t *count, size_t total)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "total", (double)total);
    for (int v = 0; v < V_COUNT; v++)
        cJSON_AddNumberToObject(o, v_names[v], (double)count[v]);
    return o;
}

static cJSON *levels_json(size_t (*lc)[V_COUNT + 1])
{
    cJSON *o = cJSON_CreateObject();
    for (int l = 0; l < L_COUNT; l++) {
        size_t t = 0;
        for (int v = 0; v <= V_COUNT; v++)
            t += lc[l][v];
        cJSON_AddItemToObject(o, l_names[l], counts_json(lc[l], t));
    }
    return o;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    cJSON_AddStringToObject(o, k, v ? v : "");
}

static void add_copy(cJSON *o, const char *k, const cJSON *from)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, k);
    cJSON_AddItemToObject(o, k, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
}

int rpt_matrix_write_json(const struct rpt_matrix_col *cols, size_t n, FILE *f)
{
    struct mx m;
    if (mx_build(&m, cols, n, false) < 0)
        return -1;
    const cJSON *d0 = first_doc(&m);
    cJSON *doc = cJSON_CreateObject();
    add_str(doc, "schema", "siospec-matrix/1");
    add_str(doc, "tool", "siospec");
    add_str(doc, "version", d0 ? rpt_str(d0, "version") : "");
    cJSON_AddNumberToObject(doc, "seed", d0 ? rpt_num(d0, "seed") : 0);
    cJSON *ts = cJSON_AddArrayToObject(doc, "targets");
    for (size_t c = 0; c < n; c++) {
        const cJSON *d = col_doc(&m, c), *t = col_target(&m, c);
        cJSON *o = cJSON_CreateObject();
        add_str(o, "name", cols[c].name);
        add_str(o, "summary", cols[c].summary);
        add_str(o, "implementation", rpt_str(t, "implementation"));
        add_str(o, "implementation_version", rpt_str(t, "implementation_version"));
        cJSON_AddBoolToObject(o, "judged", col_judged(&m, c));
        cJSON_AddBoolToObject(o, "partial", col_partial(&m, c));
        if (d)
            cJSON_AddNumberToObject(o, "exit_code", rpt_num(d, "exit_code"));
        else
            cJSON_AddNullToObject(o, "exit_code");
        add_str(o, "note", col_note(&m, c));
        add_str(o, "start_time", rpt_str(d, "start_time"));
        cJSON_AddNumberToObject(o, "wall_ms",
                                rpt_num(cJSON_GetObjectItemCaseSensitive(d, "timing"), "wall_ms"));
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", cols[c].name, RPT_MATRIX_REPORT);
        add_str(o, "report", path);
        snprintf(path, sizeof path, "%s/result.json", cols[c].name);
        add_str(o, "result", path);
        cJSON_AddItemToObject(o, "counts", counts_json(m.count[c], col_total(&m, c)));
        cJSON_AddItemToObject(o, "levels", levels_json(m.lcount[c]));
        cJSON_AddItemToArray(ts, o);
    }
    cJSON *cs = cJSON_AddArrayToObject(doc, "cases");
    for (size_t row = 0; row < m.nrows; row++) {
        const cJSON *rc = m.row_case[row];
        cJSON *o = cJSON_CreateObject();
        static const char *const keys[] = {"id",    "case",     "group",    "title",
                                           "level", "protocol", "transport"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            add_str(o, keys[k], rpt_str(rc, keys[k]));
        cJSON *cells = cJSON_AddObjectToObject(o, "cells");
        for (size_t c = 0; c < n; c++) {
            const cJSON *cell = m.cell[row * n + c];
            if (!cell)
                continue;
            cJSON *x = cJSON_CreateObject();
            add_str(x, "verdict", rpt_str(cell, "verdict"));
            if (*rpt_str(cell, "reason"))
                add_str(x, "reason", rpt_str(cell, "reason"));
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(cell, "baseline");
            if (cJSON_IsString(b))
                add_str(x, "baseline", b->valuestring);
            if (m.note[row * n + c])
                cJSON_AddNumberToObject(x, "note", (double)m.note[row * n + c]);
            cJSON_AddItemToObject(cells, cols[c].name, x);
        }
        cJSON_AddItemToArray(cs, o);
    }
    cJSON *notes = cJSON_AddArrayToObject(doc, "baseline_notes");
    for (size_t k = 0; k < m.nnotes; k++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "note", (double)(k + 1));
        cJSON *tn = cJSON_AddArrayToObject(o, "targets");
        for (size_t c = 0; c < n; c++)
            if (note_in_col(&m, k + 1, c))
                cJSON_AddItemToArray(tn, cJSON_CreateString(cols[c].name));
        add_str(o, "reason", m.notes[k].reason);
        cJSON_AddItemToArray(notes, o);
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    mx_free(&m);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    fputs(text, f);
    fputc('\n', f);
    free(text);
    return finish(f);
}

/* ---- compact per-target summary ----------------------------------------- */

bool rpt_matrix_judged(const struct rpt_result *r)
{
    return r && rpt_num(r->doc, "exit_code") != 3 &&
           !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->doc, "partial"));
}

void rpt_drop_transcripts(struct rpt_result *r)
{
    cJSON *cs;
    cJSON_ArrayForEach(cs, r->cases)
    {
        cJSON_ReplaceItemInObjectCaseSensitive(cs, "transcript", cJSON_CreateArray());
    }
}

int rpt_summary_write(const struct rpt_result *r, FILE *f)
{
    struct rpt_matrix_col col = {.name = "", .r = r};
    struct mx m;
    if (mx_build(&m, &col, 1, true) < 0)
        return -1;
    const cJSON *t = col_target(&m, 0);
    cJSON *head = cJSON_CreateObject();
    static const char *const tkeys[] = {
        "name", "implementation", "implementation_version", "path", "eio", "sio", "profiles",
        "note"};
    for (size_t k = 0; k < sizeof tkeys / sizeof tkeys[0]; k++)
        add_copy(head, tkeys[k], t);
    char *target = cJSON_PrintUnformatted(head);
    cJSON_Delete(head);
    cJSON *counts = counts_json(m.count[0], col_total(&m, 0));
    char *ctext = cJSON_PrintUnformatted(counts);
    cJSON_Delete(counts);
    if (!target || !ctext) {
        free(target);
        free(ctext);
        mx_free(&m);
        errno = ENOMEM;
        return -1;
    }
    fputs("{\n  \"schema\": \"siospec-summary/1\",\n  \"tool\": \"siospec\",\n", f);
    fputs("  \"version\": ", f);
    json_str(f, rpt_str(r->doc, "version"), false);
    fprintf(f, ",\n  \"seed\": %.0f,\n  \"target\": %s,\n", rpt_num(r->doc, "seed"), target);
    fprintf(f, "  \"judged\": %s,\n  \"partial\": %s,\n  \"exit_code\": %.0f,\n",
            col_judged(&m, 0) ? "true" : "false", col_partial(&m, 0) ? "true" : "false",
            rpt_num(r->doc, "exit_code"));
    fprintf(f, "  \"counts\": %s,\n  \"levels\": {", ctext);
    for (int l = 0; l < L_COUNT; l++) {
        fprintf(f, "%s\n    \"%s\": {", l ? "," : "", l_names[l]);
        bool first = true;
        for (int v = 0; v < V_COUNT; v++)
            if (m.lcount[0][l][v]) {
                fprintf(f, "%s\"%s\": %zu", first ? "" : ", ", v_names[v], m.lcount[0][l][v]);
                first = false;
            }
        fputc('}', f);
    }
    fputs("\n  },\n  \"baseline\": {", f);
    bool first = true;
    for (size_t row = 0; row < m.nrows; row++)
        if (m.note[row]) {
            fprintf(f, "%s\n    ", first ? "" : ",");
            json_str(f, case_id(m.cell[row]), false);
            fputs(": ", f);
            json_str(f, rpt_str(m.cell[row], "baseline"), false);
            first = false;
        }
    fputs(first ? "},\n  \"cases\": {" : "\n  },\n  \"cases\": {", f);
    first = true;
    for (size_t row = 0; row < m.nrows; row++) {
        if (verdict_of(m.cell[row]) == 0)
            continue;
        fprintf(f, "%s\n    ", first ? "" : ",");
        json_str(f, case_id(m.cell[row]), false);
        fputs(": ", f);
        json_str(f, rpt_str(m.cell[row], "verdict"), false);
        first = false;
    }
    fputs(first ? "}\n}\n" : "\n  }\n}\n", f);
    free(target);
    free(ctext);
    mx_free(&m);
    return finish(f);
}

/* ---- Markdown ------------------------------------------------------------ */

/* |s| inside a table cell or a list item: one line, pipes escaped. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', f);
        else if (*s == '<')
            fputs("&lt;", f);
        else
            fputc(*s, f);
    }
}

static void md_level_cell(FILE *f, const size_t *lc)
{
    bool any = false;
    for (int v = 0; v < V_COUNT; v++)
        if (lc[v]) {
            fprintf(f, "%s%zu %s", any ? ", " : "", lc[v], v_names[v]);
            any = true;
        }
    if (!any)
        fputs("-", f);
}

static void md_target_head(FILE *f, const struct mx *m, size_t c)
{
    const cJSON *t = col_target(m, c);
    fprintf(f, "| [%s](%s/%s) | ", m->cols[c].name, m->cols[c].name, RPT_MATRIX_REPORT);
    md_text(f, rpt_str(t, "implementation"));
    if (*rpt_str(t, "implementation_version"))
        fprintf(f, " %s", rpt_str(t, "implementation_version"));
}

static void md_legend(FILE *f)
{
    fputs("Verdicts: **PASS**; **FAIL** a MUST broken; **NON-STRICT** a SHOULD broken; **INFO** "
          "behaviour recorded, never a failure; **SKIP** the target lacks a capability or profile; "
          "**ERROR** siospec could not judge; **XFAIL** a known deviation of the target (its "
          "baseline, see the notes), still failing; **XPASS** a baseline entry that passes now; "
          "**NOT-RUN** interrupted before it ran.\n\n",
          f);
}

int rpt_matrix_write_md(const struct rpt_matrix_col *cols, size_t n, FILE *f)
{
    struct mx m;
    if (mx_build(&m, cols, n, false) < 0)
        return -1;
    const cJSON *d0 = first_doc(&m);
    fputs("# siospec conformance matrix\n\n", f);
    fprintf(f,
            "siospec %s, seed %.0f: %zu entries (case x transport) against %zu targets, "
            "written by `siospec matrix`. A target's name links to its full report and every "
            "FAIL, NON-STRICT, ERROR, XFAIL and XPASS cell to that case in it: "
            "`<target>/report.html`, which "
            "`siospec matrix` writes next to this file (a copy of the matrix without those "
            "folders, such as the one committed in siospec's repository, has no reports to "
            "link to; `scripts/matrix.sh --keep DIR` writes them).\n\n",
            d0 ? rpt_str(d0, "version") : "?", d0 ? rpt_num(d0, "seed") : 0.0, m.nrows, n);
    md_legend(f);

    fputs("## Totals\n\n| target | implementation | cases |", f);
    for (int v = 0; v < V_COUNT; v++)
        fprintf(f, " %s |", v_names[v]);
    fputs("\n| --- | --- | ---: |", f);
    for (int v = 0; v < V_COUNT; v++)
        fputs(" ---: |", f);
    fputc('\n', f);
    for (size_t c = 0; c < n; c++) {
        md_target_head(f, &m, c);
        fprintf(f, " | %zu |", col_total(&m, c));
        for (int v = 0; v < V_COUNT; v++)
            fprintf(f, " %zu |", m.count[c][v]);
        fputc('\n', f);
    }
    fputc('\n', f);
    for (size_t c = 0; c < n; c++)
        if (col_note(&m, c)) {
            fprintf(f, "- **%s %s**: ", cols[c].name,
                    col_judged(&m, c) ? "partly judged" : "could not be judged");
            md_text(f, col_note(&m, c));
            fputc('\n', f);
        }

    fputs("\n## By level\n\n| target | implementation |", f);
    for (int l = 0; l < L_COUNT; l++)
        fprintf(f, " %s |", l_names[l]);
    fputs("\n| --- | --- |", f);
    for (int l = 0; l < L_COUNT; l++)
        fputs(" --- |", f);
    fputc('\n', f);
    for (size_t c = 0; c < n; c++) {
        md_target_head(f, &m, c);
        fputs(" |", f);
        for (int l = 0; l < L_COUNT; l++) {
            fputc(' ', f);
            md_level_cell(f, m.lcount[c][l]);
            fputs(" |", f);
        }
        fputc('\n', f);
    }

    fputs("\n## Cases\n", f);
    const char *group = NULL;
    for (size_t row = 0; row < m.nrows; row++) {
        const cJSON *rc = m.row_case[row];
        if (!group || strcmp(group, rpt_str(rc, "group")) != 0) {
            group = rpt_str(rc, "group");
            fprintf(f, "\n### %s\n\n| case | level |", group);
            for (size_t c = 0; c < n; c++)
                fprintf(f, " %s |", cols[c].name);
            fputs("\n| --- | --- |", f);
            for (size_t c = 0; c < n; c++)
                fputs(" --- |", f);
            fputc('\n', f);
        }
        fprintf(f, "| `%s` | %s |", case_id(rc), rpt_str(rc, "level"));
        for (size_t c = 0; c < n; c++) {
            const cJSON *cell = m.cell[row * n + c];
            int v = cell ? verdict_of(cell) : V_NONE;
            if (!cell)
                fputs(" - |", f);
            else if (md_links(v))
                fprintf(f, " [%s](%s/%s#q=%s&id=%s)", v_names[v], cols[c].name, RPT_MATRIX_REPORT,
                        case_id(cell), case_id(cell));
            else
                fprintf(f, " %s", v == V_NONE ? "?" : v_names[v]);
            if (cell && m.note[row * n + c])
                fprintf(f, " b%zu", m.note[row * n + c]);
            if (cell)
                fputs(" |", f);
        }
        fputc('\n', f);
    }

    if (m.nnotes) {
        fputs("\n## Baseline notes\n\nEach target's known deviations (its description file's "
              "`deviations`): a case they cover that still fails is XFAIL, one that passes is "
              "XPASS.\n\n",
              f);
        for (size_t k = 0; k < m.nnotes; k++) {
            fprintf(f, "- **b%zu**", k + 1);
            const char *sep = " ";
            for (size_t c = 0; c < n; c++)
                if (note_in_col(&m, k + 1, c)) {
                    fprintf(f, "%s`%s`", sep, cols[c].name);
                    sep = ", ";
                }
            fputs(": ", f);
            md_text(f, m.notes[k].reason);
            fputc('\n', f);
        }
    }
    mx_free(&m);
    return finish(f);
}

/* ---- HTML ---------------------------------------------------------------- */

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static const char html_css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222;background:#fff}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}\n"
    "table{border-collapse:collapse}td,th{padding:2px 6px;border:1px solid #ddd}\n"
    "th{background:#f4f4f4;text-align:left}td.n{text-align:right}td.z{color:#bbb}\n"
    "code,.id{font-family:ui-monospace,monospace;font-size:12px}\n"
    "#ctl{position:sticky;top:0;background:#fff;padding:6px 0;z-index:3}\n"
    "#ctl input,#ctl select{margin-right:1em}\n"
    "#mx th.t{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;"
    "vertical-align:bottom;padding:6px 2px}\n"
    "#mx thead th{position:sticky;top:2.4em;z-index:2}\n"
    "#mx td.c{text-align:center;padding:0;width:2.2em;font-size:12px}\n"
    "#mx td.c a{display:block;color:inherit;text-decoration:none;padding:2px 0}\n"
    "#mx tr.g th{background:#e8eef7}\n"
    "#mx th.id{font-weight:normal;position:sticky;left:0;background:#fff;z-index:1}\n"
    ".P{background:#d7f5d7}.F{background:#f7c4c4;font-weight:bold}.N{background:#fde7c0}"
    ".I{background:#dbe9fb}.S{background:#eee;color:#888}.E{background:#e3c2f0;"
    "font-weight:bold}.X{background:#f5f0b0}.Y{background:#f7a0a0;font-weight:bold}"
    ".R{background:#fff;color:#888}.M{background:#fff;color:#bbb}\n"
    ".lg span{display:inline-block;padding:0 6px;margin:0 4px 4px 0;border:1px solid #ddd}\n"
    ".note{color:#a00}\n";

/* The page's script: renders the matrix from the embedded data, filters by
 * text, level and kind of row, and keeps the filters in the URL fragment
 * (#q=...&level=...&show=...), as the per-target report does. */
static const char html_js[] =
    "(function(){\n"
    "var D=JSON.parse(document.getElementById('mx-data').textContent);\n"
    "var NAME={P:'PASS',F:'FAIL',N:'NON-STRICT',I:'INFO',S:'SKIP',E:'ERROR',X:'XFAIL',"
    "Y:'XPASS',R:'NOT-RUN','-':'no result'};\n"
    "var SHORT={P:'P',F:'F',N:'NS',I:'I',S:'S',E:'E',X:'XF',Y:'XP',R:'NR','-':'-'};\n"
    "var q=document.getElementById('q'),lv=document.getElementById('level'),"
    "sh=document.getElementById('show'),body=document.getElementById('mx-body'),"
    "cnt=document.getElementById('count');\n"
    "function esc(s){return String(s).replace(/[&<>\"]/g,function(c){return{'&':'&amp;',"
    "'<':'&lt;','>':'&gt;','\"':'&quot;'}[c];});}\n"
    "function keep(r){var v=r[5],i;\n"
    " if(lv.value&&r[1]!==lv.value)return false;\n"
    " var s=sh.value;\n"
    " if(s==='differ'){var f=null;for(i=0;i<v.length;i++){var c=v.charAt(i);"
    "if(c==='S'||c==='-')continue;if(f===null)f=c;else if(c!==f)break;}"
    "if(i===v.length)return false;}\n"
    " if(s==='bad'&&!/[FNEY]/.test(v))return false;\n"
    " if(s==='xfail'&&!/[XY]/.test(v))return false;\n"
    " if(s==='notpass'&&!/[^PS]/.test(v))return false;\n"
    " var w=q.value.toLowerCase().split(/\\s+/);\n"
    " for(i=0;i<w.length;i++)if(w[i]&&(r[0]+' '+r.t).toLowerCase().indexOf(w[i])<0)"
    "return false;\n"
    " return true;}\n"
    "var last='';for(var k=0;k<D.r.length;k++)if(typeof D.r[k]!=='string')"
    "{D.r[k].t=D.r[k][2]||last;last=D.r[k].t;}\n"
    "function render(){var h=[],g=null,n=0,cur=null,i,j;\n"
    " for(i=0;i<D.r.length;i++){var r=D.r[i];\n"
    "  if(typeof r==='string'){cur=r;continue;}\n"
    "  if(!keep(r))continue;n++;\n"
    "  if(cur!==g){g=cur;h.push('<tr class=\"g\"><th colspan=\"'+(D.t.length+2)+'\">'+"
    "esc(g)+'</th></tr>');}\n"
    "  h.push('<tr><th class=\"id\" title=\"'+esc(r.t)+'\">'+esc(r[0])+'</th><td>'+r[1]+"
    "'</td>');\n"
    "  for(j=0;j<D.t.length;j++){var c=r[5].charAt(j),x=r[6]&&r[6][j],t=D.t[j].n+': '+"
    "NAME[c]+(c==='-'&&!D.t[j].j?' (not judged)':'')+' - '+r[0]+' ('+r[1]+')',lab=SHORT[c];\n"
    "   if(c==='S')t+='\\nthe target lacks what the case needs: '+r[3]+(r[4]?' with '+r[4]:'');\n"
    "   if(x!==undefined&&x!==null){if(typeof x==='number')x=[x];if(x[1])"
    "{t+=' (baseline note b'+x[1]+': '+D.b[x[1]-1]+')';lab+='<sup>'+x[1]+'</sup>';}"
    "if(x[0]>=0)t+='\\n'+D.x[x[0]];}\n"
    "   h.push(c==='-'?'<td class=\"c M\" title=\"'+esc(t)+'\">-</td>':"
    "'<td class=\"c '+c+'\" title=\"'+esc(t)+'\"><a href=\"'+encodeURI(D.t[j].n)+"
    "'/report.html#q='+encodeURIComponent(r[0])+'&amp;id='+encodeURIComponent(r[0])+'\">'+"
    "lab+'</a></td>');}\n"
    "  h.push('</tr>');}\n"
    " body.innerHTML=h.join('');cnt.textContent=n+' of '+D.n+' entries';}\n"
    "function toHash(){var p=[];if(q.value)p.push('q='+encodeURIComponent(q.value));"
    "if(lv.value)p.push('level='+lv.value);if(sh.value!=='all')p.push('show='+sh.value);\n"
    " var h=p.length?'#'+p.join('&'):'';if(location.hash!==h)"
    "history.replaceState(null,'',h||location.pathname+location.search);}\n"
    "function fromHash(){var p=location.hash.replace(/^#/,'').split('&'),i;"
    "q.value='';lv.value='';sh.value='all';\n"
    " for(i=0;i<p.length;i++){var k=p[i].split('=')[0],v=decodeURIComponent("
    "(p[i].split('=')[1]||'').replace(/\\+/g,' '));\n"
    "  if(k==='q')q.value=v;else if(k==='level')lv.value=v;else if(k==='show')sh.value=v;}\n"
    " if(sh.selectedIndex<0)sh.value='all';if(lv.selectedIndex<0)lv.value='';render();}\n"
    "var tm;q.addEventListener('input',function(){clearTimeout(tm);tm=setTimeout(function()"
    "{toHash();render();},120);});\n"
    "lv.addEventListener('change',function(){toHash();render();});\n"
    "sh.addEventListener('change',function(){toHash();render();});\n"
    "window.addEventListener('hashchange',fromHash);\n"
    "var hd=['<tr><th>case</th><th>level</th>'];for(var j=0;j<D.t.length;j++)"
    "hd.push('<th class=\"t\" title=\"'+esc(D.t[j].s)+'\"><a href=\"'+encodeURI(D.t[j].n)+"
    "'/report.html\">'+esc(D.t[j].n)+'</a>'+(D.t[j].j?'':' <span class=\"note\">!</span>')+"
    "'</th>');\n"
    "hd.push('</tr>');document.getElementById('mx-head').innerHTML=hd.join('');\n"
    "fromHash();})();\n";

/* The distinct reasons of the page's cells (their tooltips), each stored
 * once: SKIP reasons repeat across cases and targets. */
struct strtab {
    const char **s;
    size_t n;
};

static long strtab_add(struct strtab *t, const char *s)
{
    for (size_t i = t->n; i-- > 0;) /* recent strings repeat most */
        if (!strcmp(t->s[i], s))
            return (long)i;
    t->s[t->n] = s;
    return (long)t->n++;
}

static void html_counts_table(FILE *f, const struct mx *m)
{
    fputs("<table><tr><th>target</th><th>implementation</th><th>cases</th>", f);
    for (int v = 0; v < V_COUNT; v++)
        fprintf(f, "<th class=\"%c\">%s</th>", v_code[v], v_names[v]);
    fputs("<th>MUST</th><th>SHOULD</th><th>MAY</th><th>INFO</th></tr>\n", f);
    for (size_t c = 0; c < m->ncols; c++) {
        const cJSON *t = col_target(m, c);
        fputs("<tr><th><a href=\"", f);
        html_text(f, m->cols[c].name);
        fputs("/" RPT_MATRIX_REPORT "\" title=\"", f);
        html_text(f, m->cols[c].summary ? m->cols[c].summary : "");
        fputs("\">", f);
        html_text(f, m->cols[c].name);
        fputs("</a></th><td>", f);
        html_text(f, rpt_str(t, "implementation"));
        fputc(' ', f);
        html_text(f, rpt_str(t, "implementation_version"));
        if (col_note(m, c)) {
            fputs(" <span class=\"note\">(", f);
            fputs(col_judged(m, c) ? "partly judged: " : "could not be judged: ", f);
            html_text(f, col_note(m, c));
            fputs(")</span>", f);
        }
        fprintf(f, "</td><td class=\"n\">%zu</td>", col_total(m, c));
        for (int v = 0; v < V_COUNT; v++)
            fprintf(f, "<td class=\"n%s\">%zu</td>", m->count[c][v] ? "" : " z", m->count[c][v]);
        for (int l = 0; l < L_COUNT; l++) {
            fputs("<td>", f);
            bool any = false;
            for (int v = 0; v < V_COUNT; v++)
                if (m->lcount[c][l][v]) {
                    fprintf(f, "%s%zu&nbsp;%s", any ? ", " : "", m->lcount[c][l][v], v_names[v]);
                    any = true;
                }
            fputs(any ? "</td>" : "-</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static int html_data(FILE *f, const struct mx *m)
{
    size_t n = m->ncols;
    struct strtab tab = {calloc(m->nrows * n + 1, sizeof(char *)), 0};
    if (!tab.s) {
        errno = ENOMEM;
        return -1;
    }
    fputs("<script type=\"application/json\" id=\"mx-data\">{\"t\":[", f);
    for (size_t c = 0; c < n; c++) {
        fputs(c ? ",{\"n\":" : "{\"n\":", f);
        json_str(f, m->cols[c].name, true);
        fputs(",\"s\":", f);
        json_str(f, m->cols[c].summary ? m->cols[c].summary : "", true);
        fprintf(f, ",\"j\":%s}", col_judged(m, c) ? "true" : "false");
    }
    fprintf(f, "],\"n\":%zu,\"r\":[", m->nrows);
    const char *group = NULL;
    for (size_t row = 0; row < m->nrows; row++) {
        const cJSON *rc = m->row_case[row];
        if (!group || strcmp(group, rpt_str(rc, "group")) != 0) {
            group = rpt_str(rc, "group");
            fputs(row ? ",\n" : "\n", f);
            json_str(f, group, true);
        }
        /* [id, level, title ("" = the previous row's), protocol, needs,
         * one verdict letter per target, {column: reason | [reason, note]}] */
        fputs(",\n[", f);
        json_str(f, case_id(rc), true);
        fputc(',', f);
        json_str(f, rpt_str(rc, "level"), true);
        fputc(',', f);
        const char *title = rpt_str(rc, "title");
        json_str(f, row && !strcmp(title, rpt_str(m->row_case[row - 1], "title")) ? "" : title,
                 true);
        fputc(',', f);
        json_str(f, rpt_str(rc, "protocol"), true);
        fputs(",\"", f);
        const cJSON *need;
        bool first = true;
        cJSON_ArrayForEach(need, cJSON_GetObjectItemCaseSensitive(rc, "needs"))
        {
            if (cJSON_IsString(need)) {
                fprintf(f, "%s%s", first ? "" : ", ", need->valuestring);
                first = false;
            }
        }
        fputs("\",\"", f);
        for (size_t c = 0; c < n; c++) {
            const cJSON *cell = m->cell[row * n + c];
            fputc(v_code[cell ? verdict_of(cell) : V_NONE], f);
        }
        fputc('"', f);
        /* The cells' reasons and notes, by column: {"3":12} or {"3":[12,2]}. */
        bool any = false;
        for (size_t c = 0; c < n; c++) {
            const cJSON *cell = m->cell[row * n + c];
            size_t note = m->note[row * n + c];
            /* A SKIP's reason is what the case needs: the row says that. */
            if (!cell || verdict_of(cell) == 0 || verdict_of(cell) == 4)
                continue;
            const char *reason = rpt_str(cell, "reason");
            long ri = *reason ? strtab_add(&tab, reason) : -1;
            if (ri < 0 && !note)
                continue;
            fprintf(f, "%s\"%zu\":", any ? "," : ",{", c);
            if (note)
                fprintf(f, "[%ld,%zu]", ri, note);
            else
                fprintf(f, "%ld", ri);
            any = true;
        }
        fputs(any ? "}]" : "]", f);
    }
    fputs("],\n\"x\":[", f);
    for (size_t i = 0; i < tab.n; i++) {
        fputs(i ? ",\n" : "\n", f);
        json_str(f, tab.s[i], true);
    }
    fputs("],\n\"b\":[", f);
    for (size_t k = 0; k < m->nnotes; k++) {
        fputs(k ? ",\n" : "\n", f);
        json_str(f, m->notes[k].reason, true);
    }
    fputs("]}</script>\n", f);
    free(tab.s);
    return 0;
}

int rpt_matrix_write_html(const struct rpt_matrix_col *cols, size_t n, FILE *f)
{
    struct mx m;
    if (mx_build(&m, cols, n, false) < 0)
        return -1;
    const cJSON *d0 = first_doc(&m);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>siospec conformance matrix</title>\n<style>\n",
          f);
    fputs(html_css, f);
    fputs("</style></head><body>\n<h1>siospec conformance matrix</h1>\n<p>siospec ", f);
    html_text(f, d0 ? rpt_str(d0, "version") : "?");
    fprintf(f,
            ", seed %.0f: %zu entries (case &times; transport) against %zu targets. Hover a "
            "cell for its verdict and reason. A target's name opens its full report and a cell "
            "opens that case in it (<code>&lt;target&gt;/report.html#q=&lt;id&gt;&amp;id=&lt;id&gt;"
            "</code>: filtered to it and open), "
            "which <code>siospec matrix</code> writes next to this file; a copy without those "
            "folders, such as the one committed in siospec's repository, has no reports to "
            "link to: <code>scripts/matrix.sh --keep DIR</code> writes them).</p>\n",
            d0 ? rpt_num(d0, "seed") : 0.0, m.nrows, n);
    fputs("<p class=\"lg\">", f);
    static const char *const legend[V_COUNT] = {"",
                                                "a MUST broken",
                                                "a SHOULD broken",
                                                "behaviour recorded",
                                                "the target lacks a capability",
                                                "siospec could not judge",
                                                "a baseline entry, still failing",
                                                "a baseline entry that passes now",
                                                "interrupted"};
    static const char *const shortname[V_COUNT] = {"P", "F", "NS", "I", "S", "E", "XF", "XP", "NR"};
    for (int v = 0; v < V_COUNT; v++)
        fprintf(f, "<span class=\"%c\">%s %s%s%s</span>", v_code[v], shortname[v], v_names[v],
                *legend[v] ? ": " : "", legend[v]);
    fputs("</p>\n<h2>Totals</h2>\n", f);
    html_counts_table(f, &m);
    fputs("<h2>Cases</h2>\n<div id=\"ctl\"><input id=\"q\" type=\"search\" "
          "placeholder=\"filter: case id or title words\" size=\"40\">"
          "<select id=\"level\"><option value=\"\">every level</option>",
          f);
    for (int l = 0; l < L_COUNT; l++)
        fprintf(f, "<option value=\"%s\">%s</option>", l_names[l], l_names[l]);
    fputs("</select><select id=\"show\"><option value=\"all\">every row</option>"
          "<option value=\"differ\">rows where the verdicts differ (SKIP aside)</option>"
          "<option value=\"notpass\">rows with a verdict other than PASS or SKIP</option>"
          "<option value=\"bad\">rows with a FAIL, NON-STRICT, ERROR or XPASS</option>"
          "<option value=\"xfail\">rows with a baseline entry (XFAIL, XPASS)</option>"
          "</select><span id=\"count\"></span></div>\n"
          "<noscript><p>The matrix needs JavaScript; matrix.md next to this file has the same "
          "table.</p></noscript>\n"
          "<table id=\"mx\"><thead id=\"mx-head\"></thead><tbody id=\"mx-body\"></tbody>"
          "</table>\n",
          f);
    if (m.nnotes) {
        fputs("<h2>Baseline notes</h2>\n<p>Each target's known deviations (its description "
              "file's <code>deviations</code>): a case they cover that still fails is XFAIL, one "
              "that passes is XPASS.</p>\n<ol>\n",
              f);
        for (size_t k = 0; k < m.nnotes; k++) {
            fprintf(f, "<li id=\"b%zu\"><b>b%zu</b> ", k + 1, k + 1);
            const char *sep = "";
            for (size_t c = 0; c < n; c++)
                if (note_in_col(&m, k + 1, c)) {
                    fprintf(f, "%s<code>", sep);
                    html_text(f, cols[c].name);
                    fputs("</code>", f);
                    sep = ", ";
                }
            fputs(": ", f);
            html_text(f, m.notes[k].reason);
            fputs("</li>\n", f);
        }
        fputs("</ol>\n", f);
    }
    int rc = html_data(f, &m);
    fputs("<script>\n", f);
    fputs(html_js, f);
    fputs("</script>\n</body></html>\n", f);
    mx_free(&m);
    return rc < 0 ? -1 : finish(f);
}
