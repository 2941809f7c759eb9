/*
 * chart.h - the PV's statistics drawn as inline SVG: no script, no external
 * file, text in the document's own fonts; every label goes through the HTML
 * escaper.  Charts read in black and white too: each bar carries its count
 * as text, and series differ by their shade.
 *
 * Functions append to a cev_buf: CEV_OK or CEV_ENOMEM.
 */
#ifndef CEV_PRINT_CHART_H
#define CEV_PRINT_CHART_H

#include "certeval/certeval.h"

#include <stddef.h>

#define PR_CHART_SERIES 4

/* One row of a stacked bar chart: a label and up to PR_CHART_SERIES counts. */
typedef struct pr_bar {
    const char *label;
    unsigned long counts[PR_CHART_SERIES];
} pr_bar;

/* Horizontal stacked bars, one per row, all scaled to the largest total;
 * `names` names the nseries series (the legend). */
cev_code pr_chart_stacked(cev_buf *b, const char *caption, const pr_bar *rows, size_t nrows,
                          const char *const *names, size_t nseries);

/* Vertical bars (a histogram): nbins counts under their labels. */
cev_code pr_chart_columns(cev_buf *b, const char *caption, const unsigned long *counts,
                          const char *const *labels, size_t nbins);

#endif
