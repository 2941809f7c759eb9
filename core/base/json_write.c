#include "base/json_write.h"

#include "base/error.h"

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

cev_code cev_jw_status(const cev_jw *w)
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

/* How a byte goes into a JSON string: '\\' and then esc_tail[c] for the
 * bytes a string cannot hold as they are ('"', '\\' and the control
 * characters), esc_extra[c] > 0 bytes long; itself otherwise (esc_extra[c]
 * == 0, esc_tail[c] empty). */
#define U(h, l) [0x##h##l] = "u00" #h #l
static const char esc_tail[256][8] = {
    U(0, 0), U(0, 1), U(0, 2), U(0, 3), U(0, 4), U(0, 5), U(0, 6), U(0, 7),
    U(0, 8), ['\t'] = "t", ['\n'] = "n", U(0, b), U(0, c), ['\r'] = "r", U(0, e), U(0, f),
    U(1, 0), U(1, 1), U(1, 2), U(1, 3), U(1, 4), U(1, 5), U(1, 6), U(1, 7),
    U(1, 8), U(1, 9), U(1, a), U(1, b), U(1, c), U(1, d), U(1, e), U(1, f),
    ['"'] = "\"", ['\\'] = "\\",
};
#undef U
#define X(h, l) [0x##h##l] = 5
static const unsigned char esc_extra[256] = {
    X(0, 0), X(0, 1), X(0, 2), X(0, 3), X(0, 4), X(0, 5), X(0, 6), X(0, 7),
    X(0, 8), ['\t'] = 1, ['\n'] = 1, X(0, b), X(0, c), ['\r'] = 1, X(0, e), X(0, f),
    X(1, 0), X(1, 1), X(1, 2), X(1, 3), X(1, 4), X(1, 5), X(1, 6), X(1, 7),
    X(1, 8), X(1, 9), X(1, a), X(1, b), X(1, c), X(1, d), X(1, e), X(1, f),
    ['"'] = 1, ['\\'] = 1,
};
#undef X
/* '\\' - c for the same bytes: c + esc_lead[c] is the first output byte. */
#define D(h, l) [0x##h##l] = '\\' - 0x##h##l
static const signed char esc_lead[256] = {
    D(0, 0), D(0, 1), D(0, 2), D(0, 3), D(0, 4), D(0, 5), D(0, 6), D(0, 7),
    D(0, 8), D(0, 9), D(0, a), D(0, b), D(0, c), D(0, d), D(0, e), D(0, f),
    D(1, 0), D(1, 1), D(1, 2), D(1, 3), D(1, 4), D(1, 5), D(1, 6), D(1, 7),
    D(1, 8), D(1, 9), D(1, a), D(1, b), D(1, c), D(1, d), D(1, e), D(1, f),
    ['"'] = '\\' - '"',
};
#undef D

#define ESCAPE_CHUNK 4096 /* bytes escaped per reservation of their worst case */

/* A JSON string, written straight into the buffer without a branch per
 * byte: each byte writes its first output byte (itself, or '\\'), then its
 * whole 8-byte tail, which the next byte overwrites when the tail is empty.
 * Room for the worst case (each byte as \u00XX, plus the last tail) is
 * made once per chunk.  (The audit log escapes whole records, a quote
 * every few bytes: a branch per byte mispredicted at each of them.) */
static void put_escaped(cev_jw *w, const char *s, size_t len)
{
    cev_buf *b = w->out;
    put(w, "\"", 1);
    for (size_t from = 0; from < len && w->status == CEV_OK; from += ESCAPE_CHUNK) {
        size_t n = len - from < ESCAPE_CHUNK ? len - from : ESCAPE_CHUNK;
        if (cev_buf_reserve(b, 6 * n + sizeof esc_tail[0]) != CEV_OK) {
            w->status = CEV_ENOMEM;
            return;
        }
        char *o = b->data + b->len;
        const unsigned char *p = (const unsigned char *)s + from, *end = p + n;
        for (; p < end; p++) {
            unsigned char c = *p;
            *o = (char)(c + esc_lead[c]);
            memcpy(o + 1, esc_tail[c], sizeof esc_tail[c]);
            o += 1 + esc_extra[c];
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
