/* attestation.c - each candidate's result document, HTML (certeval.h:
 * cev_print_attestations).
 *
 * One page per candidate: the title decision and its reasons; each block
 * acquired, with its date and how (evaluated at this session, capitalised,
 * by equivalence) and, when the decision gives it, until when it stays
 * usable to complete the title; the blocks still to acquire with the
 * reasons the rules wrote (French, printed as they are); the president's
 * signature.  A candidate the session could not decide gets a page that
 * says so, without the technical detail (that is the PV's). */
#include "print/doc.h"
#include "print/page.h"
#include "print/pv.h"

#include <string.h>

typedef struct att {
    const pr_doc *doc;
    const cev_folder_member *president;
} att;

static void page_header(pr_out *o, const cJSON *title)
{
    pr_raw(o, "<header>\n");
    if (title)
        pr_elem(o, "p", "certifier", cev_json_str(title, "certifier"));
    pr_raw(o, "<h1>Relevé de décision du jury</h1>\n<p class=\"subtitle\">Attestation des blocs "
              "de compétences acquis</p>\n");
    if (title) {
        pr_raw(o, "<p class=\"subtitle\">");
        pr_esc(o, cev_json_str(title, "code"));
        pr_raw(o, " — <b>");
        pr_esc(o, cev_json_str(title, "name"));
        pr_raw(o, "</b>, version ");
        pr_esc(o, cev_json_str(title, "version"));
        pr_raw(o, "</p>\n");
    }
    pr_raw(o, "</header>\n");
}

static void who(pr_out *o, const att *a, const cev_folder_candidate *c, const char *id)
{
    const cev_folder_session *s = a->doc->session;
    char date[32];
    pr_raw(o, "<table class=\"facts\">\n<tr><th>Candidat</th><td>");
    pr_doc_name(o, c ? c->last_name : NULL, c ? c->first_name : NULL);
    if (c && c->birth_date) {
        pr_raw(o, ", né(e) le ");
        pr_esc(o, cev_fr_date(date, c->birth_date));
    }
    pr_raw(o, " <span class=\"id\">(");
    pr_esc(o, id);
    pr_raw(o, ")</span></td></tr>\n<tr><th>Session</th><td>");
    pr_esc(o, s->id);
    if (s->type) {
        pr_raw(o, " (");
        pr_esc(o, cev_fr_session_type(s->type));
        pr_raw(o, ")");
    }
    pr_raw(o, ", jury du ");
    pr_esc(o, cev_fr_date(date, s->date));
    if (s->place && s->place[0]) {
        pr_raw(o, ", ");
        pr_esc(o, s->place);
    }
    if (s->centre && s->centre[0]) {
        pr_raw(o, " — ");
        pr_esc(o, s->centre);
    }
    pr_raw(o, "</td></tr>\n</table>\n");
}

/* The reasons of a list as items of a <ul> already open; `lead` (escaped,
 * bold) before the first when not NULL.  How many were written. */
static size_t reason_items(pr_out *o, const cJSON *list, const char *lead, const char *label)
{
    size_t n = 0;
    for (const cJSON *r = cJSON_IsArray(list) ? list->child : NULL; r; r = r->next) {
        if (!cJSON_IsString(r))
            continue;
        pr_raw(o, "<li>");
        if (lead) {
            pr_elem(o, "b", NULL, lead);
            if (label && label[0]) {
                pr_raw(o, " ");
                pr_esc(o, label);
            }
            pr_raw(o, " : ");
        }
        pr_esc_lines(o, r->valuestring);
        pr_raw(o, "</li>");
        n++;
    }
    return n;
}

static void reasons(pr_out *o, const cJSON *list)
{
    if (cJSON_GetArraySize(list) == 0)
        return;
    pr_raw(o, "<ul class=\"reasons\">");
    reason_items(o, list, NULL, NULL);
    pr_raw(o, "</ul>\n");
}

/* A competency's label in a title.json, or "". */
static const char *competency_label(const cJSON *title, const char *code)
{
    const cJSON *blocks = cev_json_get(title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        const cJSON *cs = cev_json_get(b, "competencies");
        for (const cJSON *c = cJSON_IsArray(cs) ? cs->child : NULL; c; c = c->next)
            if (strcmp(cev_json_str(c, "code"), code) == 0)
                return cev_json_str(c, "label");
    }
    return "";
}

