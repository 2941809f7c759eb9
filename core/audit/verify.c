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
 * write).  A line that ends with "\r\n" was converted: its bytes changed.
 * The head must record the last entry: a log that holds entries, or an
 * objects/ that holds a catalog, with no head, or with a head behind or
 * ahead of the log, does not hold.  A seal (SEQ:HASH, printed outside the
 * store) must name an entry of the chain.  Every catalog file must be
 * named by its content; one no entry refers to is reported.
 *
 * --repair cuts only a truly partial last line: a whole entry (its hash
 * matches) that lacks only its '\n' gets it back.  It also records in the
 * head the entries a run wrote and synced but had not recorded when it
 * stopped (a crash between the two): the head then says where the log
 * ends, as a run would have.
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
#include <openssl/evp.h>
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
    int head_present;
    unsigned flags;            /* CEV_CHECK_* */
    long seal_seq;             /* the seal to check (0: none) */
    char seal_hash[CEV_SHA256_HEX];
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

/* Whether `line` is a whole entry: it ends with its hash member, and the
 * hash matches.  1 yes, 0 no, CEV_ENOMEM. */
static int hash_matches(const char *line, size_t len, char hash[CEV_SHA256_HEX])
{
    static const char tail[] = ",\"hash\":\"";
    char computed[CEV_SHA256_HEX];
    if (len < HASH_TAIL + 2 || memcmp(line + len - HASH_TAIL, tail, sizeof tail - 1) != 0 ||
        line[len - 1] != '}' || line[len - 2] != '"')
        return 0;
    memcpy(hash, line + len - HASH_TAIL + sizeof tail - 1, 64);
    hash[64] = '\0';
    /* the hash covers the entry without its hash member, closed by '}' */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char d[32];
    unsigned int dlen = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, line, len - HASH_TAIL) == 1 &&
             EVP_DigestUpdate(md, "}", 1) == 1 && EVP_DigestFinal_ex(md, d, &dlen) == 1;
    EVP_MD_CTX_free(md);
    if (!ok)
        return CEV_ENOMEM;
    for (unsigned i = 0; i < 32; i++)
        snprintf(computed + 2 * i, 3, "%02x", d[i]);
    return strcmp(computed, hash) == 0;
}

/* Whether the `len` bytes at `from` in the log, a last line without its
 * '\n', are a whole entry.  1 yes, 0 no, CEV_EIO (errno), CEV_ENOMEM. */
static int whole_entry(int fd, long long from, long long len)
{
    if (len > (long long)CEV_AUDIT_MAX_ENTRY)
        return 0;
    char *line = malloc((size_t)len + 1), hash[CEV_SHA256_HEX];
    if (line == NULL)
        return CEV_ENOMEM;
    int rc;
    ssize_t got = pread(fd, line, (size_t)len, (off_t)from);
    if (got != (ssize_t)len) {
        if (got >= 0)
            errno = EIO;
        rc = CEV_EIO;
    } else
        rc = hash_matches(line, (size_t)len, hash);
    free(line);
    return rc;
}

