#include "decide/rules.h"

#include "base/date.h"
#include "base/json.h"
#include "base/utf8.h"
#include "sandbox/view.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The key names the engine writes and reads, cached in every state. */
#define KEYS(X)                                                                            \
    X(CANDIDATE, "candidate") X(TITLE, "title") X(CODE, "code") X(VERSION, "version")       \
    X(NAME, "name") X(SESSION, "session") X(ID, "id") X(DATE, "date") X(ROUTE, "route")    \
    X(JURY, "jury") X(PROFILE, "profile") X(TRAINED, "trained_candidate")                 \
    X(ACQUIRED, "acquired_blocks") X(BLOCK, "block") X(DELIBERATION, "deliberation")      \
    X(DECISION, "decision") X(MOTIVATION, "motivation") X(EQUIVALENCES, "equivalences")   \
    X(EQUIV_BEFORE, "equivalences_before")                                                 \
    X(BLOCKS, "blocks") X(COMPETENCIES, "competencies") X(LABEL, "label")                 \
    X(ASSESSMENTS, "assessments") X(MODALITY, "modality") X(GIVEN, "given")               \
    X(STATUS, "status") X(SCORES, "scores") X(ELIMINATED, "eliminated") X(FLAGS, "flags") \
    X(ASSESSORS, "assessors") X(PROPOSED, "proposed") X(OVERRIDDEN, "overridden")         \
    X(SOURCE, "source") X(REASONS, "reasons") X(SCORE, "score") X(ACQUIRED_C, "acquired") \
    X(TYPE, "type")
#define AS_ENUM(e, s) K_##e,
#define AS_NAME(e, s) s,
enum { K_NONE, KEYS(AS_ENUM) K_COUNT };
static const char *const key_names[] = {"", KEYS(AS_NAME)};

/* Everything the protected part of a decision needs. */
typedef struct decide_ctx {
    lua_State *L; /* the thread the call runs on */
    cev_rules *rules;
    int strings; /* stack index of the cached strings */
    const cev_record *rec;
    const cev_result *results;
    cev_decision *out;
    cev_error *err;
    int status; /* set by read_result */
} decide_ctx;

/* ---- the candidate table --------------------------------------------- */

/* Every field is set key first: push_k(key), push the value (a table is
 * filled in place, on top), lua_rawset(L, -3). */

/* Pushes cached string k (a key, or a code or label of the package). */
static void push_k(lua_State *L, int strings, int k)
{
    lua_rawgeti(L, strings, k);
}

/* t[key] = s (a per-record string), t on top; nothing when s is NULL. */
static void set_str(lua_State *L, int strings, int key, const char *s)
{
    if (s == NULL)
        return;
    push_k(L, strings, key);
    lua_pushstring(L, s);
    lua_rawset(L, -3);
}

/* t[key] = cached string k, t on top. */
static void set_cached(lua_State *L, int strings, int key, int k)
{
    push_k(L, strings, key);
    push_k(L, strings, k);
    lua_rawset(L, -3);
}

/* t[key] = b, t on top. */
static void set_bool(lua_State *L, int strings, int key, int b)
{
    push_k(L, strings, key);
    lua_pushboolean(L, b);
    lua_rawset(L, -3);
}

static void push_strs(lua_State *L, const cev_buf *b, size_t n)
{
    lua_createtable(L, (int)n, 0);
    lua_Integer i = 1;
    for (const char *s = cev_result_next_str(b, NULL); s; s = cev_result_next_str(b, s)) {
        lua_pushstring(L, s);
        lua_rawseti(L, -2, i++);
    }
}

/* An assessment and its result; `comp0` is the index (in k_comp) of the
 * first competency of its scope. */
static void push_assessment(lua_State *L, const decide_ctx *x, size_t a, size_t comp0)
{
    const int S = x->strings, ka = x->rules->k_assess[a];
    const int *kc = x->rules->k_comp + comp0;
    const cev_result *res = &x->results[a];
    const size_t n = res->scope->ncomps;
    lua_createtable(L, 0, 10);
    set_cached(L, S, K_ID, ka);
    set_cached(L, S, K_MODALITY, ka + 1);
    set_cached(L, S, K_LABEL, ka + 2);
    set_bool(L, S, K_GIVEN, res->given);
    if (res->given)
        set_str(L, S, K_STATUS, cev_result_status_name(res->status));
    push_k(L, S, K_SCORES);
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        if (res->scored[i]) {
            push_k(L, S, kc[i]);
            lua_pushnumber(L, res->score[i]);
            lua_rawset(L, -3);
        }
    }
    lua_rawset(L, -3);
    push_k(L, S, K_ELIMINATED);
    lua_newtable(L);
    lua_Integer k = 1;
    for (size_t i = 0; i < n; i++) {
        if (res->elim[i]) {
            push_k(L, S, kc[i]);
            lua_rawseti(L, -2, k++);
        }
    }
    lua_rawset(L, -3);
    push_k(L, S, K_FLAGS);
    push_strs(L, &res->flags, res->nflags);
    lua_rawset(L, -3);
    push_k(L, S, K_ASSESSORS);
    push_strs(L, &res->assessors, res->nassessors);
    lua_rawset(L, -3);
}

