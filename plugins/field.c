/*
 * field.c - évaluation de terrain by the supervisor (docs/modalities.md).
 * The supervisor (tuteur, encadrant) is not a jury member and is not
 * reported as an assessor.  A null rating means "not observed": no score,
 * flag `not_observed:<competency>`.
 */
#include "kit.h"

#include <stdio.h>
#include <string.h>

static const char *const config_keys[] = {"scale_max", "competencies", NULL};
static const char *const evidence_keys[] = {"status", "supervisor", "ratings", NULL};
static const char *const statuses[] = {"present", NULL};

typedef struct field_state {
    double scale_max;
    char **comps;
    size_t n;
} field_state;

static void release(const cev_host *h, void *state)
{
    field_state *s = state;
    if (s == NULL)
        return;
    for (size_t i = 0; s->comps && i < s->n; i++)
        h->free(s->comps[i]);
    h->free(s->comps);
    h->free(s);
}

static int parse_competencies(const cev_host *h, const cev_value *list, cev_decl *decl,
                              field_state *s, cev_report *r)
{
    if (h->type(list) != CEV_ARRAY || h->count(list) == 0)
        return h->fail(r, "competencies", "must be a non-empty array");
    if (h->count(list) > KIT_MAX_ITEMS)
        return h->fail(r, "competencies", "more than %d competencies", KIT_MAX_ITEMS);
    s->comps = h->alloc(h->count(list) * sizeof *s->comps);
    if (s->comps == NULL)
        return CEV_PLUGIN_ENOMEM;
    size_t i = 0;
    for (const cev_value *c = h->first(list); c; c = h->next(c), i++) {
        char at[40];
        snprintf(at, sizeof at, "competencies[%zu]", i);
        const char *code = h->string(c);
        if (code == NULL || code[0] == '\0')
            return h->fail(r, at, "must be a non-empty string");
        for (size_t j = 0; j < s->n; j++)
            if (strcmp(s->comps[j], code) == 0)
                return h->fail(r, at, "duplicate competency \"%s\"", code);
        if (h->declare(decl, code) != CEV_PLUGIN_OK)
            return h->fail(r, at, "\"%s\" is not a competency of this assessment's block",
                           code);
        if ((s->comps[s->n] = kit_strdup(h, code)) == NULL)
            return CEV_PLUGIN_ENOMEM;
        s->n++;
    }
    return CEV_PLUGIN_OK;
}

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **state,
                     cev_report *r)
{
    int rc = kit_only(h, config, "", config_keys, r);
    if (rc != CEV_PLUGIN_OK)
        return rc;
    field_state *s = h->alloc(sizeof *s);
    if (s == NULL)
        return CEV_PLUGIN_ENOMEM;
    if ((rc = kit_number(h, config, "", "scale_max", 1, 0, 1e6, &s->scale_max, r)) == 0 &&
        !(s->scale_max > 0))
        rc = h->fail(r, "scale_max", "must be greater than 0");
    if (rc == 0)
        rc = parse_competencies(h, h->get(config, "competencies"), decl, s, r);
    if (rc != CEV_PLUGIN_OK) {
        release(h, s);
        return rc;
    }
    *state = s;
    return CEV_PLUGIN_OK;
}

static int score(const cev_host *h, const void *state, const cev_value *evidence,
                 cev_result *res, cev_report *r)
{
    const field_state *s = state;
    const char *status, *supervisor;
    int rc;
    if ((rc = kit_only(h, evidence, "", evidence_keys, r)) ||
        (rc = kit_status(h, evidence, statuses, &status, r)) ||
        (rc = kit_string(h, evidence, "", "supervisor", 1, &supervisor, r)))
        return rc;
    const cev_value *ratings = h->get(evidence, "ratings");
    if (ratings == NULL)
        return h->fail(r, "ratings", "is required");
    if (h->type(ratings) != CEV_OBJECT)
        return h->fail(r, "ratings", "must be an object");
    for (const cev_value *m = h->first(ratings); m; m = h->next(m)) {
        int known = 0;
        for (size_t i = 0; i < s->n && !known; i++)
            known = strcmp(s->comps[i], h->key(m)) == 0;
        if (!known)
            return kit_fail(h, r, "ratings", h->key(m), "competency \"%s\" is not rated here",
                            h->key(m));
    }
    for (size_t i = 0; i < s->n; i++) {
        const cev_value *v = h->get(ratings, s->comps[i]);
        if (v == NULL)
            return kit_fail(h, r, "ratings", s->comps[i], "no rating for %s (null if not observed)",
                            s->comps[i]);
        if (h->type(v) == CEV_NULL) {
            if ((rc = h->flag(res, "not_observed:%s", s->comps[i])))
                return rc;
            continue;
        }
        if (h->type(v) != CEV_NUMBER)
            return kit_fail(h, r, "ratings", s->comps[i], "must be a number or null");
        double d = h->number(v);
        if (d < 0 || d > s->scale_max) {
            char dv[KIT_NUM_MAX], mv[KIT_NUM_MAX];
            return kit_fail(h, r, "ratings", s->comps[i], "rating %s is outside [0, %s]",
                            kit_shortest(dv, d), kit_shortest(mv, s->scale_max));
        }
        if ((rc = h->score(res, s->comps[i], d / s->scale_max)))
            return rc;
    }
    return CEV_PLUGIN_OK;
}

static const cev_plugin descriptor = {
    CEV_PLUGIN_HEADER_MINOR(1), /* nothing newer than ABI 1.1 is used */
    .name = "field",
    .version = "1.0.0",
    .summary = "évaluation de terrain by the supervisor: one rating per competency",
    .configure = configure,
    .release = release,
    .score = score,
};

CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
    return host->abi_major == CEV_ABI_MAJOR ? &descriptor : NULL;
}
