/* doc.c - the session folder and the store, read together (doc.h). */
#include "print/doc.h"

#include "print/html.h"

#include <string.h>

cev_code pr_doc_load(pr_doc *d, const char *audit_dir, const char *folder_dir,
                     cev_errlist *problems, cev_error *err)
{
    memset(d, 0, sizeof *d);
    cev_error_clear(err);
    int rc = cev_folder_read(&d->folder, folder_dir, problems, err);
    if (rc != CEV_OK)
        return rc;
    d->session = cev_folder_session_info(d->folder);
    d->candidates = cev_folder_candidates(d->folder, &d->ncandidates);
    d->jury = cev_folder_jury(d->folder, &d->njury);
    rc = pr_results_load(&d->res, audit_dir, d->session->id, err);
    if (rc == CEV_OK && d->res.n == 0)
        rc = cev_error_set(err, CEV_PROBLEMS, "",
                           "le registre d'audit %s ne contient aucune décision de la session "
                           "%s : importer le dossier puis évaluer ses fiches avec ce registre "
                           "(certeval import, puis certeval eval -a %s)",
                           audit_dir, d->session->id, audit_dir);
    return rc;
}

void pr_doc_close(pr_doc *d)
{
    pr_results_close(&d->res);
    cev_folder_close(d->folder);
    memset(d, 0, sizeof *d);
}

void pr_doc_name(pr_out *o, const char *last, const char *first)
{
    if (last == NULL) {
        pr_raw(o, "<i>(absent du dossier de session)</i>");
        return;
    }
    pr_elem(o, "span", "nom", last);
    if (first && first[0]) {
        pr_raw(o, " ");
        pr_esc(o, first);
    }
}

size_t pr_doc_position(const pr_doc *d, const char *candidate)
{
    /* the folder's lookup points into the array of candidates in file order */
    const cev_folder_candidate *c = cev_folder_find_candidate(d->folder, candidate);
    if (c == NULL || c < d->candidates || c >= d->candidates + d->ncandidates)
        return d->ncandidates;
    return (size_t)(c - d->candidates);
}

/* The block of the title that `got`, acquired on `date`, counts as through
 * the title's equivalences ("code", or {"block", "acquired_before"}), or "". */
static const char *equivalent_of(const cJSON *eq, const char *got, const char *date)
{
    const cJSON *v = cev_json_get(eq, got);
    if (cJSON_IsString(v))
        return v->valuestring;
    const char *before = cev_json_str(v, "acquired_before");
    return before[0] && strcmp(date, before) >= 0 ? "" : cev_json_str(v, "block");
}

const char *pr_acquired_on(const pr_entry *e, const cJSON *block, const char **from)
{
    *from = NULL;
    const char *code = cev_json_str(block, "code");
    if (strcmp(cev_json_str(block, "decision"), "validated") != 0)
        return "";
    const char *session = cev_json_str(cev_json_get(e->out, "session"), "date");
    const char *source = cev_json_str(block, "source");
    if (strcmp(source, "evaluated") == 0)
        return session;
    /* the entry the rules credited: dated on or before the session, naming
     * the block itself (capitalised) or one that counts as it (equivalence) */
    int direct = strcmp(source, "capitalised") == 0;
    const cJSON *list = cev_json_get(e->in, "acquired_blocks");
    const cJSON *eq = cev_json_get(e->title, "equivalences");
    for (const cJSON *i = cJSON_IsArray(list) ? list->child : NULL; i; i = i->next) {
        const char *got = cev_json_str(i, "block"), *date = cev_json_str(i, "date");
        if (strcmp(date, session) > 0)
            continue;
        if (direct ? strcmp(got, code) == 0 : strcmp(equivalent_of(eq, got, date), code) == 0) {
            *from = got;
            return date;
        }
    }
    return "";
}
