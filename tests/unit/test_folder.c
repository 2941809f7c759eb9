/* folder/: the session folder's CSV files, read as spreadsheets save them. */
#include "folder/cell.h"
#include "folder/folder.h"
#include "folder/table.h"

#include "harness.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char session_ok[] = "session;date;type;titre;lieu;centre\n"
                                 "IMELIS-2024-03;14/03/2024;;RNCP36524;Lyon;IMELIS Lyon\n";
static const char cands_ok[] = "candidat;nom;prenom;date_naissance;voie;blocs_acquis\n"
                               "C1;Martin;Léa;2001-02-03;vae;\n"
                               "C2;Durand;Paul;;formation_continue;RNCP36524BC05@20/06/2023 "
                               "RNCP36524BC04@2023-01-10\n";
static const char jury_ok[] = "membre;nom;prenom;profil;president;a_forme\n"
                              "J1;Petit;Anne;professionnel;oui;\n"
                              "J2;Moreau;Jean;Formateur;non;C2\n";

/* A folder with the three files (NULL: leave one out). */
static char *folder(const char *tag, const char *session, const char *cands, const char *jury)
{
    char *dir = make_temp_dir(tag);
    if (session != NULL)
        write_file(dir, "session.csv", session);
    if (cands != NULL)
        write_file(dir, "candidats.csv", cands);
    if (jury != NULL)
        write_file(dir, "jury.csv", jury);
    return dir;
}

/* The problems of a folder expected to have some, as "path: message"
 * lines, each followed by '\n'. */
static char *problem_lines(const char *dir)
{
    cev_errlist list;
    cev_errlist_init(&list);
    cev_error err;
    cev_folder *f = (cev_folder *)1;
    assert_int_equal(cev_folder_read(&f, dir, &list, &err), CEV_PROBLEMS);
    assert_null(f);
    size_t size = list.n * (CEV_PATH_MAX + CEV_MESSAGE_MAX + 4) + 1, len = 0;
    char *all = malloc(size);
    assert_non_null(all);
    all[0] = '\0';
    for (size_t i = 0; i < list.n; i++)
        len += (size_t)snprintf(all + len, size - len, "%s: %s\n", list.items[i].path,
                                list.items[i].message);
    cev_errlist_close(&list);
    return all;
}

/* Reads a folder expected to have problems; each `want` (NULL-ended) must
 * be found, as "path: message", in some problem. */
static void expect_problems(const char *dir, ...)
{
    char *all = problem_lines(dir);
    assert_true(all[0] != '\0');
    va_list ap;
    va_start(ap, dir);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;) {
        if (strstr(all, want) == NULL) {
            print_message("problems:\n%s", all);
            fail_msg("no problem holds \"%s\"", want);
        }
    }
    va_end(ap);
    free(all);
}

static cev_folder *read_ok(const char *dir)
{
    cev_errlist list;
    cev_errlist_init(&list);
    cev_error err;
    cev_folder *f = NULL;
    cev_code rc = cev_folder_read(&f, dir, &list, &err);
    for (size_t i = 0; i < list.n; i++)
        print_message("problem: %s: %s\n", list.items[i].path, list.items[i].message);
    assert_int_equal(rc, CEV_OK);
    assert_int_equal(list.n, 0);
    cev_errlist_close(&list);
    return f;
}

static void test_reads_a_good_folder(void **st)
{
    (void)st;
    char *dir = folder("folder-ok", session_ok, cands_ok, jury_ok);
    cev_folder *f = read_ok(dir);
    const cev_folder_session *s = cev_folder_session_info(f);
    assert_string_equal(s->id, "IMELIS-2024-03");
    assert_string_equal(s->date, "2024-03-14"); /* DD/MM/YYYY read as ISO */
    assert_null(s->type);
    assert_string_equal(s->title, "RNCP36524");
    assert_string_equal(s->place, "Lyon");
    size_t n;
    const cev_folder_candidate *c = cev_folder_candidates(f, &n);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].id, "C1"); /* file order */
    assert_string_equal(c[0].first_name, "Léa");
    assert_string_equal(c[0].birth_date, "2001-02-03");
    assert_string_equal(c[0].route, "vae");
    assert_int_equal(c[0].nacquired, 0);
    assert_int_equal(c[0].row, 2);
    assert_null(c[1].birth_date);
    assert_int_equal(c[1].nacquired, 2);
    assert_string_equal(c[1].acquired[0].block, "RNCP36524BC05");
    assert_string_equal(c[1].acquired[0].date, "2023-06-20");
    assert_string_equal(c[1].acquired[1].block, "RNCP36524BC04");
    assert_string_equal(c[1].acquired[1].date, "2023-01-10");
    assert_ptr_equal(cev_folder_find_candidate(f, "C2"), &c[1]);
    assert_null(cev_folder_find_candidate(f, "C3"));
    const cev_folder_member *m = cev_folder_jury(f, &n);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].profile, "professional");
    assert_true(m[0].president);
    assert_string_equal(m[1].profile, "trainer"); /* "Formateur" in any case */
    assert_false(m[1].president);
    assert_int_equal(m[1].ntrained, 1);
    assert_string_equal(m[1].trained[0], "C2");
    assert_ptr_equal(cev_folder_find_member(f, "J2"), &m[1]);
    assert_string_equal(cev_folder_dir(f), dir);
    cev_folder_close(f);
    remove_tree(dir);
    free(dir);
}

