#include "sandbox/state.h"

#include "base/error.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VARARGS_FREE 16        /* varargs held at no extra charge (state_hook) */
#define VARARGS_MAX (1L << 22) /* beyond Lua's stack limit */
#define VARARGS_LEVELS 32      /* calls looked at from the top (state_hook) */
#define SMALL_CACHE (512u * 1024) /* bytes of freed small blocks kept per state */
/* Strings larger than this are charged to the budget as they are made.
 * Above Lua's short strings (at most 40 characters, 65 bytes with their
 * header), which are interned: whether one is allocated depends on whether
 * an earlier call left it alive, which a charge must not. */
#define CHARGED_STRING 128

cev_sandbox *cev_state_of(lua_State *L)
{
    return *(cev_sandbox **)lua_getextraspace(L);
}

static void *state_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    cev_sandbox *sb = ud;
    int type = LUA_TNONE;
    if (ptr == NULL) {
        type = (int)osize; /* Lua passes the new object's type here */
        osize = 0;
    }
    if (nsize == 0) {
        sb->mem_used -= osize;
        cev_smallcache_free(&sb->cache, ptr, osize);
        return NULL;
    }
    /* A refusal is not yet an error: Lua collects and asks again, and raises
     * a memory error (LUA_ERRMEM) only if that fails too. */
    if (nsize > osize &&
        (sb->mem_used >= sb->mem_cap || nsize - osize > sb->mem_cap - sb->mem_used))
        return NULL;
    void *p = ptr == NULL ? cev_smallcache_alloc(&sb->cache, nsize)
                          : cev_smallcache_realloc(&sb->cache, ptr, osize, nsize);
    if (p == NULL) {
        sb->host_oom = 1;
        return NULL;
    }
    sb->mem_used = sb->mem_used - osize + nsize;
    /* The strings a call makes cost the budget too: a loop of `big .. "x"`
     * copies megabytes per VM instruction.  Only new long strings count:
     * their allocation follows from the call alone, whereas a short string
     * may already be interned, and the stack and the string table grow
     * from sizes earlier calls left.  (Tables grow one VM instruction per
     * item at most.)  An allocator cannot raise an error; the hook reports
     * the overrun at its next step. */
    if (type == LUA_TSTRING && nsize > CHARGED_STRING)
        sb->count += (long)(nsize / CEV_STATE_COST_BYTES);
    return p;
}

/* The varargs of the function at `ar`: lua_getlocal(-k) finds the k-th
 * one, so the count is searched (doubling, then halving). */
