/*
 * rpt_transcript.c - per entry, its wire transcript as DIR/<id>.txt (a
 * readable log, one event a line, after a short header of what the case
 * checks and what it concluded) and DIR/<id>.jsonl (one JSON object per
 * event: t_ms, session, dir, tp, chan, kind, len, data).
 *
 * Times are milliseconds since the event's session started (a case may
 * open several sessions). "bytes" events show the wire bytes C-escaped as
 * the result holds them; "text" events are the decoded packet or a note.
 */
#include "rpt_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* mkdir -p. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    if (rc == 0) {
        struct stat st;
        if (stat(dir, &st) != 0)
            return -1;
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            return -1;
        }
    }
    return rc;
}

/* |s| as a JSON string: controls escaped, invalid UTF-8 as U+FFFD. */
static void json_str(struct rpt_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, run = 0;
    rpt_buf_puts(b, "\"");
    while (i < n) {
        unsigned char c = p[i];
        char esc[8];
        size_t step = 1;
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c, esc[2] = '\0';
        } else if (c == '\n') {
            memcpy(esc, "\\n", 3);
        } else if (c == '\r') {
            memcpy(esc, "\\r", 3);
        } else if (c == '\t') {
            memcpy(esc, "\\t", 3);
        } else if (c < 0x20) {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
        } else if (c < 0x80) {
            i++;
            continue;
        } else {
            uint32_t cp;
            int bad;
            step = rpt_utf8_next(p + i, n - i, &cp, &bad);
            if (!bad) {
                i += step;
                continue;
            }
            memcpy(esc, "\xEF\xBF\xBD", 4);
        }
        rpt_buf_put(b, s + run, i - run);
        rpt_buf_puts(b, esc);
        i += step;
        run = i;
    }
    rpt_buf_put(b, s + run, n - run);
    rpt_buf_puts(b, "\"");
}

static void head_line(struct rpt_buf *b, const char *label, const char *v)
{
    if (!v[0])
        return;
    rpt_buf_printf(b, "# %s: ", label);
    rpt_one_line(b, v, 0);
    rpt_buf_puts(b, "\n");
}

static void render_txt(struct rpt_buf *b, const cJSON *doc, const cJSON *c)
{
    rpt_buf_puts(b, "# siospec wire transcript: ");
    rpt_one_line(b, rpt_str(c, "id"), 0);
    rpt_buf_puts(b, "\n");
    head_line(b, "title", rpt_str(c, "title"));
    rpt_buf_puts(b, "# verdict: ");
    rpt_one_line(b, rpt_str(c, "verdict"), 0);
    if (strcmp(rpt_str(c, "verdict"), rpt_str(c, "raw_verdict")) != 0) {
        rpt_buf_puts(b, " (raw ");
        rpt_one_line(b, rpt_str(c, "raw_verdict"), 0);
        rpt_buf_puts(b, ")");
    }
    rpt_buf_puts(b, ", level ");
    rpt_one_line(b, rpt_str(c, "level"), 0);
    rpt_buf_puts(b, ", transport ");
    rpt_one_line(b, rpt_str(c, "transport"), 0);
    rpt_buf_printf(b, ", %llu ms\n", rpt_count(c, "duration_ms"));
    head_line(b, "requirement", rpt_str(c, "requirement"));
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(c, "spec"), *s;
    if (cJSON_GetArraySize(spec) > 0) {
        rpt_buf_puts(b, "# spec:");
        cJSON_ArrayForEach(s, spec) if (cJSON_IsString(s))
        {
            rpt_buf_puts(b, " ");
            rpt_one_line(b, s->valuestring, 0);
        }
        rpt_buf_puts(b, "\n");
    }
    head_line(b, "expected", rpt_str(c, "expected"));
    head_line(b, "seen", rpt_str(c, "seen"));
    if (!rpt_str(c, "expected")[0] && !rpt_str(c, "seen")[0])
        head_line(b, "reason", rpt_str(c, "reason"));
    head_line(b, "baseline", rpt_str(c, "baseline"));
    rpt_buf_puts(b, "# rerun: ");
    rpt_rerun_cmd(b, doc, rpt_str(c, "id"));
    rpt_buf_puts(b, "\n#\n");
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(c, "transcript"), *ev;
    if (cJSON_GetArraySize(tr) == 0) {
        rpt_buf_puts(b, "# (no wire events)\n");
        return;
    }
    rpt_buf_printf(b, "%s\n", rpt_tr_header);
    cJSON_ArrayForEach(ev, tr)
    {
        rpt_tr_line(b, ev, 0);
        rpt_buf_puts(b, "\n");
    }
}

static void render_jsonl(struct rpt_buf *b, const cJSON *c)
{
    const cJSON *tr = cJSON_GetObjectItemCaseSensitive(c, "transcript"), *ev;
    cJSON_ArrayForEach(ev, tr)
    {
        unsigned long long t = rpt_count(ev, "t_us");
        rpt_buf_printf(b, "{\"t_ms\":%llu.%03llu,\"session\":%llu,\"dir\":", t / 1000, t % 1000,
                       rpt_count(ev, "session"));
        json_str(b, rpt_str(ev, "dir"));
        rpt_buf_puts(b, ",\"tp\":");
        json_str(b, rpt_str(ev, "tp"));
        rpt_buf_printf(b, ",\"chan\":%llu,\"kind\":", rpt_count(ev, "chan"));
        json_str(b, rpt_str(ev, "kind"));
        rpt_buf_printf(b, ",\"len\":%llu,\"data\":", rpt_count(ev, "len"));
        json_str(b, rpt_str(ev, "data"));
        rpt_buf_puts(b, "}\n");
    }
}

static int write_file(const char *dir, const char *name, const char *ext, struct rpt_buf *b)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s%s", dir, name, ext) < 0)
        return -1;
    FILE *f = fopen(path, "w");
    free(path);
    if (!f)
        return -1;
    int rc = rpt_buf_flush(b, f);
    int saved = errno;
    if (fclose(f) != 0 && rc == 0)
        return -1;
    errno = saved;
    return rc;
}

int rpt_transcripts_write(const struct rpt_result *r, const char *dir)
{
    if (make_dirs(dir) != 0)
        return -1;
    const cJSON *c;
    struct rpt_buf b = {0};
    int rc = 0;
    cJSON_ArrayForEach(c, r->cases)
    {
        char *name = rpt_safe_name(rpt_str(c, "id"));
        if (!name) {
            rc = -1;
            break;
        }
        render_txt(&b, r->doc, c);
        rc = write_file(dir, name, ".txt", &b);
        if (rc == 0) {
            render_jsonl(&b, c);
            rc = write_file(dir, name, ".jsonl", &b);
        }
        free(name);
        b.len = 0;
        if (rc != 0)
            break;
    }
    int saved = errno;
    rpt_buf_free(&b);
    errno = saved;
    return rc;
}
