/*
 * oral.c - entretien technique, oral on a project, presentation and
 * interview (docs/modalities.md): the `situation` grid (criteria are the
 * interview's themes) plus an expected duration.  A duration outside
 * [min_minutes, max_minutes] is flagged `duration_out_of_bounds`, never
 * scored: it is a procedural irregularity kept for the auditor.
 */
#include "kit.h"

static const char *const config_keys[] = {"scale_max", "min_assessors", "max_spread",
                                          "collective", "criteria",     "min_minutes",
                                          "max_minutes", NULL};
static const char *const evidence_keys[] = {"status", "assessors", "duration_minutes", NULL};
static const char *const statuses[] = {"present", NULL};

typedef struct oral_state {
    kit_grid grid;
    double min_minutes; /* < 0: no bound */
    double max_minutes;
} oral_state;

static void release(const cev_host *h, void *state)
{
    oral_state *s = state;
    if (s) {
        kit_grid_free(h, &s->grid);
        h->free(s);
    }
}

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **state,
                     cev_report *r)
{
    int rc = kit_only(h, config, "", config_keys, r);
    if (rc != CEV_PLUGIN_OK)
        return rc;
    oral_state *s = h->alloc(sizeof *s);
    if (s == NULL)
        return CEV_PLUGIN_ENOMEM;
    s->min_minutes = s->max_minutes = -1;
    if ((rc = kit_scaled_grid_parse(h, config, decl, &s->grid, r)) ||
        (rc = kit_number(h, config, "", "min_minutes", 0, 0, 1e6, &s->min_minutes, r)) ||
        (rc = kit_number(h, config, "", "max_minutes", 0, 0, 1e6, &s->max_minutes, r))) {
        release(h, s);
        return rc;
    }
    if (s->min_minutes >= 0 && s->max_minutes >= 0 && s->min_minutes > s->max_minutes) {
        release(h, s);
        return h->fail(r, "max_minutes", "must not be less than min_minutes");
    }
    *state = s;
    return CEV_PLUGIN_OK;
}

static int score(const cev_host *h, const void *state, const cev_value *evidence,
                 cev_result *res, cev_report *r)
{
    const oral_state *s = state;
    const char *status;
    double minutes = -1;
    int rc;
    if ((rc = kit_only(h, evidence, "", evidence_keys, r)) ||
        (rc = kit_status(h, evidence, statuses, &status, r)) ||
        (rc = kit_number(h, evidence, "", "duration_minutes", 0, 0, 1e6, &minutes, r)) ||
        (rc = kit_grid_score(h, &s->grid, evidence, res, r)))
        return rc;
    if (minutes >= 0 && ((s->min_minutes >= 0 && kit_below(minutes, s->min_minutes)) ||
                         (s->max_minutes >= 0 && kit_above(minutes, s->max_minutes))))
        return h->flag(res, "duration_out_of_bounds");
    return CEV_PLUGIN_OK;
}

static const cev_plugin descriptor = {
    CEV_PLUGIN_HEADER_MINOR(1), /* nothing newer than ABI 1.1 is used */
    .name = "oral",
    .version = "1.0.1", /* 1.0.1: assessors required with no criteria too; messages */
    .summary = "entretien technique, oral on a project: criteria grid and duration",
    .configure = configure,
    .release = release,
    .score = score,
};

CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
    return host->abi_major == CEV_ABI_MAJOR ? &descriptor : NULL;
}
