/* registry.c: discovery and the ABI checks of the host. */
#include "plugin/registry.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

static const cev_plugin_ref *by_file(const cev_registry *r, const char *file)
{
    for (size_t i = 0; i < r->count; i++)
        if (strstr(r->items[i].file, file))
            return &r->items[i];
    fail_msg("no %s in the registry", file);
    return NULL;
}

static void test_core_plugins_load(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    assert_int_equal(cev_registry_open(&r, CEV_TEST_PLUGINS_DIR, &err), CEV_OK);
    const char *names[] = {"situation", "oral", "dossier", "field", "quiz"};
    for (size_t i = 0; i < 5; i++) {
        const cev_plugin_ref *p = cev_registry_find(&r, names[i]);
        assert_non_null(p);
        assert_null(p->refused);
        /* each declares the oldest ABI whose services it uses: the
         * session's calendar (1.3) for dossier, 1.1 for the others */
        assert_string_equal(p->abi, strcmp(names[i], "dossier") == 0 ? "1.3" : "1.1");
        assert_int_equal(strlen(p->sha256), 64);
    }
    assert_null(cev_registry_find(&r, "portfolio"));
    cev_registry_close(&r);
}

static void test_bad_plugins_are_refused_with_reasons(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    assert_int_equal(cev_registry_open(&r, CEV_TEST_BAD_PLUGINS_DIR, &err), CEV_OK);
    const cev_plugin_ref *p = by_file(&r, "abi_major2.so");
    assert_non_null(p->refused);
    assert_non_null(strstr(p->refused, "plugin ABI 2.0, host ABI 1.3: major versions differ"));
    assert_null(cev_registry_find(&r, "major2"));
    assert_null(cev_registry_find_any(&r, "major2")); /* another major: nothing is trusted */
    p = by_file(&r, "abi_minor_newer.so");
    assert_non_null(strstr(p->refused, "plugin ABI 1.99 is newer than host ABI 1.3"));
    assert_string_equal(p->name, "newer");                    /* same major: name is kept */
    assert_ptr_equal(cev_registry_find_any(&r, "newer"), p); /* for load-time messages */
    p = by_file(&r, "no_entry.so");
    assert_non_null(strstr(p->refused, "no certeval_plugin_entry symbol"));
    /* the entry point's reason (ABI 1.2), the first one given */
    p = by_file(&r, "refuses_host.so");
    assert_string_equal(p->refused, "the entry point refused this host: needs a host with a GPU "
                                    "(host ABI 1.3)");
    assert_null(p->desc);
    assert_string_equal(p->name, "");
    /* an entry point of an older minor returns NULL with no reason */
    p = by_file(&r, "refuses_quietly.so");
    assert_string_equal(p->refused, "the entry point refused this host");
    p = by_file(&r, "not_a_plugin.so");
    assert_non_null(p->refused); /* dlopen's own message */
    assert_non_null(cev_registry_find(&r, "rogue"));
    /* built for an older minor (1.0): still loads */
    p = cev_registry_find(&r, "older");
    assert_non_null(p);
    assert_null(p->refused);
    assert_string_equal(p->abi, "1.0");
    /* built for 1.2, the minor before the session services: still loads */
    p = cev_registry_find(&r, "older2");
    assert_non_null(p);
    assert_null(p->refused);
    assert_string_equal(p->abi, "1.2");
    assert_true(p->desc->abi_minor < CEV_ABI_MINOR);
    cev_registry_close(&r);
}

static void test_duplicate_modality_is_an_error(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    assert_int_equal(cev_registry_open(&r, CEV_TEST_DUP_PLUGINS_DIR, &err), CEV_EABI);
    assert_non_null(strstr(err.message, "both provide modality \"rogue\""));
}

/* The session services (ABI 1.3) answer from the result they are given:
 * nothing outside a decision, the session's date and this assessment's
 * deadline once the caller set them. */
