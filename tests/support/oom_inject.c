/*
 * oom_inject.c - allocation failures for a whole certeval process: linked
 * into certeval_oom (the command line built with -Wl,--wrap for malloc,
 * calloc, realloc, strdup and strndup), driven by tests/cli/oom.sh.
 *
 *   CEV_OOM_AT=k       the k-th allocation (from 0) of certeval's own code fails
 *   CEV_OOM_PERSIST=1  and every one after it
 *   CEV_OOM_COUNT=FILE at exit, the number of allocations is written to FILE
 *
 * libc, cJSON, Lua's own states (not the sandbox's) and the plugins
 * allocate on their own.  Test code: the counters are process-wide.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

static atomic_int ready;
static long fail_at = -1; /* set once, before `ready` */
static int persist;
static const char *count_file;
static atomic_long calls;

static void write_count(void)
{
    FILE *f = fopen(count_file, "w");
    if (f) {
        fprintf(f, "%ld\n", atomic_load(&calls));
        fclose(f);
    }
}

/* The settings, read at the first allocation: certeval allocates on its
 * main thread before it starts any other. */
static void setup(void)
{
    const char *at = getenv("CEV_OOM_AT"), *p = getenv("CEV_OOM_PERSIST");
    fail_at = at ? strtol(at, NULL, 10) : -1;
    persist = p && strcmp(p, "1") == 0;
    if ((count_file = getenv("CEV_OOM_COUNT")) != NULL)
        atexit(write_count);
    atomic_store(&ready, 1);
}

static int should_fail(void)
{
    if (!atomic_load(&ready))
        setup();
    long k = atomic_fetch_add(&calls, 1);
    return fail_at >= 0 && (k == fail_at || (persist && k > fail_at));
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return n > 0 && should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}
