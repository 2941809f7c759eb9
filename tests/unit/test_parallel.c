/* parallel.c: the default number of workers follows the CPUs this process
 * may run on. */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#include "decide/parallel.h"

#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

/* With the affinity cut to `n` of the allowed CPUs, cev_online_cpus() is n
 * (the machine's online count would not be, with 2 or more CPUs). */
static void expect_with(const cpu_set_t *all, int n)
{
    cpu_set_t some;
    CPU_ZERO(&some);
    int taken = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && taken < n; cpu++)
        if (CPU_ISSET(cpu, all)) {
            CPU_SET(cpu, &some);
            taken++;
        }
    assert_int_equal(sched_setaffinity(0, sizeof some, &some), 0);
    assert_int_equal(cev_online_cpus(), (unsigned)n);
}

static void test_default_jobs_follow_affinity(void **st)
{
    (void)st;
    cpu_set_t all;
    assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
    int count = CPU_COUNT(&all);
    assert_int_equal(cev_online_cpus(), count < CEV_MAX_THREADS ? count : CEV_MAX_THREADS);
    expect_with(&all, 1); /* taskset -c 0 */
    if (count >= 2)
        expect_with(&all, 2);
    assert_int_equal(sched_setaffinity(0, sizeof all, &all), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_jobs_follow_affinity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
