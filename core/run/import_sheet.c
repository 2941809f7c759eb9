/*
 * import_sheet.c - `import`'s assessment files (import.h): one file per
 * assessment, read, its columns checked, its rows grouped by candidate, then
 * each row checked for its modality (panel: situation, oral, dossier; field;
 * quiz) against the grid of its candidate's title version.
 */
#include "run/import.h"

#include "folder/cell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one assessment file: checking ------------------------------------------------ */

static int sheet_has_item(const cev_sheet *s, const char *col)
{
    for (size_t i = 0; s != NULL && i < s->nitems; i++)
        if (strcmp(s->items[i].id, col) == 0)
            return 1;
    return 0;
}

/* The file of an assessment id, for the column check. */
typedef struct file_ctx {
    const importer *im;
    const char *id;
} file_ctx;

/* A column is known when it is an item of the assessment in some version. */
static int is_item(void *ctx, const char *col)
{
    const file_ctx *fc = ctx;
    for (size_t v = 0; v < fc->im->nvers; v++)
        if (sheet_has_item(cev_grid_sheet(&fc->im->grids[v], fc->id), col))
            return 1;
    return 0;
}

/* A score cell: a number in [0, max]. */
static void check_score(importer *im, const sheet_data *d, const view *v, size_t r, size_t i)
{
    const cev_sheet_item *it = &v->sheet->items[i];
    const char *s = cell(d->t, r, v->c_item[i]);
    double x;
    if (!cev_cell_number(s, &x))
        imp_say(im, d->t, r, it->id, "« %s » n'est pas une note (un nombre, par exemple 2 ou 2,5)",
            s);
    else if (x < 0 || x > it->max)
        imp_say(im, d->t, r, it->id, "note %s hors de l'échelle (de 0 à %g)", s, it->max);
}

/* The number of item cells (scores, ratings, answers) a row fills: those
 * of every column that is an item in some version. */
static size_t filled_items(const sheet_data *d, size_t r)
{
    size_t filled = 0;
    for (size_t j = 0; j < d->t->ncols; j++)
        filled += d->item[j] && *cell(d->t, r, (long)j) != '\0';
    return filled;
}

/* A row of a candidate who was absent, excused or did not hand in: no
 * score may be given (it would be dropped, since nothing else is read). */
static int results_while_away(importer *im, const sheet_data *d, size_t r, int status)
{
    if (status == ST_PRESENT)
        return 0;
    if (filled_items(d, r) > 0)
        imp_say(im, d->t, r, "statut",
            "résultats saisis pour un candidat « %s » : les effacer ou vider le statut",
            cell(d->t, r, d->c_status));
    return 1;
}

/* A filled cell of a criterion that the candidate's version does not have
 * would be dropped: it is a problem. */
static void check_foreign_items(importer *im, const sheet_data *d, const view *v, size_t r,
                                const char *version)
{
    for (size_t j = 0; j < d->t->ncols; j++) {
        const char *col = d->t->cols[j];
        if (d->item[j] && *cell(d->t, r, (long)j) != '\0' && !sheet_has_item(v->sheet, col))
            imp_say(im, d->t, r, col,
                "la version %s du titre, selon laquelle ce candidat est évalué, n'a pas de "
                "critère « %s » pour cette épreuve : laisser la case vide", version, col);
    }
}

static void check_panel_row(importer *im, sheet_data *d, const view *v, size_t r, int status)
{
    const cev_sheet *s = v->sheet;
    const cev_table *t = d->t;
    const char *who = cell(t, r, d->c_eval);
    if (*who != '\0' && !cev_cell_identifier(who))
        imp_say(im, t, r, "evaluateur",
            "identifiant « %s » invalide : de 1 à 64 caractères parmi les lettres sans accent, "
            "les chiffres et . _ -", who);
    if (results_while_away(im, d, r, status))
        return;
    if (*who == '\0') {
        if (filled_items(d, r) > 0)
            imp_say(im, t, r, "evaluateur", "évaluateur manquant pour ces notes");
    } else {
        for (size_t i = 0; i < s->nitems; i++) {
            if (*cell(t, r, v->c_item[i]) == '\0')
                imp_say(im, t, r, s->items[i].id, "note manquante pour le critère « %s »",
                    s->items[i].id);
            else
                check_score(im, d, v, r, i);
        }
    }
    char *date = cellp(t, r, d->c_date);
    if (date != NULL && *date != '\0' && !cev_cell_date(date))
        imp_say(im, t, r, "remis_le", "date « %s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)",
            date);
    double x;
    const char *pages = cell(t, r, d->c_pages);
    if (*pages != '\0' && (!cev_cell_number(pages, &x) || x < 0 || x > 10000000 || x != floor(x)))
        imp_say(im, t, r, "pages", "« %s » n'est pas un nombre de pages", pages);
    const char *minutes = cell(t, r, d->c_minutes);
    if (*minutes != '\0' && (!cev_cell_number(minutes, &x) || x < 0 || x > 1e6))
        imp_say(im, t, r, "minutes", "« %s » n'est pas une durée en minutes", minutes);
}

