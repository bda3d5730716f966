/*
 * bench_ref.c - runs the reference side (node bench/ref_bench.js) and reads
 * its figures.
 *
 * The child runs after the codec side has measured the same class, never at
 * the same time, so the two never compete for the machine's cores. Its standard output is
 * a line protocol (bench/README.md):
 *   REF meta <free text: node and parser versions>
 *   REF result class=<name> dir=<decode|encode> passes=N seconds=S bytes=B packets=P
 *   REF error <free text>
 * Other lines are passed through to stderr.
 */
#include "bench.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Parses the key=value fields of a result line into |f|; returns the class
 * and sets |*dir|, or -1 if the line is malformed. */
static int parse_result(char *line, struct bench_fig *f, int *dir)
{
    int cls = -1, got = 0;
    *dir = -1;
    for (char *save = NULL, *tok = strtok_r(line, " \n", &save); tok;
         tok = strtok_r(NULL, " \n", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (strcmp(tok, "class") == 0)
            cls = bench_class_find(v, strlen(v));
        else if (strcmp(tok, "dir") == 0)
            *dir = strcmp(v, "decode") == 0 ? 0 : strcmp(v, "encode") == 0 ? 1 : -1;
        else if (strcmp(tok, "passes") == 0 && ++got)
            f->passes = strtoull(v, NULL, 10);
        else if (strcmp(tok, "seconds") == 0 && ++got)
            f->seconds = strtod(v, NULL);
        else if (strcmp(tok, "bytes") == 0 && ++got)
            f->bytes = strtoull(v, NULL, 10);
        else if (strcmp(tok, "packets") == 0 && ++got)
            f->pkts = strtoull(v, NULL, 10);
    }
    if (cls < 0 || *dir < 0 || got != 4 || f->seconds <= 0)
        return -1;
    f->valid = 1;
    return cls;
}

/* Handles one line of the child's output; returns -1 on a REF error. */
static int take_line(char *line, struct bench_results *r)
{
    if (strncmp(line, "REF meta ", 9) == 0) {
        size_t n = strcspn(line + 9, "\n");
        if (n >= sizeof r->ref_versions)
            n = sizeof r->ref_versions - 1;
        memcpy(r->ref_versions, line + 9, n);
        r->ref_versions[n] = '\0';
        return 0;
    }
    if (strncmp(line, "REF result ", 11) == 0) {
        struct bench_fig f = {0};
        int dir, cls = parse_result(line + 11, &f, &dir);
        if (cls < 0) {
            fprintf(stderr, "codec_bench: malformed reference line ignored\n");
            return 0;
        }
        r->ref[cls][dir] = f;
        return 0;
    }
    fprintf(stderr, "%s%s", strncmp(line, "REF error ", 10) == 0 ? "reference: " : "", line);
    return strncmp(line, "REF error ", 10) == 0 ? -1 : 0;
}

int bench_ref_run(char *const argv[], struct bench_results *r)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (err != 0) {
        fprintf(stderr, "codec_bench: cannot start %s: %s\n", argv[0], strerror(err));
        close(fds[0]);
        return -1;
    }
    FILE *in = fdopen(fds[0], "r");
    int rc = in ? 0 : -1;
    char line[4096];
    while (in && fgets(line, sizeof line, in))
        if (take_line(line, r) != 0)
            rc = -1;
    if (in)
        fclose(in);
    else
        close(fds[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "codec_bench: the reference benchmark failed (status %d)\n", status);
        rc = -1;
    }
    return rc;
}
