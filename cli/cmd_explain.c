/*
 * cmd_explain.c - `certeval explain -a AUDIT CANDIDATE [--seq N]`: a readable
 * account, in French (the users' language), of one logged decision (the
 * candidate's current one, or entry N): each block and competency with its score
 * and the assessments that produced it, what was eliminatory, the flags,
 * capitalised blocks, the jury's overrides and their motivation, and for a
 * block not validated the competencies that remain to be acquired.
 *
 * Labels come from the package stored with the decision (objects/), the
 * motivations from the logged input.
 *
 * Which entry holds the candidate's current decision is the core's query
 * (audit/query.h); the candidate's other entries are listed.
 */
#include "certeval/certeval.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OTHERS_MAX 16 /* other entries listed by number; the rest counted */

typedef struct finder {
    const char *dir;
    cev_query q; /* the candidate's entries */
    long found;  /* the entry to explain */
    int status;
} finder;

#define STOP 100 /* ends the walk over the log once the entry is explained */

static void help(FILE *f)
{
    fprintf(f, "usage: certeval explain -a AUDIT CANDIDATE [--seq N]\n\n"
               "Explains in French one logged decision of CANDIDATE (the current one, or\n"
               "entry N): blocks, competencies and their scores, the assessments behind them,\n"
               "what was eliminatory, flags, capitalised blocks, the jury's overrides and\n"
               "motivation, and what remains to be acquired.  The current decision is the\n"
               "decision record of the latest run that logged CANDIDATE (its latest entry\n"
               "when that run gave only errors); the other entries are listed.\n\n"
               "  -a, --audit AUDIT  the audit store\n"
               "      --seq N        the entry to explain (one of CANDIDATE's)\n" CLI_HELP_HELP "\n"
               "Exit status: 0 explained, 1 no such decision in the store (or entry N is\n"
               "another candidate's, or none), 2 bad usage.\n");
}

/* "0,75" on stdout. */
static void put_score(double v)
{
    char b[32];
    fputs(cev_fr_score(b, v), stdout);
}

static void put_flag(const char *flag)
{
    if (strcmp(flag, "late") == 0)
        printf("rendu après la date limite");
    else if (strcmp(flag, "too_long") == 0)
        printf("dépasse le nombre de pages autorisé");
    else if (strcmp(flag, "missing") == 0)
        printf("non remis");
    else if (strcmp(flag, "duration_out_of_bounds") == 0)
        printf("durée hors des bornes prévues");
    else if (strncmp(flag, "assessor_spread:", 16) == 0)
        printf("écart de notation entre évaluateurs sur le critère %s", flag + 16);
    else if (strncmp(flag, "not_observed:", 13) == 0)
        printf("compétence %s non observée", flag + 13);
    else
        printf("%s", flag);
}

/* The label of a competency or the name of a block, from title.json. */
static const char *label_of(const cJSON *title, const char *code, int block)
{
    const cJSON *blocks = cev_json_get(title, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        if (block && strcmp(cev_json_str(b, "code"), code) == 0)
            return cev_json_str(b, "name");
        const cJSON *comps = cev_json_get(b, "competencies");
        for (const cJSON *c = cJSON_IsArray(comps) ? comps->child : NULL; c && !block; c = c->next)
            if (strcmp(cev_json_str(c, "code"), code) == 0)
                return cev_json_str(c, "label");
    }
    return "";
}

static void explain_competency(const cJSON *title, const cJSON *comp, const cJSON *assessments)
{
    const char *code = cev_json_str(comp, "code");
    const cJSON *score = cev_json_get(comp, "score");
    printf("    - %s « %s » : ", code, label_of(title, code, 0));
    if (cJSON_IsNumber(score))
        put_score(score->valuedouble);
    else
        printf("non évaluée");
    printf(" — %s", cJSON_IsTrue(cev_json_get(comp, "acquired")) ? "acquise" : "non acquise");
    const char *sep = "\n      d'après ";
    for (const cJSON *a = cJSON_IsArray(assessments) ? assessments->child : NULL; a; a = a->next) {
        const cJSON *s = cev_json_get(cev_json_get(a, "scores"), code);
        if (cJSON_IsNumber(s)) {
            printf("%s%s : ", sep, cev_json_str(a, "id"));
            put_score(s->valuedouble);
            sep = " ; ";
        }
        const cJSON *elim = cev_json_get(a, "eliminated");
        for (const cJSON *e = cJSON_IsArray(elim) ? elim->child : NULL; e; e = e->next)
            if (cJSON_IsString(e) && strcmp(e->valuestring, code) == 0)
                printf("\n      éliminatoire : un critère éliminatoire de %s est sous la moitié "
                       "du barème",
                       cev_json_str(a, "id"));
    }
    printf("\n");
}

