/* Every allocation of the core failing in turn, as SQLite's malloc tests do.
 *
 * Every allocation the core makes goes through support/faults.c (the
 * executable is linked with -Wl,--wrap for malloc, calloc, realloc, strdup
 * and strndup), and cJSON's through its hooks; the plugins and libc
 * allocate on their own.  A
 * scenario is run once to count its allocations, then once with the 1st
 * failing, once with the 2nd... (a single failure each time:
 * what follows the failure must work again).  Each run must either succeed
 * with the result of the run without failures, or report CEV_ENOMEM; never
 * crash, never leak (LeakSanitizer checks at exit), never leave a store that
 * does not verify.  Then the same, with every allocation from the 1st, the
 * 2nd... on failing.  A scenario with more allocations than it has runs is
 * sampled with a stride (the same every time); the counts are printed, so
 * that a growth shows.
 *
 * Scenarios: opening the engine (plugins, packages, rules), linting a broken
 * package, deciding the sample sessions on a new worker and on a warm one,
 * on 2 worker threads committed as eval commits, the ids of a session that
 * spill to temporary files, a test case's expectation and the executable
 * lines of a rules.lua, logging to an audit store, verifying it, reading it
 * back and opening the engine of its stored catalog, as replay does.  cJSON
 * reports a failed allocation as invalid JSON: cev_json_parse() tells the
 * two apart by errno (ENOMEM, which faults.c sets as malloc does). */
#include "audit/audit.h"
#include "base/file.h"
#include "base/idstore.h"
#include "decide/parallel.h"
#include "decide/pipeline.h"
#include "faults.h"
#include "harness.h"
#include "pkgtest/coverage.h"
#include "pkgtest/expect.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the sweep ---------------------------------------------------------------- */

/* A scenario: returns CEV_OK, CEV_ENOMEM, or fails the test itself.  It
 * compares its result with the failure-free run's through `ctx`. */
typedef int (*scenario)(void *ctx, int reference);

/* Runs `fn` without failures (the reference), then with each allocation
 * failing in turn, at most `runs` times per mode; returns the number of
 * allocations of the reference. */
static long sweep(const char *name, scenario fn, void *ctx, long runs)
{
    oom_fail_at(-1, 0);
    assert_int_equal(fn(ctx, 1), CEV_OK);
    long total = oom_calls();
    long stride = total > runs ? (total + runs - 1) / runs : 1;
    long enomem[2] = {0, 0};
    for (int persist = 0; persist < 2; persist++) {
        for (long k = 0; k < total; k += stride) {
            oom_fail_at(k, persist);
            int rc = fn(ctx, 0), fired = oom_fired();
            oom_fail_at(-1, 0);
            if (rc == CEV_ENOMEM) {
                if (!fired)
                    fail_msg("%s: CEV_ENOMEM with no allocation failed (k = %ld)", name, k);
                enomem[persist]++;
            } else if (rc != CEV_OK) {
                fail_msg("%s: allocation %ld failing%s gave %s", name, k,
                         persist ? " (and every one after)" : "", cev_code_name(rc));
            }
        }
    }
    char which[32] = "each";
    if (stride > 1)
        snprintf(which, sizeof which, "one in %ld", stride);
    printf("%s: %ld allocation%s, %s failing in turn; runs reporting CEV_ENOMEM: %ld (one "
           "failure), %ld (failures from then on)\n",
           name, total, total == 1 ? "" : "s", which, enomem[0], enomem[1]);
    return total;
}

/* ---- scenarios -------------------------------------------------------------- */

static int open_engine(void *ctx, int reference)
{
    (void)ctx;
    (void)reference;
    cev_engine eng;
    cev_error err;
    int rc = cev_engine_open(&eng, CEV_TEST_PLUGINS_DIR, CEV_TEST_RULES_DIR, 0, &err);
    if (rc == CEV_OK)
        cev_engine_close(&eng);
    else if (rc != CEV_ENOMEM)
        fail_msg("engine: %s: %s: %s", cev_code_name(rc), err.path, err.message);
    return rc;
}

static void test_engine_open(void **st)
{
    (void)st;
    sweep("engine open", open_engine, NULL, 200);
}

/* A package with problems in title.json and rules.lua, linted (`check`):
 * the same problems every time. */
typedef struct linting {
    const char *dir;
    size_t problems; /* the reference's */
} linting;

