/*
 * table.c - one CSV file of the session folder, parsed by libcsv.
 *
 * The file is read whole (a session's files are small), checked for UTF-8,
 * its separator chosen from the header row, then fed to csv_parse(), whose
 * callbacks append each trimmed cell to one text buffer and record its
 * offset.  Offsets become pointers only at the end, when the buffer stops
 * moving.  Invariant while parsing: offset 0 of the text (MISSING) is an
 * empty string, the value of every missing cell; offset 1 (REFUSED) another
 * one, the value of every cell refused as too long, so that the problem
 * told for it is the only one (cev_table_problem_at stays silent on it).
 */
#include "folder/table.h"

#include "base/buf.h"
#include "base/file.h"
#include "base/utf8.h"

#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

cev_code cev_table_problemv(cev_errlist *problems, const char *file, long row,
                            const char *column, const char *fmt, va_list ap)
{
    cev_error e;
    char where[CEV_PATH_MAX];
    if (row <= 0)
        snprintf(where, sizeof where, "%s", file);
    else if (column == NULL)
        snprintf(where, sizeof where, "%s:%ld", file, row);
    else
        snprintf(where, sizeof where, "%s:%ld:%s", file, row, column);
    cev_error_setv(&e, CEV_ESCHEMA, where, fmt, ap);
    cev_utf8_scrub(e.message);
    cev_utf8_scrub(e.path);
    return cev_errlist_add(problems, &e);
}

cev_code cev_table_problem(cev_errlist *problems, const char *file, long row,
                           const char *column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cev_code rc = cev_table_problemv(problems, file, row, column, fmt, ap);
    va_end(ap);
    return rc;
}

enum { MISSING = 0, REFUSED = 1 }; /* the offsets of the two empty strings */

int cev_table_refused(const cev_table *t, size_t row, long col)
{
    return col >= 0 && (size_t)col < t->ncols && row < t->nrows &&
           t->cells[row * t->ncols + (size_t)col] == t->text + REFUSED;
}

cev_code cev_table_problem_atv(cev_errlist *problems, const cev_table *t, size_t row,
                               const char *column, const char *fmt, va_list ap)
{
    if (column != NULL && cev_table_refused(t, row, cev_table_col(t, column)))
        return CEV_OK; /* told already: "cellule trop longue" */
    return cev_table_problemv(problems, t->file, t->rows[row], column, fmt, ap);
}

/* What the parser's callbacks build. */
typedef struct builder {
    const char *file;
    cev_errlist *problems;
    cev_buf text;
    size_t *cur;         /* the offsets of the row being read */
    size_t ncur, capcur;
    size_t *hdr;         /* the header's offsets, once read */
    size_t nhdr;
    size_t *offs;        /* data rows' offsets, nhdr per row */
    size_t noffs, capoffs;
    long *rows;
    size_t nrows, caprows;
    long row;            /* the sheet row being read (1: the header) */
    int prev_term;       /* the terminator of the last row reported (CSV_REPALL_NL) */
    int failed;          /* out of memory: everything after is skipped */
    int problem;         /* a problem was added */
} builder;

static int grow(void *pp, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*(void **)pp, ncap * size);
    if (p == NULL)
        return 0;
    *(void **)pp = p;
    *cap = ncap;
    return 1;
}

