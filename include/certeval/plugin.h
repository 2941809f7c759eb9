/*
 * certeval/plugin.h - the modality plugin ABI.
 *
 * A modality plugin is a shared object exporting exactly one symbol,
 * CEV_PLUGIN_ENTRY_NAME ("certeval_plugin_entry"), of type cev_plugin_entry_fn.
 * The host calls it once after dlopen(), passing its service table, and gets
 * back a static, read-only descriptor (cev_plugin).  Everything else the plugin
 * needs from the host (memory, reading JSON values, reporting errors, filling
 * results) goes through the cev_host table passed to every call: a plugin links
 * against nothing of certeval.
 *
 * Versioning.  The ABI is major.minor (docs/plugin-guide.md, "ABI policy").
 * The host refuses a plugin whose major differs from CEV_ABI_MAJOR, or whose
 * minor is newer than the host's, and a descriptor whose `size` is smaller
 * than the 1.0 descriptor; it loads plugins built for any older minor.  A
 * minor bump may only append members at the end of cev_host or cev_plugin;
 * readers check `size` before touching an appended member.  Anything else
 * (removing, reordering, retyping, changing what a function means) needs a
 * major bump.
 *   1.0  the first ABI
 *   1.1  cev_host.realloc
 *   1.2  cev_host.refuse: the entry point says why it refuses a host
 *   1.3  cev_host.session_date, cev_host.session_deadline: score() learns
 *        the session's date and its calendar's deadline for the assessment
 *
 * Life cycle, for one assessment of one title package:
 *   configure()  once, when the package is loaded: validate `config`, declare
 *                the competencies it can score, build an immutable state;
 *   score()      once per candidate, possibly from several threads at once with
 *                the same state: it must be re-entrant and must not modify state;
 *   release()    once, when the package is unloaded, for each configure() that
 *                returned CEV_PLUGIN_OK, with the state it set (NULL when it
 *                set none).  release() is never called after a configure()
 *                that failed: a failing configure() frees what it allocated
 *                before returning, and the host ignores `*state`.
 *
 * Ownership ("whoever allocates frees").
 *   - cev_value, cev_report, cev_decl, cev_result are owned by the host.  Values
 *     are borrowed for the duration of the call that receives them; strings
 *     returned by host->string()/host->key() likewise.
 *   - The state built by configure() is the plugin's: allocate it with
 *     host->alloc() and free it in release() with host->free().
 *   - Strings passed to host->declare(), score(), eliminate(), flag(),
 *     assessor() are copied by the host; the plugin keeps ownership.
 *
 * Errors.  Every plugin function returns CEV_PLUGIN_OK (0) or a negative code.
 * On CEV_PLUGIN_EINPUT the plugin must have called host->fail() to say which
 * field of the config or evidence is wrong (path relative to that object, e.g.
 * "assessors.J2.c4"); the host turns it into a refused package (configure) or
 * an E_EVIDENCE record (score).  Any other negative code becomes E_PLUGIN.
 *
 * Thread safety.  No global mutable state: all per-call data lives on the
 * stack, in host-owned objects, or in allocations freed before returning.
 */
#ifndef CERTEVAL_PLUGIN_H
#define CERTEVAL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CEV_ABI_MAJOR 1
#define CEV_ABI_MINOR 3

#define CEV_PLUGIN_ENTRY_NAME "certeval_plugin_entry"

#if defined(__GNUC__)
#define CEV_PLUGIN_EXPORT __attribute__((visibility("default")))
#define CEV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CEV_PLUGIN_EXPORT
#define CEV_PRINTF(f, a)
#endif

/* Return codes of plugin and host functions (the host functions returning
 * int return nothing else; each one's codes are given below). */
enum {
    CEV_PLUGIN_OK = 0,
    CEV_PLUGIN_EINPUT = -1, /* config or evidence refused; host->fail() called */
    CEV_PLUGIN_ENOMEM = -2, /* an allocation failed */
    CEV_PLUGIN_EFAIL = -3   /* internal failure of the plugin */
};

/* Opaque host-owned objects. */
typedef struct cev_value cev_value;   /* a JSON value (config or evidence) */
typedef struct cev_report cev_report; /* where a refusal is described */
typedef struct cev_decl cev_decl;     /* what a configuration can score */
typedef struct cev_result cev_result; /* one assessment result, being filled */
struct cev_plugin;                    /* the descriptor, below */

