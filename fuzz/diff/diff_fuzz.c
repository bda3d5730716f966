/*
 * diff_fuzz.c - libFuzzer differential target, compiled once per layer
 * with -DDF_LAYER=<n> as diff_<layer>. Starts the Node oracle on first use
 * (SIOSPEC_ORACLE overrides the script path, SIOSPEC_ALLOW the allow-list)
 * and aborts on the first disagreement that the allow-list does not
 * document, after printing it. Input format: the matching fuzz target's.
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

#ifndef DF_LAYER
#error "compile with -DDF_LAYER=<layer number>"
#endif
#ifndef DF_ALLOW_PATH
#define DF_ALLOW_PATH "fuzz/diff/allow.txt"
#endif

static struct df_oracle oracle;
static struct df_allow *allow;
static int started;

static void start(void)
{
    const char *path = getenv("SIOSPEC_ALLOW");
    allow = df_allow_load(path && *path ? path : DF_ALLOW_PATH);
    FZ_CHECK(allow != NULL, "allow-list did not load");
    FZ_CHECK(df_oracle_start(&oracle, df_oracle_default()) == 0, "oracle did not start");
    started = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    if (!started)
        start();
    struct df_result r;
    FZ_CHECK(df_check(&oracle, allow, DF_LAYER, data, size, &r) == 0, "oracle died");
    if (r.cls && !r.allowed) {
        df_report(DF_LAYER, data, size, &r);
        fflush(stdout);
        FZ_CHECK(0, "differential finding (class printed above)");
    }
    return 0;
}
