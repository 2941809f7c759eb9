/* The `situation` plugin: config validation, grid arithmetic, thresholds. */
#include "plugin_test.h"

#include <stdio.h>
#include <string.h>

static const char *const scope[] = {"K1", "K2", "K3", NULL};

#define CONFIG                                                                             \
    "{\"scale_max\": 3, \"min_assessors\": 2, \"max_spread\": 1, \"criteria\": ["          \
    "{\"id\": \"c1\", \"competency\": \"K1\", \"label\": \"a\"},"                            \
    "{\"id\": \"c2\", \"competency\": \"K2\", \"label\": \"b\"},"                            \
    "{\"id\": \"c3\", \"competency\": \"K2\", \"label\": \"c\"},"                            \
    "{\"id\": \"c4\", \"competency\": \"K3\", \"label\": \"d\", \"eliminatory\": true}]}"

static void setup_ok(ph *h)
{
    ph_open_test(h, "situation", scope);
    assert_int_equal(ph_configure(h, CONFIG), CEV_PLUGIN_OK);
}

static void test_declares_its_competencies(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "situation", scope);
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 4, \"criteria\": [{\"id\": \"x\", "
                                      "\"competency\": \"K2\"}]}"),
                     CEV_PLUGIN_OK);
    assert_false(ph_declared(&h, "K1"));
    assert_true(ph_declared(&h, "K2"));
    ph_close(&h);
}

static void test_means_over_assessors_then_criteria(void **st)
{
    (void)st;
    ph h;
    setup_ok(&h);
    assert_int_equal(ph_score(&h, "{\"status\": \"present\", \"assessors\": {"
                                  "\"J1\": {\"c1\": 3, \"c2\": 2, \"c3\": 1, \"c4\": 3},"
                                  "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}"),
                     CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT);
    assert_double_equal(ph_value(&h, "K1"), 2.5 / 3, 1e-15);
    /* K2: mean of (2/3, 1.5/3) */
    assert_double_equal(ph_value(&h, "K2"), (2.0 / 3 + 0.5) / 2, 1e-15);
    assert_double_equal(ph_value(&h, "K3"), 2.5 / 3, 1e-15);
    assert_int_equal(ph_nassessors(&h), 2);
    assert_false(ph_eliminated(&h, "K3"));
    assert_int_equal(ph_nflags(&h), 0);
    ph_close(&h);
}

static void test_eliminatory_exactly_at_half_is_not_below(void **st)
{
    (void)st;
    ph h;
    setup_ok(&h);
    /* c4 mean = 1.5 = scale_max / 2: not strictly below */
    assert_int_equal(ph_score(&h, "{\"assessors\": {"
                                  "\"J1\": {\"c1\": 3, \"c2\": 2, \"c3\": 1, \"c4\": 1},"
                                  "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}"),
                     CEV_OK);
    assert_false(ph_eliminated(&h, "K3"));
    /* 1.25 < 1.5: eliminated */
    assert_int_equal(ph_score(&h, "{\"assessors\": {"
                                  "\"J1\": {\"c1\": 3, \"c2\": 2, \"c3\": 1, \"c4\": 1},"
                                  "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 1.5}}}"),
                     CEV_OK);
    assert_true(ph_eliminated(&h, "K3"));
    ph_close(&h);
}

static void test_rounding_never_crosses_a_threshold(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "situation", scope);
    /* (0.7 + 0.1) / 2 is 0.39999999999999997 in doubles, exactly 0.4 = 0.8 / 2 */
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 0.8, \"criteria\": [{\"id\": \"c\", "
                                      "\"competency\": \"K1\", \"eliminatory\": true}]}"),
                     CEV_PLUGIN_OK);
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {\"c\": 0.7}, \"J2\": {\"c\": 0.1}}}"),
                     CEV_OK);
    assert_false(ph_eliminated(&h, "K1"));
    assert_double_equal(ph_value(&h, "K1"), 0.5, 1e-12);
    ph_close(&h);
}

/* The same scores listed in another order give the same bytes: summed in
 * evidence order, 0.2 + 0.6 + 0.7 and 0.7 + 0.6 + 0.2 differ in the last
 * bit, and the mean was 0.5 or 0.49999999999999994 - below the eliminatory
 * threshold of 1 / 2 for some orders only. */
