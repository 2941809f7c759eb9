#include "base/json.h"

#include "base/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ASCII bytes scan_raw() must look at; the others are skipped at once:
 * the control characters, the structure, and the two bytes of a number that
 * RFC 8259 restricts more than strtod() does ('0', '.'). */
static const unsigned char scan_special[128] = {
    [0] = 1,    [1] = 1,    [2] = 1,    [3] = 1,    [4] = 1,    [5] = 1,    [6] = 1,
    [7] = 1,    [8] = 1,    [9] = 1,    [10] = 1,   [11] = 1,   [12] = 1,   [13] = 1,
    [14] = 1,   [15] = 1,   [16] = 1,   [17] = 1,   [18] = 1,   [19] = 1,   [20] = 1,
    [21] = 1,   [22] = 1,   [23] = 1,   [24] = 1,   [25] = 1,   [26] = 1,   [27] = 1,
    [28] = 1,   [29] = 1,   [30] = 1,   [31] = 1,   ['"'] = 1,  ['\\'] = 1, ['{'] = 1,
    ['['] = 1,  ['}'] = 1,  [']'] = 1,  ['0'] = 1,  ['.'] = 1,
};

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Whether the '0' at s[i], outside a string, begins the integer part of a
 * number (not a digit after another, of a fraction or of an exponent). */
static int starts_integer(const unsigned char *s, size_t i)
{
    if (i == 0)
        return 1;
    unsigned char p = s[i - 1];
    if (is_digit(p) || p == '.' || p == 'e' || p == 'E' || p == '+')
        return 0;
    if (p == '-' && i >= 2 && (s[i - 2] == 'e' || s[i - 2] == 'E'))
        return 0;
    return 1;
}

/* One pass over the raw text: NUL bytes, "\u0000" inside strings, invalid
 * UTF-8, raw control characters inside strings, whitespace other than space,
 * TAB, LF and CR outside them, numbers with a leading zero or a fraction
 * point without digits on both sides (cJSON hands numbers to strtod(), which
 * takes them), depth.  The first of them in the text is reported. */
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
            size_t n = cev_utf8_seq(s, len, i);
            if (n == 0)
                return cev_error_set(err, CEV_EJSON, "", "invalid UTF-8 at byte offset %zu", i);
            i += n - 1;
        } else if (c < 0x20) {
            if (c == '\0')
                return cev_error_set(err, CEV_EJSON, "", "NUL byte at byte offset %zu", i);
            if (in_string)
                return cev_error_set(err, CEV_EJSON, "",
                                     "raw control character U+%04X in a string at byte offset "
                                     "%zu (write it escaped)",
                                     c, i);
            if (c != '\t' && c != '\n' && c != '\r')
                return cev_error_set(err, CEV_EJSON, "",
                                     "control character U+%04X outside a string at byte offset "
                                     "%zu (only space, TAB, LF and CR separate)",
                                     c, i);
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
        } else if (c == '0') {
            if (i + 1 < len && is_digit(s[i + 1]) && starts_integer(s, i))
                return cev_error_set(err, CEV_EJSON, "",
                                     "number with a leading zero at byte offset %zu", i);
        } else if (c == '.') {
            if (i == 0 || !is_digit(s[i - 1]) || i + 1 >= len || !is_digit(s[i + 1]))
                return cev_error_set(err, CEV_EJSON, "",
                                     "fraction point without digits on both sides at byte offset "
                                     "%zu",
                                     i);
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
        return cev_error_nomem(err);
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

cev_code cev_json_parse(const char *text, size_t len, unsigned max_depth, cJSON **out,
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
        return cev_error_nomem(err);
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

const char *cev_json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cev_json_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
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
