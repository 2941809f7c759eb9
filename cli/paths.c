#include "cli.h"
#include "certeval/certeval.h"

#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CEV_BUILD_PLUGINS_DIR
#define CEV_BUILD_PLUGINS_DIR "plugins"
#endif
#ifndef CEV_SOURCE_RULES_DIR
#define CEV_SOURCE_RULES_DIR "rules"
#endif
#ifndef CEV_INSTALL_RULES_REL
#define CEV_INSTALL_RULES_REL "share/certeval/rules"
#endif
#ifndef CEV_INSTALL_PLUGINS_REL
#define CEV_INSTALL_PLUGINS_REL "lib/certeval/plugins"
#endif

void cli_error(const char *fmt, ...)
{
    char msg[2048]; /* messages quote data (paths, codes, labels): defanged */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_defang(msg);
    fprintf(stderr, "certeval: %s\n", msg);
}

const char *cli_plural(long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <prefix>/<rel> where the binary lives in <prefix>/bin; 0 when absent. */
static int installed(const char *rel, char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return 0;
    *slash = '\0'; /* the binary's folder */
    char joined[PATH_MAX + 64], real[PATH_MAX];
    snprintf(joined, sizeof joined, "%s/../%s", exe, rel);
    if (!is_dir(joined) || realpath(joined, real) == NULL)
        return 0;
    snprintf(out, size, "%s", real);
    return 1;
}

static void choose(const char *env, const char *rel, const char *fallback, char *out,
                   size_t size)
{
    const char *v = getenv(env);
    if (v && *v)
        snprintf(out, size, "%s", v);
    else if (!installed(rel, out, size))
        snprintf(out, size, "%s", fallback);
}

void cli_default_rules(char *out, size_t size)
{
    choose("CERTEVAL_RULES", CEV_INSTALL_RULES_REL, CEV_SOURCE_RULES_DIR, out, size);
}

void cli_default_plugins(char *out, size_t size)
{
    choose("CERTEVAL_PLUGINS", CEV_INSTALL_PLUGINS_REL, CEV_BUILD_PLUGINS_DIR, out, size);
}

int cli_secretary(const char *command)
{
    static const char *const french[] = {"import", "template", "pv", "attestation", "export"};
    for (size_t i = 0; i < sizeof french / sizeof french[0]; i++)
        if (strcmp(command, french[i]) == 0)
            return 1;
    return 0;
}

int cli_usage(char **argv, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cli_secretary(argv[0]))
        cli_error("%s : %s ; voir « certeval %s --help »", argv[0], msg, argv[0]);
    else
        cli_error("%s: %s; see 'certeval %s --help'", argv[0], msg, argv[0]);
    return CLI_CANNOT_START;
}

int cli_bad_option(char **argv, int c)
{
    /* a long option, or a short one ending its cluster, was stepped over */
    const char *given = optind > 1 ? argv[optind - 1] : "";
    int fr = cli_secretary(argv[0]);
    if (c == ':')
        return cli_usage(argv,
                         fr ? "l'option « %s » demande une valeur" : "option '%s' needs a value",
                         given);
    if (optopt != 0)
        return cli_usage(argv, fr ? "option inconnue « -%c »" : "unknown option '-%c'", optopt);
    return cli_usage(argv, fr ? "option inconnue « %s »" : "unknown option '%s'", given);
}

int cli_add_plugins(char *plugins, size_t size, int *given, const char *dir)
{
    size_t len = *given ? strlen(plugins) : 0;
    int n = snprintf(plugins + len, size - len, "%s%s", *given ? ":" : "", dir);
    if (n < 0 || (size_t)n >= size - len) {
        cli_error("-p %s: the plugin path would be longer than %zu bytes", dir, size - 1);
        return -1;
    }
    ++*given;
    return 0;
}

int cli_plugin_options_json(int argc, char **argv, void (*help)(FILE *), const char *operands,
                            char *plugins, size_t size, int *json)
{
    enum { OPT_JSON = 1000 };
    /* without `json`, --json is not one of the command's options */
    static const struct option opts[] = {{"plugins", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {NULL, 0, NULL, 0}};
    static const struct option no_json[] = {{"plugins", required_argument, NULL, 'p'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const struct option *known = json ? opts : no_json;
    cli_default_plugins(plugins, size);
    int c, given = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("p:h"), known, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (cli_add_plugins(plugins, size, &given, optarg) != 0)
                return CLI_CANNOT_START;
            break;
        case OPT_JSON: *json = 1; break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (operands && optind == argc)
        return cli_usage(argv, "missing %s", operands);
    if (!operands && optind < argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int cli_plugin_options(int argc, char **argv, void (*help)(FILE *), int want_operands,
                       char *plugins, size_t size)
{
    return cli_plugin_options_json(argc, argv, help, want_operands ? "PACKAGE" : NULL, plugins,
                                   size, NULL);
}

int cli_folder_options(int argc, char **argv, void (*help)(FILE *), char *rules, size_t rsize,
                       char *plugins, size_t psize, const char **output)
{
    static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    cli_default_rules(rules, rsize);
    cli_default_plugins(plugins, psize);
    int c, given = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, output ? CLI_OPTSTRING("r:p:o:h") : CLI_OPTSTRING("r:p:h"),
                            opts, NULL)) != -1) {
        switch (c) {
        case 'r': snprintf(rules, rsize, "%s", optarg); break;
        case 'p':
            if (cli_add_plugins(plugins, psize, &given, optarg) != 0)
                return CLI_CANNOT_START;
            break;
        case 'o':
            if (output == NULL) /* template, import: French (cli_secretary) */
                return cli_usage(argv, "option inconnue « %s »", argv[optind - 1]);
            *output = optarg;
            break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    return -1;
}

int cli_parse_jobs(const char *arg, unsigned *threads)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || n < 1 || n > CEV_MAX_THREADS) {
        cli_error("-j takes a number of threads from 1 to %d, not '%s'", CEV_MAX_THREADS, arg);
        return -1;
    }
    *threads = (unsigned)n;
    return 0;
}