static int lint_package(void *ctx, int reference)
{
    linting *l = ctx;
    cev_registry reg;
    cev_error err;
    int rc = cev_registry_open(&reg, CEV_TEST_PLUGINS_DIR, &err);
    if (rc != CEV_OK)
        return rc;
    cev_errlist all;
    cev_errlist_init(&all);
    cev_package *p = NULL;
    rc = cev_package_lint(l->dir, &reg, &all, &p, &err);
    if (rc == CEV_EPACKAGE) {
        if (reference)
            l->problems = cev_errlist_count(&all);
        else if (cev_errlist_count(&all) != l->problems)
            fail_msg("lint: %zu problems, %zu without failures", cev_errlist_count(&all),
                     l->problems);
        rc = CEV_OK;
    } else if (rc == CEV_OK) {
        fail_msg("lint: the broken package passed");
    }
    cev_package_free(p);
    cev_errlist_close(&all);
    cev_registry_close(&reg);
    return rc;
}

static void test_package_lint(void **st)
{
    (void)st;
    char *dir = make_temp_dir("oom-lint");
    write_file(dir, "title.json",
               "{\"code\": \"TST\", \"name\": \"T\", \"level\": 3, \"certifier\": \"C\", "
               "\"version\": \"1\", \"status\": \"active\", \"rules\": \"rules.lua\", "
               "\"blocks\": [{\"code\": \"B1\", \"name\": \"Bloc\", \"competencies\": "
               "[{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": [{\"id\": \"B1.f\", "
               "\"modality\": \"field\", \"label\": \"terrain\", \"config\": {\"scale_max\": 0, "
               "\"competencies\": [\"K1\"]}}]}, {\"code\": \"B2\", \"name\": \"Bloc 2\", "
               "\"competencies\": [{\"code\": \"K2\", \"label\": \"k\"}], \"assessments\": "
               "[{\"id\": \"B2.q\", \"modality\": \"quiz\", \"label\": \"q\", \"config\": "
               "{\"pass_mark\": 2}}]}]}");
    write_file(dir, "rules.lua", "function decide(c) return {decision = 'awarded', blocks = {}\n");
    linting l = {dir, 0};
    sweep("package lint", lint_package, &l, 200);
    remove_tree(dir);
    free(dir);
}

/* ---- deciding ------------------------------------------------------------- */

typedef struct session {
    cev_engine eng;
    char *text;        /* the sample sessions, one after the other */
    size_t nlines;
    char **line;       /* into text */
    char **reference;  /* each line's output without failures */
    int *rc;           /* and its status */
} session;

/* Each line's output and status without failures, on a new worker. */
static void session_reference(session *s)
{
    cev_worker w;
    assert_int_equal(cev_worker_init(&w, &s->eng), CEV_OK);
    cev_buf out;
    cev_buf_init(&out);
    for (size_t i = 0; i < s->nlines; i++) {
        cev_error err;
        cev_buf_reset(&out);
        s->rc[i] = cev_worker_eval(&w, s->line[i], strlen(s->line[i]), (long)i + 1, &out, &err);
        assert_int_not_equal(s->rc[i], CEV_ENOMEM);
        assert_non_null(s->reference[i] = malloc(out.len + 1));
        memcpy(s->reference[i], out.data, out.len);
        s->reference[i][out.len] = '\0';
    }
    cev_buf_close(&out);
    cev_worker_close(&w);
}

static void session_load(session *s)
{
    memset(s, 0, sizeof *s);
    cev_error err;
    assert_int_equal(cev_engine_open(&s->eng, CEV_TEST_PLUGINS_DIR, CEV_TEST_RULES_DIR, 0, &err),
                     CEV_OK);
    char *a = slurp(CEV_TEST_SESSIONS_DIR "/tp-sample.jsonl");
    char *b = slurp(CEV_TEST_SESSIONS_DIR "/rncp36524-sample.jsonl");
    assert_non_null(a);
    assert_non_null(b);
    s->text = malloc(strlen(a) + strlen(b) + 1);
    assert_non_null(s->text);
    strcpy(s->text, a);
    strcat(s->text, b);
    free(a);
    free(b);
    for (char *p = s->text; *p; p++)
        s->nlines += *p == '\n';
    s->line = calloc(s->nlines, sizeof *s->line);
    s->reference = calloc(s->nlines, sizeof *s->reference);
    s->rc = calloc(s->nlines, sizeof *s->rc);
    assert_true(s->line && s->reference && s->rc);
    char *p = s->text;
    for (size_t i = 0; i < s->nlines; i++) {
        s->line[i] = p;
        p = strchr(p, '\n');
        *p++ = '\0';
    }
    session_reference(s);
}

static void session_free(session *s)
{
    for (size_t i = 0; i < s->nlines; i++)
        free(s->reference[i]);
    free(s->reference);
    free(s->line);
    free(s->rc);
    free(s->text);
    cev_engine_close(&s->eng);
}

/* Decides lines [0, n) on w.  A line may give CEV_ENOMEM (and write
 * nothing), or an error record saying the machine failed; every other line
 * must give its reference bytes, the lines after a failure included. */
static int decide_lines(session *s, cev_worker *w, size_t n)
{
    cev_buf out;
    cev_buf_init(&out);
    int status = CEV_OK;
    for (size_t i = 0; i < n; i++) {
        cev_error err;
        cev_buf_reset(&out);
        long failures = oom_failures();
        int rc = cev_worker_eval(w, s->line[i], strlen(s->line[i]), (long)i + 1, &out, &err);
        if (rc == CEV_ENOMEM) {
            status = CEV_ENOMEM;
            continue;
        }
        /* the machine's failure, not the record's: an error record says so
         * (the host's, or a plugin's, whose host services failed) */
        if (oom_failures() != failures && rc == CEV_ERULE && w->undecided &&
            strstr(out.data, "\"message\":\"cannot decide this record: ")) {
            status = CEV_ENOMEM;
            continue;
        }
        if (rc != s->rc[i] || out.len != strlen(s->reference[i]) ||
            memcmp(out.data, s->reference[i], out.len) != 0)
            fail_msg("line %zu: %s\n%.*s\ninstead of %s\n%s", i + 1, cev_code_name(rc),
                     (int)out.len, out.data, cev_code_name(s->rc[i]), s->reference[i]);
    }
    cev_buf_close(&out);
    return status;
}

typedef struct deciding {
    session s;
    size_t cold_lines; /* the first lines of each title */
    cev_worker warm;   /* has decided every line once */
} deciding;

/* A new worker: it compiles each package's rules as its first record comes. */
static int decide_cold(void *ctx, int reference)
{
    (void)reference;
    deciding *d = ctx;
    cev_worker w;
    int rc = cev_worker_init(&w, &d->s.eng);
    if (rc != CEV_OK)
        return rc;
    rc = decide_lines(&d->s, &w, d->cold_lines);
    cev_worker_close(&w);
    return rc;
}

/* The worker of a running session: what deciding a record allocates. */
static int decide_warm(void *ctx, int reference)
{
    (void)reference;
    deciding *d = ctx;
    return decide_lines(&d->s, &d->warm, d->s.nlines);
}

static void test_decide(void **st)
{
    (void)st;
    deciding d;
    session_load(&d.s);
    d.cold_lines = 17; /* tp-sample.jsonl (both TMS versions, a draft), an RNCP36524 record */
    sweep("decide, new worker", decide_cold, &d, 200);
    assert_int_equal(cev_worker_init(&d.warm, &d.s.eng), CEV_OK);
    assert_int_equal(decide_lines(&d.s, &d.warm, d.s.nlines), CEV_OK);
    long n = sweep("decide, warm worker", decide_warm, &d, 100);
    printf("  %.1f allocations per record on a warm worker (%zu records)\n",
           (double)n / (double)d.s.nlines, d.s.nlines);
    cev_worker_close(&d.warm);
    session_free(&d.s);
}

/* ---- certeval test: expectations and coverage ----------------------------- */

typedef struct expecting {
    cJSON *expected, *actual;
    int mismatches;
    char *diff;
    const char *src; /* a rules.lua */
    size_t nlines, executable;
} expecting;

static int match_case(void *ctx, int reference)
{
    expecting *x = ctx;
    cev_buf diff;
    cev_buf_init(&diff);
    int n = cev_expect_match(x->expected, x->actual, &diff);
    int rc = n < 0 ? n : CEV_OK;
    if (reference) {
        x->mismatches = n;
        oom_pause();
        assert_non_null(x->diff = strndup(diff.data ? diff.data : "", diff.len));
        oom_resume();
    } else if (n >= 0 && (n != x->mismatches || diff.len != strlen(x->diff) ||
                          (diff.len && memcmp(diff.data, x->diff, diff.len) != 0))) {
        fail_msg("expect: %d mismatches instead of %d", n, x->mismatches);
    }
    cev_buf_close(&diff);
    return rc;
}

static int chunk_lines(void *ctx, int reference)
{
    expecting *x = ctx;
    unsigned char *lines = NULL;
    size_t n = 0;
    cev_error err;
    int rc = cev_coverage_chunk_lines(x->src, strlen(x->src), &lines, &n, &err);
    if (rc == CEV_OK) {
        size_t executable = 0;
        for (size_t i = 0; i < n; i++)
            executable += lines[i] != 0;
        if (reference) {
            x->nlines = n;
            x->executable = executable;
        } else if (n != x->nlines || executable != x->executable) {
            fail_msg("coverage: %zu lines, %zu executable", n, executable);
        }
    } else if (rc != CEV_ENOMEM) {
        fail_msg("coverage: %s: %s", cev_code_name(rc), err.message);
    }
    free(lines);
    return rc;
}

static void test_expect(void **st)
{
    (void)st;
    expecting x = {0};
    x.expected = cJSON_Parse(
        "{\"decision\": \"awarded\", \"blocks\": [{\"code\": \"B2\", \"decision\": \"validated\", "
        "\"competencies\": [{\"code\": \"K3\", \"score\": 0.5}]}, {\"code\": \"B1\", "
        "\"reasons\": [\"a\", \"b\"]}], \"provenance\": {\"engine\": \"0.1.0\"}}");
    x.actual = cJSON_Parse(
        "{\"decision\": \"partial\", \"blocks\": [{\"code\": \"B1\", \"reasons\": [\"a\"]}, "
        "{\"code\": \"B2\", \"decision\": \"absent\", \"competencies\": [{\"code\": \"K3\", "
        "\"score\": 0.25}]}], \"provenance\": {\"engine\": \"0.1.0\"}}");
    assert_true(x.expected && x.actual);
    sweep("expectations", match_case, &x, 300);
    assert_int_equal(x.mismatches, 4);
    char *src = slurp(CEV_TEST_RULES_DIR "/tp-tms-2012/rules.lua");
    assert_non_null(src);
    x.src = src;
    sweep("coverage lines", chunk_lines, &x, 300);
    assert_true(x.executable > 10);
    free(src);
    free(x.diff);
    cJSON_Delete(x.expected);
    cJSON_Delete(x.actual);
}

/* ---- the ids of a session file -------------------------------------------- */

#define IDS 400

/* 400 ids, the last 100 repeating earlier ones, in a store that writes a run
 * to a temporary file every 16 ids and merges them.  Until the first
 * CEV_ENOMEM (after which a session stops), every answer is the
 * reference's. */
static int add_ids(void *ctx, int reference)
{
    long *want = ctx; /* [IDS]: the first line of each id, or 0 when new */
    cev_idstore ids;
    cev_idstore_init(&ids);
    ids.spill_at = 16;
    ids.dir = CEV_TEST_TMP_DIR;
    int rc = CEV_OK;
    for (long i = 0; i < IDS && rc == CEV_OK; i++) {
        char id[32];
        snprintf(id, sizeof id, "AICMP-2024-%04ld", i < 300 ? i : (i * 7) % 300);
        long first = 0;
        cev_error err;
        int r = cev_idstore_add(&ids, id, i + 1, &first, &err);
        if (r < 0) {
            if (r != CEV_ENOMEM)
                fail_msg("ids: %s: %s", cev_code_name(r), err.message);
            rc = r;
        } else if (reference) {
            want[i] = r ? first : 0;
        } else if ((r ? first : 0) != want[i]) {
            fail_msg("ids: %s: first line %ld instead of %ld", id, r ? first : 0, want[i]);
        }
    }
    cev_idstore_close(&ids);
    return rc;
}

static void test_ids(void **st)
{
    (void)st;
    long want[IDS];
    sweep("session ids", add_ids, want, 300);
}

/* ---- worker threads ---------------------------------------------------------- */

/* The session file decided on 2 worker threads, committed in order as eval
 * commits it.  The threads allocate in no fixed order, so which allocation
 * fails varies from run to run: the checks hold whichever it is. */
typedef struct threaded {
    session s;
    cev_session ids;
    long tag;
    cev_buf out;
    char *reference; /* the failure-free run's output */
} threaded;

static int commit_line(void *ctx, cev_job *job)
{
    threaded *t = ctx;
    int rc = cev_job_commit(job, &t->ids, &t->tag, "test", &t->out);
    return rc == CEV_ENOMEM || rc == CEV_EIO ? rc : 0;
}

static int machine_failed(const char *line)
{
    return strstr(line, "\"message\":\"cannot decide this record: ") != NULL;
}

/* Whether line i of `got` is line i of `want`, or an error record saying
 * the machine failed.  Or else: `want` says its candidate already appeared
 * at line j, and `got` could not read line j (the machine failed before its
 * candidate was known), so the candidate is new to the session there: any
 * record of that candidate will do.  (Lines are NUL-terminated copies.) */
static int same_or_machine(char *const *got, char *const *want, size_t n, size_t i)
{
    if (strcmp(got[i], want[i]) == 0 || machine_failed(got[i]))
        return 1;
    const char *at = strstr(want[i], "already appears at line ");
    char *end;
    long j = at ? strtol(at + strlen("already appears at line "), &end, 10) : 0;
    if (j < 1 || (size_t)j > n || !machine_failed(got[j - 1]) ||
        strncmp(got[j - 1], "{\"candidate\":null,", 18) != 0)
        return 0;
    const char *comma = strchr(want[i], ','); /* after {"candidate":"X" */
    return comma && strncmp(got[i], want[i], (size_t)(comma - want[i])) == 0;
}

/* The lines of `text` (len bytes), as NUL-terminated copies in *lines. */
static size_t split_lines(const char *text, size_t len, char ***lines)
{
    size_t n = 0;
    for (size_t k = 0; k < len; k++)
        n += text[k] == '\n';
    *lines = calloc(n ? n : 1, sizeof **lines);
    assert_non_null(*lines);
    const char *p = text;
    for (size_t k = 0; k < n; k++) {
        const char *nl = memchr(p, '\n', len - (size_t)(p - text));
        assert_non_null(nl);
        assert_non_null((*lines)[k] = strndup(p, (size_t)(nl - p)));
        p = nl + 1;
    }
    assert_true(p == text + len); /* every record ends its line */
    return n;
}

static void free_lines(char **lines, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(lines[k]);
    free(lines);
}

/* Every record written is the reference's, line by line, or says the
 * machine failed; all are there unless the run reported CEV_ENOMEM. */
static int decide_threaded(void *ctx, int reference)
{
    threaded *t = ctx;
    cev_session_init(&t->ids);
    t->tag = -1;
    cev_buf_reset(&t->out);
    cev_par *par;
    cev_error err;
    int rc = cev_par_open(&par, 2, 8, commit_line, t, &err);
    if (rc != CEV_OK) {
        cev_session_close(&t->ids);
        return rc;
    }
    int engine = cev_par_engine(par, &t->s.eng), stopped = engine < 0;
    for (size_t i = 0; i < t->s.nlines && !stopped; i++) {
        cev_job *job = cev_par_next(par);
        if (job == NULL)
            break;
        job->lineno = (long)i + 1;
        job->engine = engine;
        job->tag = 0;
        if (cev_buf_puts(&job->input, t->s.line[i]) != CEV_OK) {
            stopped = 1; /* stops producing, as eval does */
            break;
        }
        cev_par_submit(par, job);
    }
    rc = cev_par_finish(par);
    cev_par_close(par);
    cev_session_close(&t->ids);
    if (stopped && rc == CEV_OK)
        rc = CEV_ENOMEM;
    if (reference) {
        assert_int_equal(rc, CEV_OK);
        oom_pause();
        assert_non_null(t->reference = strndup(t->out.data, t->out.len));
        oom_resume();
        return rc;
    }
    if (rc != CEV_OK && rc != CEV_ENOMEM)
        fail_msg("threads: %s", cev_code_name(rc));
    oom_pause(); /* the checks allocate */
    char **got, **want;
    size_t lines = split_lines(t->out.data ? t->out.data : "", t->out.len, &got);
    size_t nwant = split_lines(t->reference, strlen(t->reference), &want);
    assert_true(lines <= nwant);
    for (size_t i = 0; i < lines; i++)
        if (!same_or_machine(got, want, lines, i))
            fail_msg("threads: line %zu: %s\ninstead of %s", i + 1, got[i], want[i]);
    free_lines(got, lines);
    free_lines(want, nwant);
    oom_resume();
    if (rc == CEV_OK && lines != t->s.nlines)
        fail_msg("threads: %zu records for %zu lines", lines, t->s.nlines);
    if (rc == CEV_OK && strcmp(t->out.data ? t->out.data : "", t->reference) != 0)
        rc = CEV_ENOMEM; /* a record said the machine failed */
    return rc;
}

static void test_threads(void **st)
{
    (void)st;
    threaded t;
    session_load(&t.s);
    cev_buf_init(&t.out);
    t.reference = NULL;
    sweep("2 worker threads", decide_threaded, &t, 100);
    free(t.reference);
    cev_buf_close(&t.out);
    session_free(&t.s);
}

/* ---- an eval run whose producer runs out of memory ------------------------- */

/* The line's copy into its job failing: the job is dropped, and the run
 * takes no more lines (the ring's next job would be the one dropped). */
static void test_eval_dropped_job(void **st)
{
    (void)st;
    cev_engine eng;
    cev_error err;
    assert_int_equal(cev_engine_open(&eng, CEV_TEST_PLUGINS_DIR, CEV_TEST_RULES_DIR, 0, &err),
                     CEV_OK);
    const char *const sources[] = {"a.jsonl", "b.jsonl"};
    static char line[] = "{\"candidate\": \"X\"}\n";
    int dropped = 0;
    for (long k = 0; k < 64 && !dropped; k++) {
        FILE *a = fmemopen(line, sizeof line - 1, "r"), *b = fmemopen(line, sizeof line - 1, "r");
        FILE *dest = tmpfile();
        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(dest);
        cev_eval *ev;
        assert_int_equal(cev_eval_open(&ev, &eng, NULL, dest, "dest", sources, 2, 1, 0, NULL, &err),
                         CEV_OK);
        oom_fail_here(k); /* the producer's k-th: workers allocate meanwhile */
        int rc = cev_eval_stream(ev, 0, a, &err);
        oom_fail_at(-1, 0);
        if (rc == CEV_ENOMEM && strcmp(err.message, "a.jsonl:1: out of memory") == 0) {
            dropped = 1;
            assert_int_equal(cev_eval_stream(ev, 1, b, &err), CEV_EUSAGE);
        }
        cev_eval_report rep;
        cev_eval_finish(ev, &rep, &err);
        cev_eval_close(ev);
        fclose(a);
        fclose(b);
        fclose(dest);
    }
    assert_true(dropped);
    cev_engine_close(&eng);
}

/* ---- the audit store -------------------------------------------------------- */

typedef struct store {
    session s;
    cev_engine one; /* one package: its copy is what the store keeps */
    char *dir;
} store;

/* Logs the first `n` lines of the session (from `from`) in the store. */
static int append(store *st, size_t from, size_t n, cev_error *err)
{
    cev_audit a;
    int rc = cev_audit_open(&a, st->dir, err);
    if (rc != CEV_OK)
        return rc;
    if ((rc = cev_audit_catalog(&a, &st->one.cat, 0, err)) == CEV_OK) {
        for (size_t i = from; i < from + n && rc == CEV_OK; i++) {
            const char *in = st->s.line[i], *out = st->s.reference[i];
            rc = cev_audit_add(&a, "session.jsonl", (long)i + 1, in, strlen(in), strlen(in),
                               out, strlen(out), 0, err);
        }
    }
    int closed = cev_audit_close(&a, err);
    return rc == CEV_OK ? closed : rc;
}

/* Logs 4 lines in a new store; then, without failures, a second run
 * appends 2 more: whatever the first run left, the second must be able to
 * go on, and the store must verify. */
static int log_session(void *ctx, int reference)
{
    (void)reference;
    store *st = ctx;
    oom_pause();
    remove_tree(st->dir);
    oom_resume();
    cev_error err;
    int rc = append(st, 0, 4, &err);
    if (rc != CEV_OK && rc != CEV_ENOMEM)
        fail_msg("audit: %s: %s", cev_code_name(rc), err.message);
    oom_pause();
    if (append(st, 4, 2, &err) != CEV_OK)
        fail_msg("the next run cannot use the store: %s", err.message);
    cev_audit_report rep;
    if (cev_audit_verify(st->dir, 0, NULL, NULL, &rep, &err) != CEV_OK || rep.problem[0])
        fail_msg("the store left does not verify: %s%s", err.message, rep.problem);
    if (rep.entries < 2 || (rc == CEV_OK && rep.entries != 6))
        fail_msg("the store holds %ld entries", rep.entries);
    oom_resume();
    return rc;
}

/* Verifies the store the reference run left (and nothing changes it). */
static int verify_store(void *ctx, int reference)
{
    (void)reference;
    store *st = ctx;
    cev_audit_report rep;
    cev_error err;
    int rc = cev_audit_verify(st->dir, 0, NULL, NULL, &rep, &err);
    if (rc == CEV_OK && (rep.problem[0] || rep.entries != 6))
        fail_msg("verify: %ld entries: %s", rep.entries, rep.problem);
    if (rc != CEV_OK && rc != CEV_ENOMEM)
        fail_msg("verify: %s: %s", cev_code_name(rc), err.message);
    return rc;
}

/* What replay, diff, explain and minutes read: every entry (its input and
 * output must be the lines logged), then the engine of the stored catalog. */
typedef struct reading {
    store *st;
    size_t n;
    int bad;
    char catalog[CEV_SHA256_HEX]; /* the entries' */
} reading;

static int read_entry(const cev_entry *e, void *ctx)
{
    reading *r = ctx;
    size_t i = r->n; /* the two runs logged lines 1-4, then 5-6 */
    if (i >= 6 || strcmp(e->input, r->st->s.line[i]) != 0 ||
        strcmp(e->output, r->st->s.reference[i]) != 0 || e->line != (long)i + 1)
        r->bad = 1;
    snprintf(r->catalog, sizeof r->catalog, "%s", e->catalog);
    r->n++;
    return 0;
}

static int read_store(void *ctx, int reference)
{
    (void)reference;
    store *st = ctx;
    reading r = {st, 0, 0, ""};
    cev_error err;
    int rc = cev_audit_each(st->dir, read_entry, &r, &err);
    if (rc == CEV_OK && (r.bad || r.n != 6))
        fail_msg("read: %zu entries%s", r.n, r.bad ? ", not those logged" : "");
    if (rc != CEV_OK && rc != CEV_ENOMEM)
        fail_msg("read: %s: %s", cev_code_name(rc), err.message);
    if (rc != CEV_OK)
        return rc;
    /* the stored catalog the entries name, as replay opens it */
    char **dirs;
    size_t n;
    if ((rc = cev_audit_catalog_dirs(st->dir, r.catalog, &dirs, &n, &err)) == CEV_OK) {
        cev_engine eng;
        rc = cev_engine_open_dirs(&eng, CEV_TEST_PLUGINS_DIR, dirs, n, 0, &err);
        cev_file_list_free(dirs, n);
        if (rc == CEV_OK) {
            const char *logged = st->one.cat.pkgs[0]->sha256;
            if (eng.cat.count != 1 || strcmp(eng.cat.pkgs[0]->sha256, logged) != 0)
                fail_msg("replay: not the package logged");
            cev_engine_close(&eng);
        }
    }
    if (rc != CEV_OK && rc != CEV_ENOMEM)
        fail_msg("replay engine: %s: %s", cev_code_name(rc), err.message);
    return rc;
}

static void test_audit(void **state)
{
    (void)state;
    store st;
    session_load(&st.s);
    cev_error err;
    assert_int_equal(cev_engine_open_package(&st.one, CEV_TEST_PLUGINS_DIR,
                                             CEV_TEST_RULES_DIR "/tp-tms-2004", 0, &err),
                     CEV_OK);
    st.dir = make_temp_dir("oom-audit");
    sweep("audit log", log_session, &st, 250);
    assert_int_equal(log_session(&st, 1), CEV_OK);
    sweep("audit verify", verify_store, &st, 200);
    sweep("audit read, replay engine", read_store, &st, 300);
    remove_tree(st.dir);
    free(st.dir);
    cev_engine_close(&st.one);
    session_free(&st.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_open),
        cmocka_unit_test(test_package_lint),
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_expect),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_eval_dropped_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
