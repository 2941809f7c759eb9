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

/* cev_json_parse() and cev_json_get() are public (certeval/certeval.h). */

/* "object", "array", "string", "number", "boolean", "null". */
const char *cev_json_type_name(const cJSON *v);

#endif
