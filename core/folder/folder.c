/*
 * folder.c - reading session.csv, candidats.csv and jury.csv into a
 * cev_folder (certeval.h), with every problem found.
 *
 * The strings handed out point into the tables' text: cells that hold
 * lists (blocs_acquis, a_forme) are cut into words in place, dates are
 * rewritten in place as ISO dates (never longer).  A folder handed out by
 * cev_folder_read() had no problem: every id in it follows the identifier
 * rule and candidate ids are unique.  One from cev_folder_load() may have
 * had some (repeated ids: a lookup finds one of them).
 */
#include "folder/folder.h"

#include "base/buf.h"
#include "folder/cell.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const cev_folder_session_cols[] = {"session", "date", "type", "titre", "lieu",
                                               "centre", NULL};
const char *const cev_folder_candidate_cols[] = {"candidat", "nom", "prenom", "date_naissance",
                                                 "voie", "blocs_acquis", NULL};
const char *const cev_folder_jury_cols[] = {"membre", "nom", "prenom", "profil", "president",
                                            "a_forme", NULL};

static const char *const session_required[] = {"session", "date", "titre", NULL};
static const char *const candidate_required[] = {"candidat", "nom", "prenom", NULL};
static const char *const jury_required[] = {"membre", "nom", "prenom", "profil", "president",
                                            NULL};

struct cev_folder {
    char *dir;
    cev_table *session, *cands, *jury;
    cev_folder_session info;
    cev_folder_candidate *cand;
    size_t ncand;
    const cev_folder_candidate **by_id; /* sorted by id */
    cev_folder_member *members;
    size_t nmembers;
    cev_folder_block *blocks; /* every candidate's, candidate by candidate */
    const char **trained;     /* every member's a_forme, member by member */
};

/* What one reading gathers: the folder being built and where to report. */
typedef struct reader {
    cev_folder *f;
    cev_errlist *problems;
    cev_error *err;
    int problem;
    int nomem;
} reader;

static void say(reader *r, const cev_table *t, size_t row, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void say(reader *r, const cev_table *t, size_t row, const char *col, const char *fmt, ...)
{
    r->problem = 1;
    va_list ap;
    va_start(ap, fmt);
    if (cev_table_problem_atv(r->problems, t, row, col, fmt, ap) != CEV_OK)
        r->nomem = 1;
    va_end(ap);
}

static void say_file(reader *r, const cev_table *t, long row, const char *col, const char *fmt)
{
    r->problem = 1;
    if (cev_table_problem(r->problems, t->file, row, col, "%s", fmt) != CEV_OK)
        r->nomem = 1;
}

static char *cell(const cev_table *t, size_t row, const char *name)
{
    long c = cev_table_col(t, name);
    return c < 0 ? NULL : t->cells[row * t->ncols + (size_t)c];
}

/* A cell that must hold an identifier (1-64 bytes of [A-Za-z0-9._-]). */
static void want_identifier(reader *r, const cev_table *t, size_t row, const char *col,
                            const char *v)
{
    if (*v == '\0')
        say(r, t, row, col, "identifiant manquant");
    else if (!cev_cell_identifier(v))
        say(r, t, row, col,
            "identifiant « %s » invalide : de 1 à 64 caractères parmi les lettres sans "
            "accent, les chiffres et . _ - (ni espace ni accent)", v);
}

static int is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';';
}

/* Cuts a list cell into words in place: calls fn on each, returns the
 * count (fn may be NULL to count only). */
static size_t words(char *s, void (*fn)(void *ctx, char *word), void *ctx)
{
    size_t n = 0;
    while (*s != '\0') {
        while (*s != '\0' && is_sep(*s))
            s++;
        if (*s == '\0')
            break;
        char *w = s;
        while (*s != '\0' && !is_sep(*s))
            s++;
        n++;
        if (fn != NULL) {
            int more = *s != '\0';
            *s = '\0';
            fn(ctx, w);
            if (more)
                s++;
        }
    }
    return n;
}

/* ---- session.csv ---------------------------------------------------------- */

