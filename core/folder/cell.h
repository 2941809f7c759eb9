/*
 * cell.h - one cell's value, read as people type it in a spreadsheet.
 *
 * No function here reports: each says whether the cell holds a value of its
 * kind, and the caller names the file, row and column in its problem.
 */
#ifndef CEV_FOLDER_CELL_H
#define CEV_FOLDER_CELL_H

#include "base/error.h"

/* 1 when s is an identifier: 1 to CEV_ID_MAX bytes of [A-Za-z0-9._-]. */
int cev_cell_identifier(const char *s);
/* 1 when s[0..len) is one (used on the words of a list cell). */
int cev_cell_identifier_len(const char *s, size_t len);

/* A date as "YYYY-MM-DD", or as a French spreadsheet shows it,
 * "DD/MM/YYYY": rewritten in place as "YYYY-MM-DD" (the same length).  1 when s now holds a real ISO date;
 * 0 when it is no date, s then left as it was typed. */
int cev_cell_date(char *s);

/* A decimal number with a comma or a point ("2,5", "2.5", "-1", "3"): 1 and
 * *v set, or 0.  No exponent, no thousands separator, no sign '+'. */
int cev_cell_number(const char *s, double *v);

/* "oui" -> 1, "non" or "" -> 0, anything else -> -1 (letters in any case). */
int cev_cell_yes_no(const char *s);

/* Compares ASCII letters in any case: 1 when a equals b. */
int cev_cell_word(const char *a, const char *b);

#endif
