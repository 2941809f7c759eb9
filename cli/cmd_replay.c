/*
 * cmd_replay.c - `certeval replay -a AUDIT [-p DIR]`: prints what the core's
 * replay (audit/replay.h) tells: plugins whose hash changed, entries logged
 * undecided, decisions that replay differently, and the counts.
 */
#include "certeval/certeval.h"
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval replay -a AUDIT [-p DIR] [-j N] [-q]\n\n"
               "Re-decides every logged record with the title packages stored in the audit\n"
               "store (never rules/) and the installed plugins, and reports every record\n"
               "whose decision bytes differ from the logged ones.  A plugin whose hash\n"
               "changed is named: a pass with a warning if the decision is otherwise\n"
               "identical, a failure if not.  An entry logged when the machine could not\n"
               "decide the line is named, and passes.\n\n"
               "  -a, --audit AUDIT  the audit store\n" CLI_HELP_PLUGINS
               "  -j, --jobs N       worker threads (default: the online CPUs)\n"
               "  -q, --quiet        no progress on stderr\n" CLI_HELP_HELP "\n"
               "Exit status: 0 every decision replayed identically, 1 some differ, 2 the\n"
               "store or a plugin could not be read.\n");
}

typedef struct replay_view {
    cli_progress progress;
} replay_view;

static void plugin_changed(void *ctx, const char *name, const char *file, const char *installed,
                           const char *logged)
{
    replay_view *v = ctx;
    cli_progress_clear(&v->progress);
    printf("warning: plugin %s (%s) has sha256 %.16s…, decisions logged %.16s…\n", name, file,
           installed, logged);
}

static void undecided(void *ctx, const cev_redecided *d, const char *message)
{
    replay_view *v = ctx;
    char where[512], why[512];
    cli_progress_clear(&v->progress);
    printf("entry %ld (%s:%ld): not decided when logged (%s); it is decided now\n",
           d->seq, cli_defanged(where, sizeof where, d->source), d->line,
           cli_defanged(why, sizeof why, message));
}

/* Shows where two records part. */
static void different(void *ctx, const cev_redecided *d)
{
    replay_view *v = ctx;
    char where[512], a[141], b[141];
    cli_progress_clear(&v->progress);
    printf("entry %ld (%s:%ld): the decision replays differently\n", d->seq,
           cli_defanged(where, sizeof where, d->source), d->line);
    size_t i = 0;
    while (d->logged[i] && d->logged[i] == d->now[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    printf("  logged:   …%s\n  replayed: …%s\n", cli_defanged(a, sizeof a, d->logged + from),
           cli_defanged(b, sizeof b, d->now + from));
}

static void progress(void *ctx, long entries, long differ)
{
    replay_view *v = ctx;
    cli_progress_step(&v->progress, entries, differ);
}

int cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"jobs", required_argument, NULL, 'j'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char plugins[PATH_MAX];
    cli_default_plugins(plugins, sizeof plugins);
    const char *dir = NULL;
    int quiet = 0, plugins_given = 0;
    unsigned threads = cev_online_cpus();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:p:j:qh"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'q': quiet = 1; break;
        case 'p':
            if (cli_add_plugins(plugins, sizeof plugins, &plugins_given, optarg) != 0)
                return CLI_CANNOT_START;
            break;
        case 'j':
            if (cli_parse_jobs(optarg, &threads) != 0)
                return CLI_CANNOT_START;
            break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (dir == NULL)
        return cli_usage(argv, "missing -a AUDIT");
    if (optind != argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind]);
    replay_view v;
    cli_progress_init(&v.progress, quiet, "entries", "different");
    const cev_replay_hooks hooks = {&v, plugin_changed, undecided, different, progress};
    cev_replay_report r;
    cev_error err;
    int rc = cev_replay(dir, plugins, threads, &hooks, &r, &err);
    cli_progress_end(&v.progress, r.entries, r.different);
    if (rc != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    printf("replay: %ld %s: %ld identical, %ld identical but for plugin hashes, "
           "%ld different",
           r.entries, cli_plural(r.entries, "entry", "entries"), r.identical, r.plugin_only,
           r.different);
    if (r.undecided)
        printf(", %ld not decided when logged (the machine failed)", r.undecided);
    printf("\n");
    return r.different ? CLI_PROBLEMS : CLI_OK;
}
