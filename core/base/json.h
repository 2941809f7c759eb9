/*
 * json.h - strict JSON parsing on top of cJSON.
 *
 * cJSON is lenient where certeval must not be: it accepts duplicate keys,
 * NUL bytes and invalid UTF-8, turns "\u0000" into a truncated string, parses
 * 1e999 to infinity and reports errors through a global.  cev_json_parse()
 * closes each of these holes and reports the problem with a byte offset.
 *
 * The returned tree is owned by the caller (cJSON_Delete).
 */
#ifndef CEV_JSON_READ_H
#define CEV_JSON_READ_H

#include "base/error.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* Parses exactly one JSON value filling text[0..len) (white space around it
 * allowed).  Refuses: NUL bytes, invalid UTF-8, "\u0000" escapes, nesting
 * deeper than max_depth, non-finite numbers, duplicate keys in an object.
 * On failure returns CEV_EJSON with err->message giving the byte offset or
 * the offending key, and *out == NULL; CEV_ENOMEM when an allocation failed,
 * in cJSON too (told by errno, which malloc sets to ENOMEM). */
int cev_json_parse(const char *text, size_t len, unsigned max_depth, cJSON **out,
                   cev_error *err);

/* Case-sensitive member lookup; NULL when `obj` is not an object. */
const cJSON *cev_json_get(const cJSON *obj, const char *key);

/* "object", "array", "string", "number", "boolean", "null". */
const char *cev_json_type_name(const cJSON *v);

#endif
