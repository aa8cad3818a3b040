/* minzheng host — the host's side of one plugin (struct _MzPlugin).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

G_BEGIN_DECLS

typedef struct _MzServices MzServices;

typedef enum
{
  MZ_PLUGIN_STATE_FOUND,     /* named in the configuration, not yet opened */
  MZ_PLUGIN_STATE_OPENED,    /* descriptor checked, not yet initialised */
  MZ_PLUGIN_STATE_LOADED,    /* init succeeded: in service */
  MZ_PLUGIN_STATE_REFUSED,   /* a check or init failed; @error says why */
  MZ_PLUGIN_STATE_SHUTDOWN,  /* shutdown has run */
} MzPluginState;

struct _MzPlugin
{
  char *name;                            /* as configured, = descriptor name */
  char *path;                            /* the .so opened, or NULL */
  void *handle;                          /* dlopen handle; never dlclosed */
  const MzPluginDescriptor *descriptor;  /* NULL until the checks passed */
  MzPluginState state;
  GError *error;                         /* why refused (MZ_LOADER_ERROR) */
  gboolean required;                     /* [plugins] required names it */
  MzServices *services;                  /* the host services it was given */
  gpointer services_data;                /* owned by services.c */
};

G_END_DECLS
