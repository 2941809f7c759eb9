/* pipeline.c end to end: one line in, one decision or error record out,
 * for every error code, and the AICMP decision rules. */
#include "decide/pipeline.h"
#include "harness.h"
#include "packages.h"
#include "certeval/version.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decides `line` with the engine; returns the status, the output in *out. */
static int eval(cev_engine *eng, const char *line, char **out, cev_error *err)
{
    cev_worker w;
    cev_buf b;
    cev_buf_init(&b);
    assert_int_equal(cev_worker_init(&w, eng), CEV_OK);
    int rc = cev_worker_eval(&w, line, strlen(line), 7, &b, err);
    cev_worker_close(&w);
    assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
    *out = cev_buf_take(&b);
    return rc;
}

static void expect_code(cev_engine *eng, const char *line, int code, const char *part)
{
    char *out;
    cev_error err;
    int rc = eval(eng, line, &out, &err);
    if (rc != code)
        fail_msg("expected %s, got %s: %s", cev_code_name(code), cev_code_name(rc), out);
    char want[64];
    snprintf(want, sizeof want, "\"code\":\"%s\"", cev_code_name(code));
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "\"line\":7"));
    if (part && strstr(out, part) == NULL)
        fail_msg("output %s lacks \"%s\"", out, part);
    free(out);
}

/* ---- with the RNCP36524 package ------------------------------------------ */

static cev_engine aicmp;

static int setup_aicmp(void **st)
{
    (void)st;
    cev_error err;
    return cev_engine_open(&aicmp, CEV_TEST_PLUGINS_DIR, CEV_TEST_RULES_DIR, 0, &err);
}

static int teardown_aicmp(void **st)
{
    (void)st;
    cev_engine_close(&aicmp);
    return 0;
}

#define HEAD                                                                                 \
    "{\"candidate\": \"C1\", \"title\": \"RNCP36524\", \"session\": {\"id\": \"S\", \"date\": " \
    "\"2024-03-14\"}, \"jury\": [{\"id\": \"J1\", \"profile\": \"professional\"}, {\"id\": "  \
    "\"J2\", \"profile\": \"trainer\"}]"
#define BC03_MSP(c5a, c5b)                                                                   \
    "\"BC03.msp\": {\"assessors\": {\"J1\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2, "   \
    "\"c5\": " c5a "}, \"J2\": {\"c1\": 2, \"c2\": 2, \"c3\": 2, \"c4\": 2, \"c5\": " c5b "}}}"
#define BC03_ORAL(v)                                                                         \
    "\"BC03.entretien\": {\"assessors\": {\"J1\": {\"t1\": " v ", \"t2\": 2, \"t3\": " v     \
    ", \"t4\": 2}, \"J2\": {\"t1\": " v ", \"t2\": 2, \"t3\": " v ", \"t4\": 2}}}"

