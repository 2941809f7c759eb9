/* package.c and catalog.c: loading, refusing with file and field, choosing
 * the version in force. */
#include "base/date.h"
#include "harness.h"
#include "package/catalog.h"
#include "packages.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cev_registry reg;

static int setup(void **st)
{
    (void)st;
    cev_error err;
    return cev_registry_open(&reg, CEV_TEST_PLUGINS_DIR, &err);
}

static int teardown(void **st)
{
    (void)st;
    cev_registry_close(&reg);
    return 0;
}

static void test_loads_rncp36524(void **st)
{
    (void)st;
    cev_package *p;
    cev_error err;
    assert_int_equal(cev_package_load(CEV_TEST_RULES_DIR "/rncp36524", &reg, &p, &err), CEV_OK);
    assert_string_equal(p->code, "RNCP36524");
    assert_string_equal(p->name, "rncp36524");
    assert_int_equal(p->nblocks, 5);
    assert_int_equal(p->session_types, 0); /* no kinds of session */
    assert_string_equal(p->usable_until, ""); /* valid_until but no completion grace */
    size_t ncomps[] = {7, 7, 6, 4, 5};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(p->blocks[i].ncomps, ncomps[i]);
    assert_string_equal(p->blocks[0].comps[2].label,
                        "Réaliser l’itinéraire défini par la feuille de route");
    assert_true(p->has_until);
    assert_false(p->has_from);
    char d[11];
    cev_date_format(p->valid_until, d);
    assert_string_equal(d, "2024-06-01");
    assert_int_equal(p->routes, (1u << cev_route_parse("formation_continue")) |
                                    (1u << cev_route_parse("contrat_professionnalisation")) |
                                    (1u << cev_route_parse("vae")));
    assert_int_equal(p->nplugins, 4);
    assert_string_equal(p->plugins[0]->name, "dossier");
    assert_string_equal(p->plugins[3]->name, "situation");
    assert_int_equal(strlen(p->sha256), 64);
    cev_package *q;
    assert_int_equal(cev_package_load(CEV_TEST_RULES_DIR "/rncp36524", &reg, &q, &err), CEV_OK);
    assert_string_equal(p->sha256, q->sha256); /* the package hash is reproducible */
    cev_package_free(q);
    cev_package_free(p);
}

