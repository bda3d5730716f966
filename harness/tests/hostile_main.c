/*
 * hostile_main.c - runs the hostile test server from the command line:
 *   hostile_server MODE [SECONDS]
 * prints "PORT" on stdout and serves until the time is up (default 60 s,
 * at most 600). MODE is one of the names hostile_mode_name() gives.
 */
#include "hostile_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hostile_server MODE [SECONDS]\nmodes:");
        for (int m = 0; m < HM_COUNT; m++)
            fprintf(stderr, " %s", hostile_mode_name((enum hostile_mode)m));
        fprintf(stderr, "\n");
        return 2;
    }
    int mode = -1;
    for (int m = 0; m < HM_COUNT; m++)
        if (strcmp(argv[1], hostile_mode_name((enum hostile_mode)m)) == 0)
            mode = m;
    long secs = argc > 2 ? atol(argv[2]) : 60;
    if (mode < 0 || secs <= 0 || secs > 600) {
        fprintf(stderr, "bad mode or duration\n");
        return 2;
    }
    unsigned port;
    struct hostile *h = hostile_start((enum hostile_mode)mode, &port);
    if (!h)
        return 1;
    printf("%u\n", port);
    fflush(stdout);
    struct timespec ts = {secs, 0};
    nanosleep(&ts, NULL);
    hostile_stop(h);
    return 0;
}
