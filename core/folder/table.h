/*
 * table.h - one CSV file of a session folder, read as a spreadsheet saves
 * it: a header row naming the columns, then one row per line of the sheet.
 *
 * What is accepted: ';' or ',' as the separator (the one the header row
 * uses most; ';' on a tie), UTF-8 with or without a byte order mark, LF or
 * CRLF line ends, quoted cells (with the separator, quotes doubled, line
 * breaks inside).  Every cell is trimmed of surrounding spaces and tabs;
 * a row whose cells are all empty is skipped (spreadsheets write them).
 * The parsing is libcsv's (strict mode: a stray quote is a problem).
 *
 * What is refused, each as a problem "file:row:column: message" in French
 * added to the caller's list (the reading goes on where it can, so that a
 * run reports them all): a file that is not UTF-8 (with the way to save it
 * as "CSV UTF-8"), a malformed quote, a cell over CEV_STRING_MAX bytes, an
 * empty or repeated column name, a value in a row past the header's last
 * column, a file that is a symbolic link leading out of the folder (or
 * nowhere): a link to another file of the folder is read as that file.
 * A cell refused as too long reads as "" but is no missing cell:
 * callers report through cev_table_problem_at(), which tells nothing more
 * about it (one problem per cause).
 *
 * Rows are numbered as the spreadsheet shows them: the header is row 1.
 *
 * Ownership: a cev_table comes from cev_table_read() and goes with
 * cev_table_close(); it owns every string it hands out.  An empty cell is
 * ""; non-empty cells may be shortened in place (folder.c normalises dates
 * without copying).
 */
#ifndef CEV_FOLDER_TABLE_H
#define CEV_FOLDER_TABLE_H

#include "base/error.h"

#include <stdarg.h>
#include <stddef.h>

typedef struct cev_table {
    char *file;     /* the name reported in problems ("candidats.csv") */
    char **cols;    /* the header's names, trimmed */
    size_t ncols;
    size_t nrows;   /* data rows, blank ones skipped */
    char **cells;   /* nrows * ncols, row by row */
    long *rows;     /* the sheet row of each data row (the header is 1) */
    char *text;     /* the cells' bytes (owned) */
    char sep;       /* ';' or ',' */
} cev_table;

/* Reads dir/name.  CEV_OK with *out set; CEV_PROBLEMS when the file is
 * missing or unreadable as a table (problems added, *out NULL); a table
 * with problems in some rows is still handed back (CEV_PROBLEMS, *out set)
 * so that the caller can report more.  CEV_ENOMEM with err. */
cev_code cev_table_read(cev_table **out, const char *dir, const char *name,
                        cev_errlist *problems, cev_error *err);
void cev_table_close(cev_table *t);

/* The index of column `name` (exact bytes), or -1. */
long cev_table_col(const cev_table *t, const char *name);
/* The cell of data row `row` in column `col`; "" when col < 0.  (The
 * cells themselves, t->cells, may be changed in place by the owner.) */
const char *cev_table_cell(const cev_table *t, size_t row, long col);

/* Adds the problem "file:row:column: message" (row 0: "file: message";
 * column NULL: "file:row: message").  CEV_OK or CEV_ENOMEM. */
cev_code cev_table_problem(cev_errlist *problems, const char *file, long row,
                           const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

cev_code cev_table_problemv(cev_errlist *problems, const char *file, long row,
                            const char *column, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* 1 when the cell of data row `row` in column `col` was refused as too
 * long (its problem told by cev_table_read): it reads as "". */
int cev_table_refused(const cev_table *t, size_t row, long col);

/* The problem "file:row:column: message" about data row `row` of t (the
 * sheet row reported), unless `column` names a cell of that row refused
 * as too long: its own problem says all, nothing is added.  CEV_OK or
 * CEV_ENOMEM. */
cev_code cev_table_problem_atv(cev_errlist *problems, const cev_table *t, size_t row,
                               const char *column, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Checks the header against the columns a file may have: each of `known`
 * (NULL-ended) may appear; those of `required` must; a column `extra`
 * accepts (a criterion id...) is known too.  Every other column is a
 * problem, and so is a missing required one.  CEV_OK, CEV_PROBLEMS (added),
 * or CEV_ENOMEM. */
cev_code cev_table_columns(const cev_table *t, const char *const *known,
                           const char *const *required,
                           int (*extra)(void *ctx, const char *col), void *ctx,
                           cev_errlist *problems, cev_error *err);

#endif
