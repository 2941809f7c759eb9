/*
 * host.h - the services certeval offers to plugins (the cev_host table of
 * the plugin ABI): memory, read-only JSON values, dates, error reports,
 * declarations and the filling of a cev_result.
 */
#ifndef CEV_HOST_H
#define CEV_HOST_H

#include "plugin/result.h"

/* The host service table handed to plugins (static, read-only). */
const cev_host *cev_host_services(void);

#endif