static void read_session(reader *r)
{
    cev_table *t = r->f->session;
    if (t->nrows != 1) {
        say_file(r, t, t->nrows ? t->rows[1] : 2, NULL,
                 t->nrows ? "une seule ligne attendue sous l'en-tête (une session par dossier)"
                          : "ligne de la session manquante sous l'en-tête");
        if (t->nrows == 0)
            return;
    }
    cev_folder_session *s = &r->f->info;
    s->id = cell(t, 0, "session");
    s->date = cell(t, 0, "date");
    s->title = cell(t, 0, "titre");
    s->type = cell(t, 0, "type");
    s->place = cell(t, 0, "lieu");
    s->centre = cell(t, 0, "centre");
    if (s->id != NULL && *s->id == '\0')
        say(r, t, 0, "session", "identifiant de session manquant");
    if (s->date != NULL && !cev_cell_date((char *)s->date))
        say(r, t, 0, "date", "date « %s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)", s->date);
    if (s->title != NULL && *s->title == '\0')
        say(r, t, 0, "titre", "code du titre manquant (par exemple RNCP36524)");
    if (s->type != NULL && *s->type == '\0')
        s->type = NULL;
    if (s->type != NULL && strcmp(s->type, "titre") != 0 && strcmp(s->type, "ccp") != 0)
        say(r, t, 0, "type", "type de session « %s » inconnu : « titre » ou « ccp » attendu",
            s->type);
    if (s->place == NULL)
        s->place = "";
    if (s->centre == NULL)
        s->centre = "";
}

/* ---- candidats.csv ---------------------------------------------------------- */

typedef struct block_ctx {
    reader *r;
    size_t row;
    cev_folder_block *out;
    size_t n;
} block_ctx;

static void add_block(void *ctx, char *word)
{
    block_ctx *b = ctx;
    const cev_table *t = b->r->f->cands;
    char *at = strchr(word, '@');
    if (at == NULL) {
        say(b->r, t, b->row, "blocs_acquis",
            "« %s » : CODE@DATE attendu (par exemple RNCP36524BC05@2023-06-20)", word);
        return;
    }
    *at = '\0';
    char *date = at + 1;
    if (!cev_cell_identifier(word)) {
        say(b->r, t, b->row, "blocs_acquis", "code de bloc « %s » invalide", word);
        return;
    }
    if (!cev_cell_date(date)) {
        say(b->r, t, b->row, "blocs_acquis",
            "date « %s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)", date);
        return;
    }
    b->out[b->n].block = word;
    b->out[b->n].date = date;
    b->n++;
}

static int by_id(const void *a, const void *b)
{
    const cev_folder_candidate *x = *(const cev_folder_candidate *const *)a;
    const cev_folder_candidate *y = *(const cev_folder_candidate *const *)b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x->row > y->row) - (x->row < y->row);
}

static void read_candidates(reader *r)
{
    cev_folder *f = r->f;
    cev_table *t = f->cands;
    size_t nblocks = 0;
    long cb = cev_table_col(t, "blocs_acquis");
    for (size_t i = 0; i < t->nrows; i++)
        nblocks += words((char *)cev_table_cell(t, i, cb), NULL, NULL);
    f->cand = calloc(t->nrows ? t->nrows : 1, sizeof *f->cand);
    f->by_id = calloc(t->nrows ? t->nrows : 1, sizeof *f->by_id);
    f->blocks = calloc(nblocks ? nblocks : 1, sizeof *f->blocks);
    if (f->cand == NULL || f->by_id == NULL || f->blocks == NULL) {
        r->nomem = 1;
        return;
    }
    block_ctx bc = {r, 0, f->blocks, 0};
    for (size_t i = 0; i < t->nrows; i++) {
        cev_folder_candidate *c = &f->cand[i];
        c->row = t->rows[i];
        c->id = cell(t, i, "candidat");
        c->last_name = cell(t, i, "nom");
        c->first_name = cell(t, i, "prenom");
        want_identifier(r, t, i, "candidat", c->id);
        if (*c->last_name == '\0')
            say(r, t, i, "nom", "nom du candidat manquant");
        char *birth = cell(t, i, "date_naissance");
        if (birth != NULL && *birth != '\0') {
            if (!cev_cell_date(birth))
                say(r, t, i, "date_naissance",
                    "date « %s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA attendu (l'année sur 4 chiffres)", birth);
            c->birth_date = birth;
        }
        char *route = cell(t, i, "voie");
        c->route = route != NULL && *route != '\0' ? route : NULL;
        char *blocks = cell(t, i, "blocs_acquis");
        c->acquired = f->blocks + bc.n;
        bc.row = i;
        size_t before = bc.n;
        if (blocks != NULL && *blocks != '\0')
            words(blocks, add_block, &bc);
        c->nacquired = bc.n - before;
        f->by_id[i] = c;
    }
    f->ncand = t->nrows;
    qsort(f->by_id, f->ncand, sizeof *f->by_id, by_id);
    for (size_t i = 1; i < f->ncand; i++) {
        const cev_folder_candidate *a = f->by_id[i - 1], *b = f->by_id[i];
        if (*b->id != '\0' && strcmp(a->id, b->id) == 0) {
            r->problem = 1;
            if (cev_table_problem(r->problems, t->file, b->row, "candidat",
                                  "candidat « %s » déjà présent ligne %ld", b->id,
                                  a->row) != CEV_OK)
                r->nomem = 1;
        }
    }
}

