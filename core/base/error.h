/*
 * error.h - the one error convention of the core: cev_code, cev_error and
 * cev_errlist are public (certeval/certeval.h); this adds what the core
 * alone uses.
 */
#ifndef CEV_ERROR_H
#define CEV_ERROR_H

#include "certeval/certeval.h"

#endif
