/*
 * words.h - the print layer's word of its own; the French words of the
 * documents are certeval.h's cev_fr_* (words.c holds both).
 */
#ifndef CEV_PRINT_WORDS_H
#define CEV_PRINT_WORDS_H

#include <cjson/cJSON.h>

/* obj[key] when it is a string, else "" (never NULL): cev_json_str. */
const char *pr_str(const cJSON *obj, const char *key);

#endif
