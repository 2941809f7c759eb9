#include "package/package.h"

#include "base/buf.h"
#include "base/date.h"
#include "base/file.h"
#include "base/idset.h"
#include "base/json.h"
#include "base/schema.h"
#include "plugin/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cev_route_names[CEV_ROUTE_COUNT] = {
    "formation_initiale",       "apprentissage", "formation_continue",
    "contrat_professionnalisation", "candidature_individuelle", "vae",
};

int cev_route_parse(const char *name)
{
    for (int i = 0; i < CEV_ROUTE_COUNT; i++)
        if (strcmp(cev_route_names[i], name) == 0)
            return i;
    return -1;
}

const char *const cev_session_type_names[CEV_SESSION_TYPE_COUNT] = {"titre", "ccp"};

int cev_session_type_parse(const char *name)
{
    for (int i = 0; i < CEV_SESSION_TYPE_COUNT; i++)
        if (strcmp(cev_session_type_names[i], name) == 0)
            return i;
    return -1;
}

static const char *const title_keys[] = {
    "code",       "name",        "level",   "certifier", "version",
    "status",     "valid_from",  "valid_until", "completion_grace_days",
    "routes",     "replaces",    "equivalences", "blocks",    "assessments",
    "rules",      "limits",      "description", "session_types", NULL};
static const char *const block_keys[] = {"code", "name", "competencies", "assessments", NULL};
static const char *const comp_keys[] = {"code", "label", NULL};
static const char *const assess_keys[] = {"id", "modality", "label", "config", NULL};
static const char *const limit_keys[] = {"instructions", "memory_mb", NULL};

/* Loading context: the package being filled, where errors go, and the
 * codes and ids seen so far (a hash set each, so that the duplicate checks
 * stay linear in the size of title.json).
 *
 * title.json is loaded part by part: the header, routes, replaces, limits,
 * each block, each assessment, each equivalence.  A part that fails is
 * dropped whole, so the package only ever holds parts that loaded.  Without
 * `all`, the first problem stops the load; with it (check), each problem is
 * added to `all` and loading goes on with the next part, except for parts
 * whose problems could be mere consequences of an earlier one. */
typedef struct loader {
    cev_package *p;
    const cev_registry *reg;
    cev_schema s;
    cev_idset blocks, comps, assess;
    cev_errlist *all;  /* NULL: stop at the first problem */
    size_t problems;   /* found so far */
    int limits_ok;     /* limits loaded: the rules can be checked */
    int blocks_partial; /* a block, or all, dropped: codes may be missing */
} loader;

static int oom(loader *l)
{
    return cev_error_nomem(l->s.err);
}

/* The status of one part.  A problem (in l->s.err) is refused as
 * CEV_EPACKAGE; when problems are collected, it is added to `all` and
 * CEV_OK lets loading go on.  Out of memory always stops. */
static int problem(loader *l, int rc)
{
    if (rc == CEV_OK || rc == CEV_ENOMEM)
        return rc;
    cev_error *e = l->s.err;
    e->code = CEV_EPACKAGE;
    if (l->all == NULL)
        return CEV_EPACKAGE;
    l->problems++;
    return cev_errlist_add(l->all, e) == CEV_OK ? CEV_OK : oom(l);
}

/* A problem of title.json: its message names the file. */
static int title_problem(loader *l, int rc)
{
    if (rc == CEV_OK || rc == CEV_ENOMEM)
        return rc;
    cev_error *e = l->s.err;
    cev_error_set(e, CEV_EPACKAGE, e->path, "%s: %s", l->p->title_file, e->message);
    return problem(l, rc);
}

/* 1 when `key` was already in `set`, 0 when it is now; CEV_ENOMEM (< 0). */
static int seen(loader *l, cev_idset *set, const char *key)
{
    long first;
    int rc = cev_idset_add(set, key, 0, &first);
    return rc < 0 ? oom(l) : rc;
}

/* The status of one field of the header: its problem, when it has one, is
 * told (title_problem) and *bad set.  CEV_OK to go on with the next field;
 * else the status that stops the load. */
static int header_field(loader *l, int rc, int *bad)
{
    if (rc != CEV_OK && rc != CEV_ENOMEM)
        *bad = 1;
    return title_problem(l, rc);
}

