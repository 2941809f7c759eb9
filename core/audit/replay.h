/*
 * replay.h - re-deciding every logged record with the packages stored in
 * the audit store (never rules/) and the installed plugins, and comparing
 * the bytes with the logged ones.
 *
 * Outcomes of one entry:
 *   identical     the same bytes;
 *   plugin_only   the same bytes but for the sha256 of plugins whose
 *                 installed file differs from the one logged (each such
 *                 plugin is told once): a pass with a warning;
 *   undecided     logged as a line the machine could not decide: there is
 *                 no decision to reproduce, so it passes (and is told);
 *   different     anything else: a failure (told).
 * A line that this machine cannot decide now stops the replay.
 */
#ifndef CEV_REPLAY_H
#define CEV_REPLAY_H

#include "audit/redecide.h"

typedef struct cev_replay_report {
    long entries, identical, plugin_only, undecided, different;
} cev_replay_report;

/* What the caller is told, on the committer thread, in log order; any
 * member may be NULL. */
typedef struct cev_replay_hooks {
    void *ctx;
    /* an installed plugin hashes otherwise than decisions logged (once each) */
    void (*plugin_changed)(void *ctx, const char *name, const char *file,
                           const char *installed_sha256, const char *logged_sha256);
    /* an entry logged undecided, with the logged error message */
    void (*undecided)(void *ctx, const cev_redecided *r, const char *message);
    /* an entry whose decision replays differently (r->logged, r->now) */
    void (*different)(void *ctx, const cev_redecided *r);
    /* after each entry */
    void (*progress)(void *ctx, long entries, long different);
} cev_replay_hooks;

/* Replays the store `dir` with the plugins of `plugins_dir` on `threads`
 * workers.  CEV_OK with `rep` filled when every entry was compared (rep
 * says whether all held); else a negative code and `err`. */
int cev_replay(const char *dir, const char *plugins_dir, unsigned threads,
               const cev_replay_hooks *hooks, cev_replay_report *rep, cev_error *err);

/* 1 when a replayed record is the logged one but for the sha256 values in
 * provenance.plugins (the last member of a decision record), else 0. */
int cev_replay_same_but_plugins(const char *logged, const char *now);

#endif