/* Writes a package with title.json = `title` and expects a refusal at `path`. */
static void expect_refused(const char *title, const char *rules, const char *path,
                           const char *part)
{
    char *dir = make_temp_dir("pkg");
    char *pkg = make_package(dir, "tst", title, rules ? rules : TST_RULES);
    cev_package *p = NULL;
    cev_error err;
    int rc = cev_package_load(pkg, &reg, &p, &err);
    if (rc != CEV_EPACKAGE)
        fail_msg("expected a refusal at %s, got %d (%s)", path, rc, err.message);
    assert_null(p);
    assert_string_equal(err.path, path);
    assert_non_null(strstr(err.message, "title.json"));
    if (strstr(err.message, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.message, part);
    remove_tree(dir);
    free(pkg);
    free(dir);
}

static void test_minimal_package_loads(void **st)
{
    (void)st;
    char *dir = make_temp_dir("pkg");
    char *pkg = make_package(dir, "tst", TST_TITLE, TST_RULES);
    cev_package *p;
    cev_error err;
    assert_int_equal(cev_package_load(pkg, &reg, &p, &err), CEV_OK);
    assert_int_equal(p->routes, (1u << CEV_ROUTE_COUNT) - 1); /* no routes: all allowed */
    assert_int_equal(p->limits.instructions, CEV_DEFAULT_INSTRUCTIONS);
    cev_package_free(p);
    remove_tree(dir);
    free(pkg);
    free(dir);
}

#define B(extra) "{" TST_HEAD extra ", \"blocks\": [" TST_BLOCK "]}"

static void test_refusals_name_the_field(void **st)
{
    (void)st;
    expect_refused("{\"code\": ", NULL, "", "invalid JSON");
    expect_refused("{" TST_HEAD ", \"code\": \"X\", \"blocks\": [" TST_BLOCK "]}", NULL, "code",
                   "duplicate key");
    expect_refused(B(", \"colour\": \"blue\""), NULL, "colour", "unknown field");
    expect_refused("{\"name\": \"x\", \"level\": 3, \"certifier\": \"c\", \"version\": \"1\", "
                   "\"status\": \"active\", \"rules\": \"rules.lua\", \"blocks\": [" TST_BLOCK "]}",
                   NULL, "code", "is required");
    expect_refused("{\"code\": \"TST\", \"name\": \"x\", \"level\": 3, \"certifier\": \"c\", "
                   "\"version\": \"1\", \"status\": \"final\", \"rules\": \"rules.lua\", \"blocks\": "
                   "[" TST_BLOCK "]}",
                   NULL, "status", "\"active\" or \"draft\"");
    expect_refused(B(", \"valid_until\": \"2024-02-30\""), NULL, "valid_until", "not a date");
    expect_refused(B(", \"valid_from\": \"2024-02-01\", \"valid_until\": \"2024-01-01\""), NULL,
                   "valid_until", "before valid_from");
    expect_refused(B(", \"completion_grace_days\": 365"), NULL, "completion_grace_days",
                   "needs valid_until");
    expect_refused(B(", \"routes\": [\"vae\", \"bogus\"]"), NULL, "routes[1]", "access route");
    expect_refused(B(", \"routes\": [\"vae\", \"vae\"]"), NULL, "routes[1]", "twice");
    expect_refused(B(", \"limits\": {\"instructions\": 1e12}"), NULL, "limits.instructions",
                   "within");
    expect_refused(B(", \"limits\": {\"memory\": 3}"), NULL, "limits.memory", "unknown field");
    expect_refused(B(", \"equivalences\": {\"OLD-B1\": 3}"), NULL, "equivalences.OLD-B1",
                   "must name a block");
    expect_refused(B(", \"equivalences\": {\"B1\": \"B1\"}"), NULL, "equivalences.B1",
                   "a block of this title itself");
    expect_refused(B(", \"equivalences\": {\"OLD-B1\": {\"acquired_before\": \"2012-02-21\"}}"),
                   NULL, "equivalences.OLD-B1.block", "is required");
    expect_refused(B(", \"equivalences\": {\"OLD-B1\": {\"block\": \"B1\", \"before\": \"x\"}}"),
                   NULL, "equivalences.OLD-B1.before", "unknown field");
    expect_refused(B(", \"equivalences\": {\"OLD-B1\": {\"block\": \"B1\", "
                     "\"acquired_before\": \"2012-02-30\"}}"),
                   NULL, "equivalences.OLD-B1.acquired_before", "not a date");
    expect_refused(B(", \"equivalences\": {\"OLD-B1\": {\"block\": \"B9\"}}"), NULL,
                   "equivalences.OLD-B1", "not a block");
    expect_refused(B(", \"replaces\": [\"\"]"), NULL, "replaces[0]", "must be a title code");
    expect_refused(B(", \"session_types\": [\"titre\", \"stage\"]"), NULL, "session_types[1]",
                   "must be \"titre\" or \"ccp\"");
    expect_refused(B(", \"session_types\": [\"ccp\", \"ccp\"]"), NULL, "session_types[1]",
                   "listed twice");
    expect_refused(B(", \"session_types\": []"), NULL, "session_types", "at least one");
    expect_refused(B(", \"session_types\": \"titre\""), NULL, "session_types", "");
    expect_refused("{\"code\": \"TST\", \"name\": \"x\", \"certifier\": \"c\", \"version\": "
                   "\"1\", \"status\": \"active\", \"rules\": \"rules.lua\", \"blocks\": ["
                   TST_BLOCK "]}",
                   NULL, "level", "is required");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", "
                   "\"competencies\": [], \"assessments\": []}]}",
                   NULL, "blocks[0].competencies", "must not be empty");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", "
                   "\"competencies\": [{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": []}]}",
                   NULL, "blocks[0].assessments", "must not be empty");
    expect_refused(B(", \"equivalences\": {\"OLD-B1\": \"B9\"}"), NULL, "equivalences.OLD-B1",
                   "not a block");
    expect_refused(B(", \"level\": 12"), NULL, "level", "duplicate key");
    expect_refused("{" TST_HEAD ", \"blocks\": []}", NULL, "blocks", "must not be empty");
    expect_refused("{" TST_HEAD ", \"blocks\": [" TST_BLOCK ", " TST_BLOCK "]}", NULL,
                   "blocks[1].code", "duplicate block code");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", \"competencies\": "
                   "[{\"code\": \"K1\"}], \"assessments\": []}]}",
                   NULL, "blocks[0].competencies[0].label", "is required");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", \"competencies\": "
                   "[{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": [{\"id\": \"a\", "
                   "\"modality\": \"telepathy\", \"label\": \"x\", \"config\": {}}]}]}",
                   NULL, "blocks[0].assessments[0].modality", "no plugin provides");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", \"competencies\": "
                   "[{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": [{\"id\": \"a\", "
                   "\"modality\": \"field\", \"label\": \"x\", \"config\": {\"scale_max\": 0, "
                   "\"competencies\": [\"K1\"]}}]}]}",
                   NULL, "blocks[0].assessments[0].config.scale_max", "assessment a (field)");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", \"competencies\": "
                   "[{\"code\": \"K1\", \"label\": \"k\"}, {\"code\": \"K2\", \"label\": \"k\"}], "
                   "\"assessments\": [{\"id\": \"a\", \"modality\": \"field\", \"label\": \"x\", "
                   "\"config\": {\"scale_max\": 4, \"competencies\": [\"K1\"]}}]}]}",
                   NULL, "blocks[0].competencies", "K2 is scored by no assessment");
    expect_refused("{" TST_HEAD ", \"blocks\": [" TST_BLOCK ", {\"code\": \"B2\", \"name\": \"b\", "
                   "\"competencies\": [{\"code\": \"K3\", \"label\": \"k\"}], \"assessments\": "
                   "[{\"id\": \"b\", \"modality\": \"field\", \"label\": \"x\", \"config\": "
                   "{\"scale_max\": 4, \"competencies\": [\"K1\"]}}]}]}",
                   NULL, "blocks[1].assessments[0].config.competencies[0]",
                   "not a competency of this assessment's block");
    expect_refused("{" TST_HEAD ", \"blocks\": [" TST_BLOCK ", {\"code\": \"B2\", \"name\": \"b\", "
                   "\"competencies\": [{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": []}]}",
                   NULL, "blocks[1].competencies[0].code", "duplicate competency");
    expect_refused("{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", \"competencies\": "
                   "[{\"code\": \"K1\", \"label\": \"k\"}, {\"code\": \"K1\", \"label\": \"k\"}], "
                   "\"assessments\": []}]}",
                   NULL, "blocks[0].competencies[1].code", "duplicate competency \"K1\"");
    expect_refused("{" TST_HEAD ", \"blocks\": [" TST_BLOCK "], \"assessments\": [{\"id\": \"B1.f\", "
                   "\"modality\": \"field\", \"label\": \"x\", \"config\": {\"scale_max\": 4, "
                   "\"competencies\": [\"K1\"]}}]}",
                   NULL, "assessments[0].id", "duplicate assessment id");
    expect_refused("{\"code\": \"TST\", \"name\": \"x\", \"level\": 3, \"certifier\": \"c\", "
                   "\"version\": \"1\", \"status\": \"active\", \"rules\": \"../rules.lua\", "
                   "\"blocks\": [" TST_BLOCK "]}",
                   NULL, "rules", "file of the package folder");
}

