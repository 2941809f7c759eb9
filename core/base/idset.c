#include "base/idset.h"

#include "base/error.h"

#include <stdlib.h>
#include <string.h>

#define OFFSET_BITS 12 /* CEV_IDSET_CHUNK = 1 << OFFSET_BITS */
#define MAX_CHUNKS ((size_t)1 << (32 - OFFSET_BITS))
#define LINE_BYTES sizeof(long)

void cev_idset_init(cev_idset *s)
{
    memset(s, 0, sizeof *s);
}

void cev_idset_close(cev_idset *s)
{
    for (size_t i = 0; i < s->nchunks; i++)
        free(s->chunks[i]);
    free(s->chunks);
    free(s->slots);
    cev_idset_init(s);
}

uint64_t cev_idset_hash(const char *id, size_t len)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)id[i]) * 1099511628211u;
    return h;
}

/* The entry a reference names: the line, then the NUL-terminated id. */
static const char *entry(const cev_idset *s, uint32_t ref)
{
    return s->chunks[ref >> OFFSET_BITS] + (ref & (CEV_IDSET_CHUNK - 1));
}

/* The slot holding `id`, or the empty slot where it would go. */
static uint32_t *find(const cev_idset *s, const char *id, size_t len)
{
    size_t mask = s->nslots - 1, i = (size_t)cev_idset_hash(id, len) & mask;
    while (s->slots[i] != 0 && strcmp(entry(s, s->slots[i] - 1) + LINE_BYTES, id) != 0)
        i = (i + 1) & mask;
    return &s->slots[i];
}

/* Doubles the table (or makes the first), keeping it at most half full. */
static int grow_table(cev_idset *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 1024;
    uint32_t *slots = calloc(n, sizeof *slots), *old = s->slots;
    if (slots == NULL)
        return CEV_ENOMEM;
    size_t old_n = s->nslots;
    s->slots = slots;
    s->nslots = n;
    for (size_t i = 0; i < old_n; i++) {
        if (old[i] == 0)
            continue;
        const char *id = entry(s, old[i] - 1) + LINE_BYTES;
        *find(s, id, strlen(id)) = old[i];
    }
    free(old);
    return CEV_OK;
}

/* Room for `size` bytes: the reference of where they go.  An entry takes
 * at least LINE_BYTES + 1 bytes, so no offset reaches CEV_IDSET_CHUNK - 1
 * and a reference + 1 never wraps to 0. */
static int reserve(cev_idset *s, size_t size, uint32_t *ref)
{
    int fits = s->nchunks > 0 && s->used + size <= CEV_IDSET_CHUNK;
    if (!fits) {
        if (s->nchunks == MAX_CHUNKS)
            return CEV_ENOMEM;
        if (s->nchunks == s->chunks_cap) {
            size_t cap = s->chunks_cap ? s->chunks_cap * 2 : 16;
            char **chunks = realloc(s->chunks, cap * sizeof *chunks);
            if (chunks == NULL)
                return CEV_ENOMEM;
            s->chunks = chunks;
            s->chunks_cap = cap;
        }
        char *chunk = malloc(size > CEV_IDSET_CHUNK ? size : CEV_IDSET_CHUNK);
        if (chunk == NULL)
            return CEV_ENOMEM;
        s->chunks[s->nchunks++] = chunk;
        s->used = 0;
    }
    *ref = (uint32_t)((s->nchunks - 1) << OFFSET_BITS | s->used);
    s->used += size; /* past CEV_IDSET_CHUNK for an id of its own: the next one starts anew */
    return CEV_OK;
}

int cev_idset_add(cev_idset *s, const char *id, long line, long *first)
{
    if ((s->count + 1) * 2 > s->nslots && grow_table(s) != CEV_OK)
        return CEV_ENOMEM;
    size_t len = strlen(id);
    uint32_t *slot = find(s, id, len);
    if (*slot != 0) {
        memcpy(first, entry(s, *slot - 1), LINE_BYTES);
        return 1;
    }
    uint32_t ref;
    if (len > SIZE_MAX - LINE_BYTES - 1 || reserve(s, LINE_BYTES + len + 1, &ref) != CEV_OK)
        return CEV_ENOMEM;
    char *e = s->chunks[ref >> OFFSET_BITS] + (ref & (CEV_IDSET_CHUNK - 1));
    memcpy(e, &line, LINE_BYTES);
    memcpy(e + LINE_BYTES, id, len + 1);
    *slot = ref + 1;
    s->count++;
    return 0;
}

int cev_idset_next(const cev_idset *s, size_t *pos, const char **id, long *line)
{
    while (*pos < s->nslots) {
        uint32_t ref = s->slots[(*pos)++];
        if (ref == 0)
            continue;
        const char *e = entry(s, ref - 1);
        memcpy(line, e, LINE_BYTES);
        *id = e + LINE_BYTES;
        return 1;
    }
    return 0;
}
