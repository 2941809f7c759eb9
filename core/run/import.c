/*
 * import.c - `import`: a session folder read back into candidate records
 * (formats.md), one per row of candidats.csv, in its order.
 *
 * Two passes.  The first reads every file and reports every problem it
 * finds (the folder's own, then each assessment file, deliberations.csv and
 * calendrier.csv), each as "file:row:column: message" in French; the rows
 * of each file are grouped by candidate on the way.  The second runs only
 * when there was none, and writes the records: it re-reads cells that the
 * first pass proved well-formed.
 *
 * Names (nom, prenom, date_naissance) and the place are never written: a
 * record carries identifiers only.
 */
#include "certeval/certeval.h"

#include "base/buf.h"
#include "base/date.h"
#include "decide/pipeline.h"
#include "folder/cell.h"
#include "folder/folder.h"
#include "folder/table.h"
#include "package/catalog.h"
#include "package/package.h"
#include "run/grid.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { ST_PRESENT, ST_ABSENT, ST_EXCUSED, ST_MISSING, ST_BAD };

/* Rows of a table grouped by candidate: the rows of candidate k are
 * order[start[k] .. start[k + 1]), in file order; rows of unknown
 * candidates are in no group. */
typedef struct groups {
    size_t *cand;  /* per row: candidate index, or SIZE_MAX */
    size_t *start; /* ncand + 1 */
    size_t *order;
} groups;

/* One assessment file. */
typedef struct sheet_data {
    const cev_sheet *sheet;
    cev_table *t;
    long c_cand, c_eval, c_status, c_tutor, c_date, c_pages, c_minutes;
    long *c_item; /* the column of each item */
    groups g;
} sheet_data;

typedef struct importer {
    const cev_folder *f;
    const cev_folder_candidate *cand;
    size_t ncand;
    const cev_folder_member *jury;
    size_t njury;
    const cev_package *pkg;
    cev_grid grid;
    sheet_data *sd;
    size_t nsd;
    cev_table *delib, *cal;
    groups dg;
    cev_errlist *problems;
    cev_error *err;
    int problem, nomem;
    cev_code fatal; /* with nomem: an error other than memory, told in err */
} importer;

/* ---- reporting ------------------------------------------------------------- */

