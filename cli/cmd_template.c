/*
 * cmd_template.c - `certeval template [-p DIR] PACKAGE DIR`: the empty
 * session folder of a title package (the core's cev_template_write).
 */
#include "cli.h"
#include "certeval/certeval.h"

#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f, "usage : certeval template [-p DOSSIER] [-r DOSSIER] REFERENTIEL DOSSIER\n\n"
               "Crée DOSSIER, le dossier de session vide du référentiel REFERENTIEL (un\n"
               "dossier de référentiel, ou le nom de l'un de ceux du dossier des règles) :\n"
               "session.csv, candidats.csv, jury.csv, un fichier CSV par épreuve avec ses\n"
               "colonnes, deliberations.csv, calendrier.csv quand le titre a des dossiers,\n"
               "chacun avec sa ligne d'en-tête, et LISEZMOI.txt, qui explique chaque fichier\n"
               "et chaque colonne avec les libellés du référentiel.  Un DOSSIER qui existe\n"
               "déjà doit être vide.\n\n"
               "  -r, --rules DOSSIER   où chercher un référentiel donné par son nom (par\n"
               "                        défaut : $CERTEVAL_RULES, le dossier installé, ou\n"
               "                        celui des sources)\n"
               CLI_HELP_PLUGINS_FR CLI_HELP_HELP_FR "\n"
               "Code de sortie : 0 écrit, 2 mauvais usage, référentiel qui ne se charge pas,\n"
               "DOSSIER non vide ou où l'on ne peut pas écrire.\n");
}

int cmd_template(int argc, char **argv)
{
    char rules[PATH_MAX], plugins[PATH_MAX], package[PATH_MAX];
    int status = cli_folder_options(argc, argv, help, rules, sizeof rules, plugins,
                                    sizeof plugins, NULL);
    if (status >= 0)
        return status;
    if (argc - optind < 2)
        return cli_usage(argv, argc - optind ? "il manque DIR, le dossier à créer"
                                             : "il manque PACKAGE (le référentiel) et DIR");
    if (argc - optind > 2)
        return cli_usage(argv, "argument inattendu « %s »", argv[optind + 2]);
    const char *pkg = argv[optind], *dir = argv[optind + 1];
    /* a folder as given, else a package of the rules folder by name */
    struct stat st;
    if (stat(pkg, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(package, sizeof package, "%s", pkg);
    else
        snprintf(package, sizeof package, "%s/%s", rules, pkg);
    if (stat(package, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error("référentiel « %s » introuvable : ni un dossier, ni un référentiel du dossier "
                  "des référentiels %s (-r DIR pour en donner un autre)", pkg, rules);
        return CLI_CANNOT_START;
    }
    cev_error err;
    cev_code rc = cev_template_write(plugins, package, dir, &err);
    if (rc != CEV_OK) {
        cli_error("%s", rc == CEV_ENOMEM ? "mémoire insuffisante (out of memory)" : err.message);
        return CLI_CANNOT_START;
    }
    printf("%s: dossier de session créé ; lire %s/LISEZMOI.txt\n", dir, dir);
    return CLI_OK;
}
