/*
 * harness.c - the plugin test harness (certeval/harness.h): one plugin, one
 * assessment, driven through the engine's registry, host services and
 * scoring step (plugin/registry.c, plugin/host.c, decide/score.c), so that
 * a plugin's tests meet the code `eval` runs.  Built twice: into the
 * in-tree test support (with the engine, sanitizers and coverage), and as
 * the installed libcertevalharness (with the few engine files it needs).
 */
#include "certeval/harness.h"

#include "base/date.h"
#include "base/error.h"
#include "base/json.h"
#include "decide/score.h"
#include "plugin/host.h"
#include "plugin/registry.h"
#include "plugin/result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert((int)PH_EJSON == (int)CEV_EJSON && (int)PH_EEVIDENCE == (int)CEV_EEVIDENCE &&
                   (int)PH_EPLUGIN == (int)CEV_EPLUGIN && (int)PH_ENOMEM == (int)CEV_ENOMEM,
               "the harness's codes are certeval's");

struct ph_state {
    cev_registry reg;
    int reg_open;
    cev_assessment a;
    char *modality;
    cev_competency comps[PH_MAX_SCOPE];
    size_t ncomps;
    cev_scope scope;
    int scope_open;
    unsigned char declared[PH_MAX_SCOPE];
    cev_result res;
    int res_open;
    cev_error err;
    cJSON *evidence;
    int has_session;          /* ph_session() was called */
    cev_session_view session; /* its deadlines are `calendar` */
    cJSON *calendar;
};

static int open_failed(ph *h, const char *fmt, const char *arg)
{
    cev_error_set(&h->s->err, CEV_EUSAGE, "", fmt, arg);
    fprintf(stderr, "ph_open: %s\n", h->s->err.message);
    return -1;
}

int ph_open(ph *h, const char *plugins, const char *modality, const char *const *scope)
{
    h->s = calloc(1, sizeof *h->s);
    if (h->s == NULL) {
        fprintf(stderr, "ph_open: out of memory\n");
        return -1;
    }
    struct ph_state *s = h->s;
    if (modality == NULL || scope == NULL)
        return open_failed(h, "%s", "no modality or no scope given");
    if (cev_registry_open(&s->reg, plugins ? plugins : "", &s->err) != CEV_OK) {
        fprintf(stderr, "ph_open: %s\n", s->err.message);
        return -1;
    }
    s->reg_open = 1;
    s->a.plugin = cev_registry_find(&s->reg, modality);
    if (s->a.plugin == NULL) {
        const cev_plugin_ref *any = cev_registry_find_any(&s->reg, modality);
        if (any)
            return open_failed(h, "the plugin of this modality was refused: %s", any->refused);
        return open_failed(h, "no plugin provides modality \"%s\" in the plugin path",
                           modality);
    }
    if ((s->modality = strdup(modality)) == NULL)
        return open_failed(h, "%s", "out of memory");
    s->a.id = (char *)"A";
    s->a.modality = s->modality;
    for (; scope[s->ncomps]; s->ncomps++) {
        if (s->ncomps == PH_MAX_SCOPE)
            return open_failed(h, "%s", "a scope of more than PH_MAX_SCOPE competencies");
        s->comps[s->ncomps].code = (char *)scope[s->ncomps];
        s->comps[s->ncomps].label = (char *)scope[s->ncomps];
    }
    if (cev_scope_init(&s->scope, s->comps, s->ncomps) != CEV_OK)
        return open_failed(h, "%s", "out of memory");
    s->scope_open = 1;
    s->a.scope = &s->scope;
    s->a.declared = s->declared;
    if (cev_result_init(&s->res, &s->scope) != CEV_OK)
        return open_failed(h, "%s", "out of memory");
    s->res_open = 1;
    return 0;
}

/* Parses JSON text as certeval does (strict); PH_EJSON or PH_ENOMEM said. */
static int parse(struct ph_state *s, const char *text, cJSON **out)
{
    *out = NULL;
    if (text == NULL)
        return cev_error_set(&s->err, CEV_EJSON, "", "no JSON text given");
    return cev_json_parse(text, strlen(text), 64, out, &s->err);
}

/* Whether ph_open() succeeded on h (else the calls after it refuse). */
static int usable(const ph *h)
{
    return h->s && h->s->res_open;
}

