#define _XOPEN_SOURCE 700
#include "harness.h"

#include "base/file.h"
#include "base/date.h"
#include "base/json.h"
#include "decide/score.h"
#include "plugin/host.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ph_open(ph *h, const char *modality, const char *const *scope)
{
    memset(h, 0, sizeof *h);
    cev_error err;
    assert_int_equal(cev_registry_open(&h->reg, CEV_TEST_PLUGINS_DIR, &err), CEV_OK);
    h->a.plugin = cev_registry_find(&h->reg, modality);
    assert_non_null(h->a.plugin);
    h->a.id = (char *)"A";
    h->a.modality = (char *)modality;
    size_t n = 0;
    for (; scope[n]; n++) {
        assert_true(n < PH_MAX_SCOPE);
        h->comps[n].code = (char *)scope[n];
        h->comps[n].label = (char *)scope[n];
    }
    assert_int_equal(cev_scope_init(&h->scope, h->comps, n), CEV_OK);
    h->a.scope = &h->scope;
    h->a.declared = h->declared;
    assert_int_equal(cev_result_init(&h->res, &h->scope), CEV_OK);
}

int ph_configure(ph *h, const char *config_json)
{
    cJSON *cfg = NULL;
    assert_int_equal(cev_json_parse(config_json, strlen(config_json), 64, &cfg, &h->err), CEV_OK);
    if (h->a.state) {
        h->a.plugin->desc->release(cev_host_services(), h->a.state);
        h->a.state = NULL;
    }
    memset(h->declared, 0, sizeof h->declared);
    cev_decl decl = {&h->scope, h->declared, 0, ""};
    cev_report rep;
    cev_error_clear(&rep.e);
    int rc = h->a.plugin->desc->configure(cev_host_services(), (const cev_value *)cfg, &decl,
                                          &h->a.state, &rep);
    h->err = rep.e;
    cJSON_Delete(cfg);
    return rc;
}

int ph_score(ph *h, const char *evidence_json)
{
    cJSON_Delete(h->evidence);
    h->evidence = NULL;
    assert_int_equal(cev_json_parse(evidence_json, strlen(evidence_json), 64, &h->evidence,
                                    &h->err),
                     CEV_OK);
    cev_error_clear(&h->err);
    return cev_score_assessment(&h->a, h->evidence, h->has_session ? &h->session : NULL,
                                &h->res, &h->err);
}

void ph_session(ph *h, const char *date, const char *deadlines_json)
{
    cJSON_Delete(h->calendar);
    h->calendar = NULL;
    assert_int_equal(cev_date_parse(date, &h->session.day), CEV_OK);
    if (deadlines_json)
        assert_int_equal(cev_json_parse(deadlines_json, strlen(deadlines_json), 8, &h->calendar,
                                        &h->err),
                         CEV_OK);
    h->session.deadlines = h->calendar;
    h->has_session = 1;
}

void ph_close(ph *h)
{
    if (h->a.state)
        h->a.plugin->desc->release(cev_host_services(), h->a.state);
    cJSON_Delete(h->evidence);
    cJSON_Delete(h->calendar);
    cev_result_close(&h->res);
    cev_scope_close(&h->scope);
    cev_registry_close(&h->reg);
}

static long idx(const ph *h, const char *code)
{
    long i = cev_scope_find(&h->scope, code);
    assert_true(i >= 0);
    return i;
}

int ph_scored(const ph *h, const char *code) { return h->res.scored[idx(h, code)]; }
double ph_value(const ph *h, const char *code)
{
    assert_true(ph_scored(h, code));
    return h->res.score[idx(h, code)];
}
int ph_eliminated(const ph *h, const char *code) { return h->res.elim[idx(h, code)]; }
int ph_declared(const ph *h, const char *code) { return h->declared[idx(h, code)]; }

int ph_flagged(const ph *h, const char *flag)
{
    for (const char *s = cev_result_next_str(&h->res.flags, NULL); s; s = cev_result_next_str(&h->res.flags, s))
        if (strcmp(s, flag) == 0)
            return 1;
    return 0;
}

void write_file(const char *dir, const char *name, const char *content)
{
    char path[1024];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
}

char *make_temp_dir(const char *tag)
{
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/cevtest-%s-XXXXXX", CEV_TEST_TMP_DIR, tag);
    mkdir(CEV_TEST_TMP_DIR, 0755);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void remove_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *slurp(const char *path)
{
    char *text = NULL;
    size_t len;
    cev_error err;
    if (cev_file_read(path, &text, &len, &err) != CEV_OK)
        return NULL;
    return text;
}

#include "packages.h"

char *make_package(const char *dir, const char *name, const char *title_json,
                   const char *rules_lua)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, "title.json", title_json);
    if (rules_lua)
        write_file(path, "rules.lua", rules_lua);
    return strdup(path);
}
