/* minzheng host — the office database's schema: the host's own tables,
 * each kind's table, columns and indexes, the steps of a migration, and
 * the statements each kind's records are read and written with.  schema.c
 * and schema-index.c decide (checks of the declaration, what a migration
 * may do, with their messages); this side only speaks to the database.
 * Like store-records.h, it is what a backend for another database
 * replaces (docs/storage.md, "The store's interface").
 *
 * Everything but mz_store_kind_new/free and the index-name helpers runs
 * on the writer thread inside a unit of work's transaction.  Every name it puts in a statement comes
 * from a declaration that passed mz_kind_new's checks.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "registry.h"
#include "store.h"

G_BEGIN_DECLS

/* What the store keeps per kind (its statements), built once from the
 * validated declaration; MzKind.store holds it and mz_kind_free frees it. */
MzStoreKind *mz_store_kind_new (const MzKind *kind);
void mz_store_kind_free (MzStoreKind *store_kind);

/* Creates the host's own tables when missing: kinds' schema versions,
 * counters, the history of actions per record, and key-value metadata. */
gboolean mz_store_schema_create_host_tables (MzStore *store, GError **error);

/* The metadata value under @key into @out (newly allocated), storing
 * @value first when there is none yet. */
gboolean mz_store_meta_ensure (MzStore *store, const char *key, const char *value, char **out,
                               GError **error);

/* Another plugin and kind whose table has @kind's table name ("a_b" +
 * "c" and "a" + "b_c"), as "<plugin>.<kind>" into @other (newly
 * allocated), or NULL in @other when there is none. */
gboolean mz_store_schema_table_owner (MzStore *store, const MzKind *kind, char **other,
                                      GError **error);

/* The schema version and definition stored for @kind; NULL in
 * @definition (newly allocated) when none was stored yet. */
gboolean mz_store_schema_stored (MzStore *store, const MzKind *kind, gint64 *version,
                                 char **definition, GError **error);

/* Makes @kind's table what its declaration asks for, only ever adding:
 * creates the table when missing, adds a column for each field the table
 * lacks, and creates each declared index (unique keys partial when they
 * have unless_states) and each MZ_FIELD_INDEXED field's index when
 * missing. */
gboolean mz_store_schema_sync_table (MzStore *store, const MzKind *kind, GError **error);

/* Stores @kind's schema version and @definition (what the next migration
 * compares against); the time it was updated changes only when they do. */
gboolean mz_store_schema_record (MzStore *store, const MzKind *kind, const char *definition,
                                 GError **error);

/* The names the host gives the indexes it makes for @kind: for declared
 * index @index, and for MZ_FIELD_INDEXED field @field (newly allocated). */
char *mz_store_index_name (const MzKind *kind, const char *index);
char *mz_store_field_index_name (const MzKind *kind, const char *field);

/* Called for each index of a kind's table that was made by name (not
 * the ones behind the primary key or a column constraint). */
typedef void (*MzStoreIndexFunc) (const char *name, gboolean unique, gpointer user_data);

/* Lists the named indexes of @kind's table to @func. */
gboolean mz_store_schema_indexes (MzStore *store, const MzKind *kind, MzStoreIndexFunc func,
                                  gpointer user_data, GError **error);

/* Drops index @name, one of those mz_store_schema_indexes listed. */
gboolean mz_store_schema_drop_index (MzStore *store, const char *name, GError **error);

G_END_DECLS
