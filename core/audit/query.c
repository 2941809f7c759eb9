/*
 * query.c - a session's and a candidate's entries.  One pass over the log
 * finds them (reading only the lines that can hold them); the caller's
 * second pass (cev_query_each) reads those.  Before either, the chain and
 * the head are checked (cev_audit_check_chain): every command that shows
 * the store to a person refuses one that does not hold.
 */
#include "certeval/certeval.h"

#include "audit/audit.h"
#include "base/idset.h"
#include "base/json.h"
#include "base/json_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An entry found: whose, and where in the log. */
typedef struct pick {
    char *candidate; /* NULL when the record's id could not be read */
    char *file;      /* "run:source", for an error record of no readable session */
    long run, seq;
    int decision;    /* a decision record (not an error record) */
} pick;

typedef struct pick_list {
    pick *items;
    size_t n, cap;
} pick_list;

typedef struct finder {
    const char *id; /* the session or the candidate */
    pick_list picks;
    pick_list orphans; /* error records of no readable session */
    cev_idset files;   /* the session's files, as "run:source" */
    long current_run;  /* candidate: the run of its current entry */
    int current_decision;
    cev_query *q;
    cev_error *err;
} finder;

static int oom(finder *f)
{
    cev_error_nomem(f->err);
    return 1;
}

static void picks_free(pick_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].candidate);
        free(l->items[i].file);
    }
    free(l->items);
}

/* Appends p to `list`, which then owns its strings; frees them on failure. */
static int push_pick(finder *f, pick_list *list, pick p)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 64;
        pick *more = realloc(list->items, cap * sizeof *more);
        if (more == NULL) {
            free(p.candidate);
            free(p.file);
            return oom(f);
        }
        list->items = more;
        list->cap = cap;
    }
    list->items[list->n++] = p;
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

static int add_pick(finder *f, pick_list *list, const cev_entry *e, const cJSON *out,
                    int with_file)
{
    const cJSON *c = cev_json_get(out, "candidate");
    pick p = {NULL, NULL, e->run, e->seq, cev_json_get(out, "error") == NULL};
    if ((cJSON_IsString(c) && (p.candidate = strdup(c->valuestring)) == NULL) ||
        (with_file && (p.file = file_of(e)) == NULL)) {
        free(p.candidate);
        return oom(f);
    }
    return push_pick(f, list, p);
}

/* The entry's output record, and its input record when `want_input` (NULL
 * when malformed or not kept).  1 (err said) when the output is unreadable
 * or memory ran out. */
static int parse_entry(finder *f, const cev_entry *e, int want_input, cJSON **out,
                       cJSON **input)
{
    cev_error perr;
    *out = *input = NULL;
    int rc = cev_json_parse(e->output, strlen(e->output), 32, out, &perr);
    if (rc == CEV_ENOMEM)
        return oom(f);
    if (rc != CEV_OK) {
        cev_error_set(f->err, CEV_EIO, "", "entry %ld: unreadable output", e->seq);
        return 1;
    }
    if (want_input && e->input &&
        cev_json_parse(e->input, e->input_len, 32, input, &perr) == CEV_ENOMEM) {
        cJSON_Delete(*out);
        *out = NULL;
        return oom(f);
    }
    return 0;
}

/* Session pass: its entries, its files, and the error records of no
 * readable session (which belong to it when their file does). */
static int collect_session(const cev_entry *e, void *ctx)
{
    finder *f = ctx;
    cJSON *out, *input;
    if (parse_entry(f, e, 1, &out, &input))
        return 1;
    const cJSON *s = cev_json_get(out, "session");
    const char *session = cev_json_str(s ? s : cev_json_get(input, "session"), "id");
    int stop = 0;
    if (strcmp(session, f->id) == 0) {
        char *file = file_of(e);
        long first;
        stop = file == NULL || cev_idset_add(&f->files, file, 0, &first) < 0
                   ? oom(f)
                   : add_pick(f, &f->picks, e, out, 0);
        free(file);
    } else if (session[0] == '\0' && cev_json_get(out, "error")) {
        stop = add_pick(f, &f->orphans, e, out, 1);
    }
    cJSON_Delete(out);
    cJSON_Delete(input);
    return stop;
}

