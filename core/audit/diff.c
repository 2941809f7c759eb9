/*
 * diff.c - logged decisions against the decisions of other rules.
 */
#include "certeval/certeval.h"

#include "audit/audit.h"
#include "audit/redecide.h"
#include "base/json.h"
#include "decide/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record's decisions: the title's, and each block's by code (strings of
 * `json`; as many blocks as the record has). */
typedef struct outcome {
    cJSON *json;
    char title[64];
    size_t nblocks;
    const char **code;
    const char **decision;
} outcome;

typedef struct differ {
    const cev_diff_hooks *hooks;
    cev_diff_report *rep;
    const cev_catalog *cat; /* the other rules */
    cev_buf code;           /* scratch: a title code */
    cev_redecide *rd;
    cev_diff_change *changes; /* scratch, one record's */
    size_t cap;
    cev_error err; /* the producer's */
} differ;

/* CEV_OK or CEV_ENOMEM; an unreadable record reads as "unreadable". */
static int outcome_read(outcome *o, const char *record)
{
    memset(o, 0, sizeof *o);
    cev_error err;
    int rc = cev_json_parse(record, strlen(record), 32, &o->json, &err);
    if (rc == CEV_ENOMEM)
        return rc;
    if (rc != CEV_OK) {
        snprintf(o->title, sizeof o->title, "unreadable");
        return CEV_OK;
    }
    const cJSON *e = cev_json_get(o->json, "error"), *d = cev_json_get(o->json, "decision");
    if (e) {
        const cJSON *c = cev_json_get(e, "code");
        snprintf(o->title, sizeof o->title, "error:%s", cJSON_IsString(c) ? c->valuestring : "?");
        return CEV_OK;
    }
    snprintf(o->title, sizeof o->title, "%s", cJSON_IsString(d) ? d->valuestring : "?");
    const cJSON *blocks = cev_json_get(o->json, "blocks");
    size_t n = cJSON_IsArray(blocks) ? (size_t)cJSON_GetArraySize(blocks) : 0;
    if (n == 0)
        return CEV_OK;
    if (!(o->code = malloc(n * sizeof *o->code)) ||
        !(o->decision = malloc(n * sizeof *o->decision)))
        return CEV_ENOMEM;
    for (const cJSON *b = blocks->child; b; b = b->next) {
        const cJSON *c = cev_json_get(b, "code"), *bd = cev_json_get(b, "decision");
        if (cJSON_IsString(c) && cJSON_IsString(bd)) {
            o->code[o->nblocks] = c->valuestring;
            o->decision[o->nblocks++] = bd->valuestring;
        }
    }
    return CEV_OK;
}

static void outcome_free(outcome *o)
{
    cJSON_Delete(o->json);
    free(o->code);
    free(o->decision);
}

static const char *block_of(const outcome *o, const char *code)
{
    for (size_t i = 0; i < o->nblocks; i++)
        if (strcmp(o->code[i], code) == 0)
            return o->decision[i];
    return NULL;
}

static int count(cev_diff_report *rep, const char *what, const char *before, const char *after)
{
    before = before ? before : "-";
    after = after ? after : "-";
    for (size_t i = 0; i < rep->ntrans; i++) {
        cev_diff_transition *t = &rep->trans[i];
        if (!strcmp(t->what, what) && !strcmp(t->before, before) && !strcmp(t->after, after)) {
            t->count++;
            return CEV_OK;
        }
    }
    cev_diff_transition *grown = realloc(rep->trans, (rep->ntrans + 1) * sizeof *grown);
    if (grown == NULL)
        return CEV_ENOMEM;
    rep->trans = grown;
    cev_diff_transition *t = &rep->trans[rep->ntrans];
    t->what = strdup(what);
    t->before = strdup(before);
    t->after = strdup(after);
    t->count = 1;
    if (!t->what || !t->before || !t->after) {
        free(t->what);
        free(t->before);
        free(t->after);
        return CEV_ENOMEM;
    }
    rep->ntrans++;
    return CEV_OK;
}

