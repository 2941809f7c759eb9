/*
 * audit.h - the tamper-evident audit store (docs/audit-guide.md).
 *
 * An audit store is a folder:
 *   log.jsonl          one entry per decided record, hash-chained
 *   head               {"seq": N, "hash": "..."} of the last entry synced
 *   lock               held (fcntl write lock) by the run appending
 *   objects/<sha256>/<package>/...    every title package of a run's rules
 *   objects/catalog-<sha256>.json     the list of packages a run decided with
 *
 * An entry is one line, its members in this order:
 *   {"seq":N,"prev":"<hash of entry N-1, 64 zeros for the first>","run":R,
 *    "at":"<UTC start of the run>","catalog":"<catalog id>","allow_draft":B,
 *    "source":"<file>","line":L,"input":"<the line as read>","output":"<record>",
 *    "hash":"<hex>"}
 * where "input" is replaced by "input_base64" for a line that is not valid
 * UTF-8 or holds a NUL byte, and by "input":null,"input_size":N for a line
 * over the record size limit (never held in memory), and where "output" is
 * followed by "undecided":true when the record is the error record of a line
 * the machine could not decide (out of memory, an unreadable file): it
 * stands for no decision.  The entry's hash is
 * the SHA-256 of the line's bytes with the final ,"hash":"..." member cut
 * out, that is, of everything before it followed by "}".
 *
 * Durability: cev_audit_sync() writes the pending entries, fsync()s the log,
 * then rewrites `head`; callers sync before they hand out the decisions the
 * entries record (group commit).  When the write or the fsync fails (disk
 * full, a file size limit), the log is cut back to the entries synced
 * before, so that it never ends with a torn line the next run would refuse;
 * the pending entries are dropped (their records were not handed out) and
 * the store takes no more entries in this run.  So is a batch whose head
 * cannot be written: the log never ends past its head but by a crash.
 *
 * The head: cev_audit_open() refuses a store whose last entry is not the one
 * its head records, or that holds entries or a catalog but no head, so that
 * entries deleted at the end of the log are never sealed over by the next
 * run; a new store gets the head {"seq":0,"hash":"<64 zeros>"}.
 */
#ifndef CEV_AUDIT_H
#define CEV_AUDIT_H

#include "base/buf.h"
#include "base/error.h"
#include "base/file.h"
#include "base/sha256.h"
#include "package/catalog.h"

#include <cjson/cJSON.h>
#include <stddef.h>

#define CEV_AUDIT_MAX_ENTRY (64u << 20) /* longest entry read back */

typedef struct cev_audit {
    char *dir;
    int log_fd;
    int lock_fd;
    long seq;                   /* of the last entry appended (0: none) */
    char prev[CEV_SHA256_HEX];  /* its hash */
    long run;                   /* seq of this run's first entry */
    char at[24];                /* this run's UTC start */
    char catalog[CEV_SHA256_HEX];
    int allow_draft;
    cev_buf pending; /* entries not yet written */
    cev_buf scratch;
    long long log_size;  /* bytes of the log that hold whole entries */
    long synced_seq;     /* the last entry written and fsync()ed, */
    char synced_prev[CEV_SHA256_HEX]; /* and its hash */
    int failed;          /* a write failed: the log was cut back to log_size */
} cev_audit;

/* Opens (creating it if needed) and locks the store for appending; waits
 * while another run holds the lock.  Refuses a log whose last entry is torn. */
cev_code cev_audit_open(cev_audit *a, const char *dir, cev_error *err);
/* Stores every package of `cat` under objects/ and the catalog list; later
 * entries refer to it. */
cev_code cev_audit_catalog(cev_audit *a, const cev_catalog *cat, int allow_draft, cev_error *err);
/* Appends an entry for one record (not yet on disk).  `input` NULL with
 * `input_size` for a line over the record size limit; `undecided` for the
 * error record of a line the machine could not decide. */
cev_code cev_audit_add(cev_audit *a, const char *source, long line, const char *input, size_t ilen,
                  size_t input_size, const char *output, size_t olen, int undecided,
                  cev_error *err);
/* Writes the pending entries, fsync()s the log, updates head.  CEV_EIO
 * (the log cut back, as above) when they cannot be written. */
cev_code cev_audit_sync(cev_audit *a, cev_error *err);
/* Syncs what is pending and releases the store. */
cev_code cev_audit_close(cev_audit *a, cev_error *err);

/* ---- reading (cev_entry, measuring, verifying: certeval/certeval.h) ------ */

void cev_entry_free(cev_entry *e);

/* Calls `fn` on each entry in log order (checks shape, not the chain);
 * stops at the first non-zero return of fn, which is returned.  With
 * `needles` (NULL-ended), only on the entries whose line holds the bytes of
 * one of them: the others are skipped unread (a lookup in a store of
 * millions of entries).  NULL needles: every entry. */
int cev_audit_each_with(const char *dir, const char *const *needles,
                        int (*fn)(const cev_entry *e, void *ctx), void *ctx, cev_error *err);
int cev_audit_each(const char *dir, int (*fn)(const cev_entry *e, void *ctx), void *ctx,
                   cev_error *err);

/* The bytes every log line that quotes `id` (a candidate, a session) holds,
 * for cev_audit_each_with: `id` itself when it is made of ASCII letters,
 * digits, '-', '_' and '.', which no JSON writer escapes; else NULL (read
 * every line). */
const char *cev_audit_needle(const char *id);

/* The package folders of a stored catalog (objects/<sha>/<name>), in order;
 * the caller frees them with cev_file_list_free(). */
cev_code cev_audit_catalog_dirs(const char *dir, const char *catalog, char ***dirs, size_t *n,
                           cev_error *err);

/* The offset just after the last '\n' in bytes [0, end) of the open log fd
 * (0 when there is none): where the line ending at `end` starts; -1 when the
 * log cannot be read (errno set), never 0 then, which would have --repair
 * cut the whole log.  Shared by the appender (to read the last entry),
 * verify (to cut a torn line) and the readers (cev_audit_measure). */
long long cev_audit_line_start(int fd, long long end);

/* Where the complete lines of the open log fd of `size` bytes end: `size`
 * when it ends with '\n' (or is empty), else the start of its last line;
 * -1 when it cannot be read (errno set). */
long long cev_audit_complete(int fd, long long size);

/* Takes the store's lock for appending or cutting, waiting while a run
 * holds it; *fd is then the lock file's descriptor (the lock lasts until it
 * is closed).  Without `create`, a store that has no lock file (no run ever
 * appended) gives *fd = -1.  CEV_OK, CEV_ENOMEM or CEV_EIO. */
cev_code cev_audit_lock(const char *dir, int create, int *fd, cev_error *err);

/* The head: *present 0 when there is no head file (then *seq 0 and the hash
 * 64 zeros).  CEV_OK; CEV_PROBLEMS when it is not a valid head (not
 * {"seq":N,"hash":"<64 hex>"}, or entry 0 with another hash than zeros);
 * CEV_ENOMEM or CEV_EIO. */
cev_code cev_audit_read_head(const char *dir, int *present, long *seq,
                             char hash[CEV_SHA256_HEX], cev_error *err);

/* The ids of the files objects/catalog-<id>.json (whatever <id> is), in
 * folder order; the caller frees them with cev_file_list_free().  No
 * objects/ folder: none.  CEV_OK, CEV_ENOMEM or CEV_EIO. */
cev_code cev_audit_catalog_files(const char *dir, char ***names, size_t *n, cev_error *err);

#endif
