/*
 * quiz.c - contrôle de connaissances, questionnaire professionnel (QCM),
 * docs/modalities.md.  A key is one string or a set of strings; an answer is
 * correct when it is the same set (order and repetition do not matter, a
 * lone string counting as a set of one).  Correct earns `points`, wrong loses
 * `penalty` x `points`, null or missing earns 0; a competency scores
 * max(0, earned) / total points of its questions.
 */
#include "kit.h"

#include <stdio.h>
#include <string.h>

static const char *const config_keys[] = {"penalty", "questions", NULL};
static const char *const question_keys[] = {"id", "competency", "answer", "points", "label",
                                            NULL};
static const char *const evidence_keys[] = {"status", "answers", NULL};
static const char *const statuses[] = {"present", NULL};

typedef struct question {
    char *id;
    char *competency;
    char **key; /* the set of right strings */
    size_t nkey;
    double points;
} question;

typedef struct quiz_state {
    double penalty;
    question *q;
    size_t n;
} quiz_state;

static void release(const cev_host *h, void *state)
{
    quiz_state *s = state;
    if (s == NULL)
        return;
    for (size_t i = 0; s->q && i < s->n; i++) {
        for (size_t k = 0; s->q[i].key && k < s->q[i].nkey; k++)
            h->free(s->q[i].key[k]);
        h->free(s->q[i].key);
        h->free(s->q[i].id);
        h->free(s->q[i].competency);
    }
    h->free(s->q);
    h->free(s);
}

static int parse_key(const cev_host *h, const cev_value *answer, const char *at, question *q,
                     cev_report *r)
{
    size_t n = h->type(answer) == CEV_ARRAY ? h->count(answer) : 1;
    if (h->type(answer) != CEV_ARRAY && h->type(answer) != CEV_STRING)
        return kit_fail(h, r, at, "answer", "must be a string or an array of strings");
    if (n == 0 || n > KIT_MAX_ITEMS)
        return kit_fail(h, r, at, "answer", "must hold 1 to %d strings", KIT_MAX_ITEMS);
    if ((q->key = h->alloc(n * sizeof *q->key)) == NULL)
        return CEV_PLUGIN_ENOMEM;
    const cev_value *v = h->type(answer) == CEV_ARRAY ? h->first(answer) : answer;
    for (; v && q->nkey < n; v = h->next(v)) {
        const char *s = h->string(v);
        if (s == NULL)
            return kit_fail(h, r, at, "answer", "must hold strings only");
        for (size_t k = 0; k < q->nkey; k++)
            if (strcmp(q->key[k], s) == 0)
                return kit_fail(h, r, at, "answer", "repeats \"%s\"", s);
        if ((q->key[q->nkey] = kit_strdup(h, s)) == NULL)
            return CEV_PLUGIN_ENOMEM;
        q->nkey++;
    }
    return CEV_PLUGIN_OK;
}

static int parse_question(const cev_host *h, const cev_value *c, const char *at,
                          cev_decl *decl, question *q, cev_report *r)
{
    const char *id = NULL, *comp = NULL, *label = NULL;
    int rc;
    q->points = 1;
    if ((rc = kit_only(h, c, at, question_keys, r)) ||
        (rc = kit_string(h, c, at, "id", 1, &id, r)) ||
        (rc = kit_string(h, c, at, "competency", 1, &comp, r)) ||
        (rc = kit_string(h, c, at, "label", 0, &label, r)) ||
        (rc = kit_number(h, c, at, "points", 0, 0, 1e6, &q->points, r)))
        return rc;
    if (!(q->points > 0))
        return kit_fail(h, r, at, "points", "must be greater than 0");
    if (h->get(c, "answer") == NULL)
        return kit_fail(h, r, at, "answer", "is required");
    if (h->declare(decl, comp) != CEV_PLUGIN_OK)
        return kit_fail(h, r, at, "competency",
                        "\"%s\" is not a competency of this assessment's block", comp);
    if ((q->id = kit_strdup(h, id)) == NULL || (q->competency = kit_strdup(h, comp)) == NULL)
        return CEV_PLUGIN_ENOMEM;
    return parse_key(h, h->get(c, "answer"), at, q, r);
}

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **state,
                     cev_report *r)
{
    int rc = kit_only(h, config, "", config_keys, r);
    if (rc != CEV_PLUGIN_OK)
        return rc;
    quiz_state *s = h->alloc(sizeof *s);
    if (s == NULL)
        return CEV_PLUGIN_ENOMEM;
    const cev_value *qs = h->get(config, "questions");
    if ((rc = kit_number(h, config, "", "penalty", 0, 0, 1e6, &s->penalty, r)) == 0 &&
        (h->type(qs) != CEV_ARRAY || h->count(qs) == 0 || h->count(qs) > KIT_MAX_ITEMS))
        rc = h->fail(r, "questions", "must be an array of 1 to %d questions", KIT_MAX_ITEMS);
    if (rc == 0 && (s->q = h->alloc(h->count(qs) * sizeof *s->q)) == NULL)
        rc = CEV_PLUGIN_ENOMEM;
    for (const cev_value *c = rc ? NULL : h->first(qs); c && rc == 0; c = h->next(c)) {
        char at[32];
        snprintf(at, sizeof at, "questions[%zu]", s->n);
        question *q = &s->q[s->n++];
        rc = parse_question(h, c, at, decl, q, r);
        for (size_t j = 0; rc == 0 && j + 1 < s->n; j++)
            if (strcmp(s->q[j].id, q->id) == 0)
                rc = kit_fail(h, r, at, "id", "duplicate question id \"%s\"", q->id);
    }
    if (rc != CEV_PLUGIN_OK) {
        release(h, s);
        return rc;
    }
    *state = s;
    return CEV_PLUGIN_OK;
}

