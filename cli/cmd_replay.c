/*
 * cmd_replay.c - `certeval replay -a AUDIT [-p DIR]`: re-decides every
 * logged record with the packages stored in the audit store (never rules/)
 * and the installed plugins, and reports every record whose bytes differ.
 *
 * A plugin whose file hash differs from the one a decision logged is named.
 * The decision is then compared with that hash put back: identical otherwise
 * is a pass with a warning, any other difference a failure.  An entry that
 * logged a line the machine could not decide (E_RULE "cannot decide this
 * record: ...") has no decision to reproduce: it is named, and passes.
 */
#include "audit/audit.h"
#include "base/file.h"
#include "base/json.h"
#include "cli.h"
#include "decide/parallel.h"
#include "logged.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct engine_slot {
    char id[CEV_SHA256_HEX];
    cev_engine eng;
    int index; /* in the workers' engines */
} engine_slot;

/* The producer (this thread) opens engines and feeds entries; the committer
 * compares in log order and owns the counters. */
typedef struct replay {
    const char *dir, *plugins;
    cev_par *par;
    engine_slot **slots; /* each allocated alone: workers point at their engine */
    size_t nslots;
    const cev_engine *by_index[CEV_PAR_MAX_ENGINES];
    cli_sessions feed;
    cli_redecided now; /* committer's */
    long entries, identical, plugin_only, different, undecided;
    cli_progress progress;
    char **warned; /* plugins already named (each a malloc'd name) */
    size_t nwarned;
} replay;

static void help(FILE *f)
{
    fprintf(f, "usage: certeval replay -a AUDIT [-p DIR] [-j N] [-q]\n\n"
               "Re-decides every logged record with the title packages stored in the audit\n"
               "store (never rules/) and the installed plugins, and reports every record\n"
               "whose decision bytes differ from the logged ones.  A plugin whose hash\n"
               "changed is named: a pass with a warning if the decision is otherwise\n"
               "identical, a failure if not.  An entry logged when the machine could not\n"
               "decide the line (\"cannot decide this record\") is named, and passes.\n\n"
               "  -a, --audit AUDIT  the audit store\n" CLI_HELP_PLUGINS
               "  -j, --jobs N       worker threads (default: the online CPUs)\n"
               "  -q, --quiet        no progress on stderr\n" CLI_HELP_HELP "\n"
               "Exit status: 0 every decision replayed identically, 1 some differ, 2 the\n"
               "store or a plugin could not be read.\n");
}

/* The engine for a stored catalog, opened on first use. */
static engine_slot *slot_for(replay *r, const char *id, cev_error *err)
{
    for (size_t i = 0; i < r->nslots; i++)
        if (strcmp(r->slots[i]->id, id) == 0)
            return r->slots[i];
    engine_slot **grown = realloc(r->slots, (r->nslots + 1) * sizeof *grown);
    engine_slot *s = grown ? calloc(1, sizeof *s) : NULL;
    if (grown)
        r->slots = grown;
    if (s == NULL) {
        cev_error_set(err, CEV_ENOMEM, "", "out of memory");
        return NULL;
    }
    char **dirs;
    size_t n;
    int rc = cev_audit_catalog_dirs(r->dir, id, &dirs, &n, err);
    if (rc == CEV_OK) {
        rc = cev_engine_open_dirs(&s->eng, r->plugins, dirs, n, 0, err);
        cev_file_list_free(dirs, n);
    }
    if (rc == CEV_OK && (s->index = cev_par_engine(r->par, &s->eng)) < 0) {
        cev_engine_close(&s->eng);
        rc = cev_error_set(err, CEV_ENOMEM, "", "more than %d catalogs", CEV_PAR_MAX_ENGINES);
    }
    if (rc != CEV_OK) {
        free(s);
        return NULL;
    }
    r->by_index[s->index] = &s->eng;
    snprintf(s->id, sizeof s->id, "%s", id);
    r->slots[r->nslots++] = s;
    return s;
}

