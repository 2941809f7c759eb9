/*
 * reuse.h - tables the host keeps in the state from one call to the
 * next, and refills, instead of building them anew for every call.
 *
 * A kept table must be one no call can tell from a new one, or a decision
 * would depend on the records before it (sandbox.h).  The rules cannot
 * reach the metatables (no getmetatable, setmetatable or rawset), so a
 * call changes a kept table only by assigning to it.  Hence:
 *   - Keys the rules add.  Kept tables carry a guard metatable whose
 *     __newindex stores the key, as a plain table would, and marks the
 *     reuse table: the sandbox drops it when the call ends.  (In a table,
 *     any assignment to an absent or nil-valued key takes that path.)
 *   - Keys the rules change or remove (setting nil).  Before each call
 *     the host sets every key a kept table may have, to its value or to
 *     nil.
 * A kept table then holds the same keys as a new one (pairs and next visit
 * them in a fixed order, sandbox_repro.h), and has room for at least
 * those keys, so it takes no less memory than a new one made for them: a
 * call that fits the memory cap with kept tables fits it with new ones.
 * Lists must not be kept: the length of a list the rules punched holes in
 * depends on the past of its array part.
 *
 * A call run again after running out of memory (sandbox.h) starts without
 * any kept table, as the first call of the state did: the sandbox drops the
 * reuse table before collecting.
 */
#ifndef CEV_SANDBOX_REUSE_H
#define CEV_SANDBOX_REUSE_H

#include <lua.h>

/* Pushes the reuse table of the state, made when there is none: a plain
 * table the host indexes from 1 as it likes (0 holds the guard).  Inside a
 * call: may raise a memory error.  `L` is the state or a thread of it. */
void cev_reuse_push(lua_State *L);

/* Gives the table on top of L the guard metatable.  `reuse` is the stack
 * index of the reuse table.  Raises nothing. */
void cev_reuse_guard(lua_State *L, int reuse);

/* Whether a guard saw a key added since the last cev_reuse_drop(). */
int cev_reuse_added(lua_State *L);

/* Forgets the reuse table: the kept tables become garbage.  Allocates
 * nothing, raises nothing. */
void cev_reuse_drop(lua_State *L);

#endif
