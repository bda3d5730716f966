/*
 * cli_util.c - input reading and JSON output helpers for the subcommands.
 */
#include "cli.h"

#include "codec/cdc_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_read_input(const char *path, size_t max, uint8_t **out, size_t *len)
{
    FILE *f = stdin;
    if (path && strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "siospec: cannot open %s: %s\n", path, strerror(errno));
            return -1;
        }
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *nb = cap > max ? NULL : realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        size_t want = cap - n;
        if (n + want > max + 1)
            want = max + 1 - n;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (got == 0 || n > max)
            break;
    }
    int err = !buf || ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        fprintf(stderr, "siospec: cannot read %s\n", path ? path : "stdin");
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

int cli_json_str(struct cdc_buf *b, const uint8_t *s, size_t n)
{
    struct cdc_diag d;
    size_t pos = 0;
    int rc = CDC_OK;
    if (cdc_utf8_check(s, n, &d) == CDC_OK)
        return cdc_json_string_encode(s, n, b);
    /* Replace each invalid byte with U+FFFD, as a JS peer would see it. */
    struct cdc_buf tmp;
    cdc_buf_init(&tmp, b->max, NULL);
    while (rc == CDC_OK && pos < n) {
        if (cdc_utf8_check(s + pos, n - pos, &d) == CDC_OK)
            d.off = n - pos;
        rc = cdc_buf_append(&tmp, s + pos, d.off);
        pos += d.off;
        if (rc == CDC_OK && pos < n) {
            rc = cdc_buf_append(&tmp, "\xef\xbf\xbd", 3);
            pos++;
        }
    }
    if (rc == CDC_OK)
        rc = cdc_json_string_encode(tmp.p, tmp.len, b);
    cdc_buf_free(&tmp);
    return rc;
}

void cli_print_error(int err, const struct cdc_diag *d, const char *hint)
{
    struct cdc_buf b;
    cdc_buf_init(&b, 1 << 16, NULL);
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s%s%s%s", cdc_strerror(err), d && d->why ? ": " : "",
             d && d->why ? d->why : "", hint ? "; " : "", hint ? hint : "");
    cdc_buf_append_str(&b, "{\"error\":\"");
    cdc_buf_append_str(&b, cdc_err_name(err));
    cdc_buf_append_str(&b, "\",\"offset\":");
    cdc_buf_append_u64(&b, d ? d->off : 0);
    cdc_buf_append_str(&b, ",\"message\":");
    cli_json_str(&b, (const uint8_t *)msg, strlen(msg));
    cdc_buf_append_str(&b, "}\n");
    fwrite(b.p, 1, b.len, stdout);
    cdc_buf_free(&b);
}

int cli_parse_version(const char *s, int a, int b)
{
    if (s && s[0] && !s[1]) {
        int v = s[0] - '0';
        if (v == a || v == b)
            return v;
    }
    return -1;
}

int cli_json_quirks(struct cdc_buf *b, uint32_t q)
{
    int rc = CDC_OK;
    if (!q)
        return rc;
    rc = cdc_buf_append_str(b, ",\"quirks\":[");
    const char *sep = "";
    for (unsigned i = 0; i < 32 && rc == CDC_OK; i++) {
        if (!(q & (1u << i)))
            continue;
        rc = cdc_buf_append_str(b, sep);
        sep = ",";
        const char *name = cdc_quirk_name(1u << i);
        if (rc == CDC_OK)
            rc = cli_json_str(b, (const uint8_t *)name, strlen(name));
    }
    return rc == CDC_OK ? cdc_buf_append_byte(b, ']') : rc;
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v == 0 || s[0] == '-')
        return -1;
    *out = (size_t)v;
    return 0;
}

int cli_codec_args(int argc, char **argv, const char *cmd, const char *help, struct codec_cli *c)
{
    cdc_opts_init(&c->o);
    c->layer = LAYER_EIO;
    c->binary = 0;
    c->file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return 1;
        } else if (!strcmp(a, "--binary")) {
            c->binary = 1;
            takes = 0;
        } else if (!strcmp(a, "--compat")) {
            c->o.mode = CDC_COMPAT;
            takes = 0;
        } else if (!strcmp(a, "--layer") && v) {
            if (!strcmp(v, "eio"))
                c->layer = LAYER_EIO;
            else if (!strcmp(v, "payload"))
                c->layer = LAYER_PAYLOAD;
            else if (!strcmp(v, "sio"))
                c->layer = LAYER_SIO;
            else
                goto bad_value;
        } else if (!strcmp(a, "--eio") && v) {
            if ((c->o.eio_version = cli_parse_version(v, 3, 4)) < 0)
                goto bad_value;
        } else if (!strcmp(a, "--sio") && v) {
            if ((c->o.sio_version = cli_parse_version(v, 4, 5)) < 0)
                goto bad_value;
        } else if (!strcmp(a, "--max-payload") && v) {
            if (parse_size(v, &c->o.lim.max_payload) < 0)
                goto bad_value;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "siospec %s: unknown option or missing value: %s\n", cmd, a);
            return -1;
        } else if (!c->file) {
            c->file = a;
            takes = 0;
        } else {
            fprintf(stderr, "siospec %s: only one input file may be given\n", cmd);
            return -1;
        }
        i += takes;
        continue;
    bad_value:
        fprintf(stderr, "siospec %s: invalid value for %s: %s\n", cmd, a, v);
        return -1;
    }
    if (c->binary && c->layer == LAYER_PAYLOAD && c->o.eio_version != 3) {
        fprintf(stderr, "siospec %s: --binary payloads exist only in Engine.IO v3 (--eio 3)\n",
                cmd);
        return -1;
    }
    if (c->binary && c->layer == LAYER_SIO) {
        fprintf(stderr, "siospec %s: --binary does not apply to --layer sio\n", cmd);
        return -1;
    }
    return 0;
}
