/* lines.c: records one per line, in bounded memory. */
#include "base/lines.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *open_text(const char *text, size_t len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    rewind(f);
    return f;
}

static void expect_line(cev_lines *l, const char *want, size_t want_len)
{
    const char *line;
    size_t len;
    assert_int_equal(cev_lines_next(l, &line, &len), CEV_OK);
    assert_int_equal(len, want_len);
    assert_memory_equal(line, want, len);
}

static void test_terminators(void **st)
{
    (void)st;
    const char text[] = "abc\nx\r\n\n\r\nlast";
    FILE *f = open_text(text, sizeof text - 1);
    cev_lines l;
    cev_lines_init(&l, f, 100);
    expect_line(&l, "abc", 3);
    assert_int_equal(cev_lines_offset(&l), 4); /* just past each line's terminator */
    expect_line(&l, "x", 1); /* CRLF */
    assert_int_equal(cev_lines_offset(&l), 7);
    expect_line(&l, "", 0);
    expect_line(&l, "", 0);
    assert_int_equal(cev_lines_offset(&l), 10);
    expect_line(&l, "last", 4); /* no final newline */
    assert_int_equal(cev_lines_offset(&l), 14);
    assert_int_equal(l.lineno, 5);
    const char *line;
    size_t len;
    assert_int_equal(cev_lines_next(&l, &line, &len), CEV_END);
    cev_lines_close(&l);
    fclose(f);
}

static void test_nul_bytes_are_kept(void **st)
{
    (void)st;
    FILE *f = open_text("a\0b\nc", 5);
    cev_lines l;
    cev_lines_init(&l, f, 100);
    expect_line(&l, "a\0b", 3);
    expect_line(&l, "c", 1);
    cev_lines_close(&l);
    fclose(f);
}

static void test_empty_input(void **st)
{
    (void)st;
    FILE *f = open_text("", 0);
    cev_lines l;
    cev_lines_init(&l, f, 100);
    const char *line;
    size_t len;
    assert_int_equal(cev_lines_next(&l, &line, &len), CEV_END);
    cev_lines_close(&l);
    fclose(f);
}

static void test_too_long_lines_are_skipped(void **st)
{
    (void)st;
    /* a 300 000-byte line (many reads), then a normal one, then a long last line */
    size_t big = 300000;
    char *text = malloc(big + 100);
    memset(text, 'x', big);
    memcpy(text + big, "\nok\n", 4);
    memset(text + big + 4, 'y', 50);
    FILE *f = open_text(text, big + 54);
    cev_lines l;
    cev_lines_init(&l, f, 40);
    const char *line;
    size_t len;
    assert_int_equal(cev_lines_next(&l, &line, &len), CEV_TOO_LONG);
    assert_int_equal(len, big);
    assert_null(line);
    assert_int_equal(cev_lines_offset(&l), big + 1);
    assert_true(l.cap <= 40 + (64u << 10)); /* memory stayed bounded */
    expect_line(&l, "ok", 2);
    assert_int_equal(cev_lines_offset(&l), big + 4);
    assert_int_equal(l.lineno, 2);
    assert_int_equal(cev_lines_next(&l, &line, &len), CEV_TOO_LONG);
    assert_int_equal(len, 50);
    assert_int_equal(cev_lines_next(&l, &line, &len), CEV_END);
    cev_lines_close(&l);
    fclose(f);
    free(text);
}

static void test_exactly_at_the_limit(void **st)
{
    (void)st;
    FILE *f = open_text("0123456789\n01234567890\n", 23);
    cev_lines l;
    cev_lines_init(&l, f, 10);
    expect_line(&l, "0123456789", 10);
    const char *line;
    size_t len;
    assert_int_equal(cev_lines_next(&l, &line, &len), CEV_TOO_LONG);
    assert_int_equal(len, 11);
    cev_lines_close(&l);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terminators),
        cmocka_unit_test(test_nul_bytes_are_kept),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_too_long_lines_are_skipped),
        cmocka_unit_test(test_exactly_at_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
