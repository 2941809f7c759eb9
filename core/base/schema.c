#include "base/schema.h"

#include "base/date.h"
#include "base/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cev_schema_path_key(char *out, size_t size, const char *at, const char *key)
{
    snprintf(out, size, "%s%s%s", at, *at && *key ? "." : "", key);
}

void cev_schema_path_index(char *out, size_t size, const char *at, size_t index)
{
    snprintf(out, size, "%s[%zu]", at, index);
}

cev_code cev_schema_fail(const cev_schema *s, const char *at, const char *key, const char *fmt, ...)
{
    char path[CEV_PATH_MAX];
    cev_schema_path_key(path, sizeof path, at, key);
    va_list ap;
    va_start(ap, fmt);
    char msg[CEV_MESSAGE_MAX - CEV_PATH_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cev_error_set(s->err, s->code, path, "%s: %s", path[0] ? path : "record", msg);
}

cev_code cev_schema_object(const cev_schema *s, const cJSON *obj, const char *at,
                      const char *const *keys)
{
    if (!cJSON_IsObject(obj))
        return cev_schema_fail(s, at, "", "must be an object, not %s", cev_json_type_name(obj));
    for (const cJSON *m = obj->child; m; m = m->next) {
        int known = 0;
        for (size_t i = 0; keys[i] && !known; i++)
            known = strcmp(keys[i], m->string) == 0;
        if (!known)
            return cev_schema_fail(s, at, m->string, "unknown field \"%s\"", m->string);
    }
    return CEV_OK;
}

cev_code cev_schema_string(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                      int required, const char **out)
{
    const cJSON *v = cev_json_get(obj, key);
    if (v == NULL)
        return required ? cev_schema_fail(s, at, key, "is required") : CEV_OK;
    if (!cJSON_IsString(v))
        return cev_schema_fail(s, at, key, "must be a string, not %s", cev_json_type_name(v));
    if (v->valuestring[0] == '\0')
        return cev_schema_fail(s, at, key, "must not be empty");
    *out = v->valuestring;
    return CEV_OK;
}

cev_code cev_schema_date(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                    int required, int *present, int32_t *day)
{
    const char *str = NULL;
    int rc = cev_schema_string(s, obj, at, key, required, &str);
    if (rc != CEV_OK || str == NULL)
        return rc;
    if (cev_date_parse(str, day) != CEV_OK)
        return cev_schema_fail(s, at, key, "\"%s\" is not a date YYYY-MM-DD", str);
    if (present)
        *present = 1;
    return CEV_OK;
}

cev_code cev_schema_integer(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                       int required, long min, long max, long *out)
{
    const cJSON *v = cev_json_get(obj, key);
    if (v == NULL)
        return required ? cev_schema_fail(s, at, key, "is required") : CEV_OK;
    if (!cJSON_IsNumber(v) || floor(v->valuedouble) != v->valuedouble)
        return cev_schema_fail(s, at, key, "must be a whole number");
    if (v->valuedouble < (double)min || v->valuedouble > (double)max)
        return cev_schema_fail(s, at, key, "must lie within [%ld, %ld]", min, max);
    *out = (long)v->valuedouble;
    return CEV_OK;
}

cev_code cev_schema_bool(const cev_schema *s, const cJSON *obj, const char *at, const char *key,
                    int *out)
{
    const cJSON *v = cev_json_get(obj, key);
    if (v == NULL)
        return CEV_OK;
    if (!cJSON_IsBool(v))
        return cev_schema_fail(s, at, key, "must be true or false, not %s",
                               cev_json_type_name(v));
    *out = cJSON_IsTrue(v);
    return CEV_OK;
}

cev_code cev_schema_container(const cev_schema *s, const cJSON *obj, const char *at,
                         const char *key, int required, int want_object, const cJSON **out)
{
    const cJSON *v = cev_json_get(obj, key);
    *out = NULL;
    if (v == NULL)
        return required ? cev_schema_fail(s, at, key, "is required") : CEV_OK;
    if (want_object ? !cJSON_IsObject(v) : !cJSON_IsArray(v))
        return cev_schema_fail(s, at, key, "must be an %s, not %s",
                               want_object ? "object" : "array", cev_json_type_name(v));
    *out = v;
    return CEV_OK;
}
