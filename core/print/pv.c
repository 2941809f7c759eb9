/* pv.c - the procès-verbal of a session, HTML (certeval.h: cev_print_pv).
 *
 * Its parts, in order: the certifier and the title; the session; the jury
 * (from the records that were decided, never from refused ones); for each
 * title version decided, its blocks and every candidate's decisions in the
 * order of candidats.csv; the jury's sovereign deliberations; the records
 * to correct; the statistics (pv_stats.c); the audit seal; the signatures.
 */
#include "print/doc.h"
#include "print/fix.h"
#include "print/page.h"
#include "print/pv.h"

#include <stdlib.h>
#include <string.h>

const char *pr_block_short(const char *block, const char *title_code)
{
    size_t n = strlen(title_code);
    if (n && strncmp(block, title_code, n) == 0 && block[n])
        return block + n;
    return block;
}

static void header(pr_out *o, const pv *p)
{
    pr_raw(o, "<header>\n");
    for (size_t i = 0; i < p->nsections; i++)
        if (i == 0 || strcmp(cev_json_str(p->sections[i].title, "certifier"),
                             cev_json_str(p->sections[i - 1].title, "certifier")) != 0)
            pr_elem(o, "p", "certifier", cev_json_str(p->sections[i].title, "certifier"));
    pr_raw(o, "<h1>Procès-verbal de délibération du jury</h1>\n");
    for (size_t i = 0; i < p->nsections; i++) {
        const pr_section *s = &p->sections[i];
        pr_raw(o, "<p class=\"subtitle\">");
        pr_esc(o, cev_json_str(s->title, "code"));
        pr_raw(o, " — <b>");
        pr_esc(o, cev_json_str(s->title, "name"));
        pr_raw(o, "</b>, version ");
        pr_esc(o, cev_json_str(s->title, "version"));
        if (s->draft)
            pr_raw(o, " <i>(version en projet, non confirmée)</i>");
        pr_raw(o, "</p>\n");
    }
    pr_raw(o, "</header>\n");
}

static void fact(pr_out *o, const char *label, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    pr_rawf(o, "<tr><th>%s</th><td>", label);
    pr_esc(o, value);
    pr_raw(o, "</td></tr>\n");
}

static void session_facts(pr_out *o, const pv *p)
{
    const cev_folder_session *s = p->doc->session;
    char date[32];
    pr_raw(o, "<h2>Session</h2>\n<table class=\"facts\">\n");
    fact(o, "Session", s->id);
    fact(o, "Titre", s->title);
    fact(o, "Date", cev_fr_date(date, s->date));
    if (s->type)
        fact(o, "Type", cev_fr_session_type(s->type));
    fact(o, "Lieu", s->place);
    fact(o, "Centre", s->centre);
    pr_raw(o, "</table>\n");
    for (size_t i = 0; i < p->nsections; i++)
        if (strcmp(cev_json_str(p->sections[i].title, "code"), s->title) != 0) {
            pr_raw(o, "<p class=\"warn\">Des candidats ont été décidés pour le titre ");
            pr_esc(o, cev_json_str(p->sections[i].title, "code"));
            pr_raw(o, ", alors que session.csv annonce le titre ");
            pr_esc(o, s->title);
            pr_raw(o, ".</p>\n");
        }
}

/* ---- the decisions ------------------------------------------------------ */