static int in_key(const question *q, const char *s)
{
    for (size_t k = 0; k < q->nkey; k++)
        if (strcmp(q->key[k], s) == 0)
            return 1;
    return 0;
}

/* 1 correct, 0 wrong, 2 unanswered; CEV_PLUGIN_EINPUT when malformed. */
static int judge(const cev_host *h, const question *q, const cev_value *a, cev_report *r)
{
    if (a == NULL || h->type(a) == CEV_NULL)
        return 2;
    if (h->type(a) == CEV_STRING)
        return q->nkey == 1 && strcmp(q->key[0], h->string(a)) == 0;
    if (h->type(a) != CEV_ARRAY)
        return kit_fail(h, r, "answers", q->id, "must be a string, an array of strings or null");
    int all_in = 1;
    for (const cev_value *v = h->first(a); v; v = h->next(v)) {
        if (h->type(v) != CEV_STRING)
            return kit_fail(h, r, "answers", q->id, "must hold strings only");
        all_in &= in_key(q, h->string(v));
    }
    if (!all_in)
        return 0;
    for (size_t k = 0; k < q->nkey; k++) { /* every key string was given */
        int found = 0;
        for (const cev_value *v = h->first(a); v && !found; v = h->next(v))
            found = strcmp(q->key[k], h->string(v)) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

static int score(const cev_host *h, const void *state, const cev_value *evidence,
                 cev_result *res, cev_report *r)
{
    const quiz_state *s = state;
    const char *status;
    int rc;
    if ((rc = kit_only(h, evidence, "", evidence_keys, r)) ||
        (rc = kit_status(h, evidence, statuses, &status, r)))
        return rc;
    const cev_value *answers = h->get(evidence, "answers");
    if (answers == NULL)
        return h->fail(r, "answers", "is required");
    if (h->type(answers) != CEV_OBJECT)
        return h->fail(r, "answers", "must be an object");
    for (const cev_value *m = h->first(answers); m; m = h->next(m)) {
        int known = 0;
        for (size_t i = 0; i < s->n && !known; i++)
            known = strcmp(s->q[i].id, h->key(m)) == 0;
        if (!known)
            return kit_fail(h, r, "answers", h->key(m), "unknown question \"%s\"", h->key(m));
    }
    for (size_t i = 0; i < s->n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(s->q[j].competency, s->q[i].competency) == 0;
        if (seen)
            continue;
        double earned = 0, total = 0;
        for (size_t j = i; j < s->n; j++) {
            const question *q = &s->q[j];
            if (strcmp(q->competency, s->q[i].competency) != 0)
                continue;
            int verdict = judge(h, q, h->get(answers, q->id), r);
            if (verdict < 0)
                return verdict;
            earned += verdict == 1 ? q->points : verdict == 0 ? -s->penalty * q->points : 0;
            total += q->points;
        }
        double sc = earned > 0 ? earned / total : 0;
        if ((rc = h->score(res, s->q[i].competency, sc > 1 ? 1 : sc)))
            return rc;
    }
    return CEV_PLUGIN_OK;
}

static const cev_plugin descriptor = {
    CEV_PLUGIN_HEADER_MINOR(1), /* nothing newer than ABI 1.1 is used */
    .name = "quiz",
    .version = "1.0.0",
    .summary = "contrôle de connaissances (QCM): keys, points, penalty for wrong answers",
    .configure = configure,
    .release = release,
    .score = score,
};

CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
    return host->abi_major == CEV_ABI_MAJOR ? &descriptor : NULL;
}