/* The decision of block `code` in a decision line (a short copy). */
static void block_decision(const char *out, const char *code, char *dst, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "\"code\":\"%s\",\"decision\":\"", code);
    const char *p = strstr(out, key);
    assert_non_null(p);
    p += strlen(key);
    size_t n = strcspn(p, "\"");
    snprintf(dst, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static void expect_block(const char *line, const char *code, const char *decision)
{
    char *out, got[32];
    cev_error err;
    int rc = eval(&aicmp, line, &out, &err);
    if (rc != CEV_OK)
        fail_msg("%s", out);
    block_decision(out, code, got, sizeof got);
    if (strcmp(got, decision) != 0)
        fail_msg("%s: expected %s, got %s in %s", code, decision, got, out);
    free(out);
}

static void test_bc03_thresholds_and_elimination(void **st)
{
    (void)st;
    /* BC03.C4 is scored by the oral only: 1.5/3 = 0.5, exactly the threshold */
    expect_block(HEAD ", \"evidence\": {" BC03_MSP("2", "2") ", " BC03_ORAL("1.5") "}}",
                 "RNCP36524BC03", "validated");
    /* 1.4/3 < 0.5 */
    expect_block(HEAD ", \"evidence\": {" BC03_MSP("2", "2") ", " BC03_ORAL("1.4") "}}",
                 "RNCP36524BC03", "not_validated");
    /* safety criterion at 1.5 = scale_max/2: not eliminated */
    expect_block(HEAD ", \"evidence\": {" BC03_MSP("1", "2") ", " BC03_ORAL("2") "}}",
                 "RNCP36524BC03", "validated");
    /* 1.25 < 1.5: eliminated, even with every mean above 0.5 */
    expect_block(HEAD ", \"evidence\": {" BC03_MSP("1", "1.5") ", " BC03_ORAL("3") "}}",
                 "RNCP36524BC03", "not_validated");
}

static void test_block_states(void **st)
{
    (void)st;
    const char *one_assessment = HEAD ", \"evidence\": {" BC03_MSP("2", "2") "}}";
    expect_block(one_assessment, "RNCP36524BC03", "absent"); /* rule 4: no evidence for one */
    expect_block(one_assessment, "RNCP36524BC01", "not_presented");
    expect_block(HEAD ", \"evidence\": {" BC03_MSP("2", "2") ", \"BC03.entretien\": {\"status\": "
                      "\"excused\"}}}",
                 "RNCP36524BC03", "absent");
    /* rule 2: capitalised on or before the session date; evidence ignored */
    expect_block(HEAD ", \"acquired_blocks\": [{\"block\": \"RNCP36524BC03\", \"date\": "
                      "\"2024-03-14\"}], \"evidence\": {" BC03_MSP("0", "0") "}}",
                 "RNCP36524BC03", "validated");
    expect_block(HEAD ", \"acquired_blocks\": [{\"block\": \"RNCP36524BC03\", \"date\": "
                      "\"2024-03-15\"}], \"evidence\": {}}",
                 "RNCP36524BC03", "not_presented");
    /* rule 7: deliberation overrides an absent block */
    expect_block(HEAD ", \"evidence\": {" BC03_MSP("2", "2") "}, \"deliberation\": "
                      "{\"RNCP36524BC03\": {\"decision\": \"validated\", \"motivation\": \"m\"}}}",
                 "RNCP36524BC03", "validated");
}

static void test_title_and_absent_candidate(void **st)
{
    (void)st;
    char *out;
    cev_error err;
    assert_int_equal(eval(&aicmp, HEAD ", \"evidence\": {}}", &out, &err), CEV_OK);
    assert_non_null(strstr(out, "\"decision\":\"not_awarded\""));
    assert_null(strstr(out, "\"decision\":\"validated\""));
    free(out);
    assert_int_equal(eval(&aicmp, HEAD ", \"evidence\": {" BC03_MSP("2", "2") ", " BC03_ORAL("2") "}}",
                          &out, &err),
                     CEV_OK);
    assert_non_null(strstr(out, "\"decision\":\"partial\""));
    assert_non_null(strstr(out, "\"provenance\":{\"engine\":\"" CEV_ENGINE_VERSION "\",\"package\":{\"path\":"
                                "\"rncp36524\""));
    free(out);
}

static void test_same_line_same_bytes(void **st)
{
    (void)st;
    const char *line = HEAD ", \"evidence\": {" BC03_MSP("2", "1.5") ", " BC03_ORAL("2.5") "}}";
    char *a, *b;
    cev_error err;
    assert_int_equal(eval(&aicmp, line, &a, &err), CEV_OK);
    /* one worker deciding other records in between gives the same bytes */
    cev_worker w;
    cev_buf buf;
    cev_buf_init(&buf);
    assert_int_equal(cev_worker_init(&w, &aicmp), CEV_OK);
    cev_worker_eval(&w, HEAD ", \"evidence\": {}}", 36, 1, &buf, &err);
    cev_worker_eval(&w, "nonsense", 8, 2, &buf, &err);
    cev_buf_reset(&buf);
    assert_int_equal(cev_worker_eval(&w, line, strlen(line), 7, &buf, &err), CEV_OK);
    b = cev_buf_take(&buf);
    cev_worker_close(&w);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_error_codes_with_the_real_package(void **st)
{
    (void)st;
    expect_code(&aicmp, "{\"candidate\": \"C1\",", CEV_EJSON, "\"candidate\":null");
    expect_code(&aicmp, "[1, 2]", CEV_ESCHEMA, "must be a JSON object");
    expect_code(&aicmp, "{\"candidate\": \"C9\", \"title\": 3}", CEV_ESCHEMA, "\"candidate\":\"C9\"");
    expect_code(&aicmp, HEAD ", \"evidence\": {}, \"Evidence\": {}}", CEV_ESCHEMA,
                "unknown field \\\"Evidence\\\"");
    expect_code(&aicmp, HEAD ", \"route\": \"apprentissage\", \"evidence\": {}}", CEV_ETITLE,
                "\"path\":\"route\"");
    expect_code(&aicmp, HEAD ", \"route\": \"par correspondance\", \"evidence\": {}}", CEV_ESCHEMA,
                "not an access route");
    expect_code(&aicmp, "{\"candidate\": \"C1\", \"title\": \"RNCP36524\", \"session\": {\"id\": "
                        "\"S\", \"date\": \"2024-06-02\"}, \"jury\": [], \"evidence\": {}}",
                CEV_ETITLE, "in force on 2024-06-02");
    expect_code(&aicmp, HEAD ", \"evidence\": {\"BC03.msp\": 3}}", CEV_EEVIDENCE,
                "\"path\":\"evidence.BC03.msp\"");
    expect_code(&aicmp, HEAD ", \"evidence\": {\"BC03.ms\": {}}}", CEV_EEVIDENCE,
                "no assessment \\\"BC03.ms\\\"");
    expect_code(&aicmp, HEAD ", \"evidence\": {}, \"deliberation\": {\"RNCP36524BC09\": "
                        "{\"decision\": \"validated\", \"motivation\": \"m\"}}}",
                CEV_ESCHEMA, "not a block of RNCP36524");
    expect_code(&aicmp, HEAD ", \"evidence\": {}, \"deliberation\": {\"RNCP36524BC01\": "
                        "{\"decision\": \"validated\", \"motivation\": \"m\"}}}",
                CEV_ESCHEMA, "not presented");
    /* a title that replaces nothing knows every block it may be given */
    expect_code(&aicmp, "{\"candidate\": \"C1\", \"title\": \"TP-TMS\", \"session\": {\"id\": "
                        "\"S\", \"date\": \"2014-01-01\", \"type\": \"ccp\"}, \"jury\": [{\"id\": "
                        "\"J1\", \"profile\": \"professional\"}, {\"id\": \"J2\", \"profile\": "
                        "\"professional\"}], \"acquired_blocks\": [{\"block\": \"TMS2012-CCP1\", "
                        "\"date\": \"2013-01-01\"}, {\"block\": \"TMS2012-CCP9\", \"date\": "
                        "\"2013-01-01\"}], \"evidence\": {}}",
                CEV_ESCHEMA, "\"path\":\"acquired_blocks[1].block\"");
    expect_code(&aicmp, "{\"candidate\": \"C1\", \"title\": \"RNCP36524\", \"session\": {\"id\": "
                        "\"S\", \"date\": \"2024-03-14\"}, \"jury\": [{\"id\": \"J1\", \"profile\": "
                        "\"trainer\"}, {\"id\": \"J2\", \"profile\": \"trainer\"}], \"evidence\": {}}",
                CEV_EJURY, "no member with profile \\\"professional\\\"");
    expect_code(&aicmp, HEAD ", \"evidence\": {\"BC03.msp\": {\"assessors\": {\"J1\": {\"c1\": 2, "
                        "\"c2\": 2, \"c3\": 2, \"c4\": 2, \"c5\": 2}, \"J7\": {\"c1\": 2, \"c2\": 2, "
                        "\"c3\": 2, \"c4\": 2, \"c5\": 2}}}}}",
                CEV_EJURY, "\"path\":\"evidence.BC03.msp.assessors.J7\"");
    expect_code(&aicmp, "{\"candidate\": \"C1\", \"title\": \"RNCP36524\", \"session\": {\"id\": "
                        "\"S\", \"date\": \"2024-03-14\"}, \"jury\": [{\"id\": \"J1\", \"profile\": "
                        "\"professional\"}], \"evidence\": {}}",
                CEV_EJURY, "at least 2");
}

/* session.type and session.deadlines: read with the record, checked
 * against the title chosen (record.c). */
#define SESSION_LINE(title, date, session)                                                   \
    "{\"candidate\": \"C1\", \"title\": \"" TITLE_##title "\", \"session\": {\"id\": \"S\", "     \
    "\"date\": \"" date "\"" session "}, \"jury\": [{\"id\": \"J1\", \"profile\": "         \
    "\"professional\"}, {\"id\": \"J2\", \"profile\": \"" J2_PROFILE_##title "\"}], "   \
    "\"evidence\": {}}"
/* the second jury member: a trainer for the AICMP, a professional for a TP */
#define J2_PROFILE_RNCP36524 "trainer"
#define J2_PROFILE_TPTMS "professional"
#define TITLE_RNCP36524 "RNCP36524"
#define TITLE_TPTMS "TP-TMS"
static void test_session_fields(void **st)
{
    (void)st;
    char *out;
    cev_error err;
    /* a TP must say which session it is; the AICMP has no kinds of session */
    expect_code(&aicmp, SESSION_LINE(TPTMS, "2014-01-01", ""), CEV_ESCHEMA,
                "\"message\":\"session.type: is required for TP-TMS version 2012: \\\"titre\\\" or "
                "\\\"ccp\\\" (which session this is)\",\"path\":\"session.type\"");
    expect_code(&aicmp, SESSION_LINE(RNCP36524, "2024-03-14", ", \"type\": \"titre\""),
                CEV_ESCHEMA, "has no kinds of session (leave session.type out)");
    expect_code(&aicmp, SESSION_LINE(TPTMS, "2014-01-01", ", \"type\": \"session\""),
                CEV_ESCHEMA, "session.type: must be \\\"titre\\\" or \\\"ccp\\\"");
    expect_code(&aicmp, SESSION_LINE(TPTMS, "2014-01-01", ", \"type\": 1"), CEV_ESCHEMA,
                "\"path\":\"session.type\"");
    for (int k = 0; k < 2; k++) {
        const char *line = k ? SESSION_LINE(TPTMS, "2014-01-01", ", \"type\": \"ccp\"")
                             : SESSION_LINE(TPTMS, "2014-01-01", ", \"type\": \"titre\"");
        assert_int_equal(eval(&aicmp, line, &out, &err), CEV_OK);
        assert_non_null(strstr(out, "\"version\":\"2012\""));
        free(out);
    }
    /* the calendar: known assessment ids, real dates */
    const char *cal = SESSION_LINE(RNCP36524, "2024-03-14",
                                   ", \"deadlines\": {\"BC05.rapport\": \"2024-03-01\", "
                                   "\"BC04.dossier_projet\": \"2024-03-10\"}");
    assert_int_equal(eval(&aicmp, cal, &out, &err), CEV_OK);
    free(out);
    expect_code(&aicmp,
                SESSION_LINE(RNCP36524, "2024-03-14",
                             ", \"deadlines\": {\"BC05.rapport\": \"2024-03-01\", "
                             "\"BC05.rapports\": \"2024-03-01\"}"),
                CEV_ESCHEMA,
                "\"message\":\"session.deadlines.BC05.rapports: no assessment \\\"BC05.rapports\\\" "
                "in RNCP36524 version 2022.1\",\"path\":\"session.deadlines.BC05.rapports\"");
    expect_code(&aicmp,
                SESSION_LINE(RNCP36524, "2024-03-14",
                             ", \"deadlines\": {\"BC05.rapport\": \"2024-02-30\"}"),
                CEV_ESCHEMA, "\"path\":\"session.deadlines.BC05.rapport\"");
    expect_code(&aicmp,
                SESSION_LINE(RNCP36524, "2024-03-14",
                             ", \"deadlines\": {\"BC05.rapport\": 20240301}"),
                CEV_ESCHEMA, "session.deadlines.BC05.rapport: must be a string");
    expect_code(&aicmp, SESSION_LINE(RNCP36524, "2024-03-14", ", \"deadlines\": []"),
                CEV_ESCHEMA, "\"path\":\"session.deadlines\"");
    expect_code(&aicmp, SESSION_LINE(RNCP36524, "2024-03-14", ", \"calendar\": {}"),
                CEV_ESCHEMA, "\"path\":\"session.calendar\"");
}

/* Which TP-TMS version decides a record (catalog.c): in the 2004 version's
 * completion year, a holder of a 2004 CCP whose evidence names only 2004
 * assessments, or none, is decided with 2004; the 2012 version's own
 * completion year is open to a 2004 CCP held through its equivalences. */
#define TMS_LINE(date, type, acquired, evidence)                                             \
    "{\"candidate\": \"C1\", \"title\": \"TP-TMS\", \"session\": {\"id\": \"S\", \"date\": \""  \
    date "\", \"type\": \"" type "\"}, \"jury\": [{\"id\": \"J1\", \"profile\": "              \
    "\"professional\"}, {\"id\": \"J2\", \"profile\": \"professional\"}], "                    \
    "\"acquired_blocks\": [" acquired "], \"evidence\": " evidence "}"
#define TMS2004_ALL                                                                          \
    "{\"block\": \"TMS2004-CCP1\", \"date\": \"2012-03-15\"}, {\"block\": \"TMS2004-CCP2\", "  \
    "\"date\": \"2012-04-20\"}, {\"block\": \"TMS2004-CCP3\", \"date\": \"2012-05-25\"}"
static void expect_decided(const char *line, const char *part1, const char *part2)
{
    char *out;
    cev_error err;
    if (eval(&aicmp, line, &out, &err) != CEV_OK)
        fail_msg("%s", out);
    if (strstr(out, part1) == NULL || strstr(out, part2) == NULL)
        fail_msg("output %s lacks \"%s\" or \"%s\"", out, part1, part2);
    free(out);
}
static void test_tp_version_choice(void **st)
{
    (void)st;
    /* no evidence: the title by capitalisation, in 2004 (issue 21, item 2) */
    expect_decided(TMS_LINE("2013-02-19", "ccp", TMS2004_ALL, "{}"),
                   "\"version\":\"2004\"", "\"decision\":\"awarded\"");
    /* usable_until: the 2004 version's end + 365 days (2012 is a leap year);
     * a block not validated has none */
    expect_decided(TMS_LINE("2013-02-19", "ccp", TMS2004_ALL, "{}"),
                   "\"source\":\"capitalised\",\"usable_until\":\"2013-02-19\",\"reasons\"",
                   "\"code\":\"TMS2004-CCP3\",\"decision\":\"validated\"");
    expect_decided(TMS_LINE("2014-01-01", "ccp", "", "{}"),
                   "\"source\":\"evaluated\",\"usable_until\":null,\"reasons\"",
                   "\"decision\":\"not_awarded\"");
    /* the same with a dossier professionnel and an entretien final (both
     * versions have DP and EF): still 2004, still awarded */
    expect_decided(TMS_LINE("2013-02-19", "titre", TMS2004_ALL,
                            "{\"DP\": {\"status\": \"submitted\"}, \"EF\": {\"assessors\": "
                            "{\"J1\": {}, \"J2\": {}}}}"),
                   "\"version\":\"2004\"", "\"decision\":\"awarded\"");
    /* evidence for a 2012 assessment: the version in force */
    expect_decided(TMS_LINE("2013-02-19", "ccp", TMS2004_ALL,
                            "{\"TMS2012-CCP1.msp\": {\"status\": \"absent\"}}"),
                   "\"version\":\"2012\"", "\"decision\":\"not_awarded\"");
    /* the day after the completion year: 2012, where these CCPs do not count */
    expect_decided(TMS_LINE("2013-02-20", "ccp", TMS2004_ALL, "{}"), "\"version\":\"2012\"",
                   "il ne vaut pas équivalence");
    /* no 2004 CCP held: 2012 */
    expect_decided(TMS_LINE("2013-02-19", "ccp", "", "{}"), "\"version\":\"2012\"",
                   "\"decision\":\"not_awarded\"");
    /* the 2012 completion year through an equivalence (item 3) */
    expect_decided(TMS_LINE("2017-06-01", "ccp",
                            "{\"block\": \"TMS2004-CCP1\", \"date\": \"2011-06-15\"}", "{}"),
                   "\"version\":\"2012\"",
                   "\"source\":\"equivalence\",\"usable_until\":\"2018-05-15\"");
    expect_code(&aicmp, TMS_LINE("2017-06-01", "ccp", "", "{}"), CEV_ETITLE, "completion grace");
    /* item 1: a 2004 CCP that does not count does not hide the 2012 CCP */
    expect_decided(TMS_LINE("2014-01-01", "ccp",
                            "{\"block\": \"TMS2004-CCP1\", \"date\": \"2012-06-01\"}, "
                            "{\"block\": \"TMS2012-CCP1\", \"date\": \"2013-06-01\"}",
                            "{}"),
                   "\"code\":\"TMS2012-CCP1\",\"decision\":\"validated\",\"proposed\":"
                   "\"validated\",\"overridden\":false,\"source\":\"capitalised\"",
                   "\"decision\":\"partial\",\"reasons\":[\"TMS2004-CCP1 acquis le 2012-06-01 : ");
    /* a block of RNCP32164, replaced by the AICMP with no equivalence: counts
     * for nothing, and the title says so */
    expect_decided(HEAD ", \"acquired_blocks\": [{\"block\": \"RNCP32164BC01\", \"date\": "
                        "\"2020-01-01\"}], \"evidence\": {}}",
                   "\"reasons\":[\"RNCP32164BC01 acquis le 2020-01-01 : bloc d'une certification "
                   "remplacée sans équivalence dans ce titre, il ne compte pas\"]",
                   "\"decision\":\"not_awarded\"");
    /* a title without completion_grace_days: usable_until stays null, even
     * for a validated block */
    expect_decided(HEAD ", \"acquired_blocks\": [{\"block\": \"RNCP36524BC01\", \"date\": "
                        "\"2023-01-01\"}], \"evidence\": {}}",
                   "\"decision\":\"validated\",\"proposed\":\"validated\",\"overridden\":false,"
                   "\"source\":\"capitalised\",\"usable_until\":null",
                   "\"decision\":\"partial\"");
}

/* ---- with test packages: rules and plugins that misbehave ----------------- */

static char *tmp;

static void open_tst(cev_engine *eng, const char *plugins, const char *rules)
{
    char *dir = make_temp_dir("pl");
    char *pkg = make_package(dir, "tst", TST_TITLE, rules);
    cev_error err;
    if (cev_engine_open(eng, plugins, dir, 0, &err) != CEV_OK)
        fail_msg("%s", err.message);
    free(pkg);
    free(tmp);
    tmp = dir;
}

static void close_tst(cev_engine *eng)
{
    cev_engine_close(eng);
    remove_tree(tmp);
    free(tmp);
    tmp = NULL;
}

#define TST_LINE(evidence)                                                                   \
    "{\"candidate\": \"T1\", \"title\": \"TST\", \"session\": {\"id\": \"S\", \"date\": "     \
    "\"2024-01-01\"}, \"jury\": [], \"evidence\": " evidence "}"
#define TST_GOOD TST_LINE("{\"B1.f\": {\"supervisor\": \"T\", \"ratings\": {\"K1\": 2, \"K2\": 3}}}")

static void test_rule_failures(void **st)
{
    (void)st;
    cev_engine eng;
    open_tst(&eng, CEV_TEST_PLUGINS_DIR, "function decide(c)\n  return c.nothing.here\nend\n");
    expect_code(&eng, TST_GOOD, CEV_ERULE, "tst/rules.lua:2:");
    close_tst(&eng);
    open_tst(&eng, CEV_TEST_PLUGINS_DIR, "function decide(c) while true do end end\n");
    expect_code(&eng, TST_GOOD, CEV_ERULE_BUDGET, "instruction budget");
    close_tst(&eng);
    open_tst(&eng, CEV_TEST_PLUGINS_DIR,
             "function decide(c) local s = 'x' while true do s = s .. s end end\n");
    expect_code(&eng, TST_GOOD, CEV_ERULE_MEMORY, "memory cap");
    close_tst(&eng);
}

static void expect_malformed(const char *result_lua, const char *part)
{
    char rules[1024];
    snprintf(rules, sizeof rules,
             "local function comps(a) return {{code = 'K1', score = 0.5, acquired = a, reasons = "
             "{}}, {code = 'K2', score = nil, acquired = a, reasons = {}}} end\n"
             "local function blk(d, p, o) return {code = 'B1', decision = d, proposed = p, "
             "overridden = o, source = 'evaluated', reasons = {}, competencies = comps(true)} end\n"
             "function decide(c)\n  return %s\nend\n",
             result_lua);
    cev_engine eng;
    open_tst(&eng, CEV_TEST_PLUGINS_DIR, rules);
    char want[256];
    snprintf(want, sizeof want, "tst/rules.lua:3: decide() returned a malformed result: %s", part);
    expect_code(&eng, TST_GOOD, CEV_ERULE, want);
    close_tst(&eng);
}

static void test_malformed_results(void **st)
{
    (void)st;
    expect_malformed("nil", "expected a table, got nil");
    expect_malformed("{decision = 'won', blocks = {}}", "decision must be one of awarded, partial");
    expect_malformed("{decision = 'awarded', blocks = {}}", "blocks must list the title's 1 blocks");
    expect_malformed("{decision = 'awarded', blocks = {blk('ok', 'ok', false)}}",
                     "blocks[1] decision must be one of validated");
    expect_malformed("{decision = 'awarded', blocks = {blk('validated', 'absent', false)}}",
                     "blocks[1] decision differs from proposed");
    expect_malformed("{decision = 'awarded', blocks = {blk('validated', 'validated', 1)}}",
                     "blocks[1] overridden must be true or false");
    expect_malformed("{decision = 'awarded', blocks = {{code = 'B2'}}}", "blocks[1] code must be \\\"B1\\\"");
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) b.competencies[1].score = 1.5 return b end)()}}",
                     "blocks[1].competencies[1] score must be nil or a number in [0, 1]");
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) b.competencies[2].code = 'K1' return b end)()}}",
                     "blocks[1].competencies[2] code must be \\\"K2\\\"");
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) b.reasons = {'\\255'} return b end)()}}",
                     "blocks[1] reasons[1] must be a non-empty UTF-8 string of at most 4095 bytes");
    /* what one record writes is bounded, whatever the rules' memory cap lets
     * them list: at most 256 reasons a list, 4095 bytes a reason, 256 KiB in
     * all (a long string listed 100,000 times used to hang the writer) */
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) b.reasons = {('x'):rep(4096)} return b end)()}}",
                     "blocks[1] reasons[1] must be a non-empty UTF-8 string of at most 4095 bytes");
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) for i = 1, 257 do b.reasons[i] = 'r' end return b end)()}}",
                     "blocks[1] reasons must list at most 256 reasons");
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) local s = ('x'):rep(4000) for i = 1, 256 do "
                     "b.reasons[i] = s end return b end)()}}",
                     "blocks[1] reasons[66]: the reasons of one decision must not exceed 262144 "
                     "bytes in all");
    expect_malformed("{decision = 'awarded', blocks = {(function() local b = blk('validated', "
                     "'validated', false) b.competencies = {} return b end)()}}",
                     "blocks[1] competencies must list the block's 2 competencies");
    /* the title's reasons: nil or a list of strings, under the same bounds */
    expect_malformed("{decision = 'partial', reasons = 'one', blocks = {blk('validated', "
                     "'validated', false)}}",
                     "reasons must be nil or a list of strings");
    expect_malformed("{decision = 'partial', reasons = {'a', 2}, blocks = {blk('validated', "
                     "'validated', false)}}",
                     "reasons[2] must be a non-empty UTF-8 string of at most 4095 bytes");
    expect_malformed("{decision = 'partial', reasons = {''}, blocks = {blk('validated', "
                     "'validated', false)}}",
                     "reasons[1] must be a non-empty UTF-8 string of at most 4095 bytes");
    expect_malformed("{decision = 'partial', reasons = (function() local r = {} for i = 1, 257 "
                     "do r[i] = 'r' end return r end)(), blocks = {blk('validated', 'validated', "
                     "false)}}",
                     "reasons must list at most 256 reasons");
}

