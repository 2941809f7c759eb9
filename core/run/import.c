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
 * The title version is chosen per candidate, as eval will choose it
 * (cev_catalog_select with that candidate's acquired blocks and the
 * assessments its rows name): in the completion year of an ended version,
 * one session may decide candidates under two versions.  The folder holds
 * the files of the version in force (the "main" one; with none in force,
 * the latest in its completion year); an assessment only an ended version
 * has is read when its file is there.  Each row is checked against the
 * grid of its candidate's version for that assessment.
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

/* An assessment file as the candidates of one title version read it: that
 * version's sheet for the file's assessment id (NULL when it has none) and
 * the column of each of its items. */
typedef struct view {
    const cev_sheet *sheet;
    long *c_item;        /* per item of sheet: its column, -1 when the file lacks it */
    const char *missing; /* the first item the file lacks, or NULL */
    int differs;         /* another modality than the file's sheet (other columns) */
} view;

/* One assessment file. */
typedef struct sheet_data {
    const cev_sheet *sheet; /* the file's: the main version's, else the latest that has it */
    cev_table *t;
    long c_cand, c_eval, c_status, c_tutor, c_date, c_pages, c_minutes;
    view *views;            /* one per version (importer.vers) */
    unsigned char *item;    /* per column of t: an item of the assessment in some version */
    groups g;
} sheet_data;

