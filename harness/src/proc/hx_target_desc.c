/*
 * hx_target_desc.c - reads and validates target description files
 * (format: harness/targets/README.md).
 *
 * Validation is strict on purpose: an unknown key, a wrong type or a value
 * out of range is an error that names the file and the field, so a typo in
 * a description never silently becomes a default. cJSON is used only
 * inside this file; the public struct holds plain C strings and arrays.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "hx_proc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESC_MAX_BYTES (1L << 20)
#define DESC_DEFAULT_READY_MS 5000

struct pctx {
    struct hx_target_diag *diag;
    int err; /* first error, sticky */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(struct pctx *c, int err, const char *fmt, ...)
{
    if (c->err == HX_TARGET_OK) {
        c->err = err;
        if (c->diag) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(c->diag->msg, sizeof c->diag->msg, fmt, ap);
            va_end(ap);
        }
    }
    return c->err;
}

static char *dup_or_fail(struct pctx *c, const char *s)
{
    char *d = strdup(s);
    if (!d)
        fail(c, HX_TARGET_ERR_NOMEM, "out of memory");
    return d;
}

/* Rejects keys of |obj| that are not in |allowed| (NULL-terminated). */
static void check_keys(struct pctx *c, const cJSON *obj, const char *where,
                       const char *const *allowed)
{
    for (const cJSON *it = obj->child; it && c->err == HX_TARGET_OK; it = it->next) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], it->string) != 0)
            i++;
        if (!allowed[i])
            fail(c, HX_TARGET_ERR_DESC, "unknown key '%s' in %s", it->string, where);
    }
}

/* Copies string member |key| of |obj|; |what| names it in messages. */
static char *get_str(struct pctx *c, const cJSON *obj, const char *key, const char *what,
                     int required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            fail(c, HX_TARGET_ERR_DESC, "missing required field '%s'", what);
        return NULL;
    }
    if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
        fail(c, HX_TARGET_ERR_DESC, "field '%s' must be a non-empty string", what);
        return NULL;
    }
    return dup_or_fail(c, v->valuestring);
}

/* Copies a JSON array of non-empty strings into a NULL-terminated array. */
static char **get_str_array(struct pctx *c, const cJSON *arr, const char *what, size_t *n)
{
    *n = 0;
    if (!cJSON_IsArray(arr)) {
        fail(c, HX_TARGET_ERR_DESC, "field '%s' must be an array of strings", what);
        return NULL;
    }
    size_t count = (size_t)cJSON_GetArraySize(arr);
    char **out = calloc(count + 1, sizeof *out);
    if (!out) {
        fail(c, HX_TARGET_ERR_NOMEM, "out of memory");
        return NULL;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0') {
            fail(c, HX_TARGET_ERR_DESC, "field '%s' must hold only non-empty strings", what);
            break;
        }
        if (!(out[*n] = dup_or_fail(c, it->valuestring)))
            break;
        (*n)++;
    }
    return out;
}

static void free_strv(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static int is_slug(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return 0;
    }
    return 1;
}

static void parse_install(struct pctx *c, const cJSON *root, struct hx_target_desc *d)
{
    static const char *const keys[] = {"kind", "dir", "packages", NULL};
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "install");
    if (!cJSON_IsObject(in)) {
        fail(c, HX_TARGET_ERR_DESC, "field 'install' must be an object");
        return;
    }
    check_keys(c, in, "'install'", keys);
    char *kind = get_str(c, in, "kind", "install.kind", 1);
    if (kind && strcmp(kind, "npm") == 0) {
        d->install = HX_TARGET_INSTALL_NPM;
        d->install_dir = get_str(c, in, "dir", "install.dir", 1);
    } else if (kind && strcmp(kind, "apt") == 0) {
        d->install = HX_TARGET_INSTALL_APT;
        d->apt = get_str_array(c, cJSON_GetObjectItemCaseSensitive(in, "packages"),
                               "install.packages", &d->napt);
    } else if (kind && strcmp(kind, "none") != 0) {
        fail(c, HX_TARGET_ERR_DESC, "install.kind '%s' is not one of npm, apt, none", kind);
    }
    free(kind);
}

