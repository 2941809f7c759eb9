/* parallel.c: the ring of jobs (input order, batch edges, a run stopped by
 * a commit, a job the producer drops), the same bytes for every thread
 * count, and the default number of workers following the CPUs this process
 * may run on. */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include "decide/parallel.h"

#include "base/file.h"
#include "base/lines.h"

#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the ring, with jobs that need no engine ------------------------------
 * A job with too_long set is decided without Lua, as an E_JSON record naming
 * its line ({"candidate":null,"line":N,"error":{"code":"E_JSON",...}}), so
 * these runs test the ring alone: which jobs are committed, in which order,
 * and when the producer is told to stop. */

/* What the committer saw. */
typedef struct seen {
    long *lines;     /* job->lineno of each commit, in commit order */
    size_t n, cap;
    long fail_at;    /* the commit of this line returns fail_rc (0: none) */
    int fail_rc;
    char **want;     /* expected record bytes per line (want[lineno - 1]), or NULL */
    int *want_status;
    char bad[256];   /* the first wrong job, described */
} seen;

static int commit_cb(void *ctx, cev_job *job)
{
    seen *s = ctx;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        long *l = realloc(s->lines, cap * sizeof *l);
        if (l == NULL)
            return CEV_ENOMEM;
        s->lines = l;
        s->cap = cap;
    }
    s->lines[s->n++] = job->lineno;
    if (!s->bad[0]) {
        if (s->want) {
            const char *w = s->want[job->lineno - 1];
            if (job->status != s->want_status[job->lineno - 1] || job->out.len != strlen(w) ||
                memcmp(job->out.data, w, job->out.len) != 0)
                snprintf(s->bad, sizeof s->bad, "line %ld: status %d, %.*s", job->lineno,
                         job->status, (int)job->out.len, job->out.data);
        } else {
            char tag[96];
            snprintf(tag, sizeof tag,
                     "{\"candidate\":null,\"line\":%ld,\"error\":{\"code\":\"E_JSON\"",
                     job->lineno);
            if (job->status != CEV_EJSON || job->out.len < strlen(tag) ||
                memcmp(job->out.data, tag, strlen(tag)) != 0 ||
                job->out.data[job->out.len - 1] != '\n')
                snprintf(s->bad, sizeof s->bad, "line %ld: status %d, %.*s", job->lineno,
                         job->status, (int)job->out.len, job->out.data);
        }
    }
    return job->lineno == s->fail_at ? s->fail_rc : 0;
}

