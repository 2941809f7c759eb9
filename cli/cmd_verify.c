/*
 * cmd_verify.c - `certeval verify -a AUDIT [--seal SEQ:HASH] [--repair]`:
 * checks the audit store's chain, head and objects, and names the first bad
 * entry; prints the store's seal (its head) when it holds.
 */
#include "certeval/certeval.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval verify -a AUDIT [--seal SEQ:HASH] [--repair] [-q] [--json]\n\n"
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
               "  -q, --quiet           no progress on stderr\n"
               "      --json            one JSON document instead of text\n" CLI_HELP_HELP "\n"
               "Exit status: 0 the store holds, 1 a problem was found, 2 bad usage.\n");
}

/* With --json: the report as one document on stdout.  0, or -1 when
 * memory ran out (said). */
static int print_json(const char *dir, const char *seal, const cev_audit_report *rep)
{
    cev_buf b;
    cev_buf_init(&b);
    cev_jw w;
    cev_jw_init(&w, &b);
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "store");
    cev_jw_string(&w, dir);
    cev_jw_key_lit(&w, "holds");
    cev_jw_bool(&w, rep->problem[0] == '\0');
    cev_jw_key_lit(&w, "entries");
    cev_jw_integer(&w, rep->entries);
    cev_jw_key_lit(&w, "catalogs");
    cev_jw_integer(&w, rep->catalogs);
    cev_jw_key_lit(&w, "appending");
    cev_jw_bool(&w, rep->appending);
    cev_jw_key_lit(&w, "problem");
    cev_jw_string(&w, rep->problem[0] ? rep->problem : NULL);
    cev_jw_key_lit(&w, "bad_seq");
    if (rep->problem[0] && rep->bad_seq > 0)
        cev_jw_integer(&w, rep->bad_seq);
    else
        cev_jw_null(&w);
    cev_jw_key_lit(&w, "bad_line");
    if (rep->problem[0] && rep->bad_line > 0)
        cev_jw_integer(&w, rep->bad_line);
    else
        cev_jw_null(&w);
    cev_jw_key_lit(&w, "note");
    cev_jw_string(&w, rep->warning[0] ? rep->warning : NULL);
    cev_jw_key_lit(&w, "repaired");
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "cut_bytes");
    cev_jw_integer(&w, (long long)rep->cut);
    cev_jw_key_lit(&w, "newline");
    cev_jw_bool(&w, rep->newline != 0);
    cev_jw_key_lit(&w, "head_set");
    if (rep->head_set)
        cev_jw_integer(&w, rep->head_set);
    else
        cev_jw_null(&w);
    cev_jw_end_object(&w);
    cev_jw_key_lit(&w, "sealed");
    cev_jw_string(&w, seal && rep->problem[0] == '\0' ? seal : NULL);
    cev_jw_key_lit(&w, "seal");
    if (rep->problem[0] == '\0' && rep->seal_seq > 0) {
        char text[96];
        snprintf(text, sizeof text, "%ld:%s", rep->seal_seq, rep->seal_hash);
        cev_jw_string(&w, text);
    } else {
        cev_jw_null(&w);
    }
    cev_jw_end_object(&w);
    if (cev_jw_status(&w) != CEV_OK || cev_buf_putc(&b, '\n') != CEV_OK) {
        cev_buf_close(&b);
        cli_error("out of memory");
        return -1;
    }
    fwrite(b.data, 1, b.len, stdout);
    cev_buf_close(&b);
    return 0;
}

static void on_entries(void *ctx, long entries)
{
    cli_progress_step(ctx, entries, 0);
}

int cmd_verify(int argc, char **argv)
{
    enum { OPT_REPAIR = 1000, OPT_SEAL, OPT_JSON };
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"repair", no_argument, NULL, OPT_REPAIR},
                                         {"seal", required_argument, NULL, OPT_SEAL},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *seal = NULL;
    int repair = 0, quiet = 0, json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:qh"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'q': quiet = 1; break;
        case OPT_REPAIR: repair = 1; break;
        case OPT_SEAL: seal = optarg; break;
        case OPT_JSON: json = 1; break;
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
    if (json) {
        if (print_json(dir, seal, &rep) != 0)
            return CLI_CANNOT_START;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("stdout: %s", strerror(errno));
            return CLI_CANNOT_START;
        }
        return rep.problem[0] ? CLI_PROBLEMS : CLI_OK;
    }
    if (rep.cut)
        printf("%s: repaired: cut a torn last line of %zu %s\n", dir, rep.cut,
               cli_plural((long)rep.cut, "byte", "bytes"));
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
        printf("%s: FAILED after %ld good %s: %s\n", dir, rep.entries,
               cli_plural(rep.entries, "entry", "entries"), rep.problem);
        return CLI_PROBLEMS;
    }
    printf("%s: ok, %ld %s, %ld %s%s\n", dir, rep.entries,
           cli_plural(rep.entries, "entry", "entries"), rep.catalogs,
           cli_plural(rep.catalogs, "catalog and its packages", "catalogs and their packages"),
           rep.appending ? " (a run is appending: the entries complete when verify started)"
                         : "");
    if (seal)
        printf("%s: the sealed entry %s is in the chain, unchanged\n", dir, seal);
    if (rep.seal_seq > 0)
        printf("seal %ld:%s\n", rep.seal_seq, rep.seal_hash);
    return CLI_OK;
}