static int env_key_ok(const char *k)
{
    if (!((k[0] >= 'A' && k[0] <= 'Z') || (k[0] >= 'a' && k[0] <= 'z') || k[0] == '_'))
        return 0;
    for (const char *p = k; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    }
    return strcmp(k, "PORT") != 0 && strcmp(k, "HOST") != 0;
}

static void parse_env(struct pctx *c, const cJSON *env, struct hx_target_desc *d)
{
    if (!cJSON_IsObject(env)) {
        fail(c, HX_TARGET_ERR_DESC, "field 'start.env' must be an object of strings");
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(env);
    if (!(d->env = calloc(n + 1, sizeof *d->env))) {
        fail(c, HX_TARGET_ERR_NOMEM, "out of memory");
        return;
    }
    for (const cJSON *it = env->child; it && c->err == HX_TARGET_OK; it = it->next) {
        if (!env_key_ok(it->string)) {
            fail(c, HX_TARGET_ERR_DESC,
                 "start.env key '%s' is not a valid name "
                 "(PORT and HOST are set by siospec)",
                 it->string);
        } else if (!cJSON_IsString(it)) {
            fail(c, HX_TARGET_ERR_DESC, "start.env.%s must be a string", it->string);
        } else {
            size_t len = strlen(it->string) + strlen(it->valuestring) + 2;
            if (!(d->env[d->nenv] = malloc(len))) {
                fail(c, HX_TARGET_ERR_NOMEM, "out of memory");
                break;
            }
            snprintf(d->env[d->nenv++], len, "%s=%s", it->string, it->valuestring);
        }
    }
}

static char *join_dir(struct pctx *c, const char *base, const char *rel)
{
    if (!base || rel[0] == '/')
        return dup_or_fail(c, rel);
    size_t len = strlen(base) + strlen(rel) + 2;
    char *out = malloc(len);
    if (!out) {
        fail(c, HX_TARGET_ERR_NOMEM, "out of memory");
        return NULL;
    }
    snprintf(out, len, "%s/%s", base, rel);
    return out;
}

static void parse_start(struct pctx *c, const cJSON *root, const char *base,
                        struct hx_target_desc *d)
{
    static const char *const keys[] = {"argv", "cwd", "env", NULL};
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "start");
    if (!cJSON_IsObject(st)) {
        fail(c, HX_TARGET_ERR_DESC, "field 'start' must be an object");
        return;
    }
    check_keys(c, st, "'start'", keys);
    const cJSON *argv = cJSON_GetObjectItemCaseSensitive(st, "argv");
    if (!argv)
        fail(c, HX_TARGET_ERR_DESC, "missing required field 'start.argv'");
    else
        d->argv = get_str_array(c, argv, "start.argv", &d->argc);
    if (c->err == HX_TARGET_OK && d->argc == 0)
        fail(c, HX_TARGET_ERR_DESC, "field 'start.argv' must not be empty");
    char *cwd = get_str(c, st, "cwd", "start.cwd", 0);
    if (cwd)
        d->cwd = join_dir(c, base, cwd);
    else if (base && c->err == HX_TARGET_OK)
        d->cwd = dup_or_fail(c, base);
    free(cwd);
    const cJSON *env = cJSON_GetObjectItemCaseSensitive(st, "env");
    if (env && c->err == HX_TARGET_OK)
        parse_env(c, env, d);
}

/* Reads an array of revision numbers, each in [lo, hi], into bits. */
static unsigned parse_revs(struct pctx *c, const cJSON *arr, const char *what, int lo, int hi)
{
    unsigned bits = 0;
    if (!cJSON_IsArray(arr)) {
        fail(c, HX_TARGET_ERR_DESC, "field '%s' must be an array of revision numbers", what);
        return 0;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        double v = cJSON_IsNumber(it) ? it->valuedouble : -1;
        if (v < lo || v > hi || v != (int)v) {
            fail(c, HX_TARGET_ERR_DESC, "field '%s' holds an unknown revision (known: %s)", what,
                 lo == 3 ? "3, 4" : "4, 5");
            return 0;
        }
        bits |= 1u << (int)v;
    }
    return bits;
}

