/*
 * situation.c - mise en situation professionnelle, individual or collective
 * (docs/modalities.md).  The config is a grid of criteria on one scale; the
 * evidence gives each assessor's score per criterion.  `collective` is
 * descriptive: a collective simulation is scored per candidate like an
 * individual one.
 */
#include "kit.h"

static const char *const config_keys[] = {"scale_max",  "min_assessors", "max_spread",
                                          "collective", "criteria",      NULL};
static const char *const evidence_keys[] = {"status", "assessors", NULL};
static const char *const statuses[] = {"present", NULL};

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **state,
                     cev_report *r)
{
    int rc = kit_only(h, config, "", config_keys, r);
    if (rc != CEV_PLUGIN_OK)
        return rc;
    kit_grid *g = h->alloc(sizeof *g);
    if (g == NULL)
        return CEV_PLUGIN_ENOMEM;
    rc = kit_scaled_grid_parse(h, config, decl, g, r);
    if (rc != CEV_PLUGIN_OK) {
        kit_grid_free(h, g);
        h->free(g);
        return rc;
    }
    *state = g;
    return CEV_PLUGIN_OK;
}

static void release(const cev_host *h, void *state)
{
    if (state) {
        kit_grid_free(h, state);
        h->free(state);
    }
}

static int score(const cev_host *h, const void *state, const cev_value *evidence,
                 cev_result *res, cev_report *r)
{
    const char *status;
    int rc;
    if ((rc = kit_only(h, evidence, "", evidence_keys, r)) ||
        (rc = kit_status(h, evidence, statuses, &status, r)))
        return rc;
    return kit_grid_score(h, state, evidence, res, r);
}

static const cev_plugin descriptor = {
    CEV_PLUGIN_HEADER_MINOR(1), /* nothing newer than ABI 1.1 is used */
    .name = "situation",
    .version = "1.0.1", /* 1.0.1: assessors required with no criteria too; messages */
    .summary = "mise en situation professionnelle (individual or collective), criteria grid",
    .configure = configure,
    .release = release,
    .score = score,
};

CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
    return host->abi_major == CEV_ABI_MAJOR ? &descriptor : NULL;
}
