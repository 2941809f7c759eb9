/*
 * test_portfolio.c - the portfolio modality's unit tests, with cmocka and
 * certeval's plugin test harness (certeval/harness.h, libcertevalharness):
 * the plugin is loaded, configured and scored by certeval's own host code,
 * from the folder it was built in (PORTFOLIO_PLUGIN_DIR).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <certeval/harness.h>

static const char *const scope[] = {"BC01.C1", "BC01.C2", NULL};

#define CONFIG                                                                              \
    "{\"scale_max\": 4, \"min_situations\": 2, \"competencies\": [\"BC01.C1\", \"BC01.C2\"]}"

static void open_configured(ph *h)
{
    assert_int_equal(ph_open(h, PORTFOLIO_PLUGIN_DIR, "portfolio", scope), 0);
    assert_int_equal(ph_configure(h, CONFIG), CEV_PLUGIN_OK);
}

/* A competency's score: the mean over its situations of the mean rating
 * divided by scale_max. */
static void test_scores_are_means_of_situations(void **state)
{
    (void)state;
    ph h;
    open_configured(&h);
    assert_true(ph_declared(&h, "BC01.C1"));
    assert_int_equal(ph_score(&h, "{\"situations\": ["
                                  "{\"id\": \"S1\", \"title\": \"t\", \"competencies\": [\"BC01.C1\"], "
                                  "\"ratings\": {\"J1\": {\"BC01.C1\": 3}}}, "
                                  "{\"id\": \"S2\", \"title\": \"t\", \"competencies\": [\"BC01.C1\", \"BC01.C2\"], "
                                  "\"ratings\": {\"J1\": {\"BC01.C1\": 4, \"BC01.C2\": 2}}}]}"),
                     PH_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT);
    assert_double_equal(ph_value(&h, "BC01.C1"), 0.875, 1e-12);
    assert_double_equal(ph_value(&h, "BC01.C2"), 0.5, 0);
    assert_true(ph_nassessors(&h) > 0); /* J1 is named: the jury rules see the assessors */
    assert_int_equal(ph_nflags(&h), 0);
    ph_close(&h);
}

/* Fewer situations than min_situations: inadmissible, flagged. */
static void test_too_few_situations(void **state)
{
    (void)state;
    ph h;
    open_configured(&h);
    assert_int_equal(ph_score(&h, "{\"situations\": [{\"id\": \"S1\", \"title\": \"t\", "
                                  "\"competencies\": [\"BC01.C1\"], "
                                  "\"ratings\": {\"J1\": {\"BC01.C1\": 1}}}]}"),
                     PH_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_INADMISSIBLE);
    assert_true(ph_flagged(&h, "too_few_situations"));
    assert_false(ph_scored(&h, "BC01.C1"));
    ph_close(&h);
}

/* A competency the portfolio may not evidence: E_EVIDENCE at its path. */
static void test_unknown_competency_is_refused(void **state)
{
    (void)state;
    ph h;
    open_configured(&h);
    assert_int_equal(ph_score(&h, "{\"situations\": ["
                                  "{\"id\": \"S1\", \"title\": \"t\", \"competencies\": [\"BC01.C1\"], "
                                  "\"ratings\": {\"J1\": {\"BC01.C1\": 3}}}, "
                                  "{\"id\": \"S2\", \"title\": \"t\", \"competencies\": [\"BC01.C9\"], "
                                  "\"ratings\": {\"J1\": {\"BC01.C9\": 3}}}]}"),
                     PH_EEVIDENCE);
    assert_string_equal(ph_error_path(&h), "evidence.A.situations[1]");
    ph_close(&h);
}

/* absent and excused are the host's: the plugin is not called. */
static void test_absent_is_the_hosts(void **state)
{
    (void)state;
    ph h;
    open_configured(&h);
    assert_int_equal(ph_score(&h, "{\"status\": \"absent\"}"), PH_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_ABSENT);
    ph_close(&h);
}

/* A config without scale_max is refused at its path. */
static void test_bad_config(void **state)
{
    (void)state;
    ph h;
    assert_int_equal(ph_open(&h, PORTFOLIO_PLUGIN_DIR, "portfolio", scope), 0);
    assert_int_equal(ph_configure(&h, "{\"competencies\": [\"BC01.C1\"]}"), CEV_PLUGIN_EINPUT);
    assert_string_equal(ph_error_path(&h), "scale_max");
    ph_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_are_means_of_situations),
        cmocka_unit_test(test_too_few_situations),
        cmocka_unit_test(test_unknown_competency_is_refused),
        cmocka_unit_test(test_absent_is_the_hosts),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
