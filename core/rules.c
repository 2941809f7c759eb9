#include "rules.h"

#include "json_read.h"

#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Everything the protected part of a decision needs. */
typedef struct decide_ctx {
    cev_rules *rules;
    const cev_record *rec;
    const cev_result *results;
    cev_decision *out;
    cev_error *err;
    int status; /* set by read_result */
} decide_ctx;

/* ---- the candidate table --------------------------------------------- */

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (v == NULL)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void push_strs(lua_State *L, const cev_buf *b, size_t n)
{
    lua_createtable(L, (int)n, 0);
    lua_Integer i = 1;
    for (const char *s = cev_strs_next(b, NULL); s; s = cev_strs_next(b, s)) {
        lua_pushstring(L, s);
        lua_rawseti(L, -2, i++);
    }
}

static void push_assessment(lua_State *L, const cev_assessment *a, const cev_result *res)
{
    lua_createtable(L, 0, 10);
    set_str(L, "id", a->id);
    set_str(L, "modality", a->modality);
    set_str(L, "label", a->label);
    lua_pushboolean(L, res->given);
    lua_setfield(L, -2, "given");
    if (res->given)
        set_str(L, "status", cev_status_name(res->status));
    lua_createtable(L, 0, (int)res->ncomps);
    for (size_t i = 0; i < res->ncomps; i++) {
        if (res->scored[i]) {
            lua_pushnumber(L, res->score[i]);
            lua_setfield(L, -2, res->comps[i].code);
        }
    }
    lua_setfield(L, -2, "scores");
    lua_newtable(L);
    lua_Integer k = 1;
    for (size_t i = 0; i < res->ncomps; i++) {
        if (res->elim[i]) {
            lua_pushstring(L, res->comps[i].code);
            lua_rawseti(L, -2, k++);
        }
    }
    lua_setfield(L, -2, "eliminated");
    push_strs(L, &res->flags, res->nflags);
    lua_setfield(L, -2, "flags");
    push_strs(L, &res->assessors, res->nassessors);
    lua_setfield(L, -2, "assessors");
}

