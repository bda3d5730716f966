/*
 * hx_live_report.c - the campaign report: findings.json (machine
 * readable: header, findings, per-class counts, resource time series) and
 * findings.md (a table for humans with the replay command of each
 * finding, and one verdict per check family in Autobahn's vocabulary:
 * Pass when the family found nothing, Fail otherwise).
 */
#include "live/hx_live_run.h"

#include <stdio.h>
#include <string.h>

static int json_str(struct cdc_buf *b, const char *s)
{
    int rc = cdc_buf_append_byte(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; rc == CDC_OK && *p; p++) {
        char tmp[8];
        if (*p == '"' || *p == '\\')
            snprintf(tmp, sizeof(tmp), "\\%c", *p);
        else if (*p < 0x20)
            snprintf(tmp, sizeof(tmp), "\\u%04x", *p);
        else
            snprintf(tmp, sizeof(tmp), "%c", *p);
        rc = cdc_buf_append_str(b, tmp);
    }
    return rc == CDC_OK ? cdc_buf_append_byte(b, '"') : rc;
}

static void kv_str(struct cdc_buf *b, const char *sep, const char *k, const char *v)
{
    cdc_buf_append_str(b, sep);
    json_str(b, k);
    cdc_buf_append_byte(b, ':');
    json_str(b, v ? v : "");
}

static void kv_num(struct cdc_buf *b, const char *sep, const char *k, uint64_t v)
{
    cdc_buf_append_str(b, sep);
    json_str(b, k);
    cdc_buf_append_byte(b, ':');
    cdc_buf_append_u64(b, v);
}

static void replay_cmd(const struct hx_live_campaign_opts *o, const struct hx_live_finding *f,
                       char *out, size_t cap)
{
    if (!f->repro[0]) {
        snprintf(out, cap, "%s", "");
        return;
    }
    snprintf(out, cap, "%s %s%s%s", o->replay_cmd ? o->replay_cmd : "siospec replay", f->repro,
             o->target_arg ? " " : "", o->target_arg ? o->target_arg : "");
}

static void json_finding(struct cdc_buf *b, const struct hx_live_campaign_opts *o,
                         const struct hx_live_finding *f)
{
    char cmd[1200];
    replay_cmd(o, f, cmd, sizeof(cmd));
    kv_num(b, "{", "id", f->id);
    kv_str(b, ",", "class", hx_live_class_name(f->cls));
    kv_str(b, ",", "signature", f->sig);
    kv_str(b, ",", "detail", f->detail);
    kv_str(b, ",", "cve", f->cve);
    kv_str(b, ",", "generator", f->gen);
    kv_num(b, ",", "first_case", f->first_case);
    kv_num(b, ",", "time_to_finding_ms", f->t_ms);
    kv_num(b, ",", "hits", f->hits);
    kv_num(b, ",", "reproduced", f->reproduced);
    kv_num(b, ",", "replays", f->replays);
    kv_str(b, ",", "stability",
           !f->replays                   ? "not replayable"
           : f->reproduced == f->replays ? "deterministic"
           : f->reproduced               ? "flaky"
                                         : "not reproduced");
    kv_str(b, ",", "reproducer", f->repro);
    kv_str(b, ",", "replay_command", cmd);
    kv_num(b, ",", "original_actions", f->orig_actions);
    kv_num(b, ",", "original_bytes", f->orig_bytes);
    kv_num(b, ",", "minimised_actions", f->min_actions);
    kv_num(b, ",", "minimised_bytes", f->min_bytes);
    kv_num(b, ",", "minimise_ms", f->min_ms);
    if (f->leak_res) {
        char num[80];
        kv_str(b, ",", "leak_resource", hx_live_res_name(f->leak_res));
        kv_num(b, ",", "leak_repeats", f->leak_repeats);
        kv_num(b, ",", "probe_repeats", f->orig_repeats);
        snprintf(num, sizeof(num), ",\"growth_per_repeat\":%.1f", f->leak_per_repeat);
        cdc_buf_append_str(b, num);
    }
    cdc_buf_append_byte(b, '}');
}

