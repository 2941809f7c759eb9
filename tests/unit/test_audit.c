/* audit.c: where lines start in the log, and what a reader may read of it;
 * verify.c: seals, the head, and the readers' chain check; query.c: each
 * candidate's current decision (the CLI suites cover the store as a whole:
 * tests/cli/audit.sh). */
#include "audit/audit.h"
#include "certeval/certeval.h"
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *write_log(const char *dir, const char *text, size_t len)
{
    char *path = malloc(strlen(dir) + 16);
    assert_non_null(path);
    sprintf(path, "%s/log.jsonl", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_line_start(void **st)
{
    (void)st;
    char *dir = make_temp_dir("audit");
    /* a last line longer than the 4096-byte chunks read backwards */
    size_t big = 10000, len = 5 + big;
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, "a\nbc\n", 5);
    memset(text + 5, 'x', big);
    char *path = write_log(dir, text, len);
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(cev_audit_line_start(fd, 0), 0);
    assert_int_equal(cev_audit_line_start(fd, 1), 0);        /* "a" */
    assert_int_equal(cev_audit_line_start(fd, 2), 2);        /* just after "a\n" */
    assert_int_equal(cev_audit_line_start(fd, 4), 2);        /* "bc" */
    assert_int_equal(cev_audit_line_start(fd, (long long)len), 5); /* the long last line */
    close(fd);
    /* a log that cannot be read is an error, never "the line starts at 0",
     * which would have --repair cut the whole log */
    fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    errno = 0;
    assert_int_equal(cev_audit_line_start(fd, (long long)len), -1);
    assert_int_not_equal(errno, 0);
    assert_int_equal(cev_audit_complete(fd, (long long)len), -1);
    close(fd);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(cev_audit_complete(fd, 0), 0);
    assert_int_equal(cev_audit_complete(fd, 5), 5);         /* "a\nbc\n": whole lines */
    assert_int_equal(cev_audit_complete(fd, (long long)len), 5); /* the last line has no '\n' */
    close(fd);
    free(text);
    free(path);
    remove_tree(dir);
    free(dir);
}

static void test_measure(void **st)
{
    (void)st;
    char *dir = make_temp_dir("audit");
    cev_audit_extent x;
    cev_error err;
    assert_int_equal(cev_audit_measure(dir, &x, &err), CEV_OK); /* no log yet */
    assert_int_equal(x.size, 0);
    assert_int_equal(x.complete, 0);
    assert_false(x.appending);
    free(write_log(dir, "{\"seq\":1}\n{\"seq\":2}\n{\"se", 24));
    assert_int_equal(cev_audit_measure(dir, &x, &err), CEV_OK);
    assert_int_equal(x.size, 24);
    assert_int_equal(x.complete, 20); /* a torn line: no run holds the lock */
    assert_false(x.appending);
    free(write_log(dir, "{\"seq\":1}\n", 10));
    assert_int_equal(cev_audit_measure(dir, &x, &err), CEV_OK);
    assert_int_equal(x.size, 10);
    assert_int_equal(x.complete, 10);
    remove_tree(dir);
    free(dir);
}

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_seal(void **st)
{
    (void)st;
    long seq = 0;
    char hash[65], good[80];
    snprintf(good, sizeof good, "12:%064d", 7);
    assert_int_equal(cev_audit_parse_seal(good, &seq, hash), CEV_OK);
    assert_int_equal(seq, 12);
    assert_string_equal(hash, good + 3);
    const char *bad[] = {"", "12", "12:", "0:0000000000000000000000000000000000000000000000000000000000000000",
                         "-1:0000000000000000000000000000000000000000000000000000000000000000",
                         "x:0000000000000000000000000000000000000000000000000000000000000000",
                         "1:000000000000000000000000000000000000000000000000000000000000000",
                         "1:00000000000000000000000000000000000000000000000000000000000000000",
                         "1:000000000000000000000000000000000000000000000000000000000000000A",
                         "99999999999999999999:0000000000000000000000000000000000000000000000000000000000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(cev_audit_parse_seal(bad[i], &seq, hash), CEV_EUSAGE);
}

static void test_head(void **st)
{
    (void)st;
    char *dir = make_temp_dir("audit");
    int present;
    long seq;
    char hash[CEV_SHA256_HEX];
    cev_error err;
    assert_int_equal(cev_audit_read_head(dir, &present, &seq, hash, &err), CEV_OK);
    assert_false(present);
    assert_int_equal(cev_audit_check_chain(dir, &err), CEV_OK); /* an empty store holds */
    put_file(dir, "head", "{\"seq\":0,\"hash\":\"0000000000000000000000000000000000000000000000000000000000000001\"}\n");
    assert_int_equal(cev_audit_read_head(dir, &present, &seq, hash, &err), CEV_PROBLEMS);
    put_file(dir, "head", "{\"seq\":3}\n");
    assert_int_equal(cev_audit_read_head(dir, &present, &seq, hash, &err), CEV_PROBLEMS);
    assert_int_equal(cev_audit_check_chain(dir, &err), CEV_PROBLEMS);
    put_file(dir, "head", "{\"seq\":0,\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}\n");
    assert_int_equal(cev_audit_read_head(dir, &present, &seq, hash, &err), CEV_OK);
    assert_true(present);
    assert_int_equal(seq, 0);
    assert_int_equal(cev_audit_check_chain(dir, &err), CEV_OK);
    /* a catalog with no head: the log and its head were deleted */
    char objects[4096];
    snprintf(objects, sizeof objects, "%s/objects", dir);
    assert_int_equal(mkdir(objects, 0750), 0);
    put_file(objects, "catalog-x.json", "[]\n");
    assert_int_equal(cev_audit_check_chain(dir, &err), CEV_OK);
    char head[4096];
    snprintf(head, sizeof head, "%s/head", dir);
    assert_int_equal(unlink(head), 0);
    assert_int_equal(cev_audit_check_chain(dir, &err), CEV_PROBLEMS);
    assert_non_null(strstr(err.message, "a catalog in objects/ but no head"));
    remove_tree(dir);
    free(dir);
}

/* One eval run logging the lines of `text` (one file, `name`) in the store. */
static void log_run(const cev_engine *eng, const char *dir, const char *name, const char *text)
{
    cev_audit *store;
    cev_error err;
    assert_int_equal(cev_audit_begin(&store, dir, &err), CEV_OK);
    assert_int_equal(cev_audit_register(store, eng, 0, &err), CEV_OK);
    FILE *in = fmemopen((void *)text, strlen(text), "r"), *dest = tmpfile();
    assert_non_null(in);
    assert_non_null(dest);
    const char *const sources[] = {name};
    cev_eval *ev;
    assert_int_equal(cev_eval_open(&ev, eng, store, dest, "dest", sources, 1, 1, 0, NULL, &err),
                     CEV_OK);
    assert_int_equal(cev_eval_stream(ev, 0, in, &err), CEV_OK);
    cev_eval_report rep;
    assert_int_equal(cev_eval_finish(ev, &rep, &err), CEV_OK);
    cev_eval_close(ev);
    assert_int_equal(cev_audit_end(store, &err), CEV_OK);
    fclose(in);
    fclose(dest);
}

/* A record of an unknown title: an E_TITLE error record naming its
 * candidate and its session. */
#define NOPE(id, session) "{\"candidate\": \"" id "\", \"title\": \"NOPE\", \"session\": {\"id\": \"" session "\", \"date\": \"2024-03-14\"}, \"jury\": [], \"evidence\": {}}\n"

static void expect_seqs(const cev_query *q, const long *want, size_t n)
{
    assert_int_equal(q->n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(q->seqs[i], want[i]);
}

/* Each candidate once: in its latest run, its decision record if any, else
 * its last entry; every entry whose id could not be read; a session's
 * candidates only, with its orphans, when one is named. */
static void test_current_decisions(void **st)
{
    (void)st;
    char *dir = make_temp_dir("current");
    cev_engine *eng;
    cev_error err;
    assert_int_equal(cev_engine_load(&eng, CEV_TEST_PLUGINS_DIR, CEV_TEST_RULES_DIR, 0, &err),
                     CEV_OK);
    char *sample = slurp(CEV_TEST_SESSIONS_DIR "/rncp36524-sample.jsonl");
    assert_non_null(sample);
    char *second = strchr(sample, '\n') + 1; /* AICMP-2024-002, decided */
    char first[8192], two[8192];
    snprintf(first, sizeof first, "%.*s", (int)(second - sample), sample);
    snprintf(two, sizeof two, "%.*s", (int)(strchr(second, '\n') + 1 - second), second);
    char run1[32768], run2[16384];
    /* 1 AICMP-2024-001 decided, 2 its repeat (refused), 3 not JSON (no id),
     * 4 X1 (E_TITLE) of session S2, 5 X2 (E_TITLE) */
    snprintf(run1, sizeof run1, "%s%s{not json\n" NOPE("X1", "S2") NOPE("X2", "S2"), first, first);
    /* 6 X1 again, 7 AICMP-2024-002 decided */
    snprintf(run2, sizeof run2, NOPE("X1", "S2") "%s", two);
    log_run(eng, dir, "a.jsonl", run1);
    log_run(eng, dir, "b.jsonl", run2);
    cev_query q;
    assert_int_equal(cev_query_current(&q, dir, NULL, &err), CEV_OK);
    expect_seqs(&q, (const long[]){1, 3, 5, 6, 7}, 5);
    assert_int_equal(q.superseded, 2); /* 2 (beside a decision), 4 (an earlier run) */
    cev_query_close(&q);
    /* the sample's session: its entries of file a, the orphan line 3 of that
     * file, and its entry of file b */
    assert_int_equal(cev_query_current(&q, dir, "IMELIS-2024-03", &err), CEV_OK);
    expect_seqs(&q, (const long[]){1, 3, 7}, 3);
    assert_int_equal(q.superseded, 1);
    cev_query_close(&q);
    /* the orphan line 3 of file a belongs to every session of that file */
    assert_int_equal(cev_query_current(&q, dir, "S2", &err), CEV_OK);
    expect_seqs(&q, (const long[]){3, 5, 6}, 3);
    assert_int_equal(q.superseded, 1);
    cev_query_close(&q);
    assert_int_equal(cev_query_current(&q, dir, "NOPE", &err), CEV_OK);
    assert_int_equal(q.n, 0);
    cev_query_close(&q);
    /* whose is an entry */
    char *who;
    assert_int_equal(cev_query_owner(dir, 7, &who, &err), CEV_OK);
    assert_string_equal(who, "AICMP-2024-002");
    free(who);
    assert_int_equal(cev_query_owner(dir, 3, &who, &err), CEV_OK);
    assert_null(who);
    assert_int_equal(cev_query_owner(dir, 8, &who, &err), CEV_END);
    free(sample);
    cev_engine_unload(eng);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_start),
        cmocka_unit_test(test_measure),
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_head),
        cmocka_unit_test(test_current_decisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
