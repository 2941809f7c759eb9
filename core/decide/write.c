#include "decide/write.h"

#include "base/json.h"
#include "base/json_write.h"
#include "base/utf8.h"
#include "certeval/version.h"

#include <string.h>

static void write_reasons(cev_jw *w, const cev_decision *d, const cev_reasons *r)
{
    cev_jw_key_lit(w, "reasons");
    cev_jw_array(w);
    const char *s = NULL;
    for (size_t i = 0; i < r->count; i++)
        cev_jw_string(w, s = cev_decision_next_reason(d, r, s));
    cev_jw_end_array(w);
}

static void write_strs(cev_jw *w, const cev_buf *b)
{
    cev_jw_array(w);
    for (const char *s = cev_result_next_str(b, NULL); s; s = cev_result_next_str(b, s))
        cev_jw_string(w, s);
    cev_jw_end_array(w);
}

static void write_assessment(cev_jw *w, const cev_assessment *a, const cev_result *r)
{
    cev_jw_object(w);
    cev_jw_key_lit(w, "id");
    cev_jw_string(w, a->id);
    cev_jw_key_lit(w, "modality");
    cev_jw_string(w, a->modality);
    cev_jw_key_lit(w, "status");
    cev_jw_string(w, cev_result_status_name(r->status));
    cev_jw_key_lit(w, "flags");
    write_strs(w, &r->flags);
    const cev_competency *comps = r->scope->comps;
    const size_t n = r->scope->ncomps;
    cev_jw_key_lit(w, "scores");
    cev_jw_object(w);
    for (size_t i = 0; i < n; i++) {
        if (r->scored[i]) {
            cev_jw_key(w, comps[i].code);
            cev_jw_number(w, r->score[i]);
        }
    }
    cev_jw_end_object(w);
    cev_jw_key_lit(w, "eliminated");
    cev_jw_array(w);
    for (size_t i = 0; i < n; i++)
        if (r->elim[i])
            cev_jw_string(w, comps[i].code);
    cev_jw_end_array(w);
    cev_jw_end_object(w);
}

static void write_block(cev_jw *w, const cev_package *pkg, size_t b, const cev_result *results,
                        const cev_decision *d)
{
    const cev_block *blk = &pkg->blocks[b];
    const cev_block_decision *bd = &d->blocks[b];
    cev_jw_object(w);
    cev_jw_key_lit(w, "code");
    cev_jw_string(w, blk->code);
    cev_jw_key_lit(w, "decision");
    cev_jw_string(w, cev_block_decision_names[bd->decision]);
    cev_jw_key_lit(w, "proposed");
    cev_jw_string(w, cev_block_decision_names[bd->proposed]);
    cev_jw_key_lit(w, "overridden");
    cev_jw_bool(w, bd->overridden);
    cev_jw_key_lit(w, "source");
    cev_jw_string(w, cev_source_names[bd->source]);
    /* until when a validated block (any source) stays usable to complete
     * the title: the version's end plus its completion grace */
    cev_jw_key_lit(w, "usable_until");
    if (bd->decision == CEV_BLOCK_VALIDATED && pkg->usable_until[0])
        cev_jw_string(w, pkg->usable_until);
    else
        cev_jw_null(w);
    write_reasons(w, d, &bd->reasons);
    cev_jw_key_lit(w, "competencies");
    cev_jw_array(w);
    for (size_t c = 0; c < blk->ncomps; c++) {
        const cev_comp_decision *cd = &bd->comps[c];
        cev_jw_object(w);
        cev_jw_key_lit(w, "code");
        cev_jw_string(w, blk->comps[c].code);
        cev_jw_key_lit(w, "score");
        if (cd->has_score)
            cev_jw_number(w, cd->score);
        else
            cev_jw_null(w);
        cev_jw_key_lit(w, "acquired");
        cev_jw_bool(w, cd->acquired);
        write_reasons(w, d, &cd->reasons);
        cev_jw_end_object(w);
    }
    cev_jw_end_array(w);
    cev_jw_key_lit(w, "assessments");
    cev_jw_array(w);
    for (size_t k = blk->first; k < blk->first + blk->nassess; k++)
        if (results[k].given)
            write_assessment(w, &pkg->assess[k], &results[k]);
    cev_jw_end_array(w);
    cev_jw_end_object(w);
}

