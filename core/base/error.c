#include "base/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    cev_code code;
    const char *name;
    const char *text;
} codes[] = {
    {CEV_OK, "OK", "success"},
    {CEV_PROBLEMS, "PROBLEMS", "done, and problems were found"},
    {CEV_STOPPED, "STOPPED", "the run was stopped"},
    {CEV_END, "END", "no more input"},
    {CEV_TOO_LONG, "TOO_LONG", "a line over the record limit"},
    {CEV_EJSON, "E_JSON", "the line is not valid JSON"},
    {CEV_ESCHEMA, "E_SCHEMA", "a field is missing, of the wrong type, or unknown"},
    {CEV_ETITLE, "E_TITLE", "no title package in force for this record"},
    {CEV_EEVIDENCE, "E_EVIDENCE", "evidence does not fit its assessment"},
    {CEV_EJURY, "E_JURY", "the jury breaks the package's rules"},
    {CEV_ERULE, "E_RULE", "the package's rules failed"},
    {CEV_ERULE_BUDGET, "E_RULE_BUDGET", "a rule call ran past its instruction budget"},
    {CEV_ERULE_MEMORY, "E_RULE_MEMORY", "a rule call ran past its memory cap"},
    {CEV_EPLUGIN, "E_PLUGIN", "a plugin failed or returned a malformed result"},
    {CEV_ENOMEM, "E_NOMEM", "out of memory"},
    {CEV_EIO, "E_IO", "input/output error"},
    {CEV_EPACKAGE, "E_PACKAGE", "title package refused"},
    {CEV_EABI, "E_ABI", "plugin refused"},
    {CEV_EUSAGE, "E_USAGE", "bad usage"},
};

const char *cev_code_name(cev_code code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code == code)
            return codes[i].name;
    return "E_UNKNOWN";
}

const char *cev_strerror(cev_code code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code == code)
            return codes[i].text;
    return "unknown error";
}

const char *cev_strerror_fr(int errnum)
{
    switch (errnum) {
    case ENOENT: return "introuvable";
    case ENOTDIR: return "un élément du chemin n'est pas un dossier";
    case EISDIR: return "c'est un dossier";
    case EACCES:
    case EPERM: return "permission refusée";
    case ENOSPC: return "plus de place sur le disque";
#ifdef EDQUOT
    case EDQUOT: return "quota du disque dépassé";
#endif
    case EROFS: return "disque en lecture seule";
    case EEXIST: return "existe déjà";
    case ELOOP: return "trop de liens symboliques";
    case ENAMETOOLONG: return "chemin trop long";
    case EFBIG: return "fichier trop gros pour la limite du système";
    case EIO: return "erreur d'entrée-sortie du disque";
    case ENOMEM: return "mémoire insuffisante";
    default: return strerror(errnum);
    }
}

cev_code cev_code_parse(const char *name)
{
    for (size_t i = 1; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(codes[i].name, name) == 0)
            return codes[i].code;
    return CEV_OK; /* unknown */
}

void cev_error_clear(cev_error *err)
{
    err->code = CEV_OK;
    err->path[0] = '\0';
    err->message[0] = '\0';
}

cev_code cev_error_setv(cev_error *err, cev_code code, const char *path, const char *fmt,
                   va_list ap)
{
    if (err == NULL)
        return code;
    /* through temporaries: callers may pass err->path or err->message */
    char p[CEV_PATH_MAX], m[CEV_MESSAGE_MAX];
    snprintf(p, sizeof p, "%s", path ? path : "");
    vsnprintf(m, sizeof m, fmt, ap);
    err->code = code;
    memcpy(err->path, p, sizeof p);
    memcpy(err->message, m, sizeof m);
    return code;
}

cev_code cev_error_set(cev_error *err, cev_code code, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cev_error_setv(err, code, path, fmt, ap);
    va_end(ap);
    return code;
}

void cev_errlist_init(cev_errlist *list)
{
    list->items = NULL;
    list->n = list->cap = list->dropped = 0;
}

void cev_errlist_close(cev_errlist *list)
{
    free(list->items);
    cev_errlist_init(list);
}

cev_code cev_errlist_add(cev_errlist *list, const cev_error *err)
{
    if (list->n == CEV_ERRLIST_MAX) {
        list->dropped++;
        return CEV_OK;
    }
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 4;
        cev_error *items = realloc(list->items, cap * sizeof *items);
        if (items == NULL)
            return CEV_ENOMEM;
        list->items = items;
        list->cap = cap;
    }
    list->items[list->n++] = *err;
    return CEV_OK;
}

size_t cev_errlist_count(const cev_errlist *list)
{
    return list->n + list->dropped;
}

cev_code cev_error_nomem(cev_error *err)
{
    return cev_error_set(err, CEV_ENOMEM, "", "out of memory");
}
