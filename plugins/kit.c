#include "kit.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kit_below(double a, double b)
{
    return a < b - KIT_EPS;
}

int kit_above(double a, double b)
{
    return a > b + KIT_EPS;
}

int kit_fail(const cev_host *h, cev_report *r, const char *at, const char *key,
             const char *fmt, ...)
{
    char path[256], msg[512];
    snprintf(path, sizeof path, "%s%s%s", at, *at && *key ? "." : "", key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return h->fail(r, path, "%s", msg);
}

const char *kit_shortest(char buf[KIT_NUM_MAX], double d)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, KIT_NUM_MAX, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return buf;
    }
    return buf; /* NaN: "nan" at the first try does not compare equal */
}

int kit_only(const cev_host *h, const cev_value *obj, const char *at, const char *const *keys,
             cev_report *r)
{
    if (h->type(obj) != CEV_OBJECT)
        return kit_fail(h, r, at, "", "must be an object");
    for (const cev_value *m = h->first(obj); m; m = h->next(m)) {
        const char *k = h->key(m);
        int known = 0;
        for (size_t i = 0; keys[i] && !known; i++)
            known = strcmp(keys[i], k) == 0;
        if (!known)
            return kit_fail(h, r, at, k, "unknown field \"%s\"", k);
    }
    return CEV_PLUGIN_OK;
}

int kit_number(const cev_host *h, const cev_value *obj, const char *at, const char *key,
               int required, double min, double max, double *out, cev_report *r)
{
    const cev_value *v = h->get(obj, key);
    if (v == NULL)
        return required ? kit_fail(h, r, at, key, "is required") : CEV_PLUGIN_OK;
    if (h->type(v) != CEV_NUMBER)
        return kit_fail(h, r, at, key, "must be a number");
    double d = h->number(v);
    if (d < min || d > max)
        return kit_fail(h, r, at, key, "must lie within [%g, %g], got %g", min, max, d);
    *out = d;
    return CEV_PLUGIN_OK;
}

int kit_integer(const cev_host *h, const cev_value *obj, const char *at, const char *key,
                int required, long min, long max, long *out, cev_report *r)
{
    const cev_value *v = h->get(obj, key);
    if (v == NULL)
        return required ? kit_fail(h, r, at, key, "is required") : CEV_PLUGIN_OK;
    double d = h->number(v);
    if (h->type(v) != CEV_NUMBER || floor(d) != d)
        return kit_fail(h, r, at, key, "must be a whole number");
    if (d < (double)min || d > (double)max)
        return kit_fail(h, r, at, key, "must lie within [%ld, %ld], got %g", min, max, d);
    *out = (long)d;
    return CEV_PLUGIN_OK;
}

int kit_bool(const cev_host *h, const cev_value *obj, const char *at, const char *key, int *out,
             cev_report *r)
{
    const cev_value *v = h->get(obj, key);
    if (v == NULL)
        return CEV_PLUGIN_OK;
    if (h->type(v) != CEV_BOOL)
        return kit_fail(h, r, at, key, "must be true or false");
    *out = h->boolean(v);
    return CEV_PLUGIN_OK;
}

int kit_string(const cev_host *h, const cev_value *obj, const char *at, const char *key,
               int required, const char **out, cev_report *r)
{
    const cev_value *v = h->get(obj, key);
    if (v == NULL)
        return required ? kit_fail(h, r, at, key, "is required") : CEV_PLUGIN_OK;
    if (h->type(v) != CEV_STRING || h->string(v)[0] == '\0')
        return kit_fail(h, r, at, key, "must be a non-empty string");
    *out = h->string(v);
    return CEV_PLUGIN_OK;
}

int kit_date(const cev_host *h, const cev_value *obj, const char *at, const char *key,
             int required, int *present, int32_t *day, cev_report *r)
{
    const char *s = NULL;
    int rc = kit_string(h, obj, at, key, required, &s, r);
    if (rc != CEV_PLUGIN_OK || s == NULL)
        return rc;
    if (h->date(s, day) != CEV_PLUGIN_OK)
        return kit_fail(h, r, at, key, "\"%s\" is not a date YYYY-MM-DD", s);
    *present = 1;
    return CEV_PLUGIN_OK;
}

