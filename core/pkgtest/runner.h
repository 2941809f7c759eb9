/*
 * runner.h - runs a title package's own cases (PACKAGE/tests/ *.json, one
 * case per file, in path order) and measures which lines of its rules.lua
 * they ran:
 *
 *   {"description": "...",            optional
 *    "record": {...} | "raw line",    the candidate record (a string is fed as is)
 *    "expect": {...}}                 the decision or error record expected,
 *                                     possibly only the fields the case is about
 *
 * Matching rules: expect.h.  A case whose record the machine could not
 * decide (out of memory) is no verdict: the run stops with CEV_ENOMEM.
 */
#ifndef CEV_RUNNER_H
#define CEV_RUNNER_H

#include "base/error.h"

#include <stddef.h>

/* One case's outcome, valid during the hook's call. */
typedef struct cev_case_result {
    const char *file;        /* relative to tests/ */
    const char *description; /* or NULL */
    int passed;
    const char *unusable; /* a failed case that could not be run: why; else NULL */
    const char *diff;     /* a failed case: its mismatches, a line each */
    const char *got;      /* the record the case gave, with its '\n' */
} cev_case_result;

typedef struct cev_pkgtest_hooks {
    void *ctx;
    void (*on_case)(void *ctx, const cev_case_result *r);
} cev_pkgtest_hooks;

/* Caller-owned; cev_pkgtest_report_close() frees it. */
typedef struct cev_pkgtest_report {
    size_t cases, passed, failed;
    char *rules_file; /* the package's rules.lua */
    /* coverage, when measured: line i (1-based, < nlines) of rules.lua can
     * execute (executable[i]) and ran in some case (ran[i]) */
    int measured;
    char unmeasured[CEV_MESSAGE_MAX]; /* why not, when not */
    size_t nlines, executable_lines, covered_lines;
    unsigned char *executable, *ran;
} cev_pkgtest_report;

/* Runs the cases of the package folder `pkgdir` with the plugins of
 * `plugins_dir` (draft packages allowed).  CEV_OK with `rep` filled (cases
 * may have failed); else a negative code with `err`: the package did not
 * load (CEV_EPACKAGE, CEV_EABI, CEV_EIO), or the machine failed
 * (CEV_ENOMEM). */
int cev_pkgtest_run(const char *plugins_dir, const char *pkgdir, const cev_pkgtest_hooks *hooks,
                    cev_pkgtest_report *rep, cev_error *err);
void cev_pkgtest_report_close(cev_pkgtest_report *rep);

#endif