static void parse_protocols(struct pctx *c, const cJSON *root, struct hx_target_desc *d)
{
    static const char *const keys[] = {"eio", "sio", NULL};
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(root, "protocols");
    if (!cJSON_IsObject(pr)) {
        fail(c, HX_TARGET_ERR_DESC, "field 'protocols' must be an object");
        return;
    }
    check_keys(c, pr, "'protocols'", keys);
    const cJSON *eio = cJSON_GetObjectItemCaseSensitive(pr, "eio");
    const cJSON *sio = cJSON_GetObjectItemCaseSensitive(pr, "sio");
    if (!eio)
        fail(c, HX_TARGET_ERR_DESC, "missing required field 'protocols.eio'");
    d->eio = eio ? parse_revs(c, eio, "protocols.eio", 3, 4) : 0;
    d->sio = sio ? parse_revs(c, sio, "protocols.sio", 4, 5) : 0;
    if (c->err == HX_TARGET_OK && d->eio == 0)
        fail(c, HX_TARGET_ERR_DESC, "field 'protocols.eio' must not be empty");
}

static void parse_profiles(struct pctx *c, const cJSON *arr, struct hx_target_desc *d)
{
    size_t n = 0;
    char **names = get_str_array(c, arr, "profiles", &n);
    for (size_t i = 0; i < n && c->err == HX_TARGET_OK; i++) {
        unsigned bit = 0;
        for (unsigned b = 1; b <= HX_TARGET_PROFILE_COOKIE; b <<= 1) {
            if (strcmp(hx_target_profile_name(b), names[i]) == 0)
                bit = b;
        }
        if (!bit)
            fail(c, HX_TARGET_ERR_DESC, "unknown profile '%s' (known: eio3, recovery, cookie)",
                 names[i]);
        d->profiles |= bit;
    }
    free_strv(names);
}

static void parse_deviation(struct pctx *c, const cJSON *it, struct hx_target_deviation *dv)
{
    static const char *const keys[] = {"id", "reason", "cases", NULL};
    if (!cJSON_IsObject(it)) {
        fail(c, HX_TARGET_ERR_DESC, "each entry of 'deviations' must be an object");
        return;
    }
    check_keys(c, it, "a deviation", keys);
    dv->id = get_str(c, it, "id", "deviations[].id", 1);
    dv->reason = get_str(c, it, "reason", "deviations[].reason", 1);
    if (dv->id && !is_slug(dv->id, 64))
        fail(c, HX_TARGET_ERR_DESC, "deviation id '%s' must match [a-z0-9-]+", dv->id);
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(it, "cases");
    if (cases && c->err == HX_TARGET_OK)
        dv->cases = get_str_array(c, cases, "deviations[].cases", &dv->ncases);
}