/* The level: 1 to 8, or a non-empty string, into lv. */
static int load_level(loader *l, const cJSON *root, char *lv, size_t size)
{
    const cJSON *level = cev_json_get(root, "level");
    if (level == NULL)
        return cev_schema_fail(&l->s, "", "level", "is required");
    if (cJSON_IsString(level) && level->valuestring[0])
        snprintf(lv, size, "%s", level->valuestring);
    else if (cJSON_IsNumber(level) && level->valuedouble >= 1 && level->valuedouble <= 8 &&
             (int)level->valuedouble == level->valuedouble)
        snprintf(lv, size, "%d", (int)level->valuedouble);
    else
        return cev_schema_fail(&l->s, "", "level", "must be a level 1-8 or a non-empty string");
    return CEV_OK;
}

/* Every field of the header is checked, each problem told (check reports
 * them all); the package's header is set only when all hold, except the
 * rules file, set whenever its name holds, for check to compile it. */
static int load_header(loader *l, const cJSON *root)
{
    static const char *const names[] = {"code", "name", "certifier", "version", "status", "rules"};
    enum { CODE, NAME, CERTIFIER, VERSION, STATUS, RULES, NFIELDS };
    cev_package *p = l->p;
    const cev_schema *s = &l->s;
    const char *v[NFIELDS] = {NULL}, *desc = NULL;
    int rc, bad = 0, dates_bad = 0;
    if (!cJSON_IsObject(root))
        return header_field(l, cev_schema_object(s, root, "", title_keys), &bad);
    if ((rc = header_field(l, cev_schema_object(s, root, "", title_keys), &bad)))
        return rc;
    for (size_t i = 0; i < NFIELDS; i++)
        if ((rc = header_field(l, cev_schema_string(s, root, "", names[i], 1, &v[i]), &bad)))
            return rc;
    int before = bad;
    if ((rc = header_field(
             l, cev_schema_date(s, root, "", "valid_from", 0, &p->has_from, &p->valid_from),
             &bad)) ||
        (rc = header_field(
             l, cev_schema_date(s, root, "", "valid_until", 0, &p->has_until, &p->valid_until),
             &bad)) ||
        (rc = header_field(l,
                           cev_schema_integer(s, root, "", "completion_grace_days", 0, 0, 36500,
                                              &p->grace_days),
                           &bad)) ||
        (rc = header_field(l, cev_schema_string(s, root, "", "description", 0, &desc), &bad)))
        return rc;
    dates_bad = bad != before;
    if (v[STATUS] && strcmp(v[STATUS], "active") == 0)
        p->draft = 0;
    else if (v[STATUS] && strcmp(v[STATUS], "draft") == 0)
        p->draft = 1;
    else if (v[STATUS] &&
             (rc = header_field(l,
                                cev_schema_fail(s, "", "status",
                                                "must be \"active\" or \"draft\", not \"%s\"",
                                                v[STATUS]),
                                &bad)))
        return rc;
    if (!dates_bad && p->has_from && p->has_until && p->valid_until < p->valid_from &&
        (rc = header_field(l, cev_schema_fail(s, "", "valid_until", "is before valid_from"),
                           &bad)))
        return rc;
    if (!dates_bad && p->grace_days && !p->has_until &&
        (rc = header_field(l, cev_schema_fail(s, "", "completion_grace_days", "needs valid_until"),
                           &bad)))
        return rc;
    /* the last day a block of this version completes the title */
    if (!dates_bad && p->has_until && cev_json_get(root, "completion_grace_days") != NULL)
        cev_date_format(p->valid_until + (int32_t)p->grace_days, p->usable_until);
    const char *rules = v[RULES];
    if (rules && (strchr(rules, '/') || strcmp(rules, "..") == 0 || rules[0] == '.')) {
        rules = NULL;
        if ((rc = header_field(
                 l, cev_schema_fail(s, "", "rules", "must name a file of the package folder"),
                 &bad)))
            return rc;
    }
    char lv[64];
    if ((rc = header_field(l, load_level(l, root, lv, sizeof lv), &bad)))
        return rc;
    cev_buf rf;
    cev_buf_init(&rf);
    if (rules && (cev_buf_printf(&rf, "%s/%s", p->dir, rules) != CEV_OK ||
                  (p->rules_file = cev_buf_take(&rf)) == NULL))
        return oom(l);
    if (bad) /* told; the header is left unset */
        return CEV_OK;
    if (!(p->code = strdup(v[CODE])) || !(p->title_name = strdup(v[NAME])) ||
        !(p->certifier = strdup(v[CERTIFIER])) || !(p->version = strdup(v[VERSION])) ||
        !(p->level = strdup(lv)))
        return oom(l);
    return CEV_OK;
}

