/*
 * cmd_eval.c - `certeval eval`: checks the files named (each input opens,
 * and neither the output nor the audit log is one of them), opens the
 * engine, the audit store and the output, then hands the inputs to the
 * core's run (run/eval.h), which decides, logs and writes every record in
 * input order, and prints what it tells: the error lines, the progress, the
 * lines to decide again.
 */
#include "cli.h"
#include "certeval/certeval.h"
#include "inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What the run's messages need (the committer's thread). */
typedef struct eval_view {
    cli_progress progress;
    int dest_tty; /* the records go to the terminal the progress line is on */
    const char *rules, *rules_from; /* the rules folder, and what chose it */
    int told_rules; /* the rules folder was named after an unknown title */
} eval_view;

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval eval [-r DIR] [-p DIR] [-j N] [-a AUDIT] [-o OUT] [-q]\n"
            "                     [--allow-draft] [FILE...|-]\n\n"
            "Decides every candidate record of the session files (JSON Lines; stdin when\n"
            "none or '-') and writes one decision or error record per record, in input\n"
            "order, to OUT (stdout by default).\n\n"
            "  -r, --rules DIR     title packages (default: $CERTEVAL_RULES, the installed\n"
            "                      rules, or rules/ of the source tree)\n" CLI_HELP_PLUGINS
            "  -j, --jobs N        worker threads (default: the online CPUs); the output is\n"
            "                      the same bytes for every N\n"
            "  -a, --audit AUDIT   log every record in the audit store AUDIT (a folder,\n"
            "                      created if needed); entries reach the disk before the\n"
            "                      records they log are written\n"
            "  -o, --output OUT    write the records to OUT instead of stdout\n"
            "  -q, --quiet         no progress on stderr\n"
            "      --allow-draft   decide with draft packages too (decisions are marked)\n"
            CLI_HELP_HELP "\n"
            "Exit status: 0 every record decided, 1 some records gave error records,\n"
            "2 could not start.\n");
}

/* The decision stream, out of the plugins' reach: the records go to a
 * private duplicate of descriptor 1 (close-on-exec, numbered 3 or above),
 * and descriptor 1 then points at stderr, so that whatever a plugin prints
 * to stdout (a stray printf, a library's banner) lands among the messages,
 * not among the records.  Done before any plugin is loaded.  NULL, with
 * errno set, when a descriptor cannot be made. */
static FILE *private_stdout(void)
{
    fflush(stdout);
    int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "wb");
    if (f == NULL) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        int e = errno;
        fclose(f);
        errno = e;
        return NULL;
    }
    return f;
}

/* After the first record whose title no package has: which folders were
 * searched, and how to point elsewhere (once a run). */
static void tell_rules(const eval_view *v)
{
    enum { SHOWN = 8 };
    char **dirs = NULL, name[PATH_MAX];
    size_t n = 0;
    cev_error err;
    fprintf(stderr, "certeval: the title packages were searched in %s (%s)",
            cli_defanged(name, sizeof name, v->rules), v->rules_from);
    if (cev_package_folders(v->rules, &dirs, &n, &err) == CEV_OK) {
        for (size_t i = 0; i < n && i < SHOWN; i++)
            fprintf(stderr, "%s%s", i ? ", " : ": ", cli_defanged(name, sizeof name, dirs[i]));
        if (n > SHOWN)
            fprintf(stderr, " and %zu more", n - SHOWN);
    }
    cev_package_folders_free(dirs, n);
    fprintf(stderr, "; give another rules folder with -r DIR or $CERTEVAL_RULES\n");
}

static void on_error(void *ctx, const char *source, long line, const char *candidate,
                     const cev_error *e)
{
    eval_view *v = ctx;
    /* a candidate id is known only once it passed the identifier rule */
    char cand[CEV_ID_MAX + 1], message[CEV_MESSAGE_MAX];
    const char *who = candidate ? cli_defanged(cand, sizeof cand, candidate) : "-";
    cli_progress_clear(&v->progress);
    fprintf(stderr, "certeval: %s:%ld: %s: %s: %s\n", source, line, who, cev_code_name(e->code),
            cli_defanged(message, sizeof message, e->message));
    if (e->code == CEV_ETITLE && strcmp(e->path, "title") == 0 && !v->told_rules) {
        v->told_rules = 1;
        tell_rules(v);
    }
}

