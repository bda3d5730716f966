/*
 * hostile_server.c - the misbehaving test server (see hostile_server.h).
 *
 * One thread per instance: poll on the listening socket and a stop pipe,
 * accept, serve the connection according to the mode, repeat. Every wait
 * also watches the stop pipe, so hostile_stop() returns promptly whatever
 * the mode is doing; every write loop is capped in bytes and time.
 */
#include "hostile_server.h"

#include "harness/hx_ws.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 32
#define CONN_MS 10000
#define CONN_BYTES (64u << 20)

struct hostile {
    enum hostile_mode mode;
    int lfd;
    int stop[2];
    pthread_t th;
    size_t sent;
    int conns;
};

static const char *names[HM_COUNT] = {
    "silent",       "endless-body",     "wrong-length", "length-stall",
    "slow-drip",    "close-mid-header", "huge-headers", "garbage",
    "reset",        "bad-open",         "bad-accept",   "ws-bad-frame",
    "ws-mid-frame", "ws-huge-frame",    "ws-silent",    "ws-bad-utf8",
};

const char *hostile_mode_name(enum hostile_mode mode)
{
    return mode < HM_COUNT ? names[mode] : "?";
}

size_t hostile_bytes_sent(const struct hostile *h)
{
    return __atomic_load_n(&h->sent, __ATOMIC_RELAXED);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Waits for |events| on |fd| up to |ms|: 1 ready, 0 timeout, -1 stop. */
static int wait_fd(struct hostile *h, int fd, short events, int ms)
{
    struct pollfd p[2] = {{.fd = fd, .events = events}, {.fd = h->stop[0], .events = POLLIN}};
    int r = poll(p, 2, ms);
    if (r < 0 && errno != EINTR)
        return -1;
    if (p[1].revents)
        return -1;
    return r > 0 && p[0].revents ? 1 : 0;
}

static int send_all(struct hostile *h, int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        if (wait_fd(h, fd, POLLOUT, 1000) < 0)
            return -1;
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (w <= 0)
            return -1;
        __atomic_add_fetch(&h->sent, (size_t)w, __ATOMIC_RELAXED);
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int send_str(struct hostile *h, int fd, const char *s)
{
    return send_all(h, fd, s, strlen(s));
}

/* Reads until the client closes, the stop pipe fires, or |ms| pass. */
static void drain(struct hostile *h, int fd, int ms)
{
    char buf[4096];
    long end = now_ms() + ms;
    while (now_ms() < end) {
        int r = wait_fd(h, fd, POLLIN, 100);
        if (r < 0)
            return;
        if (r > 0 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) == 0)
            return;
    }
}

/* Reads a request head (up to 16 KiB) into |buf|; 0 when complete. */
static int read_head(struct hostile *h, int fd, char *buf, size_t cap)
{
    size_t n = 0;
    long end = now_ms() + 2000;
    while (n + 1 < cap && now_ms() < end) {
        if (wait_fd(h, fd, POLLIN, 100) < 0)
            return -1;
        ssize_t r = recv(fd, buf + n, cap - 1 - n, MSG_DONTWAIT);
        if (r == 0)
            return -1;
        if (r > 0)
            n += (size_t)r;
        buf[n] = 0;
        if (strstr(buf, "\r\n\r\n"))
            return 0;
    }
    return -1;
}

static int send_101(struct hostile *h, int fd, bool good)
{
    char head[16384], accept[29] = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", out[512];
    if (read_head(h, fd, head, sizeof(head)) != 0)
        return -1;
    char *k = strstr(head, "Sec-WebSocket-Key: ");
    if (!k && (k = strstr(head, "sec-websocket-key: ")) == NULL)
        return -1;
    k += 19;
    k[strcspn(k, "\r\n")] = 0;
    if (good)
        hx_ws_accept_for(k, accept);
    snprintf(out, sizeof(out),
             "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: %s\r\n\r\n",
             accept);
    return send_str(h, fd, out);
}

static void stream(struct hostile *h, int fd, const char *prefix, const char *suffix)
{
    char block[65536];
    memset(block, 'a', sizeof(block));
    long end = now_ms() + CONN_MS;
    size_t total = 0;
    while (total < CONN_BYTES && now_ms() < end) {
        if ((prefix && send_str(h, fd, prefix) != 0) ||
            send_all(h, fd, block, sizeof(block)) != 0 || (suffix && send_str(h, fd, suffix) != 0))
            return;
        total += sizeof(block);
    }
}

static void huge_headers(struct hostile *h, int fd)
{
    char line[1100];
    memset(line, 'h', sizeof(line));
    if (send_str(h, fd, "HTTP/1.1 200 OK\r\n") != 0)
        return;
    for (int i = 0; i < 4096; i++) {
        int n = snprintf(line, 16, "X-Pad-%04d: ", i);
        line[n] = 'h';
        memcpy(line + 1000, "\r\n", 2);
        if (send_all(h, fd, line, 1002) != 0)
            return;
    }
    send_str(h, fd, "Content-Length: 0\r\n\r\n");
}

static void slow_drip(struct hostile *h, int fd)
{
    const char *r = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
    long end = now_ms() + CONN_MS;
    for (size_t i = 0; r[i] && now_ms() < end; i++) {
        if (send_all(h, fd, r + i, 1) != 0 || wait_fd(h, fd, 0, 50) < 0)
            return;
    }
    for (int i = 0; i < 100 && now_ms() < end; i++)
        if (send_all(h, fd, "x", 1) != 0 || wait_fd(h, fd, 0, 50) < 0)
            return;
}

static void garbage(struct hostile *h, int fd)
{
    unsigned char junk[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof(junk); i++) {
        v = v * 1103515245u + 12345u;
        junk[i] = (unsigned char)(v >> 16);
    }
    memcpy(junk, "\x16\x03\x01\x02\x00", 5); /* starts like a TLS record, not HTTP */
    if (send_all(h, fd, junk, sizeof(junk)) == 0)
        drain(h, fd, CONN_MS);
}

static void serve_ws(struct hostile *h, int fd)
{
    bool good = h->mode != HM_BAD_ACCEPT;
    if (send_101(h, fd, good) != 0)
        return;
    switch (h->mode) {
    case HM_WS_BAD_FRAME:
        send_all(h, fd, "\xc3\x02hi", 4);
        break;
    case HM_WS_MID_FRAME:
        send_all(h, fd, "\x81\x7e\x01", 3);
        return;
    case HM_WS_HUGE_FRAME:
        if (send_all(h, fd, "\x82\x7f\x00\x00\x01\x00\x00\x00\x00\x00", 10) == 0)
            stream(h, fd, NULL, NULL);
        return;
    case HM_WS_BAD_UTF8:
        send_all(h, fd,
                 "\x81\x03"
                 "4\xc3\x28",
                 5);
        break;
    default:
        break;
    }
    drain(h, fd, CONN_MS);
}

static void serve(struct hostile *h, int fd)
{
    char head[16384];
    switch (h->mode) {
    case HM_SILENT:
        drain(h, fd, CONN_MS);
        break;
    case HM_ENDLESS_BODY:
        if (send_str(h, fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") == 0)
            stream(h, fd, "10000\r\n", "\r\n");
        break;
    case HM_WRONG_LENGTH:
        read_head(h, fd, head, sizeof(head));
        send_str(h, fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
        break;
    case HM_LENGTH_STALL:
        send_str(h, fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
        drain(h, fd, CONN_MS);
        break;
    case HM_SLOW_DRIP:
        slow_drip(h, fd);
        break;
    case HM_CLOSE_MID_HEADER:
        read_head(h, fd, head, sizeof(head));
        send_str(h, fd, "HTTP/1.1 200 OK\r\nContent-Ty");
        break;
    case HM_HUGE_HEADERS:
        huge_headers(h, fd);
        break;
    case HM_GARBAGE:
        garbage(h, fd);
        break;
    case HM_RESET: {
        struct linger lg = {1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        break;
    }
    case HM_BAD_OPEN:
        read_head(h, fd, head, sizeof(head));
        send_str(h, fd,
                 "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n"
                 "Connection: close\r\n\r\n4hello!");
        break;
    default:
        serve_ws(h, fd);
        break;
    }
}

static void *loop(void *arg)
{
    struct hostile *h = arg;
    while (h->conns < MAX_CONNS) {
        int r = wait_fd(h, h->lfd, POLLIN, 1000);
        if (r < 0)
            break;
        if (r == 0)
            continue;
        int fd = accept(h->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        h->conns++;
        serve(h, fd);
        close(fd);
    }
    return NULL;
}

struct hostile *hostile_start(enum hostile_mode mode, unsigned *port)
{
    struct hostile *h = calloc(1, sizeof(*h));
    if (!h || pipe(h->stop) != 0) {
        free(h);
        return NULL;
    }
    h->mode = mode;
    h->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof(a);
    if (h->lfd < 0 || bind(h->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(h->lfd, 16) != 0 || getsockname(h->lfd, (struct sockaddr *)&a, &al) != 0 ||
        pthread_create(&h->th, NULL, loop, h) != 0) {
        if (h->lfd >= 0)
            close(h->lfd);
        close(h->stop[0]);
        close(h->stop[1]);
        free(h);
        return NULL;
    }
    *port = ntohs(a.sin_port);
    return h;
}

void hostile_stop(struct hostile *h)
{
    if (!h)
        return;
    if (write(h->stop[1], "x", 1) != 1)
        perror("hostile_stop");
    pthread_join(h->th, NULL);
    close(h->lfd);
    close(h->stop[0]);
    close(h->stop[1]);
    free(h);
}
