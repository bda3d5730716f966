/*
 * test_live_gen.c - the live fuzzer's generator: the same (seed, index)
 * gives the same case, other seeds give other sequences, the catalogue
 * comes up in full within 8 x entries cases, the CVE triggers it must
 * carry are there, and an Engine.IO-only server never gets Socket.IO
 * catalogue entries.
 */
#include "test_live.h"
#include "th_run.h"

#include "live/hx_live.h"

#include <stdio.h>
#include <string.h>

static void text_of(const struct hx_live_case *c, struct cdc_buf *out)
{
    cdc_buf_reset(out);
    CU_ASSERT_EQUAL(hx_live_case_write(c, NULL, out), CDC_OK);
}

static void test_live_gen_deterministic(void)
{
    struct hx_live_gen_opts o = {.seed = 7, .eio = 4, .sio = true};
    struct hx_live_case a, b;
    struct cdc_buf ta, tb;
    hx_live_case_init(&a);
    hx_live_case_init(&b);
    cdc_buf_init(&ta, 64u << 20, NULL);
    cdc_buf_init(&tb, 64u << 20, NULL);
    /* Forward, then backwards: case N does not depend on what came before. */
    for (uint64_t i = 0; i < 300; i++) {
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, i, &a), CDC_OK);
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, 299 - i, &b), CDC_OK);
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, i, &b), CDC_OK);
        text_of(&a, &ta);
        text_of(&b, &tb);
        CU_ASSERT(ta.len == tb.len && memcmp(ta.p, tb.p, ta.len) == 0);
        CU_ASSERT_EQUAL(a.index, i);
        CU_ASSERT(a.n >= 1 && a.n <= 256);
    }
    hx_live_case_free(&a);
    hx_live_case_free(&b);
    cdc_buf_free(&ta);
    cdc_buf_free(&tb);
}

static void test_live_gen_seeds_differ(void)
{
    struct hx_live_gen_opts o1 = {.seed = 1, .eio = 4, .sio = true};
    struct hx_live_gen_opts o2 = {.seed = 2, .eio = 4, .sio = true};
    struct hx_live_case a, b;
    struct cdc_buf ta, tb;
    hx_live_case_init(&a);
    hx_live_case_init(&b);
    cdc_buf_init(&ta, 64u << 20, NULL);
    cdc_buf_init(&tb, 64u << 20, NULL);
    unsigned same = 0, total = 200;
    for (uint64_t i = 0; i < total; i++) {
        hx_live_gen_case(&o1, i, &a);
        hx_live_gen_case(&o2, i, &b);
        text_of(&a, &ta);
        text_of(&b, &tb);
        same += ta.len == tb.len && memcmp(ta.p, tb.p, ta.len) == 0;
    }
    /* A few tiny cases may coincide; most must not. */
    CU_ASSERT(same < total / 5);
    hx_live_case_free(&a);
    hx_live_case_free(&b);
    cdc_buf_free(&ta);
    cdc_buf_free(&tb);
}

static void test_live_gen_catalogue_rotation(void)
{
    size_t n = hx_live_catalogue_count();
    CU_ASSERT_FATAL(n >= 20 && n < 64);
    struct hx_live_case c;
    hx_live_case_init(&c);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        struct hx_live_gen_opts o = {.seed = seed, .eio = 4, .sio = true};
        bool seen[64] = {false};
        /* The first round, then the catalogue slots of the second one. */
        for (uint64_t k = 0; k < 2 * n; k++) {
            CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, k < n ? k : n + 8 * (k - n), &c), CDC_OK);
            if (k == n) {
                for (size_t e = 0; e < n; e++)
                    CU_ASSERT(seen[e]);
                memset(seen, 0, sizeof(seen));
            }
            for (size_t e = 0; e < n; e++) {
                char want[64];
                snprintf(want, sizeof(want), "catalogue:%s", hx_live_catalogue_name(e));
                if (strcmp(c.gen, want) == 0)
                    seen[e] = true;
            }
        }
        for (size_t e = 0; e < n; e++)
            if (!seen[e])
                fprintf(stderr, "\nseed %llu: %s never came up\n", (unsigned long long)seed,
                        hx_live_catalogue_name(e));
        size_t all = 0;
        for (size_t e = 0; e < n; e++)
            all += seen[e];
        CU_ASSERT_EQUAL(all, n);
    }
    CU_ASSERT_PTR_NULL(hx_live_catalogue_name(n));
    hx_live_case_free(&c);
}

static size_t find_entry(const char *name)
{
    for (size_t i = 0; i < hx_live_catalogue_count(); i++)
        if (strcmp(hx_live_catalogue_name(i), name) == 0)
            return i;
    return SIZE_MAX;
}

/* Over many variation seeds, entry |name| must produce |needle| at least once. */
static bool entry_produces(const char *name, const char *needle, bool sio)
{
    struct hx_live_gen_opts o = {.seed = 1, .eio = 4, .sio = sio};
    struct hx_live_case c;
    struct cdc_buf t;
    hx_live_case_init(&c);
    cdc_buf_init(&t, 64u << 20, NULL);
    bool found = false;
    size_t e = find_entry(name);
    for (uint64_t v = 0; e != SIZE_MAX && v < 200 && !found; v++) {
        CU_ASSERT_EQUAL(hx_live_gen_catalogue(&o, e, v, &c), CDC_OK);
        text_of(&c, &t);
        CU_ASSERT_EQUAL(cdc_buf_append_byte(&t, 0), CDC_OK);
        found = strstr((const char *)t.p, needle) != NULL;
    }
    hx_live_case_free(&c);
    cdc_buf_free(&t);
    if (!found && sio) /* the Engine.IO-only call expects not to find it */
        fprintf(stderr, "\n%s never produced %s\n", name, needle);
    return found;
}