static void check_field_row(importer *im, sheet_data *d, const view *v, size_t r, int status)
{
    const cev_sheet *s = v->sheet;
    const cev_table *t = d->t;
    const char *tutor = cell(t, r, d->c_tutor);
    if (results_while_away(im, d, r, status))
        return;
    if (*tutor == '\0')
        imp_say(im, t, r, "tuteur", "tuteur (encadrant) manquant");
    else if (!cev_cell_identifier(tutor))
        imp_say(im, t, r, "tuteur",
            "identifiant « %s » invalide : de 1 à 64 caractères parmi les lettres sans accent, "
            "les chiffres et . _ -", tutor);
    for (size_t i = 0; i < s->nitems; i++)
        if (*cell(t, r, v->c_item[i]) != '\0')
            check_score(im, d, v, r, i);
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
            imp_say(im, t, d->g.order[j], "candidat", "candidat « %s » déjà présent ligne %ld",
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
            else if (c == 0 ? imp_parse_status(seen, d->sheet->dossier) !=
                                  imp_parse_status(v, d->sheet->dossier)
                            : strcmp(seen, v) != 0) { /* "Absent" is "absent" */
                imp_say(im, t, d->g.order[j], names[c],
                    "« %s » ne concorde pas avec « %s » sur une autre ligne de ce candidat", v,
                    seen);
                break;
            }
        }
    }
    /* an oral or a situation is held by the members named, at least the
     * version's min_assessors: a candidate present needs them (a row
     * without one may give the minutes only) */
    size_t named = 0;
    for (size_t j = from; j < to; j++)
        named += *cell(t, d->g.order[j], d->c_eval) != '\0';
    const view *v = im->cver[k] != SIZE_MAX ? &d->views[im->cver[k]] : NULL;
    const cev_sheet *s = v != NULL && v->sheet != NULL ? v->sheet : d->sheet;
    if (!s->dossier && imp_parse_status(cell(t, first, d->c_status), 0) == ST_PRESENT) {
        if (named == 0)
            imp_say(im, t, first, "evaluateur",
                "aucun évaluateur pour le candidat « %s » : indiquer le membre du jury qui a "
                "tenu l'épreuve (une ligne par membre), ou « absent » ou « excusé » dans statut",
                im->cand[k].id);
        else if (named < s->min_assessors)
            imp_say(im, t, first, "evaluateur",
                "%zu évaluateur%s pour le candidat « %s », l'épreuve en demande au moins %zu : "
                "une ligne par membre du jury qui l'a tenue", named, named > 1 ? "s" : "",
                im->cand[k].id, s->min_assessors);
    }
    for (size_t j = from + 1; j < to; j++) {
        const char *who = cell(t, d->g.order[j], d->c_eval);
        if (*who == '\0')
            continue;
        for (size_t i = from; i < j; i++)
            if (strcmp(who, cell(t, d->g.order[i], d->c_eval)) == 0) {
                imp_say(im, t, d->g.order[j], "evaluateur",
                    "l'évaluateur « %s » a déjà noté ce candidat (%s) sur une autre ligne", who,
                    im->cand[k].id);
                break;
            }
    }
}

/* The view of row r, and *ver its version: the candidate's version's (an
 * unknown candidate's row, or one of a candidate without a version, both
 * told, is checked as the main version reads it).  NULL when the row cannot
 * be checked: a version whose grid does not fit the file (told on the
 * candidate's first row of the file). */