/* Excel's "CSV UTF-8": a BOM, ',' and CRLF; a quoted cell with a line
 * break and the separator; spaces around cells. */
static void test_bom_comma_crlf_quotes(void **st)
{
    (void)st;
    char *dir = folder("folder-bom",
                       "\xEF\xBB\xBFsession,date,titre,lieu\r\n"
                       "S1 , 2024-03-14 ,RNCP36524,\"Salle 2,\r\nbâtiment B\"\r\n",
                       "\xEF\xBB\xBF" "candidat,nom,prenom\r\n"
                       "  C1  ,\"  O'Brien \",\"Ann \"\"Nan\"\"\"\r\n"
                       ",,\r\n" /* a blank row, skipped */
                       "C2,Roy,Luc\r\n",
                       "membre,nom,prenom,profil,president\r\nJ1,A,B,professionnel,OUI\r\n");
    cev_folder *f = read_ok(dir);
    const cev_folder_session *s = cev_folder_session_info(f);
    assert_string_equal(s->id, "S1");
    assert_string_equal(s->place, "Salle 2,\r\nbâtiment B");
    assert_string_equal(s->centre, "");
    size_t n;
    const cev_folder_candidate *c = cev_folder_candidates(f, &n);
    assert_int_equal(n, 2);
    assert_string_equal(c[0].id, "C1");
    assert_string_equal(c[0].last_name, "O'Brien");
    assert_string_equal(c[0].first_name, "Ann \"Nan\"");
    assert_int_equal(c[1].row, 4); /* the blank row keeps its number */
    cev_folder_close(f);
    remove_tree(dir);
    free(dir);
}

static void test_separator_is_detected(void **st)
{
    (void)st;
    char *dir = make_temp_dir("folder-sep");
    cev_errlist list;
    cev_errlist_init(&list);
    cev_error err;
    cev_table *t;
    write_file(dir, "semi.csv", "a;b;c\n1,5;2;x,y\n");
    assert_int_equal(cev_table_read(&t, dir, "semi.csv", &list, &err), CEV_OK);
    assert_int_equal(t->sep, ';');
    assert_int_equal(t->ncols, 3);
    assert_string_equal(cev_table_cell(t, 0, 0), "1,5");
    assert_string_equal(cev_table_cell(t, 0, 2), "x,y");
    cev_table_close(t);
    write_file(dir, "comma.csv", "a,b,c\n\"1,5\",2;3,x\n");
    assert_int_equal(cev_table_read(&t, dir, "comma.csv", &list, &err), CEV_OK);
    assert_int_equal(t->sep, ',');
    assert_string_equal(cev_table_cell(t, 0, 0), "1,5");
    assert_string_equal(cev_table_cell(t, 0, 1), "2;3");
    assert_int_equal(cev_table_col(t, "c"), 2);
    assert_int_equal(cev_table_col(t, "d"), -1);
    assert_string_equal(cev_table_cell(t, 0, -1), "");
    cev_table_close(t);
    /* blank lines (LF or CRLF) keep the rows' numbers, as the sheet shows them */
    write_file(dir, "blank.csv", "\r\na;b\r\n\r\n1;2\r\n;\r\n\"x\r\ny\";3\r\n\r\n4;5");
    assert_int_equal(cev_table_read(&t, dir, "blank.csv", &list, &err), CEV_OK);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->rows[0], 3);
    assert_int_equal(t->rows[1], 5); /* row 4 is ";": blank */
    assert_string_equal(cev_table_cell(t, 1, 0), "x\r\ny");
    assert_int_equal(t->rows[2], 7);
    assert_string_equal(cev_table_cell(t, 2, 1), "5");
    cev_table_close(t);
    write_file(dir, "blank-lf.csv", "a;b\n\n\n1;2\n");
    assert_int_equal(cev_table_read(&t, dir, "blank-lf.csv", &list, &err), CEV_OK);
    assert_int_equal(t->rows[0], 4);
    cev_table_close(t);
    /* a row longer than the header */
    write_file(dir, "long.csv", "a;b\n1;2;3\n");
    assert_int_equal(cev_table_read(&t, dir, "long.csv", &list, &err), CEV_PROBLEMS);
    assert_non_null(t);
    assert_int_equal(list.n, 1);
    assert_string_equal(list.items[0].path, "long.csv:2:colonne 3");
    cev_table_close(t);
    /* a stray quote */
    write_file(dir, "quote.csv", "a;b\n1;2\n\"3;4\n");
    assert_int_equal(cev_table_read(&t, dir, "quote.csv", &list, &err), CEV_PROBLEMS);
    assert_null(t);
    assert_string_equal(list.items[1].path, "quote.csv:3");
    assert_non_null(strstr(list.items[1].message, "guillemet"));
    /* an empty file, a repeated column */
    write_file(dir, "empty.csv", "");
    assert_int_equal(cev_table_read(&t, dir, "empty.csv", &list, &err), CEV_PROBLEMS);
    assert_null(t);
    write_file(dir, "twice.csv", "a;a\n");
    assert_int_equal(cev_table_read(&t, dir, "twice.csv", &list, &err), CEV_PROBLEMS);
    assert_string_equal(list.items[list.n - 1].path, "twice.csv:1:a");
    cev_table_close(t);
    cev_errlist_close(&list);
    remove_tree(dir);
    free(dir);
}

