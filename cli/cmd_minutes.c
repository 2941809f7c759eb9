/*
 * cmd_minutes.c - `certeval minutes -a AUDIT SESSION`: the minutes
 * (procès-verbal) of one jury session, in French, read from the audit
 * store: the jury, then for each title of the session its blocks and each
 * candidate's decision on the title and on every block; the jury's
 * sovereign deliberations with their motivation; the records that could not
 * be decided; a tally; and the log entries the minutes rest on, so that
 * `verify` can vouch for them.
 *
 * An error record whose input names no session (invalid JSON, say) belongs
 * to the session of its file in that run, so that every line of the
 * session's files is accounted for.
 *
 * A candidate decided in several runs of the session (a run again after a
 * correction) counts by the entries of the latest of those runs, and the
 * minutes say how many earlier ones were set aside.  Within one run every
 * entry is kept: a line refused because its candidate appeared earlier in
 * the file is listed as not decided, beside that earlier decision.  Entries
 * whose candidate id could not be read are all kept.  Only the store is read: labels come from
 * the packages stored with the decisions, the jury and the motivations from
 * the logged input records.
 *
 * Which entries count is the core's query (audit/query.h): the session's
 * entries, each candidate's by its latest run; this file writes them.
 */
#include "certeval/certeval.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
    fprintf(f, "usage: certeval minutes -a AUDIT SESSION\n\n"
               "Writes in French the minutes (procès-verbal) of jury session SESSION from\n"
               "the audit store: the jury, each candidate's decision on the title and on\n"
               "each block, the jury's sovereign deliberations and their motivation, the\n"
               "records that could not be decided, a tally, and the log entries they rest\n"
               "on.  A candidate decided in several runs counts by the latest run.\n\n"
               "  -a, --audit AUDIT  the audit store\n" CLI_HELP_HELP "\n"
               "Exit status: 0 written, 1 no entry of that session in the store, 2 bad usage\n"
               "or an unreadable store.\n");
}

/* One title (code and version) of the session, and its candidates' rows. */
typedef struct section {
    char *code, *version;
    int draft;    /* a version not confirmed yet, decided with --allow-draft */
    cJSON *title; /* its stored title.json, for the names */
    cev_buf rows;
    size_t candidates;
} section;

typedef struct minutes {
    const char *dir, *session;
    cev_query q; /* the entries to write */
    section *sections;
    size_t nsections;
    cev_buf jury, deliberations, errors;
    cJSON *listed; /* the jury members listed, as "id (profile)" keys */
    size_t members, overrides, nerrors, title_count[3];
    char from[16], until[16]; /* the session's dates (ISO: compared as strings) */
    long first, last;
    char last_hash[65]; /* 64 hex digits */
    int status;
} minutes;

static int oom(minutes *m)
{
    cli_error("out of memory");
    m->status = CLI_CANNOT_START;
    return 1;
}

/* Parses an entry's output record and its input record (NULL when
 * malformed or not kept).  1 when the output is unreadable: said, and the
 * walk stops. */
static int parse_entry(minutes *m, const cev_entry *e, cJSON **out, cJSON **input)
{
    cev_error err;
    *out = *input = NULL;
    int rc = cev_json_parse(e->output, strlen(e->output), 32, out, &err);
    if (rc == CEV_ENOMEM)
        return oom(m);
    if (rc != CEV_OK) {
        cli_error("entry %ld: unreadable output", e->seq);
        m->status = CLI_CANNOT_START;
        return 1;
    }
    if (e->input &&
        cev_json_parse(e->input, e->input_len, 32, input, &err) == CEV_ENOMEM) {
        cJSON_Delete(*out);
        *out = NULL;
        return oom(m);
    }
    return 0;
}

/* The section of a decision's title, made on first sight (its names read
 * from the package stored with the decision). */
static section *section_for(minutes *m, const cJSON *out)
{
    const cJSON *t = cev_json_get(out, "title");
    const char *code = cev_json_str(t, "code"), *version = cev_json_str(t, "version");
    for (size_t i = 0; i < m->nsections; i++)
        if (strcmp(m->sections[i].code, code) == 0 && strcmp(m->sections[i].version, version) == 0)
            return &m->sections[i];
    section *more = realloc(m->sections, (m->nsections + 1) * sizeof *more);
    if (more == NULL)
        return oom(m), NULL;
    m->sections = more;
    section *s = &m->sections[m->nsections];
    memset(s, 0, sizeof *s);
    cev_buf_init(&s->rows);
    if ((s->code = strdup(code)) == NULL || (s->version = strdup(version)) == NULL) {
        free(s->code);
        return oom(m), NULL;
    }
    s->draft = cJSON_IsTrue(cev_json_get(t, "draft"));
    m->nsections++;
    cev_error err;
    int got = cev_audit_stored_title(m->dir, out, &s->title, &err);
    if (got != CEV_OK) {
        cli_error("%s", got == CEV_ENOMEM ? "out of memory" : err.message);
        m->status = got == CEV_PROBLEMS ? CLI_PROBLEMS : CLI_CANNOT_START; /* altered */
        s = NULL;
    }
    if (s)
        cli_defang_tree(s->title);
    return s;
}

