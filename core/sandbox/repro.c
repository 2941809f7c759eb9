#include "sandbox/repro.h"

#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

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
