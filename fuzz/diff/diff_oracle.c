/*
 * diff_oracle.c - runs oracle.js as one persistent child process and talks
 * to it over two pipes with length-prefixed messages (u32 little-endian),
 * the design measured in fuzzing-notes §2.3 (~24k requests/s).
 *
 * The child is started with `node <script>`; every answer must arrive
 * within 10 s, otherwise the oracle counts as dead. SIGPIPE is ignored so a
 * dead oracle shows up as a write error instead of killing the fuzzer.
 */
#define _POSIX_C_SOURCE 200809L

#include "diff.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef DF_ORACLE_PATH
#define DF_ORACLE_PATH "fuzz/diff/oracle.js"
#endif

const char *df_oracle_default(void)
{
    const char *env = getenv("SIOSPEC_ORACLE");
    return env && *env ? env : DF_ORACLE_PATH;
}

int df_oracle_start(struct df_oracle *o, const char *script)
{
    int in[2], out[2];
    signal(SIGPIPE, SIG_IGN);
    if (pipe(in) != 0 || pipe(out) != 0) {
        perror("diff: pipe");
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("diff: fork");
        return -1;
    }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execlp("node", "node", script, (char *)NULL);
        perror("diff: exec node");
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    o->pid = (int)pid;
    o->to_child = in[1];
    o->from_child = out[0];
    return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, uint8_t *p, size_t n)
{
    while (n) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int r = poll(&pf, 1, 10000);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1; /* timeout or poll error */
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int df_oracle_query(struct df_oracle *o, int layer, const uint8_t *in, size_t n,
                    struct cdc_buf *out)
{
    uint8_t hdr[5];
    uint32_t len = (uint32_t)(n + 1);
    for (int i = 0; i < 4; i++)
        hdr[i] = (uint8_t)(len >> (8 * i));
    hdr[4] = (uint8_t)layer;
    if (write_all(o->to_child, hdr, 5) != 0 || write_all(o->to_child, in, n) != 0)
        return -1;
    uint8_t rh[4];
    if (read_all(o->from_child, rh, 4) != 0)
        return -1;
    uint32_t rl =
        (uint32_t)rh[0] | (uint32_t)rh[1] << 8 | (uint32_t)rh[2] << 16 | (uint32_t)rh[3] << 24;
    uint8_t *dst;
    cdc_buf_reset(out);
    if (cdc_buf_reserve(out, rl, &dst) != CDC_OK)
        return -1;
    if (read_all(o->from_child, dst, rl) != 0)
        return -1;
    out->len = rl;
    return 0;
}

void df_oracle_stop(struct df_oracle *o)
{
    if (o->to_child >= 0)
        close(o->to_child);
    if (o->from_child >= 0)
        close(o->from_child);
    if (o->pid > 0) {
        int st;
        if (waitpid((pid_t)o->pid, &st, WNOHANG) == 0) {
            kill((pid_t)o->pid, SIGTERM);
            waitpid((pid_t)o->pid, &st, 0);
        }
    }
    o->pid = -1;
    o->to_child = o->from_child = -1;
}
