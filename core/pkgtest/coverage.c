#include "pkgtest/coverage.h"

#include "base/buf.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Lua 5.4 dump constants (lundump.h, lobject.h). */
#define ABSLINEINFO (-0x80)
enum { VNIL = 0, VFALSE = 1, VTRUE = 17, VNUMINT = 3, VNUMFLT = 19, VSHRSTR = 4, VLNGSTR = 20 };

typedef struct reader {
    const unsigned char *p, *end;
    int bad;   /* stop: the chunk is malformed, or nomem */
    int nomem; /* an allocation failed */
    unsigned char *lines;
    size_t nlines;
} reader;

static unsigned byte(reader *r)
{
    if (r->p >= r->end) {
        r->bad = 1;
        return 0;
    }
    return *r->p++;
}

static void skip(reader *r, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        r->p = r->end;
    } else {
        r->p += n;
    }
}

/* loadUnsigned: 7 bits a byte, most significant first, last byte has 0x80. */
static size_t size(reader *r)
{
    size_t x = 0;
    unsigned b;
    do {
        b = byte(r);
        if (x >> (sizeof x * 8 - 8)) {
            r->bad = 1;
            return 0;
        }
        x = (x << 7) | (b & 0x7f);
    } while (!r->bad && (b & 0x80) == 0);
    return x;
}

static void string(reader *r)
{
    size_t n = size(r);
    if (n > 0)
        skip(r, n - 1);
}

static void mark(reader *r, long line)
{
    if (line > 0 && (size_t)line < r->nlines)
        r->lines[line] = 1;
}

static void function(reader *r, int depth)
{
    if (depth > 200) {
        r->bad = 1;
        return;
    }
    string(r); /* source */
    long linedefined = (long)size(r);
    size(r); /* lastlinedefined */
    byte(r); /* numparams */
    unsigned is_vararg = byte(r);
    byte(r); /* maxstacksize */
    size_t ncode = size(r);
    skip(r, ncode * 4);
    size_t nk = size(r);
    for (size_t i = 0; i < nk && !r->bad; i++) {
        unsigned t = byte(r);
        if (t == VNUMINT || t == VNUMFLT)
            skip(r, 8);
        else if (t == VSHRSTR || t == VLNGSTR)
            string(r);
        else if (t != VNIL && t != VFALSE && t != VTRUE)
            r->bad = 1;
    }
    size_t nup = size(r);
    skip(r, nup * 3);
    size_t nprotos = size(r);
    for (size_t i = 0; i < nprotos && !r->bad; i++)
        function(r, depth + 1);
    /* debug information: relative lines, then absolute ones */
    size_t nline = size(r);
    const signed char *rel = (const signed char *)r->p;
    skip(r, nline);
    size_t nabs = size(r);
    const unsigned char *abs = r->p;
    for (size_t i = 0; i < nabs && !r->bad; i++) {
        size(r);
        size(r);
    }
    size_t nloc = size(r); /* local variables: name, startpc, endpc */
    for (size_t i = 0; i < nloc && !r->bad; i++) {
        string(r);
        size(r);
        size(r);
    }
    size_t nupname = size(r);
    for (size_t i = 0; i < nupname && !r->bad; i++)
        string(r);
    if (r->bad)
        return;
    /* collectvalidlines (ldebug.c), leaving out the final return alone on its line */
    long *at = malloc((nline ? nline : 1) * sizeof *at);
    if (at == NULL) {
        r->bad = r->nomem = 1;
        return;
    }
    long line = linedefined;
    for (size_t pc = 0; pc < nline; pc++) {
        if (rel[pc] != ABSLINEINFO) {
            line += rel[pc];
        } else { /* the absolute entry for this pc */
            reader a = {abs, r->end, 0, 0, NULL, 0};
            for (size_t k = 0; k < nabs; k++) {
                size_t apc = size(&a), aline = size(&a);
                if (apc == pc)
                    line = (long)aline;
            }
        }
        at[pc] = line;
    }
    for (size_t pc = is_vararg ? 1 : 0; pc < nline; pc++) {
        int alone = pc + 1 == nline;
        for (size_t k = 0; k + 1 < nline && alone; k++)
            alone = at[k] != at[pc];
        if (!alone)
            mark(r, at[pc]);
    }
    free(at);
}

static int writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    return cev_buf_append(ud, p, sz) != CEV_OK;
}

cev_code cev_coverage_chunk_lines(const char *src, size_t len, unsigned char **lines, size_t *nlines,
                    cev_error *err)
{
    size_t n = 2;
    for (size_t i = 0; i < len; i++)
        n += src[i] == '\n';
    *lines = calloc(n, 1);
    *nlines = n;
    lua_State *L = luaL_newstate();
    cev_buf dump;
    cev_buf_init(&dump);
    int rc = CEV_OK, status;
    if (*lines == NULL || L == NULL)
        rc = cev_error_nomem(err);
    else if ((status = luaL_loadbufferx(L, src, len, "=rules", "t")) != LUA_OK)
        rc = status == LUA_ERRMEM ? cev_error_nomem(err)
                                  : cev_error_set(err, CEV_ERULE, "", "%s", lua_tostring(L, -1));
    else if (lua_dump(L, writer, &dump, 0) != 0)
        rc = cev_error_nomem(err);
    if (L)
        lua_close(L);
    /* header: signature, version 5.4, format, data, 3 sizes, int, float, nupvalues */
    static const unsigned char head[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x04\x08\x08";
    if (rc == CEV_OK && (dump.len < 32 || memcmp(dump.data, head, sizeof head - 1) != 0))
        rc = cev_error_set(err, CEV_ERULE, "", "not a Lua 5.4 chunk of the expected format");
    if (rc == CEV_OK) {
        reader r = {(const unsigned char *)dump.data + sizeof head - 1 + 8 + 8 + 1,
                    (const unsigned char *)dump.data + dump.len, 0, 0, *lines, n};
        function(&r, 0);
        if (r.nomem)
            rc = cev_error_nomem(err);
        else if (r.bad)
            rc = cev_error_set(err, CEV_ERULE, "", "cannot read the compiled chunk");
    }
    cev_buf_close(&dump);
    if (rc != CEV_OK) {
        free(*lines);
        *lines = NULL;
        *nlines = 0;
    }
    return rc;
}
