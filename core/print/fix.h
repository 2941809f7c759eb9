/*
 * fix.h - what a jury secretary should correct when a candidate's record
 * could not be decided: the error record's code and message (English, the
 * engine's) turned into plain French guidance.
 */
#ifndef CEV_PRINT_FIX_H
#define CEV_PRINT_FIX_H

/* The French guidance for an error record's code ("E_JURY", ...) and
 * message: a static sentence, never NULL. */
const char *pr_fix(const char *code, const char *message);

#endif