/* Puts back, in `replayed`, the logged hash of every plugin whose installed
 * file hashes differently; names each such plugin once. */
static void restore_plugin_hashes(replay *r, const cev_engine *eng, const char *logged,
                                  char *replayed)
{
    cJSON *j = NULL;
    cev_error err;
    if (cev_json_parse(logged, strlen(logged), 32, &j, &err) != CEV_OK)
        return;
    const cJSON *plugins = cev_json_get(cev_json_get(j, "provenance"), "plugins");
    for (const cJSON *p = cJSON_IsArray(plugins) ? plugins->child : NULL; p; p = p->next) {
        const cJSON *name = cev_json_get(p, "name"), *sha = cev_json_get(p, "sha256");
        const cev_plugin_ref *ref =
            cJSON_IsString(name) ? cev_registry_find(&eng->reg, name->valuestring) : NULL;
        if (ref == NULL || !cJSON_IsString(sha) || strlen(sha->valuestring) != 64 ||
            strcmp(ref->sha256, sha->valuestring) == 0)
            continue;
        char *at = strstr(replayed, ref->sha256);
        if (at)
            memcpy(at, sha->valuestring, 64);
        size_t k = 0;
        while (k < r->nwarned && strcmp(r->warned[k], ref->name) != 0)
            k++;
        if (k < r->nwarned)
            continue;
        char **grown = realloc(r->warned, (r->nwarned + 1) * sizeof *grown);
        if (grown != NULL) { /* without memory, the warning is only repeated */
            r->warned = grown;
            if ((r->warned[r->nwarned] = strdup(ref->name)) != NULL)
                r->nwarned++;
        }
        printf("warning: plugin %s (%s) has sha256 %.16s…, decisions logged %.16s…\n",
               ref->name, ref->file, ref->sha256, sha->valuestring);
    }
    cJSON_Delete(j);
}

