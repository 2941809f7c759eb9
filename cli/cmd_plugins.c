/*
 * cmd_plugins.c - `certeval plugins [-p DIR]`: every shared object of the
 * plugin folder, usable or refused (with the reason).
 */
#include "cli.h"
#include "certeval/certeval.h"

#include <limits.h>
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval plugins [-p DIR]\n\n"
               "Lists the modality plugins found: name, version, ABI, file, and for each\n"
               "refused one, why.\n\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "");
}

/* The column titles, once, before the first plugin (or the "no plugin"
 * line): nothing is printed on stdout when the folder cannot be read. */
static void header(int *shown)
{
    if (*shown)
        return;
    *shown = 1;
    printf("%-12s %-9s %-5s %s\n", "NAME", "VERSION", "ABI", "FILE");
}

static void show(void *ctx, const cev_plugin_info *p)
{
    header(ctx);
    printf("%-12s %-9s %-5s %s%s%s\n", p->name[0] ? p->name : "?",
           p->version[0] ? p->version : "?", p->abi[0] ? p->abi : "?", p->file,
           p->refused ? "\n             refused: " : "", p->refused ? p->refused : "");
}

int cmd_plugins(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 0, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    size_t count;
    cev_error err;
    int shown = 0;
    if (cev_plugins_list(plugins, show, &shown, &count, &err) != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    header(&shown);
    if (count == 0)
        printf("(no plugin in %s)\n", plugins);
    return CLI_OK;
}
