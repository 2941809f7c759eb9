#include "redecide.h"

#include <stdlib.h>
#include <string.h>

void cev_resession_init(cev_resession *r)
{
    cev_session_init(&r->session);
    r->run = -1;
    r->source = NULL;
}

void cev_resession_close(cev_resession *r)
{
    cev_session_close(&r->session);
    free(r->source);
    r->source = NULL;
}

cev_session *cev_resession_for(cev_resession *r, const cev_entry *e)
{
    if (r->run == e->run && r->source && strcmp(r->source, e->source) == 0)
        return &r->session;
    cev_resession_close(r);
    r->run = e->run;
    r->source = strdup(e->source); /* NULL only means "compare as new" next time */
    return &r->session;
}

int cev_redecide(cev_worker *w, cev_session *s, const cev_entry *e, cev_buf *out,
                 cev_error *err)
{
    if (e->input == NULL)
        return cev_session_too_long(e->line, e->input_size, out, err);
    w->allow_draft = e->allow_draft;
    size_t mark = out->len;
    int rc = cev_worker_eval(w, e->input, e->input_len, e->line, out, err);
    if (rc == CEV_ENOMEM)
        return rc;
    return cev_session_commit(s, w->rec.candidate, e->line, out, mark, rc, err);
}
