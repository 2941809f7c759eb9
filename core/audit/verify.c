/*
 * verify.c - certeval verify: the hash chain of log.jsonl, the head,
 * and the objects every entry relies on (audit.h).
 *
 * The first problem stops the check and is described with the entry's
 * sequence number and line: an edited entry (its hash does not match its
 * content), a deleted one (a gap in the sequence, or entries missing after
 * the head), an inserted or replaced one (its prev does not name the entry
 * before), a duplicated one (a sequence number seen again), reordered entries
 * (a sequence number going back), and a torn last line (an interrupted
 * write).  --repair cuts only a torn last line.
 *
 * A run may be appending (eval holds the store's lock, audit.c).  Verify
 * then checks the entries complete when it started, up to the last '\n'
 * then: the line being written is not torn, only unfinished.  --repair waits
 * for the lock, so that it never cuts a line a run is still writing.
 */
#include "audit/audit.h"

#include "base/file.h"
#include "base/json.h"
#include "base/lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_TAIL 75 /* strlen(",\"hash\":\"") + 64 + strlen("\"}") */

typedef struct verifier {
    const char *dir;
    cev_audit_report *rep;
    long seq;                  /* last good entry */
    char prev[CEV_SHA256_HEX]; /* its hash */
    char **catalogs;           /* ids checked already */
    size_t ncatalogs;
    long head_seq;             /* what the head file records (0: none) */
    char head_hash[CEV_SHA256_HEX];
} verifier;

static int problem(verifier *v, long seq, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int problem(verifier *v, long seq, long line, const char *fmt, ...)
{
    v->rep->bad_seq = seq;
    v->rep->bad_line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->rep->problem, sizeof v->rep->problem, fmt, ap);
    va_end(ap);
    return CEV_PROBLEMS;
}

/* With the lock held: cuts a torn last line (no final '\n').  Sets *limit
 * to the bytes left.  CEV_OK or a negative code (err). */
