/*
 * cmd_import.c - `certeval import [-o OUT] [-r DIR] [-p DIR] DIR`: a
 * session folder read back into candidate records (the core's cev_import).
 * Every problem is printed as "file:row:column: message" (French); when
 * there is one, nothing is written.
 */
#include "cli.h"
#include "inputs.h"
#include "certeval/certeval.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f, "usage : certeval import [-o SORTIE] [-r DOSSIER] [-p DOSSIER] DOSSIER\n\n"
               "Lit le dossier de session DOSSIER (créé par « certeval template », rempli\n"
               "dans un tableur) et écrit les enregistrements des candidats, une ligne JSON\n"
               "par ligne de candidats.csv, dans cet ordre, pour « certeval eval ».  Les noms\n"
               "restent dans le dossier : les enregistrements ne portent que des\n"
               "identifiants.  Chaque problème est signalé sous la forme\n"
               "fichier:ligne:colonne: message, et rien n'est écrit s'il y en a un.\n\n"
               "  -o, --output SORTIE   écrire dans SORTIE au lieu de la sortie standard\n"
               "  -r, --rules DOSSIER   les référentiels (par défaut : $CERTEVAL_RULES, le\n"
               "                        dossier installé, ou celui des sources)\n"
               CLI_HELP_PLUGINS_FR CLI_HELP_HELP_FR "\n"
               "Code de sortie : 0 écrit, 1 problèmes dans le dossier (rien n'est écrit),\n"
               "2 mauvais usage, dossier illisible, référentiels ou modules qui ne se\n"
               "chargent pas.\n");
}

/* Writes the records to `output` (NULL: stdout), never over a .csv file
 * of the session folder `dir` (it was just read: what it held would be
 * lost). */
static int write_out(const char *output, const char *dir, const cev_buf *b)
{
    cli_file_id id;
    if (output)
        cli_file_id_path(&id, output);
    else
        cli_file_id_fd(&id, "stdout", STDOUT_FILENO);
    if (cli_folder_file(&id, dir))
        return CLI_CANNOT_START;
    FILE *f = output ? fopen(output, "wb") : stdout;
    if (f == NULL) {
        cli_error("%s : impossible de créer le fichier (%s)", output, cev_strerror_fr(errno));
        return CLI_CANNOT_START;
    }
    size_t w = fwrite(b->data, 1, b->len, f);
    int bad = w != b->len || fflush(f) != 0 || ferror(f);
    if (output && fclose(f) != 0)
        bad = 1;
    if (bad) {
        cli_error("%s : écriture impossible (%s)", output ? output : "la sortie standard",
                  cev_strerror_fr(errno));
        if (output)
            remove(output); /* no records at all rather than some: they would look whole */
        return CLI_CANNOT_START;
    }
    return CLI_OK;
}

int cmd_import(int argc, char **argv)
{
    char rules[PATH_MAX], plugins[PATH_MAX];
    const char *output = NULL;
    int status = cli_folder_options(argc, argv, help, rules, sizeof rules, plugins,
                                    sizeof plugins, &output);
    if (status >= 0)
        return status;
    if (argc - optind == 0)
        return cli_usage(argv, "il manque DIR, le dossier de session");
    if (argc - optind > 1)
        return cli_usage(argv, "argument inattendu « %s »", argv[optind + 1]);
    const char *dir = argv[optind];
    struct stat st;
    int found = stat(rules, &st) == 0;
    if (!found || !S_ISDIR(st.st_mode)) {
        const char *why = found ? "ce n'est pas un dossier" : cev_strerror_fr(errno);
        cli_error("%s : dossier des référentiels illisible (%s)", rules, why);
        return CLI_CANNOT_START;
    }
    cev_error err;
    cev_engine *eng;
    cev_code loaded = cev_engine_load(&eng, plugins, rules, 0, &err);
    if (loaded == CEV_ENOMEM) {
        cli_error("mémoire insuffisante (out of memory)");
        return CLI_CANNOT_START;
    }
    if (loaded != CEV_OK) { /* the engine's words as the detail */
        cli_error("les référentiels du dossier %s (ou les greffons) ne se chargent pas : "
                  "aucune fiche écrite ; prévenir le certificateur, ou indiquer un autre "
                  "dossier avec -r DOSSIER (-p DOSSIER pour les greffons). Détail : %s",
                  rules, err.message);
        return CLI_CANNOT_START;
    }
    cev_buf out;
    cev_buf_init(&out);
    cev_errlist problems;
    cev_errlist_init(&problems);
    size_t records = 0;
    cev_code rc = cev_import(eng, dir, &out, &records, &problems, &err);
    cev_engine_unload(eng);
    if (rc == CEV_PROBLEMS) {
        for (size_t i = 0; i < problems.n; i++) {
            char path[CEV_PATH_MAX], msg[CEV_MESSAGE_MAX];
            fprintf(stderr, "%s: %s\n", cli_defanged(path, sizeof path, problems.items[i].path),
                    cli_defanged(msg, sizeof msg, problems.items[i].message));
        }
        if (problems.dropped)
            fprintf(stderr, "... et %zu %s\n", problems.dropped,
                    cli_plural((long)problems.dropped, "autre problème", "autres problèmes"));
        fprintf(stderr, "certeval: %zu problème%s dans %s : aucune fiche écrite\n",
                cev_errlist_count(&problems), cev_errlist_count(&problems) > 1 ? "s" : "", dir);
        status = CLI_PROBLEMS;
    } else if (rc != CEV_OK) {
        cli_error("%s", rc == CEV_ENOMEM ? "mémoire insuffisante (out of memory)" : err.message);
        status = CLI_CANNOT_START;
    } else {
        status = write_out(output, dir, &out);
    }
    cev_errlist_close(&problems);
    cev_buf_close(&out);
    return status;
}
