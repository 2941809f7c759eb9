/*
 * pv.h - the procès-verbal's parts (pv.c), shared with its statistics
 * (pv_stats.c) and the attestations (block names).
 */
#ifndef CEV_PRINT_PV_H
#define CEV_PRINT_PV_H

#include "print/doc.h"
#include "print/html.h"

/* One line of a title's table: a candidate of candidats.csv (csv < the
 * number of candidates) or one decided but absent from it; `e` its current
 * entry (an error record for a candidate not decided), or NULL when the
 * store holds none. */
typedef struct pr_row {
    size_t csv;
    const pr_entry *e;
} pr_row;

/* A title version decided in the session (one stored package). */
typedef struct pr_section {
    const cJSON *title; /* the stored title.json */
    int draft;          /* decided with --allow-draft */
    pr_row *rows;
    size_t nrows;
    unsigned long decided, undecided;
} pr_section;

typedef struct pv {
    const pr_doc *doc;
    pr_section *sections; /* in order of their first candidate */
    size_t nsections;
} pv;

/* A block's code without its title's code in front ("BC01" for
 * "RNCP36524BC01"), when it starts so and something is left. */
const char *pr_block_short(const char *block, const char *title_code);
/* The name of block `code` in a title.json, or "". */
const char *pr_block_name(const cJSON *title, const char *code);

/* The jury, then the signature block (pv_jury.c). */
void pr_pv_jury(pr_out *o, const pv *p);
void pr_pv_signatures(pr_out *o, const pv *p);

/* The statistics of one section (pv_stats.c). */
void pr_pv_stats(pr_out *o, const pv *p, const pr_section *s);

#endif
