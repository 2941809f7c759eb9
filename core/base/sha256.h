/*
 * sha256.h - SHA-256 (OpenSSL libcrypto) of bytes, files and title packages.
 *
 * Digests are written as 64 lowercase hex digits plus a NUL.
 *
 * Package hash (the canonical form, also in docs/architecture.md): every
 * regular file below the package folder, found recursively (symbolic links
 * followed, names starting with '.' included), sorted by relative path
 * ('/'-separated) in byte order; the digest covers, for each file in turn,
 *     path bytes, NUL, decimal byte count, NUL, content bytes.
 */
#ifndef CEV_SHA256_H
#define CEV_SHA256_H

#include "base/error.h"

#include <stddef.h>

#define CEV_SHA256_HEX 65

cev_code cev_sha256_hex(const void *data, size_t len, char out[CEV_SHA256_HEX]);
cev_code cev_sha256_file(const char *path, char out[CEV_SHA256_HEX], cev_error *err);

cev_code cev_sha256_package(const char *dir, char out[CEV_SHA256_HEX], cev_error *err);

#endif
