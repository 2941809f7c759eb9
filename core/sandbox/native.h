/*
 * native.h - layer 3 of the sandbox: the helpers of cev.lua written in C
 * (calls state.h only).
 *
 * cev.lua is written to be read; the few helpers that run for every
 * competency of every candidate, and would make it slow as plain Lua, are
 * here instead.  Each does what a short Lua loop would (the comment of each
 * says which), indexes tables as Lua code does (metamethods included), and
 * charges the budget one instruction per item it visits (state.h).
 */
#ifndef CEV_SANDBOX_NATIVE_H
#define CEV_SANDBOX_NATIVE_H

#include <lua.h>

/* Pushes a table of the helpers: cev.lua receives it as its chunk's
 * argument.  May raise memory errors. */
void cev_native_push(lua_State *L);

#endif
