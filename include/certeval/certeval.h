/*
 * certeval.h - the engine's public API: what the certeval command, and any
 * program built on the engine, may use.  Nothing else of core/ is public.
 *
 * The pipeline it drives: read a record -> score each assessment (plugins)
 * -> decide the blocks and the title (the package's Lua rules) -> write the
 * decision, and log it in the audit store.
 *
 * Conventions
 *   - Functions return CEV_OK (0) or a negative cev_code, and fill the
 *     caller's cev_error with a message (and the field's path) when they fail.
 *     Positive codes are outcomes, not errors (CEV_PROBLEMS, CEV_STOPPED,
 *     CEV_END, CEV_TOO_LONG); the functions that return one say so.
 *   - A caller-owned struct is set up by its _init/_open/query function and
 *     released by the matching _close, also after a failure.  Opaque handles
 *     (cev_engine, cev_audit, cev_eval) come from _load/_begin/_open and go
 *     with _unload/_end/_close.
 *   - What a function hands back is the caller's to free, with the function
 *     named beside it.  Strings given to hooks are valid during the call.
 *   - Hooks of a run (eval, replay, diff) are called on its committer
 *     thread, one at a time, in input (or log) order; any hook may be NULL.
 */
#ifndef CERTEVAL_H
#define CERTEVAL_H

#include "certeval/version.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* ==== errors ================================================================ */

typedef enum cev_code {
    CEV_OK = 0,
    /* outcomes that are not errors (as SQLite's SQLITE_ROW, SQLITE_DONE) */
    CEV_PROBLEMS = 1, /* done, and problems were found (and told) */
    CEV_STOPPED = 2,  /* a run was stopped by a failure told elsewhere */
    CEV_END = 3,      /* no more input */
    CEV_TOO_LONG = 4, /* a line over the record limit, skipped unread */
    /* codes of the error records (docs/formats.md) */
    CEV_EJSON = -1,
    CEV_ESCHEMA = -2,
    CEV_ETITLE = -3,
    CEV_EEVIDENCE = -4,
    CEV_EJURY = -5,
    CEV_ERULE = -6,
    CEV_ERULE_BUDGET = -7,
    CEV_ERULE_MEMORY = -8,
    CEV_EPLUGIN = -9,
    /* codes that stop a command rather than a record */
    CEV_ENOMEM = -20,
    CEV_EIO = -21,
    CEV_EPACKAGE = -22, /* a title package is refused at load */
    CEV_EABI = -23,     /* a plugin is refused at load */
    CEV_EUSAGE = -24
} cev_code;

#define CEV_PATH_MAX 256
#define CEV_MESSAGE_MAX 768

typedef struct cev_error {
    cev_code code;
    char path[CEV_PATH_MAX];
    char message[CEV_MESSAGE_MAX];
} cev_error;

/* "E_JSON", ... for record codes; "E_NOMEM", ... for the others. */
const char *cev_code_name(cev_code code);
/* A short English description of a code, like strerror(). */
const char *cev_strerror(cev_code code);
/* The French words for a system error number (errno), for the messages a
 * jury secretary reads: the usual causes ("permission refusée",
 * "introuvable", ...), else the system's own (strerror).  Static. */
const char *cev_strerror_fr(int errnum);
/* Parses "E_JURY" back to its code; 0 when unknown. */
cev_code cev_code_parse(const char *name);

void cev_error_clear(cev_error *err);
/* Sets "out of memory" and returns CEV_ENOMEM; `err` may be NULL. */
cev_code cev_error_nomem(cev_error *err);
/* Sets every field and returns `code`; `err` may be NULL; `path` and the
 * arguments may point into `err` itself. */
