/*
 * record.h - step 1 of the pipeline: read one candidate record (docs/formats.md).
 *
 * cev_record_parse() checks the record's own shape (E_JSON, E_SCHEMA);
 * cev_record_check() checks it against the chosen package (E_EVIDENCE for
 * evidence under an unknown assessment id, E_SCHEMA for a deliberation or an
 * acquired block the title does not know (unless the title replaces another
 * certification: the block may be one of it, which counts for nothing), for
 * a session.type the title does not have or a deadline of an assessment it
 * does not have, E_TITLE for a closed route).
 *
 * Caller-owned struct, reused from record to record: init once, parse per
 * line (the arrays keep their capacity), close at the end.  Every string
 * points into `root`, which the record owns.
 */
#ifndef CEV_RECORD_H
#define CEV_RECORD_H

#include "base/error.h"
#include "package/catalog.h"
#include "package/package.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting a record may have; documented in docs/architecture.md. */
#define CEV_RECORD_MAX_DEPTH 32

typedef struct cev_member {
    const char *id;
    const char *profile; /* "professional" or "trainer" */
    int trained_candidate;
} cev_member;

typedef struct cev_deliberation {
    const char *block;
    const char *decision; /* "validated" or "not_validated" */
    const char *motivation;
} cev_deliberation;

typedef struct cev_record {
    cJSON *root;
    const char *candidate; /* NULL while unknown */
    const char *title;
    const char *session_id;
    const char *session_date;
    int32_t day;
    const char *session_type; /* "titre" or "ccp"; NULL when not given */
    const cJSON *deadlines;   /* session.deadlines: id -> valid ISO date; NULL when not given */
    const char *route; /* NULL when not given */
    cev_member *jury;
    size_t njury, jury_cap;
    cev_held *acquired;
    size_t nacquired, acquired_cap;
    cev_deliberation *delib;
    size_t ndelib, delib_cap;
    const cJSON *evidence; /* an object, maybe empty */
} cev_record;

void cev_record_init(cev_record *r);
void cev_record_close(cev_record *r);

/* Parses one line.  On failure, r->candidate is set if it could be read. */
cev_code cev_record_parse(cev_record *r, const char *line, size_t len, cev_error *err);

cev_code cev_record_check(const cev_record *r, const cev_package *p, cev_error *err);

#endif
