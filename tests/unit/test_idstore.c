/* idstore.c: the candidate ids of a session file, spilled to sorted runs. */
#include "base/idstore.h"

#include "base/error.h"
#include "harness.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void id_of(char *id, size_t n, long i)
{
    snprintf(id, n, "AICMP-%07ld", i * 7919 % 1000003);
}

/* Adds ids from..to-1, id i at line i + 1, each new. */
static void add_new(cev_idstore *s, long from, long to)
{
    char id[32];
    long first;
    cev_error err;
    for (long i = from; i < to; i++) {
        id_of(id, sizeof id, i);
        assert_int_equal(cev_idstore_add(s, id, i + 1, &first, &err), 0);
    }
}

/* Id i is found, first seen at line i + 1. */
static void expect_seen(cev_idstore *s, long i)
{
    char id[32];
    long first = -1;
    cev_error err;
    id_of(id, sizeof id, i);
    assert_int_equal(cev_idstore_add(s, id, -1, &first, &err), 1);
    assert_int_equal(first, i + 1);
}

/* Adds ids 0..n-1 at lines 1..n, then finds each again with its line and
 * adds a few never seen. */
static void check_store(cev_idstore *s, long n)
{
    long first;
    cev_error err;
    add_new(s, 0, n);
    assert_int_equal(cev_idstore_count(s), (size_t)n);
    for (long i = n - 1; i >= 0; i--)
        expect_seen(s, i);
    assert_int_equal(cev_idstore_add(s, "AICMP-", n + 1, &first, &err), 0);
    assert_int_equal(cev_idstore_add(s, "AICMP-0000000x", n + 2, &first, &err), 0);
    assert_int_equal(cev_idstore_add(s, "AICMP-", 0, &first, &err), 1);
    assert_int_equal(first, n + 1);
    assert_int_equal(cev_idstore_count(s), (size_t)n + 2);
}

/* Runs stay at most log2(ids / spill_at) + 1, and hold every spilled id. */
static void test_spills_and_merges(void **st)
{
    cev_idstore s;
    cev_idstore_init(&s);
    s.spill_at = 100;
    s.dir = *st;
    check_store(&s, 2350); /* 23 runs' worth: 16 + 4 + 2 + 1, 52 ids in memory */
    assert_false(s.stay_in_memory);
    assert_int_equal(s.nruns, 4);
    assert_int_equal(s.runs[0].level, 4);
    assert_int_equal(s.runs[0].count, 1600);
    assert_int_equal(s.runs[3].level, 0);
    assert_int_equal(s.mem.count, 52);
    cev_idstore_close(&s);
    cev_idstore_close(&s); /* closing twice is harmless */
    assert_int_equal(s.spill_at, CEV_IDSTORE_SPILL); /* and leaves defaults */
}

/* The default threshold, many blocks per run. */
static void test_default_threshold(void **st)
{
    cev_idstore s;
    cev_idstore_init(&s);
    s.dir = *st;
    check_store(&s, 3 * CEV_IDSTORE_SPILL + 10);
    assert_int_equal(s.nruns, 2);
    assert_true(s.runs[0].nblocks > 100);
    cev_idstore_close(&s);
}

/* Every id hashes alike: runs sort by bytes, and a search must walk across
 * blocks; ids that are prefixes of one another stay distinct. */
static uint64_t same_hash(const char *id, size_t len)
{
    (void)id;
    (void)len;
    return 42;
}

static uint64_t few_hashes(const char *id, size_t len)
{
    return len ? (unsigned char)id[len - 1] % 3 : 7;
}

