/*
 * host.c - the services certeval offers to plugins (cev_host): memory,
 * read-only access to JSON values, dates, error reports, declarations and
 * result filling.  A cev_value is a cJSON node; a cev_report a cev_error.
 */
#include "plugin/host.h"

#include "base/date.h"
#include "base/error.h"
#include "base/json.h"
#include "base/utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *J(const cev_value *v)
{
    return (const cJSON *)v;
}

static const cev_value *V(const cJSON *j)
{
    return (const cev_value *)j;
}

static void *h_alloc(size_t size)
{
    return calloc(1, size ? size : 1);
}

static void h_free(void *p)
{
    free(p);
}

static void *h_realloc(void *p, size_t size)
{
    return realloc(p, size ? size : 1);
}

static cev_type h_type(const cev_value *v)
{
    const cJSON *j = J(v);
    if (cJSON_IsBool(j))
        return CEV_BOOL;
    if (cJSON_IsNumber(j))
        return CEV_NUMBER;
    if (cJSON_IsString(j))
        return CEV_STRING;
    if (cJSON_IsArray(j))
        return CEV_ARRAY;
    if (cJSON_IsObject(j))
        return CEV_OBJECT;
    return CEV_NULL;
}

static const cev_value *h_get(const cev_value *obj, const char *key)
{
    return key ? V(cev_json_get(J(obj), key)) : NULL;
}

static const cev_value *h_first(const cev_value *c)
{
    const cJSON *j = J(c);
    return (cJSON_IsArray(j) || cJSON_IsObject(j)) ? V(j->child) : NULL;
}

static const cev_value *h_next(const cev_value *item)
{
    return item ? V(J(item)->next) : NULL;
}

static const char *h_key(const cev_value *m)
{
    return m ? J(m)->string : NULL;
}

static size_t h_count(const cev_value *c)
{
    size_t n = 0;
    for (const cev_value *i = h_first(c); i; i = h_next(i))
        n++;
    return n;
}

static double h_number(const cev_value *v)
{
    const cJSON *j = J(v);
    return cJSON_IsNumber(j) && isfinite(j->valuedouble) ? j->valuedouble : 0.0;
}

static const char *h_string(const cev_value *v)
{
    const cJSON *j = J(v);
    return cJSON_IsString(j) ? j->valuestring : NULL;
}

static int h_boolean(const cev_value *v)
{
    return cJSON_IsTrue(J(v));
}

static int h_date(const char *iso, int32_t *day)
{
    return cev_date_parse(iso, day) == CEV_OK ? CEV_PLUGIN_OK : CEV_PLUGIN_EINPUT;
}

static int h_fail(cev_report *r, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cev_error_setv(&r->e, CEV_EEVIDENCE, path, fmt, ap);
    va_end(ap);
    return CEV_PLUGIN_EINPUT;
}

static int h_declare(cev_decl *d, const char *code)
{
    long i = cev_scope_find(d->scope, code);
    if (i < 0) {
        if (!d->fault)
            snprintf(d->fault_msg, sizeof d->fault_msg, "%s", code ? code : "(null)");
        d->fault = 1;
        return CEV_PLUGIN_EINPUT;
    }
    d->declared[i] = 1;
    return CEV_PLUGIN_OK;
}

static int result_fault(cev_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int result_fault(cev_result *r, const char *fmt, ...)
{
    if (!r->fault) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->fault_msg, sizeof r->fault_msg, fmt, ap);
        va_end(ap);
    }
    r->fault = 1;
    return CEV_PLUGIN_EFAIL;
}

static int h_set_status(cev_result *r, cev_status s)
{
    if (s < CEV_STATUS_PRESENT || s > CEV_STATUS_INADMISSIBLE)
        return result_fault(r, "unknown status %d", (int)s);
    r->status = s;
    return CEV_PLUGIN_OK;
}

static int h_score(cev_result *r, const char *code, double score)
{
    long i = cev_scope_find(r->scope, code);
    if (i < 0)
        return result_fault(r, "scored unknown competency \"%s\"", code ? code : "(null)");
    if (!(score >= 0.0 && score <= 1.0)) /* also refuses NaN */
        return result_fault(r, "score %.17g for %s is outside [0, 1]", score, code);
    if (r->scored[i])
        return result_fault(r, "scored %s twice", code);
    r->scored[i] = 1;
    r->score[i] = score;
    return CEV_PLUGIN_OK;
}

