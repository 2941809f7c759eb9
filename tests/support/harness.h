/*
 * harness.h - test helpers: run one real plugin on JSON text through the
 * same host code the engine uses (score.c), and build throw-away package
 * folders.
 */
#ifndef CEV_TEST_HARNESS_H
#define CEV_TEST_HARNESS_H

#include "base/error.h"
#include "decide/score.h"
#include "package/package.h"
#include "plugin/registry.h"
#include "plugin/result.h"

#include <cjson/cJSON.h>

#define PH_MAX_SCOPE 16

/* |a - b| <= eps, printing both on failure (cmocka 1.1.5 has no doubles). */
#define assert_double_equal(a, b, eps)                                                     \
    do {                                                                                   \
        double a_ = (a), b_ = (b);                                                         \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                        \
            fail_msg("%.17g != %.17g", a_, b_);                                            \
    } while (0)

typedef struct ph {
    cev_registry reg;
    cev_assessment a;
    cev_competency comps[PH_MAX_SCOPE];
    cev_scope scope;
    unsigned char declared[PH_MAX_SCOPE];
    cev_result res;
    cev_error err;
    cJSON *evidence;
    int has_session;          /* ph_session() was called */
    cev_session_view session; /* its deadlines are `calendar` */
    cJSON *calendar;
} ph;

/* Opens the plugin folder of the build and binds `modality` to a scope of
 * competency codes (NULL-terminated). */
void ph_open(ph *h, const char *modality, const char *const *scope);
/* The plugin's configure() on JSON text; CEV_PLUGIN_OK or its code, with
 * h->err holding path and message on refusal. */
int ph_configure(ph *h, const char *config_json);
/* Scores JSON evidence the way the engine does (absent/excused by the host);
 * CEV_OK or a record code (CEV_EEVIDENCE, CEV_EPLUGIN). */
int ph_score(ph *h, const char *evidence_json);
/* Scores from now on in a session of `date` whose calendar is the JSON
 * object `deadlines` (assessment id -> date; the assessment is "A"), or
 * none when NULL. */
void ph_session(ph *h, const char *date, const char *deadlines_json);
void ph_close(ph *h);

/* Result accessors after ph_score(). */
int ph_scored(const ph *h, const char *code);
double ph_value(const ph *h, const char *code);
int ph_eliminated(const ph *h, const char *code);
int ph_flagged(const ph *h, const char *flag);
int ph_declared(const ph *h, const char *code);

/* Writes `content` to dir/name (dir created); aborts the test on failure. */
void write_file(const char *dir, const char *name, const char *content);
/* A fresh empty folder under the build tree; returned string is static per call site
 * buffer owned by the caller (free). */
char *make_temp_dir(const char *tag);
void remove_tree(const char *dir);
/* The text of a file (free), or NULL. */
char *slurp(const char *path);

#endif
