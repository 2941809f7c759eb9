/* The `oral` plugin: the situation grid plus the duration bounds. */
#include "plugin_test.h"

#include <stdio.h>

static const char *const scope[] = {"K1", "K2", NULL};

#define CONFIG                                                                              \
    "{\"scale_max\": 4, \"min_minutes\": 20, \"max_minutes\": 40, \"criteria\": ["          \
    "{\"id\": \"t1\", \"competency\": \"K1\"}, {\"id\": \"t2\", \"competency\": \"K2\"}]}"

static void score_minutes(ph *h, const char *minutes)
{
    char ev[256];
    snprintf(ev, sizeof ev, "{\"assessors\": {\"J1\": {\"t1\": 4, \"t2\": 2}}%s%s}",
             minutes ? ", \"duration_minutes\": " : "", minutes ? minutes : "");
    assert_int_equal(ph_score(h, ev), CEV_OK);
}

static void test_scores_like_situation(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "oral", scope);
    assert_int_equal(ph_configure(&h, CONFIG), CEV_PLUGIN_OK);
    score_minutes(&h, "30");
    assert_double_equal(ph_value(&h, "K1"), 1.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 0.5, 0);
    assert_int_equal(ph_nflags(&h), 0);
    ph_close(&h);
}

static void test_duration_bounds(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "oral", scope);
    assert_int_equal(ph_configure(&h, CONFIG), CEV_PLUGIN_OK);
    score_minutes(&h, "20"); /* bounds are inclusive */
    assert_false(ph_flagged(&h, "duration_out_of_bounds"));
    score_minutes(&h, "40");
    assert_false(ph_flagged(&h, "duration_out_of_bounds"));
    score_minutes(&h, "19.5");
    assert_true(ph_flagged(&h, "duration_out_of_bounds"));
    score_minutes(&h, "41");
    assert_true(ph_flagged(&h, "duration_out_of_bounds"));
    assert_double_equal(ph_value(&h, "K1"), 1.0, 0); /* a flag changes no score */
    score_minutes(&h, NULL);                          /* no duration given: nothing to flag */
    assert_false(ph_flagged(&h, "duration_out_of_bounds"));
    expect_evidence_error(&h, "{\"assessors\": {\"J1\": {\"t1\": 4, \"t2\": 2}}, "
                              "\"duration_minutes\": -3}",
                          "evidence.A.duration_minutes", "within");
    expect_evidence_error(&h, "{\"assessors\": {\"J1\": {\"t1\": 4, \"t2\": 2}}, "
                              "\"duration_minutes\": \"30\"}",
                          "evidence.A.duration_minutes", "number");
    ph_close(&h);
}

static void test_one_bound_only(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "oral", scope);
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 4, \"max_minutes\": 40, \"criteria\": ["
                                      "{\"id\": \"t1\", \"competency\": \"K1\"}]}"),
                     CEV_PLUGIN_OK);
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {\"t1\": 1}}, \"duration_minutes\": 1}"),
                     CEV_OK);
    assert_false(ph_flagged(&h, "duration_out_of_bounds"));
    ph_close(&h);
}

static void test_bad_config(void **st)
{
    (void)st;
    expect_config_error("oral", scope,
                        "{\"scale_max\": 4, \"min_minutes\": 50, \"max_minutes\": 40, \"criteria\": "
                        "[{\"id\": \"t1\", \"competency\": \"K1\"}]}",
                        "max_minutes");
    expect_config_error("oral", scope,
                        "{\"scale_max\": 4, \"min_minutes\": \"20\", \"criteria\": "
                        "[{\"id\": \"t1\", \"competency\": \"K1\"}]}",
                        "min_minutes");
    expect_config_error("oral", scope, "{\"scale_max\": 4, \"duration\": 3, \"criteria\": "
                                       "[{\"id\": \"t1\", \"competency\": \"K1\"}]}",
                        "duration");
}

/* An oral with no criteria (a final interview with the jury, min_assessors
 * 2): the members named are those who held it, so "assessors" is
 * required and {} is counted, and refused, not read as left out (the
 * dossier's submission check reads both so; an oral does not). */
static void test_no_criteria_empty_assessors(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "oral", scope);
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 3, \"min_assessors\": 2, "
                                      "\"criteria\": []}"),
                     CEV_PLUGIN_OK);
    expect_evidence_error(&h, "{\"assessors\": {}, \"duration_minutes\": 18}",
                          "evidence.A.assessors", "assessors: 0 assessor(s), at least 2 required");
    expect_evidence_error(&h, "{\"assessors\": {\"J1\": {}}}", "evidence.A.assessors",
                          "assessors: 1 assessor(s), at least 2 required");
    /* nor left out: nobody would have held it */
    expect_evidence_error(&h, "{\"duration_minutes\": 18}", "evidence.A.assessors",
                          "A.assessors: is required");
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {}, \"J2\": {}}}"), CEV_OK);
    assert_int_equal(ph_nassessors(&h), 2);
    ph_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_like_situation),
        cmocka_unit_test(test_duration_bounds),
        cmocka_unit_test(test_one_bound_only),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_no_criteria_empty_assessors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
