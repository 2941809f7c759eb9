/*
 * redecide.c - deciding logged entries again: the producer's side turns
 * entries into jobs; the committer's side gives each job's record its
 * file's session, as eval did, and hands it over.
 */
#include "audit/redecide.h"

#include "decide/parallel.h"
#include "decide/session.h"

#include <stdlib.h>
#include <string.h>

/* The job's marks (cev_job.marks). */
#define LOGGED_UNDECIDED 1u

struct cev_redecide {
    cev_par *par;
    cev_redecide_fn fn;
    void *ctx;
    /* the producer's: which file (session) of which run is being fed */
    long feed_tag, feed_run, feed_line;
    cev_buf feed_source;
    /* the committer's */
    cev_session session;
    long session_tag;
    cev_buf now;
    int failed;        /* the machine could not decide an entry now */
    cev_error failure; /* why */
};

/* Committer: the job's record, given its session; hands it over. */
static int commit(void *ctx, cev_job *job)
{
    cev_redecide *r = ctx;
    if (job->undecided) { /* not a decision to compare: stop */
        cev_error_set(&r->failure, CEV_ENOMEM, "", "entry %ld: %s", job->ref,
                      job->err.message);
        r->failed = 1;
        return CEV_ENOMEM;
    }
    cev_buf_reset(&r->now);
    const char *source = job->carried.data;
    const char *logged = source + strlen(source) + 1;
    int rc = cev_job_commit(job, &r->session, &r->session_tag, source, &r->now);
    if (rc == CEV_ENOMEM || rc == CEV_EIO) {
        cev_error_set(&r->failure, rc, "", "entry %ld: %s", job->ref, job->err.message);
        r->failed = 1;
        return rc;
    }
    /* ids are unique per run since issue 20: a store logged before decided
     * a repeat from another file of the run; re-decide it as it was then
     * (such a record is logged as a decision, never as an error record) */
    if (rc == CEV_ESCHEMA && r->session.cross_file && strstr(logged, "\"error\":{") == NULL) {
        cev_buf_reset(&r->now);
        if (cev_buf_append(&r->now, job->out.data, job->out.len) != CEV_OK) {
            cev_error_nomem(&r->failure);
            r->failed = 1;
            return CEV_ENOMEM;
        }
    }
    r->now.data[--r->now.len] = '\0'; /* the '\n' */
    cev_redecided d = {
        .seq = job->ref,
        .source = source,
        .line = job->lineno,
        .engine = job->engine,
        .logged = logged,
        .input = job->too_long ? NULL : job->input.data,
        .input_len = job->too_long ? 0 : job->input.len,
        .logged_undecided = (job->marks & LOGGED_UNDECIDED) != 0,
        .now = r->now.data,
    };
    return r->fn(r->ctx, &d);
}

cev_code cev_redecide_open(cev_redecide **out, unsigned threads, cev_redecide_fn fn, void *ctx,
                      cev_error *err)
{
    *out = NULL;
    cev_redecide *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cev_error_nomem(err);
    r->fn = fn;
    r->ctx = ctx;
    r->feed_tag = r->feed_run = -1;
    cev_buf_init(&r->feed_source);
    cev_session_init(&r->session);
    cev_buf_init(&r->now);
    int rc = cev_par_open(&r->par, threads, 8 * (size_t)threads + 8, commit, r, err);
    if (rc != CEV_OK) {
        cev_redecide_close(r);
        return rc;
    }
    *out = r;
    return CEV_OK;
}

int cev_redecide_engine(cev_redecide *r, const cev_engine *e)
{
    return cev_par_engine(r->par, e);
}

/* Fills a job from entry e: a new file (of a new run) starts a new session;
 * so does a line that does not follow the last one, for the lines of one
 * file come in increasing order: the same file named again in one run
 * (`eval a.jsonl a.jsonl`) was a session of its own. */
static int job_from_entry(cev_redecide *r, cev_job *job, const cev_entry *e, int engine)
{
    if (e->run != r->feed_run || r->feed_source.data == NULL ||
        strcmp(r->feed_source.data, e->source) != 0 ||
        e->line <= r->feed_line) { /* one file given twice in a row: lines restart */
        r->feed_tag++;
        r->feed_run = e->run;
        cev_buf_reset(&r->feed_source);
        if (cev_buf_puts(&r->feed_source, e->source) != CEV_OK)
            return CEV_ENOMEM;
    }
    r->feed_line = e->line;
    job->tag = r->feed_tag;
    job->run = e->run;
    job->engine = engine;
    job->allow_draft = e->allow_draft;
    job->lineno = e->line;
    job->ref = e->seq;
    job->marks = e->undecided ? LOGGED_UNDECIDED : 0;
    if (e->input == NULL)
        job->too_long = e->input_size;
    /* carried: the source, NUL, the logged record */
    if ((e->input && cev_buf_append(&job->input, e->input, e->input_len) != CEV_OK) ||
        cev_buf_append(&job->carried, e->source, strlen(e->source) + 1) != CEV_OK ||
        cev_buf_puts(&job->carried, e->output) != CEV_OK)
        return CEV_ENOMEM;
    return CEV_OK;
}

cev_code cev_redecide_feed(cev_redecide *r, const cev_entry *e, int engine, cev_error *err)
{
    cev_job *job = cev_par_next(r->par);
    if (job == NULL) /* the run was stopped by a commit */
        return CEV_STOPPED;
    if (job_from_entry(r, job, e, engine) != CEV_OK)
        return cev_error_nomem(err);
    cev_par_submit(r->par, job);
    return CEV_OK;
}

cev_code cev_redecide_finish(cev_redecide *r, cev_error *err)
{
    int rc = cev_par_finish(r->par);
    if (r->failed) {
        *err = r->failure;
        return r->failure.code;
    }
    if (rc < 0)
        return cev_error_set(err, rc, "", "%s", cev_strerror(rc));
    return rc;
}

void cev_redecide_close(cev_redecide *r)
{
    if (r == NULL)
        return;
    cev_par_close(r->par);
    cev_buf_close(&r->feed_source);
    cev_session_close(&r->session);
    cev_buf_close(&r->now);
    free(r);
}
