/* fix.c - French guidance for the error records (fix.h).
 *
 * The engine's messages are English and technical; the guidance is what a
 * secretary does about it, in the words of the session folder.  A message
 * recognised by one of its phrases gets the precise advice; any other gets
 * its code's.  The PV prints the engine's message beside it, as detail. */
#include "print/fix.h"

#include <stddef.h>
#include <string.h>

typedef struct advice {
    const char *code;   /* the error code */
    const char *phrase; /* found in the message, or NULL for any message */
    const char *text;
} advice;

/* The first match wins: precise phrases first, then each code's default. */
static const advice table[] = {
    {"E_SCHEMA", "already appears at line",
     "Le candidat figure deux fois : ne garder qu'une ligne par candidat, puis refaire l'import "
     "et l'évaluation."},
    {"E_SCHEMA", "motivation", "Une délibération du jury n'est pas motivée : écrire la motivation "
                               "dans deliberations.csv."},
    {"E_SCHEMA", "already holds",
     "Le jury a délibéré sur un bloc que le candidat possède déjà : retirer cette ligne de "
     "deliberations.csv."},
    {"E_SCHEMA", "session.date", "La date de la session manque ou est mal écrite (AAAA-MM-JJ) "
                                 "dans session.csv."},
    {"E_SCHEMA", "must be an identifier",
     "Un identifiant (candidat, membre du jury, évaluateur) contient des caractères non "
     "autorisés : seulement lettres sans accent, chiffres, point, tiret, tiret bas."},
    {"E_SCHEMA", NULL, "Une information manque ou est mal écrite dans le dossier du candidat : "
                       "vérifier ses lignes dans les fichiers de la session."},
    {"E_JSON", NULL, "La ligne du candidat est illisible : refaire l'import du dossier de "
                     "session, ou corriger le fichier d'enregistrements."},
    {"E_TITLE", "is not an access route",
     "La voie d'accès du candidat n'est pas ouverte pour ce titre : corriger la colonne « voie » "
     "de candidats.csv."},
    {"E_TITLE", "in force", "Aucune version du titre n'est en vigueur à la date de la session : "
                            "vérifier la date dans session.csv."},
    {"E_TITLE", NULL, "Le titre demandé est inconnu ou n'est pas en vigueur : vérifier le code du "
                      "titre et la date dans session.csv."},
    {"E_EVIDENCE", "no score for", "Une note manque : compléter la grille de l'évaluateur nommé "
                                    "dans le fichier de l'épreuve."},
    {"E_EVIDENCE", "no rating", "Une compétence n'a pas d'appréciation dans l'évaluation de "
                                "terrain : la remplir, ou laisser la case vide si elle n'a pas "
                                "été observée."},
    {"E_EVIDENCE", "is outside", "Une note dépasse le barème de l'épreuve : corriger la note dans "
                                 "le fichier de l'épreuve."},
    {"E_EVIDENCE", "no assessment", "Une épreuve n'existe pas dans ce titre : vérifier le nom du "
                                    "fichier d'épreuve et la version du titre."},
    {"E_EVIDENCE", "unknown criterion", "Un critère inconnu de l'épreuve a été noté : vérifier les "
                                        "colonnes du fichier de l'épreuve."},
    {"E_EVIDENCE", NULL, "Les résultats d'une épreuve sont incomplets ou incohérents : vérifier "
                         "le fichier de l'épreuve nommée ci-dessous."},
    {"E_JURY", "not a member of the jury",
     "Un évaluateur ne fait pas partie du jury : l'ajouter à jury.csv ou corriger son "
     "identifiant dans le fichier de l'épreuve."},
    {"E_JURY", "trained the candidate",
     "Un membre du jury a formé le candidat et ne peut pas l'évaluer : confier l'évaluation à "
     "un autre membre."},
    {"E_JURY", "profile \"trainer\"",
     "Le jury doit compter au moins un formateur : corriger la colonne « profil » de jury.csv."},
    {"E_JURY", "profile \"professional\"",
     "Le jury doit compter au moins un professionnel du métier : corriger la colonne « profil » "
     "de jury.csv."},
    {"E_JURY", NULL, "La composition du jury ne respecte pas les règles du titre : vérifier "
                     "jury.csv (profils, candidats formés)."},
    {"E_RULE_BUDGET", NULL, "Les règles du titre n'ont pas pu décider ce dossier (calcul trop "
                            "long) : signaler le problème au certificateur."},
    {"E_RULE_MEMORY", NULL, "Les règles du titre n'ont pas pu décider ce dossier (mémoire "
                            "insuffisante) : signaler le problème au certificateur."},
    {"E_RULE", NULL, "Les règles du titre n'ont pas pu décider ce dossier : signaler le problème "
                     "au certificateur, avec le détail ci-dessous."},
    {"E_PLUGIN", NULL, "Le module d'une épreuve a échoué : signaler le problème au certificateur, "
                       "avec le détail ci-dessous."},
};

const char *pr_fix(const char *code, const char *message)
{
    code = code ? code : "";
    message = message ? message : "";
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].code, code) == 0 &&
            (table[i].phrase == NULL || strstr(message, table[i].phrase)))
            return table[i].text;
    return "Le dossier n'a pas pu être décidé : voir le détail ci-dessous et le signaler au "
           "certificateur.";
}
