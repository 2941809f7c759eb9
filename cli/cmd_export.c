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
            "usage : certeval export -a AUDIT -s DOSSIER [--format csv|jsonl] [-o SORTIE]\n\n"
            "Écrit la décision en vigueur de chaque candidat de la session du dossier\n"
            "DOSSIER (sa dernière entrée dans le registre d'audit), une ligne par candidat\n"
            "et par bloc, dans l'ordre de candidats.csv : session, candidat, nom, prenom,\n"
            "date_naissance, titre, version, decision_titre, bloc, decision_bloc, source,\n"
            "acquis_le, utilisable_jusqu_au, deliberation, erreur, entree, empreinte.\n"
            "CSV : séparateur « ; », UTF-8 avec BOM, fins de ligne CRLF, une ligne\n"
            "d'en-tête.  La chaîne du registre est vérifiée d'abord.\n\n"
            CLI_HELP_DOCUMENT_FR
            "  -f, --format FMT      csv (par défaut) ou jsonl (un objet JSON par ligne)\n"
            CLI_HELP_HELP_FR "\n"
            "Code de sortie : 0 écrit, 1 le registre ne tient pas (l'entrée est nommée),\n"
            "n'a aucune entrée de la session, ou le dossier a des problèmes, 2 mauvais\n"
            "usage, dossier ou registre illisible.\n");
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
