/*
 * replay.c - `replay`: one engine per stored catalog (opened when its first
 * entry comes), every entry decided again and compared in log order.
 */
#include "certeval/certeval.h"

#include "audit/audit.h"
#include "audit/redecide.h"
#include "base/json.h"
#include "decide/parallel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct engine_slot {
    char catalog[CEV_SHA256_HEX];
    cev_engine eng;
    int index; /* in the workers' engines */
} engine_slot;

/* The producer (the caller's thread) opens engines and feeds entries; the
 * committer compares and owns the report and the plugins told. */
typedef struct replay {
    const char *dir, *plugins;
    const cev_replay_hooks *hooks;
    cev_redecide *rd;
    engine_slot **slots; /* each allocated alone: workers point at their engine */
    size_t nslots;
    const cev_engine *by_index[CEV_PAR_MAX_ENGINES];
    cev_replay_report *rep;
    char **told; /* plugins already told (each a malloc'd name) */
    size_t ntold;
    cev_error err; /* the producer's */
} replay;

/* The engine for a stored catalog, opened on first use. */
static engine_slot *slot_for(replay *r, const char *catalog, cev_error *err)
{
    for (size_t i = 0; i < r->nslots; i++)
        if (strcmp(r->slots[i]->catalog, catalog) == 0)
            return r->slots[i];
    engine_slot **grown = realloc(r->slots, (r->nslots + 1) * sizeof *grown);
    engine_slot *s = grown ? calloc(1, sizeof *s) : NULL;
    if (grown)
        r->slots = grown;
    if (s == NULL) {
        cev_error_nomem(err);
        return NULL;
    }
    char **dirs;
    size_t n;
    int rc = cev_audit_catalog_dirs(r->dir, catalog, &dirs, &n, err);
    if (rc == CEV_OK) {
        rc = cev_engine_open_dirs(&s->eng, r->plugins, dirs, n, 0, err);
        cev_file_list_free(dirs, n);
    }
    if (rc == CEV_OK && (s->index = cev_redecide_engine(r->rd, &s->eng)) < 0) {
        cev_engine_close(&s->eng);
        rc = cev_error_set(err, CEV_ENOMEM, "", "more than %d catalogs", CEV_PAR_MAX_ENGINES);
    }
    if (rc != CEV_OK) {
        free(s);
        return NULL;
    }
    r->by_index[s->index] = &s->eng;
    snprintf(s->catalog, sizeof s->catalog, "%s", catalog);
    r->slots[r->nslots++] = s;
    return s;
}

/* Where the provenance's "plugins" member starts: its last occurrence, for
 * no string after it can hold an unescaped quote. */
static const char *plugins_member(const char *record)
{
    const char *hit = NULL;
    for (const char *p = record; (p = strstr(p, "\"plugins\":[")) != NULL; p++)
        hit = p;
    return hit;
}

static int is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* 1 when a replayed record is the logged one but for the sha256 values in
 * provenance.plugins (the last member of a decision record), else 0. */
static int same_but_plugins(const char *logged, const char *now)
{
    /* the bytes before "plugins" the same; in it, only sha256 values differ */
    const char *a = plugins_member(logged), *b = plugins_member(now);
    if (a == NULL || b == NULL || a - logged != b - now || memcmp(logged, now, (size_t)(a - logged)))
        return 0;
    static const char sha[] = "\"sha256\":\"";
    const size_t n = sizeof sha - 1;
    while (*a && *a == *b) {
        if (strncmp(a, sha, n) == 0 && strncmp(b, sha, n) == 0 && is_hex64(a + n) &&
            is_hex64(b + n)) {
            a += n + 64;
            b += n + 64;
        } else {
            a++;
            b++;
        }
    }
    return *a == '\0' && *b == '\0';
}

/* Tells, once each, the plugins whose installed file hashes otherwise than
 * the logged record says.  CEV_OK or CEV_ENOMEM. */
