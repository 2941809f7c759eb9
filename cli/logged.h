/*
 * logged.h - feeding logged audit entries to the workers (replay, diff):
 * each entry becomes a job that carries its logged record, and the entries
 * of one file of one run share a session tag, as eval's lines did.
 */
#ifndef CEV_CLI_LOGGED_H
#define CEV_CLI_LOGGED_H

#include "audit.h"
#include "parallel.h"

typedef struct cli_sessions {
    long tag;       /* of the current (run, source) */
    long run;
    cev_buf source;
} cli_sessions;

void cli_sessions_init(cli_sessions *s);
void cli_sessions_close(cli_sessions *s);
/* Fills `job` (from cev_par_next()) with entry e, decided by `engine`. */
int cli_job_from_entry(cev_job *job, const cev_entry *e, int engine, cli_sessions *s);

#endif
