/*
 * cmd_test.c - `certeval test [-p DIR] PACKAGE...`: run each package's own
 * cases, PACKAGE/tests/ *.json, one case per file:
 *
 *   {"description": "...",            optional
 *    "record": {...} | "raw line",    the candidate record (a string is fed as is)
 *    "expect": {...}}                 the decision or error record expected,
 *                                     possibly only the fields the case is about
 *
 * Matching rules: core/expect.h.  Prints a diff per mismatch, the lines of
 * rules.lua that no case ran (coverage), then "N passed, N failed".
 */
#include "base/file.h"
#include "base/json.h"
#include "base/schema.h"
#include "base/sha256.h"
#include "cli.h"
#include "decide/pipeline.h"
#include "pkgtest/coverage.h"
#include "pkgtest/expect.h"

#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

typedef struct tally {
    int passed, failed;
} tally;

static const char *const case_keys[] = {"description", "record", "expect", NULL};

/* Runs one case file; prints what failed.  CEV_OK, or CEV_ENOMEM (why in *fatal)
 * when the machine failed: that is no verdict on the case. */
static int run_case(cev_worker *w, const char *pkgdir, const char *rel, tally *t,
                    cev_error *fatal)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/%s", pkgdir, rel);
    char *text = NULL, *line = NULL;
    size_t len;
    cJSON *c = NULL, *got = NULL;
    const cJSON *record, *expect;
    cev_error err;
    cev_schema s = {CEV_ESCHEMA, &err};
    cev_buf out, diff;
    cev_buf_init(&out);
    cev_buf_init(&diff);
    int rc = cev_file_read(path, &text, &len, &err);
    if (rc == CEV_OK)
        rc = cev_json_parse(text, len, 64, &c, &err);
    if (rc == CEV_OK)
        rc = cev_schema_object(&s, c, "", case_keys);
    if (rc == CEV_OK)
        rc = cev_schema_container(&s, c, "", "expect", 1, 1, &expect);
    if (rc == CEV_OK) {
        record = cev_json_get(c, "record");
        if (cJSON_IsString(record))
            line = strdup(record->valuestring);
        else if (cJSON_IsObject(record))
            line = cJSON_PrintUnformatted(record);
        else
            rc = cev_error_set(&err, CEV_ESCHEMA, "record",
                               "record must be an object or a string (a raw line)");
        if (rc == CEV_OK && line == NULL)
            rc = cev_error_set(&err, CEV_ENOMEM, "", "out of memory");
    }
    if (rc == CEV_OK) {
        cev_error rec_err;
        if (cev_worker_eval(w, line, strlen(line), 1, &out, &rec_err) == CEV_ENOMEM)
            rc = cev_error_set(&err, CEV_ENOMEM, "", "out of memory");
        else if (w->undecided)
            rc = cev_error_set(&err, CEV_ENOMEM, "", "%s", rec_err.message);
        else if ((rc = cev_json_parse(out.data, out.len, 64, &got, &err)) != CEV_OK)
            rc = cev_error_set(&err, rc, "", "the record written is not JSON: %s", err.message);
    }
    int mismatches = 0;
    if (rc == CEV_OK && (mismatches = cev_expect_match(expect, got, &diff)) < 0)
        rc = cev_error_set(&err, CEV_ENOMEM, "", "out of memory");
    const cJSON *desc = cev_json_get(c, "description");
    if (rc == CEV_ENOMEM) {
        snprintf(fatal->message, sizeof fatal->message, "%s: %s", path, err.message);
    } else if (rc != CEV_OK) {
        cli_defang(err.message);
        printf("FAIL %s: unusable case: %s\n", rel, err.message);
        t->failed++;
    } else if (mismatches > 0) {
        printf("FAIL %s%s%s\n%s  record gave: %s", rel, cJSON_IsString(desc) ? ": " : "",
               cJSON_IsString(desc) ? desc->valuestring : "", diff.data, out.data);
        t->failed++;
    } else {
        t->passed++;
    }
    cJSON_Delete(c);
    cJSON_Delete(got);
    free(text);
    cJSON_free(line);
    cev_buf_close(&out);
    cev_buf_close(&diff);
    return rc == CEV_ENOMEM ? CEV_ENOMEM : CEV_OK;
}

