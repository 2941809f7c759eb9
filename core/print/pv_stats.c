/* pv_stats.c - the statistics of the PV, drawn as inline SVG (pv.h).
 *
 * For each title version decided: a tally of the title decisions; per
 * block, how many candidates were validated, not validated, absent, not
 * presented (a stacked bar each); the distribution of the competency
 * scores evaluated at this session (ten columns of a tenth each); and the
 * assessments where the assessors' marks for one criterion were further
 * apart than the package allows (flag "assessor_spread:<criterion>"). */
#include "print/chart.h"
#include "print/pv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void tally(pr_out *o, const pr_section *s)
{
    unsigned long n[3] = {0, 0, 0};
    static const char *const titles[] = {"awarded", "partial", "not_awarded"};
    for (size_t r = 0; r < s->nrows; r++)
        for (size_t k = 0; k < 3 && s->rows[r].e && !s->rows[r].e->error; k++)
            n[k] += strcmp(cev_json_str(s->rows[r].e->out, "decision"), titles[k]) == 0;
    pr_rawf(o, "<p><b>%lu %s</b> : %lu %s, %lu %s, %lu %s", s->decided,
            cev_fr_plural(s->decided, "candidat décidé", "candidats décidés"), n[0],
            cev_fr_plural(n[0], "titre obtenu", "titres obtenus"), n[1],
            cev_fr_plural(n[1], "titre partiellement obtenu", "titres partiellement obtenus"), n[2],
            cev_fr_plural(n[2], "titre non obtenu", "titres non obtenus"));
    if (s->undecided)
        pr_rawf(o, " ; %lu %s", s->undecided,
                cev_fr_plural(s->undecided, "candidat non décidé", "candidats non décidés"));
    pr_raw(o, ".</p>\n");
}

/* The block rows of a decision record: the one of code `code`, or NULL. */
static const cJSON *record_block(const cJSON *out, const char *code)
{
    const cJSON *blocks = cev_json_get(out, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
        if (strcmp(cev_json_str(b, "code"), code) == 0)
            return b;
    return NULL;
}

static void blocks_chart(pr_out *o, const pr_section *s)
{
    static const char *const decisions[] = {"validated", "not_validated", "absent",
                                            "not_presented"};
    const char *names[4];
    for (size_t k = 0; k < 4; k++)
        names[k] = cev_fr_block(decisions[k]);
    const cJSON *blocks = cev_json_get(s->title, "blocks");
    size_t nblocks = (size_t)cJSON_GetArraySize(blocks);
    pr_bar *rows = calloc(nblocks ? nblocks : 1, sizeof *rows);
    if (rows == NULL) {
        o->rc = CEV_ENOMEM;
        return;
    }
    size_t i = 0;
    const char *code = cev_json_str(s->title, "code");
    for (const cJSON *tb = blocks->child; tb && i < nblocks; tb = tb->next, i++) {
        rows[i].label = pr_block_short(cev_json_str(tb, "code"), code);
        for (size_t r = 0; r < s->nrows; r++) {
            const pr_entry *e = s->rows[r].e;
            const cJSON *b = e && !e->error ? record_block(e->out, cev_json_str(tb, "code")) : NULL;
            for (size_t k = 0; b && k < 4; k++)
                rows[i].counts[k] += strcmp(cev_json_str(b, "decision"), decisions[k]) == 0;
        }
    }
    if (o->rc == CEV_OK)
        o->rc = pr_chart_stacked(o->b, "Décisions par bloc (nombre de candidats)", rows, nblocks,
                                 names, 4);
    free(rows);
}

static void scores_chart(pr_out *o, const pr_section *s)
{
    static const char *const labels[] = {"0–10 %",  "10–20 %", "20–30 %", "30–40 %",
                                         "40–50 %", "50–60 %", "60–70 %", "70–80 %",
                                         "80–90 %", "90–100 %"};
    unsigned long bins[10] = {0}, unscored = 0, all = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        const pr_entry *e = s->rows[r].e;
        const cJSON *blocks = e && !e->error ? cev_json_get(e->out, "blocks") : NULL;
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
            if (strcmp(cev_json_str(b, "source"), "evaluated") != 0)
                continue;
            const cJSON *cs = cev_json_get(b, "competencies");
            for (const cJSON *c = cJSON_IsArray(cs) ? cs->child : NULL; c; c = c->next) {
                const cJSON *score = cev_json_get(c, "score");
                if (!cJSON_IsNumber(score) || !isfinite(score->valuedouble)) {
                    unscored += cJSON_IsNull(score);
                    continue;
                }
                double v = score->valuedouble;
                int bin = v <= 0 ? 0 : v >= 1 ? 9 : (int)(v * 10);
                bins[bin > 9 ? 9 : bin]++;
                all++;
            }
        }
    }
    if (all == 0) { /* no chart of nothing: every block capitalised, say */
        pr_rawf(o, "<p class=\"detail\">Aucun score de compétence évalué à cette session "
                   "(%lu sans score).</p>\n", unscored);
        return;
    }
    if (o->rc == CEV_OK)
        o->rc = pr_chart_columns(o->b,
                                 "Répartition des scores de compétence évalués à cette session "
                                 "(nombre de compétences par tranche de score)",
                                 bins, labels, 10);
    pr_rawf(o, "<p class=\"detail\">%lu %s ; %lu sans score (rien ne les a "
               "évaluées).</p>\n",
            all, cev_fr_plural(all, "score de compétence", "scores de compétence"), unscored);
}

