/* results.c - a session's entries, as the documents print them (results.h). */
#include "print/results.h"


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    pr_results *r;
    const char *dir;
    size_t cap;
    int rc;
    cev_error *err;
} loader;

static int fail(loader *l, cev_code rc)
{
    l->rc = rc;
    return 1;
}

/* The store does not hold (its chain, its head, or a package an entry
 * relies on): said in French for the jury secretary, the entry named (seq
 * 0: not known), what to do, then the engine's words as the detail (last,
 * so that a long path can only cut them short).  `detail` may point into
 * err.  Returns CEV_PROBLEMS. */
static cev_code refuse_store(cev_error *err, const char *dir, long seq, long line,
                             const char *detail)
{
    char why[CEV_MESSAGE_MAX], where[96] = "";
    snprintf(why, sizeof why, "%s", detail);
    if (seq > 0 && line > 0)
        snprintf(where, sizeof where, " à l'entrée n° %ld (ligne %ld de log.jsonl)", seq, line);
    else if (seq > 0)
        snprintf(where, sizeof where, " à l'entrée n° %ld", seq);
    return cev_error_set(err, CEV_PROBLEMS, "",
                         "le registre d'audit %s n'est pas intact%s : aucun document n'en est "
                         "tiré. Le faire contrôler en entier (certeval verify -a %s) et "
                         "prévenir le certificateur. Détail : %s",
                         dir, where, dir, why);
}

/* The store cannot be read at all (not a folder, no log.jsonl, no right to
 * read it): said in French, what to check, then the engine's words as the
 * detail.  `detail` may point into err.  Returns `code`. */
static cev_code unreadable_store(cev_error *err, cev_code code, const char *dir,
                                 const char *detail)
{
    char why[CEV_MESSAGE_MAX];
    snprintf(why, sizeof why, "%s", detail);
    return cev_error_set(err, code, "",
                         "impossible de lire le registre d'audit %s : vérifier le dossier donné "
                         "par -a (celui où certeval eval -a a enregistré les décisions de la "
                         "session). Détail : %s",
                         dir, why);
}

/* The stored title.json of a decision, read once per package. */
static const cJSON *title_of(loader *l, const cJSON *out)
{
    pr_results *r = l->r;
    const cJSON *pkg = cev_json_get(cev_json_get(out, "provenance"), "package");
    cev_buf key;
    cev_buf_init(&key);
    if (cev_buf_printf(&key, "%s/%s", cev_json_str(pkg, "sha256"), cev_json_str(pkg, "path")) != CEV_OK)
        return fail(l, cev_error_nomem(l->err)), NULL;
    for (size_t i = 0; i < r->ntitles; i++)
        if (strcmp(r->titles[i].key, key.data) == 0) {
            cev_buf_close(&key);
            return r->titles[i].json;
        }
    pr_stored_title *more = realloc(r->titles, (r->ntitles + 1) * sizeof *more);
    if (more == NULL) {
        cev_buf_close(&key);
        return fail(l, cev_error_nomem(l->err)), NULL;
    }
    r->titles = more;
    pr_stored_title *t = &r->titles[r->ntitles++];
    t->key = cev_buf_take(&key);
    t->json = NULL;
    int rc = cev_audit_stored_title(l->dir, out, &t->json, l->err);
    if (rc != CEV_OK)
        return fail(l, rc), NULL;
    return t->json;
}

/* cev_query_each's hook: one entry parsed and kept. */
static int take_entry(const cev_entry *e, void *ctx)
{
    loader *l = ctx;
    pr_results *r = l->r;
    if (r->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        pr_entry *more = realloc(r->entries, cap * sizeof *more);
        if (more == NULL)
            return fail(l, cev_error_nomem(l->err));
        r->entries = more;
        l->cap = cap;
    }
    pr_entry *p = &r->entries[r->n++];
    memset(p, 0, sizeof *p);
    p->seq = e->seq;
    p->line = e->line;
    p->candidate = "";
    snprintf(p->hash, sizeof p->hash, "%s", cev_json_str(e->json, "hash"));
    if ((p->source = strdup(e->source ? e->source : "")) == NULL)
        return fail(l, cev_error_nomem(l->err));
    cev_error perr;
    int rc = cev_json_parse(e->output, strlen(e->output), 64, &p->out, &perr);
    if (rc == CEV_ENOMEM)
        return fail(l, cev_error_nomem(l->err));
    if (rc != CEV_OK)
        return fail(l, cev_error_set(l->err, CEV_EIO, "",
                                     "l'entrée n° %ld du registre d'audit %s est illisible "
                                     "(unreadable output)",
                                     e->seq, l->dir));
    if (e->input && cev_json_parse(e->input, e->input_len, 64, &p->in, &perr) == CEV_ENOMEM)
        return fail(l, cev_error_nomem(l->err));
    p->error = cev_json_get(p->out, "error") != NULL;
    p->candidate = cev_json_str(p->out, "candidate");
    if (!p->error && (p->title = title_of(l, p->out)) == NULL) {
        if (l->rc == CEV_PROBLEMS) /* its package was altered: name the entry */
            refuse_store(l->err, l->dir, e->seq, 0, l->err->message);
        return 1;
    }
    return 0;
}