static void json_report(struct cdc_buf *b, const struct hx_live_campaign_opts *o,
                        const struct hx_live_run_opts *r, const struct hx_live_campaign *res)
{
    kv_str(b, "{", "tool", "siospec fuzz");
    kv_str(b, ",", "target", o->target);
    kv_str(b, ",", "version", o->version);
    kv_str(b, ",", "path", r->path);
    kv_num(b, ",", "eio", (uint64_t)r->eio);
    kv_num(b, ",", "sio", (uint64_t)r->sio);
    kv_num(b, ",", "seed", o->seed);
    kv_num(b, ",", "elapsed_ms", res->elapsed_ms);
    kv_num(b, ",", "cases", res->cases);
    char rate[48];
    snprintf(rate, sizeof(rate), ",\"cases_per_s\":%.2f",
             res->elapsed_ms ? (double)res->cases * 1000.0 / (double)res->elapsed_ms : 0.0);
    cdc_buf_append_str(b, rate);
    kv_num(b, ",", "fuzzing_ms", res->active_ms);
    snprintf(rate, sizeof(rate), ",\"fuzzing_cases_per_s\":%.2f",
             res->active_ms ? (double)res->cases * 1000.0 / (double)res->active_ms : 0.0);
    cdc_buf_append_str(b, rate);
    kv_num(b, ",", "restarts", res->restarts);
    kv_num(b, ",", "jobs", res->jobs);
    kv_num(b, ",", "answer_shapes", res->shapes);
    kv_num(b, ",", "server_coverage_features", res->cov_features);
    cdc_buf_append_str(b,
                       res->have_cov ? ",\"server_coverage\":true" : ",\"server_coverage\":false");
    kv_num(b, ",", "corpus_entries", res->corpus_n);
    kv_num(b, ",", "corpus_new", res->corpus_new);
    kv_num(b, ",", "leak_probes", res->leak_probes);
    kv_num(b, ",", "case_errors", res->case_errors);
    cdc_buf_append_str(b,
                       res->stopped_early ? ",\"stopped_early\":true" : ",\"stopped_early\":false");
    kv_str(b, ",", "status", res->why[0] ? res->why : "completed");
    cdc_buf_append_str(b, ",\"expect\":[");
    for (size_t i = 0; i < o->n_expect; i++) {
        if (i)
            cdc_buf_append_byte(b, ',');
        json_str(b, o->expect[i]);
    }
    cdc_buf_append_str(b, hx_live_expect_met(o, res) ? "],\"expect_met\":true"
                                                     : "],\"expect_met\":false");
    cdc_buf_append_str(b, ",\"per_class\":{");
    for (int c = 1; c < HX_LIVE_NCLASSES; c++)
        kv_num(b, c > 1 ? "," : "", hx_live_class_name(c), res->per_class[c]);
    cdc_buf_append_str(b, "},\"findings\":[");
    for (size_t i = 0, k = 0; i < res->nf; i++) {
        if (res->f[i].cls == HX_LIVE_NONE) /* merged into another finding */
            continue;
        if (k++)
            cdc_buf_append_byte(b, ',');
        json_finding(b, o, &res->f[i]);
    }
    cdc_buf_append_str(b, "],\"samples\":[");
    for (size_t i = 0; i < res->ns; i++) {
        const struct hx_live_sample *s = &res->samples[i];
        kv_num(b, i ? ",{" : "{", "t_ms", s->t_ms);
        kv_num(b, ",", "rss_kb", s->rss_kb);
        kv_num(b, ",", "threads", s->threads);
        kv_num(b, ",", "fds", s->fds);
        cdc_buf_append_byte(b, '}');
    }
    cdc_buf_append_str(b, "]}\n");
}

static void md_cell(struct cdc_buf *b, const char *s)
{
    cdc_buf_append_str(b, " ");
    for (; *s; s++)
        cdc_buf_append_str(b, *s == '|' ? "\\|" : *s == '\n' ? " " : (char[2]){*s, 0});
    cdc_buf_append_str(b, " |");
}