/* A title of one block of `n` competencies, scored by assessments of at
 * most 1,000 each, and one title-level assessment scoring the last one.
 * Codes run from K<n-1> down to K0 (their sorted order is not theirs);
 * `dup`, when not NULL, replaces the last code. */
static char *large_title(size_t n, const char *dup)
{
    cev_buf b;
    cev_buf_init(&b);
    assert_int_equal(cev_buf_printf(&b, "{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", "
                                        "\"name\": \"b\", \"competencies\": ["),
                     CEV_OK);
    for (size_t i = 0; i < n; i++) {
        if (dup && i == n - 1)
            assert_int_equal(cev_buf_printf(&b, ", {\"code\": \"%s\", \"label\": \"k\"}", dup),
                             CEV_OK);
        else
            assert_int_equal(cev_buf_printf(&b, "%s{\"code\": \"K%zu\", \"label\": \"k\"}",
                                            i ? ", " : "", n - 1 - i),
                             CEV_OK);
    }
    assert_int_equal(cev_buf_printf(&b, "], \"assessments\": ["), CEV_OK);
    for (size_t a = 0; a * 1000 < n; a++) {
        assert_int_equal(cev_buf_printf(&b, "%s{\"id\": \"f%zu\", \"modality\": \"field\", "
                                            "\"label\": \"x\", \"config\": {\"scale_max\": 4, "
                                            "\"competencies\": [",
                                        a ? ", " : "", a),
                         CEV_OK);
        for (size_t i = a * 1000; i < n && i < (a + 1) * 1000; i++)
            assert_int_equal(cev_buf_printf(&b, "%s\"K%zu\"", i > a * 1000 ? ", " : "",
                                            n - 1 - i),
                             CEV_OK);
        assert_int_equal(cev_buf_printf(&b, "]}}"), CEV_OK);
    }
    assert_int_equal(cev_buf_printf(&b, "]}], \"assessments\": [{\"id\": \"t\", \"modality\": "
                                        "\"field\", \"label\": \"x\", \"config\": {\"scale_max\": "
                                        "4, \"competencies\": [\"K0\"]}}]}"),
                     CEV_OK);
    return cev_buf_take(&b);
}

/* Thousands of competencies: every code is found at its place in its
 * scopes (a binary search over the codes sorted once), others are not, and
 * a duplicate is still refused at its own path. */
static void test_large_referential(void **st)
{
    (void)st;
    const size_t n = 3000;
    char *title = large_title(n, NULL);
    char *dir = make_temp_dir("pkg");
    char *pkg = make_package(dir, "tst", title, TST_RULES);
    cev_package *p;
    cev_error err;
    if (cev_package_load(pkg, &reg, &p, &err) != CEV_OK)
        fail_msg("%s", err.message);
    assert_int_equal(p->blocks[0].ncomps, n);
    assert_int_equal(p->nassess, 4);
    const cev_scope *block = p->assess[0].scope, *title_scope = p->assess[3].scope;
    assert_ptr_equal(block, &p->blocks[0].scope);
    assert_ptr_equal(title_scope, &p->all_scope);
    for (size_t i = 0; i < n; i++) {
        char code[16];
        snprintf(code, sizeof code, "K%zu", n - 1 - i);
        assert_int_equal(cev_scope_find(block, code), (long)i);
        assert_int_equal(cev_scope_find(title_scope, code), (long)i);
    }
    assert_true(p->assess[3].declared[n - 1]); /* K0, the last one */
    assert_int_equal(cev_scope_find(block, "K3000"), -1);
    assert_int_equal(cev_scope_find(block, "K"), -1);
    assert_int_equal(cev_scope_find(block, ""), -1);
    assert_int_equal(cev_scope_find(block, NULL), -1);
    cev_package_free(p);
    remove_tree(dir);
    free(pkg);
    free(dir);
    free(title);

    title = large_title(n, "K2999"); /* the first code, again at the end */
    expect_refused(title, NULL, "blocks[0].competencies[2999].code",
                   "duplicate competency \"K2999\"");
    free(title);
}