static void seen_close(seen *s)
{
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* The jobs the ring holds: at least a batch per worker and two more. */
static size_t ring_size(unsigned threads, size_t queue)
{
    size_t least = (size_t)CEV_PAR_BATCH * (threads + 2);
    return queue > least ? queue : least;
}

/* Submits n jobs (lines first..first+n-1) that need no engine; returns how
 * many were submitted before cev_par_next() said the run had stopped. */
static size_t produce(cev_par *p, size_t n, long first)
{
    for (size_t i = 0; i < n; i++) {
        cev_job *job = cev_par_next(p);
        if (job == NULL)
            return i;
        job->lineno = first + (long)i;
        job->too_long = CEV_MAX_RECORD + 1;
        cev_par_submit(p, job);
    }
    return n;
}

/* Every line from 1 to n committed once, in order. */
static void expect_in_order(const seen *s, size_t n)
{
    if (s->bad[0])
        fail_msg("%s", s->bad);
    assert_int_equal(s->n, n);
    for (size_t i = 0; i < n; i++)
        if (s->lines[i] != (long)i + 1)
            fail_msg("commit %zu was line %ld", i + 1, s->lines[i]);
}

static void run_ring(unsigned threads, size_t queue, size_t records)
{
    seen s = {0};
    cev_par *p;
    cev_error err;
    assert_int_equal(cev_par_open(&p, threads, queue, commit_cb, &s, &err), CEV_OK);
    assert_int_equal(produce(p, records, 1), records);
    assert_int_equal(cev_par_finish(p), 0);
    expect_in_order(&s, records);
    assert_int_equal(cev_par_finish(p), 0); /* a second finish changes nothing */
    assert_int_equal(s.n, records);
    cev_par_close(p);
    seen_close(&s);
}

static void test_zero_records(void **st)
{
    (void)st;
    for (unsigned threads = 1; threads <= 4; threads += 3)
        run_ring(threads, 0, 0);
    /* opened and closed without cev_par_finish() */
    seen s = {0};
    cev_par *p;
    cev_error err;
    assert_int_equal(cev_par_open(&p, 2, 1, commit_cb, &s, &err), CEV_OK);
    cev_par_close(p);
    assert_int_equal(s.n, 0);
    seen_close(&s);
}

/* Queue sizes below the least ring (1), at it, past it, and record counts at
 * each edge of a batch and of the ring: one job, a batch less one, one
 * batch, one more, a ring less one, a ring, a ring and one, several rings
 * exactly, several rings and a partial batch; for one worker and several. */
static void test_batch_and_ring_edges(void **st)
{
    (void)st;
    const unsigned threads[] = {1, 2, 5};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        size_t least = ring_size(threads[t], 0);
        const size_t queues[] = {0, 1, CEV_PAR_BATCH, least, least + 1, 2 * least + 3, 1000};
        for (size_t q = 0; q < sizeof queues / sizeof *queues; q++) {
            size_t ring = ring_size(threads[t], queues[q]);
            const size_t counts[] = {1,        CEV_PAR_BATCH - 1, CEV_PAR_BATCH,
                                     CEV_PAR_BATCH + 1, ring - 1, ring, ring + 1, 3 * ring,
                                     3 * ring + CEV_PAR_BATCH / 2, 2 * CEV_PAR_BATCH * 7};
            for (size_t c = 0; c < sizeof counts / sizeof *counts; c++)
                run_ring(threads[t], queues[q], counts[c]);
        }
    }
}

/* cev_par_finish() right after the last submit, with most jobs still in the
 * ring (not taken, or taken and not committed): all are committed, in order.
 * cev_par_close() without finish does the same. */
static void test_finish_with_jobs_pending(void **st)
{
    (void)st;
    for (unsigned threads = 1; threads <= 3; threads++) {
        size_t n = 4 * ring_size(threads, 1) + 5;
        seen s = {0};
        cev_par *p;
        cev_error err;
        assert_int_equal(cev_par_open(&p, threads, 1, commit_cb, &s, &err), CEV_OK);
        assert_int_equal(produce(p, n, 1), n);
        assert_int_equal(cev_par_finish(p), 0);
        expect_in_order(&s, n);
        cev_par_close(p);
        seen_close(&s);

        assert_int_equal(cev_par_open(&p, threads, 1, commit_cb, &s, &err), CEV_OK);
        assert_int_equal(produce(p, CEV_PAR_BATCH - 3, 1), CEV_PAR_BATCH - 3);
        cev_par_close(p); /* finishes first */
        expect_in_order(&s, CEV_PAR_BATCH - 3);
        seen_close(&s);
    }
}

/* A commit returning non-zero stops the run: that job was the last one
 * committed (the rest of its run of decided jobs is not), cev_par_finish()
 * returns the code, every job after it is dropped (decided or not), and
 * cev_par_next() returns NULL, so the producer stops within a ring. */
