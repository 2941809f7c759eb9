/* The `quiz` plugin: keys as sets, points, penalty, clamping at 0. */
#include "plugin_test.h"

static const char *const scope[] = {"K1", "K2", NULL};

#define CONFIG                                                                               \
    "{\"penalty\": 0.25, \"questions\": ["                                                   \
    "{\"id\": \"q1\", \"competency\": \"K1\", \"answer\": \"b\", \"points\": 1},"            \
    "{\"id\": \"q2\", \"competency\": \"K1\", \"answer\": [\"a\", \"c\"]},"                  \
    "{\"id\": \"q3\", \"competency\": \"K2\", \"answer\": \"d\", \"points\": 2}]}"

static void open_ok(ph *h)
{
    ph_open_test(h, "quiz", scope);
    assert_int_equal(ph_configure(h, CONFIG), CEV_PLUGIN_OK);
}

static void test_sets_points_and_penalty(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": \"b\", \"q2\": [\"c\", \"a\"], \"q3\": null}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 1.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 0.0, 0);
    /* q1 right (+1), q2 wrong (-0.25): 0.75 / 2 */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": \"b\", \"q2\": [\"a\"], \"q3\": \"d\"}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.375, 0);
    assert_double_equal(ph_value(&h, "K2"), 1.0, 0);
    /* all wrong: negative total clamps to 0; missing answer earns 0 */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": \"a\", \"q2\": [\"a\", \"b\", \"c\"]}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 0.0, 0);
    /* repeated strings still make the same set; an empty answer object scores 0 */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q2\": [\"a\", \"c\", \"a\"]}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.5, 0);
    assert_int_equal(ph_score(&h, "{\"answers\": {}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    ph_close(&h);
}

static void test_single_string_key_against_arrays(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    /* a one-element array is the same set as the string key */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": [\"b\"]}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.5, 0);
    /* a string answer to a two-string key is wrong */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q2\": \"a\"}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    ph_close(&h);
}

/* The other way round: a key given as a one-element array is answered by
 * the string it holds, or by the same array; any other answer is wrong. */
static void test_one_element_array_key_against_a_string(void **st)
{
    (void)st;
    ph h;
    ph_open_test(&h, "quiz", scope);
    assert_int_equal(ph_configure(&h, "{\"penalty\": 0.5, \"questions\": ["
                                      "{\"id\": \"q1\", \"competency\": \"K1\", \"answer\": [\"b\"]},"
                                      "{\"id\": \"q2\", \"competency\": \"K2\", \"answer\": \"b\"}]}"),
                     CEV_PLUGIN_OK);
    /* both directions at once: ["b"] key / "b" answer, "b" key / ["b"] answer */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": \"b\", \"q2\": [\"b\"]}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 1.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 1.0, 0);
    /* and each form against itself */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": [\"b\"], \"q2\": \"b\"}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 1.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 1.0, 0);
    /* another string, or the string with another one, is wrong: - 0.5 clamps to 0 */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": \"c\", \"q2\": [\"b\", \"c\"]}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 0.0, 0);
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": [\"b\", \"c\"], \"q2\": \"c\"}}"),
                     CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 0.0, 0);
    /* an empty array answers neither */
    assert_int_equal(ph_score(&h, "{\"answers\": {\"q1\": [], \"q2\": []}}"), CEV_OK);
    assert_double_equal(ph_value(&h, "K1"), 0.0, 0);
    assert_double_equal(ph_value(&h, "K2"), 0.0, 0);
    ph_close(&h);
}

static void test_bad_evidence(void **st)
{
    (void)st;
    ph h;
    open_ok(&h);
    expect_evidence_error(&h, "{\"answers\": {\"q9\": \"a\"}}", "evidence.A.answers.q9",
                          "unknown question");
    expect_evidence_error(&h, "{\"answers\": {\"q2\": [\"a\", 3]}}", "evidence.A.answers.q2",
                          "strings only");
    expect_evidence_error(&h, "{\"answers\": {\"q1\": 2}}", "evidence.A.answers.q1", "string");
    expect_evidence_error(&h, "{\"answers\": []}", "evidence.A.answers", "object");
    expect_evidence_error(&h, "{}", "evidence.A.answers", "required");
    ph_close(&h);
}

static void test_bad_config(void **st)
{
    (void)st;
    expect_config_error("quiz", scope, "{\"questions\": []}", "questions");
    expect_config_error("quiz", scope,
                        "{\"questions\": [{\"id\": \"q\", \"competency\": \"K1\", \"answer\": \"a\"},"
                        "{\"id\": \"q\", \"competency\": \"K1\", \"answer\": \"a\"}]}",
                        "questions[1].id");
    expect_config_error("quiz", scope,
                        "{\"questions\": [{\"id\": \"q\", \"competency\": \"K1\", \"answer\": []}]}",
                        "questions[0].answer");
    expect_config_error("quiz", scope,
                        "{\"questions\": [{\"id\": \"q\", \"competency\": \"K1\", \"answer\": "
                        "[\"a\", \"a\"]}]}",
                        "questions[0].answer");
    expect_config_error("quiz", scope,
                        "{\"questions\": [{\"id\": \"q\", \"competency\": \"K1\"}]}",
                        "questions[0].answer");
    expect_config_error("quiz", scope,
                        "{\"penalty\": -1, \"questions\": [{\"id\": \"q\", \"competency\": \"K1\", "
                        "\"answer\": \"a\"}]}",
                        "penalty");
    expect_config_error("quiz", scope,
                        "{\"questions\": [{\"id\": \"q\", \"competency\": \"K1\", \"answer\": \"a\", "
                        "\"points\": 0}]}",
                        "questions[0].points");
    expect_config_error("quiz", scope,
                        "{\"questions\": [{\"id\": \"q\", \"competency\": \"K7\", \"answer\": \"a\"}]}",
                        "questions[0].competency");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sets_points_and_penalty),
        cmocka_unit_test(test_single_string_key_against_arrays),
        cmocka_unit_test(test_one_element_array_key_against_a_string),
        cmocka_unit_test(test_bad_evidence),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
