/* The `dossier` plugin: admissibility (the session's deadline, pages,
 * missing) and the weighted grid. */
#include "plugin_test.h"

static const char *const scope[] = {"K1", "K2", NULL};

#define CONFIG                                                                              \
    "{\"deadline_days\": 13, \"max_pages\": 30, \"criteria\": ["                             \
    "{\"id\": \"s\", \"competency\": \"K1\", \"max\": 4, \"weight\": 2},"                   \
    "{\"id\": \"f\", \"competency\": \"K1\", \"max\": 5},"                                  \
    "{\"id\": \"e\", \"competency\": \"K2\", \"max\": 4, \"eliminatory\": true}]}"

static void open_ok(ph *h)
{
    ph_open_test(h, "dossier", scope);
    assert_int_equal(ph_configure(h, CONFIG), CEV_PLUGIN_OK);
    ph_session(h, "2024-03-14", NULL); /* deadline 13 days before: 2024-03-01 */
}

#define GRID                                                                                \
    "\"criteria\": [{\"id\": \"s\", \"competency\": \"K1\", \"max\": 4}]"

/* Scores a work submitted on `day` and returns whether it was late. */
static int late_on(ph *h, const char *day)
{
    char ev[128];
    snprintf(ev, sizeof ev, "{\"submitted_on\": \"%s\", \"assessors\": {\"J1\": {\"s\": 4}}}",
             day);
    assert_int_equal(ph_score(h, ev), CEV_OK);
    int late = ph_flagged(h, "late");
    assert_int_equal(ph_status(h), late ? CEV_STATUS_INADMISSIBLE : CEV_STATUS_PRESENT);
    return late;
}

/* The deadline is the session's: its calendar's date for the assessment,
 * else the session date minus deadline_days, else none; the last day
 * itself is in time. */
static void test_deadline_from_the_session(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{\"deadline_days\": 13, " GRID "}"), CEV_PLUGIN_OK);
    /* the calendar names this assessment ("A"): its date wins over deadline_days */
    ph_session(&h, "2024-03-14", "{\"A\": \"2024-03-10\"}");
    assert_false(late_on(&h, "2024-03-10"));
    assert_true(late_on(&h, "2024-03-11"));
    ph_session(&h, "2024-03-14", "{\"A\": \"2024-02-20\"}");
    assert_false(late_on(&h, "2024-02-20"));
    assert_true(late_on(&h, "2024-02-21"));
    /* the calendar names other assessments only: the session date - 13 */
    ph_session(&h, "2024-03-14", "{\"B\": \"2024-01-01\"}");
    assert_false(late_on(&h, "2024-03-01"));
    assert_true(late_on(&h, "2024-03-02"));
    /* across February of a leap year: 2024-03-13 - 13 = 2024-02-29 */
    ph_session(&h, "2024-03-13", NULL);
    assert_false(late_on(&h, "2024-02-29"));
    assert_true(late_on(&h, "2024-03-01"));
    /* across a year: 2025-01-05 - 13 = 2024-12-23 */
    ph_session(&h, "2025-01-05", NULL);
    assert_false(late_on(&h, "2024-12-23"));
    assert_true(late_on(&h, "2024-12-24"));
    ph_close(&h);

    /* deadline_days 0: the session day itself */
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{\"deadline_days\": 0, " GRID "}"), CEV_PLUGIN_OK);
    ph_session(&h, "2024-03-14", NULL);
    assert_false(late_on(&h, "2024-03-14"));
    assert_true(late_on(&h, "2024-03-15"));
    ph_close(&h);

    /* no deadline_days: only the calendar sets a deadline */
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{" GRID "}"), CEV_PLUGIN_OK);
    ph_session(&h, "2024-03-14", NULL);
    assert_false(late_on(&h, "2030-01-01"));
    ph_session(&h, "2024-03-14", "{\"A\": \"2024-03-01\"}");
    assert_false(late_on(&h, "2024-03-01"));
    assert_true(late_on(&h, "2024-03-02"));
    ph_close(&h);

    /* no session at all (the plugin on its own): no deadline */
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{\"deadline_days\": 13, " GRID "}"), CEV_PLUGIN_OK);
    assert_false(late_on(&h, "2030-01-01"));
    ph_close(&h);
}

