/*
 * cli.h - shared pieces of the siospec command line: subcommand entry
 * points, input reading and JSON output helpers.
 */
#ifndef SIOSPEC_CLI_H
#define SIOSPEC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codec/cdc.h"

/* Exit codes shared by every subcommand. */
enum {
    CLI_OK = 0,      /* success / every verdict acceptable */
    CLI_INVALID = 1, /* invalid input, failed cases or findings */
    CLI_USAGE = 2,   /* bad command line, unreadable file */
};

int cmd_decode(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_report(int argc, char **argv);

struct rpt_result;

/* The reports `siospec run` and `siospec report` write (NULL = not
 * wanted; "-" = standard output for the file reports). */
struct cli_reports {
    const char *junit, *md, *html, *transcripts;
    char junit_buf[4096], md_buf[4096], html_buf[4096], transcripts_buf[4096];
};

/* Fills the outputs not given with DIR's default names: DIR/junit.xml,
 * DIR/summary.md, DIR/report.html, DIR/transcripts (|dir| NULL: none). */
void cli_reports_defaults(struct cli_reports *r, const char *dir);
bool cli_reports_any(const struct cli_reports *r);
/* Renders every wanted report from |res|: a writer that fails prints why
 * on stderr (and its file is removed), the others still run. Prints where
 * each report went to |msg|, the HTML report last. Returns 0, or -1 when
 * any writer failed. */
int cli_reports_render(const char *cmd, const struct rpt_result *res, const struct cli_reports *r,
                       FILE *msg);
/* mkdir -p |dir|. Returns 0 or -1 with errno set. */
int cli_mkdir_p(const char *dir);

/* Reads all of |path| ("-" or NULL = stdin), at most |max| bytes (one more
 * byte than |max| is read so the caller can see the input was too large).
 * Returns 0 or -1 with a message on stderr. The caller frees |*out|. */
int cli_read_input(const char *path, size_t max, uint8_t **out, size_t *len);

/* Appends |s| as a JSON string; invalid UTF-8 becomes U+FFFD. */
int cli_json_str(struct cdc_buf *b, const uint8_t *s, size_t n);

/* Writes {"error":NAME,"offset":N,"message":"..."} and a newline to stdout. */
void cli_print_error(int err, const struct cdc_diag *d, const char *hint);

/* Parses "3"/"4" style version flags; returns -1 if not one of |a|,|b|. */
int cli_parse_version(const char *s, int a, int b);

/* The options decode and encode share. */
enum cli_layer { LAYER_EIO = 0, LAYER_PAYLOAD = 1, LAYER_SIO = 2 };

struct codec_cli {
    enum cli_layer layer;
    struct cdc_opts o;
    int binary;       /* eio: binary WS frame; payload: v3 XHR2 binary form */
    const char *file; /* NULL = stdin */
};

/* Parses the shared options. Returns 0 to go on, 1 when --help was printed,
 * -1 on a usage error (message already on stderr). */
int cli_codec_args(int argc, char **argv, const char *cmd, const char *help, struct codec_cli *c);

/* Appends the canonical JSON array of the quirk bits in |q| as
 * ,"quirks":[...] (nothing when |q| is 0). */
int cli_json_quirks(struct cdc_buf *b, uint32_t q);

#endif