static void explain_block(const cJSON *title, const cJSON *block, const cJSON *input)
{
    const char *code = cev_json_str(block, "code"), *source = cev_json_str(block, "source");
    printf("\nBloc %s — %s : %s\n", code, label_of(title, code, 1),
           cev_fr_block_long(cev_json_str(block, "decision")));
    if (strcmp(source, "evaluated") == 0) {
        printf("  Source : évalué lors de cette session\n");
    } else {
        const cJSON *acq = cev_json_get(input, "acquired_blocks");
        const cJSON *eq = cev_json_get(title, "equivalences");
        printf("  Source : %s", strcmp(source, "capitalised") == 0 ? "bloc capitalisé"
                                                                  : "bloc acquis par équivalence");
        /* the entries that give the block: dated on or before the session,
         * naming it (capitalised) or one of the title's equivalences for it
         * ("code", or {"block", "acquired_before"}) that holds */
        int direct = strcmp(source, "capitalised") == 0;
        const char *session = cev_json_str(cev_json_get(input, "session"), "date");
        for (const cJSON *a = cJSON_IsArray(acq) ? acq->child : NULL; a; a = a->next) {
            const char *held = cev_json_str(a, "block"), *date = cev_json_str(a, "date");
            const cJSON *v = cev_json_get(eq, held);
            const char *to = cJSON_IsString(v) ? v->valuestring : cev_json_str(v, "block");
            const char *before = cev_json_str(v, "acquired_before");
            int counts = direct ? strcmp(held, code) == 0
                                : strcmp(to, code) == 0 && !(before[0] && strcmp(date, before) >= 0);
            if (counts && strcmp(date, session) <= 0)
                printf(" : %s acquis le %s", held, date);
        }
        printf("\n");
    }
    if (cJSON_IsTrue(cev_json_get(block, "overridden"))) {
        const cJSON *d = cev_json_get(cev_json_get(input, "deliberation"), code);
        printf("  Délibération souveraine du jury : %s (décision calculée : %s)\n"
               "  Motivation : « %s »\n",
               cev_fr_block_long(cev_json_str(block, "decision")),
               cev_fr_block_long(cev_json_str(block, "proposed")), cev_json_str(d, "motivation"));
    }
    const cJSON *assessments = cev_json_get(block, "assessments");
    const cJSON *comps = cev_json_get(block, "competencies");
    if (cJSON_IsArray(comps) && comps->child)
        printf("  Compétences :\n");
    for (const cJSON *c = cJSON_IsArray(comps) ? comps->child : NULL; c; c = c->next)
        explain_competency(title, c, assessments);
    if (cJSON_IsArray(assessments) && assessments->child)
        printf("  Épreuves :\n");
    for (const cJSON *a = cJSON_IsArray(assessments) ? assessments->child : NULL; a; a = a->next) {
        printf("    - %s (%s) : %s", cev_json_str(a, "id"),
               cev_fr_modality(cev_json_str(a, "modality")),
               cev_fr_status(cev_json_str(a, "status")));
        const cJSON *flags = cev_json_get(a, "flags");
        for (const cJSON *f = cJSON_IsArray(flags) ? flags->child : NULL; f; f = f->next) {
            printf(f == flags->child ? " ; à signaler : " : ", ");
            put_flag(f->valuestring);
        }
        printf("\n");
    }
    if (strcmp(cev_json_str(block, "decision"), "validated") != 0 &&
        strcmp(source, "evaluated") == 0) {
        const char *sep = "  Reste à acquérir : ";
        for (const cJSON *c = cJSON_IsArray(comps) ? comps->child : NULL; c; c = c->next)
            if (!cJSON_IsTrue(cev_json_get(c, "acquired"))) {
                printf("%s%s « %s »", sep, cev_json_str(c, "code"),
                       label_of(title, cev_json_str(c, "code"), 0));
                sep = "\n                      ";
            }
        if (strcmp(sep, "  Reste à acquérir : ") != 0)
            printf("\n");
    }
    const cJSON *reasons = cev_json_get(block, "reasons");
    for (const cJSON *r = cJSON_IsArray(reasons) ? reasons->child : NULL; r; r = r->next)
        printf("%s%s\n", r == reasons->child ? "  Motifs donnés par les règles : " : "    ",
               r->valuestring);
}