/* Prints "  rules: coverage P% (run of total lines)" and the lines not run,
 * as ranges.  CEV_OK, or CEV_ENOMEM (said on stderr). */
static int report_coverage(const cev_package *p, const cev_worker_slot *slot)
{
    unsigned char *exe;
    size_t n;
    cev_error err;
    int rc = cev_coverage_chunk_lines(p->rules_src, p->rules_len, &exe, &n, &err);
    if (rc == CEV_ENOMEM) {
        cli_error("%s: coverage: out of memory", p->rules_file);
        return rc;
    }
    if (rc != CEV_OK) {
        printf("  %s: coverage unavailable: %s\n", p->rules_file, err.message);
        return CEV_OK;
    }
    const unsigned char *ran = slot->ready ? slot->rules.sb.lines : NULL;
    size_t total = 0, covered = 0;
    for (size_t i = 1; i < n; i++) {
        total += exe[i];
        covered += exe[i] && ran && i < slot->rules.sb.nlines && ran[i];
    }
    printf("  %s: coverage %zu%% (%zu of %zu lines)", p->rules_file,
           total ? covered * 100 / total : 100, covered, total);
    const char *sep = "; not run: lines ";
    for (size_t i = 1; i < n; i++) {
        if (!exe[i] || (ran && ran[i]))
            continue;
        size_t j = i; /* extend over missed or non-executable lines */
        while (j + 1 < n && (!exe[j + 1] || !(ran && ran[j + 1])))
            j++;
        while (!exe[j])
            j--;
        printf(j > i ? "%s%zu-%zu" : "%s%zu", sep, i, j);
        sep = ", ";
        i = j;
    }
    printf("\n");
    free(exe);
    return CEV_OK;
}

/* CLI_OK, or CLI_CANNOT_START when the package does not load or the
 * machine fails (said on stderr). */
static int test_package(const char *plugins, const char *pkgdir, tally *t)
{
    cev_engine eng;
    cev_error err;
    if (cev_engine_open_package(&eng, plugins, pkgdir, 1, &err) != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    eng.track_lines = 1;
    char tests[PATH_MAX];
    snprintf(tests, sizeof tests, "%s/tests", pkgdir);
    char **files = NULL;
    size_t n = 0;
    cev_worker w;
    int status = CLI_OK, rc = cev_file_list(tests, &files, &n, &err);
    if (rc != CEV_OK)
        n = 0; /* no tests folder: no case */
    if (rc == CEV_ENOMEM || cev_worker_init(&w, &eng) != CEV_OK) {
        cli_error("out of memory");
        cev_file_list_free(files, n);
        cev_engine_close(&eng);
        return CLI_CANNOT_START;
    }
    size_t cases = 0;
    for (size_t i = 0; i < n && status == CLI_OK; i++) {
        size_t l = strlen(files[i]);
        if (l > 5 && strcmp(files[i] + l - 5, ".json") == 0) {
            cev_error fatal;
            if (run_case(&w, pkgdir, files[i], t, &fatal) != CEV_OK) {
                cli_error("%s", fatal.message);
                status = CLI_CANNOT_START;
            }
            cases++;
        }
    }
    if (status == CLI_OK) {
        printf("%s: %zu cases\n", pkgdir, cases);
        if (report_coverage(eng.cat.pkgs[0], &w.slots[0]) != CEV_OK)
            status = CLI_CANNOT_START;
    }
    cev_worker_close(&w);
    cev_file_list_free(files, n);
    cev_engine_close(&eng);
    return status;
}

int cmd_test(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 1, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    tally t = {0, 0};
    int refused = 0; /* packages that did not load: the others are still tested */
    for (int i = optind; i < argc; i++)
        refused += test_package(plugins, argv[i], &t) != CLI_OK;
    printf("%d passed, %d failed", t.passed, t.failed);
    if (refused)
        printf("; %d package%s not tested", refused, refused > 1 ? "s" : "");
    printf("\n");
    return refused ? CLI_CANNOT_START : t.failed ? CLI_PROBLEMS : CLI_OK;
}
