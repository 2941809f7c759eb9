/*
 * expect.h - compares a decision (or error) record with a certifier's
 * expectation that may list only the fields a test case is about.
 *
 * Matching, recursively from the top:
 *   - an expected object matches when every member it lists matches the
 *     actual member of the same key (members it does not list are free);
 *   - an expected array whose elements are all objects with a "code" (or an
 *     "id") matches when each element matches the actual element with that
 *     code (or id), whatever their order and whatever other elements exist;
 *   - any other array must have the same length and match element by element;
 *   - numbers match within 1e-9; strings, booleans and null exactly, except
 *     the error record's message ("error" then "message" from the top): the
 *     expected string matches when it is a part of the actual message.
 * Each mismatch appends one line "path: expected X, got Y" to `diff`.
 */
#ifndef CEV_EXPECT_H
#define CEV_EXPECT_H

#include "base/buf.h"

#include <cjson/cJSON.h>

/* The number of mismatches (0 when the record meets the expectation), or a
 * negative code when out of memory. */
int cev_expect_match(const cJSON *expected, const cJSON *actual, cev_buf *diff);

/* Why an expectation is too vague to be a case, or NULL: one that expects
 * an error record must name the error's "path" or a part of its "message"
 * beside its code (a code alone passes for any error of that code). */
const char *cev_expect_vague(const cJSON *expected);

#endif
