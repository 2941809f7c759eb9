/*
 * runner.c - a package's cases, each decided by one worker that records the
 * lines of rules.lua it runs.  A case may start from a base record of tests/
 * (*.base.json, never run as a case): its "record" is then a JSON merge
 * patch over it (merge.h).
 */
#include "certeval/certeval.h"

#include "base/file.h"
#include "base/json.h"
#include "base/schema.h"
#include "decide/pipeline.h"
#include "pkgtest/coverage.h"
#include "pkgtest/expect.h"
#include "pkgtest/merge.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const case_keys[] = {"description", "base", "record", "expect", NULL};

static int ends_with(const char *s, const char *tail)
{
    size_t l = strlen(s), t = strlen(tail);
    return l > t && strcmp(s + l - t, tail) == 0;
}

/* A base record: a file of tests/ named *.base.json, never run as a case. */
static int is_base(const char *name)
{
    return ends_with(name, ".base.json");
}

static int is_case(const char *name)
{
    return ends_with(name, ".json") && !is_base(name);
}

/* PATTERN over a case's file name or description: a glob when it holds a
 * glob character, else a part of the text. */
static int matches(const char *pattern, const char *text)
{
    return strpbrk(pattern, "*?[") ? fnmatch(pattern, text, 0) == 0
                                   : strstr(text, pattern) != NULL;
}

static int selected(const char *pattern, const char *file, const cJSON *c)
{
    const cJSON *d = cev_json_get(c, "description");
    return pattern == NULL || matches(pattern, file) ||
           (cJSON_IsString(d) && matches(pattern, d->valuestring));
}

/* The record a case names "base": tests/<base>, a *.base.json file holding
 * one record object.  The tree is the caller's. */
static int read_base(const char *tests, const cJSON *base, cJSON **out, cev_error *err)
{
    *out = NULL;
    if (!cJSON_IsString(base) || !is_base(base->valuestring) || base->valuestring[0] == '/' ||
        strstr(base->valuestring, ".."))
        return cev_error_set(err, CEV_ESCHEMA, "base",
                             "base must name a *.base.json file of the tests folder");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", tests, base->valuestring);
    char *text = NULL;
    size_t len;
    int rc = cev_file_read(path, &text, &len, err);
    if (rc == CEV_OK)
        rc = cev_json_parse(text, len, 64, out, err);
    free(text);
    if (rc == CEV_ENOMEM)
        return rc;
    if (rc != CEV_OK)
        return cev_error_set(err, CEV_ESCHEMA, "base", "base %s: %s", base->valuestring,
                             err->message);
    if (!cJSON_IsObject(*out)) {
        cJSON_Delete(*out);
        *out = NULL;
        return cev_error_set(err, CEV_ESCHEMA, "base", "base %s must hold one record (an object)",
                             base->valuestring);
    }
    return CEV_OK;
}

/* The case's record as a line: a string as is, an object printed; with a
 * base, the case's record (an object, or nothing) merged over it. */
static int case_line(const char *tests, const cJSON *c, char **line, cev_error *err)
{
    const cJSON *record = cev_json_get(c, "record"), *base = cev_json_get(c, "base");
    *line = NULL;
    if (base == NULL) {
        if (cJSON_IsString(record))
            *line = strdup(record->valuestring);
        else if (cJSON_IsObject(record))
            *line = cJSON_PrintUnformatted(record);
        else
            return cev_error_set(err, CEV_ESCHEMA, "record",
                                 "record must be an object or a string (a raw line)");
        return *line ? CEV_OK : cev_error_nomem(err);
    }
    if (record && !cJSON_IsObject(record))
        return cev_error_set(err, CEV_ESCHEMA, "record",
                             "record must be an object over a base: the members that differ");
    cJSON *merged;
    int rc = read_base(tests, base, &merged, err);
    if (rc == CEV_OK && record && cev_merge_patch(&merged, record) != CEV_OK)
        rc = cev_error_nomem(err);
    if (rc == CEV_OK && (*line = cJSON_PrintUnformatted(merged)) == NULL)
        rc = cev_error_nomem(err);
    cJSON_Delete(merged);
    return rc;
}

