#include "sandbox/repro.h"

#include "sandbox/sandbox.h"
#include "sandbox/seal.h"

#include <lauxlib.h>
#include <lualib.h>
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

/* ---- pairs and next ----------------------------------------------------- */

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

void cev_repro_push_iterator(lua_State *L, int t)
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
    cev_sandbox_charge(L, (long)n);
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

static int repro_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) { /* a read-only view */
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    cev_repro_push_iterator(L, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

/* next(t, k): the smallest key after k, by a scan of the whole table. */
static int repro_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (cev_seal_contents(L, 1)) /* a read-only view: its contents */
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
    cev_sandbox_charge(L, n);
    if (!found) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 3);
    lua_rawget(L, 1);
    return 2;
}

/* ---- printing ------------------------------------------------------------ */

/* Whether the stock functions would print the value at idx as an address. */
static int prints_address(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    return t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA ||
           t == LUA_TLIGHTUSERDATA || t == LUA_TTHREAD;
}

static int repro_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    if (prints_address(L, 1))
        lua_pushstring(L, luaL_typename(L, 1));
    else
        luaL_tolstring(L, 1, NULL);
    return 1;
}

/* Where each state keeps the stock string.format (the address is the key). */
static const char stock_format_key = 0;

/* string.format without "%p", and with the type name for a value "%s" would
 * print as an address.  The stock format runs in this frame, so that its
 * argument errors name the call as the rule wrote it. */
static int repro_format(lua_State *L)
{
    static const char flags[] = "-+ #0123456789.";
    size_t len;
    const char *fmt = luaL_checklstring(L, 1, &len);
    for (size_t i = 0; i < len; i++) {
        if (fmt[i] != '%')
            continue;
        for (i++; i < len && memchr(flags, fmt[i], sizeof flags - 1); i++)
            ;
        if (i < len && fmt[i] == 'p')
            return luaL_error(L, "format: %%p prints an address, which is not reproducible");
    }
    int top = lua_gettop(L);
    for (int a = 2; a <= top; a++) {
        if (prints_address(L, a)) {
            lua_pushstring(L, luaL_typename(L, a));
            lua_replace(L, a);
        }
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &stock_format_key);
    lua_CFunction stock = lua_tocfunction(L, -1);
    lua_pop(L, 1);
    return stock(L);
}

int cev_repro_open(lua_State *L)
{
    lua_pushcfunction(L, repro_pairs);
    lua_setglobal(L, "pairs");
    lua_pushcfunction(L, repro_next);
    lua_setglobal(L, "next");
    lua_pushcfunction(L, repro_tostring);
    lua_setglobal(L, "tostring");
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_getfield(L, -1, "format");
    if (lua_tocfunction(L, -1) == NULL)
        return luaL_error(L, "string.format is not a C function");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &stock_format_key);
    lua_pushcfunction(L, repro_format);
    lua_setfield(L, -2, "format");
    lua_pop(L, 1);
    return 0;
}
