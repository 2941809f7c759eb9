/*
 * cmd_eval.c - `certeval eval`: decide every record of the session files
 * (or stdin) and write one decision or error record per record, in input
 * order, whatever the number of worker threads.
 *
 * This thread reads the lines and hands them to the workers (parallel.h);
 * the committer thread takes the records back in input order, applies the
 * file's session (session.h: a repeated candidate, a line over the size
 * limit), logs them (audit.h), counts errors and writes the output.
 *
 * Lines are numbered per file from 1; blank lines are skipped; a line may end
 * in "\n" or "\r\n" (the terminator is not part of the record nor of its
 * input hash); a line over CEV_MAX_RECORD bytes gets an E_JSON error record
 * and is never held in memory whole (lines.h).
 */
#include "audit/audit.h"
#include "base/lines.h"
#include "cli.h"
#include "decide/parallel.h"
#include "decide/session.h"
#include "decide/write.h"
#include "inputs.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_AT (1u << 20)

/* The committer's state: everything below is touched by it alone once the
 * run has started. */
typedef struct eval_run {
    cev_buf out;
    FILE *dest;
    const char *dest_name;
    int dest_tty; /* the records go to the terminal the progress line is on */
    char *const *names; /* file names, by job tag */
    cli_progress progress;
    long records, errors;
    long undecided; /* error records of lines the machine could not decide */
    long unread;    /* among them, lines whose candidate id was not read */
    cev_audit *audit; /* NULL without -a */
    cev_session session;
    long session_tag;
} eval_run;

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

/* Group commit: the audit entries of the records in `out` reach the disk
 * before the records themselves are handed out. */
