/*
 * words.h - the print layer's helpers for words; the French words of the
 * decision records' codes are certeval.h's cev_fr_* (words.c holds both).
 * Returned strings are static or the argument's.
 */
#ifndef CEV_PRINT_WORDS_H
#define CEV_PRINT_WORDS_H

#include <cjson/cJSON.h>

/* obj[key] when it is a string, else "" (never NULL): cev_json_str. */
const char *pr_str(const cJSON *obj, const char *key);

/* The singular word for n <= 1, else the plural (French: 0 is singular). */
const char *pr_plural(unsigned long n, const char *one, const char *many);

#endif