static int load_routes(loader *l, const cJSON *root)
{
    const cJSON *routes;
    int rc = cev_schema_container(&l->s, root, "", "routes", 0, 0, &routes);
    if (rc)
        return rc;
    if (routes == NULL) {
        l->p->routes = (1u << CEV_ROUTE_COUNT) - 1;
        return CEV_OK;
    }
    size_t i = 0;
    for (const cJSON *r = routes->child; r; r = r->next, i++) {
        char at[32];
        cev_schema_path_index(at, sizeof at, "routes", i);
        int k = cJSON_IsString(r) ? cev_route_parse(r->valuestring) : -1;
        if (k < 0)
            return cev_schema_fail(&l->s, at, "", "is not an access route of formats.md");
        if (l->p->routes & (1u << k))
            return cev_schema_fail(&l->s, at, "", "route \"%s\" is listed twice",
                                   r->valuestring);
        l->p->routes |= 1u << k;
    }
    return CEV_OK;
}

/* "session_types": the kinds of session the title has (a TP's "titre" and
 * "ccp"), distinct; none when the field is absent. */
static int load_session_types(loader *l, const cJSON *root)
{
    const cJSON *types;
    int rc = cev_schema_container(&l->s, root, "", "session_types", 0, 0, &types);
    if (rc || types == NULL)
        return rc;
    if (types->child == NULL)
        return cev_schema_fail(&l->s, "", "session_types",
                               "must list at least one of \"titre\", \"ccp\" (leave the "
                               "field out for a title without kinds of session)");
    size_t i = 0;
    for (const cJSON *t = types->child; t; t = t->next, i++) {
        char at[40];
        cev_schema_path_index(at, sizeof at, "session_types", i);
        int k = cJSON_IsString(t) ? cev_session_type_parse(t->valuestring) : -1;
        if (k < 0)
            return cev_schema_fail(&l->s, at, "", "must be \"titre\" or \"ccp\"");
        if (l->p->session_types & (1u << k))
            return cev_schema_fail(&l->s, at, "", "session type \"%s\" is listed twice",
                                   t->valuestring);
        l->p->session_types |= 1u << k;
    }
    return CEV_OK;
}

static int load_replaces(loader *l, const cJSON *root)
{
    const cJSON *rep;
    int rc = cev_schema_container(&l->s, root, "", "replaces", 0, 0, &rep);
    if (rc || rep == NULL)
        return rc;
    size_t n = (size_t)cJSON_GetArraySize(rep), i = 0;
    if (n && (l->p->replaces = calloc(n, sizeof *l->p->replaces)) == NULL)
        return oom(l);
    for (const cJSON *r = rep->child; r; r = r->next, i++) {
        char at[32];
        cev_schema_path_index(at, sizeof at, "replaces", i);
        if (!cJSON_IsString(r) || r->valuestring[0] == '\0')
            return cev_schema_fail(&l->s, at, "", "must be a title code");
        if ((l->p->replaces[i] = strdup(r->valuestring)) == NULL)
            return oom(l);
        l->p->nreplaces = i + 1;
    }
    return CEV_OK;
}

static int load_competencies(loader *l, const cJSON *list, const char *at, cev_block *b)
{
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    if (n == 0)
        return cev_schema_fail(&l->s, at, "competencies", "must not be empty");
    if ((b->comps = calloc(n, sizeof *b->comps)) == NULL)
        return oom(l);
    for (const cJSON *c = list->child; c; c = c->next, i++) {
        char cat[64], ca[80];
        cev_schema_path_key(ca, sizeof ca, at, "competencies");
        cev_schema_path_index(cat, sizeof cat, ca, i);
        const char *code = NULL, *label = NULL;
        int rc;
        if ((rc = cev_schema_object(&l->s, c, cat, comp_keys)) ||
            (rc = cev_schema_string(&l->s, c, cat, "code", 1, &code)) ||
            (rc = cev_schema_string(&l->s, c, cat, "label", 1, &label)))
            return rc;
        if ((rc = seen(l, &l->comps, code)) != 0)
            return rc < 0 ? rc
                          : cev_schema_fail(&l->s, cat, "code", "duplicate competency \"%s\"",
                                            code);
        b->ncomps = i + 1;
        if (!(b->comps[i].code = strdup(code)) || !(b->comps[i].label = strdup(label)))
            return oom(l);
    }
    return cev_scope_init(&b->scope, b->comps, b->ncomps) == CEV_OK ? CEV_OK : oom(l);
}

