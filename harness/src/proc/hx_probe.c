/*
 * hx_probe.c - the few network operations hx_target needs on its own: pick
 * a free port, probe a server with one HTTP GET, and split a --url.
 *
 * The probe is deliberately tiny (blocking socket, poll() deadlines, one
 * request with "Connection: close", the status line and the first bytes of
 * the body). It decides only "is an Engine.IO server answering here", not
 * whether the answer conforms: that is the conformance cases' job, through
 * harness_net. It never reads more than a few KiB.
 */
#define _POSIX_C_SOURCE 200809L

#include "hx_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int resolve(const char *host, unsigned port, struct addrinfo **out)
{
    struct addrinfo hints;
    char serv[16];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(serv, sizeof serv, "%u", port);
    return getaddrinfo(host, serv, &hints, out);
}

int hx_proc_port_pick(const char *host, unsigned *port, struct hx_target_diag *diag)
{
    struct addrinfo *ai = NULL;
    int g = resolve(host, 0, &ai);
    if (g != 0)
        return hx_diag_set(diag, HX_TARGET_ERR_PORT, "resolve %s: %s", host, gai_strerror(g));
    int rc = hx_diag_set(diag, HX_TARGET_ERR_PORT, "no free port on %s", host);
    int fd = socket(ai->ai_family, ai->ai_socktype, 0);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (fd < 0)
        hx_diag_set(diag, 0, "socket: %s", strerror(errno));
    else if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0)
        hx_diag_set(diag, 0, "bind %s:0: %s", host, strerror(errno));
    else if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
        hx_diag_set(diag, 0, "getsockname: %s", strerror(errno));
    else {
        in_port_t p = ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                               : ((struct sockaddr_in *)&ss)->sin_port;
        *port = ntohs(p);
        rc = *port ? HX_TARGET_OK : rc;
    }
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    return rc;
}

static int remaining(int64_t deadline)
{
    int64_t left = deadline - hx_proc_now_ms();
    return left > 0 ? (int)left : 0;
}

/* Non-blocking connect bounded by |deadline|; returns the fd or a negative
 * hx_target_err (ERR_DIED for "connection refused"). */
static int connect_by(const struct addrinfo *ai, int64_t deadline, struct hx_target_diag *diag)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, 0);
    if (fd < 0)
        return hx_diag_set(diag, HX_TARGET_ERR_PROBE, "socket: %s", strerror(errno));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    int err = 0;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        err = errno;
        if (err == EINPROGRESS) {
            struct pollfd pf = {fd, POLLOUT, 0};
            socklen_t el = sizeof err;
            int n = poll(&pf, 1, remaining(deadline));
            if (n == 0)
                err = ETIMEDOUT;
            else if (n < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
                err = errno;
        }
    }
    if (err == 0)
        return fd;
    close(fd);
    if (err == ETIMEDOUT)
        return hx_diag_set(diag, HX_TARGET_ERR_TIMEOUT, "connect: timed out");
    return hx_diag_set(diag, err == ECONNREFUSED ? HX_TARGET_ERR_DIED : HX_TARGET_ERR_PROBE,
                       "connect: %s", strerror(err));
}

static int send_all(int fd, const char *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        struct pollfd pf = {fd, POLLOUT, 0};
        if (poll(&pf, 1, remaining(deadline)) <= 0)
            return HX_TARGET_ERR_TIMEOUT;
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w < 0)
            return HX_TARGET_ERR_PROBE;
        p += w;
        n -= (size_t)w;
    }
    return HX_TARGET_OK;
}

/* Reads into |buf| until EOF, |cap|-1 bytes or the deadline; NUL-terminates. */
static int recv_some(int fd, char *buf, size_t cap, size_t *len, int64_t deadline)
{
    *len = 0;
    while (*len < cap - 1) {
        struct pollfd pf = {fd, POLLIN, 0};
        int n = poll(&pf, 1, remaining(deadline));
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        ssize_t r = n < 0 ? -1 : recv(fd, buf + *len, cap - 1 - *len, 0);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r <= 0)
            break;
        *len += (size_t)r;
        buf[*len] = '\0';
        const char *hdr_end = strstr(buf, "\r\n\r\n");
        if (hdr_end && (size_t)(buf + *len - (hdr_end + 4)) >= 64)
            break; /* enough of the body to recognise an open packet */
    }
    buf[*len] = '\0';
    return *len ? HX_TARGET_OK : HX_TARGET_ERR_TIMEOUT;
}

/* 1 if the header block |head| says Transfer-Encoding: chunked. */
static int is_chunked(const char *head, size_t n)
{
    static const char key[] = "\r\ntransfer-encoding:";
    for (size_t i = 0; i + sizeof key - 1 < n; i++) {
        if (strncasecmp(head + i, key, sizeof key - 1) != 0)
            continue;
        const char *v = head + i + sizeof key - 1;
        while (*v == ' ' || *v == '\t')
            v++;
        return strncasecmp(v, "chunked", 7) == 0;
    }
    return 0;
}

static int parse_response(const char *raw, size_t n, struct hx_probe_resp *resp)
{
    int major = 0, minor = 0, status = 0;
    if (sscanf(raw, "HTTP/%d.%d %d", &major, &minor, &status) != 3 || status < 100 || status > 999)
        return HX_TARGET_ERR_PROBE;
    resp->status = status;
    const char *body = strstr(raw, "\r\n\r\n");
    if (!body)
        return HX_TARGET_OK;
    size_t head_len = (size_t)(body - raw);
    body += 4;
    if (is_chunked(raw, head_len)) {
        const char *eol = strstr(body, "\r\n");
        body = eol ? eol + 2 : raw + n;
    }
    size_t bl = (size_t)(raw + n - body);
    if (bl > sizeof resp->body - 1)
        bl = sizeof resp->body - 1;
    memcpy(resp->body, body, bl);
    resp->body[bl] = '\0';
    resp->body_len = bl;
    return HX_TARGET_OK;
}