static int tell_plugins(replay *r, const cev_engine *eng, const char *logged)
{
    cJSON *j = NULL;
    cev_error err;
    int rc = cev_json_parse(logged, strlen(logged), 32, &j, &err);
    if (rc != CEV_OK)
        return rc == CEV_ENOMEM ? rc : CEV_OK;
    const cJSON *plugins = cev_json_get(cev_json_get(j, "provenance"), "plugins");
    for (const cJSON *p = cJSON_IsArray(plugins) ? plugins->child : NULL; p; p = p->next) {
        const cJSON *name = cev_json_get(p, "name"), *sha = cev_json_get(p, "sha256");
        const cev_plugin_ref *ref =
            cJSON_IsString(name) ? cev_registry_find(&eng->reg, name->valuestring) : NULL;
        if (ref == NULL || !cJSON_IsString(sha) || strcmp(ref->sha256, sha->valuestring) == 0)
            continue;
        size_t k = 0;
        while (k < r->ntold && strcmp(r->told[k], ref->name) != 0)
            k++;
        if (k < r->ntold)
            continue;
        char **grown = realloc(r->told, (r->ntold + 1) * sizeof *grown);
        if (grown == NULL || (grown[r->ntold] = strdup(ref->name)) == NULL) {
            if (grown)
                r->told = grown;
            rc = CEV_ENOMEM;
            break;
        }
        r->told = grown;
        r->ntold++;
        if (r->hooks->plugin_changed)
            r->hooks->plugin_changed(r->hooks->ctx, ref->name, ref->file, ref->sha256,
                                     sha->valuestring);
    }
    cJSON_Delete(j);
    return rc;
}

/* The logged error message of an undecided entry (empty when unreadable). */
static void logged_message(const char *logged, char *out, size_t size)
{
    cJSON *j = NULL;
    cev_error err;
    out[0] = '\0';
    if (cev_json_parse(logged, strlen(logged), 32, &j, &err) != CEV_OK)
        return;
    const cJSON *msg = cev_json_get(cev_json_get(j, "error"), "message");
    if (cJSON_IsString(msg))
        snprintf(out, size, "%s", msg->valuestring);
    cJSON_Delete(j);
}

/* Committer: one entry compared. */
static int compare(void *ctx, cev_redecided *d)
{
    replay *r = ctx;
    cev_replay_report *rep = r->rep;
    const cev_replay_hooks *h = r->hooks;
    rep->entries++;
    int rc = CEV_OK;
    if (strcmp(d->now, d->logged) == 0) {
        rep->identical++;
    } else if (d->logged_undecided) { /* nothing was decided then */
        char why[CEV_MESSAGE_MAX];
        logged_message(d->logged, why, sizeof why);
        rep->undecided++;
        if (h->undecided)
            h->undecided(h->ctx, d, why);
    } else if ((rc = tell_plugins(r, r->by_index[d->engine], d->logged)) == CEV_OK) {
        if (same_but_plugins(d->logged, d->now)) {
            rep->plugin_only++;
        } else {
            rep->different++;
            if (h->different)
                h->different(h->ctx, d);
        }
    }
    if (h->progress)
        h->progress(h->ctx, rep->entries, rep->different);
    return rc;
}

/* Producer: one job per logged entry. */
static int on_entry(const cev_entry *e, void *ctx)
{
    replay *r = ctx;
    engine_slot *s = slot_for(r, e->catalog, &r->err);
    if (s == NULL) {
        char why[CEV_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", r->err.message);
        cev_error_set(&r->err, r->err.code, "", "entry %ld: %s", e->seq, why);
        return 1;
    }
    int rc = cev_redecide_feed(r->rd, e, s->index, &r->err);
    return rc == CEV_OK ? 0 : 1;
}

cev_code cev_replay(const char *dir, const char *plugins_dir, unsigned threads,
               const cev_replay_hooks *hooks, cev_replay_report *rep, cev_error *err)
{
    replay r;
    memset(&r, 0, sizeof r);
    memset(rep, 0, sizeof *rep);
    static const cev_replay_hooks none;
    r.dir = dir;
    r.plugins = plugins_dir;
    r.hooks = hooks ? hooks : &none;
    r.rep = rep;
    cev_error_clear(&r.err);
    int rc = cev_redecide_open(&r.rd, threads, compare, &r, err);
    if (rc != CEV_OK)
        return rc;
    int walked = cev_audit_each(dir, on_entry, &r, err);
    int finished = cev_redecide_finish(r.rd, &r.err);
    if (walked < 0) { /* the log itself could not be read: err says why */
        rc = walked;
    } else if (finished != CEV_OK || walked != 0) {
        /* a commit or the producer stopped the run, or a worker failed */
        *err = r.err;
        rc = err->code < 0 ? err->code : CEV_ENOMEM;
    }
    cev_redecide_close(r.rd); /* the workers gone, the engines may go */
    for (size_t i = 0; i < r.nslots; i++) {
        cev_engine_close(&r.slots[i]->eng);
        free(r.slots[i]);
    }
    free(r.slots);
    for (size_t i = 0; i < r.ntold; i++)
        free(r.told[i]);
    free(r.told);
    return rc;
}