static int flush(eval_run *run)
{
    cev_error err;
    if (run->audit && cev_audit_sync(run->audit, &err) != CEV_OK) {
        cli_progress_clear(&run->progress);
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    if (run->dest_tty && run->out.len)
        cli_progress_clear(&run->progress);
    if (run->out.len && fwrite(run->out.data, 1, run->out.len, run->dest) != run->out.len) {
        cli_progress_clear(&run->progress);
        cli_error("%s: %s", run->dest_name, strerror(errno));
        return CLI_CANNOT_START;
    }
    cev_buf_reset(&run->out);
    return CLI_OK;
}

/* Called in input order: the file's session, stderr, the log, the output. */
static int commit(void *ctx, cev_job *job)
{
    eval_run *run = ctx;
    const char *name = run->names[job->tag];
    const char *cand = job->has_candidate ? job->candidate.data : NULL;
    size_t mark = run->out.len;
    int rc = cev_job_commit(job, &run->session, &run->session_tag, &run->out);
    if (rc == CEV_ENOMEM || rc == CEV_EIO) {
        cli_progress_clear(&run->progress);
        cli_error("%s:%ld: %s", name, job->lineno, job->err.message);
        return CLI_CANNOT_START;
    }
    run->records++;
    int undecided = job->undecided && rc == CEV_ERULE; /* (not a repeated id) */
    if (undecided) {
        run->undecided++;
        run->unread += !job->has_candidate;
    }
    if (rc != CEV_OK) {
        run->errors++;
        if (cand) /* the record is written already: these are only printed now */
            cli_defang(job->candidate.data);
        cli_defang(job->err.message);
        cli_progress_clear(&run->progress);
        fprintf(stderr, "certeval: %s:%ld: %s: %s: %s\n", name, job->lineno, cand ? cand : "-",
                cev_code_name(job->err.code), job->err.message);
    }
    cev_error err;
    if (run->audit &&
        cev_audit_add(run->audit, name, job->lineno, job->too_long ? NULL : job->input.data,
                      job->input.len, job->too_long, run->out.data + mark,
                      run->out.len - mark - 1, undecided, &err) != CEV_OK) {
        cli_progress_clear(&run->progress);
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    cli_progress_step(&run->progress, run->records, run->errors);
    return run->out.len >= FLUSH_AT ? flush(run) : CLI_OK;
}

/* Hands every non-blank line of one file to the workers. */
static int read_stream(cev_par *par, FILE *in, const char *name, long tag, int allow_draft)
{
    cev_lines lines;
    const char *line;
    size_t len;
    int status = CLI_OK, rc;
    cev_lines_init(&lines, in, CEV_MAX_RECORD);
    while (status == CLI_OK && (rc = cev_lines_next(&lines, &line, &len)) != CEV_LINE_END) {
        if (rc != CEV_LINE_OK && rc != CEV_LINE_TOO_LONG) {
            cli_error("%s: %s", name, rc == CEV_LINE_IO ? "read error" : "out of memory");
            status = CLI_CANNOT_START;
            break;
        }
        if (rc == CEV_LINE_OK && cev_session_line_is_blank(line, len))
            continue;
        cev_job *job = cev_par_next(par);
        if (job == NULL) /* a commit stopped the run; it said why */
            break;
        job->lineno = lines.lineno;
        job->tag = tag;
        job->allow_draft = allow_draft;
        if (rc == CEV_LINE_TOO_LONG) {
            job->too_long = len;
        } else if (cev_buf_append(&job->input, line, len) != CEV_OK) {
            /* the lines before are decided and logged; this one is not
             * logged as over the limit, which would lose its input */
            cli_error("%s:%ld: out of memory", name, lines.lineno);
            status = CLI_CANNOT_START;
            break;
        }
        cev_par_submit(par, job);
    }
    cev_lines_close(&lines);
    return status;
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
    int quiet = 0, allow_draft = 0, c;
    unsigned threads = cev_par_online_cpus();
    cli_default_rules(rules, sizeof rules);
    cli_default_plugins(plugins, sizeof plugins);
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:p:a:j:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': snprintf(rules, sizeof rules, "%s", optarg); break;
        case 'a': audit_dir = optarg; break;
        case 'p': snprintf(plugins, sizeof plugins, "%s", optarg); break;
        case 'j':
            if (cli_parse_jobs(optarg, &threads) != 0)
                return CLI_CANNOT_START;
            break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case OPT_ALLOW_DRAFT: allow_draft = 1; break;
        case 'h': help(stdout); return CLI_OK;
        default: help(stderr); return CLI_CANNOT_START;
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
    cev_engine eng;
    cev_error err;
    int eng_open = 0;
    eval_run run;
    memset(&run, 0, sizeof run);
    cev_buf_init(&run.out);
    cev_session_init(&run.session);
    run.names = labels;
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
        cev_audit_extent x; /* only to say why the run would seem to hang */
        if (cev_audit_measure(audit_dir, &x, &err) == CEV_OK && x.appending)
            fprintf(stderr, "certeval: audit store %s: another run is appending; waiting for it "
                            "to finish\n",
                    audit_dir);
        if (cev_audit_open(&audit, audit_dir, &err) != CEV_OK) {
            cli_error("audit store %s: %s", audit_dir, err.message);
            status = CLI_CANNOT_START;
        } else {
            run.audit = &audit;
            char log_name[PATH_MAX + 16];
            snprintf(log_name, sizeof log_name, "%s/log.jsonl", audit_dir);
            cli_file_id log_id;
            cli_file_id_fd(&log_id, log_name, audit.log_fd);
            if (cli_clobbers(inputs, n, &out_id, &log_id)) {
                status = CLI_CANNOT_START;
            } else if (cev_audit_catalog(&audit, &eng.cat, allow_draft, &err) != CEV_OK) {
                cli_error("audit store %s: %s", audit_dir, err.message);
                status = CLI_CANNOT_START;
            }
        }
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
    cli_progress_init(&run.progress, quiet, "records", "errors");
    run.dest_tty = run.dest && isatty(fileno(run.dest));
    cev_par *par = NULL;
    if (status == CLI_OK && (cev_par_open(&par, threads, 8 * (size_t)threads + 8, commit, &run,
                                          &err) != CEV_OK ||
                             cev_par_engine(par, &eng) != 0)) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    /* an input that fails midway stops the reading; what was decided before
     * is still written and logged, and the run then exits 2 */
    int input_status = CLI_OK;
    for (size_t i = 0; i < n && status == CLI_OK && input_status == CLI_OK; i++) {
        FILE *in = cli_open_input(&inputs[i]);
        if (in == NULL) {
            input_status = CLI_CANNOT_START;
            break;
        }
        input_status = read_stream(par, in, labels[i], (long)i, allow_draft);
        if (in != stdin)
            fclose(in);
    }
    if (par) {
        int rc = cev_par_finish(par);
        if (rc < 0) /* a worker thread could not run (a commit said its own) */
            cli_error("%s", cev_strerror(rc));
        if (status == CLI_OK && rc != 0)
            status = rc < 0 ? CLI_CANNOT_START : rc;
        cev_par_close(par);
    }
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
    cli_progress_end(&run.progress, run.records, run.errors);
    if (run.undecided) /* among the error lines, the ones to decide again as they are */
        fprintf(stderr,
                "certeval: %ld line%s could not be decided because the machine failed (out of "
                "memory): decide %s again%s\n",
                run.undecided, run.undecided > 1 ? "s" : "", run.undecided > 1 ? "them" : "it",
                run.unread ? " with the whole file (a candidate id that could not be read was "
                             "not checked against the lines after it)"
                           : "");
    if (status == CLI_OK)
        status = input_status;
    for (size_t i = 0; i < n; i++) /* the inputs never reached */
        if (inputs[i].held && inputs[i].held != stdin)
            fclose(inputs[i].held);
    free(inputs);
    free(labels);
    cev_session_close(&run.session);
    cev_buf_close(&run.out);
    if (eng_open)
        cev_engine_close(&eng);
    if (status == CLI_OK && run.errors > 0)
        status = CLI_PROBLEMS;
    return status;
}
