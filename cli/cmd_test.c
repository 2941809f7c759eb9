/*
 * cmd_test.c - `certeval test [-p DIR] [--run PATTERN] [-v] [--format F]
 * PACKAGE|CASE...`: prints what the core's package test runner tells.
 *
 * Text (the default): a diff per failed case (and, with -v, a PASS line per
 * case that passed), the lines of rules.lua that no case ran (coverage),
 * then "N passed, N failed".  JSON and JUnit XML: one document on stdout at
 * the end, every case of every package in it; messages about packages that
 * did not load go to stderr as well.
 */
#include "cli.h"
#include "certeval/certeval.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_JUNIT };

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval test [-p DIR] [--run PATTERN] [-v] [--format text|json|junit]\n"
            "                     PACKAGE|CASE...\n\n"
            "Runs each title package's own cases (PACKAGE/tests/*.json): every case gives a\n"
            "candidate record, or the members that differ from a base record of tests/\n"
            "(a *.base.json file, never run itself), and the decision expected, possibly\n"
            "only the fields it is about.  An operand is a package folder, a folder of\n"
            "packages (each is tested), or one case file (PACKAGE/tests/NAME.json).\n"
            "Prints the mismatches of each failed case (path: expected X, got Y), the\n"
            "rule coverage (the lines of rules.lua no case ran), then 'N passed, N failed'.\n\n"
            "  --run PATTERN      only the cases whose file name or description PATTERN\n"
            "                     matches: a glob when it holds * ? or [, else a part\n"
            "  -v, --verbose      list every case with PASS or FAIL\n"
            "  --format FORMAT    text (default), json (one document), or junit (JUnit\n"
            "                     XML: a testsuite per package, a testcase per case)\n"
            "  --json             the same as --format json\n" CLI_HELP_PLUGINS CLI_HELP_HELP
            "\n"
            "Exit status: 0 every case passed; 1 a case failed, or a package has problems\n"
            "and did not load (as `check` says); 2 bad usage, an operand that names no\n"
            "package nor case, an unreadable file or plugin folder (the other packages\n"
            "are tested all the same).\n");
}

typedef struct test_view {
    int format, verbose;
    cJSON *doc;   /* json, junit: {"packages": [...]} being built */
    cJSON *cases; /* the current package's cases */
    int nomem;
} test_view;

/* The record's error, when it is an error record that the diff does not
 * already talk about: "  the record is an error: E_X at PATH: MESSAGE". */
static void print_got_error(const cev_case_result *r)
{
    cJSON *got = NULL;
    cev_error err;
    if (strstr(r->diff, "  error") == r->diff ||
        cev_json_parse(r->got, strlen(r->got), 64, &got, &err) != CEV_OK)
        return;
    const cJSON *e = cev_json_get(got, "error");
    const cJSON *code = cev_json_get(e, "code"), *path = cev_json_get(e, "path"),
                *message = cev_json_get(e, "message");
    if (cJSON_IsString(code) && cJSON_IsString(message)) {
        char m[CEV_MESSAGE_MAX], p[CEV_PATH_MAX];
        printf("  the record is an error: %s%s%s: %s\n", code->valuestring,
               cJSON_IsString(path) ? " at " : "",
               cJSON_IsString(path) ? cli_defanged(p, sizeof p, path->valuestring) : "",
               cli_defanged(m, sizeof m, message->valuestring));
    }
    cJSON_Delete(got);
}

static void print_case(const test_view *v, const cev_case_result *r)
{
    char why[CEV_MESSAGE_MAX], desc[CEV_MESSAGE_MAX];
    const char *d = r->description ? cli_defanged(desc, sizeof desc, r->description) : NULL;
    if (r->passed) {
        if (v->verbose)
            printf("PASS %s%s%s\n", r->file, d ? ": " : "", d ? d : "");
        return;
    }
    if (r->unusable) {
        printf("FAIL %s: unusable case: %s\n", r->file,
               cli_defanged(why, sizeof why, r->unusable));
        return;
    }
    printf("FAIL %s%s%s\n%s", r->file, d ? ": " : "", d ? d : "", r->diff);
    print_got_error(r);
}

