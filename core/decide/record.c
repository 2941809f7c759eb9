#include "decide/record.h"

#include "base/idset.h"
#include "base/json.h"
#include "base/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const record_keys[] = {"candidate",       "title",    "session",
                                          "route",           "jury",     "acquired_blocks",
                                          "evidence",        "deliberation", NULL};
static const char *const session_keys[] = {"id", "date", "type", "deadlines", NULL};
static const char *const member_keys[] = {"id", "profile", "trained_candidate", NULL};
static const char *const acquired_keys[] = {"block", "date", NULL};
static const char *const delib_keys[] = {"decision", "motivation", NULL};

void cev_record_init(cev_record *r)
{
    memset(r, 0, sizeof *r);
}

void cev_record_close(cev_record *r)
{
    cJSON_Delete(r->root);
    free(r->jury);
    free(r->acquired);
    free(r->delib);
    memset(r, 0, sizeof *r);
}

/* Makes room for n items in *arr (capacity kept across records). */
static int reserve(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return CEV_OK;
    void *p = realloc(*arr, n * size);
    if (p == NULL)
        return CEV_ENOMEM;
    *arr = p;
    *cap = n;
    return CEV_OK;
}

static int oom(cev_error *err)
{
    return cev_error_nomem(err);
}

/* Lists longer than this are checked for an item given twice through a hash
 * set: comparing each item with those before is quadratic, and a 16 MiB
 * record can list hundreds of thousands (60,000 jury members took 9.4 s). */
#define LINEAR_MAX 16

/* Whether `id`, item i of a list of n, was given before it.  For short
 * lists, `ids` gives item k's id (earlier items are compared); for long ones
 * the ids go through `seen` (initialised, closed by the caller).  1, 0, or
 * CEV_ENOMEM. */
static int given_before(cev_idset *seen, size_t n, size_t i, const char *id,
                        const char *(*ids)(const cev_record *, size_t), const cev_record *r)
{
    if (n > LINEAR_MAX) {
        long first;
        return cev_idset_add(seen, id, 0, &first);
    }
    for (size_t k = 0; k < i; k++)
        if (strcmp(ids(r, k), id) == 0)
            return 1;
    return 0;
}

static const char *member_id(const cev_record *r, size_t k)
{
    return r->jury[k].id;
}

static const char *held_block(const cev_record *r, size_t k)
{
    return r->acquired[k].block;
}

/* Identifiers (CEV_ID_MAX, certeval.h) name people in the minutes and on a
 * terminal: nothing there can be a control or a bidirectional character,
 * or a look-alike of another id. */

static int is_identifier(const char *id)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++, n++) {
        unsigned char c = *p;
        if (n == CEV_ID_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return n > 0;
}

static int bad_identifier(const cev_schema *s, const char *at, const char *key)
{
    return cev_schema_fail(s, at, key, "must be an identifier: 1 to %d bytes of letters, digits, "
                                       "'.', '_' and '-'",
                           CEV_ID_MAX);
}

/* One step of the way from the record's root to a value, to name the value
 * only when it is refused (no path is built for the others). */
typedef struct step {
    const struct step *up;
    const cJSON *v;
    size_t index; /* in an array */
} step;

static void step_path(const step *st, char *out, size_t size)
{
    if (st->up == NULL) {
        out[0] = '\0';
        return;
    }
    char at[CEV_PATH_MAX];
    step_path(st->up, at, sizeof at);
    if (cJSON_IsArray(st->up->v))
        cev_schema_path_index(out, size, at, st->index);
    else
        cev_schema_path_key(out, size, at, st->v->string);
}

/* Every string and key of the value under `st`, at most CEV_STRING_MAX
 * bytes (identifiers are checked with their own rule). */
static int check_sizes(const cev_schema *s, const step *st)
{
    const cJSON *v = st->v;
    if (cJSON_IsString(v)) {
        if (strlen(v->valuestring) <= CEV_STRING_MAX)
            return CEV_OK;
        char at[CEV_PATH_MAX];
        step_path(st, at, sizeof at);
        return cev_schema_fail(s, at, "", "a string of more than %d bytes", CEV_STRING_MAX);
    }
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v))
        return CEV_OK;
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        step down = {st, c, i};
        if (c->string && strlen(c->string) > CEV_STRING_MAX) {
            char at[CEV_PATH_MAX];
            step_path(st, at, sizeof at);
            return cev_schema_fail(s, at, "", "a key of more than %d bytes", CEV_STRING_MAX);
        }
        int rc = check_sizes(s, &down);
        if (rc)
            return rc;
    }
    return CEV_OK;
}