static void push_record(lua_State *L, const decide_ctx *x)
{
    const int S = x->strings;
    const cev_record *rec = x->rec;
    set_str(L, S, K_CANDIDATE, rec->candidate);
    push_k(L, S, K_SESSION);
    lua_createtable(L, 0, 3);
    set_str(L, S, K_ID, rec->session_id);
    set_str(L, S, K_DATE, rec->session_date);
    set_str(L, S, K_TYPE, rec->session_type); /* nil when not given */
    lua_rawset(L, -3);
    set_str(L, S, K_ROUTE, rec->route);
    push_k(L, S, K_JURY);
    lua_createtable(L, (int)rec->njury, 0);
    for (size_t i = 0; i < rec->njury; i++) {
        lua_createtable(L, 0, 3);
        set_str(L, S, K_ID, rec->jury[i].id);
        set_str(L, S, K_PROFILE, rec->jury[i].profile);
        set_bool(L, S, K_TRAINED, rec->jury[i].trained_candidate);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_rawset(L, -3);
    push_k(L, S, K_ACQUIRED);
    lua_createtable(L, (int)rec->nacquired, 0);
    for (size_t i = 0; i < rec->nacquired; i++) {
        lua_createtable(L, 0, 2);
        set_str(L, S, K_BLOCK, rec->acquired[i].block);
        set_str(L, S, K_DATE, rec->acquired[i].date);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_rawset(L, -3);
    push_k(L, S, K_DELIBERATION);
    lua_createtable(L, 0, (int)rec->ndelib);
    for (size_t i = 0; i < rec->ndelib; i++) {
        lua_pushstring(L, rec->delib[i].block);
        lua_createtable(L, 0, 2);
        set_str(L, S, K_DECISION, rec->delib[i].decision);
        set_str(L, S, K_MOTIVATION, rec->delib[i].motivation);
        lua_rawset(L, -3);
    }
    lua_rawset(L, -3);
}

static void push_candidate(lua_State *L, const decide_ctx *x)
{
    const int S = x->strings;
    const cev_rules *r = x->rules;
    const cev_package *p = r->pkg;
    lua_createtable(L, 0, 12);
    push_record(L, x);
    set_cached(L, S, K_TITLE, r->k_tables);
    set_cached(L, S, K_EQUIVALENCES, r->k_tables + 1);
    set_cached(L, S, K_EQUIV_BEFORE, r->k_tables + 2);
    push_k(L, S, K_BLOCKS);
    lua_createtable(L, (int)p->nblocks, 0);
    size_t comp0 = 0;
    for (size_t b = 0; b < p->nblocks; b++) {
        const cev_block *blk = &p->blocks[b];
        lua_createtable(L, 0, 4);
        set_cached(L, S, K_CODE, r->k_block[b]);
        set_cached(L, S, K_NAME, r->k_block[b] + 1);
        set_cached(L, S, K_COMPETENCIES, r->k_tables + 3 + (int)b);
        push_k(L, S, K_ASSESSMENTS);
        lua_createtable(L, (int)blk->nassess, 0);
        for (size_t k = 0; k < blk->nassess; k++) {
            push_assessment(L, x, blk->first + k, comp0);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_rawset(L, -3);
        lua_rawseti(L, -2, (lua_Integer)b + 1);
        comp0 += blk->ncomps;
    }
    lua_rawset(L, -3);
    size_t first = p->nassess - p->ntitle_assess;
    push_k(L, S, K_ASSESSMENTS);
    lua_createtable(L, (int)p->ntitle_assess, 0);
    for (size_t k = 0; k < p->ntitle_assess; k++) {
        push_assessment(L, x, first + k, 0); /* the scope of the whole title */
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_rawset(L, -3);
}

/* ---- reading decide()'s result ------------------------------------------ */

/* Where in the result a field is: blocks[block].competencies[comp], 1-based,
 * 0 for none.  Kept as numbers: the text is made only for a message. */
typedef struct res_path {
    size_t block, comp;
} res_path;

static const res_path TOP = {0, 0};

/* Reports a malformed result at `at`. */
static int malformed(decide_ctx *x, res_path at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int malformed(decide_ctx *x, res_path at, const char *fmt, ...)
{
    char where[160], msg[512], path[64] = "";
    if (at.comp)
        snprintf(path, sizeof path, "blocks[%zu].competencies[%zu]", at.block, at.comp);
    else if (at.block)
        snprintf(path, sizeof path, "blocks[%zu]", at.block);
    lua_getglobal(x->L, CEV_RULES_ENTRY);
    cev_sandbox_where(x->L, -1, where, sizeof where);
    lua_pop(x->L, 1);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->status = cev_error_set(x->err, CEV_ERULE, "", "%s: %s() returned a malformed result: %s%s%s",
                              where, CEV_RULES_ENTRY, path, *path ? " " : "", msg);
    return x->status;
}

/* The result is read raw: no metamethod runs.  A table the rules made
 * while loading is a read-only view (view.h); its contents are read
 * instead, so a constant list of reasons reads as it was written. */

/* Replaces the table on top, when it is a view, with its contents; returns
 * the type of the value on top. */
static int contents_on_top(lua_State *L, int type)
{
    if (type == LUA_TTABLE && cev_view_contents(L, -1))
        lua_replace(L, -2);
    return type;
}

/* Pushes t[key]; returns its type.  `key` is one of key_names. */
static int field_k(const decide_ctx *x, int t, int key)
{
    lua_State *L = x->L;
    push_k(L, x->strings, key);
    return contents_on_top(L, lua_rawget(L, t));
}

/* Pushes t[i]; returns its type. */
static int item_i(lua_State *L, int t, lua_Integer i)
{
    return contents_on_top(L, lua_rawgeti(L, t, i));
}

static int read_enum(decide_ctx *x, int t, int key, const char *const *names,
                     res_path path, int *out)
{
    lua_State *L = x->L;
    field_k(x, t, key);
    int k = lua_type(L, -1) == LUA_TSTRING ? cev_decision_name_index(names, lua_tostring(L, -1)) : -1;
    lua_pop(L, 1);
    if (k < 0) {
        char list[160] = "";
        for (size_t i = 0; names[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     names[i]);
        return malformed(x, path, "%s must be one of %s", key_names[key], list);
    }
    *out = k;
    return CEV_OK;
}

static int read_bool(decide_ctx *x, int t, int key, res_path path, int *out)
{
    lua_State *L = x->L;
    int ty = field_k(x, t, key);
    *out = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return ty == LUA_TBOOLEAN ? CEV_OK
                              : malformed(x, path, "%s must be true or false", key_names[key]);
}

/* Reads t.reasons into r: a list of strings, or (when `optional`) nil for
 * none. */
static int read_reasons(decide_ctx *x, int t, res_path path, int optional, cev_reasons *r)
{
    lua_State *L = x->L;
    int ty = field_k(x, t, K_REASONS);
    if (ty != LUA_TTABLE) {
        lua_pop(L, 1);
        if (optional && ty == LUA_TNIL)
            return CEV_OK;
        return malformed(x, path, "reasons must be %sa list of strings", optional ? "nil or " : "");
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    if (n > CEV_REASONS_MAX) {
        lua_pop(L, 1);
        return malformed(x, path, "reasons must list at most %d reasons", CEV_REASONS_MAX);
    }
    for (lua_Integer i = 1; i <= n; i++) {
        size_t len;
        lua_rawgeti(L, -1, i); /* a string, or malformed */
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        int ok = s && len > 0 && len <= CEV_REASON_MAX_BYTES && memchr(s, '\0', len) == NULL &&
                 cev_utf8_check(s, len) == len;
        if (ok && x->out->text.len + len >= CEV_REASONS_MAX_BYTES) {
            lua_pop(L, 2);
            return malformed(x, path, "reasons[%lld]: the reasons of one decision must not "
                                      "exceed %u bytes in all",
                             (long long)i, CEV_REASONS_MAX_BYTES);
        }
        if (ok && cev_decision_add_reason(x->out, r, s, len) != CEV_OK) {
            lua_pop(L, 2);
            return x->status = cev_error_nomem(x->err);
        }
        lua_pop(L, 1);
        if (!ok) {
            lua_pop(L, 1);
            return malformed(x, path,
                             "reasons[%lld] must be a non-empty UTF-8 string of at most %d bytes",
                             (long long)i, CEV_REASON_MAX_BYTES);
        }
    }
    lua_pop(L, 1);
    return CEV_OK;
}

static int read_competency(decide_ctx *x, int t, const cev_competency *comp, res_path path,
                           cev_comp_decision *cd)
{
    lua_State *L = x->L;
    field_k(x, t, K_CODE);
    int same = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), comp->code) == 0;
    lua_pop(L, 1);
    if (!same)
        return malformed(x, path, "code must be \"%s\"", comp->code);
    int ty = field_k(x, t, K_SCORE);
    if (ty == LUA_TNUMBER) {
        cd->score = lua_tonumber(L, -1);
        cd->has_score = 1;
    }
    lua_pop(L, 1);
    if (ty != LUA_TNIL && !(ty == LUA_TNUMBER && cd->score >= 0 && cd->score <= 1))
        return malformed(x, path, "score must be nil or a number in [0, 1]");
    int rc;
    if ((rc = read_bool(x, t, K_ACQUIRED_C, path, &cd->acquired)) ||
        (rc = read_reasons(x, t, path, 0, &cd->reasons)))
        return rc;
    return CEV_OK;
}

static int read_block(decide_ctx *x, int t, size_t b, res_path path)
{
    lua_State *L = x->L;
    const cev_block *blk = &x->rules->pkg->blocks[b];
    cev_block_decision *bd = &x->out->blocks[b];
    field_k(x, t, K_CODE);
    int same = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), blk->code) == 0;
    lua_pop(L, 1);
    if (!same)
        return malformed(x, path, "code must be \"%s\" (blocks in title.json order)", blk->code);
    int rc;
    if ((rc = read_enum(x, t, K_DECISION, cev_block_decision_names, path, &bd->decision)) ||
        (rc = read_enum(x, t, K_PROPOSED, cev_block_decision_names, path, &bd->proposed)) ||
        (rc = read_bool(x, t, K_OVERRIDDEN, path, &bd->overridden)) ||
        (rc = read_enum(x, t, K_SOURCE, cev_source_names, path, &bd->source)) ||
        (rc = read_reasons(x, t, path, 0, &bd->reasons)))
        return rc;
    if (!bd->overridden && bd->decision != bd->proposed)
        return malformed(x, path, "decision differs from proposed but overridden is false");
    if (field_k(x, t, K_COMPETENCIES) != LUA_TTABLE || lua_rawlen(L, -1) != blk->ncomps) {
        lua_pop(L, 1);
        return malformed(x, path, "competencies must list the block's %zu competencies",
                         blk->ncomps);
    }
    int comps = lua_gettop(L);
    for (size_t c = 0; c < blk->ncomps && rc == CEV_OK; c++) {
        res_path cpath = {path.block, c + 1};
        if (item_i(L, comps, (lua_Integer)c + 1) != LUA_TTABLE)
            rc = malformed(x, cpath, "must be a table");
        else
            rc = read_competency(x, lua_gettop(L), &blk->comps[c], cpath, &bd->comps[c]);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

static int read_result(decide_ctx *x, int t)
{
    lua_State *L = x->L;
    const cev_package *p = x->rules->pkg;
    if (lua_type(L, t) != LUA_TTABLE)
        return malformed(x, TOP, "expected a table, got %s", luaL_typename(L, t));
    if (cev_view_contents(L, t))
        lua_replace(L, t);
    int rc = read_enum(x, t, K_DECISION, cev_title_decision_names, TOP, &x->out->title);
    if (rc || (rc = read_reasons(x, t, TOP, 1, &x->out->reasons)))
        return rc;
    if (field_k(x, t, K_BLOCKS) != LUA_TTABLE || lua_rawlen(L, -1) != p->nblocks) {
        lua_pop(L, 1);
        return malformed(x, TOP, "blocks must list the title's %zu blocks", p->nblocks);
    }
    int blocks = lua_gettop(L);
    for (size_t b = 0; b < p->nblocks && rc == CEV_OK; b++) {
        res_path path = {b + 1, 0};
        if (item_i(L, blocks, (lua_Integer)b + 1) != LUA_TTABLE)
            rc = malformed(x, path, "must be a table");
        else
            rc = read_block(x, lua_gettop(L), b, path);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

/* Runs inside the sandbox's protected call: build c, call decide, read. */
static int decide_protected(lua_State *L)
{
    decide_ctx *x = lua_touserdata(L, 1);
    x->L = L;
    cev_decision_reset(x->out); /* a second attempt starts afresh (sandbox.h) */
    x->status = CEV_OK;
    lua_rawgeti(L, LUA_REGISTRYINDEX, x->rules->strings);
    x->strings = lua_gettop(L);
    lua_getglobal(L, CEV_RULES_ENTRY);
    push_candidate(L, x);
    cev_sandbox_restart_budget(L); /* building c is not the rules' work */
    lua_call(L, 1, 1);
    read_result(x, lua_gettop(L));
    return 0;
}

cev_code cev_rules_decide(cev_rules *r, const cev_record *rec, const cev_result *results,
                     cev_decision *out, cev_error *err)
{
    decide_ctx x = {NULL, r, 0, rec, results, out, err, CEV_OK};
    cev_decision_reset(out);
    lua_State *L = r->sb.L;
    int top = lua_gettop(L);
    lua_pushcfunction(L, decide_protected);
    lua_pushlightuserdata(L, &x);
    int rc = cev_sandbox_call(&r->sb, 1, 0, err);
    lua_settop(L, top);
    return rc != CEV_OK ? rc : x.status;
}

/* The package's own tables of the candidate table, at the top of the
 * cached values (on top), from index k on: c.title, c.equivalences,
 * c.equivalences_before, then each block's competencies ({code, label} each).  They are the same for
 * every record: built once, read-only (view.h), shared. */
static void build_tables(lua_State *L, cev_rules *r, int k)
{
    const cev_package *p = r->pkg;
    int cached = lua_gettop(L);
    r->k_tables = k;
    lua_createtable(L, 0, 3);
    lua_pushstring(L, p->code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, p->version);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, p->title_name);
    lua_setfield(L, -2, "name");
    cev_view_freeze(L, -1);
    lua_rawseti(L, cached, k++);
    lua_createtable(L, 0, (int)p->nequivs);
    for (size_t i = 0; i < p->nequivs; i++) {
        lua_pushstring(L, p->equivs[i].from);
        lua_rawgeti(L, cached, r->k_block[p->equivs[i].block]);
        lua_rawset(L, -3);
    }
    cev_view_freeze(L, -1);
    lua_rawseti(L, cached, k++);
    lua_createtable(L, 0, 0); /* c.equivalences_before: from -> "YYYY-MM-DD" */
    for (size_t i = 0; i < p->nequivs; i++)
        if (p->equivs[i].has_before) {
            char day[11];
            cev_date_format(p->equivs[i].before, day);
            lua_pushstring(L, day);
            lua_setfield(L, -2, p->equivs[i].from);
        }
    cev_view_freeze(L, -1);
    lua_rawseti(L, cached, k++);
    size_t comp0 = 0;
    for (size_t b = 0; b < p->nblocks; b++) {
        lua_createtable(L, (int)p->blocks[b].ncomps, 0);
        for (size_t c = 0; c < p->blocks[b].ncomps; c++) {
            lua_createtable(L, 0, 2);
            lua_rawgeti(L, cached, r->k_comp[comp0 + c]);
            lua_setfield(L, -2, "code");
            lua_rawgeti(L, cached, r->k_comp[comp0 + c] + 1);
            lua_setfield(L, -2, "label");
            cev_view_freeze(L, -1);
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        cev_view_freeze(L, -1);
        lua_rawseti(L, cached, k++);
        comp0 += p->blocks[b].ncomps;
    }
}

/* Runs protected: the registry table of cached values (keys, then each
 * block's code and name, each competency's code and label, each
 * assessment's id, modality and label, then the package's tables), with the
 * indexes in r->k_*. */
static int build_cached(lua_State *L)
{
    cev_rules *r = lua_touserdata(L, 1);
    const cev_package *p = r->pkg;
    lua_createtable(L, K_COUNT + (int)(2 * p->nblocks + 2 * p->nall_comps + 3 * p->nassess +
                                       3 + p->nblocks),
                    0);
    int k = 1;
    for (; k < K_COUNT; k++) {
        lua_pushstring(L, key_names[k]);
        lua_rawseti(L, -2, k);
    }
    size_t c = 0;
    for (size_t b = 0; b < p->nblocks; b++) {
        r->k_block[b] = k;
        lua_pushstring(L, p->blocks[b].code);
        lua_rawseti(L, -2, k++);
        lua_pushstring(L, p->blocks[b].name);
        lua_rawseti(L, -2, k++);
        for (size_t i = 0; i < p->blocks[b].ncomps; i++, c++) {
            r->k_comp[c] = k;
            lua_pushstring(L, p->blocks[b].comps[i].code);
            lua_rawseti(L, -2, k++);
            lua_pushstring(L, p->blocks[b].comps[i].label);
            lua_rawseti(L, -2, k++);
        }
    }
    for (size_t a = 0; a < p->nassess; a++) {
        r->k_assess[a] = k;
        lua_pushstring(L, p->assess[a].id);
        lua_rawseti(L, -2, k++);
        lua_pushstring(L, p->assess[a].modality);
        lua_rawseti(L, -2, k++);
        lua_pushstring(L, p->assess[a].label);
        lua_rawseti(L, -2, k++);
    }
    build_tables(L, r, k);
    r->strings = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

cev_code cev_rules_open(cev_rules *r, const cev_package *pkg, int track_lines, cev_error *err)
{
    memset(r, 0, sizeof *r);
    r->pkg = pkg;
    r->k_block = malloc((pkg->nblocks ? pkg->nblocks : 1) * sizeof *r->k_block);
    r->k_comp = malloc((pkg->nall_comps ? pkg->nall_comps : 1) * sizeof *r->k_comp);
    r->k_assess = malloc((pkg->nassess ? pkg->nassess : 1) * sizeof *r->k_assess);
    if (!r->k_block || !r->k_comp || !r->k_assess) {
        cev_rules_close(r);
        return cev_error_nomem(err);
    }
    int rc = cev_sandbox_init(&r->sb, pkg->limits.instructions, pkg->limits.memory_bytes, err);
    if (rc != CEV_OK) {
        cev_rules_close(r);
        return rc;
    }
    if (track_lines) {
        size_t n = 2;
        for (size_t i = 0; i < pkg->rules_len; i++)
            n += pkg->rules_src[i] == '\n';
        if (cev_sandbox_track_lines(&r->sb, n) != CEV_OK) {
            cev_rules_close(r);
            return cev_error_nomem(err);
        }
    }
    char name[160];
    snprintf(name, sizeof name, "%s/%s", pkg->name, base_name(pkg->rules_file));
    rc = cev_sandbox_load(&r->sb, name, pkg->rules_src, pkg->rules_len, err);
    if (rc == CEV_OK) {
        lua_pushcfunction(r->sb.L, build_cached);
        lua_pushlightuserdata(r->sb.L, r);
        r->sb.host_oom = 0;
        if (lua_pcall(r->sb.L, 1, 0, 0) != LUA_OK) {
            lua_pop(r->sb.L, 1);
            rc = r->sb.host_oom
                     ? cev_error_nomem(err)
                     : cev_error_set(err, CEV_ERULE_MEMORY, "rules",
                                     "%s: memory cap of %zu bytes exceeded by the package's "
                                     "own tables",
                                     name, r->sb.mem_cap);
        }
    }
    if (rc == CEV_OK) {
        lua_getglobal(r->sb.L, CEV_RULES_ENTRY);
        if (!lua_isfunction(r->sb.L, -1))
            rc = cev_error_set(err, CEV_EPACKAGE, "rules", "%s: does not define %s(c)", name,
                               CEV_RULES_ENTRY);
        lua_pop(r->sb.L, 1);
    } else if (rc == CEV_ERULE_MEMORY) { /* the certifier's setting to raise */
        rc = cev_error_set(err, CEV_EPACKAGE, "limits.memory_mb", "%s (limits.memory_mb)",
                           err->message);
    } else if (rc != CEV_ENOMEM) {
        rc = cev_error_set(err, CEV_EPACKAGE, "rules", "%s", err->message);
    }
    if (rc != CEV_OK)
        cev_rules_close(r);
    return rc;
}

void cev_rules_close(cev_rules *r)
{
    cev_sandbox_close(&r->sb);
    free(r->k_block);
    free(r->k_comp);
    free(r->k_assess);
    r->k_block = r->k_comp = r->k_assess = NULL;
}

cev_code cev_rules_check(const cev_package *pkg, cev_error *err)
{
    cev_rules r;
    int rc = cev_rules_open(&r, pkg, 0, err);
    if (rc == CEV_OK)
        cev_rules_close(&r);
    return rc;
}