static void test_commit_error_stops_the_run(void **st)
{
    (void)st;
    for (unsigned threads = 1; threads <= 4; threads += 3) {
        size_t ring = ring_size(threads, 0);
        size_t n = 20 * ring;
        const long stops[] = {1, 2, CEV_PAR_BATCH, CEV_PAR_BATCH + 1, (long)ring,
                              (long)ring + 7, (long)(3 * ring)};
        for (size_t k = 0; k < sizeof stops / sizeof *stops; k++) {
            seen s = {.fail_at = stops[k], .fail_rc = 42};
            cev_par *p;
            cev_error err;
            assert_int_equal(cev_par_open(&p, threads, 0, commit_cb, &s, &err), CEV_OK);
            size_t submitted = produce(p, n, 1);
            assert_int_equal(cev_par_finish(p), 42);
            assert_int_equal(cev_par_finish(p), 42);
            expect_in_order(&s, (size_t)stops[k]);
            /* told to stop before the end: at most a ring past the last commit */
            assert_true(submitted >= (size_t)stops[k]);
            if (submitted > (size_t)stops[k] - 1 + ring)
                fail_msg("%zu submitted after a stop at %ld with a ring of %zu", submitted,
                         stops[k], ring);
            assert_null(cev_par_next(p));
            cev_par_close(p);
            assert_int_equal(s.n, (size_t)stops[k]); /* close commits nothing more */
            seen_close(&s);
        }
        /* the very last job failing: everything committed, the code returned */
        seen s = {.fail_at = (long)n, .fail_rc = -7};
        cev_par *p;
        cev_error err;
        assert_int_equal(cev_par_open(&p, threads, 0, commit_cb, &s, &err), CEV_OK);
        assert_int_equal(produce(p, n, 1), n);
        assert_int_equal(cev_par_finish(p), -7);
        expect_in_order(&s, n);
        cev_par_close(p);
        seen_close(&s);
    }
}

/* A producer that cannot fill the job cev_par_next() gave it drops it
 * (parallel.h): cev_par_finish() commits exactly the jobs submitted before,
 * whether the dropped job is the first, inside a batch, or the ring's last
 * free slot. */
static void test_producer_drops_a_job(void **st)
{
    (void)st;
    for (unsigned threads = 1; threads <= 2; threads++) {
        size_t ring = ring_size(threads, 0);
        const size_t before[] = {0, 1, CEV_PAR_BATCH, ring - 1, 5 * ring + 3};
        for (size_t b = 0; b < sizeof before / sizeof *before; b++) {
            seen s = {0};
            cev_par *p;
            cev_error err;
            assert_int_equal(cev_par_open(&p, threads, 0, commit_cb, &s, &err), CEV_OK);
            assert_int_equal(produce(p, before[b], 1), before[b]);
            cev_job *dropped = cev_par_next(p);
            assert_non_null(dropped);
            dropped->lineno = (long)before[b] + 1; /* half filled, never submitted */
            assert_int_equal(cev_par_finish(p), 0);
            expect_in_order(&s, before[b]);
            cev_par_close(p);
            seen_close(&s);
        }
    }
}

static void test_engines_registered_once_up_to_the_limit(void **st)
{
    (void)st;
    seen s = {0};
    cev_par *p;
    cev_error err;
    cev_engine *engines = calloc(CEV_PAR_MAX_ENGINES + 1, sizeof *engines);
    assert_non_null(engines);
    assert_int_equal(cev_par_open(&p, 1, 0, commit_cb, &s, &err), CEV_OK);
    for (int i = 0; i < CEV_PAR_MAX_ENGINES; i++)
        assert_int_equal(cev_par_engine(p, &engines[i]), i);
    assert_int_equal(cev_par_engine(p, &engines[0]), 0);
    assert_int_equal(cev_par_engine(p, &engines[CEV_PAR_MAX_ENGINES - 1]),
                     CEV_PAR_MAX_ENGINES - 1);
    assert_int_equal(cev_par_engine(p, &engines[CEV_PAR_MAX_ENGINES]), -1);
    cev_par_close(p);
    free(engines);
    seen_close(&s);
}

/* ---- real records: the same bytes for every thread count and ring --------- */

#define REAL_RECORDS 150

