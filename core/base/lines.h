/*
 * lines.h - reads the records of a session file, one per line, in bounded
 * memory.
 *
 * A line ends at '\n' (a '\r' before it is dropped too); the last line may
 * lack its '\n'.  A line longer than `max_record` bytes is not kept: it is
 * skipped to its end and reported as CEV_TOO_LONG with its length, so
 * that memory never exceeds about max_record + 64 KiB whatever the input.
 * Lines may hold any byte, NUL included.
 *
 * Caller-owned struct: cev_lines_init() / cev_lines_close().  The stream
 * stays the caller's.
 */
#ifndef CEV_LINES_H
#define CEV_LINES_H

#include <stddef.h>
#include "base/error.h"

#include <stdio.h>


typedef struct cev_lines {
    FILE *in;
    size_t max;
    char *buf;
    size_t cap, start, end; /* unread bytes are buf[start, end) */
    int eof;
    long lineno; /* of the line last returned */
} cev_lines;

void cev_lines_init(cev_lines *l, FILE *in, size_t max_record);
void cev_lines_close(cev_lines *l);

/* The next line, without its terminator, in *line / *len (valid until the
 * next call).  CEV_OK; CEV_TOO_LONG (*len = its length, *line
 * NULL); CEV_END; CEV_EIO; CEV_ENOMEM. */
cev_code cev_lines_next(cev_lines *l, const char **line, size_t *len);

/* The offset in the stream just past the line last returned (its
 * terminator included), for a stream read from offset 0. */
long long cev_lines_offset(const cev_lines *l);

#endif
