/* Shared assertions of the plugin tests. */
#ifndef CEV_PLUGIN_TEST_H
#define CEV_PLUGIN_TEST_H

#include "harness.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

static inline void expect_evidence_error(ph *h, const char *evidence, const char *path,
                                         const char *message_part)
{
    assert_int_equal(ph_score(h, evidence), CEV_EEVIDENCE);
    assert_string_equal(ph_error_path(h), path);
    if (strstr(ph_error_message(h), message_part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", ph_error_message(h), message_part);
}

static inline void expect_config_error(const char *modality, const char *const *scope,
                                       const char *config, const char *path)
{
    ph h;
    ph_open_test(&h, modality, scope);
    assert_int_equal(ph_configure(&h, config), CEV_PLUGIN_EINPUT);
    assert_string_equal(ph_error_path(&h), path);
    assert_true(ph_error_message(&h)[0] != '\0');
    ph_close(&h);
}

#endif
