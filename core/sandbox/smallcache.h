/*
 * smallcache.h - free lists of small blocks, for one Lua state's allocator.
 *
 * Layer 0 of the sandbox (state.h lists the layers), under the allocator
 * of state.c.  Calls only the C library: it knows nothing of Lua.
 *
 * Every decision allocates and frees the same few sizes of Lua objects
 * (tables, short strings, closures).  A block of at most CEV_SMALL_MAX
 * bytes is allocated at the size of its class (a multiple of
 * CEV_SMALL_STEP) and, once freed, waits in its class's list for the next
 * allocation of that class instead of going back to malloc.
 *
 * Invariant: a live block of `size` <= CEV_SMALL_MAX bytes has the size of
 * its class; a larger one is a plain malloc block.  So the caller must give
 * back the size it asked for (Lua's allocator protocol does).
 *
 * Bounded: at most `cap` bytes wait in the lists; beyond that, freed blocks
 * go to free().  One thread at a time.  Caller-owned struct:
 * cev_smallcache_init() / cev_smallcache_close() (which frees the blocks
 * waiting in the lists, not the live ones).
 */
#ifndef CEV_SMALLCACHE_H
#define CEV_SMALLCACHE_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CEV_SMALL_STEP 16
#define CEV_SMALL_MAX 256
#define CEV_SMALL_CLASSES (CEV_SMALL_MAX / CEV_SMALL_STEP)

typedef struct cev_smallcache {
    void *lists[CEV_SMALL_CLASSES]; /* freed blocks, linked by their first word */
    size_t cached;                  /* bytes waiting in the lists */
    size_t cap;
} cev_smallcache;

void cev_smallcache_init(cev_smallcache *c, size_t cap);
void cev_smallcache_close(cev_smallcache *c);

/* realloc() for blocks of this cache: `ptr` NULL allocates, `nsize` 0 frees
 * (and returns NULL).  `osize` is the size `ptr` was asked for.  NULL when
 * out of memory, `ptr` then untouched. */
void *cev_smallcache_realloc(cev_smallcache *c, void *ptr, size_t osize, size_t nsize);

/* The class of a size in 1..CEV_SMALL_MAX: blocks of (class + 1) * STEP
 * bytes. */
static inline size_t cev_smallcache_class(size_t size)
{
    return (size - 1) / CEV_SMALL_STEP;
}

/* cev_smallcache_alloc() when the class's list is empty or `size` is not
 * small: malloc() (of the whole class for a small size). */
void *cev_smallcache_alloc_slow(size_t size);

/* The two calls of every Lua object's life, inline: a block of `size` > 0
 * bytes (NULL when out of memory), and the release of block `p` (may be
 * NULL) of the `size` it was asked for. */
static inline void *cev_smallcache_alloc(cev_smallcache *c, size_t size)
{
    if (size - 1 < CEV_SMALL_MAX) {
        size_t k = cev_smallcache_class(size);
        void *p = c->lists[k];
        if (p != NULL) {
            memcpy(&c->lists[k], p, sizeof p);
            c->cached -= (k + 1) * CEV_SMALL_STEP;
            return p;
        }
    }
    return cev_smallcache_alloc_slow(size);
}

static inline void cev_smallcache_free(cev_smallcache *c, void *p, size_t size)
{
    if (p != NULL && size - 1 < CEV_SMALL_MAX) {
        size_t k = cev_smallcache_class(size), bytes = (k + 1) * CEV_SMALL_STEP;
        if (c->cached + bytes <= c->cap) {
            memcpy(p, &c->lists[k], sizeof p);
            c->lists[k] = p;
            c->cached += bytes;
            return;
        }
    }
    free(p);
}

#endif
