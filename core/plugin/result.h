/*
 * result.h - assessment results and competency declarations, the host-owned
 * objects behind the opaque cev_result and cev_decl of the plugin ABI.
 *
 * A result is bound to a scope: the competencies its assessment may score
 * (its block's, or the whole title's for a title-level assessment).  The host
 * functions plugins call (host->score(), ...) refuse anything outside the
 * scope, out of [0, 1], or given twice, by setting `fault`; the caller turns
 * a fault into E_PLUGIN.  Results are caller-owned: init once, reset per
 * record (no allocation once warm), close at the end.
 */
#ifndef CEV_RESULT_H
#define CEV_RESULT_H

#include "base/buf.h"
#include "base/error.h"
#include "certeval/plugin.h"

#include <stddef.h>

typedef struct cev_competency {
    char *code;
    char *label;
} cev_competency;

/* A scope: the competencies an assessment may score, in the référentiel's
 * order, and the same sorted by code so that cev_scope_find() is a binary
 * search (a title may list thousands).  The competencies are borrowed; the
 * sorted array is the scope's own: cev_scope_init() / cev_scope_close(). */
typedef struct cev_scope {
    const cev_competency *comps;
    size_t ncomps;
    const cev_competency **by_code; /* [ncomps] */
} cev_scope;

/* CEV_OK, or CEV_ENOMEM (the scope is then closed). */
cev_code cev_scope_init(cev_scope *s, const cev_competency *comps, size_t ncomps);
void cev_scope_close(cev_scope *s);

/* Index of `code` in the scope (its place in comps), or -1. */
long cev_scope_find(const cev_scope *s, const char *code);

struct cev_result {
    const cev_scope *scope; /* borrowed: the arrays below are [scope->ncomps] */
    cev_status status;
    int given; /* evidence was present for this assessment */
    double *score;          /* [ncomps], meaningful where scored[i] */
    unsigned char *scored;  /* [ncomps] */
    unsigned char *elim;    /* [ncomps] */
    cev_buf flags;          /* NUL-separated strings */
    size_t nflags;
    cev_buf assessors;      /* NUL-separated jury member ids */
    size_t nassessors;
    int fault;
    char fault_msg[256];
    /* The session, for host->session_date() and session_deadline() (ABI
     * 1.3): set by the caller after each reset, before score(). */
    int has_session, has_deadline;
    int32_t session_day, deadline_day;
};

/* A plugin's refusal, read by the host after CEV_PLUGIN_EINPUT. */
struct cev_report {
    cev_error e;
};

struct cev_decl {
    const cev_scope *scope;  /* borrowed */
    unsigned char *declared; /* [scope->ncomps], caller-owned */
    int fault;
    char fault_msg[256];
};

cev_code cev_result_init(cev_result *r, const cev_scope *scope);
void cev_result_reset(cev_result *r);
void cev_result_close(cev_result *r);

/* Walks NUL-separated strings: pass NULL first; returns NULL at the end. */
const char *cev_result_next_str(const cev_buf *b, const char *prev);

/* "present", "absent", "excused", "inadmissible". */
const char *cev_result_status_name(cev_status s);


#endif
