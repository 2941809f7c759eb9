/* smallcache.c: free lists of small blocks behind the Lua allocator. */
#include "sandbox/smallcache.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

static void *alloc(cev_smallcache *c, size_t n)
{
    void *p = cev_smallcache_realloc(c, NULL, 5 /* Lua passes a type tag here */, n);
    assert_non_null(p);
    memset(p, 0xab, n);
    return p;
}

/* A freed block serves the next allocation of its class, any size in it. */
static void test_reuse_within_class(void **st)
{
    (void)st;
    cev_smallcache c;
    cev_smallcache_init(&c, 4096);
    void *p = alloc(&c, 17); /* the class of 17..32 bytes */
    assert_null(cev_smallcache_realloc(&c, p, 17, 0));
    assert_int_equal(c.cached, 32);
    void *q = alloc(&c, 32); /* same class: the same block */
    assert_ptr_equal(q, p);
    assert_int_equal(c.cached, 0);
    void *r = alloc(&c, 33); /* next class: a new block */
    assert_ptr_not_equal(r, q);
    cev_smallcache_realloc(&c, q, 32, 0);
    cev_smallcache_realloc(&c, r, 33, 0);
    assert_int_equal(c.cached, 32 + 48);
    cev_smallcache_close(&c);
    assert_int_equal(c.cached, 0);
}

/* Growing within a class keeps the block; across classes and across the
 * small/large boundary, the contents move. */
static void test_realloc_moves(void **st)
{
    (void)st;
    cev_smallcache c;
    cev_smallcache_init(&c, 4096);
    unsigned char *p = alloc(&c, 1);
    p[0] = 42;
    assert_ptr_equal(cev_smallcache_realloc(&c, p, 1, CEV_SMALL_STEP), p);
    unsigned char *q = cev_smallcache_realloc(&c, p, CEV_SMALL_STEP, CEV_SMALL_MAX);
    assert_non_null(q);
    assert_int_equal(q[0], 42);
    unsigned char *big = cev_smallcache_realloc(&c, q, CEV_SMALL_MAX, CEV_SMALL_MAX + 1);
    assert_non_null(big);
    assert_int_equal(big[0], 42);
    memset(big + 1, 7, CEV_SMALL_MAX);
    unsigned char *bigger = cev_smallcache_realloc(&c, big, CEV_SMALL_MAX + 1, 100000);
    assert_non_null(bigger);
    assert_int_equal(bigger[CEV_SMALL_MAX], 7);
    unsigned char *small = cev_smallcache_realloc(&c, bigger, 100000, 2);
    assert_non_null(small);
    assert_int_equal(small[0], 42);
    assert_int_equal(small[1], 7);
    cev_smallcache_realloc(&c, small, 2, 0);
    cev_smallcache_close(&c);
}

/* At most `cap` bytes wait in the lists; the rest goes back to free(). */
static void test_cap(void **st)
{
    (void)st;
    cev_smallcache c;
    cev_smallcache_init(&c, 2 * CEV_SMALL_MAX);
    void *b[4];
    for (int i = 0; i < 4; i++)
        b[i] = alloc(&c, CEV_SMALL_MAX);
    for (int i = 0; i < 4; i++)
        cev_smallcache_realloc(&c, b[i], CEV_SMALL_MAX, 0);
    assert_int_equal(c.cached, 2 * CEV_SMALL_MAX);
    cev_smallcache_close(&c);

    cev_smallcache_init(&c, 0); /* no cache at all */
    void *p = alloc(&c, 8);
    cev_smallcache_realloc(&c, p, 8, 0);
    assert_int_equal(c.cached, 0);
    assert_null(cev_smallcache_realloc(&c, NULL, 0, 0)); /* freeing NULL */
    cev_smallcache_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reuse_within_class),
        cmocka_unit_test(test_realloc_moves),
        cmocka_unit_test(test_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
