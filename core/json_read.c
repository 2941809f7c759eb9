#include "json_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The length (2 to 4) of the valid UTF-8 sequence at s[i], a byte >= 0x80,
 * or 0: a stray continuation byte, an overlong form, a surrogate, a code
 * point beyond U+10FFFF or a sequence cut by the end. */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i];
    size_t n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len - i <= n)
        return 0;
    for (size_t k = 1; k <= n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp > 0x10FFFF)
        return 0;
    return n + 1;
}

size_t cev_utf8_check(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_seq(s, len, i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

/* The ASCII bytes scan_raw() must look at; the others are skipped at once. */
static const unsigned char scan_special[128] = {
    [0] = 1, ['"'] = 1, ['\\'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1,
};

/* One pass over the raw text: NUL bytes, "\u0000" inside strings, invalid
 * UTF-8, depth.  The first of them in the text is reported. */
static int scan_raw(const char *text, size_t len, unsigned max_depth, cev_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    int in_string = 0;
    unsigned depth = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c < 0x80 && !scan_special[c])
            continue;
        if (c >= 0x80) {
            size_t n = utf8_seq(s, len, i);
            if (n == 0)
                return cev_error_set(err, CEV_EJSON, "", "invalid UTF-8 at byte offset %zu", i);
            i += n - 1;
        } else if (c == '\0') {
            return cev_error_set(err, CEV_EJSON, "", "NUL byte at byte offset %zu", i);
        } else if (in_string) {
            if (c == '\\' && i + 1 < len) {
                if (s[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0)
                    return cev_error_set(err, CEV_EJSON, "",
                                         "escaped NUL character (\\u0000) at byte offset %zu", i);
                i++;
            } else if (c == '"') {
                in_string = 0;
            }
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth)
                return cev_error_set(err, CEV_EJSON, "",
                                     "nesting deeper than %u levels at byte offset %zu",
                                     max_depth, i);
        } else if (c == '}' || c == ']') {
            if (depth > 0)
                depth--;
        }
    }
    return CEV_OK;
}

static int cmp_keys(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string, y->string);
}

/* Duplicate keys and non-finite numbers, depth-first. */
static int check_tree(const cJSON *v, cev_error *err)
{
    if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
        return cev_error_set(err, CEV_EJSON, v->string ? v->string : "",
                             "number out of range");
    if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
        return CEV_OK;
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        if (check_tree(c, err) != CEV_OK)
            return err->code;
        n++;
    }
    if (!cJSON_IsObject(v) || n < 2)
        return CEV_OK;
    if (n <= 16) {
        for (const cJSON *a = v->child; a; a = a->next)
            for (const cJSON *b = a->next; b; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    return cev_error_set(err, CEV_EJSON, a->string,
                                         "duplicate key \"%s\"", a->string);
        return CEV_OK;
    }
    const cJSON **keys = malloc(n * sizeof *keys);
    if (keys == NULL)
        return cev_error_set(err, CEV_ENOMEM, "", "out of memory");
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next)
        keys[i++] = c;
    qsort(keys, n, sizeof *keys, cmp_keys);
    int rc = CEV_OK;
    for (i = 1; i < n && rc == CEV_OK; i++)
        if (strcmp(keys[i - 1]->string, keys[i]->string) == 0)
            rc = cev_error_set(err, CEV_EJSON, keys[i]->string, "duplicate key \"%s\"",
                               keys[i]->string);
    free(keys);
    return rc;
}

int cev_json_parse(const char *text, size_t len, unsigned max_depth, cJSON **out,
                   cev_error *err)
{
    *out = NULL;
    if (scan_raw(text, len, max_depth, err) != CEV_OK)
        return err->code;
    const char *end = NULL;
    errno = 0; /* malloc sets ENOMEM: how a failed allocation inside cJSON,
                  which cJSON reports as a parse failure, is told apart */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL && errno == ENOMEM)
        return cev_error_set(err, CEV_ENOMEM, "", "out of memory");
    if (root == NULL) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        return cev_error_set(err, CEV_EJSON, "", "invalid JSON at byte offset %zu", off);
    }
    size_t off = (size_t)(end - text);
    while (off < len && (text[off] == ' ' || text[off] == '\t' || text[off] == '\r' ||
                         text[off] == '\n'))
        off++;
    if (off < len) {
        cJSON_Delete(root);
        return cev_error_set(err, CEV_EJSON, "",
                             "unexpected data after the JSON value at byte offset %zu", off);
    }
    if (check_tree(root, err) != CEV_OK) {
        cJSON_Delete(root);
        return err->code == CEV_ENOMEM ? CEV_ENOMEM : CEV_EJSON;
    }
    *out = root;
    return CEV_OK;
}

const cJSON *cev_json_get(const cJSON *obj, const char *key)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const char *cev_json_type_name(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return "object";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsNumber(v))
        return "number";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsNull(v))
        return "null";
    return "nothing";
}

int cev_read_file(const char *path, char **out, size_t *len, cev_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cev_error_set(err, CEV_EIO, "", "%s: %s", path, strerror(errno));
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *p = realloc(data, ncap + 1);
            if (p == NULL) {
                free(data);
                fclose(f);
                return cev_error_set(err, CEV_ENOMEM, "", "%s: out of memory", path);
            }
            data = p;
            cap = ncap;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        return cev_error_set(err, CEV_EIO, "", "%s: read error", path);
    }
    data[n] = '\0';
    *out = data;
    *len = n;
    return CEV_OK;
}