static void test_session_services(void **st)
{
    (void)st;
    const cev_host *h = cev_host_services();
    assert_true(CEV_HOST_HAS(h, session_date) && CEV_HOST_HAS(h, session_deadline));
    cev_competency k = {(char *)"K1", (char *)"K1"};
    cev_scope scope;
    cev_result res;
    assert_int_equal(cev_scope_init(&scope, &k, 1), CEV_OK);
    assert_int_equal(cev_result_init(&res, &scope), CEV_OK);
    int32_t day = 42;
    assert_int_equal(h->session_date(&res, &day), CEV_PLUGIN_EINPUT);
    assert_int_equal(h->session_deadline(&res, &day), CEV_PLUGIN_EINPUT);
    assert_int_equal(h->session_date(NULL, &day), CEV_PLUGIN_EINPUT);
    assert_int_equal(h->session_date(&res, NULL), CEV_PLUGIN_EINPUT);
    assert_int_equal(day, 42);
    res.has_session = 1;
    res.session_day = 19796;
    assert_int_equal(h->session_date(&res, &day), CEV_PLUGIN_OK);
    assert_int_equal(day, 19796);
    assert_int_equal(h->session_deadline(&res, &day), CEV_PLUGIN_EINPUT);
    res.has_deadline = 1;
    res.deadline_day = 19783;
    assert_int_equal(h->session_deadline(&res, &day), CEV_PLUGIN_OK);
    assert_int_equal(day, 19783);
    cev_result_reset(&res); /* a new record: no session until the caller sets one */
    assert_int_equal(h->session_date(&res, &day), CEV_PLUGIN_EINPUT);
    assert_int_equal(h->session_deadline(&res, &day), CEV_PLUGIN_EINPUT);
    cev_result_close(&res);
    cev_scope_close(&scope);
}

/* A plugin path: the first folder providing a modality wins, like PATH; the
 * later folders' plugins of it are shadowed, and a conflict there no longer
 * matters. */
static void test_first_folder_wins(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    assert_int_equal(cev_registry_open(&r, CEV_TEST_BAD_PLUGINS_DIR ":" CEV_TEST_DUP_PLUGINS_DIR
                                           ":" CEV_TEST_PLUGINS_DIR, &err), CEV_OK);
    const cev_plugin_ref *used = cev_registry_find(&r, "rogue");
    assert_non_null(used);
    assert_ptr_equal(used, by_file(&r, "plugins-bad/rogue.so"));
    assert_int_equal(used->folder, 0);
    assert_null(used->shadowed_by);
    assert_null(used->conflict);
    const cev_plugin_ref *a = by_file(&r, "rogue_a.so"), *b = by_file(&r, "rogue_b.so");
    assert_int_equal(a->folder, 1);
    assert_ptr_equal(a->shadowed_by, used->file);
    assert_ptr_equal(b->shadowed_by, used->file);
    assert_null(a->conflict);
    assert_non_null(a->desc); /* usable, only not used */
    assert_non_null(cev_registry_find(&r, "quiz")); /* the third folder's */
    assert_int_equal(cev_registry_find(&r, "quiz")->folder, 2);
    /* folders in the order given, each in file name order */
    for (size_t i = 1; i < r.count; i++)
        assert_true(r.items[i - 1].folder <= r.items[i].folder);
    cev_registry_close(&r);
}

/* The conflict of the winning folder stops a load, but a scan (the listing)
 * marks both plugins and goes on. */
