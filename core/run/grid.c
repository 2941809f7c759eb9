/*
 * grid.c - the assessment files of a package's session folder, from
 * title.json.
 */
#include "run/grid.h"

#include "base/file.h"
#include "base/json.h"
#include "folder/cell.h"

#include <stdlib.h>
#include <string.h>

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *v = cev_json_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *obj, const char *key, double dflt)
{
    const cJSON *v = cev_json_get(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* The items of one assessment's config. */
static cev_code items_of(cev_sheet *s, const cJSON *config, cev_error *err)
{
    const cJSON *list = NULL;
    if (s->kind == CEV_SHEET_PANEL)
        list = cev_json_get(config, "criteria");
    else if (s->kind == CEV_SHEET_FIELD)
        list = cev_json_get(config, "competencies");
    else if (s->kind == CEV_SHEET_QUIZ)
        list = cev_json_get(config, "questions");
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    s->items = calloc(n > 0 ? (size_t)n : 1, sizeof *s->items);
    if (s->items == NULL)
        return cev_error_nomem(err);
    double scale = num(config, "scale_max", 1);
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        cev_sheet_item *item = &s->items[s->nitems];
        if (s->kind == CEV_SHEET_FIELD) {
            if (!cJSON_IsString(it))
                continue;
            item->id = item->competency = it->valuestring;
            item->max = scale;
        } else {
            item->id = str(it, "id");
            if (item->id == NULL)
                continue;
            item->label = str(it, "label");
            item->competency = str(it, "competency");
            item->max = s->dossier ? num(it, "max", 1) : scale;
            item->several = cJSON_IsArray(cev_json_get(it, "answer"));
        }
        s->nitems++;
    }
    return CEV_OK;
}

/* Whether an assessment id can name its file "<id>.csv" in the folder: an
 * identifier, not hidden, and not the name of one of the folder's own files
 * (a package could otherwise make template write, or import read, outside
 * the folder or over session.csv). */
static int file_name_ok(const char *id)
{
    static const char *const reserved[] = {"session", "candidats", "jury", "deliberations",
                                           "calendrier", NULL};
    if (!cev_cell_identifier(id) || id[0] == '.')
        return 0;
    for (size_t i = 0; reserved[i] != NULL; i++)
        if (cev_cell_word(id, reserved[i]))
            return 0;
    return 1;
}

static cev_code add_sheets(cev_grid *g, const cJSON *assessments, const char *block,
                           cev_error *err)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, assessments)
    {
        cev_sheet *s = &g->sheets[g->nsheets];
        s->id = str(a, "id");
        s->modality = str(a, "modality");
        s->label = str(a, "label");
        s->block = block;
        if (s->id == NULL || s->modality == NULL)
            continue;
        if (!file_name_ok(s->id))
            return cev_error_set(err, CEV_EPACKAGE, "", "assessment id \"%s\" cannot name a file "
                                 "of the session folder (1 to %d bytes of [A-Za-z0-9._-], not "
                                 "starting with '.', not a name of the folder's own files)",
                                 s->id, CEV_ID_MAX);
        const char *m = s->modality;
        s->dossier = strcmp(m, "dossier") == 0;
        s->oral = strcmp(m, "oral") == 0;
        if (s->dossier || s->oral || strcmp(m, "situation") == 0)
            s->kind = CEV_SHEET_PANEL;
        else if (strcmp(m, "field") == 0)
            s->kind = CEV_SHEET_FIELD;
        else if (strcmp(m, "quiz") == 0)
            s->kind = CEV_SHEET_QUIZ;
        else
            s->kind = CEV_SHEET_NONE;
        g->has_dossier |= s->dossier;
        g->nsheets++;
        const cJSON *least = cev_json_get(cev_json_get(a, "config"), "min_assessors");
        s->min_assessors = cJSON_IsNumber(least) && least->valuedouble >= 1 &&
                                   least->valuedouble <= 1000 /* the plugins' bounds */
                               ? (size_t)least->valuedouble
                               : 1;
        cev_code rc = items_of(s, cev_json_get(a, "config"), err);
        if (rc != CEV_OK)
            return rc;
    }
    return CEV_OK;
}

cev_code cev_grid_load(cev_grid *g, const char *title_file, cev_error *err)
{
    memset(g, 0, sizeof *g);
    char *text;
    size_t len;
    cev_code rc = cev_file_read(title_file, &text, &len, err);
    if (rc != CEV_OK)
        return rc;
    rc = cev_json_parse(text, len, 64, &g->title, err);
    free(text);
    if (rc != CEV_OK)
        return rc;
    const cJSON *blocks = cev_json_get(g->title, "blocks"), *b;
    const cJSON *top = cev_json_get(g->title, "assessments");
    size_t total = (size_t)(cJSON_IsArray(top) ? cJSON_GetArraySize(top) : 0);
    cJSON_ArrayForEach(b, blocks)
    {
        const cJSON *as = cev_json_get(b, "assessments");
        total += (size_t)(cJSON_IsArray(as) ? cJSON_GetArraySize(as) : 0);
    }
    g->sheets = calloc(total ? total : 1, sizeof *g->sheets);
    if (g->sheets == NULL)
        return cev_error_nomem(err);
    cJSON_ArrayForEach(b, blocks)
    {
        if ((rc = add_sheets(g, cev_json_get(b, "assessments"), str(b, "code"), err)) != CEV_OK)
            return rc;
    }
    return add_sheets(g, top, NULL, err);
}

void cev_grid_close(cev_grid *g)
{
    for (size_t i = 0; g->sheets != NULL && i < g->nsheets; i++)
        free(g->sheets[i].items);
    free(g->sheets);
    cJSON_Delete(g->title);
    memset(g, 0, sizeof *g);
}

const cev_sheet *cev_grid_sheet(const cev_grid *g, const char *id)
{
    for (size_t i = 0; i < g->nsheets; i++)
        if (strcmp(g->sheets[i].id, id) == 0)
            return &g->sheets[i];
    return NULL;
}

const cJSON *cev_grid_block(const cev_grid *g, const char *code)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, cev_json_get(g->title, "blocks"))
    {
        const char *c = str(b, "code");
        if (c != NULL && strcmp(c, code) == 0)
            return b;
    }
    return NULL;
}

const char *cev_grid_competency_label(const cev_grid *g, const char *code)
{
    const cJSON *b, *c;
    cJSON_ArrayForEach(b, cev_json_get(g->title, "blocks"))
    {
        cJSON_ArrayForEach(c, cev_json_get(b, "competencies"))
        {
            const char *cc = str(c, "code");
            if (cc != NULL && strcmp(cc, code) == 0)
                return str(c, "label");
        }
    }
    return NULL;
}

const char **cev_sheet_columns(const cev_sheet *s)
{
    const char **cols = calloc(s->nitems + 8, sizeof *cols);
    if (cols == NULL)
        return NULL;
    size_t n = 0;
    cols[n++] = "candidat";
    if (s->kind == CEV_SHEET_PANEL)
        cols[n++] = "evaluateur";
    cols[n++] = "statut";
    if (s->kind == CEV_SHEET_FIELD)
        cols[n++] = "tuteur";
    if (s->dossier) {
        cols[n++] = "remis_le";
        cols[n++] = "pages";
    }
    if (s->oral)
        cols[n++] = "minutes";
    for (size_t i = 0; i < s->nitems; i++)
        cols[n++] = s->items[i].id;
    return cols;
}
