/*
 * certeval/harness.h - the plugin test harness: runs one modality plugin on
 * JSON text through certeval's own host code (the functions `eval` uses to
 * load a plugin, configure an assessment and score evidence), so that a
 * plugin's unit tests (cmocka or any other framework) see what certeval
 * will do with it.  Installed with certeval as libcertevalharness
 * (pkg-config certeval-harness; CMake find_package(certeval) gives
 * certeval::harness).
 *
 *     ph h;
 *     assert_int_equal(ph_open(&h, PLUGIN_DIR, "portfolio", scope), 0);
 *     assert_int_equal(ph_configure(&h, "{\"scale_max\": 4, ...}"), CEV_PLUGIN_OK);
 *     assert_int_equal(ph_score(&h, "{\"situations\": [...]}"), PH_OK);
 *     assert_double_equal(ph_value(&h, "BC01.C1"), 0.5, 0);
 *     ph_close(&h);
 *
 * A `ph` is caller-owned: ph_open(), then ph_close() (also after a failed
 * open).  Strings it returns are valid until the next call on it.  Nothing
 * here is thread-safe across one `ph`; separate ones are independent.
 */
#ifndef CERTEVAL_HARNESS_H
#define CERTEVAL_HARNESS_H

#include "certeval/plugin.h"

#include <stddef.h>

#if defined(__GNUC__)
#define PH_API __attribute__((visibility("default")))
#else
#define PH_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What ph_score() returns: certeval's record codes. */
enum {
    PH_OK = 0,
    PH_EJSON = -1,     /* the JSON text given does not parse (ph_error_message) */
    PH_EEVIDENCE = -4, /* the plugin refused the evidence: E_EVIDENCE */
    PH_EPLUGIN = -9,   /* the plugin failed, or broke the ABI: E_PLUGIN */
    PH_ENOMEM = -20    /* out of memory (the plugin's or the harness's) */
};

/* The most competency codes a scope may hold. */
#define PH_MAX_SCOPE 64

struct ph_state;
typedef struct ph {
    struct ph_state *s; /* the harness's */
} ph;

/* Opens the plugin path `plugins` (one folder, or several separated by ':',
 * as `certeval -p`) and binds the plugin of `modality` to an assessment
 * "A" scoring the competency codes of `scope` (NULL-terminated, at most
 * PH_MAX_SCOPE).  0, or -1 when the folder cannot be read, no usable plugin
 * provides the modality (or two conflict), or the scope is bad: the reason
 * is printed on stderr and kept in ph_error_message(). */
PH_API int ph_open(ph *h, const char *plugins, const char *modality,
                   const char *const *scope);
/* The plugin's configure() on JSON text (a previous configuration is
 * released first): CEV_PLUGIN_OK, the plugin's code (CEV_PLUGIN_EINPUT with
 * ph_error_path() and ph_error_message() saying why), or PH_EJSON when
 * the text does not parse.  A config that declares a competency outside
 * the scope gives CEV_PLUGIN_EINPUT, as certeval refuses such a package. */
PH_API int ph_configure(ph *h, const char *config_json);
/* Scores JSON evidence as `eval` does ({"status": "absent"} and
 * {"status": "excused"} are the host's, not the plugin's): PH_OK, or a
 * PH_E* code with ph_error_path() ("evidence.A.<field>") and
 * ph_error_message(). */
PH_API int ph_score(ph *h, const char *evidence_json);
/* From now on, scores in a session of `date` ("YYYY-MM-DD") whose calendar
 * is the JSON object `deadlines_json` (assessment id -> date; the
 * assessment is "A"), or none when NULL: what host->session_date() and
 * host->session_deadline() answer (plugin ABI 1.3).  Without it they
 * answer that there is no session.  PH_OK, or PH_EJSON (a date or JSON
 * text that does not read). */
PH_API int ph_session(ph *h, const char *date, const char *deadlines_json);
PH_API void ph_close(ph *h);

/* The plugin's descriptor (its name, version, ABI, functions), or NULL. */
PH_API const cev_plugin *ph_plugin(const ph *h);

/* After ph_score(): */
PH_API int ph_scored(const ph *h, const char *code);  /* 1 when scored */
PH_API double ph_value(const ph *h, const char *code); /* NaN when not scored */
PH_API int ph_eliminated(const ph *h, const char *code);
PH_API int ph_flagged(const ph *h, const char *flag);
PH_API cev_status ph_status(const ph *h);
PH_API size_t ph_nflags(const ph *h);
PH_API size_t ph_nassessors(const ph *h);
/* After ph_configure(): whether the config declared the competency. */
PH_API int ph_declared(const ph *h, const char *code);
/* The last refusal or failure: the field's path and the message ("" when
 * none). */
PH_API const char *ph_error_path(const ph *h);
PH_API const char *ph_error_message(const ph *h);

#ifdef __cplusplus
}
#endif

/* |a - b| <= eps, printing both on failure, for cmocka (whose 1.1 release
 * has no assertion on doubles): defined when cmocka.h came first. */
#if defined(fail_msg) && !defined(assert_double_equal)
#define assert_double_equal(a, b, eps)                                                     \
    do {                                                                                   \
        double a_ = (a), b_ = (b);                                                         \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                        \
            fail_msg("%.17g != %.17g", a_, b_);                                            \
    } while (0)
#endif

#endif
