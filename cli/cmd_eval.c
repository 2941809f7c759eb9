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
#include "cli.h"
#include "lines.h"
#include "pipeline.h"
#include "writer.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FLUSH_AT (1u << 20)

typedef struct seen_id {
    char *id;
    long line;
} seen_id;

typedef struct eval_run {
    cev_worker worker;
    cev_buf out;
    FILE *dest;
    const char *dest_name;
    int progress;
    long records, errors;
    struct timespec start;
} eval_run;

static void help(FILE *f)
{
    fprintf(f,
            "usage: certeval eval [-r DIR] [-p DIR] [-o OUT] [-q] [--allow-draft] [FILE...|-]\n\n"
            "Decides every candidate record of the session files (JSON Lines; stdin when\n"
            "none or '-') and writes one decision or error record per record, in input\n"
            "order, to OUT (stdout by default).\n\n"
            "  -r, --rules DIR     title packages (default: $CERTEVAL_RULES, the installed\n"
            "                      rules, or rules/ of the source tree)\n"
            "  -p, --plugins DIR   plugin folder (default: $CERTEVAL_PLUGINS, the installed\n"
            "                      plugins, or the build tree's)\n"
            "  -o, --output OUT    write the records to OUT instead of stdout\n"
            "  -q, --quiet         no progress on stderr\n"
            "      --allow-draft   decide with draft packages too (decisions are marked)\n"
            "  -h, --help          this help\n\n"
            "Exit status: 0 every record decided, 1 some records gave error records,\n"
            "2 could not start.\n");
}

static int cmp_seen(const void *a, const void *b)
{
    return strcmp(((const seen_id *)a)->id, ((const seen_id *)b)->id);
}

static void seen_free(void **root)
{
    while (*root) {
        seen_id *s = *(seen_id **)*root;
        tdelete(s, root, cmp_seen);
        free(s->id);
        free(s);
    }
}

/* 0 when new (and remembered), else the line it was first seen at; -1 OOM. */
static long seen_check(void **root, const char *id, long line)
{
    seen_id key = {(char *)id, line};
    seen_id **found = tfind(&key, root, cmp_seen);
    if (found)
        return (*found)->line;
    seen_id *s = malloc(sizeof *s);
    if (s == NULL || (s->id = strdup(id)) == NULL) {
        free(s);
        return -1;
    }
    s->line = line;
    if (tsearch(s, root, cmp_seen) == NULL) {
        free(s->id);
        free(s);
        return -1;
    }
    return 0;
}

static int flush(eval_run *run)
{
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

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Counts an error record and says it on stderr. */
static void report(eval_run *run, const char *name, long lineno, const char *cand,
                   const cev_error *err)
{
    run->errors++;
    fprintf(stderr, "certeval: %s:%ld: %s: %s: %s\n", name, lineno, cand ? cand : "-",
            cev_code_name(err->code), err->message);
}

/* Decides one line; CLI_CANNOT_START only when output cannot be produced. */
static int eval_line(eval_run *run, void **seen, const char *name, const char *line, size_t len,
                     long lineno)
{
    if (is_blank(line, len))
        return CLI_OK;
    cev_error err;
    size_t mark = run->out.len;
    int rc = cev_worker_eval(&run->worker, line, len, lineno, &run->out, &err);
    if (rc == CEV_ENOMEM) {
        cli_error("%s:%ld: out of memory", name, lineno);
        return CLI_CANNOT_START;
    }
    const char *cand = run->worker.rec.candidate;
    if (cand) {
        long first = seen_check(seen, cand, lineno);
        if (first < 0) {
            cli_error("out of memory");
            return CLI_CANNOT_START;
        }
        if (first > 0) {
            run->out.len = mark;
            rc = cev_error_set(&err, CEV_ESCHEMA, "candidate",
                               "candidate: \"%s\" already appears at line %ld of this file", cand,
                               first);
            if (cev_write_error(&run->out, cand, lineno, &err) != CEV_OK)
                return CLI_CANNOT_START;
        }
    }
    run->records++;
    if (rc != CEV_OK)
        report(run, name, lineno, cand, &err);
    progress(run, 0);
    return run->out.len >= FLUSH_AT ? flush(run) : CLI_OK;
}

/* A line over the record size limit: an error record, nothing kept. */
static int too_long(eval_run *run, const char *name, long lineno, size_t len)
{
    cev_error err;
    cev_error_set(&err, CEV_EJSON, "", "record of %zu bytes, more than the maximum of %u bytes",
                  len, CEV_MAX_RECORD);
    if (cev_write_error(&run->out, NULL, lineno, &err) != CEV_OK)
        return CLI_CANNOT_START;
    run->records++;
    report(run, name, lineno, NULL, &err);
    return CLI_OK;
}

static int eval_stream(eval_run *run, FILE *in, const char *name)
{
    cev_lines lines;
    const char *line;
    size_t len;
    void *seen = NULL;
    int status = CLI_OK, rc;
    cev_lines_init(&lines, in, CEV_MAX_RECORD);
    while (status == CLI_OK && (rc = cev_lines_next(&lines, &line, &len)) != CEV_LINE_END) {
        if (rc == CEV_LINE_OK)
            status = eval_line(run, &seen, name, line, len, lines.lineno);
        else if (rc == CEV_LINE_TOO_LONG)
            status = too_long(run, name, lines.lineno, len);
        else {
            cli_error("%s: %s", name, rc == CEV_LINE_IO ? "read error" : "out of memory");
            status = CLI_CANNOT_START;
        }
    }
    cev_lines_close(&lines);
    seen_free(&seen);
    return status;
}

int cmd_eval(int argc, char **argv)
{
    enum { OPT_ALLOW_DRAFT = 1000 };
    static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"allow-draft", no_argument, NULL, OPT_ALLOW_DRAFT},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char rules[PATH_MAX], plugins[PATH_MAX];
    const char *output = NULL;
    int quiet = 0, allow_draft = 0, c;
    cli_default_rules(rules, sizeof rules);
    cli_default_plugins(plugins, sizeof plugins);
    optind = 1;
    while ((c = getopt_long(argc, argv, "r:p:o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': snprintf(rules, sizeof rules, "%s", optarg); break;
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
