/*
 * template.c - `template`: the empty session folder of a title package,
 * every CSV file with its header row and LISEZMOI.txt, which explains each
 * column in French with the référentiel's own labels.
 *
 * The files are written ';'-separated, in UTF-8 with a byte order mark, the
 * form a French spreadsheet opens without asking (import reads ',' too).
 */
#include "certeval/certeval.h"

#include "base/buf.h"
#include "decide/pipeline.h"
#include "folder/folder.h"
#include "package/package.h"
#include "run/grid.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char bom[] = "\xEF\xBB\xBF";

/* Appends one header cell, quoted (libcsv's csv_write) only when needed. */
static cev_code put_cell(cev_buf *b, const char *s, int first)
{
    if (!first && cev_buf_putc(b, ';') != CEV_OK)
        return CEV_ENOMEM;
    if (strpbrk(s, ";,\"\r\n") == NULL)
        return cev_buf_puts(b, s);
    size_t n = csv_write(NULL, 0, s, strlen(s));
    if (cev_buf_reserve(b, n + 1) != CEV_OK)
        return CEV_ENOMEM;
    csv_write(b->data + b->len, n, s, strlen(s));
    b->len += n;
    b->data[b->len] = '\0';
    return CEV_OK;
}

/* A new file dir/name: never one that exists, nor through a symbolic link
 * (O_EXCL, O_NOFOLLOW), even if one appeared in the folder after it was
 * found empty: what is there is left as it is. */
static cev_code write_file(const char *dir, const char *name, const cev_buf *b, cev_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && (errno == EEXIST || errno == ELOOP))
        return cev_error_set(err, CEV_EIO, "",
                             "%s : un fichier ou un lien de ce nom est apparu dans le dossier "
                             "pendant l'écriture ; il est laissé tel quel : recommencer dans un "
                             "dossier vide", path);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
    if (f == NULL) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return cev_error_set(err, CEV_EIO, "", "%s : écriture impossible (%s)", path,
                             cev_strerror_fr(e));
    }
    size_t w = fwrite(b->data, 1, b->len, f);
    int bad = w != b->len || ferror(f), e = errno;
    if (fclose(f) != 0 || bad)
        return cev_error_set(err, CEV_EIO, "", "%s : écriture impossible (%s)", path,
                             cev_strerror_fr(bad ? e : errno));
    return CEV_OK;
}

/* One CSV file: the header row of `cols` (NULL-ended). */
static cev_code write_csv(const char *dir, const char *name, const char *const *cols,
                          cev_error *err)
{
    cev_buf b;
    cev_buf_init(&b);
    cev_code rc = cev_buf_puts(&b, bom);
    for (size_t i = 0; cols[i] != NULL && rc == CEV_OK; i++)
        rc = put_cell(&b, cols[i], i == 0);
    if (rc == CEV_OK)
        rc = cev_buf_puts(&b, "\r\n");
    rc = rc == CEV_OK ? write_file(dir, name, &b, err) : cev_error_nomem(err);
    cev_buf_close(&b);
    return rc;
}

/* ---- LISEZMOI.txt ---------------------------------------------------------- */

/* The text being written, with a sticky failure: appends after a failed
 * one do nothing, and the caller checks `failed` once at the end. */
typedef struct text {
    cev_buf b;
    int failed;
} text;

