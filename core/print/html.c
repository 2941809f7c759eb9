/* html.c - HTML text with no markup and no hidden controls (html.h). */
#include "print/html.h"

#include "base/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The code point of the valid sequence s[0..n), n from 2 to 4. */
static uint32_t decode(const unsigned char *s, size_t n)
{
    uint32_t cp = s[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3f);
    return cp;
}

/* The non-ASCII characters shown as escapes: C1 controls, the controls of
 * bidirectional text, the line and paragraph separators, U+FEFF. */
/* C1 controls, bidirectional controls, separators, and the characters
 * that take no room (a zero-width space makes "Mar\u200Btin" look like
 * "Martin"); the zero-width joiners U+200C/U+200D stay: some scripts and
 * emoji need them. */
static int hidden(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || cp == 0x61c || cp == 0x180e ||
           cp == 0x200b || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

int pr_hidden_at(const char *s, size_t len, size_t i, size_t *n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    *n = 1;
    *cp = u[i];
    if (u[i] < 0x80)
        return u[i] < 0x20 || u[i] == 0x7f ? PR_HIDDEN : PR_SHOWN;
    size_t k = cev_utf8_seq(u, len, i);
    if (k == 0)
        return PR_BAD_BYTE;
    *n = k;
    *cp = decode(u + i, k);
    return hidden(*cp) ? PR_HIDDEN : PR_SHOWN;
}

static cev_code escape(cev_buf *b, const char *fmt, unsigned v)
{
    char text[16];
    snprintf(text, sizeof text, fmt, v);
    cev_code rc = cev_buf_puts(b, "<span class=\"esc\">");
    if (rc == CEV_OK)
        rc = cev_buf_puts(b, text);
    if (rc == CEV_OK)
        rc = cev_buf_puts(b, "</span>");
    return rc;
}

/* One ASCII byte. */
static cev_code ascii(cev_buf *b, const char *s, size_t len, size_t *i, unsigned flags)
{
    unsigned char c = (unsigned char)s[*i];
    switch (c) {
    case '&': return cev_buf_puts(b, "&amp;");
    case '<': return cev_buf_puts(b, "&lt;");
    case '>': return cev_buf_puts(b, "&gt;");
    case '"': return cev_buf_puts(b, "&quot;");
    case '\'': return cev_buf_puts(b, "&#39;");
    case '\t': return cev_buf_putc(b, ' ');
    default: break;
    }
    if (flags & PR_HTML_LINES) {
        if (c == '\r' && *i + 1 < len && s[*i + 1] == '\n')
            ++*i; /* "\r\n" is one line break */
        if (s[*i] == '\n')
            return cev_buf_puts(b, "<br>");
    }
    if (c < 0x20 || c == 0x7f)
        return escape(b, "\\u%04X", c);
    return cev_buf_putc(b, (char)c);
}

cev_code pr_html_text_len(cev_buf *b, const char *s, size_t len, unsigned flags)
{
    size_t mark = b->len;
    cev_code rc = CEV_OK;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len && rc == CEV_OK; i++) {
        /* a run of plain bytes is copied at once */
        size_t run = i;
        while (run < len && u[run] >= 0x20 && u[run] < 0x7f && u[run] != '&' && u[run] != '<' &&
               u[run] != '>' && u[run] != '"' && u[run] != '\'')
            run++;
        if (run > i) {
            rc = cev_buf_append(b, s + i, run - i);
            i = run - 1;
            continue;
        }
        if (u[i] < 0x80) {
            rc = ascii(b, s, len, &i, flags);
            continue;
        }
        size_t n = cev_utf8_seq(u, len, i);
        if (n == 0) {
            rc = escape(b, "\\x%02X", u[i]);
            continue;
        }
        uint32_t cp = decode(u + i, n);
        rc = hidden(cp) ? escape(b, "\\u%04X", cp) : cev_buf_append(b, s + i, n);
        i += n - 1;
    }
    if (rc != CEV_OK) { /* keep what the buffer held */
        cev_buf_truncate(b, mark);
    }
    return rc;
}

cev_code pr_html_text(cev_buf *b, const char *s)
{
    return s ? pr_html_text_len(b, s, strlen(s), 0) : CEV_OK;
}

cev_code pr_html_lines(cev_buf *b, const char *s)
{
    return s ? pr_html_text_len(b, s, strlen(s), PR_HTML_LINES) : CEV_OK;
}

void pr_raw(pr_out *o, const char *markup)
{
    if (o->rc == CEV_OK)
        o->rc = cev_buf_puts(o->b, markup);
}

void pr_rawf(pr_out *o, const char *fmt, ...)
{
    if (o->rc != CEV_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cev_buf_reserve(o->b, (size_t)n) != CEV_OK) {
        o->rc = CEV_ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(o->b->data + o->b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    o->b->len += (size_t)n;
}

void pr_esc(pr_out *o, const char *text)
{
    if (o->rc == CEV_OK)
        o->rc = pr_html_text(o->b, text);
}

void pr_esc_lines(pr_out *o, const char *text)
{
    if (o->rc == CEV_OK)
        o->rc = pr_html_lines(o->b, text);
}

void pr_elem(pr_out *o, const char *tag, const char *cls, const char *text)
{
    if (cls)
        pr_rawf(o, "<%s class=\"%s\">", tag, cls);
    else
        pr_rawf(o, "<%s>", tag);
    pr_esc(o, text);
    pr_rawf(o, "</%s>", tag);
}
