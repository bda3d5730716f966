/*
 * siospec.c - entry point: dispatches to the subcommands.
 *
 * Every subcommand prints --help, exits 2 on a usage error, 1 when the
 * input is invalid (or a case failed), 0 otherwise.
 */
#include "cli.h"

#include <string.h>

#ifndef SIOSPEC_VERSION
#define SIOSPEC_VERSION "0.1.0"
#endif

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"decode", cmd_decode, "decode one captured frame or polling body to canonical JSON"},
    {"encode", cmd_encode, "encode canonical JSON back to the wire form"},
    {"run", cmd_run, "run the conformance catalogue against a server"},
    {"list", cmd_list, "list the conformance cases (one entry per case and transport)"},
    {"report", cmd_report, "render a saved result as JUnit, Markdown, HTML and transcripts"},
    {"coverage", cmd_coverage, "spec statements checked by the catalogue"},
    {"matrix", cmd_matrix, "run the catalogue against several targets; the cross-server matrix"},
    {"fuzz", cmd_fuzz, "fuzz a live server; replay, minimise and report findings"},
    {"replay", cmd_replay, "run a reproducer written by 'siospec fuzz'"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: siospec <command> [options]\n\n"
               "siospec checks Engine.IO / Socket.IO servers against the protocols.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'siospec <command> --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("siospec %s\n", SIOSPEC_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "siospec: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
