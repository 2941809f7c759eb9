/* json_read.c and json_write.c: strict parsing, reproducible printing. */
#include "base/buf.h"
#include "base/json.h"
#include "base/json_write.h"
#include "base/utf8.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *text, size_t len, cev_error *err)
{
    cJSON *root = NULL;
    int rc = cev_json_parse(text, len, 8, &root, err);
    cJSON_Delete(root);
    return rc;
}

static void expect_refused(const char *text, size_t len, const char *part)
{
    cev_error err;
    assert_int_equal(parse(text, len, &err), CEV_EJSON);
    if (strstr(err.message, part) == NULL)
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, err.message, part);
}

static void test_accepts_plain_json(void **st)
{
    (void)st;
    cev_error err;
    const char *t = " {\"a\": [1, 2.5, \"é\", null, true], \"b\": {\"c\": -0}}\r\n";
    assert_int_equal(parse(t, strlen(t), &err), CEV_OK);
    /* multi-byte characters next to quotes and brackets, in keys and values */
    t = "{\"é\": \"ü[\", \"€\": [\"𝄞\"], \"x\": \"{{{{{{{{{é\"}";
    assert_int_equal(parse(t, strlen(t), &err), CEV_OK);
}

static void test_refuses_what_cjson_lets_through(void **st)
{
    (void)st;
    expect_refused("{\"a\": 1, \"a\": 2}", 16, "duplicate key \"a\"");
    expect_refused("{\"a\": 1, \"A\": 2, \"a\": 3}", 24, "duplicate key");
    expect_refused("{\"a\": 1}\0", 9, "NUL byte at byte offset 8");
    expect_refused("{\"a\": \"x\\u0000y\"}", 17, "\\u0000");
    expect_refused("{\"a\": \"\xff\"}", 10, "invalid UTF-8 at byte offset 7");
    expect_refused("{\"a\": \"\xc0\xaf\"}", 11, "invalid UTF-8"); /* overlong '/' */
    expect_refused("{\"a\": \"\xed\xa0\x80\"}", 12, "invalid UTF-8"); /* surrogate */
    expect_refused("{\"a\": \"\xe2\x82\"}", 11, "invalid UTF-8 at byte offset 7"); /* cut */
    /* the first defect of the line is the one reported */
    expect_refused("{\"a\": \"\xff\", \"b\": \"\0\"}", 20, "invalid UTF-8 at byte offset 7");
    expect_refused("{\"a\": \"\0\", \"b\": \"\xff\"}", 20, "NUL byte at byte offset 7");
    expect_refused("{\"a\": 1e999}", 12, "out of range");
    expect_refused("[[[[[[[[[1]]]]]]]]]", 19, "nesting deeper than 8");
    expect_refused("{\"a\": 1} x", 10, "after the JSON value at byte offset 9");
    expect_refused("{\"a\": }", 7, "invalid JSON at byte offset");
    expect_refused("", 0, "invalid JSON");
}

static void test_duplicates_in_large_objects(void **st)
{
    (void)st;
    cev_buf b;
    cev_buf_init(&b);
    cev_buf_puts(&b, "{");
    for (int i = 0; i < 500; i++)
        cev_buf_printf(&b, "\"k%d\": %d,", i, i);
    cev_buf_puts(&b, "\"k250\": 0}");
    cev_error err;
    assert_int_equal(parse(b.data, b.len, &err), CEV_EJSON);
    assert_non_null(strstr(err.message, "k250"));
    cev_buf_close(&b);
}