static void note(builder *b, long row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void note(builder *b, long row, const char *column, const char *fmt, ...)
{
    b->problem = 1;
    va_list ap;
    va_start(ap, fmt);
    if (cev_table_problemv(b->problems, b->file, row, column, fmt, ap) != CEV_OK)
        b->failed = 1;
    va_end(ap);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The name of column i in a problem: the header's, or its number. */
static const char *column_name(const builder *b, size_t i, char *tmp, size_t size)
{
    if (b->hdr != NULL && i < b->nhdr)
        return b->text.data + b->hdr[i];
    snprintf(tmp, size, "colonne %zu", i + 1);
    return tmp;
}

static void on_cell(void *field, size_t len, void *ctx)
{
    builder *b = ctx;
    if (b->failed)
        return;
    const char *s = field != NULL ? field : "";
    if (field == NULL)
        len = 0;
    while (len > 0 && is_blank(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;
    size_t at = MISSING;
    if (len > CEV_STRING_MAX) {
        char tmp[32];
        note(b, b->row, column_name(b, b->ncur, tmp, sizeof tmp),
             "cellule trop longue (plus de 4096 octets) : la raccourcir ; elle "
             "contient peut-être plusieurs cellules collées, ou un guillemet non refermé");
        at = REFUSED;
    } else if (len > 0) {
        at = b->text.len;
        if (cev_buf_append(&b->text, s, len) != CEV_OK || cev_buf_putc(&b->text, '\0') != CEV_OK) {
            b->failed = 1;
            return;
        }
    }
    if (!grow(&b->cur, &b->capcur, b->ncur + 1, sizeof *b->cur)) {
        b->failed = 1;
        return;
    }
    b->cur[b->ncur++] = at;
}

/* Called at the end of every line (CSV_REPALL_NL): a blank line is a row
 * with no cell, and the LF of a CRLF a second, empty call, which ends no
 * row.  So rows count as the sheet shows them, blank ones included (but
 * not blank lines before the header, which stays row 1); a quoted line
 * break is inside one row. */
static void on_row(int terminator, void *ctx)
{
    builder *b = ctx;
    if (b->failed)
        return;
    size_t n = b->ncur;
    int crlf = terminator == '\n' && b->prev_term == '\r' && n == 0;
    b->prev_term = terminator;
    if (crlf || (n == 0 && b->hdr == NULL))
        return;
    long row = b->row++;
    b->ncur = 0;
    if (n == 0)
        return; /* a blank line */
    if (b->hdr == NULL) {
        b->hdr = malloc((n ? n : 1) * sizeof *b->hdr);
        if (b->hdr == NULL) {
            b->failed = 1;
            return;
        }
        memcpy(b->hdr, b->cur, n * sizeof *b->hdr);
        b->nhdr = n;
        return;
    }
    int any = 0;
    for (size_t i = 0; i < n; i++)
        any |= b->cur[i] != MISSING;
    if (!any)
        return; /* a blank row */
    for (size_t i = b->nhdr; i < n; i++)
        if (b->cur[i] > REFUSED) {
            char tmp[32];
            note(b, row, column_name(b, i, tmp, sizeof tmp),
                 "valeur « %s » hors des colonnes de l'en-tête", b->text.data + b->cur[i]);
        }
    if (!grow(&b->offs, &b->capoffs, b->noffs + b->nhdr, sizeof *b->offs) ||
        !grow(&b->rows, &b->caprows, b->nrows + 1, sizeof *b->rows)) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < b->nhdr; i++)
        b->offs[b->noffs + i] = i < n ? b->cur[i] : MISSING;
    b->noffs += b->nhdr;
    b->rows[b->nrows++] = row;
}

/* The separator the header row uses most (outside quotes): ';' on a tie. */
static char detect_separator(const char *s, size_t len)
{
    size_t semi = 0, comma = 0;
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ';')
            semi++;
        else if (!quoted && c == ',')
            comma++;
    }
    return comma > semi ? ',' : ';';
}

static const char not_utf8_message[] =
    "le fichier n'est pas en UTF-8 (premier octet invalide dans cette cellule) ; il a sans doute été "
    "enregistré en « CSV Windows-1252 » ou « CSV (séparateur : point-virgule) ». "
    "Rouvrez-le dans le tableur puis « Enregistrer sous » : dans Excel, choisissez le "
    "type « CSV UTF-8 (délimité par des virgules) » ; dans LibreOffice Calc, choisissez "
    "« Texte CSV », cochez « Éditer les paramètres du filtre » et prenez le jeu de "
    "caractères « Unicode (UTF-8) »";

/* Where byte `off` is, as the sheet shows it: its row (line ends outside
 * quotes, a CRLF once; the header is 1) and its column (1-based, the
 * separators outside quotes before it on that row). */
static void position_of(const char *s, size_t off, char sep, long *row, size_t *col)
{
    int quoted = 0;
    *row = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\r' || (c == '\n' && (i == 0 || s[i - 1] != '\r')))) {
            (*row)++;
            *col = 1;
        } else if (!quoted && c == sep)
            (*col)++;
    }
}

