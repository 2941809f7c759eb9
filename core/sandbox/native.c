#include "sandbox/native.h"

#include "sandbox/state.h"

#include <lauxlib.h>

/* Pushes the list b.assessments, checked to be a table. */
static void push_assessments(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_getfield(L, 1, "assessments") != LUA_TTABLE)
        luaL_error(L, "block.assessments must be a list");
}

/* mean_score(b, code): the mean of the scores the assessments of b gave
 * competency `code`, summed in the assessments' order; nil when none did.
 * As Lua:
 *     local total, n = 0, 0
 *     for _, a in ipairs(b.assessments) do
 *       local s = a.scores[code]
 *       if s ~= nil then total, n = total + s, n + 1 end
 *     end
 *     if n > 0 then return total / n end  */
static int mean_score(lua_State *L)
{
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    push_assessments(L); /* 3 */
    lua_Number total = 0;
    lua_Integer n = 0, i = 1;
    for (; lua_geti(L, 3, i) != LUA_TNIL; i++) { /* a at 4 */
        if (!lua_istable(L, 4) || lua_getfield(L, 4, "scores") != LUA_TTABLE)
            return luaL_error(L, "block.assessments[%I].scores must be a table", i);
        lua_pushvalue(L, 2);
        if (lua_gettable(L, 5) != LUA_TNIL) {
            int isnum;
            lua_Number s = lua_tonumberx(L, -1, &isnum);
            if (!isnum)
                return luaL_error(L, "block.assessments[%I].scores: a score must be a number", i);
            total += s;
            n++;
        }
        lua_settop(L, 3);
    }
    cev_state_charge(L, (long)i);
    if (n == 0)
        lua_pushnil(L);
    else
        lua_pushnumber(L, total / (lua_Number)n);
    return 1;
}

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

/* eliminated_in(b, code): the ids of the assessments of b in which an
 * eliminatory criterion of competency `code` failed, in order (a new list,
 * usually empty).  As Lua:
 *     local ids = {}
 *     for _, a in ipairs(b.assessments) do
 *       if cev.contains(a.eliminated, code) then ids[#ids + 1] = a.id end
 *     end
 *     return ids  */
static int eliminated_in(lua_State *L)
{
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    push_assessments(L); /* 3 */
    lua_newtable(L);     /* 4: the ids */
    lua_Integer i = 1, k = 1;
    long visited = 0;
    for (; lua_geti(L, 3, i) != LUA_TNIL; i++) { /* a at 5 */
        if (!lua_istable(L, 5) || lua_getfield(L, 5, "eliminated") != LUA_TTABLE)
            return luaL_error(L, "block.assessments[%I].eliminated must be a list", i);
        if (list_contains(L, 6, 2, &visited)) {
            lua_getfield(L, 5, "id");
            lua_seti(L, 4, k++);
        }
        lua_settop(L, 4);
    }
    lua_settop(L, 4); /* the nil that ended the list */
    cev_state_charge(L, (long)i + visited);
    return 1;
}

void cev_native_push(lua_State *L)
{
    static const luaL_Reg helpers[] = {
        {"mean_score", mean_score}, {"eliminated_in", eliminated_in}, {NULL, NULL}};
    luaL_newlib(L, helpers);
}
