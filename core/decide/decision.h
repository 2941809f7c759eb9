/*
 * decision.h - what the rules decided for one record, in C: the interface
 * between step 3 (rules.c fills it from decide()'s result) and step 4
 * (writer.c prints it).
 *
 * Caller-owned, shaped once for a package (cev_decision_init) and reused for
 * each record of that package (cev_decision_reset): reason strings live in
 * `text`, NUL-separated, each item pointing at its first one.
 */
#ifndef CEV_DECISION_H
#define CEV_DECISION_H

#include "base/buf.h"
#include "package/package.h"

#include <stddef.h>

typedef enum { CEV_TITLE_AWARDED, CEV_TITLE_PARTIAL, CEV_TITLE_NOT_AWARDED } cev_title_decision;
typedef enum {
    CEV_BLOCK_VALIDATED,
    CEV_BLOCK_NOT_VALIDATED,
    CEV_BLOCK_ABSENT,
    CEV_BLOCK_NOT_PRESENTED
} cev_block_decision_kind;
typedef enum { CEV_SOURCE_EVALUATED, CEV_SOURCE_CAPITALISED, CEV_SOURCE_EQUIVALENCE } cev_source;

extern const char *const cev_title_decision_names[];  /* NULL-terminated */
extern const char *const cev_block_decision_names[];
extern const char *const cev_source_names[];
/* Index of `s` in a NULL-terminated name list, or -1. */
int cev_decision_name_index(const char *const *names, const char *s);

/* What rules may give as reasons (more is a malformed result): bounds on
 * what one record writes, which the rules' memory cap does not give (one
 * long string can be listed many times). */
#define CEV_REASON_MAX_BYTES 4095          /* one reason */
#define CEV_REASONS_MAX 256                /* reasons in one list */
#define CEV_REASONS_MAX_BYTES (256u << 10) /* all reasons of one decision */

typedef struct cev_reasons {
    size_t first; /* offset in cev_decision.text */
    size_t count;
} cev_reasons;

typedef struct cev_comp_decision {
    int has_score;
    double score;
    int acquired;
    cev_reasons reasons;
} cev_comp_decision;

typedef struct cev_block_decision {
    int decision; /* cev_block_decision_kind */
    int proposed;
    int overridden;
    int source; /* cev_source */
    cev_reasons reasons;
    cev_comp_decision *comps; /* [block ncomps], into cev_decision.comp_store */
} cev_block_decision;

typedef struct cev_decision {
    const cev_package *pkg;
    int title;           /* cev_title_decision */
    cev_reasons reasons; /* the title's own (none unless the rules give some) */
    cev_block_decision *blocks; /* [pkg->nblocks] */
    cev_comp_decision *comp_store;
    cev_buf text;
} cev_decision;

cev_code cev_decision_init(cev_decision *d, const cev_package *pkg);
void cev_decision_reset(cev_decision *d);
void cev_decision_close(cev_decision *d);

/* Appends a reason to the item whose reasons were started last. */
cev_code cev_decision_add_reason(cev_decision *d, cev_reasons *r, const char *s, size_t len);
/* The reason of r after `prev` (the first when prev is NULL); call it at
 * most r->count times. */
const char *cev_decision_next_reason(const cev_decision *d, const cev_reasons *r,
                                     const char *prev);

#endif
