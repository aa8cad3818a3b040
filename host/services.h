/* minzheng host — the services behind MzHost: configuration, logging,
 * clock, and the store, audit log and registry of kinds the plugins
 * declare.  The loader asks for the table; plugins call through it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

#include "config.h"
#include "plugin-private.h"

G_BEGIN_DECLS

/* Opens the office's store (creating it on first use) and audit log, as
 * the configuration says.  @config must outlive the services. */
MzServices *mz_services_new (MzConfig *config, GError **error);
void mz_services_free (MzServices *services);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzServices, mz_services_free)

/* The table handed to every plugin's init. */
const MzHost *mz_services_get_host (MzServices *services);

/* Fixes the host clock (microseconds since the epoch, UTC) for tests and
 * `mzctl --now`; 0 returns to the real clock. */
void mz_services_set_now (MzServices *services, gint64 now_usec);

/* Called by the loader before a plugin's init (attach) and when its init
 * failed or it is shut down (detach): a plugin that fails leaves no kinds,
 * reports or due work behind. */
void mz_services_attach_plugin (MzServices *services, MzPlugin *plugin);
void mz_services_detach_plugin (MzServices *services, MzPlugin *plugin);

G_END_DECLS
