#include "decide/session.h"

#include "base/lines.h"
#include "decide/write.h"

#include <stdlib.h>
#include <string.h>

void cev_session_init(cev_session *s)
{
    cev_idstore_init(&s->seen);
    s->names = NULL;
    s->nnames = s->names_cap = 0;
    s->file = s->run = 0;
    s->cross_file = 0;
}

/* Where an id first appeared, kept as the store's one number: the file's
 * index in the run above the line's 40 bits (a line number
 * beyond 2^40 would need a file of a terabyte of newlines). */
#define LINE_BITS 40
#define LINE_MASK ((1LL << LINE_BITS) - 1)

void cev_session_close(cev_session *s)
{
    cev_idstore_close(&s->seen);
    for (size_t i = 0; i < s->nnames; i++)
        free(s->names[i]);
    free(s->names);
    s->names = NULL;
    s->nnames = s->names_cap = 0;
}

cev_code cev_session_enter(cev_session *s, long run, const char *name, cev_error *err)
{
    if (s->nnames > 0 && run != s->run) { /* another run: its own ids */
        cev_session_close(s);
        cev_session_init(s);
    }
    s->run = run;
    if (s->nnames == s->names_cap) {
        size_t cap = s->names_cap ? 2 * s->names_cap : 8;
        char **p = realloc(s->names, cap * sizeof *p);
        if (p == NULL)
            return cev_error_nomem(err);
        s->names = p;
        s->names_cap = cap;
    }
    if ((s->names[s->nnames] = strdup(name ? name : "")) == NULL)
        return cev_error_nomem(err);
    s->file = (long)s->nnames++;
    return CEV_OK;
}

cev_code cev_session_commit(cev_session *s, const char *candidate, long lineno, cev_buf *out,
                       size_t mark, int status, cev_error *err)
{
    if (candidate == NULL)
        return status;
    long first = 0;
    s->cross_file = 0;
    long where = (long)(((long long)s->file << LINE_BITS) | (lineno & LINE_MASK));
    int seen = cev_idstore_add(&s->seen, candidate, where, &first, err);
    if (seen < 0)
        return seen;
    if (!seen)
        return status;
    cev_buf_truncate(out, mark);
    long file = (long)((long long)first >> LINE_BITS);
    long line = (long)((long long)first & LINE_MASK);
    s->cross_file = file != s->file;
    if (file == s->file)
        cev_error_set(err, CEV_ESCHEMA, "candidate",
                      "candidate: \"%s\" already appears at line %ld of this file", candidate,
                      line);
    else
        cev_error_set(err, CEV_ESCHEMA, "candidate",
                      "candidate: \"%s\" already appears at line %ld of %s, earlier in this run",
                      candidate, line, s->names[file]);
    if (cev_write_error(out, candidate, lineno, err) == CEV_OK)
        return CEV_ESCHEMA;
    return cev_error_nomem(err);
}

cev_code cev_session_too_long(long lineno, size_t len, cev_buf *out, cev_error *err)
{
    cev_error_set(err, CEV_EJSON, "", "record of %zu bytes, more than the maximum of %u bytes",
                  len, CEV_MAX_RECORD);
    return cev_write_error(out, NULL, lineno, err) == CEV_OK ? CEV_EJSON : CEV_ENOMEM;
}

int cev_session_line_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}
