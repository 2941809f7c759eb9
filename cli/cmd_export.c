/*
 * cmd_export.c - `certeval export -a AUDIT -s DIR [--format csv|jsonl]
 * [-o OUT]`: the session's current decisions, one row per candidate and
 * block, for the certifier's register (the core's cev_print_export).
 */
#include "certeval/certeval.h"
#include "cli.h"
#include "document.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval export -a AUDIT -s DIR [--format csv|jsonl] [-o OUT]\n\n"
            "Writes the current decision of each candidate of the session of folder DIR\n"
            "(its latest entry in the audit store), one row per candidate and block, in\n"
            "the order of candidats.csv: session, candidat, nom, prenom, date_naissance,\n"
            "titre, version, decision_titre, bloc, decision_bloc, source, acquis_le,\n"
            "utilisable_jusqu_au, deliberation, erreur, entree, empreinte.  CSV: ';'\n"
            "separated, UTF-8 with a byte order mark, CRLF line ends, a header row.  The\n"
            "chain of the store is checked first.\n\n"
            "  -a, --audit AUDIT   the audit store\n"
            "  -s, --session DIR   the session folder\n"
            "  -f, --format FMT    csv (the default) or jsonl (one JSON object a row)\n"
            "  -o, --output OUT    write to OUT instead of stdout\n" CLI_HELP_HELP "\n"
            "Exit status: 0 written, 1 the store does not hold (the entry named), has no\n"
            "entry of the session, or the folder has problems, 2 bad usage or an unreadable\n"
            "folder or store.\n");
}

/* -f, --format csv|jsonl: export's own option. */
static int take_format(char **argv, const char *arg, void *ctx)
{
    cev_export_format *format = ctx;
    if (strcmp(arg, "csv") == 0)
        *format = CEV_EXPORT_CSV;
    else if (strcmp(arg, "jsonl") == 0)
        *format = CEV_EXPORT_JSONL;
    else
        return cli_usage(argv, "--format : csv ou jsonl, pas « %s »", arg);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    cev_export_format format = CEV_EXPORT_CSV;
    const cli_document_option own = {{"format", required_argument, NULL, 'f'}, "f:", take_format,
                                     &format};
    cli_document d;
    int status = cli_document_options(argc, argv, help, &own, 0, &d);
    if (status >= 0)
        return status;
    cev_code rc = cev_print_export(&d.doc, d.audit, d.folder, format, &d.problems, &d.err);
    return cli_document_done(&d, rc);
}
