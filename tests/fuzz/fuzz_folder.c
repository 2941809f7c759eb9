/*
 * fuzz_folder.c - libFuzzer: one input = one file of a session folder, read
 * by `import` (libcsv, the folder's checks, every assessment file's checks,
 * the records written) beside the other files of the AICMP sample folder.
 *
 * The input's first byte picks the file it replaces (modulo the number of
 * files), the rest is its content.  An import either writes one record per
 * candidate and reports no problem, or writes nothing and reports at least
 * one; every problem is "file..." with a message.
 *
 * The engine and the copy of the folder live in statics: harness state,
 * not product state.  The copy is in /tmp, restored after each input and
 * removed at exit.
 */
#include "decide/pipeline.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_FILES = 64 };

static cev_engine engine;
static char dir[256];
static char *names[MAX_FILES]; /* the sample folder's .csv files, sorted */
static char *texts[MAX_FILES]; /* and their contents */
static size_t sizes[MAX_FILES];
static size_t nfiles;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1)) != NULL &&
            fread(text, 1, (size_t)n, f) == (size_t)n)
            *len = (size_t)n;
        else {
            free(text);
            text = NULL;
        }
    }
    if (f)
        fclose(f);
    return text;
}

static void put(size_t i, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        abort();
}

/* The copy goes at exit (libFuzzer ends a campaign with exit()). */
static void remove_copy(void)
{
    for (size_t i = 0; i < nfiles; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
        free(names[i]);
        free(texts[i]);
    }
    rmdir(dir);
    cev_engine_close(&engine);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cev_error err;
    if (cev_engine_open(&engine, CEV_FUZZ_PLUGINS_DIR, CEV_FUZZ_RULES_DIR, 1, &err) != CEV_OK)
        abort();
    DIR *d = opendir(CEV_FUZZ_SESSION_DIR);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && nfiles < MAX_FILES) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".csv") == 0 &&
            (names[nfiles] = strdup(e->d_name)) != NULL)
            nfiles++;
    }
    if (d == NULL || nfiles == 0)
        abort();
    closedir(d);
    qsort(names, nfiles, sizeof *names, by_name);
    snprintf(dir, sizeof dir, "/tmp/cev-fuzz-folder-%ld", (long)getpid());
    mkdir(dir, 0700);
    for (size_t i = 0; i < nfiles; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", CEV_FUZZ_SESSION_DIR, names[i]);
        if ((texts[i] = slurp(path, &sizes[i])) == NULL)
            abort();
        put(i, texts[i], sizes[i]);
    }
    atexit(remove_copy);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t which = data[0] % nfiles;
    put(which, data + 1, size - 1);
    cev_buf out;
    cev_errlist problems;
    cev_error err;
    size_t records = 0;
    cev_buf_init(&out);
    cev_errlist_init(&problems);
    int rc = cev_import(&engine, dir, &out, &records, &problems, &err);
    size_t nproblems = cev_errlist_count(&problems);
    if (rc == CEV_OK && (nproblems != 0 || (records > 0) != (out.len > 0)))
        abort(); /* written, yet problems; or records without text */
    if (rc == CEV_PROBLEMS && (nproblems == 0 || out.len != 0))
        abort(); /* refused with nothing said, or written anyway */
    if (rc != CEV_OK && rc != CEV_PROBLEMS && rc != CEV_ENOMEM)
        abort(); /* the folder is there and readable */
    for (size_t i = 0; i < problems.n; i++)
        if (problems.items[i].message[0] == '\0')
            abort();
    if (out.len > 0 && out.data[out.len - 1] != '\n')
        abort();
    cev_errlist_close(&problems);
    cev_buf_close(&out);
    put(which, texts[which], sizes[which]);
    return 0;
}