const char *pr_block_name(const cJSON *title, const char *code)
{
    const cJSON *blocks = cev_json_get(title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
        if (strcmp(cev_json_str(b, "code"), code) == 0)
            return cev_json_str(b, "name");
    return "";
}

static void block_legend(pr_out *o, const pr_section *s)
{
    const char *code = cev_json_str(s->title, "code");
    pr_raw(o, "<table><colgroup><col style=\"width:22%\"><col></colgroup>\n"
              "<thead><tr><th>Bloc</th><th>Intitulé</th></tr></thead><tbody>\n");
    const cJSON *blocks = cev_json_get(s->title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        const char *full = cev_json_str(b, "code"), *shown = pr_block_short(full, code);
        pr_raw(o, "<tr><td><b>");
        pr_esc(o, shown);
        pr_raw(o, "</b>");
        if (strcmp(shown, full) != 0) { /* the short code, then the whole one */
            pr_raw(o, " <span class=\"id\">");
            pr_esc(o, full);
            pr_raw(o, "</span>");
        }
        pr_raw(o, "</td><td>");
        pr_esc(o, cev_json_str(b, "name"));
        pr_raw(o, "</td></tr>\n");
    }
    pr_raw(o, "</tbody></table>\n");
}

/* The name cell of a row: name, id, birth date. */
static void candidate_cell(pr_out *o, const pv *p, const pr_row *row, const char *id)
{
    const cev_folder_candidate *c = row->csv < p->doc->ncandidates ? &p->doc->candidates[row->csv]
                                                                   : NULL;
    char date[32];
    pr_raw(o, "<td>");
    pr_doc_name(o, c ? c->last_name : NULL, c ? c->first_name : NULL);
    pr_raw(o, "<span class=\"note\">");
    pr_esc(o, id);
    if (c && c->birth_date) {
        pr_raw(o, " · né(e) le ");
        pr_esc(o, cev_fr_date(date, c->birth_date));
    }
    pr_raw(o, "</span></td>");
}

static void block_cell(pr_out *o, const cJSON *b)
{
    const char *decision = cev_json_str(b, "decision"), *source = cev_json_str(b, "source");
    pr_raw(o, "<td class=\"");
    pr_esc(o, decision);
    pr_raw(o, "\">");
    pr_esc(o, cev_fr_block(decision));
    if (cJSON_IsTrue(cev_json_get(b, "overridden")))
        pr_raw(o, "<span class=\"note\">délibéré</span>");
    if (strcmp(source, "evaluated") != 0) {
        pr_raw(o, "<span class=\"note\">");
        pr_esc(o, cev_fr_source(source));
        pr_raw(o, "</span>");
    }
    pr_raw(o, "</td>");
}

static void decision_row(pr_out *o, const pv *p, const pr_row *row, size_t nblocks)
{
    const char *id = row->e ? row->e->candidate : p->doc->candidates[row->csv].id;
    pr_raw(o, "<tr>");
    candidate_cell(o, p, row, id);
    if (row->e == NULL || row->e->error) {
        pr_rawf(o, "<td colspan=\"%zu\"><i>Non décidé</i> : %s</td></tr>\n", nblocks + 1,
                row->e ? "dossier à corriger (voir « Dossiers à corriger »)"
                       : "aucune décision enregistrée au journal pour ce candidat");
        return;
    }
    const cJSON *out = row->e->out;
    const char *decision = cev_json_str(out, "decision");
    pr_raw(o, "<td class=\"");
    pr_esc(o, decision);
    pr_raw(o, "\">");
    pr_esc(o, cev_fr_title_short(decision));
    pr_raw(o, "</td>");
    /* the blocks in the title's order; a block the record lacks is blank */
    const cJSON *title_blocks = cev_json_get(row->e->title, "blocks");
    const cJSON *blocks = cev_json_get(out, "blocks");
    for (const cJSON *tb = cJSON_IsArray(title_blocks) ? title_blocks->child : NULL; tb;
         tb = tb->next) {
        const cJSON *found = NULL;
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b && !found;
             b = b->next)
            if (strcmp(cev_json_str(b, "code"), cev_json_str(tb, "code")) == 0)
                found = b;
        if (found)
            block_cell(o, found);
        else
            pr_raw(o, "<td></td>");
    }
    pr_raw(o, "</tr>\n");
    /* the title's own reasons, on a row of their own: what the blocks alone
     * do not show (a session titre's missing entretien final, an acquired
     * block that counts for nothing) */
    const cJSON *why = cev_json_get(out, "reasons");
    for (const cJSON *r = cJSON_IsArray(why) ? why->child : NULL; r; r = r->next)
        if (cJSON_IsString(r)) {
            pr_rawf(o, "<tr class=\"why\"><td></td><td colspan=\"%zu\">Motif : ", nblocks + 1);
            pr_esc(o, r->valuestring);
            pr_raw(o, "</td></tr>\n");
        }
}

