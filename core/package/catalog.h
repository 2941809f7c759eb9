/*
 * catalog.h - the title packages of a rules folder, and the choice of the
 * package in force for a record (docs/formats.md).
 *
 * Every sub-folder holding a title.json is a package; sub-folders are read in
 * name order, so the catalog is the same on every machine.  For a record of
 * title T on day D the package in force is the one of code T whose
 * [valid_from, valid_until] holds D.  Past valid_until, within
 * completion_grace_days, a package still applies to a candidate who holds one
 * of its blocks, directly or through one of its equivalences (to complete
 * the title).  When such a candidate could also be decided with the version
 * now in force, the record's evidence chooses: the ended version when every
 * evidence key is one of its assessments (no evidence at all included: a
 * completion by capitalisation), the version in force otherwise.  A draft
 * package applies only when the caller allows drafts.
 */
#ifndef CEV_CATALOG_H
#define CEV_CATALOG_H

#include "package/package.h"

#include <cjson/cJSON.h>

typedef struct cev_catalog {
    cev_package **pkgs; /* owned */
    size_t count;
} cev_catalog;

/* A block the candidate already holds, for the completion grace. */
typedef struct cev_held {
    const char *block;
    const char *date; /* as written, "YYYY-MM-DD" */
    int32_t day;
} cev_held;

/* Loads every package; the first refused one fails the whole catalog, and so
 * do two versions of one title whose validity periods overlap. */
cev_code cev_catalog_open(cev_catalog *c, const char *rules_dir, const cev_registry *reg,
                     cev_error *err);
/* A catalog of one package folder (for `check`, `test`). */
cev_code cev_catalog_open_one(cev_catalog *c, const char *package_dir, const cev_registry *reg,
                         cev_error *err);
void cev_catalog_close(cev_catalog *c);

/* Adds a loaded package (the catalog takes it). */
cev_code cev_catalog_add(cev_catalog *c, cev_package *p);

/* CEV_EPACKAGE when two packages of one title code have overlapping
 * [valid_from, valid_until] periods (a missing bound is open); err names
 * both folders and the days they share. */
cev_code cev_catalog_check_overlaps(const cev_catalog *c, cev_error *err);

/* CEV_OK and *out, or CEV_ETITLE with the reason in err.  `evidence` is the
 * record's evidence object (may be NULL). */
cev_code cev_catalog_select(const cev_catalog *c, const char *code, int32_t day,
                       const cev_held *held, size_t nheld, const cJSON *evidence,
                       int allow_draft, const cev_package **out, cev_error *err);

/* The packages of `code` that may decide a record on `day`: those in force
 * and those within their completion grace (cev_catalog_select() picks one
 * of them per record), drafts only when allowed, in catalog order.  Fills
 * at most `cap` of them into `out` and returns how many there are. */
size_t cev_catalog_versions_on(const cev_catalog *c, const char *code, int32_t day,
                               int allow_draft, const cev_package **out, size_t cap);

#endif
