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
 *
 * This file holds the command, the reporting, the grouping of rows and the
 * folder's own files (deliberations.csv, calendrier.csv); the assessment
 * files are import_sheet.c's, the versions import_versions.c's, the
 * records import_write.c's (what they share: import.h).
 */
#include "certeval/certeval.h"

#include "run/import.h"

#include "base/date.h"
#include "folder/cell.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* ---- reporting ------------------------------------------------------------- */

void imp_say(importer *im, const cev_table *t, size_t row, const char *col, const char *fmt, ...)
{
    im->problem = 1;
    va_list ap;
    va_start(ap, fmt);
    if (cev_table_problem_atv(im->problems, t, row, col, fmt, ap) != CEV_OK)
        im->nomem = 1;
    va_end(ap);
}

/* ---- statut cells ----------------------------------------------------------------- */

int imp_parse_status(const char *s, int dossier)
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

int imp_group(importer *im, groups *g, const cev_table *t, long c_cand)
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
            imp_say(im, t, r, "candidat", "identifiant du candidat manquant");
        else
            imp_say(im, t, r, "candidat", "candidat « %s » absent de candidats.csv", id);
    }
    /* counting sort: start[k + 1] counts, then offsets */
    for (size_t k = 2; k < im->ncand + 2; k++)
        g->start[k] += g->start[k - 1];
    for (size_t r = 0; r < t->nrows; r++)
        if (g->cand[r] != SIZE_MAX)
            g->order[g->start[g->cand[r] + 1]++] = r;
    return 1;
}

void imp_groups_close(groups *g)
{
    free(g->cand);
    free(g->start);
    free(g->order);
}

/* ---- deliberations.csv and calendrier.csv ---------------------------------------- */

static const char *const delib_cols[] = {"candidat", "bloc", "decision", "motivation", NULL};
static const char *const cal_cols[] = {"epreuve", "date_limite", NULL};

const char *imp_parse_decision(const char *s)
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
    if (!imp_group(im, &im->dg, t, cc))
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *block = cell(t, r, cb);
        if (*block == '\0')
            imp_say(im, t, r, "bloc", "code du bloc manquant");
        else if (cev_package_block(delib_version(im, r), block) < 0)
            imp_say(im, t, r, "bloc", "le titre %s%s%s n'a pas de bloc « %s »",
                delib_version(im, r)->code, im->nvers > 1 ? ", version " : "",
                im->nvers > 1 ? delib_version(im, r)->version : "", block);
        if (imp_parse_decision(cell(t, r, cd)) == NULL)
            imp_say(im, t, r, "decision", "décision « %s » inconnue : « valide » ou « non_valide »",
                cell(t, r, cd));
        if (*cell(t, r, cm) == '\0')
            imp_say(im, t, r, "motivation",
                "motivation manquante : le jury motive toute délibération");
    }
    for (size_t k = 0; k < im->ncand; k++)
        for (size_t j = im->dg.start[k] + 1; j < im->dg.start[k + 1]; j++)
            for (size_t i = im->dg.start[k]; i < j; i++) {
                size_t a = im->dg.order[i], b = im->dg.order[j];
                if (strcmp(cell(t, a, cb), cell(t, b, cb)) == 0 && *cell(t, b, cb) != '\0') {
                    imp_say(im, t, b, "bloc", "délibération sur ce bloc déjà saisie ligne %ld",
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
        if (!imp_dossier_of_some_version(im, id))
            imp_say(im, t, r, "epreuve", "« %s » n'est pas une épreuve écrite (dossier) du titre %s",
                id, im->vers[im->main]->code);
        for (size_t i = 0; i < r; i++)
            if (strcmp(cell(t, i, ce), id) == 0) {
                imp_say(im, t, r, "epreuve", "épreuve « %s » déjà présente", id);
                break;
            }
        char *date = cellp(t, r, cd);
        if (*date != '\0' && !cev_cell_date(date))
            imp_say(im, t, r, "date_limite",
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

/* ---- the command ------------------------------------------------------------------- */

static void importer_close(importer *im)
{
    for (size_t i = 0; im->sd != NULL && i < im->nsd; i++) {
        cev_table_close(im->sd[i].t);
        for (size_t v = 0; im->sd[i].views != NULL && v < im->nvers; v++)
            free(im->sd[i].views[v].c_item);
        free(im->sd[i].views);
        free(im->sd[i].item);
        imp_groups_close(&im->sd[i].g);
    }
    free(im->sd);
    cev_table_close(im->delib);
    cev_table_close(im->cal);
    imp_groups_close(&im->dg);
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
            imp_read_sheet(im, &im->sd[im->nsd++]);
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
    imp_open_versions(im, eng, day);
    if (im->nomem || im->nvers == 0)
        return;
    read_sheets(im);
    if (!im->nomem)
        imp_other_versions_files(im, eng);
    if (!im->nomem)
        imp_choose_versions(im, eng, day);
    for (size_t i = 0; i < im->nsd && !im->nomem; i++)
        imp_check_sheet(im, &im->sd[i]);
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
        imp_write_record(&im, &w, k);
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
