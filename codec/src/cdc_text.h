/*
 * cdc_text.h - private: text helpers shared by the base64, UTF-8 and
 * Engine.IO modules.
 *
 * They model how a JavaScript peer sees bytes: a body decoded as UTF-8 the
 * WHATWG way (each maximal invalid subpart becomes one U+FFFD) and then
 * handled as UTF-16 code units. Nothing here allocates except through a
 * caller's cdc_buf.
 */
#ifndef CODEC_CDC_TEXT_H
#define CODEC_CDC_TEXT_H

#include "codec/cdc.h"

/* cdc_utf16_prefix that also sets |*valid| to whether the bytes of the
 * prefix it returns are well-formed UTF-8 (undefined on SIZE_MAX), so a
 * caller that needs both answers reads the bytes once. */
size_t cdc_utf16_prefix_valid(const uint8_t *in, size_t n, size_t units, bool *valid);

/* cdc_utf16_units for bytes the caller knows to be well-formed UTF-8: a
 * count of lead bytes (plus one per 4-byte lead), with no validation. On
 * ill-formed input the count is not what a JS string would hold, but the
 * call stays within |in|. |in| may be NULL when |n| is 0. */
size_t cdc_utf16_units_trusted(const uint8_t *in, size_t n);

/* The whole-text scan behind cdc_utf8_check and cdc_utf16_units: returns
 * true when |in| is well-formed UTF-8, and then its UTF-16 units in
 * |*units|. It runs 32 bytes at a time where the processor has AVX2 and
 * a word at a time elsewhere; |portable| forces the word-at-a-time scan,
 * so the tests can hold both to the same answers. */
bool cdc_utf8_scan(const uint8_t *in, size_t n, size_t *units, bool portable);

/* How the lenient base64 decoder reads its input. */
enum cdc_b64_src {
    CDC_B64_SRC_UTF8 = 0,  /* a JS string decoded from UTF-8 (eio text) */
    CDC_B64_SRC_BYTES = 1, /* a JS string with one char per raw byte */
};

/* cdc_b64_decode with the source interpretation made explicit. In lenient
 * mode every UTF-16 code unit of the source string is truncated to its low
 * byte before the alphabet lookup, as Node does. */
int cdc_b64_decode_src(const uint8_t *in, size_t n, bool lenient, enum cdc_b64_src src,
                       struct cdc_buf *out, bool *was_lenient, struct cdc_diag *diag);

/* Reads |in| as JavaScript's Number() would read a string, and succeeds
 * only when the result is an integer in 0..|max| (-0 counts as 0). Sets
 * |*canonical| when |in| is plain decimal digits without leading zeros.
 * Returns true and the value in |*out| on success. */
bool cdc_js_number_index(const uint8_t *in, size_t n, size_t max, size_t *out, bool *canonical);

#endif
