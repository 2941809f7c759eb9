#include "base/buf.h"

#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cev_buf_init(cev_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void cev_buf_close(cev_buf *b)
{
    free(b->data);
    cev_buf_init(b);
}

void cev_buf_reset(cev_buf *b)
{
    cev_buf_truncate(b, 0);
}

void cev_buf_truncate(cev_buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

cev_code cev_buf_reserve(cev_buf *b, size_t extra)
{
    if (extra >= (size_t)-1 - b->len)
        return CEV_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return CEV_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return CEV_ENOMEM;
    b->data = p;
    b->cap = cap;
    return CEV_OK;
}

cev_code cev_buf_append(cev_buf *b, const void *data, size_t len)
{
    if (cev_buf_reserve(b, len) != CEV_OK)
        return CEV_ENOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return CEV_OK;
}

cev_code cev_buf_puts(cev_buf *b, const char *s)
{
    return cev_buf_append(b, s, strlen(s));
}

cev_code cev_buf_putc(cev_buf *b, char c)
{
    return cev_buf_append(b, &c, 1);
}

cev_code cev_buf_printf(cev_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cev_buf_reserve(b, (size_t)n) != CEV_OK)
        return CEV_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return CEV_OK;
}

char *cev_buf_take(cev_buf *b)
{
    char *p = b->data;
    if (p == NULL)
        p = calloc(1, 1);
    cev_buf_init(b);
    return p;
}
