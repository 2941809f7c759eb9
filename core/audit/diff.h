/*
 * diff.h - what other rules would change in the logged decisions: every
 * logged record decided again with the packages of another rules folder,
 * its title and block decisions compared with the logged ones, and the
 * count of each transition.  An error record counts as the decision
 * "error:<code>"; a block one side lacks, as NULL.
 */
#ifndef CEV_DIFF_H
#define CEV_DIFF_H

#include "audit/redecide.h"

/* One decision that would change: "title" or a block code. */
typedef struct cev_diff_change {
    const char *what, *before, *after; /* before or after NULL: no such block */
} cev_diff_change;

typedef struct cev_diff_transition {
    char *what, *before, *after; /* "-" for a block one side lacks */
    long count;
} cev_diff_transition;

/* Caller-owned; cev_diff_report_close() frees the transitions. */
typedef struct cev_diff_report {
    long entries, changed;
    cev_diff_transition *trans; /* the title's first, then the blocks' by code,
                                 * each by before then after (byte order) */
    size_t ntrans;
} cev_diff_report;

/* Told on the committer thread, in log order; members may be NULL. */
typedef struct cev_diff_hooks {
    void *ctx;
    /* a record whose decisions would change: the title's change first, then
     * the blocks' in the logged record's order, then blocks only new has */
    void (*changed)(void *ctx, const cev_redecided *r, const char *candidate,
                    const cev_diff_change *changes, size_t n);
    void (*progress)(void *ctx, long entries, long changed);
} cev_diff_hooks;

/* Decides the store `dir` again with the packages of `rules_dir`.  CEV_OK
 * with `rep` filled; else a negative code and `err` (rep is still to be
 * closed). */
int cev_diff(const char *dir, const char *plugins_dir, const char *rules_dir, unsigned threads,
             const cev_diff_hooks *hooks, cev_diff_report *rep, cev_error *err);
void cev_diff_report_close(cev_diff_report *rep);

#endif