static void write_provenance(cev_jw *w, const cev_package *pkg, const char *input_sha256)
{
    cev_jw_key_lit(w, "provenance");
    cev_jw_object(w);
    cev_jw_key_lit(w, "engine");
    cev_jw_string(w, CEV_ENGINE_VERSION);
    cev_jw_key_lit(w, "package");
    cev_jw_object(w);
    cev_jw_key_lit(w, "path");
    cev_jw_string(w, pkg->name);
    cev_jw_key_lit(w, "sha256");
    cev_jw_string(w, pkg->sha256);
    cev_jw_end_object(w);
    cev_jw_key_lit(w, "input_sha256");
    cev_jw_string(w, input_sha256);
    cev_jw_key_lit(w, "plugins");
    cev_jw_array(w);
    for (size_t i = 0; i < pkg->nplugins; i++) {
        const cev_plugin_ref *p = pkg->plugins[i];
        cev_jw_object(w);
        cev_jw_key_lit(w, "name");
        cev_jw_string(w, p->name);
        cev_jw_key_lit(w, "version");
        cev_jw_string(w, p->version);
        cev_jw_key_lit(w, "abi");
        cev_jw_string(w, p->abi);
        cev_jw_key_lit(w, "sha256");
        cev_jw_string(w, p->sha256);
        cev_jw_end_object(w);
    }
    cev_jw_end_array(w);
    cev_jw_end_object(w);
}

cev_code cev_write_decision(cev_buf *out, const cev_record *rec, const cev_package *pkg,
                       const cev_result *results, const cev_decision *d,
                       const char input_sha256[CEV_SHA256_HEX], cev_numcache *cache)
{
    size_t mark = out->len;
    cev_jw w;
    cev_jw_init(&w, out);
    cev_jw_set_cache(&w, cache);
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "candidate");
    cev_jw_string(&w, rec->candidate);
    cev_jw_key_lit(&w, "title");
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "code");
    cev_jw_string(&w, pkg->code);
    cev_jw_key_lit(&w, "version");
    cev_jw_string(&w, pkg->version);
    if (pkg->draft) {
        cev_jw_key_lit(&w, "draft");
        cev_jw_bool(&w, 1);
    }
    cev_jw_end_object(&w);
    cev_jw_key_lit(&w, "session");
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "id");
    cev_jw_string(&w, rec->session_id);
    cev_jw_key_lit(&w, "date");
    cev_jw_string(&w, rec->session_date);
    cev_jw_end_object(&w);
    cev_jw_key_lit(&w, "decision");
    cev_jw_string(&w, cev_title_decision_names[d->title]);
    write_reasons(&w, d, &d->reasons);
    cev_jw_key_lit(&w, "blocks");
    cev_jw_array(&w);
    for (size_t b = 0; b < pkg->nblocks; b++)
        write_block(&w, pkg, b, results, d);
    cev_jw_end_array(&w);
    if (pkg->ntitle_assess) {
        cev_jw_key_lit(&w, "assessments");
        cev_jw_array(&w);
        for (size_t k = pkg->nassess - pkg->ntitle_assess; k < pkg->nassess; k++)
            if (results[k].given)
                write_assessment(&w, &pkg->assess[k], &results[k]);
        cev_jw_end_array(&w);
    }
    write_provenance(&w, pkg, input_sha256);
    cev_jw_end_object(&w);
    if (cev_jw_status(&w) != CEV_OK || cev_buf_putc(out, '\n') != CEV_OK) {
        cev_buf_truncate(out, mark);
        return CEV_ENOMEM;
    }
    return CEV_OK;
}

cev_code cev_write_error(cev_buf *out, const char *candidate, long line, const cev_error *err)
{
    size_t mark = out->len;
    cev_jw w;
    cev_jw_init(&w, out);
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "candidate");
    cev_jw_string(&w, candidate);
    cev_jw_key_lit(&w, "line");
    cev_jw_integer(&w, line);
    cev_jw_key_lit(&w, "error");
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "code");
    cev_jw_string(&w, cev_code_name(err->code));
    /* a message truncated to its buffer may end inside a UTF-8 sequence */
    cev_jw_key_lit(&w, "message");
    cev_jw_string_len(&w, err->message, cev_utf8_check(err->message, strlen(err->message)));
    cev_jw_key_lit(&w, "path");
    cev_jw_string_len(&w, err->path, cev_utf8_check(err->path, strlen(err->path)));
    cev_jw_end_object(&w);
    cev_jw_end_object(&w);
    if (cev_jw_status(&w) != CEV_OK || cev_buf_putc(out, '\n') != CEV_OK) {
        cev_buf_truncate(out, mark);
        return CEV_ENOMEM;
    }
    return CEV_OK;
}
