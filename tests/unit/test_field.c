/* The `field` plugin: one supervisor rating per competency. */
#include "plugin_test.h"

#include <math.h>

static const char *const scope[] = {"K1", "K2", "K3", NULL};

#define CONFIG "{\"scale_max\": 4, \"competencies\": [\"K1\", \"K2\"]}"

static void test_ratings_and_not_observed(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "field", scope);
    assert_int_equal(ph_configure(&h, CONFIG), CEV_PLUGIN_OK);
    assert_true(ph_declared(&h, "K1"));
    assert_false(ph_declared(&h, "K3"));
    assert_int_equal(ph_score(&h, "{\"status\": \"present\", \"supervisor\": \"T1\", "
                                  "\"ratings\": {\"K1\": 2, \"K2\": null}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.5, 0); /* exactly at scale_max / 2 */
    assert_false(ph_scored(&h, "K2"));
    assert_true(ph_flagged(&h, "not_observed:K2"));
    assert_int_equal(ph_nassessors(&h), 0); /* the supervisor is not a jury member */
    assert_int_equal(ph_score(&h, "{\"supervisor\": \"T1\", \"ratings\": {\"K1\": 0, \"K2\": 4}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 1.0, 0);
    ph_close(&h);
}

static void test_bad_evidence(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "field", scope);
    assert_int_equal(ph_configure(&h, CONFIG), CEV_PLUGIN_OK);
    expect_evidence_error(&h, "{\"ratings\": {\"K1\": 2, \"K2\": 1}}", "evidence.A.supervisor",
                          "required");
    expect_evidence_error(&h, "{\"supervisor\": \"\", \"ratings\": {\"K1\": 2, \"K2\": 1}}",
                          "evidence.A.supervisor", "non-empty");
    expect_evidence_error(&h, "{\"supervisor\": \"T1\", \"ratings\": {\"K1\": 2}}",
                          "evidence.A.ratings.K2", "no rating");
    expect_evidence_error(&h, "{\"supervisor\": \"T1\", \"ratings\": {\"K1\": 2, \"K2\": 1, \"K3\": 1}}",
                          "evidence.A.ratings.K3", "not rated here");
    expect_evidence_error(&h, "{\"supervisor\": \"T1\", \"ratings\": {\"K1\": 5, \"K2\": 1}}",
                          "evidence.A.ratings.K1", "outside [0, 4]");
    expect_evidence_error(&h, "{\"supervisor\": \"T1\", \"ratings\": {\"K1\": true, \"K2\": 1}}",
                          "evidence.A.ratings.K1", "number or null");
    expect_evidence_error(&h, "{\"supervisor\": \"T1\", \"ratings\": [2, 1]}", "evidence.A.ratings",
                          "object");
    expect_evidence_error(&h, "{\"supervisor\": \"T1\"}", "evidence.A.ratings", "required");
    ph_close(&h);
}

static void test_bad_config(void **st)
{
    (void)st;
    expect_config_error("field", scope, "{\"scale_max\": 4, \"competencies\": []}", "competencies");
    expect_config_error("field", scope, "{\"scale_max\": 4, \"competencies\": [\"K1\", \"K1\"]}",
                        "competencies[1]");
    expect_config_error("field", scope, "{\"scale_max\": 4, \"competencies\": [\"K1\", \"BC09\"]}",
                        "competencies[1]");
    expect_config_error("field", scope, "{\"scale_max\": 4, \"competencies\": [\"K1\", 3]}",
                        "competencies[1]");
    expect_config_error("field", scope, "{\"competencies\": [\"K1\"]}", "scale_max");
    expect_config_error("field", scope, "{\"scale_max\": -4, \"competencies\": [\"K1\"]}",
                        "scale_max");
}

/* The harness itself (certeval/harness.h): a competency outside the scope
 * refused as the package loader refuses it, JSON text that does not parse,
 * a modality no plugin provides, accessors on codes outside the scope. */
static void test_harness_edges(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "field", scope);
    assert_string_equal(ph_plugin(&h)->name, "field");
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 4, \"competencies\": [\"K1\", \"K9\"]}"),
                     CEV_PLUGIN_EINPUT);
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 4,"), PH_EJSON);
    assert_true(ph_error_message(&h)[0] != '\0');
    assert_int_equal(ph_configure(&h, CONFIG), CEV_PLUGIN_OK);
    assert_int_equal(ph_score(&h, "{\"ratings\": "), PH_EJSON);
    assert_int_equal(ph_score(&h, "{\"status\": \"excused\"}"), PH_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_EXCUSED);
    assert_false(ph_scored(&h, "NOT-IN-SCOPE"));
    assert_true(isnan(ph_value(&h, "NOT-IN-SCOPE")));
    ph_close(&h);
    ph_close(&h); /* twice: a no-op */
    assert_int_equal(ph_open(&h, CEV_TEST_PLUGINS_DIR, "telepathy", scope), -1);
    assert_non_null(strstr(ph_error_message(&h), "no plugin provides modality \"telepathy\""));
    assert_int_equal(ph_configure(&h, CONFIG), CEV_PLUGIN_EFAIL); /* not opened */
    assert_int_equal(ph_score(&h, "{}"), PH_EPLUGIN);
    ph_close(&h);
    assert_int_equal(ph_open(&h, "/nonexistent/plugins", "field", scope), -1);
    assert_non_null(strstr(ph_error_message(&h), "/nonexistent/plugins"));
    ph_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratings_and_not_observed),
        cmocka_unit_test(test_bad_evidence),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_harness_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
