#include "json_write.h"

#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cev_jw_init(cev_jw *w, cev_buf *out)
{
    w->out = out;
    w->cache = NULL;
    w->status = CEV_OK;
    w->depth = 0;
    w->has_item[0] = 0;
}

void cev_jw_set_cache(cev_jw *w, cev_numcache *cache)
{
    w->cache = cache;
}

int cev_jw_status(const cev_jw *w)
{
    return w->status;
}

static void put(cev_jw *w, const char *s, size_t n)
{
    cev_buf *b = w->out;
    if (w->status != CEV_OK)
        return;
    if (n < b->cap - b->len) { /* room for the bytes and the NUL: no call */
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else if (cev_buf_append(b, s, n) != CEV_OK) {
        w->status = CEV_ENOMEM;
    }
}

/* Before a value: a comma unless it follows a key or opens its container. */
static void value_sep(cev_jw *w)
{
    if (w->has_item[w->depth] == 1)
        put(w, ",", 1);
    w->has_item[w->depth] = 1;
}

static void open_container(cev_jw *w, char c)
{
    value_sep(w);
    put(w, &c, 1);
    if (w->depth + 1 >= CEV_JW_MAX_DEPTH) {
        w->status = CEV_ENOMEM;
        return;
    }
    w->has_item[++w->depth] = 0;
}

static void close_container(cev_jw *w, char c)
{
    put(w, &c, 1);
    if (w->depth > 0)
        w->depth--;
}

void cev_jw_object(cev_jw *w) { open_container(w, '{'); }
void cev_jw_array(cev_jw *w) { open_container(w, '['); }
void cev_jw_end_object(cev_jw *w) { close_container(w, '}'); }
void cev_jw_end_array(cev_jw *w) { close_container(w, ']'); }

/* Bytes that a JSON string cannot hold as they are: '"', '\\' and the
 * control characters. */
static const unsigned char must_escape[256] = {
    [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
    [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
    [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
    [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

#define ESCAPE_CHUNK 4096 /* bytes escaped per reservation of their worst case */

/* A JSON string.  The bytes are written straight into the buffer, room for
 * the worst case (each byte as \u00XX) made once per chunk: the audit log
 * escapes whole records, a quote every few bytes. */
static void put_escaped(cev_jw *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    cev_buf *b = w->out;
    put(w, "\"", 1);
    for (size_t from = 0; from < len && w->status == CEV_OK; from += ESCAPE_CHUNK) {
        size_t n = len - from < ESCAPE_CHUNK ? len - from : ESCAPE_CHUNK;
        if (cev_buf_reserve(b, 6 * n) != CEV_OK) {
            w->status = CEV_ENOMEM;
            return;
        }
        char *o = b->data + b->len;
        const unsigned char *p = (const unsigned char *)s + from, *end = p + n;
        for (; p < end; p++) {
            unsigned char c = *p;
            if (!must_escape[c]) {
                *o++ = (char)c;
                continue;
            }
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default: /* another control character */
                memcpy(o, "u00", 3);
                o[3] = hex[c >> 4];
                o[4] = hex[c & 15];
                o += 5;
            }
        }
        b->len = (size_t)(o - b->data);
        b->data[b->len] = '\0';
    }
    put(w, "\"", 1);
}

void cev_jw_key(cev_jw *w, const char *key)
{
    value_sep(w);
    put_escaped(w, key, strlen(key));
    put(w, ":", 1);
    w->has_item[w->depth] = 2; /* the value that follows takes no comma */
}

void cev_jw_key_raw(cev_jw *w, const char *quoted, size_t len)
{
    value_sep(w);
    put(w, quoted, len);
    w->has_item[w->depth] = 2;
}

void cev_jw_string_len(cev_jw *w, const char *s, size_t len)
{
    value_sep(w);
    put_escaped(w, s, len);
}

void cev_jw_string(cev_jw *w, const char *s)
{
    if (s == NULL)
        cev_jw_null(w);
    else
        cev_jw_string_len(w, s, strlen(s));
}

void cev_format_number(double v, char *buf, size_t size)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "null");
        return;
    }
    if (v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

void cev_jw_number(cev_jw *w, double v)
{
    char tmp[40];
    const char *text = tmp;
    unsigned long long bits;
    memcpy(&bits, &v, sizeof bits);
    if (w->cache) {
        /* slot by a mix of the bits; bits 0 (the number 0) marks an empty slot */
        size_t slot = (size_t)((bits * 0x9E3779B97F4A7C15ULL) >> (64 - CEV_NUMCACHE_BITS));
        if (bits == 0 || w->cache->bits[slot] != bits) {
            cev_format_number(v, w->cache->text[slot], sizeof w->cache->text[slot]);
            w->cache->bits[slot] = bits;
        }
        text = w->cache->text[slot];
    } else {
        cev_format_number(v, tmp, sizeof tmp);
    }
    value_sep(w);
    put(w, text, strlen(text));
}

void cev_jw_integer(cev_jw *w, long long v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    value_sep(w);
    put(w, tmp, (size_t)n);
}

void cev_jw_bool(cev_jw *w, int v)
{
    value_sep(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void cev_jw_null(cev_jw *w)
{
    value_sep(w);
    put(w, "null", 4);
}
