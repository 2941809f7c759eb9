/* expect.c: partial expectations against decision records. */
#include "base/buf.h"
#include "base/json.h"
#include "pkgtest/expect.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

static const char *actual =
    "{\"candidate\": \"C\", \"decision\": \"partial\", \"blocks\": ["
    "{\"code\": \"B1\", \"decision\": \"validated\", \"competencies\": [{\"code\": \"K1\", "
    "\"score\": 0.5, \"acquired\": true, \"reasons\": []}], \"reasons\": [\"a\", \"b\"]},"
    "{\"code\": \"B2\", \"decision\": \"absent\", \"competencies\": [], \"reasons\": []}],"
    "\"flags\": [1, 2], \"none\": null}";

static int check(const char *want, cev_buf *diff)
{
    cJSON *w = NULL, *a = NULL;
    cev_error err;
    assert_int_equal(cev_json_parse(want, strlen(want), 64, &w, &err), CEV_OK);
    assert_int_equal(cev_json_parse(actual, strlen(actual), 64, &a, &err), CEV_OK);
    cev_buf_reset(diff);
    int n = cev_expect_match(w, a, diff);
    cJSON_Delete(w);
    cJSON_Delete(a);
    return n;
}

static void test_partial_expectations(void **st)
{
    (void)st;
    cev_buf d;
    cev_buf_init(&d);
    assert_int_equal(check("{}", &d), 0);
    assert_int_equal(check("{\"decision\": \"partial\"}", &d), 0);
    /* keyed arrays: any order, only the listed elements */
    assert_int_equal(check("{\"blocks\": [{\"code\": \"B2\", \"decision\": \"absent\"}, "
                           "{\"code\": \"B1\", \"competencies\": [{\"code\": \"K1\", "
                           "\"score\": 0.5000000000001}]}]}", &d),
                     0);
    assert_int_equal(check("{\"flags\": [1, 2], \"none\": null}", &d), 0);
    assert_int_equal(check("{\"blocks\": [{\"code\": \"B1\", \"reasons\": [\"a\", \"b\"]}]}", &d), 0);
    cev_buf_close(&d);
}

static void test_mismatches_name_the_path(void **st)
{
    (void)st;
    cev_buf d;
    cev_buf_init(&d);
    assert_int_equal(check("{\"decision\": \"awarded\"}", &d), 1);
    assert_string_equal(d.data, "  decision: expected \"awarded\", got \"partial\"\n");
    assert_int_equal(check("{\"blocks\": [{\"code\": \"B1\", \"competencies\": [{\"code\": \"K1\", "
                           "\"score\": 0.4, \"acquired\": false}]}]}", &d),
                     2);
    assert_non_null(strstr(d.data, "blocks[B1].competencies[K1].score: expected 0.4, got 0.5"));
    assert_non_null(strstr(d.data, "blocks[B1].competencies[K1].acquired: expected false, got true"));
    assert_int_equal(check("{\"blocks\": [{\"code\": \"B3\"}]}", &d), 1);
    assert_non_null(strstr(d.data, "blocks[B3]: expected {\"code\":\"B3\"}, got nothing"));
    assert_int_equal(check("{\"flags\": [1]}", &d), 1); /* plain arrays: same length */
    assert_int_equal(check("{\"blocks\": [{\"code\": \"B1\", \"reasons\": [\"a\"]}]}", &d), 1);
    assert_int_equal(check("{\"error\": {\"code\": \"E_JURY\"}}", &d), 1);
    assert_int_equal(check("{\"none\": 0, \"candidate\": 3}", &d), 2);
    cev_buf_close(&d);
}

/* n mismatches of `want` against the record `got`, their lines in diff. */
static int check_against(const char *want, const char *got, cev_buf *diff)
{
    cJSON *w = NULL, *a = NULL;
    cev_error err;
    assert_int_equal(cev_json_parse(want, strlen(want), 64, &w, &err), CEV_OK);
    assert_int_equal(cev_json_parse(got, strlen(got), 64, &a, &err), CEV_OK);
    cev_buf_reset(diff);
    int n = cev_expect_match(w, a, diff);
    cJSON_Delete(w);
    cJSON_Delete(a);
    return n;
}