/* The name of column `col` (1-based) in the header row, copied to `out`
 * when it is plain (unquoted, not empty); else "colonne N". */
static void header_name(const char *s, size_t len, char sep, size_t col, char *out, size_t size)
{
    size_t i = 0, n = 1;
    for (; i < len && n < col && s[i] != '\r' && s[i] != '\n'; i++)
        n += s[i] == sep;
    size_t start = i;
    while (i < len && s[i] != sep && s[i] != '\r' && s[i] != '\n' && s[i] != '"')
        i++;
    int plain = n == col && i > start && (i == len || s[i] != '"');
    if (plain && i - start < size)
        snprintf(out, size, "%.*s", (int)(i - start), s + start);
    else
        snprintf(out, size, "colonne %zu", col);
}

/* The sheet row of byte `off`, its column's name in `name` (the header's
 * name, or "colonne N" in the header row itself). */
static long locate(const char *s, size_t len, size_t off, char sep, char *name, size_t size)
{
    long row;
    size_t col;
    position_of(s, off, sep, &row, &col);
    if (row > 1)
        header_name(s, len, sep, col, name, size);
    else
        snprintf(name, size, "colonne %zu", col);
    return row;
}

/* Checks the bytes before parsing: UTF-8, no NUL.  A byte that is not
 * UTF-8 is told at its row and column, as the other problems are. */
static cev_code check_text(const char *file, const char *s, size_t len, char sep,
                           cev_errlist *problems, int *bad)
{
    size_t at = cev_utf8_check(s, len);
    if (at < len) {
        *bad = 1;
        char name[64];
        long row = locate(s, len, at, sep, name, sizeof name);
        return cev_table_problem(problems, file, row, name, "%s", not_utf8_message);
    }
    const char *nul = memchr(s, '\0', len);
    if (nul != NULL) {
        *bad = 1;
        char name[64];
        long row = locate(s, len, (size_t)(nul - s), sep, name, sizeof name);
        return cev_table_problem(problems, file, row, name,
                                 "octet nul dans le fichier : ce n'est pas un fichier CSV texte");
    }
    return CEV_OK;
}

static void builder_close(builder *b)
{
    cev_buf_close(&b->text);
    free(b->cur);
    free(b->hdr);
    free(b->offs);
    free(b->rows);
}

/* Checks the header's names: none empty, none repeated. */
static void check_header(builder *b)
{
    for (size_t i = 0; i < b->nhdr; i++) {
        const char *name = b->text.data + b->hdr[i];
        char tmp[32];
        if (b->hdr[i] == REFUSED)
            continue; /* too long, told */
        if (*name == '\0') {
            note(b, 1, column_name(b, i, tmp, sizeof tmp), "colonne sans nom dans l'en-tête");
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(name, b->text.data + b->hdr[j]) == 0) {
                note(b, 1, name, "colonne « %s » présente deux fois dans l'en-tête", name);
                break;
            }
    }
}

/* Moves what the builder holds into a table. */
static cev_code finish(builder *b, cev_table *t, cev_error *err)
{
    t->ncols = b->nhdr;
    t->nrows = b->nrows;
    t->cols = malloc((b->nhdr ? b->nhdr : 1) * sizeof *t->cols);
    t->cells = malloc((b->noffs ? b->noffs : 1) * sizeof *t->cells);
    if (t->cols == NULL || t->cells == NULL)
        return cev_error_nomem(err);
    t->text = cev_buf_take(&b->text);
    for (size_t i = 0; i < b->nhdr; i++)
        t->cols[i] = t->text + b->hdr[i];
    for (size_t i = 0; i < b->noffs; i++)
        t->cells[i] = t->text + b->offs[i];
    t->rows = b->rows;
    b->rows = NULL;
    return CEV_OK;
}