/* The diff's lines, without their indent, as an array of strings. */
static cJSON *diff_lines(const char *diff)
{
    cJSON *a = cJSON_CreateArray();
    for (const char *s = diff; a && *s;) {
        const char *end = strchr(s, '\n');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        char *line = strndup(s + strspn(s, " "), n - strspn(s, " "));
        cJSON *item = line ? cJSON_CreateString(line) : NULL;
        free(line);
        if (item == NULL || !cJSON_AddItemToArray(a, item)) {
            cJSON_Delete(item);
            cJSON_Delete(a);
            return NULL;
        }
        s += n + (end != NULL);
    }
    return a;
}

/* One case as an object of the document. */
static int add_case(test_view *v, const cev_case_result *r)
{
    cJSON *c = cJSON_CreateObject(), *got = NULL;
    cev_error err;
    if (c == NULL || !cJSON_AddItemToArray(v->cases, c)) {
        cJSON_Delete(c);
        return CEV_ENOMEM;
    }
    const char *result = r->passed ? "pass" : r->unusable ? "unusable" : "fail";
    int ok = cJSON_AddStringToObject(c, "file", r->file) &&
             (r->description ? cJSON_AddStringToObject(c, "description", r->description)
                             : cJSON_AddNullToObject(c, "description")) &&
             cJSON_AddStringToObject(c, "result", result);
    if (ok && r->unusable)
        ok = cJSON_AddStringToObject(c, "message", r->unusable) != NULL;
    else if (ok && !r->passed) {
        cJSON *lines = diff_lines(r->diff);
        ok = lines && cJSON_AddItemToObject(c, "mismatches", lines);
        if (lines && !ok)
            cJSON_Delete(lines);
        int parsed = ok ? cev_json_parse(r->got, strlen(r->got), 64, &got, &err) : CEV_ENOMEM;
        if (parsed == CEV_ENOMEM)
            ok = 0;
        else if (parsed != CEV_OK)
            got = cJSON_CreateString(r->got);
        ok = ok && got && cJSON_AddItemToObject(c, "got", got);
        if (!ok)
            cJSON_Delete(got);
    }
    return ok ? CEV_OK : CEV_ENOMEM;
}

static void on_case(void *ctx, const cev_case_result *r)
{
    test_view *v = ctx;
    if (v->format == FORMAT_TEXT)
        print_case(v, r);
    else if (!v->nomem && add_case(v, r) != CEV_OK)
        v->nomem = 1;
}

/* The lines not run, as ranges (each over the missed or non-executable
 * lines that follow it): "15, 18-21". */
static int not_run(const cev_pkgtest_report *rep, cev_buf *b)
{
    size_t n = rep->nlines;
    const unsigned char *exe = rep->executable, *ran = rep->ran;
    const char *sep = "";
    for (size_t i = 1; i < n; i++) {
        if (!exe[i] || ran[i])
            continue;
        size_t j = i;
        while (j + 1 < n && (!exe[j + 1] || !ran[j + 1]))
            j++;
        while (!exe[j])
            j--;
        if ((j > i ? cev_buf_printf(b, "%s%zu-%zu", sep, i, j)
                   : cev_buf_printf(b, "%s%zu", sep, i)) != CEV_OK)
            return CEV_ENOMEM;
        sep = ", ";
        i = j;
    }
    return CEV_OK;
}

static size_t percent(const cev_pkgtest_report *rep)
{
    return rep->executable_lines ? rep->covered_lines * 100 / rep->executable_lines : 100;
}

