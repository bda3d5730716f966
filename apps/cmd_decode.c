/*
 * cmd_decode.c - `siospec decode`: one captured frame or polling body in,
 * canonical JSON out.
 *
 * Canonical forms:
 *   Engine.IO packet  {"type":"message","text":"hello"} or
 *                     {"type":"message","binary":"<base64>"}; no text/binary
 *                     key when the packet has no data
 *   polling payload   {"packets":[<packet>,...]}
 *   Socket.IO packet  {"type":"EVENT","nsp":"/","id":12,"data":[...]} with
 *                     "attachments":N for the binary types; "id" and "data"
 *                     only when present. The data is the wire JSON verbatim.
 * Compat mode adds "quirks":[...] naming what it accepted beyond the spec.
 */
#include "cli.h"

#include "codec/cdc_json.h"
#include "codec/eio.h"
#include "codec/sio.h"

#include <stdlib.h>
#include <string.h>

static const char decode_help[] =
    "usage: siospec decode [--layer eio|payload|sio] [--eio 3|4] [--sio 4|5]\n"
    "                      [--binary] [--compat] [--max-payload N] [FILE]\n\n"
    "Reads one frame or polling body from FILE (or stdin) and prints its meaning\n"
    "as canonical JSON on stdout.\n\n"
    "  --layer eio      one Engine.IO packet as sent in a WebSocket message (default)\n"
    "  --layer payload  one HTTP long-polling body (packets joined by 0x1e, or the v3\n"
    "                   length-prefixed forms)\n"
    "  --layer sio      one Socket.IO packet: the data of an Engine.IO message, i.e.\n"
    "                   without the leading '4' (2[\"foo\"], not 42[\"foo\"])\n"
    "  --eio 3|4        Engine.IO protocol revision (default 4)\n"
    "  --sio 4|5        Socket.IO protocol revision (default 5)\n"
    "  --binary         eio: the input is a binary WebSocket message;\n"
    "                   payload: the v3 XHR2 binary payload form (needs --eio 3)\n"
    "  --compat         also accept what the reference Node parsers accept, and name\n"
    "                   each such quirk under \"quirks\"\n"
    "  --max-payload N  reject inputs above N bytes (default 1000000)\n\n"
    "Exit status: 0 decoded, 1 invalid input (an {\"error\",\"offset\",\"message\"}\n"
    "object is printed), 2 usage error.\n";

static int put_eio(struct cdc_buf *b, const struct eio_packet *p)
{
    int rc = cdc_buf_append_str(b, "{\"type\":\"");
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(b, eio_type_name((int)p->type));
    if (rc == CDC_OK && p->binary) {
        rc = cdc_buf_append_str(b, "\",\"binary\":\"");
        if (rc == CDC_OK)
            rc = cdc_b64_encode(p->data.p, p->data.len, b);
        if (rc == CDC_OK)
            rc = cdc_buf_append_byte(b, '"');
    } else if (rc == CDC_OK && p->data.len) {
        rc = cdc_buf_append_str(b, "\",\"text\":");
        if (rc == CDC_OK)
            rc = cli_json_str(b, p->data.p, p->data.len);
    } else if (rc == CDC_OK) {
        rc = cdc_buf_append_byte(b, '"');
    }
    if (rc == CDC_OK)
        rc = cli_json_quirks(b, p->quirks);
    return rc == CDC_OK ? cdc_buf_append_byte(b, '}') : rc;
}

static int put_sio(struct cdc_buf *b, const struct cdc_opts *o, const struct sio_packet *p)
{
    int rc = cdc_buf_append_str(b, "{\"type\":\"");
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(b, sio_type_name((int)p->type, o->sio_version));
    if (rc == CDC_OK)
        rc = cdc_buf_append_byte(b, '"');
    if (rc == CDC_OK && (p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK)) {
        rc = cdc_buf_append_str(b, ",\"attachments\":");
        if (rc == CDC_OK)
            rc = cdc_buf_append_u64(b, p->attachments);
    }
    if (rc == CDC_OK)
        rc = cdc_buf_append_str(b, ",\"nsp\":");
    if (rc == CDC_OK)
        rc = cli_json_str(b, p->nsp.p, p->nsp.len);
    if (rc == CDC_OK && p->has_id) {
        rc = cdc_buf_append_str(b, ",\"id\":");
        if (rc == CDC_OK)
            rc = cdc_buf_append_u64(b, p->id);
    }
    if (rc == CDC_OK && p->data.len) {
        struct cdc_span d = cdc_json_trim(p->data);
        rc = cdc_buf_append_str(b, ",\"data\":");
        if (rc == CDC_OK)
            rc = cdc_buf_append(b, d.p, d.len);
    }
    if (rc == CDC_OK)
        rc = cli_json_quirks(b, p->quirks);
    return rc == CDC_OK ? cdc_buf_append_byte(b, '}') : rc;
}

