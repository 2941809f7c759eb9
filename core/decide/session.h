/*
 * session.h - what a session file adds to the decision of each of its lines:
 * a candidate id appears once per run, all its files together (a repeat
 * gets an E_SCHEMA error record naming the file and line of the first; the ids are kept in a cev_idstore, in memory
 * that does not grow with the file), and a line over CEV_MAX_RECORD bytes gets
 * an E_JSON error record.
 *
 * Lines are committed in input order, one session per run (eval, replay
 * and diff); replay and diff re-decide as a decision a repeat from another
 * file that a store logged before ids were unique per run logged as one,
 * so that such stores still replay byte for byte (redecide.c).  Caller-owned: cev_session_init() / cev_session_close().
 */
#ifndef CEV_SESSION_H
#define CEV_SESSION_H

#include "base/buf.h"
#include "base/error.h"
#include "base/idstore.h"

#include <stddef.h>

typedef struct cev_session {
    cev_idstore seen; /* candidate ids and where they first appeared */
    /* the names of the run's files so far (owned), the current one,
     * the run; and whether the last commit refused a repeat of an id first
     * seen in another file (replay tells old stores by it) */
    char **names;
    size_t nnames, names_cap;
    long file, run;
    int cross_file;
} cev_session;

void cev_session_init(cev_session *s);
void cev_session_close(cev_session *s);

/* A new file of the run `run` starts: a new run empties
 * the session.  CEV_OK or CEV_ENOMEM (err set). */
cev_code cev_session_enter(cev_session *s, long run, const char *name, cev_error *err);
/* Commits the record a worker wrote for line `lineno` at out->data[mark..]
 * with status `status` (CEV_OK or a record code): when `candidate` was seen
 * earlier in the session, the record is replaced by an E_SCHEMA error record.
 * Returns the record's final status, with `err` describing an error record;
 * CEV_ENOMEM or CEV_EIO (the ids spilled to a temporary file cannot be read
 * back), with `err` saying so, when nothing could be decided or written. */
cev_code cev_session_commit(cev_session *s, const char *candidate, long lineno, cev_buf *out,
                       size_t mark, int status, cev_error *err);

/* Writes the error record of a line of `len` bytes, over the maximum. */
cev_code cev_session_too_long(long lineno, size_t len, cev_buf *out, cev_error *err);

/* A line holding only blanks gives no record at all. */
int cev_session_line_is_blank(const char *s, size_t len);

#endif
