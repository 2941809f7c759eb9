#define _XOPEN_SOURCE 700
#include "harness.h"

#include "base/file.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void write_file(const char *dir, const char *name, const char *content)
{
    char path[1024];
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
}

char *make_temp_dir(const char *tag)
{
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/cevtest-%s-XXXXXX", CEV_TEST_TMP_DIR, tag);
    mkdir(CEV_TEST_TMP_DIR, 0755);
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void remove_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *slurp(const char *path)
{
    char *text = NULL;
    size_t len;
    cev_error err;
    if (cev_file_read(path, &text, &len, &err) != CEV_OK)
        return NULL;
    return text;
}

#include "packages.h"

char *make_package(const char *dir, const char *name, const char *title_json,
                   const char *rules_lua)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, "title.json", title_json);
    if (rules_lua)
        write_file(path, "rules.lua", rules_lua);
    return strdup(path);
}
