/*
 * fuzz_eio_handshake.c - what siospec parses from untrusted servers at
 * connection time: the open packet's JSON and the HTTP error body.
 *
 * Input: flag byte, then the bytes. Clear FZ_ALT: an open packet; a leading
 * '0' (the packet type, as on the wire) is skipped and the rest goes to
 * eio_handshake_decode. FZ_ALT: an HTTP error body for eio_error_decode.
 * FZ_OLD selects revision 3, FZ_COMPAT compat mode.
 *
 * Oracles: known error codes with diag; field ranges of the header's
 * contract (sid 1..EIO_SID_MAX bytes and NUL-terminated, intervals
 * 1..2^31-1, maxPayload <= 2^53-1, strict key sets); P1 for handshakes
 * that carry the four mandatory keys (encode, decode, same fields) and for
 * every error code (encode, decode strictly, same code and message).
 */
#include "fuzz_common.h"

#include <string.h>

#define MAX_INTERVAL 2147483647ull
#define MAX_SAFE 9007199254740991ull
#define FOUR_KEYS (EIO_HS_SID | EIO_HS_UPGRADES | EIO_HS_PING_INTERVAL | EIO_HS_PING_TIMEOUT)
#define ALL_KEYS (FOUR_KEYS | EIO_HS_MAX_PAYLOAD)

static void check_fields(const struct cdc_opts *o, const struct eio_handshake *h)
{
    FZ_CHECK((h->present & ~(unsigned)ALL_KEYS) == 0, "unknown bits in present");
    FZ_CHECK((h->upgrades & ~3u) == 0, "unknown upgrade bits");
    FZ_CHECK(h->sid_len <= EIO_SID_MAX && h->sid[h->sid_len] == '\0', "sid length/terminator");
    if (h->present & EIO_HS_SID)
        FZ_CHECK(h->sid_len >= 1, "empty sid accepted");
    if (h->present & EIO_HS_PING_INTERVAL)
        FZ_CHECK(h->ping_interval >= 1 && h->ping_interval <= MAX_INTERVAL, "pingInterval range");
    if (h->present & EIO_HS_PING_TIMEOUT)
        FZ_CHECK(h->ping_timeout >= 1 && h->ping_timeout <= MAX_INTERVAL, "pingTimeout range");
    if (h->present & EIO_HS_MAX_PAYLOAD)
        FZ_CHECK(h->max_payload >= 1 && h->max_payload <= MAX_SAFE, "maxPayload range");
    unsigned bits = (h->upgrades & 1u) + ((h->upgrades >> 1) & 1u);
    FZ_CHECK(bits <= h->n_upgrades, "more upgrade bits than entries");
    if (o->mode != CDC_STRICT)
        return;
    FZ_CHECK(h->quirks == 0 && h->extra_keys == 0, "strict: quirk or extra key");
    unsigned need = o->eio_version == 4 ? (unsigned)ALL_KEYS : (unsigned)FOUR_KEYS;
    FZ_CHECK((h->present & need) == need, "strict: a mandatory key is missing");
}

static void roundtrip_handshake(const struct cdc_opts *o, const struct eio_handshake *h)
{
    if ((h->present & FOUR_KEYS) != FOUR_KEYS)
        return;
    struct cdc_buf enc;
    cdc_buf_init(&enc, 4096, NULL);
    int rc = eio_handshake_encode(o, h, &enc);
    FZ_CHECK(rc == CDC_OK, "encoding a decoded handshake failed");
    struct eio_handshake g;
    rc = eio_handshake_decode(o, enc.p, enc.len, &g, NULL);
    FZ_CHECK(rc == CDC_OK, "P1: encoded handshake does not decode");
    FZ_CHECK(g.sid_len == h->sid_len && memcmp(g.sid, h->sid, h->sid_len) == 0, "P1: sid");
    FZ_CHECK(g.upgrades == h->upgrades, "P1: upgrades");
    FZ_CHECK(g.ping_interval == h->ping_interval && g.ping_timeout == h->ping_timeout,
             "P1: ping interval/timeout");
    FZ_CHECK((g.present & EIO_HS_MAX_PAYLOAD) == (h->present & EIO_HS_MAX_PAYLOAD), "P1: keys");
    FZ_CHECK(g.max_payload == h->max_payload, "P1: maxPayload");
    cdc_buf_free(&enc);
}

static void run_handshake(const struct cdc_opts *o, const uint8_t *in, size_t n)
{
    if (n > 0 && in[0] == '0') {
        in++;
        n--;
    }
    struct eio_handshake h;
    struct cdc_diag d = fz_diag();
    int rc = eio_handshake_decode(o, in, n, &h, &d);
    fz_check_rc(rc, &d, n);
    FZ_CHECK(rc <= 0, "positive return");
    if (rc != CDC_OK)
        return;
    check_fields(o, &h);
    roundtrip_handshake(o, &h);
}

static void run_error(const struct cdc_opts *o, const uint8_t *in, size_t n)
{
    struct eio_error e;
    struct cdc_diag d = fz_diag();
    int rc = eio_error_decode(o, in, n, &e, &d);
    fz_check_rc(rc, &d, n);
    FZ_CHECK(rc <= 0, "positive return");
    if (rc == CDC_OK) {
        FZ_CHECK(e.code >= 0 && e.code <= 5, "error code out of range");
        FZ_CHECK(fz_within(e.message, in, n), "message span outside the input");
        FZ_CHECK(e.message.len >= 2 && e.message.p[0] == '"' &&
                     e.message.p[e.message.len - 1] == '"',
                 "message is not a string token");
    }
    struct cdc_buf enc;
    cdc_buf_init(&enc, 256, NULL);
    int code = n ? in[0] % 6 : 0;
    FZ_CHECK(eio_error_encode(code, &enc) == CDC_OK, "eio_error_encode failed");
    struct cdc_opts strict = *o;
    strict.mode = CDC_STRICT;
    FZ_CHECK(eio_error_decode(&strict, enc.p, enc.len, &e, NULL) == CDC_OK, "P1: error body");
    const char *msg = eio_error_message(code);
    FZ_CHECK(e.code == code && cdc_json_string_eq(e.message, msg, strlen(msg)), "P1: error");
    cdc_buf_free(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cdc_opts o;
    fz_opts(data[0], &o);
    if (data[0] & FZ_ALT)
        run_error(&o, data + 1, size - 1);
    else
        run_handshake(&o, data + 1, size - 1);
    return 0;
}