char *kit_strdup(const cev_host *h, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = h->alloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* ---- the grid ---------------------------------------------------------- */

static int parse_criterion(const cev_host *h, const cev_value *c, const char *at,
                           int per_item_max, double scale_max, cev_decl *decl,
                           kit_criterion *out, cev_report *r)
{
    static const char *const keys_scale[] = {"id", "competency", "label", "eliminatory", NULL};
    static const char *const keys_item[] = {"id",  "competency", "label", "eliminatory",
                                            "max", "weight",     NULL};
    const char *id = NULL, *comp = NULL, *label = NULL;
    int rc;
    if ((rc = kit_only(h, c, at, per_item_max ? keys_item : keys_scale, r)) ||
        (rc = kit_string(h, c, at, "id", 1, &id, r)) ||
        (rc = kit_string(h, c, at, "competency", 1, &comp, r)) ||
        (rc = kit_string(h, c, at, "label", 0, &label, r)) ||
        (rc = kit_bool(h, c, at, "eliminatory", &out->eliminatory, r)))
        return rc;
    out->max = scale_max;
    out->weight = 1.0;
    if (per_item_max && ((rc = kit_number(h, c, at, "max", 1, 0, 1e6, &out->max, r)) ||
                         (rc = kit_number(h, c, at, "weight", 0, 0, 1e6, &out->weight, r))))
        return rc;
    if (!(out->max > 0))
        return kit_fail(h, r, at, "max", "must be greater than 0");
    if (!(out->weight > 0))
        return kit_fail(h, r, at, "weight", "must be greater than 0");
    if (h->declare(decl, comp) != CEV_PLUGIN_OK)
        return kit_fail(h, r, at, "competency",
                        "\"%s\" is not a competency of this assessment's block", comp);
    out->id = kit_strdup(h, id);
    out->competency = kit_strdup(h, comp);
    if (!out->id || !out->competency)
        return CEV_PLUGIN_ENOMEM;
    return CEV_PLUGIN_OK;
}

int kit_grid_parse(const cev_host *h, const cev_value *config, int per_item_max,
                   double scale_max, cev_decl *decl, kit_grid *g, cev_report *r)
{
    memset(g, 0, sizeof *g);
    g->max_spread = -1;
    long min_assessors = 1;
    int rc = kit_integer(h, config, "", "min_assessors", 0, 1, 1000, &min_assessors, r);
    if (rc)
        return rc;
    g->min_assessors = (size_t)min_assessors;
    const cev_value *crit = h->get(config, "criteria");
    if (h->type(crit) != CEV_ARRAY)
        return h->fail(r, "criteria", "must be an array");
    size_t n = h->count(crit);
    if (n == 0)
        return CEV_PLUGIN_OK; /* a presence (or submission) check: nothing scored */
    if (n > KIT_MAX_ITEMS)
        return h->fail(r, "criteria", "has %zu criteria, at most %d", n, KIT_MAX_ITEMS);
    g->crit = h->alloc(n * sizeof *g->crit);
    if (g->crit == NULL)
        return CEV_PLUGIN_ENOMEM;
    size_t i = 0;
    for (const cev_value *c = h->first(crit); c; c = h->next(c), i++) {
        char at[32];
        snprintf(at, sizeof at, "criteria[%zu]", i);
        g->n = i + 1;
        rc = parse_criterion(h, c, at, per_item_max, scale_max, decl, &g->crit[i], r);
        if (rc != CEV_PLUGIN_OK)
            return rc;
        g->crit[i].first = i;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(g->crit[j].id, g->crit[i].id) == 0)
                return kit_fail(h, r, at, "id", "duplicate criterion id \"%s\"", g->crit[i].id);
            if (g->crit[i].first == i && strcmp(g->crit[j].competency, g->crit[i].competency) == 0)
                g->crit[i].first = j;
        }
    }
    return CEV_PLUGIN_OK;
}

