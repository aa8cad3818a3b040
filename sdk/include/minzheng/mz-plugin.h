/* minzheng SDK — the plugin descriptor and MZ_PLUGIN_DEFINE.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined (__MINZHENG_H_INSIDE__) && !defined (MINZHENG_COMPILATION)
#error "Only <minzheng/minzheng.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* "MZPL" in ASCII: the first thing the host checks, so that a shared object
 * that merely happens to export a symbol of the right name is refused. */
#define MZ_PLUGIN_MAGIC 0x4d5a504cu

/* The one symbol a plugin exports.  It is a function, not a data symbol, so
 * that the host calls it and checks the result rather than trusting a layout. */
#define MZ_PLUGIN_ENTRY_SYMBOL "mz_plugin_get_descriptor"

typedef struct _MzHost MzHost;

/**
 * MzPlugin:
 *
 * The host's handle for one loaded plugin, passed to init() and shutdown()
 * and to every MzHost function that acts on behalf of a plugin.  Opaque.
 */
typedef struct _MzPlugin MzPlugin;

/**
 * MzPluginDescriptor:
 * @magic: %MZ_PLUGIN_MAGIC
 * @abi_major: %MZ_ABI_MAJOR the plugin was built against
 * @abi_minor: %MZ_ABI_MINOR the plugin was built against
 * @struct_size: sizeof (MzPluginDescriptor) as the plugin saw it
 * @name: `[a-z][a-z0-9_]*`, at most 32 bytes, equal to the file name without `.so`
 * @version: the plugin's own version, "MAJOR.MINOR[.MICRO]"
 * @description: one line, shown by `mzctl plugins`
 * @license: SPDX identifier
 * @vendor: who ships it
 * @requires: %NULL-terminated list of plugins needed first, "name" or
 *   "name>=1.2"; may itself be %NULL
 * @init: registers the plugin's kinds, reports and due work; returns %FALSE
 *   with @error set to refuse loading
 * @shutdown: called once, in reverse load order; may be %NULL
 *
 * Written by MZ_PLUGIN_DEFINE(); a plugin never fills it by hand.
 */
typedef struct
{
  guint32 magic;
  guint16 abi_major;
  guint16 abi_minor;
  guint32 struct_size;
  guint32 flags;

  const char *name;
  const char *version;
  const char *description;
  const char *license;
  const char *vendor;
  const char *const *requires;

  gboolean (*init) (MzPlugin *self, const MzHost *host, GError **error);
  void (*shutdown) (MzPlugin *self);

  /*< private >*/
  gpointer reserved[8];
} MzPluginDescriptor;

#define MZ_PLUGIN_EXPORT __attribute__ ((visibility ("default")))

/**
 * MZ_PLUGIN_DEFINE:
 *
 * Defines the plugin's only exported function.  Use once, at file scope:
 *
 * |[
 * static const char *const requires[] = { NULL };
 * MZ_PLUGIN_DEFINE (marriage, "1.0.0", "婚姻登记 marriage and divorce registration",
 *                   "LGPL-2.1-or-later", "minzheng", requires,
 *                   marriage_init, marriage_shutdown)
 * ]|
 */
#define MZ_PLUGIN_DEFINE(name_, version_, description_, license_, vendor_, requires_, init_, shutdown_) \
  MZ_PLUGIN_EXPORT const MzPluginDescriptor *mz_plugin_get_descriptor (void);                        \
  MZ_PLUGIN_EXPORT const MzPluginDescriptor *                                                         \
  mz_plugin_get_descriptor (void)                                                                     \
  {                                                                                                   \
    static const MzPluginDescriptor descriptor = {                                                    \
      .magic = MZ_PLUGIN_MAGIC,                                                                       \
      .abi_major = MZ_ABI_MAJOR,                                                                      \
      .abi_minor = MZ_ABI_MINOR,                                                                      \
      .struct_size = sizeof (MzPluginDescriptor),                                                     \
      .flags = 0,                                                                                     \
      .name = #name_,                                                                                 \
      .version = (version_),                                                                          \
      .description = (description_),                                                                 \
      .license = (license_),                                                                          \
      .vendor = (vendor_),                                                                            \
      .requires = (requires_),                                                                        \
      .init = (init_),                                                                                \
      .shutdown = (shutdown_),                                                                        \
      .reserved = { NULL },                                                                           \
    };                                                                                                \
    return &descriptor;                                                                               \
  }

G_END_DECLS
