#include "base/lines.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK (64u << 10)

void cev_lines_init(cev_lines *l, FILE *in, size_t max_record)
{
    memset(l, 0, sizeof *l);
    l->in = in;
    l->max = max_record;
}

void cev_lines_close(cev_lines *l)
{
    free(l->buf);
    memset(l, 0, sizeof *l);
}

/* Reads more input after the unread bytes, moving them to the front and
 * growing the buffer (never past max + CHUNK).  0, or a CEV_LINE_ error. */
static int fill(cev_lines *l)
{
    if (l->start > 0) {
        memmove(l->buf, l->buf + l->start, l->end - l->start);
        l->end -= l->start;
        l->start = 0;
    }
    if (l->cap - l->end < CHUNK / 2) {
        size_t cap = l->cap ? l->cap * 2 : CHUNK;
        if (cap > l->max + CHUNK)
            cap = l->max + CHUNK;
        if (cap > l->cap) {
            char *p = realloc(l->buf, cap);
            if (p == NULL)
                return CEV_ENOMEM;
            l->buf = p;
            l->cap = cap;
        }
    }
    size_t got = fread(l->buf + l->end, 1, l->cap - l->end, l->in);
    l->end += got;
    if (got == 0) {
        if (ferror(l->in))
            return CEV_EIO;
        l->eof = 1;
    }
    return 0;
}

/* Drops the rest of an over-long line; adds what it dropped to *len (the
 * CR of a CRLF not counted).  `last` is the last byte dropped before. */
static int skip_line(cev_lines *l, size_t *len, char last)
{
    for (;;) {
        char *nl = memchr(l->buf + l->start, '\n', l->end - l->start);
        if (nl) {
            size_t n = (size_t)(nl - (l->buf + l->start));
            *len += n;
            if ((n ? nl[-1] : last) == '\r')
                (*len)--;
            l->start = (size_t)(nl - l->buf) + 1;
            return CEV_TOO_LONG;
        }
        if (l->end > l->start)
            last = l->buf[l->end - 1];
        *len += l->end - l->start;
        l->start = l->end = 0;
        if (l->eof)
            return CEV_TOO_LONG;
        int rc = fill(l);
        if (rc)
            return rc;
    }
}

cev_code cev_lines_next(cev_lines *l, const char **line, size_t *len)
{
    size_t scanned = 0; /* bytes of buf[start..] known to hold no '\n' */
    *line = NULL;
    *len = 0;
    for (;;) {
        size_t avail = l->end - l->start;
        char *nl = avail > scanned ? memchr(l->buf + l->start + scanned, '\n', avail - scanned)
                                   : NULL; /* no buffer yet: nothing to search */
        if (nl || (l->eof && avail > 0)) {
            size_t n = nl ? (size_t)(nl - (l->buf + l->start)) : avail;
            /* the limit counts the record, not its terminator (LF or CRLF) */
            size_t rec = n && l->buf[l->start + n - 1] == '\r' ? n - 1 : n;
            l->lineno++;
            if (rec > l->max) {
                *len = rec;
                l->start += n + (nl != NULL);
                return CEV_TOO_LONG;
            }
            *line = l->buf + l->start;
            *len = n && (*line)[n - 1] == '\r' ? n - 1 : n;
            l->start += n + (nl != NULL);
            return CEV_OK;
        }
        if (l->eof)
            return CEV_END;
        if (avail > l->max + 1) { /* + 1: the CR of a CRLF not yet complete */
            l->lineno++;
            *len = avail;
            l->start = l->end;
            return skip_line(l, len, l->buf[l->end - 1]);
        }
        scanned = avail;
        int rc = fill(l);
        if (rc)
            return rc;
    }
}

long long cev_lines_offset(const cev_lines *l)
{
    return (long long)ftello(l->in) - (long long)(l->end - l->start);
}
