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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partial_expectations),
        cmocka_unit_test(test_mismatches_name_the_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
