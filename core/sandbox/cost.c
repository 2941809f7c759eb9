#include "sandbox/cost.h"

#include "sandbox/state.h"
#include "sandbox/view.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <math.h>
#include <string.h>

/* What a function's arguments say of its work, charged before the call.
 * Functions whose work is what they build (format, sub, upper, ...) are not
 * wrapped for it: the allocator charges what they build. */
typedef enum {
    BY_SUBJECT, /* string arg 1 from position `arg` (utf8.len, tonumber, ...) */
    BY_PATTERN, /* find, match, gmatch, gsub: subject from `arg`, pattern (arg 2) */
    BY_REP,     /* string.rep(s, n, sep): the size of its result */
    BY_RANGE,   /* list arg 1, from the index at arg `arg` to the one at `arg` + 1 */
    BY_MOVE,    /* table.move(a1, f, e, t) */
    BY_INSERT,  /* table.insert(t, pos, v): the elements it shifts */
    BY_REMOVE,  /* table.remove(t, pos): the same */
    BY_SLICE,   /* string.byte(s, i, j): the values it returns */
    BY_FORMAT,  /* string.pack/unpack/packsize(fmt, ...): each byte of fmt
                   may read, write or return a value */
    BY_NUMBERS, /* only its string arguments (up to `arg`, or all), which it
                   converts to numbers */
} cost_kind;

typedef struct cost_rule {
    const char *lib, *name;
    cost_kind kind;
    int arg; /* the position or first-index argument, 0 for none */
} cost_rule;

/* The string metatable's arithmetic: `s + 0` converts s there. */
#define STRING_META "\x01string metatable" /* no library has this name */

static const cost_rule cost_rules[] = {
    {LUA_STRLIBNAME, "rep", BY_REP, 0},
    {LUA_STRLIBNAME, "find", BY_PATTERN, 3},
    {LUA_STRLIBNAME, "match", BY_PATTERN, 3},
    {LUA_STRLIBNAME, "gmatch", BY_PATTERN, 3},
    {LUA_STRLIBNAME, "gsub", BY_PATTERN, 0},
    {LUA_TABLIBNAME, "concat", BY_RANGE, 3},
    {LUA_TABLIBNAME, "unpack", BY_RANGE, 2},
    {LUA_TABLIBNAME, "move", BY_MOVE, 0},
    {LUA_TABLIBNAME, "insert", BY_INSERT, 2},
    {LUA_TABLIBNAME, "remove", BY_REMOVE, 2},
    {LUA_UTF8LIBNAME, "len", BY_SUBJECT, 2},
    {LUA_UTF8LIBNAME, "codepoint", BY_SUBJECT, 2},
    {LUA_UTF8LIBNAME, "offset", BY_SUBJECT, 3},
    {LUA_STRLIBNAME, "byte", BY_SLICE, 2},
    {LUA_STRLIBNAME, "pack", BY_FORMAT, 0},
    {LUA_STRLIBNAME, "unpack", BY_FORMAT, 0},
    {LUA_STRLIBNAME, "packsize", BY_FORMAT, 0},
    {LUA_GNAME, "tonumber", BY_SUBJECT, 0},
    /* functions that convert numeric strings (lua_tonumber reads all of a
     * string, found or not) and build nothing to charge */
    {LUA_STRLIBNAME, "sub", BY_NUMBERS, 0},
    {LUA_STRLIBNAME, "char", BY_NUMBERS, 0},
    {LUA_UTF8LIBNAME, "char", BY_NUMBERS, 0},
    {LUA_GNAME, "select", BY_NUMBERS, 1}, /* only its first argument */
    {STRING_META, "__add", BY_NUMBERS, 0},
    {STRING_META, "__sub", BY_NUMBERS, 0},
    {STRING_META, "__mul", BY_NUMBERS, 0},
    {STRING_META, "__div", BY_NUMBERS, 0},
    {STRING_META, "__mod", BY_NUMBERS, 0},
    {STRING_META, "__pow", BY_NUMBERS, 0},
    {STRING_META, "__unm", BY_NUMBERS, 0},
    {STRING_META, "__idiv", BY_NUMBERS, 0},
    /* and every function of the math library (cev_cost_open) */
};

static const cost_rule math_rule = {LUA_MATHLIBNAME, NULL, BY_NUMBERS, 0};

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

