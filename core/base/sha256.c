#include "base/sha256.h"

#include "base/buf.h"
#include "base/file.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void to_hex(const unsigned char *md, unsigned n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

cev_code cev_sha256_hex(const void *data, size_t len, char out[CEV_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
        return CEV_ENOMEM;
    to_hex(md, n, out);
    return CEV_OK;
}

/* Feeds a file's bytes to `ctx`; with `framed`, precedes them by
 * "name NUL size NUL" as the package hash requires. */
static int digest_file(EVP_MD_CTX *ctx, const char *path, const char *name,
                       cev_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cev_error_set(err, CEV_EIO, "", "%s: %s", path, strerror(errno));
    int rc = CEV_OK;
    if (name) {
        struct stat st;
        char size[32];
        if (fstat(fileno(f), &st) != 0) {
            fclose(f);
            return cev_error_set(err, CEV_EIO, "", "%s: %s", path, strerror(errno));
        }
        int n = snprintf(size, sizeof size, "%lld", (long long)st.st_size);
        if (!EVP_DigestUpdate(ctx, name, strlen(name) + 1) ||
            !EVP_DigestUpdate(ctx, size, (size_t)n + 1))
            rc = cev_error_set(err, CEV_ENOMEM, "", "%s: hashing failed", path);
    }
    unsigned char chunk[65536];
    size_t got;
    while (rc == CEV_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!EVP_DigestUpdate(ctx, chunk, got))
            rc = cev_error_set(err, CEV_ENOMEM, "", "%s: hashing failed", path);
    if (rc == CEV_OK && ferror(f))
        rc = cev_error_set(err, CEV_EIO, "", "%s: read error", path);
    fclose(f);
    return rc;
}

static int finish(EVP_MD_CTX *ctx, char out[CEV_SHA256_HEX], cev_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_DigestFinal_ex(ctx, md, &n))
        return cev_error_set(err, CEV_ENOMEM, "", "hashing failed");
    to_hex(md, n, out);
    return CEV_OK;
}

cev_code cev_sha256_file(const char *path, char out[CEV_SHA256_HEX], cev_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        return cev_error_nomem(err);
    }
    int rc = digest_file(ctx, path, NULL, err);
    if (rc == CEV_OK)
        rc = finish(ctx, out, err);
    EVP_MD_CTX_free(ctx);
    return rc;
}

cev_code cev_sha256_package(const char *dir, char out[CEV_SHA256_HEX], cev_error *err)
{
    char **paths;
    size_t n;
    int rc = cev_file_list(dir, &paths, &n, err);
    if (rc != CEV_OK)
        return rc;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
        rc = cev_error_nomem(err);
    cev_buf full;
    cev_buf_init(&full);
    for (size_t i = 0; i < n && rc == CEV_OK; i++) {
        cev_buf_reset(&full);
        if (cev_buf_printf(&full, "%s/%s", dir, paths[i]) != CEV_OK)
            rc = cev_error_nomem(err);
        else
            rc = digest_file(ctx, full.data, paths[i], err);
    }
    if (rc == CEV_OK)
        rc = finish(ctx, out, err);
    cev_buf_close(&full);
    EVP_MD_CTX_free(ctx);
    cev_file_list_free(paths, n);
    return rc;
}
