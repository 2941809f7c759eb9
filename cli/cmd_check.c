/*
 * cmd_check.c - `certeval check [-p DIR] PACKAGE...`: load each title
 * package as eval would (schema, plugins, configs, rules in the sandbox),
 * then check the packages together (overlapping versions of one title), and
 * print each problem with its file and field.  An operand that is a folder
 * of packages (a rules folder) stands for each of them.
 */
#include "cli.h"
#include "certeval/certeval.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval check [-p DIR] PACKAGE...\n\n"
               "Loads and lints title packages: title.json against the schema, every\n"
               "assessment's modality plugin and config, rules.lua compiled in the sandbox\n"
               "with its decide() entry point, and the validity periods of the versions of\n"
               "one title given together.  Every problem of a package is told, not only the\n"
               "first (but a title.json that is not JSON tells just that).  A PACKAGE that\n"
               "is a folder of packages (a rules folder) checks each of them.\n\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "\n"
               "Exit status: 0 every package is sound; 1 a problem was found (a package that\n"
               "would not load included, as `test` says); 2 bad usage, a PACKAGE that names\n"
               "no package, an unreadable title.json or plugin folder.\n");
}

/* Prints each problem of one package; CLI_PROBLEMS, or CLI_CANNOT_START
 * when memory ran out. */
static void on_package(void *ctx, const cev_check_result *r)
{
    int *unreadable = ctx;
    char message[CEV_MESSAGE_MAX];
    if (r->sound) { /* code and version are the package's words: no ESC, no newline */
        char code[256], version[256];
        printf("%s: ok (%s version %s%s, %zu %s, %zu %s)\n", r->dir,
               cli_defanged(code, sizeof code, r->code),
               cli_defanged(version, sizeof version, r->version), r->draft ? ", draft" : "",
               r->nblocks, cli_plural((long)r->nblocks, "block", "blocks"), r->nassess,
               cli_plural((long)r->nassess, "assessment", "assessments"));
        return;
    }
    for (size_t k = 0; k < r->nproblems; k++) {
        printf("%s: %s\n", r->dir, cli_defanged(message, sizeof message, r->problems[k].message));
        *unreadable |= r->problems[k].code == CEV_EIO; /* as test, which cannot start */
    }
    if (r->dropped)
        printf("%s: and %zu more %s\n", r->dir, r->dropped,
               cli_plural((long)r->dropped, "problem", "problems"));
    else if (r->nproblems > 1)
        printf("%s: %zu problems\n", r->dir, r->nproblems);
}

/* The package folders of every operand (a folder of packages stands for
 * each); an operand that names none is told and *unusable set. */
static int expand(char **operands, size_t n, char ***dirs, size_t *ndirs, int *unusable)
{
    *dirs = NULL;
    *ndirs = 0;
    for (size_t i = 0; i < n; i++) {
        char **some;
        size_t k;
        cev_error err;
        int rc = cev_package_folders(operands[i], &some, &k, &err);
        if (rc == CEV_EUSAGE) {
            cli_error("%s", err.message);
            *unusable = 1;
            continue;
        }
        char **more = rc == CEV_OK ? realloc(*dirs, (*ndirs + k) * sizeof *more) : NULL;
        if (more == NULL) {
            if (rc == CEV_OK)
                cev_package_folders_free(some, k);
            return CEV_ENOMEM;
        }
        for (size_t j = 0; j < k; j++)
            more[*ndirs + j] = some[j];
        free(some); /* its strings are in the list now */
        *dirs = more;
        *ndirs += k;
    }
    return CEV_OK;
}

int cmd_check(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 1, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    char **dirs;
    size_t n;
    int cannot = 0;
    if (expand(argv + optind, (size_t)(argc - optind), &dirs, &n, &cannot) != CEV_OK) {
        cev_package_folders_free(dirs, n);
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    const cev_check_hooks hooks = {&cannot, on_package};
    cev_error overlap, err;
    int rc = cev_check_packages(plugins, dirs, n, &hooks, &overlap, &err);
    cev_package_folders_free(dirs, n);
    if (rc < 0) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    if (overlap.code != CEV_OK) {
        char message[CEV_MESSAGE_MAX];
        printf("%s\n", cli_defanged(message, sizeof message, overlap.message));
    }
    return cannot ? CLI_CANNOT_START : rc ? CLI_PROBLEMS : CLI_OK;
}
