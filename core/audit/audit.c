#define _GNU_SOURCE /* memmem() */
#include "audit/audit.h"

#include "base/file.h"
#include "base/json.h"
#include "base/json_write.h"
#include "base/lines.h"
#include "base/utf8.h"
#include "decide/pipeline.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char zero_hash[CEV_SHA256_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* ---- small file helpers --------------------------------------------------- */

static char *join(const char *a, const char *b)
{
    cev_buf p;
    cev_buf_init(&p);
    if (cev_buf_printf(&p, "%s/%s", a, b) != CEV_OK)
        return NULL;
    return cev_buf_take(&p);
}

static int io_error(cev_error *err, const char *what, const char *path)
{
    return cev_error_set(err, CEV_EIO, "", "%s %s: %s", what, path, strerror(errno));
}

/* Folders are made 0750: the log holds candidates' records in full, which
 * are personal data.  The owner's group (an audit team) may read the store;
 * others cannot enter it, whatever the modes of the files inside. */
static int make_dir(const char *path, cev_error *err)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return CEV_OK;
    return io_error(err, "cannot create", path);
}

/* CEV_OK or CEV_EIO (errno says why): a write(2) loop. */
static cev_code write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return CEV_EIO;
        data += n;
        len -= (size_t)n;
    }
    return CEV_OK;
}

/* CEV_OK or CEV_EIO (errno says why). */
static cev_code sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return CEV_EIO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? CEV_OK : CEV_EIO;
}