static void md_report(struct cdc_buf *b, const struct hx_live_campaign_opts *o,
                      const struct hx_live_campaign *res)
{
    char line[1600];
    snprintf(line, sizeof(line),
             "# siospec fuzz: %s%s%s\n\nseed %llu, %llu cases in %.1f s (%.1f cases/s, %u "
             "sessions at once), %u server restarts%s\n\nfeedback: %llu answer shapes, %s%llu "
             "server coverage features, corpus %zu entries (%zu new), %llu leak probes\n\n",
             o->target ? o->target : "?", o->version ? " " : "", o->version ? o->version : "",
             (unsigned long long)o->seed, (unsigned long long)res->cases,
             (double)res->elapsed_ms / 1000.0,
             res->elapsed_ms ? (double)res->cases * 1000.0 / (double)res->elapsed_ms : 0.0,
             res->jobs, res->restarts,
             res->stopped_early ? ", stopped early: every expected CVE found" : "",
             (unsigned long long)res->shapes, res->have_cov ? "" : "no server coverage, ",
             (unsigned long long)res->cov_features, res->corpus_n, res->corpus_new,
             (unsigned long long)res->leak_probes);
    cdc_buf_append_str(b, line);
    cdc_buf_append_str(b, "| id | class | signature | CVE | first case | time to finding | "
                          "reproduced | minimised (actions/bytes) | replay |\n"
                          "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < res->nf; i++) {
        const struct hx_live_finding *f = &res->f[i];
        char cmd[1200], num[160];
        if (f->cls == HX_LIVE_NONE)
            continue;
        replay_cmd(o, f, cmd, sizeof(cmd));
        snprintf(num, sizeof(num), "| %u |", f->id);
        cdc_buf_append_str(b, num);
        md_cell(b, hx_live_class_name(f->cls));
        if (f->leak_res) {
            char sig[400];
            snprintf(sig, sizeof(sig), "%s (%.1f per repeat, %u repeats)", f->sig,
                     f->leak_per_repeat, f->leak_repeats);
            md_cell(b, sig);
        } else {
            md_cell(b, f->sig);
        }
        md_cell(b, f->cve[0] ? f->cve : "-");
        snprintf(num, sizeof(num), " %llu | %.1f s | %u/%u | %zu/%zu (from %zu/%zu) |",
                 (unsigned long long)f->first_case, (double)f->t_ms / 1000.0, f->reproduced,
                 f->replays, f->min_actions, f->min_bytes, f->orig_actions, f->orig_bytes);
        cdc_buf_append_str(b, num);
        md_cell(b, cmd[0] ? cmd : "-");
        cdc_buf_append_str(b, "\n");
    }
    cdc_buf_append_str(b, "\n| check family | verdict | cases |\n| --- | --- | --- |\n");
    for (int c = 1; c < HX_LIVE_NCLASSES; c++) {
        bool any = false;
        for (size_t i = 0; i < res->nf; i++)
            any = any || res->f[i].cls == c;
        snprintf(line, sizeof(line), "| %s | %s | %llu |\n", hx_live_class_name(c),
                 any ? "Fail" : "Pass", (unsigned long long)res->per_class[c]);
        cdc_buf_append_str(b, line);
    }
}

static int write_file(const char *dir, const char *name, const struct cdc_buf *b, char *why,
                      size_t cap)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(b->p, 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        snprintf(why, cap, "cannot write %s", path);
    return ok ? HX_OK : HX_ERR_TRANSPORT;
}

int hx_live_report_write(const struct hx_live_campaign_opts *o, const struct hx_live_run_opts *r,
                         const struct hx_live_campaign *res, char *why, size_t cap)
{
    struct cdc_buf j, m;
    cdc_buf_init(&j, 64u << 20, NULL);
    cdc_buf_init(&m, 64u << 20, NULL);
    json_report(&j, o, r, res);
    md_report(&m, o, res);
    int rc = write_file(o->out_dir, "findings.json", &j, why, cap);
    if (rc == HX_OK)
        rc = write_file(o->out_dir, "findings.md", &m, why, cap);
    cdc_buf_free(&j);
    cdc_buf_free(&m);
    return rc;
}