/* The identifiers inside evidence objects that the modalities read: the
 * keys of "assessors", and "supervisor".  Checked here, once for every
 * plugin, so that a plugin never sees (nor reports back) another id. */
static int check_evidence_ids(const cev_schema *s, const cJSON *evidence)
{
    for (const cJSON *e = evidence->child; e; e = e->next) {
        if (!cJSON_IsObject(e))
            continue;
        char at[CEV_PATH_MAX];
        const cJSON *assessors = cev_json_get(e, "assessors");
        const cJSON *sup = cev_json_get(e, "supervisor");
        if (cJSON_IsObject(assessors))
            for (const cJSON *a = assessors->child; a; a = a->next)
                if (!is_identifier(a->string)) {
                    char ev[CEV_PATH_MAX];
                    cev_schema_path_key(ev, sizeof ev, "evidence", e->string);
                    cev_schema_path_key(at, sizeof at, ev, "assessors");
                    return cev_schema_fail(s, at, a->string,
                                           "assessor id must be an identifier: 1 to %d bytes "
                                           "of letters, digits, '.', '_' and '-'",
                                           CEV_ID_MAX);
                }
        if (cJSON_IsString(sup) && !is_identifier(sup->valuestring)) {
            cev_schema_path_key(at, sizeof at, "evidence", e->string);
            return bad_identifier(s, at, "supervisor");
        }
    }
    return CEV_OK;
}

static int parse_jury(cev_record *r, const cev_schema *s, const cJSON *jury,
                      cev_idset *seen)
{
    size_t n = (size_t)cJSON_GetArraySize(jury), i = 0;
    if (reserve((void **)&r->jury, &r->jury_cap, n, sizeof *r->jury) != CEV_OK)
        return oom(s->err);
    for (const cJSON *m = jury->child; m; m = m->next, i++) {
        char at[32];
        cev_schema_path_index(at, sizeof at, "jury", i);
        cev_member *jm = &r->jury[i];
        jm->trained_candidate = 0;
        int rc;
        if ((rc = cev_schema_object(s, m, at, member_keys)) ||
            (rc = cev_schema_string(s, m, at, "id", 1, &jm->id)) ||
            (rc = cev_schema_string(s, m, at, "profile", 1, &jm->profile)) ||
            (rc = cev_schema_bool(s, m, at, "trained_candidate", &jm->trained_candidate)))
            return rc;
        if (!is_identifier(jm->id))
            return bad_identifier(s, at, "id");
        if (strcmp(jm->profile, "professional") != 0 && strcmp(jm->profile, "trainer") != 0)
            return cev_schema_fail(s, at, "profile",
                                   "must be \"professional\" or \"trainer\", not \"%s\"",
                                   jm->profile);
        if ((rc = given_before(seen, n, i, jm->id, member_id, r)) != 0)
            return rc < 0 ? oom(s->err)
                          : cev_schema_fail(s, at, "id", "jury member \"%s\" is listed twice",
                                            jm->id);
        r->njury = i + 1;
    }
    return CEV_OK;
}

static int parse_acquired(cev_record *r, const cev_schema *s, const cJSON *list,
                          cev_idset *seen)
{
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    if (reserve((void **)&r->acquired, &r->acquired_cap, n, sizeof *r->acquired) != CEV_OK)
        return oom(s->err);
    for (const cJSON *a = list->child; a; a = a->next, i++) {
        char at[40];
        cev_schema_path_index(at, sizeof at, "acquired_blocks", i);
        cev_held *h = &r->acquired[i];
        int rc;
        if ((rc = cev_schema_object(s, a, at, acquired_keys)) ||
            (rc = cev_schema_string(s, a, at, "block", 1, &h->block)) ||
            (rc = cev_schema_string(s, a, at, "date", 1, &h->date)) ||
            (rc = cev_schema_date(s, a, at, "date", 1, NULL, &h->day)))
            return rc;
        if ((rc = given_before(seen, n, i, h->block, held_block, r)) != 0)
            return rc < 0 ? oom(s->err)
                          : cev_schema_fail(s, at, "block", "block \"%s\" is listed twice",
                                            h->block);
        r->nacquired = i + 1;
    }
    return CEV_OK;
}

