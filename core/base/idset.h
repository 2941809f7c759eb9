/*
 * idset.h - candidate ids, each with the line it was first seen at, in
 * little memory.  cev_idstore (idstore.h) keeps the newest ids of a session
 * file here and writes the older ones to sorted runs on disk.
 *
 * Layout: the ids are copied, each after its line number, into chunks of
 * CEV_IDSET_CHUNK bytes that never move (an id too long for one gets a
 * chunk of its own); an open-addressing table of 32-bit references
 * (chunk << 12 | offset) finds them, at most half full.  About 30 bytes per
 * id of 8 characters, against 85 for a search tree of malloc'd nodes.  Ids
 * are compared exactly, byte for byte.
 *
 * Limit: 2^20 chunks (4 GiB of ids, some 200 million ids of 8 characters)
 * per set; CEV_ENOMEM beyond.
 *
 * Caller-owned struct, one thread: cev_idset_init() / cev_idset_close().
 */
#ifndef CEV_IDSET_H
#define CEV_IDSET_H

#include <stddef.h>
#include <stdint.h>

#define CEV_IDSET_CHUNK 4096u

typedef struct cev_idset {
    uint32_t *slots; /* 0: empty; else the reference + 1 */
    size_t nslots;   /* a power of two, or 0 */
    size_t count;
    char **chunks;
    size_t nchunks, chunks_cap;
    size_t used; /* bytes used in the last chunk */
} cev_idset;

void cev_idset_init(cev_idset *s);
void cev_idset_close(cev_idset *s);

/* Looks `id` up: when present, *first is the line it was added with and 1
 * is returned; otherwise it is added with `line` and 0 is returned.
 * CEV_ENOMEM when it cannot be added. */
int cev_idset_add(cev_idset *s, const char *id, long line, long *first);

/* Walks the ids, in no particular order: *pos starts at 0; each call sets
 * *id (owned by the set, valid until it changes) and *line and returns 1,
 * then 0 once every id was given. */
int cev_idset_next(const cev_idset *s, size_t *pos, const char **id, long *line);

/* FNV-1a, 64 bits, of `len` bytes. */
uint64_t cev_idset_hash(const char *id, size_t len);

#endif