void kit_grid_free(const cev_host *h, kit_grid *g)
{
    for (size_t i = 0; g->crit && i < g->n; i++) {
        h->free(g->crit[i].id);
        h->free(g->crit[i].competency);
    }
    h->free(g->crit);
    memset(g, 0, sizeof *g);
}

/* Validates one assessor's scores (every criterion, nothing else, in range)
 * and puts them in row[i], criterion i's; refusals at "assessors.<who>".
 * `slot` has room for g->n. */
static int check_assessor(const cev_host *h, const kit_grid *g, const cev_value *a,
                          const char *who, const cev_value **slot, double *row, cev_report *r)
{
    if (h->type(a) != CEV_OBJECT)
        return kit_fail(h, r, "assessors", who, "scores must be an object");
    for (size_t i = 0; i < g->n; i++)
        slot[i] = NULL;
    for (const cev_value *m = h->first(a); m; m = h->next(m)) {
        size_t i = 0;
        while (i < g->n && strcmp(g->crit[i].id, h->key(m)) != 0)
            i++;
        if (i == g->n)
            return kit_fail(h, r, "assessors", who, "scored unknown criterion \"%s\"",
                            h->key(m));
        slot[i] = m; /* keys are unique: the reader refuses duplicates */
    }
    for (size_t i = 0; i < g->n; i++) {
        if (slot[i] == NULL)
            return kit_fail(h, r, "assessors", who, "no score for criterion %s",
                            g->crit[i].id);
        if (h->type(slot[i]) != CEV_NUMBER)
            return kit_fail(h, r, "assessors", who, "criterion %s must be a number",
                            g->crit[i].id);
        double d = h->number(slot[i]);
        if (d < 0 || d > g->crit[i].max) {
            char dv[KIT_NUM_MAX], mv[KIT_NUM_MAX];
            return kit_fail(h, r, "assessors", who, "criterion %s = %s is outside [0, %s]",
                            g->crit[i].id, kit_shortest(dv, d), kit_shortest(mv, g->crit[i].max));
        }
        row[i] = d;
    }
    return CEV_PLUGIN_OK;
}

static int ascending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The scores of `na` assessors (their rows in `vals`, in evidence order):
 * flags, eliminations, then each competency once, in order of its first
 * criterion.  `col` has room for na values: a criterion's values are summed in
 * ascending order, so that the mean does not depend on the order in which
 * the evidence lists the assessors (floating-point addition is not
 * associative: 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit).
 * Equal values are the same bits but for 0 and -0, whose sums agree. */
