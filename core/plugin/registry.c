#include "plugin/registry.h"

#include "base/buf.h"
#include "plugin/host.h"
#include "plugin/result.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The size of a 1.0 descriptor: the smallest the host accepts. */
#define CEV_PLUGIN_SIZE_1_0 sizeof(cev_plugin)

int cev_plugin_check(const cev_plugin *d, char *why, size_t size)
{
    if (d->abi_major != CEV_ABI_MAJOR) {
        snprintf(why, size, "plugin ABI %u.%u, host ABI %d.%d: major versions differ",
                 d->abi_major, d->abi_minor, CEV_ABI_MAJOR, CEV_ABI_MINOR);
        return CEV_EABI;
    }
    if (d->abi_minor > CEV_ABI_MINOR) {
        snprintf(why, size, "plugin ABI %u.%u is newer than host ABI %d.%d",
                 d->abi_major, d->abi_minor, CEV_ABI_MAJOR, CEV_ABI_MINOR);
        return CEV_EABI;
    }
    if (d->size < CEV_PLUGIN_SIZE_1_0) {
        snprintf(why, size, "descriptor of %u bytes, ABI %u.%u needs at least %zu",
                 d->size, d->abi_major, d->abi_minor, CEV_PLUGIN_SIZE_1_0);
        return CEV_EABI;
    }
    if (d->name == NULL || d->name[0] == '\0' || strlen(d->name) >= 64 ||
        d->version == NULL || strlen(d->version) >= 32) {
        snprintf(why, size, "descriptor without a valid name or version");
        return CEV_EABI;
    }
    if (d->configure == NULL || d->release == NULL || d->score == NULL) {
        snprintf(why, size, "descriptor without configure, release or score");
        return CEV_EABI;
    }
    return CEV_OK;
}

static int refuse(cev_plugin_ref *p, const char *why)
{
    free(p->refused);
    p->refused = strdup(why);
    p->desc = NULL;
    return p->refused ? CEV_OK : CEV_ENOMEM;
}

/* Whether world-writable plugin files and folders are accepted: the
 * environment's say, read once per registry (no state kept). */
static int unsafe_allowed(void)
{
    const char *v = getenv("CERTEVAL_ALLOW_UNSAFE_PLUGINS");
    return v && strcmp(v, "1") == 0;
}

#define UNSAFE_HINT "; chmod o-w it, or set CERTEVAL_ALLOW_UNSAFE_PLUGINS=1 to load it anyway"

/* `unsafe_dir`: the folder is world-writable (and that is not allowed). */
static int load_one(cev_plugin_ref *p, int unsafe_dir, int allow_unsafe)
{
    cev_error herr;
    struct stat st;
    if (unsafe_dir)
        return refuse(p, "the plugin folder is world-writable: anyone could replace this "
                         "plugin" UNSAFE_HINT);
    if (!allow_unsafe && stat(p->file, &st) == 0 && (st.st_mode & S_IWOTH))
        return refuse(p, "the file is world-writable: anyone could replace its code"
                         UNSAFE_HINT);
    if (cev_sha256_file(p->file, p->sha256, &herr) != CEV_OK)
        return refuse(p, herr.message);
    p->handle = dlopen(p->file, RTLD_NOW | RTLD_LOCAL);
    if (p->handle == NULL) {
        const char *e = dlerror();
        return refuse(p, e ? e : "dlopen failed");
    }
    void *sym = dlsym(p->handle, CEV_PLUGIN_ENTRY_NAME);
    if (sym == NULL)
        return refuse(p, "no " CEV_PLUGIN_ENTRY_NAME " symbol");
    cev_plugin_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry); /* object to function pointer, POSIX */
    cev_entry_host_init(&p->entry);
    const cev_plugin *d = entry(&p->entry.host);
    if (p->entry.refused) { /* even if it returned a descriptor after all */
        char why[64 + CEV_REFUSE_MAX];
        snprintf(why, sizeof why, "the entry point refused this host: %s",
                 p->entry.why[0] ? p->entry.why : "(no reason given)");
        return refuse(p, why);
    }
    if (d == NULL)
        return refuse(p, "the entry point refused this host");
    snprintf(p->abi, sizeof p->abi, "%u.%u", d->abi_major, d->abi_minor);
    if (d->abi_major == CEV_ABI_MAJOR && d->name)
        snprintf(p->name, sizeof p->name, "%s", d->name);
    char why[256];
    if (cev_plugin_check(d, why, sizeof why) != CEV_OK)
        return refuse(p, why);
    snprintf(p->name, sizeof p->name, "%s", d->name);
    snprintf(p->version, sizeof p->version, "%s", d->version);
    p->desc = d;
    return CEV_OK;
}

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const cev_plugin_ref *)a)->file, ((const cev_plugin_ref *)b)->file);
}

