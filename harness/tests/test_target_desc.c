/*
 * test_target_desc.c - target description files: a full and a minimal
 * valid description, a table of invalid ones (each must fail with
 * HX_TARGET_ERR_DESC and a message naming the problem), file loading, the
 * description files shipped in harness/targets, and deviation lookup.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_target.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A complete description; tests derive variants from it. */
static const char full_json[] =
    "{\n"
    "  \"name\": \"sio4-eio3\",\n"
    "  \"summary\": \"socket.io 4 with EIO3\",\n"
    "  \"implementation\": \"socket.io\",\n"
    "  \"version\": \"4.8.4\",\n"
    "  \"runtime\": \"node\",\n"
    "  \"install\": {\"kind\": \"npm\", \"dir\": \"node-sio4\"},\n"
    "  \"start\": {\"argv\": [\"node\", \"server.js\"], \"cwd\": \"node-sio4\",\n"
    "            \"env\": {\"EIO3\": \"1\", \"X_Y\": \"a=b\"}},\n"
    "  \"protocols\": {\"eio\": [3, 4], \"sio\": [4, 5]},\n"
    "  \"path\": \"/socket.io/\",\n"
    "  \"profiles\": [\"eio3\", \"cookie\"],\n"
    "  \"ready_timeout_ms\": 3000,\n"
    "  \"deviations\": [\n"
    "    {\"id\": \"lax-eio\", \"reason\": \"accepts any EIO\",\n"
    "     \"cases\": [\"eio.handshake.*.bad-eio-*\", \"eio.handshake.polling.no-eio\"]},\n"
    "    {\"id\": \"no-cases\", \"reason\": \"documented only\"}\n"
    "  ],\n"
    "  \"notes\": \"free text\"\n"
    "}\n";

static int parse(const char *json, struct hx_target_desc **d, struct hx_target_diag *diag)
{
    return hx_target_desc_parse(d, json, strlen(json), "/base", diag);
}

static void test_target_desc_parses_full(void)
{
    struct hx_target_desc *d = NULL;
    struct hx_target_diag diag = {{0}};
    CU_ASSERT_FATAL(tt_rc_is("full", HX_TARGET_OK, parse(full_json, &d, &diag), &diag));
    CU_ASSERT_STRING_EQUAL(d->name, "sio4-eio3");
    CU_ASSERT_STRING_EQUAL(d->summary, "socket.io 4 with EIO3");
    CU_ASSERT_STRING_EQUAL(d->implementation, "socket.io");
    CU_ASSERT_STRING_EQUAL(d->version, "4.8.4");
    CU_ASSERT_STRING_EQUAL(d->runtime, "node");
    CU_ASSERT_EQUAL(d->install, HX_TARGET_INSTALL_NPM);
    CU_ASSERT_STRING_EQUAL(d->install_dir, "node-sio4");
    CU_ASSERT_EQUAL(d->argc, 2);
    CU_ASSERT_STRING_EQUAL(d->argv[0], "node");
    CU_ASSERT_STRING_EQUAL(d->argv[1], "server.js");
    CU_ASSERT_PTR_NULL(d->argv[2]);
    CU_ASSERT_STRING_EQUAL(d->cwd, "/base/node-sio4");
    CU_ASSERT_EQUAL(d->nenv, 2);
    CU_ASSERT_STRING_EQUAL(d->env[0], "EIO3=1");
    CU_ASSERT_STRING_EQUAL(d->env[1], "X_Y=a=b");
    CU_ASSERT_PTR_NULL(d->env[2]);
    CU_ASSERT_EQUAL(d->eio, (1u << 3) | (1u << 4));
    CU_ASSERT_EQUAL(d->sio, (1u << 4) | (1u << 5));
    CU_ASSERT_STRING_EQUAL(d->path, "/socket.io/");
    CU_ASSERT_EQUAL(d->profiles, HX_TARGET_PROFILE_EIO3 | HX_TARGET_PROFILE_COOKIE);
    CU_ASSERT_EQUAL(d->ready_timeout_ms, 3000);
    CU_ASSERT_EQUAL_FATAL(d->ndevs, 2);
    CU_ASSERT_STRING_EQUAL(d->devs[0].id, "lax-eio");
    CU_ASSERT_EQUAL(d->devs[0].ncases, 2);
    CU_ASSERT_EQUAL(d->devs[1].ncases, 0);
    hx_target_desc_del(d);
}