static int explain(const char *dir, const cev_entry *e)
{
    cJSON *out = NULL, *input = NULL, *title = NULL;
    cev_error err;
    int rc = CLI_OK;
    const cJSON *at = cev_json_get(e->json, "at");
    char source[512];
    printf("Entrée n° %ld du journal d'audit %s, enregistrée le %s (%s, ligne %ld)\n", e->seq, dir,
           cJSON_IsString(at) ? at->valuestring : "?",
           cli_defanged(source, sizeof source, e->source), e->line);
    if (cev_json_parse(e->output, strlen(e->output), 32, &out, &err) != CEV_OK) {
        cli_error("entry %ld: %s", e->seq,
                  err.code == CEV_ENOMEM ? "out of memory" : "unreadable output");
        return CLI_CANNOT_START;
    }
    if (e->input && cev_json_parse(e->input, e->input_len, 32, &input, &err) == CEV_ENOMEM) {
        cJSON_Delete(out); /* (a malformed input is explained without it) */
        cli_error("entry %ld: out of memory", e->seq);
        return CLI_CANNOT_START;
    }
    cli_defang_tree(out);
    cli_defang_tree(input);
    const cJSON *error = cev_json_get(out, "error");
    if (error) {
        printf("Candidat : %s\nAucune décision : l'enregistrement a donné l'erreur %s : %s\n",
               cev_json_str(out, "candidate")[0] ? cev_json_str(out, "candidate") : "(illisible)",
               cev_json_str(error, "code"), cev_json_str(error, "message"));
        if (cev_json_str(error, "path")[0])
            printf("Champ en cause : %s\n", cev_json_str(error, "path"));
        cJSON_Delete(out);
        cJSON_Delete(input);
        return CLI_OK;
    }
    int got = cev_audit_stored_title(dir, out, &title, &err);
    if (got != CEV_OK) {
        cli_error("%s", got == CEV_ENOMEM ? "out of memory" : err.message);
        rc = got == CEV_PROBLEMS ? CLI_PROBLEMS : CLI_CANNOT_START; /* altered */
    }
    cli_defang_tree(title);
    if (rc == CLI_OK) {
        const cJSON *t = cev_json_get(out, "title"), *s = cev_json_get(out, "session");
        const cJSON *blocks = cev_json_get(out, "blocks");
        int n = cJSON_GetArraySize(blocks), ok = 0;
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
            ok += strcmp(cev_json_str(b, "decision"), "validated") == 0;
        const char *d = cev_json_str(out, "decision");
        printf("Candidat : %s\nTitre : %s — %s (version %s%s)\nSession : %s du %s\n",
               cev_json_str(out, "candidate"), cev_json_str(t, "code"), cev_json_str(title, "name"),
               cev_json_str(t, "version"),
               cJSON_IsTrue(cev_json_get(t, "draft")) ? ", projet non confirmé" : "",
               cev_json_str(s, "id"), cev_json_str(s, "date"));
        printf("Décision : %s (%d bloc%s validé%s sur %d)\n",
               cev_fr_title_lower(strcmp(d, "awarded") == 0 || strcmp(d, "partial") == 0
                                      ? d
                                      : "not_awarded"),
               ok, ok > 1 ? "s" : "", ok > 1 ? "s" : "", n);
        /* the title's own reasons: what the blocks alone do not show (a
         * session titre's missing entretien final, a block that counts for
         * nothing) */
        const cJSON *why = cev_json_get(out, "reasons");
        for (const cJSON *r = cJSON_IsArray(why) ? why->child : NULL; r; r = r->next)
            if (cJSON_IsString(r))
                printf("%s%s\n", r == why->child ? "Motifs : " : "         ", r->valuestring);
        for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next)
            explain_block(title, b, input);
        const cJSON *ta = cev_json_get(out, "assessments");
        for (const cJSON *a = cJSON_IsArray(ta) ? ta->child : NULL; a; a = a->next)
            printf("%s%s (%s) : %s\n", a == ta->child ? "\nÉpreuves du titre :\n  - " : "  - ",
                   cev_json_str(a, "id"), cev_fr_modality(cev_json_str(a, "modality")),
                   cev_fr_status(cev_json_str(a, "status")));
    }
    cJSON_Delete(title);
    cJSON_Delete(out);
    cJSON_Delete(input);
    return rc;
}

