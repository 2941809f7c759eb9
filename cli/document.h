/*
 * document.h - what pv, attestation and export share: writing the
 * document, and telling why there is none.  Errors are said on stderr.
 */
#ifndef CEV_CLI_DOCUMENT_H
#define CEV_CLI_DOCUMENT_H

#include "certeval/certeval.h"

/* Writes the document to `output` (NULL or "-": stdout), refusing a file
 * inside the audit store `audit_dir`.  The exit status: CLI_OK, or
 * CLI_CANNOT_START (said). */
int cli_write_document(const cev_buf *doc, const char *output, const char *audit_dir);

/* Says why a document could not be made (each problem of the folder as
 * "file:row:column: message", else err) and returns the exit status:
 * CLI_PROBLEMS for CEV_PROBLEMS, else CLI_CANNOT_START. */
int cli_document_failed(cev_code rc, const cev_errlist *problems, const cev_error *err);

#endif
