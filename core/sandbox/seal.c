#include "sandbox/seal.h"

#include "sandbox/view.h"

#include <lauxlib.h>

/* The registry key of the recorded upvalues: a table holding their number
 * at [0], then (function, upvalue index, value) from [1] on.  A value may
 * be nil, hence the count. */
static const char slots_key = 0;

/* ---- the walk -------------------------------------------------------------- */

/* Stack indexes of the walk's tables, and their lengths.  `seen` holds the
 * tables and Lua functions met, and the ids of the upvalues recorded;
 * `todo` the ones still to visit; `tables` the ones to freeze. */
typedef struct walk {
    int seen, todo, tables, slots;
    lua_Integer ntodo, ntables, nslots;
} walk;

/* Queues the value at `idx` when it is a table or a Lua function not met
 * before.  C functions are skipped: Lua code cannot change their upvalues. */
static void mark(lua_State *L, walk *w, int idx)
{
    int t = lua_type(L, idx);
    if (t != LUA_TTABLE && (t != LUA_TFUNCTION || lua_iscfunction(L, idx)))
        return;
    idx = lua_absindex(L, idx);
    lua_pushvalue(L, idx);
    if (lua_rawget(L, w->seen) == LUA_TNIL) {
        lua_pushvalue(L, idx);
        lua_pushboolean(L, 1);
        lua_rawset(L, w->seen);
        lua_pushvalue(L, idx);
        lua_rawseti(L, w->todo, ++w->ntodo);
    }
    lua_pop(L, 1);
}

/* The table on top: its keys and values are queued, it joins `tables`. */
static void visit_table(lua_State *L, walk *w)
{
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        mark(L, w, -2);
        mark(L, w, -1);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, t);
    lua_rawseti(L, w->tables, ++w->ntables);
}

/* The Lua function on top: each of its upvalues is recorded once (closures
 * made in the same scope share them) with its value, which is queued. */
static void visit_function(lua_State *L, walk *w)
{
    int f = lua_gettop(L);
    for (int i = 1; lua_getupvalue(L, f, i) != NULL; i++) {
        lua_pushlightuserdata(L, lua_upvalueid(L, f, i));
        if (lua_rawget(L, w->seen) == LUA_TNIL) {
            lua_pushlightuserdata(L, lua_upvalueid(L, f, i));
            lua_pushboolean(L, 1);
            lua_rawset(L, w->seen);
            lua_pushvalue(L, f);
            lua_rawseti(L, w->slots, ++w->nslots);
            lua_pushinteger(L, i);
            lua_rawseti(L, w->slots, ++w->nslots);
            lua_pushvalue(L, -2);
            lua_rawseti(L, w->slots, ++w->nslots);
        }
        lua_pop(L, 1);
        mark(L, w, -1);
        lua_pop(L, 1);
    }
}

int cev_seal_loaded(lua_State *L)
{
    luaL_checkstack(L, 16, NULL);
    walk w = {0, 0, 0, 0, 0, 0, 0};
    lua_newtable(L);
    w.seen = lua_gettop(L);
    lua_newtable(L);
    w.todo = lua_gettop(L);
    lua_newtable(L);
    w.tables = lua_gettop(L);
    lua_newtable(L);
    w.slots = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    mark(L, &w, -1);
    lua_pop(L, 1);
    while (w.ntodo > 0) {
        lua_rawgeti(L, w.todo, w.ntodo);
        lua_pushnil(L);
        lua_rawseti(L, w.todo, w.ntodo--);
        if (lua_istable(L, -1))
            visit_table(L, &w);
        else
            visit_function(L, &w);
        lua_pop(L, 1);
    }
    /* frozen only now: the walk read the tables' contents in place */
    for (lua_Integer i = 1; i <= w.ntables; i++) {
        lua_rawgeti(L, w.tables, i);
        cev_view_freeze(L, -1);
        lua_pop(L, 1);
    }
    lua_pushinteger(L, w.nslots / 3);
    lua_rawseti(L, w.slots, 0);
    lua_pushvalue(L, w.slots);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &slots_key);
    return 0;
}

int cev_seal_restore(lua_State *L)
{
    if (!lua_checkstack(L, 3))
        return 0;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &slots_key) == LUA_TTABLE) {
        lua_rawgeti(L, -1, 0);
        lua_Integer n = lua_tointeger(L, -1);
        lua_pop(L, 1);
        for (lua_Integer k = 0; k < n; k++) {
            lua_rawgeti(L, -1, 3 * k + 1); /* the function */
            lua_rawgeti(L, -2, 3 * k + 2);
            int i = (int)lua_tointeger(L, -1);
            lua_pop(L, 1);
            lua_rawgeti(L, -2, 3 * k + 3); /* the value */
            lua_setupvalue(L, -2, i);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return 1;
}
