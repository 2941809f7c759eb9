/*
 * result.c - competency scopes and assessment results: what the host
 * services of host.c fill for one assessment, and what the rules read.
 */
#include "plugin/result.h"

#include <stdlib.h>
#include <string.h>

static int by_code(const void *a, const void *b)
{
    return strcmp((*(const cev_competency *const *)a)->code,
                  (*(const cev_competency *const *)b)->code);
}

cev_code cev_scope_init(cev_scope *s, const cev_competency *comps, size_t ncomps)
{
    s->comps = comps;
    s->ncomps = ncomps;
    if ((s->by_code = malloc((ncomps ? ncomps : 1) * sizeof *s->by_code)) == NULL)
        return CEV_ENOMEM;
    for (size_t i = 0; i < ncomps; i++)
        s->by_code[i] = &comps[i];
    qsort(s->by_code, ncomps, sizeof *s->by_code, by_code);
    return CEV_OK;
}

void cev_scope_close(cev_scope *s)
{
    free(s->by_code);
    s->by_code = NULL;
}

long cev_scope_find(const cev_scope *s, const char *code)
{
    if (code == NULL || s->ncomps == 0)
        return -1;
    cev_competency key = {(char *)code, NULL};
    const cev_competency *k = &key;
    const cev_competency **hit = bsearch(&k, s->by_code, s->ncomps, sizeof *s->by_code, by_code);
    return hit ? (long)(*hit - s->comps) : -1;
}

cev_code cev_result_init(cev_result *r, const cev_scope *scope)
{
    memset(r, 0, sizeof *r);
    r->scope = scope;
    size_t n = scope->ncomps ? scope->ncomps : 1;
    r->score = calloc(n, sizeof *r->score);
    r->scored = calloc(n, 1);
    r->elim = calloc(n, 1);
    cev_buf_init(&r->flags);
    cev_buf_init(&r->assessors);
    if (!r->score || !r->scored || !r->elim) {
        cev_result_close(r);
        return CEV_ENOMEM;
    }
    return CEV_OK;
}

void cev_result_reset(cev_result *r)
{
    r->status = CEV_STATUS_PRESENT;
    r->given = 0;
    memset(r->scored, 0, r->scope->ncomps);
    memset(r->elim, 0, r->scope->ncomps);
    cev_buf_reset(&r->flags);
    cev_buf_reset(&r->assessors);
    r->nflags = r->nassessors = 0;
    r->fault = 0;
    r->fault_msg[0] = '\0';
    r->has_session = r->has_deadline = 0;
}

void cev_result_close(cev_result *r)
{
    free(r->score);
    free(r->scored);
    free(r->elim);
    cev_buf_close(&r->flags);
    cev_buf_close(&r->assessors);
    memset(r, 0, sizeof *r);
}

const char *cev_result_next_str(const cev_buf *b, const char *prev)
{
    const char *p = prev ? prev + strlen(prev) + 1 : b->data;
    if (p == NULL || p >= b->data + b->len)
        return NULL;
    return p;
}

const char *cev_result_status_name(cev_status s)
{
    switch (s) {
    case CEV_STATUS_PRESENT: return "present";
    case CEV_STATUS_ABSENT: return "absent";
    case CEV_STATUS_EXCUSED: return "excused";
    case CEV_STATUS_INADMISSIBLE: return "inadmissible";
    }
    return "present";
}