/* The orphans from a file of the session join its entries. */
static int adopt_orphans(finder *f)
{
    for (size_t i = 0; i < f->orphans.n; i++) {
        pick *o = &f->orphans.items[i];
        long first;
        /* the session's files were added with line 0; a file first seen
         * here is added with -1, so that its other orphans are not taken
         * for the session's */
        int found = cev_idset_add(&f->files, o->file, -1, &first);
        if (found < 0)
            return oom(f);
        if (found == 0 || first == -1)
            continue; /* a file of no entry of the session */
        pick moved = {o->candidate, NULL, o->run, o->seq, o->decision};
        o->candidate = NULL;
        if (push_pick(f, &f->picks, moved))
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

/* The picks in by_candidate order, and room in q->seqs for every one of
 * them: 0, or 1 out of memory (said). */
static int group_by_candidate(finder *f)
{
    if (f->picks.n > 1)
        qsort(f->picks.items, f->picks.n, sizeof *f->picks.items, by_candidate);
    if ((f->q->seqs = malloc((f->picks.n ? f->picks.n : 1) * sizeof *f->q->seqs)) == NULL)
        return oom(f);
    return 0;
}

/* The end of the group of picks[i]'s candidate (an id that was read). */
static size_t group_end(const pick *picks, size_t n, size_t i)
{
    size_t end = i + 1;
    while (end < n && picks[end].candidate && strcmp(picks[end].candidate, picks[i].candidate) == 0)
        end++;
    return end;
}

/* The entries kept, in log order. */
static void in_log_order(cev_query *q)
{
    if (q->n > 1)
        qsort(q->seqs, q->n, sizeof *q->seqs, by_seq);
}

/* Keeps the entries of each candidate's latest run (every entry whose id
 * was unread); counts the others as superseded. */
static int select_latest(finder *f)
{
    pick *picks = f->picks.items;
    size_t n = f->picks.n;
    cev_query *q = f->q;
    if (group_by_candidate(f))
        return 1;
    for (size_t i = 0, end; i < n; i = end) {
        const char *who = picks[i].candidate;
        end = who ? group_end(picks, n, i) : i + 1;
        long latest = picks[end - 1].run;
        for (size_t k = i; k < end; k++) {
            if (who == NULL || picks[k].run == latest)
                q->seqs[q->n++] = picks[k].seq;
            else
                q->superseded++;
        }
    }
    in_log_order(q);
    return 0;
}

/* Keeps each candidate's current decision: in its latest run, its last
 * decision record, else its last entry (every entry whose id was unread);
 * counts the others as superseded. */
static int select_current(finder *f)
{
    pick *picks = f->picks.items;
    size_t n = f->picks.n;
    cev_query *q = f->q;
    if (group_by_candidate(f))
        return 1;
    for (size_t i = 0, end; i < n; i = end) {
        const char *who = picks[i].candidate;
        if (who == NULL) { /* unread ids sort last: keep them all */
            for (end = i; end < n; end++)
                q->seqs[q->n++] = picks[end].seq;
            break;
        }
        end = group_end(picks, n, i);
        size_t pick_at = end - 1; /* the group is in (run, seq) order */
        for (size_t k = end; k-- > i && picks[k].run == picks[end - 1].run;)
            if (picks[k].decision) {
                pick_at = k;
                break;
            }
        q->seqs[q->n++] = picks[pick_at].seq;
        q->superseded += end - i - 1;
    }
    in_log_order(q);
    return 0;
}

/* `text` as a log line quotes it inside a JSON string (escaped, without the
 * quotes): a needle for the entries whose output holds it. */
static char *quoted(const char *text)
{
    cev_buf b;
    cev_buf_init(&b);
    cev_jw w;
    cev_jw_init(&w, &b);
    cev_jw_string(&w, text);
    if (cev_jw_status(&w) != CEV_OK || b.len < 2) {
        cev_buf_close(&b);
        return NULL;
    }
    b.data[b.len - 1] = '\0';
    memmove(b.data, b.data + 1, b.len - 1);
    return cev_buf_take(&b);
}

/* The needles for `id`'s lines, and with `errors` those of error records. */
static int set_needles(cev_query *q, const char *id, int errors)
{
    const char *plain = cev_audit_needle(id);
    if (plain == NULL) /* an id the log may escape: read every line */
        return CEV_OK;
    if ((q->needles[0] = strdup(plain)) == NULL ||
        (errors && (q->needles[1] = quoted("\"error\":{")) == NULL))
        return CEV_ENOMEM;
    return CEV_OK;
}

static const char *const *needles_of(const cev_query *q)
{
    return q->needles[0] ? (const char *const *)q->needles : NULL;
}

static void start(cev_query *q, finder *f, const char *id, cev_error *err)
{
    memset(q, 0, sizeof *q);
    memset(f, 0, sizeof *f);
    f->id = id;
    f->q = q;
    f->err = err;
    cev_idset_init(&f->files);
}

static int finish(finder *f, int rc)
{
    picks_free(&f->picks);
    picks_free(&f->orphans);
    cev_idset_close(&f->files);
    if (rc > 0) /* a walk stopped by the finder: err says why */
        rc = f->err->code ? f->err->code : CEV_ENOMEM;
    return rc;
}

cev_code cev_query_session(cev_query *q, const char *dir, const char *session, cev_error *err)
{
    finder f;
    start(q, &f, session, err);
    cev_error_clear(err);
    int checked = cev_audit_check_chain(dir, err); /* nothing shown from a broken store */
    if (checked != CEV_OK)
        return finish(&f, checked);
    if (set_needles(q, session, 1) != CEV_OK)
        return finish(&f, oom(&f));
    int rc = cev_audit_each_with(dir, needles_of(q), collect_session, &f, err);
    if (rc == 0 && f.picks.n > 0 && (adopt_orphans(&f) || select_latest(&f)))
        rc = 1;
    return finish(&f, rc);
}

/* The candidate of a record certeval wrote, read from its first member
 * without parsing the record: the writer puts "candidate" first, as null
 * or as an id that passed the identifier rule (letters, digits, '.', '_',
 * '-': nothing JSON escapes).  1 with *id, *len (NULL: null) when the
 * record starts so; 0 otherwise (the caller parses it). */
static int leading_candidate(const char *output, const char **id, size_t *len)
{
    static const char head[] = "{\"candidate\":";
    if (strncmp(output, head, sizeof head - 1) != 0)
        return 0;
    const char *v = output + sizeof head - 1;
    if (strncmp(v, "null,", 5) == 0) {
        *id = NULL;
        *len = 0;
        return 1;
    }
    if (*v++ != '"')
        return 0;
    size_t n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
    if (n == 0 || n > CEV_ID_MAX || v[n] != '"' || v[n + 1] != ',')
        return 0;
    *id = v;
    *len = n;
    return 1;
}

/* Whole-store pass: every entry (a whole-store query reads every line, so
 * the records are not parsed: see leading_candidate). */
static int collect_all(const cev_entry *e, void *ctx)
{
    finder *f = ctx;
    const char *id;
    size_t len;
    if (leading_candidate(e->output, &id, &len)) {
        /* an error record's "error" member, which no string can hold
         * unescaped, comes right after the candidate and the line */
        pick p = {NULL, NULL, e->run, e->seq, strstr(e->output, ",\"error\":{") == NULL};
        if (id && (p.candidate = strndup(id, len)) == NULL)
            return oom(f);
        return push_pick(f, &f->picks, p);
    }
    cJSON *out, *input;
    if (parse_entry(f, e, 0, &out, &input))
        return 1;
    int stop = add_pick(f, &f->picks, e, out, 0);
    cJSON_Delete(out);
    return stop;
}

cev_code cev_query_current(cev_query *q, const char *dir, const char *session, cev_error *err)
{
    finder f;
    start(q, &f, session ? session : "", err);
    cev_error_clear(err);
    int checked = cev_audit_check_chain(dir, err); /* nothing shown from a broken store */
    if (checked != CEV_OK)
        return finish(&f, checked);
    int rc;
    if (session) {
        if (set_needles(q, session, 1) != CEV_OK)
            return finish(&f, oom(&f));
        rc = cev_audit_each_with(dir, needles_of(q), collect_session, &f, err);
        if (rc == 0 && f.picks.n > 0 && adopt_orphans(&f))
            rc = 1;
    } else {
        rc = cev_audit_each(dir, collect_all, &f, err);
    }
    if (rc == 0 && select_current(&f))
        rc = 1;
    return finish(&f, rc);
}

/* Candidate pass: its entries, and the current one. */
static int collect_candidate(const cev_entry *e, void *ctx)
{
    finder *f = ctx;
    cJSON *out, *input;
    if (parse_entry(f, e, 0, &out, &input))
        return 1;
    int stop = 0;
    if (strcmp(cev_json_str(out, "candidate"), f->id) == 0) {
        cev_query *q = f->q;
        int decision = cev_json_get(out, "error") == NULL;
        if (q->current == 0 || e->run != f->current_run || decision || !f->current_decision) {
            q->current = e->seq;
            f->current_run = e->run;
            f->current_decision = decision;
        }
        stop = add_pick(f, &f->picks, e, out, 0);
    }
    cJSON_Delete(out);
    return stop;
}

cev_code cev_query_candidate(cev_query *q, const char *dir, const char *candidate, cev_error *err)
{
    finder f;
    start(q, &f, candidate, err);
    cev_error_clear(err);
    int checked = cev_audit_check_chain(dir, err); /* nothing shown from a broken store */
    if (checked != CEV_OK)
        return finish(&f, checked);
    if (set_needles(q, candidate, 0) != CEV_OK)
        return finish(&f, oom(&f));
    int rc = cev_audit_each_with(dir, needles_of(q), collect_candidate, &f, err);
    if (rc == 0 && (q->seqs = malloc((f.picks.n ? f.picks.n : 1) * sizeof *q->seqs)) == NULL)
        rc = oom(&f);
    for (size_t i = 0; rc == 0 && i < f.picks.n; i++) /* in log order already */
        q->seqs[q->n++] = f.picks.items[i].seq;
    return finish(&f, rc);
}

/* Entry lookup: whose is entry `seq`. */
typedef struct owner {
    long seq;
    int found;
    char *candidate;
    cev_error *err;
} owner;

static int find_owner(const cev_entry *e, void *ctx)
{
    owner *o = ctx;
    if (e->seq != o->seq)
        return e->seq > o->seq; /* past it: it is not in the log */
    o->found = 1;
    cJSON *out = NULL;
    cev_error perr;
    int rc = cev_json_parse(e->output, strlen(e->output), 32, &out, &perr);
    if (rc == CEV_ENOMEM) {
        cev_error_nomem(o->err);
        return -1;
    }
    const cJSON *c = cev_json_get(out, "candidate");
    if (cJSON_IsString(c) && (o->candidate = strdup(c->valuestring)) == NULL) {
        cJSON_Delete(out);
        cev_error_nomem(o->err);
        return -1;
    }
    cJSON_Delete(out);
    return 1;
}

cev_code cev_query_owner(const char *dir, long seq, char **candidate, cev_error *err)
{
    *candidate = NULL;
    cev_error_clear(err);
    owner o = {seq, 0, NULL, err};
    int rc = cev_audit_each(dir, find_owner, &o, err);
    if (rc < 0) {
        free(o.candidate);
        return err->code ? err->code : CEV_ENOMEM;
    }
    if (!o.found)
        return CEV_END;
    *candidate = o.candidate;
    return CEV_OK;
}

typedef struct each {
    const cev_query *q;
    size_t next; /* the next entry found to meet */
    int (*fn)(const cev_entry *e, void *ctx);
    void *ctx;
} each;

static int each_found(const cev_entry *e, void *ctx)
{
    each *x = ctx;
    if (x->next >= x->q->n || e->seq != x->q->seqs[x->next])
        return 0;
    x->next++;
    return x->fn(e, x->ctx);
}

int cev_query_each(const cev_query *q, const char *dir,
                   int (*fn)(const cev_entry *e, void *ctx), void *ctx, cev_error *err)
{
    each x = {q, 0, fn, ctx};
    int rc = cev_audit_each_with(dir, needles_of(q), each_found, &x, err);
    if (rc == 0 && x.next < q->n)
        return cev_error_set(err, CEV_EIO, "", "entry %ld is gone: the log changed while "
                             "it was read", q->seqs[x.next]);
    return rc;
}

void cev_query_close(cev_query *q)
{
    free(q->seqs);
    for (size_t i = 0; i < sizeof q->needles / sizeof *q->needles; i++)
        free(q->needles[i]);
    memset(q, 0, sizeof *q);
}