static cev_code parse(cev_table *t, const char *s, size_t len, cev_errlist *problems,
                      cev_error *err)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.file = t->file;
    b.problems = problems;
    b.row = 1;
    cev_buf_init(&b.text);
    if (cev_buf_putc(&b.text, '\0') != CEV_OK || cev_buf_putc(&b.text, '\0') != CEV_OK) {
        cev_buf_close(&b.text);
        return cev_error_nomem(err);
    }

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
        builder_close(&b);
        return cev_error_nomem(err);
    }
    csv_set_delim(&p, (unsigned char)t->sep);
    size_t used = csv_parse(&p, s, len, on_cell, on_row, &b);
    int bad = used < len && csv_error(&p) == CSV_EPARSE;
    if (!bad && !b.failed && csv_fini(&p, on_cell, on_row, &b) != 0)
        bad = csv_error(&p) == CSV_EPARSE;
    int nomem = b.failed || (used < len && !bad) || csv_error(&p) == CSV_ENOMEM;
    csv_free(&p);
    if (nomem) {
        builder_close(&b);
        return cev_error_nomem(err);
    }
    if (bad) {
        note(&b, b.row, NULL,
             "guillemet mal placé ou jamais refermé dans cette ligne (une cellule entre "
             "guillemets doit finir par un guillemet, et un guillemet dans une cellule "
             "s'écrit doublé)");
        builder_close(&b);
        return b.failed ? cev_error_nomem(err) : CEV_PROBLEMS;
    }
    if (b.hdr == NULL) {
        note(&b, 0, NULL, "fichier vide : la ligne d'en-tête (le nom des colonnes) manque");
        builder_close(&b);
        return b.failed ? cev_error_nomem(err) : CEV_PROBLEMS;
    }
    check_header(&b);
    cev_code rc = b.failed ? cev_error_nomem(err) : finish(&b, t, err);
    int problem = b.problem;
    builder_close(&b);
    if (rc != CEV_OK)
        return rc;
    return problem ? CEV_PROBLEMS : CEV_OK;
}

/* A file of the folder given as a symbolic link: NULL when the link leads
 * to a file inside the folder (read as that file), else why it is refused.
 * A link that leaves the folder is refused: the folder is what is archived
 * with the PV and printed again from later, so it must hold its files
 * itself (a link to a shared jury.csv would print tomorrow's), and a folder
 * received from a centre must not make certeval read, and echo in its
 * problems, a file elsewhere on the machine (another session's names). */
static const char *link_refused(const char *dir, const char *path)
{
    char real_dir[PATH_MAX], real[PATH_MAX];
    if (realpath(path, real) == NULL)
        return "lien symbolique vers un fichier introuvable : mettre le fichier lui-même dans "
               "le dossier de session";
    if (realpath(dir, real_dir) == NULL) /* the folder moved meanwhile */
        return "lien symbolique dans un dossier de session devenu illisible";
    size_t n = strlen(real_dir);
    int inside = strncmp(real, real_dir, n) == 0 && (real[n] == '/' || strcmp(real_dir, "/") == 0);
    return inside ? NULL
                  : "lien symbolique vers un fichier hors du dossier de session : copier le "
                    "fichier lui-même dans le dossier, à la place du lien (le dossier doit "
                    "contenir tout ce qui a servi à la session, pour la réimprimer plus tard)";
}

