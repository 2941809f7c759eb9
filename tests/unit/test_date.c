/* date.c: strict ISO dates as comparable day numbers. */
#include "base/date.h"
#include "base/error.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

static void test_valid_dates(void **st)
{
    (void)st;
    int32_t d, e;
    assert_int_equal(cev_date_parse("1970-01-01", &d), CEV_OK);
    assert_int_equal(d, 0);
    assert_int_equal(cev_date_parse("2024-02-29", &d), CEV_OK); /* leap year */
    assert_int_equal(cev_date_parse("2024-03-01", &e), CEV_OK);
    assert_int_equal(e - d, 1);
    assert_int_equal(cev_date_parse("2000-02-29", &d), CEV_OK); /* divisible by 400 */
    char out[11];
    cev_date_parse("2017-05-15", &d);
    cev_date_format(d, out);
    assert_string_equal(out, "2017-05-15");
    cev_date_format(d + 365, out);
    assert_string_equal(out, "2018-05-15");
}

static void test_invalid_dates(void **st)
{
    (void)st;
    int32_t d;
    const char *bad[] = {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
                         "2024-4-01",  "24-04-01",   "2024/04/01", "2024-04-01T00:00",
                         "abcd-ef-gh", "",           "0999-01-01", "2024-04-00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cev_date_parse(bad[i], &d) == CEV_OK)
            fail_msg("\"%s\" was accepted", bad[i]);
    assert_int_not_equal(cev_date_parse(NULL, &d), CEV_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_dates),
        cmocka_unit_test(test_invalid_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
