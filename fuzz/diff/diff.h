/*
 * diff.h - siospec's differential check of the codec (compat mode) against
 * the reference Node parsers (fuzzing-notes §2.3).
 *
 * The same input (a fuzz target's input: flag byte + bytes) goes to the
 * codec, whose result diff_canon.c prints in a canonical text, and to the
 * persistent Node oracle (oracle.js, diff_oracle.c), which prints the
 * reference result in the same text. Differences are classified:
 *   A both accept, different result      B reference accepts, codec rejects
 *   C codec accepts, reference rejects   D pending state differs
 * and checked against an allow-list of documented quirk differences
 * (diff_allow.c, fuzz/diff/allow.txt). This code is a test tool: it uses
 * POSIX (processes, pipes, regex) and stdio, and links only the codec.
 */
#ifndef FUZZ_DIFF_H
#define FUZZ_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"

enum df_layer {
    DF_EIO_PACKET = 1,
    DF_EIO_PAYLOAD_V4 = 2,
    DF_EIO_PAYLOAD_V3 = 3,
    DF_SIO_PACKET = 4,
    DF_SIO_DECODER = 5,
};

/* Layer number for a name such as "sio_packet"; 0 if unknown. */
int df_layer_from_name(const char *name);
const char *df_layer_name(int layer);

/* Appends the codec's canonical result for |in| (flag byte + bytes) on
 * |layer| to |out|, in oracle.js's format. Returns CDC_OK or an error of
 * |out| (CDC_ERR_TOO_LARGE, CDC_ERR_NOMEM). */
int df_canon(int layer, const uint8_t *in, size_t n, struct cdc_buf *out);

/* Helpers shared by the canonical printers (diff_json.c). */
int df_text_json(const uint8_t *s, size_t n, struct cdc_buf *out);
int df_json_canon(const uint8_t *json, size_t n, struct cdc_buf *out);
int df_hex(const uint8_t *s, size_t n, struct cdc_buf *out);
int df_utf8_normalize(const uint8_t *s, size_t n, struct cdc_buf *out);

/* The Node oracle process. */
struct df_oracle {
    int pid, to_child, from_child;
};

/* Starts `node |script|`; returns 0 or -1 (message on stderr). */
int df_oracle_start(struct df_oracle *o, const char *script);
/* Sends one request and reads the answer into |out| (reset first).
 * Returns 0, or -1 when the oracle died or the pipe broke. */
int df_oracle_query(struct df_oracle *o, int layer, const uint8_t *in, size_t n,
                    struct cdc_buf *out);
void df_oracle_stop(struct df_oracle *o);
/* Default oracle.js path: $SIOSPEC_ORACLE, else the compiled-in one. */
const char *df_oracle_default(void);

/* Allow-list of documented differences. */
struct df_allow;
/* Loads |path|; returns NULL (message on stderr) on a bad file. */
struct df_allow *df_allow_load(const char *path);
void df_allow_free(struct df_allow *a);
/* Returns the reason of the first entry matching, or NULL. */
const char *df_allow_match(const struct df_allow *a, int layer, char cls, const char *c_line,
                           const char *js_line, const uint8_t *in, size_t n);

/* The outcome of one comparison. */
struct df_result {
    char cls;            /* 0 when equal, else 'A'..'D' */
    size_t line;         /* first differing event (0-based) */
    char c_line[512];    /* that event, as the codec printed it */
    char js_line[512];   /* and as the reference printed it */
    const char *allowed; /* allow-list reason, NULL for a finding */
};

/* Compares two canonical texts and classifies the first difference. */
void df_classify(const struct cdc_buf *c, const struct cdc_buf *js, struct df_result *r);

/* Runs one input through both sides; returns 0, or -1 on oracle failure. */
int df_check(struct df_oracle *o, const struct df_allow *a, int layer, const uint8_t *in, size_t n,
             struct df_result *r);

/* Prints |r| as a finding (with the input in hex) to stdout. */
void df_report(int layer, const uint8_t *in, size_t n, const struct df_result *r);

#endif
