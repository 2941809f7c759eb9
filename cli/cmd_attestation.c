/*
 * cmd_attestation.c - `certeval attestation -a AUDIT -s DIR [-o OUT]
 * [CANDIDATE...]`: each candidate's result document (relevé de décision,
 * attestation des blocs acquis), one A4 page each in one HTML file, from
 * the decisions of the audit store (the core's cev_print_attestations).
 */
#include "certeval/certeval.h"
#include "cli.h"
#include "document.h"

#include <getopt.h>
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval attestation -a AUDIT -s DIR [-o OUT] [CANDIDATE...]\n\n"
            "Writes the result document of each CANDIDATE (by default every candidate of\n"
            "the folder's candidats.csv) of the session of folder DIR, in French, one A4\n"
            "page each in one self-contained HTML file: the title decision, each block\n"
            "acquired with its date and how, until when it stays usable when the title\n"
            "says so, the blocks still to acquire and the reasons.  The chain of the\n"
            "audit store is checked first.\n\n"
            "  -a, --audit AUDIT   the audit store\n"
            "  -s, --session DIR   the session folder\n"
            "  -o, --output OUT    write to OUT instead of stdout\n" CLI_HELP_HELP "\n"
            "Exit status: 0 written, 1 the store does not hold (the entry named), has no\n"
            "entry of the session, a CANDIDATE is unknown, or the folder has problems, 2 bad\n"
            "usage or an unreadable folder or store.\n");
}

int cmd_attestation(int argc, char **argv)
{
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"session", required_argument, NULL, 's'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *audit = NULL, *folder = NULL, *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:s:o:h"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': audit = optarg; break;
        case 's': folder = optarg; break;
        case 'o': output = optarg; break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (audit == NULL)
        return cli_usage(argv, "missing -a AUDIT");
    if (folder == NULL)
        return cli_usage(argv, "missing -s DIR, the session folder");
    cev_buf doc;
    cev_buf_init(&doc);
    cev_errlist problems;
    cev_errlist_init(&problems);
    cev_error err;
    cev_code rc = cev_print_attestations(&doc, audit, folder, (const char *const *)argv + optind,
                                         (size_t)(argc - optind), &problems, &err);
    int status = rc == CEV_OK ? cli_write_document(&doc, output, audit)
                              : cli_document_failed(rc, &problems, &err);
    cev_errlist_close(&problems);
    cev_buf_close(&doc);
    return status;
}
