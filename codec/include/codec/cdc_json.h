/*
 * cdc_json.h - a zero-allocation JSON validator and reader over spans.
 *
 * Validation is strict RFC 8259: one value, optional surrounding whitespace
 * (space, tab, CR, LF), no trailing commas, no comments, no leading zeros,
 * escapes checked, raw control characters in strings rejected, nesting
 * bounded by |max_depth|. Lone surrogate escapes ("\ud800") are grammatical
 * and accepted, as JSON.parse does. Duplicate keys are accepted; lookups
 * return the last one, as JSON.parse keeps the last.
 *
 * The reader functions take spans that cdc_json_validate accepted (or
 * sub-spans the reader itself returned). They stay memory-safe on any input
 * but only give meaningful answers on validated JSON.
 */
#ifndef CODEC_CDC_JSON_H
#define CODEC_CDC_JSON_H

#include "codec/cdc.h"

enum cdc_json_type {
    CDC_JSON_INVALID = 0,
    CDC_JSON_NULL,
    CDC_JSON_FALSE,
    CDC_JSON_TRUE,
    CDC_JSON_NUMBER,
    CDC_JSON_STRING,
    CDC_JSON_ARRAY,
    CDC_JSON_OBJECT,
};

/* Validates that |in| is exactly one JSON value. |utf8_strict| rejects
 * invalid UTF-8 inside strings (CDC_ERR_UTF8); otherwise raw bytes >= 0x80
 * pass unchecked. Returns CDC_OK, CDC_ERR_JSON, CDC_ERR_JSON_DEPTH or
 * CDC_ERR_UTF8, with the offset of the offending byte in |diag|. Runs in
 * linear time and constant space. */
int cdc_json_validate(const uint8_t *in, size_t n, unsigned max_depth, bool utf8_strict,
                      struct cdc_diag *diag);

/* Returns |v| without leading and trailing JSON whitespace. */
struct cdc_span cdc_json_trim(struct cdc_span v);

/* Type of the (trimmed) value |v|, judged by its first byte. */
enum cdc_json_type cdc_json_type_of(struct cdc_span v);

/* Iterator over the members of an array or object value. */
struct cdc_json_iter {
    const uint8_t *p;
    const uint8_t *end;
    bool object;
    bool started;
};

/* Starts iterating |container| (an array or object). Returns CDC_OK or
 * CDC_ERR_INVALID_ARG if |container| is not an array or object. */
int cdc_json_iter_init(struct cdc_json_iter *it, struct cdc_span container);
/* Advances. Returns 1 with the next member, 0 at the end, or CDC_ERR_JSON on
 * malformed input. For objects |key| gets the raw string token including its
 * quotes; for arrays |key| (may be NULL) gets an empty span. |val| gets the
 * member's value without surrounding whitespace. Spans point into the
 * container. */
int cdc_json_iter_next(struct cdc_json_iter *it, struct cdc_span *key, struct cdc_span *val);

/* Finds member |key| (compared after unescaping) of object |obj|. Returns 1
 * and sets |val| (the last duplicate), 0 if absent, CDC_ERR_INVALID_ARG if
 * |obj| is not an object. */
int cdc_json_object_get(struct cdc_span obj, const char *key, struct cdc_span *val);

/* Counts the members of an array or object; SIZE_MAX if not a container. */
size_t cdc_json_count(struct cdc_span container);

/* True when string token |str| (with quotes) unescapes to exactly the |n|
 * bytes at |s|. */
bool cdc_json_string_eq(struct cdc_span str, const char *s, size_t n);

/* Appends the unescaped UTF-8 content of string token |str| (with quotes) to
 * |out|. Lone surrogate escapes become U+FFFD. Returns CDC_OK, CDC_ERR_JSON,
 * CDC_ERR_TOO_LARGE or CDC_ERR_NOMEM; |out| is unchanged on failure. */
int cdc_json_string_unescape(struct cdc_span str, struct cdc_buf *out);

/* Appends |s| as a JSON string token (quotes included): '"', '\\' and
 * control characters are escaped, everything else is copied. */
int cdc_json_string_encode(const uint8_t *s, size_t n, struct cdc_buf *out);

/* Parses number token |num| as a double (strtod semantics, locale-free).
 * Returns CDC_OK or CDC_ERR_JSON. */
int cdc_json_number_double(struct cdc_span num, double *out);

/* Parses number token |num| as a non-negative integer. Accepts only a plain
 * digit run without fraction or exponent ("1.0" and "1e0" are rejected).
 * Returns CDC_OK, CDC_ERR_JSON, or CDC_ERR_TOO_LARGE above |max|. */
int cdc_json_number_u64(struct cdc_span num, uint64_t max, uint64_t *out);

#endif
