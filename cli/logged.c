/*
 * logged.c - feeding logged audit entries to the workers (replay, diff).
 */
#include "cli.h"
#include "logged.h"

#include <ctype.h>
#include <string.h>

void cli_sessions_init(cli_sessions *s)
{
    s->tag = -1;
    s->run = -1;
    cev_buf_init(&s->source);
}

void cli_sessions_close(cli_sessions *s)
{
    cev_buf_close(&s->source);
}

static int job_from_entry(cev_job *job, const cev_entry *e, int engine, cli_sessions *s)
{
    if (e->run != s->run || s->source.data == NULL || strcmp(s->source.data, e->source) != 0) {
        s->tag++; /* a new file: a new session, as eval had */
        s->run = e->run;
        cev_buf_reset(&s->source);
        if (cev_buf_puts(&s->source, e->source) != CEV_OK)
            return CEV_ENOMEM;
    }
    job->tag = s->tag;
    job->engine = engine;
    job->allow_draft = e->allow_draft;
    job->lineno = e->line;
    job->seq = e->seq;
    if (e->input == NULL)
        job->too_long = e->input_size;
    if ((e->input && cev_buf_append(&job->input, e->input, e->input_len) != CEV_OK) ||
        cev_buf_puts(&job->expected, e->output) != CEV_OK ||
        cev_buf_puts(&job->where, e->source) != CEV_OK)
        return CEV_ENOMEM;
    return CEV_OK;
}

int cli_feed_entry(cev_par *par, const cev_entry *e, int engine, cli_sessions *s)
{
    cev_job *job = cev_par_next(par);
    if (job == NULL) /* a commit stopped the run; it said why */
        return CLI_CANNOT_START;
    if (job_from_entry(job, e, engine, s) != CEV_OK) {
        cli_error("out of memory");
        return CLI_CANNOT_START;
    }
    cev_par_submit(par, job);
    return 0;
}

void cli_redecided_init(cli_redecided *r)
{
    cev_session_init(&r->session);
    r->tag = 0;
    cev_buf_init(&r->out);
}

void cli_redecided_close(cli_redecided *r)
{
    cev_session_close(&r->session);
    cev_buf_close(&r->out);
}

char *cli_redecided_record(cli_redecided *r, cev_job *job)
{
    if (job->machine_failed) { /* not a decision to compare: stop */
        cli_error("entry %ld: %s", job->seq, job->err.message);
        return NULL;
    }
    cev_buf_reset(&r->out);
    int rc = cev_job_commit(job, &r->session, &r->tag, &r->out);
    if (rc == CEV_ENOMEM || rc == CEV_EIO) {
        cli_error("%s", job->err.message);
        return NULL;
    }
    r->out.data[--r->out.len] = '\0'; /* the '\n' */
    return r->out.data;
}

const char *cli_log_needle(const char *id)
{
    for (const char *p = id; *p; p++) /* isalnum: the C locale's ASCII letters and digits */
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
            return NULL;
    return *id ? id : NULL;
}
