/*
 * logged.c - feeding logged audit entries to the workers (replay, diff).
 */
#include "cli.h"
#include "logged.h"

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

int cli_job_from_entry(cev_job *job, const cev_entry *e, int engine, cli_sessions *s)
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