typedef enum cev_type {
    CEV_NULL = 0,
    CEV_BOOL,
    CEV_NUMBER,
    CEV_STRING,
    CEV_ARRAY,
    CEV_OBJECT
} cev_type;

typedef enum cev_status {
    CEV_STATUS_PRESENT = 0,
    CEV_STATUS_ABSENT,
    CEV_STATUS_EXCUSED,
    CEV_STATUS_INADMISSIBLE
} cev_status;

/* Services of the host, valid for the lifetime of the plugin. */
typedef struct cev_host {
    uint32_t size; /* sizeof(cev_host) as the host was built */
    uint16_t abi_major;
    uint16_t abi_minor;

    /* Memory: alloc() returns a zero-filled block (alloc(0) a valid block of
     * its own), NULL when out of memory.  free(NULL) is a no-op. */
    void *(*alloc)(size_t size);
    void (*free)(void *ptr);

    /* Reading JSON.  Every function accepts NULL and then returns the
     * neutral answer (CEV_NULL, NULL, 0).  Object keys are unique and matched
     * case-sensitively.  first()/next() walk array elements or object members
     * in document order; key() names an object member.  What each returns:
     *   type()     the value's type; CEV_NULL for JSON null and for NULL;
     *   get()      the member `key` of an object; NULL when `object` is not
     *              an object, `key` is NULL or no member has that key;
     *   first()    the first element or member; NULL for an empty container
     *              or a value that is not an array or object;
     *   next()     the following element or member; NULL after the last;
     *   key()      a member's key; NULL for an array element;
     *   count()    the number of elements or members; 0 for anything else;
     *   number()   the number; 0.0 for anything that is not a number;
     *   string()   the string (UTF-8, NUL-terminated); NULL for a non-string;
     *   boolean()  1 for true, 0 for false and anything else. */
    cev_type (*type)(const cev_value *v);
    const cev_value *(*get)(const cev_value *object, const char *key);
    const cev_value *(*first)(const cev_value *container);
    const cev_value *(*next)(const cev_value *item);
    const char *(*key)(const cev_value *member);
    size_t (*count)(const cev_value *container);
    double (*number)(const cev_value *v); /* always finite */
    const char *(*string)(const cev_value *v);
    int (*boolean)(const cev_value *v);

    /* Parses a strict ISO date "YYYY-MM-DD" to a day number: CEV_PLUGIN_OK
     * when valid, CEV_PLUGIN_EINPUT otherwise (NULL, another form, a day
     * that does not exist).  Day numbers compare like the dates. */
    int (*date)(const char *iso, int32_t *day);

    /* Describes why the input is refused; always returns CEV_PLUGIN_EINPUT.
     * `path` is relative to the config or evidence object ("" or NULL for
     * itself).  A later call replaces an earlier one's description. */
    int (*fail)(cev_report *report, const char *path, const char *fmt, ...)
        CEV_PRINTF(3, 4);

    /* configure(): declares a competency code this config may score.
     * CEV_PLUGIN_OK, or CEV_PLUGIN_EINPUT when `competency` is NULL or not a
     * competency of the assessment's scope: the host then refuses the package
     * even if configure() returns CEV_PLUGIN_OK. */
    int (*declare)(cev_decl *decl, const char *competency);

    /* score(): fill the result.  The status defaults to PRESENT.  Each
     * returns CEV_PLUGIN_OK, or CEV_PLUGIN_EFAIL when the call is malformed:
     * the result is then marked malformed, and the candidate gets E_PLUGIN
     * unless score() returns CEV_PLUGIN_EINPUT after host->fail() (then
     * E_EVIDENCE).  flag() and assessor() may also return CEV_PLUGIN_ENOMEM
     * (nothing recorded; score() should return it).
     *   set_status()  EFAIL: a status outside cev_status;
     *   score()       EFAIL: a competency outside the scope or NULL, a value
     *                 outside [0, 1] or NaN, a competency scored twice;
     *   eliminate()   EFAIL: a competency outside the scope or NULL;
     *   flag()        EFAIL: an empty flag or one over 255 bytes, one that
     *                 is not valid UTF-8 or holds a NUL byte;
     *   assessor()    names a jury member who assessed this evidence;
     *                 EFAIL: NULL or empty, over 64 bytes, not valid UTF-8.
     * A result with a malformed call gives that candidate E_PLUGIN, and only
     * that candidate: nothing a plugin hands back reaches a record unchecked. */
    int (*set_status)(cev_result *result, cev_status status);
    int (*score)(cev_result *result, const char *competency, double score);
    int (*eliminate)(cev_result *result, const char *competency);
    int (*flag)(cev_result *result, const char *fmt, ...) CEV_PRINTF(2, 3);
    int (*assessor)(cev_result *result, const char *member);

    /* ---- ABI 1.1 ---- (check CEV_HOST_HAS(host, realloc) first) */
    /* Resizes a block from alloc()/realloc() (bytes past the old size are
     * not zeroed); NULL when out of memory, the block then left as it was. */
    void *(*realloc)(void *ptr, size_t size);

    /* ---- ABI 1.2 ---- (check CEV_HOST_HAS(host, refuse) first) */
    /* For the entry point only, with the host it was given: records why the
     * plugin refuses this host (at most 255 bytes, the first call's reason
     * kept), shown by `certeval plugins` and in load-time messages, and
     * returns NULL, so that `return host->refuse(host, "...");` refuses.
     * Once it is called, the plugin is refused whatever the entry point then
     * returns.  Called with the host of configure(), score() or release(),
     * it records nothing and returns NULL. */
    const struct cev_plugin *(*refuse)(const struct cev_host *self, const char *fmt, ...)
        CEV_PRINTF(2, 3);

    /* ---- ABI 1.3 ---- (check CEV_HOST_HAS(host, session_deadline) first) */
    /* score() only, with the result being filled: what the candidate's
     * session says.  Each returns CEV_PLUGIN_OK and sets *day (a day number,
     * as date() gives), or CEV_PLUGIN_EINPUT when there is none (and leaves
     * *day alone):
     *   session_date()      the session's date (the record's session.date);
     *                       none only outside a decision (a plugin tested
     *                       on its own);
     *   session_deadline()  the last day to hand in this assessment's work
     *                       that the session's calendar gives (the record's
     *                       session.deadlines[<assessment id>]); none when
     *                       the calendar does not name this assessment. */
    int (*session_date)(const cev_result *result, int32_t *day);
    int (*session_deadline)(const cev_result *result, int32_t *day);
} cev_host;

