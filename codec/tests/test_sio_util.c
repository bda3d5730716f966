/*
 * test_sio_util.c - transcript formatting and option presets shared by the
 * Socket.IO tests (see test_sio.h).
 */
#include "test_sio.h"

#include <stdio.h>
#include <string.h>

struct cdc_opts ts_opts(int ver, enum cdc_mode mode)
{
    struct cdc_opts o;
    cdc_opts_init(&o);
    o.sio_version = ver;
    o.eio_version = ver == 4 ? 3 : 4;
    o.mode = mode;
    return o;
}

void ts_format(const struct sio_packet *p, int ver, char *out, size_t cap)
{
    char nsp[600], data[2048];
    const char *name = sio_type_name((int)p->type, ver);
    size_t o = (size_t)snprintf(out, cap, "%s", name ? name : "?");
    if (o < cap && (p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK))
        o += (size_t)snprintf(out + o, cap - o, " att=%u", p->attachments);
    th_escape(p->nsp.p, p->nsp.len, nsp, sizeof nsp);
    if (o < cap)
        o += (size_t)snprintf(out + o, cap - o, " nsp=%s", nsp);
    if (o < cap && p->has_id)
        o += (size_t)snprintf(out + o, cap - o, " id=%llu", (unsigned long long)p->id);
    if (o < cap && p->data.len) {
        th_escape(p->data.p, p->data.len, data, sizeof data);
        snprintf(out + o, cap - o, " data=%s", data);
    }
}

int ts_line_eq(const char *what, const char *exp, const struct sio_packet *p, int ver)
{
    char act[4096];
    ts_format(p, ver, act, sizeof act);
    return th_bytes_eq(what, exp, strlen(exp), act, strlen(act));
}

static void quirk_list(uint32_t q, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (unsigned i = 0; i < 32 && o < cap; i++)
        if (q & (1u << i))
            o += (size_t)snprintf(out + o, cap - o, "%s ", cdc_quirk_name(1u << i));
}

int ts_quirks_eq(const char *what, uint32_t exp, uint32_t act)
{
    if (exp == act)
        return 1;
    char e[512], a[512];
    quirk_list(exp, e, sizeof e);
    quirk_list(act, a, sizeof a);
    fprintf(stderr, "\n  %s: quirks expected [%s] got [%s]\n", what, e, a);
    return 0;
}
