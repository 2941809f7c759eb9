/*
 * seal.h - the state every call of the rules starts from.
 *
 * Layer 3 of the sandbox (state.h lists the layers), beside cost.h and
 * repro.h.  May include and call only view.h (layer 2) and Lua's API.
 *
 * A chunk that has loaded leaves globals, tables and functions; the local
 * variables of the chunk live on as the upvalues of its functions.  If a
 * call could change any of them, the next call would see the change: rules
 * could count candidates, remember the previous one, or swap _ENV, and a
 * decision would depend on the order of the records and on which worker
 * thread saw which - replay could not reproduce it.  So, once the chunk has
 * run, cev_seal_loaded():
 *   - makes every table reachable from the globals a read-only view
 *     (view.h), in place: the global table, the libraries, tables kept in
 *     globals, nested in other tables, or held by the upvalues of
 *     functions.  Being in place, every reference the chunk kept sees the
 *     same view.
 *   - records every upvalue of every reachable Lua function with its value,
 *     and cev_seal_restore(), before each call, puts the values back: an
 *     assignment to a chunk-level local lasts until the end of the call.
 * Tables and functions made during a call are the call's own: they can be
 * reached only from the call's locals and its result, never from the next
 * call.
 *
 * The walk is iterative (no C recursion, whatever the nesting) and its
 * memory counts under the state's cap.
 */
#ifndef CEV_SANDBOX_SEAL_H
#define CEV_SANDBOX_SEAL_H

#include <lua.h>

/* Seals the state as described above.  A lua_CFunction: run it protected,
 * with no arguments, once the chunk has run.  Raises only memory errors. */
int cev_seal_loaded(lua_State *L);

/* Puts back the upvalues cev_seal_loaded() recorded (nothing before it
 * ran).  Allocates nothing; returns 0, restoring nothing, only when the
 * stack cannot take the 3 slots it needs. */
int cev_seal_restore(lua_State *L);

#endif
