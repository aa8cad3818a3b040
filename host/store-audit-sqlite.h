/* minzheng host — what the SQLite backend's two audit files share
 * (store-audit.c, store-audit-read.c), and the entries table's columns
 * for tests and benchmarks that read or tamper with the file directly;
 * nothing else in the host includes this.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <sqlite3.h>

#include <glib.h>

#include "store-audit-read.h"

/* The columns of audit_entries in canonical order after seq (the order of
 * MzStoreAuditRow and of docs/audit.md's canonical form). */
#define MZ_AUDIT_ENTRY_COLUMNS \
  "time_usec, office, plugin, plugin_version, actor_user, actor_role, " \
  "actor_session, actor_address, action, object_kind, object_id, outcome, " \
  "reason, correlation_id, changes"
#define MZ_AUDIT_ENTRY_COLUMN_COUNT 15

/* %MZ_AUDIT_ERROR_STORAGE for a failed statement on @db, naming @what;
 * the same message from both sides of the log.  Returns FALSE. */
gboolean mz_store_audit_storage_error (GError **error, sqlite3 *db, const char *what);

/* The log's hash name and public key (each NULL when absent) from @db,
 * the writer's or a reader's connection. */
gboolean mz_store_audit_db_meta (sqlite3 *db, char **out_hash, GBytes **out_public_key, GError **error);

/* A checkpoint row from the current row of @stmt, whose first six columns
 * are id, tree_size, root_hash, time_usec, signature, key_id; the row
 * points into the statement until it steps again. */
void mz_store_audit_checkpoint_from_row (MzStoreAuditCheckpointRow *row, sqlite3_stmt *stmt);
