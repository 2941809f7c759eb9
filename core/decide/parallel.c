#define _GNU_SOURCE /* sched_getaffinity(): the CPUs this process may run on */
#include "decide/parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Job i lives in slot i % queue.  Invariants, under `mu`:
 *   committed <= taken <= submitted <= committed + queue
 *   slot i is being filled by the producer while submitted <= i < produced;
 *   done[i % queue] is set once a worker has decided job i. */
struct cev_par {
    pthread_mutex_t mu;
    pthread_cond_t can_fill, can_take, can_commit;
    cev_job *jobs;
    unsigned char *done;
    size_t queue;
    size_t produced, submitted, taken, committed;
    int stopping;    /* the producer has finished */
    int stop_status; /* the first non-zero commit status, or a failure */
    const cev_engine *engines[CEV_PAR_MAX_ENGINES];
    size_t nengines;
    pthread_t *workers;
    unsigned nworkers; /* started */
    pthread_t committer;
    int committer_started;
    cev_par_commit_fn commit;
    void *ctx;
};

cev_code cev_job_commit(cev_job *job, cev_session *session, long *tag, const char *file,
                        cev_buf *out)
{
    if (job->tag != *tag || session->nnames == 0) { /* a new file */
        if (cev_session_enter(session, job->run, file, &job->err) != CEV_OK)
            return CEV_ENOMEM;
        *tag = job->tag;
    }
    size_t mark = out->len;
    if (job->status == CEV_ENOMEM || cev_buf_append(out, job->out.data, job->out.len) != CEV_OK)
        return cev_error_nomem(&job->err);
    return cev_session_commit(session, job->has_candidate ? job->candidate.data : NULL,
                              job->lineno, out, mark, job->status, &job->err);
}

unsigned cev_online_cpus(void)
{
    cpu_set_t set;
    long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                         : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > CEV_MAX_THREADS ? CEV_MAX_THREADS : (unsigned)n;
}

/* One worker thread's cev_workers: one per engine it decides for, made on
 * first use, at most CEV_PAR_OPEN_ENGINES; the least recently used is closed
 * to make room (a replay goes through a store's catalogs one after the
 * other).  Closing one changes no output: a decision never depends on what
 * the state decided before. */
typedef struct thread_state {
    struct {
        unsigned long used; /* 0: free */
        int engine;
        cev_worker w;
    } open[CEV_PAR_OPEN_ENGINES];
    unsigned long clock;
} thread_state;

/* The worker for engine e, opened if needed; NULL when out of memory. */
static cev_worker *worker_for(cev_par *p, thread_state *ts, int e)
{
    size_t pick = 0; /* a free one, else the least recently used */
    for (size_t i = 0; i < CEV_PAR_OPEN_ENGINES; i++) {
        if (ts->open[i].used && ts->open[i].engine == e) {
            ts->open[i].used = ++ts->clock;
            return &ts->open[i].w;
        }
        if (ts->open[i].used < ts->open[pick].used)
            pick = i;
    }
    if (ts->open[pick].used)
        cev_worker_close(&ts->open[pick].w);
    ts->open[pick].used = 0;
    if (cev_worker_init(&ts->open[pick].w, p->engines[e]) != CEV_OK)
        return NULL;
    ts->open[pick].engine = e;
    ts->open[pick].used = ++ts->clock;
    return &ts->open[pick].w;
}

static void decide(cev_par *p, thread_state *ts, cev_job *job)
{
    cev_buf_reset(&job->out);
    cev_buf_reset(&job->candidate);
    job->has_candidate = job->undecided = 0;
    cev_error_clear(&job->err);
    if (job->too_long) {
        job->status = cev_session_too_long(job->lineno, job->too_long, &job->out, &job->err);
        return;
    }
    cev_worker *w = worker_for(p, ts, job->engine);
    if (w == NULL) {
        job->status = CEV_ENOMEM;
        return;
    }
    w->allow_draft = job->allow_draft;
    job->status = cev_worker_eval(w, job->input.data ? job->input.data : "", job->input.len,
                                  job->lineno, &job->out, &job->err);
    job->undecided = w->undecided;
    if (w->rec.candidate) {
        job->has_candidate = cev_buf_puts(&job->candidate, w->rec.candidate) == CEV_OK;
        if (!job->has_candidate)
            job->status = CEV_ENOMEM;
    }
}