static void test_mean_ignores_assessor_order(void **st)
{
    (void)st;
    static const char *const rows[] = {"\"J1\": {\"c\": 0.2}", "\"J2\": {\"c\": 0.6}",
                                       "\"J3\": {\"c\": 0.7}"};
    static const int orders[][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                    {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    double first = 0;
    int first_eliminated = 0;
    for (size_t k = 0; k < sizeof orders / sizeof orders[0]; k++) {
        ph h;
        ph_open_test(&h, "situation", scope);
        assert_int_equal(ph_configure(&h, "{\"scale_max\": 1, \"criteria\": [{\"id\": \"c\", "
                                          "\"competency\": \"K1\", \"eliminatory\": true}]}"),
                         CEV_PLUGIN_OK);
        char evidence[256];
        snprintf(evidence, sizeof evidence, "{\"assessors\": {%s, %s, %s}}", rows[orders[k][0]],
                 rows[orders[k][1]], rows[orders[k][2]]);
        assert_int_equal(ph_score(&h, evidence), CEV_OK);
        double v = ph_value(&h, "K1");
        int eliminated = ph_eliminated(&h, "K1");
        if (k == 0) {
            first = v;
            first_eliminated = eliminated;
        } else if (memcmp(&v, &first, sizeof v) != 0 || eliminated != first_eliminated) {
            fail_msg("order %zu: %.17g (eliminated %d), order 0: %.17g (eliminated %d)", k, v,
                     eliminated, first, first_eliminated);
        }
        ph_close(&h);
    }
}

static void test_spread_flag(void **st)
{
    (void)st;
    ph h;
    setup_ok(&h);
    /* c1: 3 vs 1 (spread 2 > 1); c2: 3 vs 2 (spread 1, not above) */
    assert_int_equal(ph_score(&h, "{\"assessors\": {"
                                  "\"J1\": {\"c1\": 3, \"c2\": 3, \"c3\": 2, \"c4\": 2},"
                                  "\"J2\": {\"c1\": 1, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}"),
                     CEV_OK);
    assert_true(ph_flagged(&h, "assessor_spread:c1"));
    assert_false(ph_flagged(&h, "assessor_spread:c2"));
    assert_int_equal(ph_nflags(&h), 1);
    ph_close(&h);
}

/* 100 criteria alternating K1, K2 (a competency's criteria not adjacent),
 * 3 assessors giving their scores in reverse order: more values than the
 * plugin keeps on its stack.  Criterion i scores i % 4 for J1, 3 - i % 4
 * for J2, and for J3 3 on K1's criteria, 0 on K2's: each K1 criterion's
 * mean is 2 and each K2 criterion's 1, so K1 = 2/3 and K2 = 1/3. */
static void test_large_interleaved_grid(void **st)
{
    (void)st;
    char config[8192], evidence[16384];
    size_t n = 0;
    n += (size_t)snprintf(config + n, sizeof config - n, "{\"scale_max\": 3, \"criteria\": [");
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(config + n, sizeof config - n,
                              "%s{\"id\": \"q%d\", \"competency\": \"K%d\"}", i ? "," : "", i,
                              1 + i % 2);
    snprintf(config + n, sizeof config - n, "]}");
    n = 0;
    n += (size_t)snprintf(evidence + n, sizeof evidence - n, "{\"assessors\": {");
    for (int j = 0; j < 3; j++) {
        n += (size_t)snprintf(evidence + n, sizeof evidence - n, "%s\"J%d\": {", j ? "," : "",
                              j + 1);
        for (int i = 99; i >= 0; i--) {
            int v = j == 0 ? i % 4 : j == 1 ? 3 - i % 4 : i % 2 == 0 ? 3 : 0;
            n += (size_t)snprintf(evidence + n, sizeof evidence - n, "%s\"q%d\": %d",
                                  i < 99 ? "," : "", i, v);
        }
        n += (size_t)snprintf(evidence + n, sizeof evidence - n, "}");
    }
    snprintf(evidence + n, sizeof evidence - n, "}}");
    ph h;
    ph_open_test(&h, "situation", scope);
    assert_int_equal(ph_configure(&h, config), CEV_PLUGIN_OK);
    assert_int_equal(ph_score(&h, evidence), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 2.0 / 3, 1e-12);
    assert_double_equal(ph_value(&h, "K2"), 1.0 / 3, 1e-12);
    assert_false(ph_scored(&h, "K3"));
    assert_int_equal(ph_nassessors(&h), 3);
    /* the last criterion missing for J3: named, though J3 lists the others */
    char *cut = strstr(evidence, "\"J3\"");
    assert_non_null(cut);
    char *q0 = strstr(cut, ",\"q0\": 3");
    assert_non_null(q0);
    memmove(q0, q0 + strlen(",\"q0\": 3"), strlen(q0 + strlen(",\"q0\": 3")) + 1);
    expect_evidence_error(&h, evidence, "evidence.A.assessors.J3",
                          "A.assessors.J3: no score for criterion q0");
    ph_close(&h);
}

static void test_absent_and_excused_need_nothing_else(void **st)
{
    (void)st;
    ph h;
    setup_ok(&h);
    assert_int_equal(ph_score(&h, "{\"status\": \"absent\"}"), CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_ABSENT);
    assert_false(ph_scored(&h, "K1"));
    assert_int_equal(ph_score(&h, "{\"status\": \"excused\", \"whatever\": 1}"), CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_EXCUSED);
    ph_close(&h);
}

static void test_empty_grid_is_a_presence_check(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "situation", scope);
    assert_int_equal(ph_configure(&h, "{\"scale_max\": 3, \"criteria\": []}"), CEV_PLUGIN_OK);
    assert_false(ph_declared(&h, "K1"));
    /* held by the members named: at least min_assessors (1), never nobody */
    expect_evidence_error(&h, "{}", "evidence.A.assessors", "A.assessors: is required");
    expect_evidence_error(&h, "{\"assessors\": {}}", "evidence.A.assessors",
                          "A.assessors: 0 assessor(s), at least 1 required");
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {}}}"), CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT);
    assert_false(ph_scored(&h, "K1"));
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {}, \"J2\": {}}}"), CEV_OK);
    assert_int_equal(ph_nassessors(&h), 2); /* named, so the jury rules see them */
    expect_evidence_error(&h, "{\"assessors\": {\"J1\": {\"c1\": 2}}}", "evidence.A.assessors.J1",
                          "unknown criterion");
    ph_close(&h);
}

