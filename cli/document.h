/*
 * document.h - what pv, attestation and export share: their options,
 * writing the document, and telling why there is none.  Errors are said
 * on stderr.
 */
#ifndef CEV_CLI_DOCUMENT_H
#define CEV_CLI_DOCUMENT_H

#include "certeval/certeval.h"

#include <getopt.h>
#include <stdio.h>

/* The options every document command takes: -a AUDIT, -s DIR, -o OUT.
 * The strings are argv's. */
typedef struct cli_document_args {
    const char *audit, *folder;
    const char *output; /* NULL: stdout */
} cli_document_args;

/* A command's own option beside those (export's --format): its entry for
 * getopt_long (its val a letter other than a, s, o, h), its letters for
 * the option string ("f:"), and what takes its value: 0, or the exit
 * status to return now (said). */
typedef struct cli_document_option {
    struct option opt;
    const char *letters;
    int (*take)(const char *arg, void *ctx);
    void *ctx;
} cli_document_option;

/* Parses -a, -s, -o, -h and `own` (NULL: none) into *a, then checks that
 * -a and -s were given and, unless `operands`, that no operand follows.
 * Returns -1 to go on with the operands at argv[optind], else the exit
 * status to return now (help shown, or bad usage said as cli_usage()). */
int cli_document_options(int argc, char **argv, void (*help)(FILE *),
                         const cli_document_option *own, int operands, cli_document_args *a);

/* Writes the document to `output` (NULL or "-": stdout), refusing a file
 * inside the audit store `audit_dir`.  The exit status: CLI_OK, or
 * CLI_CANNOT_START (said). */
int cli_write_document(const cev_buf *doc, const char *output, const char *audit_dir);

/* Says why a document could not be made (each problem of the folder as
 * "file:row:column: message", else err) and returns the exit status:
 * CLI_PROBLEMS for CEV_PROBLEMS, else CLI_CANNOT_START. */
int cli_document_failed(cev_code rc, const cev_errlist *problems, const cev_error *err);

#endif
