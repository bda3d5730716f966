/*
 * fuzz_common.h - helpers shared by siospec's libFuzzer targets.
 *
 * Every target reads byte 0 of its input as a flag byte (fuzzing-notes
 * §4.1), so a raw wire capture becomes a seed by prepending one byte:
 *   bit0 FZ_OLD     Engine.IO v3 / Socket.IO v4 (clear: EIO v4 / SIO v5)
 *   bit1 FZ_COMPAT  compat mode (clear: strict)
 *   bit2 FZ_ALT     the target's alternative framing (binary, XHR2, error
 *                   body, Engine.IO-wrapped...; each target says which)
 *   bits 3-7        reserved: ignored today, so new options never
 *                   invalidate the corpus.
 *
 * Oracles abort() through FZ_CHECK, after printing the broken invariant.
 * The fuzzers run the codec with small limits (FZ_LIM_*) so the limit
 * paths are reachable with short inputs (fuzzing-notes §2.2 P5).
 *
 * Multi-message inputs (the Socket.IO decoder, the differential sequence
 * layer) are split on FZ_SEP, four bytes that are never valid UTF-8.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"
#include "codec/cdc_json.h"
#include "codec/eio.h"
#include "codec/sio.h"
#include "codec/wt.h"

#define FZ_OLD 0x01u
#define FZ_COMPAT 0x02u
#define FZ_ALT 0x04u

#define FZ_LIM_PAYLOAD 2048u
#define FZ_LIM_DEPTH 32u
#define FZ_LIM_ATTACHMENTS 10u
#define FZ_LIM_NSP 64u

#define FZ_SEP "\xfe\xfd\xfc\xfb"
#define FZ_SEP_LEN 4u

/* The entry point every target defines (and the only symbol it exports). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints |expr| and |what| with the location to stderr, then aborts. */
_Noreturn void fz_fail(const char *file, int line, const char *expr, const char *what);

#define FZ_CHECK(cond, what)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fz_fail(__FILE__, __LINE__, #cond, (what));                                            \
    } while (0)

/* Prints |n| bytes of |p| escaped to stderr, labelled (for failure notes). */
void fz_dump(const char *label, const void *p, size_t n);

/* Options for flag byte |flags|: versions, mode and the fuzzing limits. */
void fz_opts(unsigned flags, struct cdc_opts *o);

/* A diag preset to values no decoder writes, so fz_check_rc can tell
 * whether a failing call filled it. */
struct cdc_diag fz_diag(void);

/* Checks a decoder's return: non-negative, or a known cdc_err with |d|
 * filled (why set, off <= |len|). |d| may be NULL. */
void fz_check_rc(int rc, const struct cdc_diag *d, size_t len);

/* True when |s| lies inside [base, base + n). An empty span always does. */
bool fz_within(struct cdc_span s, const uint8_t *base, size_t n);
/* True when |s| lies inside |in| or inside the buffer |b| (may be NULL). */
bool fz_within2(struct cdc_span s, const uint8_t *in, size_t n, const struct cdc_buf *b);
/* Byte equality of two spans. */
bool fz_span_eq(struct cdc_span a, struct cdc_span b);

/* Checks the invariants every decoded Engine.IO packet must satisfy. */
void fz_check_eio_packet(const struct cdc_opts *o, const struct eio_packet *p);
/* Checks the invariants every decoded Socket.IO packet must satisfy. */
void fz_check_sio_packet(const struct cdc_opts *o, const struct sio_packet *p);
/* Structural equality (type, binary, data bytes). */
bool fz_eio_eq(const struct eio_packet *a, const struct eio_packet *b);
/* Structural equality (type, nsp, id, data bytes, attachments). */
bool fz_sio_eq(const struct sio_packet *a, const struct sio_packet *b);

/* A growable list of decoded Engine.IO packets whose data is copied. */
struct fz_pkts {
    struct eio_packet *v;
    size_t n, cap;
    struct cdc_buf bytes; /* data of all packets; v[i].data re-based on read */
    size_t *off;
};
void fz_pkts_init(struct fz_pkts *l);
void fz_pkts_free(struct fz_pkts *l);
/* Appends a copy of |p|; aborts on allocation failure (a harness bug). */
void fz_pkts_push(struct fz_pkts *l, const struct eio_packet *p);
/* Returns packet |i| with its data span pointing into the list. */
struct eio_packet fz_pkts_get(const struct fz_pkts *l, size_t i);

/* Decodes |in| as one polling payload of |kind| with the payload oracles:
 * bounded packet count, monotonic progress, sticky errors, packet
 * invariants, P1 re-encoding of every delivered packet list, and strict/
 * compat consistency. */
void fz_run_payload(const struct cdc_opts *o, enum eio_payload_kind kind, const uint8_t *in,
                    size_t n);

/* Splits |in| on FZ_SEP: returns the next part in |part| and advances
 * |*pos|; false when |*pos| is past the end. */
bool fz_next_part(const uint8_t *in, size_t n, size_t *pos, struct cdc_span *part);

/* A libc-backed allocator that counts live blocks and bytes and records the
 * peak, so targets can bound a decoder's memory (P5) and see leaks even in
 * builds without LeakSanitizer. */
struct fz_countmem {
    struct cdc_mem mem;
    size_t live_blocks, live_bytes, peak_bytes;
};
void fz_countmem_init(struct fz_countmem *m);

/* A tiny byte reader for building structures from fuzz input. */
struct fz_reader {
    const uint8_t *p;
    size_t n;
};
uint8_t fz_u8(struct fz_reader *r);
uint64_t fz_u64(struct fz_reader *r);
/* Takes up to |max| bytes (fewer at the end of input). */
struct cdc_span fz_bytes(struct fz_reader *r, size_t max);

#endif
