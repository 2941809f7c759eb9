/*
 * results.h - what a session's documents print from the audit store: the
 * session's entries that count (audit/query.c decides which: a candidate
 * decided in several runs counts by its latest), each parsed, with the
 * title package stored beside its decision, the seal of the session's last
 * entry and of the log's head.
 *
 * The documents never re-decide: everything comes from the logged output
 * and input records, read only after the chain was checked.
 *
 * Caller-owned: pr_results_load() fills it, pr_results_close() frees it
 * (also after a failure).
 */
#ifndef CEV_PRINT_RESULTS_H
#define CEV_PRINT_RESULTS_H

#include "certeval/certeval.h"

#include <stddef.h>

/* One logged entry of the session. */
typedef struct pr_entry {
    long seq;
    char hash[65];
    char *source;          /* the file it was read from, and its line */
    long line;
    cJSON *out;            /* the output record */
    cJSON *in;             /* the input record, or NULL (malformed, or not kept) */
    int error;             /* out is an error record */
    const char *candidate; /* into out; "" when its id could not be read */
    const cJSON *title;    /* a decision's stored title.json (owned by the results), else NULL */
} pr_entry;

typedef struct pr_stored_title {
    char *key; /* "sha256/path" of the package */
    cJSON *json;
} pr_stored_title;

/* A candidate's current entry: r->entries[index]. */
typedef struct pr_current {
    const char *candidate; /* into that entry */
    size_t index;
} pr_current;

typedef struct pr_results {
    pr_entry *entries; /* in log order */
    size_t n;
    pr_current *current; /* one per candidate id read, sorted by id */
    size_t ncurrent;
    size_t superseded; /* entries of earlier runs set aside */
    long last_seq;     /* the session's last entry */
    char last_hash[65];
    long head_seq;     /* the log's head when the entries were read */
    char head_hash[65];
    pr_stored_title *titles;
    size_t ntitles;
} pr_results;

/* Reads the entries of session `session` from the store `dir`.  CEV_OK
 * (r->n may be 0); CEV_PROBLEMS with err naming the first bad entry when
 * the chain does not hold or a stored package an entry relies on was
 * altered; CEV_EIO (an unreadable store, a stored package missing),
 * CEV_ENOMEM. */
cev_code pr_results_load(pr_results *r, const char *dir, const char *session, cev_error *err);

/* A candidate's current decision: in its latest run, its decision record
 * when it has one, else its latest entry; NULL when the session has none. */
const pr_entry *pr_results_current(const pr_results *r, const char *candidate);

void pr_results_close(pr_results *r);

#endif
