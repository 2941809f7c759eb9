/*
 * rules.h - step 3 of the pipeline: decide blocks and title with the
 * package's rules.lua, run in a sandbox (sandbox.h).
 *
 * The engine calls one global function, decide(c), with the candidate table
 * described in docs/rules-guide.md; it returns
 *     { decision = <title decision>,
 *       reasons = { <string>... } or nil (the title's own reasons),
 *       blocks = { { code, decision, proposed, overridden, source, reasons,
 *                    competencies = { { code, score, acquired, reasons } } } } }
 * with one block per block of the title, in title.json order, and one
 * competency per competency of the block, in order.  Anything else is E_RULE
 * ("returned a malformed result", naming the field).
 *
 * A cev_rules is one compiled rules state: one per package per worker
 * thread, never shared.  Caller-owned: cev_rules_open() / cev_rules_close().
 */
#ifndef CEV_RULES_H
#define CEV_RULES_H

#include "decide/decision.h"
#include "decide/record.h"
#include "package/package.h"
#include "plugin/result.h"
#include "sandbox/sandbox.h"

typedef struct cev_rules {
    cev_sandbox sb;
    const cev_package *pkg;
    int strings;   /* registry ref: the key names and the package's codes and
                      labels, pushed by index instead of re-created per record,
                      and the package's own tables (read-only, shared by every
                      call) */
    int k_tables;  /* index of c.title; c.equivalences at +1,
                      c.equivalences_before at +2, each block's competencies
                      at +3 + b */
    int *k_block;  /* [nblocks]: index of the block's code (name at +1) */
    int *k_comp;   /* [nall_comps]: index of the competency's code (label at +1) */
    int *k_assess; /* [nassess]: index of the assessment's id (modality +1, label +2) */
} cev_rules;

/* Compiles the package's rules.  A rules file that does not load, or does
 * not define decide(), gives CEV_EPACKAGE with "file:line".  With
 * `track_lines`, r->sb.lines records the lines that run (for coverage). */
cev_code cev_rules_open(cev_rules *r, const cev_package *pkg, int track_lines, cev_error *err);
void cev_rules_close(cev_rules *r);

/* Compiles the package's rules once and closes them: CEV_OK or the error of
 * cev_rules_open(). */
cev_code cev_rules_check(const cev_package *pkg, cev_error *err);

/* Runs decide() for one record whose assessments were scored into
 * results[pkg->nassess]; fills `out` (reset first). */
cev_code cev_rules_decide(cev_rules *r, const cev_record *rec, const cev_result *results,
                     cev_decision *out, cev_error *err);

/* The entry point the engine calls. */
#define CEV_RULES_ENTRY "decide"

#endif