static int h_eliminate(cev_result *r, const char *code)
{
    long i = cev_scope_find(r->scope, code);
    if (i < 0)
        return result_fault(r, "eliminated unknown competency \"%s\"", code ? code : "(null)");
    r->elim[i] = 1;
    return CEV_PLUGIN_OK;
}

static int push_str(cev_buf *b, size_t *n, const char *s, size_t len)
{
    if (cev_buf_append(b, s, len) != CEV_OK || cev_buf_putc(b, '\0') != CEV_OK)
        return CEV_PLUGIN_ENOMEM;
    (*n)++;
    return CEV_PLUGIN_OK;
}

/* Whether the n bytes of a string a plugin hands back can go into a record:
 * no NUL inside (a "%c" of 0), well-formed UTF-8.  NULL, or what is wrong. */
static const char *bad_string(const char *s, size_t n)
{
    if (memchr(s, '\0', n) != NULL)
        return "holds a NUL byte";
    if (cev_utf8_check(s, n) != n)
        return "is not valid UTF-8";
    return NULL;
}

static int h_flag(cev_result *r, const char *fmt, ...)
{
    char tmp[256];
    if (fmt == NULL)
        return result_fault(r, "flag without a format");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n <= 0 || (size_t)n >= sizeof tmp)
        return result_fault(r, "flag empty or longer than %zu bytes", sizeof tmp - 1);
    const char *why = bad_string(tmp, (size_t)n);
    if (why)
        return result_fault(r, "flag %s", why);
    return push_str(&r->flags, &r->nflags, tmp, (size_t)n);
}

static int h_assessor(cev_result *r, const char *member)
{
    if (member == NULL || *member == '\0')
        return result_fault(r, "empty assessor id");
    size_t n = strnlen(member, CEV_ID_MAX + 1);
    if (n > CEV_ID_MAX)
        return result_fault(r, "assessor id longer than %d bytes", CEV_ID_MAX);
    const char *why = bad_string(member, n);
    if (why)
        return result_fault(r, "assessor id %s", why);
    return push_str(&r->assessors, &r->nassessors, member, n);
}

/* The entry point's refuse(): `self` is the cev_entry_host's first member
 * (cev_entry_host_init() alone installs this function). */
static const struct cev_plugin *h_refuse_entry(const cev_host *self, const char *fmt, ...)
{
    cev_entry_host *eh = (cev_entry_host *)self; /* not const: the registry entry's */
    if (!eh->refused && fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(eh->why, sizeof eh->why, fmt, ap);
        va_end(ap);
    }
    eh->refused = 1;
    return NULL;
}

static int h_session_date(const cev_result *r, int32_t *day)
{
    if (r == NULL || day == NULL || !r->has_session)
        return CEV_PLUGIN_EINPUT;
    *day = r->session_day;
    return CEV_PLUGIN_OK;
}

static int h_session_deadline(const cev_result *r, int32_t *day)
{
    if (r == NULL || day == NULL || !r->has_deadline)
        return CEV_PLUGIN_EINPUT;
    *day = r->deadline_day;
    return CEV_PLUGIN_OK;
}

/* refuse() outside the entry point: nothing to record. */
static const struct cev_plugin *h_refuse_late(const cev_host *self, const char *fmt, ...)
{
    (void)self;
    (void)fmt;
    return NULL;
}

static const cev_host host = {
    .size = sizeof(cev_host),
    .abi_major = CEV_ABI_MAJOR,
    .abi_minor = CEV_ABI_MINOR,
    .alloc = h_alloc,
    .free = h_free,
    .type = h_type,
    .get = h_get,
    .first = h_first,
    .next = h_next,
    .key = h_key,
    .count = h_count,
    .number = h_number,
    .string = h_string,
    .boolean = h_boolean,
    .date = h_date,
    .fail = h_fail,
    .declare = h_declare,
    .set_status = h_set_status,
    .score = h_score,
    .eliminate = h_eliminate,
    .flag = h_flag,
    .assessor = h_assessor,
    .realloc = h_realloc,
    .refuse = h_refuse_late,
    .session_date = h_session_date,
    .session_deadline = h_session_deadline,
};

const cev_host *cev_host_services(void)
{
    return &host;
}

void cev_entry_host_init(cev_entry_host *eh)
{
    memset(eh, 0, sizeof *eh);
    eh->host = host;
    eh->host.refuse = h_refuse_entry;
}