static void say(importer *im, const cev_table *t, size_t row, const char *col, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static void say(importer *im, const cev_table *t, size_t row, const char *col, const char *fmt,
                ...)
{
    im->problem = 1;
    va_list ap;
    va_start(ap, fmt);
    if (cev_table_problemv(im->problems, t->file, t->rows[row], col, fmt, ap) != CEV_OK)
        im->nomem = 1;
    va_end(ap);
}

/* ---- cells --------------------------------------------------------------------- */

static char *cellp(const cev_table *t, size_t row, long col)
{
    return col < 0 ? NULL : t->cells[row * t->ncols + (size_t)col];
}

static const char *cell(const cev_table *t, size_t row, long col)
{
    return cev_table_cell(t, row, col);
}

static int parse_status(const char *s, int dossier)
{
    if (*s == '\0' || cev_cell_word(s, "present") || strcmp(s, "présent") == 0 ||
        strcmp(s, "Présent") == 0)
        return ST_PRESENT;
    if (cev_cell_word(s, "absent") || cev_cell_word(s, "absente"))
        return ST_ABSENT;
    if (strcmp(s, "excusé") == 0 || strcmp(s, "Excusé") == 0 || strcmp(s, "excusée") == 0 ||
        strcmp(s, "Excusée") == 0 || cev_cell_word(s, "excuse") || cev_cell_word(s, "excusee"))
        return ST_EXCUSED;
    if (dossier && (cev_cell_word(s, "non remis") || cev_cell_word(s, "non remise")))
        return ST_MISSING;
    return ST_BAD;
}

/* ---- grouping rows by candidate ------------------------------------------------- */

static int group(importer *im, groups *g, const cev_table *t, long c_cand)
{
    g->cand = malloc((t->nrows ? t->nrows : 1) * sizeof *g->cand);
    g->start = calloc(im->ncand + 2, sizeof *g->start);
    g->order = malloc((t->nrows ? t->nrows : 1) * sizeof *g->order);
    if (g->cand == NULL || g->start == NULL || g->order == NULL) {
        im->nomem = 1;
        return 0;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const char *id = cell(t, r, c_cand);
        const cev_folder_candidate *c = cev_folder_find_candidate(im->f, id);
        g->cand[r] = c != NULL ? (size_t)(c - im->cand) : SIZE_MAX;
        if (c != NULL)
            g->start[g->cand[r] + 2]++;
        else if (*id == '\0')
            say(im, t, r, "candidat", "identifiant du candidat manquant");
        else
            say(im, t, r, "candidat", "candidat « %s » absent de candidats.csv", id);
    }
    /* counting sort: start[k + 1] counts, then offsets */
    for (size_t k = 2; k < im->ncand + 2; k++)
        g->start[k] += g->start[k - 1];
    for (size_t r = 0; r < t->nrows; r++)
        if (g->cand[r] != SIZE_MAX)
            g->order[g->start[g->cand[r] + 1]++] = r;
    return 1;
}

static void groups_close(groups *g)
{
    free(g->cand);
    free(g->start);
    free(g->order);
}

/* ---- one assessment file: checking ------------------------------------------------ */

static int is_item(void *ctx, const char *col)
{
    const cev_sheet *s = ctx;
    for (size_t i = 0; i < s->nitems; i++)
        if (strcmp(s->items[i].id, col) == 0)
            return 1;
    return 0;
}

/* A score cell: a number in [0, max]. */
static void check_score(importer *im, const sheet_data *d, size_t r, const cev_sheet_item *it)
{
    const char *v = cell(d->t, r, d->c_item[it - d->sheet->items]);
    double x;
    if (!cev_cell_number(v, &x))
        say(im, d->t, r, it->id, "« %s » n'est pas une note (un nombre, par exemple 2 ou 2,5)",
            v);
    else if (x < 0 || x > it->max)
        say(im, d->t, r, it->id, "note %s hors de l'échelle (de 0 à %g)", v, it->max);
}

/* The number of item cells (scores, ratings, answers) a row fills. */
static size_t filled_items(const sheet_data *d, size_t r)
{
    size_t filled = 0;
    for (size_t i = 0; i < d->sheet->nitems; i++)
        filled += *cell(d->t, r, d->c_item[i]) != '\0';
    return filled;
}

/* A row of a candidate who was absent, excused or did not hand in: no
 * score may be given (it would be dropped, since nothing else is read). */
static int results_while_away(importer *im, const sheet_data *d, size_t r, int status)
{
    if (status == ST_PRESENT)
        return 0;
    if (filled_items(d, r) > 0)
        say(im, d->t, r, "statut",
            "résultats saisis pour un candidat « %s » : les effacer ou vider le statut",
            cell(d->t, r, d->c_status));
    return 1;
}

static void check_panel_row(importer *im, sheet_data *d, size_t r, int status)
{
    const cev_sheet *s = d->sheet;
    const cev_table *t = d->t;
    const char *who = cell(t, r, d->c_eval);
    if (*who != '\0' && !cev_cell_identifier(who))
        say(im, t, r, "evaluateur",
            "identifiant « %s » invalide : de 1 à 64 caractères parmi les lettres sans accent, "
            "les chiffres et . _ -", who);
    if (results_while_away(im, d, r, status))
        return;
    if (*who == '\0') {
        if (filled_items(d, r) > 0)
            say(im, t, r, "evaluateur", "évaluateur manquant pour ces notes");
    } else {
        for (size_t i = 0; i < s->nitems; i++) {
            if (*cell(t, r, d->c_item[i]) == '\0')
                say(im, t, r, s->items[i].id, "note manquante pour le critère « %s »",
                    s->items[i].id);
            else
                check_score(im, d, r, &s->items[i]);
        }
    }
    char *date = cellp(t, r, d->c_date);
    if (date != NULL && *date != '\0' && !cev_cell_date(date))
        say(im, t, r, "remis_le", "date « %s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)",
            date);
    double x;
    const char *pages = cell(t, r, d->c_pages);
    if (*pages != '\0' && (!cev_cell_number(pages, &x) || x < 0 || x > 10000000 || x != floor(x)))
        say(im, t, r, "pages", "« %s » n'est pas un nombre de pages", pages);
    const char *minutes = cell(t, r, d->c_minutes);
    if (*minutes != '\0' && (!cev_cell_number(minutes, &x) || x < 0 || x > 1e6))
        say(im, t, r, "minutes", "« %s » n'est pas une durée en minutes", minutes);
}

static void check_field_row(importer *im, sheet_data *d, size_t r, int status)
{
    const cev_sheet *s = d->sheet;
    const cev_table *t = d->t;
    const char *tutor = cell(t, r, d->c_tutor);
    if (results_while_away(im, d, r, status))
        return;
    if (*tutor == '\0')
        say(im, t, r, "tuteur", "tuteur (encadrant) manquant");
    else if (!cev_cell_identifier(tutor))
        say(im, t, r, "tuteur",
            "identifiant « %s » invalide : de 1 à 64 caractères parmi les lettres sans accent, "
            "les chiffres et . _ -", tutor);
    for (size_t i = 0; i < s->nitems; i++)
        if (*cell(t, r, d->c_item[i]) != '\0')
            check_score(im, d, r, &s->items[i]);
}

/* Rows of one candidate that must agree (status, remis_le, pages,
 * minutes), and assessors not repeated; field and quiz: one row each. */
static void check_candidate_rows(importer *im, sheet_data *d, size_t k)
{
    const cev_table *t = d->t;
    size_t from = d->g.start[k], to = d->g.start[k + 1];
    if (from == to)
        return;
    size_t first = d->g.order[from];
    if (d->sheet->kind != CEV_SHEET_PANEL) {
        for (size_t j = from + 1; j < to; j++) {
            say(im, t, d->g.order[j], "candidat", "candidat « %s » déjà présent ligne %ld",
                im->cand[k].id, t->rows[first]);
        }
        return;
    }
    const long cols[] = {d->c_status, d->c_date, d->c_pages, d->c_minutes};
    const char *names[] = {"statut", "remis_le", "pages", "minutes"};
    for (size_t c = 0; c < 4; c++) {
        const char *seen = NULL;
        for (size_t j = from; j < to; j++) {
            const char *v = cell(t, d->g.order[j], cols[c]);
            if (*v == '\0' && c > 0)
                continue; /* given on one row only */
            if (seen == NULL)
                seen = v;
            else if (c == 0 ? parse_status(seen, d->sheet->dossier) !=
                                  parse_status(v, d->sheet->dossier)
                            : strcmp(seen, v) != 0) { /* "Absent" is "absent" */
                say(im, t, d->g.order[j], names[c],
                    "« %s » ne concorde pas avec « %s » sur une autre ligne de ce candidat", v,
                    seen);
                break;
            }
        }
    }
    for (size_t j = from + 1; j < to; j++) {
        const char *who = cell(t, d->g.order[j], d->c_eval);
        if (*who == '\0')
            continue;
        for (size_t i = from; i < j; i++)
            if (strcmp(who, cell(t, d->g.order[i], d->c_eval)) == 0) {
                say(im, t, d->g.order[j], "evaluateur",
                    "l'évaluateur « %s » a déjà noté ce candidat (%s) sur une autre ligne", who,
                    im->cand[k].id);
                break;
            }
    }
}

/* Reads and checks one assessment file. */
static void read_sheet(importer *im, sheet_data *d)
{
    const cev_sheet *s = d->sheet;
    const char *dir = cev_folder_dir(im->f);
    char name[CEV_ID_MAX * 2 + 8];
    snprintf(name, sizeof name, "%s.csv", s->id);
    cev_code rc = cev_table_read(&d->t, dir, name, im->problems, im->err);
    if (rc == CEV_ENOMEM) {
        im->nomem = 1;
        return;
    }
    if (rc != CEV_OK)
        im->problem = 1;
    if (d->t == NULL)
        return;
    const char **cols = cev_sheet_columns(s);
    d->c_item = calloc(s->nitems ? s->nitems : 1, sizeof *d->c_item);
    if (cols == NULL || d->c_item == NULL) {
        free(cols);
        im->nomem = 1;
        return;
    }
    static const char *const optional[] = {"statut", "remis_le", "pages", "minutes", NULL};
    /* required: every column but the optional ones */
    const char **required = calloc(s->nitems + 8, sizeof *required);
    if (required == NULL) {
        free(cols);
        im->nomem = 1;
        return;
    }
    for (size_t i = 0, n = 0; cols[i] != NULL; i++) {
        int opt = 0;
        for (size_t j = 0; optional[j] != NULL; j++)
            opt |= strcmp(cols[i], optional[j]) == 0;
        if (!opt)
            required[n++] = cols[i];
    }
    rc = cev_table_columns(d->t, cols, required, is_item, (void *)s, im->problems, im->err);
    free(cols);
    free(required);
    if (rc == CEV_ENOMEM) {
        im->nomem = 1;
        return;
    }
    if (rc != CEV_OK) {
        im->problem = 1;
        return; /* a column is missing or unknown: its cells are not read */
    }
    cev_table *t = d->t;
    d->c_cand = cev_table_col(t, "candidat");
    d->c_eval = cev_table_col(t, "evaluateur");
    d->c_status = cev_table_col(t, "statut");
    d->c_tutor = cev_table_col(t, "tuteur");
    d->c_date = s->dossier ? cev_table_col(t, "remis_le") : -1;
    d->c_pages = s->dossier ? cev_table_col(t, "pages") : -1;
    d->c_minutes = s->oral ? cev_table_col(t, "minutes") : -1;
    for (size_t i = 0; i < s->nitems; i++)
        d->c_item[i] = cev_table_col(t, s->items[i].id);
    if (!group(im, &d->g, t, d->c_cand))
        return;
    for (size_t r = 0; r < t->nrows && !im->nomem; r++) {
        const char *st = cell(t, r, d->c_status);
        int status = parse_status(st, s->dossier);
        if (status == ST_BAD) {
            say(im, t, r, "statut",
                s->dossier ? "statut « %s » inconnu : vide (présent), « absent », « excusé » ou "
                             "« non remis »"
                           : "statut « %s » inconnu : vide (présent), « absent » ou « excusé »",
                st);
            continue;
        }
        if (s->kind == CEV_SHEET_PANEL)
            check_panel_row(im, d, r, status);
        else if (s->kind == CEV_SHEET_FIELD)
            check_field_row(im, d, r, status);
        else
            results_while_away(im, d, r, status);
    }
    for (size_t k = 0; k < im->ncand && !im->nomem; k++)
        check_candidate_rows(im, d, k);
}

/* ---- deliberations.csv and calendrier.csv ---------------------------------------- */

static const char *const delib_cols[] = {"candidat", "bloc", "decision", "motivation", NULL};
static const char *const cal_cols[] = {"epreuve", "date_limite", NULL};

static const char *parse_decision(const char *s)
{
    if (cev_cell_word(s, "valide") || strcmp(s, "validé") == 0 || strcmp(s, "Validé") == 0)
        return "validated";
    if (cev_cell_word(s, "non_valide") || cev_cell_word(s, "non valide") ||
        strcmp(s, "non validé") == 0 || strcmp(s, "Non validé") == 0)
        return "not_validated";
    return NULL;
}

static int open_table(importer *im, cev_table **t, const char *name, const char *const *cols)
{
    cev_code rc = cev_table_read(t, cev_folder_dir(im->f), name, im->problems, im->err);
    if (rc == CEV_ENOMEM)
        im->nomem = 1;
    else if (rc != CEV_OK)
        im->problem = 1;
    if (*t == NULL || im->nomem)
        return 0;
    rc = cev_table_columns(*t, cols, cols, NULL, NULL, im->problems, im->err);
    if (rc == CEV_ENOMEM)
        im->nomem = 1;
    else if (rc != CEV_OK)
        im->problem = 1;
    return rc == CEV_OK;
}

static void read_deliberations(importer *im)
{
    if (!open_table(im, &im->delib, "deliberations.csv", delib_cols))
        return;
    cev_table *t = im->delib;
    long cc = cev_table_col(t, "candidat"), cb = cev_table_col(t, "bloc");
    long cd = cev_table_col(t, "decision"), cm = cev_table_col(t, "motivation");
    if (!group(im, &im->dg, t, cc))
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *block = cell(t, r, cb);
        if (*block == '\0')
            say(im, t, r, "bloc", "code du bloc manquant");
        else if (cev_package_block(im->pkg, block) < 0)
            say(im, t, r, "bloc", "le titre %s n'a pas de bloc « %s »", im->pkg->code, block);
        if (parse_decision(cell(t, r, cd)) == NULL)
            say(im, t, r, "decision", "décision « %s » inconnue : « valide » ou « non_valide »",
                cell(t, r, cd));
        if (*cell(t, r, cm) == '\0')
            say(im, t, r, "motivation",
                "motivation manquante : le jury motive toute délibération");
    }
    for (size_t k = 0; k < im->ncand; k++)
        for (size_t j = im->dg.start[k] + 1; j < im->dg.start[k + 1]; j++)
            for (size_t i = im->dg.start[k]; i < j; i++) {
                size_t a = im->dg.order[i], b = im->dg.order[j];
                if (strcmp(cell(t, a, cb), cell(t, b, cb)) == 0 && *cell(t, b, cb) != '\0') {
                    say(im, t, b, "bloc", "délibération sur ce bloc déjà saisie ligne %ld",
                        t->rows[a]);
                    break;
                }
            }
}

