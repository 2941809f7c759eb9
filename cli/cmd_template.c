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
    fprintf(f, "usage: certeval template [-p DIR] [-r DIR] PACKAGE DIR\n\n"
               "Creates DIR, the empty session folder of the title package PACKAGE (a\n"
               "package folder, or the name of one in the rules folder): session.csv,\n"
               "candidats.csv, jury.csv, one CSV file per assessment with its columns,\n"
               "deliberations.csv, calendrier.csv when the title has dossiers, each with\n"
               "its header row, and LISEZMOI.txt, which explains every file and column in\n"
               "French with the référentiel's labels.  An existing DIR must be empty.\n\n"
               "  -r, --rules DIR    where a package given by name is looked for (default:\n"
               "                     $CERTEVAL_RULES, the installed folder, or the source tree's)\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "\n"
               "Exit status: 0 written, 2 bad usage, a package that does not load, DIR not\n"
               "empty or not writable.\n");
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
