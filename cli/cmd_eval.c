/*
 * cmd_eval.c - `certeval eval`: decide every record of the session files
 * (or stdin) and write one decision or error record per record, in input
 * order.
 *
 * Lines are numbered per file from 1; blank lines are skipped; a line may end
 * in "\n" or "\r\n" (the terminator is not part of the record nor of its
 * input hash); a line over CEV_MAX_RECORD bytes gets an E_JSON error record
 * and is never held in memory whole (lines.h).  A candidate id seen earlier in the same file gives an
 * E_SCHEMA error record naming the first line.
 */
#include "audit.h"
#include "cli.h"
#include "lines.h"
#include "session.h"
#include "pipeline.h"
#include "writer.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_AT (1u << 20)

typedef struct eval_run {
    cev_worker worker;
    cev_buf out;
    FILE *dest;
    const char *dest_name;
    int progress;
    long records, errors;
    struct timespec start;
    cev_audit *audit; /* NULL without -a */
} eval_run;

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval eval [-r DIR] [-p DIR] [-a AUDIT] [-o OUT] [-q] [--allow-draft]\n"
            "                     [FILE...|-]\n\n"
            "Decides every candidate record of the session files (JSON Lines; stdin when\n"
            "none or '-') and writes one decision or error record per record, in input\n"
            "order, to OUT (stdout by default).\n\n"
            "  -r, --rules DIR     title packages (default: $CERTEVAL_RULES, the installed\n"
            "                      rules, or rules/ of the source tree)\n"
            "  -p, --plugins DIR   plugin folder (default: $CERTEVAL_PLUGINS, the installed\n"
            "                      plugins, or the build tree's)\n"
            "  -a, --audit AUDIT   log every record in the audit store AUDIT (a folder,\n"
            "                      created if needed); entries reach the disk before the\n"
            "                      records they log are written\n"
            "  -o, --output OUT    write the records to OUT instead of stdout\n"
            "  -q, --quiet         no progress on stderr\n"
            "      --allow-draft   decide with draft packages too (decisions are marked)\n"
            "  -h, --help          this help\n\n"
            "Exit status: 0 every record decided, 1 some records gave error records,\n"
            "2 could not start.\n");
}

/* Group commit: the audit entries of the records in `out` reach the disk
 * before the records themselves are handed out. */
