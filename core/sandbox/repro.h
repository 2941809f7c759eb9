/*
 * repro.h - the base functions whose stock versions would make
 * decisions differ from run to run, replaced by reproducible ones.
 *
 * Lua 5.4 seeds its string hashes with the time and the state's addresses,
 * and prints tables and functions as their addresses.  So, in a stock state:
 *   - pairs() and next() visit string keys in an order that changes with every
 *     run, every thread and every Lua state;
 *   - tostring(t) and string.format("%s", t) give "table: 0x55d4...", and
 *     string.format("%p", x) an address.
 * A rule using them would write reasons that replay cannot reproduce.
 *
 * The replacements:
 *   - pairs(t) visits the keys in a fixed order: numbers ascending, then
 *     strings in byte order, then false, true.  A table with a key of
 *     another type (a table, a function) has no such order: pairs() raises
 *     an error instead of guessing.  Keys added during the traversal are not
 *     visited; keys removed are skipped.  Read-only views (sandbox_seal.h)
 *     are walked the same way, through their __pairs.
 *   - next(t, k) returns the key after k in that order (the first when k is
 *     nil), so next(t) == nil still tests emptiness; on a view, in its
 *     contents.
 *   - tostring(v) and string.format("%s", v) give the type name ("table",
 *     "function") for values that would print an address; "%p" is refused.
 * pairs() and next() cost the budget one instruction per key of the table
 * (they are C, which the count hook does not see).
 */
#ifndef CEV_SANDBOX_REPRO_H
#define CEV_SANDBOX_REPRO_H

#include <lua.h>

/* Replaces pairs, next and tostring in the globals and format in the
 * string library.  Run protected, after the libraries are open. */
int cev_repro_open(lua_State *L);

/* Pushes the iterator pairs() returns for the table at `t` (raw access:
 * metatables are not consulted). */
void cev_repro_push_iterator(lua_State *L, int t);

#endif