static int decode_payload(const struct codec_cli *c, const uint8_t *in, size_t n,
                          struct cdc_buf *out, struct cdc_diag *d)
{
    struct eio_payload_iter it;
    struct cdc_buf scratch;
    struct eio_packet p;
    int rc;
    cdc_buf_init(&scratch, c->o.lim.max_payload, NULL);
    eio_payload_iter_init(&it, &c->o, in, n, c->binary ? EIO_PAYLOAD_BINARY : EIO_PAYLOAD_TEXT);
    rc = cdc_buf_append_str(out, "{\"packets\":[");
    const char *sep = "";
    while (rc == CDC_OK && (rc = eio_payload_next(&it, &scratch, &p, d)) == 1) {
        rc = cdc_buf_append_str(out, sep);
        sep = ",";
        if (rc == CDC_OK)
            rc = put_eio(out, &p);
    }
    if (rc == 0)
        rc = cdc_buf_append_str(out, "]}");
    cdc_buf_free(&scratch);
    return rc;
}

static int decode_one(const struct codec_cli *c, const uint8_t *in, size_t n, struct cdc_buf *out,
                      struct cdc_diag *d)
{
    struct eio_packet ep;
    struct sio_packet sp;
    struct cdc_buf scratch;
    int rc;
    switch (c->layer) {
    case LAYER_PAYLOAD:
        return decode_payload(c, in, n, out, d);
    case LAYER_SIO:
        rc = sio_packet_decode(&c->o, in, n, &sp, d);
        return rc == CDC_OK ? put_sio(out, &c->o, &sp) : rc;
    case LAYER_EIO:
    default:
        cdc_buf_init(&scratch, c->o.lim.max_payload, NULL);
        rc = c->binary ? eio_packet_decode_binary(&c->o, in, n, &ep, d)
                       : eio_packet_decode_text(&c->o, in, n, &scratch, &ep, d);
        if (rc == CDC_OK)
            rc = put_eio(out, &ep);
        cdc_buf_free(&scratch);
        return rc;
    }
}

/* When a Socket.IO decode fails on what looks like a whole Engine.IO
 * message ("42[...]"), say so: it is the most common paste mistake. */
static const char *sio_hint(const struct codec_cli *c, const uint8_t *in, size_t n)
{
    struct sio_packet sp;
    if (c->layer != LAYER_SIO || n < 2 || in[0] != '4')
        return NULL;
    if (sio_packet_decode(&c->o, in + 1, n - 1, &sp, NULL) != CDC_OK)
        return NULL;
    return "this looks like an Engine.IO message: drop the leading '4' or use --layer eio";
}

int cmd_decode(int argc, char **argv)
{
    struct codec_cli c;
    int a = cli_codec_args(argc, argv, "decode", decode_help, &c);
    if (a != 0)
        return a > 0 ? CLI_OK : CLI_USAGE;
    uint8_t *in;
    size_t n;
    if (cli_read_input(c.file, c.o.lim.max_payload, &in, &n) < 0)
        return CLI_USAGE;
    struct cdc_buf out;
    struct cdc_diag d = {0, NULL};
    cdc_buf_init(&out, (size_t)1 << 30, NULL);
    int rc = decode_one(&c, in, n, &out, &d);
    int status = CLI_OK;
    if (rc < 0) {
        cli_print_error(rc, &d, sio_hint(&c, in, n));
        status = CLI_INVALID;
    } else {
        fwrite(out.p, 1, out.len, stdout);
        fputc('\n', stdout);
    }
    cdc_buf_free(&out);
    free(in);
    return status;
}