/* "  rules: coverage P% (run of total lines); not run: lines ..." */
static void print_coverage(const cev_pkgtest_report *rep)
{
    if (!rep->measured) {
        printf("  %s: coverage unavailable: %s\n", rep->rules_file, rep->unmeasured);
        return;
    }
    cev_buf b;
    cev_buf_init(&b);
    int rc = not_run(rep, &b);
    printf("  %s: coverage %zu%% (%zu of %zu lines)%s%s\n", rep->rules_file, percent(rep),
           rep->covered_lines, rep->executable_lines, b.len ? "; not run: lines " : "",
           rc == CEV_OK && b.data ? b.data : "");
    cev_buf_close(&b);
}

static cJSON *coverage_json(const cev_pkgtest_report *rep)
{
    cJSON *c = cJSON_CreateObject();
    cev_buf b;
    cev_buf_init(&b);
    int ok = c && cJSON_AddStringToObject(c, "rules", rep->rules_file);
    if (ok && rep->measured)
        ok = cJSON_AddNumberToObject(c, "percent", (double)percent(rep)) &&
             cJSON_AddNumberToObject(c, "covered", (double)rep->covered_lines) &&
             cJSON_AddNumberToObject(c, "lines", (double)rep->executable_lines) &&
             not_run(rep, &b) == CEV_OK &&
             cJSON_AddStringToObject(c, "not_run", b.data ? b.data : "");
    else if (ok)
        ok = cJSON_AddStringToObject(c, "unavailable", rep->unmeasured) != NULL;
    cev_buf_close(&b);
    if (!ok) {
        cJSON_Delete(c);
        return NULL;
    }
    return c;
}

/* The current package's object in the document: its cases, its counts,
 * its coverage, or why it was not tested. */
static int add_package(test_view *v, const char *operand, const cev_pkgtest_report *rep,
                       int status, const cev_error *err)
{
    cJSON *p = cJSON_CreateObject(), *cov = NULL;
    int ok = p && cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(v->doc, "packages"), p);
    if (!ok) {
        cJSON_Delete(p);
        return CEV_ENOMEM;
    }
    ok = cJSON_AddStringToObject(p, "package", rep->package ? rep->package : operand) &&
         cJSON_AddItemToObject(p, "cases", v->cases);
    if (ok)
        v->cases = NULL; /* the package holds them */
    if (ok && status != CEV_OK) {
        cJSON *e = cJSON_AddObjectToObject(p, "error");
        ok = e && cJSON_AddStringToObject(e, "code", cev_code_name(err->code)) &&
             cJSON_AddStringToObject(e, "message", err->message);
    } else if (ok) {
        ok = cJSON_AddNumberToObject(p, "passed", (double)rep->passed) &&
             cJSON_AddNumberToObject(p, "failed", (double)rep->failed) &&
             (cov = coverage_json(rep)) && cJSON_AddItemToObject(p, "coverage", cov);
        if (cov && !ok)
            cJSON_Delete(cov);
    }
    return ok ? CEV_OK : CEV_ENOMEM;
}

/* XML text: markup characters escaped, the characters XML 1.0 does not
 * allow (C0 controls but tab and newline) as '?'. */
static void xml_text(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", stdout); break;
        case '<': fputs("&lt;", stdout); break;
        case '>': fputs("&gt;", stdout); break;
        case '"': fputs("&quot;", stdout); break;
        case '\n': fputs("&#10;", stdout); break;
        default: putchar(c < 0x20 && c != '\t' ? '?' : c);
        }
    }
}

/* One testcase element. */
static void junit_case(const char *suite, const cJSON *c)
{
    const char *result = cev_json_str(c, "result");
    printf("    <testcase classname=\"");
    xml_text(suite);
    printf("\" name=\"");
    xml_text(cev_json_str(c, "file"));
    printf("\"");
    if (strcmp(result, "pass") == 0) {
        printf("/>\n");
        return;
    }
    printf(">\n");
    if (strcmp(result, "unusable") == 0) {
        printf("      <error type=\"unusable\" message=\"unusable case: ");
        xml_text(cev_json_str(c, "message"));
        printf("\"/>\n");
    } else {
        const cJSON *m = cev_json_get(c, "mismatches");
        printf("      <failure type=\"mismatch\" message=\"");
        xml_text(cJSON_GetArraySize(m) ? cJSON_GetArrayItem(m, 0)->valuestring : "");
        printf("\">");
        xml_text(cev_json_str(c, "description"));
        for (const cJSON *l = m ? m->child : NULL; l; l = l->next) {
            putchar('\n');
            xml_text(l->valuestring);
        }
        printf("</failure>\n");
    }
    printf("    </testcase>\n");
}