/* Sets (or adds) the member at `path` (dot-separated, [i] for arrays) of
 * TST_TITLE to the JSON `value` and expects the package refused naming that
 * path. */
static void expect_wrong_value(const char *path, const char *value)
{
    cJSON *root = cJSON_Parse(TST_TITLE);
    assert_non_null(root);
    cJSON *parent = root;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    char *key = buf, *dot;
    while ((dot = strpbrk(key, ".[")) != NULL) { /* walk down to the parent */
        char sep = *dot;
        *dot = '\0';
        if (*key)
            parent = cJSON_GetObjectItemCaseSensitive(parent, key);
        if (sep == '[') {
            parent = cJSON_GetArrayItem(parent, atoi(dot + 1));
            dot = strchr(dot + 1, ']') + 1;
            if (*dot == '.')
                dot++;
        } else {
            dot++;
        }
        key = dot;
        assert_non_null(parent);
    }
    cJSON *v = cJSON_Parse(value);
    assert_non_null(v);
    if (cJSON_GetObjectItemCaseSensitive(parent, key))
        cJSON_ReplaceItemInObjectCaseSensitive(parent, key, v);
    else
        cJSON_AddItemToObject(parent, key, v);
    char *text = cJSON_PrintUnformatted(root);
    expect_refused(text, NULL, path, "");
    cJSON_free(text);
    cJSON_Delete(root);
}

