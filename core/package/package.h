/*
 * package.h - one title package: the référentiel of one version of one title
 * (title.json), its decision rules (the Lua source, compiled by rules.c), and
 * the plugin states built from each assessment's config.
 *
 * cev_package_load() validates everything a certifier can get wrong in
 * title.json (unknown or missing fields, duplicate codes, dates, routes,
 * equivalences, a modality no plugin provides, a config the plugin refuses,
 * a competency no assessment of its block scores) and refuses the package
 * with the file and the field named (CEV_EPACKAGE).  A loaded package is
 * immutable and may be shared by every worker thread.
 *
 * Ownership: the package owns every string and array below and the plugin
 * states; the plugins themselves belong to the registry, which must outlive
 * the package.
 */
#ifndef CEV_PACKAGE_H
#define CEV_PACKAGE_H

#include "base/error.h"
#include "base/sha256.h"
#include "plugin/registry.h"
#include "plugin/result.h"

#include <stddef.h>
#include <stdint.h>

/* Access routes (docs/formats.md), as bits of cev_package.routes. */
enum {
    CEV_ROUTE_COUNT = 6
};
extern const char *const cev_route_names[CEV_ROUTE_COUNT];
int cev_route_parse(const char *name); /* index, or -1 */

/* The kinds of session a title may declare (title.json "session_types",
 * a record's "session.type"): a TP's session titre and session CCP. */
enum { CEV_SESSION_TITRE = 0, CEV_SESSION_CCP = 1, CEV_SESSION_TYPE_COUNT = 2 };
extern const char *const cev_session_type_names[CEV_SESSION_TYPE_COUNT];
int cev_session_type_parse(const char *name); /* index, or -1 */

typedef struct cev_assessment {
    char *id;
    char *modality;
    char *label;
    long block;                  /* index in blocks, -1 for title level */
    const cev_plugin_ref *plugin;
    void *state;                 /* the plugin's configured state */
    int configured;              /* configure() succeeded: release() is owed */
    const cev_scope *scope;      /* what it may score: its block's, or all */
    unsigned char *declared;     /* [scope->ncomps]: competencies its config scores */
} cev_assessment;

typedef struct cev_block {
    char *code;
    char *name;
    cev_competency *comps;
    size_t ncomps;
    cev_scope scope; /* over comps */
    size_t first;   /* its assessments: assess[first .. first + nassess) */
    size_t nassess;
} cev_block;

typedef struct cev_equivalence {
    char *from;   /* a block of another certification */
    size_t block; /* the block of this title it counts as */
    int has_before;
    int32_t before; /* when has_before: it counts only if acquired before this day */
} cev_equivalence;

typedef struct cev_limits {
    long instructions; /* per rule call */
    long memory_bytes; /* per Lua state */
} cev_limits;

#define CEV_DEFAULT_INSTRUCTIONS 2000000L
#define CEV_MAX_INSTRUCTIONS 200000000L
#define CEV_DEFAULT_MEMORY (16L << 20)
#define CEV_MAX_MEMORY (256L << 20)

typedef struct cev_package {
    char *dir;   /* the folder, as given */
    char *name;  /* its last component: provenance "path" */
    char *title_file; /* dir/title.json */
    char *rules_file; /* dir/<rules> */
    char *code;
    char *title_name;
    char *level;
    char *certifier;
    char *version;
    int draft;
    int has_from, has_until;
    int32_t valid_from, valid_until; /* day numbers, inclusive */
    long grace_days;
    /* valid_until + completion_grace_days, "YYYY-MM-DD": the last day a
     * block validated under this version completes the title; "" unless
     * title.json gives both */
    char usable_until[11];
    unsigned routes; /* bit i: cev_route_names[i] allowed */
    unsigned session_types; /* bit i: cev_session_type_names[i]; 0: none declared */
    char **replaces;
    size_t nreplaces;
    cev_equivalence *equivs;
    size_t nequivs;
    cev_block *blocks;
    size_t nblocks;
    cev_assessment *assess; /* block assessments in block order, then title level */
    size_t nassess;
    size_t ntitle_assess;    /* the last ones */
    cev_competency *all_comps; /* every competency, block by block (borrowed copies) */
    size_t nall_comps;
    cev_scope all_scope; /* over all_comps: title-level assessments' */
    cev_limits limits;
    char *rules_src;
    size_t rules_len;
    const cev_plugin_ref **plugins; /* distinct plugins used, sorted by name */
    size_t nplugins;
    char sha256[CEV_SHA256_HEX];
} cev_package;

/* Loads dir/title.json and its rules file.  On failure returns CEV_EPACKAGE
 * (or CEV_EIO/CEV_ENOMEM) with err naming the file and field; *out NULL. */
cev_code cev_package_load(const char *dir, const cev_registry *reg, cev_package **out,
                     cev_error *err);
/* As cev_package_load, for `check`: every problem is added to `all` (the
 * first is also in err), and loading goes on with the next part of
 * title.json (the next block, assessment, equivalence...) instead of
 * stopping.  Parts whose problems could be consequences of an earlier one
 * are skipped: a block's competencies none of its assessments scores after
 * one of them failed; the title-level assessments and the equivalences after
 * a block failed.  The rules file is read when the header and the limits
 * loaded.
 *
 * When problems were found, returns CEV_EPACKAGE and still sets *out to the
 * package, which holds only the parts that loaded: for checking its rules,
 * never for deciding.  Free it with cev_package_free. */
cev_code cev_package_lint(const char *dir, const cev_registry *reg, cev_errlist *all,
                     cev_package **out, cev_error *err);
void cev_package_free(cev_package *p);

/* Index of a block / assessment by code / id, or -1. */
long cev_package_block(const cev_package *p, const char *code);
long cev_package_assessment(const cev_package *p, const char *id);
/* The block a foreign (replaced) block code is equivalent to, or -1. */
long cev_package_equivalent(const cev_package *p, const char *code);
/* The same for a block acquired on `day`: -1 also when the equivalence
 * holds only for a block acquired before a date that `day` is not before. */
long cev_package_equivalent_on(const cev_package *p, const char *code, int32_t day);

#endif
