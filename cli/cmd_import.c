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
    fprintf(f, "usage: certeval import [-o OUT] [-r DIR] [-p DIR] DIR\n\n"
               "Reads the session folder DIR (made by 'certeval template', filled in a\n"
               "spreadsheet) and writes its candidate records, one JSON line per row of\n"
               "candidats.csv, in that order, for 'certeval eval'.  Names stay in the\n"
               "folder: the records carry identifiers only.  Every problem is told as\n"
               "file:row:column: message (in French), and nothing is written when there is\n"
               "one.\n\n"
               "  -o, --output OUT   write the records to OUT instead of stdout\n"
               "  -r, --rules DIR    the title packages (default: $CERTEVAL_RULES, the\n"
               "                     installed folder, or the source tree's)\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "\n"
               "Exit status: 0 written, 1 problems in the folder (nothing written), 2 bad\n"
               "usage, an unreadable folder, packages that do not load.\n");
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