static void decisions(pr_out *o, const pv *p, const pr_section *s)
{
    const cJSON *blocks = cev_json_get(s->title, "blocks");
    size_t nblocks = (size_t)cJSON_GetArraySize(blocks);
    const char *code = cev_json_str(s->title, "code");
    pr_rawf(o, "<h3>Décisions (%lu %s", s->decided, cev_fr_plural(s->decided, "candidat décidé",
                                                            "candidats décidés"));
    if (s->undecided)
        pr_rawf(o, ", %lu non %s", s->undecided, cev_fr_plural(s->undecided, "décidé", "décidés"));
    pr_raw(o, ")</h3>\n");
    /* the name takes 28 %, the title 18 % ("partiellement" on one line), the
     * blocks share the rest */
    double each = nblocks ? 54.0 / (double)nblocks : 54.0;
    pr_raw(o, "<table class=\"decisions\"><colgroup><col style=\"width:28%\">"
              "<col style=\"width:18%\">");
    for (size_t i = 0; i < nblocks; i++)
        pr_rawf(o, "<col style=\"width:%.2f%%\">", each);
    pr_raw(o, "</colgroup>\n<thead><tr><th>Candidat</th><th>Titre</th>");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        pr_raw(o, "<th>");
        pr_esc(o, pr_block_short(cev_json_str(b, "code"), code));
        pr_raw(o, "</th>");
    }
    pr_raw(o, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < s->nrows; i++)
        decision_row(o, p, &s->rows[i], nblocks);
    pr_raw(o, "</tbody></table>\n");
}

/* ---- deliberations, records to correct ---------------------------------- */

static void deliberations(pr_out *o, const pv *p)
{
    unsigned long n = 0;
    pr_raw(o, "<h2>Délibérations souveraines du jury</h2>\n");
    for (size_t i = 0; i < p->nsections; i++) {
        const pr_section *s = &p->sections[i];
        for (size_t r = 0; r < s->nrows; r++) {
            const pr_entry *e = s->rows[r].e;
            if (e == NULL || e->error)
                continue;
            const cJSON *blocks = cev_json_get(e->out, "blocks");
            for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b;
                 b = b->next) {
                if (!cJSON_IsTrue(cev_json_get(b, "overridden")))
                    continue;
                const char *code = cev_json_str(b, "code");
                const cJSON *d = cev_json_get(cev_json_get(e->in, "deliberation"), code);
                const cev_folder_candidate *c = s->rows[r].csv < p->doc->ncandidates
                                                    ? &p->doc->candidates[s->rows[r].csv]
                                                    : NULL;
                if (n++ == 0)
                    pr_raw(o, "<table><colgroup><col style=\"width:30%\"><col style=\"width:22%\">"
                              "<col></colgroup>\n<thead><tr><th>Candidat</th><th>Bloc</th>"
                              "<th>Décision et motivation</th></tr></thead><tbody>\n");
                pr_raw(o, "<tr><td>");
                pr_doc_name(o, c ? c->last_name : NULL, c ? c->first_name : NULL);
                pr_raw(o, "<span class=\"note\">");
                pr_esc(o, e->candidate);
                pr_raw(o, "</span></td><td><b>");
                pr_esc(o, pr_block_short(code, cev_json_str(e->title, "code")));
                pr_raw(o, "</b> ");
                pr_esc(o, pr_block_name(e->title, code));
                pr_raw(o, "</td><td><b>");
                pr_esc(o, cev_fr_block(cev_json_str(b, "decision")));
                pr_raw(o, "</b> (décision calculée : ");
                pr_esc(o, cev_fr_block(cev_json_str(b, "proposed")));
                pr_raw(o, ")<br>Motivation : « ");
                pr_esc_lines(o, cev_json_str(d, "motivation"));
                pr_raw(o, " »</td></tr>\n");
            }
        }
    }
    if (n)
        pr_raw(o, "</tbody></table>\n");
    else
        pr_raw(o, "<p>Le jury n'a délibéré sur aucun bloc.</p>\n");
}

