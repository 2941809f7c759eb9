/*
 * query.h - which logged entries hold the current decisions: a session's
 * (minutes, and the session's documents) or one candidate's (explain).
 *
 * A session's entries: those whose record names the session (or, for an
 * error record, whose input record does), and the error records of no
 * readable session whose file (one source of one run) holds entries of the
 * session.  A candidate decided in several runs counts by its latest run:
 * the entries of earlier runs are superseded.  Within a run every entry is
 * kept (a line refused because its id appeared earlier in the file is kept
 * beside that earlier decision), and so is every entry whose candidate id
 * could not be read.
 *
 * A candidate's current decision: in its latest run, its decision record
 * when it has one, else its latest entry.
 *
 * Caller-owned: cev_query_session() or cev_query_candidate() fill it,
 * cev_query_close() frees it (also after a failure).
 */
#ifndef CEV_QUERY_H
#define CEV_QUERY_H

#include "audit/audit.h"

typedef struct cev_query {
    long *seqs;        /* the entries found, ascending */
    size_t n;
    size_t superseded; /* session: entries of earlier runs set aside */
    long current;      /* candidate: the entry of its current decision (0: none) */
    char *needles[3];  /* what the lines to read hold (NULL-ended), or none */
} cev_query;

/* CEV_OK (q->n may be 0: no entry), or a negative code with err: the log
 * could not be read, an entry's output is unreadable, out of memory. */
int cev_query_session(cev_query *q, const char *dir, const char *session, cev_error *err);
int cev_query_candidate(cev_query *q, const char *dir, const char *candidate, cev_error *err);

/* Calls fn on each entry found, in log order; stops at fn's first non-zero
 * return, which is returned; CEV_EIO when an entry found is gone (the log
 * changed meanwhile). */
int cev_query_each(const cev_query *q, const char *dir,
                   int (*fn)(const cev_entry *e, void *ctx), void *ctx, cev_error *err);

void cev_query_close(cev_query *q);

#endif
