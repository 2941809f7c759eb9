#include "pkgtest/expect.h"

#include "base/error.h"
#include "base/json.h"
#include "base/schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int match(const cJSON *want, const cJSON *got, const char *path, cev_buf *diff);

/* A short rendering of a value for a diff line. */
static int put_value(cev_buf *b, const cJSON *v)
{
    if (v == NULL)
        return cev_buf_puts(b, "nothing");
    char *s = cJSON_PrintUnformatted(v);
    if (s == NULL)
        return CEV_ENOMEM;
    size_t n = strlen(s);
    if (n > 120) { /* cut before 117 bytes, never inside a UTF-8 character */
        n = 117;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    int rc = cev_buf_append(b, s, n);
    if (rc == CEV_OK && n < strlen(s))
        rc = cev_buf_puts(b, "...");
    cJSON_free(s);
    return rc;
}

static int mismatch(cev_buf *diff, const char *path, const cJSON *want, const cJSON *got)
{
    if (cev_buf_printf(diff, "  %s: expected ", *path ? path : "(record)") != CEV_OK ||
        put_value(diff, want) != CEV_OK || cev_buf_puts(diff, ", got ") != CEV_OK ||
        put_value(diff, got) != CEV_OK || cev_buf_putc(diff, '\n') != CEV_OK)
        return CEV_ENOMEM;
    return 1;
}

/* "code" or "id" when every element of the array is an object carrying it. */
static const char *key_field(const cJSON *arr)
{
    static const char *const keys[] = {"code", "id"};
    for (size_t k = 0; k < 2; k++) {
        int all = arr->child != NULL;
        for (const cJSON *e = arr->child; e && all; e = e->next)
            all = cJSON_IsString(cev_json_get(e, keys[k]));
        if (all)
            return keys[k];
    }
    return NULL;
}

static const cJSON *find_keyed(const cJSON *arr, const char *field, const char *value)
{
    for (const cJSON *e = cJSON_IsArray(arr) ? arr->child : NULL; e; e = e->next) {
        const cJSON *k = cev_json_get(e, field);
        if (cJSON_IsString(k) && strcmp(k->valuestring, value) == 0)
            return e;
    }
    return NULL;
}

static int add(int total, int rc)
{
    return total < 0 ? total : rc < 0 ? rc : total + rc;
}

static int match_array(const cJSON *want, const cJSON *got, const char *path, cev_buf *diff)
{
    if (!cJSON_IsArray(got))
        return mismatch(diff, path, want, got);
    const char *field = key_field(want);
    int n = 0;
    char sub[CEV_PATH_MAX];
    if (field) {
        for (const cJSON *e = want->child; e; e = e->next) {
            const char *value = cev_json_get(e, field)->valuestring;
            snprintf(sub, sizeof sub, "%s[%s]", path, value);
            n = add(n, match(e, find_keyed(got, field, value), sub, diff));
        }
        return n;
    }
    if (cJSON_GetArraySize(want) != cJSON_GetArraySize(got))
        return mismatch(diff, path, want, got);
    size_t i = 0;
    for (const cJSON *w = want->child, *g = got->child; w && g; w = w->next, g = g->next, i++) {
        cev_schema_path_index(sub, sizeof sub, path, i);
        n = add(n, match(w, g, sub, diff));
    }
    return n;
}

static int match(const cJSON *want, const cJSON *got, const char *path, cev_buf *diff)
{
    if (got == NULL)
        return mismatch(diff, path, want, got);
    if (cJSON_IsObject(want)) {
        if (!cJSON_IsObject(got))
            return mismatch(diff, path, want, got);
        int n = 0;
        char sub[CEV_PATH_MAX];
        for (const cJSON *m = want->child; m; m = m->next) {
            cev_schema_path_key(sub, sizeof sub, path, m->string);
            n = add(n, match(m, cev_json_get(got, m->string), sub, diff));
        }
        return n;
    }
    if (cJSON_IsArray(want))
        return match_array(want, got, path, diff);
    if (cJSON_IsNumber(want))
        return cJSON_IsNumber(got) && fabs(want->valuedouble - got->valuedouble) <= 1e-9
                   ? 0
                   : mismatch(diff, path, want, got);
    if (cJSON_IsString(want) && strcmp(path, "error.message") == 0) /* a part of it */
        return cJSON_IsString(got) && strstr(got->valuestring, want->valuestring)
                   ? 0
                   : mismatch(diff, path, want, got);
    if (cJSON_IsString(want))
        return cJSON_IsString(got) && strcmp(want->valuestring, got->valuestring) == 0
                   ? 0
                   : mismatch(diff, path, want, got);
    if (cJSON_IsBool(want))
        return cJSON_IsBool(got) && cJSON_IsTrue(want) == cJSON_IsTrue(got)
                   ? 0
                   : mismatch(diff, path, want, got);
    return cJSON_IsNull(got) ? 0 : mismatch(diff, path, want, got);
}

int cev_expect_match(const cJSON *expected, const cJSON *actual, cev_buf *diff)
{
    return match(expected, actual, "", diff);
}

const char *cev_expect_vague(const cJSON *expected)
{
    const cJSON *e = cev_json_get(expected, "error");
    if (cJSON_IsObject(e) && !cev_json_get(e, "path") && !cev_json_get(e, "message"))
        return "names the error's code only: name its \"path\" or a part of its \"message\" "
               "too, so that the case cannot pass for another error";
    return NULL;
}