static void on_hint(void *ctx, const char *source, long line, const char *message)
{
    eval_view *v = ctx;
    cli_progress_clear(&v->progress);
    fprintf(stderr, "certeval: %s:%ld: hint: %s\n", source, line, message);
}

static void on_progress(void *ctx, long records, long errors)
{
    eval_view *v = ctx;
    cli_progress_step(&v->progress, records, errors);
}

static void on_output(void *ctx)
{
    eval_view *v = ctx;
    if (v->dest_tty)
        cli_progress_clear(&v->progress);
}

int cmd_eval(int argc, char **argv)
{
    enum { OPT_ALLOW_DRAFT = 1000 };
    static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
                                         {"audit", required_argument, NULL, 'a'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"jobs", required_argument, NULL, 'j'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"allow-draft", no_argument, NULL, OPT_ALLOW_DRAFT},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char rules[PATH_MAX], plugins[PATH_MAX];
    const char *output = NULL, *audit_dir = NULL;
    int quiet = 0, allow_draft = 0, plugins_given = 0, c;
    unsigned threads = cev_online_cpus();
    cli_default_rules(rules, sizeof rules);
    const char *env = getenv("CERTEVAL_RULES"),
               *rules_from = env && *env ? "$CERTEVAL_RULES" : "the default folder";
    cli_default_plugins(plugins, sizeof plugins);
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("r:p:a:j:o:qh"), opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            snprintf(rules, sizeof rules, "%s", optarg);
            rules_from = "-r";
            break;
        case 'a': audit_dir = optarg; break;
        case 'p':
            if (cli_add_plugins(plugins, sizeof plugins, &plugins_given, optarg) != 0)
                return CLI_CANNOT_START;
            break;
        case 'j':
            if (cli_parse_jobs(optarg, &threads) != 0)
                return CLI_CANNOT_START;
            break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case OPT_ALLOW_DRAFT: allow_draft = 1; break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    /* every input must open before anything is decided */
    int nfiles = argc - optind;
    static char stdin_name[] = "stdin";
    char *only_stdin[] = {stdin_name};
    char *const *names = nfiles ? argv + optind : only_stdin;
    size_t n = nfiles ? (size_t)nfiles : 1;
    cli_file_id *inputs = calloc(n, sizeof *inputs);
    char **labels = calloc(n, sizeof *labels);
    if (inputs == NULL || labels == NULL) {
        free(inputs);
        free(labels);
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    int status = CLI_OK;
    for (size_t i = 0; i < n && status == CLI_OK; i++) {
        int is_stdin = nfiles == 0 || strcmp(names[i], "-") == 0;
        labels[i] = is_stdin ? stdin_name : names[i];
        if (is_stdin) {
            cli_file_id_fd(&inputs[i], stdin_name, STDIN_FILENO);
            inputs[i].held = stdin;
        } else if (cli_check_input(names[i], &inputs[i]) != 0)
            status = CLI_CANNOT_START;
    }
    cli_file_id out_id;
    if (output)
        cli_file_id_path(&out_id, output);
    else
        cli_file_id_fd(&out_id, "stdout", STDOUT_FILENO);
    if (status == CLI_OK && cli_clobbers(inputs, n, &out_id, NULL))
        status = CLI_CANNOT_START;
    FILE *dest = NULL;
    const char *dest_name = "stdout";
    if (status == CLI_OK && output == NULL && (dest = private_stdout()) == NULL) {
        cli_error("stdout: %s", strerror(errno));
        status = CLI_CANNOT_START;
    }
    cev_engine *eng = NULL;
    cev_error err;
    if (status == CLI_OK && cev_engine_load(&eng, plugins, rules, allow_draft, &err) != CEV_OK) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    cev_audit *store = NULL;
    if (status == CLI_OK && audit_dir) {
        cev_audit_extent x; /* only to say why the run would seem to hang */
        if (cev_audit_measure(audit_dir, &x, &err) == CEV_OK && x.appending)
            fprintf(stderr, "certeval: audit store %s: another run is appending; waiting for it "
                            "to finish\n",
                    audit_dir);
        if (cev_audit_begin(&store, audit_dir, &err) != CEV_OK) {
            cli_error("audit store %s: %s", audit_dir, err.message);
            status = CLI_CANNOT_START;
        } else {
            char log_name[PATH_MAX + 16];
            snprintf(log_name, sizeof log_name, "%s/log.jsonl", audit_dir);
            cli_file_id log_id;
            cli_file_id_fd(&log_id, log_name, cev_audit_log_fd(store));
            if (cli_clobbers(inputs, n, &out_id, &log_id) ||
                cli_in_store(&out_id, output, audit_dir, 0)) {
                status = CLI_CANNOT_START;
            } else if (cev_audit_register(store, eng, allow_draft, &err) != CEV_OK) {
                cli_error("audit store %s: %s", audit_dir, err.message);
                status = CLI_CANNOT_START;
            }
        }
    }
    if (status == CLI_OK && output) {
        dest_name = output;
        if ((dest = fopen(output, "wb")) == NULL) {
            cli_error("%s: %s", output, strerror(errno));
            status = CLI_CANNOT_START;
        }
    }
    eval_view view = {.rules = rules, .rules_from = rules_from};
    cli_progress_init(&view.progress, quiet, "records", "errors");
    view.dest_tty = dest && isatty(fileno(dest));
    const cev_eval_hooks hooks = {&view, on_error, on_progress, on_output, on_hint};
    cev_eval *ev = NULL;
    if (status == CLI_OK && cev_eval_open(&ev, eng, store, dest, dest_name,
                                          (const char *const *)labels, n, threads, allow_draft,
                                          &hooks, &err) != CEV_OK) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    /* an input that fails midway stops the reading; what was decided before
     * is still written and logged, and the run then exits 2.  Its message
     * waits for the run's end: until then the progress line is the
     * committer's. */
    int input_status = CLI_OK;
    cev_error input_err;
    input_err.message[0] = '\0';
    for (size_t i = 0; i < n && status == CLI_OK && input_status == CLI_OK; i++) {
        FILE *in = cli_open_input(&inputs[i]);
        if (in == NULL) {
            input_status = CLI_CANNOT_START;
            break;
        }
        int rc = cev_eval_stream(ev, i, in, &err);
        if (in != stdin)
            fclose(in);
        if (rc < 0) {
            input_err = err;
            input_status = CLI_CANNOT_START;
        } else if (rc == CEV_STOPPED) { /* cev_eval_finish says why */
            break;
        }
    }
    cev_eval_report rep = {0, 0, 0, 0};
    if (ev) {
        int finished = cev_eval_finish(ev, &rep, &err);
        if (input_err.message[0]) {
            cli_progress_clear(&view.progress);
            cli_error("%s", input_err.message);
        }
        if (finished != CEV_OK) {
            cli_progress_clear(&view.progress);
            cli_error("%s", err.message);
            status = CLI_CANNOT_START;
        }
        cev_eval_close(ev);
    }
    if (dest && fclose(dest) != 0 && status == CLI_OK) {
        cli_error("%s: %s", dest_name, strerror(errno));
        status = CLI_CANNOT_START;
    }
    if (store && cev_audit_end(store, &err) != CEV_OK && status == CLI_OK) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    cli_progress_end(&view.progress, rep.records, rep.errors);
    if (rep.undecided) /* among the error lines, the ones to decide again as they are */
        fprintf(stderr,
                "certeval: %ld line%s could not be decided because the machine failed (out of "
                "memory): decide %s again%s\n",
                rep.undecided, rep.undecided > 1 ? "s" : "", rep.undecided > 1 ? "them" : "it",
                rep.unread ? " with the whole file (a candidate id that could not be read was "
                             "not checked against the lines after it)"
                           : "");
    if (status == CLI_OK)
        status = input_status;
    for (size_t i = 0; i < n; i++) /* the inputs never reached */
        if (inputs[i].held && inputs[i].held != stdin)
            fclose(inputs[i].held);
    free(inputs);
    free(labels);
    cev_engine_unload(eng);
    if (status == CLI_OK && rep.errors > 0)
        status = CLI_PROBLEMS;
    return status;
}
