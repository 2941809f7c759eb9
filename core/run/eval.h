/*
 * eval.h - one `eval` run: the lines of the session files, in order, handed
 * to the workers; the records taken back in input order, each file being a
 * session (a repeated candidate id is refused), logged in the audit store
 * when there is one, and written to the destination.
 *
 * Group commit: the audit entries of the records written reach the disk
 * (cev_audit_sync) before the records are written, about every MiB and at
 * the end, so that a record handed out is always logged.
 *
 * Lines are numbered per file from 1; blank lines are skipped; a line may
 * end in "\n" or "\r\n" (the terminator is not part of the record nor of its
 * input hash); a line over CEV_MAX_RECORD bytes gets an E_JSON error record
 * and is never held in memory whole (lines.h).
 *
 * Caller-owned: cev_eval_open() / cev_eval_close(); the engine, the audit
 * store, the destination and the source names are borrowed for the run.
 */
#ifndef CEV_EVAL_H
#define CEV_EVAL_H

#include "audit/audit.h"
#include "decide/pipeline.h"

#include <stdio.h>

typedef struct cev_eval_report {
    long records, errors;
    long undecided; /* error records of lines the machine could not decide */
    long unread;    /* among them, lines whose candidate id was not read */
} cev_eval_report;

/* Told on the committer thread, in input order; members may be NULL. */
typedef struct cev_eval_hooks {
    void *ctx;
    /* a record that gave an error record (already written to the output) */
    void (*error)(void *ctx, const char *source, long line, const char *candidate,
                  const cev_error *e);
    /* after each record */
    void (*progress)(void *ctx, long records, long errors);
    /* records are about to be written to the destination */
    void (*output)(void *ctx);
} cev_eval_hooks;

typedef struct cev_eval cev_eval;

/* `sources` names the nsources files the run will read (messages, log). */
int cev_eval_open(cev_eval **out, const cev_engine *eng, cev_audit *audit, FILE *dest,
                  const char *dest_name, const char *const *sources, size_t nsources,
                  unsigned threads, int allow_draft, const cev_eval_hooks *hooks, cev_error *err);
/* Hands every line of source `index` (read from `in`) to the workers.
 * CEV_OK; 1 when the run was stopped by a failure of the log or the
 * destination (cev_eval_finish says which); or a negative code with err:
 * the file could not be read or memory ran out (the lines before are still
 * decided, written and logged). */
int cev_eval_stream(cev_eval *ev, size_t index, FILE *in, cev_error *err);
/* Waits for every line handed over, then writes what is left.  CEV_OK with
 * `rep` filled; else a negative code with err (the log or the destination
 * could not be written, a worker could not run): rep counts what was done. */
int cev_eval_finish(cev_eval *ev, cev_eval_report *rep, cev_error *err);
void cev_eval_close(cev_eval *ev);

#endif
