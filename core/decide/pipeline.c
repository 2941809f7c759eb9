#include "decide/pipeline.h"

#include "base/utf8.h"

#include "base/sha256.h"
#include "decide/score.h"
#include "decide/write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_rules(cev_engine *e, cev_error *err)
{
    for (size_t i = 0; i < e->cat.count; i++) {
        int rc = cev_rules_check(e->cat.pkgs[i], err);
        if (rc != CEV_OK)
            return rc;
    }
    return CEV_OK;
}

static int engine_open(cev_engine *e, const char *plugins_dir, const char *dir, int one,
                       int allow_draft, cev_error *err)
{
    memset(e, 0, sizeof *e);
    e->allow_draft = allow_draft;
    int rc = cev_registry_open(&e->reg, plugins_dir, err);
    if (rc != CEV_OK)
        return rc;
    rc = one ? cev_catalog_open_one(&e->cat, dir, &e->reg, err)
             : cev_catalog_open(&e->cat, dir, &e->reg, err);
    if (rc == CEV_OK)
        rc = check_rules(e, err);
    if (rc != CEV_OK)
        cev_engine_close(e);
    return rc;
}

cev_code cev_engine_open(cev_engine *e, const char *plugins_dir, const char *rules_dir,
                    int allow_draft, cev_error *err)
{
    return engine_open(e, plugins_dir, rules_dir, 0, allow_draft, err);
}

cev_code cev_engine_open_package(cev_engine *e, const char *plugins_dir, const char *package_dir,
                            int allow_draft, cev_error *err)
{
    return engine_open(e, plugins_dir, package_dir, 1, allow_draft, err);
}

cev_code cev_engine_open_dirs(cev_engine *e, const char *plugins_dir, char *const *dirs, size_t n,
                         int allow_draft, cev_error *err)
{
    memset(e, 0, sizeof *e);
    e->allow_draft = allow_draft;
    int rc = cev_registry_open(&e->reg, plugins_dir, err);
    for (size_t i = 0; i < n && rc == CEV_OK; i++) {
        cev_package *p;
        if ((rc = cev_package_load(dirs[i], &e->reg, &p, err)) == CEV_OK &&
            (rc = cev_catalog_add(&e->cat, p)) != CEV_OK) {
            cev_package_free(p);
            rc = cev_error_nomem(err);
        }
    }
    if (rc == CEV_OK && (rc = cev_catalog_check_overlaps(&e->cat, err)) == CEV_OK)
        rc = check_rules(e, err);
    if (rc != CEV_OK)
        cev_engine_close(e);
    return rc;
}

void cev_engine_close(cev_engine *e)
{
    cev_catalog_close(&e->cat); /* packages release plugin states... */
    cev_registry_close(&e->reg); /* ...before the plugins are unloaded */
}

cev_code cev_worker_init(cev_worker *w, const cev_engine *eng)
{
    memset(w, 0, sizeof *w);
    w->eng = eng;
    w->allow_draft = eng->allow_draft;
    cev_record_init(&w->rec);
    w->slots = calloc(eng->cat.count ? eng->cat.count : 1, sizeof *w->slots);
    w->numbers = calloc(1, sizeof *w->numbers);
    if (w->slots == NULL || w->numbers == NULL) {
        free(w->slots);
        free(w->numbers);
        w->slots = NULL;
        w->numbers = NULL;
        return CEV_ENOMEM;
    }
    return CEV_OK;
}

static void slot_close(cev_worker_slot *s, const cev_package *p)
{
    if (!s->ready)
        return;
    cev_rules_close(&s->rules);
    for (size_t i = 0; i < p->nassess; i++)
        cev_result_close(&s->results[i]);
    free(s->results);
    cev_decision_close(&s->decision);
    s->ready = 0;
}

void cev_worker_close(cev_worker *w)
{
    for (size_t i = 0; w->slots && i < w->eng->cat.count; i++)
        slot_close(&w->slots[i], w->eng->cat.pkgs[i]);
    free(w->slots);
    free(w->numbers);
    cev_record_close(&w->rec);
    memset(w, 0, sizeof *w);
}