/* The title's reasons: written right after the title's decision, an empty
 * list when decide() gives none. */
static void test_title_reasons(void **st)
{
    (void)st;
    cev_engine eng;
    open_tst(&eng, CEV_TEST_PLUGINS_DIR, TST_RULES);
    char *out = NULL;
    cev_error err;
    assert_int_equal(eval(&eng, TST_GOOD, &out, &err), CEV_OK);
    assert_non_null(strstr(out, "\"decision\":\"awarded\",\"reasons\":[],\"blocks\":["));
    free(out);
    close_tst(&eng);
    open_tst(&eng, CEV_TEST_PLUGINS_DIR,
             "local WHY = {'the title needs a dossier', 'and an interview'}\n"
             "function decide(c)\n"
             "  local rows = {cev.block(c.blocks[1], 'validated')}\n"
             "  return {decision = 'partial', reasons = WHY, blocks = rows}\n"
             "end\n");
    out = NULL;
    assert_int_equal(eval(&eng, TST_GOOD, &out, &err), CEV_OK);
    assert_non_null(strstr(out, "\"decision\":\"partial\",\"reasons\":[\"the title needs a "
                                "dossier\",\"and an interview\"],\"blocks\":["));
    free(out);
    close_tst(&eng);
}

/* A result made of tables built while loading (read-only views) reads as
 * written: nothing is lost to the views. */