static void test_cells(void **st)
{
    (void)st;
    double v;
    assert_true(cev_cell_number("2,5", &v));
    assert_true(v == 2.5);
    assert_true(cev_cell_number("2.5", &v));
    assert_true(v == 2.5);
    assert_true(cev_cell_number("-3", &v));
    assert_true(v == -3);
    assert_false(cev_cell_number("2,5,1", &v));
    assert_false(cev_cell_number("1e3", &v));
    assert_false(cev_cell_number(",5", &v));
    assert_false(cev_cell_number("3,", &v));
    assert_false(cev_cell_number("", &v));
    assert_false(cev_cell_number("trois", &v));
    char d1[] = "14/03/2024", d2[] = "2024-02-30", d3[] = "1/3/2024", d4[] = "31/02/2024";
    assert_true(cev_cell_date(d1));
    assert_string_equal(d1, "2024-03-14");
    assert_false(cev_cell_date(d2));
    assert_false(cev_cell_date(d3));
    assert_false(cev_cell_date(d4));
    assert_string_equal(d4, "31/02/2024"); /* left as typed: the problem quotes it */
    assert_true(cev_cell_identifier("AICMP-2024_01.a"));
    assert_false(cev_cell_identifier("é"));
    assert_false(cev_cell_identifier("a b"));
    assert_false(cev_cell_identifier(""));
    char long_id[66];
    memset(long_id, 'x', 65);
    long_id[65] = '\0';
    assert_false(cev_cell_identifier(long_id));
    long_id[64] = '\0';
    assert_true(cev_cell_identifier(long_id));
    assert_int_equal(cev_cell_yes_no("Oui"), 1);
    assert_int_equal(cev_cell_yes_no(""), 0);
    assert_int_equal(cev_cell_yes_no("NON"), 0);
    assert_int_equal(cev_cell_yes_no("x"), -1);
}

static void test_windows_1252_is_refused(void **st)
{
    (void)st;
    /* "Léa" saved as Windows-1252: é is the single byte 0xE9 */
    char *dir = folder("folder-1252", session_ok,
                       "candidat;nom;prenom\nC1;Martin;L\xE9" "a\n", jury_ok);
    expect_problems(dir, "candidats.csv:2:prenom: le fichier n'est pas en UTF-8",
                    "« CSV UTF-8 (délimité par des virgules) »", "« Unicode (UTF-8) »", NULL);
    remove_tree(dir);
    free(dir);
    /* told at the sheet's row and column: a quoted line break before it is
     * inside row 2, a CRLF is one line end */
    dir = folder("folder-1252-row", session_ok,
                 "candidat;nom;prenom\r\nC0;\"Du\nVal\";Jo\r\nC1;Martin;L\xE9" "a\r\n", jury_ok);
    expect_problems(dir, "candidats.csv:3:prenom: le fichier n'est pas en UTF-8", NULL);
    remove_tree(dir);
    free(dir);
}

