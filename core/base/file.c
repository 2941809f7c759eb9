#include "base/file.h"

#include "base/buf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

cev_code cev_file_read(const char *path, char **out, size_t *len, cev_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cev_error_set(err, CEV_EIO, "", "%s: %s", path, strerror(errno));
    char *data = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *p = realloc(data, ncap + 1);
            if (p == NULL) {
                free(data);
                fclose(f);
                return cev_error_set(err, CEV_ENOMEM, "", "%s: out of memory", path);
            }
            data = p;
            cap = ncap;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        return cev_error_set(err, CEV_EIO, "", "%s: read error", path);
    }
    data[n] = '\0';
    *out = data;
    *len = n;
    return CEV_OK;
}

typedef struct {
    char **paths;
    size_t count, cap;
} file_list;

static int list_push(file_list *l, const char *rel)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (p == NULL)
            return CEV_ENOMEM;
        l->paths = p;
        l->cap = cap;
    }
    char *s = strdup(rel);
    if (s == NULL)
        return CEV_ENOMEM;
    l->paths[l->count++] = s;
    return CEV_OK;
}

/* Walks root/rel (rel "" for the root), depth-limited against link loops. */
static int walk(const char *root, const char *rel, int depth, file_list *l, cev_error *err)
{
    cev_buf dirpath;
    cev_buf_init(&dirpath);
    if (cev_buf_printf(&dirpath, "%s%s%s", root, *rel ? "/" : "", rel) != CEV_OK)
        return cev_error_nomem(err);
    if (depth > 16) {
        cev_error_set(err, CEV_EIO, "", "%s: folders nested too deep", dirpath.data);
        cev_buf_close(&dirpath);
        return CEV_EIO;
    }
    DIR *d = opendir(dirpath.data);
    if (d == NULL) {
        cev_error_set(err, CEV_EIO, "", "%s: %s", dirpath.data, strerror(errno));
        cev_buf_close(&dirpath);
        return CEV_EIO;
    }
    int rc = CEV_OK;
    cev_buf child, full;
    cev_buf_init(&child);
    cev_buf_init(&full);
    struct dirent *e;
    while (rc == CEV_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        cev_buf_reset(&child);
        cev_buf_reset(&full);
        if (cev_buf_printf(&child, "%s%s%s", rel, *rel ? "/" : "", e->d_name) != CEV_OK ||
            cev_buf_printf(&full, "%s/%s", root, child.data) != CEV_OK) {
            rc = cev_error_nomem(err);
            break;
        }
        struct stat st;
        if (stat(full.data, &st) != 0) {
            rc = cev_error_set(err, CEV_EIO, "", "%s: %s", full.data, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(root, child.data, depth + 1, l, err);
        } else if (S_ISREG(st.st_mode)) {
            if (list_push(l, child.data) != CEV_OK)
                rc = cev_error_nomem(err);
        }
    }
    closedir(d);
    cev_buf_close(&child);
    cev_buf_close(&full);
    cev_buf_close(&dirpath);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cev_file_list_free(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

cev_code cev_file_list(const char *dir, char ***paths, size_t *count, cev_error *err)
{
    file_list l = {NULL, 0, 0};
    int rc = walk(dir, "", 0, &l, err);
    if (rc != CEV_OK) {
        cev_file_list_free(l.paths, l.count);
        return rc;
    }
    if (l.count)
        qsort(l.paths, l.count, sizeof *l.paths, cmp_str);
    *paths = l.paths;
    *count = l.count;
    return CEV_OK;
}