static int configure(loader *l, cev_assessment *a, const cJSON *config, const char *at)
{
    const cev_plugin_ref *ref = cev_registry_find(l->reg, a->modality);
    if (ref == NULL) {
        const cev_plugin_ref *any = cev_registry_find_any(l->reg, a->modality);
        if (any)
            return cev_schema_fail(&l->s, at, "modality", "plugin \"%s\" (%s) was refused: %s",
                                   a->modality, any->file, any->refused);
        size_t unnamed = 0; /* refused before their name could be read */
        for (size_t i = 0; i < l->reg->count; i++)
            unnamed += l->reg->items[i].refused && l->reg->items[i].name[0] == '\0';
        if (unnamed)
            return cev_schema_fail(&l->s, at, "modality",
                                   "no plugin provides modality \"%s\" in %s (%zu plugin%s of "
                                   "unknown modality refused there: see `certeval plugins`)",
                                   a->modality, l->reg->dir, unnamed, unnamed > 1 ? "s" : "");
        return cev_schema_fail(&l->s, at, "modality", "no plugin provides modality \"%s\" in %s",
                               a->modality, l->reg->dir);
    }
    a->plugin = ref;
    if ((a->declared = calloc(a->scope->ncomps ? a->scope->ncomps : 1, 1)) == NULL)
        return oom(l);
    cev_decl decl = {a->scope, a->declared, 0, ""};
    cev_report rep;
    cev_error_clear(&rep.e);
    void *state = NULL;
    int rc = ref->desc->configure(cev_host_services(), (const cev_value *)config, &decl, &state,
                                  &rep);
    if (rc == CEV_PLUGIN_OK && decl.fault) {
        ref->desc->release(cev_host_services(), state);
        return cev_schema_fail(&l->s, at, "config",
                               "assessment %s (%s) scores \"%s\", not a competency of its scope",
                               a->id, a->modality, decl.fault_msg);
    }
    if (rc == CEV_PLUGIN_EINPUT) {
        char cat[CEV_PATH_MAX];
        cev_schema_path_key(cat, sizeof cat, at, "config");
        return cev_schema_fail(&l->s, cat, rep.e.path, "assessment %s (%s): %s", a->id,
                               a->modality, rep.e.message);
    }
    if (rc == CEV_PLUGIN_ENOMEM)
        return oom(l);
    if (rc != CEV_PLUGIN_OK)
        return cev_schema_fail(&l->s, at, "config", "plugin %s failed (status %d)%s%s",
                               a->modality, rc, rep.e.message[0] ? ": " : "", rep.e.message);
    a->state = state;
    a->configured = 1;
    return CEV_OK;
}

static int load_assessment(loader *l, const cJSON *obj, const char *at, long block,
                           cev_assessment *a)
{
    const char *id = NULL, *modality = NULL, *label = NULL;
    const cJSON *config;
    int rc;
    if ((rc = cev_schema_object(&l->s, obj, at, assess_keys)) ||
        (rc = cev_schema_string(&l->s, obj, at, "id", 1, &id)) ||
        (rc = cev_schema_string(&l->s, obj, at, "modality", 1, &modality)) ||
        (rc = cev_schema_string(&l->s, obj, at, "label", 1, &label)) ||
        (rc = cev_schema_container(&l->s, obj, at, "config", 1, 1, &config)))
        return rc;
    if ((rc = seen(l, &l->assess, id)) != 0)
        return rc < 0 ? rc
                      : cev_schema_fail(&l->s, at, "id", "duplicate assessment id \"%s\"", id);
    a->block = block;
    if (!(a->id = strdup(id)) || !(a->modality = strdup(modality)) ||
        !(a->label = strdup(label)))
        return oom(l);
    a->scope = block >= 0 ? &l->p->blocks[block].scope : &l->p->all_scope;
    return configure(l, a, config, at);
}

/* Frees what a (possibly half-loaded) assessment holds; leaves it zeroed. */
static void free_assessment(cev_assessment *a)
{
    if (a->configured) /* never after a failed configure() (certeval/plugin.h) */
        a->plugin->desc->release(cev_host_services(), a->state);
    free(a->id);
    free(a->modality);
    free(a->label);
    free(a->declared);
    memset(a, 0, sizeof *a);
}