static void read_calendar(importer *im)
{
    if (!open_table(im, &im->cal, "calendrier.csv", cal_cols))
        return;
    cev_table *t = im->cal;
    long ce = cev_table_col(t, "epreuve"), cd = cev_table_col(t, "date_limite");
    for (size_t r = 0; r < t->nrows; r++) {
        const char *id = cell(t, r, ce);
        const cev_sheet *s = cev_grid_sheet(&im->grid, id);
        if (s == NULL || !s->dossier)
            say(im, t, r, "epreuve", "« %s » n'est pas une épreuve écrite (dossier) du titre %s",
                id, im->pkg->code);
        for (size_t i = 0; i < r; i++)
            if (strcmp(cell(t, i, ce), id) == 0) {
                say(im, t, r, "epreuve", "épreuve « %s » déjà présente", id);
                break;
            }
        char *date = cellp(t, r, cd);
        if (*date != '\0' && !cev_cell_date(date))
            say(im, t, r, "date_limite",
                "date « %s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)", date);
    }
}

/* ---- the package ------------------------------------------------------------------ */

static void choose_package(importer *im, const cev_engine *eng)
{
    const cev_folder_session *s = cev_folder_session_info(im->f);
    size_t nheld = 0;
    for (size_t i = 0; i < im->ncand; i++)
        nheld += im->cand[i].nacquired;
    cev_held *held = calloc(nheld ? nheld : 1, sizeof *held);
    if (held == NULL) {
        im->nomem = 1;
        return;
    }
    nheld = 0;
    for (size_t i = 0; i < im->ncand; i++)
        for (size_t j = 0; j < im->cand[i].nacquired; j++) {
            cev_held *h = &held[nheld++];
            h->block = im->cand[i].acquired[j].block;
            h->date = im->cand[i].acquired[j].date;
            if (cev_date_parse(h->date, &h->day) != CEV_OK)
                nheld--; /* told: not a date */
        }
    int32_t day = 0;
    if (*s->title == '\0' || cev_date_parse(s->date, &day) != CEV_OK) {
        free(held);
        return; /* told: without the title in force, the other files cannot be checked */
    }
    cev_error e;
    cev_code rc = cev_catalog_select(&eng->cat, s->title, day, held, nheld, NULL, 1, &im->pkg, &e);
    free(held);
    if (rc == CEV_ENOMEM) {
        im->nomem = 1;
        return;
    }
    if (rc != CEV_OK) {
        im->problem = 1;
        if (cev_table_problem(im->problems, "session.csv", 2, "titre",
                              "aucun référentiel « %s » en vigueur le %s dans le dossier des "
                              "règles (%s)", s->title, s->date, e.message) != CEV_OK)
            im->nomem = 1;
        return;
    }
    rc = cev_grid_load(&im->grid, im->pkg->title_file, im->err);
    if (rc != CEV_OK) { /* told in err: ids that cannot name files, or memory */
        im->nomem = 1;
        im->fatal = rc;
    }
}

