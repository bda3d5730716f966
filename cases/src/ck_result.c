/*
 * ck_result.c - writes the canonical JSON result of a run (the one source
 * every report renders; schema in cases/schema/result.schema.json), the
 * `siospec list --json` document, and baseline files.
 */
#include "ck_int.h"

#include <stdio.h>
#include <string.h>

void ck_json_str(struct cdc_buf *b, const char *s, size_t n);

/* JSON string with every control character escaped; invalid UTF-8 bytes
 * become U+FFFD so the document always parses. */
void ck_json_str(struct cdc_buf *b, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    cdc_buf_append_byte(b, '"');
    for (size_t i = 0; i < n;) {
        uint8_t ch = p[i];
        if (ch == '"' || ch == '\\') {
            cdc_buf_append_byte(b, '\\');
            cdc_buf_append_byte(b, ch);
            i++;
        } else if (ch < 0x20 || ch == 0x7f) {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\u%04x", ch);
            cdc_buf_append_str(b, esc);
            i++;
        } else if (ch < 0x80) {
            cdc_buf_append_byte(b, ch);
            i++;
        } else {
            uint32_t cp = 0;
            size_t k = cdc_utf8_step(p + i, n - i, &cp);
            if (cp == 0xFFFD)
                cdc_buf_append_str(b, "\xEF\xBF\xBD");
            else
                cdc_buf_append(b, p + i, k);
            i += k;
        }
    }
    cdc_buf_append_byte(b, '"');
}

static void jstr(struct cdc_buf *b, const char *key, const char *v)
{
    cdc_buf_append_str(b, "\"");
    cdc_buf_append_str(b, key);
    cdc_buf_append_str(b, "\":");
    ck_json_str(b, v ? v : "", v ? strlen(v) : 0);
}

static void jnum(struct cdc_buf *b, const char *key, uint64_t v)
{
    cdc_buf_append_str(b, "\"");
    cdc_buf_append_str(b, key);
    cdc_buf_append_str(b, "\":");
    cdc_buf_append_u64(b, v);
}

/* "a,b,c" as a JSON array of strings. */
static void jlist(struct cdc_buf *b, const char *key, const char *csv)
{
    cdc_buf_append_str(b, "\"");
    cdc_buf_append_str(b, key);
    cdc_buf_append_str(b, "\":[");
    bool first = true;
    for (const char *p = csv ? csv : ""; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && p[m - 1] == ' ')
            m--;
        if (m) {
            if (!first)
                cdc_buf_append_byte(b, ',');
            first = false;
            ck_json_str(b, p, m);
        }
        p += n;
    }
    cdc_buf_append_byte(b, ']');
}

static void tps_list(struct cdc_buf *b, unsigned tps)
{
    cdc_buf_append_str(b, "\"transports\":[");
    if (tps & CK_POLLING)
        cdc_buf_append_str(b, (tps & CK_WS) ? "\"polling\",\"websocket\"" : "\"polling\"");
    else if (tps & CK_WS)
        cdc_buf_append_str(b, "\"websocket\"");
    cdc_buf_append_byte(b, ']');
}

static const char *const need_names[] = {"echo",      "sio",     "recovery", "cookie",
                                         "no-cookie", "process", "no-eio3"};

static void needs_list(struct cdc_buf *b, unsigned needs)
{
    cdc_buf_append_str(b, "\"needs\":[");
    bool first = true;
    for (unsigned i = 0; i < sizeof(need_names) / sizeof(need_names[0]); i++) {
        if (!(needs & (1u << i)))
            continue;
        if (!first)
            cdc_buf_append_byte(b, ',');
        first = false;
        ck_json_str(b, need_names[i], strlen(need_names[i]));
    }
    cdc_buf_append_byte(b, ']');
}