static void test_same_records_for_every_thread_count(void **st)
{
    (void)st;
    cev_engine eng;
    cev_error err;
    assert_int_equal(cev_engine_open(&eng, CEV_TEST_PLUGINS_DIR, CEV_TEST_RULES_DIR, 0, &err),
                     CEV_OK);
    char *text;
    size_t len;
    assert_int_equal(cev_file_read(CEV_TEST_SESSIONS_DIR "/rncp36524-sample.jsonl", &text, &len,
                                   &err),
                     CEV_OK);
    const char *line[64];
    size_t lens[64], nlines = 0;
    for (char *q = text; q < text + len && nlines < 64;) {
        char *nl = memchr(q, '\n', (size_t)(text + len - q));
        size_t l = nl ? (size_t)(nl - q) : (size_t)(text + len - q);
        line[nlines] = q;
        lens[nlines++] = l;
        q += l + 1;
    }
    assert_true(nlines >= 40);

    /* record i: line i % nlines of the sample, or every 9th a line too long */
    char *want[REAL_RECORDS];
    int want_status[REAL_RECORDS];
    cev_worker w;
    assert_int_equal(cev_worker_init(&w, &eng), CEV_OK);
    for (size_t i = 0; i < REAL_RECORDS; i++) {
        cev_buf b;
        cev_buf_init(&b);
        cev_error e;
        if (i % 9 == 4)
            want_status[i] = cev_session_too_long((long)i + 1, CEV_MAX_RECORD + 1, &b, &e);
        else
            want_status[i] = cev_worker_eval(&w, line[i % nlines], lens[i % nlines],
                                             (long)i + 1, &b, &e);
        assert_int_not_equal(want_status[i], CEV_ENOMEM);
        assert_int_equal(cev_buf_putc(&b, '\0'), CEV_OK);
        want[i] = cev_buf_take(&b);
    }
    cev_worker_close(&w);

    const unsigned threads[] = {1, 2, 4};
    const size_t queues[] = {1, REAL_RECORDS};
    for (size_t t = 0; t < 3; t++)
        for (size_t q = 0; q < 2; q++) {
            seen s = {.want = want, .want_status = want_status};
            cev_par *p;
            assert_int_equal(cev_par_open(&p, threads[t], queues[q], commit_cb, &s, &err), CEV_OK);
            int e = cev_par_engine(p, &eng);
            assert_int_equal(e, 0);
            for (size_t i = 0; i < REAL_RECORDS; i++) {
                cev_job *job = cev_par_next(p);
                assert_non_null(job);
                job->lineno = (long)i + 1;
                job->engine = e;
                if (i % 9 == 4)
                    job->too_long = CEV_MAX_RECORD + 1;
                else
                    assert_int_equal(cev_buf_append(&job->input, line[i % nlines],
                                                    lens[i % nlines]),
                                     CEV_OK);
                cev_par_submit(p, job);
            }
            assert_int_equal(cev_par_finish(p), 0);
            expect_in_order(&s, REAL_RECORDS);
            cev_par_close(p);
            seen_close(&s);
        }
    for (size_t i = 0; i < REAL_RECORDS; i++)
        free(want[i]);
    free(text);
    cev_engine_close(&eng);
}

/* ---- the default number of workers ---------------------------------------- */

/* With the affinity cut to `n` of the allowed CPUs, cev_online_cpus() is n
 * (the machine's online count would not be, with 2 or more CPUs). */
static void expect_with(const cpu_set_t *all, int n)
{
    cpu_set_t some;
    CPU_ZERO(&some);
    int taken = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && taken < n; cpu++)
        if (CPU_ISSET(cpu, all)) {
            CPU_SET(cpu, &some);
            taken++;
        }
    assert_int_equal(sched_setaffinity(0, sizeof some, &some), 0);
    assert_int_equal(cev_online_cpus(), (unsigned)n);
}

static void test_default_jobs_follow_affinity(void **st)
{
    (void)st;
    cpu_set_t all;
    assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
    int count = CPU_COUNT(&all);
    assert_int_equal(cev_online_cpus(), count < CEV_MAX_THREADS ? count : CEV_MAX_THREADS);
    expect_with(&all, 1); /* taskset -c 0 */
    if (count >= 2)
        expect_with(&all, 2);
    assert_int_equal(sched_setaffinity(0, sizeof all, &all), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_records),
        cmocka_unit_test(test_batch_and_ring_edges),
        cmocka_unit_test(test_finish_with_jobs_pending),
        cmocka_unit_test(test_commit_error_stops_the_run),
        cmocka_unit_test(test_producer_drops_a_job),
        cmocka_unit_test(test_engines_registered_once_up_to_the_limit),
        cmocka_unit_test(test_same_records_for_every_thread_count),
        cmocka_unit_test(test_default_jobs_follow_affinity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
