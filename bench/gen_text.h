/*
 * gen_text.h - building blocks of the corpus generator: a seeded RNG,
 * appending to the record under construction, and canonical JSON pieces
 * (strings with realistic non-ASCII text, numbers in JSON.stringify form,
 * chat messages, list items, time-series points, documents, placeholders).
 *
 * Allocation failures are remembered in |err| and reported by gen_emit, so
 * the writers need no error plumbing.
 */
#ifndef BENCH_GEN_TEXT_H
#define BENCH_GEN_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "codec/cdc.h"

struct gen {
    uint64_t state;   /* splitmix64 */
    struct cdc_buf b; /* the record under construction */
    FILE *f;          /* borrowed output */
    int err;
};

/* Starts a generator writing to |f| (borrowed) from |seed|. */
void gen_init(struct gen *g, FILE *f, uint64_t seed);
/* Frees the record buffer. */
void gen_free(struct gen *g);
/* Writes the record under construction as |kind| and empties it. Returns 0
 * or -1 (write or allocation failure). */
int gen_emit(struct gen *g, uint8_t kind);

/* Uniform in [0, n); n > 0 (gen_below64: up to a modulo bias that no
 * benchmark cares about). */
unsigned gen_below(struct gen *g, unsigned n);
uint64_t gen_below64(struct gen *g, uint64_t n);
/* Log-uniform size in [lo, hi], integers only (same on every machine). */
size_t gen_logsize(struct gen *g, size_t lo, size_t hi);

/* Append a NUL-terminated string, one byte, a decimal number. */
void gen_put(struct gen *g, const char *s);
void gen_putc(struct gen *g, char c);
void gen_putu(struct gen *g, uint64_t v);

/* |words| words, |uni_pct| percent of them non-ASCII. With |json| the text
 * sits inside a JSON string and sometimes carries \" \\ \n \t escapes. */
void gen_sentence(struct gen *g, unsigned words, unsigned uni_pct, bool json);
/* A JSON string token of such a sentence. */
void gen_str(struct gen *g, unsigned words, unsigned uni_pct);
/* |n| URL-safe base64 characters (session ids, tokens). */
void gen_token(struct gen *g, unsigned n);
/* A decimal number in shortest round-trip form. */
void gen_dec(struct gen *g);
/* A random JSON value nested at most |depth| deep. */
void gen_value(struct gen *g, unsigned depth);
/* {"user":...,"text":...,"ts":...} with |words| words of text. */
void gen_chat_obj(struct gen *g, unsigned words);
/* A list item object: id |i|, name, tags, score, owner, history. */
void gen_item(struct gen *g, size_t i);
/* A time-series point [ts, dec, dec, int]. */
void gen_point(struct gen *g, size_t i);
/* A document object with a long text body. */
void gen_document(struct gen *g);
/* {"_placeholder":true,"num":N} */
void gen_placeholder(struct gen *g, unsigned num);

/* |n| random bytes. */
void gen_bytes(struct gen *g, size_t n);
/* Standard padded base64 of |n| random bytes. */
void gen_b64_random(struct gen *g, size_t n);
/* Inserts "<UTF-16 units of the bytes from |start|>:" at |start|. */
void gen_prefix_utf16_len(struct gen *g, size_t start);

#endif