/* An error entry and where it stands: csv position, then log order. */
typedef struct to_fix {
    size_t csv;
    const pr_entry *e; /* NULL: a candidate of candidats.csv with no entry */
} to_fix;

static int by_position(const void *a, const void *b)
{
    const to_fix *x = a, *y = b;
    if (x->csv != y->csv)
        return x->csv < y->csv ? -1 : 1;
    long sx = x->e ? x->e->seq : 0, sy = y->e ? y->e->seq : 0;
    return (sx > sy) - (sx < sy);
}

static void fix_row(pr_out *o, const pv *p, const to_fix *f)
{
    const cev_folder_candidate *c = f->csv < p->doc->ncandidates ? &p->doc->candidates[f->csv]
                                                                 : NULL;
    pr_raw(o, "<tr><td>");
    if (c || (f->e && f->e->candidate[0]))
        pr_doc_name(o, c ? c->last_name : NULL, c ? c->first_name : NULL);
    else
        pr_raw(o, "<i>(identifiant illisible)</i>");
    pr_raw(o, "<span class=\"note\">");
    pr_esc(o, c ? c->id : f->e->candidate);
    pr_raw(o, "</span></td><td>");
    if (f->e == NULL) {
        pr_raw(o, "Aucun enregistrement de ce candidat au journal : vérifier qu'il a été "
                  "importé puis évalué avec ce journal d'audit.</td></tr>\n");
        return;
    }
    const cJSON *error = cev_json_get(f->e->out, "error");
    const char *code = cev_json_str(error, "code"), *message = cev_json_str(error, "message");
    pr_esc(o, pr_fix(code, message));
    const pr_entry *current = f->e->candidate[0] ? pr_results_current(&p->doc->res,
                                                                       f->e->candidate)
                                                 : NULL;
    if (current && !current->error)
        pr_rawf(o, " <i>Le candidat a par ailleurs une décision (ligne %ld) : seule cette "
                   "ligne-ci est refusée.</i>",
                current->line);
    pr_raw(o, "<span class=\"detail\"><br>Détail : ");
    pr_esc(o, code);
    pr_raw(o, " — ");
    pr_esc(o, message);
    pr_raw(o, "<br>");
    pr_esc(o, f->e->source);
    pr_rawf(o, ", ligne %ld (entrée n° %ld du journal)</span></td></tr>\n", f->e->line,
            f->e->seq);
}

static void to_correct(pr_out *o, const pv *p)
{
    const pr_doc *d = p->doc;
    to_fix *list = malloc((d->res.n + d->ncandidates + 1) * sizeof *list);
    if (list == NULL) {
        o->rc = CEV_ENOMEM;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < d->res.n; i++)
        if (d->res.entries[i].error)
            list[n++] = (to_fix){d->res.entries[i].candidate[0]
                                     ? pr_doc_position(d, d->res.entries[i].candidate)
                                     : d->ncandidates,
                                 &d->res.entries[i]};
    for (size_t i = 0; i < d->ncandidates; i++)
        if (pr_results_current(&d->res, d->candidates[i].id) == NULL)
            list[n++] = (to_fix){i, NULL};
    qsort(list, n, sizeof *list, by_position);
    pr_rawf(o, "<h2>Dossiers à corriger (%zu)</h2>\n", n);
    if (n == 0)
        pr_raw(o, "<p>Tous les dossiers de la session ont été décidés.</p>\n");
    else {
        pr_raw(o, "<p>Ces dossiers n'ont pas pu être décidés. Après correction du dossier de "
                  "session, refaire l'import puis l'évaluation avec le même journal : seule "
                  "la dernière évaluation de chaque candidat compte.</p>\n"
                  "<table><colgroup><col style=\"width:30%\"><col></colgroup>\n"
                  "<thead><tr><th>Candidat</th><th>Ce qu'il faut corriger</th></tr></thead>"
                  "<tbody>\n");
        for (size_t i = 0; i < n; i++)
            fix_row(o, p, &list[i]);
        pr_raw(o, "</tbody></table>\n");
    }
    free(list);
}