/* With the lock held: cuts a torn last line (no final '\n'), unless it is a
 * whole entry, which gets its '\n' back.  Sets *limit to the bytes to check.  CEV_OK or a negative code (err). */
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
    int whole = 0;
    if (keep >= 0 && keep < st.st_size &&
        (whole = whole_entry(fd, keep, st.st_size - keep)) < 0) {
        if (whole == CEV_ENOMEM) {
            cev_error_nomem(err);
            rc = err->code;
        } else
            keep = -1;
    }
    if (rc == 0 && keep < 0) {
        cev_error_set(err, CEV_EIO, "", "cannot read %s: %s", log, strerror(errno));
        rc = err->code;
    } else if (rc == 0 && whole) { /* a whole entry: only its '\n' is missing */
        if (pwrite(fd, "\n", 1, (off_t)st.st_size) != 1 || fsync(fd) != 0) {
            cev_error_set(err, CEV_EIO, "", "cannot repair %s: %s", log, strerror(errno));
            rc = err->code;
        } else {
            v->rep->newline = 1;
            *limit = st.st_size + 1;
        }
    } else if (rc == 0 && keep < st.st_size &&
               (ftruncate(fd, (off_t)keep) != 0 || fsync(fd) != 0)) {
        cev_error_set(err, CEV_EIO, "", "cannot repair %s: %s", log, strerror(errno));
        rc = err->code;
    } else if (rc == 0) {
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

/* The members an entry starts with, {"seq":N,"prev":"<64 hex>", read
 * without parsing the line (the readers' check of a long log).  1 when the
 * line starts so, else 0 (then the line is parsed, to say what is wrong). */
static int read_prefix(const char *line, size_t len, long *seq, char prev[CEV_SHA256_HEX])
{
    static const char a[] = "{\"seq\":", b[] = ",\"prev\":\"";
    size_t i = sizeof a - 1;
    if (len < i + 1 + (sizeof b - 1) + 65 || memcmp(line, a, i) != 0 || line[i] < '1' ||
        line[i] > '9')
        return 0;
    long n = 0;
    for (; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
        if (n > (1L << 52))
            return 0;
        n = n * 10 + (line[i] - '0');
    }
    if (len - i < (sizeof b - 1) + 65 || memcmp(line + i, b, sizeof b - 1) != 0)
        return 0;
    i += sizeof b - 1;
    for (size_t k = 0; k < 64; k++)
        if (!strchr("0123456789abcdef", line[i + k]) || line[i + k] == '\0')
            return 0;
    if (line[i + 64] != '"')
        return 0;
    *seq = n;
    memcpy(prev, line + i, 64);
    prev[64] = '\0';
    return 1;
}

/* One line of the log.  0 good, CEV_PROBLEMS, or a negative code (err). */
static int check_entry(verifier *v, const char *line, size_t len, long lineno, cev_error *err)
{
    char hash[CEV_SHA256_HEX], prev[CEV_SHA256_HEX];
    int matches = hash_matches(line, len, hash);
    if (matches == CEV_ENOMEM) { /* the machine failing is never the store's fault */
        cev_error_nomem(err);
        return err->code;
    }
    if (matches == 0 && (len < HASH_TAIL + 2 || memcmp(line + len - HASH_TAIL, ",\"hash\":\"", 9) ||
                         line[len - 1] != '}' || line[len - 2] != '"'))
        return problem(v, 0, lineno, "line %ld is not an entry (no hash member at its end)",
                       lineno);
    long seq = 0;
    cJSON *j = NULL;
    const char *catalog = NULL;
    int fast = (v->flags & CEV_CHECK_CHAIN) && matches && read_prefix(line, len, &seq, prev);
    if (!fast) {
        cev_error perr;
        if (cev_json_parse(line, len, 8, &j, &perr) == CEV_ENOMEM) {
            cev_error_nomem(err);
            return err->code;
        }
        if (j == NULL)
            return problem(v, 0, lineno, "line %ld is not valid JSON: %s", lineno, perr.message);
        const cJSON *s = cev_json_get(j, "seq"), *p = cev_json_get(j, "prev"),
                    *c = cev_json_get(j, "catalog");
        seq = cJSON_IsNumber(s) ? (long)s->valuedouble : 0;
        if (matches && (!cJSON_IsNumber(s) || !cJSON_IsString(p) || !cJSON_IsString(c) ||
                        strlen(p->valuestring) != 64)) {
            cJSON_Delete(j);
            return problem(v, seq, lineno, "line %ld lacks seq, prev or catalog", lineno);
        }
        if (matches) {
            memcpy(prev, p->valuestring, CEV_SHA256_HEX);
            catalog = c->valuestring;
        }
    }
    int rc = 0;
    if (!matches)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) was edited: its content no longer matches its hash",
                     seq, lineno);
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
    else if (strcmp(prev, v->prev) != 0)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) does not follow entry %ld: it was inserted, or the "
                     "entry before it was replaced",
                     seq, lineno, v->seq);
    else if (seq == v->head_seq && strcmp(hash, v->head_hash) != 0)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) is not the entry the head recorded: the log was "
                     "rewritten",
                     seq, lineno);
    else if (seq == v->seal_seq && strcmp(hash, v->seal_hash) != 0)
        rc = problem(v, seq, lineno,
                     "entry %ld (line %ld) is not the sealed entry: its hash is %.16s…, the seal "
                     "says %.16s…: the log was rewritten",
                     seq, lineno, hash, v->seal_hash);
    else if (catalog && !(v->flags & CEV_CHECK_CHAIN))
        rc = check_catalog(v, catalog, seq, lineno, err);
    if (rc == 0) {
        v->seq = seq;
        memcpy(v->prev, hash, CEV_SHA256_HEX);
        v->rep->entries++;
    }
    cJSON_Delete(j);
    return rc;
}

/* The catalog files no entry refers to: one not named by its content is a
 * problem (it was altered, or put there); one no entry refers to is said
 * (a run that logged nothing leaves one too). */