static void test_bad_evidence(void **st)
{
    (void)st;
    ph h;
    setup_ok(&h);
    expect_evidence_error(&h,
                          "{\"assessors\": {\"J1\": {\"c1\": 3, \"c2\": 2, \"c3\": 1, \"c4\": 3},"
                          "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2}}}",
                          "evidence.A.assessors.J2", "A.assessors.J2: no score for criterion c4");
    expect_evidence_error(&h, "{\"assessors\": {\"J1\": {\"c1\": 3, \"c2\": 2, \"c3\": 1, \"c4\": 3}}}",
                          "evidence.A.assessors", "at least 2");
    expect_evidence_error(&h, "{\"assessors\": {}}", "evidence.A.assessors", "at least 2");
    expect_evidence_error(&h,
                          "{\"assessors\": {\"J1\": {\"c1\": 3, \"c2\": 2, \"c3\": 1, \"c4\": 3, \"c9\": 1},"
                          "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}",
                          "evidence.A.assessors.J1", "unknown criterion \"c9\"");
    expect_evidence_error(&h,
                          "{\"assessors\": {\"J1\": {\"c1\": 4, \"c2\": 2, \"c3\": 1, \"c4\": 3},"
                          "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}",
                          "evidence.A.assessors.J1", "outside [0, 3]");
    expect_evidence_error(&h,
                          "{\"assessors\": {\"J1\": {\"c1\": -1, \"c2\": 2, \"c3\": 1, \"c4\": 3},"
                          "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}",
                          "evidence.A.assessors.J1", "outside");
    expect_evidence_error(&h,
                          "{\"assessors\": {\"J1\": {\"c1\": \"3\", \"c2\": 2, \"c3\": 1, \"c4\": 3},"
                          "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}",
                          "evidence.A.assessors.J1", "must be a number");
    expect_evidence_error(&h,
                          "{\"assessors\": {\"J1\": {\"c1\": null, \"c2\": 2, \"c3\": 1, \"c4\": 3},"
                          "\"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2}}}",
                          "evidence.A.assessors.J1", "must be a number");
    expect_evidence_error(&h, "{\"assessors\": {\"J1\": [], \"J2\": {}}}", "evidence.A.assessors.J1",
                          "must be an object");
    expect_evidence_error(&h, "{\"assessor\": {}}", "evidence.A.assessor", "unknown field");
    expect_evidence_error(&h, "{}", "evidence.A.assessors", "is required");
    expect_evidence_error(&h, "{\"status\": \"late\", \"assessors\": {}}", "evidence.A.status",
                          "unknown status");
    assert_int_equal(ph_score(&h, "[1, 2]"), CEV_EEVIDENCE);
    assert_string_equal(ph_error_path(&h), "evidence.A");
    ph_close(&h);
}

