/*
 * portfolio.c - the `portfolio` modality: a dossier professionnel or
 * e-portfolio made of documented professional situations, each linked to the
 * competencies it evidences and rated by the assessors who read it.
 *
 * config:   {"scale_max": 4, "min_situations": 2, "min_assessors": 1,
 *            "competencies": ["BC01.C1", "BC01.C2"]}
 * evidence: {"status": "present",
 *            "situations": [{"id": "S1", "title": "...", "competencies": ["BC01.C1"],
 *                            "ratings": {"J1": {"BC01.C1": 3}}}]}
 *
 * - Fewer than min_situations situations: inadmissible, flag too_few_situations.
 * - A situation has a unique id, a title, the configured competencies it
 *   evidences, and at least min_assessors assessors who rate each of those
 *   competencies (and nothing else) in [0, scale_max].
 * - Competency score = mean over the situations evidencing it of the mean
 *   rating / scale_max.  A configured competency that no situation evidences
 *   gets no score and the flag undocumented:<competency>.
 *
 * Written against the ABI only (certeval/plugin.h): no global mutable state,
 * every allocation through the host, state immutable after configure().
 */
#include <certeval/plugin.h>

#include <stdio.h>
#include <string.h>

typedef struct portfolio {
    double scale_max;
    long min_situations;
    long min_assessors;
    char **comps;
    size_t ncomps;
} portfolio;

static void release(const cev_host *h, void *state)
{
    portfolio *p = state;
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->ncomps; i++)
        h->free(p->comps[i]);
    h->free(p->comps);
    h->free(p);
}

/* A whole number in [min, max], or the default when absent. */
static int whole(const cev_host *h, const cev_value *obj, const char *key, long min, long max,
                 long *out, cev_report *r)
{
    const cev_value *v = h->get(obj, key);
    if (v == NULL)
        return CEV_PLUGIN_OK;
    double d = h->number(v);
    if (h->type(v) != CEV_NUMBER || d != (double)(long)d || d < min || d > max)
        return h->fail(r, key, "must be a whole number from %ld to %ld", min, max);
    *out = (long)d;
    return CEV_PLUGIN_OK;
}

static long find(const portfolio *p, const char *code)
{
    for (size_t i = 0; code && i < p->ncomps; i++)
        if (strcmp(p->comps[i], code) == 0)
            return (long)i;
    return -1;
}

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **state,
                     cev_report *r)
{
    static const char *const keys[] = {"scale_max", "min_situations", "min_assessors",
                                       "competencies", NULL};
    for (const cev_value *m = h->first(config); m; m = h->next(m)) {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], h->key(m)) != 0)
            k++;
        if (keys[k] == NULL)
            return h->fail(r, h->key(m), "unknown field");
    }
    portfolio *p = h->alloc(sizeof *p);
    if (p == NULL)
        return CEV_PLUGIN_ENOMEM;
    p->min_situations = 1;
    p->min_assessors = 1;
    const cev_value *scale = h->get(config, "scale_max");
    const cev_value *comps = h->get(config, "competencies");
    int rc = CEV_PLUGIN_OK;
    if (h->type(scale) != CEV_NUMBER || !(h->number(scale) > 0))
        rc = h->fail(r, "scale_max", "must be a number greater than 0");
    if (rc == CEV_PLUGIN_OK)
        rc = whole(h, config, "min_situations", 1, 1000, &p->min_situations, r);
    if (rc == CEV_PLUGIN_OK)
        rc = whole(h, config, "min_assessors", 1, 1000, &p->min_assessors, r);
    if (rc == CEV_PLUGIN_OK && (h->type(comps) != CEV_ARRAY || h->count(comps) == 0))
        rc = h->fail(r, "competencies", "must be a non-empty array");
    if (rc == CEV_PLUGIN_OK && (p->comps = h->alloc(h->count(comps) * sizeof *p->comps)) == NULL)
        rc = CEV_PLUGIN_ENOMEM;
    p->scale_max = h->number(scale);
    for (const cev_value *c = rc ? NULL : h->first(comps); c && rc == CEV_PLUGIN_OK; c = h->next(c)) {
        char at[48];
        snprintf(at, sizeof at, "competencies[%zu]", p->ncomps);
        const char *code = h->string(c);
        if (code == NULL || *code == '\0' || find(p, code) >= 0)
            rc = h->fail(r, at, "must be a competency code, once");
        else if (h->declare(decl, code) != CEV_PLUGIN_OK)
            rc = h->fail(r, at, "\"%s\" is not a competency of this assessment's block", code);
        else if ((p->comps[p->ncomps] = h->alloc(strlen(code) + 1)) == NULL)
            rc = CEV_PLUGIN_ENOMEM;
        else
            memcpy(p->comps[p->ncomps++], code, strlen(code) + 1);
    }
    if (rc != CEV_PLUGIN_OK) {
        release(h, p);
        return rc;
    }
    *state = p;
    return CEV_PLUGIN_OK;
}