/* ---- jury.csv ---------------------------------------------------------------- */

typedef struct trained_ctx {
    reader *r;
    size_t row;
    const char **out;
    size_t n;
} trained_ctx;

static const cev_folder_candidate *find(const cev_folder *f, const char *id)
{
    size_t lo = 0, hi = f->ncand;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, f->by_id[mid]->id);
        if (c == 0)
            return f->by_id[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void add_trained(void *ctx, char *word)
{
    trained_ctx *tc = ctx;
    const cev_table *t = tc->r->f->jury;
    /* without a readable candidats.csv, a_forme cannot be checked (its own
     * problem is already told) */
    if (tc->r->f->cands != NULL && find(tc->r->f, word) == NULL) {
        say(tc->r, t, tc->row, "a_forme",
            "« %s » n'est pas un candidat de candidats.csv", word);
        return;
    }
    tc->out[tc->n++] = word;
}

static void read_jury(reader *r)
{
    cev_folder *f = r->f;
    cev_table *t = f->jury;
    long ct = cev_table_col(t, "a_forme");
    size_t ntrained = 0;
    for (size_t i = 0; i < t->nrows; i++)
        ntrained += words((char *)cev_table_cell(t, i, ct), NULL, NULL);
    f->members = calloc(t->nrows ? t->nrows : 1, sizeof *f->members);
    f->trained = calloc(ntrained ? ntrained : 1, sizeof *f->trained);
    if (f->members == NULL || f->trained == NULL) {
        r->nomem = 1;
        return;
    }
    trained_ctx tc = {r, 0, f->trained, 0};
    size_t presidents = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        cev_folder_member *m = &f->members[i];
        m->row = t->rows[i];
        m->id = cell(t, i, "membre");
        m->last_name = cell(t, i, "nom");
        m->first_name = cell(t, i, "prenom");
        want_identifier(r, t, i, "membre", m->id);
        for (size_t j = 0; j < i && *m->id != '\0'; j++)
            if (strcmp(f->members[j].id, m->id) == 0) {
                r->problem = 1;
                if (cev_table_problem(r->problems, t->file, m->row, "membre",
                                      "membre « %s » déjà présent ligne %ld", m->id,
                                      f->members[j].row) != CEV_OK)
                    r->nomem = 1;
                break;
            }
        if (*m->last_name == '\0')
            say(r, t, i, "nom", "nom du membre du jury manquant");
        const char *profile = cell(t, i, "profil");
        if (cev_cell_word(profile, "professionnel"))
            m->profile = "professional";
        else if (cev_cell_word(profile, "formateur"))
            m->profile = "trainer";
        else
            say(r, t, i, "profil",
                "profil « %s » inconnu : « professionnel » (du métier ou d'un métier proche) "
                "ou « formateur » attendu", profile);
        int yes = cev_cell_yes_no(cell(t, i, "president"));
        if (yes < 0)
            say(r, t, i, "president", "« %s » : « oui » ou « non » attendu",
                cell(t, i, "president"));
        m->president = yes == 1;
        if (m->president && ++presidents == 2)
            say(r, t, i, "president",
                "deux présidents : un seul membre du jury a « oui » dans cette colonne");
        char *trained = cell(t, i, "a_forme");
        m->trained = f->trained + tc.n;
        tc.row = i;
        size_t before = tc.n;
        if (trained != NULL && *trained != '\0')
            words(trained, add_trained, &tc);
        m->ntrained = tc.n - before;
    }
    f->nmembers = t->nrows;
    if (t->nrows == 0)
        say_file(r, t, 2, NULL, "aucun membre du jury");
    else if (presidents == 0)
        say_file(r, t, 1, "president",
                 "aucun président : écrire « oui » dans la colonne president pour un membre");
}

