#include "sandbox/reuse.h"

#include "sandbox/sandbox.h"

#include <lauxlib.h>
#include <math.h>

/* The registry key of the reuse table: this object's address. */
static const char reuse_key;

/* __newindex(t, k, v) of kept tables: what a plain table does, and the
 * mark.  Lua's own errors for a nil or NaN key, with the same position. */
static int guard_newindex(lua_State *L)
{
    if (lua_isnil(L, 2))
        return luaL_error(L, "table index is nil");
    if (lua_type(L, 2) == LUA_TNUMBER && !lua_isinteger(L, 2) && isnan(lua_tonumber(L, 2)))
        return luaL_error(L, "table index is NaN");
    cev_sandbox_of(L)->reuse_added = 1;
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

void cev_reuse_push(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &reuse_key) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1); /* the guard */
    lua_pushcfunction(L, guard_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_rawseti(L, -2, 0);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &reuse_key);
}

void cev_reuse_guard(lua_State *L, int reuse)
{
    lua_rawgeti(L, reuse, 0);
    lua_setmetatable(L, -2);
}

int cev_reuse_added(lua_State *L)
{
    return cev_sandbox_of(L)->reuse_added;
}

/* Uses one stack slot: the state's own stack, between calls, holds a few
 * values and has room for LUA_MINSTACK more. */
void cev_reuse_drop(lua_State *L)
{
    cev_sandbox_of(L)->reuse_added = 0;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &reuse_key) != LUA_TNIL) {
        lua_pushnil(L);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &reuse_key); /* an existing key: no allocation */
    }
    lua_pop(L, 1);
}