/* Checks one situation and adds its ratings to sums[] and counts[]. */
static int situation(const cev_host *h, const portfolio *p, const cev_value *s, size_t idx,
                     const cev_value *situations, double *sums, unsigned *counts,
                     cev_result *res, cev_report *r)
{
    char at[64];
    snprintf(at, sizeof at, "situations[%zu]", idx);
    const cev_value *id = h->get(s, "id"), *title = h->get(s, "title");
    const cev_value *comps = h->get(s, "competencies"), *ratings = h->get(s, "ratings");
    if (h->type(s) != CEV_OBJECT || !h->string(id) || !*h->string(id) || !h->string(title) ||
        !*h->string(title) || h->type(comps) != CEV_ARRAY || h->count(comps) == 0 ||
        h->type(ratings) != CEV_OBJECT || h->count(s) != 4)
        return h->fail(r, at, "a situation is {\"id\", \"title\", \"competencies\", \"ratings\"}");
    size_t k = 0;
    for (const cev_value *o = h->first(situations); o && k < idx; o = h->next(o), k++)
        if (strcmp(h->string(h->get(o, "id")), h->string(id)) == 0)
            return h->fail(r, at, "situation id \"%s\" is used twice", h->string(id));
    for (const cev_value *c = h->first(comps); c; c = h->next(c))
        if (find(p, h->string(c)) < 0)
            return h->fail(r, at, "\"%s\" is not a competency this portfolio evidences",
                           h->string(c) ? h->string(c) : "?");
    if ((long)h->count(ratings) < p->min_assessors)
        return h->fail(r, at, "%zu assessor(s), at least %ld required", h->count(ratings),
                       p->min_assessors);
    for (const cev_value *a = h->first(ratings); a; a = h->next(a)) {
        if (h->type(a) != CEV_OBJECT || h->count(a) != h->count(comps))
            return h->fail(r, at, "assessor %s must rate exactly the situation's competencies",
                           h->key(a));
        for (const cev_value *c = h->first(comps); c; c = h->next(c)) {
            const cev_value *v = h->get(a, h->string(c));
            double d = h->number(v);
            if (h->type(v) != CEV_NUMBER || d < 0 || d > p->scale_max)
                return h->fail(r, at, "assessor %s: %s must be rated from 0 to %g", h->key(a),
                               h->string(c), p->scale_max);
        }
        int rc = h->assessor(res, h->key(a));
        if (rc != CEV_PLUGIN_OK)
            return rc;
    }
    for (const cev_value *c = h->first(comps); c; c = h->next(c)) {
        double sum = 0;
        for (const cev_value *a = h->first(ratings); a; a = h->next(a))
            sum += h->number(h->get(a, h->string(c)));
        long i = find(p, h->string(c));
        sums[i] += sum / (double)h->count(ratings) / p->scale_max;
        counts[i]++;
    }
    return CEV_PLUGIN_OK;
}

static int score(const cev_host *h, const void *state, const cev_value *evidence,
                 cev_result *res, cev_report *r)
{
    const portfolio *p = state;
    const cev_value *status = h->get(evidence, "status");
    if (status && (!h->string(status) || strcmp(h->string(status), "present") != 0))
        return h->fail(r, "status", "must be present, absent or excused");
    for (const cev_value *m = h->first(evidence); m; m = h->next(m))
        if (strcmp(h->key(m), "status") != 0 && strcmp(h->key(m), "situations") != 0)
            return h->fail(r, h->key(m), "unknown field");
    const cev_value *situations = h->get(evidence, "situations");
    if (h->type(situations) != CEV_ARRAY)
        return h->fail(r, "situations", "must be an array");
    if ((long)h->count(situations) < p->min_situations) {
        int rc = h->set_status(res, CEV_STATUS_INADMISSIBLE);
        return rc ? rc : h->flag(res, "too_few_situations");
    }
    /* per-candidate sums, grown with the 1.1 host's realloc */
    double *sums = NULL;
    unsigned *counts = NULL;
    void *grown = h->realloc(NULL, p->ncomps * sizeof *sums);
    if (grown == NULL)
        return CEV_PLUGIN_ENOMEM;
    sums = grown;
    if ((counts = h->alloc(p->ncomps * sizeof *counts)) == NULL) {
        h->free(sums);
        return CEV_PLUGIN_ENOMEM;
    }
    memset(sums, 0, p->ncomps * sizeof *sums);
    int rc = CEV_PLUGIN_OK;
    size_t idx = 0;
    for (const cev_value *s = h->first(situations); s && rc == CEV_PLUGIN_OK; s = h->next(s), idx++)
        rc = situation(h, p, s, idx, situations, sums, counts, res, r);
    for (size_t i = 0; i < p->ncomps && rc == CEV_PLUGIN_OK; i++)
        rc = counts[i] ? h->score(res, p->comps[i], sums[i] / counts[i])
                       : h->flag(res, "undocumented:%s", p->comps[i]);
    h->free(sums);
    h->free(counts);
    return rc;
}

/* ABI 1.1: the newest service it uses is host->realloc, so it also loads on a
 * 1.1 host (CEV_PLUGIN_HEADER would claim this header's minor). */
static const cev_plugin descriptor = {
    CEV_PLUGIN_HEADER_MINOR(1),
    .name = "portfolio",
    .version = "1.0.0",
    .summary = "dossier professionnel / e-portfolio: documented situations rated by assessors",
    .configure = configure,
    .release = release,
    .score = score,
};

/* The only exported symbol.  This plugin uses host->realloc: it refuses a
 * host older than ABI 1.1. */
CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
    if (host->abi_major != CEV_ABI_MAJOR || !CEV_HOST_HAS(host, realloc))
        return NULL;
    return &descriptor;
}
