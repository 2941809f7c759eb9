/*
 * import.h - what the parts of `import` share (import.c: the command, the
 * folder's own files, the grouping of rows; import_sheet.c: the assessment
 * files, row by row, for each modality; import_versions.c: the title version
 * of each candidate; import_write.c: the records).  Internal to core/run.
 *
 * Ownership: the importer owns every table, group, view and grid it holds;
 * importer_close() in import.c frees them all.
 */
#ifndef CEV_RUN_IMPORT_H
#define CEV_RUN_IMPORT_H

#include "base/buf.h"
#include "base/json_write.h"
#include "decide/pipeline.h"
#include "folder/folder.h"
#include "folder/table.h"
#include "package/catalog.h"
#include "run/grid.h"

#include <stddef.h>
#include <stdint.h>

/* A candidate's status in an assessment file. */
enum { ST_PRESENT, ST_ABSENT, ST_EXCUSED, ST_MISSING, ST_BAD };

/* Rows of a table grouped by candidate: the rows of candidate k are
 * order[start[k] .. start[k + 1]), in file order; rows of unknown
 * candidates are in no group. */
typedef struct groups {
    size_t *cand;  /* per row: candidate index, or SIZE_MAX */
    size_t *start; /* ncand + 1 */
    size_t *order;
} groups;

/* An assessment file as the candidates of one title version read it: that
 * version's sheet for the file's assessment id (NULL when it has none) and
 * the column of each of its items. */
typedef struct view {
    const cev_sheet *sheet;
    long *c_item;        /* per item of sheet: its column, -1 when the file lacks it */
    const char *missing; /* the first item the file lacks, or NULL */
    int differs;         /* another modality than the file's sheet (other columns) */
} view;

/* One assessment file. */
typedef struct sheet_data {
    const cev_sheet *sheet; /* the file's: the main version's, else the latest that has it */
    cev_table *t;
    long c_cand, c_eval, c_status, c_tutor, c_date, c_pages, c_minutes;
    view *views;            /* one per version (importer.vers) */
    unsigned char *item;    /* per column of t: an item of the assessment in some version */
    groups g;
} sheet_data;

typedef struct importer {
    const cev_folder *f;
    const cev_folder_candidate *cand;
    size_t ncand;
    const cev_folder_member *jury;
    size_t njury;
    const cev_package **vers; /* the versions that may decide a record on the session day */
    cev_grid *grids;          /* one per version */
    size_t nvers, main;       /* main: the version whose files the folder holds */
    size_t *cver;             /* per candidate: its version, SIZE_MAX when none (told) */
    sheet_data *sd;
    size_t nsd;
    cev_table *delib, *cal;
    groups dg;
    cev_errlist *problems;
    cev_error *err;
    int problem, nomem;
    cev_code fatal; /* with nomem: an error other than memory, told in err */
} importer;

/* ---- import.c ---- */

/* Adds the problem "file:row:column: message" for data row `row` of t. */
void imp_say(importer *im, const cev_table *t, size_t row, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static inline char *cellp(const cev_table *t, size_t row, long col)
{
    return col < 0 ? NULL : t->cells[row * t->ncols + (size_t)col];
}

static inline const char *cell(const cev_table *t, size_t row, long col)
{
    return cev_table_cell(t, row, col);
}

/* The ST_ of a statut cell (dossier: "non remis" is known). */
int imp_parse_status(const char *s, int dossier);
/* "validated", "not_validated", or NULL for a décision cell. */
const char *imp_parse_decision(const char *s);
/* Groups the rows of t by the candidate of column c_cand (an unknown one
 * told); 0 when out of memory (im->nomem set). */
int imp_group(importer *im, groups *g, const cev_table *t, long c_cand);
void imp_groups_close(groups *g);

/* ---- import_sheet.c ---- */

/* Reads one assessment file, checks its columns and groups its rows. */
void imp_read_sheet(importer *im, sheet_data *d);
/* Checks the rows of a file that imp_read_sheet grouped, once each
 * candidate's version is known. */
void imp_check_sheet(importer *im, sheet_data *d);

/* ---- import_versions.c ---- */

/* The versions that may decide a record on `day`, their grids, the main one
 * (none: told). */
void imp_open_versions(importer *im, const cev_engine *eng, int32_t day);
/* im->cver: each candidate's version, as eval chooses it. */
void imp_choose_versions(importer *im, const cev_engine *eng, int32_t day);
/* The assessment files of the title's other versions (none of which may
 * decide on the session day) found in the folder: each a problem. */
void imp_other_versions_files(importer *im, const cev_engine *eng);
/* Whether some version has assessment `id` as a dossier. */
int imp_dossier_of_some_version(const importer *im, const char *id);

/* ---- import_write.c ---- */

/* Writes the record of candidate k (the first pass found no problem). */
void imp_write_record(importer *im, cev_jw *w, size_t k);

#endif
