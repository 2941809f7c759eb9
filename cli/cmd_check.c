/*
 * cmd_check.c - `certeval check [-p DIR] PACKAGE...`: load each title
 * package as eval would (schema, plugins, configs, rules in the sandbox) and
 * print each problem with its file and field.
 */
#include "cli.h"
#include "pipeline.h"

#include <limits.h>
#include <unistd.h>
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval check [-p DIR] PACKAGE...\n\n"
               "Loads and lints title packages: title.json against the schema, every\n"
               "assessment's modality plugin and config, and rules.lua compiled in the\n"
               "sandbox with its decide() entry point.\n\n"
               "  -p, --plugins DIR  plugin folder (default: $CERTEVAL_PLUGINS, the installed\n"
               "                     folder, or the build tree's)\n"
               "  -h, --help         this help\n\n"
               "Exit status: 0 every package is sound, 1 a problem was found, 2 bad usage.\n");
}

int cmd_check(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 1, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    cev_registry reg; /* a plugin folder that cannot be read stops the check */
    cev_error err;
    if (cev_registry_open(&reg, plugins, &err) != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    cev_registry_close(&reg);
    status = CLI_OK;
    for (int i = optind; i < argc; i++) {
        cev_engine eng;
        if (cev_engine_open_package(&eng, plugins, argv[i], 1, &err) != CEV_OK) {
            printf("%s: %s\n", argv[i], err.message);
            status = CLI_PROBLEMS;
            continue;
        }
        const cev_package *p = eng.cat.pkgs[0];
        printf("%s: ok (%s version %s%s, %zu blocks, %zu assessments)\n", argv[i], p->code,
               p->version, p->draft ? ", draft" : "", p->nblocks, p->nassess);
        cev_engine_close(&eng);
    }
    return status;
}
