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
            "usage : certeval attestation -a AUDIT -s DOSSIER [-o SORTIE] [CANDIDAT...]\n\n"
            "Écrit l'attestation de résultats de chaque CANDIDAT (par défaut, tous ceux de\n"
            "candidats.csv) de la session du dossier DOSSIER, une page A4 chacune dans un\n"
            "seul fichier HTML autonome : la décision sur le titre, chaque bloc acquis avec\n"
            "sa date et comment, jusqu'à quand il reste utilisable quand le titre le\n"
            "prévoit, les blocs restant à acquérir et les motifs.  La chaîne du registre\n"
            "d'audit est vérifiée d'abord.\n\n"
            CLI_HELP_DOCUMENT_FR CLI_HELP_HELP_FR "\n"
            "Code de sortie : 0 écrit, 1 le registre ne tient pas (l'entrée est nommée),\n"
            "n'a aucune entrée de la session, un CANDIDAT est inconnu, ou le dossier a des\n"
            "problèmes, 2 mauvais usage, dossier ou registre illisible.\n");
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