static int cut_torn(verifier *v, const char *log, long long *limit, cev_error *err)
{
    *limit = 0;
    int fd = open(log, O_RDWR);
    if (fd < 0 && errno == ENOENT)
        return 0;
    struct stat st;
    long long keep = -1;
    if (fd >= 0 && fstat(fd, &st) == 0)
        keep = cev_audit_complete(fd, st.st_size);
    int rc = 0;
    if (keep < 0) {
        cev_error_set(err, CEV_EIO, "", "cannot read %s: %s", log, strerror(errno));
        rc = err->code;
    } else if (keep < st.st_size && (ftruncate(fd, (off_t)keep) != 0 || fsync(fd) != 0)) {
        cev_error_set(err, CEV_EIO, "", "cannot repair %s: %s", log, strerror(errno));
        rc = err->code;
    } else {
        v->rep->cut = (size_t)(st.st_size - keep);
        *limit = keep;
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Without --repair: the bytes to check, measured once (audit.h).  A last
 * line without its '\n' is reported as torn, unless a run is appending it.
 * CEV_OK, CEV_PROBLEMS (told in the report) or a negative code (err). */
static int measure(verifier *v, long long *limit, cev_error *err)
{
    cev_audit_extent x;
    if (cev_audit_measure(v->dir, &x, err) != CEV_OK)
        return err->code;
    *limit = x.complete;
    v->rep->appending = x.appending;
    if (x.size > x.complete && !x.appending)
        return problem(v, 0, 0,
                       "the last line (%lld bytes at offset %lld) is torn: an interrupted "
                       "write; `verify --repair` cuts it",
                       x.size - x.complete, x.complete);
    return 0;
}

/* A catalog and its packages: manifest named by its hash, packages whose
 * content still hashes to their names.  CEV_OK, CEV_PROBLEMS or a negative code. */
static int check_catalog(verifier *v, const char *id, long seq, long line, cev_error *err)
{
    for (size_t i = 0; i < v->ncatalogs; i++)
        if (strcmp(v->catalogs[i], id) == 0)
            return 0;
    char **dirs;
    size_t n;
    cev_error cerr;
    int rc = cev_audit_catalog_dirs(v->dir, id, &dirs, &n, &cerr);
    if (rc == CEV_ENOMEM) { /* the machine's failure, not the store's */
        *err = cerr;
        return err->code;
    }
    if (rc != CEV_OK)
        return problem(v, seq, line, "entry %ld: its catalog %.16s…: %s", seq, id, cerr.message);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char sha[CEV_SHA256_HEX];
        const char *slash = strrchr(dirs[i], '/');
        const char *want = slash - 64;
        int hashed = cev_sha256_package(dirs[i], sha, &cerr);
        if (hashed == CEV_ENOMEM) {
            *err = cerr;
            rc = err->code;
        } else if (hashed != CEV_OK)
            rc = problem(v, seq, line, "entry %ld: package %s is missing: %s", seq, dirs[i],
                         cerr.message);
        else if (strncmp(sha, want, 64) != 0)
            rc = problem(v, seq, line, "entry %ld: package %s was altered (its content hashes "
                                       "to %.16s…)",
                         seq, dirs[i], sha);
    }
    cev_file_list_free(dirs, n);
    if (rc != 0)
        return rc;
    char **grown = realloc(v->catalogs, (v->ncatalogs + 1) * sizeof *grown);
    if (grown == NULL || (grown[v->ncatalogs] = strdup(id)) == NULL) {
        if (grown)
            v->catalogs = grown;
        cev_error_nomem(err);
        return err->code;
    }
    v->catalogs = grown;
    v->ncatalogs++;
    v->rep->catalogs++;
    return 0;
}

/* One line of the log.  0 good, 1 problem, -1 error. */
static int check_entry(verifier *v, const char *line, size_t len, long lineno, cev_error *err)
{
    static const char tail[] = ",\"hash\":\"";
    char hash[CEV_SHA256_HEX], computed[CEV_SHA256_HEX];
    if (len < HASH_TAIL + 2 || memcmp(line + len - HASH_TAIL, tail, sizeof tail - 1) != 0 ||
        line[len - 1] != '}' || line[len - 2] != '"')
        return problem(v, 0, lineno, "line %ld is not an entry (no hash member at its end)",
                       lineno);
    memcpy(hash, line + len - HASH_TAIL + sizeof tail - 1, 64);
    hash[64] = '\0';
    /* the hash covers the entry without its hash member */
    char *body = malloc(len - HASH_TAIL + 2);
    if (body == NULL) {
        cev_error_nomem(err);
        return err->code;
    }
    memcpy(body, line, len - HASH_TAIL);
    body[len - HASH_TAIL] = '}';
    int hashed = cev_sha256_hex(body, len - HASH_TAIL + 1, computed);
    free(body);
    cJSON *j = NULL;
    cev_error perr;
    /* the machine failing is never reported as the store's fault */
    if (hashed != CEV_OK || cev_json_parse(line, len, 8, &j, &perr) == CEV_ENOMEM) {
        cev_error_nomem(err);
        return err->code;
    }
    if (j == NULL)
        return problem(v, 0, lineno, "line %ld is not valid JSON: %s", lineno, perr.message);
    const cJSON *s = cev_json_get(j, "seq"), *p = cev_json_get(j, "prev"),
                *c = cev_json_get(j, "catalog");
    long seq = cJSON_IsNumber(s) ? (long)s->valuedouble : 0;
    int rc = 0;
    if (strcmp(computed, hash) != 0)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) was edited: its content no longer matches its hash",
                     seq, lineno);
    else if (!cJSON_IsNumber(s) || !cJSON_IsString(p) || !cJSON_IsString(c))
        rc = problem(v, seq, lineno, "line %ld lacks seq, prev or catalog", lineno);
    else if (seq == v->seq)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) repeats the sequence number before it: an entry was "
                     "duplicated or inserted",
                     seq, lineno);
    else if (seq < v->seq)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) comes after entry %ld: entries were reordered, "
                     "duplicated or inserted",
                     seq, lineno, v->seq);
    else if (seq > v->seq + 1)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) comes where entry %ld should: entries %ld to %ld were "
                     "deleted or moved",
                     seq, lineno, v->seq + 1, v->seq + 1, seq - 1);
    else if (strcmp(p->valuestring, v->prev) != 0)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) does not follow entry %ld: it was inserted, or the "
                     "entry before it was replaced",
                     seq, lineno, v->seq);
    else if (seq == v->head_seq && strcmp(hash, v->head_hash) != 0)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) is not the entry the head recorded: the log was "
                     "rewritten",
                     seq, lineno);
    else
        rc = check_catalog(v, c->valuestring, seq, lineno, err);
    if (rc == 0) {
        v->seq = seq;
        memcpy(v->prev, hash, CEV_SHA256_HEX);
        v->rep->entries++;
    }
    cJSON_Delete(j);
    return rc;
}