static int flush(eval_run *run)
{
    cev_error err;
    if (run->audit && cev_audit_sync(run->audit, &err) != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    if (run->out.len && fwrite(run->out.data, 1, run->out.len, run->dest) != run->out.len) {
        cli_error("%s: %s", run->dest_name, strerror(errno));
        return CLI_CANNOT_START;
    }
    cev_buf_reset(&run->out);
    return CLI_OK;
}

static void progress(eval_run *run, int last)
{
    if (!run->progress || (!last && run->records % 2000 != 0))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double s = (double)(now.tv_sec - run->start.tv_sec) + (now.tv_nsec - run->start.tv_nsec) / 1e9;
    fprintf(stderr, "\rcerteval: %ld records, %ld errors, %.0f records/s%s", run->records,
            run->errors, s > 0 ? run->records / s : 0.0, last ? "\n" : "");
}

/* Counts an error record and says it on stderr. */
static void report(eval_run *run, const char *name, long lineno, const char *cand,
                   const cev_error *err)
{
    run->errors++;
    fprintf(stderr, "certeval: %s:%ld: %s: %s: %s\n", name, lineno, cand ? cand : "-",
            cev_code_name(err->code), err->message);
}

/* Logs the record just written at out[mark..] (without its '\n'). */
static int log_record(eval_run *run, const char *name, long lineno, const char *line,
                      size_t len, size_t size, size_t mark)
{
    cev_error err;
    if (run->audit == NULL)
        return CLI_OK;
    if (cev_audit_add(run->audit, name, lineno, line, len, size, run->out.data + mark,
                      run->out.len - mark - 1, &err) != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    return CLI_OK;
}

/* Decides one line (line NULL: over the size limit) and commits it to the
 * file's session; CLI_CANNOT_START only when output cannot be produced. */
static int eval_line(eval_run *run, cev_session *session, const char *name, const char *line,
                     size_t len, long lineno)
{
    if (line && cev_line_is_blank(line, len))
        return CLI_OK;
    cev_error err;
    size_t mark = run->out.len;
    const char *cand = NULL;
    int rc;
    if (line == NULL) {
        rc = cev_session_too_long(lineno, len, &run->out, &err);
    } else {
        rc = cev_worker_eval(&run->worker, line, len, lineno, &run->out, &err);
        cand = run->worker.rec.candidate;
        if (rc != CEV_ENOMEM)
            rc = cev_session_commit(session, cand, lineno, &run->out, mark, rc, &err);
    }
    if (rc == CEV_ENOMEM) {
        cli_error("%s:%ld: out of memory", name, lineno);
        return CLI_CANNOT_START;
    }
    run->records++;
    if (rc != CEV_OK)
        report(run, name, lineno, cand, &err);
    if (log_record(run, name, lineno, line, line ? len : 0, line ? 0 : len, mark) != CLI_OK)
        return CLI_CANNOT_START;
    progress(run, 0);
    return run->out.len >= FLUSH_AT ? flush(run) : CLI_OK;
}

static int eval_stream(eval_run *run, FILE *in, const char *name)
{
    cev_lines lines;
    cev_session session;
    const char *line;
    size_t len;
    int status = CLI_OK, rc;
    cev_lines_init(&lines, in, CEV_MAX_RECORD);
    cev_session_init(&session);
    while (status == CLI_OK && (rc = cev_lines_next(&lines, &line, &len)) != CEV_LINE_END) {
        if (rc == CEV_LINE_OK || rc == CEV_LINE_TOO_LONG)
            status = eval_line(run, &session, name, line, len, lines.lineno);
        else {
            cli_error("%s: %s", name, rc == CEV_LINE_IO ? "read error" : "out of memory");
            status = CLI_CANNOT_START;
        }
    }
    cev_lines_close(&lines);
    cev_session_close(&session);
    return status;
}

int cmd_eval(int argc, char **argv)
{
    enum { OPT_ALLOW_DRAFT = 1000 };
    static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
                                         {"audit", required_argument, NULL, 'a'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"allow-draft", no_argument, NULL, OPT_ALLOW_DRAFT},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char rules[PATH_MAX], plugins[PATH_MAX];
    const char *output = NULL, *audit_dir = NULL;
    int quiet = 0, allow_draft = 0, c;
    cli_default_rules(rules, sizeof rules);
    cli_default_plugins(plugins, sizeof plugins);
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:p:a:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': snprintf(rules, sizeof rules, "%s", optarg); break;
        case 'a': audit_dir = optarg; break;
        case 'p': snprintf(plugins, sizeof plugins, "%s", optarg); break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case OPT_ALLOW_DRAFT: allow_draft = 1; break;
        case 'h': help(stdout); return CLI_OK;
        default: help(stderr); return CLI_CANNOT_START;
        }
    }
    /* every input must open before anything is decided */
    int nfiles = argc - optind;
    FILE **inputs = calloc(nfiles > 0 ? (size_t)nfiles : 1, sizeof *inputs);
    if (inputs == NULL) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    int status = CLI_OK;
    for (int i = 0; i < nfiles && status == CLI_OK; i++) {
        const char *f = argv[optind + i];
        inputs[i] = strcmp(f, "-") == 0 ? stdin : fopen(f, "rb");
        if (inputs[i] == NULL) {
            cli_error("%s: %s", f, strerror(errno));
            status = CLI_CANNOT_START;
        }
    }
    cev_engine eng;
    cev_error err;
    int eng_open = 0;
    eval_run run;
    memset(&run, 0, sizeof run);
    cev_buf_init(&run.out);
    if (status == CLI_OK) {
        if (cev_engine_open(&eng, plugins, rules, allow_draft, &err) != CEV_OK) {
            cli_error("%s", err.message);
            status = CLI_CANNOT_START;
        } else {
            eng_open = 1;
        }
    }
    cev_audit audit;
    if (status == CLI_OK && audit_dir) {
        if (cev_audit_open(&audit, audit_dir, &err) != CEV_OK) {
            cli_error("audit store %s: %s", audit_dir, err.message);
            status = CLI_CANNOT_START;
        } else {
            run.audit = &audit;
            if (cev_audit_catalog(&audit, &eng.cat, allow_draft, &err) != CEV_OK) {
                cli_error("audit store %s: %s", audit_dir, err.message);
                status = CLI_CANNOT_START;
            }
        }
    }
    if (status == CLI_OK && cev_worker_init(&run.worker, &eng) != CEV_OK) {
        cli_error("out of memory");
        status = CLI_CANNOT_START;
    }
    run.dest = stdout;
    run.dest_name = "stdout";
    if (status == CLI_OK && output) {
        run.dest_name = output;
        if ((run.dest = fopen(output, "wb")) == NULL) {
            cli_error("%s: %s", output, strerror(errno));
            status = CLI_CANNOT_START;
        }
    }
    run.progress = !quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &run.start);
    if (status == CLI_OK && nfiles == 0)
        status = eval_stream(&run, stdin, "stdin");
    for (int i = 0; i < nfiles && status == CLI_OK; i++)
        status = eval_stream(&run, inputs[i], strcmp(argv[optind + i], "-") ? argv[optind + i]
                                                                           : "stdin");
    if (status == CLI_OK)
        status = flush(&run);
    if (status == CLI_OK && fflush(run.dest) != 0) {
        cli_error("%s: %s", run.dest_name, strerror(errno));
        status = CLI_CANNOT_START;
    }
    if (run.dest && run.dest != stdout && fclose(run.dest) != 0 && status == CLI_OK) {
        cli_error("%s: %s", run.dest_name, strerror(errno));
        status = CLI_CANNOT_START;
    }
    if (run.audit && cev_audit_close(run.audit, &err) != CEV_OK && status == CLI_OK) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    progress(&run, 1);
    for (int i = 0; i < nfiles; i++)
        if (inputs[i] && inputs[i] != stdin)
            fclose(inputs[i]);
    free(inputs);
    if (run.worker.eng)
        cev_worker_close(&run.worker);
    cev_buf_close(&run.out);
    if (eng_open)
        cev_engine_close(&eng);
    if (status == CLI_OK && run.errors > 0)
        status = CLI_PROBLEMS;
    return status;
}
