/*
 * test_rpt_html - renders a result document to HTML for the browser test and
 * checks what needs no browser: the same document gives the same bytes
 * twice, and the embedded JSON block holds no '<' (so no "</script>" or
 * "<!--" from the data can end it).
 *
 * usage: test_rpt_html RESULT.json OUT.html
 * Exit 0 when rendered and every check holds, 1 otherwise.
 */
#include "reports/rpt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(const struct rpt_result *r, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    if (!m)
        return NULL;
    int rc = rpt_html_write(r, m);
    if (fclose(m) != 0 || rc < 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s RESULT.json OUT.html\n", argv[0]);
        return 2;
    }
    char err[256];
    struct rpt_result *r;
    if (rpt_load_file(&r, argv[1], err, sizeof(err)) < 0) {
        fprintf(stderr, "test_rpt_html: %s\n", err);
        return 1;
    }
    size_t n1 = 0, n2 = 0;
    char *a = render(r, &n1), *b = render(r, &n2);
    rpt_free(r);
    int bad = 0;
    if (!a || !b) {
        fprintf(stderr, "test_rpt_html: rpt_html_write failed\n");
        bad = 1;
    } else {
        if (n1 != n2 || memcmp(a, b, n1) != 0) {
            fprintf(stderr, "test_rpt_html: two renderings differ\n");
            bad = 1;
        }
        const char *open = "<script type=\"application/json\" id=\"siospec-data\">";
        const char *s = strstr(a, open);
        const char *e = s ? strstr(s + strlen(open), "</script>") : NULL;
        if (!s || !e) {
            fprintf(stderr, "test_rpt_html: no embedded JSON block\n");
            bad = 1;
        } else if (memchr(s + strlen(open), '<', (size_t)(e - s - (long)strlen(open)))) {
            fprintf(stderr, "test_rpt_html: a raw '<' inside the JSON block\n");
            bad = 1;
        }
        FILE *f = fopen(argv[2], "wb");
        if (!f || fwrite(a, 1, n1, f) != n1 || fclose(f) != 0) {
            fprintf(stderr, "test_rpt_html: cannot write %s\n", argv[2]);
            bad = 1;
        }
    }
    free(a);
    free(b);
    return bad;
}
