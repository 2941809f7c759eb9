/*
 * state.h - the budget primitives of a sandboxed Lua state, and its record.
 *
 * Layer 1 of the sandbox, above smallcache.h (layer 0).  May include and
 * call only smallcache.h and Lua's API; every layer above reads the record
 * through cev_state_of().  Layers, bottom up:
 *   0 smallcache   free lists of small blocks (no Lua)
 *   1 state        this file: memory cap, instruction count, the record
 *   2 view         read-only views, pairs/next in a fixed order
 *   3 seal, cost, repro   (each calls only layers 1 and 2)
 *   4 sandbox      assembles the state and runs calls
 *
 * What it guarantees:
 *   - Memory: the allocator (served from cev_smallcache) refuses to grow the
 *     state past mem_cap.  A refusal is not an error yet: Lua collects and
 *     asks again.  A failure of the C allocator itself sets host_oom, so
 *     that the machine's failure is never reported as the rules' cap.
 *   - Instructions: a count hook adds the instructions of each step (at
 *     most CEV_STATE_HOOK_STEP, fewer as the budget runs out, so that a call
 *     stops at the very instruction that overruns it), plus what the
 *     varargs held may have copied (see state.c), and stops the call with
 *     "instruction budget of N exceeded" past `budget`.  Each
 *     string of more than 128 bytes made costs one instruction per
 *     CEV_STATE_COST_BYTES bytes, reported at the hook's next step (an
 *     allocator cannot raise).  Work of C functions is charged by the
 *     layers above through cev_state_charge().
 *   - A call's count depends on that call alone: cev_state_restart() zeroes
 *     it and restarts the hook's step; short strings (interned or not,
 *     depending on earlier calls) and the stack are not charged.
 */
#ifndef CEV_SANDBOX_STATE_H
#define CEV_SANDBOX_STATE_H

#include "base/error.h"
#include "sandbox/smallcache.h"

#include <lua.h>
#include <stddef.h>

#define CEV_STATE_HOOK_STEP 1000 /* instructions between two budget checks, at most */
#define CEV_STATE_COST_BYTES 16  /* bytes of string work per budget instruction */

/* The record of one sandboxed state (named for the sandbox that owns it,
 * sandbox.h).  The state belongs to one thread at a time. */
typedef struct cev_sandbox {
    lua_State *L;
    size_t mem_used;
    size_t mem_cap;
    long budget;          /* instructions per call */
    long count;           /* instructions used by the current call */
    long armed;           /* instructions the count hook waits for (state.c) */
    int mem_exceeded;     /* a memory error went through the rules' pcall */
    int budget_exceeded;  /* set when a call is stopped on the budget */
    int host_oom;         /* the C allocator failed (not the cap): CEV_ENOMEM */
    char chunkname[128];  /* "@<package>/<file>", as positions print */
    unsigned char *lines; /* with cev_state_track_lines(): lines run */
    size_t nlines;
    cev_smallcache cache; /* the allocator's free lists of small blocks */
} cev_sandbox;

/* A bare Lua state (no library, no hook) under the capped allocator, its
 * extra space pointing at `sb`.  CEV_OK, or CEV_ENOMEM when it cannot be made
 * (sb->host_oom then tells the machine's failure from the cap's); close
 * `sb` in both cases. */
cev_code cev_state_open(cev_sandbox *sb, long instructions, long memory_bytes);
void cev_state_close(cev_sandbox *sb);

/* The record whose state (or thread of it) L is. */
cev_sandbox *cev_state_of(lua_State *L);

/* Sets the count hook (and the line hook when lines are tracked). */
void cev_state_start_hook(cev_sandbox *sb);

/* Records, from now on, which lines of chunk sb->chunkname run:
 * sb->lines[i] becomes 1 when line i runs.  CEV_ENOMEM or CEV_OK. */
cev_code cev_state_track_lines(cev_sandbox *sb, size_t nlines);

/* Starts the current call's count (on L, the state or a thread) from zero,
 * and the hook's step afresh. */
void cev_state_restart(lua_State *L);

/* Charges `units` instructions to the current call, for work the hook
 * cannot see; raises the budget error when the budget is spent. */
void cev_state_charge(lua_State *L, long units);

/* What is left of the current call's budget (negative once overrun). */
long cev_state_remaining(lua_State *L);

/* Collects until memory stops shrinking (see state.c). */
void cev_state_collect(cev_sandbox *sb);

#endif
