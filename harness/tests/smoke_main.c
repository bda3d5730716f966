/*
 * smoke_main.c - runs the smoke scenario against a live server:
 *   hx_smoke URL [--path P] [--eio 3|4] [--sio 4|5] [--echo] [--step-ms N]
 *                [--transcript]
 *   hx_smoke --target harness/targets/NAME.json [--transcript]
 * prints one line per step and the totals; exits 0 when every step
 * passed, 1 when one failed, 2 on bad usage or when the server could not
 * be started. With --target the server is started (harness_proc), smoked
 * once per Engine.IO revision it declares (EIO 4 with SIO 5, EIO 3 with
 * SIO 4; an Engine.IO-only server as an echo server) and stopped.
 * Integration tests (ctest, label integration) call it on the bundled
 * targets.
 */
#include "harness/hx_net.h"
#include "harness/hx_smoke.h"
#include "harness/hx_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(int argc, char **argv, struct hx_smoke_opts *o, int *tr)
{
    if (argc < 2)
        return -1;
    o->url = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--echo") == 0)
            o->eio_echo = true;
        else if (strcmp(a, "--transcript") == 0)
            *tr = 1;
        else if (!v)
            return -1;
        else if (strcmp(a, "--path") == 0)
            o->path = argv[++i];
        else if (strcmp(a, "--eio") == 0)
            o->eio = atoi(argv[++i]);
        else if (strcmp(a, "--sio") == 0)
            o->sio = atoi(argv[++i]);
        else if (strcmp(a, "--step-ms") == 0)
            o->step_ms = (uint32_t)atoi(argv[++i]);
        else
            return -1;
    }
    return 0;
}

static int smoke(const struct hx_smoke_opts *o, int tr)
{
    struct hx_env env;
    hx_net_env_init(&env, NULL);
    struct hx_smoke_result r;
    int rc = hx_smoke_run(&env, o, &r);
    struct cdc_buf b;
    cdc_buf_init(&b, 64u << 20, NULL);
    hx_smoke_format(&r, &b);
    fwrite(b.p, 1, b.len, stdout);
    cdc_buf_free(&b);
    for (int i = 0; i < 2; i++) {
        if (tr || (rc != HX_OK && r.tr[i])) {
            printf("--- transcript of the %s run ---\n", i ? "websocket" : "polling");
            hx_transcript_print(r.tr[i], 160, stdout);
        }
    }
    hx_smoke_result_free(&r);
    return rc == HX_OK ? 0 : rc == HX_ERR_PROTOCOL ? 1 : 2;
}

/* Starts the target of description |file|, smokes each revision, stops it. */
static int smoke_target(const char *file, int tr)
{
    struct hx_target_desc *d = NULL;
    struct hx_target *t = NULL;
    struct hx_target_diag diag = {{0}};
    int rc = hx_target_desc_load(&d, file, &diag);
    if (rc == HX_TARGET_OK)
        rc = hx_target_new(&t, d, NULL, &diag);
    if (rc == HX_TARGET_OK)
        rc = hx_target_start(t, &diag);
    int worst = 0;
    for (int eio = 4; rc == HX_TARGET_OK && eio >= 3; eio--) {
        if (!(d->eio & (1u << eio)))
            continue;
        struct hx_smoke_opts o = {.url = hx_target_base_url(t),
                                  .path = hx_target_path(t),
                                  .eio = eio,
                                  .sio = eio == 4 ? 5 : 4,
                                  .eio_echo = d->sio == 0};
        printf("== %s: EIO %d%s\n", d->name, eio, o.eio_echo ? " (echo)" : "");
        int r = smoke(&o, tr);
        worst = r > worst ? r : worst;
    }
    if (rc != HX_TARGET_OK)
        fprintf(stderr, "hx_smoke: %s: %s\n", hx_target_err_name(rc), diag.msg);
    hx_target_del(t);
    hx_target_desc_del(d);
    return rc != HX_TARGET_OK ? 2 : worst;
}

int main(int argc, char **argv)
{
    struct hx_smoke_opts o = {0};
    int tr = 0;
    bool target = argc > 2 && strcmp(argv[1], "--target") == 0;
    if (target)
        tr = argc > 3 && strcmp(argv[3], "--transcript") == 0;
    else if (parse(argc, argv, &o, &tr) != 0) {
        fprintf(stderr, "usage: hx_smoke URL [--path P] [--eio 3|4] [--sio 4|5] [--echo] "
                        "[--step-ms N] [--transcript]\n"
                        "       hx_smoke --target FILE.json [--transcript]\n");
        return 2;
    }
    if (hx_net_global_init() != HX_OK)
        return 2;
    int rc = target ? smoke_target(argv[2], tr) : smoke(&o, tr);
    hx_net_global_cleanup();
    return rc;
}