/* An assessment's label in a title.json, or "". */
static const char *assessment_label(const cJSON *title, const char *id)
{
    const cJSON *blocks = cev_json_get(title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        const cJSON *as = cev_json_get(b, "assessments");
        for (const cJSON *a = cJSON_IsArray(as) ? as->child : NULL; a; a = a->next)
            if (strcmp(cev_json_str(a, "id"), id) == 0)
                return cev_json_str(a, "label");
    }
    return "";
}

/* Calls fn on each assessment of the section's decisions that has an
 * assessor_spread flag; returns how many. */
typedef void (*spread_fn)(pr_out *o, const pv *p, const pr_row *row, const cJSON *assessment,
                          void *ctx);

static unsigned long each_spread(pr_out *o, const pv *p, const pr_section *s, spread_fn fn,
                                 void *ctx)
{
    unsigned long n = 0;
    for (size_t r = 0; r < s->nrows; r++) {
        const pr_entry *e = s->rows[r].e;
        const cJSON *blocks = e && !e->error ? cev_json_get(e->out, "blocks") : NULL;
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
            const cJSON *as = cev_json_get(b, "assessments");
            for (const cJSON *a = cJSON_IsArray(as) ? as->child : NULL; a; a = a->next) {
                const cJSON *flags = cev_json_get(a, "flags");
                int spread = 0;
                for (const cJSON *f = cJSON_IsArray(flags) ? flags->child : NULL; f; f = f->next)
                    spread |= cJSON_IsString(f) &&
                              strncmp(f->valuestring, "assessor_spread:", 16) == 0;
                if (spread) {
                    n++;
                    fn(o, p, &s->rows[r], a, ctx);
                }
            }
        }
    }
    return n;
}

/* The bars of the chart: one per assessment id, in order of appearance. */
typedef struct spread_bars {
    pr_bar *rows;
    size_t n, cap;
} spread_bars;

static void count_spread(pr_out *o, const pv *p, const pr_row *row, const cJSON *a, void *ctx)
{
    (void)p;
    (void)row;
    spread_bars *sb = ctx;
    const char *id = cev_json_str(a, "id");
    for (size_t i = 0; i < sb->n; i++)
        if (strcmp(sb->rows[i].label, id) == 0) {
            sb->rows[i].counts[0]++;
            return;
        }
    if (sb->n == sb->cap) {
        size_t cap = sb->cap ? 2 * sb->cap : 8;
        pr_bar *more = realloc(sb->rows, cap * sizeof *more);
        if (more == NULL) {
            o->rc = CEV_ENOMEM;
            return;
        }
        sb->rows = more;
        sb->cap = cap;
    }
    sb->rows[sb->n++] = (pr_bar){id, {1, 0, 0, 0}};
}

static void spread_row(pr_out *o, const pv *p, const pr_row *row, const cJSON *a, void *ctx)
{
    const pr_section *s = ctx;
    const cev_folder_candidate *c = row->csv < p->doc->ncandidates ? &p->doc->candidates[row->csv]
                                                                   : NULL;
    pr_raw(o, "<tr><td>");
    pr_doc_name(o, c ? c->last_name : NULL, c ? c->first_name : NULL);
    pr_raw(o, "<span class=\"note\">");
    pr_esc(o, row->e->candidate);
    pr_raw(o, "</span></td><td><b>");
    pr_esc(o, cev_json_str(a, "id"));
    pr_raw(o, "</b> ");
    pr_esc(o, assessment_label(s->title, cev_json_str(a, "id")));
    pr_raw(o, "</td><td>");
    const char *sep = "";
    const cJSON *flags = cev_json_get(a, "flags");
    for (const cJSON *f = cJSON_IsArray(flags) ? flags->child : NULL; f; f = f->next)
        if (cJSON_IsString(f) && strncmp(f->valuestring, "assessor_spread:", 16) == 0) {
            pr_raw(o, sep);
            pr_esc(o, f->valuestring + 16);
            sep = ", ";
        }
    pr_raw(o, "</td></tr>\n");
}

static void spreads(pr_out *o, const pv *p, const pr_section *s)
{
    spread_bars sb = {NULL, 0, 0};
    unsigned long n = each_spread(o, p, s, count_spread, &sb);
    if (n == 0) {
        pr_raw(o, "<p><b>Écarts entre évaluateurs</b> : aucune épreuve n'a donné d'écart "
                  "supérieur à celui que le référentiel admet.</p>\n");
        free(sb.rows);
        return;
    }
    if (o->rc == CEV_OK)
        o->rc = pr_chart_stacked(o->b,
                                 "Écarts entre évaluateurs : épreuves où les notes d'un critère "
                                 "s'écartent plus que le référentiel ne l'admet (nombre de "
                                 "candidats)",
                                 sb.rows, sb.n, NULL, 1);
    free(sb.rows);
    pr_raw(o, "<table><colgroup><col style=\"width:30%\"><col><col style=\"width:18%\">"
              "</colgroup>\n<thead><tr><th>Candidat</th><th>Épreuve</th><th>Critères</th>"
              "</tr></thead><tbody>\n");
    each_spread(o, p, s, spread_row, (void *)s);
    pr_raw(o, "</tbody></table>\n");
}

void pr_pv_stats(pr_out *o, const pv *p, const pr_section *s)
{
    if (p->nsections > 1) {
        pr_raw(o, "<h3>");
        pr_esc(o, cev_json_str(s->title, "code"));
        pr_raw(o, ", version ");
        pr_esc(o, cev_json_str(s->title, "version"));
        pr_raw(o, "</h3>\n");
    }
    tally(o, s);
    blocks_chart(o, s);
    scores_chart(o, s);
    spreads(o, p, s);
}
