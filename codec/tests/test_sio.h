/*
 * test_sio.h - shared pieces of the Socket.IO codec tests: the one-line
 * transcript format of a decoded packet, option presets and the vector
 * tables (defined in test_sio_vectors.c).
 */
#ifndef CODEC_TESTS_TEST_SIO_H
#define CODEC_TESTS_TEST_SIO_H

#include "helpers.h"

#include "codec/sio.h"

/* One decoder vector. y_ rows are accepted in both modes, i_ rows only in
 * compat mode (with |quirks|), n_ rows in neither. */
struct sio_vec {
    const char *name;
    int ver;          /* sio_version: 5 or 4 */
    const char *in;   /* wire text of the Socket.IO packet */
    size_t len;       /* 0: strlen(in) */
    int strict_rc;    /* expected result in strict mode */
    int compat_rc;    /* expected result in compat mode */
    const char *line; /* expected transcript when accepted */
    uint32_t quirks;  /* quirk bits compat mode must report */
    bool canon;       /* encode(decode(in)) must give back |in| */
};

extern const struct sio_vec ts_vectors[];
extern const size_t ts_vectors_n;

/* Options: |ver| 4 or 5, |mode| strict or compat, default limits. */
struct cdc_opts ts_opts(int ver, enum cdc_mode mode);

/* Writes the transcript line of |p| into |out|:
 * TYPE[ att=N] nsp=NSP[ id=N][ data=JSON], bytes outside ASCII escaped. */
void ts_format(const struct sio_packet *p, int ver, char *out, size_t cap);

/* Compares |p|'s transcript with |exp|, printing both when they differ. */
int ts_line_eq(const char *what, const char *exp, const struct sio_packet *p, int ver);

/* Prints the quirk names of both masks when they differ. */
int ts_quirks_eq(const char *what, uint32_t exp, uint32_t act);

#endif
