#include "package/catalog.h"

#include "base/buf.h"
#include "base/date.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

cev_code cev_catalog_add(cev_catalog *c, cev_package *p)
{
    cev_package **n = realloc(c->pkgs, (c->count + 1) * sizeof *n);
    if (n == NULL)
        return CEV_ENOMEM;
    c->pkgs = n;
    c->pkgs[c->count++] = p;
    return CEV_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

cev_code cev_catalog_open_one(cev_catalog *c, const char *package_dir, const cev_registry *reg,
                         cev_error *err)
{
    memset(c, 0, sizeof *c);
    cev_package *p;
    int rc = cev_package_load(package_dir, reg, &p, err);
    if (rc != CEV_OK)
        return rc;
    if (cev_catalog_add(c, p) != CEV_OK) {
        cev_package_free(p);
        return cev_error_nomem(err);
    }
    return CEV_OK;
}

/* The names of the sub-folders of `rules_dir` that hold a title.json, in
 * name order (the caller frees each and the list); an unreadable folder is
 * CEV_EIO. */
static int package_names(const char *rules_dir, char ***out, size_t *count, cev_error *err)
{
    *out = NULL;
    *count = 0;
    DIR *d = opendir(rules_dir);
    if (d == NULL)
        return cev_error_set(err, CEV_EIO, "", "rules folder %s: %s", rules_dir,
                             strerror(errno));
    char **names = NULL;
    size_t n = 0;
    int rc = CEV_OK;
    struct dirent *e;
    cev_buf path;
    cev_buf_init(&path);
    while (rc == CEV_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        struct stat st;
        cev_buf_reset(&path);
        if (cev_buf_printf(&path, "%s/%s/title.json", rules_dir, e->d_name) != CEV_OK) {
            rc = CEV_ENOMEM;
            break;
        }
        if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (nn == NULL || (nn[n] = strdup(e->d_name)) == NULL) {
            names = nn ? nn : names;
            rc = CEV_ENOMEM;
            break;
        }
        names = nn;
        n++;
    }
    closedir(d);
    cev_buf_close(&path);
    if (rc != CEV_OK) {
        cev_package_folders_free(names, n);
        return cev_error_nomem(err);
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    *out = names;
    *count = n;
    return CEV_OK;
}

void cev_package_folders_free(char **dirs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
}

cev_code cev_package_folders(const char *path, char ***dirs, size_t *n, cev_error *err)
{
    *dirs = NULL;
    *n = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return cev_error_set(err, CEV_EUSAGE, "", "%s: %s", path, strerror(errno));
    cev_buf title;
    cev_buf_init(&title);
    if (cev_buf_printf(&title, "%s/title.json", path) != CEV_OK)
        return cev_error_nomem(err);
    int one = stat(title.data, &st) == 0;
    cev_buf_close(&title);
    if (one) {
        if ((*dirs = malloc(sizeof **dirs)) == NULL || ((*dirs)[0] = strdup(path)) == NULL) {
            free(*dirs);
            *dirs = NULL;
            return cev_error_nomem(err);
        }
        *n = 1;
        return CEV_OK;
    }
    char **names;
    size_t count;
    int rc = package_names(path, &names, &count, err);
    if (rc != CEV_OK)
        return rc == CEV_EIO ? cev_error_set(err, CEV_EUSAGE, "", "%s: no title.json, and %s",
                                             path, err->message)
                             : rc;
    if (count == 0) {
        free(names);
        return cev_error_set(err, CEV_EUSAGE, "",
                             "%s: neither a title package (no title.json) nor a folder of "
                             "packages (no sub-folder holds one)",
                             path);
    }
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    for (size_t i = 0; i < count; i++) { /* each name becomes PATH/name */
        cev_buf b;
        cev_buf_init(&b);
        if (cev_buf_printf(&b, "%.*s/%s", (int)len, path, names[i]) != CEV_OK) {
            cev_package_folders_free(names, count);
            return cev_error_nomem(err);
        }
        free(names[i]);
        names[i] = cev_buf_take(&b);
    }
    *dirs = names;
    *n = count;
    return CEV_OK;
}

cev_code cev_catalog_open(cev_catalog *c, const char *rules_dir, const cev_registry *reg,
                     cev_error *err)
{
    memset(c, 0, sizeof *c);
    char **names = NULL;
    size_t n = 0;
    int rc = package_names(rules_dir, &names, &n, err);
    cev_buf path;
    cev_buf_init(&path);
    for (size_t i = 0; i < n && rc == CEV_OK; i++) {
        cev_buf_reset(&path);
        cev_package *p = NULL;
        if (cev_buf_printf(&path, "%s/%s", rules_dir, names[i]) != CEV_OK)
            rc = cev_error_nomem(err);
        else if ((rc = cev_package_load(path.data, reg, &p, err)) == CEV_OK &&
                 cev_catalog_add(c, p) != CEV_OK) {
            cev_package_free(p);
            rc = cev_error_nomem(err);
        }
    }
    cev_package_folders_free(names, n);
    cev_buf_close(&path);
    if (rc == CEV_OK)
        rc = cev_catalog_check_overlaps(c, err);
    if (rc != CEV_OK)
        cev_catalog_close(c);
    return rc;
}

cev_code cev_catalog_check_overlaps(const cev_catalog *c, cev_error *err)
{
    for (size_t i = 0; i < c->count; i++) {
        const cev_package *a = c->pkgs[i];
        for (size_t j = i + 1; j < c->count; j++) {
            const cev_package *b = c->pkgs[j];
            if (strcmp(a->code, b->code) != 0)
                continue;
            int32_t from = INT32_MIN, until = INT32_MAX;
            if (a->has_from && a->valid_from > from)
                from = a->valid_from;
            if (b->has_from && b->valid_from > from)
                from = b->valid_from;
            if (a->has_until && a->valid_until < until)
                until = a->valid_until;
            if (b->has_until && b->valid_until < until)
                until = b->valid_until;
            if (from > until)
                continue;
            char d1[11] = "(open)", d2[11] = "(open)";
            if (from != INT32_MIN)
                cev_date_format(from, d1);
            if (until != INT32_MAX)
                cev_date_format(until, d2);
            return cev_error_set(err, CEV_EPACKAGE, "valid_from",
                                 "%s: versions %s (%s) and %s (%s) of %s are both in force from %s "
                                 "to %s",
                                 b->title_file, a->version, a->name, b->version, b->name, a->code,
                                 d1, d2);
        }
    }
    return CEV_OK;
}

void cev_catalog_close(cev_catalog *c)
{
    for (size_t i = 0; i < c->count; i++)
        cev_package_free(c->pkgs[i]);
    free(c->pkgs);
    memset(c, 0, sizeof *c);
}

static int in_force(const cev_package *p, int32_t day)
{
    return (!p->has_from || day >= p->valid_from) && (!p->has_until || day <= p->valid_until);
}

static int in_grace(const cev_package *p, int32_t day)
{
    return p->has_until && day > p->valid_until && day - p->valid_until <= p->grace_days &&
           (!p->has_from || day >= p->valid_from);
}

/* Whether the candidate holds, on `day`, a block of p: directly or through
 * one of p's equivalences that holds for the day it was acquired. */
static int holds_block_of(const cev_package *p, const cev_held *held, size_t nheld, int32_t day)
{
    for (size_t i = 0; i < nheld; i++)
        if (held[i].day <= day &&
            (cev_package_block(p, held[i].block) >= 0 ||
             cev_package_equivalent_on(p, held[i].block, held[i].day) >= 0))
            return 1;
    return 0;
}

/* Among packages in force, the latest valid_from wins (overlaps are a
 * `check` error; the choice stays deterministic anyway). */
static const cev_package *later(const cev_package *a, const cev_package *b)
{
    if (a == NULL)
        return b;
    int32_t fa = a->has_from ? a->valid_from : INT32_MIN;
    int32_t fb = b->has_from ? b->valid_from : INT32_MIN;
    return fb > fa ? b : a;
}

/* Every evidence key names an assessment of p (true for no evidence at
 * all: a candidate completing the title by capitalisation). */
static int evidence_all_for(const cev_package *p, const cJSON *evidence)
{
    if (!cJSON_IsObject(evidence))
        return 1;
    for (const cJSON *e = evidence->child; e; e = e->next)
        if (cev_package_assessment(p, e->string) < 0)
            return 0;
    return 1;
}

size_t cev_catalog_versions_on(const cev_catalog *c, const char *code, int32_t day,
                               int allow_draft, const cev_package **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < c->count; i++) {
        const cev_package *p = c->pkgs[i];
        if (strcmp(p->code, code) != 0 || (p->draft && !allow_draft) ||
            !(in_force(p, day) || in_grace(p, day)))
            continue;
        if (n < cap)
            out[n] = p;
        n++;
    }
    return n;
}

cev_code cev_catalog_select(const cev_catalog *c, const char *code, int32_t day,
                       const cev_held *held, size_t nheld, const cJSON *evidence,
                       int allow_draft, const cev_package **out, cev_error *err)
{
    const cev_package *best = NULL, *draft = NULL, *grace = NULL, *ended = NULL;
    size_t versions = 0;
    char date[11];
    cev_date_format(day, date);
    *out = NULL;
    for (size_t i = 0; i < c->count; i++) {
        const cev_package *p = c->pkgs[i];
        if (strcmp(p->code, code) != 0)
            continue;
        versions++;
        if (p->draft && !allow_draft) {
            if (in_force(p, day))
                draft = p;
            continue;
        }
        if (in_force(p, day))
            best = later(best, p);
        else if (in_grace(p, day)) {
            if (holds_block_of(p, held, nheld, day))
                grace = later(grace, p);
            else
                ended = p;
        }
    }
    if (best || grace) {
        *out = best && !(grace && evidence_all_for(grace, evidence)) ? best : grace;
        return CEV_OK;
    }
    if (versions == 0)
        return cev_error_set(err, CEV_ETITLE, "title", "no title package for %s", code);
    if (draft)
        return cev_error_set(err, CEV_ETITLE, "title",
                             "the package in force for %s on %s (%s, version %s) is a draft; "
                             "run with --allow-draft to use it",
                             code, date, draft->name, draft->version);
    if (ended) {
        char until[11];
        cev_date_format(ended->valid_until, until);
        return cev_error_set(err, CEV_ETITLE, "session.date",
                             "%s version %s ended on %s; its completion grace is only for "
                             "candidates who hold one of its blocks",
                             code, ended->version, until);
    }
    return cev_error_set(err, CEV_ETITLE, "session.date", "no package of %s is in force on %s",
                         code, date);
}