/* Writes `data` to path durably: a temporary file, fsync, rename. */
static int write_file_atomic(const char *path, const char *data, size_t len, cev_error *err)
{
    char *tmp = NULL;
    cev_buf b;
    cev_buf_init(&b);
    if (cev_buf_printf(&b, "%s.tmp.%ld", path, (long)getpid()) != CEV_OK)
        return cev_error_nomem(err);
    tmp = cev_buf_take(&b);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = CEV_OK;
    if (fd < 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        rc = io_error(err, "cannot write", tmp);
    if (fd >= 0 && close(fd) != 0 && rc == CEV_OK)
        rc = io_error(err, "cannot write", tmp);
    if (rc == CEV_OK && rename(tmp, path) != 0)
        rc = io_error(err, "cannot rename", tmp);
    if (rc != CEV_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

static int copy_file(const char *from, const char *to, cev_error *err)
{
    char *data;
    size_t len;
    int rc = cev_file_read(from, &data, &len, err);
    if (rc != CEV_OK)
        return rc;
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0)
        rc = io_error(err, "cannot write", to);
    if (fd >= 0)
        close(fd);
    free(data);
    return rc;
}

/* Creates the parent folders of dir/rel inside dir. */
static int make_parents(const char *dir, const char *rel, cev_error *err)
{
    cev_buf p;
    cev_buf_init(&p);
    int rc = CEV_OK;
    for (const char *s = strchr(rel, '/'); s && rc == CEV_OK; s = strchr(s + 1, '/')) {
        cev_buf_reset(&p);
        if (cev_buf_printf(&p, "%s/%.*s", dir, (int)(s - rel), rel) != CEV_OK)
            rc = cev_error_nomem(err);
        else
            rc = make_dir(p.data, err);
    }
    cev_buf_close(&p);
    return rc;
}

/* ---- opening: the lock and the last entry ------------------------------------ */

long long cev_audit_line_start(int fd, long long end)
{
    char chunk[4096];
    while (end > 0) {
        long long from = end >= (long long)sizeof chunk ? end - (long long)sizeof chunk : 0;
        ssize_t n = pread(fd, chunk, (size_t)(end - from), (off_t)from);
        if (n != end - from) {
            if (n >= 0)
                errno = EIO; /* shorter than the size fstat gave: it shrank */
            return -1;
        }
        for (ssize_t i = n - 1; i >= 0; i--)
            if (chunk[i] == '\n')
                return from + i + 1;
        end = from;
    }
    return 0;
}

long long cev_audit_complete(int fd, long long size)
{
    char c;
    if (size == 0)
        return 0;
    ssize_t n = pread(fd, &c, 1, (off_t)(size - 1));
    if (n != 1) {
        if (n == 0)
            errno = EIO; /* shorter than the size given: it shrank */
        return -1;
    }
    return c == '\n' ? size : cev_audit_line_start(fd, size - 1);
}

cev_code cev_audit_lock(const char *dir, int create, int *fd, cev_error *err)
{
    char *lock = join(dir, "lock");
    if (lock == NULL)
        return cev_error_nomem(err);
    int rc = CEV_OK;
    if ((*fd = open(lock, create ? O_RDWR | O_CREAT : O_RDWR, 0644)) < 0) {
        if (create || errno != ENOENT)
            rc = io_error(err, "cannot open", lock);
    } else {
        struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        while (fcntl(*fd, F_SETLKW, &lk) != 0 && rc == CEV_OK)
            if (errno != EINTR)
                rc = io_error(err, "cannot lock", lock);
        if (rc != CEV_OK) {
            close(*fd);
            *fd = -1;
        }
    }
    free(lock);
    return rc;
}

/* Reads the last line of the log (which must end with '\n'). */
static int read_last_entry(const char *path, long *seq, char hash[CEV_SHA256_HEX],
                           cev_error *err)
{
    *seq = 0;
    memcpy(hash, zero_hash, CEV_SHA256_HEX);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno == ENOENT ? CEV_OK : io_error(err, "cannot read", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return io_error(err, "cannot read", path);
    }
    off_t size = st.st_size;
    char c = '\n';
    if (size == 0 || pread(fd, &c, 1, size - 1) != 1 || c != '\n') {
        close(fd);
        if (size == 0)
            return CEV_OK;
        return cev_error_set(err, CEV_EIO, "",
                             "%s does not end with a newline: its last entry is torn (an "
                             "interrupted write) or lost only its final newline; run "
                             "`certeval verify -a DIR --repair` first, which cuts the one and "
                             "gives the other its newline back",
                             path);
    }
    off_t start = (off_t)cev_audit_line_start(fd, size - 1);
    if (start < 0) {
        int rc = io_error(err, "cannot read", path);
        close(fd);
        return rc;
    }
    size_t len = (size_t)(size - 1 - start);
    char *line = malloc(len + 1);
    int rc = CEV_OK;
    if (line == NULL)
        rc = cev_error_nomem(err);
    else if (pread(fd, line, len, start) != (ssize_t)len)
        rc = io_error(err, "cannot read", path);
    close(fd);
    cJSON *e = NULL;
    if (rc == CEV_OK && (rc = cev_json_parse(line, len, 8, &e, err)) != CEV_OK &&
        rc != CEV_ENOMEM)
        rc = cev_error_set(err, CEV_EIO, "", "%s: the last entry is not valid: %s", path,
                           err->message);
    const cJSON *s = cev_json_get(e, "seq"), *h = cev_json_get(e, "hash");
    if (rc == CEV_OK && (!cJSON_IsNumber(s) || !cJSON_IsString(h) ||
                         strlen(h->valuestring) != CEV_SHA256_HEX - 1))
        rc = cev_error_set(err, CEV_EIO, "", "%s: the last entry has no seq or hash", path);
    if (rc == CEV_OK) {
        *seq = (long)s->valuedouble;
        memcpy(hash, h->valuestring, CEV_SHA256_HEX);
    }
    cJSON_Delete(e);
    free(line);
    return rc;
}

cev_code cev_audit_read_head(const char *dir, int *present, long *seq,
                            char hash[CEV_SHA256_HEX], cev_error *err)
{
    *present = 0;
    *seq = 0;
    memcpy(hash, zero_hash, CEV_SHA256_HEX);
    char *path = join(dir, "head"), *text = NULL;
    if (path == NULL)
        return cev_error_nomem(err);
    struct stat st;
    size_t len;
    int rc = CEV_OK;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT)
            rc = io_error(err, "cannot read", path);
        free(path);
        return rc;
    }
    *present = 1;
    rc = cev_file_read(path, &text, &len, err);
    cJSON *h = NULL;
    cev_error perr;
    const cJSON *s = NULL, *hs = NULL;
    if (rc == CEV_OK && cev_json_parse(text, len, 4, &h, &perr) == CEV_ENOMEM)
        rc = cev_error_nomem(err);
    else if (rc == CEV_OK &&
             (h == NULL || !cJSON_IsNumber(s = cev_json_get(h, "seq")) || s->valuedouble < 0 ||
              s->valuedouble != (double)(long)s->valuedouble ||
              !cJSON_IsString(hs = cev_json_get(h, "hash")) ||
              strlen(hs->valuestring) != CEV_SHA256_HEX - 1 ||
              (s->valuedouble == 0 && strcmp(hs->valuestring, zero_hash) != 0)))
        rc = CEV_PROBLEMS;
    else if (rc == CEV_OK) {
        *seq = (long)s->valuedouble;
        memcpy(hash, hs->valuestring, CEV_SHA256_HEX);
    }
    cJSON_Delete(h);
    free(text);
    free(path);
    return rc;
}

