/*
 * grid.h - what the session folder's assessment files hold for a title
 * package: one file per assessment ("<assessment id>.csv"), with the
 * columns its modality needs, read from title.json's configs.
 *
 *   situation, oral, dossier  a panel: one row per candidate x assessor
 *                             (evaluateur), one column per criterion id
 *                             (0 to the scale's max), dossier remis_le and
 *                             pages, oral minutes;
 *   field                     one row per candidate: tuteur, one column per
 *                             competency code (0 to scale_max, empty = not
 *                             observed);
 *   quiz                      one row per candidate: one column per question
 *                             id (the letters answered).
 * A modality the folder does not know (a sixth plugin) has no file.
 *
 * Ownership: cev_grid_load() fills a caller-owned cev_grid; every string
 * points into its parsed title.json; cev_grid_close() frees it all.
 */
#ifndef CEV_RUN_GRID_H
#define CEV_RUN_GRID_H

#include "base/error.h"

#include <cjson/cJSON.h>
#include <stddef.h>

typedef enum cev_sheet_kind {
    CEV_SHEET_PANEL,
    CEV_SHEET_FIELD,
    CEV_SHEET_QUIZ,
    CEV_SHEET_NONE /* a modality the folder does not know */
} cev_sheet_kind;

typedef struct cev_sheet_item {
    const char *id;         /* criterion id, competency code or question id */
    const char *label;      /* may be NULL */
    const char *competency; /* the competency it scores (field: id itself) */
    double max;             /* the highest score (quiz: unused) */
    int several;            /* quiz: the answer is a set of letters */
} cev_sheet_item;

typedef struct cev_sheet {
    const char *id, *modality, *label;
    const char *block;      /* the block's code; NULL at title level */
    cev_sheet_kind kind;
    int dossier, oral;      /* panel kinds with their extra columns */
    cev_sheet_item *items;
    size_t nitems;
    size_t min_assessors;   /* panel, not dossier: config's min_assessors (default 1) */
} cev_sheet;

typedef struct cev_grid {
    cJSON *title;           /* the parsed title.json (owned) */
    cev_sheet *sheets;      /* block assessments in block order, then title level */
    size_t nsheets;
    int has_dossier;        /* a dossier assessment: calendrier.csv is part of the folder */
} cev_grid;

/* Parses `title_file` (of a package that loaded: its configs are valid).
 * CEV_OK; CEV_EPACKAGE when an assessment id cannot name a file of the
 * folder (not an identifier, starting with '.', or "session", "jury"...);
 * CEV_EIO, CEV_EJSON or CEV_ENOMEM with err.  The grid is the caller's to
 * close, also after a failure. */
cev_code cev_grid_load(cev_grid *g, const char *title_file, cev_error *err);
void cev_grid_close(cev_grid *g);

/* The sheet of an assessment id, or NULL. */
const cev_sheet *cev_grid_sheet(const cev_grid *g, const char *id);
/* The block of title.json with that code, or NULL. */
const cJSON *cev_grid_block(const cev_grid *g, const char *code);
/* The label of a competency code in title.json, or NULL. */
const char *cev_grid_competency_label(const cev_grid *g, const char *code);

/* The columns of the assessment file of s, in the order template writes
 * them and import expects them: a NULL-ended array that the caller frees
 * (its strings are static or the grid's), or NULL when out of memory. */
const char **cev_sheet_columns(const cev_sheet *s);

#endif
