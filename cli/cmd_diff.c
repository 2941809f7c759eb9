/*
 * cmd_diff.c - `certeval diff -a AUDIT -r DIR [--json]`: prints what the
 * core's diff (audit/diff.h) finds: per candidate, what would change (title
 * and block decisions, before -> after), then the count of each transition.
 *
 * With --json the document is written as the changes come, each change
 * flushed once written: memory does not grow with the number of changes.
 */
#include "certeval/certeval.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct diff_view {
    int json;
    const char *rules, *session;
    int head_written;
    cev_buf jout; /* with --json: the document's text not yet written */
    cev_jw jw;
    int nomem;
    cli_progress progress;
} diff_view;

static void help(FILE *f)
{
    fprintf(f, "usage: certeval diff -a AUDIT -r DIR [--session ID] [-p DIR]... [-j N] [-q]\n"
               "                     [--json]\n\n"
               "Re-decides each candidate's current decision (the entries a later run\n"
               "replaced are set aside) with the title packages of DIR (rules being\n"
               "considered) and reports what would change, per candidate (title and block\n"
               "decisions, before -> after), then the count of each transition per block and\n"
               "for the title.  A title of the store that DIR lacks is named on stderr, and\n"
               "its records are not compared.\n\n"
               "  -a, --audit AUDIT  the audit store\n"
               "  -r, --rules DIR    the title packages to compare with\n"
               "      --session ID   only the candidates of session ID\n" CLI_HELP_PLUGINS
               "  -j, --jobs N       worker threads (default: the online CPUs)\n"
               "  -q, --quiet        no progress on stderr\n"
               "      --json         one JSON document instead of text\n" CLI_HELP_HELP "\n"
               "Exit status: 0 the comparison was made, 1 DIR lacks a title of the store\n"
               "(or the store does not hold), 2 it could not start.\n");
}

/* Writes out the JSON text written so far. */
static void json_flush(diff_view *v)
{
    if (cev_jw_status(&v->jw) != CEV_OK)
        v->nomem = 1;
    else if (v->jout.len)
        fwrite(v->jout.data, 1, v->jout.len, stdout);
    cev_buf_reset(&v->jout);
}

/* With --json: the document's head, up to the list of changes, once the
 * comparison has started. */
static void json_head(diff_view *v)
{
    if (v->head_written)
        return;
    v->head_written = 1;
    cev_jw_object(&v->jw);
    cev_jw_key_lit(&v->jw, "rules");
    cev_jw_string(&v->jw, v->rules);
    cev_jw_key_lit(&v->jw, "session");
    cev_jw_string(&v->jw, v->session);
    cev_jw_key_lit(&v->jw, "changes");
    cev_jw_array(&v->jw);
}

/* The members "what", "before", "after" (NULL: null) of a change. */
static void put_change(cev_jw *w, const char *what, const char *before, const char *after)
{
    cev_jw_key_lit(w, "what");
    cev_jw_string(w, what);
    cev_jw_key_lit(w, "before");
    cev_jw_string(w, before);
    cev_jw_key_lit(w, "after");
    cev_jw_string(w, after);
}

static void changed_json(diff_view *v, const cev_redecided *r, const char *who,
                         const cev_diff_change *ch, size_t n)
{
    cev_jw *w = &v->jw;
    json_head(v);
    cev_jw_object(w);
    cev_jw_key_lit(w, "seq");
    cev_jw_integer(w, r->seq);
    cev_jw_key_lit(w, "candidate");
    cev_jw_string(w, who);
    cev_jw_key_lit(w, "source");
    cev_jw_string(w, r->source);
    cev_jw_key_lit(w, "line");
    cev_jw_integer(w, r->line);
    cev_jw_key_lit(w, "changes");
    cev_jw_array(w);
    for (size_t i = 0; i < n; i++) {
        cev_jw_object(w);
        put_change(w, ch[i].what, ch[i].before, ch[i].after);
        cev_jw_end_object(w);
    }
    cev_jw_end_array(w);
    cev_jw_end_object(w);
    json_flush(v);
}

/* One candidate whose decisions would change. */
static void changed(void *ctx, const cev_redecided *r, const char *candidate,
                    const cev_diff_change *ch, size_t n)
{
    diff_view *v = ctx;
    const char *who = candidate ? candidate : "(no candidate)";
    cli_progress_clear(&v->progress);
    if (v->json) {
        changed_json(v, r, who, ch, n);
        return;
    }
    char who_text[256], where_text[512];
    printf("%s (entry %ld, %s:%ld)", cli_defanged(who_text, sizeof who_text, who), r->seq,
           cli_defanged(where_text, sizeof where_text, r->source), r->line);
    for (size_t i = 0; i < n; i++)
        printf("%s%s %s -> %s", i == 0 ? ": " : "; ", ch[i].what,
               ch[i].before ? ch[i].before : "-", ch[i].after ? ch[i].after : "-");
    printf("\n");
}

static void progress(void *ctx, long entries, long changes)
{
    diff_view *v = ctx;
    cli_progress_step(&v->progress, entries, changes);
}