cev_code cev_error_set(cev_error *err, cev_code code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
cev_code cev_error_setv(cev_error *err, cev_code code, const char *path, const char *fmt,
                   va_list ap);

/* Errors in the order found, for a command that reports every problem
 * rather than the first (check).  Keeps the first CEV_ERRLIST_MAX; `dropped`
 * counts the others.  Caller-owned: cev_errlist_init, then
 * cev_errlist_close, which frees the items. */
#define CEV_ERRLIST_MAX 100

typedef struct cev_errlist {
    cev_error *items;
    size_t n, cap;
    size_t dropped;
} cev_errlist;

void cev_errlist_init(cev_errlist *list);
void cev_errlist_close(cev_errlist *list);
/* Appends a copy of *err (or counts it in `dropped`): CEV_OK or CEV_ENOMEM. */
cev_code cev_errlist_add(cev_errlist *list, const cev_error *err);
/* Every error found, kept or dropped. */
size_t cev_errlist_count(const cev_errlist *list);

/* ==== buffers =============================================================== */

/* a growable byte buffer, always NUL-terminated.
 *
 * Caller-owned struct: cev_buf_init() / cev_buf_close().  cev_buf_reset()
 * empties it but keeps the allocation, so a buffer reused per record stops
 * allocating once it has grown to the largest record.
 * Append functions return CEV_OK or CEV_ENOMEM; after a failure the buffer
 * keeps its previous content.  */
typedef struct cev_buf {
    char *data; /* NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
} cev_buf;

void cev_buf_init(cev_buf *b);
void cev_buf_close(cev_buf *b);
void cev_buf_reset(cev_buf *b);
/* Cuts the buffer back to its first `len` bytes (len <= b->len), keeping
 * the allocation and the final NUL: what was appended since a mark, taken
 * back. */
void cev_buf_truncate(cev_buf *b, size_t len);
cev_code cev_buf_reserve(cev_buf *b, size_t extra);
cev_code cev_buf_append(cev_buf *b, const void *data, size_t len);
cev_code cev_buf_puts(cev_buf *b, const char *s);
cev_code cev_buf_putc(cev_buf *b, char c);
cev_code cev_buf_printf(cev_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the data over to the caller (free()), leaving the buffer empty. */
char *cev_buf_take(cev_buf *b);

/* ==== JSON ==================================================================== */

/* cev_json_parse() is strict where cJSON is lenient (duplicate keys, NUL
 * bytes, invalid UTF-8, "\u0000", 1e999); the tree is the caller's
 * (cJSON_Delete). */
/* Parses exactly one JSON value filling text[0..len) (white space around it
 * allowed).  Refuses: NUL bytes, invalid UTF-8, "\u0000" escapes, nesting
 * deeper than max_depth, non-finite numbers, duplicate keys in an object.
 * On failure returns CEV_EJSON with err->message giving the byte offset or
 * the offending key, and *out == NULL; CEV_ENOMEM when an allocation failed,
 * in cJSON too (told by errno, which malloc sets to ENOMEM). */
cev_code cev_json_parse(const char *text, size_t len, unsigned max_depth, cJSON **out,
                   cev_error *err);

/* Case-sensitive member lookup; NULL when `obj` is not an object. */
const cJSON *cev_json_get(const cJSON *obj, const char *key);
/* obj[key] when it is a string, else "" (never NULL); valid as long as the
 * tree. */
const char *cev_json_str(const cJSON *obj, const char *key);

/* cev_jw: a streaming JSON writer with a fixed, reproducible style, the
 * records' own.  Output is compact (no spaces, no newline), keys appear in
 * the order written, numbers use the shortest form that reads back to the
 * same double, -0 prints as 0, a non-finite number as null; commas are the
 * writer's.  Errors are sticky: after an allocation failure every call is a
 * no-op and cev_jw_status() returns CEV_ENOMEM, so callers check once at
 * the end. */
#define CEV_JW_MAX_DEPTH 32

typedef struct cev_jw {
    cev_buf *out; /* borrowed */
    struct cev_numcache *cache; /* borrowed, may be NULL: formatted numbers */
    int status;
    unsigned depth;
    unsigned char has_item[CEV_JW_MAX_DEPTH]; /* per level: a comma is due */
} cev_jw;

void cev_jw_init(cev_jw *w, cev_buf *out);
cev_code cev_jw_status(const cev_jw *w);

void cev_jw_object(cev_jw *w); /* { */
void cev_jw_array(cev_jw *w);  /* [ */
void cev_jw_end_object(cev_jw *w);
void cev_jw_end_array(cev_jw *w);
void cev_jw_key(cev_jw *w, const char *key);
/* A key written as given, quotes and colon included ("\"code\":"): for
 * keys spelled in the source, through cev_jw_key_lit(). */
void cev_jw_key_raw(cev_jw *w, const char *quoted, size_t len);
/* cev_jw_key() for a string literal that needs no escaping (the format's
 * own key names), without measuring or scanning it on every record. */
#define cev_jw_key_lit(w, lit) cev_jw_key_raw((w), "\"" lit "\":", sizeof(lit) + 2)
void cev_jw_string(cev_jw *w, const char *s); /* NULL writes null */
void cev_jw_string_len(cev_jw *w, const char *s, size_t len);
void cev_jw_number(cev_jw *w, double v);
void cev_jw_integer(cev_jw *w, long long v);
void cev_jw_bool(cev_jw *w, int v);
void cev_jw_null(cev_jw *w);

/* ==== plugins =============================================================== */

/* A plugin path: one plugin folder or several, separated by ':' (as PATH;
 * a folder whose name holds ':' cannot be named).  Every function below
 * that takes `plugins_dir` takes a path.  For each modality the first
 * folder holding a usable plugin of it wins: the plugins of that modality
 * in later folders are shadowed (never used).  Two usable plugins of one
 * modality in the winning folder are a conflict, which stops every command
 * that loads plugins (CEV_EABI) but the listing. */

/* One plugin found; `refused` says why it is not usable (NULL when it is).
 * Unknown fields are "". */
typedef struct cev_plugin_info {
    const char *file, *name, *version, *abi, *sha256, *refused;
    size_t folder;           /* its folder's index in the path, from 0 */
    const char *shadowed_by; /* usable, but an earlier folder's plugin (this
                              * file) provides its modality; else NULL */
    const char *conflict;    /* usable, and this other file of its folder
                              * provides its modality too; else NULL */
} cev_plugin_info;

/* Tells every "*.so" of the plugin path `dir`, folder by folder, each in
 * file name order, conflicts included.  CEV_OK, or a negative code: a
 * folder cannot be read. */
cev_code cev_plugins_list(const char *dir, void (*fn)(void *ctx, const cev_plugin_info *p),
                     void *ctx, size_t *count, cev_error *err);

/* ==== the engine ============================================================= */

/* The plugins of a plugin path and the title packages of a rules folder (each
 * package's rules compiled once, so that a bad rules.lua stops the caller
 * before any record), shared read-only by every worker of a run. */
typedef struct cev_engine cev_engine;

cev_code cev_engine_load(cev_engine **out, const char *plugins_dir, const char *rules_dir,
                    int allow_draft, cev_error *err);
void cev_engine_unload(cev_engine *e);

/* The default number of workers: the online CPUs this process may run on
 * (its affinity, as `nproc` counts them), from 1 to CEV_MAX_THREADS. */
#define CEV_MAX_THREADS 256
unsigned cev_online_cpus(void);

/* ==== deciding a session: eval ================================================ */

/* One run: the lines of the session files, in order, handed to the workers;
 * the records taken back in input order, each file being a session (a
 * repeated candidate id is refused), logged in the audit store when there
 * is one, and written to the destination.  Group commit: the log entries of
 * the records written reach the disk before the records are written.
 *
 * Lines are numbered per file from 1; blank lines are skipped; a line may
 * end in "\n" or "\r\n" (the terminator is not part of the record nor of its
 * input hash); a line over CEV_MAX_RECORD bytes gets an E_JSON error record
 * and is never held in memory whole. */
#define CEV_MAX_RECORD (16u << 20)
/* In a record: identifiers (the candidate, jury members, assessors,
 * supervisors) are 1 to CEV_ID_MAX bytes of [A-Za-z0-9._-]; every other
 * string, and every key, is at most CEV_STRING_MAX bytes. */
#define CEV_ID_MAX 64
#define CEV_STRING_MAX 4096

typedef struct cev_audit cev_audit;

typedef struct cev_eval_report {
    long records, errors;
    long undecided; /* error records of lines the machine could not decide */
    long unread;    /* among them, lines whose candidate id was not read */
} cev_eval_report;

typedef struct cev_eval_hooks {
    void *ctx;
    /* a record that gave an error record (already in the output) */
    void (*error)(void *ctx, const char *source, long line, const char *candidate,
                  const cev_error *e);
    /* after each record */
    void (*progress)(void *ctx, long records, long errors);
    /* records are about to be written to the destination (the last time
     * from cev_eval_finish(), on the caller's thread, the committer gone) */
    void (*output)(void *ctx);
    /* advice about the input, after the error it explains, at most once per
     * file: a '{' alone on a line that gave E_JSON (a record pretty-printed
     * over several lines, where a session file holds one per line) */
    void (*hint)(void *ctx, const char *source, long line, const char *message);
} cev_eval_hooks;

typedef struct cev_eval cev_eval;

/* `sources` names the nsources files the run will read; `audit` may be
 * NULL.  The engine, the store, the destination and the names are borrowed
 * until cev_eval_close(). */
cev_code cev_eval_open(cev_eval **out, const cev_engine *eng, cev_audit *audit, FILE *dest,
                  const char *dest_name, const char *const *sources, size_t nsources,
                  unsigned threads, int allow_draft, const cev_eval_hooks *hooks, cev_error *err);
/* Hands every line of source `index` (read from `in`) to the workers.
 * CEV_OK; CEV_STOPPED when the run was stopped by a failure of the log or the
 * destination (cev_eval_finish says which); or a negative code: the file
 * could not be read or memory ran out (the lines before are still decided,
 * written and logged).  After running out of memory the run takes no more
 * lines (CEV_EUSAGE): only cev_eval_finish() is left to call. */
cev_code cev_eval_stream(cev_eval *ev, size_t index, FILE *in, cev_error *err);
/* Waits for every line handed over, then writes what is left.  CEV_OK with
 * `rep` filled; else a negative code (the log or the destination could not
 * be written, a worker could not run), and rep counts what was done. */
cev_code cev_eval_finish(cev_eval *ev, cev_eval_report *rep, cev_error *err);
void cev_eval_close(cev_eval *ev);

/* ==== the audit store: appending =============================================== */

/* A folder: log.jsonl (one hash-chained entry per record), head (the last
 * entry synced), objects/ (every title package a run used, and the list of
 * them: its catalog).  cev_audit_begin() opens (creating it if needed) and
 * locks it for appending, waiting while another run holds it; it refuses a
 * log whose last line is torn.  cev_audit_register() stores the engine's
 * packages; cev_audit_end() syncs what is pending and releases the store,
 * also after a failure (then its result may be ignored). */
cev_code cev_audit_begin(cev_audit **out, const char *dir, cev_error *err);
cev_code cev_audit_register(cev_audit *a, const cev_engine *eng, int allow_draft, cev_error *err);
/* The open log's descriptor (to tell whether another file is the log). */
int cev_audit_log_fd(const cev_audit *a);
cev_code cev_audit_end(cev_audit *a, cev_error *err);

/* ==== the audit store: reading ================================================= */

typedef struct cev_entry {
    cJSON *json; /* owned; the strings below point into it */
    long seq;
    long run;
    const char *catalog;
    int allow_draft;
    const char *source;
    long line;
    char *input;       /* decoded, NUL-terminated, owned; NULL when not kept */
    size_t input_len;
    size_t input_size; /* for a line over the limit */
    const char *output;
    int undecided;     /* "undecided":true: the machine could not decide the line */
} cev_entry;

/* What of log.jsonl a reader may read, measured at one instant: `complete`
 * bytes end at a '\n'; beyond them, up to `size`, is a last line without its
 * '\n', being written when `appending` (a run holds the store's lock), torn
 * otherwise.  Readers stop at `complete`. */
typedef struct cev_audit_extent {
    long long size, complete;
    int appending;
} cev_audit_extent;

/* CEV_OK (a missing log measures 0), or CEV_EIO. */
cev_code cev_audit_measure(const char *dir, cev_audit_extent *x, cev_error *err);

/* The title.json stored with the decision record `record` (the package its
 * provenance names), parsed; the caller cJSON_Delete()s it.  The stored
 * package is hashed first: CEV_PROBLEMS naming it when its content no longer
 * hashes to its name (altered since it was stored).  CEV_OK, CEV_ENOMEM, or
 * CEV_EIO naming the file. */
cev_code cev_audit_stored_title(const char *dir, const cJSON *record, cJSON **title, cev_error *err);

typedef struct cev_audit_report {
    long entries;       /* good entries before the first problem */
    long bad_seq;       /* sequence number of the first bad entry, 0 if unknown */
    long bad_line;      /* its line in log.jsonl */
    char problem[512];  /* empty when the store holds */
    size_t cut;         /* bytes of a torn last line cut by --repair */
    long catalogs;      /* catalogs (and their packages) checked */
    int appending;      /* a run held the lock: the entries complete at the start were checked */
    long seal_seq;      /* the seal: the last entry the head records (when the store holds) */
    char seal_hash[65]; /*   and its hash */
    size_t newline;     /* --repair restored the final '\n' of a whole last entry (1) */
    long head_set;      /* --repair recorded in the head entries the log held past it: their last */
    char warning[512];  /* something to report that is not a break of the chain, or empty */
} cev_audit_report;

/* Told the number of good entries so far, after each one. */
typedef void (*cev_audit_progress)(void *ctx, long entries);

/* Checks the chain, the head and the objects.  With `repair`, cuts a torn
 * last line (only that).  CEV_OK with rep->problem empty when all holds. */
cev_code cev_audit_verify(const char *dir, int repair, cev_audit_progress progress, void *ctx,
                     cev_audit_report *rep, cev_error *err);

enum {
    CEV_CHECK_REPAIR = 1, /* cut a torn last line, restore the '\n' of a whole last entry,
                           * record in the head the entries a crash left past it */
    CEV_CHECK_CHAIN = 2   /* the entries, the chain and the head only, not the objects */
};
/* cev_audit_verify() with `flags` and, unless NULL, a seal "SEQ:HASH"
 * printed earlier: entry SEQ must still be in the chain with that hash.
 * CEV_EUSAGE for a malformed seal. */
cev_code cev_audit_check(const char *dir, unsigned flags, const char *seal,
                         cev_audit_progress progress, void *ctx, cev_audit_report *rep,
                         cev_error *err);
/* A seal "SEQ:HASH" (SEQ from 1, HASH 64 lowercase hex digits): CEV_OK or
 * CEV_EUSAGE. */
cev_code cev_audit_parse_seal(const char *text, long *seq, char hash[65]);

/* What every command that reads the store for a person does first: checks
 * the entries, the chain and the head (not the stored packages).  CEV_OK;
 * CEV_PROBLEMS with err naming the first bad entry; CEV_ENOMEM or CEV_EIO.
 * The queries below call it. */
cev_code cev_audit_check_chain(const char *dir, cev_error *err);

/* ==== the current decisions: queries ========================================== */

/* which logged entries hold the current decisions: a session's
 * (minutes, and the session's documents) or one candidate's (explain).
 *
 * A session's entries: those whose record names the session (or, for an
 * error record, whose input record does), and the error records of no
 * readable session whose file (one source of one run) holds entries of the
 * session.  A candidate decided in several runs counts by its latest run:
 * the entries of earlier runs are superseded.  Within a run every entry is
 * kept (a line refused because its id appeared earlier in the file is kept
 * beside that earlier decision), and so is every entry whose candidate id
 * could not be read.
 *
 * A candidate's current decision: in its latest run, its decision record
 * when it has one, else its latest entry.
 *
 * Caller-owned: cev_query_session() or cev_query_candidate() fill it,
 * cev_query_close() frees it (also after a failure).
 */
typedef struct cev_query {
    long *seqs;        /* the entries found, ascending */
    size_t n;
    size_t superseded; /* session: entries of earlier runs set aside;
                        * current: every entry set aside */
    long current;      /* candidate: the entry of its current decision (0: none) */
    char *needles[3];  /* what the lines to read hold (NULL-ended), or none */
} cev_query;

/* The chain is checked first (cev_audit_check_chain): CEV_PROBLEMS with err
 * when it does not hold.  CEV_OK (q->n may be 0: no entry), or a negative
 * code with err: the log could not be read, an entry's output is
 * unreadable, out of memory. */
cev_code cev_query_session(cev_query *q, const char *dir, const char *session, cev_error *err);
cev_code cev_query_candidate(cev_query *q, const char *dir, const char *candidate, cev_error *err);

/* Every candidate's current decision, one entry each, in the whole store
 * (`session` NULL) or among a session's entries (as cev_query_session
 * finds them); every entry whose candidate id could not be read is kept.
 * q->superseded counts the entries set aside (earlier runs, and in the
 * latest run the entries beside the current decision). */
cev_code cev_query_current(cev_query *q, const char *dir, const char *session, cev_error *err);

/* Whose is entry `seq`: CEV_OK with *candidate the id its record names
 * (the caller free()s it; NULL when the id could not be read), CEV_END when
 * the log has no entry `seq`, or a negative code with err. */
cev_code cev_query_owner(const char *dir, long seq, char **candidate, cev_error *err);

/* Calls fn on each entry found, in log order; stops at fn's first non-zero
 * return, which is returned; CEV_EIO when an entry found is gone (the log
 * changed meanwhile). */
int cev_query_each(const cev_query *q, const char *dir,
                   int (*fn)(const cev_entry *e, void *ctx), void *ctx, cev_error *err);

void cev_query_close(cev_query *q);

/* ==== replaying the store ======================================================= */

/* One logged entry decided again (replay, diff). */
typedef struct cev_redecided {
    long seq;             /* the entry's */
    const char *source;   /* its file and line */
    long line;
    int engine;           /* the engine that decided it now */
    const char *logged;   /* the record logged */
    const char *input;    /* the input line logged (input_len bytes, not
                           * NUL-terminated), or NULL when not kept */
    size_t input_len;
    int logged_undecided; /* logged as a line the machine could not decide */
    char *now;            /* the record decided now, without its '\n'; the
                           * function may change it (valid during the call) */
} cev_redecided;

/* re-deciding every logged record with the packages stored in
 * the audit store (never rules/) and the installed plugins, and comparing
 * the bytes with the logged ones.
 *
 * Outcomes of one entry:
 *   identical     the same bytes;
 *   plugin_only   the same bytes but for the sha256 of plugins whose
 *                 installed file differs from the one logged (each such
 *                 plugin is told once): a pass with a warning;
 *   undecided     logged as a line the machine could not decide: there is
 *                 no decision to reproduce, so it passes (and is told);
 *   different     anything else: a failure (told).
 * A line that this machine cannot decide now stops the replay.
 */
typedef struct cev_replay_report {
    long entries, identical, plugin_only, undecided, different;
} cev_replay_report;

/* What the caller is told, on the committer thread, in log order; any
 * member may be NULL. */
typedef struct cev_replay_hooks {
    void *ctx;
    /* an installed plugin hashes otherwise than decisions logged (once each) */
    void (*plugin_changed)(void *ctx, const char *name, const char *file,
                           const char *installed_sha256, const char *logged_sha256);
    /* an entry logged undecided, with the logged error message */
    void (*undecided)(void *ctx, const cev_redecided *r, const char *message);
    /* an entry whose decision replays differently (r->logged, r->now) */
    void (*different)(void *ctx, const cev_redecided *r);
    /* after each entry */
    void (*progress)(void *ctx, long entries, long different);
} cev_replay_hooks;

/* Replays the store `dir` with the plugins of `plugins_dir` on `threads`
 * workers.  CEV_OK with `rep` filled when every entry was compared (rep
 * says whether all held); else a negative code and `err`. */
cev_code cev_replay(const char *dir, const char *plugins_dir, unsigned threads,
               const cev_replay_hooks *hooks, cev_replay_report *rep, cev_error *err);

/* ==== what other rules would change: diff ====================================== */

/* what other rules would change in the logged decisions: each
 * candidate's current decision (cev_query_current: one entry per
 * candidate, the entries a later one replaced set aside), in the whole
 * store or in one session, decided again with the packages of another
 * rules folder, its title and block decisions compared with the logged
 * ones, and the count of each transition.  An error record counts as the
 * decision "error:<code>"; a block one side lacks, as NULL.  A record whose
 * title the other rules do not hold at all (no package of that code) is
 * not compared: it is counted among `missing`, by title.
 */
/* One decision that would change: "title" or a block code. */
typedef struct cev_diff_change {
    const char *what, *before, *after; /* before or after NULL: no such block */
} cev_diff_change;

typedef struct cev_diff_transition {
    char *what, *before, *after; /* "-" for a block one side lacks */
    long count;
} cev_diff_transition;

/* A title of the store that the other rules lack: its code, and the
 * records of it not compared. */
typedef struct cev_diff_missing {
    char *title;
    long count;
} cev_diff_missing;

/* Caller-owned; cev_diff_report_close() frees the transitions. */
typedef struct cev_diff_report {
    long entries, changed;      /* compared; among them, would change */
    long superseded;            /* entries set aside: not a current decision */
    cev_diff_transition *trans; /* the title's first, then the blocks' by code,
                                 * each by before then after (byte order) */
    size_t ntrans;
    cev_diff_missing *missing;  /* by title code (byte order) */
    size_t nmissing;
    long unmatched;             /* the records of those titles, not compared */
} cev_diff_report;

/* Told on the committer thread, in log order; members may be NULL. */
typedef struct cev_diff_hooks {
    void *ctx;
    /* a record whose decisions would change: the title's change first, then
     * the blocks' in the logged record's order, then blocks only new has */
    void (*changed)(void *ctx, const cev_redecided *r, const char *candidate,
                    const cev_diff_change *changes, size_t n);
    void (*progress)(void *ctx, long entries, long changed);
} cev_diff_hooks;

/* Decides the current decisions of the store `dir` (of session `session`,
 * or all when NULL) again with the packages of `rules_dir`.  CEV_OK with
 * `rep` filled; CEV_PROBLEMS with err naming the first bad entry when the
 * chain does not hold (cev_audit_check_chain); else a negative code and
 * `err` (rep is still to be closed). */
cev_code cev_diff(const char *dir, const char *session, const char *plugins_dir,
                  const char *rules_dir, unsigned threads, const cev_diff_hooks *hooks,
                  cev_diff_report *rep, cev_error *err);
void cev_diff_report_close(cev_diff_report *rep);

/* ==== a package's own cases: test ============================================== */

/* runs a title package's own cases (PACKAGE/tests/ *.json, one
 * case per file, in path order) and measures which lines of its rules.lua
 * they ran:
 *
 *   {"description": "...",            optional
 *    "base": "name.base.json",        optional: the record the case starts from
 *    "record": {...} | "raw line",    the candidate record (a string is fed as is)
 *    "expect": {...}}                 the decision or error record expected,
 *                                     possibly only the fields the case is about
 *
 * A base is a file of tests/ whose name ends in ".base.json" (never run as a
 * case) holding one candidate record; the case's "record", an object then,
 * is a JSON merge patch over it (RFC 7396: its members replace the base's,
 * objects merge member by member, null deletes a member, arrays are replaced
 * whole), and may be left out when the base is the whole record.
 *
 * Matching rules: expect.h.  A case is refused as unusable (a failure) when
 * it cannot be read, has unknown members, or expects an error naming only
 * its code: it must name the error's "path" or a part of its "message" too.
 * A case whose record the machine could not decide (out of memory) is no
 * verdict: the run stops with CEV_ENOMEM.
 */
/* One case's outcome, valid during the hook's call. */
typedef struct cev_case_result {
    const char *file;        /* relative to tests/ */
    const char *description; /* or NULL */
    int passed;
    const char *unusable; /* a failed case that could not be run: why; else NULL */
    const char *diff;     /* a failed case: its mismatches, a line each */
    const char *got;      /* the record the case gave, with its '\n' */
} cev_case_result;

typedef struct cev_pkgtest_hooks {
    void *ctx;
    void (*on_case)(void *ctx, const cev_case_result *r);
} cev_pkgtest_hooks;

/* Caller-owned; cev_pkgtest_report_close() frees it. */
typedef struct cev_pkgtest_report {
    char *package; /* the package folder tested */
    size_t cases, passed, failed;
    char *rules_file; /* the package's rules.lua */
    /* coverage, when measured: line i (1-based, < nlines) of rules.lua can
     * execute (executable[i]) and ran in some case (ran[i]) */
    int measured;
    char unmeasured[CEV_MESSAGE_MAX]; /* why not, when not */
    size_t nlines, executable_lines, covered_lines;
    unsigned char *executable, *ran;
} cev_pkgtest_report;

/* Runs the cases of `target`, a package folder or one case file in the
 * tests/ folder of a package (then only that case runs), with the plugins of
 * `plugins_dir` (draft packages allowed).  `pattern`, unless NULL, selects
 * the cases whose file name (relative to tests/) or description it matches:
 * as a glob (fnmatch) when it holds '*', '?' or '[', else as a part of
 * either.  CEV_OK with `rep` filled (cases may have failed); else a negative
 * code with `err`: CEV_EUSAGE, `target` names no package folder or case
 * file; the package did not load: CEV_EPACKAGE (its title.json, configs or
 * rules), CEV_EIO or CEV_EABI (a file or the plugin folder could not be
 * read); or the machine failed (CEV_ENOMEM). */
cev_code cev_pkgtest_run(const char *plugins_dir, const char *target, const char *pattern,
                         const cev_pkgtest_hooks *hooks, cev_pkgtest_report *rep,
                         cev_error *err);
void cev_pkgtest_report_close(cev_pkgtest_report *rep);

/* ==== the session folder ====================================================== */

/* the session folder (dossier de session): the CSV files a jury secretary
 * keeps for one session, which any spreadsheet opens and saves.
 * cev_folder_read() reads the three files that say who is there:
 *
 *   session.csv    one row: session, date, type, titre, lieu, centre
 *   candidats.csv  one row per candidate: candidat, nom, prenom,
 *                  date_naissance, voie, blocs_acquis
 *   jury.csv       one row per member: membre, nom, prenom, profil,
 *                  president, a_forme
 *
 * Cells are read as people type them: ';' or ',' as the separator, UTF-8
 * with or without a byte order mark, CRLF, quoted cells with line breaks,
 * surrounding spaces ignored, dates "YYYY-MM-DD" or "DD/MM/YYYY" (handed
 * back as "YYYY-MM-DD").  A file that is not UTF-8 is refused with the way
 * to save it as "CSV UTF-8".
 *
 * Each problem is a cev_error (code CEV_ESCHEMA) in the caller's list, with
 * path "file:row:column" (or "file:row", or "file") and a French message;
 * the reader goes on, so that one run reports them all.  Checked here: the
 * files exist; no unknown column and no required one missing; session.csv
 * has one row with a session id, a real date, a type "titre" or "ccp" when
 * given, a title code; candidate and member ids follow the identifier rule
 * (1 to CEV_ID_MAX bytes of [A-Za-z0-9._-]) and are not repeated; each has
 * a nom; blocs_acquis is "CODE@DATE" words; profil is "professionnel" or
 * "formateur"; president is "oui" or "non" (or empty), with exactly one
 * "oui"; a_forme names candidates of candidats.csv.  Not checked here
 * (import does, against the title package): voie, block codes.
 *
 * Ownership: cev_folder_read() hands back an opaque cev_folder that owns
 * every struct and string reachable from it, valid until
 * cev_folder_close().  Nothing is handed back when there is a problem.
 */
typedef struct cev_folder cev_folder;

typedef struct cev_folder_session {
    const char *id;
    const char *date;   /* "YYYY-MM-DD" */
    const char *type;   /* "titre", "ccp", or NULL when not given */
    const char *title;  /* the title code ("RNCP36524") */
    const char *place;  /* lieu: "" when not given */
    const char *centre; /* "" when not given */
} cev_folder_session;

/* A block acquired in an earlier session (blocs_acquis "CODE@DATE"). */
typedef struct cev_folder_block {
    const char *block;
    const char *date; /* "YYYY-MM-DD" */
} cev_folder_block;

typedef struct cev_folder_candidate {
    const char *id;
    const char *last_name, *first_name; /* nom, prenom ("" when not given) */
    const char *birth_date;             /* "YYYY-MM-DD", or NULL */
    const char *route;                  /* voie as typed, or NULL */
    const cev_folder_block *acquired;   /* in the cell's order */
    size_t nacquired;
    long row; /* its row in candidats.csv (the header is row 1) */
} cev_folder_candidate;

typedef struct cev_folder_member {
    const char *id;
    const char *last_name, *first_name;
    const char *profile;       /* "professional" or "trainer" (the records' words) */
    int president;             /* 1 for the one president */
    const char *const *trained; /* a_forme: candidate ids, in the cell's order */
    size_t ntrained;
    long row; /* its row in jury.csv */
} cev_folder_member;

/* Reads the folder `dir`.  CEV_OK and *out set; CEV_PROBLEMS when the
 * folder has problems (each added to `problems`, *out NULL); CEV_EIO with
 * err when `dir` is not a folder that can be read; CEV_ENOMEM. */
cev_code cev_folder_read(cev_folder **out, const char *dir, cev_errlist *problems,
                         cev_error *err);
void cev_folder_close(cev_folder *f);

/* The folder as given to cev_folder_read(). */
const char *cev_folder_dir(const cev_folder *f);
const cev_folder_session *cev_folder_session_info(const cev_folder *f);
/* The candidates in the order of candidats.csv; *n set to their number. */
const cev_folder_candidate *cev_folder_candidates(const cev_folder *f, size_t *n);
/* The jury in the order of jury.csv. */
const cev_folder_member *cev_folder_jury(const cev_folder *f, size_t *n);
/* A candidate / member by id, or NULL. */
const cev_folder_candidate *cev_folder_find_candidate(const cev_folder *f, const char *id);
const cev_folder_member *cev_folder_find_member(const cev_folder *f, const char *id);

/* ==== the session folder: template and import ================================ */

/* `template`: writes into `dir` the empty session folder of the title
 * package folder `package_dir` (loaded with the plugins of `plugins_dir`,
 * as `check` would): session.csv, candidats.csv, jury.csv, one
 * "<assessment id>.csv" per assessment whose modality the folder knows
 * (situation, oral, dossier, field, quiz) with its columns,
 * deliberations.csv, calendrier.csv when the title has dossiers, each with
 * its header row (';'-separated, UTF-8 with a byte order mark, as
 * spreadsheets open them), and LISEZMOI.txt, in French, which explains
 * every file and column with the référentiel's labels.  `dir` is created;
 * an existing folder that is not empty is refused (CEV_EUSAGE).  CEV_OK, or
 * a negative code with err (CEV_EPACKAGE, CEV_EABI, CEV_EIO, CEV_ENOMEM). */
cev_code cev_template_write(const char *plugins_dir, const char *package_dir, const char *dir,
                            cev_error *err);

/* `import`: reads the session folder `dir` and appends to `out` one
 * candidate record (formats.md) per row of candidats.csv, in that order,
 * each a line ending in '\n'; *records is their number.  The package is the
 * engine's version of session.csv's title in force on its date (the
 * structure only: drafts are allowed here, eval decides whether to take
 * them).  The assessment files, deliberations.csv and calendrier.csv are
 * checked against it: unknown columns, criteria and blocks, scores outside
 * the scale, candidates not in candidats.csv, repeated rows, statut,
 * dates, empty motivations.  Names never enter a record.
 *
 * CEV_OK; CEV_PROBLEMS with every problem added to `problems` (as
 * cev_folder_read) and nothing appended; CEV_EIO when `dir` is not a
 * readable folder; CEV_ENOMEM. */
cev_code cev_import(const cev_engine *eng, const char *dir, cev_buf *out, size_t *records,
                    cev_errlist *problems, cev_error *err);
/* ==== French words ============================================================== */

/* The words a French reader sees for the codes of the decision records
 * (docs/formats.md), the same in every document certeval writes for people
 * (explain, minutes, pv, attestation).  Each returns a static string, or
 * `code` itself when it has no words (a status a new modality invented,
 * say); `code` is not NULL.  The strings are UTF-8 and never the caller's
 * to free. */

/* A block's decision: "validé", "non validé", "absent", "non présenté". */
const char *cev_fr_block(const char *decision);
/* The same, said in full (explain): "validé", "non validé", "absent (une
 * épreuve manquée)", "non présenté à cette session". */
const char *cev_fr_block_long(const char *decision);
/* The title's decision as a heading: "Titre obtenu", "Titre partiellement
 * obtenu", "Titre non obtenu". */
const char *cev_fr_title(const char *decision);
/* The same within a line: "titre obtenu", "titre partiellement obtenu",
 * "titre non obtenu". */
const char *cev_fr_title_lower(const char *decision);
/* The same in a column headed "Titre": "Obtenu", "Partiellement obtenu",
 * "Non obtenu". */
const char *cev_fr_title_short(const char *decision);
/* How a block was acquired: "évalué à cette session", "capitalisé", "par
 * équivalence". */
const char *cev_fr_source(const char *source);
/* An assessment's status: "présent", "absent", "excusé", "irrecevable". */
const char *cev_fr_status(const char *status);
/* A modality: "mise en situation professionnelle", "épreuve orale",
 * "dossier écrit", "évaluation de terrain", "questionnaire". */
const char *cev_fr_modality(const char *modality);
/* A jury member's profile: "professionnel du métier", "formateur". */
const char *cev_fr_profile(const char *profile);
/* A TP session's type: "session titre", "session CCP". */
const char *cev_fr_session_type(const char *type);

/* `one` for n <= 1, else `many` (French: 0 is singular): "0 entrée",
 * "2 entrées". */
const char *cev_fr_plural(unsigned long n, const char *one, const char *many);

/* "14 mars 2024", "1er août 2024" for "2024-03-14", "2024-08-01", written
 * into buf (at least 32 bytes), which it returns; the text itself (cut to
 * 31 bytes) when it is not an ISO date, "" for NULL. */
const char *cev_fr_date(char *buf, const char *iso);
/* "0,75": two decimals and a decimal comma, into buf (at least 32 bytes),
 * which it returns. */
const char *cev_fr_score(char *buf, double v);

/* ==== the session's documents: pv, attestation, export ======================== */

/* the papers of a session, joined at print time from the session folder
 * (names, places, the order of candidats.csv, the jury's president) and the
 * audit store (the decisions made: a candidate decided in several runs
 * counts by the latest, see cev_query_session).  They never re-decide.
 *
 * pv and attestation are French, self-contained HTML (no script, no
 * external file, the system's fonts) laid out for A4; every string from a
 * record, a package or the folder is escaped, and control and
 * bidirectional-override characters are shown as visible escapes
 * ("\u202E").  The export is data: CSV (';', UTF-8 with a byte order mark,
 * a header row) or JSON Lines, one row per candidate and block; its CSV
 * shows the same characters as the same escapes and puts an apostrophe
 * before a cell starting with = + - @ (no formula when a spreadsheet opens
 * it), its JSON Lines writes them as JSON escapes (the same text once
 * read).
 *
 * Each appends the whole document to `out` (nothing on failure) and
 * returns CEV_OK; CEV_PROBLEMS when the folder has problems (each in
 * `problems`, err's code CEV_OK), or with err when the chain of the store
 * does not hold (the first bad entry named), when the store holds no entry
 * of the folder's session, or (attestation) when a candidate asked for is
 * in neither; CEV_EIO with err when the folder or the store cannot be
 * read; CEV_ENOMEM.
 */
cev_code cev_print_pv(cev_buf *out, const char *audit_dir, const char *folder_dir,
                      cev_errlist *problems, cev_error *err);
/* One page per candidate: those of `ids` (n of them), or every candidate
 * of candidats.csv, then any other the session decided, when n is 0. */
cev_code cev_print_attestations(cev_buf *out, const char *audit_dir, const char *folder_dir,
                                const char *const *ids, size_t n, cev_errlist *problems,
                                cev_error *err);

typedef enum cev_export_format { CEV_EXPORT_CSV, CEV_EXPORT_JSONL } cev_export_format;

cev_code cev_print_export(cev_buf *out, const char *audit_dir, const char *folder_dir,
                          cev_export_format format, cev_errlist *problems, cev_error *err);

/* ==== checking packages: check ================================================= */

/* `check`: title packages loaded and linted, each on its own:
 * title.json against the schema, every assessment's modality plugin and
 * config, rules.lua compiled in the sandbox with its decide() entry point;
 * then the validity periods of the versions of one title, across the sound
 * packages given together.
 */
/* One package's verdict, valid during the hook's call. */
typedef struct cev_check_result {
    const char *dir;
    int sound;
    /* a sound package: */
    const char *code, *version;
    int draft;
    size_t nblocks, nassess;
    /* an unsound one: every problem found (the first CEV_ERRLIST_MAX) */
    const cev_error *problems;
    size_t nproblems, dropped;
} cev_check_result;

typedef struct cev_check_hooks {
    void *ctx;
    void (*on_package)(void *ctx, const cev_check_result *r);
} cev_check_hooks;

/* The title packages an operand of check or test names: `path` itself when
 * it holds a title.json, else its sub-folders that hold one (a rules
 * folder), in name order, each "path/name".  CEV_OK with *dirs (the
 * caller's: cev_package_folders_free()); CEV_EUSAGE when `path` does not
 * exist or names neither; CEV_ENOMEM. */
cev_code cev_package_folders(const char *path, char ***dirs, size_t *n, cev_error *err);
void cev_package_folders_free(char **dirs, size_t n);

/* Checks the package folders `dirs` with the plugins of `plugins_dir`.
 * CEV_OK when every package is sound and no two versions of a title
 * overlap; CEV_PROBLEMS when a package has problems (told) or versions overlap
 * (`overlap` says how; its code is CEV_OK otherwise); a negative code with
 * err when the check could not be made (the plugin folder, out of memory). */
cev_code cev_check_packages(const char *plugins_dir, char *const *dirs, size_t n,
                       const cev_check_hooks *hooks, cev_error *overlap, cev_error *err);

#endif