/* Notes one change in the scratch list and in the counts. */
static int change(differ *d, size_t *n, const char *what, const char *before, const char *after)
{
    if (*n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        cev_diff_change *grown = realloc(d->changes, cap * sizeof *grown);
        if (grown == NULL)
            return CEV_ENOMEM;
        d->changes = grown;
        d->cap = cap;
    }
    d->changes[(*n)++] = (cev_diff_change){what, before, after};
    return count(d->rep, what, before, after);
}

static int compare(differ *d, const cev_redecided *r, const outcome *was, const outcome *now)
{
    size_t n = 0;
    int rc = CEV_OK;
    if (strcmp(was->title, now->title) != 0)
        rc = change(d, &n, "title", was->title, now->title);
    for (size_t i = 0; i < was->nblocks && rc == CEV_OK; i++) {
        const char *after = block_of(now, was->code[i]);
        if (after == NULL || strcmp(after, was->decision[i]) != 0)
            rc = change(d, &n, was->code[i], was->decision[i], after);
    }
    for (size_t i = 0; i < now->nblocks && rc == CEV_OK; i++)
        if (block_of(was, now->code[i]) == NULL)
            rc = change(d, &n, now->code[i], NULL, now->decision[i]);
    if (rc != CEV_OK || n == 0)
        return rc;
    d->rep->changed++;
    const cJSON *cand = cev_json_get(was->json, "candidate");
    if (d->hooks->changed)
        d->hooks->changed(d->hooks->ctx, r, cJSON_IsString(cand) ? cand->valuestring : NULL,
                          d->changes, n);
    return CEV_OK;
}

/* Whether the other rules hold a package of title `code`. */
static int has_title(const cev_catalog *cat, const char *code)
{
    for (size_t i = 0; i < cat->count; i++)
        if (strcmp(cat->pkgs[i]->code, code) == 0)
            return 1;
    return 0;
}

/* Counts one record of a title the other rules lack. */
static int count_missing(cev_diff_report *rep, const char *title)
{
    rep->unmatched++;
    for (size_t i = 0; i < rep->nmissing; i++)
        if (strcmp(rep->missing[i].title, title) == 0) {
            rep->missing[i].count++;
            return CEV_OK;
        }
    cev_diff_missing *grown = realloc(rep->missing, (rep->nmissing + 1) * sizeof *grown);
    if (grown == NULL)
        return CEV_ENOMEM;
    rep->missing = grown;
    if ((grown[rep->nmissing].title = strdup(title)) == NULL)
        return CEV_ENOMEM;
    grown[rep->nmissing++].count = 1;
    return CEV_OK;
}

/* A record that was decided (or failed after its package was chosen) and
 * now gives E_TITLE: 1 with the title its input names copied into `code`
 * when the other rules hold no package of that title at all; 0 otherwise
 * (no version in force, a draft: a change to report); CEV_ENOMEM. */
static int missing_title(const differ *d, const cev_redecided *r, const outcome *was,
                         const outcome *now, cev_buf *code)
{
    if (strcmp(now->title, "error:E_TITLE") != 0 || strcmp(was->title, "error:E_TITLE") == 0 ||
        r->input == NULL)
        return 0;
    cJSON *in = NULL;
    cev_error err;
    int rc = cev_json_parse(r->input, r->input_len, 32, &in, &err);
    if (rc != CEV_OK)
        return rc == CEV_ENOMEM ? rc : 0;
    const cJSON *t = cev_json_get(in, "title");
    int missing = cJSON_IsString(t) && !has_title(d->cat, t->valuestring);
    cev_buf_reset(code);
    if (missing && cev_buf_puts(code, t->valuestring) != CEV_OK)
        missing = CEV_ENOMEM;
    cJSON_Delete(in);
    return missing;
}

