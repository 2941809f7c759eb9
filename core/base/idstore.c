#include "base/idstore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOOM_BITS_PER_ID 10u /* with 7 probes: about 1% of false hits */
#define BLOOM_PROBES 7u
#define HEADER 20u /* hash 8, line 8, length 4 */
#define RUN_NAME "/certeval-ids-XXXXXX"

/* An entry of a run, or of the set being spilled. */
typedef struct entry {
    uint64_t hash;
    long line;
    const char *id;
    size_t len;
} entry;

void cev_idstore_init(cev_idstore *s)
{
    memset(s, 0, sizeof *s);
    s->spill_at = CEV_IDSTORE_SPILL;
    s->hash = cev_idset_hash;
    cev_idset_init(&s->mem);
}

static void run_close(cev_idrun *r)
{
    if (r->file != NULL)
        fclose(r->file);
    free(r->bloom);
    free(r->first_hash);
    free(r->offset);
    memset(r, 0, sizeof *r);
}

void cev_idstore_close(cev_idstore *s)
{
    cev_idset_close(&s->mem);
    for (size_t i = 0; i < s->nruns; i++)
        run_close(&s->runs[i]);
    free(s->runs);
    free(s->scratch);
    cev_idstore_init(s);
}

size_t cev_idstore_count(const cev_idstore *s)
{
    size_t n = s->mem.count;
    for (size_t i = 0; i < s->nruns; i++)
        n += s->runs[i].count;
    return n;
}