/* ---- the seal and the signatures ---------------------------------------- */

static void seal(pr_out *o, const pv *p)
{
    const pr_results *r = &p->doc->res;
    pr_raw(o, "<h2>Sceau du journal d'audit</h2>\n");
    pr_rawf(o, "<p>Ce procès-verbal est établi d'après le journal d'audit, dont la chaîne "
               "d'empreintes a été vérifiée avant l'impression : %zu %s de la session, "
               "n° %ld à %ld.",
            r->n, cev_fr_plural(r->n, "entrée", "entrées"), r->entries[0].seq, r->last_seq);
    if (r->superseded)
        pr_rawf(o, " %zu %s d'une évaluation antérieure, %s par une évaluation plus récente "
                   "du même candidat, %s pas comptée%s : seule la dernière évaluation de "
                   "chaque candidat compte.",
                r->superseded, cev_fr_plural(r->superseded, "entrée", "entrées"),
                cev_fr_plural(r->superseded, "remplacée", "remplacées"),
                cev_fr_plural(r->superseded, "n'est", "ne sont"),
                cev_fr_plural(r->superseded, "", "s"));
    pr_raw(o, "</p>\n<table class=\"facts seal\">\n");
    pr_rawf(o, "<tr><th>Dernière entrée de la session</th><td>n° %ld<br>"
               "<span class=\"hash\">",
            r->last_seq);
    pr_esc(o, r->last_hash);
    pr_rawf(o, "</span></td></tr>\n<tr><th>Tête du journal</th><td>n° %ld<br>"
               "<span class=\"hash\">",
            r->head_seq);
    pr_esc(o, r->head_hash);
    pr_raw(o, "</span></td></tr>\n</table>\n<p>Pour contrôler plus tard que le journal n'a "
              "pas été modifié depuis ce procès-verbal :</p>\n<p class=\"hash\">certeval verify "
              "-a &lt;journal&gt; --seal ");
    pr_rawf(o, "%ld:", r->head_seq);
    pr_esc(o, r->head_hash);
    pr_raw(o, "</p>\n");
}

/* ---- the sections ------------------------------------------------------- */

static pr_section *section_of(pv *p, const pr_entry *e)
{
    for (size_t i = 0; i < p->nsections; i++)
        if (p->sections[i].title == e->title)
            return &p->sections[i];
    pr_section *more = realloc(p->sections, (p->nsections + 1) * sizeof *more);
    if (more == NULL)
        return NULL;
    p->sections = more;
    pr_section *s = &p->sections[p->nsections];
    memset(s, 0, sizeof *s);
    size_t cap = p->doc->ncandidates + p->doc->res.ncurrent + 1;
    if ((s->rows = malloc(cap * sizeof *s->rows)) == NULL)
        return NULL;
    p->nsections++;
    s->title = e->title;
    s->draft = cJSON_IsTrue(cev_json_get(cev_json_get(e->out, "title"), "draft"));
    return s;
}

/* Each decided candidate in its title's section, in the order of
 * candidats.csv, then those decided but absent from it (by id); each
 * candidate of candidats.csv not decided in its place in the section of
 * the session's title (or the first). */
