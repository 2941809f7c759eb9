/*
 * coverage.h - which lines of a rules chunk can execute, for `certeval test`
 * to report the lines no case reached.
 *
 * The executable lines are read from the compiled chunk itself: it is
 * compiled in a throw-away Lua state, dumped (lua_dump) and the line
 * information of every function prototype is decoded, nested functions
 * included (even those no case ever created).  This reads the Lua 5.4 binary
 * chunk format (lundump.c); a chunk of another format is refused.  The final
 * implicit `return` of a function is not counted on its own line: a
 * function ending in an explicit return can never reach it.
 */
#ifndef CEV_COVERAGE_H
#define CEV_COVERAGE_H

#include "base/error.h"

#include <stddef.h>

/* *lines[i] != 0 when line i (1-based) holds code; *nlines is the highest
 * line number + 1.  The array is the caller's (free()). */
cev_code cev_coverage_chunk_lines(const char *src, size_t len, unsigned char **lines, size_t *nlines,
                    cev_error *err);

#endif
