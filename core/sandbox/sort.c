#include "sandbox/sort.h"

#include "sandbox/state.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>

enum { LIST = 1, COMP = 2, BUF = 3 };

/* Whether buf[j] sorts before buf[i]: comp(buf[j], buf[i]), or `<`. */
static int before(lua_State *L, int has_comp, lua_Integer j, lua_Integer i)
{
    cev_state_charge(L, 1);
    if (has_comp)
        lua_pushvalue(L, COMP);
    lua_rawgeti(L, BUF, j);
    lua_rawgeti(L, BUF, i);
    int r;
    if (has_comp) {
        lua_call(L, 2, 1);
        r = lua_toboolean(L, -1);
        lua_pop(L, 1);
    } else {
        r = lua_compare(L, -2, -1, LUA_OPLT);
        lua_pop(L, 2);
    }
    return r;
}

static void move(lua_State *L, lua_Integer from, lua_Integer to)
{
    lua_rawgeti(L, BUF, from);
    lua_rawseti(L, BUF, to);
}

/* Merges the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi),
 * src and dst being offsets in the buffer (slots 1 + offset + index).  An
 * item of the right run goes first only when it sorts strictly before:
 * equal items keep their order. */
static void merge(lua_State *L, int has_comp, lua_Integer src, lua_Integer dst, lua_Integer lo,
                  lua_Integer mid, lua_Integer hi)
{
    lua_Integer i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (before(L, has_comp, 1 + src + j, 1 + src + i))
            move(L, 1 + src + j++, 1 + dst + k++);
        else
            move(L, 1 + src + i++, 1 + dst + k++);
    }
    while (i < mid)
        move(L, 1 + src + i++, 1 + dst + k++);
    while (j < hi)
        move(L, 1 + src + j++, 1 + dst + k++);
}

static int stable_sort(lua_State *L)
{
    luaL_checktype(L, LIST, LUA_TTABLE);
    lua_Integer n = luaL_len(L, LIST);
    if (n <= 1)
        return 0;
    luaL_argcheck(L, n < INT_MAX / 2, 1, "array too big");
    int has_comp = !lua_isnoneornil(L, COMP);
    if (has_comp)
        luaL_checktype(L, COMP, LUA_TFUNCTION);
    lua_settop(L, COMP);
    cev_state_charge(L, 2 * (long)n);
    lua_createtable(L, (int)(2 * n), 0); /* BUF: the items, then room for a pass */
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, LIST, i);
        lua_rawseti(L, BUF, i);
    }
    lua_Integer src = 0, dst = n;
    for (lua_Integer width = 1; width < n; width *= 2) {
        for (lua_Integer lo = 0; lo < n; lo += 2 * width) {
            lua_Integer mid = lo + width < n ? lo + width : n;
            lua_Integer hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(L, has_comp, src, dst, lo, mid, hi);
        }
        lua_Integer t = src;
        src = dst;
        dst = t;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, BUF, src + i);
        lua_seti(L, LIST, i);
    }
    return 0;
}

int cev_sort_open(lua_State *L)
{
    if (lua_getglobal(L, LUA_TABLIBNAME) != LUA_TTABLE)
        return luaL_error(L, "no table library");
    lua_pushcfunction(L, stable_sort);
    lua_setfield(L, -2, "sort");
    lua_pop(L, 1);
    return 0;
}
