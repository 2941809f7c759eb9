#include "sandbox/view.h"

#include "sandbox/state.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/* ---- the order of keys --------------------------------------------------- */

/* A key as pairs() orders it.  `s` points into a Lua string that the caller
 * keeps referenced (Lua 5.4 never moves strings). */
typedef struct okey {
    int rank; /* 0 number, 1 string, 2 boolean */
    int is_int;
    lua_Integer i; /* an integer, or a boolean as 0/1 */
    lua_Number n;
    const char *s;
    size_t len;
    lua_Integer slot; /* where pairs() keeps the key */
} okey;

/* Fills *k from the value at idx; 0 for a type with no reproducible order. */
static int okey_of(lua_State *L, int idx, okey *k)
{
    memset(k, 0, sizeof *k);
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        k->is_int = lua_isinteger(L, idx);
        if (k->is_int)
            k->i = lua_tointeger(L, idx);
        else
            k->n = lua_tonumber(L, idx);
        return 1;
    case LUA_TSTRING:
        k->rank = 1;
        k->s = lua_tolstring(L, idx, &k->len);
        return 1;
    case LUA_TBOOLEAN:
        k->rank = 2;
        k->i = lua_toboolean(L, idx);
        return 1;
    default:
        return 0;
    }
}

static int cmp_num(lua_Number x, lua_Number y)
{
    return (x > y) - (x < y);
}

/* Numbers ascending (an integer before a float of the same value), strings
 * in byte order (a prefix first), false before true. */
static int okey_cmp(const okey *a, const okey *b)
{
    if (a->rank != b->rank)
        return a->rank - b->rank;
    if (a->rank == 1) {
        int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        return c ? c : (a->len > b->len) - (a->len < b->len);
    }
    if (a->rank == 2 || (a->is_int && b->is_int))
        return (a->i > b->i) - (a->i < b->i);
    int c = cmp_num(a->is_int ? (lua_Number)a->i : a->n, b->is_int ? (lua_Number)b->i : b->n);
    return c ? c : b->is_int - a->is_int;
}

static int cmp_okeys(const void *a, const void *b)
{
    return okey_cmp(a, b);
}

static int unordered(lua_State *L, const char *fn, int idx)
{
    return luaL_error(L, "%s: a table with %s keys has no reproducible order (use a list)", fn,
                      luaL_typename(L, idx));
}

/* ---- ordered iteration ---------------------------------------------------- */

/* The iterator: upvalues t, the sorted keys, the position reached. */
static int sorted_next(lua_State *L)
{
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3));
    for (;;) {
        if (lua_rawgeti(L, lua_upvalueindex(2), ++pos) == LUA_TNIL)
            return 1;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
            lua_pushinteger(L, pos);
            lua_replace(L, lua_upvalueindex(3));
            return 2;
        }
        lua_pop(L, 2); /* removed during the traversal */
    }
}

/* Pushes the iterator pairs() returns for the table at `t` (raw access:
 * metatables are not consulted). */
static void push_iterator(lua_State *L, int t)
{
    t = lua_absindex(L, t);
    lua_newtable(L); /* the keys, in Lua's order */
    int keys = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, t) != 0) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    cev_state_charge(L, (long)n);
    okey *ks = lua_newuserdatauv(L, (size_t)n * sizeof *ks, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, keys, i);
        if (!okey_of(L, -1, &ks[i - 1]))
            unordered(L, "pairs", -1);
        ks[i - 1].slot = i;
        lua_pop(L, 1);
    }
    qsort(ks, (size_t)n, sizeof *ks, cmp_okeys);
    lua_pushvalue(L, t);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, keys, ks[i - 1].slot);
        lua_rawseti(L, -2, i);
    }
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sorted_next, 3);
    lua_replace(L, keys);
    lua_settop(L, keys);
}