static int entry_cmp(const entry *a, const entry *b)
{
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    int c = memcmp(a->id, b->id, a->len < b->len ? a->len : b->len);
    if (c != 0)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

static int entry_qsort_cmp(const void *a, const void *b)
{
    return entry_cmp(a, b);
}

/* ---- Bloom filter: probes a + i*b (mod bits), from a mixed hash, so that
 * a weak or degenerate ordering hash still spreads. */

static uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

/* Tests the bits of `h`; sets them too when `set`. */
static int bloom_probe(const cev_idrun *r, uint64_t h, int set)
{
    uint64_t a = mix(h), b = mix(a ^ 0x9e3779b97f4a7c15u) | 1;
    for (unsigned i = 0; i < BLOOM_PROBES; i++) {
        uint64_t bit = (a + i * b) % r->bloom_bits;
        uint64_t m = (uint64_t)1 << (bit & 63);
        if (set)
            r->bloom[bit >> 6] |= m;
        else if ((r->bloom[bit >> 6] & m) == 0)
            return 0;
    }
    return 1;
}

/* ---- Writing a run */

static FILE *temp_file(const cev_idstore *s)
{
    const char *dir = s->dir;
    if (dir == NULL) {
        dir = getenv("TMPDIR");
        if (dir == NULL || dir[0] == '\0')
            dir = "/tmp";
    }
    size_t n = strlen(dir) + sizeof RUN_NAME;
    char *path = malloc(n);
    if (path == NULL)
        return NULL;
    snprintf(path, n, "%s" RUN_NAME, dir);
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    free(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w+b");
    if (f == NULL)
        close(fd);
    return f;
}

/* A run of `count` ids at `level`, open for run_put(). */
static cev_code run_open(const cev_idstore *s, cev_idrun *r, size_t count, unsigned level)
{
    memset(r, 0, sizeof *r);
    r->level = level;
    r->bloom_bits = (uint64_t)count * BLOOM_BITS_PER_ID;
    if (r->bloom_bits < 64)
        r->bloom_bits = 64;
    r->nblocks = (count + CEV_IDRUN_BLOCK - 1) / CEV_IDRUN_BLOCK;
    r->bloom = calloc((size_t)((r->bloom_bits + 63) / 64), sizeof *r->bloom);
    r->first_hash = malloc(r->nblocks * sizeof *r->first_hash);
    r->offset = malloc(r->nblocks * sizeof *r->offset);
    if (r->bloom == NULL || r->first_hash == NULL || r->offset == NULL)
        return CEV_EIO;
    r->file = temp_file(s);
    return r->file != NULL ? 0 : -1;
}

static void end_block(cev_idrun *r, size_t block)
{
    size_t len = (size_t)(r->size - r->offset[block]);
    if (len > r->max_block)
        r->max_block = len;
}

/* Appends the entry `e`; entries come in order. */
static cev_code run_put(cev_idrun *r, const entry *e)
{
    if (e->len > UINT32_MAX)
        return CEV_EIO;
    size_t block = r->count / CEV_IDRUN_BLOCK;
    if (r->count % CEV_IDRUN_BLOCK == 0) {
        if (block > 0)
            end_block(r, block - 1);
        r->first_hash[block] = e->hash;
        r->offset[block] = r->size;
    }
    unsigned char h[HEADER];
    int64_t line = e->line;
    uint32_t len = (uint32_t)e->len;
    memcpy(h, &e->hash, 8);
    memcpy(h + 8, &line, 8);
    memcpy(h + 16, &len, 4);
    if (fwrite(h, 1, HEADER, r->file) != HEADER || fwrite(e->id, 1, e->len, r->file) != e->len)
        return CEV_EIO;
    bloom_probe(r, e->hash, 1);
    r->size += HEADER + e->len;
    r->count++;
    return CEV_OK;
}

static int run_finish(cev_idrun *r)
{
    if (r->count > 0)
        end_block(r, r->nblocks - 1);
    return fflush(r->file) == 0 && !ferror(r->file) ? 0 : -1;
}

/* ---- Reading a run back in order, for a merge */

typedef struct reader {
    const cev_idrun *run;
    uint64_t pos;
    entry cur;
    char *buf;
    size_t cap;
} reader;

/* The next entry into rd->cur: 1, or 0 at the end, -1 on error. */
static int reader_next(reader *rd)
{
    if (rd->pos >= rd->run->size)
        return 0;
    unsigned char h[HEADER];
    int64_t line;
    uint32_t len;
    if (fread(h, 1, HEADER, rd->run->file) != HEADER)
        return -1;
    memcpy(&rd->cur.hash, h, 8);
    memcpy(&line, h + 8, 8);
    memcpy(&len, h + 16, 4);
    if (len > rd->cap || rd->buf == NULL) {
        char *b = realloc(rd->buf, (size_t)len + 1);
        if (b == NULL)
            return -1;
        rd->buf = b;
        rd->cap = len;
    }
    if (fread(rd->buf, 1, len, rd->run->file) != len)
        return -1;
    rd->cur.line = (long)line;
    rd->cur.id = rd->buf;
    rd->cur.len = len;
    rd->pos += HEADER + len;
    return 1;
}

static int reader_start(reader *rd, const cev_idrun *r)
{
    memset(rd, 0, sizeof *rd);
    rd->run = r;
    return fseek(r->file, 0, SEEK_SET) == 0 ? reader_next(rd) : -1;
}

/* Merges the two newest runs, of the same level, into one of the next. */
static cev_code merge_last(cev_idstore *s)
{
    cev_idrun *a = &s->runs[s->nruns - 2], *b = &s->runs[s->nruns - 1], m;
    reader ra, rb;
    int rc = -1, ha = -1, hb = -1;
    if (run_open(s, &m, a->count + b->count, a->level + 1) != 0)
        goto out_open;
    ha = reader_start(&ra, a);
    hb = reader_start(&rb, b);
    while ((ha == 1 || hb == 1) && ha >= 0 && hb >= 0) {
        reader *next = hb != 1 || (ha == 1 && entry_cmp(&ra.cur, &rb.cur) < 0) ? &ra : &rb;
        if (run_put(&m, &next->cur) != 0)
            goto out;
        int h = reader_next(next);
        *(next == &ra ? &ha : &hb) = h;
    }
    if (ha == 0 && hb == 0 && run_finish(&m) == 0)
        rc = 0;
out:
    free(ra.buf);
    free(rb.buf);
out_open:
    if (rc != 0) {
        run_close(&m);
        return CEV_EIO;
    }
    run_close(a);
    run_close(b);
    *a = m;
    s->nruns--;
    return CEV_OK;
}

/* Writes the ids in memory to a new run, then merges runs of equal level.
 * On failure the ids stay where they were and no spill is tried again. */
static void spill(cev_idstore *s)
{
    size_t n = s->mem.count, pos = 0;
    entry *e = malloc(n * sizeof *e);
    if (e == NULL)
        goto fail;
    if (s->nruns == s->runs_cap) {
        size_t cap = s->runs_cap ? s->runs_cap * 2 : 8;
        cev_idrun *runs = realloc(s->runs, cap * sizeof *runs);
        if (runs == NULL)
            goto fail;
        s->runs = runs;
        s->runs_cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        cev_idset_next(&s->mem, &pos, &e[i].id, &e[i].line);
        e[i].len = strlen(e[i].id);
        e[i].hash = s->hash(e[i].id, e[i].len);
    }
    qsort(e, n, sizeof *e, entry_qsort_cmp);
    cev_idrun r;
    int ok = run_open(s, &r, n, 0) == 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = run_put(&r, &e[i]) == 0;
    if (!ok || run_finish(&r) != 0) {
        run_close(&r);
        goto fail;
    }
    free(e);
    s->runs[s->nruns++] = r;
    cev_idset_close(&s->mem);
    cev_idset_init(&s->mem);
    while (s->nruns >= 2 && s->runs[s->nruns - 1].level == s->runs[s->nruns - 2].level)
        if (merge_last(s) != 0) {
            s->stay_in_memory = 1;
            return;
        }
    return;
fail:
    free(e);
    s->stay_in_memory = 1;
}

/* ---- Looking an id up in a run */

static int read_at(cev_idstore *s, const cev_idrun *r, uint64_t at, size_t len, cev_error *err)
{
    if (len > s->scratch_cap) {
        char *b = realloc(s->scratch, len);
        if (b == NULL)
            return cev_error_set(err, CEV_ENOMEM, "candidate", "candidate ids: out of memory");
        s->scratch = b;
        s->scratch_cap = len;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = pread(fileno(r->file), s->scratch + done, len - done, (off_t)(at + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return cev_error_set(err, CEV_EIO, "candidate",
                                 "candidate ids: cannot read back a temporary file: %s",
                                 n < 0 ? strerror(errno) : "it was truncated");
        done += (size_t)n;
    }
    return CEV_OK;
}

/* 1 and *first when `want` is in the run, 0 when not, or an error. */
static int run_find(cev_idstore *s, const cev_idrun *r, const entry *want, long *first,
                    cev_error *err)
{
    if (r->count == 0 || !bloom_probe(r, want->hash, 0))
        return 0;
    /* Entries of hash h may end the block before the first whose first
     * hash is h: start at the last block whose first hash is below it. */
    size_t lo = 0, hi = r->nblocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->first_hash[mid] < want->hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t b = lo > 0 ? lo - 1 : 0; b < r->nblocks; b++) {
        uint64_t end = b + 1 < r->nblocks ? r->offset[b + 1] : r->size;
        size_t len = (size_t)(end - r->offset[b]);
        int rc = read_at(s, r, r->offset[b], len, err);
        if (rc != CEV_OK)
            return rc;
        for (size_t p = 0; p < len;) {
            entry e;
            int64_t line;
            uint32_t n;
            if (len - p < HEADER)
                return cev_error_set(err, CEV_EIO, "candidate",
                                     "candidate ids: a temporary file is corrupt");
            memcpy(&e.hash, s->scratch + p, 8);
            memcpy(&line, s->scratch + p + 8, 8);
            memcpy(&n, s->scratch + p + 16, 4);
            if (len - p - HEADER < n)
                return cev_error_set(err, CEV_EIO, "candidate",
                                     "candidate ids: a temporary file is corrupt");
            e.id = s->scratch + p + HEADER;
            e.len = n;
            int c = entry_cmp(&e, want);
            if (c == 0) {
                *first = (long)line;
                return 1;
            }
            if (c > 0)
                return 0;
            p += HEADER + n;
        }
    }
    return 0;
}

int cev_idstore_add(cev_idstore *s, const char *id, long line, long *first, cev_error *err)
{
    entry want = {0, line, id, strlen(id)};
    if (s->nruns > 0)
        want.hash = s->hash(id, want.len);
    for (size_t i = s->nruns; i-- > 0;) {
        int rc = run_find(s, &s->runs[i], &want, first, err);
        if (rc != 0)
            return rc;
    }
    int rc = cev_idset_add(&s->mem, id, line, first);
    if (rc < 0)
        return cev_error_set(err, CEV_ENOMEM, "candidate", "candidate ids: out of memory");
    if (rc == 0 && !s->stay_in_memory && s->spill_at > 0 && s->mem.count >= s->spill_at)
        spill(s);
    return rc;
}
