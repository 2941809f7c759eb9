/*
 * fuzz_evidence.c - libFuzzer: one input = one evidence object, scored by
 * every assessment of every shipped package, so each core plugin's score()
 * path (situation, oral, dossier, field, quiz) sees it with real configs.
 */
#include "base/json.h"
#include "decide/score.h"
#include "package/catalog.h"
#include "plugin/registry.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static cev_registry reg;
static cev_catalog cat;
static cev_result res[256];
static size_t nres;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    cev_error err;
    if (cev_registry_open(&reg, CEV_FUZZ_PLUGINS_DIR, &err) != CEV_OK ||
        cev_catalog_open(&cat, CEV_FUZZ_RULES_DIR, &reg, &err) != CEV_OK)
        abort();
    for (size_t i = 0; i < cat.count; i++)
        for (size_t k = 0; k < cat.pkgs[i]->nassess && nres < 256; k++) {
            const cev_assessment *a = &cat.pkgs[i]->assess[k];
            if (cev_result_init(&res[nres++], a->scope) != CEV_OK)
                abort();
        }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *ev = NULL;
    cev_error err;
    if (cev_json_parse((const char *)data, size, 32, &ev, &err) != CEV_OK)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < cat.count; i++)
        for (size_t k = 0; k < cat.pkgs[i]->nassess && n < nres; k++)
            cev_score_assessment(&cat.pkgs[i]->assess[k], ev, NULL, &res[n++], &err);
    cJSON_Delete(ev);
    return 0;
}
