/* minzheng host — finding, checking, ordering, starting and stopping plugins.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "config.h"
#include "plugin-private.h"

G_BEGIN_DECLS

/**
 * MzLoaderError:
 * @MZ_LOADER_ERROR_OPEN_FAILED: the file cannot be loaded: empty, not ELF, another
 *   architecture, or dlopen() failed (its text is included)
 * @MZ_LOADER_ERROR_NOT_A_PLUGIN: the library exports no mz_plugin_get_descriptor
 * @MZ_LOADER_ERROR_BAD_DESCRIPTOR: wrong magic, descriptor too small, a name that is
 *   invalid or differs from the file name, or a missing or malformed field
 * @MZ_LOADER_ERROR_ABI_MISMATCH: built for another ABI major, or a newer minor than the host's
 * @MZ_LOADER_ERROR_DEPENDENCY_MISSING: a required plugin is not enabled, was refused,
 *   or is older than the version asked for
 * @MZ_LOADER_ERROR_DEPENDENCY_CYCLE: plugins that require each other, directly or not
 * @MZ_LOADER_ERROR_DUPLICATE_NAME: two files in the plugin directories claim one name
 * @MZ_LOADER_ERROR_INIT_FAILED: init() returned FALSE (its error is included)
 * @MZ_LOADER_ERROR_NOT_ENABLED: the plugin asked for is not in [plugins] enabled
 * @MZ_LOADER_ERROR_NOT_FOUND: an enabled plugin has no <name>.so in the plugin directories
 * @MZ_LOADER_ERROR_BAD_NAME: an enabled name is not `[a-z][a-z0-9_]*` (at most 32),
 *   e.g. contains '/' or '..'; refused before any file is touched
 *
 * Every message names the plugin, says what failed and what to do, and ends
 * with the code "[loader.open_failed]" (see mz-error.h).
 */
typedef enum
{
  MZ_LOADER_ERROR_OPEN_FAILED,
  MZ_LOADER_ERROR_NOT_A_PLUGIN,
  MZ_LOADER_ERROR_BAD_DESCRIPTOR,
  MZ_LOADER_ERROR_ABI_MISMATCH,
  MZ_LOADER_ERROR_DEPENDENCY_MISSING,
  MZ_LOADER_ERROR_DEPENDENCY_CYCLE,
  MZ_LOADER_ERROR_DUPLICATE_NAME,
  MZ_LOADER_ERROR_INIT_FAILED,
  MZ_LOADER_ERROR_NOT_ENABLED,
  MZ_LOADER_ERROR_NOT_FOUND,
  MZ_LOADER_ERROR_BAD_NAME,
} MzLoaderError;

#define MZ_LOADER_ERROR (mz_loader_error_quark ())
GQuark mz_loader_error_quark (void);

/* "OPEN_FAILED" ... for an MzLoaderError code; "UNKNOWN" otherwise. */
const char *mz_loader_error_code_name (int code);
/* "found", "opened", "loaded", "refused", "shutdown". */
const char *mz_plugin_state_name (MzPluginState state);

/* TRUE when @name is a valid plugin name: `[a-z][a-z0-9_]*`, 1 to 32 bytes. */
gboolean mz_plugin_name_is_valid (const char *name);

typedef struct _MzLoader MzLoader;

/* A loader for the plugins @config enables.  @services gives each plugin
 * its MzHost at init; with @services NULL the loader checks everything up
 * to and including dependencies but initialises nothing (plugins stay
 * MZ_PLUGIN_STATE_OPENED).  Both must outlive the loader. */
MzLoader *mz_loader_new (MzConfig *config, MzServices *services);

/* Shuts down what is loaded (mz_loader_shutdown) and frees the loader.
 * The libraries stay mapped: a plugin is never dlclose()d. */
void mz_loader_free (MzLoader *loader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzLoader, mz_loader_free)

/* Opens, checks, orders and initialises every enabled plugin (once).  A
 * plugin that fails is refused (state REFUSED, error set) and the others
 * carry on; returns FALSE only when a `required` plugin was refused, with
 * that plugin's error. */
gboolean mz_loader_load_all (MzLoader *loader, GError **error);

/* Calls every loaded plugin's shutdown in reverse init order, once. */
void mz_loader_shutdown (MzLoader *loader);

/* Every enabled plugin, in configuration order, whatever its state. */
guint mz_loader_get_n_plugins (MzLoader *loader);
MzPlugin *mz_loader_get_plugin (MzLoader *loader, guint index);

/* The plugins initialised, in init order (dependencies first).  Owned by
 * the loader; do not modify. */
GPtrArray *mz_loader_get_init_order (MzLoader *loader);

/* The loaded plugin called @name; NULL with NOT_ENABLED when the office
 * does not enable it, or with the plugin's own error when it was refused. */
MzPlugin *mz_loader_lookup (MzLoader *loader, const char *name, GError **error);

/* Called with "open" before dlopen() runs the library's constructors and
 * "descriptor" before its entry function is called, so that a checker can
 * tell where a library crashed. */
typedef void (*MzLoaderStageFunc) (const char *stage, gpointer user_data);

/* For `mzctl plugin check`: opens the one file @path and runs the checks a
 * loader runs (magic to fields; not duplicates, dependencies or init).  The
 * plugin's name is the file name without ".so".  Runs the library's
 * constructors in this process: call it in a child process.  @stage may
 * be NULL. */
MzPlugin *mz_loader_check_file (const char        *path,
                                MzLoaderStageFunc  stage,
                                gpointer           user_data,
                                GError           **error);

/* Runs @plugin's init with @services (attach before, detach on failure),
 * as mz_loader_load_all does for each plugin; for `mzctl plugin check --init`. */
gboolean mz_loader_init_plugin (MzPlugin *plugin, MzServices *services, GError **error);

void mz_plugin_free (MzPlugin *plugin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzPlugin, mz_plugin_free)

G_END_DECLS