static void check_routes(importer *im)
{
    for (size_t i = 0; i < im->ncand; i++) {
        const char *route = im->cand[i].route;
        if (route == NULL || cev_route_parse(route) >= 0)
            continue;
        im->problem = 1;
        if (cev_table_problem(im->problems, "candidats.csv", im->cand[i].row, "voie",
                              "voie « %s » inconnue : formation_initiale, apprentissage, "
                              "formation_continue, contrat_professionnalisation, "
                              "candidature_individuelle ou vae", route) != CEV_OK)
            im->nomem = 1;
    }
}

/* ---- writing ----------------------------------------------------------------------- */

static void write_number_cell(cev_jw *w, const char *v)
{
    double x = 0;
    cev_cell_number(v, &x);
    cev_jw_number(w, x);
}

static int candidate_status(const sheet_data *d, size_t from)
{
    return parse_status(cell(d->t, d->g.order[from], d->c_status), d->sheet->dossier);
}

/* The first non-empty cell of a column among a candidate's rows, or NULL. */
static const char *first_given(const sheet_data *d, size_t from, size_t to, long col)
{
    for (size_t j = from; j < to; j++) {
        const char *v = cell(d->t, d->g.order[j], col);
        if (*v != '\0')
            return v;
    }
    return NULL;
}