/* The name of block `code` in a title.json, or "". */
static const char *block_name(const cJSON *title, const char *code)
{
    const cJSON *blocks = cev_json_get(title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
        if (strcmp(cev_json_str(b, "code"), code) == 0)
            return cev_json_str(b, "name");
    return "";
}

/* Adds the members of a record's jury not listed yet, in order of first
 * appearance. */
static int add_jury(minutes *m, const cJSON *input)
{
    const cJSON *jury = cev_json_get(input, "jury");
    for (const cJSON *j = cJSON_IsArray(jury) ? jury->child : NULL; j; j = j->next) {
        char item[1024];
        snprintf(item, sizeof item, "%s (%s)", cev_json_str(j, "id"),
                 cev_fr_profile(cev_json_str(j, "profile")));
        if (cJSON_GetObjectItemCaseSensitive(m->listed, item))
            continue;
        if (cJSON_AddTrueToObject(m->listed, item) == NULL ||
            cev_buf_printf(&m->jury, "%s%s", m->members++ ? ", " : "", item) != CEV_OK)
            return oom(m);
    }
    return 0;
}

/* One decided candidate: a row in its title's section, its deliberations. */
static int write_decision(minutes *m, const cJSON *out, const cJSON *input)
{
    section *s = section_for(m, out);
    if (s == NULL)
        return 1;
    const char *candidate = cev_json_str(out, "candidate");
    const char *decision = cev_json_str(out, "decision");
    static const char *const titles[] = {"awarded", "partial", "not_awarded"};
    for (size_t i = 0; i < 3; i++)
        m->title_count[i] += strcmp(decision, titles[i]) == 0;
    const char *date = cev_json_str(cev_json_get(out, "session"), "date");
    if (m->from[0] == '\0' || strcmp(date, m->from) < 0)
        snprintf(m->from, sizeof m->from, "%s", date);
    if (strcmp(date, m->until) > 0)
        snprintf(m->until, sizeof m->until, "%s", date);
    s->candidates++;
    int rc = cev_buf_printf(&s->rows, "  %s : %s\n", candidate, cev_fr_title_lower(decision));
    const cJSON *why = cev_json_get(out, "reasons"); /* what the blocks alone do not show */
    for (const cJSON *r = cJSON_IsArray(why) ? why->child : NULL; r && rc == CEV_OK; r = r->next)
        if (cJSON_IsString(r))
            rc = cev_buf_printf(&s->rows, "      motif : %s\n", r->valuestring);
    const cJSON *blocks = cev_json_get(out, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b && rc == CEV_OK;
         b = b->next) {
        const char *code = cev_json_str(b, "code"), *source = cev_json_str(b, "source");
        int overridden = cJSON_IsTrue(cev_json_get(b, "overridden"));
        rc = cev_buf_printf(&s->rows, "      %s : %s%s\n", code,
                            cev_fr_block(cev_json_str(b, "decision")),
                            overridden                                ? " (délibération du jury)"
                            : strcmp(source, "capitalised") == 0      ? " (bloc capitalisé)"
                            : strcmp(source, "equivalence") == 0      ? " (par équivalence)"
                                                                      : "");
        if (rc == CEV_OK && overridden) {
            const cJSON *d = cev_json_get(cev_json_get(input, "deliberation"), code);
            m->overrides++;
            rc = cev_buf_printf(&m->deliberations,
                                "  %s, bloc %s « %s » : %s (décision calculée : %s)\n"
                                "      Motivation : « %s »\n",
                                candidate, code, block_name(s->title, code),
                                cev_fr_block(cev_json_str(b, "decision")),
                                cev_fr_block(cev_json_str(b, "proposed")),
                                cev_json_str(d, "motivation"));
        }
    }
    if (rc != CEV_OK)
        return oom(m);
    return add_jury(m, input);
}

/* One record that could not be decided. */
static int write_error(minutes *m, const cev_entry *e, const cJSON *out, const cJSON *input)
{
    const cJSON *error = cev_json_get(out, "error");
    const char *candidate = cev_json_str(out, "candidate");
    char source[512];
    m->nerrors++;
    if (cev_buf_printf(&m->errors, "  %s (%s, ligne %ld) : %s — %s\n",
                       candidate[0] ? candidate : "(identifiant illisible)",
                       cli_defanged(source, sizeof source, e->source), e->line,
                       cev_json_str(error, "code"), cev_json_str(error, "message")) != CEV_OK)
        return oom(m);
    return add_jury(m, input);
}

/* Second pass: the kept entries. */
static int write_entry(const cev_entry *e, void *ctx)
{
    minutes *m = ctx;
    cJSON *out, *input;
    if (parse_entry(m, e, &out, &input))
        return 1;
    cli_defang_tree(out);
    cli_defang_tree(input);
    int stop = cev_json_get(out, "error") ? write_error(m, e, out, input)
                                          : write_decision(m, out, input);
    if (m->first == 0)
        m->first = e->seq;
    m->last = e->seq;
    snprintf(m->last_hash, sizeof m->last_hash, "%s", cev_json_str(e->json, "hash"));
    cJSON_Delete(out);
    cJSON_Delete(input);
    return stop;
}

static void print_minutes(const minutes *m)
{
    char session[512];
    printf("Procès-verbal de la session %s", cli_defanged(session, sizeof session, m->session));
    if (m->from[0] && strcmp(m->from, m->until) == 0)
        printf(" du %s", m->from);
    else if (m->from[0])
        printf(" du %s au %s", m->from, m->until);
    printf("\n\nJury : %s\n", m->members ? m->jury.data : "(aucun membre enregistré)");
    for (size_t i = 0; i < m->nsections; i++) {
        const section *s = &m->sections[i];
        printf("\nTitre %s — %s (version %s%s)\nBlocs :\n", s->code,
               cev_json_str(s->title, "name"), s->version, s->draft ? ", projet non confirmé" : "");
        const cJSON *blocks = cev_json_get(s->title, "blocks");
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
            printf("  %s — %s\n", cev_json_str(b, "code"), cev_json_str(b, "name"));
        printf("Candidats (%zu) :\n%s", s->candidates, s->rows.data ? s->rows.data : "");
    }
    if (m->overrides)
        printf("\nDélibérations souveraines du jury (%zu) :\n%s", m->overrides,
               m->deliberations.data);
    else
        printf("\nAucune délibération souveraine du jury.\n");
    if (m->nerrors)
        printf("\nDossiers non décidés (%zu) :\n%s", m->nerrors, m->errors.data);
    size_t decided = m->title_count[0] + m->title_count[1] + m->title_count[2];
    printf("\nBilan : %zu candidat%s décidé%s : %zu %s, %zu %s, %zu %s ; %zu dossier%s non "
           "décidé%s.\n",
           decided, cev_fr_plural(decided, "", "s"), cev_fr_plural(decided, "", "s"),
           m->title_count[0], cev_fr_plural(m->title_count[0], "titre obtenu", "titres obtenus"),
           m->title_count[1],
           cev_fr_plural(m->title_count[1], "partiellement obtenu", "partiellement obtenus"),
           m->title_count[2], cev_fr_plural(m->title_count[2], "non obtenu", "non obtenus"),
           m->nerrors, cev_fr_plural(m->nerrors, "", "s"), cev_fr_plural(m->nerrors, "", "s"));
    char dir[1024];
    printf("\nÉtabli d'après le journal d'audit %s : %zu entrée%s de la session, n° %ld à %ld ; "
           "la dernière a pour empreinte\n%s.\n",
           cli_defanged(dir, sizeof dir, m->dir), m->q.n, cev_fr_plural(m->q.n, "", "s"), m->first,
           m->last, m->last_hash);
    size_t superseded = m->q.superseded;
    if (superseded)
        printf("%zu entrée%s d'une exécution antérieure, remplacée%s par une exécution plus "
               "récente pour le même candidat, %s écartée%s.\n",
               superseded, cev_fr_plural(superseded, "", "s"), cev_fr_plural(superseded, "", "s"),
               cev_fr_plural(superseded, "a été", "ont été"), cev_fr_plural(superseded, "", "s"));
}

static void minutes_close(minutes *m)
{
    cev_query_close(&m->q);
    for (size_t i = 0; i < m->nsections; i++) {
        free(m->sections[i].code);
        free(m->sections[i].version);
        cJSON_Delete(m->sections[i].title);
        cev_buf_close(&m->sections[i].rows);
    }
    free(m->sections);
    cev_buf_close(&m->jury);
    cev_buf_close(&m->deliberations);
    cev_buf_close(&m->errors);
    cJSON_Delete(m->listed);
}

int cmd_minutes(int argc, char **argv)
{
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:h"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (dir == NULL)
        return cli_usage(argv, "missing -a AUDIT");
    if (optind == argc || argv[optind][0] == '\0')
        return cli_usage(argv, "missing SESSION");
    if (optind + 1 != argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind + 1]);
    minutes m;
    memset(&m, 0, sizeof m);
    m.dir = dir;
    m.session = argv[optind];
    cev_buf_init(&m.jury);
    cev_buf_init(&m.deliberations);
    cev_buf_init(&m.errors);
    if ((m.listed = cJSON_CreateObject()) == NULL) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    cev_error err;
    int rc = cev_query_session(&m.q, dir, m.session, &err);
    if (rc == CEV_PROBLEMS) { /* the chain does not hold: err names the entry */
        cli_error("%s", err.message);
        m.status = CLI_PROBLEMS;
    } else if (rc == CEV_OK && m.q.n == 0) {
        cli_error("no entry of session %s in %s", m.session, dir);
        m.status = CLI_PROBLEMS;
    } else if (rc == CEV_OK) {
        rc = cev_query_each(&m.q, dir, write_entry, &m, &err);
        if (rc == CEV_OK && m.status == CLI_OK)
            print_minutes(&m);
    }
    if (rc < 0) {
        cli_error("%s", err.message);
        m.status = CLI_CANNOT_START;
    }
    minutes_close(&m);
    return m.status;
}
