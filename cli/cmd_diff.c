/*
 * cmd_diff.c - `certeval diff -a AUDIT -r DIR [--json]`: re-decides every
 * logged record with other rules (a package version being considered) and
 * reports, per candidate, what would change (title and block decisions,
 * before -> after), then the count of each transition for the title, then
 * per block in code order.  An error record counts as the decision
 * "error:<code>".
 *
 * With --json the document is written as the changes come, each change
 * flushed once written: memory does not grow with the number of changes
 * (a tree of them took 2 KB a change, 4 GB for two million).
 */
#include "audit/audit.h"
#include "base/json.h"
#include "base/json_write.h"
#include "cli.h"
#include "decide/parallel.h"
#include "logged.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record's decisions: the title's, and each block's by code (strings of
 * `json`; as many blocks as the record has). */
typedef struct outcome {
    cJSON *json;
    char title[64];
    size_t nblocks;
    const char **code;
    const char **decision;
} outcome;

typedef struct transition {
    char *key; /* "title" or a block code */
    char *before, *after;
    long count;
} transition;

/* The producer (this thread) feeds the logged entries; the committer
 * compares them in log order and owns everything else. */
typedef struct differ {
    int json;
    cev_engine eng;
    cev_par *par;
    cli_sessions feed;
    cli_redecided now; /* committer's */
    long entries, changed;
    transition *trans;
    size_t ntrans;
    cev_buf jout; /* with --json: the document's text not yet written */
    cev_jw jw;
    int nomem;
    cli_progress progress; /* committer's */
} differ;

static void help(FILE *f)
{
    fprintf(f, "usage: certeval diff -a AUDIT -r DIR [-p DIR] [-j N] [-q] [--json]\n\n"
               "Re-decides every logged record with the title packages of DIR (rules being\n"
               "considered) and reports what would change, per candidate (title and block\n"
               "decisions, before -> after), then the count of each transition per block and\n"
               "for the title.\n\n"
               "  -a, --audit AUDIT  the audit store\n"
               "  -r, --rules DIR    the title packages to compare with\n" CLI_HELP_PLUGINS
               "  -j, --jobs N       worker threads (default: the online CPUs)\n"
               "  -q, --quiet        no progress on stderr\n"
               "      --json         one JSON document instead of text\n" CLI_HELP_HELP "\n"
               "Exit status: 0 the comparison was made, 2 it could not start.\n");
}

/* 0, or -1 when out of memory. */
static int outcome_read(outcome *o, const char *record)
{
    memset(o, 0, sizeof *o);
    cev_error err;
    int rc = cev_json_parse(record, strlen(record), 32, &o->json, &err);
    if (rc == CEV_ENOMEM)
        return -1;
    if (rc != CEV_OK) {
        snprintf(o->title, sizeof o->title, "unreadable");
        return 0;
    }
    const cJSON *e = cev_json_get(o->json, "error"), *d = cev_json_get(o->json, "decision");
    if (e) {
        const cJSON *c = cev_json_get(e, "code");
        snprintf(o->title, sizeof o->title, "error:%s", cJSON_IsString(c) ? c->valuestring : "?");
        return 0;
    }
    snprintf(o->title, sizeof o->title, "%s", cJSON_IsString(d) ? d->valuestring : "?");
    const cJSON *blocks = cev_json_get(o->json, "blocks");
    size_t n = cJSON_IsArray(blocks) ? (size_t)cJSON_GetArraySize(blocks) : 0;
    if (n == 0)
        return 0;
    if (!(o->code = malloc(n * sizeof *o->code)) ||
        !(o->decision = malloc(n * sizeof *o->decision)))
        return -1;
    for (const cJSON *b = blocks->child; b; b = b->next) {
        const cJSON *c = cev_json_get(b, "code"), *bd = cev_json_get(b, "decision");
        if (cJSON_IsString(c) && cJSON_IsString(bd)) {
            o->code[o->nblocks] = c->valuestring;
            o->decision[o->nblocks++] = bd->valuestring;
        }
    }
    return 0;
}

static void outcome_free(outcome *o)
{
    cJSON_Delete(o->json);
    free(o->code);
    free(o->decision);
}

static const char *block_of(const outcome *o, const char *code)
{
    for (size_t i = 0; i < o->nblocks; i++)
        if (strcmp(o->code[i], code) == 0)
            return o->decision[i];
    return NULL;
}

static void count(differ *d, const char *key, const char *before, const char *after)
{
    before = before ? before : "-";
    after = after ? after : "-";
    for (size_t i = 0; i < d->ntrans; i++) {
        transition *t = &d->trans[i];
        if (!strcmp(t->key, key) && !strcmp(t->before, before) && !strcmp(t->after, after)) {
            t->count++;
            return;
        }
    }
    transition *grown = realloc(d->trans, (d->ntrans + 1) * sizeof *grown);
    if (grown == NULL) {
        d->nomem = 1;
        return;
    }
    d->trans = grown;
    transition *t = &d->trans[d->ntrans];
    t->key = strdup(key);
    t->before = strdup(before);
    t->after = strdup(after);
    t->count = 1;
    if (!t->key || !t->before || !t->after) {
        free(t->key);
        free(t->before);
        free(t->after);
        d->nomem = 1;
        return;
    }
    d->ntrans++;
}

