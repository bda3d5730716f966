/*
 * cdc_utf8.c - UTF-8 validation and UTF-16 code unit counting.
 *
 * Two views of the same bytes:
 *  - strict: RFC 3629 well-formedness (cdc_utf8_check), shared with the
 *    JSON validator through cdc_utf8_seq.h;
 *  - JavaScript: the WHATWG decoder that Node applies to HTTP bodies and
 *    WebSocket text, where each maximal invalid subpart becomes one U+FFFD,
 *    followed by counting UTF-16 code units as String.length does. Engine.IO
 *    v3 length prefixes count in those units.
 *
 * Nothing here allocates or fails on bad input except cdc_utf8_check, whose
 * job is to say where the input stops being UTF-8.
 *
 * Speed: text is read a 64-bit word at a time (32 bytes at a time with AVX2,
 * see avx2_scan). An ASCII word costs a test;
 * a word with non-ASCII bytes goes through a small branch-free automaton
 * (the length of each sequence never steers the code). On well-formed
 * input a character's UTF-16 length follows from its bytes (a 4-byte
 * sequence is a surrogate pair, anything else one unit), so counting is a
 * few bit operations per word and needs no decoding. Only when the fast
 * pass meets ill-formed bytes does the exact walk run: sequence by
 * sequence (cdc_utf8_seq.h) for the error offset, the WHATWG way for the
 * U+FFFD count. Both passes agree on every input; the tests compare them
 * with a model at every byte offset of a word.
 */
#include "codec/cdc.h"

#include "cdc_swar.h"
#include "cdc_text.h"
#include "cdc_utf8_seq.h"

#include <string.h>

/* WHATWG "UTF-8 decoder": the lead byte fixes the count of continuation
 * bytes and the allowed range of the first one (this excludes overlongs,
 * surrogates and values above U+10FFFF). A byte outside the range ends the
 * subpart without being consumed. */
