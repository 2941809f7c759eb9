/*
 * inputs.c - the session files eval reads, checked before anything is
 * decided and opened in turn, and the files it must not write over.
 */
#include "inputs.h"

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void cli_file_id_fd(cli_file_id *f, const char *name, int fd)
{
    f->name = name;
    f->regular = fstat(fd, &f->st) == 0 && S_ISREG(f->st.st_mode);
}

void cli_file_id_path(cli_file_id *f, const char *name)
{
    f->name = name;
    f->regular = stat(name, &f->st) == 0 && S_ISREG(f->st.st_mode);
}

static int same_file(const cli_file_id *a, const cli_file_id *b)
{
    return a->regular && b->regular && a->st.st_dev == b->st.st_dev &&
           a->st.st_ino == b->st.st_ino;
}

/* Refuses a run that would write where it reads or logs, before anything is
 * written: `-o` naming a session file would truncate it before it is read
 * (its records lost), stdout appended to one would feed the run its own
 * records, and either one on the audit log would break the store.  `log` is
 * NULL without -a. */
int cli_clobbers(const cli_file_id *inputs, size_t n, const cli_file_id *out,
                 const cli_file_id *log)
{
    for (size_t i = 0; i < n; i++) {
        if (same_file(&inputs[i], out)) {
            cli_error("output %s is also the input %s: choose another output", out->name,
                      inputs[i].name);
            return 1;
        }
        if (log && same_file(&inputs[i], log)) {
            cli_error("input %s is the audit log %s", inputs[i].name, log->name);
            return 1;
        }
    }
    if (log && same_file(out, log)) {
        cli_error("output %s is the audit log %s: choose another output", out->name, log->name);
        return 1;
    }
    return 0;
}

/* Whether `path` (a file that may not exist yet) is in the folder `dir`
 * resolved, or below it: its folder resolved starts with it. */
static int inside(const char *path, const char *dir)
{
    char parent[PATH_MAX], *real_parent = NULL, *real_dir = realpath(dir, NULL);
    const char *slash = strrchr(path, '/');
    int in = 0;
    if (slash == NULL)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (real_dir && (real_parent = realpath(parent, NULL)) != NULL) {
        size_t n = strlen(real_dir);
        in = strncmp(real_parent, real_dir, n) == 0 &&
             (real_parent[n] == '\0' || real_parent[n] == '/' || n == 1);
    }
    free(real_dir);
    free(real_parent);
    return in;
}

int cli_in_store(const cli_file_id *out, const char *output, const char *dir, int french)
{
    char fd_path[PATH_MAX];
    if (output == NULL && out->regular) { /* stdout redirected to a file: which one */
        ssize_t n = readlink("/proc/self/fd/1", fd_path, sizeof fd_path - 1);
        if (n > 0) {
            fd_path[n] = '\0';
            output = fd_path;
        }
    }
    if (output && inside(output, dir)) {
        if (french)
            cli_error("la sortie %s est dans le registre d'audit %s : choisir un autre fichier "
                      "(-o), hors du registre", output, dir);
        else
            cli_error("output %s is inside the audit store %s: choose another output", output,
                      dir);
        return 1;
    }
    static const char *const files[] = {"head", "lock"}; /* (the log: cli_clobbers) */
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[PATH_MAX];
        cli_file_id f;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        cli_file_id_path(&f, path);
        if (same_file(out, &f)) { /* a hard link to it, elsewhere */
            if (french)
                cli_error("la sortie %s est le fichier %s du registre d'audit : choisir un "
                          "autre fichier (-o)", out->name, path);
            else
                cli_error("output %s is the audit store's %s: choose another output",
                          out->name, path);
            return 1;
        }
    }
    return 0;
}

int cli_folder_file(const cli_file_id *out, const char *folder)
{
    if (!out->regular)
        return 0; /* a new file, stdout on a terminal or a pipe: nothing to replace */
    DIR *d = opendir(folder);
    struct dirent *e;
    int found = 0;
    while (d != NULL && !found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcasecmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        char path[PATH_MAX];
        cli_file_id f;
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        cli_file_id_path(&f, path);
        if (same_file(out, &f)) {
            cli_error("la sortie %s est le fichier %s du dossier de session : il serait "
                      "remplacé ; choisir un autre fichier (-o)", out->name, path);
            found = 1;
        }
    }
    if (d != NULL)
        closedir(d);
    return found;
}

/* Checks that input `name` opens and is not a folder, and notes which file
 * it is.  A regular file is closed again, to be opened when its turn comes:
 * a session may come in more files than a process may hold open.  Anything
 * else (a pipe, a device) is kept open: it could not be read twice.  0, or
 * -1 (said). */
int cli_check_input(const char *name, cli_file_id *id)
{
    FILE *f = fopen(name, "rb");
    if (f != NULL) {
        cli_file_id_fd(id, name, fileno(f));
        int dir = !id->regular && S_ISDIR(id->st.st_mode);
        if (!id->regular && !dir) {
            id->held = f;
            return 0;
        }
        fclose(f);
        if (!dir)
            return 0;
        errno = EISDIR; /* fopen opens a folder; reading it fails later, less clearly */
    }
    cli_error("%s: %s", name, strerror(errno));
    return -1;
}

/* The stream of input `id` when its turn comes: the one held, or the file
 * opened again, as checked at the start.  NULL (said) if it cannot be, or
 * was replaced meanwhile. */
FILE *cli_open_input(cli_file_id *id)
{
    if (id->held) {
        FILE *f = id->held;
        id->held = NULL;
        return f;
    }
    FILE *f = fopen(id->name, "rb");
    cli_file_id now;
    if (f != NULL) {
        cli_file_id_fd(&now, id->name, fileno(f));
        if (same_file(&now, id))
            return f;
        fclose(f);
        cli_error("%s: replaced since the run started", id->name);
        return NULL;
    }
    cli_error("%s: %s", id->name, strerror(errno));
    return NULL;
}
