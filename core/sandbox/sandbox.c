#include "sandbox/sandbox.h"

#include "sandbox/cost.h"
#include "sandbox/native.h"
#include "sandbox/repro.h"
#include "sandbox/seal.h"
#include "sandbox/sort.h"
#include "sandbox/state.h"
#include "sandbox/view.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The embedded `cev` library (cev.lua), generated at build time. */
extern const unsigned char cev_lib_lua[];
extern const size_t cev_lib_lua_len;

/* pcall for the rules: catches their errors, never the sandbox's limits. */
static int sb_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    cev_sandbox *sb = cev_state_of(L);
    if (status == LUA_ERRMEM) /* re-raised below as an ordinary error: remember */
        sb->mem_exceeded = 1;
    if (sb->budget_exceeded || sb->mem_exceeded)
        return lua_error(L);
    lua_pushboolean(L, status == LUA_OK);
    lua_insert(L, 1);
    return lua_gettop(L);
}

static const char *const base_allowed[] = {
    "assert", "error",  "ipairs",   "next",  "pairs", "pcall", "rawequal", "rawget",
    "rawlen", "select", "tonumber", "tostring", "type", "_G",   "_VERSION", NULL};

static void remove_field(lua_State *L, const char *table, const char *field)
{
    lua_getglobal(L, table);
    lua_pushnil(L);
    lua_setfield(L, -2, field);
    lua_pop(L, 1);
}

static int open_libs(lua_State *L)
{
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_pop(L, 5);
    /* keep only the allowed base functions and the libraries above */
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    int g = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, g) != 0) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        int keep = strcmp(k, LUA_STRLIBNAME) == 0 || strcmp(k, LUA_TABLIBNAME) == 0 ||
                   strcmp(k, LUA_MATHLIBNAME) == 0 || strcmp(k, LUA_UTF8LIBNAME) == 0;
        for (size_t i = 0; base_allowed[i] && !keep; i++)
            keep = strcmp(base_allowed[i], k) == 0;
        if (!keep) {
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, g);
        }
    }
    lua_pushcfunction(L, sb_pcall);
    lua_setfield(L, g, "pcall");
    lua_pop(L, 1);
    /* before cev.lua takes tostring, format and concat as locals */
    cev_view_open(L);
    cev_repro_open(L);
    cev_sort_open(L);
    cev_cost_open(L);
    remove_field(L, LUA_STRLIBNAME, "dump");
    remove_field(L, LUA_MATHLIBNAME, "random");
    remove_field(L, LUA_MATHLIBNAME, "randomseed");
    /* the cev library: a text chunk returning its table, given its helpers
     * written in C (native.h) */
    if (luaL_loadbufferx(L, (const char *)cev_lib_lua, cev_lib_lua_len, "=cev", "t") != LUA_OK)
        return lua_error(L);
    cev_native_push(L);
    lua_call(L, 1, 1);
    lua_setglobal(L, "cev");
    return 0;
}

/* The message handler: keeps cev.fail() tables, gives every other error the
 * position of the innermost rules line on the stack. */
static int msgh(lua_State *L)
{
    if (lua_istable(L, 1)) {
        lua_getfield(L, 1, "cev_code");
        int structured = lua_type(L, -1) == LUA_TSTRING;
        lua_pop(L, 1);
        if (structured) {
            lua_settop(L, 1);
            return 1;
        }
    }
    const char *msg = lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER
                          ? lua_tostring(L, 1)
                          : lua_pushfstring(L, "error object is a %s value", luaL_typename(L, 1));
    cev_sandbox *sb = cev_state_of(L);
    const char *short_name = sb->chunkname + 1;
    if (strncmp(msg, short_name, strlen(short_name)) == 0) {
        lua_pushstring(L, msg);
        return 1;
    }
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0 && strcmp(ar.source, sb->chunkname) == 0) {
            lua_pushfstring(L, "%s:%d: %s", short_name, ar.currentline, msg);
            return 1;
        }
    }
    lua_pushfstring(L, "%s: %s", short_name, msg);
    return 1;
}

/* A state that could not be made: the machine's failure, or a cap too small.
 * Closing gives back what a half-made state left in the block cache. */
