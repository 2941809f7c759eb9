/*
 * harness.h - test helpers: run one real plugin on JSON text through the
 * same host code the engine uses (certeval/harness.h, sdk/harness.c), and
 * build throw-away package folders.
 */
#ifndef CEV_TEST_HARNESS_H
#define CEV_TEST_HARNESS_H

#include "base/error.h"
#include "decide/score.h"
#include "package/package.h"
#include "plugin/registry.h"
#include "plugin/result.h"

#include <cjson/cJSON.h>

/* The plugin harness is the installed one (certeval/harness.h, built here
 * with the engine); ph_open_test() opens the build tree's plugin folder and
 * fails the test when the plugin does not open. */
#include "certeval/harness.h"

/* |a - b| <= eps, printing both on failure (cmocka 1.1.5 has no doubles);
 * the public header defines it only when cmocka.h came first. */
#ifndef assert_double_equal
#define assert_double_equal(a, b, eps)                                                     \
    do {                                                                                   \
        double a_ = (a), b_ = (b);                                                         \
        if (!(a_ - b_ <= (eps) && b_ - a_ <= (eps)))                                        \
            fail_msg("%.17g != %.17g", a_, b_);                                            \
    } while (0)
#endif

#define ph_open_test(h, modality, scope)                                                   \
    assert_int_equal(ph_open((h), CEV_TEST_PLUGINS_DIR, (modality), (scope)), 0)

/* Writes `content` to dir/name (dir created); aborts the test on failure. */
void write_file(const char *dir, const char *name, const char *content);
/* A fresh empty folder under the build tree; returned string is static per call site
 * buffer owned by the caller (free). */
char *make_temp_dir(const char *tag);
void remove_tree(const char *dir);
/* The text of a file (free), or NULL. */
char *slurp(const char *path);

#endif