static void parse_deviations(struct pctx *c, const cJSON *arr, struct hx_target_desc *d)
{
    if (!cJSON_IsArray(arr)) {
        fail(c, HX_TARGET_ERR_DESC, "field 'deviations' must be an array");
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (!(d->devs = calloc(n ? n : 1, sizeof *d->devs))) {
        fail(c, HX_TARGET_ERR_NOMEM, "out of memory");
        return;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (c->err != HX_TARGET_OK)
            break;
        parse_deviation(c, it, &d->devs[d->ndevs++]);
        for (size_t i = 0; i + 1 < d->ndevs && c->err == HX_TARGET_OK; i++) {
            if (d->devs[i].id && d->devs[d->ndevs - 1].id &&
                strcmp(d->devs[i].id, d->devs[d->ndevs - 1].id) == 0)
                fail(c, HX_TARGET_ERR_DESC, "duplicate deviation id '%s'", d->devs[i].id);
        }
    }
}

static void parse_path(struct pctx *c, const cJSON *root, struct hx_target_desc *d)
{
    d->path = get_str(c, root, "path", "path", 1);
    if (!d->path)
        return;
    size_t n = strlen(d->path);
    if (d->path[0] != '/' || d->path[n - 1] != '/' || strpbrk(d->path, "?# \t\r\n"))
        fail(c, HX_TARGET_ERR_DESC, "field 'path' must look like /socket.io/ (got '%s')", d->path);
}

static void parse_ready(struct pctx *c, const cJSON *root, struct hx_target_desc *d)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "ready_timeout_ms");
    d->ready_timeout_ms = DESC_DEFAULT_READY_MS;
    if (!v)
        return;
    if (!cJSON_IsNumber(v) || v->valuedouble < 100 || v->valuedouble > 120000 ||
        v->valuedouble != (int)v->valuedouble)
        fail(c, HX_TARGET_ERR_DESC,
             "field 'ready_timeout_ms' must be an integer in "
             "100-120000");
    else
        d->ready_timeout_ms = v->valueint;
}

static void check_consistency(struct pctx *c, struct hx_target_desc *d)
{
    if (c->err != HX_TARGET_OK)
        return;
    if (!is_slug(d->name, 64))
        fail(c, HX_TARGET_ERR_DESC, "field 'name' must match [a-z0-9-]+ (got '%s')", d->name);
    else if ((d->profiles & HX_TARGET_PROFILE_EIO3) && !(d->eio & (1u << 3)))
        fail(c, HX_TARGET_ERR_DESC, "profile 'eio3' needs 3 in protocols.eio");
    else if ((d->sio & (1u << 5)) && !(d->eio & (1u << 4)))
        fail(c, HX_TARGET_ERR_DESC, "Socket.IO 5 needs 4 in protocols.eio");
    else if (d->install == HX_TARGET_INSTALL_NPM && strstr(d->install_dir, ".."))
        fail(c, HX_TARGET_ERR_DESC, "install.dir '%s' must stay inside harness/targets",
             d->install_dir);
}

static void parse_root(struct pctx *c, const cJSON *root, const char *base,
                       struct hx_target_desc *d)
{
    static const char *const keys[] = {
        "name",  "summary",   "implementation", "version",  "runtime",          "install",
        "start", "protocols", "path",           "profiles", "ready_timeout_ms", "deviations",
        "notes", NULL};
    if (!cJSON_IsObject(root)) {
        fail(c, HX_TARGET_ERR_DESC, "the description must be a JSON object");
        return;
    }
    check_keys(c, root, "the description", keys);
    d->name = get_str(c, root, "name", "name", 1);
    d->summary = get_str(c, root, "summary", "summary", 0);
    d->implementation = get_str(c, root, "implementation", "implementation", 1);
    d->version = get_str(c, root, "version", "version", 1);
    d->runtime = get_str(c, root, "runtime", "runtime", 0);
    if (c->err == HX_TARGET_OK)
        parse_install(c, root, d);
    if (c->err == HX_TARGET_OK)
        parse_start(c, root, base, d);
    if (c->err == HX_TARGET_OK)
        parse_protocols(c, root, d);
    if (c->err == HX_TARGET_OK)
        parse_path(c, root, d);
    const cJSON *prof = cJSON_GetObjectItemCaseSensitive(root, "profiles");
    if (prof && c->err == HX_TARGET_OK)
        parse_profiles(c, prof, d);
    if (c->err == HX_TARGET_OK)
        parse_ready(c, root, d);
    const cJSON *devs = cJSON_GetObjectItemCaseSensitive(root, "deviations");
    if (devs && c->err == HX_TARGET_OK)
        parse_deviations(c, devs, d);
    check_consistency(c, d);
}