static void tprintf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tprintf(text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cev_buf_reserve(&t->b, (size_t)n + 1) != CEV_OK) {
        t->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(t->b.data + t->b.len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->b.len += (size_t)n;
}

static void tputs(text *t, const char *s)
{
    tprintf(t, "%s", s);
}

static const char *modality_fr(const cev_sheet *s)
{
    if (strcmp(s->modality, "situation") == 0)
        return "mise en situation professionnelle";
    if (s->oral)
        return "entretien, oral";
    if (s->dossier)
        return "écrit, dossier";
    if (s->kind == CEV_SHEET_FIELD)
        return "évaluation de terrain par le tuteur";
    if (s->kind == CEV_SHEET_QUIZ)
        return "questionnaire (QCM)";
    return s->modality;
}

static void intro(text *b, const cev_package *p)
{
    tprintf(b,
        "DOSSIER DE SESSION\r\n"
        "%s (%s, version %s)\r\n"
        "Certificateur : %s\r\n\r\n"
        "Ce dossier rassemble ce que le ou la secrétaire du jury saisit pour une\r\n"
        "session : qui est là (session.csv, candidats.csv, jury.csv), les résultats\r\n"
        "de chaque épreuve (un fichier par épreuve), les délibérations du jury.\r\n"
        "Les noms des personnes restent dans ce dossier : certeval n'enregistre que\r\n"
        "les identifiants, et ne joint les noms aux décisions que sur les documents\r\n"
        "imprimés (procès-verbal, attestations).\r\n\r\n"
        "COMMENT REMPLIR\r\n"
        "- Ouvrez chaque fichier .csv dans un tableur (LibreOffice Calc, Excel...).\r\n"
        "  La première ligne (l'en-tête) nomme les colonnes : ne la modifiez pas ;\r\n"
        "  ajoutez les lignes en dessous, une colonne par case.\r\n"
        "- Enregistrez au format « CSV UTF-8 » (Excel : « CSV UTF-8 (délimité par\r\n"
        "  des virgules) » ; LibreOffice : « Texte CSV », jeu de caractères\r\n"
        "  « Unicode (UTF-8) »). Le point-virgule ou la virgule comme séparateur\r\n"
        "  conviennent tous deux. Un fichier « CSV Windows-1252 » est refusé.\r\n"
        "- Identifiants (candidat, membre du jury, évaluateur, tuteur) : 1 à 64\r\n"
        "  caractères parmi les lettres sans accent, les chiffres et . _ -\r\n"
        "  (ni espace ni accent). Ils doivent être les mêmes dans tous les fichiers.\r\n"
        "- Dates : AAAA-MM-JJ (2024-03-14) ou JJ/MM/AAAA (14/03/2024), l'année sur\r\n  4 chiffres (14/03/24 est refusé).\r\n"
        "- Notes : un nombre, virgule ou point décimal (2,5 ou 2.5).\r\n"
        "- Une case vide veut dire « non renseigné ». Les espaces autour d'une\r\n"
        "  valeur sont ignorés.\r\n\r\n"
        "ENSUITE\r\n"
        "  certeval import DOSSIER -o session.jsonl      (les fiches des candidats)\r\n"
        "  certeval eval -a REGISTRE session.jsonl        (les décisions, enregistrées)\r\n"
        "  certeval pv -a REGISTRE -s DOSSIER -o pv.html  (le procès-verbal à signer)\r\n"
        "  certeval attestation -a REGISTRE -s DOSSIER -o attestations.html\r\n"
        "  certeval export -a REGISTRE -s DOSSIER         (pour le registre du certificateur)\r\n"
        "L'import signale chaque erreur sous la forme fichier:ligne:colonne et\r\n"
        "n'écrit rien tant qu'il en reste une.\r\n\r\n",
        p->title_name, p->code, p->version, p->certifier);
}

static void people(text *b, const cev_package *p)
{
    tprintf(b,
        "session.csv : la session (une seule ligne sous l'en-tête)\r\n"
        "  session   identifiant de la session (par exemple IMELIS-2024-03)\r\n"
        "  date      date de la session (du jury) ; elle choisit la version du titre en vigueur\r\n"
        "  type      « titre » (session titre) ou « ccp » (session CCP) pour un titre\r\n"
        "            professionnel ; vide pour les autres titres\r\n"
        "  titre     code du titre : %s\r\n"
        "  lieu      lieu de la session (imprimé sur le procès-verbal)\r\n"
        "  centre    centre d'examen ou organisme (imprimé sur le procès-verbal)\r\n\r\n",
        p->code);
    tputs(b,
        "candidats.csv : une ligne par candidat, dans l'ordre du procès-verbal\r\n"
        "  candidat        identifiant du candidat (le même dans tous les fichiers)\r\n"
        "  nom, prenom     nom et prénom (restent dans ce dossier)\r\n"
        "  date_naissance  facultative : distingue deux homonymes sur les documents\r\n"
        "  voie            voie d'accès, l'une de :");
    for (size_t i = 0; i < CEV_ROUTE_COUNT; i++)
        if (p->routes & (1u << i))
            tprintf(b, " %s", cev_route_names[i]);
    tputs(b,
        "\r\n  blocs_acquis    blocs déjà obtenus lors d'une session précédente, sous la\r\n"
        "                  forme CODE@DATE, séparés par des espaces\r\n"
        "                  (par exemple ");
    tprintf(b, "%s@2023-06-20). Les blocs du titre :\r\n",
                   p->nblocks ? p->blocks[p->nblocks - 1].code : "BLOC");
    for (size_t i = 0; i < p->nblocks; i++)
        tprintf(b, "                    %s  %s\r\n", p->blocks[i].code, p->blocks[i].name);
    tputs(b,
        "\r\njury.csv : une ligne par membre du jury de la session\r\n"
        "  membre     identifiant du membre (celui des colonnes evaluateur)\r\n"
        "  nom, prenom\r\n"
        "  profil     « professionnel » (professionnel du métier ou d'un métier proche)\r\n"
        "             ou « formateur » (professionnel de la formation)\r\n"
        "  president  « oui » pour le président ou la présidente du jury (un seul),\r\n"
        "             « non » ou vide pour les autres\r\n"
        "  a_forme    identifiants des candidats que ce membre a formés, séparés par\r\n"
        "             des espaces (un membre ne peut pas évaluer un candidat qu'il a formé)\r\n\r\n");
}

static void sheet_text(text *b, const cev_grid *g, const cev_sheet *s)
{
    const cJSON *block = s->block ? cev_grid_block(g, s->block) : NULL;
    tprintf(b, "%s.csv : %s (%s)\r\n", s->id, s->label ? s->label : s->id, modality_fr(s));
    if (block != NULL)
        tprintf(b, "  Bloc %s : %s\r\n", s->block, cev_json_str(block, "name"));
    else
        tputs(b, "  Épreuve du titre (hors bloc)\r\n");
    if (s->kind == CEV_SHEET_PANEL) {
        if (s->nitems > 0)
            tputs(b, "  Une ligne par candidat et par évaluateur.\r\n");
        else if (s->dossier)
            tputs(b, "  Épreuve sans note : une ligne par candidat, evaluateur vide.\r\n");
        else
            tputs(b, "  Épreuve sans note : une ligne par candidat et par membre du jury\r\n"
                     "  présent.\r\n");
        tputs(b,
            "  candidat    identifiant du candidat\r\n"
            "  evaluateur  identifiant du membre du jury qui a noté (vide sur une ligne qui\r\n"
            "              ne donne que le statut ou les informations du candidat)\r\n");
        tputs(b, s->dossier
            ? "  statut      vide si le dossier a été remis ; « absent », « excusé » ou\r\n"
              "              « non remis » sinon (et alors aucune note)\r\n"
              "  remis_le    date de remise du dossier\r\n"
              "  pages       nombre de pages du dossier\r\n"
            : "  statut      vide si le candidat était présent ; « absent » ou « excusé »\r\n"
              "              sinon (et alors aucune note)\r\n");
        if (s->oral)
            tputs(b, "  minutes     durée de l'épreuve en minutes\r\n");
        if (s->nitems > 0)
            tputs(b, "  Puis une colonne par critère, la note de l'évaluateur :\r\n");
    } else if (s->kind == CEV_SHEET_FIELD) {
        tputs(b,
            "  Une ligne par candidat.\r\n"
            "  candidat  identifiant du candidat\r\n"
            "  statut    vide, « absent » ou « excusé »\r\n"
            "  tuteur    identifiant de l'encadrant qui a évalué (pas un membre du jury)\r\n"
            "  Puis une colonne par compétence : la note du tuteur, ou vide si la\r\n"
            "  compétence n'a pas été observée :\r\n");
    } else if (s->kind == CEV_SHEET_QUIZ) {
        tputs(b,
            "  Une ligne par candidat.\r\n"
            "  candidat  identifiant du candidat\r\n"
            "  statut    vide, « absent » ou « excusé »\r\n"
            "  Puis une colonne par question : la ou les lettres répondues, en\r\n"
            "  minuscules, séparées par des espaces (par exemple « a c ») ; vide si le\r\n"
            "  candidat n'a pas répondu :\r\n");
    }
    for (size_t i = 0; i < s->nitems; i++) {
        const cev_sheet_item *it = &s->items[i];
        const char *comp = cev_grid_competency_label(g, it->competency ? it->competency : "");
        char max[32];
        snprintf(max, sizeof max, "%g", it->max);
        if (s->kind == CEV_SHEET_FIELD)
            tprintf(b, "    %s  %s (note de 0 à %s)\r\n", it->id, comp ? comp : "", max);
        else if (s->kind == CEV_SHEET_QUIZ)
            tprintf(b, "    %s  %s%s(compétence %s)\r\n", it->id, it->label ? it->label : "",
                           it->label ? " " : "", it->competency ? it->competency : "");
        else
            tprintf(b, "    %s  %s (note de 0 à %s)\r\n        compétence %s : %s\r\n",
                           it->id, it->label ? it->label : "", max,
                           it->competency ? it->competency : "", comp ? comp : "");
    }
    tputs(b, "\r\n");
}

static void closing(text *b, const cev_package *p, const cev_grid *g)
{
    tputs(b,
        "deliberations.csv : les décisions souveraines du jury sur un bloc\r\n"
        "  Une ligne par délibération. Elle remplace la décision calculée du bloc.\r\n"
        "  candidat    identifiant du candidat\r\n"
        "  bloc        code du bloc :");
    for (size_t i = 0; i < p->nblocks; i++)
        tprintf(b, "%s %s", i ? "," : "", p->blocks[i].code);
    tputs(b,
        "\r\n  decision    « valide » ou « non_valide »\r\n"
        "  motivation  la motivation du jury (obligatoire), imprimée sur le procès-verbal\r\n\r\n");
    if (!g->has_dossier)
        return;
    tputs(b,
        "calendrier.csv : les dates limites de remise des dossiers de la session\r\n"
        "  Une ligne par épreuve écrite.\r\n"
        "  epreuve      identifiant de l'épreuve :");
    for (size_t i = 0; i < g->nsheets; i++)
        if (g->sheets[i].dossier)
            tprintf(b, " %s", g->sheets[i].id);
    tputs(b,
        "\r\n  date_limite  dernier jour de remise ; vide : la règle du référentiel\r\n"
        "               s'applique (un nombre de jours avant la session), ou aucune\r\n\r\n");
}

/* ---- the folder ------------------------------------------------------------- */

static cev_code prepare_dir(const char *dir, cev_error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errno != ENOENT)
            return cev_error_set(err, CEV_EIO, "", "%s : dossier illisible (%s)", dir,
                                 cev_strerror_fr(errno));
        if (mkdir(dir, 0777) != 0)
            return cev_error_set(err, CEV_EIO, "", "%s : impossible de créer le dossier (%s)",
                                 dir, cev_strerror_fr(errno));
        return CEV_OK;
    }
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = 0;
    closedir(d);
    if (!empty)
        return cev_error_set(err, CEV_EUSAGE, "", "%s : le dossier n'est pas vide (rien n'a été écrit)",
                             dir);
    return CEV_OK;
}

