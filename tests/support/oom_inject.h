/*
 * oom_inject.h - allocations that fail on demand.  An executable linked
 * with oom_inject.c and CEV_WRAP_ALLOC (-Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=strdup,--wrap=strndup: tests/CMakeLists.txt) sends
 * every allocation of the code linked into it (the core, the command line,
 * the test itself) through here; libc, cJSON, Lua's own states and the
 * plugins allocate on their own.
 *
 * Allocations are counted from the last oom_fail_at(), or from the start
 * of the process.  The settings start from the environment, for whole
 * processes (tests/cli/oom.sh):
 *   CEV_OOM_AT=k       the k-th allocation (from 0) fails
 *   CEV_OOM_PERSIST=1  and every one after it
 *   CEV_OOM_COUNT=FILE at exit, the number of allocations is written to FILE
 * Test code: the state is process-wide (atomic: worker threads allocate).
 */
#ifndef CEV_TEST_OOM_INJECT_H
#define CEV_TEST_OOM_INJECT_H

/* From now on, the k-th allocation fails (k from 0; negative: none), and
 * with `persist` every one after it; the count starts again from 0. */
void oom_fail_at(long k, int persist);
/* Allocations counted since (paused ones are not). */
long oom_calls(void);
/* Allocations failed since the start of the process. */
long oom_failures(void);
/* Whether one failed since the last oom_fail_at(). */
int oom_fired(void);
/* Between the two, allocations are neither counted nor failed: what a test
 * does to prepare or check, while no other thread allocates. */
void oom_pause(void);
void oom_resume(void);

#endif