static int check_catalog_files(verifier *v, char **names, size_t n, cev_error *err)
{
    int rc = 0;
    long stray = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t k = 0;
        while (k < v->ncatalogs && strcmp(v->catalogs[k], names[i]) != 0)
            k++;
        if (k < v->ncatalogs)
            continue;
        char **dirs;
        size_t ndirs;
        cev_error cerr;
        int r = cev_audit_catalog_dirs(v->dir, names[i], &dirs, &ndirs, &cerr);
        if (r == CEV_ENOMEM) {
            *err = cerr;
            return err->code;
        }
        if (r == CEV_OK)
            cev_file_list_free(dirs, ndirs);
        if (r != CEV_OK || strlen(names[i]) != 64)
            rc = problem(v, 0, 0, "objects/catalog-%.70s.json, which no entry refers to: %s",
                         names[i], r != CEV_OK ? cerr.message : "its name is not a hash");
        else if (stray++ == 0)
            snprintf(v->rep->warning, sizeof v->rep->warning,
                     "objects/catalog-%.16s….json is referred to by no entry (a run that logged "
                     "nothing, or a file put there)",
                     names[i]);
    }
    if (rc == 0 && stray > 1) {
        size_t used = strlen(v->rep->warning);
        snprintf(v->rep->warning + used, sizeof v->rep->warning - used,
                 "; and %ld more catalogs", stray - 1);
    }
    return rc;
}

/* With --repair: records the last entry in the head. */
static int set_head(verifier *v, cev_error *err)
{
    char path[4096], tmp[4200], head[160];
    snprintf(path, sizeof path, "%s/head", v->dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int n = snprintf(head, sizeof head, "{\"seq\":%ld,\"hash\":\"%s\"}\n", v->seq, v->prev);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t w = fd >= 0 ? write(fd, head, (size_t)n) : -1;
    int rc = 0;
    if (fd < 0 || w != n || fsync(fd) != 0)
        rc = -1;
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        cev_error_set(err, CEV_EIO, "", "cannot repair %s: %s", path, strerror(errno));
        unlink(tmp);
        return err->code;
    }
    v->rep->head_set = v->seq;
    v->head_seq = v->seq;
    memcpy(v->head_hash, v->prev, CEV_SHA256_HEX);
    return 0;
}

/* After the entries: the head must record the last one. */
static int check_head(verifier *v, cev_error *err)
{
    if (v->head_seq > v->seq)
        return problem(v, v->seq + 1, 0,
                       "entries %ld to %ld are missing at the end of the log (the head records "
                       "entry %ld): deleted",
                       v->seq + 1, v->head_seq, v->head_seq);
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    if (!v->head_present || !(v->flags & CEV_CHECK_CHAIN))
        if (cev_audit_catalog_files(v->dir, &names, &n, err) != CEV_OK)
            return err->code;
    if (!v->head_present && (v->seq > 0 || n > 0))
        rc = problem(v, 0, 0,
                     "the store holds %s but no head: the head was deleted, and with it maybe "
                     "the end of the log%s",
                     v->seq > 0 ? "entries" : "a catalog in objects/",
                     v->seq > 0 ? "" : " (its entries)");
    else if (v->head_seq < v->seq && !v->rep->appending) {
        if (v->flags & CEV_CHECK_REPAIR)
            rc = set_head(v, err);
        else
            rc = problem(v, v->head_seq + 1, 0,
                         "the head records entry %ld, but the log goes on to entry %ld: the head "
                         "was reset, or a run stopped (a crash) between writing entries and "
                         "recording them.  If none did, entries after %ld may have been deleted: "
                         "check the last seal printed (`verify --seal`).  `verify --repair` "
                         "records entry %ld in the head",
                         v->head_seq, v->seq, v->seq, v->seq);
    }
    if (rc == 0 && v->seal_seq > v->seq)
        rc = problem(v, v->seal_seq, 0,
                     "the sealed entry %ld is not in the log, which ends at entry %ld: entries "
                     "were deleted",
                     v->seal_seq, v->seq);
    if (rc == 0 && !(v->flags & CEV_CHECK_CHAIN))
        rc = check_catalog_files(v, names, n, err);
    cev_file_list_free(names, n);
    return rc;
}

