/*
 * main.c - certeval's entry point: dispatches to the sub-commands.
 */
#include "certeval/plugin.h"
#include "certeval/certeval.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    {"eval", cmd_eval, "decide every candidate record of session files"},
    {"check", cmd_check, "load and lint title packages"},
    {"test", cmd_test, "run title packages' own test cases"},
    {"plugins", cmd_plugins, "list the modality plugins found, and why any was refused"},
    {"verify", cmd_verify, "check that an audit store was not altered"},
    {"replay", cmd_replay, "re-decide every logged record and compare the bytes"},
    {"diff", cmd_diff, "what other rules would change in the logged decisions"},
    {"explain", cmd_explain, "explain one logged decision, in French"},
    {"minutes", cmd_minutes, "the minutes of one jury session from the audit store, in French"},
    {"template", cmd_template, "create the empty session folder (CSV files) of a title package"},
    {"import", cmd_import, "read a session folder into candidate records"},
    {"pv", cmd_pv, "the procès-verbal of a session folder's session, HTML for A4 printing"},
    {"attestation", cmd_attestation, "each candidate's result document, HTML for A4 printing"},
    {"export", cmd_export, "the session's current decisions for the register, CSV or JSON Lines"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: certeval COMMAND [OPTIONS] [ARGS]\n"
               "       certeval --version | --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'certeval COMMAND --help' describes a command's options.\n");
}

/* Makes sure descriptors 0, 1 and 2 are open before anything else is: a
 * file opened later (the audit log, its lock) would take the number of a
 * closed one, and what is written to stdout or stderr would land in it (a
 * run with stdout closed wrote its records into the store's lock and exited
 * 0).  A closed stdin or stderr becomes /dev/null; a closed stdout stops the
 * run, since every command writes its result there.  0, or -1 (said). */
static int standard_fds(void)
{
    int stdout_closed = 0;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        stdout_closed |= fd == STDOUT_FILENO;
        int got = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
        if (got != fd) { /* the lowest free number: fd itself, unless it failed */
            if (got >= 0)
                close(got);
            return -1;
        }
    }
    if (stdout_closed) {
        cli_error("stdout is closed: redirect it to a file, or to /dev/null");
        return -1;
    }
    return 0;
}

/* Whether a command is running.  The one piece of mutable static state of
 * the program, and a process-level one: exit() ends the whole process
 * whoever calls it, so what it watches is the process, not a run (the core
 * keeps none).  Set before a command starts, cleared when it returns. */
static volatile sig_atomic_t command_running;

/* exit() while a command runs was not certeval's doing (the commands
 * return to main): a plugin called it, or a library a plugin uses.  The
 * run did not finish, whatever the status asked for: say so and fail. */
static void exit_guard(void)
{
    if (!command_running)
        return;
    static const char msg[] = "certeval: the process was ended by exit() before the command "
                              "finished (a plugin called it?): the output is incomplete\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    _exit(CLI_CANNOT_START);
}

int main(int argc, char **argv)
{
    if (standard_fds() != 0)
        return CLI_CANNOT_START;
    if (argc < 2) {
        usage(stderr);
        return CLI_CANNOT_START;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("certeval %s (plugin ABI %d.%d)\n", CEV_ENGINE_VERSION, CEV_ABI_MAJOR,
               CEV_ABI_MINOR);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            if (atexit(exit_guard) != 0) {
                cli_error("cannot register the exit handler");
                return CLI_CANNOT_START;
            }
            command_running = 1;
            int status = commands[i].run(argc - 1, argv + 1);
            command_running = 0;
            return status;
        }
    cli_error("unknown command '%s'; see 'certeval --help'", argv[1]);
    return CLI_CANNOT_START;
}
