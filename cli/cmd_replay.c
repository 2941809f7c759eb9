/*
 * cmd_replay.c - `certeval replay -a AUDIT [-p DIR]`: re-decides every
 * logged record with the packages stored in the audit store (never rules/)
 * and the installed plugins, and reports every record whose bytes differ.
 *
 * A plugin whose file hash differs from the one a decision logged is named.
 * The decision is then compared with that hash put back: identical otherwise
 * is a pass with a warning, any other difference a failure.
 */
#include "audit.h"
#include "cli.h"
#include "json_read.h"
#include "redecide.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct engine_slot {
    char id[CEV_SHA256_HEX];
    cev_engine eng;
    cev_worker worker;
} engine_slot;

typedef struct replay {
    const char *dir, *plugins;
    engine_slot **slots; /* each allocated alone: workers point at their engine */
    size_t nslots;
    cev_resession sessions;
    cev_buf out;
    long entries, identical, plugin_only, different;
    char warned[16][64]; /* plugins already named */
    size_t nwarned;
} replay;

static void help(FILE *f)
{
    fprintf(f, "usage: certeval replay -a AUDIT [-p DIR]\n\n"
               "Re-decides every logged record with the title packages stored in the audit\n"
               "store (never rules/) and the installed plugins, and reports every record\n"
               "whose decision bytes differ from the logged ones.  A plugin whose hash\n"
               "changed is named: a pass with a warning if the decision is otherwise\n"
               "identical, a failure if not.\n\n"
               "  -a, --audit AUDIT  the audit store\n" CLI_HELP_PLUGINS CLI_HELP_HELP "\n"
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
    if (rc == CEV_OK && cev_worker_init(&s->worker, &s->eng) != CEV_OK) {
        cev_engine_close(&s->eng);
        rc = cev_error_set(err, CEV_ENOMEM, "", "out of memory");
    }
    if (rc != CEV_OK) {
        free(s);
        return NULL;
    }
    snprintf(s->id, sizeof s->id, "%s", id);
    r->slots[r->nslots++] = s;
    return s;
}

/* Puts back, in `replayed`, the logged hash of every plugin whose installed
 * file hashes differently; names each such plugin once. */
static void restore_plugin_hashes(replay *r, const engine_slot *s, const char *logged,
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
            cJSON_IsString(name) ? cev_registry_find(&s->eng.reg, name->valuestring) : NULL;
        if (ref == NULL || !cJSON_IsString(sha) || strlen(sha->valuestring) != 64 ||
            strcmp(ref->sha256, sha->valuestring) == 0)
            continue;
        char *at = strstr(replayed, ref->sha256);
        if (at)
            memcpy(at, sha->valuestring, 64);
        size_t k = 0;
        while (k < r->nwarned && strcmp(r->warned[k], ref->name) != 0)
            k++;
        if (k == r->nwarned && k < 16) {
            snprintf(r->warned[r->nwarned++], 64, "%s", ref->name);
            printf("warning: plugin %s (%s) has sha256 %.16s…, decisions logged %.16s…\n",
                   ref->name, ref->file, ref->sha256, sha->valuestring);
        }
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
    printf("  logged:   …%.140s\n  replayed: …%.140s\n", logged + from, replayed + from);
}

static int on_entry(const cev_entry *e, void *ctx)
{
    replay *r = ctx;
    cev_error err;
    engine_slot *s = slot_for(r, e->catalog, &err);
    if (s == NULL) {
        cli_error("entry %ld: %s", e->seq, err.message);
        return CLI_CANNOT_START;
    }
    cev_buf_reset(&r->out);
    if (cev_redecide(&s->worker, cev_resession_for(&r->sessions, e), e, &r->out, &err) ==
        CEV_ENOMEM) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    r->out.data[--r->out.len] = '\0'; /* the '\n' */
    r->entries++;
    if (strcmp(r->out.data, e->output) == 0) {
        r->identical++;
        return 0;
    }
    restore_plugin_hashes(r, s, e->output, r->out.data);
    if (strcmp(r->out.data, e->output) == 0) {
        r->plugin_only++;
        return 0;
    }
    r->different++;
    printf("entry %ld (%s:%ld): the decision replays differently\n", e->seq, e->source, e->line);
    show_difference(e->output, r->out.data);
    return 0;
}

int cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char plugins[PATH_MAX];
    cli_default_plugins(plugins, sizeof plugins);
    replay r;
    memset(&r, 0, sizeof r);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': r.dir = optarg; break;
        case 'p': snprintf(plugins, sizeof plugins, "%s", optarg); break;
        case 'h': help(stdout); return CLI_OK;
        default: help(stderr); return CLI_CANNOT_START;
        }
    }
    if (r.dir == NULL || optind != argc) {
        help(stderr);
        return CLI_CANNOT_START;
    }
    r.plugins = plugins;
    cev_resession_init(&r.sessions);
    cev_buf_init(&r.out);
    cev_error err;
    int status = cev_audit_each(r.dir, on_entry, &r, &err);
    if (status < 0) { /* the log itself could not be read */
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    if (status == CLI_OK) {
        printf("replay: %ld entries: %ld identical, %ld identical but for plugin hashes, "
               "%ld different\n",
               r.entries, r.identical, r.plugin_only, r.different);
        if (r.different)
            status = CLI_PROBLEMS;
    }
    for (size_t i = 0; i < r.nslots; i++) {
        cev_worker_close(&r.slots[i]->worker);
        cev_engine_close(&r.slots[i]->eng);
        free(r.slots[i]);
    }
    free(r.slots);
    cev_resession_close(&r.sessions);
    cev_buf_close(&r.out);
    return status;
}
