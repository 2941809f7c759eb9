#include "decide/decision.h"

#include "base/error.h"

#include <stdlib.h>
#include <string.h>

const char *const cev_title_decision_names[] = {"awarded", "partial", "not_awarded", NULL};
const char *const cev_block_decision_names[] = {"validated", "not_validated", "absent",
                                                "not_presented", NULL};
const char *const cev_source_names[] = {"evaluated", "capitalised", "equivalence", NULL};

int cev_decision_name_index(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

cev_code cev_decision_init(cev_decision *d, const cev_package *pkg)
{
    memset(d, 0, sizeof *d);
    d->pkg = pkg;
    cev_buf_init(&d->text);
    d->blocks = calloc(pkg->nblocks ? pkg->nblocks : 1, sizeof *d->blocks);
    d->comp_store = calloc(pkg->nall_comps ? pkg->nall_comps : 1, sizeof *d->comp_store);
    if (!d->blocks || !d->comp_store) {
        cev_decision_close(d);
        return CEV_ENOMEM;
    }
    size_t off = 0;
    for (size_t i = 0; i < pkg->nblocks; i++) {
        d->blocks[i].comps = d->comp_store + off;
        off += pkg->blocks[i].ncomps;
    }
    return CEV_OK;
}

void cev_decision_reset(cev_decision *d)
{
    cev_buf_reset(&d->text);
    d->reasons = (cev_reasons){0, 0};
    for (size_t i = 0; i < d->pkg->nblocks; i++) {
        cev_comp_decision *c = d->blocks[i].comps;
        memset(&d->blocks[i], 0, sizeof d->blocks[i]);
        d->blocks[i].comps = c;
    }
    memset(d->comp_store, 0, d->pkg->nall_comps * sizeof *d->comp_store);
}

void cev_decision_close(cev_decision *d)
{
    free(d->blocks);
    free(d->comp_store);
    cev_buf_close(&d->text);
    memset(d, 0, sizeof *d);
}

cev_code cev_decision_add_reason(cev_decision *d, cev_reasons *r, const char *s, size_t len)
{
    if (r->count == 0)
        r->first = d->text.len;
    if (cev_buf_append(&d->text, s, len) != CEV_OK || cev_buf_putc(&d->text, '\0') != CEV_OK)
        return CEV_ENOMEM;
    r->count++;
    return CEV_OK;
}

const char *cev_decision_next_reason(const cev_decision *d, const cev_reasons *r,
                                     const char *prev)
{
    return prev ? prev + strlen(prev) + 1 : d->text.data + r->first;
}
