/*
 * inputs.h - the session files `eval` reads and the files it writes: each
 * input is checked at the start (it opens, it is not a folder) and opened
 * again when its turn comes, so that a session may come in more files than
 * a process may hold open; an output or audit log that is one of them is
 * refused before anything is written.
 *
 * Caller-owned structs; names are borrowed.  Errors are said on stderr
 * (cli_error).
 */
#ifndef CEV_CLI_INPUTS_H
#define CEV_CLI_INPUTS_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/* One of the files a run touches, when it is a regular file (a pipe, a
 * terminal or /dev/null cannot be clobbered). */
typedef struct cli_file_id {
    const char *name;
    int regular;
    struct stat st;
    FILE *held; /* an input kept open from its check: stdin, a pipe, a device */
} cli_file_id;

/* Which file fd, or path, is (regular is 0 for anything else, or none). */
void cli_file_id_fd(cli_file_id *f, const char *name, int fd);
void cli_file_id_path(cli_file_id *f, const char *name);

/* 1 (said) when `out`, or `log` (NULL without -a), is one of the inputs, or
 * `out` is `log`; else 0. */
int cli_clobbers(const cli_file_id *inputs, size_t n, const cli_file_id *out,
                 const cli_file_id *log);

/* 1 (said, in French when `french`: the session's documents) when the
 * output, `output` (NULL: stdout, then `out` says which file), is inside
 * the audit store `dir` (a store file, or a file created there): it would
 * overwrite the store, or be taken for part of it. */
int cli_in_store(const cli_file_id *out, const char *output, const char *dir, int french);

/* 1 (said, in French) when `out` is one of the .csv files of the session
 * folder `folder` (by name, a link or a hard link): writing would replace
 * what the secretary filled in (candidats.csv, an assessment file). */
int cli_folder_file(const cli_file_id *out, const char *folder);

/* Checks input `name` and notes which file it is; a pipe or a device is
 * kept open (held) since it could not be read twice.  0, or -1 (said). */
int cli_check_input(const char *name, cli_file_id *id);

/* The stream of input `id` when its turn comes: the one held, or the file
 * opened again, as checked.  NULL (said) if it cannot be, or was replaced. */
FILE *cli_open_input(cli_file_id *id);

#endif