/* Loads the assessment at `obj` into the next free slot and counts it, or
 * drops it.  *complete becomes 0 when it was dropped. */
static int add_assessment(loader *l, const cJSON *obj, const char *at, long block,
                          int *complete)
{
    cev_assessment *a = &l->p->assess[l->p->nassess];
    int rc = load_assessment(l, obj, at, block, a);
    if (rc == CEV_OK) {
        l->p->nassess++;
        return CEV_OK;
    }
    free_assessment(a);
    *complete = 0;
    return title_problem(l, rc);
}

/* Frees what a (possibly half-loaded) block holds; leaves it zeroed. */
static void free_block(cev_block *b)
{
    for (size_t c = 0; c < b->ncomps; c++) {
        free(b->comps[c].code);
        free(b->comps[c].label);
    }
    free(b->comps);
    cev_scope_close(&b->scope);
    free(b->code);
    free(b->name);
    memset(b, 0, sizeof *b);
}

/* A block's own fields and its competencies; *assess: its assessments. */
static int load_block_head(loader *l, const cJSON *b, const char *at, cev_block *blk,
                           const cJSON **assess)
{
    const char *code = NULL, *name = NULL;
    const cJSON *comps;
    int rc;
    if ((rc = cev_schema_object(&l->s, b, at, block_keys)) ||
        (rc = cev_schema_string(&l->s, b, at, "code", 1, &code)) ||
        (rc = cev_schema_string(&l->s, b, at, "name", 1, &name)) ||
        (rc = cev_schema_container(&l->s, b, at, "competencies", 1, 0, &comps)) ||
        (rc = cev_schema_container(&l->s, b, at, "assessments", 1, 0, assess)))
        return rc;
    if ((rc = seen(l, &l->blocks, code)) != 0)
        return rc < 0 ? rc
                      : cev_schema_fail(&l->s, at, "code", "duplicate block code \"%s\"", code);
    if (!(blk->code = strdup(code)) || !(blk->name = strdup(name)))
        return oom(l);
    if ((rc = load_competencies(l, comps, at, blk)))
        return rc;
    if (cJSON_GetArraySize(*assess) == 0)
        return cev_schema_fail(&l->s, at, "assessments", "must not be empty");
    return CEV_OK;
}

/* The assessments of a loaded block, then the competencies none scores
 * (unless an assessment was dropped: it may have been the one). */
static int load_block_assessments(loader *l, const cJSON *assess, const char *at, long index)
{
    cev_package *p = l->p;
    cev_block *blk = &p->blocks[index];
    int rc, complete = 1;
    blk->first = p->nassess;
    size_t k = 0;
    for (const cJSON *a = assess->child; a; a = a->next, k++) {
        char aat[64], aa[48];
        cev_schema_path_key(aa, sizeof aa, at, "assessments");
        cev_schema_path_index(aat, sizeof aat, aa, k);
        if ((rc = add_assessment(l, a, aat, index, &complete)))
            return rc;
    }
    blk->nassess = p->nassess - blk->first;
    for (size_t c = 0; c < blk->ncomps && complete; c++) {
        int scored = 0;
        for (size_t k2 = blk->first; k2 < p->nassess && !scored; k2++)
            scored = p->assess[k2].declared[c];
        if (!scored &&
            (rc = title_problem(l, cev_schema_fail(
                                       &l->s, at, "competencies",
                                       "competency %s is scored by no assessment of block %s",
                                       blk->comps[c].code, blk->code))))
            return rc;
    }
    return CEV_OK;
}

static int load_blocks(loader *l, const cJSON *root, size_t total_assess)
{
    cev_package *p = l->p;
    const cJSON *blocks;
    int rc = cev_schema_container(&l->s, root, "", "blocks", 1, 0, &blocks);
    if (rc == CEV_OK && cJSON_GetArraySize(blocks) == 0)
        rc = cev_schema_fail(&l->s, "", "blocks", "must not be empty");
    if (rc != CEV_OK) {
        l->blocks_partial = 1;
        return title_problem(l, rc);
    }
    size_t n = (size_t)cJSON_GetArraySize(blocks), i = 0;
    if (!(p->blocks = calloc(n, sizeof *p->blocks)) ||
        !(p->assess = calloc(total_assess ? total_assess : 1, sizeof *p->assess)))
        return oom(l);
    for (const cJSON *b = blocks->child; b; b = b->next, i++) {
        char at[32];
        cev_schema_path_index(at, sizeof at, "blocks", i);
        const cJSON *assess = NULL;
        cev_block *blk = &p->blocks[p->nblocks];
        if ((rc = load_block_head(l, b, at, blk, &assess)) != CEV_OK) {
            free_block(blk);
            l->blocks_partial = 1;
            if ((rc = title_problem(l, rc)))
                return rc;
            continue;
        }
        if ((rc = load_block_assessments(l, assess, at, (long)p->nblocks++)))
            return rc;
    }
    return CEV_OK;
}

