/*
 * file.h - whole files and folder listings.
 *
 * Ownership: what these functions hand back is the caller's; a failure hands
 * back nothing.
 */
#ifndef CEV_FILE_H
#define CEV_FILE_H

#include "base/error.h"

#include <stddef.h>

/* Reads a whole file; `*out` is NUL-terminated and owned by the caller. */
cev_code cev_file_read(const char *path, char **out, size_t *len, cev_error *err);

/* The sorted relative paths of the regular files below `dir` (symbolic
 * links followed, depth-limited).  The list and its strings are owned by the
 * caller: cev_file_list_free(). */
cev_code cev_file_list(const char *dir, char ***paths, size_t *count, cev_error *err);
void cev_file_list_free(char **paths, size_t count);

#endif
