/*
 * eval.c - the producer reads the lines (this thread); the committer takes
 * the records back in input order and owns everything below `committer`.
 */
#include "certeval/certeval.h"

#include "audit/audit.h"
#include "base/lines.h"
#include "decide/parallel.h"
#include "decide/pipeline.h"
#include "decide/session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (1u << 20) /* bytes of records held before a group commit */

struct cev_eval {
    cev_par *par;
    int engine;
    int allow_draft;
    const char *const *sources;
    size_t nsources;
    const cev_eval_hooks *hooks;
    int dropped; /* the producer dropped a job (out of memory): no more lines */
    /* committer */
    cev_audit *audit; /* NULL without a store */
    FILE *dest;
    const char *dest_name;
    cev_buf out; /* records not yet written */
    cev_session session;
    long session_tag;
    cev_eval_report rep;
    long hinted_tag; /* the file the JSON Lines hint was given for, or -1 */
    int failed;
    cev_error failure;
};

static const cev_eval_hooks no_hooks;

/* Group commit: the audit entries of the records in `out` reach the disk
 * before the records themselves are written. */
static int flush(cev_eval *ev)
{
    if (ev->audit && cev_audit_sync(ev->audit, &ev->failure) != CEV_OK)
        return CEV_EIO;
    if (ev->out.len == 0)
        return CEV_OK;
    if (ev->hooks->output)
        ev->hooks->output(ev->hooks->ctx);
    if (fwrite(ev->out.data, 1, ev->out.len, ev->dest) != ev->out.len)
        return cev_error_set(&ev->failure, CEV_EIO, "", "%s: %s", ev->dest_name,
                             strerror(errno));
    cev_buf_reset(&ev->out);
    return CEV_OK;
}

static int stop(cev_eval *ev, int code)
{
    ev->failed = 1;
    return code;
}

/* Whether a line is an opening brace alone, the first line of a record
 * pretty-printed over several lines. */
static int lone_brace(const cev_buf *input)
{
    size_t i = 0, n = input->len;
    while (i < n && (input->data[i] == ' ' || input->data[i] == '\t'))
        i++;
    if (i == n || input->data[i] != '{')
        return 0;
    for (i++; i < n; i++)
        if (input->data[i] != ' ' && input->data[i] != '\t' && input->data[i] != '\r')
            return 0;
    return 1;
}

/* Once per file, at its first E_JSON line that opens a pretty-printed
 * record: why every line of it is refused. */
static void hint_json_lines(cev_eval *ev, const cev_job *job, const char *source, int rc)
{
    const cev_eval_hooks *h = ev->hooks;
    if (rc != CEV_EJSON || h->hint == NULL || job->tag == ev->hinted_tag || job->too_long ||
        !lone_brace(&job->input))
        return;
    ev->hinted_tag = job->tag;
    h->hint(h->ctx, source, job->lineno,
            "this line is a '{' alone: a session file holds one record per line (JSON "
            "Lines), so a record written over several lines (pretty-printed) gives an "
            "E_JSON error record for each of its lines; write each record on one line "
            "(for example: jq -c . FILE)");
}

/* Committer: the file's session, the log, the output, in input order. */
static int commit(void *ctx, cev_job *job)
{
    cev_eval *ev = ctx;
    const cev_eval_hooks *h = ev->hooks;
    const char *source = ev->sources[job->tag];
    size_t mark = ev->out.len;
    int rc = cev_job_commit(job, &ev->session, &ev->session_tag, source, &ev->out);
    if (rc == CEV_ENOMEM || rc == CEV_EIO) {
        cev_error_set(&ev->failure, rc, "", "%s:%ld: %s", source, job->lineno,
                      job->err.message);
        return stop(ev, rc);
    }
    ev->rep.records++;
    int undecided = job->undecided && rc == CEV_ERULE; /* (not a repeated id) */
    if (undecided) {
        ev->rep.undecided++;
        ev->rep.unread += !job->has_candidate;
    }
    if (rc != CEV_OK) {
        ev->rep.errors++;
        if (h->error)
            h->error(h->ctx, source, job->lineno, job->has_candidate ? job->candidate.data : NULL,
                     &job->err);
        hint_json_lines(ev, job, source, rc);
    }
    if (ev->audit &&
        cev_audit_add(ev->audit, source, job->lineno, job->too_long ? NULL : job->input.data,
                      job->input.len, job->too_long, ev->out.data + mark,
                      ev->out.len - mark - 1, undecided, &ev->failure) != CEV_OK)
        return stop(ev, ev->failure.code);
    if (h->progress)
        h->progress(h->ctx, ev->rep.records, ev->rep.errors);
    if (ev->out.len >= FLUSH_AT && (rc = flush(ev)) != CEV_OK)
        return stop(ev, rc);
    return CEV_OK;
}

