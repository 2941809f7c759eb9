/*
 * logged.h - feeding logged audit entries to the workers (replay, diff):
 * each entry becomes a job that carries its logged record, and the entries
 * of one file of one run share a session tag, as eval's lines did.
 */
#ifndef CEV_CLI_LOGGED_H
#define CEV_CLI_LOGGED_H

#include "audit/audit.h"
#include "decide/parallel.h"

/* The producer's side: which file (session) each entry belongs to. */
typedef struct cli_sessions {
    long tag;       /* of the current (run, source) */
    long run;
    cev_buf source;
} cli_sessions;

void cli_sessions_init(cli_sessions *s);
void cli_sessions_close(cli_sessions *s);
/* Hands entry e to the workers, to be decided by `engine`.  0, or
 * CLI_CANNOT_START (a commit stopped the run, or out of memory). */
int cli_feed_entry(cev_par *par, const cev_entry *e, int engine, cli_sessions *s);

/* The committer's side: the file's session, as eval had it, and the record. */
typedef struct cli_redecided {
    cev_session session;
    long tag;
    cev_buf out;
} cli_redecided;

void cli_redecided_init(cli_redecided *r);
void cli_redecided_close(cli_redecided *r);
/* Commits a decided job to its session; the record now given, without its
 * '\n', or NULL (said on stderr) when out of memory or the machine could
 * not decide the record (it is no decision to compare).  The text is the
 * caller's to modify until the next call. */
char *cli_redecided_record(cli_redecided *r, cev_job *job);

/* The bytes every log line that quotes `id` (a candidate, a session) holds,
 * for cev_audit_each_with: `id` itself when it is made of ASCII letters,
 * digits, '-', '_' and '.', which no JSON writer escapes; else NULL (read
 * every line). */
const char *cli_log_needle(const char *id);

#endif