static void test_missing_file_and_folder(void **st)
{
    (void)st;
    char *dir = folder("folder-missing", session_ok, NULL, jury_ok);
    expect_problems(dir, "candidats.csv: fichier absent du dossier de session", NULL);
    cev_errlist list;
    cev_errlist_init(&list);
    cev_error err;
    cev_folder *f;
    char path[4096];
    snprintf(path, sizeof path, "%s/none", dir);
    assert_int_equal(cev_folder_read(&f, path, &list, &err), CEV_EIO);
    assert_int_equal(list.n, 0);
    cev_errlist_close(&list);
    remove_tree(dir);
    free(dir);
}

static void test_columns(void **st)
{
    (void)st;
    char *dir = folder("folder-cols", session_ok,
                       "candidat;nom;prénom;note\nC1;Martin;Léa;3\n", jury_ok);
    expect_problems(dir, "candidats.csv:1:prénom: colonne inconnue « prénom »",
                    "candidats.csv:1:note: colonne inconnue « note »",
                    "candidats.csv:1:prenom: colonne « prenom » absente de l'en-tête", NULL);
    remove_tree(dir);
    free(dir);
}

static void test_bad_cells_all_reported(void **st)
{
    (void)st;
    char *dir = folder("folder-bad",
                       "session;date;type;titre\nS1;2024-13-01;titr;\n",
                       "candidat;nom;prenom;date_naissance;blocs_acquis\n"
                       "C1;Martin;Léa;hier;BC05 BC04@2023-02-30\n"
                       "C 2;Roy;Luc;;\n"
                       "C1;;Max;;\n",
                       "membre;nom;prenom;profil;president;a_forme\n"
                       "J1;Petit;Anne;expert;peut-être;C9\n"
                       "J1;Moreau;Jean;formateur;non;\n");
    expect_problems(dir, "session.csv:2:date: date « 2024-13-01 » invalide",
                    "session.csv:2:type: type de session « titr » inconnu",
                    "session.csv:2:titre: code du titre manquant",
                    "candidats.csv:2:date_naissance: date « hier » invalide",
                    "candidats.csv:2:blocs_acquis: « BC05 » : CODE@DATE attendu",
                    "candidats.csv:2:blocs_acquis: date « 2023-02-30 » invalide",
                    "candidats.csv:3:candidat: identifiant « C 2 » invalide",
                    "candidats.csv:4:candidat: candidat « C1 » déjà présent ligne 2",
                    "candidats.csv:4:nom: nom du candidat manquant",
                    "jury.csv:2:profil: profil « expert » inconnu",
                    "jury.csv:2:president: « peut-être » : « oui » ou « non » attendu",
                    "jury.csv:2:a_forme: « C9 » n'est pas un candidat de candidats.csv",
                    "jury.csv:3:membre: membre « J1 » déjà présent ligne 2",
                    "jury.csv:1:president: aucun président", NULL);
    remove_tree(dir);
    free(dir);
}

static void test_two_presidents(void **st)
{
    (void)st;
    char *dir = folder("folder-two", session_ok, cands_ok,
                       "membre;nom;prenom;profil;president\n"
                       "J1;A;B;professionnel;oui\nJ2;C;D;formateur;oui\nJ3;E;F;formateur;oui\n");
    expect_problems(dir, "jury.csv:3:president: deux présidents", NULL);
    remove_tree(dir);
    free(dir);
}

static void test_session_rows(void **st)
{
    (void)st;
    char *dir = folder("folder-rows", "session;date;titre\n", cands_ok, jury_ok);
    expect_problems(dir, "session.csv:2: ligne de la session manquante", NULL);
    write_file(dir, "session.csv", "session;date;titre\nS1;2024-01-01;X\nS2;2024-01-01;X\n");
    expect_problems(dir, "session.csv:3: une seule ligne attendue", NULL);
    remove_tree(dir);
    free(dir);
}

#define TOO_LONG                                                                        \
    "cellule trop longue (plus de 4096 octets) : la raccourcir ; elle contient peut-être " \
    "plusieurs cellules collées, ou un guillemet non refermé"

/* A cell over 4096 bytes is one problem, "cellule trop longue": not also
 * a missing value (it reads as ""), nor an invalid one, in whichever
 * column; exactly 4096 bytes is a value. */