/* A case's parts: its expectation, and its record as a line. */
static int read_case(const char *tests, const cJSON *c, const cJSON **expect, char **line,
                     cev_error *err)
{
    cev_schema s = {CEV_ESCHEMA, err};
    const char *vague;
    int rc = cev_schema_object(&s, c, "", case_keys);
    if (rc == CEV_OK)
        rc = cev_schema_container(&s, c, "", "expect", 1, 1, expect);
    if (rc == CEV_OK && (vague = cev_expect_vague(*expect)) != NULL)
        rc = cev_error_set(err, CEV_ESCHEMA, "expect.error", "expect.error %s", vague);
    if (rc == CEV_OK)
        rc = case_line(tests, c, line, err);
    return rc;
}

/* Runs one case file (when selected) and tells its outcome.  CEV_OK, or
 * CEV_ENOMEM (why in *fatal) when the machine failed: that is no verdict on
 * the case. */
static int run_case(cev_worker *w, const char *pkgdir, const char *rel, const char *pattern,
                    const cev_pkgtest_hooks *h, cev_pkgtest_report *rep, cev_error *fatal)
{
    char tests[PATH_MAX], path[PATH_MAX];
    snprintf(tests, sizeof tests, "%s/tests", pkgdir);
    snprintf(path, sizeof path, "%s/%s", tests, rel);
    char *text = NULL, *line = NULL;
    size_t len;
    cJSON *c = NULL, *got = NULL;
    const cJSON *expect = NULL;
    cev_error err;
    cev_buf out, diff;
    cev_buf_init(&out);
    cev_buf_init(&diff);
    int rc = cev_file_read(path, &text, &len, &err);
    if (rc == CEV_OK)
        rc = cev_json_parse(text, len, 64, &c, &err);
    /* a case that cannot be read is selected by its file name alone */
    int chosen = c ? selected(pattern, rel, c) : pattern == NULL || matches(pattern, rel);
    if (rc == CEV_OK && chosen)
        rc = read_case(tests, c, &expect, &line, &err);
    if (rc == CEV_OK && chosen) {
        cev_error rec_err;
        if (cev_worker_eval(w, line, strlen(line), 1, &out, &rec_err) == CEV_ENOMEM)
            rc = cev_error_nomem(&err);
        else if (w->undecided)
            rc = cev_error_set(&err, CEV_ENOMEM, "", "%s", rec_err.message);
        else if ((rc = cev_json_parse(out.data, out.len, 64, &got, &err)) != CEV_OK)
            rc = cev_error_set(&err, rc, "", "the record written is not JSON: %s", err.message);
    }
    int mismatches = 0;
    if (rc == CEV_OK && chosen && (mismatches = cev_expect_match(expect, got, &diff)) < 0)
        rc = cev_error_nomem(&err);
    if (rc == CEV_ENOMEM) {
        cev_error_set(fatal, CEV_ENOMEM, "", "%s: %s", path, err.message);
    } else if (chosen) {
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

/* The package folder above a case file and the case's path in its tests/
 * folder (the last "tests" component of the path); 0 when there is none. */
static int split_case_path(const char *file, cev_buf *pkgdir, const char **rel)
{
    const char *at = NULL;
    for (const char *p = file; (p = strstr(p, "tests/")) != NULL; p++)
        if (p == file || p[-1] == '/')
            at = p;
    if (at == NULL || at[6] == '\0')
        return 0;
    *rel = at + 6;
    if (at == file)
        return cev_buf_puts(pkgdir, ".") == CEV_OK ? 1 : -1;
    size_t n = (size_t)(at - file) - 1; /* without the '/' before "tests" */
    return cev_buf_append(pkgdir, file, n ? n : 1) == CEV_OK ? 1 : -1;
}

/* `target` as a package folder and, when it is a case file, the case. */
static int locate(const char *target, cev_buf *pkgdir, char **only, cev_error *err)
{
    struct stat st;
    *only = NULL;
    if (stat(target, &st) != 0)
        return cev_error_set(err, CEV_EUSAGE, "", "%s: %s", target, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return cev_buf_puts(pkgdir, target) == CEV_OK ? CEV_OK : cev_error_nomem(err);
    const char *rel = NULL;
    char real[PATH_MAX];
    int found = split_case_path(target, pkgdir, &rel);
    if (found == 0 && realpath(target, real) != NULL)
        found = split_case_path(real, pkgdir, &rel);
    if (found < 0)
        return cev_error_nomem(err);
    if (found == 0)
        return cev_error_set(err, CEV_EUSAGE, "",
                             "%s: a case file lies in the tests folder of a package", target);
    if (is_base(rel))
        return cev_error_set(err, CEV_EUSAGE, "", "%s: a base record, not a case", target);
    if (!is_case(rel))
        return cev_error_set(err, CEV_EUSAGE, "", "%s: not a case file (*.json)", target);
    return (*only = strdup(rel)) ? CEV_OK : cev_error_nomem(err);
}

/* The cases to run: the one named, or every case file of tests/. */
static int list_cases(const char *pkgdir, char *only, char ***files, size_t *n, cev_error *err)
{
    *files = NULL;
    *n = 0;
    if (only) {
        if ((*files = malloc(sizeof **files)) == NULL)
            return cev_error_nomem(err);
        (*files)[0] = only;
        *n = 1;
        return CEV_OK;
    }
    char tests[PATH_MAX];
    snprintf(tests, sizeof tests, "%s/tests", pkgdir);
    cev_error listing;
    int rc = cev_file_list(tests, files, n, &listing);
    if (rc == CEV_ENOMEM)
        return cev_error_nomem(err);
    if (rc != CEV_OK) /* no tests folder: no case */
        *n = 0;
    return CEV_OK;
}

static int run_cases(cev_engine *eng, const char *pkgdir, char **files, size_t n,
                     const char *pattern, const cev_pkgtest_hooks *hooks,
                     cev_pkgtest_report *rep, cev_error *err)
{
    static const cev_pkgtest_hooks none;
    cev_worker w;
    int rc = cev_worker_init(&w, eng);
    if (rc != CEV_OK)
        return cev_error_set(err, rc, "", "out of memory");
    for (size_t i = 0; i < n && rc == CEV_OK; i++)
        if (is_case(files[i]))
            rc = run_case(&w, pkgdir, files[i], pattern, hooks ? hooks : &none, rep, err);
    if (rc == CEV_OK)
        rc = measure(eng->cat.pkgs[0], &w.slots[0], rep, err);
    cev_worker_close(&w);
    return rc;
}

cev_code cev_pkgtest_run(const char *plugins_dir, const char *target, const char *pattern,
                         const cev_pkgtest_hooks *hooks, cev_pkgtest_report *rep,
                         cev_error *err)
{
    memset(rep, 0, sizeof *rep);
    cev_buf dir;
    cev_buf_init(&dir);
    char *only = NULL;
    int rc = locate(target, &dir, &only, err);
    if (rc == CEV_OK) {
        rep->package = cev_buf_take(&dir);
        if (rep->package == NULL)
            rc = cev_error_nomem(err);
    }
    cev_buf_close(&dir);
    if (rc != CEV_OK) {
        free(only);
        return rc;
    }
    cev_engine eng;
    if ((rc = cev_engine_open_package(&eng, plugins_dir, rep->package, 1, err)) != CEV_OK) {
        free(only);
        return rc;
    }
    eng.track_lines = 1;
    char **files = NULL;
    size_t n = 0;
    if ((rep->rules_file = strdup(eng.cat.pkgs[0]->rules_file)) == NULL)
        rc = cev_error_nomem(err);
    if (rc == CEV_OK)
        rc = list_cases(rep->package, only, &files, &n, err);
    if (rc == CEV_OK)
        only = NULL; /* the list holds it */
    if (rc == CEV_OK)
        rc = run_cases(&eng, rep->package, files, n, pattern, hooks, rep, err);
    free(only);
    cev_file_list_free(files, n);
    cev_engine_close(&eng);
    return rc;
}

void cev_pkgtest_report_close(cev_pkgtest_report *rep)
{
    free(rep->package);
    free(rep->rules_file);
    free(rep->executable);
    free(rep->ran);
    memset(rep, 0, sizeof *rep);
}