typedef struct importer {
    const cev_folder *f;
    const cev_folder_candidate *cand;
    size_t ncand;
    const cev_folder_member *jury;
    size_t njury;
    const cev_package **vers; /* the versions that may decide a record on the session day */
    cev_grid *grids;          /* one per version */
    size_t nvers, main;       /* main: the version whose files the folder holds */
    size_t *cver;             /* per candidate: its version, SIZE_MAX when none (told) */
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
        say(im, d->t, r, it->id, "« %s » n'est pas une note (un nombre, par exemple 2 ou 2,5)",
            s);
    else if (x < 0 || x > it->max)
        say(im, d->t, r, it->id, "note %s hors de l'échelle (de 0 à %g)", s, it->max);
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
        say(im, d->t, r, "statut",
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
            say(im, d->t, r, col,
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
            if (*cell(t, r, v->c_item[i]) == '\0')
                say(im, t, r, s->items[i].id, "note manquante pour le critère « %s »",
                    s->items[i].id);
            else
                check_score(im, d, v, r, i);
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

static void check_field_row(importer *im, sheet_data *d, const view *v, size_t r, int status)
{
    const cev_sheet *s = v->sheet;
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
        say(im, d->t, r, "candidat",
            "le candidat « %s » est évalué selon la version %s du titre %s, qui n'a pas "
            "d'épreuve « %s » : toutes ses épreuves sont de cette version (voir le guide de "
            "session)", im->cand[k].id, p->version, p->code, d->sheet->id);
    else if (v->differs)
        say(im, d->t, r, "candidat",
            "le candidat « %s » est évalué selon la version %s du titre %s, dont l'épreuve "
            "« %s » est de modalité « %s » : ses colonnes ne sont pas celles de ce fichier",
            im->cand[k].id, p->version, p->code, d->sheet->id, v->sheet->modality);
    else
        say(im, d->t, r, v->missing,
            "colonne « %s » absente : ce critère de la version %s du titre, selon laquelle le "
            "candidat « %s » est évalué, est à noter", v->missing, p->version, im->cand[k].id);
    return NULL;
}

static void check_row(importer *im, sheet_data *d, size_t r)
{
    const cev_sheet *s = d->sheet;
    const char *st = cell(d->t, r, d->c_status);
    int status = parse_status(st, s->dossier);
    if (status == ST_BAD) {
        say(im, d->t, r, "statut",
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
    group(im, &d->g, t, d->c_cand);
}

/* Checks the rows of a file that read_sheet grouped. */
static void check_sheet(importer *im, sheet_data *d)
{
    if (d->t == NULL || d->g.start == NULL)
        return;
    for (size_t r = 0; r < d->t->nrows && !im->nomem; r++)
        check_row(im, d, r);
    for (size_t k = 0; k < im->ncand && !im->nomem; k++)
        check_candidate_rows(im, d, k);
}

/* ---- the versions ------------------------------------------------------------------ */

/* "2004 (du 2006-03-09 au 2012-02-20, complétion jusqu'au 2013-02-20), 2012
 * (à partir du 2012-02-21)": every version of `code` in the rules folder
 * with its dates, or "aucune" (CEV_OK or CEV_ENOMEM). */
static cev_code known_versions(cev_buf *b, const cev_catalog *cat, const char *code)
{
    cev_code rc = CEV_OK;
    size_t n = 0;
    for (size_t i = 0; i < cat->count && rc == CEV_OK; i++) {
        const cev_package *p = cat->pkgs[i];
        if (strcmp(p->code, code) != 0)
            continue;
        char from[11], until[11];
        if (p->has_from)
            cev_date_format(p->valid_from, from);
        if (p->has_until)
            cev_date_format(p->valid_until, until);
        rc = cev_buf_printf(b, "%s%s (", n++ ? ", " : "", p->version);
        if (rc == CEV_OK && p->has_from && p->has_until)
            rc = cev_buf_printf(b, "du %s au %s", from, until);
        else if (rc == CEV_OK && p->has_from)
            rc = cev_buf_printf(b, "à partir du %s", from);
        else if (rc == CEV_OK && p->has_until)
            rc = cev_buf_printf(b, "jusqu'au %s", until);
        else if (rc == CEV_OK)
            rc = cev_buf_puts(b, "sans date de fin");
        if (rc == CEV_OK && p->usable_until[0] != '\0')
            rc = cev_buf_printf(b, ", complétion jusqu'au %s", p->usable_until);
        if (rc == CEV_OK && p->draft)
            rc = cev_buf_puts(b, ", en projet");
        if (rc == CEV_OK)
            rc = cev_buf_putc(b, ')');
    }
    if (rc == CEV_OK && n == 0)
        rc = cev_buf_puts(b, "aucune");
    return rc;
}

/* Tells that no version of the title applies on the session day: to the
 * whole folder (k == SIZE_MAX) or to candidate k. */
static void no_version(importer *im, const cev_engine *eng, size_t k)
{
    const cev_folder_session *s = cev_folder_session_info(im->f);
    cev_buf known;
    cev_buf_init(&known);
    im->problem = 1;
    cev_code rc = known_versions(&known, &eng->cat, s->title);
    if (rc == CEV_OK && k == SIZE_MAX)
        rc = cev_table_problem(
            im->problems, "session.csv", 2, "titre",
            "aucune version du titre « %s » n'est en vigueur le %s dans le dossier des règles "
            "(versions connues : %s) : vérifier le titre et la date de la session, ou indiquer "
            "un autre dossier des règles avec l'option -r DOSSIER (ou la variable "
            "CERTEVAL_RULES)", s->title, s->date, known.data);
    else if (rc == CEV_OK)
        rc = cev_table_problem(
            im->problems, "candidats.csv", im->cand[k].row, "blocs_acquis",
            "aucune version du titre « %s » ne s'applique au candidat « %s » le %s : une "
            "version terminée ne peut plus être complétée que par un candidat qui détient "
            "l'un de ses blocs (versions connues : %s)", s->title, im->cand[k].id, s->date,
            known.data);
    cev_buf_close(&known);
    if (rc != CEV_OK)
        im->nomem = 1;
}

/* The versions that may decide a record on the session day, each with its
 * grid, and the main one: the version in force (the latest to start),
 * else the latest in its completion year. */
static void open_versions(importer *im, const cev_engine *eng, int32_t day)
{
    const char *code = cev_folder_session_info(im->f)->title;
    size_t n = cev_catalog_versions_on(&eng->cat, code, day, 1, NULL, 0);
    if (n == 0) {
        no_version(im, eng, SIZE_MAX);
        return;
    }
    im->vers = calloc(n, sizeof *im->vers);
    im->grids = calloc(n, sizeof *im->grids);
    im->cver = malloc((im->ncand ? im->ncand : 1) * sizeof *im->cver);
    if (im->vers == NULL || im->grids == NULL || im->cver == NULL) {
        im->nomem = 1;
        return;
    }
    im->nvers = cev_catalog_versions_on(&eng->cat, code, day, 1, im->vers, n);
    int main_in_force = 0;
    for (size_t v = 0; v < im->nvers; v++) {
        const cev_package *p = im->vers[v], *m = im->vers[im->main];
        int in_force = !p->has_until || day <= p->valid_until;
        int32_t from = p->has_from ? p->valid_from : INT32_MIN;
        int32_t mfrom = m->has_from ? m->valid_from : INT32_MIN;
        if (v == 0 || (in_force && !main_in_force) ||
            (in_force == main_in_force && from > mfrom)) {
            im->main = v;
            main_in_force = in_force;
        }
    }
    for (size_t v = 0; v < im->nvers; v++) {
        cev_code rc = cev_grid_load(&im->grids[v], im->vers[v]->title_file, im->err);
        if (rc != CEV_OK) { /* told in err: ids that cannot name files, or memory */
            im->nomem = 1;
            im->fatal = rc;
            return;
        }
    }
}

/* The evidence keys of candidate k: the assessments its rows name. */
static cJSON *evidence_keys(const importer *im, size_t k)
{
    cJSON *ev = cJSON_CreateObject();
    for (size_t i = 0; ev != NULL && i < im->nsd; i++) {
        const sheet_data *d = &im->sd[i];
        if (d->g.start == NULL || d->g.start[k] == d->g.start[k + 1])
            continue;
        if (cJSON_AddNullToObject(ev, d->sheet->id) == NULL) {
            cJSON_Delete(ev);
            return NULL;
        }
    }
    return ev;
}

/* Each candidate's version, chosen as eval chooses it: cev_catalog_select
 * with its acquired blocks and the assessments its rows name. */
static void choose_versions(importer *im, const cev_engine *eng, int32_t day)
{
    const char *code = cev_folder_session_info(im->f)->title;
    size_t most = 0;
    for (size_t k = 0; k < im->ncand; k++)
        if (im->cand[k].nacquired > most)
            most = im->cand[k].nacquired;
    cev_held *held = calloc(most ? most : 1, sizeof *held);
    if (held == NULL) {
        im->nomem = 1;
        return;
    }
    for (size_t k = 0; k < im->ncand && !im->nomem; k++) {
        const cev_folder_candidate *c = &im->cand[k];
        size_t nheld = 0;
        for (size_t j = 0; j < c->nacquired; j++) {
            cev_held *h = &held[nheld];
            h->block = c->acquired[j].block;
            h->date = c->acquired[j].date;
            nheld += cev_date_parse(h->date, &h->day) == CEV_OK; /* else told: not a date */
        }
        cJSON *ev = evidence_keys(im, k);
        if (ev == NULL) {
            im->nomem = 1;
            break;
        }
        const cev_package *p = NULL;
        cev_error e;
        cev_code rc = cev_catalog_select(&eng->cat, code, day, held, nheld, ev, 1, &p, &e);
        cJSON_Delete(ev);
        im->cver[k] = SIZE_MAX;
        for (size_t v = 0; rc == CEV_OK && v < im->nvers; v++)
            if (im->vers[v] == p)
                im->cver[k] = v;
        if (rc == CEV_ENOMEM)
            im->nomem = 1;
        else if (im->cver[k] == SIZE_MAX)
            no_version(im, eng, k);
    }
    free(held);
}

/* Whether some version has assessment `id` as a dossier. */
static int dossier_of_some_version(const importer *im, const char *id)
{
    for (size_t v = 0; v < im->nvers; v++) {
        const cev_sheet *s = cev_grid_sheet(&im->grids[v], id);
        if (s != NULL && s->dossier)
            return 1;
    }
    return 0;
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

/* The version of a deliberations.csv row's candidate (an unknown
 * candidate, told, is read with the main version). */
static const cev_package *delib_version(const importer *im, size_t r)
{
    size_t k = im->dg.cand[r];
    return im->vers[k != SIZE_MAX && im->cver[k] != SIZE_MAX ? im->cver[k] : im->main];
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
        else if (cev_package_block(delib_version(im, r), block) < 0)
            say(im, t, r, "bloc", "le titre %s%s%s n'a pas de bloc « %s »",
                delib_version(im, r)->code, im->nvers > 1 ? ", version " : "",
                im->nvers > 1 ? delib_version(im, r)->version : "", block);
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
        if (!dossier_of_some_version(im, id))
            say(im, t, r, "epreuve", "« %s » n'est pas une épreuve écrite (dossier) du titre %s",
                id, im->vers[im->main]->code);
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

static void write_panel(cev_jw *w, const sheet_data *d, const view *v, size_t from, size_t to)
{
    const cev_sheet *s = v->sheet;
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
                write_number_cell(w, cell(d->t, r, v->c_item[i]));
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

static void write_one_row(cev_jw *w, const sheet_data *d, const view *v, size_t from)
{
    const cev_sheet *s = v->sheet;
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
        const char *c = cell(d->t, r, v->c_item[i]);
        cev_jw_key(w, s->items[i].id);
        if (*c == '\0')
            cev_jw_null(w);
        else if (s->kind == CEV_SHEET_FIELD)
            write_number_cell(w, c);
        else {
            /* letters separated by spaces: one is a string, several an array */
            size_t n = 0;
            for (const char *p = c; *p;) {
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
            for (const char *p = c; *p;) {
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
    cev_jw_string(w, im->vers[im->cver[k]]->code);
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
        const view *v = &d->views[im->cver[k]]; /* checked: it fits the file */
        if (d->sheet->kind == CEV_SHEET_PANEL)
            write_panel(w, d, v, d->g.start[k], d->g.start[k + 1]);
        else
            write_one_row(w, d, v, d->g.start[k]);
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
        for (size_t v = 0; im->sd[i].views != NULL && v < im->nvers; v++)
            free(im->sd[i].views[v].c_item);
        free(im->sd[i].views);
        free(im->sd[i].item);
        groups_close(&im->sd[i].g);
    }
    free(im->sd);
    cev_table_close(im->delib);
    cev_table_close(im->cal);
    groups_close(&im->dg);
    for (size_t v = 0; im->grids != NULL && v < im->nvers; v++)
        cev_grid_close(&im->grids[v]);
    free(im->grids);
    free(im->vers);
    free(im->cver);
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

/* Whether `id` is the id of one of the first n files. */
static int file_listed(const importer *im, const char *id)
{
    for (size_t i = 0; i < im->nsd; i++)
        if (strcmp(im->sd[i].sheet->id, id) == 0)
            return 1;
    return 0;
}

/* The assessment files: the main version's (each required), then those of
 * the assessments only another version has, when they are in the folder. */
static void read_sheets(importer *im)
{
    size_t cap = 0;
    for (size_t v = 0; v < im->nvers; v++)
        cap += im->grids[v].nsheets;
    im->sd = calloc(cap ? cap : 1, sizeof *im->sd);
    if (im->sd == NULL) {
        im->nomem = 1;
        return;
    }
    for (size_t n = 0; n <= im->nvers && !im->nomem; n++) {
        size_t v = n == 0 ? im->main : n - 1;
        if (n > 0 && v == im->main)
            continue;
        const cev_grid *g = &im->grids[v];
        for (size_t i = 0; i < g->nsheets && !im->nomem; i++) {
            const cev_sheet *s = &g->sheets[i];
            char name[CEV_ID_MAX * 2 + 8];
            snprintf(name, sizeof name, "%s.csv", s->id);
            if (s->kind == CEV_SHEET_NONE || file_listed(im, s->id) ||
                (n > 0 && !access_file(cev_folder_dir(im->f), name)))
                continue; /* no evidence from the folder, already read, or not given */
            im->sd[im->nsd].sheet = s;
            read_sheet(im, &im->sd[im->nsd++]);
        }
    }
}

/* The first pass: every file read and checked. */
static void read_all(importer *im, const cev_engine *eng)
{
    check_routes(im);
    const cev_folder_session *s = cev_folder_session_info(im->f);
    int32_t day = 0;
    if (*s->title == '\0' || cev_date_parse(s->date, &day) != CEV_OK)
        return; /* told: without the title in force, the other files cannot be checked */
    open_versions(im, eng, day);
    if (im->nomem || im->nvers == 0)
        return;
    read_sheets(im);
    if (!im->nomem)
        choose_versions(im, eng, day);
    for (size_t i = 0; i < im->nsd && !im->nomem; i++)
        check_sheet(im, &im->sd[i]);
    if (!im->nomem)
        read_deliberations(im);
    int has_dossier = 0;
    for (size_t v = 0; v < im->nvers; v++)
        has_dossier |= im->grids[v].has_dossier;
    if (!im->nomem && (has_dossier || access_file(cev_folder_dir(im->f), "calendrier.csv")))
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
