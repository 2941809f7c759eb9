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
 *     string.pack, unpack and packsize;
 *   - a pattern function (find, match, gmatch, gsub) on n bytes of subject
 *     with a pattern of m bytes: (n + 1)(m + 1) / CEV_STATE_COST_BYTES (a
 *     plain find compares up to m bytes at each position), plus, for a
 *     pattern with k >= 2 items that can take several lengths (x*, x+, x-,
 *     %b, a back-reference, an unanchored start), (k - 1)(n + 1)^2 / 128,
 *     for k >= 3 (n + 1)^k (m + 1) / 2048, and 2^q / 8 for q optional
 *     items (x?): see pattern_cost() in cost.c;
 *   - one per CEV_STATE_COST_BYTES bytes of every string argument after the
 *     first (not the value table.insert inserts), and of every argument of
 *     the math functions, of string.sub, string.char, utf8.char, of the
 *     first of select and of the string metatable's
 *     arithmetic (`s + 0`): Lua reads all of a string to convert it to a
 *     number, or to find it is none.
 * tonumber and utf8.offset count as reading their subject.  string.rep of
 * an empty string and separator returns "" at once (Lua 5.4.4 loops n
 * times to build it), charged for its count all the same.
 * A call that would exceed the budget stops before doing the work.  The
 * strings a call builds are charged as the state allocates them (state.h):
 * one instruction per CEV_STATE_COST_BYTES bytes of each long string, for C
 * functions and VM instructions (concatenation) alike.
 *
 * Bounded by measurement, not by proof: the pattern charges are set so
 * that the worst patterns found stay under 1 s a call under the default
 * budget (Lua's matcher exposes no counter).  Not bounded: a numeric for
 * loop converts a string bound or step in one instruction, unseen.  Both
 * are measured in docs/security.md.
 */
#ifndef CEV_SANDBOX_COST_H
#define CEV_SANDBOX_COST_H

#include <lua.h>

/* Wraps the costly functions of the open string, table, math and utf8
 * libraries, select, tonumber and the string metatable's arithmetic.
 * Run protected, after the libraries are open and before any chunk takes
 * their functions as locals. */
int cev_cost_open(lua_State *L);

#endif
