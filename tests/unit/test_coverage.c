/* coverage.c: executable lines read from the compiled chunk. */
#include "pkgtest/coverage.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static const char *src = "local function f(x)\n"                 /* 1 */
                         "  if x then\n"                         /* 2 */
                         "    return 1\n"                        /* 3 */
                         "  else\n"                              /* 4 */
                         "    return 2\n"                        /* 5 */
                         "  end\n"                               /* 6 */
                         "end\n"                                 /* 7: closure made here */
                         "\n"                                    /* 8 */
                         "-- a comment\n"                        /* 9 */
                         "function decide(c)\n"                  /* 10 */
                         "  local t = cev.map({1}, function(v)\n" /* 11 */
                         "    return v * 2\n"                    /* 12: never-called body */
                         "  end)\n"                              /* 13 */
                         "  return f(#t > 0)\n"                  /* 14 */
                         "end\n";                                /* 15 */

static void test_executable_lines(void **st)
{
    (void)st;
    unsigned char *lines;
    size_t n;
    cev_error err;
    assert_int_equal(cev_coverage_chunk_lines(src, strlen(src), &lines, &n, &err), CEV_OK);
    assert_true(n >= 16);
    const int want[] = {2, 3, 5, 7, 10, 11, 12, 13, 14, 15};
    unsigned char expected[32] = {0};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        expected[want[i]] = 1;
    for (size_t i = 1; i < n; i++)
        if (lines[i] != expected[i])
            fail_msg("line %zu: executable %d, expected %d", i, lines[i], expected[i]);
    free(lines);
}

static void test_syntax_error(void **st)
{
    (void)st;
    unsigned char *lines;
    size_t n;
    cev_error err;
    assert_int_equal(cev_coverage_chunk_lines("x = = 1", 7, &lines, &n, &err), CEV_ERULE);
    assert_null(lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_executable_lines),
        cmocka_unit_test(test_syntax_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
