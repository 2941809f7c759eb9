/*
 * cmd_check.c - `certeval check [-p DIR] PACKAGE...`: load each title
 * package as eval would (schema, plugins, configs, rules in the sandbox),
 * then check the packages together (overlapping versions of one title), and
 * print each problem with its file and field.
 */
#include "cli.h"
#include "decide/rules.h"
#include "package/catalog.h"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval check [-p DIR] PACKAGE...\n\n"
               "Loads and lints title packages: title.json against the schema, every\n"
               "assessment's modality plugin and config, rules.lua compiled in the sandbox\n"
               "with its decide() entry point, and the validity periods of the versions of\n"
               "one title given together (rules/* checks them all).\n\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "\n"
               "Exit status: 0 every package is sound, 1 a problem was found, 2 bad usage.\n");
}

/* Prints each problem of one package; CLI_PROBLEMS, or CLI_CANNOT_START
 * when memory ran out. */
static int report(const char *package, cev_errlist *all, int oom)
{
    for (size_t k = 0; k < all->n; k++) {
        cli_defang(all->items[k].message);
        printf("%s: %s\n", package, all->items[k].message);
    }
    if (all->dropped)
        printf("%s: and %zu more problems\n", package, all->dropped);
    else if (all->n > 1)
        printf("%s: %zu problems\n", package, all->n);
    if (oom) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    return CLI_PROBLEMS;
}

int cmd_check(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 1, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    cev_registry reg;
    if (cli_open_registry(plugins, &reg) != CLI_OK)
        return CLI_CANNOT_START;
    cev_error err;
    cev_catalog loaded = {NULL, 0}; /* the sound packages, checked together at the end */
    status = CLI_OK;
    for (int i = optind; i < argc && status != CLI_CANNOT_START; i++) {
        cev_errlist all;
        cev_errlist_init(&all);
        cev_package *p;
        int rc = cev_package_lint(argv[i], &reg, &all, &p, &err);
        if (rc != CEV_ENOMEM && p && p->rules_src) { /* even when title.json had problems */
            int rules = cev_rules_check(p, &err);
            if (rules == CEV_ENOMEM ||
                (rules != CEV_OK && cev_errlist_add(&all, &err) != CEV_OK))
                rc = CEV_ENOMEM;
        }
        if (rc != CEV_ENOMEM && cev_errlist_count(&all) == 0 &&
            cev_catalog_add(&loaded, p) == CEV_OK) {
            printf("%s: ok (%s version %s%s, %zu blocks, %zu assessments)\n", argv[i], p->code,
                   p->version, p->draft ? ", draft" : "", p->nblocks, p->nassess);
        } else {
            status = report(argv[i], &all, cev_errlist_count(&all) == 0 || rc == CEV_ENOMEM);
            cev_package_free(p);
        }
        cev_errlist_close(&all);
    }
    if (status != CLI_CANNOT_START && cev_catalog_check_overlaps(&loaded, &err) != CEV_OK) {
        cli_defang(err.message);
        printf("%s\n", err.message);
        status = CLI_PROBLEMS;
    }
    cev_catalog_close(&loaded);
    cev_registry_close(&reg);
    return status;
}