/* Committer: the logged decisions against the new ones, in log order. */
static int commit(void *ctx, cev_redecided *r)
{
    differ *d = ctx;
    outcome was = {0}, now = {0};
    int rc = outcome_read(&was, r->logged);
    if (rc == CEV_OK && (rc = outcome_read(&now, r->now)) == CEV_OK) {
        int lacking = missing_title(d, r, &was, &now, &d->code);
        if (lacking < 0)
            rc = lacking;
        else if (lacking)
            rc = count_missing(d->rep, d->code.data);
        else if ((rc = compare(d, r, &was, &now)) == CEV_OK)
            d->rep->entries++;
    }
    outcome_free(&was);
    outcome_free(&now);
    if (d->hooks->progress)
        d->hooks->progress(d->hooks->ctx, d->rep->entries + d->rep->unmatched, d->rep->changed);
    return rc;
}

/* Producer: one job per logged entry. */
static int on_entry(const cev_entry *e, void *ctx)
{
    differ *d = ctx;
    return cev_redecide_feed(d->rd, e, 0, &d->err) == CEV_OK ? 0 : 1;
}

/* The title's transitions first, then the blocks' by code; each by the
 * decision before, then after (byte order: the same on every machine). */
static int by_what(const void *a, const void *b)
{
    const cev_diff_transition *x = a, *y = b;
    int xt = strcmp(x->what, "title") == 0, yt = strcmp(y->what, "title") == 0;
    int c = xt != yt ? yt - xt : strcmp(x->what, y->what);
    if (c == 0)
        c = strcmp(x->before, y->before);
    return c ? c : strcmp(x->after, y->after);
}

static int by_title(const void *a, const void *b)
{
    return strcmp(((const cev_diff_missing *)a)->title, ((const cev_diff_missing *)b)->title);
}

cev_code cev_diff(const char *dir, const char *session, const char *plugins_dir,
                  const char *rules_dir, unsigned threads, const cev_diff_hooks *hooks,
                  cev_diff_report *rep, cev_error *err)
{
    static const cev_diff_hooks none;
    memset(rep, 0, sizeof *rep);
    differ d;
    memset(&d, 0, sizeof d);
    d.hooks = hooks ? hooks : &none;
    d.rep = rep;
    cev_buf_init(&d.code);
    cev_query q;
    int rc = cev_query_current(&q, dir, session, err); /* the chain is checked first */
    if (rc != CEV_OK) {
        cev_query_close(&q);
        cev_buf_close(&d.code);
        return rc;
    }
    rep->superseded = (long)q.superseded;
    cev_engine eng;
    if ((rc = cev_engine_open(&eng, plugins_dir, rules_dir, 0, err)) != CEV_OK) {
        cev_query_close(&q);
        cev_buf_close(&d.code);
        return rc;
    }
    d.cat = &eng.cat;
    if ((rc = cev_redecide_open(&d.rd, threads, commit, &d, err)) == CEV_OK &&
        cev_redecide_engine(d.rd, &eng) != 0)
        rc = cev_error_nomem(err);
    if (rc == CEV_OK) {
        int walked = cev_query_each(&q, dir, on_entry, &d, err);
        int finished = cev_redecide_finish(d.rd, &d.err);
        if (walked < 0) { /* the log itself could not be read: err says why */
            rc = walked;
        } else if (finished != CEV_OK || walked != 0) {
            *err = d.err;
            rc = err->code < 0 ? err->code : CEV_ENOMEM;
        }
    }
    cev_redecide_close(d.rd);
    cev_engine_close(&eng);
    cev_query_close(&q);
    cev_buf_close(&d.code);
    free(d.changes);
    if (rc == CEV_OK && rep->ntrans > 1)
        qsort(rep->trans, rep->ntrans, sizeof *rep->trans, by_what);
    if (rc == CEV_OK && rep->nmissing > 1)
        qsort(rep->missing, rep->nmissing, sizeof *rep->missing, by_title);
    return rc;
}

void cev_diff_report_close(cev_diff_report *rep)
{
    for (size_t i = 0; i < rep->ntrans; i++) {
        free(rep->trans[i].what);
        free(rep->trans[i].before);
        free(rep->trans[i].after);
    }
    free(rep->trans);
    for (size_t i = 0; i < rep->nmissing; i++)
        free(rep->missing[i].title);
    free(rep->missing);
    memset(rep, 0, sizeof *rep);
}
