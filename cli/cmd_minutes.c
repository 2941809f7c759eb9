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
 * Two passes over the log: the first finds the session's entries and keeps
 * each candidate's latest; the second writes those, in log order.  Only
 * the lines that hold the session id or an error record are read, when the
 * id is one cev_audit_needle can look for.
 */
#include "audit/audit.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/idset.h"
#include "base/json.h"
#include "cli.h"
#include "french.h"

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

/* An entry of the session: whose, and where in the log. */
typedef struct pick {
    char *candidate; /* NULL when the record's id could not be read */
    char *file;      /* "run:source", for an entry of no readable session */
    long run, seq;
} pick;

typedef struct pick_list {
    pick *items;
    size_t n, cap;
} pick_list;

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
    pick_list picks;   /* the session's entries */
    pick_list orphans; /* error records of no readable session */
    cev_idset files;   /* the session's files, as "run:source" */
    long *kept; /* the seqs to write, ascending */
    size_t nkept, superseded;
    section *sections;
    size_t nsections;
    cev_buf jury, deliberations, errors;
    cev_idset listed; /* the jury members listed, as "id (profile)" */
    size_t members, overrides, nerrors, title_count[3];
    char from[16], until[16]; /* the session's dates (ISO: compared as strings) */
    long first, last;
    char last_hash[CEV_SHA256_HEX];
    int status;
} minutes;

static int oom(minutes *m)
{
    cli_error("out of memory");
    m->status = CLI_CANNOT_START;
    return 1;
}

/* The session a logged entry belongs to: its decision's, or for an error
 * record, that of its input record when it could be read. */
static const char *session_of(const cJSON *out, const cJSON *input)
{
    const cJSON *s = cev_json_get(out, "session");
    if (s == NULL)
        s = cev_json_get(input, "session");
    return cli_str(s, "id");
}

/* Parses an entry's output record and, unless the record names its session
 * and `always` is 0, its input (NULL when malformed or not kept).  1 when
 * the output is unreadable: said, and the walk stops. */
static int parse_entry(minutes *m, const cev_entry *e, int always, cJSON **out, cJSON **input)
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
    if ((always || cev_json_get(*out, "session") == NULL) && e->input &&
        cev_json_parse(e->input, e->input_len, 32, input, &err) == CEV_ENOMEM) {
        cJSON_Delete(*out);
        *out = NULL;
        return oom(m);
    }
    return 0;
}

/* "run:source": one file of one run. */
static char *file_of(const cev_entry *e)
{
    cev_buf b;
    cev_buf_init(&b);
    if (cev_buf_printf(&b, "%ld:%s", e->run, e->source ? e->source : "") != CEV_OK)
        return NULL;
    return cev_buf_take(&b);
}

/* Appends p to `list`, which then owns its strings; frees them on failure. */
static int push_pick(minutes *m, pick_list *list, pick p)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 64;
        pick *more = realloc(list->items, cap * sizeof *more);
        if (more == NULL) {
            free(p.candidate);
            free(p.file);
            return oom(m);
        }
        list->items = more;
        list->cap = cap;
    }
    list->items[list->n++] = p;
    return 0;
}

/* Adds entry e (output record `out`) to `list`; with_file keeps its file. */
static int add_pick(minutes *m, pick_list *list, const cev_entry *e, const cJSON *out,
                    int with_file)
{
    const cJSON *c = cev_json_get(out, "candidate");
    pick p = {NULL, NULL, e->run, e->seq};
    if ((cJSON_IsString(c) && (p.candidate = strdup(c->valuestring)) == NULL) ||
        (with_file && (p.file = file_of(e)) == NULL)) {
        free(p.candidate);
        return oom(m);
    }
    return push_pick(m, list, p);
}

/* First pass: the session's entries, its files, and the error records of
 * no readable session (which belong to the session when their file does). */
static int collect(const cev_entry *e, void *ctx)
{
    minutes *m = ctx;
    cJSON *out, *input;
    if (parse_entry(m, e, 0, &out, &input))
        return 1;
    const char *session = session_of(out, input);
    int stop = 0;
    if (strcmp(session, m->session) == 0) {
        char *file = file_of(e);
        long first;
        stop = file == NULL || cev_idset_add(&m->files, file, 0, &first) < 0
                   ? oom(m)
                   : add_pick(m, &m->picks, e, out, 0);
        free(file);
    } else if (session[0] == '\0' && cev_json_get(out, "error")) {
        stop = add_pick(m, &m->orphans, e, out, 1);
    }
    cJSON_Delete(out);
    cJSON_Delete(input);
    return stop;
}

/* The orphans from a file of the session join its entries. */
static int adopt_orphans(minutes *m)
{
    for (size_t i = 0; i < m->orphans.n; i++) {
        pick *o = &m->orphans.items[i];
        long first;
        int found = cev_idset_add(&m->files, o->file, 0, &first);
        if (found < 0)
            return oom(m);
        if (found == 0)
            continue; /* (added now: a file of no entry of the session) */
        pick moved = {o->candidate, NULL, o->run, o->seq};
        o->candidate = NULL;
        if (push_pick(m, &m->picks, moved))
            return 1;
    }
    return 0;
}