static int parse_deliberation(cev_record *r, const cev_schema *s, const cJSON *obj)
{
    size_t n = (size_t)cJSON_GetArraySize(obj), i = 0;
    if (reserve((void **)&r->delib, &r->delib_cap, n, sizeof *r->delib) != CEV_OK)
        return oom(s->err);
    for (const cJSON *d = obj->child; d; d = d->next, i++) {
        char at[CEV_PATH_MAX];
        cev_schema_path_key(at, sizeof at, "deliberation", d->string);
        cev_deliberation *dl = &r->delib[i];
        dl->block = d->string;
        int rc;
        if ((rc = cev_schema_object(s, d, at, delib_keys)) ||
            (rc = cev_schema_string(s, d, at, "decision", 1, &dl->decision)) ||
            (rc = cev_schema_string(s, d, at, "motivation", 1, &dl->motivation)))
            return rc;
        if (strcmp(dl->decision, "validated") != 0 && strcmp(dl->decision, "not_validated") != 0)
            return cev_schema_fail(s, at, "decision",
                                   "must be \"validated\" or \"not_validated\", not \"%s\"",
                                   dl->decision);
        r->ndelib = i + 1;
    }
    return CEV_OK;
}

/* session.type (a name of cev_session_type_names, or absent) and
 * session.deadlines (an object: assessment id -> ISO date).  Whether the
 * title has kinds of session, and such assessments, is cev_record_check's. */
static int parse_session_calendar(cev_record *r, const cev_schema *s, const cJSON *session)
{
    const cJSON *deadlines;
    int rc;
    if ((rc = cev_schema_string(s, session, "session", "type", 0, &r->session_type)))
        return rc;
    if (r->session_type && cev_session_type_parse(r->session_type) < 0)
        return cev_schema_fail(s, "session", "type", "must be \"titre\" or \"ccp\", not \"%s\"",
                               r->session_type);
    if ((rc = cev_schema_container(s, session, "session", "deadlines", 0, 1, &deadlines)))
        return rc;
    r->deadlines = deadlines;
    for (const cJSON *d = deadlines ? deadlines->child : NULL; d; d = d->next) {
        int32_t day;
        if ((rc = cev_schema_date(s, deadlines, "session.deadlines", d->string, 1, NULL, &day)))
            return rc;
    }
    return CEV_OK;
}

/* The record's fields; `members` and `blocks` are empty sets for the
 * duplicate checks of long lists. */
static int read_fields(cev_record *r, const cev_schema *s, cev_idset *members,
                       cev_idset *blocks)
{
    const cJSON *root = r->root, *session, *jury, *acquired, *delib;
    int rc;
    if ((rc = cev_schema_object(s, root, "", record_keys)) ||
        (rc = cev_schema_string(s, root, "", "title", 1, &r->title)) ||
        (rc = cev_schema_container(s, root, "", "session", 1, 1, &session)) ||
        (rc = cev_schema_object(s, session, "session", session_keys)) ||
        (rc = cev_schema_string(s, session, "session", "id", 1, &r->session_id)) ||
        (rc = cev_schema_string(s, session, "session", "date", 1, &r->session_date)) ||
        (rc = cev_schema_date(s, session, "session", "date", 1, NULL, &r->day)) ||
        (rc = parse_session_calendar(r, s, session)) ||
        (rc = cev_schema_string(s, root, "", "route", 0, &r->route)) ||
        (rc = cev_schema_container(s, root, "", "jury", 1, 0, &jury)) ||
        (rc = parse_jury(r, s, jury, members)) ||
        (rc = cev_schema_container(s, root, "", "acquired_blocks", 0, 0, &acquired)) ||
        (acquired && (rc = parse_acquired(r, s, acquired, blocks))) ||
        (rc = cev_schema_container(s, root, "", "evidence", 1, 1, &r->evidence)) ||
        (rc = cev_schema_container(s, root, "", "deliberation", 0, 1, &delib)) ||
        (delib && (rc = parse_deliberation(r, s, delib))) ||
        (rc = check_evidence_ids(s, r->evidence)))
        return rc;
    if (r->route && cev_route_parse(r->route) < 0)
        return cev_schema_fail(s, "", "route", "\"%s\" is not an access route", r->route);
    return CEV_OK;
}

static int parse_fields(cev_record *r, const cev_schema *s)
{
    cev_idset members, blocks; /* nothing is allocated unless a list is long */
    cev_idset_init(&members);
    cev_idset_init(&blocks);
    int rc = read_fields(r, s, &members, &blocks);
    cev_idset_close(&members);
    cev_idset_close(&blocks);
    return rc;
}

