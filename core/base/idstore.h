/*
 * idstore.h - the candidate ids of one session file, exact, in memory that
 * does not grow with the file: the last ids are kept in a cev_idset; every
 * `spill_at` ids that set is written, sorted, to a run in an unlinked
 * temporary file, and runs of the same size are merged (at most
 * log2(ids / spill_at) + 1 runs).  What stays in memory for a run is a
 * Bloom filter (10 bits per id) and the first hash of each block of
 * CEV_IDRUN_BLOCK entries: under 2 bytes per id, against some 27 in a
 * cev_idset.
 *
 * Exactness: the Bloom filter only spares disk reads; an id is reported
 * seen only after its bytes were compared with an entry read back from the
 * run, so two ids whose hashes collide stay distinct.
 *
 * When no temporary file can be made (`dir` not writable, disk full), the
 * ids stay in memory, as many as it holds: nothing is lost, only the memory
 * bound.  A run that cannot be read back is CEV_EIO.
 *
 * Run layout (native byte order; the file never outlives the process):
 * entries sorted by (hash, id bytes), each
 *     uint64 hash, int64 line, uint32 length, id bytes (no NUL).
 *
 * Caller-owned struct, one thread: cev_idstore_init() / cev_idstore_close().
 * The fields set by init may be changed before the first add.
 */
#ifndef CEV_IDSTORE_H
#define CEV_IDSTORE_H

#include "base/error.h"
#include "base/idset.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CEV_IDSTORE_SPILL 4096u /* ids in memory before a run is written */
#define CEV_IDRUN_BLOCK 64u     /* entries between two index points */

typedef uint64_t (*cev_id_hash_fn)(const char *id, size_t len);

/* One sorted run; every pointer owned by the store. */
typedef struct cev_idrun {
    FILE *file;
    uint64_t size; /* bytes */
    size_t count;  /* ids */
    unsigned level; /* holds spill_at << level ids, or fewer for the last */
    uint64_t *bloom;
    uint64_t bloom_bits;
    uint64_t *first_hash; /* of each block */
    uint64_t *offset;     /* of each block */
    size_t nblocks;
    size_t max_block; /* bytes of the longest block */
} cev_idrun;

typedef struct cev_idstore {
    /* set by init */
    size_t spill_at;     /* 0: never spill */
    const char *dir;     /* of the runs; NULL: $TMPDIR, else /tmp (not owned) */
    cev_id_hash_fn hash; /* orders the runs; cev_idset_hash */
    /* state */
    cev_idset mem;
    cev_idrun *runs; /* oldest, largest level first */
    size_t nruns, runs_cap;
    char *scratch; /* one block read back */
    size_t scratch_cap;
    int stay_in_memory; /* a run could not be written: spill no more */
} cev_idstore;

void cev_idstore_init(cev_idstore *s);
void cev_idstore_close(cev_idstore *s);

/* As cev_idset_add(): 1 and *first when `id` was seen, else 0 after adding
 * it with `line`.  CEV_ENOMEM or CEV_EIO, with `err` set, when it cannot
 * tell. */
int cev_idstore_add(cev_idstore *s, const char *id, long line, long *first, cev_error *err);

/* Ids held, in memory and in runs. */
size_t cev_idstore_count(const cev_idstore *s);

#endif
