#include "french.h"

#include "certeval/certeval.h"

#include <stdio.h>
#include <string.h>

static const char *lookup(const char *const (*table)[2], const char *key)
{
    for (size_t i = 0; table[i][0]; i++)
        if (strcmp(table[i][0], key) == 0)
            return table[i][1];
    return key;
}

static const char *const block_words[][2] = {
    {"validated", "validé"}, {"not_validated", "non validé"},
    {"absent", "absent (une épreuve manquée)"}, {"not_presented", "non présenté à cette session"},
    {NULL, NULL}};
static const char *const block_short[][2] = {{"validated", "validé"},
                                             {"not_validated", "non validé"},
                                             {"absent", "absent"},
                                             {"not_presented", "non présenté"},
                                             {NULL, NULL}};
static const char *const title_words[][2] = {{"awarded", "titre obtenu"},
                                             {"partial", "titre partiellement obtenu"},
                                             {"not_awarded", "titre non obtenu"},
                                             {NULL, NULL}};
static const char *const status_words[][2] = {{"present", "présent"}, {"absent", "absent"},
                                              {"excused", "excusé"},
                                              {"inadmissible", "irrecevable"}, {NULL, NULL}};
static const char *const modality_words[][2] = {
    {"situation", "mise en situation professionnelle"}, {"oral", "épreuve orale"},
    {"dossier", "dossier écrit"}, {"field", "évaluation de terrain"},
    {"quiz", "questionnaire"}, {NULL, NULL}};
static const char *const profile_words[][2] = {{"professional", "professionnel du métier"},
                                               {"trainer", "formateur"},
                                               {NULL, NULL}};

const char *cli_fr_block(const char *decision) { return lookup(block_words, decision); }
const char *cli_fr_block_short(const char *decision) { return lookup(block_short, decision); }
const char *cli_fr_title(const char *decision) { return lookup(title_words, decision); }
const char *cli_fr_status(const char *status) { return lookup(status_words, status); }
const char *cli_fr_modality(const char *modality) { return lookup(modality_words, modality); }
const char *cli_fr_profile(const char *profile) { return lookup(profile_words, profile); }

const char *cli_fr_score(char *buf, double v)
{
    snprintf(buf, 32, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = ',';
    return buf;
}

const char *cli_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cev_json_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}