cev_code cev_audit_parse_seal(const char *text, long *seq, char hash[65])
{
    char *end;
    if (text[0] < '1' || text[0] > '9')
        return CEV_EUSAGE;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno != 0 || *end != ':' || strlen(end + 1) != 64)
        return CEV_EUSAGE;
    for (const char *p = end + 1; *p; p++)
        if (!strchr("0123456789abcdef", *p))
            return CEV_EUSAGE;
    *seq = n;
    memcpy(hash, end + 1, 65);
    return CEV_OK;
}

cev_code cev_audit_check(const char *dir, unsigned flags, const char *seal,
                         cev_audit_progress progress, void *ctx, cev_audit_report *rep,
                         cev_error *err)
{
    memset(rep, 0, sizeof *rep);
    verifier v;
    memset(&v, 0, sizeof v);
    v.dir = dir;
    v.rep = rep;
    v.flags = flags;
    memset(v.prev, '0', 64);
    if (seal && cev_audit_parse_seal(seal, &v.seal_seq, v.seal_hash) != CEV_OK)
        return cev_error_set(err, CEV_EUSAGE, "", "a seal is SEQ:HASH, an entry number and its "
                             "64 hex digits, not '%s'", seal);
    char log[4096];
    snprintf(log, sizeof log, "%s/log.jsonl", dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cev_error_set(err, CEV_EIO, "", "%s is not an audit store", dir);
    int repair = (flags & CEV_CHECK_REPAIR) != 0;
    int lock_fd = -1; /* --repair never cuts a line a run is still writing */
    if (repair && cev_audit_lock(dir, 0, &lock_fd, err) != CEV_OK)
        return err->code;
    /* the head first: a run writes it after the entries it records */
    int rc = cev_audit_read_head(dir, &v.head_present, &v.head_seq, v.head_hash, err);
    if (rc == CEV_PROBLEMS)
        rc = problem(&v, 0, 0, "the head file is not valid");
    else if (rc != CEV_OK)
        rc = err->code;
    long long limit = 0;
    if (rc == 0)
        rc = repair ? cut_torn(&v, log, &limit, err) : measure(&v, &limit, err);
    FILE *f = rc == 0 ? fopen(log, "rb") : NULL;
    if (rc == 0 && f == NULL && errno != ENOENT) {
        cev_error_set(err, CEV_EIO, "", "cannot read %s: %s", log, strerror(errno));
        rc = err->code;
    }
    if (rc == 0 && f != NULL) {
        cev_lines lines;
        cev_lines_init(&lines, f, CEV_AUDIT_MAX_ENTRY);
        const char *line;
        size_t len;
        int r;
        long long start = 0;
        while (rc == 0 && (r = cev_lines_next(&lines, &line, &len)) != CEV_END) {
            long long end = cev_lines_offset(&lines);
            if (end > limit) /* appended since: not ours */
                break;
            if (r == CEV_OK && end - start != (long long)len + 1)
                rc = problem(&v, 0, lines.lineno,
                             "line %ld ends with \"\\r\\n\", not \"\\n\": the log was converted "
                             "(its bytes changed)",
                             lines.lineno);
            else if (r == CEV_OK) {
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
            start = end;
        }
        cev_lines_close(&lines);
        fclose(f);
    }
    if (rc == 0)
        rc = check_head(&v, err);
    if (rc == 0) {
        rep->seal_seq = v.head_seq;
        memcpy(rep->seal_hash, v.head_hash, CEV_SHA256_HEX);
    }
    for (size_t i = 0; i < v.ncatalogs; i++)
        free(v.catalogs[i]);
    free(v.catalogs);
    if (lock_fd >= 0)
        close(lock_fd);
    return rc < 0 ? err->code : CEV_OK;
}

cev_code cev_audit_verify(const char *dir, int repair, cev_audit_progress progress, void *ctx,
                          cev_audit_report *rep, cev_error *err)
{
    return cev_audit_check(dir, repair ? CEV_CHECK_REPAIR : 0, NULL, progress, ctx, rep, err);
}

cev_code cev_audit_check_chain(const char *dir, cev_error *err)
{
    cev_audit_report *rep = malloc(sizeof *rep);
    if (rep == NULL)
        return cev_error_nomem(err);
    int rc = cev_audit_check(dir, CEV_CHECK_CHAIN, NULL, NULL, NULL, rep, err);
    if (rc == CEV_OK && rep->problem[0])
        rc = cev_error_set(err, CEV_PROBLEMS, "",
                           "the audit store %s does not hold: %s; nothing is shown from it "
                           "(`certeval verify -a %s` checks it all)",
                           dir, rep->problem, dir);
    free(rep);
    return rc;
}
