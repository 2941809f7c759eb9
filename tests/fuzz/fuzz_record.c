/*
 * fuzz_record.c - libFuzzer: one input = one session line, decided by the
 * engine with the shipped rules and plugins (parse, schema, package choice,
 * every plugin, the Lua rules, the writer), as `certeval eval` does.
 *
 * libFuzzer's interface has no context pointer, so the engine and the worker
 * live in statics here: harness state, not product state.
 */
#include "decide/pipeline.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static cev_engine engine;
static cev_worker worker;
static cev_buf out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cev_error err;
    if (cev_engine_open(&engine, CEV_FUZZ_PLUGINS_DIR, CEV_FUZZ_RULES_DIR, 1, &err) != CEV_OK ||
        cev_worker_init(&worker, &engine) != CEV_OK)
        abort();
    cev_buf_init(&out);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cev_error err;
    cev_buf_reset(&out);
    int rc = cev_worker_eval(&worker, (const char *)data, size, 1, &out, &err);
    if (rc == CEV_ENOMEM || out.len == 0 || out.data[out.len - 1] != '\n')
        abort(); /* every line must give exactly one record */
    return 0;
}
