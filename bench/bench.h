/*
 * bench.h - shared declarations of the codec benchmark (codec_bench).
 *
 * The benchmark measures the siospec codec on a deterministic corpus of
 * realistic Engine.IO / Socket.IO traffic and, when node and the pinned
 * reference parsers are installed, the reference parsers on the very same
 * corpus (bench/ref_bench.js). It is a measuring tool, not a test: only the
 * smoke run (ctest bench_smoke) checks anything, namely that every record
 * decodes and re-encodes to its own bytes.
 *
 * Corpus file format (bench/README.md has the same text):
 *   header  8 bytes  "SIOBNCH1"
 *   record  [u8 kind][u32 little-endian length][length bytes], repeated to EOF
 * Kinds are enum bench_kind. A SIO_BINARY record (the text frame of a
 * binary event) is followed by exactly as many SIO_ATTACHMENT records (raw
 * WebSocket binary frames) as its header announces.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "codec/cdc.h"
#include "codec/eio.h"
#include "codec/sio.h"

#define BENCH_MAGIC "SIOBNCH1"
#define BENCH_MAGIC_LEN 8
#define BENCH_DEFAULT_SEED 0x51057bec0de5eedull

/* Record kinds: the wire value of the kind byte. Never renumbered. */
enum bench_kind {
    BK_EIO4_POLL = 1,      /* Engine.IO v4 polling body (0x1E-joined, 'b'+base64) */
    BK_EIO4_WS = 2,        /* Engine.IO v4 WebSocket text frame */
    BK_EIO3_POLL = 3,      /* Engine.IO v3 text polling body ("<len>:" UTF-16 units) */
    BK_SIO_SMALL = 4,      /* WS text frame "4" + Socket.IO v5 packet, < 1 KB */
    BK_SIO_MEDIUM = 5,     /* same, 1 KB .. 64 KB events */
    BK_SIO_BINARY = 6,     /* WS text frame of a BINARY_EVENT / BINARY_ACK header */
    BK_SIO_ATTACHMENT = 7, /* WS binary frame: one attachment of the preceding header */
    BK_SIO_LARGE = 8,      /* WS text frame of a 100 KB .. 1 MB JSON event */
};

/* Benchmark classes, in report order. Each class is one record kind; a
 * BK_SIO_BINARY unit also owns its attachment records. */
enum bench_class {
    BC_EIO4_POLL = 0,
    BC_EIO4_WS,
    BC_EIO3_POLL,
    BC_SIO_SMALL,
    BC_SIO_MEDIUM,
    BC_SIO_BINARY,
    BC_SIO_LARGE,
    BC_COUNT,
};

/* Generation parameters. |scale| multiplies every record count (1.0 is the
 * default corpus, about 35 MB; 0.01 the smoke corpus). */
struct bench_gen_opts {
    uint64_t seed;
    double scale;
};

/* Writes a corpus to |path|. Returns 0, or -1 after printing why. */
int bench_gen_corpus(const char *path, const struct bench_gen_opts *g);

/* One record of a loaded corpus; |p| points into the loaded file. */
struct bench_rec {
    uint8_t kind;
    const uint8_t *p;
    size_t len;
};

/* A unit of work: one record, or a binary header plus its attachments. */
struct bench_unit {
    size_t rec;   /* index of the first record */
    size_t nrec;  /* records in the unit */
    size_t bytes; /* wire bytes of all of them */
};

struct bench_class_data {
    struct bench_unit *units;
    size_t n_units;
    size_t bytes;  /* wire bytes of one pass */
    uint64_t pkts; /* packets of one pass, counted while preparing */
    void *prep;    /* per-class decoded state used by the encoder */
};

struct bench_corpus {
    uint8_t *file; /* the whole file */
    size_t file_len;
    uint64_t fnv; /* FNV-1a 64 of the file, printed to show determinism */
    struct bench_rec *recs;
    size_t n_recs;
    struct bench_class_data cls[BC_COUNT];
};

/* Loads and indexes |path|. Returns 0 or -1 after printing why. */
int bench_corpus_load(struct bench_corpus *c, const char *path);
/* Frees everything bench_corpus_load and bench_prep allocated. */
void bench_corpus_free(struct bench_corpus *c);

/* Static facts of a class. */
const char *bench_class_name(int cls);
const char *bench_class_size(int cls); /* "small", "medium", "binary", "large" */
/* Minimum C/reference ratio the class must reach, 0 for none. */
double bench_class_target(int cls);

/* The codec side. bench_prep decodes the class once, keeps what the encoder
 * needs and checks that encoding gives back the input bytes; it returns 0 or
 * -1 after printing the first failure. The pass functions run one pass over
 * the class and add the packets and bytes they handled; they return 0 or -1
 * after printing the failure. */
int bench_prep(struct bench_corpus *c, int cls);
void bench_unprep(struct bench_corpus *c, int cls);
int bench_decode_pass(struct bench_corpus *c, int cls, uint64_t *pkts, uint64_t *bytes);
int bench_encode_pass(struct bench_corpus *c, int cls, uint64_t *pkts, uint64_t *bytes);

/* One measured figure. */
struct bench_fig {
    int valid;
    uint64_t passes;
    double seconds;
    uint64_t bytes;
    uint64_t pkts;
};

/* Measured figures of both sides: [class][0 = decode, 1 = encode]. */
struct bench_results {
    struct bench_fig c[BC_COUNT][2];
    struct bench_fig ref[BC_COUNT][2];
    char ref_versions[512];
    int ref_ran; /* the reference ran for every class without error */
};

/* How long and how often to run each class and direction. */
struct bench_run_opts {
    double min_time;     /* timed seconds per class and direction (not with iterations) */
    double warmup;       /* seconds of untimed passes first (at least one pass) */
    uint64_t iterations; /* fixed number of timed passes, 0 = use min_time */
    unsigned rounds;     /* min_time is split into rounds; the fastest is kept */
};

/* Runs the reference benchmark: spawns |argv| (argv[0] is looked up in
 * PATH), reads its "REF ..." lines into |r->ref| and |r->ref_versions|, and
 * passes any other line to stderr. Returns 0, or -1 after printing why (the
 * program could not start, failed, or reported an error). */
int bench_ref_run(char *const argv[], struct bench_results *r);

/* Class index of |name|, or -1. */
int bench_class_find(const char *name, size_t n);

/* Monotonic time in seconds. */
double bench_now(void);

#endif
