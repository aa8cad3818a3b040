/* minzheng host — the one structured log writer of the process.
 *
 * Every line, from the host or a plugin, carries the same fields:
 * MZ_OFFICE, MZ_PLUGIN, MZ_PLUGIN_VERSION, MZ_REQUEST_ID, MESSAGE_ID and
 * GLIB_DOMAIN (empty when they do not apply), plus whatever the caller adds
 * (MZ_ERROR_CODE, CODE_FILE ...).  Targets: JSON lines on stderr or in a
 * file, journald, or RFC 5424 syslog over UDP.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "plugin-private.h"

G_BEGIN_DECLS

/**
 * MzLogError:
 * @MZ_LOG_ERROR_TARGET: the target cannot be opened (file, socket, address)
 */
typedef enum
{
  MZ_LOG_ERROR_TARGET,
} MzLogError;

#define MZ_LOG_ERROR (mz_log_error_quark ())
GQuark mz_log_error_quark (void);

/* Installs the writer (once per process; later calls change the target and
 * office).  @target is as [log] target: "stderr", "journal",
 * "file:/abs/path" or "syslog:HOST:PORT".  @office_id may be NULL. */
gboolean mz_log_init (const char *target, const char *office_id, GError **error);

/* Maps the log domain "mz-<name>" of a plugin to its name and version, so
 * that a plugin's own g_log() calls are tagged too.  Called by the loader. */
void mz_log_register_plugin (const char *name, const char *version);

/* The request this thread is serving (NULL clears it); copied. */
void mz_log_set_request_id (const char *request_id);
const char *mz_log_get_request_id (void);

/* MzHost.log: one line on behalf of @plugin (may be NULL: the host).
 * Never fails: a NULL message or unknown level is logged as such. */
void mz_log_plugin (MzPlugin      *plugin,
                    GLogLevelFlags level,
                    const char    *message_id,
                    const char    *message);

/* Formats one line as the stderr and file targets write it (with a final
 * newline); exposed for tests.  @fields as g_log_writer_* receive them. */
char *mz_log_format_json (GLogLevelFlags   level,
                          const GLogField *fields,
                          gsize            n_fields);

G_END_DECLS