/* The document as JUnit XML: a testsuite per package, a testcase per case
 * (a package that did not load: one testcase "title.json" in error). */
static void print_junit(const cJSON *doc)
{
    size_t tests = 0, failures = 0, errors = 0;
    const cJSON *pkgs = cev_json_get(doc, "packages");
    for (const cJSON *p = pkgs->child; p; p = p->next) {
        const cJSON *cases = cev_json_get(p, "cases");
        tests += cev_json_get(p, "error") ? 1 : (size_t)cJSON_GetArraySize(cases);
        errors += cev_json_get(p, "error") != NULL;
        for (const cJSON *c = cases->child; c; c = c->next) {
            errors += strcmp(cev_json_str(c, "result"), "unusable") == 0;
            failures += strcmp(cev_json_str(c, "result"), "fail") == 0;
        }
    }
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<testsuites name=\"certeval test\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
           tests, failures, errors);
    for (const cJSON *p = pkgs->child; p; p = p->next) {
        const char *name = cev_json_str(p, "package");
        const cJSON *cases = cev_json_get(p, "cases"), *e = cev_json_get(p, "error");
        size_t f = 0, er = e != NULL, n = e ? 1 : (size_t)cJSON_GetArraySize(cases);
        for (const cJSON *c = cases->child; c; c = c->next) {
            er += strcmp(cev_json_str(c, "result"), "unusable") == 0;
            f += strcmp(cev_json_str(c, "result"), "fail") == 0;
        }
        printf("  <testsuite name=\"");
        xml_text(name);
        printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", n, f, er);
        if (e) {
            printf("    <testcase classname=\"");
            xml_text(name);
            printf("\" name=\"title.json\">\n      <error type=\"%s\" message=\"",
                   cev_json_str(e, "code"));
            xml_text(cev_json_str(e, "message"));
            printf("\"/>\n    </testcase>\n");
        }
        for (const cJSON *c = cases->child; c; c = c->next)
            junit_case(name, c);
        printf("  </testsuite>\n");
    }
    printf("</testsuites>\n");
}

static int parse_options(int argc, char **argv, test_view *v, const char **pattern,
                         char *plugins, size_t size)
{
    enum { OPT_RUN = 1000, OPT_FORMAT, OPT_JSON };
    static const struct option opts[] = {{"plugins", required_argument, NULL, 'p'},
                                         {"run", required_argument, NULL, OPT_RUN},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"format", required_argument, NULL, OPT_FORMAT},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    cli_default_plugins(plugins, size);
    int c, given = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("p:vh"), opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (cli_add_plugins(plugins, size, &given, optarg) != 0)
                return CLI_CANNOT_START;
            break;
        case OPT_RUN: *pattern = optarg; break;
        case 'v': v->verbose = 1; break;
        case OPT_JSON: v->format = FORMAT_JSON; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") == 0)
                v->format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                v->format = FORMAT_JSON;
            else if (strcmp(optarg, "junit") == 0)
                v->format = FORMAT_JUNIT;
            else {
                cli_error("--format %s: the formats are text, json and junit", optarg);
                return CLI_CANNOT_START;
            }
            break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (optind >= argc)
        return cli_usage(argv, "missing PACKAGE");
    return -1;
}

typedef struct tally {
    size_t passed, failed;
    int not_tested, problems, cannot; /* packages not tested; of them, with problems */
} tally;

