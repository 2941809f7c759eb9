/*
 * pipeline.h - the engine (what every worker shares, read-only) and a worker
 * (what one thread owns) running the four steps on one line:
 *
 *   record.c  read the record        -> E_JSON, E_SCHEMA
 *   catalog.c choose the package     -> E_TITLE
 *   score.c   score each assessment  -> E_EVIDENCE, E_PLUGIN
 *   rules.c   decide blocks, title   -> E_JURY, E_RULE, E_RULE_BUDGET, ...
 *   writer.c  write the decision     (or the error record in its place)
 *
 * Caller-owned structs: cev_engine_open()/cev_engine_close(),
 * cev_worker_init()/cev_worker_close().  A worker compiles a package's rules
 * the first time one of its records comes, and reuses every buffer, result
 * and Lua state afterwards.
 */
#ifndef CEV_PIPELINE_H
#define CEV_PIPELINE_H

#include "base/buf.h"
#include "base/json_write.h"
#include "decide/decision.h"
#include "decide/record.h"
#include "decide/rules.h"
#include "package/catalog.h"
#include "plugin/registry.h"

typedef struct cev_engine {
    cev_registry reg;
    cev_catalog cat;
    int allow_draft;
    int track_lines; /* workers record the rules lines that run (coverage) */
} cev_engine;

/* Opens the plugins, then the packages of rules_dir (or the single package
 * folder package_dir when rules_dir is NULL), then compiles each package's
 * rules once so that a bad rules.lua stops the run before any record. */
cev_code cev_engine_open(cev_engine *e, const char *plugins_dir, const char *rules_dir,
                    int allow_draft, cev_error *err);
cev_code cev_engine_open_package(cev_engine *e, const char *plugins_dir, const char *package_dir,
                            int allow_draft, cev_error *err);
/* Opens the packages of the listed folders (a stored catalog, for replay). */
cev_code cev_engine_open_dirs(cev_engine *e, const char *plugins_dir, char *const *dirs, size_t n,
                         int allow_draft, cev_error *err);
void cev_engine_close(cev_engine *e);
/* (cev_engine_load() and cev_engine_unload(), the public handle's, wrap
 * these.) */

typedef struct cev_worker_slot {
    int ready;
    cev_rules rules;
    cev_result *results; /* [pkg->nassess] */
    cev_decision decision;
} cev_worker_slot;

typedef struct cev_worker {
    const cev_engine *eng;
    cev_worker_slot *slots; /* one per catalog package */
    cev_record rec;
    const cev_package *pkg; /* the last line's package, or NULL */
    int allow_draft;        /* the engine's, unless a replay sets the logged one */
    int undecided;          /* the last line's error record stands for a line the
                             * machine could not decide (out of memory, a file) */
    cev_numcache *numbers;  /* formatted numbers, this worker's */
} cev_worker;

cev_code cev_worker_init(cev_worker *w, const cev_engine *eng);
void cev_worker_close(cev_worker *w);

/* Decides one line (without its terminator) and appends one output record
 * to `out`.  Returns CEV_OK when a decision was written, the record's error
 * code when an error record was written (err filled too), CEV_ENOMEM when
 * nothing could be written.  A line the machine could not decide (out of
 * memory, an unreadable file) still gets an error record, E_RULE "cannot
 * decide this record: ...", and w->undecided is set: a caller that
 * compares decisions (test, replay, diff) must not take it for one.  After
 * the call w->rec.candidate names the candidate if it could be read (valid
 * until the next call). */
cev_code cev_worker_eval(cev_worker *w, const char *line, size_t len, long lineno, cev_buf *out,
                    cev_error *err);

#endif
