/*
 * runner.c - a package's cases, each decided by one worker that records the
 * lines of rules.lua it runs.
 */
#include "certeval/certeval.h"

#include "base/file.h"
#include "base/json.h"
#include "base/schema.h"
#include "decide/pipeline.h"
#include "pkgtest/coverage.h"
#include "pkgtest/expect.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const case_keys[] = {"description", "record", "expect", NULL};

/* The case's record as a line: a string as is, an object printed. */
static int case_line(const cJSON *c, char **line, cev_error *err)
{
    const cJSON *record = cev_json_get(c, "record");
    *line = NULL;
    if (cJSON_IsString(record))
        *line = strdup(record->valuestring);
    else if (cJSON_IsObject(record))
        *line = cJSON_PrintUnformatted(record);
    else
        return cev_error_set(err, CEV_ESCHEMA, "record",
                             "record must be an object or a string (a raw line)");
    return *line ? CEV_OK : cev_error_nomem(err);
}

/* Runs one case file and tells its outcome.  CEV_OK, or CEV_ENOMEM (why in
 * *fatal) when the machine failed: that is no verdict on the case. */
static int run_case(cev_worker *w, const char *pkgdir, const char *rel,
                    const cev_pkgtest_hooks *h, cev_pkgtest_report *rep, cev_error *fatal)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/%s", pkgdir, rel);
    char *text = NULL, *line = NULL;
    size_t len;
    cJSON *c = NULL, *got = NULL;
    const cJSON *expect = NULL;
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
    if (rc == CEV_OK)
        rc = case_line(c, &line, &err);
    if (rc == CEV_OK) {
        cev_error rec_err;
        if (cev_worker_eval(w, line, strlen(line), 1, &out, &rec_err) == CEV_ENOMEM)
            rc = cev_error_nomem(&err);
        else if (w->undecided)
            rc = cev_error_set(&err, CEV_ENOMEM, "", "%s", rec_err.message);
        else if ((rc = cev_json_parse(out.data, out.len, 64, &got, &err)) != CEV_OK)
            rc = cev_error_set(&err, rc, "", "the record written is not JSON: %s", err.message);
    }
    int mismatches = 0;
    if (rc == CEV_OK && (mismatches = cev_expect_match(expect, got, &diff)) < 0)
        rc = cev_error_nomem(&err);
    if (rc == CEV_ENOMEM) {
        cev_error_set(fatal, CEV_ENOMEM, "", "%s: %s", path, err.message);
    } else {
        const cJSON *desc = cev_json_get(c, "description");
        cev_case_result r = {rel, cJSON_IsString(desc) ? desc->valuestring : NULL,
                             rc == CEV_OK && mismatches == 0, rc != CEV_OK ? err.message : NULL,
                             diff.data ? diff.data : "", out.data ? out.data : ""};
        rep->cases++;
        if (r.passed)
            rep->passed++;
        else
            rep->failed++;
        if (h->on_case)
            h->on_case(h->ctx, &r);
    }
    cJSON_Delete(c);
    cJSON_Delete(got);
    free(text);
    cJSON_free(line);
    cev_buf_close(&out);
    cev_buf_close(&diff);
    return rc == CEV_ENOMEM ? CEV_ENOMEM : CEV_OK;
}

/* The lines of rules.lua that can execute, and those the cases ran. */
static int measure(const cev_package *p, const cev_worker_slot *slot, cev_pkgtest_report *rep,
                   cev_error *err)
{
    cev_error why;
    int rc = cev_coverage_chunk_lines(p->rules_src, p->rules_len, &rep->executable,
                                      &rep->nlines, &why);
    if (rc == CEV_ENOMEM)
        return cev_error_set(err, rc, "", "%s: coverage: out of memory", p->rules_file);
    if (rc != CEV_OK) {
        snprintf(rep->unmeasured, sizeof rep->unmeasured, "%s", why.message);
        return CEV_OK;
    }
    if ((rep->ran = calloc(rep->nlines ? rep->nlines : 1, 1)) == NULL)
        return cev_error_nomem(err);
    const unsigned char *ran = slot->ready ? slot->rules.sb.lines : NULL;
    for (size_t i = 1; i < rep->nlines; i++) {
        rep->ran[i] = ran && i < slot->rules.sb.nlines && ran[i];
        rep->executable_lines += rep->executable[i];
        rep->covered_lines += rep->executable[i] && rep->ran[i];
    }
    rep->measured = 1;
    return CEV_OK;
}

static int is_case(const char *name)
{
    size_t l = strlen(name);
    return l > 5 && strcmp(name + l - 5, ".json") == 0;
}

cev_code cev_pkgtest_run(const char *plugins_dir, const char *pkgdir, const cev_pkgtest_hooks *hooks,
                    cev_pkgtest_report *rep, cev_error *err)
{
    static const cev_pkgtest_hooks none;
    memset(rep, 0, sizeof *rep);
    cev_engine eng;
    int rc = cev_engine_open_package(&eng, plugins_dir, pkgdir, 1, err);
    if (rc != CEV_OK)
        return rc;
    eng.track_lines = 1;
    const cev_package *p = eng.cat.pkgs[0];
    if ((rep->rules_file = strdup(p->rules_file)) == NULL) {
        cev_engine_close(&eng);
        return cev_error_nomem(err);
    }
    char tests[PATH_MAX];
    snprintf(tests, sizeof tests, "%s/tests", pkgdir);
    char **files = NULL;
    size_t n = 0;
    cev_error listing;
    rc = cev_file_list(tests, &files, &n, &listing);
    if (rc == CEV_ENOMEM) {
        cev_engine_close(&eng);
        return cev_error_set(err, rc, "", "out of memory");
    }
    if (rc != CEV_OK) /* no tests folder: no case */
        n = 0;
    cev_worker w;
    rc = cev_worker_init(&w, &eng);
    if (rc != CEV_OK) {
        cev_file_list_free(files, n);
        cev_engine_close(&eng);
        return cev_error_set(err, rc, "", "out of memory");
    }
    for (size_t i = 0; i < n && rc == CEV_OK; i++)
        if (is_case(files[i]))
            rc = run_case(&w, pkgdir, files[i], hooks ? hooks : &none, rep, err);
    if (rc == CEV_OK)
        rc = measure(p, &w.slots[0], rep, err);
    cev_worker_close(&w);
    cev_file_list_free(files, n);
    cev_engine_close(&eng);
    return rc;
}

void cev_pkgtest_report_close(cev_pkgtest_report *rep)
{
    free(rep->rules_file);
    free(rep->executable);
    free(rep->ran);
    memset(rep, 0, sizeof *rep);
}