static int view_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) { /* a read-only view */
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    push_iterator(L, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

/* next(t, k): the smallest key after k, by a scan of the whole table. */
static int view_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (cev_view_contents(L, 1)) /* a read-only view: its contents */
        lua_replace(L, 1);
    okey after, best, k;
    int from_start = lua_isnil(L, 2), found = 0;
    if (!from_start && !okey_of(L, 2, &after))
        return unordered(L, "next", 2);
    lua_pushnil(L); /* 3: the best key so far */
    long n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1) != 0) {
        lua_pop(L, 1);
        n++;
        if (!okey_of(L, -1, &k))
            return unordered(L, "next", -1);
        if ((from_start || okey_cmp(&k, &after) > 0) && (!found || okey_cmp(&k, &best) < 0)) {
            lua_copy(L, -1, 3);
            okey_of(L, 3, &best);
            found = 1;
        }
    }
    cev_state_charge(L, n);
    if (!found) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 3);
    lua_rawget(L, 1);
    return 2;
}

/* ---- read-only views ------------------------------------------------------ */

/* A view is an empty table whose metatable has __index = its contents and
 * __newindex = readonly_newindex; rules have no getmetatable to reach it. */

static int readonly_newindex(lua_State *L)
{
    int named = lua_type(L, 2) == LUA_TSTRING || lua_type(L, 2) == LUA_TNUMBER;
    return luaL_error(L, "assignment to '%s' in a read-only table (the globals and the "
                         "tables made while loading are read-only: rules keep no state "
                         "between calls)",
                      named ? luaL_tolstring(L, 2, NULL) : luaL_typename(L, 2));
}

/* pairs() of a view walks its contents in the fixed order and never hands
 * the contents table out as the loop's state value. */
static int readonly_pairs(lua_State *L)
{
    if (!cev_view_contents(L, 1)) /* called as the view's __pairs: it is one */
        return luaL_error(L, "not a read-only view");
    push_iterator(L, -1);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

static int readonly_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)cev_view_rawlen(L, 1));
    return 1;
}

int cev_view_contents(lua_State *L, int idx)
{
    if (!lua_istable(L, idx) || !lua_getmetatable(L, idx))
        return 0;
    lua_getfield(L, -1, "__newindex");
    int view = lua_tocfunction(L, -1) == readonly_newindex;
    lua_pop(L, 1);
    if (!view) {
        lua_pop(L, 1);
        return 0;
    }
    lua_getfield(L, -1, "__index");
    lua_remove(L, -2);
    return 1;
}

lua_Unsigned cev_view_rawlen(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (!cev_view_contents(L, idx))
        return lua_rawlen(L, idx);
    lua_Unsigned n = lua_rawlen(L, -1);
    lua_pop(L, 1);
    return n;
}

void cev_view_freeze(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L); /* the contents */
    int contents = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, contents); /* contents[k] = v */
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, idx); /* t[k] = nil: allowed while traversing */
    }
    lua_createtable(L, 0, 5); /* the metatable */
    lua_pushvalue(L, contents);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, readonly_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, readonly_len);
    lua_setfield(L, -2, "__len");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, idx);
    lua_pop(L, 1); /* the contents */
}

/* ---- rawget and rawlen ------------------------------------------------------ */

static int view_rawget(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    if (cev_view_contents(L, 1))
        lua_replace(L, 1);
    lua_rawget(L, 1);
    return 1;
}

static int view_rawlen_fn(lua_State *L)
{
    int t = lua_type(L, 1);
    luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
    lua_pushinteger(L, (lua_Integer)cev_view_rawlen(L, 1));
    return 1;
}

int cev_view_open(lua_State *L)
{
    lua_pushcfunction(L, view_pairs);
    lua_setglobal(L, "pairs");
    lua_pushcfunction(L, view_next);
    lua_setglobal(L, "next");
    lua_pushcfunction(L, view_rawget);
    lua_setglobal(L, "rawget");
    lua_pushcfunction(L, view_rawlen_fn);
    lua_setglobal(L, "rawlen");
    return 0;
}