/* ---- the folder ------------------------------------------------------------ */

/* Reads one table and checks its header; *t NULL when it is unusable. */
static void open_table(reader *r, cev_table **t, const char *name, const char *const *known,
                       const char *const *required)
{
    cev_code rc = cev_table_read(t, r->f->dir, name, r->problems, r->err);
    if (rc == CEV_ENOMEM) {
        r->nomem = 1;
        return;
    }
    if (rc != CEV_OK)
        r->problem = 1;
    if (*t == NULL)
        return;
    rc = cev_table_columns(*t, known, required, NULL, NULL, r->problems, r->err);
    if (rc == CEV_ENOMEM)
        r->nomem = 1;
    else if (rc != CEV_OK) {
        r->problem = 1;
        /* a required column is missing: its rows cannot be read */
        for (size_t i = 0; required[i] != NULL; i++)
            if (cev_table_col(*t, required[i]) < 0) {
                cev_table_close(*t);
                *t = NULL;
                break;
            }
    }
}

cev_code cev_folder_load(cev_folder **out, const char *dir, cev_errlist *problems,
                         int *problem, cev_error *err)
{
    *out = NULL;
    *problem = 0;
    struct stat st;
    if (stat(dir, &st) != 0)
        return cev_error_set(err, CEV_EIO, "", "%s : dossier de session illisible (%s)", dir,
                             cev_strerror_fr(errno));
    if (!S_ISDIR(st.st_mode))
        return cev_error_set(err, CEV_EIO, "", "%s : ce n'est pas un dossier de session", dir);
    cev_folder *f = calloc(1, sizeof *f);
    if (f == NULL || (f->dir = strdup(dir)) == NULL) {
        free(f);
        return cev_error_nomem(err);
    }
    reader r = {f, problems, err, 0, 0};
    open_table(&r, &f->session, "session.csv", cev_folder_session_cols, session_required);
    if (!r.nomem)
        open_table(&r, &f->cands, "candidats.csv", cev_folder_candidate_cols, candidate_required);
    if (!r.nomem)
        open_table(&r, &f->jury, "jury.csv", cev_folder_jury_cols, jury_required);
    if (!r.nomem && f->session != NULL)
        read_session(&r);
    if (!r.nomem && f->cands != NULL)
        read_candidates(&r);
    if (!r.nomem && f->jury != NULL)
        read_jury(&r);
    *problem = r.problem;
    if (r.nomem || f->session == NULL || f->session->nrows == 0 || f->cands == NULL ||
        f->jury == NULL) {
        cev_folder_close(f);
        return r.nomem ? cev_error_nomem(err) : CEV_OK;
    }
    *out = f;
    return CEV_OK;
}

cev_code cev_folder_read(cev_folder **out, const char *dir, cev_errlist *problems,
                         cev_error *err)
{
    int problem;
    cev_code rc = cev_folder_load(out, dir, problems, &problem, err);
    if (rc != CEV_OK || !problem)
        return rc;
    cev_folder_close(*out);
    *out = NULL;
    return CEV_PROBLEMS;
}

void cev_folder_close(cev_folder *f)
{
    if (f == NULL)
        return;
    cev_table_close(f->session);
    cev_table_close(f->cands);
    cev_table_close(f->jury);
    free(f->cand);
    free(f->by_id);
    free(f->blocks);
    free(f->members);
    free(f->trained);
    free(f->dir);
    free(f);
}

const char *cev_folder_dir(const cev_folder *f)
{
    return f->dir;
}

const cev_folder_session *cev_folder_session_info(const cev_folder *f)
{
    return &f->info;
}

const cev_folder_candidate *cev_folder_candidates(const cev_folder *f, size_t *n)
{
    *n = f->ncand;
    return f->cand;
}

const cev_folder_member *cev_folder_jury(const cev_folder *f, size_t *n)
{
    *n = f->nmembers;
    return f->members;
}

const cev_folder_candidate *cev_folder_find_candidate(const cev_folder *f, const char *id)
{
    return find(f, id);
}

const cev_folder_member *cev_folder_find_member(const cev_folder *f, const char *id)
{
    for (size_t i = 0; i < f->nmembers; i++)
        if (strcmp(f->members[i].id, id) == 0)
            return &f->members[i];
    return NULL;
}
