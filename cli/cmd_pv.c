/*
 * cmd_pv.c - `certeval pv -a AUDIT -s DIR [-o OUT]`: the procès-verbal of
 * the session of folder DIR, as one HTML file for A4 printing, from the
 * decisions of the audit store (the core's cev_print_pv).
 */
#include "certeval/certeval.h"
#include "cli.h"
#include "document.h"

#include <getopt.h>
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval pv -a AUDIT -s DIR [-o OUT]\n\n"
            "Writes the procès-verbal of the session of folder DIR (its session.csv,\n"
            "candidats.csv and jury.csv) from the decisions of the audit store, in French,\n"
            "as one self-contained HTML file laid out for A4 printing: the title, the\n"
            "session, the jury, every candidate's decisions in the order of candidats.csv,\n"
            "the jury's deliberations, the records to correct, statistics, the seal of the\n"
            "audit log and the signature block.  The chain of the store is checked first.\n\n"
            "  -a, --audit AUDIT   the audit store\n"
            "  -s, --session DIR   the session folder\n"
            "  -o, --output OUT    write to OUT instead of stdout\n" CLI_HELP_HELP "\n"
            "Exit status: 0 written, 1 the store does not hold (the entry named), has no\n"
            "entry of the session, or the folder has problems, 2 bad usage or an unreadable\n"
            "folder or store.\n");
}

int cmd_pv(int argc, char **argv)
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
    if (optind != argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind]);
    cev_buf doc;
    cev_buf_init(&doc);
    cev_errlist problems;
    cev_errlist_init(&problems);
    cev_error err;
    cev_code rc = cev_print_pv(&doc, audit, folder, &problems, &err);
    int status = rc == CEV_OK ? cli_write_document(&doc, output, audit)
                              : cli_document_failed(rc, &problems, &err);
    cev_errlist_close(&problems);
    cev_buf_close(&doc);
    return status;
}