static cev_code write_all(const char *dir, const cev_package *p, const cev_grid *g,
                          cev_error *err)
{
    static const char *const delib[] = {"candidat", "bloc", "decision", "motivation", NULL};
    static const char *const cal[] = {"epreuve", "date_limite", NULL};
    cev_code rc;
    if ((rc = write_csv(dir, "session.csv", cev_folder_session_cols, err)) != CEV_OK ||
        (rc = write_csv(dir, "candidats.csv", cev_folder_candidate_cols, err)) != CEV_OK ||
        (rc = write_csv(dir, "jury.csv", cev_folder_jury_cols, err)) != CEV_OK)
        return rc;
    text readme = {{NULL, 0, 0}, 0};
    tputs(&readme, bom);
    intro(&readme, p);
    people(&readme, p);
    for (size_t i = 0; i < g->nsheets; i++) {
        const cev_sheet *s = &g->sheets[i];
        if (s->kind == CEV_SHEET_NONE) {
            tprintf(&readme, "(L'épreuve %s, de modalité « %s », ne se saisit pas dans ce "
                           "dossier.)\r\n\r\n", s->id, s->modality);
            continue;
        }
        char name[CEV_STRING_MAX + 8];
        snprintf(name, sizeof name, "%s.csv", s->id);
        const char **cols = cev_sheet_columns(s);
        if (cols == NULL) {
            cev_buf_close(&readme.b);
            return cev_error_nomem(err);
        }
        rc = write_csv(dir, name, cols, err);
        free(cols);
        if (rc != CEV_OK) {
            cev_buf_close(&readme.b);
            return rc;
        }
        sheet_text(&readme, g, s);
    }
    closing(&readme, p, g);
    if ((rc = write_csv(dir, "deliberations.csv", delib, err)) == CEV_OK && g->has_dossier)
        rc = write_csv(dir, "calendrier.csv", cal, err);
    if (rc == CEV_OK && readme.failed)
        rc = cev_error_nomem(err);
    if (rc == CEV_OK)
        rc = write_file(dir, "LISEZMOI.txt", &readme.b, err);
    cev_buf_close(&readme.b);
    return rc;
}

cev_code cev_template_write(const char *plugins_dir, const char *package_dir, const char *dir,
                            cev_error *err)
{
    cev_engine eng;
    cev_code rc = cev_engine_open_package(&eng, plugins_dir, package_dir, 1, err);
    if (rc == CEV_ENOMEM)
        return rc;
    if (rc != CEV_OK) { /* said for the jury secretary, the engine's words as the detail */
        char why[CEV_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", err->message);
        return cev_error_set(err, rc, err->path,
                             "le référentiel %s ne se charge pas (ou ses greffons) : rien n'a "
                             "été écrit ; prévenir le certificateur. Détail : %s",
                             package_dir, why);
    }
    const cev_package *p = eng.cat.pkgs[0];
    cev_grid g;
    if ((rc = cev_grid_load(&g, p->title_file, err)) == CEV_OK &&
        (rc = prepare_dir(dir, err)) == CEV_OK)
        rc = write_all(dir, p, &g, err);
    cev_grid_close(&g);
    cev_engine_close(&eng);
    return rc;
}