static int init_failed(cev_sandbox *sb, const char *what, cev_error *err)
{
    int rc = sb->host_oom ? cev_error_set(err, CEV_ENOMEM, "", "cannot %s: out of memory", what)
                          : cev_error_set(err, CEV_ERULE_MEMORY, "",
                                          "a memory cap of %zu bytes is too small to %s",
                                          sb->mem_cap, what);
    cev_sandbox_close(sb);
    return rc;
}

cev_code cev_sandbox_init(cev_sandbox *sb, long instructions, long memory_bytes, cev_error *err)
{
    if (cev_state_open(sb, instructions, memory_bytes) != CEV_OK)
        return init_failed(sb, "create a Lua state", err);
    lua_pushcfunction(sb->L, open_libs);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) /* only memory can fail here */
        return init_failed(sb, "open the sandbox libraries", err);
    cev_state_start_hook(sb);
    return CEV_OK;
}

void cev_sandbox_close(cev_sandbox *sb)
{
    cev_state_close(sb);
}

cev_code cev_sandbox_track_lines(cev_sandbox *sb, size_t nlines)
{
    return cev_state_track_lines(sb, nlines);
}

/* The code of a cev.fail() error, when it is one rules may raise: what a
 * candidate's evidence or jury breaks, or the rules' own failure.  The
 * others name what failed elsewhere (a plugin, the JSON, a limit): rules
 * cannot claim them.  0 otherwise. */
static int rules_code(const char *name)
{
    static const int allowed[] = {CEV_EJURY, CEV_ESCHEMA, CEV_EEVIDENCE, CEV_ETITLE, CEV_ERULE};
    int code = name ? cev_code_parse(name) : 0;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (code == allowed[i])
            return code;
    return 0;
}

/* A memory error: the rules' (E_RULE_MEMORY, a decision like any other)
 * when the cap refused, the machine's (CEV_ENOMEM, nothing decided) when
 * the C allocator did, so that no record's outcome depends on the host. */
static int no_memory(cev_sandbox *sb, cev_error *err)
{
    if (sb->host_oom) {
        sb->host_oom = 0;
        return cev_error_set(err, CEV_ENOMEM, "", "%s: out of memory", sb->chunkname + 1);
    }
    return cev_error_set(err, CEV_ERULE_MEMORY, "", "%s: memory cap of %zu bytes exceeded",
                         sb->chunkname + 1, sb->mem_cap);
}

/* Runs lua_pcall on L (the state or a thread of it) with the handler and
 * classifies a failure. */
static int protected_call(cev_sandbox *sb, lua_State *L, int nargs, int nresults,
                          cev_error *err)
{
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    cev_state_restart(L);
    sb->budget_exceeded = sb->mem_exceeded = sb->host_oom = 0;
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (status == LUA_OK)
        return CEV_OK;
    int rc;
    const char *name = sb->chunkname + 1;
    if (sb->mem_exceeded || status == LUA_ERRMEM) {
        rc = no_memory(sb, err);
    } else if (sb->budget_exceeded) {
        rc = cev_error_set(err, CEV_ERULE_BUDGET, "", "%s", lua_tostring(L, -1));
    } else if (lua_istable(L, -1)) { /* cev.fail(); only strings are read: no
                                        * conversion may allocate out here */
        lua_getfield(L, -1, "cev_code");
        lua_getfield(L, -2, "path");
        lua_getfield(L, -3, "message");
        const char *code_name = lua_tostring(L, -3); /* a string: see msgh */
        const char *path = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
        int code = rules_code(code_name);
        if (code)
            rc = cev_error_set(err, code, path, "%s", msg);
        else
            rc = cev_error_set(err, CEV_ERULE, path,
                               "%s: %s is not a code rules raise (E_JURY, E_SCHEMA, "
                               "E_EVIDENCE, E_TITLE, E_RULE): %s",
                               name, code_name ? code_name : "(none)", msg);
        lua_pop(L, 3);
    } else {
        const char *m = lua_tostring(L, -1);
        rc = cev_error_set(err, CEV_ERULE, "", "%s", m ? m : "error");
    }
    lua_pop(L, 1);
    sb->count = 0;
    sb->budget_exceeded = sb->mem_exceeded = 0;
    return rc;
}

