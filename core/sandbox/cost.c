#include "sandbox/cost.h"

#include "sandbox/state.h"
#include "sandbox/view.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>

/* What a function's arguments say of its work, charged before the call.
 * Functions whose work is what they build (format, sub, upper, ...) are not
 * wrapped: the allocator charges what they build. */
typedef enum {
    BY_SUBJECT, /* string arg 1 from position `arg` (find, match, gsub, ...) */
    BY_REP,     /* string.rep(s, n, sep): the size of its result */
    BY_RANGE,   /* list arg 1, from the index at arg `arg` to the one at `arg` + 1 */
    BY_MOVE,    /* table.move(a1, f, e, t) */
    BY_INSERT,  /* table.insert(t, pos, v): the elements it shifts */
    BY_REMOVE,  /* table.remove(t, pos): the same */
    BY_SLICE,   /* string.byte(s, i, j): the values it returns */
    BY_FORMAT,  /* string.pack/unpack/packsize(fmt, ...): each byte of fmt
                   may read, write or return a value */
} cost_kind;

typedef struct cost_rule {
    const char *lib, *name;
    cost_kind kind;
    int arg; /* the position or first-index argument, 0 for none */
} cost_rule;

static const cost_rule cost_rules[] = {
    {LUA_STRLIBNAME, "rep", BY_REP, 0},        {LUA_STRLIBNAME, "find", BY_SUBJECT, 3},
    {LUA_STRLIBNAME, "match", BY_SUBJECT, 3},  {LUA_STRLIBNAME, "gmatch", BY_SUBJECT, 3},
    {LUA_STRLIBNAME, "gsub", BY_SUBJECT, 0},   {LUA_TABLIBNAME, "concat", BY_RANGE, 3},
    {LUA_TABLIBNAME, "unpack", BY_RANGE, 2},   {LUA_TABLIBNAME, "move", BY_MOVE, 0},      {LUA_TABLIBNAME, "insert", BY_INSERT, 2},
    {LUA_TABLIBNAME, "remove", BY_REMOVE, 2},  {LUA_UTF8LIBNAME, "len", BY_SUBJECT, 2},
    {LUA_UTF8LIBNAME, "codepoint", BY_SUBJECT, 2}, {LUA_UTF8LIBNAME, "offset", BY_SUBJECT, 3},
    {LUA_STRLIBNAME, "byte", BY_SLICE, 2},     {LUA_STRLIBNAME, "pack", BY_FORMAT, 0},
    {LUA_STRLIBNAME, "unpack", BY_FORMAT, 0},  {LUA_STRLIBNAME, "packsize", BY_FORMAT, 0},
    {LUA_GNAME, "tonumber", BY_SUBJECT, 0},
};

/* Clamped to what a budget can hold: the charge then fails the call. */
static long units(double x)
{
    if (!(x > 0))
        return 0;
    return x >= (double)LONG_MAX / 2 ? LONG_MAX / 2 : (long)x;
}

/* Integer argument `arg`, or `dflt` when absent or not an integer (the
 * wrapped function reports a bad argument itself). */
static lua_Integer int_arg(lua_State *L, int arg, lua_Integer dflt)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, arg, &ok);
    return ok ? v : dflt;
}

/* Elements from i to j, or 0. */
static double span(lua_Integer i, lua_Integer j)
{
    return j >= i ? (double)j - (double)i + 1 : 0;
}

static long cost_before(lua_State *L, const cost_rule *r)
{
    int nargs = lua_gettop(L);
    size_t len = 0;
    switch (r->kind) {
    case BY_SUBJECT: {
        if (lua_type(L, 1) != LUA_TSTRING)
            return 0;
        lua_tolstring(L, 1, &len);
        lua_Integer from = r->arg ? int_arg(L, r->arg, 1) : 1;
        if (from < 0) /* from the end */
            from = (lua_Integer)len + from + 1;
        return units(span(from < 1 ? 1 : from, (lua_Integer)len) / CEV_STATE_COST_BYTES);
    }
    case BY_REP: {
        size_t sep = 0;
        if (lua_type(L, 1) == LUA_TSTRING)
            lua_tolstring(L, 1, &len);
        if (lua_type(L, 3) == LUA_TSTRING)
            lua_tolstring(L, 3, &sep);
        return units((double)int_arg(L, 2, 0) * ((double)len + (double)sep) / CEV_STATE_COST_BYTES);
    }
    case BY_RANGE:
        if (lua_type(L, 1) != LUA_TTABLE)
            return 0;
        return units(span(int_arg(L, r->arg, 1),
                          int_arg(L, r->arg + 1, (lua_Integer)cev_view_rawlen(L, 1))));
    case BY_MOVE:
        return units(span(int_arg(L, 2, 1), int_arg(L, 3, 0)));
    case BY_SLICE: {
        if (lua_type(L, 1) != LUA_TSTRING)
            return 0;
        lua_tolstring(L, 1, &len);
        lua_Integer i = int_arg(L, r->arg, 1), j = int_arg(L, r->arg + 1, i);
        if (i < 0) /* from the end */
            i = (lua_Integer)len + i + 1;
        if (j < 0)
            j = (lua_Integer)len + j + 1;
        return units(span(i < 1 ? 1 : i, j > (lua_Integer)len ? (lua_Integer)len : j));
    }
    case BY_FORMAT:
        if (lua_type(L, 1) != LUA_TSTRING)
            return 0;
        lua_tolstring(L, 1, &len);
        return units((double)len);
    case BY_INSERT: /* appending, without a position, shifts nothing */
    case BY_REMOVE:
        if (lua_type(L, 1) != LUA_TTABLE || nargs < (r->kind == BY_INSERT ? 3 : 2))
            return 0;
        return units(span(int_arg(L, r->arg, 1), (lua_Integer)cev_view_rawlen(L, 1)));
    }
    return 0;
}

/* The wrapper.  Upvalues: the wrapped function, a C function without
 * upvalues, which runs in this very frame (so that its argument errors name
 * the function and the argument as the rule wrote them), and its rule.  What
 * it builds is charged by the allocator. */
static int charged(lua_State *L)
{
    const cost_rule *r = lua_touserdata(L, lua_upvalueindex(2));
    long cost = cost_before(L, r);
    /* string.rep's work is its result, which the allocator charges: here it
     * is only refused (the charge raises), before the work, when it cannot
     * be afforded */
    if (r->kind != BY_REP || cost > cev_state_remaining(L))
        cev_state_charge(L, cost);
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

/* Whether the function on top can run in another function's frame. */
static int plain_cfunction(lua_State *L)
{
    if (lua_tocfunction(L, -1) == NULL)
        return 0;
    if (lua_getupvalue(L, -1, 1) == NULL)
        return 1;
    lua_pop(L, 1);
    return 0;
}

int cev_cost_open(lua_State *L)
{
    for (size_t i = 0; i < sizeof cost_rules / sizeof cost_rules[0]; i++) {
        const cost_rule *r = &cost_rules[i];
        if (lua_getglobal(L, r->lib) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        lua_getfield(L, -1, r->name);
        if (!plain_cfunction(L))
            return luaL_error(L, "%s.%s cannot be charged for", r->lib, r->name);
        lua_pushlightuserdata(L, (void *)r);
        lua_pushcclosure(L, charged, 2);
        lua_setfield(L, -2, r->name);
        lua_pop(L, 1);
    }
    return 0;
}
