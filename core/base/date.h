/*
 * date.h - strict ISO calendar dates ("YYYY-MM-DD", years 1000-9999).
 *
 * Dates are handled as day numbers (days since 1970-01-01, proleptic
 * Gregorian), which compare and subtract like the dates they stand for.
 */
#ifndef CEV_DATE_H
#define CEV_DATE_H

#include "base/error.h"

#include <stdint.h>

/* CEV_OK and *day set, or CEV_ESCHEMA for anything but a real date. */
cev_code cev_date_parse(const char *s, int32_t *day);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void cev_date_format(int32_t day, char out[11]);

#endif