static int collect_all_comps(loader *l)
{
    cev_package *p = l->p;
    size_t n = 0;
    for (size_t i = 0; i < p->nblocks; i++)
        n += p->blocks[i].ncomps;
    if ((p->all_comps = calloc(n ? n : 1, sizeof *p->all_comps)) == NULL)
        return oom(l);
    for (size_t i = 0; i < p->nblocks; i++)
        for (size_t c = 0; c < p->blocks[i].ncomps; c++)
            p->all_comps[p->nall_comps++] = p->blocks[i].comps[c];
    return cev_scope_init(&p->all_scope, p->all_comps, p->nall_comps) == CEV_OK ? CEV_OK
                                                                                 : oom(l);
}

static int load_title_assessments(loader *l, const cJSON *list)
{
    size_t k = 0;
    int complete = 1;
    for (const cJSON *a = list ? list->child : NULL; a; a = a->next, k++) {
        char at[48];
        cev_schema_path_index(at, sizeof at, "assessments", k);
        size_t before = l->p->nassess;
        int rc = add_assessment(l, a, at, -1, &complete);
        if (rc)
            return rc;
        l->p->ntitle_assess += l->p->nassess - before;
    }
    return CEV_OK;
}

/* An equivalence is the code of the block it counts as, or an object
 * {"block": code, "acquired_before": date} when it holds only for a block
 * acquired before that date (a CCP of an older version obtained before the
 * new one came into force, say). */
static int load_equivalence(loader *l, const cJSON *e)
{
    static const char *const keys[] = {"block", "acquired_before", NULL};
    cev_package *p = l->p;
    cev_equivalence *q = &p->equivs[p->nequivs];
    const char *to = cJSON_IsString(e) ? e->valuestring : NULL;
    if (cJSON_IsObject(e)) {
        char at[512];
        cev_schema_path_key(at, sizeof at, "equivalences", e->string);
        int rc;
        if ((rc = cev_schema_object(&l->s, e, at, keys)) ||
            (rc = cev_schema_string(&l->s, e, at, "block", 1, &to)) ||
            (rc = cev_schema_date(&l->s, e, at, "acquired_before", 0, &q->has_before, &q->before)))
            return rc;
    } else if (to == NULL) {
        return cev_schema_fail(&l->s, "equivalences", e->string,
                               "must name a block of this title, or be an object with \"block\""
                               " and \"acquired_before\"");
    }
    long b = cev_package_block(p, to);
    if (b < 0)
        return cev_schema_fail(&l->s, "equivalences", e->string,
                               "\"%s\" is not a block of this title", to);
    if (cev_package_block(p, e->string) >= 0)
        return cev_schema_fail(&l->s, "equivalences", e->string,
                               "\"%s\" is a block of this title itself", e->string);
    if ((p->equivs[p->nequivs].from = strdup(e->string)) == NULL)
        return oom(l);
    p->equivs[p->nequivs++].block = (size_t)b;
    return CEV_OK;
}

static int load_equivalences(loader *l, const cJSON *root)
{
    cev_package *p = l->p;
    const cJSON *eq;
    int rc = cev_schema_container(&l->s, root, "", "equivalences", 0, 1, &eq);
    if (rc || eq == NULL)
        return title_problem(l, rc);
    size_t n = (size_t)cJSON_GetArraySize(eq);
    if (n && (p->equivs = calloc(n, sizeof *p->equivs)) == NULL)
        return oom(l);
    for (const cJSON *e = eq->child; e; e = e->next)
        if ((rc = title_problem(l, load_equivalence(l, e))))
            return rc;
    return CEV_OK;
}