/* Reads the head: the last entry a run synced (the log may hold more, from
 * a run interrupted after its last fsync of the log, never fewer). */
static int read_head(verifier *v, cev_error *err)
{
    char path[4096], *text = NULL;
    size_t len;
    snprintf(path, sizeof path, "%s/head", v->dir);
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    if (cev_file_read(path, &text, &len, err) != CEV_OK)
        return err->code;
    cJSON *h = NULL;
    cev_error perr;
    const cJSON *s = NULL, *hs = NULL;
    int rc = 0;
    if (cev_json_parse(text, len, 4, &h, &perr) == CEV_ENOMEM) {
        cev_error_nomem(err);
        rc = err->code;
    } else if (h == NULL || !cJSON_IsNumber(s = cev_json_get(h, "seq")) ||
        !cJSON_IsString(hs = cev_json_get(h, "hash")) || strlen(hs->valuestring) != 64) {
        rc = problem(v, 0, 0, "the head file is not valid");
    } else {
        v->head_seq = (long)s->valuedouble;
        memcpy(v->head_hash, hs->valuestring, CEV_SHA256_HEX);
    }
    cJSON_Delete(h);
    free(text);
    return rc;
}

cev_code cev_audit_verify(const char *dir, int repair, cev_audit_progress progress, void *ctx,
                     cev_audit_report *rep, cev_error *err)
{
    memset(rep, 0, sizeof *rep);
    verifier v = {dir, rep, 0, "", NULL, 0, 0, ""};
    memset(v.prev, '0', 64);
    v.prev[64] = '\0';
    char log[4096];
    snprintf(log, sizeof log, "%s/log.jsonl", dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cev_error_set(err, CEV_EIO, "", "%s is not an audit store", dir);
    int lock_fd = -1; /* --repair never cuts a line a run is still writing */
    if (repair && cev_audit_lock(dir, 0, &lock_fd, err) != CEV_OK)
        return err->code;
    /* the head first: a run writes it after the entries it records */
    int rc = read_head(&v, err);
    long long limit = 0;
    if (rc == 0)
        rc = repair ? cut_torn(&v, log, &limit, err) : measure(&v, &limit, err);
    FILE *f = rc == 0 ? fopen(log, "rb") : NULL;
    if (rc == 0 && f != NULL) {
        cev_lines lines;
        cev_lines_init(&lines, f, CEV_AUDIT_MAX_ENTRY);
        const char *line;
        size_t len;
        int r;
        while (rc == 0 && (r = cev_lines_next(&lines, &line, &len)) != CEV_END) {
            if (cev_lines_offset(&lines) > limit) /* appended since: not ours */
                break;
            if (r == CEV_OK) {
                rc = check_entry(&v, line, len, lines.lineno, err);
                if (rc == 0 && progress)
                    progress(ctx, rep->entries);
            } else if (r == CEV_TOO_LONG)
                rc = problem(&v, 0, lines.lineno, "line %ld is longer than any entry can be",
                             lines.lineno);
            else {
                if (r == CEV_ENOMEM)
                    cev_error_nomem(err);
                else
                    cev_error_set(err, CEV_EIO, "", "cannot read %s", log);
                rc = err->code;
            }
        }
        cev_lines_close(&lines);
        fclose(f);
    }
    if (rc == 0 && v.head_seq > v.seq)
        rc = problem(&v, v.seq + 1, 0,
                     "entries %ld to %ld are missing at the end of the log (the head records "
                     "entry %ld): deleted",
                     v.seq + 1, v.head_seq, v.head_seq);
    for (size_t i = 0; i < v.ncatalogs; i++)
        free(v.catalogs[i]);
    free(v.catalogs);
    if (lock_fd >= 0)
        close(lock_fd);
    return rc < 0 ? err->code : CEV_OK;
}
