/*
 * repro.h - base functions that would print addresses, replaced by
 * reproducible ones.
 *
 * Layer 3 of the sandbox (state.h lists the layers), beside seal.h and
 * cost.h.  Calls nothing of the sandbox: only Lua's API.
 *
 * Lua prints tables and functions as their addresses: tostring(t) and
 * string.format("%s", t) give "table: 0x55d4...", and string.format("%p",
 * x) an address.  A rule writing one into a reason would write what replay
 * cannot reproduce.  The replacements: tostring(v) and string.format("%s",
 * v) give the type name ("table", "function") for values that would print
 * an address; "%p" is refused.  (The other source of run-to-run variation,
 * the order of pairs() and next(), is fixed in view.h.)
 */
#ifndef CEV_SANDBOX_REPRO_H
#define CEV_SANDBOX_REPRO_H

#include <lua.h>

/* Replaces tostring in the globals and format in the string library.  Run
 * protected, after the libraries are open and before any chunk takes them
 * as locals. */
int cev_repro_open(lua_State *L);

#endif
