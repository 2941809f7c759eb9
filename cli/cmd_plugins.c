/*
 * cmd_plugins.c - `certeval plugins [-p DIR]`: every shared object of the
 * plugin folder, usable or refused (with the reason).
 */
#include "cli.h"
#include "plugin/registry.h"

#include <limits.h>
#include <stdio.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval plugins [-p DIR]\n\n"
               "Lists the modality plugins found: name, version, ABI, file, and for each\n"
               "refused one, why.\n\n"
               CLI_HELP_PLUGINS CLI_HELP_HELP "");
}

int cmd_plugins(int argc, char **argv)
{
    char plugins[PATH_MAX];
    int status = cli_plugin_options(argc, argv, help, 0, plugins, sizeof plugins);
    if (status >= 0)
        return status;
    cev_registry reg;
    if (cli_open_registry(plugins, &reg) != CLI_OK)
        return CLI_CANNOT_START;
    printf("%-12s %-9s %-5s %s\n", "NAME", "VERSION", "ABI", "FILE");
    for (size_t i = 0; i < reg.count; i++) {
        const cev_plugin_ref *p = &reg.items[i];
        printf("%-12s %-9s %-5s %s%s%s\n", p->name[0] ? p->name : "?",
               p->version[0] ? p->version : "?", p->abi[0] ? p->abi : "?", p->file,
               p->refused ? "\n             refused: " : "", p->refused ? p->refused : "");
    }
    if (reg.count == 0)
        printf("(no plugin in %s)\n", plugins);
    cev_registry_close(&reg);
    return CLI_OK;
}
