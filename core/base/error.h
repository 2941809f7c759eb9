/*
 * error.h - the one error convention of the core.
 *
 * Functions return CEV_OK (0) or a negative cev_code; when they can fail with
 * something to say, they take a caller-owned cev_error and fill it.  A
 * cev_error always holds a NUL-terminated path and message (truncated when
 * longer than the buffers), so it can be copied and printed without care.
 */
#ifndef CEV_ERROR_H
#define CEV_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef enum cev_code {
    CEV_OK = 0,
    /* codes of the error records (formats.md) */
    CEV_EJSON = -1,
    CEV_ESCHEMA = -2,
    CEV_ETITLE = -3,
    CEV_EEVIDENCE = -4,
    CEV_EJURY = -5,
    CEV_ERULE = -6,
    CEV_ERULE_BUDGET = -7,
    CEV_ERULE_MEMORY = -8,
    CEV_EPLUGIN = -9,
    /* codes that stop a command rather than a record */
    CEV_ENOMEM = -20,
    CEV_EIO = -21,
    CEV_EPACKAGE = -22, /* a title package is refused at load */
    CEV_EABI = -23,     /* a plugin is refused at load */
    CEV_EUSAGE = -24
} cev_code;

#define CEV_PATH_MAX 256
#define CEV_MESSAGE_MAX 768

typedef struct cev_error {
    int code;
    char path[CEV_PATH_MAX];
    char message[CEV_MESSAGE_MAX];
} cev_error;

/* "E_JSON", ... for record codes; "E_NOMEM", ... for the others. */
const char *cev_code_name(int code);
/* A short English description of a code, like strerror(). */
const char *cev_strerror(int code);
/* Parses "E_JURY" back to its code; 0 when unknown. */
int cev_code_parse(const char *name);

void cev_error_clear(cev_error *err);
/* Sets every field and returns `code`; `err` may be NULL; `path` and the
 * arguments may point into `err` itself. */
int cev_error_set(cev_error *err, int code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int cev_error_setv(cev_error *err, int code, const char *path, const char *fmt,
                   va_list ap);

/* Errors in the order found, for a command that reports every problem
 * rather than the first (check).  Keeps the first CEV_ERRLIST_MAX; `dropped`
 * counts the others.  Caller-owned: cev_errlist_init, then
 * cev_errlist_close, which frees the items. */
#define CEV_ERRLIST_MAX 100

typedef struct cev_errlist {
    cev_error *items;
    size_t n, cap;
    size_t dropped;
} cev_errlist;

void cev_errlist_init(cev_errlist *list);
void cev_errlist_close(cev_errlist *list);
/* Appends a copy of *err (or counts it in `dropped`): CEV_OK or CEV_ENOMEM. */
int cev_errlist_add(cev_errlist *list, const cev_error *err);
/* Every error found, kept or dropped. */
size_t cev_errlist_count(const cev_errlist *list);

#endif
