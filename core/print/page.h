/*
 * page.h - the frame of a printed document: one self-contained HTML file
 * (no script, no external file, the system's fonts), French, laid out for
 * A4 paper; on a screen, an A4-wide column.
 */
#ifndef CEV_PRINT_PAGE_H
#define CEV_PRINT_PAGE_H

#include "print/html.h"

/* <!DOCTYPE html> ... <body>, the document's <title> being `what` (the
 * program's own words) then `name` (escaped); `css` (the program's own, or
 * NULL) is added to the style sheet. */
void pr_page_open(pr_out *o, const char *what, const char *name, const char *css);
void pr_page_close(pr_out *o);

#endif
