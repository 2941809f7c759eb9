/* pv_jury.c - the PV's jury and its signature block (pv.h).
 *
 * The jury printed is the one the decided records name: a refused record
 * (a jury that breaks the rules, say) defines nothing.  Names and the
 * president come from jury.csv; a member whose decided records give two
 * profiles, or another profile than jury.csv's, or who is missing from
 * jury.csv, is flagged. */
#include "print/pv.h"

#include <stdlib.h>
#include <string.h>

/* ---- the jury ---------------------------------------------------------- */

/* A member seen in the decided records: the profiles they were given. */
typedef struct seen {
    const char *id;
    int professional, trainer, other;
} seen;

static seen *seen_find(seen *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].id, id) == 0)
            return &list[i];
    return NULL;
}

/* The members of the decided records' juries, in order of first
 * appearance (a session's jury is a handful: a linear search will do). */
static cev_code jury_seen(const pv *p, seen **out, size_t *n)
{
    seen *list = NULL;
    size_t cap = 0;
    *n = 0;
    const pr_results *r = &p->doc->res;
    for (size_t i = 0; i < r->n; i++) {
        if (r->entries[i].error)
            continue;
        const cJSON *jury = cev_json_get(r->entries[i].in, "jury");
        for (const cJSON *j = cJSON_IsArray(jury) ? jury->child : NULL; j; j = j->next) {
            const char *id = cev_json_str(j, "id"), *profile = cev_json_str(j, "profile");
            seen *s = seen_find(list, *n, id);
            if (s == NULL) {
                if (*n == cap) {
                    size_t more = cap ? 2 * cap : 8;
                    seen *grown = realloc(list, more * sizeof *grown);
                    if (grown == NULL) {
                        free(list);
                        return CEV_ENOMEM;
                    }
                    list = grown;
                    cap = more;
                }
                s = &list[(*n)++];
                *s = (seen){id, 0, 0, 0};
            }
            s->professional |= strcmp(profile, "professional") == 0;
            s->trainer |= strcmp(profile, "trainer") == 0;
            s->other |= strcmp(profile, "professional") != 0 && strcmp(profile, "trainer") != 0;
        }
    }
    *out = list;
    return CEV_OK;
}

static void profiles(pr_out *o, const seen *s)
{
    const char *sep = "";
    if (s->professional) {
        pr_raw(o, cev_fr_profile("professional"));
        sep = " / ";
    }
    if (s->trainer) {
        pr_raw(o, sep);
        pr_raw(o, cev_fr_profile("trainer"));
        sep = " / ";
    }
    if (s->other) {
        pr_raw(o, sep);
        pr_raw(o, "profil inconnu");
    }
}

static void jury_row(pr_out *o, const seen *s, const cev_folder_member *m)
{
    pr_raw(o, "<tr><td>");
    pr_doc_name(o, m ? m->last_name : NULL, m ? m->first_name : NULL);
    pr_raw(o, "</td><td class=\"id\">");
    pr_esc(o, s->id);
    pr_raw(o, "</td><td>");
    profiles(o, s);
    pr_raw(o, "</td><td>");
    if (m && m->president)
        pr_raw(o, "<b>Président(e) du jury</b>");
    else
        pr_raw(o, "Membre");
    pr_raw(o, "</td></tr>\n");
}

/* Warnings: one id with two profiles; a profile other than jury.csv's. */
static void jury_warnings(pr_out *o, const seen *list, size_t n, const pv *p)
{
    for (size_t i = 0; i < n; i++) {
        const seen *s = &list[i];
        const cev_folder_member *m = cev_folder_find_member(p->doc->folder, s->id);
        if (s->professional + s->trainer + s->other > 1) {
            pr_raw(o, "<p class=\"warn\">Le membre ");
            pr_esc(o, s->id);
            pr_raw(o, " figure avec deux profils différents dans les dossiers décidés (");
            profiles(o, s);
            pr_raw(o, ") : la composition du jury est à vérifier.</p>\n");
        } else if (m && m->profile &&
                   ((s->professional && strcmp(m->profile, "professional") != 0) ||
                    (s->trainer && strcmp(m->profile, "trainer") != 0))) {
            pr_raw(o, "<p class=\"warn\">Le profil du membre ");
            pr_esc(o, s->id);
            pr_raw(o, " dans les dossiers décidés (");
            profiles(o, s);
            pr_raw(o, ") diffère de celui de jury.csv (");
            pr_esc(o, cev_fr_profile(m->profile));
            pr_raw(o, ").</p>\n");
        } else if (m == NULL) {
            pr_raw(o, "<p class=\"warn\">Le membre ");
            pr_esc(o, s->id);
            pr_raw(o, " a siégé selon les dossiers décidés mais ne figure pas dans "
                      "jury.csv.</p>\n");
        }
    }
}

