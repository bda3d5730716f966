/*
 * fuzz_eio_payload_v3.c - an Engine.IO revision 3 polling payload: the text
 * form "<len>:<packet>..." (len in UTF-16 code units) or, with FZ_ALT, the
 * XHR2 binary form <0|1><length digit bytes><0xFF><bytes>...
 *
 * Input: flag byte, then the body. FZ_COMPAT selects compat mode; FZ_OLD
 * is ignored (the revision is fixed). Oracles: fz_run_payload
 * (fuzz_payload.c), plus the UTF-16 helpers the v3 lengths rely on:
 *  - cdc_utf16_prefix(in, n, cdc_utf16_units(in, n)) == n;
 *  - for every k, a prefix of k units, when it exists, holds k units and
 *    grows with k;
 *  - on valid UTF-8, units == code points + code points above U+FFFF.
 */
#include "fuzz_common.h"

static size_t reference_units(const uint8_t *in, size_t n)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if ((in[i] & 0xC0) != 0x80)
            u++; /* a lead byte starts one code point */
        if (in[i] >= 0xF0)
            u++; /* above U+FFFF: a surrogate pair */
    }
    return u;
}

static void check_utf16(const uint8_t *in, size_t n)
{
    size_t units = cdc_utf16_units(in, n);
    FZ_CHECK(units <= n, "more UTF-16 units than bytes");
    FZ_CHECK(cdc_utf16_prefix(in, n, units) == n, "prefix of all units is not the whole input");
    if (cdc_utf8_check(in, n, NULL) == CDC_OK)
        FZ_CHECK(units == reference_units(in, n), "UTF-16 unit count wrong on valid UTF-8");
    size_t last = 0;
    for (size_t k = 0; k <= units && k <= 64; k++) {
        size_t b = cdc_utf16_prefix(in, n, k);
        if (b == SIZE_MAX)
            continue;
        FZ_CHECK(b <= n && b >= last, "UTF-16 prefix shrinks or overflows");
        FZ_CHECK(cdc_utf16_units(in, b) == k, "UTF-16 prefix does not hold k units");
        last = b;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = (data[0] & (FZ_COMPAT | FZ_ALT)) | FZ_OLD;
    struct cdc_opts o;
    fz_opts(flags, &o);
    enum eio_payload_kind kind = (flags & FZ_ALT) ? EIO_PAYLOAD_BINARY : EIO_PAYLOAD_TEXT;
    fz_run_payload(&o, kind, data + 1, size - 1);
    if (kind == EIO_PAYLOAD_TEXT)
        check_utf16(data + 1, size - 1);
    return 0;
}
