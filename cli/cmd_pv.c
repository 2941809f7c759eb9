/*
 * cmd_pv.c - `certeval pv -a AUDIT -s DIR [-o OUT]`: the procès-verbal of
 * the session of folder DIR, as one HTML file for A4 printing, from the
 * decisions of the audit store (the core's cev_print_pv).
 */
#include "certeval/certeval.h"
#include "cli.h"
#include "document.h"

#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval pv -a AUDIT -s DIR [-o OUT]\n\n"
            "Writes the procès-verbal of the session of folder DIR (its session.csv,\n"
            "candidats.csv and jury.csv) from the decisions of the audit store, in French,\n"
            "as one self-contained HTML file laid out for A4 printing: the title, the\n"
            "session, the jury, every candidate's decisions in the order of candidats.csv,\n"
            "the jury's deliberations, the records to correct, statistics, the seal of the\n"
            "audit log and the signature block.  The chain of the store is checked first.\n\n"
            "  -a, --audit AUDIT   the audit store\n"
            "  -s, --session DIR   the session folder\n"
            "  -o, --output OUT    write to OUT instead of stdout\n" CLI_HELP_HELP "\n"
            "Exit status: 0 written, 1 the store does not hold (the entry named), has no\n"
            "entry of the session, or the folder has problems, 2 bad usage or an unreadable\n"
            "folder or store.\n");
}

int cmd_pv(int argc, char **argv)
{
    cli_document d;
    int status = cli_document_options(argc, argv, help, NULL, 0, &d);
    if (status >= 0)
        return status;
    cev_code rc = cev_print_pv(&d.doc, d.audit, d.folder, &d.problems, &d.err);
    return cli_document_done(&d, rc);
}