/* Tests one package folder or case file. */
static int test_one(test_view *v, const char *plugins, const char *target, const char *pattern,
                    tally *t)
{
    const cev_pkgtest_hooks hooks = {v, on_case};
    cev_pkgtest_report rep;
    cev_error err;
    if (v->format != FORMAT_TEXT && (v->cases = cJSON_CreateArray()) == NULL)
        return CEV_ENOMEM;
    int rc = cev_pkgtest_run(plugins, target, pattern, &hooks, &rep, &err);
    if (rc != CEV_OK) {
        t->not_tested++;
        if (rc == CEV_EPACKAGE) { /* the package's own mistake, as check finds it */
            cli_error("%s (`certeval check %s` tells every problem)", err.message, target);
            t->problems++;
        } else {
            cli_error("%s", err.message);
            t->cannot++;
        }
    } else if (v->format == FORMAT_TEXT) {
        printf("%s: %zu case%s\n", rep.package, rep.cases, rep.cases == 1 ? "" : "s");
        print_coverage(&rep);
    }
    t->passed += rep.passed;
    t->failed += rep.failed;
    int added = v->format == FORMAT_TEXT || rc == CEV_ENOMEM || v->nomem
                    ? CEV_OK
                    : add_package(v, target, &rep, rc, &err);
    cJSON_Delete(v->cases);
    v->cases = NULL;
    cev_pkgtest_report_close(&rep);
    return rc == CEV_ENOMEM || v->nomem ? CEV_ENOMEM : added;
}

/* Each operand: a case file, a package, or a folder of packages. */
static int test_operand(test_view *v, const char *plugins, const char *operand,
                        const char *pattern, tally *t)
{
    struct stat st;
    if (stat(operand, &st) == 0 && S_ISREG(st.st_mode))
        return test_one(v, plugins, operand, pattern, t);
    char **dirs;
    size_t n;
    cev_error err;
    int rc = cev_package_folders(operand, &dirs, &n, &err);
    if (rc == CEV_ENOMEM)
        return rc;
    if (rc != CEV_OK) {
        cli_error("%s", err.message);
        t->not_tested++;
        t->cannot++;
        return CEV_OK;
    }
    for (size_t i = 0; i < n && rc == CEV_OK; i++)
        rc = test_one(v, plugins, dirs[i], pattern, t);
    cev_package_folders_free(dirs, n);
    return rc;
}

int cmd_test(int argc, char **argv)
{
    char plugins[PATH_MAX];
    test_view v = {FORMAT_TEXT, 0, NULL, NULL, 0};
    const char *pattern = NULL;
    int status = parse_options(argc, argv, &v, &pattern, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    if (v.format != FORMAT_TEXT && ((v.doc = cJSON_CreateObject()) == NULL ||
                                    cJSON_AddArrayToObject(v.doc, "packages") == NULL)) {
        cJSON_Delete(v.doc);
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    tally t = {0, 0, 0, 0, 0};
    int rc = CEV_OK;
    for (int i = optind; i < argc && rc == CEV_OK; i++)
        rc = test_operand(&v, plugins, argv[i], pattern, &t);
    if (rc == CEV_OK && v.format == FORMAT_JSON) {
        char *s = NULL;
        if (cJSON_AddNumberToObject(v.doc, "passed", (double)t.passed) &&
            cJSON_AddNumberToObject(v.doc, "failed", (double)t.failed) &&
            cJSON_AddNumberToObject(v.doc, "not_tested", (double)t.not_tested) &&
            (s = cJSON_PrintUnformatted(v.doc)) != NULL)
            printf("%s\n", s);
        else
            rc = CEV_ENOMEM;
        cJSON_free(s);
    } else if (rc == CEV_OK && v.format == FORMAT_JUNIT) {
        print_junit(v.doc);
    } else if (rc == CEV_OK) {
        printf("%zu passed, %zu failed", t.passed, t.failed);
        if (t.not_tested)
            printf("; %d package%s not tested", t.not_tested, t.not_tested > 1 ? "s" : "");
        printf("\n");
    }
    cJSON_Delete(v.doc);
    if (rc != CEV_OK) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    return t.cannot ? CLI_CANNOT_START : t.failed || t.problems ? CLI_PROBLEMS : CLI_OK;
}