static void test_weighted_scores(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    assert_int_equal(ph_score(&h, "{\"status\": \"submitted\", \"submitted_on\": \"2024-02-27\", "
                                  "\"pages\": 24, \"assessors\": {\"J1\": {\"s\": 3, \"f\": 5, \"e\": 2},"
                                  "\"J2\": {\"s\": 1, \"f\": 4, \"e\": 2}}}"),
                     CEV_OK);
    /* K1 = (2 * (2/4) + 1 * (4.5/5)) / 3 */
    assert_double_equal(ph_value(&h, "K1"), (2 * 0.5 + 0.9) / 3, 1e-15);
    assert_double_equal(ph_value(&h, "K2"), 0.5, 0);
    assert_false(ph_eliminated(&h, "K2")); /* 2 = max / 2 is not below */
    assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT);
    ph_close(&h);
}

static void test_eliminatory_below_half(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    assert_int_equal(ph_score(&h, "{\"submitted_on\": \"2024-03-01\", \"pages\": 30, \"assessors\": "
                                  "{\"J1\": {\"s\": 4, \"f\": 5, \"e\": 1.5}}}"),
                     CEV_OK);
    assert_true(ph_eliminated(&h, "K2"));
    assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT); /* on the deadline and at the page limit */
    ph_close(&h);
}

static void test_inadmissible(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    assert_int_equal(ph_score(&h, "{\"submitted_on\": \"2024-03-02\", \"pages\": 12}"), CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_INADMISSIBLE);
    assert_true(ph_flagged(&h, "late"));
    assert_false(ph_scored(&h, "K1"));
    assert_int_equal(ph_score(&h, "{\"submitted_on\": \"2024-02-02\", \"pages\": 31, "
                                  "\"assessors\": {\"J1\": {\"s\": 4, \"f\": 5, \"e\": 4}}}"),
                     CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_INADMISSIBLE);
    assert_true(ph_flagged(&h, "too_long"));
    assert_false(ph_flagged(&h, "late"));
    assert_int_equal(ph_nassessors(&h), 1); /* not scored, but its assessor is named */
    assert_int_equal(ph_score(&h, "{\"submitted_on\": \"2024-04-02\", \"pages\": 31}"), CEV_OK);
    assert_true(ph_flagged(&h, "late"));
    assert_true(ph_flagged(&h, "too_long"));
    ph_close(&h);
}

static void test_dates_and_pages_are_optional(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    /* nothing says it is late or too long: scored */
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {\"s\": 4, \"f\": 5, \"e\": 4}}}"),
                     CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT);
    assert_double_equal(ph_value(&h, "K1"), 1.0, 0);
    ph_close(&h);
}

static void test_missing_is_absent(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    assert_int_equal(ph_score(&h, "{\"status\": \"missing\"}"), CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_ABSENT);
    assert_true(ph_flagged(&h, "missing"));
    ph_close(&h);
}

static void test_bad_evidence(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    expect_evidence_error(&h, "{\"submitted_on\": \"2024-02-30\", \"pages\": 3}",
                          "evidence.A.submitted_on", "not a date");
    expect_evidence_error(&h, "{\"submitted_on\": \"2024-02-20\", \"pages\": 2.5}",
                          "evidence.A.pages", "whole number");
    expect_evidence_error(&h, "{\"submitted_on\": \"2024-02-20\", \"pages\": 3, \"assessors\": "
                              "{\"J1\": {\"s\": 4.5, \"f\": 5, \"e\": 4}}}",
                          "evidence.A.assessors.J1", "outside [0, 4]");
    expect_evidence_error(&h, "{\"status\": \"present\"}", "evidence.A.status", "unknown status");
    ph_close(&h);
}

static void test_no_limits_configured(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{\"criteria\": [{\"id\": \"s\", \"competency\": \"K1\", "
                                      "\"max\": 4}]}"),
                     CEV_PLUGIN_OK);
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {\"s\": 0}}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    ph_close(&h);
}