static void test_live_gen_catalogue_triggers(void)
{
    CU_ASSERT(
        entry_produces("cve-2023-32695", "send text \"42[{\\\"toString\\\":\\\"foo\\\"}]\"", true));
    CU_ASSERT(entry_produces("cve-2024-38355", "send text \"42[\\\"error\\\"]\"", true));
    CU_ASSERT(
        entry_produces("cve-2023-31125", "wsopen \"{path}?EIO={eio}&transport=__proto__\"", true));
    CU_ASSERT(entry_produces("cve-2022-2421", "\\\"num\\\":\\\"splice\\\"", true));
    CU_ASSERT(entry_produces("cve-2026-33151", "4511-", true));
    CU_ASSERT(entry_produces("cve-2026-69185", "450-", true));
    CU_ASSERT(entry_produces("cve-2026-59725", "ctype \"application/octet-stream\"", true));
    CU_ASSERT(entry_produces("cve-2022-21676", "after \"test\"", true));
    CU_ASSERT(entry_produces("cve-2022-41940", "Upgrade: h2c", true));
    CU_ASSERT(entry_produces("cve-2026-102599", "EIO=3&transport=websocket&sid={sid}", true));
    CU_ASSERT(entry_produces("cve-2020-36048", "pad ", true));
    CU_ASSERT(entry_produces("sio-invalid-packet", "send text \"42abc", true));
    CU_ASSERT(entry_produces("eio-invalid-packet", "send text \"abc\"", true));
    CU_ASSERT(
        entry_produces("eio-duplicate-poll", "expect-close 1000 \"eio-duplicate-poll\"", true));
    /* On an Engine.IO-only server the Socket.IO entries fall back. */
    CU_ASSERT(!entry_produces("cve-2023-32695", "toString", false));
}

/* Round one carries the published triggers verbatim, whatever the seed. */
static void test_live_gen_first_round_canonical(void)
{
    static const char *const triggers[] = {
        "send text \"42[{\\\"toString\\\":\\\"foo\\\"}]\"\n",
        "send text \"42[\\\"error\\\"]\"\n",
        "wsopen \"{path}?EIO={eio}&transport=__proto__\"\n",
        "wsopen \"{path}?EIO={eio}&transport=websocket\" after \"test\"\n",
    };
    struct hx_live_case c;
    struct cdc_buf all;
    hx_live_case_init(&c);
    cdc_buf_init(&all, 64u << 20, NULL);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        struct hx_live_gen_opts o = {.seed = seed, .eio = 4, .sio = true};
        cdc_buf_reset(&all);
        for (uint64_t i = 0; i < hx_live_catalogue_count(); i++) {
            CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, i, &c), CDC_OK);
            CU_ASSERT_EQUAL(hx_live_case_write(&c, NULL, &all), CDC_OK);
        }
        CU_ASSERT_EQUAL_FATAL(cdc_buf_append_byte(&all, 0), CDC_OK);
        for (size_t k = 0; k < sizeof(triggers) / sizeof(triggers[0]); k++) {
            bool found = strstr((const char *)all.p, triggers[k]) != NULL;
            if (!found)
                fprintf(stderr, "\nseed %llu: round one lacks %s", (unsigned long long)seed,
                        triggers[k]);
            CU_ASSERT(found);
        }
    }
    hx_live_case_free(&c);
    cdc_buf_free(&all);
}

static void test_live_gen_eio_only(void)
{
    struct hx_live_gen_opts o = {.seed = 3, .eio = 4, .sio = false};
    struct hx_live_case c;
    hx_live_case_init(&c);
    static const char *const sio_only[] = {"catalogue:cve-2023-32695", "catalogue:cve-2024-38355",
                                           "catalogue:sio-invalid-packet",
                                           "catalogue:sio-session-state"};
    for (uint64_t i = 0; i < 400; i++) {
        CU_ASSERT_EQUAL_FATAL(hx_live_gen_case(&o, i, &c), CDC_OK);
        for (size_t k = 0; k < sizeof(sio_only) / sizeof(sio_only[0]); k++)
            CU_ASSERT(strcmp(c.gen, sio_only[k]) != 0);
    }
    hx_live_case_free(&c);
}

CU_TestInfo test_live_gen_tests[] = {
    {"test_live_gen_deterministic", test_live_gen_deterministic},
    {"test_live_gen_seeds_differ", test_live_gen_seeds_differ},
    {"test_live_gen_catalogue_rotation", test_live_gen_catalogue_rotation},
    {"test_live_gen_catalogue_triggers", test_live_gen_catalogue_triggers},
    {"test_live_gen_first_round_canonical", test_live_gen_first_round_canonical},
    {"test_live_gen_eio_only", test_live_gen_eio_only},
    CU_TEST_INFO_NULL,
};