static int load_limits(loader *l, const cJSON *root)
{
    cev_package *p = l->p;
    const cJSON *lim;
    p->limits.instructions = CEV_DEFAULT_INSTRUCTIONS;
    p->limits.memory_bytes = CEV_DEFAULT_MEMORY;
    int rc = cev_schema_container(&l->s, root, "", "limits", 0, 1, &lim);
    if (rc || lim == NULL)
        return rc;
    long mb = CEV_DEFAULT_MEMORY >> 20;
    if ((rc = cev_schema_object(&l->s, lim, "limits", limit_keys)) ||
        (rc = cev_schema_integer(&l->s, lim, "limits", "instructions", 0, 1000,
                                 CEV_MAX_INSTRUCTIONS, &p->limits.instructions)) ||
        (rc = cev_schema_integer(&l->s, lim, "limits", "memory_mb", 0, 1, CEV_MAX_MEMORY >> 20,
                                 &mb)))
        return rc;
    p->limits.memory_bytes = mb << 20;
    return CEV_OK;
}

static int cmp_plugin(const void *a, const void *b)
{
    return strcmp((*(const cev_plugin_ref *const *)a)->name,
                  (*(const cev_plugin_ref *const *)b)->name);
}

static int collect_plugins(loader *l)
{
    cev_package *p = l->p;
    if ((p->plugins = calloc(p->nassess ? p->nassess : 1, sizeof *p->plugins)) == NULL)
        return oom(l);
    for (size_t i = 0; i < p->nassess; i++) {
        int seen = 0;
        for (size_t k = 0; k < p->nplugins && !seen; k++)
            seen = p->plugins[k] == p->assess[i].plugin;
        if (!seen)
            p->plugins[p->nplugins++] = p->assess[i].plugin;
    }
    qsort(p->plugins, p->nplugins, sizeof *p->plugins, cmp_plugin);
    return CEV_OK;
}

static size_t count_assessments(const cJSON *root)
{
    size_t n = 0;
    const cJSON *blocks = cev_json_get(root, "blocks");
    for (const cJSON *b = cJSON_IsArray(blocks) ? blocks->child : NULL; b; b = b->next) {
        const cJSON *a = cev_json_get(b, "assessments");
        n += cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
    }
    const cJSON *t = cev_json_get(root, "assessments");
    return n + (cJSON_IsArray(t) ? (size_t)cJSON_GetArraySize(t) : 0);
}

static int load_json(loader *l, const cJSON *root)
{
    const cJSON *title_assess = NULL;
    int rc, limits;
    if ((rc = load_header(l, root)) || !cJSON_IsObject(root) ||
        (rc = title_problem(l, load_routes(l, root))) ||
        (rc = title_problem(l, load_replaces(l, root))) ||
        (rc = title_problem(l, load_session_types(l, root))))
        return rc;
    l->limits_ok = (limits = load_limits(l, root)) == CEV_OK;
    if ((rc = title_problem(l, limits)) ||
        (rc = title_problem(
             l, cev_schema_container(&l->s, root, "", "assessments", 0, 0, &title_assess))) ||
        (rc = load_blocks(l, root, count_assessments(root))) || (rc = collect_all_comps(l)))
        return rc;
    /* The title's assessments score the blocks' competencies and the
     * equivalences name the blocks: without every block, their problems
     * could be false ones. */
    if (!l->blocks_partial &&
        ((rc = load_title_assessments(l, title_assess)) || (rc = load_equivalences(l, root))))
        return rc;
    return collect_plugins(l);
}

static const char *base_name(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *end = dir + n, *s = end;
    while (s > dir && s[-1] != '/')
        s--;
    return s;
}

/* title.json and what it names: the rules file, then the package hash. */
static int load_files(loader *l)
{
    cev_package *p = l->p;
    cev_error *err = l->s.err;
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    int rc = cev_file_read(p->title_file, &text, &len, err);
    if (rc == CEV_OK && (rc = cev_json_parse(text, len, 64, &root, err)) != CEV_OK &&
        rc != CEV_ENOMEM)
        rc = cev_error_set(err, CEV_EPACKAGE, err->path, "%s: %s", p->title_file,
                           err->message);
    if (rc == CEV_OK)
        rc = load_json(l, root);
    cJSON_Delete(root);
    free(text);
    if (rc != CEV_OK)
        return rc; /* the first problem when they are not collected, out of memory, or
                    * title.json unreadable: nothing more to check */
    /* the rules file is named in the header, and loaded within the limits */
    if (p->rules_file && l->limits_ok &&
        (rc = cev_file_read(p->rules_file, &p->rules_src, &p->rules_len, err)) != CEV_OK) {
        if (rc == CEV_ENOMEM)
            return rc;
        if ((rc = problem(l, cev_error_set(err, CEV_EPACKAGE, "rules", "%s: rules: %s",
                                           p->title_file, err->message))))
            return rc;
    }
    if ((rc = cev_sha256_package(p->dir, p->sha256, err)) != CEV_OK)
        return rc == CEV_ENOMEM ? rc : problem(l, CEV_EPACKAGE);
    return CEV_OK;
}

