/*
 * sandbox.h - a Lua 5.4 state for untrusted rules.
 *
 * Layer 4, the top of the sandbox: it assembles the layers below and is
 * the only one its callers (rules.c, the tests) need.  May include and call
 * every layer below; no layer includes it.  Bottom up (each calls only
 * downward):
 *   0 smallcache.h  free lists of small blocks under the allocator
 *   1 state.h       the record (cev_sandbox), the memory-capped allocator,
 *                   the instruction count hook, cev_state_charge()
 *   2 view.h        read-only views; pairs/next in a fixed order
 *   3 seal.h        the state every call starts from (views, upvalues)
 *     cost.h        what the library's C functions charge the budget
 *     repro.h       tostring and string.format without addresses
 *   4 sandbox.h     the allow-list, loading, calls, error classification
 *
 * What a chunk can reach: the base functions assert, error, ipairs, next,
 * pairs, pcall, rawequal, rawget, rawlen, select, tonumber, tostring, type
 * (no load, loadfile, dofile, require, collectgarbage, getmetatable,
 * setmetatable, rawset, print, xpcall); the libraries string (no dump),
 * table, math (no random, randomseed), utf8, and certeval's own `cev`.  No
 * io, os, debug, package, coroutine.  Only text chunks load.
 *
 * Limits (state.h, cost.h): the state may not grow past `memory_bytes`
 * (E_RULE_MEMORY), and a call is stopped after `instructions` (E_RULE_BUDGET),
 * C library functions and long strings included.  A call's count depends
 * on that call alone, not on earlier ones.  pcall inside the rules cannot
 * swallow either: it re-raises them.  After cev_sandbox_load() every call
 * starts from the state the chunk left (seal.h): its tables are read-only
 * and its locals are put back before each call, so no call can leave state
 * for the next one (results do not depend on the order records are seen).
 * pairs, next, rawget and rawlen are those of view.h, tostring and
 * string.format those of repro.h.
 *
 * The state belongs to one thread at a time.  Caller-owned struct
 * (cev_sandbox, declared in state.h): cev_sandbox_init() /
 * cev_sandbox_close().
 */
#ifndef CEV_SANDBOX_H
#define CEV_SANDBOX_H

#include "base/error.h"
#include "sandbox/state.h"

#include <lua.h>
#include <stddef.h>

/* A state with the allowed libraries, under `instructions` per call and
 * `memory_bytes` in all.  CEV_ENOMEM when the machine fails,
 * CEV_ERULE_MEMORY when the cap cannot hold the state itself; on failure
 * nothing is left to close. */
cev_code cev_sandbox_init(cev_sandbox *sb, long instructions, long memory_bytes, cev_error *err);
void cev_sandbox_close(cev_sandbox *sb);

/* Loads and runs a text chunk (under the budget), then seals the state it
 * left (seal.h; E_RULE_MEMORY when the cap leaves no room for it).
 * `name` is what positions print ("rncp36524/rules.lua").  Errors:
 * CEV_ERULE / CEV_ERULE_BUDGET / CEV_ERULE_MEMORY with "file:line: ...". */
cev_code cev_sandbox_load(cev_sandbox *sb, const char *name, const char *src, size_t len,
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
cev_code cev_sandbox_call(cev_sandbox *sb, int nargs, int nresults, cev_error *err);

/* Records, from now on, which lines of the loaded chunk run (for coverage):
 * sb->lines[i] becomes 1 when line i runs.  Call before cev_sandbox_load(). */
cev_code cev_sandbox_track_lines(cev_sandbox *sb, size_t nlines);

/* Gives the current call (running on L) its whole budget again: for a caller that
 * prepared the rules' arguments inside the call (their long strings count,
 * state.h) and does not want to charge that work to the rules. */
void cev_sandbox_restart_budget(lua_State *L);

/* "file:line" of the function at `index` of L (the state or a thread of
 * it), for messages. */
void cev_sandbox_where(lua_State *L, int index, char *out, size_t size);

#endif
