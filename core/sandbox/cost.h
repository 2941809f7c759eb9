/*
 * cost.h - what the library's C functions cost the budget.
 *
 * Layer 3 of the sandbox (state.h lists the layers), beside seal.h and
 * repro.h.  May include and call only state.h (layer 1: the charge),
 * view.h (layer 2: the length of a view) and Lua's API.
 *
 * The count hook sees only Lua VM instructions.  A C function such as
 * string.rep, table.concat or table.move can do millions of steps in one
 * instruction, and a loop of such calls, each under the memory cap (its
 * garbage is collected), would run for minutes under a budget it never
 * reaches.  So the string, table and utf8 functions that read or walk in
 * proportion to their arguments are wrapped, and each call is charged,
 * before it runs, for the work its arguments imply:
 *   - one instruction per CEV_STATE_COST_BYTES bytes of the strings it
 *     reads or builds (string.rep's result, a subject string,
 *     table.concat's result);
 *   - one per element it walks (table.concat, move, unpack, insert, remove);
 *     table.sort charges itself (sort.h);
 *   - one per value string.byte returns, and per byte of the format of
 *     string.pack, unpack and packsize.
 * tonumber and utf8.offset count as reading their subject.
 * A call that would exceed the budget stops before doing the work.  The
 * strings a call builds are charged as the state allocates them (state.h):
 * one instruction per CEV_STATE_COST_BYTES bytes of each long string, for C
 * functions and VM instructions (concatenation) alike.
 *
 * Not bounded: a pattern (string.find, match, gmatch, gsub) that backtracks
 * is charged for its subject once, not for each step of the matcher, which
 * Lua does not expose.  See docs/security.md.
 */
#ifndef CEV_SANDBOX_COST_H
#define CEV_SANDBOX_COST_H

#include <lua.h>

/* Wraps the costly functions of the open string, table and utf8 libraries.
 * Run protected, after the libraries are open and before any chunk takes
 * their functions as locals. */
int cev_cost_open(lua_State *L);

#endif
