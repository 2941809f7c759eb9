/*
 * import_versions.c - `import`'s title versions (import.h): those that may
 * decide a record on the session day, the main one (whose files the folder
 * holds), and each candidate's, chosen as eval chooses it.
 */
#include "run/import.h"

#include "base/date.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the versions ------------------------------------------------------------------ */

/* "2004 (du 2006-03-09 au 2012-02-20, complétion jusqu'au 2013-02-19), 2012
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
void imp_open_versions(importer *im, const cev_engine *eng, int32_t day)
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
void imp_choose_versions(importer *im, const cev_engine *eng, int32_t day)
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
int imp_dossier_of_some_version(const importer *im, const char *id)
{
    for (size_t v = 0; v < im->nvers; v++) {
        const cev_sheet *s = cev_grid_sheet(&im->grids[v], id);
        if (s != NULL && s->dossier)
            return 1;
    }
    return 0;
}

/* Whether assessment `id` is one of a version that may decide on the day. */
static int applicable_id(const importer *im, const char *id)
{
    for (size_t v = 0; v < im->nvers; v++)
        if (cev_grid_sheet(&im->grids[v], id) != NULL)
            return 1;
    return 0;
}

static int applicable_version(const importer *im, const cev_package *p)
{
    for (size_t v = 0; v < im->nvers; v++)
        if (im->vers[v] == p)
            return 1;
    return 0;
}

/* The assessment files of version p (not one that may decide on the day)
 * that the folder holds, each a problem: no candidate can be evaluated by
 * that version on the day, so their rows would be left unread and the
 * results they carry lost without a word (an ended version's file the day
 * after its completion year, or the next version's before it starts). */
static void files_of_other_version(importer *im, const cev_engine *eng, const cev_package *p)
{
    cev_grid g;
    cev_error e;
    cev_code rc = cev_grid_load(&g, p->title_file, &e);
    if (rc != CEV_OK) {
        if (rc == CEV_ENOMEM)
            im->nomem = 1;
        return; /* its grid does not load: it is not one of this session's either */
    }
    const cev_folder_session *s = cev_folder_session_info(im->f);
    cev_buf known;
    cev_buf_init(&known);
    int listed = 0;
    for (size_t i = 0; i < g.nsheets && !im->nomem; i++) {
        const cev_sheet *sh = &g.sheets[i];
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.csv", cev_folder_dir(im->f), sh->id);
        if (sh->kind == CEV_SHEET_NONE || applicable_id(im, sh->id) || lstat(path, &st) != 0)
            continue;
        if (!listed++ && known_versions(&known, &eng->cat, s->title) != CEV_OK) {
            im->nomem = 1;
            break;
        }
        char name[CEV_ID_MAX * 2 + 8];
        snprintf(name, sizeof name, "%s.csv", sh->id);
        im->problem = 1;
        if (cev_table_problem(im->problems, name, 0, NULL,
                              "épreuve de la version %s du titre « %s », qui ne s'applique à "
                              "aucun candidat le %s (versions connues : %s) : ses lignes ne "
                              "seraient pas lues ; vérifier la date de la session, ou retirer "
                              "ce fichier du dossier", p->version, s->title, s->date,
                              known.data) != CEV_OK)
            im->nomem = 1;
    }
    cev_buf_close(&known);
    cev_grid_close(&g);
}

void imp_other_versions_files(importer *im, const cev_engine *eng)
{
    const char *code = cev_folder_session_info(im->f)->title;
    for (size_t i = 0; i < eng->cat.count && !im->nomem; i++) {
        const cev_package *p = eng->cat.pkgs[i];
        if (strcmp(p->code, code) == 0 && !applicable_version(im, p))
            files_of_other_version(im, eng, p);
    }
}