static void test_result_built_while_loading(void **st)
{
    (void)st;
    cev_engine eng;
    open_tst(&eng, CEV_TEST_PLUGINS_DIR,
             "local RESULT = {decision = 'awarded', blocks = {{code = 'B1', decision = "
             "'validated', proposed = 'validated', overridden = false, source = 'evaluated', "
             "reasons = {'fixed by decree'}, competencies = {{code = 'K1', score = 0.25, "
             "acquired = true, reasons = {'k1 ok'}}, {code = 'K2', acquired = true, reasons = "
             "{}}}}}}\n"
             "function decide(c) return RESULT end\n");
    char *out = NULL;
    cev_error err;
    assert_int_equal(eval(&eng, TST_GOOD, &out, &err), CEV_OK);
    assert_non_null(strstr(out, "\"decision\":\"awarded\""));
    assert_non_null(strstr(out, "\"reasons\":[\"fixed by decree\"]"));
    assert_non_null(strstr(out, "\"code\":\"K1\",\"score\":0.25,\"acquired\":true,"
                                "\"reasons\":[\"k1 ok\"]"));
    free(out);
    close_tst(&eng);
}

static void test_rules_that_do_not_load(void **st)
{
    (void)st;
    char *dir = make_temp_dir("pl");
    char *pkg = make_package(dir, "tst", TST_TITLE, "function decide(c)\n  return {\nend\n");
    cev_engine eng;
    cev_error err;
    assert_int_equal(cev_engine_open(&eng, CEV_TEST_PLUGINS_DIR, dir, 0, &err), CEV_EPACKAGE);
    assert_non_null(strstr(err.message, "tst/rules.lua:3:"));
    free(pkg);
    pkg = make_package(dir, "tst", TST_TITLE, "function decided(c) end\n");
    assert_int_equal(cev_engine_open(&eng, CEV_TEST_PLUGINS_DIR, dir, 0, &err), CEV_EPACKAGE);
    assert_non_null(strstr(err.message, "does not define decide(c)"));
    free(pkg);
    pkg = make_package(dir, "tst", TST_TITLE, "os.exit(1)\n");
    assert_int_equal(cev_engine_open(&eng, CEV_TEST_PLUGINS_DIR, dir, 0, &err), CEV_EPACKAGE);
    assert_non_null(strstr(err.message, "tst/rules.lua:1:"));
    free(pkg);
    remove_tree(dir);
    free(dir);
}