static void test_target_desc_minimal_defaults(void)
{
    static const char json[] =
        "{\"name\":\"py\",\"implementation\":\"python-engineio\",\"version\":\"4.3.4\","
        "\"install\":{\"kind\":\"apt\",\"packages\":[\"python3-engineio\"]},"
        "\"start\":{\"argv\":[\"/usr/bin/python3\",\"server.py\"]},"
        "\"protocols\":{\"eio\":[4]},\"path\":\"/engine.io/\"}";
    struct hx_target_desc *d = NULL;
    struct hx_target_diag diag = {{0}};
    CU_ASSERT_FATAL(tt_rc_is("minimal", HX_TARGET_OK, parse(json, &d, &diag), &diag));
    CU_ASSERT_EQUAL(d->install, HX_TARGET_INSTALL_APT);
    CU_ASSERT_EQUAL(d->napt, 1);
    CU_ASSERT_STRING_EQUAL(d->apt[0], "python3-engineio");
    CU_ASSERT_STRING_EQUAL(d->cwd, "/base"); /* no cwd: the description's folder */
    CU_ASSERT_EQUAL(d->sio, 0);
    CU_ASSERT_EQUAL(d->profiles, 0);
    CU_ASSERT_EQUAL(d->ndevs, 0);
    CU_ASSERT_EQUAL(d->nenv, 0);
    CU_ASSERT_EQUAL(d->ready_timeout_ms, 5000);
    CU_ASSERT_PTR_NULL(d->summary);
    hx_target_desc_del(d);
    /* Without a base folder a relative cwd stays relative, an absent one NULL. */
    CU_ASSERT_EQUAL(hx_target_desc_parse(&d, json, strlen(json), NULL, &diag), HX_TARGET_OK);
    CU_ASSERT_PTR_NULL(d->cwd);
    hx_target_desc_del(d);
}

