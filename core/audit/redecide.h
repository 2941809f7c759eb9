/*
 * redecide.h - deciding the entries of an audit store again (replay, diff).
 *
 * Each logged entry becomes a job of the worker ring (parallel.h), to be
 * decided by the engine the caller names; the entries of one file of one
 * run share a session, as that file's lines did in eval (a repeated
 * candidate id is refused again).  The caller's function is handed, on the
 * committer thread and in log order, the logged record beside the record
 * decided now.
 *
 * Caller-owned: cev_redecide_open() / cev_redecide_close().  Engines are
 * borrowed and must outlive the run.
 */
#ifndef CEV_REDECIDE_H
#define CEV_REDECIDE_H

#include "audit/audit.h"
#include "decide/pipeline.h"

/* cev_redecided, what the function is handed: certeval/certeval.h. */

/* Called in log order on the committer thread; a non-zero return stops the
 * run and is returned by cev_redecide_finish(). */
typedef int (*cev_redecide_fn)(void *ctx, cev_redecided *r);

typedef struct cev_redecide cev_redecide;

cev_code cev_redecide_open(cev_redecide **out, unsigned threads, cev_redecide_fn fn, void *ctx,
                      cev_error *err);
/* Registers an engine; its index for cev_redecide_feed(), or -1 (too many). */
int cev_redecide_engine(cev_redecide *r, const cev_engine *e);
/* Hands entry `e` to the workers, to be decided by engine `engine`.
 * CEV_OK; CEV_ENOMEM; or CEV_STOPPED when the run was stopped (by the function, or
 * because this machine could not decide an entry: finish says which). */
cev_code cev_redecide_feed(cev_redecide *r, const cev_entry *e, int engine, cev_error *err);
/* Waits for every entry fed to be handed over.  CEV_OK; the function's
 * non-zero return; or a negative code with `err` filled: a worker could not
 * run, or this machine could not decide an entry (out of memory): it is no
 * decision to compare, so the run stops there. */
cev_code cev_redecide_finish(cev_redecide *r, cev_error *err);
void cev_redecide_close(cev_redecide *r);

#endif
