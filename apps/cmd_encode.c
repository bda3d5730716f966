/*
 * cmd_encode.c - `siospec encode`: canonical JSON (as printed by decode) in,
 * wire form out, so that `decode | encode` round-trips.
 *
 * The input is read with the codec's own JSON reader, so the Socket.IO
 * "data" value is copied byte for byte (no number reformatting).
 */
#include "cli.h"

#include "codec/cdc_json.h"
#include "codec/eio.h"
#include "codec/sio.h"

#include <stdlib.h>
#include <string.h>

static const char encode_help[] =
    "usage: siospec encode [--layer eio|payload|sio] [--eio 3|4] [--sio 4|5]\n"
    "                      [--binary] [--compat] [FILE]\n\n"
    "Reads canonical JSON (the output of 'siospec decode') from FILE or stdin and\n"
    "writes the wire form to stdout.\n\n"
    "  --layer eio      {\"type\":\"message\",\"text\":\"hi\"} -> 4hi; a binary packet is\n"
    "                   written as the raw bytes of a binary WebSocket message (default)\n"
    "  --layer payload  {\"packets\":[...]} -> one polling body\n"
    "  --layer sio      {\"type\":\"EVENT\",\"nsp\":\"/\",\"id\":1,\"data\":[..]} -> 21[..]\n"
    "  --eio 3|4, --sio 4|5   protocol revisions (defaults 4 and 5)\n"
    "  --binary         payload: write the v3 XHR2 binary form (needs --eio 3)\n"
    "  --compat         validate packets with compat-mode rules\n\n"
    "Exit status: 0 encoded, 1 invalid input, 2 usage error.\n";

struct enc_ctx {
    const struct codec_cli *c;
    struct cdc_buf strings; /* unescaped text and decoded binaries */
    struct cdc_diag *d;
};

static int bad(struct enc_ctx *e, struct cdc_span at, const uint8_t *base, const char *why)
{
    e->d->off = at.p && at.p >= base ? (size_t)(at.p - base) : 0;
    e->d->why = why;
    return CDC_ERR_INVALID_ARG;
}

/* Checks that every key of |obj| is in |allowed| (NULL-terminated). */
static int check_keys(struct enc_ctx *e, struct cdc_span obj, const uint8_t *base,
                      const char *const *allowed)
{
    struct cdc_json_iter it;
    struct cdc_span k, v;
    int rc;
    if (cdc_json_iter_init(&it, obj) != CDC_OK || !it.object)
        return bad(e, obj, base, "a JSON object is expected");
    while ((rc = cdc_json_iter_next(&it, &k, &v)) == 1) {
        int ok = 0;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = cdc_json_string_eq(k, allowed[i], strlen(allowed[i]));
        if (!ok)
            return bad(e, k, base, "unknown key");
    }
    return rc;
}

/* Unescapes string member |key| into e->strings; |*out| spans it. */
static int get_str(struct enc_ctx *e, struct cdc_span obj, const uint8_t *base, const char *key,
                   struct cdc_span *out, int required)
{
    struct cdc_span v;
    int rc = cdc_json_object_get(obj, key, &v);
    if (rc <= 0) {
        *out = (struct cdc_span){NULL, 0};
        return rc == 0 && required ? bad(e, obj, base, "required key missing") : rc;
    }
    if (cdc_json_type_of(v) != CDC_JSON_STRING)
        return bad(e, v, base, "a string is expected");
    size_t start = e->strings.len;
    rc = cdc_json_string_unescape(v, &e->strings);
    /* e->strings never reallocates: it was reserved up front. */
    *out = (struct cdc_span){e->strings.p + start, e->strings.len - start};
    return rc == CDC_OK ? 1 : rc;
}

static int get_eio(struct enc_ctx *e, struct cdc_span obj, const uint8_t *base,
                   struct eio_packet *p)
{
    static const char *const keys[] = {"type", "text", "binary", "quirks", NULL};
    struct cdc_span type, text, bin;
    int rc = check_keys(e, obj, base, keys);
    if (rc == CDC_OK)
        rc = get_str(e, obj, base, "type", &type, 1);
    if (rc < 0)
        return rc;
    int t = eio_type_from_name((const char *)type.p, type.len);
    if (t < 0)
        return bad(e, obj, base, "unknown Engine.IO packet type");
    memset(p, 0, sizeof *p);
    p->type = (enum eio_type)t;
    if ((rc = get_str(e, obj, base, "text", &text, 0)) < 0)
        return rc;
    p->data = text;
    int has_bin = get_str(e, obj, base, "binary", &bin, 0);
    if (has_bin < 0)
        return has_bin;
    if (has_bin && rc)
        return bad(e, obj, base, "a packet has either text or binary, not both");
    if (has_bin) {
        size_t start = e->strings.len;
        rc = cdc_b64_decode(bin.p, bin.len, false, &e->strings, NULL, NULL);
        if (rc != CDC_OK)
            return bad(e, obj, base, "binary is not valid base64");
        p->binary = true;
        p->data = (struct cdc_span){e->strings.p + start, e->strings.len - start};
    }
    return CDC_OK;
}