static void test_bad_config(void **st)
{
    (void)st;
    expect_config_error("dossier", scope, "{\"criteria\": [{\"id\": \"s\", \"competency\": \"K1\"}]}",
                        "criteria[0].max");
    expect_config_error("dossier", scope,
                        "{\"criteria\": [{\"id\": \"s\", \"competency\": \"K1\", \"max\": 4, "
                        "\"weight\": 0}]}",
                        "criteria[0].weight");
    /* an absolute date is refused, with what replaced it */
    ph h;
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{\"deadline\": \"2024-03-01\", " GRID "}"),
                     CEV_PLUGIN_EINPUT);
    assert_string_equal(ph_error_path(&h), "deadline");
    assert_non_null(strstr(ph_error_message(&h), "session.deadlines"));
    assert_non_null(strstr(ph_error_message(&h), "deadline_days"));
    ph_close(&h);
    expect_config_error("dossier", scope, "{\"deadline\": \"2024-13-01\", " GRID "}", "deadline");
    expect_config_error("dossier", scope, "{\"deadline_days\": -1, " GRID "}", "deadline_days");
    expect_config_error("dossier", scope, "{\"deadline_days\": 1.5, " GRID "}", "deadline_days");
    expect_config_error("dossier", scope, "{\"deadline_days\": \"14\", " GRID "}",
                        "deadline_days");
    expect_config_error("dossier", scope,
                        "{\"max_pages\": 0, \"criteria\": [{\"id\": \"s\", \"competency\": \"K1\", "
                        "\"max\": 4}]}",
                        "max_pages");
    expect_config_error("dossier", scope,
                        "{\"scale_max\": 4, \"criteria\": [{\"id\": \"s\", \"competency\": \"K1\", "
                        "\"max\": 4}]}",
                        "scale_max");
}

/* A dossier with no criteria is a submission check: "assessors" left out
 * and "assessors": {} mean the same (admissible, nothing scored, nobody
 * named); when criteria are scored, either is refused with a message that
 * names the member (a record's message is read without its path). */
static void test_empty_assessors_as_absent(void **st)
{
    (void)st;
    static const char *const evidence[] = {
        "{\"submitted_on\": \"2024-02-20\", \"pages\": 3}",
        "{\"submitted_on\": \"2024-02-20\", \"pages\": 3, \"assessors\": {}}",
    };
    ph h;
    ph_open_test(&h, "dossier", scope);
    assert_int_equal(ph_configure(&h, "{\"deadline_days\": 13, \"max_pages\": 30, "
                                      "\"criteria\": []}"),
                     CEV_PLUGIN_OK);
    ph_session(&h, "2024-03-14", NULL);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(ph_score(&h, evidence[i]), CEV_OK);
        assert_int_equal(ph_status(&h), CEV_STATUS_PRESENT);
        assert_int_equal(ph_nflags(&h), 0);
        assert_int_equal(ph_nassessors(&h), 0);
        assert_false(ph_scored(&h, "K1"));
    }
    /* late, {} or not: inadmissible the same way */
    assert_int_equal(ph_score(&h, "{\"submitted_on\": \"2024-03-02\", \"assessors\": {}}"),
                     CEV_OK);
    assert_int_equal(ph_status(&h), CEV_STATUS_INADMISSIBLE);
    assert_true(ph_flagged(&h, "late"));
    /* named assessors still face the jury rules, with no criteria */
    assert_int_equal(ph_score(&h, "{\"assessors\": {\"J1\": {}}}"), CEV_OK);
    assert_int_equal(ph_nassessors(&h), 1);
    /* not an object: refused, however empty */
    expect_evidence_error(&h, "{\"assessors\": []}", "evidence.A.assessors",
                          "A.assessors: must be an object");
    ph_close(&h);

    open_ok(&h);
    expect_evidence_error(&h, "{\"submitted_on\": \"2024-02-20\"}", "evidence.A.assessors",
                          "A.assessors: is required");
    expect_evidence_error(&h, "{\"submitted_on\": \"2024-02-20\", \"assessors\": {}}",
                          "evidence.A.assessors", "A.assessors: 0 assessor(s), at least 1 required");
    expect_evidence_error(&h, "{\"assessors\": {\"\": {\"s\": 4, \"f\": 5, \"e\": 4}}}",
                          "evidence.A.assessors", "A.assessors: an assessor id is empty");
    ph_close(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weighted_scores),
        cmocka_unit_test(test_eliminatory_below_half),
        cmocka_unit_test(test_inadmissible),
        cmocka_unit_test(test_deadline_from_the_session),
        cmocka_unit_test(test_dates_and_pages_are_optional),
        cmocka_unit_test(test_missing_is_absent),
        cmocka_unit_test(test_bad_evidence),
        cmocka_unit_test(test_no_limits_configured),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_empty_assessors_as_absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
