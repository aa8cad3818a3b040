/* minzheng host — the loader's checks of one file and one descriptor, and
 * of requirements between plugins; shared by loader.c and its tests.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "loader.h"

G_BEGIN_DECLS

/* The least of a descriptor the host reads: everything before reserved. */
#define MZ_DESCRIPTOR_MIN_SIZE (offsetof (MzPluginDescriptor, reserved))

/* One entry of a descriptor's requires: "name" or "name>=X.Y[.Z]". */
typedef struct
{
  char *name;
  gboolean has_version;
  guint version[3];
} MzRequirement;

void mz_loader_set_error (GError      **error,
                          MzLoaderError code,
                          const char   *name,
                          const char   *format,
                          ...) G_GNUC_PRINTF (4, 5);
char *mz_loader_printable (const char *text);

/* Parses "MAJOR.MINOR[.MICRO]" (digits only) into @out (micro 0 if absent). */
gboolean mz_loader_parse_version (const char *text, guint out[3]);

/* Reads the ELF header of @path before dlopen() sees it, so that an empty
 * file, a non-ELF file or a library for another machine each get a message
 * that says so (dlopen() reports the last as "No such file"). */
gboolean mz_loader_check_elf (const char *name, const char *path, GError **error);

/* Magic, ABI, struct size, name (equal to @file_name), fields; in this order. */
gboolean mz_loader_check_descriptor (const char                *file_name,
                                     const MzPluginDescriptor  *descriptor,
                                     GError                   **error);

/* @descriptor's requirements (already checked well-formed); MzRequirement *. */
GPtrArray *mz_loader_parse_requirements (const MzPluginDescriptor *descriptor);

typedef MzPlugin *(*MzLoaderFindFunc) (gpointer data, const char *name);

/* Every requirement of @plugin is enabled, not refused and new enough;
 * @find looks a plugin up by name; @origin names the configuration. */
gboolean mz_loader_check_requirements (MzPlugin         *plugin,
                                       MzLoaderFindFunc  find,
                                       gpointer          data,
                                       const char       *origin,
                                       GError          **error);

G_END_DECLS
