/*
 * cmd_check.c - `certeval check [-p DIR] PACKAGE...`: load each title
 * package as eval would (schema, plugins, configs, rules in the sandbox),
 * then check the packages together (overlapping versions of one title), and
 * print each problem with its file and field.
 */
#include "cli.h"
#include "certeval/certeval.h"

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
static void on_package(void *ctx, const cev_check_result *r)
{
    (void)ctx;
    char message[CEV_MESSAGE_MAX];
    if (r->sound) { /* code and version are the package's words: no ESC, no newline */
        char code[256], version[256];
        printf("%s: ok (%s version %s%s, %zu blocks, %zu assessments)\n", r->dir,
               cli_defanged(code, sizeof code, r->code),
               cli_defanged(version, sizeof version, r->version), r->draft ? ", draft" : "",
               r->nblocks, r->nassess);
        return;
    }
    for (size_t k = 0; k < r->nproblems; k++)
        printf("%s: %s\n", r->dir, cli_defanged(message, sizeof message, r->problems[k].message));
    if (r->dropped)
        printf("%s: and %zu more problems\n", r->dir, r->dropped);
    else if (r->nproblems > 1)
        printf("%s: %zu problems\n", r->dir, r->nproblems);
}

int cmd_check(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 1, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    const cev_check_hooks hooks = {NULL, on_package};
    cev_error overlap, err;
    int rc = cev_check_packages(plugins, argv + optind, (size_t)(argc - optind), &hooks, &overlap,
                                &err);
    if (rc < 0) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    if (overlap.code != CEV_OK) {
        char message[CEV_MESSAGE_MAX];
        printf("%s\n", cli_defanged(message, sizeof message, overlap.message));
    }
    return rc ? CLI_PROBLEMS : CLI_OK;
}