/* "Autres entrées de ce candidat : n° 3, 17." */
static void list_others(const finder *f)
{
    const char *sep = "Autres entrées de ce candidat dans le journal : n° ";
    size_t listed = 0;
    for (size_t i = 0; i < f->q.n && i < OTHERS_MAX; i++) {
        if (f->q.seqs[i] == f->found)
            continue;
        printf("%s%ld", sep, f->q.seqs[i]);
        sep = ", ";
        listed++;
    }
    if (f->q.n > OTHERS_MAX)
        printf(" et %zu autres", f->q.n - 1 - listed);
    if (listed)
        printf(" (certeval explain --seq N)\n");
}

/* Second pass: explains it. */
static int show(const cev_entry *e, void *ctx)
{
    finder *f = ctx;
    if (e->seq != f->found)
        return 0;
    f->status = explain(f->dir, e);
    if (f->status == CLI_OK)
        list_others(f);
    return STOP;
}

/* --seq N names no entry of the candidate: says whose entry N is (or that
 * there is none), and which entries are the candidate's. */
static void wrong_seq(const char *dir, const char *candidate, long seq, const cev_query *q)
{
    char *owner = NULL, theirs[512] = "";
    cev_error err;
    int rc = cev_query_owner(dir, seq, &owner, &err);
    size_t len = 0;
    for (size_t i = 0; i < q->n && i < OTHERS_MAX && len < sizeof theirs - 32; i++)
        len += (size_t)snprintf(theirs + len, sizeof theirs - len, "%s%ld", i ? ", " : "",
                                q->seqs[i]);
    if (q->n > OTHERS_MAX)
        snprintf(theirs + len, sizeof theirs - len, " and %zu more", q->n - OTHERS_MAX);
    char also[600];
    snprintf(also, sizeof also, q->n ? "; %s's entries: %s" : "; %s has no entry in the store%s",
             candidate, theirs);
    if (rc == CEV_END)
        cli_error("no entry %ld in %s%s", seq, dir, also);
    else if (rc != CEV_OK)
        cli_error("%s", err.message);
    else if (owner == NULL)
        cli_error("entry %ld is not %s's: its candidate id could not be read%s", seq, candidate,
                  also);
    else
        cli_error("entry %ld is not %s's but %s's (certeval explain -a %s %s --seq %ld)%s", seq,
                  candidate, owner, dir, owner, seq, also);
    free(owner);
}

int cmd_explain(int argc, char **argv)
{
    enum { OPT_SEQ = 1000 };
    static const struct option opts[] = {{"audit", required_argument, NULL, 'a'},
                                         {"seq", required_argument, NULL, OPT_SEQ},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    long seq = 0; /* the entry asked for (0: the current decision) */
    finder f;
    memset(&f, 0, sizeof f);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_OPTSTRING("a:h"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case OPT_SEQ: {
            char *end;
            seq = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || seq < 1) {
                cli_error("--seq takes an entry number from 1, not '%s'", optarg);
                return CLI_CANNOT_START;
            }
            break;
        }
        case 'h': help(stdout); return CLI_OK;
        default: return cli_bad_option(argv, c);
        }
    }
    if (dir == NULL)
        return cli_usage(argv, "missing -a AUDIT");
    if (optind == argc)
        return cli_usage(argv, "missing CANDIDATE");
    if (optind + 1 != argc)
        return cli_usage(argv, "unexpected argument '%s'", argv[optind + 1]);
    f.dir = dir;
    const char *candidate = argv[optind];
    cev_error err;
    int status = cev_query_candidate(&f.q, dir, candidate, &err);
    if (status == CEV_PROBLEMS) /* the chain does not hold: err names the entry */
        cli_error("%s", err.message);
    if (status == CEV_OK) {
        for (size_t i = 0; i < f.q.n && f.found == 0; i++)
            if (seq == 0 || f.q.seqs[i] == seq)
                f.found = seq ? seq : f.q.current;
        if (f.found == 0) {
            if (seq)
                wrong_seq(dir, candidate, seq, &f.q);
            else
                cli_error("no decision of %s in %s", candidate, dir);
            cev_query_close(&f.q);
            return CLI_PROBLEMS;
        }
        int r = cev_query_each(&f.q, dir, show, &f, &err);
        status = r == STOP ? f.status : r;
    }
    if (status < 0) {
        cli_error("%s", err.message);
        status = CLI_CANNOT_START;
    }
    cev_query_close(&f.q);
    return status;
}
