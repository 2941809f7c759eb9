#include "session.h"

#include "lines.h"
#include "writer.h"

#include <search.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen_id {
    char *id;
    long line;
} seen_id;

static int cmp_seen(const void *a, const void *b)
{
    return strcmp(((const seen_id *)a)->id, ((const seen_id *)b)->id);
}

void cev_session_init(cev_session *s)
{
    s->seen = NULL;
}

void cev_session_close(cev_session *s)
{
    while (s->seen) {
        seen_id *id = *(seen_id **)s->seen;
        tdelete(id, &s->seen, cmp_seen);
        free(id->id);
        free(id);
    }
}

/* 0 when new (and remembered), else the line it was first seen at; -1 OOM. */
static long remember(cev_session *s, const char *id, long line)
{
    seen_id key = {(char *)id, line};
    seen_id **found = tfind(&key, &s->seen, cmp_seen);
    if (found)
        return (*found)->line;
    seen_id *n = malloc(sizeof *n);
    if (n == NULL || (n->id = strdup(id)) == NULL) {
        free(n);
        return -1;
    }
    n->line = line;
    if (tsearch(n, &s->seen, cmp_seen) == NULL) {
        free(n->id);
        free(n);
        return -1;
    }
    return 0;
}

int cev_session_commit(cev_session *s, const char *candidate, long lineno, cev_buf *out,
                       size_t mark, int status, cev_error *err)
{
    if (candidate == NULL)
        return status;
    long first = remember(s, candidate, lineno);
    if (first < 0)
        return CEV_ENOMEM;
    if (first == 0)
        return status;
    out->len = mark;
    cev_error_set(err, CEV_ESCHEMA, "candidate",
                  "candidate: \"%s\" already appears at line %ld of this file", candidate, first);
    return cev_write_error(out, candidate, lineno, err) == CEV_OK ? CEV_ESCHEMA : CEV_ENOMEM;
}

int cev_session_too_long(long lineno, size_t len, cev_buf *out, cev_error *err)
{
    cev_error_set(err, CEV_EJSON, "", "record of %zu bytes, more than the maximum of %u bytes",
                  len, CEV_MAX_RECORD);
    return cev_write_error(out, NULL, lineno, err) == CEV_OK ? CEV_EJSON : CEV_ENOMEM;
}

int cev_line_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}