static cev_code build(pv *p)
{
    const pr_doc *d = p->doc;
    for (size_t pass = 0; pass < 2; pass++) {
        pr_section *main = NULL;
        for (size_t i = 0; pass == 1 && i < p->nsections && !main; i++)
            if (strcmp(cev_json_str(p->sections[i].title, "code"), d->session->title) == 0)
                main = &p->sections[i];
        if (pass == 1 && main == NULL)
            main = p->nsections ? &p->sections[0] : NULL;
        for (size_t i = 0; i < d->ncandidates; i++) {
            const pr_entry *e = pr_results_current(&d->res, d->candidates[i].id);
            pr_section *s = e && !e->error ? section_of(p, e) : main;
            if (e && !e->error && s == NULL)
                return CEV_ENOMEM;
            if (pass == 1 && s) {
                s->rows[s->nrows++] = (pr_row){i, e};
                if (e && !e->error)
                    s->decided++;
                else
                    s->undecided++;
            }
        }
        for (size_t i = 0; i < d->res.ncurrent; i++) {
            const pr_entry *e = &d->res.entries[d->res.current[i].index];
            if (e->error || pr_doc_position(d, e->candidate) < d->ncandidates)
                continue;
            pr_section *s = section_of(p, e);
            if (s == NULL)
                return CEV_ENOMEM;
            if (pass == 1) {
                s->rows[s->nrows++] = (pr_row){d->ncandidates, e};
                s->decided++;
            }
        }
    }
    return CEV_OK;
}

static void pv_close(pv *p)
{
    for (size_t i = 0; i < p->nsections; i++)
        free(p->sections[i].rows);
    free(p->sections);
}

static void write_pv(pr_out *o, const pv *p)
{
    /* each page numbered out of the whole, so that none can be left out or
     * slipped in unseen */
    pr_page_open(o, "Procès-verbal — session ", p->doc->session->id,
                 "@page{@bottom-center{content:\"Procès-verbal — page \" counter(page) \" / \" "
                 "counter(pages);font-size:8pt;color:#444}}\n");
    header(o, p);
    session_facts(o, p);
    pr_pv_jury(o, p);
    for (size_t i = 0; i < p->nsections; i++) {
        const pr_section *s = &p->sections[i];
        pr_raw(o, "<h2>");
        if (p->nsections > 1) {
            pr_esc(o, cev_json_str(s->title, "code"));
            pr_raw(o, ", version ");
            pr_esc(o, cev_json_str(s->title, "version"));
            pr_raw(o, " : ");
        }
        pr_raw(o, "Blocs de compétences et décisions</h2>\n");
        block_legend(o, s);
        decisions(o, p, s);
    }
    deliberations(o, p);
    to_correct(o, p);
    pr_raw(o, "<h2>Statistiques de la session</h2>\n");
    for (size_t i = 0; i < p->nsections; i++)
        pr_pv_stats(o, p, &p->sections[i]);
    seal(o, p);
    pr_pv_signatures(o, p);
    pr_page_close(o);
}

cev_code cev_print_pv(cev_buf *out, const char *audit_dir, const char *folder_dir,
                      cev_errlist *problems, cev_error *err)
{
    pr_doc d;
    cev_code rc = pr_doc_load(&d, audit_dir, folder_dir, problems, err);
    pv p = {&d, NULL, 0};
    if (rc == CEV_OK)
        rc = build(&p);
    size_t mark = out->len;
    if (rc == CEV_OK) {
        pr_out o = {out, CEV_OK};
        write_pv(&o, &p);
        rc = o.rc;
    }
    if (rc == CEV_ENOMEM) { /* nothing of the document is left */
        cev_buf_truncate(out, mark);
        cev_error_nomem(err);
    }
    pv_close(&p);
    pr_doc_close(&d);
    return rc;
}
