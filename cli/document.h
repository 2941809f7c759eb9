/*
 * document.h - what pv, attestation and export share: their options,
 * writing the document, and telling why there is none.  Errors are said
 * on stderr, in French (a jury secretary reads them).
 */
#ifndef CEV_CLI_DOCUMENT_H
#define CEV_CLI_DOCUMENT_H

#include "certeval/certeval.h"

#include <getopt.h>
#include <stdio.h>

/* A document command's run: the options every one takes (-a AUDIT, -s
 * DIR, -o OUT; argv's strings), and what the core's cev_print_* fills.
 * Caller-owned: set up by cli_document_options() when it returns -1,
 * closed by cli_document_done(). */
typedef struct cli_document {
    const char *audit, *folder;
    const char *output; /* NULL: stdout */
    cev_buf doc;
    cev_errlist problems;
    cev_error err;
} cli_document;

/* A command's own option beside those (export's --format): its entry for
 * getopt_long (its val a letter other than a, s, o, h), its letters for
 * the option string ("f:"), and what takes its value (the command line
 * given, to say a wrong one with cli_usage()): 0, or the exit status to
 * return now (said). */
typedef struct cli_document_option {
    struct option opt;
    const char *letters;
    int (*take)(char **argv, const char *arg, void *ctx);
    void *ctx;
} cli_document_option;

/* Parses -a, -s, -o, -h and `own` (NULL: none) into *d, then checks that
 * -a and -s were given and, unless `operands`, that no operand follows.
 * Returns -1 to go on with the operands at argv[optind] (d set up), else
 * the exit status to return now (help shown, or bad usage said as
 * cli_usage()). */
int cli_document_options(int argc, char **argv, void (*help)(FILE *),
                         const cli_document_option *own, int operands, cli_document *d);

/* Ends the command with the core's answer `rc` for d: CEV_OK writes d->doc
 * to d->output (NULL or "-": stdout), refusing a file inside the audit
 * store; otherwise says why there is none (each problem of the folder as
 * "file:row:column: message", else d->err).  Closes d and returns the exit
 * status: CLI_OK, CLI_PROBLEMS for CEV_PROBLEMS, else CLI_CANNOT_START. */
int cli_document_done(cli_document *d, cev_code rc);

#endif
