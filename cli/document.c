/* document.c - the options of the document commands; writing a session's
 * document, or why there is none. */
#include "document.h"

#include "cli.h"
#include "inputs.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_document_options(int argc, char **argv, void (*help)(FILE *),
                         const cli_document_option *own, int operands, cli_document *d)
{
    struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                            {"session", required_argument, NULL, 's'},
                            {"output", required_argument, NULL, 'o'},
                            {"help", no_argument, NULL, 'h'},
                            {NULL, 0, NULL, 0}, /* own's */
                            {NULL, 0, NULL, 0}};
    char letters[16];
    snprintf(letters, sizeof letters, ":a:s:o:h%s", own ? own->letters : "");
    if (own)
        opts[4] = own->opt;
    d->audit = d->folder = d->output = NULL;
    int c, status;
    opterr = 0; /* as CLI_OPTSTRING: cli_bad_option() speaks */
    optind = 1;
    while ((c = getopt_long(argc, argv, letters, opts, NULL)) != -1) {
        switch (c) {
        case 'a': d->audit = optarg; break;
        case 's': d->folder = optarg; break;
        case 'o': d->output = optarg; break;
        case 'h': help(stdout); return CLI_OK;
        default:
            if (own == NULL || c != own->opt.val)
                return cli_bad_option(argv, c);
            if ((status = own->take(argv, optarg, own->ctx)) != 0)
                return status;
        }
    }
    if (d->audit == NULL)
        return cli_usage(argv, "il manque -a AUDIT, le registre d'audit");
    if (d->folder == NULL)
        return cli_usage(argv, "il manque -s DIR, le dossier de session");
    if (!operands && optind != argc)
        return cli_usage(argv, "argument inattendu « %s »", argv[optind]);
    cev_buf_init(&d->doc);
    cev_errlist_init(&d->problems);
    return -1;
}

/* Writes the document to `output` (NULL or "-": stdout), refusing a file
 * inside the audit store `audit_dir` or a .csv file of the session folder
 * `folder`.  CLI_OK, or CLI_CANNOT_START (said). */
static int write_document(const cev_buf *doc, const char *output, const char *audit_dir,
                          const char *folder)
{
    int to_stdout = output == NULL || strcmp(output, "-") == 0;
    cli_file_id out;
    if (to_stdout)
        cli_file_id_fd(&out, "stdout", STDOUT_FILENO);
    else
        cli_file_id_path(&out, output);
    if (cli_in_store(&out, to_stdout ? NULL : output, audit_dir, 1) ||
        cli_folder_file(&out, folder))
        return CLI_CANNOT_START;
    FILE *f = to_stdout ? stdout : fopen(output, "wb");
    if (f == NULL) {
        cli_error("%s : impossible de créer le fichier (%s)", output, cev_strerror_fr(errno));
        return CLI_CANNOT_START;
    }
    size_t len = doc->data ? doc->len : 0;
    int bad = fwrite(doc->data ? doc->data : "", 1, len, f) != len;
    bad |= to_stdout ? fflush(f) != 0 : fclose(f) != 0;
    if (bad) {
        cli_error("%s : écriture impossible (%s)", to_stdout ? "la sortie standard" : output,
                  cev_strerror_fr(errno));
        if (!to_stdout)
            remove(output);
        return CLI_CANNOT_START;
    }
    return CLI_OK;
}

/* Says why a document could not be made; the exit status. */
static int document_failed(cev_code rc, const cev_errlist *problems, const cev_error *err)
{
    if (rc == CEV_PROBLEMS && cev_errlist_count(problems)) {
        for (size_t i = 0; i < problems->n; i++)
            cli_error("%s: %s", problems->items[i].path, problems->items[i].message);
        if (problems->dropped)
            cli_error("... et %zu %s non affiché%s", problems->dropped,
                      cli_plural((long)problems->dropped, "autre problème", "autres problèmes"),
                      problems->dropped > 1 ? "s" : "");
        return CLI_PROBLEMS;
    }
    cli_error("%s", rc == CEV_ENOMEM ? "mémoire insuffisante (out of memory)" : err->message);
    return rc == CEV_PROBLEMS ? CLI_PROBLEMS : CLI_CANNOT_START;
}

int cli_document_done(cli_document *d, cev_code rc)
{
    int status = rc == CEV_OK ? write_document(&d->doc, d->output, d->audit, d->folder)
                              : document_failed(rc, &d->problems, &d->err);
    cev_errlist_close(&d->problems);
    cev_buf_close(&d->doc);
    return status;
}