cev_code cev_record_parse(cev_record *r, const char *line, size_t len, cev_error *err)
{
    cJSON_Delete(r->root);
    r->root = NULL;
    r->candidate = r->title = r->session_id = r->session_date = r->route = NULL;
    r->session_type = NULL;
    r->evidence = r->deadlines = NULL;
    r->njury = r->nacquired = r->ndelib = 0;
    int rc = cev_json_parse(line, len, CEV_RECORD_MAX_DEPTH, &r->root, err);
    if (rc != CEV_OK)
        return rc;
    cev_schema s = {CEV_ESCHEMA, err};
    /* the candidate first, so that any later error record can name it */
    const cJSON *cand = cev_json_get(r->root, "candidate");
    if (cJSON_IsString(cand) && cand->valuestring[0])
        r->candidate = cand->valuestring;
    if (!cJSON_IsObject(r->root))
        return cev_schema_fail(&s, "", "", "a record must be a JSON object, not %s",
                               cev_json_type_name(r->root));
    if ((rc = cev_schema_string(&s, r->root, "", "candidate", 1, &r->candidate)))
        return rc;
    if (!is_identifier(r->candidate)) {
        r->candidate = NULL; /* not to be echoed in the error record */
        return bad_identifier(&s, "", "candidate");
    }
    /* a string is never longer than the text that spells it: the walk is
     * for records that could hold one over the limit */
    step top = {NULL, r->root, 0};
    if (len > CEV_STRING_MAX && (rc = check_sizes(&s, &top)))
        return rc;
    return parse_fields(r, &s);
}

/* session.type against the kinds of session the title declares, and
 * session.deadlines against its assessments. */
static int check_session(const cev_record *r, const cev_package *p, const cev_schema *s)
{
    if (r->session_type == NULL && p->session_types) {
        char kinds[32] = "";
        for (int k = 0; k < CEV_SESSION_TYPE_COUNT; k++)
            if (p->session_types & (1u << k))
                snprintf(kinds + strlen(kinds), sizeof kinds - strlen(kinds), "%s\"%s\"",
                         kinds[0] ? " or " : "", cev_session_type_names[k]);
        return cev_schema_fail(s, "session", "type",
                               "is required for %s version %s: %s (which session this is)",
                               p->code, p->version, kinds);
    }
    if (r->session_type) {
        int k = cev_session_type_parse(r->session_type);
        if (!(p->session_types & (1u << k)))
            return cev_schema_fail(s, "session", "type",
                                   p->session_types ? "\"%s\": %s version %s has no such session"
                                                    : "\"%s\": %s version %s has no kinds of "
                                                      "session (leave session.type out)",
                                   r->session_type, p->code, p->version);
    }
    for (const cJSON *d = r->deadlines ? r->deadlines->child : NULL; d; d = d->next)
        if (cev_package_assessment(p, d->string) < 0)
            return cev_schema_fail(s, "session.deadlines", d->string,
                                   "no assessment \"%s\" in %s version %s", d->string, p->code,
                                   p->version);
    return CEV_OK;
}

cev_code cev_record_check(const cev_record *r, const cev_package *p, cev_error *err)
{
    cev_schema s = {CEV_ESCHEMA, err};
    int rc = check_session(r, p, &s);
    if (rc != CEV_OK)
        return rc;
    if (r->route) {
        int k = cev_route_parse(r->route);
        if (!(p->routes & (1u << k)))
            return cev_error_set(err, CEV_ETITLE, "route",
                                 "route: %s is not an access route of %s (package %s)", r->route,
                                 p->code, p->name);
    }
    for (const cJSON *e = r->evidence->child; e; e = e->next)
        if (cev_package_assessment(p, e->string) < 0) {
            char path[CEV_PATH_MAX];
            cev_schema_path_key(path, sizeof path, "evidence", e->string);
            return cev_error_set(err, CEV_EEVIDENCE, path,
                                 "%s: no assessment \"%s\" in %s version %s", path, e->string,
                                 p->code, p->version);
        }
    for (size_t i = 0; i < r->ndelib; i++)
        if (cev_package_block(p, r->delib[i].block) < 0)
            return cev_schema_fail(&s, "deliberation", r->delib[i].block,
                                   "\"%s\" is not a block of %s", r->delib[i].block, p->code);
    /* A title that replaces another may be given a block of the replaced
     * certification with no equivalence: it counts for nothing, and the
     * rules say so in the title's reasons.  Elsewhere it can only be a
     * mistake. */
    for (size_t i = 0; i < r->nacquired && p->nreplaces == 0; i++) {
        const char *b = r->acquired[i].block;
        if (cev_package_block(p, b) < 0 && cev_package_equivalent(p, b) < 0) {
            char at[40];
            cev_schema_path_index(at, sizeof at, "acquired_blocks", i);
            return cev_schema_fail(&s, at, "block",
                                   "\"%s\" is neither a block of %s nor equivalent to one", b,
                                   p->code);
        }
    }
    return CEV_OK;
}
