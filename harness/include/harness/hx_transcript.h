/*
 * hx_transcript.h - the wire transcript of one session.
 *
 * Every byte the harness sends or receives, and every packet it decodes, is
 * recorded as one entry: time offset (microseconds since the transcript's
 * start), direction, transport tag and channel, and either the raw bytes or
 * a one-line decoded description. Printed, one line per entry:
 *
 *   +12ms S>C ws#2 eio message text="hello"
 *   +13ms C>S ws#2 sio EVENT nsp=/admin id=3 data=["foo",1]
 *   +14ms C>S http#5 bytes[61] "POST /socket.io/?EIO=4&transport=polling..."
 *
 * Memory is bounded: once |max_bytes| of entry data are stored, further
 * data is truncated and counted in hx_transcript_dropped().
 *
 * Thread rules: a transcript belongs to one session and one thread; it has
 * no locks.
 */
#ifndef HARNESS_HX_TRANSCRIPT_H
#define HARNESS_HX_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codec/cdc.h"

enum hx_dir {
    HX_DIR_NOTE = 0, /* harness remark ("--") */
    HX_DIR_OUT = 1,  /* client to server ("C>S") */
    HX_DIR_IN = 2,   /* server to client ("S>C") */
};

enum hx_tr_kind {
    HX_TR_BYTES = 0, /* raw wire bytes (HTTP request/response, WS payload) */
    HX_TR_TEXT = 1,  /* a decoded packet or a note, one line */
};

struct hx_tr_entry {
    uint64_t t_us; /* microseconds since the transcript started */
    enum hx_dir dir;
    enum hx_tr_kind kind;
    char tp[8];      /* "http", "ws", "raw", "tcp", or "" */
    unsigned chan;   /* transport channel id, 0 when none */
    size_t len;      /* bytes stored at |data| */
    size_t orig_len; /* bytes the event had (> len when truncated) */
    const uint8_t *data;
};

struct hx_transcript;

/* Allocates a transcript whose time zero is |t0_us| and which stores at most
 * |max_bytes| of entry data (0 = 8 MiB). Returns HX_OK or HX_ERR_NOMEM. */
int hx_transcript_new(struct hx_transcript **out, uint64_t t0_us, size_t max_bytes);
/* Frees |tr| and every entry; NULL is allowed. */
void hx_transcript_del(struct hx_transcript *tr);

/* Records raw bytes. |tp| is a short tag (copied, at most 7 chars). Copies
 * |p|. Returns HX_OK or HX_ERR_NOMEM (the entry is then dropped). */
int hx_transcript_bytes(struct hx_transcript *tr, uint64_t now_us, enum hx_dir dir, const char *tp,
                        unsigned chan, const void *p, size_t n);
/* Records one printf-formatted line (no newline). */
int hx_transcript_textf(struct hx_transcript *tr, uint64_t now_us, enum hx_dir dir, const char *tp,
                        unsigned chan, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Number of entries, and entry |i| (NULL when out of range). The entry and
 * its data stay valid until hx_transcript_del. */
size_t hx_transcript_count(const struct hx_transcript *tr);
const struct hx_tr_entry *hx_transcript_get(const struct hx_transcript *tr, size_t i);
/* Bytes of entry data not stored because of the limit. */
size_t hx_transcript_dropped(const struct hx_transcript *tr);

/* Appends entry |e| as one printed line (with '\n') to |out|; raw bytes are
 * C-escaped and cut after |max_show| bytes (0 = no cut). Returns CDC_OK,
 * CDC_ERR_TOO_LARGE or CDC_ERR_NOMEM. */
int hx_tr_entry_format(const struct hx_tr_entry *e, size_t max_show, struct cdc_buf *out);
/* Appends every entry, one line each, to |out|. */
int hx_transcript_format(const struct hx_transcript *tr, size_t max_show, struct cdc_buf *out);
/* Prints every entry to |f|. Returns HX_OK or HX_ERR_NOMEM. */
int hx_transcript_print(const struct hx_transcript *tr, size_t max_show, FILE *f);

/* Appends |n| bytes C-escaped (\n, \r, \t, \\, \", \xNN for the rest of
 * the non-printables) to |out|. */
int hx_escape(const void *p, size_t n, struct cdc_buf *out);

#endif
