/*
 * registry.h - plugin discovery: every "*.so" of a folder, dlopen()ed and
 * checked against the host's ABI.
 *
 * A plugin is refused (kept in the list with the reason, not usable) when it
 * cannot be loaded, lacks the entry point, refuses the host (with the reason
 * it gave host->refuse(), ABI 1.2) or returns no descriptor, or has
 * another ABI major, a newer minor, a short descriptor, or missing functions.
 * It is also refused, before anything of it runs, when its file or the folder
 * is world-writable (anyone on the machine could replace the code certeval
 * runs, as ssh refuses such keys), unless the environment variable
 * CERTEVAL_ALLOW_UNSAFE_PLUGINS is "1".
 *
 * A plugin path names one folder or several, separated by ':' (as PATH): a
 * plugin under development beside the installed ones.  Folders are read in
 * the order given, each one's files in name order.  For each modality the
 * first folder that holds a usable plugin of it wins; the usable plugins of
 * that modality in later folders are shadowed (listed, never used).  Two
 * usable plugins of one modality in that first folder are a conflict: which
 * one to use would depend on file names, so cev_registry_open() fails
 * (cev_registry_scan() marks both and goes on, for the listing).
 *
 * The registry owns the handles and descriptors; cev_registry_close()
 * unloads them, so it must come after every package that uses them is closed.
 */
#ifndef CEV_REGISTRY_H
#define CEV_REGISTRY_H

#include "base/error.h"
#include "base/sha256.h"
#include "certeval/plugin.h"
#include "plugin/host.h"

#include <stddef.h>

typedef struct cev_plugin_ref {
    char *file;               /* path of the shared object */
    const cev_plugin *desc;   /* NULL when refused */
    void *handle;             /* dlopen handle, NULL when it could not load */
    char name[64];            /* modality name ("" when unknown) */
    char version[32];
    char abi[16];             /* "major.minor" as built, "" when unknown */
    char sha256[CEV_SHA256_HEX];
    char *refused;            /* why it is not usable, or NULL */
    size_t folder;            /* index of its folder in the plugin path */
    const char *shadowed_by;  /* the file of the plugin used instead (an earlier
                               * folder's), or NULL; points into the registry */
    const char *conflict;     /* the other usable file of its modality in its
                               * folder, when that folder wins, or NULL */
    cev_entry_host entry;     /* the host its entry point was given */
} cev_plugin_ref;

typedef struct cev_registry {
    char *dir;             /* the plugin path, as given */
    cev_plugin_ref *items; /* by folder, then by file name */
    size_t count;
} cev_registry;

/* Fails (CEV_EIO) when a folder of the path cannot be read (or the path
 * names none), (CEV_EABI) on a conflict; individual bad plugins are only
 * refused, and shadowed ones marked. */
cev_code cev_registry_open(cev_registry *r, const char *path, cev_error *err);
/* The same, but a conflict is only marked (both plugins' `conflict`). */
cev_code cev_registry_scan(cev_registry *r, const char *path, cev_error *err);
void cev_registry_close(cev_registry *r);

/* The plugin used for a modality (usable, not shadowed), or NULL. */
const cev_plugin_ref *cev_registry_find(const cev_registry *r, const char *name);
/* Any entry (usable or refused) claiming that modality name, or NULL. */
const cev_plugin_ref *cev_registry_find_any(const cev_registry *r, const char *name);

/* Checks a descriptor against the host ABI; fills `why` on refusal. */
int cev_plugin_check(const cev_plugin *d, char *why, size_t size);

#endif
