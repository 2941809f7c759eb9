/*
 * session.h - what a session file adds to the decision of each of its lines:
 * a candidate id appears once per run, all its files together (a repeat
 * gets an E_SCHEMA error record naming the file and line of the first; the ids are kept in a cev_idstore, in memory
 * that does not grow with the file), and a line over CEV_MAX_RECORD bytes gets
 * an E_JSON error record.
 *
 * Lines are committed in input order, one session per run (eval) or per
 * file (replay and diff, which rebuild from the audit log the sessions of
 * the stores logged before ids were unique per run, byte for byte).  Caller-owned: cev_session_init() / cev_session_close().
 */
#ifndef CEV_SESSION_H
#define CEV_SESSION_H

#include "base/buf.h"
#include "base/error.h"
#include "base/idstore.h"

#include <stddef.h>

typedef struct cev_session {
    cev_idstore seen; /* candidate ids and where they first appeared */
    /* Set by the caller after init for a session that spans every file of a
     * run (eval): the files' names, by tag, and the tag of the file whose
     * lines are being committed.  NULL: one session per file (replay and
     * diff, which re-decide stores logged when ids were unique per file). */
    const char *const *files;
    long file;
} cev_session;

void cev_session_init(cev_session *s);
void cev_session_close(cev_session *s);

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
