/*
 * parallel.h - decides records on several worker threads and hands them back
 * in input order.
 *
 * The producer (the caller's thread) fills jobs in input order; `threads`
 * workers, each with its own cev_worker per engine (its own Lua states),
 * decide them concurrently; one committer thread calls `commit` on each job
 * strictly in the order the jobs were submitted.  The ring holds `queue`
 * jobs, so memory does not grow with the number of records: the producer
 * waits while the ring is full.  Every record is decided independently and
 * committed in order, so the output is the same bytes for every thread count.
 * Workers take, and the committer commits, runs of jobs: one wake-up per
 * batch rather than per record.
 *
 * Engines are read-only and shared; the caller keeps them alive until
 * cev_par_close().  Jobs belong to the ring: the producer fills the job that
 * cev_par_next() returns, then cev_par_submit()s it.  A producer that cannot
 * fill it (out of memory) stops producing: the job is dropped, and
 * cev_par_finish() commits the jobs submitted before it.
 */
#ifndef CEV_PARALLEL_H
#define CEV_PARALLEL_H

#include "base/buf.h"
#include "base/error.h"
#include "decide/pipeline.h"
#include "decide/session.h"

#include <stddef.h>

/* Engines a run may register: replay registers one per catalog of the
 * store (one per run whose packages differed), so years of sessions may need
 * many.  Each worker thread keeps the Lua states of at most
 * CEV_PAR_OPEN_ENGINES of them, the most recently used. */
#define CEV_PAR_MAX_ENGINES 4096
#define CEV_PAR_OPEN_ENGINES 8

/* Jobs a worker takes, and the producer signals, at a time: hand-offs cost
 * futex wake-ups, so they are made per batch, not per record.  The ring
 * holds at least CEV_PAR_BATCH * (threads + 2) jobs, whatever `queue` asks:
 * room for every worker's batch. */
#define CEV_PAR_BATCH 16

typedef struct cev_job {
    /* set by the producer */
    cev_buf input;       /* the line, without its terminator */
    size_t too_long;     /* > 0: a line of that many bytes over the limit */
    long lineno;
    int engine;          /* index returned by cev_par_engine() */
    int allow_draft;
    long tag;            /* which file the line belongs to */
    long run;            /* which run (replay: the logged run; eval: 0) */
    /* the producer's, handed to the committer as they are (workers never
     * read them): e.g. an audit entry's number, flags and logged record */
    long ref;
    unsigned marks;
    cev_buf carried;
    /* set by the worker */
    cev_buf out;         /* the record, with its '\n' */
    int has_candidate;
    cev_buf candidate;
    int status;          /* CEV_OK or the record's error code */
    int undecided;       /* the machine, not the record, failed: the error record
                          * stands for a line not decided (cev_worker.undecided) */
    cev_error err;
} cev_job;

typedef struct cev_par cev_par;

/* Called in input order on the committer thread; a non-zero return stops
 * the run and is returned by cev_par_finish(). */
typedef int (*cev_par_commit_fn)(void *ctx, cev_job *job);

cev_code cev_par_open(cev_par **out, unsigned threads, size_t queue, cev_par_commit_fn commit,
                 void *ctx, cev_error *err);
/* Registers an engine; returns its index for cev_job.engine, or -1. */
int cev_par_engine(cev_par *p, const cev_engine *e);
/* A free job (reset) to fill, waiting while the ring is full; NULL once the
 * run was stopped by a commit. */
cev_job *cev_par_next(cev_par *p);
void cev_par_submit(cev_par *p, cev_job *job);
/* Waits for every submitted job to be committed; the first non-zero commit
 * status, or a negative code when a worker could not run. */
int cev_par_finish(cev_par *p);
void cev_par_close(cev_par *p);

/* The committing side of a session: when the job's tag (its file, named
 * `file`) differs from *tag, the session enters that file (emptied when
 * job->run changes); then appends the job's record to `out` and commits it
 * to the session (a repeated candidate becomes an E_SCHEMA record).  Returns the record's final status, or CEV_ENOMEM or CEV_EIO
 * with job->err saying why nothing could be committed. */
cev_code cev_job_commit(cev_job *job, cev_session *session, long *tag, const char *file,
                        cev_buf *out);

/* cev_online_cpus(), the default number of workers, is public. */

#endif