static int is_shared_object(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && name[0] != '.' && strcmp(name + n - 3, ".so") == 0;
}

/* Appends every "*.so" of folder `dir` (number `folder` of the path), in
 * file name order.  CEV_OK, CEV_EIO or CEV_ENOMEM (err said). */
static int list_folder(cev_registry *r, size_t *cap, const char *dir, size_t folder,
                       cev_error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return cev_error_set(err, CEV_EIO, "", "plugin folder %s: %s", dir, strerror(errno));
    size_t first = r->count;
    int rc = CEV_OK;
    struct dirent *e;
    while (rc == CEV_OK && (e = readdir(d)) != NULL) {
        if (!is_shared_object(e->d_name))
            continue;
        if (r->count == *cap) {
            size_t more = *cap ? *cap * 2 : 8;
            cev_plugin_ref *p = realloc(r->items, more * sizeof *p);
            if (p == NULL) {
                rc = CEV_ENOMEM;
                break;
            }
            r->items = p;
            *cap = more;
        }
        cev_plugin_ref *p = &r->items[r->count];
        memset(p, 0, sizeof *p);
        p->folder = folder;
        cev_buf path;
        cev_buf_init(&path);
        if (cev_buf_printf(&path, "%s/%s", dir, e->d_name) != CEV_OK)
            rc = CEV_ENOMEM;
        else if ((p->file = cev_buf_take(&path)) != NULL)
            r->count++;
    }
    closedir(d);
    if (rc != CEV_OK)
        return cev_error_nomem(err);
    if (r->count - first > 1)
        qsort(r->items + first, r->count - first, sizeof *r->items, cmp_ref);
    return CEV_OK;
}

/* Lists the plugins of every folder of the path, then loads them, folder
 * by folder: no plugin is loaded before the list is complete, since an
 * entry point may keep the host it is given (in its item) for the
 * plugin's lifetime, and the list grows by realloc(). */
static int load_folders(cev_registry *r, const char *path, cev_error *err)
{
    char *folders = strdup(path); /* split in place */
    if (folders == NULL)
        return cev_error_nomem(err);
    int allow_unsafe = unsafe_allowed(), rc = CEV_OK;
    size_t cap = 0, nfolders = 0;
    char *save = NULL;
    for (char *dir = strtok_r(folders, ":", &save); dir && rc == CEV_OK;
         dir = strtok_r(NULL, ":", &save))
        rc = list_folder(r, &cap, dir, nfolders++, err);
    free(folders);
    if (rc == CEV_OK && nfolders == 0)
        rc = cev_error_set(err, CEV_EIO, "", "the plugin path \"%s\" names no folder", path);
    for (size_t i = 0; i < r->count && rc == CEV_OK; i++) {
        cev_plugin_ref *p = &r->items[i];
        struct stat st;
        const char *slash = strrchr(p->file, '/'); /* the file is "<folder>/<name>" */
        int unsafe_dir = 0;
        if (!allow_unsafe) {
            char *dir = strndup(p->file, (size_t)(slash - p->file));
            if (dir == NULL) {
                rc = cev_error_nomem(err);
                break;
            }
            unsafe_dir = stat(dir, &st) == 0 && (st.st_mode & S_IWOTH);
            free(dir);
        }
        if ((rc = load_one(p, unsafe_dir, allow_unsafe)) != CEV_OK)
            cev_error_nomem(err);
    }
    return rc;
}