static void test_utf8_check(void **st)
{
    (void)st;
    assert_int_equal(cev_utf8_check("abc", 3), 3);
    assert_int_equal(cev_utf8_check("\xc3\xa9t\xc3\xa9", 6), 6);
    assert_int_equal(cev_utf8_check("ab\xc3", 3), 2); /* truncated sequence */
    assert_int_equal(cev_utf8_check("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    assert_int_equal(cev_utf8_check("\xf0\x9f\x98\x80", 4), 4); /* emoji */
}

static void test_number_format(void **st)
{
    (void)st;
    char b[40];
    cev_format_number(0.5, b, sizeof b);
    assert_string_equal(b, "0.5");
    cev_format_number(2.5 / 3, b, sizeof b);
    assert_string_equal(b, "0.8333333333333334");
    cev_format_number(0.1 + 0.2, b, sizeof b);
    assert_string_equal(b, "0.30000000000000004");
    cev_format_number(1, b, sizeof b);
    assert_string_equal(b, "1");
    cev_format_number(-0.0, b, sizeof b);
    assert_string_equal(b, "0");
    cev_format_number(1.0 / 0.0, b, sizeof b);
    assert_string_equal(b, "null");
}

static void test_writer(void **st)
{
    (void)st;
    cev_buf b;
    cev_buf_init(&b);
    cev_jw w;
    cev_jw_init(&w, &b);
    cev_jw_object(&w);
    cev_jw_key(&w, "s");
    cev_jw_string(&w, "a\"b\\c\n\x01é");
    cev_jw_key(&w, "l");
    cev_jw_array(&w);
    cev_jw_integer(&w, 3);
    cev_jw_bool(&w, 0);
    cev_jw_null(&w);
    cev_jw_array(&w);
    cev_jw_end_array(&w);
    cev_jw_end_array(&w);
    cev_jw_key(&w, "n");
    cev_jw_string(&w, NULL);
    cev_jw_key_lit(&w, "lit"); /* the same as cev_jw_key(), with the comma */
    cev_jw_object(&w);
    cev_jw_key_lit(&w, "first");
    cev_jw_integer(&w, 1);
    cev_jw_end_object(&w);
    cev_jw_end_object(&w);
    assert_int_equal(cev_jw_status(&w), CEV_OK);
    assert_string_equal(b.data, "{\"s\":\"a\\\"b\\\\c\\n\\u0001é\",\"l\":[3,false,null,[]],\"n\":null,"
                                "\"lit\":{\"first\":1}}");
    cev_buf_close(&b);
}

/* A string longer than the writer's chunks, every byte value in turn, so
 * that escapes fall on both sides of each chunk's end; and it parses back
 * to the same bytes. */
static void test_writer_long_strings(void **st)
{
    (void)st;
    enum { N = 3 * 4096 + 7 };
    char *in = malloc(N), *want = malloc(6 * N + 3);
    assert_non_null(in);
    assert_non_null(want);
    size_t k = 0;
    want[k++] = '"';
    for (size_t i = 0; i < N; i++) {
        unsigned char c = (unsigned char)(1 + i % 127); /* no NUL: it must parse back */
        in[i] = (char)c;
        if (c == '"' || c == '\\') {
            want[k++] = '\\';
            want[k++] = (char)c;
        } else if (c == '\n' || c == '\r' || c == '\t') {
            want[k++] = '\\';
            want[k++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c < 0x20) {
            k += (size_t)sprintf(want + k, "\\u%04x", c);
        } else {
            want[k++] = (char)c;
        }
    }
    want[k++] = '"';
    want[k] = '\0';
    cev_buf b;
    cev_buf_init(&b);
    cev_jw w;
    cev_jw_init(&w, &b);
    cev_jw_string_len(&w, in, N);
    assert_int_equal(cev_jw_status(&w), CEV_OK);
    assert_int_equal(b.len, k);
    assert_string_equal(b.data, want);
    cJSON *back;
    cev_error err;
    assert_int_equal(cev_json_parse(b.data, b.len, 4, &back, &err), CEV_OK);
    assert_true(cJSON_IsString(back));
    assert_memory_equal(back->valuestring, in, N);
    assert_int_equal(strlen(back->valuestring), N);
    cJSON_Delete(back);
    cev_buf_close(&b);
    free(in);
    free(want);
}

static void test_number_cache_gives_the_same_text(void **st)
{
    (void)st;
    static cev_numcache cache; /* zero-initialised, as the writer requires */
    cev_buf plain, cached;
    cev_buf_init(&plain);
    cev_buf_init(&cached);
    for (int pass = 0; pass < 2; pass++) { /* the second pass hits the cache */
        cev_jw a, b;
        cev_jw_init(&a, &plain);
        cev_jw_init(&b, &cached);
        cev_jw_set_cache(&b, &cache);
        cev_jw_array(&a);
        cev_jw_array(&b);
        for (int i = 0; i <= 3 * (int)CEV_NUMCACHE_SIZE; i++) { /* more values than slots */
            double v = i / 3.0 - 100, z = i % 7 == 0 ? -0.0 : v;
            cev_jw_number(&a, z);
            cev_jw_number(&b, z);
        }
        cev_jw_end_array(&a);
        cev_jw_end_array(&b);
    }
    assert_string_equal(plain.data, cached.data);
    cev_buf_close(&plain);
    cev_buf_close(&cached);
}

static void test_error_codes(void **st)
{
    (void)st;
    static const int codes[] = {CEV_EJSON,        CEV_ESCHEMA, CEV_ETITLE,   CEV_EEVIDENCE,
                                CEV_EJURY,        CEV_ERULE,   CEV_ERULE_BUDGET,
                                CEV_ERULE_MEMORY, CEV_EPLUGIN};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        assert_int_equal(cev_code_parse(cev_code_name(codes[i])), codes[i]);
        assert_string_not_equal(cev_strerror(codes[i]), "unknown error");
    }
    assert_string_equal(cev_code_name(CEV_ERULE_BUDGET), "E_RULE_BUDGET");
    assert_string_equal(cev_code_name(12345), "E_UNKNOWN");
    assert_string_equal(cev_strerror(12345), "unknown error");
    assert_int_equal(cev_code_parse("E_NONSENSE"), 0);
    cev_error e;
    cev_error_set(&e, CEV_EJURY, "jury", "only %d", 1);
    cev_error_set(&e, e.code, e.path, "%s (again)", e.message); /* may alias itself */
    assert_string_equal(e.message, "only 1 (again)");
    assert_string_equal(e.path, "jury");
}

/* Taking back what was appended since a mark leaves the buffer as it was,
 * NUL included; an empty buffer has nothing to cut. */
static void test_buf_truncate(void **st)
{
    (void)st;
    cev_buf b;
    cev_buf_init(&b);
    cev_buf_truncate(&b, 0);
    assert_null(b.data);
    assert_int_equal(cev_buf_puts(&b, "kept"), CEV_OK);
    size_t mark = b.len;
    assert_int_equal(cev_buf_puts(&b, ", taken back"), CEV_OK);
    cev_buf_truncate(&b, mark);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "kept");
    cev_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    cev_buf_close(&b);
}

/* cev_json_str: a member's string, else "" (never NULL). */
static void test_json_str(void **st)
{
    (void)st;
    cJSON *o = NULL;
    cev_error err;
    const char *text = "{\"s\":\"texte\",\"n\":1,\"z\":null}";
    assert_int_equal(cev_json_parse(text, strlen(text), 8, &o, &err), CEV_OK);
    assert_string_equal(cev_json_str(o, "s"), "texte");
    assert_string_equal(cev_json_str(o, "n"), "");
    assert_string_equal(cev_json_str(o, "z"), "");
    assert_string_equal(cev_json_str(o, "absent"), "");
    assert_string_equal(cev_json_str(o, "S"), ""); /* case-sensitive */
    assert_string_equal(cev_json_str(cev_json_get(o, "s"), "s"), ""); /* not an object */
    assert_string_equal(cev_json_str(NULL, "s"), "");
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_plain_json),
        cmocka_unit_test(test_refuses_what_cjson_lets_through),
        cmocka_unit_test(test_duplicates_in_large_objects),
        cmocka_unit_test(test_utf8_check),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_long_strings),
        cmocka_unit_test(test_number_cache_gives_the_same_text),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_buf_truncate),
        cmocka_unit_test(test_json_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