/* c is the call's own: rules.c builds it anew for every call.  Whatever a
 * call adds to it, removes or changes, at any level, the next call does not
 * see: each probe decided after each mutating record gives the bytes it
 * gives on a new worker. */
#define KEPT_LINE(cand, extra, evidence)                                                     \
    "{\"candidate\": \"" cand "\", \"title\": \"TST\"" extra ", \"session\": {\"id\": "       \
    "\"S\", \"date\": \"2024-01-01\"}, \"jury\": [], \"evidence\": " evidence "}"
#define KEPT_GIVEN "{\"B1.f\": {\"supervisor\": \"T\", \"ratings\": {\"K1\": 2, \"K2\": 3}}}"
#define KEPT_HALF "{\"B1.f\": {\"supervisor\": \"T\", \"ratings\": {\"K1\": null, \"K2\": 1}}}"

static const char kept_rules[] =
    "local function show(v, depth)\n"
    "  if type(v) ~= 'table' then return tostring(v) end\n"
    "  local parts = {}\n"
    "  for k, x in pairs(v) do parts[#parts + 1] = tostring(k) .. '=' .. show(x, depth + 1) end\n"
    "  return '{' .. table.concat(parts, ',') .. '#' .. #v .. '}'\n"
    "end\n"
    "local MUTATE = {\n"
    "  ADD = function(c, a)\n"
    "    c.extra = 1; c.session.extra = 2; c.blocks[1].extra = 3; a.extra = 4\n"
    "    a.scores.K9 = 0.5; a.scores[1] = 0.25\n"
    "  end,\n"
    "  DEL = function(c, a)\n"
    "    c.candidate = nil; c.session.id = nil; c.title = nil; c.blocks[1].code = nil\n"
    "    a.status = nil; a.scores.K1 = nil; a.scores.K2 = nil; a.flags = nil\n"
    "  end,\n"
    "  SET = function(c, a)\n"
    "    c.session.date = '1999-12-31'; c.blocks[1].name = 'other'; a.id = 'X'\n"
    "    a.given = 'maybe'; a.scores.K2 = 0; c.jury = {'nobody'}\n"
    "  end,\n"
    "  STATUS = function(c, a) a.status = 'present' end,\n"
    "  ROUTE = function(c, a) c.route = 'vae' end,\n"
    "}\n"
    "function decide(c)\n"
    "  local a = c.blocks[1].assessments[1]\n"
    "  local seen = show(c, 0)\n"
    "  local mutate = MUTATE[c.candidate]\n"
    "  if mutate then mutate(c, a) end\n"
    "  if c.candidate == 'NILKEY' then c[nil] = 1 end\n"
    "  if c.candidate == 'NANKEY' then a.scores[0/0] = 1 end\n"
    "  local function k(code) return {code = code, acquired = false, reasons = {}} end\n"
    "  return {decision = 'not_awarded', blocks = {{code = 'B1', decision = 'not_presented',\n"
    "    proposed = 'not_presented', overridden = false, source = 'evaluated',\n"
    "    reasons = {seen}, competencies = {k('K1'), k('K2')}}}}\n"
    "end\n";

