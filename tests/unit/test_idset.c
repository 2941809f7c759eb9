/* idset.c: the candidate ids of a session file, exact and compact. */
#include "base/idset.h"

#include "base/error.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_first_line_is_kept(void **st)
{
    (void)st;
    cev_idset s;
    cev_idset_init(&s);
    long first = -1;
    assert_int_equal(cev_idset_add(&s, "C1", 3, &first), 0);
    assert_int_equal(first, -1); /* untouched for a new id */
    assert_int_equal(cev_idset_add(&s, "C10", 4, &first), 0);
    assert_int_equal(cev_idset_add(&s, "c1", 5, &first), 0); /* exact, case included */
    assert_int_equal(cev_idset_add(&s, "", 6, &first), 0);
    assert_int_equal(cev_idset_add(&s, "C1", 9, &first), 1);
    assert_int_equal(first, 3);
    assert_int_equal(cev_idset_add(&s, "C1", 12, &first), 1);
    assert_int_equal(first, 3); /* still the first line, not the last repeat */
    assert_int_equal(cev_idset_add(&s, "", 13, &first), 1);
    assert_int_equal(first, 6);
    assert_int_equal(s.count, 4);
    cev_idset_close(&s);
    cev_idset_close(&s); /* closing twice is harmless */
}

/* Enough ids for many chunks and table doublings; every one found again
 * with its line, none confused with another. */
static void test_many_ids(void **st)
{
    (void)st;
    enum { N = 100000 };
    cev_idset s;
    cev_idset_init(&s);
    char id[32];
    long first;
    for (long i = 0; i < N; i++) {
        snprintf(id, sizeof id, "AICMP-%07ld", i * 7919 % 1000003);
        assert_int_equal(cev_idset_add(&s, id, i + 1, &first), 0);
    }
    assert_true(s.nchunks > 100);
    assert_true(s.nslots >= 2 * N);
    for (long i = N - 1; i >= 0; i--) {
        snprintf(id, sizeof id, "AICMP-%07ld", i * 7919 % 1000003);
        assert_int_equal(cev_idset_add(&s, id, -1, &first), 1);
        assert_int_equal(first, i + 1);
    }
    assert_int_equal(cev_idset_add(&s, "AICMP-", 0, &first), 0);
    assert_int_equal(s.count, N + 1);
    cev_idset_close(&s);
}

/* An id longer than a chunk gets one of its own; the ids around it stay. */
static void test_long_ids(void **st)
{
    (void)st;
    cev_idset s;
    cev_idset_init(&s);
    size_t n = 3 * CEV_IDSET_CHUNK;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'x', n);
    big[n] = '\0';
    long first;
    assert_int_equal(cev_idset_add(&s, "before", 1, &first), 0);
    assert_int_equal(cev_idset_add(&s, big, 2, &first), 0);
    assert_int_equal(cev_idset_add(&s, "after", 3, &first), 0);
    big[n - 1] = 'y'; /* differs in its last byte only */
    assert_int_equal(cev_idset_add(&s, big, 4, &first), 0);
    assert_int_equal(cev_idset_add(&s, big, 5, &first), 1);
    assert_int_equal(first, 4);
    big[n - 1] = 'x';
    assert_int_equal(cev_idset_add(&s, big, 6, &first), 1);
    assert_int_equal(first, 2);
    assert_int_equal(cev_idset_add(&s, "before", 7, &first), 1);
    assert_int_equal(first, 1);
    assert_int_equal(cev_idset_add(&s, "after", 8, &first), 1);
    assert_int_equal(first, 3);
    free(big);
    cev_idset_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_line_is_kept),
        cmocka_unit_test(test_many_ids),
        cmocka_unit_test(test_long_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