int ph_configure(ph *h, const char *config_json)
{
    if (!usable(h))
        return CEV_PLUGIN_EFAIL;
    struct ph_state *s = h->s;
    cJSON *cfg;
    int rc = parse(s, config_json, &cfg);
    if (rc != CEV_OK)
        return rc;
    if (s->a.state) {
        s->a.plugin->desc->release(cev_host_services(), s->a.state);
        s->a.state = NULL;
    }
    memset(s->declared, 0, sizeof s->declared);
    cev_decl decl = {&s->scope, s->declared, 0, ""};
    cev_report rep;
    cev_error_clear(&rep.e);
    rc = s->a.plugin->desc->configure(cev_host_services(), (const cev_value *)cfg, &decl,
                                      &s->a.state, &rep);
    s->err = rep.e;
    if (rc == CEV_PLUGIN_OK && decl.fault) { /* as the package loader refuses it */
        cev_error_set(&s->err, CEV_EPACKAGE, "config", "declares \"%s\", not a competency of "
                      "the scope", decl.fault_msg);
        rc = CEV_PLUGIN_EINPUT;
    }
    cJSON_Delete(cfg);
    return rc;
}

int ph_score(ph *h, const char *evidence_json)
{
    if (!usable(h))
        return PH_EPLUGIN;
    struct ph_state *s = h->s;
    cJSON_Delete(s->evidence);
    int rc = parse(s, evidence_json, &s->evidence);
    if (rc != CEV_OK)
        return rc;
    cev_error_clear(&s->err);
    return cev_score_assessment(&s->a, s->evidence, s->has_session ? &s->session : NULL, &s->res,
                                &s->err);
}

int ph_session(ph *h, const char *date, const char *deadlines_json)
{
    if (!usable(h))
        return PH_EPLUGIN;
    struct ph_state *s = h->s;
    int32_t day;
    if (date == NULL || cev_date_parse(date, &day) != CEV_OK)
        return cev_error_set(&s->err, CEV_EJSON, "", "session date \"%s\" is not YYYY-MM-DD",
                             date ? date : "(null)");
    cJSON *calendar = NULL;
    if (deadlines_json) {
        int rc = parse(s, deadlines_json, &calendar);
        if (rc != CEV_OK)
            return rc;
    }
    cJSON_Delete(s->calendar);
    s->calendar = calendar;
    s->session.day = day;
    s->session.deadlines = calendar;
    s->has_session = 1;
    return PH_OK;
}

void ph_close(ph *h)
{
    struct ph_state *s = h->s;
    if (s == NULL)
        return;
    if (s->a.state)
        s->a.plugin->desc->release(cev_host_services(), s->a.state);
    cJSON_Delete(s->evidence);
    cJSON_Delete(s->calendar);
    if (s->res_open)
        cev_result_close(&s->res);
    if (s->scope_open)
        cev_scope_close(&s->scope);
    if (s->reg_open)
        cev_registry_close(&s->reg);
    free(s->modality);
    free(s);
    h->s = NULL;
}

const cev_plugin *ph_plugin(const ph *h)
{
    return h->s && h->s->a.plugin ? h->s->a.plugin->desc : NULL;
}

/* The competency's index in the scope, or -1. */
static long idx(const ph *h, const char *code)
{
    return usable(h) && code ? cev_scope_find(&h->s->scope, code) : -1;
}

int ph_scored(const ph *h, const char *code)
{
    long i = idx(h, code);
    return i >= 0 && h->s->res.scored[i];
}

double ph_value(const ph *h, const char *code)
{
    return ph_scored(h, code) ? h->s->res.score[idx(h, code)] : NAN;
}

int ph_eliminated(const ph *h, const char *code)
{
    long i = idx(h, code);
    return i >= 0 && h->s->res.elim[i];
}

int ph_declared(const ph *h, const char *code)
{
    long i = idx(h, code);
    return i >= 0 && h->s->declared[i];
}

int ph_flagged(const ph *h, const char *flag)
{
    if (!usable(h) || flag == NULL)
        return 0;
    const cev_buf *flags = &h->s->res.flags;
    for (const char *f = cev_result_next_str(flags, NULL); f; f = cev_result_next_str(flags, f))
        if (strcmp(f, flag) == 0)
            return 1;
    return 0;
}

cev_status ph_status(const ph *h)
{
    return usable(h) ? h->s->res.status : CEV_STATUS_PRESENT;
}

size_t ph_nflags(const ph *h)
{
    return usable(h) ? h->s->res.nflags : 0;
}

size_t ph_nassessors(const ph *h)
{
    return usable(h) ? h->s->res.nassessors : 0;
}

const char *ph_error_path(const ph *h)
{
    return h->s ? h->s->err.path : "";
}

const char *ph_error_message(const ph *h)
{
    return h->s ? h->s->err.message : "";
}