static void test_candidate_table_is_each_calls_own(void **st)
{
    (void)st;
    static const char *const probes[] = {
        KEPT_LINE("P1", "", KEPT_GIVEN),
        KEPT_LINE("P2", "", "{}"),
        KEPT_LINE("P3", ", \"route\": \"vae\"", KEPT_HALF),
    };
    static const char *const mutating[] = {
        KEPT_LINE("ADD", "", KEPT_GIVEN),  KEPT_LINE("ADD", "", "{}"),
        KEPT_LINE("DEL", "", KEPT_GIVEN),  KEPT_LINE("SET", "", KEPT_HALF),
        KEPT_LINE("STATUS", "", "{}"),     KEPT_LINE("ROUTE", "", KEPT_GIVEN),
        KEPT_LINE("NILKEY", "", KEPT_GIVEN), KEPT_LINE("NANKEY", "", KEPT_GIVEN),
    };
    enum { NPROBES = sizeof probes / sizeof probes[0] };
    cev_engine eng;
    cev_error err;
    open_tst(&eng, CEV_TEST_PLUGINS_DIR, kept_rules);
    char *fresh[NPROBES];
    for (size_t p = 0; p < NPROBES; p++)
        if (eval(&eng, probes[p], &fresh[p], &err) != CEV_OK)
            fail_msg("%s / %s", err.message, fresh[p]);
    /* the probes show what a new table holds, and nothing else */
    assert_non_null(strstr(fresh[0], "candidate=P1,"));
    assert_non_null(strstr(fresh[0], "given=true,id=B1.f,label=terrain,modality=field,"
                                     "scores={K1=0.5,K2=0.75#0},status=present#0}"));
    assert_non_null(strstr(fresh[1], "given=false,id=B1.f,label=terrain,modality=field,"
                                     "scores={#0}#0}"));
    assert_non_null(strstr(fresh[2], "scores={K2=0.25#0}"));
    assert_non_null(strstr(fresh[2], "route=vae,"));
    assert_null(strstr(fresh[0], "route="));
    for (size_t m = 0; m < sizeof mutating / sizeof mutating[0]; m++) {
        for (size_t p = 0; p < NPROBES; p++) {
            cev_worker w;
            cev_buf b;
            cev_buf_init(&b);
            assert_int_equal(cev_worker_init(&w, &eng), CEV_OK);
            /* twice: the second round starts from a worker that mutated twice */
            for (int round = 0; round < 2; round++) {
                int rc = cev_worker_eval(&w, mutating[m], strlen(mutating[m]), 1, &b, &err);
                assert_true(rc == CEV_OK || rc == CEV_ERULE);
                cev_buf_reset(&b);
                assert_int_equal(cev_worker_eval(&w, probes[p], strlen(probes[p]), 7, &b, &err),
                                 CEV_OK);
                if (strcmp(b.data, fresh[p]) != 0)
                    fail_msg("after %s (round %d):\n%s\ninstead of\n%s", mutating[m], round,
                             b.data, fresh[p]);
                cev_buf_reset(&b);
            }
            cev_worker_close(&w);
            cev_buf_close(&b);
        }
    }
    for (size_t p = 0; p < NPROBES; p++)
        free(fresh[p]);
    /* a nil or NaN key in c fails as in any table, with the line */
    expect_code(&eng, KEPT_LINE("NILKEY", "", KEPT_GIVEN), CEV_ERULE,
                "tst/rules.lua:28: table index is nil");
    expect_code(&eng, KEPT_LINE("NANKEY", "", KEPT_GIVEN), CEV_ERULE,
                "tst/rules.lua:29: table index is NaN");
    close_tst(&eng);
}

