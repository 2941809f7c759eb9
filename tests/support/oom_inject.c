/*
 * oom_inject.c - allocations that fail on demand (oom_inject.h).
 */
#include "oom_inject.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

static atomic_int ready; /* the environment was read */
static atomic_long fail_at = -1;
static atomic_int persist;
static atomic_long calls;
static atomic_long failures;
static atomic_int fired;
static atomic_int paused;
static const char *count_file;

static void write_count(void)
{
    FILE *f = fopen(count_file, "w");
    if (f) {
        fprintf(f, "%ld\n", atomic_load(&calls));
        fclose(f);
    }
}

/* Reads the environment once, at the first allocation or setting: the
 * process allocates on its main thread before it starts any other. */
static void setup(void)
{
    if (atomic_load(&ready))
        return;
    atomic_store(&ready, 1);
    const char *at = getenv("CEV_OOM_AT"), *p = getenv("CEV_OOM_PERSIST");
    atomic_store(&fail_at, at ? strtol(at, NULL, 10) : -1);
    atomic_store(&persist, p && strcmp(p, "1") == 0);
    if ((count_file = getenv("CEV_OOM_COUNT")) != NULL)
        atexit(write_count);
}

static int should_fail(void)
{
    setup();
    if (atomic_load(&paused))
        return 0;
    long k = atomic_fetch_add(&calls, 1), at = atomic_load(&fail_at);
    if (at < 0 || k < at || (k > at && !atomic_load(&persist)))
        return 0;
    atomic_store(&fired, 1);
    atomic_fetch_add(&failures, 1);
    return 1;
}

void oom_fail_at(long k, int p)
{
    setup();
    atomic_store(&fail_at, -1);
    atomic_store(&calls, 0);
    atomic_store(&fired, 0);
    atomic_store(&persist, p);
    atomic_store(&fail_at, k);
}

long oom_calls(void)
{
    return atomic_load(&calls);
}

long oom_failures(void)
{
    return atomic_load(&failures);
}

int oom_fired(void)
{
    return atomic_load(&fired);
}

void oom_pause(void)
{
    atomic_fetch_add(&paused, 1);
}

void oom_resume(void)
{
    atomic_fetch_sub(&paused, 1);
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
