/*
 * cmd_check.c - `certeval check [-p DIR] PACKAGE...`: load each title
 * package as eval would (schema, plugins, configs, rules in the sandbox),
 * then check the packages together (overlapping versions of one title), and
 * print each problem with its file and field.
 */
#include "catalog.h"
#include "cli.h"
#include "rules.h"

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
    for (int i = optind; i < argc; i++) {
        cev_package *p;
        if (cev_package_load(argv[i], &reg, &p, &err) == CEV_OK &&
            cev_rules_check(p, &err) != CEV_OK) {
            cev_package_free(p);
            p = NULL;
        }
        if (p == NULL) {
            cli_defang(err.message);
            printf("%s: %s\n", argv[i], err.message);
            status = CLI_PROBLEMS;
            continue;
        }
        printf("%s: ok (%s version %s%s, %zu blocks, %zu assessments)\n", argv[i], p->code,
               p->version, p->draft ? ", draft" : "", p->nblocks, p->nassess);
        if (cev_catalog_add(&loaded, p) != CEV_OK) {
            cev_package_free(p);
            cli_error("out of memory");
            status = CLI_CANNOT_START;
            break;
        }
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