static void push_candidate(lua_State *L, const cev_package *p, const cev_record *rec,
                           const cev_result *results)
{
    lua_createtable(L, 0, 12);
    set_str(L, "candidate", rec->candidate);
    lua_createtable(L, 0, 3);
    set_str(L, "code", p->code);
    set_str(L, "version", p->version);
    set_str(L, "name", p->title_name);
    lua_setfield(L, -2, "title");
    lua_createtable(L, 0, 2);
    set_str(L, "id", rec->session_id);
    set_str(L, "date", rec->session_date);
    lua_setfield(L, -2, "session");
    set_str(L, "route", rec->route);

    lua_createtable(L, (int)rec->njury, 0);
    for (size_t i = 0; i < rec->njury; i++) {
        lua_createtable(L, 0, 3);
        set_str(L, "id", rec->jury[i].id);
        set_str(L, "profile", rec->jury[i].profile);
        lua_pushboolean(L, rec->jury[i].trained_candidate);
        lua_setfield(L, -2, "trained_candidate");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "jury");

    lua_createtable(L, (int)rec->nacquired, 0);
    for (size_t i = 0; i < rec->nacquired; i++) {
        lua_createtable(L, 0, 2);
        set_str(L, "block", rec->acquired[i].block);
        set_str(L, "date", rec->acquired[i].date);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "acquired_blocks");

    lua_createtable(L, 0, (int)rec->ndelib);
    for (size_t i = 0; i < rec->ndelib; i++) {
        lua_createtable(L, 0, 2);
        set_str(L, "decision", rec->delib[i].decision);
        set_str(L, "motivation", rec->delib[i].motivation);
        lua_setfield(L, -2, rec->delib[i].block);
    }
    lua_setfield(L, -2, "deliberation");

    lua_createtable(L, 0, (int)p->nequivs);
    for (size_t i = 0; i < p->nequivs; i++) {
        lua_pushstring(L, p->blocks[p->equivs[i].block].code);
        lua_setfield(L, -2, p->equivs[i].from);
    }
    lua_setfield(L, -2, "equivalences");

    lua_createtable(L, (int)p->nblocks, 0);
    for (size_t b = 0; b < p->nblocks; b++) {
        const cev_block *blk = &p->blocks[b];
        lua_createtable(L, 0, 4);
        set_str(L, "code", blk->code);
        set_str(L, "name", blk->name);
        lua_createtable(L, (int)blk->ncomps, 0);
        for (size_t c = 0; c < blk->ncomps; c++) {
            lua_createtable(L, 0, 2);
            set_str(L, "code", blk->comps[c].code);
            set_str(L, "label", blk->comps[c].label);
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_setfield(L, -2, "competencies");
        lua_createtable(L, (int)blk->nassess, 0);
        for (size_t k = 0; k < blk->nassess; k++) {
            push_assessment(L, &p->assess[blk->first + k], &results[blk->first + k]);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, "assessments");
        lua_rawseti(L, -2, (lua_Integer)b + 1);
    }
    lua_setfield(L, -2, "blocks");

    size_t first = p->nassess - p->ntitle_assess;
    lua_createtable(L, (int)p->ntitle_assess, 0);
    for (size_t k = 0; k < p->ntitle_assess; k++) {
        push_assessment(L, &p->assess[first + k], &results[first + k]);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    lua_setfield(L, -2, "assessments");
}

/* ---- reading decide()'s result ------------------------------------------ */

/* Reports a malformed result; `path` names the field. */
static int malformed(decide_ctx *x, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int malformed(decide_ctx *x, const char *path, const char *fmt, ...)
{
    char where[160], msg[512];
    lua_getglobal(x->rules->sb.L, CEV_RULES_ENTRY);
    cev_sandbox_where(&x->rules->sb, -1, where, sizeof where);
    lua_pop(x->rules->sb.L, 1);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->status = cev_error_set(x->err, CEV_ERULE, "", "%s: %s() returned a malformed result: %s%s%s",
                              where, CEV_RULES_ENTRY, path, *path ? " " : "", msg);
    return x->status;
}

/* Pushes t[key] (raw); returns its type. */
static int field(lua_State *L, int t, const char *key)
{
    lua_pushstring(L, key);
    return lua_rawget(L, t);
}

static int read_enum(decide_ctx *x, int t, const char *key, const char *const *names,
                     const char *path, int *out)
{
    lua_State *L = x->rules->sb.L;
    field(L, t, key);
    int k = lua_type(L, -1) == LUA_TSTRING ? cev_name_index(names, lua_tostring(L, -1)) : -1;
    lua_pop(L, 1);
    if (k < 0) {
        char list[160] = "";
        for (size_t i = 0; names[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     names[i]);
        return malformed(x, path, "%s must be one of %s", key, list);
    }
    *out = k;
    return CEV_OK;
}

static int read_bool(decide_ctx *x, int t, const char *key, const char *path, int *out)
{
    lua_State *L = x->rules->sb.L;
    int ty = field(L, t, key);
    *out = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return ty == LUA_TBOOLEAN ? CEV_OK : malformed(x, path, "%s must be true or false", key);
}

static int read_reasons(decide_ctx *x, int t, const char *path, cev_reasons *r)
{
    lua_State *L = x->rules->sb.L;
    if (field(L, t, "reasons") != LUA_TTABLE) {
        lua_pop(L, 1);
        return malformed(x, path, "reasons must be a list of strings");
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        size_t len;
        lua_rawgeti(L, -1, i);
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        int ok = s && len > 0 && len < 4096 && memchr(s, '\0', len) == NULL &&
                 cev_utf8_check(s, len) == len;
        if (ok && cev_decision_add_reason(x->out, r, s, len) != CEV_OK) {
            lua_pop(L, 2);
            return x->status = cev_error_set(x->err, CEV_ENOMEM, "", "out of memory");
        }
        lua_pop(L, 1);
        if (!ok) {
            lua_pop(L, 1);
            return malformed(x, path, "reasons[%lld] must be a non-empty UTF-8 string",
                             (long long)i);
        }
    }
    lua_pop(L, 1);
    return CEV_OK;
}

static int read_competency(decide_ctx *x, int t, const cev_competency *comp, const char *path,
                           cev_comp_decision *cd)
{
    lua_State *L = x->rules->sb.L;
    field(L, t, "code");
    int same = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), comp->code) == 0;
    lua_pop(L, 1);
    if (!same)
        return malformed(x, path, "code must be \"%s\"", comp->code);
    int ty = field(L, t, "score");
    if (ty == LUA_TNUMBER) {
        cd->score = lua_tonumber(L, -1);
        cd->has_score = 1;
    }
    lua_pop(L, 1);
    if (ty != LUA_TNIL && !(ty == LUA_TNUMBER && cd->score >= 0 && cd->score <= 1))
        return malformed(x, path, "score must be nil or a number in [0, 1]");
    int rc;
    if ((rc = read_bool(x, t, "acquired", path, &cd->acquired)) ||
        (rc = read_reasons(x, t, path, &cd->reasons)))
        return rc;
    return CEV_OK;
}

static int read_block(decide_ctx *x, int t, size_t b, const char *path)
{
    lua_State *L = x->rules->sb.L;
    const cev_block *blk = &x->rules->pkg->blocks[b];
    cev_block_decision *bd = &x->out->blocks[b];
    field(L, t, "code");
    int same = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), blk->code) == 0;
    lua_pop(L, 1);
    if (!same)
        return malformed(x, path, "code must be \"%s\" (blocks in title.json order)", blk->code);
    int rc;
    if ((rc = read_enum(x, t, "decision", cev_block_decision_names, path, &bd->decision)) ||
        (rc = read_enum(x, t, "proposed", cev_block_decision_names, path, &bd->proposed)) ||
        (rc = read_bool(x, t, "overridden", path, &bd->overridden)) ||
        (rc = read_enum(x, t, "source", cev_source_names, path, &bd->source)) ||
        (rc = read_reasons(x, t, path, &bd->reasons)))
        return rc;
    if (!bd->overridden && bd->decision != bd->proposed)
        return malformed(x, path, "decision differs from proposed but overridden is false");
    if (field(L, t, "competencies") != LUA_TTABLE || lua_rawlen(L, -1) != blk->ncomps) {
        lua_pop(L, 1);
        return malformed(x, path, "competencies must list the block's %zu competencies",
                         blk->ncomps);
    }
    int comps = lua_gettop(L);
    for (size_t c = 0; c < blk->ncomps && rc == CEV_OK; c++) {
        char cpath[96];
        snprintf(cpath, sizeof cpath, "%s.competencies[%zu]", path, c + 1);
        if (lua_rawgeti(L, comps, (lua_Integer)c + 1) != LUA_TTABLE)
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
    lua_State *L = x->rules->sb.L;
    const cev_package *p = x->rules->pkg;
    if (lua_type(L, t) != LUA_TTABLE)
        return malformed(x, "", "expected a table, got %s", luaL_typename(L, t));
    int rc = read_enum(x, t, "decision", cev_title_decision_names, "", &x->out->title);
    if (rc)
        return rc;
    if (field(L, t, "blocks") != LUA_TTABLE || lua_rawlen(L, -1) != p->nblocks) {
        lua_pop(L, 1);
        return malformed(x, "", "blocks must list the title's %zu blocks", p->nblocks);
    }
    int blocks = lua_gettop(L);
    for (size_t b = 0; b < p->nblocks && rc == CEV_OK; b++) {
        char path[32];
        snprintf(path, sizeof path, "blocks[%zu]", b + 1);
        if (lua_rawgeti(L, blocks, (lua_Integer)b + 1) != LUA_TTABLE)
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
    lua_getglobal(L, CEV_RULES_ENTRY);
    push_candidate(L, x->rules->pkg, x->rec, x->results);
    lua_call(L, 1, 1);
    read_result(x, lua_gettop(L));
    return 0;
}

int cev_rules_decide(cev_rules *r, const cev_record *rec, const cev_result *results,
                     cev_decision *out, cev_error *err)
{
    decide_ctx x = {r, rec, results, out, err, CEV_OK};
    cev_decision_reset(out);
    lua_State *L = r->sb.L;
    int top = lua_gettop(L);
    lua_pushcfunction(L, decide_protected);
    lua_pushlightuserdata(L, &x);
    int rc = cev_sandbox_call(&r->sb, 1, 0, err);
    lua_settop(L, top);
    return rc != CEV_OK ? rc : x.status;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int cev_rules_open(cev_rules *r, const cev_package *pkg, int track_lines, cev_error *err)
{
    r->pkg = pkg;
    int rc = cev_sandbox_init(&r->sb, pkg->limits.instructions, pkg->limits.memory_bytes, err);
    if (rc != CEV_OK)
        return rc;
    if (track_lines) {
        size_t n = 2;
        for (size_t i = 0; i < pkg->rules_len; i++)
            n += pkg->rules_src[i] == '\n';
        if (cev_sandbox_track_lines(&r->sb, n) != CEV_OK) {
            cev_sandbox_close(&r->sb);
            return cev_error_set(err, CEV_ENOMEM, "", "out of memory");
        }
    }
    char name[160];
    snprintf(name, sizeof name, "%s/%s", pkg->name, base_name(pkg->rules_file));
    rc = cev_sandbox_load(&r->sb, name, pkg->rules_src, pkg->rules_len, err);
    if (rc == CEV_OK) {
        lua_getglobal(r->sb.L, CEV_RULES_ENTRY);
        if (!lua_isfunction(r->sb.L, -1))
            rc = cev_error_set(err, CEV_EPACKAGE, "rules", "%s: does not define %s(c)", name,
                               CEV_RULES_ENTRY);
        lua_pop(r->sb.L, 1);
    } else {
        rc = cev_error_set(err, CEV_EPACKAGE, "rules", "%s", err->message);
    }
    if (rc != CEV_OK)
        cev_sandbox_close(&r->sb);
    return rc;
}

void cev_rules_close(cev_rules *r)
{
    cev_sandbox_close(&r->sb);
}

int cev_rules_check(const cev_package *pkg, cev_error *err)
{
    cev_rules r;
    int rc = cev_rules_open(&r, pkg, 0, err);
    if (rc == CEV_OK)
        cev_rules_close(&r);
    return rc;
}
