/* merge.c: JSON merge patches (RFC 7396), the base records of test cases. */
#include "base/json.h"
#include "pkgtest/merge.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static cJSON *parse(const char *text)
{
    cJSON *v = NULL;
    cev_error err;
    assert_int_equal(cev_json_parse(text, strlen(text), 64, &v, &err), CEV_OK);
    return v;
}

/* target + patch gives `want`, byte for byte once printed (member order
 * included); the patch is left as it was. */
static void merges(const char *target, const char *patch, const char *want)
{
    cJSON *t = parse(target), *p = parse(patch);
    char *before = cJSON_PrintUnformatted(p);
    assert_int_equal(cev_merge_patch(&t, p), CEV_OK);
    char *got = cJSON_PrintUnformatted(t), *after = cJSON_PrintUnformatted(p);
    if (strcmp(got, want) != 0)
        fail_msg("%s + %s gave %s, expected %s", target, patch, got, want);
    assert_string_equal(before, after);
    cJSON_free(before);
    cJSON_free(after);
    cJSON_free(got);
    cJSON_Delete(t);
    cJSON_Delete(p);
}

/* The examples of RFC 7396, appendix A. */
static void test_rfc_examples(void **st)
{
    (void)st;
    merges("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    merges("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}");
    merges("{\"a\":\"b\"}", "{\"a\":null}", "{}");
    merges("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}");
    merges("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}");
    merges("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}");
    merges("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}");
    merges("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}");
    merges("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]");
    merges("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]");
    merges("{\"a\":\"foo\"}", "null", "null");
    merges("{\"a\":\"foo\"}", "\"bar\"", "\"bar\"");
    merges("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}");
    merges("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}");
    merges("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}");
}

/* What the test cases rely on: a base record's members keep their place,
 * new ones follow in the patch's order, nested objects merge member by
 * member, arrays (the jury) are replaced whole, null deletes. */
static void test_records_over_a_base(void **st)
{
    (void)st;
    const char *base = "{\"candidate\":\"CASE\",\"session\":{\"id\":\"T\",\"date\":\"2024-03-14\"},"
                       "\"jury\":[{\"id\":\"J1\"},{\"id\":\"J2\"}],\"evidence\":{}}";
    merges(base, "{}", "{\"candidate\":\"CASE\",\"session\":{\"id\":\"T\",\"date\":\"2024-03-14\"},"
                       "\"jury\":[{\"id\":\"J1\"},{\"id\":\"J2\"}],\"evidence\":{}}");
    merges(base, "{\"session\":{\"date\":\"2024-06-02\"},\"jury\":[{\"id\":\"J9\"}]}",
           "{\"candidate\":\"CASE\",\"session\":{\"id\":\"T\",\"date\":\"2024-06-02\"},"
           "\"jury\":[{\"id\":\"J9\"}],\"evidence\":{}}");
    merges(base, "{\"acquired\":[1],\"evidence\":{\"a\":{\"x\":1}},\"candidate\":null}",
           "{\"session\":{\"id\":\"T\",\"date\":\"2024-03-14\"},\"jury\":[{\"id\":\"J1\"},"
           "{\"id\":\"J2\"}],\"evidence\":{\"a\":{\"x\":1}},\"acquired\":[1]}");
    /* a null inside an array is a value, kept as is */
    merges(base, "{\"jury\":[null]}",
           "{\"candidate\":\"CASE\",\"session\":{\"id\":\"T\",\"date\":\"2024-03-14\"},"
           "\"jury\":[null],\"evidence\":{}}");
    /* deleting what the base does not hold changes nothing */
    merges(base, "{\"nothing\":null,\"session\":{\"none\":null}}",
           "{\"candidate\":\"CASE\",\"session\":{\"id\":\"T\",\"date\":\"2024-03-14\"},"
           "\"jury\":[{\"id\":\"J1\"},{\"id\":\"J2\"}],\"evidence\":{}}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_examples),
        cmocka_unit_test(test_records_over_a_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
