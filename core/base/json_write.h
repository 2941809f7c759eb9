/*
 * json_write.h - a streaming JSON writer with a fixed, reproducible style.
 *
 * Output is compact (no spaces, no newline), keys appear in the order the
 * caller writes them, numbers use the shortest form that reads back to the
 * same double ("%.15g", then 16, then 17 digits), -0 prints as 0, and a
 * non-finite number prints as null.  Commas are inserted by the writer.
 *
 * Errors are sticky: after an allocation failure every call is a no-op and
 * cev_jw_status() returns CEV_ENOMEM, so callers check once at the end.
 */
#ifndef CEV_JSON_WRITE_H
#define CEV_JSON_WRITE_H

#include "base/buf.h"

#include <stddef.h>

#define CEV_NUMCACHE_BITS 12
#define CEV_NUMCACHE_SIZE (1u << CEV_NUMCACHE_BITS)

/* Formatted numbers by their bits: the shortest round-trip form costs up to
 * three snprintf/strtod pairs, and scores take few distinct values.
 * Direct-mapped by a hash of the bits, sized by measure (docs/performance.md).
 * Owned by whoever decides records (one per worker); zero-initialise it. */
typedef struct cev_numcache {
    unsigned long long bits[CEV_NUMCACHE_SIZE];
    char text[CEV_NUMCACHE_SIZE][26];
} cev_numcache;

/* The writer (cev_jw) is public: certeval/certeval.h. */
void cev_jw_set_cache(cev_jw *w, cev_numcache *cache);

/* Formats `v` as the writer does into buf (at least 32 bytes). */
void cev_format_number(double v, char *buf, size_t size);

#endif
