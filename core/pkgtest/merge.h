/*
 * merge.h - a JSON merge patch (RFC 7396), for the test cases of a package
 * that start from a base record and state only what differs.
 *
 * The rule, recursively: when the patch is an object, each of its members
 * is applied to the target (made an object first if it is not one): a
 * member whose value is null deletes the target's member of that key; any
 * other value is merged over the target's member of that key (added at the
 * end when the target has none).  A patch that is not an object (a string,
 * a number, an array...) replaces the target whole: arrays are never merged
 * element by element.  Members keep their place in the target; new ones
 * follow in the patch's order, so the result is the same on every run.
 */
#ifndef CEV_MERGE_H
#define CEV_MERGE_H

#include "base/error.h"

#include <cjson/cJSON.h>

/* Applies `patch` to *target (the caller's, replaced in place when the
 * patch is not an object or the target not an object).  CEV_OK, or
 * CEV_ENOMEM: *target is then still the caller's to delete, in a state
 * between the two. */
cev_code cev_merge_patch(cJSON **target, const cJSON *patch);

#endif