static void test_too_long_cell_is_one_problem(void **st)
{
    (void)st;
    char big[5001], max[4097];
    memset(big, 'W', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memset(max, 'M', sizeof max - 1);
    max[sizeof max - 1] = '\0';
    char cands[24000], jury[12000], session[6000];
    snprintf(cands, sizeof cands,
             "candidat;nom;prenom;date_naissance;voie;blocs_acquis\n"
             "C1;%s;Léa;;vae;\n"        /* nom */
             "%s;Roy;Luc;;;\n"          /* candidat */
             "C3;Roy;Max;%s;;\n"        /* date_naissance */
             "C4;%s;Eva;;;\n",          /* 4096 bytes: a name */
             big, big, big, max);
    snprintf(jury, sizeof jury,
             "membre;nom;prenom;profil;president;a_forme\n"
             "J1;Petit;Anne;%s;oui;\n"  /* profil */
             "J2;%s;Jean;formateur;non;C1\n", /* nom */
             big, big);
    snprintf(session, sizeof session, "session;date;type;titre\nS1;%s;;RNCP1\n", big);
    char *dir = folder("folder-long", session, cands, jury);
    char *got = problem_lines(dir);
    const char *want =
        "session.csv:2:date: " TOO_LONG "\n"
        "candidats.csv:2:nom: " TOO_LONG "\n"
        "candidats.csv:3:candidat: " TOO_LONG "\n"
        "candidats.csv:4:date_naissance: " TOO_LONG "\n"
        "jury.csv:2:profil: " TOO_LONG "\n"
        "jury.csv:3:nom: " TOO_LONG "\n";
    if (strcmp(got, want) != 0)
        print_message("got:\n%s", got);
    assert_string_equal(got, want);
    free(got);
    /* a row whose only value is a refused cell is still a row: its other
     * cells are missing (told), the refused one is not told twice */
    snprintf(cands, sizeof cands, "candidat;nom;prenom\nC1;Martin;Léa\nC2;Roy;Luc\n;%s;\n", big);
    write_file(dir, "candidats.csv", cands);
    write_file(dir, "session.csv", session_ok);
    write_file(dir, "jury.csv", jury_ok);
    got = problem_lines(dir);
    assert_string_equal(got, "candidats.csv:4:nom: " TOO_LONG "\n"
                             "candidats.csv:4:candidat: identifiant manquant\n");
    free(got);
    remove_tree(dir);
    free(dir);
}

/* A file of the folder may be a symbolic link to another file of the
 * folder; a link out of it, or to nothing, is refused (the folder must hold
 * what the session used). */
static void test_symbolic_links(void **st)
{
    (void)st;
    char *dir = folder("folder-links", session_ok, NULL, jury_ok);
    char *out = make_temp_dir("folder-links-out");
    char path[4096], target[4096];
    write_file(dir, "saisie-candidats.csv", cands_ok);
    snprintf(path, sizeof path, "%s/candidats.csv", dir);
    assert_int_equal(symlink("saisie-candidats.csv", path), 0);
    cev_folder *f = read_ok(dir);
    size_t n;
    cev_folder_candidates(f, &n);
    assert_int_equal(n, 2);
    cev_folder_close(f);
    /* through a link to the folder itself, the same */
    snprintf(target, sizeof target, "%s/link-to-folder", out);
    assert_int_equal(symlink(dir, target), 0);
    f = read_ok(target);
    cev_folder_close(f);
    /* out of the folder: refused, the file not read */
    write_file(out, "candidats.csv", "candidat;nom;prenom\nC1;Martin;Léa;de trop\n");
    assert_int_equal(unlink(path), 0);
    snprintf(target, sizeof target, "%s/candidats.csv", out);
    assert_int_equal(symlink(target, path), 0);
    char *got = problem_lines(dir);
    assert_string_equal(got, "candidats.csv: lien symbolique vers un fichier hors du dossier de "
                             "session : copier le fichier lui-même dans le dossier, à la place "
                             "du lien (le dossier doit contenir tout ce qui a servi à la session, "
                             "pour la réimprimer plus tard)\n");
    free(got);
    /* "../x" out and back in is inside */
    assert_int_equal(unlink(path), 0);
    const char *base = strrchr(dir, '/') + 1;
    snprintf(target, sizeof target, "../%s/saisie-candidats.csv", base);
    assert_int_equal(symlink(target, path), 0);
    f = read_ok(dir);
    cev_folder_close(f);
    /* to nothing */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink("nowhere.csv", path), 0);
    expect_problems(dir, "candidats.csv: lien symbolique vers un fichier introuvable", NULL);
    remove_tree(out);
    remove_tree(dir);
    free(out);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_a_good_folder),
        cmocka_unit_test(test_bom_comma_crlf_quotes),
        cmocka_unit_test(test_separator_is_detected),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_windows_1252_is_refused),
        cmocka_unit_test(test_missing_file_and_folder),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_bad_cells_all_reported),
        cmocka_unit_test(test_two_presidents),
        cmocka_unit_test(test_session_rows),
        cmocka_unit_test(test_too_long_cell_is_one_problem),
        cmocka_unit_test(test_symbolic_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