cev_code cev_sandbox_load(cev_sandbox *sb, const char *name, const char *src, size_t len,
                     cev_error *err)
{
    snprintf(sb->chunkname, sizeof sb->chunkname, "@%s", name);
    sb->host_oom = 0;
    int status = luaL_loadbufferx(sb->L, src, len, sb->chunkname, "t");
    if (status != LUA_OK) {
        int rc = status == LUA_ERRMEM ? no_memory(sb, err)
                                      : cev_error_set(err, CEV_ERULE, "", "%s",
                                                      lua_tostring(sb->L, -1));
        lua_pop(sb->L, 1);
        return rc;
    }
    int rc = protected_call(sb, sb->L, 0, 0, err);
    if (rc != CEV_OK)
        return rc;
    lua_pushcfunction(sb->L, cev_seal_loaded);
    sb->host_oom = 0;
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) { /* only memory can fail here */
        lua_pop(sb->L, 1);
        if (sb->host_oom)
            return no_memory(sb, err);
        return cev_error_set(err, CEV_ERULE_MEMORY, "",
                             "%s: memory cap exceeded while making the loaded state read-only",
                             name);
    }
    cev_state_collect(sb); /* what loading grew is given back now, not during a call */
    return CEV_OK;
}

void cev_sandbox_restart_budget(lua_State *L)
{
    cev_state_restart(L);
}

static int new_thread(lua_State *L)
{
    lua_newthread(L);
    return 1;
}

/* One attempt: calls a copy of the function and arguments at base..top of
 * sb->L on a new thread; on success the results are left on that thread,
 * which is pushed on sb->L (*T). */
static int attempt(cev_sandbox *sb, int base, int nargs, int nresults, lua_State **T,
                   cev_error *err)
{
    lua_State *L = sb->L;
    lua_pushcfunction(L, new_thread);
    sb->host_oom = 0;
    if (!cev_seal_restore(L) || lua_pcall(L, 0, 1, 0) != LUA_OK)
        return no_memory(sb, err); /* the error object on top, popped by the caller */
    *T = lua_tothread(L, -1);
    if (!lua_checkstack(*T, nargs + 1) || !lua_checkstack(L, nargs + 1))
        return no_memory(sb, err);
    for (int i = 0; i <= nargs; i++)
        lua_pushvalue(L, base + i);
    lua_xmove(L, *T, nargs + 1);
    return protected_call(sb, *T, nargs, nresults, err);
}

/* Each call runs on a thread of its own.  The stack and the call records a
 * call grows belong to its thread, which is garbage once the call is over:
 * the next call finds the memory a deep recursion took collectable (Lua
 * collects it before refusing an allocation), where on the state's own
 * thread it would stay allocated until some later collection shrank it.  A
 * new thread also starts the count hook's step afresh.
 *
 * A call that runs out of memory is run once more, after a full collection
 * (protected_call's): some allocations (the buffers of string.rep, format,
 * concat, gsub) are refused without Lua collecting first, so the first
 * failure may be due to garbage earlier calls left.  The second outcome is
 * that of a collected state, whatever came before. */
cev_code cev_sandbox_call(cev_sandbox *sb, int nargs, int nresults, cev_error *err)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs; /* the function */
    lua_State *T = NULL;
    int rc = attempt(sb, base, nargs, nresults, &T, err);
    if (rc == CEV_ERULE_MEMORY) { /* not CEV_ENOMEM: the machine's, not the rules' */
        lua_settop(L, base + nargs);
        cev_state_collect(sb);
        rc = attempt(sb, base, nargs, nresults, &T, err);
    }
    if (rc != CEV_OK) {
        lua_settop(L, base - 1);
        return rc;
    }
    lua_xmove(T, L, nresults); /* above the function, the arguments, T */
    lua_rotate(L, base, nresults);
    lua_settop(L, base - 1 + nresults);
    return CEV_OK;
}

void cev_sandbox_where(lua_State *L, int index, char *out, size_t size)
{
    const char *chunkname = cev_state_of(L)->chunkname;
    lua_Debug ar;
    lua_pushvalue(L, index);
    if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0)
        snprintf(out, size, "%s:%d", chunkname + 1, ar.linedefined);
    else
        snprintf(out, size, "%s", chunkname + 1);
}