static void test_every_field_wrong_in_turn(void **st)
{
    (void)st;
    static const char *const cases[][2] = {
        {"code", "3"}, {"name", "[]"}, {"level", "true"}, {"certifier", "null"},
        {"version", "1"}, {"status", "{}"}, {"valid_from", "20240101"},
        {"valid_until", "\"2024\""}, {"completion_grace_days", "\"365\""},
        {"routes", "\"vae\""}, {"replaces", "\"X\""}, {"equivalences", "[]"},
        {"blocks", "{}"}, {"assessments", "{}"}, {"rules", "1"}, {"limits", "[]"},
        {"description", "1"},
        {"blocks[0].code", "1"}, {"blocks[0].name", "\"\""}, {"blocks[0].competencies", "{}"},
        {"blocks[0].assessments", "\"x\""}, {"blocks[0].colour", "1"},
        {"blocks[0].competencies[0].code", "[]"}, {"blocks[0].competencies[0].label", "0"},
        {"blocks[0].assessments[0].id", "false"}, {"blocks[0].assessments[0].modality", "{}"},
        {"blocks[0].assessments[0].label", "null"}, {"blocks[0].assessments[0].config", "[]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_wrong_value(cases[i][0], cases[i][1]);
}

static void test_missing_rules_file(void **st)
{
    (void)st;
    char *dir = make_temp_dir("pkg");
    char *pkg = make_package(dir, "tst", TST_TITLE, NULL);
    cev_package *p;
    cev_error err;
    assert_int_equal(cev_package_load(pkg, &reg, &p, &err), CEV_EPACKAGE);
    assert_string_equal(err.path, "rules");
    assert_non_null(strstr(err.message, "rules.lua"));
    remove_tree(dir);
    free(pkg);
    free(dir);
}

/* ---- check: every problem, not just the first ---------------------------- */

/* A block B<n> of one competency K<n>, scored by a field assessment whose
 * scale_max is `scale`. */
#define LINT_BLOCK(n, scale)                                                                 \
    "{\"code\": \"B" #n "\", \"name\": \"b\", \"competencies\": [{\"code\": \"K" #n "\", "  \
    "\"label\": \"k\"}], \"assessments\": [{\"id\": \"a" #n "\", \"modality\": \"field\", "  \
    "\"label\": \"x\", \"config\": {\"scale_max\": " #scale ", \"competencies\": [\"K" #n  \
    "\"]}}]}"

/* Writes package dir/name with `title` and `rules` and lints it into `all`
 * (initialised here). */
static int lint_package(const char *dir, const char *name, const char *title, const char *rules,
                        cev_errlist *all, cev_package **p, cev_error *err)
{
    char *pkg = make_package(dir, name, title, rules);
    cev_errlist_init(all);
    *p = NULL;
    int rc = cev_package_lint(pkg, &reg, all, p, err);
    free(pkg);
    return rc;
}

/* Lints `title` with `rules`; expects the problems at `paths` (NULL-ended),
 * in that order, the first of them also in err, and returns the partial
 * package (the caller frees it). */
static cev_package *expect_problems(const char *title, const char *rules,
                                    const char *const *paths)
{
    char *dir = make_temp_dir("pkg");
    cev_errlist all;
    cev_package *p;
    cev_error err;
    assert_int_equal(lint_package(dir, "tst", title, rules, &all, &p, &err), CEV_EPACKAGE);
    size_t n = 0;
    while (paths[n])
        n++;
    for (size_t k = 0; k < all.n; k++)
        if (k >= n || strcmp(all.items[k].path, paths[k]) != 0)
            fail_msg("problem %zu at \"%s\" (%s), expected \"%s\"", k, all.items[k].path,
                     all.items[k].message, k < n ? paths[k] : "none");
    if (all.n != n)
        fail_msg("%zu problems, expected %zu; the last: %s", all.n, n,
                 all.n ? all.items[all.n - 1].message : "none");
    assert_int_equal(all.dropped, 0);
    assert_string_equal(err.path, paths[0]);
    assert_string_equal(err.message, all.items[0].message);
    for (size_t k = 0; k < all.n; k++) {
        assert_int_equal(all.items[k].code, CEV_EPACKAGE);
        assert_non_null(strstr(all.items[k].message, "title.json: "));
    }
    assert_non_null(p);
    cev_errlist_close(&all);
    remove_tree(dir);
    free(dir);
    return p;
}

static void test_lint_goes_on_past_each_problem(void **st)
{
    (void)st;
    static const char *const paths[] = {
        "status", "routes[1]", "blocks[0].assessments[0].config.scale_max", "blocks[1].code",
        "blocks[3].competencies", NULL};
    cev_package *p = expect_problems(
        "{\"code\": \"TST\", \"name\": \"Test title\", \"level\": 3, \"certifier\": \"Test\", "
        "\"version\": \"1\", \"status\": \"final\", \"rules\": \"rules.lua\", "
        "\"routes\": [\"vae\", \"bogus\"], \"equivalences\": {\"OLD\": \"B9\", \"OLD2\": \"B2\"}, "
        "\"blocks\": [" LINT_BLOCK(1, 0) ", " LINT_BLOCK(1, 4) ", " LINT_BLOCK(2, 4) ", "
        "{\"code\": \"B3\", \"name\": \"b\", \"competencies\": [{\"code\": \"K3\", \"label\": "
        "\"k\"}, {\"code\": \"K4\", \"label\": \"k\"}], \"assessments\": [{\"id\": \"a3\", "
        "\"modality\": \"field\", \"label\": \"x\", \"config\": {\"scale_max\": 4, "
        "\"competencies\": [\"K3\"]}}]}]}",
        TST_RULES, paths);
    /* what loaded: every block but the duplicate, every assessment but a1;
     * the header failed, but the rules file it names was read (check
     * compiles it) */
    assert_int_equal(p->nblocks, 3);
    assert_string_equal(p->blocks[1].code, "B2");
    assert_int_equal(p->nassess, 2);
    assert_string_equal(p->assess[0].id, "a2");
    assert_int_equal(p->blocks[0].nassess, 0);
    assert_int_equal(p->blocks[1].first, 0);
    assert_int_equal(p->nequivs, 0); /* not checked once a block failed */
    assert_non_null(p->rules_src);
    assert_null(p->code); /* a header with a problem is left unset */
    cev_package_free(p);
}

/* Every field of the header is checked on its own: an unknown field, a bad
 * status, dates out of order, a bad level and a missing name are all told. */
static void test_lint_tells_every_header_problem(void **st)
{
    (void)st;
    static const char *const paths[] = {"colour", "name", "status", "valid_until", "level",
                                        NULL};
    cev_package *p = expect_problems(
        "{\"code\": \"TST\", \"colour\": \"blue\", \"level\": 0, \"certifier\": \"T\", "
        "\"version\": \"1\", \"status\": \"final\", \"rules\": \"rules.lua\", "
        "\"valid_from\": \"2024-01-02\", \"valid_until\": \"2024-01-01\", "
        "\"blocks\": [" TST_BLOCK "]}",
        TST_RULES, paths);
    assert_non_null(p->rules_src);
    assert_int_equal(p->nblocks, 1); /* the blocks are checked all the same */
    cev_package_free(p);
}

/* Problems that could be consequences of another are not reported: a
 * competency whose assessment failed, the title-level assessments and the
 * equivalences once a block failed.  The rules are read. */
static void test_lint_skips_consequences(void **st)
{
    (void)st;
    static const char *const first[] = {"blocks[0].assessments[0].config.scale_max", NULL};
    cev_package *p = expect_problems("{" TST_HEAD ", \"blocks\": [" LINT_BLOCK(1, 0) "]}",
                                     TST_RULES, first);
    assert_non_null(p->rules_src);
    assert_int_equal(p->nblocks, 1);
    assert_int_equal(p->nassess, 0);
    cev_package_free(p);
    static const char *const second[] = {"blocks[1].name", NULL};
    p = expect_problems("{" TST_HEAD ", \"equivalences\": {\"OLD\": \"B2\"}, \"blocks\": ["
                        LINT_BLOCK(1, 4) ", {\"code\": \"B2\"}], \"assessments\": [{\"id\": "
                        "\"t\", \"modality\": \"field\", \"label\": \"x\", \"config\": "
                        "{\"scale_max\": 4, \"competencies\": [\"K2\"]}}]}",
                        TST_RULES, second);
    assert_int_equal(p->nassess, 1);
    assert_int_equal(p->ntitle_assess, 0);
    assert_int_equal(p->nequivs, 0);
    cev_package_free(p);
    static const char *const third[] = {"blocks", NULL};
    p = expect_problems("{" TST_HEAD ", \"blocks\": []}", TST_RULES, third);
    assert_int_equal(p->nblocks, 0);
    cev_package_free(p);
}

/* The problems kept are bounded; the others are counted. */
static void test_lint_keeps_a_bounded_list(void **st)
{
    (void)st;
    cev_buf b;
    cev_buf_init(&b);
    assert_int_equal(cev_buf_printf(&b, "{" TST_HEAD ", \"blocks\": [" TST_BLOCK "], "
                                        "\"equivalences\": {"),
                     CEV_OK);
    for (int i = 0; i < CEV_ERRLIST_MAX + 50; i++)
        assert_int_equal(cev_buf_printf(&b, "%s\"OLD%d\": \"B9\"", i ? ", " : "", i), CEV_OK);
    assert_int_equal(cev_buf_printf(&b, "}}"), CEV_OK);
    char *title = cev_buf_take(&b);
    char *dir = make_temp_dir("pkg");
    cev_errlist all;
    cev_package *p;
    cev_error err;
    assert_int_equal(lint_package(dir, "tst", title, TST_RULES, &all, &p, &err), CEV_EPACKAGE);
    assert_int_equal(all.n, CEV_ERRLIST_MAX);
    assert_int_equal(all.dropped, 50);
    assert_int_equal(cev_errlist_count(&all), CEV_ERRLIST_MAX + 50);
    assert_string_equal(all.items[CEV_ERRLIST_MAX - 1].path, "equivalences.OLD99");
    assert_string_equal(err.path, "equivalences.OLD0");
    cev_package_free(p);
    cev_errlist_close(&all);
    /* a sound package lints clean, and whole */
    assert_int_equal(lint_package(dir, "good", TST_TITLE, TST_RULES, &all, &p, &err), CEV_OK);
    assert_int_equal(cev_errlist_count(&all), 0);
    assert_int_equal(p->nassess, 1);
    assert_non_null(p->rules_src);
    cev_package_free(p);
    /* an unreadable title.json is one problem, and no package */
    assert_int_equal(lint_package(dir, "none", "{", TST_RULES, &all, &p, &err), CEV_EPACKAGE);
    assert_null(p);
    assert_int_equal(all.n, 1);
    assert_non_null(strstr(all.items[0].message, "invalid JSON"));
    cev_errlist_close(&all);
    remove_tree(dir);
    free(dir);
    free(title);
}

/* ---- choosing the version in force -------------------------------------- */

static int32_t day(const char *s)
{
    int32_t d;
    assert_int_equal(cev_date_parse(s, &d), CEV_OK);
    return d;
}

static void test_selection(void **st)
{
    (void)st;
    char *dir = make_temp_dir("cat");
    char *a = make_package(dir, "v1", "{" TST_HEAD ", \"valid_until\": \"2020-12-31\", "
                                      "\"completion_grace_days\": 365, \"blocks\": [" TST_BLOCK "]}",
                           TST_RULES);
    char *b = make_package(dir, "v2", "{" TST_HEAD ", \"valid_from\": \"2021-01-01\", "
                                      "\"valid_until\": \"2029-12-31\", \"blocks\": "
                                      "[{\"code\": \"B2\", \"name\": \"b\", \"competencies\": "
                                      "[{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": "
                                      "[{\"id\": \"a\", \"modality\": \"field\", \"label\": \"x\", "
                                      "\"config\": {\"scale_max\": 4, \"competencies\": "
                                      "[\"K1\"]}}]}]}",
                           TST_RULES);
    char *c = make_package(dir, "v3", "{\"code\": \"TST\", \"name\": \"x\", \"level\": 3, "
                                      "\"certifier\": \"c\", \"version\": \"3\", \"status\": "
                                      "\"draft\", \"rules\": \"rules.lua\", \"valid_from\": "
                                      "\"2030-01-01\", \"blocks\": [" TST_BLOCK "]}",
                           TST_RULES);
    char *o = make_package(dir, "old", "{\"code\": \"OLD\", \"name\": \"x\", \"level\": \"IV\", "
                                       "\"certifier\": \"c\", \"version\": \"1\", \"status\": "
                                       "\"active\", \"rules\": \"rules.lua\", \"valid_until\": "
                                       "\"2020-12-31\", \"completion_grace_days\": 365, "
                                       "\"blocks\": [" TST_BLOCK "]}",
                           TST_RULES);
    char *q = make_package(dir, "w-eq", "{\"code\": \"EQV\", \"name\": \"x\", \"level\": 3, "
                                        "\"certifier\": \"c\", \"version\": \"1\", \"status\": "
                                        "\"active\", \"rules\": \"rules.lua\", \"valid_until\": "
                                        "\"2020-12-31\", \"completion_grace_days\": 365, "
                                        "\"equivalences\": {\"X-B1\": \"B1\", \"Z-B1\": {\"block\": "
                                        "\"B1\", \"acquired_before\": \"2019-01-01\"}}, "
                                        "\"blocks\": [" TST_BLOCK "]}",
                           TST_RULES);
    write_file(dir, "README.md", "not a package\n");
    cev_catalog cat;
    cev_error err;
    assert_int_equal(cev_catalog_open(&cat, dir, &reg, &err), CEV_OK);
    assert_int_equal(cat.count, 5);
    assert_string_equal(cat.pkgs[0]->name, "old"); /* folders in name order */
    /* usable_until = valid_until + completion_grace_days, when both are given */
    assert_string_equal(cat.pkgs[0]->usable_until, "2021-12-31");
    assert_string_equal(cat.pkgs[2]->name, "v2");
    assert_string_equal(cat.pkgs[2]->usable_until, ""); /* no completion grace */
    assert_string_equal(cat.pkgs[3]->usable_until, ""); /* no valid_until */
    const cev_package *p;
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2020-06-01"), NULL, 0, NULL, 0, &p, &err), CEV_OK);
    assert_string_equal(p->name, "v1");
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2020-12-31"), NULL, 0, NULL, 0, &p, &err), CEV_OK);
    assert_string_equal(p->name, "v1"); /* valid_until is inclusive */
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-01-01"), NULL, 0, NULL, 0, &p, &err), CEV_OK);
    assert_string_equal(p->name, "v2");
    /* a draft in force is refused without --allow-draft */
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2030-06-01"), NULL, 0, NULL, 0, &p, &err),
                     CEV_ETITLE);
    assert_non_null(strstr(err.message, "--allow-draft"));
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2030-06-01"), NULL, 0, NULL, 1, &p, &err), CEV_OK);
    assert_string_equal(p->name, "v3");
    /* completion grace: only for holders of one of its blocks, held by then */
    cev_held held = {"B1", "2020-05-01", day("2020-05-01")};
    assert_int_equal(cev_catalog_select(&cat, "OLD", day("2021-06-01"), NULL, 0, NULL, 0, &p, &err),
                     CEV_ETITLE);
    assert_non_null(strstr(err.message, "completion grace"));
    assert_int_equal(cev_catalog_select(&cat, "OLD", day("2021-06-01"), &held, 1, NULL, 0, &p, &err), CEV_OK);
    assert_string_equal(p->name, "old");
    assert_int_equal(cev_catalog_select(&cat, "OLD", day("2021-12-31"), &held, 1, NULL, 0, &p, &err), CEV_OK);
    assert_int_equal(cev_catalog_select(&cat, "OLD", day("2022-01-01"), &held, 1, NULL, 0, &p, &err),
                     CEV_ETITLE); /* 366 days after: the grace is over */
    cev_held later = {"B1", "2021-07-01", day("2021-07-01")};
    assert_int_equal(cev_catalog_select(&cat, "OLD", day("2021-06-01"), &later, 1, NULL, 0, &p, &err),
                     CEV_ETITLE);
    /* during TST v1's grace, v2 is in force: the evidence tells which to use */
    cJSON *old_ev = cJSON_Parse("{\"B1.f\": {}}"), *new_ev = cJSON_Parse("{\"a\": {}}");
    cev_held tst_held = {"B1", "2020-05-01", day("2020-05-01")};
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-06-01"), &tst_held, 1, old_ev, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "v1");
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-06-01"), &tst_held, 1, new_ev, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "v2");
    /* no evidence at all: a completion by capitalisation, in the ended version */
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-06-01"), &tst_held, 1, NULL, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "v1");
    cJSON *no_ev = cJSON_Parse("{}"), *mixed_ev = cJSON_Parse("{\"B1.f\": {}, \"a\": {}}");
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-06-01"), &tst_held, 1, no_ev, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "v1");
    /* evidence naming an assessment of the newer version: the newer one */
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-06-01"), &tst_held, 1, mixed_ev, 0,
                                        &p, &err),
                     CEV_OK);
    assert_string_equal(p->name, "v2");
    /* after the grace year, the newer version whatever is held */
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2022-01-01"), &tst_held, 1, no_ev, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "v2");
    /* the grace year is open to a block held through an equivalence */
    cev_held foreign = {"X-B1", "2019-05-01", day("2019-05-01")};
    assert_int_equal(cev_catalog_select(&cat, "EQV", day("2021-06-01"), &foreign, 1, no_ev, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "w-eq");
    /* ... but not to one acquired on or after its acquired_before */
    cev_held early = {"Z-B1", "2018-12-31", day("2018-12-31")};
    assert_int_equal(cev_catalog_select(&cat, "EQV", day("2021-06-01"), &early, 1, no_ev, 0, &p,
                                        &err),
                     CEV_OK);
    assert_string_equal(p->name, "w-eq");
    assert_int_equal(cev_package_equivalent_on(p, "Z-B1", day("2018-12-31")), 0);
    assert_int_equal(cev_package_equivalent_on(p, "Z-B1", day("2019-01-01")), -1);
    assert_int_equal(cev_package_equivalent_on(p, "X-B1", day("2030-01-01")), 0);
    cev_held late = {"Z-B1", "2019-01-01", day("2019-01-01")};
    assert_int_equal(cev_catalog_select(&cat, "EQV", day("2021-06-01"), &late, 1, no_ev, 0, &p,
                                        &err),
                     CEV_ETITLE);
    cev_held unrelated = {"Y-B1", "2019-05-01", day("2019-05-01")};
    assert_int_equal(cev_catalog_select(&cat, "EQV", day("2021-06-01"), &unrelated, 1, no_ev, 0, &p,
                                        &err),
                     CEV_ETITLE);
    cJSON_Delete(no_ev);
    cJSON_Delete(mixed_ev);
    assert_int_equal(cev_catalog_select(&cat, "TST", day("2021-06-01"), NULL, 0, old_ev, 0, &p, &err),
                     CEV_OK);
    assert_string_equal(p->name, "v2"); /* no block of v1 held: no grace */
    cJSON_Delete(old_ev);
    cJSON_Delete(new_ev);
    assert_int_equal(cev_catalog_select(&cat, "NOPE", day("2021-06-01"), NULL, 0, NULL, 0, &p, &err),
                     CEV_ETITLE);
    assert_non_null(strstr(err.message, "no title package for NOPE"));
    /* the versions that may decide a record on a day: in force, or in
     * their completion year; drafts only when allowed; catalog order */
    const cev_package *vs[4] = {NULL, NULL, NULL, NULL};
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2020-06-01"), 0, vs, 4), 1);
    assert_string_equal(vs[0]->name, "v1");
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2021-06-01"), 0, vs, 4), 2);
    assert_string_equal(vs[0]->name, "v1"); /* its completion year */
    assert_string_equal(vs[1]->name, "v2");
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2021-12-31"), 0, vs, 4), 2);
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2022-01-01"), 0, vs, 4), 1);
    assert_string_equal(vs[0]->name, "v2");
    /* a count past cap, and none filled beyond it */
    vs[0] = vs[1] = NULL;
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2021-06-01"), 0, vs, 1), 2);
    assert_string_equal(vs[0]->name, "v1");
    assert_null(vs[1]);
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2021-06-01"), 0, NULL, 0), 2);
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2030-06-01"), 0, vs, 4), 0);
    assert_int_equal(cev_catalog_versions_on(&cat, "TST", day("2030-06-01"), 1, vs, 4), 1);
    assert_string_equal(vs[0]->name, "v3");
    assert_int_equal(cev_catalog_versions_on(&cat, "OLD", day("2021-12-31"), 0, vs, 4), 1);
    assert_int_equal(cev_catalog_versions_on(&cat, "OLD", day("2022-01-01"), 0, vs, 4), 0);
    assert_int_equal(cev_catalog_versions_on(&cat, "NOPE", day("2021-06-01"), 1, vs, 4), 0);
    cev_catalog_close(&cat);
    remove_tree(dir);
    free(a);
    free(b);
    free(c);
    free(o);
    free(q);
    free(dir);
}