static int get_sio(struct enc_ctx *e, struct cdc_span obj, const uint8_t *base,
                   struct sio_packet *p)
{
    static const char *const keys[] = {"type", "nsp", "id", "data", "attachments", "quirks", NULL};
    struct cdc_span type, nsp, v;
    int rc = check_keys(e, obj, base, keys);
    if (rc == CDC_OK)
        rc = get_str(e, obj, base, "type", &type, 1);
    if (rc < 0)
        return rc;
    int t = sio_type_from_name((const char *)type.p, type.len);
    if (t < 0)
        return bad(e, obj, base, "unknown Socket.IO packet type");
    memset(p, 0, sizeof *p);
    p->type = (enum sio_type)t;
    if ((rc = get_str(e, obj, base, "nsp", &nsp, 0)) < 0)
        return rc;
    p->nsp = rc ? nsp : CDC_SPAN_LIT("/");
    if (cdc_json_object_get(obj, "id", &v) == 1) {
        if (cdc_json_number_u64(v, SIO_ACK_ID_MAX, &p->id) != CDC_OK)
            return bad(e, v, base, "id must be an integer 0..2^53-1");
        p->has_id = true;
    }
    if (cdc_json_object_get(obj, "attachments", &v) == 1) {
        uint64_t n;
        if (cdc_json_number_u64(v, 1000000, &n) != CDC_OK)
            return bad(e, v, base, "attachments must be a small non-negative integer");
        p->attachments = (unsigned)n;
    }
    if (cdc_json_object_get(obj, "data", &v) == 1)
        p->data = v;
    return CDC_OK;
}

static int encode_payload(struct enc_ctx *e, struct cdc_span root, const uint8_t *base,
                          struct cdc_buf *out)
{
    static const char *const keys[] = {"packets", NULL};
    struct cdc_span arr, el;
    struct cdc_json_iter it;
    int rc = check_keys(e, root, base, keys);
    if (rc != CDC_OK)
        return rc;
    if (cdc_json_object_get(root, "packets", &arr) != 1 || cdc_json_iter_init(&it, arr) != CDC_OK ||
        it.object)
        return bad(e, root, base, "\"packets\" must be an array");
    size_t n = cdc_json_count(arr);
    if (n == 0)
        return bad(e, arr, base, "a payload holds at least one packet");
    struct eio_packet *pk = calloc(n, sizeof *pk);
    if (!pk)
        return CDC_ERR_NOMEM;
    size_t i = 0;
    while (rc == CDC_OK && cdc_json_iter_next(&it, NULL, &el) == 1)
        rc = get_eio(e, el, base, &pk[i++]);
    if (rc == CDC_OK)
        rc = eio_payload_encode(&e->c->o, pk, n,
                                e->c->binary ? EIO_PAYLOAD_BINARY : EIO_PAYLOAD_TEXT, out);
    free(pk);
    return rc;
}

static int encode_doc(struct enc_ctx *e, const uint8_t *in, size_t n, struct cdc_buf *out)
{
    struct cdc_span root = cdc_json_trim((struct cdc_span){in, n});
    int rc = cdc_json_validate(in, n, 256, true, e->d);
    if (rc != CDC_OK)
        return rc;
    /* Unescaped strings (<= n) plus decoded binaries (<= n) fit in 2n. */
    uint8_t *dummy;
    if ((rc = cdc_buf_reserve(&e->strings, 2 * n + 64, &dummy)) != CDC_OK)
        return rc;
    if (e->c->layer == LAYER_PAYLOAD)
        return encode_payload(e, root, in, out);
    if (e->c->layer == LAYER_SIO) {
        struct sio_packet sp;
        rc = get_sio(e, root, in, &sp);
        return rc == CDC_OK ? sio_packet_encode(&e->c->o, &sp, out) : rc;
    }
    struct eio_packet ep;
    rc = get_eio(e, root, in, &ep);
    return rc == CDC_OK ? eio_packet_encode(&e->c->o, &ep, EIO_FRAMING_WS, out) : rc;
}

int cmd_encode(int argc, char **argv)
{
    struct codec_cli c;
    int a = cli_codec_args(argc, argv, "encode", encode_help, &c);
    if (a != 0)
        return a > 0 ? CLI_OK : CLI_USAGE;
    uint8_t *in;
    size_t n;
    size_t max_in = c.o.lim.max_payload * 2 + 4096; /* JSON escaping and base64 inflate */
    if (cli_read_input(c.file, max_in, &in, &n) < 0)
        return CLI_USAGE;
    struct cdc_diag d = {0, NULL};
    struct enc_ctx e = {.c = &c, .d = &d};
    struct cdc_buf out;
    cdc_buf_init(&e.strings, 2 * max_in + 64, NULL);
    cdc_buf_init(&out, c.o.lim.max_payload * 2 + 64, NULL);
    int rc = n > max_in ? CDC_ERR_TOO_LARGE : encode_doc(&e, in, n, &out);
    int status = CLI_OK;
    if (rc != CDC_OK) {
        cli_print_error(rc, &d, NULL);
        status = CLI_INVALID;
    } else {
        fwrite(out.p, 1, out.len, stdout);
    }
    cdc_buf_free(&out);
    cdc_buf_free(&e.strings);
    free(in);
    return status;
}