cev_code cev_audit_catalog_files(const char *dir, char ***names, size_t *n, cev_error *err)
{
    *names = NULL;
    *n = 0;
    char *objects = join(dir, "objects");
    if (objects == NULL)
        return cev_error_nomem(err);
    DIR *d = opendir(objects);
    int rc = CEV_OK;
    if (d == NULL) {
        if (errno != ENOENT)
            rc = io_error(err, "cannot read", objects);
        free(objects);
        return rc;
    }
    size_t cap = 0;
    struct dirent *de;
    errno = 0;
    while (rc == CEV_OK && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 13 || strncmp(de->d_name, "catalog-", 8) != 0 ||
            strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            char **more = realloc(*names, cap * sizeof *more);
            if (more == NULL) {
                rc = cev_error_nomem(err);
                break;
            }
            *names = more;
        }
        if (((*names)[*n] = strndup(de->d_name + 8, len - 13)) == NULL)
            rc = cev_error_nomem(err);
        else
            (*n)++;
    }
    if (rc == CEV_OK && errno != 0)
        rc = io_error(err, "cannot read", objects);
    closedir(d);
    free(objects);
    if (rc != CEV_OK) {
        cev_file_list_free(*names, *n);
        *names = NULL;
        *n = 0;
    }
    return rc;
}

/* Before appending: the log's last entry must be the one the head records,
 * so that entries deleted at its end are never sealed over by this run.  A
 * new store (no log entry, no catalog, no head) gets a head of entry 0. */
static int check_head(cev_audit *a, cev_error *err)
{
    int present;
    long seq;
    char hash[CEV_SHA256_HEX];
    int rc = cev_audit_read_head(a->dir, &present, &seq, hash, err);
    if (rc == CEV_PROBLEMS)
        return cev_error_set(err, CEV_EIO, "",
                             "%s/head is not valid; nothing was appended: run `certeval verify "
                             "-a %s` and see the audit guide",
                             a->dir, a->dir);
    if (rc != CEV_OK)
        return rc;
    if (present && (seq != a->seq || strcmp(hash, a->prev) != 0))
        return cev_error_set(err, CEV_EIO, "",
                             "the log ends with entry %ld but its head records entry %ld%s: "
                             "entries at its end were deleted, or a run stopped before "
                             "recording them.  Nothing was appended: run `certeval verify -a "
                             "%s` to see which",
                             a->seq, seq, seq == a->seq ? " with another hash" : "", a->dir);
    if (present)
        return CEV_OK;
    char **names;
    size_t n = 0;
    if (a->seq == 0 && (rc = cev_audit_catalog_files(a->dir, &names, &n, err)) != CEV_OK)
        return rc;
    if (a->seq == 0)
        cev_file_list_free(names, n);
    if (a->seq > 0 || n > 0)
        return cev_error_set(err, CEV_EIO, "",
                             "the store holds %s but no head: its log, or its end, may have "
                             "been deleted.  Nothing was appended: run `certeval verify -a %s`",
                             a->seq > 0 ? "entries" : "a catalog in objects/", a->dir);
    char head[160];
    int len = snprintf(head, sizeof head, "{\"seq\":0,\"hash\":\"%s\"}\n", zero_hash);
    char *path = join(a->dir, "head");
    rc = path ? write_file_atomic(path, head, (size_t)len, err) : cev_error_nomem(err);
    free(path);
    return rc;
}