static void write_panel(cev_jw *w, const sheet_data *d, size_t from, size_t to)
{
    const cev_sheet *s = d->sheet;
    int status = candidate_status(d, from);
    cev_jw_object(w);
    if (status == ST_ABSENT || status == ST_EXCUSED || status == ST_MISSING) {
        cev_jw_key_lit(w, "status");
        cev_jw_string(w, status == ST_ABSENT ? "absent" : status == ST_EXCUSED ? "excused"
                                                                              : "missing");
        cev_jw_end_object(w);
        return;
    }
    int assessors = 0;
    for (size_t j = from; j < to; j++)
        assessors |= *cell(d->t, d->g.order[j], d->c_eval) != '\0';
    if (s->dossier) {
        cev_jw_key_lit(w, "status");
        cev_jw_string(w, "submitted");
        const char *date = first_given(d, from, to, d->c_date);
        if (date != NULL) {
            cev_jw_key_lit(w, "submitted_on");
            cev_jw_string(w, date);
        }
        const char *pages = first_given(d, from, to, d->c_pages);
        if (pages != NULL) {
            cev_jw_key_lit(w, "pages");
            write_number_cell(w, pages);
        }
    }
    if (!s->dossier || assessors) {
        cev_jw_key_lit(w, "assessors");
        cev_jw_object(w);
        for (size_t j = from; j < to; j++) {
            size_t r = d->g.order[j];
            const char *who = cell(d->t, r, d->c_eval);
            if (*who == '\0')
                continue;
            cev_jw_key(w, who);
            cev_jw_object(w);
            for (size_t i = 0; i < s->nitems; i++) {
                cev_jw_key(w, s->items[i].id);
                write_number_cell(w, cell(d->t, r, d->c_item[i]));
            }
            cev_jw_end_object(w);
        }
        cev_jw_end_object(w);
    }
    const char *minutes = s->oral ? first_given(d, from, to, d->c_minutes) : NULL;
    if (minutes != NULL) {
        cev_jw_key_lit(w, "duration_minutes");
        write_number_cell(w, minutes);
    }
    cev_jw_end_object(w);
}