/* Writes out the JSON text written so far. */
static void json_flush(differ *d)
{
    if (cev_jw_status(&d->jw) != CEV_OK)
        d->nomem = 1;
    else if (d->jout.len)
        fwrite(d->jout.data, 1, d->jout.len, stdout);
    cev_buf_reset(&d->jout);
}

/* One change of a candidate: printed, or written into the JSON document. */
static void change(differ *d, const char *key, const char *before, const char *after,
                   int *first)
{
    count(d, key, before, after);
    if (d->json) {
        cev_jw_object(&d->jw);
        cev_jw_key_lit(&d->jw, "what");
        cev_jw_string(&d->jw, key);
        cev_jw_key_lit(&d->jw, "before");
        cev_jw_string(&d->jw, before); /* NULL: null */
        cev_jw_key_lit(&d->jw, "after");
        cev_jw_string(&d->jw, after);
        cev_jw_end_object(&d->jw);
        return;
    }
    printf("%s%s %s -> %s", *first ? ": " : "; ", key, before ? before : "-",
           after ? after : "-");
    *first = 0;
}

static void compare(differ *d, const cev_job *e, const outcome *was, const outcome *now)
{
    int differs = strcmp(was->title, now->title) != 0;
    for (size_t i = 0; i < was->nblocks && !differs; i++) {
        const char *n = block_of(now, was->code[i]);
        differs = n == NULL || strcmp(n, was->decision[i]) != 0;
    }
    for (size_t i = 0; i < now->nblocks && !differs; i++)
        differs = block_of(was, now->code[i]) == NULL;
    if (!differs)
        return;
    d->changed++;
    cli_progress_clear(&d->progress);
    const cJSON *cand = cev_json_get(was->json, "candidate");
    const char *who = cJSON_IsString(cand) ? cand->valuestring : "(no candidate)";
    int first = 1;
    if (d->json) {
        cev_jw_object(&d->jw);
        cev_jw_key_lit(&d->jw, "seq");
        cev_jw_integer(&d->jw, e->seq);
        cev_jw_key_lit(&d->jw, "candidate");
        cev_jw_string(&d->jw, who);
        cev_jw_key_lit(&d->jw, "source");
        cev_jw_string(&d->jw, e->where.data);
        cev_jw_key_lit(&d->jw, "line");
        cev_jw_integer(&d->jw, e->lineno);
        cev_jw_key_lit(&d->jw, "changes");
        cev_jw_array(&d->jw);
    } else {
        char who_text[256], where_text[512];
        printf("%s (entry %ld, %s:%ld)", cli_defanged(who_text, sizeof who_text, who), e->seq,
               cli_defanged(where_text, sizeof where_text, e->where.data), e->lineno);
    }
    if (strcmp(was->title, now->title) != 0)
        change(d, "title", was->title, now->title, &first);
    for (size_t i = 0; i < was->nblocks; i++) {
        const char *n = block_of(now, was->code[i]);
        if (n == NULL || strcmp(n, was->decision[i]) != 0)
            change(d, was->code[i], was->decision[i], n, &first);
    }
    for (size_t i = 0; i < now->nblocks; i++)
        if (block_of(was, now->code[i]) == NULL)
            change(d, now->code[i], NULL, now->decision[i], &first);
    if (!d->json) {
        printf("\n");
        return;
    }
    cev_jw_end_array(&d->jw);
    cev_jw_end_object(&d->jw);
    json_flush(d);
}

/* Producer: one job per logged entry. */
static int on_entry(const cev_entry *e, void *ctx)
{
    differ *d = ctx;
    return cli_feed_entry(d->par, e, 0, &d->feed);
}

/* Committer: the logged decisions against the new ones, in log order. */
static int commit(void *ctx, cev_job *job)
{
    differ *d = ctx;
    const char *record = cli_redecided_record(&d->now, job);
    if (record == NULL)
        return CLI_CANNOT_START;
    d->entries++;
    outcome was = {0}, now = {0}; /* now is not read when was fails */
    if (outcome_read(&was, job->expected.data) != 0 || outcome_read(&now, record) != 0)
        d->nomem = 1;
    else
        compare(d, job, &was, &now);
    outcome_free(&was);
    outcome_free(&now);
    cli_progress_step(&d->progress, d->entries, d->changed);
    return d->nomem ? CLI_CANNOT_START : 0;
}

/* With --json: the document's head, up to the list of changes. */
static void json_head(differ *d, const char *rules)
{
    cev_jw_object(&d->jw);
    cev_jw_key_lit(&d->jw, "rules");
    cev_jw_string(&d->jw, rules);
    cev_jw_key_lit(&d->jw, "changes");
    cev_jw_array(&d->jw);
    json_flush(d);
}

/* The title's transitions first, then the blocks' by code; each by the
 * decision before, then after (byte order: the same on every machine). */