static void print_summary(diff_view *v, const cev_diff_report *rep, const char *rules)
{
    if (v->json) { /* the counts, known at the end, after the changes */
        cev_jw *w = &v->jw;
        json_head(v);
        cev_jw_end_array(w);
        cev_jw_key_lit(w, "entries");
        cev_jw_integer(w, rep->entries);
        cev_jw_key_lit(w, "changed");
        cev_jw_integer(w, rep->changed);
        cev_jw_key_lit(w, "superseded");
        cev_jw_integer(w, rep->superseded);
        cev_jw_key_lit(w, "missing");
        cev_jw_array(w);
        for (size_t i = 0; i < rep->nmissing; i++) {
            cev_jw_object(w);
            cev_jw_key_lit(w, "title");
            cev_jw_string(w, rep->missing[i].title);
            cev_jw_key_lit(w, "count");
            cev_jw_integer(w, rep->missing[i].count);
            cev_jw_end_object(w);
        }
        cev_jw_end_array(w);
        cev_jw_key_lit(w, "transitions");
        cev_jw_array(w);
        for (size_t i = 0; i < rep->ntrans; i++) {
            const cev_diff_transition *t = &rep->trans[i];
            cev_jw_object(w);
            put_change(w, t->what, t->before, t->after);
            cev_jw_key_lit(w, "count");
            cev_jw_integer(w, t->count);
            cev_jw_end_object(w);
        }
        cev_jw_end_array(w);
        cev_jw_end_object(w);
        if (cev_buf_append(&v->jout, "\n", 1) != CEV_OK)
            v->nomem = 1;
        json_flush(v);
        return;
    }
    printf("diff: %ld %s re-decided with %s, %ld would change", rep->entries,
           cli_plural(rep->entries, "decision", "decisions"), rules, rep->changed);
    if (rep->superseded)
        printf(" (%ld earlier %s set aside: a candidate counts by its current decision)",
               rep->superseded, cli_plural(rep->superseded, "entry", "entries"));
    if (rep->unmatched)
        printf("; %ld not compared (title missing)", rep->unmatched);
    printf("\n");
    for (size_t i = 0; i < rep->ntrans; i++)
        printf("  %s: %s -> %s: %ld\n", rep->trans[i].what, rep->trans[i].before,
               rep->trans[i].after, rep->trans[i].count);
}

int cmd_diff(int argc, char **argv)
{
    enum { OPT_JSON = 1000, OPT_SESSION };
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"session", required_argument, NULL, OPT_SESSION},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"jobs", required_argument, NULL, 'j'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char plugins[PATH_MAX];
    const char *dir = NULL, *rules = NULL;
    int quiet = 0, plugins_given = 0;
    diff_view v;
    memset(&v, 0, sizeof v);
    cli_default_plugins(plugins, sizeof plugins);
    unsigned threads = cev_online_cpus();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:r:p:j:qh"), opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'j':
            if (cli_parse_jobs(optarg, &threads) != 0)
                return CLI_CANNOT_START;
            break;
        case 'a': dir = optarg; break;
        case 'r': rules = optarg; break;
        case 'p':
            if (cli_add_plugins(plugins, sizeof plugins, &plugins_given, optarg) != 0)
                return CLI_CANNOT_START;
            break;
        case OPT_JSON: v.json = 1; break;
        case OPT_SESSION: v.session = optarg; break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (dir == NULL)
        return cli_usage(argv, "missing -a AUDIT");
    if (rules == NULL)
        return cli_usage(argv, "missing -r DIR, the rules to compare with");
    if (optind != argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind]);
    cli_progress_init(&v.progress, quiet, "entries", "would change");
    cev_buf_init(&v.jout);
    cev_jw_init(&v.jw, &v.jout);
    v.rules = rules;
    const cev_diff_hooks hooks = {&v, changed, progress};
    cev_diff_report rep;
    cev_error err;
    int status = CLI_OK;
    int rc = cev_diff(dir, v.session, plugins, rules, threads, &hooks, &rep, &err);
    if (rc != CEV_OK) {
        cli_progress_clear(&v.progress);
        cli_error("%s", err.message);
        status = rc == CEV_PROBLEMS ? CLI_PROBLEMS : CLI_CANNOT_START;
    }
    cli_progress_end(&v.progress, rep.entries + rep.unmatched, rep.changed);
    if (rc == CEV_OK && v.session && rep.entries + rep.unmatched == 0) {
        cli_error("no entry of session %s in %s", v.session, dir);
        status = CLI_PROBLEMS;
    }
    if (status == CLI_OK)
        print_summary(&v, &rep, rules);
    for (size_t i = 0; status == CLI_OK && i < rep.nmissing; i++)
        cli_error("diff: %s has no package of title %s: its %ld %s not compared; give -r "
                  "a rules folder holding every title of the store%s",
                  rules, rep.missing[i].title, rep.missing[i].count,
                  cli_plural(rep.missing[i].count, "decision was", "decisions were"),
                  v.session ? "" : ", or --session ID a session of the titles it holds");
    if (status == CLI_OK && rep.nmissing)
        status = CLI_PROBLEMS;
    if (v.nomem) {
        cli_error("out of memory");
        status = CLI_CANNOT_START;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("stdout: %s", strerror(errno));
        status = CLI_CANNOT_START;
    }
    cev_diff_report_close(&rep);
    cev_buf_close(&v.jout);
    return status;
}