static void write_one_row(cev_jw *w, const sheet_data *d, size_t from)
{
    const cev_sheet *s = d->sheet;
    size_t r = d->g.order[from];
    int status = candidate_status(d, from);
    cev_jw_object(w);
    if (status != ST_PRESENT) {
        cev_jw_key_lit(w, "status");
        cev_jw_string(w, status == ST_ABSENT ? "absent" : "excused");
        cev_jw_end_object(w);
        return;
    }
    if (s->kind == CEV_SHEET_FIELD) {
        cev_jw_key_lit(w, "supervisor");
        cev_jw_string(w, cell(d->t, r, d->c_tutor));
        cev_jw_key_lit(w, "ratings");
    } else {
        cev_jw_key_lit(w, "answers");
    }
    cev_jw_object(w);
    for (size_t i = 0; i < s->nitems; i++) {
        const char *v = cell(d->t, r, d->c_item[i]);
        cev_jw_key(w, s->items[i].id);
        if (*v == '\0')
            cev_jw_null(w);
        else if (s->kind == CEV_SHEET_FIELD)
            write_number_cell(w, v);
        else {
            /* letters separated by spaces: one is a string, several an array */
            size_t n = 0;
            for (const char *p = v; *p;) {
                while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\r' || *p == '\t')
                    p++;
                if (*p == '\0')
                    break;
                n++;
                while (*p && *p != ' ' && *p != ',' && *p != '\n' && *p != '\r' && *p != '\t')
                    p++;
            }
            if (n > 1)
                cev_jw_array(w);
            for (const char *p = v; *p;) {
                while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\r' || *p == '\t')
                    p++;
                const char *b = p;
                while (*p && *p != ' ' && *p != ',' && *p != '\n' && *p != '\r' && *p != '\t')
                    p++;
                if (p > b)
                    cev_jw_string_len(w, b, (size_t)(p - b));
            }
            if (n > 1)
                cev_jw_end_array(w);
        }
    }
    cev_jw_end_object(w);
    cev_jw_end_object(w);
}

