/* export.c - the session's current decisions for the certifier's register
 * (certeval.h: cev_print_export).
 *
 * One row per candidate and block: the candidates of candidats.csv in its
 * order, then those the session decided that it lacks (by id).  A
 * candidate not decided has one row, its blocks empty and `erreur` the
 * error record's code ("aucune_entree" when the store holds none for it).
 * Values are the records' codes (awarded, validated, capitalised, ...),
 * dates ISO.  CSV: ';' as the separator (a French spreadsheet's), UTF-8
 * with a byte order mark (so that it opens with its accents), lines ending
 * in CRLF, every field quoted by libcsv.  Every data cell (names, ids,
 * codes: the folder's and the records' text alike) is shown as the PV shows
 * it: the characters that change how text reads without being seen (C0
 * and C1 controls, tab and line breaks included, DEL, the bidirectional
 * controls, U+2028/2029, U+FEFF; html.h) become visible escapes ("\u202E"),
 * so that a row stays one line and reads as it is; then a cell a
 * spreadsheet would take for a formula (starting with = + - @) gets a
 * leading apostrophe, so that opening the register runs nothing.  JSON
 * Lines: one object per row, the same keys, null for an empty field; the
 * same characters are written as JSON escapes ("\u202e"), the same text
 * once read, so that nothing hides in the file seen as text either. */
#include "print/doc.h"
#include "print/html.h"

#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COLS = 17 };
static const char *const columns[COLS] = {
    "session", "candidat", "nom", "prenom", "date_naissance", "titre", "version",
    "decision_titre", "bloc", "decision_bloc", "source", "acquis_le", "utilisable_jusqu_au",
    "deliberation", "erreur", "entree", "empreinte"};

typedef struct exporter {
    cev_buf *out;
    cev_export_format format;
    cev_buf cell; /* scratch for one quoted field */
    cev_code rc;
} exporter;

/* Appends v to b with its hidden characters as visible escapes. */
static cev_code visible(cev_buf *b, const char *v)
{
    size_t len = strlen(v), from = 0, n;
    uint32_t cp;
    cev_code rc = CEV_OK;
    for (size_t i = 0; i < len && rc == CEV_OK; i += n) {
        unsigned char c = (unsigned char)v[i];
        n = 1;
        if (c >= 0x20 && c < 0x7f)
            continue; /* printable ASCII: most bytes, no call */
        int kind = pr_hidden_at(v, len, i, &n, &cp);
        if (kind == PR_SHOWN)
            continue;
        char esc[16];
        snprintf(esc, sizeof esc, kind == PR_BAD_BYTE ? "\\x%02X" : "\\u%04X", (unsigned)cp);
        if ((rc = cev_buf_append(b, v + from, i - from)) == CEV_OK)
            rc = cev_buf_puts(b, esc);
        from = i + n;
    }
    return rc == CEV_OK ? cev_buf_append(b, v + from, len - from) : rc;
}

/* One CSV field, quoted, after a ';' unless first; a data cell (`data`)
 * shown with visible escapes and guarded against formulas. */
static void csv_field(exporter *x, const char *v, int first, int data)
{
    if (x->rc != CEV_OK)
        return;
    cev_buf_reset(&x->cell);
    if (data && v[0] && strchr("=+-@", v[0]))
        x->rc = cev_buf_putc(&x->cell, '\'');
    if (x->rc == CEV_OK)
        x->rc = data ? visible(&x->cell, v) : cev_buf_puts(&x->cell, v);
    if (x->rc != CEV_OK)
        return;
    size_t need = csv_write(NULL, 0, x->cell.data, x->cell.len);
    if ((x->rc = cev_buf_reserve(x->out, need + 1)) != CEV_OK)
        return;
    if (!first)
        x->out->data[x->out->len++] = ';';
    csv_write(x->out->data + x->out->len, need, x->cell.data, x->cell.len);
    x->out->len += need;
    x->out->data[x->out->len] = '\0';
}

/* The JSON line written from `mark` on, its hidden characters (those
 * cev_jw leaves as they are: DEL and the non-ASCII ones; it escapes the C0
 * controls) turned into JSON escapes.  They can only be inside strings:
 * the keys and the syntax are ASCII. */
static void json_escape_hidden(exporter *x, size_t mark)
{
    const char *line = x->out->data + mark;
    size_t len = x->out->len - mark, n;
    uint32_t cp;
    size_t i = 0;
    while (i < len && (unsigned char)line[i] < 0x7f)
        i++;
    if (i == len || x->rc != CEV_OK)
        return; /* the usual line: nothing to do */
    cev_buf_reset(&x->cell);
    size_t from = 0;
    for (i = 0; i < len && x->rc == CEV_OK; i += n) {
        if (pr_hidden_at(line, len, i, &n, &cp) != PR_HIDDEN || cp < 0x20)
            continue;
        char esc[8];
        snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
        if ((x->rc = cev_buf_append(&x->cell, line + from, i - from)) == CEV_OK)
            x->rc = cev_buf_puts(&x->cell, esc);
        from = i + n;
    }
    if (from == 0)
        return; /* accents only */
    if (x->rc == CEV_OK)
        x->rc = cev_buf_append(&x->cell, line + from, len - from);
    if (x->rc != CEV_OK)
        return;
    cev_buf_truncate(x->out, mark);
    x->rc = cev_buf_append(x->out, x->cell.data, x->cell.len);
}

