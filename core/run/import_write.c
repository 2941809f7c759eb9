/*
 * import_write.c - `import`'s second pass (import.h): one record per
 * candidate, from cells that the first pass proved well-formed.  Names
 * and the place are never written.
 */
#include "run/import.h"

#include "folder/cell.h"

#include <string.h>

/* ---- writing ----------------------------------------------------------------------- */

static void write_number_cell(cev_jw *w, const char *v)
{
    double x = 0;
    cev_cell_number(v, &x);
    cev_jw_number(w, x);
}

static int candidate_status(const sheet_data *d, size_t from)
{
    return imp_parse_status(cell(d->t, d->g.order[from], d->c_status), d->sheet->dossier);
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

void imp_write_record(importer *im, cev_jw *w, size_t k)
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
            cev_jw_string(w, imp_parse_decision(cell(t, r, cd)));
            cev_jw_key_lit(w, "motivation");
            cev_jw_string(w, cell(t, r, cm));
            cev_jw_end_object(w);
        }
        cev_jw_end_object(w);
    }
    cev_jw_end_object(w);
}