/* What Lua's matcher may do with a pattern of `m` bytes on `n` bytes of
 * subject.  Each item is tried at most once per subject position for each
 * position the match started at, as long as no item can take several
 * lengths: (n + 1)(m + 1) steps.  Each item that can (x*, x+, x-, %b, a
 * back-reference) and a search that is not anchored by '^' multiply the
 * worst case by up to n.  The charge is
 *   (n + 1)(m + 1) / CEV_STATE_COST_BYTES
 *   + (k - 1) (n + 1)^2 / PATTERN_SQUARE, for k >= 2 such factors,
 *   + (n + 1)^k (m + 1) / PATTERN_POWER, for k >= 3,
 *   + 2^q / PATTERN_OPTIONS for q optional items (x?).
 * The trim idiom "^%s*(.-)%s*$" is quadratic: the square term pays for it
 * (0.3 s for a budget of 2,000,000 on 4 KiB).  Three factors that interact
 * ("^a*a*a*b" on "aaa...") are cubic: the power term pays for them, and so
 * refuses the trim idiom on subjects of more than about 650 bytes.  The
 * factors were set by measurement, not proven: see docs/security.md.
 * A plain search (find with `plain`, or a pattern without magic characters) is
 * memchr and memcmp: (n + 1)(m + 1) / CEV_STATE_COST_BYTES. */
#define PATTERN_SQUARE 128.0
#define PATTERN_OPTIONS 8.0
#define PATTERN_POWER 2048.0

static double pattern_cost(double n, const char *p, size_t m, int plain, int anchorable)
{
    double base = (n + 1) * ((double)m + 1) / CEV_STATE_COST_BYTES;
    int magic = 0;
    for (size_t j = 0; j < m && !magic; j++) /* the magic characters Lua looks for */
        magic = p[j] != '\0' && strchr("^$*+?.([%-", p[j]) != NULL;
    if (plain || !magic)
        return base;
    int loops = 0, options = 0;
    size_t i = 0;
    if (anchorable && m > 0 && p[0] == '^')
        i = 1;
    else
        loops = 1; /* tried from every position */
    while (i < m) {
        size_t end = i + 1; /* one past the item starting at i */
        if (p[i] == '(' || p[i] == ')') {
            i++;
            continue;
        }
        if (p[i] == '%' && i + 1 < m) {
            if (p[i + 1] == 'b') {
                loops++;
                i += 4;
                continue;
            }
            if (p[i + 1] >= '1' && p[i + 1] <= '9')
                loops++;
            end = i + 2;
            if (p[i + 1] == 'f') { /* a frontier: %f[set], no quantifier */
                i = end;
                continue;
            }
        } else if (p[i] == '[') {
            end = i + 1;
            if (end < m && p[end] == '^')
                end++;
            do { /* the first ']' is a member */
                end += end < m && p[end] == '%' ? 2 : 1;
            } while (end < m && p[end] != ']');
            end++;
        }
        if (end < m && (p[end] == '*' || p[end] == '+' || p[end] == '-')) {
            loops++;
            end++;
        } else if (end < m && p[end] == '?') {
            options++;
            end++;
        }
        i = end;
    }
    double cost = base;
    if (loops >= 2)
        cost += (double)(loops - 1) * (n + 1) * (n + 1) / PATTERN_SQUARE;
    if (loops >= 3) /* clamped by units() when absurd */
        cost += pow(n + 1, loops < 1000 ? loops : 1000) * ((double)m + 1) / PATTERN_POWER;
    if (options > 0)
        cost += ldexp(1.0, options < 1000 ? options : 1000) / PATTERN_OPTIONS;
    return cost;
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
    case BY_PATTERN: {
        size_t plen = 0;
        if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TSTRING)
            return 0;
        lua_tolstring(L, 1, &len);
        const char *p = lua_tolstring(L, 2, &plen);
        lua_Integer from = r->arg ? int_arg(L, r->arg, 1) : 1;
        if (from < 0) /* from the end */
            from = (lua_Integer)len + from + 1;
        double n = span(from < 1 ? 1 : from, (lua_Integer)len);
        int find = strcmp(r->name, "find") == 0;
        int plain = find && lua_toboolean(L, 4); /* find(s, p, init, true) */
        /* '^' anchors find, match and gsub; gmatch reads it as a character */
        int anchorable = strcmp(r->name, "gmatch") != 0;
        return units(pattern_cost(n, p, plen, plain, anchorable));
    }
    case BY_NUMBERS:
        return 0; /* the strings, counted for every kind (charged) */
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

/* What converting the strings among the arguments from `first` on (to
 * `last`, or all when 0) to numbers may cost: one instruction per CEV_STATE_COST_BYTES bytes (Lua
 * reads all of a string to convert it, or to find it is no number). */