#define expect_situation_config_error(config, path) \
    expect_config_error("situation", scope, config, path)

static void test_bad_config(void **st)
{
    (void)st;
    expect_situation_config_error("{\"criteria\": [{\"id\": \"c\", \"competency\": \"K1\"}]}", "scale_max");
    expect_situation_config_error("{\"scale_max\": 0, \"criteria\": [{\"id\": \"c\", \"competency\": \"K1\"}]}",
                        "scale_max");
    expect_situation_config_error("{\"scale_max\": 3, \"criteria\": {}}", "criteria");
    expect_situation_config_error("{\"scale_max\": 3}", "criteria");
    expect_situation_config_error("{\"scale_max\": 3, \"criteria\": [{\"id\": \"c\", \"competency\": \"K1\"},"
                        "{\"id\": \"c\", \"competency\": \"K2\"}]}",
                        "criteria[1].id");
    expect_situation_config_error("{\"scale_max\": 3, \"criteria\": [{\"id\": \"c\", \"competency\": \"K1\"},"
                        "{\"id\": \"d\", \"competency\": \"K9\"}]}",
                        "criteria[1].competency");
    expect_situation_config_error("{\"scale_max\": 3, \"criteria\": [{\"id\": \"c\", \"competency\": \"K1\", "
                        "\"max\": 4}]}",
                        "criteria[0].max");
    expect_situation_config_error("{\"scale_max\": 3, \"criteria\": [{\"id\": \"c\", \"competency\": \"K1\", "
                        "\"eliminatory\": 1}]}",
                        "criteria[0].eliminatory");
    expect_situation_config_error("{\"scale_max\": 3, \"criteria\": [{\"competency\": \"K1\"}]}",
                        "criteria[0].id");
    expect_situation_config_error("{\"scale_max\": 3, \"min_assessors\": 0, \"criteria\": [{\"id\": \"c\", "
                        "\"competency\": \"K1\"}]}",
                        "min_assessors");
    expect_situation_config_error("{\"scale_max\": 3, \"min_assessors\": 1.5, \"criteria\": [{\"id\": \"c\", "
                        "\"competency\": \"K1\"}]}",
                        "min_assessors");
    expect_situation_config_error("{\"scale_max\": 3, \"max_spread\": -1, \"criteria\": [{\"id\": \"c\", "
                        "\"competency\": \"K1\"}]}",
                        "max_spread");
    expect_situation_config_error("{\"scale_max\": 3, \"collective\": \"yes\", \"criteria\": [{\"id\": \"c\", "
                        "\"competency\": \"K1\"}]}",
                        "collective");
    expect_situation_config_error("{\"scale_max\": 3, \"min_minutes\": 3, \"criteria\": [{\"id\": \"c\", "
                        "\"competency\": \"K1\"}]}",
                        "min_minutes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declares_its_competencies),
        cmocka_unit_test(test_means_over_assessors_then_criteria),
        cmocka_unit_test(test_eliminatory_exactly_at_half_is_not_below),
        cmocka_unit_test(test_rounding_never_crosses_a_threshold),
        cmocka_unit_test(test_mean_ignores_assessor_order),
        cmocka_unit_test(test_spread_flag),
        cmocka_unit_test(test_large_interleaved_grid),
        cmocka_unit_test(test_absent_and_excused_need_nothing_else),
        cmocka_unit_test(test_empty_grid_is_a_presence_check),
        cmocka_unit_test(test_bad_evidence),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
