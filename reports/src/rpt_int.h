/*
 * rpt_int.h - what the report writers share: the parsed document and
 * small accessors. Private to reports/src.
 */
#ifndef REPORTS_RPT_INT_H
#define REPORTS_RPT_INT_H

#include <cjson/cJSON.h>

#include "reports/rpt.h"

struct rpt_result {
    cJSON *doc;         /* the whole result document (owned) */
    const cJSON *cases; /* doc.cases (array) */
};

/* String member |key| of |o|, or "" when absent or not a string. */
const char *rpt_str(const cJSON *o, const char *key);
/* Number member |key| of |o|, or 0. */
double rpt_num(const cJSON *o, const char *key);

#endif
