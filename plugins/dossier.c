/*
 * dossier.c - written work: rapport d'intervention, cartographie du
 * territoire, dossier de projet, étude de cas (docs/modalities.md).
 *
 * Admissibility comes first: a work submitted after the deadline is `late`,
 * one longer than `max_pages` is `too_long`; either makes the result
 * `inadmissible`, unscored (both flags are given when both apply), though its
 * named assessors are still reported for the jury rules.  `submitted_on` and
 * `pages` are optional: without them nothing is late or too long.  A
 * `missing` work is `absent` with flag `missing`.  An admissible work is
 * scored on the grid, each criterion with its own max and weight.
 *
 * The deadline belongs to the session, never to the package: it is the
 * session calendar's date for this assessment (host->session_deadline()),
 * else the session date minus the config's `deadline_days`, else there is
 * none.  A config still giving an absolute `deadline` is refused with a
 * message saying what replaced it.  The session services are ABI 1.3's:
 * the plugin refuses an older host.
 */
#include "kit.h"

static const char *const config_keys[] = {"min_assessors", "deadline_days", "max_pages",
                                          "criteria", NULL};
static const char *const evidence_keys[] = {"status", "submitted_on", "pages", "assessors",
                                            NULL};
static const char *const statuses[] = {"submitted", "missing", NULL};

typedef struct dossier_state {
    kit_grid grid;
    long deadline_days; /* -1: none configured */
    long max_pages; /* 0: no limit */
} dossier_state;

static void release(const cev_host *h, void *state)
{
    dossier_state *s = state;
    if (s) {
        kit_grid_free(h, &s->grid);
        h->free(s);
    }
}

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **state,
                     cev_report *r)
{
    if (h->get(config, "deadline"))
        return h->fail(r, "deadline",
                       "a package carries no calendar date: the deadline belongs to the session "
                       "(session.deadlines.<assessment id> in the record), or give "
                       "\"deadline_days\", the days before the session date");
    int rc = kit_only(h, config, "", config_keys, r);
    if (rc != CEV_PLUGIN_OK)
        return rc;
    dossier_state *s = h->alloc(sizeof *s);
    if (s == NULL)
        return CEV_PLUGIN_ENOMEM;
    s->deadline_days = -1;
    if ((rc = kit_integer(h, config, "", "deadline_days", 0, 0, 36500, &s->deadline_days, r)) ||
        (rc = kit_integer(h, config, "", "max_pages", 0, 1, 100000, &s->max_pages, r)) ||
        (rc = kit_grid_parse(h, config, 1, 0, decl, &s->grid, r))) {
        release(h, s);
        return rc;
    }
    s->grid.empty_as_absent = 1; /* no criteria: a submission check, {} names nobody */
    *state = s;
    return CEV_PLUGIN_OK;
}

/* The last day to submit in this session, if any (see the top). */
static int deadline_of(const cev_host *h, const dossier_state *s, const cev_result *res,
                       int32_t *day)
{
    if (h->session_deadline(res, day) == CEV_PLUGIN_OK)
        return 1;
    int32_t session;
    if (s->deadline_days >= 0 && h->session_date(res, &session) == CEV_PLUGIN_OK) {
        *day = session - (int32_t)s->deadline_days;
        return 1;
    }
    return 0;
}

static int score(const cev_host *h, const void *state, const cev_value *evidence,
                 cev_result *res, cev_report *r)
{
    const dossier_state *s = state;
    const char *status;
    int rc, has_date = 0;
    int32_t submitted = 0;
    long pages = -1;
    if ((rc = kit_only(h, evidence, "", evidence_keys, r)) ||
        (rc = kit_status(h, evidence, statuses, &status, r)))
        return rc;
    if (status == statuses[1]) { /* missing */
        if ((rc = h->set_status(res, CEV_STATUS_ABSENT)))
            return rc;
        return h->flag(res, "missing");
    }
    if ((rc = kit_date(h, evidence, "", "submitted_on", 0, &has_date, &submitted, r)) ||
        (rc = kit_integer(h, evidence, "", "pages", 0, 0, 10000000, &pages, r)))
        return rc;
    int32_t deadline;
    int late = has_date && deadline_of(h, s, res, &deadline) && submitted > deadline;
    int too_long = s->max_pages > 0 && pages > s->max_pages;
    if (late || too_long) {
        if ((rc = h->set_status(res, CEV_STATUS_INADMISSIBLE)) ||
            (late && (rc = h->flag(res, "late"))) ||
            (too_long && (rc = h->flag(res, "too_long"))))
            return rc;
        /* not scored, but whoever is named as assessor still faces the
         * package's jury rules */
        const cev_value *as = h->get(evidence, "assessors");
        for (const cev_value *a = h->type(as) == CEV_OBJECT ? h->first(as) : NULL; a;
             a = h->next(a))
            if ((rc = h->assessor(res, h->key(a))) != CEV_PLUGIN_OK)
                return rc;
        return CEV_PLUGIN_OK;
    }
    return kit_grid_score(h, &s->grid, evidence, res, r);
}

static const cev_plugin descriptor = {
    CEV_PLUGIN_HEADER_MINOR(3), /* the session services of ABI 1.3 */
    .name = "dossier",
    .version = "1.1.0", /* 1.1: the deadline is the session's (deadline_days) */
    .summary = "written work: the session's deadline, page limit, weighted criteria grid",
    .configure = configure,
    .release = release,
    .score = score,
};

CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
    if (host->abi_major != CEV_ABI_MAJOR)
        return NULL;
    if (!CEV_HOST_HAS(host, session_deadline))
        return CEV_HOST_HAS(host, refuse)
                   ? host->refuse(host, "needs host ABI 1.3 (the session's calendar), host is %u.%u",
                                  host->abi_major, host->abi_minor)
                   : NULL;
    return &descriptor;
}