static void *worker_main(void *arg)
{
    cev_par *p = arg;
    thread_state *ts = calloc(1, sizeof *ts);
    pthread_mutex_lock(&p->mu);
    if (ts == NULL && !p->stop_status)
        p->stop_status = CEV_ENOMEM;
    for (;;) {
        while (p->taken == p->submitted && !p->stopping && !p->stop_status)
            pthread_cond_wait(&p->can_take, &p->mu);
        if (p->taken == p->submitted || ts == NULL)
            break;
        size_t first = p->taken, n = p->submitted - p->taken;
        n = n > CEV_PAR_BATCH ? CEV_PAR_BATCH : n;
        p->taken += n;
        pthread_mutex_unlock(&p->mu);
        for (size_t i = first; i < first + n; i++)
            decide(p, ts, &p->jobs[i % p->queue]);
        pthread_mutex_lock(&p->mu);
        for (size_t i = first; i < first + n; i++)
            p->done[i % p->queue] = 1;
        if (first == p->committed) /* the committer waits for this one */
            pthread_cond_signal(&p->can_commit);
    }
    pthread_cond_broadcast(&p->can_commit);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; ts && i < CEV_PAR_OPEN_ENGINES; i++)
        if (ts->open[i].used)
            cev_worker_close(&ts->open[i].w);
    free(ts);
    return NULL;
}

static void *committer_main(void *arg)
{
    cev_par *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!(p->committed < p->submitted && p->done[p->committed % p->queue]) &&
               !(p->stopping && p->committed == p->submitted) &&
               !(p->stop_status && p->committed == p->taken))
            pthread_cond_wait(&p->can_commit, &p->mu);
        if (p->committed == p->submitted && p->stopping)
            break;
        if (!(p->committed < p->submitted && p->done[p->committed % p->queue]))
            break; /* stopped: what was never taken is dropped */
        size_t first = p->committed, n = 0; /* the run of decided jobs */
        while (first + n < p->submitted && p->done[(first + n) % p->queue])
            n++;
        int failed = p->stop_status;
        pthread_mutex_unlock(&p->mu);
        int rc = 0;
        for (size_t i = first; i < first + n && !rc && !failed; i++)
            rc = p->commit(p->ctx, &p->jobs[i % p->queue]);
        pthread_mutex_lock(&p->mu);
        if (rc && !p->stop_status)
            p->stop_status = rc;
        for (size_t i = first; i < first + n; i++)
            p->done[i % p->queue] = 0;
        p->committed += n;
        pthread_cond_signal(&p->can_fill);
        if (p->stop_status)
            pthread_cond_broadcast(&p->can_take); /* workers may stop now */
    }
    pthread_cond_broadcast(&p->can_fill);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

