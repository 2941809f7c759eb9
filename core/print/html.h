/*
 * html.h - writing HTML text that no string from a record, a package or the
 * session folder can turn into markup, nor disguise.
 *
 * Every such string goes through pr_html_text(): the five characters that
 * HTML gives a meaning (& < > " ') become entities, and the characters that
 * would change how the text around them reads without being seen are shown
 * as visible escapes instead, in a <span class="esc">:
 *   - C0 controls (but for a line break, see PR_HTML_LINES, and a tab, which
 *     becomes a space), DEL, and C1 controls (U+0080..U+009F): "\u001B";
 *   - the bidirectional controls that reorder text (U+061C, U+200E, U+200F,
 *     U+202A..U+202E, U+2066..U+2069), the line and paragraph separators
 *     (U+2028, U+2029), U+FEFF, and the characters that take no room but
 *     the joiners (U+00AD, U+180E, U+200B, U+2060..U+2064): "\u202E";
 *   - bytes that are not well-formed UTF-8: "\xFF", one per byte.
 * Everything else is copied as it is.  The output is well-formed UTF-8 with
 * no markup from the input, whatever the input.
 *
 * Functions append to a cev_buf and return CEV_OK or CEV_ENOMEM (the buffer
 * then keeps what it held).
 */
#ifndef CEV_PRINT_HTML_H
#define CEV_PRINT_HTML_H

#include "certeval/certeval.h"

#include <stddef.h>
#include <stdint.h>

enum {
    PR_HTML_LINES = 1 /* a line break ("\n" or "\r\n") becomes <br>; else it is escaped */
};

/* What the character at s[i] (i < len) is, by the rules above: its length
 * in *n, its code point in *cp (a byte that is not well-formed UTF-8: the
 * byte itself).  The export shows the same characters (export.c). */
enum { PR_SHOWN, PR_HIDDEN, PR_BAD_BYTE };
int pr_hidden_at(const char *s, size_t len, size_t i, size_t *n, uint32_t *cp);

/* Appends the escaped s[0..len). */
cev_code pr_html_text_len(cev_buf *b, const char *s, size_t len, unsigned flags);
/* The same for a NUL-terminated string; NULL appends nothing. */
cev_code pr_html_text(cev_buf *b, const char *s);
/* The same with PR_HTML_LINES. */
cev_code pr_html_lines(cev_buf *b, const char *s);

/* pr_out: a document being written, with sticky errors (as cev_jw): after
 * an allocation failure every call is a no-op and `rc` stays CEV_ENOMEM,
 * so that writers check once, at the end.  Markup is written with
 * pr_raw()/pr_rawf(), whose text and arguments must be the program's own
 * (tags, fixed words, numbers); every other string with pr_esc(). */
typedef struct pr_out {
    cev_buf *b; /* borrowed */
    cev_code rc;
} pr_out;

void pr_raw(pr_out *o, const char *markup);
void pr_rawf(pr_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Escaped text (pr_html_text); NULL writes nothing. */
void pr_esc(pr_out *o, const char *text);
/* Escaped text whose line breaks become <br> (pr_html_lines). */
void pr_esc_lines(pr_out *o, const char *text);
/* <tag class="cls">escaped text</tag>; cls may be NULL. */
void pr_elem(pr_out *o, const char *tag, const char *cls, const char *text);

#endif
