/*
 * cli_live.h - what `siospec fuzz` and `siospec replay` share: option
 * values (durations, loopback URLs) and opening the server under test, a
 * bundled target started on a free 127.0.0.1 port or a --url one.
 */
#ifndef SIOSPEC_CLI_LIVE_H
#define SIOSPEC_CLI_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "live/hx_live_run.h"
#include "harness/hx_target.h"

/* Exit status when the run could not happen (server did not start). */
enum { CLI_COULD_NOT_RUN = 3 };

/* Where the server comes from. Strings are borrowed from argv. */
struct live_where {
    const char *target;      /* bundled name or description path, or NULL */
    const char *targets_dir; /* bundled descriptions */
    const char *url;         /* "http://127.0.0.1:PORT", or NULL */
    const char *path;        /* endpoint path with --url (NULL: /socket.io/) */
    int eio;                 /* 0: the target's preferred revision (--url: 4) */
    bool echo;               /* --url server speaks Engine.IO only */
    bool agent;              /* preload the coverage / memory agent into Node targets */
};

/* An opened server: the description (target mode) and the supervisor. */
struct live_server {
    struct hx_target_desc *desc;
    struct hx_target *t;
    char name[128]; /* target name, or the url */
    char arg[700];  /* "--target NAME" or "--url URL --path P" for replay commands */
    char path[256];
    char url[2300];      /* url mode: the full URL with the path */
    char agent_dir[256]; /* the agent's folder when the target loads it, else "" */
};

/* Parses "120", "120s", "2m", "500ms" into milliseconds (<= 24 h).
 * Returns 0 or -1. */
int live_parse_duration(const char *s, uint32_t *ms);
/* Parses an unsigned decimal <= |max|. Returns 0 or -1. */
int live_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* True when |url| is http:// on 127.0.0.0/8, ::1 or localhost. */
bool live_url_is_loopback(const char *url);

/* Loads the description (target mode), starts the server and fills |run|
 * (url, path, eio, sio). |cmd| prefixes error messages. Returns 0,
 * CLI_USAGE (bad name, unusable url) or CLI_COULD_NOT_RUN. */
int live_server_open(struct live_server *s, const struct live_where *w, const char *cmd,
                     struct hx_live_run_opts *run);
/* $SIOSPEC_TARGETS_DIR, or the source tree's harness/targets. */
const char *live_default_targets_dir(void);
/* Stops the server and frees everything. */
void live_server_close(struct live_server *s);

#endif