cev_code cev_par_open(cev_par **out, unsigned threads, size_t queue, cev_par_commit_fn commit,
                 void *ctx, cev_error *err)
{
    *out = NULL;
    cev_par *p = calloc(1, sizeof *p);
    if (p == NULL)
        return cev_error_nomem(err);
    threads = threads ? threads : 1;
    size_t least = (size_t)CEV_PAR_BATCH * (threads + 2); /* room for every worker's batch */
    p->queue = queue > least ? queue : least;
    p->commit = commit;
    p->ctx = ctx;
    p->jobs = calloc(p->queue, sizeof *p->jobs);
    p->done = calloc(p->queue, 1);
    p->workers = calloc(threads, sizeof *p->workers);
    if (!p->jobs || !p->done || !p->workers) {
        free(p->jobs);
        free(p->done);
        free(p->workers);
        free(p);
        return cev_error_nomem(err);
    }
    for (size_t i = 0; i < p->queue; i++) {
        cev_job *j = &p->jobs[i];
        cev_buf_init(&j->input);
        cev_buf_init(&j->carried);
        cev_buf_init(&j->out);
        cev_buf_init(&j->candidate);
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->can_fill, NULL);
    pthread_cond_init(&p->can_take, NULL);
    pthread_cond_init(&p->can_commit, NULL);
    *out = p;
    int rc = CEV_OK;
    if (pthread_create(&p->committer, NULL, committer_main, p) != 0)
        rc = cev_error_set(err, CEV_ENOMEM, "", "cannot start the committing thread");
    else
        p->committer_started = 1;
    for (unsigned t = 0; t < threads && rc == CEV_OK; t++) {
        if (pthread_create(&p->workers[t], NULL, worker_main, p) != 0)
            rc = cev_error_set(err, CEV_ENOMEM, "", "cannot start worker thread %u", t + 1);
        else
            p->nworkers++;
    }
    if (rc != CEV_OK) {
        cev_par_close(p);
        *out = NULL;
    }
    return rc;
}

int cev_par_engine(cev_par *p, const cev_engine *e)
{
    pthread_mutex_lock(&p->mu);
    int i = -1;
    for (size_t k = 0; k < p->nengines && i < 0; k++)
        if (p->engines[k] == e)
            i = (int)k;
    if (i < 0 && p->nengines < CEV_PAR_MAX_ENGINES) {
        p->engines[p->nengines] = e;
        i = (int)p->nengines++;
    }
    pthread_mutex_unlock(&p->mu);
    return i;
}

cev_job *cev_par_next(cev_par *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->produced - p->committed >= p->queue)
        pthread_cond_broadcast(&p->can_take); /* a full ring: any batch will do */
    while (p->produced - p->committed >= p->queue && !p->stop_status)
        pthread_cond_wait(&p->can_fill, &p->mu);
    cev_job *job = NULL;
    if (!p->stop_status)
        job = &p->jobs[p->produced++ % p->queue];
    pthread_mutex_unlock(&p->mu);
    if (job) {
        cev_buf_reset(&job->input);
        cev_buf_reset(&job->carried);
        job->too_long = 0;
        job->lineno = job->ref = job->tag = job->run = 0;
        job->marks = 0;
        job->engine = job->allow_draft = 0;
    }
    return job;
}

void cev_par_submit(cev_par *p, cev_job *job)
{
    (void)job; /* jobs are submitted in the order cev_par_next() gave them */
    pthread_mutex_lock(&p->mu);
    p->submitted++;
    if (p->submitted - p->taken == CEV_PAR_BATCH)
        pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->mu);
}

int cev_par_finish(cev_par *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->stopping) {
        int rc = p->stop_status;
        pthread_mutex_unlock(&p->mu);
        return rc;
    }
    p->stopping = 1;
    pthread_cond_broadcast(&p->can_take);
    pthread_cond_broadcast(&p->can_commit);
    pthread_mutex_unlock(&p->mu);
    for (unsigned t = 0; t < p->nworkers; t++)
        pthread_join(p->workers[t], NULL);
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->can_commit); /* every job is decided by now */
    pthread_mutex_unlock(&p->mu);
    if (p->committer_started)
        pthread_join(p->committer, NULL);
    p->nworkers = 0;
    p->committer_started = 0;
    return p->stop_status;
}

void cev_par_close(cev_par *p)
{
    if (p == NULL)
        return;
    cev_par_finish(p);
    for (size_t i = 0; i < p->queue; i++) {
        cev_job *j = &p->jobs[i];
        cev_buf_close(&j->input);
        cev_buf_close(&j->carried);
        cev_buf_close(&j->out);
        cev_buf_close(&j->candidate);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->can_fill);
    pthread_cond_destroy(&p->can_take);
    pthread_cond_destroy(&p->can_commit);
    free(p->jobs);
    free(p->done);
    free(p->workers);
    free(p);
}