/* The metadata of one entry, without braces. */
static void entry_meta(struct cdc_buf *b, const struct ck_entry *e)
{
    const struct ck_case *cs = e->cs;
    jstr(b, "id", e->id);
    cdc_buf_append_byte(b, ',');
    jstr(b, "case", cs->id);
    cdc_buf_append_byte(b, ',');
    jstr(b, "group", e->g->name);
    cdc_buf_append_byte(b, ',');
    jstr(b, "title", cs->title);
    cdc_buf_append_byte(b, ',');
    jstr(b, "requirement", cs->req);
    cdc_buf_append_byte(b, ',');
    jlist(b, "spec", cs->spec);
    cdc_buf_append_byte(b, ',');
    jstr(b, "level", ck_level_name(cs->level));
    cdc_buf_append_byte(b, ',');
    jstr(b, "protocol", ck_proto_name(cs->proto));
    cdc_buf_append_byte(b, ',');
    jstr(b, "transport", e->tp == HX_TP_WS ? "websocket" : "polling");
    cdc_buf_append_byte(b, ',');
    tps_list(b, cs->tps);
    cdc_buf_append_byte(b, ',');
    jlist(b, "tags", cs->tags);
    cdc_buf_append_byte(b, ',');
    needs_list(b, cs->needs);
    cdc_buf_append_byte(b, ',');
    if (cs->origin)
        jstr(b, "origin", cs->origin);
    else
        cdc_buf_append_str(b, "\"origin\":null");
}

static int flush(struct cdc_buf *b, FILE *f)
{
    int rc = fwrite(b->p, 1, b->len, f) == b->len ? 0 : -1;
    cdc_buf_reset(b);
    return rc;
}

int ck_list_write_json(const struct ck_entry *e, size_t n, FILE *f)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    cdc_buf_append_str(&b, "{\"cases\":[");
    for (size_t i = 0; i < n; i++) {
        cdc_buf_append_str(&b, i ? ",\n{" : "\n{");
        entry_meta(&b, &e[i]);
        cdc_buf_append_byte(&b, '}');
    }
    cdc_buf_append_str(&b, "\n]}\n");
    int rc = flush(&b, f);
    cdc_buf_free(&b);
    return rc;
}

