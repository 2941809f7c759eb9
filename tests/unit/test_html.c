/* print/html.c: text that no string can turn into markup or disguise;
 * print/words.c (cev_fr_*) and print/fix.c: the French words of the documents. */
#include "print/fix.h"
#include "print/html.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* The escaped form of s[0..len), with flags; the caller frees it. */
static char *esc(const char *s, size_t len, unsigned flags)
{
    cev_buf b;
    cev_buf_init(&b);
    assert_int_equal(pr_html_text_len(&b, s, len, flags), CEV_OK);
    char *out = cev_buf_take(&b);
    return out ? out : strdup("");
}

static void expect(const char *in, const char *want)
{
    char *got = esc(in, strlen(in), 0);
    assert_string_equal(got, want);
    free(got);
}

static void test_markup(void **st)
{
    (void)st;
    expect("", "");
    expect("Dupont", "Dupont");
    expect("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect("\"><img src=x onerror=alert(1)>",
           "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect("L'Hôpital & fils", "L&#39;Hôpital &amp; fils");
    expect("&amp;", "&amp;amp;"); /* an entity in the data stays text */
    expect("Zoë Ægir — 東京 🙂", "Zoë Ægir — 東京 🙂"); /* letters pass as they are */
}

static void test_hidden_characters(void **st)
{
    (void)st;
    /* bidirectional overrides and isolates: shown, not obeyed */
    expect("abc\xE2\x80\xAE" "fdp.exe", "abc<span class=\"esc\">\\u202E</span>fdp.exe");
    expect("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD",
           "<span class=\"esc\">\\u202A</span><span class=\"esc\">\\u202B</span>"
           "<span class=\"esc\">\\u202C</span><span class=\"esc\">\\u202D</span>");
    expect("\xE2\x81\xA6\xE2\x81\xA9", "<span class=\"esc\">\\u2066</span>"
                                       "<span class=\"esc\">\\u2069</span>");
    expect("\xE2\x80\x8F", "<span class=\"esc\">\\u200F</span>");    /* RLM */
    expect("\xEF\xBB\xBFx", "<span class=\"esc\">\\uFEFF</span>x"); /* BOM */
    expect("Mar\xE2\x80\x8Btin", "Mar<span class=\"esc\">\\u200B</span>tin"); /* zero width */
    /* C0, DEL, C1 */
    expect("a\x1b[31mb", "a<span class=\"esc\">\\u001B</span>[31mb");
    expect("\x7f", "<span class=\"esc\">\\u007F</span>");
    expect("\xC2\x85\xC2\x9F", "<span class=\"esc\">\\u0085</span><span class=\"esc\">\\u009F</span>");
    expect("a\nb", "a<span class=\"esc\">\\u000A</span>b");
    expect("a\tb", "a b");
    /* near neighbours that are ordinary text */
    expect("\xE2\x80\x94\xE2\x80\xA6", "\xE2\x80\x94\xE2\x80\xA6"); /* — … */
    expect("\xC2\xA0\xC2\xAB", "\xC2\xA0\xC2\xAB");                 /* nbsp « */
}

/* pr_hidden_at: the same characters, one at a time (the export's view). */
static void test_hidden_at(void **st)
{
    (void)st;
    static const struct {
        const char *s;
        int kind;
        size_t n;
        uint32_t cp;
    } cases[] = {
        {"a", PR_SHOWN, 1, 'a'},         {"\a", PR_HIDDEN, 1, 7},
        {"\t", PR_HIDDEN, 1, 9},         {"\x7f", PR_HIDDEN, 1, 0x7f},
        {"\xc3\xa9", PR_SHOWN, 2, 0xe9}, {"\xc2\x85", PR_HIDDEN, 2, 0x85},
        {"\xe2\x80\xae", PR_HIDDEN, 3, 0x202e}, {"\xef\xbb\xbf", PR_HIDDEN, 3, 0xfeff},
        {"\xf0\x9f\x98\x80", PR_SHOWN, 4, 0x1f600}, {"\xff", PR_BAD_BYTE, 1, 0xff},
        {"\xe2\x80", PR_BAD_BYTE, 1, 0xe2},
        /* no room taken: hidden, but the joiners that scripts need */
        {"\xe2\x80\x8b", PR_HIDDEN, 3, 0x200b}, {"\xe2\x81\xa0", PR_HIDDEN, 3, 0x2060},
        {"\xc2\xad", PR_HIDDEN, 2, 0xad},       {"\xe2\x80\x8c", PR_SHOWN, 3, 0x200c},
        {"\xe2\x80\x8d", PR_SHOWN, 3, 0x200d},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = 0;
        uint32_t cp = 0;
        assert_int_equal(pr_hidden_at(cases[i].s, strlen(cases[i].s), 0, &n, &cp), cases[i].kind);
        assert_int_equal(n, cases[i].n);
        assert_int_equal(cp, cases[i].cp);
    }
}

static void test_bad_utf8(void **st)
{
    (void)st;
    expect("\xFF", "<span class=\"esc\">\\xFF</span>");
    expect("a\xC3", "a<span class=\"esc\">\\xC3</span>");            /* cut short */
    expect("\xC0\xBC", "<span class=\"esc\">\\xC0</span><span class=\"esc\">\\xBC</span>");
    expect("\xED\xA0\x80", "<span class=\"esc\">\\xED</span><span class=\"esc\">\\xA0</span>"
                           "<span class=\"esc\">\\x80</span>"); /* a surrogate */
    /* a NUL inside the length is a control like any other */
    char *got = esc("a\0b", 3, 0);
    assert_string_equal(got, "a<span class=\"esc\">\\u0000</span>b");
    free(got);
}

static void test_lines(void **st)
{
    (void)st;
    char *got = esc("un\r\ndeux\ntrois\r", 15, PR_HTML_LINES);
    assert_string_equal(got, "un<br>deux<br>trois<span class=\"esc\">\\u000D</span>");
    free(got);
}

/* Whatever the bytes, the output has no '<' but those of the escapes and
 * <br>, and no byte of a hidden control. */
static void test_no_markup_whatever_the_input(void **st)
{
    (void)st;
    unsigned seed = 12345;
    char in[64];
    for (int round = 0; round < 2000; round++) {
        for (size_t i = 0; i < sizeof in; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = (char)(seed >> 16);
        }
        char *got = esc(in, sizeof in, 0);
        for (const char *p = strchr(got, '<'); p; p = strchr(p + 1, '<'))
            assert_true(strncmp(p, "<span class=\"esc\">", 18) == 0 ||
                        strncmp(p, "</span>", 7) == 0);
        size_t lt = 0, gt = 0; /* every '>' closes one of those tags */
        for (const char *p = got; *p; p++) {
            lt += *p == '<';
            gt += *p == '>';
        }
        assert_int_equal(lt, gt);
        assert_null(strstr(got, "\xE2\x80\xAE"));
        for (const char *p = got; *p; p++)
            assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
        free(got);
    }
}

static void test_out_is_sticky(void **st)
{
    (void)st;
    cev_buf b;
    cev_buf_init(&b);
    pr_out o = {&b, CEV_OK};
    pr_elem(&o, "td", "nom", "<b>");
    pr_rawf(&o, "%d", 42);
    assert_int_equal(o.rc, CEV_OK);
    assert_string_equal(b.data, "<td class=\"nom\">&lt;b&gt;</td>42");
    o.rc = CEV_ENOMEM; /* after a failure nothing more is written */
    pr_raw(&o, "more");
    pr_esc(&o, "more");
    assert_string_equal(b.data, "<td class=\"nom\">&lt;b&gt;</td>42");
    cev_buf_close(&b);
}

/* Every code of the decision records has its words; any other is said as
 * it is (a status a new modality invents). */
static void test_words(void **st)
{
    (void)st;
    static const struct {
        const char *(*fr)(const char *);
        const char *code, *want;
    } cases[] = {
        {cev_fr_block, "validated", "validé"},
        {cev_fr_block, "not_validated", "non validé"},
        {cev_fr_block, "absent", "absent"},
        {cev_fr_block, "not_presented", "non présenté"},
        {cev_fr_block_long, "validated", "validé"},
        {cev_fr_block_long, "not_validated", "non validé"},
        {cev_fr_block_long, "absent", "absent (une épreuve manquée)"},
        {cev_fr_block_long, "not_presented", "non présenté à cette session"},
        {cev_fr_title, "awarded", "Titre obtenu"},
        {cev_fr_title, "partial", "Titre partiellement obtenu"},
        {cev_fr_title, "not_awarded", "Titre non obtenu"},
        {cev_fr_title_lower, "awarded", "titre obtenu"},
        {cev_fr_title_lower, "partial", "titre partiellement obtenu"},
        {cev_fr_title_lower, "not_awarded", "titre non obtenu"},
        {cev_fr_title_short, "awarded", "Obtenu"},
        {cev_fr_title_short, "partial", "Partiellement obtenu"},
        {cev_fr_title_short, "not_awarded", "Non obtenu"},
        {cev_fr_source, "evaluated", "évalué à cette session"},
        {cev_fr_source, "capitalised", "capitalisé"},
        {cev_fr_source, "equivalence", "par équivalence"},
        {cev_fr_status, "present", "présent"},
        {cev_fr_status, "absent", "absent"},
        {cev_fr_status, "excused", "excusé"},
        {cev_fr_status, "inadmissible", "irrecevable"},
        {cev_fr_modality, "situation", "mise en situation professionnelle"},
        {cev_fr_modality, "oral", "épreuve orale"},
        {cev_fr_modality, "dossier", "dossier écrit"},
        {cev_fr_modality, "field", "évaluation de terrain"},
        {cev_fr_modality, "quiz", "questionnaire"},
        {cev_fr_profile, "professional", "professionnel du métier"},
        {cev_fr_profile, "trainer", "formateur"},
        {cev_fr_session_type, "titre", "session titre"},
        {cev_fr_session_type, "ccp", "session CCP"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(cases[i].fr(cases[i].code), cases[i].want);
        /* unknown codes, and a code of another kind, come back as they are */
        assert_string_equal(cases[i].fr("something_new"), "something_new");
        assert_string_equal(cases[i].fr(""), "");
        assert_string_equal(cases[i].fr("Validated"), "Validated"); /* case counts */
    }
    assert_string_equal(cev_fr_source("validated"), "validated");
    assert_string_equal(cev_fr_title("validated"), "validated");

    char buf[32];
    assert_string_equal(cev_fr_date(buf, "2024-03-14"), "14 mars 2024");
    assert_string_equal(cev_fr_date(buf, "2024-08-01"), "1er août 2024");
    assert_string_equal(cev_fr_date(buf, "2024-12-31"), "31 décembre 2024");
    assert_string_equal(cev_fr_date(buf, "2024-02-30"), "2024-02-30"); /* not a date */
    assert_string_equal(cev_fr_date(buf, NULL), "");
    assert_string_equal(cev_fr_date(buf, "une date bien plus longue que trente et un octets"),
                        "une date bien plus longue que t"); /* cut to the buffer */
    assert_string_equal(cev_fr_score(buf, 0.75), "0,75");
    assert_string_equal(cev_fr_score(buf, 12), "12,00");
    assert_string_equal(cev_fr_score(buf, -0.125), "-0,12"); /* printf rounds to even */
    assert_string_equal(cev_fr_plural(0, "entrée", "entrées"), "entrée");
    assert_string_equal(cev_fr_plural(1, "entrée", "entrées"), "entrée");
    assert_string_equal(cev_fr_plural(2, "entrée", "entrées"), "entrées");
}

static void test_fix(void **st)
{
    (void)st;
    /* a known phrase gets its own advice, in French, naming the file to edit */
    assert_non_null(strstr(pr_fix("E_JURY", "BC03.msp: assessor J4 is not a member of the jury"),
                           "jury.csv"));
    assert_non_null(strstr(pr_fix("E_SCHEMA", "deliberation.RNCP36524BC02.motivation: is "
                                               "required"),
                           "deliberations.csv"));
    /* the messages eval writes (tests/cli/golden/rncp36524-sample.out) */
    assert_non_null(strstr(pr_fix("E_EVIDENCE", "BC03.msp.assessors.J1: criterion c5 = 4 is "
                                                 "outside [0, 3]"),
                           "barème"));
    assert_non_null(strstr(pr_fix("E_EVIDENCE", "BC01.msp.assessors.J2: no score for criterion c4"),
                           "Une note manque"));
    assert_non_null(strstr(pr_fix("E_EVIDENCE", "BC01.msp.assessors.J2: scored unknown criterion "
                                                 "\"c9\""),
                           "critère inconnu"));
    /* an unknown message gets its code's advice; an unknown code, the default */
    assert_string_equal(pr_fix("E_JURY", "something else"),
                        pr_fix("E_JURY", "the jury breaks the package's rules"));
    assert_non_null(strstr(pr_fix("E_NEW", ""), "certificateur"));
    assert_non_null(pr_fix(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup),
        cmocka_unit_test(test_hidden_characters),
        cmocka_unit_test(test_hidden_at),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_no_markup_whatever_the_input),
        cmocka_unit_test(test_out_is_sticky),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_fix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