static void write_session(importer *im, cev_jw *w)
{
    const cev_folder_session *s = cev_folder_session_info(im->f);
    cev_jw_key_lit(w, "session");
    cev_jw_object(w);
    cev_jw_key_lit(w, "id");
    cev_jw_string(w, s->id);
    cev_jw_key_lit(w, "date");
    cev_jw_string(w, s->date);
    if (s->type != NULL) {
        cev_jw_key_lit(w, "type");
        cev_jw_string(w, s->type);
    }
    int any = 0;
    const cev_table *t = im->cal;
    long ce = t ? cev_table_col(t, "epreuve") : -1, cd = t ? cev_table_col(t, "date_limite") : -1;
    for (size_t r = 0; t != NULL && r < t->nrows; r++) {
        if (*cell(t, r, cd) == '\0')
            continue;
        if (!any) {
            cev_jw_key_lit(w, "deadlines");
            cev_jw_object(w);
            any = 1;
        }
        cev_jw_key(w, cell(t, r, ce));
        cev_jw_string(w, cell(t, r, cd));
    }
    if (any)
        cev_jw_end_object(w);
    cev_jw_end_object(w);
}

static void write_jury(importer *im, cev_jw *w, const cev_folder_candidate *c)
{
    cev_jw_key_lit(w, "jury");
    cev_jw_array(w);
    for (size_t i = 0; i < im->njury; i++) {
        const cev_folder_member *m = &im->jury[i];
        cev_jw_object(w);
        cev_jw_key_lit(w, "id");
        cev_jw_string(w, m->id);
        cev_jw_key_lit(w, "profile");
        cev_jw_string(w, m->profile);
        for (size_t j = 0; j < m->ntrained; j++)
            if (strcmp(m->trained[j], c->id) == 0) {
                cev_jw_key_lit(w, "trained_candidate");
                cev_jw_bool(w, 1);
                break;
            }
        cev_jw_end_object(w);
    }
    cev_jw_end_array(w);
}

static void write_record(importer *im, cev_jw *w, size_t k)
{
    const cev_folder_candidate *c = &im->cand[k];
    cev_jw_object(w);
    cev_jw_key_lit(w, "candidate");
    cev_jw_string(w, c->id);
    cev_jw_key_lit(w, "title");
    cev_jw_string(w, im->pkg->code);
    write_session(im, w);
    if (c->route != NULL) {
        cev_jw_key_lit(w, "route");
        cev_jw_string(w, c->route);
    }
    write_jury(im, w, c);
    if (c->nacquired > 0) {
        cev_jw_key_lit(w, "acquired_blocks");
        cev_jw_array(w);
        for (size_t i = 0; i < c->nacquired; i++) {
            cev_jw_object(w);
            cev_jw_key_lit(w, "block");
            cev_jw_string(w, c->acquired[i].block);
            cev_jw_key_lit(w, "date");
            cev_jw_string(w, c->acquired[i].date);
            cev_jw_end_object(w);
        }
        cev_jw_end_array(w);
    }
    cev_jw_key_lit(w, "evidence");
    cev_jw_object(w);
    for (size_t i = 0; i < im->nsd; i++) {
        const sheet_data *d = &im->sd[i];
        if (d->t == NULL || d->g.start == NULL || d->g.start[k] == d->g.start[k + 1])
            continue;
        cev_jw_key(w, d->sheet->id);
        if (d->sheet->kind == CEV_SHEET_PANEL)
            write_panel(w, d, d->g.start[k], d->g.start[k + 1]);
        else
            write_one_row(w, d, d->g.start[k]);
    }
    cev_jw_end_object(w);
    const cev_table *t = im->delib;
    if (t != NULL && im->dg.start[k] < im->dg.start[k + 1]) {
        long cb = cev_table_col(t, "bloc"), cd = cev_table_col(t, "decision");
        long cm = cev_table_col(t, "motivation");
        cev_jw_key_lit(w, "deliberation");
        cev_jw_object(w);
        for (size_t j = im->dg.start[k]; j < im->dg.start[k + 1]; j++) {
            size_t r = im->dg.order[j];
            cev_jw_key(w, cell(t, r, cb));
            cev_jw_object(w);
            cev_jw_key_lit(w, "decision");
            cev_jw_string(w, parse_decision(cell(t, r, cd)));
            cev_jw_key_lit(w, "motivation");
            cev_jw_string(w, cell(t, r, cm));
            cev_jw_end_object(w);
        }
        cev_jw_end_object(w);
    }
    cev_jw_end_object(w);
}

