/*
 * buf.h - the growable byte buffer (cev_buf) is public:
 * certeval/certeval.h.
 */
#ifndef CEV_BUF_H
#define CEV_BUF_H

#include "certeval/certeval.h"

#endif
