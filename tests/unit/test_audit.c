/* audit.c: where lines start in the log, and what a reader may read of it;
 * verify.c: seals, the head, and the readers' chain check (the CLI suites
 * cover the store as a whole: tests/cli/audit.sh). */
#include "audit/audit.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_start),
        cmocka_unit_test(test_measure),
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_head),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
