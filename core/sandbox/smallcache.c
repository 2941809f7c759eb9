#include "sandbox/smallcache.h"

#include <stdlib.h>
#include <string.h>

void cev_smallcache_init(cev_smallcache *c, size_t cap)
{
    memset(c, 0, sizeof *c);
    c->cap = cap;
}

void cev_smallcache_close(cev_smallcache *c)
{
    for (size_t k = 0; k < CEV_SMALL_CLASSES; k++) {
        while (c->lists[k]) {
            void *next;
            memcpy(&next, c->lists[k], sizeof next);
            free(c->lists[k]);
            c->lists[k] = next;
        }
    }
    c->cached = 0;
}

void *cev_smallcache_alloc_slow(size_t size)
{
    if (size - 1 < CEV_SMALL_MAX) /* a block of the whole class */
        return malloc((cev_smallcache_class(size) + 1) * CEV_SMALL_STEP);
    return malloc(size);
}

void *cev_smallcache_realloc(cev_smallcache *c, void *ptr, size_t osize, size_t nsize)
{
    if (ptr == NULL)
        return nsize == 0 ? NULL : cev_smallcache_alloc(c, nsize);
    if (nsize == 0) {
        cev_smallcache_free(c, ptr, osize);
        return NULL;
    }
    int small_old = osize <= CEV_SMALL_MAX, small_new = nsize <= CEV_SMALL_MAX;
    if (!small_old && !small_new)
        return realloc(ptr, nsize);
    if (small_old && small_new && cev_smallcache_class(osize) == cev_smallcache_class(nsize))
        return ptr;
    void *p = cev_smallcache_alloc(c, nsize);
    if (p == NULL)
        return NULL;
    memcpy(p, ptr, osize < nsize ? osize : nsize);
    cev_smallcache_free(c, ptr, osize);
    return p;
}
