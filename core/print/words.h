/*
 * words.h - the French words of the printed documents: each maps a code of
 * the decision records (formats.md) to its words, or returns the code
 * itself when it has none.  Returned strings are static or the argument.
 */
#ifndef CEV_PRINT_WORDS_H
#define CEV_PRINT_WORDS_H

#include <cjson/cJSON.h>

/* "validé", "non validé", "absent", "non présenté". */
const char *pr_fr_block(const char *decision);
/* "Titre obtenu", "Titre partiellement obtenu", "Titre non obtenu". */
const char *pr_fr_title(const char *decision);
/* The same in a table under the heading "Titre": "Obtenu", "Partiellement
 * obtenu", "Non obtenu". */
const char *pr_fr_title_short(const char *decision);
/* "évalué à cette session", "capitalisé", "par équivalence". */
const char *pr_fr_source(const char *source);
/* "professionnel du métier", "formateur". */
const char *pr_fr_profile(const char *profile);
/* "titre", "CCP" (a session's type). */
const char *pr_fr_session_type(const char *type);

/* "14 mars 2024" for "2024-03-14", into buf (at least 32 bytes); the text
 * itself when it is not an ISO date. */
const char *pr_fr_date(char *buf, const char *iso);

/* obj[key] when it is a string, else "" (never NULL). */
const char *pr_str(const cJSON *obj, const char *key);

/* The singular word for n <= 1, else the plural (French: 0 is singular). */
const char *pr_plural(unsigned long n, const char *one, const char *many);

#endif