static const view *row_view(importer *im, const sheet_data *d, size_t r, size_t *ver)
{
    size_t k = d->g.cand[r];
    int known = k != SIZE_MAX && im->cver[k] != SIZE_MAX;
    *ver = known ? im->cver[k] : im->main;
    const view *v = &d->views[*ver];
    if (v->sheet != NULL && !v->differs && v->missing == NULL)
        return v;
    if (!known || d->g.order[d->g.start[k]] != r)
        return NULL;
    const cev_package *p = im->vers[im->cver[k]];
    if (v->sheet == NULL)
        imp_say(im, d->t, r, "candidat",
            "le candidat « %s » est évalué selon la version %s du titre %s, qui n'a pas "
            "d'épreuve « %s » : toutes ses épreuves sont de cette version (voir le guide de "
            "session)", im->cand[k].id, p->version, p->code, d->sheet->id);
    else if (v->differs)
        imp_say(im, d->t, r, "candidat",
            "le candidat « %s » est évalué selon la version %s du titre %s, dont l'épreuve "
            "« %s » est de modalité « %s » : ses colonnes ne sont pas celles de ce fichier",
            im->cand[k].id, p->version, p->code, d->sheet->id, v->sheet->modality);
    else
        imp_say(im, d->t, r, v->missing,
            "colonne « %s » absente : ce critère de la version %s du titre, selon laquelle le "
            "candidat « %s » est évalué, est à noter", v->missing, p->version, im->cand[k].id);
    return NULL;
}

static void check_row(importer *im, sheet_data *d, size_t r)
{
    const cev_sheet *s = d->sheet;
    const char *st = cell(d->t, r, d->c_status);
    int status = imp_parse_status(st, s->dossier);
    if (status == ST_BAD) {
        imp_say(im, d->t, r, "statut",
            s->dossier ? "statut « %s » inconnu : vide (présent), « absent », « excusé » ou "
                         "« non remis »"
                       : "statut « %s » inconnu : vide (présent), « absent » ou « excusé »",
            st);
        return;
    }
    size_t ver;
    const view *v = row_view(im, d, r, &ver);
    if (v == NULL)
        return;
    check_foreign_items(im, d, v, r, im->vers[ver]->version);
    if (s->kind == CEV_SHEET_PANEL)
        check_panel_row(im, d, v, r, status);
    else if (s->kind == CEV_SHEET_FIELD)
        check_field_row(im, d, v, r, status);
    else
        results_while_away(im, d, r, status);
}

/* The views of a file whose columns were checked, and its item columns. */
static int make_views(importer *im, sheet_data *d)
{
    d->views = calloc(im->nvers, sizeof *d->views);
    d->item = calloc(d->t->ncols ? d->t->ncols : 1, sizeof *d->item);
    if (d->views == NULL || d->item == NULL)
        return 0;
    file_ctx fc = {im, d->sheet->id};
    for (size_t j = 0; j < d->t->ncols; j++)
        d->item[j] = (unsigned char)is_item(&fc, d->t->cols[j]);
    for (size_t v = 0; v < im->nvers; v++) {
        view *w = &d->views[v];
        w->sheet = cev_grid_sheet(&im->grids[v], d->sheet->id);
        if (w->sheet == NULL)
            continue;
        w->differs = w->sheet->kind != d->sheet->kind || w->sheet->dossier != d->sheet->dossier ||
                     w->sheet->oral != d->sheet->oral;
        w->c_item = calloc(w->sheet->nitems ? w->sheet->nitems : 1, sizeof *w->c_item);
        if (w->c_item == NULL)
            return 0;
        for (size_t i = 0; i < w->sheet->nitems; i++) {
            w->c_item[i] = cev_table_col(d->t, w->sheet->items[i].id);
            if (w->c_item[i] < 0 && w->missing == NULL)
                w->missing = w->sheet->items[i].id;
        }
    }
    return 1;
}

/* Reads one assessment file, checks its columns and groups its rows by
 * candidate; its rows are checked once each candidate's version is known
 * (check_sheet). */
void imp_read_sheet(importer *im, sheet_data *d)
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
    static const char *const optional[] = {"statut", "remis_le", "pages", "minutes", NULL};
    /* required: every column but the optional ones */
    const char **required = calloc(s->nitems + 8, sizeof *required);
    if (cols == NULL || required == NULL) {
        free(cols);
        free(required);
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
    file_ctx fc = {im, s->id};
    rc = cev_table_columns(d->t, cols, required, is_item, &fc, im->problems, im->err);
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
    if (!make_views(im, d)) {
        im->nomem = 1;
        return;
    }
    imp_group(im, &d->g, t, d->c_cand);
}

/* Checks the rows of a file that read_sheet grouped. */
void imp_check_sheet(importer *im, sheet_data *d)
{
    if (d->t == NULL || d->g.start == NULL)
        return;
    for (size_t r = 0; r < d->t->nrows && !im->nomem; r++)
        check_row(im, d, r);
    for (size_t k = 0; k < im->ncand && !im->nomem; k++)
        check_candidate_rows(im, d, k);
}
