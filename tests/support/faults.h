/*
 * faults.h - allocations and file operations that fail on demand.  An
 * executable linked with faults.c and CEV_WRAP_FAULTS (-Wl,--wrap for
 * malloc, calloc, realloc, strdup, strndup, write, fsync, rename, ftruncate
 * and mkdir: tests/CMakeLists.txt) sends those calls from the code linked
 * into it (the core, the command line, the test itself) through here, and
 * cJSON's allocations too (its hooks are set before main()); libc (stdio
 * included), Lua's own states and the plugins make their own.  A failed
 * allocation sets errno to ENOMEM, as malloc does.
 *
 * Each kind counts its calls from the last *_fail_at(), or from the start
 * of the process.  The settings start from the environment, for whole
 * processes (tests/cli/faults.sh):
 *   CEV_OOM_AT=k       the k-th allocation (from 0) fails
 *   CEV_OOM_PERSIST=1  and every one after it
 *   CEV_OOM_COUNT=FILE at exit, the number of allocations is written to FILE
 *   CEV_IO_AT, CEV_IO_PERSIST, CEV_IO_COUNT: the same for the file
 *   operations (write fails with ENOSPC, mkdir with ENOSPC, the others EIO)
 * Test code: the state is process-wide (atomic: worker threads allocate).
 */
#ifndef CEV_TEST_FAULTS_H
#define CEV_TEST_FAULTS_H

/* From now on, the k-th allocation fails (k from 0; negative: none), and
 * with `persist` every one after it; the count starts again from 0. */
void oom_fail_at(long k, int persist);
/* The same, for one failure among the calling thread's allocations only:
 * other threads (workers starting, say) neither count nor fail, so that the
 * k-th call is the same one on every run.  oom_fail_at() ends it. */
void oom_fail_here(long k);
/* Allocations counted since (paused ones are not). */
long oom_calls(void);
/* Allocations failed since the start of the process. */
long oom_failures(void);
/* Whether one failed since the last oom_fail_at(). */
int oom_fired(void);
/* Between the two, nothing is counted or failed: what a test does to
 * prepare or check, while no other thread runs. */
void oom_pause(void);
void oom_resume(void);

#endif
