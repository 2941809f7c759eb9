#include "smallcache.h"

#include <stdlib.h>
#include <string.h>

/* Class of a size in 1..CEV_SMALL_MAX: blocks of (class + 1) * STEP bytes. */
static size_t class_of(size_t size)
{
    return (size - 1) / CEV_SMALL_STEP;
}

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

static void *small_alloc(cev_smallcache *c, size_t size)
{
    size_t k = class_of(size);
    void *p = c->lists[k];
    if (p == NULL)
        return malloc((k + 1) * CEV_SMALL_STEP);
    memcpy(&c->lists[k], p, sizeof p);
    c->cached -= (k + 1) * CEV_SMALL_STEP;
    return p;
}

static void small_free(cev_smallcache *c, void *p, size_t size)
{
    size_t k = class_of(size), bytes = (k + 1) * CEV_SMALL_STEP;
    if (c->cached + bytes > c->cap) {
        free(p);
        return;
    }
    memcpy(p, &c->lists[k], sizeof p);
    c->lists[k] = p;
    c->cached += bytes;
}

void *cev_smallcache_realloc(cev_smallcache *c, void *ptr, size_t osize, size_t nsize)
{
    int small_old = ptr != NULL && osize <= CEV_SMALL_MAX;
    int small_new = nsize > 0 && nsize <= CEV_SMALL_MAX;
    if (ptr == NULL)
        osize = 0;
    if (nsize == 0) {
        if (small_old)
            small_free(c, ptr, osize);
        else
            free(ptr);
        return NULL;
    }
    if (!small_old && !small_new)
        return realloc(ptr, nsize);
    if (small_old && small_new && class_of(osize) == class_of(nsize))
        return ptr;
    void *p = small_new ? small_alloc(c, nsize) : malloc(nsize);
    if (p == NULL)
        return NULL;
    if (ptr) {
        memcpy(p, ptr, osize < nsize ? osize : nsize);
        if (small_old)
            small_free(c, ptr, osize);
        else
            free(ptr);
    }
    return p;
}
