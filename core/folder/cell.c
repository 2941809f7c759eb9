/*
 * cell.c - one cell's value, as typed.
 */
#include "folder/cell.h"

#include "base/date.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int id_byte(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

int cev_cell_identifier_len(const char *s, size_t len)
{
    if (len == 0 || len > CEV_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!id_byte((unsigned char)s[i]))
            return 0;
    return 1;
}

int cev_cell_identifier(const char *s)
{
    return cev_cell_identifier_len(s, strlen(s));
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

int cev_cell_date(char *s)
{
    size_t len = strlen(s);
    const char *slash1 = strchr(s, '/');
    if (slash1 != NULL) {
        const char *slash2 = strchr(slash1 + 1, '/');
        if (slash2 == NULL)
            return 0;
        size_t nd = (size_t)(slash1 - s), nm = (size_t)(slash2 - slash1 - 1);
        size_t ny = len - (size_t)(slash2 - s) - 1;
        if (nd != 2 || nm != 2 || ny != 4 || !digits(s, nd) ||
            !digits(slash1 + 1, nm) || !digits(slash2 + 1, 4))
            return 0;
        int d = atoi(s), m = atoi(slash1 + 1), y = atoi(slash2 + 1);
        char iso[16];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
        int32_t day;
        if (cev_date_parse(iso, &day) != CEV_OK)
            return 0; /* s stays as typed, for the problem that quotes it */
        memcpy(s, iso, 11); /* "DD/MM/YYYY" is 10 bytes too */
        return 1;
    }
    int32_t day;
    return strlen(s) == 10 && cev_date_parse(s, &day) == CEV_OK;
}

int cev_cell_number(const char *s, double *v)
{
    char tmp[64];
    size_t len = strlen(s), i = 0;
    if (len == 0 || len >= sizeof tmp)
        return 0;
    if (s[0] == '-')
        i++;
    size_t int_digits = 0, frac_digits = 0;
    int point = 0;
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (point)
                frac_digits++;
            else
                int_digits++;
        } else if ((c == ',' || c == '.') && !point) {
            point = 1;
        } else {
            return 0;
        }
    }
    if (int_digits == 0 || (point && frac_digits == 0))
        return 0;
    memcpy(tmp, s, len + 1);
    char *comma = strchr(tmp, ',');
    if (comma != NULL)
        *comma = '.';
    char *end;
    *v = strtod(tmp, &end);
    return *end == '\0';
}

int cev_cell_word(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

int cev_cell_yes_no(const char *s)
{
    if (*s == '\0' || cev_cell_word(s, "non"))
        return 0;
    if (cev_cell_word(s, "oui"))
        return 1;
    return -1;
}
