/*
 * host.h - the services certeval offers to plugins (the cev_host table of
 * the plugin ABI): memory, read-only JSON values, dates, error reports,
 * declarations and the filling of a cev_result.
 */
#ifndef CEV_HOST_H
#define CEV_HOST_H

#include "plugin/result.h"

/* The host service table handed to plugins (static, read-only).  Its
 * refuse() records nothing: it is not the entry point's table. */
const cev_host *cev_host_services(void);

/* The table handed to one plugin's entry point: the same services, with a
 * refuse() that keeps the entry point's reason here.  Owned by the registry
 * entry of that plugin, so valid as long as the plugin is loaded. */
#define CEV_REFUSE_MAX 256
typedef struct cev_entry_host {
    cev_host host;             /* first: refuse() finds the rest from it */
    int refused;               /* refuse() was called */
    char why[CEV_REFUSE_MAX];  /* its reason, truncated */
} cev_entry_host;

void cev_entry_host_init(cev_entry_host *eh);

#endif