/* ---- the command ------------------------------------------------------------------- */

static void importer_close(importer *im)
{
    for (size_t i = 0; im->sd != NULL && i < im->nsd; i++) {
        cev_table_close(im->sd[i].t);
        free(im->sd[i].c_item);
        groups_close(&im->sd[i].g);
    }
    free(im->sd);
    cev_table_close(im->delib);
    cev_table_close(im->cal);
    groups_close(&im->dg);
    cev_grid_close(&im->grid);
}

/* Whether dir/name exists (calendrier.csv is read when given, even for a
 * title without dossiers). */
static int access_file(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* The first pass: every file read and checked. */
static void read_all(importer *im, const cev_engine *eng)
{
    check_routes(im);
    choose_package(im, eng);
    if (im->nomem || im->pkg == NULL)
        return;
    im->sd = calloc(im->grid.nsheets ? im->grid.nsheets : 1, sizeof *im->sd);
    if (im->sd == NULL) {
        im->nomem = 1;
        return;
    }
    for (size_t i = 0; i < im->grid.nsheets && !im->nomem; i++) {
        if (im->grid.sheets[i].kind == CEV_SHEET_NONE)
            continue; /* its evidence cannot come from the folder */
        im->sd[im->nsd].sheet = &im->grid.sheets[i];
        read_sheet(im, &im->sd[im->nsd++]);
    }
    if (!im->nomem)
        read_deliberations(im);
    if (!im->nomem && (im->grid.has_dossier ||
                       access_file(cev_folder_dir(im->f), "calendrier.csv")))
        read_calendar(im);
}

cev_code cev_import(const cev_engine *eng, const char *dir, cev_buf *out, size_t *records,
                    cev_errlist *problems, cev_error *err)
{
    *records = 0;
    cev_folder *f = NULL;
    int problem = 0;
    cev_code rc = cev_folder_load(&f, dir, problems, &problem, err);
    if (rc != CEV_OK)
        return rc;
    if (f == NULL)
        return CEV_PROBLEMS;
    importer im;
    memset(&im, 0, sizeof im);
    im.f = f;
    im.problem = problem;
    im.cand = cev_folder_candidates(f, &im.ncand);
    im.jury = cev_folder_jury(f, &im.njury);
    im.problems = problems;
    im.err = err;
    read_all(&im, eng);
    if (im.nomem || im.problem) {
        importer_close(&im);
        cev_folder_close(f);
        if (!im.nomem)
            return CEV_PROBLEMS;
        return im.fatal != CEV_OK ? im.fatal : cev_error_nomem(err);
    }
    cev_jw w;
    for (size_t k = 0; k < im.ncand; k++) {
        cev_jw_init(&w, out);
        write_record(&im, &w, k);
        if (cev_jw_status(&w) != CEV_OK || cev_buf_putc(out, '\n') != CEV_OK) {
            rc = cev_error_nomem(err);
            break;
        }
    }
    *records = rc == CEV_OK ? im.ncand : 0;
    importer_close(&im);
    cev_folder_close(f);
    return rc;
}
