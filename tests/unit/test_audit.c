/* audit.c: where lines start in the log, and what a reader may read of it
 * (the CLI suites cover the store as a whole: tests/cli/audit.sh). */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_start),
        cmocka_unit_test(test_measure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
