#include "pkgtest/merge.h"

/* Applies the members of the object `patch` to the object `target`. */
static int merge_into(cJSON *target, const cJSON *patch)
{
    for (const cJSON *m = patch->child; m; m = m->next) {
        cJSON *old = cJSON_GetObjectItemCaseSensitive(target, m->string);
        if (cJSON_IsNull(m)) {
            if (old)
                cJSON_Delete(cJSON_DetachItemViaPointer(target, old));
            continue;
        }
        if (cJSON_IsObject(m) && cJSON_IsObject(old)) {
            if (merge_into(old, m) != CEV_OK)
                return CEV_ENOMEM;
            continue;
        }
        /* an object patch over a non-object is merged over {}: its nulls
         * delete nothing and are not copied */
        cJSON *v = cJSON_IsObject(m) ? cJSON_CreateObject() : cJSON_Duplicate(m, 1);
        if (v == NULL || (cJSON_IsObject(m) && merge_into(v, m) != CEV_OK)) {
            cJSON_Delete(v);
            return CEV_ENOMEM;
        }
        cJSON_bool placed = old ? cJSON_ReplaceItemInObjectCaseSensitive(target, m->string, v)
                                : cJSON_AddItemToObject(target, m->string, v);
        if (!placed) {
            cJSON_Delete(v);
            return CEV_ENOMEM;
        }
    }
    return CEV_OK;
}

cev_code cev_merge_patch(cJSON **target, const cJSON *patch)
{
    if (!cJSON_IsObject(patch) || !cJSON_IsObject(*target)) {
        cJSON *v = cJSON_IsObject(patch) ? cJSON_CreateObject() : cJSON_Duplicate(patch, 1);
        if (v == NULL)
            return CEV_ENOMEM;
        cJSON_Delete(*target);
        *target = v;
    }
    return cJSON_IsObject(patch) ? merge_into(*target, patch) : CEV_OK;
}
