/*
 * cmd_attestation.c - `certeval attestation -a AUDIT -s DIR [-o OUT]
 * [CANDIDATE...]`: each candidate's result document (relevé de décision,
 * attestation des blocs acquis), one A4 page each in one HTML file, from
 * the decisions of the audit store (the core's cev_print_attestations).
 */
#include "certeval/certeval.h"
#include "cli.h"
#include "document.h"

#include <getopt.h> /* optind */
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval attestation -a AUDIT -s DIR [-o OUT] [CANDIDATE...]\n\n"
            "Writes the result document of each CANDIDATE (by default every candidate of\n"
            "the folder's candidats.csv) of the session of folder DIR, in French, one A4\n"
            "page each in one self-contained HTML file: the title decision, each block\n"
            "acquired with its date and how, until when it stays usable when the title\n"
            "says so, the blocks still to acquire and the reasons.  The chain of the\n"
            "audit store is checked first.\n\n"
            "  -a, --audit AUDIT   the audit store\n"
            "  -s, --session DIR   the session folder\n"
            "  -o, --output OUT    write to OUT instead of stdout\n" CLI_HELP_HELP "\n"
            "Exit status: 0 written, 1 the store does not hold (the entry named), has no\n"
            "entry of the session, a CANDIDATE is unknown, or the folder has problems, 2 bad\n"
            "usage or an unreadable folder or store.\n");
}

int cmd_attestation(int argc, char **argv)
{
    cli_document d;
    int status = cli_document_options(argc, argv, help, NULL, 1, &d); /* CANDIDATE... */
    if (status >= 0)
        return status;
    const char *const *ids = (const char *const *)argv + optind;
    cev_code rc = cev_print_attestations(&d.doc, d.audit, d.folder, ids, (size_t)(argc - optind),
                                         &d.problems, &d.err);
    return cli_document_done(&d, rc);
}
