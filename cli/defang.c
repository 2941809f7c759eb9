/* defang.c - data printed for people carries no terminal commands. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdio.h>

/* Candidate ids, messages, labels and reasons come from session files and
 * packages.  Printed as they are, an ESC or a C1 control in one of them
 * would be a command to the terminal (colours, cursor moves, a new window
 * title...).  JSON output escapes them already; text output shows '?'. */
void cli_defang(char *s)
{
    if (s == NULL)
        return;
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* U+0080..U+009F */
            p[0] = p[1] = '?';
    }
}

const char *cli_defanged(char *buf, size_t size, const char *s)
{
    snprintf(buf, size, "%s", s ? s : "");
    cli_defang(buf);
    return buf;
}

void cli_defang_tree(cJSON *v)
{
    for (; v; v = v->next) {
        cli_defang(v->string);
        if (cJSON_IsString(v))
            cli_defang(v->valuestring);
        cli_defang_tree(v->child);
    }
}