/* Line and column (1-based) of byte |off| in |s|. */
static void line_col(const char *s, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int hx_target_desc_parse(struct hx_target_desc **out, const char *json, size_t len,
                         const char *base_dir, struct hx_target_diag *diag)
{
    if (!out || !json)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "no description");
    *out = NULL;
    struct pctx c = {diag, HX_TARGET_OK};
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        int line, col;
        size_t off = end && end >= json && end <= json + len ? (size_t)(end - json) : 0;
        line_col(json, off, &line, &col);
        return hx_diag_set(diag, HX_TARGET_ERR_DESC, "not valid JSON near line %d, column %d", line,
                           col);
    }
    struct hx_target_desc *d = calloc(1, sizeof *d);
    if (!d) {
        cJSON_Delete(root);
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    }
    parse_root(&c, root, base_dir, d);
    cJSON_Delete(root);
    if (c.err != HX_TARGET_OK) {
        hx_target_desc_del(d);
        return c.err;
    }
    *out = d;
    return HX_TARGET_OK;
}

/* Reads all of |file| (at most DESC_MAX_BYTES) into a new buffer. */
static int read_file(const char *file, char **buf, size_t *len, struct hx_target_diag *diag)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return hx_diag_set(diag, HX_TARGET_ERR_IO, "%s: %s", file, strerror(errno));
    char *b = malloc(DESC_MAX_BYTES + 1);
    size_t n = b ? fread(b, 1, DESC_MAX_BYTES + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!b)
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
    if (bad || n > DESC_MAX_BYTES) {
        free(b);
        return hx_diag_set(diag, HX_TARGET_ERR_IO, "%s: %s", file,
                           bad ? "read error" : "larger than 1 MiB");
    }
    *buf = b;
    *len = n;
    return HX_TARGET_OK;
}

/* Absolute folder of |file|, or NULL (then relative paths stay relative). */
static char *folder_of(const char *file)
{
    char *abs = realpath(file, NULL);
    if (!abs)
        return NULL;
    char *slash = strrchr(abs, '/');
    if (slash == abs)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    return abs;
}

int hx_target_desc_load(struct hx_target_desc **out, const char *file, struct hx_target_diag *diag)
{
    if (!out || !file)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "no description file");
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = read_file(file, &buf, &len, diag);
    if (rc != HX_TARGET_OK)
        return rc;
    char *base = folder_of(file);
    rc = hx_target_desc_parse(out, buf, len, base, diag);
    if (rc != HX_TARGET_OK && diag) {
        char tmp[sizeof diag->msg];
        snprintf(tmp, sizeof tmp, "%.200s: %.300s", file, diag->msg);
        memcpy(diag->msg, tmp, sizeof tmp);
    }
    free(base);
    free(buf);
    return rc;
}

void hx_target_desc_del(struct hx_target_desc *d)
{
    if (!d)
        return;
    free(d->name);
    free(d->summary);
    free(d->implementation);
    free(d->version);
    free(d->runtime);
    free(d->install_dir);
    free_strv(d->apt);
    free_strv(d->argv);
    free(d->cwd);
    free_strv(d->env);
    free(d->path);
    for (size_t i = 0; i < d->ndevs; i++) {
        free(d->devs[i].id);
        free(d->devs[i].reason);
        free_strv(d->devs[i].cases);
    }
    free(d->devs);
    free(d);
}

const struct hx_target_deviation *hx_target_desc_deviation(const struct hx_target_desc *d,
                                                           const char *case_id)
{
    if (!d || !case_id)
        return NULL;
    for (size_t i = 0; i < d->ndevs; i++) {
        for (size_t j = 0; j < d->devs[i].ncases; j++) {
            if (fnmatch(d->devs[i].cases[j], case_id, 0) == 0)
                return &d->devs[i];
        }
    }
    return NULL;
}

const char *hx_target_profile_name(unsigned bit)
{
    switch (bit) {
    case HX_TARGET_PROFILE_EIO3:
        return "eio3";
    case HX_TARGET_PROFILE_RECOVERY:
        return "recovery";
    case HX_TARGET_PROFILE_COOKIE:
        return "cookie";
    default:
        return NULL;
    }
}
