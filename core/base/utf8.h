/*
 * utf8.h - well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates,
 * nothing beyond U+10FFFF.
 */
#ifndef CEV_UTF8_H
#define CEV_UTF8_H

#include <stddef.h>

/* The length (2 to 4) of the valid sequence at s[i], a byte >= 0x80, or 0. */
size_t cev_utf8_seq(const unsigned char *s, size_t len, size_t i);

/* Checks that `len` bytes are well-formed UTF-8; returns the offset of the
 * first bad byte, or `len` when all is well. */
size_t cev_utf8_check(const char *s, size_t len);

/* Replaces each byte of `s` (NUL-terminated) that does not belong to a
 * well-formed sequence by '?', in place: a message built with text from a
 * plugin then reads the same in an error record and on stderr. */
void cev_utf8_scrub(char *s);
#endif