cev_code cev_audit_open(cev_audit *a, const char *dir, cev_error *err)
{
    memset(a, 0, sizeof *a);
    a->log_fd = a->lock_fd = -1;
    cev_buf_init(&a->pending);
    cev_buf_init(&a->scratch);
    char *objects = NULL, *log = NULL;
    int rc = CEV_OK;
    if (!(a->dir = strdup(dir)) || !(objects = join(dir, "objects")) ||
        !(log = join(dir, "log.jsonl")))
        rc = cev_error_nomem(err);
    if (rc == CEV_OK && (rc = make_dir(dir, err)) == CEV_OK)
        rc = make_dir(objects, err);
    if (rc == CEV_OK)
        rc = cev_audit_lock(dir, 1, &a->lock_fd, err);
    if (rc == CEV_OK)
        rc = read_last_entry(log, &a->seq, a->prev, err);
    if (rc == CEV_OK)
        rc = check_head(a, err);
    struct stat st;
    if (rc == CEV_OK && (a->log_fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0)
        rc = io_error(err, "cannot open", log);
    else if (rc == CEV_OK && fstat(a->log_fd, &st) != 0)
        rc = io_error(err, "cannot read", log);
    else if (rc == CEV_OK)
        a->log_size = st.st_size; /* whole entries: a torn last line was refused above */
    a->synced_seq = a->seq;
    memcpy(a->synced_prev, a->prev, CEV_SHA256_HEX);
    a->run = a->seq + 1;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(a->at, sizeof a->at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    free(objects);
    free(log);
    if (rc != CEV_OK) {
        cev_error ignored;
        cev_audit_close(a, &ignored);
    }
    return rc;
}

/* ---- objects: packages and catalogs --------------------------------------- */

/* Copies package p into tmp/<name>/ and checks the copy hashes as p. */
static int copy_package(const cev_package *p, const char *tmp, cev_error *err)
{
    char *pkgdir = join(tmp, p->name);
    char **files = NULL;
    size_t n = 0;
    int rc = pkgdir ? CEV_OK : cev_error_nomem(err);
    if (rc == CEV_OK && (rc = make_dir(tmp, err)) == CEV_OK && (rc = make_dir(pkgdir, err)) == CEV_OK)
        rc = cev_file_list(p->dir, &files, &n, err);
    for (size_t i = 0; i < n && rc == CEV_OK; i++) {
        char *from = join(p->dir, files[i]), *to = join(pkgdir, files[i]);
        if (from == NULL || to == NULL)
            rc = cev_error_nomem(err);
        else if ((rc = make_parents(pkgdir, files[i], err)) == CEV_OK)
            rc = copy_file(from, to, err);
        free(from);
        free(to);
    }
    cev_file_list_free(files, n);
    char sha[CEV_SHA256_HEX];
    if (rc == CEV_OK && (rc = cev_sha256_package(pkgdir, sha, err)) == CEV_OK &&
        strcmp(sha, p->sha256) != 0)
        rc = cev_error_set(err, CEV_EIO, "", "package %s changed while it was being stored",
                           p->dir);
    free(pkgdir);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Removes the temporary folder `tmp` and what is in it, if it exists: what a
 * failed or interrupted run left (the store's lock is held: no other run is
 * writing it). */
static int remove_tmp(const char *tmp, cev_error *err)
{
    if (nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        return io_error(err, "cannot remove", tmp);
    return CEV_OK;
}

/* objects/<sha>/<name>/..., copied into a temporary folder then renamed, so
 * that a stored package is always whole.  The temporary folder is removed
 * when the copy fails. */
static int store_package(const cev_audit *a, const cev_package *p, cev_error *err)
{
    cev_buf final, tmp;
    cev_buf_init(&final);
    cev_buf_init(&tmp);
    int rc = CEV_OK;
    struct stat st;
    if (cev_buf_printf(&final, "%s/objects/%s", a->dir, p->sha256) != CEV_OK ||
        cev_buf_printf(&tmp, "%s/objects/.tmp-%s-%ld", a->dir, p->sha256, (long)getpid()) !=
            CEV_OK)
        rc = cev_error_nomem(err);
    else if (stat(final.data, &st) != 0 && (rc = remove_tmp(tmp.data, err)) == CEV_OK) {
        if ((rc = copy_package(p, tmp.data, err)) == CEV_OK && rename(tmp.data, final.data) != 0 &&
            errno != EEXIST && errno != ENOTEMPTY)
            rc = io_error(err, "cannot store", final.data);
        if (rc != CEV_OK) {
            cev_error ignored;
            remove_tmp(tmp.data, &ignored);
        }
    }
    cev_buf_close(&final);
    cev_buf_close(&tmp);
    return rc;
}

cev_code cev_audit_catalog(cev_audit *a, const cev_catalog *cat, int allow_draft, cev_error *err)
{
    a->allow_draft = allow_draft;
    cev_buf list;
    cev_buf_init(&list);
    cev_jw w;
    cev_jw_init(&w, &list);
    cev_jw_array(&w);
    int rc = CEV_OK;
    for (size_t i = 0; i < cat->count && rc == CEV_OK; i++) {
        rc = store_package(a, cat->pkgs[i], err);
        cev_jw_object(&w);
        cev_jw_key_lit(&w, "path");
        cev_jw_string(&w, cat->pkgs[i]->name);
        cev_jw_key_lit(&w, "sha256");
        cev_jw_string(&w, cat->pkgs[i]->sha256);
        cev_jw_end_object(&w);
    }
    cev_jw_end_array(&w);
    if (rc == CEV_OK && (cev_jw_status(&w) != CEV_OK || cev_buf_putc(&list, '\n') != CEV_OK ||
                         cev_sha256_hex(list.data, list.len, a->catalog) != CEV_OK))
        rc = cev_error_nomem(err);
    char name[96];
    snprintf(name, sizeof name, "objects/catalog-%s.json", a->catalog);
    char *path = rc == CEV_OK ? join(a->dir, name) : NULL;
    struct stat st;
    if (rc == CEV_OK && path == NULL)
        rc = cev_error_nomem(err);
    if (rc == CEV_OK && stat(path, &st) != 0)
        rc = write_file_atomic(path, list.data, list.len, err);
    if (rc == CEV_OK) {
        char *objects = join(a->dir, "objects");
        if (objects == NULL)
            rc = cev_error_nomem(err);
        else if (sync_dir(objects) != 0)
            rc = io_error(err, "cannot sync", objects);
        free(objects);
    }
    free(path);
    cev_buf_close(&list);
    return rc;
}

/* ---- appending ------------------------------------------------------------ */

static int base64(const char *in, size_t len, cev_buf *out)
{
    if (cev_buf_reserve(out, (len + 2) / 3 * 4 + 1) != CEV_OK)
        return CEV_ENOMEM;
    out->len = (size_t)EVP_EncodeBlock((unsigned char *)out->data, (const unsigned char *)in,
                                       (int)len);
    return CEV_OK;
}

cev_code cev_audit_add(cev_audit *a, const char *source, long line, const char *input, size_t ilen,
                  size_t input_size, const char *output, size_t olen, int undecided,
                  cev_error *err)
{
    if (a->failed)
        return cev_error_set(err, CEV_EIO, "", "%s: the log could not be written", a->dir);
    cev_buf *b = &a->scratch;
    cev_buf_reset(b);
    cev_jw w;
    cev_jw_init(&w, b);
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "seq");
    cev_jw_integer(&w, a->seq + 1);
    cev_jw_key_lit(&w, "prev");
    cev_jw_string(&w, a->prev);
    cev_jw_key_lit(&w, "run");
    cev_jw_integer(&w, a->run);
    cev_jw_key_lit(&w, "at");
    cev_jw_string(&w, a->at);
    cev_jw_key_lit(&w, "catalog");
    cev_jw_string(&w, a->catalog);
    cev_jw_key_lit(&w, "allow_draft");
    cev_jw_bool(&w, a->allow_draft);
    cev_jw_key_lit(&w, "source");
    cev_jw_string_len(&w, source, cev_utf8_check(source, strlen(source)));
    cev_jw_key_lit(&w, "line");
    cev_jw_integer(&w, line);
    if (input == NULL) {
        cev_jw_key_lit(&w, "input");
        cev_jw_null(&w);
        cev_jw_key_lit(&w, "input_size");
        cev_jw_integer(&w, (long long)input_size);
    } else if (memchr(input, '\0', ilen) == NULL && cev_utf8_check(input, ilen) == ilen) {
        cev_jw_key_lit(&w, "input");
        cev_jw_string_len(&w, input, ilen);
    } else {
        cev_buf enc;
        cev_buf_init(&enc);
        if (base64(input, ilen, &enc) != CEV_OK) {
            cev_buf_close(&enc);
            return cev_error_nomem(err);
        }
        cev_jw_key_lit(&w, "input_base64");
        cev_jw_string_len(&w, enc.data, enc.len);
        cev_buf_close(&enc);
    }
    cev_jw_key_lit(&w, "output");
    cev_jw_string_len(&w, output, olen);
    if (undecided) {
        cev_jw_key_lit(&w, "undecided");
        cev_jw_bool(&w, 1);
    }
    cev_jw_end_object(&w);
    char hash[CEV_SHA256_HEX];
    if (cev_jw_status(&w) != CEV_OK || cev_sha256_hex(b->data, b->len, hash) != CEV_OK)
        return cev_error_nomem(err);
    b->len--; /* the closing brace: the hash member goes before it */
    size_t mark = a->pending.len;
    if (cev_buf_append(&a->pending, b->data, b->len) != CEV_OK ||
        cev_buf_printf(&a->pending, ",\"hash\":\"%s\"}\n", hash) != CEV_OK) {
        cev_buf_truncate(&a->pending, mark); /* never half an entry */
        return cev_error_nomem(err);
    }
    a->seq++;
    memcpy(a->prev, hash, CEV_SHA256_HEX);
    return CEV_OK;
}

/* A sync that failed: the pending entries are cut from the log, which ends
 * again with the entries its head records (the next run appends to it), and
 * the store takes no more entries in this run.  Returns rc. */
static cev_code cut_back(cev_audit *a, cev_code rc)
{
    if (ftruncate(a->log_fd, (off_t)a->log_size) == 0)
        fsync(a->log_fd);
    a->failed = 1;
    a->seq = a->synced_seq;
    memcpy(a->prev, a->synced_prev, CEV_SHA256_HEX);
    cev_buf_reset(&a->pending);
    return rc;
}

cev_code cev_audit_sync(cev_audit *a, cev_error *err)
{
    if (a->failed)
        return cev_error_set(err, CEV_EIO, "", "%s: the log could not be written", a->dir);
    if (a->pending.len == 0)
        return CEV_OK;
    if (write_all(a->log_fd, a->pending.data, a->pending.len) != 0 || fsync(a->log_fd) != 0)
        return cut_back(a, io_error(err, "cannot write the log of", a->dir));
    char head[160];
    int n = snprintf(head, sizeof head, "{\"seq\":%ld,\"hash\":\"%s\"}\n", a->seq, a->prev);
    char *path = join(a->dir, "head");
    int rc = path ? write_file_atomic(path, head, (size_t)n, err)
                  : cev_error_nomem(err);
    free(path);
    if (rc != CEV_OK) /* the head still records the entries before */
        return cut_back(a, rc);
    a->log_size += (long long)a->pending.len;
    a->synced_seq = a->seq;
    memcpy(a->synced_prev, a->prev, CEV_SHA256_HEX);
    cev_buf_reset(&a->pending);
    return CEV_OK;
}

cev_code cev_audit_close(cev_audit *a, cev_error *err)
{
    int rc = a->log_fd >= 0 ? cev_audit_sync(a, err) : CEV_OK;
    if (a->log_fd >= 0)
        close(a->log_fd);
    if (a->lock_fd >= 0)
        close(a->lock_fd); /* releases the lock */
    free(a->dir);
    cev_buf_close(&a->pending);
    cev_buf_close(&a->scratch);
    memset(a, 0, sizeof *a);
    a->log_fd = a->lock_fd = -1;
    return rc;
}

/* ---- reading -------------------------------------------------------------- */

void cev_entry_free(cev_entry *e)
{
    cJSON_Delete(e->json);
    free(e->input);
    memset(e, 0, sizeof *e);
}

static int unbase64(const char *in, char **out, size_t *len)
{
    size_t n = strlen(in);
    if (n % 4 != 0)
        return CEV_EIO;
    unsigned char *p = malloc(n / 4 * 3 + 1);
    if (p == NULL)
        return CEV_ENOMEM;
    int got = EVP_DecodeBlock(p, (const unsigned char *)in, (int)n);
    if (got < 0) {
        free(p);
        return CEV_EIO;
    }
    size_t pad = n >= 2 && in[n - 1] == '=' ? (in[n - 2] == '=' ? 2 : 1) : 0;
    *len = (size_t)got - pad;
    p[*len] = '\0';
    *out = (char *)p;
    return CEV_OK;
}

/* Reads the members of an entry; CEV_OK or CEV_EIO with the reason. */
static int entry_from_json(cJSON *j, cev_entry *e, cev_error *err)
{
    memset(e, 0, sizeof *e);
    e->json = j;
    const cJSON *seq = cev_json_get(j, "seq"), *run = cev_json_get(j, "run"),
                *cat = cev_json_get(j, "catalog"), *draft = cev_json_get(j, "allow_draft"),
                *src = cev_json_get(j, "source"), *line = cev_json_get(j, "line"),
                *in = cev_json_get(j, "input"), *in64 = cev_json_get(j, "input_base64"),
                *size = cev_json_get(j, "input_size"), *out = cev_json_get(j, "output"),
                *undecided = cev_json_get(j, "undecided");
    if (!cJSON_IsNumber(seq) || !cJSON_IsNumber(run) || !cJSON_IsString(cat) ||
        !cJSON_IsBool(draft) || !cJSON_IsString(src) || !cJSON_IsNumber(line) ||
        !cJSON_IsString(out) || (undecided && !cJSON_IsTrue(undecided)))
        return cev_error_set(err, CEV_EIO, "", "an entry lacks one of its members");
    e->seq = (long)seq->valuedouble;
    e->run = (long)run->valuedouble;
    e->catalog = cat->valuestring;
    e->allow_draft = cJSON_IsTrue(draft);
    e->source = src->valuestring;
    e->line = (long)line->valuedouble;
    e->output = out->valuestring;
    e->undecided = undecided != NULL;
    if (cJSON_IsString(in)) {
        e->input_len = strlen(in->valuestring);
        if ((e->input = strdup(in->valuestring)) == NULL)
            return cev_error_nomem(err);
    } else if (cJSON_IsString(in64)) {
        int rc = unbase64(in64->valuestring, &e->input, &e->input_len);
        if (rc != CEV_OK)
            return cev_error_set(err, rc, "", "entry %ld: input_base64 is not base64", e->seq);
    } else if (cJSON_IsNull(in) && cJSON_IsNumber(size)) {
        e->input_size = (size_t)size->valuedouble;
    } else {
        return cev_error_set(err, CEV_EIO, "", "entry %ld has no input", e->seq);
    }
    return CEV_OK;
}

/* Whether a run holds the store's lock; if none does, the lock is taken
 * shared on *fd (released when it is closed) so that none starts meanwhile. */
static int probe_lock(const char *lock, int *fd, cev_error *err)
{
    if ((*fd = open(lock, O_RDONLY)) < 0)
        return errno == ENOENT ? 0 : io_error(err, "cannot open", lock);
    struct flock lk = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
    int r;
    while ((r = fcntl(*fd, F_SETLK, &lk)) != 0 && errno == EINTR)
        continue;
    if (r == 0)
        return 0;
    return errno == EAGAIN || errno == EACCES ? 1 : io_error(err, "cannot lock", lock);
}

cev_code cev_audit_measure(const char *dir, cev_audit_extent *x, cev_error *err)
{
    memset(x, 0, sizeof *x);
    char *lock = join(dir, "lock"), *log = join(dir, "log.jsonl");
    int rc = lock && log ? CEV_OK : cev_error_nomem(err);
    int lock_fd = -1, fd = -1;
    if (rc == CEV_OK && (rc = probe_lock(lock, &lock_fd, err)) == 1) {
        x->appending = 1;
        rc = CEV_OK;
    }
    if (rc == CEV_OK && (fd = open(log, O_RDONLY)) < 0 && errno != ENOENT)
        rc = io_error(err, "cannot read", log);
    struct stat st;
    if (rc == CEV_OK && fd >= 0 &&
        (fstat(fd, &st) != 0 || (x->complete = cev_audit_complete(fd, st.st_size)) < 0))
        rc = io_error(err, "cannot read", log);
    else if (rc == CEV_OK && fd >= 0)
        x->size = st.st_size;
    if (fd >= 0)
        close(fd);
    if (lock_fd >= 0)
        close(lock_fd);
    free(lock);
    free(log);
    return rc;
}

int cev_audit_each(const char *dir, int (*fn)(const cev_entry *e, void *ctx), void *ctx,
                   cev_error *err)
{
    return cev_audit_each_with(dir, NULL, fn, ctx, err);
}

/* Whether a log line holds one of `needles` (NULL: every line does). */
static int holds(const char *line, size_t len, const char *const *needles)
{
    if (needles == NULL)
        return 1;
    for (; *needles; needles++)
        if (memmem(line, len, *needles, strlen(*needles)) != NULL)
            return 1;
    return 0;
}

int cev_audit_each_with(const char *dir, const char *const *needles,
                        int (*fn)(const cev_entry *e, void *ctx), void *ctx, cev_error *err)
{
    cev_audit_extent x;
    int rc = cev_audit_measure(dir, &x, err);
    if (rc != CEV_OK)
        return rc;
    char *path = join(dir, "log.jsonl");
    if (path == NULL)
        return cev_error_nomem(err);
    if (x.size > x.complete && !x.appending) {
        rc = cev_error_set(err, CEV_EIO, "",
                           "%s: the last line is torn (an interrupted write): `certeval verify "
                           "--repair` cuts it",
                           path);
        free(path);
        return rc;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        rc = io_error(err, "cannot read", path);
        free(path);
        return rc;
    }
    cev_lines lines;
    cev_lines_init(&lines, f, CEV_AUDIT_MAX_ENTRY);
    const char *line;
    size_t len;
    int r;
    while (rc == CEV_OK && (r = cev_lines_next(&lines, &line, &len)) != CEV_END) {
        cJSON *j = NULL;
        cev_entry e;
        if (cev_lines_offset(&lines) > x.complete) /* appended since: not ours */
            break;
        if (r == CEV_OK && !holds(line, len, needles))
            continue;
        if (r == CEV_ENOMEM)
            rc = cev_error_nomem(err);
        else if (r != CEV_OK)
            rc = cev_error_set(err, CEV_EIO, "", "%s:%ld: unreadable entry", path, lines.lineno);
        else if ((rc = cev_json_parse(line, len, 8, &j, err)) != CEV_OK) {
            if (rc != CEV_ENOMEM)
                rc = cev_error_set(err, CEV_EIO, "", "%s:%ld: %s", path, lines.lineno,
                                   err->message);
        } else if ((rc = entry_from_json(j, &e, err)) != CEV_OK) {
            if (rc != CEV_ENOMEM)
                rc = cev_error_set(err, CEV_EIO, "", "%s:%ld: %s", path, lines.lineno,
                                   err->message);
            cev_entry_free(&e);
        } else {
            rc = fn(&e, ctx);
            cev_entry_free(&e);
        }
    }
    cev_lines_close(&lines);
    fclose(f);
    free(path);
    return rc;
}

cev_code cev_audit_catalog_dirs(const char *dir, const char *catalog, char ***dirs, size_t *n,
                           cev_error *err)
{
    *dirs = NULL;
    *n = 0;
    char name[96], *path, *text = NULL;
    size_t len;
    snprintf(name, sizeof name, "objects/catalog-%.64s.json", catalog);
    if ((path = join(dir, name)) == NULL)
        return cev_error_nomem(err);
    cJSON *list = NULL;
    int rc = cev_file_read(path, &text, &len, err);
    char sha[CEV_SHA256_HEX];
    if (rc == CEV_OK && cev_sha256_hex(text, len, sha) != CEV_OK)
        rc = cev_error_nomem(err);
    if (rc == CEV_OK && strcmp(sha, catalog) != 0)
        rc = cev_error_set(err, CEV_EIO, "", "%s: its content does not match its name", path);
    if (rc == CEV_OK && (rc = cev_json_parse(text, len, 8, &list, err)) != CEV_ENOMEM &&
        (rc != CEV_OK || !cJSON_IsArray(list)))
        rc = cev_error_set(err, CEV_EIO, "", "%s: not a catalog", path);
    size_t count = rc == CEV_OK ? (size_t)cJSON_GetArraySize(list) : 0;
    if (rc == CEV_OK && (*dirs = calloc(count ? count : 1, sizeof **dirs)) == NULL)
        rc = cev_error_nomem(err);
    for (const cJSON *p = rc == CEV_OK ? list->child : NULL; p && rc == CEV_OK; p = p->next) {
        const cJSON *pp = cev_json_get(p, "path"), *ps = cev_json_get(p, "sha256");
        cev_buf d;
        cev_buf_init(&d);
        if (!cJSON_IsString(pp) || !cJSON_IsString(ps) || strchr(pp->valuestring, '/') ||
            strchr(ps->valuestring, '/') || pp->valuestring[0] == '.')
            rc = cev_error_set(err, CEV_EIO, "", "%s: a malformed package entry", path);
        else if (cev_buf_printf(&d, "%s/objects/%s/%s", dir, ps->valuestring, pp->valuestring))
            rc = cev_error_nomem(err);
        else
            (*dirs)[(*n)++] = cev_buf_take(&d);
    }
    cJSON_Delete(list);
    free(text);
    free(path);
    if (rc != CEV_OK) {
        cev_file_list_free(*dirs, *n);
        *dirs = NULL;
        *n = 0;
    }
    return rc;
}

const char *cev_audit_needle(const char *id)
{
    for (const char *p = id; *p; p++) /* isalnum: the C locale's ASCII letters and digits */
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
            return NULL;
    return *id ? id : NULL;
}

cev_code cev_audit_stored_title(const char *dir, const cJSON *record, cJSON **title, cev_error *err)
{
    *title = NULL;
    const cJSON *pkg = cev_json_get(cev_json_get(record, "provenance"), "package");
    const cJSON *sha = cev_json_get(pkg, "sha256"), *path = cev_json_get(pkg, "path");
    if (!cJSON_IsString(sha) || !cJSON_IsString(path))
        return cev_error_set(err, CEV_EIO, "", "the record names no stored package");
    cev_buf file;
    cev_buf_init(&file);
    if (cev_buf_printf(&file, "%s/objects/%s/%s", dir, sha->valuestring, path->valuestring) !=
        CEV_OK)
        return cev_error_nomem(err);
    /* what a document prints of the title comes from here: the package must
     * still hash to its name, as verify checks it */
    char got[CEV_SHA256_HEX];
    cev_error herr;
    int rc = cev_sha256_package(file.data, got, &herr);
    if (rc == CEV_ENOMEM)
        cev_error_nomem(err);
    else if (rc != CEV_OK)
        rc = cev_error_set(err, CEV_EIO, "", "package %s is missing: %s", file.data,
                           herr.message);
    else if (strcmp(got, sha->valuestring) != 0)
        rc = cev_error_set(err, CEV_PROBLEMS, "",
                           "package %s was altered (its content hashes to %.16s…)", file.data,
                           got);
    if (rc != CEV_OK) {
        cev_buf_close(&file);
        return rc;
    }
    char *text = NULL;
    size_t len;
    if (cev_buf_puts(&file, "/title.json") != CEV_OK) {
        cev_buf_close(&file);
        return cev_error_nomem(err);
    }
    rc = cev_file_read(file.data, &text, &len, err);
    if (rc == CEV_OK)
        rc = cev_json_parse(text, len, 64, title, err);
    if (rc != CEV_OK && rc != CEV_ENOMEM) {
        char why[CEV_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", err->message);
        rc = cev_error_set(err, CEV_EIO, "", "%s: %s", file.data, why);
    }
    free(text);
    cev_buf_close(&file);
    return rc;
}

cev_code cev_audit_begin(cev_audit **out, const char *dir, cev_error *err)
{
    *out = NULL;
    cev_audit *a = malloc(sizeof *a);
    if (a == NULL)
        return cev_error_nomem(err);
    int rc = cev_audit_open(a, dir, err);
    if (rc != CEV_OK) {
        free(a);
        return rc;
    }
    *out = a;
    return CEV_OK;
}

cev_code cev_audit_register(cev_audit *a, const cev_engine *eng, int allow_draft, cev_error *err)
{
    return cev_audit_catalog(a, &eng->cat, allow_draft, err);
}

int cev_audit_log_fd(const cev_audit *a)
{
    return a->log_fd;
}

cev_code cev_audit_end(cev_audit *a, cev_error *err)
{
    if (a == NULL)
        return CEV_OK;
    int rc = cev_audit_close(a, err);
    free(a);
    return rc;
}
