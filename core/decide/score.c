#include "decide/score.h"

#include "base/date.h"
#include "base/json.h"
#include "base/schema.h"
#include "plugin/host.h"

#include <string.h>

/* What the plugin may learn of the session (ABI 1.3). */
static void set_session(cev_result *res, const cev_assessment *a, const cev_session_view *session)
{
    if (session == NULL)
        return;
    res->has_session = 1;
    res->session_day = session->day;
    const cJSON *d = session->deadlines ? cev_json_get(session->deadlines, a->id) : NULL;
    /* record.c refused any value that is not a date */
    if (cJSON_IsString(d) && cev_date_parse(d->valuestring, &res->deadline_day) == CEV_OK)
        res->has_deadline = 1;
}

cev_code cev_score_assessment(const cev_assessment *a, const cJSON *evidence,
                              const cev_session_view *session, cev_result *res, cev_error *err)
{
    char path[CEV_PATH_MAX]; /* "evidence.<id>", made for a message only */
    cev_result_reset(res);
    set_session(res, a, session);
    if (evidence == NULL)
        return CEV_OK;
    res->given = 1;
    if (!cJSON_IsObject(evidence)) {
        cev_schema_path_key(path, sizeof path, "evidence", a->id);
        return cev_error_set(err, CEV_EEVIDENCE, path, "%s: evidence must be an object, not %s",
                             a->id, cev_json_type_name(evidence));
    }
    const cJSON *status = cev_json_get(evidence, "status");
    if (cJSON_IsString(status)) {
        if (strcmp(status->valuestring, "absent") == 0) {
            res->status = CEV_STATUS_ABSENT;
            return CEV_OK;
        }
        if (strcmp(status->valuestring, "excused") == 0) {
            res->status = CEV_STATUS_EXCUSED;
            return CEV_OK;
        }
    }
    cev_report rep;
    cev_error_clear(&rep.e);
    int rc = a->plugin->desc->score(cev_host_services(), a->state, (const cev_value *)evidence,
                                    res, &rep);
    if (rc == CEV_PLUGIN_OK && !res->fault)
        return CEV_OK;
    cev_schema_path_key(path, sizeof path, "evidence", a->id);
    if (rc == CEV_PLUGIN_ENOMEM && !res->fault) /* the machine's failure, not the record's */
        return cev_error_set(err, CEV_ENOMEM, path, "%s: plugin %s: out of memory", a->id,
                             a->plugin->name);
    if (rc == CEV_PLUGIN_EINPUT && rep.e.message[0]) {
        /* the message names the field ("BC01.terrain.ratings: is required"),
         * as the path does from the record's top */
        char full[CEV_PATH_MAX], field[CEV_PATH_MAX];
        cev_schema_path_key(full, sizeof full, path, rep.e.path);
        cev_schema_path_key(field, sizeof field, a->id, rep.e.path);
        return cev_error_set(err, CEV_EEVIDENCE, full, "%s: %s", field, rep.e.message);
    }
    return cev_error_set(err, CEV_EPLUGIN, path, "%s: plugin %s %s: %s", a->id, a->plugin->name,
                         res->fault ? "returned a malformed result" : "failed",
                         res->fault                  ? res->fault_msg
                         : rc == CEV_PLUGIN_EINPUT   ? "refused the evidence without a reason"
                                                     : "internal error");
}

cev_code cev_score_record(const cev_package *pkg, const cev_record *rec, cev_result *results,
                     cev_error *err)
{
    const cev_session_view session = {rec->day, rec->deadlines};
    for (size_t i = 0; i < pkg->nassess; i++) {
        const cev_assessment *a = &pkg->assess[i];
        int rc = cev_score_assessment(a, cev_json_get(rec->evidence, a->id), &session,
                                      &results[i], err);
        if (rc != CEV_OK)
            return rc;
    }
    return CEV_OK;
}