static int exchange(int fd, const char *host, unsigned port, const char *path, int64_t deadline,
                    struct hx_probe_resp *resp, struct hx_target_diag *diag)
{
    char req[1024], raw[4096];
    int w = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: siospec-probe\r\n"
                     "Accept: */*\r\nConnection: close\r\n\r\n",
                     path, host, port);
    if (w < 0 || (size_t)w >= sizeof req)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "probe path too long");
    if (send_all(fd, req, (size_t)w, deadline) != HX_TARGET_OK)
        return hx_diag_set(diag, HX_TARGET_ERR_PROBE, "probe: sending the request failed");
    size_t n = 0;
    if (recv_some(fd, raw, sizeof raw, &n, deadline) != HX_TARGET_OK)
        return hx_diag_set(diag, remaining(deadline) ? HX_TARGET_ERR_PROBE : HX_TARGET_ERR_TIMEOUT,
                           "probe: no answer to GET %s", path);
    if (parse_response(raw, n, resp) != HX_TARGET_OK)
        return hx_diag_set(diag, HX_TARGET_ERR_PROBE, "probe: not an HTTP response (%.40s)", raw);
    return HX_TARGET_OK;
}

int hx_probe_get(const char *host, unsigned port, const char *path, int timeout_ms,
                 struct hx_probe_resp *resp, struct hx_target_diag *diag)
{
    memset(resp, 0, sizeof *resp);
    int64_t deadline = hx_proc_now_ms() + (timeout_ms > 0 ? timeout_ms : 1);
    struct addrinfo *ai = NULL;
    int g = resolve(host, port, &ai);
    if (g != 0)
        return hx_diag_set(diag, HX_TARGET_ERR_PROBE, "resolve %s: %s", host, gai_strerror(g));
    int fd = connect_by(ai, deadline, diag);
    freeaddrinfo(ai);
    if (fd < 0)
        return fd;
    int rc = exchange(fd, host, port, path, deadline, resp, diag);
    /* The answer is in: reset rather than close, so a probe after every
     * case (the live fuzzer) leaves no TIME_WAIT on an ephemeral port. */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(fd);
    return rc;
}

int hx_probe_is_open_packet(const char *body, size_t len)
{
    size_t i = 0;
    while (i < len && body[i] >= '0' && body[i] <= '9')
        i++;
    if (i > 0 && i < len && body[i] == ':')
        return len - (i + 1) >= 2 && body[i + 1] == '0' && body[i + 2] == '{';
    return len >= 2 && body[0] == '0' && body[1] == '{';
}

static int parse_port(const char *s, size_t n, unsigned *port)
{
    unsigned v = 0;
    if (n == 0 || n > 5)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v == 0 || v > 65535)
        return -1;
    *port = v;
    return 0;
}

/* Splits "HOST:PORT" (HOST may be "[v6]") of length |n|. */
static int split_authority(const char *a, size_t n, char **host, unsigned *port)
{
    const char *colon;
    const char *hs = a;
    size_t hl;
    if (n > 0 && a[0] == '[') {
        const char *rb = memchr(a, ']', n);
        if (!rb || rb + 1 >= a + n || rb[1] != ':')
            return HX_TARGET_ERR_URL;
        hs = a + 1;
        hl = (size_t)(rb - hs);
        colon = rb + 1;
    } else {
        colon = memchr(a, ':', n);
        if (!colon)
            return HX_TARGET_ERR_URL;
        hl = (size_t)(colon - a);
    }
    if (hl == 0 || parse_port(colon + 1, (size_t)(a + n - colon - 1), port) != 0)
        return HX_TARGET_ERR_URL;
    *host = malloc(hl + 1);
    if (!*host)
        return HX_TARGET_ERR_NOMEM;
    memcpy(*host, hs, hl);
    (*host)[hl] = '\0';
    return HX_TARGET_OK;
}

int hx_proc_url_parse(const char *url, char **host, unsigned *port, char **path,
                      struct hx_target_diag *diag)
{
    static const char scheme[] = "http://";
    *host = NULL;
    *path = NULL;
    if (!url || strncasecmp(url, scheme, sizeof scheme - 1) != 0)
        return hx_diag_set(diag, HX_TARGET_ERR_URL,
                           "url '%s': only http://HOST:PORT[/PATH/] "
                           "is supported",
                           url ? url : "(null)");
    const char *a = url + sizeof scheme - 1;
    size_t an = strcspn(a, "/?#");
    int rc = split_authority(a, an, host, port);
    if (rc != HX_TARGET_OK)
        return hx_diag_set(diag, rc,
                           rc == HX_TARGET_ERR_NOMEM
                               ? "out of memory"
                               : "url '%s': expected http://HOST:PORT with a port in 1-65535",
                           url);
    const char *p = a + an;
    if (strpbrk(p, "?#")) {
        free(*host);
        *host = NULL;
        return hx_diag_set(diag, HX_TARGET_ERR_URL, "url '%s': no query or fragment allowed", url);
    }
    if (*p && strcmp(p, "/") != 0) {
        size_t pl = strlen(p);
        *path = malloc(pl + 2);
        if (!*path) {
            free(*host);
            *host = NULL;
            return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "out of memory");
        }
        memcpy(*path, p, pl + 1);
        if (p[pl - 1] != '/')
            memcpy(*path + pl, "/", 2); /* Engine.IO paths end with '/' */
    }
    return HX_TARGET_OK;
}
