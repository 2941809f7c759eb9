/*
 * sandbox.h - a Lua 5.4 state for untrusted rules.
 *
 * What a chunk can reach: the base functions assert, error, ipairs, next,
 * pairs, pcall, rawequal, rawget, rawlen, select, tonumber, tostring, type
 * (no load, loadfile, dofile, require, collectgarbage, getmetatable,
 * setmetatable, rawset, print, xpcall); the libraries string (no dump),
 * table, math (no random, randomseed), utf8, and certeval's own `cev`.  No
 * io, os, debug, package, coroutine.  Only text chunks load.
 *
 * Limits: an allocator (served from small-block free lists, smallcache.h)
 * refuses to grow the state past `memory_bytes` (E_RULE_MEMORY), and a count
 * hook stops a call after `instructions` VM instructions (E_RULE_BUDGET),
 * C library functions included at the rates of sandbox_cost.h, and one
 * instruction per CEV_COST_BYTES bytes of each long string a call makes
 * and, at each step of the hook, per vararg held beyond 16 per instruction
 * of the step.  A call's count depends on that call alone, not on earlier
 * ones.
 * pcall inside the rules cannot swallow either: it re-raises them.  After
 * cev_sandbox_load() every call starts from the state the chunk left
 * (sandbox_seal.h): its tables are read-only and its locals are put back
 * before each call, so no call can leave state for the next one (results do
 * not depend on the order records are seen).  pairs, next, tostring and
 * string.format are the reproducible versions of sandbox_repro.h; rawget
 * and rawlen see through the read-only views.
 *
 * The state belongs to one thread at a time.  Caller-owned struct:
 * cev_sandbox_init() / cev_sandbox_close().
 */
#ifndef CEV_SANDBOX_H
#define CEV_SANDBOX_H

#include "base/error.h"
#include "sandbox/smallcache.h"

#include <lua.h>
#include <stddef.h>

typedef struct cev_sandbox {
    lua_State *L;
    size_t mem_used;
    size_t mem_cap;
    long budget;          /* instructions per call */
    long count;           /* instructions used by the current call */
    int mem_exceeded;     /* a memory error went through the rules' pcall */
    int budget_exceeded;  /* set by the hook when it stops a call */
    int host_oom;         /* the C allocator failed (not the cap): CEV_ENOMEM */
    char chunkname[128];  /* "@<package>/<file>", as positions print */
    unsigned char *lines; /* with cev_sandbox_track_lines(): lines run */
    size_t nlines;
    cev_smallcache cache; /* the allocator's free lists of small blocks */
} cev_sandbox;

/* A state with the allowed libraries, under `instructions` per call and
 * `memory_bytes` in all.  CEV_ENOMEM when the machine fails,
 * CEV_ERULE_MEMORY when the cap cannot hold the state itself; on failure
 * nothing is left to close. */
int cev_sandbox_init(cev_sandbox *sb, long instructions, long memory_bytes, cev_error *err);
void cev_sandbox_close(cev_sandbox *sb);

/* Loads and runs a text chunk (under the budget), then seals the state it
 * left (sandbox_seal.h; E_RULE_MEMORY when the cap leaves no room for it).
 * `name` is what positions print ("rncp36524/rules.lua").  Errors:
 * CEV_ERULE / CEV_ERULE_BUDGET / CEV_ERULE_MEMORY with "file:line: ...". */
int cev_sandbox_load(cev_sandbox *sb, const char *name, const char *src, size_t len,
                     cev_error *err);

/* Calls the function below `nargs` arguments on sb->L's stack, under a
 * fresh budget, from the sealed state and on a new thread of the state (so
 * that what the call grows is garbage once it returns), leaving `nresults`
 * results on sb->L.  Errors raised with cev.fail() keep their code (E_JURY,
 * E_SCHEMA, ...); any other error is E_RULE with the rules' file:line.  On
 * error the stack is back to where the function was.  A C function called
 * this way receives the thread as its lua_State.  A call that runs out of
 * memory is run once more after a full collection, so that its outcome
 * does not depend on the garbage earlier calls left: the function must be
 * safe to run twice.  `nresults` is not LUA_MULTRET. */
int cev_sandbox_call(cev_sandbox *sb, int nargs, int nresults, cev_error *err);

/* Records, from now on, which lines of the loaded chunk run (for coverage):
 * sb->lines[i] becomes 1 when line i runs.  Call before cev_sandbox_load(). */
int cev_sandbox_track_lines(cev_sandbox *sb, size_t nlines);

/* Gives the current call (running on L) its whole budget again: for a caller that
 * prepared the rules' arguments inside the call (their allocations count,
 * see below) and does not want to charge that work to the rules. */
void cev_sandbox_restart_budget(lua_State *L);

/* Charges `units` instructions to the current call's budget, for work the
 * count hook cannot see (C functions, sandbox_cost.h); raises the budget
 * error, as the hook does, when the budget is spent.  `L` is the sandbox's
 * state, inside a call. */
void cev_sandbox_charge(lua_State *L, long units);

/* What is left of the current call's budget (negative once overrun). */
long cev_sandbox_remaining(lua_State *L);

/* The sandbox whose state (or thread of it) L is. */
cev_sandbox *cev_sandbox_of(lua_State *L);

/* "file:line" of the function at `index` of L (the state or a thread of
 * it), for messages. */
void cev_sandbox_where(lua_State *L, int index, char *out, size_t size);

#endif
