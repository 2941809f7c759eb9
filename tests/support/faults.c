/*
 * faults.c - allocations and file operations that fail on demand (faults.h).
 */
#include "faults.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_fsync(int fd);
int __real_rename(const char *from, const char *to);
int __real_ftruncate(int fd, off_t size);
int __real_mkdir(const char *path, mode_t mode);

/* One kind of call: which one fails, and what was counted. */
typedef struct kind {
    const char *env_at, *env_persist, *env_count;
    atomic_long at;
    atomic_int persist;
    atomic_long calls;
    atomic_long failures;
    atomic_int fired;
    atomic_int one_thread; /* only the calls of the thread that set `at` count */
    const char *count_file;
} kind;

static kind mem = {"CEV_OOM_AT", "CEV_OOM_PERSIST", "CEV_OOM_COUNT", -1, 0, 0, 0, 0, 0, NULL};
static kind io = {"CEV_IO_AT", "CEV_IO_PERSIST", "CEV_IO_COUNT", -1, 0, 0, 0, 0, 0, NULL};
static _Thread_local int owner; /* this thread called oom_fail_here() */
static atomic_int ready; /* the environment was read */
static atomic_int paused;

static void write_count(const kind *k)
{
    FILE *f = k->count_file ? fopen(k->count_file, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", atomic_load(&k->calls));
        fclose(f);
    }
}

static void write_counts(void)
{
    write_count(&mem);
    write_count(&io);
}

static void read_env(kind *k)
{
    const char *at = getenv(k->env_at), *p = getenv(k->env_persist);
    atomic_store(&k->at, at ? strtol(at, NULL, 10) : -1);
    atomic_store(&k->persist, p && strcmp(p, "1") == 0);
    k->count_file = getenv(k->env_count);
}

/* Reads the environment once, at the first call: the process makes it on
 * its main thread before it starts any other. */
static void setup(void)
{
    if (atomic_load(&ready))
        return;
    atomic_store(&ready, 1);
    read_env(&mem);
    read_env(&io);
    if (mem.count_file || io.count_file)
        atexit(write_counts);
}

static int should_fail(kind *k)
{
    setup();
    if (atomic_load(&paused) || (atomic_load(&k->one_thread) && !owner))
        return 0;
    long n = atomic_fetch_add(&k->calls, 1), at = atomic_load(&k->at);
    if (at < 0 || n < at || (n > at && !atomic_load(&k->persist)))
        return 0;
    atomic_store(&k->fired, 1);
    atomic_fetch_add(&k->failures, 1);
    return 1;
}

static void fail_at(long k, int persist, int one_thread)
{
    setup();
    atomic_store(&mem.at, -1);
    atomic_store(&mem.calls, 0);
    atomic_store(&mem.fired, 0);
    atomic_store(&mem.persist, persist);
    atomic_store(&mem.one_thread, one_thread);
    owner = one_thread;
    atomic_store(&mem.at, k);
}

void oom_fail_at(long k, int persist)
{
    fail_at(k, persist, 0);
}

void oom_fail_here(long k)
{
    fail_at(k, 0, 1);
}

long oom_calls(void)
{
    return atomic_load(&mem.calls);
}

long oom_failures(void)
{
    return atomic_load(&mem.failures);
}

int oom_fired(void)
{
    return atomic_load(&mem.fired);
}

void oom_pause(void)
{
    atomic_fetch_add(&paused, 1);
}

void oom_resume(void)
{
    atomic_fetch_sub(&paused, 1);
}

/* ---- the wrappers ------------------------------------------------------------- */

/* Whether this allocation fails; if so, errno is ENOMEM, as malloc sets it. */
static int alloc_fails(void)
{
    if (!should_fail(&mem))
        return 0;
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return n > 0 && alloc_fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return alloc_fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return alloc_fails() ? NULL : __real_strndup(s, n);
}

/* cJSON (a shared library) allocates with its own malloc: its hooks send
 * it here too, before main() (test executables only). */
__attribute__((constructor)) static void route_cjson(void)
{
    cJSON_Hooks hooks = {malloc, free}; /* malloc is __wrap_malloc here */
    cJSON_InitHooks(&hooks);
}

/* Fails with `e` when this call is the one. */
#define IO_FAIL(e)                                                                         \
    do {                                                                                   \
        if (should_fail(&io)) {                                                            \
            errno = (e);                                                                   \
            return -1;                                                                     \
        }                                                                                  \
    } while (0)

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
    IO_FAIL(ENOSPC);
    return __real_write(fd, buf, n);
}

int __wrap_fsync(int fd)
{
    IO_FAIL(EIO);
    return __real_fsync(fd);
}

int __wrap_rename(const char *from, const char *to)
{
    IO_FAIL(EIO);
    return __real_rename(from, to);
}

int __wrap_ftruncate(int fd, off_t size)
{
    IO_FAIL(EIO);
    return __real_ftruncate(fd, size);
}

int __wrap_mkdir(const char *path, mode_t mode)
{
    IO_FAIL(ENOSPC);
    return __real_mkdir(path, mode);
}
