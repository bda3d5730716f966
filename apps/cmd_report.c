/*
 * cmd_report.c - `siospec report RESULT.json`: renders a saved canonical
 * result into JUnit, Markdown, HTML and transcripts, and the rendering that
 * `siospec run` shares with it. Both render from the parsed JSON document
 * (reports/rpt.h), so the same result gives the same bytes either way.
 *
 * Exit status: 0 every report written, 1 a writer failed, 2 usage error or
 * a RESULT that cannot be read as a siospec result.
 */
#include "cli.h"

#include "reports/rpt.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char report_help[] =
    "usage: siospec report RESULT.json [--junit FILE] [--md FILE] [--html FILE]\n"
    "                      [--transcripts DIR] [--report DIR]\n\n"
    "Renders a canonical result written by 'siospec run --json FILE' (or --report\n"
    "DIR as DIR/result.json) again, byte for byte as 'siospec run' renders it:\n\n"
    "  --junit FILE        JUnit XML (Jenkins, GitLab and GitHub test reporters)\n"
    "  --md FILE           Markdown for a CI job summary (under 1 MiB)\n"
    "  --html FILE         one self-contained HTML report\n"
    "  --transcripts DIR   per entry DIR/<id>.txt and DIR/<id>.jsonl wire logs\n"
    "  --report DIR        all of them: DIR/junit.xml, DIR/summary.md,\n"
    "                      DIR/report.html and DIR/transcripts/\n\n"
    "FILE may be '-' for standard output. Exit status: 0 every report written,\n"
    "1 a report could not be written, 2 usage error or RESULT unreadable.\n";

int cli_mkdir_p(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    struct stat st;
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return -1;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static void join(char *out, size_t cap, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    snprintf(out, cap, "%.*s/%s", (int)n, dir, name);
}

void cli_reports_defaults(struct cli_reports *r, const char *dir)
{
    if (!dir)
        return;
    join(r->junit_buf, sizeof(r->junit_buf), dir, "junit.xml");
    join(r->md_buf, sizeof(r->md_buf), dir, "summary.md");
    join(r->html_buf, sizeof(r->html_buf), dir, "report.html");
    join(r->transcripts_buf, sizeof(r->transcripts_buf), dir, "transcripts");
    if (!r->junit)
        r->junit = r->junit_buf;
    if (!r->md)
        r->md = r->md_buf;
    if (!r->html)
        r->html = r->html_buf;
    if (!r->transcripts)
        r->transcripts = r->transcripts_buf;
}

bool cli_reports_any(const struct cli_reports *r)
{
    return r->junit || r->md || r->html || r->transcripts;
}

static void write_error(const char *cmd, const char *what, const char *path, int err)
{
    fprintf(stderr, "%s: cannot write the %s %s: %s%s\n", cmd, what, path, strerror(err),
            err == ENOSYS ? " (this build of siospec has no writer for it yet)" : "");
}

/* One file report; "-" is standard output. A failed file is removed, so
 * no stale or half-written report stays behind under its name. */
static int write_one(const char *cmd, const char *what, const char *path,
                     int (*fn)(const struct rpt_result *, FILE *), const struct rpt_result *res)
{
    if (!strcmp(path, "-")) {
        errno = 0;
        if (fn(res, stdout) != 0 || fflush(stdout) != 0) {
            write_error(cmd, what, "(standard output)", errno ? errno : EIO);
            return -1;
        }
        return 0;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        write_error(cmd, what, path, errno);
        return -1;
    }
    errno = 0;
    int rc = fn(res, f);
    int err = errno ? errno : EIO;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0) {
        write_error(cmd, what, path, err);
        unlink(path);
    }
    return rc;
}

int cli_reports_render(const char *cmd, const struct rpt_result *res, const struct cli_reports *r,
                       FILE *msg)
{
    bool junit = r->junit && write_one(cmd, "JUnit report", r->junit, rpt_junit_write, res) == 0;
    bool md = r->md && write_one(cmd, "Markdown summary", r->md, rpt_md_write, res) == 0;
    bool tr = false;
    if (r->transcripts) {
        errno = 0;
        tr = rpt_transcripts_write(res, r->transcripts) == 0;
        if (!tr)
            write_error(cmd, "transcripts in", r->transcripts, errno ? errno : EIO);
    }
    bool html = r->html && write_one(cmd, "HTML report", r->html, rpt_html_write, res) == 0;
    bool failed =
        (r->junit && !junit) || (r->md && !md) || (r->transcripts && !tr) || (r->html && !html);
    /* Where each report is; the HTML report last, the one a person opens. */
    if (junit && strcmp(r->junit, "-") != 0)
        fprintf(msg, "== JUnit report: %s\n", r->junit);
    if (md && strcmp(r->md, "-") != 0)
        fprintf(msg, "== Markdown summary: %s\n", r->md);
    if (tr)
        fprintf(msg, "== transcripts: %s/\n", r->transcripts);
    if (html && strcmp(r->html, "-") != 0)
        fprintf(msg, "== HTML report: %s\n", r->html);
    return failed ? -1 : 0;
}

int cmd_report(int argc, char **argv)
{
    struct cli_reports r = {0};
    const char *input = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(a, "--junit")         ? &r.junit
                            : !strcmp(a, "--md")          ? &r.md
                            : !strcmp(a, "--html")        ? &r.html
                            : !strcmp(a, "--transcripts") ? &r.transcripts
                            : !strcmp(a, "--report")      ? &dir
                                                          : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(report_help, stdout);
            return CLI_OK;
        } else if (slot) {
            if (!v || !v[0]) {
                fprintf(stderr, "siospec report: %s needs a value (see --help)\n", a);
                return CLI_USAGE;
            }
            *slot = v;
            i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "siospec report: unknown option '%s' (see --help)\n", a);
            return CLI_USAGE;
        } else if (input) {
            fprintf(stderr, "siospec report: one RESULT.json only (see --help)\n");
            return CLI_USAGE;
        } else {
            input = a;
        }
    }
    if (!input) {
        fprintf(stderr, "siospec report: give the RESULT.json to render (see --help)\n");
        return CLI_USAGE;
    }
    if (dir && cli_mkdir_p(dir) != 0) {
        fprintf(stderr, "siospec report: cannot create %s: %s\n", dir, strerror(errno));
        return CLI_USAGE;
    }
    cli_reports_defaults(&r, dir);
    if (!cli_reports_any(&r)) {
        fprintf(stderr, "siospec report: nothing to write: give --junit, --md, --html, "
                        "--transcripts or --report (see --help)\n");
        return CLI_USAGE;
    }
    struct rpt_result *res = NULL;
    char err[512];
    if (rpt_load_file(&res, input, err, sizeof err) != 0) {
        if (!strncmp(err, "cannot read", 11))
            fprintf(stderr, "siospec report: %s\n", err);
        else
            fprintf(stderr, "siospec report: %s: %s\n", input, err);
        return CLI_USAGE;
    }
    int rc = cli_reports_render("siospec report", res, &r, stderr);
    rpt_free(res);
    return rc == 0 ? CLI_OK : CLI_INVALID;
}