static void test_colliding_hashes(void **st)
{
    cev_id_hash_fn fns[] = {same_hash, few_hashes};
    for (size_t f = 0; f < 2; f++) {
        cev_idstore s;
        cev_idstore_init(&s);
        s.spill_at = 50;
        s.dir = *st;
        s.hash = fns[f];
        check_store(&s, 700);
        long first;
        cev_error err;
        assert_int_equal(cev_idstore_add(&s, "", 5000, &first, &err), 0);
        assert_int_equal(cev_idstore_add(&s, "A", 5001, &first, &err), 0);
        assert_int_equal(cev_idstore_add(&s, "AICMP-000791", 5002, &first, &err), 0);
        for (int i = 0; i < 200; i++) { /* push those three into runs */
            char id[32];
            snprintf(id, sizeof id, "Z%d", i);
            assert_int_equal(cev_idstore_add(&s, id, 6000 + i, &first, &err), 0);
        }
        assert_int_equal(cev_idstore_add(&s, "", 1, &first, &err), 1);
        assert_int_equal(first, 5000);
        assert_int_equal(cev_idstore_add(&s, "AICMP-000791", 1, &first, &err), 1);
        assert_int_equal(first, 5002);
        assert_int_equal(cev_idstore_add(&s, "AICMP-0007919", 1, &first, &err), 1);
        assert_int_equal(first, 2);
        cev_idstore_close(&s);
    }
}

/* No temporary file can be made: the ids stay in memory, all of them. */
static void test_unwritable_dir(void **st)
{
    (void)st;
    cev_idstore s;
    cev_idstore_init(&s);
    s.spill_at = 100;
    s.dir = "/nonexistent/certeval";
    check_store(&s, 1000);
    assert_true(s.stay_in_memory);
    assert_int_equal(s.nruns, 0);
    assert_int_equal(s.mem.count, 1002);
    cev_idstore_close(&s);
}

/* A run cut short under the store: CEV_EIO with a message, not a guess. */
static void test_truncated_run(void **st)
{
    cev_idstore s;
    cev_idstore_init(&s);
    s.spill_at = 100;
    s.dir = *st;
    char id[32];
    long first;
    cev_error err;
    add_new(&s, 0, 100);
    assert_int_equal(s.nruns, 1);
    assert_int_equal(ftruncate(fileno(s.runs[0].file), 0), 0);
    id_of(id, sizeof id, 7);
    assert_int_equal(cev_idstore_add(&s, id, 200, &first, &err), CEV_EIO);
    assert_int_equal(err.code, CEV_EIO);
    assert_non_null(strstr(err.message, "truncated"));
    cev_idstore_close(&s);
}

/* A merge that cannot read its input leaves both runs as they were and
 * spills no more; the ids of the readable run and of memory are found. */
static void test_failed_merge(void **st)
{
    cev_idstore s;
    cev_idstore_init(&s);
    s.spill_at = 100;
    s.dir = *st;
    add_new(&s, 0, 100);
    assert_int_equal(s.nruns, 1);
    /* cut the run short, and empty its filter so that lookups skip it */
    assert_int_equal(ftruncate(fileno(s.runs[0].file), 10), 0);
    memset(s.runs[0].bloom, 0, (size_t)(s.runs[0].bloom_bits + 63) / 64 * 8);
    add_new(&s, 100, 300);
    assert_true(s.stay_in_memory);
    assert_int_equal(s.nruns, 2);
    assert_int_equal(s.runs[1].count, 100);
    assert_int_equal(s.mem.count, 100); /* past spill_at: kept in memory */
    expect_seen(&s, 150); /* in the readable run */
    expect_seen(&s, 250); /* in memory */
    cev_idstore_close(&s);
}

/* spill_at 0 never spills. */
static void test_never_spill(void **st)
{
    (void)st;
    cev_idstore s;
    cev_idstore_init(&s);
    s.spill_at = 0;
    check_store(&s, 500);
    assert_int_equal(s.nruns, 0);
    cev_idstore_close(&s);
}

static int setup(void **st)
{
    *st = make_temp_dir("idstore");
    return 0;
}

/* The runs were unlinked as soon as made: the folder is left empty. */
static int teardown(void **st)
{
    char *dir = *st;
    int rc = rmdir(dir);
    free(dir);
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spills_and_merges), cmocka_unit_test(test_default_threshold),
        cmocka_unit_test(test_colliding_hashes), cmocka_unit_test(test_unwritable_dir),
        cmocka_unit_test(test_truncated_run), cmocka_unit_test(test_failed_merge),
        cmocka_unit_test(test_never_spill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
