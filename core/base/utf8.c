#include "base/utf8.h"

#include <string.h>

/* The length (2 to 4) of the valid UTF-8 sequence at s[i], a byte >= 0x80,
 * or 0: a stray continuation byte, an overlong form, a surrogate, a code
 * point beyond U+10FFFF or a sequence cut by the end. */
size_t cev_utf8_seq(const unsigned char *s, size_t len, size_t i)
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
        size_t n = cev_utf8_seq(s, len, i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

void cev_utf8_scrub(char *str)
{
    unsigned char *s = (unsigned char *)str;
    size_t len = strlen(str);
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = cev_utf8_seq(s, len, i);
        if (n == 0) {
            s[i++] = '?';
            continue;
        }
        i += n;
    }
}