static long varargs_of(lua_State *L, lua_Debug *ar)
{
    if (lua_getlocal(L, ar, -1) == NULL)
        return 0;
    lua_pop(L, 1);
    long lo = 1, hi = 2; /* lo is held, hi is not */
    while (hi <= VARARGS_MAX && lua_getlocal(L, ar, -(int)hi) != NULL) {
        lua_pop(L, 1);
        lo = hi;
        hi *= 2;
    }
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        if (lua_getlocal(L, ar, -(int)mid) != NULL) {
            lua_pop(L, 1);
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* What a step of `step` instructions may have spent copying varargs.  A call g(...) copies every
 * vararg in one VM instruction, and a function holding many can do it in a
 * loop: each step charges, for the varargs the innermost VARARGS_LEVELS
 * functions hold beyond VARARGS_FREE, one instruction per value per
 * instruction of the step - the most they can have copied.  (lua_getstack
 * walks from the top: looking deeper would cost a deep recursion the
 * square of its depth at every step.  A holder further down copies at most
 * once per VARARGS_LEVELS nested calls made and unmade.) */
static long varargs_cost(lua_State *L, long step)
{
    lua_Debug ar;
    long held = 0;
    for (int level = 0; level < VARARGS_LEVELS && lua_getstack(L, level, &ar); level++)
        held += varargs_of(L, &ar);
    return held > VARARGS_FREE ? (held - VARARGS_FREE) * step : 0;
}

static int over_budget(lua_State *L, cev_sandbox *sb)
{
    sb->budget_exceeded = 1;
    return luaL_error(L, "instruction budget of %I exceeded", (lua_Integer)sb->budget);
}

static void state_hook(lua_State *L, lua_Debug *ar);

/* Sets the count hook of L (the state or a thread) to fire after the next
 * CEV_STATE_HOOK_STEP instructions, or after those left in the budget when
 * fewer (at least one): a call stops at the instruction that overruns the
 * budget, not at the end of the step in which it does. */
static void arm(lua_State *L, cev_sandbox *sb)
{
    long left = sb->budget - sb->count;
    sb->armed = left < 1 ? 1 : left < CEV_STATE_HOOK_STEP ? left : CEV_STATE_HOOK_STEP;
    lua_sethook(L, state_hook, LUA_MASKCOUNT | (sb->lines ? LUA_MASKLINE : 0), (int)sb->armed);
}

static void state_hook(lua_State *L, lua_Debug *ar)
{
    cev_sandbox *sb = cev_state_of(L);
    if (ar->event == LUA_HOOKLINE) {
        if (lua_getinfo(L, "S", ar) && strcmp(ar->source, sb->chunkname) == 0 &&
            ar->currentline > 0 && (size_t)ar->currentline < sb->nlines)
            sb->lines[ar->currentline] = 1;
        return;
    }
    sb->count += sb->armed + varargs_cost(L, sb->armed);
    if (sb->count > sb->budget)
        over_budget(L, sb);
    if (sb->budget - sb->count < CEV_STATE_HOOK_STEP || sb->armed != CEV_STATE_HOOK_STEP)
        arm(L, sb);
}

long cev_state_remaining(lua_State *L)
{
    cev_sandbox *sb = cev_state_of(L);
    return sb->budget - sb->count;
}

void cev_state_charge(lua_State *L, long units)
{
    cev_sandbox *sb = cev_state_of(L);
    if (units > sb->budget - sb->count)
        over_budget(L, sb);
    sb->count += units;
}

cev_code cev_state_open(cev_sandbox *sb, long instructions, long memory_bytes)
{
    memset(sb, 0, sizeof *sb);
    sb->budget = instructions;
    sb->mem_cap = (size_t)memory_bytes;
    snprintf(sb->chunkname, sizeof sb->chunkname, "@rules");
    cev_smallcache_init(&sb->cache, SMALL_CACHE);
    sb->L = lua_newstate(state_alloc, sb);
    if (sb->L == NULL)
        return CEV_ENOMEM;
    *(cev_sandbox **)lua_getextraspace(sb->L) = sb;
    return CEV_OK;
}

void cev_state_close(cev_sandbox *sb)
{
    if (sb->L)
        lua_close(sb->L);
    sb->L = NULL;
    cev_smallcache_close(&sb->cache);
    free(sb->lines);
    sb->lines = NULL;
    sb->nlines = 0;
}

void cev_state_start_hook(cev_sandbox *sb)
{
    arm(sb->L, sb);
}

cev_code cev_state_track_lines(cev_sandbox *sb, size_t nlines)
{
    free(sb->lines);
    if ((sb->lines = calloc(nlines ? nlines : 1, 1)) == NULL) {
        sb->nlines = 0;
        return CEV_ENOMEM;
    }
    sb->nlines = nlines;
    cev_state_start_hook(sb);
    return CEV_OK;
}

/* The hook is set again, which restarts its step: Lua keeps the
 * instructions counted since the last step from one call to the next, so
 * without this a call's first step would come early by what the previous
 * call left, and a record near its budget would pass or fail depending on
 * the record before it. */
void cev_state_restart(lua_State *L)
{
    cev_sandbox *sb = cev_state_of(L);
    sb->count = 0;
    arm(L, sb);
}

/* One full collection frees the garbage and the unused stack, but only
 * half the spare call records and halves the string table at most once:
 * whatever it left would shrink at some later collection, in the middle of
 * some call, and give that record more room under the cap than the one
 * before it. */
void cev_state_collect(cev_sandbox *sb)
{
    size_t before;
    do {
        before = sb->mem_used;
        lua_gc(sb->L, LUA_GCCOLLECT);
    } while (sb->mem_used < before);
}