static void test_overlapping_versions_are_refused(void **st)
{
    (void)st;
    char *dir = make_temp_dir("cat");
    char *a = make_package(dir, "a", "{" TST_HEAD ", \"valid_until\": \"2021-01-01\", \"blocks\": ["
                                     TST_BLOCK "]}", TST_RULES);
    char *b = make_package(dir, "b", "{" TST_HEAD ", \"valid_from\": \"2021-01-01\", \"blocks\": ["
                                     TST_BLOCK "]}", TST_RULES);
    cev_catalog cat;
    cev_error err;
    assert_int_equal(cev_catalog_open(&cat, dir, &reg, &err), CEV_EPACKAGE);
    assert_non_null(strstr(err.message, "b/title.json: versions 1 (a) and 1 (b) of TST are both in "
                                        "force from 2021-01-01 to 2021-01-01"));
    free(b); /* adjacent periods are fine */
    b = make_package(dir, "b", "{" TST_HEAD ", \"valid_from\": \"2021-01-02\", \"blocks\": ["
                               TST_BLOCK "]}", TST_RULES);
    assert_int_equal(cev_catalog_open(&cat, dir, &reg, &err), CEV_OK);
    cev_catalog_close(&cat);
    free(b); /* two open-ended versions overlap everywhere */
    b = make_package(dir, "b", TST_TITLE, TST_RULES);
    free(a);
    a = make_package(dir, "a", TST_TITLE, TST_RULES);
    assert_int_equal(cev_catalog_open(&cat, dir, &reg, &err), CEV_EPACKAGE);
    assert_non_null(strstr(err.message, "from (open) to (open)"));
    remove_tree(dir);
    free(a);
    free(b);
    free(dir);
}

