/*
 * cmd_verify.c - `certeval verify -a AUDIT [--seal SEQ:HASH] [--repair]`:
 * checks the audit store's chain, head and objects, and names the first bad
 * entry; prints the store's seal (its head) when it holds.
 */
#include "certeval/certeval.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval verify -a AUDIT [--seal SEQ:HASH] [--repair] [-q]\n\n"
               "Checks the audit store: every entry's hash, the chain of entries (none\n"
               "edited, deleted, inserted, duplicated or reordered), the head, and the title\n"
               "packages and catalogs the entries rely on.  Names the first bad entry.\n"
               "When the store holds, prints its seal, \"seal SEQ:HASH\" (the entry its head\n"
               "records): keep it outside the store, and check it later with --seal.\n\n"
               "  -a, --audit AUDIT     the audit store\n"
               "      --seal SEQ:HASH   check that entry SEQ is still in the chain, with HASH\n"
               "      --repair          cut a torn last line (an interrupted write), and only\n"
               "                        that; give a whole last entry back its newline; record\n"
               "                        in the head the entries a crash left past it\n"
               "  -q, --quiet           no progress on stderr\n" CLI_HELP_HELP "\n"
               "Exit status: 0 the store holds, 1 a problem was found, 2 bad usage.\n");
}

static void on_entries(void *ctx, long entries)
{
    cli_progress_step(ctx, entries, 0);
}

int cmd_verify(int argc, char **argv)
{
    enum { OPT_REPAIR = 1000, OPT_SEAL };
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"repair", no_argument, NULL, OPT_REPAIR},
                                         {"seal", required_argument, NULL, OPT_SEAL},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *seal = NULL;
    int repair = 0, quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:qh"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'q': quiet = 1; break;
        case OPT_REPAIR: repair = 1; break;
        case OPT_SEAL: seal = optarg; break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (dir == NULL)
        return cli_usage(argv, "missing -a AUDIT");
    if (optind != argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind]);
    long seal_seq;
    char seal_hash[65];
    if (seal && cev_audit_parse_seal(seal, &seal_seq, seal_hash) != CEV_OK) {
        cli_error("--seal takes SEQ:HASH, an entry number and its 64 lowercase hex digits, as "
                  "verify printed it, not '%s'",
                  seal);
        return CLI_CANNOT_START;
    }
    cev_audit_report rep;
    cev_error err;
    cev_audit_extent x; /* only to say why --repair would seem to hang */
    if (repair && cev_audit_measure(dir, &x, &err) == CEV_OK && x.appending)
        fprintf(stderr, "certeval: audit store %s: a run is appending; --repair waits for it to "
                        "finish\n",
                dir);
    cli_progress progress;
    cli_progress_init(&progress, quiet, "entries", NULL);
    int rc = cev_audit_check(dir, repair ? CEV_CHECK_REPAIR : 0, seal, on_entries, &progress,
                             &rep, &err);
    cli_progress_end(&progress, rep.entries, 0);
    if (rc != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    if (rep.cut)
        printf("%s: repaired: cut a torn last line of %zu bytes\n", dir, rep.cut);
    if (rep.newline)
        printf("%s: repaired: the last entry lacked only its final newline; restored\n", dir);
    if (rep.head_set)
        printf("%s: repaired: the head now records entry %ld, the last of the log (entries a "
               "run wrote but had not recorded when it stopped; if no run stopped so, compare "
               "with the last seal printed)\n",
               dir, rep.head_set);
    if (rep.warning[0])
        printf("%s: note: %s\n", dir, rep.warning);
    if (rep.problem[0]) {
        printf("%s: FAILED after %ld good entries: %s\n", dir, rep.entries, rep.problem);
        return CLI_PROBLEMS;
    }
    printf("%s: ok, %ld entries, %ld catalogs and their packages%s\n", dir, rep.entries,
           rep.catalogs,
           rep.appending ? " (a run is appending: the entries complete when verify started)"
                         : "");
    if (seal)
        printf("%s: the sealed entry %s is in the chain, unchanged\n", dir, seal);
    if (rep.seal_seq > 0)
        printf("seal %ld:%s\n", rep.seal_seq, rep.seal_hash);
    return CLI_OK;
}
