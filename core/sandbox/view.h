/*
 * view.h - read-only views of tables, and iteration in a fixed order.
 *
 * Layer 2 of the sandbox (state.h lists the layers).  May include and call
 * only state.h (layer 1, to charge the budget) and Lua's API.
 *
 * Read-only views.  cev_view_freeze() makes a table a view, in place: its
 * contents move to a hidden table, and the table itself, now empty, gets a
 * metatable whose __index is the contents and whose __newindex raises
 * "assignment to 'k' in a read-only table".  Being in place, every
 * reference to the table sees the view.  Indexing, #, pairs, next, ipairs,
 * rawget and rawlen see the contents; pairs() of a view hands out no table
 * (with the contents as the loop's state value, rules could write through
 * them).  The rules have no getmetatable, setmetatable or rawset, so they
 * cannot reach the contents.
 *
 * Ordered iteration.  Lua 5.4 seeds its string hashes per state, so the
 * stock pairs() and next() visit string keys in an order that changes with
 * every run and every state.  The replacements, for tables and views alike:
 *   - pairs(t) visits the keys in a fixed order: numbers ascending (an
 *     integer before a float of the same value), then strings in byte
 *     order, then false, true.  A table with a key of another type (a
 *     table, a function) has no such order: pairs() raises an error instead
 *     of guessing.  Keys added during the traversal are not visited; keys
 *     removed are skipped.
 *   - next(t, k) returns the key after k in that order (the first when k is
 *     nil), so next(t) == nil still tests emptiness.
 * Both are C, which the count hook does not see: each call charges the
 * budget one instruction per key of the table.
 */
#ifndef CEV_SANDBOX_VIEW_H
#define CEV_SANDBOX_VIEW_H

#include <lua.h>

/* Makes the table at `idx` a read-only view, in place.  May raise memory
 * errors. */
void cev_view_freeze(lua_State *L, int idx);

/* When the value at `idx` is a read-only view, pushes the table holding its
 * contents and returns 1; otherwise pushes nothing and returns 0. */
int cev_view_contents(lua_State *L, int idx);

/* The raw length of the table at `idx`, or of a view's contents. */
lua_Unsigned cev_view_rawlen(lua_State *L, int idx);

/* Replaces the base functions pairs, next, rawget and rawlen with the
 * ordered, view-aware versions above.  Run protected, after the base
 * library is open. */
int cev_view_open(lua_State *L);

#endif