static void test_catalog_refuses_a_bad_package(void **st)
{
    (void)st;
    char *dir = make_temp_dir("cat");
    char *a = make_package(dir, "good", TST_TITLE, TST_RULES);
    char *b = make_package(dir, "zbad", "{" TST_HEAD "}", TST_RULES);
    cev_catalog cat;
    cev_error err;
    assert_int_equal(cev_catalog_open(&cat, dir, &reg, &err), CEV_EPACKAGE);
    assert_non_null(strstr(err.message, "zbad/title.json"));
    assert_int_equal(cev_catalog_open(&cat, "/nonexistent/rules", &reg, &err), CEV_EIO);
    remove_tree(dir);
    free(a);
    free(b);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_rncp36524),
        cmocka_unit_test(test_minimal_package_loads),
        cmocka_unit_test(test_refusals_name_the_field),
        cmocka_unit_test(test_large_referential),
        cmocka_unit_test(test_every_field_wrong_in_turn),
        cmocka_unit_test(test_missing_rules_file),
        cmocka_unit_test(test_lint_goes_on_past_each_problem),
        cmocka_unit_test(test_lint_tells_every_header_problem),
        cmocka_unit_test(test_lint_skips_consequences),
        cmocka_unit_test(test_lint_keeps_a_bounded_list),
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_overlapping_versions_are_refused),
        cmocka_unit_test(test_catalog_refuses_a_bad_package),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