/* Shows where two records part. */
static void show_difference(const char *logged, const char *replayed)
{
    size_t i = 0;
    while (logged[i] && logged[i] == replayed[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    char a[141], b[141];
    printf("  logged:   …%s\n  replayed: …%s\n", cli_defanged(a, sizeof a, logged + from),
           cli_defanged(b, sizeof b, replayed + from));
}

/* Producer: one job per logged entry. */
static int on_entry(const cev_entry *e, void *ctx)
{
    replay *r = ctx;
    cev_error err;
    engine_slot *s = slot_for(r, e->catalog, &err);
    if (s == NULL) {
        cli_error("entry %ld: %s", e->seq, err.message);
        return CLI_CANNOT_START;
    }
    return cli_feed_entry(r->par, e, s->index, &r->feed);
}

/* Whether a logged record is the error record of a line the machine could
 * not decide (pipeline.h): 1 with its message in `why`, 0, or -1 when out of
 * memory. */
static int logged_undecided(const char *logged, char *why, size_t size)
{
    cJSON *j;
    cev_error err;
    int rc = cev_json_parse(logged, strlen(logged), 32, &j, &err);
    if (rc != CEV_OK)
        return rc == CEV_ENOMEM ? -1 : 0;
    const cJSON *e = cev_json_get(j, "error"), *code = cev_json_get(e, "code"),
                *msg = cev_json_get(e, "message");
    static const char prefix[] = "cannot decide this record: ";
    int failed = cJSON_IsString(code) && strcmp(code->valuestring, "E_RULE") == 0 &&
                 cJSON_IsString(msg) && strncmp(msg->valuestring, prefix, sizeof prefix - 1) == 0;
    if (failed)
        cli_defanged(why, size, msg->valuestring + sizeof prefix - 1);
    cJSON_Delete(j);
    return failed;
}

/* One entry: counted, and named when it does not replay identically.
 * 0, or CLI_CANNOT_START (said on stderr). */
static int compare_one(replay *r, cev_job *job)
{
    char *now = cli_redecided_record(&r->now, job);
    if (now == NULL)
        return CLI_CANNOT_START;
    const char *logged = job->expected.data;
    r->entries++;
    if (strcmp(now, logged) == 0) {
        r->identical++;
        return 0;
    }
    cli_progress_clear(&r->progress); /* what follows may print */
    restore_plugin_hashes(r, r->by_index[job->engine], logged, now);
    if (strcmp(now, logged) == 0) {
        r->plugin_only++;
        return 0;
    }
    char where[512], why[512];
    cli_defanged(where, sizeof where, job->where.data);
    int failed = logged_undecided(logged, why, sizeof why);
    if (failed < 0) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    if (failed) { /* nothing was decided then: nothing to reproduce */
        r->undecided++;
        printf("entry %ld (%s:%ld): not decided when logged (the machine failed: %s); it is "
               "decided now\n",
               job->seq, where, job->lineno, why);
        return 0;
    }
    r->different++;
    printf("entry %ld (%s:%ld): the decision replays differently\n", job->seq, where,
           job->lineno);
    show_difference(logged, now);
    return 0;
}

/* Committer: compares, in log order. */
static int compare(void *ctx, cev_job *job)
{
    replay *r = ctx;
    int rc = compare_one(r, job);
    cli_progress_step(&r->progress, r->entries, r->different);
    return rc;
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
    int quiet = 0;
    replay r;
    memset(&r, 0, sizeof r);
    unsigned threads = cev_par_online_cpus();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:p:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': r.dir = optarg; break;
        case 'q': quiet = 1; break;
        case 'p': snprintf(plugins, sizeof plugins, "%s", optarg); break;
        case 'j':
            if (cli_parse_jobs(optarg, &threads) != 0)
                return CLI_CANNOT_START;
            break;
        case 'h': help(stdout); return CLI_OK;
        default: help(stderr); return CLI_CANNOT_START;
        }
    }
    if (r.dir == NULL || optind != argc) {
        help(stderr);
        return CLI_CANNOT_START;
    }
    r.plugins = plugins;
    cli_progress_init(&r.progress, quiet, "entries", "different");
    cli_sessions_init(&r.feed);
    cli_redecided_init(&r.now);
    cev_error err;
    int status = cev_par_open(&r.par, threads, 8 * (size_t)threads + 8, compare, &r, &err);
    if (status != CEV_OK) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    } else {
        status = cev_audit_each(r.dir, on_entry, &r, &err);
        if (status < 0) { /* the log itself could not be read */
            cli_error("%s", err.message);
            status = CLI_CANNOT_START;
        }
        int rc = cev_par_finish(r.par);
        if (rc < 0) /* a worker thread could not run (a commit said its own) */
            cli_error("%s", cev_strerror(rc));
        if (status == CLI_OK && rc != 0)
            status = rc < 0 ? CLI_CANNOT_START : rc;
        cev_par_close(r.par);
    }
    cli_progress_end(&r.progress, r.entries, r.different);
    if (status == CLI_OK) {
        printf("replay: %ld entries: %ld identical, %ld identical but for plugin hashes, "
               "%ld different",
               r.entries, r.identical, r.plugin_only, r.different);
        if (r.undecided)
            printf(", %ld not decided when logged (the machine failed)", r.undecided);
        printf("\n");
        if (r.different)
            status = CLI_PROBLEMS;
    }
    for (size_t i = 0; i < r.nslots; i++) { /* after the workers are gone */
        cev_engine_close(&r.slots[i]->eng);
        free(r.slots[i]);
    }
    free(r.slots);
    for (size_t i = 0; i < r.nwarned; i++)
        free(r.warned[i]);
    free(r.warned);
    cli_sessions_close(&r.feed);
    cli_redecided_close(&r.now);
    return status;
}
