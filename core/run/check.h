/*
 * check.h - `check`: title packages loaded and linted, each on its own:
 * title.json against the schema, every assessment's modality plugin and
 * config, rules.lua compiled in the sandbox with its decide() entry point;
 * then the validity periods of the versions of one title, across the sound
 * packages given together.
 */
#ifndef CEV_CHECK_H
#define CEV_CHECK_H

#include "base/error.h"

#include <stddef.h>

/* One package's verdict, valid during the hook's call. */
typedef struct cev_check_result {
    const char *dir;
    int sound;
    /* a sound package: */
    const char *code, *version;
    int draft;
    size_t nblocks, nassess;
    /* an unsound one: every problem found (the first CEV_ERRLIST_MAX) */
    const cev_error *problems;
    size_t nproblems, dropped;
} cev_check_result;

typedef struct cev_check_hooks {
    void *ctx;
    void (*on_package)(void *ctx, const cev_check_result *r);
} cev_check_hooks;

/* Checks the package folders `dirs` with the plugins of `plugins_dir`.
 * CEV_OK when every package is sound and no two versions of a title
 * overlap; 1 when a package has problems (told) or versions overlap
 * (`overlap` says how; its code is CEV_OK otherwise); a negative code with
 * err when the check could not be made (the plugin folder, out of memory). */
int cev_check_packages(const char *plugins_dir, char *const *dirs, size_t n,
                       const cev_check_hooks *hooks, cev_error *overlap, cev_error *err);

#endif
