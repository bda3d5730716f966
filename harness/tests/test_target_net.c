/*
 * test_target_net.c - free-port picking, --url parsing, open-packet
 * recognition and the probe against a closed port (hx_probe.c).
 */
#define _POSIX_C_SOURCE 200809L

#include "test_target.h"
#include "hx_proc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int bind_port(unsigned port)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int ok = fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void test_target_net_port_pick(void)
{
    struct hx_target_diag diag = {{0}};
    unsigned seen[8];
    for (size_t i = 0; i < 8; i++) {
        seen[i] = 0;
        int rc = hx_proc_port_pick("127.0.0.1", &seen[i], &diag);
        CU_ASSERT(tt_rc_is("pick", HX_TARGET_OK, rc, &diag));
        CU_ASSERT(seen[i] >= 1024 && seen[i] <= 65535);
        CU_ASSERT(bind_port(seen[i])); /* really free */
    }
    unsigned distinct = 0;
    for (size_t i = 0; i < 8; i++) {
        size_t j = 0;
        while (j < i && seen[j] != seen[i])
            j++;
        distinct += j == i;
    }
    CU_ASSERT(distinct >= 2); /* the kernel hands out ephemeral ports, not one fixed port */
    unsigned p = 0;
    /* A documentation-only address (RFC 5737) is never local: bind fails. */
    CU_ASSERT_EQUAL(hx_proc_port_pick("192.0.2.1", &p, &diag), HX_TARGET_ERR_PORT);
    CU_ASSERT(tt_contains("foreign host", diag.msg, "bind 192.0.2.1:0"));
}

struct url_row {
    const char *url;
    int rc;
    const char *host;
    unsigned port;
    const char *path; /* NULL: none given */
};

/* clang-format off */
static const struct url_row url_rows[] = {
    {"http://127.0.0.1:3000",              HX_TARGET_OK,  "127.0.0.1", 3000, NULL},
    {"http://127.0.0.1:3000/",             HX_TARGET_OK,  "127.0.0.1", 3000, NULL},
    {"HTTP://localhost:8080/socket.io/",   HX_TARGET_OK,  "localhost", 8080, "/socket.io/"},
    {"http://[::1]:65535/engine.io",       HX_TARGET_OK,  "::1",       65535, "/engine.io/"},
    {"http://h:1/a/b/",                    HX_TARGET_OK,  "h",         1,    "/a/b/"},
    {"https://127.0.0.1:3000/",            HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"ws://127.0.0.1:3000/",               HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://127.0.0.1/",                  HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://127.0.0.1:0/",                HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://127.0.0.1:65536/",            HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://127.0.0.1:30x0/",             HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://:3000/",                      HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://[::1/",                       HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"http://127.0.0.1:3000/?EIO=4",       HX_TARGET_ERR_URL, NULL, 0, NULL},
    {"127.0.0.1:3000",                     HX_TARGET_ERR_URL, NULL, 0, NULL},
};
/* clang-format on */

static void test_target_net_url_parse(void)
{
    for (size_t i = 0; i < sizeof url_rows / sizeof url_rows[0]; i++) {
        const struct url_row *r = &url_rows[i];
        char *host = (char *)"x", *path = (char *)"x";
        unsigned port = 0;
        struct hx_target_diag diag = {{0}};
        int rc = hx_proc_url_parse(r->url, &host, &port, &path, &diag);
        CU_ASSERT(tt_rc_is(r->url, r->rc, rc, &diag));
        if (rc != HX_TARGET_OK || r->rc != HX_TARGET_OK) {
            CU_ASSERT_PTR_NULL(host);
            CU_ASSERT_PTR_NULL(path);
            CU_ASSERT(rc == HX_TARGET_OK || tt_contains(r->url, diag.msg, "url '"));
            free(host);
            free(path);
            continue;
        }
        CU_ASSERT_STRING_EQUAL(host, r->host);
        CU_ASSERT_EQUAL(port, r->port);
        if (r->path) {
            CU_ASSERT(path && strcmp(path, r->path) == 0);
        } else {
            CU_ASSERT_PTR_NULL(path);
        }
        free(host);
        free(path);
    }
}

static void test_target_net_open_packet(void)
{
    static const struct {
        const char *body;
        int want;
    } rows[] = {
        {"0{\"sid\":\"a\"}", 1},
        {"96:0{\"sid\":\"a\"}2:40", 1}, /* EIO3 length-prefixed payload */
        {"0{", 1},
        {"0", 0},
        {"{\"code\":5}", 0},
        {"40", 0},
        {"12:40", 0},
        {":0{", 0},
        {"12:", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int got = hx_probe_is_open_packet(rows[i].body, strlen(rows[i].body));
        if (got != rows[i].want)
            fprintf(stderr, "\nopen packet '%s': want %d\n", rows[i].body, rows[i].want);
        CU_ASSERT_EQUAL(got, rows[i].want);
    }
}

static void test_target_net_probe_closed_port(void)
{
    unsigned port = 0;
    struct hx_target_diag diag = {{0}};
    struct hx_probe_resp r;
    CU_ASSERT_FATAL(hx_proc_port_pick("127.0.0.1", &port, &diag) == HX_TARGET_OK);
    int64_t t0 = hx_proc_now_ms();
    int rc =
        hx_probe_get("127.0.0.1", port, "/socket.io/?EIO=4&transport=polling", 1000, &r, &diag);
    CU_ASSERT(tt_rc_is("refused", HX_TARGET_ERR_DIED, rc, &diag));
    CU_ASSERT(hx_proc_now_ms() - t0 < 500); /* refused at once, not a timeout */
    CU_ASSERT(tt_contains("refused", diag.msg, "refused"));
    CU_ASSERT_EQUAL(r.status, 0);
}

CU_TestInfo test_target_net_tests[] = {
    {"test_target_net_port_pick", test_target_net_port_pick},
    {"test_target_net_url_parse", test_target_net_url_parse},
    {"test_target_net_open_packet", test_target_net_open_packet},
    {"test_target_net_probe_closed_port", test_target_net_probe_closed_port},
    CU_TEST_INFO_NULL,
};