static void acquired_row(pr_out *o, const pr_entry *e, const cJSON *b, int usable)
{
    const char *code = cev_json_str(b, "code"), *source = cev_json_str(b, "source"), *from;
    const char *on = pr_acquired_on(e, b, &from);
    char date[32];
    pr_raw(o, "<tr><td><b>");
    pr_esc(o, pr_block_short(code, cev_json_str(e->title, "code")));
    pr_raw(o, "</b> ");
    pr_esc(o, pr_block_name(e->title, code));
    pr_raw(o, "</td><td>");
    pr_esc(o, cev_fr_date(date, on));
    pr_raw(o, "</td><td>");
    pr_esc(o, cev_fr_source(source));
    if (from && strcmp(from, code) != 0) {
        pr_raw(o, " (");
        pr_esc(o, from);
        pr_raw(o, ")");
    }
    if (cJSON_IsTrue(cev_json_get(b, "overridden")))
        pr_raw(o, ", par délibération du jury");
    pr_raw(o, "</td>");
    if (usable) {
        const cJSON *until = cev_json_get(b, "usable_until");
        pr_raw(o, "<td>");
        if (cJSON_IsString(until))
            pr_esc(o, cev_fr_date(date, until->valuestring));
        pr_raw(o, "</td>");
    }
    pr_raw(o, "</tr>\n");
}

static void missing_row(pr_out *o, const pr_entry *e, const cJSON *b)
{
    const char *code = cev_json_str(b, "code");
    pr_raw(o, "<tr><td><b>");
    pr_esc(o, pr_block_short(code, cev_json_str(e->title, "code")));
    pr_raw(o, "</b> ");
    pr_esc(o, pr_block_name(e->title, code));
    pr_raw(o, "</td><td>");
    pr_esc(o, cev_fr_block(cev_json_str(b, "decision")));
    if (cJSON_IsTrue(cev_json_get(b, "overridden")))
        pr_raw(o, " (délibération du jury)");
    pr_raw(o, "</td><td><ul class=\"reasons\">");
    reason_items(o, cev_json_get(b, "reasons"), NULL, NULL);
    /* A block missed or not presented was not judged on its competencies:
     * its own reasons say why, and "nothing evaluated this competency"
     * repeated for each would only bury them. */
    const cJSON *cs = strcmp(cev_json_str(b, "decision"), "not_validated") == 0
                          ? cev_json_get(b, "competencies") : NULL;
    for (const cJSON *c = cJSON_IsArray(cs) ? cs->child : NULL; c; c = c->next)
        if (!cJSON_IsTrue(cev_json_get(c, "acquired")))
            reason_items(o, cev_json_get(c, "reasons"), cev_json_str(c, "code"),
                         competency_label(e->title, cev_json_str(c, "code")));
    pr_raw(o, "</ul></td></tr>\n");
}

static void blocks(pr_out *o, const pr_entry *e)
{
    const cJSON *list = cev_json_get(e->out, "blocks");
    size_t got = 0, missing = 0;
    int usable = 0;
    for (const cJSON *b = cJSON_IsArray(list) ? list->child : NULL; b; b = b->next) {
        int ok = strcmp(cev_json_str(b, "decision"), "validated") == 0;
        got += ok;
        missing += !ok;
        usable |= ok && cJSON_IsString(cev_json_get(b, "usable_until"));
    }
    pr_raw(o, "<h2>Blocs de compétences acquis</h2>\n");
    if (got == 0)
        pr_raw(o, "<p>Aucun bloc n'est acquis.</p>\n");
    else {
        pr_raw(o, usable ? "<table><colgroup><col style=\"width:46%\"><col style=\"width:16%\">"
                           "<col style=\"width:20%\"><col></colgroup>\n"
                         : "<table><colgroup><col style=\"width:54%\"><col style=\"width:18%\">"
                           "<col></colgroup>\n");
        pr_raw(o, "<thead><tr><th>Bloc</th><th>Acquis le</th><th>Mode d'acquisition</th>");
        if (usable)
            pr_raw(o, "<th>Utilisable pour le titre jusqu'au</th>");
        pr_raw(o, "</tr></thead><tbody>\n");
        for (const cJSON *b = list->child; b; b = b->next)
            if (strcmp(cev_json_str(b, "decision"), "validated") == 0)
                acquired_row(o, e, b, usable);
        pr_raw(o, "</tbody></table>\n");
    }
    if (missing == 0)
        return;
    pr_raw(o, "<h2>Blocs restant à acquérir</h2>\n<table><colgroup><col style=\"width:30%\">"
              "<col style=\"width:14%\"><col></colgroup>\n<thead><tr><th>Bloc</th>"
              "<th>À cette session</th><th>Motifs</th></tr></thead><tbody>\n");
    for (const cJSON *b = list->child; b; b = b->next)
        if (strcmp(cev_json_str(b, "decision"), "validated") != 0)
            missing_row(o, e, b);
    pr_raw(o, "</tbody></table>\n");
}

