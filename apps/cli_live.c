/*
 * cli_live.c - shared pieces of `siospec fuzz` and `siospec replay`:
 * option parsing helpers and opening the server under test (a bundled
 * target on a free loopback port, or a --url server on loopback only).
 */
#include "cli.h"
#include "cli_live.h"

#include "harness/hx_net.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef SIOSPEC_TARGETS_DIR
#define SIOSPEC_TARGETS_DIR "harness/targets"
#endif

int live_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!s || !isdigit((unsigned char)s[0]))
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int live_parse_duration(const char *s, uint32_t *ms)
{
    char *end;
    errno = 0;
    if (!s || !isdigit((unsigned char)s[0]))
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned long long mult = !*end || !strcmp(end, "s") ? 1000
                              : !strcmp(end, "ms")       ? 1
                              : !strcmp(end, "m")        ? 60000
                                                         : 0;
    if (errno || !mult || v > 86400000ull / mult)
        return -1;
    *ms = (uint32_t)(v * mult);
    return 0;
}

bool live_url_is_loopback(const char *url)
{
    static const char *const hosts[] = {"127.", "localhost:", "localhost/", "[::1]"};
    if (!url || strncmp(url, "http://", 7) != 0)
        return false;
    const char *h = url + 7;
    if (!strcmp(h, "localhost"))
        return true;
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
        if (!strncmp(h, hosts[i], strlen(hosts[i])))
            return true;
    return false;
}

static int open_url(struct live_server *s, const struct live_where *w, const char *cmd,
                    struct hx_live_run_opts *run)
{
    struct hx_target_diag diag = {{0}};
    if (!live_url_is_loopback(w->url)) {
        fprintf(stderr,
                "siospec %s: --url must be http:// on a loopback address (127.0.0.0/8, "
                "::1, localhost): %s\n",
                cmd, w->url);
        return CLI_USAGE;
    }
    const char *path = w->path ? w->path : w->echo ? "/engine.io/" : "/socket.io/";
    char full[2048];
    snprintf(full, sizeof(full), "%s%s", w->url, path);
    snprintf(s->url, sizeof(s->url), "%s", full);
    snprintf(s->name, sizeof(s->name), "%s", w->url);
    snprintf(s->path, sizeof(s->path), "%s", path);
    snprintf(s->arg, sizeof(s->arg), "--url %s --path %s%s", w->url, path,
             w->echo ? " --echo" : "");
    if (hx_target_new_url(&s->t, full, NULL, NULL, &diag) != HX_TARGET_OK) {
        fprintf(stderr, "siospec %s: %s\n", cmd, diag.msg);
        return CLI_USAGE;
    }
    if (hx_target_start(s->t, &diag) != HX_TARGET_OK) {
        fprintf(stderr, "siospec %s: the server at %s does not answer: %s\n", cmd, full, diag.msg);
        return CLI_COULD_NOT_RUN;
    }
    run->eio = w->eio ? w->eio : 4;
    run->sio = w->echo ? 0 : run->eio == 4 ? 5 : 4;
    return 0;
}

static int open_target(struct live_server *s, const struct live_where *w, const char *cmd,
                       struct hx_live_run_opts *run)
{
    struct hx_target_diag diag = {{0}};
    char file[4096];
    if (strchr(w->target, '/') || strstr(w->target, ".json"))
        snprintf(file, sizeof(file), "%s", w->target);
    else
        snprintf(file, sizeof(file), "%s/%s.json", w->targets_dir, w->target);
    if (hx_target_desc_load(&s->desc, file, &diag) != HX_TARGET_OK) {
        fprintf(stderr, "siospec %s: %s\n", cmd, diag.msg);
        return CLI_USAGE;
    }
    const struct hx_target_desc *d = s->desc;
    int eio = w->eio ? w->eio : (d->eio & (1u << 4)) ? 4 : 3;
    if (!(d->eio & (1u << eio))) {
        fprintf(stderr, "siospec %s: %s does not serve Engine.IO %d\n", cmd, d->name, eio);
        return CLI_USAGE;
    }
    snprintf(s->name, sizeof(s->name), "%s", d->name);
    snprintf(s->arg, sizeof(s->arg), "--target %s", w->target);
    /* The agent must be in the environment before the first start. */
    if (w->agent && hx_live_agent_setup(s->desc, s->agent_dir, sizeof(s->agent_dir)) != 0)
        s->agent_dir[0] = 0;
    snprintf(s->path, sizeof(s->path), "%s", d->path);
    if (hx_target_new(&s->t, d, NULL, &diag) != HX_TARGET_OK ||
        hx_target_start(s->t, &diag) != HX_TARGET_OK) {
        fprintf(stderr, "siospec %s: %s did not start: %s\n", cmd, d->name, diag.msg);
        return CLI_COULD_NOT_RUN;
    }
    run->eio = eio;
    run->sio = !d->sio ? 0 : eio == 4 ? 5 : 4;
    return 0;
}

int live_server_open(struct live_server *s, const struct live_where *w, const char *cmd,
                     struct hx_live_run_opts *run)
{
    memset(s, 0, sizeof(*s));
    if (hx_net_global_init() != HX_OK || hx_target_install_cleanup() != HX_TARGET_OK) {
        fprintf(stderr, "siospec %s: cannot initialise the network layer\n", cmd);
        return CLI_COULD_NOT_RUN;
    }
    int rc = w->url ? open_url(s, w, cmd, run) : open_target(s, w, cmd, run);
    if (rc == 0) {
        run->url = hx_target_base_url(s->t);
        run->path = s->path;
    }
    return rc;
}

void live_server_close(struct live_server *s)
{
    hx_target_del(s->t);
    hx_target_desc_del(s->desc);
    hx_live_agent_teardown(s->agent_dir);
    memset(s, 0, sizeof(*s));
}

const char *live_default_targets_dir(void)
{
    const char *e = getenv("SIOSPEC_TARGETS_DIR");
    return e ? e : SIOSPEC_TARGETS_DIR;
}
