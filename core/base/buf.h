/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 *
 * Caller-owned struct: cev_buf_init() / cev_buf_close().  cev_buf_reset()
 * empties it but keeps the allocation, so a buffer reused per record stops
 * allocating once it has grown to the largest record.
 * Append functions return CEV_OK or CEV_ENOMEM; after a failure the buffer
 * keeps its previous content.
 */
#ifndef CEV_BUF_H
#define CEV_BUF_H

#include <stddef.h>

typedef struct cev_buf {
    char *data; /* NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
} cev_buf;

void cev_buf_init(cev_buf *b);
void cev_buf_close(cev_buf *b);
void cev_buf_reset(cev_buf *b);
int cev_buf_reserve(cev_buf *b, size_t extra);
int cev_buf_append(cev_buf *b, const void *data, size_t len);
int cev_buf_puts(cev_buf *b, const char *s);
int cev_buf_putc(cev_buf *b, char c);
int cev_buf_printf(cev_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the data over to the caller (free()), leaving the buffer empty. */
char *cev_buf_take(cev_buf *b);

#endif
