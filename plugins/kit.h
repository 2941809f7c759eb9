/*
 * kit.h - helpers shared by the core plugins (linked statically into each,
 * hidden from their exported symbols).
 *
 * Field access: each kit_* reader validates one member of a JSON object and
 * reports a refusal through host->fail() with the member's path, returning
 * CEV_PLUGIN_EINPUT; a missing optional member leaves *out at its default.
 *
 * The grid: criteria (id, competency, max, weight, eliminatory) scored by
 * several assessors.  One implementation serves `situation`, `oral` (every
 * max = scale_max, weight 1) and `dossier` (per-criterion max and weight).
 *
 * Thresholds are compared with KIT_EPS so that a value mathematically at a
 * threshold is never on the wrong side of it because of rounding.
 */
#ifndef CEV_PLUGIN_KIT_H
#define CEV_PLUGIN_KIT_H

#include "certeval/plugin.h"

#include <stddef.h>

#define KIT_HIDDEN __attribute__((visibility("hidden")))
#define KIT_EPS 1e-9
#define KIT_MAX_ITEMS 1000

/* a < b, a > b beyond rounding noise */
KIT_HIDDEN int kit_below(double a, double b);
KIT_HIDDEN int kit_above(double a, double b);

/* Every reader takes `at`, the path of `obj` ("" at the top), and reports
 * refusals at "at.key". */

/* Refuses any member of `obj` whose key is not in the NULL-terminated list. */
KIT_HIDDEN int kit_only(const cev_host *h, const cev_value *obj, const char *at,
                        const char *const *keys, cev_report *r);
KIT_HIDDEN int kit_number(const cev_host *h, const cev_value *obj, const char *at,
                          const char *key, int required, double min, double max, double *out,
                          cev_report *r);
KIT_HIDDEN int kit_integer(const cev_host *h, const cev_value *obj, const char *at,
                           const char *key, int required, long min, long max, long *out,
                           cev_report *r);
KIT_HIDDEN int kit_bool(const cev_host *h, const cev_value *obj, const char *at,
                        const char *key, int *out, cev_report *r);
/* Borrowed non-empty string; *out untouched when optional and missing. */
KIT_HIDDEN int kit_string(const cev_host *h, const cev_value *obj, const char *at,
                          const char *key, int required, const char **out, cev_report *r);
/* ISO date: *present set and *day filled when given. */
KIT_HIDDEN int kit_date(const cev_host *h, const cev_value *obj, const char *at,
                        const char *key, int required, int *present, int32_t *day,
                        cev_report *r);
/* A number in a message: the shortest form that reads back to the same
 * double (4.000000000000001 is not "4"); buf is returned. */
#define KIT_NUM_MAX 32
KIT_HIDDEN const char *kit_shortest(char buf[KIT_NUM_MAX], double d);
/* host->fail() at "at.key" (either may be ""). */
KIT_HIDDEN int kit_fail(const cev_host *h, cev_report *r, const char *at, const char *key,
                        const char *fmt, ...) CEV_PRINTF(5, 6);
/* A copy made with host->alloc, or NULL. */
KIT_HIDDEN char *kit_strdup(const cev_host *h, const char *s);

typedef struct kit_criterion {
    char *id;
    char *competency;
    double max;
    double weight;
    int eliminatory;
    size_t first; /* the first criterion of the same competency (maybe itself) */
} kit_criterion;

typedef struct kit_grid {
    kit_criterion *crit;
    size_t n;
    size_t min_assessors;
    double max_spread; /* < 0: not checked */
    /* with no criteria, "assessors" may be left out or {} (a submission
     * check: the dossier); else it is required and counted against
     * min_assessors, criteria or not (an oral with no criteria, such as a
     * final interview with the jury, is held by the members named) */
    int empty_as_absent;
} kit_grid;

/* Reads "criteria": with per_item_max, each criterion has "max" and an
 * optional "weight"; otherwise max = scale_max and weight = 1.  Declares
 * every criterion's competency.  An empty list makes a presence (or
 * submission) check that scores nothing; when g->empty_as_absent (which
 * the caller sets) its evidence may omit "assessors" or give it empty.
 * `g` is freed with kit_grid_free(). */
KIT_HIDDEN int kit_grid_parse(const cev_host *h, const cev_value *config, int per_item_max,
                              double scale_max, cev_decl *decl, kit_grid *g, cev_report *r);
KIT_HIDDEN void kit_grid_free(const cev_host *h, kit_grid *g);

/* Scores evidence member "assessors": { member: { criterion: value } }.
 * Every assessor scores every criterion, values in [0, max]; criterion value
 * = mean over assessors (summed in ascending order: the same whatever the
 * order of the evidence); competency score = sum(weight * value / max) /
 * sum(weight) over its criteria; an eliminatory criterion below max / 2
 * eliminates its competency; a spread above max_spread flags it. */
KIT_HIDDEN int kit_grid_score(const cev_host *h, const kit_grid *g, const cev_value *evidence,
                              cev_result *res, cev_report *r);

/* The `situation` family's config (scale_max, min_assessors, max_spread,
 * collective, criteria); the caller checks for unknown members. */
KIT_HIDDEN int kit_scaled_grid_parse(const cev_host *h, const cev_value *config,
                                     cev_decl *decl, kit_grid *g, cev_report *r);

/* Evidence "status": absent means `dflt`; anything outside `allowed`
 * (NULL-terminated) is refused.  *out points into `allowed`. */
KIT_HIDDEN int kit_status(const cev_host *h, const cev_value *evidence,
                          const char *const *allowed, const char **out, cev_report *r);

#endif
