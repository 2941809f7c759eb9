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
            "usage : certeval pv -a AUDIT -s DOSSIER [-o SORTIE]\n\n"
            "Écrit le procès-verbal de la session du dossier DOSSIER (son session.csv,\n"
            "candidats.csv et jury.csv) à partir des décisions du registre d'audit AUDIT :\n"
            "un fichier HTML autonome mis en page pour l'impression A4, avec le titre, la\n"
            "session, le jury, les décisions de chaque candidat dans l'ordre de\n"
            "candidats.csv, les délibérations du jury, les dossiers à corriger, les\n"
            "statistiques, le sceau du registre et le bloc des signatures.  La chaîne du\n"
            "registre est vérifiée d'abord.\n\n"
            CLI_HELP_DOCUMENT_FR CLI_HELP_HELP_FR "\n"
            "Code de sortie : 0 écrit, 1 le registre ne tient pas (l'entrée est nommée),\n"
            "n'a aucune entrée de la session, ou le dossier a des problèmes, 2 mauvais\n"
            "usage, dossier ou registre illisible.\n");
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
