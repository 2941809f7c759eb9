/*
 * check.c - each package linted (every problem kept), its rules compiled;
 * the sound ones gathered in a catalog to check their validity periods.
 */
#include "certeval/certeval.h"

#include "base/error.h"
#include "decide/rules.h"
#include "package/catalog.h"

#include <string.h>

/* Lints one package into `all`; *p the package (NULL when title.json could
 * not be read at all).  CEV_OK or CEV_ENOMEM. */
static int lint_one(const char *dir, const cev_registry *reg, cev_errlist *all, cev_package **p,
                    cev_error *err)
{
    int rc = cev_package_lint(dir, reg, all, p, err);
    if (rc != CEV_ENOMEM && *p && (*p)->rules_src) { /* even when title.json had problems */
        int rules = cev_rules_check(*p, err);
        if (rules == CEV_ENOMEM || (rules != CEV_OK && cev_errlist_add(all, err) != CEV_OK))
            rc = CEV_ENOMEM;
    }
    return rc == CEV_ENOMEM ? cev_error_set(err, rc, "", "out of memory") : CEV_OK;
}

cev_code cev_check_packages(const char *plugins_dir, char *const *dirs, size_t n,
                       const cev_check_hooks *hooks, cev_error *overlap, cev_error *err)
{
    cev_error_clear(overlap);
    cev_registry reg;
    int rc = cev_registry_open(&reg, plugins_dir, err);
    if (rc != CEV_OK)
        return rc;
    cev_catalog sound = {NULL, 0};
    int problems = 0;
    for (size_t i = 0; i < n && rc == CEV_OK; i++) {
        cev_errlist all;
        cev_errlist_init(&all);
        cev_package *p = NULL;
        rc = lint_one(dirs[i], &reg, &all, &p, err);
        cev_check_result r = {.dir = dirs[i]};
        if (rc == CEV_OK && cev_errlist_count(&all) == 0) {
            if ((rc = cev_catalog_add(&sound, p)) != CEV_OK) {
                cev_package_free(p);
                rc = cev_error_set(err, rc, "", "out of memory");
            } else {
                r.sound = 1;
                r.code = p->code;
                r.version = p->version;
                r.draft = p->draft;
                r.nblocks = p->nblocks;
                r.nassess = p->nassess;
            }
        } else {
            cev_package_free(p);
            r.problems = all.items;
            r.nproblems = all.n;
            r.dropped = all.dropped;
            problems += rc == CEV_OK;
        }
        if (rc == CEV_OK && hooks && hooks->on_package)
            hooks->on_package(hooks->ctx, &r);
        cev_errlist_close(&all);
    }
    if (rc == CEV_OK && cev_catalog_check_overlaps(&sound, overlap) != CEV_OK)
        problems++;
    cev_catalog_close(&sound);
    cev_registry_close(&reg);
    return rc != CEV_OK ? rc : problems ? CEV_PROBLEMS : CEV_OK;
}