/* Candidates in id order, each one's entries by run, then in log order;
 * unread ids last. */
static int by_candidate(const void *a, const void *b)
{
    const pick *x = a, *y = b;
    if (x->candidate == NULL || y->candidate == NULL) {
        if (x->candidate != y->candidate)
            return x->candidate == NULL ? 1 : -1;
    } else {
        int c = strcmp(x->candidate, y->candidate);
        if (c)
            return c;
    }
    if (x->run != y->run)
        return (x->run > y->run) - (x->run < y->run);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int by_seq(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Keeps the entries of each candidate's latest run (every entry whose id
 * was unread); counts the others in `superseded`. */
static int select_latest(minutes *m)
{
    pick *picks = m->picks.items;
    size_t n = m->picks.n;
    qsort(picks, n, sizeof *picks, by_candidate);
    if ((m->kept = malloc((n ? n : 1) * sizeof *m->kept)) == NULL)
        return oom(m);
    for (size_t i = 0, end; i < n; i = end) {
        const char *who = picks[i].candidate;
        for (end = i + 1; who && end < n && picks[end].candidate &&
                          strcmp(picks[end].candidate, who) == 0;
             end++)
            ;
        long latest = picks[end - 1].run;
        for (size_t k = i; k < end; k++) {
            if (who == NULL || picks[k].run == latest)
                m->kept[m->nkept++] = picks[k].seq;
            else
                m->superseded++;
        }
    }
    qsort(m->kept, m->nkept, sizeof *m->kept, by_seq);
    return 0;
}

/* The section of a decision's title, made on first sight (its names read
 * from the package stored with the decision). */
static section *section_for(minutes *m, const cJSON *out)
{
    const cJSON *t = cev_json_get(out, "title");
    const char *code = cli_str(t, "code"), *version = cli_str(t, "version");
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
    const cJSON *pkg = cev_json_get(cev_json_get(out, "provenance"), "package");
    char path[4096], *text = NULL;
    size_t len;
    cev_error err;
    snprintf(path, sizeof path, "%s/objects/%s/%s/title.json", m->dir, cli_str(pkg, "sha256"),
             cli_str(pkg, "path"));
    if (cev_file_read(path, &text, &len, &err) != CEV_OK ||
        cev_json_parse(text, len, 64, &s->title, &err) != CEV_OK) {
        cli_error("%s: %s", path, err.message);
        m->status = CLI_CANNOT_START;
        s = NULL;
    }
    free(text);
    if (s)
        cli_defang_tree(s->title);
    return s;
}

/* The name of block `code` in a title.json, or "". */
static const char *block_name(const cJSON *title, const char *code)
{
    const cJSON *blocks = cev_json_get(title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
        if (strcmp(cli_str(b, "code"), code) == 0)
            return cli_str(b, "name");
    return "";
}

/* Adds the members of a record's jury not listed yet, in order of first
 * appearance. */
static int add_jury(minutes *m, const cJSON *input)
{
    const cJSON *jury = cev_json_get(input, "jury");
    for (const cJSON *j = cJSON_IsArray(jury) ? jury->child : NULL; j; j = j->next) {
        char item[1024];
        long first;
        snprintf(item, sizeof item, "%s (%s)", cli_str(j, "id"),
                 cli_fr_profile(cli_str(j, "profile")));
        int listed = cev_idset_add(&m->listed, item, 0, &first);
        if (listed < 0 ||
            (listed == 0 &&
             cev_buf_printf(&m->jury, "%s%s", m->members++ ? ", " : "", item) != CEV_OK))
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
    const char *candidate = cli_str(out, "candidate"), *decision = cli_str(out, "decision");
    static const char *const titles[] = {"awarded", "partial", "not_awarded"};
    for (size_t i = 0; i < 3; i++)
        m->title_count[i] += strcmp(decision, titles[i]) == 0;
    const char *date = cli_str(cev_json_get(out, "session"), "date");
    if (m->from[0] == '\0' || strcmp(date, m->from) < 0)
        snprintf(m->from, sizeof m->from, "%s", date);
    if (strcmp(date, m->until) > 0)
        snprintf(m->until, sizeof m->until, "%s", date);
    s->candidates++;
    int rc = cev_buf_printf(&s->rows, "  %s : %s\n", candidate, cli_fr_title(decision));
    const cJSON *blocks = cev_json_get(out, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b && rc == CEV_OK;
         b = b->next) {
        const char *code = cli_str(b, "code"), *source = cli_str(b, "source");
        int overridden = cJSON_IsTrue(cev_json_get(b, "overridden"));
        rc = cev_buf_printf(&s->rows, "      %s : %s%s\n", code,
                            cli_fr_block_short(cli_str(b, "decision")),
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
                                cli_fr_block_short(cli_str(b, "decision")),
                                cli_fr_block_short(cli_str(b, "proposed")),
                                cli_str(d, "motivation"));
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
    const char *candidate = cli_str(out, "candidate");
    char source[512];
    m->nerrors++;
    if (cev_buf_printf(&m->errors, "  %s (%s, ligne %ld) : %s — %s\n",
                       candidate[0] ? candidate : "(identifiant illisible)",
                       cli_defanged(source, sizeof source, e->source), e->line,
                       cli_str(error, "code"), cli_str(error, "message")) != CEV_OK)
        return oom(m);
    return add_jury(m, input);
}

/* Second pass: the kept entries. */
static int write_entry(const cev_entry *e, void *ctx)
{
    minutes *m = ctx;
    if (bsearch(&e->seq, m->kept, m->nkept, sizeof *m->kept, by_seq) == NULL)
        return 0;
    cJSON *out, *input;
    if (parse_entry(m, e, 1, &out, &input))
        return 1;
    cli_defang_tree(out);
    cli_defang_tree(input);
    int stop = cev_json_get(out, "error") ? write_error(m, e, out, input)
                                          : write_decision(m, out, input);
    if (m->first == 0)
        m->first = e->seq;
    m->last = e->seq;
    snprintf(m->last_hash, sizeof m->last_hash, "%s", cli_str(e->json, "hash"));
    cJSON_Delete(out);
    cJSON_Delete(input);
    return stop;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n > 1 ? many : one;
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
        printf("\nTitre %s — %s (version %s%s)\nBlocs :\n", s->code, cli_str(s->title, "name"),
               s->version, s->draft ? ", projet non confirmé" : "");
        const cJSON *blocks = cev_json_get(s->title, "blocks");
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
            printf("  %s — %s\n", cli_str(b, "code"), cli_str(b, "name"));
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
           decided, plural(decided, "", "s"), plural(decided, "", "s"), m->title_count[0],
           plural(m->title_count[0], "titre obtenu", "titres obtenus"), m->title_count[1],
           plural(m->title_count[1], "partiellement obtenu", "partiellement obtenus"),
           m->title_count[2], plural(m->title_count[2], "non obtenu", "non obtenus"), m->nerrors,
           plural(m->nerrors, "", "s"), plural(m->nerrors, "", "s"));
    char dir[1024];
    printf("\nÉtabli d'après le journal d'audit %s : %zu entrée%s de la session, n° %ld à %ld ; "
           "la dernière a pour empreinte\n%s.\n",
           cli_defanged(dir, sizeof dir, m->dir), m->nkept, plural(m->nkept, "", "s"), m->first,
           m->last, m->last_hash);
    if (m->superseded)
        printf("%zu entrée%s d'une exécution antérieure, remplacée%s par une exécution plus "
               "récente pour le même candidat, %s écartée%s.\n",
               m->superseded, plural(m->superseded, "", "s"), plural(m->superseded, "", "s"),
               plural(m->superseded, "a été", "ont été"),
               plural(m->superseded, "", "s"));
}

static void minutes_close(minutes *m)
{
    pick_list *lists[] = {&m->picks, &m->orphans};
    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; i < lists[l]->n; i++) {
            free(lists[l]->items[i].candidate);
            free(lists[l]->items[i].file);
        }
        free(lists[l]->items);
    }
    cev_idset_close(&m->files);
    free(m->kept);
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
    cev_idset_close(&m->listed);
}

int cmd_minutes(int argc, char **argv)
{
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'h': help(stdout); return CLI_OK;
        default: help(stderr); return CLI_CANNOT_START;
        }
    }
    if (dir == NULL || optind + 1 != argc || argv[optind][0] == '\0') {
        help(stderr);
        return CLI_CANNOT_START;
    }
    minutes m;
    memset(&m, 0, sizeof m);
    m.dir = dir;
    m.session = argv[optind];
    cev_buf_init(&m.jury);
    cev_buf_init(&m.deliberations);
    cev_buf_init(&m.errors);
    cev_idset_init(&m.listed);
    cev_idset_init(&m.files);
    cev_error err;
    /* the lines that name the session, and those of error records (the
     * output record as the log quotes it), which may belong to it by file */
    const char *needle[] = {cev_audit_needle(m.session), "\\\"error\\\":{", NULL};
    const char *const *needles = needle[0] ? needle : NULL;
    int rc = cev_audit_each_with(dir, needles, collect, &m, &err);
    if (rc == 0 && m.status == CLI_OK && m.picks.n == 0) {
        cli_error("no entry of session %s in %s", m.session, dir);
        m.status = CLI_PROBLEMS;
    } else if (rc == 0 && m.status == CLI_OK && adopt_orphans(&m) == 0 &&
               select_latest(&m) == 0) {
        rc = cev_audit_each_with(dir, needles, write_entry, &m, &err);
        if (rc == 0 && m.status == CLI_OK)
            print_minutes(&m);
    }
    if (rc < 0) {
        cli_error("%s", err.message);
        m.status = CLI_CANNOT_START;
    }
    minutes_close(&m);
    return m.status;
}
