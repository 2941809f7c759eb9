#include "sandbox/native.h"

#include "sandbox/state.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

/* Whether the list at `list` holds a value equal to the one at `value`;
 * adds the items visited to *visited. */
static int list_contains(lua_State *L, int list, int value, long *visited)
{
    for (lua_Integer j = 1; lua_geti(L, list, j) != LUA_TNIL; j++) {
        int same = lua_compare(L, -1, value, LUA_OPEQ);
        lua_pop(L, 1);
        ++*visited;
        if (same)
            return 1;
    }
    lua_pop(L, 1);
    return 0;
}

/* evidence_of(b, code): in one pass over the assessments of b, the mean of
 * the scores they gave competency `code` (summed in the assessments' order;
 * nil when none did) and the ids of those in which an eliminatory criterion
 * of it failed, in order (nil when none).  As Lua:
 *     local total, n, ids = 0, 0, nil
 *     for _, a in ipairs(b.assessments) do
 *       local s = a.scores[code]
 *       if s ~= nil then total, n = total + s, n + 1 end
 *       if cev.contains(a.eliminated, code) then
 *         ids = ids or {}
 *         ids[#ids + 1] = a.id
 *       end
 *     end
 *     return n > 0 and total / n or nil, ids  */
static int evidence_of(lua_State *L)
{
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_getfield(L, 1, "assessments") != LUA_TTABLE) /* 3 */
        return luaL_error(L, "block.assessments must be a list");
    lua_pushnil(L); /* 4: the ids, made at the first */
    lua_Number total = 0;
    lua_Integer n = 0, i = 1, k = 1;
    long visited = 0;
    for (; lua_geti(L, 3, i) != LUA_TNIL; i++) { /* a at 5 */
        if (!lua_istable(L, 5) || lua_getfield(L, 5, "scores") != LUA_TTABLE) /* 6 */
            return luaL_error(L, "block.assessments[%I].scores must be a table", i);
        lua_pushvalue(L, 2);
        if (lua_gettable(L, 6) != LUA_TNIL) { /* 7 */
            int isnum;
            lua_Number s = lua_tonumberx(L, 7, &isnum);
            if (!isnum)
                return luaL_error(L, "block.assessments[%I].scores: a score must be a number", i);
            total += s;
            n++;
        }
        if (lua_getfield(L, 5, "eliminated") != LUA_TTABLE) /* 8 */
            return luaL_error(L, "block.assessments[%I].eliminated must be a list", i);
        if (list_contains(L, 8, 2, &visited)) {
            if (lua_isnil(L, 4)) {
                lua_newtable(L);
                lua_replace(L, 4);
            }
            lua_getfield(L, 5, "id");
            lua_seti(L, 4, k++);
        }
        lua_settop(L, 4);
    }
    cev_state_charge(L, (long)i + visited);
    if (n == 0)
        lua_pushnil(L);
    else
        lua_pushnumber(L, total / (lua_Number)n);
    lua_pushvalue(L, 4);
    return 2;
}

/* fmt(x): x with two decimals and a decimal comma, for a French reason
 * ("0,42"; "inf", "nan" as they are).  As Lua:
 *     local text = string.format("%.2f", x)
 *     return (text:gsub("%.", ",", 1))
 * (that Lua, run for every competency below its threshold, cost about 4,000
 * instructions a call: a quarter of the decision of a candidate) */
static int fmt(lua_State *L)
{
    char text[64];
    int n = snprintf(text, sizeof text, "%.2f", (double)luaL_checknumber(L, 1));
    if (n < 0 || (size_t)n >= sizeof text)
        return luaL_error(L, "cev.fmt: number too large");
    char *dot = strchr(text, '.');
    if (dot)
        *dot = ',';
    lua_pushlstring(L, text, (size_t)n);
    return 1;
}

void cev_native_push(lua_State *L)
{
    static const luaL_Reg helpers[] = {
        {"evidence_of", evidence_of}, {"fmt", fmt}, {NULL, NULL}};
    luaL_newlib(L, helpers);
}
