/*
 * hx_capture.c - bounded capture of a target's stdout and stderr.
 *
 * The child writes to a file opened with O_APPEND, never to a pipe: a pipe
 * fills up while siospec is busy in a long case and would freeze the
 * server, which siospec would then misreport as a hang. The file is read
 * with pread from the offset already consumed, and new bytes go into a ring
 * that keeps the newest |cap| bytes. A private temp file (already unlinked)
 * is truncated once more than HX_CAPTURE_TRUNCATE bytes have been read;
 * output written between the last read and the truncation is lost, which
 * is acceptable for a diagnostic log.
 */
#define _POSIX_C_SOURCE 200809L

#include "hx_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HX_CAPTURE_TRUNCATE (1L << 20)

static int open_private(struct hx_target_diag *diag)
{
    const char *dir = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/siospec-target-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return hx_diag_set(diag, -1, "temp file in %s: %s", dir && *dir ? dir : "/tmp",
                           strerror(errno));
    unlink(tmpl);
    return fd;
}

int hx_capture_open(struct hx_capture *c, const char *path, size_t cap, struct hx_target_diag *diag)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (cap < 2)
        return hx_diag_set(diag, HX_TARGET_ERR_INVALID_ARG, "log capacity too small");
    c->ring = malloc(cap);
    if (!c->ring)
        return hx_diag_set(diag, HX_TARGET_ERR_NOMEM, "log ring: out of memory");
    c->cap = cap;
    if (path) {
        c->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);
        if (c->fd < 0)
            hx_diag_set(diag, 0, "log file %s: %s", path, strerror(errno));
    } else {
        c->fd = open_private(diag);
        c->private_tmp = 1;
    }
    if (c->fd < 0) {
        free(c->ring);
        c->ring = NULL;
        return HX_TARGET_ERR_IO;
    }
    /* O_APPEND on the shared open file description: children append while
     * we read with pread at our own offset. */
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_APPEND);
    fcntl(c->fd, F_SETFD, FD_CLOEXEC);
    return HX_TARGET_OK;
}

static void ring_put(struct hx_capture *c, const char *p, size_t n)
{
    if (n >= c->cap) {
        p += n - c->cap;
        c->total += n - c->cap;
        n = c->cap;
    }
    size_t at = (size_t)(c->total % c->cap);
    size_t first = c->cap - at < n ? c->cap - at : n;
    memcpy(c->ring + at, p, first);
    memcpy(c->ring, p + first, n - first);
    c->total += n;
    c->len = c->len + n > c->cap ? c->cap : c->len + n;
}

void hx_capture_pump(struct hx_capture *c)
{
    if (!c || c->fd < 0)
        return;
    char chunk[8192];
    for (int i = 0; i < 64; i++) { /* bounded: at most 512 KiB per call */
        ssize_t r = pread(c->fd, chunk, sizeof chunk, c->read_off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        ring_put(c, chunk, (size_t)r);
        c->read_off += r;
    }
    if (c->private_tmp && c->read_off > HX_CAPTURE_TRUNCATE) {
        off_t end = lseek(c->fd, 0, SEEK_END);
        if (end == c->read_off && ftruncate(c->fd, 0) == 0)
            c->read_off = 0;
    }
}

size_t hx_capture_read(const struct hx_capture *c, uint64_t *pos, char *buf, size_t cap)
{
    if (!c || !pos || !buf || cap == 0)
        return 0;
    buf[0] = '\0';
    if (!c->ring)
        return 0;
    uint64_t oldest = c->total - c->len;
    if (*pos < oldest)
        *pos = oldest;
    if (*pos > c->total)
        *pos = c->total;
    size_t n = (size_t)(c->total - *pos);
    if (n > cap - 1)
        n = cap - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = c->ring[(size_t)((*pos + i) % c->cap)];
    buf[n] = '\0';
    *pos += n;
    return n;
}

void hx_capture_tail(const struct hx_capture *c, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return;
    buf[0] = '\0';
    if (!c || !c->ring)
        return;
    uint64_t pos = c->total > cap - 1 ? c->total - (cap - 1) : 0;
    size_t n = hx_capture_read(c, &pos, buf, cap);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)buf[i];
        if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
            buf[i] = '.';
    }
}

void hx_capture_close(struct hx_capture *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    free(c->ring);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}
