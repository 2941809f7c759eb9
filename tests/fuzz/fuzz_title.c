/*
 * fuzz_title.c - libFuzzer: one input = one title.json, loaded as a package
 * (schema, dates, routes, equivalences, every plugin's configure()), then
 * linted as `check` does, going on past each problem.  The two must agree:
 * a package that loads lints clean, and a refused one lints with the
 * refusal as its first problem.
 * The input is written to a package folder of its own (harness state).
 */
#include "package/package.h"
#include "plugin/registry.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cev_registry reg;
static char dir[256], title[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cev_error err;
    if (cev_registry_open(&reg, CEV_FUZZ_PLUGINS_DIR, &err) != CEV_OK)
        abort();
    snprintf(dir, sizeof dir, "/tmp/cev-fuzz-title-%ld", (long)getpid());
    mkdir(dir, 0700);
    snprintf(title, sizeof title, "%s/title.json", dir);
    char rules[300];
    snprintf(rules, sizeof rules, "%s/rules.lua", dir);
    FILE *f = fopen(rules, "w");
    if (f == NULL || fputs("function decide(c) end\n", f) < 0 || fclose(f) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(title, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    cev_package *p, *q;
    cev_error err, first;
    int loaded = cev_package_load(dir, &reg, &p, &err);
    cev_package_free(p);
    cev_errlist all;
    cev_errlist_init(&all);
    int linted = cev_package_lint(dir, &reg, &all, &q, &first);
    cev_package_free(q);
    if (loaded != CEV_ENOMEM && linted != CEV_ENOMEM) {
        if ((loaded == CEV_OK) != (cev_errlist_count(&all) == 0))
            abort();
        if (loaded != CEV_OK && (strcmp(err.path, all.items[0].path) != 0 ||
                                 strcmp(err.message, all.items[0].message) != 0 ||
                                 strcmp(err.message, first.message) != 0))
            abort();
    }
    cev_errlist_close(&all);
    return 0;
}