static long strings_cost(lua_State *L, int first, int last)
{
    double bytes = 0;
    for (int i = first, top = lua_gettop(L); i <= top && (last == 0 || i <= last); i++) {
        size_t len;
        if (lua_type(L, i) == LUA_TSTRING) {
            lua_tolstring(L, i, &len);
            bytes += (double)len;
        }
    }
    return units(bytes / CEV_STATE_COST_BYTES);
}

/* The wrapper.  Upvalues: the wrapped function, a C function without
 * upvalues, which runs in this very frame (so that its argument errors name
 * the function and the argument as the rule wrote them), and its rule.  What
 * it builds is charged by the allocator. */
static int charged(lua_State *L)
{
    const cost_rule *r = lua_touserdata(L, lua_upvalueindex(2));
    /* any string argument may be converted to a number: a count, a
     * position, an operand; the first is the subject the kind charges */
    if (r->kind == BY_NUMBERS)
        cev_state_charge(L, strings_cost(L, 1, r->arg));
    else if (r->kind == BY_INSERT) /* the value inserted is not converted */
        cev_state_charge(L, lua_gettop(L) >= 3 ? strings_cost(L, 2, 2) : 0);
    else
        cev_state_charge(L, strings_cost(L, 2, 0));
    long cost = cost_before(L, r);
    if (r->kind == BY_REP) {
        /* string.rep's work is its result, which the allocator charges:
         * here it is only refused (the charge raises), before the work,
         * when it cannot be afforded.  An empty result is made here: Lua
         * 5.4.4 loops `n` times to build it, whatever n. */
        if (cost > cev_state_remaining(L))
            cev_state_charge(L, cost);
        size_t len = 1, sep = 0;
        if (lua_type(L, 1) == LUA_TSTRING && lua_isinteger(L, 2) &&
            (lua_isnoneornil(L, 3) || lua_type(L, 3) == LUA_TSTRING)) {
            lua_tolstring(L, 1, &len);
            if (lua_type(L, 3) == LUA_TSTRING)
                lua_tolstring(L, 3, &sep);
            if (len + sep == 0) { /* charged for its count all the same */
                lua_Integer n = lua_tointeger(L, 2);
                cev_state_charge(L, n > 0 ? units((double)n / CEV_STATE_COST_BYTES) : 0);
                lua_pushliteral(L, "");
                return 1;
            }
        }
    } else {
        cev_state_charge(L, cost);
    }
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

/* Wraps the function at key `name` of the table on top with rule `r`. */
static int wrap(lua_State *L, const cost_rule *r, const char *name)
{
    lua_getfield(L, -1, name);
    if (!plain_cfunction(L))
        return luaL_error(L, "%s.%s cannot be charged for", r->lib, name);
    lua_pushlightuserdata(L, (void *)r);
    lua_pushcclosure(L, charged, 2);
    lua_setfield(L, -2, name);
    return 0;
}

int cev_cost_open(lua_State *L)
{
    for (size_t i = 0; i < sizeof cost_rules / sizeof cost_rules[0]; i++) {
        const cost_rule *r = &cost_rules[i];
        int found;
        if (strcmp(r->lib, STRING_META) == 0) {
            lua_pushliteral(L, "");
            found = lua_getmetatable(L, -1);
            lua_remove(L, found ? -2 : -1);
            if (!found)
                continue;
        } else if (lua_getglobal(L, r->lib) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        wrap(L, r, r->name);
        lua_pop(L, 1);
    }
    /* the math library: every function (its number arguments may be
     * strings); the names are collected first, as a table may not get new
     * keys during next() (the order does not matter: each is wrapped once) */
    if (lua_getglobal(L, LUA_MATHLIBNAME) == LUA_TTABLE) {
        int m = lua_gettop(L);
        lua_newtable(L); /* the names */
        lua_Integer n = 0;
        lua_pushnil(L);
        while (lua_next(L, m) != 0) {
            lua_pop(L, 1);
            /* random and randomseed, which keep their state in an
             * upvalue, are not: the sandbox removes them */
            if (lua_type(L, -1) == LUA_TSTRING && lua_getfield(L, m, lua_tostring(L, -1)) &&
                plain_cfunction(L)) {
                lua_pop(L, 1);
                lua_pushvalue(L, -1);
                lua_rawseti(L, m + 1, ++n);
            } else {
                lua_pop(L, 1);
            }
        }
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, m + 1, i);
            const char *name = lua_tostring(L, -1);
            lua_pushvalue(L, m);
            wrap(L, &math_rule, name);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}