/* Reads the file: a missing one is a problem, not an error of the run. */
static cev_code load(const char *dir, const char *name, char **data, size_t *len,
                     cev_errlist *problems, cev_error *err)
{
    *data = NULL;
    cev_buf path;
    cev_buf_init(&path);
    if (cev_buf_printf(&path, "%s/%s", dir, name) != CEV_OK)
        return cev_error_nomem(err);
    struct stat st;
    cev_code rc;
    const char *refused = NULL;
    if (lstat(path.data, &st) == 0 && S_ISLNK(st.st_mode))
        refused = link_refused(dir, path.data);
    int found = refused == NULL && stat(path.data, &st) == 0;
    if (!found || !S_ISREG(st.st_mode)) {
        int missing = !found && (errno == ENOENT || errno == ENOTDIR);
        rc = cev_table_problem(problems, name, 0, NULL, "%s",
                               refused ? refused
                               : missing ? "fichier absent du dossier de session"
                                         : "ce n'est pas un fichier");
        cev_buf_close(&path);
        return rc == CEV_OK ? CEV_PROBLEMS : cev_error_nomem(err);
    }
    cev_error e;
    rc = cev_file_read(path.data, data, len, &e);
    cev_buf_close(&path);
    if (rc == CEV_ENOMEM)
        return cev_error_nomem(err);
    if (rc != CEV_OK) {
        rc = cev_table_problem(problems, name, 0, NULL, "fichier illisible (%s)", e.message);
        return rc == CEV_OK ? CEV_PROBLEMS : cev_error_nomem(err);
    }
    return CEV_OK;
}

cev_code cev_table_read(cev_table **out, const char *dir, const char *name,
                        cev_errlist *problems, cev_error *err)
{
    *out = NULL;
    char *data;
    size_t len;
    cev_code rc = load(dir, name, &data, &len, problems, err);
    if (rc != CEV_OK)
        return rc;
    const char *s = data;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    int bad = 0;
    char sep = detect_separator(s, len);
    rc = check_text(name, s, len, sep, problems, &bad);
    if (rc != CEV_OK || bad) {
        free(data);
        return rc != CEV_OK ? cev_error_nomem(err) : CEV_PROBLEMS;
    }
    cev_table *t = calloc(1, sizeof *t);
    if (t == NULL || (t->file = strdup(name)) == NULL) {
        free(t);
        free(data);
        return cev_error_nomem(err);
    }
    t->sep = sep;
    rc = parse(t, s, len, problems, err);
    free(data);
    if (rc < 0 || t->text == NULL) {
        cev_table_close(t);
        return rc;
    }
    *out = t;
    return rc;
}

void cev_table_close(cev_table *t)
{
    if (t == NULL)
        return;
    free(t->file);
    free(t->cols);
    free(t->cells);
    free(t->rows);
    free(t->text);
    free(t);
}

long cev_table_col(const cev_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i], name) == 0)
            return (long)i;
    return -1;
}

const char *cev_table_cell(const cev_table *t, size_t row, long col)
{
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
        return "";
    return t->cells[row * t->ncols + (size_t)col];
}

static int listed(const char *const *list, const char *name)
{
    for (size_t i = 0; list != NULL && list[i] != NULL; i++)
        if (strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

cev_code cev_table_columns(const cev_table *t, const char *const *known,
                           const char *const *required,
                           int (*extra)(void *ctx, const char *col), void *ctx,
                           cev_errlist *problems, cev_error *err)
{
    int problem = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        const char *c = t->cols[i];
        if (*c == '\0' || listed(known, c) || listed(required, c) || (extra && extra(ctx, c)))
            continue;
        problem = 1;
        if (cev_table_problem(problems, t->file, 1, c, "colonne inconnue « %s »", c) != CEV_OK)
            return cev_error_nomem(err);
    }
    for (size_t i = 0; required != NULL && required[i] != NULL; i++) {
        if (cev_table_col(t, required[i]) >= 0)
            continue;
        problem = 1;
        if (cev_table_problem(problems, t->file, 1, required[i],
                              "colonne « %s » absente de l'en-tête", required[i]) != CEV_OK)
            return cev_error_nomem(err);
    }
    return problem ? CEV_PROBLEMS : CEV_OK;
}