cev_code cev_eval_open(cev_eval **out, const cev_engine *eng, cev_audit *audit, FILE *dest,
                  const char *dest_name, const char *const *sources, size_t nsources,
                  unsigned threads, int allow_draft, const cev_eval_hooks *hooks, cev_error *err)
{
    *out = NULL;
    cev_eval *ev = calloc(1, sizeof *ev);
    if (ev == NULL)
        return cev_error_nomem(err);
    ev->allow_draft = allow_draft;
    ev->sources = sources;
    ev->nsources = nsources;
    ev->hooks = hooks ? hooks : &no_hooks;
    ev->hinted_tag = -1;
    ev->audit = audit;
    ev->dest = dest;
    ev->dest_name = dest_name;
    cev_buf_init(&ev->out);
    cev_session_init(&ev->session);
    int rc = cev_par_open(&ev->par, threads, 8 * (size_t)threads + 8, commit, ev, err);
    if (rc == CEV_OK && (ev->engine = cev_par_engine(ev->par, eng)) < 0)
        rc = cev_error_nomem(err);
    if (rc != CEV_OK) {
        cev_eval_close(ev);
        return rc;
    }
    *out = ev;
    return CEV_OK;
}

cev_code cev_eval_stream(cev_eval *ev, size_t index, FILE *in, cev_error *err)
{
    const char *name = ev->sources[index];
    cev_lines lines;
    const char *line;
    size_t len;
    int status = CEV_OK, rc;
    if (ev->dropped) /* the ring's next job is the one dropped */
        return cev_error_set(err, CEV_EUSAGE, "", "%s: the run took no more lines after "
                             "running out of memory", name);
    cev_lines_init(&lines, in, CEV_MAX_RECORD);
    while (status == CEV_OK && (rc = cev_lines_next(&lines, &line, &len)) != CEV_END) {
        if (rc == CEV_EIO || rc == CEV_ENOMEM) {
            status = cev_error_set(err, rc == CEV_EIO ? CEV_EIO : CEV_ENOMEM, "", "%s: %s",
                                   name, rc == CEV_EIO ? "read error" : "out of memory");
            break;
        }
        if (rc == CEV_OK && cev_session_line_is_blank(line, len))
            continue;
        cev_job *job = cev_par_next(ev->par);
        if (job == NULL) { /* a commit stopped the run: finish says why */
            status = CEV_STOPPED;
            break;
        }
        job->lineno = lines.lineno;
        job->tag = (long)index;
        job->engine = ev->engine;
        job->allow_draft = ev->allow_draft;
        if (rc == CEV_TOO_LONG) {
            job->too_long = len;
        } else if (cev_buf_append(&job->input, line, len) != CEV_OK) {
            /* the lines before are decided and logged; this one is not
             * logged as over the limit, which would lose its input */
            status = cev_error_set(err, CEV_ENOMEM, "", "%s:%ld: out of memory", name,
                                   lines.lineno);
            ev->dropped = 1;
            break;
        }
        cev_par_submit(ev->par, job);
    }
    cev_lines_close(&lines);
    return status;
}

cev_code cev_eval_finish(cev_eval *ev, cev_eval_report *rep, cev_error *err)
{
    int rc = cev_par_finish(ev->par);
    if (!ev->failed && rc < 0) /* a worker could not run */
        cev_error_set(&ev->failure, rc, "", "%s", cev_strerror(rc));
    if (!ev->failed && rc == CEV_OK && (rc = flush(ev)) != CEV_OK)
        ev->failed = 1;
    if (!ev->failed && rc == CEV_OK && fflush(ev->dest) != 0) {
        rc = cev_error_set(&ev->failure, CEV_EIO, "", "%s: %s", ev->dest_name, strerror(errno));
        ev->failed = 1;
    }
    *rep = ev->rep;
    if (ev->failed || rc != CEV_OK) {
        *err = ev->failure;
        return ev->failure.code < 0 ? ev->failure.code : CEV_EIO;
    }
    return CEV_OK;
}

void cev_eval_close(cev_eval *ev)
{
    if (ev == NULL)
        return;
    cev_par_close(ev->par);
    cev_session_close(&ev->session);
    cev_buf_close(&ev->out);
    free(ev);
}
