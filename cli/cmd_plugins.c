/*
 * cmd_plugins.c - `certeval plugins [-p DIR]... [--json]`: every shared
 * object of the plugin path, usable or refused (with the reason), shadowed
 * by an earlier folder's plugin, or in conflict with another of its folder.
 */
#include "cli.h"
#include "certeval/certeval.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval plugins [-p DIR]... [--json]\n\n"
               "Lists the modality plugins found, folder by folder: name, version, ABI,\n"
               "file; for each refused one, why; for a usable one that is not used, the\n"
               "plugin used instead (an earlier folder's), or the other plugin of its\n"
               "folder that provides the same modality (a conflict: eval refuses it).\n\n"
               CLI_HELP_PLUGINS
               "      --json         one JSON document instead of text\n" CLI_HELP_HELP "\n"
               "Exit status: 0 listed, 2 a folder cannot be read or bad usage.\n");
}

typedef struct list_view {
    int json, shown;
    cev_buf out; /* with --json: the document */
    cev_jw jw;
} list_view;

/* The column titles, once, before the first plugin (or the "no plugin"
 * line): nothing is printed on stdout when a folder cannot be read. */
static void header(list_view *v)
{
    if (v->shown || v->json)
        return;
    v->shown = 1;
    printf("%-12s %-9s %-5s %s\n", "NAME", "VERSION", "ABI", "FILE");
}

/* "used", "refused", "shadowed" or "conflict". */
static const char *status_of(const cev_plugin_info *p)
{
    return p->refused ? "refused" : p->shadowed_by ? "shadowed" : p->conflict ? "conflict" : "used";
}

static void show_json(list_view *v, const cev_plugin_info *p)
{
    cev_jw *w = &v->jw;
    cev_jw_object(w);
    cev_jw_key_lit(w, "file");
    cev_jw_string(w, p->file);
    cev_jw_key_lit(w, "folder");
    cev_jw_integer(w, (long long)p->folder);
    cev_jw_key_lit(w, "name");
    cev_jw_string(w, p->name[0] ? p->name : NULL);
    cev_jw_key_lit(w, "version");
    cev_jw_string(w, p->version[0] ? p->version : NULL);
    cev_jw_key_lit(w, "abi");
    cev_jw_string(w, p->abi[0] ? p->abi : NULL);
    cev_jw_key_lit(w, "sha256");
    cev_jw_string(w, p->sha256[0] ? p->sha256 : NULL);
    cev_jw_key_lit(w, "status");
    cev_jw_string(w, status_of(p));
    cev_jw_key_lit(w, "refused");
    cev_jw_string(w, p->refused);
    cev_jw_key_lit(w, "shadowed_by");
    cev_jw_string(w, p->shadowed_by);
    cev_jw_key_lit(w, "conflict");
    cev_jw_string(w, p->conflict);
    cev_jw_end_object(w);
}

static void show(void *ctx, const cev_plugin_info *p)
{
    list_view *v = ctx;
    if (v->json) {
        show_json(v, p);
        return;
    }
    header(v);
    printf("%-12s %-9s %-5s %s\n", p->name[0] ? p->name : "?",
           p->version[0] ? p->version : "?", p->abi[0] ? p->abi : "?", p->file);
    if (p->refused)
        printf("             refused: %s\n", p->refused);
    else if (p->shadowed_by)
        printf("             shadowed: not used, %s (an earlier folder) provides \"%s\"\n",
               p->shadowed_by, p->name);
    else if (p->conflict)
        printf("             conflict: %s provides \"%s\" too, in the same folder (eval "
               "refuses both)\n",
               p->conflict, p->name);
}

int cmd_plugins(int argc, char **argv)
{
    char plugins[PATH_MAX];
    list_view v;
    memset(&v, 0, sizeof v);
    int status = cli_plugin_options_json(argc, argv, help, NULL, plugins, sizeof plugins,
                                         &v.json);
    if (status >= 0)
        return status;
    cev_buf_init(&v.out);
    cev_jw_init(&v.jw, &v.out);
    cev_jw_object(&v.jw);
    cev_jw_key_lit(&v.jw, "path");
    cev_jw_string(&v.jw, plugins);
    cev_jw_key_lit(&v.jw, "plugins");
    cev_jw_array(&v.jw);
    size_t count;
    cev_error err;
    status = CLI_OK;
    if (cev_plugins_list(plugins, show, &v, &count, &err) != CEV_OK) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    } else if (v.json) {
        cev_jw_end_array(&v.jw);
        cev_jw_end_object(&v.jw);
        if (cev_jw_status(&v.jw) != CEV_OK || cev_buf_putc(&v.out, '\n') != CEV_OK) {
            cli_error("out of memory");
            status = CLI_CANNOT_START;
        } else {
            fwrite(v.out.data, 1, v.out.len, stdout);
        }
    } else {
        header(&v);
        if (count == 0)
            printf("(no plugin in %s)\n", plugins);
    }
    cev_buf_close(&v.out);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("stdout: %s", strerror(errno));
        status = CLI_CANNOT_START;
    }
    return status;
}
