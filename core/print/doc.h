/*
 * doc.h - what every document of a session reads: the session folder (the
 * names, the order of the candidates, the jury's president) and the audit
 * store (the decisions made), joined here and nowhere before.
 *
 * Caller-owned: pr_doc_load() fills it, pr_doc_close() frees it (also after
 * a failure).
 */
#ifndef CEV_PRINT_DOC_H
#define CEV_PRINT_DOC_H

#include "print/results.h"

typedef struct pr_doc {
    cev_folder *folder;
    const cev_folder_session *session;
    const cev_folder_candidate *candidates; /* candidats.csv order */
    size_t ncandidates;
    const cev_folder_member *jury; /* jury.csv order */
    size_t njury;
    pr_results res;
} pr_doc;

/* Reads the folder `folder_dir`, then the session's entries from the store
 * `audit_dir`.  CEV_OK; CEV_PROBLEMS when the folder has problems (in
 * `problems`, err's code CEV_OK) or with err when the chain does not hold
 * (the entry named) or the store holds no entry of the session; CEV_EIO,
 * CEV_ENOMEM with err. */
cev_code pr_doc_load(pr_doc *d, const char *audit_dir, const char *folder_dir,
                     cev_errlist *problems, cev_error *err);
void pr_doc_close(pr_doc *d);

/* "Nom Prénom" of a candidate or a member, escaped, the surname in bold; an
 * unknown person (NULL) reads "(absent du dossier de session)". */
struct pr_out;
void pr_doc_name(struct pr_out *o, const char *last, const char *first);

/* Position of a candidate in candidats.csv, or ncandidates when absent. */
size_t pr_doc_position(const pr_doc *d, const char *candidate);

/* When a validated block of a decision was acquired: the session's date
 * for a block evaluated at it, else the date of the input record's
 * acquired_blocks item behind it (the same code, or one the title maps to
 * it by equivalence), *from being that item's code (else NULL); "" when
 * the block is not validated or the date is not known. */
const char *pr_acquired_on(const pr_entry *e, const cJSON *block, const char **from);

#endif