static int slot_open(cev_worker_slot *s, const cev_package *p, int track_lines,
                     cev_error *err)
{
    if (s->ready)
        return CEV_OK;
    memset(s, 0, sizeof *s);
    int rc = cev_rules_open(&s->rules, p, track_lines, err);
    if (rc != CEV_OK)
        return rc;
    s->ready = 1; /* from here slot_close() undoes whatever succeeded */
    s->results = calloc(p->nassess ? p->nassess : 1, sizeof *s->results);
    if (s->results == NULL || cev_decision_init(&s->decision, p) != CEV_OK) {
        free(s->results);
        s->results = NULL;
        cev_rules_close(&s->rules);
        s->ready = 0;
        return cev_error_nomem(err);
    }
    for (size_t i = 0; i < p->nassess; i++) {
        if (cev_result_init(&s->results[i], p->assess[i].scope) != CEV_OK) {
            for (size_t k = 0; k < i; k++)
                cev_result_close(&s->results[k]);
            free(s->results);
            s->results = NULL;
            cev_decision_close(&s->decision);
            cev_rules_close(&s->rules);
            s->ready = 0;
            return cev_error_nomem(err);
        }
    }
    return CEV_OK;
}

static size_t package_index(const cev_engine *e, const cev_package *p)
{
    for (size_t i = 0; i < e->cat.count; i++)
        if (e->cat.pkgs[i] == p)
            return i;
    return 0;
}

static int decide(cev_worker *w, const char *line, size_t len, cev_buf *out, cev_error *err)
{
    const cev_engine *e = w->eng;
    cev_record *rec = &w->rec;
    const cev_package *p;
    int rc;
    w->pkg = NULL;
    if ((rc = cev_record_parse(rec, line, len, err)) ||
        (rc = cev_catalog_select(&e->cat, rec->title, rec->day, rec->acquired, rec->nacquired,
                                 rec->evidence, w->allow_draft, &p, err)) ||
        (rc = cev_record_check(rec, p, err)))
        return rc;
    w->pkg = p;
    cev_worker_slot *s = &w->slots[package_index(e, p)];
    char sha[CEV_SHA256_HEX];
    if ((rc = slot_open(s, p, e->track_lines, err)) || (rc = cev_score_record(p, rec, s->results, err)) ||
        (rc = cev_rules_decide(&s->rules, rec, s->results, &s->decision, err)))
        return rc;
    if (cev_sha256_hex(line, len, sha) != CEV_OK)
        return cev_error_nomem(err);
    if (cev_write_decision(out, rec, p, s->results, &s->decision, sha, w->numbers) != CEV_OK)
        return cev_error_nomem(err);
    return CEV_OK;
}

cev_code cev_worker_eval(cev_worker *w, const char *line, size_t len, long lineno, cev_buf *out,
                    cev_error *err)
{
    cev_error_clear(err);
    w->undecided = 0;
    int rc = decide(w, line, len, out, err);
    if (rc == CEV_OK)
        return CEV_OK;
    if (rc == CEV_ENOMEM || rc == CEV_EPACKAGE || rc == CEV_EIO) {
        w->undecided = 1;
        /* a resource failure, not the record's fault: still give the record
         * an error record so that nothing is silently lost */
        rc = cev_error_set(err, CEV_ERULE, err->path, "cannot decide this record: %s",
                           err->message);
    }
    /* a plugin's words may hold invalid UTF-8: the same '?' in the record
     * and on stderr (the record's writer would cut the message there) */
    cev_utf8_scrub(err->message);
    cev_utf8_scrub(err->path);
    if (cev_write_error(out, w->rec.candidate, lineno, err) != CEV_OK)
        return CEV_ENOMEM;
    return rc;
}

cev_code cev_engine_load(cev_engine **out, const char *plugins_dir, const char *rules_dir,
                    int allow_draft, cev_error *err)
{
    *out = NULL;
    cev_engine *e = malloc(sizeof *e);
    if (e == NULL)
        return cev_error_nomem(err);
    int rc = cev_engine_open(e, plugins_dir, rules_dir, allow_draft, err);
    if (rc != CEV_OK) {
        free(e);
        return rc;
    }
    *out = e;
    return CEV_OK;
}

void cev_engine_unload(cev_engine *e)
{
    if (e == NULL)
        return;
    cev_engine_close(e);
    free(e);
}
