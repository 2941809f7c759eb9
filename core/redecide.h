/*
 * redecide.h - deciding a logged record again (replay, diff): its input
 * through a worker, within the session rebuilt for its file, with the
 * logged --allow-draft, exactly as eval decided it.
 */
#ifndef CEV_REDECIDE_H
#define CEV_REDECIDE_H

#include "audit.h"
#include "buf.h"
#include "pipeline.h"
#include "session.h"

/* The sessions of the log: one per (run, source), as eval had one per
 * file.  Entries of one file are contiguous in the log. */
typedef struct cev_resession {
    cev_session session;
    long run;
    char *source;
} cev_resession;

void cev_resession_init(cev_resession *r);
void cev_resession_close(cev_resession *r);
/* The session for entry e (a fresh one when its file changed). */
cev_session *cev_resession_for(cev_resession *r, const cev_entry *e);

/* Appends the record entry e's input gives now (with its '\n') to out.
 * Returns the record's status, or CEV_ENOMEM. */
int cev_redecide(cev_worker *w, cev_session *s, const cev_entry *e, cev_buf *out,
                 cev_error *err);

#endif