/* Marks, for each usable plugin, the plugin its modality's first folder
 * provides: later folders' are shadowed by it, another in that folder is a
 * conflict. */
static void mark_winners(cev_registry *r)
{
    for (size_t i = 0; i < r->count; i++) {
        cev_plugin_ref *p = &r->items[i];
        if (p->desc == NULL)
            continue;
        size_t w = 0; /* the first usable plugin of the modality */
        while (w < i && (r->items[w].desc == NULL || strcmp(r->items[w].name, p->name) != 0))
            w++;
        if (w == i)
            continue;
        cev_plugin_ref *winner = &r->items[w];
        if (winner->folder < p->folder) {
            p->shadowed_by = winner->file;
        } else {
            p->conflict = winner->file;
            if (winner->conflict == NULL)
                winner->conflict = p->file;
        }
    }
}

cev_code cev_registry_scan(cev_registry *r, const char *path, cev_error *err)
{
    memset(r, 0, sizeof *r);
    r->dir = strdup(path);
    if (r->dir == NULL)
        return cev_error_nomem(err);
    int rc = load_folders(r, path, err);
    if (rc != CEV_OK) {
        cev_registry_close(r);
        return rc;
    }
    mark_winners(r);
    return CEV_OK;
}

cev_code cev_registry_open(cev_registry *r, const char *path, cev_error *err)
{
    int rc = cev_registry_scan(r, path, err);
    if (rc != CEV_OK)
        return rc;
    for (size_t i = 0; i < r->count; i++) {
        const cev_plugin_ref *p = &r->items[i];
        if (p->conflict && p->shadowed_by == NULL) {
            cev_error_set(err, CEV_EABI, "",
                          "plugins %s and %s both provide modality \"%s\" in one folder: "
                          "remove one, or put the folder of the one to use first in the "
                          "plugin path (see `certeval plugins`)",
                          p->file, p->conflict, p->name);
            cev_registry_close(r);
            return CEV_EABI;
        }
    }
    return CEV_OK;
}

void cev_registry_close(cev_registry *r)
{
    for (size_t i = 0; i < r->count; i++) {
        if (r->items[i].handle)
            dlclose(r->items[i].handle);
        free(r->items[i].file);
        free(r->items[i].refused);
    }
    free(r->items);
    free(r->dir);
    memset(r, 0, sizeof *r);
}

const cev_plugin_ref *cev_registry_find(const cev_registry *r, const char *name)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].desc && r->items[i].shadowed_by == NULL &&
            strcmp(r->items[i].name, name) == 0)
            return &r->items[i];
    return NULL;
}

const cev_plugin_ref *cev_registry_find_any(const cev_registry *r, const char *name)
{
    const cev_plugin_ref *p = cev_registry_find(r, name);
    if (p)
        return p;
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].desc == NULL && r->items[i].name[0] && strcmp(r->items[i].name, name) == 0)
            return &r->items[i];
    return NULL;
}

cev_code cev_plugins_list(const char *dir, void (*fn)(void *ctx, const cev_plugin_info *p),
                     void *ctx, size_t *count, cev_error *err)
{
    cev_registry reg;
    int rc = cev_registry_scan(&reg, dir, err);
    if (rc != CEV_OK)
        return rc;
    for (size_t i = 0; i < reg.count; i++) {
        const cev_plugin_ref *r = &reg.items[i];
        cev_plugin_info p = {r->file,    r->name,        r->version,  r->abi,
                             r->sha256,  r->refused,     r->folder,   r->shadowed_by,
                             r->conflict};
        fn(ctx, &p);
    }
    *count = reg.count;
    cev_registry_close(&reg);
    return CEV_OK;
}