int ck_result_write_json(const struct ck_run_opts *o, const struct ck_result *res, FILE *f)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 512u << 20, NULL);
    const struct ck_target *t = &o->target;
    cdc_buf_append_str(&b, "{\"schema\":\"siospec-result/1\",");
    jstr(&b, "tool", "siospec");
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "version", o->tool_version);
    cdc_buf_append_str(&b, ",\"target\":{");
    jstr(&b, "name", t->name);
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "mode", t->url ? "url" : "process");
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "implementation", t->desc ? t->desc->implementation : "");
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "implementation_version", t->desc ? t->desc->version : "");
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "path", t->path);
    cdc_buf_append_str(&b, ",\"eio\":[");
    cdc_buf_append_str(&b, (t->eio & 8) ? ((t->eio & 16) ? "3,4" : "3") : (t->eio & 16) ? "4" : "");
    cdc_buf_append_str(&b, "],\"sio\":[");
    cdc_buf_append_str(&b, (t->sio & 16)   ? ((t->sio & 32) ? "4,5" : "4")
                           : (t->sio & 32) ? "5"
                                           : "");
    cdc_buf_append_str(&b, "],\"profiles\":[");
    bool first = true;
    for (unsigned bit = 1; bit <= HX_TARGET_PROFILE_COOKIE; bit <<= 1) {
        if (!(t->profiles & bit))
            continue;
        if (!first)
            cdc_buf_append_byte(&b, ',');
        first = false;
        const char *nm = hx_target_profile_name(bit);
        ck_json_str(&b, nm, strlen(nm));
    }
    cdc_buf_append_str(&b, "],");
    jnum(&b, "ping_interval", res->ping_interval);
    cdc_buf_append_byte(&b, ',');
    jnum(&b, "ping_timeout", res->ping_timeout);
    cdc_buf_append_byte(&b, ',');
    jnum(&b, "max_payload", res->max_payload);
    cdc_buf_append_byte(&b, ',');
    jnum(&b, "restarts", res->restarts);
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "note", res->target_note);
    cdc_buf_append_str(&b, "},");
    jnum(&b, "seed", o->seed);
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "start_time", res->start_time);
    cdc_buf_append_str(&b, ",\"partial\":");
    cdc_buf_append_str(&b, res->partial ? "true" : "false");
    cdc_buf_append_str(&b, ",\"jobs\":");
    cdc_buf_append_u64(&b, o->jobs);
    char scale[32];
    snprintf(scale, sizeof(scale), "%g", o->timeout_scale);
    cdc_buf_append_str(&b, ",\"timeout_scale\":");
    cdc_buf_append_str(&b, scale);
    cdc_buf_append_str(&b, ",\"timing\":{");
    jnum(&b, "wall_ms", res->wall_ms);
    cdc_buf_append_byte(&b, ',');
    jnum(&b, "sum_ms", res->sum_ms);
    cdc_buf_append_byte(&b, ',');
    jnum(&b, "longest_ms", res->longest_ms);
    cdc_buf_append_byte(&b, ',');
    jstr(&b, "longest_id", res->longest_id ? res->longest_id : "");
    cdc_buf_append_str(&b, "},\"summary\":{");
    jnum(&b, "total", res->n);
    for (int v = 0; v < CK_V_COUNT; v++) {
        cdc_buf_append_byte(&b, ',');
        jnum(&b, ck_verdict_name((enum ck_verdict)v), res->count[v]);
    }
    cdc_buf_append_str(&b, "},\"exit_code\":");
    cdc_buf_append_u64(&b, (uint64_t)ck_result_exit(res));
    cdc_buf_append_str(&b, ",\"cases\":[");
    int rc = 0;
    for (size_t i = 0; i < res->n && rc == 0; i++) {
        const struct ck_outcome *oc = &res->out[i];
        cdc_buf_append_str(&b, i ? ",\n{" : "\n{");
        entry_meta(&b, &res->entries[i]);
        cdc_buf_append_byte(&b, ',');
        jstr(&b, "verdict", ck_verdict_name(oc->verdict));
        cdc_buf_append_byte(&b, ',');
        jstr(&b, "raw_verdict", ck_verdict_name(oc->raw));
        cdc_buf_append_byte(&b, ',');
        jnum(&b, "duration_ms", oc->duration_ms);
        cdc_buf_append_byte(&b, ',');
        jstr(&b, "reason", oc->reason);
        cdc_buf_append_byte(&b, ',');
        jstr(&b, "expected", oc->expected);
        cdc_buf_append_byte(&b, ',');
        jstr(&b, "seen", oc->seen);
        cdc_buf_append_byte(&b, ',');
        if (oc->baseline_reason)
            jstr(&b, "baseline", oc->baseline_reason);
        else
            cdc_buf_append_str(&b, "\"baseline\":null");
        cdc_buf_append_str(&b, ",\"transcript\":");
        cdc_buf_append_str(&b, oc->transcript_json ? oc->transcript_json : "[]");
        cdc_buf_append_byte(&b, '}');
        if (b.len > (1u << 20))
            rc = flush(&b, f);
    }
    cdc_buf_append_str(&b, "\n]}\n");
    if (rc == 0)
        rc = flush(&b, f);
    cdc_buf_free(&b);
    return rc;
}

int ck_result_write_baseline(const struct ck_result *res, FILE *f, const char *why)
{
    fprintf(f, "# siospec baseline: known deviations, one per line: <case-id glob> <reason>\n"
               "# Written by --write-baseline; edit the reasons, then remove lines as they are "
               "fixed.\n");
    for (size_t i = 0; i < res->n; i++) {
        const struct ck_outcome *oc = &res->out[i];
        enum ck_verdict v = oc->raw;
        if (v != CK_V_FAIL && v != CK_V_NON_STRICT && v != CK_V_ERROR)
            continue;
        char reason[300];
        snprintf(reason, sizeof(reason), "%s", oc->reason ? oc->reason : "");
        for (char *p = reason; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        fprintf(f, "%s %s: %s %s\n", res->entries[i].id, why, ck_verdict_name(v), reason);
    }
    return ferror(f) ? -1 : 0;
}