static int by_candidate(const void *a, const void *b)
{
    const pr_current *x = a, *y = b;
    int c = strcmp(x->candidate, y->candidate);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* r->current: for each candidate id read, its decision record when it has
 * one, else its latest entry. */
static cev_code index_current(pr_results *r, cev_error *err)
{
    pr_current *all = malloc((r->n ? r->n : 1) * sizeof *all);
    if (all == NULL)
        return cev_error_nomem(err);
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->entries[i].candidate[0])
            all[n++] = (pr_current){r->entries[i].candidate, i};
    qsort(all, n, sizeof *all, by_candidate);
    size_t kept = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, pick = i;
        int decided = 0;
        for (; j < n && strcmp(all[j].candidate, all[i].candidate) == 0; j++)
            if (!decided) {
                pick = j;
                decided = !r->entries[all[j].index].error;
            }
        all[kept++] = all[pick];
        i = j;
    }
    r->current = all;
    r->ncurrent = kept;
    return CEV_OK;
}

cev_code pr_results_load(pr_results *r, const char *dir, const char *session, cev_error *err)
{
    memset(r, 0, sizeof *r);
    cev_query q;
    int rc = cev_query_session(&q, dir, session, err);
    if (rc == CEV_PROBLEMS) { /* the chain does not hold: which entry, for the message */
        cev_audit_report rep;
        cev_error again;
        if (cev_audit_check(dir, CEV_CHECK_CHAIN, NULL, NULL, NULL, &rep, &again) == CEV_OK &&
            rep.problem[0])
            refuse_store(err, dir, rep.bad_seq, rep.bad_line, rep.problem);
        else
            refuse_store(err, dir, 0, 0, err->message);
    } else if (rc == CEV_EIO) {
        unreadable_store(err, rc, dir, err->message);
    }
    loader l = {r, dir, 0, CEV_OK, err};
    if (rc == CEV_OK) {
        r->superseded = q.superseded;
        rc = cev_query_each(&q, dir, take_entry, &l, err);
        if (rc != CEV_OK && l.rc != CEV_OK)
            rc = l.rc;
    }
    cev_query_close(&q);
    if (rc == CEV_OK)
        rc = index_current(r, err);
    if (rc == CEV_OK && r->n) {
        r->last_seq = r->entries[r->n - 1].seq;
        memcpy(r->last_hash, r->entries[r->n - 1].hash, sizeof r->last_hash);
    }
    if (rc == CEV_OK) { /* the head, read after the entries: it seals them all */
        cev_audit_report rep;
        rc = cev_audit_check(dir, CEV_CHECK_CHAIN, NULL, NULL, NULL, &rep, err);
        if (rc == CEV_OK && rep.problem[0])
            rc = refuse_store(err, dir, rep.bad_seq, rep.bad_line, rep.problem);
        r->head_seq = rep.seal_seq;
        memcpy(r->head_hash, rep.seal_hash, sizeof r->head_hash);
    }
    return rc;
}

static int same_candidate(const void *a, const void *b)
{
    return strcmp(((const pr_current *)a)->candidate, ((const pr_current *)b)->candidate);
}

const pr_entry *pr_results_current(const pr_results *r, const char *candidate)
{
    pr_current key = {candidate, 0};
    const pr_current *got =
        r->ncurrent ? bsearch(&key, r->current, r->ncurrent, sizeof key, same_candidate) : NULL;
    return got ? &r->entries[got->index] : NULL;
}

void pr_results_close(pr_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->entries[i].source);
        cJSON_Delete(r->entries[i].out);
        cJSON_Delete(r->entries[i].in);
    }
    free(r->entries);
    free(r->current);
    for (size_t i = 0; i < r->ntitles; i++) {
        free(r->titles[i].key);
        cJSON_Delete(r->titles[i].json);
    }
    free(r->titles);
    memset(r, 0, sizeof *r);
}
