/*
 * fake.c - test plugins, built several times with different definitions:
 *   FAKE_NAME        the modality name ("rogue" by default)
 *   FAKE_ABI_MAJOR   / FAKE_ABI_MINOR: the ABI it claims
 *   FAKE_NO_ENTRY    build without the entry point
 *   FAKE_REFUSE_HOST the entry point refuses the host, saying why with
 *                    host->refuse() (ABI 1.2; twice: the first reason counts)
 *   FAKE_REFUSE_QUIETLY  the entry point returns NULL without a reason, as
 *                    before ABI 1.2
 * The "rogue" modality misbehaves on request: evidence {"mode": M} with M in
 * ok, nan, range, unknown, twice, fail, nomem, silent; strings the host must
 * refuse: badflag (invalid UTF-8), nulflag (a NUL inside), badassessor
 * (invalid UTF-8), longassessor (65 bytes); words with invalid UTF-8 in the
 * messages: badfail (host->fail()), badcode (an unknown competency); reaching outside its call:
 * print (a stray printf to stdout, then scores), exit (exit(0) mid-run).
 * Config {"competency": C} names what it scores.
 */
#include "certeval/plugin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FAKE_NAME
#define FAKE_NAME "rogue"
#endif
#ifndef FAKE_ABI_MAJOR
#define FAKE_ABI_MAJOR CEV_ABI_MAJOR
#endif
#ifndef FAKE_ABI_MINOR
#define FAKE_ABI_MINOR CEV_ABI_MINOR
#endif

typedef struct state {
    char comp[64];
} state;

static int configure(const cev_host *h, const cev_value *config, cev_decl *decl, void **out,
                     cev_report *r)
{
    const char *c = h->string(h->get(config, "competency"));
    if (c == NULL || strlen(c) >= 64)
        return h->fail(r, "competency", "must be a short string");
    if (h->declare(decl, c) != CEV_PLUGIN_OK)
        return h->fail(r, "competency", "not in scope");
    state *s = h->alloc(sizeof *s);
    if (s == NULL)
        return CEV_PLUGIN_ENOMEM;
    strcpy(s->comp, c);
    *out = s;
    return CEV_PLUGIN_OK;
}

static void release(const cev_host *h, void *s)
{
    h->free(s);
}

static int score(const cev_host *h, const void *st, const cev_value *ev, cev_result *res,
                 cev_report *r)
{
    const state *s = st;
    const char *mode = h->string(h->get(ev, "mode"));
    if (mode == NULL)
        return h->fail(r, "mode", "is required");
    if (strcmp(mode, "ok") == 0)
        return h->score(res, s->comp, 0.75);
    if (strcmp(mode, "nan") == 0)
        return h->score(res, s->comp, nan(""));
    if (strcmp(mode, "range") == 0)
        return h->score(res, s->comp, 1.5);
    if (strcmp(mode, "unknown") == 0)
        return h->score(res, "NOPE", 0.5);
    if (strcmp(mode, "twice") == 0) {
        h->score(res, s->comp, 0.5);
        return h->score(res, s->comp, 0.5);
    }
    if (strcmp(mode, "badflag") == 0) {
        h->flag(res, "bad%s", "\xff\xfe");
        return h->score(res, s->comp, 0.75);
    }
    if (strcmp(mode, "nulflag") == 0) {
        h->flag(res, "a%cb", 0);
        return h->score(res, s->comp, 0.75);
    }
    if (strcmp(mode, "badassessor") == 0) {
        h->assessor(res, "J\xc3\x28");
        return h->score(res, s->comp, 0.75);
    }
    if (strcmp(mode, "longassessor") == 0) {
        h->assessor(res, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        return h->score(res, s->comp, 0.75);
    }
    if (strcmp(mode, "badfail") == 0)
        return h->fail(r, "x", "bad \xff byte");
    if (strcmp(mode, "badcode") == 0)
        return h->score(res, "NO\xffPE", 0.5);
    if (strcmp(mode, "print") == 0) {
        printf("{\"stray\": \"printf from a plugin\"}\n");
        fflush(stdout);
        return h->score(res, s->comp, 0.75);
    }
    if (strcmp(mode, "exit") == 0)
        exit(0);
    if (strcmp(mode, "nomem") == 0)
        return CEV_PLUGIN_ENOMEM;
    if (strcmp(mode, "silent") == 0)
        return CEV_PLUGIN_EINPUT; /* refuses without saying why */
    /* "fail", and anything else */
    return CEV_PLUGIN_EFAIL;
}

static const cev_plugin descriptor = {
    .size = sizeof(cev_plugin),
    .abi_major = FAKE_ABI_MAJOR,
    .abi_minor = FAKE_ABI_MINOR,
    .name = FAKE_NAME,
    .version = "0.0.1",
    .summary = "test plugin",
    .configure = configure,
    .release = release,
    .score = score,
};

#ifndef FAKE_NO_ENTRY
CEV_PLUGIN_EXPORT const cev_plugin *certeval_plugin_entry(const cev_host *host)
{
#if defined(FAKE_REFUSE_HOST)
    if (host == NULL)
        return &descriptor; /* a real host is never NULL */
    if (!CEV_HOST_HAS(host, refuse))
        return NULL;
    host->refuse(host, "needs a host with %s (host ABI %u.%u)", "a GPU", host->abi_major,
                 host->abi_minor);
    return host->refuse(host, "a second reason, not kept");
#elif defined(FAKE_REFUSE_QUIETLY)
    return host == NULL ? &descriptor : NULL; /* a real host is never NULL */
#else
    (void)host;
    return &descriptor;
#endif
}
#else
CEV_PLUGIN_EXPORT const cev_plugin *not_the_entry_point(void)
{
    return &descriptor;
}
#endif