size_t cdc_utf8_step(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t c = p[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0Fu;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07u;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi) {
            *cp = 0xFFFD;
            return i;
        }
        v = v << 6 | (p[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return i;
}

/*
 * A validating automaton for words of mixed text. Its state is a bit offset
 * (a multiple of 6) into a 64-bit row chosen by the byte's class, so a step
 * is two table lookups that do not depend on the state and one shift that
 * does, with no branch. States: at a sequence boundary, failed (a sink),
 * 1-3 continuation bytes still due, or the narrowed second byte after E0,
 * ED, F0 and F4 (the rules of cdc_utf8_seq.h).
 */
enum {
    U8_OK = 0,
    U8_ERR = 6,
    U8_C1 = 12,
    U8_C2 = 18,
    U8_C3 = 24,
    U8_E0 = 30,
    U8_ED = 36,
    U8_F0 = 42,
    U8_F4 = 48,
};

/* The next state from each state (U8_ERR always stays U8_ERR). */
#define U8_ROW(ok, c1, c2, c3, e0, ed, f0, f4)                                                     \
    ((uint64_t)(ok) << U8_OK | (uint64_t)U8_ERR << U8_ERR | (uint64_t)(c1) << U8_C1 |              \
     (uint64_t)(c2) << U8_C2 | (uint64_t)(c3) << U8_C3 | (uint64_t)(e0) << U8_E0 |                 \
     (uint64_t)(ed) << U8_ED | (uint64_t)(f0) << U8_F0 | (uint64_t)(f4) << U8_F4)
#define U8_LEAD(to) U8_ROW(to, U8_ERR, U8_ERR, U8_ERR, U8_ERR, U8_ERR, U8_ERR, U8_ERR)

enum { ASC, C80, C90, CA0, BAD, L2, LE0, L3, LED, LF0, L4, LF4 };

static const uint64_t u8_rows[] = {
    [ASC] = U8_LEAD(U8_OK),
    [C80] = U8_ROW(U8_ERR, U8_OK, U8_C1, U8_C2, U8_ERR, U8_C1, U8_ERR, U8_C2),
    [C90] = U8_ROW(U8_ERR, U8_OK, U8_C1, U8_C2, U8_ERR, U8_C1, U8_C2, U8_ERR),
    [CA0] = U8_ROW(U8_ERR, U8_OK, U8_C1, U8_C2, U8_C1, U8_ERR, U8_C2, U8_ERR),
    [BAD] = U8_LEAD(U8_ERR),
    [L2] = U8_LEAD(U8_C1),
    [LE0] = U8_LEAD(U8_E0),
    [L3] = U8_LEAD(U8_C2),
    [LED] = U8_LEAD(U8_ED),
    [LF0] = U8_LEAD(U8_F0),
    [L4] = U8_LEAD(U8_C3),
    [LF4] = U8_LEAD(U8_F4),
};

/* Byte classes: 80-8F, 90-9F and A0-BF differ after E0, ED, F0 and F4. */
static const uint8_t u8_class[256] = {
    /* clang-format off */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 00 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 10 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 20 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 30 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 40 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 50 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 60 */
    ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, ASC, /* 70 */
    C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, C80, /* 80 */
    C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, C90, /* 90 */
    CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, /* A0 */
    CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, CA0, /* B0 */
    BAD, BAD, L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  /* C0 */
    L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  L2,  /* D0 */
    LE0, L3,  L3,  L3,  L3,  L3,  L3,  L3,  L3,  L3,  L3,  L3,  L3,  LED, L3,  L3,  /* E0 */
    LF0, L4,  L4,  L4,  LF4, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, BAD, /* F0 */
    /* clang-format on */
};

/* One step. The state is the low 6 bits of |s|; the bits above are left
 * over from the row and ignored (the shift count is masked, which common
 * targets' shift instructions do by themselves). */
static inline uint64_t u8_step(uint64_t s, uint8_t c)
{
    return u8_rows[u8_class[c]] >> (s & 63);
}

/* Eight steps, written out: the compiler keeps a counted loop otherwise. */
static inline uint64_t u8_run8(uint64_t s, const uint8_t *p)
{
    s = u8_step(s, p[0]);
    s = u8_step(s, p[1]);
    s = u8_step(s, p[2]);
    s = u8_step(s, p[3]);
    s = u8_step(s, p[4]);
    s = u8_step(s, p[5]);
    s = u8_step(s, p[6]);
    return u8_step(s, p[7]);
}

static inline unsigned u8_state(uint64_t s)
{
    return (unsigned)(s & 63);
}

/* Flags, in the high bit of each byte of |w|, the bytes well-formed UTF-8
 * adds a UTF-16 unit for beyond one per byte (4-byte leads, 11110xxx) in
 * |*four|, and returns those it adds none for (continuations, 10xxxxxx).
 * Every shifted bit tested lands in its own byte, so each flag is exact. */
static inline uint64_t unit_flags(uint64_t w, uint64_t *four)
{
    uint64_t lead = w & (w << 1); /* 11xxxxxx */
    *four = lead & (lead << 2) & SWAR_HIGHS;
    return w & ~(w << 1) & SWAR_HIGHS;
}

/* Sum of the bytes of |acc| (each at most 255). */
static inline size_t byte_sum(uint64_t acc)
{
    uint64_t pairs = (acc & 0x00FF00FF00FF00FFull) + ((acc >> 8) & 0x00FF00FF00FF00FFull);
    return (size_t)((pairs * 0x0001000100010001ull) >> 48);
}

/* UTF-16 units that the lead bytes of word |w| start, valid only on
 * well-formed input: one per byte that is not 10xxxxxx, plus one per
 * 4-byte lead (11110xxx), whose code point needs a surrogate pair. */
static inline size_t word_units(uint64_t w)
{
    uint64_t four, cont = unit_flags(w, &four);
    return 8 - swar_count(cont) + swar_count(four);
}

static size_t byte_units(uint8_t c)
{
    return (c & 0xC0) != 0x80 ? 1u + (c >= 0xF0) : 0u;
}

/* Runs the automaton over |in| a word at a time (ASCII words only check
 * that no sequence is open); sets |*units| as word_units counts them.
 * Returns true when |in| is well-formed, and only then is |*units| right. */
static bool fast_scan(const uint8_t *in, size_t n, size_t *units)
{
    size_t i = 0, u = 0;
    uint64_t s = U8_OK;
    for (; n - i >= 8; i += 8) {
        uint64_t w = swar_load(in + i);
        if ((w & SWAR_HIGHS) == 0) {
            if (u8_state(s) != U8_OK)
                return false;
            u += 8;
            continue;
        }
        s = u8_run8(s, in + i);
        u += word_units(w);
    }
    for (; i < n; i++) {
        s = u8_step(s, in[i]);
        u += byte_units(in[i]);
    }
    *units = u;
    return u8_state(s) == U8_OK;
}

/*
 * Thirty-two bytes at a time on x86-64 processors with AVX2, chosen at run
 * time (the code is compiled for it separately; other targets and older
 * processors use fast_scan). Written with the GCC/Clang vector extensions.
 *
 * Well-formed UTF-8 as rules on each byte b and the three before it (p1,
 * p2, p3):
 *  - b is a continuation (80-BF) exactly when p1 is a lead (>= C0), p2 a
 *    3- or 4-byte lead (>= E0) or p3 a 4-byte lead (>= F0);
 *  - C0, C1 and F5-FF never occur;
 *  - after E0 the next byte is >= A0, after ED <= 9F, after F0 >= 90, after
 *    F4 <= 8F (no overlongs, surrogates or values above U+10FFFF);
 *  - the text does not end inside a sequence.
 * These are the rules of cdc_utf8_seq.h and of the automaton, checked for
 * 32 bytes at once with no branch on the bytes. Lanes are signed bytes,
 * and x ^ 0x80 turns unsigned order into signed order, so each test is one
 * signed comparison.
 */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target)
#define CDC_UTF8_AVX2 1
#endif
#endif

#ifdef CDC_UTF8_AVX2
typedef int8_t i8x32 __attribute__((vector_size(32)));
typedef uint8_t u8x32 __attribute__((vector_size(32))); /* per-lane counts, up to 255 */
typedef uint64_t u64x4 __attribute__((vector_size(32)));

#define S8(x) ((int8_t)((x)-256)) /* byte 0x80-0xFF as a signed lane value */
#define AVX2 __attribute__((target("avx2")))

static inline AVX2 i8x32 v_load(const uint8_t *p)
{
    i8x32 v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One block at |q| (q[-3..-1] readable, read as overlapping loads): ORs
 * the lanes that break a rule into |*err|; counts continuations and 4-byte
 * leads per lane. */
static inline AVX2 void v_block(const uint8_t *q, i8x32 *err, u8x32 *conts, u8x32 *fours)
{
    i8x32 b = v_load(q), p1 = v_load(q - 1), p2 = v_load(q - 2), p3 = v_load(q - 3);
    i8x32 due = ((p1 ^ S8(0x80)) > 0x3F) | ((p2 ^ S8(0x80)) > 0x5F) | ((p3 ^ S8(0x80)) > 0x6F);
    u64x4 high = (u64x4)(b < 0);
    if ((high[0] | high[1] | high[2] | high[3]) == 0) {
        *err |= due; /* ASCII: fine unless a sequence was left open */
        return;
    }
    i8x32 ub = b ^ S8(0x80);   /* unsigned b - 0x80, as a signed lane */
    i8x32 cont = b < S8(0xC0); /* signed: exactly 80-BF */
    i8x32 e = cont ^ due;
    e |= ((b & S8(0xFE)) == S8(0xC0)) | (ub > 0x74); /* C0, C1, F5-FF */
    /* Where b is no continuation the lines above flagged it already, so
     * these range tests (on raw b) need to be right for 80-BF only. */
    e |= ((p1 == S8(0xE0)) & (b < S8(0xA0))) | ((p1 == S8(0xED)) & (b > S8(0x9F)));
    e |= ((p1 == S8(0xF0)) & (b < S8(0x90))) | ((p1 == S8(0xF4)) & (b > S8(0x8F)));
    *err |= e;
    *conts -= (u8x32)cont;        /* a true lane is all ones: adds 1 */
    *fours -= (u8x32)(ub > 0x6F); /* F0-FF */
}

/* Sum of the 32 byte lanes of |v| read as unsigned (each at most 255). */
static inline AVX2 size_t v_sum(u8x32 v)
{
    u64x4 w = (u64x4)v;
    return byte_sum(w[0]) + byte_sum(w[1]) + byte_sum(w[2]) + byte_sum(w[3]);
}

/* v_load(keep_tail + k) keeps the last |k| lanes (lane j reads keep_tail[k + j]). */
static const uint8_t keep_tail[64] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* fast_scan's contract for texts of 35 bytes or more. The first three bytes
 * go through the automaton (their rules only involve each other); every
 * block from offset 3 on is read in place with its real context; the last
 * block is the text's final 32 bytes, overlapping the one before: checking
 * bytes twice is harmless, and the overlap is masked out of the counts.
 * Lane counts are summed at least every 255 blocks. */
static AVX2 bool avx2_scan(const uint8_t *in, size_t n, size_t *units)
{
    uint64_t s = u8_step(u8_step(u8_step(U8_OK, in[0]), in[1]), in[2]);
    if (u8_state(s) == U8_ERR)
        return false;
    size_t head = byte_units(in[0]) + byte_units(in[1]) + byte_units(in[2]);
    size_t less = 0, more = 0, i = 3;
    i8x32 err = {0};
    u8x32 conts = {0}, fours = {0};
    while (n - i > 32) {
        size_t stop = n - i > 32 * 255 ? i + 32 * 255 : n - 32;
        for (; i < stop; i += 32)
            v_block(in + i, &err, &conts, &fours);
        less += v_sum(conts);
        more += v_sum(fours);
        conts = fours = (u8x32){0};
    }
    /* The final 32 bytes; the lanes before |i| were counted already. */
    u8x32 keep = (u8x32)v_load(keep_tail + (n - i));
    v_block(in + n - 32, &err, &conts, &fours);
    less += v_sum(conts & keep);
    more += v_sum(fours & keep);
    if (in[n - 1] >= 0xC0 || in[n - 2] >= 0xE0 || in[n - 3] >= 0xF0)
        return false; /* the text ends inside a sequence */
    u64x4 any = (u64x4)err;
    *units = head + (n - 3) - less + more;
    return (any[0] | any[1] | any[2] | any[3]) == 0;
}
#undef AVX2
#undef S8
#endif

size_t cdc_utf16_units_trusted(const uint8_t *in, size_t n)
{
    /* Whole words: bytes - continuations + 4-byte leads, counted per byte
     * lane in |less| and |more| for at most 255 words, then summed. */
    size_t i = 0, less = 0, more = 0;
    while (n - i >= 8) {
        size_t words = (n - i) / 8 < 255 ? (n - i) / 8 : 255;
        uint64_t lanes_less = 0, lanes_more = 0;
        for (size_t k = 0; k < words; k++, i += 8) {
            uint64_t four, cont = unit_flags(swar_load(in + i), &four);
            lanes_less += cont >> 7;
            lanes_more += four >> 7;
        }
        less += byte_sum(lanes_less);
        more += byte_sum(lanes_more);
    }
    size_t u = i - less + more;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (i < n && n >= 8) {
        /* The last word again, flags of the bytes already counted cleared:
         * on little-endian targets they are the low ones. */
        uint64_t four, cont = unit_flags(swar_load(in + n - 8), &four);
        uint64_t keep = ~0ull << (8 * (8 - (n - i)));
        return u + (n - i) - swar_count(cont & keep) + swar_count(four & keep);
    }
#endif
    for (; i < n; i++)
        u += byte_units(in[i]);
    return u;
}

bool cdc_utf8_scan(const uint8_t *in, size_t n, size_t *units, bool portable)
{
    if (n == 0) {
        *units = 0;
        return true; /* |in| may be NULL */
    }
#ifdef CDC_UTF8_AVX2
    if (!portable && n >= 35 && __builtin_cpu_supports("avx2"))
        return avx2_scan(in, n, units);
#endif
    (void)portable;
    return fast_scan(in, n, units);
}

/* Where |in| stops being UTF-8, sequence by sequence (exact offsets). */
static int exact_check(const uint8_t *in, size_t n, struct cdc_diag *diag)
{
    const uint8_t *p = in, *end = in + n;
    while ((p = cdc_skip_ascii(p, end)) < end) {
        /* A non-ASCII run: sequence after sequence until ASCII resumes. */
        do {
            size_t k = cdc_utf8_seq(p, end);
            if (k == 0) {
                if (diag) {
                    diag->off = (size_t)(p - in);
                    diag->why = "invalid UTF-8 sequence";
                }
                return CDC_ERR_UTF8;
            }
            p += k;
        } while (p < end && *p >= 0x80);
    }
    return CDC_OK;
}

int cdc_utf8_check(const uint8_t *in, size_t n, struct cdc_diag *diag)
{
    size_t units;
    if (n == 0)
        return CDC_OK; /* |in| may be NULL: no pointer arithmetic on it */
    if (cdc_utf8_scan(in, n, &units, false))
        return CDC_OK;
    return exact_check(in, n, diag);
}

/* The non-ASCII character at |p| as a JS string holds it: sets |*k| to its
 * byte length and returns its UTF-16 units. A well-formed sequence is one
 * code point (two units above U+FFFF, i.e. 4 bytes); anything else is one
 * U+FFFD per maximal invalid subpart, and clears |*valid|. */
static size_t char_units(const uint8_t *p, const uint8_t *end, size_t *k, bool *valid)
{
    size_t len = cdc_utf8_seq(p, end);
    if (len) {
        *k = len;
        return len == 4 ? 2 : 1;
    }
    uint32_t cp;
    *k = cdc_utf8_step(p, (size_t)(end - p), &cp);
    *valid = false;
    return 1;
}

size_t cdc_utf16_units(const uint8_t *in, size_t n)
{
    size_t units = 0;
    bool valid = true;
    if (n == 0)
        return 0; /* |in| may be NULL */
    if (cdc_utf8_scan(in, n, &units, false))
        return units;
    /* Ill-formed somewhere: character by character, as the decoder reads. */
    const uint8_t *p = in, *end = in + n;
    units = 0;
    while (p < end) {
        const uint8_t *q = cdc_skip_ascii(p, end);
        units += (size_t)(q - p); /* one unit per ASCII byte */
        p = q;
        while (p < end && *p >= 0x80) {
            size_t k;
            units += char_units(p, end, &k, &valid);
            p += k;
        }
    }
    return units;
}

/* The prefix walk on well-formed text: whole words while they end before
 * the boundary, then byte by byte (a character starts at every byte that
 * is not 10xxxxxx). Returns false as soon as the bytes it has to read are
 * not UTF-8; otherwise true with the answer of cdc_utf16_prefix in |*out|. */
static bool fast_prefix(const uint8_t *in, size_t n, size_t units, size_t *out)
{
    size_t i = 0, have = 0;
    uint64_t s = U8_OK;
    for (; n - i >= 8; i += 8) {
        uint64_t w = swar_load(in + i);
        bool ascii = (w & SWAR_HIGHS) == 0;
        size_t wu = ascii ? 8 : word_units(w);
        if (have + wu >= units)
            break;
        if (ascii && u8_state(s) != U8_OK)
            return false;
        s = ascii ? s : u8_run8(s, in + i);
        have += wu;
    }
    for (; i < n; i++) {
        if ((in[i] & 0xC0) != 0x80) {
            if (have >= units)
                break;
            have += 1u + (in[i] >= 0xF0);
        }
        s = u8_step(s, in[i]);
        if (u8_state(s) == U8_ERR)
            return false;
    }
    if (u8_state(s) != U8_OK)
        return false;
    /* Overshooting by one unit means the boundary falls inside a pair. */
    *out = have == units ? i : SIZE_MAX;
    return true;
}

size_t cdc_utf16_prefix_valid(const uint8_t *in, size_t n, size_t units, bool *valid)
{
    size_t have = 0, i = 0;
    *valid = true;
    if (fast_prefix(in, n, units, &i))
        return i;
    /* Ill-formed bytes before the boundary: character by character. */
    while (have < units) {
        if (i >= n)
            return SIZE_MAX;
        if (in[i] < 0x80) {
            /* ASCII: one byte per unit, up to the units still wanted. */
            size_t room = units - have < n - i ? units - have : n - i;
            size_t k = (size_t)(cdc_skip_ascii(in + i, in + i + room) - (in + i));
            have += k;
            i += k;
            continue;
        }
        size_t k;
        have += char_units(in + i, in + n, &k, valid);
        i += k;
    }
    return have == units ? i : SIZE_MAX;
}

size_t cdc_utf16_prefix(const uint8_t *in, size_t n, size_t units)
{
    bool valid;
    return cdc_utf16_prefix_valid(in, n, units, &valid);
}
