/*
 * cli.h - the certeval command line: one function per sub-command, each
 * returning the process exit status of docs/certeval.1 (0 all held, 1 problems found
 * or records in error, 2 could not start).
 */
#ifndef CEV_CLI_H
#define CEV_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

enum { CLI_OK = 0, CLI_PROBLEMS = 1, CLI_CANNOT_START = 2 };

int cmd_eval(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_plugins(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_minutes(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_pv(int argc, char **argv);
int cmd_attestation(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* The default folders (README, docs/certeval.1): the environment variable, else the
 * installed folder beside the binary, else the build tree's.  Writes the
 * path into out; never fails (the last fallback always exists in name). */
void cli_default_rules(char *out, size_t size);
void cli_default_plugins(char *out, size_t size);

/* -p DIR, repeatable: the first -p replaces the default plugin path, each
 * later one is appended to it (':'), so that the folders are searched in
 * the order given.  `*given` (0 before the first) counts them.  0, or -1
 * when the path grows past `size` (said). */
int cli_add_plugins(char *plugins, size_t size, int *given, const char *dir);

/* Parses the options of the commands that take only -p DIR (repeatable)
 * and -h (check, test, plugins), and --json when `json` is not NULL (set
 * to 1 when given).  Fills `plugins` (default included).  Returns -1 to go
 * on with the operands at argv[optind], else the exit status to return now
 * (help shown, bad usage, or operands missing/unexpected).  `operands`
 * names what the command needs ("PACKAGE"), or NULL when it takes none. */
int cli_plugin_options_json(int argc, char **argv, void (*help)(FILE *), const char *operands,
                            char *plugins, size_t size, int *json);
/* The same without --json; `want_operands`: PACKAGE... is needed. */
int cli_plugin_options(int argc, char **argv, void (*help)(FILE *), int want_operands,
                       char *plugins, size_t size);

/* Parses -r DIR, -p DIR, -h and, when `output` is not NULL, -o OUT (the
 * session folder's commands: template, import).  Fills `rules` and
 * `plugins` (defaults included).  Returns -1 to go on with the operands at
 * argv[optind], else the exit status to return now. */
int cli_folder_options(int argc, char **argv, void (*help)(FILE *), char *rules, size_t rsize,
                       char *plugins, size_t psize, const char **output);

/* 1 for the commands a jury secretary runs (import, template, pv,
 * attestation, export): what they say is in French. */
int cli_secretary(const char *command);

/* Bad usage, said in one line: "certeval: CMD: <message>; see 'certeval
 * CMD --help'" (CMD is argv[0]); for a secretary's command, "certeval: CMD :
 * <message> ; voir « certeval CMD --help »", the message then given in
 * French by the caller.  Returns CLI_CANNOT_START. */
int cli_usage(char **argv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* What getopt_long returned for an option it refused ('?': unknown, ':':
 * its value missing; the option string must start with ':'), said with
 * cli_usage() (in French for a secretary's command).  Returns
 * CLI_CANNOT_START. */
int cli_bad_option(char **argv, int c);
/* The option string of getopt_long for a command: ':' first (a missing
 * value is told apart), and opterr cleared (cli_bad_option() speaks). */
#define CLI_OPTSTRING(s) (opterr = 0, ":" s)

/* Help lines shared by the commands. */
#define CLI_HELP_PLUGINS                                                                   \
    "  -p, --plugins DIR  plugin folder; repeat it to search several, the first\n"        \
    "                     providing a modality wins (default: $CERTEVAL_PLUGINS,\n"       \
    "                     ':'-separated, the installed folder, or the build tree's)\n"
#define CLI_HELP_HELP "  -h, --help         this help\n"
/* The same in French, for the commands a jury secretary runs (import,
 * template, pv, attestation, export). */
#define CLI_HELP_PLUGINS_FR                                                                \
    "  -p, --plugins DOSSIER un dossier de modules ; à répéter pour en chercher\n"        \
    "                        plusieurs, le premier qui fournit une modalité l'emporte\n"  \
    "                        (par défaut : $CERTEVAL_PLUGINS, séparés par « : », le\n"   \
    "                        dossier installé, ou celui de la compilation)\n"
#define CLI_HELP_HELP_FR "  -h, --help            cette aide\n"
#define CLI_HELP_DOCUMENT_FR                                                               \
    "  -a, --audit AUDIT     le registre d'audit\n"                                       \
    "  -s, --session DOSSIER le dossier de session\n"                                     \
    "  -o, --output SORTIE   écrire dans SORTIE au lieu de la sortie standard\n"

/* -j N: 1 to 256 worker threads; says what is wrong and returns -1. */
int cli_parse_jobs(const char *arg, unsigned *threads);

/* Replaces, in place, the bytes a terminal would take as commands (C0
 * controls, DEL, and C1 controls in UTF-8) with '?': for data printed for
 * people (candidate ids, messages, labels, reasons).  NULL is ignored. */
void cli_defang(char *s);
/* Copies s into buf (truncated to size) and defangs the copy; returns buf:
 * for data that must stay as it is elsewhere (JSON output, the log). */
const char *cli_defanged(char *buf, size_t size, const char *s);
/* The same in every key and string value of a parsed tree (`v` and its
 * siblings, recursively). */
struct cJSON;
void cli_defang_tree(struct cJSON *v);

/* The progress line (docs/certeval.1; progress.c): "certeval: N <unit>, M
 * <problems>, R <unit>/s" on stderr, every 2000 records and at the end,
 * when stderr is a terminal and not `quiet`.  `problems` NULL: no count of
 * them.  Caller-owned struct. */
typedef struct cli_progress {
    int on, shown;
    const char *unit, *problems;
    struct timespec start;
} cli_progress;
void cli_progress_init(cli_progress *p, int quiet, const char *unit, const char *problems);
void cli_progress_step(cli_progress *p, long done, long problems);
/* Before printing any other line while the progress line may be shown. */
void cli_progress_clear(cli_progress *p);
/* The final count, and a newline. */
void cli_progress_end(cli_progress *p, long done, long problems);

/* `one` when n is 1, else `many`: "1 entry", "2 entries". */
const char *cli_plural(long n, const char *one, const char *many);

/* "certeval: " + message on stderr, defanged, at most 2047 bytes. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
