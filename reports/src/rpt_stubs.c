/*
 * rpt_stubs.c - placeholders until each writer lands in its own file; each
 * fails with ENOSYS so nothing pretends to have written a report.
 */
#include "rpt_int.h"

#include <errno.h>

int rpt_html_write(const struct rpt_result *r, FILE *f)
{
    (void)r;
    (void)f;
    errno = ENOSYS;
    return -1;
}