static const char *error_record =
    "{\"candidate\": \"C\", \"line\": 1, \"error\": {\"code\": \"E_JURY\", \"message\": "
    "\"the jury has no professional of training\", \"path\": \"jury\"}}";

/* An error's message matches by a part of it; every other string exactly. */
static void test_error_message_by_a_part(void **st)
{
    (void)st;
    cev_buf d;
    cev_buf_init(&d);
    assert_int_equal(check_against("{\"error\": {\"code\": \"E_JURY\", \"message\": "
                                   "\"of training\"}}", error_record, &d),
                     0);
    assert_int_equal(check_against("{\"error\": {\"code\": \"E_JURY\", \"path\": \"jury\", "
                                   "\"message\": \"the jury has no professional of training\"}}",
                                   error_record, &d),
                     0);
    assert_int_equal(check_against("{\"error\": {\"message\": \"of mediation\"}}", error_record,
                                   &d),
                     1);
    assert_string_equal(d.data, "  error.message: expected \"of mediation\", got \"the jury has no "
                                "professional of training\"\n");
    /* elsewhere a part is not enough: the path, the candidate, a decision */
    assert_int_equal(check_against("{\"error\": {\"path\": \"ju\"}, \"candidate\": \"\"}",
                                   error_record, &d),
                     2);
    assert_int_equal(check("{\"decision\": \"part\"}", &d), 1);
    cev_buf_close(&d);
}

/* An expected error naming only its code is too vague to be a case. */
static void test_vague_error_expectations(void **st)
{
    (void)st;
    static const char *const vague[] = {"{\"error\": {\"code\": \"E_TITLE\"}}",
                                        "{\"error\": {}}", NULL};
    static const char *const precise[] = {
        "{\"error\": {\"code\": \"E_TITLE\", \"path\": \"session.date\"}}",
        "{\"error\": {\"code\": \"E_TITLE\", \"message\": \"in force\"}}",
        "{\"decision\": \"awarded\"}", "{\"error\": null}", "{}", NULL};
    cev_error err;
    for (size_t i = 0; vague[i]; i++) {
        cJSON *w = NULL;
        assert_int_equal(cev_json_parse(vague[i], strlen(vague[i]), 64, &w, &err), CEV_OK);
        const char *why = cev_expect_vague(w);
        assert_non_null(why);
        assert_non_null(strstr(why, "\"path\""));
        cJSON_Delete(w);
    }
    for (size_t i = 0; precise[i]; i++) {
        cJSON *w = NULL;
        assert_int_equal(cev_json_parse(precise[i], strlen(precise[i]), 64, &w, &err), CEV_OK);
        assert_null(cev_expect_vague(w));
        cJSON_Delete(w);
    }
}

/* A long value is cut in a diff line, never inside a UTF-8 character. */
static void test_long_values_cut_on_characters(void **st)
{
    (void)st;
    char want[400], got[400];
    size_t n = (size_t)snprintf(want, sizeof want, "{\"candidate\": \"x");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(want + n, sizeof want - n, "\xc3\xa9"); /* é */
    snprintf(want + n, sizeof want - n, "\"}");
    snprintf(got, sizeof got, "{\"candidate\": \"y\"}");
    cev_buf d;
    cev_buf_init(&d);
    assert_int_equal(check_against(want, got, &d), 1);
    const char *cut = strstr(d.data, "...");
    assert_non_null(cut);
    /* the byte before "..." ends a character: an ASCII byte or the last
     * byte of "é", preceded by its lead byte */
    assert_true((unsigned char)cut[-1] == 0xa9 && (unsigned char)cut[-2] == 0xc3);
    assert_non_null(strstr(d.data, ", got \"y\"\n"));
    cev_buf_close(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_expectations),
        cmocka_unit_test(test_mismatches_name_the_path),
        cmocka_unit_test(test_error_message_by_a_part),
        cmocka_unit_test(test_vague_error_expectations),
        cmocka_unit_test(test_long_values_cut_on_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
