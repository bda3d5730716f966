/*
 * rpt_load.c - reads a canonical result document for the writers.
 */
#include "rpt_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rpt_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

double rpt_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

int rpt_load(struct rpt_result **out, const char *json, size_t len, char *err, size_t errcap)
{
    *out = NULL;
    cJSON *doc = cJSON_ParseWithLength(json, len);
    if (!doc) {
        snprintf(err, errcap, "not a JSON document");
        return -1;
    }
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
    if (strcmp(rpt_str(doc, "schema"), "siospec-result/1") != 0 || !cJSON_IsArray(cases)) {
        snprintf(err, errcap, "not a siospec result (schema siospec-result/1 with a cases array)");
        cJSON_Delete(doc);
        return -1;
    }
    struct rpt_result *r = calloc(1, sizeof(*r));
    if (!r) {
        cJSON_Delete(doc);
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    r->doc = doc;
    r->cases = cases;
    *out = r;
    return 0;
}

int rpt_load_file(struct rpt_result **out, const char *path, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        snprintf(err, errcap, "out of memory reading %s", path);
        return -1;
    }
    int rc = rpt_load(out, buf, n, err, errcap);
    free(buf);
    return rc;
}

void rpt_free(struct rpt_result *r)
{
    if (!r)
        return;
    cJSON_Delete(r->doc);
    free(r);
}
