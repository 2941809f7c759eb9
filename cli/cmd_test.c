/*
 * cmd_test.c - `certeval test [-p DIR] PACKAGE...`: prints what the core's
 * package test runner (pkgtest/runner.h) tells: a diff per failed case, the
 * lines of rules.lua that no case ran (coverage), then "N passed, N failed".
 */
#include "cli.h"
#include "certeval/certeval.h"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval test [-p DIR] PACKAGE...\n\n"
               "Runs each title package's own cases (PACKAGE/tests/*.json): every case gives a\n"
               "candidate record and the decision expected, possibly only the fields it is\n"
               "about.  Prints a diff for each mismatch, the rule coverage (the lines of\n"
               "rules.lua no case ran), then 'N passed, N failed'.\n\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "\n"
               "Exit status: 0 every case passed, 1 a case failed, 2 a package did not load\n"
               "(the others are tested all the same).\n");
}

static void on_case(void *ctx, const cev_case_result *r)
{
    (void)ctx;
    char why[CEV_MESSAGE_MAX];
    if (r->passed)
        return;
    if (r->unusable) {
        printf("FAIL %s: unusable case: %s\n", r->file, cli_defanged(why, sizeof why, r->unusable));
        return;
    }
    printf("FAIL %s%s%s\n%s  record gave: %s", r->file, r->description ? ": " : "",
           r->description ? r->description : "", r->diff, r->got);
}

/* "  rules: coverage P% (run of total lines)" and the lines not run, as
 * ranges (each over the missed or non-executable lines that follow it). */
static void print_coverage(const cev_pkgtest_report *rep)
{
    if (!rep->measured) {
        printf("  %s: coverage unavailable: %s\n", rep->rules_file, rep->unmeasured);
        return;
    }
    size_t total = rep->executable_lines, covered = rep->covered_lines, n = rep->nlines;
    const unsigned char *exe = rep->executable, *ran = rep->ran;
    printf("  %s: coverage %zu%% (%zu of %zu lines)", rep->rules_file,
           total ? covered * 100 / total : 100, covered, total);
    const char *sep = "; not run: lines ";
    for (size_t i = 1; i < n; i++) {
        if (!exe[i] || ran[i])
            continue;
        size_t j = i;
        while (j + 1 < n && (!exe[j + 1] || !ran[j + 1]))
            j++;
        while (!exe[j])
            j--;
        printf(j > i ? "%s%zu-%zu" : "%s%zu", sep, i, j);
        sep = ", ";
        i = j;
    }
    printf("\n");
}

int cmd_test(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 1, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    size_t passed = 0, failed = 0;
    int refused = 0; /* packages that did not load: the others are still tested */
    const cev_pkgtest_hooks hooks = {NULL, on_case};
    for (int i = optind; i < argc; i++) {
        cev_pkgtest_report rep;
        cev_error err;
        if (cev_pkgtest_run(plugins, argv[i], &hooks, &rep, &err) != CEV_OK) {
            cli_error("%s", err.message);
            refused++;
        } else {
            printf("%s: %zu cases\n", argv[i], rep.cases);
            print_coverage(&rep);
        }
        passed += rep.passed;
        failed += rep.failed;
        cev_pkgtest_report_close(&rep);
    }
    printf("%zu passed, %zu failed", passed, failed);
    if (refused)
        printf("; %d package%s not tested", refused, refused > 1 ? "s" : "");
    printf("\n");
    return refused ? CLI_CANNOT_START : failed ? CLI_PROBLEMS : CLI_OK;
}