/* True when the host is recent enough to have `member` (a member appended by
 * a minor version): plugins built for a newer minor than the host's check
 * this before using the member. */
#define CEV_HOST_HAS(host, member)                                                          \
    ((host)->size >= offsetof(cev_host, member) + sizeof((host)->member))

/* The descriptor a plugin returns from its entry point: static and const. */
typedef struct cev_plugin {
    uint32_t size; /* sizeof(cev_plugin) as the plugin was built */
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *name;    /* the modality name used in title.json */
    const char *version; /* the plugin's own version, "1.0.0" */
    const char *summary; /* one line for `certeval plugins` */

    int (*configure)(const cev_host *host, const cev_value *config,
                     cev_decl *decl, void **state, cev_report *report);
    void (*release)(const cev_host *host, void *state);
    int (*score)(const cev_host *host, const void *state,
                 const cev_value *evidence, cev_result *result,
                 cev_report *report);
} cev_plugin;

/* The entry point, called once after dlopen().  Returns the descriptor, which
 * must stay valid until the shared object is unloaded, or NULL to refuse the
 * host (say, a host too old, or one lacking what the plugin needs).  On a
 * host of ABI 1.2 or later (CEV_HOST_HAS(host, refuse)) it says why:
 *     return host->refuse(host, "needs host ABI 1.%d, host is %u.%u", 3,
 *                         host->abi_major, host->abi_minor);
 * A bare NULL is shown as "the entry point refused this host". */
typedef const cev_plugin *(*cev_plugin_entry_fn)(const cev_host *host);

/* Fills the version fields of a descriptor with this header's. */
#define CEV_PLUGIN_HEADER                                                   \
    .size = sizeof(cev_plugin), .abi_major = CEV_ABI_MAJOR,                 \
    .abi_minor = CEV_ABI_MINOR

/* The same for a plugin that uses nothing newer than ABI 1.`minor`: it then
 * also loads on hosts of 1.`minor` up to this header's (ABI 1.3). */
#define CEV_PLUGIN_HEADER_MINOR(minor)                                      \
    .size = sizeof(cev_plugin), .abi_major = CEV_ABI_MAJOR, .abi_minor = (minor)

#ifdef __cplusplus
}
#endif

#endif /* CERTEVAL_PLUGIN_H */
