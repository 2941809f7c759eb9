/*
 * score.h - step 2 of the pipeline: score each assessment of a record with
 * its modality plugin.
 *
 * For every assessment of the package: no evidence leaves the result "not
 * given"; evidence {"status": "absent" | "excused"} is taken as such without
 * calling the plugin (docs/modalities.md: nothing else is read); any other
 * evidence goes to the plugin's score().  A plugin refusal becomes
 * E_EVIDENCE ("<assessment id>: <message>", path "evidence.<id>.<field>"); a
 * plugin failure or a result the host refused (unknown competency, score
 * outside [0, 1] or NaN, twice the same competency) becomes E_PLUGIN.  A
 * plugin out of memory (CEV_PLUGIN_ENOMEM) is the machine's failure, not the
 * record's: CEV_ENOMEM.
 */
#ifndef CEV_SCORE_H
#define CEV_SCORE_H

#include "decide/record.h"
#include "package/package.h"
#include "plugin/result.h"

/* The session as the plugins see it (host->session_date(),
 * session_deadline()): its day, and its calendar (the record's
 * session.deadlines: assessment id -> a date already checked; NULL when
 * the record gives none). */
typedef struct cev_session_view {
    int32_t day;
    const cJSON *deadlines;
} cev_session_view;

/* results[pkg->nassess], each initialised on its assessment's scope. */
cev_code cev_score_record(const cev_package *pkg, const cev_record *rec, cev_result *results,
                     cev_error *err);

/* Scores one assessment's evidence (NULL: not given) in `session` (NULL:
 * none, for a plugin tested on its own). */
cev_code cev_score_assessment(const cev_assessment *a, const cJSON *evidence,
                              const cev_session_view *session, cev_result *res, cev_error *err);

#endif