void pr_pv_jury(pr_out *o, const pv *p)
{
    seen *list = NULL;
    size_t n = 0;
    if (o->rc == CEV_OK)
        o->rc = jury_seen(p, &list, &n);
    pr_raw(o, "<h2>Jury</h2>\n");
    if (n == 0)
        pr_raw(o, "<p>Aucun dossier décidé : aucun membre du jury n'est attesté par le "
                  "journal.</p>\n");
    else {
        pr_raw(o, "<table><colgroup><col style=\"width:40%\"><col style=\"width:14%\">"
                  "<col style=\"width:26%\"><col style=\"width:20%\"></colgroup>\n"
                  "<thead><tr><th>Nom</th><th>Identifiant</th><th>Profil</th><th>Rôle</th>"
                  "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < n; i++)
            jury_row(o, &list[i], cev_folder_find_member(p->doc->folder, list[i].id));
        pr_raw(o, "</tbody></table>\n");
    }
    jury_warnings(o, list, n, p);
    /* jury.csv's members no decided record names */
    int any = 0;
    for (size_t i = 0; i < p->doc->njury; i++) {
        const cev_folder_member *m = &p->doc->jury[i];
        if (seen_find(list, n, m->id))
            continue;
        pr_raw(o, any++ ? ", " : "<p>Membres de jury.csv absents des dossiers décidés : ");
        pr_doc_name(o, m->last_name, m->first_name);
        pr_raw(o, " (");
        pr_esc(o, m->id);
        pr_raw(o, m->president ? ", président(e))" : ")");
    }
    if (any)
        pr_raw(o, ".</p>\n");
    free(list);
}

static void signature_row(pr_out *o, const cev_folder_member *m, const char *id, int president)
{
    pr_raw(o, "<tr><td>");
    pr_doc_name(o, m ? m->last_name : NULL, m ? m->first_name : NULL);
    pr_raw(o, "<span class=\"note\">");
    pr_esc(o, id);
    pr_raw(o, "</span></td><td>");
    pr_raw(o, president ? "Président(e) du jury" : "Membre du jury");
    pr_raw(o, "</td><td></td></tr>\n");
}

void pr_pv_signatures(pr_out *o, const pv *p)
{
    const cev_folder_session *s = p->doc->session;
    char date[32];
    pr_raw(o, "<section class=\"signatures\">\n<h2>Signatures</h2>\n<p>Fait");
    if (s->place && s->place[0]) {
        pr_raw(o, " à ");
        pr_esc(o, s->place);
    }
    pr_raw(o, ", le ");
    pr_esc(o, cev_fr_date(date, s->date));
    pr_raw(o, ".</p>\n<table><colgroup><col style=\"width:40%\"><col style=\"width:22%\">"
              "<col></colgroup>\n<thead><tr><th>Nom</th><th>Qualité</th><th>Signature</th>"
              "</tr></thead><tbody>\n");
    seen *list = NULL;
    size_t n = 0;
    if (o->rc == CEV_OK)
        o->rc = jury_seen(p, &list, &n);
    const cev_folder_member *president = NULL;
    for (size_t i = 0; i < p->doc->njury; i++)
        if (p->doc->jury[i].president)
            president = &p->doc->jury[i];
    if (president)
        signature_row(o, president, president->id, 1);
    for (size_t i = 0; i < n; i++) {
        const cev_folder_member *m = cev_folder_find_member(p->doc->folder, list[i].id);
        if (m != president)
            signature_row(o, m, list[i].id, 0);
    }
    free(list);
    pr_raw(o, "</tbody></table>\n</section>\n");
}