static int load(const char *dir, const cev_registry *reg, cev_errlist *all, cev_package **out,
                cev_error *err)
{
    *out = NULL;
    cev_package *p = calloc(1, sizeof *p);
    cev_buf tf;
    cev_buf_init(&tf);
    if (p == NULL || !(p->dir = strdup(dir)) ||
        cev_buf_printf(&tf, "%s/title.json", dir) != CEV_OK) {
        cev_package_free(p);
        return cev_error_nomem(err);
    }
    p->title_file = cev_buf_take(&tf);
    const char *bn = base_name(dir);
    size_t bl = strcspn(bn, "/");
    if ((p->name = strndup(bn, bl)) == NULL) {
        cev_package_free(p);
        return cev_error_nomem(err);
    }
    loader l = {p, reg, {CEV_EPACKAGE, err}, {0}, {0}, {0}, all, 0, 0, 0};
    cev_idset_init(&l.blocks);
    cev_idset_init(&l.comps);
    cev_idset_init(&l.assess);
    int rc = load_files(&l);
    cev_idset_close(&l.blocks);
    cev_idset_close(&l.comps);
    cev_idset_close(&l.assess);
    if (rc == CEV_OK && l.problems) { /* collected: the first is the refusal */
        *err = all->items[0];
        *out = p;
        return CEV_EPACKAGE;
    }
    if (rc != CEV_OK) {
        if (all && rc != CEV_ENOMEM && cev_errlist_add(all, err) != CEV_OK)
            rc = cev_error_nomem(err);
        cev_package_free(p);
        return rc;
    }
    *out = p;
    return CEV_OK;
}

cev_code cev_package_load(const char *dir, const cev_registry *reg, cev_package **out,
                     cev_error *err)
{
    return load(dir, reg, NULL, out, err);
}

cev_code cev_package_lint(const char *dir, const cev_registry *reg, cev_errlist *all,
                     cev_package **out, cev_error *err)
{
    return load(dir, reg, all, out, err);
}

void cev_package_free(cev_package *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nassess; i++)
        free_assessment(&p->assess[i]);
    free(p->assess);
    for (size_t i = 0; i < p->nblocks; i++)
        free_block(&p->blocks[i]);
    free(p->blocks);
    free(p->all_comps);
    cev_scope_close(&p->all_scope);
    for (size_t i = 0; i < p->nreplaces; i++)
        free(p->replaces[i]);
    free(p->replaces);
    for (size_t i = 0; i < p->nequivs; i++)
        free(p->equivs[i].from);
    free(p->equivs);
    free(p->plugins);
    free(p->rules_src);
    free(p->dir);
    free(p->name);
    free(p->title_file);
    free(p->rules_file);
    free(p->code);
    free(p->title_name);
    free(p->level);
    free(p->certifier);
    free(p->version);
    free(p);
}

long cev_package_block(const cev_package *p, const char *code)
{
    for (size_t i = 0; i < p->nblocks; i++)
        if (p->blocks[i].code && strcmp(p->blocks[i].code, code) == 0)
            return (long)i;
    return -1;
}

long cev_package_assessment(const cev_package *p, const char *id)
{
    for (size_t i = 0; i < p->nassess; i++)
        if (strcmp(p->assess[i].id, id) == 0)
            return (long)i;
    return -1;
}

long cev_package_equivalent(const cev_package *p, const char *code)
{
    for (size_t i = 0; i < p->nequivs; i++)
        if (strcmp(p->equivs[i].from, code) == 0)
            return (long)p->equivs[i].block;
    return -1;
}

long cev_package_equivalent_on(const cev_package *p, const char *code, int32_t day)
{
    for (size_t i = 0; i < p->nequivs; i++)
        if (strcmp(p->equivs[i].from, code) == 0)
            return p->equivs[i].has_before && day >= p->equivs[i].before
                       ? -1 : (long)p->equivs[i].block;
    return -1;
}
