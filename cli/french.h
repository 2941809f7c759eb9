/*
 * french.h - the words of the documents certeval writes for people (explain,
 * minutes): French, the language of the certifiers, juries and auditors.
 *
 * Each function maps a code of the decision records (docs/formats.md) to its
 * words, or returns the code itself when it has none (a status a sixth
 * modality invented, say).  Returned strings are static or the argument.
 */
#ifndef CEV_CLI_FRENCH_H
#define CEV_CLI_FRENCH_H

#include <cjson/cJSON.h>

/* "validé", "non validé", "absent (une épreuve manquée)", ... */
const char *cli_fr_block(const char *decision);
/* The same, short, for a table: "validé", "non validé", "absent", "non présenté". */
const char *cli_fr_block_short(const char *decision);
/* "titre obtenu", "titre partiellement obtenu", "titre non obtenu". */
const char *cli_fr_title(const char *decision);
const char *cli_fr_status(const char *status);
const char *cli_fr_modality(const char *modality);
/* A jury member's profile: "professionnel du métier", "formateur". */
const char *cli_fr_profile(const char *profile);

/* "0,75": two decimals and a decimal comma, into buf (at least 32 bytes). */
const char *cli_fr_score(char *buf, double v);

/* obj[key] when it is a string, else "" (never NULL). */
const char *cli_str(const cJSON *obj, const char *key);

#endif