static int by_what(const void *a, const void *b)
{
    const transition *x = a, *y = b;
    int xt = strcmp(x->key, "title") == 0, yt = strcmp(y->key, "title") == 0;
    int c = xt != yt ? yt - xt : strcmp(x->key, y->key);
    if (c == 0)
        c = strcmp(x->before, y->before);
    return c ? c : strcmp(x->after, y->after);
}

static void print_summary(differ *d, const char *rules)
{
    if (d->ntrans > 1)
        qsort(d->trans, d->ntrans, sizeof *d->trans, by_what);
    if (d->json) { /* the counts, known at the end, after the changes */
        cev_jw_end_array(&d->jw);
        cev_jw_key_lit(&d->jw, "entries");
        cev_jw_integer(&d->jw, d->entries);
        cev_jw_key_lit(&d->jw, "changed");
        cev_jw_integer(&d->jw, d->changed);
        cev_jw_key_lit(&d->jw, "transitions");
        cev_jw_array(&d->jw);
        for (size_t i = 0; i < d->ntrans; i++) {
            cev_jw_object(&d->jw);
            cev_jw_key_lit(&d->jw, "what");
            cev_jw_string(&d->jw, d->trans[i].key);
            cev_jw_key_lit(&d->jw, "before");
            cev_jw_string(&d->jw, d->trans[i].before);
            cev_jw_key_lit(&d->jw, "after");
            cev_jw_string(&d->jw, d->trans[i].after);
            cev_jw_key_lit(&d->jw, "count");
            cev_jw_integer(&d->jw, d->trans[i].count);
            cev_jw_end_object(&d->jw);
        }
        cev_jw_end_array(&d->jw);
        cev_jw_end_object(&d->jw);
        if (cev_buf_append(&d->jout, "\n", 1) != CEV_OK)
            d->nomem = 1;
        json_flush(d);
        return;
    }
    printf("diff: %ld entries re-decided with %s, %ld would change\n", d->entries, rules,
           d->changed);
    for (size_t i = 0; i < d->ntrans; i++)
        printf("  %s: %s -> %s: %ld\n", d->trans[i].key, d->trans[i].before, d->trans[i].after,
               d->trans[i].count);
}

int cmd_diff(int argc, char **argv)
{
    enum { OPT_JSON = 1000 };
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"plugins", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"jobs", required_argument, NULL, 'j'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    char plugins[PATH_MAX];
    const char *dir = NULL, *rules = NULL;
    int quiet = 0;
    differ d;
    memset(&d, 0, sizeof d);
    cli_default_plugins(plugins, sizeof plugins);
    unsigned threads = cev_par_online_cpus();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:r:p:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'j':
            if (cli_parse_jobs(optarg, &threads) != 0)
                return CLI_CANNOT_START;
            break;
        case 'a': dir = optarg; break;
        case 'r': rules = optarg; break;
        case 'p': snprintf(plugins, sizeof plugins, "%s", optarg); break;
        case OPT_JSON: d.json = 1; break;
        case 'h': help(stdout); return CLI_OK;
        default: help(stderr); return CLI_CANNOT_START;
        }
    }
    if (dir == NULL || rules == NULL || optind != argc) {
        help(stderr);
        return CLI_CANNOT_START;
    }
    cev_error err;
    if (cev_engine_open(&d.eng, plugins, rules, 0, &err) != CEV_OK) {
        cli_error("%s", err.message);
        return CLI_CANNOT_START;
    }
    int status = CLI_OK;
    cli_progress_init(&d.progress, quiet, "entries", "would change");
    cli_sessions_init(&d.feed);
    cli_redecided_init(&d.now);
    cev_buf_init(&d.jout);
    cev_jw_init(&d.jw, &d.jout);
    if (status == CLI_OK &&
        (cev_par_open(&d.par, threads, 8 * (size_t)threads + 8, commit, &d, &err) != CEV_OK ||
         cev_par_engine(d.par, &d.eng) != 0)) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    if (status == CLI_OK && d.json)
        json_head(&d, rules);
    if (status == CLI_OK) {
        status = cev_audit_each(dir, on_entry, &d, &err);
        if (status < 0) {
            cli_error("%s", err.message);
            status = CLI_CANNOT_START;
        }
    }
    if (d.par) {
        int rc = cev_par_finish(d.par);
        if (rc < 0) /* a worker thread could not run (a commit said its own) */
            cli_error("%s", cev_strerror(rc));
        if (status == CLI_OK && rc != 0)
            status = rc < 0 ? CLI_CANNOT_START : rc;
        cev_par_close(d.par);
    }
    cli_progress_end(&d.progress, d.entries, d.changed);
    if (status == CLI_OK)
        print_summary(&d, rules);
    if (d.nomem) {
        cli_error("out of memory");
        status = CLI_CANNOT_START;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("stdout: %s", strerror(errno));
        status = CLI_CANNOT_START;
    }
    for (size_t i = 0; i < d.ntrans; i++) {
        free(d.trans[i].key);
        free(d.trans[i].before);
        free(d.trans[i].after);
    }
    free(d.trans);
    cev_buf_close(&d.jout);
    cli_sessions_close(&d.feed);
    cli_redecided_close(&d.now);
    cev_engine_close(&d.eng);
    return status;
}
