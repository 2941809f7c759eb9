/*
 * schema.h - typed, path-naming access to members of parsed JSON objects,
 * for the strict readers of title.json (package.c) and candidate records
 * (record.c).
 *
 * Each reader validates obj[key] and, on failure, fills `err` with the given
 * error code, the path "at.key" (or just "key" when `at` is empty) and a
 * message naming the field; it returns that code.  A missing optional member
 * returns CEV_OK and leaves *out unchanged.  Borrowed pointers point into
 * the cJSON tree.
 */
#ifndef CEV_SCHEMA_H
#define CEV_SCHEMA_H

#include "base/error.h"

#include <cjson/cJSON.h>
#include <stdint.h>

typedef struct cev_schema {
    int code;       /* error code to report: CEV_EPACKAGE, CEV_ESCHEMA, ... */
    cev_error *err; /* where to report */
} cev_schema;

/* "at.key", "at[i]" into out (always NUL-terminated, truncated if needed). */
void cev_schema_path_key(char *out, size_t size, const char *at, const char *key);
void cev_schema_path_index(char *out, size_t size, const char *at, size_t index);

cev_code cev_schema_fail(const cev_schema *s, const char *at, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Refuses a non-object, and members whose key is not in `keys` (NULL-ended). */
cev_code cev_schema_object(const cev_schema *s, const cJSON *obj, const char *at,
                      const char *const *keys);
cev_code cev_schema_string(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                      int required, const char **out);
cev_code cev_schema_date(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                    int required, int *present, int32_t *day);
cev_code cev_schema_integer(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                       int required, long min, long max, long *out);
cev_code cev_schema_bool(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                    int *out);
/* A member that must be an array (or object, with want_object); *out NULL
 * when optional and missing. */
cev_code cev_schema_container(const cev_schema *s, const cJSON *obj, const char *at,
                         const char *key, int required, int want_object, const cJSON **out);

#endif
