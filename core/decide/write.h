/*
 * write.h - step 4 of the pipeline: print a decision or an error record
 * (docs/formats.md), one line with its '\n', appended to a buffer.
 *
 * Field order is fixed and numbers use the shortest round-trip form
 * (json_write.h), so the same decision always prints the same bytes.
 */
#ifndef CEV_WRITER_H
#define CEV_WRITER_H

#include "base/buf.h"
#include "base/error.h"
#include "base/json_write.h"
#include "base/sha256.h"
#include "decide/decision.h"
#include "decide/record.h"
#include "package/package.h"
#include "plugin/result.h"

/* `cache` (may be NULL) speeds up number formatting; see json_write.h. */
cev_code cev_write_decision(cev_buf *out, const cev_record *rec, const cev_package *pkg,
                       const cev_result *results, const cev_decision *d,
                       const char input_sha256[CEV_SHA256_HEX], cev_numcache *cache);

/* `candidate` may be NULL (printed as null). */
cev_code cev_write_error(cev_buf *out, const char *candidate, long line, const cev_error *err);

#endif