static int grid_results(const cev_host *h, const kit_grid *g, const double *vals, size_t na,
                        double *sums, double *col, cev_result *res)
{
    int rc;
    for (size_t i = 0; i < g->n; i++) {
        double sum = 0, lo = INFINITY, hi = -INFINITY;
        for (size_t a = 0; a < na; a++)
            col[a] = vals[a * g->n + i];
        qsort(col, na, sizeof *col, ascending);
        for (size_t a = 0; a < na; a++) {
            double d = col[a];
            sum += d;
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        sums[i] = sum;
        double value = sum / (double)na;
        if (g->max_spread >= 0 && kit_above(hi - lo, g->max_spread) &&
            (rc = h->flag(res, "assessor_spread:%s", g->crit[i].id)) != CEV_PLUGIN_OK)
            return rc;
        if (g->crit[i].eliminatory && kit_below(value, g->crit[i].max / 2) &&
            (rc = h->eliminate(res, g->crit[i].competency)) != CEV_PLUGIN_OK)
            return rc;
    }
    for (size_t i = 0; i < g->n; i++) {
        if (g->crit[i].first != i)
            continue;
        double num = 0, den = 0;
        for (size_t j = i; j < g->n; j++) {
            if (g->crit[j].first != i)
                continue;
            num += g->crit[j].weight * (sums[j] / (double)na) / g->crit[j].max;
            den += g->crit[j].weight;
        }
        double s = num / den;
        s = s < 0 ? 0 : s > 1 ? 1 : s; /* rounding can step past the bounds */
        if ((rc = h->score(res, g->crit[i].competency, s)) != CEV_PLUGIN_OK)
            return rc;
    }
    return CEV_PLUGIN_OK;
}

int kit_grid_score(const cev_host *h, const kit_grid *g, const cev_value *evidence,
                   cev_result *res, cev_report *r)
{
    const cev_value *as = h->get(evidence, "assessors");
    /* the engine puts the path before each message (BC01.msp.assessors.J2: ...) */
    if (as != NULL && h->type(as) != CEV_OBJECT)
        return h->fail(r, "assessors", "must be an object");
    size_t na = as != NULL ? h->count(as) : 0;
    if (g->n == 0 && na == 0 && g->empty_as_absent)
        return CEV_PLUGIN_OK; /* a submission check: nothing to score, nobody to name */
    if (as == NULL)
        return h->fail(r, "assessors", "is required (assessor id -> scores by criterion)");
    if (na < g->min_assessors)
        return h->fail(r, "assessors", "%zu assessor(s), at least %zu required", na,
                       g->min_assessors);
    /* a row of g->n values per assessor, then the sums, then one criterion's
     * values; and one assessor's members by criterion: on the stack for the
     * usual grids */
    enum { LOCAL = 256 };
    double vlocal[LOCAL];
    const cev_value *slocal[KIT_MAX_ITEMS];
    size_t need = (na + 1) * g->n;
    if (g->n > 0 && (need / g->n != na + 1 || need + na < need ||
                     need + na > SIZE_MAX / sizeof(double)))
        return CEV_PLUGIN_ENOMEM;
    need += na;
    double *vals = need <= LOCAL ? vlocal : h->alloc(need * sizeof *vals);
    if (vals == NULL)
        return CEV_PLUGIN_ENOMEM;
    double *sums = vals + na * g->n;
    const cev_value **slot = slocal; /* g->n <= KIT_MAX_ITEMS */
    int rc = CEV_PLUGIN_OK;
    size_t a = 0;
    for (const cev_value *m = h->first(as); m && rc == CEV_PLUGIN_OK; m = h->next(m), a++) {
        if (h->key(m)[0] == '\0')
            rc = h->fail(r, "assessors", "an assessor id is empty");
        else if ((rc = check_assessor(h, g, m, h->key(m), slot, vals + a * g->n, r)) ==
                 CEV_PLUGIN_OK)
            rc = h->assessor(res, h->key(m));
    }
    if (rc == CEV_PLUGIN_OK)
        rc = grid_results(h, g, vals, na, sums, sums + g->n, res);
    if (vals != vlocal)
        h->free(vals);
    return rc;
}

int kit_scaled_grid_parse(const cev_host *h, const cev_value *config, cev_decl *decl,
                          kit_grid *g, cev_report *r)
{
    double scale_max = 0, max_spread = -1;
    int collective = 0, rc;
    memset(g, 0, sizeof *g);
    if ((rc = kit_number(h, config, "", "scale_max", 1, 0, 1e6, &scale_max, r)) ||
        (rc = kit_number(h, config, "", "max_spread", 0, 0, 1e6, &max_spread, r)) ||
        (rc = kit_bool(h, config, "", "collective", &collective, r)))
        return rc;
    if (!(scale_max > 0))
        return h->fail(r, "scale_max", "must be greater than 0");
    if ((rc = kit_grid_parse(h, config, 0, scale_max, decl, g, r)) != CEV_PLUGIN_OK)
        return rc;
    g->max_spread = max_spread;
    return CEV_PLUGIN_OK;
}

int kit_status(const cev_host *h, const cev_value *evidence, const char *const *allowed,
               const char **out, cev_report *r)
{
    const char *s = allowed[0];
    int rc = kit_string(h, evidence, "", "status", 0, &s, r);
    if (rc != CEV_PLUGIN_OK)
        return rc;
    for (size_t i = 0; allowed[i]; i++) {
        if (strcmp(allowed[i], s) == 0) {
            *out = allowed[i];
            return CEV_PLUGIN_OK;
        }
    }
    return h->fail(r, "status", "unknown status \"%s\"", s);
}