static void test_plugin_failures(void **st)
{
    (void)st;
    char *dir = make_temp_dir("pl");
    char *pkg = make_package(dir, "tst",
                             "{" TST_HEAD ", \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", "
                             "\"competencies\": [{\"code\": \"K1\", \"label\": \"k\"}], "
                             "\"assessments\": [{\"id\": \"B1.r\", \"modality\": \"rogue\", "
                             "\"label\": \"r\", \"config\": {\"competency\": \"K1\"}}]}]}",
                             TST_RULES);
    cev_engine eng;
    cev_error err;
    assert_int_equal(cev_engine_open(&eng, CEV_TEST_BAD_PLUGINS_DIR, dir, 0, &err), CEV_OK);
#define ROGUE(mode) TST_LINE("{\"B1.r\": {\"mode\": \"" mode "\"}}")
    char *out;
    assert_int_equal(eval(&eng, ROGUE("ok"), &out, &err), CEV_OK);
    assert_non_null(strstr(out, "\"K1\":0.75"));
    free(out);
    expect_code(&eng, ROGUE("nan"), CEV_EPLUGIN, "outside [0, 1]");
    expect_code(&eng, ROGUE("range"), CEV_EPLUGIN, "score 1.5 for K1 is outside [0, 1]");
    expect_code(&eng, ROGUE("unknown"), CEV_EPLUGIN, "unknown competency \\\"NOPE\\\"");
    expect_code(&eng, ROGUE("twice"), CEV_EPLUGIN, "scored K1 twice");
    expect_code(&eng, ROGUE("fail"), CEV_EPLUGIN, "plugin rogue failed");
    /* a plugin out of memory is the machine's failure: the record says so,
     * and the worker tells callers that compare decisions */
    expect_code(&eng, ROGUE("nomem"), CEV_ERULE,
                "cannot decide this record: B1.r: plugin rogue: out of memory");
    {
        cev_worker w;
        cev_buf b;
        cev_buf_init(&b);
        assert_int_equal(cev_worker_init(&w, &eng), CEV_OK);
        const char *nomem = ROGUE("nomem"), *fail = ROGUE("fail");
        assert_int_equal(cev_worker_eval(&w, nomem, strlen(nomem), 1, &b, &err), CEV_ERULE);
        assert_true(w.undecided);
        assert_int_equal(cev_worker_eval(&w, fail, strlen(fail), 2, &b, &err), CEV_EPLUGIN);
        assert_false(w.undecided);
        cev_worker_close(&w);
        cev_buf_close(&b);
    }
    expect_code(&eng, ROGUE("silent"), CEV_EPLUGIN, "without a reason");
    expect_code(&eng, TST_LINE("{\"B1.r\": {}}"), CEV_EEVIDENCE, "\"path\":\"evidence.B1.r.mode\"");
    cev_engine_close(&eng);
    remove_tree(dir);
    free(pkg);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest aicmp_tests[] = {
        cmocka_unit_test(test_bc03_thresholds_and_elimination),
        cmocka_unit_test(test_block_states),
        cmocka_unit_test(test_title_and_absent_candidate),
        cmocka_unit_test(test_same_line_same_bytes),
        cmocka_unit_test(test_error_codes_with_the_real_package),
        cmocka_unit_test(test_session_fields),
        cmocka_unit_test(test_tp_version_choice),
    };
    const struct CMUnitTest tst_tests[] = {
        cmocka_unit_test(test_rule_failures),
        cmocka_unit_test(test_malformed_results),
        cmocka_unit_test(test_title_reasons),
        cmocka_unit_test(test_result_built_while_loading),
        cmocka_unit_test(test_rules_that_do_not_load),
        cmocka_unit_test(test_plugin_failures),
        cmocka_unit_test(test_candidate_table_is_each_calls_own),
    };
    int failed = cmocka_run_group_tests_name("aicmp", aicmp_tests, setup_aicmp, teardown_aicmp);
    return failed + cmocka_run_group_tests_name("misbehaving", tst_tests, NULL, NULL);
}