static void test_conflict_in_winning_folder(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    const char *path = CEV_TEST_DUP_PLUGINS_DIR ":" CEV_TEST_BAD_PLUGINS_DIR;
    assert_int_equal(cev_registry_open(&r, path, &err), CEV_EABI);
    assert_non_null(strstr(err.message, "rogue_a.so and "));
    assert_non_null(strstr(err.message, "rogue_b.so both provide modality \"rogue\" in one folder"));
    assert_int_equal(cev_registry_scan(&r, path, &err), CEV_OK);
    const cev_plugin_ref *a = by_file(&r, "rogue_a.so"), *b = by_file(&r, "rogue_b.so");
    assert_ptr_equal(a->conflict, b->file);
    assert_ptr_equal(b->conflict, a->file);
    assert_null(a->shadowed_by);
    const cev_plugin_ref *later = by_file(&r, "plugins-bad/rogue.so");
    assert_ptr_equal(later->shadowed_by, a->file); /* the folder's first, by file name */
    cev_registry_close(&r);
}

/* Empty elements are skipped; a path of none is refused; every folder must
 * be readable. */
static void test_path_elements(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    assert_int_equal(cev_registry_open(&r, "::" CEV_TEST_PLUGINS_DIR ":", &err), CEV_OK);
    assert_non_null(cev_registry_find(&r, "oral"));
    cev_registry_close(&r);
    assert_int_equal(cev_registry_open(&r, ":", &err), CEV_EIO);
    assert_non_null(strstr(err.message, "names no folder"));
    assert_int_equal(cev_registry_open(&r, "", &err), CEV_EIO);
    assert_int_equal(cev_registry_open(&r, CEV_TEST_PLUGINS_DIR ":/nonexistent/second", &err),
                     CEV_EIO);
    assert_non_null(strstr(err.message, "plugin folder /nonexistent/second: "));
}

static void test_missing_folder(void **st)
{
    (void)st;
    cev_registry r;
    cev_error err;
    assert_int_equal(cev_registry_open(&r, "/nonexistent/plugins", &err), CEV_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/plugins"));
}

/* refuse() records the first reason, truncated, only through the table given
 * to an entry point; through the table of configure() and score() it records
 * nothing.  Both return NULL. */
static void test_refuse_outside_and_inside_the_entry_point(void **st)
{
    (void)st;
    const cev_host *h = cev_host_services();
    assert_true(CEV_HOST_HAS(h, refuse));
    assert_int_equal(h->abi_minor, 3);
    assert_null(h->refuse(h, "ignored %d", 1));
    cev_entry_host eh;
    cev_entry_host_init(&eh);
    assert_int_equal(eh.refused, 0);
    assert_ptr_equal(eh.host.alloc, h->alloc); /* the same services otherwise */
    assert_ptr_equal(eh.host.fail, h->fail);
    char longer[CEV_REFUSE_MAX + 50];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_null(eh.host.refuse(&eh.host, "%s", longer));
    assert_int_equal(eh.refused, 1);
    assert_int_equal(strlen(eh.why), CEV_REFUSE_MAX - 1);
    assert_null(eh.host.refuse(&eh.host, "second"));
    assert_int_equal(eh.why[0], 'x');
}

static void test_descriptor_checks(void **st)
{
    (void)st;
    char why[256];
    cev_plugin d = {CEV_PLUGIN_HEADER, .name = "x", .version = "1"};
    assert_int_equal(cev_plugin_check(&d, why, sizeof why), CEV_EABI); /* no functions */
    assert_non_null(strstr(why, "configure"));
    d.size = 8;
    assert_int_equal(cev_plugin_check(&d, why, sizeof why), CEV_EABI);
    assert_non_null(strstr(why, "descriptor of 8 bytes"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_plugins_load),
        cmocka_unit_test(test_bad_plugins_are_refused_with_reasons),
        cmocka_unit_test(test_duplicate_modality_is_an_error),
        cmocka_unit_test(test_first_folder_wins),
        cmocka_unit_test(test_conflict_in_winning_folder),
        cmocka_unit_test(test_path_elements),
        cmocka_unit_test(test_missing_folder),
        cmocka_unit_test(test_session_services),
        cmocka_unit_test(test_refuse_outside_and_inside_the_entry_point),
        cmocka_unit_test(test_descriptor_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