static void row(exporter *x, const char *const v[COLS])
{
    if (x->format == CEV_EXPORT_CSV) {
        for (size_t i = 0; i < COLS; i++)
            csv_field(x, v[i], i == 0, 1);
        if (x->rc == CEV_OK)
            x->rc = cev_buf_puts(x->out, "\r\n");
        return;
    }
    size_t mark = x->out->len;
    cev_jw w;
    cev_jw_init(&w, x->out);
    cev_jw_object(&w);
    for (size_t i = 0; i < COLS; i++) {
        cev_jw_key(&w, columns[i]);
        if (i == 15 && v[i][0])
            cev_jw_integer(&w, strtol(v[i], NULL, 10));
        else if (v[i][0])
            cev_jw_string(&w, v[i]);
        else
            cev_jw_null(&w);
    }
    cev_jw_end_object(&w);
    if (x->rc == CEV_OK)
        x->rc = cev_jw_status(&w);
    json_escape_hidden(x, mark);
    if (x->rc == CEV_OK)
        x->rc = cev_buf_putc(x->out, '\n');
}

static void candidate_rows(exporter *x, const pr_doc *d, const cev_folder_candidate *c,
                           const char *id)
{
    const pr_entry *e = pr_results_current(&d->res, id);
    char seq[32] = "";
    if (e)
        snprintf(seq, sizeof seq, "%ld", e->seq);
    const char *v[COLS] = {d->session->id, id, c ? c->last_name : "", c ? c->first_name : "",
                           c && c->birth_date ? c->birth_date : ""};
    for (size_t i = 5; i < COLS; i++)
        v[i] = "";
    v[15] = seq;
    v[16] = e ? e->hash : "";
    if (e == NULL || e->error) {
        v[14] = e ? cev_json_str(cev_json_get(e->out, "error"), "code") : "aucune_entree";
        row(x, v);
        return;
    }
    const cJSON *title = cev_json_get(e->out, "title");
    v[5] = cev_json_str(title, "code");
    v[6] = cev_json_str(title, "version");
    v[7] = cev_json_str(e->out, "decision");
    const cJSON *blocks = cev_json_get(e->out, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        const char *from;
        const cJSON *until = cev_json_get(b, "usable_until");
        v[8] = cev_json_str(b, "code");
        v[9] = cev_json_str(b, "decision");
        v[10] = cev_json_str(b, "source");
        v[11] = pr_acquired_on(e, b, &from);
        v[12] = cJSON_IsString(until) ? until->valuestring : "";
        v[13] = cJSON_IsTrue(cev_json_get(b, "overridden")) ? "oui" : "non";
        row(x, v);
    }
}

static void write_export(exporter *x, const pr_doc *d)
{
    if (x->format == CEV_EXPORT_CSV) {
        x->rc = cev_buf_puts(x->out, "\xEF\xBB\xBF"); /* the byte order mark */
        for (size_t i = 0; i < COLS; i++)
            csv_field(x, columns[i], i == 0, 0);
        if (x->rc == CEV_OK)
            x->rc = cev_buf_puts(x->out, "\r\n");
    }
    for (size_t i = 0; i < d->ncandidates; i++)
        candidate_rows(x, d, &d->candidates[i], d->candidates[i].id);
    for (size_t i = 0; i < d->res.ncurrent; i++) {
        const pr_entry *e = &d->res.entries[d->res.current[i].index];
        if (!e->error && pr_doc_position(d, e->candidate) == d->ncandidates)
            candidate_rows(x, d, NULL, e->candidate);
    }
}

cev_code cev_print_export(cev_buf *out, const char *audit_dir, const char *folder_dir,
                          cev_export_format format, cev_errlist *problems, cev_error *err)
{
    pr_doc d;
    cev_code rc = pr_doc_load(&d, audit_dir, folder_dir, problems, err);
    if (rc == CEV_OK) {
        exporter x = {out, format, {NULL, 0, 0}, CEV_OK};
        size_t mark = out->len;
        write_export(&x, &d);
        cev_buf_close(&x.cell);
        rc = x.rc;
        if (rc != CEV_OK) {
            cev_buf_truncate(out, mark);
            cev_error_nomem(err);
        }
    }
    pr_doc_close(&d);
    return rc;
}
