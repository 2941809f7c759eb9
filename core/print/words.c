/* words.c - the French words of every document certeval writes for people
 * (certeval.h: cev_fr_*).  One table per kind of code; a code not in its
 * table is said as it is. */
#include "base/date.h"
#include "certeval/certeval.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *lookup(const char *const (*table)[2], const char *key)
{
    for (size_t i = 0; table[i][0]; i++)
        if (strcmp(table[i][0], key) == 0)
            return table[i][1];
    return key;
}

static const char *const block_words[][2] = {{"validated", "validé"},
                                             {"not_validated", "non validé"},
                                             {"absent", "absent"},
                                             {"not_presented", "non présenté"},
                                             {NULL, NULL}};
static const char *const block_long[][2] = {{"validated", "validé"},
                                            {"not_validated", "non validé"},
                                            {"absent", "absent (une épreuve manquée)"},
                                            {"not_presented", "non présenté à cette session"},
                                            {NULL, NULL}};
static const char *const title_words[][2] = {{"awarded", "Titre obtenu"},
                                             {"partial", "Titre partiellement obtenu"},
                                             {"not_awarded", "Titre non obtenu"},
                                             {NULL, NULL}};
static const char *const title_lower[][2] = {{"awarded", "titre obtenu"},
                                             {"partial", "titre partiellement obtenu"},
                                             {"not_awarded", "titre non obtenu"},
                                             {NULL, NULL}};
static const char *const title_short[][2] = {{"awarded", "Obtenu"},
                                             {"partial", "Partiellement obtenu"},
                                             {"not_awarded", "Non obtenu"},
                                             {NULL, NULL}};
static const char *const source_words[][2] = {{"evaluated", "évalué à cette session"},
                                              {"capitalised", "capitalisé"},
                                              {"equivalence", "par équivalence"},
                                              {NULL, NULL}};
static const char *const status_words[][2] = {{"present", "présent"},
                                              {"absent", "absent"},
                                              {"excused", "excusé"},
                                              {"inadmissible", "irrecevable"},
                                              {NULL, NULL}};
static const char *const modality_words[][2] = {
    {"situation", "mise en situation professionnelle"},
    {"oral", "épreuve orale"},
    {"dossier", "dossier écrit"},
    {"field", "évaluation de terrain"},
    {"quiz", "questionnaire"},
    {NULL, NULL}};
static const char *const profile_words[][2] = {{"professional", "professionnel du métier"},
                                               {"trainer", "formateur"},
                                               {NULL, NULL}};
static const char *const type_words[][2] = {{"titre", "session titre"},
                                            {"ccp", "session CCP"},
                                            {NULL, NULL}};

const char *cev_fr_block(const char *decision) { return lookup(block_words, decision); }
const char *cev_fr_block_long(const char *decision) { return lookup(block_long, decision); }
const char *cev_fr_title(const char *decision) { return lookup(title_words, decision); }
const char *cev_fr_title_lower(const char *decision) { return lookup(title_lower, decision); }
const char *cev_fr_title_short(const char *decision) { return lookup(title_short, decision); }
const char *cev_fr_source(const char *source) { return lookup(source_words, source); }
const char *cev_fr_status(const char *status) { return lookup(status_words, status); }
const char *cev_fr_modality(const char *modality) { return lookup(modality_words, modality); }
const char *cev_fr_profile(const char *profile) { return lookup(profile_words, profile); }
const char *cev_fr_session_type(const char *type) { return lookup(type_words, type); }

const char *cev_fr_plural(unsigned long n, const char *one, const char *many)
{
    return n > 1 ? many : one;
}

const char *cev_fr_date(char *buf, const char *iso)
{
    static const char *const months[] = {"janvier", "février", "mars",      "avril",
                                         "mai",     "juin",    "juillet",   "août",
                                         "septembre", "octobre", "novembre", "décembre"};
    int32_t day;
    if (iso == NULL || cev_date_parse(iso, &day) != CEV_OK) {
        snprintf(buf, 32, "%s", iso ? iso : "");
        return buf;
    }
    int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
    int m = (iso[5] - '0') * 10 + (iso[6] - '0');
    int d = (iso[8] - '0') * 10 + (iso[9] - '0');
    snprintf(buf, 32, "%d%s %s %d", d, d == 1 ? "er" : "", months[m - 1], y);
    return buf;
}

const char *cev_fr_score(char *buf, double v)
{
    snprintf(buf, 32, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';
    return buf;
}