static void signature(pr_out *o, const att *a, const pr_entry *e)
{
    const cev_folder_session *s = a->doc->session;
    char date[32];
    pr_raw(o, "<div class=\"sign\"><p>Fait");
    if (s->place && s->place[0]) {
        pr_raw(o, " à ");
        pr_esc(o, s->place);
    }
    pr_raw(o, ", le ");
    pr_esc(o, cev_fr_date(date, s->date));
    pr_raw(o, ".</p>\n<p>Pour le jury, le (la) président(e) : ");
    if (a->president)
        pr_doc_name(o, a->president->last_name, a->president->first_name);
    pr_raw(o, "</p>\n<p class=\"space\"></p>\n");
    if (e) {
        pr_rawf(o, "<p class=\"detail\">Décision enregistrée au journal d'audit, entrée "
                   "n° %ld, empreinte <span class=\"hash\">",
                e->seq);
        pr_esc(o, e->hash);
        pr_raw(o, "</span>.</p>\n");
    }
    pr_raw(o, "</div>\n");
}

static void one_page(pr_out *o, const att *a, const cev_folder_candidate *c, const char *id)
{
    const pr_entry *e = pr_results_current(&a->doc->res, id);
    int decided = e && !e->error;
    pr_raw(o, "<section class=\"page\">\n");
    page_header(o, decided ? e->title
                           : (a->doc->res.ntitles ? a->doc->res.titles[0].json : NULL));
    who(o, a, c, id);
    pr_raw(o, "<h2>Décision du jury</h2>\n");
    if (!decided) {
        pr_raw(o, e ? "<p>Le dossier de ce candidat n'a pas pu être examiné à cette session ; "
                      "une décision sera rendue après sa correction.</p>\n"
                    : "<p>Aucune décision n'est enregistrée pour ce candidat à cette "
                      "session.</p>\n");
        signature(o, a, NULL);
        pr_raw(o, "</section>\n");
        return;
    }
    const char *decision = cev_json_str(e->out, "decision");
    pr_raw(o, "<p class=\"verdict ");
    pr_esc(o, decision);
    pr_raw(o, "\">");
    pr_esc(o, cev_fr_title(decision));
    pr_raw(o, "</p>\n");
    reasons(o, cev_json_get(e->out, "reasons"));
    blocks(o, e);
    signature(o, a, e);
    pr_raw(o, "</section>\n");
}

/* Every candidate asked for is in candidats.csv or the session's entries. */
static cev_code check_ids(const pr_doc *d, const char *const *ids, size_t n, cev_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!cev_folder_find_candidate(d->folder, ids[i]) && !pr_results_current(&d->res, ids[i]))
            return cev_error_set(err, CEV_PROBLEMS, "",
                                 "le candidat %s n'est ni dans candidats.csv ni dans les "
                                 "décisions de la session : vérifier son identifiant",
                                 ids[i]);
    return CEV_OK;
}

static void write_all(pr_out *o, const att *a, const char *const *ids, size_t n)
{
    const pr_doc *d = a->doc;
    pr_page_open(o, "Relevés de décision — session ", d->session->id, NULL);
    if (n) {
        for (size_t i = 0; i < n; i++)
            one_page(o, a, cev_folder_find_candidate(d->folder, ids[i]), ids[i]);
    } else {
        for (size_t i = 0; i < d->ncandidates; i++)
            one_page(o, a, &d->candidates[i], d->candidates[i].id);
        for (size_t i = 0; i < d->res.ncurrent; i++) { /* decided, not in candidats.csv */
            const pr_entry *e = &d->res.entries[d->res.current[i].index];
            if (!e->error && pr_doc_position(d, e->candidate) == d->ncandidates)
                one_page(o, a, NULL, e->candidate);
        }
    }
    pr_page_close(o);
}

cev_code cev_print_attestations(cev_buf *out, const char *audit_dir, const char *folder_dir,
                                const char *const *ids, size_t n, cev_errlist *problems,
                                cev_error *err)
{
    pr_doc d;
    cev_code rc = pr_doc_load(&d, audit_dir, folder_dir, problems, err);
    if (rc == CEV_OK)
        rc = check_ids(&d, ids, n, err);
    if (rc == CEV_OK) {
        att a = {&d, NULL};
        for (size_t i = 0; i < d.njury; i++)
            if (d.jury[i].president)
                a.president = &d.jury[i];
        size_t mark = out->len;
        pr_out o = {out, CEV_OK};
        write_all(&o, &a, ids, n);
        rc = o.rc;
        if (rc != CEV_OK) {
            cev_buf_truncate(out, mark);
            cev_error_nomem(err);
        }
    }
    pr_doc_close(&d);
    return rc;
}