/* Replaces the first |from| in full_json by |to|; returns a new string. */
static char *variant(const char *from, const char *to)
{
    const char *at = strstr(full_json, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    size_t pre = (size_t)(at - full_json), fl = strlen(from), tl = strlen(to);
    char *out = malloc(sizeof full_json - fl + tl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    memcpy(out, full_json, pre);
    memcpy(out + pre, to, tl);
    strcpy(out + pre + tl, at + fl);
    return out;
}

struct bad_row {
    const char *from, *to; /* edit applied to full_json */
    const char *why;       /* must appear in the message */
};

/* clang-format off */
static const struct bad_row bad_rows[] = {
    {"\"version\": \"4.8.4\",", "\"version\": \"4.8.4\" ", "not valid JSON near line 6"},
    {"\"name\": \"sio4-eio3\",", "", "missing required field 'name'"},
    {"\"sio4-eio3\"", "\"Sio4\"", "field 'name' must match"},
    {"\"runtime\": \"node\"", "\"runtim\": \"node\"", "unknown key 'runtim' in the description"},
    {"\"version\": \"4.8.4\"", "\"version\": 4", "'version' must be a non-empty string"},
    {"\"kind\": \"npm\"", "\"kind\": \"pip\"", "install.kind 'pip' is not one of"},
    {"\"kind\": \"npm\", \"dir\": \"node-sio4\"", "\"kind\": \"npm\"", "'install.dir'"},
    {"\"dir\": \"node-sio4\"", "\"dir\": \"../x\"", "must stay inside harness/targets"},
    {"[\"node\", \"server.js\"]", "[]", "'start.argv' must not be empty"},
    {"[\"node\", \"server.js\"]", "[\"node\", 3]", "'start.argv' must hold only non-empty"},
    {"\"argv\"", "\"args\"", "unknown key 'args' in 'start'"},
    {"\"EIO3\": \"1\"", "\"PORT\": \"1\"", "start.env key 'PORT'"},
    {"\"EIO3\": \"1\"", "\"EIO3\": 1", "start.env.EIO3 must be a string"},
    {"\"eio\": [3, 4]", "\"eio\": [4, 5]", "'protocols.eio' holds an unknown revision"},
    {"\"eio\": [3, 4]", "\"eio\": []", "'protocols.eio' must not be empty"},
    {"\"sio\": [4, 5]", "\"sio\": [3]", "'protocols.sio' holds an unknown revision"},
    {"\"eio\": [3, 4]", "\"eio\": [3]", "Socket.IO 5 needs 4 in protocols.eio"},
    {"\"eio\": [3, 4], \"sio\": [4, 5]", "\"eio\": [4], \"sio\": [5]", "profile 'eio3' needs 3"},
    {"\"path\": \"/socket.io/\"", "\"path\": \"socket.io\"", "'path' must look like"},
    {"\"path\": \"/socket.io/\"", "\"path\": \"/socket.io/?x\"", "'path' must look like"},
    {"\"cookie\"", "\"cookies\"", "unknown profile 'cookies'"},
    {"3000", "50", "'ready_timeout_ms' must be an integer"},
    {"\"reason\": \"documented only\"", "\"why\": \"x\"", "unknown key 'why' in a deviation"},
    {"\"id\": \"no-cases\", ", "", "missing required field 'deviations[].id'"},
    {"\"id\": \"no-cases\"", "\"id\": \"lax-eio\"", "duplicate deviation id 'lax-eio'"},
    {"\"id\": \"no-cases\"", "\"id\": \"No Cases\"", "deviation id 'No Cases' must match"},
    {"{\n  \"name\"", "[{\n  \"name\"", "not valid JSON"},
};
/* clang-format on */

static void test_target_desc_rejects_bad(void)
{
    for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
        char *json = variant(bad_rows[i].from, bad_rows[i].to);
        struct hx_target_desc *d = (struct hx_target_desc *)&d; /* must be reset */
        struct hx_target_diag diag = {{0}};
        int rc = parse(json, &d, &diag);
        char what[64];
        snprintf(what, sizeof what, "bad row %zu", i);
        CU_ASSERT(tt_rc_is(what, HX_TARGET_ERR_DESC, rc, &diag));
        CU_ASSERT(tt_contains(what, diag.msg, bad_rows[i].why));
        CU_ASSERT_PTR_NULL(d);
        free(json);
    }
    struct hx_target_desc *d = NULL;
    struct hx_target_diag diag = {{0}};
    CU_ASSERT_EQUAL(parse("[1]", &d, &diag), HX_TARGET_ERR_DESC);
    CU_ASSERT(tt_contains("array root", diag.msg, "must be a JSON object"));
    CU_ASSERT_EQUAL(hx_target_desc_parse(NULL, "{}", 2, NULL, &diag), HX_TARGET_ERR_INVALID_ARG);
}

static char *write_temp(const char *content)
{
    char *path = strdup("/tmp/siospec-desc-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(path);
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
    close(fd);
    return path;
}

static void test_target_desc_load_files(void)
{
    struct hx_target_desc *d = NULL;
    struct hx_target_diag diag = {{0}};
    int rc = hx_target_desc_load(&d, "/nonexistent/siospec/x.json", &diag);
    CU_ASSERT(tt_rc_is("missing file", HX_TARGET_ERR_IO, rc, &diag));
    CU_ASSERT(tt_contains("missing file", diag.msg, "/nonexistent/siospec/x.json"));

    char *bad = write_temp("{\"name\": \"x\"}");
    rc = hx_target_desc_load(&d, bad, &diag);
    CU_ASSERT(tt_rc_is("bad file", HX_TARGET_ERR_DESC, rc, &diag));
    CU_ASSERT(tt_contains("bad file names the file", diag.msg, bad));
    CU_ASSERT(tt_contains("bad file names the field", diag.msg, "'implementation'"));
    unlink(bad);
    free(bad);

    char *good = write_temp(full_json);
    rc = hx_target_desc_load(&d, good, &diag);
    CU_ASSERT_FATAL(tt_rc_is("good file", HX_TARGET_OK, rc, &diag));
    CU_ASSERT_STRING_EQUAL(d->cwd, "/tmp/node-sio4"); /* relative to the file's folder */
    hx_target_desc_del(d);
    unlink(good);
    free(good);
}

/* Every target the project ships must load, and match its file name. */
static const char *const shipped[] = {
    "sio4",        "sio4-eio3",   "sio4-recovery", "sio4-cookie",   "sio3",        "sio2",
    "engineio",    "bun",         "bun-eio",       "deno",          "py-aiohttp",  "py-asgi",
    "py-eventlet", "py-engineio", "sio4-vuln",     "engineio-eio3", "sio4-eio666", "sio4-parser425",
};

static void check_shipped(const char *name)
{
    char file[1024];
    snprintf(file, sizeof file, "%s/%s.json", HX_TARGETS_DIR, name);
    struct hx_target_desc *d = NULL;
    struct hx_target_diag diag = {{0}};
    int rc = hx_target_desc_load(&d, file, &diag);
    CU_ASSERT(tt_rc_is(file, HX_TARGET_OK, rc, &diag));
    if (rc != HX_TARGET_OK)
        return;
    struct stat st;
    CU_ASSERT_STRING_EQUAL(d->name, name);
    CU_ASSERT(d->cwd && stat(d->cwd, &st) == 0 && S_ISDIR(st.st_mode));
    CU_ASSERT(d->install != HX_TARGET_INSTALL_NONE);
    if (d->install == HX_TARGET_INSTALL_NPM) {
        char lock[1200];
        snprintf(lock, sizeof lock, "%s/%s/package-lock.json", HX_TARGETS_DIR, d->install_dir);
        CU_ASSERT(tt_contains("npm lockfile", access(lock, R_OK) == 0 ? "ok" : lock, "ok"));
    }
    CU_ASSERT(strcmp(d->path, d->sio ? "/socket.io/" : "/engine.io/") == 0);
    for (size_t i = 0; i < d->ndevs; i++)
        CU_ASSERT(strlen(d->devs[i].reason) > 10);
    hx_target_desc_del(d);
}

static void test_target_desc_shipped_files(void)
{
    size_t n = sizeof shipped / sizeof shipped[0], found = 0;
    for (size_t i = 0; i < n; i++)
        check_shipped(shipped[i]);
    DIR *dir = opendir(HX_TARGETS_DIR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    for (struct dirent *e; (e = readdir(dir));) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0)
            found++;
    }
    closedir(dir);
    CU_ASSERT_EQUAL(found, n); /* a new file needs a row in |shipped| */
}

static void test_target_desc_deviation_lookup(void)
{
    struct hx_target_desc *d = NULL;
    CU_ASSERT_FATAL(parse(full_json, &d, NULL) == HX_TARGET_OK);
    const struct hx_target_deviation *dv =
        hx_target_desc_deviation(d, "eio.handshake.websocket.bad-eio-version");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dv);
    CU_ASSERT_STRING_EQUAL(dv->id, "lax-eio");
    CU_ASSERT_PTR_NOT_NULL(hx_target_desc_deviation(d, "eio.handshake.polling.no-eio"));
    CU_ASSERT_PTR_NULL(hx_target_desc_deviation(d, "eio.handshake.polling.no-eio-x"));
    CU_ASSERT_PTR_NULL(hx_target_desc_deviation(d, "sio.connect.any.unknown-namespace"));
    CU_ASSERT_PTR_NULL(hx_target_desc_deviation(d, NULL));
    hx_target_desc_del(d);
    CU_ASSERT_STRING_EQUAL(hx_target_profile_name(HX_TARGET_PROFILE_RECOVERY), "recovery");
    CU_ASSERT_PTR_NULL(hx_target_profile_name(1u << 7));
    CU_ASSERT_STRING_EQUAL(hx_target_err_name(HX_TARGET_ERR_DIED), "ERR_DIED");
    CU_ASSERT_STRING_EQUAL(hx_target_err_name(12345), "UNKNOWN");
}

CU_TestInfo test_target_desc_tests[] = {
    {"test_target_desc_parses_full", test_target_desc_parses_full},
    {"test_target_desc_minimal_defaults", test_target_desc_minimal_defaults},
    {"test_target_desc_rejects_bad", test_target_desc_rejects_bad},
    {"test_target_desc_load_files", test_target_desc_load_files},
    {"test_target_desc_shipped_files", test_target_desc_shipped_files},
    {"test_target_desc_deviation_lookup", test_target_desc_deviation_lookup},
    CU_TEST_INFO_NULL,
};
